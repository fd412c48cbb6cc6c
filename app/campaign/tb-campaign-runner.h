/* tb-campaign-runner.h — a campaign at work: dialer, call sessions, live calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-clock.h"
#include "tb-dialer.h"
#include "tb-line-pool.h"
#include "tb-live-call.h"
#include "tb-store.h"

G_BEGIN_DECLS

/* Recognitions that fail in a row (TbRecognition:failed), across the campaign's calls,
 * before it pauses by itself with the reason (TbCampaignRunner::paused). */
#define TB_CAMPAIGN_MAX_RECOGNIZER_FAILURES 5

#define TB_TYPE_CAMPAIGN_RUNNER (tb_campaign_runner_get_type ())
G_DECLARE_FINAL_TYPE (TbCampaignRunner, tb_campaign_runner, TB, CAMPAIGN_RUNNER, GObject)

/* Loads the campaign's script and line; NULL with @error naming what is
 * missing or broken (a script that fails its check is refused here). */
TbCampaignRunner *tb_campaign_runner_new            (TbStore           *store,
                                                     gint64             campaign_id,
                                                     TbClock           *clock,
                                                     GError           **error);
void              tb_campaign_runner_start          (TbCampaignRunner  *self);
void              tb_campaign_runner_pause          (TbCampaignRunner  *self);
/* Stops at once: no new dial, every call in flight hung up and closed as "interrupted".
 * The calls end asynchronously; tb_campaign_runner_get_n_calls() reaches 0. */
void              tb_campaign_runner_abort          (TbCampaignRunner  *self);
/* The calls in flight (each until its outcome is written). */
guint             tb_campaign_runner_get_n_calls    (TbCampaignRunner  *self);
TbDialerState     tb_campaign_runner_get_state      (TbCampaignRunner  *self);
const char       *tb_campaign_runner_get_pause_reason (TbCampaignRunner *self);
gint64            tb_campaign_runner_get_wait       (TbCampaignRunner  *self,
                                                     const char       **rule);
gint64            tb_campaign_runner_get_campaign_id (TbCampaignRunner *self);
/* The lines it dials over, and their caller numbers. (transfer none) */
TbLinePool       *tb_campaign_runner_get_pool       (TbCampaignRunner  *self);
/* The calls in flight. (element-type TbLiveCall) (transfer none) */
GListModel       *tb_campaign_runner_get_live_calls (TbCampaignRunner  *self);
/* What a person at the desk does to a live call: "hang-up", "listen", "take-over". */
gboolean          tb_campaign_runner_call_action    (TbCampaignRunner  *self,
                                                     gint64             attempt_id,
                                                     const char        *action,
                                                     gboolean           on,
                                                     GError           **error);

G_END_DECLS
