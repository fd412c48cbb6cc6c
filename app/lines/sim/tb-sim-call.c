/* tb-sim-call.c — a simulated callee: rings, answers, listens to the bot and talks back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The persona runs on 20 ms frames: each step takes one frame of the bot's audio (from the
 * sink bin) and gives one frame of the callee's (to the source bin). It waits for the bot's
 * prompt to END — an energy VAD with a 600 ms hangover, as a person waits for a pause — then
 * says its next phrase. Real time: a thread paces the steps on the monotonic clock. Fast
 * (lockstep, the audio contract in app/lines/README.md): each 20 ms of bot audio the sink
 * consumes drives one step, so the callee's audio is exactly as long as the bot's and nothing
 * waits on a clock.
 */
#define G_LOG_DOMAIN "tb-sim-call"

#include "config.h"

#include "tb-sim-call.h"
#include "tb-call-private.h"
#include "tb-sim-voice.h"
#include "tb-line.h"

#include <gst/app/gstappsrc.h>

#include <math.h>
#include <string.h>

#define FRAME_SAMPLES 160
#define FRAME_BYTES (FRAME_SAMPLES * 2)
#define FRAME_NS (20 * GST_MSECOND)
#define MS_TO_FRAMES(ms) ((ms) / 20)

#define VOICE_RMS 400.0            /* bot frame louder than this is speech */
#define VOICED_TO_START 3          /* 60 ms of speech starts a prompt */
#define HANGOVER_FRAMES MS_TO_FRAMES (600)
#define REACTION_FRAMES MS_TO_FRAMES (200)
#define TALK_OVER_FRAMES MS_TO_FRAMES (500)
#define IDLE_HANG_UP_FRAMES MS_TO_FRAMES (15000)
#define MAX_CALL_FRAMES MS_TO_FRAMES (180000)
#define UNCONNECTED_GRACE_US (3 * G_USEC_PER_SEC)

typedef enum {
  ACTION_NONE,
  ACTION_HANG_UP,
  ACTION_DTMF,
} Action;

/* The persona's state; touched only by the one thread that steps it. */
typedef struct {
  guint64   frame;
  guint     voiced_run;
  gboolean  in_prompt;
  guint     prompt_voiced;
  guint     bot_silence;
  guint     idle;
  gboolean  spoke_this_prompt;
  guint     turn;
  gint64    turn_at;           /* frame at which the pending turn starts, -1: none */
  GBytes   *playing;
  gsize     play_pos;
  gboolean  hung_up;
} Run;

struct _TbSimCall
{
  TbCall               parent_instance;

  const TbSimPersona  *persona;
  const char *const   *turns;          /* the persona's, in the call's language */
  const char          *greeting_text;
  const char          *voice;
  gboolean             fast;
  guint                ring_ms;
  guint                ring_timeout_ms;
  GCancellable        *cancellable;
  GPtrArray           *phrases;        /* GBytes per turn, NULL for key presses */
  const char *const   *turns_unswayed; /* a persona won over by a word: when it is not */
  GStrv                own_turns;      /* the persona's turns, one wording each: @turns */
  GStrv                own_turns_unswayed;
  GPtrArray           *phrases_unswayed;
  const char          *swayed_by;      /* the word; NULL: the persona is not swayed */
  gboolean             heard_word;     /* under lock: the bot said it */
  GBytes              *greeting;
  GString             *dtmf_heard;
  gboolean             rendered;
  gboolean             ring_elapsed;

  GstElement          *source_bin;
  GstElement          *sink_bin;
  GstElement          *appsrc;
  GstElement          *fakesink;
  gulong               probe_id;
  gulong               handoff_id;
  GThread             *pacer;
  gint64               answered_mono;

  GMutex               lock;           /* bot_queue, said, heard_word */
  GByteArray          *bot_queue;
  GQueue               said;           /* the turns spoken so far and not yet taken */
  Run                  run;
  guint64              out_frames;
  gint                 stopped;        /* atomic: no more steps */

  guint                ring_id;
  guint                answer_id;
  guint                end_id;
};

G_DEFINE_FINAL_TYPE (TbSimCall, tb_sim_call, TB_TYPE_CALL)

static guint
scaled (TbSimCall *self,
        guint      ms)
{
  return self->fast ? MAX (ms / TB_SIM_FAST_FACTOR, 1) : ms;
}

