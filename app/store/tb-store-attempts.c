/* tb-store-attempts.c — a campaign's queue, its dial attempts and their turns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-attempts"

#include "config.h"

#include "tb-store-attempts.h"
#include "tb-store-calls.h"
#include "tb-store-private.h"

void
tb_queue_item_free (TbQueueItem *item)
{
  if (item == NULL)
    return;
  g_free (item->e164);
  g_free (item->name);
  g_free (item->company);
  g_free (item->country);
  g_free (item->timezone);
  g_free (item->persona);
  g_free (item->fields_json);
  g_free (item->variant);
  g_free (item->caller_id);
  g_free (item->last_caller_id);
  g_free (item);
}

GPtrArray *
tb_store_queue_due (TbStore  *self,
                    gint64    campaign_id,
                    gint64    now,
                    guint     limit,
                    GError  **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_queue_item_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT q.contact_id, q.attempts, c.e164, c.name, c.company, "
                            "  c.country, c.timezone, c.persona, c.fields, "
                            "  (SELECT a.line_id FROM attempts a WHERE a.campaign_id = "
                            "   q.campaign_id AND a.contact_id = q.contact_id "
                            "   ORDER BY a.id DESC LIMIT 1) "
                            "FROM queue q JOIN contacts c ON c.id = q.contact_id "
                            "WHERE q.campaign_id = :campaign AND q.state = 'pending' "
                            "  AND q.next_at <= :now "
                            "ORDER BY q.next_at, q.contact_id LIMIT :limit", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  _tb_bind_int64 (stmt, ":now", now);
  _tb_bind_int64 (stmt, ":limit", limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbQueueItem *item = g_new0 (TbQueueItem, 1);

    item->campaign_id = campaign_id;
    item->contact_id = sqlite3_column_int64 (stmt, 0);
    item->attempts = sqlite3_column_int (stmt, 1);
    item->e164 = _tb_column_dup_text (stmt, 2);
    item->name = _tb_column_dup_text (stmt, 3);
    item->company = _tb_column_dup_text (stmt, 4);
    item->country = _tb_column_dup_text (stmt, 5);
    item->timezone = _tb_column_dup_text (stmt, 6);
    item->persona = _tb_column_dup_text (stmt, 7);
    item->fields_json = _tb_column_dup_text (stmt, 8);
    item->last_line_id = sqlite3_column_int64 (stmt, 9);
    g_ptr_array_add (items, item);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "queue", error);
    return NULL;
  }
  return g_steal_pointer (&items);
}

gint64
tb_store_queue_next_due (TbStore *self,
                         gint64   campaign_id)
{
  sqlite3_stmt *stmt;
  gint64 next = 0;

  g_return_val_if_fail (TB_IS_STORE (self), 0);

  stmt = _tb_store_prepare (self,
                            "SELECT min (next_at) FROM queue "
                            "WHERE campaign_id = :campaign AND state = 'pending'", NULL);
  if (stmt == NULL)
    return 0;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    next = MAX (sqlite3_column_int64 (stmt, 0), 1);
  sqlite3_reset (stmt);
  return next;
}

char *
tb_store_queue_dup_next_block (TbStore *self,
                               gint64   campaign_id,
                               gint64  *next_at)
{
  sqlite3_stmt *stmt;
  char *rule = NULL;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  if (next_at != NULL)
    *next_at = 0;
  stmt = _tb_store_prepare (self,
                            "SELECT next_at, blocked_rule FROM queue "
                            "WHERE campaign_id = :campaign AND state = 'pending' "
                            "ORDER BY next_at, contact_id LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  if (sqlite3_step (stmt) == SQLITE_ROW) {
    if (next_at != NULL)
      *next_at = MAX (sqlite3_column_int64 (stmt, 0), 1);
    rule = _tb_column_dup_text (stmt, 1);
  }
  sqlite3_reset (stmt);
  return rule;
}

void
tb_queue_block_count_free (TbQueueBlockCount *count)
{
  if (count == NULL)
    return;
  g_free (count->rule);
  g_free (count->example);
  g_free (count);
}

GPtrArray *
tb_store_queue_count_blocked (TbStore  *self,
                              gint64    campaign_id,
                              GError  **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tb_queue_block_count_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  /* The gate's messages start with the rule: "R5 consent ai_voice required by US (…)". */
  stmt = _tb_store_prepare (self,
                            "SELECT substr (r, 1, instr (r || ' ', ' ') - 1) AS rule, "
                            "  count (*), min (r) "
                            "FROM (SELECT coalesce (blocked_rule, '') AS r FROM queue "
                            "  WHERE campaign_id = :campaign AND state = 'blocked') "
                            "GROUP BY rule ORDER BY count (*) DESC, rule", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbQueueBlockCount *c = g_new0 (TbQueueBlockCount, 1);

    c->rule = _tb_column_dup_text (stmt, 0);
    c->count = sqlite3_column_int64 (stmt, 1);
    c->example = _tb_column_dup_text (stmt, 2);
    g_ptr_array_add (out, c);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "count blocked contacts", error);
    return NULL;
  }
  return g_steal_pointer (&out);
}

