/* test-compliance.c — policy packs, jurisdiction, the dial gate, audit, retention
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gate takes `now` as a parameter: every test pins its clock.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tb-audit.h"
#include "tb-campaign-preflight.h"
#include "tb-consent.h"
#include "tb-dial-gate.h"
#include "tb-dnc.h"
#include "tb-jurisdiction.h"
#include "tb-opt-out.h"
#include "tb-policy.h"
#include "tb-retention.h"
#include "tb-store.h"
#include "tb-store-audit.h"
#include "tb-store-compliance.h"
#include "tb-store-config.h"
#include "tb-store-contacts.h"
#include "tb-store-consent.h"
#include "tb-store-dnc.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
#define HOUR_US (60 * MIN_US)
#define DAY_US (24 * HOUR_US)

typedef struct {
  char       *dir;
  TbStore    *store;
  TbDialGate *gate;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("telebot-compliance-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "telebot.db", NULL);
  f->store = tb_store_open (path, &error);
  g_assert_no_error (error);
  f->gate = tb_dial_gate_new (f->store);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *p = g_build_filename (path, name, NULL);

    if (g_file_test (p, G_FILE_TEST_IS_DIR))
      remove_tree (p);
    else
      g_unlink (p);
  }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->gate);
  g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->dir);
}

/* µs of a wall-clock time in @tz. */
static gint64
at_local (const char *tz,
          int         y,
          int         mo,
          int         d,
          int         h,
          int         mi)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (tz);
  g_autoptr(GDateTime) dt = NULL;

  g_assert_nonnull (zone);
  dt = g_date_time_new (zone, y, mo, d, h, mi, 0);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static TbDialDecision *
check (Fixture    *f,
       const char *e164,
       const char *packs,
       gint64      campaign_id,
       gint64      now)
{
  g_autoptr(GError) error = NULL;
  TbDialCallee callee = { e164, NULL, NULL, NULL };
  TbDialDecision *d = tb_dial_gate_check (f->gate, &callee, packs, campaign_id, now,
                                          TB_DIAL_PURPOSE_DIAL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (d);
  g_test_message ("%s at %" G_GINT64_FORMAT ": %s", e164, now, d->message);
  return d;
}

static void
add_consent (Fixture    *f,
             const char *e164,
             const char *scope,
             gint64      at)
{
  g_autoptr(GError) error = NULL;
  TbConsentRecord rec = {
    .e164 = (char *) e164, .scope = (char *) scope, .source = (char *) "form",
    .evidence = (char *) "https://example.com/form#42", .collected_at = at,
    .collected_by = (char *) "test",
  };

  g_assert_cmpint (tb_consent_add (f->store, &rec, at, &error), >, 0);
  g_assert_no_error (error);
}

static gint64
add_attempt (Fixture    *f,
             gint64      campaign_id,
             const char *e164,
             gint64      at)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tb_store_compliance_add_attempt (f->store, campaign_id, 0, 0, e164, at, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
make_campaign (Fixture    *f,
               const char *name,
               const char *policies)
{
  g_autoptr(GError) error = NULL;
  gint64 list = tb_store_ensure_list (f->store, "test list", "test", &error);
  gint64 script, line, campaign;

  g_assert_no_error (error);
  script = tb_store_find_script (f->store, "s");
  if (script == 0)
    script = tb_store_save_script (f->store, "s", "en", "{}", &error);
  g_assert_no_error (error);
  line = tb_store_find_line (f->store, "sim");
  if (line == 0)
    line = tb_store_add_line (f->store, "sim", "sim", "{}", 1, &error);
  g_assert_no_error (error);
  campaign = tb_store_create_campaign (f->store, name, list, script, line, policies, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (campaign, >, 0);
  return campaign;
}

/* ---- policy packs ---------------------------------------------------- */

static void
test_policy_load_all (void)
{
  g_auto(GStrv) codes = tb_policy_dup_available_codes ();
  static const char * const needed[] = {
    "CN", "US", "US-FL", "US-OK", "US-MD", "UK", "DE", "FR", "DEFAULT"
  };

  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    g_assert_true (g_strv_contains ((const char * const *) codes, needed[i]));

  for (guint i = 0; codes[i]; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TbPolicy) policy = tb_policy_load (codes[i], &error);
    JsonObject *doc;
    g_autoptr(GList) members = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (tb_policy_get_code (policy), ==, codes[i]);
    /* Every rule carries effective_from, a source and verified. */
    doc = json_node_get_object (tb_policy_get_document (policy));
    members = json_object_get_members (doc);
    for (GList *l = members; l; l = l->next) {
      JsonNode *n = json_object_get_member (doc, l->data);

      if (!JSON_NODE_HOLDS_ARRAY (n))
        continue;
      for (guint k = 0; k < json_array_get_length (json_node_get_array (n)); k++) {
        JsonObject *r = json_array_get_object_element (json_node_get_array (n), k);

        g_assert_true (json_object_has_member (r, "effective_from"));
        g_assert_true (strlen (json_object_get_string_member (r, "source")) > 5);
        g_assert_true (json_object_has_member (r, "verified"));
      }
    }
  }
}

static void
test_policy_invalid (void)
{
  static const struct { const char *json; const char *expect; } cases[] = {
    { "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"caps\":[{\"effective_from\":"
      "\"2026-01-01\",\"source\":\"s\",\"verified\":true,\"count\":0,\"window_seconds\":60}]}",
      "bad.json: $.caps[0]: \"count\" must be at least 1" },
    { "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"window\":[{\"effective_from\":"
      "\"2026-01-01\",\"source\":\"s\",\"verified\":true,\"days\":{\"mon\":[\"08:00-20:00\","
      "\"21:00-9:00\"]}}]}",
      "bad.json: $.window[0].days.mon[1]: must be \"HH:MM-HH:MM\"" },
    { "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"consent\":[{\"effective_from\":"
      "\"2026-13-01\",\"source\":\"s\",\"verified\":true,\"required_scopes\":[]}]}",
      "bad.json: $.consent[0]: effective_from \"2026-13-01\" is not a date" },
    { "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"holidays\":[{\"effective_from\":"
      "\"2026-01-01\",\"verified\":true,\"dates\":{}}]}",
      "bad.json: $.holidays[0]: missing \"source\"" },
    { "", "bad.json: $: a policy pack must be a JSON object" },
    { "[1]", "bad.json: $: a policy pack must be a JSON object" },
    { "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"holidays\":[{\"effective_from\":"
      "\"2026-01-01\",\"source\":\"s\",\"verified\":true,\"dates\":{\"2026-01-01\":1}}]}",
      "bad.json: $.holidays[0].dates: the holiday on 2026-01-01 needs a name" },
    { "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"windw\":[]}",
      "bad.json: $: unknown member \"windw\"" },
    { "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"consent\":[{\"effective_from\":"
      "\"2026-01-01\",\"source\":\"s\",\"verified\":true,\"required_scopes\":[\"robot\"]}]}",
      "bad.json: $.consent[0].required_scopes[0]: \"robot\" is not one of" },
    /* A fixed caller ID per callee is true or false, nothing else, and said so. */
    { "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"caller_id\":[{\"effective_from\":"
      "\"2026-01-01\",\"source\":\"s\",\"verified\":false,\"fixed_per_callee\":\"yes\"}]}",
      "bad.json: $.caller_id[0]: \"fixed_per_callee\" must be true or false" },
    { "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"caller_id\":[{\"effective_from\":"
      "\"2026-01-01\",\"source\":\"s\",\"verified\":false}]}",
      "bad.json: $.caller_id[0]: missing \"fixed_per_callee\"" },
    { "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"caller_id\":{\"fixed_per_callee\":"
      "true}}",
      "bad.json: $.caller_id: must be an array of dated rules" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TbPolicy) policy = tb_policy_new_from_data (cases[i].json, -1, "bad.json", &error);

    g_assert_null (policy);
    g_assert_error (error, TB_POLICY_ERROR, TB_POLICY_ERROR_INVALID);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, cases[i].expect));
  }

  /* A pack nested 80,000 deep is refused before json-glib recurses into it (SIGSEGV). */
  {
    g_autoptr(GString) deep = g_string_new ("{\"telebot_policy\": 1, \"caps\": ");
    g_autoptr(GError) error = NULL;
    g_autoptr(TbPolicy) policy = NULL;

    for (guint i = 0; i < 80000; i++)
      g_string_append (deep, "[{\"a\":");
    g_string_append (deep, "1");
    for (guint i = 0; i < 80000; i++)
      g_string_append (deep, "}]");
    g_string_append_c (deep, '}');
    policy = tb_policy_new_from_data (deep->str, deep->len, "deep.json", &error);
    g_assert_null (policy);
    g_assert_error (error, TB_POLICY_ERROR, TB_POLICY_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "deep.json:1:218: nested deeper than 64 levels");
  }
}

