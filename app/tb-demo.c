/* tb-demo.c — the demo database of ./dev run: a contact list, the sample
 * script, the simulated line and a ready campaign, so a newcomer sees the
 * product without any phone account.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-demo"

#include "config.h"

#include "tb-demo.h"
#include "tb-paths.h"
#include "tb-store-config.h"
#include "tb-store-contacts.h"

#define DEMO_LIST     "Demo contacts"
#define DEMO_SCRIPT   "Demo: bakery supplies (English)"
#define DEMO_LINE     "Simulated line"
#define DEMO_CAMPAIGN "Demo campaign"

/* The demo file is ours and plain (no quoting): one contact per line. */
static gboolean
add_demo_contacts (TbStore  *store,
                   gint64    list_id,
                   GError  **error)
{
  g_autofree char *path = tb_paths_build_data ("demo", "contacts.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++) {
    g_auto(GStrv) cols = g_strsplit (lines[i], ",", 4);
    g_autoptr(GString) e164 = g_string_new (NULL);
    g_autofree char *fields = NULL;
    TbContactRow row = { 0 };

    if (g_strv_length (cols) < 4)
      continue;
    for (const char *p = cols[1]; *p; p++)
      if (*p == '+' || g_ascii_isdigit (*p))
        g_string_append_c (e164, *p);

    fields = g_strdup_printf ("{\"company\":\"%s\"}", cols[2]);
    row.e164 = e164->str;
    row.raw_phone = cols[1];
    row.name = cols[0];
    row.company = cols[2];
    row.country = "US";
    row.timezone = "America/New_York";
    row.persona = cols[3];
    row.fields_json = fields;
    row.source_line = i + 1;
    if (tb_store_add_contact (store, list_id, &row, error) < 0)
      return FALSE;
  }
  return TRUE;
}

/**
 * tb_demo_populate:
 * @store: an open store
 * @error: return location for a #GError
 *
 * Fills an empty database with the demo; does nothing when a demo campaign
 * already exists, so it is safe to call on every `./dev run`.
 */
gboolean
tb_demo_populate (TbStore  *store,
                  GError  **error)
{
  g_autofree char *script_path = tb_paths_build_data ("scripts", "demo-en.json", NULL);
  g_autofree char *script = NULL;
  gint64 list_id, script_id, line_id;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);

  if (tb_store_find_campaign (store, DEMO_CAMPAIGN) > 0)
    return TRUE;

  if (!g_file_get_contents (script_path, &script, NULL, error))
    return FALSE;

  if (!tb_store_begin (store, error))
    return FALSE;

  if ((list_id = tb_store_ensure_list (store, DEMO_LIST, "demo", error)) == 0 ||
      !add_demo_contacts (store, list_id, error) ||
      (script_id = tb_store_save_script (store, DEMO_SCRIPT, "en", script, error)) == 0 ||
      (line_id = tb_store_add_line (store, DEMO_LINE, "sim", "{}", 8, error)) == 0 ||
      tb_store_create_campaign (store, DEMO_CAMPAIGN, list_id, script_id, line_id,
                                "US", 4, error) == 0 ||
      !tb_store_set_setting (store, "business-name", "Sunrise Bakery Supplies", error) ||
      !tb_store_set_setting (store, "callback-number", "+12025550199", error)) {
    tb_store_rollback (store);
    return FALSE;
  }

  return tb_store_commit (store, error);
}
