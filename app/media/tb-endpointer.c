/* tb-endpointer.c — where an utterance starts and ends, by energy with hangover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-endpointer"

#include "config.h"

#include "tb-endpointer.h"
#include "tb-pcm.h"

#define PREROLL_SAMPLES (TB_PCM_RATE / 5)
#define TAIL_SAMPLES (TB_PCM_RATE / 5)

struct _TbEndpointer
{
  double threshold_db;
  guint hangover_steps;
  guint early_steps;      /* a pause is reported after this many quiet steps (0: never) */
  guint voiced_steps;     /* loud steps of the utterance in progress */
  guint min_speech_steps;
  guint max_speech_steps;

  double noise_db;
  gint64 pos;             /* samples fed so far */

  gboolean in_speech;
  guint speech_run;       /* consecutive loud steps before the start */
  guint silence_run;      /* consecutive quiet steps inside speech */
  guint speech_steps;     /* steps since the start */
  gint64 start;           /* first speech sample */
  gint64 last_speech_end; /* after-last loud sample */

  GArray *preroll;        /* the last PREROLL_SAMPLES + candidate onset while not in speech */
  GArray *utterance;      /* samples of the utterance being collected */
  gint64 utt_first;       /* sample index of utterance->data[0] */

  GBytes *done;           /* finished utterance until stolen */
  gint64 done_start;
  gint64 done_end;
};

TbEndpointer *
tb_endpointer_new (void)
{
  TbEndpointer *ep = g_new0 (TbEndpointer, 1);

  ep->threshold_db = -40;
  ep->hangover_steps = 35;
  ep->min_speech_steps = 8;
  ep->max_speech_steps = 1500;
  ep->noise_db = -70;
  ep->preroll = g_array_new (FALSE, FALSE, sizeof (gint16));
  ep->utterance = g_array_new (FALSE, FALSE, sizeof (gint16));
  return ep;
}

void
tb_endpointer_free (TbEndpointer *ep)
{
  if (ep == NULL)
    return;
  g_array_unref (ep->preroll);
  g_array_unref (ep->utterance);
  g_clear_pointer (&ep->done, g_bytes_unref);
  g_free (ep);
}

void
tb_endpointer_set_threshold_db (TbEndpointer *ep,
                                double        threshold_db)
{
  ep->threshold_db = threshold_db;
}

void
tb_endpointer_set_hangover_ms (TbEndpointer *ep,
                               guint         hangover_ms)
{
  ep->hangover_steps = MAX (1, hangover_ms / 10);
}

void
tb_endpointer_set_early_hangover_ms (TbEndpointer *ep,
                                     guint         early_ms)
{
  ep->early_steps = early_ms / 10;
}

void
tb_endpointer_set_min_speech_ms (TbEndpointer *ep,
                                 guint         min_speech_ms)
{
  ep->min_speech_steps = MAX (1, min_speech_ms / 10);
}

void
tb_endpointer_set_max_speech_ms (TbEndpointer *ep,
                                 guint         max_speech_ms)
{
  ep->max_speech_steps = MAX (10, max_speech_ms / 10);
}

gboolean
tb_endpointer_in_speech (TbEndpointer *ep)
{
  return ep->in_speech;
}

gint64
tb_endpointer_get_start (TbEndpointer *ep)
{
  return ep->start;
}

void
tb_endpointer_reset (TbEndpointer *ep)
{
  ep->in_speech = FALSE;
  ep->speech_run = 0;
  ep->silence_run = 0;
  g_array_set_size (ep->utterance, 0);
}

static void
finish (TbEndpointer *ep)
{
  gint64 keep_to = MIN (ep->pos, ep->last_speech_end + TAIL_SAMPLES);
  gsize n = (gsize) MAX (0, keep_to - ep->utt_first);

  n = MIN (n, ep->utterance->len);
  g_clear_pointer (&ep->done, g_bytes_unref);
  ep->done = g_bytes_new (ep->utterance->data, n * sizeof (gint16));
  ep->done_start = ep->start;
  ep->done_end = ep->last_speech_end;
  g_array_set_size (ep->utterance, 0);
  ep->in_speech = FALSE;
  ep->speech_run = 0;
  ep->silence_run = 0;
}

