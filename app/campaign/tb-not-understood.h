/* tb-not-understood.h — what callees said that the robot did not understand, grouped
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue #21: every callee turn with words and no intent (tb_store_report_misses()), grouped
 * by node and by similar text, so that a business sees "how much does it cost — 14 times at
 * the offer" once and can make it a phrase of an intent (tb_not_understood_add_phrase()).
 */
#pragma once

#include <glib.h>

#include "tb-script-document.h"
#include "tb-understanding.h"

G_BEGIN_DECLS

/* Two wordings at one node are one group when the Jaccard index of their features is at least
 * this: the normalized words (tb_understanding_normalize(): case, punctuation, fillers,
 * contractions), and for Chinese, which has no spaces, each run's character bigrams. "uh I
 * dunno" and "I dunno" normalize alike; "I dunno, maybe" shares 4 of 5 words with it. */
#define TB_NOT_UNDERSTOOD_SIMILAR          0.5
/* A group is opt-out-like — shown first, since a missed opt-out is a complaint in the making
 * (COMPLIANCE.md) — when it shares two thirds of its features with one of the built-in
 * opt-out understanding's example sentences (data/understanding/), a near paraphrase, or says
 * one of a few words only people who want the calls to end use (stop, remove, pester, "had it
 * with"…; 别打, 骚扰, 又打…). Looser similarity flags "I'm not sure" for "I'm not interested". */
#define TB_NOT_UNDERSTOOD_OPT_OUT_SIMILAR  (2.0 / 3.0)

typedef struct {
  char   *text;
  gint64  count;
} TbNotUnderstoodWording;

typedef struct {
  char      *node;          /* NULL: the turn had no node */
  char      *text;          /* the wording said most often */
  char      *normalized;    /* the text, normalized */
  gint64     count;         /* utterances */
  GStrv      variants;      /* the script variants it was said in, sorted */
  gint64     attempt_id;    /* an example call (one with a recording when there is one) */
  char      *recording;     /* its recording, NULL: none */
  gboolean   opt_out_like;
  double     opt_out_similarity;  /* to the nearest built-in opt-out example */
  GPtrArray *wordings;      /* TbNotUnderstoodWording: each distinct text, most said first */
} TbNotUnderstoodGroup;

void       tb_not_understood_group_free (TbNotUnderstoodGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbNotUnderstoodGroup, tb_not_understood_group_free)

/* The Jaccard index (0..1) of two texts' features, as grouping compares them. */
double     tb_not_understood_similarity (TbUnderstanding *understanding,
                                         const char      *a,
                                         const char      *b);
/* Is @text opt-out-like (see TB_NOT_UNDERSTOOD_OPT_OUT_SIMILAR)? @similarity: the nearest
 * example's. */
gboolean   tb_not_understood_is_opt_out_like (TbUnderstanding *understanding,
                                              const char      *text,
                                              double          *similarity);
/* Groups @misses (element-type TbReportMissRow, in call order). Returns (element-type
 * TbNotUnderstoodGroup): opt-out-like groups first, then by count, most first. Text that
 * normalizes to nothing (only "um", "uh") is left out: there is nothing to add. */
GPtrArray *tb_not_understood_group      (TbUnderstanding *understanding,
                                         GPtrArray       *misses);

/* "Add as a phrase of intent …": adds @phrase to @intent, which @node listens for, as one
 * undoable change of @document (tb_script_document_add_phrase()), then checks the script as a
 * campaign would load it (@policies as for tb_script_check()). FALSE with @error when the
 * phrase cannot be added (the document is then unchanged); otherwise TRUE, with every
 * problem the checker found in @problems (may be NULL). */
gboolean   tb_not_understood_add_phrase (TbScriptDocument *document,
                                         const char       *node,
                                         const char       *intent,
                                         const char       *phrase,
                                         const char       *policies,
                                         GPtrArray       **problems,
                                         GError          **error);

G_END_DECLS
