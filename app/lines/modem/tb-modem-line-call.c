/* tb-modem-line-call.c — a TbModemCall as a TbCall
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only translation: TbModemCall:state and end reason to _tb_call_set_state/_tb_call_end, and
 * TbCall's vfuncs to the modem call. Written against the lines branch's tb-call.h (commit
 * e173071); the lead builds it at merge.
 */
#define G_LOG_DOMAIN "tb-modem-line-call"

#include "config.h"

#include "tb-call-private.h"
#include "tb-line.h"
#include "tb-modem-line-call.h"

#include <string.h>

struct _TbModemLineCall
{
  TbCall        parent_instance;
  TbModemCall  *modem_call;   /* owned */
};

G_DEFINE_FINAL_TYPE (TbModemLineCall, tb_modem_line_call, TB_TYPE_CALL)

static TbCallEndReason
map_reason (TbModemEndReason reason)
{
  switch (reason) {
  case TB_MODEM_END_REASON_COMPLETED: return TB_CALL_END_REASON_COMPLETED;
  case TB_MODEM_END_REASON_BUSY: return TB_CALL_END_REASON_BUSY;
  case TB_MODEM_END_REASON_NO_ANSWER: return TB_CALL_END_REASON_NO_ANSWER;
  case TB_MODEM_END_REASON_REJECTED: return TB_CALL_END_REASON_REJECTED;
  case TB_MODEM_END_REASON_UNREACHABLE: return TB_CALL_END_REASON_UNREACHABLE;
  case TB_MODEM_END_REASON_CANCELLED: return TB_CALL_END_REASON_CANCELLED;
  case TB_MODEM_END_REASON_MEDIA_TIMEOUT: return TB_CALL_END_REASON_MEDIA_TIMEOUT;
  case TB_MODEM_END_REASON_FAILED:
  case TB_MODEM_END_REASON_NONE:
  default: return TB_CALL_END_REASON_FAILED;
  }
}

static void
on_modem_call_state (TbModemCall     *modem_call,
                     GParamSpec      *pspec,
                     TbModemLineCall *self)
{
  switch (tb_modem_call_get_state (modem_call)) {
  case TB_MODEM_CALL_STATE_RINGING:
    _tb_call_set_state (TB_CALL (self), TB_CALL_STATE_RINGING);
    break;
  case TB_MODEM_CALL_STATE_ANSWERED:
    _tb_call_set_state (TB_CALL (self), TB_CALL_STATE_ANSWERED);
    break;
  case TB_MODEM_CALL_STATE_ENDED:
    _tb_call_end (TB_CALL (self), map_reason (tb_modem_call_get_end_reason (modem_call)),
                  tb_modem_call_get_protocol_code (modem_call),
                  tb_modem_call_get_end_message (modem_call));
    break;
  case TB_MODEM_CALL_STATE_DIALING:  /* where a TbCall starts */
  default:
    break;
  }
}

static void
tb_modem_line_call_hang_up (TbCall *call)
{
  tb_modem_call_hang_up (TB_MODEM_LINE_CALL (call)->modem_call);
}

static void
dtmf_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tb_modem_call_send_dtmf_finish (TB_MODEM_CALL (source), result, &error))
    g_debug ("DTMF: %s", error->message);
}

/* TbCall's DTMF is synchronous; AT+VTS takes a round trip per digit, so check the digits
 * here and let the modem send them in the background. */
static gboolean
tb_modem_line_call_send_dtmf (TbCall      *call,
                              const char  *digits,
                              GError     **error)
{
  for (const char *p = digits; *p != '\0'; p++) {
    if (!g_ascii_isdigit (*p) && strchr ("*#ABCDabcd", *p) == NULL) {
      g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                   "call to %s: DTMF \"%s\": '%c' is not a DTMF digit",
                   tb_call_get_number (call), digits, *p);
      return FALSE;
    }
  }
  tb_modem_call_send_dtmf_async (TB_MODEM_LINE_CALL (call)->modem_call, digits, NULL, dtmf_cb,
                                 NULL);
  return TRUE;
}

static GstElement *
tb_modem_line_call_get_audio_source (TbCall *call)
{
  return tb_modem_call_get_audio_source (TB_MODEM_LINE_CALL (call)->modem_call);
}

static GstElement *
tb_modem_line_call_get_audio_sink (TbCall *call)
{
  return tb_modem_call_get_audio_sink (TB_MODEM_LINE_CALL (call)->modem_call);
}

static gboolean
tb_modem_line_call_is_realtime (TbCall *call)
{
  return tb_modem_call_is_realtime (TB_MODEM_LINE_CALL (call)->modem_call);
}

static void
tb_modem_line_call_dispose (GObject *object)
{
  TbModemLineCall *self = TB_MODEM_LINE_CALL (object);

  if (self->modem_call != NULL)
    g_signal_handlers_disconnect_by_data (self->modem_call, self);
  g_clear_object (&self->modem_call);
  G_OBJECT_CLASS (tb_modem_line_call_parent_class)->dispose (object);
}

static void
tb_modem_line_call_class_init (TbModemLineCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TbCallClass *call_class = TB_CALL_CLASS (klass);

  object_class->dispose = tb_modem_line_call_dispose;
  call_class->hang_up = tb_modem_line_call_hang_up;
  call_class->send_dtmf = tb_modem_line_call_send_dtmf;
  call_class->get_audio_source = tb_modem_line_call_get_audio_source;
  call_class->get_audio_sink = tb_modem_line_call_get_audio_sink;
  call_class->is_realtime = tb_modem_line_call_is_realtime;
  /* transfer: a modem has no REFER; the base class reports NOT_SUPPORTED. */
}

static void
tb_modem_line_call_init (TbModemLineCall *self)
{
}

TbModemLineCall *
tb_modem_line_call_new (TbModemCall *modem_call)
{
  TbModemLineCall *self;

  g_return_val_if_fail (TB_IS_MODEM_CALL (modem_call), NULL);

  self = g_object_new (TB_TYPE_MODEM_LINE_CALL,
                       "number", tb_modem_call_get_number (modem_call),
                       NULL);
  self->modem_call = g_object_ref (modem_call);
  g_signal_connect (modem_call, "notify::state", G_CALLBACK (on_modem_call_state), self);
  /* The modem may already have moved on (a dial that failed at once). */
  if (tb_modem_call_get_state (modem_call) != TB_MODEM_CALL_STATE_DIALING)
    on_modem_call_state (modem_call, NULL, self);
  return self;
}

TbModemCall *
tb_modem_line_call_get_modem_call (TbModemLineCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_LINE_CALL (self), NULL);
  return self->modem_call;
}
