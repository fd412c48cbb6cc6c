/* test-script.c — the script: loading, syntax errors with line:column, the
 * checker (one file per kind of problem); the editor's document, and that what
 * it saves a campaign loads as the same script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-script"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tb-limits.h"
#include "tb-script-document.h"
#include "tb-script.h"

static char *
source_path (const char *first,
             ...)
{
  const char *root = g_getenv ("TELEBOT_SOURCE_DIR");
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;
  const char *p;

  g_assert_nonnull (root);
  g_ptr_array_add (parts, (gpointer) root);
  va_start (args, first);
  for (p = first; p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static TbScript *
load_file (const char  *path,
           GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *base = g_path_get_basename (path);
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  return tb_script_new_from_data (text, len, base, error);
}

static TbScript *
load_test_data (const char  *name,
                GError     **error)
{
  g_autofree char *path = source_path ("tests", "data", "scripts", name, NULL);

  return load_file (path, error);
}

static const TbScriptProblem *
find_problem (GPtrArray  *problems,
              const char *code,
              const char *node)
{
  for (guint i = 0; i < problems->len; i++) {
    const TbScriptProblem *p = g_ptr_array_index (problems, i);

    if (g_str_equal (p->code, code) && g_strcmp0 (p->node_id, node) == 0)
      return p;
  }
  return NULL;
}

static void
dump (GPtrArray *problems)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    g_test_message ("problem: %s", ((TbScriptProblem *) g_ptr_array_index (problems, i))->message);
}

static void
test_samples (void)
{
  static const struct { const char *file, *policy, *language; } samples[] = {
    { "demo-en.json", "US", "en" },
    { "demo-en.json", "DEFAULT", "en" },
    { "demo-en.json", "UK,DE,FR", "en" },
    { "demo-zh.json", "CN", "zh-CN" },
    { "demo-zh.json", "DEFAULT", "zh-CN" },
    { "demo-zh-keypad.json", "CN", "zh-CN" },
  };
  const char *fields[] = { "name", "company", "email", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++) {
    g_autofree char *path = source_path ("data", "scripts", samples[i].file, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(TbScript) script = load_file (path, &error);
    g_autoptr(GPtrArray) problems = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (tb_script_get_language (script), ==, samples[i].language);
    g_assert_true (tb_script_get_records (script));
    g_assert_true (tb_script_check (script, samples[i].policy, fields, &problems));
    dump (problems);
    g_assert_cmpuint (problems->len, ==, 0);
    g_assert_nonnull (tb_script_get_opt_out_intent (script));
    g_assert_nonnull (tb_script_get_intent (script, "who_is_this"));
    g_assert_nonnull (tb_script_get_intent (script, "robot"));
    g_assert_nonnull (tb_script_get_intent (script, "call_later"));
    g_assert_nonnull (tb_script_get_intent (script, "busy_now"));
    {
      g_auto(GStrv) start_path = tb_script_dup_start_path (script);

      g_assert_cmpuint (g_strv_length (start_path), ==, 2);
      g_assert_cmpstr (start_path[0], ==, "intro");
      g_assert_cmpstr (start_path[1], ==, "pitch");
    }
    g_assert_finalize_object (g_steal_pointer (&script));
  }
}

static void
test_syntax_error (void)
{
  static const struct { const char *text; const char *prefix; } cases[] = {
    /* json-glib reports where the token that went wrong ends. */
    { "{\n  \"telebot_script\": 1,\n  \"nodes\": [1, 2,,]\n}\n", "inline.json:3:18: " },
    { "{\n\n\n     \"name\" \"x\"\n}", "inline.json:4:11: " },
    { "", "inline.json: " },
    { "[1", "inline.json:1:" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = load_test_data ("syntax-error.json", &error);

  g_assert_null (script);
  g_assert_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_SYNTAX);
  g_test_message ("%s", error->message);
  /* Line 4 lacks its comma: "language": "en" ends at column 18. */
  g_assert_true (g_str_has_prefix (error->message, "syntax-error.json:4:18: "));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_clear_error (&error);
    script = tb_script_new_from_data (cases[i].text, -1, "inline.json", &error);
    g_assert_null (script);
    g_assert_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_SYNTAX);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, cases[i].prefix));
  }
}

static void
test_version (void)
{
  static const char *cases[] = {
    "{\"name\": \"no version\"}",
    "{\"telebot_script\": 2}",
    "{\"telebot_script\": \"1\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TbScript) script = tb_script_new_from_data (cases[i], -1, "v.json", &error);

    g_assert_null (script);
    g_assert_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_VERSION);
    g_assert_true (g_str_has_prefix (error->message, "v.json: "));
  }
}

static void
test_invalid (void)
{
  static const struct { const char *json; const char *message; } cases[] = {
    { "{\"telebot_script\":1,\"nodes\":{\"x\":{\"type\":\"jump\"}}}",
      "bad.json: node \"x\": unknown type \"jump\"" },
    { "{\"telebot_script\":1,\"nodes\":{\"x\":{\"text\":\"hi\"}}}",
      "bad.json: node \"x\": has no \"type\"" },
    { "{\"telebot_script\":1,\"nodes\":{\"q\":{\"type\":\"ask\",\"retries\":\"three\"}}}",
      "bad.json: node \"q\": \"retries\" must be a whole number" },
    { "{\"telebot_script\":1,\"nodes\":{\"q\":{\"type\":\"ask\",\"routes\":{\"yes\":3}}}}",
      "bad.json: node \"q\": route \"yes\" must name a node" },
    { "{\"telebot_script\":1,\"intents\":{\"yes\":{\"phrases\":\"yes\"}}}",
      "bad.json: intent \"yes\": \"phrases\" must be a list of strings" },
    { "{\"telebot_script\":1,\"intents\":{\"yes\":{\"dtmf\":\"x\"}}}",
      "bad.json: intent \"yes\": \"dtmf\" must be digits" },
    { "{\"telebot_script\":1,\"global_intents\":{\"opt_out\":{\"action\":\"resume\"}}}",
      "bad.json: global intent \"opt_out\": the opt_out intent must have the action" },
    { "{\"telebot_script\":1,\"intents\":{\"no_match\":{}}}",
      "bad.json: intent \"no_match\": \"no_match\" is reserved" },
    { "{\"telebot_script\":1,\"intents\":{\"a\":{}},\"global_intents\":{\"a\":{}}}",
      "bad.json: global intent \"a\": is defined twice" },
    { "{\"telebot_script\":1,\"min_confidence\":3}",
      "bad.json: \"min_confidence\" must be a number from 0 to 1" },
    { "[1, 2]", "bad.json: a script must be a JSON object" },
    { "{\"telebot_script\":1,\"nodes\":{\"q\":{\"type\":\"ask\",\"end_silence_ms\":20}}}",
      "bad.json: node \"q\": \"end_silence_ms\" must be" },
    { "{\"telebot_script\":1,\"nodes\":{\"q\":{\"type\":\"ask\","
      "\"end_silence_complete_ms\":9000}}}",
      "bad.json: node \"q\": \"end_silence_complete_ms\" must be" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TbScript) script = tb_script_new_from_data (cases[i].json, -1, "bad.json", &error);

    g_assert_null (script);
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, cases[i].message));
  }
}

