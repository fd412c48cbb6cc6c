/* tb-line-pool-numbers.c — the caller numbers a pool's lines present: their caps, cool-downs
 * and health, which one a line presents next, and the rules that choose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-line-pool-numbers"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tb-line-pool-private.h"
#include "tb-phone.h"
#include "tb-policy.h"
#include "tb-store-lines.h"

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
gint64
_tb_line_pool_number_free_at (Member *m,
                              Number *n,
                              gint64  now)
{
  gint64 at = n->cool_until > now ? n->cool_until : 0;

  at = MAX (at, cap_free_at (n, m->per_hour, HOUR_US, now));
  return MAX (at, cap_free_at (n, m->per_day, DAY_US, now));
}

/* How many more calls @n may make now under its caps. */
guint
_tb_line_pool_number_allowance (Member *m,
                                Number *n,
                                gint64  now)
{
  guint left = G_MAXUINT16;

  if (_tb_line_pool_number_free_at (m, n, now) != 0)
    return 0;
  if (m->per_hour > 0)
    left = MIN (left, (guint) m->per_hour - count_since (n, now - HOUR_US));
  if (m->per_day > 0)
    left = MIN (left, (guint) m->per_day - count_since (n, now - DAY_US));
  return left;
}

/* The number of @m presented next: round-robin among those free now, other than @avoid when
 * given, and local to a callee of area @local when given; -1 when none is. */
int
_tb_line_pool_member_pick_number (Member     *m,
                                  gint64      now,
                                  const char *avoid,
                                  const char *local)
{
  for (guint k = 0; k < m->numbers->len; k++) {
    guint i = (m->next_number + k) % m->numbers->len;
    Number *n = g_ptr_array_index (m->numbers, i);

    if (_tb_line_pool_number_free_at (m, n, now) != 0 ||
        (avoid != NULL && g_str_equal (n->e164, avoid)) ||
        (local != NULL && !tb_phone_area_is_local (local, n->area)))
      continue;
    return (int) i;
  }
  return -1;
}

/* When a number of @m that is held back by its caps or its rest frees; 0: none is. */
gint64
_tb_line_pool_member_numbers_free_at (Member *m,
                                      gint64  now)
{
  gint64 first = 0;

  for (guint i = 0; i < m->numbers->len; i++) {
    gint64 at = _tb_line_pool_number_free_at (m, g_ptr_array_index (m->numbers, i), now);

    if (at != 0 && (first == 0 || at < first))
      first = at;
  }
  return first;
}

/* The line's caller numbers ("caller_ids": [...], or one "caller_id") and their caps, from its
 * config; each number's dials of the last day from @store, so a restart keeps counting. */
gboolean
_tb_line_pool_member_load_numbers (Member      *m,
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

  if ((m = _tb_line_pool_find_member (self, line_id)) == NULL)
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
  if (!_tb_line_pool_member_load_numbers (m, store, config, now, error)) {
    _tb_line_pool_member_free (m);
    return NULL;
  }
  numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_caller_number_free);
  for (guint i = 0; i < m->numbers->len; i++) {
    Number *n = g_ptr_array_index (m->numbers, i);

    g_ptr_array_add (numbers, describe_number (m, n, n->answers, now));
  }
  _tb_line_pool_member_free (m);
  return g_steal_pointer (&numbers);
}
