/* tb-call-session.c — one call, end to end: line, media, recognizer, dialog, store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN.md §2 in code. The line gives the call and its audio endpoint; the
 * media session plays, records and finds the callee's utterances; the
 * recognizer turns them into text; the dialog engine decides; this object
 * carries each decision out and writes it to the store as it happens.
 * Everything runs on the main loop; audio stays in GStreamer's threads and
 * recognition and synthesis in worker threads.
 *
 * This file: the object, the renders the dial waits for, the line and the dial;
 * the call once dialed is in tb-call-session-dialog.c, what it says in
 * tb-call-session-prompts.c (tb-call-session-private.h).
 */
#define G_LOG_DOMAIN "tb-call-session"

#include "config.h"

#include "tb-call-session-private.h"
#include "tb-announcement-library.h"
#include "tb-espeak-synthesizer.h"
#include "tb-rehearsal-recognizer.h"

/* How long a call waits for its line to come up (SIP registration, a modem's
 * start-up) before it fails. */
#define LINE_READY_TIMEOUT_S 30

G_DEFINE_FINAL_TYPE (TbCallSession, tb_call_session, G_TYPE_OBJECT)

enum {
  FINISHED,
  RECOGNIZED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
dialog_clock (gpointer data)
{
  TbCallSession *self = data;

  return self->media ? tb_media_session_get_position_us (self->media) : 0;
}

static void
stop_waiting_for_line (TbCallSession *self)
{
  g_clear_signal_handler (&self->line_handler, self->line);
  g_clear_handle_id (&self->line_timeout_id, g_source_remove);
}

static gboolean
emit_finished_cb (gpointer data)
{
  TbCallSession *self = data;

  self->finish_id = 0;
  g_signal_emit (self, signals[FINISHED], 0);
  return G_SOURCE_REMOVE;
}

void
_tb_call_session_emit_finished (TbCallSession *self)
{
  g_signal_emit (self, signals[FINISHED], 0);
}

void
_tb_call_session_emit_recognized (TbCallSession *self,
                                  gboolean       failed,
                                  const char    *reason)
{
  g_signal_emit (self, signals[RECOGNIZED], 0, failed, reason);
}

static void
tb_call_session_dispose (GObject *object)
{
  TbCallSession *self = TB_CALL_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->finish_id, g_source_remove);
  stop_waiting_for_line (self);
  if (self->turns != NULL)
    tb_turn_taker_close (self->turns);
  g_clear_object (&self->turns);
  if (self->media != NULL)
    tb_media_session_stop (self->media);
  g_clear_object (&self->media);
  g_clear_object (&self->dialog);
  /* The line may outlive this session (others hold it, tb-line-registry.h): a call nobody
   * handles any more is hung up, not left to the line's stop. */
  if (self->call != NULL)
    tb_call_hang_up (self->call);
  g_clear_object (&self->call);

  G_OBJECT_CLASS (tb_call_session_parent_class)->dispose (object);
}

static void
tb_call_session_finalize (GObject *object)
{
  TbCallSession *self = TB_CALL_SESSION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->line);
  g_clear_object (&self->script);
  g_clear_object (&self->recognizer);
  g_clear_object (&self->live);
  g_clear_object (&self->clock);
  g_clear_object (&self->synth);
  g_clear_object (&self->fallback);
  g_clear_object (&self->prompts);
  g_clear_pointer (&self->personal, g_hash_table_unref);
  g_clear_pointer (&self->ready, g_hash_table_unref);
  g_clear_pointer (&self->variables, g_hash_table_unref);
  g_clear_pointer (&self->listen_phrases, g_strfreev);
  g_clear_pointer (&self->settled_phrases, g_strfreev);
  g_clear_pointer (&self->announcements, g_ptr_array_unref);
  g_free (self->number);
  g_free (self->persona);
  g_free (self->caller_id);
  g_free (self->recording);
  g_free (self->recording_path);
  g_free (self->result_reasons);
  g_free (self->recognizer_error);

  G_OBJECT_CLASS (tb_call_session_parent_class)->finalize (object);
}

