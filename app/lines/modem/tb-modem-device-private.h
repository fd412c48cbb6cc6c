/* tb-modem-device-private.h — shared by tb-modem-device*.c and tb-modem-call.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-at-channel.h"
#include "tb-modem-audio.h"
#include "tb-modem-call.h"
#include "tb-modem-device.h"

G_BEGIN_DECLS

struct _TbModemDevice
{
  GObject           parent_instance;

  /* configuration */
  char             *device_path;
  char             *audio_path;
  TbModemVendor     vendor_hint;

  /* owned */
  TbAtChannel      *channel;
  TbModemCall      *call;           /* the call in progress, if any */
  GCancellable     *cancellable;
  GQueue            open_tasks;     /* tb_modem_device_open_async waiting for the first probe */

  /* state */
  TbModemState      state;
  char             *last_error;
  TbModemVendor     vendor;
  char             *manufacturer;
  char             *model;
  char             *sim_state;
  char             *operator_name;
  int               signal_dbm;     /* G_MININT: unknown */
  gboolean          voice_capable;
  char             *voice_error;
  guint             probe_step;
  guint             probe_attempts;
  gboolean          probed_once;
  guint             ticks;
  guint             missed_polls;   /* polls that timed out in a row */
  gboolean          poll_in_flight;

  /* the call in progress */
  guint             empty_polls;    /* +CLCC listed no call while ANSWERED */
  gboolean          call_missed_polls; /* a poll timed out during this call */
  gboolean          dial_confirmed;    /* ATD…; answered OK: end reports are this call's */
  gboolean          connecting;     /* connected, voice audio being enabled */
  gboolean          pcm_enabled;
  guint64           pcm_bytes_seen;     /* bytes_in at the last poll */
  gint64            pcm_progress_at;    /* monotonic µs when bytes_in last grew */
  guint             media_timeout_ms;
  guint             ring_timeout_id;

  /* sources */
  guint             recover_id;
  guint             tick_id;
};

/* tb-modem-device.c */
void  _tb_modem_device_set_state       (TbModemDevice    *self,
                                        TbModemState      state,
                                        const char       *error_message);
void  _tb_modem_device_fault           (TbModemDevice    *self,
                                        const char       *message);
void  _tb_modem_device_send            (TbModemDevice    *self,
                                        const char       *command,
                                        const char       *prefix,
                                        guint             timeout_ms,
                                        GAsyncReadyCallback callback);

/* tb-modem-device-call.c */
void  _tb_modem_device_on_call_line    (TbModemDevice    *self,
                                        const TbAtLine   *line);
void  _tb_modem_device_end_call        (TbModemDevice    *self,
                                        TbCallEndReason  reason,
                                        int               code,
                                        const char       *message);
void  _tb_modem_device_poll_call       (TbModemDevice    *self);
void  _tb_modem_device_hang_up         (TbModemDevice    *self,
                                        TbModemCall      *call);
void  _tb_modem_device_send_dtmf_async (TbModemDevice    *self,
                                        TbModemCall      *call,
                                        const char       *digits,
                                        GCancellable     *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer          user_data);

/* tb-modem-call.c */
TbModemCall  *_tb_modem_call_new        (TbModemDevice    *device,
                                         const char       *number,
                                         TbModemAudio     *audio);
TbModemAudio *_tb_modem_call_get_audio  (TbModemCall      *self);
void          _tb_modem_call_set_hangup_requested (TbModemCall *self);
/* Moves forward only; a lagging report (RINGING after ANSWERED) is ignored. */
void          _tb_modem_call_set_state  (TbModemCall      *self,
                                         TbCallState  state);
void          _tb_modem_call_set_ended  (TbModemCall      *self,
                                         TbCallEndReason  reason,
                                         int               protocol_code,
                                         const char       *message);

G_END_DECLS
