/* tb-cli-campaign.c — telebot-cli campaign create|run|list|status|preflight|report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-campaign"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "tb-audit.h"
#include "tb-call-recovery.h"
#include "tb-call-session.h"
#include "tb-campaign-preflight.h"
#include "tb-campaign-report.h"
#include "tb-campaign-runner.h"
#include "tb-cli.h"
#include "tb-cli-campaign-json.h"
#include "tb-crm-event.h"
#include "tb-dial-gate.h"
#include "tb-phone.h"
#include "tb-limits.h"
#include "tb-line-pool.h"
#include "tb-line-registry.h"
#include "tb-speech-service.h"
#include "tb-report-onepager.h"
#include "tb-retry-rules.h"
#include "tb-script.h"
#include "tb-store-attempts.h"
#include "tb-store-calls.h"
#include "tb-store-config.h"
#include "tb-store-leads.h"
#include "tb-store-lines.h"
#include "tb-store-outbox.h"
#include "tb-store-variants.h"
#include "tb-webhook-secret.h"
#include "tb-webhook-sender.h"
#include "tb-words.h"

/* How long the last delivery pass may take once the campaign is done. */
#define WEBHOOK_DRAIN_SECONDS 5

/* "50,50" → shares for @n variants, each 1–99 and summing to 100. */
static gboolean
parse_split (const char  *text,
             guint        n,
             int         *shares,
             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  int total = 0;

  if (g_strv_length (parts) != n) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "--split %s has %u share(s) for %u script(s)", text, g_strv_length (parts), n);
    return FALSE;
  }
  for (guint i = 0; i < n; i++) {
    guint64 v;

    if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 1, 99, &v, NULL)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--split %s: “%s” is not a percent from 1 to 99", text, parts[i]);
      return FALSE;
    }
    shares[i] = (int) v;
    total += (int) v;
  }
  if (total != 100) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "--split %s adds up to %d, not 100", text, total);
    return FALSE;
  }
  return TRUE;
}

