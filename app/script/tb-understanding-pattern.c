/* tb-understanding-pattern.c — the pattern language of the lexicons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pattern is a sequence of items separated by spaces (data/understanding/README.md):
 *
 *   words       matched as normalized tokens in a row: `take me off`, `不要再打`
 *   @class      any entry of a word class (entries are patterns themselves)
 *   (a | b c)   one of the alternatives        [a | b]  optionally one of them
 *   ~N          up to N tokens of anything, inside the clause (0 <= N <= 9)
 *   ^  $        the start, the end of a clause
 *   ^^  $$      the start, the end of the whole utterance
 *   ,           a clause mark may stand here
 *
 * Matching computes, for a start token, the set of positions where the pattern can end
 * (small sets: utterances are at most TB_UNDERSTANDING_MAX_TOKENS tokens).
 */
#define G_LOG_DOMAIN "tb-understanding"

#include "config.h"

#include "tb-understanding-private.h"

#include <string.h>

#define MAX_DEPTH 24
#define MAX_PATTERN 4096

typedef enum {
  NODE_WORD,
  NODE_CLASS,
  NODE_ALT,
  NODE_OPT,
  NODE_GAP,
  NODE_START,
  NODE_END,
  NODE_PAUSE,    /* between a phrase's words: a clause mark may stand there */
  NODE_FIRST,    /* the start of the utterance */
  NODE_LAST,     /* the end of the utterance */
} NodeKind;

typedef struct {
  NodeKind     kind;
  char        *word;      /* NODE_WORD */
  TbWordClass *cls;       /* NODE_CLASS (borrowed from the understanding) */
  GPtrArray   *alts;      /* NODE_ALT, NODE_OPT: GPtrArray* sequences of Node* */
  guint        gap;       /* NODE_GAP */
} Node;

struct _TbPattern
{
  GPtrArray *seq;         /* Node* */
};

typedef struct {
  GPtrArray *tokens;
  guint      n;
  guint      depth;
} Ctx;

static void
node_free (gpointer data)
{
  Node *node = data;

  g_free (node->word);
  g_clear_pointer (&node->alts, g_ptr_array_unref);
  g_free (node);
}

static GPtrArray *
seq_new (void)
{
  return g_ptr_array_new_with_free_func (node_free);
}

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  return node;
}

void
tb_pattern_free (TbPattern *pattern)
{
  if (pattern == NULL)
    return;
  g_ptr_array_unref (pattern->seq);
  g_free (pattern);
}

/* ---- compiling -------------------------------------------------------- */

typedef struct {
  TbUnderstanding *self;
  const char      *source;
  const char      *p;
} Parser;

static gboolean
is_special (char c)
{
  return c == '(' || c == ')' || c == '[' || c == ']' || c == '|' || c == ',';
}

static void
skip_spaces (Parser *ps)
{
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
    ps->p++;
}

static gboolean parse_seq (Parser    *ps,
                           GPtrArray *seq,
                           GError   **error);

/* One or more alternatives up to @close; the opening bracket is consumed. */
static GPtrArray *
parse_alts (Parser  *ps,
            char     close,
            GError **error)
{
  g_autoptr(GPtrArray) alts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  for (;;) {
    GPtrArray *seq = seq_new ();

    g_ptr_array_add (alts, seq);
    if (!parse_seq (ps, seq, error))
      return NULL;
    if (*ps->p == '|') {
      ps->p++;
      continue;
    }
    if (*ps->p != close) {
      g_set_error (error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_INVALID,
                   "pattern \"%s\": missing \"%c\"", ps->source, close);
      return NULL;
    }
    ps->p++;
    return g_steal_pointer (&alts);
  }
}

