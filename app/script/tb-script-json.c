/* tb-script-json.c — TbScript from its JSON document (FORMAT.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-script-json"

#include "config.h"

#include "tb-limits.h"
#include "tb-script-private.h"

#include <string.h>

static const struct {
  TbScriptGlobalAction  action;
  const char           *name;
} global_actions[] = {
  { TB_SCRIPT_GLOBAL_RESUME, "resume" },
  { TB_SCRIPT_GLOBAL_HANGUP, "hangup" },
  { TB_SCRIPT_GLOBAL_GOTO, "goto" },
  { TB_SCRIPT_GLOBAL_OPT_OUT, "opt_out" },
};

/* ---- loading ---------------------------------------------------------- */

typedef struct {
  TbScript   *script;
  const char *node;     /* or NULL */
  const char *where;    /* "intent \"yes\"" etc., or NULL */
} Ctx;

static gboolean G_GNUC_PRINTF (3, 4)
fail (Ctx         *ctx,
      GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (ctx->where != NULL && ctx->node == NULL)
    message = g_strdup_printf ("%s: %s: %s", ctx->script->source_name, ctx->where, text);
  else
    message = _tb_script_format_message (ctx->script, ctx->node, "%s", text);
  g_set_error_literal (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
get_string (Ctx         *ctx,
            JsonObject  *obj,
            const char  *member,
            char       **out,
            GError     **error)
{
  JsonNode *n = json_object_get_member (obj, member);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return fail (ctx, error, "\"%s\" must be a string", member);
  g_free (*out);
  *out = g_strdup (json_node_get_string (n));
  return TRUE;
}

static gboolean
get_int (Ctx         *ctx,
         JsonObject  *obj,
         const char  *member,
         gint64       min,
         gint64       max,
         gint64      *out,
         GError     **error)
{
  JsonNode *n = json_object_get_member (obj, member);
  gint64 v;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return fail (ctx, error, "\"%s\" must be a whole number", member);
  v = json_node_get_int (n);
  if (v < min || v > max)
    return fail (ctx, error, "\"%s\" must be between %" G_GINT64_FORMAT " and %"
                 G_GINT64_FORMAT, member, min, max);
  *out = v;
  return TRUE;
}

static gboolean
get_bool (Ctx         *ctx,
          JsonObject  *obj,
          const char  *member,
          gboolean    *out,
          GError     **error)
{
  JsonNode *n = json_object_get_member (obj, member);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return fail (ctx, error, "\"%s\" must be true or false", member);
  *out = json_node_get_boolean (n);
  return TRUE;
}

static gboolean
get_strv (Ctx         *ctx,
          JsonObject  *obj,
          const char  *member,
          GStrv       *out,
          GError     **error)
{
  JsonNode *n = json_object_get_member (obj, member);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  JsonArray *a;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n)) {
    if (*out == NULL)
      *out = g_new0 (char *, 1);
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_ARRAY (n))
    return fail (ctx, error, "\"%s\" must be a list of strings", member);
  a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++) {
    JsonNode *e = json_array_get_element (a, i);

    if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
      return fail (ctx, error, "\"%s\" item %u must be a string", member, i + 1);
    g_strv_builder_add (b, json_node_get_string (e));
  }
  g_strfreev (*out);
  *out = g_strv_builder_end (b);
  return TRUE;
}

static gboolean
get_object (Ctx          *ctx,
            JsonObject   *obj,
            const char   *member,
            JsonObject  **out,
            GError      **error)
{
  JsonNode *n = json_object_get_member (obj, member);

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    return fail (ctx, error, "\"%s\" must be an object", member);
  *out = json_node_get_object (n);
  return TRUE;
}

