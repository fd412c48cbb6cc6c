/* tb-campaign-report.h — which script works: a campaign's figures per variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Computed from the store (tb-store-report.h); the CLI and the window only show it.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-store.h"
#include "tb-store-report.h"

G_BEGIN_DECLS

typedef struct _TbCampaignReport TbCampaignReport;

/* A variant's derived figures, NAN when undefined (no answered call, no lead). */
typedef struct {
  gint64 leads_ab;
  double connect_rate;                         /* per 100 dialed */
  double connect_rate_without_line_failures;
  double leads_per_100;                        /* A/B leads per 100 answered */
  double opt_outs_per_100;
  double average_talk_seconds;
  double line_minutes;
  double line_minutes_per_lead;
} TbReportFigures;

/* The first variant against another one, on A/B leads per 100 answered. */
typedef struct {
  const char *variant;        /* the better one */
  const char *versus;
  double      rate;
  double      versus_rate;
  double      low;            /* the difference's 95 % interval, per 100; NAN if unknown */
  double      high;
  gboolean    significant;    /* the interval excludes zero */
  const char *sentence;
} TbReportComparison;

/* The talk-time buckets' keys, as the JSON and the CSV name them: "<10s" … ">60s". */
#define TB_REPORT_TALK_BUCKETS 4
const char       *tb_report_talk_bucket_key    (guint              i);

/* The Wilson score interval of @x successes in @n trials (95 %: z = 1.959964). FALSE when
 * @n is 0. */
gboolean          tb_report_wilson_interval    (gint64             x,
                                                gint64             n,
                                                double            *low,
                                                double            *high);
/* The 95 % interval of p1 − p2 = @x1/@n1 − @x2/@n2 by Newcombe's hybrid score method (1998,
 * method 10: from the two Wilson intervals, no continuity correction). FALSE when a @n is 0. */
gboolean          tb_report_difference_interval (gint64            x1,
                                                 gint64            n1,
                                                 gint64            x2,
                                                 gint64            n2,
                                                 double           *low,
                                                 double           *high);

TbCampaignReport *tb_campaign_report_new       (TbStore           *store,
                                                gint64             campaign_id,
                                                GError           **error);
void              tb_campaign_report_free      (TbCampaignReport  *self);
/* What the data says about the first comparison: "variant B: 9.1 A/B leads per 100 answered
 * vs 6.2 for A (…)" when its interval excludes zero, else "not enough calls yet to tell";
 * NULL with one variant. */
const char       *tb_campaign_report_get_verdict (TbCampaignReport *self);
const char       *tb_campaign_report_get_campaign   (TbCampaignReport  *self);
/* All variants' attempts: 0 for a campaign that has called nobody yet. */
gint64            tb_campaign_report_get_n_dialed    (TbCampaignReport  *self);
/* The hours the first and the last call were dialed in (µs since the epoch, UTC, the hour's
 * start); FALSE without calls. */
gboolean          tb_campaign_report_get_span        (TbCampaignReport  *self,
                                                      gint64            *first,
                                                      gint64            *last);
guint             tb_campaign_report_get_n_variants  (TbCampaignReport  *self);
const TbReportVariantRow *tb_campaign_report_get_variant (TbCampaignReport *self,
                                                      guint              i);
void              tb_campaign_report_get_figures     (TbCampaignReport  *self,
                                                      guint              i,
                                                      TbReportFigures   *figures);
/* (element-type TbReportCountRow) (transfer none): by variant, then most reached first:
 * @key node, @count reached, @count2 ended there, @count3 hung up there. */
GPtrArray        *tb_campaign_report_get_funnel      (TbCampaignReport  *self);
/* (element-type TbReportCountRow) (transfer none): by variant, the most heard first: @key
 * intent, @count turns. */
GPtrArray        *tb_campaign_report_get_intents     (TbCampaignReport  *self);
/* Calls per local hour of day (0–23) of @variant (NULL: all) with @outcome (NULL: any),
 * added to @counts. */
void              tb_campaign_report_add_hours       (TbCampaignReport  *self,
                                                      const char        *variant,
                                                      const char        *outcome,
                                                      gint64             counts[24]);
guint             tb_campaign_report_get_n_comparisons (TbCampaignReport *self);
void              tb_campaign_report_get_comparison  (TbCampaignReport  *self,
                                                      guint              i,
                                                      TbReportComparison *comparison);
/* The name of the script variant @variant ran ("A".."C"); NULL: unknown. */
const char       *tb_campaign_report_get_script (TbCampaignReport *self,
                                                 const char       *variant);
/* (element-type TbNotUnderstoodGroup) (transfer none): what callees said that the robot did
 * not understand, grouped (tb-not-understood.h); opt-out-like groups first. */
GPtrArray        *tb_campaign_report_get_not_understood (TbCampaignReport *self);
JsonNode         *tb_campaign_report_to_json   (TbCampaignReport  *self);
/* One section per table: its name on a line, a header row, its rows, then an empty line. */
char             *tb_campaign_report_to_csv    (TbCampaignReport  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbCampaignReport, tb_campaign_report_free)

G_END_DECLS
