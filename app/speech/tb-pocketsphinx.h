/* tb-pocketsphinx.h — the embedded recognizer: pocketsphinx with a grammar of the phrases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-recognizer.h"

G_BEGIN_DECLS

#define TB_TYPE_POCKETSPHINX (tb_pocketsphinx_get_type ())

G_DECLARE_FINAL_TYPE (TbPocketsphinx, tb_pocketsphinx, TB, POCKETSPHINX, GObject)

/* Every instance shares one process-wide pool of decoders (one per worker thread, one
 * worker per CPU), loaded on first use from the en-us model (TELEBOT_POCKETSPHINX_MODEL and
 * TELEBOT_POCKETSPHINX_DICT override the paths). */
TbPocketsphinx *tb_pocketsphinx_new           (void);

/* Blocking variant for worker threads and the command line (@settled as in
 * tb_recognizer_recognize_async()). */
TbRecognition  *tb_pocketsphinx_recognize     (GBytes             *pcm,
                                               const char * const *phrases,
                                               const char * const *settled,
                                               GError            **error);

/* With @sentences (what callees say, in any words; NULL: none, the default), an utterance is
 * decoded twice: by the grammar of the phrases, and (unless the grammar's reading is made of
 * settled phrases only) freely over a trigram language model of @sentences
 * (TbRecognition:alternative). Process-wide: the model is built here, once, and each decoder
 * loads it when it is made; the same @sentences again change nothing. */
void            tb_pocketsphinx_set_lm_text   (const char * const *sentences);

/* Makes the pool's decoders now, on a thread of their own (with the free pass's model, when
 * one is set: about 1.3 s each), so that no call's first turn waits for one. A campaign's
 * recognizer calls it; decoders made since, or already there, are not made again. A decoder
 * made before the model changed loads the new one in its next free pass. */
void            tb_pocketsphinx_prepare       (void);
/* How many decoders the pool has made (or is making): at most one per CPU. */
guint           tb_pocketsphinx_get_n_decoders (void);

/* The words of @phrases the dictionary lacks (such phrases cannot be recognized), or an
 * empty array. NULL with @error set if the dictionary cannot be read. For `script check`. */
GStrv           tb_pocketsphinx_check_phrases (const char * const *phrases,
                                               GError            **error);

/* Whether @text (words as the recognizer returns them) is one of @phrases or a sequence of
 * them: a final state of the grammar build_jsgf() makes (<phrase>+). */
gboolean        tb_pocketsphinx_completes_phrase (const char         *text,
                                                 const char * const *phrases);

/* The audio the decoder hears for @pcm (TB_PCM_RATE line audio): 16 kHz with its noise floor.
 * For building the acoustic model's adaptation data the same way (bench/make-mllr.sh). */
GBytes         *tb_pocketsphinx_decoder_audio (GBytes             *pcm);

/* The MLLR transform the decoders adapt the model with, or NULL: the stock model (the
 * default). TELEBOT_POCKETSPHINX_MLLR=telephone: data/speech/en-us-telephone.mllr; a path:
 * that file. */
char           *tb_pocketsphinx_dup_mllr_path (void);

/* Normalizes a phrase as the grammar sees it: lower case, words of letters and apostrophes. */
char           *tb_pocketsphinx_normalize     (const char         *phrase);

G_END_DECLS