typedef struct {
  GPtrArray *phrases;
  GPtrArray *phrases_unswayed;
  GBytes    *greeting;
} Rendered;

static void
rendered_free (gpointer data)
{
  Rendered *r = data;

  g_clear_pointer (&r->phrases, g_ptr_array_unref);
  g_clear_pointer (&r->phrases_unswayed, g_ptr_array_unref);
  g_clear_pointer (&r->greeting, g_bytes_unref);
  g_free (r);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TbSimCall *self = task_data;
  Rendered *r = g_new0 (Rendered, 1);
  GError *error = NULL;

  r->phrases = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; self->turns[i] != NULL; i++) {
    GBytes *pcm = NULL;

    if (!g_str_has_prefix (self->turns[i], "#dtmf:") &&
        (pcm = tb_sim_voice_render (self->voice, self->turns[i], &error)) == NULL)
      break;
    g_ptr_array_add (r->phrases, pcm);
  }
  if (self->turns_unswayed != NULL) {
    r->phrases_unswayed = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    for (guint i = 0; error == NULL && self->turns_unswayed[i] != NULL; i++) {
      GBytes *pcm = NULL;

      if (!g_str_has_prefix (self->turns_unswayed[i], "#dtmf:") &&
          (pcm = tb_sim_voice_render (self->voice, self->turns_unswayed[i], &error)) == NULL)
        break;
      g_ptr_array_add (r->phrases_unswayed, pcm);
    }
  }
  if (error == NULL && self->persona->announcement != NULL)
    r->greeting = tb_sim_voice_render_announcement (self->persona->announcement_voice,
                                       self->persona->announcement, self->persona->sit, &error);
  else if (error == NULL && self->greeting_text != NULL)
    r->greeting = tb_sim_voice_render_greeting (self->voice, self->greeting_text, &error);
  if (error != NULL) {
    rendered_free (r);
    g_task_return_error (task, error);
    return;
  }
  g_task_return_pointer (task, r, rendered_free);
}

/* One 20 ms step of the persona. @bot is the bot's frame, @out receives the callee's. */
static Action
run_step (TbSimCall    *self,
          const gint16 *bot,
          gint16       *out,
          const char  **dtmf)
{
  Run *run = &self->run;
  const TbSimPersona *persona = self->persona;
  double energy = 0;
  gboolean voiced;
  Action action = ACTION_NONE;

  for (int i = 0; i < FRAME_SAMPLES; i++)
    energy += (double) bot[i] * bot[i];
  voiced = sqrt (energy / FRAME_SAMPLES) > VOICE_RMS;

  if (voiced) {
    run->voiced_run++;
    run->bot_silence = 0;
  } else {
    run->voiced_run = 0;
    run->bot_silence++;
  }
  if (run->voiced_run >= VOICED_TO_START && !run->in_prompt) {
    run->in_prompt = TRUE;
    run->prompt_voiced = 0;
    run->spoke_this_prompt = FALSE;
  }
  if (run->in_prompt && voiced)
    run->prompt_voiced++;
  if (voiced || run->playing != NULL)
    run->idle = 0;
  else
    run->idle++;

  if (run->frame == 0 && self->greeting != NULL) {
    run->playing = g_bytes_ref (self->greeting);
    run->play_pos = 0;
  }

  /* What the callee says in this frame. */
  memset (out, 0, FRAME_BYTES);
  if (run->playing != NULL) {
    gsize size;
    const guint8 *data = g_bytes_get_data (run->playing, &size);
    gsize n = MIN (size - run->play_pos, (gsize) FRAME_BYTES);

    memcpy (out, data + run->play_pos, n);
    run->play_pos += n;
    if (run->play_pos >= size)
      g_clear_pointer (&run->playing, g_bytes_unref);
  }

  if (persona->announcement != NULL) {
    /* The carrier hangs up once its recording has played. */
    if (run->playing == NULL)
      action = ACTION_HANG_UP;
  } else if (run->turn_at >= 0 && run->frame >= (guint64) run->turn_at && run->playing == NULL) {
    const char *turn;
    GBytes *pcm;

    if (run->turn == 0 && self->swayed_by != NULL) {
      gboolean heard;

      /* Its first answer: won over or not, by what the bot has said so far. */
      g_mutex_lock (&self->lock);
      heard = self->heard_word;
      g_mutex_unlock (&self->lock);
      if (!tb_sim_persona_is_won_over (persona, tb_call_get_number (TB_CALL (self)), heard)) {
        self->turns = self->turns_unswayed;
        self->phrases = self->phrases_unswayed;
      }
      self->swayed_by = NULL;
    }
    turn = self->turns[run->turn];
    pcm = g_ptr_array_index (self->phrases, run->turn);

    run->turn_at = -1;
    run->turn++;
    run->spoke_this_prompt = TRUE;
    if (pcm == NULL) {
      *dtmf = turn + strlen ("#dtmf:");
      action = ACTION_DTMF;
    } else {
      run->playing = g_bytes_ref (pcm);
      run->play_pos = 0;
      /* The words travel with the audio, for a rehearsal (tb_sim_call_take_said). */
      g_mutex_lock (&self->lock);
      g_queue_push_tail (&self->said, g_strdup (turn));
      g_mutex_unlock (&self->lock);
    }
  } else if (run->playing == NULL && run->turn_at < 0) {
    gboolean has_turn = self->turns[run->turn] != NULL;

    if (persona->hang_up_into_ms > 0 && run->in_prompt &&
        run->prompt_voiced >= MS_TO_FRAMES (persona->hang_up_into_ms)) {
      action = ACTION_HANG_UP;
    } else if (persona->talks_over && run->in_prompt && !run->spoke_this_prompt && has_turn &&
               run->prompt_voiced >= TALK_OVER_FRAMES) {
      run->turn_at = run->frame;
    } else if (run->in_prompt && run->bot_silence >= HANGOVER_FRAMES) {
      /* The bot's prompt is over: answer it, or leave if there is nothing more to say. */
      run->in_prompt = FALSE;
      if (!run->spoke_this_prompt && has_turn)
        run->turn_at = run->frame + REACTION_FRAMES;
      else if (!has_turn && persona->hang_up_when_done &&
               (run->turn > 0 || self->greeting_text != NULL))
        action = ACTION_HANG_UP;
    } else if (run->idle >= IDLE_HANG_UP_FRAMES || run->frame >= MAX_CALL_FRAMES) {
      action = ACTION_HANG_UP;
    }
  }
  run->frame++;
  return action;
}

