/* tb-csv-reader.c — streaming RFC 4180 reader: encodings, delimiters, line numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads in fixed chunks and reuses one record buffer, so memory stays constant
 * whatever the file's size, and a row costs no allocation. Files come from
 * Excel, WPS and CRMs: UTF-8 with or without BOM, UTF-16 with BOM, GBK/GB18030,
 * Latin-1 (tb-csv-encoding.c guesses which).
 *
 * No lead is lost to one bad byte: a stray quote costs its own line (the
 * reader reads the lines it ran over again), a line in another encoding or
 * with a NUL byte is one rejected record, and each rejected record's text is
 * kept whole for the rejects file.
 */
#define G_LOG_DOMAIN "tb-csv-reader"

#include "config.h"

#include "tb-csv-encoding.h"
#include "tb-csv-reader.h"

#include <string.h>

#define CHUNK_SIZE       (64 * 1024)
#define MAX_RECORD_SIZE  (1024 * 1024)
#define MAX_TEXT_SIZE    (16 * 1024 * 1024)
/* How far a quoted field may run past the end of the line it opened on:
 * notes with line breaks fit, a stray quote is found within a screenful. */
#define MAX_QUOTED_LINES 100
#define MAX_QUOTED_BYTES (64 * 1024)
/* Samples across the file for the encoding guess, besides its first chunk. */
#define N_WINDOWS        8
#define WINDOW_SIZE      (32 * 1024)
#define NO_OFFSET        G_MAXSIZE

#define PROBLEM_STRAY_QUOTE "a quoted field runs past the end of its line (a stray quote?)"
#define PROBLEM_EOF_QUOTE   "a quoted field is not closed before the end of the file"

typedef enum {
  STATE_FIELD_START,
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE_IN_QUOTED,
} State;

struct _TbCsvReader
{
  /* owned */
  char              *name;
  GInputStream      *raw;        /* the caller's stream, for progress */
  GInputStream      *input;      /* decoded UTF-8 */
  char              *encoding;
  char               delimiter;
  goffset            size;       /* -1: unknown */
  gboolean           utf8_input; /* read as it is: invalid bytes reach the records */
  TbCsvEncodingGuess guess;

  char              *buf;
  gsize              buf_size;
  gsize              buf_len;
  gsize              buf_pos;
  gboolean           eof;
  gboolean           pending_cr; /* a CR ended the last record; swallow one LF */
  gboolean           skip_line;  /* the rest of a line too long to keep */

  GString           *record;     /* fields, each NUL-terminated */
  GArray            *starts;     /* guint offsets into record */
  GPtrArray         *fields;     /* char * into record, NULL-terminated */
  gboolean           overflow;
  TbCsvProblem       kind;
  const char        *problem;

  /* The record's text as read: what went through earlier chunks is in @text
   * (@text_seen bytes of it), the rest is still in buf from @text_start. Its
   * length is @text_end once the record is complete. */
  GString           *text;
  gsize              text_seen;
  gsize              text_start;
  gsize              text_end;
  gboolean           text_done;  /* @text holds the whole record */

  /* The quoted field being read, once it spans a line break. */
  guint64            quote_line;
  gsize              quote_nl;   /* its first line break's offset in the text, or NO_OFFSET */
  guint              quote_record_len;
  guint              quote_lines;

  guint64            line;       /* physical line at buf_pos */
  guint64            first_line;
  guint64            last_line;
};

static inline gsize
text_offset (TbCsvReader *self)
{
  return self->text_seen + (self->buf_pos - self->text_start);
}

