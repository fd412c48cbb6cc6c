/* tb-cli-webhook.c — telebot-cli webhook set | status | log | deliver | test | retry-failed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The URL, the events and the grades go to the store's settings; the secret
 * never does: --secret-env records the name of a variable, --secret-file the
 * path of a 0600 file, --secret-keyring reads the secret from stdin into the
 * keyring.
 */
#define G_LOG_DOMAIN "tb-cli-webhook"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "tb-cli.h"
#include "tb-crm-event.h"
#include "tb-http.h"
#include "tb-store-outbox.h"
#include "tb-webhook-secret.h"
#include "tb-webhook-sender.h"

static const char * const known_events[] = {
  TB_CRM_EVENT_CALL_FINISHED, TB_CRM_EVENT_CONTACT_OPTED_OUT, TB_CRM_EVENT_LEAD_UPDATED, NULL
};

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  GError       *error;
  gboolean      ok;
  gboolean      deadline_hit;
  TbWebhookRunStats stats;
  TbWebhookOutcome  outcome;
} Wait;

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL && value[0] != '\0')
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_list (JsonBuilder *b,
          const char  *name,
          const char  *comma_list)
{
  g_auto(GStrv) items = g_strsplit (comma_list ? comma_list : "", ",", -1);

  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; items[i] != NULL; i++)
    if (g_strstrip (items[i])[0] != '\0')
      json_builder_add_string_value (b, items[i]);
  json_builder_end_array (b);
}

/* Checks a comma list against @allowed; returns it normalized, or NULL with @error. */
static char *
normalize_list (const char          *option,
                const char          *value,
                const char * const  *allowed,
                GError             **error)
{
  g_auto(GStrv) items = g_strsplit (value, ",", -1);
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; items[i] != NULL; i++) {
    const char *item = g_strstrip (items[i]);

    if (item[0] == '\0')
      continue;
    if (!g_strv_contains (allowed, item)) {
      g_autofree char *known = g_strjoinv (", ", (char **) allowed);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: unknown value “%s” (known: %s)", option, item, known);
      return NULL;
    }
    if (s->len > 0)
      g_string_append_c (s, ',');
    g_string_append (s, item);
  }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
set_int_setting (TbStore     *store,
                 const char  *key,
                 int          value,
                 GError     **error)
{
  g_autofree char *text = NULL;

  if (value <= 0)
    return TRUE;
  text = g_strdup_printf ("%d", value);
  return tb_store_set_setting (store, key, text, error);
}

static void
print_config (TbStore *store)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *url = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_URL, "");
  g_autofree char *events = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_EVENTS, "");
  g_autofree char *grades = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_GRADES, "");
  g_autofree char *upload = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_UPLOAD, "false");
  g_autofree char *secret = tb_secret_describe (store, tb_webhook_secret_kind ());

  json_builder_begin_object (b);
  add_string_or_null (b, "url", url);
  if (events[0] == '\0')
    add_list (b, "events", "call.finished,contact.opted_out,lead.updated");
  else
    add_list (b, "events", events);
  add_list (b, "grades", grades);
  json_builder_set_member_name (b, "upload_recordings");
  json_builder_add_boolean_value (b, g_str_equal (upload, "true"));
  add_string_or_null (b, "secret", secret);
  json_builder_end_object (b);
  tb_cli_print_object (b);
}

