/* tb-calls-export.c — calls and leads to CSV or JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-calls-export"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-calls-export.h"
#include "tb-crm-event.h"
#include "tb-csv-writer.h"
#include "tb-store-calls.h"

static const char * const columns[] = {
  "attempt_id", "campaign", "list", "number", "name", "company", "email", "country",
  "outcome", "end_reason", "grade", "score", "reasons", "opt_out", "follow_up", "notes",
  "dialed_at", "answered_at", "ended_at", "duration_seconds", "recording", "transcript",
  "variant", "line", "caller_id",
  NULL
};

typedef struct {
  TbStore                    *store;
  const TbCallsExportOptions *options;
  GOutputStream              *out;
  GCancellable               *cancellable;
  GStrv                       field_names;
  GPtrArray                  *field_columns;  /* CSV header names of the custom fields */
  guint64                     rows;
} Export;

const char * const *
tb_calls_export_get_columns (void)
{
  return columns;
}

static gboolean
write_all (Export      *e,
           const char  *text,
           gsize        length,
           GError     **error)
{
  return g_output_stream_write_all (e->out, text, length, NULL, e->cancellable, error);
}

/* "reason one; reason two" from a JSON array of strings (or objects with "text"). */
static char *
join_reasons (const char *json)
{
  g_autoptr(JsonNode) node = json ? json_from_string (json, NULL) : NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *item = json_array_get_element (array, i);
    g_autofree char *text = NULL;

    if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
      text = g_strdup (json_node_get_string (item));
    else
      text = json_to_string (item, FALSE);
    if (s->len > 0)
      g_string_append (s, "; ");
    g_string_append (s, text);
  }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
join_transcript (const TbCallRecord *r)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; r->turns != NULL && i < r->turns->len; i++) {
    const TbTurn *t = g_ptr_array_index (r->turns, i);

    if (s->len > 0)
      g_string_append_c (s, '\n');
    g_string_append_printf (s, "%s: %s", t->speaker, t->text ? t->text : "");
  }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
dup_field (JsonObject *fields,
           const char *name)
{
  JsonNode *node;

  if (fields == NULL || !json_object_has_member (fields, name))
    return NULL;
  node = json_object_get_member (fields, name);
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

static char *
dup_int (gint64 value,
         gboolean present)
{
  return present ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : NULL;
}

static char *
dup_duration (const TbCallRecord *r)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (r->answered_at <= 0 || r->ended_at < r->answered_at)
    return NULL;
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.3f",
                                    (r->ended_at - r->answered_at) / 1e6));
}

static gboolean
write_csv_row (const TbCallRecord  *r,
               const char          *recording,
               Export              *e,
               GError             **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(JsonNode) fields_node = r->fields_json ? json_from_string (r->fields_json, NULL) : NULL;
  JsonObject *fields = fields_node && JSON_NODE_HOLDS_OBJECT (fields_node)
                       ? json_node_get_object (fields_node) : NULL;
  g_autofree char *id = dup_int (r->attempt_id, TRUE);
  g_autofree char *score = dup_int (r->score, r->score >= 0);
  g_autofree char *reasons = join_reasons (r->reasons_json);
  g_autofree char *dialed = tb_crm_format_time (r->dialed_at);
  g_autofree char *answered = tb_crm_format_time (r->answered_at);
  g_autofree char *ended = tb_crm_format_time (r->ended_at);
  g_autofree char *duration = dup_duration (r);
  g_autofree char *transcript = join_transcript (r);
  const char *values[] = {
    id, r->campaign_name, r->list_name, r->e164, r->contact_name, r->company, r->email,
    r->country, r->outcome, r->end_reason, r->grade, score, reasons,
    r->opt_out ? "true" : "false", r->follow_up, r->notes, dialed, answered, ended, duration,
    recording, transcript, r->variant, r->line_name, r->caller_id,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (values) == G_N_ELEMENTS (columns) - 1);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++) {
    if (i > 0)
      g_string_append_c (line, ',');
    tb_csv_append_text_cell (line, values[i], ',');
  }
  for (guint i = 0; e->field_names[i] != NULL; i++) {
    g_autofree char *value = dup_field (fields, e->field_names[i]);

    g_string_append_c (line, ',');
    tb_csv_append_text_cell (line, value, ',');
  }
  g_string_append (line, "\r\n");
  return write_all (e, line->str, line->len, error);
}