/* A pack's caller_id rule: in force from its date, and one pack that fixes a callee's caller
 * number fixes it in a merge, named. */
static void
test_policy_fixed_caller_id (void)
{
  static const char *json =
    "{\"telebot_policy\":1,\"code\":\"XX\",\"name\":\"x\",\"caller_id\":[{\"effective_from\":"
    "\"2026-06-01\",\"source\":\"a rule\",\"verified\":false,\"fixed_per_callee\":true}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPolicy) xx = tb_policy_new_from_data (json, -1, "XX.json", &error);
  g_autoptr(GPtrArray) packs = tb_policy_load_list ("US", &error);
  g_autoptr(TbPolicyRules) before = NULL;
  g_autoptr(TbPolicyRules) after = NULL;
  g_autoptr(TbPolicyRules) merged = NULL;
  gint64 now = at_local ("UTC", 2026, 7, 1, 12, 0);

  g_assert_no_error (error);
  before = tb_policy_dup_rules (xx, at_local ("UTC", 2026, 5, 1, 12, 0));
  g_assert_false (before->fixed_caller_id);
  after = tb_policy_dup_rules (xx, now);
  g_assert_true (after->fixed_caller_id);
  g_assert_cmpstr (after->fixed_caller_id_pack, ==, "XX");
  g_assert_cmpstr (after->fixed_caller_id_source, ==, "a rule");
  g_ptr_array_add (packs, g_object_ref (xx));
  merged = tb_policy_merge ((TbPolicy * const *) packs->pdata, packs->len, now);
  g_assert_true (merged->fixed_caller_id);
  g_assert_cmpstr (merged->fixed_caller_id_pack, ==, "XX");
  /* US alone: no such rule. */
  g_ptr_array_set_size (packs, 1);
  g_clear_pointer (&merged, tb_policy_rules_free);
  merged = tb_policy_merge ((TbPolicy * const *) packs->pdata, packs->len, now);
  g_assert_false (merged->fixed_caller_id);
  g_assert_null (merged->fixed_caller_id_pack);
}

static void
test_policy_merge_us_fl (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) packs = tb_policy_load_list ("US,US-FL", &error);
  gint64 now = at_local ("UTC", 2026, 3, 10, 12, 0);
  g_autoptr(TbPolicyRules) us = NULL;
  g_autoptr(TbPolicyRules) m = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (packs->len, ==, 2);
  us = tb_policy_dup_rules (g_ptr_array_index (packs, 0), now);
  g_assert_cmpint (g_array_index (us->days[0], TbPolicyInterval, 0).end, ==, 21 * 60);
  g_assert_cmpuint (us->caps->len, ==, 0);

  m = tb_policy_merge ((TbPolicy * const *) packs->pdata, packs->len, now);
  g_assert_cmpstr (m->code, ==, "US+US-FL");
  for (int d = 0; d < 7; d++) {
    g_autofree char *text = tb_policy_rules_format_day (m, d);

    g_assert_cmpstr (text, ==, "08:00–20:00");
  }
  g_assert_cmpuint (m->caps->len, ==, 1);
  g_assert_cmpint (g_array_index (m->caps, TbPolicyCap, 0).count, ==, 3);
  g_assert_cmpint (g_array_index (m->caps, TbPolicyCap, 0).window_us, ==, DAY_US);
  /* US holidays and US consent survive the merge. */
  g_assert_true (g_hash_table_contains (m->holidays, "2026-07-04"));
  g_assert_true (g_strv_contains ((const char * const *) m->required_scopes, "ai_voice"));
}

static void
test_policy_merge_strictest (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) packs = tb_policy_load_list ("CN, FR, DEFAULT", &error);
  gint64 now = at_local ("UTC", 2026, 3, 10, 12, 0);
  g_autoptr(TbPolicyRules) m = NULL;
  g_autofree char *mon = NULL;
  g_autofree char *sat = NULL;
  gboolean saw_5min = FALSE, saw_day = FALSE, saw_30d = FALSE;

  g_assert_no_error (error);
  m = tb_policy_merge ((TbPolicy * const *) packs->pdata, packs->len, now);
  mon = tb_policy_rules_format_day (m, 0);
  sat = tb_policy_rules_format_day (m, 5);
  /* CN 09–21 ∩ FR 10–13,14–20 ∩ DEFAULT 09–20 */
  g_assert_cmpstr (mon, ==, "10:00–13:00, 14:00–20:00");
  g_assert_cmpstr (sat, ==, "closed");
  for (guint i = 0; i < m->caps->len; i++) {
    const TbPolicyCap *c = &g_array_index (m->caps, TbPolicyCap, i);

    if (c->window_us == 5 * MIN_US)
      saw_5min = c->count == 3;
    if (c->window_us == DAY_US)
      saw_day = c->count == 3;        /* min (CN 5, DEFAULT 3) */
    if (c->window_us == 30 * DAY_US)
      saw_30d = c->count == 4;
  }
  g_assert_true (saw_5min && saw_day && saw_30d);
  g_assert_true (g_hash_table_contains (m->holidays, "2026-07-14"));  /* FR */
  g_assert_true (g_hash_table_contains (m->holidays, "2026-10-01"));  /* CN */
  g_assert_cmpint (m->dnc_quiet_period_days, ==, 60);
  g_assert_false (m->ask_reason_allowed);
}

static void
test_policy_disclosures (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPolicy) cn = tb_policy_load ("CN", &error);
  g_auto(GStrv) d = NULL;

  g_assert_no_error (error);
  d = tb_policy_get_required_disclosures (cn);
  g_assert_true (g_strv_contains ((const char * const *) d, "identity"));
  g_assert_true (g_strv_contains ((const char * const *) d, "automated"));
  g_assert_true (g_strv_contains ((const char * const *) d, "opt_out"));
  g_assert_true (g_strv_contains ((const char * const *) d, "callback"));

  {
    g_auto(GStrv) us = tb_policy_dup_disclosures_for_codes ("US,US-FL", &error);
    g_auto(GStrv) bad = tb_policy_dup_disclosures_for_codes ("US,NOPE", &error);

    g_assert_null (bad);
    g_assert_error (error, TB_POLICY_ERROR, TB_POLICY_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "NOPE"));
    g_assert_true (g_strv_contains ((const char * const *) us, "opt_out"));
    g_assert_true (g_strv_contains ((const char * const *) us, "identity"));
  }
}

