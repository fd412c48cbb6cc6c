/* test-ui-campaigns.c — the Campaigns page shows progress, counters, charts
 * and a card per live call that follows the call's model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tb-application.h"
#include "tb-call-card.h"
#include "tb-campaigns-page.h"
#include "tb-chart.h"
#include "tb-live-call.h"
#include "tb-store-attempts.h"
#include "tb-store-config.h"
#include "tb-store-lines.h"
#include "tb-ui-test-util.h"

static void
finish_call (TbStore    *store,
             gint64      campaign_id,
             gint64      contact_id,
             const char *e164,
             const char *outcome,
             const char *grade)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 id = tb_store_attempt_begin (store, campaign_id, contact_id, 0, e164, now, &error);
  TbAttemptResult result = { .outcome = outcome, .end_reason = outcome, .grade = grade,
                             .score = 50, .ended_at = now };

  if (grade != NULL) {
    g_assert_true (tb_store_attempt_set_state (store, id, "answered", now, &error));
    g_assert_true (tb_store_attempt_add_turn (store, id, 1, "bot", "intro", "Hello", NULL, 0,
                                              now, now, &error));
  }
  g_assert_true (tb_store_attempt_finish (store, id, &result, 0, &error));
  g_assert_no_error (error);
}

static void
test_page (TbApplication *app,
           gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gint64 campaign_id = tb_store_find_campaign (store, "Demo campaign");
  g_autoptr(GListStore) live = g_list_store_new (TB_TYPE_LIVE_CALL);
  g_autoptr(TbLiveCall) call = tb_live_call_new (42, "Alice Walker", "+12025550101");
  GtkWidget *page, *card, *transcript;

  finish_call (store, campaign_id, 1, "+12025550101", "completed", "A");
  finish_call (store, campaign_id, 2, "+12025550102", "completed", "D");
  finish_call (store, campaign_id, 7, "+12025550107", "busy", NULL);
  /* A call still ringing has a state, not an outcome: it is no bar of the Outcomes chart. */
  g_assert_cmpint (tb_store_attempt_begin (store, campaign_id, 8, 0, "+12025550108",
                                           g_get_real_time (), NULL), >, 0);
  tb_application_store_changed (app, "attempts");
  tb_ui_test_settle ();

  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);
  g_assert_cmpint (tb_campaigns_page_get_campaign_id (TB_CAMPAIGNS_PAGE (page)), ==, campaign_id);

  /* Counters come from the store: 4 dialed (one still ringing), 2 answered, 1 A/B lead. */
  g_assert_nonnull (tb_ui_test_find_label (tb_ui_test_find_by_name (page, "counters"), "4"));
  g_assert_nonnull (tb_ui_test_find_label (tb_ui_test_find_by_name (page, "counters"), "2"));
  /* Charts: outcomes has two bars (completed, busy); grades has A–E. */
  g_assert_cmpuint (tb_chart_get_n (TB_CHART (tb_ui_test_find_by_name (page, "outcomes"))), ==, 2);
  /* ... in words, not identifiers. */
  g_assert_cmpstr (tb_chart_get_label (TB_CHART (tb_ui_test_find_by_name (page, "outcomes")), 0),
                   ==, "Completed");
  g_assert_cmpstr (tb_chart_get_label (TB_CHART (tb_ui_test_find_by_name (page, "outcomes")), 1),
                   ==, "Busy");
  g_assert_cmpstr (tb_chart_get_label (TB_CHART (tb_ui_test_find_by_name (page, "funnel")), 0),
                   ==, "Greeting");
  g_assert_cmpuint (tb_chart_get_n (TB_CHART (tb_ui_test_find_by_name (page, "grades"))), ==, 5);
  g_assert_cmpuint (tb_chart_get_n (TB_CHART (tb_ui_test_find_by_name (page, "funnel"))), ==, 1);

  /* With no call in flight, the live-calls area says what Start would do. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tb_ui_test_find_by_name (page, "no-calls"))),
                   ==, "No calls in progress. Press Start to dial.");
  /* The store says running but nothing runs it (Telebot was closed while it ran): the page
   * does not say Running with Start on and nothing dialing. */
  g_assert_true (tb_store_exec (store, "UPDATE campaigns SET state = 'running'", NULL));
  tb_application_store_changed (app, "campaigns");
  tb_ui_test_settle ();
  g_assert_nonnull (tb_ui_test_find_label_containing (page, "Telebot was closed while it ran"));
  g_assert_null (tb_ui_test_find_label_containing (page, "Running"));

  /* A live call gets a card that follows its model. */
  tb_campaigns_page_set_live_calls (TB_CAMPAIGNS_PAGE (page), G_LIST_MODEL (live));
  g_list_store_append (live, call);
  tb_live_call_set_state (call, "answered");
  tb_live_call_set_node (call, "pitch");
  tb_live_call_add_turn (call, "bot", "Would you like to hear more?");
  tb_live_call_add_turn (call, "callee", "yes tell me more");
  tb_live_call_set_grade (call, "B");
  tb_ui_test_settle ();

  card = tb_ui_test_find_visible_by_type (page, TB_TYPE_CALL_CARD);
  g_assert_nonnull (card);
  transcript = tb_ui_test_find_by_name (card, "card-transcript");
  g_assert_nonnull (tb_ui_test_find_label (transcript, "yes tell me more"));
  g_assert_nonnull (tb_ui_test_find_label (card, "B"));
  g_assert_nonnull (tb_ui_test_find_label (card, "Offer"));
  tb_ui_test_screenshot (GTK_WIDGET (window), "campaigns-live");

  g_list_store_remove (live, 0);
  tb_ui_test_settle ();
  g_assert_null (tb_ui_test_find_visible_by_type (page, TB_TYPE_CALL_CARD));
}

static gboolean
names_broken_line (gpointer page)
{
  return tb_ui_test_find_label_containing (page, "The line “A broken trunk” cannot dial") != NULL;
}

/* A campaign whose line cannot dial says so in its pre-flight, first, in plain words. */
static void
test_broken_line (TbApplication *app,
                  gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;
  gint64 line_id;
  GtkWidget *page, *label;

  g_unsetenv ("TELEBOT_TEST_BROKEN_PASSWORD");
  line_id = tb_store_add_line (store, "A broken trunk", "sip",
                               "{\"domain\":\"127.0.0.1:39\",\"user\":\"bob\","
                               "\"password_env\":\"TELEBOT_TEST_BROKEN_PASSWORD\"}", 2, &error);
  g_assert_no_error (error);
  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);
  g_assert_false (names_broken_line (page));
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE campaigns SET line_id = %" G_GINT64_FORMAT,
                                            line_id);

    g_assert_true (tb_store_exec (store, sql, NULL));
  }
  tb_application_store_changed (app, "campaigns");
  g_assert_true (tb_ui_test_wait (names_broken_line, page, 10000));
  label = tb_ui_test_find_label_containing (page, "The line “A broken trunk” cannot dial");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)),
                                   "The line “A broken trunk” cannot dial: the line's password is "
                                   "missing"));
  /* The contacts are still surveyed, after the line. */
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "\n"));
  tb_ui_test_screenshot (GTK_WIDGET (window), "campaigns-broken-line");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  tb_ui_test_add ("/telebot/ui/campaigns/counters-charts-cards", TRUE, test_page, NULL);
  tb_ui_test_add ("/telebot/ui/campaigns/broken-line", TRUE, test_broken_line, NULL);

  return g_test_run ();
}