static int
campaign_create (TbCli  *cli,
                 int     argc,
                 char  **argv)
{
  static const char * const labels[] = { "A", "B", "C" };
  g_autofree char *list = NULL, *policy = NULL;
  g_autofree char *retry = NULL, *split = NULL, *number_rule = NULL;
  g_auto(GStrv) script_paths = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean per_retry = FALSE;
  int concurrency = 4;
  TbLinePoolRule rule = TB_LINE_POOL_RULE_ROUND_ROBIN;
  GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_STRING, &list, N_("The contact list"), N_("NAME") },
    { "script", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &script_paths,
      N_("The script file (2 or 3 times: variants A, B, C to compare)"), N_("FILE") },
    { "split", 0, 0, G_OPTION_ARG_STRING, &split,
      N_("How the contacts are shared between the variants, in percent"), N_("50,50") },
    { "variant-per-retry", 0, 0, G_OPTION_ARG_NONE, &per_retry,
      N_("Run the next variant on each retry of a contact"), NULL },
    { "line", 0, 0, G_OPTION_ARG_STRING_ARRAY, &lines,
      N_("The line to call on (again for each line of a pool)"), N_("NAME") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, N_("Calls at once"), N_("N") },
    { "number-rule", 0, 0, G_OPTION_ARG_STRING, &number_rule,
      N_("Which caller number a call presents: round-robin (default), different-on-retry or "
         "local-first"),
      N_("RULE") },
    { "policy", 0, 0, G_OPTION_ARG_STRING, &policy, N_("Policy packs, comma-separated"),
      N_("CODES") },
    { "retry", 0, 0, G_OPTION_ARG_STRING, &retry, N_("Retry rules as JSON"), N_("JSON") },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  gint64 list_id, campaign_id;
  g_autofree gint64 *line_ids = NULL;
  guint n_lines;
  gint64 script_ids[TB_VARIANTS_MAX] = { 0 };
  int shares[TB_VARIANTS_MAX] = { 0 };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n_scripts;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, "NAME", _("Create a campaign"), &argc, &argv))
    return 2;
  if (argc != 2 || list == NULL || script_paths == NULL || lines == NULL)
    return tb_cli_fail_usage ("campaign create NAME --list L --script FILE.json "
                              "[--script FILE.json [--script FILE.json]] "
                              "[--split P,P[,P] | --variant-per-retry] --line NAME "
                              "[--line NAME…]");
  if (number_rule != NULL && !g_str_equal (number_rule, "round-robin") &&
      !g_str_equal (number_rule, "different-on-retry") &&
      !g_str_equal (number_rule, "local-first"))
    return tb_cli_fail_usage ("campaign create: --number-rule %s: use round-robin, "
                              "different-on-retry or local-first", number_rule);
  if (number_rule != NULL) {
    g_autofree char *word = g_strdelimit (g_strdup (number_rule), "-", '_');

    rule = tb_line_pool_rule_from_string (word);
    /* A pack that holds each callee to one number refuses a rule that rotates them (R4). */
    if (!tb_line_pool_check_rule (rule, policy ? policy : "DEFAULT", g_get_real_time (),
                                  &error))
      return tb_cli_fail_usage ("campaign create: --number-rule %s: %s", number_rule,
                                error->message);
  }
  n_lines = g_strv_length (lines);
  for (guint i = 0; i < n_lines; i++)
    for (guint j = 0; j < i; j++)
      if (g_str_equal (lines[i], lines[j]))
        return tb_cli_fail_usage ("campaign create: line “%s” is given twice", lines[i]);
  n_scripts = g_strv_length (script_paths);
  if (n_scripts > TB_VARIANTS_MAX)
    return tb_cli_fail_usage ("campaign create: at most %d scripts (variants A, B, C), not %u",
                              TB_VARIANTS_MAX, n_scripts);
  if (n_scripts == 1 && (split != NULL || per_retry))
    return tb_cli_fail_usage ("campaign create: --split and --variant-per-retry need 2 or 3 "
                              "--script");
  if (split != NULL && per_retry)
    return tb_cli_fail_usage ("campaign create: --split or --variant-per-retry, not both");
  if (n_scripts > 1 && !per_retry) {
    if (split == NULL) {
      for (guint i = 0; i < n_scripts; i++)   /* an even split; the first takes what is left */
        shares[i] = 100 / n_scripts + (i == 0 ? 100 % n_scripts : 0);
    } else if (!parse_split (split, n_scripts, shares, &error)) {
      return tb_cli_fail_usage ("campaign create: %s", error->message);
    }
  }
  /* Before anything is written: retry rules beyond the product's ceilings are refused. */
  if (retry != NULL && !tb_retry_rules_check (retry, &error))
    return tb_cli_fail_usage ("campaign create: %s", error->message);
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);

  if ((list_id = tb_store_find_list (store, list)) == 0)
    return tb_cli_fail_usage ("campaign create: no contact list “%s”", list);
  line_ids = g_new0 (gint64, n_lines);
  for (guint i = 0; i < n_lines; i++)
    if ((line_ids[i] = tb_store_find_line (store, lines[i])) == 0)
      return tb_cli_fail_usage ("campaign create: no line “%s”", lines[i]);
  /* Every variant passes the checker and the compliance checks (disclosures, opt-out), or
   * nothing is created; the message names the variant and the node. */
  if (!tb_store_begin (store, &error))
    return tb_cli_fail (error);
  for (guint i = 0; i < n_scripts; i++) {
    g_autoptr(TbScript) script = NULL;
    g_autofree char *base = NULL;
    const char *name;

    script_ids[i] = tb_cli_import_script (store, script_paths[i], policy, &script, &error);
    if (script_ids[i] == 0) {
      tb_store_rollback (store);
      if (n_scripts > 1)
        g_prefix_error (&error, "variant %s: ", labels[i]);
      return tb_cli_fail (error);
    }
    name = tb_script_get_name (script);
    if (name == NULL)
      name = base = g_path_get_basename (script_paths[i]);
    /* Scripts are stored by name: two variants of one name would be one script. */
    if (g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL)) {
      tb_store_rollback (store);
      return tb_cli_fail_usage ("campaign create: variant %s: %s: script name “%s” is the "
                                "name of another variant's script; give each variant its own "
                                "\"name\"", labels[i], script_paths[i], name);
    }
    g_ptr_array_add (names, g_strdup (name));
  }
  campaign_id = tb_store_create_campaign (store, argv[1], list_id, script_ids[0], line_ids[0],
                                          policy ? policy : "DEFAULT", concurrency, &error);
  if (campaign_id == 0 ||
      (n_lines > 1 &&
       !tb_store_set_campaign_lines (store, campaign_id, line_ids, n_lines, &error)) ||
      (number_rule != NULL &&
       !tb_store_set_campaign_number_rule (store, campaign_id,
                                           tb_line_pool_rule_to_string (rule), &error)) ||
      (n_scripts > 1 &&
       !tb_store_set_campaign_variants (store, campaign_id,
                                        per_retry ? TB_VARIANT_MODE_PER_RETRY
                                                  : TB_VARIANT_MODE_SPLIT,
                                        script_ids, shares, n_scripts, &error)) ||
      (retry != NULL &&
       !tb_store_set_campaign_retry_rules (store, campaign_id, retry, &error)) ||
      !tb_store_commit (store, &error)) {
    if (tb_store_in_transaction (store))
      tb_store_rollback (store);
    return tb_cli_fail (error);
  }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "campaign");
  json_builder_add_string_value (b, argv[1]);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, campaign_id);
  if (n_scripts > 1) {
    json_builder_set_member_name (b, "variants");
    json_builder_begin_array (b);
    for (guint i = 0; i < n_scripts; i++) {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "variant");
      json_builder_add_string_value (b, labels[i]);
      json_builder_set_member_name (b, "script");
      json_builder_add_string_value (b, g_ptr_array_index (names, i));
      if (!per_retry) {
        json_builder_set_member_name (b, "share");
        json_builder_add_int_value (b, shares[i]);
      }
      json_builder_end_object (b);
    }
    json_builder_end_array (b);
  }
  tb_cli_campaign_add_counters (b, store, campaign_id);
  tb_cli_campaign_add_lines (b, store, campaign_id, g_get_real_time ());
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

