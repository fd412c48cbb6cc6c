/* tb-cli-announcement.c — telebot-cli announcement add|list|check|numbers|clear
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The carrier announcements calls are compared with (data/announcements/README.md): the
 * business adds its own, cut from its calls' recordings, into the data folder beside the
 * database; `check` says what a recording would be taken for; `numbers` and `clear` show and
 * clear the numbers recorded as vacant (a number given to someone again).
 */
#define G_LOG_DOMAIN "tb-cli-announcement"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-announcement-library.h"
#include "tb-announcement.h"
#include "tb-cli.h"
#include "tb-pcm.h"
#include "tb-phone.h"
#include "tb-store-numbers.h"
#include "tb-vacant.h"

/* The call session's window (tb-call-session.c). */
#define WINDOW_MS 12000

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
add_entry (JsonBuilder               *b,
           const TbAnnouncementEntry *e)
{
  json_builder_begin_object (b);
  add_string (b, "id", e->id);
  add_string (b, "outcome", e->outcome);
  add_string (b, "language", e->language);
  add_string (b, "text", e->text);
  add_string (b, "file", e->file);
  json_builder_set_member_name (b, "user");
  json_builder_add_boolean_value (b, e->user);
  json_builder_end_object (b);
}

static int
announcement_add (TbCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbAnnouncementEntry) entry = NULL;
  g_autofree char *outcome = NULL, *language = NULL, *id = NULL;
  double from = 0, to = 0;
  TbStore *store;
  GOptionEntry entries[] = {
    { "outcome", 0, 0, G_OPTION_ARG_STRING, &outcome,
      N_("What it says: vacant, powered_off, suspended, unreachable or busy"), N_("OUTCOME") },
    { "from", 0, 0, G_OPTION_ARG_DOUBLE, &from, N_("Where the announcement starts (seconds)"),
      N_("S") },
    { "to", 0, 0, G_OPTION_ARG_DOUBLE, &to, N_("Where it ends (seconds; default: the end)"),
      N_("S") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("Its language, e.g. zh-CN"),
      N_("LANG") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("A name for it (default: made up)"), N_("ID") },
    { NULL }
  };

  if (!tb_cli_parse (cli, entries, _("RECORDING.wav"),
                     _("Add a carrier's announcement, cut from a call's recording, to the ones "
                       "calls are compared with"), &argc, &argv))
    return 2;
  if (argc != 2 || outcome == NULL)
    return tb_cli_fail_usage ("announcement add: give one RECORDING.wav and --outcome "
                              "(see --help)");
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  entry = tb_announcement_library_add (tb_store_get_data_dir (store), argv[1], outcome,
                                       language, id, from, to, &error);
  if (entry == NULL)
    return tb_cli_fail (error);
  add_entry (b, entry);
  tb_cli_print_object (b);
  return 0;
}

static int
announcement_list (TbCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *dir = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, NULL, NULL,
                     _("List the carrier announcements calls are compared with"), &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      (list = tb_announcement_library_list (tb_store_get_data_dir (store), &error)) == NULL)
    return tb_cli_fail (error);
  dir = tb_announcement_library_dup_user_dir (tb_store_get_data_dir (store));
  json_builder_begin_object (b);
  add_string (b, "user_folder", dir);
  json_builder_set_member_name (b, "announcements");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    add_entry (b, g_ptr_array_index (list, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
announcement_check (TbCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) prints = NULL;
  g_autoptr(GBytes) pcm = NULL;
  g_autoptr(TbAnnouncementDetector) det = NULL;
  g_autoptr(GString) skipped = g_string_new (NULL);
  TbStore *store;

  if (!tb_cli_parse (cli, NULL, _("RECORDING.wav"),
                     _("Tell what the first seconds of a recording would be taken for"),
                     &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("announcement check: give one RECORDING.wav (see --help)");
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      (prints = tb_announcement_library_load (tb_store_get_data_dir (store), skipped,
                                              &error)) == NULL)
    return tb_cli_fail (error);
  if (skipped->len > 0)
    g_printerr ("%s", skipped->str);
  if ((pcm = tb_pcm_load_wav (argv[1], TB_PCM_RATE, &error)) == NULL) {
    g_printerr ("telebot-cli announcement check: %s: %s\n", argv[1], error->message);
    return 1;
  }
  det = tb_announcement_detector_new (prints, WINDOW_MS);
  tb_announcement_detector_process (det, g_bytes_get_data (pcm, NULL),
                                    g_bytes_get_size (pcm) / sizeof (gint16));
  json_builder_begin_object (b);
  add_string (b, "file", argv[1]);
  add_string (b, "outcome", tb_announcement_detector_get_outcome (det));
  add_string (b, "match", tb_announcement_detector_get_match (det));
  add_string (b, "reason", tb_announcement_detector_get_reason (det));
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
announcement_numbers (TbCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, NULL, NULL,
                     _("List the numbers a carrier said do not exist (never dialed again)"),
                     &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      (rows = tb_store_number_status_list (store, &error)) == NULL)
    return tb_cli_fail (error);
  for (guint i = 0; i < rows->len; i++) {
    const TbNumberStatus *row = g_ptr_array_index (rows, i);
    g_autoptr(JsonBuilder) b = json_builder_new ();

    json_builder_begin_object (b);
    add_string (b, "e164", row->e164);
    add_string (b, "status", row->status);
    add_string (b, "source", row->source);
    add_string (b, "detail", row->detail);
    json_builder_set_member_name (b, "attempt_id");
    json_builder_add_int_value (b, row->attempt_id);
    tb_cli_add_time (b, "created_at", row->created_at, NULL);
    json_builder_end_object (b);
    tb_cli_print_object (b);
  }
  return 0;
}

static int
announcement_clear (TbCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  TbPhoneNumber number;
  TbStore *store;
  GOptionEntry entries[] = {
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Region for numbers without a country code (default: from the locale)"), N_("CC") },
    { NULL }
  };

  if (!tb_cli_parse (cli, entries, _("NUMBER"),
                     _("Dial a number recorded as vacant again (it was given to someone)"),
                     &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("announcement clear: give one NUMBER (see --help)");
  if (!tb_cli_normalize_number ("announcement clear", argv[1], region, &number))
    return 1;
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      !tb_vacant_clear (store, number.e164, g_get_real_time (), &error))
    return tb_cli_fail (error);
  json_builder_begin_object (b);
  add_string (b, "e164", number.e164);
  json_builder_set_member_name (b, "vacant");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

int
tb_cli_announcement (TbCli  *cli,
                     int     argc,
                     char  **argv)
{
  static const TbCliSubcommand subcommands[] = {
    { "add", announcement_add },
    { "list", announcement_list },
    { "check", announcement_check },
    { "numbers", announcement_numbers },
    { "clear", announcement_clear },
  };

  return tb_cli_dispatch (cli, argc, argv, "announcement", subcommands,
                          G_N_ELEMENTS (subcommands),
                          _("Usage: telebot-cli announcement add RECORDING.wav --outcome OUTCOME "
                            "[--from S] [--to S] [--language LANG] [--id ID]\n"
                            "       telebot-cli announcement list\n"
                            "       telebot-cli announcement check RECORDING.wav\n"
                            "       telebot-cli announcement numbers\n"
                            "       telebot-cli announcement clear NUMBER [--region CC]\n"));
}
