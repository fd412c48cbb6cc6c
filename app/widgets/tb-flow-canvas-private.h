/* tb-flow-canvas-private.h — shared by tb-flow-canvas*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-flow-canvas.h"

G_BEGIN_DECLS

#define TB_FLOW_HANDLE_RADIUS 6.0

typedef enum {
  TB_FLOW_DRAG_NONE,
  TB_FLOW_DRAG_PAN,
  TB_FLOW_DRAG_MOVE,
  TB_FLOW_DRAG_CONNECT,
} TbFlowDrag;

struct _TbFlowCanvas
{
  GtkWidget         parent_instance;

  /* owned */
  TbScriptDocument *document;
  char             *selected;
  char             *highlighted;
  GtkWidget        *popover;          /* which intent a new route of an ask node answers */
  char             *pending_from;
  char             *pending_to;

  /* view: screen = canvas × zoom + pan */
  double            zoom;
  double            pan_x;
  double            pan_y;
  double            zoom_gesture_start;
  gboolean          needs_fit;

  /* the drag in progress */
  TbFlowDrag        drag;
  char             *drag_node;
  double            drag_origin_x;    /* the node's (or the pan's) value when the drag began */
  double            drag_origin_y;
  double            start_x;          /* where the drag began, in widget coordinates */
  double            start_y;
  double            pointer_x;        /* in canvas units, for the rubber-band route */
  double            pointer_y;

  /* the pointer, in widget coordinates, and what it is over */
  double            hover_x;
  double            hover_y;
  char             *hover_handle;     /* the node whose output handle is under the pointer */

  gulong            changed_id;
};

void _tb_flow_canvas_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot);

G_END_DECLS
