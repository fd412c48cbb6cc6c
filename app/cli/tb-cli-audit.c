/* tb-cli-audit.c — telebot-cli audit | consent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-audit"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-audit.h"
#include "tb-cli.h"
#include "tb-consent.h"
#include "tb-store-audit.h"
#include "tb-store-compliance.h"
#include "tb-store-config.h"
#include "tb-store-consent.h"

/* ---- audit ------------------------------------------------------------- */

static gboolean
add_audit_row (const TbAuditRow *row,
               gpointer          user_data)
{
  JsonBuilder *b = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, row->id);
  tb_cli_add_time (b, "at", row->at, NULL);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, row->kind);
  json_builder_set_member_name (b, "campaign_id");
  json_builder_add_int_value (b, row->campaign_id);
  json_builder_set_member_name (b, "attempt_id");
  json_builder_add_int_value (b, row->attempt_id);
  json_builder_set_member_name (b, "detail");
  if (row->detail && json_parser_load_from_data (parser, row->detail, -1, NULL))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_string_value (b, row->detail);
  json_builder_set_member_name (b, "hash");
  json_builder_add_string_value (b, row->hash);
  json_builder_end_object (b);
  return TRUE;
}

static gboolean
add_rows (JsonBuilder  *b,
          TbStore      *store,
          const char   *what,
          const char   *number,
          gint64        campaign_id,
          GError      **error)
{
  g_autoptr(GPtrArray) rows = number
    ? tb_store_compliance_dump_rows (store, what, number, error)
    : tb_store_compliance_dump_campaign_rows (store, what, campaign_id, error);

  if (rows == NULL)
    return FALSE;
  json_builder_set_member_name (b, what);
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    json_builder_add_value (b, json_gvariant_serialize (g_ptr_array_index (rows, i)));
  json_builder_end_array (b);
  return TRUE;
}

int
tb_cli_audit (TbCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TbStore *store;

  g_autofree char *campaign = NULL, *region = NULL;
  TbPhoneNumber phone;
  GOptionEntry entries[] = {
    { "campaign", 0, 0, G_OPTION_ARG_STRING, &campaign, N_("Export everything about this campaign"),
      "NAME" },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("The region of numbers written without their country code"), "CC" },
    { NULL }
  };

  if (!tb_cli_parse (cli, entries, "verify | export NUMBER | export --campaign NAME",
                     _("Verify the audit log's signed chain and that every call, do-not-call "
                       "and consent record has its audit row, or export all about one number"),
                     &argc, &argv))
    return 2;
  if (argc == 3 && g_str_equal (argv[1], "export") &&
      !tb_cli_normalize_number ("audit export", argv[2], region, &phone))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);

  if (argc == 2 && g_str_equal (argv[1], "verify")) {
    g_auto(TbAuditReport) report = { 0 };
    gboolean ok = tb_audit_check (store, &report, &error);

    if (!ok && error->domain != TB_AUDIT_ERROR)
      return tb_cli_fail (error);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "ok");
    json_builder_add_boolean_value (b, ok);
    json_builder_set_member_name (b, "rows");
    json_builder_add_int_value (b, report.rows);
    json_builder_set_member_name (b, "first_bad_row");
    if (report.first_bad_id > 0)
      json_builder_add_int_value (b, report.first_bad_id);
    else
      json_builder_add_null_value (b);
    /* From which row the log is signed, and how many plain rows an older version left. */
    json_builder_set_member_name (b, "keyed_from");
    if (report.keyed_from > 0)
      json_builder_add_int_value (b, report.keyed_from);
    else
      json_builder_add_null_value (b);
    json_builder_set_member_name (b, "unkeyed_rows");
    json_builder_add_int_value (b, report.unkeyed_rows);
    json_builder_set_member_name (b, "missing_count");
    json_builder_add_int_value (b, report.missing_count);
    json_builder_set_member_name (b, "missing");
    json_builder_begin_array (b);
    for (guint i = 0; report.missing != NULL && i < report.missing->len; i++) {
      const TbAuditMissing *m = g_ptr_array_index (report.missing, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "table");
      json_builder_add_string_value (b, m->table);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, m->id);
      json_builder_set_member_name (b, "number");
      json_builder_add_string_value (b, m->e164);
      json_builder_end_object (b);
    }
    json_builder_end_array (b);
    json_builder_end_object (b);
    tb_cli_print_object (b);
    return ok ? 0 : tb_cli_fail (error);
  }

  if (argc == 3 && g_str_equal (argv[1], "export")) {
    static const char * const tables[] = {
      "contacts", "dnc", "consent", "attempts", "turns", "queue", "number_status"
    };

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "number");
    json_builder_add_string_value (b, phone.e164);
    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      if (!add_rows (b, store, tables[i], phone.e164, 0, &error))
        return tb_cli_fail (error);
    json_builder_set_member_name (b, "audit");
    json_builder_begin_array (b);
    if (!tb_store_audit_foreach (store, phone.e164, 0, add_audit_row, b, &error))
      return tb_cli_fail (error);
    json_builder_end_array (b);
    json_builder_end_object (b);
    tb_cli_print_object (b);
    return 0;
  }
  if (argc == 2 && g_str_equal (argv[1], "export") && campaign != NULL) {
    static const char * const tables[] = { "campaign", "queue", "attempts", "turns" };
    gint64 campaign_id = tb_store_find_campaign (store, campaign);

    if (campaign_id == 0)
      return tb_cli_fail_usage ("audit export: --campaign: no campaign \"%s\"", campaign);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "campaign_name");
    json_builder_add_string_value (b, campaign);
    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      if (!add_rows (b, store, tables[i], NULL, campaign_id, &error))
        return tb_cli_fail (error);
    json_builder_set_member_name (b, "audit");
    json_builder_begin_array (b);
    if (!tb_store_audit_foreach (store, NULL, campaign_id, add_audit_row, b, &error))
      return tb_cli_fail (error);
    json_builder_end_array (b);
    json_builder_end_object (b);
    tb_cli_print_object (b);
    return 0;
  }
  return tb_cli_fail_usage ("audit: use “verify”, “export NUMBER” or “export --campaign NAME”");
}

