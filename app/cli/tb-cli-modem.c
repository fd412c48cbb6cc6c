/* tb-cli-modem.c — telebot-cli modem probe | test-call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Talks to a USB voice modem (or tests/tb-modem-sim) without a database: probe prints what
 * the modem says about itself, test-call makes one call, optionally playing a WAV into it,
 * recording the callee and sending DTMF.
 */
#define G_LOG_DOMAIN "tb-cli-modem"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

#include "tb-cli.h"
#include "tb-dial-gate.h"
#include "tb-modem-device.h"

typedef struct {
  GMainLoop     *loop;
  TbModemDevice *device;
  TbModemCall   *call;
  GstElement    *pipeline;
  GError        *error;
  gboolean       opened;
  char          *play;
  char          *record;
  char          *dtmf;
  double         hangup_after;
  guint          hangup_id;
  gboolean       recording;
} Run;

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->opened = tb_modem_device_open_finish (TB_MODEM_DEVICE (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static TbModemDevice *
open_device (Run        *run,
             const char *device,
             const char *audio,
             const char *vendor_name,
             GError    **error)
{
  TbModemVendor vendor = TB_MODEM_VENDOR_UNKNOWN;

  if (vendor_name != NULL && !tb_modem_vendor_from_string (vendor_name, &vendor)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--vendor %s: want huawei or simcom", vendor_name);
    return NULL;
  }
  run->loop = g_main_loop_new (NULL, FALSE);
  run->device = tb_modem_device_new (device, audio, vendor);
  g_printerr ("%s: probing %s…\n", "telebot-cli modem", device);
  tb_modem_device_open_async (run->device, NULL, open_cb, run);
  g_main_loop_run (run->loop);
  return run->device;
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
run_clear (Run *run)
{
  if (run->device != NULL) {
    tb_modem_device_close (run->device);
    g_clear_object (&run->device);
  }
  g_clear_handle_id (&run->hangup_id, g_source_remove);
  g_clear_object (&run->call);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_error (&run->error);
}

static int
modem_probe (TbCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *device = NULL;
  g_autofree char *audio = NULL;
  g_autofree char *vendor = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  int dbm;
  GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_FILENAME, &device, N_("The modem's AT port"), "PATH" },
    { "audio", 0, 0, G_OPTION_ARG_FILENAME, &audio, N_("The modem's PCM voice port"), "PATH" },
    { "vendor", 0, 0, G_OPTION_ARG_STRING, &vendor, N_("huawei or simcom (default: detect)"),
      "NAME" },
    { NULL }
  };

  if (!tb_cli_parse (cli, entries, NULL, _("Show what a modem says about itself"), &argc, &argv))
    return 2;
  if (device == NULL)
    return tb_cli_fail_usage ("modem probe: --device PATH is required");
  if (open_device (&run, device, audio, vendor, &error) == NULL)
    return tb_cli_fail_usage ("modem probe: %s", error->message);

  /* A modem that answered but cannot be used (no SIM, no voice) is still a probe result. */
  if (!run.opened && tb_modem_device_get_manufacturer (run.device) == NULL &&
      tb_modem_device_get_sim_state (run.device) == NULL) {
    int status = tb_cli_fail (run.error);

    run_clear (&run);
    return status;
  }
  json_builder_begin_object (b);
  add_string (b, "device", device);
  add_string (b, "vendor", tb_modem_vendor_to_string (tb_modem_device_get_vendor (run.device)));
  add_string (b, "manufacturer", tb_modem_device_get_manufacturer (run.device));
  add_string (b, "model", tb_modem_device_get_model (run.device));
  add_string (b, "sim", tb_modem_device_get_sim_state (run.device));
  add_string (b, "operator", tb_modem_device_get_operator_name (run.device));
  json_builder_set_member_name (b, "signal_dbm");
  dbm = tb_modem_device_get_signal_dbm (run.device);
  if (dbm == G_MININT)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, dbm);
  json_builder_set_member_name (b, "voice");
  json_builder_add_boolean_value (b, tb_modem_device_get_voice_capable (run.device));
  add_string (b, "state", tb_modem_state_to_string (tb_modem_device_get_state (run.device)));
  add_string (b, "error", tb_modem_device_get_last_error (run.device));
  json_builder_end_object (b);
  tb_cli_print_object (b);
  run_clear (&run);
  return 0;
}

static gboolean
on_hangup_timer (gpointer user_data)
{
  Run *run = user_data;

  run->hangup_id = 0;
  g_printerr ("telebot-cli modem: hanging up after %.1f s\n", run->hangup_after);
  tb_call_hang_up (TB_CALL (run->call));
  return G_SOURCE_REMOVE;
}

