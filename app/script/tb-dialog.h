/* tb-dialog.h — the dialog engine: one call's conversation as a state machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure logic (DESIGN.md §1, §2): the call session feeds events (answered,
 * prompt finished, speech started, utterance, DTMF, silence timeout, callee
 * hung up, answering machine) and drains actions (play prompt, stop prompt,
 * listen, add to DNC, transfer, hang up, grade, log turn) with
 * tb_dialog_pop_action() after each event. Time comes from an injected
 * clock, so tests and `script simulate` run without waiting.
 *
 * Guarantees (COMPLIANCE.md R2): global intents work at every node; an
 * opt-out — by voice or by its DTMF digit (9 unless the script says
 * otherwise), while listening, while a prompt plays, even during a goodbye —
 * produces ADD_TO_DNC before any other action, then at most STOP_PROMPT, a
 * GRADE, the one confirmation prompt and HANG_UP. Nothing else is played.
 */
#pragma once

#include <glib-object.h>

#include "tb-grader.h"
#include "tb-script.h"

G_BEGIN_DECLS

/* A recognizer's opt-out reading below this confidence is confirmed by asking (R2). */
#define TB_DIALOG_SURE_OPT_OUT 0.6

/* Monotonic time in microseconds. */
typedef gint64 (*TbDialogClockFunc) (gpointer user_data);

typedef enum {
  TB_DIALOG_STATE_IDLE,        /* not answered yet */
  TB_DIALOG_STATE_SPEAKING,    /* a prompt plays; waiting for prompt_finished */
  TB_DIALOG_STATE_LISTENING,   /* waiting for the callee (utterance, DTMF or silence) */
  TB_DIALOG_STATE_ENDING,      /* the last prompt plays; then hang up */
  TB_DIALOG_STATE_ENDED,
} TbDialogState;

typedef enum {
  TB_DIALOG_ACTION_PLAY_PROMPT,
  TB_DIALOG_ACTION_STOP_PROMPT,
  TB_DIALOG_ACTION_LISTEN,
  TB_DIALOG_ACTION_ADD_TO_DNC,
  TB_DIALOG_ACTION_TRANSFER,
  TB_DIALOG_ACTION_HANG_UP,
  TB_DIALOG_ACTION_GRADE,
  TB_DIALOG_ACTION_LOG_TURN,
} TbDialogActionType;

typedef enum {
  TB_DIALOG_SOURCE_SPEECH,
  TB_DIALOG_SOURCE_DTMF,
} TbDialogSource;

/* One action. Which members are set depends on the type:
 *   PLAY_PROMPT  node, text (variables substituted), prompt_file, barge_in (callee speech
 *                stops it, after barge_after_ms of the prompt and barge_min_ms of speech —
 *                shorter is a backchannel), intent (when it answers a global intent)
 *   STOP_PROMPT  node
 *   LISTEN       node, intents (expected, globals included), settled (those of them whose
 *                reading the dialog takes as it comes, without a recognizer's second
 *                reading: all but the opt-outs; in the confirm turn "yes" and the opt-outs),
 *                timeout_ms, end_silence_ms and
 *                end_silence_complete_ms (the silence that ends the callee's turn: after an
 *                unfinished answer, after a whole phrase of the grammar)
 *   ADD_TO_DNC   node, text (the words, or "DTMF 9"), source
 *   TRANSFER     node, target (the node's "to", may be NULL)
 *   HANG_UP      node, reason ("completed", "opt_out", "callback_requested", "voicemail"…)
 *   GRADE        node, intent, text (utterance), score_delta, score (running, 0..100),
 *                grade ('A'..'E' at this point), reason, tags
 *   LOG_TURN     speaker ("bot"|"callee"), node, text, intent, confidence, source, rule
 *                (why the intent: "phrase 'yes please'", "en/opt_out/never-call", "DTMF 9",
 *                "recognizer"; the intent "opt_out?" marks words that led to the question)
 * time_us is the clock's time when the action was queued. */
typedef struct {
  TbDialogActionType  type;
  gint64              time_us;
  char               *node;
  char               *text;
  char               *prompt_file;
  gboolean            barge_in;
  char               *intent;
  GStrv               intents;
  GStrv               settled;
  guint               timeout_ms;
  guint               end_silence_ms;
  guint               end_silence_complete_ms;
  TbDialogSource      source;
  char               *target;
  char               *reason;
  int                 score_delta;
  int                 score;
  char                grade;
  GStrv               tags;
  const char         *speaker;
  double              confidence;
  char               *rule;
  guint               barge_after_ms;  /* PLAY_PROMPT with barge_in: not before this much */
  guint               barge_min_ms;    /* …and only after this much callee speech (0: at once) */
} TbDialogAction;