/* Reads the next chunk; the current record's part of this one goes to its text first. */
static gboolean
fill (TbCsvReader  *self,
      GError      **error)
{
  gsize tail = self->buf_len - self->text_start;
  gssize n;

  if (tail > 0 && self->text->len < MAX_TEXT_SIZE)
    g_string_append_len (self->text, self->buf + self->text_start,
                         MIN (tail, MAX_TEXT_SIZE - self->text->len));
  self->text_seen += tail;
  self->text_start = self->buf_pos = self->buf_len = 0;
  if (self->eof)
    return FALSE;
  n = g_input_stream_read (self->input, self->buf, CHUNK_SIZE, NULL, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    self->eof = TRUE;
  self->buf_len = n;
  return n > 0;
}

/* Counts candidate delimiters outside quotes on the first lines of @text and
 * picks the one used consistently; ties go to the comma. */
static char
detect_delimiter (const char *text,
                  gsize       len)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[10][3] = { { 0 } };
  guint n_lines = 0;
  gboolean quoted = FALSE;
  char best = ',';
  guint best_score = 0;

  for (gsize i = 0; i < len && n_lines < G_N_ELEMENTS (counts); i++) {
    char c = text[i];

    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '\n' || c == '\r')) {
      if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
        i++;
      n_lines++;
    } else if (!quoted) {
      for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
        if (c == candidates[k])
          counts[n_lines][k]++;
    }
  }
  if (n_lines < G_N_ELEMENTS (counts))
    n_lines++;   /* the last, unterminated line */

  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++) {
    gboolean consistent = counts[0][k] > 0;
    guint score;

    for (guint l = 1; l < n_lines && consistent; l++)
      if (counts[l][k] != counts[0][k] && !(l == n_lines - 1 && counts[l][k] == 0))
        consistent = FALSE;
    score = counts[0][k] + (consistent ? 1000 : 0);
    if (score > best_score) {
      best_score = score;
      best = candidates[k];
    }
  }
  return best;
}

/* Whole lines from across a seekable file, so the encoding guess sees more
 * than the first chunk; the stream is left where it was. */
static gboolean
read_windows (TbCsvReader   *self,
              GInputStream  *stream,
              GByteArray    *more,
              GError       **error)
{
  g_autofree guint8 *window = NULL;
  goffset start;

  if (self->size <= CHUNK_SIZE || !G_IS_SEEKABLE (stream) ||
      !g_seekable_can_seek (G_SEEKABLE (stream)))
    return TRUE;
  start = g_seekable_tell (G_SEEKABLE (stream));
  window = g_malloc (WINDOW_SIZE);
  for (guint k = 1; k <= N_WINDOWS; k++) {
    goffset at = start + (self->size - start) * k / (N_WINDOWS + 1);
    guint8 *first, *last;
    gsize got = 0;

    if (!g_seekable_seek (G_SEEKABLE (stream), at, G_SEEK_SET, NULL, NULL) ||
        !g_input_stream_read_all (stream, window, WINDOW_SIZE, &got, NULL, NULL))
      break;
    first = memchr (window, '\n', got);
    for (last = window + got; last > window && last[-1] != '\n'; last--)
      ;
    if (first != NULL && last > first + 1)
      g_byte_array_append (more, first + 1, last - (first + 1));
  }
  return g_seekable_seek (G_SEEKABLE (stream), start, G_SEEK_SET, NULL, error);
}

/**
 * tb_csv_reader_new:
 * @stream: the raw bytes
 * @name: the input's name for messages (a file name)
 * @encoding: (nullable): see the header
 * @delimiter: the field separator, or 0 to detect it
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a reader, or %NULL with @error set
 */
