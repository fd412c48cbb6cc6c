/* tb-modem-line-call.h — a TbModemCall as a TbCall
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built at merge with app/lines/tb-call.h (see tb-modem-line.c).
 */
#pragma once

#include "tb-call.h"
#include "tb-modem-call.h"

G_BEGIN_DECLS

#define TB_TYPE_MODEM_LINE_CALL (tb_modem_line_call_get_type ())
G_DECLARE_FINAL_TYPE (TbModemLineCall, tb_modem_line_call, TB, MODEM_LINE_CALL, TbCall)

/* Follows @modem_call's state and end reason; its bins are the call's audio endpoint. */
TbModemLineCall *tb_modem_line_call_new            (TbModemCall     *modem_call);
TbModemCall     *tb_modem_line_call_get_modem_call (TbModemLineCall *self);

G_END_DECLS
