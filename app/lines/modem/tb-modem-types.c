/* tb-modem-types.c — enums and the error domain of the modem line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-modem-types"

#include "config.h"

#include "tb-modem-types.h"

G_DEFINE_QUARK (tb-modem-error-quark, tb_modem_error)

const char *
tb_modem_vendor_to_string (TbModemVendor vendor)
{
  switch (vendor) {
  case TB_MODEM_VENDOR_HUAWEI: return "huawei";
  case TB_MODEM_VENDOR_SIMCOM: return "simcom";
  case TB_MODEM_VENDOR_UNKNOWN:
  default: return "unknown";
  }
}

gboolean
tb_modem_vendor_from_string (const char    *text,
                             TbModemVendor *vendor)
{
  if (text == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (text, "huawei") == 0)
    *vendor = TB_MODEM_VENDOR_HUAWEI;
  else if (g_ascii_strcasecmp (text, "simcom") == 0)
    *vendor = TB_MODEM_VENDOR_SIMCOM;
  else if (g_ascii_strcasecmp (text, "auto") == 0 || g_ascii_strcasecmp (text, "unknown") == 0)
    *vendor = TB_MODEM_VENDOR_UNKNOWN;
  else
    return FALSE;
  return TRUE;
}

const char *
tb_modem_state_to_string (TbModemState state)
{
  switch (state) {
  case TB_MODEM_STATE_OFFLINE: return "offline";
  case TB_MODEM_STATE_PROBING: return "probing";
  case TB_MODEM_STATE_READY: return "ready";
  case TB_MODEM_STATE_IN_CALL: return "in_call";
  case TB_MODEM_STATE_ERROR: return "error";
  default: return "unknown";
  }
}

const char *
tb_modem_call_state_to_string (TbModemCallState state)
{
  switch (state) {
  case TB_MODEM_CALL_STATE_DIALING: return "dialing";
  case TB_MODEM_CALL_STATE_RINGING: return "ringing";
  case TB_MODEM_CALL_STATE_ANSWERED: return "answered";
  case TB_MODEM_CALL_STATE_ENDED: return "ended";
  default: return "unknown";
  }
}

const char *
tb_modem_end_reason_to_string (TbModemEndReason reason)
{
  switch (reason) {
  case TB_MODEM_END_REASON_NONE: return "none";
  case TB_MODEM_END_REASON_COMPLETED: return "completed";
  case TB_MODEM_END_REASON_BUSY: return "busy";
  case TB_MODEM_END_REASON_NO_ANSWER: return "no_answer";
  case TB_MODEM_END_REASON_REJECTED: return "rejected";
  case TB_MODEM_END_REASON_UNREACHABLE: return "unreachable";
  case TB_MODEM_END_REASON_FAILED: return "failed";
  case TB_MODEM_END_REASON_CANCELLED: return "cancelled";
  case TB_MODEM_END_REASON_MEDIA_TIMEOUT: return "media_timeout";
  default: return "unknown";
  }
}
