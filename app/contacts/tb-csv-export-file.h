/* tb-csv-export-file.h — an export into a file, in a thread with its own connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-store.h"

G_BEGIN_DECLS

/* Writes the export into @out; returns the rows written, or -1 with @error set. */
typedef gint64 (*TbCsvExportFunc) (TbStore        *store,
                                   GOutputStream  *out,
                                   gpointer        data,
                                   GCancellable   *cancellable,
                                   GError        **error);

/* Runs @func into @file (created or replaced, readable by its owner alone: exports hold names
 * and numbers) in a thread with its own connection to @store's database, so a long export
 * neither freezes the window nor shares its connection. @data goes to @func and is freed
 * with @data_free. g_file_replace writes beside the file and renames on close: a cancelled
 * or failed export leaves the old file whole. The finish returns the rows written, or -1
 * with @error set. */
void   tb_csv_export_file_async  (TbStore             *store,
                                  GFile               *file,
                                  TbCsvExportFunc      func,
                                  gpointer             data,
                                  GDestroyNotify       data_free,
                                  gpointer             source_tag,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gint64 tb_csv_export_file_finish (GAsyncResult        *result,
                                  GError             **error);

/* Writes what @pending holds to @out and empties it, once it holds @at_least bytes (0: now,
 * for the last rows). Exports build rows in a GString and write them in large pieces. */
gboolean tb_csv_write_pending    (GOutputStream       *out,
                                  GString             *pending,
                                  gsize                at_least,
                                  GCancellable        *cancellable,
                                  GError             **error);

/* The size exports write their rows in. */
#define TB_CSV_WRITE_CHUNK (64 * 1024)

G_END_DECLS
