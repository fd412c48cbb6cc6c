/* tb-dialog-callee.c — what the callee says, keys or does, and what the dialog makes of it:
 * the opt-out first (and its one question), the two readings of an utterance, backchannels
 * over a prompt, global intents, routes and reprompts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-dialog-callee"

#include "config.h"

#include "tb-dialog-private.h"

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
  a = _tb_dialog_push (self, TB_DIALOG_ACTION_ADD_TO_DNC);
  a->text = g_strdup (dnc_words);
  a->source = source;
  self->opted_out = TRUE;
  self->heard = TRUE;
  self->confirming = FALSE;
  g_free (self->outcome);
  self->outcome = g_strdup ("opt_out");
  if (turn != NULL)
    _tb_dialog_log_turn (self, "callee", turn, "opt_out", rule, confidence, source);
  _tb_dialog_stop_prompt (self);

  tb_grader_set_opt_out (self->grader, self->node, dnc_words);
  a = _tb_dialog_push (self, TB_DIALOG_ACTION_GRADE);
  a->intent = g_strdup ("opt_out");
  a->text = g_strdup (dnc_words);
  a->score = 0;
  a->grade = 'E';
  a->reason = g_strdup ("opt_out");

  self->deadline = -1;
  if (!goodbye)
    return;
  _tb_dialog_play (self, in && in->response ? in->response : tb_dialog_opt_out_goodbye (
          tb_script_get_language (self->script)), NULL, FALSE, "opt_out");
  self->state = TB_DIALOG_STATE_ENDING;
  _tb_dialog_then_hang_up (self, "opt_out");
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
  _tb_dialog_log_turn (self, "callee", words, "opt_out?", rule, confidence, source);
  _tb_dialog_stop_prompt (self);
  self->deadline = -1;
  _tb_dialog_play (self, question, NULL, TRUE, "opt_out_confirm");
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
  _tb_dialog_stop_prompt (self);
  if (no) {
    g_autofree char *id = g_strdup (self->node);
    int retries = self->retries_used;

    _tb_dialog_log_turn (self, "callee", answer, "no",
                         given_intent != NULL ? "recognizer" : said.rule,
                         given_intent != NULL ? confidence : said.confidence, source);
    self->confirming = FALSE;
    g_clear_pointer (&self->confirm_words, g_free);
    /* Back to where we were: say the node again. */
    _tb_dialog_enter_node (self, id);
    self->retries_used = retries;
    return;
  }
  dnc = g_strdup_printf ("%s / %s", self->confirm_words ? self->confirm_words : "", answer);
  record_opt_out (self, dnc, answer, source == TB_DIALOG_SOURCE_DTMF ? "DTMF" : "confirmed",
                  source, source == TB_DIALOG_SOURCE_DTMF ? 1.0 : confidence, TRUE);
}

static gboolean
is_chinese (TbDialog *self)
{
  return g_str_has_prefix (tb_script_get_language (self->script), "zh");
}

const char *
_tb_dialog_default_response (TbDialog   *self,
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
  const char *response = in->response ? in->response : _tb_dialog_default_response (self, in->id);

  _tb_dialog_stop_prompt (self);
  _tb_dialog_grade_action (self, &in->grade, in->id, utterance);
  if (in->outcome != NULL) {
    g_autofree char *note = g_strdup_printf ("%s at node %s: outcome %s", in->id, self->node,
                                             in->outcome);

    _tb_dialog_set_outcome (self, in->outcome);
    tb_grader_add_tag (self->grader, in->outcome);
    tb_grader_note (self->grader, note);
  }

  switch (in->action) {
  case TB_SCRIPT_GLOBAL_RESUME:
    self->after = AFTER_RESUME;
    break;
  case TB_SCRIPT_GLOBAL_HANGUP:
    _tb_dialog_then_hang_up (self, in->outcome ? in->outcome : in->id);
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
    _tb_dialog_play (self, response, NULL, in->action == TB_SCRIPT_GLOBAL_RESUME, in->id);
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
  const TbScriptNode *n = _tb_dialog_current (self);

  for (guint i = 0; n != NULL && i < n->routes->len; i++) {
    TbScriptRoute *r = g_ptr_array_index (n->routes, i);

    if (g_str_equal (r->intent, key)) {
      _tb_dialog_enter_node (self, r->target);
      return;
    }
  }
  _tb_dialog_hang_up (self, "script_error");
}

/* no_input or no_match at an ask node: reprompt while retries last. */
static void
fallback (TbDialog   *self,
          const char *key)
{
  const TbScriptNode *n = _tb_dialog_current (self);

  if (n == NULL || n->type != TB_SCRIPT_NODE_ASK) {
    /* A say node the callee talked over: carry on. */
    tb_dialog_prompt_finished (self);
    return;
  }
  if (self->retries_used < n->retries) {
    self->retries_used++;
    _tb_dialog_play_node (self, n, n->retry_text ? n->retry_text : n->text);
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
  const TbScriptNode *n = _tb_dialog_current (self);
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
    _tb_dialog_log_turn (self, "callee", words, NULL, NULL, confidence, source);
    return;
  }

  /* Over a prompt, a backchannel ("uh-huh", 嗯) is only listening: the prompt plays on. */
  if (self->state == TB_DIALOG_STATE_SPEAKING && self->playing && source == TB_DIALOG_SOURCE_SPEECH &&
      n != NULL && !n->barge_backchannels && is_backchannel (text)) {
    _tb_dialog_log_turn (self, "callee", words, NULL, NULL, confidence, source);
    return;
  }

  /* Node intents count while listening, or over a prompt the callee may
   * interrupt; global intents always. */
  node_intents = n != NULL && n->type == TB_SCRIPT_NODE_ASK &&
                 (self->state == TB_DIALOG_STATE_LISTENING || n->barge_in ||
                  source == TB_DIALOG_SOURCE_DTMF);
  allowed = _tb_dialog_expected_intents (self);
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
  _tb_dialog_log_turn (self, "callee", words, intent, intent == NULL ? NULL : rule,
                       intent ? confidence : 0.0, source);
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

  _tb_dialog_stop_prompt (self);
  self->deadline = -1;
  if (intent != NULL) {
    _tb_dialog_grade_action (self, in ? &in->grade : NULL, intent, words);
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
    _tb_dialog_set_outcome (self, self->answered ? "hung_up" : "no_answer");
  self->state = TB_DIALOG_STATE_ENDED;
  self->deadline = -1;
  self->playing = FALSE;
}
