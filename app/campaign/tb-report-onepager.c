/* tb-report-onepager.c — a campaign's report as one A4 page (PDF or PNG)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a business owner forwards: the campaign, when it called, the table per variant, what
 * the data says, and the funnel and talk-time charts. Laid out in points on A4 (595 × 842);
 * the PNG is the same drawing scaled to 150 dpi. Charts are drawn as the window draws them
 * (tb-chart.c): blue bars on a light track, the part that hung up in orange, intervals as
 * whiskers.
 */
#define G_LOG_DOMAIN "tb-report-onepager"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "tb-report-onepager.h"
#include "tb-words.h"

#define PAGE_W   595.0
#define PAGE_H   842.0
#define MARGIN   40.0
#define FONT     "Sans"
#define ROW      15.0
#define MAX_FUNNEL_ROWS 8
#define BODY_W   (PAGE_W - 2 * MARGIN)

enum {
  ROW_DIALED,
  ROW_ANSWERED,
  ROW_CONNECT,
  ROW_CONNECT_NO_LINE,
  ROW_COMPLETED,
  ROW_GRADES,
  ROW_LEADS,
  ROW_OPT_OUTS,
  ROW_TALK,
  ROW_MINUTES_PER_LEAD,
  N_ROWS
};

static const char * const row_titles[N_ROWS] = {
  N_("Dialed"),
  N_("Answered"),
  N_("Connect rate"),
  N_("Connect rate without line failures"),
  N_("Completed dialogs"),
  N_("Grades A / B / C / D / E"),
  N_("A/B leads per 100 answered"),
  N_("Opt-outs per 100 answered"),
  N_("Average talk time"),
  N_("Line minutes per A/B lead"),
};

static const char * const bucket_titles[TB_REPORT_TALK_BUCKETS] = {
  N_("Under 10 s"),
  N_("10–30 s"),
  N_("30–60 s"),
  N_("Over 60 s"),
};

guint
tb_report_table_n_rows (void)
{
  return N_ROWS;
}

const char *
tb_report_table_row_title (guint row)
{
  g_return_val_if_fail (row < N_ROWS, NULL);

  return _(row_titles[row]);
}

const char *
tb_report_talk_bucket_title (guint bucket)
{
  g_return_val_if_fail (bucket < TB_REPORT_TALK_BUCKETS, NULL);

  return _(bucket_titles[bucket]);
}

/* @value with one decimal and @suffix, or a dash when it is undefined. */
static char *
format_or_dash (double      value,
                const char *suffix)
{
  if (isnan (value))
    return g_strdup ("—");
  return g_strdup_printf ("%.1f%s", value, suffix);
}

char *
tb_report_table_dup_cell (TbCampaignReport *report,
                          guint             row,
                          guint             variant)
{
  const TbReportVariantRow *v;
  TbReportFigures f;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (row < N_ROWS, NULL);

  v = tb_campaign_report_get_variant (report, variant);
  tb_campaign_report_get_figures (report, variant, &f);
  switch (row) {
  case ROW_DIALED:
    return g_strdup_printf ("%" G_GINT64_FORMAT, v->dialed);
  case ROW_ANSWERED:
    return g_strdup_printf ("%" G_GINT64_FORMAT, v->answered);
  case ROW_CONNECT:
    return format_or_dash (f.connect_rate, " %");
  case ROW_CONNECT_NO_LINE:
    return format_or_dash (f.connect_rate_without_line_failures, " %");
  case ROW_COMPLETED:
    return g_strdup_printf ("%" G_GINT64_FORMAT, v->completed);
  case ROW_GRADES:
    return g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT
                            " / %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT, v->grades[0],
                            v->grades[1], v->grades[2], v->grades[3], v->grades[4]);
  case ROW_LEADS:
    return format_or_dash (f.leads_per_100, "");
  case ROW_OPT_OUTS:
    return format_or_dash (f.opt_outs_per_100, "");
  case ROW_TALK:
    if (isnan (f.average_talk_seconds))
      return g_strdup ("—");
    /* Translators: an average talk time in seconds */
    return g_strdup_printf (_("%.0f s"), f.average_talk_seconds);
  case ROW_MINUTES_PER_LEAD:
    return format_or_dash (f.line_minutes_per_lead, "");
  default:
    g_assert_not_reached ();
  }
}

char *
tb_report_dup_variant_title (TbCampaignReport *report,
                             guint             variant)
{
  const TbReportVariantRow *v = tb_campaign_report_get_variant (report, variant);

  /* Translators: a script variant of a campaign: "Variant A" */
  return g_strdup_printf (_("Variant %s"), v->variant);
}