/* ---- jurisdiction ------------------------------------------------------ */

static void
test_jurisdiction (void)
{
  static const struct {
    const char *e164, *packs, *zones;
  } cases[] = {
    { "+8613812345678", "CN", "Asia/Shanghai" },
    { "+13055550123", "US,US-FL", "America/New_York" },
    { "+14055550123", "US,US-OK", "America/Chicago" },
    { "+14105550123", "US,US-MD", "America/New_York" },
    { "+12025550101", "US", "America/New_York" },
    { "+12135550123", "US", "America/Los_Angeles" },
    { "+18505550123", "US,US-FL", "America/New_York,America/Chicago" },
    { "+33612345678", "FR", "Europe/Paris" },
    { "+447700900123", "UK", "Europe/London" },
    { "+4915112345678", "DE", "Europe/Berlin" },
    { "+14165550123", "DEFAULT", "America/Toronto" },
    { "+2348012345678", "DEFAULT", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(TbJurisdiction) j = tb_jurisdiction_resolve (cases[i].e164, NULL, NULL, NULL);
    g_autofree char *packs = g_strjoinv (",", j->packs);
    g_autofree char *zones = g_strjoinv (",", j->timezones);

    g_test_message ("%s: %s", cases[i].e164, j->why);
    g_assert_cmpstr (packs, ==, cases[i].packs);
    g_assert_cmpstr (zones, ==, cases[i].zones);
  }

  {
    g_autofree char *tz = tb_jurisdiction_dup_timezone ("+13055550123");
    g_autofree char *none = tb_jurisdiction_dup_timezone ("+18505550123");
    /* The contact's own fields: a zone overrides, a state adds its pack. */
    g_autoptr(TbJurisdiction) j = tb_jurisdiction_resolve ("+12025550101", NULL,
                                                          "America/Chicago", "OK");
    g_autofree char *packs = g_strjoinv (",", j->packs);

    g_assert_cmpstr (tz, ==, "America/New_York");
    g_assert_null (none);
    g_assert_cmpstr (packs, ==, "US,US-OK");
    g_assert_cmpstr (j->timezones[0], ==, "America/Chicago");
    g_assert_null (j->timezones[1]);
  }
}

/* ---- the gate: windows ------------------------------------------------ */

static void
test_gate_cn_window (Fixture       *f,
                     gconstpointer  data)
{
  const char *n = "+8613812345678";
  g_autoptr(TbDialDecision) late = check (f, n, "CN", 0,
                                          at_local ("Asia/Shanghai", 2026, 3, 10, 21, 30));
  g_autoptr(TbDialDecision) ok = check (f, n, "CN", 0,
                                        at_local ("Asia/Shanghai", 2026, 3, 10, 10, 0));
  g_autoptr(TbDialDecision) holiday = check (f, n, "CN", 0,
                                             at_local ("Asia/Shanghai", 2026, 10, 1, 10, 0));

  g_assert_false (late->allowed);
  g_assert_cmpstr (late->rule, ==, "R3");
  g_assert_cmpstr (late->message, ==,
                   "R3 calling window CN 09:00–21:00 (now 21:30 Asia/Shanghai)");
  g_assert_cmpint (late->next_allowed, ==, at_local ("Asia/Shanghai", 2026, 3, 11, 9, 0));
  g_assert_cmpstr (late->timezone, ==, "Asia/Shanghai");
  g_assert_true (ok->allowed);
  g_assert_null (ok->rule);
  g_assert_false (holiday->allowed);
  g_assert_nonnull (strstr (holiday->message, "R3 public holiday CN 2026-10-01"));
  g_assert_cmpint (holiday->next_allowed, ==, at_local ("Asia/Shanghai", 2026, 10, 8, 9, 0));
}

static void
test_gate_us_fl_window (Fixture       *f,
                        gconstpointer  data)
{
  const char *n = "+13055550123";
  g_autoptr(TbDialDecision) late = NULL;
  g_autoptr(TbDialDecision) ok = NULL;

  add_consent (f, n, "ai_voice", at_local ("UTC", 2026, 1, 1, 0, 0));
  late = check (f, n, "US", 0, at_local ("America/New_York", 2026, 3, 10, 20, 30));
  ok = check (f, n, "US", 0, at_local ("America/New_York", 2026, 3, 10, 19, 30));

  g_assert_false (late->allowed);
  g_assert_cmpstr (late->message, ==,
                   "R3 calling window US-FL 08:00–20:00 (now 20:30 America/New_York)");
  g_assert_cmpint (late->next_allowed, ==, at_local ("America/New_York", 2026, 3, 11, 8, 0));
  g_assert_true (g_strv_contains ((const char * const *) late->packs, "US-FL"));
  g_assert_true (ok->allowed);
}

static void
test_gate_fr (Fixture       *f,
              gconstpointer  data)
{
  const char *n = "+33612345678";
  g_autoptr(TbDialDecision) saturday = NULL;
  g_autoptr(TbDialDecision) holiday = NULL;
  g_autoptr(TbDialDecision) weekday = NULL;
  g_autoptr(TbDialDecision) lunch = NULL;

  add_consent (f, n, "ai_voice", at_local ("UTC", 2026, 1, 1, 0, 0));
  saturday = check (f, n, NULL, 0, at_local ("Europe/Paris", 2026, 3, 14, 11, 0));
  holiday = check (f, n, NULL, 0, at_local ("Europe/Paris", 2026, 7, 14, 11, 0));
  weekday = check (f, n, NULL, 0, at_local ("Europe/Paris", 2026, 3, 10, 11, 0));
  lunch = check (f, n, NULL, 0, at_local ("Europe/Paris", 2026, 3, 10, 13, 30));

  g_assert_false (saturday->allowed);
  g_assert_cmpstr (saturday->message, ==,
                   "R3 calling window FR: no calls on Saturday (now 11:00 Europe/Paris)");
  g_assert_cmpint (saturday->next_allowed, ==, at_local ("Europe/Paris", 2026, 3, 16, 10, 0));
  g_assert_false (holiday->allowed);
  g_assert_true (g_str_has_prefix (holiday->message, "R3 public holiday FR 2026-07-14"));
  g_assert_true (weekday->allowed);
  g_assert_false (lunch->allowed);
  g_assert_cmpstr (lunch->message, ==, "R3 calling window FR 10:00–13:00, 14:00–20:00 "
                                       "(now 13:30 Europe/Paris)");
  g_assert_cmpint (lunch->next_allowed, ==, at_local ("Europe/Paris", 2026, 3, 10, 14, 0));
}

static void
test_gate_unknown_zone (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbDialCallee unknown = { "+2348012345678", NULL, NULL, NULL };
  TbDialCallee with_zone = { "+2348012345678", "NG", "Africa/Lagos", NULL };
  gint64 now = at_local ("Africa/Lagos", 2026, 3, 10, 11, 0);
  g_autoptr(TbDialDecision) a = NULL;
  g_autoptr(TbDialDecision) b = NULL;

  add_consent (f, unknown.e164, "ai_voice", now - DAY_US);
  a = tb_dial_gate_check (f->gate, &unknown, NULL, 0, now, TB_DIAL_PURPOSE_DIAL, &error);
  g_assert_no_error (error);
  b = tb_dial_gate_check (f->gate, &with_zone, NULL, 0, now, TB_DIAL_PURPOSE_DIAL, &error);
  g_assert_no_error (error);
  g_assert_false (a->allowed);
  g_assert_nonnull (strstr (a->message, "time zone of +2348012345678 is unknown"));
  g_assert_true (b->allowed);
  g_assert_cmpstr (b->packs[0], ==, "DEFAULT");
}

static void
test_gate_ambiguous_zone (Fixture       *f,
                          gconstpointer  data)
{
  /* Area code 850 spans Eastern and Central time: the window must hold in both. */
  const char *n = "+18505550123";
  g_autoptr(TbDialDecision) early = NULL;
  g_autoptr(TbDialDecision) ok = NULL;
  g_autoptr(TbDialDecision) late = NULL;

  add_consent (f, n, "ai_voice", at_local ("UTC", 2026, 1, 1, 0, 0));
  early = check (f, n, NULL, 0, at_local ("America/New_York", 2026, 3, 10, 8, 30));
  ok = check (f, n, NULL, 0, at_local ("America/New_York", 2026, 3, 10, 9, 30));
  late = check (f, n, NULL, 0, at_local ("America/Chicago", 2026, 3, 10, 19, 30));

  g_assert_false (early->allowed);
  g_assert_cmpstr (early->message, ==,
                   "R3 calling window US 08:00–21:00 (now 07:30 America/Chicago)");
  g_assert_cmpint (early->next_allowed, ==, at_local ("America/Chicago", 2026, 3, 10, 8, 0));
  g_assert_cmpuint (g_strv_length (early->timezones), ==, 2);
  g_assert_true (ok->allowed);
  g_assert_false (late->allowed);
  g_assert_cmpstr (late->message, ==,
                   "R3 calling window US-FL 08:00–20:00 (now 20:30 America/New_York)");
}

static void
test_gate_dnc_quiet_period (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  const char *fr = "+33612345678";
  const char *us = "+12025550101";
  gint64 listed = at_local ("UTC", 2026, 3, 1, 0, 0);
  g_autoptr(TbDialDecision) fr_quiet = NULL;
  g_autoptr(TbDialDecision) fr_after = NULL;
  g_autoptr(TbDialDecision) us_kept = NULL;

  add_consent (f, fr, "ai_voice", listed - DAY_US);
  add_consent (f, us, "ai_voice", listed - DAY_US);
  g_assert_true (tb_store_dnc_add (f->store, fr, "manual", "refused", NULL, 0, &error));
  g_assert_true (tb_store_dnc_add (f->store, us, "manual", "refused", NULL, 0, &error));
  /* The user set both entries to expire after a week. */
  sql = g_strdup_printf ("UPDATE dnc SET created_at = %" G_GINT64_FORMAT ", expires_at = %"
                         G_GINT64_FORMAT, listed, listed + 7 * DAY_US);
  g_assert_true (tb_store_exec (f->store, sql, &error));
  g_assert_no_error (error);

  /* France: no call for 60 days after a refusal, expiry or not. */
  fr_quiet = check (f, fr, NULL, 0, at_local ("Europe/Paris", 2026, 4, 14, 11, 0));
  g_assert_false (fr_quiet->allowed);
  g_assert_true (g_str_has_prefix (fr_quiet->message, "R1 do-not-call quiet period of 60 days"));
  fr_after = check (f, fr, NULL, 0, at_local ("Europe/Paris", 2026, 5, 5, 11, 0));
  g_assert_true (fr_after->allowed);
  /* The US keeps entries: the expiry does not apply. */
  us_kept = check (f, us, NULL, 0, at_local ("America/New_York", 2026, 5, 5, 11, 0));
  g_assert_false (us_kept->allowed);
  g_assert_cmpstr (us_kept->rule, ==, "R1");
}

static void
test_opt_out (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *n = "+8613812345678";
  gint64 campaign = make_campaign (f, "opt", "CN");
  gint64 other = make_campaign (f, "other", "CN");
  gint64 list = tb_store_find_list (f->store, "test list");
  TbContactRow row = { .e164 = n, .raw_phone = n, .name = "Li" };
  gint64 contact = tb_store_add_contact (f->store, list, &row, &error);
  gint64 now = at_local ("Asia/Shanghai", 2026, 3, 10, 10, 0);
  g_autofree char *sql = NULL;
  g_autoptr(TbDialDecision) before = NULL;
  g_autoptr(TbDialDecision) after = NULL;
  gint64 attempt;
  guint cancelled = 0;

  g_assert_no_error (error);
  sql = g_strdup_printf ("INSERT INTO queue (campaign_id, contact_id, state) VALUES "
                         "(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'active'), "
                         "(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'pending')",
                         campaign, contact, other, contact);
  g_assert_true (tb_store_exec (f->store, sql, &error));
  before = tb_dial_gate_check_contact (f->gate, campaign, contact, now, TB_DIAL_PURPOSE_DIAL,
                                       &error);
  g_assert_no_error (error);
  g_assert_true (before->allowed);
  attempt = add_attempt (f, campaign, n, now);

  g_assert_true (tb_opt_out_record (f->store, n, "speech", "不要再打了", attempt, campaign,
                                    now + MIN_US, &cancelled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cancelled, ==, 1);   /* the other campaign's pending retry */
  g_assert_true (tb_store_dnc_lookup (f->store, n, now, NULL));

  after = tb_dial_gate_check_contact (f->gate, other, contact, now + 10 * MIN_US,
                                      TB_DIAL_PURPOSE_SCHEDULE, &error);
  g_assert_no_error (error);
  g_assert_false (after->allowed);
  g_assert_cmpstr (after->rule, ==, "R1");
  g_assert_true (tb_audit_verify (f->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_preflight (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 campaign = make_campaign (f, "pre", "US");
  gint64 list = tb_store_find_list (f->store, "test list");
  gint64 now = at_local ("America/New_York", 2026, 3, 10, 11, 0);
  static const char * const numbers[] = {
    "+12025550101", "+12025550102", "+13055550123", "+8613812345678",
  };
  g_autoptr(TbPreflight) report = NULL;
  g_autoptr(GCancellable) cancel = NULL;
  gint64 audit_before;

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++) {
    TbContactRow row = { .e164 = numbers[i], .raw_phone = numbers[i] };

    g_assert_cmpint (tb_store_add_contact (f->store, list, &row, &error), >, 0);
  }
  add_consent (f, "+12025550101", "ai_voice", now - DAY_US);
  add_consent (f, "+13055550123", "ai_voice", now - DAY_US);
  /* The campaign's US pack applies to the CN callee too: it needs consent. */
  add_consent (f, "+8613812345678", "ai_voice", now - DAY_US);
  g_assert_true (tb_store_dnc_add (f->store, "+12025550102", "manual", NULL, NULL, 0, &error));
  audit_before = tb_store_count_rows (f->store, "audit");

  report = tb_dial_gate_preflight (f->gate, campaign, now, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->contacts, ==, 4);
  g_assert_cmpuint (report->allowed_now, ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (report->blocked, "R1")), ==, 1);
  /* 11:00 in New York is 23:00 in Beijing. */
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (report->blocked, "R3")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (report->packs, "US")), ==, 4);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (report->packs, "US-FL")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (report->packs, "CN")), ==, 1);
  /* A survey, not a dial decision: nothing audited. */
  g_assert_cmpint (tb_store_count_rows (f->store, "audit"), ==, audit_before);

  /* Before the campaign exists (the New Campaign dialog): the list and the packs give the
   * same survey; other packs give another one. */
  g_clear_pointer (&report, tb_preflight_free);
  report = tb_dial_gate_preflight_list (f->gate, list, "US", now, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->contacts, ==, 4);
  g_assert_cmpuint (report->allowed_now, ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (report->blocked, "R1")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (report->blocked, "R3")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (report->packs, "US")), ==, 4);
  g_clear_pointer (&report, tb_preflight_free);
  /* Without the campaign's US pack, the CN callee goes by CN's own pack only. */
  report = tb_dial_gate_preflight_list (f->gate, list, "DEFAULT", now, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->contacts, ==, 4);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (report->packs, "US")), ==, 3);
  g_clear_pointer (&report, tb_preflight_free);
  /* A list of no contacts: an empty survey, not an error. */
  report = tb_dial_gate_preflight_list (f->gate, list + 1000, "US", now, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->contacts, ==, 0);
  g_assert_cmpint (tb_store_count_rows (f->store, "audit"), ==, audit_before);
  g_clear_pointer (&report, tb_preflight_free);

  /* A cancelled survey stops at the next contact and says it was cancelled. */
  cancel = g_cancellable_new ();
  g_cancellable_cancel (cancel);
  report = tb_campaign_preflight_run (f->store, campaign, 0, NULL, now, cancel, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
}

