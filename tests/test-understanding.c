/* test-understanding.c — normalization, the pattern language, lexicon checks, and the
 * built-in understanding measured on the corpora of tests/data/understanding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-understanding"

#include "config.h"

#include "tb-corpus.h"
#include "tb-understanding.h"

#include <locale.h>
#include <string.h>

static void
test_normalize (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "  Yes,   PLEASE!! ", "yes please" },
    { "Don't call me.", "do not call me" },
    { "I\u2019m busy", "i am busy" },
    { "ＹＥＳ　ｐｌｅａｓｅ", "yes please" },          /* full-width letters and space */
    { "um, well, uh, no", "well no" },                /* fillers ("well" can be a word) */
    { "noooo stop stop stop", "no stop" },            /* letter runs, repeated words */
    { "好的,了解一下。", "好的 了解一下" },
    { "嗯，别打了别打了！", "别打" },                   /* filler, repeat, final particle */
    { "別再打電話給我了", "别再打电话给我" },          /* traditional → simplified */
    { "唔該，唔好再打俾我", "谢谢 不要再打给我" },     /* Cantonese forms, longest first */
    { "ok好的", "okay 好的" },
    { "", "" },
    { "?!...", "" },
  };
  TbUnderstanding *u = tb_understanding_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *n = tb_understanding_normalize (u, cases[i].in);

    g_assert_cmpstr (n, ==, cases[i].out);
  }
}

/* Where a speech recognizer ends a clause with a space, and where an early harmless match of
 * a rule (a limit, "don't call at noon") sits before a real one in the same answer. */
static void
test_clauses (void)
{
  static const struct { const char *in; const char *intent; } cases[] = {
    { "你们能不能长点记性 别再打了", "opt_out" },      /* not 记性别 (性别) */
    { "晚上别打，以后都别打了", "opt_out" },            /* a limit, then a ban */
    { "晚上别打 你们以后别再打了", "opt_out" },
    { "中午别打 下午三点以后再打", "call_later" },      /* a limit only */
    { "能不能换个时间打来", "call_later" },             /* 能不能 is a question, not 不能 */
    { "no that's alright", "no" },                   /* "right" inside the negated match */
    { "no calls on sundays please, weekdays are fine", "call_later" },   /* a limit by day */
    { "晚上八点以后别打 白天可以", "call_later" },
  };
  /* An unsure opt-out (the robot asks) against another intent in the same answer: sarcasm
   * keeps the question over the "yes" it is made of; a bare ambiguous word yields to an
   * answer said apart from it. */
  static const struct { const char *in; const char *intent; gboolean confirm; } unsure[] = {
    { "oh sure, call me ten more times today", "opt_out", TRUE },
    { "great, another warranty call, keep them coming", "opt_out", TRUE },
    { "行行行 你们继续打", "opt_out", TRUE },
    { "my lawyer said the terms look fine, I'm ready to sign", "yes", FALSE },
    { "sure, call me back tomorrow", "call_later", FALSE },
  };
  TbUnderstanding *u = tb_understanding_get_default ();
  g_autofree char *spaced = tb_understanding_normalize (u, "够了 别打了");

  g_assert_cmpstr (spaced, ==, "够 别打");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    TbUnderstood got = { 0 };

    g_test_message ("%s", cases[i].in);
    g_assert_true (tb_understanding_match (u, cases[i].in, NULL, &got));
    g_assert_cmpstr (got.intent, ==, cases[i].intent);
  }
  for (guint i = 0; i < G_N_ELEMENTS (unsure); i++) {
    TbUnderstood got = { 0 };

    g_test_message ("%s", unsure[i].in);
    g_assert_true (tb_understanding_match (u, unsure[i].in, NULL, &got));
    g_assert_cmpstr (got.intent, ==, unsure[i].intent);
    g_assert_cmpint (got.confirm, ==, unsure[i].confirm);
  }
}

