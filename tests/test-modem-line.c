/* test-modem-line.c — the modem through the TbLine / TbCall contract, against tb-modem-sim
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Registered at merge, when app/lines/ has TbLine/TbCall and tb-modem-line.c is built:
 *   ['test-modem-line', 'modem', ['tb-modem-test-util.c'], 120],
 */
#include "config.h"

#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tb-call.h"
#include "tb-line.h"
#include "tb-modem-line.h"
#include "tb-modem-test-util.h"

static char *
config_for (Sim      *sim,
            gboolean  with_audio)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, sim->at);
  if (with_audio) {
    json_builder_set_member_name (b, "audio");
    json_builder_add_string_value (b, sim->pcm);
  }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
on_line_state (TbLine     *line,
               GParamSpec *pspec,
               char      **error_seen)
{
  if (tb_line_get_state (line) == TB_LINE_STATE_ERROR) {
    g_free (*error_seen);
    *error_seen = tb_line_dup_last_error (line);
  }
}

static void
test_line_calls (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *error_seen = NULL;
  TbModemLine *modem_line;
  TbLine *line;
  TbCall *call;
  TbCall *second;
  Sim sim;

  sim_start (&sim, data, NULL, "--callee=100:answer:1", "--callee=200:busy:0.5", NULL);
  config = config_for (&sim, TRUE);
  modem_line = tb_modem_line_new_from_config ("gsm1", config, 4, &error);
  g_assert_no_error (error);
  line = TB_LINE (modem_line);
  g_signal_connect (line, "notify::state", G_CALLBACK (on_line_state), &error_seen);

  g_assert_cmpstr (tb_line_get_kind (line), ==, "modem");
  g_assert_cmpstr (tb_line_get_name (line), ==, "gsm1");
  g_assert_cmpint (tb_line_get_max_calls (line), ==, 1);  /* one voice call per modem */
  g_assert_cmpint (tb_line_get_state (line), ==, TB_LINE_STATE_OFFLINE);
  tb_line_start (line);
  g_assert_true (tb_line_wait_ready (line, 15000, &error));
  g_assert_no_error (error);

  /* A call: RINGING, ANSWERED with the PCM bins, DTMF, our hang-up. */
  call = tb_line_dial_number (line, "100", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tb_line_get_n_calls (line), ==, 1);
  second = tb_line_dial_number (line, "101", &error);
  g_assert_null (second);
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_BUSY);
  g_clear_error (&error);
  WAIT_FOR (tb_call_get_state (call) >= TB_CALL_STATE_ANSWERED, 10000);
  g_assert_cmpint (tb_call_get_state (call), ==, TB_CALL_STATE_ANSWERED);
  g_assert_true (tb_call_is_realtime (call));
  {
    g_autoptr(GstPad) src = gst_element_get_static_pad (tb_call_get_audio_source (call), "src");
    g_autoptr(GstPad) sink = gst_element_get_static_pad (tb_call_get_audio_sink (call), "sink");

    g_assert_nonnull (src);
    g_assert_nonnull (sink);
  }
  g_assert_true (tb_call_send_dtmf (call, "5", &error));
  g_assert_no_error (error);
  WAIT_FOR (sim_has_event (&sim, "DTMF 5"), 5000);
  g_assert_false (tb_call_send_dtmf (call, "5x", &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID);
  g_clear_error (&error);
  spin_ms (1000);
  tb_call_hang_up (call);
  WAIT_FOR (tb_call_get_state (call) == TB_CALL_STATE_ENDED, 5000);
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_COMPLETED);
  g_assert_cmpint (tb_call_get_duration_ms (call), >=, 900);
  g_assert_cmpuint (tb_line_get_n_calls (line), ==, 0);
  g_assert_finalize_object (call);

  /* Busy. */
  call = tb_line_dial_number (line, "200", &error);
  g_assert_no_error (error);
  WAIT_FOR (tb_call_get_state (call) == TB_CALL_STATE_ENDED, 10000);
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_BUSY);
  g_assert_finalize_object (call);

  /* The port vanishes mid-call: failed, line ERROR with a message, then READY again. */
  call = tb_line_dial_number (line, "100", &error);
  g_assert_no_error (error);
  WAIT_FOR (tb_call_get_state (call) == TB_CALL_STATE_ANSWERED, 10000);
  sim_control (&sim, "vanish 1.5");
  WAIT_FOR (tb_call_get_state (call) == TB_CALL_STATE_ENDED, 10000);
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_FAILED);
  g_assert_nonnull (tb_call_get_end_message (call));
  g_assert_finalize_object (call);
  g_assert_nonnull (error_seen);
  g_assert_nonnull (strstr (error_seen, sim.at));
  /* (tb_line_wait_ready stops at ERROR; the modem recovers through ERROR → REGISTERING.) */
  WAIT_FOR (tb_line_get_state (line) == TB_LINE_STATE_READY, 20000);
  g_assert_null (tb_line_dup_last_error (line));

  tb_line_stop (line);
  g_assert_cmpint (tb_line_get_state (line), ==, TB_LINE_STATE_OFFLINE);
  g_signal_handlers_disconnect_by_data (line, &error_seen);
  spin_ms (50);
  g_assert_finalize_object (modem_line);
  sim_stop (&sim);
}

static void
test_line_no_voice (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *message = NULL;
  TbModemLine *modem_line;
  TbLine *line;
  Sim sim;

  sim_start (&sim, "simcom", NULL, NULL);
  config = config_for (&sim, FALSE);
  modem_line = tb_modem_line_new_from_config ("gsm2", config, 1, &error);
  g_assert_no_error (error);
  line = TB_LINE (modem_line);
  tb_line_start (line);
  g_assert_false (tb_line_wait_ready (line, 15000, &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_READY);
  g_clear_error (&error);
  g_assert_cmpint (tb_line_get_state (line), ==, TB_LINE_STATE_ERROR);
  message = tb_line_dup_last_error (line);
  g_assert_nonnull (strstr (message, "cannot carry voice"));
  g_assert_null (tb_line_dial_number (line, "100", &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_READY);
  g_assert_false (sim_has_event (&sim, "DIAL 100"));

  tb_line_stop (line);
  spin_ms (50);
  g_assert_finalize_object (modem_line);
  sim_stop (&sim);

  /* Bad configuration is refused with the line's name. */
  g_clear_error (&error);
  g_assert_null (tb_modem_line_new_from_config ("gsm3", "{\"audio\":\"/dev/x\"}", 1, &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "gsm3"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_data_func ("/telebot/modem/line/huawei/calls", "huawei", test_line_calls);
  g_test_add_data_func ("/telebot/modem/line/simcom/calls", "simcom", test_line_calls);
  g_test_add_func ("/telebot/modem/line/no-voice", test_line_no_voice);
  return g_test_run ();
}
