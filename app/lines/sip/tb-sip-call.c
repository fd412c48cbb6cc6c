/* tb-sip-call.c — an outgoing SIP call: INVITE, ringing, early media, answer, BYE
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sofia-sip's nua runs with media disabled: we put our own SDP offer in the INVITE and read
 * the answer from 183/200, so codec choice and "no common codec" are ours to decide. nua
 * sends the ACK. The line's nua callback hands us the events of our handle.
 */
#define G_LOG_DOMAIN "tb-sip-call"

#include "config.h"

#include "tb-sip-call.h"
#include "tb-call-private.h"
#include "tb-line.h"
#include "tb-sip-sdp.h"

#include <sofia-sip/msg_header.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include <string.h>

#define SDP_NO_COMMON_CODEC 488

struct _TbSipCall
{
  TbCall           parent_instance;

  nua_handle_t    *nh;
  TbSipMedia      *media;
  char            *user;
  char            *password;
  guint            ring_timeout_ms;
  guint            rtp_timeout_ms;
  int              auth_attempts;

  TbCallEndReason  cancel_reason;   /* set when we sent CANCEL */
  gboolean         bye_sent;
  char            *local_ip;        /* for the SDP of our answers to re-INVITEs */
  guint64          sdp_session;
  guint            sdp_version;
  gboolean         held;            /* the far end put us on hold: no RTP is expected */
  GTask           *transfer_task;

  guint            ring_id;
  guint            rtp_check_id;
  guint            cancel_guard_id;
};

G_DEFINE_FINAL_TYPE (TbSipCall, tb_sip_call, TB_TYPE_CALL)

TbCallEndReason
tb_sip_end_reason_for_status (int status)
{
  switch (status) {
  case 486: case 600:
    return TB_CALL_END_REASON_BUSY;
  case 408: case 480:
    return TB_CALL_END_REASON_NO_ANSWER;
  case 603:
    return TB_CALL_END_REASON_REJECTED;
  case 404: case 410: case 484: case 485: case 604:
    return TB_CALL_END_REASON_UNREACHABLE;
  case 487:
    return TB_CALL_END_REASON_CANCELLED;
  default:
    /* We do not follow redirects: a 3xx means the number is not reachable from here. */
    return status >= 300 && status < 400 ? TB_CALL_END_REASON_UNREACHABLE
                                         : TB_CALL_END_REASON_FAILED;
  }
}

char *
tb_sip_auth_string (const sip_t *sip,
                    const char  *user,
                    const char  *password)
{
  const msg_auth_t *au = NULL;
  const char *realm;

  if (sip == NULL || user == NULL || password == NULL)
    return NULL;
  if (sip->sip_status && sip->sip_status->st_status == 407)
    au = sip->sip_proxy_authenticate;
  else
    au = sip->sip_www_authenticate;
  if (au == NULL || au->au_scheme == NULL)
    return NULL;
  realm = msg_params_find (au->au_params, "realm=");
  if (realm == NULL)
    return NULL;
  /* nua wants "scheme:\"realm\":user:password"; the realm param keeps its quotes. */
  return g_strdup_printf ("%s:%s:%s:%s", au->au_scheme, realm, user, password);
}

static void
clear_timers (TbSipCall *self)
{
  g_clear_handle_id (&self->ring_id, g_source_remove);
  g_clear_handle_id (&self->rtp_check_id, g_source_remove);
  g_clear_handle_id (&self->cancel_guard_id, g_source_remove);
}

static void
fail_transfer (TbSipCall  *self,
               const char *message)
{
  if (self->transfer_task != NULL) {
    GTask *task = g_steal_pointer (&self->transfer_task);

    g_task_return_new_error (task, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "transfer: %s", message);
    g_object_unref (task);
  }
}

static void
end_call (TbSipCall       *self,
          TbCallEndReason  reason,
          int              code,
          const char      *message)
{
  clear_timers (self);
  fail_transfer (self, "the call ended");
  _tb_call_end (TB_CALL (self), reason, code, message);
}

static void
send_bye (TbSipCall *self)
{
  if (self->nh != NULL && !self->bye_sent) {
    self->bye_sent = TRUE;
    nua_bye (self->nh, TAG_END ());
  }
}

