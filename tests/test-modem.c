/* test-modem.c — the modem line: AT parser, and calls through the pty modem simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* memmem */

#include "config.h"

#include <gst/app/gstappsink.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "tb-at-parser.h"
#include "tb-modem-device.h"
#include "tb-modem-test-util.h"

#define TB_AUDIO_CAPS \
  "audio/x-raw, format=(string)S16LE, rate=(int)8000, channels=(int)1, layout=(string)interleaved"

static char *audio_dir;
static char *bot_wav;      /* what we say into calls */
static char *callee_wav;   /* what the simulated callee says */

/* Parser ------------------------------------------------------------------------------- */

typedef struct {
  GPtrArray *lines;  /* "KIND|text" */
  GPtrArray *parsed; /* copies of TbAtLine fields worth checking: "final report code args str" */
} Collected;

static const char *
kind_name (TbAtLineKind kind)
{
  switch (kind) {
  case TB_AT_LINE_INFO: return "INFO";
  case TB_AT_LINE_ECHO: return "ECHO";
  case TB_AT_LINE_FINAL: return "FINAL";
  case TB_AT_LINE_URC: return "URC";
  default: return "?";
  }
}

static void
collect_line (const TbAtLine *line,
              gpointer        user_data)
{
  Collected *c = user_data;
  GString *s = g_string_new (NULL);

  g_assert_true (g_utf8_validate (line->text, -1, NULL));
  g_ptr_array_add (c->lines, g_strdup_printf ("%s|%s", kind_name (line->kind), line->text));
  g_string_append_printf (s, "f%d r%d c%d", line->final, line->report, line->code);
  for (guint i = 0; i < line->n_args; i++)
    g_string_append_printf (s, " %d", line->args[i]);
  if (line->str != NULL)
    g_string_append_printf (s, " \"%s\"", line->str);
  g_ptr_array_add (c->parsed, g_string_free (s, FALSE));
}

static void
collected_init (Collected *c)
{
  c->lines = g_ptr_array_new_with_free_func (g_free);
  c->parsed = g_ptr_array_new_with_free_func (g_free);
}

static void
collected_clear (Collected *c)
{
  g_ptr_array_unref (c->lines);
  g_ptr_array_unref (c->parsed);
}

