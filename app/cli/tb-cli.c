/* tb-cli.c — telebot-cli: the engine without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command prints JSON on stdout, progress on stderr, and exits non-zero
 * with a one-line message that names the input and the place (DESIGN.md §7).
 */
#define G_LOG_DOMAIN "tb-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <locale.h>
#include <stdio.h>

#include "tb-audit.h"
#include "tb-cli.h"
#include "tb-consent.h"
#include "tb-number-repair.h"
#include "tb-paths.h"

struct _TbCli
{
  char    *db_path;
  TbStore *store;
};

typedef struct {
  const char       *name;
  TbCliCommandFunc  func;
  const char       *summary;
} Command;

static const Command commands[] = {
#define TB_CLI_COMMAND(name, func, summary) { name, func, summary },
#include "tb-cli-commands.h"
#undef TB_CLI_COMMAND
};

const char *
tb_cli_get_db_path (TbCli *cli)
{
  return cli->db_path;
}

TbStore *
tb_cli_get_store (TbCli   *cli,
                  GError **error)
{
  if (cli->store == NULL) {
    g_autoptr(GError) repair_error = NULL;

    cli->store = tb_store_open (cli->db_path, error);
    /* The audit log's key, before anything is written (a log an older version began
     * unsigned records the switch now). A read-only database is only read. */
    if (cli->store != NULL &&
        !tb_audit_ensure_key (cli->store, g_get_real_time (), &repair_error)) {
      g_printerr ("telebot-cli: no audit key yet: %s\n", repair_error->message);
      g_clear_error (&repair_error);
    }
    /* Numbers an older version stored outside E.164 (once per database). A read-only
     * database keeps them until it can be written; the commands that only read still work. */
    if (cli->store != NULL &&
        tb_number_repair_run (cli->store, NULL, g_get_real_time (), NULL, &repair_error) < 0)
      g_printerr ("telebot-cli: stored numbers not repaired yet: %s\n", repair_error->message);
  }
  return cli->store;
}

gboolean
tb_cli_parse (TbCli         *cli,
              GOptionEntry  *entries,
              const char    *parameter_string,
              const char    *summary,
              int           *argc,
              char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error)) {
    g_printerr ("telebot-cli %s: %s\n", (*argv)[0], error->message);
    return FALSE;
  }
  return TRUE;
}

gboolean
tb_cli_parse_now (const char *text,
                  gint64     *now)
{
  if (text == NULL) {
    *now = g_get_real_time ();
    return TRUE;
  }
  return tb_consent_parse_time (text, now);
}

gboolean
tb_cli_normalize_number (const char    *verb,
                         const char    *raw,
                         const char    *region,
                         TbPhoneNumber *number)
{
  g_autofree char *default_region = region ? NULL : tb_phone_dup_default_region ();
  g_autoptr(GError) error = NULL;

  if (region == NULL)
    region = default_region;
  if (!tb_phone_is_known_region (region)) {
    g_printerr ("telebot-cli %s: --region: “%s” is not a known region code\n", verb, region);
    return FALSE;
  }
  if (!tb_phone_normalize (raw, region, number, &error)) {
    g_printerr ("telebot-cli %s: %s\n", verb, error->message);
    return FALSE;
  }
  return TRUE;
}

char *
tb_cli_test_number (const char *raw,
                    const char *region)
{
  g_autofree char *default_region = region ? NULL : tb_phone_dup_default_region ();
  TbPhoneNumber pn;

  if (tb_phone_normalize (raw, region ? region : default_region, &pn, NULL))
    return g_strdup (pn.e164);
  return g_strstrip (g_strdup (raw));
}

void
tb_cli_print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  g_print ("%s\n", text);
  fflush (stdout);
}

void
tb_cli_print_object (JsonBuilder *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);

  tb_cli_print_json (node);
}

void
tb_cli_add_time (JsonBuilder *builder,
                 const char  *member,
                 gint64       usec,
                 const char  *tz_name)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  json_builder_set_member_name (builder, member);
  if (usec <= 0) {
    json_builder_add_null_value (builder);
    return;
  }
  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (tz_name != NULL && (tz = g_time_zone_new_identifier (tz_name)) != NULL)
    local = g_date_time_to_timezone (utc, tz);
  text = g_date_time_format_iso8601 (local != NULL ? local : utc);
  json_builder_add_string_value (builder, text);
}

int
tb_cli_fail (const GError *error)
{
  g_printerr ("telebot-cli: %s\n", error->message);
  return 1;
}

