/* tb-cli-compliance.c — telebot-cli compliance | policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-compliance"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-campaign-preflight.h"
#include "tb-line-pool.h"
#include "tb-line-registry.h"
#include "tb-store-attempts.h"
#include "tb-lines.h"
#include "tb-cli.h"
#include "tb-consent.h"
#include "tb-dial-gate.h"
#include "tb-policy.h"
#include "tb-retention.h"
#include "tb-script.h"
#include "tb-store-compliance.h"
#include "tb-store-config.h"
#include "tb-store-lines.h"

static const char * const day_keys[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static void
add_strv (JsonBuilder        *b,
          const char         *member,
          const char * const *strv)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; strv && strv[i]; i++)
    json_builder_add_string_value (b, strv[i]);
  json_builder_end_array (b);
}

/* ---- compliance -------------------------------------------------------- */

static int
compliance_check (TbCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *policy = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *campaign = NULL;
  g_autofree char *country = NULL;
  g_autofree char *timezone = NULL;
  g_autofree char *state = NULL;
  g_autofree char *region = NULL;
  TbPhoneNumber phone;
  GOptionEntry entries[] = {
    { "policy", 0, 0, G_OPTION_ARG_STRING, &policy, N_("Policy packs, comma-separated"),
      "CODES" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("Decide at this time (ISO 8601)"),
      "ISO8601" },
    { "campaign", 0, 0, G_OPTION_ARG_STRING, &campaign, N_("Use this campaign's packs"),
      "NAME" },
    { "country", 0, 0, G_OPTION_ARG_STRING, &country, N_("The callee's country (ISO code)"),
      "CC" },
    { "timezone", 0, 0, G_OPTION_ARG_STRING, &timezone, N_("The callee's time zone (IANA)"),
      "TZ" },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, N_("The callee's US state"), "ST" },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("The region of a number written without its country code"), "CC" },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbDialGate) gate = NULL;
  g_autoptr(TbDialDecision) d = NULL;
  g_auto(TbComplianceContact) contact = { 0 };
  g_autofree char *packs = NULL;
  TbDialCallee callee;
  gint64 campaign_id = 0, now;
  TbStore *store;

  if (!tb_cli_parse (cli, entries, "check NUMBER",
                     _("Decide whether a number may be dialed now, and by which rule"),
                     &argc, &argv))
    return 2;
  if (argc != 3)
    return tb_cli_fail_usage ("compliance check: give one NUMBER");
  if (!tb_cli_normalize_number ("compliance check", argv[2], region, &phone))
    return 2;
  if (!tb_cli_parse_now (now_text, &now))
    return tb_cli_fail_usage ("compliance check: --now \"%s\" is not ISO 8601", now_text);
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);

  if (campaign != NULL) {
    campaign_id = tb_store_find_campaign (store, campaign);
    if (campaign_id == 0)
      return tb_cli_fail_usage ("compliance check: --campaign: no campaign \"%s\"", campaign);
    if (policy == NULL &&
        (packs = tb_store_compliance_dup_campaign_policies (store, campaign_id, &error)) == NULL)
      return tb_cli_fail (error);
  }
  if (policy != NULL)
    packs = g_strdup (policy);

  tb_store_compliance_find_contact (store, phone.e164, &contact);
  callee = (TbDialCallee) {
    phone.e164,
    country ? country : contact.country,
    timezone ? timezone : contact.timezone,
    state ? state : contact.state,
  };
  gate = tb_dial_gate_new (store);
  d = tb_dial_gate_check (gate, &callee, packs, campaign_id, now, TB_DIAL_PURPOSE_PREVIEW,
                          &error);
  if (d == NULL)
    return tb_cli_fail (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "number");
  json_builder_add_string_value (b, phone.e164);
  json_builder_set_member_name (b, "allowed");
  json_builder_add_boolean_value (b, d->allowed);
  json_builder_set_member_name (b, "rule");
  if (d->rule)
    json_builder_add_string_value (b, d->rule);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, d->message);
  tb_cli_add_time (b, "next_allowed", d->next_allowed, NULL);
  tb_cli_add_time (b, "next_allowed_local", d->next_allowed, d->timezone);
  json_builder_set_member_name (b, "timezone");
  if (d->timezone)
    json_builder_add_string_value (b, d->timezone);
  else
    json_builder_add_null_value (b);
  add_strv (b, "timezones", (const char * const *) d->timezones);
  add_strv (b, "packs", (const char * const *) d->packs);
  tb_cli_add_time (b, "now", now, NULL);
  json_builder_set_member_name (b, "audit_id");
  json_builder_add_int_value (b, d->audit_id);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
