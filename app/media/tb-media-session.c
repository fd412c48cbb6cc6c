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
#include "tb-media-session-private.h"

#include "tb-enums.h"
#include "tb-media-decode.h"
#include "tb-paths.h"

#include <errno.h>
#include <string.h>

G_DEFINE_QUARK (tb-media-error-quark, tb_media_error)

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
  SIGNAL_UTTERANCE_PAUSED,
  SIGNAL_PROMPT_STARTED,
  SIGNAL_PROMPT_FINISHED,
  SIGNAL_NO_INPUT,
  SIGNAL_LEVELS,
  SIGNAL_DTMF,
  SIGNAL_AMD_RESULT,
  SIGNAL_ANNOUNCEMENT,
  SIGNAL_FAILED,
  SIGNAL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GstCaps *
_tb_media_session_pcm_caps (void)
{
  return gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "rate", G_TYPE_INT, TB_PCM_RATE,
                              "channels", G_TYPE_INT, 1,
                              "layout", G_TYPE_STRING, "interleaved",
                              NULL);
}

void
_tb_media_session_event_free (Event *ev)
{
  g_clear_pointer (&ev->pcm, g_bytes_unref);
  g_free (ev->text);
  g_free (ev->text2);
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
      _tb_media_session_event_free (ev);
      continue;
    }
    switch (ev->type) {
    case EV_UTTERANCE_STARTED:
      g_signal_emit (self, signals[SIGNAL_UTTERANCE_STARTED], 0, ev->a);
      break;
    case EV_UTTERANCE_ENDED:
      g_signal_emit (self, signals[SIGNAL_UTTERANCE_ENDED], 0, ev->pcm, ev->a, ev->b);
      break;
    case EV_UTTERANCE_PAUSED:
      if (g_signal_has_handler_pending (self, signals[SIGNAL_UTTERANCE_PAUSED], 0, FALSE))
        g_signal_emit (self, signals[SIGNAL_UTTERANCE_PAUSED], 0, ev->pcm, ev->a, ev->b);
      else
        tb_media_session_release (self);   /* nobody judges pauses: the lockstep hold goes */
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
    case EV_ANNOUNCEMENT:
      g_signal_emit (self, signals[SIGNAL_ANNOUNCEMENT], 0, ev->text, ev->text2);
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
    _tb_media_session_event_free (ev);
  }
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Any thread, @lock held. */
Event *
_tb_media_session_post_locked (TbMediaSession *self,
                               EventType       type)
{
  Event *ev = g_new0 (Event, 1);

  ev->type = type;
  _tb_media_session_post_event_locked (self, ev);
  return ev;
}

void
_tb_media_session_post_event_locked (TbMediaSession *self,
                                     Event          *ev)
{
  g_queue_push_tail (&self->events, ev);
  if (self->dispatch == NULL && !self->flushing) {
    self->dispatch = g_idle_source_new ();
    g_source_set_priority (self->dispatch, G_PRIORITY_DEFAULT);
    g_source_set_callback (self->dispatch, dispatch_cb, self, NULL);
    g_source_set_static_name (self->dispatch, "[tb-media-session] events");
    g_source_attach (self->dispatch, self->context);
  }
  }

