/* tb-modem-device-call.c — voice call control on a modem (V.250 / 27.007 and two dialects)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ATD<number>; starts the call. Huawei reports it with ^ORIG/^CONF/^CONN/^CEND, SIMCom with
 * "VOICE CALL: BEGIN/END" and the V.250 result codes (BUSY, NO ANSWER, NO CARRIER) after the
 * dial's OK. Both are also polled with AT+CLCC once a second, which finds the answer on a
 * modem that reports nothing and notices a modem that stopped answering. Voice audio is
 * switched to the PCM port once the call connects (AT^DDSETEX=2, AT+CPCMREG=1); the call is
 * ANSWERED when that worked.
 */
#define G_LOG_DOMAIN "tb-modem-device-call"

#include "config.h"

#include "tb-modem-device-private.h"

#include <string.h>

#define MAX_MISSED_CALL_POLLS 3

/* 3GPP TS 24.008 §10.5.4.11 cause values, as Huawei's ^CEND gives them. */
static TbCallEndReason
reason_for_cause (int      cause,
                  gboolean answered)
{
  switch (cause) {
  case 16:   /* normal call clearing */
  case 31:   /* normal, unspecified */
    return answered ? TB_CALL_END_REASON_COMPLETED : TB_CALL_END_REASON_NO_ANSWER;
  case 17:   /* user busy */
    return TB_CALL_END_REASON_BUSY;
  case 18:   /* no user responding */
  case 19:   /* user alerting, no answer */
    return TB_CALL_END_REASON_NO_ANSWER;
  case 21:   /* call rejected */
    return TB_CALL_END_REASON_REJECTED;
  case 1:    /* unassigned number */
  case 3:    /* no route to destination */
  case 20:   /* subscriber absent */
  case 22:   /* number changed */
  case 27:   /* destination out of order */
  case 28:   /* invalid number format */
  case 38:   /* network out of order */
    return TB_CALL_END_REASON_UNREACHABLE;
  default:
    return answered ? TB_CALL_END_REASON_COMPLETED : TB_CALL_END_REASON_FAILED;
  }
}

static gboolean
call_is_answered (TbModemDevice *self)
{
  return tb_call_get_state (TB_CALL (self->call)) == TB_CALL_STATE_ANSWERED;
}

void
_tb_modem_device_end_call (TbModemDevice    *self,
                           TbCallEndReason  reason,
                           int               code,
                           const char       *message)
{
  g_autoptr(TbModemCall) call = g_steal_pointer (&self->call);

  if (call == NULL)
    return;
  g_clear_handle_id (&self->ring_timeout_id, g_source_remove);
  tb_modem_audio_close (_tb_modem_call_get_audio (call));
  if (self->pcm_enabled && self->vendor == TB_MODEM_VENDOR_SIMCOM && self->channel != NULL)
    tb_at_channel_send_async (self->channel, "AT+CPCMREG=0", NULL, 2000, NULL, NULL, NULL);
  self->pcm_enabled = FALSE;
  self->connecting = FALSE;
  self->empty_polls = 0;
  if (self->state == TB_MODEM_STATE_IN_CALL)
    _tb_modem_device_set_state (self, TB_MODEM_STATE_READY, NULL);
  _tb_modem_call_set_ended (call, reason, code, message);
}

static void
end_call_printf (TbModemDevice    *self,
                 TbCallEndReason  reason,
                 int               code,
                 const char       *format,
                 ...) G_GNUC_PRINTF (4, 5);

static void
end_call_printf (TbModemDevice    *self,
                 TbCallEndReason  reason,
                 int               code,
                 const char       *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  _tb_modem_device_end_call (self, reason, code, message);
}