static void
test_check_kinds (void)
{
  static const struct { const char *file, *code, *node, *message; } cases[] = {
    { "unknown-target.json", "unknown-target", "q",
      "unknown-target.json: node \"q\": route \"yes\" goes to unknown node \"later\"" },
    { "unreachable.json", "unreachable", "orphan",
      "unreachable.json: node \"orphan\": no path from the start node \"intro\" leads here" },
    { "dead-end.json", "dead-end", "more",
      "dead-end.json: node \"more\": a say node needs \"next\"" },
    { "no-way-out.json", "no-way-out", "loop1",
      "no-way-out.json: node \"loop1\": no path from here reaches a hangup" },
    { "ask-no-fallback.json", "ask-no-fallback", "q",
      "ask-no-fallback.json: node \"q\": no \"no_match\" route" },
    { "no-opt-out.json", "no-opt-out", NULL,
      "no-opt-out.json: no \"opt_out\" global intent" },
    /* In plain words, not the disclosure's identifier. */
    { "missing-disclosure.json", "missing-disclosure", "intro",
      "missing-disclosure.json: node \"intro\": the opening of the call (intro → q) never "
      "says that this is an automated voice: policy US requires it before the first question" },
    { "missing-recording.json", "missing-disclosure", "intro",
      "missing-recording.json: node \"intro\": the opening of the call (intro → q) never "
      "says that the call is recorded: policy US requires it of a recorded call" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TbScript) script = load_test_data (cases[i].file, &error);
    g_autoptr(GPtrArray) problems = NULL;
    const TbScriptProblem *p;

    g_assert_no_error (error);
    g_assert_false (tb_script_check (script, "US", NULL, &problems));
    dump (problems);
    p = find_problem (problems, cases[i].code, cases[i].node);
    g_assert_nonnull (p);
    g_assert_cmpint (p->severity, ==, TB_SCRIPT_PROBLEM_ERROR);
    g_assert_true (g_str_has_prefix (p->message, cases[i].message));
    /* Errors come first. */
    g_assert_cmpint (((TbScriptProblem *) g_ptr_array_index (problems, 0))->severity, ==,
                     TB_SCRIPT_PROBLEM_ERROR);
  }
}

/* A whole answer waiting longer than an unfinished one is a mistake the checker names. */
static void
test_check_end_silence (void)
{
  static const char json[] =
    "{\"telebot_script\": 1, \"start\": \"q\","
    " \"global_intents\": {\"opt_out\": {\"phrases\": [\"stop calling\"], \"dtmf\": \"9\"}},"
    " \"nodes\": {"
    "  \"q\": {\"type\": \"ask\", \"text\": \"Hello?\", \"end_silence_ms\": 300,"
    "         \"end_silence_complete_ms\": 400,"
    "         \"routes\": {\"no_input\": \"bye\", \"no_match\": \"bye\"}},"
    "  \"bye\": {\"type\": \"hangup\", \"text\": \"Bye.\"}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = tb_script_new_from_data (json, -1, "silence.json", &error);
  g_autoptr(GPtrArray) problems = NULL;
  const TbScriptProblem *p;

  g_assert_no_error (error);
  g_assert_cmpuint (tb_script_get_node (script, "q")->end_silence_ms, ==, 300);
  g_assert_cmpuint (tb_script_get_node (script, "q")->end_silence_complete_ms, ==, 400);
  g_assert_cmpuint (tb_script_get_node (script, "bye")->end_silence_ms, ==, 350);
  tb_script_check (script, NULL, NULL, &problems);
  dump (problems);
  p = find_problem (problems, "end-silence", "q");
  g_assert_nonnull (p);
  g_assert_cmpint (p->severity, ==, TB_SCRIPT_PROBLEM_WARNING);
  g_assert_nonnull (strstr (p->message, "\"end_silence_complete_ms\" (400) is longer than "
                                        "\"end_silence_ms\" (300)"));
}

/* The missing disclosure travels with its problem (the editor offers to mark the node), and
 * the problem names the node of the start path that seems to say it, else the first that
 * speaks. */
static void
test_check_disclosure_node (void)
{
  static const char json[] =
    "{\"telebot_script\": 1, \"start\": \"hello\","
    " \"global_intents\": {\"opt_out\": {\"phrases\": [\"stop calling\"], \"dtmf\": \"9\"}},"
    " \"nodes\": {"
    "  \"hello\": {\"type\": \"say\", \"text\": \"Good morning.\", \"next\": \"who\"},"
    "  \"who\": {\"type\": \"say\", \"text\": \"This is Anna from Acme, an automated assistant.\","
    "           \"disclose\": [\"automated\"], \"next\": \"q\"},"
    "  \"q\": {\"type\": \"ask\", \"text\": \"Interested? To stop these calls, press 9.\","
    "         \"routes\": {\"no_input\": \"bye\", \"no_match\": \"bye\"}},"
    "  \"bye\": {\"type\": \"hangup\", \"text\": \"Bye.\"}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = tb_script_new_from_data (json, -1, "nodes.json", &error);
  g_autoptr(GPtrArray) problems = NULL;
  const char *expect[][2] = {
    { "identity", "who" },        /* "This is Anna from Acme" */
    { "opt_out", "q" },           /* "press 9" */
    { "callback", "hello" },      /* said nowhere: the first node that speaks */
  };

  g_assert_no_error (error);
  g_assert_false (tb_script_check (script, "DEFAULT", NULL, &problems));
  dump (problems);
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++) {
    const TbScriptProblem *found = NULL;

    for (guint k = 0; k < problems->len; k++) {
      const TbScriptProblem *p = g_ptr_array_index (problems, k);

      if (g_str_equal (p->code, "missing-disclosure") &&
          g_strcmp0 (p->disclosure, expect[i][0]) == 0)
        found = p;
    }
    g_assert_nonnull (found);
    g_assert_cmpstr (found->node_id, ==, expect[i][1]);
    g_assert_cmpint (found->severity, ==, g_str_equal (expect[i][0], "callback")
                                          ? TB_SCRIPT_PROBLEM_WARNING : TB_SCRIPT_PROBLEM_ERROR);
    /* Plain words, never the tag. */
    g_assert_null (strstr (found->message, expect[i][0]));
  }
  /* "automated" is marked: no problem about it. */
  for (guint k = 0; k < problems->len; k++)
    g_assert_cmpstr (((TbScriptProblem *) g_ptr_array_index (problems, k))->disclosure, !=,
                     "automated");
}

