/* tb-policy.c — policy packs: load, validate, resolve at a date, merge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-policy"

#include "config.h"

#include "tb-limits.h"
#include "tb-paths.h"
#include "tb-policy-private.h"

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

        if (_tb_policy_parse_interval (json_array_get_string_element (a, i), &iv))
          g_array_append_val (rules->days[d], iv);
      }
      g_array_sort (rules->days[d], _tb_policy_compare_interval);
    }
  }
  g_ptr_array_unref (in_force);

  /* Holidays are dated: next year's list counts before next year begins (on 31 December the
   * next opening must skip 1 January), so every list that has begun or will begin does. */
  in_force = rules_in_force (self, "holidays", TRUE, "9999-12-31");
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

  in_force = rules_in_force (self, "opt_out_confirm", FALSE, date);
  if (in_force->len > 0)
    rules->confirm_opt_out_allowed =
      json_object_get_boolean_member (g_ptr_array_index (in_force, 0), "allowed");
  g_ptr_array_unref (in_force);

  in_force = rules_in_force (self, "caller_id", FALSE, date);
  if (in_force->len > 0) {
    JsonObject *r = g_ptr_array_index (in_force, 0);

    rules->fixed_caller_id = json_object_get_boolean_member (r, "fixed_per_callee");
    if (rules->fixed_caller_id) {
      rules->fixed_caller_id_pack = g_strdup (self->code);
      rules->fixed_caller_id_source = g_strdup (json_object_get_string_member (r, "source"));
    }
  }
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
  JsonObject *o;

  g_return_val_if_fail (data != NULL, NULL);

  if (!tb_limits_parse_json (parser, data, length, filename, TB_LIMITS_POLICY_BYTES,
                             &local_error)) {
    g_set_error_literal (error, TB_POLICY_ERROR, TB_POLICY_ERROR_INVALID, local_error->message);
    return NULL;
  }
  if (!_tb_policy_validate (json_parser_get_root (parser), filename, error))
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

  if (!tb_limits_read_file (path, TB_LIMITS_POLICY_BYTES, &data, &length, &local_error)) {
    g_set_error_literal (error, TB_POLICY_ERROR,
                         g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)
                         ? TB_POLICY_ERROR_INVALID : TB_POLICY_ERROR_NOT_FOUND,
                         local_error->message);
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

  if (!_tb_policy_is_code (code)) {
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
    if (_tb_policy_is_code (code) &&
        !g_ptr_array_find_with_equal_func (codes, code, g_str_equal, NULL))
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

/**
 * tb_policy_dup_disclosures_for_codes:
 * @codes: pack codes, comma-separated (a campaign's "policies")
 * @error: return location for a #GError
 *
 * For `script check`: the union of the disclosures the packs require now.
 *
 * Returns: (transfer full): the disclosures, or %NULL with @error set when a
 *   pack cannot be loaded
 */
GStrv
tb_policy_dup_disclosures_for_codes (const char  *codes,
                                     GError     **error)
{
  g_autoptr(GPtrArray) packs = tb_policy_load_list (codes, error);
  g_autoptr(TbPolicyRules) merged = NULL;

  if (packs == NULL)
    return NULL;
  merged = tb_policy_merge ((TbPolicy * const *) packs->pdata, packs->len, g_get_real_time ());
  return g_strdupv (merged->disclosures);
}

guint
tb_policy_count_rules (TbPolicy *self,
                       guint    *n_unverified)
{
  JsonObject *o;
  g_autoptr(GList) members = NULL;
  guint n = 0, unverified = 0;

  g_return_val_if_fail (TB_IS_POLICY (self), 0);

  o = json_node_get_object (self->root);
  members = json_object_get_members (o);
  for (GList *l = members; l; l = l->next) {
    JsonNode *node = json_object_get_member (o, l->data);
    JsonArray *a;

    if (!JSON_NODE_HOLDS_ARRAY (node))
      continue;
    a = json_node_get_array (node);
    for (guint i = 0; i < json_array_get_length (a); i++) {
      n++;
      if (!json_object_get_boolean_member (json_array_get_object_element (a, i), "verified"))
        unverified++;
    }
  }
  if (n_unverified)
    *n_unverified = unverified;
  return n;
}
