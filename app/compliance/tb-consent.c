/* tb-consent.c — consent ledger: CSV import, add, revoke, each audited
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-consent"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-audit.h"
#include "tb-consent.h"
#include "tb-limits.h"
#include "tb-phone.h"
#include "tb-store-audit.h"

G_DEFINE_QUARK (tb-consent-error-quark, tb_consent_error)

static const char * const scopes[] = { "marketing", "ai_voice", "recording", NULL };

gboolean
tb_consent_parse_time (const char *text,
                       gint64     *out)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (strlen (text) == 10) {
    g_autofree char *full = g_strconcat (text, "T00:00:00Z", NULL);
    dt = g_date_time_new_from_iso8601 (full, utc);
  } else {
    dt = g_date_time_new_from_iso8601 (text, utc);
  }
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

gint64
tb_consent_add (TbStore                *store,
                const TbConsentRecord  *record,
                gint64                  now,
                GError                **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  gint64 id;

  if (!tb_store_begin (store, error))
    return 0;
  if ((id = tb_store_consent_add (store, record, error)) == 0)
    goto fail;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "consent_id");
  json_builder_add_int_value (b, id);
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, record->scope);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, record->source);
  json_builder_set_member_name (b, "evidence");
  json_builder_add_string_value (b, record->evidence);
  json_builder_set_member_name (b, "collected_at");
  json_builder_add_int_value (b, record->collected_at);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  if (tb_audit_append (store, now, TB_AUDIT_KIND_CONSENT_ADDED, record->e164, 0, 0, detail,
                       error) == 0)
    goto fail;
  return tb_store_commit (store, error) ? id : 0;

fail:
  tb_store_rollback (store);
  return 0;
}

gint64
tb_consent_revoke (TbStore     *store,
                   const char  *e164,
                   const char  *scope,
                   gint64       now,
                   GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  gint64 n;

  if (!tb_store_begin (store, error))
    return -1;
  if ((n = tb_store_consent_revoke (store, e164, scope, now, error)) < 0)
    goto fail;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scope");
  if (scope)
    json_builder_add_string_value (b, scope);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "revoked");
  json_builder_add_int_value (b, n);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  if (tb_audit_append (store, now, "consent.revoked", e164, 0, 0, detail, error) == 0)
    goto fail;
  return tb_store_commit (store, error) ? n : -1;

fail:
  tb_store_rollback (store);
  return -1;
}

/* A consent record has 4 to 8 fields and fits on a line: these bound what one record may
 * cost (a 30 MB line of commas made 4.7 GB of empty fields). */
#define MAX_RECORD_FIELDS 64
#define MAX_RECORD_BYTES  (64 * 1024)

static gboolean
record_too_long (const char  *start,
                 const char  *s,
                 guint        n_fields,
                 guint        line,
                 const char  *path,
                 GError     **error)
{
  if (n_fields < MAX_RECORD_FIELDS && (gsize) (s - start) < MAX_RECORD_BYTES)
    return FALSE;
  g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID,
               "%s:%u: a record of more than %d fields or %d KB", path, line,
               MAX_RECORD_FIELDS, MAX_RECORD_BYTES / 1024);
  return TRUE;
}

/* Minimal RFC 4180 reader: one record from @p, fields into @fields; quoted
 * fields may hold commas, doubled quotes and newlines. Advances @line. */
static gboolean
read_record (const char **p,
             GPtrArray   *fields,
             guint       *line,
             GError     **error,
             const char  *path)
{
  const char *s = *p;
  GString *field = g_string_new (NULL);
  guint start_line = *line;

  g_ptr_array_set_size (fields, 0);
  for (;;) {
    if (record_too_long (*p, s, fields->len, start_line, path, error)) {
      g_string_free (field, TRUE);
      return FALSE;
    }
    if (*s == '"') {
      s++;
      for (;;) {
        if (record_too_long (*p, s, fields->len, start_line, path, error)) {
          g_string_free (field, TRUE);
          return FALSE;
        }
        if (*s == '\0') {
          g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID,
                       "%s:%u: a quoted field is not closed", path, start_line);
          g_string_free (field, TRUE);
          return FALSE;
        }
        if (*s == '"' && s[1] == '"') {
          g_string_append_c (field, '"');
          s += 2;
        } else if (*s == '"') {
          s++;
          break;
        } else {
          if (*s == '\n')
            (*line)++;
          g_string_append_c (field, *s++);
        }
      }
    }
    while (*s && *s != ',' && *s != '\n' && *s != '\r' && (gsize) (s - *p) < MAX_RECORD_BYTES)
      g_string_append_c (field, *s++);
    if (record_too_long (*p, s, fields->len, start_line, path, error)) {
      g_string_free (field, TRUE);
      return FALSE;
    }
    g_ptr_array_add (fields, g_string_free (field, FALSE));
    if (*s == ',') {
      s++;
      field = g_string_new (NULL);
      continue;
    }
    if (*s == '\r')
      s++;
    if (*s == '\n') {
      s++;
      (*line)++;
    }
    break;
  }
  *p = s;
  return TRUE;
}