static void
test_parser_table (void)
{
  static const struct {
    const char *text;
    TbAtLineKind kind;
    TbAtFinal final;
    TbAtReport report;
    const char *fields;  /* "code args str" as collect_line prints them, after f/r */
  } cases[] = {
    { "OK", TB_AT_LINE_FINAL, TB_AT_FINAL_OK, 0, "c-1" },
    { "ERROR", TB_AT_LINE_FINAL, TB_AT_FINAL_ERROR, 0, "c-1" },
    { "+CME ERROR: 10", TB_AT_LINE_FINAL, TB_AT_FINAL_CME_ERROR, 0, "c10 \"10\"" },
    { "+CME ERROR: SIM not inserted", TB_AT_LINE_FINAL, TB_AT_FINAL_CME_ERROR, 0,
      "c-1 \"SIM not inserted\"" },
    { "+CMS ERROR: 500", TB_AT_LINE_FINAL, TB_AT_FINAL_CMS_ERROR, 0, "c500 \"500\"" },
    { "NO CARRIER", TB_AT_LINE_FINAL, TB_AT_FINAL_NO_CARRIER, 0, "c-1" },
    { "BUSY", TB_AT_LINE_FINAL, TB_AT_FINAL_BUSY, 0, "c-1" },
    { "NO ANSWER", TB_AT_LINE_FINAL, TB_AT_FINAL_NO_ANSWER, 0, "c-1" },
    { "NO DIALTONE", TB_AT_LINE_FINAL, TB_AT_FINAL_NO_DIALTONE, 0, "c-1" },
    { "CONNECT 9600", TB_AT_LINE_FINAL, TB_AT_FINAL_CONNECT, 0, "c-1" },
    { "RING", TB_AT_LINE_URC, 0, TB_AT_REPORT_RING, "c-1" },
    { "+CRING: VOICE", TB_AT_LINE_URC, 0, TB_AT_REPORT_CRING, "c-1 \"VOICE\"" },
    { "+CLIP: \"+4915112345\",145,,,,0", TB_AT_LINE_URC, 0, TB_AT_REPORT_CLIP,
      "c-1 145 \"+4915112345\"" },
    { "^ORIG:1,0", TB_AT_LINE_URC, 0, TB_AT_REPORT_HW_ORIG, "c-1 1 0" },
    { "^CONF:1", TB_AT_LINE_URC, 0, TB_AT_REPORT_HW_CONF, "c-1 1" },
    { "^CONN:1,0", TB_AT_LINE_URC, 0, TB_AT_REPORT_HW_CONN, "c-1 1 0" },
    { "^CEND:1,12,104,16", TB_AT_LINE_URC, 0, TB_AT_REPORT_HW_CEND, "c-1 1 12 104 16" },
    { "+CLCC: 1,0,3,0,0,\"5551234\",129", TB_AT_LINE_INFO, 0, TB_AT_REPORT_CLCC,
      "c-1 1 0 3 0 0 \"5551234\"" },
    { "VOICE CALL: BEGIN", TB_AT_LINE_URC, 0, TB_AT_REPORT_VOICE_CALL_BEGIN, "c-1" },
    { "VOICE CALL: END: 000112", TB_AT_LINE_URC, 0, TB_AT_REPORT_VOICE_CALL_END, "c-1 72" },
    { "MISSED_CALL: 01:23AM 13800138000", TB_AT_LINE_URC, 0, TB_AT_REPORT_MISSED_CALL,
      "c-1 \"13800138000\"" },
    { "+CSQ: 20,99", TB_AT_LINE_INFO, 0, TB_AT_REPORT_CSQ, "c-1 20 99" },
    { "^RSSI:25", TB_AT_LINE_URC, 0, TB_AT_REPORT_RSSI, "c-1 25" },
    { "+CPIN: SIM PIN", TB_AT_LINE_INFO, 0, TB_AT_REPORT_CPIN, "c-1 \"SIM PIN\"" },
    { "+COPS: 0,0,\"China Mobile, 4G\",7", TB_AT_LINE_INFO, 0, TB_AT_REPORT_COPS,
      "c-1 0 0 7 \"China Mobile, 4G\"" },
    { "+COPS: 0", TB_AT_LINE_INFO, 0, TB_AT_REPORT_COPS, "c-1 0" },
    { "^BOOT", TB_AT_LINE_URC, 0, TB_AT_REPORT_BOOT, "c-1" },
    { "RDY", TB_AT_LINE_URC, 0, TB_AT_REPORT_BOOT, "c-1" },
    { "^BOOT:20341146,0,0,0,72", TB_AT_LINE_URC, 0, TB_AT_REPORT_NONE, "c-1" },
    { "ATD123;", TB_AT_LINE_ECHO, 0, 0, "c-1" },
    { "huawei", TB_AT_LINE_INFO, 0, 0, "c-1" },
    { "+CME ERROR:", TB_AT_LINE_FINAL, TB_AT_FINAL_CME_ERROR, 0, "c-1 \"\"" },
    { "^CEND:", TB_AT_LINE_URC, 0, TB_AT_REPORT_HW_CEND, "c-1" },
    { "+CLCC: x,y", TB_AT_LINE_INFO, 0, TB_AT_REPORT_CLCC, "c-1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(TbAtParser) parser = NULL;
    g_autofree char *input = g_strdup_printf ("\r\n%s\r\n", cases[i].text);
    g_autofree char *want = NULL;
    Collected c;

    collected_init (&c);
    parser = tb_at_parser_new (collect_line, &c);
    tb_at_parser_feed (parser, (const guint8 *) input, strlen (input));
    g_test_message ("%s", cases[i].text);
    g_assert_cmpuint (c.lines->len, ==, 1);
    want = g_strdup_printf ("f%d r%d %s", cases[i].final, cases[i].report, cases[i].fields);
    g_assert_cmpstr (g_ptr_array_index (c.parsed, 0), ==, want);
    g_assert_true (g_str_has_prefix (g_ptr_array_index (c.lines, 0),
                                     kind_name (cases[i].kind)));
    collected_clear (&c);
  }
  g_assert_cmpint (tb_at_rssi_to_dbm (20), ==, -73);
  g_assert_cmpint (tb_at_rssi_to_dbm (99), ==, G_MININT);
}

/* A command's echo, URCs of both vendors between it and the final result, status lines. */
static const char interleaved[] =
  "AT+CLCC\r"
  "\r\nRING\r\n"
  "\r\n+CLIP: \"5550100\",129\r\n"
  "\r\n+CLCC: 1,0,0,0,0,\"5550100\",129\r\n"
  "\r\n^CONN:1,0\r\n"
  "\r\nVOICE CALL: BEGIN\r\n"
  "\r\n+CSQ: 18,99\r\n"
  "\r\nOK\r\n"
  "ATD5550100;\r"
  "\r\nMISSED_CALL: 10:01AM 5550199\r\n"
  "\r\n+CME ERROR: 30\r\n";

static const char *interleaved_want[] = {
  "ECHO|AT+CLCC", "URC|RING", "URC|+CLIP: \"5550100\",129", "INFO|+CLCC: 1,0,0,0,0,\"5550100\",129",
  "URC|^CONN:1,0", "URC|VOICE CALL: BEGIN", "INFO|+CSQ: 18,99", "FINAL|OK", "ECHO|ATD5550100;",
  "URC|MISSED_CALL: 10:01AM 5550199", "FINAL|+CME ERROR: 30",
};

static void
assert_interleaved (Collected *c)
{
  g_assert_cmpuint (c->lines->len, ==, G_N_ELEMENTS (interleaved_want));
  for (guint i = 0; i < c->lines->len; i++)
    g_assert_cmpstr (g_ptr_array_index (c->lines, i), ==, interleaved_want[i]);
}

static void
test_parser_interleaved (void)
{
  gsize len = strlen (interleaved);

  /* Whole, then split in two at every byte boundary, then one byte per read. */
  for (gsize cut = 0; cut <= len; cut++) {
    g_autoptr(TbAtParser) parser = NULL;
    Collected c;

    collected_init (&c);
    parser = tb_at_parser_new (collect_line, &c);
    tb_at_parser_feed (parser, (const guint8 *) interleaved, cut);
    tb_at_parser_feed (parser, (const guint8 *) interleaved + cut, len - cut);
    assert_interleaved (&c);
    collected_clear (&c);
  }
  {
    g_autoptr(TbAtParser) parser = NULL;
    Collected c;

    collected_init (&c);
    parser = tb_at_parser_new (collect_line, &c);
    for (gsize i = 0; i < len; i++)
      tb_at_parser_feed (parser, (const guint8 *) interleaved + i, 1);
    assert_interleaved (&c);
    collected_clear (&c);
  }
}

static void
test_parser_garbage (void)
{
  /* NUL and control bytes inside lines, bare CR, bare LF, CR CR LF, invalid UTF-8, a 5 kB
   * line with no end in sight, then a clean OK that must still come through. */
  static const guint8 noise[] = {
    0x00, 0xff, '\r', '\r', '\n', 'O', 0x00, 'K', '\r', 0x07, 'B', 'U', 'S', 'Y', '\n',
    0xc3, 0x28, 'x', '\n', '\n', '\r', '+', 'C', 'S', 'Q', ':', ' ', '9', '9', ',', '9', '9',
    '\r', '\r', '\n', 0x1b, '[', '2', 'J', '\r', '\n',
  };
  g_autoptr(TbAtParser) parser = NULL;
  g_autoptr(GByteArray) big = g_byte_array_new ();
  Collected c;

  collected_init (&c);
  parser = tb_at_parser_new (collect_line, &c);
  tb_at_parser_feed (parser, noise, sizeof noise);
  for (guint i = 0; i < 5000; i++)
    g_byte_array_append (big, (const guint8 *) (i % 7 ? "A" : "\x01"), 1);
  tb_at_parser_feed (parser, big->data, big->len);
  tb_at_parser_feed (parser, (const guint8 *) "\r\nOK\r\n", 6);

  g_assert_cmpuint (c.lines->len, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (c.lines, 0), ==, "INFO|\xef\xbf\xbd");  /* 0xff */
  g_assert_cmpstr (g_ptr_array_index (c.lines, 1), ==, "FINAL|OK");
  g_assert_cmpstr (g_ptr_array_index (c.lines, 2), ==, "FINAL|BUSY");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (c.lines, 3), "INFO|"));
  g_assert_cmpstr (g_ptr_array_index (c.lines, 4), ==, "INFO|+CSQ: 99,99");
  g_assert_true (g_str_has_suffix (g_ptr_array_index (c.parsed, 4), " 99 99"));
  g_assert_cmpint (tb_at_rssi_to_dbm (99), ==, G_MININT);
  g_assert_cmpstr (g_ptr_array_index (c.lines, 5), ==, "INFO|[2J");
  /* The overlong line is cut, not grown without bound. */
  g_assert_cmpuint (strlen (g_ptr_array_index (c.lines, 6)), <=,
                    TB_AT_PARSER_MAX_LINE + strlen ("INFO|"));
  g_assert_cmpstr (g_ptr_array_index (c.lines, 7), ==, "FINAL|OK");
  collected_clear (&c);
}

