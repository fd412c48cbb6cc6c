/* tb-media-session.c — one GStreamer pipeline per call: player, recorder, endpointer, taps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pipeline:
 *
 *   line source bin ─▶ appsink "callee"      (endpointer, levels, DTMF, AMD, recorder, tap)
 *   appsrc "bot" ─▶ line sink bin            (20 ms frames: prompt, desk microphone or silence)
 *   [desk mic] ─▶ convert ─▶ appsink "mic"   (only while taken over)
 *   appsrc "listen" ─▶ convert ─▶ [desk speakers] (only while listening in)
 *
 * The bot stream is continuous so a lockstep (fast) line keeps running, and all timing is in
 * samples: the same code runs in real time and faster. In lockstep mode the bot stream is held
 * at most LEAD samples ahead of the callee audio processed, so the bot answers as quickly in
 * audio time as it would in real time. Streaming threads only touch the fields under @lock and
 * hand events to the main context through one idle source, in order.
 */
#define G_LOG_DOMAIN "tb-media-session"

#include "config.h"

#include "tb-media-session.h"

#include "tb-dtmf-detector.h"
#include "tb-media-decode.h"
#include "tb-endpointer.h"
#include "tb-enums.h"
#include "tb-pcm.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define FRAME TB_PCM_FRAME_SAMPLES
#define LEAD (2 * FRAME)
#define RING_MAX (TB_PCM_RATE * 2)
#define MIC_MAX (TB_PCM_RATE / 5)
#define LEVEL_SAMPLES (TB_PCM_RATE / 10)
#define LEVEL_MIN_WALL_US (90 * G_TIME_SPAN_MILLISECOND)
#define SAMPLES_TO_US(n) ((gint64) (n) * G_USEC_PER_SEC / TB_PCM_RATE)

G_DEFINE_QUARK (tb-media-error-quark, tb_media_error)

typedef enum {
  EV_UTTERANCE_STARTED,
  EV_UTTERANCE_ENDED,
  EV_PROMPT_STARTED,
  EV_PROMPT_FINISHED,
  EV_NO_INPUT,
  EV_LEVELS,
  EV_DTMF,
  EV_AMD,
  EV_CALLEE_EOS,
} EventType;

typedef struct {
  EventType type;
  guint id;
  gint64 a, b;
  double x, y;
  int code;
  GBytes *pcm;
  char *text;
} Event;

typedef struct {
  guint id;
  TbPlayFlags flags;
  GBytes *pcm;            /* NULL while its file decodes */
  gsize offset;           /* samples played */
  gboolean started;
  gboolean failed;
} Prompt;

struct _TbMediaSession
{
  GObject parent_instance;

  /* owned, main thread */
  GstElement *source;
  GstElement *sink;
  gboolean realtime;
  GstElement *pipeline;
  GstElement *bot_src;
  GstElement *callee_sink;
  GstElement *mic_bin;
  GstElement *listen_bin;
  GMainContext *context;
  GCancellable *cancellable;
  guint bus_watch;
  gboolean running;
  gboolean ended;
  char *recording_path;
  double threshold_db;
  guint hangover_ms;

  /* shared with the streaming threads, under @lock */
  GMutex lock;
  GCond cond;
  gboolean flushing;
  gboolean callee_eos;
  GQueue events;
  GSource *dispatch;
  GQueue prompts;                /* Prompt*, the head plays */
  guint next_prompt_id;
  gint64 bot_pos;                /* samples sent to the line */
  gint64 callee_pos;             /* samples received and processed */
  gint64 first_bot_audio;        /* sample position, -1 before */
  GArray *bot_ring;              /* bot samples from bot_ring_start on, for the recorder */
  gint64 bot_ring_start;
  GArray *mic_fifo;
  gboolean taken_over;
  guint holds;                   /* lockstep: audio waits while > 0 */
  gboolean hold_on_utterance;
  GstElement *listen_src;        /* ref while listening in */
  TbEndpointer *ep;
  gboolean ep_dirty;
  TbDtmfDetector *dtmf;
  TbAmd *amd;
  gboolean listen_armed;
  guint no_input_samples;
  guint quiet_samples;
  FILE *rec;
  gint64 rec_frames;
  GArray *carry;                 /* callee samples short of an endpointer step */
  double lvl_callee, lvl_bot;
  double lvl_peak_callee, lvl_peak_bot;
  guint lvl_n;
  gint64 lvl_last_wall;
};

G_DEFINE_FINAL_TYPE (TbMediaSession, tb_media_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REALTIME,
  PROP_SILENCE_THRESHOLD_DB,
  PROP_HANGOVER_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_UTTERANCE_STARTED,
  SIGNAL_UTTERANCE_ENDED,
  SIGNAL_PROMPT_STARTED,
  SIGNAL_PROMPT_FINISHED,
  SIGNAL_NO_INPUT,
  SIGNAL_LEVELS,
  SIGNAL_DTMF,
  SIGNAL_AMD_RESULT,
  SIGNAL_FAILED,
  SIGNAL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GstCaps *
pcm_caps (void)
{
  return gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "rate", G_TYPE_INT, TB_PCM_RATE,
                              "channels", G_TYPE_INT, 1,
                              "layout", G_TYPE_STRING, "interleaved",
                              NULL);
}

static void
prompt_free (Prompt *p)
{
  g_clear_pointer (&p->pcm, g_bytes_unref);
  g_free (p);
}

