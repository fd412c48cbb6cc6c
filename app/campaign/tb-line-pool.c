/* tb-line-pool.c — the lines a campaign dials over, and which one takes the next call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-line-pool"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-line-pool-private.h"
#include "tb-line-registry.h"
#include "tb-phone.h"
#include "tb-store-lines.h"

G_DEFINE_FINAL_TYPE (TbLinePool, tb_line_pool, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_tb_line_pool_member_free (Member *m)
{
  g_clear_handle_id (&m->rest_id, g_source_remove);
  if (m->line != NULL) {
    g_clear_signal_handler (&m->state_handler, m->line);
    g_clear_pointer (&m->line, tb_line_registry_release);
  }
  g_clear_pointer (&m->numbers, g_ptr_array_unref);
  g_free (m->name);
  g_free (m->last_failure);
  g_free (m);
}

/* The calls @m has free places for, its numbers' caps aside. */
static guint
member_capacity (Member *m)
{
  int max = tb_line_get_max_calls (m->line);
  guint used = MAX (tb_line_get_n_calls (m->line), m->in_flight);

  return max > (int) used ? (guint) max - used : 0;
}

/* Calls @m can take now: its free places, and no more than its numbers' caps allow. */
static guint
member_room (Member *m,
             gint64  now)
{
  guint room = member_capacity (m);

  if (m->numbers->len > 0) {
    guint allowed = 0;

    for (guint i = 0; i < m->numbers->len; i++)
      allowed += _tb_line_pool_number_allowance (m, g_ptr_array_index (m->numbers, i), now);
    room = MIN (room, allowed);
  }
  return room;
}

/* Why @m rests: "m1: 5 calls in a row failed (last: …)", "trunk: the SIP server answered 503
 * (service unavailable)". */
static char *
member_rest_cause (Member *m)
{
  if (m->rest_code > 0)
    /* Translators: a line of a campaign's pool rests: its SIP server's answer, and what it
     * means ("service unavailable" or "forbidden") */
    return g_strdup_printf (_("%s: the SIP server answered %d (%s)"), m->name, m->rest_code,
                            m->rest_code == 503 ? _("service unavailable") : _("forbidden"));
  /* Translators: a line of a campaign's pool rests: "m1: 5 calls in a row failed (last: …)" */
  return g_strdup_printf (_("%s: %u calls in a row failed (last: %s)"), m->name, m->failures,
                          m->last_failure ? m->last_failure : "?");
}

