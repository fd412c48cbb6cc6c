/* tb-test-csv.c — a strict RFC 4180 reader for tests that check what exports write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-test-csv.h"

GPtrArray *
tb_test_parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;
  gboolean quoted = FALSE;

  while (*p) {
    if (quoted) {
      if (*p == '"' && p[1] == '"') {
        g_string_append_c (field, '"');
        p += 2;
      } else if (*p == '"') {
        quoted = FALSE;
        p++;
      } else {
        g_string_append_c (field, *p++);
      }
    } else if (*p == '"') {
      g_assert_cmpuint (field->len, ==, 0);
      quoted = TRUE;
      p++;
    } else if (*p == ',') {
      g_ptr_array_add (row, g_string_free (field, FALSE));
      field = g_string_new (NULL);
      p++;
    } else if (*p == '\r' && p[1] == '\n') {
      g_ptr_array_add (row, g_string_free (field, FALSE));
      field = g_string_new (NULL);
      g_ptr_array_add (rows, row);
      row = g_ptr_array_new_with_free_func (g_free);
      p += 2;
    } else {
      g_assert_true (*p != '\n' && *p != '\r');
      g_string_append_c (field, *p++);
    }
  }
  g_assert_false (quoted);
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (row->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (row);
  return rows;
}

int
tb_test_csv_column (GPtrArray  *header,
                    const char *name)
{
  for (guint i = 0; i < header->len; i++)
    if (g_str_equal (g_ptr_array_index (header, i), name))
      return i;
  g_assert_not_reached ();
  return -1;
}
