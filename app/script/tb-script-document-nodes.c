/* tb-script-document-nodes.c — nodes, their fields and routes; intents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-script-document-nodes"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-script-document-private.h"
#include "tb-script.h"

static gboolean
is_valid_id (const char *id)
{
  if (id == NULL || id[0] == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

/* Points every route, next and start naming @old_id at @new_id (NULL: drops them). A rename
 * also follows "voicemail" and the global intents' "goto" targets; a removal leaves those for
 * the checker to report, since dropping them would change what a call does unasked. */
static void
retarget (TbScriptDocument *self,
          const char       *old_id,
          const char       *new_id)
{
  JsonObject *root = json_node_get_object (tb_script_document_get_root (self));
  JsonObject *nodes = _tb_script_document_get_object (self, "nodes", FALSE);
  JsonObject *globals = _tb_script_document_get_object (self, "global_intents", FALSE);
  g_autoptr(GList) ids = nodes ? json_object_get_members (nodes) : NULL;

  if (g_strcmp0 (_tb_json_get_string (root, "start"), old_id) == 0) {
    if (new_id != NULL)
      json_object_set_string_member (root, "start", new_id);
    else
      json_object_remove_member (root, "start");
  }
  if (new_id != NULL && g_strcmp0 (_tb_json_get_string (root, "voicemail"), old_id) == 0)
    json_object_set_string_member (root, "voicemail", new_id);
  if (new_id != NULL && globals != NULL) {
    g_autoptr(GList) intents = json_object_get_members (globals);

    for (GList *l = intents; l != NULL; l = l->next) {
      JsonNode *intent = json_object_get_member (globals, l->data);

      if (JSON_NODE_HOLDS_OBJECT (intent) &&
          g_strcmp0 (_tb_json_get_string (json_node_get_object (intent), "next"), old_id) == 0)
        json_object_set_string_member (json_node_get_object (intent), "next", new_id);
    }
  }

  for (GList *l = ids; l != NULL; l = l->next) {
    JsonObject *node = _tb_script_document_get_node (self, l->data);
    JsonNode *routes_node;

    if (node == NULL)
      continue;
    if (g_strcmp0 (_tb_json_get_string (node, "next"), old_id) == 0) {
      if (new_id != NULL)
        json_object_set_string_member (node, "next", new_id);
      else
        json_object_remove_member (node, "next");
    }
    routes_node = json_object_get_member (node, "routes");
    if (routes_node != NULL && JSON_NODE_HOLDS_OBJECT (routes_node)) {
      JsonObject *routes = json_node_get_object (routes_node);
      g_autoptr(GList) keys = json_object_get_members (routes);

      for (GList *k = keys; k != NULL; k = k->next) {
        if (g_strcmp0 (_tb_json_get_string (routes, k->data),
                       old_id) != 0)
          continue;
        if (new_id != NULL)
          json_object_set_string_member (routes, k->data, new_id);
        else
          json_object_remove_member (routes, k->data);
      }
    }
  }
}

/* Adds a node of @type with a fresh id made from @id_hint (or the type) and
 * returns the id. The first node of an empty script becomes its start. */
char *
tb_script_document_add_node (TbScriptDocument *self,
                             const char       *type,
                             const char       *id_hint)
{
  JsonObject *nodes;
  JsonObject *node;
  const char *base;
  g_autofree char *position_key = NULL;
  char *id;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);

  base = is_valid_id (id_hint) ? id_hint : type;
  id = g_strdup (base);
  for (guint n = 2; tb_script_document_has_node (self, id); n++) {
    g_free (id);
    id = g_strdup_printf ("%s_%u", base, n);
  }

  /* Placing the new card right after (set_position) is part of the same step. */
  position_key = g_strdup_printf ("position:%s", id);
  _tb_script_document_begin_change (self, position_key);
  nodes = _tb_script_document_get_object (self, "nodes", TRUE);
  node = json_object_new ();
  json_object_set_string_member (node, "type", type);
  json_object_set_string_member (node, "text", "");
  if (g_str_equal (type, "ask")) {
    JsonObject *routes = json_object_new ();

    json_object_set_object_member (node, "routes", routes);
    json_object_set_int_member (node, "retries", 1);
  }
  json_object_set_object_member (nodes, id, node);
  if (tb_script_document_get_start (self) == NULL && json_object_get_size (nodes) == 1)
    json_object_set_string_member (json_node_get_object (tb_script_document_get_root (self)),
                                   "start", id);
  _tb_script_document_end_change (self);
  return id;
}

