/* tb-corpus.c — the labelled utterance corpora of tests/data/understanding, scored
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-corpus"

#include "config.h"

#include "tb-corpus.h"

#include <string.h>

static void
item_free (gpointer data)
{
  TbCorpusItem *item = data;

  g_free (item->label);
  g_free (item->text);
  g_free (item);
}

GPtrArray *
tb_corpus_load (const char  *path,
                GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *items;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  items = g_ptr_array_new_with_free_func (item_free);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    char *tab = strchr (lines[i], '\t');
    TbCorpusItem *item;

    if (lines[i][0] == '#' || tab == NULL)
      continue;
    item = g_new0 (TbCorpusItem, 1);
    item->label = g_strndup (lines[i], tab - lines[i]);
    item->text = g_strdup (g_strchomp (tab + 1));
    item->line = i + 1;
    g_ptr_array_add (items, item);
  }
  return items;
}

const char *
tb_corpus_intent_for_label (const char *label)
{
  /* The corpora say "busy"; scripts and the lexicons say "busy_now". */
  if (g_str_equal (label, "busy"))
    return "busy_now";
  if (g_str_equal (label, "other") || g_str_equal (label, "ambiguous"))
    return NULL;
  return label;
}

void
tb_corpus_score (TbUnderstanding *u,
                 GPtrArray       *items,
                 TbCorpusScore   *score,
                 GString         *misses)
{
  memset (score, 0, sizeof *score);
  for (guint i = 0; i < items->len; i++) {
    TbCorpusItem *item = g_ptr_array_index (items, i);
    const char *want = tb_corpus_intent_for_label (item->label);
    TbUnderstood got;
    gboolean hit = tb_understanding_match (u, item->text, NULL, &got);
    gboolean opt_out = hit && g_str_equal (got.intent, "opt_out");
    gboolean ok;

    if (g_str_equal (item->label, "ambiguous")) {
      score->ambiguous++;
      score->ambiguous_asked += opt_out && got.confirm;
      continue;
    }
    if (g_str_equal (item->label, "opt_out")) {
      score->opt_outs++;
      score->opt_outs_caught += opt_out;
      score->opt_outs_sure += opt_out && !got.confirm;
      ok = opt_out;
    } else {
      score->others++;
      score->false_opt_outs += opt_out && !got.confirm;
      score->others_asked += opt_out && got.confirm;
      if (want != NULL) {
        score->intents++;
        ok = hit && g_str_equal (got.intent, want);
        score->intents_right += ok;
      } else {
        score->unrelated++;
        ok = !opt_out;
        score->unrelated_matched += hit && !opt_out;
      }
    }
    if (!ok && misses != NULL)
      g_string_append_printf (misses, "  line %u %s: \"%s\" -> %s%s (%s)\n", item->line,
                              item->label, item->text, hit ? got.intent : "nothing",
                              hit && got.confirm ? " (ask)" : "", hit ? got.rule : "-");
  }
}

double
tb_corpus_rate (guint part,
                guint whole)
{
  return whole > 0 ? 100.0 * part / whole : 0.0;
}
