/* tb-line-pool.c — the lines a campaign dials over, and which one takes the next call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-line-pool"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tb-line-pool.h"
#include "tb-line-registry.h"
#include "tb-phone.h"
#include "tb-policy.h"
#include "tb-store-lines.h"

/* One caller number of a line, with what its caps count. */
typedef struct {
  char   *e164;
  char   *area;         /* where it rings (tb_phone_dup_area_key()), or NULL */
  GArray *dials;        /* gint64: when it was dialed from, within the last day, oldest first */
  guint   unanswered;   /* its calls in a row that reached nobody */
  gint64  cool_until;   /* campaign clock µs: resting until then; 0: not */
  GArray *answers;      /* gboolean: its last calls reached somebody, oldest first */
  char   *health;       /* why it looks marked as spam (it rests a day), or NULL */
} Number;

typedef struct {
  TbLinePool *pool;          /* (unowned) */
  TbLine     *line;          /* (owned) a registry holder's reference */
  gint64      line_id;
  char       *name;
  GPtrArray  *numbers;       /* Number: the caller numbers it presents; empty: none of its own */
  guint       next_number;   /* round-robin among them */
  int         per_hour;      /* calls per number per rolling hour; 0: no cap */
  int         per_day;       /* per rolling 24 h; 0: no cap */
  int         cooldown_after;    /* unanswered calls in a row that rest a number; 0: never */
  int         cooldown_minutes;
  gboolean    enabled;       /* in the campaign's pool (campaign_lines.enabled) */
  guint       in_flight;     /* calls reserved by tb_line_pool_pick() and not ended */
  guint       failures;      /* calls in a row that failed */
  char       *last_failure;  /* why the last of them failed, as its end reason said */
  gint64      rest_until;    /* monotonic µs: out of the pick until then; 0: not resting */
  int         rest_code;     /* the SIP answer it rests for (403, 503); 0: its failures */
  guint       rest_id;
  gulong      state_handler;
  TbLineState last_state;
} Member;

struct _TbLinePool
{
  GObject    parent_instance;

  /* owned */
  GPtrArray *members;        /* Member, by position */
  TbStore   *store;          /* where a line's rest is written for other processes to see */
  gint64     campaign_id;
  guint      next;           /* round-robin: the position tried first by the next pick */
  TbLinePoolRule rule;       /* how it chooses among the numbers with room */
};

