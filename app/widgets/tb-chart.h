/* tb-chart.h — small bar charts for a campaign: outcomes, grades, hours, funnel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TB_TYPE_CHART (tb_chart_get_type ())
G_DECLARE_FINAL_TYPE (TbChart, tb_chart, TB, CHART, GtkWidget)

typedef enum {
  TB_CHART_BARS,      /* horizontal bars, a label and a count per row */
  TB_CHART_COLUMNS,   /* vertical columns under their labels (hours of the day) */
} TbChartStyle;

GtkWidget *tb_chart_new      (TbChartStyle  style);
/* @labels and @counts: @n values each; copied. Labels may be NULL. */
void       tb_chart_set_data (TbChart      *self,
                              const char  **labels,
                              const gint64 *counts,
                              guint         n);
guint      tb_chart_get_n    (TbChart      *self);
const char *tb_chart_get_label (TbChart     *self,
                               guint        i);

G_END_DECLS
