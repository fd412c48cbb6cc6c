/* tb-store-leads.c — graded calls, their transcripts and follow-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-leads"

#include "config.h"

#include "tb-store-leads.h"
#include "tb-store-private.h"

void
tb_lead_row_free (TbLeadRow *row)
{
  if (row == NULL)
    return;
  g_free (row->campaign);
  g_free (row->name);
  g_free (row->company);
  g_free (row->e164);
  g_free (row->grade);
  g_free (row->reasons_json);
  g_free (row->outcome);
  g_free (row->recording);
  g_free (row->follow_up);
  g_free (row->notes);
  g_free (row->timezone);
  g_free (row);
}

GPtrArray *
tb_store_list_leads (TbStore            *self,
                     const TbLeadFilter *filter,
                     GError            **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_lead_row_free);
  TbLeadFilter none = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  if (filter == NULL)
    filter = &none;

  stmt = _tb_store_prepare (self,
                            "SELECT a.id, a.campaign_id, k.name, c.name, c.company, a.e164, "
                            "  a.grade, a.score, a.reasons, a.outcome, a.recording, a.follow_up, "
                            "  a.notes, a.dialed_at, a.answered_at, a.ended_at, a.opt_out, c.timezone "
                            "FROM attempts a "
                            "  LEFT JOIN contacts c ON c.id = a.contact_id "
                            "  LEFT JOIN campaigns k ON k.id = a.campaign_id "
                            "WHERE a.grade IS NOT NULL "
                            "  AND (:grades IS NULL OR instr (:grades, a.grade) > 0) "
                            "  AND (:campaign = 0 OR a.campaign_id = :campaign) "
                            "  AND coalesce (a.ended_at, a.dialed_at) >= :since "
                            "ORDER BY coalesce (a.ended_at, a.dialed_at) DESC, a.id DESC "
                            "LIMIT :limit", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_text (stmt, ":grades", filter->grades && *filter->grades ? filter->grades : NULL);
  _tb_bind_int64 (stmt, ":campaign", filter->campaign_id);
  _tb_bind_int64 (stmt, ":since", filter->since);
  _tb_bind_int64 (stmt, ":limit", filter->limit > 0 ? filter->limit : 10000);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbLeadRow *row = g_new0 (TbLeadRow, 1);

    row->attempt_id = sqlite3_column_int64 (stmt, 0);
    row->campaign_id = sqlite3_column_int64 (stmt, 1);
    row->campaign = _tb_column_dup_text (stmt, 2);
    row->name = _tb_column_dup_text (stmt, 3);
    row->company = _tb_column_dup_text (stmt, 4);
    row->e164 = _tb_column_dup_text (stmt, 5);
    row->grade = _tb_column_dup_text (stmt, 6);
    row->score = sqlite3_column_int (stmt, 7);
    row->reasons_json = _tb_column_dup_text (stmt, 8);
    row->outcome = _tb_column_dup_text (stmt, 9);
    row->recording = _tb_column_dup_text (stmt, 10);
    row->follow_up = _tb_column_dup_text (stmt, 11);
    row->notes = _tb_column_dup_text (stmt, 12);
    row->dialed_at = sqlite3_column_int64 (stmt, 13);
    row->answered_at = sqlite3_column_int64 (stmt, 14);
    row->ended_at = sqlite3_column_int64 (stmt, 15);
    row->opt_out = sqlite3_column_int (stmt, 16) != 0;
    row->timezone = _tb_column_dup_text (stmt, 17);
    g_ptr_array_add (rows, row);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "leads", error);
    return NULL;
  }
  return g_steal_pointer (&rows);
}
