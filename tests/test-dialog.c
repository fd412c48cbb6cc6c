/* test-dialog.c — the dialog engine on a fake clock: opt-out from every node
 * of both sample scripts (voice and DTMF), barge-in, retries, timeouts,
 * global intents, grading, voicemail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-dialog"

#include "config.h"

#include <string.h>

#include "tb-dialog.h"
#include "tb-grader.h"
#include "tb-script-document.h"
#include "tb-words.h"

typedef struct {
  gint64 now;
} Clock;

static gint64
clock_now (gpointer data)
{
  return ((Clock *) data)->now;
}

static TbScript *
load_sample (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("TELEBOT_SOURCE_DIR"), "data", "scripts",
                                            name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  TbScript *script;
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  script = tb_script_new_from_data (text, len, name, &error);
  g_assert_no_error (error);
  return script;
}

/* Every queued action, in order. */
static GPtrArray *
drain (TbDialog *d)
{
  GPtrArray *a = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_dialog_action_free);
  TbDialogAction *x;

  while ((x = tb_dialog_pop_action (d)) != NULL) {
    g_test_message ("  %s node=%s text=%s reason=%s", tb_dialog_action_type_to_string (x->type),
                    x->node, x->text ? x->text : "", x->reason ? x->reason : "");
    g_ptr_array_add (a, x);
  }
  return a;
}

static TbDialogAction *
nth (GPtrArray *a,
     guint      i)
{
  g_assert_cmpuint (i, <, a->len);
  return g_ptr_array_index (a, i);
}

static guint
count_type (GPtrArray          *a,
            TbDialogActionType  type)
{
  guint n = 0;

  for (guint i = 0; i < a->len; i++)
    n += nth (a, i)->type == type;
  return n;
}

static TbDialogAction *
find_type (GPtrArray          *a,
           TbDialogActionType  type)
{
  for (guint i = 0; i < a->len; i++)
    if (nth (a, i)->type == type)
      return nth (a, i);
  return NULL;
}

/* ---- opt-out from every node ------------------------------------------ */

/* What must follow an opt-out: ADD_TO_DNC first, then only the transcript,
 * a stop, the grade and ONE prompt — the goodbye; then only HANG_UP. */
static void
assert_opt_out (TbDialog       *d,
                GPtrArray      *after,
                const char     *goodbye,
                TbDialogSource  source)
{
  g_autoptr(GPtrArray) end = NULL;
  g_autoptr(TbGradeResult) r = NULL;

  g_assert_cmpuint (after->len, >, 0);
  g_assert_cmpint (nth (after, 0)->type, ==, TB_DIALOG_ACTION_ADD_TO_DNC);
  g_assert_cmpint (nth (after, 0)->source, ==, source);
  for (guint i = 1; i < after->len; i++) {
    TbDialogAction *a = nth (after, i);

    g_assert_true (a->type == TB_DIALOG_ACTION_STOP_PROMPT ||
                   a->type == TB_DIALOG_ACTION_LOG_TURN ||
                   a->type == TB_DIALOG_ACTION_GRADE ||
                   a->type == TB_DIALOG_ACTION_PLAY_PROMPT);
    if (a->type == TB_DIALOG_ACTION_PLAY_PROMPT) {
      g_assert_cmpstr (a->text, ==, goodbye);
      g_assert_false (a->barge_in);
    }
  }
  g_assert_cmpuint (count_type (after, TB_DIALOG_ACTION_PLAY_PROMPT), ==, 1);
  g_assert_cmpuint (count_type (after, TB_DIALOG_ACTION_ADD_TO_DNC), ==, 1);
  g_assert_true (tb_dialog_get_opted_out (d));

  /* The callee talks on during the goodbye: nothing new is said. */
  tb_dialog_utterance (d, "yes tell me more, are you a robot?", NULL, 0.0);
  tb_dialog_dtmf (d, '9');
  tb_dialog_prompt_finished (d);
  end = drain (d);
  g_assert_cmpuint (count_type (end, TB_DIALOG_ACTION_PLAY_PROMPT), ==, 0);
  g_assert_cmpuint (count_type (end, TB_DIALOG_ACTION_ADD_TO_DNC), ==, 0);
  g_assert_cmpuint (count_type (end, TB_DIALOG_ACTION_TRANSFER), ==, 0);
  g_assert_cmpuint (count_type (end, TB_DIALOG_ACTION_LISTEN), ==, 0);
  g_assert_cmpint (nth (end, end->len - 1)->type, ==, TB_DIALOG_ACTION_HANG_UP);
  g_assert_cmpstr (nth (end, end->len - 1)->reason, ==, "opt_out");
  g_assert_true (tb_dialog_is_finished (d));

  r = tb_dialog_dup_result (d);
  g_assert_true (r->opt_out);
  g_assert_cmpint (r->grade, ==, 'E');
  g_assert_cmpstr (r->outcome, ==, "opt_out");
}

