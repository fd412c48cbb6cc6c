/* tb-store-variants.c — the scripts a campaign compares, and which one each attempt ran
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-variants"

#include "config.h"

#include "tb-store-variants.h"
#include "tb-store-private.h"

static const char * const labels[TB_VARIANTS_MAX] = { "A", "B", "C" };

void
tb_variant_row_free (TbVariantRow *row)
{
  if (row == NULL)
    return;
  g_free (row->label);
  g_free (row->script_name);
  g_free (row);
}

gboolean
tb_store_set_campaign_variants (TbStore       *self,
                                gint64         campaign_id,
                                TbVariantMode  mode,
                                const gint64  *script_ids,
                                const int     *shares,
                                guint          n_variants,
                                GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (mode != TB_VARIANT_MODE_NONE, FALSE);
  g_return_val_if_fail (n_variants >= 2 && n_variants <= TB_VARIANTS_MAX, FALSE);

  if (!tb_store_begin (self, error))
    return FALSE;
  stmt = _tb_store_prepare (self,
                            "UPDATE campaigns SET variant_mode = :mode WHERE id = :campaign",
                            error);
  if (stmt == NULL)
    goto fail;
  _tb_bind_text (stmt, ":mode", mode == TB_VARIANT_MODE_SPLIT ? "split" : "per_retry");
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  if (!_tb_store_step_done (self, stmt, error))
    goto fail;
  for (guint i = 0; i < n_variants; i++) {
    stmt = _tb_store_prepare (self,
                              "INSERT INTO campaign_variants "
                              "  (campaign_id, label, script_id, share) "
                              "VALUES (:campaign, :label, :script, :share)", error);
    if (stmt == NULL)
      goto fail;
    _tb_bind_int64 (stmt, ":campaign", campaign_id);
    _tb_bind_text (stmt, ":label", labels[i]);
    _tb_bind_int64 (stmt, ":script", script_ids[i]);
    _tb_bind_int64 (stmt, ":share", mode == TB_VARIANT_MODE_SPLIT ? shares[i] : 0);
    if (!_tb_store_step_done (self, stmt, error))
      goto fail;
  }
  return tb_store_commit (self, error);

fail:
  tb_store_rollback (self);
  return FALSE;
}

GPtrArray *
tb_store_dup_campaign_variants (TbStore        *self,
                                gint64          campaign_id,
                                TbVariantMode  *mode,
                                GError        **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_variant_row_free);
  g_autofree char *mode_text = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self, "SELECT variant_mode FROM campaigns WHERE id = :campaign",
                            error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    mode_text = _tb_column_dup_text (stmt, 0);
  else if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "campaign variants", error);
    return NULL;
  }
  sqlite3_reset (stmt);

  stmt = _tb_store_prepare (self,
                            "SELECT v.label, v.script_id, s.name, v.share "
                            "FROM campaign_variants v LEFT JOIN scripts s ON s.id = v.script_id "
                            "WHERE v.campaign_id = :campaign ORDER BY v.label", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":campaign", campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbVariantRow *row = g_new0 (TbVariantRow, 1);

    row->label = _tb_column_dup_text (stmt, 0);
    row->script_id = sqlite3_column_int64 (stmt, 1);
    row->script_name = _tb_column_dup_text (stmt, 2);
    row->share = sqlite3_column_int (stmt, 3);
    g_ptr_array_add (rows, row);
  }
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "campaign variants", error);
    return NULL;
  }
  if (mode != NULL) {
    if (rows->len < 2)
      *mode = TB_VARIANT_MODE_NONE;
    else
      *mode = g_strcmp0 (mode_text, "per_retry") == 0 ? TB_VARIANT_MODE_PER_RETRY
                                                      : TB_VARIANT_MODE_SPLIT;
  }
  return g_steal_pointer (&rows);
}

gboolean
tb_store_attempt_set_variant (TbStore     *self,
                              gint64       attempt_id,
                              const char  *label,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self, "UPDATE attempts SET variant = :variant WHERE id = :id", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":variant", label);
  _tb_bind_int64 (stmt, ":id", attempt_id);
  return _tb_store_step_done (self, stmt, error);
}