#define FIRST_RTP_TIMEOUT_MS 12000

static gboolean
rtp_check_cb (gpointer data)
{
  TbSipCall *self = data;
  gint64 idle_ms = (g_get_monotonic_time () - tb_sip_media_get_last_rx (self->media)) / 1000;

  if (self->held)
    return G_SOURCE_CONTINUE;   /* on hold: silence is what we were told to expect */

  /* Not one packet since the answer: one-way audio (NAT, a firewall). A phone that sends RTP
   * only while its user speaks still sends the "Hello?", so this waits less than the
   * mid-call timeout but long enough for a slow greeting. */
  if (tb_sip_media_get_rx_packets (self->media) == 0 &&
      idle_ms >= MIN (self->rtp_timeout_ms, FIRST_RTP_TIMEOUT_MS)) {
    self->rtp_check_id = 0;
    send_bye (self);
    end_call (self, TB_CALL_END_REASON_MEDIA_TIMEOUT, 0,
              "no audio from the far end since the answer (one-way audio)");
    return G_SOURCE_REMOVE;
  }
  if (idle_ms < self->rtp_timeout_ms)
    return G_SOURCE_CONTINUE;
  self->rtp_check_id = 0;
  g_debug ("call %s: no RTP for %" G_GINT64_FORMAT " ms", tb_call_get_number (TB_CALL (self)),
           idle_ms);
  send_bye (self);
  end_call (self, TB_CALL_END_REASON_MEDIA_TIMEOUT, 0, "no audio from the far end");
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_guard_cb (gpointer data)
{
  TbSipCall *self = data;

  /* No final answer to our CANCEL: end anyway, the handle is cleaned up at shutdown. */
  self->cancel_guard_id = 0;
  end_call (self, self->cancel_reason, 0, "no answer to CANCEL");
  return G_SOURCE_REMOVE;
}

static void
send_cancel (TbSipCall       *self,
             TbCallEndReason  reason)
{
  if (self->cancel_reason != TB_CALL_END_REASON_NONE)
    return;
  self->cancel_reason = reason;
  g_clear_handle_id (&self->ring_id, g_source_remove);
  nua_cancel (self->nh, TAG_END ());
  self->cancel_guard_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 5000, cancel_guard_cb,
                                              g_object_ref (self), g_object_unref);
}

static gboolean
ring_timeout_cb (gpointer data)
{
  TbSipCall *self = data;

  self->ring_id = 0;
  send_cancel (self, TB_CALL_END_REASON_NO_ANSWER);
  return G_SOURCE_REMOVE;
}

static void
on_media_dtmf (char     digit,
               gpointer user_data)
{
  _tb_call_emit_dtmf (TB_CALL (user_data), digit);
}

/* Takes the SDP of a 183 or 2xx. FALSE when it is unusable (with @error). */
static gboolean
take_answer (TbSipCall    *self,
             const sip_t  *sip,
             GError      **error)
{
  TbSipSdpAnswer answer;

  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0) {
    if (tb_sip_media_get_source (self->media) != NULL)
      return TRUE;   /* the SDP came with the 183 */
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "the answer has no SDP");
    return FALSE;
  }
  if (!tb_sip_sdp_parse_answer (sip->sip_payload->pl_data, sip->sip_payload->pl_len, &answer,
                                error))
    return FALSE;
  tb_sip_media_set_remote (self->media, &answer);
  tb_sip_sdp_answer_clear (&answer);
  return TRUE;
}