TbEndpointerEvent
tb_endpointer_push (TbEndpointer *ep,
                    const gint16 *step)
{
  double db = tb_pcm_rms_db (step, TB_ENDPOINTER_STEP);
  double threshold = MAX (ep->threshold_db, ep->noise_db + 9);
  gboolean loud = db > threshold;
  TbEndpointerEvent ev = TB_ENDPOINTER_EVENT_NONE;

  ep->pos += TB_ENDPOINTER_STEP;

  if (!ep->in_speech) {
    /* The noise floor follows quiet steps: fast down, slowly up. */
    if (!loud) {
      if (db < ep->noise_db)
        ep->noise_db = 0.7 * ep->noise_db + 0.3 * db;
      else
        ep->noise_db = 0.995 * ep->noise_db + 0.005 * db;
    }
    g_array_append_vals (ep->preroll, step, TB_ENDPOINTER_STEP);
    ep->speech_run = loud ? ep->speech_run + 1 : 0;
    if (ep->speech_run >= ep->min_speech_steps) {
      gsize keep = MIN (ep->preroll->len,
                        PREROLL_SAMPLES + ep->speech_run * TB_ENDPOINTER_STEP);

      ep->in_speech = TRUE;
      ep->start = ep->pos - (gint64) ep->speech_run * TB_ENDPOINTER_STEP;
      ep->last_speech_end = ep->pos;
      ep->speech_steps = ep->speech_run;
      ep->voiced_steps = ep->speech_run;
      ep->silence_run = 0;
      g_array_set_size (ep->utterance, 0);
      g_array_append_vals (ep->utterance,
                           &g_array_index (ep->preroll, gint16, ep->preroll->len - keep), keep);
      ep->utt_first = ep->pos - keep;
      g_array_set_size (ep->preroll, 0);
      return TB_ENDPOINTER_EVENT_STARTED;
    }
    /* Keep only what a later start could need. */
    if (ep->preroll->len > 4 * PREROLL_SAMPLES + ep->min_speech_steps * TB_ENDPOINTER_STEP) {
      gsize drop = ep->preroll->len - PREROLL_SAMPLES
                   - ep->min_speech_steps * TB_ENDPOINTER_STEP;
      g_array_remove_range (ep->preroll, 0, drop);
    }
    return ev;
  }

  g_array_append_vals (ep->utterance, step, TB_ENDPOINTER_STEP);
  ep->speech_steps++;
  if (loud) {
    ep->silence_run = 0;
    ep->last_speech_end = ep->pos;
    ep->voiced_steps++;
  } else {
    ep->silence_run++;
  }
  if (ep->silence_run >= ep->hangover_steps || ep->speech_steps >= ep->max_speech_steps) {
    finish (ep);
    ev = TB_ENDPOINTER_EVENT_ENDED;
  } else if (ep->early_steps > 0 && ep->silence_run == ep->early_steps) {
    ev = TB_ENDPOINTER_EVENT_PAUSED;
  }
  return ev;
}

GBytes *
tb_endpointer_peek_utterance (TbEndpointer *ep,
                              gint64       *start,
                              gint64       *end)
{
  if (start)
    *start = ep->start;
  if (end)
    *end = ep->last_speech_end;
  if (!ep->in_speech)
    return g_bytes_new (NULL, 0);
  return g_bytes_new (ep->utterance->data, ep->utterance->len * sizeof (gint16));
}

gboolean
tb_endpointer_end_now (TbEndpointer *ep,
                       gint64        end)
{
  if (!ep->in_speech || ep->last_speech_end != end || ep->silence_run == 0)
    return FALSE;
  finish (ep);
  return TRUE;
}

GBytes *
tb_endpointer_steal_utterance (TbEndpointer *ep,
                               gint64       *start,
                               gint64       *end)
{
  if (start)
    *start = ep->done_start;
  if (end)
    *end = ep->done_end;
  return g_steal_pointer (&ep->done);
}

gint64
tb_endpointer_get_voiced (TbEndpointer *ep)
{
  return ep->in_speech ? (gint64) ep->voiced_steps * TB_ENDPOINTER_STEP : 0;
}
