/* tb-store-outbox.c — the CRM outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-outbox"

#include "config.h"

#include "tb-store-outbox.h"
#include "tb-store-private.h"

#define ROW_COLUMNS \
  "id, event, idempotency_key, attempt_id, payload, state, tries, next_try_at, " \
  "last_error, created_at, delivered_at"

void
tb_outbox_row_free (TbOutboxRow *row)
{
  if (row == NULL)
    return;
  g_free (row->event);
  g_free (row->idempotency_key);
  g_free (row->payload);
  g_free (row->state);
  g_free (row->last_error);
  g_free (row);
}

void
tb_outbox_counts_clear (TbOutboxCounts *counts)
{
  g_clear_pointer (&counts->last_error, g_free);
}

/* Reads a row selected with ROW_COLUMNS (payload may be NULL in the select). */
static TbOutboxRow *
row_from_stmt (sqlite3_stmt *stmt)
{
  TbOutboxRow *row = g_new0 (TbOutboxRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->event = _tb_column_dup_text (stmt, 1);
  row->idempotency_key = _tb_column_dup_text (stmt, 2);
  row->attempt_id = sqlite3_column_int64 (stmt, 3);
  row->payload = _tb_column_dup_text (stmt, 4);
  row->state = _tb_column_dup_text (stmt, 5);
  row->tries = sqlite3_column_int (stmt, 6);
  row->next_try_at = sqlite3_column_int64 (stmt, 7);
  row->last_error = _tb_column_dup_text (stmt, 8);
  row->created_at = sqlite3_column_int64 (stmt, 9);
  row->delivered_at = sqlite3_column_int64 (stmt, 10);
  return row;
}

static int
compare_rows_by_id (gconstpointer a,
                    gconstpointer b)
{
  const TbOutboxRow *ra = *(TbOutboxRow * const *) a;
  const TbOutboxRow *rb = *(TbOutboxRow * const *) b;

  return (ra->id > rb->id) - (ra->id < rb->id);
}

/* Steps a statement to its end, collecting rows; NULL with @error on failure. */
static GPtrArray *
collect_rows (TbStore       *self,
              sqlite3_stmt  *stmt,
              const char    *what,
              GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_outbox_row_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_stmt (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, what, error);
    return NULL;
  }
  return g_steal_pointer (&rows);
}

gint64
tb_store_outbox_enqueue (TbStore     *self,
                         const char  *event,
                         const char  *idempotency_key,
                         gint64       attempt_id,
                         const char  *payload,
                         gint64       now,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_return_val_if_fail (TB_IS_STORE (self), -1);
  g_return_val_if_fail (event != NULL && idempotency_key != NULL && payload != NULL, -1);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO outbox (event, idempotency_key, attempt_id, payload, "
                            "  state, tries, next_try_at, created_at) "
                            "VALUES (:event, :key, :attempt, :payload, 'pending', 0, :now, :now) "
                            "ON CONFLICT (idempotency_key) DO NOTHING", error);
  if (stmt == NULL)
    return -1;
  _tb_bind_text (stmt, ":event", event);
  _tb_bind_text (stmt, ":key", idempotency_key);
  if (attempt_id > 0)
    _tb_bind_int64 (stmt, ":attempt", attempt_id);
  else
    _tb_bind_null (stmt, ":attempt");
  _tb_bind_text (stmt, ":payload", payload);
  _tb_bind_int64 (stmt, ":now", now);
  if (!_tb_store_step_done (self, stmt, error))
    return -1;

  db = _tb_store_get_db (self);
  return sqlite3_changes (db) > 0 ? sqlite3_last_insert_rowid (db) : 0;
}

GPtrArray *
tb_store_outbox_claim_due (TbStore  *self,
                           gint64    now,
                           gint64    lease_until,
                           guint     limit,
                           GError  **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *rows;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  /* One UPDATE … RETURNING is atomic: two senders cannot claim the same row. */
  stmt = _tb_store_prepare (self,
                            "UPDATE outbox SET tries = tries + 1, next_try_at = :lease "
                            "WHERE id IN (SELECT id FROM outbox "
                            "  WHERE state = 'pending' AND next_try_at <= :now "
                            "  ORDER BY id LIMIT :limit) "
                            "RETURNING " ROW_COLUMNS, error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":lease", lease_until);
  _tb_bind_int64 (stmt, ":now", now);
  _tb_bind_int64 (stmt, ":limit", limit);
  rows = collect_rows (self, stmt, "claim due outbox rows", error);
  if (rows != NULL)
    g_ptr_array_sort (rows, compare_rows_by_id);
  return rows;
}

static gboolean
update_pending (TbStore     *self,
                const char  *sql,
                gint64       id,
                gint64       at,
                const char  *reason,
                GError     **error)
{
  sqlite3_stmt *stmt = _tb_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":id", id);
  _tb_bind_int64 (stmt, ":at", at);
  if (sqlite3_bind_parameter_index (stmt, ":reason") > 0)
    _tb_bind_text (stmt, ":reason", reason);
  if (!_tb_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_tb_store_get_db (self)) == 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "%s: outbox row %" G_GINT64_FORMAT " is not pending",
                 tb_store_get_path (self), id);
    return FALSE;
  }
  return TRUE;
}

