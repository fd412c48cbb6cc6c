/* tb-script-document-layout.c — where the cards sit: each node's "ui": {x, y} (FORMAT.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-script-document-layout"

#include "config.h"

#include <math.h>

#include "tb-script-document-private.h"

gboolean
tb_script_document_get_position (TbScriptDocument *self,
                                 const char       *node_id,
                                 double           *x,
                                 double           *y)
{
  JsonObject *script_node;
  JsonNode *node;
  JsonObject *position;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  script_node = node_id ? _tb_script_document_get_node (self, node_id) : NULL;
  node = script_node ? json_object_get_member (script_node, "ui") : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)) {
    *x = *y = 0;
    return FALSE;
  }
  position = json_node_get_object (node);
  *x = _tb_json_get_double (position, "x", 0);
  *y = _tb_json_get_double (position, "y", 0);
  return TRUE;
}

static void
put_position (TbScriptDocument *self,
              const char       *node_id,
              double            x,
              double            y)
{
  JsonObject *script_node = _tb_script_document_get_node (self, node_id);
  JsonObject *position;

  /* A node of the wrong shape (not an object) has nowhere to keep a position. */
  if (script_node == NULL)
    return;
  position = json_object_new ();

  /* Whole units keep the saved JSON short and stable. */
  json_object_set_int_member (position, "x", (gint64) round (x));
  json_object_set_int_member (position, "y", (gint64) round (y));
  json_object_set_object_member (script_node, "ui", position);
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
  g_autoptr(GPtrArray) columns =
    g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
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
