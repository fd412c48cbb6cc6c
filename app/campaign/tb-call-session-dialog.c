/* tb-call-session-dialog.c — a call session's dialed call: the dialog engine hears the call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The call's states and the media's events (the callee's turns, keys, prompts ended, silence,
 * an answering machine, a carrier's announcement) go to the dialog engine; its actions are
 * carried out here, an opt-out written before anything else; when the call ends, its result.
 */
#define G_LOG_DOMAIN "tb-call-session"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tb-call-session-private.h"
#include "tb-crm-event.h"
#include "tb-opt-out.h"
#include "tb-paths.h"
#include "tb-rehearsal-recognizer.h"
#include "tb-store-writer.h"
#include "tb-vacant.h"

/* How long the session listens for a carrier's announcement after answer: a SIT and its
 * recording, or a Chinese announcement and its English version, repeated once. */
#define ANNOUNCEMENT_WINDOW_MS 12000
/* How long answering-machine detection listens after answer. */
#define AMD_WINDOW_MS 9000   /* room for a long greeting and its beep (tb-amd.c) */

static void
write_turn (TbCallSession *self,
            const char    *speaker,
            const char    *node,
            const char    *text,
            const char    *intent,
            double         confidence)
{
  gint64 now = tb_clock_now (self->clock);

  /* Written behind the call (tb-store-writer.h): the main loop never waits for the disk. */
  tb_store_attempt_add_turn_later (self->store, self->attempt_id, ++self->turn_seq, speaker,
                                   node, text, intent, confidence, now, now);
  if (self->live != NULL && text != NULL && g_strcmp0 (speaker, "system") != 0)
    tb_live_call_add_turn (self->live, speaker, text);
}

static char *
reasons_to_json (const char * const *reasons)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    json_builder_add_string_value (b, reasons[i]);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* COMPLIANCE.md R2: the DNC entry, the cancelled retries, the audit row, the
 * call's record of it and the CRM event commit together, before the goodbye. */
static void
record_opt_out (TbCallSession        *self,
                const TbDialogAction *action)
{
  g_autoptr(GError) error = NULL;
  const char *source = action->source == TB_DIALOG_SOURCE_DTMF ? "dtmf" : "speech";
  gint64 now = tb_clock_now (self->clock);

  /* A test call to an extension ("service"): no phone number to list. */
  if (!tb_store_is_e164 (self->number)) {
    if (!tb_store_attempt_add_turn (self->store, self->attempt_id, ++self->turn_seq, "system",
                                    action->node, "opt-out heard on a test call to an "
                                    "extension: not a phone number, nothing listed", "opt_out",
                                    1.0, now, now, &error))
      goto fail;
    self->result.opt_out = TRUE;
    return;
  }
  if (!tb_store_begin (self->store, &error))
    goto fail;
  if (!tb_opt_out_record (self->store, self->number, source, action->text, self->attempt_id,
                          self->campaign_id, now, NULL, &error) ||
      !tb_store_attempt_add_turn (self->store, self->attempt_id, ++self->turn_seq, "system",
                                  action->node, "added to the do-not-call list", "opt_out", 1.0,
                                  now, now, &error) ||
      tb_crm_event_enqueue_opted_out (self->store, self->attempt_id, self->number, source,
                                      action->text, &error) < 0) {
    tb_store_rollback (self->store);
    goto fail;
  }
  if (tb_store_commit (self->store, &error)) {
    self->result.opt_out = TRUE;
    return;
  }
fail:
  /* A store that cannot write (a full disk): end the call rather than go on; the campaign
   * stops when the attempt's end cannot be written either. */
  g_message ("attempt %" G_GINT64_FORMAT ": the opt-out could not be saved: %s",
              self->attempt_id, error->message);
  tb_call_hang_up (self->call);
}

