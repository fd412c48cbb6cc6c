/* tb-store-attempts.h — a campaign's queue, its dial attempts and their turns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every call state change is committed when it happens (DESIGN.md §6), so a
 * crash loses nothing and a restart dials nobody twice.
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* One contact of a campaign's queue, with what the dialer and the gate need. */
typedef struct {
  gint64  campaign_id;
  gint64  contact_id;
  int     attempts;
  char   *e164;
  char   *name;
  char   *company;
  char   *country;
  char   *timezone;
  char   *persona;
  char   *fields_json;
  char   *variant;      /* the script variant of the attempt being dialed; NULL: one script */
  gint64  line_id;      /* the pool's line the attempt being dialed goes out on; 0: none */
  char   *caller_id;    /* the number it presents; NULL: the line presents none of its own */
  gint64  last_line_id; /* the line of the contact's last attempt in the campaign; 0: none */
  char   *last_caller_id;  /* the number that attempt presented, or NULL (the pool's pick
                            * reads it: tb_store_attempt_dup_last_caller_id()) */
} TbQueueItem;

void tb_queue_item_free (TbQueueItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbQueueItem, tb_queue_item_free)

typedef struct {
  const char *outcome;        /* completed, busy, no_answer, rejected, failed, ... */
  const char *end_reason;
  int         protocol_code;  /* 0: none */
  const char *grade;          /* NULL: the call never reached a person */
  int         score;
  const char *reasons_json;   /* JSON array, or NULL */
  const char *recording;
  gboolean    opt_out;
  gint64      ended_at;
} TbAttemptResult;

typedef struct {
  gint64 total;       /* contacts in the queue */
  gint64 done;        /* finished for good: done, blocked or cancelled */
  gint64 pending;
  gint64 active;
  gint64 dialed;      /* attempts */
  gint64 answered;
  gint64 leads_ab;
  gint64 opted_out;
  gint64 blocked;
} TbCampaignCounters;

/* Pending contacts due at @now (µs), oldest first, at most @limit. (transfer full) */
GPtrArray *tb_store_queue_due             (TbStore            *self,
                                           gint64              campaign_id,
                                           gint64              now,
                                           guint               limit,
                                           GError            **error);
/* The earliest next_at of a pending contact, or 0 when none is pending. */
gint64     tb_store_queue_next_due        (TbStore            *self,
                                           gint64              campaign_id);
/* The pending contact due first: its next_at (0 when none is pending) and why it waits (the
 * gate's message when a rule holds it back; NULL for a retry or a first dial). */
char      *tb_store_queue_dup_next_block  (TbStore            *self,
                                           gint64              campaign_id,
                                           gint64             *next_at);
/* The contacts blocked for good in a campaign, by rule. */
typedef struct {
  char   *rule;       /* "R1", "R5", … */
  gint64  count;
  char   *example;    /* one of the gate's messages */
} TbQueueBlockCount;

void       tb_queue_block_count_free      (TbQueueBlockCount *count);
/* (element-type TbQueueBlockCount) (transfer full): most first. */
GPtrArray *tb_store_queue_count_blocked   (TbStore            *self,
                                           gint64              campaign_id,
                                           GError            **error);
/* Blocked contacts become pending at @now, for the gate to decide again (consent was
 * recorded since). Returns how many, or -1 with @error set. */
gint64     tb_store_queue_reopen_blocked  (TbStore            *self,
                                           gint64              campaign_id,
                                           gint64              now,
                                           GError            **error);
/* The gate said no: with @retry_at > 0 the contact stays pending until then,
 * else it is blocked for this campaign. The rule is kept for the UI. */
gboolean   tb_store_queue_block           (TbStore            *self,
                                           gint64              campaign_id,
                                           gint64              contact_id,
                                           const char         *rule,
                                           gint64              retry_at,
                                           GError            **error);
/* The contact's work in the campaign is over without a dial (attempts used up). */
gboolean   tb_store_queue_set_done        (TbStore            *self,
                                           gint64              campaign_id,
                                           gint64              contact_id,
                                           const char         *outcome,
                                           GError            **error);
/* Cancels every pending queue row of @e164 in every campaign (R1: an
 * opt-out or a new DNC entry), noting @rule. Returns how many, or -1 with
 * @error set. */
gint64     tb_store_queue_cancel_number   (TbStore            *self,
                                           const char         *e164,
                                           const char         *rule,
                                           GError            **error);

/* Records a dial before it is placed: a new attempt in state "dialing" and
 * the queue row "active", in one transaction. Returns the attempt id, 0 on error. */