static void
event_free (Event *ev)
{
  g_clear_pointer (&ev->pcm, g_bytes_unref);
  g_free (ev->text);
  g_free (ev);
}

/* Main context: emit the queued events in order. */
static gboolean
dispatch_cb (gpointer data)
{
  TbMediaSession *self = g_object_ref (data);
  GQueue events = G_QUEUE_INIT;
  Event *ev;

  g_mutex_lock (&self->lock);
  events = self->events;
  g_queue_init (&self->events);
  g_clear_pointer (&self->dispatch, g_source_unref);
  g_mutex_unlock (&self->lock);

  while ((ev = g_queue_pop_head (&events)) != NULL) {
    if (self->ended && ev->type != EV_CALLEE_EOS) {
      event_free (ev);
      continue;
    }
    switch (ev->type) {
    case EV_UTTERANCE_STARTED:
      g_signal_emit (self, signals[SIGNAL_UTTERANCE_STARTED], 0, ev->a);
      break;
    case EV_UTTERANCE_ENDED:
      g_signal_emit (self, signals[SIGNAL_UTTERANCE_ENDED], 0, ev->pcm, ev->a, ev->b);
      break;
    case EV_PROMPT_STARTED:
      g_signal_emit (self, signals[SIGNAL_PROMPT_STARTED], 0, ev->id, ev->a);
      break;
    case EV_PROMPT_FINISHED:
      g_signal_emit (self, signals[SIGNAL_PROMPT_FINISHED], 0, ev->id, ev->code);
      break;
    case EV_NO_INPUT:
      g_signal_emit (self, signals[SIGNAL_NO_INPUT], 0);
      break;
    case EV_LEVELS:
      g_signal_emit (self, signals[SIGNAL_LEVELS], 0, ev->x, ev->y);
      break;
    case EV_DTMF:
      g_signal_emit (self, signals[SIGNAL_DTMF], 0, ev->text);
      break;
    case EV_AMD:
      g_signal_emit (self, signals[SIGNAL_AMD_RESULT], 0, ev->code, ev->text);
      break;
    case EV_CALLEE_EOS:
      if (!self->ended) {
        g_debug ("callee audio ended");
        tb_media_session_stop (self);
      }
      break;
    default:
      g_assert_not_reached ();
    }
    event_free (ev);
  }
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Any thread, @lock held. */
static Event *
post_locked (TbMediaSession *self,
             EventType       type)
{
  Event *ev = g_new0 (Event, 1);

  ev->type = type;
  g_queue_push_tail (&self->events, ev);
  if (self->dispatch == NULL && !self->flushing) {
    self->dispatch = g_idle_source_new ();
    g_source_set_priority (self->dispatch, G_PRIORITY_DEFAULT);
    g_source_set_callback (self->dispatch, dispatch_cb, self, NULL);
    g_source_set_static_name (self->dispatch, "[tb-media-session] events");
    g_source_attach (self->dispatch, self->context);
  }
  return ev;
}

static void
post_prompt_finished (TbMediaSession *self,
                      Prompt         *p,
                      TbPromptEnd     end)
{
  Event *ev = post_locked (self, EV_PROMPT_FINISHED);

  ev->id = p->id;
  ev->code = end;
}

/* Ends every prompt whose flags match @mask (0: all), @lock held. */
static void
drop_prompts_locked (TbMediaSession *self,
                     TbPlayFlags     mask,
                     TbPromptEnd     end)
{
  GList *l = self->prompts.head;

  while (l != NULL) {
    GList *next = l->next;
    Prompt *p = l->data;

    if (mask == 0 || (p->flags & mask) != 0) {
      post_prompt_finished (self, p, end);
      g_queue_delete_link (&self->prompts, l);
      prompt_free (p);
    }
    l = next;
  }
}

/* Fills @frame from the prompt queue, @lock held. Returns the samples of prompt audio. */
static guint
fill_from_prompts_locked (TbMediaSession *self,
                          gint16         *frame)
{
  guint filled = 0;
  Prompt *p;

  while (filled < FRAME && (p = g_queue_peek_head (&self->prompts)) != NULL) {
    gsize len, take;
    const gint16 *pcm;

    if (p->failed) {
      post_prompt_finished (self, p, TB_PROMPT_END_ERROR);
      prompt_free (g_queue_pop_head (&self->prompts));
      continue;
    }
    if (p->pcm == NULL)
      break; /* still decoding: silence until it is ready */
    pcm = g_bytes_get_data (p->pcm, &len);
    len /= sizeof (gint16);
    if (!p->started) {
      Event *ev = post_locked (self, EV_PROMPT_STARTED);

      p->started = TRUE;
      ev->id = p->id;
      ev->a = SAMPLES_TO_US (self->bot_pos + filled);
      if (self->first_bot_audio < 0)
        self->first_bot_audio = self->bot_pos + filled;
    }
    take = MIN (len - p->offset, (gsize) (FRAME - filled));
    if (take > 0)
      memcpy (frame + filled, pcm + p->offset, take * sizeof (gint16));
    p->offset += take;
    filled += take;
    if (p->offset >= len) {
      post_prompt_finished (self, p, TB_PROMPT_END_COMPLETED);
      prompt_free (g_queue_pop_head (&self->prompts));
    }
  }
  return filled;
}

static gboolean
head_pending_locked (TbMediaSession *self)
{
  Prompt *p = g_queue_peek_head (&self->prompts);

  return p != NULL && p->pcm == NULL && !p->failed;
}

/* The bot appsrc's streaming thread: one 20 ms frame each time it asks. */
static void
on_bot_need_data (GstAppSrc *src,
                  guint      length,
                  gpointer   data)
{
  TbMediaSession *self = data;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, FRAME * sizeof (gint16), NULL);
  GstMapInfo map;
  gint16 *frame;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  frame = (gint16 *) map.data;
  memset (frame, 0, FRAME * sizeof (gint16));

  g_mutex_lock (&self->lock);
  if (!self->realtime) {
    /* Lockstep: stay at most LEAD ahead of the callee audio; a stalled source must not wedge
     * us, so give up waiting after a while of wall time. */
    gint64 deadline = g_get_monotonic_time () + G_TIME_SPAN_SECOND;

    while (!self->flushing && !self->callee_eos && self->bot_pos >= self->callee_pos + LEAD) {
      if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
        break;
    }
    /* Held (the caller is thinking, e.g. recognizing): audio time stands still. */
    while (!self->flushing && self->holds > 0) {
      if (!g_cond_wait_until (&self->cond, &self->lock, deadline + 4 * G_TIME_SPAN_SECOND))
        break;
    }
    /* A file still decoding takes no audio time in lockstep: wait for it. */
    while (!self->flushing && head_pending_locked (self)) {
      if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
        break;
    }
  }
  if (self->flushing) {
    g_mutex_unlock (&self->lock);
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
    return;
  }
  if (self->taken_over) {
    guint n = MIN (self->mic_fifo->len, FRAME);

    memcpy (frame, self->mic_fifo->data, n * sizeof (gint16));
    g_array_remove_range (self->mic_fifo, 0, n);
  } else {
    fill_from_prompts_locked (self, frame);
  }
  g_array_append_vals (self->bot_ring, frame, FRAME);
  if (self->bot_ring->len > RING_MAX) {
    guint drop = self->bot_ring->len - RING_MAX;

    g_array_remove_range (self->bot_ring, 0, drop);
    self->bot_ring_start += drop;
  }
  GST_BUFFER_PTS (buf) = gst_util_uint64_scale (self->bot_pos, GST_SECOND, TB_PCM_RATE);
  GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (FRAME, GST_SECOND, TB_PCM_RATE);
  GST_BUFFER_OFFSET (buf) = self->bot_pos;
  self->bot_pos += FRAME;
  g_mutex_unlock (&self->lock);

  gst_buffer_unmap (buf, &map);
  gst_app_src_push_buffer (src, buf);
}

