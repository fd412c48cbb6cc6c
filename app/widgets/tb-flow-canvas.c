/* tb-flow-canvas.c — the script's flow: node cards and the routes between them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The canvas draws the document and turns pointer gestures into document
 * edits; the script.* actions its key bindings name are the Scripts page's.
 */
#define G_LOG_DOMAIN "tb-flow-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tb-flow-canvas-private.h"

G_DEFINE_FINAL_TYPE (TbFlowCanvas, tb_flow_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_SELECTED_NODE,
  PROP_ZOOM,
  N_PROPS
};

enum {
  NODE_SELECTED,
  N_SIGNALS
};

static void select_node (TbFlowCanvas *self, const char *node_id, gboolean reveal);

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define ZOOM_MIN 0.3
#define ZOOM_MAX 2.0
#define FIT_ZOOM_MIN 0.7

static void
to_canvas (TbFlowCanvas *self,
           double        x,
           double        y,
           double       *cx,
           double       *cy)
{
  *cx = (x - self->pan_x) / self->zoom;
  *cy = (y - self->pan_y) / self->zoom;
}

static char *
node_at_canvas (TbFlowCanvas *self,
                double        cx,
                double        cy,
                gboolean     *on_handle)
{
  g_auto(GStrv) ids = NULL;
  double slop = 10.0 / self->zoom;

  if (on_handle != NULL)
    *on_handle = FALSE;
  if (self->document == NULL)
    return NULL;
  ids = tb_script_document_dup_node_ids (self->document);
  /* Topmost first: cards are drawn in document order. */
  for (guint i = g_strv_length (ids); i > 0; i--) {
    const char *id = ids[i - 1];
    double x, y;
    double hx, hy;

    tb_script_document_get_position (self->document, id, &x, &y);
    hx = x + TB_SCRIPT_CARD_WIDTH;
    hy = y + TB_SCRIPT_CARD_HEIGHT / 2;
    if (on_handle != NULL && (cx - hx) * (cx - hx) + (cy - hy) * (cy - hy) <= slop * slop &&
        !g_str_equal (tb_script_document_get_node_type (self->document, id) ?: "", "hangup")) {
      *on_handle = TRUE;
      return g_strdup (id);
    }
    if (cx >= x && cx <= x + TB_SCRIPT_CARD_WIDTH && cy >= y && cy <= y + TB_SCRIPT_CARD_HEIGHT)
      return g_strdup (id);
  }
  return NULL;
}

static void
on_document_changed (TbFlowCanvas *self)
{
  /* A removed or renamed node cannot stay selected. */
  if (self->selected != NULL && !tb_script_document_has_node (self->document, self->selected))
    tb_flow_canvas_select_node (self, NULL);
  if (self->highlighted != NULL &&
      !tb_script_document_has_node (self->document, self->highlighted))
    g_clear_pointer (&self->highlighted, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
route_chosen_cb (GtkButton    *button,
                 TbFlowCanvas *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "route-key");
  g_autofree char *from = g_steal_pointer (&self->pending_from);
  g_autofree char *to = g_steal_pointer (&self->pending_to);

  gtk_popover_popdown (GTK_POPOVER (self->popover));
  if (from != NULL && to != NULL)
    tb_flow_canvas_connect (self, from, to, key);
}

static void
add_route_choice (TbFlowCanvas *self,
                  GtkBox       *box,
                  const char   *key,
                  const char   *label)
{
  GtkWidget *button = gtk_button_new_with_label (label ? label : key);
  const char *current = tb_script_document_get_route (self->document, self->pending_from, key);

  g_object_set_data_full (G_OBJECT (button), "route-key", g_strdup (key), g_free);
  gtk_widget_add_css_class (button, "flat");
  gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0);
  if (current != NULL) {
    g_autofree char *tip = g_strdup_printf (_("Now goes to “%s”"), current);

    gtk_widget_set_tooltip_text (button, tip);
  }
  g_signal_connect_object (button, "clicked", G_CALLBACK (route_chosen_cb), self, 0);
  gtk_box_append (box, button);
}

