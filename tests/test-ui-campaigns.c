/* test-ui-campaigns.c — the Campaigns page shows progress, counters, charts
 * and a card per live call that follows the call's model; under each line of its pool, one
 * row per caller number, as `telebot-cli campaign status` and the running pool tell it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tb-application.h"
#include "tb-call-card.h"
#include "tb-campaign-runner.h"
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

#define NUMBER_A "+12025559903"   /* 100 calls of the last day, the last 20 unanswered */
#define NUMBER_B "+12025559904"   /* 4 calls in the last hour: at its hourly cap */

/* A finished earlier campaign's calls from @caller_id on @line_id, @n of them from @from every
 * @step µs; the first @answered_from..@answered_to (by index, every @every-th) answered. */
static void
seed_calls (TbStore    *store,
            gint64      campaign_id,
            gint64      line_id,
            const char *caller_id,
            guint       n,
            gint64      from,
            gint64      step,
            gboolean  (*answered) (guint i))
{
  for (guint i = 0; i < n; i++) {
    gint64 at = from + (gint64) i * step;
    gboolean yes = answered (i);
    g_autofree char *answered_at = yes ? g_strdup_printf ("%" G_GINT64_FORMAT,
                                                           at + 5 * G_USEC_PER_SEC)
                                         : g_strdup ("NULL");
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO attempts (campaign_id, contact_id, line_id, e164, caller_id, state, outcome, "
      "  end_reason, dialed_at, answered_at, ended_at) VALUES (%" G_GINT64_FORMAT ", NULL, %"
      G_GINT64_FORMAT ", '+12025550999', '%s', 'ended', '%s', '%s', %" G_GINT64_FORMAT ", %s, %"
      G_GINT64_FORMAT ")", campaign_id, line_id, caller_id, yes ? "completed" : "no_answer",
      yes ? "completed" : "no_answer", at, answered_at, at + 30 * G_USEC_PER_SEC);
    g_autoptr(GError) error = NULL;

    tb_store_exec (store, sql, &error);
    g_assert_no_error (error);
  }
}

/* Number A: 40 % of its first 80 calls answered, none of its last 20. */
static gboolean
a_answered (guint i)
{
  return i < 80 && i % 5 < 2;
}

/* Number B: its first call of the hour answered. */
static gboolean
b_answered (guint i)
{
  return i == 0;
}

static GtkWidget *
number_row (GtkWidget  *page,
            const char *line,
            const char *number)
{
  g_autofree char *name = g_strdup_printf ("campaign-number-%s-%s", line, number);

  return tb_ui_test_find_by_name (page, name);
}

