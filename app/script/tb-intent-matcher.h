/* tb-intent-matcher.h — free text and DTMF to a script intent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure logic (DESIGN.md §4): the recognizer gives text, the matcher names the
 * intent. Text is normalized (NFKC so full-width forms become half-width,
 * case-folded, punctuation to spaces, whitespace collapsed). English phrases
 * match on word boundaries; phrases with Chinese (CJK) characters match as
 * substrings without word boundaries. A match preceded by a negation ("not",
 * "don't", "no", "never"…; 不, 没, 别, 无, 未) does not count, so "not
 * interested" never matches "interested" and 不需要 never matches 需要.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TbIntentMatcher TbIntentMatcher;

/* What a match found; the strings belong to the matcher. */
typedef struct {
  const char *intent;      /* NULL: no match */
  const char *phrase;      /* the phrase or keyword that matched (NULL for DTMF) */
  double      confidence;  /* 0..1; 0 on no match */
} TbIntentMatch;

TbIntentMatcher *tb_intent_matcher_new          (void);
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
gboolean         tb_intent_matcher_has_intent   (TbIntentMatcher    *self,
                                                 const char         *intent);

/* Matches @text against the intents named in @allowed (NULL: all). Returns
 * TRUE and fills @match when an intent matched; FALSE (match->intent NULL)
 * otherwise. The longest non-negated phrase wins; priority breaks ties and
 * beats length. */
gboolean         tb_intent_matcher_match        (TbIntentMatcher    *self,
                                                 const char         *text,
                                                 const char * const *allowed,
                                                 TbIntentMatch      *match);
gboolean         tb_intent_matcher_match_dtmf   (TbIntentMatcher    *self,
                                                 char                digit,
                                                 const char * const *allowed,
                                                 TbIntentMatch      *match);

/* The normalized form used for matching: NFKC, case-folded, punctuation to
 * spaces, one space between words. Free with g_free(). */
char            *tb_intent_normalize            (const char         *text);

/* The regulatory opt-out phrases of COMPLIANCE.md R2 (English and Chinese). */
const char * const *tb_intent_default_opt_out_phrases (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbIntentMatcher, tb_intent_matcher_unref)

G_END_DECLS
