/* tb-dialog.c — the dialog engine: one call's conversation as a state machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-dialog"

#include "config.h"

#include "tb-dialog.h"

#include <string.h>

/* A script that bounces between nodes without end still ends. */
#define MAX_STEPS 200

/* Speech shorter than this over a prompt is a backchannel ("uh-huh", 嗯): it does not
 * interrupt unless the node says backchannels do. */
#define BACKCHANNEL_MS 500

/* How long the callee has to answer the opt-out confirmation question. */
#define CONFIRM_TIMEOUT_MS 5000

typedef enum {
  AFTER_NOTHING,
  AFTER_CONFIRM,     /* listen for the answer to "should we stop calling you?" */
  AFTER_GOTO,        /* enter after_target */
  AFTER_LISTEN,
  AFTER_RESUME,      /* replay the current node */
  AFTER_TRANSFER,
  AFTER_HANG_UP,     /* with after_reason */
} After;

struct _TbDialog
{
  GObject             parent_instance;

  /* owned */
  TbScript           *script;
  GHashTable         *variables;
  TbGrader           *grader;
  GQueue              actions;        /* TbDialogAction */
  GHashTable         *visited;        /* node ids whose grade effect was applied */
  char               *node;           /* current node id */
  char               *after_target;
  char               *after_reason;
  char               *outcome;
  GStrv               opt_out_intents; /* "opt_out" and any other global opting out */

  /* borrowed */
  TbDialogClockFunc   clock;
  gpointer            clock_data;

  TbDialogState       state;
  After               after;
  gboolean            playing;        /* a prompt is playing now */
  gboolean            barged;         /* the callee interrupted the prompt */
  gboolean            opted_out;
  gboolean            answered;
  gboolean            voicemail;
  gboolean            heard;          /* the callee said or keyed anything */
  gboolean            confirm_allowed; /* the script and the pack allow asking (R2) */
  gboolean            confirm_asked;  /* asked once already in this call */
  gboolean            confirming;     /* waiting for the answer */
  char               *confirm_words;  /* what the callee said that sounded like an opt-out */
  int                 retries_used;
  guint               steps;
  gint64              deadline;
};

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

static gboolean
is_chinese (TbDialog *self)
{
  return g_str_has_prefix (tb_script_get_language (self->script), "zh");
}

static gint64
now (TbDialog *self)
{
  return self->clock ? self->clock (self->clock_data) : g_get_monotonic_time ();
}

static TbDialogAction *
push (TbDialog           *self,
      TbDialogActionType  type)
{
  TbDialogAction *a = g_new0 (TbDialogAction, 1);

  a->type = type;
  a->time_us = now (self);
  a->node = g_strdup (self->node);
  g_queue_push_tail (&self->actions, a);
  return a;
}

static const TbScriptNode *
current (TbDialog *self)
{
  return tb_script_get_node (self->script, self->node);
}

static void
log_turn (TbDialog       *self,
          const char     *speaker,
          const char     *text,
          const char     *intent,
          const char     *rule,
          double          confidence,
          TbDialogSource  source)
{
  TbDialogAction *a = push (self, TB_DIALOG_ACTION_LOG_TURN);

  a->speaker = speaker;
  a->rule = g_strdup (rule);
  a->text = g_strdup (text);
  a->intent = g_strdup (intent);
  a->confidence = confidence;
  a->source = source;
}

static void
stop_prompt (TbDialog *self)
{
  if (!self->playing)
    return;
  push (self, TB_DIALOG_ACTION_STOP_PROMPT);
  self->playing = FALSE;
}

static TbDialogAction *
play (TbDialog   *self,
      const char *text,
      const char *prompt_file,
      gboolean    barge_in,
      const char *intent)
{
  g_autofree char *expanded = tb_script_expand_text (self->script, text ? text : "",
                                                     self->variables);
  TbDialogAction *a = push (self, TB_DIALOG_ACTION_PLAY_PROMPT);

  a->text = g_strdup (expanded);
  a->prompt_file = g_strdup (prompt_file);
  a->barge_in = barge_in;
  a->barge_min_ms = barge_in ? BACKCHANNEL_MS : 0;
  a->intent = g_strdup (intent);
  self->playing = TRUE;
  self->barged = FALSE;
  log_turn (self, "bot", expanded, NULL, NULL, 1.0, TB_DIALOG_SOURCE_SPEECH);
  return a;
}