static gboolean
parse_word (Parser    *ps,
            GPtrArray *seq,
            GError   **error)
{
  const char *start = ps->p;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  guint n_words = 0, n_required = 0;

  while (*ps->p && *ps->p != ' ' && *ps->p != '\t' && *ps->p != '\n' && !is_special (*ps->p))
    ps->p++;
  text = g_strndup (start, ps->p - start);
  tokens = _tb_understanding_split (ps->self, text, TRUE);
  for (guint i = 0; i < tokens->len; i++) {
    const char *t = g_ptr_array_index (tokens, i);

    if (g_str_equal (t, TB_UNDERSTANDING_CLAUSE) || g_hash_table_contains (ps->self->fillers, t))
      continue;
    n_words++;
    n_required += !g_hash_table_contains (ps->self->particles, t);
  }
  if (n_words > 1 && n_required == 1 && _tb_token_is_cjk (text)) {
    /* 得了吧 would be 得 once its particles turn optional: a trap, refused. */
    g_set_error (error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_INVALID,
                 "pattern \"%s\": \"%s\" is one character once its particles (which the "
                 "callee may leave out) are optional: write more of it", ps->source, text);
    return FALSE;
  }

  for (guint i = 0; i < tokens->len; i++) {
    const char *t = g_ptr_array_index (tokens, i);
    Node *node;

    if (g_str_equal (t, TB_UNDERSTANDING_CLAUSE) || g_hash_table_contains (ps->self->fillers, t))
      continue;   /* the callee's fillers are gone before matching */
    node = node_new (NODE_WORD);
    node->word = g_strdup (t);
    if (g_hash_table_contains (ps->self->particles, t)) {
      /* 别说了: the callee's 了 is gone at a clause's end, there elsewhere. */
      Node *opt = node_new (NODE_OPT);
      GPtrArray *alt = seq_new ();

      g_ptr_array_add (alt, node);
      opt->alts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      g_ptr_array_add (opt->alts, alt);
      node = opt;
    }
    g_ptr_array_add (seq, node);
  }
  return TRUE;
}

static gboolean
parse_seq (Parser    *ps,
           GPtrArray *seq,
           GError   **error)
{
  for (;;) {
    Node *node;

    skip_spaces (ps);
    if (*ps->p == '\0' || *ps->p == '|' || *ps->p == ')' || *ps->p == ']')
      return TRUE;
    switch (*ps->p) {
    case '(':
    case '[': {
      gboolean opt = *ps->p == '[';
      GPtrArray *alts;

      ps->p++;
      alts = parse_alts (ps, opt ? ']' : ')', error);
      if (alts == NULL)
        return FALSE;
      node = node_new (opt ? NODE_OPT : NODE_ALT);
      node->alts = alts;
      g_ptr_array_add (seq, node);
      break;
    }
    case '@': {
      const char *start = ++ps->p;
      g_autofree char *name = NULL;
      TbWordClass *cls;

      while (g_ascii_isalnum (*ps->p) || *ps->p == '_' || *ps->p == '-')
        ps->p++;
      name = g_strndup (start, ps->p - start);
      cls = g_hash_table_lookup (ps->self->classes, name);
      if (cls == NULL) {
        g_set_error (error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_INVALID,
                     "pattern \"%s\": unknown word class \"@%s\"", ps->source, name);
        return FALSE;
      }
      node = node_new (NODE_CLASS);
      node->cls = cls;
      g_ptr_array_add (seq, node);
      break;
    }
    case '~':
      ps->p++;
      if (!g_ascii_isdigit (*ps->p)) {
        g_set_error (error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_INVALID,
                     "pattern \"%s\": \"~\" needs a number of words (0-9)", ps->source);
        return FALSE;
      }
      if (g_ascii_isdigit (ps->p[1])) {
        /* "~10" would read as a gap of 1 and a word "0": refused, not misread. */
        g_set_error (error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_INVALID,
                     "pattern \"%s\": a gap \"~\" is 0 to 9 words", ps->source);
        return FALSE;
      }
      node = node_new (NODE_GAP);
      node->gap = *ps->p++ - '0';
      g_ptr_array_add (seq, node);
      break;
    case ',':
      /* a clause mark may stand here ("now, call after five") */
      ps->p++;
      g_ptr_array_add (seq, node_new (NODE_PAUSE));
      break;
    case '^':
    case '$': {
      gboolean twice = ps->p[1] == ps->p[0];

      node = node_new (*ps->p == '^' ? (twice ? NODE_FIRST : NODE_START)
                                     : (twice ? NODE_LAST : NODE_END));
      ps->p += twice ? 2 : 1;
      g_ptr_array_add (seq, node);
      break;
    }
    default: {
      const char *word = ps->p;

      if (!parse_word (ps, seq, error))
        return FALSE;
      if (seq->len == 0) {
        /* An alternative that is all fillers would match anything: refuse it. */
        g_autofree char *text = g_strndup (word, ps->p - word);

        g_set_error (error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_INVALID,
                     "pattern \"%s\": \"%s\" is only fillers or punctuation, which are "
                     "removed before matching", ps->source, text);
        return FALSE;
      }
      break;
    }
    }
  }
}

