/* tb-flow-canvas-draw.c — how the flow canvas looks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Colours are libadwaita's named colours, looked up at every frame, so the
 * canvas follows the light/dark style and the accent like the rest of the app.
 */
#define G_LOG_DOMAIN "tb-flow-canvas-draw"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tb-flow-canvas-private.h"

#define CARD_RADIUS   12.0
#define HEADER_HEIGHT 32.0
#define GRID_SPACING  24.0

typedef struct {
  GdkRGBA bg;
  GdkRGBA dot;
  GdkRGBA card;
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA border;
  GdkRGBA edge;
  GdkRGBA accent;
  GdkRGBA success;
  GdkRGBA shadow;
  gboolean dark;
} Palette;

typedef struct {
  const char *target;
  GString    *label;
} Edge;

static GdkRGBA
lookup (GtkWidget  *widget,
        const char *name,
        const char *fallback)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &color))
    gdk_rgba_parse (&color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return color;
}

static GdkRGBA
with_alpha (GdkRGBA color,
            float   alpha)
{
  color.alpha *= alpha;
  return color;
}

static void
palette_init (Palette   *p,
              GtkWidget *widget)
{
  p->bg = lookup (widget, "view_bg_color", "#ffffff");
  p->card = lookup (widget, "card_bg_color", "#ffffff");
  p->fg = lookup (widget, "view_fg_color", "rgba(0,0,0,0.8)");
  p->accent = lookup (widget, "accent_color", "#1c71d8");
  p->success = lookup (widget, "success_color", "#26a269");
  p->dark = (p->bg.red + p->bg.green + p->bg.blue) < 1.5;
  p->dim = with_alpha (p->fg, 0.6f);
  p->border = with_alpha (p->fg, p->dark ? 0.15f : 0.12f);
  p->dot = with_alpha (p->fg, p->dark ? 0.14f : 0.16f);
  p->edge = with_alpha (p->fg, 0.45f);
  p->shadow = (GdkRGBA) { 0, 0, 0, p->dark ? 0.45f : 0.10f };
  /* The canvas sits a shade off the cards so that they stand out. */
  if (!p->dark)
    p->bg = lookup (widget, "window_bg_color", "#fafafa");
}

static GdkRGBA
type_color (GtkWidget  *widget,
            const char *type)
{
  static const struct { const char *type, *name, *fallback; } colors[] = {
    { "say", "blue_3", "#3584e4" },
    { "ask", "purple_3", "#9141ac" },
    { "transfer", "green_4", "#2ec27e" },
    { "voicemail", "orange_3", "#ff7800" },
    { "hangup", "red_3", "#e01b24" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (colors); i++)
    if (g_strcmp0 (type, colors[i].type) == 0)
      return lookup (widget, colors[i].name, colors[i].fallback);
  return lookup (widget, "dark_2", "#5e5c64");
}

static PangoLayout *
make_layout (GtkWidget  *widget,
             const char *markup,
             double      width,
             int         lines)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);

  pango_layout_set_markup (layout, markup, -1);
  if (width > 0) {
    pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_height (layout, -lines);
  }
  return layout;
}

static void
draw_layout (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             double         x,
             double         y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* A small rounded label: route names on the curves, the start badge. */
static void
draw_pill (GtkWidget     *widget,
           GtkSnapshot   *snapshot,
           const char    *text,
           double         cx,
           double         cy,
           const GdkRGBA *bg,
           const GdkRGBA *border,
           const GdkRGBA *fg)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *markup = g_strdup_printf ("<small>%s</small>", escaped);
  g_autoptr(PangoLayout) layout = make_layout (widget, markup, -1, 1);
  GskRoundedRect rr;
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (cx - w / 2.0 - 8, cy - h / 2.0 - 2,
                                                             w + 16, h + 4), (h + 4) / 2.0);
  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  gtk_snapshot_append_color (snapshot, bg, &rr.bounds);
  gtk_snapshot_pop (snapshot);
  if (border != NULL)
    gtk_snapshot_append_border (snapshot, &rr, (float[4]) { 1, 1, 1, 1 },
                                (GdkRGBA[4]) { *border, *border, *border, *border });
  draw_layout (snapshot, layout, cx - w / 2.0, cy - h / 2.0, fg);
}