static void
grade_action (TbDialog            *self,
              const TbScriptGrade *grade,
              const char          *intent,
              const char          *utterance)
{
  TbDialogAction *a;

  if (grade == NULL || !grade->set)
    return;
  tb_grader_apply (self->grader, grade, self->node, intent, utterance);
  a = push (self, TB_DIALOG_ACTION_GRADE);
  a->intent = g_strdup (intent);
  a->text = g_strdup (utterance);
  a->score_delta = grade->score;
  a->score = tb_grader_get_score (self->grader);
  a->grade = tb_grade_for_score (tb_script_get_grading (self->script), a->score);
  a->reason = g_strdup (grade->reason);
  a->tags = g_strdupv (grade->tags);
}

static void
set_outcome (TbDialog   *self,
             const char *outcome)
{
  if (outcome == NULL || self->opted_out)
    return;
  g_free (self->outcome);
  self->outcome = g_strdup (outcome);
}

static void
hang_up (TbDialog   *self,
         const char *reason)
{
  TbDialogAction *a = push (self, TB_DIALOG_ACTION_HANG_UP);

  a->reason = g_strdup (reason);
  self->state = TB_DIALOG_STATE_ENDED;
  self->deadline = -1;
  self->playing = FALSE;
}

static void
then_hang_up (TbDialog   *self,
              const char *reason)
{
  self->after = AFTER_HANG_UP;
  g_free (self->after_reason);
  self->after_reason = g_strdup (reason);
}

static char **
expected_intents (TbDialog *self)
{
  const TbScriptNode *n = current (self);

  return tb_script_dup_listen_intents (self->script, n != NULL ? n->id : NULL);
}

static void
listen (TbDialog *self)
{
  const TbScriptNode *n = current (self);
  TbDialogAction *a = push (self, TB_DIALOG_ACTION_LISTEN);

  a->intents = expected_intents (self);
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
  TbDialogAction *a = push (self, TB_DIALOG_ACTION_LISTEN);
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

static void
play_node (TbDialog           *self,
           const TbScriptNode *n,
           const char         *text)
{
  /* The node's barge-in policy (FORMAT.md): speech stops the prompt once after_ms of it has
   * played and the callee has spoken longer than a backchannel; with "intents", only a
   * recognized one of them does (the dialog stops the prompt itself, see heard()). */
  TbDialogAction *a = play (self, text, n->prompt, n->barge_in && n->barge_intents == NULL, NULL);

  a->barge_after_ms = n->barge_after_ms;
  if (n->barge_backchannels)
    a->barge_min_ms = 0;
  self->state = TB_DIALOG_STATE_SPEAKING;
  self->deadline = -1;
}

static void
enter_node (TbDialog   *self,
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
    hang_up (self, n == NULL ? "script_error" : "loop");
    return;
  }

  if (g_hash_table_add (self->visited, n->id))
    grade_action (self, &n->grade, NULL, NULL);

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
    set_outcome (self, n->outcome ? n->outcome : "transferred");
    self->after = AFTER_TRANSFER;
    break;
  case TB_SCRIPT_NODE_VOICEMAIL:
    set_outcome (self, n->outcome ? n->outcome : "voicemail");
    then_hang_up (self, self->outcome);
    break;
  case TB_SCRIPT_NODE_HANGUP:
    set_outcome (self, n->outcome ? n->outcome : (self->heard ? "completed" : "no_response"));
    then_hang_up (self, self->outcome);
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
  play_node (self, n, n->text);
  if (tb_script_node_type_is_terminal (n->type))
    self->state = TB_DIALOG_STATE_ENDING;
}

/* Records an opt-out: @dnc_words go into the DNC entry, @turn (when not NULL) into the
 * transcript. With @goodbye the one confirmation prompt plays, then the call ends. */