static gboolean
persona_hang_up_cb (gpointer data)
{
  TbSimCall *self = data;

  g_clear_handle_id (&self->end_id, g_source_remove);
  _tb_call_end (TB_CALL (self), TB_CALL_END_REASON_COMPLETED, 0, "the callee hung up");
  return G_SOURCE_REMOVE;
}

static void
stop_audio (TbSimCall *self)
{
  if (g_atomic_int_compare_and_exchange (&self->stopped, FALSE, TRUE) && self->appsrc != NULL)
    gst_app_src_end_of_stream (GST_APP_SRC (self->appsrc));
}

/* From a streaming or pacer thread: one bot frame in, one callee frame out. */
static void
step_and_push (TbSimCall    *self,
               const gint16 *bot)
{
  gint16 out[FRAME_SAMPLES];
  const char *dtmf = NULL;
  GstBuffer *buffer;
  Action action;

  if (g_atomic_int_get (&self->stopped))
    return;
  action = run_step (self, bot, out, &dtmf);
  buffer = gst_buffer_new_memdup (out, FRAME_BYTES);
  if (self->fast) {
    GST_BUFFER_PTS (buffer) = self->out_frames * FRAME_NS;
    GST_BUFFER_DURATION (buffer) = FRAME_NS;
  }
  self->out_frames++;
  gst_app_src_push_buffer (GST_APP_SRC (self->appsrc), buffer);

  if (action == ACTION_DTMF) {
    for (const char *p = dtmf; *p; p++)
      _tb_call_emit_dtmf (TB_CALL (self), *p);
  } else if (action == ACTION_HANG_UP) {
    stop_audio (self);
    g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, persona_hang_up_cb,
                                g_object_ref (self), g_object_unref);
  }
}

static gboolean
pop_frame (TbSimCall *self,
           gint16    *frame,
           gboolean   pad)
{
  gboolean got = FALSE;

  g_mutex_lock (&self->lock);
  if (self->bot_queue->len >= FRAME_BYTES) {
    memcpy (frame, self->bot_queue->data, FRAME_BYTES);
    g_byte_array_remove_range (self->bot_queue, 0, FRAME_BYTES);
    got = TRUE;
  } else if (pad) {
    /* Real time: whatever part of a frame arrived, the rest is silence. */
    memset (frame, 0, FRAME_BYTES);
    if (self->bot_queue->len > 0)
      memcpy (frame, self->bot_queue->data, self->bot_queue->len);
    g_byte_array_set_size (self->bot_queue, 0);
    got = TRUE;
  }
  g_mutex_unlock (&self->lock);
  return got;
}

