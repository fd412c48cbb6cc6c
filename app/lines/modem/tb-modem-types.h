/* tb-modem-types.h — enums and the error domain of the modem line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TB_MODEM_ERROR (tb_modem_error_quark ())

typedef enum {
  TB_MODEM_ERROR_OPEN,        /* the port could not be opened or configured */
  TB_MODEM_ERROR_CLOSED,      /* the port went away (unplugged, reset) */
  TB_MODEM_ERROR_TIMEOUT,     /* no final result in time */
  TB_MODEM_ERROR_COMMAND,     /* ERROR, +CME ERROR, +CMS ERROR */
  TB_MODEM_ERROR_CALL,        /* NO CARRIER, BUSY, NO ANSWER, NO DIALTONE as a command's result */
  TB_MODEM_ERROR_NOT_READY,   /* the modem is offline, in error, or busy with a call */
  TB_MODEM_ERROR_NO_VOICE,    /* the modem cannot carry voice audio */
  TB_MODEM_ERROR_INVALID,     /* bad input (number, DTMF digits) */
} TbModemError;

GQuark tb_modem_error_quark (void);

typedef enum {
  TB_MODEM_VENDOR_UNKNOWN,
  TB_MODEM_VENDOR_HUAWEI,
  TB_MODEM_VENDOR_SIMCOM,
} TbModemVendor;

typedef enum {
  TB_MODEM_STATE_OFFLINE,
  TB_MODEM_STATE_PROBING,
  TB_MODEM_STATE_READY,
  TB_MODEM_STATE_IN_CALL,
  TB_MODEM_STATE_ERROR,
} TbModemState;

const char    *tb_modem_vendor_to_string     (TbModemVendor     vendor);
gboolean       tb_modem_vendor_from_string   (const char       *text,
                                              TbModemVendor    *vendor);
const char    *tb_modem_state_to_string      (TbModemState      state);

/* The serial ports a USB modem shows up as: /dev/serial/by-id/… (stable names, first), then
 * /dev/ttyUSB* and /dev/ttyACM*. Returns: (transfer full): possibly empty, never NULL. */
GStrv          tb_modem_list_serial_ports    (void);

G_END_DECLS