static void
listen (TbCallSession        *self,
        const TbDialogAction *action)
{
  /* The grammar: every phrase of the intents this node expects, the global
   * ones included (and the regulatory opt-out phrases, always). */
  g_clear_pointer (&self->listen_phrases, g_strfreev);
  self->listen_phrases = tb_script_dup_grammar (self->script,
                                                (const char * const *) action->intents);
  /* The recognizer's free second pass runs only where the grammar's reading is none of the
   * settled answers (an opt-out, or nothing), where it can change what the dialog does. */
  g_clear_pointer (&self->settled_phrases, g_strfreev);
  self->settled_phrases = tb_script_dup_settled_grammar (self->script,
                                                         (const char * const *) action->intents,
                                                         (const char * const *) action->settled);
  if (self->media != NULL) {
    /* The turn ends after end_silence_ms of silence, or after end_silence_complete_ms once
     * the words so far are a whole phrase of the grammar (a recognizer that can judge it). */
    tb_turn_taker_set_end_silence (self->turns, action->end_silence_ms,
                                   action->end_silence_complete_ms);
    tb_media_session_listen (self->media, action->timeout_ms);
  }
  _tb_call_session_prepare_answers (self);
}

static void
transfer_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(TbCallSession) self = data;
  g_autoptr(GError) error = NULL;

  if (!tb_call_transfer_finish (TB_CALL (object), result, &error)) {
    g_message ("attempt %" G_GINT64_FORMAT ": transfer failed: %s", self->attempt_id,
               error->message);
    tb_call_hang_up (TB_CALL (object));
  }
}

static void
run_actions (TbCallSession *self)
{
  TbDialogAction *action;

  while (self->dialog != NULL && (action = tb_dialog_pop_action (self->dialog)) != NULL) {
    g_autoptr(TbDialogAction) owned = action;

    switch (action->type) {
    case TB_DIALOG_ACTION_PLAY_PROMPT:
      _tb_call_session_play_prompt (self, action);
      break;
    case TB_DIALOG_ACTION_STOP_PROMPT:
      if (self->media != NULL)
        tb_media_session_stop_prompts (self->media);
      break;
    case TB_DIALOG_ACTION_LISTEN:
      listen (self, action);
      break;
    case TB_DIALOG_ACTION_ADD_TO_DNC:
      record_opt_out (self, action);
      break;
    case TB_DIALOG_ACTION_TRANSFER:
      tb_call_transfer_async (self->call, action->target, self->cancellable, transfer_cb,
                              g_object_ref (self));
      break;
    case TB_DIALOG_ACTION_HANG_UP:
      tb_call_hang_up (self->call);
      break;
    case TB_DIALOG_ACTION_GRADE:
      if (self->live != NULL && action->grade != 0) {
        char grade[2] = { action->grade, 0 };
        tb_live_call_set_grade (self->live, grade);
      }
      break;
    case TB_DIALOG_ACTION_LOG_TURN:
      write_turn (self, action->speaker, action->node, action->text, action->intent,
                  action->confidence);
      break;
    default:
      break;
    }
  }
}

/* What the recognizer made of the callee's turn (or @error): the dialog answers it. Releases
 * the lockstep hold of its "utterance-ended". Takes @rec. */
static void
take_turn (TbRecognition *rec_in,
           const GError  *error,
           gint64         start_us,
           gint64         end_us,
           gpointer       data)
{
  TbCallSession *self = data;
  g_autoptr(TbRecognition) rec = rec_in;

  if (self->dialog == NULL || tb_dialog_is_finished (self->dialog)) {
    if (self->media != NULL)
      tb_media_session_release (self->media);
    return;
  }
  if (rec == NULL) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      if (self->media != NULL)
        tb_media_session_release (self->media);
      return;
    }
    g_message ("attempt %" G_GINT64_FORMAT ": recognition failed: %s", self->attempt_id,
               error->message);
    rec = tb_recognition_new_failed (error->message);
  }
  /* The recognizer could not listen: the call record says so, the dialog hears nothing and
   * reprompts (its retry text names the keys), and the campaign counts the failures. */
  if (rec->failed) {
    g_autofree char *note = g_strdup_printf ("speech recognition failed: %s",
                                             rec->reason ? rec->reason : "unknown error");

    self->recognitions_failed++;
    g_free (self->recognizer_error);
    self->recognizer_error = g_strdup (rec->reason);
    write_turn (self, "system", tb_dialog_get_node (self->dialog), note, NULL, 0);
  } else {
    self->recognitions_ok++;
  }
  _tb_call_session_emit_recognized (self, rec->failed, rec->reason);
  if (self->dialog == NULL || tb_dialog_is_finished (self->dialog)) {
    if (self->media != NULL)
      tb_media_session_release (self->media);
    return;
  }
  g_debug ("attempt %" G_GINT64_FORMAT ": heard “%s” (%.2f)", self->attempt_id, rec->text,
           rec->confidence);
  /* No text is a no-match: the dialog reprompts or takes the no_match route. */
  tb_dialog_utterance_readings (self->dialog, rec->text, rec->alternative, rec->confidence);
  run_actions (self);
  /* Released after the answer is queued (or its rendering holds in turn). */
  if (self->media != NULL)
    tb_media_session_release (self->media);
}