void         tb_dialog_action_free          (TbDialogAction *action);
const char  *tb_dialog_action_type_to_string (TbDialogActionType type);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbDialogAction, tb_dialog_action_free)

#define TB_TYPE_DIALOG (tb_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TbDialog, tb_dialog, TB, DIALOG, GObject)

/* @variables: contact fields and settings for {variables} (string → string;
 * referenced, may be NULL). @clock NULL: g_get_monotonic_time(). The script
 * must not be edited while a dialog uses it. */
TbDialog      *tb_dialog_new                (TbScript          *script,
                                             GHashTable        *variables,
                                             TbDialogClockFunc  clock,
                                             gpointer           clock_data);

/* Events. Each queues zero or more actions. */
void           tb_dialog_answered           (TbDialog          *self);
/* Like tb_dialog_answered(), but the conversation starts at @node_id: the
 * script editor's "try from here". FALSE when there is no such node. */
gboolean       tb_dialog_start_at           (TbDialog          *self,
                                             const char        *node_id);
void           tb_dialog_answering_machine  (TbDialog          *self);
void           tb_dialog_prompt_finished    (TbDialog          *self);
void           tb_dialog_speech_started     (TbDialog          *self);
/* The media stopped the playing prompt because the callee spoke over it (its barge-in
 * policy allowed it): an ask node listens at once. */
void           tb_dialog_barged_in          (TbDialog          *self);
/* @intent: from a grammar recognizer, or NULL to run the script's matcher. */
void           tb_dialog_utterance          (TbDialog          *self,
                                             const char        *text,
                                             const char        *intent,
                                             double             confidence);
/* Two readings of one utterance (a recognizer's grammar pass @text and its free pass
 * @alternative, TbRecognition:alternative; NULL: only @text): an opt-out only one of them
 * reads is asked about; the intent is the alternative's when it names one, else @text's. */
void           tb_dialog_utterance_readings (TbDialog          *self,
                                             const char        *text,
                                             const char        *alternative,
                                             double             confidence);
void           tb_dialog_dtmf               (TbDialog          *self,
                                             char               digit);
void           tb_dialog_silence_timeout    (TbDialog          *self);
void           tb_dialog_callee_hung_up     (TbDialog          *self);
/* Fires the silence timeout when the clock has passed the listening
 * deadline; returns TRUE when it did. */
gboolean       tb_dialog_tick               (TbDialog          *self);
/* When the current listen times out (clock µs), or -1 when not listening. */
gint64         tb_dialog_get_deadline       (TbDialog          *self);

/* The next queued action (owned by the caller), or NULL. */
TbDialogAction *tb_dialog_pop_action        (TbDialog          *self);
guint          tb_dialog_get_n_pending      (TbDialog          *self);

TbDialogState  tb_dialog_get_state          (TbDialog          *self);
const char    *tb_dialog_get_node           (TbDialog          *self);
gboolean       tb_dialog_is_finished        (TbDialog          *self);
gboolean       tb_dialog_get_opted_out      (TbDialog          *self);
/* COMPLIANCE.md R2: when an opt-out is heard but not certain, the dialog asks once ("should
 * we stop calling you? Say yes, or press 9") — yes, the key, silence, anything unclear or a
 * hang-up record it; only a clear "no" goes back to the node. The script's
 * "opt_out_confirm" allows it by default; a policy pack may forbid it (record on first
 * hearing). */
void           tb_dialog_set_confirm_opt_out (TbDialog         *self,
                                             gboolean           allowed);
/* TRUE while the confirmation question waits for its answer. */
gboolean       tb_dialog_get_confirming     (TbDialog          *self);
/* NULL while the call goes on without one yet. */
const char    *tb_dialog_get_outcome        (TbDialog          *self);
/* The grade now (or at the end): outcome, grade, score, reasons. */
TbGradeResult *tb_dialog_dup_result         (TbDialog          *self);

/* Every text the call could say, variables filled in (to render before
 * dialing). With @personal, the texts that name a {variable} (a contact's
 * name: different in every call) go there instead, and the rest — the same
 * in every call of the script — are returned. */
GStrv          tb_dialog_dup_next_prompt_texts (TbDialog       *self);
GStrv          tb_dialog_dup_prompt_texts   (TbDialog          *self,
                                             GStrv             *personal);

/* The confirmation an opt-out plays, per language ("en", "zh-CN"…). */
const char    *tb_dialog_opt_out_goodbye    (const char        *language);

G_END_DECLS