/* ---- consent ----------------------------------------------------------- */

int
tb_cli_consent (TbCli  *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *scope = NULL;
  g_autofree char *now_text = NULL, *region = NULL;
  TbPhoneNumber phone;
  GOptionEntry entries[] = {
    { "scope", 0, 0, G_OPTION_ARG_STRING, &scope,
      N_("Consent scope: marketing, ai_voice, recording or all"), "SCOPE" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("Decide at this time (ISO 8601)"),
      "ISO8601" },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("The region of numbers written without their country code"), "CC" },
    { NULL }
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TbStore *store;
  gint64 now;

  if (!tb_cli_parse (cli, entries, "import FILE | list NUMBER | revoke NUMBER --scope S",
                     _("Import, list or revoke consent records"), &argc, &argv))
    return 2;
  if (!tb_cli_parse_now (now_text, &now))
    return tb_cli_fail_usage ("consent: --now \"%s\" is not ISO 8601", now_text);
  if (argc != 3 || !g_strv_contains ((const char * const[]) { "import", "list", "revoke", NULL },
                                     argv[1]))
    return tb_cli_fail_usage ("consent: use “import FILE”, “list NUMBER” or "
                              "“revoke NUMBER --scope S”");
  if (!g_str_equal (argv[1], "import") &&
      !tb_cli_normalize_number ("consent", argv[2], region, &phone))
    return 2;
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);

  json_builder_begin_object (b);
  if (g_str_equal (argv[1], "import")) {
    guint n = 0;

    if (!tb_consent_import_file (store, argv[2], region, now, &n, &error))
      return tb_cli_fail (error);
    json_builder_set_member_name (b, "file");
    json_builder_add_string_value (b, argv[2]);
    json_builder_set_member_name (b, "imported");
    json_builder_add_int_value (b, n);
  } else if (g_str_equal (argv[1], "list")) {
    g_autoptr(GPtrArray) records = tb_store_consent_list (store, phone.e164, &error);

    if (records == NULL)
      return tb_cli_fail (error);
    json_builder_set_member_name (b, "number");
    json_builder_add_string_value (b, phone.e164);
    json_builder_set_member_name (b, "records");
    json_builder_begin_array (b);
    for (guint i = 0; i < records->len; i++) {
      const TbConsentRecord *r = g_ptr_array_index (records, i);
      gboolean valid = r->revoked_at == 0 && (r->expires_at == 0 || r->expires_at > now);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, r->id);
      json_builder_set_member_name (b, "scope");
      json_builder_add_string_value (b, r->scope);
      json_builder_set_member_name (b, "seller");
      json_builder_add_string_value (b, r->seller);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, r->source);
      json_builder_set_member_name (b, "evidence");
      json_builder_add_string_value (b, r->evidence);
      tb_cli_add_time (b, "collected_at", r->collected_at, NULL);
      json_builder_set_member_name (b, "collected_by");
      json_builder_add_string_value (b, r->collected_by);
      tb_cli_add_time (b, "expires_at", r->expires_at, NULL);
      tb_cli_add_time (b, "revoked_at", r->revoked_at, NULL);
      json_builder_set_member_name (b, "valid");
      json_builder_add_boolean_value (b, valid);
      json_builder_end_object (b);
    }
    json_builder_end_array (b);
  } else {
    gint64 n;

    if (scope == NULL)
      return tb_cli_fail_usage ("consent revoke: --scope is required "
                                "(marketing, ai_voice, recording or all)");
    n = tb_consent_revoke (store, phone.e164, g_str_equal (scope, "all") ? NULL : scope, now,
                           &error);
    if (n < 0)
      return tb_cli_fail (error);
    json_builder_set_member_name (b, "number");
    json_builder_add_string_value (b, phone.e164);
    json_builder_set_member_name (b, "scope");
    json_builder_add_string_value (b, scope);
    json_builder_set_member_name (b, "revoked");
    json_builder_add_int_value (b, n);
  }
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}
