/* tb-retention.c — the retention job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-retention"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tb-audit.h"
#include "tb-jurisdiction.h"
#include "tb-policy.h"
#include "tb-retention.h"
#include "tb-store-compliance.h"

#define DAY_US ((gint64) 86400 * G_USEC_PER_SEC)

/* The longest minimum any of the number's packs sets for recordings. */
static int
pack_minimum_days (GHashTable *cache,
                   const char *e164,
                   gint64      now)
{
  g_autoptr(TbJurisdiction) j = tb_jurisdiction_resolve (e164, NULL, NULL, NULL);
  int days = 0;

  for (guint i = 0; j->packs[i]; i++) {
    TbPolicy *policy = g_hash_table_lookup (cache, j->packs[i]);
    g_autoptr(TbPolicyRules) rules = NULL;

    if (policy == NULL) {
      policy = tb_policy_load (j->packs[i], NULL);
      if (policy == NULL)
        continue;
      g_hash_table_insert (cache, g_strdup (j->packs[i]), policy);
    }
    rules = tb_policy_dup_rules (policy, now);
    days = MAX (days, rules->recording_min_days);
  }
  return days;
}

static gboolean
audit_deletion (TbStore              *store,
                const TbRecordingRow *row,
                gint64                now,
                int                   days,
                gboolean              missing,
                GError              **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, row->path);
  json_builder_set_member_name (b, "dialed_at");
  json_builder_add_int_value (b, row->dialed_at);
  json_builder_set_member_name (b, "retention_days");
  json_builder_add_int_value (b, days);
  json_builder_set_member_name (b, "file_was_missing");
  json_builder_add_boolean_value (b, missing);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  return tb_audit_append (store, now, "retention.recording-deleted", row->e164, 0,
                          row->attempt_id, detail, error) > 0;
}

gboolean
tb_retention_run (TbStore            *store,
                  gint64              now,
                  TbRetentionReport  *report,
                  GError            **error)
{
  g_autoptr(GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       g_object_unref);
  g_autofree char *setting = tb_store_dup_setting (store, "recording-retention-days", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  TbRetentionReport r = { 0 };
  gint64 days = TB_RETENTION_DEFAULT_RECORDING_DAYS;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);

  if (setting != NULL && !g_ascii_string_to_signed (setting, 10, 1, 36500, &days, NULL)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: setting recording-retention-days \"%s\" is not a number of days (1-36500)",
                 tb_store_get_path (store), setting);
    return FALSE;
  }
  r.retention_days = (int) days;

  rows = tb_store_compliance_list_recordings_before (store, now - days * DAY_US, error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len; i++) {
    const TbRecordingRow *row = g_ptr_array_index (rows, i);
    int keep_days = MAX ((int) days, pack_minimum_days (cache, row->e164, now));
    gboolean missing = FALSE;

    if (row->dialed_at >= now - keep_days * DAY_US) {
      r.recordings_kept++;
      continue;
    }
    if (g_unlink (row->path) != 0) {
      int saved = errno;

      if (saved != ENOENT) {
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     "%s: cannot delete the recording of attempt %" G_GINT64_FORMAT ": %s",
                     row->path, row->attempt_id, g_strerror (saved));
        return FALSE;
      }
      missing = TRUE;
      r.files_missing++;
    }
    /* The file is gone: clear the column and audit it together. */
    if (!tb_store_begin (store, error))
      return FALSE;
    if (!tb_store_compliance_set_recording (store, row->attempt_id, NULL, error) ||
        !audit_deletion (store, row, now, keep_days, missing, error)) {
      tb_store_rollback (store);
      return FALSE;
    }
    if (!tb_store_commit (store, error))
      return FALSE;
    r.recordings_deleted++;
  }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "retention_days");
  json_builder_add_int_value (b, days);
  json_builder_set_member_name (b, "recordings_deleted");
  json_builder_add_int_value (b, r.recordings_deleted);
  json_builder_set_member_name (b, "recordings_kept");
  json_builder_add_int_value (b, r.recordings_kept);
  json_builder_set_member_name (b, "dnc_and_consent");
  json_builder_add_string_value (b, "kept (never deleted by retention)");
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  if (tb_audit_append (store, now, "retention.run", NULL, 0, 0, detail, error) == 0)
    return FALSE;

  if (report)
    *report = r;
  return TRUE;
}
