/* tb-contact-export.h — contacts to CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-store.h"

G_BEGIN_DECLS

/* Writes the contacts of @list_id (0: all lists) as UTF-8 CSV (RFC 4180,
 * CRLF): name, phone (E.164), company, email, timezone, persona, then one
 * column per custom field. @bom prepends a UTF-8 BOM, which Excel needs to
 * read UTF-8. Cells that a spreadsheet would run as formulas are written as
 * text (tb_csv_append_text_cell ()). Returns the number of rows written, or -1
 * with @error set. */
gint64 tb_contacts_export (TbStore        *store,
                           gint64          list_id,
                           GOutputStream  *out,
                           gboolean        bom,
                           GCancellable   *cancellable,
                           GError        **error);

/* The same into @file (created or replaced, readable by its owner alone: names and numbers),
 * in a thread with its own connection to @store's database, so a long list neither freezes
 * the window nor shares its connection. Cancelling stops between two rows and leaves the
 * file as it was. The finish returns the rows written, or -1 with @error set. */
void   tb_contacts_export_file_async  (TbStore             *store,
                                       gint64               list_id,
                                       GFile               *file,
                                       gboolean             bom,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gint64 tb_contacts_export_file_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