static gboolean
load_grade (Ctx            *ctx,
            JsonObject     *obj,
            TbScriptGrade  *grade,
            GError        **error)
{
  JsonObject *g;
  gint64 score = 0;

  if (!get_object (ctx, obj, "grade", &g, error))
    return FALSE;
  if (g == NULL)
    return TRUE;
  if (!get_int (ctx, g, "score", -100, 100, &score, error) ||
      !get_string (ctx, g, "reason", &grade->reason, error))
    return FALSE;
  if (json_object_has_member (g, "tags") && !get_strv (ctx, g, "tags", &grade->tags, error))
    return FALSE;
  grade->score = (int) score;
  grade->set = TRUE;
  return TRUE;
}

/* "barge_in": true | false | {"after_ms": N, "intents": […], "backchannels": bool}. */
static gboolean
load_barge_in (Ctx           *ctx,
               JsonObject    *obj,
               TbScriptNode  *node,
               GError       **error)
{
  JsonNode *b = json_object_get_member (obj, "barge_in");
  JsonObject *policy;
  gint64 after = 0;

  if (b == NULL || JSON_NODE_HOLDS_NULL (b))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (b) && json_node_get_value_type (b) == G_TYPE_BOOLEAN) {
    node->barge_in = json_node_get_boolean (b);
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_OBJECT (b))
    return fail (ctx, error, "\"barge_in\" must be true, false or "
                 "{\"after_ms\", \"intents\", \"backchannels\"}");
  policy = json_node_get_object (b);
  node->barge_in = TRUE;
  if (!get_int (ctx, policy, "after_ms", 0, 60000, &after, error) ||
      !get_bool (ctx, policy, "backchannels", &node->barge_backchannels, error))
    return FALSE;
  node->barge_after_ms = (guint) after;
  if (json_object_has_member (policy, "intents")) {
    if (!get_strv (ctx, policy, "intents", &node->barge_intents, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
load_intent (TbScript    *self,
             const char  *id,
             JsonNode    *node,
             gboolean     global,
             GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s \"%s\"", global ? "global intent" : "intent", id);
  Ctx ctx = { self, NULL, where };
  TbScriptIntent *intent;
  JsonObject *obj;
  g_autofree char *action = NULL;

  if (g_str_equal (id, "no_input") || g_str_equal (id, "no_match"))
    return fail (&ctx, error, "\"%s\" is reserved for routes and cannot be an intent", id);
  if (tb_script_get_intent (self, id) != NULL)
    return fail (&ctx, error, "is defined twice");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (&ctx, error, "must be an object");
  obj = json_node_get_object (node);

  intent = g_new0 (TbScriptIntent, 1);
  intent->id = g_strdup (id);
  intent->global = global;
  g_ptr_array_add (self->intents, intent);

  if (!get_strv (&ctx, obj, "phrases", &intent->phrases, error) ||
      !get_strv (&ctx, obj, "keywords", &intent->keywords, error) ||
      !get_string (&ctx, obj, "dtmf", &intent->dtmf, error) ||
      !load_grade (&ctx, obj, &intent->grade, error))
    return FALSE;
  if (json_object_has_member (obj, "builtin")) {
    JsonNode *b = json_object_get_member (obj, "builtin");
    GType t = JSON_NODE_HOLDS_VALUE (b) ? json_node_get_value_type (b) : G_TYPE_INVALID;

    if (t == G_TYPE_BOOLEAN)
      intent->builtin = json_node_get_boolean (b) ? g_strdup (id) : NULL;
    else if (t == G_TYPE_STRING)
      intent->builtin = g_strdup (json_node_get_string (b));
    else
      return fail (&ctx, error, "\"builtin\" must be true or the name of a built-in intent");
    if (intent->builtin != NULL &&
        !tb_understanding_has_intent (tb_understanding_get_default (), intent->builtin)) {
      g_auto(GStrv) names = tb_understanding_dup_intents (tb_understanding_get_default ());
      g_autofree char *list = g_strjoinv (", ", names);

      return fail (&ctx, error, "\"builtin\": there is no built-in intent \"%s\" (%s)",
                   intent->builtin, list);
    }
  }
  if (intent->dtmf != NULL) {
    for (const char *p = intent->dtmf; *p; p++)
      if (!strchr ("0123456789*#ABCD", *p))
        return fail (&ctx, error, "\"dtmf\" must be digits 0-9, *, # or A-D, not \"%s\"",
                     intent->dtmf);
  }
  if (!global)
    return TRUE;

  if (!get_string (&ctx, obj, "action", &action, error) ||
      !get_string (&ctx, obj, "response", &intent->response, error) ||
      !get_string (&ctx, obj, "next", &intent->next, error) ||
      !get_string (&ctx, obj, "outcome", &intent->outcome, error))
    return FALSE;

  if (action == NULL) {
    /* The well-known globals do the obvious thing unless told otherwise. */
    if (g_str_equal (id, "opt_out"))
      intent->action = TB_SCRIPT_GLOBAL_OPT_OUT;
    else if (g_str_equal (id, "call_later") || g_str_equal (id, "busy_now"))
      intent->action = TB_SCRIPT_GLOBAL_HANGUP;
    else if (intent->next != NULL)
      intent->action = TB_SCRIPT_GLOBAL_GOTO;
    else
      intent->action = TB_SCRIPT_GLOBAL_RESUME;
  } else {
    gboolean found = FALSE;

    for (guint i = 0; i < G_N_ELEMENTS (global_actions) && !found; i++) {
      if (g_str_equal (global_actions[i].name, action)) {
        intent->action = global_actions[i].action;
        found = TRUE;
      }
    }
    if (!found)
      return fail (&ctx, error, "unknown action \"%s\" (resume, hangup, goto or opt_out)",
                   action);
  }
  if (g_str_equal (id, "opt_out") && intent->action != TB_SCRIPT_GLOBAL_OPT_OUT)
    return fail (&ctx, error, "the opt_out intent must have the action \"opt_out\"");
  if (intent->action == TB_SCRIPT_GLOBAL_GOTO && intent->next == NULL)
    return fail (&ctx, error, "action \"goto\" needs \"next\"");
  if (intent->outcome == NULL && (g_str_equal (id, "call_later") || g_str_equal (id, "busy_now")))
    intent->outcome = g_strdup ("callback_requested");
  return TRUE;
}

static gboolean
load_intents (TbScript    *self,
              JsonObject  *root,
              const char  *member,
              gboolean     global,
              GError     **error)
{
  Ctx ctx = { self, NULL, NULL };
  JsonObject *obj;
  g_autoptr(GList) names = NULL;

  if (!get_object (&ctx, root, member, &obj, error))
    return FALSE;
  if (obj == NULL)
    return TRUE;
  names = json_object_get_members (obj);
  for (GList *l = names; l != NULL; l = l->next)
    if (!load_intent (self, l->data, json_object_get_member (obj, l->data), global, error))
      return FALSE;
  return TRUE;
}

static gboolean
load_node (TbScript    *self,
           const char  *id,
           JsonNode    *json,
           GError     **error)
{
  Ctx ctx = { self, id, NULL };
  g_autofree char *type_name = NULL;
  TbScriptNodeType type;
  TbScriptNode *node;
  JsonObject *obj, *routes;
  gint64 retries, timeout, end_silence, end_complete;

  if (*id == '\0')
    return fail (&ctx, error, "a node id must not be empty");
  if (g_hash_table_contains (self->node_index, id))
    return fail (&ctx, error, "is defined twice");
  if (!JSON_NODE_HOLDS_OBJECT (json))
    return fail (&ctx, error, "must be an object");
  obj = json_node_get_object (json);
  if (!get_string (&ctx, obj, "type", &type_name, error))
    return FALSE;
  if (type_name == NULL)
    return fail (&ctx, error, "has no \"type\" (say, ask, transfer, voicemail or hangup)");
  if (!tb_script_node_type_from_string (type_name, &type))
    return fail (&ctx, error, "unknown type \"%s\" (say, ask, transfer, voicemail or hangup)",
                 type_name);

  node = _tb_script_node_new (id, type);
  g_ptr_array_add (self->nodes, node);
  g_hash_table_insert (self->node_index, node->id, node);

  retries = node->retries;
  timeout = node->timeout_ms;
  end_silence = node->end_silence_ms;
  end_complete = node->end_silence_complete_ms;
  if (!get_string (&ctx, obj, "title", &node->title, error) ||
      !get_string (&ctx, obj, "text", &node->text, error) ||
      !get_string (&ctx, obj, "prompt", &node->prompt, error) ||
      !get_string (&ctx, obj, "next", &node->next, error) ||
      !get_int (&ctx, obj, "retries", 0, 10, &retries, error) ||
      !get_string (&ctx, obj, "retry_text", &node->retry_text, error) ||
      !get_int (&ctx, obj, "timeout_ms", 100, 120000, &timeout, error) ||
      !get_int (&ctx, obj, "end_silence_ms", 100, 3000, &end_silence, error) ||
      !get_int (&ctx, obj, "end_silence_complete_ms", 50, 3000, &end_complete, error) ||
      !get_string (&ctx, obj, "to", &node->to, error) ||
      !get_string (&ctx, obj, "outcome", &node->outcome, error) ||
      !get_strv (&ctx, obj, "disclose", &node->disclose, error) ||
      !load_grade (&ctx, obj, &node->grade, error) ||
      !get_object (&ctx, obj, "routes", &routes, error))
    return FALSE;
  node->retries = (int) retries;
  node->timeout_ms = (guint) timeout;
  node->end_silence_ms = (guint) end_silence;
  node->end_silence_complete_ms = (guint) end_complete;
  /* A node that discloses (who is calling, that it is automated, how to stop) is heard
   * whole unless the script says otherwise. */
  if (node->disclose[0] != NULL)
    node->barge_in = FALSE;
  if (!load_barge_in (&ctx, obj, node, error))
    return FALSE;

  /* The card's place on the canvas belongs to the editor (TbScriptDocument); a call has no
   * use for it, so only its shape is checked. */
  {
    JsonObject *ui;

    if (!get_object (&ctx, obj, "ui", &ui, error))
      return FALSE;
    if (ui != NULL && json_object_has_member (ui, "x") && json_object_has_member (ui, "y")) {
      JsonNode *x = json_object_get_member (ui, "x");
      JsonNode *y = json_object_get_member (ui, "y");

      if (!JSON_NODE_HOLDS_VALUE (x) || !JSON_NODE_HOLDS_VALUE (y) ||
          (json_node_get_value_type (x) != G_TYPE_INT64 &&
           json_node_get_value_type (x) != G_TYPE_DOUBLE) ||
          (json_node_get_value_type (y) != G_TYPE_INT64 &&
           json_node_get_value_type (y) != G_TYPE_DOUBLE))
        return fail (&ctx, error, "\"ui\" must have numbers \"x\" and \"y\"");
    }
  }

  if (routes != NULL) {
    g_autoptr(GList) names = json_object_get_members (routes);

    for (GList *l = names; l != NULL; l = l->next) {
      JsonNode *t = json_object_get_member (routes, l->data);
      TbScriptRoute *r;

      if (!JSON_NODE_HOLDS_VALUE (t) || json_node_get_value_type (t) != G_TYPE_STRING)
        return fail (&ctx, error, "route \"%s\" must name a node", (const char *) l->data);
      r = g_new0 (TbScriptRoute, 1);
      r->intent = g_strdup (l->data);
      r->target = g_strdup (json_node_get_string (t));
      g_ptr_array_add (node->routes, r);
    }
  }
  return TRUE;
}

static gboolean
load_variables (TbScript    *self,
                JsonObject  *root,
                GError     **error)
{
  Ctx ctx = { self, NULL, "\"variables\"" };
  JsonNode *n = json_object_get_member (root, "variables");

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (n)) {
    JsonArray *a = json_node_get_array (n);

    for (guint i = 0; i < json_array_get_length (a); i++) {
      JsonNode *e = json_array_get_element (a, i);
      const char *name;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        return fail (&ctx, error, "item %u must be a variable name", i + 1);
      name = json_node_get_string (e);
      if (!g_hash_table_contains (self->var_defaults, name)) {
        g_ptr_array_add (self->variables, g_strdup (name));
        g_hash_table_insert (self->var_defaults, g_strdup (name), NULL);
      }
    }
    return TRUE;
  }
  if (JSON_NODE_HOLDS_OBJECT (n)) {
    JsonObject *o = json_node_get_object (n);
    g_autoptr(GList) names = json_object_get_members (o);

    for (GList *l = names; l != NULL; l = l->next) {
      JsonNode *v = json_object_get_member (o, l->data);
      const char *def = NULL;

      if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
        def = json_node_get_string (v);
      else if (!JSON_NODE_HOLDS_NULL (v))
        return fail (&ctx, error, "the default of \"%s\" must be a string or null",
                     (const char *) l->data);
      g_ptr_array_add (self->variables, g_strdup (l->data));
      g_hash_table_insert (self->var_defaults, g_strdup (l->data), g_strdup (def));
    }
    return TRUE;
  }
  return fail (&ctx, error, "must be an object of defaults or a list of names");
}

static gboolean
load_grading (TbScript    *self,
              JsonObject  *root,
              GError     **error)
{
  Ctx ctx = { self, NULL, "\"grading\"" };
  JsonObject *g, *t;
  gint64 base = self->grading.base;
  gint64 a = self->grading.a, b = self->grading.b, c = self->grading.c, d = self->grading.d;

  if (!get_object (&ctx, root, "grading", &g, error))
    return FALSE;
  if (g == NULL)
    return TRUE;
  if (!get_int (&ctx, g, "base", 0, 100, &base, error) ||
      !get_object (&ctx, g, "thresholds", &t, error))
    return FALSE;
  if (t != NULL &&
      (!get_int (&ctx, t, "A", 0, 100, &a, error) || !get_int (&ctx, t, "B", 0, 100, &b, error) ||
       !get_int (&ctx, t, "C", 0, 100, &c, error) || !get_int (&ctx, t, "D", 0, 100, &d, error)))
    return FALSE;
  self->grading = (TbScriptGrading) { .a = a, .b = b, .c = c, .d = d, .base = base };
  return TRUE;
}

TbScript *
tb_script_new_from_json (JsonNode    *root_node,
                         const char  *source_name,
                         GError     **error)
{
  g_autoptr(TbScript) self = g_object_new (TB_TYPE_SCRIPT, NULL);
  Ctx ctx = { self, NULL, NULL };
  JsonObject *root, *nodes;
  JsonNode *version;
  JsonNode *conf;

  g_return_val_if_fail (root_node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (source_name != NULL) {
    g_free (self->source_name);
    self->source_name = g_strdup (source_name);
  }
  if (!JSON_NODE_HOLDS_OBJECT (root_node)) {
    fail (&ctx, error, "a script must be a JSON object");
    return NULL;
  }
  root = json_node_get_object (root_node);
  version = json_object_get_member (root, "telebot_script");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64) {
    g_set_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_VERSION,
                 "%s: not a Telebot script (no \"telebot_script\": %d)",
                 self->source_name, TB_SCRIPT_FORMAT_VERSION);
    return NULL;
  }
  if (json_node_get_int (version) != TB_SCRIPT_FORMAT_VERSION) {
    g_set_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_VERSION,
                 "%s: script format version %" G_GINT64_FORMAT " is not supported (this "
                 "Telebot reads version %d)", self->source_name, json_node_get_int (version),
                 TB_SCRIPT_FORMAT_VERSION);
    return NULL;
  }

  if (!get_string (&ctx, root, "name", &self->name, error) ||
      !get_string (&ctx, root, "language", &self->language, error) ||
      !get_string (&ctx, root, "voice", &self->voice, error) ||
      !get_bool (&ctx, root, "records", &self->records, error) ||
      !get_string (&ctx, root, "start", &self->start, error) ||
      !get_string (&ctx, root, "voicemail", &self->voicemail, error) ||
      !load_variables (self, root, error) ||
      !load_grading (self, root, error) ||
      !load_intents (self, root, "intents", FALSE, error) ||
      !load_intents (self, root, "global_intents", TRUE, error) ||
      !get_object (&ctx, root, "nodes", &nodes, error))
    return NULL;

  {
    g_autofree char *listen = NULL;

    if (!get_string (&ctx, root, "listen", &listen, error))
      return NULL;
    if (listen != NULL && !g_str_equal (listen, "speech") && !g_str_equal (listen, "keypad")) {
      fail (&ctx, error, "\"listen\" must be \"speech\" or \"keypad\"");
      return NULL;
    }
    self->keypad_only = g_strcmp0 (listen, "keypad") == 0;
  }

  conf = json_object_get_member (root, "opt_out_confirm");
  if (conf != NULL && !JSON_NODE_HOLDS_NULL (conf)) {
    if (JSON_NODE_HOLDS_VALUE (conf) && json_node_get_value_type (conf) == G_TYPE_BOOLEAN) {
      self->confirm_opt_out = json_node_get_boolean (conf);
    } else if (JSON_NODE_HOLDS_OBJECT (conf)) {
      JsonObject *c = json_node_get_object (conf);
      Ctx cctx = { self, NULL, "\"opt_out_confirm\"" };

      if (!get_bool (&cctx, c, "enabled", &self->confirm_opt_out, error) ||
          !get_string (&cctx, c, "text", &self->confirm_text, error))
        return NULL;
      if (!json_object_has_member (c, "enabled"))
        self->confirm_opt_out = TRUE;
    } else {
      fail (&ctx, error, "\"opt_out_confirm\" must be true, false or {\"enabled\", \"text\"}");
      return NULL;
    }
  }

  conf = json_object_get_member (root, "min_confidence");
  if (conf != NULL && !JSON_NODE_HOLDS_NULL (conf)) {
    if (!JSON_NODE_HOLDS_VALUE (conf) ||
        (json_node_get_value_type (conf) != G_TYPE_DOUBLE &&
         json_node_get_value_type (conf) != G_TYPE_INT64) ||
        json_node_get_double (conf) < 0.0 || json_node_get_double (conf) > 1.0) {
      fail (&ctx, error, "\"min_confidence\" must be a number from 0 to 1");
      return NULL;
    }
    self->min_confidence = json_node_get_double (conf);
  }

  if (nodes != NULL) {
    g_autoptr(GList) names = json_object_get_members (nodes);

    for (GList *l = names; l != NULL; l = l->next)
      if (!load_node (self, l->data, json_object_get_member (nodes, l->data), error))
        return NULL;
  }
  return g_steal_pointer (&self);
}

TbScript *
tb_script_new_from_data (const char  *data,
                         gssize       length,
                         const char  *source_name,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  const char *source = source_name ? source_name : "script";

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);
  if (!g_utf8_validate_len (data, length, NULL)) {
    g_set_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_SYNTAX,
                 "%s: not valid UTF-8 text", source);
    return NULL;
  }
  /* Size and nesting first: json-glib recurses once per level, and a script nested 80,000
   * deep crashed `script check`. */
  if (!tb_limits_parse_json (parser, length > 0 ? data : "", length, source,
                             TB_LIMITS_SCRIPT_BYTES, &local)) {
    g_set_error_literal (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_SYNTAX, local->message);
    return NULL;
  }
  if (json_parser_get_root (parser) == NULL) {
    g_set_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_SYNTAX, "%s: the file is empty",
                 source);
    return NULL;
  }
  return tb_script_new_from_json (json_parser_get_root (parser), source, error);
}