TbCsvReader *
tb_csv_reader_new (GInputStream  *stream,
                   const char    *name,
                   const char    *encoding,
                   char           delimiter,
                   GError       **error)
{
  g_autoptr(TbCsvReader) self = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(GByteArray) more = g_byte_array_new ();
  const char *detected, *iconv_name;
  const guint8 *peek;
  gsize available = 0, bom_len;
  gboolean head_is_all = FALSE;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (TbCsvReader, 1);
  self->name = g_strdup (name ? name : "input");
  self->raw = g_object_ref (stream);
  self->size = -1;
  self->buf_size = 2 * CHUNK_SIZE;
  self->buf = g_malloc (self->buf_size);
  self->record = g_string_sized_new (1024);
  self->text = g_string_sized_new (1024);
  self->starts = g_array_new (FALSE, FALSE, sizeof (guint));
  self->fields = g_ptr_array_new ();
  self->line = 1;

  if (G_IS_FILE_INPUT_STREAM (stream)) {
    g_autoptr(GFileInfo) info =
      g_file_input_stream_query_info (G_FILE_INPUT_STREAM (stream),
                                      G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
    if (info != NULL)
      self->size = g_file_info_get_size (info);
  }
  if (!read_windows (self, stream, more, error)) {
    g_prefix_error (error, "%s: ", self->name);
    return NULL;
  }

  /* Peek at the first chunk to find a BOM or guess the encoding, without consuming it. */
  buffered = g_buffered_input_stream_new_sized (stream, CHUNK_SIZE);
  while (available < CHUNK_SIZE) {
    gssize n = g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered), -1, NULL,
                                             error);
    if (n < 0) {
      g_prefix_error (error, "%s: ", self->name);
      return NULL;
    }
    if (n == 0) {
      head_is_all = TRUE;
      break;
    }
    available = g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (buffered));
  }
  peek = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &available);
  tb_csv_encoding_guess (peek, available, head_is_all, more->data, more->len, &self->guess);
  detected = self->guess.encoding;
  bom_len = self->guess.bom_len;

  if (encoding != NULL && !g_str_equal (encoding, "auto") && !g_str_equal (encoding, "")) {
    const char *wanted = tb_csv_encoding_canonical (encoding);

    if (wanted == NULL) {
      wanted = encoding;   /* let iconv judge */
    } else if (g_str_equal (wanted, "utf-16")) {
      wanted = g_str_has_prefix (detected, "utf-16") ? detected : "utf-16le";
    }
    /* A BOM that contradicts the override is not skipped, only a matching one. */
    if (!(g_str_equal (detected, "utf-8-bom") && g_str_equal (wanted, "utf-8")) &&
        !(g_str_equal (detected, wanted) && g_str_has_prefix (wanted, "utf-16")))
      bom_len = 0;
    detected = (bom_len == 3) ? "utf-8-bom" : wanted;
  }
  self->encoding = g_strdup (detected);

  if (bom_len > 0 && g_input_stream_skip (buffered, bom_len, NULL, error) < 0)
    return NULL;

  iconv_name = tb_csv_encoding_iconv_name (detected);
  self->utf8_input = iconv_name == NULL;
  if (iconv_name != NULL) {
    g_autoptr(GCharsetConverter) conv = g_charset_converter_new ("UTF-8", iconv_name, NULL);

    if (conv == NULL) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: encoding “%s” is not supported", self->name, iconv_name);
      return NULL;
    }
    /* A stray byte becomes an escape in one field instead of failing the file. */
    g_charset_converter_set_use_fallback (conv, TRUE);
    self->input = g_converter_input_stream_new (buffered, G_CONVERTER (conv));
  } else {
    self->input = g_steal_pointer (&buffered);
  }

  if (!fill (self, error) && !self->eof) {
    g_prefix_error (error, "%s: ", self->name);
    return NULL;
  }
  /* A second byte-order mark (a file saved twice by tools that add one) is
   * no part of the first column's name. */
  while (self->buf_len - self->buf_pos >= 3 &&
         memcmp (self->buf + self->buf_pos, "\xef\xbb\xbf", 3) == 0)
    self->buf_pos += 3;
  self->delimiter = delimiter ? delimiter
                              : detect_delimiter (self->buf + self->buf_pos,
                                                  self->buf_len - self->buf_pos);

  return g_steal_pointer (&self);
}

TbCsvReader *
tb_csv_reader_new_for_path (const char  *path,
                            const char  *encoding,
                            char         delimiter,
                            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;
  return tb_csv_reader_new (G_INPUT_STREAM (stream), path, encoding, delimiter, error);
}

void
tb_csv_reader_free (TbCsvReader *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_clear_object (&self->raw);
  g_clear_object (&self->input);
  g_free (self->encoding);
  tb_csv_encoding_guess_clear (&self->guess);
  g_free (self->buf);
  g_string_free (self->record, TRUE);
  g_string_free (self->text, TRUE);
  g_array_unref (self->starts);
  g_ptr_array_unref (self->fields);
  g_free (self);
}

static inline void
append_c (TbCsvReader *self,
          char         c)
{
  if (G_UNLIKELY (self->record->len >= MAX_RECORD_SIZE)) {
    self->overflow = TRUE;
    return;
  }
  g_string_append_c (self->record, c);
}

static void
end_field (TbCsvReader *self)
{
  guint start;

  if (self->overflow || self->record->len >= MAX_RECORD_SIZE) {
    self->overflow = TRUE;
    return;
  }
  g_string_append_c (self->record, '\0');
  start = self->record->len;
  g_array_append_val (self->starts, start);
}

