/* tb-modem-device.c — a USB GSM/LTE modem: probe, status and recovery
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The device keeps one TbAtChannel per opening of the port. When the port vanishes, the modem
 * resets or stops answering, the channel is dropped (its late replies then have a stale source
 * and are ignored), the call in progress ends as "failed", the state turns ERROR with a
 * sentence, and a recovery timer reopens and probes until the modem is ready again.
 * Call control lives in tb-modem-device-call.c.
 */
#define G_LOG_DOMAIN "tb-modem-device"

#include "config.h"

#include "tb-modem-device.h"

#include "tb-enums.h"
#include "tb-modem-device-private.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (TbModemDevice, tb_modem_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_SIGNAL_DBM,
  PROP_OPERATOR_NAME,
  PROP_SIM_STATE,
  PROP_VOICE_CAPABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define TICK_MS          1000
#define SIGNAL_EVERY     5      /* ticks between AT+CSQ when idle */
#define MAX_MISSED_POLLS 3
#define PROBE_AT_TRIES   8

typedef enum {
  STEP_AT,
  STEP_ECHO,
  STEP_CMEE,
  STEP_CGMI,
  STEP_CGMM,
  STEP_CPIN,
  STEP_CSQ,
  STEP_COPS_FORMAT,
  STEP_COPS,
  STEP_CLIP,
  STEP_VOICE,
  STEP_DONE,
} ProbeStep;

static void
set_string (TbModemDevice  *self,
            char          **field,
            const char     *value,
            GParamSpec     *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  if (pspec != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

void
_tb_modem_device_set_state (TbModemDevice *self,
                            TbModemState   state,
                            const char    *error_message)
{
  gboolean changed = self->state != state;

  g_assert (state == TB_MODEM_STATE_ERROR || error_message == NULL);

  set_string (self, &self->last_error, error_message, properties[PROP_LAST_ERROR]);
  if (!changed)
    return;
  g_debug ("%s: %s -> %s%s%s", self->device_path, tb_modem_state_to_string (self->state),
           tb_modem_state_to_string (state), error_message ? ": " : "",
           error_message ? error_message : "");
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_signal_dbm (TbModemDevice *self,
                int            dbm)
{
  if (self->signal_dbm == dbm)
    return;
  self->signal_dbm = dbm;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNAL_DBM]);
}

void
_tb_modem_device_send (TbModemDevice       *self,
                       const char          *command,
                       const char          *prefix,
                       guint                timeout_ms,
                       GAsyncReadyCallback  callback)
{
  g_assert (self->channel != NULL);
  tb_at_channel_send_async (self->channel, command, prefix, timeout_ms, self->cancellable,
                            callback, g_object_ref (self));
}

static void
complete_open_tasks (TbModemDevice *self)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->open_tasks)) != NULL) {
    if (self->state == TB_MODEM_STATE_READY)
      g_task_return_boolean (task, TRUE);
    else
      g_task_return_new_error (task, TB_MODEM_ERROR, TB_MODEM_ERROR_NOT_READY, "%s",
                               self->last_error ? self->last_error
                                                : "the modem is not ready");
    g_object_unref (task);
  }
}

static void
drop_channel (TbModemDevice *self)
{
  if (self->channel == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->channel, self);
  tb_at_channel_close (self->channel);
  g_clear_object (&self->channel);
  self->poll_in_flight = FALSE;
  self->missed_polls = 0;
}

static void schedule_recovery (TbModemDevice *self, guint delay_ms);

void
_tb_modem_device_fault (TbModemDevice *self,
                        const char    *message)
{
  g_object_ref (self);  /* the call's end may drop the last outside reference */
  g_debug ("%s: fault: %s", self->device_path, message);
  if (self->call != NULL)
    _tb_modem_device_end_call (self, TB_CALL_END_REASON_FAILED, 0, message);
  drop_channel (self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  _tb_modem_device_set_state (self, TB_MODEM_STATE_ERROR, message);
  self->probed_once = TRUE;
  complete_open_tasks (self);
  schedule_recovery (self, 1000);
  g_object_unref (self);
}

/* The probe ------------------------------------------------------------------------------ */

static void probe_send (TbModemDevice *self);

static char *
info_value (GStrv        lines,
            const char  *prefix)
{
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++) {
    const char *s = lines[i];

    if (g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0)
      s += strlen (prefix);
    else if (s[0] == '+' || s[0] == '^')
      continue;  /* an unsolicited status line that slipped into a prefix-less response */
    while (*s == ' ' || *s == '"')
      s++;
    if (*s != '\0') {
      char *v = g_strdup (s);
      gsize len = strlen (v);

      if (len > 0 && v[len - 1] == '"')
        v[len - 1] = '\0';
      return v;
    }
  }
  return NULL;
}

