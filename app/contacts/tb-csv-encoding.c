/* tb-csv-encoding.c — which encoding a CSV file is in, line by line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A whole-sample test ("is this UTF-8?") let one Latin-1 row turn a UTF-8
 * file into GB18030, every "é" into "茅", silently. So the guess counts lines:
 * a file whose non-ASCII lines are mostly UTF-8 is UTF-8 and the odd lines are
 * rejected (the reader says what they look like); a file with no UTF-8 lines is
 * GB18030 when its high bytes come in pairs that decode as such (Chinese text),
 * else Latin-1 (Windows-1252), whose accented letters stand alone between ASCII.
 */
#define G_LOG_DOMAIN "tb-csv-encoding"

#include "config.h"

#include "tb-csv-encoding.h"

#include <errno.h>
#include <string.h>

typedef struct {
  guint         valid;      /* lines with non-ASCII bytes that are UTF-8 */
  guint         invalid;    /* lines with non-ASCII bytes that are not */
  guint         chinese;    /* of those, lines that read as Chinese in GB18030 */
  const guint8 *sample;
  gsize         sample_len;
} LineStats;

/* UTF-8 apart from NUL bytes, which the reader rejects row by row. */
static gboolean
is_utf8 (const char *line,
         gsize       len)
{
  const char *end;

  while (!g_utf8_validate_len (line, len, &end)) {
    if (end == line + len || *end != '\0')
      return FALSE;
    len -= end - line + 1;
    line = end + 1;
  }
  return TRUE;
}

/* Chinese in GBK/GB18030: the high bytes come in runs of even length (two per
 * character) and the line decodes. Latin-1 letters mostly stand alone. */
static gboolean
looks_chinese (const char *line,
               gsize       len)
{
  g_autofree char *decoded = NULL;
  guint runs = 0, odd = 0, run = 0;

  for (gsize i = 0; i <= len; i++) {
    if (i < len && (guchar) line[i] >= 0x80) {
      run++;
      continue;
    }
    if (run > 0) {
      runs++;
      odd += run % 2;
      run = 0;
    }
  }
  if (runs == 0 || odd * 4 > runs)
    return FALSE;
  decoded = g_convert (line, len, "UTF-8", "GB18030", NULL, NULL, NULL);
  return decoded != NULL;
}

const char *
tb_csv_encoding_guess_line (const char *line,
                            gsize       len)
{
  return looks_chinese (line, len) ? "gb18030" : "latin-1";
}

/* Counts the complete lines of @data (and the last one when @last_complete). */
static void
scan_lines (LineStats    *st,
            const guint8 *data,
            gsize         len,
            gboolean      last_complete)
{
  const guint8 *p = data, *end = data + len;

  while (p < end) {
    const guint8 *nl = memchr (p, '\n', end - p);
    const guint8 *stop = nl != NULL ? nl : end;
    gboolean high = FALSE;

    if (nl == NULL && !last_complete)
      break;
    for (const guint8 *q = p; q < stop && !high; q++)
      high = *q >= 0x80;
    if (high) {
      if (st->sample == NULL) {
        st->sample = p;
        st->sample_len = stop - p;
        if (st->sample_len > 0 && p[st->sample_len - 1] == '\r')
          st->sample_len--;
      }
      if (is_utf8 ((const char *) p, stop - p)) {
        st->valid++;
      } else {
        st->invalid++;
        if (looks_chinese ((const char *) p, stop - p))
          st->chinese++;
      }
    }
    p = stop + 1;
  }
}