/* A script's phrase: normalized as the callee's words are (fillers, particles and all), its
 * words in a row, a clause mark allowed between them ("no, thanks" is "no thanks"). */
static GPtrArray *
compile_phrase (TbUnderstanding *self,
                const char      *phrase)
{
  g_autoptr(GPtrArray) tokens = _tb_understanding_split (self, phrase, FALSE);
  GPtrArray *seq = seq_new ();

  for (guint i = 0; i < tokens->len; i++) {
    const char *t = g_ptr_array_index (tokens, i);
    Node *node;

    if (g_str_equal (t, TB_UNDERSTANDING_CLAUSE))
      continue;
    if (seq->len > 0)
      g_ptr_array_add (seq, node_new (NODE_PAUSE));
    node = node_new (NODE_WORD);
    node->word = g_strdup (t);
    g_ptr_array_add (seq, node);
  }
  return seq;
}

TbPattern *
_tb_pattern_compile (TbUnderstanding *self,
                     const char      *pattern,
                     gboolean         phrase,
                     GError         **error)
{
  Parser ps = { self, pattern, pattern };
  g_autoptr(GPtrArray) seq = seq_new ();
  TbPattern *result;

  if (strlen (pattern) > MAX_PATTERN) {
    g_set_error (error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_INVALID,
                 "a pattern is longer than %d characters", MAX_PATTERN);
    return NULL;
  }
  if (phrase) {
    g_ptr_array_unref (seq);
    seq = compile_phrase (self, pattern);
  } else {
    /* The top level may hold alternatives too: "a | b c" is "(a | b c)". */
    g_autoptr(GPtrArray) alts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

    for (;;) {
      GPtrArray *alt = seq_new ();

      g_ptr_array_add (alts, alt);
      if (!parse_seq (&ps, alt, error))
        return NULL;
      if (*ps.p != '|')
        break;
      ps.p++;
    }
    if (*ps.p != '\0') {
      g_set_error (error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_INVALID,
                   "pattern \"%s\": unexpected \"%c\"", pattern, *ps.p);
      return NULL;
    }
    if (alts->len == 1) {
      g_ptr_array_unref (seq);
      seq = g_ptr_array_steal_index (alts, 0);
    } else {
      Node *node = node_new (NODE_ALT);

      node->alts = g_steal_pointer (&alts);
      g_ptr_array_add (seq, node);
    }
  }
  result = g_new0 (TbPattern, 1);
  result->seq = g_steal_pointer (&seq);
  return result;
}

TbPattern *
tb_pattern_new (TbUnderstanding *self,
                const char      *pattern,
                GError         **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (pattern != NULL, NULL);
  return _tb_pattern_compile (self, pattern, FALSE, error);
}

TbPattern *
tb_pattern_new_literal (TbUnderstanding *self,
                        const char      *phrase)
{
  TbPattern *p;

  g_return_val_if_fail (self != NULL, NULL);
  p = _tb_pattern_compile (self, phrase ? phrase : "", TRUE, NULL);
  if (p != NULL && p->seq->len == 0)
    g_clear_pointer (&p, tb_pattern_free);
  return p;
}

/* ---- matching --------------------------------------------------------- */

static gboolean
token_is_clause (Ctx  *c,
                 guint pos)
{
  return g_str_equal (g_ptr_array_index (c->tokens, pos), TB_UNDERSTANDING_CLAUSE);
}

static void seq_ends (Ctx       *c,
                      GPtrArray *seq,
                      guint      i,
                      guint      pos,
                      guint8    *ends);

static void
alts_ends (Ctx       *c,
           GPtrArray *alts,
           guint      pos,
           guint8    *ends)
{
  for (guint a = 0; a < alts->len; a++)
    seq_ends (c, g_ptr_array_index (alts, a), 0, pos, ends);
}

