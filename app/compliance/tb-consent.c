/* tb-consent.c — consent ledger: add and revoke, each audited (files: tb-consent-file.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-consent"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-audit.h"
#include "tb-consent.h"
#include "tb-store-audit.h"

G_DEFINE_QUARK (tb-consent-error-quark, tb_consent_error)

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
