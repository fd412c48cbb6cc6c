/* tb-dialog-private.h — TbDialog's fields, shared by tb-dialog*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tb-dialog.c         the object, its action queue, node execution and the media's events
 * tb-dialog-callee.c  what the callee says, keys or does: the opt-out and its question, the two
 *                     readings, backchannels, global intents, routes and reprompts
 * tb-dialog-texts.c   the texts a call may say, rendered before they are needed
 */
#pragma once

#include "tb-dialog.h"

G_BEGIN_DECLS

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

/* tb-dialog.c: the action queue and node execution */
TbDialogAction     *_tb_dialog_push             (TbDialog            *self,
                                                 TbDialogActionType   type);
const TbScriptNode *_tb_dialog_current          (TbDialog            *self);
void                _tb_dialog_log_turn         (TbDialog            *self,
                                                 const char          *speaker,
                                                 const char          *text,
                                                 const char          *intent,
                                                 const char          *rule,
                                                 double               confidence,
                                                 TbDialogSource       source);
void                _tb_dialog_stop_prompt      (TbDialog            *self);
TbDialogAction     *_tb_dialog_play             (TbDialog            *self,
                                                 const char          *text,
                                                 const char          *prompt_file,
                                                 gboolean             barge_in,
                                                 const char          *intent);
void                _tb_dialog_grade_action     (TbDialog            *self,
                                                 const TbScriptGrade *grade,
                                                 const char          *intent,
                                                 const char          *utterance);
void                _tb_dialog_set_outcome      (TbDialog            *self,
                                                 const char          *outcome);
void                _tb_dialog_hang_up          (TbDialog            *self,
                                                 const char          *reason);
void                _tb_dialog_then_hang_up     (TbDialog            *self,
                                                 const char          *reason);
char              **_tb_dialog_expected_intents (TbDialog            *self);
void                _tb_dialog_play_node        (TbDialog            *self,
                                                 const TbScriptNode  *n,
                                                 const char          *text);
void                _tb_dialog_enter_node       (TbDialog            *self,
                                                 const char          *id);

/* tb-dialog-callee.c: what a global intent says when the script gives it no response */
const char         *_tb_dialog_default_response (TbDialog            *self,
                                                 const char          *intent);

G_END_DECLS