/* Callee thread, @lock held: the bot samples sent at callee positions [pos, pos + n). */
static void
bot_samples_locked (TbMediaSession *self,
                    gint64          pos,
                    guint           n,
                    gint16         *out)
{
  for (guint i = 0; i < n; i++) {
    gint64 k = pos + i - self->bot_ring_start;

    out[i] = (k >= 0 && k < self->bot_ring->len) ? g_array_index (self->bot_ring, gint16, k) : 0;
  }
}

static void
endpoint_step_locked (TbMediaSession *self,
                      const gint16   *step)
{
  TbEndpointerEvent what;

  if (self->ep_dirty) {
    tb_endpointer_set_threshold_db (self->ep, self->threshold_db);
    tb_endpointer_set_hangover_ms (self->ep, self->hangover_ms);
    self->ep_dirty = FALSE;
  }
  what = tb_endpointer_push (self->ep, step);
  if (what == TB_ENDPOINTER_EVENT_STARTED) {
    Event *ev = post_locked (self, EV_UTTERANCE_STARTED);
    Prompt *head = g_queue_peek_head (&self->prompts);

    ev->a = SAMPLES_TO_US (tb_endpointer_get_start (self->ep));
    self->listen_armed = FALSE;
    /* Barge-in: the playing prompt allows it, so it and what is queued behind it stop. */
    if (head != NULL && head->started && (head->flags & TB_PLAY_FLAGS_BARGE_IN) != 0)
      drop_prompts_locked (self, 0, TB_PROMPT_END_BARGED_IN);
  } else if (what == TB_ENDPOINTER_EVENT_ENDED) {
    Event *ev = post_locked (self, EV_UTTERANCE_ENDED);

    ev->pcm = tb_endpointer_steal_utterance (self->ep, &ev->a, &ev->b);
    if (self->hold_on_utterance && !self->realtime)
      self->holds++;
    ev->a = SAMPLES_TO_US (ev->a);
    ev->b = SAMPLES_TO_US (ev->b);
  }
}

static void
push_listen (GstElement   *src,
             const gint16 *callee,
             const gint16 *bot,
             guint         n)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, n * sizeof (gint16), NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (guint i = 0; i < n; i++)
    ((gint16 *) map.data)[i] = (gint16) CLAMP ((int) callee[i] + bot[i], G_MININT16, G_MAXINT16);
  gst_buffer_unmap (buf, &map);
  gst_app_src_push_buffer (GST_APP_SRC (src), buf);
}

