/* tb-recognizer.h — speech to text for one utterance (interface)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TbRecognition:
 * @text: what was recognized, lower case; "" when nothing matched
 * @confidence: 0.0–1.0
 * @reason: (nullable): why there is no text (timeout, HTTP error, out of grammar, …)
 * @failed: the engine could not listen at all (unreachable, timeout, HTTP error, an answer
 *   it could not read): not what the callee said. Several in a row pause a campaign.
 * @complete: @text completes a phrase (a sequence of phrases) of the grammar and the
 *   recognizer is sure of its last word: a turn ending here may end early. Only recognizers
 *   that judge utterances (tb_recognizer_judges_pauses()) set it.
 * @alternative: (nullable): a second reading of the same audio by another search (the
 *   embedded recognizer's free pass over a language model of what callees say), for the
 *   dialog to hold against @text; NULL when there is none.
 *
 * Intent matching is not done here: the script's matcher maps @text to an intent.
 */
typedef struct {
  char *text;
  double confidence;
  char *reason;
  gboolean failed;
  gboolean complete;
  char *alternative;
} TbRecognition;

#define TB_TYPE_RECOGNITION (tb_recognition_get_type ())
GType          tb_recognition_get_type (void) G_GNUC_CONST;
TbRecognition *tb_recognition_new      (const char          *text,
                                        double               confidence,
                                        const char          *reason);
/* Engine trouble: no text, @reason says what went wrong, @failed is set. */
TbRecognition *tb_recognition_new_failed (const char        *reason);
TbRecognition *tb_recognition_copy     (const TbRecognition *rec);
void           tb_recognition_free     (TbRecognition       *rec);
gboolean       tb_recognition_is_match (const TbRecognition *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbRecognition, tb_recognition_free)

#define TB_TYPE_RECOGNIZER (tb_recognizer_get_type ())
G_DECLARE_INTERFACE (TbRecognizer, tb_recognizer, TB, RECOGNIZER, GObject)

struct _TbRecognizerInterface
{
  GTypeInterface parent_iface;

  void           (*recognize_async)  (TbRecognizer        *self,
                                      GBytes              *pcm,
                                      const char * const  *phrases,
                                      const char * const  *settled,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
  TbRecognition *(*recognize_finish) (TbRecognizer        *self,
                                      GAsyncResult        *result,
                                      GError             **error);
  /* It may be asked about an utterance still in progress (at a pause: the words so far) and
   * sets TbRecognition:complete. Recognizers that take one answer per utterance (a
   * rehearsal's simulated callee) leave it FALSE. */
  gboolean         judges_pauses;
};

/**
 * tb_recognizer_recognize_async:
 * @pcm: the utterance: 8 kHz mono S16LE
 * @phrases: (nullable) (array zero-terminated=1): what the current node expects (its intents'
 *   phrases plus the global ones); grammar engines only hear these, free-text engines take
 *   them as hints
 * @settled: (nullable) (array zero-terminated=1): phrases whose reading is final for the
 *   caller: a recognizer that can read an utterance a second time (TbRecognition:alternative)
 *   skips that when its first reading is made of these phrases only. NULL: read every
 *   utterance both ways. The caller decides which they are; the recognizer only compares words.
 *
 * Decodes off the main loop; the callback runs on the caller's thread-default main context.
 * Engine trouble (timeouts, HTTP errors, words missing from a dictionary) is not an error: it
 * finishes with an empty text and a reason, and @failed when the engine could not listen at
 * all. Only cancellation is an error.
 */
void           tb_recognizer_recognize_async  (TbRecognizer        *self,
                                               GBytes              *pcm,
                                               const char * const  *phrases,
                                               const char * const  *settled,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TbRecognition *tb_recognizer_recognize_finish (TbRecognizer        *self,
                                               GAsyncResult        *result,
                                               GError             **error);
gboolean       tb_recognizer_judges_pauses    (TbRecognizer        *self);

G_END_DECLS
