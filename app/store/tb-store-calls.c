/* tb-store-calls.c — call attempts and transcripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-calls"

#include "config.h"

#include "tb-store-calls.h"
#include "tb-store-private.h"

#define CALL_SELECT \
  "SELECT a.id, a.e164, a.state, a.outcome, a.end_reason, a.protocol_code, a.dialed_at, " \
  "  a.answered_at, a.first_audio_at, a.ended_at, a.grade, a.score, a.reasons, a.recording, " \
  "  a.opt_out, a.follow_up, a.notes, " \
  "  a.contact_id, c.name, c.company, c.email, c.country, c.timezone, c.fields, l.name, " \
  "  a.campaign_id, cp.name, s.name, ln.name, a.amd, a.variant, " \
  "  a.caller_id " \
  "FROM attempts a " \
  "LEFT JOIN contacts c ON c.id = a.contact_id " \
  "LEFT JOIN lists l ON l.id = c.list_id " \
  "LEFT JOIN campaigns cp ON cp.id = a.campaign_id " \
  "LEFT JOIN scripts s ON s.id = cp.script_id " \
  "LEFT JOIN lines ln ON ln.id = a.line_id "

/* :campaign (0: all), :grades (",A,B," or NULL: all), :leads (0/1). A lead is a contact's
 * last graded call in a campaign; a deleted contact's calls (contact_id NULL) are told apart
 * by their number. */
#define CALL_WHERE \
  "WHERE (:campaign = 0 OR a.campaign_id = :campaign) " \
  "  AND (:grades IS NULL OR instr (:grades, ',' || a.grade || ',') > 0) " \
  "  AND (:leads = 0 OR (a.grade IS NOT NULL AND a.id = (SELECT max (b.id) FROM attempts b " \
  "       WHERE b.contact_id IS a.contact_id AND b.campaign_id IS a.campaign_id " \
  "         AND (a.contact_id IS NOT NULL OR b.e164 = a.e164) " \
  "         AND b.grade IS NOT NULL))) "

void
tb_turn_free (TbTurn *turn)
{
  if (turn == NULL)
    return;
  g_free (turn->speaker);
  g_free (turn->node);
  g_free (turn->text);
  g_free (turn->intent);
  g_free (turn);
}

void
tb_call_record_free (TbCallRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->e164);
  g_free (record->state);
  g_free (record->outcome);
  g_free (record->end_reason);
  g_free (record->grade);
  g_free (record->reasons_json);
  g_free (record->recording);
  g_free (record->follow_up);
  g_free (record->notes);
  g_free (record->contact_name);
  g_free (record->company);
  g_free (record->email);
  g_free (record->country);
  g_free (record->timezone);
  g_free (record->fields_json);
  g_free (record->list_name);
  g_free (record->campaign_name);
  g_free (record->script_name);
  g_free (record->line_name);
  g_free (record->amd);
  g_free (record->variant);
  g_free (record->caller_id);
  g_clear_pointer (&record->turns, g_ptr_array_unref);
  g_free (record);
}

gint64
tb_store_insert_attempt (TbStore             *self,
                         const TbAttemptRow  *row,
                         GError             **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), 0);
  g_return_val_if_fail (row != NULL && row->e164 != NULL, 0);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO attempts (campaign_id, contact_id, line_id, e164, state, "
                            "  outcome, end_reason, protocol_code, dialed_at, answered_at, "
                            "  ended_at, grade, score, reasons, recording, opt_out) "
                            "VALUES (:campaign, :contact, :line, :e164, :state, :outcome, "
                            "  :reason, :code, :dialed, :answered, :ended, :grade, :score, "
                            "  :reasons, :recording, :opt_out)", error);
  if (stmt == NULL)
    return 0;
  _tb_bind_id_or_null (stmt, ":campaign", row->campaign_id);
  _tb_bind_id_or_null (stmt, ":contact", row->contact_id);
  _tb_bind_id_or_null (stmt, ":line", row->line_id);
  _tb_bind_text (stmt, ":e164", row->e164);
  _tb_bind_text (stmt, ":state", row->state ? row->state : "dialing");
  _tb_bind_text (stmt, ":outcome", row->outcome);
  _tb_bind_text (stmt, ":reason", row->end_reason);
  _tb_bind_id_or_null (stmt, ":code", row->protocol_code);
  _tb_bind_int64 (stmt, ":dialed", row->dialed_at > 0 ? row->dialed_at : g_get_real_time ());
  _tb_bind_id_or_null (stmt, ":answered", row->answered_at);
  _tb_bind_id_or_null (stmt, ":ended", row->ended_at);
  _tb_bind_text (stmt, ":grade", row->grade);
  if (row->score >= 0)
    _tb_bind_int64 (stmt, ":score", row->score);
  else
    _tb_bind_null (stmt, ":score");
  _tb_bind_text (stmt, ":reasons", row->reasons_json);
  _tb_bind_text (stmt, ":recording", row->recording);
  _tb_bind_int64 (stmt, ":opt_out", row->opt_out ? 1 : 0);
  if (!_tb_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_tb_store_get_db (self));
}

