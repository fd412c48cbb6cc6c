/* test-ui-not-understood.c — "Add as a phrase" from what callees said that the robot did not
 * understand (issue #21), in a real window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo campaign gets calls whose callees answered the offer in words the demo script does
 * not list; the campaign's Report view (opened from the Campaigns page) lists them, grouped
 * (TbNotUnderstoodList), and adds one as a phrase of "yes": the main window's Scripts page
 * shows the script at that node with the phrase, undo removes it, redo and save keep it in the
 * stored script. A group's Play button plays its example call's recording.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tb-application.h"
#include "tb-campaign-report.h"
#include "tb-campaigns-page.h"
#include "tb-demo.h"
#include "tb-flow-canvas.h"
#include "tb-node-inspector.h"
#include "tb-not-understood-list.h"
#include "tb-report-view.h"
#include "tb-script-document.h"
#include "tb-scripts-page.h"
#include "tb-store-calls.h"
#include "tb-store-config.h"
#include "tb-ui-test-util.h"
#include "tb-window.h"

static char *recording;

static void
add_call (TbStore    *store,
          gint64      campaign_id,
          int         i,
          const char *said,
          const char *recorded)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = g_strdup_printf ("+1202555%04d", 7000 + i);
  gint64 at = 1764600000000000 + i * 60 * G_USEC_PER_SEC;
  TbAttemptRow row = { .campaign_id = campaign_id, .e164 = e164, .state = "ended",
                       .outcome = "completed", .end_reason = "completed", .dialed_at = at,
                       .answered_at = at + 5 * G_USEC_PER_SEC,
                       .ended_at = at + 30 * G_USEC_PER_SEC, .score = -1,
                       .recording = recorded };
  TbTurnRow bot = { .speaker = "bot", .node = "pitch", .text = "Would you like to hear more?",
                    .confidence = -1, .started_at = at, .ended_at = at };
  TbTurnRow callee = { .speaker = "callee", .node = "pitch", .text = said, .confidence = 0,
                       .started_at = at, .ended_at = at };
  gint64 id = tb_store_insert_attempt (store, &row, &error);

  g_assert_no_error (error);
  g_assert_cmpint (tb_store_add_turn (store, id, &bot, &error), >, 0);
  g_assert_cmpint (tb_store_add_turn (store, id, &callee, &error), >, 0);
  g_assert_no_error (error);
}

static gboolean
is_playing (gpointer data)
{
  return tb_not_understood_list_get_playing (data) != NULL;
}

static gboolean
view_loaded (gpointer data)
{
  return !tb_report_view_is_loading (data);
}

static TbReportView *
find_view (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (TB_IS_REPORT_VIEW (l->data))
      return l->data;
  return NULL;
}

static gboolean
has_phrase (TbScriptDocument *document,
            const char       *phrase)
{
  g_auto(GStrv) phrases = tb_script_document_dup_phrases (document, FALSE, "yes");

  return g_strv_contains ((const char * const *) phrases, phrase);
}

static void
test_add_phrase (TbApplication *app,
                 gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gint64 campaign_id = tb_store_find_campaign (store, tb_demo_get_campaign_name ("en"));
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCampaignReport) report = NULL;
  g_auto(GStrv) intents = NULL;
  g_autofree char *stored = NULL;
  const char *script_name;
  TbNotUnderstoodList *list;
  TbReportView *view;
  GtkWidget *campaigns, *button;
  TbScriptsPage *page;
  TbFlowCanvas *canvas;
  TbNodeInspector *inspector;
  TbScriptDocument *document;

  g_assert_true (TB_IS_WINDOW (window));
  g_assert_cmpint (campaign_id, >, 0);
  add_call (store, campaign_id, 0, "uh, how much does it cost?", NULL);
  add_call (store, campaign_id, 1, "how much does it cost?", NULL);
  add_call (store, campaign_id, 2, "so how much does it cost?", NULL);
  add_call (store, campaign_id, 3, "I've had it with you people", recording);

  report = tb_campaign_report_new (store, campaign_id, &error);
  g_assert_no_error (error);
  script_name = tb_campaign_report_get_script (report, "A");
  g_assert_nonnull (script_name);

  /* The campaign's Report view lists them, after its charts. */
  tb_application_store_changed (app, "attempts");
  tb_ui_test_settle ();
  campaigns = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);
  g_assert_cmpint (tb_campaigns_page_get_campaign_id (TB_CAMPAIGNS_PAGE (campaigns)), ==,
                   campaign_id);
  button = tb_ui_test_find_by_name (campaigns, "campaign-report");
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
  view = find_view ();
  g_assert_nonnull (view);
  g_assert_true (tb_ui_test_wait (view_loaded, view, 10000));
  tb_ui_test_settle ();
  list = TB_NOT_UNDERSTOOD_LIST (tb_ui_test_find_by_type (GTK_WIDGET (view),
                                                          TB_TYPE_NOT_UNDERSTOOD_LIST));
  g_assert_nonnull (list);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (list)));
  {
    /* The list is below the charts: scrolled to, as a user would. */
    GtkWidget *scrolled = tb_ui_test_find_by_name (GTK_WIDGET (view), "report-scroll");
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    g_free (tb_ui_test_screenshot (GTK_WIDGET (view), "report-not-understood"));
  }

  /* Two groups: the fed-up callee first (opt-out-like), then the price question, three times. */
  g_assert_cmpuint (tb_not_understood_list_get_n_groups (list), ==, 2);
  g_assert_nonnull (tb_ui_test_find_by_name (GTK_WIDGET (list), "add-phrase"));
  /* The fed-up call was recorded: its Play button plays it, and pauses it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "not-understood.play", "u", 0));
  g_assert_true (tb_ui_test_wait (is_playing, list, 5000));
  g_assert_cmpstr (tb_not_understood_list_get_playing (list), ==, recording);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "not-understood.play", "u", 0));
  g_assert_null (tb_not_understood_list_get_playing (list));
  /* The price questions have no recording: nothing to play. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "not-understood.play", "u", 1));
  g_assert_null (tb_not_understood_list_get_playing (list));

  intents = tb_not_understood_list_dup_intents (list, 1);
  g_assert_true (g_strv_contains ((const char * const *) intents, "yes"));
  g_assert_true (g_strv_contains ((const char * const *) intents, "no"));
  g_assert_true (g_strv_contains ((const char * const *) intents, "opt_out"));

  /* "Add as a phrase of yes" on the price question. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "not-understood.add-phrase",
                                             "(us)", 1, "yes"));
  tb_ui_test_settle ();

  page = TB_SCRIPTS_PAGE (tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_SCRIPTS_PAGE));
  canvas = TB_FLOW_CANVAS (tb_ui_test_find_by_type (GTK_WIDGET (page), TB_TYPE_FLOW_CANVAS));
  inspector = TB_NODE_INSPECTOR (tb_ui_test_find_by_type (GTK_WIDGET (page),
                                                          TB_TYPE_NODE_INSPECTOR));
  document = tb_scripts_page_get_document (page);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpstr (tb_scripts_page_get_script_name (page), ==, script_name);
  g_assert_cmpstr (tb_flow_canvas_get_selected_node (canvas), ==, "pitch");
  g_assert_cmpstr (tb_node_inspector_get_node_id (inspector), ==, "pitch");
  g_assert_true (has_phrase (document, "how much does it cost"));
  g_assert_true (tb_script_document_get_modified (document));

  /* Undo takes it out; redo puts it back; saved, the stored script has it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "script.undo", NULL));
  tb_ui_test_settle ();
  g_assert_false (has_phrase (document, "how much does it cost"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "script.redo", NULL));
  tb_ui_test_settle ();
  g_assert_true (has_phrase (document, "how much does it cost"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "script.save", NULL));
  tb_ui_test_settle ();
  g_assert_false (tb_script_document_get_modified (document));
  stored = tb_store_dup_script_document (store, tb_store_find_script (store, script_name),
                                         &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (stored, "\"how much does it cost\""));

  /* Once is enough; and a node hears only the intents it listens for. */
  g_assert_false (tb_not_understood_list_add_phrase (list, 1, "yes", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (tb_not_understood_list_add_phrase (list, 1, "send_me_a_cake", &error));
  g_assert_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_INVALID);
  g_clear_error (&error);

  gtk_window_destroy (GTK_WINDOW (view));
  tb_ui_test_settle ();
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("telebot-not-understood-XXXXXX", NULL);
  g_autofree char *cmd = NULL;
  int status = 0;

  gtk_test_init (&argc, &argv, NULL);
  g_setenv ("TELEBOT_AUDIOSINK", "fakesink sync=true", TRUE);

  /* A two-channel 8 kHz recording, as the recorder writes them. */
  recording = g_build_filename (dir, "call.wav", NULL);
  cmd = g_strdup_printf ("sox -n -r 8000 -c 2 -b 16 %s synth 2 sine 300 sine 600", recording);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);

  tb_ui_test_add ("/telebot/ui/not-understood/add-phrase", TRUE, test_add_phrase, NULL);

  status = g_test_run ();
  g_unlink (recording);
  g_rmdir (dir);
  g_free (recording);
  return status;
}
