/* tb-webhook-sender.c — delivers the CRM outbox to the webhook, nothing lost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row at a time, oldest due first: a CRM sees events in the order they
 * happened unless one of them is waiting for a retry. A row's life:
 *
 *   claim (tries + 1, leased until timeout + margin) -> POST
 *     2xx                      -> delivered
 *     no answer, 408, 429, 5xx -> pending again at now + max (backoff, Retry-After)
 *     other status (3xx too)   -> failed, with "HTTP <code> <reason>: <body>"
 *     tries == max tries       -> failed, with the last reason
 *
 * The store write after a 2xx is the only gap: a kill between the answer and
 * that write sends the event once more after the lease, with the same
 * Idempotency-Key, which the receiver uses to drop the copy.
 */
#define G_LOG_DOMAIN "tb-webhook-sender"

#include "config.h"

#include "tb-crm-event.h"
#include "tb-http.h"
#include "tb-limits.h"
#include "tb-store-outbox.h"
#include "tb-webhook-secret.h"
#include "tb-webhook-sender.h"

#define LEASE_MARGIN_US     (2 * G_USEC_PER_SEC)
#define FOREVER_POLL_US     (30 * G_USEC_PER_SEC)
#define LONGEST_WAIT_US     (60 * G_USEC_PER_SEC)
#define RETRY_AFTER_MAX_US  ((gint64) 24 * 3600 * G_USEC_PER_SEC)
#define BODY_IN_REASON      200

struct _TbWebhookSender
{
  GObject  parent_instance;

  /* owned */
  TbStore *store;
  char    *secret;

  /* the current run */
  GTask   *run_task;       /* holds a ref on us while a run lasts */
  guint    wait_id;
  gulong   cancelled_id;
  guint    generation;   /* bumped when a run starts or stops: late answers of an
                          * old run are recorded but do not drive the new one */
};

G_DEFINE_FINAL_TYPE (TbWebhookSender, tb_webhook_sender, G_TYPE_OBJECT)

enum {
  DELIVERY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  TbWebhookRunMode   mode;
  TbWebhookRunStats  stats;
} RunData;

typedef struct {
  SoupMessage      *msg;
  guint             timeout_s;
  char             *where;           /* "POST https://host:port" (no path: it may hold a token) */
  TbOutboxRow      *row;
  guint             generation;
} PostData;

void
tb_webhook_outcome_clear (TbWebhookOutcome *outcome)
{
  g_clear_pointer (&outcome->reason, g_free);
}

static void
outcome_free (TbWebhookOutcome *outcome)
{
  tb_webhook_outcome_clear (outcome);
  g_free (outcome);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbWebhookOutcome, outcome_free)

static void
post_data_free (PostData *d)
{
  g_clear_object (&d->msg);
  g_free (d->where);
  tb_outbox_row_free (d->row);
  g_free (d);
}

static gint64
setting_int (TbStore    *store,
             const char *key,
             gint64      fallback)
{
  g_autofree char *text = tb_store_dup_setting (store, key, NULL);
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 1, G_MAXINT32, &value, NULL))
    return fallback;
  return value;
}

gint64
tb_webhook_backoff_us (int    tries,
                       gint64 base_ms,
                       gint64 cap_ms)
{
  gint64 delay_ms = base_ms;

  for (int i = 1; i < tries && delay_ms < cap_ms; i++)
    delay_ms *= 2;
  delay_ms = MIN (delay_ms, cap_ms);
  /* Half fixed, half random: spreads a crowd of retries after an outage. */
  return (delay_ms / 2 + g_random_int_range (0, (gint32) MAX (1, delay_ms / 2 + 1))) * 1000;
}