typedef struct {
  GMainLoop         *loop;
  TbStore           *store;
  TbCampaignRunner  *runner;
  gint64             campaign_id;
  gint64             last_print;
  gboolean           interrupted;
  gboolean           paused;           /* by itself: stop once its calls in flight end */
  gint64             stop_deadline;    /* monotonic µs: quit then, calls hung up or not */
  char              *failure;          /* why the campaign stopped on its own (a full disk) */

  /* The CRM webhook, when one is set: delivers as calls finish. */
  TbWebhookSender   *sender;
  GCancellable      *webhook_cancellable;
  gboolean           webhook_running;
  gboolean           draining;
  guint              drain_timeout_id;
  guint              webhook_delivered;
  guint              webhook_failed;
  gboolean           webhook_quiet;    /* a retry was reported; the next waits for a delivery */
  char              *webhook_error;
} RunState;

static void
on_runner_progress (RunState *state)
{
  TbCampaignCounters c;
  gint64 now = g_get_monotonic_time ();

  /* A finished call has enqueued its events in its own transaction: send them. */
  if (state->webhook_running)
    tb_webhook_sender_kick (state->sender);
  if (state->paused && tb_campaign_runner_get_n_calls (state->runner) == 0) {
    g_main_loop_quit (state->loop);
    return;
  }

  if (now - state->last_print < G_USEC_PER_SEC / 2)
    return;
  state->last_print = now;
  tb_store_campaign_get_counters (state->store, state->campaign_id, &c);
  g_printerr ("campaign: %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " done, %" G_GINT64_FORMAT
              " dialed, %" G_GINT64_FORMAT " answered, %" G_GINT64_FORMAT " A/B, %"
              G_GINT64_FORMAT " opted out, %" G_GINT64_FORMAT " in flight\n",
              c.done, c.total, c.dialed, c.answered, c.leads_ab, c.opted_out, c.active);
}

static void
on_runner_finished (RunState *state)
{
  g_main_loop_quit (state->loop);
}

/* After SIGTERM: quit once every call is hung up (its BYE or CANCEL sent, its attempt closed
 * as interrupted), or at the deadline, whichever comes first. */
