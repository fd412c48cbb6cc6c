/* tb-live-call.h — what the window shows of one call in flight
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The call session updates it on the main loop; widgets bind to it. It holds
 * no widget and no line: it is the model of a live call card.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_TYPE_LIVE_TURN (tb_live_turn_get_type ())
G_DECLARE_FINAL_TYPE (TbLiveTurn, tb_live_turn, TB, LIVE_TURN, GObject)

const char *tb_live_turn_get_speaker (TbLiveTurn *self);
const char *tb_live_turn_get_text    (TbLiveTurn *self);

#define TB_TYPE_LIVE_CALL (tb_live_call_get_type ())
G_DECLARE_FINAL_TYPE (TbLiveCall, tb_live_call, TB, LIVE_CALL, GObject)

TbLiveCall *tb_live_call_new          (gint64      attempt_id,
                                       const char *name,
                                       const char *number);
gint64      tb_live_call_get_attempt_id (TbLiveCall *self);
const char *tb_live_call_get_name     (TbLiveCall *self);
const char *tb_live_call_get_number   (TbLiveCall *self);
/* "dialing", "ringing", "answered", "ended" */
const char *tb_live_call_get_state    (TbLiveCall *self);
void        tb_live_call_set_state    (TbLiveCall *self,
                                       const char *state);
/* When the call was answered (monotonic µs), 0 before. */
gint64      tb_live_call_get_answered_at (TbLiveCall *self);
const char *tb_live_call_get_node     (TbLiveCall *self);
void        tb_live_call_set_node     (TbLiveCall *self,
                                       const char *node);
/* The grade so far ("A".."E"), NULL before any. */
const char *tb_live_call_get_grade    (TbLiveCall *self);
void        tb_live_call_set_grade    (TbLiveCall *self,
                                       const char *grade);
/* The callee's level, 0..1. */
double      tb_live_call_get_level    (TbLiveCall *self);
void        tb_live_call_set_level    (TbLiveCall *self,
                                       double      level);
/* The last few transcript lines. (element-type TbLiveTurn) */
GListModel *tb_live_call_get_turns    (TbLiveCall *self);
void        tb_live_call_add_turn     (TbLiveCall *self,
                                       const char *speaker,
                                       const char *text);

G_END_DECLS
