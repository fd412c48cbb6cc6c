/* tb-line-factory.c — a TbLine from its configuration in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-line-factory"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-line-factory.h"
#include "tb-lines.h"
#include "tb-store-lines.h"

TbLine *
tb_line_new_from_store (TbStore    *store,
                        const char *line_name,
                        gboolean    fast,
                        GError    **error)
{
  g_autoptr(TbLineRow) row = tb_store_get_line (store, line_name, error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *config = NULL;

  if (row == NULL)
    return NULL;
  /* --fast overrides a sim line's stored config: same line, same seed, faster audio. */
  if (fast && g_str_equal (row->kind, "sim") &&
      json_parser_load_from_data (parser, row->config, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    JsonNode *root = json_parser_get_root (parser);

    json_object_set_boolean_member (json_node_get_object (root), "fast", TRUE);
    config = json_to_string (root, FALSE);
  }
  return tb_line_new_for_config (row->name, row->kind, config ? config : row->config,
                                 row->max_calls, error);
}