static void
test_detect_disclosures (void)
{
  static const struct {
    const char *text;
    const char *business;
    const char *expected;      /* the tags, comma-separated; "" for none */
  } cases[] = {
    /* English, said */
    { "Hello {name}, this is an automated call from {business}. To stop these calls, press 9 "
      "or say stop calling.", NULL, "identity,automated,opt_out" },
    { "Hi, this is Anna from Sunrise Bakery. You are talking to a robot.", NULL,
      "identity,automated" },
    { "Good morning! Sunrise Bakery Supplies here, with a pre-recorded message.",
      "Sunrise Bakery Supplies", "identity,automated" },
    { "This call is recorded. If you'd rather not hear from us, say “stop”.", NULL,
      "recording,opt_out" },
    { "We're calling on behalf of Acme. Call us back at {callback_number}.", NULL,
      "identity,callback" },
    { "This is a virtual assistant. You can opt out at any time.", NULL, "automated,opt_out" },
    { "PRESS NINE to be removed.", NULL, "opt_out" },
    { "This is an automated call, not a sales pitch.", NULL, "automated" },
    /* English, not said */
    { "Hello {name}, how are you today?", NULL, "" },
    { "Hello {name}, this is an automated call.", NULL, "automated" },
    { "I am not a robot, I promise.", NULL, "" },
    { "This is not an automated call.", NULL, "" },
    { "Press 1 for yes or 2 for no.", NULL, "" },
    { "Press 90 for the operator.", NULL, "" },
    { "Why not stop by our shop this weekend?", NULL, "" },
    { "We never stop baking.", NULL, "" },
    { "Our robotics parts ship automatically.", NULL, "" },
    { "This is your last chance to order at this price.", NULL, "" },
    { "A treat from Sunrise Bakery.", "S", "" },
    /* Chinese, said */
    { "您好，我是阳光烘焙公司的智能语音助手，本次通话将被录音。如需退订，请按9。", NULL,
      "identity,automated,recording,opt_out" },
    { "这里是{business}，这是一通自动外呼电话。不想再接到我们的电话，请说“停止”。", NULL,
      "identity,automated,opt_out" },
    { "您好，这是机器人来电，退订请按 ９。回电请拨打{callback_number}。", NULL,
      "automated,opt_out,callback" },
    { "阳光烘焙提醒您：新品上市。", "阳光烘焙", "identity" },
    /* Chinese, not said */
    { "我是想问您一下，最近需要面粉吗？", NULL, "" },
    { "我们专注工业自动化设备二十年。", NULL, "" },
    { "我不是机器人，是真人客服。", NULL, "" },
    { "全场商品按9折优惠，按时送达。", NULL, "" },
    { "欢迎订阅我们的新品消息。", NULL, "" },
    { "本次通话不会录音。", NULL, "" },
    { "", NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_auto(GStrv) found = tb_script_detect_disclosures (cases[i].text, cases[i].business);
    g_autofree char *joined = g_strjoinv (",", found);

    g_test_message ("%s → %s", cases[i].text, joined);
    g_assert_cmpstr (joined, ==, cases[i].expected);
  }
  {
    g_auto(GStrv) none = tb_script_detect_disclosures (NULL, NULL);

    g_assert_cmpuint (g_strv_length (none), ==, 0);
  }
  for (const char * const *name = tb_script_get_disclosure_names (); *name != NULL; name++)
    g_assert_nonnull (tb_script_describe_disclosure (*name));
  g_assert_null (tb_script_describe_disclosure ("weather"));
}

static void
test_check_valid_and_policy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = load_test_data ("valid.json", &error);
  g_autoptr(GPtrArray) problems = NULL;
  g_auto(GStrv) req = NULL;

  g_assert_no_error (error);
  g_assert_true (tb_script_check (script, "US", NULL, &problems));
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* An unknown pack warns and falls back to DEFAULT's rules. */
  g_assert_true (tb_script_check (script, "US,XX", NULL, &problems));
  g_assert_nonnull (find_problem (problems, "unknown-policy", NULL));
  g_assert_cmpint (((TbScriptProblem *) g_ptr_array_index (problems, 0))->severity, ==,
                   TB_SCRIPT_PROBLEM_WARNING);

  req = tb_script_dup_required_disclosures ("CN", TRUE);
  g_assert_true (g_strv_contains ((const char * const *) req, "identity"));
  g_assert_true (g_strv_contains ((const char * const *) req, "automated"));
  g_assert_true (g_strv_contains ((const char * const *) req, "opt_out"));
  g_assert_true (g_strv_contains ((const char * const *) req, "recording"));
  g_clear_pointer (&req, g_strfreev);
  req = tb_script_dup_required_disclosures ("DEFAULT", FALSE);
  g_assert_false (g_strv_contains ((const char * const *) req, "recording"));
}

static void
test_check_variables (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = load_test_data ("variables.json", &error);
  g_autoptr(GPtrArray) problems = NULL;
  const char *fields[] = { "company", NULL };
  const TbScriptProblem *p;

  g_assert_no_error (error);
  g_assert_false (tb_script_check (script, "US", fields, &problems));
  dump (problems);
  p = find_problem (problems, "unknown-variable", "q");
  g_assert_nonnull (p);
  g_assert_true (strstr (p->message, "{shop}") != NULL);
  p = find_problem (problems, "variable-not-provided", "q");
  g_assert_nonnull (p);
  g_assert_cmpint (p->severity, ==, TB_SCRIPT_PROBLEM_WARNING);
  g_assert_true (strstr (p->message, "{name}") != NULL);
}

/* ---- the editor's document and the campaign's loader ------------------- */

/* Numbers as a person wrote them, not 0.40000000000000002: people edit these files. */
static void
test_document_numbers (void)
{
  g_autoptr(TbScriptDocument) document = tb_script_document_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *sample = NULL;
  g_autofree char *path = source_path ("data", "scripts", "demo-en.json", NULL);

  g_assert_true (tb_script_document_load_json (document,
    "{\"telebot_script\":1,\"min_confidence\":0.45,\"nodes\":{\"a\":{\"type\":\"hangup\","
    "\"text\":\"0.40000000000000002\",\"ui\":{\"x\":0.1,\"y\":3}}}}", &error));
  g_assert_no_error (error);
  json = tb_script_document_to_json (document);
  g_assert_nonnull (strstr (json, "\"min_confidence\" : 0.45,\n"));
  g_assert_nonnull (strstr (json, "\"x\" : 0.1,\n"));
  g_assert_nonnull (strstr (json, "\"text\" : \"0.40000000000000002\","));
  g_clear_pointer (&json, g_free);

  g_assert_true (g_file_get_contents (path, &sample, NULL, NULL));
  g_assert_true (tb_script_document_load_json (document, sample, &error));
  g_assert_no_error (error);
  json = tb_script_document_to_json (document);
  g_assert_nonnull (strstr (json, "\"min_confidence\" : 0.4,\n"));
}

