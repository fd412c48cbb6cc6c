/* tb-line-test-util.c — shared by the line tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <math.h>
#include <string.h>

#include "tb-line-test-util.h"

static void
on_state_notify (TbCall     *call,
                 GParamSpec *pspec,
                 TbStateLog *log)
{
  TbCallState state = tb_call_get_state (call);

  g_array_append_val (log->states, state);
  if (state == TB_CALL_STATE_ANSWERED)
    log->answered_us = g_get_monotonic_time ();
  if (state == TB_CALL_STATE_ENDED)
    log->ended_us = g_get_monotonic_time ();
}

static void
on_dtmf (TbCall     *call,
         char        digit,
         TbStateLog *log)
{
  g_string_append_c (log->dtmf, digit);
}

TbStateLog *
tb_state_log_new (TbCall *call)
{
  TbStateLog *log = g_new0 (TbStateLog, 1);
  TbCallState state = tb_call_get_state (call);

  log->call = g_object_ref (call);
  log->states = g_array_new (FALSE, FALSE, sizeof (TbCallState));
  log->dtmf = g_string_new (NULL);
  log->started_us = g_get_monotonic_time ();
  g_array_append_val (log->states, state);
  g_signal_connect (call, "notify::state", G_CALLBACK (on_state_notify), log);
  g_signal_connect (call, "dtmf-received", G_CALLBACK (on_dtmf), log);
  return log;
}

void
tb_state_log_free (TbStateLog *log)
{
  g_signal_handlers_disconnect_by_data (log->call, log);
  g_object_unref (log->call);
  g_array_unref (log->states);
  g_string_free (log->dtmf, TRUE);
  g_free (log);
}

gboolean
tb_state_log_wait (TbStateLog  *log,
                   TbCallState  state,
                   guint        timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (tb_call_get_state (log->call) != state &&
         tb_call_get_state (log->call) != TB_CALL_STATE_ENDED) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_main_context_iteration (NULL, FALSE);
    g_usleep (1000);
  }
  return tb_call_get_state (log->call) == state;
}

void
tb_state_log_assert_legal (TbStateLog *log)
{
  g_assert_cmpuint (log->states->len, >=, 2);
  g_assert_cmpint (g_array_index (log->states, TbCallState, 0), ==, TB_CALL_STATE_DIALING);
  for (guint i = 1; i < log->states->len; i++)
    g_assert_cmpint (g_array_index (log->states, TbCallState, i), >,
                     g_array_index (log->states, TbCallState, i - 1));
  g_assert_cmpint (g_array_index (log->states, TbCallState, log->states->len - 1), ==,
                   TB_CALL_STATE_ENDED);
}

typedef struct {
  TbEndpointRun *run;
  GMainLoop     *loop;
  gboolean       realtime;
  guint          want_bytes;
  gboolean       quit_posted;
  guint          end_timeout_id;
} RunCtx;

static gboolean
quit_idle (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static GstFlowReturn
on_callee_sample (GstAppSink *sink,
                  gpointer    data)
{
  RunCtx *ctx = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstMapInfo map;

  if (ctx->run->caps == NULL)
    ctx->run->caps = gst_caps_ref (gst_sample_get_caps (sample));
  if (gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    ctx->run->buffers++;
    if (map.size != 320)
      ctx->run->odd_buffers++;
    g_byte_array_append (ctx->run->callee, map.data, map.size);
    gst_buffer_unmap (buffer, &map);
  }
  if (!ctx->realtime && !ctx->quit_posted && ctx->run->callee->len >= ctx->want_bytes) {
    ctx->quit_posted = TRUE;
    g_idle_add (quit_idle, ctx->loop);
  }
  return GST_FLOW_OK;
}

static gboolean
on_bus (GstBus     *bus,
        GstMessage *message,
        gpointer    data)
{
  RunCtx *ctx = data;

  switch (GST_MESSAGE_TYPE (message)) {
  case GST_MESSAGE_EOS:
    g_main_loop_quit (ctx->loop);
    break;
  case GST_MESSAGE_ERROR: {
    g_autoptr(GError) error = NULL;
    g_autofree char *debug = NULL;

    gst_message_parse_error (message, &error, &debug);
    g_printerr ("# pipeline error: %s (%s)\n", error->message, debug ? debug : "");
    g_main_loop_quit (ctx->loop);
    break;
  }
  default:
    break;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_run_timeout (gpointer data)
{
  g_main_loop_quit (data);
  /* Kept until tb_endpoint_run removes it, so its id stays valid. */
  return G_SOURCE_CONTINUE;
}

