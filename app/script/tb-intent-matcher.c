/* tb-intent-matcher.c — free text and DTMF to a script intent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-intent-matcher"

#include "config.h"

#include "tb-intent-matcher.h"

#include <string.h>

typedef struct {
  char      *text;       /* normalized, for reporting */
  char      *rule;       /* "phrase 'tell me more'" */
  TbPattern *pattern;
  gboolean   keyword;
  gboolean   negative;   /* "not interested", 不需要: a negation before it does not undo it */
} Phrase;

typedef struct {
  char      *name;
  GPtrArray *phrases;    /* Phrase */
  GPtrArray *builtins;   /* char *: built-in intents of the understanding */
  char      *dtmf;
  int        priority;
} Intent;

struct _TbIntentMatcher
{
  gatomicrefcount  ref_count;
  TbUnderstanding *understanding;
  GPtrArray       *intents;   /* Intent, in the order added */
  GHashTable      *by_name;   /* borrowed Intent */
};

/* Examples of what the built-in opt-out understands (COMPLIANCE.md R2's list). */
static const char * const opt_out_phrases[] = {
  "stop", "stop calling", "stop calling me", "remove me", "remove my number",
  "take me off your list", "take me off the list", "don't call", "don't call me",
  "do not call", "do not call me", "unsubscribe", "not interested",
  "不要再打", "别打了", "别再打", "不需要", "不感兴趣", "拒绝",
  "把我号码删掉", "删掉我的号码",
  "投诉", "不要打了",
  NULL
};

static void
phrase_free (gpointer data)
{
  Phrase *p = data;

  g_free (p->text);
  g_free (p->rule);
  tb_pattern_free (p->pattern);
  g_free (p);
}

static void
intent_free (gpointer data)
{
  Intent *i = data;

  g_free (i->name);
  g_ptr_array_unref (i->phrases);
  g_ptr_array_unref (i->builtins);
  g_free (i->dtmf);
  g_free (i);
}

char *
tb_intent_normalize (const char *text)
{
  return tb_understanding_normalize (tb_understanding_get_default (), text);
}

const char * const *
tb_intent_default_opt_out_phrases (void)
{
  return opt_out_phrases;
}

TbIntentMatcher *
tb_intent_matcher_new_for_understanding (TbUnderstanding *understanding)
{
  TbIntentMatcher *self = g_new0 (TbIntentMatcher, 1);

  g_return_val_if_fail (understanding != NULL, NULL);
  g_atomic_ref_count_init (&self->ref_count);
  self->understanding = tb_understanding_ref (understanding);
  self->intents = g_ptr_array_new_with_free_func (intent_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

TbIntentMatcher *
tb_intent_matcher_new (void)
{
  return tb_intent_matcher_new_for_understanding (tb_understanding_get_default ());
}

TbIntentMatcher *
tb_intent_matcher_ref (TbIntentMatcher *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tb_intent_matcher_unref (TbIntentMatcher *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_hash_table_unref (self->by_name);
  g_ptr_array_unref (self->intents);
  tb_understanding_unref (self->understanding);
  g_free (self);
}

static Intent *
ensure_intent (TbIntentMatcher *self,
               const char      *name)
{
  Intent *i = g_hash_table_lookup (self->by_name, name);

  if (i == NULL) {
    i = g_new0 (Intent, 1);
    i->name = g_strdup (name);
    i->phrases = g_ptr_array_new_with_free_func (phrase_free);
    i->builtins = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (self->intents, i);
    g_hash_table_insert (self->by_name, i->name, i);
  }
  return i;
}

static void
add_phrases (TbIntentMatcher    *self,
             Intent             *intent,
             const char * const *list,
             gboolean            keyword)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++) {
    g_autoptr(GPtrArray) tokens = tb_understanding_tokenize (self->understanding, list[i]);
    g_autofree char *norm = tb_understanding_normalize (self->understanding, list[i]);
    TbPattern *pattern;
    Phrase *p;
    gboolean dup = FALSE;

    if (*norm == '\0')
      continue;
    for (guint j = 0; j < intent->phrases->len && !dup; j++) {
      Phrase *q = g_ptr_array_index (intent->phrases, j);
      dup = g_str_equal (q->text, norm) && q->keyword == keyword;
    }
    pattern = dup ? NULL : tb_pattern_new_literal (self->understanding, list[i]);
    if (pattern == NULL)
      continue;
    p = g_new0 (Phrase, 1);
    p->keyword = keyword;
    p->pattern = pattern;
    p->rule = g_strdup_printf ("%s '%s'", keyword ? "keyword" : "phrase", norm);
    /* "not interested", "do not call", 不需要: negative themselves, within two words. */
    for (guint k = 0; k < MIN (tokens->len, 2) && !p->negative; k++)
      p->negative = tb_understanding_is_negator (self->understanding,
                                                 g_ptr_array_index (tokens, k));
    p->text = g_steal_pointer (&norm);
    g_ptr_array_add (intent->phrases, p);
  }
}

void
tb_intent_matcher_add (TbIntentMatcher    *self,
                       const char         *intent,
                       const char * const *phrases,
                       const char * const *keywords,
                       const char         *dtmf,
                       int                 priority)
{
  Intent *i;

  g_return_if_fail (self != NULL);
  g_return_if_fail (intent != NULL);

  i = ensure_intent (self, intent);
  i->priority = MAX (i->priority, priority);
  add_phrases (self, i, phrases, FALSE);
  add_phrases (self, i, keywords, TRUE);
  if (dtmf != NULL && *dtmf != '\0') {
    char *joined = g_strconcat (i->dtmf ? i->dtmf : "", dtmf, NULL);

    g_free (i->dtmf);
    i->dtmf = joined;
  }
}

gboolean
tb_intent_matcher_add_builtin (TbIntentMatcher *self,
                               const char      *intent,
                               const char      *builtin)
{
  Intent *i;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (intent != NULL && builtin != NULL, FALSE);
  if (!tb_understanding_has_intent (self->understanding, builtin))
    return FALSE;
  i = ensure_intent (self, intent);
  for (guint k = 0; k < i->builtins->len; k++)
    if (g_str_equal (g_ptr_array_index (i->builtins, k), builtin))
      return TRUE;
  g_ptr_array_add (i->builtins, g_strdup (builtin));
  return TRUE;
}

gboolean
tb_intent_matcher_has_intent (TbIntentMatcher *self,
                              const char      *intent)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return intent != NULL && g_hash_table_contains (self->by_name, intent);
}

