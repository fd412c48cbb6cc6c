/* test-intent.c — the intent matcher: normalization, phrases, negation,
 * Chinese without word boundaries, DTMF, confidence, no-match
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-intent"

#include "config.h"

#include "tb-intent-matcher.h"

static TbIntentMatcher *
make_matcher (void)
{
  TbIntentMatcher *m = tb_intent_matcher_new ();
  const char *yes[] = { "yes", "yes please", "tell me more", "sure", "I want", "需要", "好的",
                        "感兴趣", "可以", NULL };
  const char *yes_kw[] = { "interested", NULL };
  const char *no[] = { "no", "no thanks", "不用了", "不可以", NULL };
  const char *who[] = { "who is this", "你是谁", NULL };
  const char *robot[] = { "are you a robot", "机器人", NULL };

  tb_intent_matcher_add (m, "opt_out", tb_intent_default_opt_out_phrases (), NULL, "9", 100);
  tb_intent_matcher_add (m, "yes", yes, yes_kw, "1", 0);
  tb_intent_matcher_add (m, "no", no, NULL, "2", 0);
  tb_intent_matcher_add (m, "who_is_this", who, NULL, NULL, 0);
  tb_intent_matcher_add (m, "robot", robot, NULL, NULL, 0);
  return m;
}

static void
test_normalize (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "  Yes,   PLEASE!! ", "yes please" },
    { "Don't call me.", "do not call me" },
    { "I\u2019m busy", "i am busy" },
    { "ＹＥＳ　ｐｌｅａｓｅ", "yes please" },           /* full-width letters and space */
    { "好的,了解一下。", "好的 了解一下" },          /* full-width punctuation */
    { "ok好的", "okay 好的" },                        /* script change splits words */
    { "", "" },
    { "?!...", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *n = tb_intent_normalize (cases[i].in);

    g_assert_cmpstr (n, ==, cases[i].out);
  }
}

static void
test_table (void)
{
  static const struct { const char *text; const char *intent; } cases[] = {
    /* English phrases on word boundaries, any case and punctuation. */
    { "Yes!", "yes" },
    { "yes, tell me more", "yes" },
    { "Sure.", "yes" },
    { "well I'm interested", "yes" },
    { "No thanks.", "no" },
    { "Who is this?", "who_is_this" },
    { "wait, are you a robot?", "robot" },
    { "yesterday", NULL },                    /* no partial words */
    { "nope", NULL },
    /* Negation: "not interested" is not "interested". */
    { "I'm not interested", "opt_out" },
    { "I am really not interested at all", "opt_out" },
    { "no I don't want", "no" },
    { "I don't want it", NULL },
    { "not sure", NULL },
    { "No. Yes, tell me more", "yes" },       /* negation stops at the clause */
    { "no not interested", "opt_out" },       /* a negative phrase stays itself */
    { "no no don't call me", "opt_out" },
    { "don't stop", NULL },
    { "不,不需要", "opt_out" },
    { "不不需要", "opt_out" },
    /* Opt-out wins over everything else said with it. */
    { "yes, but please stop calling me", "opt_out" },
    { "Take me off your list!", "opt_out" },
    { "DO NOT CALL", "opt_out" },
    { "unsubscribe", "opt_out" },
    /* Chinese: substrings, no word boundaries, negation 不/没/别. */
    { "好的", "yes" },
    { "嗯,好的,说说看", "yes" },
    { "我们需要的", "yes" },
    { "不需要", "opt_out" },
    { "我们不需要,谢谢", "opt_out" },
    { "不感兴趣", "opt_out" },
    { "别打了", "opt_out" },
    { "以后不要再打了", "opt_out" },
    { "我要投诉你们", "opt_out" },
    { "把我号码删掉", "opt_out" },
    { "不可以", "no" },
    { "不用了谢谢", "no" },
    { "不错,可以", "yes" },                    /* 不错 is praise, not a negation */
    { "你是谁啊", "who_is_this" },
    { "你是机器人吗?", "robot" },
    { "你是不是机器人", "robot" },             /* A-not-A asks, it does not deny */
    { "你不是机器人吧", NULL },
    { "今天天气", NULL },
    { "ＳＴＯＰ", "opt_out" },                  /* full-width Latin */
  };
  g_autoptr(TbIntentMatcher) m = make_matcher ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    TbIntentMatch match;
    gboolean found = tb_intent_matcher_match (m, cases[i].text, NULL, &match);

    g_test_message ("\"%s\" -> %s (%.2f)", cases[i].text, match.intent ? match.intent : "(none)",
                    match.confidence);
    g_assert_cmpstr (match.intent, ==, cases[i].intent);
    g_assert_true (found == (cases[i].intent != NULL));
    if (found) {
      g_assert_cmpfloat (match.confidence, >, 0.0);
      g_assert_cmpfloat (match.confidence, <=, 1.0);
    } else {
      g_assert_cmpfloat (match.confidence, ==, 0.0);
    }
  }
}