static gboolean
stop_poll_cb (gpointer data)
{
  RunState *state = data;

  if (tb_campaign_runner_get_n_calls (state->runner) > 0 &&
      g_get_monotonic_time () < state->stop_deadline)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (state->loop);
  return G_SOURCE_REMOVE;
}

static void
begin_stop (RunState *state)
{
  if (state->webhook_cancellable != NULL)
    g_cancellable_cancel (state->webhook_cancellable);
  state->stop_deadline = g_get_monotonic_time () + TB_CLI_STOP_GRACE_MS * 1000;
  g_timeout_add (20, stop_poll_cb, state);
}

/* The store cannot be written (a full disk): the runner stopped dialing and hangs up its
 * calls; we report it and exit non-zero. Resumable once there is room. */
static void
on_runner_failed (RunState     *state,
                  const GError *error)
{
  if (state->failure != NULL || state->interrupted)
    return;
  state->failure = g_strdup (error->message);
  g_printerr ("campaign: stopped: %s\n", error->message);
  begin_stop (state);
}

static void
on_runner_paused (RunState   *state,
                  const char *reason)
{
  state->paused = TRUE;
  g_printerr ("campaign: pausing, %u call(s) in flight finish first: %s\n",
              tb_campaign_runner_get_n_calls (state->runner), reason);
  if (tb_campaign_runner_get_n_calls (state->runner) == 0)
    g_main_loop_quit (state->loop);
}

static gboolean
on_signal (gpointer data)
{
  RunState *state = data;

  /* SIGTERM or ^C: no new dial; the calls in flight are hung up (the far end hears a BYE,
   * not silence) and closed as interrupted, within TB_CLI_STOP_GRACE_MS. Undelivered events stay
   * in the outbox for the next sender. */
  if (state->interrupted || state->failure != NULL)
    return G_SOURCE_CONTINUE;
  state->interrupted = TRUE;
  tb_campaign_runner_abort (state->runner);
  begin_stop (state);
  return G_SOURCE_CONTINUE;
}

static void
on_webhook_delivery_changed (TbWebhookSender *sender,
                             const char      *key,
                             const char      *state_name,
                             const char      *reason,
                             RunState        *state)
{
  if (g_strcmp0 (state_name, "delivered") == 0) {
    state->webhook_delivered++;
    state->webhook_quiet = FALSE;
    return;
  }
  if (g_strcmp0 (state_name, "failed") == 0)
    state->webhook_failed++;
  else if (state->webhook_quiet)
    return;   /* one line per outage, not one per event */
  else
    state->webhook_quiet = TRUE;
  g_printerr ("webhook: %s %s: %s\n", key, state_name, reason ? reason : "");
}

static void
webhook_run_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RunState *state = user_data;
  g_autoptr(GError) error = NULL;

  state->webhook_running = FALSE;
  if (!tb_webhook_sender_run_finish (TB_WEBHOOK_SENDER (object), result, NULL, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      if (state->draining && !state->interrupted)
        g_printerr ("webhook: stopped after %d s; the rest stays in the outbox\n",
                    WEBHOOK_DRAIN_SECONDS);
    } else {
      g_printerr ("webhook: %s\n", error->message);
      g_free (state->webhook_error);
      state->webhook_error = g_strdup (error->message);
    }
  }
  if (state->draining)
    g_main_loop_quit (state->loop);
}

/* Starts delivering the outbox alongside the campaign when a webhook URL is
 * set. A secret that cannot be read is not fatal: the campaign runs, and its
 * events wait in the outbox. */
static void
webhook_start (RunState *state)
{
  g_autofree char *url = tb_store_dup_setting (state->store, TB_WEBHOOK_SETTING_URL, "");
  g_autofree char *secret = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strstrip (url)[0] == '\0')
    return;
  state->sender = tb_webhook_sender_new (state->store);
  if (!tb_webhook_secret_lookup (state->store, &secret, NULL, &error)) {
    g_printerr ("webhook: not delivering during this run: %s\n", error->message);
    state->webhook_error = g_strdup (error->message);
    return;
  }
  if (secret == NULL)
    g_printerr ("webhook: no shared secret configured; requests go unsigned\n");
  tb_webhook_sender_set_secret (state->sender, secret);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_signal_connect (state->sender, "delivery-changed",
                    G_CALLBACK (on_webhook_delivery_changed), state);
  state->webhook_cancellable = g_cancellable_new ();
  state->webhook_running = TRUE;
  tb_webhook_sender_run_async (state->sender, TB_WEBHOOK_RUN_FOREVER,
                               state->webhook_cancellable, webhook_run_cb, state);
}

