/* tb-modem-call.h — one voice call on a modem, as a TbCall
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * State, end reason, protocol code, end message and duration are TbCall's (tb_call_get_*());
 * this adds only what a modem call has of its own.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "tb-call.h"
#include "tb-modem-types.h"

G_BEGIN_DECLS

#define TB_TYPE_MODEM_CALL (tb_modem_call_get_type ())
G_DECLARE_FINAL_TYPE (TbModemCall, tb_modem_call, TB, MODEM_CALL, TbCall)

/* TRUE when the far end (or the network) ended the call, not tb_call_hang_up(). */
gboolean          tb_modem_call_get_remote_ended    (TbModemCall          *self);
guint64           tb_modem_call_get_audio_bytes_in  (TbModemCall          *self);
guint64           tb_modem_call_get_audio_bytes_out (TbModemCall          *self);

/* Sends @digits (0-9 * # A-D) one AT+VTS each and says when the modem has sent them all
 * (tb_call_send_dtmf() checks and queues them without waiting). */
void              tb_modem_call_send_dtmf_async     (TbModemCall          *self,
                                                     const char           *digits,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          tb_modem_call_send_dtmf_finish    (TbModemCall          *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
