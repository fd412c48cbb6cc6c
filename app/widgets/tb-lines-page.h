/* tb-lines-page.h — the Lines page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_LINES_PAGE (tb_lines_page_get_type ())
G_DECLARE_FINAL_TYPE (TbLinesPage, tb_lines_page, TB, LINES_PAGE, AdwBin)

G_END_DECLS