/* A modem that never ends its line (16 MB of it, in port-sized reads) and then a million
 * empty ones: the parser holds one cut line, not the stream, and the OK after still comes
 * through as the next line. */
static void
test_parser_huge (void)
{
  g_autofree guint8 *chunk = g_malloc (4096);
  Collected c;
  TbAtParser *parser;

  memset (chunk, 'A', 4096);
  collected_init (&c);
  parser = tb_at_parser_new (collect_line, &c);
  for (guint i = 0; i < 4096; i++)
    tb_at_parser_feed (parser, chunk, 4096);
  memset (chunk, '\n', 4096);
  for (guint i = 0; i < 256; i++)
    tb_at_parser_feed (parser, chunk, 4096);
  tb_at_parser_feed (parser, (const guint8 *) "\r\nOK\r\n", 6);
  tb_at_parser_free (parser);

  g_assert_cmpuint (c.lines->len, ==, 2);
  g_assert_cmpuint (strlen (g_ptr_array_index (c.lines, 0)), ==,
                    TB_AT_PARSER_MAX_LINE + strlen ("INFO|"));
  g_assert_cmpstr (g_ptr_array_index (c.lines, 1), ==, "FINAL|OK");
  collected_clear (&c);
}

/* The simulator ------------------------------------------------------------------------- */

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Wait;

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = tb_modem_device_open_finish (TB_MODEM_DEVICE (source), result, &w->error);
  w->done = TRUE;
}

static TbModemDevice *
open_device (Sim           *sim,
             TbModemVendor  hint,
             gboolean       expect_ready)
{
  TbModemDevice *device = tb_modem_device_new (sim->at, sim->pcm, hint);
  Wait w = { 0 };

  tb_modem_device_open_async (device, NULL, open_cb, &w);
  WAIT_FOR (w.done, 15000);
  if (expect_ready) {
    g_assert_no_error (w.error);
    g_assert_true (w.ok);
    g_assert_cmpint (tb_modem_device_get_state (device), ==, TB_MODEM_STATE_READY);
  }
  g_clear_error (&w.error);
  return device;
}

static void
close_device (TbModemDevice *device)
{
  tb_modem_device_close (device);
  spin_ms (50);  /* let the failed commands' callbacks drop their references */
  g_assert_finalize_object (device);
}

/* Audio -------------------------------------------------------------------------------- */

static GBytes *
wav_data (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  const char *d;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 44);
  d = memmem (data + 12, MIN (len, 4096) - 12, "data", 4);
  g_assert_nonnull (d);
  return g_bytes_new (d + 8, len - (d + 8 - data));
}

static double
rms (const guint8 *data,
     gsize         len)
{
  const gint16 *s = (const gint16 *) data;
  gsize n = len / 2;
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += (double) s[i] * s[i];
  return n ? sqrt (sum / n) : 0;
}

/* TRUE if the loudest 40 ms of @heard appear byte for byte in @said: the audio crossed the
 * port untouched, not merely "something loud". */
static gboolean
holds_audio_of (GBytes *heard,
                GBytes *said)
{
  gsize hlen, slen, best = 0;
  const guint8 *h = g_bytes_get_data (heard, &hlen);
  const guint8 *s = g_bytes_get_data (said, &slen);
  double best_rms = 0;

  if (hlen < 640)
    return FALSE;
  for (gsize off = 0; off + 640 <= hlen; off += 320) {
    double r = rms (h + off, 640);
    if (r > best_rms) {
      best_rms = r;
      best = off;
    }
  }
  return best_rms > 500 && memmem (s, slen, h + best, 640) != NULL;
}

typedef struct {
  GstElement   *pipeline;
  GByteArray   *heard;        /* what came out of the call's source bin */
  GMutex        lock;
  guint         n_buffers;
  guint         odd_buffers;  /* not 20 ms / 320 bytes */
  GstClockTime  first_pts;
} Media;

static GstFlowReturn
on_heard (GstAppSink *sink,
          gpointer    user_data)
{
  Media *m = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstMapInfo map;

  if (sample && gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ)) {
    GstBuffer *buffer = gst_sample_get_buffer (sample);

    g_mutex_lock (&m->lock);
    if (m->n_buffers++ == 0)
      m->first_pts = GST_BUFFER_PTS (buffer);
    if (map.size != 320 || GST_BUFFER_DURATION (buffer) != 20 * GST_MSECOND)
      m->odd_buffers++;
    g_byte_array_append (m->heard, map.data, map.size);
    g_mutex_unlock (&m->lock);
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  }
  return GST_FLOW_OK;
}

