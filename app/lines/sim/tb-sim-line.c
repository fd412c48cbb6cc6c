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
  GObject      parent_instance;

  char        *name;
  gboolean     fast;
  guint64      seed;
  int          max_calls;
  TbLineState  state;
  GPtrArray   *mix;        /* const TbSimPersona * */
  GArray      *weights;
  GPtrArray   *calls;      /* live TbCall, owned until they end */
  gboolean    rehearsal;   /* calls "heard" by reading the personas' words */
};

static void tb_sim_line_iface_init (TbLineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TbSimLine, tb_sim_line, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TB_TYPE_LINE, tb_sim_line_iface_init))

enum {
  PROP_0,
  PROP_NAME,
  PROP_KIND,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_MAX_CALLS,
  PROP_N_CALLS,
  N_PROPS
};

static void
set_state (TbSimLine   *self,
           TbLineState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify (G_OBJECT (self), "state");
}

static void
on_call_state_notify (TbCall     *call,
                      GParamSpec *pspec,
                      TbSimLine  *self)
{
  if (tb_call_get_state (call) != TB_CALL_STATE_ENDED)
    return;
  g_signal_handlers_disconnect_by_func (call, on_call_state_notify, self);
  if (g_ptr_array_remove (self->calls, call))
    g_object_notify (G_OBJECT (self), "n-calls");
}

static void
tb_sim_line_start (TbLine *line)
{
  set_state (TB_SIM_LINE (line), TB_LINE_STATE_READY);
}

static void
tb_sim_line_stop (TbLine *line)
{
  TbSimLine *self = TB_SIM_LINE (line);
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->calls->len; i++)
    g_ptr_array_add (calls, g_object_ref (g_ptr_array_index (self->calls, i)));
  for (guint i = 0; i < calls->len; i++)
    tb_call_hang_up (g_ptr_array_index (calls, i));
  set_state (self, TB_LINE_STATE_OFFLINE);
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
                 "line %s: dial %s: unknown persona \"%s\"", self->name, request->number,
                 request->persona);
    return NULL;
  }
  if (persona == NULL)
    persona = tb_sim_persona_pick (self->mix, self->weights, request->number, self->seed);
  /* 1–4 s of ringing, also from the number, so runs repeat exactly. */
  ring_ms = 1000 + (g_str_hash (request->number) ^ (guint) self->seed) % 3000;

  call = tb_sim_call_new (request->number, persona, request->language, self->fast, ring_ms,
                          ring_timeout);
  g_ptr_array_add (self->calls, call);
  g_signal_connect_object (call, "notify::state", G_CALLBACK (on_call_state_notify), self, 0);
  g_object_notify (G_OBJECT (self), "n-calls");
  g_debug ("line %s: %s answered by %s", self->name, request->number, persona->name);
  return TB_CALL (g_object_ref (call));
}

static void
tb_sim_line_iface_init (TbLineInterface *iface)
{
  iface->start = tb_sim_line_start;
  iface->stop = tb_sim_line_stop;
  iface->dial = tb_sim_line_dial;
}

static void
tb_sim_line_finalize (GObject *object)
{
  TbSimLine *self = TB_SIM_LINE (object);

  for (guint i = 0; i < self->calls->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->calls, i),
                                          on_call_state_notify, self);
  g_ptr_array_unref (self->calls);
  g_clear_pointer (&self->mix, g_ptr_array_unref);
  g_clear_pointer (&self->weights, g_array_unref);
  g_free (self->name);

  G_OBJECT_CLASS (tb_sim_line_parent_class)->finalize (object);
}

static void
tb_sim_line_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TbSimLine *self = TB_SIM_LINE (object);

  switch (prop_id) {
  case PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  case PROP_KIND:
    g_value_set_string (value, "sim");
    break;
  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_LAST_ERROR:
    g_value_set_string (value, NULL);
    break;
  case PROP_MAX_CALLS:
    g_value_set_int (value, self->max_calls);
    break;
  case PROP_N_CALLS:
    g_value_set_uint (value, self->calls->len);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_sim_line_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TbSimLine *self = TB_SIM_LINE (object);

  switch (prop_id) {
  case PROP_NAME:
    self->name = g_value_dup_string (value);
    break;
  case PROP_MAX_CALLS:
    if (self->max_calls != g_value_get_int (value)) {
      self->max_calls = g_value_get_int (value);
      g_object_notify_by_pspec (object, pspec);
    }
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_sim_line_class_init (TbSimLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_sim_line_finalize;
  object_class->get_property = tb_sim_line_get_property;
  object_class->set_property = tb_sim_line_set_property;

  g_object_class_override_property (object_class, PROP_NAME, "name");
  g_object_class_override_property (object_class, PROP_KIND, "kind");
  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_LAST_ERROR, "last-error");
  g_object_class_override_property (object_class, PROP_MAX_CALLS, "max-calls");
  g_object_class_override_property (object_class, PROP_N_CALLS, "n-calls");
}

static void
tb_sim_line_init (TbSimLine *self)
{
  /* Calls build GStreamer bins; a program that never set GStreamer up still gets them. */
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  self->max_calls = 64;
  self->calls = g_ptr_array_new_with_free_func (g_object_unref);
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
  g_autoptr(GError) local_error = NULL;
  JsonObject *config;
  TbSimLine *self;

  if (!json_parser_load_from_data (parser, config_json ? config_json : "{}", -1, &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "line %s: config is not a JSON object: %s", name,
                 local_error ? local_error->message : config_json);
    return NULL;
  }
  config = json_node_get_object (json_parser_get_root (parser));
  self = tb_sim_line_new (name,
                          json_object_get_boolean_member_with_default (config, "fast", FALSE),
                          json_object_get_int_member_with_default (config, "seed", 0),
                          json_object_get_string_member_with_default (config, "mix", NULL),
                          error);
  if (self != NULL && max_calls > 0)
    self->max_calls = max_calls;
  if (self != NULL)
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
