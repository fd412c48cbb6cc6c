/* tb-audit.c — append and verify the hash-chained audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-audit"

#include "config.h"

#include "tb-audit.h"
#include "tb-store-attempts.h"
#include "tb-store-audit.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define HEAD_KEY "audit-head"

G_DEFINE_QUARK (tb-audit-error-quark, tb_audit_error)

static char *
compute_hash (const char       *prev_hash,
              const TbAuditRow *row)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *content = NULL;

  /* Canonical content: fixed order, one field a line; the detail is last, so
   * newlines inside it cannot shift the other fields. */
  content = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s\n%s\n%"
                             G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s",
                             prev_hash, row->id, row->at, row->kind ? row->kind : "",
                             row->e164 ? row->e164 : "", row->campaign_id, row->attempt_id,
                             row->detail ? row->detail : "");
  g_checksum_update (sum, (const guchar *) content, -1);
  return g_strdup (g_checksum_get_string (sum));
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
  g_auto(TbAuditRow) row = { 0 };
  g_autofree char *last_hash = NULL;
  g_autofree char *head = NULL;
  gint64 last_id = 0;

  g_return_val_if_fail (TB_IS_STORE (store), 0);
  g_return_val_if_fail (kind != NULL, 0);

  if (!tb_store_begin (store, error))
    return 0;
  if (!tb_store_audit_get_last (store, &last_id, &last_hash, error)) {
    tb_store_rollback (store);
    return 0;
  }

  row.id = last_id + 1;
  row.at = at;
  row.kind = g_strdup (kind);
  row.e164 = g_strdup (e164);
  row.campaign_id = campaign_id;
  row.attempt_id = attempt_id;
  row.detail = detail ? json_to_string (detail, FALSE) : g_strdup ("{}");
  row.prev_hash = g_strdup (last_hash ? last_hash : GENESIS_HASH);
  row.hash = compute_hash (row.prev_hash, &row);
  head = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", row.id, row.hash);

  if (!tb_store_audit_insert (store, &row, error) ||
      !tb_store_set_setting (store, HEAD_KEY, head, error)) {
    tb_store_rollback (store);
    return 0;
  }
  /* tb_store_commit() rolls back by itself when it fails. */
  if (!tb_store_commit (store, error))
    return 0;
  return row.id;
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
  char    *prev_hash;
  gint64   prev_id;
  gint64   n_rows;
  gint64   bad_id;
  char    *problem;
} VerifyState;

static gboolean
verify_row (const TbAuditRow *row,
            gpointer          user_data)
{
  VerifyState *st = user_data;
  g_autofree char *expected = NULL;

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
  expected = compute_hash (row->prev_hash, row);
  if (row->hash == NULL || !g_str_equal (expected, row->hash)) {
    st->bad_id = row->id;
    st->problem = g_strdup_printf ("audit row %" G_GINT64_FORMAT ": content does not match "
                                   "its hash (the row was edited)", row->id);
    return FALSE;
  }
  g_free (st->prev_hash);
  st->prev_hash = g_strdup (row->hash);
  st->prev_id = row->id;
  return TRUE;
}

gboolean
tb_audit_verify (TbStore  *store,
                 gint64   *n_rows,
                 gint64   *first_bad_id,
                 GError  **error)
{
  VerifyState st = { g_strdup (GENESIS_HASH), 0, 0, 0, NULL };
  g_autofree char *head = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);

  if (first_bad_id)
    *first_bad_id = 0;
  if (!tb_store_audit_foreach (store, NULL, 0, verify_row, &st, error)) {
    g_free (st.prev_hash);
    return FALSE;
  }

  if (st.problem == NULL && (head = tb_store_dup_setting (store, HEAD_KEY, NULL)) != NULL) {
    const char *colon = strchr (head, ':');
    gint64 head_id = g_ascii_strtoll (head, NULL, 10);

    if (head_id > st.prev_id) {
      st.bad_id = st.prev_id + 1;
      st.problem = g_strdup_printf ("audit row %" G_GINT64_FORMAT ": missing; the log's head "
                                    "says it ends at row %" G_GINT64_FORMAT " (rows deleted)",
                                    st.bad_id, head_id);
    } else if (head_id == st.prev_id && (colon == NULL || !g_str_equal (colon + 1, st.prev_hash))) {
      st.bad_id = head_id;
      st.problem = g_strdup_printf ("audit row %" G_GINT64_FORMAT ": does not match the log's "
                                    "recorded head (the row was replaced)", head_id);
    }
  }

  if (st.problem != NULL) {
    g_set_error (error, TB_AUDIT_ERROR, TB_AUDIT_ERROR_TAMPERED, "%s: %s",
                 tb_store_get_path (store), st.problem);
    if (first_bad_id)
      *first_bad_id = st.bad_id;
    ok = FALSE;
  }
  if (n_rows)
    *n_rows = st.n_rows;
  g_free (st.prev_hash);
  g_free (st.problem);
  return ok;
}
