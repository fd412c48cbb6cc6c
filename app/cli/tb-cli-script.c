/* tb-cli-script.c — telebot-cli script check | simulate | import | list | add-phrase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-script"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-cli.h"
#include "tb-dialog.h"
#include "tb-limits.h"
#include "tb-not-understood.h"
#include "tb-script.h"
#include "tb-script-document.h"
#include "tb-store-config.h"

/* Reads and parses FILE; on failure fills @problem_json (for `check`). */
static TbScript *
load_script (const char  *path,
             char       **text_out,
             GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *base = g_path_get_basename (path);
  gsize len;
  TbScript *script;

  if (!tb_limits_read_file (path, TB_LIMITS_SCRIPT_BYTES, &text, &len, error))
    return NULL;
  script = tb_script_new_from_data (text, len, base, error);
  if (script != NULL && text_out != NULL)
    *text_out = g_steal_pointer (&text);
  return script;
}

/* Reads and checks a script file, and saves it in the store under its name. */
gint64
tb_cli_import_script (TbStore     *store,
                      const char  *path,
                      const char  *policies,
                      TbScript   **out_script,
                      GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(TbScript) script = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gint64 id;

  if (!tb_limits_read_file (path, TB_LIMITS_SCRIPT_BYTES, &text, NULL, error) ||
      (script = tb_script_new_from_data (text, -1, base, error)) == NULL)
    return 0;
  if (!tb_script_check (script, policies, NULL, &problems)) {
    TbScriptProblem *first = g_ptr_array_index (problems, 0);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", first->message);
    return 0;
  }
  id = tb_store_save_script (store, tb_script_get_name (script) ? tb_script_get_name (script)
                                                                 : base,
                             tb_script_get_language (script), text, error);
  if (out_script != NULL)
    *out_script = g_steal_pointer (&script);
  return id;
}

static void
add_problem (JsonBuilder *b,
             const char  *severity,
             const char  *node,
             const char  *code,
             const char  *message)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, severity);
  json_builder_set_member_name (b, "node");
  if (node != NULL)
    json_builder_add_string_value (b, node);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
}

static const char *
error_code (const GError *error)
{
  if (error->domain == TB_SCRIPT_ERROR) {
    switch (error->code) {
    case TB_SCRIPT_ERROR_SYNTAX:
      return "syntax";
    case TB_SCRIPT_ERROR_VERSION:
      return "version";
    default:
      return "invalid";
    }
  }
  return "unreadable";
}

/* Prints {"ok":..,"problems":[..]}; returns the exit status. */
static int
report_problems (const char   *file,
                 const GError *load_error,
                 GPtrArray    *problems,
                 gboolean      ok)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, file);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, ok);
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  if (load_error != NULL)
    add_problem (b, "error", NULL, error_code (load_error), load_error->message);
  for (guint i = 0; problems != NULL && i < problems->len; i++) {
    TbScriptProblem *p = g_ptr_array_index (problems, i);

    add_problem (b, p->severity == TB_SCRIPT_PROBLEM_ERROR ? "error" : "warning", p->node_id,
                 p->code, p->message);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return ok ? 0 : 1;
}

