/* tb-store-report.c — aggregate queries behind a campaign's report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-report"

#include "config.h"

#include "tb-store-report.h"
#include "tb-store-private.h"

#include <string.h>

#define VARIANT "coalesce (a.variant, 'A')"

void
tb_report_variant_row_free (TbReportVariantRow *row)
{
  if (row == NULL)
    return;
  g_free (row->variant);
  g_free (row->script_name);
  g_free (row);
}

void
tb_report_count_row_free (TbReportCountRow *row)
{
  if (row == NULL)
    return;
  g_free (row->variant);
  g_free (row->key);
  g_free (row->key2);
  g_free (row);
}

void
tb_report_miss_row_free (TbReportMissRow *row)
{
  if (row == NULL)
    return;
  g_free (row->variant);
  g_free (row->node);
  g_free (row->text);
  g_free (row->recording);
  g_free (row);
}

GPtrArray *
tb_store_report_variants (TbStore  *self,
                          gint64    campaign_id,
                          GError  **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tb_report_variant_row_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
    "WITH t AS (SELECT a.*, " VARIANT " AS v, "
    "    CASE WHEN a.answered_at IS NOT NULL AND a.ended_at >= a.answered_at "
    "      THEN a.ended_at - a.answered_at END AS talk "
    "  FROM attempts a WHERE a.campaign_id = :campaign) "
    "SELECT t.v, (SELECT s.name FROM scripts s WHERE s.id = coalesce ("
    "    (SELECT cv.script_id FROM campaign_variants cv "
    "     WHERE cv.campaign_id = :campaign AND cv.label = t.v), "
    "    (SELECT c.script_id FROM campaigns c WHERE c.id = :campaign))), "
    "  count (*), count (t.answered_at), "
    "  sum (t.outcome IN " TB_REPORT_LINE_FAILURES "), "
    "  sum (t.grade IS NOT NULL AND t.outcome NOT IN ('hung_up', 'voicemail')), "
    "  sum (t.grade = 'A'), sum (t.grade = 'B'), sum (t.grade = 'C'), sum (t.grade = 'D'), "
    "  sum (t.grade = 'E'), sum (t.opt_out != 0), "
    "  coalesce (sum (t.talk), 0), count (t.talk), "
    "  coalesce (sum (CASE WHEN t.ended_at >= t.dialed_at THEN t.ended_at - t.dialed_at END), 0), "
    "  sum (t.talk < 10000000), sum (t.talk >= 10000000 AND t.talk < 30000000), "
    "  sum (t.talk >= 30000000 AND t.talk < 60000000), sum (t.talk >= 60000000) "
    "FROM t GROUP BY t.v ORDER BY t.v", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbReportVariantRow *row = g_new0 (TbReportVariantRow, 1);
    int col = 0;

    row->variant = _tb_column_dup_text (stmt, col++);
    row->script_name = _tb_column_dup_text (stmt, col++);
    row->dialed = sqlite3_column_int64 (stmt, col++);
    row->answered = sqlite3_column_int64 (stmt, col++);
    row->line_failures = sqlite3_column_int64 (stmt, col++);
    row->completed = sqlite3_column_int64 (stmt, col++);
    for (guint i = 0; i < 5; i++)
      row->grades[i] = sqlite3_column_int64 (stmt, col++);
    row->opt_outs = sqlite3_column_int64 (stmt, col++);
    row->talk_us = sqlite3_column_int64 (stmt, col++);
    row->talked = sqlite3_column_int64 (stmt, col++);
    row->line_us = sqlite3_column_int64 (stmt, col++);
    for (guint i = 0; i < 4; i++)
      row->talk_hist[i] = sqlite3_column_int64 (stmt, col++);
    g_ptr_array_add (rows, row);
  }
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "campaign report", error);
    return NULL;
  }
  return g_steal_pointer (&rows);
}

/* Rows of (variant, key, key2, count, count2, count3, time), in the query's order. */
static GPtrArray *
count_rows (TbStore     *self,
            const char  *sql,
            gint64       campaign_id,
            GError     **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tb_report_count_row_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  if ((stmt = _tb_store_prepare (self, sql, error)) == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbReportCountRow *row = g_new0 (TbReportCountRow, 1);

    row->variant = _tb_column_dup_text (stmt, 0);
    row->key = _tb_column_dup_text (stmt, 1);
    row->key2 = _tb_column_dup_text (stmt, 2);
    row->count = sqlite3_column_int64 (stmt, 3);
    row->count2 = sqlite3_column_int64 (stmt, 4);
    row->count3 = sqlite3_column_int64 (stmt, 5);
    row->time = sqlite3_column_int64 (stmt, 6);
    g_ptr_array_add (rows, row);
  }
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "campaign report", error);
    return NULL;
  }
  return g_steal_pointer (&rows);
}

