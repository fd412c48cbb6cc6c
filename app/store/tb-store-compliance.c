/* tb-store-compliance.c — SQL of the compliance engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-compliance"

#include "config.h"

#include "tb-store-compliance.h"
#include "tb-store-private.h"

/* "Abandoned": answered, and the bot's first audio came more than
 * :silence after the answer, or never while the line stayed up that long. */
#define ABANDONED_SQL \
  "(first_audio_at IS NOT NULL AND first_audio_at - answered_at > :silence) " \
  "OR (first_audio_at IS NULL AND coalesce (ended_at, :now) - answered_at > :silence)"

gint64
tb_store_compliance_add_attempt (TbStore     *self,
                                 gint64       campaign_id,
                                 gint64       contact_id,
                                 gint64       line_id,
                                 const char  *e164,
                                 gint64       dialed_at,
                                 GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), 0);
  g_return_val_if_fail (e164 != NULL, 0);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO attempts (campaign_id, contact_id, line_id, e164, "
                            "  dialed_at) VALUES (:campaign, :contact, :line, :e164, :at)", error);
  if (stmt == NULL)
    return 0;
  _tb_bind_id_or_null (stmt, ":campaign", campaign_id);
  _tb_bind_id_or_null (stmt, ":contact", contact_id);
  _tb_bind_id_or_null (stmt, ":line", line_id);
  _tb_bind_text (stmt, ":e164", e164);
  _tb_bind_int64 (stmt, ":at", dialed_at);
  if (!_tb_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_tb_store_get_db (self));
}

static gboolean
update_attempt (TbStore     *self,
                const char  *sql,
                gint64       attempt_id,
                gint64       at,
                const char  *text,
                gboolean     must_change,
                GError     **error)
{
  sqlite3_stmt *stmt = _tb_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":id", attempt_id);
  if (sqlite3_bind_parameter_index (stmt, ":at") > 0)
    _tb_bind_int64 (stmt, ":at", at);
  if (sqlite3_bind_parameter_index (stmt, ":text") > 0)
    _tb_bind_text (stmt, ":text", text);
  if (!_tb_store_step_done (self, stmt, error))
    return FALSE;
  if (must_change && sqlite3_changes (_tb_store_get_db (self)) == 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "%s: no attempt %" G_GINT64_FORMAT, tb_store_get_path (self), attempt_id);
    return FALSE;
  }
  return TRUE;
}

gboolean
tb_store_compliance_set_answered (TbStore  *self,
                                  gint64    attempt_id,
                                  gint64    answered_at,
                                  GError  **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  return update_attempt (self, "UPDATE attempts SET answered_at = :at, state = 'answered' "
                         "WHERE id = :id", attempt_id, answered_at, NULL, TRUE, error);
}

gboolean
tb_store_compliance_set_first_audio (TbStore  *self,
                                     gint64    attempt_id,
                                     gint64    first_audio_at,
                                     GError  **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  return update_attempt (self, "UPDATE attempts SET first_audio_at = :at "
                         "WHERE id = :id AND first_audio_at IS NULL",
                         attempt_id, first_audio_at, NULL, FALSE, error);
}

gboolean
tb_store_compliance_set_ended (TbStore     *self,
                               gint64       attempt_id,
                               gint64       ended_at,
                               const char  *outcome,
                               GError     **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  return update_attempt (self, "UPDATE attempts SET ended_at = :at, state = 'ended', "
                         "  outcome = :text WHERE id = :id",
                         attempt_id, ended_at, outcome, TRUE, error);
}

gboolean
tb_store_compliance_set_recording (TbStore     *self,
                                   gint64       attempt_id,
                                   const char  *path,
                                   GError     **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  return update_attempt (self, "UPDATE attempts SET recording = :text WHERE id = :id",
                         attempt_id, 0, path, TRUE, error);
}

gboolean
tb_store_compliance_mark_opt_out (TbStore  *self,
                                  gint64    attempt_id,
                                  GError  **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  return update_attempt (self, "UPDATE attempts SET opt_out = 1 WHERE id = :id",
                         attempt_id, 0, NULL, TRUE, error);
}