static void
process_callee_locked (TbMediaSession *self,
                       const gint16   *pcm,
                       guint           n,
                       gint16         *bot)
{
  const char *digits;
  guint i;

  /* Endpointer in 10 ms steps, carrying what does not fill one. */
  g_array_append_vals (self->carry, pcm, n);
  for (i = 0; i + TB_ENDPOINTER_STEP <= self->carry->len; i += TB_ENDPOINTER_STEP)
    endpoint_step_locked (self, &g_array_index (self->carry, gint16, i));
  g_array_remove_range (self->carry, 0, i);

  digits = tb_dtmf_detector_process (self->dtmf, pcm, n);
  for (const char *d = digits; *d != '\0'; d++) {
    Event *ev = post_locked (self, EV_DTMF);

    ev->text = g_strndup (d, 1);
  }

  if (self->amd != NULL && tb_amd_process (self->amd, pcm, n) != TB_AMD_RESULT_UNDECIDED) {
    Event *ev = post_locked (self, EV_AMD);

    ev->code = tb_amd_get_result (self->amd);
    ev->text = g_strdup (tb_amd_get_reason (self->amd));
    g_clear_pointer (&self->amd, tb_amd_free);
  }

  if (self->listen_armed) {
    if (g_queue_is_empty (&self->prompts) && !tb_endpointer_in_speech (self->ep))
      self->quiet_samples += n;
    else
      self->quiet_samples = 0;
    if (self->quiet_samples >= self->no_input_samples) {
      self->listen_armed = FALSE;
      post_locked (self, EV_NO_INPUT);
    }
  }

  bot_samples_locked (self, self->callee_pos, n, bot);

  if (self->rec != NULL) {
    gint16 stereo[2 * 1024];

    for (guint done = 0; done < n;) {
      guint chunk = MIN (n - done, 1024);

      for (guint k = 0; k < chunk; k++) {
        stereo[2 * k] = GINT16_TO_LE (pcm[done + k]);
        stereo[2 * k + 1] = GINT16_TO_LE (bot[done + k]);
      }
      if (fwrite (stereo, 2 * sizeof (gint16), chunk, self->rec) != chunk)
        g_debug ("recording: short write");
      self->rec_frames += chunk;
      done += chunk;
    }
  }

  for (guint k = 0; k < n; k++) {
    self->lvl_callee += (double) pcm[k] * pcm[k];
    self->lvl_bot += (double) bot[k] * bot[k];
  }
  self->lvl_n += n;
  if (self->lvl_n >= LEVEL_SAMPLES) {
    gint64 now = g_get_monotonic_time ();
    double c = sqrt (self->lvl_callee / self->lvl_n) / 32768.0;
    double b = sqrt (self->lvl_bot / self->lvl_n) / 32768.0;

    /* Faster than real time, report the loudest window since the last report. */
    self->lvl_peak_callee = MAX (self->lvl_peak_callee, c < 1e-5 ? -100 : 20 * log10 (c));
    self->lvl_peak_bot = MAX (self->lvl_peak_bot, b < 1e-5 ? -100 : 20 * log10 (b));
    if (now - self->lvl_last_wall >= LEVEL_MIN_WALL_US) {
      Event *ev = post_locked (self, EV_LEVELS);

      ev->x = self->lvl_peak_callee;
      ev->y = self->lvl_peak_bot;
      self->lvl_peak_callee = self->lvl_peak_bot = -100;
      self->lvl_last_wall = now;
    }
    self->lvl_callee = self->lvl_bot = 0;
    self->lvl_n = 0;
  }

  self->callee_pos += n;
  if (self->callee_pos > self->bot_ring_start + LEAD) {
    gint64 drop = MIN ((gint64) self->bot_ring->len,
                       self->callee_pos - self->bot_ring_start - LEAD);

    if (drop > 0) {
      g_array_remove_range (self->bot_ring, 0, (guint) drop);
      self->bot_ring_start += drop;
    }
  }
  g_cond_broadcast (&self->cond);
}

static GstFlowReturn
on_callee_new_sample (GstAppSink *sink,
                      gpointer    data)
{
  TbMediaSession *self = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstElement *listen = NULL;
  GstBuffer *buf;
  GstMapInfo map;
  gint16 *bot;
  guint n;

  if (sample == NULL)
    return GST_FLOW_EOS;
  buf = gst_sample_get_buffer (sample);
  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return GST_FLOW_OK;
  n = map.size / sizeof (gint16);
  bot = g_new (gint16, MAX (n, 1));

  g_mutex_lock (&self->lock);
  if (!self->flushing) {
    process_callee_locked (self, (const gint16 *) map.data, n, bot);
    if (self->listen_src != NULL)
      listen = g_object_ref (self->listen_src);
  }
  g_mutex_unlock (&self->lock);

  if (listen != NULL) {
    push_listen (listen, (const gint16 *) map.data, bot, n);
    g_object_unref (listen);
  }
  g_free (bot);
  gst_buffer_unmap (buf, &map);
  return GST_FLOW_OK;
}

