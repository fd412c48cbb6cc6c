/* tb-demo.c — the demo database of ./dev run: a contact list, the sample
 * script, the simulated line and a ready campaign, so a newcomer sees the
 * product without any phone account.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-demo"

#include "config.h"

#include "tb-demo.h"
#include "tb-consent.h"
#include "tb-import-job.h"
#include "tb-paths.h"
#include "tb-store-config.h"

#define DEMO_LIST     "Demo contacts"
#define DEMO_SCRIPT   "Demo: bakery supplies (English)"
#define DEMO_LINE     "Simulated line"
#define DEMO_CAMPAIGN "Demo campaign"

/* The demo list goes through the real import: reader, normalizer, mapping
 * (its persona column drives the simulated callees). */
static gboolean
add_demo_contacts (TbStore  *store,
                   GError  **error)
{
  g_auto(TbImportOptions) options = { 0 };
  g_auto(TbImportResult) result = { 0 };

  options.path = tb_paths_build_data ("demo", "contacts.csv", NULL);
  options.list_name = g_strdup (DEMO_LIST);
  options.region = g_strdup ("US");
  if (!tb_import_run (store, &options, NULL, NULL, &result, NULL, error))
    return FALSE;
  if (result.rejected > 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: %" G_GINT64_FORMAT " rows rejected (see %s)", options.path,
                 result.rejected, result.rejects_path);
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
  g_autofree char *consent_path = tb_paths_build_data ("demo", "consent.csv", NULL);
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
      !add_demo_contacts (store, error) ||
      /* The US pack requires consent for an automated voice (R5): the demo
       * ships synthetic consent records for its simulated callees. */
      !tb_consent_import_file (store, consent_path, NULL, g_get_real_time (), NULL, error) ||
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
