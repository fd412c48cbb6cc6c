/* tb-clocked-source.c — a line's callee audio as one 20 ms frame per 20 ms of the clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * audiotestsrc (live, silence, 160 samples a buffer) ticks with the pipeline clock; a probe on
 * its pad replaces each buffer's samples with the backend's frame.
 */
#define G_LOG_DOMAIN "tb-clocked-source"

#include "config.h"

#include "tb-clocked-source.h"
#include "tb-call.h"

typedef struct {
  TbClockedPullFunc pull;
  gpointer          user_data;
  GDestroyNotify    destroy;
} Puller;

static void
puller_free (gpointer data)
{
  Puller *p = data;

  if (p->destroy != NULL)
    p->destroy (p->user_data);
  g_free (p);
}

static GstPadProbeReturn
on_tick (GstPad          *pad,
         GstPadProbeInfo *info,
         gpointer         data)
{
  Puller *p = data;
  GstBuffer *buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GstMapInfo map;

  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (gst_buffer_map (buffer, &map, GST_MAP_WRITE)) {
    if (map.size == TB_CLOCKED_FRAME * sizeof (gint16)) {
      gint16 *frame = (gint16 *) map.data;

      p->pull (frame, p->user_data);
      for (guint i = 0; i < TB_CLOCKED_FRAME; i++)
        frame[i] = GINT16_TO_LE (frame[i]);
    }
    gst_buffer_unmap (buffer, &map);
  }
  return GST_PAD_PROBE_OK;
}

GstElement *
tb_clocked_source_new (const char        *name,
                       TbClockedPullFunc  pull,
                       gpointer           user_data,
                       GDestroyNotify     destroy)
{
  g_autoptr(GstCaps) caps = gst_caps_from_string (TB_CALL_AUDIO_CAPS);
  g_autoptr(GstPad) tick = NULL;
  g_autoptr(GstPad) out = NULL;
  GstElement *bin = gst_bin_new (name);
  GstElement *src = gst_element_factory_make ("audiotestsrc", "tick");
  GstElement *filter = gst_element_factory_make ("capsfilter", NULL);
  Puller *p = g_new0 (Puller, 1);

  g_return_val_if_fail (pull != NULL, NULL);
  if (src == NULL || filter == NULL)
    g_error ("GStreamer's audiotestsrc or capsfilter is missing");
  p->pull = pull;
  p->user_data = user_data;
  p->destroy = destroy;
  /* wave 4: silence. One 20 ms buffer per 20 ms of the clock, timestamped by it. */
  g_object_set (src, "is-live", TRUE, "wave", 4, "samplesperbuffer", TB_CLOCKED_FRAME, NULL);
  g_object_set (filter, "caps", caps, NULL);
  gst_bin_add_many (GST_BIN (bin), src, filter, NULL);
  gst_element_link (src, filter);
  tick = gst_element_get_static_pad (src, "src");
  gst_pad_add_probe (tick, GST_PAD_PROBE_TYPE_BUFFER, on_tick, p, puller_free);
  out = gst_element_get_static_pad (filter, "src");
  gst_element_add_pad (bin, gst_ghost_pad_new ("src", out));
  return bin;
}

void
tb_clocked_source_end (GstElement *source)
{
  g_autoptr(GstElement) tick = NULL;

  g_return_if_fail (GST_IS_BIN (source));
  tick = gst_bin_get_by_name (GST_BIN (source), "tick");
  /* A source handles an EOS event sent to it by ending its stream. */
  if (tick != NULL)
    gst_element_send_event (tick, gst_event_new_eos ());
}