/* One pipeline as the media session would build it: our prompt into the call's sink bin,
 * the call's source bin into a recorder. */
static void
media_start (Media       *m,
             TbModemCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *desc = g_strdup_printf (
    "filesrc location=\"%s\" ! wavparse ! audioconvert ! audioresample ! "
    "capsfilter name=botcaps caps=\"audio/x-raw,format=S16LE,rate=8000,channels=1\" "
    "appsink name=rec sync=false emit-signals=false", bot_wav);
  GstElement *src = tb_call_get_audio_source (TB_CALL (call));
  GstElement *sink = tb_call_get_audio_sink (TB_CALL (call));
  g_autoptr(GstElement) caps = NULL;
  g_autoptr(GstElement) rec = NULL;
  GstAppSinkCallbacks cb = { .new_sample = on_heard };

  g_mutex_init (&m->lock);
  m->heard = g_byte_array_new ();
  m->first_pts = GST_CLOCK_TIME_NONE;
  /* The audio contract (app/lines/README.md): bins with one always pad, "src" / "sink",
   * S16LE 8 kHz mono. */
  {
    g_autoptr(GstPad) src_pad = gst_element_get_static_pad (src, "src");
    g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (sink, "sink");
    g_autoptr(GstCaps) want = gst_caps_from_string (TB_AUDIO_CAPS);
    g_autoptr(GstCaps) src_caps = NULL;
    g_autoptr(GstCaps) sink_caps = NULL;

    g_assert_true (GST_IS_BIN (src) && GST_IS_BIN (sink));
    g_assert_nonnull (src_pad);
    g_assert_nonnull (sink_pad);
    src_caps = gst_pad_query_caps (src_pad, NULL);
    sink_caps = gst_pad_query_caps (sink_pad, NULL);
    {
      g_autofree char *text = gst_caps_to_string (src_caps);
      g_test_message ("source caps: %s", text);
    }
    g_assert_true (gst_caps_is_equal (src_caps, want));
    g_assert_true (gst_caps_can_intersect (sink_caps, want));
    g_assert_true (gst_caps_is_fixed (src_caps));
  }
  m->pipeline = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  gst_bin_add_many (GST_BIN (m->pipeline), src, sink, NULL);
  caps = gst_bin_get_by_name (GST_BIN (m->pipeline), "botcaps");
  rec = gst_bin_get_by_name (GST_BIN (m->pipeline), "rec");
  g_assert_true (gst_element_link (caps, sink));
  g_assert_true (gst_element_link (src, rec));
  gst_app_sink_set_callbacks (GST_APP_SINK (rec), &cb, m, NULL);
  g_assert_cmpint (gst_element_set_state (m->pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
}

static void
media_stop (Media *m)
{
  gst_element_set_state (m->pipeline, GST_STATE_NULL);
  g_clear_object (&m->pipeline);
  g_mutex_clear (&m->lock);
}

typedef struct {
  guint  n;
  char  *last;
} Count;

static void
count_line (const TbAtLine *line,
            gpointer        user_data)
{
  Count *count = user_data;

  g_assert_true (g_utf8_validate (line->text, -1, NULL));
  g_assert_cmpuint (strlen (line->text), >, 0);
  g_assert_cmpuint (strlen (line->text), <=, TB_AT_PARSER_MAX_LINE * 3);
  g_assert_cmpuint (line->n_args, <=, TB_AT_LINE_MAX_ARGS);
  g_assert_true ((line->kind == TB_AT_LINE_FINAL) == (line->final != TB_AT_FINAL_NONE));
  count->n++;
  g_free (count->last);
  count->last = g_strdup (line->text);
}

/* Not libFuzzer (that is tests/fuzz/), but every build runs it: 1 MB of noise salted with
 * pieces of real responses, in random-sized reads, keeps every line's invariants, and a
 * clean OK still parses afterwards. */
static void
test_parser_random (void)
{
  static const char *salt[] = { "\r\n", "OK", "+CME ERROR: ", "^CEND:", "+CLCC: ", ",\"",
                                "VOICE CALL: END: ", "+COPS: 0,0,\"", "\r", "\n", "AT" };
  g_autoptr(TbAtParser) parser = NULL;
  g_autoptr(GByteArray) noise = g_byte_array_new ();
  GRand *rand = g_rand_new_with_seed (20261128);
  Count count = { 0 };
  gsize pos = 0;

  while (noise->len < 1024 * 1024) {
    if (g_rand_int_range (rand, 0, 4) == 0) {
      const char *p = salt[g_rand_int_range (rand, 0, G_N_ELEMENTS (salt))];
      g_byte_array_append (noise, (const guint8 *) p, strlen (p));
    } else {
      guint8 b = g_rand_int_range (rand, 0, 256);
      g_byte_array_append (noise, &b, 1);
    }
  }
  parser = tb_at_parser_new (count_line, &count);
  while (pos < noise->len) {
    /* Not MIN (g_rand_int_range (…), …): the macro would draw twice. */
    gsize want = g_rand_int_range (rand, 1, 700);
    gsize piece = MIN (want, noise->len - pos);

    tb_at_parser_feed (parser, noise->data + pos, piece);
    pos += piece;
  }
  g_assert_cmpuint (count.n, >, 1000);
  /* A reset parser forgets a partial line: the next OK is just OK. */
  tb_at_parser_feed (parser, (const guint8 *) "garbage-without-end", 19);
  tb_at_parser_reset (parser);
  tb_at_parser_feed (parser, (const guint8 *) "OK\r\n", 4);
  g_assert_cmpstr (count.last, ==, "OK");
  g_free (count.last);
  g_rand_free (rand);
}

/* Calls -------------------------------------------------------------------------------- */

static TbModemVendor
vendor_of (gconstpointer data)
{
  return g_str_equal (data, "huawei") ? TB_MODEM_VENDOR_HUAWEI : TB_MODEM_VENDOR_SIMCOM;
}

static TbModemCall *
dial_and_wait_answer (TbModemDevice *device,
                      const char    *number)
{
  g_autoptr(GError) error = NULL;
  TbModemCall *call = tb_modem_device_dial (device, number, &error);

  g_assert_no_error (error);
  g_assert_nonnull (call);
  g_assert_cmpint (tb_call_get_state (TB_CALL (call)), ==, TB_CALL_STATE_DIALING);
  WAIT_FOR (tb_call_get_state (TB_CALL (call)) >= TB_CALL_STATE_ANSWERED, 10000);
  g_assert_cmpint (tb_call_get_state (TB_CALL (call)), ==, TB_CALL_STATE_ANSWERED);
  return call;
}

static void
test_call_audio (gconstpointer data)
{
  g_autoptr(GBytes) bot = wav_data (bot_wav);
  g_autoptr(GBytes) callee = wav_data (callee_wav);
  g_autoptr(GBytes) heard_by_sim = NULL;
  g_autoptr(GBytes) heard_by_us = NULL;
  TbModemDevice *device;
  TbModemCall *call;
  gboolean saw_ringing = FALSE;
  Media m = { 0 };
  Sim sim;

  sim_start (&sim, data, callee_wav, "--callee=100:answer:1", NULL);
  device = open_device (&sim, TB_MODEM_VENDOR_UNKNOWN, TRUE);
  g_assert_cmpint (tb_modem_device_get_vendor (device), ==, vendor_of (data));

  {
    g_autoptr(GError) error = NULL;

    call = tb_modem_device_dial (device, "100", &error);
    g_assert_no_error (error);
    WAIT_FOR ((saw_ringing |= tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_RINGING,
               tb_call_get_state (TB_CALL (call)) >= TB_CALL_STATE_ANSWERED), 10000);
  }
  g_assert_true (saw_ringing);
  g_assert_cmpint (tb_call_get_state (TB_CALL (call)), ==, TB_CALL_STATE_ANSWERED);
  g_assert_cmpint (tb_modem_device_get_state (device), ==, TB_MODEM_STATE_IN_CALL);
  g_assert_true (tb_call_is_realtime (TB_CALL (call)));
  g_assert_true (sim_has_event (&sim, "AUDIO_ON"));

  media_start (&m, call);
  spin_ms (3000);
  tb_call_hang_up (TB_CALL (call));
  WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 5000);
  media_stop (&m);

  g_assert_cmpint (tb_call_get_end_reason (TB_CALL (call)), ==, TB_CALL_END_REASON_COMPLETED);
  g_assert_false (tb_modem_call_get_remote_ended (call));
  g_assert_cmpint (tb_call_get_duration_ms (TB_CALL (call)), >=, 2900);
  g_assert_cmpint (tb_call_get_duration_ms (TB_CALL (call)), <, 4500);
  g_assert_cmpint (tb_modem_device_get_state (device), ==, TB_MODEM_STATE_READY);
  WAIT_FOR (sim_has_event (&sim, "END local-hangup"), 3000);

  /* Both ways, ≥ 2 s of the 3 s call, the right audio byte for byte. */
  {
    g_autofree char *sim_wav = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (sim.record, &sim_wav, &len, NULL));
    heard_by_sim = wav_data (sim.record);
  }
  heard_by_us = g_byte_array_free_to_bytes (m.heard);
  g_test_message ("sim heard %zu bytes (rms %.0f), we heard %zu bytes (rms %.0f)",
                  g_bytes_get_size (heard_by_sim),
                  rms (g_bytes_get_data (heard_by_sim, NULL), g_bytes_get_size (heard_by_sim)),
                  g_bytes_get_size (heard_by_us),
                  rms (g_bytes_get_data (heard_by_us, NULL), g_bytes_get_size (heard_by_us)));
  g_assert_cmpuint (g_bytes_get_size (heard_by_sim), >=, 2 * 16000);
  g_assert_cmpuint (g_bytes_get_size (heard_by_us), >=, 2 * 16000);
  g_assert_cmpfloat (rms (g_bytes_get_data (heard_by_sim, NULL),
                          g_bytes_get_size (heard_by_sim)), >, 300);
  g_assert_cmpfloat (rms (g_bytes_get_data (heard_by_us, NULL),
                          g_bytes_get_size (heard_by_us)), >, 300);
  /* 20 ms buffers, timestamped from about 0 (the pipeline started at the answer). */
  g_assert_cmpuint (m.n_buffers, >=, 100);
  g_assert_cmpuint (m.odd_buffers, ==, 0);
  g_assert_true (GST_CLOCK_TIME_IS_VALID (m.first_pts));
  g_assert_cmpuint (m.first_pts, <, GST_SECOND);
  g_assert_true (holds_audio_of (heard_by_sim, bot));
  g_assert_true (holds_audio_of (heard_by_us, callee));
  g_assert_false (holds_audio_of (heard_by_us, bot));

  g_assert_finalize_object (call);
  close_device (device);
  sim_stop (&sim);
}

