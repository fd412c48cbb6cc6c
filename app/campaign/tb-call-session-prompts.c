/* tb-call-session-prompts.c — what a call session says: prompts rendered, played, made ready
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The texts naming the contact are rendered for the call before the dial; the others come
 * from the prompt cache. A prompt the speech server cannot render is said by espeak-ng. While
 * the callee speaks, the prompts of every way the node can go on are loaded into memory.
 */
#define G_LOG_DOMAIN "tb-call-session"

#include "config.h"

#include "tb-call-session-private.h"
#include "tb-espeak-synthesizer.h"
#include "tb-sim-call.h"

typedef struct {
  TbCallSession *self;
  char          *text;
  TbPlayFlags    flags;
  guint          barge_after_ms;
  guint          barge_min_ms;
} PromptJob;

static void
prompt_job_free (PromptJob *job)
{
  g_object_unref (job->self);
  g_free (job->text);
  g_free (job);
}

/* A prompt the speech server could not render is said by espeak-ng instead: the callee always
 * hears the robot, its disclosures first. NULL when the synthesizer is espeak-ng already. */
static TbSynthesizer *
fallback_for (TbCallSession *self,
              GObject       *failed,
              GError        *error)
{
  if (TB_IS_ESPEAK_SYNTHESIZER (failed) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  if (self->fallback == NULL) {
    g_message ("attempt %" G_GINT64_FORMAT ": the speech server cannot speak (%s): espeak-ng "
               "speaks this call's prompts it could not render", self->attempt_id,
               error->message);
    self->fallback = TB_SYNTHESIZER (tb_espeak_synthesizer_new ());
  }
  return self->fallback;
}

static void
personal_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  PromptJob *job = data;
  TbCallSession *self = job->self;
  g_autoptr(GError) error = NULL;
  GBytes *pcm = tb_synthesizer_synthesize_finish (TB_SYNTHESIZER (object), result, &error);
  TbSynthesizer *fallback;

  if (pcm == NULL && (fallback = fallback_for (self, object, error)) != NULL) {
    tb_synthesizer_synthesize_async (fallback, job->text, tb_script_get_voice (self->script),
                                     self->cancellable, personal_cb, job);
    return;
  }
  if (pcm != NULL)
    g_hash_table_replace (self->personal, g_strdup (job->text), pcm);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("attempt %" G_GINT64_FORMAT ": cannot render “%s”: %s", self->attempt_id,
               job->text, error->message);
  _tb_call_session_render_done (self);
  prompt_job_free (job);
}

void
_tb_call_session_render_personal (TbCallSession *self,
                                  const char    *text,
                                  const char    *voice)
{
  PromptJob *job = g_new0 (PromptJob, 1);

  job->self = g_object_ref (self);
  job->text = g_strdup (text);
  tb_synthesizer_synthesize_async (self->synth, text, voice, self->cancellable,
                                   personal_cb, job);
}

/* A rendered prompt (or the error instead) is queued, and the audio time held since the
 * prompt was asked for is released: not one frame of silence between. Takes @job. */
static void
queue_rendered (PromptJob *job,
                GBytes    *pcm,
                GError    *error)
{
  TbCallSession *self = job->self;
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (pcm == NULL) {
    if (!cancelled)
      g_message ("attempt %" G_GINT64_FORMAT ": cannot say “%s”: %s", self->attempt_id,
                 job->text, error->message);
    if (self->dialog != NULL && !cancelled)
      tb_dialog_prompt_finished (self->dialog);
  } else if (self->media != NULL && tb_media_session_is_running (self->media)) {
    guint id = tb_media_session_play_pcm (self->media, pcm, job->flags);

    tb_media_session_set_barge_in (self->media, id, job->barge_after_ms, job->barge_min_ms);
  }
  if (self->media != NULL)
    tb_media_session_release (self->media);
  prompt_job_free (job);
}

static void
fallback_rendered_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = tb_synthesizer_synthesize_finish (TB_SYNTHESIZER (object), result,
                                                            &error);

  queue_rendered (data, pcm, error);
}

static void
rendered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  PromptJob *job = data;
  TbCallSession *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = tb_prompt_cache_render_finish (TB_PROMPT_CACHE (object), result,
                                                          &error);
  TbSynthesizer *fallback;

  if (pcm == NULL && (fallback = fallback_for (self, G_OBJECT (self->synth), error)) != NULL) {
    /* Still held: released when espeak-ng's audio is queued. */
    tb_synthesizer_synthesize_async (fallback, job->text, tb_script_get_voice (self->script),
                                     self->cancellable, fallback_rendered_cb, job);
    return;
  }
  queue_rendered (job, pcm, error);
}

