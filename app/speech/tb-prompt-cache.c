/* tb-prompt-cache.c — synthesized prompts on disk, keyed by engine, voice and text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-prompt-cache"

#include "config.h"

#include "tb-prompt-cache.h"
#include "tb-paths.h"
#include "tb-pcm.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

struct _TbPromptCache
{
  GObject parent_instance;

  char *dir;
};

G_DEFINE_FINAL_TYPE (TbPromptCache, tb_prompt_cache, G_TYPE_OBJECT)

typedef struct {
  TbSynthesizer *synth;
  char *voice;
  char *path;
  char *text;
  GStrv texts;
  guint next;
  guint rendered;
} RenderData;

static void
render_data_free (RenderData *rd)
{
  g_clear_object (&rd->synth);
  g_free (rd->voice);
  g_free (rd->path);
  g_free (rd->text);
  g_strfreev (rd->texts);
  g_free (rd);
}

static void
tb_prompt_cache_finalize (GObject *object)
{
  TbPromptCache *self = (TbPromptCache *) object;

  g_free (self->dir);
  G_OBJECT_CLASS (tb_prompt_cache_parent_class)->finalize (object);
}

static void
tb_prompt_cache_class_init (TbPromptCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_prompt_cache_finalize;
}

static void
tb_prompt_cache_init (TbPromptCache *self)
{
}

TbPromptCache *
tb_prompt_cache_new (const char *dir)
{
  TbPromptCache *self = g_object_new (TB_TYPE_PROMPT_CACHE, NULL);

  self->dir = dir ? g_strdup (dir)
                  : g_build_filename (g_get_user_cache_dir (), "telebot", "prompts", NULL);
  return self;
}

const char *
tb_prompt_cache_get_dir (TbPromptCache *self)
{
  g_return_val_if_fail (TB_IS_PROMPT_CACHE (self), NULL);
  return self->dir;
}

char *
tb_prompt_cache_build_path (TbPromptCache *self,
                            const char    *engine,
                            const char    *voice,
                            const char    *text)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *name = NULL;

  g_return_val_if_fail (TB_IS_PROMPT_CACHE (self), NULL);

  g_checksum_update (sum, (const guchar *) engine, strlen (engine) + 1);
  g_checksum_update (sum, (const guchar *) (voice ? voice : ""), strlen (voice ? voice : "") + 1);
  g_checksum_update (sum, (const guchar *) text, strlen (text));
  name = g_strdup_printf ("%.40s.wav", g_checksum_get_string (sum));
  return g_build_filename (self->dir, name, NULL);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  RenderData *rd = task_data;
  GError *error = NULL;
  GBytes *pcm = tb_pcm_load_wav (rd->path, TB_PCM_RATE, &error);

  if (pcm == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pcm, (GDestroyNotify) g_bytes_unref);
}

static gint told_unwritable;

static void
store_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  RenderData *rd = task_data;
  GBytes *pcm = g_object_get_data (G_OBJECT (task), "pcm");
  g_autofree char *dir = g_path_get_dirname (rd->path);
  /* Calls of one campaign may render the same prompt at once: each writes its own file. */
  g_autofree char *tmp = g_strdup_printf ("%s.%08x.part", rd->path, g_random_int ());
  GError *error = NULL;

  /* Write then rename: a reader never sees half a prompt. The cache only saves time: a
   * directory that cannot be written (a read-only home) costs a synthesis next time, not
   * the prompt. */
  if (!tb_paths_make_private_dir (dir, &error)) {
    /* Said once per process, not once per prompt. */
    if (g_atomic_int_compare_and_exchange (&told_unwritable, FALSE, TRUE))
      g_message ("prompt cache %s; prompts are not kept", error->message);
    g_clear_error (&error);
  } else if (!tb_pcm_write_wav (tmp, g_bytes_get_data (pcm, NULL), g_bytes_get_size (pcm) / 2,
                                1, TB_PCM_RATE, &error) ||
             g_rename (tmp, rd->path) != 0) {
    if (g_atomic_int_compare_and_exchange (&told_unwritable, FALSE, TRUE))
      g_message ("prompt cache %s: %s; prompts are not kept", rd->path,
                 error != NULL ? error->message : g_strerror (errno));
    g_clear_error (&error);
    g_unlink (tmp);
  }
  g_task_return_pointer (task, g_bytes_ref (pcm), (GDestroyNotify) g_bytes_unref);
}