static void
voice_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TbModemDevice) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  lines = tb_at_channel_send_finish (TB_AT_CHANNEL (source), result, NULL, &error);
  if (source != (GObject *) self->channel || self->call == NULL || !self->connecting)
    return;
  self->connecting = FALSE;
  if (error != NULL) {
    g_autofree char *message =
      g_strdup_printf ("%s: the call connected but voice audio could not be enabled: %s",
                       self->device_path, error->message);

    _tb_modem_call_set_hangup_requested (self->call);
    tb_at_channel_send_async (self->channel, "AT+CHUP", NULL, 5000, NULL, NULL, NULL);
    _tb_modem_device_end_call (self, TB_CALL_END_REASON_FAILED, 0, message);
    return;
  }
  self->pcm_enabled = TRUE;
  self->pcm_bytes_seen = 0;
  self->pcm_progress_at = g_get_monotonic_time ();
  g_clear_handle_id (&self->ring_timeout_id, g_source_remove);
  tb_modem_audio_set_flowing (_tb_modem_call_get_audio (self->call), TRUE);
  _tb_modem_call_set_state (self->call, TB_CALL_STATE_ANSWERED);
}

static void
connected (TbModemDevice *self)
{
  const char *command;

  if (self->connecting || call_is_answered (self))
    return;
  self->connecting = TRUE;
  command = self->vendor == TB_MODEM_VENDOR_HUAWEI ? "AT^DDSETEX=2" : "AT+CPCMREG=1";
  _tb_modem_device_send (self, command, NULL, 3000, voice_cb);
}

void
_tb_modem_device_on_call_line (TbModemDevice  *self,
                               const TbAtLine *line)
{
  g_assert (self->call != NULL);

  /* Until the dial's OK, an end report is the previous call's (^CEND after our AT+CHUP's
   * OK, in the same read as the next ATD). */
  if (!self->dial_confirmed &&
      (line->kind == TB_AT_LINE_FINAL || line->report == TB_AT_REPORT_HW_CEND ||
       line->report == TB_AT_REPORT_VOICE_CALL_END)) {
    g_debug ("%s: %s before the dial's OK: not this call's", self->device_path, line->text);
    return;
  }

  if (line->kind == TB_AT_LINE_FINAL) {
    /* Result codes after the dial's OK: the call is over. */
    switch (line->final) {
    case TB_AT_FINAL_NO_CARRIER:
      if (call_is_answered (self))
        end_call_printf (self, TB_CALL_END_REASON_COMPLETED, 0, "the call ended (NO CARRIER)");
      else
        end_call_printf (self, TB_CALL_END_REASON_FAILED, 0,
                         "%s: NO CARRIER before the call was answered", self->device_path);
      break;
    case TB_AT_FINAL_BUSY:
      end_call_printf (self, TB_CALL_END_REASON_BUSY, 17, "the callee is busy (BUSY)");
      break;
    case TB_AT_FINAL_NO_ANSWER:
      end_call_printf (self, TB_CALL_END_REASON_NO_ANSWER, 19,
                       "the callee did not answer (NO ANSWER)");
      break;
    case TB_AT_FINAL_NO_DIALTONE:
      end_call_printf (self, TB_CALL_END_REASON_UNREACHABLE, 0,
                       "%s: no network (NO DIALTONE)", self->device_path);
      break;
    default:
      break;
    }
    return;
  }

  switch (line->report) {
  case TB_AT_REPORT_HW_ORIG:
    break;
  case TB_AT_REPORT_HW_CONF:
    _tb_modem_call_set_state (self->call, TB_CALL_STATE_RINGING);
    break;
  case TB_AT_REPORT_HW_CONN:
  case TB_AT_REPORT_VOICE_CALL_BEGIN:
    connected (self);
    break;
  case TB_AT_REPORT_HW_CEND: {
    int cause = line->n_args >= 4 ? line->args[3] : -1;
    gboolean answered = call_is_answered (self);

    end_call_printf (self, reason_for_cause (cause, answered), MAX (cause, 0),
                     "the call ended (%s)", line->text);
    break;
  }
  case TB_AT_REPORT_VOICE_CALL_END:
    end_call_printf (self, call_is_answered (self) ? TB_CALL_END_REASON_COMPLETED
                                                   : TB_CALL_END_REASON_FAILED,
                     0, "the call ended (%s)", line->text);
    break;
  case TB_AT_REPORT_CLCC:
    /* +CLCC: <id>,<dir>,<stat>,…: our call is the mobile-originated one (dir 0). */
    if (line->n_args < 3 || line->args[1] != 0)
      break;
    self->empty_polls = 0;
    if (line->args[2] == 3)
      _tb_modem_call_set_state (self->call, TB_CALL_STATE_RINGING);
    else if (line->args[2] == 0)
      connected (self);
    break;
  default:
    break;
  }
}

