/* tb-csv-encoding.h — which encoding a CSV file is in, line by line (internal to the reader)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *encoding;   /* canonical (see tb_csv_encoding_canonical ()), static */
  gsize       bom_len;    /* bytes of byte-order marks to skip */
  gboolean    certain;
  GBytes     *sample;     /* the first line with non-ASCII bytes, as in the file; or NULL */
} TbCsvEncodingGuess;

/* Guesses from @head (the start of the file; @head_is_all when it is the whole
 * file) and @more (complete lines from elsewhere in the file, may be empty). */
void         tb_csv_encoding_guess         (const guint8       *head,
                                            gsize               head_len,
                                            gboolean            head_is_all,
                                            const guint8       *more,
                                            gsize               more_len,
                                            TbCsvEncodingGuess *guess);
void         tb_csv_encoding_guess_clear   (TbCsvEncodingGuess *guess);

/* "utf-8", "utf-16", "utf-16le", "utf-16be", "gbk", "gb18030" or "latin-1" for the
 * names users and tools give them; NULL for any other name. */
const char  *tb_csv_encoding_canonical     (const char         *name);
/* The iconv name to decode a canonical (or any other) name with; NULL for UTF-8. */
const char  *tb_csv_encoding_iconv_name    (const char         *encoding);
/* What a line that is not UTF-8 most likely is: "gb18030" or "latin-1". */
const char  *tb_csv_encoding_guess_line    (const char         *line,
                                            gsize               len);
/* @len bytes decoded from @encoding to UTF-8, each invalid byte as U+FFFD. */
char        *tb_csv_encoding_decode_lossy  (const char         *bytes,
                                            gsize               len,
                                            const char         *encoding);

G_END_DECLS