/* Whether @m may take a call at all (room aside); @why (optional) when not. */
static gboolean
member_usable (Member  *m,
               char   **why)
{
  if (!m->enabled) {
    if (why != NULL)
      *why = g_strdup_printf (_("%s: disabled in this campaign"), m->name);
    return FALSE;
  }
  if (tb_line_get_state (m->line) == TB_LINE_STATE_ERROR) {
    if (why != NULL) {
      g_autofree char *error = tb_line_dup_last_error (m->line);

      *why = g_strdup_printf ("%s: %s", m->name, error ? error : _("in error"));
    }
    return FALSE;
  }
  if (m->rest_until > g_get_monotonic_time ()) {
    if (why != NULL) {
      g_autofree char *cause = member_rest_cause (m);
      gint64 left = m->rest_until - g_get_monotonic_time ();

      /* Translators: why a line of a campaign's pool rests, then for how long: "m1: 5 calls
       * in a row failed (last: …); tried again in 30 s" */
      *why = g_strdup_printf (_("%s; tried again in %d s"), cause,
                              (int) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
    }
    return FALSE;
  }
  return TRUE;
}

/* Writes @m's rest (@cause, until @until µs since the epoch; NULL: over) for `campaign
 * status` in another process. A store that cannot take it costs only that view. */
static void
member_write_rest (Member     *m,
                   const char *cause,
                   gint64      until)
{
  g_autoptr(GError) error = NULL;

  if (m->pool->store != NULL &&
      !tb_store_set_campaign_line_rest (m->pool->store, m->pool->campaign_id, m->line_id, cause,
                                        until, &error))
    g_message ("line %s: its rest could not be recorded: %s", m->name, error->message);
}

static gboolean
rest_over_cb (gpointer data)
{
  Member *m = data;

  m->rest_id = 0;
  m->rest_until = 0;
  m->rest_code = 0;
  member_write_rest (m, NULL, 0);
  g_debug ("line %s: rested, back in the pick", m->name);
  g_signal_emit (m->pool, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
on_line_state (Member *m)
{
  TbLineState state = tb_line_get_state (m->line);

  if (state == m->last_state)
    return;
  if (state == TB_LINE_STATE_ERROR) {
    g_autofree char *error = tb_line_dup_last_error (m->line);

    g_message ("line %s: out of the pool: %s", m->name, error ? error : "error");
  } else if (state == TB_LINE_STATE_READY && m->last_state == TB_LINE_STATE_ERROR) {
    g_message ("line %s: ready again, back in the pool", m->name);
    /* It recovered: its failures were the fault it recovered from. */
    m->failures = 0;
  }
  m->last_state = state;
  g_signal_emit (m->pool, signals[CHANGED], 0);
}

/* Outcomes of a call that reached nobody: what the cool-down counts. */
static gboolean
is_unanswered (const char *outcome)
{
  static const char * const unanswered[] = {
    "no_answer", "busy", "rejected", "unreachable", "powered_off", NULL,
  };

  return outcome != NULL && g_strv_contains (unanswered, outcome);
}

Member *
_tb_line_pool_find_member (TbLinePool *self,
                           gint64      line_id)
{
  for (guint i = 0; i < self->members->len; i++) {
    Member *m = g_ptr_array_index (self->members, i);

    if (m->line_id == line_id)
      return m;
  }
  return NULL;
}

/* Whether a line of the pool could present a number other than @avoid but has no room now
 * because of the calls this pool placed on it. */
static gboolean
other_number_busy (TbLinePool *self,
                   gint64      now,
                   const char *avoid)
{
  for (guint i = 0; i < self->members->len; i++) {
    Member *m = g_ptr_array_index (self->members, i);

    if (!member_usable (m, NULL) || m->in_flight == 0 || member_room (m, now) > 0)
      continue;
    if (m->numbers->len == 0 || _tb_line_pool_member_pick_number (m, now, avoid, NULL) >= 0)
      return TRUE;
  }
  return FALSE;
}

static void
tb_line_pool_dispose (GObject *object)
{
  TbLinePool *self = TB_LINE_POOL (object);

  /* This campaign's rests end with it: its lines show as they are. */
  for (guint i = 0; self->members != NULL && i < self->members->len; i++) {
    Member *m = g_ptr_array_index (self->members, i);

    if (m->rest_id != 0)
      member_write_rest (m, NULL, 0);
  }
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tb_line_pool_parent_class)->dispose (object);
}

static void
tb_line_pool_class_init (TbLinePoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_line_pool_dispose;

  /**
   * TbLinePool::changed:
   *
   * A line changed state or ended its rest: the dialer may find room now.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tb_line_pool_init (TbLinePool *self)
{
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) _tb_line_pool_member_free);
}

TbLinePool *
tb_line_pool_new (TbStore   *store,
                  gint64     campaign_id,
                  gboolean   fast,
                  gint64     now,
                  GError   **error)
{
  g_autoptr(TbLinePool) self = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *rule = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if ((rows = tb_store_dup_campaign_lines (store, campaign_id, error)) == NULL)
    return NULL;
  if (rows->len == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "the campaign has no line");
    return NULL;
  }
  self = g_object_new (TB_TYPE_LINE_POOL, NULL);
  self->store = g_object_ref (store);
  self->campaign_id = campaign_id;
  rule = tb_store_dup_campaign_number_rule (store, campaign_id);
  self->rule = tb_line_pool_rule_from_string (rule);
  for (guint i = 0; i < rows->len; i++) {
    const TbCampaignLineRow *row = g_ptr_array_index (rows, i);
    Member *m = g_new0 (Member, 1);

    m->pool = self;
    m->line_id = row->line_id;
    m->name = g_strdup (row->name);
    m->enabled = row->enabled;
    g_ptr_array_add (self->members, m);
    /* A rest a killed run left behind is not this run's. */
    if (row->rest_reason != NULL)
      member_write_rest (m, NULL, 0);
    if (!_tb_line_pool_member_load_numbers (m, store, row->config, now, error) ||
        (m->line = tb_line_registry_acquire_from_store (store, row->name, fast, error)) == NULL)
      return NULL;
    m->last_state = tb_line_get_state (m->line);
    m->state_handler = g_signal_connect_swapped (m->line, "notify::state",
                                                 G_CALLBACK (on_line_state), m);
  }
  return g_steal_pointer (&self);
}

guint
tb_line_pool_get_n_lines (TbLinePool *self)
{
  g_return_val_if_fail (TB_IS_LINE_POOL (self), 0);

  return self->members->len;
}

TbLine *
tb_line_pool_get_line (TbLinePool *self,
                       guint       position)
{
  g_return_val_if_fail (TB_IS_LINE_POOL (self), NULL);

  if (position >= self->members->len)
    return NULL;
  return ((Member *) g_ptr_array_index (self->members, position))->line;
}

TbLine *
tb_line_pool_lookup (TbLinePool *self,
                     gint64      line_id)
{
  Member *m;

  g_return_val_if_fail (TB_IS_LINE_POOL (self), NULL);

  m = _tb_line_pool_find_member (self, line_id);
  return m != NULL ? m->line : NULL;
}

guint
tb_line_pool_get_room (TbLinePool  *self,
                       gint64       now,
                       char       **why,
                       gint64      *next_free)
{
  g_autoptr(GString) reasons = NULL;
  guint room = 0;
  gint64 first = 0;

  g_return_val_if_fail (TB_IS_LINE_POOL (self), 0);

  for (guint i = 0; i < self->members->len; i++) {
    Member *m = g_ptr_array_index (self->members, i);

    if (member_usable (m, NULL))
      room += member_room (m, now);
  }
  if (next_free != NULL)
    *next_free = 0;
  if (room > 0)
    return room;

  reasons = g_string_new (NULL);
  for (guint i = 0; i < self->members->len; i++) {
    Member *m = g_ptr_array_index (self->members, i);
    g_autofree char *one = NULL;
    gint64 at = 0;

    if (member_usable (m, &one) && m->numbers->len > 0 &&
        (at = _tb_line_pool_member_numbers_free_at (m, now)) != 0 && member_room (m, now) == 0 &&
        _tb_line_pool_member_pick_number (m, now, NULL, NULL) < 0) {
      /* Translators: a line of the pool whose caller numbers all wait: "m1: every caller
       * number is at its cap or resting" */
      one = g_strdup_printf (_("%s: every caller number is at its cap or resting"), m->name);
      if (first == 0 || at < first)
        first = at;
    } else if (one == NULL) {
      /* Translators: a line of the pool with no room: "s1: 2 calls at once, all in use" */
      one = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %d call at once, all in use",
                                          "%s: %d calls at once, all in use",
                                          tb_line_get_max_calls (m->line)),
                             m->name, tb_line_get_max_calls (m->line));
    }
    g_string_append_printf (reasons, "%s%s", reasons->len > 0 ? "; " : "", one);
  }
  if (next_free != NULL)
    *next_free = first;
  if (why != NULL)
    /* Translators: then why each line cannot: "no line can dial now: m1: …; s1: …" */
    *why = g_strdup_printf (_("no line can dial now: %s"), reasons->str);
  return 0;
}