static JsonNode *
build_json_row (const TbCallRecord *r,
                const char         *recording)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *dialed = tb_crm_format_time (r->dialed_at);
  g_autofree char *answered = tb_crm_format_time (r->answered_at);
  g_autofree char *ended = tb_crm_format_time (r->ended_at);
  g_autoptr(JsonNode) reasons = r->reasons_json ? json_from_string (r->reasons_json, NULL) : NULL;
  g_autoptr(JsonNode) fields = r->fields_json ? json_from_string (r->fields_json, NULL) : NULL;
  gint64 origin = r->answered_at > 0 ? r->answered_at : r->dialed_at;

#define STR(name, value) \
  G_STMT_START { json_builder_set_member_name (b, name); \
    if ((value) != NULL) json_builder_add_string_value (b, value); \
    else json_builder_add_null_value (b); } G_STMT_END

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "attempt_id");
  json_builder_add_int_value (b, r->attempt_id);
  STR ("campaign", r->campaign_name);
  STR ("list", r->list_name);
  STR ("number", r->e164);
  STR ("name", r->contact_name);
  STR ("company", r->company);
  STR ("email", r->email);
  STR ("country", r->country);
  STR ("outcome", r->outcome);
  STR ("end_reason", r->end_reason);
  STR ("grade", r->grade);
  json_builder_set_member_name (b, "score");
  if (r->score >= 0)
    json_builder_add_int_value (b, r->score);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "reasons");
  if (reasons != NULL && JSON_NODE_HOLDS_ARRAY (reasons))
    json_builder_add_value (b, g_steal_pointer (&reasons));
  else {
    json_builder_begin_array (b);
    json_builder_end_array (b);
  }
  json_builder_set_member_name (b, "opt_out");
  json_builder_add_boolean_value (b, r->opt_out);
  STR ("follow_up", r->follow_up);
  STR ("notes", r->notes);
  STR ("dialed_at", dialed);
  STR ("answered_at", answered);
  STR ("ended_at", ended);
  json_builder_set_member_name (b, "duration_seconds");
  if (r->answered_at > 0 && r->ended_at >= r->answered_at)
    json_builder_add_double_value (b, (r->ended_at - r->answered_at) / 1e6);
  else
    json_builder_add_null_value (b);
  STR ("recording", recording);
  json_builder_set_member_name (b, "fields");
  if (fields != NULL && JSON_NODE_HOLDS_OBJECT (fields))
    json_builder_add_value (b, g_steal_pointer (&fields));
  else {
    json_builder_begin_object (b);
    json_builder_end_object (b);
  }
  json_builder_set_member_name (b, "transcript");
  json_builder_begin_array (b);
  for (guint i = 0; r->turns != NULL && i < r->turns->len; i++) {
    const TbTurn *t = g_ptr_array_index (r->turns, i);

    json_builder_begin_object (b);
    STR ("speaker", t->speaker);
    STR ("text", t->text);
    STR ("intent", t->intent);
    json_builder_set_member_name (b, "offset_seconds");
    if (t->started_at > 0 && origin > 0)
      json_builder_add_double_value (b, (t->started_at - origin) / 1e6);
    else
      json_builder_add_null_value (b);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  STR ("variant", r->variant);
  STR ("line", r->line_name);
  STR ("caller_id", r->caller_id);
  json_builder_end_object (b);
#undef STR
  return json_builder_get_root (b);
}

static gboolean
write_row_cb (const TbCallRecord  *record,
              gpointer             user_data,
              GError             **error)
{
  Export *e = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  /* Where the file is, whatever folder the export is read from. */
  g_autofree char *recording = tb_store_resolve_path (e->store, record->recording);
  const char *sep;

  if (g_cancellable_set_error_if_cancelled (e->cancellable, error))
    return FALSE;

  if (e->options->format == TB_CALLS_EXPORT_CSV) {
    if (!write_csv_row (record, recording, e, error))
      return FALSE;
    e->rows++;
    return TRUE;
  }

  node = build_json_row (record, recording);
  text = json_to_string (node, FALSE);
  if (e->options->format == TB_CALLS_EXPORT_JSON)
    sep = e->rows == 0 ? "[\n" : ",\n";
  else
    sep = "";
  if (!write_all (e, sep, strlen (sep), error) ||
      !write_all (e, text, strlen (text), error) ||
      (e->options->format == TB_CALLS_EXPORT_JSON_LINES && !write_all (e, "\n", 1, error)))
    return FALSE;
  e->rows++;
  return TRUE;
}