static void
on_document_changed (TbScriptDocument *document,
                     guint            *count)
{
  (*count)++;
}

static TbScript *
dup_script (TbScriptDocument *document)
{
  g_autoptr(GError) error = NULL;
  TbScript *script = tb_script_document_dup_script (document, "edited.json", &error);

  g_assert_no_error (error);
  return script;
}

/* Editing is the document's: what the editor changes is what a campaign then loads. */
static void
test_document_edit (void)
{
  g_autoptr(TbScriptDocument) document = tb_script_document_new ();
  g_autoptr(TbScript) s = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) targets = NULL;
  g_autofree char *hello = NULL;
  g_autofree char *q = NULL;
  g_autofree char *bye = NULL;
  g_autofree char *bye_2 = NULL;
  double x, y;
  guint changes = 0;

  g_assert_true (tb_script_document_load_json (document,
    "{\"telebot_script\": 1, \"name\": \"Edited\", \"language\": \"en\", \"nodes\": {}}",
    &error));
  g_assert_no_error (error);
  g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), &changes);

  /* The first node is the start; an id that exists gets a fresh one. */
  hello = tb_script_document_add_node (document, "say", "hello");
  g_assert_cmpstr (hello, ==, "hello");
  g_assert_cmpstr (tb_script_document_get_start (document), ==, "hello");
  tb_script_document_set_node_text (document, "hello", "Hi");
  q = tb_script_document_add_node (document, "ask", "q");
  tb_script_document_set_node_text (document, "q", "Well?");
  bye = tb_script_document_add_node (document, "hangup", "bye");
  tb_script_document_set_node_text (document, "bye", "Bye");
  bye_2 = tb_script_document_add_node (document, "say", "bye");
  g_assert_cmpstr (bye_2, ==, "bye_2");
  tb_script_document_remove_node (document, "bye_2");

  /* hello has no next: a dead end; q has no routes. */
  s = dup_script (document);
  g_assert_cmpstr (tb_script_get_start (s), ==, "hello");
  g_assert_cmpuint (tb_script_get_n_nodes (s), ==, 3);
  g_assert_false (tb_script_check (s, NULL, NULL, &problems));
  g_assert_nonnull (find_problem (problems, "dead-end", "hello"));
  g_assert_nonnull (find_problem (problems, "dead-end", "q"));
  g_assert_nonnull (find_problem (problems, "no-opt-out", NULL));
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&s);

  tb_script_document_set_node_next (document, "hello", "q");
  tb_script_document_set_route (document, "q", "no_input", "bye");
  tb_script_document_set_route (document, "q", "no_match", "bye");

  /* Rename follows every reference; a taken or unknown id is refused. */
  g_assert_false (tb_script_document_rename_node (document, "q", "hello", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (tb_script_document_rename_node (document, "nope", "other", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (tb_script_document_rename_node (document, "bye", "goodbye", &error));
  s = dup_script (document);
  targets = tb_script_dup_node_targets (s, "q");
  g_assert_cmpuint (g_strv_length (targets), ==, 2);
  g_assert_cmpstr (targets[0], ==, "goodbye");
  g_assert_cmpstr (targets[1], ==, "goodbye");
  g_clear_object (&s);
  g_assert_true (tb_script_document_rename_node (document, "hello", "intro", &error));
  tb_script_document_set_node_text (document, "intro", "Hi again");
  s = dup_script (document);
  g_assert_cmpstr (tb_script_get_start (s), ==, "intro");
  g_assert_cmpstr (tb_script_get_node (s, "intro")->next, ==, "q");
  g_assert_cmpstr (tb_script_get_node (s, "intro")->text, ==, "Hi again");
  g_assert_cmpstr (tb_script_get_source_name (s), ==, "edited.json");
  g_clear_object (&s);

  /* Removing a node drops the routes to it: q is a dead end again, not a dangling route. */
  tb_script_document_remove_node (document, "goodbye");
  s = dup_script (document);
  g_assert_cmpuint (tb_script_get_n_nodes (s), ==, 2);
  g_assert_cmpuint (tb_script_get_node (s, "q")->routes->len, ==, 0);
  g_assert_false (tb_script_check (s, NULL, NULL, &problems));
  g_assert_nonnull (find_problem (problems, "dead-end", "q"));
  g_assert_null (find_problem (problems, "unknown-target", "q"));
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&s);
  /* Each edit told the editor once; the refused renames did not. */
  g_assert_cmpuint (changes, ==, 15);

  /* The card's place is the document's; a call loads the same graph without it. */
  g_assert_false (tb_script_document_get_position (document, "intro", &x, &y));
  tb_script_document_set_position (document, "intro", 120.4, -40);
  g_assert_cmpuint (changes, ==, 16);
  g_assert_true (tb_script_document_get_position (document, "intro", &x, &y));
  g_assert_cmpfloat (x, ==, 120);
  g_assert_cmpfloat (y, ==, -40);
  g_assert_false (tb_script_document_get_position (document, "q", &x, &y));
  s = dup_script (document);
  g_assert_cmpuint (tb_script_get_n_nodes (s), ==, 2);
  g_assert_true (g_strv_contains (tb_script_get_disclosure_names (), "automated"));
  g_assert_finalize_object (g_steal_pointer (&s));
}

/* A renamed node keeps every way in: "voicemail" and a global intent's "goto" too. */
static void
test_document_rename_references (void)
{
  g_autoptr(TbScriptDocument) document = tb_script_document_new ();
  g_autoptr(TbScript) s = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tb_script_document_load_json (document,
    "{\"telebot_script\": 1, \"start\": \"hi\", \"voicemail\": \"vm\","
    " \"global_intents\": {\"opt_out\": {\"dtmf\": \"9\"},"
    "   \"again\": {\"phrases\": [\"start over\"], \"action\": \"goto\", \"next\": \"hi\"}},"
    " \"nodes\": {\"hi\": {\"type\": \"say\", \"text\": \"Hi.\", \"next\": \"bye\"},"
    "   \"vm\": {\"type\": \"voicemail\", \"text\": \"Call us.\"},"
    "   \"bye\": {\"type\": \"hangup\", \"text\": \"Bye.\"}}}", &error));
  g_assert_no_error (error);
  g_assert_true (tb_script_document_rename_node (document, "hi", "hello", &error));
  g_assert_true (tb_script_document_rename_node (document, "vm", "message", &error));
  g_assert_no_error (error);

  s = dup_script (document);
  g_assert_cmpstr (tb_script_get_start (s), ==, "hello");
  g_assert_cmpstr (tb_script_get_voicemail (s), ==, "message");
  g_assert_cmpstr (tb_script_get_intent (s, "again")->next, ==, "hello");
  tb_script_check (s, NULL, NULL, &problems);
  dump (problems);
  for (guint i = 0; i < problems->len; i++)
    g_assert_cmpstr (((TbScriptProblem *) g_ptr_array_index (problems, i))->code, !=,
                     "unknown-target");
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&s);

  /* Removing leaves them, for the checker to name. */
  tb_script_document_remove_node (document, "message");
  s = dup_script (document);
  g_assert_cmpstr (tb_script_get_voicemail (s), ==, "message");
  g_assert_false (tb_script_check (s, NULL, NULL, &problems));
  g_assert_nonnull (find_problem (problems, "unknown-target", NULL));
  g_assert_finalize_object (g_steal_pointer (&s));
}