static gboolean
allowed_has (const char * const *allowed,
             const char         *name)
{
  return allowed == NULL || g_strv_contains (allowed, name);
}

/* A candidate reading of the text. */
typedef struct {
  Intent     *intent;
  const char *phrase;
  const char *rule;
  double      confidence;
  gboolean    confirm;
  gboolean    keyword;
  guint       length;     /* tokens matched */
} Candidate;

static gboolean
candidate_better (const Candidate *c,
                  const Candidate *best)
{
  if (best->intent == NULL)
    return TRUE;
  if (c->intent->priority != best->intent->priority)
    return c->intent->priority > best->intent->priority;
  if (c->confirm != best->confirm)
    return !c->confirm;
  if (c->length != best->length)
    return c->length > best->length;
  return best->keyword && !c->keyword;
}

static guint
count_words (GPtrArray *tokens,
             guint      start,
             guint      end)
{
  guint n = 0;

  for (guint i = start; i < end && i < tokens->len; i++)
    n += !g_str_equal (g_ptr_array_index (tokens, i), TB_UNDERSTANDING_CLAUSE);
  return n;
}

/* The first occurrence of @p in @tokens that no negation undoes; its length in words. */
static guint
match_phrase (TbIntentMatcher *self,
              Phrase          *p,
              GPtrArray       *tokens)
{
  guint start, end;

  for (guint from = 0; tb_pattern_match_from (p->pattern, tokens, from, &start, &end);
       from = start + 1)
    if (p->negative || !tb_understanding_is_negated (self->understanding, tokens, start))
      return count_words (tokens, start, end);
  return 0;
}

gboolean
tb_intent_matcher_match (TbIntentMatcher    *self,
                         const char         *text,
                         const char * const *allowed,
                         TbIntentMatch      *match)
{
  g_autoptr(GPtrArray) tokens = NULL;
  Candidate best = { 0 };
  guint n_words;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (match != NULL, FALSE);

  memset (match, 0, sizeof *match);
  tokens = tb_understanding_tokenize (self->understanding, text);
  n_words = count_words (tokens, 0, tokens->len);
  if (n_words == 0)
    return FALSE;

  for (guint i = 0; i < self->intents->len; i++) {
    Intent *intent = g_ptr_array_index (self->intents, i);

    if (!allowed_has (allowed, intent->name))
      continue;
    for (guint j = 0; j < intent->phrases->len; j++) {
      Phrase *p = g_ptr_array_index (intent->phrases, j);
      Candidate c = { intent, p->text, p->rule, 0, FALSE, p->keyword, 0 };
      double share;

      c.length = match_phrase (self, p, tokens);
      if (c.length == 0)
        continue;
      /* The matched share of the words: all of them is certain. */
      share = MIN (1.0, (double) c.length / n_words);
      c.confidence = share >= 1.0 && !p->keyword ? 1.0 : (p->keyword ? 0.5 : 0.7) + 0.3 * share;
      if (candidate_better (&c, &best))
        best = c;
    }
    for (guint j = 0; j < intent->builtins->len; j++) {
      const char *only[] = { g_ptr_array_index (intent->builtins, j), NULL };
      TbUnderstood u;
      Candidate c = { intent, NULL, NULL, 0, FALSE, FALSE, 0 };

      if (!tb_understanding_match_tokens (self->understanding, tokens, only, &u))
        continue;
      c.rule = u.rule;
      c.confidence = u.confidence;
      c.confirm = u.confirm;
      c.length = count_words (tokens, u.start, u.end);
      if (candidate_better (&c, &best))
        best = c;
    }
  }
  if (best.intent == NULL)
    return FALSE;
  match->intent = best.intent->name;
  match->phrase = best.phrase;
  match->rule = best.rule;
  match->confidence = best.confidence;
  match->confirm = best.confirm;
  return TRUE;
}

gboolean
tb_intent_matcher_match_dtmf (TbIntentMatcher    *self,
                              char                digit,
                              const char * const *allowed,
                              TbIntentMatch      *match)
{
  static const char * const rules[] = {
    "DTMF 0", "DTMF 1", "DTMF 2", "DTMF 3", "DTMF 4", "DTMF 5", "DTMF 6", "DTMF 7", "DTMF 8",
    "DTMF 9",
  };
  Intent *best = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (match != NULL, FALSE);

  memset (match, 0, sizeof *match);
  if (digit == '\0')
    return FALSE;
  for (guint i = 0; i < self->intents->len; i++) {
    Intent *intent = g_ptr_array_index (self->intents, i);

    if (intent->dtmf == NULL || strchr (intent->dtmf, digit) == NULL ||
        !allowed_has (allowed, intent->name))
      continue;
    if (best == NULL || intent->priority > best->priority)
      best = intent;
  }
  if (best == NULL)
    return FALSE;
  match->intent = best->name;
  match->rule = g_ascii_isdigit (digit) ? rules[digit - '0'] : "DTMF";
  match->confidence = 1.0;
  return TRUE;
}