static void
on_callee_eos (GstAppSink *sink,
               gpointer    data)
{
  TbMediaSession *self = data;

  Event *ev;

  g_mutex_lock (&self->lock);
  self->callee_eos = TRUE;
  /* The levels not reported yet (a fast call can end between two reports). */
  ev = post_locked (self, EV_LEVELS);
  ev->x = self->lvl_peak_callee;
  ev->y = self->lvl_peak_bot;
  post_locked (self, EV_CALLEE_EOS);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static GstFlowReturn
on_mic_new_sample (GstAppSink *sink,
                   gpointer    data)
{
  TbMediaSession *self = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstMapInfo map;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (!gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    return GST_FLOW_OK;
  g_mutex_lock (&self->lock);
  if (self->taken_over) {
    g_array_append_vals (self->mic_fifo, map.data, map.size / sizeof (gint16));
    if (self->mic_fifo->len > MIC_MAX)
      g_array_remove_range (self->mic_fifo, 0, self->mic_fifo->len - MIC_MAX);
  }
  g_mutex_unlock (&self->lock);
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  return GST_FLOW_OK;
}

static void
close_recording_locked (TbMediaSession *self)
{
  guint8 hdr[4];
  guint32 data_len;

  if (self->rec == NULL)
    return;
  data_len = (guint32) (self->rec_frames * 4);
  fflush (self->rec);
  hdr[0] = (36 + data_len) & 0xff;
  hdr[1] = ((36 + data_len) >> 8) & 0xff;
  hdr[2] = ((36 + data_len) >> 16) & 0xff;
  hdr[3] = ((36 + data_len) >> 24) & 0xff;
  fseek (self->rec, 4, SEEK_SET);
  fwrite (hdr, 1, 4, self->rec);
  for (int i = 0; i < 4; i++)
    hdr[i] = (data_len >> (8 * i)) & 0xff;
  fseek (self->rec, 40, SEEK_SET);
  fwrite (hdr, 1, 4, self->rec);
  fclose (self->rec);
  self->rec = NULL;
}

/* After the pipeline stopped: close the recording and give the line its bins back. */
static void
release_resources (TbMediaSession *self)
{
  g_mutex_lock (&self->lock);
  close_recording_locked (self);
  g_mutex_unlock (&self->lock);
  if (GST_OBJECT_PARENT (self->source) == GST_OBJECT (self->pipeline))
    gst_bin_remove (GST_BIN (self->pipeline), self->source);
  if (GST_OBJECT_PARENT (self->sink) == GST_OBJECT (self->pipeline))
    gst_bin_remove (GST_BIN (self->pipeline), self->sink);
}

static void
fail (TbMediaSession *self,
      GError         *error)
{
  if (self->ended)
    return;
  g_debug ("media session failed: %s", error->message);
  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  if (!self->ended) {
    self->ended = TRUE;
    self->running = FALSE;
    g_mutex_lock (&self->lock);
    self->flushing = TRUE;
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
    release_resources (self);
    g_signal_emit (self, signals[SIGNAL_ENDED], 0, error);
  }
  g_object_unref (self);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *msg,
                gpointer    data)
{
  TbMediaSession *self = data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *dbg = NULL;
    g_autofree char *name = gst_object_get_path_string (GST_MESSAGE_SRC (msg));

    gst_message_parse_error (msg, &gerr, &dbg);
    error = g_error_new (TB_MEDIA_ERROR, TB_MEDIA_ERROR_PIPELINE, "%s: %s", name, gerr->message);
    g_debug ("%s (%s)", error->message, dbg ? dbg : "");
    fail (self, error);
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING) {
    g_autoptr(GError) gerr = NULL;

    gst_message_parse_warning (msg, &gerr, NULL);
    g_debug ("%s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), gerr->message);
  }
  return G_SOURCE_CONTINUE;
}

static GstElement *
make_desk_element (const char  *env,
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

static void
tb_media_session_dispose (GObject *object)
{
  TbMediaSession *self = (TbMediaSession *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->pipeline != NULL) {
    g_mutex_lock (&self->lock);
    self->flushing = TRUE;
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  }
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  g_mutex_lock (&self->lock);
  if (self->dispatch != NULL) {
    g_source_destroy (self->dispatch);
    g_clear_pointer (&self->dispatch, g_source_unref);
  }
  close_recording_locked (self);
  g_mutex_unlock (&self->lock);
  g_clear_object (&self->listen_src);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->source);
  g_clear_object (&self->sink);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tb_media_session_parent_class)->dispose (object);
}

static void
tb_media_session_finalize (GObject *object)
{
  TbMediaSession *self = (TbMediaSession *) object;

  g_queue_clear_full (&self->events, (GDestroyNotify) event_free);
  g_queue_clear_full (&self->prompts, (GDestroyNotify) prompt_free);
  g_array_unref (self->bot_ring);
  g_array_unref (self->mic_fifo);
  g_array_unref (self->carry);
  tb_endpointer_free (self->ep);
  tb_dtmf_detector_free (self->dtmf);
  g_clear_pointer (&self->amd, tb_amd_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->recording_path);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (tb_media_session_parent_class)->finalize (object);
}

static void
tb_media_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TbMediaSession *self = TB_MEDIA_SESSION (object);

  switch (prop_id) {
  case PROP_REALTIME:
    g_value_set_boolean (value, self->realtime);
    break;
  case PROP_SILENCE_THRESHOLD_DB:
    g_value_set_double (value, self->threshold_db);
    break;
  case PROP_HANGOVER_MS:
    g_value_set_uint (value, self->hangover_ms);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_media_session_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TbMediaSession *self = TB_MEDIA_SESSION (object);

  switch (prop_id) {
  case PROP_REALTIME:
    self->realtime = g_value_get_boolean (value);
    break;
  case PROP_SILENCE_THRESHOLD_DB:
    tb_media_session_set_silence_threshold_db (self, g_value_get_double (value));
    break;
  case PROP_HANGOVER_MS:
    tb_media_session_set_hangover_ms (self, g_value_get_uint (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_media_session_class_init (TbMediaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_media_session_dispose;
  object_class->finalize = tb_media_session_finalize;
  object_class->get_property = tb_media_session_get_property;
  object_class->set_property = tb_media_session_set_property;

  properties[PROP_REALTIME] =
    g_param_spec_boolean ("realtime", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SILENCE_THRESHOLD_DB] =
    g_param_spec_double ("silence-threshold-db", NULL, NULL, -90, 0, -40,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HANGOVER_MS] =
    g_param_spec_uint ("hangover-ms", NULL, NULL, 50, 5000, 350,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Times are µs of call audio since answer. */
  signals[SIGNAL_UTTERANCE_STARTED] =
    g_signal_new ("utterance-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_UTTERANCE_ENDED] =
    g_signal_new ("utterance-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_BYTES, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_PROMPT_STARTED] =
    g_signal_new ("prompt-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT64);
  signals[SIGNAL_PROMPT_FINISHED] =
    g_signal_new ("prompt-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, TB_TYPE_PROMPT_END);
  signals[SIGNAL_NO_INPUT] =
    g_signal_new ("no-input", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_LEVELS] =
    g_signal_new ("levels", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[SIGNAL_DTMF] =
    g_signal_new ("dtmf", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_AMD_RESULT] =
    g_signal_new ("amd-result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, TB_TYPE_AMD_RESULT, G_TYPE_STRING);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tb_media_session_init (TbMediaSession *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->events);
  g_queue_init (&self->prompts);
  self->realtime = TRUE;
  self->threshold_db = -40;
  self->hangover_ms = 350;
  self->ep_dirty = TRUE;
  self->first_bot_audio = -1;
  self->lvl_peak_callee = self->lvl_peak_bot = -100;
  self->next_prompt_id = 1;
  self->bot_ring = g_array_new (FALSE, FALSE, sizeof (gint16));
  self->mic_fifo = g_array_new (FALSE, FALSE, sizeof (gint16));
  self->carry = g_array_new (FALSE, FALSE, sizeof (gint16));
  self->ep = tb_endpointer_new ();
  self->dtmf = tb_dtmf_detector_new ();
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
}

/**
 * tb_media_session_new:
 * @source: (transfer none): the call's audio source bin (callee's voice), "src" pad
 * @sink: (transfer none): the call's audio sink bin (bot's voice), "sink" pad
 * @realtime: tb_call_is_realtime(): FALSE for a lockstep (fast) line
 *
 * Builds the call's pipeline around the line's two elements. Nothing runs before
 * tb_media_session_start(). Signals are emitted on the thread-default main context of the
 * caller.
 */
TbMediaSession *
tb_media_session_new (GstElement *source,
                      GstElement *sink,
                      gboolean    realtime)
{
  TbMediaSession *self;
  g_autoptr(GstCaps) caps = pcm_caps ();
  g_autoptr(GstBus) bus = NULL;
  GstAppSrcCallbacks src_cb = { .need_data = on_bot_need_data };
  GstAppSinkCallbacks sink_cb = { .new_sample = on_callee_new_sample, .eos = on_callee_eos };

  g_return_val_if_fail (GST_IS_ELEMENT (source), NULL);
  g_return_val_if_fail (GST_IS_ELEMENT (sink), NULL);

  self = g_object_new (TB_TYPE_MEDIA_SESSION, "realtime", realtime, NULL);
  self->source = gst_object_ref (source);
  self->sink = gst_object_ref (sink);
  self->pipeline = gst_pipeline_new ("tb-media-session");
  self->bot_src = gst_element_factory_make ("appsrc", "bot");
  self->callee_sink = gst_element_factory_make ("appsink", "callee");
  g_object_set (self->bot_src,
                "caps", caps, "format", GST_FORMAT_TIME, "is-live", realtime,
                "max-bytes", (guint64) (FRAME * sizeof (gint16)), "block", FALSE, NULL);
  gst_app_src_set_callbacks (GST_APP_SRC (self->bot_src), &src_cb, self, NULL);
  /* async=FALSE: a lockstep line sends callee audio only once bot audio flows, so this sink
   * must not wait for a preroll buffer. */
  g_object_set (self->callee_sink, "caps", caps, "sync", FALSE, "async", FALSE,
                "emit-signals", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (self->callee_sink), &sink_cb, self, NULL);

  gst_bin_add_many (GST_BIN (self->pipeline), self->source, self->callee_sink,
                    self->bot_src, self->sink, NULL);
  if (!gst_element_link_pads (self->source, "src", self->callee_sink, "sink"))
    g_debug ("could not link the line's source; the start will report it");
  if (!gst_element_link_pads (self->bot_src, "src", self->sink, "sink"))
    g_debug ("could not link the line's sink; the start will report it");

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  {
    GSource *watch = gst_bus_create_watch (bus);

    g_source_set_callback (watch, G_SOURCE_FUNC (on_bus_message), self, NULL);
    self->bus_watch = g_source_attach (watch, self->context);
    g_source_unref (watch);
  }
  return self;
}

gboolean
tb_media_session_start (TbMediaSession  *self,
                        GError         **error)
{
  GstPad *spad;
  gboolean linked;

  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), FALSE);

  if (self->ended) {
    g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_FAILED, "media session already ended");
    return FALSE;
  }
  spad = gst_element_get_static_pad (self->callee_sink, "sink");
  linked = gst_pad_is_linked (spad);
  gst_object_unref (spad);
  spad = gst_element_get_static_pad (self->bot_src, "src");
  linked = linked && gst_pad_is_linked (spad);
  gst_object_unref (spad);
  if (!linked) {
    g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_PIPELINE,
                 "media session: the line's audio bins have no “src”/“sink” pads to link");
    return FALSE;
  }
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
    g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    if (msg != NULL) {
      g_autoptr(GError) gerr = NULL;
      g_autofree char *name = gst_object_get_path_string (GST_MESSAGE_SRC (msg));

      gst_message_parse_error (msg, &gerr, NULL);
      g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_PIPELINE, "%s: %s", name,
                   gerr->message);
    } else {
      g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_PIPELINE,
                   "media session: the call's pipeline would not start");
    }
    self->ended = TRUE;
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
    return FALSE;
  }
  self->running = TRUE;
  return TRUE;
}

/* Stops the pipeline (joining its threads), ends the prompts, closes the recording and emits
 * "ended" with no error. The line's bins are taken out of the pipeline again. */
void
tb_media_session_stop (TbMediaSession *self)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));

  if (self->ended)
    return;
  self->ended = TRUE;
  self->running = FALSE;
  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  release_resources (self);
  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_ENDED], 0, NULL);
  g_object_unref (self);
}

