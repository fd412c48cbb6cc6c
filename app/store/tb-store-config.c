/* tb-store-config.c — lists, scripts, lines and campaigns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-config"

#include "config.h"

#include "tb-store-config.h"
#include "tb-store-private.h"

static gint64
find_id (TbStore    *self,
         const char *sql,
         const char *name)
{
  sqlite3_stmt *stmt = _tb_store_prepare (self, sql, NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  _tb_bind_text (stmt, ":name", name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

static gint64
insert_returning_id (TbStore       *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  if (!_tb_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_tb_store_get_db (self));
}

gint64
tb_store_find_list (TbStore    *self,
                    const char *name)
{
  g_return_val_if_fail (TB_IS_STORE (self), 0);

  return find_id (self, "SELECT id FROM lists WHERE name = :name", name);
}

gboolean
tb_store_rename_list (TbStore     *self,
                      gint64       list_id,
                      const char  *name,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);

  if (tb_store_find_list (self, name) > 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT,
                 "a list named \"%s\" exists already", name);
    return FALSE;
  }
  if ((stmt = _tb_store_prepare (self, "UPDATE lists SET name = :name WHERE id = :id",
                                 error)) == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":name", name);
  _tb_bind_int64 (stmt, ":id", list_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "rename list", error);
    return FALSE;
  }
  return TRUE;
}

gboolean
tb_store_delete_list (TbStore     *self,
                      gint64       list_id,
                      GError     **error)
{
  g_autofree char *campaign = NULL;
  g_autofree char *state = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  /* A campaign that may still dial reads its queue from this list. */
  if ((stmt = _tb_store_prepare (self, "SELECT name, state FROM campaigns WHERE list_id = :id "
                                 "AND state IN ('running', 'paused') ORDER BY name LIMIT 1",
                                 error)) == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":id", list_id);
  if (sqlite3_step (stmt) == SQLITE_ROW) {
    campaign = _tb_column_dup_text (stmt, 0);
    state = _tb_column_dup_text (stmt, 1);
  }
  sqlite3_reset (stmt);
  if (campaign != NULL) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT,
                 "campaign \"%s\" is %s and calls this list: stop it first", campaign, state);
    return FALSE;
  }
  /* Its contacts go; their calls stay (attempts.contact_id and campaigns.list_id become
   * NULL, migration 8). */
  if ((stmt = _tb_store_prepare (self, "DELETE FROM lists WHERE id = :id", error)) == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":id", list_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "delete list", error);
    return FALSE;
  }
  return TRUE;
}

gint64
tb_store_ensure_list (TbStore     *self,
                      const char  *name,
                      const char  *source,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (TB_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  if ((id = tb_store_find_list (self, name)) > 0)
    return id;

  stmt = _tb_store_prepare (self,
                            "INSERT INTO lists (name, source, created_at) "
                            "VALUES (:name, :source, :now)", error);
  if (stmt == NULL)
    return 0;
  _tb_bind_text (stmt, ":name", name);
  _tb_bind_text (stmt, ":source", source);
  _tb_bind_int64 (stmt, ":now", g_get_real_time ());
  return insert_returning_id (self, stmt, error);
}

gint64
tb_store_find_script (TbStore    *self,
                      const char *name)
{
  g_return_val_if_fail (TB_IS_STORE (self), 0);

  return find_id (self, "SELECT id FROM scripts WHERE name = :name", name);
}

/* Saving a script under an existing name replaces its document and bumps the revision. */
gint64
tb_store_save_script (TbStore     *self,
                      const char  *name,
                      const char  *language,
                      const char  *document,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL && document != NULL, 0);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO scripts (name, language, document, updated_at) "
                            "VALUES (:name, :language, :document, :now) "
                            "ON CONFLICT (name) DO UPDATE SET language = excluded.language, "
                            "  document = excluded.document, revision = revision + 1, "
                            "  updated_at = excluded.updated_at", error);
  if (stmt == NULL)
    return 0;
  _tb_bind_text (stmt, ":name", name);
  _tb_bind_text (stmt, ":language", language);
  _tb_bind_text (stmt, ":document", document);
  _tb_bind_int64 (stmt, ":now", g_get_real_time ());
  if (!_tb_store_step_done (self, stmt, error))
    return 0;
  return tb_store_find_script (self, name);
}

