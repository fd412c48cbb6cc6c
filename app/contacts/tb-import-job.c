/* tb-import-job.c — an import on its own thread and database connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tb_import_run () (tb-import-run.c) does the work; the job runs it in a
 * GTask thread with its own TbStore and reports progress on the caller's
 * main context, as DESIGN.md §2 asks of long jobs.
 */
#define G_LOG_DOMAIN "tb-import-job"

#include "config.h"

#include "tb-import-job.h"
#include "tb-store-contacts.h"

struct _TbImportJob
{
  GObject          parent_instance;

  /* owned */
  char            *db_path;
  TbImportOptions *options;
  GMainContext    *context;    /* where progress is reported */

  /* main-context state */
  gint64           rows;
  double           fraction;
};

G_DEFINE_FINAL_TYPE (TbImportJob, tb_import_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROWS,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  TbImportJob *job;
  gint64       rows;
  double       fraction;
} Progress;

static gboolean
report_progress_cb (gpointer data)
{
  Progress *p = data;

  if (p->job->rows != p->rows) {
    p->job->rows = p->rows;
    g_object_notify_by_pspec (G_OBJECT (p->job), properties[PROP_ROWS]);
  }
  if (p->job->fraction != p->fraction) {
    p->job->fraction = p->fraction;
    g_object_notify_by_pspec (G_OBJECT (p->job), properties[PROP_FRACTION]);
  }
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *p = data;

  g_object_unref (p->job);
  g_free (p);
}

static void
on_thread_progress (gint64   rows,
                    double   fraction,
                    gpointer user_data)
{
  TbImportJob *self = user_data;
  Progress *p = g_new0 (Progress, 1);

  p->job = g_object_ref (self);
  p->rows = rows;
  p->fraction = fraction;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, report_progress_cb, p,
                              progress_free);
}

static void
result_free (gpointer data)
{
  TbImportResult *result = data;

  tb_import_result_clear (result);
  g_free (result);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  TbImportJob *self = source_object;
  g_autoptr(TbStore) store = NULL;
  g_autoptr(GError) error = NULL;
  TbImportResult *result = g_new0 (TbImportResult, 1);

  store = tb_store_open (self->db_path, &error);
  if (store == NULL ||
      !tb_store_contacts_tune_for_import (store, &error) ||
      !tb_import_run (store, self->options, on_thread_progress, self, result, cancellable,
                      &error)) {
    g_free (result);
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  g_task_return_pointer (task, result, result_free);
}

static void
tb_import_job_finalize (GObject *object)
{
  TbImportJob *self = (TbImportJob *) object;

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->options, tb_import_options_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (tb_import_job_parent_class)->finalize (object);
}

static void
tb_import_job_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TbImportJob *self = TB_IMPORT_JOB (object);

  switch (prop_id) {
  case PROP_ROWS:
    g_value_set_int64 (value, self->rows);
    break;
  case PROP_FRACTION:
    g_value_set_double (value, self->fraction);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_import_job_class_init (TbImportJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_import_job_finalize;
  object_class->get_property = tb_import_job_get_property;

  properties[PROP_ROWS] =
    g_param_spec_int64 ("rows", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, -1.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_import_job_init (TbImportJob *self)
{
}

TbImportJob *
tb_import_job_new (const char            *db_path,
                   const TbImportOptions *options)
{
  TbImportJob *self;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (options != NULL && options->path != NULL, NULL);

  self = g_object_new (TB_TYPE_IMPORT_JOB, NULL);
  self->db_path = g_strdup (db_path);
  self->options = tb_import_options_copy (options);
  return self;
}

gint64
tb_import_job_get_rows (TbImportJob *self)
{
  g_return_val_if_fail (TB_IS_IMPORT_JOB (self), 0);

  return self->rows;
}

double
tb_import_job_get_fraction (TbImportJob *self)
{
  g_return_val_if_fail (TB_IS_IMPORT_JOB (self), 0);

  return self->fraction;
}

void
tb_import_job_run_async (TbImportJob         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TB_IS_IMPORT_JOB (self));

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_import_job_run_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_thread);
}

gboolean
tb_import_job_run_finish (TbImportJob     *self,
                          GAsyncResult    *result,
                          TbImportResult  *out,
                          GError         **error)
{
  TbImportResult *r;

  g_return_val_if_fail (TB_IS_IMPORT_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return FALSE;
  *out = *r;
  g_free (r);
  return TRUE;
}
