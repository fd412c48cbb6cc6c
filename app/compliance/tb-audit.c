/* tb-audit.c — append and verify the signed, chained audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-audit"

#include "config.h"

#include "tb-audit.h"
#include "tb-audit-key.h"
#include "tb-store-attempts.h"
#include "tb-store-audit.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define HEAD_KEY "audit-head"
#define SWITCH_KIND "audit.keyed"
#define MISSING_LISTED 100

G_DEFINE_QUARK (tb-audit-error-quark, tb_audit_error)

/* @key NULL: the plain SHA-256 of the rows written before the log was keyed. */
static char *
compute_hash (GBytes           *key,
              const char       *prev_hash,
              const TbAuditRow *row)
{
  g_autofree char *content = NULL;

  /* Canonical content: fixed order, one field a line; the detail is last, so
   * newlines inside it cannot shift the other fields. */
  content = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s\n%s\n%"
                             G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s",
                             prev_hash, row->id, row->at, row->kind ? row->kind : "",
                             row->e164 ? row->e164 : "", row->campaign_id, row->attempt_id,
                             row->detail ? row->detail : "");
  if (key == NULL)
    return g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);
  return g_compute_hmac_for_data (G_CHECKSUM_SHA256, g_bytes_get_data (key, NULL),
                                  g_bytes_get_size (key), (const guchar *) content,
                                  strlen (content));
}

/* Inserts one row signed with @key after the last one; the caller holds a transaction. */
static gint64
insert_row (TbStore     *store,
            GBytes      *key,
            gint64       at,
            const char  *kind,
            const char  *e164,
            gint64       campaign_id,
            gint64       attempt_id,
            JsonNode    *detail,
            GError     **error)
{
  g_auto(TbAuditRow) row = { 0 };
  g_autofree char *last_hash = NULL;
  g_autofree char *head = NULL;
  gint64 last_id = 0;

  if (!tb_store_audit_get_last (store, &last_id, &last_hash, error))
    return 0;
  row.id = last_id + 1;
  row.at = at;
  row.kind = g_strdup (kind);
  row.e164 = g_strdup (e164);
  row.campaign_id = campaign_id;
  row.attempt_id = attempt_id;
  row.detail = detail ? json_to_string (detail, FALSE) : g_strdup ("{}");
  row.prev_hash = g_strdup (last_hash ? last_hash : GENESIS_HASH);
  row.hash = compute_hash (key, row.prev_hash, &row);
  head = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", row.id, row.hash);
  if (!tb_store_audit_insert (store, &row, error) ||
      !tb_store_set_setting (store, HEAD_KEY, head, error))
    return 0;
  return row.id;
}

/* A key made now for a database that has a history: the first signed row says how many
 * unsigned rows come before it, and how far the audited tables went then (rows written
 * before Telebot audited each of them). verify accepts that much, and no more. @opening:
 * before anything is written, so rows of the audited tables are a history too (an older
 * version did not audit manual DNC entries); else only an unsigned log is (the rows of the
 * caller's own transaction are not). */
static gboolean
record_switch (TbStore   *store,
               GBytes    *key,
               gint64     at,
               gboolean   opening,
               GError   **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  g_autofree char *last_hash = NULL;
  g_autofree char *where = NULL;
  TbAuditMarks marks;
  gint64 last_id = 0;

  if (!tb_store_audit_get_last (store, &last_id, &last_hash, error) ||
      !tb_store_audit_get_marks (store, &marks, error))
    return FALSE;
  if (last_id == 0 && (!opening || (marks.attempts == 0 && marks.dnc == 0 &&
                                    marks.consent == 0)))
    return TRUE;   /* a new database: its first row is simply signed */

  where = tb_secret_describe (store, tb_audit_key_kind ());
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "unkeyed_rows");
  json_builder_add_int_value (b, last_id);
  json_builder_set_member_name (b, "attempts_before");
  json_builder_add_int_value (b, marks.attempts);
  json_builder_set_member_name (b, "dnc_before");
  json_builder_add_int_value (b, marks.dnc);
  json_builder_set_member_name (b, "consent_before");
  json_builder_add_int_value (b, marks.consent);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, where);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  return insert_row (store, key, at, SWITCH_KIND, NULL, 0, 0, detail, error) > 0;
}