char *
tb_store_dup_script_document (TbStore  *self,
                              gint64    script_id,
                              GError  **error)
{
  sqlite3_stmt *stmt;
  char *document = NULL;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self, "SELECT document FROM scripts WHERE id = :id", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":id", script_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    document = _tb_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (document == NULL)
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "no script with id %" G_GINT64_FORMAT, script_id);
  return document;
}

/* Campaigns keep their script: one in use cannot go. */
gboolean
tb_store_delete_script (TbStore     *self,
                        const char  *name,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *campaign = NULL;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stmt = _tb_store_prepare (self,
                            "SELECT c.name FROM campaigns c JOIN scripts s ON s.id = c.script_id "
                            "WHERE s.name = :name ORDER BY c.name LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":name", name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    campaign = _tb_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  if (campaign != NULL) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT,
                 "script \"%s\" is used by campaign \"%s\"", name, campaign);
    return FALSE;
  }

  stmt = _tb_store_prepare (self, "DELETE FROM scripts WHERE name = :name", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":name", name);
  if (!_tb_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_tb_store_get_db (self)) == 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "no script named \"%s\"", name);
    return FALSE;
  }
  return TRUE;
}

gint64
tb_store_find_line (TbStore    *self,
                    const char *name)
{
  g_return_val_if_fail (TB_IS_STORE (self), 0);

  return find_id (self, "SELECT id FROM lines WHERE name = :name", name);
}

gint64
tb_store_add_line (TbStore     *self,
                   const char  *name,
                   const char  *kind,
                   const char  *config_json,
                   int          max_calls,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL && kind != NULL, 0);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO lines (name, kind, config, max_calls, created_at) "
                            "VALUES (:name, :kind, :config, :max_calls, :now)", error);
  if (stmt == NULL)
    return 0;
  _tb_bind_text (stmt, ":name", name);
  _tb_bind_text (stmt, ":kind", kind);
  _tb_bind_text (stmt, ":config", config_json ? config_json : "{}");
  _tb_bind_int64 (stmt, ":max_calls", max_calls);
  _tb_bind_int64 (stmt, ":now", g_get_real_time ());
  return insert_returning_id (self, stmt, error);
}

gint64
tb_store_find_campaign (TbStore    *self,
                        const char *name)
{
  g_return_val_if_fail (TB_IS_STORE (self), 0);

  return find_id (self, "SELECT id FROM campaigns WHERE name = :name", name);
}

/* Creates the campaign and queues every contact of its list, in one transaction. */
gint64
tb_store_create_campaign (TbStore     *self,
                          const char  *name,
                          gint64       list_id,
                          gint64       script_id,
                          gint64       line_id,
                          const char  *policies,
                          int          concurrency,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (TB_IS_STORE (self), 0);

  if (!tb_store_begin (self, error))
    return 0;

  stmt = _tb_store_prepare (self,
                            "INSERT INTO campaigns (name, list_id, script_id, line_id, policies, "
                            "  concurrency, created_at, updated_at) "
                            "VALUES (:name, :list, :script, :line, :policies, :concurrency, "
                            "  :now, :now)", error);
  if (stmt == NULL)
    goto fail;
  _tb_bind_text (stmt, ":name", name);
  _tb_bind_int64 (stmt, ":list", list_id);
  _tb_bind_int64 (stmt, ":script", script_id);
  _tb_bind_int64 (stmt, ":line", line_id);
  _tb_bind_text (stmt, ":policies", policies ? policies : "DEFAULT");
  _tb_bind_int64 (stmt, ":concurrency", MAX (concurrency, 1));
  _tb_bind_int64 (stmt, ":now", now);
  if ((id = insert_returning_id (self, stmt, error)) == 0)
    goto fail;

  stmt = _tb_store_prepare (self,
                            "INSERT INTO queue (campaign_id, contact_id) "
                            "SELECT :campaign, id FROM contacts WHERE list_id = :list", error);
  if (stmt == NULL)
    goto fail;
  _tb_bind_int64 (stmt, ":campaign", id);
  _tb_bind_int64 (stmt, ":list", list_id);
  if (!_tb_store_step_done (self, stmt, error))
    goto fail;

  if (!tb_store_commit (self, error))
    return 0;
  return id;

fail:
  tb_store_rollback (self);
  return 0;
}

