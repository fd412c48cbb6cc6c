/* tb-call.h — one phone call on a TbLine: its state machine, DTMF, transfer, audio endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * TbCallState:
 * @TB_CALL_STATE_DIALING: the line is placing the call
 * @TB_CALL_STATE_RINGING: the callee's phone rings (SIP 180)
 * @TB_CALL_STATE_EARLY_MEDIA: the network plays audio before the answer (SIP 183)
 * @TB_CALL_STATE_ANSWERED: the callee (or a machine) answered
 * @TB_CALL_STATE_ENDED: over; see #TbCall:end-reason
 *
 * Legal order: DIALING → (RINGING) → (EARLY_MEDIA) → (ANSWERED) → ENDED, each state at most once,
 * any state may go straight to ENDED.
 */
typedef enum {
  TB_CALL_STATE_DIALING,
  TB_CALL_STATE_RINGING,
  TB_CALL_STATE_EARLY_MEDIA,
  TB_CALL_STATE_ANSWERED,
  TB_CALL_STATE_ENDED,
} TbCallState;

/**
 * TbCallEndReason:
 * @TB_CALL_END_REASON_NONE: the call has not ended
 * @TB_CALL_END_REASON_COMPLETED: answered, then hung up by either side
 * @TB_CALL_END_REASON_BUSY: the callee was busy (SIP 486/600)
 * @TB_CALL_END_REASON_NO_ANSWER: nobody answered before the ring timeout (or SIP 408/480)
 * @TB_CALL_END_REASON_REJECTED: the callee declined (SIP 603)
 * @TB_CALL_END_REASON_UNREACHABLE: no such number or no route (SIP 404/484/604, 3xx)
 * @TB_CALL_END_REASON_FAILED: any other failure; #TbCall:protocol-code says which
 * @TB_CALL_END_REASON_CANCELLED: we hung up before the answer
 * @TB_CALL_END_REASON_MEDIA_TIMEOUT: no audio arrived for too long on an answered call
 */
typedef enum {
  TB_CALL_END_REASON_NONE,
  TB_CALL_END_REASON_COMPLETED,
  TB_CALL_END_REASON_BUSY,
  TB_CALL_END_REASON_NO_ANSWER,
  TB_CALL_END_REASON_REJECTED,
  TB_CALL_END_REASON_UNREACHABLE,
  TB_CALL_END_REASON_FAILED,
  TB_CALL_END_REASON_CANCELLED,
  TB_CALL_END_REASON_MEDIA_TIMEOUT,
} TbCallEndReason;

#define TB_TYPE_CALL (tb_call_get_type ())
G_DECLARE_DERIVABLE_TYPE (TbCall, tb_call, TB, CALL, GObject)

struct _TbCallClass
{
  GObjectClass parent_class;

  /* Backends implement these; the public wrappers check the state first. */
  void        (*hang_up)          (TbCall      *self);
  gboolean    (*send_dtmf)        (TbCall      *self,
                                   const char  *digits,
                                   GError     **error);
  void        (*transfer_async)   (TbCall              *self,
                                   const char          *target,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  gboolean    (*transfer_finish)  (TbCall        *self,
                                   GAsyncResult  *result,
                                   GError       **error);
  GstElement *(*get_audio_source) (TbCall      *self);
  GstElement *(*get_audio_sink)   (TbCall      *self);
  gboolean    (*is_realtime)      (TbCall      *self);
  gboolean    (*has_far_end_media) (TbCall     *self);

  gpointer padding[7];
};

const char      *tb_call_get_number          (TbCall       *self);
TbCallState      tb_call_get_state           (TbCall       *self);
TbCallEndReason  tb_call_get_end_reason      (TbCall       *self);
int              tb_call_get_protocol_code   (TbCall       *self);
const char      *tb_call_get_end_message     (TbCall       *self);
/* Seconds the far end asked to wait before the next call (SIP: the Retry-After of a final
 * answer such as 503); 0 when it did not say. */
guint            tb_call_get_retry_after     (TbCall       *self);
gint64           tb_call_get_dialed_at       (TbCall       *self);
gint64           tb_call_get_answered_at     (TbCall       *self);
gint64           tb_call_get_ended_at        (TbCall       *self);
gint64           tb_call_get_duration_ms     (TbCall       *self);

void             tb_call_hang_up             (TbCall       *self);
gboolean         tb_call_send_dtmf           (TbCall       *self,
                                              const char   *digits,
                                              GError      **error);
void             tb_call_transfer_async      (TbCall              *self,
                                              const char          *target,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean         tb_call_transfer_finish     (TbCall        *self,
                                              GAsyncResult  *result,
                                              GError       **error);

GstElement      *tb_call_get_audio_source    (TbCall       *self);
GstElement      *tb_call_get_audio_sink      (TbCall       *self);
gboolean         tb_call_is_realtime         (TbCall       *self);
/* Whether any audio of the far end arrived since the answer. FALSE on an answered call is
 * one-way audio (NAT, a firewall): nobody was heard, so nothing can be graded. */
gboolean         tb_call_has_far_end_media   (TbCall       *self);

const char      *tb_call_state_to_string      (TbCallState      state);
const char      *tb_call_end_reason_to_string (TbCallEndReason  reason);

/* The caps of both sides of the audio endpoint (the audio contract, app/lines/README.md). */
#define TB_CALL_AUDIO_CAPS \
  "audio/x-raw, format=(string)S16LE, rate=(int)8000, channels=(int)1, layout=(string)interleaved"

G_END_DECLS
