/* tb-modem-line-dialog.h — add a USB modem line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_MODEM_LINE_DIALOG (tb_modem_line_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TbModemLineDialog, tb_modem_line_dialog, TB, MODEM_LINE_DIALOG,
                      AdwMessageDialog)

GtkWidget *tb_modem_line_dialog_new (GtkWindow *parent);

G_END_DECLS