gint64
tb_store_count_rows (TbStore    *self,
                     const char *table)
{
  static const char * const tables[] = {
    "lists", "contacts", "dnc", "consent", "scripts", "lines", "campaigns", "queue",
    "attempts", "turns", "audit", "outbox", "imports", NULL
  };
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 count = 0;

  g_return_val_if_fail (TB_IS_STORE (self), 0);
  g_return_val_if_fail (g_strv_contains (tables, table), 0);

  sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  stmt = _tb_store_prepare (self, sql, NULL);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

GStrv
tb_store_dup_names (TbStore    *self,
                    const char *table)
{
  static const char * const tables[] = { "lists", "scripts", "lines", "campaigns", NULL };
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);
  g_return_val_if_fail (g_strv_contains (tables, table), NULL);

  sql = g_strdup_printf ("SELECT name FROM %s ORDER BY name", table);
  if ((stmt = _tb_store_prepare (self, sql, NULL)) != NULL) {
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
  }
  return g_strv_builder_end (names);
}

void
tb_campaign_row_free (TbCampaignRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row->policies);
  g_free (row->retry_rules);
  g_free (row->state);
  g_free (row->state_reason);
  g_free (row->list_name);
  g_free (row->script_name);
  g_free (row->line_name);
  g_free (row);
}

TbCampaignRow *
tb_store_get_campaign (TbStore  *self,
                       gint64    campaign_id,
                       GError  **error)
{
  sqlite3_stmt *stmt;
  TbCampaignRow *row = NULL;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT k.name, k.list_id, k.script_id, k.line_id, k.policies, "
                            "  k.concurrency, k.retry_rules, k.state, l.name, s.name, n.name, "
                            "  k.state_reason "
                            "FROM campaigns k "
                            "  LEFT JOIN lists l ON l.id = k.list_id "
                            "  LEFT JOIN scripts s ON s.id = k.script_id "
                            "  LEFT JOIN lines n ON n.id = k.line_id "
                            "WHERE k.id = :id", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":id", campaign_id);
  if (sqlite3_step (stmt) == SQLITE_ROW) {
    row = g_new0 (TbCampaignRow, 1);
    row->id = campaign_id;
    row->name = _tb_column_dup_text (stmt, 0);
    row->list_id = sqlite3_column_int64 (stmt, 1);
    row->script_id = sqlite3_column_int64 (stmt, 2);
    row->line_id = sqlite3_column_int64 (stmt, 3);
    row->policies = _tb_column_dup_text (stmt, 4);
    row->concurrency = sqlite3_column_int (stmt, 5);
    row->retry_rules = _tb_column_dup_text (stmt, 6);
    row->state = _tb_column_dup_text (stmt, 7);
    row->list_name = _tb_column_dup_text (stmt, 8);
    row->script_name = _tb_column_dup_text (stmt, 9);
    row->line_name = _tb_column_dup_text (stmt, 10);
    row->state_reason = _tb_column_dup_text (stmt, 11);
  }
  sqlite3_reset (stmt);

  if (row == NULL)
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "no campaign with id %" G_GINT64_FORMAT, campaign_id);
  return row;
}


gboolean
tb_store_set_campaign_retry_rules (TbStore     *self,
                                   gint64       campaign_id,
                                   const char  *rules_json,
                                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "UPDATE campaigns SET retry_rules = :rules, updated_at = :now "
                            "WHERE id = :id", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":rules", rules_json);
  _tb_bind_int64 (stmt, ":now", g_get_real_time ());
  _tb_bind_int64 (stmt, ":id", campaign_id);
  return _tb_store_step_done (self, stmt, error);
}
