/* tb-intents-editor.h — the script's intents and global intents, with their phrases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-script-document.h"

G_BEGIN_DECLS

#define TB_TYPE_INTENTS_EDITOR (tb_intents_editor_get_type ())
G_DECLARE_FINAL_TYPE (TbIntentsEditor, tb_intents_editor, TB, INTENTS_EDITOR, AdwBin)

GtkWidget *tb_intents_editor_new          (void);
void       tb_intents_editor_set_document (TbIntentsEditor  *self,
                                           TbScriptDocument *document);

G_END_DECLS