/* Sets ends[e] for every e where @node, starting at @pos, can end. */
static void
node_ends (Ctx    *c,
           Node   *node,
           guint   pos,
           guint8 *ends)
{
  switch (node->kind) {
  case NODE_WORD:
    if (pos < c->n && g_str_equal (g_ptr_array_index (c->tokens, pos), node->word))
      ends[pos + 1] = 1;
    break;
  case NODE_CLASS:
    if (c->depth >= MAX_DEPTH)
      break;
    c->depth++;
    for (guint i = 0; i < node->cls->entries->len; i++)
      seq_ends (c, ((TbPattern *) g_ptr_array_index (node->cls->entries, i))->seq, 0, pos, ends);
    c->depth--;
    break;
  case NODE_ALT:
    alts_ends (c, node->alts, pos, ends);
    break;
  case NODE_OPT:
    ends[pos] = 1;
    alts_ends (c, node->alts, pos, ends);
    break;
  case NODE_GAP:
    for (guint k = 0; k <= node->gap && pos + k <= c->n; k++) {
      ends[pos + k] = 1;
      if (pos + k < c->n && token_is_clause (c, pos + k))
        break;
    }
    break;
  case NODE_START:
    if (pos == 0 || token_is_clause (c, pos - 1))
      ends[pos] = 1;
    break;
  case NODE_END:
    if (pos == c->n || token_is_clause (c, pos))
      ends[pos] = 1;
    break;
  case NODE_PAUSE:
    ends[pos] = 1;
    if (pos < c->n && token_is_clause (c, pos))
      ends[pos + 1] = 1;
    break;
  case NODE_FIRST:
    if (pos == 0)
      ends[pos] = 1;
    break;
  case NODE_LAST:
    if (pos == c->n)
      ends[pos] = 1;
    break;
  default:
    g_assert_not_reached ();
  }
}

static void
seq_ends (Ctx       *c,
          GPtrArray *seq,
          guint      i,
          guint      pos,
          guint8    *ends)
{
  guint8 here[TB_UNDERSTANDING_MAX_TOKENS + 2] = { 0 };

  if (i == seq->len) {
    ends[pos] = 1;
    return;
  }
  node_ends (c, g_ptr_array_index (seq, i), pos, here);
  for (guint e = pos; e <= c->n; e++)
    if (here[e])
      seq_ends (c, seq, i + 1, e, ends);
}

static guint
token_count (GPtrArray *tokens)
{
  return MIN (tokens->len, TB_UNDERSTANDING_MAX_TOKENS);
}

gboolean
tb_pattern_match_from (TbPattern *pattern,
                       GPtrArray *tokens,
                       guint      from,
                       guint     *start,
                       guint     *end)
{
  Ctx c = { tokens, 0, 0 };

  g_return_val_if_fail (pattern != NULL, FALSE);
  g_return_val_if_fail (tokens != NULL, FALSE);
  c.n = token_count (tokens);
  for (guint s = from; s < c.n; s++) {
    guint8 ends[TB_UNDERSTANDING_MAX_TOKENS + 2] = { 0 };

    if (token_is_clause (&c, s))
      continue;
    seq_ends (&c, pattern->seq, 0, s, ends);
    for (guint e = c.n; e > s; e--)
      if (ends[e]) {
        if (start != NULL)
          *start = s;
        if (end != NULL)
          *end = e;
        return TRUE;
      }
  }
  return FALSE;
}

gboolean
tb_pattern_match (TbPattern *pattern,
                  GPtrArray *tokens,
                  guint     *start,
                  guint     *end)
{
  return tb_pattern_match_from (pattern, tokens, 0, start, end);
}

gboolean
_tb_pattern_overlaps (TbPattern *pattern,
                      GPtrArray *tokens,
                      guint      start,
                      guint      end)
{
  Ctx c = { tokens, 0, 0 };

  c.n = token_count (tokens);
  for (guint s = 0; s < c.n; s++) {
    guint8 ends[TB_UNDERSTANDING_MAX_TOKENS + 2] = { 0 };

    if (token_is_clause (&c, s))
      continue;
    seq_ends (&c, pattern->seq, 0, s, ends);
    for (guint e = s + 1; e <= c.n; e++)
      if (ends[e] && s < end && e > start)
        return TRUE;
  }
  return FALSE;
}
