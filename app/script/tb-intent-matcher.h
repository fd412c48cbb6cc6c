/* tb-intent-matcher.h — free text and DTMF to a script intent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure logic (DESIGN.md §4): the recognizer gives text, the matcher names the intent. An
 * intent is the script's phrases and keywords, a built-in intent of the understanding
 * (tb-understanding.h: "opt_out", "yes", "busy_now"…, patterns over meaning), or both. Text
 * and phrases are normalized alike by the understanding (NFKC, case, punctuation,
 * contractions, fillers, particles, repeats, traditional → simplified), so "I'm busy" meets the
 * phrase "I am busy". Phrases match as words in a row — Chinese ones without word boundaries.
 * A phrase preceded, in its clause, by a negation does not count ("not interested" never
 * matches "interested", 不需要 never matches 需要) unless the phrase is itself negative.
 */
#pragma once

#include <glib.h>

#include "tb-understanding.h"

G_BEGIN_DECLS

typedef struct _TbIntentMatcher TbIntentMatcher;

/* What a match found; the strings belong to the matcher (or the understanding). */
typedef struct {
  const char *intent;      /* NULL: no match */
  const char *phrase;      /* the phrase or keyword that matched (NULL for DTMF and built-ins) */
  const char *rule;        /* why: "phrase 'tell me more'", "en/opt_out/never-call", "DTMF 9" */
  double      confidence;  /* 0..1; 0 on no match */
  gboolean    confirm;     /* an opt-out heard but not certain: ask once (COMPLIANCE.md R2) */
} TbIntentMatch;

/* A matcher over the default understanding (tb_understanding_get_default()). */
TbIntentMatcher *tb_intent_matcher_new          (void);
TbIntentMatcher *tb_intent_matcher_new_for_understanding (TbUnderstanding *understanding);
TbIntentMatcher *tb_intent_matcher_ref          (TbIntentMatcher    *self);
void             tb_intent_matcher_unref        (TbIntentMatcher    *self);

/* Adds (or extends) @intent. @phrases and @keywords may be NULL; @dtmf is a
 * string of digits (any of them selects the intent), or NULL. Phrases give a
 * higher confidence than keywords. @priority breaks ties between intents that
 * both match: higher wins (the dialog gives opt-out the highest). */
void             tb_intent_matcher_add          (TbIntentMatcher    *self,
                                                 const char         *intent,
                                                 const char * const *phrases,
                                                 const char * const *keywords,
                                                 const char         *dtmf,
                                                 int                 priority);
/* @intent is also selected by the understanding's built-in intent @builtin. FALSE when the
 * understanding has no such intent. */
gboolean         tb_intent_matcher_add_builtin  (TbIntentMatcher    *self,
                                                 const char         *intent,
                                                 const char         *builtin);
gboolean         tb_intent_matcher_has_intent   (TbIntentMatcher    *self,
                                                 const char         *intent);

/* Matches @text against the intents named in @allowed (NULL: all). Returns
 * TRUE and fills @match when an intent matched; FALSE (match->intent NULL)
 * otherwise. Priority wins; then a sure match over one to confirm; then the
 * longer match (a phrase over a keyword). */
gboolean         tb_intent_matcher_match        (TbIntentMatcher    *self,
                                                 const char         *text,
                                                 const char * const *allowed,
                                                 TbIntentMatch      *match);
gboolean         tb_intent_matcher_match_dtmf   (TbIntentMatcher    *self,
                                                 char                digit,
                                                 const char * const *allowed,
                                                 TbIntentMatch      *match);

/* The normalized form used for matching (tb_understanding_normalize() of the default
 * understanding). Free with g_free(). */
char            *tb_intent_normalize            (const char         *text);

/* The regulatory opt-out phrases of COMPLIANCE.md R2 (English and Chinese): examples the
 * built-in opt-out understands, kept for grammars and the editor. */
const char * const *tb_intent_default_opt_out_phrases (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbIntentMatcher, tb_intent_matcher_unref)

G_END_DECLS