/* The key to sign with, made on first use (and the switch recorded); in a transaction. */
static GBytes *
key_for_writing (TbStore   *store,
                 gint64     at,
                 gboolean   opening,
                 GError   **error)
{
  g_autoptr(GBytes) key = NULL;
  gboolean created = FALSE;

  if ((key = tb_audit_key_dup (store, TRUE, &created, error)) == NULL)
    return NULL;
  if (created && !record_switch (store, key, at, opening, error))
    return NULL;
  return g_steal_pointer (&key);
}

static void
settle (TbStore  *store,
        gboolean  committed)
{
  /* Only the outermost transaction decides whether a key made in it stays. */
  if (!tb_store_in_transaction (store))
    tb_audit_key_settle (store, committed);
}

gint64
tb_audit_append (TbStore     *store,
                 gint64       at,
                 const char  *kind,
                 const char  *e164,
                 gint64       campaign_id,
                 gint64       attempt_id,
                 JsonNode    *detail,
                 GError     **error)
{
  g_autoptr(GBytes) key = NULL;
  gint64 id;

  g_return_val_if_fail (TB_IS_STORE (store), 0);
  g_return_val_if_fail (kind != NULL, 0);

  if (!tb_store_begin (store, error))
    return 0;
  if ((key = key_for_writing (store, at, FALSE, error)) == NULL ||
      (id = insert_row (store, key, at, kind, e164, campaign_id, attempt_id, detail,
                        error)) == 0) {
    tb_store_rollback (store);
    settle (store, FALSE);
    return 0;
  }
  /* tb_store_commit() rolls back by itself when it fails. */
  if (!tb_store_commit (store, error)) {
    settle (store, FALSE);
    return 0;
  }
  settle (store, TRUE);
  return id;
}

gboolean
tb_audit_ensure_key (TbStore  *store,
                     gint64    now,
                     GError  **error)
{
  g_autoptr(GBytes) key = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);

  if (tb_audit_key_is_configured (store))
    return TRUE;
  if (!tb_store_begin (store, error))
    return FALSE;
  /* Checked again inside the write lock: another process may have made it meanwhile. */
  if (!tb_audit_key_is_configured (store) &&
      (key = key_for_writing (store, now, TRUE, error)) == NULL) {
    tb_store_rollback (store);
    settle (store, FALSE);
    return FALSE;
  }
  if (!tb_store_commit (store, error)) {
    settle (store, FALSE);
    return FALSE;
  }
  settle (store, TRUE);
  return TRUE;
}

gint64
tb_audit_begin_attempt (TbStore     *store,
                        gint64       campaign_id,
                        gint64       contact_id,
                        gint64       line_id,
                        const char  *e164,
                        gint64       now,
                        GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  gint64 attempt_id;

  g_return_val_if_fail (TB_IS_STORE (store), 0);
  g_return_val_if_fail (e164 != NULL, 0);

  if (!tb_store_begin (store, error))
    return 0;
  if ((attempt_id = tb_store_attempt_begin (store, campaign_id, contact_id, line_id, e164, now,
                                            error)) == 0)
    goto fail;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "contact_id");
  json_builder_add_int_value (b, contact_id);
  json_builder_set_member_name (b, "line_id");
  json_builder_add_int_value (b, line_id);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  if (tb_audit_append (store, now, TB_AUDIT_KIND_CALL_PLACED, e164, campaign_id, attempt_id,
                       detail, error) == 0)
    goto fail;
  if (!tb_store_commit (store, error))
    return 0;
  return attempt_id;

fail:
  tb_store_rollback (store);
  return 0;
}

typedef struct {
  GBytes       *key;
  char         *prev_hash;
  gint64        prev_id;
  gint64        n_rows;
  gint64        bad_id;
  char         *problem;
  gint64        keyed_from;
  gint64        unkeyed_rows;
  TbAuditMarks  marks;
} VerifyState;

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : -1;
}

