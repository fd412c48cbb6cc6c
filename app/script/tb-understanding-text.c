/* tb-understanding-text.c — a callee's words as normalized tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NFKC (full-width forms become half-width), case folding, apostrophes dropped ("don't" is
 * "dont", which the lexicon rewrites to "do not"), clause marks (. , ; : ! ? 。 、 …) become
 * TB_UNDERSTANDING_CLAUSE, all other punctuation and symbols separate words. Latin text
 * gives a token per word, Chinese a token per character (traditional characters mapped to
 * simplified, then Cantonese forms to their Mandarin meaning). Then: letter runs shortened ("noooo" = "no"), rewrites, fillers and
 * clause-final particles removed, and a word or a group of up to four repeated in a row kept
 * once ("stop stop stop", 别打了别打了).
 */
#define G_LOG_DOMAIN "tb-understanding"

#include "config.h"

#include "tb-understanding-private.h"

#include <string.h>

#define MAX_REPEAT_GROUP 4

gboolean
_tb_char_is_cjk (gunichar c)
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

gboolean
_tb_token_is_cjk (const char *token)
{
  return token != NULL && *token != '\0' && _tb_char_is_cjk (g_utf8_get_char (token));
}

static gboolean
is_clause_mark (gunichar c)
{
  /* . , ; : ! ? and the ideographic full stop, comma, the ellipsis. */
  return c != 0 && g_utf8_strchr (".,;:!?\xe3\x80\x82\xe3\x80\x81\xe2\x80\xa6", -1, c) != NULL;
}

/* A space between two Chinese characters is where a speech recognizer (or a person typing
 * without punctuation) ends a clause: 长点记性 别再打了 is not 记性别 (性别) 再打. */
static gboolean
between_cjk (GPtrArray  *tokens,
             GString    *word,
             const char *space)
{
  const char *next = space;

  if (word->len > 0 || tokens->len == 0 ||
      !_tb_char_is_cjk (g_utf8_get_char (g_ptr_array_index (tokens, tokens->len - 1))))
    return FALSE;
  while (*next && g_unichar_isspace (g_utf8_get_char (next)))
    next = g_utf8_next_char (next);
  return *next && _tb_char_is_cjk (g_utf8_get_char (next));
}

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x02bc;
}

static gboolean
is_separator (gunichar c)
{
  GUnicodeType t = g_unichar_type (c);

  return g_unichar_isspace (c) || g_unichar_ispunct (c) || !g_unichar_isgraph (c) ||
         t == G_UNICODE_MATH_SYMBOL || t == G_UNICODE_OTHER_SYMBOL ||
         t == G_UNICODE_MODIFIER_SYMBOL || t == G_UNICODE_CURRENCY_SYMBOL;
}

static gboolean
is_clause (const char *token)
{
  return g_str_equal (token, TB_UNDERSTANDING_CLAUSE);
}

/* "noooo" -> "no", "pleeease" -> "please": a letter three times or more in a row is once
 * (digits are kept: 12321 is a number). */
static char *
shorten_runs (const char *word)
{
  GString *out = g_string_new (NULL);
  const char *p = word;

  while (*p) {
    gunichar c = g_utf8_get_char (p);
    const char *q = p;
    guint run = 0;

    while (*q && g_utf8_get_char (q) == c) {
      q = g_utf8_next_char (q);
      run++;
    }
    for (guint i = 0; i < (run >= 3 && !g_unichar_isdigit (c) ? 1 : run); i++)
      g_string_append_unichar (out, c);
    p = q;
  }
  return g_string_free (out, FALSE);
}

