/* tb-policy.c — policy packs: load, validate, resolve at a date, merge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-policy"

#include "config.h"

#include "tb-paths.h"
#include "tb-policy.h"

#include <stdio.h>

struct _TbPolicy
{
  GObject   parent_instance;

  /* owned */
  char     *code;
  char     *name;
  char     *country;
  char     *path;
  JsonNode *root;
};

G_DEFINE_FINAL_TYPE (TbPolicy, tb_policy, G_TYPE_OBJECT)

G_DEFINE_QUARK (tb-policy-error-quark, tb_policy_error)

static const char * const day_keys[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
static const char * const scopes[] = { "marketing", "ai_voice", "recording", NULL };
static const char * const disclosure_names[] = {
  "identity", "automated", "recording", "opt_out", "callback", NULL
};

/* The rule categories a pack may have, and whether several entries apply at
 * once (lists) or the newest in force supersedes the older (single). */
typedef struct {
  const char *name;
  gboolean    list;
} Category;

static const Category categories[] = {
  { "window", FALSE }, { "holidays", TRUE }, { "caps", TRUE }, { "min_gap", FALSE },
  { "consent", FALSE }, { "dnc", FALSE }, { "registries", TRUE }, { "abandonment", FALSE },
  { "disclosures", FALSE }, { "ask_reason_once", FALSE }, { "retention", FALSE },
};

static const char * const top_keys[] = {
  "telebot_policy", "code", "name", "country", "region", "note", NULL
};

/* ---- TbPolicyRules ---------------------------------------------------- */

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
  for (guint i = 0; i < n_rules; i++) {
    merge_into (m, rules[i]);
    m->ask_reason_allowed = m->ask_reason_allowed && rules[i]->ask_reason_allowed;
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

/* ---- validation ------------------------------------------------------- */

typedef struct {
  const char *file;
  GError    **error;
} Ctx;

static gboolean G_GNUC_PRINTF (3, 4)
fail (Ctx        *ctx,
      const char *path,
      const char *format,
      ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (ctx->error, TB_POLICY_ERROR, TB_POLICY_ERROR_INVALID, "%s: %s: %s",
               ctx->file, path, msg);
  return FALSE;
}

static gboolean
is_date (const char *s)
{
  int y, m, d;
  char tail;

  if (s == NULL || strlen (s) != 10 || sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy (d, m, y);
}

static gboolean
parse_hhmm (const char *s,
            int        *minutes)
{
  int h, m;

  if (strlen (s) != 5 || s[2] != ':' || !g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]) ||
      !g_ascii_isdigit (s[3]) || !g_ascii_isdigit (s[4]))
    return FALSE;
  h = (s[0] - '0') * 10 + (s[1] - '0');
  m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0))
    return FALSE;
  *minutes = h * 60 + m;
  return TRUE;
}

static gboolean
parse_interval (const char       *s,
                TbPolicyInterval *out)
{
  g_autofree char *a = NULL;
  const char *dash = strchr (s, '-');

  if (dash == NULL)
    return FALSE;
  a = g_strndup (s, dash - s);
  return parse_hhmm (a, &out->start) && parse_hhmm (dash + 1, &out->end) &&
         out->start < out->end;
}

static int
compare_interval (gconstpointer a,
                  gconstpointer b)
{
  return ((const TbPolicyInterval *) a)->start - ((const TbPolicyInterval *) b)->start;
}