static gboolean
write_csv_header (Export  *e,
                  GError **error)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (e->options->bom)
    g_string_append (line, "\xEF\xBB\xBF");
  for (guint i = 0; columns[i] != NULL; i++) {
    if (i > 0)
      g_string_append_c (line, ',');
    g_string_append (line, columns[i]);
  }
  for (guint i = 0; e->field_names[i] != NULL; i++) {
    const char *name = e->field_names[i];
    g_autofree char *column = g_strv_contains (columns, name)
                              ? g_strconcat ("field_", name, NULL) : g_strdup (name);

    g_string_append_c (line, ',');
    tb_csv_append_text_cell (line, column, ',');
  }
  g_string_append (line, "\r\n");
  return write_all (e, line->str, line->len, error);
}

gboolean
tb_calls_export_write (TbStore                     *store,
                       const TbCallsExportOptions  *options,
                       GOutputStream               *out,
                       GCancellable                *cancellable,
                       guint64                     *n_rows,
                       GError                     **error)
{
  TbCallFilter filter = { 0 };
  Export e = { 0 };
  g_auto(GStrv) field_names = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  filter.campaign_id = options->campaign_id;
  filter.grades = options->grades;
  filter.leads_only = options->leads_only;
  filter.with_turns = TRUE;

  e.store = store;
  e.options = options;
  e.out = out;
  e.cancellable = cancellable;

  if (options->format == TB_CALLS_EXPORT_CSV) {
    field_names = tb_store_dup_call_field_names (store, &filter, error);
    if (field_names == NULL)
      return FALSE;
    e.field_names = field_names;
    if (!write_csv_header (&e, error))
      return FALSE;
  }
  if (!tb_store_foreach_call (store, &filter, write_row_cb, &e, error))
    return FALSE;
  if (options->format == TB_CALLS_EXPORT_JSON) {
    const char *end = e.rows == 0 ? "[]\n" : "\n]\n";
    if (!write_all (&e, end, strlen (end), error))
      return FALSE;
  }
  if (!g_output_stream_flush (out, cancellable, error))
    return FALSE;
  if (n_rows != NULL)
    *n_rows = e.rows;
  return TRUE;
}

typedef struct {
  char                 *db_path;
  TbCallsExportOptions  options;
  GStrv                 grades;     /* owned copy behind options.grades */
  GFile                *file;
  guint64               rows;
} FileExport;

static void
file_export_free (FileExport *fe)
{
  g_free (fe->db_path);
  g_strfreev (fe->grades);
  g_clear_object (&fe->file);
  g_free (fe);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FileExport *fe = task_data;
  g_autoptr(TbStore) store = NULL;
  g_autoptr(GFileOutputStream) file_out = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  store = tb_store_open (fe->db_path, &error);
  if (store == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  /* Calls, transcripts and numbers: a new file is its owner's alone. */
  file_out = g_file_replace (fe->file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, &error);
  if (file_out == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  out = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (file_out), 64 * 1024);
  if (!tb_calls_export_write (store, &fe->options, out, cancellable, &fe->rows, &error) ||
      !g_output_stream_close (out, cancellable, &error)) {
    g_autoptr(GCancellable) discard = g_cancellable_new ();

    /* Closing with a cancelled cancellable drops the temporary file. */
    g_cancellable_cancel (discard);
    g_output_stream_close (G_OUTPUT_STREAM (file_out), discard, NULL);
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  g_task_return_boolean (task, TRUE);
}

void
tb_calls_export_to_file_async (const char                  *db_path,
                               const TbCallsExportOptions  *options,
                               GFile                       *file,
                               GCancellable                *cancellable,
                               GAsyncReadyCallback          callback,
                               gpointer                     user_data)
{
  g_autoptr(GTask) task = NULL;
  FileExport *fe;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (options != NULL);
  g_return_if_fail (G_IS_FILE (file));

  fe = g_new0 (FileExport, 1);
  fe->db_path = g_strdup (db_path);
  fe->options = *options;
  fe->grades = options->grades ? g_strdupv ((char **) options->grades) : NULL;
  fe->options.grades = (const char * const *) fe->grades;
  fe->file = g_object_ref (file);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_calls_export_to_file_async);
  g_task_set_task_data (task, fe, (GDestroyNotify) file_export_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
tb_calls_export_to_file_finish (GAsyncResult  *result,
                                guint64       *n_rows,
                                GError       **error)
{
  FileExport *fe;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  fe = g_task_get_task_data (G_TASK (result));
  if (n_rows != NULL)
    *n_rows = fe->rows;
  return TRUE;
}