static void
detect_vendor (TbModemDevice *self)
{
  TbModemVendor vendor = self->vendor_hint;

  if (vendor == TB_MODEM_VENDOR_UNKNOWN && self->manufacturer != NULL) {
    g_autofree char *m = g_ascii_strdown (self->manufacturer, -1);

    if (strstr (m, "huawei") != NULL)
      vendor = TB_MODEM_VENDOR_HUAWEI;
    else if (strstr (m, "simcom") != NULL)
      vendor = TB_MODEM_VENDOR_SIMCOM;
  }
  self->vendor = vendor;
}

static void
set_voice (TbModemDevice *self,
           const char    *error_message)
{
  gboolean capable = error_message == NULL;

  set_string (self, &self->voice_error, error_message, NULL);
  if (self->voice_capable != capable) {
    self->voice_capable = capable;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOICE_CAPABLE]);
  }
}

static void
on_tick_poll_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TbModemDevice) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  lines = tb_at_channel_send_finish (TB_AT_CHANNEL (source), result, NULL, &error);
  if (source != (GObject *) self->channel)
    return;
  self->poll_in_flight = FALSE;
  if (g_error_matches (error, TB_MODEM_ERROR, TB_MODEM_ERROR_TIMEOUT)) {
    if (++self->missed_polls >= MAX_MISSED_POLLS) {
      g_autofree char *message =
        g_strdup_printf ("%s: the modem stopped answering (AT+CSQ timed out %u times)",
                         self->device_path, self->missed_polls);
      _tb_modem_device_fault (self, message);
    }
    return;
  }
  self->missed_polls = 0;
}

static gboolean
on_tick (gpointer user_data)
{
  TbModemDevice *self = user_data;

  self->ticks++;
  if (self->channel == NULL || self->poll_in_flight)
    return G_SOURCE_CONTINUE;
  if (self->call != NULL) {
    _tb_modem_device_poll_call (self);
  } else if (self->state == TB_MODEM_STATE_READY && self->ticks % SIGNAL_EVERY == 0) {
    self->poll_in_flight = TRUE;
    _tb_modem_device_send (self, "AT+CSQ", "+CSQ:", 2 * TICK_MS, on_tick_poll_cb);
  }
  return G_SOURCE_CONTINUE;
}

static void
probe_finish (TbModemDevice *self)
{
  g_autofree char *message = NULL;

  self->probed_once = TRUE;
  if (g_strcmp0 (self->sim_state, "READY") != 0)
    message = g_strdup_printf ("%s: the SIM is not ready (+CPIN: %s)", self->device_path,
                               self->sim_state ? self->sim_state : "unknown");
  else if (!self->voice_capable)
    message = g_strdup_printf ("%s: this modem cannot carry voice audio: %s", self->device_path,
                               self->voice_error);
  _tb_modem_device_set_state (self, message ? TB_MODEM_STATE_ERROR : TB_MODEM_STATE_READY,
                              message);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_full (G_PRIORITY_DEFAULT, TICK_MS, on_tick,
                                        g_object_ref (self), g_object_unref);
  complete_open_tasks (self);
  /* A SIM that is still starting (after a reset it says "SIM busy" for a while), or one
   * someone unlocks by other means: look again. */
  if (g_strcmp0 (self->sim_state, "READY") != 0)
    schedule_recovery (self, 3000);
}