static void
record_opt_out (TbDialog       *self,
                const char     *dnc_words,
                const char     *turn,
                const char     *rule,
                TbDialogSource  source,
                double          confidence,
                gboolean        goodbye)
{
  const TbScriptIntent *in = tb_script_get_opt_out_intent (self->script);
  TbDialogAction *a;

  /* R2: the DNC entry comes first, before anything else is said or done. */
  a = push (self, TB_DIALOG_ACTION_ADD_TO_DNC);
  a->text = g_strdup (dnc_words);
  a->source = source;
  self->opted_out = TRUE;
  self->heard = TRUE;
  self->confirming = FALSE;
  g_free (self->outcome);
  self->outcome = g_strdup ("opt_out");
  if (turn != NULL)
    log_turn (self, "callee", turn, "opt_out", rule, confidence, source);
  stop_prompt (self);

  tb_grader_set_opt_out (self->grader, self->node, dnc_words);
  a = push (self, TB_DIALOG_ACTION_GRADE);
  a->intent = g_strdup ("opt_out");
  a->text = g_strdup (dnc_words);
  a->score = 0;
  a->grade = 'E';
  a->reason = g_strdup ("opt_out");

  self->deadline = -1;
  if (!goodbye)
    return;
  play (self, in && in->response ? in->response : tb_dialog_opt_out_goodbye (
          tb_script_get_language (self->script)), NULL, FALSE, "opt_out");
  self->state = TB_DIALOG_STATE_ENDING;
  then_hang_up (self, "opt_out");
}

static void
opt_out (TbDialog       *self,
         const char     *words,
         const char     *rule,
         TbDialogSource  source,
         double          confidence)
{
  record_opt_out (self, words, words, rule, source, confidence, TRUE);
}

static char
opt_out_digit (TbDialog *self)
{
  const TbScriptIntent *in = tb_script_get_opt_out_intent (self->script);

  return in != NULL && in->dtmf != NULL && *in->dtmf != '\0' ? in->dtmf[0] : '9';
}

/* R2: an opt-out heard but not certain — ask once, before anything else. */
static void
ask_confirm (TbDialog       *self,
             const char     *words,
             const char     *rule,
             TbDialogSource  source,
             double          confidence)
{
  const char *text = tb_script_get_confirm_text (self->script);
  g_autofree char *question = NULL;

  if (text == NULL) {
    char digit[2] = { opt_out_digit (self), 0 };
    g_auto(GStrv) parts = g_strsplit (tb_script_default_confirm_text (
                                        tb_script_get_language (self->script)), "9", -1);

    question = g_strjoinv (digit, parts);
  } else {
    question = g_strdup (text);
  }
  self->heard = TRUE;
  self->confirm_asked = TRUE;
  self->confirming = TRUE;
  g_free (self->confirm_words);
  self->confirm_words = g_strdup (words);
  log_turn (self, "callee", words, "opt_out?", rule, confidence, source);
  stop_prompt (self);
  self->deadline = -1;
  play (self, question, NULL, TRUE, "opt_out_confirm");
  self->state = TB_DIALOG_STATE_SPEAKING;
  self->after = AFTER_CONFIRM;
}

/* The answer to the question: only a clear "no" goes back to the call; yes, the opt-out key,
 * anything unclear, silence or a hang-up record the opt-out (the safe side). */