char *
tb_report_dup_span (TbCampaignReport *report)
{
  gint64 first, last;
  g_autoptr(GDateTime) a = NULL;
  g_autoptr(GDateTime) b = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (!tb_campaign_report_get_span (report, &first, &last))
    return NULL;
  a = g_date_time_new_from_unix_local (first / G_USEC_PER_SEC);
  b = g_date_time_new_from_unix_local (last / G_USEC_PER_SEC);
  /* Translators: a date as g_date_time_format () writes it: "1 Dec 2026" */
  from = g_date_time_format (a, _("%-d %b %Y"));
  to = g_date_time_format (b, _("%-d %b %Y"));
  if (g_str_equal (from, to))
    return g_steal_pointer (&from);
  /* Translators: the first and the last day a campaign called */
  return g_strdup_printf (_("%s – %s"), from, to);
}

gboolean
tb_report_onepager_format_for_path (const char       *path,
                                    TbOnepagerFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path ? path : "", -1);

  if (g_str_has_suffix (lower, ".pdf"))
    *format = TB_ONEPAGER_PDF;
  else if (g_str_has_suffix (lower, ".png"))
    *format = TB_ONEPAGER_PNG;
  else
    return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------- drawing */

typedef struct {
  cairo_t *cr;
  double   y;      /* where the next block starts */
} Page;

static void
set_grey (cairo_t *cr,
          double   level)
{
  cairo_set_source_rgb (cr, level, level, level);
}

/* A layout of the page's font at @size points (bold or not), @width wide. */
static PangoLayout *
new_layout (Page     *p,
            double    width,
            double    size,
            gboolean  bold)
{
  PangoLayout *layout = pango_cairo_create_layout (p->cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT);

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  return layout;
}

/* Draws @s at (@x, @y), wrapped to @width (only measures it unless @draw); returns its
 * height. */
static double
draw_text (Page       *p,
           gboolean    draw,
           const char *s,
           double      x,
           double      y,
           double      width,
           double      size,
           gboolean    bold)
{
  g_autoptr(PangoLayout) layout = new_layout (p, width, size, bold);
  int w, h;

  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, s, -1);
  pango_layout_get_size (layout, &w, &h);
  if (draw) {
    cairo_move_to (p->cr, x, y);
    pango_cairo_show_layout (p->cr, layout);
  }
  return (double) h / PANGO_SCALE;
}

/* One-line text, cut with an ellipsis to @width, its middle at @cy. */
static void
cell (Page           *p,
      const char     *s,
      double          x,
      double          cy,
      double          width,
      double          size,
      gboolean        bold,
      PangoAlignment  align)
{
  g_autoptr(PangoLayout) layout = new_layout (p, width, size, bold);
  int w, h;

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, s, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (p->cr, x, cy - h / 2.0);
  pango_cairo_show_layout (p->cr, layout);
}

static void
heading (Page       *p,
         const char *title)
{
  set_grey (p->cr, 0.1);
  p->y += draw_text (p, TRUE, title, MARGIN, p->y, BODY_W, 11, TRUE) + 4;
}

/* Horizontal bars in a box (@x, @width) from p->y: a label, the bar (centred for a funnel),
 * its warning part, an interval whisker and the value. Returns nothing; advances p->y. */
