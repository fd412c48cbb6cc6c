/* tb-call-session-private.h — shared by the files of TbCallSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tb-call-session.c: the object, what is done before the dial (renders, the line) and the dial.
 * tb-call-session-dialog.c: the dialed call: its states, the media's events and the callee's
 * turns given to the dialog engine, its actions carried out (the opt-out first), the result.
 * tb-call-session-prompts.c: what the robot says: rendered (by espeak-ng when the speech
 * server cannot), played, and the next answers made ready while the callee speaks.
 */
#pragma once

#include "tb-call-session.h"
#include "tb-dialog.h"
#include "tb-media-session.h"
#include "tb-turn-taker.h"

G_BEGIN_DECLS

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

/* tb-call-session.c */
void _tb_call_session_emit_finished         (TbCallSession        *self);
void _tb_call_session_emit_recognized       (TbCallSession        *self,
                                             gboolean              failed,
                                             const char           *reason);
/* One of the renders the dial waits for is done: the last one dials. */
void _tb_call_session_render_done           (TbCallSession        *self);

/* tb-call-session-dialog.c */
void _tb_call_session_on_call_state_changed (TbCallSession        *self);
void _tb_call_session_on_call_dtmf          (TbCallSession        *self,
                                             char                  digit);

/* tb-call-session-prompts.c */
/* Renders @text, which names the contact, for this call only (in memory, before the dial). */
void _tb_call_session_render_personal       (TbCallSession        *self,
                                             const char           *text,
                                             const char           *voice);
void _tb_call_session_play_prompt           (TbCallSession        *self,
                                             const TbDialogAction *action);
void _tb_call_session_prepare_answers       (TbCallSession        *self);

G_END_DECLS