static int
script_check (TbCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *policy = NULL;
  g_autofree char *fields = NULL;
  GOptionEntry entries[] = {
    { "policy", 0, 0, G_OPTION_ARG_STRING, &policy,
      N_("Policy packs whose disclosures to require (default DEFAULT)"), N_("PACK[,PACK…]") },
    { "fields", 0, 0, G_OPTION_ARG_STRING, &fields,
      N_("Contact fields a campaign provides, to check {variables}"), N_("FIELD,FIELD…") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_auto(GStrv) field_list = NULL;
  gboolean ok;

  if (!tb_cli_parse (cli, entries, N_("SCRIPT.json"), _("Check a call script"), &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("script check: give one FILE.json");
  if ((script = load_script (argv[1], NULL, &error)) == NULL) {
    g_printerr ("telebot-cli: %s\n", error->message);
    return report_problems (argv[1], error, NULL, FALSE);
  }
  if (fields != NULL) {
    field_list = g_strsplit (fields, ",", -1);
    for (guint i = 0; field_list[i] != NULL; i++)
      g_strstrip (field_list[i]);
  }
  ok = tb_script_check (script, policy ? policy : "DEFAULT",
                        (const char * const *) field_list, &problems);
  for (guint i = 0; !ok && i < problems->len; i++) {
    TbScriptProblem *p = g_ptr_array_index (problems, i);

    if (p->severity == TB_SCRIPT_PROBLEM_ERROR) {
      g_printerr ("telebot-cli: %s\n", p->message);
      break;
    }
  }
  return report_problems (argv[1], NULL, problems, ok);
}

/* ---- simulate ------------------------------------------------------- */

typedef struct {
  gboolean dtmf;
  char    *value;
} Input;

static void
input_free (gpointer data)
{
  Input *in = data;

  g_free (in->value);
  g_free (in);
}

static gint64
fake_clock (gpointer data)
{
  return *(gint64 *) data;
}

static void
print_turn (TbDialogAction *a,
            gint64          start)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "speaker");
  json_builder_add_string_value (b, a->speaker);
  json_builder_set_member_name (b, "node");
  json_builder_add_string_value (b, a->node);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, a->text);
  json_builder_set_member_name (b, "intent");
  if (a->intent != NULL)
    json_builder_add_string_value (b, a->intent);
  else
    json_builder_add_null_value (b);
  if (g_str_equal (a->speaker, "callee")) {
    json_builder_set_member_name (b, "source");
    json_builder_add_string_value (b, a->source == TB_DIALOG_SOURCE_DTMF ? "dtmf" : "speech");
    if (a->intent != NULL) {
      /* Why: the phrase or built-in rule that matched, and how sure. */
      json_builder_set_member_name (b, "rule");
      if (a->rule != NULL)
        json_builder_add_string_value (b, a->rule);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "confidence");
      json_builder_add_double_value (b, a->confidence);
    }
  }
  json_builder_set_member_name (b, "time_ms");
  json_builder_add_int_value (b, (a->time_us - start) / 1000);
  json_builder_end_object (b);
  tb_cli_print_object (b);
}

static void
print_action (TbDialogAction *a,
              gint64          start)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b, tb_dialog_action_type_to_string (a->type));
  json_builder_set_member_name (b, "node");
  json_builder_add_string_value (b, a->node);
  if (a->text != NULL) {
    json_builder_set_member_name (b, "text");
    json_builder_add_string_value (b, a->text);
  }
  if (a->reason != NULL) {
    json_builder_set_member_name (b, "reason");
    json_builder_add_string_value (b, a->reason);
  }
  if (a->type == TB_DIALOG_ACTION_ADD_TO_DNC) {
    json_builder_set_member_name (b, "source");
    json_builder_add_string_value (b, a->source == TB_DIALOG_SOURCE_DTMF ? "dtmf" : "speech");
  }
  if (a->type == TB_DIALOG_ACTION_GRADE) {
    json_builder_set_member_name (b, "delta");
    json_builder_add_int_value (b, a->score_delta);
    json_builder_set_member_name (b, "score");
    json_builder_add_int_value (b, a->score);
  }
  if (a->type == TB_DIALOG_ACTION_LISTEN) {
    json_builder_set_member_name (b, "intents");
    json_builder_begin_array (b);
    for (guint i = 0; a->intents[i] != NULL; i++)
      json_builder_add_string_value (b, a->intents[i]);
    json_builder_end_array (b);
    json_builder_set_member_name (b, "timeout_ms");
    json_builder_add_int_value (b, a->timeout_ms);
  }
  json_builder_set_member_name (b, "time_ms");
  json_builder_add_int_value (b, (a->time_us - start) / 1000);
  json_builder_end_object (b);
  tb_cli_print_object (b);
}

