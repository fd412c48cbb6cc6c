/* tb-corpus.h — the labelled utterance corpora of tests/data/understanding, scored
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by test-understanding and `./dev bench understanding`. A corpus line is
 * LABEL<TAB>TEXT (see the files' headers); labels are opt_out, the built-in intents
 * (busy = busy_now), other and ambiguous.
 */
#pragma once

#include <glib.h>

#include "tb-understanding.h"

G_BEGIN_DECLS

typedef struct {
  char  *label;
  char  *text;
  guint  line;
} TbCorpusItem;

typedef struct {
  guint opt_outs, opt_outs_caught, opt_outs_sure;
  guint others, false_opt_outs, others_asked;
  guint intents, intents_right;
  guint unrelated, unrelated_matched;
  guint ambiguous, ambiguous_asked;
} TbCorpusScore;

GPtrArray  *tb_corpus_load             (const char       *path,
                                        GError          **error);
/* The built-in intent a label names, or NULL (other, ambiguous). */
const char *tb_corpus_intent_for_label (const char       *label);
/* Scores @items; every wrong answer is appended to @misses (may be NULL). An opt-out
 * counts as caught when it is understood as one, sure or to be confirmed; a false opt-out
 * is a sure one on another label (a confirmation question lets the callee say no). */
void        tb_corpus_score            (TbUnderstanding  *u,
                                        GPtrArray        *items,
                                        TbCorpusScore    *score,
                                        GString          *misses);
double      tb_corpus_rate             (guint             part,
                                        guint             whole);

G_END_DECLS