static void
test_confidence (void)
{
  g_autoptr(TbIntentMatcher) m = make_matcher ();
  TbIntentMatch exact, partial, keyword;

  g_assert_true (tb_intent_matcher_match (m, "yes please", NULL, &exact));
  g_assert_true (tb_intent_matcher_match (m, "yes please I would like that a lot", NULL,
                                          &partial));
  g_assert_true (tb_intent_matcher_match (m, "we might be interested in something like that",
                                          NULL, &keyword));
  g_assert_cmpfloat (exact.confidence, ==, 1.0);
  g_assert_cmpfloat (partial.confidence, <, exact.confidence);
  g_assert_cmpfloat (keyword.confidence, <, partial.confidence);
  g_assert_cmpstr (keyword.phrase, ==, "interested");
}

static void
test_allowed (void)
{
  g_autoptr(TbIntentMatcher) m = make_matcher ();
  const char *only_no[] = { "no", NULL };
  TbIntentMatch match;

  g_assert_false (tb_intent_matcher_match (m, "yes", only_no, &match));
  g_assert_null (match.intent);
  g_assert_true (tb_intent_matcher_match (m, "no", only_no, &match));
  g_assert_cmpstr (match.intent, ==, "no");
  g_assert_true (tb_intent_matcher_has_intent (m, "robot"));
  g_assert_false (tb_intent_matcher_has_intent (m, "maybe"));
}

static void
test_dtmf (void)
{
  g_autoptr(TbIntentMatcher) m = make_matcher ();
  const char *only_yes[] = { "yes", NULL };
  TbIntentMatch match;

  g_assert_true (tb_intent_matcher_match_dtmf (m, '9', NULL, &match));
  g_assert_cmpstr (match.intent, ==, "opt_out");
  g_assert_cmpfloat (match.confidence, ==, 1.0);
  g_assert_true (tb_intent_matcher_match_dtmf (m, '1', NULL, &match));
  g_assert_cmpstr (match.intent, ==, "yes");
  g_assert_false (tb_intent_matcher_match_dtmf (m, '2', only_yes, &match));
  g_assert_false (tb_intent_matcher_match_dtmf (m, '5', NULL, &match));
  g_assert_null (match.intent);
}

static void
test_garbage (void)
{
  g_autoptr(TbIntentMatcher) m = make_matcher ();
  TbIntentMatch match;

  /* Invalid UTF-8 and odd input never crash and never match by accident. */
  g_assert_false (tb_intent_matcher_match (m, "\xff\xfe\x80 abc", NULL, &match));
  g_assert_false (tb_intent_matcher_match (m, NULL, NULL, &match));
  g_assert_false (tb_intent_matcher_match (m, "", NULL, &match));
  g_assert_true (tb_intent_matcher_match (m, "\xff yes \xfe", NULL, &match));
  g_assert_cmpstr (match.intent, ==, "yes");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/telebot/script/intent/normalize", test_normalize);
  g_test_add_func ("/telebot/script/intent/table", test_table);
  g_test_add_func ("/telebot/script/intent/confidence", test_confidence);
  g_test_add_func ("/telebot/script/intent/allowed", test_allowed);
  g_test_add_func ("/telebot/script/intent/dtmf", test_dtmf);
  g_test_add_func ("/telebot/script/intent/garbage", test_garbage);
  return g_test_run ();
}