gint64     tb_store_attempt_begin         (TbStore            *self,
                                           gint64              campaign_id,
                                           gint64              contact_id,
                                           gint64              line_id,
                                           const char         *e164,
                                           gint64              now,
                                           GError            **error);
/* The caller number the contact's last attempt in the campaign presented, or NULL. */
char      *tb_store_attempt_dup_last_caller_id (TbStore       *self,
                                           gint64              campaign_id,
                                           gint64              contact_id);
/* The caller number the last call to @e164 presented, by any campaign (attempts that presented
 * none of their own are passed over), or NULL: whom a pack's fixed caller ID holds to. */
char      *tb_store_number_dup_last_caller_id (TbStore        *self,
                                           const char         *e164);
/* The pending contacts of campaign @campaign_id held back with a rule that starts with
 * @rule_prefix (tb_store_queue_block()). */
gint64     tb_store_queue_count_held      (TbStore            *self,
                                           gint64              campaign_id,
                                           const char         *rule_prefix);
/* The caller number the attempt presents (R9), recorded with the dial. */
gboolean   tb_store_attempt_set_caller_id (TbStore            *self,
                                           gint64              attempt_id,
                                           const char         *caller_id,
                                           GError            **error);
/* Where an attempt's recording goes, relative to the data folder (tb_store_resolve_path):
 * "recordings/campaign-<campaign id>/attempt-<attempt id>.wav", or "recordings/calls/…" for
 * a call outside a campaign. Made of ids only: never of a name somebody typed. */
#define TB_STORE_RECORDINGS_DIR "recordings"
char      *tb_store_recording_name        (gint64              campaign_id,
                                           gint64              attempt_id);
/* Names the attempt's recording (as tb_store_recording_name() gives it), from the moment
 * it is started: a crash leaves no file that no attempt names. NULL: none. */
gboolean   tb_store_attempt_set_recording (TbStore            *self,
                                           gint64              attempt_id,
                                           const char         *recording,
                                           GError            **error);
/* "ringing", "answered" (sets answered_at) or "first-audio" (sets first_audio_at). */
gboolean   tb_store_attempt_set_state     (TbStore            *self,
                                           gint64              attempt_id,
                                           const char         *state,
                                           gint64              at,
                                           GError            **error);
gboolean   tb_store_attempt_add_turn      (TbStore            *self,
                                           gint64              attempt_id,
                                           int                 seq,
                                           const char         *speaker,
                                           const char         *node,
                                           const char         *text,
                                           const char         *intent,
                                           double              confidence,
                                           gint64              started_at,
                                           gint64              ended_at,
                                           GError            **error);
/* Ends the attempt and moves its queue row to "done", or back to "pending"
 * with @retry_at. Writes in the caller's transaction when one is open (so an
 * opt-out's DNC entry and the CRM outbox row commit with it), else in its own. */
gboolean   tb_store_attempt_finish        (TbStore            *self,
                                           gint64              attempt_id,
                                           const TbAttemptResult *result,
                                           gint64              retry_at,
                                           GError            **error);
/* After a crash: attempts left mid-flight become "interrupted" (they still
 * count as dials for the caps) and their queue rows pending again at @now.
 * Returns how many were closed, or -1 with @error set. */
int        tb_store_attempts_close_interrupted (TbStore       *self,
                                           gint64              now,
                                           GError            **error);
/* The same for one campaign's attempts (a campaign restarted after it stopped on a full
 * disk, while others run in the same process). */
int        tb_store_attempts_close_interrupted_in (TbStore    *self,
                                           gint64              campaign_id,
                                           gint64              now,
                                           GError            **error);

gboolean   tb_store_campaign_get_counters (TbStore            *self,
                                           gint64              campaign_id,
                                           TbCampaignCounters *counters);
/* @reason: (nullable): why the campaign paused by itself; NULL clears it. */
gboolean   tb_store_campaign_set_state    (TbStore            *self,
                                           gint64              campaign_id,
                                           const char         *state,
                                           const char         *reason,
                                           GError            **error);
/* Dial attempts ever made to @e164, in every campaign. */
gint64     tb_store_attempts_count_for_number (TbStore        *self,
                                           const char         *e164);

/* Counts for a campaign's charts: one (label, count) pair per bucket. */
typedef struct {
  char   *label;
  gint64  count;
} TbStatBucket;

void       tb_stat_bucket_free            (TbStatBucket *bucket);

/* @kind: "outcomes", "grades", "hours" (dials per hour of the day, local
 * time) or "funnel" (calls that reached each script node, most first).
 * (element-type TbStatBucket) (transfer full) */
GPtrArray *tb_store_campaign_stats        (TbStore            *self,
                                           gint64              campaign_id,
                                           const char         *kind,
                                           GError            **error);

G_END_DECLS