GArray *
tb_store_compliance_list_dial_times (TbStore     *self,
                                     const char  *e164,
                                     gint64       since,
                                     gint64       until,
                                     GError     **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT dialed_at FROM attempts WHERE e164 = :e164 "
                            "  AND dialed_at > :since AND dialed_at <= :until "
                            "ORDER BY dialed_at", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_text (stmt, ":e164", e164);
  _tb_bind_int64 (stmt, ":since", since);
  _tb_bind_int64 (stmt, ":until", until);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 t = sqlite3_column_int64 (stmt, 0);

    g_array_append_val (out, t);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "count attempts", error);
    return NULL;
  }
  return g_steal_pointer (&out);
}

gint64
tb_store_compliance_last_abandoned (TbStore     *self,
                                    const char  *e164,
                                    gint64       since,
                                    gint64       now,
                                    gint64       max_silence_us,
                                    GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 at = 0;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), -1);

  stmt = _tb_store_prepare (self,
                            "SELECT max (answered_at) FROM attempts WHERE e164 = :e164 "
                            "  AND answered_at > :since AND answered_at <= :now "
                            "  AND (" ABANDONED_SQL ")", error);
  if (stmt == NULL)
    return -1;
  _tb_bind_text (stmt, ":e164", e164);
  _tb_bind_int64 (stmt, ":since", since);
  _tb_bind_int64 (stmt, ":now", now);
  _tb_bind_int64 (stmt, ":silence", max_silence_us);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    at = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW) {
    _tb_store_set_error (self, rc, "find abandoned calls", error);
    return -1;
  }
  return at;
}

gboolean
tb_store_compliance_count_abandoned (TbStore  *self,
                                     gint64    campaign_id,
                                     gint64    since,
                                     gint64    now,
                                     gint64    max_silence_us,
                                     gint64   *answered,
                                     gint64   *abandoned,
                                     GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "SELECT count (*), coalesce (sum (CASE WHEN " ABANDONED_SQL
                            "  THEN 1 ELSE 0 END), 0) FROM attempts "
                            "WHERE campaign_id = :campaign AND answered_at IS NOT NULL "
                            "  AND answered_at > :since AND answered_at <= :now", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  _tb_bind_int64 (stmt, ":since", since);
  _tb_bind_int64 (stmt, ":now", now);
  _tb_bind_int64 (stmt, ":silence", max_silence_us);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW) {
    *answered = sqlite3_column_int64 (stmt, 0);
    *abandoned = sqlite3_column_int64 (stmt, 1);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _tb_store_set_error (self, rc, "count abandoned calls", error);
  return TRUE;
}

gboolean
tb_store_compliance_set_registry (TbStore     *self,
                                  const char  *name,
                                  gint64       fetched_at,
                                  gint64       entries,
                                  GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO dnc_registries (name, fetched_at, imported_at, entries) "
                            "VALUES (:name, :fetched, :imported, :entries) "
                            "ON CONFLICT (name) DO UPDATE SET fetched_at = excluded.fetched_at, "
                            "  imported_at = excluded.imported_at, entries = excluded.entries",
                            error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":name", name);
  _tb_bind_int64 (stmt, ":fetched", fetched_at);
  _tb_bind_int64 (stmt, ":imported", g_get_real_time ());
  _tb_bind_int64 (stmt, ":entries", entries);
  return _tb_store_step_done (self, stmt, error);
}

gint64
tb_store_compliance_get_registry_fetched_at (TbStore    *self,
                                             const char *name)
{
  sqlite3_stmt *stmt;
  gint64 at = 0;

  g_return_val_if_fail (TB_IS_STORE (self), 0);

  stmt = _tb_store_prepare (self, "SELECT fetched_at FROM dnc_registries WHERE name = :name",
                            NULL);
  if (stmt == NULL)
    return 0;
  _tb_bind_text (stmt, ":name", name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    at = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return at;
}

void
tb_compliance_contact_clear (TbComplianceContact *contact)
{
  g_clear_pointer (&contact->e164, g_free);
  g_clear_pointer (&contact->country, g_free);
  g_clear_pointer (&contact->timezone, g_free);
  g_clear_pointer (&contact->state, g_free);
}

#define CONTACT_COLUMNS \
  "SELECT e164, country, timezone, " \
  "  coalesce (json_extract (fields, '$.state'), json_extract (fields, '$.region')) " \
  "FROM contacts "

static void
read_contact (sqlite3_stmt        *stmt,
              TbComplianceContact *contact)
{
  contact->e164 = _tb_column_dup_text (stmt, 0);
  contact->country = _tb_column_dup_text (stmt, 1);
  contact->timezone = _tb_column_dup_text (stmt, 2);
  contact->state = _tb_column_dup_text (stmt, 3);
}

gboolean
tb_store_compliance_get_contact (TbStore              *self,
                                 gint64                contact_id,
                                 TbComplianceContact  *contact,
                                 GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self, CONTACT_COLUMNS "WHERE id = :id", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":id", contact_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    read_contact (stmt, contact);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "%s: no contact %" G_GINT64_FORMAT, tb_store_get_path (self), contact_id);
    return FALSE;
  }
  if (rc != SQLITE_ROW)
    return _tb_store_set_error (self, rc, "read contact", error);
  return TRUE;
}