/* The first signed row: row 1, or the switch that accounts for every row before it. */
static gboolean
accept_first_signed (VerifyState      *st,
                     const TbAuditRow *row)
{
  g_autoptr(JsonNode) detail = NULL;
  JsonObject *object = NULL;

  st->keyed_from = row->id;
  if (g_strcmp0 (row->kind, SWITCH_KIND) == 0) {
    detail = json_from_string (row->detail, NULL);
    object = detail && JSON_NODE_HOLDS_OBJECT (detail) ? json_node_get_object (detail) : NULL;
    st->unkeyed_rows = member_int (object, "unkeyed_rows");
    st->marks.attempts = MAX (member_int (object, "attempts_before"), 0);
    st->marks.dnc = MAX (member_int (object, "dnc_before"), 0);
    st->marks.consent = MAX (member_int (object, "consent_before"), 0);
    if (st->unkeyed_rows == row->id - 1)
      return TRUE;
  } else if (row->id == 1) {
    st->unkeyed_rows = 0;
    return TRUE;
  }
  st->bad_id = 1;
  st->problem = g_strdup_printf ("audit rows 1–%" G_GINT64_FORMAT ": not signed with the audit "
                                 "key, and no switch to the key accounts for them (the log was "
                                 "rewritten)", row->id - 1);
  return FALSE;
}

static gboolean
verify_row (const TbAuditRow *row,
            gpointer          user_data)
{
  VerifyState *st = user_data;
  g_autofree char *signed_hash = NULL;
  g_autofree char *plain_hash = NULL;

  st->n_rows++;
  if (row->prev_hash == NULL || !g_str_equal (row->prev_hash, st->prev_hash)) {
    st->bad_id = row->id;
    if (row->id > st->prev_id + 1) {
      st->bad_id = st->prev_id + 1;
      st->problem = g_strdup_printf ("audit row %" G_GINT64_FORMAT ": missing (deleted); row %"
                                     G_GINT64_FORMAT " follows row %" G_GINT64_FORMAT,
                                     st->bad_id, row->id, st->prev_id);
    } else
      st->problem = g_strdup_printf ("audit row %" G_GINT64_FORMAT ": prev_hash does not match "
                                     "row %" G_GINT64_FORMAT " (a row was edited or deleted)",
                                     row->id, st->prev_id);
    return FALSE;
  }
  if (st->key != NULL)
    signed_hash = compute_hash (st->key, row->prev_hash, row);
  if (signed_hash != NULL && g_strcmp0 (signed_hash, row->hash) == 0) {
    if (st->keyed_from == 0 && !accept_first_signed (st, row))
      return FALSE;
  } else if (st->keyed_from > 0) {
    /* After the switch, a row that only a plain hash explains was written without the key. */
    st->bad_id = row->id;
    st->problem = g_strdup_printf ("audit row %" G_GINT64_FORMAT ": not signed with the audit "
                                   "key (the row was edited, or written without the key)",
                                   row->id);
    return FALSE;
  } else {
    plain_hash = compute_hash (NULL, row->prev_hash, row);
    if (g_strcmp0 (plain_hash, row->hash) != 0) {
      st->bad_id = row->id;
      st->problem = g_strdup_printf ("audit row %" G_GINT64_FORMAT ": content does not match "
                                     "its hash (the row was edited)", row->id);
      return FALSE;
    }
  }
  g_free (st->prev_hash);
  st->prev_hash = g_strdup (row->hash);
  st->prev_id = row->id;
  return TRUE;
}

