/* tb-opt-out.c — an opt-out: DNC entry, cancelled retries and audit, atomically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-opt-out"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-audit.h"
#include "tb-opt-out.h"
#include "tb-store-attempts.h"
#include "tb-store-audit.h"
#include "tb-store-compliance.h"
#include "tb-store-dnc.h"

gboolean
tb_opt_out_record (TbStore     *store,
                   const char  *e164,
                   const char  *source,
                   const char  *words,
                   gint64       attempt_id,
                   gint64       campaign_id,
                   gint64       now,
                   guint       *n_cancelled,
                   GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  gint64 cancelled;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (e164 != NULL && source != NULL, FALSE);

  if (!tb_store_begin (store, error))
    return FALSE;
  if (!tb_store_dnc_add_at (store, e164, source, "opt-out", words, attempt_id, now, error))
    goto fail;
  if (attempt_id > 0 && !tb_store_compliance_mark_opt_out (store, attempt_id, error))
    goto fail;
  if ((cancelled = tb_store_queue_cancel_number (store, e164, "R1 do-not-call (opt-out)",
                                                      error)) < 0)
    goto fail;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, source);
  json_builder_set_member_name (b, "words");
  if (words)
    json_builder_add_string_value (b, words);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "queue_cancelled");
  json_builder_add_int_value (b, cancelled);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  if (tb_audit_append (store, now, TB_AUDIT_KIND_DNC_OPT_OUT, e164, campaign_id, attempt_id,
                       detail, error) == 0)
    goto fail;
  if (!tb_store_commit (store, error))
    return FALSE;
  if (n_cancelled)
    *n_cancelled = (guint) cancelled;
  return TRUE;

fail:
  tb_store_rollback (store);
  return FALSE;
}
