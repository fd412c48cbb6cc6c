/* tb-turn-taker.c — the callee's turns: when they end, and what was said
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Most of a turn's latency is the silence the endpointer waits for before it calls an
 * utterance over (350 ms: comma pauses run 230–430 ms). A grammar knows more: when the words
 * so far are a whole phrase of it ("I am busy") the callee has most likely finished, and a
 * shorter silence ends the turn; "I am…" keeps the full wait. The media session reports the
 * short silence ("utterance-paused"); the words so far are decoded then, and that one decoding
 * serves as the answer whether the turn ends there or after the full silence.
 */
#define G_LOG_DOMAIN "tb-turn-taker"

#include "config.h"

#include "tb-turn-taker.h"

struct _TbTurnTaker
{
  GObject            parent_instance;

  TbMediaSession    *media;
  TbRecognizer      *recognizer;
  TbTurnPhrasesFunc  phrases;
  TbTurnDoneFunc     done;
  gpointer           data;
  GCancellable      *cancellable;
  gulong             paused_id, ended_id;

  /* the pause being judged */
  gint64             pause_end;      /* its speech end (µs), -1: none */
  gint64             pause_start;
  TbRecognition     *pause_rec;      /* what the words up to it are */
  GCancellable      *pause_cancel;   /* its recognition: dropped once moot (a newer pause) */
  gboolean           pause_pending;  /* that recognition still runs */
  gboolean           pause_ended;    /* the utterance ended at that pause meanwhile */
};

G_DEFINE_FINAL_TYPE (TbTurnTaker, tb_turn_taker, G_TYPE_OBJECT)

typedef struct {
  TbTurnTaker *self;
  gint64       start, end;
} Job;

static void
deliver (TbTurnTaker   *self,
         TbRecognition *rec,
         const GError  *error,
         gint64         start,
         gint64         end)
{
  if (self->done == NULL) {
    tb_recognition_free (rec);
    tb_media_session_release (self->media);
    return;
  }
  self->done (rec, error, start, end, self->data);
}

/* Forgets the pause being judged; its recognition, if still under way, is cancelled. */
static void
drop_pause (TbTurnTaker *self)
{
  if (self->pause_cancel != NULL)
    g_cancellable_cancel (self->pause_cancel);
  g_clear_object (&self->pause_cancel);
  g_clear_pointer (&self->pause_rec, tb_recognition_free);
  self->pause_end = -1;
  self->pause_pending = FALSE;
}

static void
ended_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Job *job = data;
  g_autoptr(TbTurnTaker) self = job->self;
  g_autoptr(GError) error = NULL;
  TbRecognition *rec = tb_recognizer_recognize_finish (TB_RECOGNIZER (object), result, &error);

  deliver (self, rec, error, job->start, job->end);
  g_free (job);
}

static void
paused_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  Job *job = data;
  g_autoptr(TbTurnTaker) self = job->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbMediaSession) media = g_object_ref (self->media);
  TbRecognition *rec = tb_recognizer_recognize_finish (TB_RECOGNIZER (object), result, &error);
  gint64 end = job->end;

  g_free (job);
  if (self->pause_end != end || self->done == NULL) {
    /* The callee spoke on and paused again (a newer judgement counts), or closed. */
    tb_recognition_free (rec);
  } else if (self->pause_ended) {
    /* The turn ended at this pause while the words were decoded: they are the answer. */
    gint64 start = self->pause_start;

    drop_pause (self);
    deliver (self, rec, error, start, end);
  } else if (rec != NULL) {
    self->pause_pending = FALSE;
    g_clear_pointer (&self->pause_rec, tb_recognition_free);
    self->pause_rec = rec;
    /* A whole phrase: the turn is over ("utterance-ended" follows and takes pause_rec). */
    if (rec->complete)
      tb_media_session_end_utterance (media, end);
  } else {
    drop_pause (self);
  }
  /* The pause's own lockstep hold. */
  tb_media_session_release (media);
}

static void
on_paused (TbMediaSession *media,
           GBytes         *pcm,
           gint64          start,
           gint64          end,
           TbTurnTaker    *self)
{
  const char * const *settled = NULL;
  const char * const *phrases = self->phrases ? self->phrases (self->data, &settled) : NULL;
  Job *job;

  if (phrases == NULL || !tb_recognizer_judges_pauses (self->recognizer)) {
    tb_media_session_release (media);
    return;
  }
  /* The callee spoke on since the last pause: under load its decoding may still wait for a
   * decoder, and would only cost the other calls' turns their time. */
  drop_pause (self);
  self->pause_start = start;
  self->pause_end = end;
  self->pause_pending = TRUE;
  self->pause_ended = FALSE;
  self->pause_cancel = g_cancellable_new ();
  job = g_new0 (Job, 1);
  job->self = g_object_ref (self);
  job->start = start;
  job->end = end;
  tb_recognizer_recognize_async (self->recognizer, pcm, phrases, settled, self->pause_cancel,
                                 paused_cb, job);
}

