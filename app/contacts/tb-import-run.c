/* tb-import-run.c — import a CSV file into a contact list, the DNC list or the consent ledger
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One transaction, 64-row prepared INSERTs, a reader that does not allocate
 * per row, and the parsing on a second thread: a million contacts go in at
 * about 1.5x the time of sqlite3's own .import.
 */
#define G_LOG_DOMAIN "tb-import-run"

#include "config.h"

#include "tb-import-job.h"
#include "tb-consent.h"
#include "tb-csv-reader.h"
#include "tb-csv-writer.h"
#include "tb-dnc.h"
#include "tb-jurisdiction.h"
#include "tb-paths.h"
#include "tb-phone.h"
#include "tb-store-config.h"
#include "tb-store-contacts.h"
#include "tb-store-dnc.h"
#include "tb-store-imports.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define PROGRESS_EVERY 4096

#define BATCH_ROWS 512
#define N_BATCHES  4
/* Rejected lines go whole into the batch (up to 16 MiB each): a batch that
 * grows past this is handed over early, and its arena shrunk after. */
#define BATCH_BYTES (8 * 1024 * 1024)
#define NO_TEXT    G_MAXUINT

/* One record as the reading thread prepared it: offsets into its batch's arena. */
typedef struct {
  guint64     line;
  guint       lines;         /* how many lines of the file the record took */
  guint       reject;        /* the rejects file's line for this record, or NO_TEXT */
  guint       reject_len;
  TbImportReason reason;
  guint       text[9];       /* e164, raw, name, company, email, persona, timezone, fields,
                              * reason (DNC); consent: e164, scope, source, evidence,
                              * collected_by, seller */
  gint64      collected_at;  /* consent */
  gint64      expires_at;
  char        country[4];
  const char *number_type;   /* static */
} Item;

typedef struct {
  GString *arena;
  Item     items[BATCH_ROWS];
  guint    n_items;
  double   fraction;
  gboolean last;
  GError  *error;            /* in the last batch: why reading stopped */
} Batch;

/* Reading, parsing and normalizing run on their own thread while this one
 * writes: two cores, and the writer never waits for libphonenumber. Batches
 * go round between the two queues, so memory stays bounded. */
typedef struct {
  /* the reading thread's */
  TbCsvReader      *reader;
  TbContactMapping *mapping;
  TbConsentColumns  consent_columns;
  const TbImportOptions *options;
  GString          *rejects_header;   /* set before the first batch that needs it */
  int               stop;             /* atomic: the writer gave up */
  GAsyncQueue      *full;
  GAsyncQueue      *free;

  /* the writing thread's */
  TbStore          *store;
  TbImportResult   *result;
  char             *rejects_dir;
  FILE             *rejects;
  TbContactWriter  *writer;
} Import;

void
tb_import_options_clear (TbImportOptions *options)
{
  g_clear_pointer (&options->path, g_free);
  g_clear_pointer (&options->list_name, g_free);
  g_clear_pointer (&options->region, g_free);
  g_clear_pointer (&options->encoding, g_free);
  g_clear_pointer (&options->map, g_free);
  g_clear_pointer (&options->mapping, tb_contact_mapping_free);
}

TbImportOptions *
tb_import_options_copy (const TbImportOptions *options)
{
  TbImportOptions *copy = g_new0 (TbImportOptions, 1);

  copy->path = g_strdup (options->path);
  copy->list_name = g_strdup (options->list_name);
  copy->region = g_strdup (options->region);
  copy->encoding = g_strdup (options->encoding);
  copy->delimiter = options->delimiter;
  copy->map = g_strdup (options->map);
  copy->mapping = options->mapping ? tb_contact_mapping_copy (options->mapping) : NULL;
  copy->dnc = options->dnc;
  copy->consent = options->consent;
  return copy;
}

void
tb_import_options_free (TbImportOptions *options)
{
  if (options == NULL)
    return;
  tb_import_options_clear (options);
  g_free (options);
}

void
tb_import_result_clear (TbImportResult *result)
{
  g_clear_pointer (&result->list_name, g_free);
  g_clear_pointer (&result->rejects_path, g_free);
  g_clear_pointer (&result->encoding, g_free);
}

double
tb_import_result_get_rejected_percent (const TbImportResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->lines > 0 ? 100.0 * result->rejected_lines / result->lines : 0;
}