gboolean
tb_store_outbox_mark_delivered (TbStore  *self,
                                gint64    id,
                                gint64    now,
                                GError  **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  return update_pending (self,
                         "UPDATE outbox SET state = 'delivered', delivered_at = :at, "
                         "  last_error = NULL "
                         "WHERE id = :id AND state = 'pending'",
                         id, now, NULL, error);
}

gboolean
tb_store_outbox_retry_at (TbStore     *self,
                          gint64       id,
                          gint64       next_try_at,
                          const char  *reason,
                          GError     **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  return update_pending (self,
                         "UPDATE outbox SET next_try_at = :at, last_error = :reason "
                         "WHERE id = :id AND state = 'pending'",
                         id, next_try_at, reason, error);
}

gboolean
tb_store_outbox_mark_failed (TbStore     *self,
                             gint64       id,
                             gint64       now,
                             const char  *reason,
                             GError     **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  /* next_try_at of a failed row records when it failed (for "last error"). */
  return update_pending (self,
                         "UPDATE outbox SET state = 'failed', next_try_at = :at, "
                         "  last_error = :reason "
                         "WHERE id = :id AND state = 'pending'",
                         id, now, reason, error);
}

gint64
tb_store_outbox_requeue_failed (TbStore  *self,
                                gint64    now,
                                GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), -1);

  stmt = _tb_store_prepare (self,
                            "UPDATE outbox SET state = 'pending', next_try_at = :now, tries = 0 "
                            "WHERE state = 'failed'", error);
  if (stmt == NULL)
    return -1;
  _tb_bind_int64 (stmt, ":now", now);
  if (!_tb_store_step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (_tb_store_get_db (self));
}

gboolean
tb_store_outbox_get_counts (TbStore         *self,
                            TbOutboxCounts  *counts,
                            GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  *counts = (TbOutboxCounts) { 0 };

  stmt = _tb_store_prepare (self,
                            "SELECT "
                            "  coalesce (sum (state = 'pending'), 0), "
                            "  coalesce (sum (state = 'delivered'), 0), "
                            "  coalesce (sum (state = 'failed'), 0), "
                            "  coalesce (sum (state = 'pending' AND tries > 0), 0), "
                            "  coalesce (min (CASE WHEN state = 'pending' "
                            "                 THEN next_try_at END), 0) "
                            "FROM outbox", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW) {
    sqlite3_reset (stmt);
    return _tb_store_set_error (self, rc, "count outbox rows", error);
  }
  counts->pending = sqlite3_column_int64 (stmt, 0);
  counts->delivered = sqlite3_column_int64 (stmt, 1);
  counts->failed = sqlite3_column_int64 (stmt, 2);
  counts->retrying = sqlite3_column_int64 (stmt, 3);
  counts->next_try_at = sqlite3_column_int64 (stmt, 4);
  sqlite3_reset (stmt);

  /* A failure needs the user; a retry may heal by itself: show failures first. */
  stmt = _tb_store_prepare (self,
                            "SELECT last_error FROM outbox "
                            "WHERE last_error IS NOT NULL AND state != 'delivered' "
                            "ORDER BY state = 'failed' DESC, next_try_at DESC, id DESC LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    counts->last_error = _tb_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "read the last outbox error", error);
  return TRUE;
}

gint64
tb_store_outbox_count_for (TbStore     *self,
                           gint64       attempt_id,
                           const char  *event,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 count;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), -1);

  stmt = _tb_store_prepare (self,
                            "SELECT count(*) FROM outbox "
                            "WHERE attempt_id = :attempt AND event = :event", error);
  if (stmt == NULL)
    return -1;
  _tb_bind_int64 (stmt, ":attempt", attempt_id);
  _tb_bind_text (stmt, ":event", event);
  rc = sqlite3_step (stmt);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW) {
    _tb_store_set_error (self, rc, "count outbox rows", error);
    return -1;
  }
  return count;
}

GPtrArray *
tb_store_outbox_list_recent (TbStore  *self,
                             guint     limit,
                             GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT id, event, idempotency_key, attempt_id, NULL, state, tries, "
                            "  next_try_at, last_error, created_at, delivered_at "
                            "FROM outbox ORDER BY id DESC LIMIT :limit", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":limit", limit);
  return collect_rows (self, stmt, "list outbox rows", error);
}

TbOutboxRow *
tb_store_outbox_lookup (TbStore     *self,
                        const char  *idempotency_key,
                        GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT " ROW_COLUMNS " FROM outbox WHERE idempotency_key = :key",
                            error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_text (stmt, ":key", idempotency_key);
  rows = collect_rows (self, stmt, "look up an outbox row", error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "%s: no outbox row with key “%s”", tb_store_get_path (self), idempotency_key);
    return NULL;
  }
  return g_ptr_array_steal_index (rows, 0);
}
