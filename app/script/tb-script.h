/* tb-script.h — a call script: the graph a call runs, its loader and checker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A script is a versioned JSON document ("telebot_script": 1) described in
 * data/scripts/FORMAT.md. TbScript is its typed, read-only graph:
 *
 *   tb_script_new_from_data ()   parse text (the caller reads the file)
 *   tb_script_check ()           semantic problems, each naming the node
 *   tb_script_get_node () …      read the model; the structs are read-only
 *
 * The script editor edits the document itself, with TbScriptDocument
 * (tb-script-document.h), and reads it back through this loader: one model,
 * one writer. Pure logic: no file I/O.
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tb-intent-matcher.h"

G_BEGIN_DECLS

#define TB_SCRIPT_ERROR (tb_script_error_quark ())
GQuark tb_script_error_quark (void);

typedef enum {
  TB_SCRIPT_ERROR_SYNTAX,     /* not JSON; the message has line:column */
  TB_SCRIPT_ERROR_VERSION,    /* "telebot_script" missing or not 1 */
  TB_SCRIPT_ERROR_INVALID,    /* JSON, but a member has the wrong shape */
} TbScriptError;

#define TB_SCRIPT_FORMAT_VERSION 1

typedef enum {
  TB_SCRIPT_NODE_SAY,
  TB_SCRIPT_NODE_ASK,
  TB_SCRIPT_NODE_TRANSFER,
  TB_SCRIPT_NODE_VOICEMAIL,
  TB_SCRIPT_NODE_HANGUP,
} TbScriptNodeType;

/* What a global intent does once its response (if any) has been played. */
typedef enum {
  TB_SCRIPT_GLOBAL_RESUME,    /* replay the current node and carry on */
  TB_SCRIPT_GLOBAL_HANGUP,    /* say goodbye and hang up (call later, busy) */
  TB_SCRIPT_GLOBAL_GOTO,      /* continue at "next" */
  TB_SCRIPT_GLOBAL_OPT_OUT,   /* DNC first, one goodbye, hang up (COMPLIANCE.md R2) */
} TbScriptGlobalAction;

/* A grade effect: on a node (applied the first time the call enters it) or
 * on an intent (applied each time it is matched). */
typedef struct {
  gboolean  set;       /* FALSE: no effect */
  int       score;     /* delta, may be negative */
  char     *reason;    /* label, e.g. "interested" */
  GStrv     tags;      /* e.g. ["interested"]; NULL when none */
} TbScriptGrade;

typedef struct {
  char                 *id;
  gboolean              global;
  GStrv                 phrases;   /* never NULL (maybe empty) */
  GStrv                 keywords;  /* never NULL */
  char                 *dtmf;      /* digits, or NULL */
  char                 *builtin;   /* a built-in intent of the understanding ("yes"), or NULL */
  TbScriptGrade         grade;
  /* Global intents only. */
  TbScriptGlobalAction  action;
  char                 *response;  /* said before the action; NULL: a default */
  char                 *next;      /* TB_SCRIPT_GLOBAL_GOTO */
  char                 *outcome;   /* e.g. "callback_requested" */
} TbScriptIntent;

typedef struct {
  char *intent;        /* an intent id, or "no_input" / "no_match" */
  char *target;        /* a node id */
} TbScriptRoute;

/* The silences that end the callee's turn when a node sets none (FORMAT.md): comma pauses
 * run 230–430 ms, so an unfinished answer waits 350 ms; a whole phrase of the grammar ends the
 * turn sooner (people answer in ~200 ms). */
#define TB_SCRIPT_DEFAULT_END_SILENCE_MS          350
#define TB_SCRIPT_DEFAULT_END_SILENCE_COMPLETE_MS 180

typedef struct {
  char             *id;
  TbScriptNodeType  type;
  char             *title;       /* what a person calls the step ("Pitch", "介绍产品"), or NULL */
  char             *text;        /* with {variables}; may be NULL with a prompt */
  char             *prompt;      /* recorded prompt file, relative to the script, or NULL */
  char             *next;        /* say */
  GPtrArray        *routes;      /* TbScriptRoute, in document order (ask) */
  int               retries;     /* ask: reprompts before the no_input/no_match route */
  char             *retry_text;  /* ask: the reprompt; NULL: the node's text */
  guint             timeout_ms;  /* ask: silence before no_input */
  guint             end_silence_ms;          /* ask: silence that ends the callee's turn */
  guint             end_silence_complete_ms; /* …once the words so far are a whole phrase */
  gboolean          barge_in;    /* callee speech stops the prompt (see the barge_* below) */
  guint             barge_after_ms; /* …only once this much of the prompt has played */
  GStrv             barge_intents;  /* …only when one of these intents is heard (NULL: any
                                     * speech); the opt-out always interrupts */
  gboolean          barge_backchannels; /* "uh-huh", "yeah", 嗯 interrupt too (default no) */
  char             *to;          /* transfer: where to (number, queue); may be NULL */
  char             *outcome;     /* hangup/transfer/voicemail: the call outcome; NULL: default */
  GStrv             disclose;    /* disclosure blocks this node says (R6); never NULL */
  TbScriptGrade     grade;
} TbScriptNode;

