/* tb-store-imports.c — contact imports, and undoing one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-imports"

#include "config.h"

#include "tb-store-imports.h"
#include "tb-store-private.h"

/* A contact of the import that was dialed, or is being dialed: it stays. */
#define DIALED(c) \
  "(EXISTS (SELECT 1 FROM attempts a WHERE a.contact_id = " c ".id) OR " \
  " EXISTS (SELECT 1 FROM queue q WHERE q.contact_id = " c ".id AND q.state = 'active'))"

gint64
tb_store_add_import (TbStore     *self,
                     gint64       list_id,
                     gboolean     created_list,
                     const char  *source,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), 0);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO imports (list_id, created_list, source, created_at) "
                            "VALUES (:list, :created, :source, :now)", error);
  if (stmt == NULL)
    return 0;
  _tb_bind_int64 (stmt, ":list", list_id);
  _tb_bind_int64 (stmt, ":created", created_list ? 1 : 0);
  _tb_bind_text (stmt, ":source", source);
  _tb_bind_int64 (stmt, ":now", g_get_real_time ());
  if (!_tb_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_tb_store_get_db (self));
}

/* Runs @sql with :id bound to @id; the first column of its row, or -1 with @error set. */
static gint64
query_int (TbStore     *self,
           const char  *sql,
           gint64       id,
           GError     **error)
{
  sqlite3_stmt *stmt = _tb_store_prepare (self, sql, error);
  gint64 value = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  _tb_bind_int64 (stmt, ":id", id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "undo import", error);
    return -1;
  }
  return value;
}

static gboolean
exec_id (TbStore     *self,
         const char  *sql,
         gint64       id,
         GError     **error)
{
  sqlite3_stmt *stmt = _tb_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":id", id);
  return _tb_store_step_done (self, stmt, error);
}

static gboolean
undo_in_transaction (TbStore      *self,
                     gint64        import_id,
                     TbImportUndo *undo,
                     GError      **error)
{
  gint64 list_id, created, left, dialing;

  if ((list_id = query_int (self, "SELECT list_id FROM imports WHERE id = :id", import_id,
                            error)) < 0)
    return FALSE;
  if (list_id == 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "import %" G_GINT64_FORMAT " was undone already, or its list deleted",
                 import_id);
    return FALSE;
  }
  if ((created = query_int (self, "SELECT created_list FROM imports WHERE id = :id", import_id,
                            error)) < 0 ||
      !exec_id (self, "DELETE FROM contacts WHERE import_id = :id AND NOT " DIALED ("contacts"),
                import_id, error))
    return FALSE;
  undo->removed = sqlite3_changes (_tb_store_get_db (self));
  if ((undo->kept = query_int (self, "SELECT count (*) FROM contacts WHERE import_id = :id",
                               import_id, error)) < 0)
    return FALSE;
  if (undo->kept > 0)
    return TRUE;

  /* Nothing of the import is left: forget it, and the list it made if that is empty now. */
  if (!exec_id (self, "DELETE FROM imports WHERE id = :id", import_id, error) ||
      (left = query_int (self, "SELECT count (*) FROM contacts WHERE list_id = :id", list_id,
                         error)) < 0 ||
      (dialing = query_int (self, "SELECT count (*) FROM campaigns WHERE list_id = :id "
                            "AND state IN ('running', 'paused')", list_id, error)) < 0)
    return FALSE;
  if (created && left == 0 && dialing == 0) {
    if (!exec_id (self, "DELETE FROM lists WHERE id = :id", list_id, error))
      return FALSE;
    undo->list_deleted = TRUE;
  }
  return TRUE;
}

gboolean
tb_store_undo_import (TbStore      *self,
                      gint64        import_id,
                      TbImportUndo *undo,
                      GError      **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  *undo = (TbImportUndo) { 0 };
  if (!tb_store_begin (self, error))
    return FALSE;
  if (!undo_in_transaction (self, import_id, undo, error)) {
    tb_store_rollback (self);
    *undo = (TbImportUndo) { 0 };
    return FALSE;
  }
  return tb_store_commit (self, error);
}
