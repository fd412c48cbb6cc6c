/* tb-campaigns-page.h — the Campaigns page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_CAMPAIGNS_PAGE (tb_campaigns_page_get_type ())
G_DECLARE_FINAL_TYPE (TbCampaignsPage, tb_campaigns_page, TB, CAMPAIGNS_PAGE, AdwBin)

void    tb_campaigns_page_set_live_calls  (TbCampaignsPage *self,
                                           GListModel      *live_calls);
gint64  tb_campaigns_page_get_campaign_id (TbCampaignsPage *self);

G_END_DECLS
