/* tb-dnc.c — the do-not-call list's entries, each with its audit record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-dnc"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-audit.h"
#include "tb-dnc.h"
#include "tb-store-audit.h"
#include "tb-store-dnc.h"

gboolean
tb_dnc_add (TbStore     *store,
            const char  *e164,
            const char  *source,
            const char  *reason,
            gint64       now,
            GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (e164 != NULL && source != NULL, FALSE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, source);
  json_builder_set_member_name (b, "reason");
  if (reason != NULL)
    json_builder_add_string_value (b, reason);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);

  if (!tb_store_begin (store, error))
    return FALSE;
  if (!tb_store_dnc_add_at (store, e164, source, reason, NULL, 0, now, error) ||
      tb_audit_append (store, now, TB_AUDIT_KIND_DNC_ADDED, e164, 0, 0, detail, error) == 0) {
    tb_store_rollback (store);
    return FALSE;
  }
  return tb_store_commit (store, error);
}

gboolean
tb_dnc_remove (TbStore     *store,
               const char  *e164,
               const char  *reason,
               gint64       now,
               GError     **error)
{
  g_autoptr(JsonNode) detail = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (e164 != NULL, FALSE);

  if (reason != NULL && *reason != '\0') {
    g_autoptr(JsonBuilder) b = json_builder_new ();

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "reason");
    json_builder_add_string_value (b, reason);
    json_builder_end_object (b);
    detail = json_builder_get_root (b);
  }
  if (!tb_store_begin (store, error))
    return FALSE;
  if (!tb_store_dnc_remove (store, e164, error) ||
      tb_audit_append (store, now, TB_AUDIT_KIND_DNC_REMOVED, e164, 0, 0, detail, error) == 0) {
    tb_store_rollback (store);
    return FALSE;
  }
  return tb_store_commit (store, error);
}