static gboolean
get_int (Ctx        *ctx,
         JsonObject *o,
         const char *path,
         const char *member,
         gboolean    required,
         gint64      min,
         gint64     *out)
{
  JsonNode *n = json_object_get_member (o, member);

  if (n == NULL) {
    if (required)
      return fail (ctx, path, "missing \"%s\"", member);
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return fail (ctx, path, "\"%s\" must be an integer", member);
  *out = json_node_get_int (n);
  if (*out < min)
    return fail (ctx, path, "\"%s\" must be at least %" G_GINT64_FORMAT, member, min);
  return TRUE;
}

static gboolean
get_fraction (Ctx        *ctx,
              JsonObject *o,
              const char *path,
              const char *member,
              double     *out)
{
  JsonNode *n = json_object_get_member (o, member);

  if (n == NULL)
    return fail (ctx, path, "missing \"%s\"", member);
  if (!JSON_NODE_HOLDS_VALUE (n) ||
      (json_node_get_value_type (n) != G_TYPE_DOUBLE &&
       json_node_get_value_type (n) != G_TYPE_INT64))
    return fail (ctx, path, "\"%s\" must be a number", member);
  *out = json_node_get_double (n);
  if (*out < 0 || *out > 1)
    return fail (ctx, path, "\"%s\" must be between 0 and 1", member);
  return TRUE;
}

static gboolean
get_bool (Ctx        *ctx,
          JsonObject *o,
          const char *path,
          const char *member,
          gboolean   *out)
{
  JsonNode *n = json_object_get_member (o, member);

  if (n == NULL)
    return fail (ctx, path, "missing \"%s\"", member);
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return fail (ctx, path, "\"%s\" must be true or false", member);
  *out = json_node_get_boolean (n);
  return TRUE;
}

static gboolean
get_string (Ctx         *ctx,
            JsonObject  *o,
            const char  *path,
            const char  *member,
            gboolean     required,
            const char **out)
{
  JsonNode *n = json_object_get_member (o, member);

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n)) {
    if (required)
      return fail (ctx, path, "missing \"%s\"", member);
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return fail (ctx, path, "\"%s\" must be a string", member);
  *out = json_node_get_string (n);
  if (required && **out == '\0')
    return fail (ctx, path, "\"%s\" must not be empty", member);
  return TRUE;
}

static gboolean
check_members (Ctx                *ctx,
               JsonObject         *o,
               const char         *path,
               const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (o);

  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return fail (ctx, path, "unknown member \"%s\"", (const char *) l->data);
  return TRUE;
}

static gboolean
validate_strings_in (Ctx                *ctx,
                     JsonObject         *o,
                     const char         *path,
                     const char         *member,
                     const char * const *allowed)
{
  JsonNode *n = json_object_get_member (o, member);
  JsonArray *a;

  if (n == NULL)
    return fail (ctx, path, "missing \"%s\"", member);
  if (!JSON_NODE_HOLDS_ARRAY (n))
    return fail (ctx, path, "\"%s\" must be an array", member);
  a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++) {
    JsonNode *e = json_array_get_element (a, i);
    g_autofree char *p = g_strdup_printf ("%s.%s[%u]", path, member, i);

    if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
      return fail (ctx, p, "must be a string");
    if (allowed != NULL && !g_strv_contains (allowed, json_node_get_string (e))) {
      g_autofree char *list = g_strjoinv (", ", (char **) allowed);
      return fail (ctx, p, "\"%s\" is not one of %s", json_node_get_string (e), list);
    }
  }
  return TRUE;
}

static gboolean
validate_days (Ctx        *ctx,
               JsonObject *rule,
               const char *path,
               const char *member,
               gboolean    required)
{
  JsonNode *n = json_object_get_member (rule, member);
  g_autofree char *dpath = g_strdup_printf ("%s.%s", path, member);
  JsonObject *days;

  if (n == NULL)
    return required ? fail (ctx, path, "missing \"%s\"", member) : TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    return fail (ctx, dpath, "must be an object of mon..sun");
  days = json_node_get_object (n);
  if (!check_members (ctx, days, dpath, day_keys))
    return FALSE;
  for (int d = 0; d < 7; d++) {
    JsonNode *dn = json_object_get_member (days, day_keys[d]);
    g_autofree char *p = g_strdup_printf ("%s.%s", dpath, day_keys[d]);
    JsonArray *a;

    if (dn == NULL)
      continue;
    if (!JSON_NODE_HOLDS_ARRAY (dn))
      return fail (ctx, p, "must be an array of \"HH:MM-HH:MM\"");
    a = json_node_get_array (dn);
    for (guint i = 0; i < json_array_get_length (a); i++) {
      JsonNode *e = json_array_get_element (a, i);
      g_autofree char *ep = g_strdup_printf ("%s[%u]", p, i);
      TbPolicyInterval iv;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING ||
          !parse_interval (json_node_get_string (e), &iv))
        return fail (ctx, ep, "must be \"HH:MM-HH:MM\" with the start before the end");
    }
  }
  return TRUE;
}

