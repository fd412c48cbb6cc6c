/* tb-not-understood.c — what callees said that the robot did not understand, grouped
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * First exact: by node and normalized text. Then, most said first, each wording joins the
 * first group of its node whose wording it is TB_NOT_UNDERSTOOD_SIMILAR to, else starts one.
 * Greedy and order-dependent, but deterministic, and linear in the groups per wording: a
 * campaign has many misses but few distinct ones.
 */
#define G_LOG_DOMAIN "tb-not-understood"

#include "config.h"

#include <string.h>

#include "tb-not-understood.h"
#include "tb-script.h"
#include "tb-store-report.h"

/* Words only people who want the calls to end use: whole normalized words or word sequences,
 * and for Chinese, substrings of the normalized text. Kept short on purpose: a false alarm
 * costs a glance; these catch what no example sentence resembles ("I've had it with you
 * people", 你们怎么又打来了). */
static const char * const opt_out_words[] = {
  "stop", "stopped", "remove", "removed", "unsubscribe", "harass", "harassing", "harassment",
  "bother", "bothering", "pester", "pestering", "sue", "report", "reporting", "police",
  "lawyer", "spam", "scam", "block", "blocked", "delete", "had it with", "fed up", "sick of",
  "tired of", "enough of", "you people again", "not again", NULL
};
static const char * const opt_out_zh[] = {
  "别打", "别再", "不要打", "不要再打", "又打", "又是你们", "骚扰", "投诉", "举报", "拉黑", "删",
  "报警", "烦", "滚", "黑名单", NULL
};

typedef struct {
  char       *node;
  char       *normalized;
  GHashTable *features;     /* set of feature strings */
  gint64      count;
  GHashTable *texts;        /* text -> count (GINT_TO_POINTER of a pointer-size int) */
  GPtrArray  *order;        /* texts in first-said order (borrowed from @texts' keys) */
  GHashTable *variants;     /* set */
  gint64      attempt_id;
  char       *recording;
  double      opt_out_similarity;
  gboolean    opt_out_word;
} Exact;

static void
exact_free (Exact *e)
{
  g_free (e->node);
  g_free (e->normalized);
  g_clear_pointer (&e->features, g_hash_table_unref);
  g_clear_pointer (&e->texts, g_hash_table_unref);
  g_clear_pointer (&e->order, g_ptr_array_unref);
  g_clear_pointer (&e->variants, g_hash_table_unref);
  g_free (e->recording);
  g_free (e);
}

void
tb_not_understood_group_free (TbNotUnderstoodGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->node);
  g_free (group->text);
  g_free (group->normalized);
  g_strfreev (group->variants);
  g_free (group->recording);
  g_clear_pointer (&group->wordings, g_ptr_array_unref);
  g_free (group);
}

static void
wording_free (TbNotUnderstoodWording *w)
{
  g_free (w->text);
  g_free (w);
}

static gboolean
is_cjk (const char *token)
{
  gunichar c = g_utf8_get_char (token);

  return g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN;
}

static void
add_bigrams (GHashTable *set,
             GString    *run)
{
  const char *p = run->str;

  if (run->len == 0)
    return;
  if (*g_utf8_next_char (p) == '\0') {
    g_hash_table_add (set, g_strdup (p));
  } else {
    for (; *g_utf8_next_char (p) != '\0'; p = g_utf8_next_char (p)) {
      const char *end = g_utf8_next_char (g_utf8_next_char (p));

      g_hash_table_add (set, g_strndup (p, end - p));
    }
  }
  g_string_truncate (run, 0);
}

/* Words as they are; a run of Chinese characters (however the tokenizer cut it) as its
 * character bigrams, a lone character as itself. */
