/* tb-cli-contacts.c — telebot-cli contacts import|export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-contacts"

#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "tb-cli-import.h"
#include "tb-contact-export.h"
#include "tb-phone.h"
#include "tb-store-config.h"
#include "tb-store-contacts.h"

static void
on_progress (gint64   rows,
             double   fraction,
             gpointer user_data)
{
  const char *what = user_data;

  if (fraction >= 0)
    g_printerr ("%s: %" G_GINT64_FORMAT " rows (%.0f%%)\n", what, rows, fraction * 100.0);
  else
    g_printerr ("%s: %" G_GINT64_FORMAT " rows\n", what, rows);
}

static gboolean
parse_delimiter (const char  *text,
                 char        *out)
{
  if (text == NULL || g_str_equal (text, "auto"))
    *out = 0;
  else if (g_str_equal (text, "tab") || g_str_equal (text, "\\t"))
    *out = '\t';
  else if (g_str_equal (text, "comma"))
    *out = ',';
  else if (g_str_equal (text, "semicolon"))
    *out = ';';
  else if (strlen (text) == 1)
    *out = text[0];
  else
    return FALSE;
  return TRUE;
}

int
tb_cli_run_import (TbCli           *cli,
                   TbImportOptions *options,
                   const char      *what)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(TbImportResult) result = { 0 };
  TbStore *store;

  if (options->region == NULL)
    options->region = tb_phone_dup_default_region ();
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      !tb_store_contacts_tune_for_import (store, &error) ||
      !tb_import_run (store, options, on_progress, (gpointer) what, &result, NULL, &error)) {
    g_printerr ("telebot-cli %s: %s\n", what, error->message);
    return 1;
  }

  json_builder_begin_object (b);
  if (!options->dnc) {
    json_builder_set_member_name (b, "list");
    json_builder_add_string_value (b, result.list_name);
  }
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, result.rows);
  json_builder_set_member_name (b, "imported");
  json_builder_add_int_value (b, result.imported);
  json_builder_set_member_name (b, "duplicates");
  json_builder_add_int_value (b, result.duplicates);
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, result.rejected);
  json_builder_set_member_name (b, "lines");
  json_builder_add_int_value (b, result.lines);
  json_builder_set_member_name (b, "rejected_lines");
  json_builder_add_int_value (b, result.rejected_lines);
  json_builder_set_member_name (b, "rejected_lines_by_reason");
  json_builder_begin_object (b);
  for (guint r = 0; r < TB_IMPORT_N_REASONS; r++) {
    if (result.reason_lines[r] == 0)
      continue;
    json_builder_set_member_name (b, tb_import_reason_get_id (r));
    json_builder_add_int_value (b, result.reason_lines[r]);
  }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "rejects_file");
  if (result.rejects_path != NULL)
    json_builder_add_string_value (b, result.rejects_path);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "encoding");
  json_builder_add_string_value (b, result.encoding);
  json_builder_set_member_name (b, "encoding_certain");
  json_builder_add_boolean_value (b, result.encoding_certain);
  json_builder_set_member_name (b, "region");
  json_builder_add_string_value (b, options->region);
  json_builder_end_object (b);
  tb_cli_print_object (b);

  /* The good rows are in; a script must still learn that this file is in trouble. */
  if (tb_import_result_too_many_rejected (&result)) {
    g_printerr (_("telebot-cli %s: %.1f %% of the lines were rejected (more than %d %%): "
                  "see %s\n"), what, tb_import_result_get_rejected_percent (&result),
                TB_IMPORT_MAX_REJECTED_PERCENT, result.rejects_path);
    return TB_CLI_EXIT_TOO_MANY_REJECTED;
  }
  return 0;
}

static int
contacts_import (TbCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_auto(TbImportOptions) options = { 0 };
  g_autofree char *delimiter = NULL;
  GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_STRING, &options.list_name,
      N_("The list to import into (default: the file's name)"), N_("NAME") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &options.region,
      N_("Region for numbers without a country code (default: from the locale)"), N_("CC") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &options.encoding,
      N_("auto, utf-8, utf-16, gbk, gb18030 or latin-1"), N_("ENCODING") },
    { "delimiter", 0, 0, G_OPTION_ARG_STRING, &delimiter,
      N_("auto, comma, semicolon or tab"), N_("CHAR") },
    { "map", 0, 0, G_OPTION_ARG_STRING, &options.map,
      N_("Columns by field: phone=3,name=1 or phone=Mobile"), N_("SPEC") },
    { NULL }
  };

  if (!tb_cli_parse (cli, entries, _("FILE.csv"),
                     /* xgettext:no-c-format */
                     _("Import contacts from a CSV file.\n\n"
                       "Rows that cannot be imported go to a rejects file next to the\n"
                       "database, each with its line and the reason.\n\n"
                       "Exit status 3 means the rows went in, but more than 1 % of the\n"
                       "file's lines were rejected (a wrong encoding, a broken file?);\n"
                       "1 is an error (nothing imported), 2 a usage error."),
                     &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("contacts import: give one FILE.csv (see --help)");
  if (!parse_delimiter (delimiter, &options.delimiter))
    return tb_cli_fail_usage ("contacts import: --delimiter “%s” is not auto, comma, "
                              "semicolon, tab or one character", delimiter);
  options.path = g_strdup (argv[1]);
  return tb_cli_run_import (cli, &options, "contacts import");
}

static int
contacts_export (TbCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autofree char *list = NULL;
  gboolean bom = FALSE;
  GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_STRING, &list, N_("The list to export (default: all)"),
      N_("NAME") },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom, N_("Start with a UTF-8 BOM, for Excel"), NULL },
    { NULL }
  };
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  TbStore *store;
  gint64 list_id = 0, rows;

  if (!tb_cli_parse (cli, entries, NULL, _("Export contacts as CSV on stdout"), &argc, &argv))
    return 2;
  if (argc != 1)
    return tb_cli_fail_usage ("contacts export: unexpected argument “%s”", argv[1]);
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  if (list != NULL && (list_id = tb_store_find_list (store, list)) == 0) {
    g_printerr ("telebot-cli contacts export: --list: no list named “%s”\n", list);
    return 1;
  }

  out = g_unix_output_stream_new (1, FALSE);
  rows = tb_contacts_export (store, list_id, out, bom, NULL, &error);
  if (rows < 0) {
    g_printerr ("telebot-cli contacts export: %s\n", error->message);
    return 1;
  }
  g_printerr ("contacts export: %" G_GINT64_FORMAT " rows\n", rows);
  return 0;
}

int
tb_cli_contacts (TbCli  *cli,
                 int     argc,
                 char  **argv)
{
  static const TbCliSubcommand subcommands[] = {
    { "import", contacts_import },
    { "export", contacts_export },
  };

  return tb_cli_dispatch (cli, argc, argv, "contacts", subcommands, G_N_ELEMENTS (subcommands),
                          _("Usage: telebot-cli contacts import FILE.csv [--list NAME] [--region CC] "
                            "[--encoding auto|utf-8|utf-16|gbk|gb18030|latin-1] [--map SPEC]\n"
                            "       telebot-cli contacts export [--list NAME] [--bom]\n"));
}
