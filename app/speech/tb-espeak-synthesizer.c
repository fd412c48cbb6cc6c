/* tb-espeak-synthesizer.c — the embedded synthesizer: espeak-ng
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-espeak-synthesizer"

#include "config.h"

#include "tb-espeak-synthesizer.h"
#include "tb-espeak.h"

struct _TbEspeakSynthesizer
{
  GObject parent_instance;
};

static void tb_espeak_synthesizer_iface_init (TbSynthesizerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TbEspeakSynthesizer, tb_espeak_synthesizer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TB_TYPE_SYNTHESIZER,
                                                      tb_espeak_synthesizer_iface_init))

typedef struct {
  char *text;
  char *voice;
} Job;

static void
job_free (Job *job)
{
  g_free (job->text);
  g_free (job->voice);
  g_free (job);
}

const char *
tb_espeak_voice_for_language (const char *language)
{
  if (language == NULL || *language == '\0' || g_str_has_prefix (language, "en"))
    return "en-us";
  if (g_str_has_prefix (language, "zh") || g_str_equal (language, "cmn"))
    return "cmn";
  return language;
}

static void
synth_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  GBytes *pcm;

  if (g_task_return_error_if_cancelled (task))
    return;
  pcm = tb_espeak_render (job->voice, job->text, 0, &error);
  if (pcm == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pcm, (GDestroyNotify) g_bytes_unref);
}

static const char *
tb_espeak_synthesizer_get_engine (TbSynthesizer *synth)
{
  return "espeak-ng";
}

static void
tb_espeak_synthesizer_synthesize_async (TbSynthesizer       *synth,
                                        const char          *text,
                                        const char          *voice,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (synth, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, tb_espeak_synthesizer_synthesize_async);
  job->text = g_strdup (text);
  job->voice = g_strdup (voice ? voice : "en-us");
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, synth_thread);
}

static GBytes *
tb_espeak_synthesizer_synthesize_finish (TbSynthesizer  *synth,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, synth), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tb_espeak_synthesizer_iface_init (TbSynthesizerInterface *iface)
{
  iface->get_engine = tb_espeak_synthesizer_get_engine;
  iface->synthesize_async = tb_espeak_synthesizer_synthesize_async;
  iface->synthesize_finish = tb_espeak_synthesizer_synthesize_finish;
}

static void
tb_espeak_synthesizer_class_init (TbEspeakSynthesizerClass *klass)
{
}

static void
tb_espeak_synthesizer_init (TbEspeakSynthesizer *self)
{
}

TbEspeakSynthesizer *
tb_espeak_synthesizer_new (void)
{
  return g_object_new (TB_TYPE_ESPEAK_SYNTHESIZER, NULL);
}
