/* tb-campaign-report.h — which script works: a campaign's figures per variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Computed from the store (tb-store-report.h); the CLI and the window only show it.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-store.h"

G_BEGIN_DECLS

typedef struct _TbCampaignReport TbCampaignReport;

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
const char       *tb_campaign_report_get_campaign (TbCampaignReport *self);
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