static gboolean
validate_rule (Ctx        *ctx,
               const char *category,
               JsonObject *rule,
               const char *path)
{
  const char *s;
  gboolean b;
  gint64 i = 0;
  double f;

  if (!get_string (ctx, rule, path, "effective_from", TRUE, &s))
    return FALSE;
  if (!is_date (s))
    return fail (ctx, path, "effective_from \"%s\" is not a date (YYYY-MM-DD)", s);
  if (!get_string (ctx, rule, path, "effective_until", FALSE, &s))
    return FALSE;
  if (s != NULL && !is_date (s))
    return fail (ctx, path, "effective_until \"%s\" is not a date (YYYY-MM-DD)", s);
  if (!get_string (ctx, rule, path, "source", TRUE, &s) ||
      !get_bool (ctx, rule, path, "verified", &b))
    return FALSE;

  if (g_str_equal (category, "window")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "days", "hard_days", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           validate_days (ctx, rule, path, "days", TRUE) &&
           validate_days (ctx, rule, path, "hard_days", FALSE);
  } else if (g_str_equal (category, "holidays")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "dates", "workdays", NULL
    };
    JsonNode *n = json_object_get_member (rule, "dates");
    g_autofree char *dpath = g_strdup_printf ("%s.dates", path);
    g_autoptr(GList) members = NULL;

    if (!check_members (ctx, rule, path, keys))
      return FALSE;
    if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
      return fail (ctx, path, "\"dates\" must be an object of \"YYYY-MM-DD\": name");
    members = json_object_get_members (json_node_get_object (n));
    for (GList *l = members; l; l = l->next)
      if (!is_date (l->data))
        return fail (ctx, dpath, "\"%s\" is not a date (YYYY-MM-DD)", (const char *) l->data);
    if (json_object_has_member (rule, "workdays")) {
      JsonArray *a;

      if (!validate_strings_in (ctx, rule, path, "workdays", NULL))
        return FALSE;
      a = json_object_get_array_member (rule, "workdays");
      for (guint k = 0; k < json_array_get_length (a); k++)
        if (!is_date (json_array_get_string_element (a, k))) {
          g_autofree char *p = g_strdup_printf ("%s.workdays[%u]", path, k);
          return fail (ctx, p, "\"%s\" is not a date (YYYY-MM-DD)",
                       json_array_get_string_element (a, k));
        }
    }
    return TRUE;
  } else if (g_str_equal (category, "caps")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "count", "window_seconds", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           get_int (ctx, rule, path, "count", TRUE, 1, &i) &&
           get_int (ctx, rule, path, "window_seconds", TRUE, 1, &i);
  } else if (g_str_equal (category, "min_gap")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "seconds", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           get_int (ctx, rule, path, "seconds", TRUE, 0, &i);
  } else if (g_str_equal (category, "consent")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "required_scopes", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           validate_strings_in (ctx, rule, path, "required_scopes", scopes);
  } else if (g_str_equal (category, "dnc")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "expires",
      "quiet_period_days", "keep_years", "opt_out_max_days", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           get_bool (ctx, rule, path, "expires", &b) &&
           get_int (ctx, rule, path, "quiet_period_days", FALSE, 0, &i) &&
           get_int (ctx, rule, path, "keep_years", FALSE, 0, &i) &&
           get_int (ctx, rule, path, "opt_out_max_days", FALSE, 0, &i);
  } else if (g_str_equal (category, "registries")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "name", "max_age_days", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           get_string (ctx, rule, path, "name", TRUE, &s) &&
           get_int (ctx, rule, path, "max_age_days", TRUE, 1, &i);
  } else if (g_str_equal (category, "abandonment")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "max_rate", "window_seconds",
      "max_silence_ms", "ring_min_seconds", "throttle_at", "redial_block_seconds", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           get_fraction (ctx, rule, path, "max_rate", &f) &&
           get_fraction (ctx, rule, path, "throttle_at", &f) &&
           get_int (ctx, rule, path, "window_seconds", TRUE, 1, &i) &&
           get_int (ctx, rule, path, "max_silence_ms", TRUE, 0, &i) &&
           get_int (ctx, rule, path, "ring_min_seconds", FALSE, 0, &i) &&
           get_int (ctx, rule, path, "redial_block_seconds", FALSE, 0, &i);
  } else if (g_str_equal (category, "disclosures")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "required", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           validate_strings_in (ctx, rule, path, "required", disclosure_names);
  } else if (g_str_equal (category, "ask_reason_once")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "allowed", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           get_bool (ctx, rule, path, "allowed", &b);
  } else if (g_str_equal (category, "retention")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "recording_min_days",
      "consent_evidence_min_days", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           get_int (ctx, rule, path, "recording_min_days", TRUE, 0, &i) &&
           get_int (ctx, rule, path, "consent_evidence_min_days", TRUE, 0, &i);
  }
  g_assert_not_reached ();
}

