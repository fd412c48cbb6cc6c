/* tb-new-campaign-dialog.h — create a campaign, ending with the compliance pre-flight report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_NEW_CAMPAIGN_DIALOG (tb_new_campaign_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TbNewCampaignDialog, tb_new_campaign_dialog, TB, NEW_CAMPAIGN_DIALOG,
                      AdwWindow)

/* A modal window over @parent. ::created (gint64 campaign id) is emitted once the campaign
 * is in the store, just before the dialog closes. */
GtkWidget *tb_new_campaign_dialog_new      (GtkWindow           *parent);
/* TRUE while the contact survey runs. */
gboolean   tb_new_campaign_dialog_get_busy (TbNewCampaignDialog *self);
void       tb_new_campaign_dialog_refresh  (TbNewCampaignDialog *self);

G_END_DECLS