static void
draw_grid (TbFlowCanvas *self,
           GtkSnapshot  *snapshot,
           const Palette *p)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double step = GRID_SPACING * self->zoom;
  double ox = fmod (self->pan_x, step) - step;
  double oy = fmod (self->pan_y, step) - step;
  double dot = MAX (1.0, 2.0 * self->zoom);

  gtk_snapshot_append_color (snapshot, &p->bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (step < 6)
    return;
  /* One dot, repeated: cheap however large the view. */
  gtk_snapshot_push_repeat (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height),
                            &GRAPHENE_RECT_INIT (ox, oy, step, step));
  gtk_snapshot_append_color (snapshot, &p->dot, &GRAPHENE_RECT_INIT (ox, oy, dot, dot));
  gtk_snapshot_pop (snapshot);
}

/* A node's outgoing edges, one per target, labelled with every route key to it. */
static GArray *
collect_edges (TbScriptDocument *doc,
               const char       *id)
{
  GArray *edges = g_array_new (FALSE, TRUE, sizeof (Edge));
  g_auto(GStrv) keys = tb_script_document_dup_route_keys (doc, id);
  const char *next = tb_script_document_get_node_next (doc, id);

  if (next != NULL && tb_script_document_has_node (doc, next))
    g_array_append_val (edges, ((Edge) { next, g_string_new (NULL) }));
  for (guint i = 0; keys[i] != NULL; i++) {
    const char *target = tb_script_document_get_route (doc, id, keys[i]);
    Edge *edge = NULL;

    if (target == NULL || !tb_script_document_has_node (doc, target))
      continue;
    for (guint e = 0; e < edges->len; e++)
      if (g_str_equal (g_array_index (edges, Edge, e).target, target))
        edge = &g_array_index (edges, Edge, e);
    if (edge == NULL) {
      g_array_append_val (edges, ((Edge) { target, g_string_new (NULL) }));
      edge = &g_array_index (edges, Edge, edges->len - 1);
    }
    if (edge->label->len > 0)
      g_string_append (edge->label, ", ");
    g_string_append (edge->label, keys[i]);
  }
  return edges;
}

static void
bezier (double  sx,
        double  sy,
        double  tx,
        double  ty,
        double *c1x,
        double *c2x)
{
  double dx = MAX (60.0, fabs (tx - sx) / 2.0);

  /* Routes going back to an earlier column swing wider. */
  if (tx < sx + 20)
    dx = MAX (dx, 140.0);
  *c1x = sx + dx;
  *c2x = tx - dx;
}

static void
cairo_edge (cairo_t       *cr,
            double         sx,
            double         sy,
            double         tx,
            double         ty,
            const GdkRGBA *color,
            double         width)
{
  double c1x, c2x;

  bezier (sx, sy, tx, ty, &c1x, &c2x);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, sx, sy);
  cairo_curve_to (cr, c1x, sy, c2x, ty, tx - 7, ty);
  cairo_stroke (cr);
  /* The arrow head, along the curve's last (horizontal) tangent. */
  cairo_move_to (cr, tx, ty);
  cairo_line_to (cr, tx - 10, ty - 5.5);
  cairo_line_to (cr, tx - 10, ty + 5.5);
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* Draws the curves and returns their labels (position, then text) to draw over the cards. */
static GPtrArray *
draw_edges (TbFlowCanvas  *self,
            GtkSnapshot   *snapshot,
            const Palette *p,
            GStrv          ids)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  cairo_translate (cr, self->pan_x, self->pan_y);
  cairo_scale (cr, self->zoom, self->zoom);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  for (guint i = 0; ids[i] != NULL; i++) {
    g_autoptr(GArray) edges = collect_edges (self->document, ids[i]);
    gboolean selected = g_strcmp0 (ids[i], self->selected) == 0;
    double sx, sy;

    tb_script_document_get_position (self->document, ids[i], &sx, &sy);
    sx += TB_SCRIPT_CARD_WIDTH;
    sy += TB_SCRIPT_CARD_HEIGHT / 2;
    for (guint e = 0; e < edges->len; e++) {
      Edge *edge = &g_array_index (edges, Edge, e);
      gboolean hot = selected || g_strcmp0 (edge->target, self->selected) == 0;
      double tx, ty, c1x, c2x;

      tb_script_document_get_position (self->document, edge->target, &tx, &ty);
      ty += TB_SCRIPT_CARD_HEIGHT / 2;
      cairo_edge (cr, sx, sy, tx, ty, hot ? &p->accent : &p->edge, hot ? 2.5 : 2.0);
      if (edge->label->len > 0) {
        double *at = g_new (double, 3);

        /* The label sits at the curve's middle: B(½) of the cubic. */
        bezier (sx, sy, tx, ty, &c1x, &c2x);
        at[0] = 0.125 * sx + 0.375 * c1x + 0.375 * c2x + 0.125 * tx;
        at[1] = 0.5 * sy + 0.5 * ty;
        at[2] = hot;
        g_ptr_array_add (labels, at);
        g_ptr_array_add (labels, g_strdup (edge->label->str));
      }
      g_string_free (edge->label, TRUE);
    }
  }

  if (self->drag == TB_FLOW_DRAG_CONNECT && self->drag_node != NULL) {
    double sx, sy;

    tb_script_document_get_position (self->document, self->drag_node, &sx, &sy);
    cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
    cairo_edge (cr, sx + TB_SCRIPT_CARD_WIDTH, sy + TB_SCRIPT_CARD_HEIGHT / 2,
                self->pointer_x, self->pointer_y, &p->accent, 2.0);
  }
  cairo_destroy (cr);
  return labels;
}