compliance_retention (TbCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autofree char *now_text = NULL;
  GOptionEntry entries[] = {
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("Decide at this time (ISO 8601)"),
      "ISO8601" },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TbRetentionReport report = { 0 };
  TbStore *store;
  gint64 now;

  if (!tb_cli_parse (cli, entries, "retention",
                     _("Delete recordings past their retention; keep DNC and consent"),
                     &argc, &argv))
    return 2;
  if (!tb_cli_parse_now (now_text, &now))
    return tb_cli_fail_usage ("compliance retention: --now \"%s\" is not ISO 8601", now_text);
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      !tb_retention_run (store, now, &report, &error))
    return tb_cli_fail (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "retention_days");
  json_builder_add_int_value (b, report.retention_days);
  json_builder_set_member_name (b, "recordings_deleted");
  json_builder_add_int_value (b, report.recordings_deleted);
  json_builder_set_member_name (b, "recordings_kept");
  json_builder_add_int_value (b, report.recordings_kept);
  json_builder_set_member_name (b, "files_missing");
  json_builder_add_int_value (b, report.files_missing);
  json_builder_set_member_name (b, "orphans_deleted");
  json_builder_add_int_value (b, report.orphans_deleted);
  json_builder_set_member_name (b, "orphans_skipped");
  json_builder_add_boolean_value (b, report.orphans_skipped);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
compliance_registry (TbCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *fetched_text = NULL;
  int entries_n = 0;
  GOptionEntry entries[] = {
    { "fetched-at", 0, 0, G_OPTION_ARG_STRING, &fetched_text,
      N_("When the registry's data was fetched (ISO 8601)"), "ISO8601" },
    { "entries", 0, 0, G_OPTION_ARG_INT, &entries_n, N_("How many numbers it holds"), "N" },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TbStore *store;
  gint64 fetched;

  if (!tb_cli_parse (cli, entries, "registry NAME --fetched-at ISO8601",
                     _("Record when an official do-not-call registry was fetched"),
                     &argc, &argv))
    return 2;
  if (argc != 3)
    return tb_cli_fail_usage ("compliance registry: give one NAME (US-NDNC, UK-TPS, ...)");
  if (fetched_text == NULL || !tb_consent_parse_time (fetched_text, &fetched))
    return tb_cli_fail_usage ("compliance registry: --fetched-at needs an ISO 8601 time");
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      !tb_store_compliance_set_registry (store, argv[2], fetched, entries_n, &error))
    return tb_cli_fail (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "registry");
  json_builder_add_string_value (b, argv[2]);
  tb_cli_add_time (b, "fetched_at", fetched, NULL);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static void
add_counts (JsonBuilder *b,
            const char  *member,
            GHashTable  *table)
{
  GHashTableIter iter;
  gpointer key, value;

  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    json_builder_set_member_name (b, key);
    json_builder_add_int_value (b, GPOINTER_TO_UINT (value));
  }
  json_builder_end_object (b);
}