gint64
tb_store_queue_reopen_blocked (TbStore  *self,
                               gint64    campaign_id,
                               gint64    now,
                               GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), -1);

  stmt = _tb_store_prepare (self,
                            "UPDATE queue SET state = 'pending', next_at = :now "
                            "WHERE campaign_id = :campaign AND state = 'blocked'", error);
  if (stmt == NULL)
    return -1;
  _tb_bind_int64 (stmt, ":now", now);
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  if (!_tb_store_step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (_tb_store_get_db (self));
}

gboolean
tb_store_queue_block (TbStore     *self,
                      gint64       campaign_id,
                      gint64       contact_id,
                      const char  *rule,
                      gint64       retry_at,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "UPDATE queue SET blocked_rule = :rule, "
                            "  state = CASE WHEN :retry_at > 0 THEN 'pending' ELSE 'blocked' END, "
                            "  next_at = CASE WHEN :retry_at > 0 THEN :retry_at ELSE next_at END "
                            "WHERE campaign_id = :campaign AND contact_id = :contact", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":rule", rule);
  _tb_bind_int64 (stmt, ":retry_at", retry_at);
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  _tb_bind_int64 (stmt, ":contact", contact_id);
  return _tb_store_step_done (self, stmt, error);
}

gboolean
tb_store_queue_set_done (TbStore     *self,
                         gint64       campaign_id,
                         gint64       contact_id,
                         const char  *outcome,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "UPDATE queue SET state = 'done', "
                            "  last_outcome = coalesce (:outcome, last_outcome) "
                            "WHERE campaign_id = :campaign AND contact_id = :contact", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":outcome", outcome);
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  _tb_bind_int64 (stmt, ":contact", contact_id);
  return _tb_store_step_done (self, stmt, error);
}

gint64
tb_store_queue_cancel_number (TbStore     *self,
                              const char  *e164,
                              const char  *rule,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), -1);

  stmt = _tb_store_prepare (self,
                            "UPDATE queue SET state = 'cancelled', blocked_rule = :rule "
                            "WHERE state = 'pending' AND contact_id IN "
                            "  (SELECT id FROM contacts WHERE e164 = :e164)", error);
  if (stmt == NULL)
    return -1;
  _tb_bind_text (stmt, ":rule", rule ? rule : "R1 do-not-call");
  _tb_bind_text (stmt, ":e164", e164);
  if (!_tb_store_step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (_tb_store_get_db (self));
}