static void
opt_out_everywhere (const char *file,
                    const char *words)
{
  g_autoptr(TbScript) script = load_sample (file);
  const char *goodbye = tb_dialog_opt_out_goodbye (tb_script_get_language (script));
  guint runs = 0;

  for (guint i = 0; i < tb_script_get_n_nodes (script); i++) {
    const TbScriptNode *n = tb_script_get_nth_node (script, i);

    for (int by_dtmf = 0; by_dtmf < 2; by_dtmf++) {
      for (int later = 0; later < 2; later++) {
        Clock clock = { 1000 };
        g_autoptr(TbDialog) d = tb_dialog_new (script, NULL, clock_now, &clock);
        g_autoptr(GPtrArray) start = NULL;
        g_autoptr(GPtrArray) after = NULL;

        g_test_message ("%s: node %s, %s, %s", file, n->id, by_dtmf ? "DTMF" : "voice",
                        later ? "after the prompt" : "during the prompt");
        g_assert_true (tb_dialog_start_at (d, n->id));
        start = drain (d);
        g_assert_nonnull (find_type (start, TB_DIALOG_ACTION_PLAY_PROMPT));
        g_assert_cmpstr (find_type (start, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, n->id);

        if (later) {
          /* Terminal nodes end after their prompt: nothing left to opt out of. */
          if (tb_script_node_type_is_terminal (n->type))
            continue;
          clock.now += 3000000;
          tb_dialog_prompt_finished (d);
          g_clear_pointer (&start, g_ptr_array_unref);
          start = drain (d);
        }
        clock.now += 1000000;
        if (by_dtmf)
          tb_dialog_dtmf (d, '9');
        else
          tb_dialog_utterance (d, words, NULL, 0.0);
        after = drain (d);
        if (by_dtmf)
          g_assert_cmpstr (nth (after, 0)->text, ==, "DTMF 9");
        else
          g_assert_cmpstr (nth (after, 0)->text, ==, words);
        assert_opt_out (d, after, goodbye,
                        by_dtmf ? TB_DIALOG_SOURCE_DTMF : TB_DIALOG_SOURCE_SPEECH);
        runs++;
      }
    }
  }
  g_assert_cmpuint (runs, >=, tb_script_get_n_nodes (script) * 2);
}

static void
test_opt_out_every_node_en (void)
{
  opt_out_everywhere ("demo-en.json", "Please stop calling me.");
  opt_out_everywhere ("demo-en.json", "take me off your list");
}

static void
test_opt_out_every_node_zh (void)
{
  opt_out_everywhere ("demo-zh.json", "别再打了");
  opt_out_everywhere ("demo-zh.json", "我们不需要,谢谢");
}

/* ---- paths and grades ------------------------------------------------- */

/* Answers, then feeds @says one per listen (prompts finish at once), then
 * silence; returns the result. */
static TbGradeResult *
run_call (TbScript           *script,
          const char * const *says,
          GPtrArray          *all)
{
  Clock clock = { 0 };
  g_autoptr(TbDialog) d = tb_dialog_new (script, NULL, clock_now, &clock);
  guint next = 0;

  tb_dialog_answered (d);
  for (guint guard = 0; guard < 100 && !tb_dialog_is_finished (d); guard++) {
    g_autoptr(GPtrArray) a = drain (d);

    for (guint i = 0; all != NULL && i < a->len; i++)
      g_ptr_array_add (all, g_ptr_array_steal_index (a, i--));
    if (tb_dialog_is_finished (d))
      break;
    if (tb_dialog_get_state (d) == TB_DIALOG_STATE_LISTENING) {
      clock.now += 1000000;
      if (says != NULL && says[next] != NULL)
        tb_dialog_utterance (d, says[next++], NULL, 0.0);
      else {
        clock.now = tb_dialog_get_deadline (d);
        g_assert_true (tb_dialog_tick (d));
      }
    } else {
      clock.now += 500000;
      tb_dialog_prompt_finished (d);
    }
  }
  {
    g_autoptr(GPtrArray) a = drain (d);

    for (guint i = 0; all != NULL && i < a->len; i++)
      g_ptr_array_add (all, g_ptr_array_steal_index (a, i--));
  }
  g_assert_true (tb_dialog_is_finished (d));
  return tb_dialog_dup_result (d);
}

static void
test_paths (void)
{
  static const struct {
    const char *file;
    const char *says[4];
    const char *outcome;
    const char *grades;     /* acceptable grades */
    gboolean    opt_out;
  } cases[] = {
    { "demo-en.json", { "yes, tell me more", "yes please" }, "transferred", "AB", FALSE },
    { "demo-en.json", { "sure", "no" }, "interested_later", "B", FALSE },
    { "demo-en.json", { "no thanks" }, "not_interested", "DE", FALSE },
    { "demo-en.json", { "I'm not interested" }, "opt_out", "E", TRUE },
    { "demo-en.json", { "call me later" }, "callback_requested", "BC", FALSE },
    { "demo-en.json", { }, "no_response", "CDE", FALSE },
    { "demo-zh.json", { "好的,说说看", "可以" }, "transferred", "AB", FALSE },
    { "demo-zh.json", { "不用了" }, "not_interested", "DE", FALSE },
    { "demo-zh.json", { "不感兴趣" }, "opt_out", "E", TRUE },
    { "demo-zh.json", { "我在开车,晚点再打" }, "callback_requested", "BC", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(TbScript) script = load_sample (cases[i].file);
    g_autoptr(TbGradeResult) r = run_call (script, cases[i].says, NULL);
    char g[2] = { r->grade, 0 };

    g_test_message ("%s %s: %s %c %d", cases[i].file, cases[i].says[0], r->outcome, r->grade,
                    r->score);
    g_assert_cmpstr (r->outcome, ==, cases[i].outcome);
    g_assert_true (r->reached);
    g_assert_true (strchr (cases[i].grades, r->grade) != NULL && *g != 0);
    g_assert_cmpint (r->opt_out, ==, cases[i].opt_out);
    g_assert_cmpint (r->score, >=, 0);
    g_assert_cmpint (r->score, <=, 100);
  }
}

/* Every reason the grader and the dialog write is read back in words (tb_words_reason, for
 * the window in the user's language): a new format there without its pattern in tb-words.c
 * fails here. */
static void
test_reasons_read_back (void)
{
  static const struct {
    const char *file;
    const char *says[4];
  } calls[] = {
    { "demo-en.json", { "yes, tell me more", "yes please" } },
    { "demo-en.json", { "sure", "no" } },
    { "demo-en.json", { "no thanks" } },
    { "demo-en.json", { "I'm not interested" } },
    { "demo-en.json", { "call me later" } },
    { "demo-en.json", { } },
    { "demo-zh.json", { "好的，说说看", "可以" } },
    { "demo-zh.json", { "不感兴趣" } },
    { "demo-zh.json", { "我在开车，晚点再打" } },
  };
  TbScriptGrade plus = { .set = TRUE, .score = 10 };
  TbScriptGrading g = { .a = 80, .b = 60, .c = 40, .d = 20, .base = 50 };
  TbGrader *grader = tb_grader_new (&g);
  g_autoptr(TbGradeResult) direct = NULL;
  g_autofree char *said = NULL;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++) {
    g_autoptr(TbScript) script = load_sample (calls[i].file);
    g_autoptr(TbGradeResult) r = run_call (script, calls[i].says, NULL);

    for (guint j = 0; r->reasons[j] != NULL; j++, n++) {
      g_autofree char *words = tb_words_reason (script, r->reasons[j]);

      g_test_message ("%s → %s", r->reasons[j], words);
      g_assert_nonnull (words);
    }
  }
  /* Effects without an utterance or a reason, straight from the grader. */
  tb_grader_apply (grader, &plus, "pitch", "yes", NULL);
  tb_grader_apply (grader, &plus, "details", NULL, NULL);
  direct = tb_grader_finish (grader, "completed", TRUE);
  tb_grader_free (grader);
  for (guint j = 0; direct->reasons[j] != NULL; j++, n++) {
    g_autofree char *words = tb_words_reason (NULL, direct->reasons[j]);

    g_test_message ("%s → %s", direct->reasons[j], words);
    g_assert_nonnull (words);
  }
  g_assert_cmpuint (n, >, 20);
  /* The words: quotes, node and intent names, not identifiers. */
  said = tb_words_reason (NULL, "said 'yes, tell me more' at node goodbye_no: +30 (intent call_later)");
  g_assert_cmpstr (said, ==, "said “yes, tell me more” at Goodbye no: +30 (Call later)");
  g_assert_null (tb_words_reason (NULL, "a reason written by hand"));
  /* With the script, a node is named by its title, in the script's language. */
  {
    g_autoptr(TbScript) zh = load_sample ("demo-zh.json");
    g_autofree char *titled = tb_words_reason (zh, "said '可以' at node pitch: +30 (有意向)");

    g_assert_cmpstr (titled, ==, "said “可以” at 介绍产品: +30 (有意向)");
  }
}

static void
test_reasons (void)
{
  const char *says[] = { "yes, tell me more", "yes", NULL };
  g_autoptr(TbScript) script = load_sample ("demo-en.json");
  g_autoptr(TbGradeResult) r = run_call (script, says, NULL);
  gboolean found = FALSE;

  g_assert_cmpint (r->grade, ==, 'A');
  for (guint i = 0; r->reasons[i] != NULL; i++)
    found |= g_str_equal (r->reasons[i],
                          "said 'yes, tell me more' at node pitch: +30 (interested)");
  g_assert_true (found);
  g_assert_true (g_strv_contains ((const char * const *) r->tags, "interested"));
  g_assert_true (g_strv_contains ((const char * const *) r->tags, "hot"));
}

/* ---- barge-in, retries, timeouts -------------------------------------- */

static TbDialog *
dialog_at_listen (TbScript   *script,
                  Clock      *clock,
                  const char *node)
{
  TbDialog *d = tb_dialog_new (script, NULL, clock_now, clock);
  g_autoptr(GPtrArray) a = NULL;

  g_assert_true (tb_dialog_start_at (d, node));
  tb_dialog_prompt_finished (d);
  a = drain (d);
  g_assert_nonnull (find_type (a, TB_DIALOG_ACTION_LISTEN));
  g_assert_cmpint (tb_dialog_get_state (d), ==, TB_DIALOG_STATE_LISTENING);
  return d;
}

static void
test_barge_in (void)
{
  g_autoptr(TbScript) script = load_sample ("demo-en.json");
  Clock clock = { 0 };
  g_autoptr(TbDialog) d = tb_dialog_new (script, NULL, clock_now, &clock);
  g_autoptr(GPtrArray) a = NULL;

  /* The intro (disclosures) cannot be interrupted. */
  tb_dialog_answered (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (nth (a, 0)->node, ==, "intro");
  g_assert_false (nth (a, 0)->barge_in);
  tb_dialog_speech_started (d);
  tb_dialog_utterance (d, "yes", NULL, 0.0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_STOP_PROMPT), ==, 0);
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_PLAY_PROMPT), ==, 0);
  g_assert_cmpstr (tb_dialog_get_node (d), ==, "intro");

  /* The pitch can: speech stops it and the engine listens at once. */
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "pitch");
  g_assert_true (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->barge_in);
  /* The media stops it once the callee has spoken longer than a backchannel. */
  g_assert_cmpuint (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->barge_min_ms, >=, 300);
  g_assert_cmpuint (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->barge_after_ms, ==, 0);
  tb_dialog_speech_started (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpuint (a->len, ==, 0);
  tb_dialog_barged_in (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpuint (a->len, ==, 1);
  g_assert_cmpint (nth (a, 0)->type, ==, TB_DIALOG_ACTION_LISTEN);
  g_assert_true (g_strv_contains ((const char * const *) nth (a, 0)->intents, "yes"));
  g_assert_true (g_strv_contains ((const char * const *) nth (a, 0)->intents, "opt_out"));
  g_assert_true (g_strv_contains ((const char * const *) nth (a, 0)->intents, "robot"));
  tb_dialog_utterance (d, "yes", NULL, 0.0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "details");

  /* An utterance over a barge-in prompt without speech_started works too. */
  tb_dialog_utterance (d, "no", NULL, 0.0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpint (nth (a, 0)->type, ==, TB_DIALOG_ACTION_LOG_TURN);
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_STOP_PROMPT), ==, 1);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "followup");
}

