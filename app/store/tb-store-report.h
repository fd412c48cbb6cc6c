/* tb-store-report.h — aggregate queries behind a campaign's report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every row is per script variant ("A".."C"; a campaign with one script is variant "A"), read
 * from what each attempt recorded when it was dialed, never recomputed.
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* Outcomes that say nothing about the callee: our line, the network or our own shutdown. */
#define TB_REPORT_LINE_FAILURES \
  "('failed', 'media_timeout', 'media_failure', 'interrupted', 'cancelled')"

typedef struct {
  char   *variant;
  char   *script_name;     /* NULL: unknown */
  gint64  dialed;          /* attempts */
  gint64  answered;
  gint64  line_failures;   /* outcome in TB_REPORT_LINE_FAILURES */
  gint64  completed;       /* graded, and neither hung up on nor a voicemail */
  gint64  grades[5];       /* A..E */
  gint64  opt_outs;
  gint64  talk_us;         /* answered → ended, summed over answered calls */
  gint64  talked;          /* answered calls with an end time */
  gint64  line_us;         /* dialed → ended, summed: the time the line was held */
  gint64  talk_hist[4];    /* < 10 s, 10–30 s, 30–60 s, ≥ 60 s */
} TbReportVariantRow;

/* One (variant, key[, key2]) count: a node of the funnel, an intent, an hour's outcome. */
typedef struct {
  char   *variant;
  char   *key;
  char   *key2;
  gint64  count;
  gint64  count2;
  gint64  count3;
  gint64  time;            /* hours: the hour's start, µs since the epoch (UTC) */
} TbReportCountRow;

/* A callee turn with words and no intent: a no-match, or an intent heard below the script's
 * min_confidence (the dialog writes those with no intent). */
typedef struct {
  char   *variant;
  char   *node;            /* where the callee said it; NULL: unknown */
  char   *text;
  gint64  attempt_id;
  char   *recording;       /* the call's recording; NULL: none */
} TbReportMissRow;

void tb_report_miss_row_free    (TbReportMissRow    *row);
void tb_report_variant_row_free (TbReportVariantRow *row);
void tb_report_count_row_free   (TbReportCountRow   *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbReportVariantRow, tb_report_variant_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbReportCountRow, tb_report_count_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbReportMissRow, tb_report_miss_row_free)

/* (element-type TbReportVariantRow): one per variant that has attempts, by label. */
GPtrArray *tb_store_report_variants (TbStore  *self,
                                     gint64    campaign_id,
                                     GError  **error);
/* Per node: @key node, @count attempts that reached it, @count2 attempts whose last turn was
 * there, @count3 of those the callee hung up. By variant, then most reached first. */
GPtrArray *tb_store_report_funnel   (TbStore  *self,
                                     gint64    campaign_id,
                                     GError  **error);
/* Per node and intent heard there: @key node, @key2 intent, @count attempts. */
GPtrArray *tb_store_report_routes   (TbStore  *self,
                                     gint64    campaign_id,
                                     GError  **error);
/* Per intent the callees said: @key intent, @count turns, most first. */
GPtrArray *tb_store_report_intents  (TbStore  *self,
                                     gint64    campaign_id,
                                     GError  **error);
/* Per hour dialed (@time, UTC), callee time zone (@key2, NULL: unknown) and outcome (@key):
 * @count attempts. The report turns the hours into the callees' local hour of day. */
GPtrArray *tb_store_report_hours    (TbStore  *self,
                                     gint64    campaign_id,
                                     GError  **error);
/* tb_store_report_funnel(), _routes() and _intents() at once, in one pass over the turns:
 * the same rows in the same order (the report uses this; the three queries say what it
 * computes, and tests hold it to them). */
gboolean   tb_store_report_turns    (TbStore    *self,
                                     gint64      campaign_id,
                                     GPtrArray **funnel,
                                     GPtrArray **routes,
                                     GPtrArray **intents,
                                     GError    **error);
/* (element-type TbReportMissRow): every callee turn not understood (keys pressed aside),
 * in call order. */
GPtrArray *tb_store_report_misses   (TbStore  *self,
                                     gint64    campaign_id,
                                     GError  **error);

G_END_DECLS