gint64
tb_webhook_parse_retry_after (const char *value,
                              gint64      now_us)
{
  gint64 seconds;

  if (value == NULL)
    return 0;
  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_isdigit (*value)) {
    if (!g_ascii_string_to_signed (value, 10, 0, G_MAXINT32, &seconds, NULL))
      return 0;
    return MIN (seconds * G_USEC_PER_SEC, RETRY_AFTER_MAX_US);
  } else {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    gint64 delay;

    if (when == NULL)
      return 0;
    delay = g_date_time_to_unix (when) * G_USEC_PER_SEC - now_us;
    return CLAMP (delay, 0, RETRY_AFTER_MAX_US);
  }
}

static char *
describe_target (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return g_strdup_printf ("POST %s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), port);
  return g_strdup_printf ("POST %s://%s", g_uri_get_scheme (uri), g_uri_get_host (uri));
}

/* The recording file to upload with this payload, or NULL. */
static char *
dup_upload_path (const char *payload)
{
  g_autoptr(JsonNode) root = json_from_string (payload, NULL);
  JsonObject *call, *recording;

  JsonNode *call_node;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  call_node = json_object_get_member (json_node_get_object (root), "call");
  if (call_node == NULL || !JSON_NODE_HOLDS_OBJECT (call_node))
    return NULL;
  call = json_node_get_object (call_node);
  if (!json_object_has_member (call, "recording") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (call, "recording")))
    return NULL;
  recording = json_object_get_object_member (call, "recording");
  if (json_object_get_string_member_with_default (recording, "multipart_part", NULL) == NULL)
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (recording, "path", NULL));
}

/* The body: the payload itself, or a multipart form with the payload as part
 * "payload" and the recording as part "recording". The signature always covers
 * the exact payload bytes. */
static void
set_body (TbStore     *store,
          SoupMessage *msg,
          const char  *payload)
{
  g_autofree char *named = dup_upload_path (payload);
  /* The payload names it as the store does: relative to the data folder. */
  g_autofree char *path = tb_store_resolve_path (store, named);
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) json = g_bytes_new (payload, strlen (payload));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) audio = NULL;
  g_autoptr(SoupMessageHeaders) part = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  gsize length = 0;

  if (path == NULL) {
    soup_message_set_request_body_from_bytes (msg, "application/json", json);
    return;
  }

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  soup_message_headers_replace (part, "Content-Disposition", "form-data; name=\"payload\"");
  soup_message_headers_replace (part, "Content-Type", "application/json");
  soup_multipart_append_part (multipart, part, json);
  if (g_file_get_contents (path, &contents, &length, NULL)) {
    base = g_path_get_basename (path);
    audio = g_bytes_new_take (g_steal_pointer (&contents), length);
    soup_multipart_append_form_file (multipart, "recording", base,
                                     g_str_has_suffix (base, ".ogg") ? "audio/ogg" : "audio/wav",
                                     audio);
  } else {
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "X-Telebot-Recording", "missing");
  }
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, headers, &body);
  soup_message_set_request_body_from_bytes (msg,
                                            soup_message_headers_get_one (headers,
                                                                          "Content-Type"),
                                            body);
}

static char *
body_excerpt (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;
  g_autofree char *valid = NULL;
  g_autoptr(GString) s = NULL;

  if (data == NULL || size == 0)
    return NULL;
  valid = g_utf8_make_valid (data, MIN (size, (gsize) BODY_IN_REASON));
  s = g_string_new (g_strstrip (valid));
  g_string_replace (s, "\n", " ", 0);
  if (size > BODY_IN_REASON)
    g_string_append (s, "…");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
post_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PostData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  TbWebhookOutcome *outcome = g_new0 (TbWebhookOutcome, 1);
  guint status;

  body = tb_http_send_and_read_finish (result, &error);

  /* A CRM that answers at length has answered: its status counts, its body is not read. */
  if (g_error_matches (error, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE))
    g_clear_error (&error);
  if (error != NULL) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      g_free (outcome);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return;
    }
    if (g_error_matches (error, TB_HTTP_ERROR, TB_HTTP_ERROR_TIMEOUT))
      outcome->reason = g_strdup_printf ("%s: no answer within %u s", d->where, d->timeout_s);
    else
      outcome->reason = g_strdup_printf ("%s: %s", d->where, error->message);
  } else {
    status = soup_message_get_status (d->msg);
    outcome->status = status;
    if (!SOUP_STATUS_IS_SUCCESSFUL (status)) {
      g_autofree char *excerpt = body_excerpt (body);
      const char *phrase = soup_message_get_reason_phrase (d->msg);

      outcome->reason = g_strdup_printf ("%s: HTTP %u %s%s%s", d->where, status,
                                         phrase ? phrase : "", excerpt ? ": " : "",
                                         excerpt ? excerpt : "");
      outcome->retry_after_us =
        tb_webhook_parse_retry_after (soup_message_headers_get_one (
                                        soup_message_get_response_headers (d->msg),
                                        "Retry-After"),
                                      g_get_real_time ());
    }
  }
  g_task_return_pointer (task, outcome, (GDestroyNotify) outcome_free);
}