static void
test_timeouts_and_retries (void)
{
  g_autoptr(TbScript) script = load_sample ("demo-en.json");
  Clock clock = { 5000000 };
  g_autoptr(TbDialog) d = dialog_at_listen (script, &clock, "pitch");
  g_autoptr(GPtrArray) a = NULL;
  const TbScriptNode *pitch = tb_script_get_node (script, "pitch");

  /* The deadline comes from the node's timeout_ms and the injected clock. */
  g_assert_cmpint (tb_dialog_get_deadline (d), ==, 5000000 + 5000 * 1000);
  clock.now += 4999 * 1000;
  g_assert_false (tb_dialog_tick (d));
  g_assert_cmpuint (tb_dialog_get_n_pending (d), ==, 0);
  clock.now += 1000;
  g_assert_true (tb_dialog_tick (d));
  a = drain (d);
  /* First silence: the retry prompt, same node. */
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->text, ==, pitch->retry_text);
  g_assert_cmpstr (tb_dialog_get_node (d), ==, "pitch");
  g_assert_cmpint (tb_dialog_get_deadline (d), ==, -1);
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_nonnull (find_type (a, TB_DIALOG_ACTION_LISTEN));
  g_assert_cmpint (tb_dialog_get_deadline (d), ==, clock.now + 5000 * 1000);
  /* Second silence: retries used up, the no_input route. */
  tb_dialog_silence_timeout (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "goodbye_silent");
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_HANG_UP)->reason, ==, "no_response");
  g_assert_true (tb_dialog_is_finished (d));
  g_clear_object (&d);

  /* No match twice: retry, then the no_match route. */
  d = dialog_at_listen (script, &clock, "pitch");
  tb_dialog_utterance (d, "bananas are yellow", NULL, 0.0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (nth (a, 0)->speaker, ==, "callee");
  g_assert_null (nth (a, 0)->intent);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->text, ==, pitch->retry_text);
  tb_dialog_prompt_finished (d);
  tb_dialog_utterance (d, "purple", NULL, 0.0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "goodbye_silent");

  /* A stale timeout after an answer does nothing. */
  g_clear_object (&d);
  d = dialog_at_listen (script, &clock, "pitch");
  tb_dialog_utterance (d, "yes", NULL, 0.0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  tb_dialog_silence_timeout (d);
  g_assert_cmpuint (tb_dialog_get_n_pending (d), ==, 0);
  g_assert_cmpstr (tb_dialog_get_node (d), ==, "details");
}

static void
test_global_resume (void)
{
  g_autoptr(TbScript) script = load_sample ("demo-en.json");
  Clock clock = { 0 };
  g_autoptr(TbDialog) d = dialog_at_listen (script, &clock, "pitch");
  g_autoptr(GPtrArray) a = NULL;
  const TbScriptIntent *robot = tb_script_get_intent (script, "robot");
  TbDialogAction *play;

  tb_dialog_utterance (d, "Wait, are you a robot?", NULL, 0.0);
  a = drain (d);
  play = find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT);
  g_assert_cmpstr (play->text, ==, robot->response);
  g_assert_cmpstr (play->intent, ==, "robot");
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_LISTEN), ==, 0);
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  /* Back at the same node: its question again. */
  play = find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT);
  g_assert_cmpstr (play->node, ==, "pitch");
  g_assert_true (g_str_has_prefix (play->text, "We deliver fresh flour"));
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_nonnull (find_type (a, TB_DIALOG_ACTION_LISTEN));
  tb_dialog_utterance (d, "yes", NULL, 0.0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "details");

  /* The same in Chinese, at the second question. */
  {
    g_autoptr(TbScript) zh = load_sample ("demo-zh.json");
    g_autoptr(TbDialog) z = dialog_at_listen (zh, &clock, "details");
    g_autoptr(GPtrArray) b = NULL;

    tb_dialog_utterance (z, "你是不是机器人啊?", NULL, 0.0);
    b = drain (z);
    g_assert_cmpstr (find_type (b, TB_DIALOG_ACTION_PLAY_PROMPT)->text, ==,
                     tb_script_get_intent (zh, "robot")->response);
    tb_dialog_prompt_finished (z);
    g_clear_pointer (&b, g_ptr_array_unref);
    b = drain (z);
    g_assert_cmpstr (find_type (b, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "details");
    tb_dialog_prompt_finished (z);
    tb_dialog_utterance (z, "可以", NULL, 0.0);
    g_clear_pointer (&b, g_ptr_array_unref);
    b = drain (z);
    g_assert_cmpstr (find_type (b, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "handoff");
  }

  /* During the intro (no barge-in), "who is this" is still answered, then
   * the intro is said again. */
  g_clear_object (&d);
  d = tb_dialog_new (script, NULL, clock_now, &clock);
  tb_dialog_answered (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  tb_dialog_utterance (d, "who is this?", NULL, 0.0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpint (nth (a, 1)->type, ==, TB_DIALOG_ACTION_STOP_PROMPT);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->intent, ==, "who_is_this");
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "intro");
}

static void
test_call_later (void)
{
  g_autoptr(TbScript) script = load_sample ("demo-zh.json");
  Clock clock = { 0 };
  g_autoptr(TbDialog) d = dialog_at_listen (script, &clock, "details");
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(TbGradeResult) r = NULL;

  tb_dialog_utterance (d, "现在没空,晚点再打吧", NULL, 0.0);
  a = drain (d);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->intent, ==, "call_later");
  g_assert_cmpstr (tb_dialog_get_outcome (d), ==, "callback_requested");
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_HANG_UP)->reason, ==, "callback_requested");
  r = tb_dialog_dup_result (d);
  g_assert_cmpstr (r->outcome, ==, "callback_requested");
  g_assert_false (r->opt_out);
  g_assert_cmpint (r->grade, !=, 0);
}

static void
test_voicemail_and_hangup (void)
{
  g_autoptr(TbScript) script = load_sample ("demo-en.json");
  Clock clock = { 0 };
  g_autoptr(TbDialog) d = tb_dialog_new (script, NULL, clock_now, &clock);
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(TbGradeResult) r = NULL;

  tb_dialog_answered (d);
  tb_dialog_answering_machine (d);
  a = drain (d);
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_STOP_PROMPT), ==, 1);
  g_assert_cmpstr (nth (a, a->len - 1)->node, ==, "voicemail");
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_HANG_UP)->reason, ==, "voicemail");
  r = tb_dialog_dup_result (d);
  g_assert_false (r->reached);
  g_assert_cmpint (r->grade, ==, 0);
  g_assert_cmpstr (r->outcome, ==, "voicemail");
  g_clear_object (&d);
  g_clear_pointer (&r, tb_grade_result_free);

  d = dialog_at_listen (script, &clock, "pitch");
  tb_dialog_callee_hung_up (d);
  g_assert_true (tb_dialog_is_finished (d));
  tb_dialog_utterance (d, "stop calling", NULL, 0.0);
  g_assert_cmpuint (tb_dialog_get_n_pending (d), ==, 0);
  r = tb_dialog_dup_result (d);
  g_assert_cmpstr (r->outcome, ==, "hung_up");
  g_assert_true (r->reached);
}

