/* tb-media-session-desk.c — TbMediaSession at the desk: take-over and listen-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk microphone (autoaudiosrc, or TELEBOT_AUDIOSRC) and speakers (autoaudiosink, or
 * TELEBOT_AUDIOSINK) join a running call as branches of its pipeline, on demand.
 */
#define G_LOG_DOMAIN "tb-media-session"

#include "config.h"

#include "tb-media-session-private.h"

GstElement *
_tb_media_make_desk_element (const char  *env,
                             const char  *fallback,
                             gboolean     src,
                             GError     **error)
{
  const char *desc = g_getenv (env);
  GError *local = NULL;
  GstElement *e;

  if (desc != NULL && *desc != '\0')
    e = gst_parse_bin_from_description (desc, TRUE, &local);
  else
    e = gst_element_factory_make (fallback, NULL);
  if (e == NULL) {
    g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DEVICE, "%s “%s”: %s",
                 src ? "desk microphone" : "desk speakers", desc ? desc : fallback,
                 local ? local->message : "element missing");
    g_clear_error (&local);
  }
  return e;
}

static GstElement *
build_mic_bin (TbMediaSession  *self,
               GError         **error)
{
  GstAppSinkCallbacks cb = { .new_sample = _tb_media_session_on_mic_new_sample };
  g_autoptr(GstCaps) caps = _tb_media_session_pcm_caps ();
  GstElement *bin, *src, *conv, *res, *sink;

  if ((src = _tb_media_make_desk_element ("TELEBOT_AUDIOSRC", "autoaudiosrc", TRUE,
                                          error)) == NULL)
    return NULL;
  bin = gst_bin_new ("desk-mic");
  g_object_set (bin, "async-handling", TRUE, NULL);
  conv = gst_element_factory_make ("audioconvert", NULL);
  res = gst_element_factory_make ("audioresample", NULL);
  sink = gst_element_factory_make ("appsink", "mic");
  g_object_set (sink, "caps", caps, "sync", FALSE, "async", FALSE, "max-buffers", 20,
                "drop", TRUE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &cb, self, NULL);
  gst_bin_add_many (GST_BIN (bin), src, conv, res, sink, NULL);
  if (!gst_element_link_many (src, conv, res, sink, NULL)) {
    g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DEVICE,
                 "desk microphone: cannot convert its audio to 8 kHz mono");
    gst_object_unref (bin);
    return NULL;
  }
  return bin;
}

/* Straight to PLAYING: syncing with a pipeline still on its way there can leave the branch
 * behind in PAUSED, where a live source produces nothing. */
static gboolean
start_branch (GstElement *branch)
{
  return gst_element_set_state (branch, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE;
}

static void
remove_branch (TbMediaSession  *self,
               GstElement     **branch)
{
  if (*branch == NULL)
    return;
  gst_element_set_locked_state (*branch, TRUE);
  gst_element_set_state (*branch, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self->pipeline), *branch);
  *branch = NULL;
}

/* Take over: the bot falls silent (its prompts end as STOPPED) and the desk microphone
 * (autoaudiosrc, or TELEBOT_AUDIOSRC) goes to the callee instead. */
gboolean
tb_media_session_set_take_over (TbMediaSession  *self,
                                gboolean         take_over,
                                GError         **error)
{
  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), FALSE);

  take_over = !!take_over;
  if (take_over == (self->mic_bin != NULL))
    return TRUE;
  if (take_over) {
    GstElement *bin = build_mic_bin (self, error);

    if (bin == NULL)
      return FALSE;
    g_mutex_lock (&self->lock);
    _tb_media_session_drop_prompts_locked (self, 0, TB_PROMPT_END_STOPPED);
    g_array_set_size (self->mic_fifo, 0);
    self->taken_over = TRUE;
    g_mutex_unlock (&self->lock);
    gst_bin_add (GST_BIN (self->pipeline), bin);
    self->mic_bin = bin;
    if (self->running && !start_branch (bin)) {
      g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DEVICE,
                   "desk microphone: it would not start");
      g_mutex_lock (&self->lock);
      self->taken_over = FALSE;
      g_mutex_unlock (&self->lock);
      remove_branch (self, &self->mic_bin);
      return FALSE;
    }
  } else {
    g_mutex_lock (&self->lock);
    self->taken_over = FALSE;
    g_array_set_size (self->mic_fifo, 0);
    g_mutex_unlock (&self->lock);
    remove_branch (self, &self->mic_bin);
  }
  return TRUE;
}

gboolean
tb_media_session_get_take_over (TbMediaSession *self)
{
  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), FALSE);
  return self->mic_bin != NULL;
}

/* Listen-in: callee and bot mixed to the desk speakers (autoaudiosink, or TELEBOT_AUDIOSINK). */
gboolean
tb_media_session_set_listen_in (TbMediaSession  *self,
                                gboolean         listen_in,
                                GError         **error)
{
  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), FALSE);

  listen_in = !!listen_in;
  if (listen_in == (self->listen_bin != NULL))
    return TRUE;
  if (listen_in) {
    g_autoptr(GstCaps) caps = _tb_media_session_pcm_caps ();
    GstElement *bin, *src, *conv, *res, *sink;

    if ((sink = _tb_media_make_desk_element ("TELEBOT_AUDIOSINK", "autoaudiosink", FALSE,
                                             error)) == NULL)
      return FALSE;
    bin = gst_bin_new ("listen-in");
    /* The speakers' sink prerolls on its own: added to a playing call, it must not take the
     * whole pipeline back to PAUSED (which would stall the call's audio for good). */
    g_object_set (bin, "async-handling", TRUE, NULL);
    src = gst_element_factory_make ("appsrc", "listen");
    conv = gst_element_factory_make ("audioconvert", NULL);
    res = gst_element_factory_make ("audioresample", NULL);
    /* Live and leaky: the speakers never hold the call back, old audio is dropped. */
    g_object_set (src, "caps", caps, "format", GST_FORMAT_TIME, "is-live", TRUE,
                  "do-timestamp", TRUE, "max-bytes", (guint64) (TB_PCM_RATE / 2 * 2),
                  "leaky-type", 2 /* downstream: drop the oldest */, "block", FALSE, NULL);
    gst_bin_add_many (GST_BIN (bin), src, conv, res, sink, NULL);
    if (!gst_element_link_many (src, conv, res, sink, NULL)) {
      gst_object_unref (bin);
      g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DEVICE,
                   "desk speakers: cannot play 8 kHz mono audio");
      return FALSE;
    }
    gst_bin_add (GST_BIN (self->pipeline), bin);
    self->listen_bin = bin;
    if (self->running && !start_branch (bin)) {
      remove_branch (self, &self->listen_bin);
      g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DEVICE, "desk speakers: would not start");
      return FALSE;
    }
    g_mutex_lock (&self->lock);
    g_set_object (&self->listen_src, src);
    g_mutex_unlock (&self->lock);
  } else {
    g_mutex_lock (&self->lock);
    g_clear_object (&self->listen_src);
    g_mutex_unlock (&self->lock);
    remove_branch (self, &self->listen_bin);
  }
  return TRUE;
}

gboolean
tb_media_session_get_listen_in (TbMediaSession *self)
{
  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), FALSE);
  return self->listen_bin != NULL;
}
