/* tb-chart.c — small bar charts for a campaign: outcomes, grades, hours, funnel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn with GtkSnapshot in the widget's foreground and accent colours, so the
 * charts follow the light and dark styles. Values are doubles so that a rate can be drawn as
 * a count is; an interval is a whisker over its bar.
 */
#define G_LOG_DOMAIN "tb-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tb-chart.h"

#define ROW_HEIGHT   22
#define LABEL_WIDTH  110
#define COUNT_WIDTH  48

struct _TbChart
{
  GtkWidget     parent_instance;

  TbChartStyle  style;
  guint         decimals;
  GStrv         labels;
  GArray       *counts;   /* double: the values */
  GArray       *low;      /* double, NAN: no interval; NULL: none at all */
  GArray       *high;
  GArray       *parts;    /* gint64: the warning part of each bar; NULL: none */
};

G_DEFINE_FINAL_TYPE (TbChart, tb_chart, GTK_TYPE_WIDGET)

static void
draw_text (GtkWidget   *widget,
           GtkSnapshot *snapshot,
           const char  *text,
           float        x,
           float        y,
           float        width,
           gboolean     align_right,
           const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_set_width (layout, (int) width * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (align_right ? x + width - w : x,
                                                          y - h / 2.0f));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static char *
format_value (TbChart *self,
              double   value)
{
  return g_strdup_printf ("%.*f", (int) self->decimals, value);
}

/* The count column: wide enough for the largest value (and its part). */
static float
count_width (TbChart *self)
{
  return self->parts != NULL ? COUNT_WIDTH * 2 : self->decimals > 0 ? COUNT_WIDTH + 8 : COUNT_WIDTH;
}

static void
draw_bars (TbChart       *self,
           GtkSnapshot   *snapshot,
           int            width,
           double         max,
           const GdkRGBA *fg,
           const GdkRGBA *bar,
           const GdkRGBA *track,
           const GdkRGBA *warn)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint n = self->counts->len;
  float cw = count_width (self);
  float bar_x = LABEL_WIDTH + 8;
  float bar_w = MAX (10, width - bar_x - cw - 8);
  gboolean centred = self->style == TB_CHART_FUNNEL;

  for (guint i = 0; i < n; i++) {
    double value = g_array_index (self->counts, double, i);
    float y = i * ROW_HEIGHT;
    float w = max > 0 ? bar_w * value / max : 0;
    float x = centred ? bar_x + (bar_w - w) / 2 : bar_x;
    g_autofree char *number = format_value (self, value);
    GskRoundedRect r;

    draw_text (widget, snapshot, self->labels[i] ? self->labels[i] : "—", 0,
               y + ROW_HEIGHT / 2.0f, LABEL_WIDTH, FALSE, fg);
    gsk_rounded_rect_init_from_rect (&r, &GRAPHENE_RECT_INIT (bar_x, y + 5, bar_w,
                                                               ROW_HEIGHT - 10), 4);
    gtk_snapshot_push_rounded_clip (snapshot, &r);
    if (!centred)
      gtk_snapshot_append_color (snapshot, track, &r.bounds);
    gtk_snapshot_append_color (snapshot, bar, &GRAPHENE_RECT_INIT (x, y + 5, w, ROW_HEIGHT - 10));
    if (self->parts != NULL) {
      gint64 part = g_array_index (self->parts, gint64, i);
      float pw = max > 0 ? bar_w * part / max : 0;

      /* The part ends the bar: of those who got this far, these stopped here. */
      gtk_snapshot_append_color (snapshot, warn,
                                 &GRAPHENE_RECT_INIT (x + w - pw, y + 5, pw, ROW_HEIGHT - 10));
    }
    gtk_snapshot_pop (snapshot);
    if (self->low != NULL && !isnan (g_array_index (self->low, double, i)) && max > 0) {
      float lo = bar_x + bar_w * MAX (0, g_array_index (self->low, double, i)) / max;
      float hi = bar_x + bar_w * g_array_index (self->high, double, i) / max;
      float cy = y + ROW_HEIGHT / 2.0f;

      gtk_snapshot_append_color (snapshot, fg, &GRAPHENE_RECT_INIT (lo, cy - 0.75f, hi - lo,
                                                                    1.5f));
      gtk_snapshot_append_color (snapshot, fg, &GRAPHENE_RECT_INIT (lo - 0.75f, cy - 5, 1.5f,
                                                                    10));
      gtk_snapshot_append_color (snapshot, fg, &GRAPHENE_RECT_INIT (hi - 0.75f, cy - 5, 1.5f,
                                                                    10));
    }
    if (self->parts != NULL) {
      g_autofree char *part = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               g_array_index (self->parts, gint64, i));

      draw_text (widget, snapshot, number, bar_x + bar_w + 8, y + ROW_HEIGHT / 2.0f,
                 cw / 2 - 8, TRUE, fg);
      draw_text (widget, snapshot, part, bar_x + bar_w + cw / 2, y + ROW_HEIGHT / 2.0f,
                 cw / 2, TRUE, warn);
    } else {
      draw_text (widget, snapshot, number, bar_x + bar_w + 8, y + ROW_HEIGHT / 2.0f, cw - 8,
                 TRUE, fg);
    }
  }
}

