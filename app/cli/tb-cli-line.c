/* tb-cli-line.c — telebot-cli line: add, list, remove, test-numbers, test-call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-call is a media-less check of a line: it dials, plays a WAV into the call, records
 * the callee, and reports how the call ended. Its pipeline is deliberately tiny (the real
 * media session lives in app/media/); it only joins the call's endpoint bins with a player
 * and a wavenc/filesink recorder. A test call skips the calling rules, so it may only ring
 * the business's own numbers: those on the test-number list (test-numbers add|remove|list).
 */
#define G_LOG_DOMAIN "tb-cli-line"

#include "config.h"

#include "tb-cli.h"
#include "tb-dial-gate.h"
#include "tb-line.h"
#include "tb-lines.h"
#include "tb-sim-call.h"
#include "tb-store-config.h"
#include "tb-store-lines.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

#include <string.h>

#define FRAME_BYTES 320

static JsonNode *
parse_config (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL) &&
      json_parser_get_root (parser) != NULL)
    return json_node_copy (json_parser_get_root (parser));
  return json_node_init_object (json_node_alloc (), json_object_new ());
}

static int
line_add (TbCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *domain = NULL, *user = NULL, *password_env = NULL, *registrar = NULL;
  g_autofree char *proxy = NULL, *transport = NULL, *mix = NULL;
  g_auto(GStrv) caller_ids = NULL;
  int per_hour = 0, per_day = 0, cooldown_after = 0, cooldown_minutes = 0;
  g_autofree char *device = NULL, *audio = NULL, *vendor = NULL, *password_file = NULL;
  g_autofree char *personas = NULL;
  gboolean fast = FALSE, no_register = FALSE, rehearsal = FALSE;
  gint64 seed = 0;
  int max_calls = 0;
  GOptionEntry entries[] = {
    { "domain", 0, 0, G_OPTION_ARG_STRING, &domain, N_("SIP provider HOST[:PORT]"), "HOST" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("SIP account user"), "USER" },
    { "password-env", 0, 0, G_OPTION_ARG_STRING, &password_env,
      N_("Read the SIP password from this environment variable"), "VAR" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the SIP password from this file, which only its owner may read (chmod 600)"),
      "PATH" },
    { "registrar", 0, 0, G_OPTION_ARG_STRING, &registrar, N_("REGISTER to this URI"), "URI" },
    { "outbound-proxy", 0, 0, G_OPTION_ARG_STRING, &proxy, N_("Send requests via this URI"),
      "URI" },
    { "transport", 0, 0, G_OPTION_ARG_STRING, &transport, N_("udp or tcp"), "T" },
    { "caller-id", 0, 0, G_OPTION_ARG_STRING_ARRAY, &caller_ids,
      N_("Number to present (again for each number of a range; a campaign chooses per call)"),
      "NUMBER" },
    { "calls-per-hour", 0, 0, G_OPTION_ARG_INT, &per_hour,
      N_("At most this many calls per caller number in any hour"), "N" },
    { "calls-per-day", 0, 0, G_OPTION_ARG_INT, &per_day,
      N_("At most this many calls per caller number in any 24 hours"), "N" },
    { "cooldown-after", 0, 0, G_OPTION_ARG_INT, &cooldown_after,
      N_("Rest a caller number after this many unanswered calls in a row"), "N" },
    { "cooldown-minutes", 0, 0, G_OPTION_ARG_INT, &cooldown_minutes,
      N_("How long a caller number rests (default 60)"), "MINUTES" },
    { "no-register", 0, 0, G_OPTION_ARG_NONE, &no_register,
      N_("IP-authenticated trunk: never REGISTER"), NULL },
    { "fast", 0, 0, G_OPTION_ARG_NONE, &fast, N_("Sim: run faster than real time"), NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Sim: persona seed"), "N" },
    { "rehearsal", 0, 0, G_OPTION_ARG_NONE, &rehearsal,
      N_("Sim: understand the callees from their words, not by speech recognition (any "
         "language, no speech engine)"), NULL },
    { "mix", 0, 0, G_OPTION_ARG_STRING, &mix, N_("Sim: persona mix, e.g. interested:3,busy:1"),
      "SPEC" },
    { "personas", 0, 0, G_OPTION_ARG_FILENAME, &personas,
      N_("Sim: your own personas, a JSON list of {\"name\", \"says\": [turns], \"weight\"}"),
      "FILE" },
    { "max-calls", 0, 0, G_OPTION_ARG_INT, &max_calls, N_("Concurrent calls"), "N" },
    { "device", 0, 0, G_OPTION_ARG_FILENAME, &device, N_("Modem: its AT command port"), "PATH" },
    { "audio", 0, 0, G_OPTION_ARG_FILENAME, &audio, N_("Modem: its PCM voice port"), "PATH" },
    { "vendor", 0, 0, G_OPTION_ARG_STRING, &vendor, N_("Modem: huawei or simcom"), "NAME" },
    { NULL }
  };
  g_autoptr(JsonBuilder) config = json_builder_new ();
  g_autoptr(JsonBuilder) out = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config_json = NULL;
  const char *kind, *name;
  TbStore *store;
  gint64 id;

  if (!tb_cli_parse (cli, entries, "sip|sim|modem NAME", _("Add a phone line"), &argc, &argv))
    return 2;
  if (argc != 3)
    return tb_cli_fail_usage ("line add: expected KIND NAME (kind sip, sim or modem)");
  kind = argv[1];
  name = argv[2];

  json_builder_begin_object (config);
  if (g_str_equal (kind, "sip")) {
    if (domain == NULL)
      return tb_cli_fail_usage ("line add sip %s: --domain is required", name);
    if (transport != NULL && !g_str_equal (transport, "udp") && !g_str_equal (transport, "tcp"))
      return tb_cli_fail_usage ("line add sip %s: --transport %s: use udp or tcp (TLS is not "
                                "supported yet)", name, transport);
    if (registrar != NULL && user == NULL)
      return tb_cli_fail_usage ("line add sip %s: --registrar needs --user", name);
#define ADD_STR(key, value) \
    if (value != NULL) { json_builder_set_member_name (config, key); \
                         json_builder_add_string_value (config, value); }
    ADD_STR ("domain", domain);
    ADD_STR ("user", user);
    ADD_STR ("password_env", password_env);
    if (password_file != NULL) {
      /* Kept absolute: the line reads it from wherever Telebot runs. */
      g_autofree char *absolute = g_canonicalize_filename (password_file, NULL);

      ADD_STR ("password_file", absolute);
    }
    ADD_STR ("registrar", registrar);
    ADD_STR ("outbound_proxy", proxy);
    ADD_STR ("transport", transport);
#undef ADD_STR
    if (no_register) {
      json_builder_set_member_name (config, "no_register");
      json_builder_add_boolean_value (config, TRUE);
    }
  } else if (g_str_equal (kind, "sim")) {
    json_builder_set_member_name (config, "fast");
    json_builder_add_boolean_value (config, fast);
    json_builder_set_member_name (config, "seed");
    json_builder_add_int_value (config, seed);
    if (mix != NULL) {
      json_builder_set_member_name (config, "mix");
      json_builder_add_string_value (config, mix);
    }
    if (rehearsal) {
      json_builder_set_member_name (config, "rehearsal");
      json_builder_add_boolean_value (config, TRUE);
    }
    if (personas != NULL) {
      /* Kept in the line's config, not as a path: the file may move. */
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *list;

      if (!json_parser_load_from_file (parser, personas, &error))
        return tb_cli_fail_usage ("line add %s: --personas %s: %s", name, personas,
                                  error->message);
      list = json_parser_get_root (parser);
      if (JSON_NODE_HOLDS_OBJECT (list) &&
          json_object_has_member (json_node_get_object (list), "personas"))
        list = json_object_get_member (json_node_get_object (list), "personas");
      json_builder_set_member_name (config, "personas");
      json_builder_add_value (config, json_node_copy (list));
    }

  } else if (g_str_equal (kind, "modem")) {
    if (device == NULL)
      return tb_cli_fail_usage ("line add modem %s: --device is required", name);
    json_builder_set_member_name (config, "device");
    json_builder_add_string_value (config, device);
    if (audio != NULL) {
      json_builder_set_member_name (config, "audio");
      json_builder_add_string_value (config, audio);
    }
    if (vendor != NULL) {
      json_builder_set_member_name (config, "vendor");
      json_builder_add_string_value (config, vendor);
    }

  } else {
    return tb_cli_fail_usage ("line add: kind \"%s\": use sip, sim or modem", kind);
  }
  /* The numbers it presents (a SIM's own, a trunk's DID range; a campaign's calls record the
   * one presented) and their caps. */
  for (guint i = 0; caller_ids != NULL && caller_ids[i] != NULL; i++) {
    const char *c = caller_ids[i];
    gsize n = strlen (c);

    if (c[0] != '+' || n < 5 || n > 16 || strspn (c + 1, "0123456789") != n - 1)
      return tb_cli_fail_usage ("line add %s: --caller-id %s: give the number in E.164 "
                                "(+ and 4 to 15 digits)", name, c);
  }
  if (caller_ids != NULL && caller_ids[0] != NULL) {
    json_builder_set_member_name (config, "caller_id");
    json_builder_add_string_value (config, caller_ids[0]);
  }
  if (caller_ids != NULL && g_strv_length (caller_ids) > 1) {
    json_builder_set_member_name (config, "caller_ids");
    json_builder_begin_array (config);
    for (guint i = 0; caller_ids[i] != NULL; i++)
      json_builder_add_string_value (config, caller_ids[i]);
    json_builder_end_array (config);
  }
  if (per_hour < 0 || per_day < 0 || cooldown_after < 0 || cooldown_minutes < 0)
    return tb_cli_fail_usage ("line add %s: caps and cool-downs are counts, not negative", name);
#define ADD_INT(key, value) \
  if ((value) > 0) { json_builder_set_member_name (config, key); \
                     json_builder_add_int_value (config, value); }
  ADD_INT ("calls_per_hour", per_hour);
  ADD_INT ("calls_per_day", per_day);
  ADD_INT ("cooldown_after", cooldown_after);
  ADD_INT ("cooldown_minutes", cooldown_minutes);
#undef ADD_INT
  json_builder_end_object (config);
  root = json_builder_get_root (config);
  config_json = json_to_string (root, FALSE);

  /* Sim and modem lines are built once to check their settings (a modem's vendor,
   * a sim's mix); SIP settings were checked above. Nothing is opened yet. */
  if (g_str_equal (kind, "sim") || g_str_equal (kind, "modem")) {
    g_autoptr(TbLine) line = tb_line_new_for_config (name, kind, config_json, max_calls, &error);

    if (line == NULL)
      return tb_cli_fail (error);
  }
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  if (tb_store_find_line (store, name) > 0)
    return tb_cli_fail_usage ("line add: a line named \"%s\" exists already", name);
  id = tb_store_add_line (store, name, kind, config_json,
                          tb_line_kind_get_max_calls (kind, max_calls), &error);
  if (id == 0)
    return tb_cli_fail (error);

  json_builder_begin_object (out);
  json_builder_set_member_name (out, "id");
  json_builder_add_int_value (out, id);
  json_builder_set_member_name (out, "name");
  json_builder_add_string_value (out, name);
  json_builder_set_member_name (out, "kind");
  json_builder_add_string_value (out, kind);
  json_builder_set_member_name (out, "config");
  json_builder_add_value (out, json_node_copy (root));
  json_builder_end_object (out);
  tb_cli_print_object (out);
  return 0;
}

static int
line_list (TbCli  *cli,
           int     argc,
           char  **argv)
{
  gboolean no_probe = FALSE;
  int timeout_s = 5;
  GOptionEntry entries[] = {
    { "no-probe", 0, 0, G_OPTION_ARG_NONE, &no_probe,
      N_("Do not bring lines up to report their state"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, N_("Seconds to wait for each line"), "S" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, NULL, _("List phone lines with their live state"),
                     &argc, &argv))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      (rows = tb_store_list_lines (store, &error)) == NULL)
    return tb_cli_fail (error);

  for (guint i = 0; i < rows->len; i++) {
    TbLineRow *row = g_ptr_array_index (rows, i);
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(GError) line_error = NULL;
    g_autoptr(TbLine) line = NULL;
    g_autofree char *message = NULL;
    const char *state = "unknown";

    if (!no_probe) {
      g_printerr ("telebot-cli: line %s: probing…\n", row->name);
      line = tb_line_new_for_config (row->name, row->kind, row->config, row->max_calls,
                                     &line_error);
      if (line == NULL) {
        state = "error";
        message = g_strdup (line_error->message);
      } else {
        tb_line_wait_ready (line, timeout_s * 1000, NULL);
        state = tb_line_state_to_string (tb_line_get_state (line));
        message = tb_line_dup_last_error (line);
        tb_line_stop (line);
      }
    }
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b, row->name);
    json_builder_set_member_name (b, "kind");
    json_builder_add_string_value (b, row->kind);
    json_builder_set_member_name (b, "max_calls");
    json_builder_add_int_value (b, row->max_calls);
    json_builder_set_member_name (b, "enabled");
    json_builder_add_boolean_value (b, row->enabled);
    json_builder_set_member_name (b, "config");
    json_builder_add_value (b, parse_config (row->config));
    json_builder_set_member_name (b, "state");
    json_builder_add_string_value (b, state);
    if (message != NULL) {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, message);
    }
    json_builder_end_object (b);
    tb_cli_print_object (b);
  }
  return 0;
}

