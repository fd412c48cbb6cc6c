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
                            "SELECT (SELECT count(DISTINCT c.id) FROM campaigns c "
                            "        JOIN lines l ON l.name = :name "
                            "        WHERE c.line_id = l.id OR EXISTS (SELECT 1 FROM "
                            "          campaign_lines p WHERE p.campaign_id = c.id "
                            "          AND p.line_id = l.id)) + "
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

void
tb_campaign_line_row_free (TbCampaignLineRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row->kind);
  g_free (row->config);
  g_free (row->rest_reason);
  g_free (row);
}

/* The settings key of a line's rest in campaign :campaign, for line id @line (SQL). */
#define REST_KEY(line) "'pool-rest/' || :campaign || '/' || " line

gboolean
tb_store_set_campaign_line_rest (TbStore     *self,
                                 gint64       campaign_id,
                                 gint64       line_id,
                                 const char  *reason,
                                 gint64       until,
                                 GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  if (reason == NULL)
    stmt = _tb_store_prepare (self, "DELETE FROM settings WHERE key = " REST_KEY (":line"),
                              error);
  else
    stmt = _tb_store_prepare (self,
                              "INSERT OR REPLACE INTO settings (key, value) VALUES ("
                              REST_KEY (":line") ", "
                              "json_object ('reason', :reason, 'until', :until))", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  _tb_bind_int64 (stmt, ":line", line_id);
  if (reason != NULL) {
    _tb_bind_text (stmt, ":reason", reason);
    _tb_bind_int64 (stmt, ":until", until);
  }
  return _tb_store_step_done (self, stmt, error);
}

GPtrArray *
tb_store_dup_campaign_lines (TbStore  *self,
                             gint64    campaign_id,
                             GError  **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tb_campaign_line_row_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT l.id, l.name, l.kind, l.config, l.max_calls, p.position, "
                            "  p.enabled, count (a.id), "
                            "  coalesce (sum (a.state NOT IN ('ended', 'interrupted')), 0), "
                            "  coalesce (sum (a.answered_at IS NOT NULL), 0), "
                            "  json_extract (r.value, '$.reason'), json_extract (r.value, '$.until') "
                            "FROM (SELECT line_id, position, enabled FROM campaign_lines "
                            "      WHERE campaign_id = :campaign "
                            "      UNION ALL SELECT line_id, 0, 1 FROM campaigns "
                            "      WHERE id = :campaign AND NOT EXISTS (SELECT 1 FROM "
                            "        campaign_lines WHERE campaign_id = :campaign)) p "
                            "JOIN lines l ON l.id = p.line_id "
                            "LEFT JOIN attempts a ON a.campaign_id = :campaign "
                            "  AND a.line_id = p.line_id "
                            "LEFT JOIN settings r ON r.key = " REST_KEY ("p.line_id") " "
                            "GROUP BY l.id ORDER BY p.position, l.name", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbCampaignLineRow *row = g_new0 (TbCampaignLineRow, 1);

    row->line_id = sqlite3_column_int64 (stmt, 0);
    row->name = _tb_column_dup_text (stmt, 1);
    row->kind = _tb_column_dup_text (stmt, 2);
    row->config = _tb_column_dup_text (stmt, 3);
    row->max_calls = sqlite3_column_int (stmt, 4);
    row->position = sqlite3_column_int (stmt, 5);
    row->enabled = sqlite3_column_int (stmt, 6) != 0;
    row->calls = sqlite3_column_int64 (stmt, 7);
    row->in_flight = sqlite3_column_int64 (stmt, 8);
    row->answered = sqlite3_column_int64 (stmt, 9);
    row->rest_reason = _tb_column_dup_text (stmt, 10);
    row->rest_until = sqlite3_column_int64 (stmt, 11);
    g_ptr_array_add (rows, row);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "reading a campaign's lines", error);
    return NULL;
  }
  return g_steal_pointer (&rows);
}

