/* test-sim-line.c — the simulated line's personas, measured on their audio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-espeak.h"
#include "tb-line-test-util.h"
#include "tb-sim-call.h"
#include "tb-sim-line.h"
#include "tb-sim-persona.h"

#define RMS 300.0
#define HANGOVER_FRAMES 30   /* the persona's 600 ms */

static GBytes *prompt1;
static GBytes *prompt2;

static guint64
frames (GBytes *pcm)
{
  return g_bytes_get_size (pcm) / 320;
}

/* The last voiced frame of a prompt + 1: where the bot stops talking. */
static guint64
prompt_end_frame (GBytes *pcm)
{
  g_autoptr(GByteArray) a = g_byte_array_new ();
  gint64 last = -1;
  gint64 i = 0;

  g_byte_array_append (a, g_bytes_get_data (pcm, NULL), g_bytes_get_size (pcm));
  while ((i = tb_pcm_first_voiced (a, i, RMS)) >= 0) {
    last = i;
    i++;
  }
  g_assert_cmpint (last, >, 0);
  return last + 1;
}

static TbCall *
dial_answered (TbLine     *line,
               const char *persona)
{
  g_autoptr(TbDialRequest) request = tb_dial_request_new ("+15550123");
  g_autoptr(GError) error = NULL;
  g_autoptr(TbStateLog) log = NULL;
  TbCall *call;

  request->persona = g_strdup (persona);
  call = tb_line_dial (line, request, &error);
  g_assert_no_error (error);
  log = tb_state_log_new (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ANSWERED, 10000));
  return call;
}

static TbLine *
make_line (gboolean fast)
{
  g_autoptr(GError) error = NULL;
  TbSimLine *line = tb_sim_line_new ("sim", fast, 7, NULL, &error);

  g_assert_no_error (error);
  tb_line_start (TB_LINE (line));
  return TB_LINE (line);
}

static void
finish (TbLine *line,
        TbCall *call)
{
  tb_call_hang_up (call);
  g_assert_cmpint (tb_call_get_state (call), ==, TB_CALL_STATE_ENDED);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (call);
  g_assert_finalize_object (line);
}

/* interested: silent while the bot speaks, answers after the prompt ENDS (hangover + reaction),
 * twice; fast mode ≥ 10× real time. */
static void
test_interested_fast (void)
{
  TbLine *line = make_line (TRUE);
  TbCall *call = dial_answered (line, "interested");
  g_autoptr(TbEndpointRun) run = NULL;
  guint64 end1 = prompt_end_frame (prompt1);
  guint64 start2 = frames (prompt1) + 150;   /* 3 s gap */
  gint64 first, second;
  double speed;

  g_assert_false (tb_call_is_realtime (call));
  run = tb_endpoint_run (call, prompt1, prompt2, 3000, 20000);
  /* Lockstep: exactly one callee frame per bot frame. */
  g_assert_cmpuint (run->callee->len, ==, run->bot_samples * 2);
  first = tb_pcm_first_voiced (run->callee, 0, RMS);
  g_test_message ("prompt ends at frame %" G_GUINT64_FORMAT ", callee speaks at %" G_GINT64_FORMAT,
                  end1, first);
  g_assert_cmpint (first, >=, (gint64) end1 + HANGOVER_FRAMES);
  g_assert_cmpint (first, <=, (gint64) end1 + 100);
  /* Nothing while the first prompt played. */
  g_assert_cmpint (first, >, (gint64) end1);
  /* The second answer comes after the second prompt. */
  second = tb_pcm_first_voiced (run->callee, start2, RMS);
  g_assert_cmpint (second, >=, (gint64) (start2 + prompt_end_frame (prompt2) + HANGOVER_FRAMES));
  speed = (run->bot_samples / 8.0) / (run->wall_us / 1000.0);
  g_test_message ("fast mode: %.1f× real time", speed);
  g_assert_cmpfloat (speed, >=, 10.0);
  g_assert_cmpint (tb_call_get_state (call), ==, TB_CALL_STATE_ANSWERED);
  finish (line, call);
}

