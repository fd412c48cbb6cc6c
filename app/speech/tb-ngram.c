/* tb-ngram.c — a small trigram language model in ARPA form, from a handful of sentences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Interpolated absolute discounting (Ney, Essen, Kneser 1994), written in the backoff form
 * ARPA files take: for a history h seen c(h) times with N1+(h) distinct next words,
 *   p(w | h) = max (c(h w) - D, 0) / c(h) + γ(h) p(w | h'),   γ(h) = D N1+(h) / c(h),
 * where h' is h without its first word. The explicit entries are the seen n-grams with the
 * interpolated value; an unseen one backs off with γ(h). The unigrams are add-one smoothed
 * over the vocabulary, so every word of the sentences can be heard anywhere.
 */
#include "config.h"

#include "tb-ngram.h"

#include <math.h>
#include <string.h>

#define BOS "<s>"
#define EOS "</s>"

typedef struct {
  GHashTable *counts;   /* "w1 w2 … wn" → count (n-grams of one order) */
  GHashTable *ctx;      /* "w1 … wn-1" → count as a history (GUINT_TO_POINTER) */
  GHashTable *types;    /* "w1 … wn-1" → distinct next words */
} Order;

static void
bump (GHashTable *t,
      const char *key)
{
  gpointer old;

  if (g_hash_table_lookup_extended (t, key, NULL, &old))
    g_hash_table_insert (t, g_strdup (key), GUINT_TO_POINTER (GPOINTER_TO_UINT (old) + 1));
  else
    g_hash_table_insert (t, g_strdup (key), GUINT_TO_POINTER (1));
}

static guint
get (GHashTable *t,
     const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (t, key));
}

static int
compare_str (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The keys of @t, sorted: the same sentences always give the same file. */
static GPtrArray *
sorted_keys (GHashTable *t)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, t);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_ptr_array_add (keys, key);

  g_ptr_array_sort (keys, compare_str);
  return keys;
}

static double
log10_or_floor (double p)
{
  return p > 0 ? log10 (p) : -99;
}

