/* tb-test-endpoint.c — a call's audio endpoint for tests and benchmarks: appsrc/appsink bins
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-test-endpoint.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <string.h>

struct _TbTestEndpoint
{
  gboolean realtime;
  gint64 max_samples;
  GstElement *src_bin, *sink_bin;
  GstElement *appsrc, *appsink;
  GMutex lock;
  GArray *timeline;   /* callee audio to send */
  GArray *bot;        /* bot audio received */
  gint64 pos;         /* callee samples sent */
  gboolean done;
  TbTestEndpointFrameFunc func;
  gpointer func_data;
};

static GstCaps *
caps (void)
{
  return gst_caps_from_string ("audio/x-raw,format=S16LE,rate=8000,channels=1,"
                               "layout=interleaved");
}

static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    data)
{
  TbTestEndpoint *ep = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *out;
  GstMapInfo map, omap;
  guint n;
  gint64 pos;
  gboolean last;

  if (sample == NULL)
    return GST_FLOW_EOS;
  gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
  n = map.size / 2;
  g_mutex_lock (&ep->lock);
  if (ep->done) {
    g_mutex_unlock (&ep->lock);
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    return GST_FLOW_OK;
  }
  g_array_append_vals (ep->bot, map.data, n);
  pos = ep->pos;
  g_mutex_unlock (&ep->lock);
  if (ep->func != NULL)
    ep->func (ep, pos, (const gint16 *) map.data, n, ep->func_data);
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);

  out = gst_buffer_new_allocate (NULL, n * 2, NULL);
  gst_buffer_map (out, &omap, GST_MAP_WRITE);
  memset (omap.data, 0, n * 2);
  g_mutex_lock (&ep->lock);
  for (guint i = 0; i < n; i++) {
    gint64 k = ep->pos + i;

    if (k < ep->timeline->len)
      ((gint16 *) omap.data)[i] = g_array_index (ep->timeline, gint16, k);
  }
  GST_BUFFER_PTS (out) = gst_util_uint64_scale (ep->pos, GST_SECOND, 8000);
  GST_BUFFER_DURATION (out) = gst_util_uint64_scale (n, GST_SECOND, 8000);
  ep->pos += n;
  last = ep->max_samples > 0 && ep->pos >= ep->max_samples;
  if (last)
    ep->done = TRUE;
  g_mutex_unlock (&ep->lock);
  gst_buffer_unmap (out, &omap);
  gst_app_src_push_buffer (GST_APP_SRC (ep->appsrc), out);
  if (last)
    gst_app_src_end_of_stream (GST_APP_SRC (ep->appsrc));
  return GST_FLOW_OK;
}

TbTestEndpoint *
tb_test_endpoint_new (gboolean realtime,
                      gint64   max_samples)
{
  TbTestEndpoint *ep = g_new0 (TbTestEndpoint, 1);
  g_autoptr(GstCaps) c = caps ();
  GstAppSinkCallbacks cb = { .new_sample = on_new_sample };
  GstPad *pad;

  g_mutex_init (&ep->lock);
  ep->realtime = realtime;
  ep->max_samples = max_samples;
  ep->timeline = g_array_new (FALSE, TRUE, sizeof (gint16));
  ep->bot = g_array_new (FALSE, FALSE, sizeof (gint16));

  ep->src_bin = gst_object_ref_sink (gst_bin_new ("test-line-source"));
  ep->appsrc = gst_element_factory_make ("appsrc", NULL);
  g_object_set (ep->appsrc, "caps", c, "format", GST_FORMAT_TIME, "is-live", realtime,
                "max-bytes", (guint64) 0, NULL);
  gst_bin_add (GST_BIN (ep->src_bin), ep->appsrc);
  pad = gst_element_get_static_pad (ep->appsrc, "src");
  gst_element_add_pad (ep->src_bin, gst_ghost_pad_new ("src", pad));
  gst_object_unref (pad);

  ep->sink_bin = gst_object_ref_sink (gst_bin_new ("test-line-sink"));
  ep->appsink = gst_element_factory_make ("appsink", NULL);
  g_object_set (ep->appsink, "caps", c, "sync", realtime, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (ep->appsink), &cb, ep, NULL);
  gst_bin_add (GST_BIN (ep->sink_bin), ep->appsink);
  pad = gst_element_get_static_pad (ep->appsink, "sink");
  gst_element_add_pad (ep->sink_bin, gst_ghost_pad_new ("sink", pad));
  gst_object_unref (pad);
  return ep;
}

void
tb_test_endpoint_free (TbTestEndpoint *ep)
{
  gst_object_unref (ep->src_bin);
  gst_object_unref (ep->sink_bin);
  g_array_unref (ep->timeline);
  g_array_unref (ep->bot);
  g_mutex_clear (&ep->lock);
  g_free (ep);
}

GstElement *
tb_test_endpoint_get_source (TbTestEndpoint *ep)
{
  return ep->src_bin;
}

GstElement *
tb_test_endpoint_get_sink (TbTestEndpoint *ep)
{
  return ep->sink_bin;
}

void
tb_test_endpoint_say_at (TbTestEndpoint *ep,
                         gint64          at,
                         GBytes         *pcm)
{
  gsize len;
  const gint16 *s = g_bytes_get_data (pcm, &len);

  len /= 2;
  g_mutex_lock (&ep->lock);
  if (ep->timeline->len < at + len)
    g_array_set_size (ep->timeline, at + len);
  for (gsize i = 0; i < len; i++) {
    gint16 *d = &g_array_index (ep->timeline, gint16, at + i);

    *d = (gint16) CLAMP ((int) *d + s[i], G_MININT16, G_MAXINT16);
  }
  g_mutex_unlock (&ep->lock);
}

void
tb_test_endpoint_set_frame_func (TbTestEndpoint          *ep,
                                 TbTestEndpointFrameFunc  func,
                                 gpointer                 data)
{
  ep->func = func;
  ep->func_data = data;
}

GBytes *
tb_test_endpoint_dup_bot (TbTestEndpoint *ep)
{
  GBytes *b;

  g_mutex_lock (&ep->lock);
  b = g_bytes_new (ep->bot->data, ep->bot->len * 2);
  g_mutex_unlock (&ep->lock);
  return b;
}

GBytes *
tb_test_endpoint_dup_callee (TbTestEndpoint *ep)
{
  GBytes *b;

  g_mutex_lock (&ep->lock);
  b = g_bytes_new (ep->timeline->data, MIN (ep->pos, (gint64) ep->timeline->len) * 2);
  g_mutex_unlock (&ep->lock);
  return b;
}

gint64
tb_test_endpoint_get_position (TbTestEndpoint *ep)
{
  gint64 p;

  g_mutex_lock (&ep->lock);
  p = ep->pos;
  g_mutex_unlock (&ep->lock);
  return p;
}

gboolean
tb_test_endpoint_is_done (TbTestEndpoint *ep)
{
  gboolean d;

  g_mutex_lock (&ep->lock);
  d = ep->done;
  g_mutex_unlock (&ep->lock);
  return d;
}
