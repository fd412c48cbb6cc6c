/* fuzz-http-recognizer.c — libFuzzer target: what a speech server answers a transcription
 * request with (tb_http_recognizer_parse_answer), and the JSON guard under it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two properties. The parser never crashes and returns a recognition if and only if it sets
 * no error, with valid, trimmed text and a confidence in 0..1. And whatever
 * tb_limits_check_json() lets through really nests no deeper than TB_LIMITS_JSON_DEPTH once
 * json-glib has parsed it: the guard counts the brackets json-glib sees, no fewer.
 */
#define G_LOG_DOMAIN "fuzz-http-recognizer"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tb-http-recognizer.h"
#include "tb-http.h"
#include "tb-limits.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The depth of @root, without recursion: a guard that let too much through must not make this
 * checker crash first. */
static guint
depth_of (JsonNode *root)
{
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (JsonNode *));
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));
  guint deepest = 0;

  g_array_append_val (nodes, root);
  g_array_append_val (depths, deepest);
  while (nodes->len > 0) {
    JsonNode *node = g_array_index (nodes, JsonNode *, nodes->len - 1);
    guint depth = g_array_index (depths, guint, depths->len - 1);

    g_array_set_size (nodes, nodes->len - 1);
    g_array_set_size (depths, depths->len - 1);
    if (JSON_NODE_HOLDS_ARRAY (node)) {
      JsonArray *array = json_node_get_array (node);

      depth++;
      for (guint i = 0; i < json_array_get_length (array); i++) {
        JsonNode *child = json_array_get_element (array, i);

        g_array_append_val (nodes, child);
        g_array_append_val (depths, depth);
      }
    } else if (JSON_NODE_HOLDS_OBJECT (node)) {
      g_autoptr(GList) members = json_object_get_values (json_node_get_object (node));

      depth++;
      for (GList *l = members; l != NULL; l = l->next) {
        JsonNode *child = l->data;

        g_array_append_val (nodes, child);
        g_array_append_val (depths, depth);
      }
    }
    deepest = MAX (deepest, depth);
  }
  return deepest;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbRecognition) rec = NULL;

  rec = tb_http_recognizer_parse_answer ((const char *) data, size, &error);
  if ((rec == NULL) == (error == NULL))
    __builtin_trap ();
  if (rec != NULL) {
    if (!g_utf8_validate (rec->text, -1, NULL) || g_ascii_isspace (rec->text[0]) ||
        (rec->text[0] != '\0' && g_ascii_isspace (rec->text[strlen (rec->text) - 1])))
      __builtin_trap ();
    if (!(rec->confidence >= 0.0 && rec->confidence <= 1.0) || rec->failed)
      __builtin_trap ();
    if ((rec->text[0] == '\0') != (rec->reason != NULL))
      __builtin_trap ();
  } else if (error->domain != TB_HTTP_ERROR || error->code != TB_HTTP_ERROR_PROTOCOL) {
    __builtin_trap ();
  }

  if (tb_limits_check_json ((const char *) data, size, "fuzz", G_MAXSIZE, NULL)) {
    g_autoptr(JsonParser) parser = json_parser_new_immutable ();

    if (json_parser_load_from_data (parser, (const char *) data, size, NULL) &&
        json_parser_get_root (parser) != NULL &&
        depth_of (json_parser_get_root (parser)) > TB_LIMITS_JSON_DEPTH)
      __builtin_trap ();
  }
  return 0;
}
