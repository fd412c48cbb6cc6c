/* tb-consent-file.c — a consent file's columns and rows (COMPLIANCE.md R5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-consent-file"

#include "config.h"

#include "tb-consent-file.h"
#include "tb-consent.h"
#include "tb-phone.h"

#include <string.h>

static const char * const scopes[] = { "marketing", "ai_voice", "recording", NULL };

/* Per column, the names a header may give it; the first is the one shown. */
static const char * const names_number[] = { "number", "e164", "phone", NULL };
static const char * const names_scope[] = { "scope", NULL };
static const char * const names_source[] = { "source", NULL };
static const char * const names_evidence[] = { "evidence", NULL };
static const char * const names_collected_at[] = { "collected_at", NULL };
static const char * const names_collected_by[] = { "collected_by", NULL };
static const char * const names_expires_at[] = { "expires_at", NULL };
static const char * const names_seller[] = { "seller", NULL };

static const char * const * const column_names[TB_CONSENT_N_COLUMNS] = {
  [TB_CONSENT_COLUMN_NUMBER] = names_number,
  [TB_CONSENT_COLUMN_SCOPE] = names_scope,
  [TB_CONSENT_COLUMN_SOURCE] = names_source,
  [TB_CONSENT_COLUMN_EVIDENCE] = names_evidence,
  [TB_CONSENT_COLUMN_COLLECTED_AT] = names_collected_at,
  [TB_CONSENT_COLUMN_COLLECTED_BY] = names_collected_by,
  [TB_CONSENT_COLUMN_EXPIRES_AT] = names_expires_at,
  [TB_CONSENT_COLUMN_SELLER] = names_seller,
};

const char *
tb_consent_column_get_name (TbConsentColumn column)
{
  g_return_val_if_fail (column < TB_CONSENT_N_COLUMNS, NULL);

  return column_names[column][0];
}

const char * const *
tb_consent_get_scopes (void)
{
  return scopes;
}

const char *
tb_consent_columns_get_requirement (void)
{
  return "the header needs the columns number, scope, source and collected_at";
}

gboolean
tb_consent_columns_from_header (TbConsentColumns   *columns,
                                const char * const *fields,
                                guint               n_fields)
{
  g_return_val_if_fail (columns != NULL, FALSE);

  for (guint c = 0; c < TB_CONSENT_N_COLUMNS; c++)
    columns->index[c] = -1;
  for (guint i = 0; i < n_fields; i++) {
    g_autofree char *name = g_ascii_strdown (fields[i], -1);

    g_strstrip (name);
    for (guint c = 0; c < TB_CONSENT_N_COLUMNS; c++)
      if (columns->index[c] < 0 && g_strv_contains (column_names[c], name))
        columns->index[c] = (int) i;
  }
  return columns->index[TB_CONSENT_COLUMN_NUMBER] >= 0 &&
         columns->index[TB_CONSENT_COLUMN_SCOPE] >= 0 &&
         columns->index[TB_CONSENT_COLUMN_SOURCE] >= 0 &&
         columns->index[TB_CONSENT_COLUMN_COLLECTED_AT] >= 0;
}

/* The field of @column, trimmed, as a new string; NULL when the row has none or it is empty. */
static char *
dup_field (const TbConsentColumns *columns,
           TbConsentColumn         column,
           const char * const     *fields,
           guint                   n_fields)
{
  int i = columns->index[column];
  char *text;

  if (i < 0 || (guint) i >= n_fields)
    return NULL;
  text = g_strstrip (g_strdup (fields[i]));
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static TbConsentRecord *
refuse (TbConsentRowProblem *problem,
        TbConsentRowProblem  why,
        GError             **error,
        const char          *format,
        ...) G_GNUC_PRINTF (4, 5);

static TbConsentRecord *
refuse (TbConsentRowProblem *problem,
        TbConsentRowProblem  why,
        GError             **error,
        const char          *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (problem != NULL)
    *problem = why;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID, message);
  return NULL;
}

