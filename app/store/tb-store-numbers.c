/* tb-store-numbers.c — what carriers said about numbers: the vacant ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-numbers"

#include "config.h"

#include "tb-store-numbers.h"
#include "tb-store-private.h"

#define COLUMNS "e164, status, source, detail, attempt_id, created_at"

void
tb_number_status_clear (TbNumberStatus *status)
{
  g_clear_pointer (&status->e164, g_free);
  g_clear_pointer (&status->status, g_free);
  g_clear_pointer (&status->source, g_free);
  g_clear_pointer (&status->detail, g_free);
}

void
tb_number_status_free (TbNumberStatus *status)
{
  if (status == NULL)
    return;
  tb_number_status_clear (status);
  g_free (status);
}

static void
read_row (sqlite3_stmt   *stmt,
          TbNumberStatus *out)
{
  out->e164 = _tb_column_dup_text (stmt, 0);
  out->status = _tb_column_dup_text (stmt, 1);
  out->source = _tb_column_dup_text (stmt, 2);
  out->detail = _tb_column_dup_text (stmt, 3);
  out->attempt_id = sqlite3_column_int64 (stmt, 4);
  out->created_at = sqlite3_column_int64 (stmt, 5);
}

gboolean
tb_store_number_status_set (TbStore     *self,
                            const char  *e164,
                            const char  *status,
                            const char  *source,
                            const char  *detail,
                            gint64       attempt_id,
                            gint64       at,
                            GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (e164 != NULL && status != NULL && source != NULL, FALSE);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO number_status (" COLUMNS ") "
                            "VALUES (:e164, :status, :source, :detail, :attempt, :at) "
                            "ON CONFLICT (e164) DO UPDATE SET status = excluded.status, "
                            "  source = excluded.source, detail = excluded.detail, "
                            "  attempt_id = coalesce (excluded.attempt_id, attempt_id)", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":e164", e164);
  _tb_bind_text (stmt, ":status", status);
  _tb_bind_text (stmt, ":source", source);
  _tb_bind_text (stmt, ":detail", detail);
  if (attempt_id > 0)
    _tb_bind_int64 (stmt, ":attempt", attempt_id);
  else
    _tb_bind_null (stmt, ":attempt");
  _tb_bind_int64 (stmt, ":at", at);
  return _tb_store_step_done (self, stmt, error);
}

gboolean
tb_store_number_status_lookup (TbStore        *self,
                               const char     *e164,
                               TbNumberStatus *out)
{
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self, "SELECT " COLUMNS " FROM number_status WHERE e164 = :e164",
                            NULL);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":e164", e164);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found && out != NULL)
    read_row (stmt, out);
  sqlite3_reset (stmt);
  return found;
}

gboolean
tb_store_number_status_remove (TbStore     *self,
                               const char  *e164,
                               GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self, "DELETE FROM number_status WHERE e164 = :e164", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":e164", e164);
  if (!_tb_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_tb_store_get_db (self)) == 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "%s is not recorded as a dead number", e164);
    return FALSE;
  }
  return TRUE;
}

GPtrArray *
tb_store_number_status_list (TbStore  *self,
                             GError  **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tb_number_status_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self, "SELECT " COLUMNS " FROM number_status "
                            "ORDER BY created_at DESC, e164", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbNumberStatus *row = g_new0 (TbNumberStatus, 1);

    read_row (stmt, row);
    g_ptr_array_add (out, row);
  }
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "number_status", error);
    sqlite3_reset (stmt);
    return NULL;
  }
  sqlite3_reset (stmt);
  return g_steal_pointer (&out);
}