static void
draw_labels (TbFlowCanvas  *self,
             GtkSnapshot   *snapshot,
             const Palette *p,
             GPtrArray     *labels)
{
  GtkWidget *widget = GTK_WIDGET (self);

  for (guint i = 0; i + 1 < labels->len; i += 2) {
    double *at = g_ptr_array_index (labels, i);
    GdkRGBA bg = at[2] ? lookup (widget, "accent_bg_color", "#3584e4") : p->card;
    GdkRGBA fg = at[2] ? lookup (widget, "accent_fg_color", "#ffffff") : p->dim;

    draw_pill (widget, snapshot, g_ptr_array_index (labels, i + 1), at[0], at[1], &bg,
               at[2] ? NULL : &p->border, &fg);
  }
}

static void
draw_icon (GtkWidget     *widget,
           GtkSnapshot   *snapshot,
           const char    *icon_name,
           double         x,
           double         y,
           const GdkRGBA *color)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  g_autoptr(GtkIconPaintable) icon =
    gtk_icon_theme_lookup_icon (theme, icon_name, NULL, 16, gtk_widget_get_scale_factor (widget),
                                gtk_widget_get_direction (widget), 0);
  GdkRGBA colors[4] = { *color, *color, *color, *color };

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), GDK_SNAPSHOT (snapshot),
                                            16, 16, colors, G_N_ELEMENTS (colors));
  gtk_snapshot_restore (snapshot);
}

static void
draw_handle (GtkSnapshot   *snapshot,
             double         cx,
             double         cy,
             double         r,
             const GdkRGBA *fill,
             const GdkRGBA *ring)
{
  GskRoundedRect rr;

  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (cx - r, cy - r, 2 * r, 2 * r), r);
  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  gtk_snapshot_append_color (snapshot, fill, &rr.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &rr, (float[4]) { 2, 2, 2, 2 },
                              (GdkRGBA[4]) { *ring, *ring, *ring, *ring });
}

/* {variables} in the accent colour, as in the prompt editor. */
static char *
mark_variables (const char    *escaped,
                const GdkRGBA *color)
{
  static GRegex *regex;
  g_autofree char *replacement =
    g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">\\0</span>",
                     (int) (color->red * 255), (int) (color->green * 255),
                     (int) (color->blue * 255));

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("\\{[A-Za-z_][A-Za-z0-9_]*\\}", G_REGEX_OPTIMIZE,
                                            0, NULL));
  return g_regex_replace (regex, escaped, -1, 0, replacement, 0, NULL);
}