gint64
tb_store_attempt_begin (TbStore     *self,
                        gint64       campaign_id,
                        gint64       contact_id,
                        gint64       line_id,
                        const char  *e164,
                        gint64       now,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 attempt_id;

  g_return_val_if_fail (TB_IS_STORE (self), 0);
  g_return_val_if_fail (e164 != NULL, 0);

  if (!tb_store_begin (self, error))
    return 0;

  {
    TbAttemptRow row = { .campaign_id = campaign_id, .contact_id = contact_id,
                         .line_id = line_id, .e164 = e164, .state = "dialing",
                         .dialed_at = now, .score = -1 };

    if ((attempt_id = tb_store_insert_attempt (self, &row, error)) == 0)
      goto fail;
  }

  if (campaign_id > 0) {
    stmt = _tb_store_prepare (self,
                              "UPDATE queue SET state = 'active', attempts = attempts + 1, "
                              "  blocked_rule = NULL "
                              "WHERE campaign_id = :campaign AND contact_id = :contact", error);
    if (stmt == NULL)
      goto fail;
    _tb_bind_int64 (stmt, ":campaign", campaign_id);
    _tb_bind_int64 (stmt, ":contact", contact_id);
    if (!_tb_store_step_done (self, stmt, error))
      goto fail;
  }

  if (!tb_store_commit (self, error))
    return 0;
  return attempt_id;

fail:
  tb_store_rollback (self);
  return 0;
}

char *
tb_store_recording_name (gint64 campaign_id,
                         gint64 attempt_id)
{
  g_autofree char *file = g_strdup_printf ("attempt-%" G_GINT64_FORMAT ".wav", attempt_id);
  g_autofree char *folder = campaign_id > 0
    ? g_strdup_printf ("campaign-%" G_GINT64_FORMAT, campaign_id) : g_strdup ("calls");

  return g_build_filename (TB_STORE_RECORDINGS_DIR, folder, file, NULL);
}

gboolean
tb_store_attempt_set_recording (TbStore     *self,
                                gint64       attempt_id,
                                const char  *recording,
                                GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self, "UPDATE attempts SET recording = :recording WHERE id = :id",
                            error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":recording", recording);
  _tb_bind_int64 (stmt, ":id", attempt_id);
  return _tb_store_step_done (self, stmt, error);
}

gboolean
tb_store_attempt_set_state (TbStore     *self,
                            gint64       attempt_id,
                            const char  *state,
                            gint64       at,
                            GError     **error)
{
  sqlite3_stmt *stmt;
  const char *sql;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  if (g_str_equal (state, "answered"))
    sql = "UPDATE attempts SET state = 'answered', answered_at = :at WHERE id = :id";
  else if (g_str_equal (state, "first-audio"))
    sql = "UPDATE attempts SET first_audio_at = coalesce (first_audio_at, :at) WHERE id = :id";
  else if (g_str_equal (state, "ringing") || g_str_equal (state, "early-media"))
    sql = "UPDATE attempts SET state = 'ringing' WHERE id = :id AND :at >= 0";
  else
    g_return_val_if_reached (FALSE);

  if ((stmt = _tb_store_prepare (self, sql, error)) == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":at", at);
  _tb_bind_int64 (stmt, ":id", attempt_id);
  return _tb_store_step_done (self, stmt, error);
}

gboolean
tb_store_attempt_add_turn (TbStore     *self,
                           gint64       attempt_id,
                           int          seq,
                           const char  *speaker,
                           const char  *node,
                           const char  *text,
                           const char  *intent,
                           double       confidence,
                           gint64       started_at,
                           gint64       ended_at,
                           GError     **error)
{
  TbTurnRow row = { seq, speaker, node, text, intent, confidence, started_at, ended_at };

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  return tb_store_add_turn (self, attempt_id, &row, error) > 0;
}

