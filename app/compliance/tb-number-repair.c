/* tb-number-repair.c — rewrite numbers stored before the store insisted on E.164
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-number-repair"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-audit.h"
#include "tb-number-repair.h"
#include "tb-phone.h"
#include "tb-store-compliance.h"

static char *
fix_number (const char *raw,
            gpointer    user_data)
{
  TbPhoneNumber pn;

  if (!tb_phone_normalize (raw, user_data, &pn, NULL))
    return NULL;
  return g_strdup (pn.e164);
}

gint64
tb_number_repair_run (TbStore     *store,
                      const char  *region,
                      gint64       now,
                      gint64      *n_unfixed,
                      GError     **error)
{
  g_autofree char *default_region = region ? NULL : tb_phone_dup_default_region ();
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) detail = NULL;
  gint64 changed, unfixed = 0;

  g_return_val_if_fail (TB_IS_STORE (store), -1);

  changed = tb_store_compliance_repair_numbers (store, fix_number,
                                                (gpointer) (region ? region : default_region),
                                                &unfixed, error);
  if (n_unfixed != NULL)
    *n_unfixed = unfixed;
  if (changed <= 0 && unfixed == 0)
    return changed;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rewritten");
  json_builder_add_int_value (b, changed);
  json_builder_set_member_name (b, "not_numbers");
  json_builder_add_int_value (b, unfixed);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  if (tb_audit_append (store, now, "numbers.repair", NULL, 0, 0, detail, error) == 0)
    return -1;
  if (unfixed > 0)
    g_message ("%" G_GINT64_FORMAT " stored number(s) are no phone number and were left as "
               "they were", unfixed);
  return changed;
}