static void
dtmf_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tb_modem_call_send_dtmf_finish (TB_MODEM_CALL (source), result, &error))
    g_printerr ("telebot-cli modem: %s\n", error->message);
  else
    g_printerr ("telebot-cli modem: DTMF sent\n");
}

static gboolean
start_media (Run     *run,
             GError **error)
{
  g_autofree char *desc = NULL;
  g_autofree char *play = NULL;
  g_autofree char *record = NULL;
  g_autoptr(GstElement) out_tail = NULL;
  g_autoptr(GstElement) in_head = NULL;
  GstElement *src = tb_call_get_audio_source (TB_CALL (run->call));
  GstElement *sink = tb_call_get_audio_sink (TB_CALL (run->call));

  if (run->play != NULL) {
    g_autofree char *quoted = g_strescape (run->play, NULL);
    /* The file, then silence: the sink wants a continuous stream (the audio contract,
     * app/lines/README.md). */
    play = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! audioconvert ! "
                            "audioresample ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! "
                            "mix.  audiotestsrc wave=silence is-live=true ! "
                            "audio/x-raw,format=S16LE,rate=8000,channels=1 ! mix.  "
                            "audiomixer name=mix ! audio/x-raw,format=S16LE,rate=8000,"
                            "channels=1 ! identity name=out_tail", quoted);
  } else {
    play = g_strdup ("audiotestsrc wave=silence is-live=true ! "
                     "audio/x-raw,format=S16LE,rate=8000,channels=1 ! identity name=out_tail");
  }
  if (run->record != NULL) {
    g_autofree char *quoted = g_strescape (run->record, NULL);

    record = g_strdup_printf ("identity name=in_head ! wavenc ! filesink location=\"%s\"",
                              quoted);
    run->recording = TRUE;
  } else {
    record = g_strdup ("identity name=in_head ! fakesink sync=false");
  }
  desc = g_strdup_printf ("%s  %s", play, record);
  run->pipeline = gst_parse_launch (desc, error);
  if (run->pipeline == NULL)
    return FALSE;
  gst_bin_add_many (GST_BIN (run->pipeline), src, sink, NULL);
  out_tail = gst_bin_get_by_name (GST_BIN (run->pipeline), "out_tail");
  in_head = gst_bin_get_by_name (GST_BIN (run->pipeline), "in_head");
  if (!gst_element_link (out_tail, sink) || !gst_element_link (src, in_head)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot link the call's audio bins");
    return FALSE;
  }
  if (gst_element_set_state (run->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the audio pipeline does not start%s%s",
                 run->play ? " (is --play a readable audio file?) " : "",
                 run->play ? run->play : "");
    return FALSE;
  }
  return TRUE;
}

