/* tb-campaign-runner.c — a campaign at work: dialer, call sessions, live calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Joins what the campaign names in the store (list, script, lines) with the
 * engine's parts: the dialer decides who and when, the dial gate decides
 * whether, one TbCallSession per call does the talking, and the live-calls
 * model is what the window shows.
 */
#define G_LOG_DOMAIN "tb-campaign-runner"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tb-call-session.h"
#include "tb-contact-variables.h"
#include "tb-dial-gate.h"
#include "tb-dialog.h"
#include "tb-campaign-runner.h"
#include "tb-line-pool.h"
#include "tb-script.h"
#include "tb-speech-service.h"
#include "tb-store-config.h"
#include "tb-store-variants.h"

struct _TbCampaignRunner
{
  GObject       parent_instance;

  /* owned */
  TbStore      *store;
  TbClock      *clock;
  TbDialer     *dialer;
  TbLinePool   *pool;
  GHashTable   *call_lines;     /* attempt id (gint64 *) -> CallLine */
  guint         no_line_id;     /* every line in error: pause when it lasts */
  TbScript     *script;
  TbRecognizer *recognizer;
  TbSynthesizer *synth;
  TbPromptCache *prompts;
  GCancellable *cancellable;
  TbDialGate   *gate;
  GListStore   *live_calls;
  GHashTable   *sessions;       /* attempt id (gint64 *) -> TbCallSession */
  char         *business_name;
  char         *callback_number;
  char         *policies;
  gint64        campaign_id;
  gboolean      prerendered;    /* the script's shared prompts are in the cache */
  gboolean      prerendering;
  gboolean      start_wanted;   /* start once they are */
  guint         recognizer_failures;  /* in a row, across the campaign's calls */
  char         *pause_reason;   /* why it paused by itself, or NULL */
  GPtrArray    *variants;       /* Variant: the scripts compared; empty: only @script */
  guint         prerender_next; /* the variant whose prompts are rendered next */
};

/* The line and caller number of a call in flight (issue #20). */
typedef struct {
  gint64  line_id;
  char   *caller_id;
} CallLine;

static void
call_line_free (CallLine *c)
{
  g_free (c->caller_id);
  g_free (c);
}

/* One script variant of the campaign (issue #21), with the recognizer for its intents. */
typedef struct {
  char         *label;
  TbScript     *script;
  TbRecognizer *recognizer;
} Variant;

static void
variant_free (Variant *v)
{
  g_free (v->label);
  g_clear_object (&v->script);
  g_clear_object (&v->recognizer);
  g_free (v);
}

G_DEFINE_FINAL_TYPE (TbCampaignRunner, tb_campaign_runner, G_TYPE_OBJECT)

