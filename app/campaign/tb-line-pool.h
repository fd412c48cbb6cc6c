/* tb-line-pool.h — the lines a campaign dials over, and which one takes the next call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue #20. A campaign has a pool of lines (any mix of sim lines, SIP accounts, modems), each
 * with its own call limit and caller number; one queue, one set of caps and one dialer use
 * them all. Per dial the pool picks a line with free capacity (its max-calls minus the calls
 * it carries), READY lines first, then round-robin. A line in ERROR (a modem unplugged, a SIP
 * account refused) or whose calls keep failing is out of the pick until it is READY again or
 * its cool-down ends; the campaign goes on over the others.
 *
 * A line presents one caller number or several (its config's "caller_ids": a SIP trunk's DID
 * range), chosen round-robin, by the campaign's "different on retry" rule another than the
 * contact's last call presented, or by its "local first" rule one in the callee's area. A
 * pack may fix a callee's caller number (tb_line_pool_pick_number()). Per number (the line's
 * config): "calls_per_hour" and "calls_per_day" over rolling windows of the campaign clock,
 * counting every campaign's calls from it; "cooldown_after" calls in a row that reach nobody rest it "cooldown_minutes".
 * A number whose answer rate falls (tb_line_pool_check_health()) rests a day: the carrier may
 * have marked it as spam; the number pauses, not the campaign.
 */
#pragma once

#include "tb-line.h"
#include "tb-store.h"

G_BEGIN_DECLS

/* The health flag reads a number's last calls: the last TB_LINE_POOL_HEALTH_RECENT of them
 * against up to TB_LINE_POOL_HEALTH_WINDOW - RECENT before, once it has HEALTH_MIN. */
#define TB_LINE_POOL_HEALTH_WINDOW 100
#define TB_LINE_POOL_HEALTH_RECENT 20
#define TB_LINE_POOL_HEALTH_MIN 60

/* Calls in a row that fail on one line before the pool rests it. */
#define TB_LINE_POOL_MAX_FAILURES 5
/* How long a line that keeps failing rests before it is tried again, in seconds; a SIP
 * server that answers 503 with a Retry-After has it rest that long, up to MAX_REST_S. */
#define TB_LINE_POOL_REST_S 30
#define TB_LINE_POOL_MAX_REST_S 3600
/* When a contact held to one caller number looks again at a line that is down or full. */
#define TB_LINE_POOL_RECHECK_S 15

/* How a pool chooses among the numbers with room (campaigns.number_rule). */
typedef enum {
  TB_LINE_POOL_RULE_ROUND_ROBIN,
  TB_LINE_POOL_RULE_DIFFERENT_ON_RETRY,  /* a retry presents another number than the last */
  TB_LINE_POOL_RULE_LOCAL_FIRST,         /* a number in the callee's area first */
} TbLinePoolRule;

/* "round_robin", "different_on_retry", "local_first" (the store's words) and back; an
 * unknown or NULL word is round-robin. */
TbLinePoolRule tb_line_pool_rule_from_string (const char     *rule);
const char    *tb_line_pool_rule_to_string   (TbLinePoolRule  rule);
/* What the rule does, in a sentence a user reads (translated). */
const char    *tb_line_pool_rule_describe    (TbLinePoolRule  rule);

/* How a contact held back for its fixed caller number is marked in the queue (the rule's
 * code, like the gate's "R4", then the pack and why in words). */
#define TB_LINE_POOL_FIXED_RULE "R4 caller ID"

/* The pack of @packs (comma-separated codes, campaigns.policies) that holds each callee to one
 * caller number at @now (its "caller_id" rule, fixed_per_callee), or NULL when none does or
 * they cannot be read. (transfer full) */
char          *tb_line_pool_dup_fixed_caller_pack (const char     *packs,
                                                   gint64          now);
/* "The CN pack calls each callee from the number that called it before; 3 contacts wait for
 * theirs (at its cap or resting, or its line down or full)." for pack @pack and @waiting such
 * contacts. (transfer full) */