/* POSTs one row (owned by the task). Returns a TbWebhookOutcome, or an error
 * only for a bad configuration or cancellation. */
static void
post_async (TbWebhookSender     *self,
            TbOutboxRow         *row,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = tb_store_dup_setting (self->store, TB_WEBHOOK_SETTING_URL, "");
  g_autofree char *tries = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (now));
  SoupMessageHeaders *headers;
  PostData *d;

  g_task_set_source_tag (task, post_async);
  d = g_new0 (PostData, 1);
  d->row = row;
  d->generation = self->generation;
  g_task_set_task_data (task, d, (GDestroyNotify) post_data_free);

  /* Checked again here: the setting may have been written by an older version. */
  if ((uri = tb_http_parse_url (g_strstrip (url), &error)) == NULL) {
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                             "webhook URL (" TB_WEBHOOK_SETTING_URL "): %s", error->message);
    return;
  }

  d->where = describe_target (uri);
  d->msg = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  /* A redirected POST may turn into a GET that "succeeds": treat 3xx as an answer. */
  soup_message_add_flags (d->msg, SOUP_MESSAGE_NO_REDIRECT);
  d->timeout_s = (guint) setting_int (self->store, TB_WEBHOOK_SETTING_TIMEOUT, 30);
  headers = soup_message_get_request_headers (d->msg);
  tries = g_strdup_printf ("%d", row->tries);
  soup_message_headers_replace (headers, "Idempotency-Key", row->idempotency_key);
  soup_message_headers_replace (headers, "X-Telebot-Event", row->event);
  soup_message_headers_replace (headers, "X-Telebot-Delivery-Attempt", tries);
  soup_message_headers_replace (headers, "X-Telebot-Timestamp", timestamp);
  if (self->secret != NULL) {
    g_autofree char *signature = tb_webhook_sign (self->secret, (const guint8 *) row->payload,
                                                  strlen (row->payload));
    soup_message_headers_replace (headers, "X-Telebot-Signature", signature);
  }
  set_body (self->store, d->msg, row->payload);


  g_debug ("%s: %s %s (try %d)", d->where, row->event, row->idempotency_key, row->tries);
  /* In ms a guint holds 49 days: longer than any CRM is worth waiting for. */
  tb_http_send_and_read_async (d->msg, TB_LIMITS_WEBHOOK_ANSWER_BYTES,
                               MIN (d->timeout_s, G_MAXUINT / 1000) * 1000, cancellable,
                               post_cb, g_steal_pointer (&task));
}