static gboolean
is_code (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 16)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
validate (Ctx      *ctx,
          JsonNode *root)
{
  g_autoptr(GPtrArray) allowed = g_ptr_array_new ();
  JsonObject *o;
  const char *s;
  gint64 version = 0;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (ctx, "$", "a policy pack must be a JSON object");
  o = json_node_get_object (root);

  for (guint i = 0; top_keys[i]; i++)
    g_ptr_array_add (allowed, (gpointer) top_keys[i]);
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    g_ptr_array_add (allowed, (gpointer) categories[i].name);
  g_ptr_array_add (allowed, NULL);
  if (!check_members (ctx, o, "$", (const char * const *) allowed->pdata))
    return FALSE;

  if (!get_int (ctx, o, "$", "telebot_policy", TRUE, 1, &version))
    return FALSE;
  if (version != 1)
    return fail (ctx, "$.telebot_policy", "version %" G_GINT64_FORMAT " is not supported (1)",
                 version);
  if (!get_string (ctx, o, "$", "code", TRUE, &s))
    return FALSE;
  if (!is_code (s))
    return fail (ctx, "$.code", "\"%s\" is not a pack code (A-Z, 0-9, -)", s);
  if (!get_string (ctx, o, "$", "name", TRUE, &s) ||
      !get_string (ctx, o, "$", "country", FALSE, &s) ||
      !get_string (ctx, o, "$", "region", FALSE, &s) ||
      !get_string (ctx, o, "$", "note", FALSE, &s))
    return FALSE;

  for (guint c = 0; c < G_N_ELEMENTS (categories); c++) {
    JsonNode *n = json_object_get_member (o, categories[c].name);
    g_autofree char *path = g_strdup_printf ("$.%s", categories[c].name);
    JsonArray *a;

    if (n == NULL)
      continue;
    if (!JSON_NODE_HOLDS_ARRAY (n))
      return fail (ctx, path, "must be an array of dated rules");
    a = json_node_get_array (n);
    for (guint i = 0; i < json_array_get_length (a); i++) {
      JsonNode *e = json_array_get_element (a, i);
      g_autofree char *p = g_strdup_printf ("%s[%u]", path, i);

      if (!JSON_NODE_HOLDS_OBJECT (e))
        return fail (ctx, p, "must be an object");
      if (!validate_rule (ctx, categories[c].name, json_node_get_object (e), p))
        return FALSE;
    }
  }
  return TRUE;
}

/* ---- resolution ------------------------------------------------------- */

/* The entries of @category in force on @date: all of them for a list category,
 * else only the newest one. */
static GPtrArray *
rules_in_force (TbPolicy   *self,
                const char *category,
                gboolean    list,
                const char *date)
{
  JsonObject *o = json_node_get_object (self->root);
  GPtrArray *out = g_ptr_array_new ();
  JsonArray *a;
  JsonObject *best = NULL;

  if (!json_object_has_member (o, category))
    return out;
  a = json_object_get_array_member (o, category);
  for (guint i = 0; i < json_array_get_length (a); i++) {
    JsonObject *r = json_array_get_object_element (a, i);
    const char *from = json_object_get_string_member (r, "effective_from");
    const char *until = json_object_get_string_member_with_default (r, "effective_until", NULL);

    if (strcmp (from, date) > 0 || (until != NULL && strcmp (until, date) <= 0))
      continue;
    if (list)
      g_ptr_array_add (out, r);
    else if (best == NULL ||
             strcmp (from, json_object_get_string_member (best, "effective_from")) >= 0)
      best = r;
  }
  if (best != NULL)
    g_ptr_array_add (out, best);
  return out;
}

static GStrv
dup_string_array (JsonObject *o,
                  const char *member)
{
  JsonArray *a = json_object_get_array_member (o, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < json_array_get_length (a); i++)
    g_strv_builder_add (builder, json_array_get_string_element (a, i));
  return g_strv_builder_end (builder);
}

