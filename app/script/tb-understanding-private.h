/* tb-understanding-private.h — shared by tb-understanding*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tb-understanding.c          the object, lexicon loading, intents and rules
 * tb-understanding-text.c     normalization into tokens
 * tb-understanding-pattern.c  the pattern language: compile, match, expand to sentences
 */
#pragma once

#include "tb-understanding.h"

G_BEGIN_DECLS

/* Utterances longer than this many tokens are cut: speech turns are short, and the matcher's
 * cost grows with the length. */
#define TB_UNDERSTANDING_MAX_TOKENS 200

typedef struct {
  char      *name;
  GPtrArray *entries;      /* TbPattern*: any of them */
} TbWordClass;

typedef struct {
  char      *id;           /* "en/opt_out/never-call" */
  char      *language;     /* the lexicon's */
  TbPattern *pattern;
  double     confidence;
  gboolean   confirm;      /* a match is possible, not certain: ask */
  gboolean   ironic;       /* an unsure reading kept over an answer (yes, no) in the same words */
  gboolean   negatable;    /* a negation just before the match voids it */
  GPtrArray *unless;       /* TbPattern*: a match overlapping one of these voids the rule */
  GStrv      examples;     /* sentences it must understand: checked, and a grammar's phrases */
} TbRule;

typedef struct {
  char      *name;
  int        priority;
  gboolean   answer;       /* yes, no: when both are said, the later one is meant */
  GPtrArray *rules;        /* TbRule* */
  GPtrArray *except;       /* TbPattern*: voids any rule match it overlaps */
} TbBuiltinIntent;

struct _TbUnderstanding
{
  gatomicrefcount  ref_count;

  /* normalization, merged from every lexicon */
  GHashTable      *rewrite;      /* token -> GStrv of tokens ("dont" -> do, not) */
  GHashTable      *fillers;      /* token set: removed anywhere */
  GPtrArray       *filler_seqs;  /* GStrv: multi-token fillers ("you know") */
  GHashTable      *particles;    /* token set: removed at a clause's end */
  GHashTable      *negators;     /* token set */
  GPtrArray       *idioms;       /* GStrv: a negator that negates nothing ("no problem", 不错) */
  GHashTable      *t2s;          /* gunichar -> gunichar (GUINT_TO_POINTER) */
  GHashTable      *dialect;      /* first gunichar -> GPtrArray of GStrv {from, to}, longest
                                  * first: Cantonese → Mandarin (唔该 -> 谢谢, 唔 -> 不) */

  GHashTable      *classes;      /* name -> TbWordClass* (owned) */
  GPtrArray       *intents;      /* TbBuiltinIntent*, by falling priority */
};

/* tb-understanding-text.c */
/* @literal: a pattern's words — no filler or particle removal. */
GPtrArray  *_tb_understanding_split        (TbUnderstanding *self,
                                            const char      *text,
                                            gboolean         literal);
/* A rewrite's key: NFKC, case-folded, apostrophes as "'". */
char       *_tb_understanding_fold_word    (const char      *word);
gboolean    _tb_char_is_cjk                (gunichar         c);
gboolean    _tb_token_is_cjk               (const char      *token);
char       *_tb_tokens_join                (GPtrArray       *tokens,
                                            guint            start,
                                            guint            end);

/* tb-understanding-pattern.c */
/* @phrase: a script's phrase (words only, normalized as the callee's words are). */
TbPattern  *_tb_pattern_compile            (TbUnderstanding *self,
                                            const char      *pattern,
                                            gboolean         phrase,
                                            GError         **error);
/* Does a match of @pattern overlap [start, end)? */
gboolean    _tb_pattern_overlaps           (TbPattern       *pattern,
                                            GPtrArray       *tokens,
                                            guint            start,
                                            guint            end);

G_END_DECLS