char          *tb_line_pool_describe_fixed   (const char     *pack,
                                              gint64          waiting);
/* Whether a campaign under @packs may choose its numbers by @rule at @now: FALSE with @error
 * (G_IO_ERROR_NOT_SUPPORTED; a translated message naming the pack) for "different on retry"
 * when a pack fixes each callee's caller number. */
gboolean       tb_line_pool_check_rule       (TbLinePoolRule  rule,
                                              const char     *packs,
                                              gint64          now,
                                              GError        **error);

#define TB_TYPE_LINE_POOL (tb_line_pool_get_type ())
G_DECLARE_FINAL_TYPE (TbLinePool, tb_line_pool, TB, LINE_POOL, GObject)

/* The pool of campaign @campaign_id, its lines started (held in the line registry). @fast:
 * sim lines run faster than real time. @now: the campaign clock, from which each number's
 * calls of the last day are counted. NULL with @error when the campaign has no line or a
 * line cannot be built. */
TbLinePool *tb_line_pool_new              (TbStore     *store,
                                           gint64       campaign_id,
                                           gboolean     fast,
                                           gint64       now,
                                           GError     **error);
guint       tb_line_pool_get_n_lines      (TbLinePool  *self);
/* (transfer none) the line at @position, or NULL */
TbLine     *tb_line_pool_get_line         (TbLinePool  *self,
                                           guint        position);
/* (transfer none) the line with store id @line_id, or NULL */
TbLine     *tb_line_pool_lookup           (TbLinePool  *self,
                                           gint64       line_id);
/* How many more calls the pool can take at @now (the campaign clock); when none, @why
 * (optional, newly allocated) says why ("no line can dial now: m1: …; s1: 2 calls at once, all
 * in use") and @next_free (optional) when a caller number held back by its caps frees (0:
 * none is; a line's recovery has no known time). */
guint       tb_line_pool_get_room         (TbLinePool  *self,
                                           gint64       now,
                                           char       **why,
                                           gint64      *next_free);
/* Chooses the line and the caller number for a dial of @callee (E.164) at @now and reserves
 * them (the number's caps count it from here): the line's store id and the number (NULL: none
 * of its own). By the "local first" rule a number in the callee's area
 * (tb_phone_area_is_local()) on a ready line with room comes first. A retry goes out on
 * another line than @last_line_id (the contact's last attempt) when one has room, and by the
 * "different on retry" rule from another number than @last_caller_id. FALSE when no line has
 * room. */
gboolean    tb_line_pool_pick             (TbLinePool  *self,
                                           gint64       now,
                                           const char  *callee,
                                           gint64       last_line_id,
                                           const char  *last_caller_id,
                                           gint64      *line_id,
                                           char       **caller_id);
/* A callee whose caller number is fixed (a pack asks it) is called from @number only: reserves
 * the line that presents it when the line can dial and has room and the number is under its
 * caps and not resting, and sets @line_id. Else FALSE: @why (newly allocated) says what it
 * waits for ("m1: +8610… is at its cap or resting", "no line of this campaign presents …"),
 * and @free_at when to look again: when the number's cap or rest ends, in
 * TB_LINE_POOL_RECHECK_S when its line is down or full, 0 when no line presents it (never). */
gboolean    tb_line_pool_pick_number      (TbLinePool  *self,
                                           gint64       now,
                                           const char  *number,
                                           gint64      *line_id,
                                           gint64      *free_at,
                                           char       **why);
/* The call reserved on @line_id from @caller_id is over with @outcome at @now (a number's
 * unanswered calls in a row count toward its rest). @end_reason and @protocol_code are its
 * TbCall's: "failed" is the line's failure; TB_LINE_POOL_MAX_FAILURES in a row rest the line,
 * a SIP 403 or 503 at once (for as long as the server's Retry-After asks, else
 * TB_LINE_POOL_REST_S); the rest is written to the store (tb_store_set_campaign_line_rest())
 * while it lasts. Returns what the call's end reason should say when the line went to error
 * under it ("line m1: the modem port went away") or rests for its answer ("line trunk: the
 * SIP server answered 503 (service unavailable)"), else NULL (newly allocated). */
