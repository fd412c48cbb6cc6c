/* tb-clock.c — the campaign clock: wall time, or simulated time for --fast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-clock"

#include "config.h"

#include "tb-clock.h"

struct _TbClock
{
  GObject  parent_instance;

  gint64   offset;     /* added to the wall clock */
  gboolean simulated;
};

G_DEFINE_FINAL_TYPE (TbClock, tb_clock, G_TYPE_OBJECT)

static void
tb_clock_class_init (TbClockClass *klass)
{
}

static void
tb_clock_init (TbClock *self)
{
}

TbClock *
tb_clock_new (gint64   start,
              gboolean simulated)
{
  TbClock *self = g_object_new (TB_TYPE_CLOCK, NULL);

  self->simulated = simulated;
  self->offset = start > 0 ? start - g_get_real_time () : 0;
  return self;
}

gint64
tb_clock_now (TbClock *self)
{
  g_return_val_if_fail (TB_IS_CLOCK (self), 0);

  return g_get_real_time () + self->offset;
}

gboolean
tb_clock_is_simulated (TbClock *self)
{
  g_return_val_if_fail (TB_IS_CLOCK (self), FALSE);

  return self->simulated;
}

void
tb_clock_jump_to (TbClock *self,
                  gint64   when)
{
  gint64 now;

  g_return_if_fail (TB_IS_CLOCK (self));
  g_return_if_fail (self->simulated);

  now = tb_clock_now (self);
  if (when > now)
    self->offset += when - now;
}

gboolean
tb_clock_parse_time (const char  *text,
                     gint64      *out,
                     GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) dt = text ? g_date_time_new_from_iso8601 (text, local) : NULL;

  if (dt == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "“%s” is not an ISO 8601 time (e.g. 2026-12-01T10:00:00-05:00)",
                 text ? text : "");
    return FALSE;
  }
  *out = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}
