/* test-ui-zh.c — the window in Chinese: the Chinese demo runs, and no page shows an English
 * sentence or an identifier
 *
 * Under LANGUAGE=zh_CN with the build tree's catalog, on the Chinese demo (+86 callees, the
 * Chinese script, the simulated line rehearsing): every page is opened, the demo campaign runs
 * until a call is graded, a lead is opened. On each, every text a person can see (labels,
 * buttons, row titles and subtitles, chart labels) is read: a word of English that is not a
 * name everyone writes in Latin letters (Telebot, CSV, SIP…), or an identifier such as
 * hung_up, fails the test, naming the page and the text. Screenshots: build/screenshots/zh-*.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "tb-application.h"
#include "tb-campaign-runner.h"
#include "tb-campaigns-page.h"
#include "tb-chart.h"
#include "tb-demo.h"
#include "tb-leads-page.h"
#include "tb-paths.h"
#include "tb-report-view.h"
#include "tb-store-config.h"
#include "tb-store-leads.h"
#include "tb-ui-test-util.h"

/* Written in Latin letters in Chinese text too. */
static const char * const latin_ok[] = {
  "Telebot", "CSV", "SIP", "CRM", "DNC", "USB", "GSM", "LTE", "URL", "JSON", "WAV", "API",
  "HTTP", "HTTPS", "AT", "PCM", "RTP", "IANA", "ISO", "ID", "OK", "UTF", "GBK", "GB18030",
  "A", "B", "C", "D", "E", "AB", "Ctrl", "Shift", "Alt", "Esc", "Enter", "espeak", "ng",
  "pocketsphinx", "whisper", "OpenAI", "webhook", "Webhook", "CN", "US", "DEFAULT", "MIIT",
  "TCPA", "FCC", "Xvfb", "GNOME", "Linux", "Debian", "Bearer", "kHz", "Hz", "dB", "ms",
  "MB", "KB", "GB", "s", "h", "min", "AI", "PDF", "UTC", "GMT", "CST", "EST", "EDT",
  NULL,
};

typedef struct {
  GPtrArray *problems;
  const char *page;
} Scan;

static gboolean
english_in (const char *text,
            char      **word)
{
  g_autoptr(GRegex) words = g_regex_new ("[A-Za-z][A-Za-z_'’]*", 0, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;

  /* An address, a file or a number format is no sentence. */
  if (text == NULL || strstr (text, "://") != NULL || strchr (text, '@') != NULL ||
      g_str_has_suffix (text, ".db") || g_str_has_suffix (text, ".json") ||
      g_str_has_suffix (text, ".csv"))
    return FALSE;
  g_regex_match (words, text, 0, &m);
  for (; g_match_info_matches (m); g_match_info_next (m, NULL)) {
    g_autofree char *w = g_match_info_fetch (m, 0);

    /* A single capital is a key (Ctrl+N, the mnemonic of 保存(S)). */
    if (strchr (w, '_') != NULL ||
        (!g_strv_contains (latin_ok, w) && !(w[1] == '\0' && g_ascii_isupper (w[0])))) {
      *word = g_steal_pointer (&w);
      return TRUE;
    }
  }
  return FALSE;
}

static void
check_text (Scan       *scan,
            const char *what,
            const char *text)
{
  g_autofree char *word = NULL;

  if (text != NULL && *text != '\0' && english_in (text, &word))
    g_ptr_array_add (scan->problems, g_strdup_printf ("%s: %s “%s” (word “%s”)", scan->page,
                                                      what, text, word));
}

static void
scan_widget (Scan      *scan,
             GtkWidget *w)
{
  if (!gtk_widget_get_mapped (w))
    return;
  if (GTK_IS_LABEL (w))
    check_text (scan, "label", gtk_label_get_text (GTK_LABEL (w)));
  else if (GTK_IS_INSCRIPTION (w))
    check_text (scan, "text", gtk_inscription_get_text (GTK_INSCRIPTION (w)));
  else if (TB_IS_CHART (w))
    for (guint i = 0; i < tb_chart_get_n (TB_CHART (w)); i++)
      check_text (scan, "chart label", tb_chart_get_label (TB_CHART (w), i));
  if (gtk_widget_get_tooltip_text (w) != NULL)
    check_text (scan, "tooltip", gtk_widget_get_tooltip_text (w));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    scan_widget (scan, c);
}

static void
scan_page (GtkWidget  *window,
           const char *page,
           GPtrArray  *problems)
{
  Scan scan = { problems, page };
  g_autofree char *shot = g_strdup_printf ("zh-%s", page);

  tb_ui_test_settle ();
  g_free (tb_ui_test_screenshot (window, shot));
  scan_widget (&scan, window);
}

static gboolean
graded_call (gpointer data)
{
  g_autoptr(GPtrArray) leads = tb_store_list_leads (data, NULL, NULL);

  return leads != NULL && leads->len > 0;
}

static gboolean
report_loaded (gpointer view)
{
  return !tb_report_view_is_loading (view);
}

static void
test_every_page (TbApplication *app,
                 gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  static const char * const pages[] = { "campaigns", "scripts", "contacts", "leads", "lines" };
  g_autoptr(GError) error = NULL;
  GtkWidget *page;

  /* The demo's rehearsing line, faster than real time. */
  g_assert_true (tb_store_exec (store, "UPDATE lines SET config = json_set (config, '$.fast', "
                                "json('true')) WHERE kind = 'sim'", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tb_demo_get_language (), ==, "zh");

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++) {
    g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                    g_variant_new_string (pages[i]));
    scan_page (GTK_WIDGET (window), pages[i], problems);
  }

  /* The Chinese demo campaign runs, in Chinese. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("campaigns"));
  tb_ui_test_settle ();
  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);
  g_assert_true (gtk_widget_activate_action (page, "campaign.start", NULL));
  g_assert_true (tb_ui_test_wait (graded_call, store, 120000));
  scan_page (GTK_WIDGET (window), "campaign-running", problems);
  g_assert_true (gtk_widget_activate_action (page, "campaign.pause", NULL));
  tb_application_store_changed (app, "attempts");

  /* Its report, with the call just made. */
  g_assert_true (gtk_widget_activate_action (page, "campaign.report", NULL));
  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
    GtkWidget *view = NULL;

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (TB_IS_REPORT_VIEW (l->data))
        view = l->data;
    g_assert_nonnull (view);
    g_assert_true (tb_ui_test_wait (report_loaded, view, 10000));
    scan_page (view, "report", problems);
    gtk_window_destroy (GTK_WINDOW (view));
  }

  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("leads"));
  scan_page (GTK_WIDGET (window), "lead", problems);

  for (guint i = 0; i < problems->len; i++)
    g_printerr ("English in the Chinese window: %s\n", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* At 800×600 every page fits in Chinese too (its strings are shorter, its glyphs wider). */
static void
test_small_window (TbApplication *app,
                   gpointer       user_data)
{
  tb_ui_test_check_small_window (app, "zh");
}

int
main (int    argc,
      char **argv)
{
  /* The catalog this build compiled, in Chinese. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, tb_paths_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  g_setenv ("TELEBOT_AUDIOSINK", "fakesink sync=true", TRUE);

  tb_ui_test_add ("/telebot/ui/zh/every-page", TRUE, test_every_page, NULL);
  tb_ui_test_add ("/telebot/ui/zh/800x600", TRUE, test_small_window, NULL);

  return g_test_run ();
}
