/* tb-dialer.c — who is called next, how many at once, and when again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialer keeps up to the campaign's concurrency of calls in flight. Every
 * decision goes through the store first (the dial is recorded before it is
 * placed), so a crash at any moment loses nothing and dials nobody twice.
 */
#define G_LOG_DOMAIN "tb-dialer"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-audit.h"
#include "tb-crm-event.h"
#include "tb-dial-gate.h"
#include "tb-dialer.h"
#include "tb-retry-rules.h"
#include "tb-store-config.h"
#include "tb-store-variants.h"

/* How long a real-time dialer sleeps at most before looking at the queue again. */
#define MAX_IDLE_WAIT_MS 5000

struct _TbDialer
{
  GObject          parent_instance;

  /* owned */
  TbStore         *store;
  TbClock         *clock;
  TbRetryRules    *rules;
  GHashTable      *calls;        /* attempt id (gint64 *) -> TbQueueItem * */
  TbDialerBackend  backend;
  gpointer         user_data;
  gint64           campaign_id;
  int              concurrency;
  TbDialerState    state;
  gboolean         failed;        /* the store could not be written: stopped for good */
  gint64           wait_until;    /* nothing in flight, nothing due before then; 0: not waiting */
  char            *wait_rule;     /* why, as the gate said it; NULL: a retry's time */
  GPtrArray       *variants;      /* TbVariantRow: the scripts compared; empty: one script */
  TbVariantMode    variant_mode;

  /* sources: one tick source we re-arm with a ready time, owned and
   * destroyed in dispose, so its callback never outlives the dialer */
  GSource         *tick_source;
};

G_DEFINE_FINAL_TYPE (TbDialer, tb_dialer, G_TYPE_OBJECT)