/* Reserves number @number (-1: none) of @m, at @position, for a dial at @now. */
static void
reserve (TbLinePool  *self,
         guint        position,
         Member      *m,
         int          number,
         gint64       now,
         gint64      *line_id,
         char       **caller_id)
{
  self->next = (position + 1) % self->members->len;
  m->in_flight++;
  *line_id = m->line_id;
  *caller_id = NULL;
  if (number >= 0) {
    Number *chosen = g_ptr_array_index (m->numbers, number);

    /* Counted from the pick: the dial is recorded next, before it is placed. */
    g_array_append_val (chosen->dials, now);
    while (chosen->dials->len > 0 && g_array_index (chosen->dials, gint64, 0) < now - DAY_US)
      g_array_remove_index (chosen->dials, 0);
    m->next_number = (guint) number + 1;
    *caller_id = g_strdup (chosen->e164);
  }
}

gboolean
tb_line_pool_pick (TbLinePool  *self,
                   gint64       now,
                   const char  *callee,
                   gint64       last_line_id,
                   const char  *last_caller_id,
                   gint64      *line_id,
                   char       **caller_id)
{
  const char *avoid = self->rule == TB_LINE_POOL_RULE_DIFFERENT_ON_RETRY ? last_caller_id : NULL;
  g_autofree char *local = NULL;
  guint n;

  g_return_val_if_fail (TB_IS_LINE_POOL (self), FALSE);

  n = self->members->len;
  /* Local number first: a number in the callee's area on a line that is up and has room,
   * the lines and their numbers taken round-robin as ever; when none has, the rule below. */
  if (self->rule == TB_LINE_POOL_RULE_LOCAL_FIRST &&
      (local = tb_phone_dup_area_key (callee)) != NULL) {
    for (guint k = 0; k < n; k++) {
      guint i = (self->next + k) % n;
      Member *m = g_ptr_array_index (self->members, i);
      int number;

      if (!member_usable (m, NULL) || member_room (m, now) == 0 ||
          tb_line_get_state (m->line) != TB_LINE_STATE_READY ||
          (number = _tb_line_pool_member_pick_number (m, now, NULL, local)) < 0)
        continue;
      reserve (self, i, m, number, now, line_id, caller_id);
      return TRUE;
    }
  }
  /* A line that is up, other than the one the contact was last called on (it may be why the
   * call failed, and a retry from another number is not the same call again) and, by the
   * "different on retry" rule, with another number than that call's; then a line that is up
   * with another number; then any line that is up; then one still signing in (its calls wait
   * for it) only when none is. */
  for (int pass = 0; pass < 4; pass++) {
    /* Another number is only busy with our calls: wait for one of them to end (it ticks the
     * dialer again) rather than present the same number twice to one callee. */
    if (pass == 2 && avoid != NULL && other_number_busy (self, now, avoid))
      return FALSE;
    for (guint k = 0; k < n; k++) {
      guint i = (self->next + k) % n;
      Member *m = g_ptr_array_index (self->members, i);
      int number = -1;

      if (!member_usable (m, NULL) || member_room (m, now) == 0 ||
          (pass < 3 && tb_line_get_state (m->line) != TB_LINE_STATE_READY) ||
          (pass == 0 && last_line_id != 0 && m->line_id == last_line_id))
        continue;
      if (m->numbers->len > 0 &&
          (number = _tb_line_pool_member_pick_number (m, now, pass < 2 ? avoid : NULL, NULL)) < 0)
        continue;
      reserve (self, i, m, number, now, line_id, caller_id);
      return TRUE;
    }
  }
  return FALSE;
}

