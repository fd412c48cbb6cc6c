/* tb-dialog.c — the dialog engine: one call's conversation as a state machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-dialog"

#include "config.h"

#include "tb-dialog-private.h"

#include <string.h>

/* A script that bounces between nodes without end still ends. */
#define MAX_STEPS 200

/* Speech shorter than this over a prompt is a backchannel ("uh-huh", 嗯): it does not
 * interrupt unless the node says backchannels do. */
#define BACKCHANNEL_MS 500

/* How long the callee has to answer the opt-out confirmation question. */
#define CONFIRM_TIMEOUT_MS 5000

G_DEFINE_FINAL_TYPE (TbDialog, tb_dialog, G_TYPE_OBJECT)

static const char * const action_names[] = {
  "play_prompt", "stop_prompt", "listen", "add_to_dnc", "transfer", "hang_up", "grade",
  "log_turn",
};

const char *
tb_dialog_action_type_to_string (TbDialogActionType type)
{
  return type < G_N_ELEMENTS (action_names) ? action_names[type] : NULL;
}

void
tb_dialog_action_free (TbDialogAction *action)
{
  if (action == NULL)
    return;
  g_free (action->node);
  g_free (action->text);
  g_free (action->prompt_file);
  g_free (action->intent);
  g_strfreev (action->intents);
  g_strfreev (action->settled);
  g_free (action->target);
  g_free (action->reason);
  g_free (action->rule);
  g_strfreev (action->tags);
  g_free (action);
}

const char *
tb_dialog_opt_out_goodbye (const char *language)
{
  if (language != NULL && g_str_has_prefix (language, "zh"))
    return "您的号码已登记，不会再来电。打扰了，再见。";
  return "You won't be called again. Goodbye.";
}

static gint64
now (TbDialog *self)
{
  return self->clock ? self->clock (self->clock_data) : g_get_monotonic_time ();
}

TbDialogAction *
_tb_dialog_push (TbDialog           *self,
                 TbDialogActionType  type)
{
  TbDialogAction *a = g_new0 (TbDialogAction, 1);

  a->type = type;
  a->time_us = now (self);
  a->node = g_strdup (self->node);
  g_queue_push_tail (&self->actions, a);
  return a;
}

const TbScriptNode *
_tb_dialog_current (TbDialog *self)
{
  return tb_script_get_node (self->script, self->node);
}

void
_tb_dialog_log_turn (TbDialog       *self,
                     const char     *speaker,
                     const char     *text,
                     const char     *intent,
                     const char     *rule,
                     double          confidence,
                     TbDialogSource  source)
{
  TbDialogAction *a = _tb_dialog_push (self, TB_DIALOG_ACTION_LOG_TURN);

  a->speaker = speaker;
  a->rule = g_strdup (rule);
  a->text = g_strdup (text);
  a->intent = g_strdup (intent);
  a->confidence = confidence;
  a->source = source;
}

void
_tb_dialog_stop_prompt (TbDialog *self)
{
  if (!self->playing)
    return;
  _tb_dialog_push (self, TB_DIALOG_ACTION_STOP_PROMPT);
  self->playing = FALSE;
}

TbDialogAction *
_tb_dialog_play (TbDialog   *self,
                 const char *text,
                 const char *prompt_file,
                 gboolean    barge_in,
                 const char *intent)
{
  g_autofree char *expanded = tb_script_expand_text (self->script, text ? text : "",
                                                     self->variables);
  TbDialogAction *a = _tb_dialog_push (self, TB_DIALOG_ACTION_PLAY_PROMPT);

  a->text = g_strdup (expanded);
  a->prompt_file = g_strdup (prompt_file);
  a->barge_in = barge_in;
  a->barge_min_ms = barge_in ? BACKCHANNEL_MS : 0;
  a->intent = g_strdup (intent);
  self->playing = TRUE;
  self->barged = FALSE;
  _tb_dialog_log_turn (self, "bot", expanded, NULL, NULL, 1.0, TB_DIALOG_SOURCE_SPEECH);
  return a;
}