char       *tb_line_pool_call_ended       (TbLinePool  *self,
                                           gint64       line_id,
                                           const char  *caller_id,
                                           const char  *end_reason,
                                           int          protocol_code,
                                           const char  *outcome,
                                           gint64       now);
/* Whether the line is in the pick now; @why (optional, newly allocated) when it is not. */
gboolean    tb_line_pool_is_usable        (TbLinePool  *self,
                                           guint        position,
                                           char       **why);
/* Calls the pool placed on the line at @position and has not seen end. */
guint       tb_line_pool_get_in_flight    (TbLinePool  *self,
                                           guint        position);

/* Whether a number whose last calls reached somebody or not (@answered, oldest first, the
 * last TB_LINE_POOL_HEALTH_WINDOW at most) looks marked as spam: its answer rate over the
 * last TB_LINE_POOL_HEALTH_RECENT calls fell below a third of the rate before, which was at
 * least 15 %. Returns the sentence a user reads ("answer rate fell from 38 % to 9 %: this
 * number may be marked as spam"), or NULL when healthy (or too few calls to tell). */
char       *tb_line_pool_check_health     (const gboolean *answered,
                                           guint           n);

/* Where a caller number of a line stands (the Campaigns page and `campaign status` show one
 * row per number): what the pick reads, worded by whoever shows it. */
typedef enum {
  TB_CALLER_NUMBER_READY,        /* may be presented now */
  TB_CALLER_NUMBER_HOURLY_CAP,   /* at its calls-per-hour cap until @until */
  TB_CALLER_NUMBER_DAILY_CAP,    /* at its calls-per-day cap until @until */
  TB_CALLER_NUMBER_COOLING,      /* @cooldown_after calls in a row reached nobody */
  TB_CALLER_NUMBER_RESTING,      /* its health flag rests it a day: @health says why */
} TbCallerNumberState;

typedef struct {
  char                *number;          /* E.164, as the line's config gives it */
  TbCallerNumberState  state;
  gint64               until;           /* campaign clock µs: when it may dial again; 0: now */
  guint                calls_hour;      /* dialed from it in the last hour (any campaign) */
  guint                calls_day;       /* in the last 24 hours */
  int                  per_hour;        /* the line's caps per number; 0: none */
  int                  per_day;
  int                  cooldown_after;  /* unanswered calls in a row that rest it; 0: never */
  guint                recent_calls;    /* its last ended calls, at most HEALTH_WINDOW */
  guint                recent_answered; /* of those, the ones that reached somebody */
  char                *health;          /* why it may be marked as spam, or NULL */
} TbCallerNumber;

void        tb_caller_number_free         (TbCallerNumber *number);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbCallerNumber, tb_caller_number_free)

/* The caller numbers of line @line_id of @self at @now, in its config's order, as the pick
 * sees them (the calls it counted, its cool-downs and rests); the answer rate over their last
 * calls in @store (any campaign), where @health also looks when the pool has not flagged the
 * number (yet). Returns: (transfer full) (element-type TbCallerNumber), empty when the line
 * presents no number of its own; NULL when it is not in the pool. */
GPtrArray  *tb_line_pool_dup_numbers      (TbLinePool     *self,
                                           TbStore        *store,
                                           gint64          line_id,
                                           gint64          now);
/* The same for a line whose campaign no pool runs here, from @store as a pool started at @now
 * would load them from the line's @config (JSON): a cool-down is a running pool's only, and a
 * number whose last calls look marked as spam carries @health but is not resting (a pool
 * judges it again when its next call ends). NULL with @error when the store cannot tell. */
GPtrArray  *tb_line_pool_dup_stored_numbers (TbStore      *store,
                                           const char     *config,
                                           gint64          now,
                                           GError        **error);

G_END_DECLS