static void
confirm_answer (TbDialog       *self,
                const char     *text,
                const char     *alternative,
                const char     *given_intent,
                double          confidence,
                TbDialogSource  source,
                char            digit)
{
  TbIntentMatcher *matcher = tb_script_get_matcher (self->script);
  TbUnderstanding *u = tb_understanding_get_default ();
  g_autofree char *answer = source == TB_DIALOG_SOURCE_DTMF ? g_strdup_printf ("DTMF %c", digit)
                                                             : g_strdup (text ? text : "");
  g_autofree char *dnc = NULL;
  const char *only_no[] = { "no", NULL };
  TbIntentMatch m;
  TbUnderstood said;
  gboolean no = FALSE;

  if (source == TB_DIALOG_SOURCE_SPEECH && *answer == '\0' && alternative == NULL)
    return;   /* nothing said yet: the timeout decides */
  if (source == TB_DIALOG_SOURCE_SPEECH &&
      !tb_intent_matcher_match (matcher, text, (const char * const *) self->opt_out_intents,
                                &m) &&
      (alternative == NULL ||
       !tb_intent_matcher_match (matcher, alternative,
                                 (const char * const *) self->opt_out_intents, &m))) {
    double min_conf = tb_script_get_min_confidence (self->script);
    const char *only_yes[] = { "yes", NULL };
    TbUnderstood alt_said, yes;

    no = (given_intent != NULL && g_str_equal (given_intent, "no") && confidence >= min_conf) ||
         (tb_understanding_match (u, text, only_no, &said) && said.confidence >= min_conf);
    /* Two readings: a "no" of either, and a "yes" of neither (the grammar misses most short
     * answers on a line; "that's right" reads as "not right now": bench/results.md). */
    if (alternative != NULL) {
      if ((tb_understanding_match (u, text, only_yes, &yes) && yes.confidence >= min_conf) ||
          (tb_understanding_match (u, alternative, only_yes, &yes) &&
           yes.confidence >= min_conf)) {
        no = FALSE;
      } else if (!no && tb_understanding_match (u, alternative, only_no, &alt_said) &&
                 alt_said.confidence >= min_conf) {
        no = TRUE;
        said = alt_said;
        g_free (answer);
        answer = g_strdup (alternative);
      }
    }
  }
  stop_prompt (self);
  if (no) {
    g_autofree char *id = g_strdup (self->node);
    int retries = self->retries_used;

    log_turn (self, "callee", answer, "no", given_intent != NULL ? "recognizer" : said.rule,
              given_intent != NULL ? confidence : said.confidence, source);
    self->confirming = FALSE;
    g_clear_pointer (&self->confirm_words, g_free);
    /* Back to where we were: say the node again. */
    enter_node (self, id);
    self->retries_used = retries;
    return;
  }
  dnc = g_strdup_printf ("%s / %s", self->confirm_words ? self->confirm_words : "", answer);
  record_opt_out (self, dnc, answer, source == TB_DIALOG_SOURCE_DTMF ? "DTMF" : "confirmed",
                  source, source == TB_DIALOG_SOURCE_DTMF ? 1.0 : confidence, TRUE);
}

static const char *
default_response (TbDialog   *self,
                  const char *intent)
{
  gboolean zh = is_chinese (self);

  if (g_str_equal (intent, "robot"))
    return zh ? "是的,我是智能语音助手。" : "Yes, I am an automated assistant.";
  if (g_str_equal (intent, "who_is_this"))
    return zh ? "这是一通自动语音来电。" : "This is an automated call.";
  if (g_str_equal (intent, "call_later") || g_str_equal (intent, "busy_now"))
    return zh ? "好的,我们稍后再联系您。再见。"
              : "Of course, we will call you later. Goodbye.";
  return NULL;
}

static void
global_intent (TbDialog             *self,
               const TbScriptIntent *in,
               const char           *utterance)
{
  const char *response = in->response ? in->response : default_response (self, in->id);

  stop_prompt (self);
  grade_action (self, &in->grade, in->id, utterance);
  if (in->outcome != NULL) {
    g_autofree char *note = g_strdup_printf ("%s at node %s: outcome %s", in->id, self->node,
                                             in->outcome);

    set_outcome (self, in->outcome);
    tb_grader_add_tag (self->grader, in->outcome);
    tb_grader_note (self->grader, note);
  }

  switch (in->action) {
  case TB_SCRIPT_GLOBAL_RESUME:
    self->after = AFTER_RESUME;
    break;
  case TB_SCRIPT_GLOBAL_HANGUP:
    then_hang_up (self, in->outcome ? in->outcome : in->id);
    break;
  case TB_SCRIPT_GLOBAL_GOTO:
    self->after = AFTER_GOTO;
    g_free (self->after_target);
    self->after_target = g_strdup (in->next);
    break;
  case TB_SCRIPT_GLOBAL_OPT_OUT:
  default:
    g_assert_not_reached ();
  }

  self->deadline = -1;
  if (response != NULL) {
    play (self, response, NULL, in->action == TB_SCRIPT_GLOBAL_RESUME, in->id);
    self->state = self->after == AFTER_HANG_UP ? TB_DIALOG_STATE_ENDING
                                               : TB_DIALOG_STATE_SPEAKING;
  } else {
    self->state = TB_DIALOG_STATE_SPEAKING;
    tb_dialog_prompt_finished (self);
  }
}