enum {
  PROGRESS,
  FINISHED,
  FAILED,
  STALLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The store could not record what happened (a full disk, a read-only file): dialing on would
 * place calls whose outcome, opt-out or attempt count is lost. Stop at once, say why once. */
static void
store_failed (TbDialer     *self,
              const GError *error)
{
  if (self->failed)
    return;
  self->failed = TRUE;
  self->state = TB_DIALER_STATE_PAUSED;
  g_message ("campaign %" G_GINT64_FORMAT ": stopped: %s", self->campaign_id, error->message);
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
set_state (TbDialer      *self,
           TbDialerState  state,
           const char    *campaign_state,
           const char    *reason)
{
  g_autoptr(GError) error = NULL;

  self->state = state;
  if (campaign_state != NULL &&
      !tb_store_campaign_set_state (self->store, self->campaign_id, campaign_state, reason,
                                    &error))
    store_failed (self, error);
}

static void
schedule_tick (TbDialer *self,
               guint     delay_ms)
{
  gint64 when = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  gint64 armed = g_source_get_ready_time (self->tick_source);

  if (self->state != TB_DIALER_STATE_RUNNING)
    return;
  if (armed < 0 || when < armed)
    g_source_set_ready_time (self->tick_source, when);
}

static gboolean
tick_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs tick_funcs = { NULL, NULL, tick_dispatch, NULL, NULL, NULL };

#define MIN_RECHECK_S 60

/* One contact: the gate first, then the dial is recorded, then placed. */
static void
dial_one (TbDialer    *self,
          TbQueueItem *item,
          gint64       now)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rule = NULL;
  gint64 retry_at = 0;
  gint64 attempt_id;

  if (item->attempts >= tb_retry_rules_get_max_attempts (self->rules)) {
    if (!tb_store_queue_set_done (self->store, self->campaign_id, item->contact_id, NULL, &error))
      store_failed (self, error);
    tb_queue_item_free (item);
    return;
  }

  if (self->backend.gate != NULL &&
      !self->backend.gate (self->user_data, item, now, &rule, &retry_at)) {
    /* Never re-check a blocked contact before its next allowed time: a "next" that is not
     * later than now (it once was, for an hour at each clock change) would make the dialer
     * spin on it. */
    if (retry_at > 0 && retry_at <= now) {
      g_warning ("contact %" G_GINT64_FORMAT ": blocked (%s) with no later opening; trying "
                 "again in %d s", item->contact_id, rule ? rule : "blocked",
                 MIN_RECHECK_S);
      retry_at = now + (gint64) MIN_RECHECK_S * G_USEC_PER_SEC;
    }
    if (!tb_store_queue_block (self->store, self->campaign_id, item->contact_id,
                               rule ? rule : "blocked", retry_at, &error))
      store_failed (self, error);
    tb_queue_item_free (item);
    return;
  }

  /* The line is chosen before the dial is recorded, so the record names it (and the caller
   * number presented) from the first moment. No line free now: the contact stays pending. */
  if (self->backend.pick_line != NULL &&
      !self->backend.pick_line (self->user_data, item, now, &rule, &retry_at)) {
    /* This contact waits for its own caller number: the others go on meanwhile. */
    if (rule != NULL) {
      if (retry_at > 0 && retry_at <= now)
        retry_at = now + (gint64) MIN_RECHECK_S * G_USEC_PER_SEC;
      if (!tb_store_queue_block (self->store, self->campaign_id, item->contact_id, rule,
                                 retry_at, &error))
        store_failed (self, error);
    }
    tb_queue_item_free (item);
    return;
  }

  /* The attempt, its audit record and its variant, together: a resumed campaign finds each
   * attempt's script where it was decided, and a report reads it rather than recomputing. */
  if (self->variants->len > 0) {
    int shares[TB_VARIANTS_MAX] = { 0 };
    const TbVariantRow *v;

    for (guint i = 0; i < self->variants->len && i < TB_VARIANTS_MAX; i++)
      shares[i] = ((TbVariantRow *) g_ptr_array_index (self->variants, i))->share;
    v = g_ptr_array_index (self->variants,
                           tb_dialer_pick_variant (self->campaign_id, item->contact_id,
                                                   item->attempts,
                                                   self->variant_mode ==
                                                     TB_VARIANT_MODE_PER_RETRY,
                                                   shares, MIN (self->variants->len,
                                                                TB_VARIANTS_MAX)));
    g_free (item->variant);
    item->variant = g_strdup (v->label);
  }
  attempt_id = 0;
  if (tb_store_begin (self->store, &error)) {
    attempt_id = tb_audit_begin_attempt (self->store, self->campaign_id, item->contact_id,
                                         item->line_id, item->e164, now, &error);
    if (attempt_id != 0 && item->variant != NULL &&
        !tb_store_attempt_set_variant (self->store, attempt_id, item->variant, &error))
      attempt_id = 0;
    if (attempt_id != 0 && item->caller_id != NULL &&
        !tb_store_attempt_set_caller_id (self->store, attempt_id, item->caller_id, &error))
      attempt_id = 0;
    if (attempt_id == 0)
      tb_store_rollback (self->store);
    else if (!tb_store_commit (self->store, &error))
      attempt_id = 0;
  }
  if (attempt_id == 0) {
    /* Not dialed: nobody is called without the record of it. */
    store_failed (self, error);
    tb_queue_item_free (item);
    return;
  }

  g_hash_table_insert (self->calls, g_memdup2 (&attempt_id, sizeof attempt_id), item);
  item->attempts++;
  self->backend.place_call (self->user_data, self, item, attempt_id);
}

static void
set_wait (TbDialer   *self,
          gint64      until,
          char       *rule)
{
  self->wait_until = until;
  g_free (self->wait_rule);
  self->wait_rule = rule;
}

/* What holds the contacts blocked for good back (@counts: TbQueueBlockCount), as the gate
 * words it for the pre-flight. */
static char *
describe_blocked (GPtrArray *counts)
{
  g_autoptr(GHashTable) by_rule = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) examples = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *text = NULL;