static int
line_remove (TbCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TbStore *store;

  if (!tb_cli_parse (cli, NULL, "NAME", _("Remove a phone line"), &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("line remove: expected NAME");
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      !tb_store_remove_line (store, argv[1], &error))
    return tb_cli_fail (error);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "removed");
  json_builder_add_string_value (b, argv[1]);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

/* test-numbers */

static int
line_test_numbers (TbCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *region = NULL;
  GOptionEntry entries[] = {
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("The region of numbers written without their country code"), "CC" },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbDialGate) gate = NULL;
  g_auto(GStrv) numbers = NULL;
  const char *action;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, "add|remove|list [NUMBER…]",
                     _("The business's own numbers, the only ones a test call may ring"),
                     &argc, &argv))
    return 2;
  action = argc > 1 ? argv[1] : "list";
  if (!g_str_equal (action, "add") && !g_str_equal (action, "remove") &&
      !g_str_equal (action, "list"))
    return tb_cli_fail_usage ("line test-numbers: expected add, remove or list, not “%s”",
                              action);
  if (!g_str_equal (action, "list") && argc < 3)
    return tb_cli_fail_usage ("line test-numbers %s: expected NUMBER…", action);
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  gate = tb_dial_gate_new (store);
  for (int i = 2; i < argc && !g_str_equal (action, "list"); i++) {
    g_autofree char *number = tb_cli_test_number (argv[i], region);

    if (*number == '\0')
      return tb_cli_fail_usage ("line test-numbers: an empty number");
    if (!tb_dial_gate_edit_test_numbers (gate, number, g_str_equal (action, "add"),
                                         g_get_real_time (), &error))
      return tb_cli_fail (error);
  }

  numbers = tb_dial_gate_dup_test_numbers (gate);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "test_numbers");
  json_builder_begin_array (b);
  for (guint i = 0; numbers[i] != NULL; i++)
    json_builder_add_string_value (b, numbers[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

/* test-call */

typedef struct {
  TbCall     *call;
  GMainLoop  *loop;
  GstElement *pipeline;
  GstElement *bot_src;
  GstElement *call_src;     /* the call's bins, borrowed while in our pipeline */
  GstElement *call_sink;
  GByteArray *play;         /* the WAV as telephone PCM */
  gsize       play_pos;
  guint64     frames_out;   /* bot frames pushed */
  gint64      started_us;
  gboolean    realtime;
  double      hangup_after;
  char       *dtmf;
  GString    *dtmf_received;
  gboolean    recording_done;
  gint        hangup_posted;
  guint       feed_id;
  guint       hangup_id;
  guint       dtmf_id;
  guint       bus_id;
} TestCall;

static GByteArray *
load_wav (const char  *path,
          GError     **error)
{
  g_autofree char *desc = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autofree char *quoted = g_strescape (path, NULL);
  GByteArray *pcm = g_byte_array_new ();

  desc = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! audioconvert ! audioresample ! "
                          "capsfilter caps=\"%s\" ! appsink name=out sync=false",
                          quoted, TB_CALL_AUDIO_CAPS);
  pipeline = gst_parse_launch (desc, error);
  if (pipeline == NULL)
    return NULL;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (;;) {
    g_autoptr(GstSample) sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
    GstMapInfo map;

    if (sample == NULL)
      break;
    if (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ)) {
      g_byte_array_append (pcm, map.data, map.size);
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    }
  }
  {
    g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
    g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    gst_element_set_state (pipeline, GST_STATE_NULL);
    if (msg != NULL) {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (msg, &gst_error, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path,
                   gst_error->message);
      g_byte_array_unref (pcm);
      return NULL;
    }
  }
  return pcm;
}

