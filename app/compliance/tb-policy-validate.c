/* tb-policy-validate.c — a pack's JSON checked before use; errors name the file and JSON path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-policy-validate"

#include "config.h"

#include <stdio.h>

#include "tb-policy-private.h"

static const char * const day_keys[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
static const char * const scopes[] = { "marketing", "ai_voice", "recording", NULL };
static const char * const disclosure_names[] = {
  "identity", "automated", "recording", "opt_out", "callback", NULL
};

static const char * const categories[] = {
  "window", "holidays", "caps", "min_gap", "consent", "dnc", "registries", "abandonment",
  "disclosures", "ask_reason_once", "opt_out_confirm", "retention", "caller_id",
};

static const char * const top_keys[] = {
  "telebot_policy", "code", "name", "country", "region", "note", NULL
};

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

gboolean
_tb_policy_parse_interval (const char       *s,
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

int
_tb_policy_compare_interval (gconstpointer a,
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
          !_tb_policy_parse_interval (json_node_get_string (e), &iv))
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
    for (GList *l = members; l; l = l->next) {
      JsonNode *name = json_object_get_member (json_node_get_object (n), l->data);

      if (!is_date (l->data))
        return fail (ctx, dpath, "\"%s\" is not a date (YYYY-MM-DD)", (const char *) l->data);
      if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
        return fail (ctx, dpath, "the holiday on %s needs a name (a string)",
                     (const char *) l->data);
    }
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
  } else if (g_str_equal (category, "ask_reason_once") ||
             g_str_equal (category, "opt_out_confirm")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "allowed", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           get_bool (ctx, rule, path, "allowed", &b);
  } else if (g_str_equal (category, "caller_id")) {
    static const char * const keys[] = {
      "effective_from", "effective_until", "source", "verified", "fixed_per_callee", NULL
    };
    return check_members (ctx, rule, path, keys) &&
           get_bool (ctx, rule, path, "fixed_per_callee", &b);
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

gboolean
_tb_policy_is_code (const char *s)
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

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (ctx, "$", "a policy pack must be a JSON object");
  o = json_node_get_object (root);

  for (guint i = 0; top_keys[i]; i++)
    g_ptr_array_add (allowed, (gpointer) top_keys[i]);
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    g_ptr_array_add (allowed, (gpointer) categories[i]);
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
  if (!_tb_policy_is_code (s))
    return fail (ctx, "$.code", "\"%s\" is not a pack code (A-Z, 0-9, -)", s);
  if (!get_string (ctx, o, "$", "name", TRUE, &s) ||
      !get_string (ctx, o, "$", "country", FALSE, &s) ||
      !get_string (ctx, o, "$", "region", FALSE, &s) ||
      !get_string (ctx, o, "$", "note", FALSE, &s))
    return FALSE;

  for (guint c = 0; c < G_N_ELEMENTS (categories); c++) {
    JsonNode *n = json_object_get_member (o, categories[c]);
    g_autofree char *path = g_strdup_printf ("$.%s", categories[c]);
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
      if (!validate_rule (ctx, categories[c], json_node_get_object (e), p))
        return FALSE;
    }
  }
  return TRUE;
}

gboolean
_tb_policy_validate (JsonNode    *root,
                     const char  *filename,
                     GError     **error)
{
  Ctx ctx = { filename, error };

  return validate (&ctx, root);
}