static void
test_call_outcomes (gconstpointer data)
{
  TbModemDevice *device;
  TbModemCall *call;
  Sim sim;
  static const struct {
    const char *number;
    TbCallEndReason reason;
  } cases[] = {
    { "200", TB_CALL_END_REASON_BUSY },
    { "300", TB_CALL_END_REASON_NO_ANSWER },
  };

  sim_start (&sim, data, callee_wav, "--callee=200:busy:0.5", "--callee=300:noanswer:1",
             "--callee=400:answer:0.5:drop:1.5", "--callee=500:answer:0.5:hangup:1", NULL);
  device = open_device (&sim, vendor_of (data), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;

    call = tb_modem_device_dial (device, cases[i].number, &error);
    g_assert_no_error (error);
    WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 10000);
    g_assert_cmpstr (tb_call_end_reason_to_string (tb_call_get_end_reason (TB_CALL (call))), ==,
                     tb_call_end_reason_to_string (cases[i].reason));
    g_assert_cmpint (tb_call_get_duration_ms (TB_CALL (call)), ==, 0);
    g_assert_nonnull (tb_call_get_end_message (TB_CALL (call)));
    g_assert_finalize_object (call);
    WAIT_FOR (tb_modem_device_get_state (device) == TB_MODEM_STATE_READY, 2000);
  }

  /* NO CARRIER 1.5 s into the call, and the dialect's own remote hang-up after 1 s. */
  call = dial_and_wait_answer (device, "400");
  WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 5000);
  g_assert_cmpint (tb_call_get_end_reason (TB_CALL (call)), ==, TB_CALL_END_REASON_COMPLETED);
  g_assert_true (tb_modem_call_get_remote_ended (call));
  g_assert_cmpstr (tb_call_get_end_message (TB_CALL (call)), ==, "the call ended (NO CARRIER)");
  g_assert_cmpint (tb_call_get_duration_ms (TB_CALL (call)), >=, 1000);
  g_assert_cmpint (tb_call_get_duration_ms (TB_CALL (call)), <, 3000);
  g_assert_finalize_object (call);

  call = dial_and_wait_answer (device, "500");
  WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 5000);
  g_assert_cmpint (tb_call_get_end_reason (TB_CALL (call)), ==, TB_CALL_END_REASON_COMPLETED);
  g_assert_true (tb_modem_call_get_remote_ended (call));
  g_assert_finalize_object (call);

  /* Hanging up while it rings is a cancelled call, not a completed one. */
  {
    g_autoptr(GError) error = NULL;

    call = tb_modem_device_dial (device, "300", &error);
    g_assert_no_error (error);
    WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_RINGING, 5000);
    tb_call_hang_up (TB_CALL (call));
    WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 5000);
    g_assert_cmpint (tb_call_get_end_reason (TB_CALL (call)), ==, TB_CALL_END_REASON_CANCELLED);
    g_assert_finalize_object (call);
  }

  close_device (device);
  sim_stop (&sim);
}