gboolean
tb_store_attempt_finish (TbStore                *self,
                         gint64                  attempt_id,
                         const TbAttemptResult  *result,
                         gint64                  retry_at,
                         GError                **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (result != NULL && result->outcome != NULL, FALSE);

  if (!tb_store_begin (self, error))
    return FALSE;

  stmt = _tb_store_prepare (self,
                            "UPDATE attempts SET state = 'ended', outcome = :outcome, "
                            "  end_reason = :reason, protocol_code = :code, grade = :grade, "
                            "  score = :score, reasons = :reasons, recording = :recording, "
                            "  opt_out = :opt_out, ended_at = :ended "
                            "WHERE id = :id", error);
  if (stmt == NULL)
    goto fail;
  _tb_bind_text (stmt, ":outcome", result->outcome);
  _tb_bind_text (stmt, ":reason", result->end_reason);
  if (result->protocol_code > 0)
    _tb_bind_int64 (stmt, ":code", result->protocol_code);
  else
    _tb_bind_null (stmt, ":code");
  _tb_bind_text (stmt, ":grade", result->grade);
  if (result->grade != NULL)
    _tb_bind_int64 (stmt, ":score", result->score);
  else
    _tb_bind_null (stmt, ":score");
  _tb_bind_text (stmt, ":reasons", result->reasons_json);
  _tb_bind_text (stmt, ":recording", result->recording);
  _tb_bind_int64 (stmt, ":opt_out", result->opt_out ? 1 : 0);
  _tb_bind_int64 (stmt, ":ended", result->ended_at);
  _tb_bind_int64 (stmt, ":id", attempt_id);
  if (!_tb_store_step_done (self, stmt, error))
    goto fail;

  /* The queue row follows; an opt-out never goes back to pending. */
  stmt = _tb_store_prepare (self,
                            "UPDATE queue SET last_outcome = :outcome, "
                            "  state = CASE WHEN :retry_at > 0 AND NOT :opt_out "
                            "    THEN 'pending' ELSE 'done' END, "
                            "  next_at = CASE WHEN :retry_at > 0 THEN :retry_at ELSE next_at END "
                            "WHERE (campaign_id, contact_id) = "
                            "  (SELECT campaign_id, contact_id FROM attempts WHERE id = :id) "
                            "  AND state = 'active'", error);
  if (stmt == NULL)
    goto fail;
  _tb_bind_text (stmt, ":outcome", result->outcome);
  _tb_bind_int64 (stmt, ":retry_at", retry_at);
  _tb_bind_int64 (stmt, ":opt_out", result->opt_out ? 1 : 0);
  _tb_bind_int64 (stmt, ":id", attempt_id);
  if (!_tb_store_step_done (self, stmt, error))
    goto fail;

  return tb_store_commit (self, error);

fail:
  tb_store_rollback (self);
  return FALSE;
}

#define OPTED_OUT_SQL \
  "EXISTS (SELECT 1 FROM dnc d JOIN contacts c ON c.e164 = d.e164 WHERE c.id = queue.contact_id)"

int
tb_store_attempts_close_interrupted (TbStore  *self,
                                     gint64    now,
                                     GError  **error)
{
  return tb_store_attempts_close_interrupted_in (self, 0, now, error);
}

int
tb_store_attempts_close_interrupted_in (TbStore  *self,
                                        gint64    campaign_id,
                                        gint64    now,
                                        GError  **error)
{
  sqlite3_stmt *stmt;
  int closed;

  g_return_val_if_fail (TB_IS_STORE (self), -1);

  if (!tb_store_begin (self, error))
    return -1;

  stmt = _tb_store_prepare (self,
                            "UPDATE attempts SET state = 'interrupted', outcome = 'interrupted', "
                            "  end_reason = 'interrupted', ended_at = :now "
                            "WHERE state NOT IN ('ended', 'interrupted') "
                            "  AND (:campaign = 0 OR campaign_id = :campaign)", error);
  if (stmt == NULL)
    goto fail;
  _tb_bind_int64 (stmt, ":now", now);
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  if (!_tb_store_step_done (self, stmt, error))
    goto fail;
  closed = sqlite3_changes (_tb_store_get_db (self));

  /* A call cut off after its callee opted out (the DNC row commits first) is done: dialing
   * that contact again would only be refused by the gate. */
  stmt = _tb_store_prepare (self,
                            "UPDATE queue SET "
                            "  state = CASE WHEN " OPTED_OUT_SQL " THEN 'done' ELSE 'pending' END, "
                            "  last_outcome = CASE WHEN " OPTED_OUT_SQL " THEN 'opt_out' "
                            "    ELSE 'interrupted' END, "
                            "  next_at = :now WHERE state = 'active' "
                            "  AND (:campaign = 0 OR campaign_id = :campaign)", error);
  if (stmt == NULL)
    goto fail;
  _tb_bind_int64 (stmt, ":now", now);
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  if (!_tb_store_step_done (self, stmt, error))
    goto fail;

  if (!tb_store_commit (self, error))
    return -1;
  return closed;

fail:
  tb_store_rollback (self);
  return -1;
}

