/* tb-sim-call.h — a call answered (or not) by a simulated person
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-call.h"
#include "tb-sim-persona.h"

G_BEGIN_DECLS

/* In fast mode the line's timers (ringing, answer) run this many times faster than real time;
 * audio is lockstep and runs as fast as the media session feeds it. */
#define TB_SIM_FAST_FACTOR 20

#define TB_TYPE_SIM_CALL (tb_sim_call_get_type ())
G_DECLARE_FINAL_TYPE (TbSimCall, tb_sim_call, TB, SIM_CALL, TbCall)

TbSimCall          *tb_sim_call_new         (const char         *number,
                                             const TbSimPersona *persona,
                                             const char         *language,
                                             gboolean            fast,
                                             guint               ring_ms,
                                             guint               ring_timeout_ms);
const TbSimPersona *tb_sim_call_get_persona (TbSimCall          *self);
/* The DTMF keys the bot sent to this callee so far. */
const char         *tb_sim_call_get_dtmf_heard (TbSimCall       *self);
/* The oldest turn the callee has begun to say and nobody took yet (its words, as the
 * persona table has them), or NULL. What a rehearsal "hears". */
char               *tb_sim_call_take_said   (TbSimCall          *self);
void                tb_sim_call_hear        (TbSimCall          *self,
                                             const char         *text);

G_END_DECLS
