/* tb-pool-list.h — the lines of a campaign's pool, and each line's caller numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_POOL_LIST (tb_pool_list_get_type ())
G_DECLARE_FINAL_TYPE (TbPoolList, tb_pool_list, TB, POOL_LIST, AdwBin)

GtkWidget *tb_pool_list_new          (void);
/* Shows campaign @campaign_id's lines (rows named "campaign-line-LINE", numbers
 * "campaign-number-LINE-NUMBER"), following its pool while this window runs it. */
void       tb_pool_list_set_campaign (TbPoolList *self,
                                      gint64      campaign_id);
/* Reads the lines again (a call ended, the store changed). */
void       tb_pool_list_refresh      (TbPoolList *self);

G_END_DECLS