static void
handle_invite_response (TbSipCall   *self,
                        int          status,
                        const char  *phrase,
                        const sip_t *sip)
{
  TbCallState state = tb_call_get_state (TB_CALL (self));
  g_autoptr(GError) error = NULL;

  if (state == TB_CALL_STATE_ENDED && status < 300)
    return;
  if (status < 180)
    return;

  if (status < 200) {
    if (self->cancel_reason != TB_CALL_END_REASON_NONE)
      return;
    if (status == 183 && sip && sip->sip_payload && sip->sip_payload->pl_len > 0 &&
        take_answer (self, sip, NULL)) {
      _tb_call_set_state (TB_CALL (self), TB_CALL_STATE_EARLY_MEDIA);
    } else if (state == TB_CALL_STATE_DIALING) {
      _tb_call_set_state (TB_CALL (self), TB_CALL_STATE_RINGING);
    }
    return;
  }

  if (status < 300) {
    g_clear_handle_id (&self->ring_id, g_source_remove);
    if (self->cancel_reason != TB_CALL_END_REASON_NONE) {
      /* The answer crossed our CANCEL: hang up at once. */
      send_bye (self);
      end_call (self, self->cancel_reason, 0, "answered after CANCEL");
      return;
    }
    if (state == TB_CALL_STATE_ANSWERED)
      return;   /* a retransmitted 200 */
    if (!take_answer (self, sip, &error)) {
      send_bye (self);
      end_call (self, TB_CALL_END_REASON_FAILED, SDP_NO_COMMON_CODEC, error->message);
      return;
    }
    _tb_call_set_state (TB_CALL (self), TB_CALL_STATE_ANSWERED);
    self->rtp_check_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 500, rtp_check_cb,
                                             g_object_ref (self), g_object_unref);
    return;
  }

  if ((status == 401 || status == 407) && self->auth_attempts < 1 &&
      self->cancel_reason == TB_CALL_END_REASON_NONE) {
    g_autofree char *auth = tb_sip_auth_string (sip, self->user, self->password);

    if (auth != NULL) {
      self->auth_attempts++;
      nua_authenticate (self->nh, NUTAG_AUTH (auth), TAG_END ());
      return;
    }
  }

  if (status == 487 && self->cancel_reason != TB_CALL_END_REASON_NONE) {
    end_call (self, self->cancel_reason, status, phrase);
    return;
  }
  /* A server out of service (503) may say for how long: the line's users wait that long. */
  if (sip != NULL && sip->sip_retry_after != NULL)
    _tb_call_set_retry_after (TB_CALL (self), (guint) MIN (sip->sip_retry_after->af_delta,
                                                           G_MAXUINT));
  end_call (self, tb_sip_end_reason_for_status (status), status, phrase);
}

static void
handle_notify (TbSipCall   *self,
               const sip_t *sip)
{
  const char *frag;

  /* REFER progress: a message/sipfrag "SIP/2.0 200 OK" means the transfer went through. */
  if (sip == NULL || sip->sip_event == NULL || g_strcmp0 (sip->sip_event->o_type, "refer") != 0 ||
      sip->sip_payload == NULL)
    return;
  frag = sip->sip_payload->pl_data;
  if (sip->sip_payload->pl_len >= 10 && strncmp (frag, "SIP/2.0 2", 9) == 0 &&
      tb_call_get_state (TB_CALL (self)) == TB_CALL_STATE_ANSWERED) {
    send_bye (self);
    end_call (self, TB_CALL_END_REASON_COMPLETED, 0, "transferred");
  }
}

/* A re-INVITE of the far end on our call: hold, resume, a session refresh, a new media
 * address after a transfer. Answered at once (left at 100 Trying, the far end gives up and
 * the media times out): our SDP mirrors its direction; a new address or codec is taken. */
static void
handle_reinvite (TbSipCall   *self,
                 const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sdp = NULL;
  TbSipSdpAnswer offer;

  if (tb_call_get_state (TB_CALL (self)) != TB_CALL_STATE_ANSWERED) {
    nua_respond (self->nh, 491, "Request Pending", TAG_END ());
    return;
  }
  self->sdp_version++;
  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0) {
    /* No offer in it: ours goes in the 200, the answer in the ACK (which we take as is). */
    sdp = tb_sip_sdp_build_offer (self->local_ip, tb_sip_media_get_local_port (self->media),
                                  self->sdp_session);
  } else if (!tb_sip_sdp_parse_answer (sip->sip_payload->pl_data, sip->sip_payload->pl_len,
                                       &offer, &error)) {
    g_debug ("call %s: re-INVITE refused: %s", tb_call_get_number (TB_CALL (self)),
             error->message);
    nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE, TAG_END ());
    return;
  } else {
    gboolean was_held = self->held;

    self->held = !g_str_equal (offer.direction, "sendrecv") &&
                 !g_str_equal (offer.direction, "recvonly");
    if (was_held && !self->held)
      tb_sip_media_restart_rx_clock (self->media);   /* the hold's silence is not a timeout */
    if (!g_str_equal (offer.address, "0.0.0.0"))
      tb_sip_media_set_remote (self->media, &offer);
    sdp = tb_sip_sdp_build_answer (self->local_ip, tb_sip_media_get_local_port (self->media),
                                   self->sdp_session, self->sdp_version, &offer);
    g_debug ("call %s: re-INVITE (%s) answered", tb_call_get_number (TB_CALL (self)),
             offer.direction);
    tb_sip_sdp_answer_clear (&offer);
  }
  nua_respond (self->nh, SIP_200_OK,
               SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (sdp),
               TAG_END ());
}

