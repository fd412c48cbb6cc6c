/* tb-line-pool.h — the lines a campaign dials over, and which one takes the next call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue #20. A campaign has a pool of lines (any mix of sim lines, SIP accounts, modems), each
 * with its own call limit and caller number; one queue, one set of caps and one dialer use
 * them all. Per dial the pool picks a line with free capacity (its max-calls minus the calls
 * it carries), READY lines first, then round-robin. A line in ERROR (a modem unplugged, a SIP
 * account refused) or whose calls keep failing is out of the pick until it is READY again or
 * its cool-down ends; the campaign goes on over the others.
 */
#pragma once

#include "tb-line.h"
#include "tb-store.h"

G_BEGIN_DECLS

/* Calls in a row that fail on one line before the pool rests it. */
#define TB_LINE_POOL_MAX_FAILURES 5
/* How long a line that keeps failing rests before it is tried again, in seconds. */
#define TB_LINE_POOL_REST_S 30

#define TB_TYPE_LINE_POOL (tb_line_pool_get_type ())
G_DECLARE_FINAL_TYPE (TbLinePool, tb_line_pool, TB, LINE_POOL, GObject)

/* The pool of campaign @campaign_id, its lines started (held in the line registry). @fast:
 * sim lines run faster than real time. NULL with @error when the campaign has no line or a
 * line cannot be built. */
TbLinePool *tb_line_pool_new              (TbStore     *store,
                                           gint64       campaign_id,
                                           gboolean     fast,
                                           GError     **error);
guint       tb_line_pool_get_n_lines      (TbLinePool  *self);
/* (transfer none) the line at @position, or NULL */
TbLine     *tb_line_pool_get_line         (TbLinePool  *self,
                                           guint        position);
/* (transfer none) the line with store id @line_id, or NULL */
TbLine     *tb_line_pool_lookup           (TbLinePool  *self,
                                           gint64       line_id);
/* How many more calls the pool can take now; when none, @why (optional, newly allocated)
 * says why ("no line can dial: m1: the modem's port is gone; s1: 2 calls at once, all busy"). */
guint       tb_line_pool_get_room         (TbLinePool  *self,
                                           char       **why);
/* Chooses the line for the next dial and reserves a place on it: its store id and the caller
 * number it presents (NULL: none of its own). A retry goes out on another line than
 * @last_line_id (the contact's last attempt) when one has room. FALSE when no line has. */
gboolean    tb_line_pool_pick             (TbLinePool  *self,
                                           gint64       last_line_id,
                                           gint64      *line_id,
                                           char       **caller_id);
/* The call reserved on @line_id is over; @end_reason is its TbCall's ("failed": the line
 * failed it; TB_LINE_POOL_MAX_FAILURES in a row rest the line). Returns what the call's end
 * reason should say when the line went to error under it ("line m1: the modem port went
 * away"), else NULL (newly allocated). */
char       *tb_line_pool_call_ended       (TbLinePool  *self,
                                           gint64       line_id,
                                           const char  *end_reason);
/* Whether the line is in the pick now; @why (optional, newly allocated) when it is not. */
gboolean    tb_line_pool_is_usable        (TbLinePool  *self,
                                           guint        position,
                                           char       **why);
/* Calls the pool placed on the line at @position and has not seen end. */
guint       tb_line_pool_get_in_flight    (TbLinePool  *self,
                                           guint        position);

G_END_DECLS
