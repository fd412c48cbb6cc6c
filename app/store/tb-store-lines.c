/* tb-store-lines.c — the lines table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-lines"

#include "config.h"

#include "tb-store-lines.h"
#include "tb-store-private.h"

void
tb_line_row_free (TbLineRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row->kind);
  g_free (row->config);
  g_free (row);
}

static TbLineRow *
read_row (sqlite3_stmt *stmt)
{
  TbLineRow *row = g_new0 (TbLineRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->name = _tb_column_dup_text (stmt, 1);
  row->kind = _tb_column_dup_text (stmt, 2);
  row->config = _tb_column_dup_text (stmt, 3);
  row->max_calls = sqlite3_column_int (stmt, 4);
  row->enabled = sqlite3_column_int (stmt, 5) != 0;
  row->created_at = sqlite3_column_int64 (stmt, 6);
  return row;
}

GPtrArray *
tb_store_list_lines (TbStore  *self,
                     GError  **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_line_row_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT id, name, kind, config, max_calls, enabled, created_at "
                            "FROM lines ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "listing lines", error);
    return NULL;
  }
  return g_steal_pointer (&rows);
}

TbLineRow *
tb_store_get_line (TbStore     *self,
                   const char  *name,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  TbLineRow *row = NULL;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT id, name, kind, config, max_calls, enabled, created_at "
                            "FROM lines WHERE name = :name", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_text (stmt, ":name", name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row = read_row (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return row;
  if (rc == SQLITE_DONE)
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND, "no line named \"%s\"", name);
  else
    _tb_store_set_error (self, rc, "reading a line", error);
  return NULL;
}

gboolean
tb_store_update_line (TbStore     *self,
                      const char  *name,
                      const char  *config_json,
                      int          max_calls,
                      gboolean     enabled,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && config_json != NULL, FALSE);

  stmt = _tb_store_prepare (self,
                            "UPDATE lines SET config = :config, max_calls = :max_calls, "
                            "enabled = :enabled WHERE name = :name", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":name", name);
  _tb_bind_text (stmt, ":config", config_json);
  _tb_bind_int64 (stmt, ":max_calls", max_calls);
  _tb_bind_int64 (stmt, ":enabled", enabled ? 1 : 0);
  if (!_tb_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_tb_store_get_db (self)) == 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND, "no line named \"%s\"", name);
    return FALSE;
  }
  return TRUE;
}

gboolean
tb_store_remove_line (TbStore     *self,
                      const char  *name,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 uses = 0;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  /* Say who uses it, rather than a bare foreign-key failure. */
  stmt = _tb_store_prepare (self,
                            "SELECT (SELECT count(*) FROM campaigns c JOIN lines l "
                            "        ON c.line_id = l.id WHERE l.name = :name) + "
                            "       (SELECT count(*) FROM attempts a JOIN lines l "
                            "        ON a.line_id = l.id WHERE l.name = :name)", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":name", name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    uses = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (uses > 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT,
                 "line \"%s\" is used by %" G_GINT64_FORMAT " campaign(s) or call(s); "
                 "disable it instead", name, uses);
    return FALSE;
  }
  stmt = _tb_store_prepare (self, "DELETE FROM lines WHERE name = :name", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":name", name);
  if (!_tb_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_tb_store_get_db (self)) == 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND, "no line named \"%s\"", name);
    return FALSE;
  }
  return TRUE;
}