gboolean
tb_store_set_campaign_lines (TbStore       *self,
                             gint64         campaign_id,
                             const gint64  *line_ids,
                             guint          n_lines,
                             GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_lines > 0 && line_ids != NULL, FALSE);

  if (!tb_store_begin (self, error))
    return FALSE;
  stmt = _tb_store_prepare (self, "DELETE FROM campaign_lines WHERE campaign_id = :campaign",
                            error);
  if (stmt == NULL)
    goto fail;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  if (!_tb_store_step_done (self, stmt, error))
    goto fail;
  for (guint i = 0; i < n_lines; i++) {
    stmt = _tb_store_prepare (self,
                              "INSERT INTO campaign_lines (campaign_id, line_id, position) "
                              "VALUES (:campaign, :line, :position)", error);
    if (stmt == NULL)
      goto fail;
    _tb_bind_int64 (stmt, ":campaign", campaign_id);
    _tb_bind_int64 (stmt, ":line", line_ids[i]);
    _tb_bind_int64 (stmt, ":position", i);
    if (!_tb_store_step_done (self, stmt, error))
      goto fail;
  }
  stmt = _tb_store_prepare (self, "UPDATE campaigns SET line_id = :line WHERE id = :campaign",
                            error);
  if (stmt == NULL)
    goto fail;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  _tb_bind_int64 (stmt, ":line", line_ids[0]);
  if (!_tb_store_step_done (self, stmt, error))
    goto fail;
  return tb_store_commit (self, error);

fail:
  tb_store_rollback (self);
  return FALSE;
}

GArray *
tb_store_dup_caller_id_dials (TbStore     *self,
                              const char  *caller_id,
                              gint64       since,
                              GError     **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);
  g_return_val_if_fail (caller_id != NULL, NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT dialed_at FROM attempts WHERE caller_id = :caller "
                            "  AND dialed_at >= :since ORDER BY dialed_at", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_text (stmt, ":caller", caller_id);
  _tb_bind_int64 (stmt, ":since", since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 t = sqlite3_column_int64 (stmt, 0);

    g_array_append_val (times, t);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "reading a caller number's calls", error);
    return NULL;
  }
  return g_steal_pointer (&times);
}

char *
tb_store_dup_campaign_number_rule (TbStore *self,
                                   gint64   campaign_id)
{
  sqlite3_stmt *stmt;
  char *rule = NULL;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self, "SELECT number_rule FROM campaigns WHERE id = :campaign",
                            NULL);
  if (stmt != NULL) {
    _tb_bind_int64 (stmt, ":campaign", campaign_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      rule = _tb_column_dup_text (stmt, 0);
    sqlite3_reset (stmt);
  }
  return rule != NULL ? rule : g_strdup ("round_robin");
}

gboolean
tb_store_set_campaign_number_rule (TbStore     *self,
                                   gint64       campaign_id,
                                   const char  *rule,
                                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self, "UPDATE campaigns SET number_rule = :rule WHERE id = :campaign",
                            error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":rule", rule);
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  return _tb_store_step_done (self, stmt, error);
}

void
tb_caller_id_stats_free (TbCallerIdStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->caller_id);
  g_free (stats);
}

GPtrArray *
tb_store_dup_campaign_number_stats (TbStore  *self,
                                    gint64    campaign_id,
                                    GError  **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tb_caller_id_stats_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT line_id, caller_id, count (*), "
                            "  coalesce (sum (answered_at IS NOT NULL), 0) "
                            "FROM attempts WHERE campaign_id = :campaign "
                            "  AND caller_id IS NOT NULL "
                            "GROUP BY line_id, caller_id ORDER BY line_id, caller_id", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbCallerIdStats *row = g_new0 (TbCallerIdStats, 1);

    row->line_id = sqlite3_column_int64 (stmt, 0);
    row->caller_id = _tb_column_dup_text (stmt, 1);
    row->calls = sqlite3_column_int64 (stmt, 2);
    row->answered = sqlite3_column_int64 (stmt, 3);
    g_ptr_array_add (rows, row);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "reading a campaign's caller numbers", error);
    return NULL;
  }
  return g_steal_pointer (&rows);
}

GArray *
tb_store_dup_caller_id_answers (TbStore     *self,
                                const char  *caller_id,
                                guint        limit,
                                GError     **error)
{
  g_autoptr(GArray) answers = g_array_new (FALSE, FALSE, sizeof (gboolean));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);
  g_return_val_if_fail (caller_id != NULL, NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT answered FROM (SELECT id, answered_at IS NOT NULL AS answered "
                            "  FROM attempts WHERE caller_id = :caller AND state = 'ended' "
                            "  AND outcome NOT IN ('failed', 'interrupted') "
                            "  ORDER BY id DESC LIMIT :limit) ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_text (stmt, ":caller", caller_id);
  _tb_bind_int64 (stmt, ":limit", limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gboolean answered = sqlite3_column_int (stmt, 0) != 0;

    g_array_append_val (answers, answered);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "reading a caller number's answers", error);
    return NULL;
  }
  return g_steal_pointer (&answers);
}