static void
assert_strv_equal (const char * const *a,
                   const char * const *b)
{
  g_assert_true ((a == NULL) == (b == NULL));
  if (a == NULL)
    return;
  g_assert_cmpuint (g_strv_length ((GStrv) a), ==, g_strv_length ((GStrv) b));
  for (guint i = 0; a[i] != NULL; i++)
    g_assert_cmpstr (a[i], ==, b[i]);
}

static void
assert_grade_equal (const TbScriptGrade *a,
                    const TbScriptGrade *b)
{
  g_assert_cmpint (a->set, ==, b->set);
  g_assert_cmpint (a->score, ==, b->score);
  g_assert_cmpstr (a->reason, ==, b->reason);
  assert_strv_equal ((const char * const *) a->tags, (const char * const *) b->tags);
}

/* Everything a call reads of a script, through the public getters: the two graphs are the
 * same when this passes (and what the checker says of them, too). */
static void
assert_script_equal (TbScript *a,
                     TbScript *b)
{
  const TbScriptGrading *ga = tb_script_get_grading (a);
  const TbScriptGrading *gb = tb_script_get_grading (b);
  g_auto(GStrv) vars_a = tb_script_dup_variable_names (a);
  g_auto(GStrv) vars_b = tb_script_dup_variable_names (b);
  g_autoptr(GPtrArray) problems_a = NULL;
  g_autoptr(GPtrArray) problems_b = NULL;

  g_assert_cmpstr (tb_script_get_source_name (a), ==, tb_script_get_source_name (b));
  g_assert_cmpstr (tb_script_get_name (a), ==, tb_script_get_name (b));
  g_assert_cmpstr (tb_script_get_language (a), ==, tb_script_get_language (b));
  g_assert_cmpstr (tb_script_get_voice (a), ==, tb_script_get_voice (b));
  g_assert_cmpint (tb_script_get_records (a), ==, tb_script_get_records (b));
  g_assert_cmpint (tb_script_get_keypad_only (a), ==, tb_script_get_keypad_only (b));
  g_assert_cmpstr (tb_script_get_start (a), ==, tb_script_get_start (b));
  g_assert_cmpstr (tb_script_get_voicemail (a), ==, tb_script_get_voicemail (b));
  g_assert_cmpfloat (tb_script_get_min_confidence (a), ==, tb_script_get_min_confidence (b));
  g_assert_cmpint (tb_script_get_confirm_opt_out (a), ==, tb_script_get_confirm_opt_out (b));
  g_assert_cmpstr (tb_script_get_confirm_text (a), ==, tb_script_get_confirm_text (b));
  g_assert_cmpint (ga->base, ==, gb->base);
  g_assert_cmpint (ga->a, ==, gb->a);
  g_assert_cmpint (ga->b, ==, gb->b);
  g_assert_cmpint (ga->c, ==, gb->c);
  g_assert_cmpint (ga->d, ==, gb->d);
  assert_strv_equal ((const char * const *) vars_a, (const char * const *) vars_b);
  for (guint i = 0; vars_a[i] != NULL; i++)
    g_assert_cmpstr (tb_script_get_variable_default (a, vars_a[i]), ==,
                     tb_script_get_variable_default (b, vars_a[i]));

  g_assert_cmpuint (tb_script_get_n_nodes (a), ==, tb_script_get_n_nodes (b));
  for (guint i = 0; i < tb_script_get_n_nodes (a); i++) {
    const TbScriptNode *na = tb_script_get_nth_node (a, i);
    const TbScriptNode *nb = tb_script_get_nth_node (b, i);

    g_assert_cmpstr (na->id, ==, nb->id);
    g_assert_cmpint (na->type, ==, nb->type);
    g_assert_cmpstr (na->title, ==, nb->title);
    g_assert_cmpstr (na->text, ==, nb->text);
    g_assert_cmpstr (na->prompt, ==, nb->prompt);
    g_assert_cmpstr (na->next, ==, nb->next);
    g_assert_cmpuint (na->routes->len, ==, nb->routes->len);
    for (guint k = 0; k < na->routes->len; k++) {
      const TbScriptRoute *ra = g_ptr_array_index (na->routes, k);
      const TbScriptRoute *rb = g_ptr_array_index (nb->routes, k);

      g_assert_cmpstr (ra->intent, ==, rb->intent);
      g_assert_cmpstr (ra->target, ==, rb->target);
    }
    g_assert_cmpint (na->retries, ==, nb->retries);
    g_assert_cmpstr (na->retry_text, ==, nb->retry_text);
    g_assert_cmpuint (na->timeout_ms, ==, nb->timeout_ms);
    g_assert_cmpint (na->barge_in, ==, nb->barge_in);
    g_assert_cmpuint (na->barge_after_ms, ==, nb->barge_after_ms);
    assert_strv_equal ((const char * const *) na->barge_intents,
                       (const char * const *) nb->barge_intents);
    g_assert_cmpint (na->barge_backchannels, ==, nb->barge_backchannels);
    g_assert_cmpstr (na->to, ==, nb->to);
    g_assert_cmpstr (na->outcome, ==, nb->outcome);
    assert_strv_equal ((const char * const *) na->disclose, (const char * const *) nb->disclose);
    assert_grade_equal (&na->grade, &nb->grade);
    g_assert_true (tb_script_get_node (b, na->id) == nb);
  }

  g_assert_cmpuint (tb_script_get_n_intents (a), ==, tb_script_get_n_intents (b));
  for (guint i = 0; i < tb_script_get_n_intents (a); i++) {
    const TbScriptIntent *ia = tb_script_get_nth_intent (a, i);
    const TbScriptIntent *ib = tb_script_get_nth_intent (b, i);

    g_assert_cmpstr (ia->id, ==, ib->id);
    g_assert_cmpint (ia->global, ==, ib->global);
    assert_strv_equal ((const char * const *) ia->phrases, (const char * const *) ib->phrases);
    assert_strv_equal ((const char * const *) ia->keywords, (const char * const *) ib->keywords);
    g_assert_cmpstr (ia->dtmf, ==, ib->dtmf);
    g_assert_cmpstr (ia->builtin, ==, ib->builtin);
    assert_grade_equal (&ia->grade, &ib->grade);
    g_assert_cmpint (ia->action, ==, ib->action);
    g_assert_cmpstr (ia->response, ==, ib->response);
    g_assert_cmpstr (ia->next, ==, ib->next);
    g_assert_cmpstr (ia->outcome, ==, ib->outcome);
  }

  g_assert_cmpint (tb_script_check (a, "US,CN", NULL, &problems_a), ==,
                   tb_script_check (b, "US,CN", NULL, &problems_b));
  g_assert_cmpuint (problems_a->len, ==, problems_b->len);
  for (guint i = 0; i < problems_a->len; i++) {
    const TbScriptProblem *pa = g_ptr_array_index (problems_a, i);
    const TbScriptProblem *pb = g_ptr_array_index (problems_b, i);

    g_assert_cmpstr (pa->code, ==, pb->code);
    g_assert_cmpstr (pa->node_id, ==, pb->node_id);
    g_assert_cmpstr (pa->message, ==, pb->message);
  }
}