static void
add_script_check (JsonBuilder *b,
                  GPtrArray   *problems,
                  gboolean     keypad_only)
{
  const char *first = tb_campaign_preflight_first_error (problems);

  json_builder_set_member_name (b, "script");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "keypad_only");
  json_builder_add_boolean_value (b, keypad_only);
  json_builder_set_member_name (b, "first_error");
  if (first != NULL)
    json_builder_add_string_value (b, first);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  for (guint i = 0; i < problems->len; i++) {
    TbScriptProblem *p = g_ptr_array_index (problems, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "severity");
    json_builder_add_string_value (b, p->severity == TB_SCRIPT_PROBLEM_ERROR ? "error"
                                                                             : "warning");
    json_builder_set_member_name (b, "code");
    json_builder_add_string_value (b, p->code);
    json_builder_set_member_name (b, "node");
    if (p->node_id != NULL)
      json_builder_add_string_value (b, p->node_id);
    else
      json_builder_add_null_value (b);
    json_builder_set_member_name (b, "message");
    json_builder_add_string_value (b, p->message);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* "line": the campaign's (first) line, its state when started here (--check-line) and why it
 * cannot dial; "lines" has every line of its pool. */
static void
add_line_check (JsonBuilder *b,
                const char  *line_name,
                TbLine      *line,
                const char  *line_blocker)
{
  json_builder_set_member_name (b, "line");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  if (line_name != NULL)
    json_builder_add_string_value (b, line_name);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "state");
  if (line != NULL)
    json_builder_add_string_value (b, tb_line_state_to_string (tb_line_get_state (line)));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "blocker");
  if (line_blocker != NULL)
    json_builder_add_string_value (b, line_blocker);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

/* "capacity" ("3 lines ready, 6 calls at once") and "lines": each line of the pool, its state
 * when started here and why it cannot dial. */
static void
add_pool_check (JsonBuilder *b,
                TbStore     *store,
                GPtrArray   *pool,
                const char  *capacity)
{
  json_builder_set_member_name (b, "capacity");
  if (capacity != NULL)
    json_builder_add_string_value (b, capacity);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "lines");
  json_builder_begin_array (b);
  for (guint i = 0; pool != NULL && i < pool->len; i++) {
    const TbCampaignLineRow *r = g_ptr_array_index (pool, i);
    TbLine *line = NULL;
    g_autofree char *blocker = tb_campaign_preflight_check_line (store, r->name, &line);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b, r->name);
    json_builder_set_member_name (b, "enabled");
    json_builder_add_boolean_value (b, r->enabled);
    json_builder_set_member_name (b, "max_calls");
    json_builder_add_int_value (b, tb_line_kind_get_max_calls (r->kind, r->max_calls));
    json_builder_set_member_name (b, "state");
    if (line != NULL)
      json_builder_add_string_value (b, tb_line_state_to_string (tb_line_get_state (line)));
    else
      json_builder_add_null_value (b);
    json_builder_set_member_name (b, "blocker");
    if (blocker != NULL)
      json_builder_add_string_value (b, blocker);
    else
      json_builder_add_null_value (b);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
}

/* `campaign preflight NAME` and `compliance preflight --campaign NAME`: what the Campaigns
 * page says of a campaign before it starts — the same survey, script check and sentences
 * (tb-campaign-preflight.h), with the counts behind them. The line is built (a password
 * missing is known without signing in); with @check_line it is started and given
 * @check_line seconds to sign in, so that a registrar's refusal is known too. */