static void
stop_media (Run *run)
{
  if (run->pipeline == NULL)
    return;
  /* Let wavenc write its header: EOS through every branch, then stop. */
  gst_element_send_event (run->pipeline, gst_event_new_eos ());
  {
    g_autoptr(GstBus) bus = gst_element_get_bus (run->pipeline);
    g_autoptr(GstMessage) msg =
      gst_bus_timed_pop_filtered (bus, 3 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  }
  gst_element_set_state (run->pipeline, GST_STATE_NULL);
  g_clear_object (&run->pipeline);
}

static void
on_call_state (TbModemCall *call,
               GParamSpec  *pspec,
               Run         *run)
{
  TbCallState state = tb_call_get_state (TB_CALL (call));

  g_printerr ("telebot-cli modem: %s\n", tb_call_state_to_string (state));
  if (state == TB_CALL_STATE_ANSWERED) {
    g_autoptr(GError) error = NULL;

    if (!start_media (run, &error)) {
      g_printerr ("telebot-cli modem: audio: %s\n", error->message);
      tb_call_hang_up (TB_CALL (call));
      return;
    }
    if (run->dtmf != NULL)
      tb_modem_call_send_dtmf_async (call, run->dtmf, NULL, dtmf_cb, run);
    if (run->hangup_after > 0)
      run->hangup_id = g_timeout_add ((guint) (run->hangup_after * 1000), on_hangup_timer, run);
  } else if (state == TB_CALL_STATE_ENDED) {
    g_main_loop_quit (run->loop);
  }
}

static gboolean
on_overall_timeout (gpointer user_data)
{
  Run *run = user_data;

  g_printerr ("telebot-cli modem: --timeout reached, hanging up\n");
  tb_call_hang_up (TB_CALL (run->call));
  return G_SOURCE_REMOVE;
}

static int
modem_test_call (TbCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autofree char *device = NULL;
  g_autofree char *audio = NULL;
  g_autofree char *vendor = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL, *number = NULL;
  g_autoptr(TbDialGate) gate = NULL;
  double timeout = 120;
  guint timeout_id;
  TbStore *store;
  Run run = { 0 };
  GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_FILENAME, &device, N_("The modem's AT port"), "PATH" },
    { "audio", 0, 0, G_OPTION_ARG_FILENAME, &audio, N_("The modem's PCM voice port"), "PATH" },
    { "vendor", 0, 0, G_OPTION_ARG_STRING, &vendor, N_("huawei or simcom (default: detect)"),
      "NAME" },
    { "play", 0, 0, G_OPTION_ARG_FILENAME, &run.play, N_("Play this audio file into the call"),
      "FILE" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &run.record, N_("Record the callee to this WAV"),
      "FILE" },
    { "hangup-after", 0, 0, G_OPTION_ARG_DOUBLE, &run.hangup_after,
      N_("Hang up this many seconds after the answer"), "S" },
    { "dtmf", 0, 0, G_OPTION_ARG_STRING, &run.dtmf, N_("Send these DTMF digits after the answer"),
      "DIGITS" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout, N_("Give up after this many seconds"),
      "S" },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("The region of a number written without its country code"), "CC" },
    { NULL }
  };

  if (!tb_cli_parse (cli, entries, "NUMBER", _("Make one test call through a modem"),
                     &argc, &argv))
    return 2;
  if (argc != 2 || device == NULL)
    return tb_cli_fail_usage ("modem test-call: want NUMBER --device PATH --audio PATH");
  /* A test call skips the calling rules: only the business's test numbers, audited. */
  number = tb_cli_test_number (argv[1], region);
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  gate = tb_dial_gate_new (store);
  if (!tb_dial_gate_allow_test_call (gate, number, g_get_real_time (), &error))
    return tb_cli_fail (error);
  gst_init (NULL, NULL);
  if (open_device (&run, device, audio, vendor, &error) == NULL)
    return tb_cli_fail_usage ("modem test-call: %s", error->message);
  if (!run.opened) {
    int status = tb_cli_fail (run.error);

    run_clear (&run);
    return status;
  }
  run.call = tb_modem_device_dial (run.device, number, &error);
  if (run.call == NULL) {
    run_clear (&run);
    return tb_cli_fail (error);
  }
  g_printerr ("telebot-cli modem: dialing %s\n", number);
  g_signal_connect (run.call, "notify::state", G_CALLBACK (on_call_state), &run);
  timeout_id = g_timeout_add ((guint) (timeout * 1000), on_overall_timeout, &run);
  g_main_loop_run (run.loop);
  g_source_remove (timeout_id);
  g_signal_handlers_disconnect_by_data (run.call, &run);
  stop_media (&run);

  json_builder_begin_object (b);
  add_string (b, "number", number);
  add_string (b, "end_reason",
              tb_call_end_reason_to_string (tb_call_get_end_reason (TB_CALL (run.call))));
  json_builder_set_member_name (b, "protocol_code");
  json_builder_add_int_value (b, tb_call_get_protocol_code (TB_CALL (run.call)));
  add_string (b, "message", tb_call_get_end_message (TB_CALL (run.call)));
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_int_value (b, tb_call_get_duration_ms (TB_CALL (run.call)));
  add_string (b, "recording", run.recording ? run.record : NULL);
  json_builder_set_member_name (b, "audio_bytes_in");
  json_builder_add_int_value (b, tb_modem_call_get_audio_bytes_in (run.call));
  json_builder_set_member_name (b, "audio_bytes_out");
  json_builder_add_int_value (b, tb_modem_call_get_audio_bytes_out (run.call));
  json_builder_end_object (b);
  tb_cli_print_object (b);
  g_free (run.play);
  g_free (run.record);
  g_free (run.dtmf);
  run_clear (&run);
  return 0;
}

int
tb_cli_modem (TbCli  *cli,
              int     argc,
              char  **argv)
{
  static const TbCliSubcommand subcommands[] = {
    { "probe", modem_probe },
    { "test-call", modem_test_call },
  };

  return tb_cli_dispatch (cli, argc, argv, "modem", subcommands, G_N_ELEMENTS (subcommands),
                          _("Usage: telebot-cli modem probe --device PATH [--audio PATH] "
                            "[--vendor huawei|simcom]\n"
                            "       telebot-cli modem test-call NUMBER --device PATH --audio PATH "
                            "[--play FILE] [--record FILE.wav] [--hangup-after S] "
                            "[--dtmf DIGITS]\n"));
}
