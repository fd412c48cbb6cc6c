/* tb-policy-rules.c — the rules in force: one pack's, or several merged (strictest wins)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-policy-rules"

#include "config.h"

#include "tb-policy-rules.h"

#include <glib/gi18n.h>

static void
cap_clear (gpointer data)
{
  TbPolicyCap *cap = data;

  g_free (cap->pack);
  g_free (cap->source);
}

static void
registry_clear (gpointer data)
{
  TbPolicyRegistry *reg = data;

  g_free (reg->name);
  g_free (reg->pack);
  g_free (reg->source);
}

TbPolicyRules *
tb_policy_rules_new (const char *code)
{
  TbPolicyRules *rules = g_new0 (TbPolicyRules, 1);

  rules->code = g_strdup (code);
  for (int d = 0; d < 7; d++)
    rules->days[d] = g_array_new (FALSE, FALSE, sizeof (TbPolicyInterval));
  rules->holidays = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rules->workdays = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rules->caps = g_array_new (FALSE, TRUE, sizeof (TbPolicyCap));
  g_array_set_clear_func (rules->caps, cap_clear);
  rules->registries = g_array_new (FALSE, TRUE, sizeof (TbPolicyRegistry));
  g_array_set_clear_func (rules->registries, registry_clear);
  rules->required_scopes = g_new0 (char *, 1);
  rules->disclosures = g_new0 (char *, 1);
  rules->dnc_opt_out_max_days = -1;
  rules->confirm_opt_out_allowed = TRUE;
  return rules;
}

void
tb_policy_rules_free (TbPolicyRules *rules)
{
  if (rules == NULL)
    return;
  g_free (rules->code);
  for (int d = 0; d < 7; d++)
    g_array_unref (rules->days[d]);
  g_free (rules->window_source);
  g_hash_table_unref (rules->holidays);
  g_hash_table_unref (rules->workdays);
  g_array_unref (rules->caps);
  g_free (rules->min_gap_source);
  g_strfreev (rules->required_scopes);
  g_free (rules->consent_source);
  g_array_unref (rules->registries);
  g_free (rules->abandon_source);
  g_strfreev (rules->disclosures);
  g_free (rules->fixed_caller_id_pack);
  g_free (rules->fixed_caller_id_source);
  g_free (rules);
}

static GStrv
strv_union (const char * const *a,
            const char * const *b)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; a && a[i]; i++)
    g_strv_builder_add (builder, a[i]);
  for (guint i = 0; b && b[i]; i++)
    if (a == NULL || !g_strv_contains (a, b[i]))
      g_strv_builder_add (builder, b[i]);
  return g_strv_builder_end (builder);
}

static void
intersect_day (GArray       *out,
               const GArray *a,
               const GArray *b)
{
  guint i = 0, j = 0;

  while (i < a->len && j < b->len) {
    const TbPolicyInterval *x = &g_array_index (a, TbPolicyInterval, i);
    const TbPolicyInterval *y = &g_array_index (b, TbPolicyInterval, j);
    TbPolicyInterval r = { MAX (x->start, y->start), MIN (x->end, y->end) };

    if (r.start < r.end)
      g_array_append_val (out, r);
    if (x->end < y->end)
      i++;
    else
      j++;
  }
}

static char *
join_sources (const char *a,
              const char *b)
{
  if (a == NULL)
    return g_strdup (b);
  if (b == NULL || g_str_equal (a, b))
    return g_strdup (a);
  return g_strdup_printf ("%s; %s", a, b);
}

static void
merge_into (TbPolicyRules       *m,
            const TbPolicyRules *r)
{
  GHashTableIter iter;
  gpointer key, value;
  char *tmp;
  GStrv strv;

  if (r->has_window) {
    for (int d = 0; d < 7; d++) {
      if (m->has_window) {
        g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (TbPolicyInterval));

        intersect_day (out, m->days[d], r->days[d]);
        g_array_set_size (m->days[d], 0);
        g_array_append_vals (m->days[d], out->data, out->len);
      } else {
        g_array_append_vals (m->days[d], r->days[d]->data, r->days[d]->len);
      }
    }
    tmp = join_sources (m->window_source, r->window_source);
    g_free (m->window_source);
    m->window_source = tmp;
    m->window_verified = m->has_window ? (m->window_verified && r->window_verified)
                                       : r->window_verified;
    m->has_window = TRUE;
  }

  g_hash_table_iter_init (&iter, r->holidays);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (m->holidays, key))
      g_hash_table_insert (m->holidays, g_strdup (key), g_strdup (value));
  g_hash_table_iter_init (&iter, r->workdays);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (m->workdays, g_strdup (key), g_strdup (""));

  /* One cap per window length: the smaller count wins. */
  for (guint i = 0; i < r->caps->len; i++) {
    const TbPolicyCap *c = &g_array_index (r->caps, TbPolicyCap, i);
    gboolean found = FALSE;

    for (guint j = 0; j < m->caps->len; j++) {
      TbPolicyCap *mc = &g_array_index (m->caps, TbPolicyCap, j);

      if (mc->window_us != c->window_us)
        continue;
      found = TRUE;
      if (c->count < mc->count) {
        cap_clear (mc);
        *mc = (TbPolicyCap) { c->count, c->window_us, g_strdup (c->pack), g_strdup (c->source),
                              c->verified };
      }
    }
    if (!found) {
      TbPolicyCap copy = { c->count, c->window_us, g_strdup (c->pack), g_strdup (c->source),
                           c->verified };
      g_array_append_val (m->caps, copy);
    }
  }

  if (r->min_gap_us > m->min_gap_us) {
    m->min_gap_us = r->min_gap_us;
    g_free (m->min_gap_source);
    m->min_gap_source = g_strdup (r->min_gap_source);
  }

  strv = strv_union ((const char * const *) m->required_scopes,
                     (const char * const *) r->required_scopes);
  g_strfreev (m->required_scopes);
  m->required_scopes = strv;
  if (r->consent_source != NULL && r->required_scopes[0] != NULL) {
    tmp = join_sources (m->consent_source, r->consent_source);
    g_free (m->consent_source);
    m->consent_source = tmp;
  }

  for (guint i = 0; i < r->registries->len; i++) {
    const TbPolicyRegistry *g = &g_array_index (r->registries, TbPolicyRegistry, i);
    gboolean found = FALSE;

    for (guint j = 0; j < m->registries->len; j++) {
      TbPolicyRegistry *mg = &g_array_index (m->registries, TbPolicyRegistry, j);

      if (g_str_equal (mg->name, g->name)) {
        found = TRUE;
        mg->max_age_days = MIN (mg->max_age_days, g->max_age_days);
      }
    }
    if (!found) {
      TbPolicyRegistry copy = { g_strdup (g->name), g->max_age_days, g_strdup (g->pack),
                                g_strdup (g->source) };
      g_array_append_val (m->registries, copy);
    }
  }

  m->dnc_expires = m->dnc_expires && r->dnc_expires;
  m->dnc_quiet_period_days = MAX (m->dnc_quiet_period_days, r->dnc_quiet_period_days);
  if (r->dnc_opt_out_max_days >= 0)
    m->dnc_opt_out_max_days = m->dnc_opt_out_max_days < 0
      ? r->dnc_opt_out_max_days : MIN (m->dnc_opt_out_max_days, r->dnc_opt_out_max_days);
  m->dnc_keep_years = MAX (m->dnc_keep_years, r->dnc_keep_years);

  if (r->has_abandonment) {
    if (!m->has_abandonment || r->abandon_max_rate < m->abandon_max_rate ||
        (r->abandon_max_rate == m->abandon_max_rate &&
         r->abandon_window_us < m->abandon_window_us)) {
      m->abandon_max_rate = r->abandon_max_rate;
      m->abandon_window_us = r->abandon_window_us;
      g_free (m->abandon_source);
      m->abandon_source = g_strdup (r->abandon_source);
    }
    m->abandon_max_silence_ms = m->has_abandonment
      ? MIN (m->abandon_max_silence_ms, r->abandon_max_silence_ms) : r->abandon_max_silence_ms;
    m->abandon_throttle_at = m->has_abandonment
      ? MIN (m->abandon_throttle_at, r->abandon_throttle_at) : r->abandon_throttle_at;
    m->ring_min_seconds = MAX (m->ring_min_seconds, r->ring_min_seconds);
    m->redial_after_abandon_us = MAX (m->redial_after_abandon_us, r->redial_after_abandon_us);
    m->has_abandonment = TRUE;
  }

  strv = strv_union ((const char * const *) m->disclosures,
                     (const char * const *) r->disclosures);
  g_strfreev (m->disclosures);
  m->disclosures = strv;

  m->recording_min_days = MAX (m->recording_min_days, r->recording_min_days);
  m->consent_evidence_min_days = MAX (m->consent_evidence_min_days,
                                      r->consent_evidence_min_days);
}