/* ---- the gate: caps ---------------------------------------------------- */

static void
test_gate_cap_across_campaigns (Fixture       *f,
                                gconstpointer  data)
{
  const char *n = "+13055550123";
  gint64 a = make_campaign (f, "spring", "US-FL");
  gint64 b = make_campaign (f, "summer", "US");
  gint64 now = at_local ("America/New_York", 2026, 3, 10, 15, 0);
  g_autoptr(TbDialDecision) third = NULL;
  g_autoptr(TbDialDecision) fourth = NULL;
  g_autoptr(TbDialDecision) later = NULL;

  add_consent (f, n, "ai_voice", now - 30 * DAY_US);
  add_attempt (f, a, n, now - 30 * HOUR_US);     /* outside the 24 h */
  add_attempt (f, a, n, now - 20 * HOUR_US);
  add_attempt (f, b, n, now - 5 * HOUR_US);
  third = check (f, n, "US", b, now);
  g_assert_true (third->allowed);
  add_attempt (f, a, n, now - 1 * HOUR_US);

  fourth = check (f, n, "US", b, now);
  g_assert_false (fourth->allowed);
  g_assert_cmpstr (fourth->rule, ==, "R4");
  g_assert_true (g_str_has_prefix (fourth->message, "R4 cap US-FL 3 per 24 h"));
  /* Free again when the oldest of the three leaves the window (and in the window). */
  g_assert_cmpint (fourth->next_allowed, ==, now + 4 * HOUR_US);

  later = check (f, n, "US", b, fourth->next_allowed);
  g_assert_true (later->allowed);

  /* Scheduling a retry for 19:30 tonight: the cap frees at 19:00, so 19:30 stands;
   * for 21:00 the FL window moves it to 08:00 tomorrow. */
  {
    g_autoptr(GError) error = NULL;
    TbDialCallee callee = { n, NULL, NULL, NULL };
    gint64 evening = at_local ("America/New_York", 2026, 3, 10, 19, 30);
    gint64 night = at_local ("America/New_York", 2026, 3, 10, 21, 0);

    g_assert_cmpint (tb_dial_gate_next_slot (f->gate, &callee, "US", b, evening, NULL, &error),
                     ==, evening);
    g_assert_cmpint (tb_dial_gate_next_slot (f->gate, &callee, "US", b, night, NULL, &error),
                     ==, at_local ("America/New_York", 2026, 3, 11, 8, 0));
    g_assert_no_error (error);
  }
}