static void
bars (Page          *p,
      double         x,
      double         y,
      double         width,
      const char   **labels,
      const double  *values,
      const gint64  *parts,
      const double  *low,
      const double  *high,
      guint          n,
      guint          decimals,
      gboolean       centred)
{
  cairo_t *cr = p->cr;
  /* A funnel's steps have names ("Offer a salesperson"), the other charts short labels. */
  double label_w = width * (centred ? 0.46 : 0.36);
  double value_w = parts != NULL ? 62 : 34;
  double bar_x = x + label_w + 4;
  double bar_w = MAX (10, width - label_w - value_w - 10);
  double max = 0;

  for (guint i = 0; i < n; i++) {
    max = MAX (max, values[i]);
    if (high != NULL && !isnan (high[i]))
      max = MAX (max, high[i]);
  }
  for (guint i = 0; i < n; i++) {
    double cy = y + i * ROW + ROW / 2;
    double w = max > 0 ? bar_w * values[i] / max : 0;
    double bx = centred ? bar_x + (bar_w - w) / 2 : bar_x;
    g_autofree char *number = g_strdup_printf ("%.*f", (int) decimals, values[i]);

    set_grey (cr, 0.15);
    cell (p, labels[i] ? labels[i] : "—", x, cy, label_w, 8, FALSE, PANGO_ALIGN_LEFT);
    if (!centred) {
      cairo_set_source_rgba (cr, 0, 0, 0, 0.07);
      cairo_rectangle (cr, bar_x, cy - 4.5, bar_w, 9);
      cairo_fill (cr);
    }
    cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
    cairo_rectangle (cr, bx, cy - 4.5, w, 9);
    cairo_fill (cr);
    if (parts != NULL && max > 0) {
      double pw = bar_w * parts[i] / max;

      cairo_set_source_rgb (cr, 0.90, 0.38, 0.0);
      cairo_rectangle (cr, bx + w - pw, cy - 4.5, pw, 9);
      cairo_fill (cr);
    }
    if (low != NULL && !isnan (low[i]) && max > 0) {
      double lo = bar_x + bar_w * MAX (0, low[i]) / max, hi = bar_x + bar_w * high[i] / max;

      set_grey (cr, 0.1);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, lo, cy);
      cairo_line_to (cr, hi, cy);
      cairo_move_to (cr, lo, cy - 4);
      cairo_line_to (cr, lo, cy + 4);
      cairo_move_to (cr, hi, cy - 4);
      cairo_line_to (cr, hi, cy + 4);
      cairo_stroke (cr);
    }
    set_grey (cr, 0.15);
    if (parts != NULL) {
      g_autofree char *part = g_strdup_printf ("%" G_GINT64_FORMAT, parts[i]);

      cell (p, number, bar_x + bar_w + 4, cy, value_w / 2, 8, FALSE, PANGO_ALIGN_RIGHT);
      cairo_set_source_rgb (cr, 0.80, 0.33, 0.0);
      cell (p, part, bar_x + bar_w + 4 + value_w / 2, cy, value_w / 2, 8, FALSE,
            PANGO_ALIGN_RIGHT);
    } else {
      cell (p, number, bar_x + bar_w + 4, cy, value_w, 8, FALSE, PANGO_ALIGN_RIGHT);
    }
  }
}

static void
draw_table (Page             *p,
            TbCampaignReport *report)
{
  cairo_t *cr = p->cr;
  guint nv = tb_campaign_report_get_n_variants (report);
  double title_w = 215;
  double col_w = nv > 0 ? (BODY_W - title_w) / nv : 0;
  double y = p->y;

  for (guint v = 0; v < nv; v++) {
    g_autofree char *title = tb_report_dup_variant_title (report, v);
    const char *script = tb_campaign_report_get_variant (report, v)->script_name;

    set_grey (cr, 0.1);
    cell (p, title, MARGIN + title_w + v * col_w, y + 7, col_w - 6, 9, TRUE, PANGO_ALIGN_RIGHT);
    set_grey (cr, 0.45);
    cell (p, script ? script : "", MARGIN + title_w + v * col_w, y + 19, col_w - 6, 7, FALSE,
          PANGO_ALIGN_RIGHT);
  }
  y += 28;
  for (guint r = 0; r < N_ROWS; r++) {
    double cy = y + r * ROW + ROW / 2;

    if (r % 2 == 0) {
      cairo_set_source_rgba (cr, 0, 0, 0, 0.04);
      cairo_rectangle (cr, MARGIN, y + r * ROW, BODY_W, ROW);
      cairo_fill (cr);
    }
    set_grey (cr, 0.15);
    cell (p, tb_report_table_row_title (r), MARGIN + 4, cy, title_w - 8, 8.5, FALSE,
          PANGO_ALIGN_LEFT);
    for (guint v = 0; v < nv; v++) {
      g_autofree char *value = tb_report_table_dup_cell (report, r, v);

      cell (p, value, MARGIN + title_w + v * col_w, cy, col_w - 6, 8.5,
            r == ROW_LEADS, PANGO_ALIGN_RIGHT);
    }
  }
  p->y = y + N_ROWS * ROW + 14;
}