static int
print_preflight (TbCli      *cli,
                 const char *verb,
                 const char *campaign,
                 const char *now_text,
                 int         check_line)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPreflight) report = NULL;
  g_autoptr(TbCampaignRow) row = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *blocker = NULL;
  g_autofree char *line_blocker = NULL;
  g_autofree char *capacity = NULL;
  g_autofree char *first_blocker = NULL;
  g_autoptr(GPtrArray) line_problems = NULL;
  g_autoptr(GPtrArray) pool = NULL;
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              tb_line_registry_release);
  TbLine *line = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gboolean keypad_only = FALSE;
  gint64 now, campaign_id;
  gint64 start_us = g_get_monotonic_time ();
  TbStore *store;

  if (!tb_cli_parse_now (now_text, &now))
    return tb_cli_fail_usage ("%s: --now \"%s\" is not ISO 8601", verb, now_text);
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  if ((campaign_id = tb_store_find_campaign (store, campaign)) == 0)
    return tb_cli_fail_usage ("%s: no campaign \"%s\"", verb, campaign);
  if ((row = tb_store_get_campaign (store, campaign_id, &error)) == NULL ||
      (report = tb_campaign_preflight_run (store, campaign_id, 0, NULL, now, NULL,
                                           &error)) == NULL)
    return tb_cli_fail (error);
  problems = tb_campaign_preflight_check_script (store, row->script_id, row->script_name,
                                                 row->policies, &keypad_only);
  summary = tb_campaign_preflight_describe (report);
  blocker = tb_campaign_preflight_describe_blocker (report, now);
  pool = tb_store_dup_campaign_lines (store, campaign_id, NULL);
  /* Every line of the pool is started and given the time together, not one after another. */
  for (guint i = 0; check_line > 0 && pool != NULL && i < pool->len; i++) {
    const TbCampaignLineRow *r = g_ptr_array_index (pool, i);
    TbLine *started = tb_line_registry_acquire_from_store (store, r->name, FALSE, NULL);

    if (started != NULL)
      g_ptr_array_add (held, started);
  }
  for (guint i = 0; i < held->len; i++) {
    gint64 left = (gint64) check_line * 1000 - (g_get_monotonic_time () - start_us) / 1000;

    tb_line_wait_ready (g_ptr_array_index (held, i), (guint) MAX (left, 1), NULL);
  }
  first_blocker = tb_campaign_preflight_check_line (store, row->line_name, &line);
  line_blocker = tb_campaign_preflight_check_lines (store, campaign_id, &capacity,
                                                    &line_problems);
  /* A line that cannot dial blocks the campaign as surely as a list nobody on can be called. */
  if (line_blocker != NULL) {
    char *both = blocker ? g_strdup_printf ("%s %s", line_blocker, blocker)
                         : g_strdup (line_blocker);

    g_free (blocker);
    blocker = both;
  }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "campaign");
  json_builder_add_string_value (b, campaign);
  tb_cli_add_time (b, "now", now, NULL);
  json_builder_set_member_name (b, "summary");
  json_builder_add_string_value (b, summary);
  json_builder_set_member_name (b, "blocker");
  if (blocker != NULL)
    json_builder_add_string_value (b, blocker);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "can_start");
  json_builder_add_boolean_value (b, tb_campaign_preflight_get_dialable (report) &&
                                     tb_campaign_preflight_first_error (problems) == NULL &&
                                     line_blocker == NULL);
  /* How callees' caller numbers are chosen, and who waits for the one that called them. */
  {
    g_autofree char *word = tb_store_dup_campaign_number_rule (store, campaign_id);
    g_autofree char *fixed = tb_line_pool_dup_fixed_caller_pack (row->policies, now);

    json_builder_set_member_name (b, "number_rule");
    json_builder_add_string_value (b, tb_line_pool_rule_describe (
                                        tb_line_pool_rule_from_string (word)));
    if (fixed != NULL) {
      g_autofree char *text = tb_line_pool_describe_fixed (
        fixed, tb_store_queue_count_held (store, campaign_id, TB_LINE_POOL_FIXED_RULE));

      json_builder_set_member_name (b, "fixed_caller_id");
      json_builder_add_string_value (b, text);
    }
  }
  json_builder_set_member_name (b, "contacts");
  json_builder_add_int_value (b, report->contacts);
  json_builder_set_member_name (b, "allowed_now");
  json_builder_add_int_value (b, report->allowed_now);
  json_builder_set_member_name (b, "allowed_later");
  json_builder_add_int_value (b, report->allowed_later);
  tb_cli_add_time (b, "next_allowed", report->next_allowed, NULL);
  json_builder_set_member_name (b, "need_consent");
  json_builder_add_int_value (b, tb_campaign_preflight_get_need_consent (report));
  add_counts (b, "blocked", report->blocked);
  json_builder_set_member_name (b, "examples");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, report->examples);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    json_builder_set_member_name (b, key);
    json_builder_add_string_value (b, value);
  }
  json_builder_end_object (b);
  add_counts (b, "packs", report->packs);
  json_builder_set_member_name (b, "ambiguous");
  json_builder_add_int_value (b, report->ambiguous);
  add_script_check (b, problems, keypad_only);
  add_line_check (b, row->line_name, line, first_blocker);
  add_pool_check (b, store, pool, capacity);
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
compliance_preflight (TbCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autofree char *now_text = NULL;
  g_autofree char *campaign = NULL;
  int check_line = 0;
  GOptionEntry entries[] = {
    { "campaign", 0, 0, G_OPTION_ARG_STRING, &campaign, N_("Use this campaign's packs"),
      "NAME" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("Decide at this time (ISO 8601)"),
      "ISO8601" },
    { "check-line", 0, 0, G_OPTION_ARG_INT, &check_line,
      N_("Start the campaign's line and wait this long for it to sign in"), "SECONDS" },
    { NULL }
  };

  if (!tb_cli_parse (cli, entries, "preflight --campaign NAME",
                     _("Check every contact of a campaign against the compliance rules"),
                     &argc, &argv))
    return 2;
  if (campaign == NULL)
    return tb_cli_fail_usage ("compliance preflight: --campaign NAME is required");
  return print_preflight (cli, "compliance preflight", campaign, now_text, check_line);
}

