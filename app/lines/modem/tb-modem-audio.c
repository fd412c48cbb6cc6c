/* tb-modem-audio.c — a modem's PCM voice port as the call's audio endpoint bins
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The port is read on the main loop (it is a tty: reads never block there) into a FIFO; a
 * clocked source takes one 20 ms frame from it per 20 ms of the pipeline clock (DESIGN.md §3),
 * so a port that stalls (USB hiccups, a modem that stops sending in silence) gives silence of
 * the right length and one that runs ahead has the excess dropped — logged once each, never a
 * drift of the call's timeline. The appsink's streaming thread writes the bot's voice to the
 * port, paced by the pipeline clock (sync=TRUE).
 */
#define G_LOG_DOMAIN "tb-modem-audio"

#include "config.h"

#include "tb-modem-audio.h"
#include "tb-at-channel.h"
#include "tb-clocked-source.h"

#include <errno.h>
#include <gst/app/gstappsink.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#define FRAME_BYTES 320  /* 20 ms at 8 kHz S16 mono */
#define FRAME_SAMPLES 160
#define FIFO_START (2 * FRAME_SAMPLES)  /* 40 ms buffered before playing: reads come in bursts */
#define FIFO_MAX (10 * FRAME_SAMPLES)   /* 200 ms: beyond, the port runs ahead of the clock */

/* The callee's samples between the port (main loop) and the clock (a streaming thread);
 * refcounted: the source bin may outlive the call. */
typedef struct {
  gatomicrefcount  ref;
  GMutex           lock;
  gint16           buf[FIFO_MAX + 1024];
  gsize            len;
  gboolean         playing;     /* FIFO_START reached since the last underrun */
  gboolean         ended;       /* the port closed: silence from now on */
  guint            underruns;
  guint            overruns;
  char            *path;        /* for the messages */
} Fifo;

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
  Fifo        *fifo;         /* shared with the clocked source */
  guint8       odd;          /* a byte of a sample split between two reads */
  gboolean     have_odd;
  guint64      bytes_in;
  gboolean     ended;        /* the port was closed after it had been opened */

  GstElement  *source;       /* owned bins */
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

static Fifo *
fifo_ref (Fifo *fifo)
{
  g_atomic_ref_count_inc (&fifo->ref);
  return fifo;
}

static void
fifo_unref (gpointer data)
{
  Fifo *fifo = data;

  if (!g_atomic_ref_count_dec (&fifo->ref))
    return;
  g_mutex_clear (&fifo->lock);
  g_free (fifo->path);
  g_free (fifo);
}

/* Main loop: samples as the port gives them. */
static void
fifo_push (Fifo         *fifo,
           const gint16 *samples,
           gsize         n)
{
  g_mutex_lock (&fifo->lock);
  for (gsize i = 0; i < n; i++)
    fifo->buf[fifo->len++] = GINT16_FROM_LE (samples[i]);
  if (fifo->len > FIFO_MAX) {
    /* The modem's clock runs ahead of ours: drop the oldest, keep the timeline. */
    gsize drop = fifo->len - FIFO_START;

    memmove (fifo->buf, fifo->buf + drop, (fifo->len - drop) * sizeof (gint16));
    fifo->len -= drop;
    if (fifo->overruns++ == 0)
      g_message ("%s: the PCM port runs ahead of the clock; dropping %" G_GSIZE_FORMAT
                 " ms (logged once)", fifo->path, drop / 8);
  }
  g_mutex_unlock (&fifo->lock);
}

/* Streaming thread, every 20 ms of the clock. */
static void
fifo_pull (gint16   *frame,
           gpointer  data)
{
  Fifo *fifo = data;

  g_mutex_lock (&fifo->lock);
  if (!fifo->playing && fifo->len >= FIFO_START)
    fifo->playing = TRUE;
  if (fifo->playing && fifo->len >= FRAME_SAMPLES) {
    memcpy (frame, fifo->buf, FRAME_SAMPLES * sizeof (gint16));
    memmove (fifo->buf, fifo->buf + FRAME_SAMPLES, (fifo->len - FRAME_SAMPLES) * sizeof (gint16));
    fifo->len -= FRAME_SAMPLES;
  } else {
    /* Nothing from the port for this frame: silence of its length, and wait for a little
     * audio before playing again. */
    memset (frame, 0, FRAME_SAMPLES * sizeof (gint16));
    if (fifo->playing && !fifo->ended && fifo->underruns++ == 0)
      g_message ("%s: the PCM port fell behind the clock; filling with silence (logged once)",
                 fifo->path);
    fifo->playing = FALSE;
  }
  g_mutex_unlock (&fifo->lock);
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
    gint16 samples[sizeof buf / 2 + 1];
    gsize count = 0;

    if (!self->port->flowing)
      return G_SOURCE_CONTINUE;
    self->bytes_in += n;
    if (self->source == NULL)
      return G_SOURCE_CONTINUE;  /* nobody took the source bin: the audio is not wanted */
    /* Little-endian S16; a read may end in the middle of a sample. */
    for (ssize_t i = 0; i < n; i++) {
      if (!self->have_odd) {
        self->odd = buf[i];
        self->have_odd = TRUE;
      } else {
        guint8 pair[2] = { self->odd, buf[i] };

        memcpy (&samples[count++], pair, 2);
        self->have_odd = FALSE;
      }
    }
    fifo_push (self->fifo, samples, count);
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
  self->have_odd = FALSE;
  g_mutex_lock (&self->fifo->lock);
  self->fifo->ended = TRUE;
  g_mutex_unlock (&self->fifo->lock);
  if (self->source != NULL)
    tb_clocked_source_end (self->source);
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
  g_clear_pointer (&self->fifo, fifo_unref);
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
  self->fifo = g_new0 (Fifo, 1);
  g_atomic_ref_count_init (&self->fifo->ref);
  g_mutex_init (&self->fifo->lock);
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
  self->fifo->path = g_strdup (path);
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
    self->source = gst_object_ref_sink (tb_clocked_source_new ("modem-audio-source", fifo_pull,
                                                               fifo_ref (self->fifo),
                                                               fifo_unref));
    if (self->ended)
      tb_clocked_source_end (self->source);
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
