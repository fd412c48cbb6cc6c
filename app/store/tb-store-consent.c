/* tb-store-consent.c — the consent ledger
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-consent"

#include "config.h"

#include "tb-store-consent.h"
#include "tb-store-private.h"

void
tb_consent_record_free (TbConsentRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->e164);
  g_free (record->seller);
  g_free (record->scope);
  g_free (record->source);
  g_free (record->evidence);
  g_free (record->collected_by);
  g_free (record);
}

static void
bind_time_or_null (sqlite3_stmt *stmt,
                   const char   *name,
                   gint64        value)
{
  if (value > 0)
    _tb_bind_int64 (stmt, name, value);
  else
    _tb_bind_null (stmt, name);
}

gint64
tb_store_consent_add (TbStore                *self,
                      const TbConsentRecord  *record,
                      GError                **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), 0);
  g_return_val_if_fail (record->e164 && record->scope && record->source, 0);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO consent (e164, seller, scope, source, evidence, "
                            "  collected_at, collected_by, expires_at, revoked_at) "
                            "VALUES (:e164, :seller, :scope, :source, :evidence, :collected_at, "
                            "  :collected_by, :expires_at, :revoked_at)", error);
  if (stmt == NULL)
    return 0;
  _tb_bind_text (stmt, ":e164", record->e164);
  _tb_bind_text (stmt, ":seller", record->seller);
  _tb_bind_text (stmt, ":scope", record->scope);
  _tb_bind_text (stmt, ":source", record->source);
  _tb_bind_text (stmt, ":evidence", record->evidence);
  _tb_bind_int64 (stmt, ":collected_at", record->collected_at);
  _tb_bind_text (stmt, ":collected_by", record->collected_by);
  bind_time_or_null (stmt, ":expires_at", record->expires_at);
  bind_time_or_null (stmt, ":revoked_at", record->revoked_at);
  if (!_tb_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_tb_store_get_db (self));
}

gint64
tb_store_consent_revoke (TbStore     *self,
                         const char  *e164,
                         const char  *scope,
                         gint64       at,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), -1);
  g_return_val_if_fail (e164 != NULL, -1);

  stmt = _tb_store_prepare (self,
                            "UPDATE consent SET revoked_at = :at "
                            "WHERE e164 = :e164 AND revoked_at IS NULL "
                            "  AND (:scope IS NULL OR scope = :scope)", error);
  if (stmt == NULL)
    return -1;
  _tb_bind_int64 (stmt, ":at", at);
  _tb_bind_text (stmt, ":e164", e164);
  _tb_bind_text (stmt, ":scope", scope);
  if (!_tb_store_step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (_tb_store_get_db (self));
}

GPtrArray *
tb_store_consent_list (TbStore     *self,
                       const char  *e164,
                       GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tb_consent_record_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT id, e164, seller, scope, source, evidence, collected_at, "
                            "  collected_by, expires_at, revoked_at FROM consent "
                            "WHERE e164 = :e164 ORDER BY collected_at, id", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_text (stmt, ":e164", e164);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbConsentRecord *r = g_new0 (TbConsentRecord, 1);

    r->id = sqlite3_column_int64 (stmt, 0);
    r->e164 = _tb_column_dup_text (stmt, 1);
    r->seller = _tb_column_dup_text (stmt, 2);
    r->scope = _tb_column_dup_text (stmt, 3);
    r->source = _tb_column_dup_text (stmt, 4);
    r->evidence = _tb_column_dup_text (stmt, 5);
    r->collected_at = sqlite3_column_int64 (stmt, 6);
    r->collected_by = _tb_column_dup_text (stmt, 7);
    r->expires_at = sqlite3_column_int64 (stmt, 8);
    r->revoked_at = sqlite3_column_int64 (stmt, 9);
    g_ptr_array_add (out, r);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "list consent", error);
    return NULL;
  }
  return g_steal_pointer (&out);
}

gboolean
tb_store_consent_has_valid (TbStore    *self,
                            const char *e164,
                            const char *scope,
                            gint64      now,
                            gint64     *id_out)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "SELECT id FROM consent WHERE e164 = :e164 AND scope = :scope "
                            "  AND collected_at <= :now "
                            "  AND (expires_at IS NULL OR expires_at > :now) "
                            "  AND (revoked_at IS NULL OR revoked_at > :now) "
                            "ORDER BY collected_at DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":e164", e164);
  _tb_bind_text (stmt, ":scope", scope);
  _tb_bind_int64 (stmt, ":now", now);
  if (sqlite3_step (stmt) == SQLITE_ROW) {
    found = TRUE;
    if (id_out != NULL)
      *id_out = sqlite3_column_int64 (stmt, 0);
  }
  sqlite3_reset (stmt);
  return found;
}
