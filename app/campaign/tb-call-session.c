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
 */
#define G_LOG_DOMAIN "tb-call-session"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tb-call-session.h"
#include "tb-rehearsal-recognizer.h"
#include "tb-dialog.h"
#include "tb-espeak-synthesizer.h"
#include "tb-media-session.h"
#include "tb-announcement-library.h"
#include "tb-crm-event.h"
#include "tb-opt-out.h"
#include "tb-paths.h"
#include "tb-store-calls.h"
#include "tb-store-writer.h"
#include "tb-turn-taker.h"
#include "tb-vacant.h"

/* How long the session listens for a carrier's announcement after answer: a SIT and its
 * recording, or a Chinese announcement and its English version, repeated once. */
#define ANNOUNCEMENT_WINDOW_MS 12000
/* How long answering-machine detection listens after answer. */
#define AMD_WINDOW_MS 9000   /* room for a long greeting and its beep (tb-amd.c) */
/* How long a call waits for its line to come up (SIP registration, a modem's
 * start-up) before it fails. */
#define LINE_READY_TIMEOUT_S 30

struct _TbCallSession
{
  GObject          parent_instance;

  /* owned */
  TbStore         *store;
  TbLine          *line;
  TbScript        *script;
  TbRecognizer    *recognizer;
  TbLiveCall      *live;
  TbClock         *clock;
  TbSynthesizer   *synth;
  TbSynthesizer   *fallback;       /* espeak-ng, when the speech server cannot speak a prompt */
  TbPromptCache   *prompts;
  GHashTable      *personal;    /* text -> GBytes: this call's texts naming the contact */
  guint            renders_pending;
  GHashTable      *variables;
  char            *number;
  char            *persona;
  char            *caller_id;
  char            *recording;        /* as the store names it (relative to the data folder) */
  char            *recording_path;   /* where it is */
  gboolean         no_opt_out_question;  /* a pack forbids asking (R2) */
  gint64           attempt_id;
  gint64           campaign_id;
  TbCall          *call;
  TbMediaSession  *media;
  TbTurnTaker     *turns;       /* the callee's turns on @media: when over, what was said */
  TbDialog        *dialog;
  GCancellable    *cancellable;
  GStrv            listen_phrases;
  GStrv            settled_phrases;   /* those whose reading needs no second one */
  GPtrArray       *announcements;   /* TbAnnouncementPrint*: what a carrier's recordings sound like */
  const char      *announced;       /* the outcome a carrier's announcement gave (interned) */
  TbAttemptResult  result;
  char            *result_reasons;
  char             result_grade[2];
  int              turn_seq;
  gboolean         first_audio;
  gboolean         finished;
  gboolean         interrupted;  /* we stopped it (SIGTERM, quitting): not the callee's doing */
  char             last_key;     /* the last key heard, by which path and when (see take_key) */
  gboolean         last_key_event;
  gint64           last_key_at;

  /* what the recognizer made of the callee's utterances */
  guint            recognitions_ok;
  guint            recognitions_failed;
  char            *recognizer_error;   /* the last failure's reason */
  gboolean         dtmf_heard;

  /* the answers the current node may give, rendered while the callee speaks */
  GHashTable      *ready;            /* text -> GBytes */

  /* sources */
  guint            finish_id;
  guint            line_timeout_id;
  gulong           line_handler;
};

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

typedef struct {
  TbCallSession *self;
  char          *text;
  TbPlayFlags    flags;
  guint          barge_after_ms;
  guint          barge_min_ms;
} PromptJob;

static void
prompt_job_free (PromptJob *job)
{
  g_object_unref (job->self);
  g_free (job->text);
  g_free (job);
}

/* A prompt the speech server could not render is said by espeak-ng instead: the callee always
 * hears the robot, its disclosures first. NULL when the synthesizer is espeak-ng already. */