/**
 * tb_policy_rules_merge:
 * @rules: (array length=n_rules): resolved rules of several packs
 * @n_rules: how many
 *
 * Returns: (transfer full): the strictest combination; the CN-only "ask the
 *   reason once" stays allowed only if every pack allows it
 */
TbPolicyRules *
tb_policy_rules_merge (TbPolicyRules * const *rules,
                       guint                  n_rules)
{
  g_autoptr(GString) code = g_string_new (NULL);
  TbPolicyRules *m;

  for (guint i = 0; i < n_rules; i++)
    g_string_append_printf (code, "%s%s", i ? "+" : "", rules[i]->code);
  m = tb_policy_rules_new (code->str);
  m->dnc_expires = n_rules > 0;
  m->ask_reason_allowed = n_rules > 0;
  m->confirm_opt_out_allowed = TRUE;
  for (guint i = 0; i < n_rules; i++) {
    merge_into (m, rules[i]);
    m->ask_reason_allowed = m->ask_reason_allowed && rules[i]->ask_reason_allowed;
    /* The strictest wins: one pack that forbids the question forbids it. */
    m->confirm_opt_out_allowed = m->confirm_opt_out_allowed && rules[i]->confirm_opt_out_allowed;
    /* One pack that fixes a callee's caller number fixes it; the message names the first. */
    if (rules[i]->fixed_caller_id && !m->fixed_caller_id) {
      m->fixed_caller_id = TRUE;
      m->fixed_caller_id_pack = g_strdup (rules[i]->fixed_caller_id_pack);
      m->fixed_caller_id_source = g_strdup (rules[i]->fixed_caller_id_source);
    }
  }
  return m;
}