static void
clcc_cb (GObject      *source,
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
    self->call_missed_polls = TRUE;
    if (++self->missed_polls >= MAX_MISSED_CALL_POLLS) {
      g_autofree char *message =
        g_strdup_printf ("%s: the modem stopped answering during the call "
                         "(AT+CLCC timed out %u times)", self->device_path, self->missed_polls);
      _tb_modem_device_fault (self, message);
    }
    return;
  }
  self->missed_polls = 0;
  if (error != NULL || self->call == NULL)
    return;
  /* The +CLCC lines were handled as they came (::unsolicited); none at all while answered
   * means the call is gone without a word (a modem that lost the network quietly). */
  if (g_strv_length (lines) == 0 && call_is_answered (self) && ++self->empty_polls >= 2) {
    /* After the modem missed polls it lost the call; otherwise the far end left quietly. */
    if (self->call_missed_polls)
      end_call_printf (self, TB_CALL_END_REASON_FAILED, 0,
                       "%s: the modem stopped answering for a while and lost the call",
                       self->device_path);
    else
      end_call_printf (self, TB_CALL_END_REASON_COMPLETED, 0,
                       "%s: the call disappeared from AT+CLCC", self->device_path);
  }
}

static void
hang_up_and_end (TbModemDevice    *self,
                 TbCallEndReason  reason,
                 const char       *message)
{
  _tb_modem_call_set_hangup_requested (self->call);
  tb_modem_audio_set_flowing (_tb_modem_call_get_audio (self->call), FALSE);
  tb_at_channel_send_async (self->channel, "AT+CHUP", NULL, 5000, NULL, NULL, NULL);
  _tb_modem_device_end_call (self, reason, 0, message);
}

static gboolean
media_timed_out (TbModemDevice *self)
{
  guint64 bytes = tb_modem_call_get_audio_bytes_in (self->call);
  gint64 now = g_get_monotonic_time ();

  if (!self->pcm_enabled || self->media_timeout_ms == 0)
    return FALSE;
  if (bytes != self->pcm_bytes_seen) {
    self->pcm_bytes_seen = bytes;
    self->pcm_progress_at = now;
    return FALSE;
  }
  return now - self->pcm_progress_at >= (gint64) self->media_timeout_ms * 1000;
}

void
_tb_modem_device_poll_call (TbModemDevice *self)
{
  if (media_timed_out (self)) {
    g_autofree char *message =
      g_strdup_printf ("%s: no audio from the PCM port %s for %u ms", self->device_path,
                       self->audio_path, self->media_timeout_ms);
    hang_up_and_end (self, TB_CALL_END_REASON_MEDIA_TIMEOUT, message);
    return;
  }
  self->poll_in_flight = TRUE;
  _tb_modem_device_send (self, "AT+CLCC", "+CLCC:", 1500, clcc_cb);
}

static void
dial_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TbModemDevice) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  TbAtFinal final = TB_AT_FINAL_NONE;

  lines = tb_at_channel_send_finish (TB_AT_CHANNEL (source), result, &final, &error);
  if (source != (GObject *) self->channel || self->call == NULL)
    return;
  self->dial_confirmed = TRUE;
  if (error == NULL)
    return;

  switch (final) {
  case TB_AT_FINAL_BUSY:
  case TB_AT_FINAL_NO_ANSWER:
  case TB_AT_FINAL_NO_CARRIER:
  case TB_AT_FINAL_NO_DIALTONE: {
    TbAtLine line = { .kind = TB_AT_LINE_FINAL, .final = final };

    _tb_modem_device_on_call_line (self, &line);
    break;
  }
  case TB_AT_FINAL_ERROR:
  case TB_AT_FINAL_CME_ERROR:
  case TB_AT_FINAL_CMS_ERROR:
    end_call_printf (self, TB_CALL_END_REASON_FAILED, 0, "%s", error->message);
    break;
  default:
    if (!g_error_matches (error, TB_MODEM_ERROR, TB_MODEM_ERROR_CLOSED))
      end_call_printf (self, TB_CALL_END_REASON_FAILED, 0, "%s", error->message);
    break;
  }
}