static void
test_recognizer_intent_and_variables (void)
{
  g_autoptr(TbScript) script = load_sample ("demo-en.json");
  g_autoptr(GHashTable) vars = g_hash_table_new (g_str_hash, g_str_equal);
  Clock clock = { 0 };
  g_autoptr(TbDialog) d = NULL;
  g_autoptr(GPtrArray) a = NULL;

  g_hash_table_insert (vars, "name", "Ms Li");
  g_hash_table_insert (vars, "company", "Li's Bakery");
  d = tb_dialog_new (script, vars, clock_now, &clock);
  tb_dialog_answered (d);
  a = drain (d);
  g_assert_true (g_str_has_prefix (nth (a, 0)->text, "Hello Ms Li. This is an automated"));
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_nonnull (strstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->text,
                            "to Li's Bakery at"));
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);

  /* A grammar recognizer's low-confidence intent counts as no match… */
  tb_dialog_utterance (d, "yes", "yes", 0.1);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (tb_dialog_get_node (d), ==, "pitch");
  g_assert_cmpstr (nth (a, 0)->speaker, ==, "callee");
  g_assert_null (nth (a, 0)->intent);
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  /* …a confident one routes… */
  tb_dialog_utterance (d, "yeah", "yes", 0.9);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpstr (tb_dialog_get_node (d), ==, "details");
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  /* …and opt-out words win over the recognizer's intent. */
  tb_dialog_utterance (d, "yes stop calling me", "yes", 0.9);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  g_assert_cmpint (nth (a, 0)->type, ==, TB_DIALOG_ACTION_ADD_TO_DNC);
}

static void
test_dtmf_configurable (void)
{
  const char *json =
    "{\"telebot_script\":1,\"intents\":{\"yes\":{\"phrases\":[\"yes\"],\"dtmf\":\"1\"}},"
    "\"global_intents\":{\"opt_out\":{\"phrases\":[\"stop\"],\"dtmf\":\"0\"}},"
    "\"start\":\"q\",\"nodes\":{"
    "\"q\":{\"type\":\"ask\",\"text\":\"Yes?\",\"retries\":0,"
    "\"routes\":{\"yes\":\"bye\",\"no_input\":\"bye\",\"no_match\":\"bye\"}},"
    "\"bye\":{\"type\":\"hangup\",\"text\":\"Bye\"}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = tb_script_new_from_data (json, -1, "dtmf.json", &error);
  Clock clock = { 0 };
  g_autoptr(TbDialog) d = NULL;
  g_autoptr(GPtrArray) a = NULL;

  g_assert_no_error (error);
  d = dialog_at_listen (script, &clock, "q");
  tb_dialog_dtmf (d, '9');
  a = drain (d);
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_ADD_TO_DNC), ==, 0);
  g_assert_false (tb_dialog_get_opted_out (d));
  g_clear_object (&d);
  g_clear_pointer (&a, g_ptr_array_unref);

  d = dialog_at_listen (script, &clock, "q");
  tb_dialog_dtmf (d, '0');
  a = drain (d);
  g_assert_cmpint (nth (a, 0)->type, ==, TB_DIALOG_ACTION_ADD_TO_DNC);
  g_assert_cmpstr (nth (a, 0)->text, ==, "DTMF 0");
  g_clear_object (&d);
  g_clear_pointer (&a, g_ptr_array_unref);

  d = dialog_at_listen (script, &clock, "q");
  tb_dialog_dtmf (d, '1');
  a = drain (d);
  g_assert_cmpstr (tb_dialog_get_node (d), ==, "bye");
}

static void
test_default_outcomes (void)
{
  const char *json =
    "{\"telebot_script\":1,\"intents\":{\"yes\":{\"phrases\":[\"yes\"]}},"
    "\"global_intents\":{\"opt_out\":{}},\"start\":\"q\",\"nodes\":{"
    "\"q\":{\"type\":\"ask\",\"text\":\"Yes?\",\"retries\":1,"
    "\"routes\":{\"yes\":\"bye\",\"no_input\":\"bye\",\"no_match\":\"bye\"}},"
    "\"bye\":{\"type\":\"hangup\",\"text\":\"Bye\"}}}";
  const char *empty[] = { "", "", NULL };
  const char *yes[] = { "yes", NULL };
  const char *odd[] = { "hmm", "what", NULL };
  g_autoptr(TbScript) script = tb_script_new_from_data (json, -1, "outcomes.json", NULL);
  g_autoptr(TbGradeResult) r1 = run_call (script, empty, NULL);
  g_autoptr(TbGradeResult) r2 = run_call (script, yes, NULL);
  g_autoptr(TbGradeResult) r3 = run_call (script, odd, NULL);

  /* Empty utterances are silence: nobody said anything. */
  g_assert_cmpstr (r1->outcome, ==, "no_response");
  g_assert_cmpstr (r2->outcome, ==, "completed");
  g_assert_cmpstr (r3->outcome, ==, "completed");
}

static void
test_opt_out_without_declared_intent (void)
{
  /* A script that forgot opt-out (the checker refuses it) still honours
   * the regulatory phrases and DTMF 9 at runtime. */
  const char *json =
    "{\"telebot_script\":1,\"language\":\"zh-CN\",\"start\":\"q\",\"nodes\":{"
    "\"q\":{\"type\":\"ask\",\"text\":\"好吗?\",\"routes\":{\"no_input\":\"bye\","
    "\"no_match\":\"bye\"}},\"bye\":{\"type\":\"hangup\",\"text\":\"再见\"}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = tb_script_new_from_data (json, -1, "bare.json", &error);
  Clock clock = { 0 };
  g_autoptr(TbDialog) d = NULL;
  g_autoptr(GPtrArray) a = NULL;

  g_assert_no_error (error);
  d = dialog_at_listen (script, &clock, "q");
  tb_dialog_utterance (d, "把我号码删掉", NULL, 0.0);
  a = drain (d);
  assert_opt_out (d, a, tb_dialog_opt_out_goodbye ("zh-CN"), TB_DIALOG_SOURCE_SPEECH);
  g_assert_cmpstr (tb_dialog_opt_out_goodbye ("zh-CN"), ==,
                   "您的号码已登记，不会再来电。打扰了，再见。");
  g_assert_cmpstr (tb_dialog_opt_out_goodbye ("en"), ==, "You won't be called again. Goodbye.");
}

/* A node's turn-ending silences travel with its LISTEN action (the defaults where it sets
 * none), and what it may say next is listed for the call to load while the callee speaks. */
static void
test_end_silence_and_next_prompts (void)
{
  const char *json =
    "{\"telebot_script\":1,\"start\":\"q\","
    "\"intents\":{\"yes\":{\"phrases\":[\"yes\"]},\"no\":{\"phrases\":[\"no\"]}},"
    "\"global_intents\":{\"opt_out\":{\"phrases\":[\"stop calling\"]},"
    "  \"who\":{\"phrases\":[\"who is this\"],\"action\":\"resume\","
    "           \"response\":\"This is Acme.\"}},"
    "\"nodes\":{"
    "\"q\":{\"type\":\"ask\",\"text\":\"Interested?\",\"retry_text\":\"Yes or no?\","
    "  \"end_silence_ms\":500,\"end_silence_complete_ms\":200,"
    "  \"routes\":{\"yes\":\"pitch\",\"no\":\"bye\",\"no_input\":\"bye\","
    "  \"no_match\":\"bye\"}},"
    "\"pitch\":{\"type\":\"ask\",\"text\":\"Great, it costs {price}.\","
    "  \"routes\":{\"no_input\":\"bye\",\"no_match\":\"bye\"}},"
    "\"bye\":{\"type\":\"hangup\",\"text\":\"Goodbye.\"}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = tb_script_new_from_data (json, -1, "silence.json", &error);
  g_autoptr(GHashTable) vars = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TbDialog) d = NULL;
  g_autoptr(GPtrArray) a = NULL;
  g_auto(GStrv) next = NULL;
  const TbDialogAction *listen;
  Clock clock = { 0 };

  g_assert_no_error (error);
  g_hash_table_insert (vars, "price", "ten dollars");
  d = tb_dialog_new (script, vars, clock_now, &clock);
  g_assert_true (tb_dialog_start_at (d, "q"));
  tb_dialog_prompt_finished (d);
  a = drain (d);
  listen = find_type (a, TB_DIALOG_ACTION_LISTEN);
  g_assert_nonnull (listen);
  g_assert_cmpuint (listen->end_silence_ms, ==, 500);
  g_assert_cmpuint (listen->end_silence_complete_ms, ==, 200);

  next = tb_dialog_dup_next_prompt_texts (d);
  g_assert_true (g_strv_contains ((const char * const *) next, "Great, it costs ten dollars."));
  g_assert_true (g_strv_contains ((const char * const *) next, "Goodbye."));
  g_assert_true (g_strv_contains ((const char * const *) next, "Yes or no?"));
  g_assert_true (g_strv_contains ((const char * const *) next, "This is Acme."));
  g_assert_true (g_strv_contains ((const char * const *) next,
                                  tb_dialog_opt_out_goodbye ("en")));
  /* The node's own question is not what it says next. */
  g_assert_false (g_strv_contains ((const char * const *) next, "Interested?"));

  /* At "pitch", which sets nothing: the script format's defaults. */
  tb_dialog_utterance (d, "yes", NULL, 1.0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = drain (d);
  listen = find_type (a, TB_DIALOG_ACTION_LISTEN);
  g_assert_nonnull (listen);
  g_assert_cmpstr (listen->node, ==, "pitch");
  g_assert_cmpuint (listen->end_silence_ms, ==, 350);
  g_assert_cmpuint (listen->end_silence_complete_ms, ==, 180);
}

