/* tb-script-document-nodes.c — adding, removing and renaming nodes and intents; the layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-script-document-nodes"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tb-script-document-private.h"

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

/* Points every route, next and start naming @old_id at @new_id (NULL: drops them). */
static void
retarget (TbScriptDocument *self,
          const char       *old_id,
          const char       *new_id)
{
  JsonObject *root = json_node_get_object (tb_script_document_get_root (self));
  JsonObject *nodes = _tb_script_document_get_object (self, "nodes", FALSE);
  g_autoptr(GList) ids = nodes ? json_object_get_members (nodes) : NULL;

  if (g_strcmp0 (json_object_get_string_member_with_default (root, "start", NULL), old_id) == 0) {
    if (new_id != NULL)
      json_object_set_string_member (root, "start", new_id);
    else
      json_object_remove_member (root, "start");
  }

  for (GList *l = ids; l != NULL; l = l->next) {
    JsonObject *node = _tb_script_document_get_node (self, l->data);
    JsonNode *routes_node;

    if (node == NULL)
      continue;
    if (g_strcmp0 (json_object_get_string_member_with_default (node, "next", NULL), old_id) == 0) {
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
        if (g_strcmp0 (json_object_get_string_member_with_default (routes, k->data, NULL),
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
 * returns the id. The first node of a script becomes its start. */
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
  if (tb_script_document_get_start (self) == NULL)
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

gboolean
tb_script_document_get_position (TbScriptDocument *self,
                                 const char       *node_id,
                                 double           *x,
                                 double           *y)
{
  JsonObject *layout;
  JsonNode *node;
  JsonObject *position;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  layout = _tb_script_document_get_object (self, "layout", FALSE);
  node = layout && node_id ? json_object_get_member (layout, node_id) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)) {
    *x = *y = 0;
    return FALSE;
  }
  position = json_node_get_object (node);
  *x = json_object_get_double_member_with_default (position, "x", 0);
  *y = json_object_get_double_member_with_default (position, "y", 0);
  return TRUE;
}

static void
put_position (TbScriptDocument *self,
              const char       *node_id,
              double            x,
              double            y)
{
  JsonObject *layout = _tb_script_document_get_object (self, "layout", TRUE);
  JsonObject *position = json_object_new ();

  /* Whole units keep the saved JSON short and stable. */
  json_object_set_int_member (position, "x", (gint64) round (x));
  json_object_set_int_member (position, "y", (gint64) round (y));
  json_object_set_object_member (layout, node_id, position);
}

/* Moving one card in one drag makes one undo step (see checkpoint). */
void
tb_script_document_set_position (TbScriptDocument *self,
                                 const char       *node_id,
                                 double            x,
                                 double            y)
{
  g_autofree char *key = NULL;
  double old_x, old_y;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  if (!tb_script_document_has_node (self, node_id))
    return;
  if (tb_script_document_get_position (self, node_id, &old_x, &old_y) &&
      round (old_x) == round (x) && round (old_y) == round (y))
    return;
  key = g_strdup_printf ("position:%s", node_id);
  _tb_script_document_begin_change (self, key);
  put_position (self, node_id, x, y);
  _tb_script_document_end_change (self);
}

static void
add_successors (TbScriptDocument *self,
                const char       *node_id,
                GPtrArray        *out)
{
  g_auto(GStrv) keys = tb_script_document_dup_route_keys (self, node_id);
  const char *next = tb_script_document_get_node_next (self, node_id);

  if (next != NULL)
    g_ptr_array_add (out, (gpointer) next);
  for (guint i = 0; keys[i] != NULL; i++) {
    const char *target = tb_script_document_get_route (self, node_id, keys[i]);

    if (target != NULL)
      g_ptr_array_add (out, (gpointer) target);
  }
}

/* Layered layout: columns by breadth-first distance from the start node, rows
 * in the order found, each column centred; unreachable nodes form the last
 * column. With @missing_only, only nodes without a position are placed. */
void
tb_script_document_auto_layout (TbScriptDocument *self,
                                gboolean          missing_only)
{
  g_autoptr(GHashTable) layer = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GQueue) queue = g_queue_new ();
  g_auto(GStrv) ids = NULL;
  const char *start;
  guint max_rows = 0;
  gboolean any = FALSE;

  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  ids = tb_script_document_dup_node_ids (self);
  start = tb_script_document_get_start (self);
  if (!tb_script_document_has_node (self, start))
    start = ids[0];
  if (start != NULL) {
    g_hash_table_insert (layer, (gpointer) start, GUINT_TO_POINTER (0));
    g_queue_push_tail (queue, (gpointer) start);
  }
  while (!g_queue_is_empty (queue)) {
    const char *id = g_queue_pop_head (queue);
    guint depth = GPOINTER_TO_UINT (g_hash_table_lookup (layer, id));
    g_autoptr(GPtrArray) next = g_ptr_array_new ();

    while (columns->len <= depth)
      g_ptr_array_add (columns, g_ptr_array_new ());
    g_ptr_array_add (g_ptr_array_index (columns, depth), (gpointer) id);
    add_successors (self, id, next);
    for (guint i = 0; i < next->len; i++) {
      const char *target = g_ptr_array_index (next, i);

      if (!tb_script_document_has_node (self, target) ||
          g_hash_table_contains (layer, target))
        continue;
      g_hash_table_insert (layer, (gpointer) target, GUINT_TO_POINTER (depth + 1));
      g_queue_push_tail (queue, (gpointer) target);
    }
  }
  /* The unreachable ones, in document order, in one more column. */
  {
    GPtrArray *rest = NULL;

    for (guint i = 0; ids[i] != NULL; i++) {
      if (g_hash_table_contains (layer, ids[i]))
        continue;
      if (rest == NULL) {
        rest = g_ptr_array_new ();
        g_ptr_array_add (columns, rest);
      }
      g_ptr_array_add (rest, ids[i]);
    }
  }

  for (guint c = 0; c < columns->len; c++)
    max_rows = MAX (max_rows, ((GPtrArray *) g_ptr_array_index (columns, c))->len);

  for (guint c = 0; c < columns->len; c++) {
    GPtrArray *column = g_ptr_array_index (columns, c);
    double top = (max_rows - column->len) * (TB_SCRIPT_CARD_HEIGHT + TB_SCRIPT_ROW_GAP) / 2.0;

    for (guint r = 0; r < column->len; r++) {
      const char *id = g_ptr_array_index (column, r);
      double x, y;

      if (missing_only && tb_script_document_get_position (self, id, &x, &y))
        continue;
      if (!any)
        _tb_script_document_begin_change (self, NULL);
      any = TRUE;
      put_position (self, id, c * (TB_SCRIPT_CARD_WIDTH + TB_SCRIPT_COLUMN_GAP),
                    top + r * (TB_SCRIPT_CARD_HEIGHT + TB_SCRIPT_ROW_GAP));
    }
  }
  if (any)
    _tb_script_document_end_change (self);
}
