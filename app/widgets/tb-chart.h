/* tb-chart.h — small bar charts for a campaign: outcomes, grades, hours, funnel, rates with
 * their intervals
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
  TB_CHART_FUNNEL,    /* horizontal bars centred on one axis, narrowing step by step */
} TbChartStyle;

GtkWidget *tb_chart_new      (TbChartStyle  style);
/* @labels and @counts: @n values each; copied. Labels may be NULL. */
void       tb_chart_set_data (TbChart      *self,
                              const char  **labels,
                              const gint64 *counts,
                              guint         n);
/* Values that need not be whole (rates), shown with @decimals decimals. */
void       tb_chart_set_values (TbChart    *self,
                                const char **labels,
                                const double *values,
                                guint        n,
                                guint        decimals);
/* Error bars: each value's interval [@low, @high] (NAN: none), @n as set. Bars only. */
void       tb_chart_set_intervals (TbChart      *self,
                                   const double *low,
                                   const double *high);
/* A part of each bar in the warning colour (the funnel: those who hung up there), its count
 * after the bar's; of each column, at its foot. */
void       tb_chart_set_parts (TbChart      *self,
                               const gint64 *parts);
guint      tb_chart_get_n    (TbChart      *self);
double     tb_chart_get_value (TbChart     *self,
                               guint        i);
const char *tb_chart_get_label (TbChart     *self,
                               guint        i);

G_END_DECLS