  for (guint i = 0; i < counts->len; i++) {
    const TbQueueBlockCount *c = g_ptr_array_index (counts, i);

    g_hash_table_insert (by_rule, c->rule, GUINT_TO_POINTER ((guint) c->count));
    g_hash_table_insert (examples, c->rule, c->example);
  }
  text = tb_dial_gate_describe_blocked (by_rule, examples);
  /* Translators: then what holds the contacts back: "3 contacts need consent (R5)" */
  return g_strdup_printf (_("nothing can be dialed: %s"), text);
}

static gboolean
tick_cb (gpointer data)
{
  TbDialer *self = data;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  TbCampaignCounters counters;
  g_autofree char *no_line = NULL;
  gint64 line_free_at = 0;
  double pacing = 1.0;
  gint64 now, next;
  guint capacity, active;

  g_source_set_ready_time (self->tick_source, -1);
  if (self->state != TB_DIALER_STATE_RUNNING || self->failed)
    return G_SOURCE_CONTINUE;

  now = tb_clock_now (self->clock);
  if (self->backend.pacing != NULL)
    pacing = CLAMP (self->backend.pacing (self->user_data, now), 0.0, 1.0);
  capacity = MAX (1, (guint) (self->concurrency * pacing));
  active = g_hash_table_size (self->calls);

  /* The pool's free lines bound it too: a dial with no line to take it waits here, not as a
   * failed attempt. */
  if (active < capacity && self->backend.line_room != NULL) {
    guint room = self->backend.line_room (self->user_data, now, &no_line, &line_free_at);

    capacity = MIN (capacity, active + room);
  }
  if (active < capacity) {
    due = tb_store_queue_due (self->store, self->campaign_id, now, capacity - active, &error);
    if (due == NULL) {
      g_message ("campaign %" G_GINT64_FORMAT ": %s", self->campaign_id, error->message);
      schedule_tick (self, MAX_IDLE_WAIT_MS);
      return G_SOURCE_CONTINUE;
    }
    while (due->len > 0 && !self->failed)
      dial_one (self, g_ptr_array_steal_index (due, 0), now);
  }
  if (g_hash_table_size (self->calls) > 0) {
    set_wait (self, 0, NULL);
    g_signal_emit (self, signals[PROGRESS], 0);
    return G_SOURCE_CONTINUE;   /* the next call's end ticks again */
  }

  tb_store_campaign_get_counters (self->store, self->campaign_id, &counters);
  if (counters.pending == 0 && counters.active == 0) {
    g_autoptr(GPtrArray) blocked = NULL;

    set_wait (self, 0, NULL);
    g_signal_emit (self, signals[PROGRESS], 0);
    if (counters.dialed == 0)
      blocked = tb_store_queue_count_blocked (self->store, self->campaign_id, NULL);
    if (blocked != NULL && blocked->len > 0) {
      /* Not done: nobody was called, and nobody can be until a person acts (records consent,
       * sets a time zone). Paused, saying why; Start tries the blocked contacts again. */
      g_autofree char *why = describe_blocked (blocked);

      g_source_set_ready_time (self->tick_source, -1);
      set_state (self, TB_DIALER_STATE_PAUSED, "paused", why);
      g_signal_emit (self, signals[STALLED], 0, why);
      return G_SOURCE_CONTINUE;
    }
    set_state (self, TB_DIALER_STATE_FINISHED, "finished", NULL);
    g_signal_emit (self, signals[FINISHED], 0);
    return G_SOURCE_CONTINUE;
  }

  /* Somebody is due now but no line of the pool can dial: wait for one to come back (the
   * runner kicks us; polled too, as a line may recover without saying so). */
  if (no_line != NULL && tb_store_queue_next_due (self->store, self->campaign_id) <= now) {
    set_wait (self, line_free_at > now ? line_free_at : 0, g_steal_pointer (&no_line));
    g_signal_emit (self, signals[PROGRESS], 0);
    /* Caller numbers at their caps free at a known time: a simulated clock goes there. */
    if (tb_clock_is_simulated (self->clock) && line_free_at > now) {
      tb_clock_jump_to (self->clock, line_free_at);
      schedule_tick (self, 0);
    } else {
      schedule_tick (self, 500);
    }
    return G_SOURCE_CONTINUE;
  }

  /* Nothing in flight and nothing due now: wait for the next due contact, and say why. */
  {
    char *rule = tb_store_queue_dup_next_block (self->store, self->campaign_id, &next);

    set_wait (self, next > now ? next : 0, rule);
  }
  g_signal_emit (self, signals[PROGRESS], 0);
  if (tb_clock_is_simulated (self->clock)) {
    tb_clock_jump_to (self->clock, next);
    schedule_tick (self, 0);
  } else {
    schedule_tick (self, (guint) CLAMP ((next - now) / 1000, 0, MAX_IDLE_WAIT_MS));
  }
  return G_SOURCE_CONTINUE;
}