/* The same persona in real time, on a live pipeline. */
static void
test_interested_realtime (void)
{
  TbLine *line = make_line (FALSE);
  TbCall *call = dial_answered (line, "interested");
  g_autoptr(TbEndpointRun) run = NULL;
  guint64 end1 = prompt_end_frame (prompt1);
  gint64 first;

  g_assert_true (tb_call_is_realtime (call));
  run = tb_endpoint_run (call, prompt1, NULL, 0, (frames (prompt1) + 150) * 20);
  first = tb_pcm_first_voiced (run->callee, 0, RMS);
  g_test_message ("real time: prompt ends at %" G_GUINT64_FORMAT ", callee at %" G_GINT64_FORMAT,
                  end1, first);
  /* Live: frames line up within a few frames of scheduling jitter. */
  g_assert_cmpint (first, >=, (gint64) end1 + HANGOVER_FRAMES - 5);
  g_assert_cmpint (first, <=, (gint64) end1 + 120);
  /* Roughly real time: 1 s of audio takes about 1 s. */
  g_assert_cmpint (run->wall_us / 1000, >=, (gint64) run->bot_samples / 8 - 100);
  finish (line, call);
}

static void
test_talks_over (void)
{
  TbLine *line = make_line (TRUE);
  TbCall *call = dial_answered (line, "talks_over");
  g_autoptr(TbEndpointRun) run = tb_endpoint_run (call, prompt1, NULL, 0, 8000);
  g_autoptr(GByteArray) bot = g_bytes_unref_to_array (g_bytes_ref (prompt1));
  gint64 bot_start = tb_pcm_first_voiced (bot, 0, RMS);
  gint64 first = tb_pcm_first_voiced (run->callee, 0, RMS);

  /* Speaks while the bot is still talking. */
  g_assert_cmpint (first, >, bot_start);
  g_assert_cmpint (first, <, (gint64) prompt_end_frame (prompt1));
  finish (line, call);
}

static void
test_hangs_up (void)
{
  TbLine *line = make_line (TRUE);
  TbCall *call = dial_answered (line, "hangs_up");
  g_autoptr(TbEndpointRun) run = tb_endpoint_run (call, prompt1, NULL, 0, 8000);

  /* Gone mid-prompt: ended by the callee, its audio stops before the prompt ends. */
  g_assert_cmpint (tb_call_get_state (call), ==, TB_CALL_STATE_ENDED);
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_COMPLETED);
  g_assert_cmpstr (tb_call_get_end_message (call), ==, "the callee hung up");
  g_assert_cmpuint (run->callee->len / 320, <, prompt_end_frame (prompt1));
  g_assert_cmpuint (tb_pcm_count_voiced (run->callee, RMS), ==, 0);
  finish (line, call);
}

static void
test_polite_no (void)
{
  TbLine *line = make_line (TRUE);
  TbCall *call = dial_answered (line, "polite_no");
  g_autoptr(TbEndpointRun) run = tb_endpoint_run (call, prompt1, prompt2, 3000, 20000);
  guint64 start2 = frames (prompt1) + 150;

  /* Says no after the first prompt, hangs up once the goodbye prompt is over. */
  g_assert_cmpint (tb_pcm_first_voiced (run->callee, 0, RMS), >,
                   (gint64) prompt_end_frame (prompt1));
  g_assert_cmpint (tb_call_get_state (call), ==, TB_CALL_STATE_ENDED);
  g_assert_cmpstr (tb_call_get_end_message (call), ==, "the callee hung up");
  g_assert_cmpuint (run->callee->len / 320, >=, start2 + prompt_end_frame (prompt2));
  g_assert_cmpint (tb_pcm_first_voiced (run->callee, start2, RMS), ==, -1);
  finish (line, call);
}