gboolean
tb_import_result_too_many_rejected (const TbImportResult *result)
{
  g_return_val_if_fail (result != NULL, FALSE);

  return result->rejected_lines * 100 > result->lines * TB_IMPORT_MAX_REJECTED_PERCENT;
}

const char *
tb_import_reason_get_id (TbImportReason reason)
{
  static const char * const ids[] = {
    "unclosed_quote", "too_long", "encoding", "nul_byte", "phone_empty", "phone_invalid",
    "consent_scope", "consent_source", "consent_date",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (ids) == TB_IMPORT_N_REASONS);
  g_return_val_if_fail (reason < TB_IMPORT_N_REASONS, NULL);
  return ids[reason];
}

const char *
tb_import_reason_get_label (TbImportReason reason)
{
  switch (reason) {
  case TB_IMPORT_REASON_UNCLOSED_QUOTE: return _("A quote left open (a stray quote)");
  case TB_IMPORT_REASON_TOO_LONG: return _("Longer than 1 MiB");
  case TB_IMPORT_REASON_ENCODING: return _("Not text in the file's encoding");
  case TB_IMPORT_REASON_NUL: return _("Holds a NUL byte");
  case TB_IMPORT_REASON_PHONE_EMPTY: return _("No phone number");
  case TB_IMPORT_REASON_PHONE_INVALID: return _("Not a valid phone number");
  case TB_IMPORT_REASON_CONSENT_SCOPE:
    return _("Not a consent scope (marketing, ai_voice, recording)");
  case TB_IMPORT_REASON_CONSENT_SOURCE: return _("No consent source");
  case TB_IMPORT_REASON_CONSENT_DATE: return _("Not a date (ISO 8601, like 2026-05-01)");
  case TB_IMPORT_N_REASONS:
  default: g_return_val_if_reached (NULL);
  }
}

static char *
default_list_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

/* A file name from a list name: no separators, no control characters. */
static char *
safe_file_part (const char *name)
{
  GString *s = g_string_new (NULL);

  for (const char *p = name; *p; p++) {
    guchar c = *p;

    if (c < 0x20 || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' ||
        c == '<' || c == '>' || c == '|' || c == ' ')
      g_string_append_c (s, '_');
    else
      g_string_append_c (s, c);
  }
  if (s->len == 0 || s->str[0] == '.')
    g_string_prepend (s, "list");
  return g_string_free (s, FALSE);
}

static gboolean
open_rejects (Import  *imp,
              GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *part = safe_file_part (imp->result->list_name);
  g_autofree char *path = NULL;

  /* Rejected rows are people's numbers and names: the owner's alone. */
  if (!tb_paths_make_private_dir (imp->rejects_dir, error)) {
    g_prefix_error (error, "cannot create the rejects folder: ");
    return FALSE;
  }
  for (guint i = 1; ; i++) {
    g_autofree char *file = i == 1 ? g_strdup_printf ("%s-%s.csv", part, stamp)
                                   : g_strdup_printf ("%s-%s-%u.csv", part, stamp, i);

    g_free (path);
    path = g_build_filename (imp->rejects_dir, file, NULL);
    if (!g_file_test (path, G_FILE_TEST_EXISTS))
      break;
  }
  imp->rejects = tb_paths_fopen_private (path, error);
  if (imp->rejects == NULL) {
    g_prefix_error (error, "cannot write rejected rows: ");
    return FALSE;
  }
  imp->result->rejects_path = g_steal_pointer (&path);

  /* The header: where and why, then the file's own columns. */
  if (imp->rejects_header != NULL)
    fwrite (imp->rejects_header->str, 1, imp->rejects_header->len, imp->rejects);
  else
    fputs ("line,reason\r\n", imp->rejects);
  return TRUE;
}

static void
append_json_string (GString    *s,
                    const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++) {
    guchar c = *p;

    if (c == '"' || c == '\\') {
      g_string_append_c (s, '\\');
      g_string_append_c (s, c);
    } else if (c < 0x20) {
      g_string_append_printf (s, "\\u%04x", c);
    } else {
      g_string_append_c (s, c);
    }
  }
  g_string_append_c (s, '"');
}

static const char *
cell (const char * const *fields,
      guint               n_fields,
      int                 column)
{
  return column >= 0 && (guint) column < n_fields ? fields[column] : NULL;
}

