/* tb-modem-audio.c — a modem's PCM voice port as the call's audio endpoint bins
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The port is read on the main loop (it is a tty: reads never block there) and cut into
 * 20 ms buffers pushed into an appsrc; the appsink's streaming thread writes the bot's voice
 * to the port, paced by the pipeline clock (sync=TRUE).
 */
#define G_LOG_DOMAIN "tb-modem-audio"

#include "config.h"

#include "tb-modem-audio.h"
#include "tb-at-channel.h"

#include <errno.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#define FRAME_BYTES 320  /* 20 ms at 8 kHz S16 mono */

/* What the appsink's streaming thread touches, refcounted apart from the GObject so a
 * pipeline that outlives the call never writes through freed memory. */
typedef struct {
  gatomicrefcount  ref;
  GMutex           lock;
  int              fd;
  gboolean         flowing;
  guint64          bytes_out;
} Port;

struct _TbModemAudio
{
  GObject      parent_instance;

  char        *path;
  Port        *port;         /* shared with the appsink's callbacks */
  guint8       frame[FRAME_BYTES];
  gsize        frame_len;
  guint64      bytes_in;
  gboolean     ended;        /* the port was closed after it had been opened */

  GstElement  *source;       /* owned bins */
  GstElement  *appsrc;       /* borrowed from source */
  GstElement  *sink;
  GstElement  *appsink;      /* borrowed from sink */

  guint        read_id;
};

G_DEFINE_FINAL_TYPE (TbModemAudio, tb_modem_audio, G_TYPE_OBJECT)

enum {
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static Port *
port_ref (Port *port)
{
  g_atomic_ref_count_inc (&port->ref);
  return port;
}

static void
port_unref (gpointer data)
{
  Port *port = data;

  if (!g_atomic_ref_count_dec (&port->ref))
    return;
  if (port->fd >= 0)
    close (port->fd);
  g_mutex_clear (&port->lock);
  g_free (port);
}

static void
push_frame (TbModemAudio *self)
{
  GstBuffer *buffer = gst_buffer_new_memdup (self->frame, FRAME_BYTES);

  GST_BUFFER_DURATION (buffer) = 20 * GST_MSECOND;
  gst_app_src_push_buffer (GST_APP_SRC (self->appsrc), buffer);
}

static void close_port (TbModemAudio *self);

static gboolean
on_readable (GIOChannel   *source,
             GIOCondition  condition,
             gpointer      user_data)
{
  TbModemAudio *self = user_data;
  guint8 buf[1024];
  ssize_t n = read (self->port->fd, buf, sizeof buf);

  if (n > 0) {
    if (!self->port->flowing)
      return G_SOURCE_CONTINUE;
    self->bytes_in += n;
    if (self->appsrc == NULL)
      return G_SOURCE_CONTINUE;  /* nobody took the source bin: the audio is not wanted */
    for (ssize_t i = 0; i < n;) {
      gsize take = MIN ((gsize) (n - i), FRAME_BYTES - self->frame_len);

      memcpy (self->frame + self->frame_len, buf + i, take);
      self->frame_len += take;
      i += take;
      if (self->frame_len == FRAME_BYTES) {
        push_frame (self);
        self->frame_len = 0;
      }
    }
    return G_SOURCE_CONTINUE;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR) && !(condition & (G_IO_HUP | G_IO_ERR)))
    return G_SOURCE_CONTINUE;

  self->read_id = 0;
  g_debug ("%s: the PCM port went away", self->path);
  g_object_ref (self);
  close_port (self);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static GstFlowReturn
on_new_sample (GstAppSink *appsink,
               gpointer    user_data)
{
  Port *port = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);
  GstBuffer *buffer;
  GstMapInfo map;
  gsize done = 0;

  if (sample == NULL)
    return GST_FLOW_EOS;
  buffer = gst_sample_get_buffer (sample);
  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_OK;