static int
webhook_set (TbCli  *cli,
             int     argc,
             char  **argv)
{
  static const char * const grades_allowed[] = { "A", "B", "C", "D", "E", NULL };
  g_autofree char *secret_env = NULL;
  g_autofree char *secret_file = NULL;
  g_autofree char *secret_file_abs = NULL;
  g_autofree char *events = NULL;
  g_autofree char *grades = NULL;
  g_autofree char *upload = NULL;
  gboolean secret_keyring = FALSE;
  int timeout = 0, retry_base = 0, retry_cap = 0, max_tries = 0;
  GOptionEntry entries[] = {
    { "secret-env", 0, 0, G_OPTION_ARG_STRING, &secret_env,
      N_("Read the shared secret from this environment variable"), "VAR" },
    { "secret-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_file,
      N_("Read the shared secret from this file (mode 0600)"), "PATH" },
    { "secret-keyring", 0, 0, G_OPTION_ARG_NONE, &secret_keyring,
      N_("Read the shared secret from stdin and keep it in the keyring"), NULL },
    { "events", 0, 0, G_OPTION_ARG_STRING, &events,
      N_("Events to send (call.finished,contact.opted_out,lead.updated; empty: all)"),
      "LIST" },
    { "grades", 0, 0, G_OPTION_ARG_STRING, &grades,
      N_("Send calls and leads of these grades only (A,B; empty: all)"), "LIST" },
    { "upload-recordings", 0, 0, G_OPTION_ARG_STRING, &upload,
      N_("Upload recordings with call.finished as multipart (yes or no)"), "YES|NO" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("Seconds to wait for the CRM's answer"), "S" },
    { "retry-base-ms", 0, 0, G_OPTION_ARG_INT, &retry_base,
      N_("First retry delay in milliseconds; doubles per try"), "MS" },
    { "retry-cap", 0, 0, G_OPTION_ARG_INT, &retry_cap,
      N_("Longest delay between retries in seconds"), "S" },
    { "max-tries", 0, 0, G_OPTION_ARG_INT, &max_tries,
      N_("Tries before an event is marked failed"), "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *norm_events = NULL;
  g_autofree char *norm_grades = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, "URL", _("Set the CRM webhook"), &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("webhook set: give one URL (see --help)");
  if ((uri = tb_http_parse_url (argv[1], &error)) == NULL)
    return tb_cli_fail_usage ("webhook set: %s", error->message);
  if (upload != NULL && !g_str_equal (upload, "yes") && !g_str_equal (upload, "no"))
    return tb_cli_fail_usage ("webhook set: --upload-recordings: “%s” is not yes or no", upload);
  if (events != NULL &&
      (norm_events = normalize_list ("--events", events, known_events, &error)) == NULL)
    return tb_cli_fail (error);
  if (grades != NULL) {
    g_autofree char *upper = g_ascii_strup (grades, -1);
    if ((norm_grades = normalize_list ("--grades", upper, grades_allowed, &error)) == NULL)
      return tb_cli_fail (error);
  }
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  /* As typed here: the setting's relative names are in the data folder. */
  if (secret_file != NULL)
    secret_file_abs = g_canonicalize_filename (secret_file, NULL);

  if (!tb_store_begin (store, &error))
    return tb_cli_fail (error);
  if (!tb_store_set_setting (store, TB_WEBHOOK_SETTING_URL, argv[1], &error) ||
      (norm_events && !tb_store_set_setting (store, TB_WEBHOOK_SETTING_EVENTS, norm_events,
                                             &error)) ||
      (norm_grades && !tb_store_set_setting (store, TB_WEBHOOK_SETTING_GRADES, norm_grades,
                                             &error)) ||
      (upload && !tb_store_set_setting (store, TB_WEBHOOK_SETTING_UPLOAD,
                                        g_str_equal (upload, "yes") ? "true" : "false",
                                        &error)) ||
      !set_int_setting (store, TB_WEBHOOK_SETTING_TIMEOUT, timeout, &error) ||
      !set_int_setting (store, TB_WEBHOOK_SETTING_RETRY_BASE, retry_base, &error) ||
      !set_int_setting (store, TB_WEBHOOK_SETTING_RETRY_CAP, retry_cap, &error) ||
      !set_int_setting (store, TB_WEBHOOK_SETTING_MAX_TRIES, max_tries, &error) ||
      (secret_env && !tb_secret_use_env (store, tb_webhook_secret_kind (), secret_env,
                                         &error)) ||
      (secret_file && !tb_secret_use_file (store, tb_webhook_secret_kind (), secret_file_abs,
                                           &error)) ||
      !tb_store_commit (store, &error)) {
    if (tb_store_in_transaction (store))
      tb_store_rollback (store);
    return tb_cli_fail (error);
  }

  if (secret_keyring) {
    char line[4096];

    if (fgets (line, sizeof line, stdin) == NULL || g_strchomp (line)[0] == '\0')
      return tb_cli_fail_usage ("webhook set --secret-keyring: no secret on stdin");
    if (!tb_webhook_secret_store (store, argv[1], line, NULL, &error)) {
      memset (line, 0, sizeof line);
      return tb_cli_fail (error);
    }
    memset (line, 0, sizeof line);
  }
  print_config (store);
  return 0;
}

static void
add_counts (JsonBuilder          *b,
            const TbOutboxCounts *counts)
{
  json_builder_set_member_name (b, "pending");
  json_builder_add_int_value (b, counts->pending);
  json_builder_set_member_name (b, "delivered");
  json_builder_add_int_value (b, counts->delivered);
  json_builder_set_member_name (b, "failed");
  json_builder_add_int_value (b, counts->failed);
  json_builder_set_member_name (b, "retrying");
  json_builder_add_int_value (b, counts->retrying);
  tb_cli_add_time (b, "next_try_at", counts->next_try_at, NULL);
  add_string_or_null (b, "last_error", counts->last_error);
}

static int
webhook_status (TbCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(TbOutboxCounts) counts = { 0 };
  g_autofree char *url = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, NULL, NULL, _("Show what the webhook outbox holds"), &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      !tb_store_outbox_get_counts (store, &counts, &error))
    return tb_cli_fail (error);
  url = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_URL, "");

  json_builder_begin_object (b);
  add_counts (b, &counts);
  add_string_or_null (b, "url", url);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
webhook_log (TbCli  *cli,
             int     argc,
             char  **argv)
{
  int limit = 50;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("How many deliveries (newest first)"),
      "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, NULL, _("List the newest webhook deliveries"), &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      (rows = tb_store_outbox_list_recent (store, MAX (limit, 1), &error)) == NULL)
    return tb_cli_fail (error);
  for (guint i = 0; i < rows->len; i++) {
    const TbOutboxRow *row = g_ptr_array_index (rows, i);
    g_autoptr(JsonBuilder) b = json_builder_new ();

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "id");
    json_builder_add_int_value (b, row->id);
    add_string_or_null (b, "event", row->event);
    add_string_or_null (b, "key", row->idempotency_key);
    add_string_or_null (b, "state", row->state);
    json_builder_set_member_name (b, "tries");
    json_builder_add_int_value (b, row->tries);
    tb_cli_add_time (b, "created_at", row->created_at, NULL);
    tb_cli_add_time (b, "delivered_at", row->delivered_at, NULL);
    /* Only a pending delivery is still to be tried. */
    tb_cli_add_time (b, "next_try_at",
                     g_str_equal (row->state, "pending") ? row->next_try_at : 0, NULL);
    add_string_or_null (b, "last_error", row->last_error);
    json_builder_end_object (b);
    tb_cli_print_object (b);
  }
  return 0;
}