gboolean
tb_store_compliance_find_contact (TbStore             *self,
                                  const char          *e164,
                                  TbComplianceContact *contact)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self, CONTACT_COLUMNS "WHERE e164 = :e164 ORDER BY id LIMIT 1",
                            NULL);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":e164", e164);
  if (sqlite3_step (stmt) == SQLITE_ROW) {
    read_contact (stmt, contact);
    found = TRUE;
  }
  sqlite3_reset (stmt);
  return found;
}

static gboolean
foreach_contact (TbStore                 *self,
                 const char              *sql,
                 gint64                   id,
                 TbComplianceContactFunc  func,
                 gpointer                 user_data,
                 GError                 **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (_tb_store_get_db (self), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _tb_store_set_error (self, rc, "list campaign contacts", error);
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    g_auto(TbComplianceContact) contact = { 0 };

    read_contact (stmt, &contact);
    if (!func (sqlite3_column_int64 (stmt, 4), &contact, user_data)) {
      rc = SQLITE_DONE;
      break;
    }
  }
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "list campaign contacts", error);
    sqlite3_finalize (stmt);
    return FALSE;
  }
  sqlite3_finalize (stmt);
  return TRUE;
}

#define CONTACT_ID_COLUMNS \
  "SELECT e164, country, timezone, " \
  "  coalesce (json_extract (fields, '$.state'), " \
  "    json_extract (fields, '$.region')), id "

gboolean
tb_store_compliance_foreach_campaign_contact (TbStore                 *self,
                                              gint64                   campaign_id,
                                              TbComplianceContactFunc  func,
                                              gpointer                 user_data,
                                              GError                 **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  return foreach_contact (self,
                          CONTACT_ID_COLUMNS
                          "FROM contacts WHERE list_id = "
                          "  (SELECT list_id FROM campaigns WHERE id = ?1) ORDER BY id",
                          campaign_id, func, user_data, error);
}

gboolean
tb_store_compliance_foreach_list_contact (TbStore                 *self,
                                          gint64                   list_id,
                                          TbComplianceContactFunc  func,
                                          gpointer                 user_data,
                                          GError                 **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  return foreach_contact (self, CONTACT_ID_COLUMNS "FROM contacts WHERE list_id = ?1 ORDER BY id",
                          list_id, func, user_data, error);
}

char *
tb_store_compliance_dup_campaign_policies (TbStore  *self,
                                           gint64    campaign_id,
                                           GError  **error)
{
  sqlite3_stmt *stmt;
  char *policies = NULL;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self, "SELECT policies FROM campaigns WHERE id = :id", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":id", campaign_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    policies = _tb_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
                 "%s: no campaign %" G_GINT64_FORMAT, tb_store_get_path (self), campaign_id);
  else if (rc != SQLITE_ROW)
    _tb_store_set_error (self, rc, "read campaign", error);
  return policies;
}

void
tb_recording_row_free (TbRecordingRow *row)
{
  if (row == NULL)
    return;
  g_free (row->e164);
  g_free (row->path);
  g_free (row);
}

static GPtrArray *
list_recordings (TbStore     *self,
                 const char  *sql,
                 gint64       before,
                 GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tb_recording_row_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tb_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_bind_parameter_index (stmt, ":before") > 0)
    _tb_bind_int64 (stmt, ":before", before);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbRecordingRow *row = g_new0 (TbRecordingRow, 1);

    row->attempt_id = sqlite3_column_int64 (stmt, 0);
    row->e164 = _tb_column_dup_text (stmt, 1);
    row->path = _tb_column_dup_text (stmt, 2);
    row->dialed_at = sqlite3_column_int64 (stmt, 3);
    g_ptr_array_add (out, row);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "list recordings", error);
    return NULL;
  }
  return g_steal_pointer (&out);
}

