/* tb-dialer.h — who is called next, how many at once, and when again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-clock.h"
#include "tb-store-attempts.h"

G_BEGIN_DECLS

#define TB_TYPE_DIALER (tb_dialer_get_type ())
G_DECLARE_FINAL_TYPE (TbDialer, tb_dialer, TB, DIALER, GObject)

/**
 * TbDialerBackend:
 * @gate: asks the compliance gate whether @item may be dialed at @now. On a
 *   block it sets @rule (newly allocated, names the rule) and @retry_at (when
 *   the contact may be tried again, 0: never in this campaign) and returns FALSE.
 * @place_call: places the call for @attempt_id (already recorded as
 *   "dialing"); the backend calls tb_dialer_call_ended() when it is over.
 * @pacing: the share of the campaign's concurrency usable now, 0.0–1.0
 *   (the abandonment throttle of COMPLIANCE.md R7); NULL means 1.0.
 * @line_room: how many more calls the campaign's lines can take at @now (issue #20: the free
 *   capacity of its pool); when 0 it sets @why (newly allocated: which lines, and why not)
 *   and @next_free (when caller numbers held back by their caps free; 0: unknown).
 *   NULL: no limit but the concurrency.
 * @pick_line: chooses the line (and caller number) for @item's dial at @now, after the gate
 *   allowed it and before it is recorded: sets @item's line_id and caller_id. FALSE: no line
 *   can take it now (the contact stays pending); with @why set (newly allocated), the
 *   contact itself waits for a line the others do not (its fixed caller number is at its
 *   cap): it is held until @retry_at, or blocked in this campaign when @retry_at is 0.
 *   NULL: every attempt's line_id is 0.
 *
 * What the dialer needs from the rest of the engine. The campaign runner
 * fills it with the compliance gate and the call sessions; tests with their own.
 */
typedef struct {
  gboolean (*gate)       (gpointer           user_data,
                          const TbQueueItem *item,
                          gint64             now,
                          char             **rule,
                          gint64            *retry_at);
  void     (*place_call) (gpointer           user_data,
                          TbDialer          *dialer,
                          const TbQueueItem *item,
                          gint64             attempt_id);
  double   (*pacing)     (gpointer           user_data,
                          gint64             now);
  guint    (*line_room)  (gpointer           user_data,
                          gint64             now,
                          char             **why,
                          gint64            *next_free);
  gboolean (*pick_line)  (gpointer           user_data,
                          TbQueueItem       *item,
                          gint64             now,
                          char             **why,
                          gint64            *retry_at);
} TbDialerBackend;

typedef enum {
  TB_DIALER_STATE_IDLE,
  TB_DIALER_STATE_RUNNING,
  TB_DIALER_STATE_PAUSED,
  TB_DIALER_STATE_FINISHED,
} TbDialerState;

TbDialer      *tb_dialer_new             (TbStore               *store,
                                          gint64                 campaign_id,
                                          TbClock               *clock,
                                          const TbDialerBackend *backend,
                                          gpointer               user_data,
                                          GError               **error);
void           tb_dialer_start           (TbDialer              *self);
void           tb_dialer_pause           (TbDialer              *self);
void           tb_dialer_pause_for       (TbDialer              *self,
                                          const char            *reason);
TbDialerState  tb_dialer_get_state       (TbDialer              *self);
gint64         tb_dialer_get_wait        (TbDialer              *self,
                                          const char           **rule);
gint64         tb_dialer_get_campaign_id (TbDialer              *self);
/* Something outside the queue changed (a line of the pool is ready again): look again. */
void           tb_dialer_kick            (TbDialer              *self);
/* Reports the end of a call placed by @place_call: records the outcome and
 * schedules the retry (or, for an opt-out, cancels the number everywhere),
 * in one transaction. */
gboolean       tb_dialer_call_ended      (TbDialer              *self,
                                          gint64                 attempt_id,
                                          const TbAttemptResult *result,
                                          GError               **error);

guint          tb_dialer_pick_variant    (gint64                 campaign_id,
                                          gint64                 contact_id,
                                          int                    attempt,
                                          gboolean               per_retry,
                                          const int             *shares,
                                          guint                  n_variants);

G_END_DECLS