G_DEFINE_FINAL_TYPE (TbLinePool, tb_line_pool, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define HOUR_US (G_USEC_PER_SEC * (gint64) 3600)
#define DAY_US (24 * HOUR_US)

static void
number_free (Number *n)
{
  g_free (n->e164);
  g_free (n->area);
  g_clear_pointer (&n->dials, g_array_unref);
  g_clear_pointer (&n->answers, g_array_unref);
  g_free (n->health);
  g_free (n);
}

static void
member_free (Member *m)
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

/* Dials of @n at or after @since. */
static guint
count_since (Number *n,
             gint64  since)
{
  guint i = 0;

  while (i < n->dials->len && g_array_index (n->dials, gint64, i) < since)
    i++;
  return n->dials->len - i;
}

/* When a cap of @cap calls per @window lets @n dial again after @now: 0 when it may now. */
static gint64
cap_free_at (Number *n,
             int     cap,
             gint64  window,
             gint64  now)
{
  guint c;

  if (cap <= 0 || (c = count_since (n, now - window)) < (guint) cap)
    return 0;
  /* The (c - cap + 1)th of the dials in the window has to leave it. */
  return g_array_index (n->dials, gint64, n->dials->len - c + (c - cap)) + window;
}

/* When @n may be presented again: 0 when it may now. */
static gint64
number_free_at (Member *m,
                Number *n,
                gint64  now)
{
  gint64 at = n->cool_until > now ? n->cool_until : 0;

  at = MAX (at, cap_free_at (n, m->per_hour, HOUR_US, now));
  return MAX (at, cap_free_at (n, m->per_day, DAY_US, now));
}

/* How many more calls @n may make now under its caps. */
static guint
number_allowance (Member *m,
                  Number *n,
                  gint64  now)
{
  guint left = G_MAXUINT16;

  if (number_free_at (m, n, now) != 0)
    return 0;
  if (m->per_hour > 0)
    left = MIN (left, (guint) m->per_hour - count_since (n, now - HOUR_US));
  if (m->per_day > 0)
    left = MIN (left, (guint) m->per_day - count_since (n, now - DAY_US));
  return left;
}

/* The number of @m presented next: round-robin among those free now, other than @avoid when
 * given, and local to a callee of area @local when given; -1 when none is. */
static int
member_pick_number (Member     *m,
                    gint64      now,
                    const char *avoid,
                    const char *local)
{
  for (guint k = 0; k < m->numbers->len; k++) {
    guint i = (m->next_number + k) % m->numbers->len;
    Number *n = g_ptr_array_index (m->numbers, i);

    if (number_free_at (m, n, now) != 0 || (avoid != NULL && g_str_equal (n->e164, avoid)) ||
        (local != NULL && !tb_phone_area_is_local (local, n->area)))
      continue;
    return (int) i;
  }
  return -1;
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
      allowed += number_allowance (m, g_ptr_array_index (m->numbers, i), now);
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

/* When a number of @m that is held back by its caps or its rest frees; 0: none is. */
static gint64
member_numbers_free_at (Member *m,
                        gint64  now)
{
  gint64 first = 0;

  for (guint i = 0; i < m->numbers->len; i++) {
    gint64 at = number_free_at (m, g_ptr_array_index (m->numbers, i), now);

    if (at != 0 && (first == 0 || at < first))
      first = at;
  }
  return first;
}

static Member *
find_member (TbLinePool *self,
             gint64      line_id)
{
  for (guint i = 0; i < self->members->len; i++) {
    Member *m = g_ptr_array_index (self->members, i);

    if (m->line_id == line_id)
      return m;
  }
  return NULL;
}

/* The line's caller numbers ("caller_ids": [...], or one "caller_id") and their caps, from its
 * config; each number's dials of the last day from @store, so a restart keeps counting. */
static gboolean
member_load_numbers (Member      *m,
                     TbStore     *store,
                     const char  *config_json,
                     gint64       now,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) e164s = g_ptr_array_new ();
  JsonObject *object;

  m->numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) number_free);
  if (config_json == NULL || !json_parser_load_from_data (parser, config_json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return TRUE;
  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (object, "caller_ids") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "caller_ids"))) {
    JsonArray *array = json_object_get_array_member (object, "caller_ids");

    for (guint i = 0; i < json_array_get_length (array); i++) {
      const char *e164 = json_node_get_string (json_array_get_element (array, i));

      if (e164 != NULL && e164[0] != '\0')
        g_ptr_array_add (e164s, (gpointer) e164);
    }
  } else {
    const char *e164 = json_object_get_string_member_with_default (object, "caller_id", NULL);

    if (e164 != NULL && e164[0] != '\0')
      g_ptr_array_add (e164s, (gpointer) e164);
  }
  m->per_hour = (int) json_object_get_int_member_with_default (object, "calls_per_hour", 0);
  m->per_day = (int) json_object_get_int_member_with_default (object, "calls_per_day", 0);
  m->cooldown_after = (int) json_object_get_int_member_with_default (object, "cooldown_after", 0);
  m->cooldown_minutes = (int) json_object_get_int_member_with_default (object,
                                                                       "cooldown_minutes", 60);
  for (guint i = 0; i < e164s->len; i++) {
    Number *n = g_new0 (Number, 1);

    n->e164 = g_strdup (g_ptr_array_index (e164s, i));
    n->area = tb_phone_dup_area_key (n->e164);
    g_ptr_array_add (m->numbers, n);
    if ((n->dials = tb_store_dup_caller_id_dials (store, n->e164, now - DAY_US, error)) == NULL ||
        (n->answers = tb_store_dup_caller_id_answers (store, n->e164, TB_LINE_POOL_HEALTH_WINDOW,
                                                      error)) == NULL)
      return FALSE;
  }
  return TRUE;
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
    if (m->numbers->len == 0 || member_pick_number (m, now, avoid, NULL) >= 0)
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
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
}