gboolean
tb_line_pool_pick_number (TbLinePool  *self,
                          gint64       now,
                          const char  *number,
                          gint64      *line_id,
                          gint64      *free_at,
                          char       **why)
{
  g_autofree char *reason = NULL;
  gboolean presented = FALSE;
  gint64 first = 0;

  g_return_val_if_fail (TB_IS_LINE_POOL (self), FALSE);
  g_return_val_if_fail (number != NULL, FALSE);

  *free_at = 0;
  for (guint i = 0; i < self->members->len; i++) {
    Member *m = g_ptr_array_index (self->members, i);
    g_autofree char *one = NULL;
    gint64 at = 0;

    for (guint j = 0; j < m->numbers->len; j++) {
      Number *n = g_ptr_array_index (m->numbers, j);
      g_autofree char *unused = NULL;

      if (!g_str_equal (n->e164, number))
        continue;
      presented = TRUE;
      if (!member_usable (m, &one)) {
        /* Nothing says when a line in error recovers, nor when a full one frees (a call's
         * end): looked at again in a while. */
        at = now + (gint64) TB_LINE_POOL_RECHECK_S * G_USEC_PER_SEC;
      } else if ((at = _tb_line_pool_number_free_at (m, n, now)) != 0) {
        /* Translators: a caller number that must wait: "at its cap or resting until 14:05" */
        one = g_strdup_printf (_("%s: %s is at its cap or resting"), m->name, n->e164);
      } else if (member_capacity (m) == 0) {
        at = now + (gint64) TB_LINE_POOL_RECHECK_S * G_USEC_PER_SEC;
        one = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %d call at once, all in use",
                                            "%s: %d calls at once, all in use",
                                            tb_line_get_max_calls (m->line)),
                               m->name, tb_line_get_max_calls (m->line));
      } else {
        reserve (self, i, m, (int) j, now, line_id, &unused);
        return TRUE;
      }
      if (at != 0 && (first == 0 || at < first))
        first = at;
      if (reason == NULL)
        reason = g_steal_pointer (&one);
    }
  }
  *free_at = first;
  if (!presented)
    /* Translators: a callee's fixed caller number that the campaign's pool does not have */
    *why = g_strdup_printf (_("no line of this campaign presents %s"), number);
  else
    *why = g_steal_pointer (&reason);
  return FALSE;
}

