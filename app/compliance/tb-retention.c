/* tb-retention.c — the retention job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-retention"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>

#include "tb-audit.h"
#include "tb-jurisdiction.h"
#include "tb-policy.h"
#include "tb-retention.h"
#include "tb-store-attempts.h"
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

/* The longest minimum any pack sets: what an orphan, whose callee is unknown, is kept. */
static int
all_packs_minimum_days (GHashTable *cache,
                        gint64      now)
{
  g_auto(GStrv) codes = tb_policy_dup_available_codes ();
  int days = 0;

  for (guint i = 0; codes[i] != NULL; i++) {
    TbPolicy *policy = g_hash_table_lookup (cache, codes[i]);
    g_autoptr(TbPolicyRules) rules = NULL;

    if (policy == NULL) {
      if ((policy = tb_policy_load (codes[i], NULL)) == NULL)
        continue;
      g_hash_table_insert (cache, g_strdup (codes[i]), policy);
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

typedef struct {
  TbStore           *store;
  GHashTable        *named;     /* "device:inode" of the files the attempts name */
  gint64             now;
  gint64             before;    /* µs: files last written before this may go */
  int                days;
  TbRetentionReport *report;
} Sweep;

static char *
file_id (const GStatBuf *st)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, (guint64) st->st_dev,
                          (guint64) st->st_ino);
}

static gboolean
sweep_folder (Sweep       *sweep,
              const char  *dir,
              GError     **error)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  /* A folder that cannot be read (or is not there) holds nothing to sweep. */
  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autoptr(JsonBuilder) b = NULL;
    g_autoptr(JsonNode) detail = NULL;
    g_autofree char *relative = NULL;
    GStatBuf st;

    if (g_lstat (path, &st) != 0)
      continue;
    if (S_ISDIR (st.st_mode)) {
      if (!sweep_folder (sweep, path, error))
        return FALSE;
      continue;
    }
    if (!S_ISREG (st.st_mode) || (gint64) st.st_mtime * G_USEC_PER_SEC >= sweep->before)
      continue;
    {
      g_autofree char *id = file_id (&st);

      if (g_hash_table_contains (sweep->named, id))
        continue;
    }
    if (g_unlink (path) != 0) {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot delete a recording no call names: %s", path, g_strerror (saved));
      return FALSE;
    }
    relative = g_strdup (path + strlen (tb_store_get_data_dir (sweep->store)) + 1);
    b = json_builder_new ();
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "path");
    json_builder_add_string_value (b, relative);
    json_builder_set_member_name (b, "bytes");
    json_builder_add_int_value (b, st.st_size);
    json_builder_set_member_name (b, "modified_at");
    json_builder_add_int_value (b, (gint64) st.st_mtime * G_USEC_PER_SEC);
    json_builder_set_member_name (b, "retention_days");
    json_builder_add_int_value (b, sweep->days);
    json_builder_end_object (b);
    detail = json_builder_get_root (b);
    if (tb_audit_append (sweep->store, sweep->now, "retention.orphan-deleted", NULL, 0, 0, detail,
                         error) == 0)
      return FALSE;
    sweep->report->orphans_deleted++;
  }
  return TRUE;
}

/* Another SQLite database in the data folder may record into the same recordings folder:
 * what this one does not name may be that one's. */
static gboolean
shares_data_dir (TbStore *store)
{
  g_autofree char *own = g_canonicalize_filename (tb_store_get_path (store), NULL);
  g_autoptr(GDir) d = g_dir_open (tb_store_get_data_dir (store), 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (tb_store_get_data_dir (store), name, NULL);
    char magic[16] = { 0 };
    FILE *f;

    if (g_str_equal (path, own) || !g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
        (f = g_fopen (path, "rb")) == NULL)
      continue;
    if (fread (magic, 1, sizeof magic, f) == sizeof magic &&
        memcmp (magic, "SQLite format 3", 16) == 0) {
      fclose (f);
      g_message ("%s: another database is in the data folder; recordings no attempt names "
                 "are left for their owner", path);
      return TRUE;
    }
    fclose (f);
  }
  return FALSE;
}

/* Files in the recordings folder that no attempt names (a crash of an older version, an
 * attempt deleted by hand) and that nobody wrote to within @days. */
static gboolean
delete_orphans (TbStore            *store,
                gint64              now,
                int                 days,
                TbRetentionReport  *report,
                GError            **error)
{
  g_autoptr(GHashTable) named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rows = tb_store_compliance_list_recordings (store, error);
  g_autofree char *top = NULL;
  Sweep sweep = { store, named, now, now - days * DAY_US, days, report };

  if (rows == NULL)
    return FALSE;
  if (shares_data_dir (store)) {
    report->orphans_skipped = TRUE;
    return TRUE;
  }
  /* By the file, not its name: one file may be named through different folders (a symbolic
   * link in the home folder, an absolute name an older version wrote). */
  for (guint i = 0; i < rows->len; i++) {
    const TbRecordingRow *row = g_ptr_array_index (rows, i);
    g_autofree char *path = tb_store_resolve_path (store, row->path);
    GStatBuf st;

    if (g_stat (path, &st) == 0)
      g_hash_table_add (named, file_id (&st));
  }
  top = g_build_filename (tb_store_get_data_dir (store), TB_STORE_RECORDINGS_DIR, NULL);
  return sweep_folder (&sweep, top, error);
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
  g_autofree char *path = NULL;
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
    g_free (path);
    path = tb_store_resolve_path (store, row->path);
    if (g_unlink (path) != 0) {
      int saved = errno;

      if (saved != ENOENT) {
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     "%s: cannot delete the recording of attempt %" G_GINT64_FORMAT ": %s",
                     path, row->attempt_id, g_strerror (saved));
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

  if (!delete_orphans (store, now, MAX ((int) days, all_packs_minimum_days (cache, now)), &r,
                       error))
    return FALSE;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "retention_days");
  json_builder_add_int_value (b, days);
  json_builder_set_member_name (b, "recordings_deleted");
  json_builder_add_int_value (b, r.recordings_deleted);
  json_builder_set_member_name (b, "recordings_kept");
  json_builder_add_int_value (b, r.recordings_kept);
  json_builder_set_member_name (b, "orphans_deleted");
  json_builder_add_int_value (b, r.orphans_deleted);
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