/* The node an error names ("x.json: node \"pitch\": …"), or NULL. */
static char *
dup_error_node (const GError *error)
{
  const char *p = strstr (error->message, ": node \"");
  const char *end;

  if (p == NULL)
    return NULL;
  p += strlen (": node \"");
  end = strchr (p, '"');
  g_assert_nonnull (end);
  return g_strndup (p, end - p);
}

/* What the editor stores for @text: opened (laid out, as the scripts page does, without it
 * counting as an edit), then saved. NULL with @error when the editor cannot open it. */
static char *
save_as_editor (const char  *text,
                GError     **error)
{
  g_autoptr(TbScriptDocument) document = tb_script_document_new ();
  g_autofree char *laid_out = NULL;

  if (!tb_script_document_load_json (document, text, error))
    return NULL;
  tb_script_document_auto_layout (document, TRUE);
  laid_out = tb_script_document_to_json (document);
  g_assert_true (tb_script_document_load_json (document, laid_out, NULL));
  g_assert_false (tb_script_document_get_modified (document));
  return tb_script_document_to_json (document);
}

/* @text loaded by a campaign as it is, and after a trip through the editor: the same graph,
 * or refused both ways for the same node. Returns whether it loaded. */
static gboolean
assert_editor_keeps (const char *text,
                     const char *name)
{
  g_autoptr(GError) direct_error = NULL;
  g_autoptr(GError) editor_error = NULL;
  g_autoptr(TbScript) direct = tb_script_new_from_data (text, -1, name, &direct_error);
  g_autofree char *saved = save_as_editor (text, &editor_error);
  g_autoptr(TbScript) edited = NULL;

  g_test_message ("%s: %s", name, direct ? "loads" : direct_error->message);
  if (saved != NULL)
    edited = tb_script_new_from_data (saved, -1, name, &editor_error);

  if (direct != NULL) {
    g_assert_no_error (editor_error);
    g_assert_nonnull (edited);
    assert_script_equal (direct, edited);
    /* Saving what was saved changes nothing. */
    {
      g_autofree char *again = save_as_editor (saved, NULL);

      g_assert_cmpstr (again, ==, saved);
    }
    g_assert_finalize_object (g_steal_pointer (&edited));
    g_assert_finalize_object (g_steal_pointer (&direct));
    return TRUE;
  }

  g_assert_null (edited);
  g_assert_nonnull (editor_error);
  g_test_message ("%s (editor): %s", name, editor_error->message);
  {
    g_autofree char *direct_node = dup_error_node (direct_error);
    g_autofree char *editor_node = dup_error_node (editor_error);

    g_assert_cmpstr (direct_node, ==, editor_node);
    /* Refused by the loader both ways: the very same message. */
    if (saved != NULL)
      g_assert_cmpstr (direct_error->message, ==, editor_error->message);
  }
  return FALSE;
}

/* The samples, the loader's fuzz seeds and the checker's test scripts: each one a campaign
 * loads as it is, it loads the same after the editor opened and saved it. */
static void
test_document_roundtrip (void)
{
  static const char *dirs[][3] = {
    { "data", "scripts", NULL },
    { "tests", "fuzz", "corpus/fuzz-script" },
    { "tests", "data", "scripts" },
  };
  guint loaded = 0, refused = 0, refused_at_node = 0;

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++) {
    g_autofree char *dir_path = source_path (dirs[d][0], dirs[d][1], dirs[d][2], NULL);
    g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const char *name;

    g_assert_nonnull (dir);
    while ((name = g_dir_read_name (dir)) != NULL)
      if (!g_str_has_suffix (name, ".md"))
        g_ptr_array_add (names, g_strdup (name));
    g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
    g_assert_cmpuint (names->len, >, 0);

    for (guint i = 0; i < names->len; i++) {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      if (assert_editor_keeps (text, file)) {
        loaded++;
      } else {
        g_autoptr(TbScript) s = tb_script_new_from_data (text, -1, file, &error);

        refused++;
        if (strstr (error->message, ": node \"") != NULL)
          refused_at_node++;
      }
    }
  }
  /* The samples are among them, and the corpus has files of both kinds. */
  g_assert_cmpuint (loaded, >=, 3 + 10);
  g_assert_cmpuint (refused, >=, 4);
  g_assert_cmpuint (refused_at_node, >=, 2);
}