void
_tb_dialog_grade_action (TbDialog            *self,
                         const TbScriptGrade *grade,
                         const char          *intent,
                         const char          *utterance)
{
  TbDialogAction *a;

  if (grade == NULL || !grade->set)
    return;
  tb_grader_apply (self->grader, grade, self->node, intent, utterance);
  a = _tb_dialog_push (self, TB_DIALOG_ACTION_GRADE);
  a->intent = g_strdup (intent);
  a->text = g_strdup (utterance);
  a->score_delta = grade->score;
  a->score = tb_grader_get_score (self->grader);
  a->grade = tb_grade_for_score (tb_script_get_grading (self->script), a->score);
  a->reason = g_strdup (grade->reason);
  a->tags = g_strdupv (grade->tags);
}

void
_tb_dialog_set_outcome (TbDialog   *self,
                        const char *outcome)
{
  if (outcome == NULL || self->opted_out)
    return;
  g_free (self->outcome);
  self->outcome = g_strdup (outcome);
}

void
_tb_dialog_hang_up (TbDialog   *self,
                    const char *reason)
{
  TbDialogAction *a = _tb_dialog_push (self, TB_DIALOG_ACTION_HANG_UP);

  a->reason = g_strdup (reason);
  self->state = TB_DIALOG_STATE_ENDED;
  self->deadline = -1;
  self->playing = FALSE;
}

void
_tb_dialog_then_hang_up (TbDialog   *self,
                         const char *reason)
{
  self->after = AFTER_HANG_UP;
  g_free (self->after_reason);
  self->after_reason = g_strdup (reason);
}

char **
_tb_dialog_expected_intents (TbDialog *self)
{
  const TbScriptNode *n = _tb_dialog_current (self);

  return tb_script_dup_listen_intents (self->script, n != NULL ? n->id : NULL);
}

static void
listen (TbDialog *self)
{
  const TbScriptNode *n = _tb_dialog_current (self);
  TbDialogAction *a = _tb_dialog_push (self, TB_DIALOG_ACTION_LISTEN);

  a->intents = _tb_dialog_expected_intents (self);
  /* Every answer but the opt-out: a second reading is wanted where the grammar reads an
   * opt-out (the readings that disagree are asked about) or nothing (bench/results.md). */
  a->settled = tb_script_dup_settled_intents (self->script, n != NULL ? n->id : NULL);
  a->timeout_ms = n ? n->timeout_ms : 5000;
  a->end_silence_ms = n ? n->end_silence_ms : TB_SCRIPT_DEFAULT_END_SILENCE_MS;
  a->end_silence_complete_ms = n ? n->end_silence_complete_ms
                                 : TB_SCRIPT_DEFAULT_END_SILENCE_COMPLETE_MS;
  self->state = TB_DIALOG_STATE_LISTENING;
  self->deadline = now (self) + (gint64) a->timeout_ms * 1000;
}

/* Listens for the answer to the opt-out question: yes, no or the opt-out itself. */
static void
listen_confirm (TbDialog *self)
{
  TbDialogAction *a = _tb_dialog_push (self, TB_DIALOG_ACTION_LISTEN);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) settled = g_strv_builder_new ();

  g_strv_builder_add (b, "yes");
  g_strv_builder_add (b, "no");
  g_strv_builder_addv (b, (const char **) self->opt_out_intents);
  a->intents = g_strv_builder_end (b);
  /* A "yes" or an opt-out records whatever a second reading says; a "no" needs both readings
   * (confirm_answer()). */
  g_strv_builder_add (settled, "yes");
  g_strv_builder_addv (settled, (const char **) self->opt_out_intents);
  a->settled = g_strv_builder_end (settled);
  a->timeout_ms = CONFIRM_TIMEOUT_MS;
  a->end_silence_ms = TB_SCRIPT_DEFAULT_END_SILENCE_MS;
  a->end_silence_complete_ms = TB_SCRIPT_DEFAULT_END_SILENCE_COMPLETE_MS;
  self->state = TB_DIALOG_STATE_LISTENING;
  self->deadline = now (self) + (gint64) a->timeout_ms * 1000;
}