  g_mutex_lock (&port->lock);
  /* A tty may take a frame in pieces; wait a little for room rather than cut a sample in
   * half, and drop the frame if the modem stopped reading. */
  while (port->fd >= 0 && port->flowing && done < map.size) {
    ssize_t n = write (port->fd, map.data + done, map.size - done);

    if (n > 0) {
      done += n;
    } else if (n < 0 && errno == EAGAIN) {
      struct pollfd pfd = { .fd = port->fd, .events = POLLOUT };

      if (poll (&pfd, 1, 40) <= 0)
        break;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  port->bytes_out += done;
  g_mutex_unlock (&port->lock);
  gst_buffer_unmap (buffer, &map);
  return GST_FLOW_OK;
}

static void
close_port (TbModemAudio *self)
{
  g_clear_handle_id (&self->read_id, g_source_remove);
  g_mutex_lock (&self->port->lock);
  self->port->flowing = FALSE;
  if (self->port->fd >= 0) {
    close (self->port->fd);
    self->port->fd = -1;
    self->ended = TRUE;
  }
  g_mutex_unlock (&self->port->lock);
  self->frame_len = 0;
  if (self->appsrc != NULL)
    gst_app_src_end_of_stream (GST_APP_SRC (self->appsrc));
}

static GstElement *
make_bin (const char  *name,
          GstElement  *inner,
          const char  *ghost_name)
{
  GstElement *bin = gst_bin_new (name);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (inner, ghost_name);

  gst_bin_add (GST_BIN (bin), inner);
  gst_element_add_pad (bin, gst_ghost_pad_new (ghost_name, pad));
  return gst_object_ref_sink (bin);
}

static void
tb_modem_audio_dispose (GObject *object)
{
  TbModemAudio *self = TB_MODEM_AUDIO (object);

  close_port (self);
  if (self->appsink != NULL)
    gst_app_sink_set_callbacks (GST_APP_SINK (self->appsink), &(GstAppSinkCallbacks) { 0 },
                                NULL, NULL);
  self->appsrc = NULL;
  self->appsink = NULL;
  g_clear_pointer (&self->source, gst_object_unref);
  g_clear_pointer (&self->sink, gst_object_unref);
  G_OBJECT_CLASS (tb_modem_audio_parent_class)->dispose (object);
}

static void
tb_modem_audio_finalize (GObject *object)
{
  TbModemAudio *self = TB_MODEM_AUDIO (object);

  g_clear_pointer (&self->port, port_unref);
  g_free (self->path);
  G_OBJECT_CLASS (tb_modem_audio_parent_class)->finalize (object);
}

static void
tb_modem_audio_class_init (TbModemAudioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_modem_audio_dispose;
  object_class->finalize = tb_modem_audio_finalize;

  /* The PCM port went away by itself (unplugged, modem reset). */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tb_modem_audio_init (TbModemAudio *self)
{
  self->port = g_new0 (Port, 1);
  g_atomic_ref_count_init (&self->port->ref);
  g_mutex_init (&self->port->lock);
  self->port->fd = -1;
}

TbModemAudio *
tb_modem_audio_new (const char *path)
{
  TbModemAudio *self;

  g_return_val_if_fail (path != NULL, NULL);
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  self = g_object_new (TB_TYPE_MODEM_AUDIO, NULL);
  self->path = g_strdup (path);
  return self;
}

const char *
tb_modem_audio_get_path (TbModemAudio *self)
{
  g_return_val_if_fail (TB_IS_MODEM_AUDIO (self), NULL);
  return self->path;
}

gboolean
tb_modem_audio_open (TbModemAudio  *self,
                     GError       **error)
{
  g_autoptr(GIOChannel) io = NULL;
  int fd;

  g_return_val_if_fail (TB_IS_MODEM_AUDIO (self), FALSE);

  close_port (self);
  if ((fd = tb_at_channel_open_tty (self->path, error)) < 0) {
    g_prefix_error (error, "PCM audio port: ");
    return FALSE;
  }
  g_mutex_lock (&self->port->lock);
  self->port->fd = fd;
  self->ended = FALSE;
  g_mutex_unlock (&self->port->lock);
  io = g_io_channel_unix_new (fd);
  self->read_id = g_io_add_watch (io, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, self);
  return TRUE;
}

void
tb_modem_audio_set_flowing (TbModemAudio *self,
                            gboolean      flowing)
{
  g_return_if_fail (TB_IS_MODEM_AUDIO (self));

  g_mutex_lock (&self->port->lock);
  self->port->flowing = flowing && self->port->fd >= 0;
  g_mutex_unlock (&self->port->lock);
}

void
tb_modem_audio_close (TbModemAudio *self)
{
  g_return_if_fail (TB_IS_MODEM_AUDIO (self));
  close_port (self);
}

GstElement *
tb_modem_audio_get_source (TbModemAudio *self)
{
  g_return_val_if_fail (TB_IS_MODEM_AUDIO (self), NULL);

  if (self->source == NULL) {
    g_autoptr(GstCaps) caps = gst_caps_from_string (TB_MODEM_AUDIO_CAPS);
    GstElement *appsrc = gst_element_factory_make ("appsrc", "appsrc");

    GstElement *filter = gst_element_factory_make ("capsfilter", "caps");

    g_object_set (appsrc,
                  "caps", caps,
                  "format", GST_FORMAT_TIME,
                  "is-live", TRUE,
                  "do-timestamp", TRUE,
                  "max-bytes", (guint64) (FRAME_BYTES * 50),
                  NULL);
    /* The capsfilter answers caps queries with the fixed format before anything flows. */
    g_object_set (filter, "caps", caps, NULL);
    self->source = make_bin ("modem-audio-source", filter, "src");
    gst_bin_add (GST_BIN (self->source), appsrc);
    gst_element_link (appsrc, filter);
    self->appsrc = appsrc;
    if (self->ended)
      gst_app_src_end_of_stream (GST_APP_SRC (appsrc));
  }
  return self->source;
}

GstElement *
tb_modem_audio_get_sink (TbModemAudio *self)
{
  g_return_val_if_fail (TB_IS_MODEM_AUDIO (self), NULL);

  if (self->sink == NULL) {
    g_autoptr(GstCaps) caps = gst_caps_from_string (TB_MODEM_AUDIO_CAPS);
    GstElement *appsink = gst_element_factory_make ("appsink", "appsink");
    GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };

    g_object_set (appsink,
                  "caps", caps,
                  "sync", TRUE,
                  "max-buffers", 10,
                  "drop", TRUE,
                  NULL);
    gst_app_sink_set_callbacks (GST_APP_SINK (appsink), &callbacks, port_ref (self->port),
                                port_unref);
    self->sink = make_bin ("modem-audio-sink", appsink, "sink");
    self->appsink = appsink;
  }
  return self->sink;
}

guint64
tb_modem_audio_get_bytes_in (TbModemAudio *self)
{
  g_return_val_if_fail (TB_IS_MODEM_AUDIO (self), 0);
  return self->bytes_in;
}

guint64
tb_modem_audio_get_bytes_out (TbModemAudio *self)
{
  guint64 n;

  g_return_val_if_fail (TB_IS_MODEM_AUDIO (self), 0);
  g_mutex_lock (&self->port->lock);
  n = self->port->bytes_out;
  g_mutex_unlock (&self->port->lock);
  return n;
}