static int
webhook_retry_failed (TbCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TbStore *store;
  gint64 n;

  if (!tb_cli_parse (cli, NULL, NULL, _("Queue failed webhook deliveries again"), &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      (n = tb_store_outbox_requeue_failed (store, g_get_real_time (), &error)) < 0)
    return tb_cli_fail (error);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "requeued");
  json_builder_add_int_value (b, n);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static gboolean
on_signal (gpointer user_data)
{
  Wait *w = user_data;

  g_printerr ("telebot-cli webhook: stopping; undelivered events stay in the outbox\n");
  g_cancellable_cancel (w->cancellable);
  return G_SOURCE_CONTINUE;
}

#define DEFAULT_ONCE_MAX_TIME_S 120

static gboolean
on_deadline (gpointer user_data)
{
  Wait *w = user_data;

  w->deadline_hit = TRUE;
  g_cancellable_cancel (w->cancellable);
  return G_SOURCE_REMOVE;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = tb_webhook_sender_run_finish (TB_WEBHOOK_SENDER (object), result, &w->stats,
                                        &w->error);
  g_main_loop_quit (w->loop);
}

static void
on_sender_delivery_changed (TbWebhookSender *sender,
                            const char      *key,
                            const char      *state,
                            const char      *reason,
                            gpointer         user_data)
{
  /* Progress on stderr; stdout keeps the one JSON summary. */
  if (reason != NULL)
    g_printerr ("webhook: %s %s: %s\n", key, state, reason);
  else
    g_printerr ("webhook: %s %s\n", key, state);
}

static TbWebhookSender *
make_sender (TbStore  *store,
             GError  **error)
{
  g_autoptr(TbWebhookSender) sender = tb_webhook_sender_new (store);
  g_autofree char *secret = NULL;

  if (!tb_webhook_secret_lookup (store, &secret, NULL, error))
    return NULL;
  if (secret == NULL)
    g_printerr ("telebot-cli webhook: no shared secret configured; requests go unsigned\n");
  tb_webhook_sender_set_secret (sender, secret);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  return g_steal_pointer (&sender);
}

static int
webhook_deliver (TbCli  *cli,
                 int     argc,
                 char  **argv)
{
  gboolean once = FALSE;
  int max_time = -1;
  GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once,
      N_("Send only what is due now; do not wait for retries"), NULL },
    { "max-time", 0, 0, G_OPTION_ARG_INT, &max_time,
      N_("Stop after this many seconds, leaving the rest in the outbox (default: 120 with "
         "--once, none without)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbWebhookSender) sender = NULL;
  g_auto(TbOutboxCounts) counts = { 0 };
  Wait w = { 0 };
  TbStore *store;
  guint sigint, sigterm, deadline = 0;
  int status = 0;

  if (!tb_cli_parse (cli, entries, NULL,
                     _("Send the pending webhook events; wait for retries until none is left"),
                     &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      (sender = make_sender (store, &error)) == NULL)
    return tb_cli_fail (error);

  w.loop = g_main_loop_new (NULL, FALSE);
  w.cancellable = g_cancellable_new ();
  g_signal_connect (sender, "delivery-changed", G_CALLBACK (on_sender_delivery_changed), NULL);
  sigint = g_unix_signal_add (SIGINT, on_signal, &w);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &w);
  /* --once is for cron jobs and scripts: a server that accepts and never answers, times a
   * thousand due events, must not hold it for hours. */
  if (max_time < 0)
    max_time = once ? DEFAULT_ONCE_MAX_TIME_S : 0;
  if (max_time > 0)
    deadline = g_timeout_add_seconds (max_time, on_deadline, &w);
  tb_webhook_sender_run_async (sender, once ? TB_WEBHOOK_RUN_DUE : TB_WEBHOOK_RUN_SETTLE,
                               w.cancellable, run_cb, &w);
  g_main_loop_run (w.loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (deadline != 0 && !w.deadline_hit)
    g_source_remove (deadline);
  g_main_loop_unref (w.loop);
  g_object_unref (w.cancellable);

  if (!w.ok && w.deadline_hit) {
    g_printerr ("telebot-cli webhook deliver: stopped after %d s (--max-time); the rest stays "
                "in the outbox\n", max_time);
    g_clear_error (&w.error);
    status = TB_CLI_EXIT_TIMED_OUT;
  } else if (!w.ok) {
    status = tb_cli_fail (w.error);
    g_clear_error (&w.error);
    return status;
  }
  if (!tb_store_outbox_get_counts (store, &counts, &error))
    return tb_cli_fail (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "posts");
  json_builder_add_int_value (b, w.stats.posts);
  json_builder_set_member_name (b, "delivered_now");
  json_builder_add_int_value (b, w.stats.delivered);
  json_builder_set_member_name (b, "retries");
  json_builder_add_int_value (b, w.stats.retries);
  json_builder_set_member_name (b, "failed_now");
  json_builder_add_int_value (b, w.stats.failed);
  add_counts (b, &counts);
  json_builder_set_member_name (b, "stopped_at_max_time");
  json_builder_add_boolean_value (b, w.deadline_hit);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return status;
}

static void
test_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = tb_webhook_sender_send_test_finish (TB_WEBHOOK_SENDER (object), result,
                                              &w->outcome, &w->error);
  g_main_loop_quit (w->loop);
}

static int
webhook_test (TbCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbWebhookSender) sender = NULL;
  g_autofree char *secret = NULL;
  Wait w = { 0 };
  TbStore *store;

  if (!tb_cli_parse (cli, NULL, NULL, _("Send a test event to the webhook now"), &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      (sender = make_sender (store, &error)) == NULL)
    return tb_cli_fail (error);

  w.loop = g_main_loop_new (NULL, FALSE);
  tb_webhook_sender_send_test_async (sender, NULL, test_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (!w.ok) {
    int status = tb_cli_fail (w.error);
    g_clear_error (&w.error);
    return status;
  }
  secret = tb_secret_describe (store, tb_webhook_secret_kind ());

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, w.outcome.reason == NULL);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, w.outcome.status);
  add_string_or_null (b, "error", w.outcome.reason);
  add_string_or_null (b, "secret", secret);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  if (w.outcome.reason != NULL) {
    g_printerr ("telebot-cli: webhook test: %s\n", w.outcome.reason);
    tb_webhook_outcome_clear (&w.outcome);
    return 1;
  }
  return 0;
}

int
tb_cli_webhook (TbCli  *cli,
                int     argc,
                char  **argv)
{
  static const TbCliSubcommand subcommands[] = {
    { "set", webhook_set },
    { "status", webhook_status },
    { "log", webhook_log },
    { "deliver", webhook_deliver },
    { "test", webhook_test },
    { "retry-failed", webhook_retry_failed },
  };

  return tb_cli_dispatch (cli, argc, argv, "webhook", subcommands, G_N_ELEMENTS (subcommands),
                          _("Usage: telebot-cli webhook set URL [--secret-env VAR] [--events LIST] "
                            "[--grades LIST] | status | log | deliver [--once] | test | "
                            "retry-failed\n"));
}