void
_tb_dialog_play_node (TbDialog           *self,
                      const TbScriptNode *n,
                      const char         *text)
{
  /* The node's barge-in policy (FORMAT.md): speech stops the prompt once after_ms of it has
   * played and the callee has spoken longer than a backchannel; with "intents", only a
   * recognized one of them does (the dialog stops the prompt itself, see heard()). */
  TbDialogAction *a = _tb_dialog_play (self, text, n->prompt,
                                       n->barge_in && n->barge_intents == NULL, NULL);

  a->barge_after_ms = n->barge_after_ms;
  if (n->barge_backchannels)
    a->barge_min_ms = 0;
  self->state = TB_DIALOG_STATE_SPEAKING;
  self->deadline = -1;
}

void
_tb_dialog_enter_node (TbDialog   *self,
                       const char *id)
{
  const TbScriptNode *n = tb_script_get_node (self->script, id);

  g_free (self->node);
  self->node = g_strdup (id);
  self->retries_used = 0;
  self->after = AFTER_NOTHING;

  if (n == NULL || ++self->steps > MAX_STEPS) {
    /* The checker refuses such scripts; a running call still ends cleanly. */
    g_debug ("%s: node \"%s\": %s", tb_script_get_source_name (self->script), id ? id : "",
             n == NULL ? "unknown node, hanging up" : "too many steps, hanging up");
    _tb_dialog_hang_up (self, n == NULL ? "script_error" : "loop");
    return;
  }

  if (g_hash_table_add (self->visited, n->id))
    _tb_dialog_grade_action (self, &n->grade, NULL, NULL);

  switch (n->type) {
  case TB_SCRIPT_NODE_SAY:
    self->after = AFTER_GOTO;
    g_free (self->after_target);
    self->after_target = g_strdup (n->next);
    break;
  case TB_SCRIPT_NODE_ASK:
    self->after = AFTER_LISTEN;
    break;
  case TB_SCRIPT_NODE_TRANSFER:
    _tb_dialog_set_outcome (self, n->outcome ? n->outcome : "transferred");
    self->after = AFTER_TRANSFER;
    break;
  case TB_SCRIPT_NODE_VOICEMAIL:
    _tb_dialog_set_outcome (self, n->outcome ? n->outcome : "voicemail");
    _tb_dialog_then_hang_up (self, self->outcome);
    break;
  case TB_SCRIPT_NODE_HANGUP:
    _tb_dialog_set_outcome (self, n->outcome ? n->outcome
                                             : (self->heard ? "completed" : "no_response"));
    _tb_dialog_then_hang_up (self, self->outcome);
    break;
  default:
    g_assert_not_reached ();
  }

  if ((n->text == NULL || *n->text == '\0') && n->prompt == NULL) {
    /* Nothing to say (a silent hangup or transfer): act at once. */
    self->state = TB_DIALOG_STATE_SPEAKING;
    self->playing = FALSE;
    tb_dialog_prompt_finished (self);
    return;
  }
  _tb_dialog_play_node (self, n, n->text);
  if (tb_script_node_type_is_terminal (n->type))
    self->state = TB_DIALOG_STATE_ENDING;
}

static void
tb_dialog_finalize (GObject *object)
{
  TbDialog *self = (TbDialog *) object;

  g_queue_clear_full (&self->actions, (GDestroyNotify) tb_dialog_action_free);
  g_clear_object (&self->script);
  g_clear_pointer (&self->variables, g_hash_table_unref);
  g_clear_pointer (&self->grader, tb_grader_free);
  g_clear_pointer (&self->visited, g_hash_table_unref);
  g_free (self->node);
  g_free (self->after_target);
  g_free (self->after_reason);
  g_free (self->outcome);
  g_strfreev (self->opt_out_intents);
  g_free (self->confirm_words);

  G_OBJECT_CLASS (tb_dialog_parent_class)->finalize (object);
}

static void
tb_dialog_class_init (TbDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_dialog_finalize;
}

static void
tb_dialog_init (TbDialog *self)
{
  g_queue_init (&self->actions);
  self->visited = g_hash_table_new (g_str_hash, g_str_equal);   /* keys: the script's ids */
  self->deadline = -1;
  self->confirm_allowed = TRUE;
}

