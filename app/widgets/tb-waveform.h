/* tb-waveform.h — a recording's waveform with a playhead; click to seek
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TB_TYPE_WAVEFORM (tb_waveform_get_type ())
G_DECLARE_FINAL_TYPE (TbWaveform, tb_waveform, TB, WAVEFORM, GtkWidget)

GtkWidget *tb_waveform_new          (void);
/* (element-type float) (transfer none): peaks 0..1, or NULL to clear */
void       tb_waveform_set_peaks    (TbWaveform *self,
                                     GArray     *peaks);
/* Where the playhead is, 0..1. */
void       tb_waveform_set_fraction (TbWaveform *self,
                                     double      fraction);
double     tb_waveform_get_fraction (TbWaveform *self);

G_END_DECLS
