/* tb-cli-call.c — telebot-cli call: one call with a script, its result and transcript
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-call"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "tb-audit.h"
#include "tb-call-session.h"
#include "tb-cli.h"
#include "tb-clock.h"
#include "tb-dial-gate.h"
#include "tb-line-registry.h"
#include "tb-phone.h"
#include "tb-script.h"
#include "tb-speech-service.h"
#include "tb-store-attempts.h"
#include "tb-store-calls.h"
#include "tb-store-config.h"
#include "tb-store-lines.h"

static void
on_call_finished (GMainLoop *loop)
{
  g_main_loop_quit (loop);
}

/* SIGTERM or ^C during a call: hang it up (the far end hears a BYE) and report it as
 * interrupted; the loop ends when the session finishes, or at the grace deadline. */
static gboolean
on_call_signal (gpointer data)
{
  TbCallSession *session = data;

  if (g_object_get_data (G_OBJECT (session), "tb-stopping") != NULL)
    return G_SOURCE_CONTINUE;
  g_object_set_data (G_OBJECT (session), "tb-stopping", GINT_TO_POINTER (TRUE));
  tb_call_session_interrupt (session);
  g_timeout_add_once (TB_CLI_STOP_GRACE_MS, (GSourceOnceFunc) g_main_loop_quit,
                      g_object_get_data (G_OBJECT (session), "tb-loop"));
  return G_SOURCE_CONTINUE;
}