static const char *
non_empty (const char *text)
{
  if (text == NULL)
    return NULL;
  while (*text == ' ' || *text == '\t')
    text++;
  return *text ? text : NULL;
}

/* The custom fields as one JSON object: every unmapped column by its header.
 * Name, company, email… have their own columns; scripts read both. */
static void
append_fields_json (Import             *imp,
                    GString            *s,
                    const char * const *fields,
                    guint               n_fields)
{
  gboolean first = TRUE;
  guint n_columns = tb_contact_mapping_get_n_columns (imp->mapping);

  g_string_append_c (s, '{');
  for (guint i = 0; i < n_fields; i++) {
    char key[32];

    if (!tb_contact_mapping_is_custom (imp->mapping, i) || non_empty (fields[i]) == NULL)
      continue;
    if (!first)
      g_string_append_c (s, ',');
    first = FALSE;
    if (i < n_columns) {
      append_json_string (s, tb_contact_mapping_get_header (imp->mapping, i));
    } else {
      g_snprintf (key, sizeof key, "column_%u", i + 1);
      append_json_string (s, key);
    }
    g_string_append_c (s, ':');
    append_json_string (s, fields[i]);
  }
  g_string_append_c (s, '}');
  g_string_append_c (s, '\0');
}

/* Where the number's time zone comes from when the file has none: the
 * compliance area's resolver (NANP area codes, single-zone countries); NULL
 * when the number spans several zones, so the dial gate applies them all. */
static char *
derive_timezone (const TbPhoneNumber *number)
{
  return tb_jurisdiction_dup_timezone (number->e164);
}

static guint
arena_add (GString    *arena,
           const char *text)
{
  guint offset = arena->len;

  if (text == NULL)
    return NO_TEXT;
  g_string_append_len (arena, text, strlen (text) + 1);
  return offset;
}

/* The rejects file's line for the current record: line, reason, then the
 * original fields; or, when the reader could not split the record, its lines
 * as the file has them (whole, whatever their length) in one field. */
static void
add_reject (Import         *imp,
            Batch          *b,
            Item           *item,
            TbImportReason  reason,
            const char     *message)
{
  TbCsvProblem problem = tb_csv_reader_get_problem_kind (imp->reader);

  item->reason = reason;
  item->reject = b->arena->len;
  g_string_append_printf (b->arena, "%" G_GUINT64_FORMAT ",", item->line);
  tb_csv_append_field (b->arena, message, ',');
  if (problem == TB_CSV_PROBLEM_QUOTE || problem == TB_CSV_PROBLEM_TOO_LONG ||
      problem == TB_CSV_PROBLEM_NUL) {
    gsize len = 0;
    const char *text = tb_csv_reader_get_text (imp->reader, &len);

    g_string_append_c (b->arena, ',');
    tb_csv_append_field_len (b->arena, text, len, ',');
  } else {
    const char * const *fields;
    guint n_fields;

    fields = tb_csv_reader_get_fields (imp->reader, &n_fields);
    for (guint i = 0; i < n_fields; i++) {
      g_string_append_c (b->arena, ',');
      tb_csv_append_field (b->arena, fields[i], ',');
    }
  }
  g_string_append (b->arena, "\r\n");
  item->reject_len = b->arena->len - item->reject;
}

static TbImportReason
reason_for_problem (TbCsvProblem problem)
{
  switch (problem) {
  case TB_CSV_PROBLEM_QUOTE: return TB_IMPORT_REASON_UNCLOSED_QUOTE;
  case TB_CSV_PROBLEM_TOO_LONG: return TB_IMPORT_REASON_TOO_LONG;
  case TB_CSV_PROBLEM_ENCODING: return TB_IMPORT_REASON_ENCODING;
  case TB_CSV_PROBLEM_NUL: return TB_IMPORT_REASON_NUL;
  case TB_CSV_PROBLEM_NONE:
  default: g_assert_not_reached ();
  }
}