static void
test_voicemail (void)
{
  TbLine *line = make_line (TRUE);
  TbCall *call = dial_answered (line, "voicemail");
  g_autoptr(TbEndpointRun) run = tb_endpoint_run (call, NULL, NULL, 0, 6000);

  /* The greeting plays at once, without the bot saying anything. */
  g_assert_cmpint (tb_pcm_first_voiced (run->callee, 0, RMS), >=, 0);
  g_assert_cmpint (tb_pcm_first_voiced (run->callee, 0, RMS), <, 25);
  g_assert_cmpuint (tb_pcm_count_voiced (run->callee, RMS), >, 100);
  finish (line, call);
}

static void
test_silent (void)
{
  TbLine *line = make_line (TRUE);
  TbCall *call = dial_answered (line, "silent");
  g_autoptr(TbEndpointRun) run = tb_endpoint_run (call, prompt1, prompt2, 2000, 12000);

  g_assert_cmpuint (run->callee->len, ==, run->bot_samples * 2);
  g_assert_cmpuint (tb_pcm_count_voiced (run->callee, RMS), ==, 0);
  g_assert_cmpint (tb_call_get_state (call), ==, TB_CALL_STATE_ANSWERED);
  finish (line, call);
}

static void
test_keypress (void)
{
  TbLine *line = make_line (TRUE);
  TbCall *call = dial_answered (line, "keypress");
  g_autoptr(TbStateLog) log = tb_state_log_new (call);
  g_autoptr(TbEndpointRun) run = tb_endpoint_run (call, prompt1, NULL, 0, 10000);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  /* A key, not a voice, after the prompt. */
  g_assert_cmpstr (log->dtmf->str, ==, "1");
  g_assert_cmpuint (tb_pcm_count_voiced (run->callee, RMS), ==, 0);
  g_assert_true (tb_call_send_dtmf (call, "42#", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tb_sim_call_get_dtmf_heard (TB_SIM_CALL (call)), ==, "42#");
  g_assert_false (tb_call_send_dtmf (call, "x", &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID);
  g_clear_pointer (&log, tb_state_log_free);
  finish (line, call);
}

static void
test_busy_and_no_answer (void)
{
  TbLine *line = make_line (FALSE);
  const char *personas[] = { "busy", "no_answer" };
  TbCallEndReason want[] = { TB_CALL_END_REASON_BUSY, TB_CALL_END_REASON_NO_ANSWER };

  for (guint i = 0; i < 2; i++) {
    g_autoptr(TbDialRequest) request = tb_dial_request_new ("+15550999");
    g_autoptr(GError) error = NULL;
    g_autoptr(TbStateLog) log = NULL;
    TbCall *call;

    request->persona = g_strdup (personas[i]);
    request->ring_timeout_ms = 1500;
    call = tb_line_dial (line, request, &error);
    g_assert_no_error (error);
    log = tb_state_log_new (call);
    g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ENDED, 5000));
    tb_state_log_assert_legal (log);
    g_assert_cmpint (tb_call_get_end_reason (call), ==, want[i]);
    if (want[i] == TB_CALL_END_REASON_NO_ANSWER)
      g_assert_cmpint ((log->ended_us - log->started_us) / 1000, >=, 1500);
    g_clear_pointer (&log, tb_state_log_free);
    g_assert_finalize_object (call);
  }
  g_assert_finalize_object (line);
}

