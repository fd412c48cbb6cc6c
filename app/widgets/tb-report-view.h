/* tb-report-view.h — a campaign's report in a window of its own: which script works
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-campaign-report.h"

G_BEGIN_DECLS

#define TB_TYPE_REPORT_VIEW (tb_report_view_get_type ())
G_DECLARE_FINAL_TYPE (TbReportView, tb_report_view, TB, REPORT_VIEW, AdwWindow)

typedef enum {
  TB_REPORT_EXPORT_CSV,   /* the same CSV as telebot-cli campaign report --format csv */
  TB_REPORT_EXPORT_PDF,   /* the one-page summary */
  TB_REPORT_EXPORT_PNG,
} TbReportExport;

/* Opens over @parent and computes the report of @campaign_id from the database at @db_path,
 * in a thread with its own connection. */
GtkWidget        *tb_report_view_new           (GtkWindow            *parent,
                                                const char           *db_path,
                                                gint64                campaign_id);
gint64            tb_report_view_get_campaign_id (TbReportView       *self);
/* TRUE while the report is being computed. */
gboolean          tb_report_view_is_loading    (TbReportView         *self);
/* (nullable) (transfer none): the report shown, NULL while loading or on an error. */
TbCampaignReport *tb_report_view_get_report    (TbReportView         *self);
void              tb_report_view_reload        (TbReportView         *self);
/* CSV by default; PDF for .pdf, PNG for .png. */
TbReportExport    tb_report_view_export_for_file (GFile              *file);
/* Computes the report afresh and writes it to @file, atomically, in a thread of its own. The
 * "report.export-csv" and "report.export-page" actions ask for the file with a
 * GtkFileChooserNative and call this. */
void              tb_report_view_export_async  (TbReportView         *self,
                                                GFile                *file,
                                                TbReportExport        kind,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean          tb_report_view_export_finish (TbReportView         *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
