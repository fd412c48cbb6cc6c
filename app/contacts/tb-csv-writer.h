/* tb-csv-writer.h — RFC 4180 fields and rows, and cells a spreadsheet will not run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends one field as it is, quoted per RFC 4180 when it needs to be. */
void         tb_csv_append_field          (GString            *out,
                                           const char         *field,
                                           char                delimiter);
/* The same for @len bytes (which may hold NUL bytes). */
void         tb_csv_append_field_len      (GString            *out,
                                           const char         *field,
                                           gsize               len,
                                           char                delimiter);
/* Appends @n fields separated by @delimiter and a CRLF (RFC 4180). */
void         tb_csv_append_row            (GString            *out,
                                           const char * const *fields,
                                           guint               n,
                                           char                delimiter);

/* Whether a spreadsheet could run @cell as a formula (CSV injection): it starts
 * with '=', '+', '-', '@', a TAB or a CR. A number in E.164 ("+" and 1 to 15
 * digits, nothing else) is a number to every spreadsheet, not a formula. */
gboolean     tb_csv_cell_is_formula       (const char         *cell);
/* Appends one cell of an export: a formula gets a leading "'" so spreadsheets
 * show it as text (OWASP's advice), then it is quoted per RFC 4180. Every CSV
 * export (contacts, calls, leads) writes its cells with this. */
void         tb_csv_append_text_cell      (GString            *out,
                                           const char         *cell,
                                           char                delimiter);

G_END_DECLS