static GHashTable *
features_of (TbUnderstanding *u,
             const char      *text)
{
  g_autoptr(GPtrArray) tokens = tb_understanding_tokenize (u, text);
  g_autoptr(GString) run = g_string_new (NULL);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < tokens->len; i++) {
    const char *t = g_ptr_array_index (tokens, i);

    if (is_cjk (t)) {
      g_string_append (run, t);
      continue;
    }
    add_bigrams (set, run);
    if (!g_str_equal (t, TB_UNDERSTANDING_CLAUSE))
      g_hash_table_add (set, g_strdup (t));
  }
  add_bigrams (set, run);
  return set;
}

static double
jaccard (GHashTable *a,
         GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;
  guint common = 0, total;

  if (g_hash_table_size (a) > g_hash_table_size (b)) {
    GHashTable *t = a;
    a = b;
    b = t;
  }
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    common += g_hash_table_contains (b, key);
  total = g_hash_table_size (a) + g_hash_table_size (b) - common;
  return total > 0 ? (double) common / total : 0.0;
}

double
tb_not_understood_similarity (TbUnderstanding *understanding,
                              const char      *a,
                              const char      *b)
{
  g_autoptr(GHashTable) fa = NULL;
  g_autoptr(GHashTable) fb = NULL;

  g_return_val_if_fail (understanding != NULL, 0.0);

  fa = features_of (understanding, a ? a : "");
  fb = features_of (understanding, b ? b : "");
  return jaccard (fa, fb);
}

/* The built-in opt-out examples' features (element-type GHashTable). */
static GPtrArray *
opt_out_examples (TbUnderstanding *u)
{
  g_auto(GStrv) sentences = tb_understanding_dup_sentences (u, "opt_out", NULL, 8);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

  for (guint i = 0; sentences != NULL && sentences[i] != NULL; i++)
    g_ptr_array_add (out, features_of (u, sentences[i]));
  return out;
}

static gboolean
says_opt_out_word (const char *normalized)
{
  g_autofree char *padded = g_strconcat (" ", normalized, " ", NULL);

  for (guint i = 0; opt_out_words[i] != NULL; i++) {
    g_autofree char *word = g_strconcat (" ", opt_out_words[i], " ", NULL);

    if (strstr (padded, word) != NULL)
      return TRUE;
  }
  for (guint i = 0; opt_out_zh[i] != NULL; i++)
    if (strstr (normalized, opt_out_zh[i]) != NULL)
      return TRUE;
  return FALSE;
}

static double
nearest (GPtrArray  *examples,
         GHashTable *features)
{
  double best = 0.0;

  for (guint i = 0; i < examples->len; i++)
    best = MAX (best, jaccard (features, g_ptr_array_index (examples, i)));
  return best;
}

gboolean
tb_not_understood_is_opt_out_like (TbUnderstanding *understanding,
                                   const char      *text,
                                   double          *similarity)
{
  g_autoptr(GPtrArray) examples = NULL;
  g_autoptr(GHashTable) features = NULL;
  g_autofree char *normalized = NULL;
  double near;

  g_return_val_if_fail (understanding != NULL, FALSE);

  examples = opt_out_examples (understanding);
  features = features_of (understanding, text);
  normalized = tb_understanding_normalize (understanding, text);
  near = nearest (examples, features);
  if (similarity != NULL)
    *similarity = near;
  return near >= TB_NOT_UNDERSTOOD_OPT_OUT_SIMILAR ||
         says_opt_out_word (normalized);
}

static int
exact_by_count (gconstpointer a,
                gconstpointer b)
{
  const Exact *x = *(Exact * const *) a, *y = *(Exact * const *) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_strcmp0 (x->normalized, y->normalized);
}

static int
group_order (gconstpointer a,
             gconstpointer b)
{
  const TbNotUnderstoodGroup *x = *(TbNotUnderstoodGroup * const *) a;
  const TbNotUnderstoodGroup *y = *(TbNotUnderstoodGroup * const *) b;
  int c;

  if (x->opt_out_like != y->opt_out_like)
    return x->opt_out_like ? -1 : 1;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  if ((c = g_strcmp0 (x->node, y->node)) != 0)
    return c;
  return g_strcmp0 (x->normalized, y->normalized);
}