/* Walks the whole chain; FALSE only for an error that is not a break (SQL, the key). */
static gboolean
walk_chain (TbStore      *store,
            VerifyState  *st,
            GError      **error)
{
  g_autofree char *head = NULL;

  st->prev_hash = g_strdup (GENESIS_HASH);
  /* A key the settings name but that cannot be read is an error, not a verdict. */
  st->key = tb_audit_key_dup (store, FALSE, NULL, error);
  if (st->key == NULL && tb_audit_key_is_configured (store))
    return FALSE;
  if (!tb_store_audit_foreach (store, NULL, 0, verify_row, st, error))
    return FALSE;

  if (st->problem == NULL && (head = tb_store_dup_setting (store, HEAD_KEY, NULL)) != NULL) {
    const char *colon = strchr (head, ':');
    gint64 head_id = g_ascii_strtoll (head, NULL, 10);

    if (head_id > st->prev_id) {
      st->bad_id = st->prev_id + 1;
      st->problem = g_strdup_printf ("audit row %" G_GINT64_FORMAT ": missing; the log's head "
                                    "says it ends at row %" G_GINT64_FORMAT " (rows deleted)",
                                    st->bad_id, head_id);
    } else if (head_id == st->prev_id &&
               (colon == NULL || !g_str_equal (colon + 1, st->prev_hash))) {
      st->bad_id = head_id;
      st->problem = g_strdup_printf ("audit row %" G_GINT64_FORMAT ": does not match the log's "
                                    "recorded head (the row was replaced)", head_id);
    }
  }
  /* Rows, and not one signed: the log was rewritten (or its key is gone). */
  if (st->problem == NULL && st->n_rows > 0 && st->keyed_from == 0) {
    st->bad_id = 1;
    st->problem = g_strdup (st->key != NULL
                            ? "no audit row is signed with the audit key (the log was rewritten)"
                            : "no audit key is configured for this database, and no row is "
                              "signed with one (the log was rewritten, or its key removed)");
  }
  return TRUE;
}

static void
verify_state_clear (VerifyState *st)
{
  g_clear_pointer (&st->key, g_bytes_unref);
  g_clear_pointer (&st->prev_hash, g_free);
  g_clear_pointer (&st->problem, g_free);
}

gboolean
tb_audit_verify (TbStore  *store,
                 gint64   *n_rows,
                 gint64   *first_bad_id,
                 GError  **error)
{
  g_auto(TbAuditReport) report = { 0 };
  gboolean ok;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);

  ok = tb_audit_check (store, &report, &local_error);
  /* The chain only: rows the log misses are tb_audit_check()'s to report. */
  if (!ok && g_error_matches (local_error, TB_AUDIT_ERROR, TB_AUDIT_ERROR_INCOMPLETE)) {
    ok = TRUE;
    g_clear_error (&local_error);
  }
  if (n_rows)
    *n_rows = report.rows;
  if (first_bad_id)
    *first_bad_id = report.first_bad_id;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

void
tb_audit_report_clear (TbAuditReport *report)
{
  g_clear_pointer (&report->missing, g_ptr_array_unref);
}

gboolean
tb_audit_check (TbStore        *store,
                TbAuditReport  *report,
                GError        **error)
{
  VerifyState st = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  if (!walk_chain (store, &st, error)) {
    verify_state_clear (&st);
    return FALSE;
  }
  report->rows = st.n_rows;
  report->keyed_from = st.keyed_from;
  report->unkeyed_rows = st.keyed_from > 0 ? st.unkeyed_rows : st.n_rows;
  if (st.problem != NULL) {
    g_set_error (error, TB_AUDIT_ERROR, TB_AUDIT_ERROR_TAMPERED, "%s: %s",
                 tb_store_get_path (store), st.problem);
    report->first_bad_id = st.bad_id;
    ok = FALSE;
  } else {
    /* The chain holds: every attempt, DNC and consent row past the switch has its record. */
    report->missing = tb_store_audit_list_missing (store, &st.marks, MISSING_LISTED,
                                                   &report->missing_count, error);
    if (report->missing == NULL) {
      ok = FALSE;
    } else if (report->missing_count > 0) {
      const TbAuditMissing *m = g_ptr_array_index (report->missing, 0);

      g_set_error (error, TB_AUDIT_ERROR, TB_AUDIT_ERROR_INCOMPLETE,
                   "%s: %" G_GINT64_FORMAT " row(s) without their audit record, the first "
                   "%s row %" G_GINT64_FORMAT " (%s) (the log was cut, or the rows written "
                   "behind Telebot's back)", tb_store_get_path (store), report->missing_count,
                   m->table, m->id, m->e164 ? m->e164 : "no number");
      ok = FALSE;
    }
  }
  verify_state_clear (&st);
  return ok;
}