static TbWebhookOutcome *
post_finish (TbWebhookSender  *self,
             GAsyncResult     *result,
             GError          **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
is_retryable (guint status)
{
  return status == 0 || status == 408 || status == 429 || status >= 500;
}

static void run_step (TbWebhookSender *self);

static gboolean
run_step_cb (gpointer user_data)
{
  TbWebhookSender *self = user_data;

  self->wait_id = 0;
  run_step (self);
  return G_SOURCE_REMOVE;
}

/* Detaches the current run from the sender; returns its task. */
static GTask *
end_run (TbWebhookSender *self)
{
  GTask *task = g_steal_pointer (&self->run_task);

  g_clear_handle_id (&self->wait_id, g_source_remove);
  if (self->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
  self->cancelled_id = 0;
  return task;
}

static void
run_finish_with_error (TbWebhookSender *self,
                       GError          *error)
{
  g_autoptr(GTask) task = end_run (self);

  g_task_return_error (task, error);
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  TbWebhookSender *self = user_data;

  tb_webhook_sender_kick (self);
  return G_SOURCE_REMOVE;
}

/* May run in another thread: only hop to the main context. */
static void
on_run_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, cancelled_idle_cb, g_object_ref (user_data),
                   g_object_unref);
}

/* Records the outcome of one POST in the store. */
static gboolean
record_outcome (TbWebhookSender         *self,
                RunData                 *run,
                const TbOutboxRow       *row,
                const TbWebhookOutcome  *outcome,
                const char             **state,
                GError                 **error)
{
  gint64 now = g_get_real_time ();
  gint64 max_tries = setting_int (self->store, TB_WEBHOOK_SETTING_MAX_TRIES, 25);
  gint64 delay;
  g_autofree char *reason = NULL;

  if (outcome->reason == NULL) {
    *state = "delivered";
    run->stats.delivered++;
    return tb_store_outbox_mark_delivered (self->store, row->id, now, error);
  }
  *state = "failed";
  if (!is_retryable (outcome->status)) {
    run->stats.failed++;
    g_message ("%s %s failed: %s", row->event, row->idempotency_key, outcome->reason);
    return tb_store_outbox_mark_failed (self->store, row->id, now, outcome->reason, error);
  }
  if (row->tries >= max_tries) {
    run->stats.failed++;
    reason = g_strdup_printf ("gave up after %d tries: %s", row->tries, outcome->reason);
    g_message ("%s %s failed: %s", row->event, row->idempotency_key, reason);
    return tb_store_outbox_mark_failed (self->store, row->id, now, reason, error);
  }
  delay = tb_webhook_backoff_us (row->tries,
                                 setting_int (self->store, TB_WEBHOOK_SETTING_RETRY_BASE, 2000),
                                 setting_int (self->store, TB_WEBHOOK_SETTING_RETRY_CAP, 3600)
                                 * 1000);
  delay = MAX (delay, outcome->retry_after_us);
  *state = "retrying";
  run->stats.retries++;
  g_debug ("%s %s: retry in %.1f s: %s", row->event, row->idempotency_key, delay / 1e6,
           outcome->reason);
  return tb_store_outbox_retry_at (self->store, row->id, now + delay, outcome->reason, error);
}

static void
run_post_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TbWebhookSender) self = user_data;
  g_autoptr(TbWebhookOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  GTask *post_task = G_TASK (result);
  PostData *d = g_task_get_task_data (post_task);
  gboolean current = self->run_task != NULL && d->generation == self->generation;
  RunData stale = { 0 };
  RunData *run = current ? g_task_get_task_data (self->run_task) : &stale;
  const char *state = NULL;

  outcome = post_finish (self, result, &error);
  if (outcome == NULL) {
    /* Cancelled: the row stays leased; the next run takes it up when the lease ends. */
    if (current)
      run_finish_with_error (self, g_steal_pointer (&error));
    return;
  }
  /* The POST happened: write its outcome down even when the run was stopped. */
  if (!record_outcome (self, run, d->row, outcome, &state, &error)) {
    if (current)
      run_finish_with_error (self, g_steal_pointer (&error));
    else
      g_warning ("%s", error->message);
    return;
  }
  g_signal_emit (self, signals[DELIVERY_CHANGED], 0, d->row->idempotency_key, state,
                 outcome->reason);
  if (current)
    self->wait_id = g_idle_add (run_step_cb, self);
}

