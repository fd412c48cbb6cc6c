/* tb-store-lines.h — the lines table: listing, editing and removing line configurations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows are created with tb_store_add_line (tb-store-config.h). The config column is a JSON
 * object per kind; it never holds a secret (passwords live in libsecret or the environment).
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64    id;
  char     *name;
  char     *kind;        /* "sim", "sip" or "modem" */
  char     *config;      /* JSON object */
  int       max_calls;
  gboolean  enabled;
  gint64    created_at;  /* µs since the epoch */
} TbLineRow;

void       tb_line_row_free       (TbLineRow   *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbLineRow, tb_line_row_free)

/* Every line, by name. Returns: (transfer full) (element-type TbLineRow). */
GPtrArray *tb_store_list_lines    (TbStore     *self,
                                   GError     **error);
/* NULL with TB_STORE_ERROR_NOT_FOUND when there is no line @name. */
TbLineRow *tb_store_get_line      (TbStore     *self,
                                   const char  *name,
                                   GError     **error);
gboolean   tb_store_update_line   (TbStore     *self,
                                   const char  *name,
                                   const char  *config_json,
                                   int          max_calls,
                                   gboolean     enabled,
                                   GError     **error);
/* Fails with TB_STORE_ERROR_CONSTRAINT when a campaign (its pool) or an attempt refers to the
 * line. */
gboolean   tb_store_remove_line   (TbStore     *self,
                                   const char  *name,
                                   GError     **error);

/* One line of a campaign's pool (issue #20), with what the campaign did on it. */
typedef struct {
  gint64    line_id;
  char     *name;
  char     *kind;
  char     *config;      /* JSON object */
  int       max_calls;
  int       position;    /* the dialer goes round the pool in this order */
  gboolean  enabled;     /* in this campaign's pick (a line may be kept but not used) */
  gint64    calls;       /* the campaign's attempts on the line */
  gint64    in_flight;   /* of those, not ended yet */
  gint64    answered;
  char     *rest_reason; /* why the running campaign took the line out of its pick, or NULL */
  gint64    rest_until;  /* until when (µs since the epoch); past: back in the pick */
} TbCampaignLineRow;

void       tb_campaign_line_row_free     (TbCampaignLineRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbCampaignLineRow, tb_campaign_line_row_free)

/* The pool of campaign @campaign_id, by position; a campaign without campaign_lines rows
 * (created with tb_store_create_campaign() alone) dials over its campaigns.line_id, a pool
 * of one. Returns: (transfer full) (element-type
 * TbCampaignLineRow), empty when the campaign has no line (or does not exist). */
GPtrArray *tb_store_dup_campaign_lines   (TbStore            *self,
                                          gint64              campaign_id,
                                          GError            **error);
/* Makes @line_ids (in this order, all enabled) the pool of @campaign_id; campaigns.line_id
 * becomes the first. In a transaction of its own, or the caller's. */
gboolean   tb_store_set_campaign_lines   (TbStore            *self,
                                          gint64              campaign_id,
                                          const gint64       *line_ids,
                                          guint               n_lines,
                                          GError            **error);

/* The campaign running in this process took line @line_id out of its pick until @until (µs
 * since the epoch) for @reason (the SIP server answered 503): written so that another process
 * (`campaign status`) shows it in the line's row (TbCampaignLineRow.rest_reason). @reason NULL:
 * it is back. Kept in the settings table, one key per campaign and line. */
gboolean   tb_store_set_campaign_line_rest (TbStore          *self,
                                          gint64              campaign_id,
                                          gint64              line_id,
                                          const char         *reason,
                                          gint64              until,
                                          GError            **error);

/* When caller number @caller_id was dialed from (any campaign, any line) since @since (µs),
 * oldest first: what its per-number caps count. (transfer full) (element-type gint64) */
GArray    *tb_store_dup_caller_id_dials  (TbStore            *self,
                                          const char         *caller_id,
                                          gint64              since,
                                          GError            **error);
/* A caller number of a campaign's line, with what the campaign did from it. */
typedef struct {
  gint64  line_id;
  char   *caller_id;
  gint64  calls;
  gint64  answered;
} TbCallerIdStats;

void       tb_caller_id_stats_free       (TbCallerIdStats    *stats);
/* The numbers campaign @campaign_id's calls presented, by line and number. (transfer full)
 * (element-type TbCallerIdStats) */
GPtrArray *tb_store_dup_campaign_number_stats (TbStore       *self,
                                          gint64              campaign_id,
                                          GError            **error);
/* Whether each of the last @limit ended calls from @caller_id (any campaign) reached somebody
 * (answered), oldest first: what its health flag reads. (transfer full) (element-type
 * gboolean) */
GArray    *tb_store_dup_caller_id_answers (TbStore           *self,
                                          const char         *caller_id,
                                          guint               limit,
                                          GError            **error);
/* How campaign @campaign_id chooses among its lines' numbers: "round_robin" (also when none
 * was set) or "different_on_retry". (transfer full) */
char      *tb_store_dup_campaign_number_rule (TbStore        *self,
                                          gint64              campaign_id);
gboolean   tb_store_set_campaign_number_rule (TbStore        *self,
                                          gint64              campaign_id,
                                          const char         *rule,
                                          GError            **error);

G_END_DECLS
