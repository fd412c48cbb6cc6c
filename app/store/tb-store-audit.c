/* tb-store-audit.c — audit rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-audit"

#include "config.h"

#include "tb-store-audit.h"
#include "tb-store-private.h"

void
tb_audit_row_clear (TbAuditRow *row)
{
  g_clear_pointer (&row->kind, g_free);
  g_clear_pointer (&row->e164, g_free);
  g_clear_pointer (&row->detail, g_free);
  g_clear_pointer (&row->prev_hash, g_free);
  g_clear_pointer (&row->hash, g_free);
}

gboolean
tb_store_audit_get_last (TbStore  *self,
                         gint64   *id,
                         char    **hash,
                         GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  *id = 0;
  *hash = NULL;
  stmt = _tb_store_prepare (self, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW) {
    *id = sqlite3_column_int64 (stmt, 0);
    *hash = _tb_column_dup_text (stmt, 1);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "read the audit log", error);
  return TRUE;
}

gboolean
tb_store_audit_insert (TbStore           *self,
                       const TbAuditRow  *row,
                       GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO audit (id, at, kind, e164, campaign_id, attempt_id, "
                            "  detail, prev_hash, hash) "
                            "VALUES (:id, :at, :kind, :e164, :campaign, :attempt, :detail, "
                            "  :prev, :hash)", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":id", row->id);
  _tb_bind_int64 (stmt, ":at", row->at);
  _tb_bind_text (stmt, ":kind", row->kind);
  _tb_bind_text (stmt, ":e164", row->e164);
  _tb_bind_id_or_null (stmt, ":campaign", row->campaign_id);
  _tb_bind_id_or_null (stmt, ":attempt", row->attempt_id);
  _tb_bind_text (stmt, ":detail", row->detail);
  _tb_bind_text (stmt, ":prev", row->prev_hash);
  _tb_bind_text (stmt, ":hash", row->hash);
  return _tb_store_step_done (self, stmt, error);
}

gboolean
tb_store_audit_foreach (TbStore         *self,
                        const char      *e164,
                        gint64           campaign_id,
                        TbAuditRowFunc   func,
                        gpointer         user_data,
                        GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  /* Its own statement: a visitor may append to the log while we read. */
  rc = sqlite3_prepare_v2 (_tb_store_get_db (self),
                           "SELECT id, at, kind, e164, campaign_id, attempt_id, detail, "
                           "  prev_hash, hash FROM audit "
                           "WHERE (?1 IS NULL OR e164 = ?1) AND (?2 = 0 OR campaign_id = ?2) "
                           "ORDER BY id", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _tb_store_set_error (self, rc, "read the audit log", error);
  if (e164 != NULL)
    sqlite3_bind_text (stmt, 1, e164, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, MAX (campaign_id, 0));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    g_auto(TbAuditRow) row = { 0 };

    row.id = sqlite3_column_int64 (stmt, 0);
    row.at = sqlite3_column_int64 (stmt, 1);
    row.kind = _tb_column_dup_text (stmt, 2);
    row.e164 = _tb_column_dup_text (stmt, 3);
    row.campaign_id = sqlite3_column_int64 (stmt, 4);
    row.attempt_id = sqlite3_column_int64 (stmt, 5);
    row.detail = _tb_column_dup_text (stmt, 6);
    row.prev_hash = _tb_column_dup_text (stmt, 7);
    row.hash = _tb_column_dup_text (stmt, 8);
    if (!func (&row, user_data)) {
      rc = SQLITE_DONE;
      break;
    }
  }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "read the audit log", error);
  return TRUE;
}