static char *
strip_apostrophes (const char *word)
{
  GString *out = g_string_new (NULL);

  for (const char *p = word; *p; p++)
    if (*p != '\'')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
push_word (TbUnderstanding *self,
           GPtrArray       *tokens,
           GString         *word)
{
  g_autofree char *w = NULL;
  GStrv rewrite;

  if (word->len == 0)
    return;
  w = shorten_runs (word->str);
  g_string_truncate (word, 0);
  rewrite = g_hash_table_lookup (self->rewrite, w);
  if (rewrite == NULL && strchr (w, '\'') != NULL) {
    /* "we're" is "we are" but "were" is a word: contractions are looked up with their
     * apostrophe first, then without ("dont", as some recognizers write it). */
    char *bare = strip_apostrophes (w);

    g_free (w);
    w = bare;
    rewrite = g_hash_table_lookup (self->rewrite, w);
  }
  if (rewrite == NULL) {
    g_ptr_array_add (tokens, g_steal_pointer (&w));
    return;
  }
  for (guint i = 0; rewrite[i] != NULL; i++)
    g_ptr_array_add (tokens, g_strdup (rewrite[i]));
}

static void
push_clause (GPtrArray *tokens)
{
  if (tokens->len > 0 && !is_clause (g_ptr_array_index (tokens, tokens->len - 1)))
    g_ptr_array_add (tokens, g_strdup (TB_UNDERSTANDING_CLAUSE));
}

/* Removes multi-token fillers ("you know", "i mean") at a clause's start or end: in the
 * middle they are words ("how do you know my name"). */
static void
remove_filler_seqs (TbUnderstanding *self,
                    GPtrArray       *tokens)
{
  for (guint f = 0; f < self->filler_seqs->len; f++) {
    GStrv seq = g_ptr_array_index (self->filler_seqs, f);
    guint m = g_strv_length (seq);

    for (guint i = 0; m > 0 && i + m <= tokens->len;) {
      gboolean same = TRUE;
      gboolean at_start = i == 0 || is_clause (g_ptr_array_index (tokens, i - 1));
      gboolean at_end = i + m == tokens->len || is_clause (g_ptr_array_index (tokens, i + m));

      for (guint k = 0; k < m && same; k++)
        same = g_str_equal (g_ptr_array_index (tokens, i + k), seq[k]);
      if (same && (at_start || at_end))
        g_ptr_array_remove_range (tokens, i, m);
      else
        i++;
    }
  }
}

static gboolean
same_range (GPtrArray *tokens,
            guint      a,
            guint      b,
            guint      n)
{
  for (guint k = 0; k < n; k++)
    if (!g_str_equal (g_ptr_array_index (tokens, a + k), g_ptr_array_index (tokens, b + k)) ||
        is_clause (g_ptr_array_index (tokens, a + k)))
      return FALSE;
  return TRUE;
}

/* "stop stop stop" -> "stop"; 别打了别打了 -> 别打了; 别别别 -> 别: a group repeated in a row,
 * once. A single Chinese character only from three times on: 天天, 谢谢 and 看看 are words. */
static void
collapse_repeats (GPtrArray *tokens)
{
  for (guint n = 1; n <= MAX_REPEAT_GROUP; n++)
    for (guint i = 0; i + 2 * n <= tokens->len;) {
      gboolean twice = same_range (tokens, i, i + n, n);

      if (twice && n == 1 && _tb_token_is_cjk (g_ptr_array_index (tokens, i)))
        twice = i + 3 <= tokens->len && same_range (tokens, i, i + 2, 1);
      if (twice)
        g_ptr_array_remove_range (tokens, i + n, n);
      else
        i++;
    }
}

/* "stop! stop!": a clause the same as the one before it, once. */
static void
collapse_clauses (GPtrArray *tokens)
{
  guint prev = 0;    /* start of the previous clause */

  for (guint i = 0; i < tokens->len; i++) {
    guint len, prev_len;

    if (!is_clause (g_ptr_array_index (tokens, i)))
      continue;
    /* tokens[prev, i) is a clause; is the one after the mark the same? */
    prev_len = i - prev;
    len = 0;
    while (i + 1 + len < tokens->len && !is_clause (g_ptr_array_index (tokens, i + 1 + len)))
      len++;
    if (len == prev_len && len > 0 && same_range (tokens, prev, i + 1, len)) {
      g_ptr_array_remove_range (tokens, i, len + 1);
      i = prev;
      while (i < tokens->len && !is_clause (g_ptr_array_index (tokens, i)))
        i++;
      i--;
      continue;
    }
    prev = i + 1;
  }
}

static void
tidy_clauses (GPtrArray *tokens)
{
  for (guint i = 0; i < tokens->len;) {
    gboolean clause = is_clause (g_ptr_array_index (tokens, i));

    if (clause && (i == 0 || i + 1 == tokens->len ||
                   is_clause (g_ptr_array_index (tokens, i + 1))))
      g_ptr_array_remove_index (tokens, i);
    else
      i++;
  }
}

/* Particles (了 吧 呢 啦 …) end a clause: removed there, as often as they repeat. */
static void
remove_particles (TbUnderstanding *self,
                  GPtrArray       *tokens)
{
  for (guint i = tokens->len; i > 0; i--) {
    guint at = i - 1;
    gboolean at_end = at + 1 == tokens->len || is_clause (g_ptr_array_index (tokens, at + 1));

    if (at_end && g_hash_table_contains (self->particles, g_ptr_array_index (tokens, at)) &&
        at > 0 && !is_clause (g_ptr_array_index (tokens, at - 1)))
      g_ptr_array_remove_index (tokens, at);
  }
}

/* Traditional characters to simplified, in place of @text (consumed). */
static char *
simplify (TbUnderstanding *self,
          char            *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    gpointer simple = _tb_char_is_cjk (c) ? g_hash_table_lookup (self->t2s, GUINT_TO_POINTER (c))
                                          : NULL;

    g_string_append_unichar (out, simple != NULL ? GPOINTER_TO_UINT (simple) : c);
  }
  g_free (text);
  return g_string_free (out, FALSE);
}