static void
test_grader (void)
{
  TbScriptGrading g = { .a = 80, .b = 60, .c = 40, .d = 20, .base = 50 };
  TbScriptGrade plus = { TRUE, 70, "loved it", NULL };
  TbScriptGrade minus = { TRUE, -90, NULL, NULL };
  g_autoptr(TbGrader) grader = tb_grader_new (&g);
  g_autoptr(TbGradeResult) r = NULL;
  g_autoptr(TbGradeResult) none = tb_grade_result_new_unreached ("busy");
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (tb_grade_for_score (&g, 80), ==, 'A');
  g_assert_cmpint (tb_grade_for_score (&g, 79), ==, 'B');
  g_assert_cmpint (tb_grade_for_score (&g, 40), ==, 'C');
  g_assert_cmpint (tb_grade_for_score (&g, 20), ==, 'D');
  g_assert_cmpint (tb_grade_for_score (&g, 19), ==, 'E');

  /* Scores clamp to 0..100; every effect is a reason. */
  tb_grader_apply (grader, &plus, "pitch", "yes", "yes please");
  g_assert_cmpint (tb_grader_get_score (grader), ==, 100);
  tb_grader_apply (grader, &minus, "details", NULL, NULL);
  tb_grader_apply (grader, &minus, "details", NULL, NULL);
  g_assert_cmpint (tb_grader_get_score (grader), ==, 0);
  r = tb_grader_finish (grader, "completed", TRUE);
  g_assert_cmpint (r->grade, ==, 'E');
  g_assert_true (g_strv_contains ((const char * const *) r->reasons,
                                  "said 'yes please' at node pitch: +70 (loved it)"));
  g_assert_true (g_strv_contains ((const char * const *) r->reasons,
                                  "reached node details: -90"));

  /* Not reached: an outcome, no grade, grade null in JSON. */
  g_assert_false (none->reached);
  g_assert_cmpint (none->grade, ==, 0);
  json = tb_grade_result_to_json (none);
  text = json_to_string (json, FALSE);
  g_assert_cmpstr (text, ==, "{\"outcome\":\"busy\",\"grade\":null,\"score\":0,\"reasons\":[],"
                   "\"tags\":[],\"opt_out\":false}");
}

/* ---- an opt-out heard but not certain: ask once (COMPLIANCE.md R2) ------ */

typedef enum {
  ANSWER_YES,
  ANSWER_NO,
  ANSWER_KEY,
  ANSWER_SILENCE,
  ANSWER_HANG_UP,
  ANSWER_UNCLEAR,
} Answer;

/* At the demo's pitch, the callee says something that may be an opt-out; the robot asks. */
static TbDialog *
start_confirm (TbScript  *script,
               Clock     *clock,
               const char *words,
               GPtrArray **asked)
{
  TbDialog *d = tb_dialog_new (script, NULL, clock_now, clock);
  g_autoptr(GPtrArray) start = NULL;
  TbDialogAction *question;

  g_assert_true (tb_dialog_start_at (d, "pitch"));
  start = drain (d);
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&start, g_ptr_array_unref);
  start = drain (d);
  clock->now += 1000000;
  tb_dialog_utterance (d, words, NULL, 0.0);
  *asked = drain (d);
  /* Nothing recorded yet: the words, then the question. */
  g_assert_null (find_type (*asked, TB_DIALOG_ACTION_ADD_TO_DNC));
  question = find_type (*asked, TB_DIALOG_ACTION_PLAY_PROMPT);
  g_assert_nonnull (question);
  g_assert_cmpstr (question->intent, ==, "opt_out_confirm");
  g_assert_true (tb_dialog_get_confirming (d));
  g_assert_false (tb_dialog_get_opted_out (d));
  return d;
}

static void
confirm_case (Answer      answer,
              const char *said)
{
  g_autoptr(TbScript) script = load_sample ("demo-en.json");
  Clock clock = { 1000 };
  g_autoptr(GPtrArray) asked = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(TbDialog) d = start_confirm (script, &clock, "stop, let me get a pen", &asked);
  g_autoptr(GPtrArray) listen = NULL;
  TbDialogAction *l;

  g_assert_cmpstr (find_type (asked, TB_DIALOG_ACTION_PLAY_PROMPT)->text, ==,
                   "Just to confirm: should we stop calling you? Say yes, or press 9.");
  tb_dialog_prompt_finished (d);
  listen = drain (d);
  l = find_type (listen, TB_DIALOG_ACTION_LISTEN);
  g_assert_nonnull (l);
  g_assert_true (g_strv_contains ((const char * const *) l->intents, "no"));
  clock.now += 1000000;
  switch (answer) {
  case ANSWER_YES:
  case ANSWER_NO:
  case ANSWER_UNCLEAR:
    tb_dialog_utterance (d, said, NULL, 0.0);
    break;
  case ANSWER_KEY:
    tb_dialog_dtmf (d, '9');
    break;
  case ANSWER_SILENCE:
    clock.now += 6000000;
    g_assert_true (tb_dialog_tick (d));
    break;
  case ANSWER_HANG_UP:
    tb_dialog_callee_hung_up (d);
    break;
  default:
    g_assert_not_reached ();
  }
  after = drain (d);
  if (answer == ANSWER_NO) {
    TbDialogAction *again = find_type (after, TB_DIALOG_ACTION_PLAY_PROMPT);

    /* Back to the node: its question again, nothing recorded, and never asked twice. */
    g_assert_null (find_type (after, TB_DIALOG_ACTION_ADD_TO_DNC));
    g_assert_false (tb_dialog_get_opted_out (d));
    g_assert_false (tb_dialog_get_confirming (d));
    g_assert_nonnull (again);
    g_assert_cmpstr (again->node, ==, "pitch");
    tb_dialog_prompt_finished (d);
    g_clear_pointer (&after, g_ptr_array_unref);
    after = drain (d);
    tb_dialog_utterance (d, "stop, let me think", NULL, 0.0);
    g_clear_pointer (&after, g_ptr_array_unref);
    after = drain (d);
    g_assert_cmpint (nth (after, 0)->type, ==, TB_DIALOG_ACTION_ADD_TO_DNC);
    return;
  }
  /* Recorded, first, with what was said before the question and the answer. */
  g_assert_cmpint (nth (after, 0)->type, ==, TB_DIALOG_ACTION_ADD_TO_DNC);
  g_assert_nonnull (strstr (nth (after, 0)->text, "stop, let me get a pen"));
  g_assert_true (tb_dialog_get_opted_out (d));
  if (answer == ANSWER_HANG_UP) {
    g_assert_null (find_type (after, TB_DIALOG_ACTION_PLAY_PROMPT));
    g_assert_true (tb_dialog_is_finished (d));
  } else {
    g_assert_cmpstr (find_type (after, TB_DIALOG_ACTION_PLAY_PROMPT)->text, ==,
                     tb_dialog_opt_out_goodbye ("en"));
  }
}