static void
on_call_ended (TbCall     *call,
               GParamSpec *pspec,
               RunCtx     *ctx)
{
  /* The callee's EOS ends the run; a call ended from our side has none. */
  if (tb_call_get_state (call) == TB_CALL_STATE_ENDED && ctx->end_timeout_id == 0)
    ctx->end_timeout_id = g_timeout_add (200, on_run_timeout, ctx->loop);
}

TbEndpointRun *
tb_endpoint_run (TbCall *call,
                 GBytes *bot_pcm,
                 GBytes *bot_pcm2,
                 guint   gap_ms,
                 guint   total_ms)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new (NULL);
  g_autoptr(GstCaps) caps = gst_caps_from_string (TB_CALL_AUDIO_CAPS);
  g_autoptr(GByteArray) bot = g_byte_array_new ();
  g_autoptr(GstBus) bus = NULL;
  GstElement *src, *sink, *bot_src, *callee_sink;
  TbEndpointRun *run = g_new0 (TbEndpointRun, 1);
  RunCtx ctx = { run, g_main_loop_new (NULL, FALSE), tb_call_is_realtime (call) };
  guint total_bytes = total_ms * 16;
  gint64 start;
  guint bus_id, timeout_id;
  gulong end_id;

  run->callee = g_byte_array_new ();
  if (bot_pcm != NULL)
    g_byte_array_append (bot, g_bytes_get_data (bot_pcm, NULL), g_bytes_get_size (bot_pcm));
  if (gap_ms > 0) {
    g_byte_array_set_size (bot, bot->len + gap_ms * 16);
    memset (bot->data + bot->len - gap_ms * 16, 0, gap_ms * 16);
  }
  if (bot_pcm2 != NULL)
    g_byte_array_append (bot, g_bytes_get_data (bot_pcm2, NULL), g_bytes_get_size (bot_pcm2));
  if (bot->len < total_bytes) {
    guint old = bot->len;

    g_byte_array_set_size (bot, total_bytes);
    memset (bot->data + old, 0, total_bytes - old);
  }
  g_byte_array_set_size (bot, total_bytes - total_bytes % 320);
  run->bot_samples = bot->len / 2;
  ctx.want_bytes = bot->len;

  src = tb_call_get_audio_source (call);
  sink = tb_call_get_audio_sink (call);
  g_assert_nonnull (src);
  g_assert_nonnull (sink);
  bot_src = gst_element_factory_make ("appsrc", NULL);
  g_object_set (bot_src, "caps", caps, "format", GST_FORMAT_TIME, "is-live", ctx.realtime,
                "do-timestamp", ctx.realtime, NULL);
  callee_sink = gst_element_factory_make ("appsink", NULL);
  g_object_set (callee_sink, "sync", FALSE, "emit-signals", TRUE, "async", FALSE, NULL);
  g_signal_connect (callee_sink, "new-sample", G_CALLBACK (on_callee_sample), &ctx);
  gst_bin_add_many (GST_BIN (pipeline), bot_src, sink, src, callee_sink, NULL);
  g_assert_true (gst_element_link (bot_src, sink));
  g_assert_true (gst_element_link (src, callee_sink));

  bus = gst_element_get_bus (pipeline);
  bus_id = gst_bus_add_watch (bus, on_bus, &ctx);
  end_id = g_signal_connect (call, "notify::state", G_CALLBACK (on_call_ended), &ctx);
  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  if (ctx.realtime) {
    /* Feed like a clocked player: 20 ms per 20 ms. */
    gint64 next = g_get_monotonic_time ();

    for (guint off = 0; off < bot->len && tb_call_get_state (call) != TB_CALL_STATE_ENDED;
         off += 320) {
      GstBuffer *b = gst_buffer_new_memdup (bot->data + off, 320);

      gst_app_src_push_buffer (GST_APP_SRC (bot_src), b);
      next += 20000;
      while (g_get_monotonic_time () < next) {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (2000);
      }
    }
    timeout_id = g_timeout_add (300, on_run_timeout, ctx.loop);
  } else {
    for (guint off = 0; off < bot->len; off += 320) {
      GstBuffer *b = gst_buffer_new_memdup (bot->data + off, 320);

      GST_BUFFER_PTS (b) = (off / 320) * 20 * GST_MSECOND;
      GST_BUFFER_DURATION (b) = 20 * GST_MSECOND;
      gst_app_src_push_buffer (GST_APP_SRC (bot_src), b);
    }
    gst_app_src_end_of_stream (GST_APP_SRC (bot_src));
    timeout_id = g_timeout_add (60000, on_run_timeout, ctx.loop);
  }
  /* Fast: ends when the callee's EOS (after its last frame) or the call ends. */
  if (!ctx.realtime) {
    g_main_loop_run (ctx.loop);
  } else if (tb_call_get_state (call) != TB_CALL_STATE_ENDED) {
    g_main_loop_run (ctx.loop);
  }
  run->wall_us = g_get_monotonic_time () - start;
  run->callee_eos = FALSE;
  g_clear_handle_id (&timeout_id, g_source_remove);
  g_clear_handle_id (&ctx.end_timeout_id, g_source_remove);
  g_signal_handler_disconnect (call, end_id);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_source_remove (bus_id);
  /* The bins belong to the call: take them back out of the pipeline. */
  gst_bin_remove_many (GST_BIN (pipeline), sink, src, NULL);
  g_main_loop_unref (ctx.loop);
  return run;
}