gboolean
tb_store_campaign_get_counters (TbStore            *self,
                                gint64              campaign_id,
                                TbCampaignCounters *counters)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  memset (counters, 0, sizeof *counters);

  stmt = _tb_store_prepare (self,
                            "SELECT count (*), "
                            "  count (*) FILTER (WHERE state IN ('done', 'blocked', 'cancelled')), "
                            "  count (*) FILTER (WHERE state = 'pending'), "
                            "  count (*) FILTER (WHERE state = 'active'), "
                            "  count (*) FILTER (WHERE state = 'blocked' "
                            "    OR (state = 'cancelled' AND blocked_rule IS NOT NULL)) "
                            "FROM queue WHERE campaign_id = :campaign", NULL);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  if (sqlite3_step (stmt) == SQLITE_ROW) {
    counters->total = sqlite3_column_int64 (stmt, 0);
    counters->done = sqlite3_column_int64 (stmt, 1);
    counters->pending = sqlite3_column_int64 (stmt, 2);
    counters->active = sqlite3_column_int64 (stmt, 3);
    counters->blocked = sqlite3_column_int64 (stmt, 4);
  }
  sqlite3_reset (stmt);

  stmt = _tb_store_prepare (self,
                            "SELECT count (*), count (answered_at), "
                            "  count (*) FILTER (WHERE grade IN ('A', 'B')), "
                            "  count (*) FILTER (WHERE opt_out) "
                            "FROM attempts WHERE campaign_id = :campaign", NULL);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  if (sqlite3_step (stmt) == SQLITE_ROW) {
    counters->dialed = sqlite3_column_int64 (stmt, 0);
    counters->answered = sqlite3_column_int64 (stmt, 1);
    counters->leads_ab = sqlite3_column_int64 (stmt, 2);
    counters->opted_out = sqlite3_column_int64 (stmt, 3);
  }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
tb_store_campaign_set_state (TbStore     *self,
                             gint64       campaign_id,
                             const char  *state,
                             const char  *reason,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "UPDATE campaigns SET state = :state, state_reason = :reason, "
                            "  updated_at = :now "
                            "WHERE id = :id", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":state", state);
  _tb_bind_text (stmt, ":reason", reason);
  _tb_bind_int64 (stmt, ":now", g_get_real_time ());
  _tb_bind_int64 (stmt, ":id", campaign_id);
  return _tb_store_step_done (self, stmt, error);
}