static void
run_step (TbWebhookSender *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(TbOutboxCounts) counts = { 0 };
  RunData *run = g_task_get_task_data (self->run_task);
  GCancellable *cancellable = g_task_get_cancellable (self->run_task);
  gint64 now = g_get_real_time ();
  gint64 timeout_us = setting_int (self->store, TB_WEBHOOK_SETTING_TIMEOUT, 30) * G_USEC_PER_SEC;
  gint64 wait_us;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error)) {
    run_finish_with_error (self, g_steal_pointer (&error));
    return;
  }

  rows = tb_store_outbox_claim_due (self->store, now, now + timeout_us + LEASE_MARGIN_US, 1,
                                    &error);
  if (rows == NULL) {
    run_finish_with_error (self, g_steal_pointer (&error));
    return;
  }
  if (rows->len > 0) {
    run->stats.posts++;
    post_async (self, g_ptr_array_steal_index (rows, 0), cancellable, run_post_cb,
                g_object_ref (self));
    return;
  }

  if (!tb_store_outbox_get_counts (self->store, &counts, &error)) {
    run_finish_with_error (self, g_steal_pointer (&error));
    return;
  }
  if (run->mode == TB_WEBHOOK_RUN_DUE ||
      (run->mode == TB_WEBHOOK_RUN_SETTLE && counts.pending == 0)) {
    g_autoptr(GTask) task = end_run (self);
    RunData *done = g_task_get_task_data (task);

    g_task_return_pointer (task, g_memdup2 (&done->stats, sizeof done->stats), g_free);
    return;
  }

  /* Sleep until the next row is due (or a while, to notice new rows). */
  wait_us = counts.pending > 0 ? counts.next_try_at - now : FOREVER_POLL_US;
  wait_us = CLAMP (wait_us, 10 * 1000, LONGEST_WAIT_US);
  self->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (wait_us / 1000),
                                      run_step_cb, self, NULL);
}

static void
tb_webhook_sender_dispose (GObject *object)
{
  TbWebhookSender *self = (TbWebhookSender *) object;

  if (self->run_task != NULL) {
    g_autoptr(GTask) task = end_run (self);
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the sender went away");
  }

  G_OBJECT_CLASS (tb_webhook_sender_parent_class)->dispose (object);
}

static void
tb_webhook_sender_finalize (GObject *object)
{
  TbWebhookSender *self = (TbWebhookSender *) object;

  tb_webhook_sender_set_secret (self, NULL);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tb_webhook_sender_parent_class)->finalize (object);
}

static void
tb_webhook_sender_class_init (TbWebhookSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_webhook_sender_dispose;
  object_class->finalize = tb_webhook_sender_finalize;

  /**
   * TbWebhookSender::delivery-changed:
   * @self: the sender
   * @key: the event's idempotency key
   * @state: "delivered", "retrying" or "failed"
   * @reason: (nullable): what went wrong, for retrying and failed
   *
   * A try ended and its outbox row was updated.
   */
  signals[DELIVERY_CHANGED] = g_signal_new ("delivery-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_STRING);
}

static void
tb_webhook_sender_init (TbWebhookSender *self)
{
}

TbWebhookSender *
tb_webhook_sender_new (TbStore *store)
{
  TbWebhookSender *self;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  self = g_object_new (TB_TYPE_WEBHOOK_SENDER, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
tb_webhook_sender_set_secret (TbWebhookSender *self,
                              const char      *secret)
{
  g_return_if_fail (TB_IS_WEBHOOK_SENDER (self));

  if (self->secret != NULL) {
    memset (self->secret, 0, strlen (self->secret));
    g_clear_pointer (&self->secret, g_free);
  }
  if (secret != NULL && secret[0] != '\0')
    self->secret = g_strdup (secret);
}

void
tb_webhook_sender_run_async (TbWebhookSender     *self,
                             TbWebhookRunMode     mode,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  RunData *run;

  g_return_if_fail (TB_IS_WEBHOOK_SENDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_webhook_sender_run_async);
  if (self->run_task != NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                             "the webhook sender is already running");
    return;
  }
  url = tb_store_dup_setting (self->store, TB_WEBHOOK_SETTING_URL, "");
  if (g_strstrip (url)[0] == '\0') {
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                             "%s: no webhook URL (" TB_WEBHOOK_SETTING_URL
                             "); set one with “telebot-cli webhook set URL”",
                             tb_store_get_path (self->store));
    return;
  }
  run = g_new0 (RunData, 1);
  run->mode = mode;
  g_task_set_task_data (task, run, g_free);
  self->generation++;
  self->run_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_run_cancelled),
                                                self, NULL);
  run_step (self);
}