GPtrArray *
_tb_understanding_split (TbUnderstanding *self,
                         const char      *text,
                         gboolean         literal)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  g_autoptr(GString) word = g_string_new (NULL);
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);

  if (text == NULL)
    return tokens;
  valid = g_utf8_make_valid (text, -1);
  nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return tokens;
  folded = simplify (self, g_utf8_casefold (nfkc, -1));

  for (const char *p = folded; *p && tokens->len < TB_UNDERSTANDING_MAX_TOKENS;
       p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (is_apostrophe (c)) {
      if (word->len > 0)
        g_string_append_c (word, '\'');
      continue;
    }
    if (is_clause_mark (c) || (g_unichar_isspace (c) && between_cjk (tokens, word, p))) {
      push_word (self, tokens, word);
      push_clause (tokens);
    } else if (is_separator (c)) {
      push_word (self, tokens, word);
    } else if (_tb_char_is_cjk (c)) {
      GPtrArray *forms = g_hash_table_lookup (self->dialect, GUINT_TO_POINTER (c));
      GStrv form = NULL;

      push_word (self, tokens, word);
      for (guint i = 0; forms != NULL && form == NULL && i < forms->len; i++) {
        if (g_str_has_prefix (p, ((GStrv) g_ptr_array_index (forms, i))[0]))
          form = g_ptr_array_index (forms, i);
      }
      if (form != NULL) {
        /* A dialect form (唔该, 唔) stands for what it means, a character a token. */
        for (const char *q = form[1]; *q && tokens->len < TB_UNDERSTANDING_MAX_TOKENS;
             q = g_utf8_next_char (q))
          g_ptr_array_add (tokens, g_utf8_substring (q, 0, 1));
        p = g_utf8_prev_char (p + strlen (form[0]));
      } else {
        char buf[8] = { 0 };

        g_unichar_to_utf8 (c, buf);
        g_ptr_array_add (tokens, g_strdup (buf));
      }
    } else {
      g_string_append_unichar (word, c);
    }
  }
  push_word (self, tokens, word);

  if (!literal) {
    remove_filler_seqs (self, tokens);
    for (guint i = 0; i < tokens->len;) {
      if (g_hash_table_contains (self->fillers, g_ptr_array_index (tokens, i)))
        g_ptr_array_remove_index (tokens, i);
      else
        i++;
    }
    tidy_clauses (tokens);
    collapse_repeats (tokens);
    remove_particles (self, tokens);
  }
  collapse_repeats (tokens);
  tidy_clauses (tokens);
  collapse_clauses (tokens);
  return tokens;
}

char *
_tb_tokens_join (GPtrArray *tokens,
                 guint      start,
                 guint      end)
{
  GString *out = g_string_new (NULL);
  gboolean last_cjk = FALSE;

  for (guint i = start; i < end && i < tokens->len; i++) {
    const char *t = g_ptr_array_index (tokens, i);
    gboolean cjk = _tb_token_is_cjk (t);

    if (is_clause (t)) {
      last_cjk = FALSE;   /* a space, not the mark, between clauses */
      continue;
    }
    if (out->len > 0 && !(cjk && last_cjk))
      g_string_append_c (out, ' ');
    g_string_append (out, t);
    last_cjk = cjk;
  }
  return g_string_free (out, FALSE);
}

char *
_tb_understanding_fold_word (const char *word)
{
  g_autofree char *nfkc = g_utf8_normalize (word, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = g_utf8_casefold (nfkc ? nfkc : "", -1);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (is_apostrophe (c))
      g_string_append_c (out, '\'');
    else if (!g_unichar_isspace (c))
      g_string_append_unichar (out, c);
  }
  return g_string_free (out, FALSE);
}

GPtrArray *
tb_understanding_tokenize (TbUnderstanding *self,
                           const char      *text)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _tb_understanding_split (self, text, FALSE);
}

char *
tb_understanding_normalize (TbUnderstanding *self,
                            const char      *text)
{
  g_autoptr(GPtrArray) tokens = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  tokens = _tb_understanding_split (self, text, FALSE);
  return _tb_tokens_join (tokens, 0, tokens->len);
}