/* Asks which answer of the ask node the new route is for. */
static void
ask_route_key (TbFlowCanvas *self,
               const char   *from,
               const char   *to)
{
  g_auto(GStrv) intents = tb_script_document_dup_intent_ids (self->document, FALSE);
  g_auto(GStrv) globals = tb_script_document_dup_intent_ids (self->document, TRUE);
  g_autofree char *title = g_strdup_printf (_("When the callee answers… (to “%s”)"), to);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);
  double x, y;

  g_free (self->pending_from);
  self->pending_from = g_strdup (from);
  g_free (self->pending_to);
  self->pending_to = g_strdup (to);

  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_bottom (label, 6);
  gtk_box_append (GTK_BOX (box), label);
  for (guint i = 0; intents[i] != NULL; i++)
    add_route_choice (self, GTK_BOX (box), intents[i], NULL);
  for (guint i = 0; globals[i] != NULL; i++)
    add_route_choice (self, GTK_BOX (box), globals[i], NULL);
  add_route_choice (self, GTK_BOX (box), TB_SCRIPT_ROUTE_NO_INPUT, _("Silence (no_input)"));
  add_route_choice (self, GTK_BOX (box), TB_SCRIPT_ROUTE_NO_MATCH, _("Anything else (no_match)"));
  gtk_popover_set_child (GTK_POPOVER (self->popover), box);

  tb_script_document_get_position (self->document, to, &x, &y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) {
                                 x * self->zoom + self->pan_x,
                                 (y + TB_SCRIPT_CARD_HEIGHT / 2) * self->zoom + self->pan_y,
                                 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               TbFlowCanvas   *self)
{
  g_autofree char *id = NULL;
  gboolean on_handle;
  double cx, cy;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->start_x = x;
  self->start_y = y;
  to_canvas (self, x, y, &cx, &cy);
  id = node_at_canvas (self, cx, cy, &on_handle);
  g_clear_pointer (&self->drag_node, g_free);
  self->pointer_x = cx;
  self->pointer_y = cy;

  if (id == NULL) {
    self->drag = TB_FLOW_DRAG_PAN;
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
    self->drag_origin_x = self->pan_x;
    self->drag_origin_y = self->pan_y;
    tb_flow_canvas_select_node (self, NULL);
  } else if (on_handle) {
    self->drag = TB_FLOW_DRAG_CONNECT;
    self->drag_node = g_steal_pointer (&id);
  } else {
    self->drag = TB_FLOW_DRAG_MOVE;
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
    tb_script_document_get_position (self->document, id, &self->drag_origin_x,
                                     &self->drag_origin_y);
    tb_script_document_checkpoint (self->document);
    select_node (self, id, FALSE);
    self->drag_node = g_steal_pointer (&id);
  }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                TbFlowCanvas   *self)
{
  switch (self->drag) {
  case TB_FLOW_DRAG_PAN:
    self->pan_x = self->drag_origin_x + dx;
    self->pan_y = self->drag_origin_y + dy;
    gtk_widget_queue_draw (GTK_WIDGET (self));
    break;
  case TB_FLOW_DRAG_MOVE:
    tb_script_document_set_position (self->document, self->drag_node,
                                     self->drag_origin_x + dx / self->zoom,
                                     self->drag_origin_y + dy / self->zoom);
    break;
  case TB_FLOW_DRAG_CONNECT:
    to_canvas (self, self->start_x + dx, self->start_y + dy, &self->pointer_x, &self->pointer_y);
    gtk_widget_queue_draw (GTK_WIDGET (self));
    break;
  case TB_FLOW_DRAG_NONE:
  default:
    break;
  }
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             TbFlowCanvas   *self)
{
  if (self->drag == TB_FLOW_DRAG_CONNECT) {
    g_autofree char *target = node_at_canvas (self, self->pointer_x, self->pointer_y, NULL);

    if (target != NULL && !g_str_equal (target, self->drag_node))
      tb_flow_canvas_connect (self, self->drag_node, target, NULL);
  } else if (self->drag == TB_FLOW_DRAG_MOVE) {
    tb_script_document_checkpoint (self->document);
  }
  self->drag = TB_FLOW_DRAG_NONE;
  g_clear_pointer (&self->drag_node, g_free);
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
zoom_at (TbFlowCanvas *self,
         double        zoom,
         double        x,
         double        y)
{
  double cx, cy;

  zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  to_canvas (self, x, y, &cx, &cy);
  self->zoom = zoom;
  /* Keep the point under the pointer where it is. */
  self->pan_x = x - cx * zoom;
  self->pan_y = y - cy * zoom;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* Wheels scroll in clicks, touchpads in pixels. */
static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           TbFlowCanvas             *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;

  if (mods & GDK_CONTROL_MASK) {
    zoom_at (self, self->zoom * pow (1.1, -dy * (wheel ? 1.0 : 0.1)), self->hover_x,
             self->hover_y);
    return TRUE;
  }
  self->pan_x -= dx * (wheel ? 40 : 1);
  self->pan_y -= dy * (wheel ? 40 : 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           TbFlowCanvas             *self)
{
  g_autofree char *id = NULL;
  gboolean on_handle = FALSE;
  double cx, cy;

  self->hover_x = x;
  self->hover_y = y;
  if (self->drag != TB_FLOW_DRAG_NONE)
    return;
  to_canvas (self, x, y, &cx, &cy);
  id = node_at_canvas (self, cx, cy, &on_handle);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   on_handle ? "crosshair" : id != NULL ? "pointer" : NULL);
  if (g_strcmp0 (on_handle ? id : NULL, self->hover_handle) != 0) {
    g_free (self->hover_handle);
    self->hover_handle = on_handle ? g_steal_pointer (&id) : NULL;
    gtk_widget_queue_draw (GTK_WIDGET (self));
  }
}

static void
on_leave (TbFlowCanvas *self)
{
  g_clear_pointer (&self->hover_handle, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Arrow keys walk to the nearest card in that direction. */
static gboolean
select_neighbor_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  TbFlowCanvas *self = TB_FLOW_CANVAS (widget);
  g_auto(GStrv) ids = NULL;
  const char *best = NULL;
  double best_score = G_MAXDOUBLE;
  double sx, sy;
  int dx, dy;

  if (self->document == NULL)
    return FALSE;
  g_variant_get (args, "(ii)", &dx, &dy);
  ids = tb_script_document_dup_node_ids (self->document);
  if (self->selected == NULL) {
    tb_flow_canvas_select_node (self, tb_script_document_get_start (self->document) ?: ids[0]);
    return TRUE;
  }
  tb_script_document_get_position (self->document, self->selected, &sx, &sy);
  for (guint i = 0; ids[i] != NULL; i++) {
    double x, y, along, across;

    if (g_str_equal (ids[i], self->selected))
      continue;
    tb_script_document_get_position (self->document, ids[i], &x, &y);
    along = (x - sx) * dx + (y - sy) * dy;
    across = fabs ((x - sx) * dy) + fabs ((y - sy) * dx);
    if (along <= 0 || across > along * 2)
      continue;
    if (along + across * 2 < best_score) {
      best_score = along + across * 2;
      best = ids[i];
    }
  }
  if (best != NULL)
    tb_flow_canvas_select_node (self, best);
  return TRUE;
}

/* Alt+arrows move the selected card by one grid step. */
static gboolean
move_selected_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  TbFlowCanvas *self = TB_FLOW_CANVAS (widget);
  double x, y;
  int dx, dy;

  if (self->document == NULL || self->selected == NULL)
    return FALSE;
  g_variant_get (args, "(ii)", &dx, &dy);
  tb_script_document_get_position (self->document, self->selected, &x, &y);
  tb_script_document_set_position (self->document, self->selected, x + dx * 24, y + dy * 24);
  return TRUE;
}

static void
on_zoom_begin (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               TbFlowCanvas     *self)
{
  self->zoom_gesture_start = self->zoom;
}

static void
on_zoom_scale_changed (GtkGestureZoom *gesture,
                       double          scale,
                       TbFlowCanvas   *self)
{
  double x, y;

  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y);
  zoom_at (self, self->zoom_gesture_start * scale, x, y);
}