enum {
  PROGRESS,
  FINISHED,
  FAILED,
  PAUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Every dial asks the compliance gate first (DNC, consent, the callee's
 * calling window, attempt caps); the decision is audited by the gate. A gate
 * that cannot decide blocks: doubt never dials. */
static gboolean
gate (gpointer           user_data,
      const TbQueueItem *item,
      gint64             now,
      char             **rule,
      gint64            *retry_at)
{
  TbCampaignRunner *self = user_data;
  g_autoptr(TbDialDecision) decision = NULL;
  g_autoptr(GError) error = NULL;

  decision = tb_dial_gate_check_contact (self->gate, self->campaign_id, item->contact_id, now,
                                         TB_DIAL_PURPOSE_DIAL, &error);
  if (decision == NULL) {
    *rule = g_strdup_printf ("the compliance check failed: %s", error->message);
    *retry_at = now + 5 * 60 * G_USEC_PER_SEC;
    return FALSE;
  }
  if (decision->allowed)
    return TRUE;
  *rule = g_strdup (decision->message ? decision->message : decision->rule);
  *retry_at = decision->next_allowed;
  return FALSE;
}

static guint
line_room (gpointer   user_data,
           gint64     now,
           char     **why,
           gint64    *next_free)
{
  TbCampaignRunner *self = user_data;

  return tb_line_pool_get_room (self->pool, now, why, next_free);
}

/* A pack fixes the caller number of a callee the business has called before (R4: no
 * rotating caller numbers): the number its last call presented, whichever campaign placed it,
 * and nothing else; NULL when no pack of this callee asks it, or nobody called it yet. */
static char *
dup_fixed_caller_id (TbCampaignRunner  *self,
                     const TbQueueItem *item,
                     gint64             now,
                     char             **pack)
{
  TbDialCallee callee = { item->e164, item->country, item->timezone, NULL };
  g_autoptr(TbPolicyRules) rules = tb_dial_gate_dup_callee_rules (self->gate, &callee,
                                                                  self->policies, now);
  char *number;

  /* Packs that cannot be read: the gate has blocked the dial before it got here. */
  if (rules == NULL || !rules->fixed_caller_id)
    return NULL;
  if ((number = tb_store_number_dup_last_caller_id (self->store, item->e164)) != NULL)
    *pack = g_strdup (rules->fixed_caller_id_pack);
  return number;
}

static gboolean
pick_line (gpointer      user_data,
           TbQueueItem  *item,
           gint64        now,
           char        **why,
           gint64       *retry_at)
{
  TbCampaignRunner *self = user_data;
  g_autofree char *pack = NULL;
  g_autofree char *fixed = NULL;
  g_autofree char *waits = NULL;
  g_autofree char *text = NULL;

  g_clear_pointer (&item->caller_id, g_free);
  if ((fixed = dup_fixed_caller_id (self, item, now, &pack)) != NULL) {
    if (tb_line_pool_pick_number (self->pool, now, fixed, &item->line_id, retry_at, &waits)) {
      item->caller_id = g_steal_pointer (&fixed);
      return TRUE;
    }
    /* Translators: after the rule's code "R4 caller ID": "(CN): called from +8610… before,
     * and only from it: m1: +8610… is at its cap or resting" */
    text = g_strdup_printf (_("(%s): called from %s before, and only from it: %s"), pack, fixed,
                            waits);
    *why = g_strdup_printf ("%s %s", TB_LINE_POOL_FIXED_RULE, text);
    return FALSE;
  }
  if (item->attempts > 0 && item->last_caller_id == NULL)
    item->last_caller_id = tb_store_attempt_dup_last_caller_id (self->store, self->campaign_id,
                                                                item->contact_id);
  return tb_line_pool_pick (self->pool, now, item->e164, item->last_line_id,
                            item->last_caller_id, &item->line_id, &item->caller_id);
}

static double
pacing (gpointer user_data,
        gint64   now)
{
  TbCampaignRunner *self = user_data;

  return tb_dial_gate_pacing_factor (self->gate, self->campaign_id, self->policies, now, NULL,
                                     NULL);
}

static GHashTable *
variables_for (TbCampaignRunner  *self,
               const TbQueueItem *item)
{
  GHashTable *vars = tb_contact_variables_new (item->name, item->company, item->fields_json);

  g_hash_table_insert (vars, g_strdup ("number"), g_strdup (item->e164));
  g_hash_table_insert (vars, g_strdup ("business"), g_strdup (self->business_name));
  g_hash_table_insert (vars, g_strdup ("callback_number"), g_strdup (self->callback_number));
  return vars;
}

/* The store cannot record the campaign (a full disk): no more dials, the calls in flight hung
 * up; the campaign resumes from the store once it can be written again. */
static void
on_dialer_failed (TbCampaignRunner *self,
                  const GError     *error)
{
  tb_campaign_runner_abort (self);
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
on_session_finished (TbCampaignRunner *self,
                     TbCallSession    *session)
{
  gint64 attempt_id = tb_call_session_get_attempt_id (session);
  g_autoptr(GError) error = NULL;
  g_autofree char *line_reason = NULL;
  TbAttemptResult result;
  CallLine *call_line;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->live_calls)); i++) {
    g_autoptr(TbLiveCall) live = g_list_model_get_item (G_LIST_MODEL (self->live_calls), i);

    if (tb_live_call_get_attempt_id (live) == attempt_id) {
      g_list_store_remove (self->live_calls, i);
      break;
    }
  }
  /* Out of the calls in flight before the dialer's "progress", so whoever counts them then
   * (campaign run waiting to stop) sees this one gone. A failure stops the dialer, which
   * tells us ("failed"). */
  g_object_ref (session);
  g_hash_table_remove (self->sessions, &attempt_id);
  result = *tb_call_session_get_result (session);
  call_line = g_hash_table_lookup (self->call_lines, &attempt_id);
  if (call_line != NULL) {
    /* A line that failed under the call (a modem unplugged mid-call) names the reason in the
     * call's record, and the call is a failed one whatever the dialog made of it so far: the
     * contact is called again by the rule for failures, on another line. An opt-out heard
     * before stays one. */
    line_reason = tb_line_pool_call_ended (self->pool, call_line->line_id, call_line->caller_id,
                                           result.end_reason, result.protocol_code,
                                           result.outcome,
                                           tb_clock_now (self->clock));
    if (line_reason != NULL) {
      result.end_reason = line_reason;
      if (!result.opt_out)
        result.outcome = "failed";
    }
    g_hash_table_remove (self->call_lines, &attempt_id);
  }
  if (!tb_dialer_call_ended (self->dialer, attempt_id, &result, &error))
    g_message ("attempt %" G_GINT64_FORMAT ": the outcome could not be saved: %s",
               attempt_id, error->message);
  g_object_unref (session);
}