int
tb_store_add_turn (TbStore          *self,
                   gint64            attempt_id,
                   const TbTurnRow  *row,
                   GError          **error)
{
  sqlite3_stmt *stmt;
  int seq = row->seq;

  g_return_val_if_fail (TB_IS_STORE (self), 0);
  g_return_val_if_fail (row != NULL && row->speaker != NULL, 0);

  if (seq <= 0) {
    stmt = _tb_store_prepare (self,
                              "SELECT coalesce (max (seq), 0) + 1 FROM turns "
                              "WHERE attempt_id = :attempt", error);
    if (stmt == NULL)
      return 0;
    _tb_bind_int64 (stmt, ":attempt", attempt_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      seq = sqlite3_column_int (stmt, 0);
    sqlite3_reset (stmt);
    if (seq <= 0)
      seq = 1;
  }

  stmt = _tb_store_prepare (self,
                            "INSERT INTO turns (attempt_id, seq, speaker, node, text, intent, "
                            "  confidence, started_at, ended_at) "
                            "VALUES (:attempt, :seq, :speaker, :node, :text, :intent, "
                            "  :confidence, :started, :ended)", error);
  if (stmt == NULL)
    return 0;
  _tb_bind_int64 (stmt, ":attempt", attempt_id);
  _tb_bind_int64 (stmt, ":seq", seq);
  _tb_bind_text (stmt, ":speaker", row->speaker);
  _tb_bind_text (stmt, ":node", row->node);
  _tb_bind_text (stmt, ":text", row->text);
  _tb_bind_text (stmt, ":intent", row->intent);
  if (row->confidence >= 0)
    _tb_bind_double (stmt, ":confidence", row->confidence);
  else
    _tb_bind_null (stmt, ":confidence");
  _tb_bind_id_or_null (stmt, ":started", row->started_at);
  _tb_bind_id_or_null (stmt, ":ended", row->ended_at);
  if (!_tb_store_step_done (self, stmt, error))
    return 0;
  return seq;
}

gboolean
tb_store_attempt_set_amd (TbStore     *self,
                          gint64       attempt_id,
                          const char  *decision,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self, "UPDATE attempts SET amd = :amd WHERE id = :id", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":amd", decision);
  _tb_bind_int64 (stmt, ":id", attempt_id);
  return _tb_store_step_done (self, stmt, error);
}

gboolean
tb_store_update_lead (TbStore     *self,
                      gint64       attempt_id,
                      const char  *grade,
                      const char  *follow_up,
                      const char  *notes,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "UPDATE attempts SET grade = coalesce (:grade, grade), "
                            "  follow_up = coalesce (:follow_up, follow_up), "
                            "  notes = coalesce (:notes, notes) "
                            "WHERE id = :id", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":grade", grade);
  _tb_bind_text (stmt, ":follow_up", follow_up);
  _tb_bind_text (stmt, ":notes", notes);
  _tb_bind_int64 (stmt, ":id", attempt_id);
  if (!_tb_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_tb_store_get_db (self)) == 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "%s: no attempt %" G_GINT64_FORMAT, tb_store_get_path (self), attempt_id);
    return FALSE;
  }
  return TRUE;
}

static TbCallRecord *
record_from_stmt (sqlite3_stmt *stmt)
{
  TbCallRecord *r = g_new0 (TbCallRecord, 1);

  r->attempt_id = sqlite3_column_int64 (stmt, 0);
  r->e164 = _tb_column_dup_text (stmt, 1);
  r->state = _tb_column_dup_text (stmt, 2);
  r->outcome = _tb_column_dup_text (stmt, 3);
  r->end_reason = _tb_column_dup_text (stmt, 4);
  r->protocol_code = sqlite3_column_int (stmt, 5);
  r->dialed_at = sqlite3_column_int64 (stmt, 6);
  r->answered_at = sqlite3_column_int64 (stmt, 7);
  r->first_audio_at = sqlite3_column_int64 (stmt, 8);
  r->ended_at = sqlite3_column_int64 (stmt, 9);
  r->grade = _tb_column_dup_text (stmt, 10);
  r->score = sqlite3_column_type (stmt, 11) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 11);
  r->reasons_json = _tb_column_dup_text (stmt, 12);
  r->recording = _tb_column_dup_text (stmt, 13);
  r->opt_out = sqlite3_column_int (stmt, 14) != 0;
  r->follow_up = _tb_column_dup_text (stmt, 15);
  r->notes = _tb_column_dup_text (stmt, 16);
  r->contact_id = sqlite3_column_int64 (stmt, 17);
  r->contact_name = _tb_column_dup_text (stmt, 18);
  r->company = _tb_column_dup_text (stmt, 19);
  r->email = _tb_column_dup_text (stmt, 20);
  r->country = _tb_column_dup_text (stmt, 21);
  r->timezone = _tb_column_dup_text (stmt, 22);
  r->fields_json = _tb_column_dup_text (stmt, 23);
  r->list_name = _tb_column_dup_text (stmt, 24);
  r->campaign_id = sqlite3_column_int64 (stmt, 25);
  r->campaign_name = _tb_column_dup_text (stmt, 26);
  r->script_name = _tb_column_dup_text (stmt, 27);
  r->line_name = _tb_column_dup_text (stmt, 28);
  r->amd = _tb_column_dup_text (stmt, 29);
  r->variant = _tb_column_dup_text (stmt, 30);
  r->caller_id = _tb_column_dup_text (stmt, 31);
  return r;
}

