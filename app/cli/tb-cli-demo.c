/* tb-cli-demo.c — telebot-cli demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-demo"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-cli.h"
#include "tb-demo.h"
#include "tb-store-config.h"

int
tb_cli_demo (TbCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *lang = NULL;
  GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang,
      N_("en (US callees, English script) or zh (+86 callees, Chinese script, rehearsal); "
         "default: the user's language"), "LANG" },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, NULL, _("Fill the database with the demo campaign"),
                     &argc, &argv))
    return 2;
  if (lang == NULL)
    lang = g_strdup (tb_demo_get_language ());
  if (tb_demo_get_campaign_name (lang) == NULL)
    return tb_cli_fail_usage ("demo: --lang “%s”: there is an en and a zh demo", lang);
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      !tb_demo_populate_language (store, lang, &error))
    return tb_cli_fail (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "db");
  json_builder_add_string_value (b, tb_store_get_path (store));
  json_builder_set_member_name (b, "contacts");
  json_builder_add_int_value (b, tb_store_count_rows (store, "contacts"));
  json_builder_set_member_name (b, "campaign");
  json_builder_add_string_value (b, tb_demo_get_campaign_name (lang));
  json_builder_set_member_name (b, "campaigns");
  json_builder_add_int_value (b, tb_store_count_rows (store, "campaigns"));
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}