static void
synthesized_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  GBytes *pcm = tb_synthesizer_synthesize_finish (TB_SYNTHESIZER (object), result, &error);

  if (pcm == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  g_object_set_data_full (G_OBJECT (task), "pcm", pcm, (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, store_thread);
}

void
tb_prompt_cache_render_async (TbPromptCache       *self,
                              TbSynthesizer       *synth,
                              const char          *voice,
                              const char          *text,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RenderData *rd;

  g_return_if_fail (TB_IS_PROMPT_CACHE (self));
  g_return_if_fail (TB_IS_SYNTHESIZER (synth));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_prompt_cache_render_async);
  rd = g_new0 (RenderData, 1);
  rd->synth = g_object_ref (synth);
  rd->voice = g_strdup (voice);
  rd->text = g_strdup (text);
  rd->path = tb_prompt_cache_build_path (self, tb_synthesizer_get_engine (synth), voice, text);
  g_task_set_task_data (task, rd, (GDestroyNotify) render_data_free);

  if (g_file_test (rd->path, G_FILE_TEST_IS_REGULAR)) {
    g_object_set_data (G_OBJECT (task), "cached", GINT_TO_POINTER (TRUE));
    g_task_run_in_thread (task, load_thread);
    return;
  }
  tb_synthesizer_synthesize_async (synth, text, voice, cancellable, synthesized_cb,
                                   g_steal_pointer (&task));
}

GBytes *
tb_prompt_cache_render_finish (TbPromptCache  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void prerender_next (GTask *task);

static void
prerendered_one_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      data)
{
  g_autoptr(GTask) task = data;
  RenderData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = tb_prompt_cache_render_finish (TB_PROMPT_CACHE (object), result,
                                                         &error);

  if (pcm == NULL) {
    g_prefix_error (&error, "prompt “%s”: ", rd->texts[rd->next - 1]);
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (!g_object_get_data (G_OBJECT (result), "cached"))
    rd->rendered++;
  prerender_next (g_steal_pointer (&task));
}

static void
prerender_next (GTask *task)
{
  TbPromptCache *self = g_task_get_source_object (task);
  RenderData *rd = g_task_get_task_data (task);

  if (rd->texts == NULL || rd->texts[rd->next] == NULL) {
    g_task_return_int (task, rd->rendered);
    g_object_unref (task);
    return;
  }
  rd->next++;
  tb_prompt_cache_render_async (self, rd->synth, rd->voice, rd->texts[rd->next - 1],
                                g_task_get_cancellable (task), prerendered_one_cb, task);
}

void
tb_prompt_cache_prerender_async (TbPromptCache       *self,
                                 TbSynthesizer       *synth,
                                 const char          *voice,
                                 const char * const  *texts,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  RenderData *rd;

  g_return_if_fail (TB_IS_PROMPT_CACHE (self));
  g_return_if_fail (TB_IS_SYNTHESIZER (synth));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_prompt_cache_prerender_async);
  rd = g_new0 (RenderData, 1);
  rd->synth = g_object_ref (synth);
  rd->voice = g_strdup (voice);
  rd->texts = g_strdupv ((char **) texts);
  g_task_set_task_data (task, rd, (GDestroyNotify) render_data_free);
  prerender_next (task);
}

gboolean
tb_prompt_cache_prerender_finish (TbPromptCache  *self,
                                  GAsyncResult   *result,
                                  guint          *n_rendered,
                                  GError        **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_rendered)
    *n_rendered = (guint) n;
  return TRUE;
}