static void
draw_card (TbFlowCanvas  *self,
           GtkSnapshot   *snapshot,
           const Palette *p,
           const char    *id)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *type = tb_script_document_get_node_type (self->document, id);
  const char *text = tb_script_document_get_node_text (self->document, id);
  gboolean selected = g_strcmp0 (id, self->selected) == 0;
  gboolean highlighted = g_strcmp0 (id, self->highlighted) == 0;
  gboolean start = g_strcmp0 (id, tb_script_document_get_start (self->document)) == 0;
  GdkRGBA color = type_color (widget, type);
  GdkRGBA band = with_alpha (color, p->dark ? 0.28f : 0.14f);
  GdkRGBA ring = selected ? p->accent : highlighted ? p->success : p->border;
  float ring_width = selected || highlighted ? 2 : 1;
  g_autofree char *id_markup = g_markup_printf_escaped ("<b>%s</b>", id);
  g_autofree char *type_markup = g_markup_printf_escaped ("<small>%s</small>",
                                                          tb_script_node_type_get_label (type));
  g_autoptr(PangoLayout) type_layout = make_layout (widget, type_markup, -1, 1);
  g_autoptr(PangoLayout) id_layout = NULL;
  g_autoptr(PangoLayout) text_layout = NULL;
  GskRoundedRect rr;
  double x, y;
  int type_w, type_h;

  tb_script_document_get_position (self->document, id, &x, &y);
  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (x, y, TB_SCRIPT_CARD_WIDTH,
                                                             TB_SCRIPT_CARD_HEIGHT), CARD_RADIUS);

  if (selected || highlighted)
    gtk_snapshot_append_outset_shadow (snapshot, &rr, &(GdkRGBA) {
                                         ring.red, ring.green, ring.blue, 0.35f }, 0, 0, 3, 6);
  else
    gtk_snapshot_append_outset_shadow (snapshot, &rr, &p->shadow, 0, 2, 0, 6);

  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  gtk_snapshot_append_color (snapshot, &p->card, &rr.bounds);
  gtk_snapshot_append_color (snapshot, &band,
                             &GRAPHENE_RECT_INIT (x, y, TB_SCRIPT_CARD_WIDTH, HEADER_HEIGHT));
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &rr,
                              (float[4]) { ring_width, ring_width, ring_width, ring_width },
                              (GdkRGBA[4]) { ring, ring, ring, ring });

  draw_icon (widget, snapshot, tb_script_node_type_get_icon_name (type), x + 12, y + 8, &color);
  pango_layout_get_pixel_size (type_layout, &type_w, &type_h);
  draw_layout (snapshot, type_layout, x + TB_SCRIPT_CARD_WIDTH - 12 - type_w,
               y + (HEADER_HEIGHT - type_h) / 2, &color);
  id_layout = make_layout (widget, id_markup, TB_SCRIPT_CARD_WIDTH - 36 - 20 - type_w, 1);
  draw_layout (snapshot, id_layout, x + 36, y + 7, &p->fg);

  if (text != NULL && text[0] != '\0') {
    g_autofree char *escaped = g_markup_escape_text (text, -1);
    g_autofree char *marked = mark_variables (escaped, &p->accent);
    g_autofree char *markup = g_strdup_printf ("<small>%s</small>", marked);

    text_layout = make_layout (widget, markup, TB_SCRIPT_CARD_WIDTH - 24, 2);
    draw_layout (snapshot, text_layout, x + 12, y + HEADER_HEIGHT + 8, &p->dim);
  } else {
    g_autofree char *markup = g_markup_printf_escaped ("<small><i>%s</i></small>",
                                                       _("No prompt yet"));

    text_layout = make_layout (widget, markup, TB_SCRIPT_CARD_WIDTH - 24, 1);
    draw_layout (snapshot, text_layout, x + 12, y + HEADER_HEIGHT + 8,
                 &(GdkRGBA) { p->dim.red, p->dim.green, p->dim.blue, p->dim.alpha * 0.7f });
  }

  draw_handle (snapshot, x, y + TB_SCRIPT_CARD_HEIGHT / 2, 4, &p->card, &p->border);
  if (g_strcmp0 (type, "hangup") != 0) {
    gboolean hot = g_strcmp0 (id, self->hover_handle) == 0 ||
                   (self->drag == TB_FLOW_DRAG_CONNECT && g_strcmp0 (id, self->drag_node) == 0);

    draw_handle (snapshot, x + TB_SCRIPT_CARD_WIDTH, y + TB_SCRIPT_CARD_HEIGHT / 2,
                 hot ? TB_FLOW_HANDLE_RADIUS + 2 : TB_FLOW_HANDLE_RADIUS, hot ? &color : &p->card,
                 &color);
  }

  if (start) {
    GdkRGBA fg = lookup (widget, "success_fg_color", "#ffffff");
    GdkRGBA bg = lookup (widget, "success_bg_color", "#26a269");

    draw_pill (widget, snapshot, C_("script node", "Start"), x + 30, y - 12, &bg, NULL, &fg);
  }
}

void
_tb_flow_canvas_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  TbFlowCanvas *self = TB_FLOW_CANVAS (widget);
  g_auto(GStrv) ids = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  Palette p;

  palette_init (&p, widget);
  draw_grid (self, snapshot, &p);
  if (self->document == NULL)
    return;

  ids = tb_script_document_dup_node_ids (self->document);
  labels = draw_edges (self, snapshot, &p, ids);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (self->pan_x, self->pan_y));
  gtk_snapshot_scale (snapshot, self->zoom, self->zoom);
  for (guint i = 0; ids[i] != NULL; i++)
    draw_card (self, snapshot, &p, ids[i]);
  draw_labels (self, snapshot, &p, labels);
  gtk_snapshot_restore (snapshot);
}
