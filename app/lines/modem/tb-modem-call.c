/* tb-modem-call.c — one voice call on a modem
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state only moves forward (DIALING → RINGING → ANSWERED → ENDED); modems report late
 * and twice (+CLCC polls lag ^CONN), so a step back is dropped, not an error.
 */
#define G_LOG_DOMAIN "tb-modem-call"

#include "config.h"

#include "tb-modem-call.h"

#include "tb-enums.h"
#include "tb-modem-device-private.h"

struct _TbModemCall
{
  GObject           parent_instance;

  TbModemDevice    *device;        /* weak */
  TbModemAudio     *audio;         /* owned */
  char             *number;
  TbModemCallState  state;
  TbModemEndReason  end_reason;
  int               protocol_code;
  char             *end_message;
  gint64            answered_at;   /* monotonic µs */
  gint64            ended_at;
  gboolean          hangup_requested;
};

G_DEFINE_FINAL_TYPE (TbModemCall, tb_modem_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NUMBER,
  PROP_STATE,
  PROP_END_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
tb_modem_call_finalize (GObject *object)
{
  TbModemCall *self = TB_MODEM_CALL (object);

  g_free (self->number);
  g_free (self->end_message);
  G_OBJECT_CLASS (tb_modem_call_parent_class)->finalize (object);
}

static void
tb_modem_call_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TbModemCall *self = TB_MODEM_CALL (object);

  switch (prop_id) {
  case PROP_NUMBER:
    g_value_set_string (value, self->number);
    break;
  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_END_REASON:
    g_value_set_enum (value, self->end_reason);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_modem_call_class_init (TbModemCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_modem_call_dispose;
  object_class->finalize = tb_modem_call_finalize;
  object_class->get_property = tb_modem_call_get_property;

  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TB_TYPE_MODEM_CALL_STATE,
                       TB_MODEM_CALL_STATE_DIALING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_END_REASON] =
    g_param_spec_enum ("end-reason", NULL, NULL, TB_TYPE_MODEM_END_REASON,
                       TB_MODEM_END_REASON_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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
  TbModemCall *self = g_object_new (TB_TYPE_MODEM_CALL, NULL);

  self->device = device;
  g_object_add_weak_pointer (G_OBJECT (device), (gpointer *) &self->device);
  self->number = g_strdup (number);
  self->audio = g_object_ref (audio);
  return self;
}

TbModemAudio *
_tb_modem_call_get_audio (TbModemCall *self)
{
  return self->audio;
}

gboolean
_tb_modem_call_get_hangup_requested (TbModemCall *self)
{
  return self->hangup_requested;
}

void
_tb_modem_call_set_hangup_requested (TbModemCall *self)
{
  self->hangup_requested = TRUE;
}

void
_tb_modem_call_set_state (TbModemCall      *self,
                          TbModemCallState  state)
{
  g_assert (TB_IS_MODEM_CALL (self));
  g_assert (state != TB_MODEM_CALL_STATE_ENDED);

  if (state <= self->state) {
    g_debug ("%s: %s after %s ignored", self->number, tb_modem_call_state_to_string (state),
             tb_modem_call_state_to_string (self->state));
    return;
  }
  self->state = state;
  if (state == TB_MODEM_CALL_STATE_ANSWERED)
    self->answered_at = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_tb_modem_call_set_ended (TbModemCall      *self,
                          TbModemEndReason  reason,
                          int               protocol_code,
                          const char       *message)
{
  g_assert (TB_IS_MODEM_CALL (self));
  g_assert (reason != TB_MODEM_END_REASON_NONE);

  if (self->state == TB_MODEM_CALL_STATE_ENDED)
    return;
  self->end_reason = reason;
  self->protocol_code = protocol_code;
  self->end_message = g_strdup (message);
  self->ended_at = g_get_monotonic_time ();
  self->state = TB_MODEM_CALL_STATE_ENDED;
  g_debug ("%s: ended %s (%d): %s", self->number, tb_modem_end_reason_to_string (reason),
           protocol_code, message ? message : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_REASON]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
tb_modem_call_get_number (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), NULL);
  return self->number;
}

TbModemCallState
tb_modem_call_get_state (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), TB_MODEM_CALL_STATE_ENDED);
  return self->state;
}

TbModemEndReason
tb_modem_call_get_end_reason (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), TB_MODEM_END_REASON_NONE);
  return self->end_reason;
}

int
tb_modem_call_get_protocol_code (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), 0);
  return self->protocol_code;
}

const char *
tb_modem_call_get_end_message (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), NULL);
  return self->end_message;
}

gint64
tb_modem_call_get_duration_ms (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), 0);

  if (self->answered_at == 0)
    return 0;
  return ((self->ended_at != 0 ? self->ended_at : g_get_monotonic_time ()) - self->answered_at)
         / 1000;
}

gboolean
tb_modem_call_get_remote_ended (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), FALSE);
  return self->state == TB_MODEM_CALL_STATE_ENDED && !self->hangup_requested;
}

GstElement *
tb_modem_call_get_audio_source (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), NULL);
  return tb_modem_audio_get_source (self->audio);
}

GstElement *
tb_modem_call_get_audio_sink (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), NULL);
  return tb_modem_audio_get_sink (self->audio);
}

gboolean
tb_modem_call_is_realtime (TbModemCall *self)
{
  g_return_val_if_fail (TB_IS_MODEM_CALL (self), TRUE);
  return TRUE;  /* a modem talks to a real network: its audio runs at wall-clock pace */
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
tb_modem_call_hang_up (TbModemCall *self)
{
  g_return_if_fail (TB_IS_MODEM_CALL (self));

  if (self->state == TB_MODEM_CALL_STATE_ENDED || self->hangup_requested)
    return;
  self->hangup_requested = TRUE;
  if (self->device == NULL) {
    _tb_modem_call_set_ended (self, TB_MODEM_END_REASON_CANCELLED, 0, "the modem is gone");
    return;
  }
  _tb_modem_device_hang_up (self->device, self);
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

  if (self->device == NULL || self->state != TB_MODEM_CALL_STATE_ANSWERED) {
    g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

    g_task_set_source_tag (task, tb_modem_call_send_dtmf_async);
    g_task_return_new_error (task, TB_MODEM_ERROR, TB_MODEM_ERROR_NOT_READY,
                             "call to %s: DTMF \"%s\" needs an answered call", self->number,
                             digits);
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
