/* tb-calls-export.h — calls and leads to CSV or JSON, for spreadsheets and CRMs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV: UTF-8, RFC 4180 (CRLF rows, fields quoted when they hold a comma, a
 * quote, CR or LF, quotes doubled), an optional byte-order mark so Excel reads
 * UTF-8, one column per custom contact field after the fixed ones; cells that a
 * spreadsheet would run as formulas are written as text (tb-csv-writer.h).
 * JSON: one array, or JSON lines (one object per line).
 */
#pragma once

#include <gio/gio.h>

#include "tb-store.h"

G_BEGIN_DECLS

typedef enum {
  TB_CALLS_EXPORT_CSV,
  TB_CALLS_EXPORT_JSON,
  TB_CALLS_EXPORT_JSON_LINES,
} TbCallsExportFormat;

typedef struct {
  TbCallsExportFormat  format;
  gboolean             bom;          /* CSV only: start with U+FEFF */
  gboolean             leads_only;   /* each contact's latest graded attempt */
  gint64               campaign_id;  /* 0: every campaign */
  const char * const  *grades;       /* NULL: any */
} TbCallsExportOptions;

/* The fixed CSV columns, in order (custom fields follow). */
const char * const *tb_calls_export_get_columns (void);

/* Writes the calls @options selects to @out. Sets *@n_rows (may be NULL). */
gboolean tb_calls_export_write (TbStore                     *store,
                                const TbCallsExportOptions  *options,
                                GOutputStream               *out,
                                GCancellable                *cancellable,
                                guint64                     *n_rows,
                                GError                     **error);

/* The same in a thread of its own with its own connection to @db_path (a long
 * export never blocks the window): writes @file atomically (a failed or
 * cancelled export leaves any previous file as it was). */
void     tb_calls_export_to_file_async  (const char                  *db_path,
                                         const TbCallsExportOptions  *options,
                                         GFile                       *file,
                                         GCancellable                *cancellable,
                                         GAsyncReadyCallback          callback,
                                         gpointer                     user_data);
gboolean tb_calls_export_to_file_finish (GAsyncResult                *result,
                                         guint64                     *n_rows,
                                         GError                     **error);

G_END_DECLS