int
tb_cli_call (TbCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *line_name = NULL, *script_path = NULL, *persona = NULL;
  g_autofree char *region = NULL, *policy = NULL, *now_text = NULL;
  gboolean test = FALSE;
  g_auto(GStrv) vars = NULL;
  GOptionEntry entries[] = {
    { "line", 0, 0, G_OPTION_ARG_STRING, &line_name, N_("The line to call on"), N_("NAME") },
    { "test", 0, 0, G_OPTION_ARG_NONE, &test,
      N_("A test call to one of the business's test numbers (line test-numbers)"), NULL },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("The region of a number written without its country code"), N_("CC") },
    { "policy", 0, 0, G_OPTION_ARG_STRING, &policy,
      N_("Policy packs to apply (default: those of the callee's country, and DEFAULT)"),
      N_("CODES") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("Check the rules at this time (simulated line only)"),
      N_("TIME") },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &script_path, N_("The script file"), N_("FILE") },
    { "var", 0, 0, G_OPTION_ARG_STRING_ARRAY, &vars, N_("A script variable"), N_("KEY=VALUE") },
    { "persona", 0, 0, G_OPTION_ARG_STRING, &persona, N_("The simulated callee"),
      N_("PERSONA") },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = NULL;
  g_auto(TbLineHold) line = NULL;
  g_autoptr(TbRecognizer) recognizer = NULL;
  g_autoptr(TbSynthesizer) synthesizer = NULL;
  g_autoptr(TbCallSession) session = NULL;
  g_autoptr(GHashTable) variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           g_free);
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(TbCallRecord) call = NULL;
  GPtrArray *turns;
  g_autofree char *recording = NULL;
  const TbAttemptResult *result;
  TbCallSessionSetup setup = { 0 };
  TbAttemptResult unfinished = { .outcome = "interrupted", .end_reason = "interrupted" };
  guint sigint, sigterm;
  gint64 attempt_id, line_id, now = g_get_real_time ();
  g_autoptr(TbDialGate) gate = NULL;
  g_autofree char *number = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, "NUMBER", _("Place one call and print what happened"),
                     &argc, &argv))
    return 2;
  if (argc != 2 || line_name == NULL || script_path == NULL)
    return tb_cli_fail_usage ("call NUMBER --line NAME --script FILE.json [--var k=v]…");
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  if ((line_id = tb_store_find_line (store, line_name)) == 0)
    return tb_cli_fail_usage ("call: no line “%s”", line_name);
  if (now_text != NULL) {
    g_autoptr(TbLineRow) row = tb_store_get_line (store, line_name, &error);

    /* Checking the rules at another time than the real one is for rehearsals: never on a
     * line that rings real phones. */
    if (row == NULL)
      return tb_cli_fail (error);
    if (!g_str_equal (row->kind, "sim"))
      return tb_cli_fail_usage ("call: --now is only for the simulated line, not “%s” (%s)",
                                line_name, row->kind);
    if (!tb_clock_parse_time (now_text, &now, &error))
      return tb_cli_fail (error);
  }

  /* Every dial asks the gate and is audited: the number in E.164 (an opt-out recorded under
   * it is found by every later check), then DNC, consent, the window, the caps. A test call
   * to the business's own numbers skips the rules, and only those numbers. */
  gate = tb_dial_gate_new (store);
  if (test) {
    number = tb_cli_test_number (argv[1], region);
    if (!tb_dial_gate_allow_test_call (gate, number, now, &error))
      return tb_cli_fail (error);
  } else {
    TbPhoneNumber pn;
    TbDialCallee callee = { 0 };
    g_autoptr(TbDialDecision) decision = NULL;

    if (region == NULL)
      region = tb_phone_dup_default_region ();
    if (!tb_phone_normalize (argv[1], region, &pn, &error))
      return tb_cli_fail_usage ("call: “%s” is not a phone number (%s)", argv[1],
                                error->message);
    number = g_strdup (pn.e164);
    callee.e164 = number;
    callee.country = pn.country;
    decision = tb_dial_gate_check (gate, &callee, policy, 0, now, TB_DIAL_PURPOSE_DIAL, &error);
    if (decision == NULL)
      return tb_cli_fail (error);
    if (!decision->allowed) {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "number");
      json_builder_add_string_value (b, number);
      json_builder_set_member_name (b, "blocked");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_set_member_name (b, "rule");
      json_builder_add_string_value (b, decision->rule);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, decision->message);
      json_builder_end_object (b);
      tb_cli_print_object (b);
      g_printerr ("telebot-cli: call %s: not dialed: %s\n", number, decision->message);
      return 1;
    }
  }
  if (tb_cli_import_script (store, script_path, NULL, &script, &error) == 0 ||
      (line = tb_line_registry_acquire_from_store (store, line_name, FALSE, &error)) == NULL)
    return tb_cli_fail (error);
  for (guint i = 0; vars != NULL && vars[i] != NULL; i++) {
    g_auto(GStrv) kv = g_strsplit (vars[i], "=", 2);

    if (kv[1] == NULL)
      return tb_cli_fail_usage ("call: --var %s is not KEY=VALUE", vars[i]);
    g_hash_table_insert (variables, g_strdup (kv[0]), g_strdup (kv[1]));
  }

  if ((recognizer = tb_speech_service_new_recognizer (store, script, line, &error)) == NULL ||
      (synthesizer = tb_speech_service_new_synthesizer (store, &error)) == NULL)
    return tb_cli_fail (error);
  attempt_id = tb_audit_begin_attempt (store, 0, 0, line_id, number, g_get_real_time (), &error);
  if (attempt_id == 0)
    return tb_cli_fail (error);

  setup.store = store;
  setup.line = line;
  setup.script = script;
  setup.recognizer = recognizer;
  setup.synthesizer = synthesizer;
  setup.attempt_id = attempt_id;
  setup.number = number;
  setup.persona = persona;
  setup.variables = variables;
  setup.record = tb_script_get_records (script);
  session = tb_call_session_new (&setup);

  loop = g_main_loop_new (NULL, FALSE);
  g_object_set_data (G_OBJECT (session), "tb-loop", loop);
  g_signal_connect_swapped (session, "finished", G_CALLBACK (on_call_finished), loop);
  sigint = g_unix_signal_add (SIGINT, on_call_signal, session);
  sigterm = g_unix_signal_add (SIGTERM, on_call_signal, session);
  tb_call_session_start (session);
  g_main_loop_run (loop);
  g_clear_handle_id (&sigint, g_source_remove);
  g_clear_handle_id (&sigterm, g_source_remove);

  result = tb_call_session_get_result (session);
  if (result->outcome == NULL) {
    unfinished.ended_at = g_get_real_time ();
    result = &unfinished;   /* the hang-up did not complete in the grace time */
  }
  if (!tb_store_attempt_finish (store, attempt_id, result, 0, &error))
    return tb_cli_fail (error);
  call = tb_store_load_call (store, attempt_id, TRUE, NULL);
  turns = call ? call->turns : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "number");
  json_builder_add_string_value (b, number);
  json_builder_set_member_name (b, "test");
  json_builder_add_boolean_value (b, test);
  json_builder_set_member_name (b, "outcome");
  json_builder_add_string_value (b, result->outcome);
  json_builder_set_member_name (b, "end_reason");
  json_builder_add_string_value (b, result->end_reason);
  json_builder_set_member_name (b, "protocol_code");
  json_builder_add_int_value (b, result->protocol_code);
  json_builder_set_member_name (b, "grade");
  json_builder_add_string_value (b, result->grade);
  json_builder_set_member_name (b, "score");
  json_builder_add_int_value (b, result->score);
  json_builder_set_member_name (b, "opt_out");
  json_builder_add_boolean_value (b, result->opt_out);
  /* Where the file is, whatever folder this ran in. */
  recording = tb_store_resolve_path (store, result->recording);
  json_builder_set_member_name (b, "recording");
  json_builder_add_string_value (b, recording);
  json_builder_set_member_name (b, "amd");
  json_builder_add_string_value (b, call != NULL ? call->amd : NULL);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, call != NULL && call->answered_at > 0 && call->ended_at > 0 ?
                                 (call->ended_at - call->answered_at) / 1e6 : 0.0);
  json_builder_set_member_name (b, "turns");
  json_builder_begin_array (b);
  for (guint i = 0; turns != NULL && i < turns->len; i++) {
    TbTurn *t = g_ptr_array_index (turns, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "speaker");
    json_builder_add_string_value (b, t->speaker);
    json_builder_set_member_name (b, "node");
    json_builder_add_string_value (b, t->node);
    json_builder_set_member_name (b, "text");
    json_builder_add_string_value (b, t->text);
    json_builder_set_member_name (b, "intent");
    json_builder_add_string_value (b, t->intent);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}