TbPolicyRules *
tb_policy_dup_rules (TbPolicy *self,
                     gint64    now)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *date = NULL;
  TbPolicyRules *rules;
  GPtrArray *in_force;

  g_return_val_if_fail (TB_IS_POLICY (self), NULL);

  dt = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  date = g_date_time_format (dt, "%Y-%m-%d");
  rules = tb_policy_rules_new (self->code);

  in_force = rules_in_force (self, "window", FALSE, date);
  if (in_force->len > 0) {
    JsonObject *r = g_ptr_array_index (in_force, 0);
    JsonObject *days = json_object_get_object_member (r, "days");

    rules->has_window = TRUE;
    rules->window_source = g_strdup (json_object_get_string_member (r, "source"));
    rules->window_verified = json_object_get_boolean_member (r, "verified");
    for (int d = 0; d < 7; d++) {
      JsonArray *a;

      if (!json_object_has_member (days, day_keys[d]))
        continue;
      a = json_object_get_array_member (days, day_keys[d]);
      for (guint i = 0; i < json_array_get_length (a); i++) {
        TbPolicyInterval iv;

        if (parse_interval (json_array_get_string_element (a, i), &iv))
          g_array_append_val (rules->days[d], iv);
      }
      g_array_sort (rules->days[d], compare_interval);
    }
  }
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "holidays", TRUE, date);
  for (guint i = 0; i < in_force->len; i++) {
    JsonObject *r = g_ptr_array_index (in_force, i);
    JsonObject *dates = json_object_get_object_member (r, "dates");
    g_autoptr(GList) members = json_object_get_members (dates);

    for (GList *l = members; l; l = l->next)
      g_hash_table_replace (rules->holidays, g_strdup (l->data),
                            g_strdup (json_object_get_string_member (dates, l->data)));
    if (json_object_has_member (r, "workdays")) {
      JsonArray *a = json_object_get_array_member (r, "workdays");

      for (guint k = 0; k < json_array_get_length (a); k++)
        g_hash_table_replace (rules->workdays, g_strdup (json_array_get_string_element (a, k)),
                              g_strdup (""));
    }
  }
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "caps", TRUE, date);
  for (guint i = 0; i < in_force->len; i++) {
    JsonObject *r = g_ptr_array_index (in_force, i);
    TbPolicyCap cap = {
      (int) json_object_get_int_member (r, "count"),
      json_object_get_int_member (r, "window_seconds") * G_USEC_PER_SEC,
      g_strdup (self->code),
      g_strdup (json_object_get_string_member (r, "source")),
      json_object_get_boolean_member (r, "verified"),
    };
    g_array_append_val (rules->caps, cap);
  }
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "min_gap", FALSE, date);
  if (in_force->len > 0) {
    JsonObject *r = g_ptr_array_index (in_force, 0);

    rules->min_gap_us = json_object_get_int_member (r, "seconds") * G_USEC_PER_SEC;
    rules->min_gap_source = g_strdup (json_object_get_string_member (r, "source"));
  }
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "consent", FALSE, date);
  if (in_force->len > 0) {
    JsonObject *r = g_ptr_array_index (in_force, 0);

    g_strfreev (rules->required_scopes);
    rules->required_scopes = dup_string_array (r, "required_scopes");
    rules->consent_source = g_strdup (json_object_get_string_member (r, "source"));
  }
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "registries", TRUE, date);
  for (guint i = 0; i < in_force->len; i++) {
    JsonObject *r = g_ptr_array_index (in_force, i);
    TbPolicyRegistry reg = {
      g_strdup (json_object_get_string_member (r, "name")),
      (int) json_object_get_int_member (r, "max_age_days"),
      g_strdup (self->code),
      g_strdup (json_object_get_string_member (r, "source")),
    };
    g_array_append_val (rules->registries, reg);
  }
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "dnc", FALSE, date);
  if (in_force->len > 0) {
    JsonObject *r = g_ptr_array_index (in_force, 0);

    rules->dnc_expires = json_object_get_boolean_member (r, "expires");
    rules->dnc_quiet_period_days =
      json_object_get_int_member_with_default (r, "quiet_period_days", 0);
    rules->dnc_keep_years = json_object_get_int_member_with_default (r, "keep_years", 0);
    rules->dnc_opt_out_max_days =
      json_object_get_int_member_with_default (r, "opt_out_max_days", -1);
  }
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "abandonment", FALSE, date);
  if (in_force->len > 0) {
    JsonObject *r = g_ptr_array_index (in_force, 0);

    rules->has_abandonment = TRUE;
    rules->abandon_max_rate = json_object_get_double_member (r, "max_rate");
    rules->abandon_throttle_at = json_object_get_double_member (r, "throttle_at");
    rules->abandon_window_us = json_object_get_int_member (r, "window_seconds") * G_USEC_PER_SEC;
    rules->abandon_max_silence_ms = json_object_get_int_member (r, "max_silence_ms");
    rules->ring_min_seconds = json_object_get_int_member_with_default (r, "ring_min_seconds", 0);
    rules->redial_after_abandon_us =
      json_object_get_int_member_with_default (r, "redial_block_seconds", 0) * G_USEC_PER_SEC;
    rules->abandon_source = g_strdup (json_object_get_string_member (r, "source"));
  }
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "disclosures", FALSE, date);
  if (in_force->len > 0) {
    g_strfreev (rules->disclosures);
    rules->disclosures = dup_string_array (g_ptr_array_index (in_force, 0), "required");
  }
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "ask_reason_once", FALSE, date);
  if (in_force->len > 0)
    rules->ask_reason_allowed =
      json_object_get_boolean_member (g_ptr_array_index (in_force, 0), "allowed");
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "retention", FALSE, date);
  if (in_force->len > 0) {
    JsonObject *r = g_ptr_array_index (in_force, 0);

    rules->recording_min_days = json_object_get_int_member (r, "recording_min_days");
    rules->consent_evidence_min_days = json_object_get_int_member (r, "consent_evidence_min_days");
  }
  g_ptr_array_unref (in_force);

  return rules;
}