static int
script_simulate (TbCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (input_free);
  g_autoptr(GHashTable) vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = NULL;
  g_autoptr(TbDialog) dialog = NULL;
  g_autoptr(TbGradeResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *file = NULL;
  gboolean actions = FALSE;
  gint64 clock = 1000000, start = 1000000;
  guint next_input = 0;

  /* Our own parsing: --say and --dtmf keep their relative order. */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;

    if (g_str_equal (a, "--help") || g_str_equal (a, "-h")) {
      g_print ("%s", _("Usage: telebot-cli script simulate FILE.json [--var K=V]… "
                       "[--say TEXT]… [--dtmf D]… [--actions]\n\n"
                       "Runs the dialog engine on a fake clock: prompts finish at once, each "
                       "--say or --dtmf answers the next question in order, then silence.\n"));
      return 0;
    } else if (g_str_equal (a, "--actions")) {
      actions = TRUE;
    } else if ((g_str_equal (a, "--say") || g_str_equal (a, "--dtmf") ||
                g_str_equal (a, "--var")) && v != NULL) {
      if (g_str_equal (a, "--var")) {
        const char *eq = strchr (v, '=');

        if (eq == NULL || eq == v)
          return tb_cli_fail_usage ("script simulate: --var \"%s\" is not K=V", v);
        g_hash_table_insert (vars, g_strndup (v, eq - v), g_strdup (eq + 1));
      } else {
        Input *in = g_new0 (Input, 1);

        in->dtmf = g_str_equal (a, "--dtmf");
        in->value = g_strdup (v);
        if (in->dtmf && strlen (v) != 1) {
          input_free (in);
          return tb_cli_fail_usage ("script simulate: --dtmf \"%s\" must be one key", v);
        }
        g_ptr_array_add (inputs, in);
      }
      i++;
    } else if (a[0] == '-' && a[1] != '\0') {
      return tb_cli_fail_usage ("script simulate: unknown option %s (see --help)", a);
    } else if (file == NULL) {
      file = a;
    } else {
      return tb_cli_fail_usage ("script simulate: give one FILE.json, not also \"%s\"", a);
    }
  }
  if (file == NULL)
    return tb_cli_fail_usage ("script simulate: give FILE.json");
  if ((script = load_script (file, NULL, &error)) == NULL)
    return tb_cli_fail (error);

  dialog = tb_dialog_new (script, vars, fake_clock, &clock);
  tb_dialog_answered (dialog);

  for (guint guard = 0; guard < 10000; guard++) {
    g_autoptr(TbDialogAction) a = tb_dialog_pop_action (dialog);

    if (a != NULL) {
      if (actions && a->type != TB_DIALOG_ACTION_LOG_TURN)
        print_action (a, start);
      if (a->type == TB_DIALOG_ACTION_LOG_TURN)
        print_turn (a, start);
      continue;
    }
    if (tb_dialog_is_finished (dialog))
      break;
    switch (tb_dialog_get_state (dialog)) {
    case TB_DIALOG_STATE_SPEAKING:
    case TB_DIALOG_STATE_ENDING:
      /* Prompts finish at once; the clock moves a little so turns have times. */
      clock += 500000;
      tb_dialog_prompt_finished (dialog);
      break;
    case TB_DIALOG_STATE_LISTENING:
      if (next_input < inputs->len) {
        Input *in = g_ptr_array_index (inputs, next_input++);

        clock += 1500000;
        if (in->dtmf)
          tb_dialog_dtmf (dialog, in->value[0]);
        else
          tb_dialog_utterance (dialog, in->value, NULL, 0.0);
      } else {
        clock = tb_dialog_get_deadline (dialog);
        tb_dialog_tick (dialog);
      }
      break;
    case TB_DIALOG_STATE_IDLE:
    case TB_DIALOG_STATE_ENDED:
    default:
      goto done;
    }
  }
done:
  result = tb_dialog_dup_result (dialog);
  node = tb_grade_result_to_json (result);
  tb_cli_print_json (node);
  return 0;
}