static void
probe_failed (TbModemDevice *self,
              const char    *message)
{
  drop_channel (self);
  _tb_modem_device_set_state (self, TB_MODEM_STATE_ERROR, message);
  self->probed_once = TRUE;
  complete_open_tasks (self);
  schedule_recovery (self, 1000);
}

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TbModemDevice) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  TbAtFinal final = TB_AT_FINAL_NONE;

  lines = tb_at_channel_send_finish (TB_AT_CHANNEL (source), result, &final, &error);
  if (source != (GObject *) self->channel || self->state != TB_MODEM_STATE_PROBING)
    return;
  if (g_error_matches (error, TB_MODEM_ERROR, TB_MODEM_ERROR_CLOSED))
    return;  /* ::closed reports it */

  switch ((ProbeStep) self->probe_step) {
  case STEP_AT:
    if (error != NULL) {
      if (++self->probe_attempts < PROBE_AT_TRIES) {
        probe_send (self);
      } else {
        g_autofree char *message =
          g_strdup_printf ("%s: the modem does not answer AT (%s)", self->device_path,
                           error->message);
        probe_failed (self, message);
      }
      return;
    }
    break;
  case STEP_CGMI:
    if (lines != NULL) {
      g_autofree char *v = info_value (lines, "+CGMI:");
      set_string (self, &self->manufacturer, v, NULL);
    }
    break;
  case STEP_CGMM:
    if (lines != NULL) {
      g_autofree char *v = info_value (lines, "+CGMM:");
      set_string (self, &self->model, v, NULL);
    }
    detect_vendor (self);
    break;
  case STEP_CPIN:
    if (error != NULL)
      set_string (self, &self->sim_state,
                  final == TB_AT_FINAL_CME_ERROR && strstr (error->message, ": 10") != NULL
                    ? "NOT INSERTED" : "ERROR",
                  properties[PROP_SIM_STATE]);
    break;
  case STEP_VOICE:
    if (error != NULL) {
      g_autofree char *m = g_strdup_printf ("the vendor's voice command failed (%s)",
                                            error->message);
      set_voice (self, m);
    } else if (self->vendor == TB_MODEM_VENDOR_HUAWEI) {
      g_autofree char *v = info_value (lines, "^CVOICE:");

      /* ^CVOICE: <mode>,<rate>,<bits>,<period>: mode 0 is voice on, 1 is voice off. */
      if (v == NULL || v[0] != '0') {
        g_autofree char *m = g_strdup_printf ("voice is disabled in its firmware "
                                              "(^CVOICE: %s)", v ? v : "missing");
        set_voice (self, m);
      } else {
        set_voice (self, NULL);
      }
    } else {
      set_voice (self, NULL);
    }
    break;
  case STEP_ECHO:
  case STEP_CMEE:
  case STEP_CSQ:
  case STEP_COPS_FORMAT:
  case STEP_COPS:
  case STEP_CLIP:
  case STEP_DONE:
  default:
    /* Status lines arrive as ::unsolicited too; failures here are not fatal. */
    break;
  }
  self->probe_step++;
  probe_send (self);
}

static void
probe_send (TbModemDevice *self)
{
  const char *command = NULL;
  const char *prefix = NULL;
  guint timeout = 3000;

  switch ((ProbeStep) self->probe_step) {
  case STEP_AT: command = "AT"; timeout = 1000; break;
  case STEP_ECHO: command = "ATE0"; break;
  case STEP_CMEE: command = "AT+CMEE=1"; break;
  case STEP_CGMI: command = "AT+CGMI"; break;
  case STEP_CGMM: command = "AT+CGMM"; break;
  case STEP_CPIN: command = "AT+CPIN?"; prefix = "+CPIN:"; break;
  case STEP_CSQ: command = "AT+CSQ"; prefix = "+CSQ:"; break;
  case STEP_COPS_FORMAT: command = "AT+COPS=3,0"; break;
  case STEP_COPS: command = "AT+COPS?"; prefix = "+COPS:"; timeout = 10000; break;
  case STEP_CLIP: command = "AT+CLIP=1"; break;
  case STEP_VOICE:
    if (self->audio_path == NULL) {
      set_voice (self, "no PCM audio port is configured (--audio)");
    } else if (!g_file_test (self->audio_path, G_FILE_TEST_EXISTS)) {
      g_autofree char *m = g_strdup_printf ("its PCM audio port %s does not exist",
                                            self->audio_path);
      set_voice (self, m);
    } else if (self->vendor == TB_MODEM_VENDOR_HUAWEI) {
      command = "AT^CVOICE?";
      prefix = "^CVOICE:";
    } else if (self->vendor == TB_MODEM_VENDOR_SIMCOM) {
      command = "AT+CPCMREG=?";
    } else {
      g_autofree char *m =
        g_strdup_printf ("its maker \"%s\" is neither Huawei nor SIMCom, whose PCM voice "
                         "commands Telebot knows (try --vendor)",
                         self->manufacturer ? self->manufacturer : "unknown");
      set_voice (self, m);
    }
    if (command == NULL) {
      self->probe_step = STEP_DONE;
      probe_finish (self);
      return;
    }
    break;
  case STEP_DONE:
  default:
    probe_finish (self);
    return;
  }
  _tb_modem_device_send (self, command, prefix, timeout, probe_cb);
}