gboolean
tb_media_session_is_running (TbMediaSession *self)
{
  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), FALSE);
  return self->running;
}

static guint
enqueue (TbMediaSession *self,
         GBytes         *pcm,
         TbPlayFlags     flags)
{
  Prompt *p = g_new0 (Prompt, 1);
  guint id;

  g_mutex_lock (&self->lock);
  id = p->id = self->next_prompt_id++;
  p->flags = flags;
  p->pcm = pcm ? g_bytes_ref (pcm) : NULL;
  if (self->taken_over || self->flushing) {
    post_prompt_finished (self, p, TB_PROMPT_END_STOPPED);
    prompt_free (p);
  } else {
    g_queue_push_tail (&self->prompts, p);
  }
  g_mutex_unlock (&self->lock);
  return id;
}

/**
 * tb_media_session_play_pcm:
 * @pcm: 8 kHz mono S16LE samples (synthesized or decoded)
 *
 * Queues a prompt behind the ones playing. "prompt-started" fires when its first sample
 * leaves for the line, "prompt-finished" when it ends (completed, barged in, stopped).
 * Returns: the prompt's id in those signals.
 */
guint
tb_media_session_play_pcm (TbMediaSession *self,
                           GBytes         *pcm,
                           TbPlayFlags     flags)
{
  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), 0);
  g_return_val_if_fail (pcm != NULL, 0);
  return enqueue (self, pcm, flags);
}