TbLinePoolRule
tb_line_pool_rule_from_string (const char *rule)
{
  if (g_strcmp0 (rule, "different_on_retry") == 0)
    return TB_LINE_POOL_RULE_DIFFERENT_ON_RETRY;
  if (g_strcmp0 (rule, "local_first") == 0)
    return TB_LINE_POOL_RULE_LOCAL_FIRST;
  return TB_LINE_POOL_RULE_ROUND_ROBIN;
}

const char *
tb_line_pool_rule_to_string (TbLinePoolRule rule)
{
  switch (rule) {
  case TB_LINE_POOL_RULE_DIFFERENT_ON_RETRY: return "different_on_retry";
  case TB_LINE_POOL_RULE_LOCAL_FIRST: return "local_first";
  case TB_LINE_POOL_RULE_ROUND_ROBIN:
  default: return "round_robin";
  }
}

const char *
tb_line_pool_rule_describe (TbLinePoolRule rule)
{
  switch (rule) {
  case TB_LINE_POOL_RULE_DIFFERENT_ON_RETRY:
    return _("Each retry of a contact presents another caller number than the last call");
  case TB_LINE_POOL_RULE_LOCAL_FIRST:
    return _("A caller number in the callee's area first (same area code; a Chinese mobile's "
             "city), else the next in turn");
  case TB_LINE_POOL_RULE_ROUND_ROBIN:
  default:
    return _("The caller numbers in turn");
  }
}

char *
tb_line_pool_dup_fixed_caller_pack (const char *packs,
                                    gint64      now)
{
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(TbPolicyRules) rules = NULL;

  if (packs == NULL || (policies = tb_policy_load_list (packs, NULL)) == NULL)
    return NULL;
  rules = tb_policy_merge ((TbPolicy * const *) policies->pdata, policies->len, now);
  return rules->fixed_caller_id ? g_strdup (rules->fixed_caller_id_pack) : NULL;
}

char *
tb_line_pool_describe_fixed (const char *pack,
                             gint64      waiting)
{
  /* Translators: %s is a policy pack's code ("CN") */
  g_autofree char *rule = g_strdup_printf (_("The %s pack calls each callee from the number "
                                             "that called it before."), pack);

  if (waiting <= 0)
    return g_steal_pointer (&rule);
  /* Translators: then how many callees wait for their number */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s %d contact waits for it (at its cap or resting, or "
                                       "its line down or full).",
                                       "%s %d contacts wait for theirs (at its cap or resting, "
                                       "or its line down or full).", (gulong) waiting),
                          rule, (int) waiting);
}

