/* tb-leads-page.h — the Leads page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_LEADS_PAGE (tb_leads_page_get_type ())
G_DECLARE_FINAL_TYPE (TbLeadsPage, tb_leads_page, TB, LEADS_PAGE, AdwBin)

G_END_DECLS