static TbImportReason
reason_for_consent (TbConsentRowProblem problem)
{
  switch (problem) {
  case TB_CONSENT_ROW_TOO_BIG: return TB_IMPORT_REASON_TOO_LONG;
  case TB_CONSENT_ROW_NUMBER_EMPTY: return TB_IMPORT_REASON_PHONE_EMPTY;
  case TB_CONSENT_ROW_NUMBER_INVALID: return TB_IMPORT_REASON_PHONE_INVALID;
  case TB_CONSENT_ROW_SCOPE: return TB_IMPORT_REASON_CONSENT_SCOPE;
  case TB_CONSENT_ROW_SOURCE: return TB_IMPORT_REASON_CONSENT_SOURCE;
  case TB_CONSENT_ROW_DATE: return TB_IMPORT_REASON_CONSENT_DATE;
  case TB_CONSENT_ROW_OK:
  default: g_assert_not_reached ();
  }
}

/* A consent record, checked as `consent import` checks it (tb-consent-file.c). */
static void
prepare_consent_item (Import *imp,
                      Batch  *b,
                      Item   *item)
{
  g_autoptr(TbConsentRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  TbConsentRowProblem problem = TB_CONSENT_ROW_OK;
  const char * const *fields;
  guint n_fields;
  gsize bytes = 0;

  fields = tb_csv_reader_get_fields (imp->reader, &n_fields);
  tb_csv_reader_get_text (imp->reader, &bytes);
  record = tb_consent_parse_row (&imp->consent_columns, fields, n_fields, bytes,
                                 imp->options->region, &problem, &error);
  if (record == NULL) {
    add_reject (imp, b, item, reason_for_consent (problem), error->message);
    return;
  }
  item->text[0] = arena_add (b->arena, record->e164);
  item->text[1] = arena_add (b->arena, record->scope);
  item->text[2] = arena_add (b->arena, record->source);
  item->text[3] = arena_add (b->arena, record->evidence);
  item->text[4] = arena_add (b->arena, record->collected_by);
  item->text[5] = arena_add (b->arena, record->seller);
  item->collected_at = record->collected_at;
  item->expires_at = record->expires_at;
}

static void
prepare_item (Import *imp,
              Batch  *b)
{
  const TbContactMapping *m = imp->mapping;
  Item *item = &b->items[b->n_items++];
  g_autoptr(GError) phone_error = NULL;
  const char * const *fields;
  TbPhoneNumber number;
  const char *raw, *tz;
  guint n_fields;

  memset (item, 0, sizeof *item);
  item->line = tb_csv_reader_get_line (imp->reader);
  item->lines = tb_csv_reader_get_last_line (imp->reader) - item->line + 1;
  item->reject = NO_TEXT;
  for (guint t = 0; t < G_N_ELEMENTS (item->text); t++)
    item->text[t] = NO_TEXT;

  if (tb_csv_reader_get_problem (imp->reader) != NULL) {
    add_reject (imp, b, item, reason_for_problem (tb_csv_reader_get_problem_kind (imp->reader)),
                tb_csv_reader_get_problem (imp->reader));
    return;
  }
  if (imp->options->consent) {
    prepare_consent_item (imp, b, item);
    return;
  }
  fields = tb_csv_reader_get_fields (imp->reader, &n_fields);
  raw = cell (fields, n_fields, tb_contact_mapping_get_column (m, TB_CONTACT_FIELD_PHONE));
  if (raw == NULL || non_empty (raw) == NULL) {
    add_reject (imp, b, item, TB_IMPORT_REASON_PHONE_EMPTY, "phone is empty");
    return;
  }
  if (!tb_phone_normalize (raw, imp->options->region, &number, &phone_error)) {
    add_reject (imp, b, item,
                g_error_matches (phone_error, TB_PHONE_ERROR, TB_PHONE_ERROR_EMPTY)
                ? TB_IMPORT_REASON_PHONE_EMPTY : TB_IMPORT_REASON_PHONE_INVALID,
                phone_error->message);
    return;
  }

#define COLUMN(field) non_empty (cell (fields, n_fields, tb_contact_mapping_get_column (m, field)))
  item->text[0] = arena_add (b->arena, number.e164);
  if (imp->options->dnc) {
    item->text[8] = arena_add (b->arena, COLUMN (TB_CONTACT_FIELD_REASON));
    return;
  }
  item->text[1] = arena_add (b->arena, raw);
  item->text[2] = arena_add (b->arena, COLUMN (TB_CONTACT_FIELD_NAME));
  item->text[3] = arena_add (b->arena, COLUMN (TB_CONTACT_FIELD_COMPANY));
  item->text[4] = arena_add (b->arena, COLUMN (TB_CONTACT_FIELD_EMAIL));
  item->text[5] = arena_add (b->arena, COLUMN (TB_CONTACT_FIELD_PERSONA));
  tz = COLUMN (TB_CONTACT_FIELD_TIMEZONE);
  {
    g_autofree char *derived = tz ? NULL : derive_timezone (&number);

    item->text[6] = arena_add (b->arena, tz ? tz : derived);
  }
#undef COLUMN
  item->text[7] = b->arena->len;
  append_fields_json (imp, b->arena, fields, n_fields);
  memcpy (item->country, number.country, sizeof item->country);
  item->number_type = number.number_type;
}

static void
set_rejects_header_from (Import             *imp,
                         const char * const *fields,
                         guint               n_fields)
{
  imp->rejects_header = g_string_new ("line,reason");
  for (guint i = 0; i < n_fields; i++) {
    g_string_append_c (imp->rejects_header, ',');
    tb_csv_append_field (imp->rejects_header, fields[i], ',');
  }
  g_string_append (imp->rejects_header, "\r\n");
}

static void
set_rejects_header (Import *imp)
{
  guint n = tb_contact_mapping_get_n_columns (imp->mapping);

  imp->rejects_header = g_string_new ("line,reason");
  for (guint i = 0; i < n; i++) {
    g_string_append_c (imp->rejects_header, ',');
    tb_csv_append_field (imp->rejects_header, tb_contact_mapping_get_header (imp->mapping, i),
                         ',');
  }
  g_string_append (imp->rejects_header, "\r\n");
}

/* The reading thread: records in, batches of prepared rows out. */
static gpointer
read_records (gpointer data)
{
  Import *imp = data;
  Batch *b = g_async_queue_pop (imp->free);
  GError *error = NULL;
  gboolean first = TRUE;
  TbCsvResult r = TB_CSV_END;

  while (!g_atomic_int_get (&imp->stop) &&
         (r = tb_csv_reader_next (imp->reader, &error)) == TB_CSV_RECORD) {
    const char * const *fields;
    guint n_fields;

    fields = tb_csv_reader_get_fields (imp->reader, &n_fields);
    if (first && imp->options->consent) {
      /* A consent file names its columns; without them no row can be read. */
      first = FALSE;
      if (tb_csv_reader_get_problem (imp->reader) != NULL ||
          !tb_consent_columns_from_header (&imp->consent_columns, fields, n_fields)) {
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%" G_GUINT64_FORMAT
                     ": %s", tb_csv_reader_get_name (imp->reader),
                     tb_csv_reader_get_line (imp->reader),
                     tb_csv_reader_get_problem (imp->reader) != NULL
                     ? tb_csv_reader_get_problem (imp->reader)
                     : tb_consent_columns_get_requirement ());
        break;
      }
      set_rejects_header_from (imp, fields, n_fields);
      continue;
    }
    if (first) {
      first = FALSE;
      if (imp->mapping == NULL) {
        imp->mapping = tb_contact_mapping_new_from_first_row (fields, n_fields);
        if (!tb_contact_mapping_apply_spec (imp->mapping, imp->options->map, &error))
          break;
      }
      set_rejects_header (imp);
      if (tb_contact_mapping_has_header (imp->mapping))
        continue;
    }
    if (!imp->options->consent &&
        tb_contact_mapping_get_column (imp->mapping, TB_CONTACT_FIELD_PHONE) < 0)
      tb_contact_mapping_guess_from_row (imp->mapping, fields, n_fields);

    prepare_item (imp, b);
    if (b->n_items == BATCH_ROWS || b->arena->len >= BATCH_BYTES) {
      b->fraction = tb_csv_reader_get_fraction (imp->reader);
      g_async_queue_push (imp->full, b);
      b = g_async_queue_pop (imp->free);
    }
  }
  b->last = TRUE;
  b->error = error;
  b->fraction = 1.0;
  g_async_queue_push (imp->full, b);
  return NULL;
}