static gboolean
matches (const char *pattern,
         const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPattern) p = tb_pattern_new (tb_understanding_get_default (), pattern, &error);
  g_autoptr(GPtrArray) tokens = tb_understanding_tokenize (tb_understanding_get_default (), text);

  g_assert_no_error (error);
  return tb_pattern_match (p, tokens, NULL, NULL);
}

static void
test_patterns (void)
{
  TbUnderstanding *u = tb_understanding_get_default ();
  static const char * const bad[] = { "(a | b", "[a", "@no_such_class", "~x", "a )",
                                      "(yes | um)", "得了吧", "stop ~10 calling", NULL };
  g_autoptr(TbPattern) p = NULL;
  g_auto(GStrv) sentences = NULL;

  g_assert_true (matches ("take me off", "please take me off now"));
  g_assert_false (matches ("take me off", "take off me"));
  g_assert_true (matches ("(remove | delete) [my] number", "delete number"));
  g_assert_true (matches ("(remove | delete) [my] number", "remove my number"));
  g_assert_true (matches ("stop ~2 calling", "stop this bloody calling"));
  g_assert_false (matches ("stop ~1 calling", "stop this bloody calling"));
  g_assert_false (matches ("stop ~3 calling", "stop. calling"));           /* clauses */
  g_assert_true (matches ("^ stop $", "Stop!"));
  g_assert_false (matches ("^ stop $", "don't stop"));
  g_assert_true (matches ("@call_v", "he's ringing"));
  g_assert_true (matches ("不要 ~3 打", "不要再给我打"));
  g_assert_false (matches ("不要 ~2 打", "不要再给我打"));

  for (guint i = 0; bad[i] != NULL; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TbPattern) q = tb_pattern_new (u, bad[i], &error);

    g_assert_null (q);
    g_assert_error (error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_INVALID);
  }

  /* A phrase a clause mark may interrupt; an alternative of fillers only is refused. */
  g_assert_true (matches ("stop , let me", "stop, let me"));
  p = tb_pattern_new (u, "(um | uh)", NULL);
  g_assert_null (p);
  sentences = tb_understanding_dup_sentences (u, "opt_out", "en", 2);
  g_assert_cmpuint (g_strv_length (sentences), >=, 2);
  g_assert_true (g_strv_contains ((const char * const *) sentences, "stop calling me"));
}

static void
test_lexicon_check (void)
{
  static const struct { const char *json, *message; } cases[] = {
    { "{", "x.json:" },
    { "{\"understanding\": 2, \"language\": \"en\"}", "\"understanding\"" },
    { "{\"understanding\": 1}", "\"language\" is missing" },
    { "{\"understanding\": 1, \"language\": \"en\", \"intents\": {\"opt_out\": {\"rules\": "
      "[{\"id\": \"r\", \"pattern\": \"(a\"}]}}}", "rule en/opt_out/r" },
    { "{\"understanding\": 1, \"language\": \"en\", \"intents\": {\"opt_out\": {\"rules\": "
      "[{\"id\": \"r\", \"pattern\": \"banana\", \"examples\": [\"apple\"]}]}}}",
      "example \"apple\" is not understood as opt_out" },
    { "{\"understanding\": 1, \"language\": \"en\", \"intents\": {\"yes\": {\"rules\": "
      "[{\"id\": \"r\", \"pattern\": \"banana\", \"counter_examples\": [\"banana split\"]}]}}}",
      "counter-example \"banana split\"" },
    { "{\"understanding\": 1, \"language\": \"en\", \"classes\": {\"a b\": [\"x\"]}}",
      "class \"a b\"" },
    { "{\"understanding\": 1, \"language\": \"en\", \"intents\": {\"opt_out\": {\"rules\": "
      "[{\"id\": \"r\", \"pattern\": \"banana\", \"ironic\": true}]}}}",
      "\"ironic\" is for a rule that asks" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_false (tb_understanding_check_data (cases[i].json, -1, "x.json", &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, cases[i].message));
  }

  /* A lexicon nested 80,000 deep is refused before json-glib recurses into it. */
  {
    g_autoptr(GString) deep = g_string_new ("{\"understanding\": 1, \"classes\": ");
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 80000; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 80000; i++)
      g_string_append_c (deep, ']');
    g_string_append_c (deep, '}');
    g_assert_false (tb_understanding_check_data (deep->str, deep->len, "deep.json", &error));
    g_assert_error (error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_SYNTAX);
    g_assert_cmpstr (error->message, ==, "deep.json:1:96: nested deeper than 64 levels");
  }
}

