/* tb-contact-export.c — contacts to CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-contact-export"

#include "config.h"

#include "tb-contact-export.h"
#include "tb-csv-export-file.h"
#include "tb-csv-writer.h"
#include "tb-store-contacts.h"

#include <json-glib/json-glib.h>

static const char * const standard_columns[] = {
  "name", "phone", "company", "email", "timezone", "persona",
};

typedef struct {
  GOutputStream *out;
  GCancellable  *cancellable;
  GStrv          keys;       /* custom field keys, in column order */
  JsonParser    *parser;
  GString       *line;
  gint64         rows;
} Export;

static gboolean
write_contact (const TbContactRecord *r,
               gpointer               user_data,
               GError               **error)
{
  Export *ex = user_data;
  const char *standard[G_N_ELEMENTS (standard_columns)] = {
    r->name, r->e164, r->company, r->email, r->timezone, r->persona,
  };
  JsonObject *object = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (standard); i++) {
    if (i > 0)
      g_string_append_c (ex->line, ',');
    tb_csv_append_text_cell (ex->line, standard[i] ? standard[i] : "", ',');
  }

  if (ex->keys[0] != NULL && r->fields_json != NULL &&
      json_parser_load_from_data (ex->parser, r->fields_json, -1, NULL)) {
    JsonNode *root = json_parser_get_root (ex->parser);

    if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
      object = json_node_get_object (root);
  }
  for (guint k = 0; ex->keys[k] != NULL; k++) {
    JsonNode *node = object ? json_object_get_member (object, ex->keys[k]) : NULL;

    g_string_append_c (ex->line, ',');
    if (node != NULL && JSON_NODE_HOLDS_VALUE (node)) {
      if (json_node_get_value_type (node) == G_TYPE_STRING) {
        tb_csv_append_text_cell (ex->line, json_node_get_string (node), ',');
      } else {
        g_autofree char *text = json_to_string (node, FALSE);

        tb_csv_append_text_cell (ex->line, text, ',');
      }
    }
  }
  g_string_append (ex->line, "\r\n");
  ex->rows++;

  return tb_csv_write_pending (ex->out, ex->line, TB_CSV_WRITE_CHUNK, ex->cancellable, error);
}

gint64
tb_contacts_export (TbStore        *store,
                    gint64          list_id,
                    GOutputStream  *out,
                    gboolean        bom,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) all_keys = NULL;
  g_auto(GStrv) keys = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) line = g_string_sized_new (128 * 1024);
  Export ex = { 0 };

  g_return_val_if_fail (TB_IS_STORE (store), -1);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), -1);

  all_keys = tb_store_dup_contact_field_keys (store, list_id, error);
  if (all_keys == NULL)
    return -1;
  /* "name" and "company" are in the fields for scripts; they have their own columns. */
  for (guint k = 0; all_keys[k] != NULL; k++)
    if (!g_strv_contains (standard_columns, all_keys[k]))
      g_strv_builder_add (builder, all_keys[k]);
  keys = g_strv_builder_end (builder);

  if (bom)
    g_string_append (line, "\xef\xbb\xbf");
  tb_csv_append_row (line, standard_columns, G_N_ELEMENTS (standard_columns), ',');
  g_string_truncate (line, line->len - 2);
  for (guint k = 0; keys[k] != NULL; k++) {
    g_string_append_c (line, ',');
    tb_csv_append_text_cell (line, keys[k], ',');
  }
  g_string_append (line, "\r\n");

  ex.out = out;
  ex.cancellable = cancellable;
  ex.keys = keys;
  ex.parser = parser;
  ex.line = line;
  if (!tb_store_foreach_contact (store, list_id, write_contact, &ex, error) ||
      !tb_csv_write_pending (out, line, 0, cancellable, error))
    return -1;
  return ex.rows;
}

typedef struct {
  gint64    list_id;
  gboolean  bom;
} FileJob;

static gint64
export_list (TbStore        *store,
             GOutputStream  *out,
             gpointer        data,
             GCancellable   *cancellable,
             GError        **error)
{
  FileJob *job = data;

  return tb_contacts_export (store, job->list_id, out, job->bom, cancellable, error);
}

void
tb_contacts_export_file_async (TbStore             *store,
                               gint64               list_id,
                               GFile               *file,
                               gboolean             bom,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  FileJob *job;

  g_return_if_fail (TB_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  job = g_new0 (FileJob, 1);
  job->list_id = list_id;
  job->bom = bom;
  tb_csv_export_file_async (store, file, export_list, job, g_free,
                            tb_contacts_export_file_async, cancellable, callback, user_data);
}

gint64
tb_contacts_export_file_finish (GAsyncResult  *result,
                                GError       **error)
{
  return tb_csv_export_file_finish (result, error);
}