static void
draw_comparison (Page             *p,
                 TbCampaignReport *report)
{
  guint nv = tb_campaign_report_get_n_variants (report);
  g_autofree double *values = g_new0 (double, nv + 1);
  g_autofree double *low = g_new0 (double, nv + 1);
  g_autofree double *high = g_new0 (double, nv + 1);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (guint v = 0; v < nv; v++) {
    const TbReportVariantRow *row = tb_campaign_report_get_variant (report, v);
    TbReportFigures f;

    tb_campaign_report_get_figures (report, v, &f);
    g_ptr_array_add (labels, tb_report_dup_variant_title (report, v));
    values[v] = isnan (f.leads_per_100) ? 0 : f.leads_per_100;
    if (tb_report_wilson_interval (f.leads_ab, row->answered, &low[v], &high[v])) {
      low[v] *= 100;
      high[v] *= 100;
    } else {
      low[v] = high[v] = NAN;
    }
  }
  heading (p, _("A/B leads per 100 answered (lines: 95 percent intervals)"));
  bars (p, MARGIN, p->y, BODY_W, (const char **) labels->pdata, values, NULL, low,
        high, nv, 1, FALSE);
  p->y += nv * ROW + 12;
}

/* Side by side, one box per variant (at most three). */
static void
draw_funnels (Page             *p,
              TbCampaignReport *report,
              TbScript         *script)
{
  guint nv = MIN (tb_campaign_report_get_n_variants (report), 3);
  GPtrArray *funnel = tb_campaign_report_get_funnel (report);
  double gap = 16, box_w = (BODY_W - gap * (nv - 1)) / MAX (nv, 1);
  guint most = 0;

  heading (p, _("Where calls end"));
  set_grey (p->cr, 0.4);
  p->y += draw_text (p, TRUE, _("Calls that reached each step of the script (blue, first number) "
                                "and those that hung up there (orange, second number)."),
                     MARGIN, p->y, BODY_W, 8, FALSE) + 6;
  for (guint v = 0; v < nv; v++) {
    const char *label = tb_campaign_report_get_variant (report, v)->variant;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GArray) reached = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) hung = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autofree char *title = tb_report_dup_variant_title (report, v);
    double x = MARGIN + v * (box_w + gap);

    for (guint i = 0; i < funnel->len && names->len < MAX_FUNNEL_ROWS; i++) {
      const TbReportCountRow *r = g_ptr_array_index (funnel, i);
      double count = r->count;

      if (!g_str_equal (r->variant, label))
        continue;
      g_ptr_array_add (names, tb_words_node (script, r->key));
      g_array_append_val (reached, count);
      g_array_append_val (hung, r->count3);
    }
    set_grey (p->cr, 0.3);
    cell (p, title, x, p->y + 6, box_w, 8.5, TRUE, PANGO_ALIGN_LEFT);
    bars (p, x, p->y + 14, box_w, (const char **) names->pdata, (double *) reached->data,
          (gint64 *) hung->data, NULL, NULL, names->len, 0, TRUE);
    most = MAX (most, names->len);
  }
  p->y += 14 + most * ROW + 12;
}

static void
draw_talk_time (Page             *p,
                TbCampaignReport *report)
{
  guint nv = MIN (tb_campaign_report_get_n_variants (report), 3);
  double gap = 16, box_w = (BODY_W - gap * (nv - 1)) / MAX (nv, 1);
  const char *labels[TB_REPORT_TALK_BUCKETS];

  for (guint b = 0; b < TB_REPORT_TALK_BUCKETS; b++)
    labels[b] = tb_report_talk_bucket_title (b);
  heading (p, _("Talk time of answered calls"));
  for (guint v = 0; v < nv; v++) {
    const TbReportVariantRow *row = tb_campaign_report_get_variant (report, v);
    g_autofree char *title = tb_report_dup_variant_title (report, v);
    double values[TB_REPORT_TALK_BUCKETS];
    double x = MARGIN + v * (box_w + gap);

    for (guint b = 0; b < TB_REPORT_TALK_BUCKETS; b++)
      values[b] = row->talk_hist[b];
    set_grey (p->cr, 0.3);
    cell (p, title, x, p->y + 6, box_w, 8.5, TRUE, PANGO_ALIGN_LEFT);
    bars (p, x, p->y + 14, box_w, labels, values, NULL, NULL, NULL, TB_REPORT_TALK_BUCKETS, 0,
          FALSE);
  }
  p->y += 14 + TB_REPORT_TALK_BUCKETS * ROW + 12;
}