GPtrArray *
tb_store_compliance_list_recordings_before (TbStore  *self,
                                            gint64    before,
                                            GError  **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  return list_recordings (self,
                          "SELECT id, e164, recording, dialed_at FROM attempts "
                          "WHERE recording IS NOT NULL AND recording != '' "
                          "  AND dialed_at < :before ORDER BY id", before, error);
}

GPtrArray *
tb_store_compliance_list_open_recordings (TbStore  *self,
                                          GError  **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  return list_recordings (self,
                          "SELECT id, e164, recording, dialed_at FROM attempts "
                          "WHERE recording IS NOT NULL AND recording != '' "
                          "  AND state NOT IN ('ended', 'interrupted') ORDER BY id", 0, error);
}

/* The recordings of the last 64 calls that ended: a crash between a call's end being written
 * and its recorder finishing the file leaves one of these with a stale header. */
GPtrArray *
tb_store_compliance_list_recent_recordings (TbStore  *self,
                                            GError  **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  return list_recordings (self,
                          "SELECT id, e164, recording, dialed_at FROM attempts "
                          "WHERE recording IS NOT NULL AND recording != '' "
                          "  AND state IN ('ended', 'interrupted') "
                          "  AND id > (SELECT max (id) - 64 FROM attempts) ORDER BY id", 0, error);
}

GPtrArray *
tb_store_compliance_list_recordings (TbStore  *self,
                                     GError  **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  return list_recordings (self,
                          "SELECT id, e164, recording, dialed_at FROM attempts "
                          "WHERE recording IS NOT NULL AND recording != '' ORDER BY id", 0,
                          error);
}

static GPtrArray *
dump_query (TbStore      *self,
            const char   *sql,
            const char   *text,
            gint64        id,
            GError      **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  sqlite3_stmt *stmt = _tb_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    GVariantBuilder b;

    g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
    for (int c = 0; c < sqlite3_column_count (stmt); c++) {
      const char *name = sqlite3_column_name (stmt, c);
      GVariant *v;

      switch (sqlite3_column_type (stmt, c)) {
      case SQLITE_INTEGER:
        v = g_variant_new_int64 (sqlite3_column_int64 (stmt, c));
        break;
      case SQLITE_FLOAT:
        v = g_variant_new_double (sqlite3_column_double (stmt, c));
        break;
      case SQLITE_NULL:
        v = g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL);
        break;
      default:
        v = g_variant_new_string ((const char *) sqlite3_column_text (stmt, c));
        break;
      }
      g_variant_builder_add (&b, "{sv}", name, v);
    }
    g_ptr_array_add (out, g_variant_ref_sink (g_variant_builder_end (&b)));
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "export rows", error);
    return NULL;
  }
  return g_steal_pointer (&out);
}

