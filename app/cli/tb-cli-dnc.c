/* tb-cli-dnc.c — telebot-cli dnc add|remove|import|check|list|export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-dnc"

#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "tb-cli-import.h"
#include "tb-dnc.h"
#include "tb-dnc-export.h"
#include "tb-phone.h"
#include "tb-store-dnc.h"

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_entry (JsonBuilder      *b,
           const TbDncEntry *entry)
{
  add_string (b, "source", entry->source);
  add_string (b, "reason", entry->reason);
  add_string (b, "words", entry->words);
  tb_cli_add_time (b, "created_at", entry->created_at, NULL);
  tb_cli_add_time (b, "expires_at", entry->expires_at, NULL);
}

/* Parses "dnc VERB NUMBER [--region CC] [--reason TEXT]"; prints errors. */
static gboolean
parse_number (TbCli          *cli,
              const char     *verb,
              const char     *summary,
              char          **reason,
              int            *argc,
              char         ***argv,
              TbPhoneNumber  *number,
              int            *status)
{
  g_autofree char *region = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Region for numbers without a country code (default: from the locale)"), N_("CC") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, reason, N_("Why the number is listed"),
      N_("TEXT") },
    { NULL }
  };

  if (reason == NULL)
    entries[1].long_name = NULL;
  if (!tb_cli_parse (cli, entries, _("NUMBER"), summary, argc, argv)) {
    *status = 2;
    return FALSE;
  }
  if (*argc != 2) {
    *status = tb_cli_fail_usage ("dnc %s: give one NUMBER (see --help)", verb);
    return FALSE;
  }
  if (!tb_cli_normalize_number (verb, (*argv)[1], region, number)) {
    *status = 1;
    return FALSE;
  }
  return TRUE;
}

static int
dnc_add (TbCli  *cli,
         int     argc,
         char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  TbPhoneNumber number;
  TbStore *store;
  int status = 0;

  if (!parse_number (cli, "add", _("Add a number to the do-not-call list"), &reason, &argc,
                     &argv, &number, &status))
    return status;
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      !tb_dnc_add (store, number.e164, "manual", reason, g_get_real_time (), &error))
    return tb_cli_fail (error);

  json_builder_begin_object (b);
  add_string (b, "number", argv[1]);
  add_string (b, "e164", number.e164);
  json_builder_set_member_name (b, "listed");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
dnc_remove (TbCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  TbPhoneNumber number;
  TbStore *store;
  int status = 0;

  if (!parse_number (cli, "remove", _("Remove a number from the do-not-call list"), &reason,
                     &argc, &argv, &number, &status))
    return status;
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  if (!tb_dnc_remove (store, number.e164, reason, g_get_real_time (), &error)) {
    g_printerr ("telebot-cli dnc remove: %s\n", error->message);
    return 1;
  }

  json_builder_begin_object (b);
  add_string (b, "number", argv[1]);
  add_string (b, "e164", number.e164);
  json_builder_set_member_name (b, "listed");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
dnc_check (TbCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(TbDncEntry) entry = { 0 };
  TbPhoneNumber number;
  TbStore *store;
  gboolean listed;
  int status = 0;

  if (!parse_number (cli, "check", _("Tell whether a number is on the do-not-call list"), NULL,
                     &argc, &argv, &number, &status))
    return status;
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  listed = tb_store_dnc_lookup (store, number.e164, g_get_real_time (), &entry);

  json_builder_begin_object (b);
  add_string (b, "number", argv[1]);
  add_string (b, "e164", number.e164);
  json_builder_set_member_name (b, "listed");
  json_builder_add_boolean_value (b, listed);
  if (listed)
    add_entry (b, &entry);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
dnc_import (TbCli  *cli,
            int     argc,
            char  **argv)
{
  g_auto(TbImportOptions) options = { 0 };
  GOptionEntry entries[] = {
    { "region", 0, 0, G_OPTION_ARG_STRING, &options.region,
      N_("Region for numbers without a country code (default: from the locale)"), N_("CC") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &options.encoding,
      N_("auto, utf-8, utf-16, gbk, gb18030 or latin-1"), N_("ENCODING") },
    { "map", 0, 0, G_OPTION_ARG_STRING, &options.map,
      N_("Columns by field: phone=3,reason=2 or phone=Mobile"), N_("SPEC") },
    { NULL }
  };

  if (!tb_cli_parse (cli, entries, _("FILE.csv"),
                     /* xgettext:no-c-format */
                     _("Add the numbers of a CSV file to the do-not-call list.\n\n"
                       "Exit status 3 means the numbers went in, but more than 1 % of the\n"
                       "file's lines were rejected (see the rejects file)."), &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("dnc import: give one FILE.csv (see --help)");
  options.path = g_strdup (argv[1]);
  options.dnc = TRUE;
  return tb_cli_run_import (cli, &options, "dnc import");
}

static int
dnc_list (TbCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *search = NULL;
  GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only numbers containing these digits"),
      N_("DIGITS") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, NULL, _("Print the do-not-call list as JSON lines"), &argc,
                     &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);

  for (gint64 offset = 0; ; offset += 1000) {
    g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                tb_dnc_entry_free);

    if (!tb_store_dnc_list (store, search, offset, 1000, page, &error))
      return tb_cli_fail (error);
    for (guint i = 0; i < page->len; i++) {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      TbDncEntry *entry = page->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "e164", entry->e164);
      add_entry (b, entry);
      json_builder_end_object (b);
      tb_cli_print_object (b);
    }
    if (page->len < 1000)
      break;
  }
  return 0;
}

/* The same CSV the window's Export writes (tb_dnc_export). */
static int
dnc_export (TbCli  *cli,
            int     argc,
            char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  TbStore *store;
  gint64 rows;

  if (!tb_cli_parse (cli, entries, NULL,
                     _("Export the do-not-call list as CSV on stdout: number, source, reason, "
                       "added, expires"), &argc, &argv))
    return 2;
  if (argc != 1)
    return tb_cli_fail_usage ("dnc export: unexpected argument “%s”", argv[1]);
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  out = g_unix_output_stream_new (1, FALSE);
  if ((rows = tb_dnc_export (store, out, NULL, &error)) < 0) {
    g_printerr ("telebot-cli dnc export: %s\n", error->message);
    return 1;
  }
  g_printerr ("dnc export: %" G_GINT64_FORMAT " rows\n", rows);
  return 0;
}

int
tb_cli_dnc (TbCli  *cli,
            int     argc,
            char  **argv)
{
  static const TbCliSubcommand subcommands[] = {
    { "add", dnc_add },
    { "remove", dnc_remove },
    { "import", dnc_import },
    { "check", dnc_check },
    { "list", dnc_list },
    { "export", dnc_export },
  };

  return tb_cli_dispatch (cli, argc, argv, "dnc", subcommands, G_N_ELEMENTS (subcommands),
                          _("Usage: telebot-cli dnc add NUMBER [--reason TEXT] [--region CC]\n"
                            "       telebot-cli dnc remove NUMBER [--reason TEXT] [--region CC]\n"
                            "       telebot-cli dnc import FILE.csv [--region CC]\n"
                            "       telebot-cli dnc check NUMBER [--region CC]\n"
                            "       telebot-cli dnc list\n"
                            "       telebot-cli dnc export\n"));
}