typedef struct {
  TbMediaSession *self;
  guint id;
} DecodeData;

static void
play_file_decoded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      data)
{
  DecodeData *dd = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = tb_media_decode_file_finish (result, &error);
  TbMediaSession *self = dd->self;

  g_mutex_lock (&self->lock);
  for (GList *l = self->prompts.head; l != NULL; l = l->next) {
    Prompt *p = l->data;

    if (p->id != dd->id)
      continue;
    if (pcm != NULL)
      p->pcm = g_steal_pointer (&pcm);
    else
      p->failed = TRUE;
    break;
  }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("prompt %u: %s", dd->id, error->message);
  g_object_unref (dd->self);
  g_free (dd);
}

/* Queues a recorded prompt (WAV, OGG, MP3, … anything decodebin reads). It decodes off the
 * main loop; the line hears silence until it is ready. A file that cannot be decoded ends
 * with TB_PROMPT_END_ERROR. */
guint
tb_media_session_play_file (TbMediaSession *self,
                            const char     *path,
                            TbPlayFlags     flags)
{
  DecodeData *dd;

  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), 0);
  g_return_val_if_fail (path != NULL, 0);

  dd = g_new0 (DecodeData, 1);
  dd->self = g_object_ref (self);
  dd->id = enqueue (self, NULL, flags);
  tb_media_decode_file_async (path, self->cancellable, play_file_decoded_cb, dd);
  return dd->id;
}

void
tb_media_session_stop_prompts (TbMediaSession *self)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  drop_prompts_locked (self, 0, TB_PROMPT_END_STOPPED);
  g_mutex_unlock (&self->lock);
}

gboolean
tb_media_session_is_playing (TbMediaSession *self)
{
  gboolean playing;

  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), FALSE);
  g_mutex_lock (&self->lock);
  playing = !g_queue_is_empty (&self->prompts);
  g_mutex_unlock (&self->lock);
  return playing;
}

/* Lockstep (not real-time) sessions only: stop audio time until the matching release, so
 * work done on the main loop (recognition, dialog decisions) takes no audio time, as on an
 * infinitely fast machine. Real-time sessions ignore it. Holds nest; a hold never lasts more
 * than a few seconds of wall time. */
void
tb_media_session_hold (TbMediaSession *self)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  self->holds++;
  g_mutex_unlock (&self->lock);
}

void
tb_media_session_release (TbMediaSession *self)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  if (self->holds > 0)
    self->holds--;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Lockstep sessions: take a hold (see tb_media_session_hold()) at each "utterance-ended", at
 * the audio sample where the utterance ended; the handler releases it once it has answered
 * (played the next prompt) or decided not to. */
void
tb_media_session_set_hold_on_utterance (TbMediaSession *self,
                                        gboolean        hold)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  self->hold_on_utterance = hold;
  g_mutex_unlock (&self->lock);
}

