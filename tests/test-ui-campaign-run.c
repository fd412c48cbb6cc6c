/* test-ui-campaign-run.c — a sim campaign started from the Campaigns page
 * shows live call cards with transcript lines and grades; the Leads page then
 * lists the graded calls and plays a recording.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tb-application.h"
#include "tb-call-card.h"
#include "tb-campaigns-page.h"
#include "tb-leads-page.h"
#include "tb-store-config.h"
#include "tb-store-leads.h"
#include "tb-ui-test-util.h"
#include "tb-waveform.h"

typedef struct {
  GtkWidget *page;
  TbStore   *store;
} Ctx;

static gboolean
card_with_transcript (gpointer data)
{
  Ctx *ctx = data;
  GtkWidget *card = tb_ui_test_find_visible_by_type (ctx->page, TB_TYPE_CALL_CARD);
  GtkWidget *transcript = card ? tb_ui_test_find_by_name (card, "card-transcript") : NULL;

  return transcript != NULL && gtk_widget_get_first_child (transcript) != NULL;
}

static gboolean
graded_call (gpointer data)
{
  Ctx *ctx = data;
  g_autoptr(GPtrArray) leads = tb_store_list_leads (ctx->store, NULL, NULL);

  for (guint i = 0; leads != NULL && i < leads->len; i++)
    if (((TbLeadRow *) g_ptr_array_index (leads, i))->recording != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
waveform_moved (gpointer data)
{
  return tb_waveform_get_fraction (TB_WAVEFORM (data)) > 0.0;
}

typedef struct {
  TbWaveform *waveform;
  double      from;
} MovedFrom;

static gboolean
waveform_moved_on (gpointer data)
{
  MovedFrom *m = data;

  return tb_waveform_get_fraction (m->waveform) > m->from;
}

typedef struct {
  GListModel *live;
  GObject    *call;
} Gone;

static gboolean
call_gone (gpointer data)
{
  Gone *g = data;

  for (guint i = 0; i < g_list_model_get_n_items (g->live); i++) {
    g_autoptr(GObject) call = g_list_model_get_item (g->live, i);

    if (call == g->call)
      return FALSE;
  }
  return TRUE;
}

static GtkEventController *
motion_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++) {
    g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

    if (GTK_IS_EVENT_CONTROLLER_MOTION (c))
      return c;
  }
  return NULL;
}

/* While the pointer is over the cards, a call that ends keeps its card in place, marked ended,
 * with its buttons off: the next card never slides under the pointer (a double click on Hang
 * Up would otherwise hang up a second callee). When the pointer leaves, the card goes. */
static void
check_cards_hold_still (TbApplication *app,
                        Ctx           *ctx)
{
  TbCampaignRunner *runner = tb_application_lookup_runner (
    app, tb_store_find_campaign (ctx->store, "Demo campaign"));
  GtkWidget *box = tb_ui_test_find_by_name (ctx->page, "live-calls");
  GtkEventController *motion = motion_controller (box);
  GtkWidget *card, *hang_up;
  Gone gone;

  g_assert_nonnull (motion);
  g_signal_emit_by_name (motion, "enter", 10.0, 10.0);
  card = gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (box), 0));
  gone.live = tb_campaign_runner_get_live_calls (runner);
  gone.call = G_OBJECT (tb_call_card_get_call (TB_CALL_CARD (card)));
  g_assert_true (tb_ui_test_wait (call_gone, &gone, 120000));
  tb_ui_test_settle ();
  g_assert_true (gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (box),
                                                                                 0)) == card);
  hang_up = tb_ui_test_find_by_name (card, "hang-up");
  g_assert_nonnull (hang_up);
  g_assert_false (gtk_widget_is_sensitive (hang_up));
  g_assert_nonnull (tb_ui_test_find_label (card, "Ended"));
  tb_ui_test_screenshot (gtk_widget_get_ancestor (box, GTK_TYPE_WINDOW), "campaign-card-held");

  g_signal_emit_by_name (motion, "leave");
  tb_ui_test_settle ();
  {
    GtkFlowBoxChild *first = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (box), 0);

    g_assert_true (first == NULL || gtk_flow_box_child_get_child (first) != card);
  }
}