static void
push_frame (TestCall *t)
{
  GstBuffer *buffer = gst_buffer_new_and_alloc (FRAME_BYTES);
  GstMapInfo map;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  memset (map.data, 0, FRAME_BYTES);
  if (t->play != NULL && t->play_pos < t->play->len) {
    gsize n = MIN (FRAME_BYTES, t->play->len - t->play_pos);

    memcpy (map.data, t->play->data + t->play_pos, n);
    t->play_pos += n;
  }
  gst_buffer_unmap (buffer, &map);
  if (!t->realtime) {
    GST_BUFFER_PTS (buffer) = t->frames_out * 20 * GST_MSECOND;
    GST_BUFFER_DURATION (buffer) = 20 * GST_MSECOND;
  }
  t->frames_out++;
  gst_app_src_push_buffer (GST_APP_SRC (t->bot_src), buffer);
}

static void
hang_up_now (TestCall *t)
{
  if (tb_call_get_state (t->call) != TB_CALL_STATE_ENDED)
    tb_call_hang_up (t->call);
}

/* Real time: keep the bot's audio as long as the wall clock. */
static gboolean
feed_cb (gpointer data)
{
  TestCall *t = data;
  gint64 due = (g_get_monotonic_time () - t->started_us) / 20000 + 1;

  while ((gint64) t->frames_out < due)
    push_frame (t);
  return G_SOURCE_CONTINUE;
}