static int
wording_order (gconstpointer a,
               gconstpointer b)
{
  const TbNotUnderstoodWording *x = *(TbNotUnderstoodWording * const *) a;
  const TbNotUnderstoodWording *y = *(TbNotUnderstoodWording * const *) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_strcmp0 (x->text, y->text);
}

static int
str_ptr_cmp (gconstpointer a,
             gconstpointer b,
             gpointer      data)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
merge_into (TbNotUnderstoodGroup *g,
            GHashTable           *variants,
            GHashTable           *wordings,
            const Exact          *e)
{
  GHashTableIter iter;
  gpointer key;

  g->count += e->count;
  g_hash_table_iter_init (&iter, e->variants);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (variants, key);
  for (guint i = 0; i < e->order->len; i++) {
    const char *text = g_ptr_array_index (e->order, i);
    TbNotUnderstoodWording *w = g_hash_table_lookup (wordings, text);

    if (w == NULL) {
      w = g_new0 (TbNotUnderstoodWording, 1);
      w->text = g_strdup (text);
      g_hash_table_insert (wordings, w->text, w);
      g_ptr_array_add (g->wordings, w);
    }
    w->count += GPOINTER_TO_SIZE (g_hash_table_lookup (e->texts, text));
  }
  /* An example to play: a call with a recording when there is one. */
  if (g->attempt_id == 0 || (g->recording == NULL && e->recording != NULL)) {
    g->attempt_id = e->attempt_id;
    g_free (g->recording);
    g->recording = g_strdup (e->recording);
  }
  g->opt_out_similarity = MAX (g->opt_out_similarity, e->opt_out_similarity);
  g->opt_out_like = g->opt_out_like || e->opt_out_word ||
                    e->opt_out_similarity >= TB_NOT_UNDERSTOOD_OPT_OUT_SIMILAR;
}

