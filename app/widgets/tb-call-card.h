/* tb-call-card.h — one live call on the Campaigns page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-live-call.h"
#include "tb-script.h"

G_BEGIN_DECLS

#define TB_TYPE_CALL_CARD (tb_call_card_get_type ())
G_DECLARE_FINAL_TYPE (TbCallCard, tb_call_card, TB, CALL_CARD, AdwBin)

GtkWidget  *tb_call_card_new      (TbLiveCall *call,
                                   TbScript   *script);
TbLiveCall *tb_call_card_get_call (TbCallCard *self);
void        tb_call_card_set_ended (TbCallCard *self);

G_END_DECLS
