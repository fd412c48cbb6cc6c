/* tb-turn-taker.h — the callee's turns: when they end, and what was said
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-media-session.h"
#include "tb-recognizer.h"

G_BEGIN_DECLS

/* The phrases to listen for now, or NULL: this utterance is nobody's answer (it is dropped,
 * its lockstep hold released). @settled: (out) (nullable): those of them whose reading is
 * final (tb_recognizer_recognize_async()); NULL by default. */
typedef const char * const *(*TbTurnPhrasesFunc) (gpointer             data,
                                                  const char * const **settled);
/* A turn is over: what the recognizer made of it (@rec, transfer full), or @error. The
 * lockstep hold of its "utterance-ended" is still taken: the callee releases it once the
 * answer is queued. */
typedef void (*TbTurnDoneFunc) (TbRecognition *rec,
                                const GError  *error,
                                gint64         start_us,
                                gint64         end_us,
                                gpointer       data);

#define TB_TYPE_TURN_TAKER (tb_turn_taker_get_type ())
G_DECLARE_FINAL_TYPE (TbTurnTaker, tb_turn_taker, TB, TURN_TAKER, GObject)

/* Listens to @media's utterances and recognizes them with @recognizer. When the recognizer
 * judges pauses (tb_recognizer_judges_pauses()) and an early silence is set, the words so far
 * are decoded at each pause: a whole phrase of the grammar ends the turn there, anything
 * else waits for the full silence (and is the answer if nothing more is said). */
TbTurnTaker *tb_turn_taker_new              (TbMediaSession    *media,
                                             TbRecognizer      *recognizer,
                                             TbTurnPhrasesFunc  phrases,
                                             TbTurnDoneFunc     done,
                                             gpointer           data);
/* The silences that end a turn: after an unfinished answer, after a whole phrase (0, or
 * not shorter: no early end). */
void         tb_turn_taker_set_end_silence  (TbTurnTaker       *self,
                                             guint              end_silence_ms,
                                             guint              complete_ms);
/* No more callbacks; recognitions under way are cancelled. */
void         tb_turn_taker_close            (TbTurnTaker       *self);

G_END_DECLS