static void
dtmf_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = tb_modem_call_send_dtmf_finish (TB_MODEM_CALL (source), result, &w->error);
  w->done = TRUE;
}

static void
test_dtmf (gconstpointer data)
{
  TbModemDevice *device;
  TbModemCall *call;
  Wait w = { 0 };
  Sim sim;

  sim_start (&sim, data, callee_wav, NULL);
  device = open_device (&sim, vendor_of (data), TRUE);
  call = dial_and_wait_answer (device, "700");

  tb_modem_call_send_dtmf_async (call, "12#", NULL, dtmf_cb, &w);
  WAIT_FOR (w.done, 10000);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_true (sim_has_event (&sim, "DTMF 1"));
  g_assert_true (sim_has_event (&sim, "DTMF 2"));
  g_assert_true (sim_has_event (&sim, "DTMF #"));
  g_assert_false (sim_has_event (&sim, "DTMF 3"));

  memset (&w, 0, sizeof w);
  tb_modem_call_send_dtmf_async (call, "1x", NULL, dtmf_cb, &w);
  WAIT_FOR (w.done, 1000);
  g_assert_error (w.error, TB_MODEM_ERROR, TB_MODEM_ERROR_INVALID);
  g_clear_error (&w.error);

  tb_call_hang_up (TB_CALL (call));
  WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 5000);
  g_assert_finalize_object (call);
  close_device (device);
  sim_stop (&sim);
}

static void
test_timeouts (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TbModemDevice *device;
  TbModemCall *call;
  gint64 start;
  Sim sim;

  sim_start (&sim, data, callee_wav, "--callee=900:noanswer:30", NULL);
  device = open_device (&sim, vendor_of (data), TRUE);

  /* Our ring timeout, well before the network's. */
  start = g_get_monotonic_time ();
  call = tb_modem_device_dial_full (device, "900", 1500, &error);
  g_assert_no_error (error);
  WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 5000);
  g_assert_cmpint (tb_call_get_end_reason (TB_CALL (call)), ==, TB_CALL_END_REASON_NO_ANSWER);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1400 * 1000);
  g_assert_false (tb_modem_call_get_remote_ended (call));
  WAIT_FOR (sim_has_event (&sim, "END local-hangup"), 3000);
  g_assert_finalize_object (call);

  /* A PCM port that goes quiet on an answered call: media_timeout, and we hang up. */
  tb_modem_device_set_media_timeout (device, 2000);
  call = dial_and_wait_answer (device, "901");
  spin_ms (500);
  g_assert_cmpuint (tb_modem_call_get_audio_bytes_in (call), >, 0);
  sim_control (&sim, "mute 30");
  WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 8000);
  g_assert_cmpint (tb_call_get_end_reason (TB_CALL (call)), ==, TB_CALL_END_REASON_MEDIA_TIMEOUT);
  g_assert_nonnull (strstr (tb_call_get_end_message (TB_CALL (call)), "no audio"));
  WAIT_FOR (sim_has_event (&sim, "END local-hangup"), 3000);
  g_assert_cmpint (tb_modem_device_get_state (device), ==, TB_MODEM_STATE_READY);
  g_assert_finalize_object (call);

  close_device (device);
  sim_stop (&sim);
}