static gboolean
on_drain_timeout (gpointer data)
{
  RunState *state = data;

  state->drain_timeout_id = 0;
  g_cancellable_cancel (state->webhook_cancellable);
  return G_SOURCE_REMOVE;
}

/* The campaign is done: one pass over what is due, bounded in time, then stop. */
static void
webhook_drain (RunState *state)
{
  if (!state->webhook_running)
    return;
  /* Interrupted: on_signal cancelled the run; only wait for its callback. */
  if (!state->interrupted)
    tb_webhook_sender_finish_due (state->sender);
  state->draining = TRUE;
  state->drain_timeout_id = g_timeout_add_seconds (WEBHOOK_DRAIN_SECONDS, on_drain_timeout,
                                                   state);
  if (state->webhook_running)
    g_main_loop_run (state->loop);
  g_clear_handle_id (&state->drain_timeout_id, g_source_remove);
}

static void
add_webhooks (JsonBuilder *b,
              RunState    *state)
{
  g_auto(TbOutboxCounts) counts = { 0 };
  g_autoptr(GError) error = NULL;

  if (state->sender == NULL)
    return;
  if (!tb_store_outbox_get_counts (state->store, &counts, &error))
    g_printerr ("webhook: %s\n", error->message);
  json_builder_set_member_name (b, "webhooks");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "delivered");
  json_builder_add_int_value (b, state->webhook_delivered);
  json_builder_set_member_name (b, "pending");
  json_builder_add_int_value (b, counts.pending);
  json_builder_set_member_name (b, "failed");
  json_builder_add_int_value (b, state->webhook_failed);
  if (state->webhook_error != NULL) {
    json_builder_set_member_name (b, "error");
    json_builder_add_string_value (b, state->webhook_error);
  }
  json_builder_end_object (b);
}