/* The refusals the loader names, each through the editor too. */
static void
test_document_refusals (void)
{
  static const char *cases[] = {
    "{\"telebot_script\":1,\"nodes\":{\"ok\":{\"type\":\"hangup\"},\"x\":{\"type\":\"jump\"}}}",
    "{\"telebot_script\":1,\"nodes\":{\"x\":{\"text\":\"hi\"}}}",
    "{\"telebot_script\":1,\"nodes\":{\"q\":{\"type\":\"ask\",\"retries\":\"three\"}}}",
    "{\"telebot_script\":1,\"nodes\":{\"q\":{\"type\":\"ask\",\"routes\":{\"yes\":3}}}}",
    "{\"telebot_script\":1,\"nodes\":{\"q\":{\"type\":\"say\",\"ui\":{\"x\":\"left\",\"y\":0}}}}",
    "{\"telebot_script\":1,\"nodes\":{\"\":{\"type\":\"say\"}}}",
    "{\"telebot_script\":1,\"intents\":{\"yes\":{\"phrases\":\"yes\"}},\"nodes\":{}}",
    "{\"telebot_script\":2,\"nodes\":{}}",
    "{\"telebot_script\":1,\"min_confidence\":3,\"nodes\":{}}",
    "{\"telebot_script\":1,\"intents\":{\"yes\":{\"dtmf\":\"x\"}}}",
    "[1, 2]",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_false (assert_editor_keeps (cases[i], "bad.json"));
}

static void
test_phrases (void)
{
  g_autofree char *en_path = source_path ("data", "scripts", "demo-en.json", NULL);
  g_autofree char *zh_path = source_path ("data", "scripts", "demo-zh.json", NULL);
  g_autoptr(TbScript) en = load_file (en_path, NULL);
  g_autoptr(TbScript) zh = load_file (zh_path, NULL);
  g_auto(GStrv) yes = tb_script_dup_phrases (en, "yes");
  g_auto(GStrv) en_out = tb_script_dup_phrases (en, "opt_out");
  g_auto(GStrv) zh_out = tb_script_dup_phrases (zh, "opt_out");
  g_auto(GStrv) none = tb_script_dup_phrases (en, "maybe");

  /* Phrases then keywords. */
  g_assert_cmpstr (yes[0], ==, "yes");
  g_assert_cmpstr (yes[g_strv_length (yes) - 1], ==, "interested");
  /* Opt-out: the script's and the regulatory ones of its language. */
  g_assert_true (g_strv_contains ((const char * const *) en_out, "stop calling"));
  g_assert_true (g_strv_contains ((const char * const *) en_out, "don't call"));
  g_assert_false (g_strv_contains ((const char * const *) en_out, "别打了"));
  g_assert_true (g_strv_contains ((const char * const *) zh_out, "把我号码删掉"));
  g_assert_false (g_strv_contains ((const char * const *) zh_out, "unsubscribe"));
  g_assert_null (none);
}

static void
test_expand (void)
{
  g_autoptr(TbScript) s = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) vars = NULL;
  static const struct { const char *in, *out; } cases[] = {
    { "Hello {name}, from {company}.", "Hello Ann, from your shop." },
    { "Hi {missing}, ok", "Hi, ok" },
    { "Braces {{like this}}", "Braces {like this}" },
    { "{ name }!", "Ann!" },
    { "no vars", "no vars" },
  };

  s = tb_script_new_from_data ("{\"telebot_script\":1,\"variables\":{\"name\":\"there\","
                               "\"company\":\"your shop\",\"missing\":null}}", -1, NULL, &error);
  g_assert_no_error (error);
  g_hash_table_insert (values, "name", "Ann");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *out = tb_script_expand_text (s, cases[i].in, values);

    g_assert_cmpstr (out, ==, cases[i].out);
  }
  g_hash_table_remove_all (values);
  {
    g_autofree char *out = tb_script_expand_text (s, "Hello {name}.", values);

    g_assert_cmpstr (out, ==, "Hello there.");
  }
  vars = tb_script_dup_text_variables ("{a} and {b}, {a} but {{c}}");
  g_assert_cmpuint (g_strv_length (vars), ==, 2);
  g_assert_cmpstr (vars[0], ==, "a");
  g_assert_cmpstr (vars[1], ==, "b");
}

/* A keypad-only script: each route of each question has a key, the question says which, and
 * the opt-out has its key; the sample passes, each broken copy fails with its code. */
static void
test_check_keypad (void)
{
  static const struct { const char *from, *to, *code; } breaks[] = {
    { "有兴趣了解请按1，", "有兴趣了解请直接说，", "keypad-prompt-no-key" },
    { "\"dtmf\": \"2\",", "", "keypad-no-key" },
    { "\"dtmf\": \"9\",", "", "keypad-no-key" },
    { "\"listen\": \"keypad\"", "\"listen\": \"fax\"", NULL },
  };
  g_autofree char *path = source_path ("data", "scripts", "demo-zh-keypad.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  {
    g_autoptr(TbScript) script = tb_script_new_from_data (text, -1, "keypad.json", &error);

    g_assert_no_error (error);
    g_assert_true (tb_script_get_keypad_only (script));
  }
  for (guint i = 0; i < G_N_ELEMENTS (breaks); i++) {
    g_autoptr(GString) broken = g_string_new (text);
    g_autoptr(TbScript) script = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    gboolean found = FALSE;

    g_assert_cmpuint (g_string_replace (broken, breaks[i].from, breaks[i].to, 1), ==, 1);
    script = tb_script_new_from_data (broken->str, -1, "keypad.json", &error);
    if (breaks[i].code == NULL) {
      g_assert_null (script);   /* an unknown way of listening is refused at load */
      g_assert_nonnull (strstr (error->message, "listen"));
      g_clear_error (&error);
      continue;
    }
    g_assert_no_error (error);
    g_assert_false (tb_script_check (script, "CN", NULL, &problems));
    dump (problems);
    for (guint k = 0; k < problems->len; k++)
      found |= g_str_equal (((TbScriptProblem *) g_ptr_array_index (problems, k))->code,
                            breaks[i].code);
    g_assert_true (found);
  }
}

/* @n of @open, then @n of @close, inside @before … @after. */
static char *
nested (const char *before,
        const char *open,
        const char *close,
        guint       n,
        const char *after)
{
  GString *s = g_string_new (before);

  for (guint i = 0; i < n; i++)
    g_string_append (s, open);
  for (guint i = 0; i < n; i++)
    g_string_append (s, close);
  g_string_append (s, after);
  return g_string_free (s, FALSE);
}

/* json-glib recurses once per level without a limit: a script nested 80,000 deep crashed the
 * loader (SIGSEGV). Now it is a syntax error that says where, and the process lives on. */
static void
test_deep_nesting (void)
{
  static const struct { const char *open, *close; } kinds[] = {
    { "[", "]" }, { "{\"a\":", "}" }, { "[{\"a\":", "}]" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    g_autofree char *deep = nested ("{\"telebot_script\": 1, \"nodes\": ", kinds[k].open,
                                    kinds[k].close, 80000, "}");
    g_autoptr(GError) error = NULL;
    g_autoptr(TbScript) script = tb_script_new_from_data (deep, -1, "deep.json", &error);

    g_assert_null (script);
    g_assert_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_SYNTAX);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, "deep.json:1:"));
    g_assert_nonnull (strstr (error->message, "nested deeper than 64 levels"));
  }
  {
    /* Where: line and column (in characters) of the bracket one level too deep, the 64th
     * "[" inside the object. */
    g_autofree char *deep = nested ("{\n  \"name\": \"é\", \"nodes\": ", "[", "]", 80000, "}");
    g_autoptr(GError) error = NULL;
    g_autoptr(TbScript) script = tb_script_new_from_data (deep, -1, "deep.json", &error);

    g_assert_null (script);
    g_assert_cmpstr (error->message, ==, "deep.json:2:88: nested deeper than 64 levels");
  }
  {
    /* 4 MB is the most a script may be. */
    g_autofree char *big = g_strnfill (TB_LIMITS_SCRIPT_BYTES + 1, ' ');
    g_autoptr(GError) error = NULL;
    g_autoptr(TbScript) script = NULL;

    memcpy (big, "{}", 2);
    script = tb_script_new_from_data (big, -1, "big.json", &error);
    g_assert_null (script);
    g_assert_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_SYNTAX);
    g_assert_cmpstr (error->message, ==, "big.json: larger than 4 MB");
  }
}

