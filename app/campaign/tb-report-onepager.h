/* tb-report-onepager.h — a campaign's report as one A4 page (PDF or PNG), and the words of
 * its table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free (cairo and pangocairo only), so that the window and telebot-cli write the same
 * page; the window's Report view uses the same table rows.
 */
#pragma once

#include "tb-campaign-report.h"
#include "tb-script.h"

G_BEGIN_DECLS

typedef enum {
  TB_ONEPAGER_PDF,
  TB_ONEPAGER_PNG,
} TbOnepagerFormat;

/* A4 at 150 dots per inch. */
#define TB_ONEPAGER_PNG_WIDTH  1240
#define TB_ONEPAGER_PNG_HEIGHT 1754

/* The rows of the per-variant table: dialed, answered, connect rates, … */
guint     tb_report_table_n_rows             (void);
const char *tb_report_table_row_title        (guint              row);
/* The cell of @row for variant @variant (an index), as a person reads it ("—": undefined). */
char     *tb_report_table_dup_cell           (TbCampaignReport  *report,
                                              guint              row,
                                              guint              variant);
/* "Variant A" with its script's name under it. */
char     *tb_report_dup_variant_title        (TbCampaignReport  *report,
                                              guint              variant);
/* "Under 10 s" … "Over 60 s": the talk-time histogram's buckets. */
const char *tb_report_talk_bucket_title      (guint              bucket);
/* "1 Dec 2026 – 3 Dec 2026" (the calls' span, in the local time zone), or NULL. */
char     *tb_report_dup_span                 (TbCampaignReport  *report);

/* By @path's extension (.pdf, .png, any case); FALSE for another one. */
gboolean  tb_report_onepager_format_for_path (const char        *path,
                                              TbOnepagerFormat  *format);
/* Writes @report as one A4 page to @path. @script (nullable) names the funnel's nodes. */
gboolean  tb_report_onepager_write           (TbCampaignReport  *report,
                                              TbScript          *script,
                                              const char        *path,
                                              TbOnepagerFormat   format,
                                              GError           **error);

G_END_DECLS