static gboolean
hangup_idle_cb (gpointer data)
{
  hang_up_now (data);
  return G_SOURCE_REMOVE;
}

/* Fast (lockstep): the sim consumes as fast as we feed; the call's length is counted in
 * frames, not seconds. */
static void
on_need_data (GstAppSrc *src,
              guint      length,
              gpointer   data)
{
  TestCall *t = data;

  if (tb_call_get_state (t->call) == TB_CALL_STATE_ENDED)
    return;
  if (t->hangup_after > 0 && t->frames_out >= (guint64) (t->hangup_after * 50)) {
    if (!g_atomic_int_exchange (&t->hangup_posted, TRUE))
      g_idle_add (hangup_idle_cb, t);
    return;
  }
  for (int i = 0; i < 10; i++)
    push_frame (t);
}

static gboolean
hangup_timeout_cb (gpointer data)
{
  TestCall *t = data;

  t->hangup_id = 0;
  hang_up_now (t);
  return G_SOURCE_REMOVE;
}

static gboolean
dtmf_cb (gpointer data)
{
  TestCall *t = data;
  g_autoptr(GError) error = NULL;

  t->dtmf_id = 0;
  if (!tb_call_send_dtmf (t->call, t->dtmf, &error))
    g_printerr ("telebot-cli: line test-call: %s\n", error->message);
  return G_SOURCE_REMOVE;
}