static void
test_run (TbApplication *app,
          gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  Ctx ctx = { NULL, tb_application_get_store (app) };
  GtkWidget *leads_page, *list_view, *waveform;
  g_autoptr(GError) error = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("campaigns"));
  tb_ui_test_settle ();
  ctx.page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);
  g_assert_true (gtk_widget_activate_action (ctx.page, "campaign.start", NULL));

  /* Cards appear as the robot talks. */
  g_assert_true (tb_ui_test_wait (card_with_transcript, &ctx, 60000));
  tb_ui_test_screenshot (GTK_WIDGET (window), "campaign-running");
  check_cards_hold_still (app, &ctx);

  /* A call ends with a grade and a recording. */
  g_assert_true (tb_ui_test_wait (graded_call, &ctx, 120000));
  g_assert_true (gtk_widget_activate_action (ctx.page, "campaign.pause", NULL));
  /* Activating a disabled action still "succeeds": look at the runner itself. */
  g_assert_cmpint (tb_campaign_runner_get_state (tb_application_lookup_runner (
                     app, tb_store_find_campaign (ctx.store, "Demo campaign"))), ==,
                   TB_DIALER_STATE_PAUSED);
  tb_application_store_changed (app, "attempts");
  tb_ui_test_settle ();
  /* The campaign's line row counts the calls it made, live (issue #20). */
  {
    GtkWidget *row = tb_ui_test_find_by_name (ctx.page, "campaign-line-Simulated line");
    const char *subtitle;

    g_assert_true (ADW_IS_ACTION_ROW (row));
    subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
    g_assert_true (g_str_has_prefix (subtitle, "Ready · "));
    g_assert_null (strstr (subtitle, "no calls yet"));
    g_assert_nonnull (strstr (subtitle, " calls · "));
  }

  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("leads"));
  tb_ui_test_settle ();
  leads_page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_LEADS_PAGE);
  list_view = tb_ui_test_find_by_name (leads_page, "leads-list");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
                      gtk_list_view_get_model (GTK_LIST_VIEW (list_view)))), >, 0);
  tb_ui_test_screenshot (GTK_WIDGET (window), "campaign-leads");

  waveform = tb_ui_test_find_visible_by_type (leads_page, TB_TYPE_WAVEFORM);
  if (waveform == NULL) {
    /* The newest lead may be one without a recording: pick one that has. */
    g_autoptr(GPtrArray) leads = tb_store_list_leads (ctx.store, NULL, &error);
    guint i;

    for (i = 0; i < leads->len && ((TbLeadRow *) g_ptr_array_index (leads, i))->recording == NULL; i++)
      ;
    gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (
                                         gtk_list_view_get_model (GTK_LIST_VIEW (list_view))), i);
    tb_ui_test_settle ();
    waveform = tb_ui_test_find_visible_by_type (leads_page, TB_TYPE_WAVEFORM);
  }
  g_assert_nonnull (waveform);
  g_assert_true (gtk_widget_activate_action (leads_page, "leads.play", NULL));
  g_assert_true (tb_ui_test_wait (waveform_moved, waveform, 30000));

  /* A call that ends meanwhile reloads the list: the lead being listened to stays, and plays on. */
  {
    MovedFrom m = { TB_WAVEFORM (waveform), tb_waveform_get_fraction (TB_WAVEFORM (waveform)) };

    tb_application_store_changed (app, "attempts");
    tb_ui_test_settle ();
    g_assert_true (tb_ui_test_find_visible_by_type (leads_page, TB_TYPE_WAVEFORM) == waveform);
    g_assert_true (tb_ui_test_wait (waveform_moved_on, &m, 30000));
  }
}

static void
fast_demo (TbApplication *app,
           gpointer       user_data)
{
  /* The demo's sim line, faster than real time, so the test takes seconds. */
  g_autoptr(GError) error = NULL;

  g_assert_true (tb_store_exec (tb_application_get_store (app),
                                "UPDATE lines SET config = '{\"fast\": true}' WHERE kind = 'sim'",
                                &error));
  test_run (app, user_data);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_setenv ("TELEBOT_AUDIOSINK", "fakesink sync=true", TRUE);

  tb_ui_test_add ("/telebot/ui/campaign/run-and-leads", TRUE, fast_demo, NULL);

  return g_test_run ();
}
