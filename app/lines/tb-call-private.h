/* tb-call-private.h — for TbCall's backends (app/lines/ only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-call.h"

G_BEGIN_DECLS

/* Moves the call to @state (not ENDED: use _tb_call_end). Returns FALSE, with a critical,
 * on an illegal transition; the same state again is a no-op returning TRUE. */
gboolean _tb_call_set_state (TbCall          *self,
                             TbCallState      state);
/* Ends the call once; later calls are ignored (returns FALSE). @message may be NULL. */
gboolean _tb_call_end       (TbCall          *self,
                             TbCallEndReason  reason,
                             int              protocol_code,
                             const char      *message);
/* Sets tb_call_get_retry_after(), before the call ends. */
void     _tb_call_set_retry_after (TbCall          *self,
                                   guint            seconds);
/* Emits "dtmf-received" on the main context of the call, from any thread. */
void     _tb_call_emit_dtmf (TbCall          *self,
                             char             digit);

G_END_DECLS