/* The guard counts only the brackets json-glib sees: not those in strings or comments. */
static void
test_json_limits (void)
{
  static const struct {
    const char *before, *open, *close, *after;
    guint n;
    gboolean ok;
  } cases[] = {
    { "", "[", "]", "", TB_LIMITS_JSON_DEPTH, TRUE },
    { "", "[", "]", "", TB_LIMITS_JSON_DEPTH + 1, FALSE },
    { "", "{\"k\":[", "]}", "", TB_LIMITS_JSON_DEPTH / 2, TRUE },
    { "", "{\"k\":[", "]}", "", TB_LIMITS_JSON_DEPTH / 2 + 1, FALSE },
    /* Brackets in strings are text. */
    { "[\"", "[", "]", "\"]", 1000, TRUE },
    { "['", "{", "}", "']", 1000, TRUE },
    { "[\"\\\"", "[", "]", "\"]", 1000, TRUE },
    /* A quote inside the other kind of string does not end it. */
    { "[\"'\", ", "[", "]", "]", 1000, FALSE },
    { "['\"', ", "[", "]", "]", 1000, FALSE },
    /* A closing bracket in a string or a comment closes nothing. */
    { "[\"]]]]]]\", ", "[", "]", "]", 1000, FALSE },
    { "[/* ]]]]]] */ ", "[", "]", "]", 1000, FALSE },
    /* json-glib ends a comment at the star that opened it: what follows is read. */
    { "/*/ ", "[", "]", " */", 1000, FALSE },
    { "/**/ ", "[", "]", "", 1000, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text = nested (cases[i].before, cases[i].open, cases[i].close, cases[i].n,
                                    cases[i].after);
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    gboolean ok = tb_limits_parse_json (parser, text, -1, "case", 1 << 20, &error);

    g_test_message ("case %u: %s", i, error ? error->message : "ok");
    if (cases[i].ok) {
      g_assert_no_error (error);
      g_assert_true (ok);
    } else {
      g_assert_false (ok);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
  }
  {
    /* Strings come out as valid UTF-8: only JSON's escapes, no octal ones and no lone
     * surrogates, which json-glib's scanner turns into bytes that are not UTF-8. */
    static const struct { const char *json; gboolean ok; } escapes[] = {
      { "[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u4E0D \\ud83d\\ude00\"]", TRUE },
      { "[\"\\253\"]", FALSE },
      { "[\"\\0\"]", FALSE },
      { "[\"\\x41\"]", FALSE },
      { "[\"\\q\"]", FALSE },
      { "[\"\\udc00\"]", FALSE },
      { "[\"\\ud83d\"]", FALSE },
      { "[\"\\ud83dx\"]", FALSE },
      { "[\"\\ud83d\\u0041\"]", FALSE },
      { "[\"\\u12\"]", FALSE },
      { "['\\253']", TRUE },   /* single quotes: no escapes, a backslash and digits */
    };

    for (guint i = 0; i < G_N_ELEMENTS (escapes); i++) {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      gboolean ok = tb_limits_parse_json (parser, escapes[i].json, -1, "s.json", 1024, &error);

      g_test_message ("%s: %s", escapes[i].json, error ? error->message : "ok");
      g_assert_cmpint (ok, ==, escapes[i].ok);
      if (ok) {
        JsonArray *array = json_node_get_array (json_parser_get_root (parser));

        g_assert_true (g_utf8_validate (json_array_get_string_element (array, 0), -1, NULL));
      } else {
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
        g_assert_true (g_str_has_prefix (error->message, "s.json:1:3: not a JSON escape"));
      }
    }
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;

    /* Syntax errors keep json-glib's domain and say where, in the input's name. */
    g_assert_false (tb_limits_parse_json (parser, "{\"a\" 1}", -1, "x.json", 100, &error));
    g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_MISSING_COLON);
    g_assert_true (g_str_has_prefix (error->message, "x.json:1:"));
    g_clear_error (&error);
    g_assert_false (tb_limits_parse_json (parser, "[1, 2, 3]", -1, "x.json", 8, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
    g_assert_cmpstr (error->message, ==, "x.json: larger than 8 bytes");
    g_clear_error (&error);
    g_assert_true (tb_limits_parse_json (parser, "[1, 2, 3]", -1, "x.json", 9, &error));
    g_assert_no_error (error);
  }
}

/* Files are read up to their limit, never further: not a 5 MB script, not /dev/zero. */
static void
test_read_file_limit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("telebot-limits-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.json", NULL);
  g_autofree char *big = g_strnfill (5 * 1024 * 1024, ' ');
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_set_contents (path, big, -1, &error));
  g_assert_false (tb_limits_read_file (path, TB_LIMITS_SCRIPT_BYTES, &contents, &length,
                                       &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "big.json: larger than 4 MB"));
  g_assert_null (contents);
  g_clear_error (&error);

  g_assert_true (tb_limits_read_file (path, 6 * 1024 * 1024, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 5 * 1024 * 1024);
  g_assert_cmpint (contents[length], ==, '\0');
  g_clear_pointer (&contents, g_free);

  g_assert_false (tb_limits_read_file ("/dev/zero", 1024, &contents, &length, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_clear_error (&error);

  g_assert_false (tb_limits_read_file ("/nonexistent/x.json", 1024, &contents, &length, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/x.json"));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/telebot/script/load/samples", test_samples);
  g_test_add_func ("/telebot/script/load/syntax-error", test_syntax_error);
  g_test_add_func ("/telebot/script/load/version", test_version);
  g_test_add_func ("/telebot/script/load/invalid", test_invalid);
  g_test_add_func ("/telebot/script/check/kinds", test_check_kinds);
  g_test_add_func ("/telebot/script/check/keypad", test_check_keypad);
  g_test_add_func ("/telebot/script/check/end-silence", test_check_end_silence);
  g_test_add_func ("/telebot/script/check/disclosure-node", test_check_disclosure_node);
  g_test_add_func ("/telebot/script/detect-disclosures", test_detect_disclosures);
  g_test_add_func ("/telebot/script/check/valid-and-policy", test_check_valid_and_policy);
  g_test_add_func ("/telebot/script/check/variables", test_check_variables);
  g_test_add_func ("/telebot/script/document/numbers", test_document_numbers);
  g_test_add_func ("/telebot/script/document/edit", test_document_edit);
  g_test_add_func ("/telebot/script/document/rename-references",
                   test_document_rename_references);
  g_test_add_func ("/telebot/script/document/roundtrip", test_document_roundtrip);
  g_test_add_func ("/telebot/script/document/refusals", test_document_refusals);
  g_test_add_func ("/telebot/script/expand", test_expand);
  g_test_add_func ("/telebot/script/phrases", test_phrases);
  g_test_add_func ("/telebot/script/limits/deep-nesting", test_deep_nesting);
  g_test_add_func ("/telebot/script/limits/json", test_json_limits);
  g_test_add_func ("/telebot/script/limits/read-file", test_read_file_limit);
  return g_test_run ();
}
