/* tb-media-session-audio.c — TbMediaSession's streaming threads: bot frames, callee audio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bot appsrc asks for one 20 ms frame at a time (prompt, desk microphone or silence); the
 * callee appsink hands over the line's audio for the endpointer, DTMF, AMD, levels, the
 * recorder and the listen-in tap. Both run under the session's lock and only queue events
 * for the main context.
 */
#define G_LOG_DOMAIN "tb-media-session"

#include "config.h"

#include "tb-media-session-private.h"

/* The longest a lockstep hold stops audio time, past the 1 s lead wait (wall time). */
#define HOLD_MAX_WAIT (29 * G_TIME_SPAN_SECOND)

#include <math.h>
#include <string.h>

void
_tb_media_session_prompt_free (Prompt *p)
{
  g_clear_pointer (&p->pcm, g_bytes_unref);
  g_free (p);
}

void
_tb_media_session_post_prompt_finished (TbMediaSession *self,
                                        Prompt         *p,
                                        TbPromptEnd     end)
{
  Event *ev = _tb_media_session_post_locked (self, EV_PROMPT_FINISHED);

  ev->id = p->id;
  ev->code = end;
  if (self->lockstep_holds && !self->realtime)
    self->holds++;
}

/* Ends every prompt whose flags match @mask (0: all), @lock held. */
void
_tb_media_session_drop_prompts_locked (TbMediaSession *self,
                                       TbPlayFlags     mask,
                                       TbPromptEnd     end)
{
  GList *l = self->prompts.head;

  while (l != NULL) {
    GList *next = l->next;
    Prompt *p = l->data;

    if (mask == 0 || (p->flags & mask) != 0) {
      _tb_media_session_post_prompt_finished (self, p, end);
      g_queue_delete_link (&self->prompts, l);
      _tb_media_session_prompt_free (p);
    }
    l = next;
  }
}