static void
on_dtmf_received (TbCall   *call,
                  char      digit,
                  TestCall *t)
{
  g_string_append_c (t->dtmf_received, digit);
}

static gboolean
on_bus (GstBus     *bus,
        GstMessage *msg,
        gpointer    data)
{
  TestCall *t = data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
    t->recording_done = TRUE;
    g_main_loop_quit (t->loop);
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    g_autoptr(GError) error = NULL;

    gst_message_parse_error (msg, &error, NULL);
    g_printerr ("telebot-cli: line test-call: audio: %s\n", error->message);
    hang_up_now (t);
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
start_audio (TestCall    *t,
             const char  *record,
             GError     **error)
{
  g_autoptr(GstCaps) caps = gst_caps_from_string (TB_CALL_AUDIO_CAPS);
  g_autoptr(GstBus) bus = NULL;
  GstElement *src = t->call_src = tb_call_get_audio_source (t->call);
  GstElement *sink = t->call_sink = tb_call_get_audio_sink (t->call);
  GstElement *out;

  t->realtime = tb_call_is_realtime (t->call);
  t->pipeline = gst_pipeline_new ("test-call");
  t->bot_src = gst_element_factory_make ("appsrc", NULL);
  g_object_set (t->bot_src, "caps", caps, "format", GST_FORMAT_TIME, "is-live", t->realtime,
                "do-timestamp", t->realtime, NULL);
  gst_bin_add_many (GST_BIN (t->pipeline), t->bot_src, sink, src, NULL);
  if (record != NULL) {
    GstElement *enc = gst_element_factory_make ("wavenc", NULL);

    out = gst_element_factory_make ("filesink", NULL);
    g_object_set (out, "location", record, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add_many (GST_BIN (t->pipeline), enc, out, NULL);
    gst_element_link_many (src, enc, out, NULL);
  } else {
    out = gst_element_factory_make ("fakesink", NULL);
    g_object_set (out, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add (GST_BIN (t->pipeline), out);
    gst_element_link (src, out);
  }
  if (!gst_element_link (t->bot_src, sink)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot link the player to the call");
    return FALSE;
  }
  bus = gst_element_get_bus (t->pipeline);
  t->bus_id = gst_bus_add_watch (bus, on_bus, t);
  t->started_us = g_get_monotonic_time ();
  if (t->realtime)
    t->feed_id = g_timeout_add (10, feed_cb, t);
  else
    g_signal_connect (t->bot_src, "need-data", G_CALLBACK (on_need_data), t);
  gst_element_set_state (t->pipeline, GST_STATE_PLAYING);
  return TRUE;
}

static gboolean
finish_timeout_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
on_call_state (TbCall     *call,
               GParamSpec *pspec,
               TestCall   *t)
{
  TbCallState state = tb_call_get_state (call);

  g_printerr ("telebot-cli: line test-call: %s\n", tb_call_state_to_string (state));
  if (state == TB_CALL_STATE_ANSWERED && t->pipeline == NULL) {
    g_autoptr(GError) error = NULL;
    const char *record = g_object_get_data (G_OBJECT (call), "record");
    double after = t->hangup_after;

    if (!start_audio (t, record, &error)) {
      g_printerr ("telebot-cli: line test-call: %s\n", error->message);
      hang_up_now (t);
      return;
    }
    if (after <= 0)
      after = t->play ? t->play->len / 16000.0 + 1.0 : 10.0;
    if (t->realtime)
      t->hangup_id = g_timeout_add ((guint) (after * 1000), hangup_timeout_cb, t);
    else
      t->hangup_after = after;
    if (t->dtmf != NULL)
      t->dtmf_id = g_timeout_add (t->realtime ? 1000 : 50, dtmf_cb, t);
  } else if (state == TB_CALL_STATE_ENDED) {
    g_clear_handle_id (&t->feed_id, g_source_remove);
    g_clear_handle_id (&t->hangup_id, g_source_remove);
    g_clear_handle_id (&t->dtmf_id, g_source_remove);
    if (t->pipeline != NULL) {
      /* EOS through the recorder so wavenc writes its header; the bus quits the loop. */
      gst_element_send_event (t->pipeline, gst_event_new_eos ());
      g_timeout_add (3000, finish_timeout_cb, t->loop);
    } else {
      g_main_loop_quit (t->loop);
    }
  }
}

static int
line_test_call (TbCli  *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *line_name = NULL, *play = NULL, *record = NULL, *dtmf = NULL;
  g_autofree char *persona = NULL, *region = NULL, *number = NULL;
  double hangup_after = 0;
  int ring_timeout = 30;
  GOptionEntry entries[] = {
    { "line", 0, 0, G_OPTION_ARG_STRING, &line_name, N_("The line to call on"), "NAME" },
    { "play", 0, 0, G_OPTION_ARG_FILENAME, &play, N_("Play this WAV into the call"), "FILE" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record, N_("Record the callee to this WAV"),
      "FILE" },
    { "hangup-after", 0, 0, G_OPTION_ARG_DOUBLE, &hangup_after,
      N_("Hang up this long after the answer"), "SECONDS" },
    { "dtmf", 0, 0, G_OPTION_ARG_STRING, &dtmf, N_("Send these keys after the answer"),
      "DIGITS" },
    { "persona", 0, 0, G_OPTION_ARG_STRING, &persona, N_("Sim: who answers"), "NAME" },
    { "ring-timeout", 0, 0, G_OPTION_ARG_INT, &ring_timeout, N_("Give up after ringing this long"),
      "SECONDS" },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("The region of a number written without its country code"), "CC" },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbLineRow) row = NULL;
  g_autoptr(TbLine) line = NULL;
  g_autoptr(TbDialRequest) request = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(TbDialGate) gate = NULL;
  TestCall t = { 0 };
  TbStore *store;

  if (!tb_cli_parse (cli, entries, "NUMBER", _("Place a test call and record the callee"),
                     &argc, &argv))
    return 2;
  if (argc != 2 || line_name == NULL)
    return tb_cli_fail_usage ("line test-call: expected NUMBER --line NAME");
  gst_init (NULL, NULL);
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      (row = tb_store_get_line (store, line_name, &error)) == NULL)
    return tb_cli_fail (error);
  number = tb_cli_test_number (argv[1], region);
  gate = tb_dial_gate_new (store);
  if (!tb_dial_gate_allow_test_call (gate, number, g_get_real_time (), &error))
    return tb_cli_fail (error);
  if (play != NULL && (t.play = load_wav (play, &error)) == NULL)
    return tb_cli_fail (error);
  line = tb_line_new_for_config (row->name, row->kind, row->config, row->max_calls, &error);
  if (line == NULL || !tb_line_wait_ready (line, 10000, &error))
    return tb_cli_fail (error);

  request = tb_dial_request_new (number);
  request->persona = g_strdup (persona);
  request->ring_timeout_ms = ring_timeout * 1000;
  t.call = tb_line_dial (line, request, &error);
  if (t.call == NULL)
    return tb_cli_fail (error);
  loop = g_main_loop_new (NULL, FALSE);
  t.loop = loop;
  t.hangup_after = hangup_after;
  t.dtmf = dtmf;
  t.dtmf_received = g_string_new (NULL);
  g_object_set_data_full (G_OBJECT (t.call), "record", g_strdup (record), g_free);
  g_signal_connect (t.call, "notify::state", G_CALLBACK (on_call_state), &t);
  g_signal_connect (t.call, "dtmf-received", G_CALLBACK (on_dtmf_received), &t);
  g_main_loop_run (loop);

  if (t.pipeline != NULL) {
    gst_element_set_state (t.pipeline, GST_STATE_NULL);
    g_source_remove (t.bus_id);
    gst_bin_remove_many (GST_BIN (t.pipeline), t.call_src, t.call_sink, NULL);
    gst_object_unref (t.pipeline);
  }
  g_signal_handlers_disconnect_by_data (t.call, &t);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "line");
  json_builder_add_string_value (b, row->name);
  json_builder_set_member_name (b, "number");
  json_builder_add_string_value (b, number);
  if (TB_IS_SIM_CALL (t.call)) {
    json_builder_set_member_name (b, "persona");
    json_builder_add_string_value (b, tb_sim_call_get_persona (TB_SIM_CALL (t.call))->name);
  }
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, tb_call_state_to_string (tb_call_get_state (t.call)));
  json_builder_set_member_name (b, "end_reason");
  json_builder_add_string_value (b, tb_call_end_reason_to_string (tb_call_get_end_reason (t.call)));
  json_builder_set_member_name (b, "protocol_code");
  json_builder_add_int_value (b, tb_call_get_protocol_code (t.call));
  if (tb_call_get_end_message (t.call) != NULL) {
    json_builder_set_member_name (b, "end_message");
    json_builder_add_string_value (b, tb_call_get_end_message (t.call));
  }
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_int_value (b, t.realtime || t.pipeline == NULL
                                   ? tb_call_get_duration_ms (t.call)
                                   : (gint64) t.frames_out * 20);
  json_builder_set_member_name (b, "dtmf_received");
  json_builder_add_string_value (b, t.dtmf_received->str);
  json_builder_set_member_name (b, "recording");
  if (record != NULL && t.recording_done)
    json_builder_add_string_value (b, record);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  tb_cli_print_object (b);

  g_string_free (t.dtmf_received, TRUE);
  g_clear_pointer (&t.play, g_byte_array_unref);
  g_object_unref (t.call);
  tb_line_stop (line);
  return 0;
}

int
tb_cli_line (TbCli  *cli,
             int     argc,
             char  **argv)
{
  const char *sub = argc > 1 ? argv[1] : NULL;

  if (sub == NULL || g_str_equal (sub, "--help") || g_str_equal (sub, "-h")) {
    g_print ("Usage: telebot-cli line add|list|remove|test-numbers|test-call …\n");
    return sub == NULL ? 2 : 0;
  }
  if (g_str_equal (sub, "add"))
    return line_add (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "list"))
    return line_list (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "remove"))
    return line_remove (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "test-numbers"))
    return line_test_numbers (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "test-call"))
    return line_test_call (cli, argc - 1, argv + 1);
  return tb_cli_fail_usage ("line: unknown subcommand \"%s\" (add, list, remove, test-numbers, "
                            "test-call)", sub);
}
