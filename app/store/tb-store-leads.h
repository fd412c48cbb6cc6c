/* tb-store-leads.h — graded calls, their transcripts and follow-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

typedef struct {
  const char *grades;       /* e.g. "AB"; NULL: every grade */
  gint64      campaign_id;  /* 0: every campaign */
  gint64      since;        /* ended at or after (µs); 0: any time */
  guint       limit;        /* 0: 10000 */
} TbLeadFilter;

typedef struct {
  gint64  attempt_id;
  gint64  campaign_id;
  char   *campaign;
  char   *name;
  char   *company;
  char   *e164;
  char   *grade;
  int     score;
  char   *reasons_json;
  char   *outcome;
  char   *recording;
  char   *follow_up;     /* new, contacted, won, lost */
  char   *notes;
  gint64  dialed_at;
  gint64  answered_at;
  gint64  ended_at;
  gboolean opt_out;
} TbLeadRow;

typedef struct {
  int     seq;
  char   *speaker;       /* bot, callee, system */
  char   *node;
  char   *text;
  char   *intent;
  double  confidence;
  gint64  started_at;
  gint64  ended_at;
} TbTurnRow;

void       tb_lead_row_free        (TbLeadRow *row);
void       tb_turn_row_free        (TbTurnRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbLeadRow, tb_lead_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbTurnRow, tb_turn_row_free)

/* Graded calls, newest first. (element-type TbLeadRow) (transfer full) */
GPtrArray *tb_store_list_leads     (TbStore            *self,
                                    const TbLeadFilter *filter,
                                    GError            **error);
/* One call's turns in order. (element-type TbTurnRow) (transfer full) */
GPtrArray *tb_store_list_turns     (TbStore            *self,
                                    gint64              attempt_id,
                                    GError            **error);
gboolean   tb_store_set_follow_up  (TbStore            *self,
                                    gint64              attempt_id,
                                    const char         *follow_up,
                                    const char         *notes,
                                    GError            **error);

G_END_DECLS
