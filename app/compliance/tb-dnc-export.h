/* tb-dnc-export.h — the do-not-call list to CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-store.h"

G_BEGIN_DECLS

/* Writes every entry of the do-not-call list, oldest first, as UTF-8 CSV (RFC 4180, CRLF):
 * number (E.164), source (manual, import, speech, dtmf, registry), reason, added (ISO 8601,
 * UTC), expires (ISO 8601, UTC; empty: never). Cells a spreadsheet would run as formulas are
 * written as text. Returns the rows written, or -1 with @error set. */
gint64 tb_dnc_export                (TbStore             *store,
                                     GOutputStream       *out,
                                     GCancellable        *cancellable,
                                     GError             **error);

/* The same into @file, created or replaced 0600, in a thread of its own
 * (tb_csv_export_file_async ()). */
void   tb_dnc_export_file_async     (TbStore             *store,
                                     GFile               *file,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gint64 tb_dnc_export_file_finish    (GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS
