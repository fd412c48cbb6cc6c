/* tb-csv-export-file.c — an export into a file, in a thread with its own connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the contact export and the do-not-call export, as is the writing of their rows.
 */
#define G_LOG_DOMAIN "tb-csv-export-file"

#include "config.h"

#include "tb-csv-export-file.h"

typedef struct {
  char            *db_path;
  GFile           *file;
  TbCsvExportFunc  func;
  gpointer         data;
  GDestroyNotify   data_free;
} FileJob;

static void
file_job_free (FileJob *job)
{
  g_free (job->db_path);
  g_clear_object (&job->file);
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
export_file_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  FileJob *job = task_data;
  g_autoptr(TbStore) store = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  gint64 rows = -1;

  if ((store = tb_store_open (job->db_path, &error)) != NULL &&
      (out = g_file_replace (job->file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable,
                             &error)) != NULL &&
      (rows = job->func (store, G_OUTPUT_STREAM (out), job->data, cancellable, &error)) >= 0 &&
      g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error)) {
    g_task_return_int (task, rows);
    return;
  }
  g_task_return_error (task, g_steal_pointer (&error));
}

void
tb_csv_export_file_async (TbStore             *store,
                          GFile               *file,
                          TbCsvExportFunc      func,
                          gpointer             data,
                          GDestroyNotify       data_free,
                          gpointer             source_tag,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FileJob *job;

  g_return_if_fail (TB_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (func != NULL);

  job = g_new0 (FileJob, 1);
  job->db_path = g_strdup (tb_store_get_path (store));
  job->file = g_object_ref (file);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) file_job_free);
  g_task_run_in_thread (task, export_file_thread);
}

gint64
tb_csv_export_file_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

gboolean
tb_csv_write_pending (GOutputStream  *out,
                      GString        *pending,
                      gsize           at_least,
                      GCancellable   *cancellable,
                      GError        **error)
{
  if (pending->len == 0 || pending->len < at_least)
    return TRUE;
  if (!g_output_stream_write_all (out, pending->str, pending->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (pending, 0);
  return TRUE;
}