static void
test_gate_cn_six_dials (Fixture       *f,
                        gconstpointer  data)
{
  const char *n = "+8613812345678";
  gint64 start = at_local ("Asia/Shanghai", 2026, 3, 10, 10, 0);
  g_autoptr(GArray) made = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean saw_floor_gap = FALSE, saw_floor_day = FALSE;

  /* A dialer that tries every minute for two hours. CN allows 3 per 5 min and 5 per 24 h;
   * the product's floor under every pack (3 per 24 h, 10 min apart) is stricter, so it
   * wins. */
  for (int i = 0; i < 120; i++) {
    gint64 now = start + i * MIN_US;
    g_autoptr(TbDialDecision) d = check (f, n, "CN", 0, now);

    if (d->allowed) {
      add_attempt (f, 0, n, now);
      g_array_append_val (made, now);
    } else {
      g_assert_cmpstr (d->rule, ==, "R4");
      saw_floor_gap |= g_str_has_prefix (d->message, "R4 minimum gap Telebot 10 min");
      saw_floor_day |= g_str_has_prefix (d->message, "R4 cap Telebot 3 per 24 h");
      g_assert_cmpint (d->next_allowed, >, now);
    }
  }
  g_assert_cmpuint (made->len, ==, 3);
  g_assert_true (saw_floor_gap);
  g_assert_true (saw_floor_day);
  for (guint i = 0; i + 1 < made->len; i++)
    g_assert_cmpint (g_array_index (made, gint64, i + 1) - g_array_index (made, gint64, i),
                     ==, 10 * MIN_US);
}

/* Calling windows across every daylight-saving change of a year, in every zone the packs
 * name: a blocked time's next opening is later than it and opens, an allowed time is inside
 * the window on the wall clock, and no "next allowed" is ever "now". */
static void
test_gate_dst_year (Fixture       *f,
                    gconstpointer  data)
{
  static const struct {
    const char *zone;
    const char *packs;
    const char *e164;
  } cases[] = {
    { "America/New_York", "US", "+12025550101" },
    { "America/Chicago", "US", "+13125550101" },
    { "America/Denver", "US", "+13035550101" },
    { "America/Phoenix", "US", "+16025550101" },
    { "America/Los_Angeles", "US", "+12135550101" },
    { "America/Anchorage", "US", "+19075550101" },
    { "Pacific/Honolulu", "US", "+18085550101" },
    { "America/New_York", "US-FL", "+13055550101" },
    { "Europe/London", "UK", "+442079460101" },
    { "Europe/Paris", "FR", "+33140000101" },
    { "Europe/Berlin", "DE", "+493012340101" },
    { "Asia/Shanghai", "CN", "+8613812340101" },
    { "Europe/Paris", "DEFAULT", "+33140000102" },
  };
  guint checked = 0, transitions = 0;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++) {
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (cases[c].zone);
    gint64 year = at_local ("UTC", 2026, 1, 1, 0, 0);
    TbDialCallee callee = { cases[c].e164, NULL, cases[c].zone, NULL };
    g_autoptr(GArray) around = g_array_new (FALSE, FALSE, sizeof (gint64));

    for (const char *const *s = (const char *const[]) { "ai_voice", "marketing", NULL }; *s; s++)
      add_consent (f, cases[c].e164, *s, year - 30 * DAY_US);

    /* The transitions of 2026 (the UTC offset changes between two hours), and every
     * 10 minutes for a day and a half around each; plus every 5 h across the year. */
    for (gint64 t = year; t < year + 365 * DAY_US; t += HOUR_US) {
      g_autoptr(GDateTime) a = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);
      g_autoptr(GDateTime) b = g_date_time_new_from_unix_utc ((t + HOUR_US) / G_USEC_PER_SEC);
      g_autoptr(GDateTime) la = g_date_time_to_timezone (a, tz);
      g_autoptr(GDateTime) lb = g_date_time_to_timezone (b, tz);

      if (g_date_time_get_utc_offset (la) != g_date_time_get_utc_offset (lb)) {
        transitions++;
        for (gint64 u = t - 18 * HOUR_US; u < t + 18 * HOUR_US; u += 10 * MIN_US)
          g_array_append_val (around, u);
      }
      if ((t - year) % (5 * HOUR_US) == 0)
        g_array_append_val (around, t);
    }

    for (guint i = 0; i < around->len; i++) {
      gint64 now = g_array_index (around, gint64, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(TbDialDecision) d = tb_dial_gate_check (f->gate, &callee, cases[c].packs, 0, now,
                                                        TB_DIAL_PURPOSE_PREFLIGHT, &error);

      g_assert_no_error (error);
      checked++;
      if (d->allowed)
        continue;
      g_assert_cmpstr (d->rule, ==, "R3");
      if (d->next_allowed <= now)
        g_error ("%s %s at %" G_GINT64_FORMAT ": blocked (%s), next allowed %" G_GINT64_FORMAT
                 " is not later", cases[c].packs, cases[c].zone, now, d->message,
                 d->next_allowed);
      {
        g_autoptr(TbDialDecision) then = tb_dial_gate_check (f->gate, &callee, cases[c].packs, 0,
                                                             d->next_allowed,
                                                             TB_DIAL_PURPOSE_PREFLIGHT, &error);
        g_assert_no_error (error);
        if (!then->allowed)
          g_error ("%s %s: the next opening after %" G_GINT64_FORMAT " is blocked: %s",
                   cases[c].packs, cases[c].zone, now, then->message);
      }
    }
  }
  g_test_message ("%u checks around %u transitions", checked, transitions);
  g_assert_cmpuint (transitions, >=, 2 * 9);
}

