/* tb-cli-calls.c — telebot-cli calls export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-calls"

#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "tb-calls-export.h"
#include "tb-cli.h"
#include "tb-store-config.h"

static int
calls_export (TbCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *campaign = NULL;
  g_autofree char *format = NULL;
  g_autofree char *grades = NULL;
  gboolean bom = FALSE;
  gboolean leads = FALSE;
  GOptionEntry entries[] = {
    { "campaign", 0, 0, G_OPTION_ARG_STRING, &campaign, N_("Only this campaign's calls"),
      "NAME" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("csv (default), json or jsonl"),
      "FORMAT" },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom, N_("Start the CSV with a byte-order mark (Excel)"),
      NULL },
    { "grades", 0, 0, G_OPTION_ARG_STRING, &grades, N_("Only these grades, e.g. A,B"),
      "LIST" },
    { "leads", 0, 0, G_OPTION_ARG_NONE, &leads,
      N_("Leads only: each contact's latest graded call"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) stdout_stream = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_auto(GStrv) grade_list = NULL;
  TbCallsExportOptions options = { 0 };
  guint64 rows = 0;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, NULL, _("Write calls (or leads) as CSV or JSON to stdout"),
                     &argc, &argv))
    return 2;
  if (format == NULL || g_str_equal (format, "csv"))
    options.format = TB_CALLS_EXPORT_CSV;
  else if (g_str_equal (format, "json"))
    options.format = TB_CALLS_EXPORT_JSON;
  else if (g_str_equal (format, "jsonl"))
    options.format = TB_CALLS_EXPORT_JSON_LINES;
  else
    return tb_cli_fail_usage ("calls export: --format: “%s” is not csv, json or jsonl", format);
  if (grades != NULL) {
    g_autofree char *upper = g_ascii_strup (grades, -1);

    grade_list = g_strsplit (upper, ",", -1);
    for (guint i = 0; grade_list[i] != NULL; i++) {
      const char *g = g_strstrip (grade_list[i]);
      if (strlen (g) != 1 || g[0] < 'A' || g[0] > 'E')
        return tb_cli_fail_usage ("calls export: --grades: “%s” is not a grade A to E", g);
    }
    options.grades = (const char * const *) grade_list;
  }
  options.bom = bom;
  options.leads_only = leads;

  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  if (campaign != NULL && (options.campaign_id = tb_store_find_campaign (store, campaign)) <= 0)
    return tb_cli_fail_usage ("calls export: --campaign: no campaign “%s” in %s", campaign,
                              tb_store_get_path (store));

  stdout_stream = g_unix_output_stream_new (1, FALSE);
  out = g_buffered_output_stream_new_sized (stdout_stream, 64 * 1024);
  if (!tb_calls_export_write (store, &options, out, NULL, &rows, &error))
    return tb_cli_fail (error);
  g_printerr ("telebot-cli calls export: %" G_GUINT64_FORMAT " rows\n", rows);
  return 0;
}

int
tb_cli_calls (TbCli  *cli,
              int     argc,
              char  **argv)
{
  static const TbCliSubcommand subcommands[] = {
    { "export", calls_export },
  };

  return tb_cli_dispatch (cli, argc, argv, "calls", subcommands, G_N_ELEMENTS (subcommands),
                          _("Usage: telebot-cli calls export [--campaign NAME] [--format csv|json|jsonl] "
                            "[--bom] [--grades A,B] [--leads]\n"));
}