static void
test_confirm_opt_out (void)
{
  confirm_case (ANSWER_YES, "yes");
  confirm_case (ANSWER_YES, "yeah that's right");
  confirm_case (ANSWER_NO, "no no, carry on");
  confirm_case (ANSWER_NO, "no");
  confirm_case (ANSWER_KEY, NULL);
  confirm_case (ANSWER_SILENCE, NULL);
  confirm_case (ANSWER_HANG_UP, NULL);
  confirm_case (ANSWER_UNCLEAR, "what do you mean");
  confirm_case (ANSWER_UNCLEAR, "no, don't call me again");   /* an opt-out is no "no" */
}

static void
test_confirm_transcript (void)
{
  g_autoptr(TbScript) script = load_sample ("demo-en.json");
  Clock clock = { 1000 };
  g_autoptr(GPtrArray) asked = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(TbDialog) d = start_confirm (script, &clock, "stop, let me get a pen", &asked);
  guint callee = 0, bot = 0;

  /* Both turns are in the transcript: the words (marked as a possible opt-out), the question. */
  for (guint i = 0; i < asked->len; i++) {
    TbDialogAction *a = nth (asked, i);

    if (a->type != TB_DIALOG_ACTION_LOG_TURN)
      continue;
    if (g_str_equal (a->speaker, "callee")) {
      g_assert_cmpstr (a->text, ==, "stop, let me get a pen");
      g_assert_cmpstr (a->intent, ==, "opt_out?");
      callee++;
    } else {
      bot++;
    }
  }
  g_assert_cmpuint (callee, ==, 1);
  g_assert_cmpuint (bot, ==, 1);
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&asked, g_ptr_array_unref);
  asked = drain (d);
  tb_dialog_utterance (d, "yes please", NULL, 0.0);
  after = drain (d);
  g_assert_cmpstr (nth (after, 0)->text, ==, "stop, let me get a pen / yes please");
  g_assert_cmpstr (find_type (after, TB_DIALOG_ACTION_LOG_TURN)->text, ==, "yes please");
}

static void
test_confirm_forbidden (void)
{
  g_autoptr(TbScript) script = load_sample ("demo-zh.json");
  Clock clock = { 1000 };
  g_autoptr(TbDialog) d = tb_dialog_new (script, NULL, clock_now, &clock);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) start = NULL;

  /* A pack that forbids the question: recorded on first hearing. */
  tb_dialog_set_confirm_opt_out (d, FALSE);
  g_assert_true (tb_dialog_start_at (d, "pitch"));
  start = drain (d);
  tb_dialog_utterance (d, "停一下我拿个笔", NULL, 0.0);
  after = drain (d);
  g_assert_cmpint (nth (after, 0)->type, ==, TB_DIALOG_ACTION_ADD_TO_DNC);
}

static void
test_confirm_recognizer (void)
{
  g_autoptr(TbScript) script = load_sample ("demo-zh.json");
  Clock clock = { 1000 };
  g_autoptr(TbDialog) d = tb_dialog_new (script, NULL, clock_now, &clock);
  g_autoptr(TbDialog) sure = tb_dialog_new (script, NULL, clock_now, &clock);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) start = NULL;

  /* A grammar recognizer's opt-out at a low confidence is asked about, in Chinese. */
  g_assert_true (tb_dialog_start_at (d, "pitch"));
  start = drain (d);
  tb_dialog_utterance (d, "别打了", "opt_out", 0.35);
  after = drain (d);
  g_assert_null (find_type (after, TB_DIALOG_ACTION_ADD_TO_DNC));
  g_assert_nonnull (strstr (find_type (after, TB_DIALOG_ACTION_PLAY_PROMPT)->text, "跟您确认一下"));
  g_clear_pointer (&after, g_ptr_array_unref);
  g_clear_pointer (&start, g_ptr_array_unref);
  /* The same reading, sure of itself: recorded at once. */
  g_assert_true (tb_dialog_start_at (sure, "pitch"));
  start = drain (sure);
  tb_dialog_utterance (sure, "别打了", "opt_out", 0.9);
  after = drain (sure);
  g_assert_cmpint (nth (after, 0)->type, ==, TB_DIALOG_ACTION_ADD_TO_DNC);
}

/* Two readings of one utterance (the embedded recognizer's grammar and free passes): an
 * opt-out both read is recorded at once; one only one reads is asked about, whichever it is;
 * otherwise the free pass names the intent. */
static TbDialog *
readings_case (TbScript   *script,
               Clock      *clock,
               const char *text,
               const char *alternative,
               GPtrArray **after)
{
  TbDialog *d = tb_dialog_new (script, NULL, clock_now, clock);
  g_autoptr(GPtrArray) start = NULL;

  g_assert_true (tb_dialog_start_at (d, "pitch"));
  start = drain (d);
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&start, g_ptr_array_unref);
  start = drain (d);
  clock->now += 1000000;
  tb_dialog_utterance_readings (d, text, alternative, 0.9);
  *after = drain (d);
  return d;
}