static void
test_add_data (void)
{
  g_autoptr(TbUnderstanding) u = tb_understanding_new ();
  g_autoptr(GError) error = NULL;
  TbUnderstood got;
  const char *mine = "{\"understanding\": 1, \"language\": \"en\", \"classes\": {\"call_v\": "
                     "[\"buzz\"]}, \"intents\": {\"opt_out\": {\"rules\": [{\"id\": \"skedaddle\", "
                     "\"pattern\": \"skedaddle\", \"examples\": [\"skedaddle\"]}]}}}";

  g_assert_false (tb_understanding_match (u, "never buzz me again", NULL, &got));
  g_assert_true (tb_understanding_add_data (u, mine, -1, "mine.json", &error));
  g_assert_no_error (error);
  /* A class extended by a business's lexicon extends the built-in rules using it. */
  g_assert_true (tb_understanding_match (u, "never buzz me again", NULL, &got));
  g_assert_cmpstr (got.intent, ==, "opt_out");
  g_assert_true (tb_understanding_match (u, "skedaddle", NULL, &got));
  g_assert_cmpstr (got.rule, ==, "en/opt_out/skedaddle");
}

static void
test_add_dialect (void)
{
  g_autoptr(TbUnderstanding) u = tb_understanding_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *n = NULL;
  TbUnderstood got;
  /* A business in Sichuan adds 莫 → 别: "莫再打了" is then "别再打", an opt-out. */
  const char *mine = "{\"understanding\": 1, \"language\": \"zh\", \"normalize\": "
                     "{\"dialect\": {\"莫再\": \"别再\"}}}";
  const char *bad = "{\"understanding\": 1, \"language\": \"zh\", \"normalize\": "
                    "{\"dialect\": {\"no\": \"不\"}}}";

  g_assert_true (tb_understanding_add_data (u, mine, -1, "mine.json", &error));
  g_assert_no_error (error);
  n = tb_understanding_normalize (u, "莫再打了");
  g_assert_cmpstr (n, ==, "别再打");
  g_assert_true (tb_understanding_match (u, "莫再打了", NULL, &got));
  g_assert_cmpstr (got.intent, ==, "opt_out");
  /* The built-in forms still hold, longest first: 唔该 is thanks, 唔好 is don't. */
  g_assert_true (tb_understanding_match (u, "唔该你哋唔好再打嚟", NULL, &got));
  g_assert_cmpstr (got.intent, ==, "opt_out");
  g_assert_false (tb_understanding_match (u, "唔该晒", NULL, &got) &&
                  g_str_equal (got.intent, "opt_out"));
  /* A form that is not Chinese is refused, naming it. */
  g_assert_false (tb_understanding_add_data (u, bad, -1, "bad.json", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "dialect \"no\""));
}