TbPolicyRules *
tb_policy_merge (TbPolicy * const *policies,
                 guint             n_policies,
                 gint64            now)
{
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tb_policy_rules_free);

  for (guint i = 0; i < n_policies; i++)
    g_ptr_array_add (resolved, tb_policy_dup_rules (policies[i], now));
  return tb_policy_rules_merge ((TbPolicyRules * const *) resolved->pdata, resolved->len);
}

/* ---- the object ------------------------------------------------------- */

static void
tb_policy_finalize (GObject *object)
{
  TbPolicy *self = (TbPolicy *) object;

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->country, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->root, json_node_unref);

  G_OBJECT_CLASS (tb_policy_parent_class)->finalize (object);
}

static void
tb_policy_class_init (TbPolicyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_policy_finalize;
}

static void
tb_policy_init (TbPolicy *self)
{
}

/**
 * tb_policy_new_from_data:
 * @data: the pack's JSON
 * @length: its length, or -1 if nul-terminated
 * @filename: the name to put in error messages
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the validated pack, or %NULL with @error naming
 *   @filename and the JSON path of the first problem
 */
TbPolicy *
tb_policy_new_from_data (const char  *data,
                         gssize       length,
                         const char  *filename,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TbPolicy) self = NULL;
  Ctx ctx = { filename, error };
  JsonObject *o;

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error)) {
    g_set_error (error, TB_POLICY_ERROR, TB_POLICY_ERROR_INVALID, "%s: %s", filename,
                 local_error->message);
    return NULL;
  }
  if (!validate (&ctx, json_parser_get_root (parser)))
    return NULL;

  self = g_object_new (TB_TYPE_POLICY, NULL);
  self->root = json_node_copy (json_parser_get_root (parser));
  o = json_node_get_object (self->root);
  self->code = g_strdup (json_object_get_string_member (o, "code"));
  self->name = g_strdup (json_object_get_string_member (o, "name"));
  self->country = g_strdup (json_object_get_string_member_with_default (o, "country", NULL));
  self->path = g_strdup (filename);
  return g_steal_pointer (&self);
}

