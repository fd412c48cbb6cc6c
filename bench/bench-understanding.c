/* bench-understanding.c — the built-in understanding on the corpora of tests/data/understanding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For every corpus, per language: opt-out recall, false opt-outs and built-in intents named
 * right, each beside its target (issue: recall >= 99 %, false <= 1 %, intents >= 97 %), and the
 * time to understand an utterance beside the time to normalize it (the reference measured in
 * the same run). Prints markdown rows for bench/results.md.
 */
#define G_LOG_DOMAIN "bench-understanding"

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "tb-corpus.h"
#include "tb-understanding.h"

static const char * const corpora[] = {
  "en-corpus.tsv", "en-heldout.tsv", "en-blind.tsv", "en-blind2.tsv", "en-blind3.tsv",
  "en-blind4.tsv", "en-blind5.tsv", "en-blind6.tsv",
  "en-blind7.tsv", "en-blind8.tsv", "en-blind9.tsv",
  "en-blind10.tsv",
  "zh-corpus.tsv", "zh-heldout.tsv", "zh-blind.tsv", "zh-blind2.tsv", "zh-blind3.tsv",
  "zh-blind4.tsv", "zh-blind5.tsv", "zh-blind6.tsv",
  "zh-blind7.tsv", "zh-blind8.tsv", "zh-blind9.tsv",
  "zh-blind10.tsv",
};

int
main (int    argc,
      char **argv)
{
  TbUnderstanding *u;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GString) rows = g_string_new (NULL);
  gint64 t0, t_norm, t_match;
  guint rounds = 20;

  setlocale (LC_ALL, "");
  u = tb_understanding_get_default ();
  g_print ("%-16s %8s %8s %9s %8s %8s\n", "corpus", "opt-outs", "recall", "false", "intents",
           "asked");
  for (guint i = 0; i < G_N_ELEMENTS (corpora); i++) {
    g_autofree char *path = g_build_filename (TB_SOURCE_ROOT, "tests", "data", "understanding",
                                              corpora[i], NULL);
    g_autoptr(GError) error = NULL;
    GPtrArray *items = tb_corpus_load (path, &error);
    TbCorpusScore s;

    if (items == NULL) {
      g_printerr ("bench-understanding: %s\n", error->message);
      return 1;
    }
    g_ptr_array_add (keep, items);
    for (guint k = 0; k < items->len; k++)
      g_ptr_array_add (all, g_ptr_array_index (items, k));
    tb_corpus_score (u, items, &s, NULL);
    g_print ("%-16s %8u %7.1f%% %8.1f%% %7.1f%% %8u\n", corpora[i], s.opt_outs,
             tb_corpus_rate (s.opt_outs_caught, s.opt_outs),
             tb_corpus_rate (s.false_opt_outs, s.others),
             tb_corpus_rate (s.intents_right, s.intents), s.others_asked);
    g_string_append_printf (rows, "| understanding %s | opt-out recall %.1f %% (target 99), "
                            "false opt-outs %.1f %% (target ≤ 1), built-in intents %.1f %% "
                            "(target 97) | %u opt-outs, %u others |\n", corpora[i],
                            tb_corpus_rate (s.opt_outs_caught, s.opt_outs),
                            tb_corpus_rate (s.false_opt_outs, s.others),
                            tb_corpus_rate (s.intents_right, s.intents), s.opt_outs, s.others);
  }

  /* Speed: understanding an utterance vs only normalizing it, same utterances, same run. */
  t0 = g_get_monotonic_time ();
  for (guint r = 0; r < rounds; r++)
    for (guint k = 0; k < all->len; k++) {
      g_autoptr(GPtrArray) tokens = tb_understanding_tokenize (u,
                                      ((TbCorpusItem *) g_ptr_array_index (all, k))->text);
    }
  t_norm = g_get_monotonic_time () - t0;
  t0 = g_get_monotonic_time ();
  for (guint r = 0; r < rounds; r++)
    for (guint k = 0; k < all->len; k++) {
      TbUnderstood got;

      tb_understanding_match (u, ((TbCorpusItem *) g_ptr_array_index (all, k))->text, NULL,
                              &got);
    }
  t_match = g_get_monotonic_time () - t0;
  g_print ("understand: %.1f µs per utterance; normalize only: %.1f µs (ratio %.1f)\n",
           (double) t_match / (rounds * all->len), (double) t_norm / (rounds * all->len),
           (double) t_match / MAX (t_norm, 1));
  g_string_append_printf (rows, "| understanding speed | %.1f µs per utterance | %.1f× the time "
                          "to normalize it |\n", (double) t_match / (rounds * all->len),
                          (double) t_match / MAX (t_norm, 1));
  g_print ("\n%s", rows->str);
  return 0;
}