static void
run_corpus (const char *file,
            gboolean    strict)
{
  g_autofree char *path = g_build_filename (g_getenv ("TELEBOT_SOURCE_DIR"), "tests", "data",
                                            "understanding", file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = tb_corpus_load (path, &error);
  g_autoptr(GString) misses = g_string_new (NULL);
  TbCorpusScore s;
  double recall, false_rate, intents;

  g_assert_no_error (error);
  tb_corpus_score (tb_understanding_get_default (), items, &s, misses);
  recall = tb_corpus_rate (s.opt_outs_caught, s.opt_outs);
  false_rate = tb_corpus_rate (s.false_opt_outs, s.others);
  intents = tb_corpus_rate (s.intents_right, s.intents);
  g_test_message ("%s: opt-out recall %.1f %% (%u/%u, %u sure), false opt-outs %.1f %% (%u/%u, "
                  "%u asked), built-in intents %.1f %% (%u/%u), unrelated given an intent "
                  "%u/%u, ambiguous asked %u/%u\n%s", file, recall, s.opt_outs_caught,
                  s.opt_outs, s.opt_outs_sure, false_rate, s.false_opt_outs, s.others,
                  s.others_asked, intents, s.intents_right, s.intents, s.unrelated_matched,
                  s.unrelated, s.ambiguous_asked, s.ambiguous, misses->str);
  g_assert_cmpuint (s.opt_outs, >=, strict ? 300 : 100);
  g_assert_cmpuint (s.others, >=, strict ? 300 : 100);
  if (!strict)
    return;
  g_assert_cmpfloat (recall, >=, 99.0);
  g_assert_cmpfloat (false_rate, <=, 1.0);
  g_assert_cmpfloat (intents, >=, 97.0);
}

static void
test_corpus_en (void)
{
  run_corpus ("en-corpus.tsv", TRUE);
}

static void
test_corpus_zh (void)
{
  run_corpus ("zh-corpus.tsv", TRUE);
}

static void
test_heldout (void)
{
  /* Sets written apart from the lexicons, by other writers (the held-out ones kept back while
   * the lexicons were written, the blind ones written to avoid the obvious): reported with
   * their misses, held only to their size. */
  run_corpus ("en-heldout.tsv", FALSE);
  run_corpus ("zh-heldout.tsv", FALSE);
  run_corpus ("en-blind.tsv", FALSE);
  run_corpus ("zh-blind.tsv", FALSE);
  run_corpus ("en-blind2.tsv", FALSE);
  run_corpus ("zh-blind2.tsv", FALSE);
  run_corpus ("en-blind3.tsv", FALSE);
  run_corpus ("zh-blind3.tsv", FALSE);
  run_corpus ("en-blind4.tsv", FALSE);
  run_corpus ("zh-blind4.tsv", FALSE);
  run_corpus ("en-blind5.tsv", FALSE);
  run_corpus ("zh-blind5.tsv", FALSE);
  run_corpus ("en-blind6.tsv", FALSE);
  run_corpus ("zh-blind6.tsv", FALSE);
  run_corpus ("en-blind7.tsv", FALSE);
  run_corpus ("zh-blind7.tsv", FALSE);
  run_corpus ("en-blind8.tsv", FALSE);
  run_corpus ("zh-blind8.tsv", FALSE);
  run_corpus ("en-blind9.tsv", FALSE);
  run_corpus ("zh-blind9.tsv", FALSE);
  run_corpus ("en-blind10.tsv", FALSE);
  run_corpus ("zh-blind10.tsv", FALSE);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/telebot/script/understanding/normalize", test_normalize);
  g_test_add_func ("/telebot/script/understanding/patterns", test_patterns);
  g_test_add_func ("/telebot/script/understanding/clauses", test_clauses);
  g_test_add_func ("/telebot/script/understanding/lexicon-check", test_lexicon_check);
  g_test_add_func ("/telebot/script/understanding/add-data", test_add_data);
  g_test_add_func ("/telebot/script/understanding/add-dialect", test_add_dialect);
  g_test_add_func ("/telebot/script/understanding/corpus-en", test_corpus_en);
  g_test_add_func ("/telebot/script/understanding/corpus-zh", test_corpus_zh);
  g_test_add_func ("/telebot/script/understanding/heldout", test_heldout);
  return g_test_run ();
}