/* A dialer that re-checks a blocked contact does not fill the log: the same block for the
 * same reason is audited once, until another decision is made about that contact. */
static void
test_gate_audit_block_once (Fixture       *f,
                            gconstpointer  data)
{
  const char *n = "+8613812345678";
  gint64 night = at_local ("Asia/Shanghai", 2026, 3, 10, 22, 0);
  gint64 rows_before = 0, rows_after = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  g_assert_true (tb_store_audit_get_last (f->store, &rows_before, &hash, &error));
  for (int i = 0; i < 50; i++) {
    g_autoptr(TbDialDecision) d = check (f, n, "CN", 0, night + i * MIN_US);

    g_assert_false (d->allowed);
    g_assert_cmpint (d->audit_id, >, 0);
  }
  g_clear_pointer (&hash, g_free);
  g_assert_true (tb_store_audit_get_last (f->store, &rows_after, &hash, &error));
  g_assert_cmpint (rows_after - rows_before, ==, 1);

  /* Allowed in the morning, blocked again the next night: a new fact, a new row. */
  {
    g_autoptr(TbDialDecision) morning = check (f, n, "CN", 0, night + 12 * HOUR_US);
    g_autoptr(TbDialDecision) again = check (f, n, "CN", 0, night + DAY_US);

    g_assert_true (morning->allowed);
    g_assert_false (again->allowed);
  }
  g_clear_pointer (&hash, g_free);
  g_assert_true (tb_store_audit_get_last (f->store, &rows_after, &hash, &error));
  g_assert_cmpint (rows_after - rows_before, ==, 3);
}

static void
test_gate_uk_abandoned (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *n = "+447700900123";
  gint64 now = at_local ("Europe/London", 2026, 3, 10, 11, 0);
  gint64 call = now - 10 * HOUR_US;
  gint64 id;
  g_autoptr(TbDialDecision) d = NULL;

  add_consent (f, n, "ai_voice", now - 30 * DAY_US);
  id = add_attempt (f, 0, n, call);
  g_assert_true (tb_store_compliance_set_answered (f->store, id, call + 10 * G_USEC_PER_SEC,
                                                   &error));
  g_assert_true (tb_store_compliance_set_first_audio (f->store, id,
                                                      call + 15 * G_USEC_PER_SEC, &error));
  g_assert_no_error (error);

  d = check (f, n, NULL, 0, now);
  g_assert_false (d->allowed);
  g_assert_true (g_str_has_prefix (d->message, "R4 no automated redial UK within 72 h"));
  g_assert_cmpint (d->next_allowed, >=, call + 72 * HOUR_US);
}

/* ---- the gate: DNC, registries, consent -------------------------------- */

static void
test_gate_dnc (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *n = "+8613812345678";
  gint64 now = at_local ("Asia/Shanghai", 2026, 3, 10, 10, 0);
  g_autoptr(TbDialDecision) first = check (f, n, "CN", 0, now);
  g_autoptr(TbDialDecision) second = NULL;

  g_assert_true (first->allowed);
  /* An opt-out lands between two dials: the second dial sees it. */
  g_assert_true (tb_store_dnc_add (f->store, n, "speech", NULL, "不要再打", 0, &error));
  g_assert_no_error (error);
  second = check (f, n, "CN", 0, now + MIN_US);
  g_assert_false (second->allowed);
  g_assert_cmpstr (second->rule, ==, "R1");
  g_assert_true (g_str_has_prefix (second->message, "R1 do-not-call"));
  g_assert_cmpint (second->next_allowed, ==, 0);
}

static void
test_gate_stale_registry (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *n = "+13055550123";
  gint64 now = at_local ("America/New_York", 2026, 3, 10, 11, 0);
  g_autoptr(TbDialDecision) stale = NULL;
  g_autoptr(TbDialDecision) fresh = NULL;

  add_consent (f, n, "ai_voice", now - 30 * DAY_US);
  g_assert_true (tb_store_compliance_set_registry (f->store, "US-NDNC", now - 40 * DAY_US,
                                                   1000, &error));
  stale = check (f, n, "US", 0, now);
  g_assert_false (stale->allowed);
  g_assert_cmpstr (stale->message, ==, "R1 registry US-NDNC is 40 days old (max 31)");

  g_assert_true (tb_store_compliance_set_registry (f->store, "US-NDNC", now - 10 * DAY_US,
                                                   1000, &error));
  g_assert_no_error (error);
  fresh = check (f, n, "US", 0, now);
  g_assert_true (fresh->allowed);
}

static void
test_gate_consent (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *n = "+12025550101";
  gint64 now = at_local ("America/New_York", 2026, 3, 10, 11, 0);
  g_autoptr(TbDialDecision) none = check (f, n, NULL, 0, now);
  g_autoptr(TbDialDecision) with = NULL;
  g_autoptr(TbDialDecision) revoked = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_assert_false (none->allowed);
  g_assert_cmpstr (none->rule, ==, "R5");
  g_assert_true (g_str_has_prefix (none->message, "R5 consent ai_voice required by US"));

  add_consent (f, n, "ai_voice", now - DAY_US);
  with = check (f, n, NULL, 0, now);
  g_assert_true (with->allowed);

  g_assert_cmpint (tb_consent_revoke (f->store, n, "ai_voice", now + MIN_US, &error), ==, 1);
  g_assert_no_error (error);
  revoked = check (f, n, NULL, 0, now + 2 * MIN_US);
  g_assert_false (revoked->allowed);
  g_assert_cmpstr (revoked->rule, ==, "R5");

  list = tb_store_consent_list (f->store, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((TbConsentRecord *) g_ptr_array_index (list, 0))->revoked_at, ==,
                   now + MIN_US);
}

