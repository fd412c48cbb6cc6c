/* tb-node-inspector.h — edits the selected node of a script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-script-document.h"

G_BEGIN_DECLS

#define TB_TYPE_NODE_INSPECTOR (tb_node_inspector_get_type ())
G_DECLARE_FINAL_TYPE (TbNodeInspector, tb_node_inspector, TB, NODE_INSPECTOR, AdwBin)

GtkWidget        *tb_node_inspector_new          (void);
TbScriptDocument *tb_node_inspector_get_document (TbNodeInspector  *self);
void              tb_node_inspector_set_document (TbNodeInspector  *self,
                                                  TbScriptDocument *document);
const char       *tb_node_inspector_get_node_id  (TbNodeInspector  *self);
void              tb_node_inspector_set_node_id  (TbNodeInspector  *self,
                                                  const char       *node_id);

G_END_DECLS