static void
on_media_utterance_started (TbCallSession *self,
                            gint64         at_us)
{
  if (self->dialog == NULL)
    return;
  tb_dialog_speech_started (self->dialog);
  run_actions (self);
}

/* The phrases the callee's utterance is heard with, or NULL when it is nobody's answer. */
static const char * const *
turn_phrases (gpointer             data,
              const char * const **settled)
{
  TbCallSession *self = data;

  /* In lockstep the media session holds audio time from the utterance's last
   * sample; whoever handles it releases once the answer is queued. */
  /* Heard in any state: an opt-out, a global intent or (where the node's barge-in policy
   * allows it) an answer counts while the robot is still speaking (COMPLIANCE.md R2). */
  if (self->dialog == NULL || tb_dialog_is_finished (self->dialog) ||
      tb_dialog_get_state (self->dialog) == TB_DIALOG_STATE_IDLE)
    return NULL;
  if (self->listen_phrases == NULL) {
    g_auto(GStrv) intents = tb_script_dup_listen_intents (self->script,
                                                         tb_dialog_get_node (self->dialog));

    self->listen_phrases = tb_script_dup_grammar (self->script, (const char * const *) intents);
  }
  *settled = (const char * const *) self->settled_phrases;
  return (const char * const *) self->listen_phrases;
}

static void
on_media_prompt_started (TbCallSession *self)
{
  if (self->first_audio)
    return;
  /* R6.1 / R7: when the callee first heard the robot. */
  self->first_audio = TRUE;
  tb_store_attempt_set_state_later (self->store, self->attempt_id, "first-audio",
                                    tb_clock_now (self->clock));
}

static void
on_media_prompt_finished (TbCallSession *self,
                          guint          prompt_id,
                          TbPromptEnd    how)
{
  /* The session may let go of its media while it acts (the call ends). */
  g_autoptr(TbMediaSession) media = self->media ? g_object_ref (self->media) : NULL;

  if (self->dialog != NULL) {
    /* Stopped for the callee's speech (its policy allowed it): listen at once. */
    if (how == TB_PROMPT_END_BARGED_IN)
      tb_dialog_barged_in (self->dialog);
    else
      tb_dialog_prompt_finished (self->dialog);
    run_actions (self);
  }
  /* In lockstep the media session holds audio time from the prompt's last
   * sample; released once the next prompt is queued (or its rendering holds
   * in turn). */
  if (media != NULL)
    tb_media_session_release (media);
}

static void
on_media_no_input (TbCallSession *self)
{
  if (self->dialog == NULL)
    return;
  tb_dialog_silence_timeout (self->dialog);
  run_actions (self);
}

#define KEY_ECHO_US (400 * 1000)

/* One key from either path: tones in the audio (what a modem or an analogue gateway passes)
 * or RFC 4733 events (what SIP phones and trunks send, often with the tones stripped). A
 * gateway that sends both gives the same key twice within a moment: counted once. */
static void
take_key (TbCallSession *self,
          char           digit,
          gboolean       event)
{
  gint64 now = g_get_monotonic_time ();

  if (digit == self->last_key && event != self->last_key_event &&
      now - self->last_key_at < KEY_ECHO_US)
    return;
  self->last_key = digit;
  self->last_key_event = event;
  self->last_key_at = now;
  tb_dialog_dtmf (self->dialog, digit);
}

static void
on_media_dtmf (TbCallSession *self,
               const char    *digits)
{
  if (self->dialog == NULL || digits == NULL)
    return;
  self->dtmf_heard = TRUE;
  for (const char *d = digits; *d; d++)
    take_key (self, *d, FALSE);
  run_actions (self);
}