/* A speech server that fails every utterance would have every callee reprompted and
 * hung up on: after a few failures in a row the campaign stops dialing, and says why. */
static void
on_session_recognized (TbCampaignRunner *self,
                       gboolean          failed,
                       const char       *reason,
                       TbCallSession    *session)
{
  g_autofree char *url = NULL;

  if (!failed) {
    self->recognizer_failures = 0;
    return;
  }
  if (++self->recognizer_failures < TB_CAMPAIGN_MAX_RECOGNIZER_FAILURES ||
      tb_dialer_get_state (self->dialer) != TB_DIALER_STATE_RUNNING)
    return;
  url = tb_store_dup_setting (self->store, TB_SPEECH_SETTING_URL, "");
  g_free (self->pause_reason);
  if (url[0] != '\0')
    self->pause_reason = g_strdup_printf (_("the speech server %s failed %u times in a row "
                                            "(last: %s)"), url, self->recognizer_failures,
                                          reason ? reason : _("unknown error"));
  else
    self->pause_reason = g_strdup_printf (_("speech recognition failed %u times in a row "
                                            "(last: %s)"), self->recognizer_failures,
                                          reason ? reason : _("unknown error"));
  g_message ("campaign %" G_GINT64_FORMAT " paused: %s", self->campaign_id,
             self->pause_reason);
  self->start_wanted = FALSE;
  tb_dialer_pause_for (self->dialer, self->pause_reason);
  g_signal_emit (self, signals[PAUSED], 0, self->pause_reason);
}