/* Removes the node and every route to it; the start moves to the first node left. */
void
tb_script_document_remove_node (TbScriptDocument *self,
                                const char       *node_id)
{
  JsonObject *nodes;
  JsonObject *layout;
  JsonObject *root;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  if (!tb_script_document_has_node (self, node_id))
    return;

  _tb_script_document_begin_change (self, NULL);
  root = json_node_get_object (tb_script_document_get_root (self));
  nodes = _tb_script_document_get_object (self, "nodes", FALSE);
  json_object_remove_member (nodes, node_id);
  retarget (self, node_id, NULL);
  if ((layout = _tb_script_document_get_object (self, "layout", FALSE)) != NULL &&
      json_object_has_member (layout, node_id))
    json_object_remove_member (layout, node_id);
  if (!json_object_has_member (root, "start") && json_object_get_size (nodes) > 0) {
    g_autoptr(GList) ids = json_object_get_members (nodes);

    json_object_set_string_member (root, "start", ids->data);
  }
  _tb_script_document_end_change (self);
}

/* Renames a node, keeping its place in the document and every route to it. */
gboolean
tb_script_document_rename_node (TbScriptDocument  *self,
                                const char        *node_id,
                                const char        *new_id,
                                GError           **error)
{
  JsonObject *nodes;
  JsonObject *renamed;
  JsonObject *layout;
  g_autoptr(GList) ids = NULL;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);
  g_return_val_if_fail (node_id != NULL && new_id != NULL, FALSE);

  if (g_str_equal (node_id, new_id))
    return TRUE;
  if (!tb_script_document_has_node (self, node_id)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no node “%s”"), node_id);
    return FALSE;
  }
  if (!is_valid_id (new_id)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” is not a valid node id: use letters, digits, “_” and “-”"), new_id);
    return FALSE;
  }
  if (tb_script_document_has_node (self, new_id)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 _("There is already a node “%s”"), new_id);
    return FALSE;
  }

  _tb_script_document_begin_change (self, NULL);
  nodes = _tb_script_document_get_object (self, "nodes", FALSE);
  renamed = json_object_new ();
  ids = json_object_get_members (nodes);
  for (GList *l = ids; l != NULL; l = l->next)
    json_object_set_member (renamed, g_str_equal (l->data, node_id) ? new_id : l->data,
                            json_node_copy (json_object_get_member (nodes, l->data)));
  json_object_set_object_member (json_node_get_object (tb_script_document_get_root (self)),
                                 "nodes", renamed);
  retarget (self, node_id, new_id);
  if ((layout = _tb_script_document_get_object (self, "layout", FALSE)) != NULL &&
      json_object_has_member (layout, node_id)) {
    json_object_set_member (layout, new_id,
                            json_node_copy (json_object_get_member (layout, node_id)));
    json_object_remove_member (layout, node_id);
  }
  _tb_script_document_end_change (self);
  return TRUE;
}

static JsonObject *
get_intent (TbScriptDocument *self,
            gboolean          global,
            const char       *intent_id,
            gboolean          create)
{
  JsonObject *intents = _tb_script_document_get_object (self, global ? "global_intents" : "intents",
                                                        create);
  JsonNode *node;

  if (intents == NULL || intent_id == NULL)
    return NULL;
  node = json_object_get_member (intents, intent_id);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  return NULL;
}

GStrv
tb_script_document_dup_intent_ids (TbScriptDocument *self,
                                   gboolean          global)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonObject *intents;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  intents = _tb_script_document_get_object (self, global ? "global_intents" : "intents", FALSE);
  if (intents != NULL) {
    g_autoptr(GList) ids = json_object_get_members (intents);

    for (GList *l = ids; l != NULL; l = l->next)
      g_strv_builder_add (builder, l->data);
  }
  return g_strv_builder_end (builder);
}

GStrv
tb_script_document_dup_phrases (TbScriptDocument *self,
                                gboolean          global,
                                const char       *intent_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonObject *intent;
  JsonNode *phrases;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  intent = get_intent (self, global, intent_id, FALSE);
  phrases = intent ? json_object_get_member (intent, "phrases") : NULL;
  if (phrases != NULL && JSON_NODE_HOLDS_ARRAY (phrases)) {
    JsonArray *array = json_node_get_array (phrases);

    for (guint i = 0; i < json_array_get_length (array); i++) {
      JsonNode *item = json_array_get_element (array, i);

      if (json_node_get_value_type (item) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (item));
    }
  }
  return g_strv_builder_end (builder);
}

