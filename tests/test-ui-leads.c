/* test-ui-leads.c — the Leads page lists graded calls, filters them, shows
 * a call's transcript and reasons, plays its recording and keeps follow-up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tb-application.h"
#include "tb-leads-page.h"
#include "tb-store-attempts.h"
#include "tb-store-config.h"
#include "tb-store-leads.h"
#include "tb-ui-test-util.h"
#include "tb-waveform.h"

static char *recording;

static void
add_call (TbStore    *store,
          gint64      campaign_id,
          gint64      contact_id,
          const char *e164,
          const char *grade,
          int         score,
          const char *reasons)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 id = tb_store_attempt_begin (store, campaign_id, contact_id, 0, e164, now, &error);
  TbAttemptResult result = { .outcome = "completed", .end_reason = "completed",
                             .grade = grade, .score = score, .reasons_json = reasons,
                             .recording = recording, .ended_at = now + 20 * G_USEC_PER_SEC };

  g_assert_no_error (error);
  g_assert_true (tb_store_attempt_set_state (store, id, "answered", now + G_USEC_PER_SEC, &error));
  g_assert_true (tb_store_attempt_add_turn (store, id, 1, "bot", "intro",
                                            "Hello, this is an automated call.", NULL, 0,
                                            now + G_USEC_PER_SEC, now + 3 * G_USEC_PER_SEC,
                                            &error));
  g_assert_true (tb_store_attempt_add_turn (store, id, 2, "callee", "pitch", "yes tell me more",
                                            "yes", 0.92, now + 4 * G_USEC_PER_SEC,
                                            now + 5 * G_USEC_PER_SEC, &error));
  g_assert_true (tb_store_attempt_finish (store, id, &result, 0, &error));
  g_assert_no_error (error);
}

static gboolean
waveform_moved (gpointer data)
{
  return tb_waveform_get_fraction (TB_WAVEFORM (data)) > 0.0;
}

static void
test_leads (TbApplication *app,
            gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gint64 campaign_id = tb_store_find_campaign (store, "Demo campaign");
  g_autoptr(GPtrArray) leads = NULL;
  GtkWidget *page, *list_view, *waveform, *transcript_label;
  GListModel *model;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (campaign_id, >, 0);
  add_call (store, campaign_id, 1, "+12025550101", "A", 88,
            "[\"said 'yes, tell me more' at node pitch: +30\"]");
  add_call (store, campaign_id, 2, "+12025550102", "D", 20, "[\"said 'no thanks' at node pitch\"]");
  add_call (store, campaign_id, 12, "+12025550112", "B", 70, "[\"asked to hear more\"]");
  tb_application_store_changed (app, "attempts");

  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("leads"));
  tb_ui_test_settle ();

  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_LEADS_PAGE);
  list_view = tb_ui_test_find_by_name (page, "leads-list");
  g_assert_nonnull (list_view);
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* The first (newest) call is shown: its transcript and reasons are on screen. */
  transcript_label = tb_ui_test_find_by_name (page, "transcript");
  g_assert_nonnull (transcript_label);
  g_assert_true (gtk_widget_get_mapped (transcript_label));
  g_assert_nonnull (tb_ui_test_find_label (transcript_label, "yes tell me more"));
  g_assert_nonnull (tb_ui_test_find_label (page, "asked to hear more"));  /* newest first */
  tb_ui_test_screenshot (GTK_WIDGET (window), "leads-detail");

  /* Play the recording: the playhead moves through the waveform. */
  waveform = tb_ui_test_find_visible_by_type (page, TB_TYPE_WAVEFORM);
  g_assert_nonnull (waveform);
  g_assert_true (gtk_widget_activate_action (page, "leads.play", NULL));
  g_assert_true (tb_ui_test_wait (waveform_moved, waveform, 5000));
  g_assert_true (gtk_widget_activate_action (page, "leads.play", NULL));

  /* Follow-up is saved to the store. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (tb_ui_test_find_visible_by_type (page,
                                                                             ADW_TYPE_COMBO_ROW)),
                              2);
  leads = tb_store_list_leads (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((TbLeadRow *) g_ptr_array_index (leads, 0))->follow_up, ==, "won");
}

static gboolean
only_a_and_b (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 2;
}

static void
test_filters (TbApplication *app,
              gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gint64 campaign_id = tb_store_find_campaign (store, "Demo campaign");
  GtkWidget *page, *list_view, *filters, *button;

  add_call (store, campaign_id, 1, "+12025550101", "A", 88, NULL);
  add_call (store, campaign_id, 2, "+12025550102", "D", 20, NULL);
  add_call (store, campaign_id, 12, "+12025550112", "B", 70, NULL);
  tb_application_store_changed (app, "attempts");
  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("leads"));
  tb_ui_test_settle ();

  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_LEADS_PAGE);
  list_view = tb_ui_test_find_by_name (page, "leads-list");
  filters = tb_ui_test_find_by_name (page, "grade-filters");
  g_assert_true (GTK_IS_BOX (filters));
  /* Untick C, D and E: only the A and B leads stay. */
  button = gtk_widget_get_first_child (filters);
  for (guint i = 0; i < 5; i++, button = gtk_widget_get_next_sibling (button))
    if (i >= 2)
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), FALSE);
  g_assert_true (tb_ui_test_wait (only_a_and_b,
                                  gtk_list_view_get_model (GTK_LIST_VIEW (list_view)), 2000));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("telebot-leads-XXXXXX", NULL);
  g_autofree char *cmd = NULL;
  int status = 0;

  gtk_test_init (&argc, &argv, NULL);
  g_setenv ("TELEBOT_AUDIOSINK", "fakesink sync=true", TRUE);

  /* A real two-channel 8 kHz recording, as the recorder writes them. */
  recording = g_build_filename (dir, "call.wav", NULL);
  cmd = g_strdup_printf ("sox -n -r 8000 -c 2 -b 16 %s synth 4 sine 300 sine 600", recording);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);

  tb_ui_test_add ("/telebot/ui/leads/detail-and-playback", TRUE, test_leads, NULL);
  tb_ui_test_add ("/telebot/ui/leads/grade-filter", TRUE, test_filters, NULL);

  return g_test_run ();
}