static void
place_call (gpointer           user_data,
            TbDialer          *dialer,
            const TbQueueItem *item,
            gint64             attempt_id)
{
  TbCampaignRunner *self = user_data;
  TbScript *script = self->script;
  TbRecognizer *recognizer = self->recognizer;
  g_autoptr(GHashTable) vars = variables_for (self, item);
  g_autoptr(TbLiveCall) live = tb_live_call_new (attempt_id, item->name, item->e164);
  TbDialCallee callee = { item->e164, item->country, item->timezone, NULL };
  gboolean may_ask = tb_dial_gate_confirm_opt_out_allowed (self->gate, &callee, self->policies,
                                                           tb_clock_now (self->clock));
  TbCallSessionSetup setup = {
    .store = self->store,
    .line = tb_line_pool_lookup (self->pool, item->line_id),
    .script = NULL,
    .recognizer = NULL,
    .attempt_id = attempt_id,
    .campaign_id = self->campaign_id,
    .number = item->e164,
    .persona = item->persona,
    .caller_id = item->caller_id,
    .variables = vars,
    .live = live,
    .clock = self->clock,
    .synthesizer = self->synth,
    .prompts = self->prompts,
    .no_opt_out_question = !may_ask,
  };
  TbCallSession *session;

  /* The variant the dialer recorded for this attempt. */
  for (guint i = 0; item->variant != NULL && i < self->variants->len; i++) {
    Variant *v = g_ptr_array_index (self->variants, i);

    if (g_str_equal (v->label, item->variant)) {
      script = v->script;
      recognizer = v->recognizer;
    }
  }
  setup.script = script;
  setup.recognizer = recognizer;
  setup.record = tb_script_get_records (script);
  if (setup.line == NULL)   /* a backend without a pool's pick: the campaign's first line */
    setup.line = tb_line_pool_get_line (self->pool, 0);
  session = tb_call_session_new (&setup);
  if (item->line_id != 0) {
    CallLine *call_line = g_new0 (CallLine, 1);

    call_line->line_id = item->line_id;
    call_line->caller_id = g_strdup (item->caller_id);
    g_hash_table_insert (self->call_lines, g_memdup2 (&attempt_id, sizeof attempt_id),
                         call_line);
  }

  g_hash_table_insert (self->sessions, g_memdup2 (&attempt_id, sizeof attempt_id), session);
  g_list_store_append (self->live_calls, live);
  g_signal_connect_object (session, "finished", G_CALLBACK (on_session_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "recognized", G_CALLBACK (on_session_recognized), self,
                           G_CONNECT_SWAPPED);
  tb_call_session_start (session);
}

static const TbDialerBackend backend = { gate, place_call, pacing, line_room, pick_line };

/* Every line of the pool has been in error for a while, and nothing is in flight: nobody can
 * be called until a person looks (a modem gone for good, a password changed). Paused, saying
 * why; a line that recovers meanwhile cancels this. */
#define NO_LINE_PAUSE_S 60

static gboolean
no_line_cb (gpointer data)
{
  TbCampaignRunner *self = data;
  g_autofree char *why = NULL;

  self->no_line_id = 0;
  if (tb_line_pool_get_room (self->pool, tb_clock_now (self->clock), &why, NULL) > 0 ||
      tb_dialer_get_state (self->dialer) != TB_DIALER_STATE_RUNNING ||
      g_hash_table_size (self->sessions) > 0)
    return G_SOURCE_REMOVE;
  g_free (self->pause_reason);
  self->pause_reason = g_steal_pointer (&why);
  g_message ("campaign %" G_GINT64_FORMAT " paused: %s", self->campaign_id, self->pause_reason);
  self->start_wanted = FALSE;
  tb_dialer_pause_for (self->dialer, self->pause_reason);
  g_signal_emit (self, signals[PAUSED], 0, self->pause_reason);
  return G_SOURCE_REMOVE;
}

/* A line came back (or went away): the dialer looks for room again. */
static void
on_pool_changed (TbCampaignRunner *self)
{
  gboolean all_error = TRUE;

  for (guint i = 0; i < tb_line_pool_get_n_lines (self->pool); i++)
    if (tb_line_get_state (tb_line_pool_get_line (self->pool, i)) != TB_LINE_STATE_ERROR)
      all_error = FALSE;
  if (!all_error)
    g_clear_handle_id (&self->no_line_id, g_source_remove);
  else if (self->no_line_id == 0)
    self->no_line_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, NO_LINE_PAUSE_S,
                                                   no_line_cb, g_object_ref (self),
                                                   g_object_unref);
  if (self->dialer != NULL)
    tb_dialer_kick (self->dialer);
}

static void
on_dialer_progress (TbCampaignRunner *self)
{
  g_signal_emit (self, signals[PROGRESS], 0);
}

static void
on_dialer_finished (TbCampaignRunner *self)
{
  g_signal_emit (self, signals[FINISHED], 0);
}

/* Nobody could be dialed and nobody can be without a person's help (consent to record): the
 * dialer paused, saying why. Not finished: the window and the CLI say so. */
static void
on_dialer_stalled (TbCampaignRunner *self,
                   const char       *reason)
{
  g_free (self->pause_reason);
  self->pause_reason = g_strdup (reason);
  self->start_wanted = FALSE;
  g_signal_emit (self, signals[PAUSED], 0, self->pause_reason);
}

static void
tb_campaign_runner_dispose (GObject *object)
{
  TbCampaignRunner *self = TB_CAMPAIGN_RUNNER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_handle_id (&self->no_line_id, g_source_remove);
  g_clear_object (&self->dialer);
  g_clear_object (&self->pool);
  g_clear_pointer (&self->call_lines, g_hash_table_unref);

  G_OBJECT_CLASS (tb_campaign_runner_parent_class)->dispose (object);
}

