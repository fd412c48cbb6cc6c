/* tb-webhook-sender.h — delivers the CRM outbox to the webhook, nothing lost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Works only from the outbox rows, so a killed or restarted sender resumes:
 * a row is claimed with a lease (the request timeout plus a margin), POSTed,
 * then marked delivered, scheduled for a retry, or failed. Runs on the main
 * loop with the shared SoupSession; never blocks it.
 */
#pragma once

#include <gio/gio.h>

#include "tb-store.h"

G_BEGIN_DECLS

/* Settings that tune delivery (defaults in brackets). */
#define TB_WEBHOOK_SETTING_TIMEOUT    "webhook-timeout-seconds"   /* [30] per request */
#define TB_WEBHOOK_SETTING_RETRY_BASE "webhook-retry-base-ms"     /* [2000] first retry delay */
#define TB_WEBHOOK_SETTING_RETRY_CAP  "webhook-retry-cap-seconds" /* [3600] longest backoff */
#define TB_WEBHOOK_SETTING_MAX_TRIES  "webhook-max-tries"         /* [25] then failed */

typedef enum {
  TB_WEBHOOK_RUN_DUE,        /* send what is due now, then finish */
  TB_WEBHOOK_RUN_SETTLE,     /* also wait for retries; finish when nothing is pending */
  TB_WEBHOOK_RUN_FOREVER,    /* keep watching the outbox until cancelled (the app) */
} TbWebhookRunMode;

/* What one run did. */
typedef struct {
  guint posts;               /* POSTs begun */
  guint delivered;
  guint retries;             /* tries that will be repeated */
  guint failed;
} TbWebhookRunStats;

/* The result of one POST, for the test event and the delivery log. */
typedef struct {
  guint   status;            /* HTTP status, 0: no answer */
  char   *reason;            /* NULL on 2xx */
  gint64  retry_after_us;    /* from Retry-After, 0: none */
} TbWebhookOutcome;

void tb_webhook_outcome_clear (TbWebhookOutcome *outcome);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbWebhookOutcome, tb_webhook_outcome_clear)

#define TB_TYPE_WEBHOOK_SENDER (tb_webhook_sender_get_type ())
G_DECLARE_FINAL_TYPE (TbWebhookSender, tb_webhook_sender, TB, WEBHOOK_SENDER, GObject)

TbWebhookSender *tb_webhook_sender_new            (TbStore             *store);

/* Signs requests with @secret (NULL: unsigned). The caller looks it up with
 * tb_webhook_secret_lookup(); the sender keeps a copy and never logs it. */
void             tb_webhook_sender_set_secret     (TbWebhookSender     *self,
                                                   const char          *secret);

void             tb_webhook_sender_run_async      (TbWebhookSender     *self,
                                                   TbWebhookRunMode     mode,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean         tb_webhook_sender_run_finish     (TbWebhookSender     *self,
                                                   GAsyncResult        *result,
                                                   TbWebhookRunStats   *stats,
                                                   GError             **error);
/* Ends the current run at once (its callback gets G_IO_ERROR_CANCELLED); a POST
 * in flight still has its answer written down. */
void             tb_webhook_sender_stop           (TbWebhookSender     *self);
gboolean         tb_webhook_sender_is_running     (TbWebhookSender     *self);
/* Wakes a running sender now (new events were enqueued). */
void             tb_webhook_sender_kick           (TbWebhookSender     *self);
/* Turns the current run into a TB_WEBHOOK_RUN_DUE one: it sends what is due
 * now (after the answer to a POST in flight), then finishes with the stats of
 * the whole run. For a caller that is done producing events (campaign run). */
void             tb_webhook_sender_finish_due     (TbWebhookSender     *self);

/* POSTs a webhook.test event at once (not through the outbox). */
void             tb_webhook_sender_send_test_async  (TbWebhookSender     *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         tb_webhook_sender_send_test_finish (TbWebhookSender     *self,
                                                     GAsyncResult        *result,
                                                     TbWebhookOutcome    *outcome,
                                                     GError             **error);

/* The delay before try @tries + 1 after try @tries failed: exponential from
 * @base_ms, capped at @cap_ms, the upper half jittered. */
gint64           tb_webhook_backoff_us            (int                  tries,
                                                   gint64               base_ms,
                                                   gint64               cap_ms);
/* Parses Retry-After (seconds or an HTTP date) into a delay from @now_us; 0 if none. */
gint64           tb_webhook_parse_retry_after     (const char          *value,
                                                   gint64               now_us);

G_END_DECLS