void
tb_csv_encoding_guess (const guint8       *head,
                       gsize               head_len,
                       gboolean            head_is_all,
                       const guint8       *more,
                       gsize               more_len,
                       TbCsvEncodingGuess *guess)
{
  gsize zero_even = 0, zero_odd = 0, sample = MIN (head_len, 4096);
  LineStats st = { 0 };

  memset (guess, 0, sizeof *guess);
  guess->certain = TRUE;
  if (head_len >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf) {
    guess->bom_len = 3;
    guess->encoding = "utf-8-bom";
    return;
  }
  if (head_len >= 2 && head[0] == 0xff && head[1] == 0xfe) {
    guess->bom_len = 2;
    guess->encoding = "utf-16le";
    return;
  }
  if (head_len >= 2 && head[0] == 0xfe && head[1] == 0xff) {
    guess->bom_len = 2;
    guess->encoding = "utf-16be";
    return;
  }
  for (gsize i = 0; i < sample; i++) {
    if (head[i] == 0) {
      if (i % 2)
        zero_odd++;
      else
        zero_even++;
    }
  }
  if (sample >= 4 && zero_odd > sample / 4 && zero_even < sample / 16) {
    guess->encoding = "utf-16le";
    return;
  }
  if (sample >= 4 && zero_even > sample / 4 && zero_odd < sample / 16) {
    guess->encoding = "utf-16be";
    return;
  }

  scan_lines (&st, head, head_len, head_is_all);
  if (more_len > 0)
    scan_lines (&st, more, more_len, TRUE);
  if (st.sample != NULL)
    guess->sample = g_bytes_new (st.sample, st.sample_len);

  guess->certain = st.invalid == 0;
  if (st.valid >= st.invalid)
    guess->encoding = "utf-8";
  else if (st.chinese * 4 >= st.invalid * 3)
    guess->encoding = "gb18030";   /* Chinese Excel and WPS save GBK; GB18030 is its superset */
  else
    guess->encoding = "latin-1";
}

void
tb_csv_encoding_guess_clear (TbCsvEncodingGuess *guess)
{
  g_clear_pointer (&guess->sample, g_bytes_unref);
}

const char *
tb_csv_encoding_canonical (const char *name)
{
  static const struct {
    const char *alias;
    const char *canonical;
  } names[] = {
    { "utf8", "utf-8" }, { "utf-8", "utf-8" },
    { "utf16", "utf-16" }, { "utf-16", "utf-16" },
    { "utf-16le", "utf-16le" }, { "utf-16be", "utf-16be" },
    { "gbk", "gbk" }, { "cp936", "gbk" }, { "gb18030", "gb18030" },
    /* What people call Latin-1 is what Windows writes: Windows-1252, a
     * superset of ISO 8859-1's letters with “smart quotes” and €. */
    { "latin-1", "latin-1" }, { "latin1", "latin-1" }, { "iso-8859-1", "latin-1" },
    { "iso8859-1", "latin-1" }, { "cp1252", "latin-1" }, { "windows-1252", "latin-1" },
  };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (lower, names[i].alias))
      return names[i].canonical;
  return NULL;
}

const char *
tb_csv_encoding_iconv_name (const char *encoding)
{
  if (g_str_equal (encoding, "utf-8") || g_str_equal (encoding, "utf-8-bom"))
    return NULL;
  if (g_str_equal (encoding, "utf-16le") || g_str_equal (encoding, "utf-16"))
    return "UTF-16LE";
  if (g_str_equal (encoding, "utf-16be"))
    return "UTF-16BE";
  if (g_str_equal (encoding, "gbk"))
    return "GBK";
  if (g_str_equal (encoding, "gb18030"))
    return "GB18030";
  if (g_str_equal (encoding, "latin-1"))
    return "WINDOWS-1252";
  return encoding;
}

char *
tb_csv_encoding_decode_lossy (const char *bytes,
                              gsize       len,
                              const char *encoding)
{
  const char *from = tb_csv_encoding_iconv_name (encoding);
  GString *out;
  GIConv cd;
  char *in = (char *) bytes;
  gsize in_left = len;

  if (from == NULL || (cd = g_iconv_open ("UTF-8", from)) == (GIConv) -1)
    return g_utf8_make_valid (bytes, len);
  out = g_string_sized_new (len * 2);
  while (in_left > 0) {
    char buf[256];
    char *o = buf;
    gsize o_left = sizeof buf;
    gsize r = g_iconv (cd, &in, &in_left, &o, &o_left);

    g_string_append_len (out, buf, o - buf);
    if (r == (gsize) -1 && errno != E2BIG) {
      g_string_append (out, "\xef\xbf\xbd");
      in++;
      in_left--;
      g_iconv (cd, NULL, NULL, NULL, NULL);
    }
  }
  g_iconv_close (cd);
  return g_string_free (out, FALSE);
}
