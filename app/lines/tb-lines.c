/* tb-lines.c — the one place that knows every line kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-lines"

#include "config.h"

#include "tb-lines.h"
#include "tb-lines-config.h"
#include "tb-modem-line.h"
#include "tb-sim-line.h"
#if TB_HAVE_SIP
#include "tb-sip-line.h"
#endif

TbLine *
tb_line_new_for_config (const char  *name,
                        const char  *kind,
                        const char  *config_json,
                        int          max_calls,
                        GError     **error)
{
  g_return_val_if_fail (name != NULL && kind != NULL, NULL);

  if (g_str_equal (kind, "sim"))
    return TB_LINE (tb_sim_line_new_from_config (name, config_json, max_calls, error));
#if TB_HAVE_SIP
  if (g_str_equal (kind, "sip"))
    return TB_LINE (tb_sip_line_new_from_config (name, config_json, max_calls, error));
#endif
  if (g_str_equal (kind, "modem"))
    return TB_LINE (tb_modem_line_new_from_config (name, config_json, max_calls, error));
  g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_SUPPORTED,
               "line %s: kind \"%s\" is not built into this Telebot", name, kind);
  return NULL;
}