char *
tb_ngram_build_arpa (const char * const *sentences,
                     double              discount)
{
  Order o[3];
  g_autoptr(GHashTable) vocab = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) p1 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) p2 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) keys1 = NULL;
  g_autoptr(GPtrArray) keys2 = NULL;
  g_autoptr(GPtrArray) keys3 = NULL;
  guint total = 0, v;
  GString *out;

  g_return_val_if_fail (discount > 0 && discount < 1, NULL);
  for (int n = 0; n < 3; n++) {
    o[n].counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    o[n].ctx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    o[n].types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  }

  for (guint s = 0; sentences != NULL && sentences[s] != NULL; s++) {
    g_auto(GStrv) split = g_strsplit (sentences[s], " ", -1);
    g_autoptr(GPtrArray) w = g_ptr_array_new ();

    g_ptr_array_add (w, (gpointer) BOS);
    for (guint i = 0; split[i] != NULL; i++)
      if (*split[i] != '\0')
        g_ptr_array_add (w, split[i]);
    if (w->len == 1)
      continue;
    g_ptr_array_add (w, (gpointer) EOS);
    for (guint i = 1; i < w->len; i++) {
      const char *word = g_ptr_array_index (w, i);

      g_hash_table_add (vocab, g_strdup (word));
      bump (o[0].counts, word);
      total++;
      for (int n = 1; n < 3 && i >= (guint) n; n++) {
        GString *hist = g_string_new (g_ptr_array_index (w, i - n));
        g_autofree char *gram = NULL;

        for (int k = n - 1; k >= 1; k--)
          g_string_append_printf (hist, " %s", (char *) g_ptr_array_index (w, i - k));
        gram = g_strdup_printf ("%s %s", hist->str, word);
        if (get (o[n].counts, gram) == 0)
          bump (o[n].types, hist->str);
        bump (o[n].counts, gram);
        bump (o[n].ctx, hist->str);
        g_string_free (hist, TRUE);
      }
    }
  }
  if (total == 0) {
    for (int n = 0; n < 3; n++) {
      g_hash_table_unref (o[n].counts);
      g_hash_table_unref (o[n].ctx);
      g_hash_table_unref (o[n].types);
    }
    return NULL;
  }
  v = g_hash_table_size (vocab);

  /* Unigrams: add-one over the vocabulary (</s> included; <s> is never predicted). */
  keys1 = sorted_keys (o[0].counts);
  for (guint i = 0; i < keys1->len; i++) {
    const char *w = g_ptr_array_index (keys1, i);
    double *p = g_new (double, 1);

    *p = (get (o[0].counts, w) + 1.0) / (total + v);
    g_hash_table_insert (p1, g_strdup (w), p);
  }
  /* Bigrams, interpolated with the unigrams. */
  keys2 = sorted_keys (o[1].counts);
  for (guint i = 0; i < keys2->len; i++) {
    const char *gram = g_ptr_array_index (keys2, i);
    const char *sp = strchr (gram, ' ');
    g_autofree char *h = g_strndup (gram, sp - gram);
    double ch = get (o[1].ctx, h), gamma = discount * get (o[1].types, h) / ch;
    double *p = g_new (double, 1);

    *p = (get (o[1].counts, gram) - discount) / ch +
         gamma * *(double *) g_hash_table_lookup (p1, sp + 1);
    g_hash_table_insert (p2, g_strdup (gram), p);
  }
  keys3 = sorted_keys (o[2].counts);

  out = g_string_new ("\\data\\\n");
  g_string_append_printf (out, "ngram 1=%u\nngram 2=%u\nngram 3=%u\n\n\\1-grams:\n",
                          keys1->len + 1, keys2->len, keys3->len);
  /* <s>: never predicted, a history only. */
  g_string_append_printf (out, "-99.0000\t%s\t%.4f\n", BOS,
                          log10_or_floor (discount * get (o[1].types, BOS) /
                                          MAX (get (o[1].ctx, BOS), 1)));
  for (guint i = 0; i < keys1->len; i++) {
    const char *w = g_ptr_array_index (keys1, i);
    guint ch = get (o[1].ctx, w);

    g_string_append_printf (out, "%.4f\t%s", log10 (*(double *) g_hash_table_lookup (p1, w)), w);
    if (ch > 0)
      g_string_append_printf (out, "\t%.4f", log10 (discount * get (o[1].types, w) / ch));
    g_string_append_c (out, '\n');
  }
  g_string_append (out, "\n\\2-grams:\n");
  for (guint i = 0; i < keys2->len; i++) {
    const char *gram = g_ptr_array_index (keys2, i);
    guint ch = get (o[2].ctx, gram);

    g_string_append_printf (out, "%.4f\t%s", log10 (*(double *) g_hash_table_lookup (p2, gram)),
                            gram);
    if (ch > 0)
      g_string_append_printf (out, "\t%.4f", log10 (discount * get (o[2].types, gram) / ch));
    g_string_append_c (out, '\n');
  }
  g_string_append (out, "\n\\3-grams:\n");
  for (guint i = 0; i < keys3->len; i++) {
    const char *gram = g_ptr_array_index (keys3, i);
    const char *sp = strrchr (gram, ' ');
    g_autofree char *h = g_strndup (gram, sp - gram);
    const char *lower = strchr (gram, ' ') + 1;    /* "w2 w3" */
    double ch = get (o[2].ctx, h), gamma = discount * get (o[2].types, h) / ch;
    double *lp = g_hash_table_lookup (p2, lower);
    double back;

    /* The lower order as the file gives it: explicit, or backed off from the unigram. */
    if (lp != NULL) {
      back = *lp;
    } else {
      g_autofree char *h2 = g_strndup (lower, strchr (lower, ' ') - lower);
      guint c2 = get (o[1].ctx, h2);

      back = (c2 > 0 ? discount * get (o[1].types, h2) / c2 : 1) *
             *(double *) g_hash_table_lookup (p1, sp + 1);
    }
    g_string_append_printf (out, "%.4f\t%s\n",
                            log10 ((get (o[2].counts, gram) - discount) / ch + gamma * back),
                            gram);
  }
  g_string_append (out, "\n\\end\\\n");

  for (int n = 0; n < 3; n++) {
    g_hash_table_unref (o[n].counts);
    g_hash_table_unref (o[n].ctx);
    g_hash_table_unref (o[n].types);
  }
  return g_string_free (out, FALSE);
}