int
tb_cli_campaign_preflight (TbCli  *cli,
                           int     argc,
                           char  **argv)
{
  g_autofree char *now_text = NULL;
  int check_line = 0;
  GOptionEntry entries[] = {
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("Decide at this time (ISO 8601)"),
      "ISO8601" },
    { "check-line", 0, 0, G_OPTION_ARG_INT, &check_line,
      N_("Start the campaign's line and wait this long for it to sign in"), "SECONDS" },
    { NULL }
  };

  if (!tb_cli_parse (cli, entries, "preflight NAME",
                     _("What the window says before a campaign starts: who can be called, "
                       "what holds the others back, the script's problems"),
                     &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("campaign preflight: give one campaign NAME");
  return print_preflight (cli, "campaign preflight", argv[1], now_text, check_line);
}

int
tb_cli_compliance (TbCli  *cli,
                   int     argc,
                   char  **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "check"))
    return compliance_check (cli, argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "retention"))
    return compliance_retention (cli, argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "registry"))
    return compliance_registry (cli, argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "preflight"))
    return compliance_preflight (cli, argc, argv);
  return tb_cli_fail_usage ("compliance: use “check NUMBER”, “preflight --campaign NAME”, "
                            "“retention” or “registry NAME --fetched-at ISO8601”");
}

/* ---- policy ------------------------------------------------------------ */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_rules (JsonBuilder         *b,
           const TbPolicyRules *r)
{
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GPtrArray) dates = g_ptr_array_new ();

  json_builder_set_member_name (b, "window");
  json_builder_begin_object (b);
  for (int d = 0; d < 7; d++) {
    g_autofree char *text = tb_policy_rules_format_day (r, d);

    json_builder_set_member_name (b, day_keys[d]);
    json_builder_add_string_value (b, text);
  }
  json_builder_end_object (b);

  g_hash_table_iter_init (&iter, r->holidays);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (dates, key);
  g_ptr_array_sort (dates, compare_strings);
  json_builder_set_member_name (b, "holidays");
  json_builder_begin_object (b);
  for (guint i = 0; i < dates->len; i++) {
    json_builder_set_member_name (b, g_ptr_array_index (dates, i));
    json_builder_add_string_value (b, g_hash_table_lookup (r->holidays,
                                                           g_ptr_array_index (dates, i)));
  }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "caps");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->caps->len; i++) {
    const TbPolicyCap *c = &g_array_index (r->caps, TbPolicyCap, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "count");
    json_builder_add_int_value (b, c->count);
    json_builder_set_member_name (b, "window_seconds");
    json_builder_add_int_value (b, c->window_us / G_USEC_PER_SEC);
    json_builder_set_member_name (b, "pack");
    json_builder_add_string_value (b, c->pack);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "min_gap_seconds");
  json_builder_add_int_value (b, r->min_gap_us / G_USEC_PER_SEC);
  add_strv (b, "required_consent", (const char * const *) r->required_scopes);
  json_builder_set_member_name (b, "registries");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->registries->len; i++) {
    const TbPolicyRegistry *g = &g_array_index (r->registries, TbPolicyRegistry, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b, g->name);
    json_builder_set_member_name (b, "max_age_days");
    json_builder_add_int_value (b, g->max_age_days);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "dnc_quiet_period_days");
  json_builder_add_int_value (b, r->dnc_quiet_period_days);
  json_builder_set_member_name (b, "abandonment_max_rate");
  if (r->has_abandonment)
    json_builder_add_double_value (b, r->abandon_max_rate);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "abandonment_window_seconds");
  json_builder_add_int_value (b, r->abandon_window_us / G_USEC_PER_SEC);
  json_builder_set_member_name (b, "redial_after_abandon_seconds");
  json_builder_add_int_value (b, r->redial_after_abandon_us / G_USEC_PER_SEC);
  add_strv (b, "disclosures", (const char * const *) r->disclosures);
  json_builder_set_member_name (b, "ask_reason_once");
  json_builder_add_boolean_value (b, r->ask_reason_allowed);
  /* Each callee called from the one number that called it first (R4): the pack, or null. */
  json_builder_set_member_name (b, "fixed_caller_id");
  if (r->fixed_caller_id)
    json_builder_add_string_value (b, r->fixed_caller_id_pack);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "recording_min_days");
  json_builder_add_int_value (b, r->recording_min_days);
}