void
tb_sip_call_handle_event (TbSipCall   *self,
                          nua_event_t  event,
                          int          status,
                          const char  *phrase,
                          const sip_t *sip,
                          tagi_t       tags[])
{
  g_autoptr(TbSipCall) hold = g_object_ref (self);

  switch (event) {
  case nua_r_invite:
    handle_invite_response (self, status, phrase, sip);
    break;
  case nua_i_invite:
    handle_reinvite (self, sip);
    break;
  case nua_i_bye:
    end_call (self, TB_CALL_END_REASON_COMPLETED, 0, "the callee hung up");
    break;
  case nua_r_refer:
    if (self->transfer_task != NULL && status >= 200) {
      GTask *task = g_steal_pointer (&self->transfer_task);

      if (status < 300)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_new_error (task, TB_LINE_ERROR, TB_LINE_ERROR_FAILED,
                                 "transfer: REFER answered %d %s", status, phrase);
      g_object_unref (task);
    }
    break;
  case nua_i_notify:
    handle_notify (self, sip);
    break;
  case nua_i_state: {
    int callstate = nua_callstate_init;

    tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), TAG_END ());
    if (callstate == nua_callstate_terminated &&
        tb_call_get_state (TB_CALL (self)) != TB_CALL_STATE_ENDED)
      end_call (self, tb_call_get_state (TB_CALL (self)) == TB_CALL_STATE_ANSWERED
                        ? TB_CALL_END_REASON_COMPLETED : TB_CALL_END_REASON_FAILED,
                status >= 300 ? status : 0, phrase);
    break;
  }
  default:
    break;
  }
}

static void
tb_sip_call_hang_up (TbCall *call)
{
  TbSipCall *self = TB_SIP_CALL (call);

  switch (tb_call_get_state (call)) {
  case TB_CALL_STATE_ANSWERED:
    send_bye (self);
    end_call (self, TB_CALL_END_REASON_COMPLETED, 0, NULL);
    break;
  case TB_CALL_STATE_DIALING:
  case TB_CALL_STATE_RINGING:
  case TB_CALL_STATE_EARLY_MEDIA:
    send_cancel (self, TB_CALL_END_REASON_CANCELLED);
    break;
  case TB_CALL_STATE_ENDED:
  default:
    break;
  }
}

static gboolean
tb_sip_call_send_dtmf (TbCall      *call,
                       const char  *digits,
                       GError     **error)
{
  return tb_sip_media_send_dtmf (TB_SIP_CALL (call)->media, digits, error);
}

static void
tb_sip_call_transfer_async (TbCall              *call,
                            const char          *target,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  TbSipCall *self = TB_SIP_CALL (call);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tb_sip_call_transfer_async);
  if (self->transfer_task != NULL) {
    g_task_return_new_error (task, TB_LINE_ERROR, TB_LINE_ERROR_WRONG_STATE,
                             "transfer to %s: another transfer is pending", target);
    return;
  }
  self->transfer_task = g_steal_pointer (&task);
  nua_refer (self->nh, SIPTAG_REFER_TO_STR (target), TAG_END ());
}