int
tb_cli_fail_usage (const char *format,
                   ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("telebot-cli: %s\n", message);
  return 2;
}

int
tb_cli_dispatch (TbCli                 *cli,
                 int                    argc,
                 char                 **argv,
                 const char            *command,
                 const TbCliSubcommand *subcommands,
                 guint                  n_subcommands,
                 const char            *usage)
{
  g_autoptr(GString) known = g_string_new (NULL);

  for (guint i = 0; argc >= 2 && i < n_subcommands; i++)
    if (g_str_equal (argv[1], subcommands[i].name))
      return subcommands[i].func (cli, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))) {
    g_print ("%s", usage);
    return 0;
  }
  for (guint i = 0; i < n_subcommands; i++)
    g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", subcommands[i].name);
  if (argc < 2)
    return tb_cli_fail_usage ("%s: give a subcommand (%s; see %s --help)", command, known->str,
                              command);
  return tb_cli_fail_usage ("%s: unknown subcommand “%s” (%s; see %s --help)", command, argv[1],
                            known->str, command);
}

int
tb_cli_db (TbCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, NULL, NULL, _("Show the database's path and schema version"),
                     &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "db");
  json_builder_add_string_value (b, tb_store_get_path (store));
  json_builder_set_member_name (b, "schema_version");
  json_builder_add_int_value (b, tb_store_get_schema_version (store));
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static char *
usage_text (void)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, _("Usage: telebot-cli [--db PATH] COMMAND [OPTIONS…]\n\n"
                               "Run Telebot's robot-calling engine without a window.\n\n"
                               "Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append (s, _("\nOptions:\n"
                        "  --db PATH     the database (default: ~/.local/share/telebot/telebot.db)\n"
                        "  --version     print the version\n"
                        "  --help        print this help\n\n"
                        "Run “telebot-cli COMMAND --help” for a command's options.\n"));
  return g_string_free (s, FALSE);
}

int
main (int    argc,
      char **argv)
{
  TbCli cli = { 0 };
  int first = 1;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, tb_paths_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* Lines, media and speech all use GStreamer: one init for the process. */
  gst_init (NULL, NULL);

  /* Global options come before the command; --db may also follow it. */
  while (first < argc && argv[first][0] == '-') {
    if (g_str_equal (argv[first], "--version")) {
      g_print ("telebot-cli %s\n", PACKAGE_VERSION);
      return 0;
    } else if (g_str_equal (argv[first], "--help") || g_str_equal (argv[first], "-h")) {
      g_autofree char *text = usage_text ();
      g_print ("%s", text);
      return 0;
    } else if (g_str_equal (argv[first], "--db") && first + 1 < argc) {
      g_free (cli.db_path);
      cli.db_path = g_strdup (argv[first + 1]);
      first += 2;
    } else if (g_str_has_prefix (argv[first], "--db=")) {
      g_free (cli.db_path);
      cli.db_path = g_strdup (argv[first] + strlen ("--db="));
      first += 1;
    } else {
      return tb_cli_fail_usage ("unknown option %s (see --help)", argv[first]);
    }
  }
  for (int i = first; i + 1 < argc; i++) {
    if (g_str_equal (argv[i], "--db")) {
      g_free (cli.db_path);
      cli.db_path = g_strdup (argv[i + 1]);
      for (int j = i; j + 2 <= argc; j++)
        argv[j] = argv[j + 2];
      argc -= 2;
      break;
    }
  }
  if (cli.db_path == NULL)
    cli.db_path = tb_paths_dup_default_db ();

  if (first >= argc) {
    /* `telebot-cli --db X.db` alone creates the database and reports it. */
    char *db_argv[] = { (char *) "db", NULL };
    status = tb_cli_db (&cli, 1, db_argv);
  } else {
    const Command *command = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      if (g_str_equal (commands[i].name, argv[first]))
        command = &commands[i];
    if (command == NULL) {
      g_free (cli.db_path);
      return tb_cli_fail_usage ("unknown command “%s” (see --help)", argv[first]);
    }
    {
      /* A business's own lexicons join the built-in understanding of every command. */
      g_autoptr(GString) problems = g_string_new (NULL);

      tb_paths_load_user_lexicons (problems);
      if (problems->len > 0)
        g_printerr ("telebot-cli: a lexicon of yours was skipped: %s", problems->str);
    }
    status = command->func (&cli, argc - first, argv + first);
  }

  g_clear_object (&cli.store);
  g_free (cli.db_path);
  return status;
}