static const char *
text (const Batch *b,
      guint        offset)
{
  return offset == NO_TEXT ? NULL : b->arena->str + offset;
}

static gboolean
write_batch (Import  *imp,
             Batch   *b,
             GError **error)
{
  TbImportResult *result = imp->result;

  for (guint i = 0; i < b->n_items; i++) {
    const Item *item = &b->items[i];

    result->rows++;
    result->lines += item->lines;
    if (item->reject != NO_TEXT) {
      const char *line = text (b, item->reject);
      gsize len = item->reject_len;

      result->rejected++;
      result->rejected_lines += item->lines;
      result->reason_lines[item->reason] += item->lines;
      if (imp->rejects == NULL && !open_rejects (imp, error))
        return FALSE;
      if (fwrite (line, 1, len, imp->rejects) != len) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot write",
                     result->rejects_path);
        return FALSE;
      }
    } else if (imp->options->consent) {
      TbConsentRecord record = {
        .e164 = (char *) text (b, item->text[0]),
        .scope = (char *) text (b, item->text[1]),
        .source = (char *) text (b, item->text[2]),
        .evidence = (char *) text (b, item->text[3]),
        .collected_by = (char *) text (b, item->text[4]),
        .seller = (char *) text (b, item->text[5]),
        .collected_at = item->collected_at,
        .expires_at = item->expires_at,
      };

      if (tb_consent_add (imp->store, &record, g_get_real_time (), error) == 0)
        return FALSE;
      result->imported++;
    } else if (imp->options->dnc) {
      const char *e164 = text (b, item->text[0]);

      if (tb_store_dnc_lookup (imp->store, e164, G_MAXINT64, NULL)) {
        result->duplicates++;
      } else if (tb_dnc_add (imp->store, e164, "import", text (b, item->text[8]),
                             g_get_real_time (), error)) {
        result->imported++;
      } else {
        return FALSE;
      }
    } else {
      TbContactRow row = {
        .e164 = text (b, item->text[0]),
        .raw_phone = text (b, item->text[1]),
        .name = text (b, item->text[2]),
        .company = text (b, item->text[3]),
        .email = text (b, item->text[4]),
        .persona = text (b, item->text[5]),
        .timezone = text (b, item->text[6]),
        .fields_json = text (b, item->text[7]),
        .country = item->country[0] ? item->country : NULL,
        .number_type = item->number_type,
        .source_line = item->line,
      };

      /* Duplicates are counted when the writer flushes: first row wins. */
      if (!tb_contact_writer_add (imp->writer, &row, error))
        return FALSE;
    }
  }
  /* The writer holds the batch's strings: write them before it goes back. */
  return imp->writer == NULL || tb_contact_writer_flush (imp->writer, error);
}