static gboolean
tb_sip_call_transfer_finish (TbCall        *call,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GstElement *
tb_sip_call_get_audio_source (TbCall *call)
{
  return tb_sip_media_get_source (TB_SIP_CALL (call)->media);
}

static GstElement *
tb_sip_call_get_audio_sink (TbCall *call)
{
  return tb_sip_media_get_sink (TB_SIP_CALL (call)->media);
}

static void
tb_sip_call_dispose (GObject *object)
{
  TbSipCall *self = TB_SIP_CALL (object);

  clear_timers (self);
  fail_transfer (self, "the call was dropped");
  if (self->media != NULL)
    tb_sip_media_set_dtmf_func (self->media, NULL, NULL);
  g_clear_object (&self->media);

  G_OBJECT_CLASS (tb_sip_call_parent_class)->dispose (object);
}

static void
tb_sip_call_finalize (GObject *object)
{
  TbSipCall *self = TB_SIP_CALL (object);

  g_free (self->user);
  g_free (self->local_ip);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);

  G_OBJECT_CLASS (tb_sip_call_parent_class)->finalize (object);
}

static gboolean
tb_sip_call_has_far_end_media (TbCall *call)
{
  TbSipCall *self = TB_SIP_CALL (call);

  return self->media != NULL && tb_sip_media_get_rx_packets (self->media) > 0;
}

static void
tb_sip_call_class_init (TbSipCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TbCallClass *call_class = TB_CALL_CLASS (klass);

  object_class->dispose = tb_sip_call_dispose;
  object_class->finalize = tb_sip_call_finalize;
  call_class->hang_up = tb_sip_call_hang_up;
  call_class->send_dtmf = tb_sip_call_send_dtmf;
  call_class->transfer_async = tb_sip_call_transfer_async;
  call_class->transfer_finish = tb_sip_call_transfer_finish;
  call_class->get_audio_source = tb_sip_call_get_audio_source;
  call_class->get_audio_sink = tb_sip_call_get_audio_sink;
  call_class->has_far_end_media = tb_sip_call_has_far_end_media;
}

static void
tb_sip_call_init (TbSipCall *self)
{
}

TbSipCall *
tb_sip_call_new (const char             *number,
                 nua_t                  *nua,
                 const TbSipCallParams  *params,
                 GError                **error)
{
  g_autoptr(TbSipCall) self = g_object_new (TB_TYPE_SIP_CALL, "number", number, NULL);
  g_autofree char *sdp = NULL;

  self->media = tb_sip_media_new (params->local_ip, error);
  if (self->media == NULL)
    return NULL;
  tb_sip_media_set_dtmf_func (self->media, on_media_dtmf, self);
  self->user = g_strdup (params->user);
  self->password = g_strdup (params->password);
  self->ring_timeout_ms = params->ring_timeout_ms;
  self->rtp_timeout_ms = params->rtp_timeout_ms;

  self->local_ip = g_strdup (params->local_ip);
  self->sdp_session = (guint64) g_get_real_time ();
  self->sdp_version = 1;
  sdp = tb_sip_sdp_build_offer (params->local_ip, tb_sip_media_get_local_port (self->media),
                                self->sdp_session);
  self->nh = nua_handle (nua, self,
                         NUTAG_URL (params->uri),
                         SIPTAG_TO_STR (params->uri),
                         SIPTAG_FROM_STR (params->from),
                         TAG_END ());
  if (self->nh == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID, "dial %s: bad SIP URI \"%s\"",
                 number, params->uri);
    return NULL;
  }
  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (sdp),
              TAG_IF (params->extra_headers != NULL, SIPTAG_HEADER_STR (params->extra_headers)),
              TAG_END ());
  self->ring_id = g_timeout_add_full (G_PRIORITY_DEFAULT, params->ring_timeout_ms,
                                      ring_timeout_cb, g_object_ref (self), g_object_unref);
  return g_steal_pointer (&self);
}

nua_handle_t *
tb_sip_call_get_handle (TbSipCall *self)
{
  g_return_val_if_fail (TB_IS_SIP_CALL (self), NULL);
  return self->nh;
}

TbSipMedia *
tb_sip_call_get_media (TbSipCall *self)
{
  g_return_val_if_fail (TB_IS_SIP_CALL (self), NULL);
  return self->media;
}

void
tb_sip_call_abandon (TbSipCall *self)
{
  g_return_if_fail (TB_IS_SIP_CALL (self));

  if (tb_call_get_state (TB_CALL (self)) != TB_CALL_STATE_ENDED)
    end_call (self, TB_CALL_END_REASON_FAILED, 0, "the line stopped");
  self->nh = NULL;
}
