/* tb-recording-player.c — play a call's recording on the desk's speakers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A playbin whose audio sink is TELEBOT_AUDIOSINK when set (tests use
 * fakesink), else autoaudiosink. Position is polled at 10 Hz while playing
 * and published as the "position" property for the waveform's playhead.
 */
#define G_LOG_DOMAIN "tb-recording-player"

#include "config.h"

#include <gst/gst.h>
#include <string.h>

#include "tb-recording-player.h"

struct _TbRecordingPlayer
{
  GObject     parent_instance;

  /* owned */
  GstElement *playbin;
  gint64      position;
  gint64      duration;
  gboolean    playing;

  /* sources */
  guint       poll_id;
  guint       bus_watch_id;
};

G_DEFINE_FINAL_TYPE (TbRecordingPlayer, tb_recording_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_DURATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_playing (TbRecordingPlayer *self,
             gboolean           playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static gboolean
poll_cb (gpointer data)
{
  TbRecordingPlayer *self = data;
  gint64 pos = 0, dur = 0;

  if (gst_element_query_duration (self->playbin, GST_FORMAT_TIME, &dur) && dur > 0 &&
      dur / 1000 != self->duration) {
    self->duration = dur / 1000;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
  }
  if (gst_element_query_position (self->playbin, GST_FORMAT_TIME, &pos) &&
      pos / 1000 != self->position) {
    self->position = pos / 1000;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    data)
{
  TbRecordingPlayer *self = data;

  switch (GST_MESSAGE_TYPE (message)) {
  case GST_MESSAGE_EOS:
    tb_recording_player_pause (self);
    tb_recording_player_seek (self, 0);
    break;
  case GST_MESSAGE_ERROR: {
    g_autoptr(GError) error = NULL;

    gst_message_parse_error (message, &error, NULL);
    g_debug ("playback stopped: %s", error->message);
    tb_recording_player_pause (self);
    break;
  }
  default:
    break;
  }
  return G_SOURCE_CONTINUE;
}

static void
tb_recording_player_dispose (GObject *object)
{
  TbRecordingPlayer *self = TB_RECORDING_PLAYER (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->bus_watch_id, g_source_remove);
  if (self->playbin != NULL) {
    gst_element_set_state (self->playbin, GST_STATE_NULL);
    gst_clear_object (&self->playbin);
  }

  G_OBJECT_CLASS (tb_recording_player_parent_class)->dispose (object);
}

static void
tb_recording_player_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TbRecordingPlayer *self = TB_RECORDING_PLAYER (object);

  switch (prop_id) {
  case PROP_PLAYING:
    g_value_set_boolean (value, self->playing);
    break;
  case PROP_POSITION:
    g_value_set_int64 (value, self->position);
    break;
  case PROP_DURATION:
    g_value_set_int64 (value, self->duration);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_recording_player_class_init (TbRecordingPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_recording_player_dispose;
  object_class->get_property = tb_recording_player_get_property;

  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_recording_player_init (TbRecordingPlayer *self)
{
}

TbRecordingPlayer *
tb_recording_player_new (void)
{
  return g_object_new (TB_TYPE_RECORDING_PLAYER, NULL);
}

gboolean
tb_recording_player_open (TbRecordingPlayer  *self,
                          const char         *path,
                          GError            **error)
{
  const char *sink_desc = g_getenv ("TELEBOT_AUDIOSINK");
  g_autofree char *uri = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *sink;

  g_return_val_if_fail (TB_IS_RECORDING_PLAYER (self), FALSE);

  if (!gst_init_check (NULL, NULL, error))
    return FALSE;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no such recording", path);
    return FALSE;
  }

  g_clear_handle_id (&self->bus_watch_id, g_source_remove);
  if (self->playbin != NULL) {
    gst_element_set_state (self->playbin, GST_STATE_NULL);
    gst_clear_object (&self->playbin);
  }

  self->playbin = gst_element_factory_make ("playbin", NULL);
  sink = gst_parse_bin_from_description (sink_desc && *sink_desc ? sink_desc : "autoaudiosink",
                                         TRUE, error);
  if (self->playbin == NULL || sink == NULL) {
    g_prefix_error (error, "cannot play recordings: ");
    gst_clear_object (&self->playbin);
    return FALSE;
  }
  uri = g_filename_to_uri (path, NULL, NULL);
  g_object_set (self->playbin, "uri", uri, "audio-sink", sink, "flags", 0x2 /* audio */, NULL);

  bus = gst_element_get_bus (self->playbin);
  self->bus_watch_id = gst_bus_add_watch_full (bus, G_PRIORITY_DEFAULT, on_bus_message,
                                               g_object_ref (self), g_object_unref);
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
  self->position = 0;
  self->duration = 0;
  return TRUE;
}

void
tb_recording_player_play (TbRecordingPlayer *self)
{
  g_return_if_fail (TB_IS_RECORDING_PLAYER (self));

  if (self->playbin == NULL)
    return;
  gst_element_set_state (self->playbin, GST_STATE_PLAYING);
  if (self->poll_id == 0)
    self->poll_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 100, poll_cb,
                                        g_object_ref (self), g_object_unref);
  set_playing (self, TRUE);
}

void
tb_recording_player_pause (TbRecordingPlayer *self)
{
  g_return_if_fail (TB_IS_RECORDING_PLAYER (self));

  if (self->playbin == NULL)
    return;
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  set_playing (self, FALSE);
}

void
tb_recording_player_seek (TbRecordingPlayer *self,
                          gint64             position_us)
{
  g_return_if_fail (TB_IS_RECORDING_PLAYER (self));

  if (self->playbin == NULL)
    return;
  gst_element_seek_simple (self->playbin, GST_FORMAT_TIME,
                           GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                           MAX (position_us, 0) * 1000);
  self->position = MAX (position_us, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

gboolean
tb_recording_player_get_playing (TbRecordingPlayer *self)
{
  g_return_val_if_fail (TB_IS_RECORDING_PLAYER (self), FALSE);

  return self->playing;
}

gint64
tb_recording_player_get_position (TbRecordingPlayer *self)
{
  g_return_val_if_fail (TB_IS_RECORDING_PLAYER (self), 0);

  return self->position;
}

gint64
tb_recording_player_get_duration (TbRecordingPlayer *self)
{
  g_return_val_if_fail (TB_IS_RECORDING_PLAYER (self), 0);

  return self->duration;
}

/* A RIFF/WAVE reader for the one format Telebot records: 16-bit PCM. */
GArray *
tb_recording_read_peaks (const char  *path,
                         guint        n_buckets,
                         gint64      *duration_us,
                         GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  const guint8 *data, *end, *p;
  guint channels = 0, rate = 0, bits = 0;
  const gint16 *samples = NULL;
  gsize n_samples = 0;
  GArray *peaks;

  g_return_val_if_fail (n_buckets > 0, NULL);

  if ((file = g_mapped_file_new (path, FALSE, error)) == NULL)
    return NULL;
  data = (const guint8 *) g_mapped_file_get_contents (file);
  end = data + g_mapped_file_get_length (file);

  if (end - data < 12 || memcmp (data, "RIFF", 4) != 0 || memcmp (data + 8, "WAVE", 4) != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a WAV file", path);
    return NULL;
  }
  for (p = data + 12; p + 8 <= end;) {
    guint32 size = GUINT32_FROM_LE (*(const guint32 *) (p + 4));
    const guint8 *body = p + 8;

    if (body + size > end)
      size = end - body;   /* a recording cut short by a crash is still readable */
    if (memcmp (p, "fmt ", 4) == 0 && size >= 16) {
      channels = GUINT16_FROM_LE (*(const guint16 *) (body + 2));
      rate = GUINT32_FROM_LE (*(const guint32 *) (body + 4));
      bits = GUINT16_FROM_LE (*(const guint16 *) (body + 14));
    } else if (memcmp (p, "data", 4) == 0) {
      samples = (const gint16 *) body;
      n_samples = size / 2;
    }
    p = body + size + (size & 1);
  }
  if (channels == 0 || rate == 0 || bits != 16 || samples == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: not a 16-bit PCM WAV file", path);
    return NULL;
  }

  peaks = g_array_sized_new (FALSE, TRUE, sizeof (float), n_buckets);
  g_array_set_size (peaks, n_buckets);
  for (gsize i = 0; i < n_samples; i++) {
    guint bucket = (guint) ((guint64) i * n_buckets / MAX (n_samples, 1));
    float v = ABS ((float) GINT16_FROM_LE (samples[i])) / 32768.0f;
    float *peak = &g_array_index (peaks, float, bucket);

    if (v > *peak)
      *peak = v;
  }
  if (duration_us != NULL)
    *duration_us = (gint64) (n_samples / channels) * G_USEC_PER_SEC / rate;
  return peaks;
}