void
_tb_call_session_on_call_dtmf (TbCallSession *self,
                               char           digit)
{
  if (self->dialog == NULL || self->media == NULL)
    return;   /* before the answer, keys mean nothing to the script */
  take_key (self, digit, TRUE);
  run_actions (self);
}

static void
on_media_levels (TbCallSession *self,
                 double         callee,
                 double         bot)
{
  if (self->live != NULL)
    tb_live_call_set_level (self->live, callee);
}

static void
on_media_amd_result (TbCallSession *self,
                     TbAmdResult    result,
                     const char    *why)
{
  g_autofree char *decision = g_strdup_printf ("%s: %s", tb_amd_result_to_string (result),
                                               why ? why : "");

  /* The decision and its reason go into the call record (a person hung up on is a lead lost:
   * the business can see why). */
  tb_store_attempt_set_amd_later (self->store, self->attempt_id, decision);
  if (self->dialog == NULL || result != TB_AMD_RESULT_MACHINE)
    return;
  /* A machine: the script's voicemail variant (name, callback, opt-out; no pitch). */
  tb_dialog_answering_machine (self->dialog);
  run_actions (self);
}

/* The carrier answered with a recording ("您拨打的号码是空号", SIT + "not in service"): nobody
 * to talk to. The call ends now — no script spoken on, no voicemail message left — with the
 * announcement's outcome; a vacant number is recorded first, so no campaign dials it again. */
static void
on_media_announcement (TbCallSession *self,
                       const char    *outcome,
                       const char    *reason)
{
  g_autofree char *note = g_strdup_printf ("carrier announcement: %s (%s)", outcome, reason);
  /* The session may let go of its media while it acts (the call ends). */
  g_autoptr(TbMediaSession) media = self->media ? g_object_ref (self->media) : NULL;
  g_autoptr(GError) error = NULL;

  /* In lockstep the media session holds audio time from the recognition until this is done. */
  if (self->finished || self->announced != NULL || self->call == NULL) {
    if (media != NULL)
      tb_media_session_release (media);
    return;
  }
  self->announced = g_intern_string (outcome);
  g_clear_pointer (&self->result_reasons, g_free);
  self->result_reasons = reasons_to_json ((const char * const[]) { note, NULL });
  write_turn (self, "system", self->dialog ? tb_dialog_get_node (self->dialog) : NULL, note,
              outcome, 1.0);
  if (g_str_equal (outcome, "vacant") && tb_store_is_e164 (self->number) &&
      !tb_vacant_record (self->store, self->number, "announcement", reason, self->attempt_id,
                         self->campaign_id, tb_clock_now (self->clock), NULL, &error))
    g_message ("attempt %" G_GINT64_FORMAT ": the vacant number could not be saved: %s",
               self->attempt_id, error->message);
  /* The script is over: nothing more is said or listened for. */
  g_clear_object (&self->dialog);
  if (media != NULL)
    tb_media_session_stop_prompts (media);
  tb_call_hang_up (self->call);
  if (media != NULL)
    tb_media_session_release (media);
}

static void
on_media_failed (TbCallSession *self,
                 const GError  *error)
{
  g_message ("attempt %" G_GINT64_FORMAT ": media failed: %s", self->attempt_id,
             error ? error->message : "unknown");
  tb_call_hang_up (self->call);
}

/* The attempt names its recording before the first sample is written: a crash leaves no
 * file that no attempt names (a resumed campaign finalizes it, tb-call-recovery.c). */
static gboolean
start_recording (TbCallSession  *self,
                 GError        **error)
{
  g_autofree char *dir = g_path_get_dirname (self->recording_path);
  g_autofree char *top = g_build_filename (tb_store_get_data_dir (self->store),
                                           TB_STORE_RECORDINGS_DIR, NULL);

  return tb_paths_make_private_dir (top, error) &&
         tb_paths_make_private_dir (dir, error) &&
         tb_store_attempt_set_recording (self->store, self->attempt_id, self->recording,
                                         error) &&
         tb_media_session_start_recording (self->media, self->recording_path, error);
}

