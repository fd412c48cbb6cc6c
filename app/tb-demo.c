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

/* One demo per language: its contacts, script, policy pack, line and business. */
typedef struct {
  const char *language;        /* "en", "zh" */
  const char *list;
  const char *contacts_file;   /* in data/demo/ */
  const char *region;
  const char *consent_file;    /* NULL: the pack needs no consent record */
  const char *script_file;     /* in data/scripts/ */
  const char *script_name;
  const char *script_language;
  const char *line;
  const char *line_config;
  const char *campaign;
  const char *policies;
  const char *business;
  const char *callback;
} Demo;

static const Demo demos[] = {
  { "en", "Demo contacts", "contacts.csv", "US", "consent.csv",
    "demo-en.json", "Demo: bakery supplies (English)", "en",
    "Simulated line", "{}", "Demo campaign", "US",
    "Sunrise Bakery Supplies", "+12025550199" },
  /* No offline Chinese recognizer exists in Debian: the line rehearses (it reads what its
   * simulated callees say); CN needs no consent record to dial. */
  { "zh", "演示联系人", "contacts-zh.csv", "CN", NULL,
    "demo-zh.json", "演示：烘焙原料（中文）", "zh-CN",
    "模拟线路（排练）", "{\"rehearsal\": true}", "演示活动", "CN",
    "阳光烘焙原料公司", "+862012345678" },
};

/* The demo list goes through the real import: reader, normalizer, mapping
 * (its persona column drives the simulated callees). */
static gboolean
add_demo_contacts (TbStore     *store,
                   const Demo  *demo,
                   GError     **error)
{
  g_auto(TbImportOptions) options = { 0 };
  g_auto(TbImportResult) result = { 0 };

  options.path = tb_paths_build_data ("demo", demo->contacts_file, NULL);
  options.list_name = g_strdup (demo->list);
  options.region = g_strdup (demo->region);
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
 * tb_demo_get_language:
 *
 * Returns: "zh" when the user's language is Chinese, else "en": the demo they should see.
 */
const char *
tb_demo_get_language (void)
{
  const char * const *names = g_get_language_names ();

  return names[0] != NULL && g_str_has_prefix (names[0], "zh") ? "zh" : "en";
}

/**
 * tb_demo_get_campaign_name:
 * @language: "en" or "zh"
 *
 * Returns: the name of that demo's campaign, or %NULL for another language
 */
const char *
tb_demo_get_campaign_name (const char *language)
{
  for (guint i = 0; i < G_N_ELEMENTS (demos); i++)
    if (g_strcmp0 (demos[i].language, language) == 0)
      return demos[i].campaign;
  return NULL;
}

/**
 * tb_demo_populate_language:
 * @store: an open store
 * @language: "en" (US contacts, the English script, the US pack) or "zh" (+86 contacts, the
 *   Chinese script, the CN pack, the simulated line in rehearsal mode)
 * @error: return location for a #GError
 *
 * Fills the database with that demo; does nothing when its campaign already exists, so it
 * is safe to call on every `./dev run`.
 */
gboolean
tb_demo_populate_language (TbStore     *store,
                           const char  *language,
                           GError     **error)
{
  const Demo *demo = NULL;
  g_autofree char *script_path = NULL;
  g_autofree char *consent_path = NULL;
  g_autofree char *script = NULL;
  gint64 list_id, script_id, line_id;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (demos); i++)
    if (g_strcmp0 (demos[i].language, language) == 0)
      demo = &demos[i];
  if (demo == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "there is no demo in “%s” (en, zh)", language);
    return FALSE;
  }
  if (tb_store_find_campaign (store, demo->campaign) > 0)
    return TRUE;

  script_path = tb_paths_build_data ("scripts", demo->script_file, NULL);
  if (demo->consent_file != NULL)
    consent_path = tb_paths_build_data ("demo", demo->consent_file, NULL);
  if (!g_file_get_contents (script_path, &script, NULL, error))
    return FALSE;

  if (!tb_store_begin (store, error))
    return FALSE;

  if ((list_id = tb_store_ensure_list (store, demo->list, "demo", error)) == 0 ||
      !add_demo_contacts (store, demo, error) ||
      /* The US pack requires consent for an automated voice (R5): the demo
       * ships synthetic consent records for its simulated callees. */
      (consent_path != NULL &&
       !tb_consent_import_file (store, consent_path, demo->region, g_get_real_time (), NULL,
                                error)) ||
      (script_id = tb_store_save_script (store, demo->script_name, demo->script_language,
                                         script, error)) == 0 ||
      (line_id = tb_store_add_line (store, demo->line, "sim", demo->line_config, 8,
                                    error)) == 0 ||
      tb_store_create_campaign (store, demo->campaign, list_id, script_id, line_id,
                                demo->policies, 4, error) == 0 ||
      !tb_store_set_setting (store, "business-name", demo->business, error) ||
      !tb_store_set_setting (store, "callback-number", demo->callback, error)) {
    tb_store_rollback (store);
    return FALSE;
  }

  return tb_store_commit (store, error);
}

/**
 * tb_demo_populate:
 * @store: an open store
 * @error: return location for a #GError
 *
 * The English demo: tb_demo_populate_language (@store, "en", @error).
 */
gboolean
tb_demo_populate (TbStore  *store,
                  GError  **error)
{
  return tb_demo_populate_language (store, "en", error);
}
