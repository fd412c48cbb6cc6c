/* tb-csv-writer.c — RFC 4180 fields and rows, and cells a spreadsheet will not run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exports end up in Excel, LibreOffice and WPS, and their cells come from
 * files and callers nobody checked: a name "=HYPERLINK(…)" or "@SUM(…)" would
 * be run, not shown. The one rule for that lives here, for every writer.
 */
#define G_LOG_DOMAIN "tb-csv-writer"

#include "config.h"

#include "tb-csv-writer.h"

#include <string.h>

void
tb_csv_append_field_len (GString    *out,
                         const char *field,
                         gsize       len,
                         char        delimiter)
{
  gboolean quote = FALSE;

  if (field == NULL)
    return;
  for (gsize i = 0; i < len; i++) {
    char c = field[i];

    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = TRUE;
      break;
    }
  }
  if (!quote && len > 0 && (field[0] == ' ' || field[len - 1] == ' '))
    quote = TRUE;
  if (!quote) {
    g_string_append_len (out, field, len);
    return;
  }
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++) {
    if (field[i] == '"')
      g_string_append_c (out, '"');
    g_string_append_c (out, field[i]);
  }
  g_string_append_c (out, '"');
}

void
tb_csv_append_field (GString    *out,
                     const char *field,
                     char        delimiter)
{
  if (field != NULL)
    tb_csv_append_field_len (out, field, strlen (field), delimiter);
}

void
tb_csv_append_row (GString            *out,
                   const char * const *fields,
                   guint               n,
                   char                delimiter)
{
  for (guint i = 0; i < n; i++) {
    if (i > 0)
      g_string_append_c (out, delimiter);
    tb_csv_append_field (out, fields[i], delimiter);
  }
  g_string_append (out, "\r\n");
}

static gboolean
is_e164 (const char *cell)
{
  gsize n = 0;

  if (cell[0] != '+')
    return FALSE;
  for (const char *p = cell + 1; *p; p++, n++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return n >= 1 && n <= 15;
}

gboolean
tb_csv_cell_is_formula (const char *cell)
{
  if (cell == NULL)
    return FALSE;
  switch (cell[0]) {
  case '=':
  case '-':
  case '@':
  case '\t':
  case '\r':
    return TRUE;
  case '+':
    /* "+12025550100" is read as the number 12025550100, which runs nothing;
     * prefixing every phone number would only make the column ugly. */
    return !is_e164 (cell);
  default:
    return FALSE;
  }
}

void
tb_csv_append_text_cell (GString    *out,
                         const char *cell,
                         char        delimiter)
{
  if (cell == NULL)
    return;
  if (tb_csv_cell_is_formula (cell)) {
    g_autofree char *text = g_strconcat ("'", cell, NULL);

    tb_csv_append_field (out, text, delimiter);
    return;
  }
  tb_csv_append_field (out, cell, delimiter);
}