static void
draw_page (cairo_t          *cr,
           TbCampaignReport *report,
           TbScript         *script)
{
  Page p = { cr, MARGIN };
  g_autofree char *span = tb_report_dup_span (report);
  g_autofree char *subtitle = NULL;
  g_autofree char *made = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *verdict = tb_campaign_report_get_verdict (report);
  gint64 dialed = tb_campaign_report_get_n_dialed (report);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  set_grey (cr, 0.45);
  p.y += draw_text (&p, TRUE, _("Campaign report"), MARGIN, p.y, BODY_W, 9, FALSE);
  set_grey (cr, 0.05);
  p.y += draw_text (&p, TRUE, tb_campaign_report_get_campaign (report), MARGIN, p.y, BODY_W,
                    20, TRUE) + 2;
  /* Translators: when a campaign called, and how many calls: "1 Dec 2026 · 600 calls" */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %ld call", "%s · %ld calls",
                                           (gulong) dialed),
                              span ? span : "—", (long) dialed);
  set_grey (cr, 0.35);
  p.y += draw_text (&p, TRUE, subtitle, MARGIN, p.y, BODY_W, 10, FALSE) + 14;

  if (dialed == 0) {
    set_grey (cr, 0.2);
    draw_text (&p, TRUE, _("No calls yet"), MARGIN, p.y, BODY_W, 12, FALSE);
    return;
  }

  if (verdict != NULL) {
    g_autofree char *upper = g_strdup (verdict);
    double h;

    /* The engine's sentence starts lower-case, to be quoted; here it stands alone. */
    if (g_ascii_islower (upper[0]))
      upper[0] = g_ascii_toupper (upper[0]);
    cairo_set_source_rgb (cr, 0.92, 0.95, 0.99);
    h = draw_text (&p, FALSE, upper, MARGIN + 10, p.y + 8, BODY_W - 20, 11, TRUE);
    cairo_rectangle (cr, MARGIN, p.y, BODY_W, h + 16);
    cairo_fill (cr);
    set_grey (cr, 0.05);
    draw_text (&p, TRUE, upper, MARGIN + 10, p.y + 8, BODY_W - 20, 11, TRUE);
    p.y += h + 16 + 14;
  }

  draw_table (&p, report);
  if (tb_campaign_report_get_n_variants (report) > 1)
    draw_comparison (&p, report);
  draw_funnels (&p, report, script);
  draw_talk_time (&p, report);

  /* Translators: the foot of the one-page report: when it was made */
  date = g_date_time_format (now, "%Y-%m-%d");
  made = g_strdup_printf (_("Made by Telebot on %s"), date);
  set_grey (cr, 0.5);
  draw_text (&p, TRUE, made, MARGIN, PAGE_H - MARGIN + 8, BODY_W, 7.5, FALSE);
}

/* cairo writes through this, so that a full disk or a missing folder is an error naming the
 * file rather than a silently short page. */
typedef struct {
  FILE *file;
  int   errsv;     /* the first write's errno; 0: none failed */
} Sink;

static cairo_status_t
sink_write (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  Sink *sink = closure;

  if (sink->errsv != 0)
    return CAIRO_STATUS_WRITE_ERROR;
  if (fwrite (data, 1, length, sink->file) != length) {
    sink->errsv = errno != 0 ? errno : EIO;
    return CAIRO_STATUS_WRITE_ERROR;
  }
  return CAIRO_STATUS_SUCCESS;
}

gboolean
tb_report_onepager_write (TbCampaignReport  *report,
                          TbScript          *script,
                          const char        *path,
                          TbOnepagerFormat   format,
                          GError           **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  Sink sink = { NULL, 0 };

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((sink.file = g_fopen (path, "wb")) == NULL) {
    int errsv = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s", path,
                 g_strerror (errsv));
    return FALSE;
  }
  if (format == TB_ONEPAGER_PDF)
    surface = cairo_pdf_surface_create_for_stream (sink_write, &sink, PAGE_W, PAGE_H);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, TB_ONEPAGER_PNG_WIDTH,
                                          TB_ONEPAGER_PNG_HEIGHT);
  cr = cairo_create (surface);
  if (format == TB_ONEPAGER_PNG)
    cairo_scale (cr, TB_ONEPAGER_PNG_WIDTH / PAGE_W, TB_ONEPAGER_PNG_HEIGHT / PAGE_H);
  draw_page (cr, report, script);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == TB_ONEPAGER_PNG)
    status = cairo_surface_write_to_png_stream (surface, sink_write, &sink);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (fclose (sink.file) != 0 && sink.errsv == 0)
    sink.errsv = errno;
  if (sink.errsv != 0) {
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (sink.errsv), "%s: %s", path,
                 g_strerror (sink.errsv));
    return FALSE;
  }
  if (status != CAIRO_STATUS_SUCCESS) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
                 cairo_status_to_string (status));
    return FALSE;
  }
  return TRUE;
}
