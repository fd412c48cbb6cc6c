/* tb-clock.h — the campaign clock: wall time, or simulated time for --fast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_TYPE_CLOCK (tb_clock_get_type ())
G_DECLARE_FINAL_TYPE (TbClock, tb_clock, TB, CLOCK, GObject)

/* @start: where the clock starts (µs since the epoch; 0: now). A simulated
 * clock runs with the wall clock from @start and can also jump ahead, so a
 * retry due "in 2 hours" comes due within a --fast run. */
TbClock  *tb_clock_new          (gint64   start,
                                 gboolean simulated);
gint64    tb_clock_now          (TbClock *self);
gboolean  tb_clock_is_simulated (TbClock *self);
/* Simulated clocks only: moves the clock forward to @when (never back). */
void      tb_clock_jump_to      (TbClock *self,
                                 gint64   when);

/* Parses an ISO 8601 time ("2026-12-01T10:00:00-05:00"; local time when it
 * has no offset) into µs since the epoch, for --now options. */
gboolean  tb_clock_parse_time   (const char  *text,
                                 gint64      *out,
                                 GError     **error);

G_END_DECLS
