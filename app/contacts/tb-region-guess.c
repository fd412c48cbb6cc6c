/* tb-region-guess.c — which country a contact file's national numbers are in, from the file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A number written with its country code (+86 138…, 0086…) says where the file's contacts
 * are: when most numbers that say it say the same country, the national ones of the file are
 * read there too. A file with Chinese column names, or in a Chinese encoding, is Chinese.
 * Otherwise nothing is guessed and the user's default region stands.
 */
#include "config.h"

#include "tb-phone.h"
#include "tb-region-guess.h"

#include <string.h>

static gboolean
has_han (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char_validated (p, -1);

    if (c == (gunichar) -1 || c == (gunichar) -2)
      return FALSE;
    if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  }
  return FALSE;
}

static gboolean
carries_country_code (const char *cell)
{
  while (*cell == ' ' || *cell == '\t' || *cell == '"' || *cell == '\'')
    cell++;
  return cell[0] == '+' || (cell[0] == '0' && cell[1] == '0');
}

char *
tb_region_guess (GPtrArray            *rows,
                 gboolean              has_header,
                 int                   phone_column,
                 const char           *encoding,
                 TbRegionGuessReason  *reason)
{
  g_autoptr(GHashTable) countries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *best = NULL;
  guint best_n = 0, with_code = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (rows != NULL, NULL);

  if (reason != NULL)
    *reason = TB_REGION_GUESS_NONE;
  for (guint r = has_header ? 1 : 0; phone_column >= 0 && r < rows->len; r++) {
    GStrv cells = g_ptr_array_index (rows, r);
    TbPhoneNumber number;
    char home[4];

    if ((guint) phone_column >= g_strv_length (cells) ||
        !carries_country_code (cells[phone_column]) ||
        !tb_phone_normalize (cells[phone_column], "US", &number, NULL) ||
        number.country[0] == '\0')
      continue;
    /* By calling code: +44 7911… is Guernsey, +44 20… Great Britain, one country for a file. */
    tb_phone_region_for_country_code (number.country_code, home);
    if (home[0] == '\0')
      continue;
    with_code++;
    g_hash_table_insert (countries, g_strdup (home),
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (
                           g_hash_table_lookup (countries, home)) + 1));
  }
  g_hash_table_iter_init (&iter, countries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > best_n) {
      best = key;
      best_n = GPOINTER_TO_UINT (value);
    }
  /* Most of the numbers that say it: a stray foreign number does not decide. */
  if (best != NULL && best_n * 2 > with_code && best_n >= 2) {
    if (reason != NULL)
      *reason = TB_REGION_GUESS_NUMBERS;
    return g_strdup (best);
  }

  if (encoding != NULL && (g_ascii_strcasecmp (encoding, "gbk") == 0 ||
                           g_ascii_strcasecmp (encoding, "gb18030") == 0 ||
                           g_ascii_strcasecmp (encoding, "gb2312") == 0)) {
    if (reason != NULL)
      *reason = TB_REGION_GUESS_CHINESE;
    return g_strdup ("CN");
  }
  if (has_header && rows->len > 0) {
    GStrv header = g_ptr_array_index (rows, 0);

    for (guint c = 0; header[c] != NULL; c++)
      if (has_han (header[c])) {
        if (reason != NULL)
          *reason = TB_REGION_GUESS_CHINESE;
        return g_strdup ("CN");
      }
  }
  return NULL;
}
