/* tb-modem-call.c — one voice call on a modem, as a TbCall
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The device (tb-modem-device-call.c) drives the state through _tb_modem_call_set_state() and
 * _tb_modem_call_set_ended(). The state only moves forward; modems report late and twice
 * (+CLCC polls lag ^CONN), so a step back is dropped, not an error.
 */
#define G_LOG_DOMAIN "tb-modem-call"

#include "config.h"

#include "tb-modem-call.h"

#include "tb-call-private.h"
#include "tb-modem-device-private.h"

struct _TbModemCall
{
  TbCall            parent_instance;

  TbModemDevice    *device;        /* weak */
  TbModemAudio     *audio;         /* owned */
  gboolean          hangup_requested;
};

G_DEFINE_FINAL_TYPE (TbModemCall, tb_modem_call, TB_TYPE_CALL)

static void
tb_modem_call_hang_up (TbCall *call)
{
  TbModemCall *self = TB_MODEM_CALL (call);

  if (self->hangup_requested)
    return;
  self->hangup_requested = TRUE;
  if (self->device == NULL) {
    _tb_call_end (call, TB_CALL_END_REASON_CANCELLED, 0, "the modem is gone");
    return;
  }
  _tb_modem_device_hang_up (self->device, self);
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

/* TbCall's DTMF does not wait (tb_call_send_dtmf() has checked the state and the keys);
 * AT+VTS takes a round trip per digit, so the modem sends them in the background. */
static gboolean
tb_modem_call_send_dtmf (TbCall      *call,
                         const char  *digits,
                         GError     **error)
{
  tb_modem_call_send_dtmf_async (TB_MODEM_CALL (call), digits, NULL, dtmf_cb, NULL);
  return TRUE;
}

static GstElement *
tb_modem_call_get_audio_source (TbCall *call)
{
  return tb_modem_audio_get_source (TB_MODEM_CALL (call)->audio);
}

static GstElement *
tb_modem_call_get_audio_sink (TbCall *call)
{
  return tb_modem_audio_get_sink (TB_MODEM_CALL (call)->audio);
}

static void
tb_modem_call_dispose (GObject *object)
{
  TbModemCall *self = TB_MODEM_CALL (object);

  if (self->device != NULL) {
    g_object_remove_weak_pointer (G_OBJECT (self->device), (gpointer *) &self->device);
    self->device = NULL;
  }
  g_clear_object (&self->audio);
  G_OBJECT_CLASS (tb_modem_call_parent_class)->dispose (object);
}

static void
tb_modem_call_class_init (TbModemCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TbCallClass *call_class = TB_CALL_CLASS (klass);

  object_class->dispose = tb_modem_call_dispose;
  call_class->hang_up = tb_modem_call_hang_up;
  call_class->send_dtmf = tb_modem_call_send_dtmf;
  call_class->get_audio_source = tb_modem_call_get_audio_source;
  call_class->get_audio_sink = tb_modem_call_get_audio_sink;
  /* is_realtime: the base's TRUE (a modem talks to a real network at wall-clock pace);
   * has_far_end_media: the base's TRUE (a modem that goes quiet is a media_timeout of its
   * own); transfer: a modem has no REFER, the base reports NOT_SUPPORTED. */
}

static void
tb_modem_call_init (TbModemCall *self)
{
}

TbModemCall *
_tb_modem_call_new (TbModemDevice *device,
                    const char    *number,
                    TbModemAudio  *audio)
{
  TbModemCall *self = g_object_new (TB_TYPE_MODEM_CALL, "number", number, NULL);

  self->device = device;
  g_object_add_weak_pointer (G_OBJECT (device), (gpointer *) &self->device);
  self->audio = g_object_ref (audio);
  return self;
}

TbModemAudio *
_tb_modem_call_get_audio (TbModemCall *self)
{
  return self->audio;
}

void
_tb_modem_call_set_hangup_requested (TbModemCall *self)
{
  self->hangup_requested = TRUE;
}

void
_tb_modem_call_set_state (TbModemCall *self,
                          TbCallState  state)
{
  TbCallState current = tb_call_get_state (TB_CALL (self));

  g_assert (TB_IS_MODEM_CALL (self));
  g_assert (state != TB_CALL_STATE_ENDED);

  if (state <= current) {
    g_debug ("%s: %s after %s ignored", tb_call_get_number (TB_CALL (self)),
             tb_call_state_to_string (state), tb_call_state_to_string (current));
    return;
  }
  _tb_call_set_state (TB_CALL (self), state);
}

void
_tb_modem_call_set_ended (TbModemCall     *self,
                          TbCallEndReason  reason,
                          int              protocol_code,
                          const char      *message)
{
  g_assert (TB_IS_MODEM_CALL (self));
  _tb_call_end (TB_CALL (self), reason, protocol_code, message);
}

gboolean
tb_modem_call_get_remote_ended (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), FALSE);
  return tb_call_get_state (TB_CALL (self)) == TB_CALL_STATE_ENDED && !self->hangup_requested;
}

guint64
tb_modem_call_get_audio_bytes_in (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), 0);
  return tb_modem_audio_get_bytes_in (self->audio);
}

guint64
tb_modem_call_get_audio_bytes_out (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), 0);
  return tb_modem_audio_get_bytes_out (self->audio);
}

void
tb_modem_call_send_dtmf_async (TbModemCall         *self,
                               const char          *digits,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TB_IS_MODEM_CALL (self));
  g_return_if_fail (digits != NULL);

  if (self->device == NULL || tb_call_get_state (TB_CALL (self)) != TB_CALL_STATE_ANSWERED) {
    g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

    g_task_set_source_tag (task, tb_modem_call_send_dtmf_async);
    g_task_return_new_error (task, TB_MODEM_ERROR, TB_MODEM_ERROR_NOT_READY,
                             "call to %s: DTMF \"%s\" needs an answered call",
                             tb_call_get_number (TB_CALL (self)), digits);
    return;
  }
  _tb_modem_device_send_dtmf_async (self->device, self, digits, cancellable, callback,
                                    user_data);
}

gboolean
tb_modem_call_send_dtmf_finish (TbModemCall   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