static void
tb_dialer_dispose (GObject *object)
{
  TbDialer *self = TB_DIALER (object);

  if (self->tick_source != NULL) {
    g_source_destroy (self->tick_source);
    g_clear_pointer (&self->tick_source, g_source_unref);
  }

  G_OBJECT_CLASS (tb_dialer_parent_class)->dispose (object);
}

static void
tb_dialer_finalize (GObject *object)
{
  TbDialer *self = TB_DIALER (object);

  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_pointer (&self->rules, tb_retry_rules_free);
  g_clear_pointer (&self->wait_rule, g_free);
  g_clear_pointer (&self->variants, g_ptr_array_unref);
  g_clear_object (&self->clock);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tb_dialer_parent_class)->finalize (object);
}

static void
tb_dialer_class_init (TbDialerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_dialer_dispose;
  object_class->finalize = tb_dialer_finalize;

  /**
   * TbDialer::progress:
   *
   * Emitted after the dialer placed calls or a call ended; read the counters
   * from the store.
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TbDialer::failed:
   * @error: why (a #TbStoreError, usually %TB_STORE_ERROR_FULL)
   *
   * Emitted once when the store cannot record the campaign's work; the dialer has stopped.
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /**
   * TbDialer::stalled:
   * @reason: why, as a user reads it ("nothing can be dialed: 3 contacts need consent (R5)")
   *
   * Emitted when the dialer paused by itself: nobody was dialed and every contact left is
   * blocked for a reason that waiting does not end. Not finished: Start tries them again.
   */
  signals[STALLED] = g_signal_new ("stalled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tb_dialer_init (TbDialer *self)
{
  self->calls = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) tb_queue_item_free);
  self->tick_source = g_source_new (&tick_funcs, sizeof (GSource));
  g_source_set_name (self->tick_source, "[telebot] dialer tick");
  g_source_set_callback (self->tick_source, tick_cb, self, NULL);
  g_source_set_ready_time (self->tick_source, -1);
  g_source_attach (self->tick_source, NULL);
}

/**
 * tb_dialer_new:
 * @store: the store
 * @campaign_id: the campaign to run
 * @clock: the campaign clock (a simulated one for --fast)
 * @backend: the gate and the call placer
 * @user_data: passed to @backend's functions
 * @error: return location for a #GError
 *
 * Call tb_call_recovery_run() once when the process starts,
 * before any dialer runs, so attempts a crash left mid-flight are closed.
 *
 * Returns: (transfer full): the dialer, or %NULL with @error set
 */
