/* tb-integrations-page.h — Preferences → Integrations: the CRM webhook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-application.h"

G_BEGIN_DECLS

#define TB_TYPE_INTEGRATIONS_PAGE (tb_integrations_page_get_type ())
G_DECLARE_FINAL_TYPE (TbIntegrationsPage, tb_integrations_page, TB, INTEGRATIONS_PAGE,
                      AdwPreferencesPage)

TbIntegrationsPage *tb_integrations_page_new     (TbApplication      *app);
/* Reloads the delivery counts and log from the store. */
void                tb_integrations_page_refresh (TbIntegrationsPage *self);

G_END_DECLS
