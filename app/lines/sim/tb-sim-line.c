/* tb-sim-line.c — the simulated line: always ready, calls answered by personas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sim-line"

#include "config.h"

#include "tb-sim-line.h"
#include "tb-sim-call.h"
#include "tb-sim-persona.h"

#include <gst/gst.h>
#include <json-glib/json-glib.h>

struct _TbSimLine
{
  TbLine       parent_instance;

  gboolean     fast;
  guint64      seed;
  GPtrArray   *mix;        /* const TbSimPersona * */
  GArray      *weights;
  gboolean     rehearsal;  /* calls "heard" by reading the personas' words */
};

G_DEFINE_FINAL_TYPE (TbSimLine, tb_sim_line, TB_TYPE_LINE)

static void
tb_sim_line_start (TbLine *line)
{
  tb_line_set_state (line, TB_LINE_STATE_READY, NULL);
}

static void
tb_sim_line_stop (TbLine *line)
{
  tb_line_hang_up_all (line);
  tb_line_set_state (line, TB_LINE_STATE_OFFLINE, NULL);
}

static TbCall *
tb_sim_line_dial (TbLine               *line,
                  const TbDialRequest  *request,
                  GError              **error)
{
  TbSimLine *self = TB_SIM_LINE (line);
  const TbSimPersona *persona = tb_sim_persona_lookup (request->persona);
  guint ring_timeout = request->ring_timeout_ms ? request->ring_timeout_ms
                                                : TB_LINE_DEFAULT_RING_TIMEOUT_MS;
  guint ring_ms;
  TbSimCall *call;

  if (request->persona != NULL && *request->persona != '\0' && persona == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "line %s: dial %s: unknown persona \"%s\"", tb_line_get_name (line),
                 request->number,
                 request->persona);
    return NULL;
  }
  if (persona == NULL)
    persona = tb_sim_persona_pick (self->mix, self->weights, request->number, self->seed);
  /* 1–4 s of ringing, also from the number, so runs repeat exactly. */
  ring_ms = 1000 + (g_str_hash (request->number) ^ (guint) self->seed) % 3000;

  call = tb_sim_call_new (request->number, persona, request->language, self->fast, ring_ms,
                          ring_timeout);
  g_debug ("line %s: %s answered by %s", tb_line_get_name (line), request->number,
           persona->name);
  return TB_CALL (call);
}

static void
tb_sim_line_finalize (GObject *object)
{
  TbSimLine *self = TB_SIM_LINE (object);

  g_clear_pointer (&self->mix, g_ptr_array_unref);
  g_clear_pointer (&self->weights, g_array_unref);

  G_OBJECT_CLASS (tb_sim_line_parent_class)->finalize (object);
}

static void
tb_sim_line_class_init (TbSimLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TbLineClass *line_class = TB_LINE_CLASS (klass);

  object_class->finalize = tb_sim_line_finalize;
  line_class->kind = "sim";
  /* No channels to count: as many calls as the machine carries. */
  line_class->default_max_calls = 64;
  line_class->start = tb_sim_line_start;
  line_class->stop = tb_sim_line_stop;
  line_class->dial = tb_sim_line_dial;
}

static void
tb_sim_line_init (TbSimLine *self)
{
  /* Calls build GStreamer bins; a program that never set GStreamer up still gets them. */
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
}

TbSimLine *
tb_sim_line_new (const char  *name,
                 gboolean     fast,
                 guint64      seed,
                 const char  *persona_mix,
                 GError     **error)
{
  g_autoptr(TbSimLine) self = g_object_new (TB_TYPE_SIM_LINE, "name", name, NULL);

  if (!tb_sim_persona_parse_mix (persona_mix, &self->mix, &self->weights, error)) {
    g_prefix_error (error, "line %s: ", name);
    return NULL;
  }
  self->fast = fast;
  self->seed = seed;
  return g_steal_pointer (&self);
}

TbSimLine *
tb_sim_line_new_from_config (const char  *name,
                             const char  *config_json,
                             int          max_calls,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *config;
  TbSimLine *self;

  if ((config = tb_line_parse_config (name, config_json, parser, error)) == NULL)
    return NULL;
  self = tb_sim_line_new (name,
                          json_object_get_boolean_member_with_default (config, "fast", FALSE),
                          json_object_get_int_member_with_default (config, "seed", 0),
                          json_object_get_string_member_with_default (config, "mix", NULL),
                          error);
  if (self == NULL)
    return NULL;
  if (max_calls > 0)
    g_object_set (self, "max-calls", max_calls, NULL);
  self->rehearsal = json_object_get_boolean_member_with_default (config, "rehearsal", FALSE);
  return self;
}

gboolean
tb_sim_line_get_rehearsal (TbSimLine *self)
{
  g_return_val_if_fail (TB_IS_SIM_LINE (self), FALSE);
  return self->rehearsal;
}

gboolean
tb_sim_line_get_fast (TbSimLine *self)
{
  g_return_val_if_fail (TB_IS_SIM_LINE (self), FALSE);
  return self->fast;
}

const char *
tb_sim_line_pick_persona (TbSimLine  *self,
                          const char *number)
{
  g_return_val_if_fail (TB_IS_SIM_LINE (self), NULL);
  return tb_sim_persona_pick (self->mix, self->weights, number, self->seed)->name;
}