/* Arms "no-input": it fires once @no_input_ms of audio passed with no prompt playing and no
 * speech. An utterance starting disarms it. Utterances are reported whether or not one
 * listens; this only adds the timeout. */
void
tb_media_session_listen (TbMediaSession *self,
                         guint           no_input_ms)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  self->listen_armed = TRUE;
  self->no_input_samples = MAX (1, (guint) ((guint64) no_input_ms * TB_PCM_RATE / 1000));
  self->quiet_samples = 0;
  g_mutex_unlock (&self->lock);
}

void
tb_media_session_cancel_listen (TbMediaSession *self)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  self->listen_armed = FALSE;
  g_mutex_unlock (&self->lock);
}

/* Records the call from now on into @path: a stereo 8 kHz WAV, callee left, bot right. */
gboolean
tb_media_session_start_recording (TbMediaSession  *self,
                                  const char      *path,
                                  GError         **error)
{
  static const guint8 header[44] = {
    'R', 'I', 'F', 'F', 36, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ',
    16, 0, 0, 0, 1, 0, 2, 0, 0x40, 0x1f, 0, 0, 0, 0x7d, 0, 0,
    4, 0, 16, 0, 'd', 'a', 't', 'a', 0, 0, 0, 0,
  };
  FILE *f;

  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if ((f = fopen (path, "wb")) == NULL || fwrite (header, 1, sizeof header, f) != sizeof header) {
    int saved = errno;

    if (f != NULL)
      fclose (f);
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 "recording “%s”: %s", path, g_strerror (saved));
    return FALSE;
  }
  g_mutex_lock (&self->lock);
  close_recording_locked (self);
  self->rec = f;
  self->rec_frames = 0;
  g_mutex_unlock (&self->lock);
  g_free (self->recording_path);
  self->recording_path = g_strdup (path);
  return TRUE;
}

/* Stops recording (e.g. the callee objects); the file keeps what was recorded so far. */
void
tb_media_session_stop_recording (TbMediaSession *self)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  close_recording_locked (self);
  g_mutex_unlock (&self->lock);
}

const char *
tb_media_session_get_recording_path (TbMediaSession *self)
{
  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), NULL);
  return self->recording_path;
}

static GstElement *
build_mic_bin (TbMediaSession  *self,
               GError         **error)
{
  GstAppSinkCallbacks cb = { .new_sample = on_mic_new_sample };
  g_autoptr(GstCaps) caps = pcm_caps ();
  GstElement *bin, *src, *conv, *res, *sink;

  if ((src = make_desk_element ("TELEBOT_AUDIOSRC", "autoaudiosrc", TRUE, error)) == NULL)
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
    drop_prompts_locked (self, 0, TB_PROMPT_END_STOPPED);
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
    g_autoptr(GstCaps) caps = pcm_caps ();
    GstElement *bin, *src, *conv, *res, *sink;

    if ((sink = make_desk_element ("TELEBOT_AUDIOSINK", "autoaudiosink", FALSE, error)) == NULL)
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

/* Classifies the next @window_ms of callee audio (call it right after answer): "amd-result"
 * fires once with human, machine or unknown and the reason. */
void
tb_media_session_detect_machine (TbMediaSession *self,
                                 guint           window_ms)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->amd, tb_amd_free);
  self->amd = tb_amd_new (window_ms);
  g_mutex_unlock (&self->lock);
}

/* µs of callee audio received and processed: the call's audio clock. */
gint64
tb_media_session_get_position_us (TbMediaSession *self)
{
  gint64 pos;

  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), 0);
  g_mutex_lock (&self->lock);
  pos = self->callee_pos;
  g_mutex_unlock (&self->lock);
  return SAMPLES_TO_US (pos);
}

/* µs of bot audio sent to the line. */
gint64
tb_media_session_get_bot_position_us (TbMediaSession *self)
{
  gint64 pos;

  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), 0);
  g_mutex_lock (&self->lock);
  pos = self->bot_pos;
  g_mutex_unlock (&self->lock);
  return SAMPLES_TO_US (pos);
}

/* When the first prompt sample left for the line (µs after answer; COMPLIANCE R6.1), or -1. */
gint64
tb_media_session_get_first_bot_audio_us (TbMediaSession *self)
{
  gint64 pos;

  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), -1);
  g_mutex_lock (&self->lock);
  pos = self->first_bot_audio;
  g_mutex_unlock (&self->lock);
  return pos < 0 ? -1 : SAMPLES_TO_US (pos);
}

void
tb_media_session_set_silence_threshold_db (TbMediaSession *self,
                                           double          threshold_db)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  if (threshold_db == self->threshold_db)
    return;
  g_mutex_lock (&self->lock);
  self->threshold_db = threshold_db;
  self->ep_dirty = TRUE;
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SILENCE_THRESHOLD_DB]);
}

double
tb_media_session_get_silence_threshold_db (TbMediaSession *self)
{
  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), 0);
  return self->threshold_db;
}

void
tb_media_session_set_hangover_ms (TbMediaSession *self,
                                  guint           hangover_ms)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  if (hangover_ms == self->hangover_ms)
    return;
  g_mutex_lock (&self->lock);
  self->hangover_ms = hangover_ms;
  self->ep_dirty = TRUE;
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HANGOVER_MS]);
}

guint
tb_media_session_get_hangover_ms (TbMediaSession *self)
{
  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), 0);
  return self->hangover_ms;
}