static gboolean
start_media (TbCallSession *self)
{
  g_autoptr(GError) error = NULL;

  self->media = tb_media_session_new (tb_call_get_audio_source (self->call),
                                      tb_call_get_audio_sink (self->call),
                                      tb_call_is_realtime (self->call));
  g_signal_connect_object (self->media, "utterance-started",
                           G_CALLBACK (on_media_utterance_started), self, G_CONNECT_SWAPPED);
  self->turns = tb_turn_taker_new (self->media, self->recognizer, turn_phrases, take_turn,
                                   self);
  g_signal_connect_object (self->media, "prompt-started",
                           G_CALLBACK (on_media_prompt_started), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->media, "prompt-finished",
                           G_CALLBACK (on_media_prompt_finished), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->media, "no-input",
                           G_CALLBACK (on_media_no_input), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->media, "dtmf",
                           G_CALLBACK (on_media_dtmf), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->media, "levels",
                           G_CALLBACK (on_media_levels), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->media, "failed",
                           G_CALLBACK (on_media_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->media, "amd-result",
                           G_CALLBACK (on_media_amd_result), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->media, "announcement",
                           G_CALLBACK (on_media_announcement), self, G_CONNECT_SWAPPED);

  /* Lockstep: audio time stands still from the first frame until the
   * greeting is queued (released in _tb_call_session_on_call_state_changed).
   * Otherwise a store write on a loaded machine lets seconds of silence pass,
   * and a simulated callee hangs up before the robot said a word (seen: an
   * interested persona gone after 15 s of silent audio). */
  if (!tb_call_is_realtime (self->call)) {
    tb_media_session_set_lockstep_holds (self->media, TRUE);
    tb_media_session_hold (self->media);
  }
  if (!tb_media_session_start (self->media, &error)) {
    g_message ("attempt %" G_GINT64_FORMAT ": %s", self->attempt_id, error->message);
    g_clear_pointer (&self->recording, g_free);
    return FALSE;
  }
  /* Listen to the first seconds for a carrier's announcement, and for a greeting or a beep
   * (AMD). */
  tb_media_session_detect_announcements (self->media, self->announcements,
                                         ANNOUNCEMENT_WINDOW_MS);
  tb_media_session_detect_machine (self->media, AMD_WINDOW_MS);
  if (self->recording != NULL && !start_recording (self, &error)) {
    g_message ("attempt %" G_GINT64_FORMAT ": not recorded: %s", self->attempt_id,
               error->message);
    g_clear_pointer (&self->recording, g_free);
  }
  return TRUE;
}

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(TbCallSession) self = data;

  tb_store_flush_finish (self->store, result, NULL);
  _tb_call_session_emit_finished (self);
}