typedef struct {
  int a, b, c, d;      /* minimum score for A, B, C, D; below d: E */
  int base;            /* the score a reached callee starts with */
} TbScriptGrading;

typedef enum {
  TB_SCRIPT_PROBLEM_WARNING,
  TB_SCRIPT_PROBLEM_ERROR,
} TbScriptProblemSeverity;

typedef struct {
  TbScriptProblemSeverity  severity;
  char                    *node_id;   /* NULL for script-wide problems */
  char                    *code;      /* stable: "unknown-target", "unreachable", … */
  char                    *message;   /* "demo.json: node \"pitch\": route …" */
  char                    *disclosure; /* the disclosure the node does not say (missing-disclosure,
                                        * voicemail-disclosure): marking the node as saying it
                                        * solves the problem if its prompt says it; else NULL */
} TbScriptProblem;

void             tb_script_problem_free   (TbScriptProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbScriptProblem, tb_script_problem_free)

#define TB_TYPE_SCRIPT (tb_script_get_type ())
G_DECLARE_FINAL_TYPE (TbScript, tb_script, TB, SCRIPT, GObject)

/* Loading. @source_name names the input in messages (a file's basename); NULL
 * means "script". */
TbScript        *tb_script_new                (const char       *name,
                                               const char       *language);
TbScript        *tb_script_new_from_data      (const char       *data,
                                               gssize            length,
                                               const char       *source_name,
                                               GError          **error);
TbScript        *tb_script_new_from_json      (JsonNode         *root,
                                               const char       *source_name,
                                               GError          **error);

/* The checker. @policies: comma-separated policy pack codes ("US",
 * "CN,DEFAULT"; NULL = "DEFAULT"); @fields: the contact fields a campaign
 * provides (NULL: don't check variables). Returns TRUE when there is no
 * error (warnings allowed); @problems (may be NULL) receives every problem,
 * errors first. */
gboolean         tb_script_check              (TbScript         *self,
                                               const char       *policies,
                                               const char * const *fields,
                                               GPtrArray       **problems);
/* The disclosure blocks (R6) a pack requires of the start path. */
GStrv            tb_script_dup_required_disclosures (const char *policies,
                                               gboolean          records);

/* Reading. Returned structs and strings belong to the script and live as long
 * as it does. */
const char      *tb_script_get_source_name    (TbScript         *self);
const char      *tb_script_get_name           (TbScript         *self);
const char      *tb_script_get_language       (TbScript         *self);
const char      *tb_script_get_voice          (TbScript         *self);
gboolean         tb_script_get_records        (TbScript         *self);
/* "listen": "keypad": every answer is a key press (no recognizer serves the language, or the
 * business wants it so); speech is not listened to. */
gboolean         tb_script_get_keypad_only    (TbScript         *self);
const char      *tb_script_get_start          (TbScript         *self);
const char      *tb_script_get_voicemail      (TbScript         *self);
double           tb_script_get_min_confidence (TbScript         *self);
/* "opt_out_confirm": whether the dialog asks once when an opt-out is not certain (default
 * TRUE), and the question (NULL: tb_script_default_confirm_text() of the language). */
gboolean         tb_script_get_confirm_opt_out (TbScript        *self);
const char      *tb_script_get_confirm_text   (TbScript         *self);
/* The default question per language (English, Chinese); NULL for other languages. */
const char      *tb_script_default_confirm_text (const char     *language);
const TbScriptGrading *tb_script_get_grading  (TbScript         *self);
/* Variable names in document order, and their default values (or NULL). */
GStrv            tb_script_dup_variable_names (TbScript         *self);
const char      *tb_script_get_variable_default (TbScript       *self,
                                               const char       *variable);
guint            tb_script_get_n_nodes        (TbScript         *self);
const TbScriptNode *tb_script_get_nth_node    (TbScript         *self,
                                               guint             index);
const TbScriptNode *tb_script_get_node        (TbScript         *self,
                                               const char       *id);
