/* tb-modem-device.h — a USB GSM/LTE modem: probe, status, recovery and its one voice call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-modem-call.h"
#include "tb-modem-types.h"

G_BEGIN_DECLS

#define TB_TYPE_MODEM_DEVICE (tb_modem_device_get_type ())
G_DECLARE_FINAL_TYPE (TbModemDevice, tb_modem_device, TB, MODEM_DEVICE, GObject)

/* @device_path: the AT port (/dev/ttyUSB2); @audio_path: the PCM voice port (/dev/ttyUSB4),
 * NULL if none; @vendor_hint: TB_MODEM_VENDOR_UNKNOWN to detect it with AT+CGMI. */
TbModemDevice  *tb_modem_device_new                (const char           *device_path,
                                                    const char           *audio_path,
                                                    TbModemVendor         vendor_hint);

/* Opens the port and probes the modem; completes when the first probe is over. From then on
 * the device keeps itself going: it polls the signal, notices resets and a port that
 * vanished, and probes again when the port is back. FALSE (with the modem's last error) if
 * the modem is not ready — also when it cannot carry voice. */
void            tb_modem_device_open_async         (TbModemDevice        *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        tb_modem_device_open_finish        (TbModemDevice        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
/* Stops everything; the call in progress ends as "cancelled". */
void            tb_modem_device_close              (TbModemDevice        *self);

/* (transfer full) Starts a voice call. Fails before dialing when the modem is not ready or
 * cannot carry voice audio (no PCM port, or the vendor's voice command failed). */
TbModemCall    *tb_modem_device_dial               (TbModemDevice        *self,
                                                    const char           *number,
                                                    GError              **error);
/* Like tb_modem_device_dial(), and hangs up (ENDED no_answer) when nobody answered within
 * @ring_timeout_ms (0: leave it to the network's own timer). */
TbModemCall    *tb_modem_device_dial_full          (TbModemDevice        *self,
                                                    const char           *number,
                                                    guint                 ring_timeout_ms,
                                                    GError              **error);
/* An answered call whose PCM port delivers nothing for @timeout_ms ends as media_timeout
 * (default 8000; 0 disables). A live modem sends PCM continuously, silence included. */
void            tb_modem_device_set_media_timeout  (TbModemDevice        *self,
                                                    guint                 timeout_ms);
/* (transfer none) The call in progress, or NULL. */
TbModemCall    *tb_modem_device_get_call           (TbModemDevice        *self);

const char     *tb_modem_device_get_device_path    (TbModemDevice        *self);
const char     *tb_modem_device_get_audio_path     (TbModemDevice        *self);
TbModemState    tb_modem_device_get_state          (TbModemDevice        *self);
/* Why the modem is in TB_MODEM_STATE_ERROR (a sentence that names the port), else NULL. */
const char     *tb_modem_device_get_last_error     (TbModemDevice        *self);
TbModemVendor   tb_modem_device_get_vendor         (TbModemDevice        *self);
const char     *tb_modem_device_get_manufacturer   (TbModemDevice        *self);
const char     *tb_modem_device_get_model          (TbModemDevice        *self);
/* +CPIN: "READY", "SIM PIN", "NOT INSERTED", …; NULL if unknown. */
const char     *tb_modem_device_get_sim_state      (TbModemDevice        *self);
const char     *tb_modem_device_get_operator_name  (TbModemDevice        *self);
/* G_MININT if unknown. */
int             tb_modem_device_get_signal_dbm     (TbModemDevice        *self);
gboolean        tb_modem_device_get_voice_capable  (TbModemDevice        *self);
/* Why the modem cannot carry voice, or NULL. */
const char     *tb_modem_device_get_voice_error    (TbModemDevice        *self);

G_END_DECLS