GPtrArray *
tb_not_understood_group (TbUnderstanding *understanding,
                         GPtrArray       *misses)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) normal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) exacts = g_ptr_array_new_with_free_func ((GDestroyNotify) exact_free);
  g_autoptr(GPtrArray) examples = NULL;
  g_autoptr(GPtrArray) seeds = g_ptr_array_new ();      /* Exact*: each group's first */
  g_autoptr(GPtrArray) variant_sets =
    g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) wording_sets =
    g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  GPtrArray *groups =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tb_not_understood_group_free);

  g_return_val_if_fail (understanding != NULL, groups);
  g_return_val_if_fail (misses != NULL, groups);

  for (guint i = 0; i < misses->len; i++) {
    const TbReportMissRow *m = g_ptr_array_index (misses, i);
    g_autofree char *normalized = NULL;
    g_autofree char *key = NULL;
    gpointer text_key = NULL, n = NULL;
    const char *cached;
    Exact *e;

    /* Callees say the same few things: normalize each wording once. */
    if ((cached = g_hash_table_lookup (normal, m->text)) == NULL) {
      char *text = g_strstrip (tb_understanding_normalize (understanding, m->text));

      g_hash_table_insert (normal, g_strdup (m->text), text);
      cached = text;
    }
    if (cached[0] == '\0')
      continue;
    normalized = g_strdup (cached);
    key = g_strconcat (m->node ? m->node : "", "\n", normalized, NULL);
    if ((e = g_hash_table_lookup (by_key, key)) == NULL) {
      e = g_new0 (Exact, 1);
      e->node = g_strdup (m->node);
      e->normalized = g_steal_pointer (&normalized);
      e->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      e->order = g_ptr_array_new ();
      e->variants = g_hash_table_new (g_str_hash, g_str_equal);
      g_ptr_array_add (exacts, e);
      g_hash_table_insert (by_key, g_steal_pointer (&key), e);
    }
    e->count++;
    if (!g_hash_table_lookup_extended (e->texts, m->text, &text_key, &n)) {
      text_key = g_strdup (m->text);
      g_hash_table_insert (e->texts, text_key, GSIZE_TO_POINTER (0));
      g_ptr_array_add (e->order, text_key);
    }
    g_hash_table_insert (e->texts, g_strdup (m->text),
                         GSIZE_TO_POINTER (GPOINTER_TO_SIZE (n) + 1));
    if (m->variant != NULL)
      g_hash_table_add (e->variants, (gpointer) g_intern_string (m->variant));
    if (e->attempt_id == 0 || (e->recording == NULL && m->recording != NULL)) {
      e->attempt_id = m->attempt_id;
      g_free (e->recording);
      e->recording = g_strdup (m->recording);
    }
  }
  g_ptr_array_sort (exacts, exact_by_count);

  examples = opt_out_examples (understanding);
  for (guint i = 0; i < exacts->len; i++) {
    Exact *e = g_ptr_array_index (exacts, i);
    TbNotUnderstoodGroup *g = NULL;
    guint gi;

    e->features = features_of (understanding, e->normalized);
    e->opt_out_similarity = nearest (examples, e->features);
    e->opt_out_word = says_opt_out_word (e->normalized);
    for (gi = 0; gi < seeds->len; gi++) {
      Exact *seed = g_ptr_array_index (seeds, gi);

      if (g_strcmp0 (seed->node, e->node) == 0 &&
          jaccard (seed->features, e->features) >= TB_NOT_UNDERSTOOD_SIMILAR) {
        g = g_ptr_array_index (groups, gi);
        break;
      }
    }
    if (g == NULL) {
      g = g_new0 (TbNotUnderstoodGroup, 1);
      g->node = g_strdup (e->node);
      g->normalized = g_strdup (e->normalized);
      g->wordings = g_ptr_array_new_with_free_func ((GDestroyNotify) wording_free);
      g_ptr_array_add (groups, g);
      g_ptr_array_add (seeds, e);
      g_ptr_array_add (variant_sets, g_hash_table_new (g_str_hash, g_str_equal));
      g_ptr_array_add (wording_sets, g_hash_table_new (g_str_hash, g_str_equal));
      gi = groups->len - 1;
    }
    merge_into (g, g_ptr_array_index (variant_sets, gi), g_ptr_array_index (wording_sets, gi), e);
  }

  for (guint i = 0; i < groups->len; i++) {
    TbNotUnderstoodGroup *g = g_ptr_array_index (groups, i);
    GHashTable *variants = g_ptr_array_index (variant_sets, i);
    g_autofree const char **names =
      (const char **) g_hash_table_get_keys_as_array (variants, NULL);

    g_ptr_array_sort (g->wordings, wording_order);
    g->text = g_strdup (((TbNotUnderstoodWording *) g_ptr_array_index (g->wordings, 0))->text);
    g_qsort_with_data (names, g_hash_table_size (variants), sizeof (char *), str_ptr_cmp,
                       NULL);
    g->variants = g_strdupv ((char **) names);
  }
  g_ptr_array_sort (groups, group_order);
  return groups;
}

gboolean
tb_not_understood_add_phrase (TbScriptDocument *document,
                              const char       *node,
                              const char       *intent,
                              const char       *phrase,
                              const char       *policies,
                              GPtrArray       **problems,
                              GError          **error)
{
  g_autoptr(TbScript) script = NULL;
  g_autoptr(GError) load_error = NULL;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (document), FALSE);

  if (!tb_script_document_add_phrase (document, node, intent, phrase, error))
    return FALSE;
  if (problems == NULL)
    return TRUE;
  *problems = NULL;
  if ((script = tb_script_document_dup_script (document, NULL, &load_error)) == NULL) {
    TbScriptProblem *p = g_new0 (TbScriptProblem, 1);

    p->severity = TB_SCRIPT_PROBLEM_ERROR;
    p->code = g_strdup ("invalid");
    p->message = g_strdup (load_error->message);
    *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_script_problem_free);
    g_ptr_array_add (*problems, p);
    return TRUE;
  }
  tb_script_check (script, policies, NULL, problems);
  return TRUE;
}