GPtrArray *
tb_store_report_funnel (TbStore  *self,
                        gint64    campaign_id,
                        GError  **error)
{
  return count_rows (self,
    "WITH reached AS (SELECT " VARIANT " AS v, t.node, count (DISTINCT t.attempt_id) AS n "
    "    FROM turns t JOIN attempts a ON a.id = t.attempt_id "
    "    WHERE a.campaign_id = :campaign AND t.node IS NOT NULL GROUP BY 1, 2), "
    "  last AS (SELECT " VARIANT " AS v, t.node, count (*) AS n, "
    "      sum (a.outcome = 'hung_up') AS hung "
    "    FROM attempts a JOIN turns t ON t.attempt_id = a.id AND t.seq = "
    "      (SELECT max (u.seq) FROM turns u WHERE u.attempt_id = a.id AND u.node IS NOT NULL) "
    "    WHERE a.campaign_id = :campaign GROUP BY 1, 2) "
    "SELECT r.v, r.node, NULL, r.n, coalesce (l.n, 0), coalesce (l.hung, 0), 0 "
    "FROM reached r LEFT JOIN last l ON l.v = r.v AND l.node = r.node "
    "ORDER BY r.v, r.n DESC, r.node", campaign_id, error);
}

GPtrArray *
tb_store_report_routes (TbStore  *self,
                        gint64    campaign_id,
                        GError  **error)
{
  return count_rows (self,
    "SELECT " VARIANT ", t.node, t.intent, count (DISTINCT t.attempt_id), 0, 0, 0 "
    "FROM turns t JOIN attempts a ON a.id = t.attempt_id "
    "WHERE a.campaign_id = :campaign AND t.speaker = 'callee' AND t.node IS NOT NULL "
    "  AND t.intent IS NOT NULL "
    "GROUP BY 1, 2, 3 ORDER BY 1, 2, 4 DESC, 3", campaign_id, error);
}

GPtrArray *
tb_store_report_intents (TbStore  *self,
                         gint64    campaign_id,
                         GError  **error)
{
  return count_rows (self,
    "SELECT " VARIANT ", t.intent, NULL, count (*), 0, 0, 0 "
    "FROM turns t JOIN attempts a ON a.id = t.attempt_id "
    "WHERE a.campaign_id = :campaign AND t.speaker = 'callee' AND t.intent IS NOT NULL "
    "GROUP BY 1, 2 ORDER BY 1, 4 DESC, 2", campaign_id, error);
}

GPtrArray *
tb_store_report_hours (TbStore  *self,
                       gint64    campaign_id,
                       GError  **error)
{
  return count_rows (self,
    "SELECT " VARIANT ", coalesce (a.outcome, a.state), c.timezone, count (*), 0, 0, "
    "  a.dialed_at / 3600000000 * 3600000000 "
    "FROM attempts a LEFT JOIN contacts c ON c.id = a.contact_id "
    "WHERE a.campaign_id = :campaign "
    "GROUP BY 1, 2, 3, 7 ORDER BY 1, 7, 2", campaign_id, error);
}

GPtrArray *
tb_store_report_misses (TbStore  *self,
                        gint64    campaign_id,
                        GError  **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tb_report_miss_row_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  /* From the partial index turns_not_understood: a few rows, not every turn. A key the
   * dialog could not place is written "DTMF 5": keys are not words to add as a phrase. */
  stmt = _tb_store_prepare (self,
    "SELECT " VARIANT ", t.node, t.text, a.id, a.recording "
    "FROM turns t INDEXED BY turns_not_understood JOIN attempts a ON a.id = t.attempt_id "
    "WHERE t.speaker = 'callee' AND t.intent IS NULL AND a.campaign_id = :campaign "
    "  AND t.text IS NOT NULL AND trim (t.text) != '' AND t.text NOT GLOB 'DTMF ?' "
    "ORDER BY a.id, t.seq", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbReportMissRow *row = g_new0 (TbReportMissRow, 1);

    row->variant = _tb_column_dup_text (stmt, 0);
    row->node = _tb_column_dup_text (stmt, 1);
    row->text = _tb_column_dup_text (stmt, 2);
    row->attempt_id = sqlite3_column_int64 (stmt, 3);
    row->recording = _tb_column_dup_text (stmt, 4);
    g_ptr_array_add (rows, row);
  }
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "campaign report", error);
    return NULL;
  }
  return g_steal_pointer (&rows);
}

/* The funnel, the routes and the intents in one pass over the campaign's turns, in call
 * order: three GROUP BYs over the same join read every turn three times (issue #21: the
 * report over 100,000 calls in under a second). Strings are interned: node and intent ids
 * are few. */
typedef struct {
  const char *variant;
  const char *key;
  const char *key2;
  gint64      count, count2, count3;
} Tally;

static Tally *
tally (GHashTable *table,
       GPtrArray  *order,
       const char *variant,
       const char *key,
       const char *key2)
{
  g_autofree char *id = g_strconcat (variant, "\t", key ? key : "", "\t", key2 ? key2 : "",
                                     NULL);
  Tally *t = g_hash_table_lookup (table, id);

  if (t == NULL) {
    t = g_new0 (Tally, 1);
    t->variant = variant;
    t->key = key;
    t->key2 = key2;
    g_hash_table_insert (table, g_steal_pointer (&id), t);
    g_ptr_array_add (order, t);
  }
  return t;
}