static void
tb_campaign_runner_finalize (GObject *object)
{
  TbCampaignRunner *self = TB_CAMPAIGN_RUNNER (object);

  g_clear_object (&self->live_calls);
  g_clear_object (&self->script);
  g_clear_pointer (&self->variants, g_ptr_array_unref);
  g_clear_object (&self->recognizer);
  g_clear_object (&self->synth);
  g_clear_object (&self->prompts);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->gate);
  g_clear_object (&self->clock);
  g_clear_object (&self->store);
  g_free (self->business_name);
  g_free (self->callback_number);
  g_free (self->policies);
  g_free (self->pause_reason);

  G_OBJECT_CLASS (tb_campaign_runner_parent_class)->finalize (object);
}

static void
tb_campaign_runner_class_init (TbCampaignRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_campaign_runner_dispose;
  object_class->finalize = tb_campaign_runner_finalize;

  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TbCampaignRunner::failed:
   * @error: why the campaign stopped (a #TbStoreError: the disk is full, the file read-only)
   *
   * The campaign stopped because its work could not be recorded; its calls are being hung up.
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /**
   * TbCampaignRunner::paused:
   * @reason: why, as a user reads it
   *
   * The campaign paused by itself (its speech recognizer keeps failing, or nothing it holds
   * can be dialed: TbDialer::stalled): no new calls; the ones in flight finish, each emitting
   * "progress" as it ends.
   */
  signals[PAUSED] = g_signal_new ("paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tb_campaign_runner_init (TbCampaignRunner *self)
{
  self->live_calls = g_list_store_new (TB_TYPE_LIVE_CALL);
  self->cancellable = g_cancellable_new ();
  self->prompts = tb_prompt_cache_new (NULL);
  self->sessions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->call_lines = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                            (GDestroyNotify) call_line_free);
  self->variants = g_ptr_array_new_with_free_func ((GDestroyNotify) variant_free);
}

/* A campaign's script from the store; one with errors never reaches a callee. */
static TbScript *
load_script (TbStore             *store,
             const TbCampaignRow *row,
             gint64               script_id,
             const char          *script_name,
             GError             **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *document = NULL;
  g_autoptr(TbScript) script = NULL;

  if ((document = tb_store_dup_script_document (store, script_id, error)) == NULL ||
      (script = tb_script_new_from_data (document, -1, script_name, error)) == NULL) {
    g_prefix_error (error, "campaign “%s”: ", row->name);
    return NULL;
  }
  if (!tb_script_check (script, row->policies, NULL, &problems)) {
    for (guint i = 0; problems != NULL && i < problems->len; i++) {
      TbScriptProblem *p = g_ptr_array_index (problems, i);

      if (p->severity == TB_SCRIPT_PROBLEM_ERROR) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "campaign “%s”: %s",
                     row->name, p->message);
        return NULL;
      }
    }
  }
  return g_steal_pointer (&script);
}