void
tb_webhook_sender_stop (TbWebhookSender *self)
{
  g_return_if_fail (TB_IS_WEBHOOK_SENDER (self));

  if (self->run_task == NULL)
    return;
  self->generation++;
  run_finish_with_error (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                    "the webhook sender was stopped"));
}

gboolean
tb_webhook_sender_is_running (TbWebhookSender *self)
{
  g_return_val_if_fail (TB_IS_WEBHOOK_SENDER (self), FALSE);

  return self->run_task != NULL;
}

gboolean
tb_webhook_sender_run_finish (TbWebhookSender    *self,
                              GAsyncResult       *result,
                              TbWebhookRunStats  *stats,
                              GError            **error)
{
  g_autofree TbWebhookRunStats *done = NULL;

  g_return_val_if_fail (TB_IS_WEBHOOK_SENDER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL) {
    /* Report what was done before the error, too. */
    return FALSE;
  }
  if (stats != NULL)
    *stats = *done;
  return TRUE;
}

void
tb_webhook_sender_kick (TbWebhookSender *self)
{
  g_return_if_fail (TB_IS_WEBHOOK_SENDER (self));

  if (self->run_task == NULL || self->wait_id == 0)
    return;
  g_clear_handle_id (&self->wait_id, g_source_remove);
  self->wait_id = g_idle_add (run_step_cb, self);
}

void
tb_webhook_sender_finish_due (TbWebhookSender *self)
{
  RunData *run;

  g_return_if_fail (TB_IS_WEBHOOK_SENDER (self));

  if (self->run_task == NULL)
    return;
  run = g_task_get_task_data (self->run_task);
  run->mode = TB_WEBHOOK_RUN_DUE;
  /* Waiting: look now. A POST in flight: its answer leads to the next step. */
  tb_webhook_sender_kick (self);
}

static void
send_test_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  TbWebhookOutcome *outcome = post_finish (TB_WEBHOOK_SENDER (object), result, &error);

  if (outcome == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, outcome, (GDestroyNotify) outcome_free);
}

void
tb_webhook_sender_send_test_async (TbWebhookSender     *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TbOutboxRow *row;

  g_return_if_fail (TB_IS_WEBHOOK_SENDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_webhook_sender_send_test_async);
  row = g_new0 (TbOutboxRow, 1);
  row->event = g_strdup (TB_CRM_EVENT_TEST);
  row->idempotency_key = g_strdup_printf ("test-%" G_GINT64_FORMAT, g_get_real_time ());
  row->payload = tb_crm_event_build_test (row->idempotency_key);
  row->tries = 1;
  post_async (self, row, cancellable, send_test_cb, g_steal_pointer (&task));
}

gboolean
tb_webhook_sender_send_test_finish (TbWebhookSender   *self,
                                    GAsyncResult      *result,
                                    TbWebhookOutcome  *outcome,
                                    GError           **error)
{
  TbWebhookOutcome *done;

  g_return_val_if_fail (TB_IS_WEBHOOK_SENDER (self), FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL)
    return FALSE;
  if (outcome != NULL) {
    *outcome = *done;
    g_free (done);
  } else {
    outcome_free (done);
  }
  return TRUE;
}