static void
queue_bot_audio (TbSimCall *self,
                 GstBuffer *buffer)
{
  GstMapInfo map;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;
  g_mutex_lock (&self->lock);
  g_byte_array_append (self->bot_queue, map.data, map.size);
  /* Real time keeps at most a second: a stalled pacer must not grow it forever. */
  if (!self->fast && self->bot_queue->len > 8000 * 2)
    g_byte_array_remove_range (self->bot_queue, 0, self->bot_queue->len - 8000 * 2);
  g_mutex_unlock (&self->lock);
  gst_buffer_unmap (buffer, &map);
}

static GstPadProbeReturn
on_bot_buffer_fast (GstPad          *pad,
                    GstPadProbeInfo *info,
                    gpointer         user_data)
{
  TbSimCall *self = user_data;
  gint16 frame[FRAME_SAMPLES];

  queue_bot_audio (self, GST_PAD_PROBE_INFO_BUFFER (info));
  while (pop_frame (self, frame, FALSE))
    step_and_push (self, frame);
  return GST_PAD_PROBE_OK;
}

static void
on_fakesink_handoff (GstElement *sink,
                     GstBuffer  *buffer,
                     GstPad     *pad,
                     gpointer    user_data)
{
  queue_bot_audio (user_data, buffer);
}

static gpointer
pacer_thread (gpointer data)
{
  TbSimCall *self = data;
  gint64 next = g_get_monotonic_time ();
  gint16 frame[FRAME_SAMPLES];

  while (!g_atomic_int_get (&self->stopped)) {
    gint64 now;
    GstState state;

    next += 20000;
    now = g_get_monotonic_time ();
    if (next > now)
      g_usleep (next - now);
    /* Until the media session plays the endpoint (or a grace period passes) the callee
     * has not put the phone to the ear yet. */
    state = GST_STATE (self->appsrc);
    if (state != GST_STATE_PLAYING && now - self->answered_mono < UNCONNECTED_GRACE_US)
      continue;
    pop_frame (self, frame, TRUE);
    if (state == GST_STATE_PLAYING) {
      step_and_push (self, frame);
    } else {
      /* Nobody listens: run the persona (idle timeouts) but push nothing. */
      gint16 out[FRAME_SAMPLES];
      const char *dtmf = NULL;

      if (run_step (self, frame, out, &dtmf) == ACTION_HANG_UP) {
        stop_audio (self);
        g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, persona_hang_up_cb,
                                    g_object_ref (self), g_object_unref);
      }
    }
  }
  return NULL;
}

static void
build_endpoint (TbSimCall *self)
{
  g_autoptr(GstCaps) caps = gst_caps_from_string (TB_CALL_AUDIO_CAPS);
  g_autoptr(GstPad) src_pad = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  GstElement *filter, *sink;

  self->source_bin = gst_object_ref_sink (gst_bin_new (NULL));
  self->appsrc = gst_element_factory_make ("appsrc", NULL);
  g_object_set (self->appsrc,
                "caps", caps,
                "format", GST_FORMAT_TIME,
                "is-live", !self->fast,
                "do-timestamp", !self->fast,
                NULL);
  gst_bin_add (GST_BIN (self->source_bin), self->appsrc);
  src_pad = gst_element_get_static_pad (self->appsrc, "src");
  gst_element_add_pad (self->source_bin, gst_ghost_pad_new ("src", src_pad));

  self->sink_bin = gst_object_ref_sink (gst_bin_new (NULL));
  filter = gst_element_factory_make ("capsfilter", NULL);
  g_object_set (filter, "caps", caps, NULL);
  sink = self->fakesink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", !self->fast, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (self->sink_bin), filter, sink, NULL);
  gst_element_link (filter, sink);
  sink_pad = gst_element_get_static_pad (filter, "sink");
  gst_element_add_pad (self->sink_bin, gst_ghost_pad_new ("sink", sink_pad));

  if (self->fast) {
    g_autoptr(GstPad) pad = gst_element_get_static_pad (sink, "sink");

    /* Before the sink's preroll wait: the first bot frame must make the first callee frame,
     * or a paused pipeline waits for both forever. */
    self->probe_id = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_bot_buffer_fast,
                                        self, NULL);
  } else {
    g_object_set (sink, "signal-handoffs", TRUE, NULL);
    self->handoff_id = g_signal_connect (sink, "handoff", G_CALLBACK (on_fakesink_handoff), self);
  }
}