char *
tb_policy_rules_format_day (const TbPolicyRules *rules,
                            int                  day)
{
  GString *s = g_string_new (NULL);
  const GArray *a;

  g_return_val_if_fail (day >= 0 && day < 7, NULL);

  if (!rules->has_window)
    return g_string_free (g_string_append (s, "00:00–24:00"), FALSE);
  a = rules->days[day];
  if (a->len == 0)
    g_string_append (s, "closed");
  for (guint i = 0; i < a->len; i++) {
    const TbPolicyInterval *iv = &g_array_index (a, TbPolicyInterval, i);

    g_string_append_printf (s, "%s%02d:%02d–%02d:%02d", i ? ", " : "",
                            iv->start / 60, iv->start % 60, iv->end / 60, iv->end % 60);
  }
  return g_string_free (s, FALSE);
}

/* R3: the calling window in the callee's local time. */

static const char * const day_names[7] = {
  NC_("compliance", "Monday"), NC_("compliance", "Tuesday"), NC_("compliance", "Wednesday"),
  NC_("compliance", "Thursday"), NC_("compliance", "Friday"), NC_("compliance", "Saturday"),
  NC_("compliance", "Sunday")
};

static GDateTime *
local_time (GTimeZone *tz,
            gint64     t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);

  return g_date_time_to_timezone (utc, tz);
}

