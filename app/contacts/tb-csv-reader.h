/* tb-csv-reader.h — streaming RFC 4180 reader: encodings, delimiters, line numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TbCsvReader TbCsvReader;

typedef enum {
  TB_CSV_PROBLEM_NONE,
  TB_CSV_PROBLEM_QUOTE,      /* a quoted field not closed on its line (nor soon after) */
  TB_CSV_PROBLEM_TOO_LONG,   /* a record over 1 MiB */
  TB_CSV_PROBLEM_ENCODING,   /* not valid text in the file's encoding */
  TB_CSV_PROBLEM_NUL,        /* a NUL byte */
} TbCsvProblem;

typedef enum {
  TB_CSV_END,       /* no more records */
  TB_CSV_RECORD,    /* a record is available (check tb_csv_reader_get_problem ()) */
  TB_CSV_FAILED,    /* an I/O or decoding error, @error is set */
} TbCsvResult;

/* @encoding: NULL or "auto", "utf-8", "utf-16" (LE unless a BOM says BE), "utf-16le",
 * "utf-16be", "gbk", "gb18030", "latin-1" (read as Windows-1252, its superset) or any
 * iconv name. @delimiter: 0 detects ',', ';' or TAB. @name names the input in messages.
 *
 * Detection: a BOM (any number of them) decides; else UTF-16 by its NUL bytes; else
 * the lines with non-ASCII bytes are sampled over the whole file (when it can seek):
 * UTF-8 when most of them are UTF-8 (the others are rejected as records), else
 * GB18030 when they read as Chinese, else Latin-1. */
TbCsvReader *tb_csv_reader_new            (GInputStream  *stream,
                                           const char    *name,
                                           const char    *encoding,
                                           char           delimiter,
                                           GError       **error);
TbCsvReader *tb_csv_reader_new_for_path   (const char    *path,
                                           const char    *encoding,
                                           char           delimiter,
                                           GError       **error);
void         tb_csv_reader_free           (TbCsvReader   *self);

/* Reads the next record. Blank lines are skipped. A record with a problem is
 * still returned, with tb_csv_reader_get_problem () set, so callers reject the
 * row and go on. A quoted field that is still open 100 lines or 64 KiB past the
 * end of the line it opened on (or at the end of the file, or that closes with
 * text after its quote) is a stray quote: the record is rejected with the lines
 * up to that one, and reading resumes on the next line. */
TbCsvResult  tb_csv_reader_next           (TbCsvReader   *self,
                                           GError       **error);

/* The current record; the strings belong to the reader until the next call. */
const char * const *tb_csv_reader_get_fields (TbCsvReader *self,
                                           guint         *n_fields);
const char  *tb_csv_reader_get_problem    (TbCsvReader   *self);
TbCsvProblem tb_csv_reader_get_problem_kind (TbCsvReader *self);
/* The current record as the file has it (decoded to UTF-8 when the file is in
 * another encoding), without its final line break: for a rejected record, the
 * rejected lines whole. May hold NUL bytes. Rejected lines longer than 16 MiB
 * (no CSV: a binary file) are the one exception: their first 16 MiB. */
const char  *tb_csv_reader_get_text       (TbCsvReader   *self,
                                           gsize         *len);
/* Physical (1-based) lines where the current record starts and ends. */
guint64      tb_csv_reader_get_line       (TbCsvReader   *self);
guint64      tb_csv_reader_get_last_line  (TbCsvReader   *self);

const char  *tb_csv_reader_get_name       (TbCsvReader   *self);
/* The encoding read: "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "gb18030",
 * "latin-1", … */
const char  *tb_csv_reader_get_encoding   (TbCsvReader   *self);
/* Whether detection was sure: a BOM, UTF-16, or every sampled line agrees.
 * FALSE for a guess between legacy encodings or a file whose lines disagree;
 * answered for the detection even when an encoding was given. */
gboolean     tb_csv_reader_is_encoding_certain (TbCsvReader *self);
/* When detection was not sure: the encodings worth offering ("utf-8",
 * "gb18030", "latin-1"); else NULL. */
GStrv        tb_csv_reader_dup_candidates (TbCsvReader   *self);
/* The first line with non-ASCII bytes, decoded from @encoding (invalid bytes
 * show as U+FFFD), to show the user; NULL when every sampled line is ASCII. */
char        *tb_csv_reader_dup_sample     (TbCsvReader   *self,
                                           const char    *encoding);
char         tb_csv_reader_get_delimiter  (TbCsvReader   *self);
/* 0..1 of the input consumed when its size is known, else -1. */
double       tb_csv_reader_get_fraction   (TbCsvReader   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbCsvReader, tb_csv_reader_free)

G_END_DECLS