static void
clear_timers (TbSimCall *self)
{
  g_clear_handle_id (&self->ring_id, g_source_remove);
  g_clear_handle_id (&self->answer_id, g_source_remove);
  g_clear_handle_id (&self->end_id, g_source_remove);
}

static void
end_call (TbSimCall       *self,
          TbCallEndReason  reason,
          int              code,
          const char      *message)
{
  clear_timers (self);
  g_cancellable_cancel (self->cancellable);
  stop_audio (self);
  _tb_call_end (TB_CALL (self), reason, code, message);
}

static void
maybe_answer (TbSimCall *self)
{
  if (!self->rendered || !self->ring_elapsed ||
      tb_call_get_state (TB_CALL (self)) == TB_CALL_STATE_ENDED)
    return;
  g_clear_handle_id (&self->end_id, g_source_remove);
  build_endpoint (self);
  self->answered_mono = g_get_monotonic_time ();
  _tb_call_set_state (TB_CALL (self), TB_CALL_STATE_ANSWERED);
  if (!self->fast)
    self->pacer = g_thread_new ("tb-sim-pacer", pacer_thread, self);
}

static gboolean
answer_cb (gpointer data)
{
  TbSimCall *self = data;

  self->answer_id = 0;
  self->ring_elapsed = TRUE;
  maybe_answer (self);
  return G_SOURCE_REMOVE;
}

static gboolean
ring_timeout_cb (gpointer data)
{
  TbSimCall *self = data;

  self->end_id = 0;
  end_call (self, TB_CALL_END_REASON_NO_ANSWER, 0, "no answer before the ring timeout");
  return G_SOURCE_REMOVE;
}

static gboolean
busy_cb (gpointer data)
{
  TbSimCall *self = data;

  self->end_id = 0;
  end_call (self, TB_CALL_END_REASON_BUSY, 0, "the callee is busy");
  return G_SOURCE_REMOVE;
}

static void
render_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TbSimCall) self = user_data;
  g_autoptr(GError) error = NULL;
  Rendered *r = g_task_propagate_pointer (G_TASK (result), &error);

  if (r == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      end_call (self, TB_CALL_END_REASON_FAILED, 0, error->message);
    return;
  }
  self->phrases = g_steal_pointer (&r->phrases);
  self->phrases_unswayed = g_steal_pointer (&r->phrases_unswayed);
  self->greeting = g_steal_pointer (&r->greeting);
  rendered_free (r);
  self->rendered = TRUE;
  maybe_answer (self);
}

static gboolean
ring_cb (gpointer data)
{
  TbSimCall *self = data;

  self->ring_id = 0;
  _tb_call_set_state (TB_CALL (self), TB_CALL_STATE_RINGING);
  switch (self->persona->outcome) {
  case TB_SIM_OUTCOME_BUSY:
    self->end_id = g_timeout_add_full (G_PRIORITY_DEFAULT, scaled (self, 500), busy_cb,
                                       g_object_ref (self), g_object_unref);
    break;
  case TB_SIM_OUTCOME_NO_ANSWER:
    self->end_id = g_timeout_add_full (G_PRIORITY_DEFAULT, scaled (self, self->ring_timeout_ms),
                                       ring_timeout_cb, g_object_ref (self), g_object_unref);
    break;
  case TB_SIM_OUTCOME_ANSWER:
  default: {
    g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, render_cb, g_object_ref (self));

    g_task_set_source_tag (task, ring_cb);
    /* The thread reads only what is fixed at construction: the turns, the voice. The
     * callback's data holds a reference for as long as it runs. */
    g_task_set_task_data (task, self, NULL);
    g_task_run_in_thread (task, render_thread);
    self->answer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, scaled (self, self->ring_ms),
                                          answer_cb, g_object_ref (self), g_object_unref);
    /* Slow rendering must not make a ringing call outlast its timeout. */
    self->end_id = g_timeout_add_full (G_PRIORITY_DEFAULT, scaled (self, self->ring_timeout_ms),
                                       ring_timeout_cb, g_object_ref (self), g_object_unref);
    break;
  }
  }
  return G_SOURCE_REMOVE;
}