static void
finish (TbCallSession *self)
{
  TbCallEndReason reason = tb_call_get_end_reason (self->call);
  g_autofree char *outcome = NULL;

  if (self->finished)
    return;
  self->finished = TRUE;
  g_cancellable_cancel (self->cancellable);

  if (self->interrupted) {
    /* Cut off by our own shutdown: nothing to grade, retried by the rule for it. */
    outcome = g_strdup ("interrupted");
    if (self->dialog != NULL && !tb_dialog_is_finished (self->dialog))
      tb_dialog_callee_hung_up (self->dialog);
  } else if (self->announced != NULL) {
    /* A carrier's recording, not a person: nothing graded (reasons set when it was heard). */
    outcome = g_strdup (self->announced);
    self->result.reasons_json = self->result_reasons;
  } else if (tb_call_get_answered_at (self->call) > 0 &&
             !tb_call_has_far_end_media (self->call)) {
    /* One-way audio: answered, but nothing of the callee ever arrived. Nobody was heard, so
     * nothing is graded: its own outcome, retried by the campaign's rule for it. */
    outcome = g_strdup ("media_failure");
    self->result_reasons = reasons_to_json ((const char * const[]) {
      "no audio from the far end since the answer (one-way audio)", NULL });
    self->result.reasons_json = self->result_reasons;
    if (self->dialog != NULL && !tb_dialog_is_finished (self->dialog))
      tb_dialog_callee_hung_up (self->dialog);
  } else if (self->dialog != NULL && tb_call_get_answered_at (self->call) > 0) {
    g_autoptr(TbGradeResult) grade = NULL;

    if (!tb_dialog_is_finished (self->dialog)) {
      tb_dialog_callee_hung_up (self->dialog);
      run_actions (self);
    }
    grade = tb_dialog_dup_result (self->dialog);
    if (self->recognitions_failed > 0 && self->recognitions_ok == 0 && !self->dtmf_heard &&
        !self->result.opt_out && !grade->opt_out) {
      /* The callee spoke and the recognizer never heard a word of it: nothing to grade (it
       * was no_response, D), and the campaign's rule for it calls again. */
      g_autofree char *why = g_strdup_printf ("speech recognition failed on every utterance "
                                              "(%u): %s", self->recognitions_failed,
                                              self->recognizer_error ? self->recognizer_error
                                                                     : "unknown error");

      outcome = g_strdup ("speech_failure");
      self->result_reasons = reasons_to_json ((const char * const[]) { why, NULL });
    } else {
      outcome = g_strdup (grade->outcome ? grade->outcome : "completed");
      if (grade->reached) {
        self->result_grade[0] = grade->grade;
        self->result.grade = self->result_grade;
        self->result.score = grade->score;
      }
      self->result.opt_out = self->result.opt_out || grade->opt_out;
      self->result_reasons = reasons_to_json ((const char * const *) grade->reasons);
    }
    self->result.reasons_json = self->result_reasons;
  } else {
    outcome = g_strdup (tb_call_end_reason_to_string (reason));
  }

  if (self->media != NULL) {
    tb_media_session_stop_recording (self->media);
    tb_media_session_stop (self->media);
  }

  self->result.outcome = g_intern_string (outcome);
  self->result.end_reason = tb_call_end_reason_to_string (reason);
  self->result.protocol_code = tb_call_get_protocol_code (self->call);
  /* Only a call whose media ran has a recording: an unanswered one names no file. */
  self->result.recording = self->media != NULL ? self->recording : NULL;
  self->result.ended_at = tb_clock_now (self->clock);

  if (self->live != NULL)
    tb_live_call_set_state (self->live, "ended");
  /* Emitted once the call's records queued behind it are written (whoever handles
   * "finished" reads or ends the attempt), and never from the call's own state signal. */
  tb_store_flush_async (self->store, NULL, flushed_cb, g_object_ref (self));
}

void
_tb_call_session_on_call_state_changed (TbCallSession *self)
{
  g_autoptr(GError) error = NULL;
  gint64 now = tb_clock_now (self->clock);

  switch (tb_call_get_state (self->call)) {
  case TB_CALL_STATE_RINGING:
  case TB_CALL_STATE_EARLY_MEDIA:
    tb_store_attempt_set_state_later (self->store, self->attempt_id, "ringing", now);
    if (self->live != NULL)
      tb_live_call_set_state (self->live, "ringing");
    break;
  case TB_CALL_STATE_ANSWERED:
    tb_store_attempt_set_state_later (self->store, self->attempt_id, "answered", now);
    if (self->live != NULL)
      tb_live_call_set_state (self->live, "answered");
    if (TB_IS_REHEARSAL_RECOGNIZER (self->recognizer)) {
      /* Named as what it is, in the call record and on the live card. */
      write_turn (self, "system", NULL, TB_REHEARSAL_LABEL, NULL, 1.0);
      if (self->live != NULL)
        tb_live_call_add_turn (self->live, "system", _(TB_REHEARSAL_LABEL));
    }
    if (!start_media (self)) {
      tb_call_hang_up (self->call);
      break;
    }
    {
      /* start_media() held audio time in lockstep; the greeting is queued now. */
      g_autoptr(TbMediaSession) media = g_object_ref (self->media);

      tb_dialog_answered (self->dialog);
      run_actions (self);
      if (!tb_call_is_realtime (self->call))
        tb_media_session_release (media);
    }
    break;
  case TB_CALL_STATE_ENDED:
    finish (self);
    break;
  default:
    break;
  }
  if (error != NULL)
    g_message ("attempt %" G_GINT64_FORMAT ": %s", self->attempt_id, error->message);
}
