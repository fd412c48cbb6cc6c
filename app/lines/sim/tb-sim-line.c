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
  GPtrArray   *custom;     /* const TbSimPersona *: the config's own personas */
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
  const TbSimPersona *persona = NULL;
  guint ring_timeout = request->ring_timeout_ms ? request->ring_timeout_ms
                                                : TB_LINE_DEFAULT_RING_TIMEOUT_MS;
  guint ring_ms;
  TbSimCall *call;

  persona = tb_sim_persona_lookup_in (self->custom, request->persona);
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

  g_clear_pointer (&self->custom, g_ptr_array_unref);
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
  self->custom = g_ptr_array_new ();
}

TbSimLine *
tb_sim_line_new (const char  *name,
                 gboolean     fast,
                 guint64      seed,
                 const char  *persona_mix,
                 GError     **error)
{
  g_autoptr(TbSimLine) self = g_object_new (TB_TYPE_SIM_LINE, "name", name, NULL);

  if (!tb_sim_persona_parse_mix (persona_mix, NULL, &self->mix, &self->weights, error)) {
    g_prefix_error (error, "line %s: ", name);
    return NULL;
  }
  self->fast = fast;
  self->seed = seed;
  return g_steal_pointer (&self);
}

/* Refuses a "personas" entry with the reason and where it is. */
static gboolean
bad_persona (TbSimLine   *self,
             guint        i,
             const char  *why,
             GError     **error)
{
  g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
               "line %s: personas[%u]: %s (each is {\"name\": …, \"says\": [turns…], "
               "\"weight\": 0..1000})", tb_line_get_name (TB_LINE (self)), i, why);
  return FALSE;
}

/* The config's "personas": [{"name": "remove_me", "says": ["take me off your list", …],
 * "weight": 2}, …]. Without a "mix", they are the mix, by their weights (default 1). */
static gboolean
set_custom_personas (TbSimLine   *self,
                     JsonObject  *config,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (config, "personas");
  g_autoptr(GString) mix = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "line %s: \"personas\" must be a list of at least one persona",
                 tb_line_get_name (TB_LINE (self)));
    return FALSE;
  }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *item = json_array_get_element (array, i);
    g_autoptr(GStrvBuilder) turns = g_strv_builder_new ();
    g_auto(GStrv) said = NULL;
    JsonObject *o;
    JsonNode *w;
    JsonArray *says;
    const char *name;
    const TbSimPersona *persona;
    gint64 weight = 1;

    if (!JSON_NODE_HOLDS_OBJECT (item))
      return bad_persona (self, i, "not an object", error);
    o = json_node_get_object (item);
    if (!json_object_has_member (o, "name") ||
        json_node_get_value_type (json_object_get_member (o, "name")) != G_TYPE_STRING)
      return bad_persona (self, i, "\"name\" must be a string", error);
    name = json_object_get_string_member (o, "name");
    if ((w = json_object_get_member (o, "weight")) != NULL) {
      if (json_node_get_value_type (w) != G_TYPE_INT64 ||
          (weight = json_node_get_int (w)) < 0 || weight > 1000)
        return bad_persona (self, i, "\"weight\" must be a whole number from 0 to 1000",
                            error);
    }
    if (!json_object_has_member (o, "says") ||
        !JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "says")))
      return bad_persona (self, i, "\"says\" must be a list of what the callee says", error);
    says = json_object_get_array_member (o, "says");
    for (guint j = 0; j < json_array_get_length (says); j++) {
      JsonNode *t = json_array_get_element (says, j);

      if (json_node_get_value_type (t) != G_TYPE_STRING)
        return bad_persona (self, i, "every turn of \"says\" must be a string", error);
      g_strv_builder_add (turns, json_node_get_string (t));
    }
    said = g_strv_builder_end (turns);
    if ((persona = tb_sim_persona_intern (name, (const char * const *) said, error)) == NULL) {
      g_prefix_error (error, "line %s: personas[%u]: ", tb_line_get_name (TB_LINE (self)), i);
      return FALSE;
    }
    for (guint k = 0; k < self->custom->len; k++)
      if (g_str_equal (((const TbSimPersona *) g_ptr_array_index (self->custom, k))->name, name))
        return bad_persona (self, i, "the name is given twice", error);
    g_ptr_array_add (self->custom, (gpointer) persona);
    g_string_append_printf (mix, "%s%s:%" G_GINT64_FORMAT, mix->len ? "," : "", name, weight);
  }
  g_clear_pointer (&self->mix, g_ptr_array_unref);
  g_clear_pointer (&self->weights, g_array_unref);
  if (!tb_sim_persona_parse_mix (json_object_get_string_member_with_default (config, "mix",
                                                                             mix->str),
                                 self->custom, &self->mix, &self->weights, error)) {
    g_prefix_error (error, "line %s: ", tb_line_get_name (TB_LINE (self)));
    return FALSE;
  }
  return TRUE;
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
  /* A mix naming the config's own personas is parsed with them (set_custom_personas). */
  self = tb_sim_line_new (name,
                          json_object_get_boolean_member_with_default (config, "fast", FALSE),
                          json_object_get_int_member_with_default (config, "seed", 0),
                          json_object_has_member (config, "personas") ? NULL :
                          json_object_get_string_member_with_default (config, "mix", NULL),
                          error);
  if (self == NULL)
    return NULL;
  if (!set_custom_personas (self, config, error)) {
    g_object_unref (self);
    return NULL;
  }
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