int
tb_cli_policy (TbCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *now_text = NULL;
  GOptionEntry entries[] = {
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("Decide at this time (ISO 8601)"),
      "ISO8601" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  gint64 now;

  if (!tb_cli_parse (cli, entries, "list | show CODES",
                     _("List the policy packs or show the rules of some in force"),
                     &argc, &argv))
    return 2;
  if (!tb_cli_parse_now (now_text, &now))
    return tb_cli_fail_usage ("policy: --now \"%s\" is not ISO 8601", now_text);

  if (argc == 2 && g_str_equal (argv[1], "list")) {
    g_auto(GStrv) codes = tb_policy_dup_available_codes ();

    for (guint i = 0; codes[i]; i++) {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(TbPolicy) p = tb_policy_load (codes[i], &error);

      if (p == NULL)
        return tb_cli_fail (error);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, tb_policy_get_code (p));
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, tb_policy_get_name (p));
      json_builder_set_member_name (b, "country");
      if (tb_policy_get_country (p))
        json_builder_add_string_value (b, tb_policy_get_country (p));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, tb_policy_get_path (p));
      json_builder_end_object (b);
      tb_cli_print_object (b);
    }
    return 0;
  }

  if (argc == 3 && g_str_equal (argv[1], "show")) {
    g_autoptr(GPtrArray) packs = tb_policy_load_list (argv[2], &error);
    g_autoptr(TbPolicyRules) merged = NULL;
    g_autoptr(JsonBuilder) b = json_builder_new ();

    if (packs == NULL)
      return tb_cli_fail (error);
    if (packs->len == 0)
      return tb_cli_fail_usage ("policy show: no pack codes in \"%s\"", argv[2]);
    merged = tb_policy_merge ((TbPolicy * const *) packs->pdata, packs->len, now);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "code");
    json_builder_add_string_value (b, merged->code);
    tb_cli_add_time (b, "in_force_at", now, NULL);
    json_builder_set_member_name (b, "rules");
    json_builder_begin_object (b);
    add_rules (b, merged);
    json_builder_end_object (b);
    json_builder_set_member_name (b, "packs");
    json_builder_begin_array (b);
    for (guint i = 0; i < packs->len; i++)
      json_builder_add_value (b, json_node_copy (tb_policy_get_document (packs->pdata[i])));
    json_builder_end_array (b);
    json_builder_end_object (b);
    tb_cli_print_object (b);
    return 0;
  }
  return tb_cli_fail_usage ("policy: use “list” or “show CODE[,CODE…]”");
}