char *
tb_line_pool_call_ended (TbLinePool *self,
                         gint64      line_id,
                         const char *caller_id,
                         const char *end_reason,
                         int         protocol_code,
                         const char *outcome,
                         gint64      now)
{
  Member *m;
  char *reason = NULL;
  gboolean refused;

  g_return_val_if_fail (TB_IS_LINE_POOL (self), NULL);

  if ((m = _tb_line_pool_find_member (self, line_id)) == NULL)
    return NULL;
  g_return_val_if_fail (m->in_flight > 0, NULL);
  m->in_flight--;

  /* A number whose calls keep reaching nobody may be marked as spam: it rests. */
  for (guint i = 0; caller_id != NULL && i < m->numbers->len; i++) {
    Number *n = g_ptr_array_index (m->numbers, i);

    if (!g_str_equal (n->e164, caller_id) || g_strcmp0 (end_reason, "failed") == 0 ||
        g_strcmp0 (outcome, "interrupted") == 0)
      continue;
    {
      gboolean answered = !is_unanswered (outcome);
      g_autofree char *health = NULL;

      g_array_append_val (n->answers, answered);
      if (n->answers->len > TB_LINE_POOL_HEALTH_WINDOW)
        g_array_remove_index (n->answers, 0);
      health = tb_line_pool_check_health ((const gboolean *) (gpointer) n->answers->data,
                                          n->answers->len);
      if (health != NULL) {
        g_message ("line %s: number %s: %s; resting a day", m->name, n->e164, health);
        g_free (n->health);
        n->health = g_steal_pointer (&health);
        n->cool_until = MAX (n->cool_until, now + DAY_US);
        /* What comes after the rest is judged afresh. */
        g_array_set_size (n->answers, 0);
      }
    }
    if (!is_unanswered (outcome)) {
      n->unanswered = 0;
    } else if (++n->unanswered >= (guint) MAX (m->cooldown_after, 1) && m->cooldown_after > 0) {
      g_message ("line %s: number %s: %u calls in a row unanswered; resting %d min", m->name,
                 n->e164, n->unanswered, m->cooldown_minutes);
      n->cool_until = now + (gint64) m->cooldown_minutes * 60 * G_USEC_PER_SEC;
      n->unanswered = 0;
    }
  }

  /* The line failed under the call (a modem unplugged, a trunk refusing): the call ends with
   * the line's reason, so its record says why rather than a bare "failed". */
  if (tb_line_get_state (m->line) == TB_LINE_STATE_ERROR &&
      g_strcmp0 (end_reason, "failed") == 0) {
    g_autofree char *error = tb_line_dup_last_error (m->line);

    reason = g_strdup_printf ("line %s: %s", m->name, error ? error : "error");
  }

  if (g_strcmp0 (end_reason, "failed") != 0) {
    m->failures = 0;
    return reason;
  }
  m->failures++;
  g_free (m->last_failure);
  m->last_failure = protocol_code > 0 ? g_strdup_printf ("%s (%d)", reason ? reason : end_reason,
                                                         protocol_code)
                                      : g_strdup (reason ? reason : end_reason);
  /* A SIP account refused (403) or a trunk out of service (503) is the line's fault, not the
   * callee's: it rests at once rather than after more contacts' calls fail on it, as long as
   * its server asked (Retry-After), else TB_LINE_POOL_REST_S; the call's reason says so. */
  refused = protocol_code == 403 || protocol_code == 503;
  if ((m->failures >= TB_LINE_POOL_MAX_FAILURES || refused) && m->rest_id == 0 &&
      tb_line_get_state (m->line) != TB_LINE_STATE_ERROR) {
    gint64 now_mono = g_get_monotonic_time ();
    gint64 rest = (gint64) TB_LINE_POOL_REST_S * G_USEC_PER_SEC;
    gint64 asked = tb_line_get_retry_until (m->line);
    g_autofree char *cause = NULL;

    if (refused && asked > now_mono)
      rest = MIN (asked - now_mono, (gint64) TB_LINE_POOL_MAX_REST_S * G_USEC_PER_SEC);
    m->rest_code = refused ? protocol_code : 0;
    m->rest_until = now_mono + rest;
    cause = member_rest_cause (m);
    g_message ("line %s; resting %d s", cause,
               (int) ((rest + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
    member_write_rest (m, cause, g_get_real_time () + rest);
    /* The pool owns its members and clears this source with them. To the millisecond: a
     * server's Retry-After is a time not to call before. */
    m->rest_id = g_timeout_add ((guint) ((rest + 999) / 1000), rest_over_cb, m);
  }
  if (refused && reason == NULL && m->rest_code == protocol_code) {
    g_autofree char *cause = member_rest_cause (m);

    reason = g_strdup_printf ("line %s", cause);
  }
  return reason;
}

gboolean
tb_line_pool_is_usable (TbLinePool  *self,
                        guint        position,
                        char       **why)
{
  g_return_val_if_fail (TB_IS_LINE_POOL (self), FALSE);
  g_return_val_if_fail (position < self->members->len, FALSE);

  return member_usable (g_ptr_array_index (self->members, position), why);
}

guint
tb_line_pool_get_in_flight (TbLinePool *self,
                            guint       position)
{
  g_return_val_if_fail (TB_IS_LINE_POOL (self), 0);
  g_return_val_if_fail (position < self->members->len, 0);

  return ((Member *) g_ptr_array_index (self->members, position))->in_flight;
}
