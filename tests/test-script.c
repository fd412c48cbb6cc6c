/* test-script.c — the script document: loading, syntax errors with
 * line:column, the checker (one file per kind of problem), writing, editing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-script"

#include "config.h"

#include <string.h>

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
    { "missing-disclosure.json", "missing-disclosure", "intro",
      "missing-disclosure.json: node \"intro\": the start path (intro → q) lacks the "
      "\"automated\" disclosure required by policy US" },
    { "missing-recording.json", "missing-disclosure", "intro",
      "missing-recording.json: node \"intro\": the start path (intro → q) lacks the "
      "\"recording\" disclosure" },
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

static void
test_roundtrip (void)
{
  const char *files[] = { "demo-en.json", "demo-zh.json", "demo-zh-keypad.json" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *path = source_path ("data", "scripts", files[i], NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(TbScript) a = load_file (path, &error);
    g_autofree char *json_a = tb_script_to_json (a);
    g_autoptr(TbScript) b = tb_script_new_from_data (json_a, -1, files[i], &error);
    g_autofree char *json_b = NULL;

    g_assert_no_error (error);
    json_b = tb_script_to_json (b);
    g_assert_cmpstr (json_a, ==, json_b);
    g_assert_cmpuint (tb_script_get_n_nodes (a), ==, tb_script_get_n_nodes (b));
    g_assert_cmpuint (tb_script_get_n_intents (a), ==, tb_script_get_n_intents (b));
    for (guint k = 0; k < tb_script_get_n_nodes (a); k++) {
      const TbScriptNode *na = tb_script_get_nth_node (a, k);
      const TbScriptNode *nb = tb_script_get_nth_node (b, k);

      g_assert_cmpstr (na->id, ==, nb->id);
      g_assert_cmpstr (na->text, ==, nb->text);
      g_assert_cmpint (na->type, ==, nb->type);
      g_assert_cmpint (na->routes->len, ==, nb->routes->len);
      g_assert_cmpint (na->grade.score, ==, nb->grade.score);
    }
    g_assert_true (tb_script_check (b, "DEFAULT", NULL, NULL));
    /* Numbers as a person wrote them, not 0.40000000000000002. */
    g_assert_nonnull (strstr (json_a, "\"min_confidence\" : 0.4,\n"));
  }
  {
    g_autoptr(TbScript) c = tb_script_new_from_data (
      "{\"telebot_script\":1,\"min_confidence\":0.45,\"nodes\":{\"a\":{\"type\":\"hangup\","
      "\"text\":\"0.40000000000000002\",\"ui\":{\"x\":0.1,\"y\":3}}}}", -1, NULL, NULL);
    g_autofree char *json = tb_script_to_json (c);

    g_assert_nonnull (strstr (json, "\"min_confidence\" : 0.45,\n"));
    g_assert_nonnull (strstr (json, "\"x\" : 0.1,\n"));
    g_assert_nonnull (strstr (json, "\"text\" : \"0.40000000000000002\","));
  }
}

static void
on_changed (TbScript *script,
            guint    *count)
{
  (*count)++;
}

static void
test_edit (void)
{
  g_autoptr(TbScript) s = tb_script_new ("Edited", "en");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  g_autoptr(TbScript) again = NULL;
  g_auto(GStrv) targets = NULL;
  guint changes = 0;

  g_signal_connect (s, "changed", G_CALLBACK (on_changed), &changes);

  g_assert_true (tb_script_add_node (s, "hello", TB_SCRIPT_NODE_SAY, "Hi", &error));
  g_assert_cmpstr (tb_script_get_start (s), ==, "hello");
  g_assert_true (tb_script_add_node (s, "q", TB_SCRIPT_NODE_ASK, "Well?", &error));
  g_assert_true (tb_script_add_node (s, "bye", TB_SCRIPT_NODE_HANGUP, "Bye", &error));
  g_assert_false (tb_script_add_node (s, "bye", TB_SCRIPT_NODE_SAY, "dup", &error));
  g_assert_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_EXISTS);
  g_clear_error (&error);

  /* hello has no next: a dead end; q has no routes. */
  g_assert_false (tb_script_check (s, NULL, NULL, &problems));
  g_assert_nonnull (find_problem (problems, "dead-end", "hello"));
  g_assert_nonnull (find_problem (problems, "dead-end", "q"));
  g_assert_nonnull (find_problem (problems, "no-opt-out", NULL));
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_assert_true (tb_script_set_node_next (s, "hello", "q", &error));
  g_assert_true (tb_script_set_route (s, "q", "no_input", "bye", &error));
  g_assert_true (tb_script_set_route (s, "q", "no_match", "bye", &error));
  g_assert_false (tb_script_set_route (s, "nope", "no_match", "bye", &error));
  g_assert_error (error, TB_SCRIPT_ERROR, TB_SCRIPT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Rename follows every reference. */
  g_assert_true (tb_script_rename_node (s, "bye", "goodbye", &error));
  targets = tb_script_dup_node_targets (s, "q");
  g_assert_cmpuint (g_strv_length (targets), ==, 2);
  g_assert_cmpstr (targets[0], ==, "goodbye");
  g_assert_cmpstr (targets[1], ==, "goodbye");
  g_assert_true (tb_script_rename_node (s, "hello", "intro", &error));
  g_assert_cmpstr (tb_script_get_start (s), ==, "intro");
  g_assert_cmpstr (tb_script_get_node (s, "intro")->next, ==, "q");
  g_assert_true (tb_script_set_node_text (s, "intro", "Hi again", &error));
  g_assert_cmpstr (tb_script_get_node (s, "intro")->text, ==, "Hi again");

  /* Removing a node leaves its references for the checker to report. */
  g_assert_true (tb_script_remove_node (s, "goodbye", &error));
  g_assert_false (tb_script_check (s, NULL, NULL, &problems));
  g_assert_nonnull (find_problem (problems, "unknown-target", "q"));
  g_assert_cmpuint (changes, ==, 10);

  /* The canvas position is part of the document. */
  g_assert_true (tb_script_set_node_position (s, "intro", 120.5, -40, &error));
  g_assert_cmpuint (changes, ==, 11);
  g_assert_true (g_strv_contains (tb_script_get_disclosure_names (), "automated"));

  /* What the editor cannot do with a setter goes through JSON. */
  json = tb_script_to_json (s);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  again = tb_script_new_from_json (json_parser_get_root (parser), "edited.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tb_script_get_n_nodes (again), ==, 2);
  g_assert_cmpstr (tb_script_get_source_name (again), ==, "edited.json");
  g_assert_true (tb_script_get_node (again, "intro")->has_position);
  g_assert_cmpfloat (tb_script_get_node (again, "intro")->x, ==, 120.5);
  g_assert_cmpfloat (tb_script_get_node (again, "intro")->y, ==, -40);
  g_assert_false (tb_script_get_node (again, "q")->has_position);
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
  g_test_add_func ("/telebot/script/check/valid-and-policy", test_check_valid_and_policy);
  g_test_add_func ("/telebot/script/check/variables", test_check_variables);
  g_test_add_func ("/telebot/script/json/roundtrip", test_roundtrip);
  g_test_add_func ("/telebot/script/edit", test_edit);
  g_test_add_func ("/telebot/script/expand", test_expand);
  g_test_add_func ("/telebot/script/phrases", test_phrases);
  return g_test_run ();
}