static gboolean
import_records (Import                *imp,
                TbImportProgressFunc   progress,
                gpointer               user_data,
                GCancellable          *cancellable,
                GError               **error)
{
  const TbImportOptions *o = imp->options;
  TbImportResult *result = imp->result;
  g_autoptr(GError) local_error = NULL;
  Batch batches[N_BATCHES] = { { 0 } };
  GThread *thread;
  gint64 reported = 0;

  if (!o->dnc && !o->consent) {
    g_autofree char *source = g_path_get_basename (o->path);
    gboolean created = tb_store_find_list (imp->store, result->list_name) == 0;
    gint64 list_id = tb_store_ensure_list (imp->store, result->list_name, source, error);

    if (list_id == 0)
      return FALSE;
    result->list_id = list_id;
    /* Remembered, so the import can be undone (tb_store_undo_import ()). */
    if ((result->import_id = tb_store_add_import (imp->store, list_id, created, source,
                                                  error)) == 0)
      return FALSE;
    imp->writer = tb_contact_writer_new (imp->store, list_id, error);
    if (imp->writer == NULL)
      return FALSE;
    tb_contact_writer_set_import (imp->writer, result->import_id);
  }

  imp->full = g_async_queue_new ();
  imp->free = g_async_queue_new ();
  for (guint i = 0; i < N_BATCHES; i++) {
    batches[i].arena = g_string_sized_new (BATCH_ROWS * 192);
    g_async_queue_push (imp->free, &batches[i]);
  }
  thread = g_thread_new ("tb-import-read", read_records, imp);

  /* Write every batch; after a failure only hand them back until the last. */
  for (;;) {
    Batch *b = g_async_queue_pop (imp->full);
    gboolean last = b->last;

    if (local_error == NULL) {
      if (!write_batch (imp, b, &local_error) ||
          g_cancellable_set_error_if_cancelled (cancellable, &local_error)) {
        g_atomic_int_set (&imp->stop, TRUE);
      } else if (last && b->error != NULL) {
        g_propagate_error (&local_error, g_steal_pointer (&b->error));
      } else if (progress != NULL && result->rows - reported >= PROGRESS_EVERY) {
        reported = result->rows;
        progress (result->rows, b->fraction, user_data);
      }
    }
    g_clear_error (&b->error);
    b->n_items = 0;
    g_string_truncate (b->arena, 0);
    if (b->arena->allocated_len > 2 * BATCH_BYTES) {
      g_string_free (b->arena, TRUE);
      b->arena = g_string_sized_new (BATCH_ROWS * 192);
    }
    if (last)
      break;
    g_async_queue_push (imp->free, b);
  }
  g_thread_join (thread);
  for (guint i = 0; i < N_BATCHES; i++)
    g_string_free (batches[i].arena, TRUE);
  g_clear_pointer (&imp->full, g_async_queue_unref);
  g_clear_pointer (&imp->free, g_async_queue_unref);

  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  if (imp->writer != NULL) {
    if (!tb_contact_writer_flush (imp->writer, error))
      return FALSE;
    result->imported = tb_contact_writer_get_inserted (imp->writer);
    result->duplicates = tb_contact_writer_get_added (imp->writer) - result->imported;
  }
  if (progress != NULL && (imp->mapping != NULL || o->consent))
    progress (result->rows, 1.0, user_data);
  return TRUE;
}