static int
campaign_run (TbCli  *cli,
              int     argc,
              char  **argv)
{
  gboolean fast = FALSE;
  g_autofree char *now_text = NULL;
  GOptionEntry entries[] = {
    { "fast", 0, 0, G_OPTION_ARG_NONE, &fast,
      N_("Run the simulated line faster than real time, on a simulated clock"), NULL },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("Start the campaign clock here"),
      N_("ISO8601") },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCampaignRunner) runner = NULL;
  g_autoptr(TbClock) clock = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  RunState state = { 0 };
  TbCallRecoveryReport recovered = { 0 };
  gint64 now = 0, campaign_id;
  guint sigint, sigterm;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, "NAME", _("Run a campaign until it is done"), &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("campaign run NAME [--fast] [--now ISO8601]");
  if (now_text != NULL && !tb_clock_parse_time (now_text, &now, &error))
    return tb_cli_fail (error);
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  if ((campaign_id = tb_store_find_campaign (store, argv[1])) == 0)
    return tb_cli_fail_usage ("campaign run: no campaign “%s”", argv[1]);

  /* A previous run that crashed left attempts mid-flight: close them first, and finish
   * (or remove) what they recorded. */
  if (!tb_call_recovery_run (store, now ? now : g_get_real_time (), &recovered, &error))
    return tb_cli_fail (error);
  if (recovered.closed > 0)
    g_printerr ("campaign: closed %u call(s) interrupted by a crash (recordings: %u finalized, "
                "%u empty and removed)\n", recovered.closed, recovered.recordings_finalized,
                recovered.recordings_removed);

  clock = tb_clock_new (now, fast);
  if ((runner = tb_campaign_runner_new (store, campaign_id, clock, &error)) == NULL)
    return tb_cli_fail (error);

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.store = store;
  state.runner = runner;
  state.campaign_id = campaign_id;
  g_signal_connect_swapped (runner, "progress", G_CALLBACK (on_runner_progress), &state);
  g_signal_connect_swapped (runner, "finished", G_CALLBACK (on_runner_finished), &state);
  g_signal_connect_swapped (runner, "failed", G_CALLBACK (on_runner_failed), &state);
  g_signal_connect_swapped (runner, "paused", G_CALLBACK (on_runner_paused), &state);
  state.runner = runner;
  sigint = g_unix_signal_add (SIGINT, on_signal, &state);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &state);

  webhook_start (&state);
  tb_campaign_runner_start (runner);
  if (tb_campaign_runner_get_state (runner) != TB_DIALER_STATE_FINISHED)
    g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (state.failure != NULL) {
    /* Nothing more can be written now; the next run closes the calls left open. */
    g_printerr ("campaign: the calls in flight were hung up; nothing was dialed after the "
                "failure. Free some space (or make the database writable) and run the "
                "campaign again: it resumes where it stopped.\n");
  } else if (state.interrupted) {
    /* A call whose hang-up did not finish in the grace time is closed here, not left open,
     * and so is what it recorded. */
    if (!tb_call_recovery_run (store, tb_clock_now (clock), NULL, &error))
      g_printerr ("campaign: %s\n", error->message);
    g_clear_error (&error);
  } else {
    webhook_drain (&state);
  }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "campaign");
  json_builder_add_string_value (b, argv[1]);
  json_builder_set_member_name (b, "finished");
  json_builder_add_boolean_value (b, tb_campaign_runner_get_state (runner) ==
                                     TB_DIALER_STATE_FINISHED);
  if (state.paused) {
    json_builder_set_member_name (b, "paused");
    json_builder_add_string_value (b, tb_campaign_runner_get_pause_reason (runner));
  }
  tb_cli_campaign_add_counters (b, store, campaign_id);
  tb_cli_campaign_add_lines (b, store, campaign_id, now);
  add_webhooks (b, &state);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  g_clear_object (&state.sender);
  g_clear_object (&state.webhook_cancellable);
  g_free (state.webhook_error);
  if (state.failure != NULL) {
    g_free (state.failure);
    return 1;
  }
  if (state.interrupted)
    return 130;
  /* Paused by itself: not done, and for a reason someone has to look at. */
  if (state.paused) {
    g_printerr ("telebot-cli: campaign “%s” paused: %s\n", argv[1],
                tb_campaign_runner_get_pause_reason (runner));
    return 1;
  }
  return 0;
}

static int
campaign_list (TbCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, NULL, NULL, _("List the campaigns"), &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  names = tb_store_dup_names (store, "campaigns");
  for (guint i = 0; names[i] != NULL; i++) {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    gint64 id = tb_store_find_campaign (store, names[i]);
    g_autoptr(TbCampaignRow) row = tb_store_get_campaign (store, id, NULL);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "campaign");
    json_builder_add_string_value (b, names[i]);
    json_builder_set_member_name (b, "state");
    json_builder_add_string_value (b, row ? row->state : "unknown");
    if (row != NULL && row->state_reason != NULL) {
      json_builder_set_member_name (b, "state_reason");
      json_builder_add_string_value (b, row->state_reason);
    }
    tb_cli_campaign_add_counters (b, store, id);
    json_builder_end_object (b);
    tb_cli_print_object (b);
  }
  return 0;
}

