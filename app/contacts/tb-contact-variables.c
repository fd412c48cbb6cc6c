/* tb-contact-variables.c — a contact's fields as a call script's variables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Contact fields come from files nobody checked, and prompts are spoken to
 * strangers: "Hello =HYPERLINK(…)" or a field full of SSML must not reach the
 * synthesizer. Such a field is left out and the script's fallback is said.
 */
#define G_LOG_DOMAIN "tb-contact-variables"

#include "config.h"

#include "tb-contact-variables.h"
#include "tb-csv-writer.h"

#include <json-glib/json-glib.h>
#include <string.h>

gboolean
tb_contact_value_is_speakable (const char *value)
{
  if (value == NULL)
    return FALSE;
  return !tb_csv_cell_is_formula (value) && strpbrk (value, "<>") == NULL &&
         g_utf8_strlen (value, -1) <= TB_CONTACT_MAX_SPOKEN_CHARS;
}

static void
add (GHashTable *vars,
     const char *key,
     const char *value)
{
  if (tb_contact_value_is_speakable (value))
    g_hash_table_insert (vars, g_strdup (key), g_strdup (value));
  else
    g_hash_table_remove (vars, key);
}

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
        add (vars, l->data, json_node_get_string (value));
    }
  }
  /* A standard field that is not said hides a custom one of the same name too. */
  if (name != NULL)
    add (vars, "name", name);
  if (company != NULL)
    add (vars, "company", company);
  return vars;
}