static void
test_confirm_readings (void)
{
  g_autoptr(TbScript) script = load_sample ("demo-en.json");
  Clock clock = { 1000 };
  TbDialog *d;
  GPtrArray *after;
  TbDialogAction *turn;

  /* What one turn's two readings lead to: both hear an opt-out: recorded at once; one only:
   * asked (about the words of the reading that heard it); none: the free pass's intent and
   * words when it names one, else the grammar's. */
  static const struct {
    const char *grammar, *free;
    gboolean    recorded, asked;
    const char *text, *intent;   /* the callee's logged turn; NULL: not checked */
  } turns[] = {
    { "stop calling", "please stop calling me", TRUE, FALSE, NULL, NULL },
    { "stop calling", "i am not calling about that", FALSE, TRUE, NULL, NULL },
    { "yes", "never call me again", FALSE, TRUE, "never call me again", "opt_out?" },
    { "who are you", "yes please tell me more", FALSE, FALSE, "yes please tell me more", "yes" },
    { "yes", "the weather", FALSE, FALSE, "yes", "yes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (turns); i++) {
    g_test_message ("grammar “%s”, free pass “%s”", turns[i].grammar, turns[i].free);
    d = readings_case (script, &clock, turns[i].grammar, turns[i].free, &after);
    g_assert_cmpint (find_type (after, TB_DIALOG_ACTION_ADD_TO_DNC) != NULL, ==,
                     turns[i].recorded);
    g_assert_cmpint (tb_dialog_get_opted_out (d), ==, turns[i].recorded);
    g_assert_cmpint (tb_dialog_get_confirming (d), ==, turns[i].asked);
    if (turns[i].text != NULL) {
      turn = find_type (after, TB_DIALOG_ACTION_LOG_TURN);
      g_assert_cmpstr (turn->text, ==, turns[i].text);
      g_assert_cmpstr (turn->intent, ==, turns[i].intent);
    }
    g_ptr_array_unref (after);
    g_object_unref (d);
  }

  /* The answer to the question: the grammar heard nothing, the free pass a clear "no": the
   * call resumes. */
  d = readings_case (script, &clock, "yes", "never call me again", &after);
  g_ptr_array_unref (after);
  tb_dialog_utterance_readings (d, "", "no", 0.9);
  after = drain (d);
  g_assert_null (find_type (after, TB_DIALOG_ACTION_ADD_TO_DNC));
  g_assert_false (tb_dialog_get_confirming (d));
  g_assert_false (tb_dialog_get_opted_out (d));
  g_assert_cmpstr (find_type (after, TB_DIALOG_ACTION_LOG_TURN)->text, ==, "no");
  g_ptr_array_unref (after);
  g_object_unref (d);

  /* A "no" one reading contradicts with a "yes" is no clear "no": recorded (the safe side),
   * whichever reading says which. */
  for (guint i = 0; i < 2; i++) {
    d = readings_case (script, &clock, "yes", "never call me again", &after);
    g_ptr_array_unref (after);
    tb_dialog_utterance_readings (d, i == 0 ? "yes" : "no", i == 0 ? "no" : "yes", 0.9);
    after = drain (d);
    g_assert_nonnull (find_type (after, TB_DIALOG_ACTION_ADD_TO_DNC));
    g_assert_true (tb_dialog_get_opted_out (d));
    g_ptr_array_unref (after);
    g_object_unref (d);
  }

  /* Where asking is not allowed, a reading of an opt-out is recorded (the safe side). */
  {
    g_autoptr(TbDialog) no_ask = tb_dialog_new (script, NULL, clock_now, &clock);
    g_autoptr(GPtrArray) start = NULL;

    tb_dialog_set_confirm_opt_out (no_ask, FALSE);
    g_assert_true (tb_dialog_start_at (no_ask, "pitch"));
    start = drain (no_ask);
    tb_dialog_utterance_readings (no_ask, "yes", "never call me again", 0.9);
    after = drain (no_ask);
    g_assert_cmpint (nth (after, 0)->type, ==, TB_DIALOG_ACTION_ADD_TO_DNC);
    g_ptr_array_unref (after);
  }
}

static gboolean
has_phrase (const char * const *phrases,
            const char         *phrase)
{
  return phrases != NULL && g_strv_contains (phrases, phrase);
}

/* Which readings need a second one: the LISTEN action names the intents whose reading the
 * dialog takes as it comes (all but the opt-out; in the confirm turn "yes" and the opt-out),
 * and the script turns them into the recognizer's settled phrases — none that another intent
 * of the turn also has. */
static void
test_settled (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("TELEBOT_SOURCE_DIR"), "data", "scripts",
                                            "demo-en.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) changed = NULL;
  g_autoptr(TbScript) script = load_sample ("demo-en.json");
  g_autoptr(TbScript) shared = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) opt_out = tb_script_dup_phrases (script, "opt_out");
  g_auto(GStrv) intro = tb_script_dup_settled_intents (script, "intro");
  g_auto(GStrv) intro_listens = tb_script_dup_listen_intents (script, "intro");
  Clock clock = { 1000 };
  g_autoptr(TbDialog) d = tb_dialog_new (script, NULL, clock_now, &clock);
  g_autoptr(GPtrArray) start = NULL;
  g_autoptr(GPtrArray) asked = NULL;
  TbDialogAction *listen;
  const char * const settled_confirm[] = { "yes", "opt_out", NULL };

  /* Settled: every intent a node listens for but the opt-out. */
  g_assert_cmpuint (g_strv_length (intro), ==, g_strv_length (intro_listens) - 1);
  g_assert_false (g_strv_contains ((const char * const *) intro, "opt_out"));
  g_assert_true (g_strv_contains ((const char * const *) intro_listens, "opt_out"));

  g_assert_true (tb_dialog_start_at (d, "pitch"));
  g_clear_pointer (&start, g_ptr_array_unref);
  start = drain (d);
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&start, g_ptr_array_unref);
  start = drain (d);
  listen = find_type (start, TB_DIALOG_ACTION_LISTEN);
  g_assert_nonnull (listen);
  g_assert_true (g_strv_contains ((const char * const *) listen->settled, "yes"));
  g_assert_true (g_strv_contains ((const char * const *) listen->settled, "no"));
  g_assert_false (g_strv_contains ((const char * const *) listen->settled, "opt_out"));
  g_assert_cmpuint (g_strv_length (listen->settled), ==, g_strv_length (listen->intents) - 1);
  g_assert_true (g_strv_contains ((const char * const *) listen->intents, "opt_out"));
  {
    g_auto(GStrv) phrases = tb_script_dup_settled_grammar (script,
                                                           (const char * const *) listen->intents,
                                                           (const char * const *) listen->settled);

    g_assert_true (has_phrase ((const char * const *) phrases, "yes please"));
    g_assert_true (has_phrase ((const char * const *) phrases, "no thanks"));
    for (guint i = 0; opt_out[i] != NULL; i++)
      g_assert_false (has_phrase ((const char * const *) phrases, opt_out[i]));
  }

  /* The confirm turn: a "yes" or an opt-out is settled, a "no" is not. */
  clock.now += 1000000;
  tb_dialog_utterance (d, "stop, let me get a pen", NULL, 0.0);
  asked = drain (d);
  g_assert_true (tb_dialog_get_confirming (d));
  tb_dialog_prompt_finished (d);
  g_clear_pointer (&asked, g_ptr_array_unref);
  asked = drain (d);
  listen = find_type (asked, TB_DIALOG_ACTION_LISTEN);
  g_assert_nonnull (listen);
  g_assert_true (g_strv_equal ((const char * const *) listen->settled, settled_confirm));
  {
    g_auto(GStrv) phrases = tb_script_dup_settled_grammar (script,
                                                           (const char * const *) listen->intents,
                                                           (const char * const *) listen->settled);

    g_assert_true (has_phrase ((const char * const *) phrases, "yes"));
    g_assert_true (has_phrase ((const char * const *) phrases, opt_out[0]));
    g_assert_false (has_phrase ((const char * const *) phrases, "no"));
  }

  /* A phrase of the node's "no" that an opt-out also has (as words) is not settled. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  changed = g_string_new (text);
  g_assert_cmpuint (g_string_replace (changed, "\"no thank you\"",
                                      "\"no thank you\", \"Stop calling!\"", 1), ==, 1);
  g_assert_true (has_phrase ((const char * const *) opt_out, "stop calling"));
  shared = tb_script_new_from_data (changed->str, changed->len, "shared.json", &error);
  g_assert_no_error (error);
  {
    g_auto(GStrv) intents = tb_script_dup_listen_intents (shared, "pitch");
    g_auto(GStrv) node = tb_script_dup_settled_intents (shared, "pitch");
    g_auto(GStrv) phrases = tb_script_dup_settled_grammar (shared, (const char * const *) intents,
                                                           (const char * const *) node);

    g_assert_true (has_phrase ((const char * const *) phrases, "no thank you"));
    g_assert_false (has_phrase ((const char * const *) phrases, "Stop calling!"));
  }
}

/* Barge-in as a policy per node: off, on, after N ms, only for some intents; backchannels do
 * not interrupt unless the node says so; the opt-out always does. */
static char *
barge_json (const char *policy)
{
  return g_strdup_printf (
    "{\"telebot_script\": 1, \"language\": \"en\","
    " \"intents\": {\"yes\": {\"builtin\": true}, \"no\": {\"builtin\": true}},"
    " \"global_intents\": {\"opt_out\": {\"dtmf\": \"9\"},"
    "   \"robot\": {\"builtin\": true, \"response\": \"Yes, a robot.\"}},"
    " \"start\": \"q\", \"nodes\": {"
    "  \"q\": {\"type\": \"ask\", \"text\": \"Would you like to hear more?\","
    "    \"barge_in\": %s,"
    "    \"routes\": {\"yes\": \"y\", \"no\": \"n\", \"no_input\": \"n\","
    "      \"no_match\": \"n\"}},"
    "  \"y\": {\"type\": \"hangup\", \"text\": \"Great.\"},"
    "  \"n\": {\"type\": \"hangup\", \"text\": \"Bye.\"}}}", policy);
}

static TbScript *
barge_script (const char *policy)
{
  g_autofree char *json = barge_json (policy);
  g_autoptr(GError) error = NULL;
  TbScript *script = tb_script_new_from_data (json, -1, "barge.json", &error);

  g_assert_no_error (error);
  return script;
}

/* Starts the script; returns the question's PLAY_PROMPT. */
static TbDialogAction *
barge_start (TbDialog  *d,
             GPtrArray **a)
{
  tb_dialog_answered (d);
  *a = drain (d);
  return find_type (*a, TB_DIALOG_ACTION_PLAY_PROMPT);
}

/* What the dialog does when @words come while the question still plays. */
static GPtrArray *
over_prompt (TbScript   *script,
             const char *words)
{
  Clock clock = { 0 };
  g_autoptr(TbDialog) d = tb_dialog_new (script, NULL, clock_now, &clock);
  g_autoptr(GPtrArray) a = NULL;

  barge_start (d, &a);
  tb_dialog_utterance (d, words, NULL, 0.0);
  return drain (d);
}