static void
set_problem (TbCsvReader  *self,
             TbCsvProblem  kind,
             const char   *problem)
{
  if (self->problem == NULL) {
    self->kind = kind;
    self->problem = problem;
  }
}

/* A field that is not text: a NUL byte, or bytes invalid in the encoding
 * (in a UTF-8 file, say what they look like so the user can choose). */
static void
check_text (TbCsvReader *self,
            const char  *field,
            gsize        len)
{
  if (G_LIKELY (g_utf8_validate_len (field, len, NULL)))
    return;
  if (memchr (field, '\0', len) != NULL)
    set_problem (self, TB_CSV_PROBLEM_NUL, "the row holds a NUL byte");
  else if (!self->utf8_input)
    set_problem (self, TB_CSV_PROBLEM_ENCODING,
                 "the text is not valid in the file's encoding (choose another encoding)");
  else if (g_str_equal (tb_csv_encoding_guess_line (field, len), "gb18030"))
    set_problem (self, TB_CSV_PROBLEM_ENCODING, "not valid UTF-8 (looks like GB18030)");
  else
    set_problem (self, TB_CSV_PROBLEM_ENCODING, "not valid UTF-8 (looks like Latin-1)");
}

static void
finish_record (TbCsvReader *self)
{
  guint n = self->starts->len;

  if (self->overflow)
    set_problem (self, TB_CSV_PROBLEM_TOO_LONG,
                 "the record is longer than 1 MiB");
  g_string_append_c (self->record, '\0');
  g_ptr_array_set_size (self->fields, 0);
  for (guint i = 0; i < n; i++) {
    guint start = g_array_index (self->starts, guint, i);
    guint end = i + 1 < n ? g_array_index (self->starts, guint, i + 1) - 1
                          : self->record->len - 1;

    if (self->problem == NULL)
      check_text (self, self->record->str + start, end - start);
    g_ptr_array_add (self->fields, self->record->str + start);
  }
  g_ptr_array_add (self->fields, NULL);
}

static void
reset_record (TbCsvReader *self)
{
  guint zero = 0;

  g_string_truncate (self->record, 0);
  g_array_set_size (self->starts, 0);
  g_array_append_val (self->starts, zero);
  self->overflow = FALSE;
  self->problem = NULL;
  self->kind = TB_CSV_PROBLEM_NONE;
  self->first_line = self->line;
  g_string_truncate (self->text, 0);
  self->text_seen = 0;
  self->text_start = self->buf_pos;
  self->text_done = FALSE;
  self->quote_nl = NO_OFFSET;
}

/* A stray quote: the record ends with the line its quote opened on, and what
 * the quoted field ran over goes back in front of the buffer to be read again. */
static void
resync (TbCsvReader *self,
        const char  *problem)
{
  gsize resume = self->quote_nl + 1, replay, tail;
  gboolean cr;

  g_string_append_len (self->text, self->buf + self->text_start,
                       self->buf_pos - self->text_start);
  self->text_seen += self->buf_pos - self->text_start;
  cr = self->text->str[self->quote_nl] == '\r';
  if (cr && resume < self->text->len && self->text->str[resume] == '\n')
    resume++;
  replay = self->text->len - resume;
  tail = self->buf_len - self->buf_pos;
  if (replay + tail > self->buf_size) {
    self->buf_size = replay + tail;
    self->buf = g_realloc (self->buf, self->buf_size);
  }
  memmove (self->buf + replay, self->buf + self->buf_pos, tail);
  memcpy (self->buf, self->text->str + resume, replay);
  self->buf_len = replay + tail;
  self->buf_pos = 0;
  self->text_start = 0;
  /* A CR just read may be the first half of a CRLF still to come. */
  self->pending_cr = cr && resume == self->text->len;

  g_string_truncate (self->text, self->quote_nl);
  self->text_end = self->quote_nl;
  self->text_done = TRUE;
  g_string_truncate (self->record, self->quote_record_len);
  self->last_line = self->quote_line;
  self->line = self->quote_line + 1;
  set_problem (self, TB_CSV_PROBLEM_QUOTE, problem);
  finish_record (self);
}