GPtrArray *
tb_store_compliance_dump_rows (TbStore     *self,
                               const char  *what,
                               const char  *e164,
                               GError     **error)
{
  static const struct { const char *what; const char *sql; } queries[] = {
    { "contacts", "SELECT * FROM contacts WHERE e164 = ?1 ORDER BY id" },
    { "dnc", "SELECT * FROM dnc WHERE e164 = ?1" },
    { "number_status", "SELECT * FROM number_status WHERE e164 = ?1" },
    { "consent", "SELECT * FROM consent WHERE e164 = ?1 ORDER BY id" },
    { "attempts", "SELECT * FROM attempts WHERE e164 = ?1 ORDER BY id" },
    { "turns", "SELECT t.* FROM turns t JOIN attempts a ON a.id = t.attempt_id "
               "WHERE a.e164 = ?1 ORDER BY t.attempt_id, t.seq" },
    { "queue", "SELECT q.* FROM queue q JOIN contacts c ON c.id = q.contact_id "
               "WHERE c.e164 = ?1 ORDER BY q.campaign_id" },
  };

  g_return_val_if_fail (TB_IS_STORE (self), NULL);
  g_return_val_if_fail (e164 != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    if (g_str_equal (queries[i].what, what))
      return dump_query (self, queries[i].sql, e164, 0, error);
  g_return_val_if_reached (NULL);
}

GPtrArray *
tb_store_compliance_dump_campaign_rows (TbStore     *self,
                                        const char  *what,
                                        gint64       campaign_id,
                                        GError     **error)
{
  static const struct { const char *what; const char *sql; } queries[] = {
    { "campaign", "SELECT * FROM campaigns WHERE id = ?1" },
    { "queue", "SELECT * FROM queue WHERE campaign_id = ?1 ORDER BY contact_id" },
    { "attempts", "SELECT * FROM attempts WHERE campaign_id = ?1 ORDER BY id" },
    { "turns", "SELECT t.* FROM turns t JOIN attempts a ON a.id = t.attempt_id "
               "WHERE a.campaign_id = ?1 ORDER BY t.attempt_id, t.seq" },
  };

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    if (g_str_equal (queries[i].what, what))
      return dump_query (self, queries[i].sql, NULL, campaign_id, error);
  g_return_val_if_reached (NULL);
}

#define REPAIR_FLAG "numbers_need_repair"

static const struct {
  const char *select;
  const char *update;
} repair_tables[] = {
  /* A second DNC row for a number already listed would break UNIQUE: drop it. */
  { "SELECT DISTINCT e164 FROM dnc WHERE " TB_STORE_NOT_E164 ("e164"),
    "DELETE FROM dnc WHERE e164 = :raw AND EXISTS (SELECT 1 FROM dnc WHERE e164 = :fixed);"
    "UPDATE dnc SET e164 = :fixed WHERE e164 = :raw" },
  { "SELECT DISTINCT e164 FROM consent WHERE " TB_STORE_NOT_E164 ("e164"),
    "UPDATE consent SET e164 = :fixed WHERE e164 = :raw" },
  { "SELECT DISTINCT e164 FROM contacts WHERE " TB_STORE_NOT_E164 ("e164"),
    "UPDATE OR IGNORE contacts SET e164 = :fixed WHERE e164 = :raw" },
  { "SELECT DISTINCT e164 FROM attempts WHERE " TB_STORE_NOT_E164 ("e164"),
    "UPDATE attempts SET e164 = :fixed WHERE e164 = :raw" },
};

/* Runs each ";"-separated statement of @sql with :raw and :fixed bound. */
static gboolean
repair_one (TbStore     *self,
            const char  *sql,
            const char  *raw,
            const char  *fixed,
            gint64      *n_changed,
            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (sql, ";", -1);

  for (guint i = 0; parts[i] != NULL; i++) {
    sqlite3_stmt *stmt = _tb_store_prepare (self, parts[i], error);

    if (stmt == NULL)
      return FALSE;
    _tb_bind_text (stmt, ":raw", raw);
    _tb_bind_text (stmt, ":fixed", fixed);
    if (!_tb_store_step_done (self, stmt, error))
      return FALSE;
    *n_changed += sqlite3_changes (_tb_store_get_db (self));
  }
  return TRUE;
}

gint64
tb_store_compliance_repair_numbers (TbStore          *self,
                                    TbStoreNumberFix  fix,
                                    gpointer          user_data,
                                    gint64           *n_unfixed,
                                    GError          **error)
{
  g_autofree char *flag = NULL;
  gint64 changed = 0, unfixed = 0;

  g_return_val_if_fail (TB_IS_STORE (self), -1);
  g_return_val_if_fail (fix != NULL, -1);

  if (n_unfixed != NULL)
    *n_unfixed = 0;
  flag = tb_store_dup_setting (self, REPAIR_FLAG, "0");
  if (!g_str_equal (flag, "1"))
    return 0;
  if (!tb_store_begin (self, error))
    return -1;
  for (guint t = 0; t < G_N_ELEMENTS (repair_tables); t++) {
    g_autoptr(GPtrArray) raws = g_ptr_array_new_with_free_func (g_free);
    sqlite3_stmt *stmt = _tb_store_prepare (self, repair_tables[t].select, error);
    int rc;

    if (stmt == NULL)
      goto fail;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (raws, _tb_column_dup_text (stmt, 0));
    if (rc != SQLITE_DONE) {
      _tb_store_set_error (self, rc, "find numbers to repair", error);
      goto fail;
    }
    for (guint i = 0; i < raws->len; i++) {
      const char *raw = g_ptr_array_index (raws, i);
      g_autofree char *fixed = raw != NULL ? fix (raw, user_data) : NULL;

      if (!tb_store_is_e164 (fixed)) {
        unfixed++;
        continue;
      }
      if (!repair_one (self, repair_tables[t].update, raw, fixed, &changed, error))
        goto fail;
    }
  }
  if (!tb_store_exec (self, "DELETE FROM settings WHERE key = '" REPAIR_FLAG "'", error) ||
      !tb_store_commit (self, error))
    goto fail;
  if (n_unfixed != NULL)
    *n_unfixed = unfixed;
  return changed;

fail:
  tb_store_rollback (self);
  return -1;
}
