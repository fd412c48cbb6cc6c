/* tb-scripts-page.h — the Scripts page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_SCRIPTS_PAGE (tb_scripts_page_get_type ())
G_DECLARE_FINAL_TYPE (TbScriptsPage, tb_scripts_page, TB, SCRIPTS_PAGE, AdwBin)

G_END_DECLS