static TbSynthesizer *
fallback_for (TbCallSession *self,
              GObject       *failed,
              GError        *error)
{
  if (TB_IS_ESPEAK_SYNTHESIZER (failed) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  if (self->fallback == NULL) {
    g_message ("attempt %" G_GINT64_FORMAT ": the speech server cannot speak (%s): espeak-ng "
               "speaks this call's prompts it could not render", self->attempt_id,
               error->message);
    self->fallback = TB_SYNTHESIZER (tb_espeak_synthesizer_new ());
  }
  return self->fallback;
}

/* A rendered prompt (or the error instead) is queued, and the audio time held since the
 * prompt was asked for is released: not one frame of silence between. Takes @job. */
static void
queue_rendered (PromptJob *job,
                GBytes    *pcm,
                GError    *error)
{
  TbCallSession *self = job->self;
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (pcm == NULL) {
    if (!cancelled)
      g_message ("attempt %" G_GINT64_FORMAT ": cannot say “%s”: %s", self->attempt_id,
                 job->text, error->message);
    if (self->dialog != NULL && !cancelled)
      tb_dialog_prompt_finished (self->dialog);
  } else if (self->media != NULL && tb_media_session_is_running (self->media)) {
    guint id = tb_media_session_play_pcm (self->media, pcm, job->flags);

    tb_media_session_set_barge_in (self->media, id, job->barge_after_ms, job->barge_min_ms);
  }
  if (self->media != NULL)
    tb_media_session_release (self->media);
  prompt_job_free (job);
}

static void
fallback_rendered_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = tb_synthesizer_synthesize_finish (TB_SYNTHESIZER (object), result,
                                                            &error);

  queue_rendered (data, pcm, error);
}

static void
rendered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  PromptJob *job = data;
  TbCallSession *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = tb_prompt_cache_render_finish (TB_PROMPT_CACHE (object), result,
                                                          &error);
  TbSynthesizer *fallback;

  if (pcm == NULL && (fallback = fallback_for (self, G_OBJECT (self->synth), error)) != NULL) {
    /* Still held: released when espeak-ng's audio is queued. */
    tb_synthesizer_synthesize_async (fallback, job->text, tb_script_get_voice (self->script),
                                     self->cancellable, fallback_rendered_cb, job);
    return;
  }
  queue_rendered (job, pcm, error);
}

static void
play_prompt (TbCallSession        *self,
             const TbDialogAction *action)
{
  TbPlayFlags flags = action->barge_in ? TB_PLAY_FLAGS_BARGE_IN : TB_PLAY_FLAGS_NONE;
  const char *text = action->text ? action->text : "";
  GBytes *pcm;
  guint id;

  if (self->media == NULL)
    return;
  /* On the simulated line the bot's words travel with its audio, as the callee's do for a
   * rehearsal: a persona may answer what it heard. */
  if (self->call != NULL && TB_IS_SIM_CALL (self->call))
    tb_sim_call_hear (TB_SIM_CALL (self->call), text);
  /* A recorded human voice always wins over synthesis. */
  if (action->prompt_file != NULL) {
    id = tb_media_session_play_file (self->media, action->prompt_file, flags);
    tb_media_session_set_barge_in (self->media, id, action->barge_after_ms, action->barge_min_ms);
  } else if ((pcm = g_hash_table_lookup (self->personal, text)) != NULL ||
             (self->ready != NULL && (pcm = g_hash_table_lookup (self->ready, text)) != NULL)) {
    id = tb_media_session_play_pcm (self->media, pcm, flags);
    tb_media_session_set_barge_in (self->media, id, action->barge_after_ms, action->barge_min_ms);
  } else {
    PromptJob *job = g_new0 (PromptJob, 1);

    job->self = g_object_ref (self);
    job->text = g_strdup (text);
    job->flags = flags;
    job->barge_after_ms = action->barge_after_ms;
    job->barge_min_ms = action->barge_min_ms;
    /* Audio time stands still (in lockstep) until the prompt is queued. */
    tb_media_session_hold (self->media);
    tb_prompt_cache_render_async (self->prompts, self->synth, tb_script_get_voice (self->script),
                                  text, self->cancellable, rendered_cb, job);
  }
  if (self->live != NULL)
    tb_live_call_set_node (self->live, action->node);
}

typedef struct {
  TbCallSession *self;
  GHashTable    *ready;   /* the table it was asked for (a later node has its own) */
  char          *text;
} ReadyJob;