static void
tb_call_session_class_init (TbCallSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_call_session_dispose;
  object_class->finalize = tb_call_session_finalize;

  /**
   * TbCallSession::finished:
   *
   * The call is over and every write about it is done; read
   * tb_call_session_get_result().
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TbCallSession::recognized:
   * @failed: the recognizer could not listen at all (TbRecognition:failed)
   * @reason: (nullable): why there is no text
   *
   * Emitted for each of the callee's utterances once the recognizer is done with it; the
   * campaign counts failures in a row across its calls.
   */
  signals[RECOGNIZED] = g_signal_new ("recognized", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                      G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
tb_call_session_init (TbCallSession *self)
{
  self->cancellable = g_cancellable_new ();
}

TbCallSession *
tb_call_session_new (const TbCallSessionSetup *setup)
{
  TbCallSession *self;

  g_return_val_if_fail (setup != NULL, NULL);
  g_return_val_if_fail (TB_IS_STORE (setup->store), NULL);
  g_return_val_if_fail (TB_IS_LINE (setup->line), NULL);
  g_return_val_if_fail (TB_IS_RECOGNIZER (setup->recognizer), NULL);
  g_return_val_if_fail (setup->script != NULL && setup->number != NULL, NULL);

  self = g_object_new (TB_TYPE_CALL_SESSION, NULL);
  self->store = g_object_ref (setup->store);
  self->line = g_object_ref (setup->line);
  self->script = g_object_ref (setup->script);
  self->recognizer = g_object_ref (setup->recognizer);
  self->live = setup->live ? g_object_ref (setup->live) : NULL;
  self->clock = setup->clock ? g_object_ref (setup->clock) : tb_clock_new (0, FALSE);
  self->synth = setup->synthesizer ? g_object_ref (setup->synthesizer)
                                   : TB_SYNTHESIZER (tb_espeak_synthesizer_new ());
  self->prompts = setup->prompts ? g_object_ref (setup->prompts) : tb_prompt_cache_new (NULL);
  self->personal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_bytes_unref);
  self->variables = setup->variables ? g_hash_table_ref (setup->variables)
                                     : g_hash_table_new (g_str_hash, g_str_equal);
  self->attempt_id = setup->attempt_id;
  self->no_opt_out_question = setup->no_opt_out_question;
  self->campaign_id = setup->campaign_id;
  self->number = g_strdup (setup->number);
  self->persona = g_strdup (setup->persona);
  self->caller_id = g_strdup (setup->caller_id);
  if (setup->record) {
    self->recording = tb_store_recording_name (setup->campaign_id, setup->attempt_id);
    self->recording_path = tb_store_resolve_path (self->store, self->recording);
  }
  return self;
}

/* Ends the session before anything was dialed, with @outcome (also its end reason). */
static void
end_before_dial (TbCallSession *self,
                 const char    *outcome)
{
  self->finished = TRUE;
  self->result.outcome = outcome;
  self->result.end_reason = outcome;
  self->result.ended_at = tb_clock_now (self->clock);
  self->finish_id = g_idle_add_full (G_PRIORITY_DEFAULT, emit_finished_cb,
                                     g_object_ref (self), g_object_unref);
}

static void
fail_before_dial (TbCallSession *self,
                  const GError  *error)
{
  /* The line refused before any signalling: a failed attempt, with why. */
  g_message ("attempt %" G_GINT64_FORMAT ": %s", self->attempt_id, error->message);
  end_before_dial (self, "failed");
}

static void
dial (TbCallSession *self)
{
  g_autoptr(TbDialRequest) request = tb_dial_request_new (self->number);
  g_autoptr(GError) error = NULL;

  request->persona = g_strdup (self->persona);
  request->caller_id = g_strdup (self->caller_id);
  request->variables = g_hash_table_ref (self->variables);
  request->language = g_strdup (tb_script_get_language (self->script));

  self->call = tb_line_dial (self->line, request, &error);
  if (self->call == NULL) {
    fail_before_dial (self, error);
    return;
  }
  /* A rehearsal reads this call's simulated callee. */
  if (TB_IS_REHEARSAL_RECOGNIZER (self->recognizer) && TB_IS_SIM_CALL (self->call)) {
    g_object_unref (self->recognizer);
    self->recognizer = TB_RECOGNIZER (tb_rehearsal_recognizer_new (TB_SIM_CALL (self->call)));
  }
  g_signal_connect_object (self->call, "dtmf-received",
                           G_CALLBACK (_tb_call_session_on_call_dtmf), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call, "notify::state",
                           G_CALLBACK (_tb_call_session_on_call_state_changed), self,
                           G_CONNECT_SWAPPED);
  if (tb_call_get_state (self->call) != TB_CALL_STATE_DIALING)
    _tb_call_session_on_call_state_changed (self);
}

/* Dials once the line is up: a SIP account still registering or a modem
 * still starting is waited for, not dialed into a refusal. */
static void
dial_when_ready (TbCallSession *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;

  switch (tb_line_get_state (self->line)) {
  case TB_LINE_STATE_READY:
    stop_waiting_for_line (self);
    dial (self);
    return;
  case TB_LINE_STATE_ERROR:
    stop_waiting_for_line (self);
    why = tb_line_dup_last_error (self->line);
    g_set_error (&error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_READY, "line %s: %s",
                 tb_line_get_name (self->line), why ? why : "error");
    fail_before_dial (self, error);
    return;
  case TB_LINE_STATE_OFFLINE:
  case TB_LINE_STATE_REGISTERING:
  default:
    if (self->line_handler == 0)
      self->line_handler = g_signal_connect_swapped (self->line, "notify::state",
                                                     G_CALLBACK (dial_when_ready), self);
    return;
  }
}

static gboolean
line_timeout_cb (gpointer data)
{
  TbCallSession *self = data;
  g_autoptr(GError) error = NULL;

  self->line_timeout_id = 0;
  stop_waiting_for_line (self);
  g_set_error (&error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_READY,
               "line %s: not ready after %d s", tb_line_get_name (self->line),
               LINE_READY_TIMEOUT_S);
  fail_before_dial (self, error);
  return G_SOURCE_REMOVE;
}

void
_tb_call_session_render_done (TbCallSession *self)
{
  if (--self->renders_pending > 0 || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (tb_line_get_state (self->line) != TB_LINE_STATE_READY)
    self->line_timeout_id = g_timeout_add_seconds (LINE_READY_TIMEOUT_S, line_timeout_cb, self);
  dial_when_ready (self);
}

static void
prerendered_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(TbCallSession) self = data;
  g_autoptr(GError) error = NULL;

  /* A text that cannot be rendered now is tried again when it is needed. */
  if (!tb_prompt_cache_prerender_finish (TB_PROMPT_CACHE (object), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("attempt %" G_GINT64_FORMAT ": %s", self->attempt_id, error->message);
  _tb_call_session_render_done (self);
}

static void
announcements_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(TbCallSession) self = data;
  g_autoptr(GError) error = NULL;
  GPtrArray *prints = tb_announcement_library_load_finish (result, &error);

  /* Without its library the call still hears special information tones. */
  if (prints != NULL)
    self->announcements = prints;
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("attempt %" G_GINT64_FORMAT ": carrier announcements not loaded: %s",
               self->attempt_id, error->message);
  _tb_call_session_render_done (self);
}

/**
 * tb_call_session_start:
 * @self: a session
 *
 * Renders what the call may say (variables filled in), waits for the line to
 * be ready, then dials, so the callee hears the robot at once on answer
 * (COMPLIANCE.md R6.1). The script's texts that are the same in every call
 * come from the prompt cache on disk (rendered once per campaign); those
 * naming the contact are rendered for this call, in memory.
 */
void
tb_call_session_start (TbCallSession *self)
{
  g_auto(GStrv) shared = NULL;
  g_auto(GStrv) personal = NULL;
  const char *voice;

  g_return_if_fail (TB_IS_CALL_SESSION (self));
  g_return_if_fail (self->call == NULL && self->dialog == NULL);

  self->dialog = tb_dialog_new (self->script, self->variables, dialog_clock, self);
  tb_dialog_set_confirm_opt_out (self->dialog, !self->no_opt_out_question);
  voice = tb_script_get_voice (self->script);
  shared = tb_dialog_dup_prompt_texts (self->dialog, &personal);
  self->renders_pending = 2 + g_strv_length (personal);
  tb_announcement_library_load_async (tb_store_get_data_dir (self->store), self->cancellable,
                                      announcements_cb, g_object_ref (self));
  tb_prompt_cache_prerender_async (self->prompts, self->synth, voice,
                                   (const char * const *) shared, self->cancellable,
                                   prerendered_cb, g_object_ref (self));
  for (guint i = 0; personal[i] != NULL; i++)
    _tb_call_session_render_personal (self, personal[i], voice);
}

void
tb_call_session_hang_up (TbCallSession *self)
{
  g_return_if_fail (TB_IS_CALL_SESSION (self));

  if (self->call != NULL)
    tb_call_hang_up (self->call);
}

void
tb_call_session_interrupt (TbCallSession *self)
{
  g_return_if_fail (TB_IS_CALL_SESSION (self));

  self->interrupted = TRUE;
  if (self->call != NULL) {
    tb_call_hang_up (self->call);
  } else if (!self->finished) {
    /* Still rendering its prompts or waiting for the line: nothing to hang up. */
    g_cancellable_cancel (self->cancellable);
    stop_waiting_for_line (self);
    end_before_dial (self, "interrupted");
  }
}

/* The desk's controls act on the call's media, which exists once answered. */
static TbMediaSession *
answered_media (TbCallSession  *self,
                GError        **error)
{
  if (self->media == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "the call is not answered yet");
  return self->media;
}

gboolean
tb_call_session_set_listen_in (TbCallSession  *self,
                               gboolean        on,
                               GError        **error)
{
  TbMediaSession *media;

  g_return_val_if_fail (TB_IS_CALL_SESSION (self), FALSE);

  media = answered_media (self, error);
  return media != NULL && tb_media_session_set_listen_in (media, on, error);
}

gboolean
tb_call_session_set_take_over (TbCallSession  *self,
                               gboolean        on,
                               GError        **error)
{
  TbMediaSession *media;

  g_return_val_if_fail (TB_IS_CALL_SESSION (self), FALSE);

  media = answered_media (self, error);
  return media != NULL && tb_media_session_set_take_over (media, on, error);
}

gint64
tb_call_session_get_attempt_id (TbCallSession *self)
{
  g_return_val_if_fail (TB_IS_CALL_SESSION (self), 0);

  return self->attempt_id;
}

const TbAttemptResult *
tb_call_session_get_result (TbCallSession *self)
{
  g_return_val_if_fail (TB_IS_CALL_SESSION (self), NULL);
  g_return_val_if_fail (self->finished, NULL);

  return &self->result;
}