void
tb_script_document_set_phrases (TbScriptDocument   *self,
                                gboolean            global,
                                const char         *intent_id,
                                const char * const *phrases)
{
  JsonObject *intent;
  JsonArray *array;
  g_auto(GStrv) old = NULL;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  if ((intent = get_intent (self, global, intent_id, FALSE)) == NULL)
    return;
  old = tb_script_document_dup_phrases (self, global, intent_id);
  if (g_strv_equal ((const char * const *) old, phrases))
    return;

  _tb_script_document_begin_change (self, NULL);
  array = json_array_new ();
  for (guint i = 0; phrases != NULL && phrases[i] != NULL; i++)
    json_array_add_string_element (array, phrases[i]);
  json_object_set_array_member (intent, "phrases", array);
  _tb_script_document_end_change (self);
}

gboolean
tb_script_document_add_intent (TbScriptDocument *self,
                               gboolean          global,
                               const char       *intent_id)
{
  JsonObject *intents;
  JsonObject *intent;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  if (!is_valid_id (intent_id) || get_intent (self, global, intent_id, FALSE) != NULL)
    return FALSE;
  _tb_script_document_begin_change (self, NULL);
  intents = _tb_script_document_get_object (self, global ? "global_intents" : "intents", TRUE);
  intent = json_object_new ();
  json_object_set_array_member (intent, "phrases", json_array_new ());
  json_object_set_object_member (intents, intent_id, intent);
  _tb_script_document_end_change (self);
  return TRUE;
}

void
tb_script_document_remove_intent (TbScriptDocument *self,
                                  gboolean          global,
                                  const char       *intent_id)
{
  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  if (get_intent (self, global, intent_id, FALSE) == NULL)
    return;
  _tb_script_document_begin_change (self, NULL);
  json_object_remove_member (_tb_script_document_get_object (self,
                                                             global ? "global_intents" : "intents",
                                                             FALSE), intent_id);
  _tb_script_document_end_change (self);
}

int
tb_script_document_get_node_retries (TbScriptDocument *self,
                                     const char       *node_id)
{
  JsonObject *node;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), 0);

  node = _tb_script_document_get_node (self, node_id);
  return node != NULL ? (int) _tb_json_get_int (node, "retries", 0) : 0;
}

void
tb_script_document_set_node_retries (TbScriptDocument *self,
                                     const char       *node_id,
                                     int               retries)
{
  JsonObject *node;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  node = _tb_script_document_get_node (self, node_id);
  if (node == NULL || (json_object_has_member (node, "retries") &&
                       tb_script_document_get_node_retries (self, node_id) == retries))
    return;
  _tb_script_document_begin_change (self, NULL);
  json_object_set_int_member (node, "retries", retries);
  _tb_script_document_end_change (self);
}

static const char *
end_silence_member (gboolean complete)
{
  return complete ? "end_silence_complete_ms" : "end_silence_ms";
}

/* The silence that ends the callee's turn at an ask node: after an unfinished answer, or
 * (@complete) after a whole phrase of the grammar; the format's default when unset. */
guint
tb_script_document_get_node_end_silence (TbScriptDocument *self,
                                         const char       *node_id,
                                         gboolean          complete)
{
  guint fallback = complete ? TB_SCRIPT_DEFAULT_END_SILENCE_COMPLETE_MS
                            : TB_SCRIPT_DEFAULT_END_SILENCE_MS;
  JsonObject *node;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), fallback);

  node = _tb_script_document_get_node (self, node_id);
  return node != NULL ? (guint) _tb_json_get_int (node, end_silence_member (complete), fallback)
                      : fallback;
}

/* Sets it (the member goes when it is the default again). One undo step. */
void
tb_script_document_set_node_end_silence (TbScriptDocument *self,
                                         const char       *node_id,
                                         gboolean          complete,
                                         guint             ms)
{
  guint fallback = complete ? TB_SCRIPT_DEFAULT_END_SILENCE_COMPLETE_MS
                            : TB_SCRIPT_DEFAULT_END_SILENCE_MS;
  const char *member = end_silence_member (complete);
  JsonObject *node;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  node = _tb_script_document_get_node (self, node_id);
  if (node == NULL || tb_script_document_get_node_end_silence (self, node_id, complete) == ms)
    return;
  _tb_script_document_begin_change (self, NULL);
  if (ms == fallback)
    json_object_remove_member (node, member);
  else
    json_object_set_int_member (node, member, ms);
  _tb_script_document_end_change (self);
}

