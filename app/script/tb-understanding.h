/* tb-understanding.h — what the callee meant: normalization, built-in lexicons and patterns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure logic (DESIGN.md §4, "Understanding"). Between the recognizer's text and the dialog
 * engine sits one judgement — did the callee ask not to be called again? — and a few common
 * answers (yes, no, busy, call me later, who is this, are you a robot…). Those are a capability
 * of the product, not of each script author's foresight, so they live here as data: one lexicon
 * per language (data/understanding/en.json, zh.json, compiled into the engine; README.md next
 * to them documents the format), each with word classes and patterns over meaning rather than
 * fixed strings. A business can add lexicons of its own (tb_understanding_add_data()).
 *
 * Text is normalized first — Unicode NFKC and case folding, all punctuation (clause marks end
 * a clause), contractions ("I'm" = "i am"), fillers and particles (um, well; 嗯 啊 呃; 了 吧 at a
 * clause's end), repeated letters, words and characters, traditional → simplified Chinese —
 * and split into tokens: a word for Latin text, a character for Chinese. Patterns match
 * tokens; the script's own phrases are compiled to patterns by the same code
 * (TbIntentMatcher), so both sides of a match are always normalized alike.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TB_UNDERSTANDING_ERROR (tb_understanding_error_quark ())
GQuark tb_understanding_error_quark (void);

typedef enum {
  TB_UNDERSTANDING_ERROR_SYNTAX,    /* not JSON */
  TB_UNDERSTANDING_ERROR_INVALID,   /* a member of the wrong shape, a bad pattern */
} TbUnderstandingError;

/* The clause boundary token in normalized text. */
#define TB_UNDERSTANDING_CLAUSE "|"

typedef struct _TbUnderstanding TbUnderstanding;

/* A compiled pattern (see data/understanding/README.md for the syntax). */
typedef struct _TbPattern TbPattern;

/* What understanding a text found; strings belong to the understanding. */
typedef struct {
  const char *intent;       /* "opt_out", "yes", …; NULL: nothing understood */
  const char *rule;         /* "en/opt_out/never-call": the lexicon, intent and rule */
  double      confidence;   /* 0..1 */
  gboolean    confirm;      /* an opt-out that is possible but not certain: ask once */
  gboolean    ironic;       /* its words would read as a yes or a no (sarcasm): kept over them */
  guint       start, end;   /* the tokens matched, [start, end) */
} TbUnderstood;

/* The built-in lexicons (English and Chinese), loaded once; never freed. */
TbUnderstanding *tb_understanding_get_default   (void);
/* A new understanding with the built-in lexicons. */
TbUnderstanding *tb_understanding_new           (void);
TbUnderstanding *tb_understanding_ref           (TbUnderstanding    *self);
void             tb_understanding_unref         (TbUnderstanding    *self);
/* Adds a lexicon (the JSON of data/understanding/README.md): its words extend the
 * normalization and its rules the intents. @source names it in messages. FALSE with @error
 * naming the source, the intent and the rule when it is not valid. */
gboolean         tb_understanding_add_data      (TbUnderstanding    *self,
                                                 const char         *data,
                                                 gssize              length,
                                                 const char         *source,
                                                 GError            **error);
/* Checks a lexicon without adding it (for `telebot-cli understanding check`). */
gboolean         tb_understanding_check_data    (const char         *data,
                                                 gssize              length,
                                                 const char         *source,
                                                 GError            **error);

/* The built-in intent names, opt_out first (NULL-terminated; free with g_strfreev()). */
GStrv            tb_understanding_dup_intents   (TbUnderstanding    *self);
gboolean         tb_understanding_has_intent    (TbUnderstanding    *self,
                                                 const char         *intent);

/* Normalized tokens of @text (clauses separated by TB_UNDERSTANDING_CLAUSE). */
GPtrArray       *tb_understanding_tokenize      (TbUnderstanding    *self,
                                                 const char         *text);
/* The tokens as text: words with spaces between, Chinese characters together. */
char            *tb_understanding_normalize     (TbUnderstanding    *self,
                                                 const char         *text);

/* Understands @tokens (from tb_understanding_tokenize()) against the built-in intents named
 * in @allowed (NULL: all). Opt-out wins over every other intent; among the others the
 * intent's priority, then the longer match. FALSE (out->intent NULL) when nothing matched. */
gboolean         tb_understanding_match_tokens  (TbUnderstanding    *self,
                                                 GPtrArray          *tokens,
                                                 const char * const *allowed,
                                                 TbUnderstood       *out);
gboolean         tb_understanding_match         (TbUnderstanding    *self,
                                                 const char         *text,
                                                 const char * const *allowed,
                                                 TbUnderstood       *out);

/* Is the token at @pos negated (a negation shortly before it, in its clause)? "no I do not
 * want" negates "want"; 不 negates 需要, but the lexicons' idioms negate nothing ("no problem",
 * 不错 is praise) and 是不是 is a question. */
gboolean         tb_understanding_is_negated    (TbUnderstanding    *self,
                                                 GPtrArray          *tokens,
                                                 guint               pos);
gboolean         tb_understanding_is_negator    (TbUnderstanding    *self,
                                                 const char         *token);

/* Patterns: compiled against @self's word classes (@class references). */
TbPattern       *tb_pattern_new                 (TbUnderstanding    *self,
                                                 const char         *pattern,
                                                 GError            **error);
/* A phrase: its normalized words in a row (no pattern syntax). NULL for an empty phrase. */
TbPattern       *tb_pattern_new_literal         (TbUnderstanding    *self,
                                                 const char         *phrase);
void             tb_pattern_free                (TbPattern          *pattern);
/* The longest match starting leftmost; FALSE when none. */
gboolean         tb_pattern_match               (TbPattern          *pattern,
                                                 GPtrArray          *tokens,
                                                 guint              *start,
                                                 guint              *end);
/* The same, starting at token @from or later (to walk every occurrence). */
gboolean         tb_pattern_match_from          (TbPattern          *pattern,
                                                 GPtrArray          *tokens,
                                                 guint               from,
                                                 guint              *start,
                                                 guint              *end);
/* Sentences @intent understands, from the lexicons of @language ("en", "zh-CN"; NULL: all):
 * its rules' examples, normalized, at most @max per rule — a grammar recognizer's phrases. */
GStrv            tb_understanding_dup_sentences (TbUnderstanding    *self,
                                                 const char         *intent,
                                                 const char         *language,
                                                 guint               max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbUnderstanding, tb_understanding_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbPattern, tb_pattern_free)

G_END_DECLS
