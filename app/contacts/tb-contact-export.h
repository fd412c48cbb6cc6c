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

G_END_DECLS