/* After the pipeline stopped: close the recording and give the line its bins back. */
static void
release_resources (TbMediaSession *self)
{
  g_mutex_lock (&self->lock);
  _tb_media_session_close_recording_locked (self);
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
  _tb_media_session_close_recording_locked (self);
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

  g_queue_clear_full (&self->events, (GDestroyNotify) _tb_media_session_event_free);
  g_queue_clear_full (&self->held, (GDestroyNotify) _tb_media_session_event_free);
  g_queue_clear_full (&self->prompts, (GDestroyNotify) _tb_media_session_prompt_free);
  g_array_unref (self->bot_ring);
  g_array_unref (self->mic_fifo);
  g_array_unref (self->carry);
  tb_endpointer_free (self->ep);
  tb_dtmf_detector_free (self->dtmf);
  g_clear_pointer (&self->amd, tb_amd_free);
  g_clear_pointer (&self->announce, tb_announcement_detector_free);
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
  /* (GBytes *pcm_so_far, gint64 start_us, gint64 speech_end_us): the early hangover of
   * silence passed (see tb_media_session_set_early_hangover_ms()). In lockstep audio time is
   * held until the handler releases it. */
  signals[SIGNAL_UTTERANCE_PAUSED] =
    g_signal_new ("utterance-paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
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
  signals[SIGNAL_ANNOUNCEMENT] =
    g_signal_new ("announcement", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
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
  g_queue_init (&self->held);
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
  g_autoptr(GstCaps) caps = _tb_media_session_pcm_caps ();
  g_autoptr(GstBus) bus = NULL;
  GstAppSrcCallbacks src_cb = { .need_data = _tb_media_session_on_bot_need_data };
  GstAppSinkCallbacks sink_cb = {
    .new_sample = _tb_media_session_on_callee_new_sample,
    .eos = _tb_media_session_on_callee_eos,
  };

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
  p->fade_left = -1;
  p->pcm = pcm ? g_bytes_ref (pcm) : NULL;
  if (self->taken_over || self->flushing) {
    _tb_media_session_post_prompt_finished (self, p, TB_PROMPT_END_STOPPED);
    _tb_media_session_prompt_free (p);
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
  /* An interrupted prompt fades out (100 ms) rather than cut with a click. */
  _tb_media_session_fade_out_locked (self, TB_PROMPT_END_STOPPED);
  g_mutex_unlock (&self->lock);
}

void
tb_media_session_set_barge_in (TbMediaSession *self,
                               guint           prompt_id,
                               guint           after_ms,
                               guint           min_speech_ms)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  for (GList *l = self->prompts.head; l != NULL; l = l->next) {
    Prompt *p = l->data;

    if (p->id == prompt_id) {
      p->barge_after = after_ms * (TB_PCM_RATE / 1000);
      p->barge_min = min_speech_ms * (TB_PCM_RATE / 1000);
    }
  }
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
 * infinitely fast machine. Real-time sessions ignore it. Holds nest; a hold stops audio time
 * for 30 s of wall time at most. */
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

/* Lockstep sessions: take a hold (see tb_media_session_hold()) at each "utterance-ended",
 * each "prompt-finished" and an "announcement", at the audio sample where it happened; the handler releases it once
 * it has answered (queued the next prompt) or decided not to. Without the hold a loaded
 * machine lets audio time run on meanwhile: a simulated callee hears a long silence between
 * two prompts and takes its turn. */
void
tb_media_session_set_lockstep_holds (TbMediaSession *self,
                                     gboolean        hold)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  self->lockstep_holds = hold;
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

  /* The callee's voice: the owner's alone (0600). */
  if ((f = tb_paths_fopen_private (path, error)) == NULL) {
    g_prefix_error (error, "recording: ");
    return FALSE;
  }
  /* Flushed at once: a kill before the first samples leaves a header, not an empty file. */
  if (fwrite (header, 1, sizeof header, f) != sizeof header || fflush (f) != 0) {
    int saved = errno;

    fclose (f);
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 "recording “%s”: %s", path, g_strerror (saved));
    return FALSE;
  }
  g_mutex_lock (&self->lock);
  _tb_media_session_close_recording_locked (self);
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
  _tb_media_session_close_recording_locked (self);
  g_mutex_unlock (&self->lock);
}

const char *
tb_media_session_get_recording_path (TbMediaSession *self)
{
  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), NULL);
  return self->recording_path;
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

/* Listens to the next @window_ms of callee audio for a carrier's announcement: special
 * information tones, or one of @prints (TbAnnouncementPrint*, may be NULL). "announcement"
 * fires once if one is recognised; an answering-machine decision taken while one may be
 * under way (a SIT's first tone is a "beep") waits for it, and is dropped when it is one. */
void
tb_media_session_detect_announcements (TbMediaSession *self,
                                       GPtrArray      *prints,
                                       guint           window_ms)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->announce, tb_announcement_detector_free);
  self->announce = tb_announcement_detector_new (prints, window_ms);
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

/**
 * tb_media_session_set_early_hangover_ms:
 * @early_ms: silence after speech that emits "utterance-paused"; 0: never (the default)
 *
 * The early end of a turn: after @early_ms of silence the handler of "utterance-paused" may
 * judge what was said a complete answer and end the utterance there
 * (tb_media_session_end_utterance()); otherwise it ends after the hangover as before.
 */
void
tb_media_session_set_early_hangover_ms (TbMediaSession *self,
                                        guint           early_ms)
{
  g_return_if_fail (TB_IS_MEDIA_SESSION (self));
  g_mutex_lock (&self->lock);
  if (early_ms != self->early_hangover_ms) {
    self->early_hangover_ms = early_ms;
    self->ep_dirty = TRUE;
  }
  g_mutex_unlock (&self->lock);
}

/**
 * tb_media_session_end_utterance:
 * @speech_end_us: the "utterance-paused" speech end it answers
 *
 * Ends the utterance in progress now ("utterance-ended" follows) if nothing was said since
 * that pause. Returns whether it did.
 */
gboolean
tb_media_session_end_utterance (TbMediaSession *self,
                                gint64          speech_end_us)
{
  gboolean ended;

  g_return_val_if_fail (TB_IS_MEDIA_SESSION (self), FALSE);
  g_mutex_lock (&self->lock);
  ended = tb_endpointer_end_now (self->ep,
                                 speech_end_us * TB_PCM_RATE / G_USEC_PER_SEC);
  if (ended)
    _tb_media_session_utterance_ended_locked (self);
  g_mutex_unlock (&self->lock);
  return ended;
}