TbPolicy *
tb_policy_new_from_file (const char  *path,
                         GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  TbPolicy *self;

  if (!g_file_get_contents (path, &data, &length, &local_error)) {
    g_set_error (error, TB_POLICY_ERROR, TB_POLICY_ERROR_NOT_FOUND, "%s", local_error->message);
    return NULL;
  }
  self = tb_policy_new_from_data (data, length, path, error);
  if (self == NULL)
    return NULL;

  base = g_path_get_basename (path);
  if (g_str_has_suffix (base, ".json")) {
    base[strlen (base) - 5] = '\0';
    if (!g_str_equal (base, self->code)) {
      g_set_error (error, TB_POLICY_ERROR, TB_POLICY_ERROR_INVALID,
                   "%s: $.code: \"%s\" does not match the file name", path, self->code);
      g_object_unref (self);
      return NULL;
    }
  }
  return self;
}

static char *
user_policy_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "telebot", "policies", NULL);
}

TbPolicy *
tb_policy_load (const char  *code,
                GError     **error)
{
  g_autofree char *user_dir = user_policy_dir ();
  g_autofree char *file = NULL;
  g_autofree char *user_path = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (code != NULL, NULL);

  if (!is_code (code)) {
    g_set_error (error, TB_POLICY_ERROR, TB_POLICY_ERROR_NOT_FOUND,
                 "\"%s\" is not a policy pack code", code);
    return NULL;
  }
  file = g_strconcat (code, ".json", NULL);
  user_path = g_build_filename (user_dir, file, NULL);
  if (g_file_test (user_path, G_FILE_TEST_EXISTS))
    return tb_policy_new_from_file (user_path, error);
  path = tb_paths_build_data ("policies", file, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_set_error (error, TB_POLICY_ERROR, TB_POLICY_ERROR_NOT_FOUND,
                 "no policy pack \"%s\" (looked for %s and %s)", code, user_path, path);
    return NULL;
  }
  return tb_policy_new_from_file (path, error);
}

GPtrArray *
tb_policy_load_list (const char  *codes,
                     GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) parts = g_strsplit_set (codes ? codes : "", ",+ ", -1);
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  for (guint i = 0; parts[i]; i++) {
    TbPolicy *p;

    if (*parts[i] == '\0' ||
        g_ptr_array_find_with_equal_func (seen, parts[i], g_str_equal, NULL))
      continue;
    if ((p = tb_policy_load (parts[i], error)) == NULL)
      return NULL;
    g_ptr_array_add (seen, parts[i]);
    g_ptr_array_add (out, p);
  }
  return g_steal_pointer (&out);
}

static void
add_codes_in (GPtrArray  *codes,
              const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *code = NULL;

    if (!g_str_has_suffix (name, ".json"))
      continue;
    code = g_strndup (name, strlen (name) - 5);
    if (is_code (code) && !g_ptr_array_find_with_equal_func (codes, code, g_str_equal, NULL))
      g_ptr_array_add (codes, g_steal_pointer (&code));
  }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
tb_policy_dup_available_codes (void)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *user_dir = user_policy_dir ();
  g_autofree char *dir = tb_paths_build_data ("policies", NULL);

  add_codes_in (codes, user_dir);
  add_codes_in (codes, dir);
  g_ptr_array_sort (codes, compare_strings);
  g_ptr_array_add (codes, NULL);
  return (GStrv) g_ptr_array_steal (codes, NULL);
}

const char *
tb_policy_get_code (TbPolicy *self)
{
  g_return_val_if_fail (TB_IS_POLICY (self), NULL);
  return self->code;
}

const char *
tb_policy_get_name (TbPolicy *self)
{
  g_return_val_if_fail (TB_IS_POLICY (self), NULL);
  return self->name;
}

const char *
tb_policy_get_country (TbPolicy *self)
{
  g_return_val_if_fail (TB_IS_POLICY (self), NULL);
  return self->country;
}

const char *
tb_policy_get_path (TbPolicy *self)
{
  g_return_val_if_fail (TB_IS_POLICY (self), NULL);
  return self->path;
}

JsonNode *
tb_policy_get_document (TbPolicy *self)
{
  g_return_val_if_fail (TB_IS_POLICY (self), NULL);
  return self->root;
}

GStrv
tb_policy_get_required_disclosures (TbPolicy *self)
{
  g_autoptr(TbPolicyRules) rules = NULL;

  g_return_val_if_fail (TB_IS_POLICY (self), NULL);

  rules = tb_policy_dup_rules (self, g_get_real_time ());
  return g_strdupv (rules->disclosures);
}
