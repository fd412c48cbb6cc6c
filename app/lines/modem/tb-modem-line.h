/* tb-modem-line.h — a USB voice modem as a TbLine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built at merge with app/lines/tb-line.h (see tb-modem-line.c).
 */
#pragma once

#include "tb-line.h"
#include "tb-modem-device.h"

G_BEGIN_DECLS

#define TB_TYPE_MODEM_LINE (tb_modem_line_get_type ())
G_DECLARE_FINAL_TYPE (TbModemLine, tb_modem_line, TB, MODEM_LINE, TbLine)

/* @audio_path: (nullable): the PCM port; without it the line is in ERROR ("cannot carry
 * voice") once started. @vendor: "huawei", "simcom" or NULL to detect. */
TbModemLine   *tb_modem_line_new             (const char  *name,
                                              const char  *device_path,
                                              const char  *audio_path,
                                              const char  *vendor,
                                              GError     **error);
/* @config_json: {"device": PATH, "audio": PATH, "vendor": "huawei"|"simcom"} (lines.config). */
TbModemLine   *tb_modem_line_new_from_config (const char  *name,
                                              const char  *config_json,
                                              int          max_calls,
                                              GError     **error);
TbModemDevice *tb_modem_line_get_device      (TbModemLine *self);

G_END_DECLS
