/* tb-crm-event.h — the events Telebot sends to a CRM, built from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The campaign code calls one tb_crm_event_enqueue_*() inside the transaction
 * that writes what the event reports; the event's payload is built then, from
 * what that transaction sees, and kept as the exact body to send. The format is
 * documented with a full example in data/webhook-payload.md.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-store.h"

G_BEGIN_DECLS

#define TB_CRM_EVENT_CALL_FINISHED     "call.finished"
#define TB_CRM_EVENT_CONTACT_OPTED_OUT "contact.opted_out"
#define TB_CRM_EVENT_LEAD_UPDATED      "lead.updated"
#define TB_CRM_EVENT_TEST              "webhook.test"

/* Settings (the store's settings table; never the secret). */
#define TB_WEBHOOK_SETTING_URL          "webhook-url"
#define TB_WEBHOOK_SETTING_EVENTS       "webhook-events"       /* comma list; empty: all */
#define TB_WEBHOOK_SETTING_GRADES       "webhook-grades"       /* comma list; empty: all */
#define TB_WEBHOOK_SETTING_UPLOAD       "webhook-upload-recordings" /* "true": multipart */

#define TB_CRM_PAYLOAD_SCHEMA 1

/* Whether the settings want @event (with @grade, which may be NULL) sent: a URL
 * is set, the event is enabled, and the grade filter (call.finished and
 * lead.updated only) passes. */
gboolean  tb_crm_event_is_wanted              (TbStore     *store,
                                               const char  *event,
                                               const char  *grade);

/* All three return the outbox row id, 0 when the settings filter the event out
 * or its key is already queued (both normal), or -1 with @error set.
 * They do not begin or commit: call them inside your transaction. */

/* A finished call (any outcome). Key: attempt-<id>-call.finished-1. */
gint64    tb_crm_event_enqueue_call_finished  (TbStore     *store,
                                               gint64       attempt_id,
                                               GError     **error);
/* A callee asked not to be called again. @attempt_id may be 0 (added by hand);
 * @source is speech, dtmf, manual…; @words what they said, or NULL.
 * Key: attempt-<id>-contact.opted_out-1, or dnc-<e164>-<µs> without an attempt. */
gint64    tb_crm_event_enqueue_opted_out      (TbStore     *store,
                                               gint64       attempt_id,
                                               const char  *e164,
                                               const char  *source,
                                               const char  *words,
                                               GError     **error);
/* A person changed a lead's grade or follow-up (write the change first, then
 * call this with the values before it). Key: attempt-<id>-lead.updated-<n>,
 * n counting this attempt's lead.updated events from 1. */
gint64    tb_crm_event_enqueue_lead_updated   (TbStore     *store,
                                               gint64       attempt_id,
                                               const char  *old_grade,
                                               const char  *old_follow_up,
                                               const char  *changed_by,
                                               GError     **error);

/* The payload of an event about @attempt_id, as JSON text. */
char     *tb_crm_event_build                  (TbStore     *store,
                                               const char  *event,
                                               const char  *idempotency_key,
                                               gint64       attempt_id,
                                               GError     **error);
/* A test event's payload (no store rows needed). */
char     *tb_crm_event_build_test             (const char  *idempotency_key);

/* "2026-11-28T13:40:00.250Z" for a time in µs since the epoch; NULL for 0. */
char     *tb_crm_format_time                  (gint64       usec);

G_END_DECLS