/* Without a persona field the mix decides, the same way every run for a seed. */
static void
test_mix_deterministic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbSimLine) a = tb_sim_line_new ("a", TRUE, 42, NULL, &error);
  g_autoptr(TbSimLine) b = tb_sim_line_new ("b", TRUE, 42, NULL, &error);
  g_autoptr(TbSimLine) c = tb_sim_line_new ("c", TRUE, 43, NULL, &error);
  g_autoptr(TbSimLine) only = tb_sim_line_new ("o", TRUE, 1, "busy:1,polite_no:0", &error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint differ = 0;

  g_assert_no_error (error);
  for (int i = 0; i < 200; i++) {
    g_autofree char *number = g_strdup_printf ("+1555%07d", i);
    const char *pa = tb_sim_line_pick_persona (a, number);

    g_assert_cmpstr (pa, ==, tb_sim_line_pick_persona (b, number));
    differ += !g_str_equal (pa, tb_sim_line_pick_persona (c, number));
    g_hash_table_add (seen, (gpointer) pa);
    g_assert_cmpstr (tb_sim_line_pick_persona (only, number), ==, "busy");
  }
  g_assert_cmpuint (g_hash_table_size (seen), >=, 8);
  g_assert_cmpuint (differ, >, 50);
  g_assert_null (tb_sim_line_new ("bad", TRUE, 1, "nobody:3", &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID);
}

/* A business's own personas: from the config, as the mix (by weight) or named by a contact;
 * a "says:" field speaks for itself; bad definitions are refused with the reason. */
static void
test_custom_personas (void)
{
  static const char *config =
    "{\"fast\": true, \"personas\": [{\"name\": \"remove_me\", \"says\": "
    "[\"take me off your list\"], \"weight\": 3}, {\"name\": \"keen\", \"says\": "
    "[\"sure, go on|yeah why not\", \"sounds good\"], \"weight\": 0}]}";
  static const char *bad[] = {
    "{\"personas\": {\"name\": \"x\"}}",
    "{\"personas\": [{\"name\": \"x\"}]}",
    "{\"personas\": [{\"name\": \"x\", \"says\": []}]}",
    "{\"personas\": [{\"name\": \"x\", \"says\": [\" \"]}]}",
    "{\"personas\": [{\"name\": \"x\", \"says\": [3]}]}",
    "{\"personas\": [{\"name\": \"busy\", \"says\": [\"hi\"]}]}",
    "{\"personas\": [{\"name\": \"a b\", \"says\": [\"hi\"]}]}",
    "{\"personas\": [{\"name\": \"x\", \"says\": [\"hi\"], \"weight\": -1}]}",
    "{\"personas\": [{\"name\": \"x\", \"says\": [\"hi\"]}], \"mix\": \"y:1\"}",
    NULL };
  /* Mistakes a person writing the file makes, each refused with its reason. */
  static const struct { const char *config, *reason; } refused[] = {
    { "{\"personas\": []}", "at least one persona" },
    { "{\"personas\": [{\"name\": \"x\", \"says\": [\"hi\"], \"weight\": \"3\"}]}",
      "personas[0]: \"weight\" must be a whole number" },
    { "{\"personas\": [{\"name\": \"x\", \"says\": [\"hi\"], \"weight\": 2.5}]}",
      "\"weight\" must be a whole number" },
    { "{\"personas\": [{\"says\": [\"hi\"]}]}", "personas[0]: \"name\" must be a string" },
    { "{\"personas\": [{\"name\": \"x\", \"says\": [\"hi\"]}, {\"name\": \"x\", "
      "\"says\": [\"no\"]}]}", "personas[1]: the name is given twice" },
    { "{\"personas\": [{\"name\": \"x\", \"says\": \"hi\"}]}",
      "\"says\" must be a list" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbSimLine) line = tb_sim_line_new_from_config ("own", config, 0, &error);
  const TbSimPersona *says;
  g_auto(GStrv) wordings = NULL;

  g_assert_no_error (error);
  /* Weight 0: never picked by the mix; the other one always. */
  for (int i = 0; i < 50; i++) {
    g_autofree char *number = g_strdup_printf ("+1555%07d", i);

    g_assert_cmpstr (tb_sim_line_pick_persona (line, number), ==, "remove_me");
  }
  says = tb_sim_persona_lookup ("says:I want off your list;no|nope");
  g_assert_nonnull (says);
  g_assert_cmpstr (says->turns[0], ==, "I want off your list");
  g_assert_cmpstr (says->turns[1], ==, "no|nope");
  g_assert_true (says->hang_up_when_done);
  g_assert_true (says == tb_sim_persona_lookup ("says:I want off your list;no|nope"));
  wordings = tb_sim_persona_pick_wordings (says->turns, "+15550000001");
  g_assert_true (g_str_equal (wordings[1], "no") || g_str_equal (wordings[1], "nope"));
  g_assert_null (tb_sim_persona_lookup ("says:"));
  for (guint i = 0; bad[i] != NULL; i++) {
    g_autoptr(GError) e = NULL;

    g_assert_null (tb_sim_line_new_from_config ("bad", bad[i], 0, &e));
    g_assert_error (e, TB_LINE_ERROR, TB_LINE_ERROR_INVALID);
  }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++) {
    g_autoptr(GError) e = NULL;

    g_assert_null (tb_sim_line_new_from_config ("bad", refused[i].config, 0, &e));
    g_assert_error (e, TB_LINE_ERROR, TB_LINE_ERROR_INVALID);
    if (strstr (e->message, refused[i].reason) == NULL)
      g_error ("%s: “%s” does not say “%s”", refused[i].config, e->message, refused[i].reason);
  }
}

/* A contact's persona field names a line's own persona; the call says its words. */
static void
test_custom_persona_call (void)
{
  static const char *config =
    "{\"fast\": true, \"personas\": [{\"name\": \"remove_me\", \"says\": "
    "[\"take me off your list\"]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TbSimLine) line = tb_sim_line_new_from_config ("own", config, 0, &error);
  TbDialRequest request = { .number = (char *) "+15550000002", .persona = (char *) "remove_me" };
  g_autoptr(TbCall) call = NULL;

  g_assert_no_error (error);
  tb_line_start (TB_LINE (line));
  call = tb_line_dial (TB_LINE (line), &request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tb_sim_call_get_persona (TB_SIM_CALL (call))->name, ==, "remove_me");
  g_assert_cmpstr (tb_sim_call_get_persona (TB_SIM_CALL (call))->turns[0], ==,
                   "take me off your list");
  tb_call_hang_up (call);
  request.persona = (char *) "nobody";
  g_clear_object (&call);
  g_assert_null (tb_line_dial (TB_LINE (line), &request, &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gst_init (&argc, &argv);

  prompt1 = tb_espeak_render ("en-us", "Hello, this is Acme Energy calling about your electricity "
                              "bill. Would you like to hear how to save money?", 0, &error);
  g_assert_no_error (error);
  prompt2 = tb_espeak_render ("en-us", "Great. Can I send you our offer by email?", 0, &error);
  g_assert_no_error (error);

  g_test_add_func ("/telebot/sim-line/interested/fast", test_interested_fast);
  g_test_add_func ("/telebot/sim-line/interested/realtime", test_interested_realtime);
  g_test_add_func ("/telebot/sim-line/talks-over", test_talks_over);
  g_test_add_func ("/telebot/sim-line/hangs-up", test_hangs_up);
  g_test_add_func ("/telebot/sim-line/polite-no", test_polite_no);
  g_test_add_func ("/telebot/sim-line/voicemail", test_voicemail);
  g_test_add_func ("/telebot/sim-line/silent", test_silent);
  g_test_add_func ("/telebot/sim-line/keypress", test_keypress);
  g_test_add_func ("/telebot/sim-line/busy-and-no-answer", test_busy_and_no_answer);
  g_test_add_func ("/telebot/sim-line/mix-deterministic", test_mix_deterministic);
  g_test_add_func ("/telebot/sim-line/custom-personas", test_custom_personas);
  g_test_add_func ("/telebot/sim-line/custom-persona-call", test_custom_persona_call);
  status = g_test_run ();
  g_bytes_unref (prompt1);
  g_bytes_unref (prompt2);
  return status;
}