guint            tb_script_get_n_intents      (TbScript         *self);
const TbScriptIntent *tb_script_get_nth_intent (TbScript        *self,
                                               guint             index);
/* Looks up a node intent, then a global one. */
const TbScriptIntent *tb_script_get_intent    (TbScript         *self,
                                               const char       *id);
/* The global intent that opts out ("opt_out"), or NULL. */
const TbScriptIntent *tb_script_get_opt_out_intent (TbScript    *self);
/* Everything that selects @intent_id by voice — its phrases, then its
 * keywords — for a grammar recognizer. For an opt-out intent the
 * regulatory phrases are added, those of the script's language only
 * (Chinese ones for "zh…", the others otherwise). NULL for an unknown id
 * other than "opt_out". */
GStrv            tb_script_dup_phrases        (TbScript         *self,
                                               const char       *intent_id);
/* What a node listens for: for an ask node the intents of its routes
 * (no_input and no_match aside), then every global intent, and "opt_out"
 * always; for any other node (or NULL) the global ones and "opt_out". */
GStrv            tb_script_dup_listen_intents (TbScript         *self,
                                               const char       *node_id);
/* The grammar a recognizer listens with: the phrases of @intents, in order
 * (tb_script_dup_phrases() of each). */
GStrv            tb_script_dup_grammar        (TbScript           *self,
                                               const char * const *intents);
/* The intents a node listens for (tb_script_dup_listen_intents()) but the opt-outs: a
 * grammar reading of one of them needs no second reading (the dialog's LISTEN "settled"). */
GStrv            tb_script_dup_settled_intents (TbScript         *self,
                                               const char       *node_id);
/* The phrases of @settled (among @intents, what a recognizer listens for) that no other
 * intent of @intents also has (compared as words: case and punctuation aside): a grammar reading made of them only
 * names one of @settled (TbRecognizer's settled phrases). */
GStrv            tb_script_dup_settled_grammar (TbScript           *self,
                                                const char * const *intents,
                                                const char * const *settled);
/* The start path: the start node and the say nodes after it, up to and
 * including the first ask (or the first node that ends the call) — what
 * every answered call hears before it is asked anything. The call session
 * pre-renders these prompts (R6: first audio within 2 s); the checker
 * looks for the disclosures there. Empty when the start node is missing. */
GStrv            tb_script_dup_start_path     (TbScript         *self);
/* Node ids a node can go to (routes, next, global "goto"s excluded). */
GStrv            tb_script_dup_node_targets   (TbScript         *self,
                                               const char       *node_id);
/* {variables} named in a text, in order, without duplicates. */
GStrv            tb_script_dup_text_variables (const char       *text);
/* Substitutes {variable}s: @lookup first, then the script's defaults, else
 * "". "{{" and "}}" stand for braces. */
char            *tb_script_expand_text        (TbScript         *self,
                                               const char       *text,
                                               GHashTable       *values);

/* A matcher with every intent of the script, the regulatory opt-out phrases
 * (always, even if the script forgot them) and DTMF 9 for opt-out unless the
 * script sets its own digit. Built once; shared. */
TbIntentMatcher *tb_script_get_matcher        (TbScript         *self);

const char      *tb_script_node_type_to_string (TbScriptNodeType type);
gboolean         tb_script_node_type_from_string (const char      *string,
                                               TbScriptNodeType *type);
/* The disclosure tags a node may carry: identity, automated, recording,
 * opt_out, callback (NULL-terminated, static). */
const char * const *tb_script_get_disclosure_names (void);
/* The disclosures a prompt's text seems to say, in tb_script_get_disclosure_names() order,
 * from English and Chinese phrasings: "{business}", @business (the business's name, may be
 * NULL), "calling from …", 这里是 (identity); "automated", "robot", 自动, 机器人, unless denied
 * ("not a robot", 不是机器人) (automated); "this call is recorded", 录音 (recording); "press 9",
 * "say stop", "to stop these calls", 退订, 按9 (opt_out); "{callback_number}", "call us back
 * at", 回电 (callback). A guess the script editor offers; it never marks a node itself. */
GStrv            tb_script_detect_disclosures (const char       *text,
                                               const char       *business);
/* A disclosure in plain (English) words for messages: "who is calling (the business's
 * name)"; NULL for an unknown one. */
const char      *tb_script_describe_disclosure (const char      *disclosure);
/* say/ask go on; transfer, voicemail and hangup end the call. */
gboolean         tb_script_node_type_is_terminal (TbScriptNodeType type);

G_END_DECLS