static void
on_ended (TbMediaSession *media,
          GBytes         *pcm,
          gint64          start,
          gint64          end,
          TbTurnTaker    *self)
{
  const char * const *settled = NULL;
  const char * const *phrases = self->phrases ? self->phrases (self->data, &settled) : NULL;
  Job *job;

  if (phrases == NULL) {
    drop_pause (self);
    tb_media_session_release (media);
    return;
  }
  /* Ended where the last pause was judged: that judgement is the answer (once it is in). */
  if (self->pause_end == end) {
    if (self->pause_pending) {
      self->pause_ended = TRUE;
      return;
    }
    if (self->pause_rec != NULL) {
      TbRecognition *rec = g_steal_pointer (&self->pause_rec);

      drop_pause (self);
      deliver (self, rec, NULL, start, end);
      return;
    }
  }
  drop_pause (self);
  job = g_new0 (Job, 1);
  job->self = g_object_ref (self);
  job->start = start;
  job->end = end;
  tb_recognizer_recognize_async (self->recognizer, pcm, phrases, settled, self->cancellable,
                                 ended_cb, job);
}

static void
tb_turn_taker_dispose (GObject *object)
{
  TbTurnTaker *self = TB_TURN_TAKER (object);

  if (self->media != NULL)
    tb_turn_taker_close (self);
  G_OBJECT_CLASS (tb_turn_taker_parent_class)->dispose (object);
}

static void
tb_turn_taker_finalize (GObject *object)
{
  TbTurnTaker *self = TB_TURN_TAKER (object);

  g_clear_object (&self->media);
  g_clear_object (&self->recognizer);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pause_rec, tb_recognition_free);
  g_clear_object (&self->pause_cancel);
  G_OBJECT_CLASS (tb_turn_taker_parent_class)->finalize (object);
}

static void
tb_turn_taker_class_init (TbTurnTakerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tb_turn_taker_dispose;
  G_OBJECT_CLASS (klass)->finalize = tb_turn_taker_finalize;
}

static void
tb_turn_taker_init (TbTurnTaker *self)
{
  self->cancellable = g_cancellable_new ();
  self->pause_end = -1;
}

TbTurnTaker *
tb_turn_taker_new (TbMediaSession    *media,
                   TbRecognizer      *recognizer,
                   TbTurnPhrasesFunc  phrases,
                   TbTurnDoneFunc     done,
                   gpointer           data)
{
  TbTurnTaker *self;

  g_return_val_if_fail (TB_IS_MEDIA_SESSION (media), NULL);
  g_return_val_if_fail (TB_IS_RECOGNIZER (recognizer), NULL);

  self = g_object_new (TB_TYPE_TURN_TAKER, NULL);
  self->media = g_object_ref (media);
  self->recognizer = g_object_ref (recognizer);
  self->phrases = phrases;
  self->done = done;
  self->data = data;
  self->paused_id = g_signal_connect (media, "utterance-paused", G_CALLBACK (on_paused), self);
  self->ended_id = g_signal_connect (media, "utterance-ended", G_CALLBACK (on_ended), self);
  return self;
}

void
tb_turn_taker_set_end_silence (TbTurnTaker *self,
                               guint        end_silence_ms,
                               guint        complete_ms)
{
  g_return_if_fail (TB_IS_TURN_TAKER (self));

  tb_media_session_set_hangover_ms (self->media, end_silence_ms);
  tb_media_session_set_early_hangover_ms (self->media,
                                          tb_recognizer_judges_pauses (self->recognizer) &&
                                          complete_ms > 0 && complete_ms < end_silence_ms
                                          ? complete_ms : 0);
}

void
tb_turn_taker_close (TbTurnTaker *self)
{
  g_return_if_fail (TB_IS_TURN_TAKER (self));

  self->done = NULL;
  self->phrases = NULL;
  g_cancellable_cancel (self->cancellable);
  if (self->pause_cancel != NULL)
    g_cancellable_cancel (self->pause_cancel);
  g_clear_signal_handler (&self->paused_id, self->media);
  g_clear_signal_handler (&self->ended_id, self->media);
}