TbCampaignRunner *
tb_campaign_runner_new (TbStore  *store,
                        gint64    campaign_id,
                        TbClock  *clock,
                        GError  **error)
{
  g_autoptr(TbCampaignRunner) self = NULL;
  g_autoptr(TbCampaignRow) row = NULL;
  g_autoptr(GPtrArray) variant_rows = NULL;
  TbLine *speech_line;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);
  g_return_val_if_fail (TB_IS_CLOCK (clock), NULL);

  if ((row = tb_store_get_campaign (store, campaign_id, error)) == NULL)
    return NULL;
  /* A deleted list leaves its campaign's calls in the history, and nobody to call. */
  if (row->list_name == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "campaign “%s”: its contact list was deleted", row->name);
    return NULL;
  }

  self = g_object_new (TB_TYPE_CAMPAIGN_RUNNER, NULL);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  self->campaign_id = campaign_id;
  self->policies = g_strdup (row->policies);
  self->gate = tb_dial_gate_new (store);
  self->business_name = tb_store_dup_setting (store, "business-name", "");
  self->callback_number = tb_store_dup_setting (store, "callback-number", "");

  if ((self->script = load_script (store, row, row->script_id, row->script_name,
                                   error)) == NULL)
    return NULL;
  if ((self->pool = tb_line_pool_new (store, campaign_id, tb_clock_is_simulated (clock),
                                     tb_clock_now (clock), error)) == NULL) {
    g_prefix_error (error, "campaign “%s”: ", row->name);
    return NULL;
  }
  /* One recognizer serves every line: a real one when any line is real (a sim line's callees
   * speak too), rehearsal only for a pool of sim lines. */
  speech_line = tb_line_pool_get_line (self->pool, 0);
  for (guint i = 0; i < tb_line_pool_get_n_lines (self->pool); i++)
    if (!g_str_equal (tb_line_get_kind (tb_line_pool_get_line (self->pool, i)), "sim")) {
      speech_line = tb_line_pool_get_line (self->pool, i);
      break;
    }
  g_signal_connect_object (self->pool, "changed", G_CALLBACK (on_pool_changed), self,
                           G_CONNECT_SWAPPED);
  if ((self->recognizer = tb_speech_service_new_recognizer (store, self->script, speech_line,
                                                            error)) == NULL ||
      (self->synth = tb_speech_service_new_synthesizer (store, error)) == NULL) {
    g_prefix_error (error, "campaign “%s”: ", row->name);
    return NULL;
  }
  if ((variant_rows = tb_store_dup_campaign_variants (store, campaign_id, NULL, error)) == NULL)
    return NULL;
  for (guint i = 0; i < variant_rows->len; i++) {
    TbVariantRow *vr = g_ptr_array_index (variant_rows, i);
    Variant *v = g_new0 (Variant, 1);

    v->label = g_strdup (vr->label);
    g_ptr_array_add (self->variants, v);
    if ((v->script = load_script (store, row, vr->script_id, vr->script_name, error)) == NULL) {
      g_prefix_error (error, "variant %s: ", vr->label);
      return NULL;
    }
    if ((v->recognizer = tb_speech_service_new_recognizer (store, v->script, speech_line,
                                                           error)) == NULL) {
      g_prefix_error (error, "campaign “%s”: variant %s: ", row->name, vr->label);
      return NULL;
    }
  }

  self->dialer = tb_dialer_new (store, campaign_id, clock, &backend, self, error);
  if (self->dialer == NULL)
    return NULL;
  g_signal_connect_object (self->dialer, "progress", G_CALLBACK (on_dialer_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->dialer, "finished", G_CALLBACK (on_dialer_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->dialer, "failed", G_CALLBACK (on_dialer_failed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->dialer, "stalled", G_CALLBACK (on_dialer_stalled), self,
                           G_CONNECT_SWAPPED);
  return g_steal_pointer (&self);
}

/* The script whose prompts are rendered at step @i: the campaign's own (variant A when it
 * compares variants), then each other variant's; NULL when all are done. */
static TbScript *
prerender_script (TbCampaignRunner *self,
                  guint             i)
{
  if (i == 0)
    return self->script;
  if (i < self->variants->len)
    return ((Variant *) g_ptr_array_index (self->variants, i))->script;
  return NULL;
}

static void
prerender_step (TbCampaignRunner    *self,
                GAsyncReadyCallback  callback)
{
  TbScript *script = prerender_script (self, self->prerender_next);
  g_autoptr(TbDialog) dialog = tb_dialog_new (script, NULL, NULL, NULL);
  g_auto(GStrv) personal = NULL;
  g_auto(GStrv) shared = tb_dialog_dup_prompt_texts (dialog, &personal);

  tb_prompt_cache_prerender_async (self->prompts, self->synth, tb_script_get_voice (script),
                                   (const char * const *) shared, self->cancellable,
                                   callback, g_object_ref (self));
}

static void
prerendered_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(TbCampaignRunner) self = data;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!tb_prompt_cache_prerender_finish (TB_PROMPT_CACHE (object), result, &n, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    /* Each call renders what is missing for itself; slower, not wrong. */
    g_message ("campaign %" G_GINT64_FORMAT ": %s", self->campaign_id, error->message);
  }
  g_debug ("campaign %" G_GINT64_FORMAT ": %u prompts rendered", self->campaign_id, n);
  if (prerender_script (self, ++self->prerender_next) != NULL) {
    prerender_step (self, prerendered_cb);
    return;
  }
  self->prerendering = FALSE;
  self->prerendered = TRUE;
  if (self->start_wanted)
    tb_dialer_start (self->dialer);
}

/**
 * tb_campaign_runner_start:
 *
 * Starts (or resumes) dialing. The first time, every prompt of the script (of every
 * variant) that is the same in every call is rendered into the prompt cache first, so
 * no callee waits for synthesis (COMPLIANCE.md R6.1).
 */
void
tb_campaign_runner_start (TbCampaignRunner *self)
{
  g_return_if_fail (TB_IS_CAMPAIGN_RUNNER (self));

  self->start_wanted = TRUE;
  self->recognizer_failures = 0;
  g_clear_pointer (&self->pause_reason, g_free);
  if (self->prerendered) {
    tb_dialer_start (self->dialer);
    return;
  }
  if (self->prerendering)
    return;
  self->prerendering = TRUE;
  self->prerender_next = 0;
  prerender_step (self, prerendered_cb);
}

void
tb_campaign_runner_pause (TbCampaignRunner *self)
{
  g_return_if_fail (TB_IS_CAMPAIGN_RUNNER (self));

  self->start_wanted = FALSE;
  tb_dialer_pause (self->dialer);
}

void
tb_campaign_runner_abort (TbCampaignRunner *self)
{
  GHashTableIter iter;
  gpointer session;

  g_return_if_fail (TB_IS_CAMPAIGN_RUNNER (self));

  tb_campaign_runner_pause (self);
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &session))
    tb_call_session_interrupt (session);
}

