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
