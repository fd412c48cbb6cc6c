/* tb-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-application.h"

G_BEGIN_DECLS

#define TB_TYPE_WINDOW (tb_window_get_type ())
G_DECLARE_FINAL_TYPE (TbWindow, tb_window, TB, WINDOW, AdwApplicationWindow)

TbWindow *tb_window_new        (TbApplication *app);
void      tb_window_show_toast (TbWindow      *self,
                                const char    *message);
void      tb_window_add_toast  (TbWindow      *self,
                                AdwToast      *toast);

G_END_DECLS