/* The day's windows, or NULL on a holiday (@holiday set). */
static const GArray *
windows_on (const TbPolicyRules  *r,
            GDateTime            *day,
            const char          **holiday,
            int                  *day_index)
{
  g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
  int idx = g_date_time_get_day_of_week (day) - 1;

  *holiday = g_hash_table_lookup (r->holidays, date);
  if (*holiday != NULL)
    return NULL;
  if (g_hash_table_contains (r->workdays, date))
    idx = 0;
  *day_index = idx;
  return r->days[idx];
}

/* µs of @minute past local midnight on @day's date in @tz, read on the wall clock: on the
 * days clocks change, 08:00 is not midnight + 480 minutes (adding minutes made "08:00" 07:00
 * in November, and the next opening "now" for an hour, so the dialer spun). 24:00 is the
 * next midnight; a time the change skips is moved past the gap by GLib. */
static gint64
wall_clock (GTimeZone *tz,
            GDateTime *day,
            int        minute)
{
  g_autoptr(GDateTime) next_day = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (minute >= 24 * 60) {
    next_day = g_date_time_add_days (day, 1);
    day = next_day;
    minute -= 24 * 60;
  }
  dt = g_date_time_new (tz, g_date_time_get_year (day), g_date_time_get_month (day),
                        g_date_time_get_day_of_month (day), minute / 60, minute % 60, 0);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

gboolean
tb_policy_rules_window_allows (const TbPolicyRules  *r,
                               GTimeZone            *tz,
                               const char           *tz_name,
                               gint64                t,
                               char                **why,
                               gint64               *next)
{
  g_autoptr(GDateTime) local = NULL;
  const GArray *w;
  const char *holiday = NULL;
  int idx = 0;
  int minute;

  if (!r->has_window && g_hash_table_size (r->holidays) == 0)
    return TRUE;

  local = local_time (tz, t);
  minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  w = windows_on (r, local, &holiday, &idx);
  if (w != NULL) {
    if (!r->has_window)
      return TRUE;
    for (guint i = 0; i < w->len; i++) {
      const TbPolicyInterval *iv = &g_array_index (w, TbPolicyInterval, i);

      if (iv->start <= minute && minute < iv->end)
        return TRUE;
    }
  }

  if (why != NULL) {
    g_autofree char *now_text = g_date_time_format (local, "%H:%M");

    if (holiday != NULL) {
      g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
      *why = g_strdup_printf (_("R3 public holiday %s %s (%s; now %s %s)"), r->code, date, holiday,
                              now_text, tz_name);
    } else if (w->len == 0) {
      *why = g_strdup_printf (_("R3 calling window %s: no calls on %s (now %s %s)"), r->code,
                              g_dpgettext2 (NULL, "compliance", day_names[idx]), now_text, tz_name);
    } else {
      g_autofree char *win = tb_policy_rules_format_day (r, idx);
      *why = g_strdup_printf (_("R3 calling window %s %s (now %s %s)"), r->code, win, now_text,
                              tz_name);
    }
  }

  *next = 0;
  for (int d = 0; d < 60; d++) {
    g_autoptr(GDateTime) shifted = g_date_time_add_days (local, d);
    g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (shifted),
                                                     g_date_time_get_month (shifted),
                                                     g_date_time_get_day_of_month (shifted),
                                                     0, 0, 0);
    const GArray *dw = windows_on (r, midnight, &holiday, &idx);

    if (dw == NULL)
      continue;
    if (!r->has_window) {
      if (d > 0) {
        *next = g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
        return FALSE;
      }
      continue;
    }
    for (guint i = 0; i < dw->len; i++) {
      const TbPolicyInterval *iv = &g_array_index (dw, TbPolicyInterval, i);
      gint64 s = wall_clock (tz, midnight, iv->start);
      gint64 e = wall_clock (tz, midnight, iv->end);

      if (e > t) {
        *next = MAX (s, t);
        return FALSE;
      }
    }
  }
  return FALSE;
}