/* A modem that reports nothing about the call: the answer is found by polling AT+CLCC. */
static void
test_clcc_only (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TbModemDevice *device;
  TbModemCall *call;
  gboolean saw_ringing = FALSE;
  Sim sim;

  sim_start (&sim, data, callee_wav, "--quiet-calls", "--callee=600:answer:1.5", NULL);
  device = open_device (&sim, vendor_of (data), TRUE);
  call = tb_modem_device_dial (device, "600", &error);
  g_assert_no_error (error);
  WAIT_FOR ((saw_ringing |= tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_RINGING,
             tb_call_get_state (TB_CALL (call)) >= TB_CALL_STATE_ANSWERED), 10000);
  g_assert_true (saw_ringing);  /* +CLCC stat 3 (alerting) */
  g_assert_cmpint (tb_call_get_state (TB_CALL (call)), ==, TB_CALL_STATE_ANSWERED);
  g_assert_true (sim_has_event (&sim, "AUDIO_ON"));
  tb_call_hang_up (TB_CALL (call));
  WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 5000);
  g_assert_cmpint (tb_call_get_end_reason (TB_CALL (call)), ==, TB_CALL_END_REASON_COMPLETED);
  g_assert_finalize_object (call);
  close_device (device);
  sim_stop (&sim);
}

/* Faults ------------------------------------------------------------------------------- */

typedef struct {
  char *error_seen;  /* the last-error while the device was in ERROR */
} Watch;

static void
on_device_state (TbModemDevice *device,
                 GParamSpec    *pspec,
                 Watch         *watch)
{
  if (tb_modem_device_get_state (device) == TB_MODEM_STATE_ERROR) {
    g_free (watch->error_seen);
    watch->error_seen = g_strdup (tb_modem_device_get_last_error (device));
  }
}

static void
run_fault (const char *vendor,
           const char *fault,
           const char *want_in_message)
{
  TbModemDevice *device;
  TbModemCall *call;
  Watch watch = { 0 };
  Sim sim;

  sim_start (&sim, vendor, callee_wav, NULL);
  device = open_device (&sim, TB_MODEM_VENDOR_UNKNOWN, TRUE);
  g_signal_connect (device, "notify::state", G_CALLBACK (on_device_state), &watch);
  call = dial_and_wait_answer (device, "800");

  sim_control (&sim, fault);
  WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 15000);
  g_test_message ("%s: call ended: %s; modem said: %s", fault,
                  tb_call_get_end_message (TB_CALL (call)), watch.error_seen);
  g_assert_cmpint (tb_call_get_end_reason (TB_CALL (call)), ==, TB_CALL_END_REASON_FAILED);
  g_assert_nonnull (tb_call_get_end_message (TB_CALL (call)));
  g_assert_nonnull (watch.error_seen);
  g_assert_nonnull (strstr (watch.error_seen, sim.at));  /* names the port */
  g_assert_nonnull (strstr (watch.error_seen, want_in_message));
  g_assert_false (tb_modem_device_get_state (device) == TB_MODEM_STATE_READY &&
                  tb_modem_device_get_call (device) != NULL);
  g_assert_finalize_object (call);

  /* It recovers on its own, and the next call works. */
  WAIT_FOR (tb_modem_device_get_state (device) == TB_MODEM_STATE_READY, 20000);
  g_assert_null (tb_modem_device_get_last_error (device));
  call = dial_and_wait_answer (device, "801");
  tb_call_hang_up (TB_CALL (call));
  WAIT_FOR (tb_call_get_state (TB_CALL (call)) == TB_CALL_STATE_ENDED, 5000);
  g_assert_cmpint (tb_call_get_end_reason (TB_CALL (call)), ==, TB_CALL_END_REASON_COMPLETED);
  g_assert_finalize_object (call);

  g_signal_handlers_disconnect_by_data (device, &watch);
  g_free (watch.error_seen);
  close_device (device);
  sim_stop (&sim);
}

static void
test_fault_garbage (void)
{
  /* Noise and no answers for 10 s: the modem is declared unresponsive mid-call. */
  run_fault ("huawei", "garbage 10", "stopped answering");
}

static void
test_fault_reset (gconstpointer data)
{
  run_fault (data, "reset 2", "restarted");
}

static void
test_fault_vanish (gconstpointer data)
{
  run_fault (data, "vanish 1.5", "went away");
}

/* Status and voice --------------------------------------------------------------------- */

static void
test_status (gconstpointer data)
{
  TbModemDevice *device;
  Sim sim;

  /* --chatty puts a URC between every echo and result; "noise" sprays line noise. */
  sim_start (&sim, data, callee_wav, "--csq=17", "--operator=Acme Tel", "--chatty", NULL);
  sim_control (&sim, "noise");
  device = open_device (&sim, TB_MODEM_VENDOR_UNKNOWN, TRUE);
  g_assert_cmpstr (tb_modem_device_get_sim_state (device), ==, "READY");
  g_assert_cmpstr (tb_modem_device_get_operator_name (device), ==, "Acme Tel");
  if (g_str_equal (data, "huawei")) {
    /* ^RSSI:25 URCs may land after +CSQ: either value is what the modem said. */
    g_assert_true (tb_modem_device_get_signal_dbm (device) == -79 ||
                   tb_modem_device_get_signal_dbm (device) == -63);
    g_assert_cmpstr (tb_modem_device_get_manufacturer (device), ==, "huawei");
    g_assert_cmpstr (tb_modem_device_get_model (device), ==, "E173");
  } else {
    g_assert_cmpint (tb_modem_device_get_signal_dbm (device), ==, -79);
    g_assert_cmpstr (tb_modem_device_get_manufacturer (device), ==, "SIMCOM INCORPORATED");
    g_assert_cmpstr (tb_modem_device_get_model (device), ==, "SIMCOM_SIM7600E-H");
  }
  g_assert_cmpint (tb_modem_device_get_vendor (device), ==, vendor_of (data));
  g_assert_true (tb_modem_device_get_voice_capable (device));
  sim_control (&sim, "noise");
  spin_ms (200);
  g_assert_cmpint (tb_modem_device_get_state (device), ==, TB_MODEM_STATE_READY);

  /* The signal is polled while idle: a change shows within a poll period. */
  sim_control (&sim, "csq 10");
  WAIT_FOR (tb_modem_device_get_signal_dbm (device) == -93, 8000);
  close_device (device);
  sim_stop (&sim);
}