/* A consent file is outside input: a 30 MB line of commas made 4.7 GB of empty fields (one
 * GString each). A record of more than 64 fields or 64 KB is refused, naming file:line. */
static void
test_consent_import_limits (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "commas.csv", NULL);
  static const char * const tails[] = { ",", "\"x", "x" };

  for (guint i = 0; i < G_N_ELEMENTS (tails); i++) {
    g_autoptr(GString) csv = g_string_new ("number,scope,source,collected_at\n"
                                           "+13055550123,ai_voice,form,2026-01-01\n");
    g_autoptr(GError) error = NULL;
    guint n = 0;

    while (csv->len < 4 * 1024 * 1024)
      g_string_append (csv, tails[i]);
    g_string_append_c (csv, '\n');
    g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
    g_assert_false (tb_consent_import_file (f->store, path, "US", g_get_real_time (), &n,
                                            &error));
    g_assert_error (error, TB_CONSENT_ERROR, TB_CONSENT_ERROR_INVALID);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_suffix (error->message,
                                     "commas.csv:3: a record of more than 64 fields or 64 KB"));
    g_assert_cmpuint (n, ==, 0);
  }
}

static void
test_consent_import (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "consent.csv", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bad.csv", NULL);
  g_autoptr(GPtrArray) list = NULL;
  guint n = 0;
  const char *csv =
    "number,scope,source,evidence,collected_at,collected_by,expires_at\n"
    "+13055550123,ai_voice,form,\"https://example.com/f, \"\"spring\"\" offer\","
    "2026-02-01T10:00:00Z,web,2027-02-01\n"
    "+13055550123,recording,verbal,\"call 17\nline two\",2026-02-02T10:00:00-05:00,agent,\n";

  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  g_assert_true (tb_consent_import_file (f->store, path, "US", g_get_real_time (), &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  list = tb_store_consent_list (f->store, "+13055550123", &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((TbConsentRecord *) list->pdata[0])->evidence, ==,
                   "https://example.com/f, \"spring\" offer");
  g_assert_cmpstr (((TbConsentRecord *) list->pdata[1])->evidence, ==, "call 17\nline two");
  g_assert_cmpint (((TbConsentRecord *) list->pdata[1])->collected_at, ==,
                   at_local ("UTC", 2026, 2, 2, 15, 0));
  g_assert_cmpint (((TbConsentRecord *) list->pdata[0])->expires_at, ==,
                   at_local ("UTC", 2027, 2, 1, 0, 0));

  /* A bad row names file:line and imports nothing. */
  g_assert_true (g_file_set_contents (bad, "number,scope,source,collected_at\n"
                                      "+33612345678,ai_voice,form,2026-01-01\n"
                                      "+33612345678,robocall,form,2026-01-01\n", -1, NULL));
  g_assert_false (tb_consent_import_file (f->store, bad, "US", g_get_real_time (), &n, &error));
  g_assert_nonnull (strstr (error->message, "bad.csv:3: scope \"robocall\""));
  g_assert_cmpint (tb_store_count_rows (f->store, "consent"), ==, 2);
}

/* ---- audit, pacing, retention ------------------------------------------ */

static gboolean
first_row_cb (const TbAuditRow *row,
              gpointer          user_data)
{
  TbAuditRow *out = user_data;

  out->id = row->id;
  out->at = row->at;
  out->kind = g_strdup (row->kind);
  out->e164 = g_strdup (row->e164);
  out->detail = g_strdup (row->detail);
  out->prev_hash = g_strdup (row->prev_hash);
  out->hash = g_strdup (row->hash);
  return FALSE;
}

static void
test_audit_chain (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = at_local ("Asia/Shanghai", 2026, 3, 10, 10, 0);
  gint64 rows = 0, bad = -1;

  for (int i = 0; i < 5; i++) {
    g_autoptr(TbDialDecision) d = check (f, "+8613812345678", "CN", 0, now + i * HOUR_US * 3);

    g_assert_cmpint (d->audit_id, ==, i + 1);
  }
  g_assert_cmpint (tb_store_count_rows (f->store, "audit"), ==, 5);
  g_assert_true (tb_audit_verify (f->store, &rows, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rows, ==, 5);
  g_assert_cmpint (bad, ==, 0);

  /* The triggers refuse edits through SQL. */
  g_assert_false (tb_store_exec (f->store, "UPDATE audit SET kind = 'x' WHERE id = 2", &error));
  g_assert_nonnull (strstr (error->message, "append-only"));
  g_clear_error (&error);

  /* Drop the triggers and edit row 3: verify names it. */
  g_assert_true (tb_store_exec (f->store, "DROP TRIGGER audit_no_update;"
                                "UPDATE audit SET detail = '{}' WHERE id = 3", &error));
  g_assert_false (tb_audit_verify (f->store, &rows, &bad, &error));
  g_assert_error (error, TB_AUDIT_ERROR, TB_AUDIT_ERROR_TAMPERED);
  g_assert_cmpint (bad, ==, 3);
  g_assert_nonnull (strstr (error->message, "audit row 3"));
}

/* Signed with a key of the data folder, not the database's: a plain SHA-256 of the row does
 * not explain its hash. Every attempt, DNC and consent row has its audit record; one written
 * behind Telebot's back is named. */
static void
test_audit_records (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = g_build_filename (f->dir, "audit.key", NULL);
  gint64 now = at_local ("America/New_York", 2026, 3, 10, 11, 0);
  g_auto(TbAuditReport) report = { 0 };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  gint64 attempt, stray;
  GStatBuf st;

  g_assert_true (tb_dnc_add (f->store, "+12025550101", "manual", "asked", now, &error));
  g_assert_no_error (error);
  g_assert_true (tb_dnc_add (f->store, "+12025550102", "manual", NULL, now, &error));
  g_assert_true (tb_dnc_remove (f->store, "+12025550102", NULL, now, &error));
  g_assert_false (tb_dnc_remove (f->store, "+12025550102", NULL, now, &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  add_consent (f, "+12025550103", "ai_voice", now);
  attempt = tb_audit_begin_attempt (f->store, 0, 0, 0, "+12025550103", now, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attempt, >, 0);

  /* The key: a 0600 file beside the database, named by the settings, never in them. */
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  {
    g_autofree char *where = tb_store_dup_setting (f->store, "audit-key-file", NULL);
    g_autofree char *key = NULL;

    g_assert_cmpstr (where, ==, "audit.key");
    g_assert_true (g_file_get_contents (key_path, &key, NULL, &error));
    g_assert_cmpuint (strlen (g_strstrip (key)), ==, 64);
  }

  g_assert_true (tb_audit_check (f->store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.rows, ==, 5);
  g_assert_cmpint (report.keyed_from, ==, 1);
  g_assert_cmpint (report.missing_count, ==, 0);
  tb_audit_report_clear (&report);

  /* A plain SHA-256 of row 1's canonical content is not its hash. */
  {
    g_auto(TbAuditRow) row = { 0 };
    g_autofree char *content = NULL;
    g_autofree char *plain = NULL;
    gint64 last = 0;
    g_autofree char *last_hash = NULL;

    g_assert_true (tb_store_audit_get_last (f->store, &last, &last_hash, &error));
    g_assert_cmpint (last, ==, 5);
    g_assert_true (tb_store_audit_foreach (f->store, NULL, 0, first_row_cb, &row, &error));
    content = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s\n%s\n0\n0\n%s",
                               row.prev_hash, row.id, row.at, row.kind, row.e164, row.detail);
    plain = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);
    g_assert_cmpstr (row.kind, ==, "dnc.added");
    g_assert_cmpstr (plain, !=, row.hash);
  }

  /* An attempt written without its record. */
  stray = add_attempt (f, 0, "+12025550104", now);
  g_assert_false (tb_audit_check (f->store, &report, &error));
  g_assert_error (error, TB_AUDIT_ERROR, TB_AUDIT_ERROR_INCOMPLETE);
  g_assert_cmpint (report.first_bad_id, ==, 0);
  g_assert_cmpint (report.missing_count, ==, 1);
  g_assert_cmpstr (((TbAuditMissing *) report.missing->pdata[0])->table, ==, "attempts");
  g_assert_cmpint (((TbAuditMissing *) report.missing->pdata[0])->id, ==, stray);
  g_clear_error (&error);
  /* The chain alone still holds. */
  g_assert_true (tb_audit_verify (f->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_pacing (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 campaign = make_campaign (f, "pace", "US");
  gint64 now = at_local ("UTC", 2026, 3, 10, 12, 0);
  double rate = -1, factor;

  /* 150 answered calls; the first 3 are silent for 5 s. */
  for (int i = 0; i < 150; i++) {
    gint64 at = now - DAY_US + i * MIN_US;
    gint64 id = add_attempt (f, campaign, "+12025550101", at);

    g_assert_true (tb_store_compliance_set_answered (f->store, id, at + G_USEC_PER_SEC, &error));
    g_assert_true (tb_store_compliance_set_first_audio (f->store, id,
                                                        at + (i < 3 ? 6 : 2) * G_USEC_PER_SEC,
                                                        &error));
    g_assert_no_error (error);
  }
  factor = tb_dial_gate_pacing_factor (f->gate, campaign, "US", now, &rate, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (rate, 3.0 / 150, 1e-9);
  g_assert_cmpfloat (factor, ==, 1.0);

  /* A fourth silent call: 2.67 % is past the 80 % throttle point of 3 %. */
  {
    gint64 id = add_attempt (f, campaign, "+12025550102", now - HOUR_US);

    g_assert_true (tb_store_compliance_set_answered (f->store, id, now - HOUR_US, &error));
    g_assert_true (tb_store_compliance_set_ended (f->store, id, now - HOUR_US + 4 * G_USEC_PER_SEC,
                                                  "completed", &error));
  }
  factor = tb_dial_gate_pacing_factor (f->gate, campaign, "US", now, &rate, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (factor, >, 0.0);
  g_assert_cmpfloat (factor, <, 1.0);

  /* Two more: 6/153 ≥ 3 %: stop. */
  for (int i = 0; i < 2; i++) {
    gint64 id = add_attempt (f, campaign, "+12025550103", now - 2 * HOUR_US);

    g_assert_true (tb_store_compliance_set_answered (f->store, id, now - 2 * HOUR_US, &error));
  }
  factor = tb_dial_gate_pacing_factor (f->gate, campaign, "US", now, &rate, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (factor, ==, 0.0);
}

static void
test_retention (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = g_build_filename (f->dir, "old.wav", NULL);
  g_autofree char *new_path = g_build_filename (f->dir, "new.wav", NULL);
  g_autofree char *cn_path = g_build_filename (f->dir, "cn.wav", NULL);
  gint64 now = g_get_real_time ();
  gint64 old_id, new_id, cn_id;
  TbRetentionReport report = { 0 };
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_true (g_file_set_contents (old_path, "RIFF", -1, NULL));
  g_assert_true (g_file_set_contents (new_path, "RIFF", -1, NULL));
  g_assert_true (g_file_set_contents (cn_path, "RIFF", -1, NULL));
  old_id = add_attempt (f, 0, "+12025550101", now - 40 * DAY_US);
  new_id = add_attempt (f, 0, "+12025550101", now - 5 * DAY_US);
  cn_id = add_attempt (f, 0, "+8613812345678", now - 20 * DAY_US);
  g_assert_true (tb_store_compliance_set_recording (f->store, old_id, old_path, &error));
  g_assert_true (tb_store_compliance_set_recording (f->store, new_id, new_path, &error));
  g_assert_true (tb_store_compliance_set_recording (f->store, cn_id, cn_path, &error));
  g_assert_true (tb_store_dnc_add (f->store, "+12025550101", "dtmf", NULL, NULL, old_id,
                                   &error));
  add_consent (f, "+12025550101", "recording", now - 400 * DAY_US);
  /* Ten days: the US recording of 20 days would go, but CN keeps ≥ 30. */
  g_assert_true (tb_store_set_setting (f->store, "recording-retention-days", "10", &error));

  g_assert_true (tb_retention_run (f->store, now, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.recordings_deleted, ==, 1);
  g_assert_cmpuint (report.recordings_kept, ==, 1);
  g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (cn_path, G_FILE_TEST_EXISTS));
  rows = tb_store_compliance_list_recordings_before (f->store, now, &error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpint (((TbRecordingRow *) rows->pdata[0])->attempt_id, ==, new_id);
  g_assert_cmpint (tb_store_count_rows (f->store, "dnc"), ==, 1);
  g_assert_cmpint (tb_store_count_rows (f->store, "consent"), ==, 1);
  g_assert_true (tb_audit_verify (f->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/telebot/compliance/policy/load-all", test_policy_load_all);
  g_test_add_func ("/telebot/compliance/policy/invalid", test_policy_invalid);
  g_test_add_func ("/telebot/compliance/policy/merge-us-fl", test_policy_merge_us_fl);
  g_test_add_func ("/telebot/compliance/policy/fixed-caller-id", test_policy_fixed_caller_id);
  g_test_add_func ("/telebot/compliance/policy/merge-strictest", test_policy_merge_strictest);
  g_test_add_func ("/telebot/compliance/policy/disclosures", test_policy_disclosures);
  g_test_add_func ("/telebot/compliance/jurisdiction/resolve", test_jurisdiction);
#define ADD(path, func) \
  g_test_add ("/telebot/compliance/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("gate/cn-window", test_gate_cn_window);
  ADD ("gate/us-fl-window", test_gate_us_fl_window);
  ADD ("gate/fr-window-holiday-lunch", test_gate_fr);
  ADD ("gate/unknown-zone", test_gate_unknown_zone);
  ADD ("gate/ambiguous-zone", test_gate_ambiguous_zone);
  ADD ("gate/dnc-quiet-period", test_gate_dnc_quiet_period);
  ADD ("gate/opt-out-cancels-retries", test_opt_out);
  ADD ("gate/preflight", test_preflight);
  ADD ("gate/cap-across-campaigns", test_gate_cap_across_campaigns);
  ADD ("gate/cn-six-dials", test_gate_cn_six_dials);
  ADD ("gate/dst-year", test_gate_dst_year);
  ADD ("gate/audit-block-once", test_gate_audit_block_once);
  ADD ("gate/uk-no-redial-after-abandoned", test_gate_uk_abandoned);
  ADD ("gate/dnc-at-every-dial", test_gate_dnc);
  ADD ("gate/stale-registry", test_gate_stale_registry);
  ADD ("gate/consent", test_gate_consent);
  ADD ("consent/import", test_consent_import);
  ADD ("consent/import-limits", test_consent_import_limits);
  ADD ("audit/chain", test_audit_chain);
  ADD ("audit/records", test_audit_records);
  ADD ("pacing/abandonment", test_pacing);
  ADD ("retention/recordings", test_retention);
#undef ADD

  return g_test_run ();
}