gint64
tb_store_attempts_count_for_number (TbStore    *self,
                                    const char *e164)
{
  sqlite3_stmt *stmt;
  gint64 count = 0;

  g_return_val_if_fail (TB_IS_STORE (self), 0);

  stmt = _tb_store_prepare (self, "SELECT count (*) FROM attempts WHERE e164 = :e164", NULL);
  if (stmt == NULL)
    return 0;
  _tb_bind_text (stmt, ":e164", e164);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

void
tb_stat_bucket_free (TbStatBucket *bucket)
{
  if (bucket == NULL)
    return;
  g_free (bucket->label);
  g_free (bucket);
}

GPtrArray *
tb_store_campaign_stats (TbStore     *self,
                         gint64       campaign_id,
                         const char  *kind,
                         GError     **error)
{
  g_autoptr(GPtrArray) buckets = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_stat_bucket_free);
  sqlite3_stmt *stmt;
  const char *sql;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  if (g_str_equal (kind, "outcomes"))
    /* Calls that ended: a call ringing now has a state, not an outcome. */
    sql = "SELECT outcome, count (*) FROM attempts "
          "WHERE campaign_id = :campaign AND outcome IS NOT NULL GROUP BY 1 ORDER BY 2 DESC";
  else if (g_str_equal (kind, "grades"))
    sql = "SELECT g.grade, count (a.id) FROM "
          "  (SELECT 'A' AS grade UNION ALL SELECT 'B' UNION ALL SELECT 'C' "
          "   UNION ALL SELECT 'D' UNION ALL SELECT 'E') g "
          "  LEFT JOIN attempts a ON a.grade = g.grade AND a.campaign_id = :campaign "
          "GROUP BY g.grade ORDER BY g.grade";
  else if (g_str_equal (kind, "hours"))
    sql = "SELECT strftime ('%H', dialed_at / 1000000, 'unixepoch', 'localtime'), count (*) "
          "FROM attempts WHERE campaign_id = :campaign GROUP BY 1 ORDER BY 1";
  else if (g_str_equal (kind, "funnel"))
    sql = "SELECT t.node, count (DISTINCT t.attempt_id) FROM turns t "
          "  JOIN attempts a ON a.id = t.attempt_id "
          "WHERE a.campaign_id = :campaign AND t.node IS NOT NULL AND t.speaker = 'bot' "
          "GROUP BY t.node ORDER BY 2 DESC, min (t.seq)";
  else
    g_return_val_if_reached (NULL);

  if ((stmt = _tb_store_prepare (self, sql, error)) == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbStatBucket *bucket = g_new0 (TbStatBucket, 1);

    bucket->label = _tb_column_dup_text (stmt, 0);
    bucket->count = sqlite3_column_int64 (stmt, 1);
    g_ptr_array_add (buckets, bucket);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "campaign stats", error);
    return NULL;
  }
  return g_steal_pointer (&buckets);
}

gboolean
tb_store_attempt_set_caller_id (TbStore     *self,
                                gint64       attempt_id,
                                const char  *caller_id,
                                GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self, "UPDATE attempts SET caller_id = :caller WHERE id = :id",
                            error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":caller", caller_id);
  _tb_bind_int64 (stmt, ":id", attempt_id);
  return _tb_store_step_done (self, stmt, error);
}

char *
tb_store_attempt_dup_last_caller_id (TbStore *self,
                                     gint64   campaign_id,
                                     gint64   contact_id)
{
  sqlite3_stmt *stmt;
  char *caller_id = NULL;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT caller_id FROM attempts WHERE campaign_id = :campaign "
                            "  AND contact_id = :contact ORDER BY id DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  _tb_bind_int64 (stmt, ":contact", contact_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    caller_id = _tb_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  return caller_id;
}

char *
tb_store_number_dup_last_caller_id (TbStore    *self,
                                    const char *e164)
{
  sqlite3_stmt *stmt;
  char *caller_id = NULL;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT caller_id FROM attempts WHERE e164 = :e164 "
                            "  AND caller_id IS NOT NULL ORDER BY dialed_at DESC, id DESC "
                            "LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  _tb_bind_text (stmt, ":e164", e164);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    caller_id = _tb_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  return caller_id;
}

gint64
tb_store_queue_count_held (TbStore    *self,
                           gint64      campaign_id,
                           const char *rule_prefix)
{
  sqlite3_stmt *stmt;
  gint64 count = 0;

  g_return_val_if_fail (TB_IS_STORE (self), 0);

  stmt = _tb_store_prepare (self,
                            "SELECT count(*) FROM queue WHERE campaign_id = :campaign "
                            "  AND state = 'pending' AND substr (blocked_rule, 1, "
                            "  length (:prefix)) = :prefix", NULL);
  if (stmt == NULL)
    return 0;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  _tb_bind_text (stmt, ":prefix", rule_prefix);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}