static void
tb_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  TbChart *self = TB_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg, bar, track, warn;
  double max = 0;
  guint n = self->counts ? self->counts->len : 0;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  bar = (GdkRGBA) { 0.21f, 0.52f, 0.89f, 1.0f };   /* libadwaita's blue 3 */
  warn = (GdkRGBA) { 0.90f, 0.38f, 0.0f, 1.0f };   /* orange 4: readable on light and dark */
  track = fg;
  track.alpha *= 0.08f;

  for (guint i = 0; i < n; i++) {
    max = MAX (max, g_array_index (self->counts, double, i));
    if (self->high != NULL && !isnan (g_array_index (self->high, double, i)))
      max = MAX (max, g_array_index (self->high, double, i));
  }

  /* Before the first call: say so rather than draw an empty frame. */
  if (n == 0) {
    GdkRGBA dim = fg;

    dim.alpha *= 0.55f;
    draw_text (widget, snapshot, _("No calls yet"), 0, ROW_HEIGHT / 2.0f, width, FALSE, &dim);
    return;
  }

  if (self->style != TB_CHART_COLUMNS) {
    draw_bars (self, snapshot, width, max, &fg, &bar, &track, &warn);
  } else {
    float col_w = (float) width / n;
    float plot_h = MAX (10, height - ROW_HEIGHT);

    for (guint i = 0; i < n; i++) {
      double count = g_array_index (self->counts, double, i);
      float h = max > 0 ? plot_h * count / max : 0;

      gtk_snapshot_append_color (snapshot, &track,
                                 &GRAPHENE_RECT_INIT (i * col_w + 1, 0, col_w - 2, plot_h));
      gtk_snapshot_append_color (snapshot, &bar,
                                 &GRAPHENE_RECT_INIT (i * col_w + 1, plot_h - h, col_w - 2, h));
      if (self->parts != NULL && max > 0) {
        float ph = plot_h * g_array_index (self->parts, gint64, i) / max;

        gtk_snapshot_append_color (snapshot, &warn,
                                   &GRAPHENE_RECT_INIT (i * col_w + 1, plot_h - ph, col_w - 2, ph));
      }
      /* Every third label, so hours stay legible on a narrow window. */
      if (self->labels[i] != NULL && (n <= 8 || i % 3 == 0))
        draw_text (widget, snapshot, self->labels[i], i * col_w, plot_h + ROW_HEIGHT / 2.0f,
                   n <= 8 ? col_w : col_w * 3, FALSE, &fg);
    }
  }
}

static void
tb_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  TbChart *self = TB_CHART (widget);
  guint n = self->counts ? self->counts->len : 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL) {
    *minimum = LABEL_WIDTH + (int) count_width (self) + 60;
    *natural = 360;
  } else if (self->style != TB_CHART_COLUMNS) {
    *minimum = *natural = MAX (1, n) * ROW_HEIGHT;
  } else {
    *minimum = *natural = 120;
  }
}

static void
tb_chart_finalize (GObject *object)
{
  TbChart *self = TB_CHART (object);

  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->counts, g_array_unref);
  g_clear_pointer (&self->low, g_array_unref);
  g_clear_pointer (&self->high, g_array_unref);
  g_clear_pointer (&self->parts, g_array_unref);

  G_OBJECT_CLASS (tb_chart_parent_class)->finalize (object);
}

static void
tb_chart_class_init (TbChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tb_chart_finalize;
  widget_class->snapshot = tb_chart_snapshot;
  widget_class->measure = tb_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tb_chart_init (TbChart *self)
{
}

GtkWidget *
tb_chart_new (TbChartStyle style)
{
  TbChart *self = g_object_new (TB_TYPE_CHART, NULL);

  self->style = style;
  return GTK_WIDGET (self);
}

void
tb_chart_set_values (TbChart       *self,
                     const char   **labels,
                     const double  *values,
                     guint          n,
                     guint          decimals)
{
  g_return_if_fail (TB_IS_CHART (self));

  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->counts, g_array_unref);
  g_clear_pointer (&self->low, g_array_unref);
  g_clear_pointer (&self->high, g_array_unref);
  g_clear_pointer (&self->parts, g_array_unref);
  self->decimals = decimals;
  self->labels = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    self->labels[i] = g_strdup (labels[i] ? labels[i] : "");
  self->counts = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  g_array_append_vals (self->counts, values, n);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tb_chart_set_data (TbChart      *self,
                   const char  **labels,
                   const gint64 *counts,
                   guint         n)
{
  g_autofree double *values = g_new0 (double, n + 1);

  g_return_if_fail (TB_IS_CHART (self));

  for (guint i = 0; i < n; i++)
    values[i] = counts[i];
  tb_chart_set_values (self, labels, values, n, 0);
}

void
tb_chart_set_intervals (TbChart      *self,
                        const double *low,
                        const double *high)
{
  guint n;

  g_return_if_fail (TB_IS_CHART (self));

  n = tb_chart_get_n (self);
  g_clear_pointer (&self->low, g_array_unref);
  g_clear_pointer (&self->high, g_array_unref);
  self->low = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  g_array_append_vals (self->low, low, n);
  self->high = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  g_array_append_vals (self->high, high, n);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tb_chart_set_parts (TbChart      *self,
                    const gint64 *parts)
{
  guint n;

  g_return_if_fail (TB_IS_CHART (self));

  n = tb_chart_get_n (self);
  g_clear_pointer (&self->parts, g_array_unref);
  self->parts = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_array_append_vals (self->parts, parts, n);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
tb_chart_get_n (TbChart *self)
{
  g_return_val_if_fail (TB_IS_CHART (self), 0);

  return self->counts ? self->counts->len : 0;
}

/* Returns: (transfer none) (nullable): the label of bar @i */
const char *
tb_chart_get_label (TbChart *self,
                    guint    i)
{
  g_return_val_if_fail (TB_IS_CHART (self), NULL);

  return self->labels != NULL && i < tb_chart_get_n (self) ? self->labels[i] : NULL;
}

double
tb_chart_get_value (TbChart *self,
                    guint    i)
{
  g_return_val_if_fail (TB_IS_CHART (self), NAN);
  g_return_val_if_fail (i < tb_chart_get_n (self), NAN);

  return g_array_index (self->counts, double, i);
}
