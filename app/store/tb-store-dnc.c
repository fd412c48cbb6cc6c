/* tb-store-dnc.c — the business's one do-not-call list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-dnc"

#include "config.h"

#include "tb-store-dnc.h"
#include "tb-store-private.h"

void
tb_dnc_entry_clear (TbDncEntry *entry)
{
  g_clear_pointer (&entry->e164, g_free);
  g_clear_pointer (&entry->source, g_free);
  g_clear_pointer (&entry->reason, g_free);
  g_clear_pointer (&entry->words, g_free);
}

gboolean
tb_store_dnc_add (TbStore     *self,
                  const char  *e164,
                  const char  *source,
                  const char  *reason,
                  const char  *words,
                  gint64       attempt_id,
                  GError     **error)
{
  return tb_store_dnc_add_at (self, e164, source, reason, words, attempt_id,
                              g_get_real_time (), error);
}

gboolean
tb_store_dnc_add_at (TbStore     *self,
                     const char  *e164,
                     const char  *source,
                     const char  *reason,
                     const char  *words,
                     gint64       attempt_id,
                     gint64       at,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (e164 != NULL && source != NULL, FALSE);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO dnc (e164, source, reason, words, attempt_id, created_at) "
                            "VALUES (:e164, :source, :reason, :words, :attempt, :now) "
                            "ON CONFLICT (e164) DO UPDATE SET source = excluded.source, "
                            "  reason = coalesce (excluded.reason, reason), "
                            "  words = coalesce (excluded.words, words), "
                            "  attempt_id = coalesce (excluded.attempt_id, attempt_id), "
                            "  expires_at = NULL", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":e164", e164);
  _tb_bind_text (stmt, ":source", source);
  _tb_bind_text (stmt, ":reason", reason);
  _tb_bind_text (stmt, ":words", words);
  if (attempt_id > 0)
    _tb_bind_int64 (stmt, ":attempt", attempt_id);
  else
    _tb_bind_null (stmt, ":attempt");
  _tb_bind_int64 (stmt, ":now", at);
  return _tb_store_step_done (self, stmt, error);
}

gboolean
tb_store_dnc_remove (TbStore     *self,
                     const char  *e164,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self, "DELETE FROM dnc WHERE e164 = :e164", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":e164", e164);
  if (!_tb_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_tb_store_get_db (self)) == 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "%s is not on the do-not-call list", e164);
    return FALSE;
  }
  return TRUE;
}

gboolean
tb_store_dnc_lookup (TbStore    *self,
                     const char *e164,
                     gint64      now,
                     TbDncEntry *entry)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "SELECT e164, source, reason, words, attempt_id, created_at, "
                            "  expires_at FROM dnc "
                            "WHERE e164 = :e164 AND (expires_at IS NULL OR expires_at > :now)",
                            NULL);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":e164", e164);
  _tb_bind_int64 (stmt, ":now", now);
  if (sqlite3_step (stmt) == SQLITE_ROW) {
    found = TRUE;
    if (entry != NULL) {
      entry->e164 = _tb_column_dup_text (stmt, 0);
      entry->source = _tb_column_dup_text (stmt, 1);
      entry->reason = _tb_column_dup_text (stmt, 2);
      entry->words = _tb_column_dup_text (stmt, 3);
      entry->attempt_id = sqlite3_column_int64 (stmt, 4);
      entry->created_at = sqlite3_column_int64 (stmt, 5);
      entry->expires_at = sqlite3_column_int64 (stmt, 6);
    }
  }
  sqlite3_reset (stmt);
  return found;
}

void
tb_dnc_entry_free (TbDncEntry *entry)
{
  if (entry == NULL)
    return;
  tb_dnc_entry_clear (entry);
  g_free (entry);
}

static char *
digits_pattern (const char *search)
{
  GString *s;

  if (search == NULL || *search == '\0')
    return NULL;
  s = g_string_new ("%");
  for (const char *p = search; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (s, *p);
  g_string_append_c (s, '%');
  return g_string_free (s, FALSE);
}

#define ENTRY_COLUMNS "e164, source, reason, words, attempt_id, created_at, expires_at"

static TbDncEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  TbDncEntry *entry = g_new0 (TbDncEntry, 1);

  entry->e164 = _tb_column_dup_text (stmt, 0);
  entry->source = _tb_column_dup_text (stmt, 1);
  entry->reason = _tb_column_dup_text (stmt, 2);
  entry->words = _tb_column_dup_text (stmt, 3);
  entry->attempt_id = sqlite3_column_int64 (stmt, 4);
  entry->created_at = sqlite3_column_int64 (stmt, 5);
  entry->expires_at = sqlite3_column_int64 (stmt, 6);
  return entry;
}

gboolean
tb_store_dnc_list (TbStore     *self,
                   const char  *search,
                   gint64       offset,
                   guint        limit,
                   GPtrArray   *out,
                   GError     **error)
{
  g_autofree char *q = digits_pattern (search);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "SELECT " ENTRY_COLUMNS " FROM dnc "
                            "WHERE (:q IS NULL OR e164 LIKE :q) "
                            "ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset",
                            error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":q", q);
  _tb_bind_int64 (stmt, ":limit", limit);
  _tb_bind_int64 (stmt, ":offset", offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, entry_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "list do-not-call entries", error);
  return TRUE;
}

gboolean
tb_store_dnc_foreach (TbStore     *self,
                      TbDncFunc    func,
                      gpointer     user_data,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Its own statement: @func may use the store's cached ones. */
  rc = sqlite3_prepare_v2 (_tb_store_get_db (self),
                           "SELECT " ENTRY_COLUMNS " FROM dnc ORDER BY created_at, id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _tb_store_set_error (self, rc, "read do-not-call entries", error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    g_autoptr(TbDncEntry) entry = entry_from_row (stmt);

    if (!func (entry, user_data, error)) {
      sqlite3_finalize (stmt);
      return FALSE;
    }
  }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "read do-not-call entries", error);
  return TRUE;
}

gint64
tb_store_dnc_count (TbStore    *self,
                    const char *search)
{
  g_autofree char *q = digits_pattern (search);
  sqlite3_stmt *stmt;
  gint64 n = 0;

  g_return_val_if_fail (TB_IS_STORE (self), 0);

  stmt = _tb_store_prepare (self, "SELECT count(*) FROM dnc WHERE (:q IS NULL OR e164 LIKE :q)",
                            NULL);
  if (stmt == NULL)
    return 0;
  _tb_bind_text (stmt, ":q", q);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}