void
_tb_call_session_play_prompt (TbCallSession        *self,
                              const TbDialogAction *action)
{
  TbPlayFlags flags = action->barge_in ? TB_PLAY_FLAGS_BARGE_IN : TB_PLAY_FLAGS_NONE;
  const char *text = action->text ? action->text : "";
  GBytes *pcm;
  guint id;

  if (self->media == NULL)
    return;
  /* On the simulated line the bot's words travel with its audio, as the callee's do for a
   * rehearsal: a persona may answer what it heard. */
  if (self->call != NULL && TB_IS_SIM_CALL (self->call))
    tb_sim_call_hear (TB_SIM_CALL (self->call), text);
  /* A recorded human voice always wins over synthesis. */
  if (action->prompt_file != NULL) {
    id = tb_media_session_play_file (self->media, action->prompt_file, flags);
    tb_media_session_set_barge_in (self->media, id, action->barge_after_ms, action->barge_min_ms);
  } else if ((pcm = g_hash_table_lookup (self->personal, text)) != NULL ||
             (self->ready != NULL && (pcm = g_hash_table_lookup (self->ready, text)) != NULL)) {
    id = tb_media_session_play_pcm (self->media, pcm, flags);
    tb_media_session_set_barge_in (self->media, id, action->barge_after_ms, action->barge_min_ms);
  } else {
    PromptJob *job = g_new0 (PromptJob, 1);

    job->self = g_object_ref (self);
    job->text = g_strdup (text);
    job->flags = flags;
    job->barge_after_ms = action->barge_after_ms;
    job->barge_min_ms = action->barge_min_ms;
    /* Audio time stands still (in lockstep) until the prompt is queued. */
    tb_media_session_hold (self->media);
    tb_prompt_cache_render_async (self->prompts, self->synth, tb_script_get_voice (self->script),
                                  text, self->cancellable, rendered_cb, job);
  }
  if (self->live != NULL)
    tb_live_call_set_node (self->live, action->node);
}

typedef struct {
  TbCallSession *self;
  GHashTable    *ready;   /* the table it was asked for (a later node has its own) */
  char          *text;
} ReadyJob;

static void
ready_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  ReadyJob *job = data;
  GBytes *pcm = tb_prompt_cache_render_finish (TB_PROMPT_CACHE (object), result, NULL);

  /* One that cannot be loaded now is rendered when it is said (with its fallback). */
  if (pcm != NULL && job->ready == job->self->ready)
    g_hash_table_replace (job->ready, g_strdup (job->text), pcm);
  else if (pcm != NULL)
    g_bytes_unref (pcm);
  g_hash_table_unref (job->ready);
  g_object_unref (job->self);
  g_free (job->text);
  g_free (job);
}

/* While the callee answers, the prompts of every way the node can go on are loaded into
 * memory (the prompt cache has them on disk since before the dial): the answer is queued
 * the moment the dialog decides, and its first frame leaves with the next one. */
void
_tb_call_session_prepare_answers (TbCallSession *self)
{
  g_auto(GStrv) texts = NULL;
  GHashTable *ready;

  if (self->dialog == NULL)
    return;
  texts = tb_dialog_dup_next_prompt_texts (self->dialog);
  ready = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                 (GDestroyNotify) g_bytes_unref);
  for (guint i = 0; texts[i] != NULL; i++) {
    GBytes *pcm;
    ReadyJob *job;

    if (g_hash_table_contains (self->personal, texts[i]) ||
        g_hash_table_contains (ready, texts[i]))
      continue;
    if (self->ready != NULL && (pcm = g_hash_table_lookup (self->ready, texts[i])) != NULL) {
      g_hash_table_replace (ready, g_strdup (texts[i]), g_bytes_ref (pcm));
      continue;
    }
    job = g_new0 (ReadyJob, 1);
    job->self = g_object_ref (self);
    job->ready = g_hash_table_ref (ready);
    job->text = g_strdup (texts[i]);
    tb_prompt_cache_render_async (self->prompts, self->synth, tb_script_get_voice (self->script),
                                  texts[i], self->cancellable, ready_cb, job);
  }
  g_clear_pointer (&self->ready, g_hash_table_unref);
  self->ready = ready;
}
