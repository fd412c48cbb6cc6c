/* tb-intent-matcher.c — free text and DTMF to a script intent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-intent-matcher"

#include "config.h"

#include "tb-intent-matcher.h"

#include <string.h>

/* A clause boundary inside the internal normalized form: negation does not
 * reach across it ("No. Yes, tell me more" is a yes). */
#define CLAUSE "|"

typedef struct {
  char     *text;        /* normalized */
  GStrv     tokens;      /* Latin phrases: the words */
  char     *cjk;         /* CJK phrases: without spaces */
  gboolean  keyword;
} Phrase;

typedef struct {
  char      *name;
  GPtrArray *phrases;    /* Phrase */
  char      *dtmf;
  int        priority;
} Intent;

struct _TbIntentMatcher
{
  gatomicrefcount  ref_count;
  GPtrArray       *intents;   /* Intent, in the order added */
  GHashTable      *by_name;   /* borrowed Intent */
};

static const char * const opt_out_phrases[] = {
  "stop", "stop calling", "stop calling me", "remove me", "remove my number",
  "take me off your list", "take me off the list", "don't call", "don't call me",
  "do not call", "do not call me", "unsubscribe", "not interested",
  "不要再打", "别打了", "别再打", "不需要", "不感兴趣", "拒绝",
  "把我号码删掉", "删掉我的号码",
  "投诉", "不要打了",
  NULL
};

static const char * const english_negators[] = {
  "not", "no", "dont", "never", "doesnt", "isnt", "wont", "cant", "cannot", "arent",
  "didnt", "wouldnt", "shouldnt", "nor", "neither", "hardly", "without",
  NULL
};

static void
phrase_free (gpointer data)
{
  Phrase *p = data;

  g_free (p->text);
  g_strfreev (p->tokens);
  g_free (p->cjk);
  g_free (p);
}

static void
intent_free (gpointer data)
{
  Intent *i = data;

  g_free (i->name);
  g_ptr_array_unref (i->phrases);
  g_free (i->dtmf);
  g_free (i);
}

static gboolean
is_cjk (gunichar c)
{
  switch (g_unichar_get_script (c)) {
  case G_UNICODE_SCRIPT_HAN:
  case G_UNICODE_SCRIPT_HIRAGANA:
  case G_UNICODE_SCRIPT_KATAKANA:
  case G_UNICODE_SCRIPT_HANGUL:
  case G_UNICODE_SCRIPT_BOPOMOFO:
    return TRUE;
  default:
    return FALSE;
  }
}

static gboolean
is_clause_mark (gunichar c)
{
  return c != 0 && g_utf8_strchr (".,;:!?\xe3\x80\x82\xe3\x80\x81\xe2\x80\xa6", -1, c) != NULL;
}

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x02bc;
}

/* NFKC, case-fold, punctuation to spaces (or clause marks), one space
 * between words, and a space wherever CJK and other text meet. */
static char *
normalize (const char *text,
           gboolean    clauses)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  GString *out;
  gboolean space = TRUE;     /* at start: drop leading spaces */
  int last_kind = 0;         /* 0 none, 1 cjk, 2 other */

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (nfkc, -1);

  out = g_string_new (NULL);
  for (const char *p = folded; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    int kind;

    if (is_apostrophe (c))
      continue;
    if (is_clause_mark (c) && clauses) {
      if (!space)
        g_string_append_c (out, ' ');
      /* One mark for a run of them. */
      if (out->len < 2 || strcmp (out->str + out->len - 2, CLAUSE " ") != 0)
        g_string_append (out, CLAUSE " ");
      space = TRUE;
      last_kind = 0;
      continue;
    }
    if (g_unichar_isspace (c) || g_unichar_ispunct (c) || !g_unichar_isgraph (c) ||
        g_unichar_type (c) == G_UNICODE_MATH_SYMBOL ||
        g_unichar_type (c) == G_UNICODE_OTHER_SYMBOL ||
        g_unichar_type (c) == G_UNICODE_MODIFIER_SYMBOL ||
        g_unichar_type (c) == G_UNICODE_CURRENCY_SYMBOL) {
      if (!space)
        g_string_append_c (out, ' ');
      space = TRUE;
      last_kind = 0;
      continue;
    }
    kind = is_cjk (c) ? 1 : 2;
    if (!space && last_kind != 0 && kind != last_kind)
      g_string_append_c (out, ' ');
    g_string_append_unichar (out, c);
    space = FALSE;
    last_kind = kind;
  }
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (clauses)
    while (out->len > 0 && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '|'))
      g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

