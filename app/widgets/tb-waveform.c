/* tb-waveform.c — a recording's waveform with a playhead; click to seek
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-waveform"

#include "config.h"

#include "tb-waveform.h"

struct _TbWaveform
{
  GtkWidget  parent_instance;

  GArray    *peaks;      /* owned: float 0..1 */
  double     fraction;
};

G_DEFINE_FINAL_TYPE (TbWaveform, tb_waveform, GTK_TYPE_WIDGET)

enum {
  SEEK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_click_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  TbWaveform      *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  if (width <= 0 || self->peaks == NULL)
    return;
  tb_waveform_set_fraction (self, CLAMP (x / width, 0.0, 1.0));
  g_signal_emit (self, signals[SEEK], 0, self->fraction);
}

static void
tb_waveform_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  TbWaveform *self = TB_WAVEFORM (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg, played;
  float mid = height / 2.0f;
  guint bars;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  played = fg;
  fg.alpha *= 0.35f;

  /* A thin baseline even without samples, so the control reads as a timeline. */
  gtk_snapshot_append_color (snapshot, &fg, &GRAPHENE_RECT_INIT (0, mid - 0.5f, width, 1));
  if (self->peaks == NULL || self->peaks->len == 0 || width <= 0)
    return;

  /* One 2-px bar every 3 px; each bar shows the loudest peak of its slice. */
  bars = MAX (1, width / 3);
  for (guint b = 0; b < bars; b++) {
    guint from = (guint) ((guint64) b * self->peaks->len / bars);
    guint to = MAX (from + 1, (guint) ((guint64) (b + 1) * self->peaks->len / bars));
    float peak = 0;
    float h;

    for (guint i = from; i < to && i < self->peaks->len; i++)
      peak = MAX (peak, g_array_index (self->peaks, float, i));
    h = MAX (1.0f, peak * (height - 2));
    gtk_snapshot_append_color (snapshot, (double) b / bars < self->fraction ? &played : &fg,
                               &GRAPHENE_RECT_INIT (b * 3, mid - h / 2, 2, h));
  }
  gtk_snapshot_append_color (snapshot, &played,
                             &GRAPHENE_RECT_INIT (self->fraction * width - 1, 0, 2, height));
}

static void
tb_waveform_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 48;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 400 : 64;
}

static void
tb_waveform_finalize (GObject *object)
{
  TbWaveform *self = TB_WAVEFORM (object);

  g_clear_pointer (&self->peaks, g_array_unref);

  G_OBJECT_CLASS (tb_waveform_parent_class)->finalize (object);
}

static void
tb_waveform_class_init (TbWaveformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tb_waveform_finalize;
  widget_class->snapshot = tb_waveform_snapshot;
  widget_class->measure = tb_waveform_measure;

  /**
   * TbWaveform::seek:
   * @fraction: where the user clicked, 0..1
   */
  signals[SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "waveform");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
tb_waveform_init (TbWaveform *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
}

GtkWidget *
tb_waveform_new (void)
{
  return g_object_new (TB_TYPE_WAVEFORM, NULL);
}

void
tb_waveform_set_peaks (TbWaveform *self,
                       GArray     *peaks)
{
  g_return_if_fail (TB_IS_WAVEFORM (self));

  g_clear_pointer (&self->peaks, g_array_unref);
  if (peaks != NULL)
    self->peaks = g_array_ref (peaks);
  self->fraction = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tb_waveform_set_fraction (TbWaveform *self,
                          double      fraction)
{
  g_return_if_fail (TB_IS_WAVEFORM (self));

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction == self->fraction)
    return;
  self->fraction = fraction;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
tb_waveform_get_fraction (TbWaveform *self)
{
  g_return_val_if_fail (TB_IS_WAVEFORM (self), 0);

  return self->fraction;
}
