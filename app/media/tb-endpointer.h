/* tb-endpointer.h — where an utterance starts and ends, by energy with hangover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Analysis step: 10 ms at 8 kHz. Feed exactly this many samples per call. */
#define TB_ENDPOINTER_STEP 80

typedef enum {
  TB_ENDPOINTER_EVENT_NONE,
  TB_ENDPOINTER_EVENT_STARTED,
  TB_ENDPOINTER_EVENT_ENDED,
  TB_ENDPOINTER_EVENT_PAUSED,   /* the early hangover of silence passed (once per pause) */
} TbEndpointerEvent;

typedef struct _TbEndpointer TbEndpointer;

/* All times are audio time: sample counts at 8 kHz since the first sample fed. */
TbEndpointer      *tb_endpointer_new               (void);
void               tb_endpointer_free              (TbEndpointer  *ep);
/* Speech is a step louder than max(@threshold_db, noise floor + 9 dB). Default -40 dBFS. */
void               tb_endpointer_set_threshold_db  (TbEndpointer  *ep,
                                                    double         threshold_db);
/* Silence after speech that ends the utterance. Default 350 ms: comma pauses run 230–430 ms,
 * so slow speakers may be split after a first word; the turn is faster (bench latency). */
void               tb_endpointer_set_hangover_ms   (TbEndpointer  *ep,
                                                    guint          hangover_ms);
/* Silence after speech that reports a pause (TB_ENDPOINTER_EVENT_PAUSED): the caller may judge
 * what was said so far a complete answer and end the utterance there (tb_endpointer_end_now).
 * 0 (the default) reports no pauses. */
void               tb_endpointer_set_early_hangover_ms (TbEndpointer *ep,
                                                    guint          early_ms);
/* Speech needed before an utterance counts as started. Default 80 ms. */
void               tb_endpointer_set_min_speech_ms (TbEndpointer  *ep,
                                                    guint          min_speech_ms);
/* Longest utterance; longer speech is cut there. Default 15 s. */
void               tb_endpointer_set_max_speech_ms (TbEndpointer  *ep,
                                                    guint          max_speech_ms);
TbEndpointerEvent  tb_endpointer_push              (TbEndpointer  *ep,
                                                    const gint16  *step);
gboolean           tb_endpointer_in_speech         (TbEndpointer  *ep);
/* While in speech: the samples of it that were loud (pauses and the hangover aside). */
gint64             tb_endpointer_get_voiced        (TbEndpointer  *ep);
/* After STARTED: where the speech started (sample index). */
gint64             tb_endpointer_get_start         (TbEndpointer  *ep);
/* After ENDED: the utterance's PCM (with 200 ms before the start and up to 200 ms after the
 * end), and the sample indexes of its first and after-last speech sample. */
GBytes            *tb_endpointer_steal_utterance   (TbEndpointer  *ep,
                                                    gint64        *start,
                                                    gint64        *end);
/* While in speech: a copy of the utterance so far (200 ms before the start up to now), and
 * the sample indexes of its first and after-last speech sample. */
GBytes            *tb_endpointer_peek_utterance    (TbEndpointer  *ep,
                                                    gint64        *start,
                                                    gint64        *end);
/* Ends the utterance in progress now if its last speech sample still is @end (nothing was
 * said since that pause); then it is stolen as after ENDED. */
gboolean           tb_endpointer_end_now           (TbEndpointer  *ep,
                                                    gint64         end);
/* Forget any utterance in progress (e.g. when listening is cancelled). */
void               tb_endpointer_reset             (TbEndpointer  *ep);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbEndpointer, tb_endpointer_free)

G_END_DECLS