static int
funnel_cmp (gconstpointer a,
            gconstpointer b)
{
  const TbReportCountRow *x = *(TbReportCountRow * const *) a;
  const TbReportCountRow *y = *(TbReportCountRow * const *) b;
  int c = strcmp (x->variant, y->variant);

  if (c != 0)
    return c;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

static int
routes_cmp (gconstpointer a,
            gconstpointer b)
{
  const TbReportCountRow *x = *(TbReportCountRow * const *) a;
  const TbReportCountRow *y = *(TbReportCountRow * const *) b;
  int c = strcmp (x->variant, y->variant);

  if (c == 0)
    c = g_strcmp0 (x->key, y->key);
  if (c != 0)
    return c;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_strcmp0 (x->key2, y->key2);
}

static int
intents_cmp (gconstpointer a,
             gconstpointer b)
{
  const TbReportCountRow *x = *(TbReportCountRow * const *) a;
  const TbReportCountRow *y = *(TbReportCountRow * const *) b;
  int c = strcmp (x->variant, y->variant);

  if (c != 0)
    return c;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

static GPtrArray *
to_rows (GPtrArray    *tallies,
         GCompareFunc  cmp)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_report_count_row_free);

  for (guint i = 0; i < tallies->len; i++) {
    const Tally *t = g_ptr_array_index (tallies, i);
    TbReportCountRow *row = g_new0 (TbReportCountRow, 1);

    row->variant = g_strdup (t->variant);
    row->key = g_strdup (t->key);
    row->key2 = g_strdup (t->key2);
    row->count = t->count;
    row->count2 = t->count2;
    row->count3 = t->count3;
    g_ptr_array_add (rows, row);
  }
  g_ptr_array_sort (rows, cmp);
  return rows;
}

gboolean
tb_store_report_turns (TbStore    *self,
                       gint64      campaign_id,
                       GPtrArray **funnel,
                       GPtrArray **routes,
                       GPtrArray **intents,
                       GError    **error)
{
  g_autoptr(GHashTable) funnel_t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  g_autoptr(GHashTable) routes_t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  g_autoptr(GHashTable) intents_t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           g_free);
  g_autoptr(GPtrArray) funnel_o = g_ptr_array_new ();
  g_autoptr(GPtrArray) routes_o = g_ptr_array_new ();
  g_autoptr(GPtrArray) intents_o = g_ptr_array_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();   /* Tally*: this attempt's nodes, routes */
  sqlite3_stmt *stmt;
  gint64 attempt = 0;
  const char *variant = NULL;
  const char *last = NULL;
  gboolean hung = FALSE;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
    "SELECT " VARIANT ", a.id, a.outcome = 'hung_up', t.node, t.speaker = 'callee', t.intent "
    "FROM attempts a JOIN turns t ON t.attempt_id = a.id "
    "WHERE a.campaign_id = :campaign ORDER BY a.id, t.seq", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  for (;;) {
    gboolean row = (rc = sqlite3_step (stmt)) == SQLITE_ROW;
    gint64 id = row ? sqlite3_column_int64 (stmt, 1) : 0;
    const char *node, *intent;

    /* An attempt's end: its last node, and each node and route it reached, once. */
    if (!row || id != attempt) {
      if (last != NULL) {
        Tally *t = tally (funnel_t, funnel_o, variant, last, NULL);

        t->count2++;
        t->count3 += hung;
      }
      for (guint i = 0; i < seen->len; i++)
        ((Tally *) g_ptr_array_index (seen, i))->count++;
      g_ptr_array_set_size (seen, 0);
      last = NULL;
      if (!row)
        break;
      attempt = id;
      variant = g_intern_string ((const char *) sqlite3_column_text (stmt, 0));
      hung = sqlite3_column_int (stmt, 2);
    }
    node = g_intern_string ((const char *) sqlite3_column_text (stmt, 3));
    intent = g_intern_string ((const char *) sqlite3_column_text (stmt, 5));
    if (node != NULL) {
      Tally *t = tally (funnel_t, funnel_o, variant, node, NULL);

      last = node;
      if (!g_ptr_array_find (seen, t, NULL))
        g_ptr_array_add (seen, t);
    }
    if (intent != NULL && sqlite3_column_int (stmt, 4)) {
      tally (intents_t, intents_o, variant, intent, NULL)->count++;
      if (node != NULL) {
        Tally *t = tally (routes_t, routes_o, variant, node, intent);

        if (!g_ptr_array_find (seen, t, NULL))
          g_ptr_array_add (seen, t);
      }
    }
  }
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "campaign report", error);
    return FALSE;
  }
  *funnel = to_rows (funnel_o, funnel_cmp);
  *routes = to_rows (routes_o, routes_cmp);
  *intents = to_rows (intents_o, intents_cmp);
  return TRUE;
}
