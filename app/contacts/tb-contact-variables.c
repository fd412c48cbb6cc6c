/* tb-contact-variables.c — a contact's fields as a call script's variables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-contact-variables"

#include "config.h"

#include "tb-contact-variables.h"

#include <json-glib/json-glib.h>

GHashTable *
tb_contact_variables_new (const char *name,
                          const char *company,
                          const char *fields_json)
{
  GHashTable *vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();

  /* Custom CSV columns first, so the standard fields win on a clash. */
  if (fields_json != NULL &&
      json_parser_load_from_data (parser, fields_json, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    JsonObject *fields = json_node_get_object (json_parser_get_root (parser));
    g_autoptr(GList) members = json_object_get_members (fields);

    for (GList *l = members; l != NULL; l = l->next) {
      JsonNode *value = json_object_get_member (fields, l->data);

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        g_hash_table_insert (vars, g_strdup (l->data), g_strdup (json_node_get_string (value)));
    }
  }
  if (name != NULL)
    g_hash_table_insert (vars, g_strdup ("name"), g_strdup (name));
  if (company != NULL)
    g_hash_table_insert (vars, g_strdup ("company"), g_strdup (company));
  return vars;
}