TbDialog *
tb_dialog_new (TbScript          *script,
               GHashTable        *variables,
               TbDialogClockFunc  clock,
               gpointer           clock_data)
{
  TbDialog *self;

  g_return_val_if_fail (TB_IS_SCRIPT (script), NULL);

  self = g_object_new (TB_TYPE_DIALOG, NULL);
  self->script = g_object_ref (script);
  self->variables = variables ? g_hash_table_ref (variables) : NULL;
  self->clock = clock;
  self->clock_data = clock_data;
  self->grader = tb_grader_new (tb_script_get_grading (script));
  self->confirm_allowed = tb_script_get_confirm_opt_out (script);
  {
    g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

    g_strv_builder_add (b, "opt_out");
    for (guint i = 0; i < tb_script_get_n_intents (script); i++) {
      const TbScriptIntent *in = tb_script_get_nth_intent (script, i);

      if (in->global && in->action == TB_SCRIPT_GLOBAL_OPT_OUT && !g_str_equal (in->id, "opt_out"))
        g_strv_builder_add (b, in->id);
    }
    self->opt_out_intents = g_strv_builder_end (b);
  }
  return self;
}

void
tb_dialog_answered (TbDialog *self)
{
  g_return_if_fail (TB_IS_DIALOG (self));
  if (self->state != TB_DIALOG_STATE_IDLE)
    return;
  self->answered = TRUE;
  self->state = TB_DIALOG_STATE_SPEAKING;
  _tb_dialog_enter_node (self, tb_script_get_start (self->script));
}

gboolean
tb_dialog_start_at (TbDialog   *self,
                    const char *node_id)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), FALSE);
  if (self->state != TB_DIALOG_STATE_IDLE || tb_script_get_node (self->script, node_id) == NULL)
    return FALSE;
  self->answered = TRUE;
  self->state = TB_DIALOG_STATE_SPEAKING;
  _tb_dialog_enter_node (self, node_id);
  return TRUE;
}

void
tb_dialog_answering_machine (TbDialog *self)
{
  const char *vm;

  g_return_if_fail (TB_IS_DIALOG (self));
  if (self->state == TB_DIALOG_STATE_ENDED || self->voicemail || self->heard)
    return;
  self->answered = TRUE;
  self->voicemail = TRUE;
  _tb_dialog_stop_prompt (self);
  vm = tb_script_get_voicemail (self->script);
  if (vm != NULL && tb_script_get_node (self->script, vm) != NULL) {
    self->state = TB_DIALOG_STATE_SPEAKING;
    _tb_dialog_enter_node (self, vm);
    _tb_dialog_set_outcome (self, "voicemail");
  } else {
    _tb_dialog_set_outcome (self, "voicemail");
    _tb_dialog_hang_up (self, "voicemail");
  }
}

void
tb_dialog_prompt_finished (TbDialog *self)
{
  After after;

  g_return_if_fail (TB_IS_DIALOG (self));
  if (self->state != TB_DIALOG_STATE_SPEAKING && self->state != TB_DIALOG_STATE_ENDING)
    return;
  self->playing = FALSE;
  after = self->after;
  self->after = AFTER_NOTHING;

  switch (after) {
  case AFTER_GOTO: {
    g_autofree char *target = g_steal_pointer (&self->after_target);

    _tb_dialog_enter_node (self, target);
    break;
  }
  case AFTER_LISTEN:
    listen (self);
    break;
  case AFTER_CONFIRM:
    listen_confirm (self);
    break;
  case AFTER_RESUME: {
    /* Back to where we were: say the node again (no grade twice). */
    const TbScriptNode *n = _tb_dialog_current (self);

    if (n == NULL) {
      _tb_dialog_hang_up (self, "script_error");
    } else {
      g_autofree char *id = g_strdup (n->id);
      int retries = self->retries_used;

      _tb_dialog_enter_node (self, id);
      self->retries_used = retries;
    }
    break;
  }
  case AFTER_TRANSFER: {
    const TbScriptNode *n = _tb_dialog_current (self);
    TbDialogAction *a = _tb_dialog_push (self, TB_DIALOG_ACTION_TRANSFER);

    a->target = g_strdup (n ? n->to : NULL);
    self->state = TB_DIALOG_STATE_ENDED;
    break;
  }
  case AFTER_HANG_UP: {
    g_autofree char *reason = g_steal_pointer (&self->after_reason);

    _tb_dialog_hang_up (self, reason ? reason : "completed");
    break;
  }
  case AFTER_NOTHING:
  default:
    break;
  }
}