static gboolean
load_turns (TbStore       *self,
            TbCallRecord  *record,
            GError       **error)
{
  g_autoptr(GPtrArray) turns = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_turn_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tb_store_prepare (self,
                            "SELECT seq, speaker, node, text, intent, confidence, started_at, "
                            "  ended_at FROM turns WHERE attempt_id = :attempt ORDER BY seq",
                            error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":attempt", record->attempt_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbTurn *turn = g_new0 (TbTurn, 1);

    turn->seq = sqlite3_column_int (stmt, 0);
    turn->speaker = _tb_column_dup_text (stmt, 1);
    turn->node = _tb_column_dup_text (stmt, 2);
    turn->text = _tb_column_dup_text (stmt, 3);
    turn->intent = _tb_column_dup_text (stmt, 4);
    turn->confidence = sqlite3_column_type (stmt, 5) == SQLITE_NULL
                       ? -1.0 : sqlite3_column_double (stmt, 5);
    turn->started_at = sqlite3_column_int64 (stmt, 6);
    turn->ended_at = sqlite3_column_int64 (stmt, 7);
    g_ptr_array_add (turns, turn);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "read turns", error);
  record->turns = g_steal_pointer (&turns);
  return TRUE;
}

TbCallRecord *
tb_store_load_call (TbStore   *self,
                    gint64     attempt_id,
                    gboolean   with_turns,
                    GError   **error)
{
  g_autoptr(TbCallRecord) record = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self, CALL_SELECT "WHERE a.id = :id", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":id", attempt_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = record_from_stmt (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "read an attempt", error);
    return NULL;
  }
  if (record == NULL) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "%s: no attempt %" G_GINT64_FORMAT, tb_store_get_path (self), attempt_id);
    return NULL;
  }
  if (with_turns && !load_turns (self, record, error))
    return NULL;
  return g_steal_pointer (&record);
}

static char *
grades_param (const char * const *grades)
{
  g_autoptr(GString) s = NULL;

  if (grades == NULL || grades[0] == NULL)
    return NULL;
  s = g_string_new (",");
  for (guint i = 0; grades[i] != NULL; i++)
    g_string_append_printf (s, "%s,", grades[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* A statement of its own (not the cache): callers may use the store meanwhile. */
static sqlite3_stmt *
prepare_filtered (TbStore             *self,
                  const char          *sql,
                  const TbCallFilter  *filter,
                  GError             **error)
{
  static const TbCallFilter none = { 0 };
  g_autofree char *grades = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (filter == NULL)
    filter = &none;
  rc = sqlite3_prepare_v2 (_tb_store_get_db (self), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK) {
    sqlite3_finalize (stmt);
    _tb_store_set_error (self, rc, "prepare a call query", error);
    return NULL;
  }
  grades = grades_param (filter->grades);
  _tb_bind_int64 (stmt, ":campaign", filter->campaign_id);
  _tb_bind_text (stmt, ":grades", grades);
  _tb_bind_int64 (stmt, ":leads", filter->leads_only ? 1 : 0);
  return stmt;
}

gboolean
tb_store_foreach_call (TbStore             *self,
                       const TbCallFilter  *filter,
                       TbCallFunc           func,
                       gpointer             user_data,
                       GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = prepare_filtered (self, CALL_SELECT CALL_WHERE "ORDER BY a.id", filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    g_autoptr(TbCallRecord) record = record_from_stmt (stmt);

    if ((filter != NULL && filter->with_turns && !load_turns (self, record, error)) ||
        !func (record, user_data, error)) {
      sqlite3_finalize (stmt);
      return FALSE;
    }
  }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "read calls", error);
  return TRUE;
}

GStrv
tb_store_dup_call_field_names (TbStore             *self,
                               const TbCallFilter  *filter,
                               GError             **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = prepare_filtered (self,
                           "SELECT DISTINCT f.key "
                           "FROM attempts a JOIN contacts c ON c.id = a.contact_id, "
                           "  json_each (c.fields) f "
                           CALL_WHERE "ORDER BY f.key", filter, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "read contact field names", error);
    return NULL;
  }
  return g_strv_builder_end (names);
}