static gboolean
has_route (const TbScriptNode *n,
           const char         *intent)
{
  for (guint i = 0; n != NULL && i < n->routes->len; i++)
    if (g_str_equal (((TbScriptRoute *) g_ptr_array_index (n->routes, i))->intent, intent))
      return TRUE;
  return FALSE;
}

static void
route (TbDialog   *self,
       const char *key)
{
  const TbScriptNode *n = current (self);

  for (guint i = 0; n != NULL && i < n->routes->len; i++) {
    TbScriptRoute *r = g_ptr_array_index (n->routes, i);

    if (g_str_equal (r->intent, key)) {
      enter_node (self, r->target);
      return;
    }
  }
  hang_up (self, "script_error");
}

/* no_input or no_match at an ask node: reprompt while retries last. */
static void
fallback (TbDialog   *self,
          const char *key)
{
  const TbScriptNode *n = current (self);

  if (n == NULL || n->type != TB_SCRIPT_NODE_ASK) {
    /* A say node the callee talked over: carry on. */
    tb_dialog_prompt_finished (self);
    return;
  }
  if (self->retries_used < n->retries) {
    self->retries_used++;
    play_node (self, n, n->retry_text ? n->retry_text : n->text);
    self->after = AFTER_LISTEN;
    return;
  }
  route (self, key);
}

/* Only an acknowledgement: "uh-huh", "mm-hmm", "okay", "I see", 嗯, 对, 好 (or nothing but
 * fillers). */
static gboolean
is_backchannel (const char *text)
{
  const char *only[] = { "backchannel", NULL };
  TbUnderstanding *u = tb_understanding_get_default ();
  g_autoptr(GPtrArray) tokens = tb_understanding_tokenize (u, text);
  TbUnderstood got;

  if (tokens->len == 0)
    return text != NULL && *text != '\0';
  return tb_understanding_match_tokens (u, tokens, only, &got) && got.start == 0 &&
         got.end == tokens->len;
}