static gboolean
number_is_valid (const char *number)
{
  gsize len = strlen (number);

  if (len == 0 || len > 40)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (number[i]) && strchr ("+*#", number[i]) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
on_ring_timeout (gpointer user_data)
{
  TbModemDevice *self = user_data;

  self->ring_timeout_id = 0;
  if (self->call != NULL && !call_is_answered (self) && self->channel != NULL)
    hang_up_and_end (self, TB_CALL_END_REASON_NO_ANSWER,
                     "nobody answered before the ring timeout");
  return G_SOURCE_REMOVE;
}

TbModemCall *
tb_modem_device_dial (TbModemDevice  *self,
                      const char     *number,
                      GError        **error)
{
  return tb_modem_device_dial_full (self, number, 0, error);
}

TbModemCall *
tb_modem_device_dial_full (TbModemDevice  *self,
                           const char     *number,
                           guint           ring_timeout_ms,
                           GError        **error)
{
  g_autoptr(TbModemAudio) audio = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *command = NULL;

  g_return_val_if_fail (TB_IS_MODEM_DEVICE (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  if (!number_is_valid (number)) {
    g_set_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_INVALID,
                 "%s: \"%s\" is not a number a modem can dial", self->device_path, number);
    return NULL;
  }
  if (self->state == TB_MODEM_STATE_IN_CALL || self->call != NULL) {
    g_set_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_NOT_READY,
                 "%s: the modem is already in a call", self->device_path);
    return NULL;
  }
  if (self->probed_once && !self->voice_capable && self->voice_error != NULL &&
      g_strcmp0 (self->sim_state, "READY") == 0) {
    g_set_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_NO_VOICE,
                 "%s: this modem cannot carry voice audio: %s", self->device_path,
                 self->voice_error);
    return NULL;
  }
  if (self->state != TB_MODEM_STATE_READY || self->channel == NULL) {
    g_set_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_NOT_READY,
                 "%s: the modem is not ready (%s)", self->device_path,
                 self->last_error ? self->last_error
                                  : tb_modem_state_to_string (self->state));
    return NULL;
  }

  audio = tb_modem_audio_new (self->audio_path);
  if (!tb_modem_audio_open (audio, &local_error)) {
    g_set_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_NO_VOICE,
                 "%s: cannot carry voice audio: %s", self->device_path, local_error->message);
    return NULL;
  }

  self->call = _tb_modem_call_new (self, number, audio);
  self->empty_polls = 0;
  self->call_missed_polls = FALSE;
  self->dial_confirmed = FALSE;
  self->connecting = FALSE;
  self->pcm_enabled = FALSE;
  _tb_modem_device_set_state (self, TB_MODEM_STATE_IN_CALL, NULL);
  command = g_strdup_printf ("ATD%s;", number);
  _tb_modem_device_send (self, command, NULL, 30000, dial_cb);
  if (ring_timeout_ms > 0)
    self->ring_timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, ring_timeout_ms,
                                                on_ring_timeout, g_object_ref (self),
                                                g_object_unref);
  return g_object_ref (self->call);
}

typedef struct {
  TbModemDevice *device;
  TbModemCall   *call;
} HangUp;