static void
test_barge_policy (void)
{
  g_autoptr(TbScript) off = barge_script ("false");
  g_autoptr(TbScript) on = barge_script ("true");
  g_autoptr(TbScript) after = barge_script ("{\"after_ms\": 1500}");
  g_autoptr(TbScript) only_no = barge_script ("{\"intents\": [\"no\"]}");
  g_autoptr(TbScript) chatty = barge_script ("{\"backchannels\": true}");
  g_autoptr(GPtrArray) a = NULL;
  Clock clock = { 0 };
  TbDialogAction *p;

  /* off: the media may not stop the prompt; an answer over it is not taken; the opt-out is. */
  {
    g_autoptr(TbDialog) d = tb_dialog_new (off, NULL, clock_now, &clock);

    p = barge_start (d, &a);
    g_assert_false (p->barge_in);
  }
  g_clear_pointer (&a, g_ptr_array_unref);
  a = over_prompt (off, "yes please");
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_STOP_PROMPT), ==, 0);
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_PLAY_PROMPT), ==, 0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = over_prompt (off, "stop calling me");
  g_assert_cmpint (nth (a, 0)->type, ==, TB_DIALOG_ACTION_ADD_TO_DNC);

  /* on: speech stops it (past a backchannel's length); an answer over it routes. */
  {
    g_autoptr(TbDialog) d = tb_dialog_new (on, NULL, clock_now, &clock);

    g_clear_pointer (&a, g_ptr_array_unref);
    p = barge_start (d, &a);
    g_assert_true (p->barge_in);
    g_assert_cmpuint (p->barge_after_ms, ==, 0);
    g_assert_cmpuint (p->barge_min_ms, >, 0);
  }
  g_clear_pointer (&a, g_ptr_array_unref);
  a = over_prompt (on, "yes please");
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_STOP_PROMPT), ==, 1);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "y");
  /* …but a backchannel over it is only listening: the question plays on. */
  g_clear_pointer (&a, g_ptr_array_unref);
  a = over_prompt (on, "uh-huh");
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_STOP_PROMPT), ==, 0);
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_PLAY_PROMPT), ==, 0);
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_LOG_TURN), ==, 1);

  /* after N ms: the media is told when. */
  {
    g_autoptr(TbDialog) d = tb_dialog_new (after, NULL, clock_now, &clock);

    g_clear_pointer (&a, g_ptr_array_unref);
    p = barge_start (d, &a);
    g_assert_true (p->barge_in);
    g_assert_cmpuint (p->barge_after_ms, ==, 1500);
  }

  /* only for intents: speech alone never stops it; "no" does, "yes" does not, the opt-out
   * and the global intents still act. */
  {
    g_autoptr(TbDialog) d = tb_dialog_new (only_no, NULL, clock_now, &clock);

    g_clear_pointer (&a, g_ptr_array_unref);
    p = barge_start (d, &a);
    g_assert_false (p->barge_in);
  }
  g_clear_pointer (&a, g_ptr_array_unref);
  a = over_prompt (only_no, "no thanks");
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_STOP_PROMPT), ==, 1);
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->node, ==, "n");
  g_clear_pointer (&a, g_ptr_array_unref);
  a = over_prompt (only_no, "yes please");
  g_assert_cmpuint (count_type (a, TB_DIALOG_ACTION_PLAY_PROMPT), ==, 0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = over_prompt (only_no, "never call me again");
  g_assert_cmpint (nth (a, 0)->type, ==, TB_DIALOG_ACTION_ADD_TO_DNC);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = over_prompt (only_no, "are you a robot");
  g_assert_cmpstr (find_type (a, TB_DIALOG_ACTION_PLAY_PROMPT)->text, ==, "Yes, a robot.");

  /* backchannels interrupt when the node says so. */
  {
    g_autoptr(TbDialog) d = tb_dialog_new (chatty, NULL, clock_now, &clock);

    g_clear_pointer (&a, g_ptr_array_unref);
    p = barge_start (d, &a);
    g_assert_cmpuint (p->barge_min_ms, ==, 0);
  }

  /* The policy survives the editor: set there, or written by hand and saved unchanged. */
  {
    g_autoptr(TbScriptDocument) document = tb_script_document_new ();
    g_autofree char *json = barge_json ("true");
    g_autoptr(TbScript) again = NULL;
    g_autoptr(TbDialog) d = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (tb_script_document_load_json (document, json, &error));
    tb_script_document_set_node_barge_policy (document, "q", 1500, FALSE);
    again = tb_script_document_dup_script (document, "again.json", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tb_script_get_node (again, "q")->barge_after_ms, ==, 1500);
    d = tb_dialog_new (again, NULL, clock_now, &clock);
    g_clear_pointer (&a, g_ptr_array_unref);
    p = barge_start (d, &a);
    g_assert_true (p->barge_in);
    g_assert_cmpuint (p->barge_after_ms, ==, 1500);
    g_clear_object (&d);

    g_free (json);
    json = barge_json ("{\"intents\": [\"no\"]}");
    g_assert_true (tb_script_document_load_json (document, json, &error));
    g_clear_object (&again);
    again = tb_script_document_dup_script (document, "again.json", &error);
    g_assert_no_error (error);
    g_assert_true (g_strv_contains (
      (const char * const *) tb_script_get_node (again, "q")->barge_intents, "no"));
    /* The editor's policy setter keeps the intents a person wrote. */
    tb_script_document_set_node_barge_policy (document, "q", 0, TRUE);
    g_clear_object (&again);
    again = tb_script_document_dup_script (document, "again.json", &error);
    g_assert_no_error (error);
    g_assert_true (g_strv_contains (
      (const char * const *) tb_script_get_node (again, "q")->barge_intents, "no"));
    g_assert_true (tb_script_get_node (again, "q")->barge_backchannels);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/telebot/script/dialog/opt-out-every-node-en", test_opt_out_every_node_en);
  g_test_add_func ("/telebot/script/dialog/opt-out-every-node-zh", test_opt_out_every_node_zh);
  g_test_add_func ("/telebot/script/dialog/opt-out-undeclared",
                   test_opt_out_without_declared_intent);
  g_test_add_func ("/telebot/script/dialog/paths", test_paths);
  g_test_add_func ("/telebot/script/dialog/reasons", test_reasons);
  g_test_add_func ("/telebot/script/dialog/reasons-read-back", test_reasons_read_back);
  g_test_add_func ("/telebot/script/dialog/barge-in", test_barge_in);
  g_test_add_func ("/telebot/script/dialog/barge-in-policy", test_barge_policy);
  g_test_add_func ("/telebot/script/dialog/timeouts-and-retries", test_timeouts_and_retries);
  g_test_add_func ("/telebot/script/dialog/global-resume", test_global_resume);
  g_test_add_func ("/telebot/script/dialog/call-later", test_call_later);
  g_test_add_func ("/telebot/script/dialog/voicemail-and-hangup", test_voicemail_and_hangup);
  g_test_add_func ("/telebot/script/dialog/recognizer-intent-and-variables",
                   test_recognizer_intent_and_variables);
  g_test_add_func ("/telebot/script/dialog/dtmf-configurable", test_dtmf_configurable);
  g_test_add_func ("/telebot/script/dialog/confirm-opt-out", test_confirm_opt_out);
  g_test_add_func ("/telebot/script/dialog/confirm-transcript", test_confirm_transcript);
  g_test_add_func ("/telebot/script/dialog/confirm-forbidden", test_confirm_forbidden);
  g_test_add_func ("/telebot/script/dialog/confirm-recognizer", test_confirm_recognizer);
  g_test_add_func ("/telebot/script/dialog/confirm-readings", test_confirm_readings);
  g_test_add_func ("/telebot/script/dialog/settled", test_settled);
  g_test_add_func ("/telebot/script/grader", test_grader);
  g_test_add_func ("/telebot/script/dialog/end-silence-and-next-prompts",
                   test_end_silence_and_next_prompts);
  g_test_add_func ("/telebot/script/dialog/default-outcomes", test_default_outcomes);
  return g_test_run ();
}