/* Unsolicited lines and the port going away ---------------------------------------------- */

static void
on_channel_unsolicited (TbAtChannel    *channel,
                        const TbAtLine *line,
                        TbModemDevice  *self)
{
  if (channel != self->channel)
    return;

  switch (line->report) {
  case TB_AT_REPORT_CSQ:
  case TB_AT_REPORT_RSSI:
    if (line->n_args >= 1)
      set_signal_dbm (self, tb_at_rssi_to_dbm (line->args[0]));
    return;
  case TB_AT_REPORT_CPIN:
    set_string (self, &self->sim_state, line->str, properties[PROP_SIM_STATE]);
    return;
  case TB_AT_REPORT_COPS:
    /* Only the long alphanumeric format names the operator. */
    if (line->str != NULL && line->n_args >= 2 && line->args[1] == 0)
      set_string (self, &self->operator_name, line->str, properties[PROP_OPERATOR_NAME]);
    return;
  case TB_AT_REPORT_BOOT:
    if (self->state == TB_MODEM_STATE_READY || self->state == TB_MODEM_STATE_IN_CALL) {
      g_autofree char *message =
        g_strdup_printf ("%s: the modem restarted (%s)", self->device_path, line->text);
      _tb_modem_device_fault (self, message);
    }
    return;
  default:
    break;
  }
  if (self->call != NULL)
    _tb_modem_device_on_call_line (self, line);
}

static void
on_channel_closed (TbAtChannel   *channel,
                   const GError  *error,
                   TbModemDevice *self)
{
  if (channel == self->channel)
    _tb_modem_device_fault (self, error->message);
}

static void
start_probe (TbModemDevice *self)
{
  g_autoptr(GError) error = NULL;

  drop_channel (self);
  self->channel = tb_at_channel_new ();
  g_signal_connect (self->channel, "unsolicited", G_CALLBACK (on_channel_unsolicited), self);
  g_signal_connect (self->channel, "closed", G_CALLBACK (on_channel_closed), self);
  if (!tb_at_channel_open (self->channel, self->device_path, &error)) {
    probe_failed (self, error->message);
    return;
  }
  _tb_modem_device_set_state (self, TB_MODEM_STATE_PROBING, NULL);
  self->probe_step = STEP_AT;
  self->probe_attempts = 0;
  probe_send (self);
}

static gboolean
on_recover (gpointer user_data)
{
  TbModemDevice *self = user_data;

  self->recover_id = 0;
  if (!g_file_test (self->device_path, G_FILE_TEST_EXISTS)) {
    schedule_recovery (self, 500);
    return G_SOURCE_REMOVE;
  }
  start_probe (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_recovery (TbModemDevice *self,
                   guint          delay_ms)
{
  g_clear_handle_id (&self->recover_id, g_source_remove);
  self->recover_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, on_recover,
                                         g_object_ref (self), g_object_unref);
}

/* GObject -------------------------------------------------------------------------------- */

static void
tb_modem_device_dispose (GObject *object)
{
  TbModemDevice *self = TB_MODEM_DEVICE (object);

  tb_modem_device_close (self);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tb_modem_device_parent_class)->dispose (object);
}

static void
tb_modem_device_finalize (GObject *object)
{
  TbModemDevice *self = TB_MODEM_DEVICE (object);

  g_free (self->device_path);
  g_free (self->audio_path);
  g_free (self->last_error);
  g_free (self->manufacturer);
  g_free (self->model);
  g_free (self->sim_state);
  g_free (self->operator_name);
  g_free (self->voice_error);
  G_OBJECT_CLASS (tb_modem_device_parent_class)->finalize (object);
}