/* The rest of a line past MAX_TEXT_SIZE: no contact, no quotes honoured. */
static TbCsvResult
skip_line (TbCsvReader  *self,
           GError      **error)
{
  while (self->skip_line) {
    char c;

    if (self->buf_pos == self->buf_len) {
      g_autoptr(GError) local_error = NULL;

      self->text_start = self->buf_pos;
      if (!fill (self, &local_error)) {
        self->skip_line = FALSE;
        if (local_error != NULL) {
          g_set_error (error, local_error->domain, local_error->code, "%s:%" G_GUINT64_FORMAT
                       ": %s", self->name, self->line, local_error->message);
          return TB_CSV_FAILED;
        }
        return TB_CSV_END;
      }
    }
    c = self->buf[self->buf_pos++];
    if (c == '\n' || c == '\r') {
      self->line++;
      self->pending_cr = c == '\r';
      self->skip_line = FALSE;
    }
  }
  return TB_CSV_RECORD;
}

TbCsvResult
tb_csv_reader_next (TbCsvReader  *self,
                    GError      **error)
{
  State state = STATE_FIELD_START;
  char delim;

  g_return_val_if_fail (self != NULL, TB_CSV_FAILED);

  if (G_UNLIKELY (self->skip_line)) {
    TbCsvResult r = skip_line (self, error);

    if (r != TB_CSV_RECORD)
      return r;
  }
  delim = self->delimiter;
  reset_record (self);

  for (;;) {
    char c;

    if (self->buf_pos == self->buf_len) {
      g_autoptr(GError) local_error = NULL;

      if (!fill (self, &local_error)) {
        if (local_error != NULL) {
          g_set_error (error, local_error->domain, local_error->code, "%s:%" G_GUINT64_FORMAT
                       ": %s", self->name, self->line, local_error->message);
          return TB_CSV_FAILED;
        }
        /* End of input. */
        if (state == STATE_FIELD_START && self->starts->len == 1 && self->record->len == 0)
          return TB_CSV_END;
        if (state == STATE_QUOTED && self->quote_nl != NO_OFFSET) {
          resync (self, PROBLEM_EOF_QUOTE);
          return TB_CSV_RECORD;
        }
        if (state == STATE_QUOTED)
          set_problem (self, TB_CSV_PROBLEM_QUOTE, PROBLEM_EOF_QUOTE);
        self->last_line = self->line;
        self->text_end = self->text_seen;
        finish_record (self);
        return TB_CSV_RECORD;
      }
      if (G_UNLIKELY (self->text_seen >= MAX_TEXT_SIZE)) {
        /* Not a CSV line: keep its start, skip the rest. */
        self->skip_line = TRUE;
        self->last_line = self->line;
        self->text_end = self->text->len;
        self->text_done = TRUE;
        self->overflow = TRUE;
        set_problem (self, TB_CSV_PROBLEM_TOO_LONG,
                     "the line is longer than 16 MiB (the rejects file keeps its start)");
        finish_record (self);
        return TB_CSV_RECORD;
      }
    }

    c = self->buf[self->buf_pos++];

    if (self->pending_cr) {
      self->pending_cr = FALSE;
      if (c == '\n') {
        if (self->text_seen == 0 && self->text_start + 1 == self->buf_pos)
          self->text_start = self->buf_pos;
        continue;
      }
    }

    switch (state) {
    case STATE_QUOTED:
      if (c == '"') {
        state = STATE_QUOTE_IN_QUOTED;
        break;
      }
      if (G_UNLIKELY (c == '\n' || c == '\r') && self->quote_nl == NO_OFFSET) {
        self->quote_nl = text_offset (self) - 1;
        self->quote_record_len = self->record->len;
      }
      append_c (self, c);
      if (c == '\n') {
        self->line++;
        self->quote_lines++;
      }
      if (G_UNLIKELY (self->quote_nl != NO_OFFSET) &&
          (self->quote_lines > MAX_QUOTED_LINES ||
           text_offset (self) - self->quote_nl > MAX_QUOTED_BYTES)) {
        resync (self, PROBLEM_STRAY_QUOTE);
        return TB_CSV_RECORD;
      }
      break;

    case STATE_QUOTE_IN_QUOTED:
      if (c == '"') {
        append_c (self, '"');
        state = STATE_QUOTED;
        break;
      }
      if (self->quote_nl != NO_OFFSET && c != delim && c != '\n' && c != '\r') {
        /* Text after the closing quote of a field that ran over lines: the
         * quote that opened it was a stray one. */
        resync (self, PROBLEM_STRAY_QUOTE);
        return TB_CSV_RECORD;
      }
      self->quote_nl = NO_OFFSET;
      state = STATE_UNQUOTED;
      G_GNUC_FALLTHROUGH;

    case STATE_FIELD_START:
    case STATE_UNQUOTED:
      if (c == delim) {
        end_field (self);
        state = STATE_FIELD_START;
      } else if (c == '\n' || c == '\r') {
        self->last_line = self->line;
        self->line++;
        if (c == '\r')
          self->pending_cr = TRUE;
        if (state == STATE_FIELD_START && self->starts->len == 1 && self->record->len == 0) {
          /* A blank line: not a record. */
          reset_record (self);
          break;
        }
        self->text_end = text_offset (self) - 1;
        finish_record (self);
        return TB_CSV_RECORD;
      } else if (c == '"' && state == STATE_FIELD_START) {
        state = STATE_QUOTED;
        self->quote_line = self->line;
        self->quote_nl = NO_OFFSET;
        self->quote_lines = 0;
      } else {
        /* Lenient: a quote inside an unquoted field, or text after a closing
         * quote on the same line, is kept as written. */
        append_c (self, c);
        state = STATE_UNQUOTED;
      }
      break;

    default:
      g_assert_not_reached ();
    }
  }
}