/* As the engine reads it (FORMAT.md): an ask node that discloses nothing may be interrupted,
 * other nodes are heard whole, unless the node says otherwise. */
gboolean
tb_script_document_get_node_barge_in (TbScriptDocument *self,
                                      const char       *node_id)
{
  JsonObject *node;
  g_auto(GStrv) disclose = NULL;
  gboolean fallback;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), TRUE);

  if ((node = _tb_script_document_get_node (self, node_id)) == NULL)
    return TRUE;
  disclose = tb_script_document_dup_node_disclosures (self, node_id);
  fallback = g_strcmp0 (_tb_json_get_string (node, "type"), "ask") == 0 && disclose[0] == NULL;
  /* A policy object ({"after_ms": …}) is barge-in on some terms: on. */
  if (json_object_has_member (node, "barge_in") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (node, "barge_in")))
    return TRUE;
  return _tb_json_get_boolean (node, "barge_in", fallback);
}

void
tb_script_document_set_node_barge_in (TbScriptDocument *self,
                                      const char       *node_id,
                                      gboolean          barge_in)
{
  JsonObject *node;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  node = _tb_script_document_get_node (self, node_id);
  if (node == NULL || (json_object_has_member (node, "barge_in") &&
                       tb_script_document_get_node_barge_in (self, node_id) == !!barge_in))
    return;
  _tb_script_document_begin_change (self, NULL);
  json_object_set_boolean_member (node, "barge_in", !!barge_in);
  _tb_script_document_end_change (self);
}

static JsonObject *
barge_policy (JsonObject *node)
{
  JsonNode *b = node != NULL ? json_object_get_member (node, "barge_in") : NULL;

  return b != NULL && JSON_NODE_HOLDS_OBJECT (b) ? json_node_get_object (b) : NULL;
}

/* The policy's "after_ms": how much of the prompt is heard before the callee may interrupt. */
guint
tb_script_document_get_node_barge_after (TbScriptDocument *self,
                                         const char       *node_id)
{
  JsonObject *policy;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), 0);

  policy = barge_policy (_tb_script_document_get_node (self, node_id));
  return policy != NULL ? (guint) CLAMP (json_object_get_int_member_with_default (policy,
                                                                                 "after_ms", 0),
                                         0, 60000)
                        : 0;
}

/* Whether "uh-huh", "ok", "嗯" interrupt (the engine's default: they do not). */
gboolean
tb_script_document_get_node_barge_backchannels (TbScriptDocument *self,
                                                const char       *node_id)
{
  JsonObject *policy;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  policy = barge_policy (_tb_script_document_get_node (self, node_id));
  return policy != NULL && json_object_get_boolean_member_with_default (policy, "backchannels",
                                                                        FALSE);
}

/* Barge-in on these terms: the plain `true` when they are the defaults, else the policy object
 * of FORMAT.md ({"after_ms", "backchannels"}, its "intents" kept). One undo step. */
void
tb_script_document_set_node_barge_policy (TbScriptDocument *self,
                                          const char       *node_id,
                                          guint             after_ms,
                                          gboolean          backchannels)
{
  JsonObject *node, *old, *policy;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  if ((node = _tb_script_document_get_node (self, node_id)) == NULL)
    return;
  old = barge_policy (node);
  if (tb_script_document_get_node_barge_in (self, node_id) &&
      json_object_has_member (node, "barge_in") &&
      tb_script_document_get_node_barge_after (self, node_id) == after_ms &&
      tb_script_document_get_node_barge_backchannels (self, node_id) == !!backchannels)
    return;
  _tb_script_document_begin_change (self, NULL);
  if (after_ms == 0 && !backchannels &&
      (old == NULL || !json_object_has_member (old, "intents"))) {
    json_object_set_boolean_member (node, "barge_in", TRUE);
  } else {
    policy = json_object_new ();
    if (old != NULL && json_object_has_member (old, "intents"))
      json_object_set_member (policy, "intents",
                              json_node_copy (json_object_get_member (old, "intents")));
    if (after_ms > 0)
      json_object_set_int_member (policy, "after_ms", after_ms);
    if (backchannels)
      json_object_set_boolean_member (policy, "backchannels", TRUE);
    json_object_set_object_member (node, "barge_in", policy);
  }
  _tb_script_document_end_change (self);
}