static void
tb_modem_device_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TbModemDevice *self = TB_MODEM_DEVICE (object);

  switch (prop_id) {
  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_LAST_ERROR:
    g_value_set_string (value, self->last_error);
    break;
  case PROP_SIGNAL_DBM:
    g_value_set_int (value, self->signal_dbm);
    break;
  case PROP_OPERATOR_NAME:
    g_value_set_string (value, self->operator_name);
    break;
  case PROP_SIM_STATE:
    g_value_set_string (value, self->sim_state);
    break;
  case PROP_VOICE_CAPABLE:
    g_value_set_boolean (value, self->voice_capable);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_modem_device_class_init (TbModemDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = tb_modem_device_dispose;
  object_class->finalize = tb_modem_device_finalize;
  object_class->get_property = tb_modem_device_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TB_TYPE_MODEM_STATE, TB_MODEM_STATE_OFFLINE, flags);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  properties[PROP_SIGNAL_DBM] =
    g_param_spec_int ("signal-dbm", NULL, NULL, G_MININT, 0, G_MININT, flags);
  properties[PROP_OPERATOR_NAME] =
    g_param_spec_string ("operator-name", NULL, NULL, NULL, flags);
  properties[PROP_SIM_STATE] =
    g_param_spec_string ("sim-state", NULL, NULL, NULL, flags);
  properties[PROP_VOICE_CAPABLE] =
    g_param_spec_boolean ("voice-capable", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_modem_device_init (TbModemDevice *self)
{
  self->signal_dbm = G_MININT;
  self->media_timeout_ms = 8000;
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->open_tasks);
}

TbModemDevice *
tb_modem_device_new (const char    *device_path,
                     const char    *audio_path,
                     TbModemVendor  vendor_hint)
{
  TbModemDevice *self;

  g_return_val_if_fail (device_path != NULL, NULL);

  self = g_object_new (TB_TYPE_MODEM_DEVICE, NULL);
  self->device_path = g_strdup (device_path);
  self->audio_path = g_strdup (audio_path);
  self->vendor_hint = vendor_hint;
  self->vendor = vendor_hint;
  return self;
}

void
tb_modem_device_open_async (TbModemDevice       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TB_IS_MODEM_DEVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_modem_device_open_async);
  if (self->probed_once && self->state != TB_MODEM_STATE_PROBING &&
      self->state != TB_MODEM_STATE_OFFLINE) {
    g_queue_push_tail (&self->open_tasks, g_steal_pointer (&task));
    complete_open_tasks (self);
    return;
  }
  g_queue_push_tail (&self->open_tasks, g_steal_pointer (&task));
  if (self->state == TB_MODEM_STATE_OFFLINE && self->channel == NULL && self->recover_id == 0)
    start_probe (self);
}

gboolean
tb_modem_device_open_finish (TbModemDevice  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tb_modem_device_close (TbModemDevice *self)
{
  g_return_if_fail (TB_IS_MODEM_DEVICE (self));

  if (self->call != NULL)
    _tb_modem_device_end_call (self, TB_CALL_END_REASON_CANCELLED, 0,
                               "the modem line was closed");
  g_clear_handle_id (&self->recover_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  drop_channel (self);
  _tb_modem_device_set_state (self, TB_MODEM_STATE_OFFLINE, NULL);
  while (!g_queue_is_empty (&self->open_tasks)) {
    g_autoptr(GTask) task = g_queue_pop_head (&self->open_tasks);

    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "%s: the modem was closed", self->device_path);
  }
}

void
tb_modem_device_set_media_timeout (TbModemDevice *self,
                                   guint          timeout_ms)
{
  g_return_if_fail (TB_IS_MODEM_DEVICE (self));
  self->media_timeout_ms = timeout_ms;
}

TbModemCall *
tb_modem_device_get_call (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), NULL);
  return self->call;
}

const char *
tb_modem_device_get_device_path (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), NULL);
  return self->device_path;
}

const char *
tb_modem_device_get_audio_path (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), NULL);
  return self->audio_path;
}

TbModemState
tb_modem_device_get_state (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), TB_MODEM_STATE_OFFLINE);
  return self->state;
}

const char *
tb_modem_device_get_last_error (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), NULL);
  return self->last_error;
}

TbModemVendor
tb_modem_device_get_vendor (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), TB_MODEM_VENDOR_UNKNOWN);
  return self->vendor;
}

const char *
tb_modem_device_get_manufacturer (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), NULL);
  return self->manufacturer;
}

const char *
tb_modem_device_get_model (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), NULL);
  return self->model;
}

const char *
tb_modem_device_get_sim_state (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), NULL);
  return self->sim_state;
}

const char *
tb_modem_device_get_operator_name (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), NULL);
  return self->operator_name;
}

int
tb_modem_device_get_signal_dbm (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), G_MININT);
  return self->signal_dbm;
}

gboolean
tb_modem_device_get_voice_capable (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), FALSE);
  return self->voice_capable;
}

const char *
tb_modem_device_get_voice_error (TbModemDevice *self)
{
  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), NULL);
  return self->voice_error;
}