static void
tb_sim_call_hang_up (TbCall *call)
{
  TbSimCall *self = TB_SIM_CALL (call);

  if (tb_call_get_state (call) == TB_CALL_STATE_ANSWERED)
    end_call (self, TB_CALL_END_REASON_COMPLETED, 0, NULL);
  else
    end_call (self, TB_CALL_END_REASON_CANCELLED, 0, NULL);
}

static gboolean
tb_sim_call_send_dtmf (TbCall      *call,
                       const char  *digits,
                       GError     **error)
{
  TbSimCall *self = TB_SIM_CALL (call);

  g_string_append (self->dtmf_heard, digits);
  return TRUE;
}

static gboolean
transferred_cb (gpointer data)
{
  TbSimCall *self = data;

  self->end_id = 0;
  end_call (self, TB_CALL_END_REASON_COMPLETED, 0, "transferred");
  return G_SOURCE_REMOVE;
}

static void
tb_sim_call_transfer_async (TbCall              *call,
                            const char          *target,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  TbSimCall *self = TB_SIM_CALL (call);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tb_sim_call_transfer_async);
  g_clear_handle_id (&self->end_id, g_source_remove);
  self->end_id = g_timeout_add_full (G_PRIORITY_DEFAULT, scaled (self, 500), transferred_cb,
                                     g_object_ref (self), g_object_unref);
  g_task_return_boolean (task, TRUE);
}

static gboolean
tb_sim_call_transfer_finish (TbCall        *call,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GstElement *
tb_sim_call_get_audio_source (TbCall *call)
{
  return TB_SIM_CALL (call)->source_bin;
}

static GstElement *
tb_sim_call_get_audio_sink (TbCall *call)
{
  return TB_SIM_CALL (call)->sink_bin;
}

static gboolean
tb_sim_call_is_realtime (TbCall *call)
{
  return !TB_SIM_CALL (call)->fast;
}

static void
tb_sim_call_dispose (GObject *object)
{
  TbSimCall *self = TB_SIM_CALL (object);

  clear_timers (self);
  g_cancellable_cancel (self->cancellable);
  g_atomic_int_set (&self->stopped, TRUE);
  if (self->pacer != NULL)
    g_clear_pointer (&self->pacer, g_thread_join);
  g_clear_object (&self->cancellable);
  /* The bins may outlive the call inside someone's pipeline: unhook from them first. */
  if (self->probe_id != 0) {
    g_autoptr(GstPad) pad = gst_element_get_static_pad (self->fakesink, "sink");

    gst_pad_remove_probe (pad, self->probe_id);
    self->probe_id = 0;
  }
  g_clear_signal_handler (&self->handoff_id, self->fakesink);
  self->fakesink = NULL;
  g_clear_object (&self->source_bin);
  g_clear_object (&self->sink_bin);
  self->appsrc = NULL;

  G_OBJECT_CLASS (tb_sim_call_parent_class)->dispose (object);
}

static void
tb_sim_call_finalize (GObject *object)
{
  TbSimCall *self = TB_SIM_CALL (object);

  /* Both lists, whichever @phrases points at now. */
  if (self->phrases == self->phrases_unswayed)
    self->phrases = NULL;
  g_clear_pointer (&self->phrases, g_ptr_array_unref);
  g_clear_pointer (&self->phrases_unswayed, g_ptr_array_unref);
  g_clear_pointer (&self->greeting, g_bytes_unref);
  g_clear_pointer (&self->run.playing, g_bytes_unref);
  g_clear_pointer (&self->own_turns, g_strfreev);
  g_clear_pointer (&self->own_turns_unswayed, g_strfreev);
  g_byte_array_unref (self->bot_queue);
  g_queue_clear_full (&self->said, g_free);
  g_string_free (self->dtmf_heard, TRUE);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tb_sim_call_parent_class)->finalize (object);
}