TbDialer *
tb_dialer_new (TbStore               *store,
               gint64                 campaign_id,
               TbClock               *clock,
               const TbDialerBackend *backend,
               gpointer               user_data,
               GError               **error)
{
  g_autoptr(TbCampaignRow) row = NULL;
  g_autoptr(TbDialer) self = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);
  g_return_val_if_fail (TB_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (backend != NULL && backend->place_call != NULL, NULL);

  if ((row = tb_store_get_campaign (store, campaign_id, error)) == NULL)
    return NULL;

  self = g_object_new (TB_TYPE_DIALER, NULL);
  if ((self->rules = tb_retry_rules_new_from_json (row->retry_rules, error)) == NULL) {
    g_prefix_error (error, "campaign “%s”: ", row->name);
    return NULL;
  }
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  self->backend = *backend;
  self->user_data = user_data;
  self->campaign_id = campaign_id;
  self->concurrency = MAX (1, row->concurrency);
  if ((self->variants = tb_store_dup_campaign_variants (store, campaign_id, &self->variant_mode,
                                                       error)) == NULL)
    return NULL;
  self->state = g_str_equal (row->state, "finished") ? TB_DIALER_STATE_FINISHED
                                                     : TB_DIALER_STATE_IDLE;
  return g_steal_pointer (&self);
}

void
tb_dialer_start (TbDialer *self)
{
  g_return_if_fail (TB_IS_DIALER (self));

  if (self->state == TB_DIALER_STATE_RUNNING)
    return;
  if (self->failed) {
    g_autoptr(GError) error = NULL;

    /* Started again after the store failed (space was freed): the attempts the failure left
     * open are closed first, as a new run would, so nobody is dialed twice. */
    if (g_hash_table_size (self->calls) > 0)
      return;   /* its calls are still hanging up */
    if (tb_store_attempts_close_interrupted_in (self->store, self->campaign_id,
                                                tb_clock_now (self->clock), &error) < 0) {
      self->failed = FALSE;
      store_failed (self, error);
      return;
    }
    self->failed = FALSE;
  }
  /* Contacts blocked for good in an earlier run are asked about again: consent recorded
   * since lets them be called; the gate decides (and audits a repeated block only once). */
  {
    g_autoptr(GError) error = NULL;

    if (tb_store_queue_reopen_blocked (self->store, self->campaign_id,
                                       tb_clock_now (self->clock), &error) < 0) {
      store_failed (self, error);
      return;
    }
  }
  set_wait (self, 0, NULL);
  set_state (self, TB_DIALER_STATE_RUNNING, "running", NULL);
  schedule_tick (self, 0);
}

void
tb_dialer_pause (TbDialer *self)
{
  g_return_if_fail (TB_IS_DIALER (self));

  tb_dialer_pause_for (self, NULL);
}

/**
 * tb_dialer_pause_for:
 * @reason: (nullable): why the campaign pauses by itself, as a user reads it; stored with
 *   the campaign's state until it runs again
 *
 * Like tb_dialer_pause(): calls in flight finish, no new ones start.
 */
void
tb_dialer_pause_for (TbDialer   *self,
                     const char *reason)
{
  g_return_if_fail (TB_IS_DIALER (self));

  if (self->state != TB_DIALER_STATE_RUNNING)
    return;
  /* Calls in flight finish; no new ones start. */
  g_source_set_ready_time (self->tick_source, -1);
  set_state (self, TB_DIALER_STATE_PAUSED, "paused", reason);
}

TbDialerState
tb_dialer_get_state (TbDialer *self)
{
  g_return_val_if_fail (TB_IS_DIALER (self), TB_DIALER_STATE_IDLE);

  return self->state;
}

gint64
tb_dialer_get_campaign_id (TbDialer *self)
{
  g_return_val_if_fail (TB_IS_DIALER (self), 0);

  return self->campaign_id;
}

void
tb_dialer_kick (TbDialer *self)
{
  g_return_if_fail (TB_IS_DIALER (self));

  schedule_tick (self, 0);
}