void
_tb_media_session_fade_out_locked (TbMediaSession *self,
                                   TbPromptEnd     end)
{
  Prompt *head = g_queue_peek_head (&self->prompts);

  if (head == NULL || !head->started || head->pcm == NULL) {
    _tb_media_session_drop_prompts_locked (self, 0, end);
    return;
  }
  /* Everything behind the head goes now; the head fades out instead of a hard cut. */
  while (self->prompts.length > 1) {
    Prompt *p = g_queue_pop_tail (&self->prompts);

    _tb_media_session_post_prompt_finished (self, p, end);
    _tb_media_session_prompt_free (p);
  }
  if (head->fade_left < 0) {
    head->fade_left = FADE_SAMPLES;
    head->fade_end = end;
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
      _tb_media_session_post_prompt_finished (self, p, TB_PROMPT_END_ERROR);
      _tb_media_session_prompt_free (g_queue_pop_head (&self->prompts));
      continue;
    }
    if (p->pcm == NULL)
      break; /* still decoding: silence until it is ready */
    pcm = g_bytes_get_data (p->pcm, &len);
    len /= sizeof (gint16);
    if (!p->started) {
      Event *ev = _tb_media_session_post_locked (self, EV_PROMPT_STARTED);

      p->started = TRUE;
      ev->id = p->id;
      ev->a = SAMPLES_TO_US (self->bot_pos + filled);
      if (self->first_bot_audio < 0)
        self->first_bot_audio = self->bot_pos + filled;
    }
    take = MIN (len - p->offset, (gsize) (FRAME - filled));
    if (p->fade_left >= 0) {
      take = MIN (take, (gsize) p->fade_left);
      for (gsize i = 0; i < take; i++)
        frame[filled + i] = (gint16) (pcm[p->offset + i] * (double) (p->fade_left - (gint) i) /
                                      FADE_SAMPLES);
      p->fade_left -= (gint) take;
    } else if (take > 0) {
      memcpy (frame + filled, pcm + p->offset, take * sizeof (gint16));
    }
    p->offset += take;
    filled += take;
    if (p->offset >= len || p->fade_left == 0) {
      _tb_media_session_post_prompt_finished (self, p, p->fade_left == 0 ? p->fade_end
                                                                         : TB_PROMPT_END_COMPLETED);
      _tb_media_session_prompt_free (g_queue_pop_head (&self->prompts));
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
void
_tb_media_session_on_bot_need_data (GstAppSrc *src,
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
    /* Held (the caller is thinking, e.g. recognizing): audio time stands still. A loaded
     * machine can take seconds to recognize a queue of utterances; letting time run on then
     * makes simulated callees hear a long silence and hang up (seen in CI at 5 s). */
    while (!self->flushing && self->holds > 0) {
      if (!g_cond_wait_until (&self->cond, &self->lock, deadline + HOLD_MAX_WAIT)) {
        g_message ("lockstep: a hold lasted %d s of wall time; audio time goes on",
                   (int) (HOLD_MAX_WAIT / G_TIME_SPAN_SECOND) + 1);
        break;
      }
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

    if (n > 0) {
      memcpy (frame, self->mic_fifo->data, n * sizeof (gint16));
      g_array_remove_range (self->mic_fifo, 0, n);
    }
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

/* While the callee speaks over a prompt that allows it: once enough of the prompt has played
 * and the callee has spoken longer than a backchannel, the prompt fades out and the ones
 * queued behind it go. */
static void
barge_check_locked (TbMediaSession *self)
{
  Prompt *head = g_queue_peek_head (&self->prompts);
  gint64 spoken;

  if (!self->barge_pending)
    return;
  if (head == NULL || (head->flags & TB_PLAY_FLAGS_BARGE_IN) == 0) {
    self->barge_pending = FALSE;
    return;
  }
  spoken = tb_endpointer_get_voiced (self->ep);
  if (!head->started || head->offset < head->barge_after || spoken < (gint64) head->barge_min)
    return;
  self->barge_pending = FALSE;
  _tb_media_session_fade_out_locked (self, TB_PROMPT_END_BARGED_IN);
}

static void
post_utterance_locked (TbMediaSession *self,
                       Event          *ev)
{
  _tb_media_session_post_event_locked (self, ev);
  /* In lockstep audio time waits from here until the utterance is handled. */
  if (self->lockstep_holds && !self->realtime)
    self->holds++;
}

static void
endpoint_step_locked (TbMediaSession *self,
                      const gint16   *step)
{
  TbEndpointerEvent what;

  if (self->ep_dirty) {
    tb_endpointer_set_threshold_db (self->ep, self->threshold_db);
    tb_endpointer_set_hangover_ms (self->ep, self->hangover_ms);
    tb_endpointer_set_early_hangover_ms (self->ep, self->early_hangover_ms);
    self->ep_dirty = FALSE;
  }
  what = tb_endpointer_push (self->ep, step);
  barge_check_locked (self);
  if (what == TB_ENDPOINTER_EVENT_STARTED) {
    Event *ev = _tb_media_session_post_locked (self, EV_UTTERANCE_STARTED);
    Prompt *head = g_queue_peek_head (&self->prompts);

    ev->a = SAMPLES_TO_US (tb_endpointer_get_start (self->ep));
    self->listen_armed = FALSE;
    /* Barge-in: the playing prompt may allow it; barge_check_locked decides when. */
    self->barge_pending = head != NULL && (head->flags & TB_PLAY_FLAGS_BARGE_IN) != 0;
  } else if (what == TB_ENDPOINTER_EVENT_ENDED) {
    _tb_media_session_utterance_ended_locked (self);
  } else if (what == TB_ENDPOINTER_EVENT_PAUSED &&
             (self->announce == NULL || !tb_announcement_detector_is_pending (self->announce))) {
    /* A pause: the handler may judge the words so far a complete answer and end the
     * utterance here (tb_media_session_end_utterance). In lockstep audio time waits for
     * its verdict, so the turn ends at the same audio sample however loaded the machine. */
    Event *ev = g_new0 (Event, 1);

    ev->type = EV_UTTERANCE_PAUSED;
    ev->pcm = tb_endpointer_peek_utterance (self->ep, &ev->a, &ev->b);
    ev->a = SAMPLES_TO_US (ev->a);
    ev->b = SAMPLES_TO_US (ev->b);
    post_utterance_locked (self, ev);
  }
}

void
_tb_media_session_utterance_ended_locked (TbMediaSession *self)
{
  Event *ev = g_new0 (Event, 1);

  /* Speech that ended before it could stop the prompt was a backchannel ("uh-huh"). */
  self->barge_pending = FALSE;
  ev->type = EV_UTTERANCE_ENDED;
  ev->pcm = tb_endpointer_steal_utterance (self->ep, &ev->a, &ev->b);
  ev->a = SAMPLES_TO_US (ev->a);
  ev->b = SAMPLES_TO_US (ev->b);
  /* What a carrier's recording says is nobody's answer: while one may be playing, the
   * utterance waits for the verdict (and is dropped if it was one). A recognizer hearing
   * "您拨打的电话已关机" as "stop calling" must not put the number on the DNC list. */
  if (self->announce != NULL && tb_announcement_detector_is_pending (self->announce))
    g_queue_push_tail (&self->held, ev);
  else
    post_utterance_locked (self, ev);
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
    Event *ev = _tb_media_session_post_locked (self, EV_DTMF);

    ev->text = g_strndup (d, 1);
  }

  /* A carrier's announcement first: once recognised, what answering-machine detection made
   * of it (a "beep", a long greeting) is moot. */
  if (self->announce != NULL && tb_announcement_detector_process (self->announce, pcm, n)) {
    const char *outcome = tb_announcement_detector_get_outcome (self->announce);

    if (outcome != NULL) {
      Event *ev = _tb_media_session_post_locked (self, EV_ANNOUNCEMENT);

      ev->text = g_strdup (outcome);
      ev->text2 = g_strdup (tb_announcement_detector_get_reason (self->announce));
      /* Lockstep: audio time waits until the handler hung up (and released). */
      if (self->lockstep_holds && !self->realtime)
        self->holds++;
      g_clear_pointer (&self->amd, tb_amd_free);
      g_queue_clear_full (&self->held, (GDestroyNotify) _tb_media_session_event_free);
    }
    g_clear_pointer (&self->announce, tb_announcement_detector_free);
  }
  /* Not (or no longer) an announcement: the utterances held meanwhile go on, in order. */
  if (self->announce == NULL || !tb_announcement_detector_is_pending (self->announce))
    while (!g_queue_is_empty (&self->held))
      post_utterance_locked (self, g_queue_pop_head (&self->held));

  /* A decision taken while an announcement may be under way waits for it (the AMD keeps its
   * decision and gives it again). */
  if (self->amd != NULL && tb_amd_process (self->amd, pcm, n) != TB_AMD_RESULT_UNDECIDED &&
      (self->announce == NULL || !tb_announcement_detector_is_pending (self->announce))) {
    Event *ev = _tb_media_session_post_locked (self, EV_AMD);

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
      _tb_media_session_post_locked (self, EV_NO_INPUT);
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
      Event *ev = _tb_media_session_post_locked (self, EV_LEVELS);

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

GstFlowReturn
_tb_media_session_on_callee_new_sample (GstAppSink *sink,
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

void
_tb_media_session_on_callee_eos (GstAppSink *sink,
                                 gpointer    data)
{
  TbMediaSession *self = data;

  Event *ev;

  g_mutex_lock (&self->lock);
  self->callee_eos = TRUE;
  /* The levels not reported yet (a fast call can end between two reports). */
  ev = _tb_media_session_post_locked (self, EV_LEVELS);
  ev->x = self->lvl_peak_callee;
  ev->y = self->lvl_peak_bot;
  _tb_media_session_post_locked (self, EV_CALLEE_EOS);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

GstFlowReturn
_tb_media_session_on_mic_new_sample (GstAppSink *sink,
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

void
_tb_media_session_close_recording_locked (TbMediaSession *self)
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