/* ---- import / list -------------------------------------------------- */

static int
script_import (TbCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *policy = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name in the database (default: the "
                                                   "script's name)"), N_("SCRIPT-NAME") },
    { "policy", 0, 0, G_OPTION_ARG_STRING, &policy,
      N_("Policy packs whose disclosures to require (default DEFAULT)"), N_("PACK[,PACK…]") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *text = NULL;
  TbStore *store;
  const char *save_as;
  gint64 id;
  guint warnings = 0;

  if (!tb_cli_parse (cli, entries, N_("SCRIPT.json"), _("Check a call script and save it in "
                                                      "the database"), &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("script import: give one FILE.json");
  if ((script = load_script (argv[1], &text, &error)) == NULL)
    return tb_cli_fail (error);
  if (!tb_script_check (script, policy ? policy : "DEFAULT", NULL, &problems)) {
    TbScriptProblem *p = g_ptr_array_index (problems, 0);

    g_printerr ("telebot-cli: %s\n", p->message);
    report_problems (argv[1], NULL, problems, FALSE);
    return 1;
  }
  for (guint i = 0; i < problems->len; i++)
    warnings++;
  save_as = name ? name : tb_script_get_name (script);
  if (save_as == NULL || *save_as == '\0')
    return tb_cli_fail_usage ("script import: %s has no \"name\"; give --name", argv[1]);
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      (id = tb_store_save_script (store, save_as, tb_script_get_language (script), text,
                                  &error)) == 0)
    return tb_cli_fail (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, save_as);
  json_builder_set_member_name (b, "language");
  json_builder_add_string_value (b, tb_script_get_language (script));
  json_builder_set_member_name (b, "warnings");
  json_builder_add_int_value (b, warnings);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
script_list (TbCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) names = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, NULL, NULL, _("List the scripts in the database"), &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  names = tb_store_dup_names (store, "scripts");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scripts");
  json_builder_begin_array (b);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    json_builder_add_string_value (b, names[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

/* ---- add-phrase ----------------------------------------------------- */

/* What a callee said and the robot did not understand (campaign report, "not_understood"),
 * made a phrase of an intent the node listens for: in a script file, rewritten in place, or
 * in a script of the database. Refused, and nothing written, when the script then fails
 * its checks. */
static int
script_add_phrase (TbCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *policy = NULL;
  GOptionEntry entries[] = {
    { "policy", 0, 0, G_OPTION_ARG_STRING, &policy,
      N_("Policy packs whose disclosures to require (default DEFAULT)"), N_("PACK[,PACK…]") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScriptDocument) document = tb_script_document_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) phrases = NULL;
  const char *script, *node, *intent, *phrase;
  TbStore *store = NULL;
  gboolean is_file, global;
  gint64 id = 0;
  gsize len;

  if (!tb_cli_parse (cli, entries, N_("SCRIPT NODE INTENT PHRASE"),
                     _("Add a phrase to an intent a node listens for"), &argc, &argv))
    return 2;
  if (argc != 5)
    return tb_cli_fail_usage ("script add-phrase: give SCRIPT (a file or a script's name), "
                              "NODE, INTENT and PHRASE");
  script = argv[1];
  node = argv[2];
  intent = argv[3];
  phrase = argv[4];
  is_file = g_file_test (script, G_FILE_TEST_IS_REGULAR);
  if (is_file) {
    if (!tb_limits_read_file (script, TB_LIMITS_SCRIPT_BYTES, &text, &len, &error))
      return tb_cli_fail (error);
  } else {
    if ((store = tb_cli_get_store (cli, &error)) == NULL)
      return tb_cli_fail (error);
    if ((id = tb_store_find_script (store, script)) == 0)
      return tb_cli_fail_usage ("script add-phrase: “%s” is neither a file nor a script in "
                                "the database", script);
    if ((text = tb_store_dup_script_document (store, id, &error)) == NULL)
      return tb_cli_fail (error);
  }
  if (!tb_script_document_load_json (document, text, &error)) {
    g_prefix_error (&error, "%s: ", script);
    return tb_cli_fail (error);
  }
  if (!tb_not_understood_add_phrase (document, node, intent, phrase,
                                     policy ? policy : "DEFAULT", &problems, &error)) {
    g_prefix_error (&error, "%s: ", script);
    return tb_cli_fail (error);
  }
  for (guint i = 0; problems != NULL && i < problems->len; i++) {
    TbScriptProblem *p = g_ptr_array_index (problems, i);

    if (p->severity == TB_SCRIPT_PROBLEM_ERROR) {
      g_printerr ("telebot-cli: %s: with the phrase the script fails its checks: %s\n", script,
                  p->message);
      report_problems (script, NULL, problems, FALSE);
      return 1;
    }
  }
  json = tb_script_document_to_json (document);
  if (is_file ? !g_file_set_contents (script, json, -1, &error)
              : tb_store_save_script (store, script, tb_script_document_get_language (document),
                                      json, &error) == 0)
    return tb_cli_fail (error);

  global = !g_strv_contains ((const char * const *)
                             (phrases = tb_script_document_dup_intent_ids (document, FALSE)),
                             intent);
  g_clear_pointer (&phrases, g_strfreev);
  phrases = tb_script_document_dup_phrases (document, global, intent);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "script");
  json_builder_add_string_value (b, script);
  json_builder_set_member_name (b, "node");
  json_builder_add_string_value (b, node);
  json_builder_set_member_name (b, "intent");
  json_builder_add_string_value (b, intent);
  json_builder_set_member_name (b, "phrase");
  json_builder_add_string_value (b, phrase);
  json_builder_set_member_name (b, "phrases");
  json_builder_begin_array (b);
  for (guint i = 0; phrases[i] != NULL; i++)
    json_builder_add_string_value (b, phrases[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "warnings");
  json_builder_add_int_value (b, problems != NULL ? problems->len : 0);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

int
tb_cli_script (TbCli  *cli,
               int     argc,
               char  **argv)
{
  static const struct {
    const char *name;
    int (*func) (TbCli *, int, char **);
  } subs[] = {
    { "check", script_check },
    { "simulate", script_simulate },
    { "import", script_import },
    { "list", script_list },
    { "add-phrase", script_add_phrase },
  };

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")) {
    /* Asked for: stdout; missing subcommand: an error, on stderr. */
    (argc < 2 ? g_printerr : g_print) ("%s", _("Usage: telebot-cli script check FILE.json [--policy CODE] [--fields A,B]\n"
                     "       telebot-cli script simulate FILE.json [--var K=V]… --say TEXT… "
                     "[--dtmf D]\n"
                     "       telebot-cli script import FILE.json [--name NAME]\n"
                     "       telebot-cli script list\n"
                     "       telebot-cli script add-phrase SCRIPT NODE INTENT PHRASE\n"));
    return argc < 2 ? 2 : 0;
  }
  for (guint i = 0; i < G_N_ELEMENTS (subs); i++) {
    if (g_str_equal (argv[1], subs[i].name)) {
      /* The subcommand gets "script check" as its argv[0]. */
      g_autofree char *name = g_strdup_printf ("script %s", argv[1]);
      char *saved = argv[1];
      int status;

      argv[1] = name;
      status = subs[i].func (cli, argc - 1, argv + 1);
      argv[1] = saved;
      return status;
    }
  }
  return tb_cli_fail_usage ("script: unknown subcommand \"%s\" (check, simulate, import, list, "
                            "add-phrase)",
                            argv[1]);
}
