/* tb-call-session.h — one call, end to end: line, media, recognizer, dialog, store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-clock.h"
#include "tb-live-call.h"
#include "tb-prompt-cache.h"
#include "tb-line.h"
#include "tb-recognizer.h"
#include "tb-script.h"
#include "tb-store-attempts.h"

G_BEGIN_DECLS

#define TB_TYPE_CALL_SESSION (tb_call_session_get_type ())
G_DECLARE_FINAL_TYPE (TbCallSession, tb_call_session, TB, CALL_SESSION, GObject)

/**
 * TbCallSessionSetup:
 * @store: where every state change, turn and opt-out is written as it happens
 * @line: the line to dial on
 * @script: the script the robot follows
 * @recognizer: hears the callee (grammar of the expected intents)
 * @attempt_id: the attempt already recorded as "dialing"
 * @campaign_id: its campaign, or 0 for a single call
 * @number: E.164
 * @persona: (nullable): the contact's persona (sim line only)
 * @variables: (nullable): contact fields and settings for {variables}
 * @record: record both sides, into the data folder's recordings/ under a name made of the
 *   campaign's and the attempt's ids (tb_store_recording_name())
 * @live: (nullable): the card model the window shows
 * @clock: the campaign clock, for the times written to the store
 * @synthesizer: (nullable): speaks the script's texts; NULL: espeak-ng
 * @prompts: (nullable): the on-disk cache of the script's texts that are the
 *   same in every call (those naming a contact are rendered per call and never
 *   written to disk); NULL: the user's cache directory
 * @no_opt_out_question: a policy pack forbids asking when an opt-out is not certain
 *   (COMPLIANCE.md R2): record it on first hearing
 */
typedef struct {
  TbStore      *store;
  TbLine       *line;
  TbScript     *script;
  TbRecognizer *recognizer;
  gint64        attempt_id;
  gint64        campaign_id;
  const char   *number;
  const char   *persona;
  const char   *caller_id;   /* (nullable) the number to present (TbDialRequest:caller_id) */
  GHashTable   *variables;
  gboolean      record;
  TbLiveCall   *live;
  TbClock      *clock;
  TbSynthesizer *synthesizer;
  TbPromptCache *prompts;
  gboolean      no_opt_out_question;
} TbCallSessionSetup;

TbCallSession         *tb_call_session_new        (const TbCallSessionSetup *setup);
/* Dials. "finished" is emitted once, on the main loop, when the call is over. */
void                   tb_call_session_start      (TbCallSession *self);
void                   tb_call_session_hang_up    (TbCallSession *self);
/* Hangs up because we are stopping (SIGTERM, quit): the outcome is "interrupted", ungraded. */
void                   tb_call_session_interrupt  (TbCallSession *self);
gboolean               tb_call_session_set_listen_in (TbCallSession *self,
                                                  gboolean       on,
                                                  GError       **error);
gboolean               tb_call_session_set_take_over (TbCallSession *self,
                                                  gboolean       on,
                                                  GError       **error);
gint64                 tb_call_session_get_attempt_id (TbCallSession *self);
/* Valid once "finished" was emitted. */
const TbAttemptResult *tb_call_session_get_result (TbCallSession *self);

G_END_DECLS