gboolean
tb_dialer_call_ended (TbDialer               *self,
                      gint64                  attempt_id,
                      const TbAttemptResult  *result,
                      GError                **error)
{
  GError *local = NULL;
  TbQueueItem *item;
  gint64 retry_at;

  g_return_val_if_fail (TB_IS_DIALER (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  item = g_hash_table_lookup (self->calls, &attempt_id);
  g_return_val_if_fail (item != NULL, FALSE);

  retry_at = result->opt_out ? 0 : tb_retry_rules_next (self->rules, result->outcome,
                                                        item->attempts,
                                                        tb_clock_now (self->clock));

  if (!tb_store_begin (self->store, &local))
    goto fail;
  if (!tb_store_attempt_finish (self->store, attempt_id, result, retry_at, &local) ||
      (result->opt_out &&
       tb_store_queue_cancel_number (self->store, item->e164, "R1 do-not-call (opt-out)",
                                     &local) < 0) ||
      tb_crm_event_enqueue_call_finished (self->store, attempt_id, &local) < 0) {
    tb_store_rollback (self->store);
    goto fail;
  }
  if (!tb_store_commit (self->store, &local))
    goto fail;

  g_hash_table_remove (self->calls, &attempt_id);
  g_signal_emit (self, signals[PROGRESS], 0);
  schedule_tick (self, 0);
  return TRUE;

fail:
  /* The attempt stays open in the store: the next run closes it as interrupted. */
  g_hash_table_remove (self->calls, &attempt_id);
  store_failed (self, local);
  g_propagate_error (error, local);
  return FALSE;
}

/**
 * tb_dialer_get_wait:
 * @rule: (out) (optional) (transfer none): why it waits, as the gate said it; NULL for a
 *   retry's time
 *
 * When a running dialer has nothing in flight and nothing due: until when.
 *
 * Returns: µs on the campaign clock, or 0 when it is not waiting
 */
gint64
tb_dialer_get_wait (TbDialer    *self,
                    const char **rule)
{
  g_return_val_if_fail (TB_IS_DIALER (self), 0);

  if (rule != NULL)
    *rule = self->state == TB_DIALER_STATE_RUNNING ? self->wait_rule : NULL;
  return self->state == TB_DIALER_STATE_RUNNING ? self->wait_until : 0;
}

/* FNV-1a over the ids: stable across runs, machines and GLib versions. */
static guint64
hash_ids (gint64 campaign_id,
          gint64 contact_id)
{
  guint64 h = 14695981039346656037ull;
  gint64 ids[2] = { campaign_id, contact_id };
  const guchar *p = (const guchar *) ids;

  for (gsize i = 0; i < sizeof ids; i++) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h ^ (h >> 29);
}

/**
 * tb_dialer_pick_variant:
 * @attempt: how many times the contact was dialed before (0: the first dial)
 * @per_retry: each retry runs the next variant; otherwise the contact keeps one variant
 *   for all its attempts (so a split compares people, not calls to the same person)
 * @shares: (array length=n_variants): percent per variant, summing to 100 (split only)
 *
 * Which variant the @attempt of a contact runs. The same inputs always give the same
 * variant, so it is known before the dial is recorded and a crash changes nothing.
 *
 * Returns: an index below @n_variants
 */
guint
tb_dialer_pick_variant (gint64     campaign_id,
                        gint64     contact_id,
                        int        attempt,
                        gboolean   per_retry,
                        const int *shares,
                        guint      n_variants)
{
  guint64 h = hash_ids (campaign_id, contact_id);
  int total = 0, pick;

  g_return_val_if_fail (n_variants > 0, 0);

  if (per_retry)
    return (guint) ((h % n_variants + (guint64) MAX (attempt, 0)) % n_variants);
  for (guint i = 0; i < n_variants; i++)
    total += MAX (shares[i], 0);
  if (total <= 0)
    return (guint) (h % n_variants);
  pick = (int) (h % (guint64) total);
  for (guint i = 0; i < n_variants; i++) {
    if (pick < MAX (shares[i], 0))
      return i;
    pick -= MAX (shares[i], 0);
  }
  return n_variants - 1;
}