/**
 * tb_import_run:
 * @store: the store to write to, used on this thread only
 * @options: what to import, and how
 * @progress: (nullable) (scope call): called every few thousand rows
 * @user_data: for @progress
 * @result: (out caller-allocates): the counts; clear with tb_import_result_clear ()
 * @cancellable: (nullable): cancels the import; nothing is left of it
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
tb_import_run (TbStore                *store,
               const TbImportOptions  *options,
               TbImportProgressFunc    progress,
               gpointer                user_data,
               TbImportResult         *result,
               GCancellable           *cancellable,
               GError                **error)
{
  g_autoptr(TbCsvReader) reader = NULL;
  Import imp = { 0 };
  gboolean ok;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL && options->path != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);

  if (options->region != NULL && !tb_phone_is_known_region (options->region)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--region: “%s” is not a known region code (CN, US, GB, …)", options->region);
    return FALSE;
  }

  reader = tb_csv_reader_new_for_path (options->path, options->encoding, options->delimiter,
                                       error);
  if (reader == NULL)
    return FALSE;

  result->list_name = options->dnc ? g_strdup ("dnc")
                                   : options->consent ? g_strdup ("consent")
                                   : options->list_name ? g_strdup (options->list_name)
                                                        : default_list_name (options->path);
  result->encoding = g_strdup (tb_csv_reader_get_encoding (reader));
  result->encoding_certain = tb_csv_reader_is_encoding_certain (reader);
  result->delimiter = tb_csv_reader_get_delimiter (reader);

  imp.store = store;
  imp.reader = reader;
  imp.result = result;
  imp.options = options;
  imp.mapping = options->mapping && !options->consent
                ? tb_contact_mapping_copy (options->mapping) : NULL;
  imp.rejects_dir = g_build_filename (tb_store_get_data_dir (store), "rejects", NULL);

  ok = tb_store_begin (store, error);
  if (ok) {
    ok = import_records (&imp, progress, user_data, cancellable, error);
    g_clear_pointer (&imp.writer, tb_contact_writer_free);
    if (ok)
      ok = tb_store_commit (store, error);
    else
      tb_store_rollback (store);
  }

  if (imp.rejects != NULL && fclose (imp.rejects) != 0 && ok) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot write",
                 result->rejects_path);
    ok = FALSE;
  }
  if (!ok) {
    if (result->rejects_path != NULL)
      g_unlink (result->rejects_path);
    tb_import_result_clear (result);
    memset (result, 0, sizeof *result);
  }

  g_clear_pointer (&imp.mapping, tb_contact_mapping_free);
  if (imp.rejects_header != NULL)
    g_string_free (imp.rejects_header, TRUE);
  g_free (imp.rejects_dir);
  return ok;
}
