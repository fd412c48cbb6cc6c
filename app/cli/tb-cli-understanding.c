/* tb-cli-understanding.c — telebot-cli understanding check FILE | match TEXT…
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in understanding (data/understanding/README.md) and a business's own lexicons:
 * "check" validates a lexicon file (its patterns, classes and examples) before it is put in
 * the user's lexicon folder; "match" shows what the product understands in a sentence, and
 * why — the same judgement every call makes.
 */
#define G_LOG_DOMAIN "tb-cli-understanding"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-cli.h"
#include "tb-limits.h"
#include "tb-paths.h"
#include "tb-understanding.h"

static int
understanding_check (TbCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  gsize len;
  gboolean ok;

  if (!tb_cli_parse (cli, NULL, "FILE", _("Check a lexicon of your own"), &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("understanding check: give one FILE");
  if (!tb_limits_read_file (argv[1], TB_LIMITS_LEXICON_BYTES, &data, &len, &error))
    return tb_cli_fail (error);
  name = g_path_get_basename (argv[1]);
  ok = tb_understanding_check_data (data, len, name, &error);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, argv[1]);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, ok);
  json_builder_set_member_name (b, "error");
  if (ok)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, error->message);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return ok ? 0 : 1;
}

static int
understanding_match (TbCli  *cli,
                     int     argc,
                     char  **argv)
{
  TbUnderstanding *u = tb_understanding_get_default ();

  if (!tb_cli_parse (cli, NULL, "TEXT…", _("What the robot understands in each TEXT, and why"),
                     &argc, &argv))
    return 2;
  if (argc < 2)
    return tb_cli_fail_usage ("understanding match: give at least one TEXT");
  tb_paths_load_user_lexicons (NULL);
  for (int i = 1; i < argc; i++) {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autofree char *norm = tb_understanding_normalize (u, argv[i]);
    TbUnderstood got;
    gboolean hit = tb_understanding_match (u, argv[i], NULL, &got);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "text");
    json_builder_add_string_value (b, argv[i]);
    json_builder_set_member_name (b, "normalized");
    json_builder_add_string_value (b, norm);
    json_builder_set_member_name (b, "intent");
    if (hit)
      json_builder_add_string_value (b, got.intent);
    else
      json_builder_add_null_value (b);
    json_builder_set_member_name (b, "rule");
    if (hit)
      json_builder_add_string_value (b, got.rule);
    else
      json_builder_add_null_value (b);
    json_builder_set_member_name (b, "confidence");
    json_builder_add_double_value (b, hit ? got.confidence : 0.0);
    json_builder_set_member_name (b, "ask");
    json_builder_add_boolean_value (b, hit && got.confirm);
    json_builder_end_object (b);
    tb_cli_print_object (b);
  }
  return 0;
}

int
tb_cli_understanding (TbCli  *cli,
                      int     argc,
                      char  **argv)
{
  static const TbCliSubcommand subcommands[] = {
    { "check", understanding_check },
    { "match", understanding_match },
  };

  return tb_cli_dispatch (cli, argc, argv, "understanding", subcommands,
                          G_N_ELEMENTS (subcommands),
                          _("Usage: telebot-cli understanding check FILE | match TEXT…\n"));
}