static void
ready_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  ReadyJob *job = data;
  GBytes *pcm = tb_prompt_cache_render_finish (TB_PROMPT_CACHE (object), result, NULL);

  /* One that cannot be loaded now is rendered when it is said (with its fallback). */
  if (pcm != NULL && job->ready == job->self->ready)
    g_hash_table_replace (job->ready, g_strdup (job->text), pcm);
  else if (pcm != NULL)
    g_bytes_unref (pcm);
  g_hash_table_unref (job->ready);
  g_object_unref (job->self);
  g_free (job->text);
  g_free (job);
}

/* While the callee answers, the prompts of every way the node can go on are loaded into
 * memory (the prompt cache has them on disk since before the dial): the answer is queued
 * the moment the dialog decides, and its first frame leaves with the next one. */
static void
prepare_answers (TbCallSession *self)
{
  g_auto(GStrv) texts = NULL;
  GHashTable *ready;

  if (self->dialog == NULL)
    return;
  texts = tb_dialog_dup_next_prompt_texts (self->dialog);
  ready = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                 (GDestroyNotify) g_bytes_unref);
  for (guint i = 0; texts[i] != NULL; i++) {
    GBytes *pcm;
    ReadyJob *job;

    if (g_hash_table_contains (self->personal, texts[i]) ||
        g_hash_table_contains (ready, texts[i]))
      continue;
    if (self->ready != NULL && (pcm = g_hash_table_lookup (self->ready, texts[i])) != NULL) {
      g_hash_table_replace (ready, g_strdup (texts[i]), g_bytes_ref (pcm));
      continue;
    }
    job = g_new0 (ReadyJob, 1);
    job->self = g_object_ref (self);
    job->ready = g_hash_table_ref (ready);
    job->text = g_strdup (texts[i]);
    tb_prompt_cache_render_async (self->prompts, self->synth, tb_script_get_voice (self->script),
                                  texts[i], self->cancellable, ready_cb, job);
  }
  g_clear_pointer (&self->ready, g_hash_table_unref);
  self->ready = ready;
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
  prepare_answers (self);
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
      play_prompt (self, action);
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
  g_signal_emit (self, signals[RECOGNIZED], 0, rec->failed, rec->reason);
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

static void
on_call_dtmf (TbCallSession *self,
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
   * greeting is queued (released in on_call_state_changed). Otherwise a
   * store write on a loaded machine lets seconds of silence pass, and a
   * simulated callee hangs up before the robot said a word (seen: an
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

static gboolean
emit_finished_cb (gpointer data)
{
  TbCallSession *self = data;

  self->finish_id = 0;
  g_signal_emit (self, signals[FINISHED], 0);
  return G_SOURCE_REMOVE;
}

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(TbCallSession) self = data;

  tb_store_flush_finish (self->store, result, NULL);
  g_signal_emit (self, signals[FINISHED], 0);
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

static void
on_call_state_changed (TbCallSession *self)
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
  g_signal_connect_object (self->call, "dtmf-received", G_CALLBACK (on_call_dtmf), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call, "notify::state", G_CALLBACK (on_call_state_changed),
                           self, G_CONNECT_SWAPPED);
  if (tb_call_get_state (self->call) != TB_CALL_STATE_DIALING)
    on_call_state_changed (self);
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

static void
render_done (TbCallSession *self)
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
  render_done (self);
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
  render_done (self);
}

static void
personal_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  PromptJob *job = data;
  TbCallSession *self = job->self;
  g_autoptr(GError) error = NULL;
  GBytes *pcm = tb_synthesizer_synthesize_finish (TB_SYNTHESIZER (object), result, &error);
  TbSynthesizer *fallback;

  if (pcm == NULL && (fallback = fallback_for (self, object, error)) != NULL) {
    tb_synthesizer_synthesize_async (fallback, job->text, tb_script_get_voice (self->script),
                                     self->cancellable, personal_cb, job);
    return;
  }
  if (pcm != NULL)
    g_hash_table_replace (self->personal, g_strdup (job->text), pcm);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("attempt %" G_GINT64_FORMAT ": cannot render “%s”: %s", self->attempt_id,
               job->text, error->message);
  render_done (self);
  prompt_job_free (job);
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
  for (guint i = 0; personal[i] != NULL; i++) {
    PromptJob *job = g_new0 (PromptJob, 1);

    job->self = g_object_ref (self);
    job->text = g_strdup (personal[i]);
    tb_synthesizer_synthesize_async (self->synth, personal[i], voice, self->cancellable,
                                     personal_cb, job);
  }
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