GStrv
tb_script_document_dup_node_disclosures (TbScriptDocument *self,
                                         const char       *node_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonObject *node;
  JsonNode *disclose;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  node = _tb_script_document_get_node (self, node_id);
  disclose = node != NULL ? json_object_get_member (node, "disclose") : NULL;
  if (disclose != NULL && JSON_NODE_HOLDS_ARRAY (disclose)) {
    JsonArray *array = json_node_get_array (disclose);

    for (guint i = 0; i < json_array_get_length (array); i++) {
      JsonNode *item = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (item));
    }
  }
  return g_strv_builder_end (builder);
}

/* Marks (or unmarks) the node as saying @disclosure, as one undo step. The list keeps the
 * engine's order; tags the editor does not know are kept as they are. */
void
tb_script_document_set_node_disclosure (TbScriptDocument *self,
                                        const char       *node_id,
                                        const char       *disclosure,
                                        gboolean          says)
{
  const char * const *names = tb_script_get_disclosure_names ();
  g_auto(GStrv) old = NULL;
  JsonObject *node;
  JsonArray *array;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));
  g_return_if_fail (disclosure != NULL);

  if ((node = _tb_script_document_get_node (self, node_id)) == NULL)
    return;
  old = tb_script_document_dup_node_disclosures (self, node_id);
  if (g_strv_contains ((const char * const *) old, disclosure) == !!says)
    return;

  _tb_script_document_begin_change (self, NULL);
  array = json_array_new ();
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], disclosure)
        ? says : g_strv_contains ((const char * const *) old, names[i]))
      json_array_add_string_element (array, names[i]);
  for (guint i = 0; old[i] != NULL; i++)
    if (!g_strv_contains (names, old[i]))
      json_array_add_string_element (array, old[i]);
  if (json_array_get_length (array) > 0) {
    json_object_set_array_member (node, "disclose", array);
  } else {
    json_array_unref (array);
    if (json_object_has_member (node, "disclose"))
      json_object_remove_member (node, "disclose");
  }
  _tb_script_document_end_change (self);
}

gboolean
tb_script_document_get_node_grade (TbScriptDocument  *self,
                                   const char        *node_id,
                                   int               *score,
                                   const char       **reason)
{
  JsonObject *node;
  JsonObject *grade;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  node = _tb_script_document_get_node (self, node_id);
  grade = node != NULL && json_object_has_member (node, "grade") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (node, "grade"))
          ? json_object_get_object_member (node, "grade") : NULL;
  if (score != NULL)
    *score = grade ? (int) _tb_json_get_int (grade, "score", 0) : 0;
  if (reason != NULL)
    *reason = _tb_json_get_string (grade, "reason");
  return grade != NULL;
}

void
tb_script_document_set_node_grade (TbScriptDocument *self,
                                   const char       *node_id,
                                   gboolean          enabled,
                                   int               score,
                                   const char       *reason)
{
  JsonObject *node;
  JsonObject *grade;
  const char *old_reason = NULL;
  int old_score = 0;
  gboolean had;
  g_autofree char *key = NULL;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  if ((node = _tb_script_document_get_node (self, node_id)) == NULL)
    return;
  if (reason != NULL && reason[0] == '\0')
    reason = NULL;
  had = tb_script_document_get_node_grade (self, node_id, &old_score, &old_reason);
  if (had == !!enabled && (!enabled || (old_score == score && g_strcmp0 (old_reason, reason) == 0)))
    return;

  key = g_strdup_printf ("grade:%s", node_id);
  _tb_script_document_begin_change (self, had && enabled ? key : NULL);
  if (!enabled) {
    json_object_remove_member (node, "grade");
  } else {
    grade = json_object_new ();
    json_object_set_int_member (grade, "score", score);
    if (reason != NULL)
      json_object_set_string_member (grade, "reason", reason);
    json_object_set_object_member (node, "grade", grade);
  }
  _tb_script_document_end_change (self);
}

GStrv
tb_script_document_dup_route_keys (TbScriptDocument *self,
                                   const char       *node_id)
{
  JsonObject *node;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  node = _tb_script_document_get_node (self, node_id);
  if (node != NULL && json_object_has_member (node, "routes") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (node, "routes")))
    return _tb_json_dup_member_names (json_object_get_object_member (node, "routes"));
  return _tb_json_dup_member_names (NULL);
}

