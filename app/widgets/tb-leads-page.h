/* tb-leads-page.h — the Leads page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-calls-export.h"

G_BEGIN_DECLS

#define TB_TYPE_LEADS_PAGE (tb_leads_page_get_type ())
G_DECLARE_FINAL_TYPE (TbLeadsPage, tb_leads_page, TB, LEADS_PAGE, AdwBin)

/* Writes the leads the page shows (its grade and campaign filters) to @file,
 * atomically, in a thread of its own. The "leads.export" action asks for the
 * file with a GtkFileChooserNative and calls this. */
void                tb_leads_page_export_to_file_async  (TbLeadsPage          *self,
                                                         GFile                *file,
                                                         TbCallsExportFormat   format,
                                                         gboolean              bom,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean            tb_leads_page_export_to_file_finish (TbLeadsPage          *self,
                                                         GAsyncResult         *result,
                                                         guint64              *n_rows,
                                                         GError              **error);
/* JSON for .json, JSON lines for .jsonl and .ndjson, otherwise CSV. */
TbCallsExportFormat tb_leads_page_format_for_file       (GFile                *file);

G_END_DECLS