gint64
tb_store_audit_find_last_decision (TbStore     *self,
                                   const char  *e164,
                                   gint64       campaign_id,
                                   char       **kind,
                                   char       **rule,
                                   GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), -1);
  g_return_val_if_fail (e164 != NULL, -1);

  stmt = _tb_store_prepare (self,
                            "SELECT id, kind, json_extract (detail, '$.rule') FROM audit "
                            "WHERE e164 = :e164 AND coalesce (campaign_id, 0) = :campaign "
                            "  AND (kind GLOB 'dial.*' OR kind GLOB 'schedule.*') "
                            "ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return -1;
  _tb_bind_text (stmt, ":e164", e164);
  _tb_bind_int64 (stmt, ":campaign", MAX (campaign_id, 0));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW) {
    id = sqlite3_column_int64 (stmt, 0);
    *kind = _tb_column_dup_text (stmt, 1);
    *rule = _tb_column_dup_text (stmt, 2);
  } else if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "read the audit log", error);
    id = -1;
  }
  sqlite3_reset (stmt);
  return id;
}

gboolean
tb_store_audit_get_marks (TbStore       *self,
                          TbAuditMarks  *marks,
                          GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  memset (marks, 0, sizeof *marks);
  stmt = _tb_store_prepare (self,
                            "SELECT (SELECT coalesce (max (id), 0) FROM attempts), "
                            "  (SELECT coalesce (max (id), 0) FROM dnc), "
                            "  (SELECT coalesce (max (id), 0) FROM consent)", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW) {
    marks->attempts = sqlite3_column_int64 (stmt, 0);
    marks->dnc = sqlite3_column_int64 (stmt, 1);
    marks->consent = sqlite3_column_int64 (stmt, 2);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _tb_store_set_error (self, rc, "read the audited tables", error);
  return TRUE;
}

void
tb_audit_missing_free (TbAuditMissing *missing)
{
  if (missing == NULL)
    return;
  g_free (missing->e164);
  g_free (missing);
}

#define MISSING_SQL \
  "SELECT 0, a.id, a.e164 FROM attempts a WHERE a.id > :attempts AND NOT EXISTS " \
  "  (SELECT 1 FROM audit u WHERE u.attempt_id = a.id " \
  "     AND u.kind = '" TB_AUDIT_KIND_CALL_PLACED "') " \
  "UNION ALL " \
  "SELECT 1, d.id, d.e164 FROM dnc d WHERE d.id > :dnc AND NOT EXISTS " \
  "  (SELECT 1 FROM audit u WHERE u.e164 = d.e164 " \
  "     AND u.kind IN ('" TB_AUDIT_KIND_DNC_ADDED "', '" TB_AUDIT_KIND_DNC_OPT_OUT "')) " \
  "UNION ALL " \
  "SELECT 2, c.id, c.e164 FROM consent c WHERE c.id > :consent AND NOT EXISTS " \
  "  (SELECT 1 FROM audit u WHERE u.e164 = c.e164 " \
  "     AND u.kind = '" TB_AUDIT_KIND_CONSENT_ADDED "' " \
  "     AND json_extract (u.detail, '$.consent_id') = c.id)"

GPtrArray *
tb_store_audit_list_missing (TbStore             *self,
                             const TbAuditMarks  *after,
                             guint                limit,
                             gint64              *total,
                             GError             **error)
{
  static const char * const tables[] = { "attempts", "dnc", "consent" };
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             tb_audit_missing_free);
  sqlite3_stmt *stmt;
  gint64 n = 0;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);
  g_return_val_if_fail (after != NULL, NULL);

  stmt = _tb_store_prepare (self, MISSING_SQL " ORDER BY 1, 2", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":attempts", after->attempts);
  _tb_bind_int64 (stmt, ":dnc", after->dnc);
  _tb_bind_int64 (stmt, ":consent", after->consent);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbAuditMissing *m;

    if (n++ >= limit)
      continue;
    m = g_new0 (TbAuditMissing, 1);
    m->table = tables[CLAMP (sqlite3_column_int (stmt, 0), 0, 2)];
    m->id = sqlite3_column_int64 (stmt, 1);
    m->e164 = _tb_column_dup_text (stmt, 2);
    g_ptr_array_add (out, m);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "read the audited tables", error);
    return NULL;
  }
  if (total != NULL)
    *total = n;
  return g_steal_pointer (&out);
}
