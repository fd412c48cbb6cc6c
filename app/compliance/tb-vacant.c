/* tb-vacant.c — a number the carrier says does not exist: never dialed again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dialing a dead number again wastes a line and, with some carriers, counts against the
 * caller number's reputation (many calls to vacant numbers look like a robot dialing a
 * sequence). So a vacant number is refused at the dial gate for every campaign, like a
 * do-not-call entry but for its own reason, and each refusal is audited.
 */
#define G_LOG_DOMAIN "tb-vacant"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-audit.h"
#include "tb-store-attempts.h"
#include "tb-store-numbers.h"
#include "tb-vacant.h"

gboolean
tb_vacant_record (TbStore     *store,
                  const char  *e164,
                  const char  *source,
                  const char  *detail,
                  gint64       attempt_id,
                  gint64       campaign_id,
                  gint64       now,
                  guint       *n_cancelled,
                  GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  gint64 cancelled;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (e164 != NULL && source != NULL, FALSE);

  if (!tb_store_begin (store, error))
    return FALSE;
  if (!tb_store_number_status_set (store, e164, "vacant", source, detail, attempt_id, now,
                                   error))
    goto fail;
  if ((cancelled = tb_store_queue_cancel_number (store, e164, "vacant number", error)) < 0)
    goto fail;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, source);
  json_builder_set_member_name (b, "detail");
  if (detail != NULL)
    json_builder_add_string_value (b, detail);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "queue_cancelled");
  json_builder_add_int_value (b, cancelled);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  if (tb_audit_append (store, now, TB_AUDIT_KIND_NUMBER_VACANT, e164, campaign_id, attempt_id,
                       node, error) == 0)
    goto fail;
  if (!tb_store_commit (store, error))
    return FALSE;
  if (n_cancelled != NULL)
    *n_cancelled = (guint) cancelled;
  return TRUE;

fail:
  tb_store_rollback (store);
  return FALSE;
}

gboolean
tb_vacant_clear (TbStore     *store,
                 const char  *e164,
                 gint64       now,
                 GError     **error)
{
  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (e164 != NULL, FALSE);

  if (!tb_store_begin (store, error))
    return FALSE;
  if (!tb_store_number_status_remove (store, e164, error) ||
      tb_audit_append (store, now, TB_AUDIT_KIND_NUMBER_CLEARED, e164, 0, 0, NULL, error) == 0) {
    tb_store_rollback (store);
    return FALSE;
  }
  return tb_store_commit (store, error);
}
