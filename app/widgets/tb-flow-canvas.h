/* tb-flow-canvas.h — the script's flow: node cards and the routes between them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-script-document.h"

G_BEGIN_DECLS

#define TB_TYPE_FLOW_CANVAS (tb_flow_canvas_get_type ())
G_DECLARE_FINAL_TYPE (TbFlowCanvas, tb_flow_canvas, TB, FLOW_CANVAS, GtkWidget)

GtkWidget        *tb_flow_canvas_new                  (void);
TbScriptDocument *tb_flow_canvas_get_document         (TbFlowCanvas *self);
void              tb_flow_canvas_set_document         (TbFlowCanvas     *self,
                                                       TbScriptDocument *document);
const char       *tb_flow_canvas_get_selected_node    (TbFlowCanvas *self);
void              tb_flow_canvas_select_node          (TbFlowCanvas *self,
                                                       const char   *node_id);
const char       *tb_flow_canvas_get_highlighted_node (TbFlowCanvas *self);
void              tb_flow_canvas_set_highlighted_node (TbFlowCanvas *self,
                                                       const char   *node_id);
char             *tb_flow_canvas_add_node             (TbFlowCanvas *self,
                                                       const char   *type);
void              tb_flow_canvas_connect              (TbFlowCanvas *self,
                                                       const char   *from,
                                                       const char   *to,
                                                       const char   *key);
double            tb_flow_canvas_get_zoom             (TbFlowCanvas *self);
void              tb_flow_canvas_set_zoom             (TbFlowCanvas *self,
                                                       double        zoom);
void              tb_flow_canvas_zoom_to_fit          (TbFlowCanvas *self);
gboolean          tb_flow_canvas_get_node_bounds      (TbFlowCanvas    *self,
                                                       const char      *node_id,
                                                       graphene_rect_t *bounds);
char             *tb_flow_canvas_dup_node_at          (TbFlowCanvas *self,
                                                       double        x,
                                                       double        y);

G_END_DECLS