static int
column (GPtrArray          *header,
        const char * const *names)
{
  for (guint i = 0; i < header->len; i++) {
    g_autofree char *h = g_ascii_strdown (g_strstrip ((char *) g_ptr_array_index (header, i)),
                                          -1);

    if (g_strv_contains (names, h))
      return (int) i;
  }
  return -1;
}

static const char *
field_at (GPtrArray *fields,
          int        col)
{
  if (col < 0 || (guint) col >= fields->len)
    return NULL;
  return g_strstrip ((char *) g_ptr_array_index (fields, col));
}

gboolean
tb_consent_import_file (TbStore     *store,
                        const char  *path,
                        const char  *region,
                        gint64       now,
                        guint       *n_imported,
                        GError     **error)
{
  static const char * const c_number[] = { "number", "e164", "phone", NULL };
  static const char * const c_scope[] = { "scope", NULL };
  static const char * const c_source[] = { "source", NULL };
  static const char * const c_evidence[] = { "evidence", NULL };
  static const char * const c_collected_at[] = { "collected_at", NULL };
  static const char * const c_collected_by[] = { "collected_by", NULL };
  static const char * const c_expires_at[] = { "expires_at", NULL };
  static const char * const c_seller[] = { "seller", NULL };
  g_autofree char *text = NULL, *default_region = region ? NULL : tb_phone_dup_default_region ();
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  const char *p;
  guint line = 1, count = 0;
  int col_number, col_scope, col_source, col_evidence, col_at, col_by, col_expires, col_seller;

  if (n_imported)
    *n_imported = 0;
  if (region == NULL)
    region = default_region;
  if (!tb_limits_read_file (path, TB_LIMITS_CONSENT_CSV_BYTES, &text, NULL, error))
    return FALSE;
  if (!g_utf8_validate (text, -1, NULL)) {
    g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID,
                 "%s: not UTF-8 text", path);
    return FALSE;
  }
  p = text;
  if (g_str_has_prefix (p, "\xef\xbb\xbf"))
    p += 3;
  if (!read_record (&p, header, &line, error, path))
    return FALSE;
  col_number = column (header, c_number);
  col_scope = column (header, c_scope);
  col_source = column (header, c_source);
  col_evidence = column (header, c_evidence);
  col_at = column (header, c_collected_at);
  col_by = column (header, c_collected_by);
  col_expires = column (header, c_expires_at);
  col_seller = column (header, c_seller);
  if (col_number < 0 || col_scope < 0 || col_source < 0 || col_at < 0) {
    g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID,
                 "%s:1: the header needs the columns number, scope, source and collected_at",
                 path);
    return FALSE;
  }

  if (!tb_store_begin (store, error))
    return FALSE;
  while (*p) {
    TbConsentRecord rec = { 0 };
    g_autoptr(GError) phone_error = NULL;
    TbPhoneNumber phone;
    guint this_line = line;
    const char *number, *scope, *source, *at, *expires;

    if (!read_record (&p, fields, &line, error, path))
      goto fail;
    if (fields->len == 1 && *(char *) g_ptr_array_index (fields, 0) == '\0')
      continue;
    number = field_at (fields, col_number);
    scope = field_at (fields, col_scope);
    source = field_at (fields, col_source);
    at = field_at (fields, col_at);
    expires = field_at (fields, col_expires);
    if (!tb_phone_normalize (number ? number : "", region, &phone, &phone_error)) {
      g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID,
                   "%s:%u: number \"%s\": %s", path, this_line, number ? number : "",
                   phone_error->message);
      goto fail;
    }
    if (scope == NULL || !g_strv_contains (scopes, scope)) {
      g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID,
                   "%s:%u: scope \"%s\" is not marketing, ai_voice or recording", path,
                   this_line, scope ? scope : "");
      goto fail;
    }
    if (source == NULL || *source == '\0') {
      g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID,
                   "%s:%u: source is empty", path, this_line);
      goto fail;
    }
    if (!tb_consent_parse_time (at, &rec.collected_at)) {
      g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID,
                   "%s:%u: collected_at \"%s\" is not ISO 8601", path, this_line,
                   at ? at : "");
      goto fail;
    }
    if (expires != NULL && *expires != '\0' &&
        !tb_consent_parse_time (expires, &rec.expires_at)) {
      g_set_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID,
                   "%s:%u: expires_at \"%s\" is not ISO 8601", path, this_line, expires);
      goto fail;
    }
    rec.e164 = phone.e164;
    rec.scope = (char *) scope;
    rec.source = (char *) source;
    rec.evidence = (char *) field_at (fields, col_evidence);
    rec.collected_by = (char *) field_at (fields, col_by);
    rec.seller = (char *) field_at (fields, col_seller);
    if (tb_consent_add (store, &rec, now, error) == 0) {
      g_prefix_error (error, "%s:%u: ", path, this_line);
      goto fail;
    }
    count++;
  }
  if (!tb_store_commit (store, error))
    return FALSE;
  if (n_imported)
    *n_imported = count;
  return TRUE;

fail:
  tb_store_rollback (store);
  return FALSE;
}
