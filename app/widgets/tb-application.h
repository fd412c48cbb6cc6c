/* tb-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-campaign-runner.h"
#include "tb-store.h"
#include "tb-webhook-sender.h"

G_BEGIN_DECLS

#define TB_TYPE_APPLICATION (tb_application_get_type ())
#define TB_APPLICATION_DEFAULT (TB_APPLICATION (g_application_get_default ()))

G_DECLARE_FINAL_TYPE (TbApplication, tb_application, TB, APPLICATION, AdwApplication)

TbApplication *tb_application_new          (void);
TbStore       *tb_application_get_store    (TbApplication *self);
/* The default application's store: NULL without an application (a widget built alone in a
 * test) or without a database. */
TbStore       *tb_application_get_default_store (void);
GSettings     *tb_application_get_settings (TbApplication *self);
void           tb_application_store_changed (TbApplication *self,
                                            const char    *table);
/* The campaign's runner, created on first use; NULL with @error set when the
 * campaign cannot run (its script fails the check, its line is missing …). */
TbCampaignRunner *tb_application_get_runner (TbApplication *self,
                                            gint64         campaign_id,
                                            GError       **error);
/* The running campaign's runner, or NULL. */
TbCampaignRunner *tb_application_lookup_runner (TbApplication *self,
                                               gint64         campaign_id);
/* The campaign clock's time (µs since the epoch): the wall clock, or --now's. */
gint64         tb_application_get_now      (TbApplication *self);
TbWebhookSender *tb_application_get_webhook_sender (TbApplication *self);
void           tb_application_reload_webhook (TbApplication *self);

G_END_DECLS