static const char *
row_text (GtkWidget  *row,
          const char *what)
{
  GtkWidget *label = row != NULL ? tb_ui_test_find_by_name (row, what) : NULL;

  return label != NULL ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* `telebot-cli campaign status NAME --now …` on the window's database, parsed. */
static JsonNode *
cli_status (TbApplication *app)
{
  const char *cli = g_getenv ("TELEBOT_CLI");
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (tb_application_get_now (app) /
                                                          G_USEC_PER_SEC);
  g_autofree char *now = g_date_time_format_iso8601 (t);
  const char *argv[] = { cli, "--db", tb_ui_test_get_db_path (), "campaign", "status",
                         "Demo campaign", "--now", now, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return json_from_string (out, &error);
}

static JsonObject *
cli_number (JsonNode   *status,
            const char *line,
            const char *number)
{
  JsonArray *lines = json_object_get_array_member (json_node_get_object (status), "lines");

  for (guint i = 0; i < json_array_get_length (lines); i++) {
    JsonObject *l = json_array_get_object_element (lines, i);
    JsonArray *numbers = json_object_get_array_member (l, "numbers");

    if (!g_str_equal (json_object_get_string_member (l, "line"), line))
      continue;
    for (guint j = 0; j < json_array_get_length (numbers); j++) {
      JsonObject *n = json_array_get_object_element (numbers, j);

      if (g_str_equal (json_object_get_string_member (n, "number"), number))
        return n;
    }
  }
  return NULL;
}

/* What the page shows of a number's calls, from what the CLI says of them. */
static char *
expected_counts (JsonObject *n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " calls this hour · %"
                          G_GINT64_FORMAT " of %" G_GINT64_FORMAT " today · %.0f %% of %"
                          G_GINT64_FORMAT " answered",
                          json_object_get_int_member (n, "calls_this_hour"),
                          json_object_get_int_member (n, "calls_per_hour"),
                          json_object_get_int_member (n, "calls_today"),
                          json_object_get_int_member (n, "calls_per_day"),
                          100.0 * json_object_get_double_member (n, "recent_answer_rate"),
                          json_object_get_int_member (n, "recent_calls"));
}

/* The page's row of @number shows what the CLI says of it: its calls and answer rate, its
 * state, its health. */
static void
assert_row_matches_cli (GtkWidget  *page,
                        JsonNode   *status,
                        const char *number)
{
  JsonObject *n = cli_number (status, "Pool A", number);
  GtkWidget *row = number_row (page, "Pool A", number);
  g_autofree char *counts = NULL;
  const char *state, *health;

  g_assert_nonnull (n);
  g_assert_nonnull (row);
  counts = expected_counts (n);
  g_assert_cmpstr (row_text (row, "number-calls"), ==, counts);
  state = json_object_get_string_member (n, "state");
  if (g_str_equal (state, "ready"))
    g_assert_cmpstr (row_text (row, "number-state"), ==, "Ready");
  else if (g_str_equal (state, "hourly_cap"))
    g_assert_true (g_str_has_prefix (row_text (row, "number-state"), "At its hourly cap until "));
  else
    g_assert_not_reached ();
  health = json_object_get_string_member_with_default (n, "health", NULL);
  g_assert_cmpstr (row_text (row, "number-health"), ==, health);
}

typedef struct {
  GtkWidget *page;
  TbStore   *store;
} NumbersCtx;

static gboolean
a_is_resting (gpointer data)
{
  NumbersCtx *ctx = data;
  const char *state = row_text (number_row (ctx->page, "Pool A", NUMBER_A), "number-state");

  return state != NULL && g_str_has_prefix (state, "Resting until ");
}

static gboolean
no_call_in_flight (gpointer data)
{
  return tb_campaign_runner_get_n_calls (data) == 0;
}

/* The calls campaign @campaign_id made from @number (the store's count). */
static gint64
calls_from (TbStore    *store,
            gint64      campaign_id,
            const char *number)
{
  g_autoptr(GPtrArray) stats = tb_store_dup_campaign_number_stats (store, campaign_id, NULL);

  g_assert_nonnull (stats);
  for (guint i = 0; i < stats->len; i++) {
    const TbCallerIdStats *n = g_ptr_array_index (stats, i);

    if (g_str_equal (n->caller_id, number))
      return n->calls;
  }
  return 0;
}

/* A campaign over two sim lines, "Pool A" with two caller numbers (4 calls an hour and 120 a
 * day each) and "Pool B" with none of its own: under each line, its numbers, with exactly what
 * `telebot-cli campaign status` says of them before it runs; a number whose answer rate fell
 * shows the warning; once it runs, the first call from that number that ends rests it, and its
 * row says so with its calls counted. */
static void
test_caller_numbers (TbApplication *app,
                     gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gint64 campaign_id = tb_store_find_campaign (store, "Demo campaign");
  gint64 now = tb_application_get_now (app);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) status = NULL;
  gint64 lines[2], earlier;
  GtkWidget *page, *row;
  TbCampaignRunner *runner;
  NumbersCtx ctx;

  lines[0] = tb_store_add_line (store, "Pool A", "sim",
                                "{\"fast\": true, \"seed\": 3, \"caller_ids\": [\"" NUMBER_A
                                "\", \"" NUMBER_B "\"], \"calls_per_hour\": 4, "
                                "\"calls_per_day\": 120}", 2, &error);
  g_assert_no_error (error);
  lines[1] = tb_store_add_line (store, "Pool B", "sim", "{\"fast\": true, \"seed\": 1}", 2,
                                &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_set_campaign_lines (store, campaign_id, lines, 2, &error));
  /* An earlier campaign's calls count against the numbers' caps and in their answer rate. */
  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO campaigns (name, list_id, script_id, line_id, policies, state, created_at, "
      "  updated_at) SELECT 'Earlier campaign', list_id, script_id, %" G_GINT64_FORMAT
      ", policies, 'finished', created_at, updated_at FROM campaigns WHERE id = %"
      G_GINT64_FORMAT, lines[0], campaign_id);

    g_assert_true (tb_store_exec (store, sql, NULL));
    earlier = tb_store_find_campaign (store, "Earlier campaign");
    g_assert_cmpint (earlier, >, 0);
  }
  seed_calls (store, earlier, lines[0], NUMBER_A, 100, now - (gint64) 20 * 3600 * G_USEC_PER_SEC,
              (gint64) 10 * 60 * G_USEC_PER_SEC, a_answered);
  seed_calls (store, earlier, lines[0], NUMBER_B, 4, now - (gint64) 50 * 60 * G_USEC_PER_SEC,
              (gint64) 10 * 60 * G_USEC_PER_SEC, b_answered);
  tb_application_store_changed (app, "campaigns");
  tb_application_store_changed (app, "attempts");
  tb_ui_test_settle ();

  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);
  g_assert_cmpint (tb_campaigns_page_get_campaign_id (TB_CAMPAIGNS_PAGE (page)), ==, campaign_id);

  /* Not running: what the store tells, as the CLI tells it. */
  status = cli_status (app);
  g_assert_nonnull (status);
  assert_row_matches_cli (page, status, NUMBER_A);
  assert_row_matches_cli (page, status, NUMBER_B);
  /* ... and what that is, from the calls seeded above. */
  row = number_row (page, "Pool A", NUMBER_A);
  g_assert_cmpstr (row_text (row, "number-state"), ==, "Ready");
  g_assert_cmpstr (row_text (row, "number-calls"), ==,
                   "0 of 4 calls this hour · 100 of 120 today · 32 % of 100 answered");
  g_assert_cmpstr (row_text (row, "number-health"), ==,
                   "answer rate fell from 40 % to 0 %: this number may be marked as spam");
  row = number_row (page, "Pool A", NUMBER_B);
  g_assert_true (g_str_has_prefix (row_text (row, "number-state"), "At its hourly cap until "));
  g_assert_cmpstr (row_text (row, "number-calls"), ==,
                   "4 of 4 calls this hour · 4 of 120 today · 25 % of 4 answered");
  g_assert_null (row_text (row, "number-health"));
  /* The line with none of its own says so once, with no empty group. */
  row = tb_ui_test_find_by_name (page, "campaign-line-Pool B");
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   " · no caller numbers of its own"));
  row = tb_ui_test_find_by_name (page, "campaign-line-Pool A");
  g_assert_true (ADW_IS_EXPANDER_ROW (row));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  /* Folded away, its numbers stay folded when the rows are rebuilt. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), FALSE);
  {
    g_autoptr(GtkWidget) before = g_object_ref (row);   /* held: no new row takes its place */

    tb_application_store_changed (app, "attempts");
    tb_ui_test_settle ();
    row = tb_ui_test_find_by_name (page, "campaign-line-Pool A");
    g_assert_true (row != before);
  }
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  tb_ui_test_screenshot (GTK_WIDGET (window), "campaigns-caller-numbers");

  /* Running: the first call from A that ends rests it (its answer rate fell); the row
   * follows, with the call counted. */
  g_assert_true (gtk_widget_activate_action (page, "campaign.start", NULL));
  runner = tb_application_lookup_runner (app, campaign_id);
  g_assert_nonnull (runner);
  ctx.page = page;
  ctx.store = store;
  g_assert_true (tb_ui_test_wait (a_is_resting, &ctx, 60000));
  g_assert_true (gtk_widget_activate_action (page, "campaign.pause", NULL));
  g_assert_true (tb_ui_test_wait (no_call_in_flight, runner, 60000));
  tb_application_store_changed (app, "attempts");
  tb_ui_test_settle ();
  /* The calls the pause let finish are done: the header and the list say "Paused", no
   * longer "Paused · 3 calls finishing". */
  g_assert_null (tb_ui_test_find_label_containing (page, "finishing"));
  g_assert_nonnull (tb_ui_test_find_label_containing (page, "Paused · script"));
  {
    gint64 from_a = calls_from (store, campaign_id, NUMBER_A);
    gint64 from_b = calls_from (store, campaign_id, NUMBER_B);
    g_autoptr(GPtrArray) engine = tb_line_pool_dup_numbers (tb_campaign_runner_get_pool (runner),
                                                            store, lines[0],
                                                            tb_application_get_now (app));
    const TbCallerNumber *a = g_ptr_array_index (engine, 0);
    JsonObject *cli_a;
    g_autofree char *counts = NULL;

    g_test_message ("the campaign called %" G_GINT64_FORMAT " time(s) from A, %"
                    G_GINT64_FORMAT " from B", from_a, from_b);
    g_assert_cmpint (from_a, >=, 1);
    /* B stays at its cap: nothing went out from it. */
    g_assert_cmpint (from_b, ==, 0);
    row = number_row (page, "Pool A", NUMBER_A);
    /* What the engine says: resting on its health flag, its calls counted. */
    g_assert_cmpint (a->state, ==, TB_CALLER_NUMBER_RESTING);
    g_assert_cmpuint (a->calls_hour, ==, from_a);
    g_assert_cmpuint (a->calls_day, ==, 100 + from_a);
    g_assert_true (g_str_has_prefix (row_text (row, "number-state"), "Resting until "));
    g_assert_cmpstr (row_text (row, "number-health"), ==, a->health);
    g_assert_true (g_str_has_suffix (a->health, "this number may be marked as spam"));
    /* Its calls and answer rate, as the CLI reads them from the store. */
    g_clear_pointer (&status, json_node_unref);
    status = cli_status (app);
    cli_a = cli_number (status, "Pool A", NUMBER_A);
    g_assert_cmpint (json_object_get_int_member (cli_a, "calls_this_hour"), ==, from_a);
    g_assert_cmpint (json_object_get_int_member (cli_a, "calls"), ==, from_a);
    counts = expected_counts (cli_a);
    g_assert_cmpstr (row_text (row, "number-calls"), ==, counts);
    g_assert_cmpstr (counts, !=, "0 of 4 calls this hour · 100 of 120 today · 32 % of 100 "
                     "answered");
  }
  tb_ui_test_screenshot (GTK_WIDGET (window), "campaigns-caller-numbers-running");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_setenv ("TELEBOT_AUDIOSINK", "fakesink sync=true", TRUE);

  tb_ui_test_add ("/telebot/ui/campaigns/counters-charts-cards", TRUE, test_page, NULL);
  tb_ui_test_add ("/telebot/ui/campaigns/broken-line", TRUE, test_broken_line, NULL);
  tb_ui_test_add ("/telebot/ui/campaigns/caller-numbers", TRUE, test_caller_numbers, NULL);

  return g_test_run ();
}