static void
heard (TbDialog       *self,
       const char     *text,
       const char     *alternative,
       const char     *given_intent,
       double          confidence,
       TbDialogSource  source,
       char            digit)
{
  TbIntentMatcher *matcher = tb_script_get_matcher (self->script);
  const TbScriptNode *n = current (self);
  g_auto(GStrv) allowed = NULL;
  TbIntentMatch m = { 0 };
  const TbScriptIntent *in = NULL;
  const char *intent = NULL;
  const char *rule = NULL;
  g_autofree char *words = NULL;
  gboolean node_intents;
  double min_conf = tb_script_get_min_confidence (self->script);

  if (self->state == TB_DIALOG_STATE_IDLE || self->state == TB_DIALOG_STATE_ENDED)
    return;

  words = source == TB_DIALOG_SOURCE_DTMF ? g_strdup_printf ("DTMF %c", digit)
                                          : g_strdup (text ? text : "");

  if (self->confirming) {
    confirm_answer (self, text, alternative, given_intent, confidence, source, digit);
    return;
  }

  /* Opt-out wins over everything, in every state, once. */
  if (!self->opted_out) {
    const char * const *opt_outs = (const char * const *) self->opt_out_intents;
    gboolean given = given_intent != NULL && g_strv_contains (opt_outs, given_intent) &&
                     confidence >= min_conf / 2;
    gboolean is_opt_out;
    gboolean unsure = FALSE;

    if (source == TB_DIALOG_SOURCE_DTMF) {
      is_opt_out = tb_intent_matcher_match_dtmf (matcher, digit, opt_outs, &m);
    } else if (given) {
      /* A recognizer's reading: sure only with a confidence well above the bar. */
      is_opt_out = TRUE;
      unsure = confidence < MAX (min_conf, TB_DIALOG_SURE_OPT_OUT);
    } else {
      TbIntentMatch alt = { 0 };
      gboolean alt_opt_out = alternative != NULL &&
                             tb_intent_matcher_match (matcher, alternative, opt_outs, &alt);

      is_opt_out = tb_intent_matcher_match (matcher, text, opt_outs, &m);
      unsure = is_opt_out && m.confirm;
      /* Two readings of the utterance (the grammar's and the free pass's): an opt-out only
       * one of them hears is asked about (bench/results.md: the readings that agree are
       * right far more often). Where asking is not possible it is recorded, the safe side. */
      if (alternative != NULL && is_opt_out != alt_opt_out) {
        unsure = TRUE;
        if (alt_opt_out) {
          is_opt_out = TRUE;
          m = alt;
          g_free (words);
          words = g_strdup (alternative);
        }
      }
    }
    if (is_opt_out && unsure && self->confirm_allowed && !self->confirm_asked &&
        self->state != TB_DIALOG_STATE_ENDING &&
        (tb_script_get_confirm_text (self->script) != NULL ||
         tb_script_default_confirm_text (tb_script_get_language (self->script)) != NULL)) {
      ask_confirm (self, words, given ? "recognizer" : m.rule, source,
                   given ? confidence : m.confidence);
      return;
    }
    if (is_opt_out) {
      opt_out (self, words, given ? "recognizer" : m.rule, source,
               given ? confidence : m.confidence);
      return;
    }
  }
  if (source == TB_DIALOG_SOURCE_DTMF || (text != NULL && *text != '\0') || alternative != NULL)
    self->heard = TRUE;

  if (self->state == TB_DIALOG_STATE_ENDING) {
    log_turn (self, "callee", words, NULL, NULL, confidence, source);
    return;
  }

  /* Over a prompt, a backchannel ("uh-huh", 嗯) is only listening: the prompt plays on. */
  if (self->state == TB_DIALOG_STATE_SPEAKING && self->playing && source == TB_DIALOG_SOURCE_SPEECH &&
      n != NULL && !n->barge_backchannels && is_backchannel (text)) {
    log_turn (self, "callee", words, NULL, NULL, confidence, source);
    return;
  }

  /* Node intents count while listening, or over a prompt the callee may
   * interrupt; global intents always. */
  node_intents = n != NULL && n->type == TB_SCRIPT_NODE_ASK &&
                 (self->state == TB_DIALOG_STATE_LISTENING || n->barge_in ||
                  source == TB_DIALOG_SOURCE_DTMF);
  allowed = expected_intents (self);
  if (!node_intents) {
    g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

    for (guint i = 0; allowed[i] != NULL; i++) {
      const TbScriptIntent *g = tb_script_get_intent (self->script, allowed[i]);

      if (g != NULL && g->global)
        g_strv_builder_add (b, allowed[i]);
    }
    g_strfreev (allowed);
    allowed = g_strv_builder_end (b);
  }

  if (source == TB_DIALOG_SOURCE_DTMF) {
    if (tb_intent_matcher_match_dtmf (matcher, digit, (const char * const *) allowed, &m))
      intent = m.intent;
    confidence = m.confidence;
    rule = m.rule;
  } else if (given_intent != NULL &&
             g_strv_contains ((const char * const *) allowed, given_intent)) {
    intent = confidence >= min_conf ? given_intent : NULL;
    rule = "recognizer";
  } else if (alternative != NULL &&
             tb_intent_matcher_match (matcher, alternative, (const char * const *) allowed, &m) &&
             m.confidence >= min_conf) {
    /* The free pass names an intent: it is right more often than the grammar, which forces
     * every sound onto some phrase (bench/results.md). The transcript shows that reading. */
    g_free (words);
    words = g_strdup (alternative);
    intent = m.intent;
    confidence = m.confidence;
    rule = m.rule;
  } else if (tb_intent_matcher_match (matcher, text, (const char * const *) allowed, &m) &&
             m.confidence >= min_conf) {
    intent = m.intent;
    confidence = m.confidence;
    rule = m.rule;
  }
  log_turn (self, "callee", words, intent, intent == NULL ? NULL : rule, intent ? confidence : 0.0,
            source);
  in = intent ? tb_script_get_intent (self->script, intent) : NULL;

  /* A global the node routes itself (e.g. "busy_now" → "callback") follows
   * the node's route instead of its global behaviour. */
  if (in != NULL && in->global && !(node_intents && has_route (n, intent))) {
    if (in->action != TB_SCRIPT_GLOBAL_OPT_OUT)
      global_intent (self, in, words);
    return;
  }

  if (self->state == TB_DIALOG_STATE_SPEAKING && self->playing &&
      (!node_intents || (source == TB_DIALOG_SOURCE_SPEECH && n->barge_intents != NULL &&
                         (intent == NULL ||
                          !g_strv_contains ((const char * const *) n->barge_intents, intent))))) {
    /* Talk over a prompt that cannot be interrupted (or not by these words): it plays on. */
    return;
  }

  stop_prompt (self);
  self->deadline = -1;
  if (intent != NULL) {
    grade_action (self, in ? &in->grade : NULL, intent, words);
    route (self, intent);
  } else if (n != NULL && n->type == TB_SCRIPT_NODE_ASK) {
    fallback (self, (text == NULL || *text == '\0') && alternative == NULL ? "no_input"
                                                                           : "no_match");
  } else {
    /* A barged-in say node: go on with it. */
    self->state = TB_DIALOG_STATE_SPEAKING;
    tb_dialog_prompt_finished (self);
  }
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
  enter_node (self, tb_script_get_start (self->script));
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
  enter_node (self, node_id);
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
  stop_prompt (self);
  vm = tb_script_get_voicemail (self->script);
  if (vm != NULL && tb_script_get_node (self->script, vm) != NULL) {
    self->state = TB_DIALOG_STATE_SPEAKING;
    enter_node (self, vm);
    set_outcome (self, "voicemail");
  } else {
    set_outcome (self, "voicemail");
    hang_up (self, "voicemail");
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

    enter_node (self, target);
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
    const TbScriptNode *n = current (self);

    if (n == NULL) {
      hang_up (self, "script_error");
    } else {
      g_autofree char *id = g_strdup (n->id);
      int retries = self->retries_used;

      enter_node (self, id);
      self->retries_used = retries;
    }
    break;
  }
  case AFTER_TRANSFER: {
    const TbScriptNode *n = current (self);
    TbDialogAction *a = push (self, TB_DIALOG_ACTION_TRANSFER);

    a->target = g_strdup (n ? n->to : NULL);
    self->state = TB_DIALOG_STATE_ENDED;
    break;
  }
  case AFTER_HANG_UP: {
    g_autofree char *reason = g_steal_pointer (&self->after_reason);

    hang_up (self, reason ? reason : "completed");
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
  n = current (self);
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
  n = current (self);
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

void
tb_dialog_utterance (TbDialog   *self,
                     const char *text,
                     const char *intent,
                     double      confidence)
{
  g_return_if_fail (TB_IS_DIALOG (self));
  heard (self, text, NULL, intent, confidence, TB_DIALOG_SOURCE_SPEECH, 0);
}

void
tb_dialog_utterance_readings (TbDialog   *self,
                              const char *text,
                              const char *alternative,
                              double      confidence)
{
  g_return_if_fail (TB_IS_DIALOG (self));
  heard (self, text, alternative != NULL && *alternative != '\0' ? alternative : NULL, NULL,
         confidence, TB_DIALOG_SOURCE_SPEECH, 0);
}

void
tb_dialog_dtmf (TbDialog *self,
                char      digit)
{
  g_return_if_fail (TB_IS_DIALOG (self));
  heard (self, NULL, NULL, NULL, 1.0, TB_DIALOG_SOURCE_DTMF, digit);
}

void
tb_dialog_silence_timeout (TbDialog *self)
{
  g_return_if_fail (TB_IS_DIALOG (self));
  if (self->state != TB_DIALOG_STATE_LISTENING)
    return;
  self->deadline = -1;
  if (self->confirming) {
    g_autofree char *dnc = g_strdup_printf ("%s / (no answer)", self->confirm_words);

    record_opt_out (self, dnc, NULL, NULL, TB_DIALOG_SOURCE_SPEECH, 0.0, TRUE);
    return;
  }
  fallback (self, "no_input");
}

void
tb_dialog_callee_hung_up (TbDialog *self)
{
  g_return_if_fail (TB_IS_DIALOG (self));
  if (self->state == TB_DIALOG_STATE_ENDED)
    return;
  if (self->confirming) {
    /* Asked whether to stop calling, the callee hung up: the safe side. */
    g_autofree char *dnc = g_strdup_printf ("%s / (hung up)", self->confirm_words);

    record_opt_out (self, dnc, NULL, NULL, TB_DIALOG_SOURCE_SPEECH, 0.0, FALSE);
  }
  if (self->outcome == NULL)
    set_outcome (self, self->answered ? "hung_up" : "no_answer");
  self->state = TB_DIALOG_STATE_ENDED;
  self->deadline = -1;
  self->playing = FALSE;
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

/**
 * tb_dialog_dup_prompt_texts:
 * @self: a dialog
 *
 * Every text this call could say, with its variables filled in: node
 * prompts and reprompts, global intents' responses (or their defaults) and
 * the opt-out goodbye. The call session renders them before it dials, so the
 * first audio after answer waits for no synthesis (COMPLIANCE.md R6.1).
 *
 * Returns: (transfer full): the texts, without duplicates
 */
GStrv
tb_dialog_dup_prompt_texts (TbDialog  *self,
                            GStrv     *personal)
{
  g_autoptr(GStrvBuilder) named = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) raw = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();

  g_return_val_if_fail (TB_IS_DIALOG (self), NULL);

  for (guint i = 0; i < tb_script_get_n_nodes (self->script); i++) {
    const TbScriptNode *node = tb_script_get_nth_node (self->script, i);

    if (node->prompt == NULL && node->text != NULL)
      g_ptr_array_add (raw, node->text);
    if (node->retry_text != NULL)
      g_ptr_array_add (raw, node->retry_text);
  }
  for (guint i = 0; i < tb_script_get_n_intents (self->script); i++) {
    const TbScriptIntent *in = tb_script_get_nth_intent (self->script, i);
    const char *response = in->response ? in->response : default_response (self, in->id);

    if (in->global && response != NULL)
      g_ptr_array_add (raw, (char *) response);
  }
  g_ptr_array_add (raw, (char *) tb_dialog_opt_out_goodbye (tb_script_get_language (self->script)));

  for (guint i = 0; i < raw->len; i++) {
    const char *text = g_ptr_array_index (raw, i);
    g_auto(GStrv) vars = tb_script_dup_text_variables (text);
    char *expanded = tb_script_expand_text (self->script, text, self->variables);

    if (!g_hash_table_add (seen, expanded))
      continue;
    if (vars[0] != NULL && personal != NULL)
      g_strv_builder_add (named, expanded);
    else
      g_strv_builder_add (texts, expanded);
  }
  if (personal != NULL)
    *personal = g_strv_builder_end (named);
  return g_strv_builder_end (texts);
}

/**
 * tb_dialog_dup_next_prompt_texts:
 * @self: a dialog
 *
 * The texts the dialog may say next, as it listens at its node: the prompt of every route's
 * target, the node's reprompt, the global intents' responses and the opt-out goodbye, with
 * their variables filled in. The call session loads them while the callee speaks, so the
 * answer goes out the moment it is decided.
 *
 * Returns: (transfer full): the texts, without duplicates (empty when not at a node)
 */
GStrv
tb_dialog_dup_next_prompt_texts (TbDialog *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) raw = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();
  const TbScriptNode *n;

  g_return_val_if_fail (TB_IS_DIALOG (self), NULL);

  n = current (self);
  if (n != NULL) {
    for (guint i = 0; i < n->routes->len; i++) {
      const TbScriptRoute *r = g_ptr_array_index (n->routes, i);
      const TbScriptNode *to = tb_script_get_node (self->script, r->target);

      if (to != NULL && to->prompt == NULL && to->text != NULL)
        g_ptr_array_add (raw, to->text);
    }
    if (n->retry_text != NULL)
      g_ptr_array_add (raw, n->retry_text);
    else if (n->prompt == NULL && n->text != NULL)
      g_ptr_array_add (raw, n->text);
    for (guint i = 0; i < tb_script_get_n_intents (self->script); i++) {
      const TbScriptIntent *in = tb_script_get_nth_intent (self->script, i);
      const char *response = in->response ? in->response : default_response (self, in->id);

      if (in->global && response != NULL)
        g_ptr_array_add (raw, (char *) response);
    }
    g_ptr_array_add (raw, (char *) tb_dialog_opt_out_goodbye (
                       tb_script_get_language (self->script)));
  }
  for (guint i = 0; i < raw->len; i++) {
    char *expanded = tb_script_expand_text (self->script, g_ptr_array_index (raw, i),
                                            self->variables);

    if (g_hash_table_add (seen, expanded))
      g_strv_builder_add (texts, expanded);
  }
  return g_strv_builder_end (texts);
}