static void
test_sim_pin (void)
{
  g_autoptr(GError) error = NULL;
  TbModemDevice *device;
  Sim sim;

  sim_start (&sim, "huawei", callee_wav, "--cpin=SIM PIN", NULL);
  device = open_device (&sim, TB_MODEM_VENDOR_UNKNOWN, FALSE);
  g_assert_cmpint (tb_modem_device_get_state (device), ==, TB_MODEM_STATE_ERROR);
  g_assert_cmpstr (tb_modem_device_get_sim_state (device), ==, "SIM PIN");
  g_assert_nonnull (strstr (tb_modem_device_get_last_error (device),
                            "the SIM is not ready (+CPIN: SIM PIN)"));
  g_assert_null (tb_modem_device_dial (device, "100", &error));
  g_assert_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_NOT_READY);
  g_assert_false (sim_has_event (&sim, "DIAL 100"));

  /* The modem keeps looking; once the SIM is unlocked it is ready by itself. */
  sim_control (&sim, "sim-ready");
  WAIT_FOR (tb_modem_device_get_state (device) == TB_MODEM_STATE_READY, 10000);
  g_assert_cmpstr (tb_modem_device_get_sim_state (device), ==, "READY");
  close_device (device);
  sim_stop (&sim);
}

static void
test_no_voice (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TbModemDevice *device;
  TbModemCall *call;
  Wait w = { 0 };
  Sim sim;

  /* Firmware whose voice command fails. */
  sim_start (&sim, data, callee_wav, "--no-voice", NULL);
  device = open_device (&sim, TB_MODEM_VENDOR_UNKNOWN, FALSE);
  g_assert_cmpint (tb_modem_device_get_state (device), ==, TB_MODEM_STATE_ERROR);
  g_assert_false (tb_modem_device_get_voice_capable (device));
  g_assert_nonnull (strstr (tb_modem_device_get_last_error (device), "cannot carry voice"));
  g_assert_nonnull (strstr (tb_modem_device_get_last_error (device), sim.at));
  call = tb_modem_device_dial (device, "100", &error);
  g_assert_null (call);
  g_assert_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_NO_VOICE);
  g_clear_error (&error);
  close_device (device);

  /* No PCM port configured at all. */
  device = tb_modem_device_new (sim.at, NULL, TB_MODEM_VENDOR_UNKNOWN);
  tb_modem_device_open_async (device, NULL, open_cb, &w);
  WAIT_FOR (w.done, 15000);
  g_assert_false (w.ok);
  g_assert_error (w.error, TB_MODEM_ERROR, TB_MODEM_ERROR_NOT_READY);
  g_assert_nonnull (strstr (w.error->message, "no PCM audio port"));
  g_clear_error (&w.error);
  call = tb_modem_device_dial (device, "100", &error);
  g_assert_null (call);
  g_assert_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_NO_VOICE);
  close_device (device);

  /* Nothing was ever dialled. */
  spin_ms (100);
  g_assert_false (sim_has_event (&sim, "DIAL 100"));
  sim_stop (&sim);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/telebot/modem/parser/table", test_parser_table);
  g_test_add_func ("/telebot/modem/parser/interleaved-split", test_parser_interleaved);
  g_test_add_func ("/telebot/modem/parser/garbage", test_parser_garbage);
  g_test_add_func ("/telebot/modem/parser/huge", test_parser_huge);
  g_test_add_func ("/telebot/modem/parser/random", test_parser_random);

  audio_dir = g_dir_make_tmp ("telebot-modem-audio-XXXXXX", NULL);
  bot_wav = g_build_filename (audio_dir, "bot.wav", NULL);
  callee_wav = g_build_filename (audio_dir, "callee.wav", NULL);
  make_wav ("Hello, this is the Telebot calling about your order. "
            "Please say yes or no after the tone.", bot_wav);
  make_wav ("Yes, I am listening. Tell me more about the offer, please.", callee_wav);

  for (guint i = 0; i < 2; i++) {
    const char *v = i == 0 ? "huawei" : "simcom";
    g_autofree char *p1 = g_strdup_printf ("/telebot/modem/%s/status", v);
    g_autofree char *p2 = g_strdup_printf ("/telebot/modem/%s/call-audio", v);
    g_autofree char *p3 = g_strdup_printf ("/telebot/modem/%s/outcomes", v);
    g_autofree char *p4 = g_strdup_printf ("/telebot/modem/%s/dtmf", v);
    g_autofree char *p5 = g_strdup_printf ("/telebot/modem/%s/no-voice", v);
    g_autofree char *p6 = g_strdup_printf ("/telebot/modem/%s/fault-reset", v);
    g_autofree char *p7 = g_strdup_printf ("/telebot/modem/%s/fault-vanish", v);
    g_autofree char *p8 = g_strdup_printf ("/telebot/modem/%s/timeouts", v);
    g_autofree char *p9 = g_strdup_printf ("/telebot/modem/%s/clcc-only", v);

    g_test_add_data_func (p1, v, test_status);
    g_test_add_data_func (p2, v, test_call_audio);
    g_test_add_data_func (p3, v, test_call_outcomes);
    g_test_add_data_func (p4, v, test_dtmf);
    g_test_add_data_func (p5, v, test_no_voice);
    g_test_add_data_func (p6, v, test_fault_reset);
    g_test_add_data_func (p7, v, test_fault_vanish);
    g_test_add_data_func (p8, v, test_timeouts);
    g_test_add_data_func (p9, v, test_clcc_only);
  }
  g_test_add_func ("/telebot/modem/huawei/fault-garbage", test_fault_garbage);
  g_test_add_func ("/telebot/modem/huawei/sim-pin", test_sim_pin);

  status = g_test_run ();
  g_unlink (bot_wav);
  g_unlink (callee_wav);
  g_rmdir (audio_dir);
  return status;
}