gboolean
tb_line_pool_check_rule (TbLinePoolRule   rule,
                         const char      *packs,
                         gint64           now,
                         GError         **error)
{
  g_autofree char *pack = NULL;

  if (rule != TB_LINE_POOL_RULE_DIFFERENT_ON_RETRY ||
      (pack = tb_line_pool_dup_fixed_caller_pack (packs, now)) == NULL)
    return TRUE;
  /* Translators: %s is a policy pack's code ("CN") */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("The %s pack holds each callee to one caller number: a different number on "
                 "each retry is not allowed under it"), pack);
  return FALSE;
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
    if (!member_load_numbers (m, store, row->config, now, error) ||
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

  m = find_member (self, line_id);
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
        (at = member_numbers_free_at (m, now)) != 0 && member_room (m, now) == 0 &&
        member_pick_number (m, now, NULL, NULL) < 0) {
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
          (number = member_pick_number (m, now, NULL, local)) < 0)
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
          (number = member_pick_number (m, now, pass < 2 ? avoid : NULL, NULL)) < 0)
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
      } else if ((at = number_free_at (m, n, now)) != 0) {
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

  if ((m = find_member (self, line_id)) == NULL)
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

char *
tb_line_pool_check_health (const gboolean *answered,
                           guint           n)
{
  guint recent = 0, before = 0, start;
  double rate_recent, rate_before;

  if (n < TB_LINE_POOL_HEALTH_MIN)
    return NULL;
  start = n > TB_LINE_POOL_HEALTH_WINDOW ? n - TB_LINE_POOL_HEALTH_WINDOW : 0;
  for (guint i = start; i < n - TB_LINE_POOL_HEALTH_RECENT; i++)
    before += answered[i] ? 1 : 0;
  for (guint i = n - TB_LINE_POOL_HEALTH_RECENT; i < n; i++)
    recent += answered[i] ? 1 : 0;
  rate_before = (double) before / (double) (n - TB_LINE_POOL_HEALTH_RECENT - start);
  rate_recent = (double) recent / TB_LINE_POOL_HEALTH_RECENT;
  if (rate_before < 0.15 || rate_recent * 3 >= rate_before)
    return NULL;
  /* Translators: a caller number's health: "answer rate fell from 38 % to 9 %: …" */
  return g_strdup_printf (_("answer rate fell from %.0f %% to %.0f %%: this number may be "
                            "marked as spam"), rate_before * 100, rate_recent * 100);
}

void
tb_caller_number_free (TbCallerNumber *number)
{
  if (number == NULL)
    return;
  g_free (number->number);
  g_free (number->health);
  g_free (number);
}

/* Where @n of @m stands at @now, as the pick reads it; @answers: its last ended calls (the
 * store's), for the answer rate and, when the pool has not flagged it, its health. */
static TbCallerNumber *
describe_number (Member *m,
                 Number *n,
                 GArray *answers,
                 gint64  now)
{
  TbCallerNumber *d = g_new0 (TbCallerNumber, 1);
  gint64 cool = n->cool_until > now ? n->cool_until : 0;
  gint64 hour = cap_free_at (n, m->per_hour, HOUR_US, now);
  gint64 day = cap_free_at (n, m->per_day, DAY_US, now);

  d->number = g_strdup (n->e164);
  d->calls_hour = count_since (n, now - HOUR_US);
  d->calls_day = count_since (n, now - DAY_US);
  d->per_hour = m->per_hour;
  d->per_day = m->per_day;
  d->cooldown_after = m->cooldown_after;
  d->until = MAX (cool, MAX (hour, day));
  /* Its flag stands while it rests on it; after the rest it is judged afresh. */
  if (cool != 0 && n->health != NULL)
    d->health = g_strdup (n->health);
  if (d->until == 0)
    d->state = TB_CALLER_NUMBER_READY;
  else if (d->until == cool)
    d->state = d->health != NULL ? TB_CALLER_NUMBER_RESTING : TB_CALLER_NUMBER_COOLING;
  else if (d->until == day)
    d->state = TB_CALLER_NUMBER_DAILY_CAP;
  else
    d->state = TB_CALLER_NUMBER_HOURLY_CAP;
  for (guint i = 0; answers != NULL && i < answers->len; i++)
    d->recent_answered += g_array_index (answers, gboolean, i) ? 1 : 0;
  d->recent_calls = answers != NULL ? answers->len : 0;
  if (d->health == NULL && answers != NULL)
    d->health = tb_line_pool_check_health ((const gboolean *) (gpointer) answers->data,
                                           answers->len);
  return d;
}

GPtrArray *
tb_line_pool_dup_numbers (TbLinePool *self,
                          TbStore    *store,
                          gint64      line_id,
                          gint64      now)
{
  GPtrArray *numbers;
  Member *m;

  g_return_val_if_fail (TB_IS_LINE_POOL (self), NULL);
  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if ((m = find_member (self, line_id)) == NULL)
    return NULL;
  numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_caller_number_free);
  for (guint i = 0; i < m->numbers->len; i++) {
    Number *n = g_ptr_array_index (m->numbers, i);
    g_autoptr(GArray) answers = tb_store_dup_caller_id_answers (store, n->e164,
                                                                TB_LINE_POOL_HEALTH_WINDOW, NULL);

    g_ptr_array_add (numbers, describe_number (m, n, answers, now));
  }
  return numbers;
}

GPtrArray *
tb_line_pool_dup_stored_numbers (TbStore     *store,
                                 const char  *config,
                                 gint64       now,
                                 GError     **error)
{
  g_autoptr(GPtrArray) numbers = NULL;
  Member *m;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  /* A member as tb_line_pool_new () loads it, without its line. */
  m = g_new0 (Member, 1);
  if (!member_load_numbers (m, store, config, now, error)) {
    member_free (m);
    return NULL;
  }
  numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_caller_number_free);
  for (guint i = 0; i < m->numbers->len; i++) {
    Number *n = g_ptr_array_index (m->numbers, i);

    g_ptr_array_add (numbers, describe_number (m, n, n->answers, now));
  }
  member_free (m);
  return g_steal_pointer (&numbers);
}
