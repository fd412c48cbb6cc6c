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
  char   *timezone;      /* the callee's IANA zone, or NULL */
} TbLeadRow;

void       tb_lead_row_free        (TbLeadRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbLeadRow, tb_lead_row_free)

/* Graded calls, newest first. (element-type TbLeadRow) (transfer full) */
GPtrArray *tb_store_list_leads     (TbStore            *self,
                                    const TbLeadFilter *filter,
                                    GError            **error);
G_END_DECLS
