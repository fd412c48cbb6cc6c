/* tb-modem-call.h — one voice call on a modem: its state, end reason and audio endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "tb-modem-types.h"

G_BEGIN_DECLS

#define TB_TYPE_MODEM_CALL (tb_modem_call_get_type ())
G_DECLARE_FINAL_TYPE (TbModemCall, tb_modem_call, TB, MODEM_CALL, GObject)

const char       *tb_modem_call_get_number        (TbModemCall          *self);
TbModemCallState  tb_modem_call_get_state         (TbModemCall          *self);
TbModemEndReason  tb_modem_call_get_end_reason    (TbModemCall          *self);
/* The cause the network gave (Huawei ^CEND cc_cause, +CME error), 0 if none. */
int               tb_modem_call_get_protocol_code (TbModemCall          *self);
/* A sentence for people on why the call ended, or NULL while it runs. */
const char       *tb_modem_call_get_end_message   (TbModemCall          *self);
/* Milliseconds from ANSWERED to ENDED (or to now); 0 if never answered. */
gint64            tb_modem_call_get_duration_ms   (TbModemCall          *self);
/* TRUE when the far end (or the network) ended the call, not tb_modem_call_hang_up(). */
gboolean          tb_modem_call_get_remote_ended  (TbModemCall          *self);

/* (transfer none) The callee's voice / the bot's voice (the audio contract,
 * app/lines/README.md). */
GstElement       *tb_modem_call_get_audio_source  (TbModemCall          *self);
GstElement       *tb_modem_call_get_audio_sink    (TbModemCall          *self);
gboolean          tb_modem_call_is_realtime       (TbModemCall          *self);
guint64           tb_modem_call_get_audio_bytes_in  (TbModemCall        *self);
guint64           tb_modem_call_get_audio_bytes_out (TbModemCall        *self);

/* Ends the call (AT+CHUP). Before an answer the end reason is "cancelled". */
void              tb_modem_call_hang_up           (TbModemCall          *self);
/* Sends @digits (0-9 * # A-D) one AT+VTS each. */
void              tb_modem_call_send_dtmf_async   (TbModemCall          *self,
                                                   const char           *digits,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          tb_modem_call_send_dtmf_finish  (TbModemCall          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