static void
tb_sim_call_class_init (TbSimCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TbCallClass *call_class = TB_CALL_CLASS (klass);

  object_class->dispose = tb_sim_call_dispose;
  object_class->finalize = tb_sim_call_finalize;
  call_class->hang_up = tb_sim_call_hang_up;
  call_class->send_dtmf = tb_sim_call_send_dtmf;
  call_class->transfer_async = tb_sim_call_transfer_async;
  call_class->transfer_finish = tb_sim_call_transfer_finish;
  call_class->get_audio_source = tb_sim_call_get_audio_source;
  call_class->get_audio_sink = tb_sim_call_get_audio_sink;
  call_class->is_realtime = tb_sim_call_is_realtime;
}

static void
tb_sim_call_init (TbSimCall *self)
{
  self->cancellable = g_cancellable_new ();
  self->bot_queue = g_byte_array_new ();
  g_queue_init (&self->said);
  self->dtmf_heard = g_string_new (NULL);
  self->run.turn_at = -1;
  g_mutex_init (&self->lock);
}

TbSimCall *
tb_sim_call_new (const char         *number,
                 const TbSimPersona *persona,
                 const char         *language,
                 gboolean            fast,
                 guint               ring_ms,
                 guint               ring_timeout_ms)
{
  TbSimCall *self = g_object_new (TB_TYPE_SIM_CALL, "number", number, NULL);

  self->persona = persona;
  self->own_turns = tb_sim_persona_pick_wordings (tb_sim_persona_get_turns (persona, language),
                                                  number);
  self->turns = (const char *const *) self->own_turns;
  if (tb_sim_persona_get_turns_unswayed (persona, language) != NULL) {
    self->own_turns_unswayed =
      tb_sim_persona_pick_wordings (tb_sim_persona_get_turns_unswayed (persona, language),
                                    number);
    self->turns_unswayed = (const char *const *) self->own_turns_unswayed;
  }
  self->swayed_by = tb_sim_persona_get_swayed_by (persona, language);
  self->greeting_text = tb_sim_persona_get_greeting (persona, language);
  self->voice = tb_sim_persona_get_voice (language);
  self->fast = fast;
  self->ring_timeout_ms = ring_timeout_ms;
  self->ring_ms = MIN (ring_ms, ring_timeout_ms / 2);
  self->ring_id = g_timeout_add_full (G_PRIORITY_DEFAULT, scaled (self, 100), ring_cb,
                                      g_object_ref (self), g_object_unref);
  return self;
}

const TbSimPersona *
tb_sim_call_get_persona (TbSimCall *self)
{
  g_return_val_if_fail (TB_IS_SIM_CALL (self), NULL);
  return self->persona;
}

const char *
tb_sim_call_get_dtmf_heard (TbSimCall *self)
{
  g_return_val_if_fail (TB_IS_SIM_CALL (self), NULL);
  return self->dtmf_heard->str;
}

char *
tb_sim_call_take_said (TbSimCall *self)
{
  char *text;

  g_return_val_if_fail (TB_IS_SIM_CALL (self), NULL);
  g_mutex_lock (&self->lock);
  text = g_queue_pop_head (&self->said);
  g_mutex_unlock (&self->lock);
  return text;
}

/* Whether @text holds @word as a whole word (any case); in Chinese, anywhere. */
static gboolean
has_word (const char *text,
          const char *word)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *needle = g_utf8_casefold (word, -1);
  gsize n = strlen (needle);

  for (const char *p = strstr (folded, needle); p != NULL; p = strstr (p + 1, needle)) {
    gboolean start = p == folded || !g_ascii_isalnum (p[-1]);
    gboolean end = !g_ascii_isalnum (p[n]);

    if ((start && end) || (guchar) needle[0] >= 0x80)
      return TRUE;
  }
  return FALSE;
}

/**
 * tb_sim_call_hear:
 * @text: the words of a prompt the bot plays on this call
 *
 * The bot's words travel with its audio on the simulated line (as the callee's do for a
 * rehearsal): a persona won over by a word (TbSimPersona:swayed_by) answers what it heard.
 */
void
tb_sim_call_hear (TbSimCall  *self,
                  const char *text)
{
  g_return_if_fail (TB_IS_SIM_CALL (self));

  if (text == NULL || self->persona == NULL)
    return;
  g_mutex_lock (&self->lock);
  if (!self->heard_word && self->persona->turns_unswayed != NULL)
    self->heard_word = (self->persona->swayed_by != NULL &&
                        has_word (text, self->persona->swayed_by)) ||
                       (self->persona->swayed_by_zh != NULL &&
                        has_word (text, self->persona->swayed_by_zh));
  g_mutex_unlock (&self->lock);
}
