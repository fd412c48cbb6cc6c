/* fuzz-csv.c — libFuzzer target for the CSV reader and the column mapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks the encoding override and the delimiter, the rest is
 * the file. Every record is read, mapped and written back with the CSV
 * writer; a rejected record's text is written too, and the encoding's
 * samples decoded; nothing may crash, hang or leak, whatever the bytes.
 */
#include "config.h"

#include <gio/gio.h>

#include "tb-contact-mapping.h"
#include "tb-csv-reader.h"
#include "tb-csv-writer.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char * const encodings[] = { NULL, "utf-8", "utf-16", "gbk", "gb18030",
                                            "utf-16be", "auto", "latin1" };
  static const char delimiters[] = { 0, ',', ';', '\t' };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(TbCsvReader) reader = NULL;
  g_autoptr(TbContactMapping) mapping = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) candidates = NULL;
  TbCsvResult r;
  guint8 control;
  guint64 last_line = 0;

  if (size < 1)
    return 0;
  control = data[0];
  stream = g_memory_input_stream_new_from_data (data + 1, size - 1, NULL);
  reader = tb_csv_reader_new (stream, "fuzz.csv", encodings[control & 7],
                              delimiters[(control >> 3) & 3], &error);
  if (reader == NULL)
    return 0;
  candidates = tb_csv_reader_dup_candidates (reader);
  g_assert ((candidates == NULL) == tb_csv_reader_is_encoding_certain (reader));
  for (guint i = 0; candidates != NULL && candidates[i] != NULL; i++) {
    g_autofree char *sample = tb_csv_reader_dup_sample (reader, candidates[i]);

    g_assert (sample == NULL || g_utf8_validate (sample, -1, NULL));
  }

  while ((r = tb_csv_reader_next (reader, &error)) == TB_CSV_RECORD) {
    guint n = 0;
    const char * const *fields = tb_csv_reader_get_fields (reader, &n);

    g_assert (fields[n] == NULL);
    g_assert (tb_csv_reader_get_line (reader) >= 1);
    /* Records come in order and never overlap, stray quotes or not. */
    g_assert (tb_csv_reader_get_line (reader) > last_line);
    g_assert (tb_csv_reader_get_last_line (reader) >= tb_csv_reader_get_line (reader));
    last_line = tb_csv_reader_get_last_line (reader);
    g_assert ((tb_csv_reader_get_problem (reader) == NULL) ==
              (tb_csv_reader_get_problem_kind (reader) == TB_CSV_PROBLEM_NONE));
    if (tb_csv_reader_get_problem (reader) == NULL) {
      for (guint i = 0; i < n; i++)
        g_assert (g_utf8_validate (fields[i], -1, NULL));
    } else {
      gsize len = 0;
      const char *text = tb_csv_reader_get_text (reader, &len);

      g_assert (text != NULL && text[len] == '\0');
      g_string_truncate (out, 0);
      tb_csv_append_field_len (out, text, len, ',');
    }
    if (mapping == NULL) {
      mapping = tb_contact_mapping_new_from_first_row (fields, n);
      tb_contact_mapping_apply_spec (mapping, "phone=1,name=Name", NULL);
    } else {
      tb_contact_mapping_guess_from_row (mapping, fields, n);
    }
    g_string_truncate (out, 0);
    tb_csv_append_row (out, fields, n, tb_csv_reader_get_delimiter (reader));
  }
  g_assert ((r == TB_CSV_FAILED) == (error != NULL));
  return 0;
}
