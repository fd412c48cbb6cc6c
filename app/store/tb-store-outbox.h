/* tb-store-outbox.h — the CRM outbox: events waiting to be delivered, and their fate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox is what makes "nothing lost" true: an event is written in the same
 * transaction as the call record it reports, and the sender works only from
 * these rows, so a crash or a restart resumes where it stopped. Times are
 * microseconds since the Unix epoch (UTC).
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* One outbox row. Strings are owned. */
typedef struct {
  gint64  id;
  char   *event;             /* call.finished, contact.opted_out, lead.updated */
  char   *idempotency_key;
  gint64  attempt_id;        /* 0: none */
  char   *payload;           /* the exact JSON body that is signed and sent */
  char   *state;             /* pending, delivered, failed */
  int     tries;             /* POSTs begun so far */
  gint64  next_try_at;
  char   *last_error;
  gint64  created_at;
  gint64  delivered_at;      /* 0: not delivered */
} TbOutboxRow;

void tb_outbox_row_free (TbOutboxRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbOutboxRow, tb_outbox_row_free)

typedef struct {
  gint64  pending;
  gint64  delivered;
  gint64  failed;
  gint64  retrying;          /* pending rows that have been tried at least once */
  gint64  next_try_at;       /* earliest pending next_try_at; 0: nothing pending */
  char   *last_error;        /* the newest failure's reason, else the newest retry's; or NULL */
} TbOutboxCounts;

void tb_outbox_counts_clear (TbOutboxCounts *counts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbOutboxCounts, tb_outbox_counts_clear)

/* Adds a pending event due at @now. Does NOT begin or commit: call it inside the
 * transaction that writes what the event reports, so both commit or neither.
 * Returns the new row id, 0 if @idempotency_key is already in the outbox (not an
 * error: enqueueing is idempotent), or -1 with @error set. */
gint64     tb_store_outbox_enqueue        (TbStore         *self,
                                           const char      *event,
                                           const char      *idempotency_key,
                                           gint64           attempt_id,
                                           const char      *payload,
                                           gint64           now,
                                           GError         **error);

/* Claims up to @limit pending rows due at @now, oldest first: each claimed row
 * gets tries + 1 and next_try_at = @lease_until in one statement, so another
 * sender (or this one after a crash) will not send it again before the lease
 * runs out. Returns (element-type TbOutboxRow) an array, empty when nothing is
 * due, or NULL with @error set. */
GPtrArray *tb_store_outbox_claim_due      (TbStore         *self,
                                           gint64           now,
                                           gint64           lease_until,
                                           guint            limit,
                                           GError         **error);

/* The three ends of one try. Each touches a pending row only. */
gboolean   tb_store_outbox_mark_delivered (TbStore         *self,
                                           gint64           id,
                                           gint64           now,
                                           GError         **error);
gboolean   tb_store_outbox_retry_at       (TbStore         *self,
                                           gint64           id,
                                           gint64           next_try_at,
                                           const char      *reason,
                                           GError         **error);
gboolean   tb_store_outbox_mark_failed    (TbStore         *self,
                                           gint64           id,
                                           gint64           now,
                                           const char      *reason,
                                           GError         **error);
/* Puts failed rows back to pending, due at @now (after the user fixed the cause).
 * Returns the number of rows, or -1 with @error set. */
gint64     tb_store_outbox_requeue_failed (TbStore         *self,
                                           gint64           now,
                                           GError         **error);

gboolean   tb_store_outbox_get_counts     (TbStore         *self,
                                           TbOutboxCounts  *counts,
                                           GError         **error);

/* How many rows already exist for @attempt_id and @event (to number repeatable
 * events such as lead.updated). -1 with @error set. */
gint64     tb_store_outbox_count_for      (TbStore         *self,
                                           gint64           attempt_id,
                                           const char      *event,
                                           GError         **error);

/* The newest @limit rows (newest first), for a delivery log. Payloads are not
 * loaded (payload is NULL). (element-type TbOutboxRow), or NULL with @error. */
GPtrArray *tb_store_outbox_list_recent    (TbStore         *self,
                                           guint            limit,
                                           GError         **error);

/* One row by id or key, with its payload; NULL with TB_STORE_ERROR_NOT_FOUND. */
TbOutboxRow *tb_store_outbox_lookup       (TbStore         *self,
                                           const char      *idempotency_key,
                                           GError         **error);

G_END_DECLS