const char * const *
tb_csv_reader_get_fields (TbCsvReader *self,
                          guint       *n_fields)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_fields != NULL)
    *n_fields = self->fields->len > 0 ? self->fields->len - 1 : 0;
  return (const char * const *) self->fields->pdata;
}

const char *
tb_csv_reader_get_problem (TbCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->problem;
}

TbCsvProblem
tb_csv_reader_get_problem_kind (TbCsvReader *self)
{
  g_return_val_if_fail (self != NULL, TB_CSV_PROBLEM_NONE);

  return self->problem != NULL ? self->kind : TB_CSV_PROBLEM_NONE;
}

const char *
tb_csv_reader_get_text (TbCsvReader *self,
                        gsize       *len)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!self->text_done) {
    gsize in_buf = self->text_end - self->text_seen;

    if (self->text->len < MAX_TEXT_SIZE)
      g_string_append_len (self->text, self->buf + self->text_start,
                           MIN (in_buf, MAX_TEXT_SIZE - self->text->len));
    self->text_done = TRUE;
  }
  if (len != NULL)
    *len = self->text->len;
  return self->text->str;
}

guint64
tb_csv_reader_get_line (TbCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->first_line;
}

guint64
tb_csv_reader_get_last_line (TbCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->last_line;
}

const char *
tb_csv_reader_get_name (TbCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

const char *
tb_csv_reader_get_encoding (TbCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->encoding;
}

gboolean
tb_csv_reader_is_encoding_certain (TbCsvReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->guess.certain;
}

GStrv
tb_csv_reader_dup_candidates (TbCsvReader *self)
{
  static const char * const candidates[] = { "utf-8", "gb18030", "latin-1", NULL };

  g_return_val_if_fail (self != NULL, NULL);

  return self->guess.certain ? NULL : g_strdupv ((char **) candidates);
}

char *
tb_csv_reader_dup_sample (TbCsvReader *self,
                          const char  *encoding)
{
  const char *canonical;
  gsize len = 0;
  const char *bytes;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (encoding != NULL, NULL);

  if (self->guess.sample == NULL)
    return NULL;
  bytes = g_bytes_get_data (self->guess.sample, &len);
  canonical = tb_csv_encoding_canonical (encoding);
  return tb_csv_encoding_decode_lossy (bytes, len, canonical ? canonical : encoding);
}

char
tb_csv_reader_get_delimiter (TbCsvReader *self)
{
  g_return_val_if_fail (self != NULL, ',');

  return self->delimiter;
}

double
tb_csv_reader_get_fraction (TbCsvReader *self)
{
  goffset pos;

  g_return_val_if_fail (self != NULL, -1);

  if (self->size <= 0 || !G_IS_SEEKABLE (self->raw))
    return -1;
  pos = g_seekable_tell (G_SEEKABLE (self->raw));
  return CLAMP ((double) pos / (double) self->size, 0.0, 1.0);
}
