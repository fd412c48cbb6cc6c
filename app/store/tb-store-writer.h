/* tb-store-writer.h — a call's records written behind it, off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-store.h"

G_BEGIN_DECLS

/*
 * While a call runs, its state changes, turns and AMD verdict are queued to one writer thread
 * per store, which writes them in order through its own connection: the main loop, where every
 * call's audio events are handled, never waits for the disk, a checkpoint or another process's
 * lock. What must be on disk before the call goes on (an opt-out, COMPLIANCE.md R2; the name of
 * a recording before its first sample) is still written at once with the synchronous calls.
 * A store that cannot have a second connection (read-only) writes these at once too.
 * Failures are logged (as the synchronous calls' callers did).
 */
void     tb_store_attempt_set_state_later (TbStore             *self,
                                           gint64               attempt_id,
                                           const char          *state,
                                           gint64               at);
void     tb_store_attempt_add_turn_later  (TbStore             *self,
                                           gint64               attempt_id,
                                           int                  seq,
                                           const char          *speaker,
                                           const char          *node,
                                           const char          *text,
                                           const char          *intent,
                                           double               confidence,
                                           gint64               started_at,
                                           gint64               ended_at);
void     tb_store_attempt_set_amd_later   (TbStore             *self,
                                           gint64               attempt_id,
                                           const char          *decision);
/* Finishes once every write queued before it is on disk. The callback's source object is
 * NULL (pass the store to tb_store_flush_finish()). */
void     tb_store_flush_async             (TbStore             *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean tb_store_flush_finish            (TbStore             *self,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