static void
hang_up_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  HangUp *h = user_data;
  g_autoptr(TbModemDevice) self = h->device;
  g_autoptr(TbModemCall) call = h->call;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_free (h);
  lines = tb_at_channel_send_finish (TB_AT_CHANNEL (source), result, NULL, &error);
  if (error != NULL)
    g_debug ("hang-up: %s", error->message);
  /* Older firmware knows only V.250's ATH. */
  if (g_error_matches (error, TB_MODEM_ERROR, TB_MODEM_ERROR_COMMAND) &&
      source == (GObject *) self->channel)
    tb_at_channel_send_async (self->channel, "ATH", NULL, 5000, NULL, NULL, NULL);
  if (self->call == call) {
    gboolean answered = call_is_answered (self);

    end_call_printf (self,
                     answered ? TB_CALL_END_REASON_COMPLETED : TB_CALL_END_REASON_CANCELLED,
                     0, answered ? "we hung up" : "we hung up before an answer");
  }
}

void
_tb_modem_device_hang_up (TbModemDevice *self,
                          TbModemCall   *call)
{
  HangUp *h;

  g_assert (TB_IS_MODEM_DEVICE (self));

  if (call != self->call || self->channel == NULL) {
    _tb_modem_call_set_ended (call, TB_CALL_END_REASON_CANCELLED, 0, "hung up");
    return;
  }
  tb_modem_audio_set_flowing (_tb_modem_call_get_audio (call), FALSE);
  h = g_new0 (HangUp, 1);
  h->device = g_object_ref (self);
  h->call = g_object_ref (call);
  tb_at_channel_send_async (self->channel, "AT+CHUP", NULL, 5000, NULL, hang_up_cb, h);
}

typedef struct {
  char  *digits;
  guint  index;
} DtmfData;

static void
dtmf_data_free (gpointer data)
{
  DtmfData *d = data;

  g_free (d->digits);
  g_free (d);
}

static void dtmf_next (GTask *task);

static void
dtmf_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_auto(GStrv) lines = NULL;

  lines = tb_at_channel_send_finish (TB_AT_CHANNEL (source), result, NULL, &error);

  if (error != NULL) {
    g_task_return_error (task, error);
    return;
  }
  dtmf_next (g_steal_pointer (&task));
}

static void
dtmf_next (GTask *task)
{
  DtmfData *d = g_task_get_task_data (task);
  TbAtChannel *channel = g_object_get_data (G_OBJECT (task), "tb-channel");
  g_autofree char *command = NULL;

  if (d->digits[d->index] == '\0' || !tb_at_channel_is_open (channel)) {
    if (d->digits[d->index] == '\0')
      g_task_return_boolean (task, TRUE);
    else
      g_task_return_new_error (task, TB_MODEM_ERROR, TB_MODEM_ERROR_CLOSED,
                               "DTMF: the modem port closed before \"%s\" was sent",
                               d->digits + d->index);
    g_object_unref (task);
    return;
  }
  command = g_strdup_printf ("AT+VTS=%c", d->digits[d->index++]);
  tb_at_channel_send_async (channel, command, NULL, 3000, g_task_get_cancellable (task),
                            dtmf_cb, task);
}

void
_tb_modem_device_send_dtmf_async (TbModemDevice       *self,
                                  TbModemCall         *call,
                                  const char          *digits,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (call, cancellable, callback, user_data);
  DtmfData *d;

  g_task_set_source_tag (task, tb_modem_call_send_dtmf_async);
  for (const char *p = digits; *p != '\0'; p++) {
    if (!g_ascii_isdigit (*p) && strchr ("*#ABCDabcd", *p) == NULL) {
      g_task_return_new_error (task, TB_MODEM_ERROR, TB_MODEM_ERROR_INVALID,
                               "DTMF \"%s\": '%c' is not a DTMF digit", digits, *p);
      g_object_unref (task);
      return;
    }
  }
  if (self->channel == NULL || call != self->call) {
    g_task_return_new_error (task, TB_MODEM_ERROR, TB_MODEM_ERROR_NOT_READY,
                             "%s: DTMF \"%s\": the call is not in progress", self->device_path,
                             digits);
    g_object_unref (task);
    return;
  }
  d = g_new0 (DtmfData, 1);
  d->digits = g_ascii_strup (digits, -1);
  g_task_set_task_data (task, d, dtmf_data_free);
  g_object_set_data_full (G_OBJECT (task), "tb-channel", g_object_ref (self->channel),
                          g_object_unref);
  dtmf_next (task);
}