void
tb_dialog_speech_started (TbDialog *self)
{
  const TbScriptNode *n;

  g_return_if_fail (TB_IS_DIALOG (self));
  n = _tb_dialog_current (self);
  if (self->state == TB_DIALOG_STATE_LISTENING && n != NULL) {
    /* The callee is talking: the utterance will come; keep a guard. */
    self->deadline = now (self) + (gint64) n->timeout_ms * 2000;
  }
}

void
tb_dialog_barged_in (TbDialog *self)
{
  const TbScriptNode *n;

  g_return_if_fail (TB_IS_DIALOG (self));
  n = _tb_dialog_current (self);
  if (self->state != TB_DIALOG_STATE_SPEAKING || !self->playing)
    return;
  self->playing = FALSE;
  self->barged = TRUE;
  if (self->confirming) {
    /* The answer to the question may come before it ends. */
    self->after = AFTER_NOTHING;
    listen_confirm (self);
  } else if (n != NULL && n->type == TB_SCRIPT_NODE_ASK && self->after != AFTER_RESUME) {
    self->after = AFTER_NOTHING;
    listen (self);
  }
  /* A say node talked over: the utterance decides (heard() carries on with the node). */
}

gboolean
tb_dialog_tick (TbDialog *self)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), FALSE);
  if (self->state != TB_DIALOG_STATE_LISTENING || self->deadline < 0 ||
      now (self) < self->deadline)
    return FALSE;
  tb_dialog_silence_timeout (self);
  return TRUE;
}

gint64
tb_dialog_get_deadline (TbDialog *self)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), -1);
  return self->state == TB_DIALOG_STATE_LISTENING ? self->deadline : -1;
}

TbDialogAction *
tb_dialog_pop_action (TbDialog *self)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), NULL);
  return g_queue_pop_head (&self->actions);
}

guint
tb_dialog_get_n_pending (TbDialog *self)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), 0);
  return g_queue_get_length (&self->actions);
}

TbDialogState
tb_dialog_get_state (TbDialog *self)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), TB_DIALOG_STATE_ENDED);
  return self->state;
}

const char *
tb_dialog_get_node (TbDialog *self)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), NULL);
  return self->node;
}

gboolean
tb_dialog_is_finished (TbDialog *self)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), TRUE);
  return self->state == TB_DIALOG_STATE_ENDED;
}

void
tb_dialog_set_confirm_opt_out (TbDialog *self,
                               gboolean  allowed)
{
  g_return_if_fail (TB_IS_DIALOG (self));
  self->confirm_allowed = allowed && tb_script_get_confirm_opt_out (self->script);
}

gboolean
tb_dialog_get_confirming (TbDialog *self)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), FALSE);
  return self->confirming;
}

gboolean
tb_dialog_get_opted_out (TbDialog *self)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), FALSE);
  return self->opted_out;
}

const char *
tb_dialog_get_outcome (TbDialog *self)
{
  g_return_val_if_fail (TB_IS_DIALOG (self), NULL);
  return self->outcome;
}

TbGradeResult *
tb_dialog_dup_result (TbDialog *self)
{
  const char *outcome;

  g_return_val_if_fail (TB_IS_DIALOG (self), NULL);
  outcome = self->outcome;
  if (outcome == NULL)
    outcome = self->answered ? (self->state == TB_DIALOG_STATE_ENDED ? "completed" : "in_progress")
                             : "no_answer";
  return tb_grader_finish (self->grader, outcome, self->answered && !self->voicemail);
}