char *
tb_intent_normalize (const char *text)
{
  return normalize (text, FALSE);
}

const char * const *
tb_intent_default_opt_out_phrases (void)
{
  return opt_out_phrases;
}

static gboolean
has_cjk (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (is_cjk (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static char *
strip_spaces (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s; s++)
    if (*s != ' ')
      g_string_append_c (out, *s);
  return g_string_free (out, FALSE);
}

TbIntentMatcher *
tb_intent_matcher_new (void)
{
  TbIntentMatcher *self = g_new0 (TbIntentMatcher, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->intents = g_ptr_array_new_with_free_func (intent_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
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
  g_free (self);
}

static void
add_phrases (Intent             *intent,
             const char * const *list,
             gboolean            keyword)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++) {
    g_autofree char *norm = normalize (list[i], FALSE);
    Phrase *p;
    gboolean dup = FALSE;

    if (*norm == '\0')
      continue;
    for (guint j = 0; j < intent->phrases->len && !dup; j++) {
      Phrase *q = g_ptr_array_index (intent->phrases, j);
      dup = g_str_equal (q->text, norm) && q->keyword == keyword;
    }
    if (dup)
      continue;
    p = g_new0 (Phrase, 1);
    p->keyword = keyword;
    if (has_cjk (norm))
      p->cjk = strip_spaces (norm);
    else
      p->tokens = g_strsplit (norm, " ", -1);
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

  i = g_hash_table_lookup (self->by_name, intent);
  if (i == NULL) {
    i = g_new0 (Intent, 1);
    i->name = g_strdup (intent);
    i->phrases = g_ptr_array_new_with_free_func (phrase_free);
    g_ptr_array_add (self->intents, i);
    g_hash_table_insert (self->by_name, i->name, i);
  }
  i->priority = MAX (i->priority, priority);
  add_phrases (i, phrases, FALSE);
  add_phrases (i, keywords, TRUE);
  if (dtmf != NULL && *dtmf != '\0') {
    char *joined = g_strconcat (i->dtmf ? i->dtmf : "", dtmf, NULL);

    g_free (i->dtmf);
    i->dtmf = joined;
  }
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

static gboolean
is_english_negator (const char *word)
{
  return g_strv_contains (english_negators, word);
}

/* A Latin phrase at token @start is negated when one of the three words
 * before it, in the same clause, is a negation. */
static gboolean
latin_negated (char **tokens,
               guint  start)
{
  for (guint back = 1; back <= 3 && back <= start; back++) {
    const char *w = tokens[start - back];

    if (g_str_equal (w, CLAUSE))
      return FALSE;
    if (is_english_negator (w))
      return TRUE;
  }
  return FALSE;
}

/* Finds the phrase's words as a run in @tokens; returns the matched length
 * in characters of the first non-negated occurrence, or 0. */
static gsize
match_latin (char   **tokens,
             Phrase  *p)
{
  guint n = g_strv_length (tokens);
  guint m = g_strv_length (p->tokens);

  for (guint i = 0; m > 0 && i + m <= n; i++) {
    gboolean same = TRUE;

    for (guint k = 0; k < m && same; k++)
      same = g_str_equal (tokens[i + k], p->tokens[k]);
    /* A phrase that is itself negative ("not interested", "don't call")
     * is not undone by "no" before it: ASR text has no commas. */
    if (same && (is_english_negator (p->tokens[0]) || !latin_negated (tokens, i)))
      return strlen (p->text);
  }
  return 0;
}

static gboolean
is_cjk_negator (gunichar c)
{
  return c == 0x4e0d /* 不 */ || c == 0x6ca1 /* 没 */ || c == 0x6c92 /* 沒 */ ||
         c == 0x522b /* 别 */ || c == 0x5225 /* 別 */ || c == 0x65e0 /* 无 */ ||
         c == 0x7121 /* 無 */ || c == 0x672a /* 未 */ || c == 0x975e /* 非 */;
}

/* A CJK phrase is negated by a negation among the two characters before it
 * in the same clause — except 不错 ("not bad"), which is praise, and the
 * A-not-A question (是不是, 有没有, 需不需要), which asks rather than denies. */
static gboolean
cjk_negated (const char *segment,
             const char *at)
{
  const char *p = at;

  for (int back = 0; back < 2 && p > segment; back++) {
    gunichar c;

    p = g_utf8_prev_char (p);
    c = g_utf8_get_char (p);
    if (is_cjk_negator (c)) {
      gunichar after = g_utf8_get_char (g_utf8_next_char (p));
      gunichar before = p > segment ? g_utf8_get_char (g_utf8_prev_char (p)) : 0;

      if (c == 0x4e0d && after == 0x9519 /* 错 */)
        continue;
      if (before != 0 && before == after)
        continue;
      return TRUE;
    }
  }
  return FALSE;
}

static gsize
match_cjk (GPtrArray *segments,
           Phrase    *p)
{
  for (guint s = 0; s < segments->len; s++) {
    const char *seg = g_ptr_array_index (segments, s);
    const char *at = seg;

    while ((at = strstr (at, p->cjk)) != NULL) {
      if (is_cjk_negator (g_utf8_get_char (p->cjk)) || !cjk_negated (seg, at))
        return strlen (p->cjk);
      at = g_utf8_next_char (at);
    }
  }
  return 0;
}

gboolean
tb_intent_matcher_match (TbIntentMatcher    *self,
                         const char         *text,
                         const char * const *allowed,
                         TbIntentMatch      *match)
{
  g_autofree char *norm = NULL;
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) seg = g_string_new (NULL);
  gsize text_len = 0;
  Intent *best = NULL;
  Phrase *best_phrase = NULL;
  gsize best_len = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (match != NULL, FALSE);

  match->intent = NULL;
  match->phrase = NULL;
  match->confidence = 0.0;

  norm = normalize (text, TRUE);
  if (*norm == '\0')
    return FALSE;
  tokens = g_strsplit (norm, " ", -1);
  for (guint i = 0; tokens[i] != NULL; i++) {
    if (g_str_equal (tokens[i], CLAUSE)) {
      g_ptr_array_add (segments, g_strdup (seg->str));
      g_string_truncate (seg, 0);
    } else {
      g_string_append (seg, tokens[i]);
      text_len += strlen (tokens[i]);
    }
  }
  g_ptr_array_add (segments, g_strdup (seg->str));

  for (guint i = 0; i < self->intents->len; i++) {
    Intent *intent = g_ptr_array_index (self->intents, i);

    if (!allowed_has (allowed, intent->name))
      continue;
    for (guint j = 0; j < intent->phrases->len; j++) {
      Phrase *p = g_ptr_array_index (intent->phrases, j);
      gsize len = p->cjk ? match_cjk (segments, p) : match_latin (tokens, p);

      if (len == 0)
        continue;
      if (best == NULL || intent->priority > best->priority ||
          (intent->priority == best->priority &&
           (len > best_len || (len == best_len && best_phrase->keyword && !p->keyword)))) {
        best = intent;
        best_phrase = p;
        best_len = len;
      }
    }
  }
  if (best == NULL)
    return FALSE;

  {
    /* Matched share of the text (spaces aside): all of it is certain. */
    gsize plen = best_phrase->cjk ? strlen (best_phrase->cjk) : strlen (best_phrase->text);
    gsize spaces = 0;
    double share;

    for (const char *q = best_phrase->text; *q; q++)
      spaces += *q == ' ';
    if (!best_phrase->cjk)
      plen -= spaces;
    share = text_len > 0 ? MIN (1.0, (double) plen / (double) text_len) : 0.0;
    match->confidence = (best_phrase->keyword ? 0.5 : 0.7) + 0.3 * share;
    if (share >= 1.0 && !best_phrase->keyword)
      match->confidence = 1.0;
  }
  match->intent = best->name;
  match->phrase = best_phrase->text;
  return TRUE;
}

gboolean
tb_intent_matcher_match_dtmf (TbIntentMatcher    *self,
                              char                digit,
                              const char * const *allowed,
                              TbIntentMatch      *match)
{
  Intent *best = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (match != NULL, FALSE);

  match->intent = NULL;
  match->phrase = NULL;
  match->confidence = 0.0;
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
  match->confidence = 1.0;
  return TRUE;
}