/* telebot-cli campaign status: where a campaign is, and how each line of its pool does. */
static int
campaign_status (TbCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autofree char *now_text = NULL;
  GOptionEntry entries[] = {
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("Count each caller number's calls of the last hour and day back from this time"),
      N_("ISO8601") },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCampaignRow) row = NULL;
  gint64 campaign_id, now = g_get_real_time ();
  TbStore *store;

  if (!tb_cli_parse (cli, entries, "NAME", _("Show a campaign's state, counters and lines"),
                     &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("campaign status NAME [--now ISO8601]");
  if (now_text != NULL && !tb_clock_parse_time (now_text, &now, &error))
    return tb_cli_fail (error);
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  if ((campaign_id = tb_store_find_campaign (store, argv[1])) == 0)
    return tb_cli_fail_usage ("campaign status: no campaign “%s”", argv[1]);
  if ((row = tb_store_get_campaign (store, campaign_id, &error)) == NULL)
    return tb_cli_fail (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "campaign");
  json_builder_add_string_value (b, argv[1]);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, row->state);
  if (row->state_reason != NULL) {
    json_builder_set_member_name (b, "state_reason");
    json_builder_add_string_value (b, row->state_reason);
  }
  json_builder_set_member_name (b, "concurrency");
  json_builder_add_int_value (b, row->concurrency);
  tb_cli_campaign_add_number_rule (b, store, campaign_id, row->policies, now);
  tb_cli_campaign_add_counters (b, store, campaign_id);
  tb_cli_campaign_add_lines (b, store, campaign_id, now);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

/* telebot-cli campaign report: which script works, computed by the engine, printed here. */
static int
campaign_report (TbCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("json (one object), csv (one section "
      "per table), or pdf or png (a one-page summary, written to --output)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file a pdf or png is written "
      "to"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCampaignReport) report = NULL;
  gint64 campaign_id;
  TbStore *store;
  gboolean page;

  if (!tb_cli_parse (cli, entries, "NAME", _("Report a campaign's figures per script variant"),
                     &argc, &argv))
    return 2;
  page = format != NULL && (g_str_equal (format, "pdf") || g_str_equal (format, "png"));
  if (argc != 2)
    return tb_cli_fail_usage ("campaign report NAME [--format json|csv|pdf|png] [--output FILE]");
  if (format != NULL && !g_str_equal (format, "json") && !g_str_equal (format, "csv") && !page)
    return tb_cli_fail_usage ("campaign report: --format %s is not json, csv, pdf or png",
                              format);
  if (page != (output != NULL))
    return tb_cli_fail_usage ("campaign report: --output FILE goes with --format pdf or png");
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  if ((campaign_id = tb_store_find_campaign (store, argv[1])) == 0)
    return tb_cli_fail_usage ("campaign report: no campaign “%s”", argv[1]);
  if ((report = tb_campaign_report_new (store, campaign_id, &error)) == NULL)
    return tb_cli_fail (error);
  if (page) {
    g_autoptr(TbScript) script = tb_words_load_campaign_script (store, campaign_id);
    g_autoptr(JsonBuilder) b = json_builder_new ();

    if (!tb_report_onepager_write (report, script, output, g_str_equal (format, "pdf")
                                   ? TB_ONEPAGER_PDF : TB_ONEPAGER_PNG, &error))
      return tb_cli_fail (error);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "file");
    json_builder_add_string_value (b, output);
    json_builder_set_member_name (b, "format");
    json_builder_add_string_value (b, format);
    json_builder_end_object (b);
    tb_cli_print_object (b);
  } else if (format != NULL && g_str_equal (format, "csv")) {
    g_autofree char *csv = tb_campaign_report_to_csv (report);

    g_print ("%s", csv);
  } else {
    g_autoptr(JsonNode) node = tb_campaign_report_to_json (report);

    tb_cli_print_json (node);
  }
  return 0;
}

int
tb_cli_campaign (TbCli  *cli,
                 int     argc,
                 char  **argv)
{
  static const TbCliSubcommand subcommands[] = {
    { "create", campaign_create },
    { "run", campaign_run },
    { "list", campaign_list },
    { "status", campaign_status },
    { "preflight", tb_cli_campaign_preflight },
    { "report", campaign_report },
  };

  return tb_cli_dispatch (cli, argc, argv, "campaign", subcommands, G_N_ELEMENTS (subcommands),
                          _("Usage: telebot-cli campaign create NAME --list LIST --script FILE.json "
                            "--line LINE [--line LINE…] [OPTIONS…]\n"
                            "       telebot-cli campaign run NAME [--fast] [--now TIME]\n"
                            "       telebot-cli campaign list\n"
                            "       telebot-cli campaign status NAME [--now TIME]\n"
                            "       telebot-cli campaign preflight NAME [--now TIME]\n"
                            "       telebot-cli campaign report NAME [--format json|csv|pdf|png] "
                            "[--output FILE]\n"
                            "(telebot-cli campaign SUBCOMMAND --help lists the options)\n"));
}