guint
tb_campaign_runner_get_n_calls (TbCampaignRunner *self)
{
  g_return_val_if_fail (TB_IS_CAMPAIGN_RUNNER (self), 0);

  return g_hash_table_size (self->sessions);
}

TbDialerState
tb_campaign_runner_get_state (TbCampaignRunner *self)
{
  g_return_val_if_fail (TB_IS_CAMPAIGN_RUNNER (self), TB_DIALER_STATE_IDLE);

  /* Rendering the prompts is the first moment of running: Pause works then too. */
  if (self->prerendering)
    return self->start_wanted ? TB_DIALER_STATE_RUNNING : TB_DIALER_STATE_PAUSED;
  return tb_dialer_get_state (self->dialer);
}

/* Why the campaign paused by itself; NULL when it did not (or runs again). */
const char *
tb_campaign_runner_get_pause_reason (TbCampaignRunner *self)
{
  g_return_val_if_fail (TB_IS_CAMPAIGN_RUNNER (self), NULL);

  return self->pause_reason;
}

/**
 * tb_campaign_runner_get_wait:
 * @rule: (out) (optional) (transfer none): why, as the gate said it ("R3 calling window …");
 *   NULL when it waits for a retry's time
 *
 * Returns: when a running campaign with no call in flight dials next (µs on its clock), or
 *   0 when it is not waiting
 */
gint64
tb_campaign_runner_get_wait (TbCampaignRunner  *self,
                             const char       **rule)
{
  g_return_val_if_fail (TB_IS_CAMPAIGN_RUNNER (self), 0);

  if (self->prerendering) {
    if (rule != NULL)
      *rule = NULL;
    return 0;
  }
  return tb_dialer_get_wait (self->dialer, rule);
}

gint64
tb_campaign_runner_get_campaign_id (TbCampaignRunner *self)
{
  g_return_val_if_fail (TB_IS_CAMPAIGN_RUNNER (self), 0);

  return self->campaign_id;
}

TbLinePool *
tb_campaign_runner_get_pool (TbCampaignRunner *self)
{
  g_return_val_if_fail (TB_IS_CAMPAIGN_RUNNER (self), NULL);

  return self->pool;
}

GListModel *
tb_campaign_runner_get_live_calls (TbCampaignRunner *self)
{
  g_return_val_if_fail (TB_IS_CAMPAIGN_RUNNER (self), NULL);

  return G_LIST_MODEL (self->live_calls);
}

gboolean
tb_campaign_runner_call_action (TbCampaignRunner  *self,
                                gint64             attempt_id,
                                const char        *action,
                                gboolean           on,
                                GError           **error)
{
  TbCallSession *session;

  g_return_val_if_fail (TB_IS_CAMPAIGN_RUNNER (self), FALSE);

  session = g_hash_table_lookup (self->sessions, &attempt_id);
  if (session == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "that call has ended");
    return FALSE;
  }
  if (g_str_equal (action, "hang-up")) {
    tb_call_session_hang_up (session);
    return TRUE;
  }
  if (g_str_equal (action, "listen"))
    return tb_call_session_set_listen_in (session, on, error);
  if (g_str_equal (action, "take-over"))
    return tb_call_session_set_take_over (session, on, error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown call action “%s”", action);
  return FALSE;
}