static void
tb_flow_canvas_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  TbFlowCanvas *self = TB_FLOW_CANVAS (widget);

  if (self->needs_fit && width > 0 && height > 0) {
    self->needs_fit = FALSE;
    tb_flow_canvas_zoom_to_fit (self);
  }
  gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
tb_flow_canvas_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 720 : 420;
}

static void
tb_flow_canvas_dispose (GObject *object)
{
  TbFlowCanvas *self = TB_FLOW_CANVAS (object);

  tb_flow_canvas_set_document (self, NULL);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->highlighted, g_free);
  g_clear_pointer (&self->pending_from, g_free);
  g_clear_pointer (&self->pending_to, g_free);
  g_clear_pointer (&self->drag_node, g_free);
  g_clear_pointer (&self->hover_handle, g_free);

  G_OBJECT_CLASS (tb_flow_canvas_parent_class)->dispose (object);
}

static void
tb_flow_canvas_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TbFlowCanvas *self = TB_FLOW_CANVAS (object);

  switch (prop_id) {
  case PROP_DOCUMENT:
    g_value_set_object (value, self->document);
    break;
  case PROP_SELECTED_NODE:
    g_value_set_string (value, self->selected);
    break;
  case PROP_ZOOM:
    g_value_set_double (value, self->zoom);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_flow_canvas_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TbFlowCanvas *self = TB_FLOW_CANVAS (object);

  switch (prop_id) {
  case PROP_DOCUMENT:
    tb_flow_canvas_set_document (self, g_value_get_object (value));
    break;
  case PROP_SELECTED_NODE:
    tb_flow_canvas_select_node (self, g_value_get_string (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_flow_canvas_class_init (TbFlowCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_flow_canvas_dispose;
  object_class->get_property = tb_flow_canvas_get_property;
  object_class->set_property = tb_flow_canvas_set_property;

  widget_class->snapshot = _tb_flow_canvas_snapshot;
  widget_class->measure = tb_flow_canvas_measure;
  widget_class->size_allocate = tb_flow_canvas_size_allocate;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, TB_TYPE_SCRIPT_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_NODE] =
    g_param_spec_string ("selected-node", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, ZOOM_MIN, ZOOM_MAX, 1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The selection changed (NULL: nothing selected). */
  signals[NODE_SELECTED] = g_signal_new ("node-selected", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);

  /* Keys that only make sense with the canvas focused; the page owns the actions. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "script.delete-node", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0,
                                       "script.delete-node", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "script.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "script.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "script.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "script.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "script.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "script.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "script.zoom-reset", NULL);

  {
    static const struct { guint key; int dx, dy; } arrows[] = {
      { GDK_KEY_Left, -1, 0 }, { GDK_KEY_Right, 1, 0 },
      { GDK_KEY_Up, 0, -1 }, { GDK_KEY_Down, 0, 1 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (arrows); i++) {
      gtk_widget_class_add_binding (widget_class, arrows[i].key, 0, select_neighbor_cb, "(ii)",
                                    arrows[i].dx, arrows[i].dy);
      gtk_widget_class_add_binding (widget_class, arrows[i].key, GDK_ALT_MASK, move_selected_cb,
                                    "(ii)", arrows[i].dx, arrows[i].dy);
    }
  }

  gtk_widget_class_set_css_name (widget_class, "flowcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tb_flow_canvas_init (TbFlowCanvas *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *zoom = gtk_gesture_zoom_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *motion;

  self->zoom = 1.0;
  self->needs_fit = TRUE;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Script flow"), -1);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  self->popover = gtk_popover_new ();
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
}

GtkWidget *
tb_flow_canvas_new (void)
{
  return g_object_new (TB_TYPE_FLOW_CANVAS, NULL);
}

TbScriptDocument *
tb_flow_canvas_get_document (TbFlowCanvas *self)
{
  g_return_val_if_fail (TB_IS_FLOW_CANVAS (self), NULL);

  return self->document;
}

void
tb_flow_canvas_set_document (TbFlowCanvas     *self,
                             TbScriptDocument *document)
{
  g_return_if_fail (TB_IS_FLOW_CANVAS (self));
  g_return_if_fail (document == NULL || TB_IS_SCRIPT_DOCUMENT (document));

  if (self->document == document)
    return;
  if (self->document != NULL)
    g_clear_signal_handler (&self->changed_id, self->document);
  g_set_object (&self->document, document);
  if (document != NULL)
    self->changed_id = g_signal_connect_swapped (document, "changed",
                                                 G_CALLBACK (on_document_changed), self);
  tb_flow_canvas_select_node (self, NULL);
  g_clear_pointer (&self->highlighted, g_free);
  self->needs_fit = TRUE;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

const char *
tb_flow_canvas_get_selected_node (TbFlowCanvas *self)
{
  g_return_val_if_fail (TB_IS_FLOW_CANVAS (self), NULL);

  return self->selected;
}

/* A node selected out of view (from the Problems list, a new node, a search) is brought into
 * it: the view pans to centre the card. A card partly in view does not move. */
static void
reveal_node (TbFlowCanvas *self,
             const char   *node_id)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  graphene_rect_t card;

  if (node_id == NULL || width <= 0 || height <= 0 || self->needs_fit ||
      !tb_flow_canvas_get_node_bounds (self, node_id, &card))
    return;
  /* A card the user can see part of (and may be dragging) stays where it is. */
  if (card.origin.x < width && card.origin.y < height &&
      card.origin.x + card.size.width > 0 && card.origin.y + card.size.height > 0)
    return;
  self->pan_x += width / 2 - (card.origin.x + card.size.width / 2);
  self->pan_y += height / 2 - (card.origin.y + card.size.height / 2);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
select_node (TbFlowCanvas *self,
             const char   *node_id,
             gboolean      reveal)
{
  if (node_id != NULL && (self->document == NULL ||
                          !tb_script_document_has_node (self->document, node_id)))
    node_id = NULL;
  if (g_strcmp0 (self->selected, node_id) == 0)
    return;
  g_free (self->selected);
  self->selected = g_strdup (node_id);
  if (reveal)
    reveal_node (self, node_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* Screen readers cannot see the cards: say which one is selected and what it says. */
  if (node_id != NULL) {
    const char *text = tb_script_document_get_node_text (self->document, node_id);
    g_autofree char *description =
      g_strdup_printf ("%s (%s): %s", node_id,
                       tb_script_node_type_get_label (
                         tb_script_document_get_node_type (self->document, node_id)),
                       text ? text : "");

    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    description, -1);
  } else {
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_NODE]);
  g_signal_emit (self, signals[NODE_SELECTED], 0, node_id);
}

void
tb_flow_canvas_select_node (TbFlowCanvas *self,
                            const char   *node_id)
{
  g_return_if_fail (TB_IS_FLOW_CANVAS (self));

  select_node (self, node_id, TRUE);
}

const char *
tb_flow_canvas_get_highlighted_node (TbFlowCanvas *self)
{
  g_return_val_if_fail (TB_IS_FLOW_CANVAS (self), NULL);

  return self->highlighted;
}

/* The node a dialog (the Try-it panel) is at. */
void
tb_flow_canvas_set_highlighted_node (TbFlowCanvas *self,
                                     const char   *node_id)
{
  g_return_if_fail (TB_IS_FLOW_CANVAS (self));

  if (g_strcmp0 (self->highlighted, node_id) == 0)
    return;
  g_free (self->highlighted);
  self->highlighted = g_strdup (node_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Adds a node right of the selected one (or in the middle of the view),
 * selects it and returns its id. */
char *
tb_flow_canvas_add_node (TbFlowCanvas *self,
                         const char   *type)
{
  char *id;
  double x, y;

  g_return_val_if_fail (TB_IS_FLOW_CANVAS (self), NULL);
  g_return_val_if_fail (self->document != NULL, NULL);

  if (self->selected != NULL) {
    tb_script_document_get_position (self->document, self->selected, &x, &y);
    x += TB_SCRIPT_CARD_WIDTH + TB_SCRIPT_COLUMN_GAP;
  } else {
    to_canvas (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
               gtk_widget_get_height (GTK_WIDGET (self)) / 2.0, &x, &y);
    x -= TB_SCRIPT_CARD_WIDTH / 2;
    y -= TB_SCRIPT_CARD_HEIGHT / 2;
  }
  /* Never right on top of another card. */
  for (guint tries = 0; tries < 50; tries++) {
    g_autofree char *under = node_at_canvas (self, x + 8, y + 8, NULL);
    g_autofree char *under2 = node_at_canvas (self, x + TB_SCRIPT_CARD_WIDTH - 8,
                                              y + TB_SCRIPT_CARD_HEIGHT - 8, NULL);

    if (under == NULL && under2 == NULL)
      break;
    y += TB_SCRIPT_CARD_HEIGHT + TB_SCRIPT_ROW_GAP;
  }

  id = tb_script_document_add_node (self->document, type, NULL);
  /* Adding and placing the card is one step for undo. */
  tb_script_document_set_position (self->document, id, x, y);
  tb_flow_canvas_select_node (self, id);
  return id;
}

/* Connects @from to @to: an ask node's route for @key, another node's next.
 * For an ask node and a NULL @key, a popover asks which answer it is for. */
void
tb_flow_canvas_connect (TbFlowCanvas *self,
                        const char   *from,
                        const char   *to,
                        const char   *key)
{
  gboolean ask;

  g_return_if_fail (TB_IS_FLOW_CANVAS (self));
  g_return_if_fail (from != NULL && to != NULL);

  if (self->document == NULL || !tb_script_document_has_node (self->document, from) ||
      !tb_script_document_has_node (self->document, to))
    return;
  ask = g_strcmp0 (tb_script_document_get_node_type (self->document, from), "ask") == 0;
  if (ask && key == NULL) {
    ask_route_key (self, from, to);
    return;
  }
  tb_script_document_connect (self->document, from, ask ? key : NULL, to);
}

double
tb_flow_canvas_get_zoom (TbFlowCanvas *self)
{
  g_return_val_if_fail (TB_IS_FLOW_CANVAS (self), 1.0);

  return self->zoom;
}

void
tb_flow_canvas_set_zoom (TbFlowCanvas *self,
                         double        zoom)
{
  g_return_if_fail (TB_IS_FLOW_CANVAS (self));

  zoom_at (self, zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/* Centres the flow in the view, at 100 % or smaller when it does not fit. */
void
tb_flow_canvas_zoom_to_fit (TbFlowCanvas *self)
{
  g_auto(GStrv) ids = NULL;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  const double margin = 48;

  g_return_if_fail (TB_IS_FLOW_CANVAS (self));

  if (self->document == NULL || width <= 0 || height <= 0)
    return;
  ids = tb_script_document_dup_node_ids (self->document);
  if (ids[0] == NULL) {
    self->zoom = 1.0;
    self->pan_x = width / 2;
    self->pan_y = height / 2;
    gtk_widget_queue_draw (GTK_WIDGET (self));
    return;
  }
  for (guint i = 0; ids[i] != NULL; i++) {
    double x, y;

    tb_script_document_get_position (self->document, ids[i], &x, &y);
    x0 = MIN (x0, x);
    y0 = MIN (y0, y - 24);              /* the start badge sits above its card */
    x1 = MAX (x1, x + TB_SCRIPT_CARD_WIDTH);
    y1 = MAX (y1, y + TB_SCRIPT_CARD_HEIGHT);
  }
  /* Below 70 % the cards are hard to read: then the flow starts at the left
   * edge (where the start node is) and the rest is a pan away. */
  self->zoom = CLAMP (MIN ((width - 2 * margin) / (x1 - x0), (height - 2 * margin) / (y1 - y0)),
                      FIT_ZOOM_MIN, 1.0);
  if ((x1 - x0) * self->zoom <= width - 2 * margin)
    self->pan_x = width / 2 - (x0 + x1) / 2 * self->zoom;
  else
    self->pan_x = margin - x0 * self->zoom;
  if ((y1 - y0) * self->zoom <= height - 2 * margin)
    self->pan_y = height / 2 - (y0 + y1) / 2 * self->zoom;
  else
    self->pan_y = margin - y0 * self->zoom;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* Where the node's card is, in widget coordinates. */
gboolean
tb_flow_canvas_get_node_bounds (TbFlowCanvas    *self,
                                const char      *node_id,
                                graphene_rect_t *bounds)
{
  double x, y;

  g_return_val_if_fail (TB_IS_FLOW_CANVAS (self), FALSE);

  if (self->document == NULL || !tb_script_document_has_node (self->document, node_id))
    return FALSE;
  tb_script_document_get_position (self->document, node_id, &x, &y);
  graphene_rect_init (bounds, x * self->zoom + self->pan_x, y * self->zoom + self->pan_y,
                      TB_SCRIPT_CARD_WIDTH * self->zoom, TB_SCRIPT_CARD_HEIGHT * self->zoom);
  return TRUE;
}

/* The node under widget coordinates (@x, @y), or NULL. */
char *
tb_flow_canvas_dup_node_at (TbFlowCanvas *self,
                            double        x,
                            double        y)
{
  double cx, cy;

  g_return_val_if_fail (TB_IS_FLOW_CANVAS (self), NULL);

  to_canvas (self, x, y, &cx, &cy);
  return node_at_canvas (self, cx, cy, NULL);
}
