/* tb-desk-recorder.c — the desk microphone, recorded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-desk-recorder"

#include "config.h"

#include <gst/app/gstappsink.h>

#include "tb-desk-recorder.h"
#include "tb-media-session-private.h"
#include "tb-pcm.h"

struct _TbDeskRecorder
{
  GObject     parent_instance;

  GstElement *pipeline;
  GMutex      lock;
  GByteArray *pcm;       /* under lock: filled by the streaming thread */
  GError     *error;     /* under lock: the device's failure, if any */
};

G_DEFINE_FINAL_TYPE (TbDeskRecorder, tb_desk_recorder, G_TYPE_OBJECT)

static void
close_pipeline (TbDeskRecorder *self)
{
  if (self->pipeline == NULL)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
}

static void
tb_desk_recorder_finalize (GObject *object)
{
  TbDeskRecorder *self = TB_DESK_RECORDER (object);

  close_pipeline (self);
  g_clear_pointer (&self->pcm, g_byte_array_unref);
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tb_desk_recorder_parent_class)->finalize (object);
}

static void
tb_desk_recorder_class_init (TbDeskRecorderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_desk_recorder_finalize;
}

static void
tb_desk_recorder_init (TbDeskRecorder *self)
{
  g_mutex_init (&self->lock);
}

TbDeskRecorder *
tb_desk_recorder_new (void)
{
  return g_object_new (TB_TYPE_DESK_RECORDER, NULL);
}

static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    data)
{
  TbDeskRecorder *self = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buf = sample ? gst_sample_get_buffer (sample) : NULL;
  GstMapInfo map;

  if (buf == NULL || !gst_buffer_map (buf, &map, GST_MAP_READ))
    return GST_FLOW_OK;
  g_mutex_lock (&self->lock);
  if (self->pcm != NULL)
    g_byte_array_append (self->pcm, map.data, map.size);
  g_mutex_unlock (&self->lock);
  gst_buffer_unmap (buf, &map);
  return GST_FLOW_OK;
}

/* Runs on the streaming thread: a device that fails is kept to report at stop. */
static GstBusSyncReply
on_bus_sync (GstBus     *bus,
             GstMessage *message,
             gpointer    data)
{
  TbDeskRecorder *self = data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    GError *error = NULL;

    gst_message_parse_error (message, &error, NULL);
    g_mutex_lock (&self->lock);
    if (self->error == NULL)
      g_set_error (&self->error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DEVICE, "desk microphone: %s",
                   error->message);
    g_mutex_unlock (&self->lock);
    g_error_free (error);
  }
  return GST_BUS_DROP;
}

gboolean
tb_desk_recorder_start (TbDeskRecorder  *self,
                        GError         **error)
{
  GstAppSinkCallbacks cb = { .new_sample = on_new_sample };
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *src, *conv, *res, *sink;

  g_return_val_if_fail (TB_IS_DESK_RECORDER (self), FALSE);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  close_pipeline (self);
  if ((src = _tb_media_make_desk_element ("TELEBOT_AUDIOSRC", "autoaudiosrc", TRUE,
                                          error)) == NULL)
    return FALSE;
  caps = _tb_media_session_pcm_caps ();
  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("desk-recorder"));
  conv = gst_element_factory_make ("audioconvert", NULL);
  res = gst_element_factory_make ("audioresample", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  g_object_set (sink, "caps", caps, "sync", FALSE, "emit-signals", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &cb, self, NULL);
  gst_bin_add_many (GST_BIN (self->pipeline), src, conv, res, sink, NULL);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->pcm, g_byte_array_unref);
  g_clear_error (&self->error);
  self->pcm = g_byte_array_new ();
  g_mutex_unlock (&self->lock);
  bus = gst_element_get_bus (self->pipeline);
  gst_bus_set_sync_handler (bus, on_bus_sync, self, NULL);
  if (!gst_element_link_many (src, conv, res, sink, NULL) ||
      gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DEVICE,
                 "desk microphone: it cannot be opened");
    close_pipeline (self);
    return FALSE;
  }
  return TRUE;
}

gboolean
tb_desk_recorder_is_recording (TbDeskRecorder *self)
{
  g_return_val_if_fail (TB_IS_DESK_RECORDER (self), FALSE);
  return self->pipeline != NULL;
}

double
tb_desk_recorder_get_seconds (TbDeskRecorder *self)
{
  double seconds;

  g_return_val_if_fail (TB_IS_DESK_RECORDER (self), 0);
  g_mutex_lock (&self->lock);
  seconds = self->pcm != NULL ? self->pcm->len / 2.0 / TB_PCM_RATE : 0;
  g_mutex_unlock (&self->lock);
  return seconds;
}

GBytes *
tb_desk_recorder_stop (TbDeskRecorder  *self,
                       GError         **error)
{
  g_autoptr(GByteArray) pcm = NULL;
  g_autoptr(GError) failure = NULL;

  g_return_val_if_fail (TB_IS_DESK_RECORDER (self), NULL);

  close_pipeline (self);
  g_mutex_lock (&self->lock);
  pcm = g_steal_pointer (&self->pcm);
  failure = g_steal_pointer (&self->error);
  g_mutex_unlock (&self->lock);
  if (pcm == NULL || pcm->len < 2) {
    if (failure != NULL)
      g_propagate_error (error, g_steal_pointer (&failure));
    else
      g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DEVICE,
                   "desk microphone: nothing was recorded");
    return NULL;
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pcm));
}