const char *
tb_script_document_get_route (TbScriptDocument *self,
                              const char       *node_id,
                              const char       *key)
{
  JsonObject *node;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  node = _tb_script_document_get_node (self, node_id);
  if (node == NULL || !json_object_has_member (node, "routes") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (node, "routes")))
    return NULL;
  return _tb_json_get_string (json_object_get_object_member (node, "routes"), key);
}

/* NULL @target removes the route. */
void
tb_script_document_set_route (TbScriptDocument *self,
                              const char       *node_id,
                              const char       *key,
                              const char       *target)
{
  JsonObject *node;
  JsonObject *routes;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));
  g_return_if_fail (key != NULL);

  node = _tb_script_document_get_node (self, node_id);
  if (node == NULL || g_strcmp0 (tb_script_document_get_route (self, node_id, key), target) == 0)
    return;
  if (target == NULL && !json_object_has_member (node, "routes"))
    return;

  _tb_script_document_begin_change (self, NULL);
  if (!json_object_has_member (node, "routes") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (node, "routes")))
    json_object_set_object_member (node, "routes", json_object_new ());
  routes = json_object_get_object_member (node, "routes");
  if (target != NULL)
    json_object_set_string_member (routes, key, target);
  else
    json_object_remove_member (routes, key);
  _tb_script_document_end_change (self);
}

/* What a drag from one card to another means: a route of an ask node
 * (@key names the intent), the "next" of any other node. */
void
tb_script_document_connect (TbScriptDocument *self,
                            const char       *from,
                            const char       *key,
                            const char       *to)
{
  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  if (key != NULL)
    tb_script_document_set_route (self, from, key, to);
  else
    tb_script_document_set_node_next (self, from, to);
}

GStrv
tb_script_document_dup_node_intents (TbScriptDocument *self,
                                     const char       *node_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) routes = NULL;
  g_auto(GStrv) globals = NULL;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  if (!tb_script_document_has_node (self, node_id))
    return g_strv_builder_end (builder);
  if (g_strcmp0 (tb_script_document_get_node_type (self, node_id), "ask") == 0)
    routes = tb_script_document_dup_route_keys (self, node_id);
  for (guint i = 0; routes != NULL && routes[i] != NULL; i++)
    if (!g_str_equal (routes[i], TB_SCRIPT_ROUTE_NO_INPUT) &&
        !g_str_equal (routes[i], TB_SCRIPT_ROUTE_NO_MATCH) &&
        get_intent (self, FALSE, routes[i], FALSE) != NULL)
      g_strv_builder_add (builder, routes[i]);
  globals = tb_script_document_dup_intent_ids (self, TRUE);
  for (guint i = 0; globals[i] != NULL; i++)
    g_strv_builder_add (builder, globals[i]);
  return g_strv_builder_end (builder);
}

gboolean
tb_script_document_add_phrase (TbScriptDocument  *self,
                               const char        *node_id,
                               const char        *intent_id,
                               const char        *phrase,
                               GError           **error)
{
  g_auto(GStrv) listens = NULL;
  g_auto(GStrv) phrases = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *text = NULL;
  gboolean global;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);
  g_return_val_if_fail (node_id != NULL && intent_id != NULL && phrase != NULL, FALSE);

  text = g_strstrip (g_strdup (phrase));
  if (text[0] == '\0') {
    g_set_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_INVALID, _("The phrase is empty"));
    return FALSE;
  }
  if (!tb_script_document_has_node (self, node_id)) {
    g_set_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_INVALID,
                 _("There is no node “%s”"), node_id);
    return FALSE;
  }
  listens = tb_script_document_dup_node_intents (self, node_id);
  if (!g_strv_contains ((const char * const *) listens, intent_id)) {
    g_set_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_INVALID,
                 _("Node “%s” does not listen for intent “%s”"), node_id, intent_id);
    return FALSE;
  }
  global = get_intent (self, FALSE, intent_id, FALSE) == NULL;
  phrases = tb_script_document_dup_phrases (self, global, intent_id);
  for (guint i = 0; phrases[i] != NULL; i++) {
    if (g_utf8_collate (phrases[i], text) == 0) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” is already a phrase of intent “%s”"), text, intent_id);
      return FALSE;
    }
  }
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) phrases);
  g_strv_builder_add (builder, text);
  g_clear_pointer (&phrases, g_strfreev);
  phrases = g_strv_builder_end (builder);
  tb_script_document_set_phrases (self, global, intent_id, (const char * const *) phrases);
  return TRUE;
}
