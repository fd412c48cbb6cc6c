/* tb-store-writer.c — a call's records written behind it, off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One thread per store, started with the first queued write, with its own connection to the
 * same database (WAL: the main connection reads and writes meanwhile). Jobs run in the order
 * queued; a flush job answers on the caller's main context once those before it are done.
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include "tb-store-private.h"
#include "tb-store-attempts.h"
#include "tb-store-calls.h"
#include "tb-store-writer.h"

typedef enum {
  JOB_STATE,
  JOB_TURN,
  JOB_AMD,
  JOB_FLUSH,
  JOB_QUIT,
} JobType;

typedef struct {
  JobType type;
  gint64 attempt_id;
  int seq;
  char *a, *b, *c, *d;     /* state | speaker, node, text, intent | decision */
  double confidence;
  gint64 t0, t1;
  GTask *task;             /* JOB_FLUSH */
} Job;

struct _TbStoreWriter
{
  GThread *thread;
  GAsyncQueue *jobs;
  char *path;
};

static void
job_free (Job *job)
{
  g_free (job->a);
  g_free (job->b);
  g_free (job->c);
  g_free (job->d);
  g_clear_object (&job->task);
  g_free (job);
}

static gboolean
run_job (TbStore  *store,
         Job      *job,
         GError  **error)
{
  switch (job->type) {
  case JOB_STATE:
    return tb_store_attempt_set_state (store, job->attempt_id, job->a, job->t0, error);
  case JOB_TURN:
    return tb_store_attempt_add_turn (store, job->attempt_id, job->seq, job->a, job->b, job->c,
                                      job->d, job->confidence, job->t0, job->t1, error);
  case JOB_AMD:
    return tb_store_attempt_set_amd (store, job->attempt_id, job->a, error);
  case JOB_FLUSH:
  case JOB_QUIT:
  default:
    return TRUE;
  }
}

static gpointer
writer_thread (gpointer data)
{
  TbStoreWriter *w = data;
  g_autoptr(GError) open_error = NULL;
  g_autoptr(TbStore) store = tb_store_open (w->path, &open_error);
  Job *job;

  if (store == NULL)
    g_message ("store writer: %s; the call records queued to it are lost", open_error->message);
  while ((job = g_async_queue_pop (w->jobs)) != NULL) {
    g_autoptr(GError) error = NULL;
    JobType type = job->type;

    if (type == JOB_FLUSH)
      g_task_return_boolean (job->task, TRUE);
    else if (store != NULL && !run_job (store, job, &error))
      g_message ("attempt %" G_GINT64_FORMAT ": %s", job->attempt_id, error->message);
    job_free (job);
    if (type == JOB_QUIT)
      break;
  }
  return NULL;
}

void
_tb_store_writer_free (TbStoreWriter *w)
{
  Job *quit;

  if (w == NULL)
    return;
  quit = g_new0 (Job, 1);
  quit->type = JOB_QUIT;
  g_async_queue_push (w->jobs, quit);
  g_thread_join (w->thread);
  g_async_queue_unref (w->jobs);
  g_free (w->path);
  g_free (w);
}

/* Queues @job, or runs it at once on @self when the store cannot have a writer. */
static void
queue (TbStore *self,
       Job     *job)
{
  TbStoreWriter **slot = _tb_store_writer_slot (self);

  if (*slot == NULL && !tb_store_is_read_only (self)) {
    TbStoreWriter *w = g_new0 (TbStoreWriter, 1);

    w->path = g_strdup (tb_store_get_path (self));
    w->jobs = g_async_queue_new_full ((GDestroyNotify) job_free);
    w->thread = g_thread_new ("tb-store-writer", writer_thread, w);
    *slot = w;
  }
  if (*slot != NULL) {
    g_async_queue_push ((*slot)->jobs, job);
    return;
  }
  if (job->type == JOB_FLUSH) {
    g_task_return_boolean (job->task, TRUE);
  } else {
    g_autoptr(GError) error = NULL;

    if (!run_job (self, job, &error))
      g_message ("attempt %" G_GINT64_FORMAT ": %s", job->attempt_id, error->message);
  }
  job_free (job);
}

void
tb_store_attempt_set_state_later (TbStore    *self,
                                  gint64      attempt_id,
                                  const char *state,
                                  gint64      at)
{
  Job *job;

  g_return_if_fail (TB_IS_STORE (self));
  job = g_new0 (Job, 1);
  job->type = JOB_STATE;
  job->attempt_id = attempt_id;
  job->a = g_strdup (state);
  job->t0 = at;
  queue (self, job);
}

void
tb_store_attempt_add_turn_later (TbStore    *self,
                                 gint64      attempt_id,
                                 int         seq,
                                 const char *speaker,
                                 const char *node,
                                 const char *text,
                                 const char *intent,
                                 double      confidence,
                                 gint64      started_at,
                                 gint64      ended_at)
{
  Job *job;

  g_return_if_fail (TB_IS_STORE (self));
  job = g_new0 (Job, 1);
  job->type = JOB_TURN;
  job->attempt_id = attempt_id;
  job->seq = seq;
  job->a = g_strdup (speaker);
  job->b = g_strdup (node);
  job->c = g_strdup (text);
  job->d = g_strdup (intent);
  job->confidence = confidence;
  job->t0 = started_at;
  job->t1 = ended_at;
  queue (self, job);
}

void
tb_store_attempt_set_amd_later (TbStore    *self,
                                gint64      attempt_id,
                                const char *decision)
{
  Job *job;

  g_return_if_fail (TB_IS_STORE (self));
  job = g_new0 (Job, 1);
  job->type = JOB_AMD;
  job->attempt_id = attempt_id;
  job->a = g_strdup (decision);
  queue (self, job);
}

void
tb_store_flush_async (TbStore             *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  Job *job;

  g_return_if_fail (TB_IS_STORE (self));
  job = g_new0 (Job, 1);
  job->type = JOB_FLUSH;
  /* No source object: the writer thread lets go of the task whenever it likes, and a task
   * holding the store would keep it open past its owner's last reference. */
  job->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, tb_store_flush_async);
  queue (self, job);
}

gboolean
tb_store_flush_finish (TbStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