TbConsentRecord *
tb_consent_parse_row (const TbConsentColumns  *columns,
                      const char * const      *fields,
                      guint                    n_fields,
                      gsize                    record_bytes,
                      const char              *region,
                      TbConsentRowProblem     *problem,
                      GError                 **error)
{
  g_autoptr(TbConsentRecord) record = g_new0 (TbConsentRecord, 1);
  g_autoptr(GError) phone_error = NULL;
  g_autofree char *default_region = NULL;
  g_autofree char *number = NULL, *at = NULL, *expires = NULL;
  TbPhoneNumber phone;

  g_return_val_if_fail (columns != NULL, NULL);

  if (problem != NULL)
    *problem = TB_CONSENT_ROW_OK;
  if (n_fields > TB_CONSENT_MAX_FIELDS || record_bytes > TB_CONSENT_MAX_RECORD_BYTES)
    return refuse (problem, TB_CONSENT_ROW_TOO_BIG, error,
                   "a record of more than %d fields or %d KB", TB_CONSENT_MAX_FIELDS,
                   TB_CONSENT_MAX_RECORD_BYTES / 1024);

  if (region == NULL)
    region = default_region = tb_phone_dup_default_region ();
  number = dup_field (columns, TB_CONSENT_COLUMN_NUMBER, fields, n_fields);
  if (!tb_phone_normalize (number ? number : "", region, &phone, &phone_error))
    return refuse (problem, number == NULL ? TB_CONSENT_ROW_NUMBER_EMPTY
                                           : TB_CONSENT_ROW_NUMBER_INVALID,
                   error, "number \"%s\": %s", number ? number : "", phone_error->message);
  record->e164 = g_strdup (phone.e164);

  record->scope = dup_field (columns, TB_CONSENT_COLUMN_SCOPE, fields, n_fields);
  if (record->scope == NULL || !g_strv_contains (scopes, record->scope))
    return refuse (problem, TB_CONSENT_ROW_SCOPE, error,
                   "scope \"%s\" is not marketing, ai_voice or recording",
                   record->scope ? record->scope : "");
  record->source = dup_field (columns, TB_CONSENT_COLUMN_SOURCE, fields, n_fields);
  if (record->source == NULL)
    return refuse (problem, TB_CONSENT_ROW_SOURCE, error, "source is empty");
  at = dup_field (columns, TB_CONSENT_COLUMN_COLLECTED_AT, fields, n_fields);
  if (!tb_consent_parse_time (at, &record->collected_at))
    return refuse (problem, TB_CONSENT_ROW_DATE, error, "collected_at \"%s\" is not ISO 8601",
                   at ? at : "");
  expires = dup_field (columns, TB_CONSENT_COLUMN_EXPIRES_AT, fields, n_fields);
  if (expires != NULL && !tb_consent_parse_time (expires, &record->expires_at))
    return refuse (problem, TB_CONSENT_ROW_DATE, error, "expires_at \"%s\" is not ISO 8601",
                   expires);
  record->evidence = dup_field (columns, TB_CONSENT_COLUMN_EVIDENCE, fields, n_fields);
  record->collected_by = dup_field (columns, TB_CONSENT_COLUMN_COLLECTED_BY, fields, n_fields);
  record->seller = dup_field (columns, TB_CONSENT_COLUMN_SELLER, fields, n_fields);
  return g_steal_pointer (&record);
}

gboolean
tb_consent_import_file (TbStore     *store,
                        const char  *path,
                        const char  *region,
                        gint64       now,
                        guint       *n_imported,
                        GError     **error)
{
  g_autoptr(TbCsvReader) reader = NULL;
  g_autoptr(GError) local = NULL;
  TbConsentColumns columns;
  TbCsvResult r;
  guint count = 0;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (n_imported)
    *n_imported = 0;
  if ((reader = tb_csv_reader_new_for_path (path, NULL, 0, error)) == NULL)
    return FALSE;

  if ((r = tb_csv_reader_next (reader, error)) == TB_CSV_FAILED)
    return FALSE;
  if (r == TB_CSV_END || tb_csv_reader_get_problem (reader) != NULL) {
    g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID, "%s:1: %s", path,
                 r == TB_CSV_END ? tb_consent_columns_get_requirement ()
                                 : tb_csv_reader_get_problem (reader));
    return FALSE;
  } else {
    guint n_fields;
    const char * const *fields = tb_csv_reader_get_fields (reader, &n_fields);

    if (!tb_consent_columns_from_header (&columns, fields, n_fields)) {
      g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID, "%s:%" G_GUINT64_FORMAT
                   ": %s", path, tb_csv_reader_get_line (reader),
                   tb_consent_columns_get_requirement ());
      return FALSE;
    }
  }

  if (!tb_store_begin (store, error))
    return FALSE;
  while ((r = tb_csv_reader_next (reader, &local)) == TB_CSV_RECORD) {
    g_autoptr(TbConsentRecord) record = NULL;
    guint64 line = tb_csv_reader_get_line (reader);
    const char * const *fields;
    guint n_fields;
    gsize bytes = 0;

    fields = tb_csv_reader_get_fields (reader, &n_fields);
    tb_csv_reader_get_text (reader, &bytes);
    /* A record the reader could not split is refused as the reader says, unless it is too
     * big for a consent record anyway. */
    if (tb_csv_reader_get_problem (reader) != NULL && bytes <= TB_CONSENT_MAX_RECORD_BYTES) {
      g_set_error (&local, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID, "%s",
                   tb_csv_reader_get_problem (reader));
    } else {
      if (tb_csv_reader_get_problem (reader) != NULL)
        n_fields = 0;
      record = tb_consent_parse_row (&columns, fields, n_fields, bytes, region, NULL, &local);
    }
    if (record == NULL || tb_consent_add (store, record, now, &local) == 0) {
      g_propagate_prefixed_error (error, g_steal_pointer (&local),
                                  "%s:%" G_GUINT64_FORMAT ": ", path, line);
      tb_store_rollback (store);
      return FALSE;
    }
    count++;
  }
  if (r == TB_CSV_FAILED) {
    /* The reader's message names the file and the line. */
    g_propagate_error (error, g_steal_pointer (&local));
    tb_store_rollback (store);
    return FALSE;
  }
  if (!tb_store_commit (store, error))
    return FALSE;
  if (n_imported)
    *n_imported = count;
  return TRUE;
}
