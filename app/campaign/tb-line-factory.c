/* tb-line-factory.c — a TbLine from its configuration in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-line-factory"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-line-factory.h"
#include "tb-sim-line.h"
#include "tb-store-config.h"

TbLine *
tb_line_new_from_store (TbStore   *store,
                        gint64     line_id,
                        gboolean   fast,
                        GError   **error)
{
  g_autoptr(TbLineRow) row = tb_store_get_line (store, line_id, error);

  if (row == NULL)
    return NULL;
  if (g_str_equal (row->kind, "sim")) {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *config = NULL;

    /* --fast overrides the stored config: same line, same seed, faster audio. */
    if (fast && json_parser_load_from_data (parser, row->config, -1, NULL) &&
        JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
      JsonNode *root = json_parser_get_root (parser);

      json_object_set_boolean_member (json_node_get_object (root), "fast", TRUE);
      config = json_to_string (root, FALSE);
    }
    return TB_LINE (tb_sim_line_new_from_config (row->name, config ? config : row->config,
                                                 row->max_calls, error));
  }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "line “%s”: %s lines are not available in this build", row->name, row->kind);
  return NULL;
}
