/* tb-sip-line-dialog.h — add a SIP line: account settings, password to the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_SIP_LINE_DIALOG (tb_sip_line_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TbSipLineDialog, tb_sip_line_dialog, TB, SIP_LINE_DIALOG,
                      AdwMessageDialog)

GtkWidget *tb_sip_line_dialog_new      (GtkWindow  *parent);
/* Edits the stored SIP line @name: its settings prefilled, a new password only if typed. */
GtkWidget *tb_sip_line_dialog_new_edit (GtkWindow  *parent,
                                        const char *name);

G_END_DECLS