void
tb_endpoint_run_free (TbEndpointRun *run)
{
  g_byte_array_unref (run->callee);
  g_clear_pointer (&run->caps, gst_caps_unref);
  g_free (run);
}

static double
frame_rms (const gint16 *s)
{
  double e = 0;

  for (int i = 0; i < 160; i++)
    e += (double) s[i] * s[i];
  return sqrt (e / 160);
}

gint64
tb_pcm_first_voiced (GByteArray *pcm,
                     guint64     from_frame,
                     double      rms)
{
  guint64 n = pcm->len / 320;

  for (guint64 i = from_frame; i < n; i++)
    if (frame_rms ((const gint16 *) (pcm->data + i * 320)) > rms)
      return i;
  return -1;
}

guint
tb_pcm_count_voiced (GByteArray *pcm,
                     double      rms)
{
  guint n = 0;

  for (guint64 i = 0; i < pcm->len / 320; i++)
    if (frame_rms ((const gint16 *) (pcm->data + i * 320)) > rms)
      n++;
  return n;
}

guint16
tb_test_free_port (gboolean pair)
{
  for (int attempt = 0; attempt < 50; attempt++) {
    g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                         G_SOCKET_PROTOCOL_UDP, NULL);
    g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    guint16 port;

    g_assert_true (g_socket_bind (s, any, FALSE, NULL));
    bound = g_socket_get_local_address (s, NULL);
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
    if (port % 2 != 0 || port > 65000)
      continue;
    {
      /* The neighbour and TCP on the same number must be free as well. */
      g_autoptr(GSocket) t = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                           G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr(GSocket) u = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                           G_SOCKET_PROTOCOL_UDP, NULL);
      g_autoptr(GSocketAddress) a = g_inet_socket_address_new (lo, port);
      g_autoptr(GSocketAddress) b = g_inet_socket_address_new (lo, port + 1);

      if (!g_socket_bind (t, a, FALSE, NULL))
        continue;
      if (pair && !g_socket_bind (u, b, FALSE, NULL))
        continue;
    }
    return port;
  }
  g_assert_not_reached ();
  return 0;
}
