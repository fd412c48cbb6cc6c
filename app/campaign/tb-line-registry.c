/* tb-line-registry.c — one started line per configuration, shared by everyone who uses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-line-registry"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-line-registry.h"
#include "tb-lines.h"
#include "tb-store-lines.h"

typedef struct {
  TbLine *line;       /* (owned) started */
  char   *signature;  /* kind, config, max_calls */
  guint   holders;
} Entry;

/* signature -> Entry: the line a new holder gets. An entry replaced (its configuration
 * changed, or its line failed) leaves this table but stays in by_line until released. */
static GHashTable *current;
/* TbLine * -> Entry (owned): every line somebody holds. */
static GHashTable *by_line;

static void
entry_free (Entry *entry)
{
  tb_line_stop (entry->line);
  g_object_unref (entry->line);
  g_free (entry->signature);
  g_free (entry);
}

static void
ensure_tables (void)
{
  if (by_line != NULL)
    return;
  current = g_hash_table_new (g_str_hash, g_str_equal);
  by_line = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                   (GDestroyNotify) entry_free);
}

/* A SIP account or a modem is one line whatever it is called; two sim lines with the same
 * settings are two lines (a campaign's pool may have both), so theirs name them. */
static char *
make_signature (const char *name,
                const char *kind,
                const char *config_json,
                int         max_calls)
{
  return g_strdup_printf ("%s\n%s\n%d\n%s", kind, config_json ? config_json : "", max_calls,
                          g_str_equal (kind, "sim") && name != NULL ? name : "");
}

TbLine *
tb_line_registry_acquire (const char  *name,
                          const char  *kind,
                          const char  *config_json,
                          int          max_calls,
                          GError     **error)
{
  g_autofree char *signature = NULL;
  Entry *entry;
  TbLine *line;

  g_return_val_if_fail (name != NULL && kind != NULL, NULL);

  ensure_tables ();
  signature = make_signature (name, kind, config_json, max_calls);
  entry = g_hash_table_lookup (current, signature);
  if (entry != NULL && tb_line_get_state (entry->line) != TB_LINE_STATE_ERROR) {
    entry->holders++;
    return g_object_ref (entry->line);
  }
  /* A line in error is tried again with a new one; its holders keep the old until they go. */
  if (entry != NULL)
    g_hash_table_remove (current, signature);

  if ((line = tb_line_new_for_config (name, kind, config_json, max_calls, error)) == NULL)
    return NULL;
  entry = g_new0 (Entry, 1);
  entry->line = line;
  entry->signature = g_steal_pointer (&signature);
  entry->holders = 1;
  g_hash_table_insert (current, entry->signature, entry);
  g_hash_table_insert (by_line, line, entry);
  tb_line_start (line);
  return g_object_ref (line);
}

TbLine *
tb_line_registry_acquire_from_store (TbStore     *store,
                                     const char  *line_name,
                                     gboolean     fast,
                                     GError     **error)
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
  return tb_line_registry_acquire (row->name, row->kind, config ? config : row->config,
                                   row->max_calls, error);
}

void
tb_line_registry_release (TbLine *line)
{
  Entry *entry;

  g_return_if_fail (TB_IS_LINE (line));

  ensure_tables ();
  entry = g_hash_table_lookup (by_line, line);
  g_return_if_fail (entry != NULL && entry->holders > 0);
  g_object_unref (line);   /* the holder's reference; the entry keeps its own */
  if (--entry->holders > 0)
    return;
  if (g_hash_table_lookup (current, entry->signature) == entry)
    g_hash_table_remove (current, entry->signature);
  g_hash_table_remove (by_line, line);   /* stops it */
}

TbLine *
tb_line_registry_lookup (const char *name,
                         const char *kind,
                         const char *config_json,
                         int         max_calls)
{
  g_autofree char *signature = NULL;
  Entry *entry;

  g_return_val_if_fail (kind != NULL, NULL);

  ensure_tables ();
  signature = make_signature (name, kind, config_json, max_calls);
  entry = g_hash_table_lookup (current, signature);
  return entry != NULL ? entry->line : NULL;
}

TbLine *
tb_line_registry_lookup_from_store (TbStore    *store,
                                    const char *line_name)
{
  g_autoptr(TbLineRow) row = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if (line_name == NULL || (row = tb_store_get_line (store, line_name, NULL)) == NULL)
    return NULL;
  return tb_line_registry_lookup (row->name, row->kind, row->config, row->max_calls);
}

guint
tb_line_registry_get_holders (TbLine *line)
{
  Entry *entry;

  ensure_tables ();
  entry = g_hash_table_lookup (by_line, line);
  return entry != NULL ? entry->holders : 0;
}
