/* test-store.c — the SQLite store: migrations, transactions, concurrency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tb-store.h"
#include "tb-store-attempts.h"
#include "tb-store-calls.h"
#include "tb-store-writer.h"
#include "tb-store-config.h"
#include "tb-store-contacts.h"
#include "tb-store-imports.h"
#include "tb-store-lines.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("telebot-store-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "telebot.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *p = g_build_filename (f->dir, name, NULL);
    g_unlink (p);
  }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
add_contact (TbStore    *store,
             gint64      list_id,
             const char *e164)
{
  g_autoptr(GError) error = NULL;
  TbContactRow row = { .e164 = e164, .name = "Test" };
  gint64 id = tb_store_add_contact (store, list_id, &row, &error);

  g_assert_no_error (error);
  return id;
}

static void
test_fresh_db (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_store_open (f->path, &error);
  static const char * const tables[] = {
    "lists", "contacts", "dnc", "consent", "scripts", "lines", "campaigns", "queue",
    "attempts", "turns", "audit", "outbox",
  };

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (tb_store_get_schema_version (store), ==, tb_store_get_latest_version ());
  g_assert_cmpint (tb_store_get_latest_version (), >=, 1);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_assert_cmpint (tb_store_count_rows (store, tables[i]), ==, 0);

  /* WAL and foreign keys are on: a contact needs its list. */
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  {
    TbContactRow row = { .e164 = "+12025550101" };
    g_autoptr(GError) fk_error = NULL;

    g_assert_cmpint (tb_store_add_contact (store, 4242, &row, &fk_error), ==, -1);
    g_assert_error (fk_error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT);
  }
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
  g_assert_finalize_object (store);

  /* Opening again changes nothing. */
  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_get_schema_version (store), ==, tb_store_get_latest_version ());
  g_assert_finalize_object (store);
}

static void
test_upgrade_keeps_data (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;
  const TbStoreMigration *real = tb_store_get_migrations (&n);
  g_autofree TbStoreMigration *next = g_new0 (TbStoreMigration, n + 1);
  int latest = real[n - 1].version;
  TbStore *store;
  gint64 list_id;

  /* Version N-1 (the shipped schema) with data in it ... */
  store = tb_store_open_with_migrations (f->path, real, n, &error);
  g_assert_no_error (error);
  list_id = tb_store_ensure_list (store, "old list", "test", &error);
  g_assert_no_error (error);
  add_contact (store, list_id, "+12025550101");
  add_contact (store, list_id, "+12025550102");
  g_assert_true (tb_store_set_setting (store, "business-name", "Acme", &error));
  g_assert_finalize_object (store);

  /* ... upgraded to N by a new step that adds a column. */
  memcpy (next, real, n * sizeof *real);
  next[n] = (TbStoreMigration) { latest + 1, "contacts get a tag",
                                 "ALTER TABLE contacts ADD COLUMN tag TEXT;"
                                 "UPDATE contacts SET tag = 'kept';" };
  store = tb_store_open_with_migrations (f->path, next, n + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_get_schema_version (store), ==, latest + 1);
  g_assert_cmpint (tb_store_count_rows (store, "contacts"), ==, 2);
  g_assert_cmpint (tb_store_find_list (store, "old list"), ==, list_id);
  {
    g_autofree char *name = tb_store_dup_setting (store, "business-name", NULL);
    g_assert_cmpstr (name, ==, "Acme");
  }
  /* The new column exists and the step's UPDATE ran on the old rows. */
  g_assert_true (tb_store_exec (store, "SELECT tag FROM contacts WHERE tag = 'kept'", &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  /* A newer database than this build knows is refused, not damaged. */
  store = tb_store_open_with_migrations (f->path, real, n, &error);
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_TOO_NEW);
  g_assert_null (store);
}

static void
test_failing_migration_rolls_back (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;
  const TbStoreMigration *real = tb_store_get_migrations (&n);
  g_autofree TbStoreMigration *next = g_new0 (TbStoreMigration, n + 1);
  int latest = real[n - 1].version;
  TbStore *store;
  gint64 list_id;

  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  list_id = tb_store_ensure_list (store, "list", NULL, &error);
  add_contact (store, list_id, "+12025550101");
  g_assert_finalize_object (store);

  /* The step's first statement succeeds, the second fails: nothing of it may stay. */
  memcpy (next, real, n * sizeof *real);
  next[n] = (TbStoreMigration) { latest + 1, "broken step",
                                 "CREATE TABLE half_done (x INTEGER);"
                                 "DELETE FROM contacts;"
                                 "ALTER TABLE no_such_table ADD COLUMN y TEXT;" };
  store = tb_store_open_with_migrations (f->path, next, n + 1, &error);
  g_assert_null (store);
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "broken step"));
  g_assert_nonnull (strstr (error->message, "no_such_table"));
  g_clear_error (&error);

  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_get_schema_version (store), ==, latest);
  g_assert_cmpint (tb_store_count_rows (store, "contacts"), ==, 1);
  g_assert_false (tb_store_exec (store, "SELECT * FROM half_done", &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_SQL);
  g_assert_finalize_object (store);
}

static void
test_transactions (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_store_open (f->path, &error);
  gint64 list_id;

  g_assert_no_error (error);
  list_id = tb_store_ensure_list (store, "list", NULL, &error);

  /* Rollback discards. */
  g_assert_true (tb_store_begin (store, &error));
  add_contact (store, list_id, "+12025550101");
  tb_store_rollback (store);
  g_assert_false (tb_store_in_transaction (store));
  g_assert_cmpint (tb_store_count_rows (store, "contacts"), ==, 0);

  /* A nested unit that fails rolls back alone; the outer one commits. */
  g_assert_true (tb_store_begin (store, &error));
  add_contact (store, list_id, "+12025550101");
  g_assert_true (tb_store_begin (store, &error));
  add_contact (store, list_id, "+12025550102");
  tb_store_rollback (store);
  g_assert_true (tb_store_in_transaction (store));
  g_assert_true (tb_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_count_rows (store, "contacts"), ==, 1);

  /* Duplicates in one list: the first wins, and it is not an error. */
  g_assert_cmpint (add_contact (store, list_id, "+12025550101"), ==, 0);
  g_assert_cmpint (tb_store_count_rows (store, "contacts"), ==, 1);

  /* The audit log refuses edits. */
  g_assert_true (tb_store_exec (store,
                                "INSERT INTO audit (at, kind, prev_hash, hash) "
                                "VALUES (1, 'test', '', 'x')", &error));
  g_assert_false (tb_store_exec (store, "UPDATE audit SET kind = 'edited'", &error));
  g_assert_nonnull (strstr (error->message, "append-only"));
  g_clear_error (&error);
  g_assert_false (tb_store_exec (store, "DELETE FROM audit", &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_SQL);
  g_assert_finalize_object (store);
}

static void
test_reader_sees_consistent_data (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbStore *writer = tb_store_open (f->path, &error);
  TbStore *reader = tb_store_open (f->path, &error);
  gint64 list_id;

  g_assert_no_error (error);
  list_id = tb_store_ensure_list (writer, "list", NULL, &error);

  /* While the writer's transaction is open, the reader sees the last commit. */
  g_assert_true (tb_store_begin (writer, &error));
  for (int i = 0; i < 100; i++) {
    g_autofree char *e164 = g_strdup_printf ("+1202555%04d", i);
    add_contact (writer, list_id, e164);
  }
  g_assert_cmpint (tb_store_count_rows (writer, "contacts"), ==, 100);
  g_assert_cmpint (tb_store_count_rows (reader, "contacts"), ==, 0);

  /* A reader inside a read transaction keeps its snapshot across the commit ... */
  g_assert_true (tb_store_exec (reader, "BEGIN DEFERRED", &error));
  g_assert_cmpint (tb_store_count_rows (reader, "contacts"), ==, 0);
  g_assert_true (tb_store_commit (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_count_rows (reader, "contacts"), ==, 0);
  g_assert_cmpint (tb_store_count_rows (reader, "lists"), ==, 1);
  g_assert_true (tb_store_exec (reader, "COMMIT", &error));

  /* ... and sees all of it, never half, afterwards. */
  g_assert_cmpint (tb_store_count_rows (reader, "contacts"), ==, 100);

  g_assert_finalize_object (reader);
  g_assert_finalize_object (writer);
}

static gint64
make_campaign (TbStore *store,
               guint    n_contacts)
{
  g_autoptr(GError) error = NULL;
  gint64 list_id = tb_store_ensure_list (store, "list", NULL, &error);
  gint64 script_id = tb_store_save_script (store, "s", "en", "{}", &error);
  gint64 line_id = tb_store_add_line (store, "sim", "sim", NULL, 4, &error);
  gint64 campaign_id;

  for (guint i = 0; i < n_contacts; i++) {
    g_autofree char *e164 = g_strdup_printf ("+1202555%04u", i);
    add_contact (store, list_id, e164);
  }
  campaign_id = tb_store_create_campaign (store, "c", list_id, script_id, line_id, "US", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (campaign_id, >, 0);
  return campaign_id;
}

static void
test_attempt_lifecycle (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_store_open (f->path, &error);
  g_autoptr(GPtrArray) due = NULL;
  TbCampaignCounters counters;
  TbQueueItem *item;
  g_autofree char *e164 = NULL;
  gint64 campaign_id, attempt_id, contact_id;
  TbAttemptResult busy = { .outcome = "busy", .end_reason = "busy", .protocol_code = 486,
                           .ended_at = 2000 };
  TbAttemptResult lead = { .outcome = "completed", .end_reason = "completed", .grade = "A",
                           .score = 85, .reasons_json = "[\"said yes\"]", .ended_at = 9000 };

  g_assert_no_error (error);
  campaign_id = make_campaign (store, 3);

  due = tb_store_queue_due (store, campaign_id, 1000, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 3);
  item = g_ptr_array_index (due, 0);
  g_assert_cmpstr (item->e164, ==, "+12025550000");
  e164 = g_strdup (item->e164);
  contact_id = item->contact_id;

  /* A dial is recorded before it is placed, and its contact is no longer due. */
  attempt_id = tb_store_attempt_begin (store, campaign_id, contact_id, 0, e164,
                                       1000, &error);
  g_assert_no_error (error);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = tb_store_queue_due (store, campaign_id, 1000, 10, &error);
  g_assert_cmpuint (due->len, ==, 2);

  /* Busy with a retry: pending again, due only at the retry time. */
  g_assert_true (tb_store_attempt_finish (store, attempt_id, &busy, 5000, &error));
  g_clear_pointer (&due, g_ptr_array_unref);
  due = tb_store_queue_due (store, campaign_id, 4999, 10, &error);
  g_assert_cmpuint (due->len, ==, 2);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = tb_store_queue_due (store, campaign_id, 5000, 10, &error);
  g_assert_cmpuint (due->len, ==, 3);
  g_assert_cmpint (tb_store_queue_next_due (store, campaign_id), ==, 1);

  /* The second attempt reaches a person and ends the contact's work. */
  attempt_id = tb_store_attempt_begin (store, campaign_id, contact_id, 0, e164,
                                       6000, &error);
  g_assert_true (tb_store_attempt_set_state (store, attempt_id, "answered", 7000, &error));
  g_assert_true (tb_store_attempt_add_turn (store, attempt_id, 1, "callee", "pitch", "yes",
                                            "yes", 0.9, 7100, 7500, &error));
  g_assert_true (tb_store_attempt_finish (store, attempt_id, &lead, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_attempts_count_for_number (store, e164), ==, 2);

  g_assert_true (tb_store_campaign_get_counters (store, campaign_id, &counters));
  g_assert_cmpint (counters.total, ==, 3);
  g_assert_cmpint (counters.done, ==, 1);
  g_assert_cmpint (counters.pending, ==, 2);
  g_assert_cmpint (counters.dialed, ==, 2);
  g_assert_cmpint (counters.answered, ==, 1);
  g_assert_cmpint (counters.leads_ab, ==, 1);
  g_assert_finalize_object (store);
}

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  gboolean *done = data;

  g_assert_null (object);
  g_assert_true (tb_store_flush_finish (NULL, result, NULL));
  *done = TRUE;
}

/* A call's records written behind it: queued while another writer holds the database (the
 * synchronous calls would wait for it, the main loop with them), written in order once it is
 * free, all on disk when the flush answers. */
static void
test_write_behind (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_store_open (f->path, &error);
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(TbCallRecord) rec = NULL;
  TbQueueItem *item;
  gint64 campaign_id, attempt_id;
  gboolean done = FALSE;

  g_assert_no_error (error);
  campaign_id = make_campaign (store, 1);
  due = tb_store_queue_due (store, campaign_id, 1000, 10, &error);
  item = g_ptr_array_index (due, 0);
  attempt_id = tb_store_attempt_begin (store, campaign_id, item->contact_id, 0, item->e164,
                                       1000, &error);
  g_assert_cmpint (attempt_id, >, 0);

  /* The main connection holds the write lock: these only queue. */
  g_assert_true (tb_store_begin (store, &error));
  tb_store_attempt_set_state_later (store, attempt_id, "answered", 7000);
  tb_store_attempt_set_state_later (store, attempt_id, "first-audio", 7200);
  tb_store_attempt_add_turn_later (store, attempt_id, 1, "bot", "intro", "Hello.", NULL, 1.0,
                                   7200, 7200);
  tb_store_attempt_add_turn_later (store, attempt_id, 2, "callee", "intro", "who is this",
                                   "who", 0.8, 7500, 7900);
  tb_store_attempt_set_amd_later (store, attempt_id, "human: short greeting");
  tb_store_flush_async (store, NULL, flushed_cb, &done);
  rec = tb_store_load_call (store, attempt_id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rec->answered_at, ==, 0);
  g_assert_cmpuint (rec->turns->len, ==, 0);
  g_clear_pointer (&rec, tb_call_record_free);
  g_assert_true (tb_store_commit (store, &error));

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  rec = tb_store_load_call (store, attempt_id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rec->answered_at, ==, 7000);
  g_assert_cmpint (rec->first_audio_at, ==, 7200);
  g_assert_cmpstr (rec->amd, ==, "human: short greeting");
  g_assert_cmpuint (rec->turns->len, ==, 2);
  g_assert_cmpstr (((TbTurn *) g_ptr_array_index (rec->turns, 1))->text, ==, "who is this");
  g_assert_finalize_object (store);
}

static void
test_crash_recovery (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_store_open (f->path, &error);
  g_autoptr(GPtrArray) due = NULL;
  TbCampaignCounters counters;
  gint64 campaign_id;

  campaign_id = make_campaign (store, 2);
  due = tb_store_queue_due (store, campaign_id, 1000, 10, &error);
  for (guint i = 0; i < due->len; i++) {
    TbQueueItem *item = g_ptr_array_index (due, i);
    g_assert_cmpint (tb_store_attempt_begin (store, campaign_id, item->contact_id, 0,
                                             item->e164, 1000, &error), >, 0);
  }
  /* The process dies here: a new connection finds two attempts mid-flight. */
  g_assert_finalize_object (store);

  store = tb_store_open (f->path, &error);
  g_assert_cmpint (tb_store_attempts_close_interrupted (store, 2000, &error), ==, 2);
  g_assert_cmpint (tb_store_attempts_close_interrupted (store, 2000, &error), ==, 0);
  g_assert_true (tb_store_campaign_get_counters (store, campaign_id, &counters));
  g_assert_cmpint (counters.active, ==, 0);
  g_assert_cmpint (counters.pending, ==, 2);
  /* Interrupted dials still count as dials (caps count dials, not answers). */
  g_assert_cmpint (counters.dialed, ==, 2);

  /* An opt-out elsewhere cancels the number's pending work in every campaign. */
  g_assert_cmpint (tb_store_queue_cancel_number (store, "+12025550001", NULL, &error), ==, 1);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = tb_store_queue_due (store, campaign_id, 3000, 10, &error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpstr (((TbQueueItem *) g_ptr_array_index (due, 0))->e164, ==, "+12025550000");

  /* A blocked contact with a retry time waits; without one it is done. */
  g_assert_true (tb_store_queue_block (store, campaign_id,
                                       ((TbQueueItem *) g_ptr_array_index (due, 0))->contact_id,
                                       "R3 window", 9000, &error));
  g_assert_cmpint (tb_store_queue_next_due (store, campaign_id), ==, 9000);
  g_assert_finalize_object (store);
}

static char *
query_text (TbStore    *store,
            const char *sql)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  /* Through a setting: the test has no other way to read a value with plain SQL. */
  g_assert_true (tb_store_exec (store, "DELETE FROM settings WHERE key = 'test-value'", &error));
  {
    g_autofree char *insert = g_strdup_printf ("INSERT INTO settings (key, value) "
                                               "SELECT 'test-value', coalesce ((%s), 'NULL')",
                                               sql);
    g_assert_true (tb_store_exec (store, insert, &error));
  }
  g_assert_no_error (error);
  out = tb_store_dup_setting (store, "test-value", NULL);
  return g_steal_pointer (&out);
}

/* Rows as an older version wrote them: campaign 7 has a name that climbs out of its folder. */
static const char legacy_rows[] =
  "INSERT INTO lists (id, name, created_at) VALUES (1, 'L', 0);"
  "INSERT INTO scripts (id, name, document, updated_at) "
  "  VALUES (1, 'S', '{}', 0);"
  "INSERT INTO lines (id, name, kind, created_at) "
  "  VALUES (1, 'sim', 'sim', 0);"
  "INSERT INTO campaigns (id, name, list_id, script_id, line_id, "
  "  created_at, updated_at) VALUES (7, '../../x', 1, 1, 1, 0, 0);"
  "INSERT INTO attempts (id, campaign_id, e164, dialed_at, recording) "
  "  VALUES (1, NULL, '+12025550101', 0, "
  "    '/srv/old/recordings/calls/attempt-1.wav'),"
  "  (2, NULL, '+12025550101', 0, 'sub/recordings/calls/attempt-2.wav'),"
  "  (3, 7, '+12025550101', 0, './recordings/../../x/attempt-3.wav'),"
  "  (4, NULL, '+12025550101', 0, '/elsewhere/mine.wav'),"
  "  (5, NULL, '+12025550101', 0, '/srv/xrecordings/calls/attempt-5.wav');"
  "INSERT INTO outbox (event, idempotency_key, attempt_id, payload, "
  "  next_try_at, created_at) VALUES ('call.finished', 'k1', 1, "
  "  '{\"call\":{\"recording\":{\"path\":"
  "\"/srv/old/recordings/calls/attempt-1.wav\"}}}', 0, 0);";

/* Migration 4: recordings an older version named from its working folder, or absolutely,
 * are named relative to the data folder; the outbox's pending payloads follow. */
static void
test_recording_paths (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;
  const TbStoreMigration *real = tb_store_get_migrations (&n);
  g_autofree char *resolved = NULL;
  TbStore *store;

  g_assert_cmpint (real[2].version, ==, 3);
  store = tb_store_open_with_migrations (f->path, real, 3, &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_exec (store, legacy_rows, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  {
    static const char * const expected[] = {
      "recordings/calls/attempt-1.wav", "recordings/calls/attempt-2.wav",
      "recordings/../../x/attempt-3.wav", "/elsewhere/mine.wav",
      "/srv/xrecordings/calls/attempt-5.wav",   /* not the name Telebot gave: left */
    };

    for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
      g_autofree char *sql = g_strdup_printf ("SELECT recording FROM attempts WHERE id = %u",
                                              i + 1);
      g_autofree char *got = query_text (store, sql);

      g_assert_cmpstr (got, ==, expected[i]);
    }
  }
  {
    g_autofree char *payload_path = query_text (store, "SELECT json_extract (payload, "
                                                       "'$.call.recording.path') FROM outbox");
    g_assert_cmpstr (payload_path, ==, "recordings/calls/attempt-1.wav");
  }

  /* Found from the data folder, whatever the working folder. */
  resolved = tb_store_resolve_path (store, "recordings/calls/attempt-1.wav");
  g_assert_true (g_path_is_absolute (resolved));
  g_assert_true (g_str_has_prefix (resolved, tb_store_get_data_dir (store)));
  g_assert_true (g_str_has_suffix (resolved, "/recordings/calls/attempt-1.wav"));
  g_clear_pointer (&resolved, g_free);
  resolved = tb_store_resolve_path (store, "/elsewhere/mine.wav");
  g_assert_cmpstr (resolved, ==, "/elsewhere/mine.wav");
  g_assert_null (tb_store_resolve_path (store, NULL));
  g_assert_finalize_object (store);
}

/* Calls two contacts of make_campaign's list: a lead with a turn, and a busy one. */
static void
call_two (TbStore *store,
          gint64   campaign_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = tb_store_queue_due (store, campaign_id, 1000, 10, &error);
  TbAttemptResult lead = { .outcome = "completed", .end_reason = "completed", .grade = "A",
                           .score = 85, .reasons_json = "[\"said yes\"]", .ended_at = 9000 };
  TbAttemptResult busy = { .outcome = "busy", .end_reason = "busy", .protocol_code = 486,
                           .ended_at = 2000 };

  g_assert_no_error (error);
  g_assert_cmpuint (due->len, >=, 2);
  for (guint i = 0; i < 2; i++) {
    TbQueueItem *item = g_ptr_array_index (due, i);
    gint64 attempt_id = tb_store_attempt_begin (store, campaign_id, item->contact_id, 0,
                                                item->e164, 1000 + i, &error);

    g_assert_no_error (error);
    if (i == 0)
      g_assert_true (tb_store_attempt_add_turn (store, attempt_id, 1, "callee", "pitch", "yes",
                                                "yes", 0.9, 1100, 1500, &error));
    g_assert_true (tb_store_attempt_finish (store, attempt_id, i == 0 ? &lead : &busy, 0,
                                            &error));
    g_assert_no_error (error);
  }
}

typedef struct {
  guint n;
  char  seen[256];
} CallSeen;

static gboolean
collect_call (const TbCallRecord  *record,
              gpointer             user_data,
              GError             **error)
{
  CallSeen *seen = user_data;
  g_autofree char *line = g_strdup_printf ("%s %s %s %u;", record->e164, record->outcome,
                                           record->grade ? record->grade : "-",
                                           record->turns ? record->turns->len : 0);

  g_strlcat (seen->seen, line, sizeof seen->seen);
  seen->n++;
  return TRUE;
}

/* Deleting a list whose people were called: its contacts go, the calls stay in the history
 * with their numbers, outcomes, grades and turns; the campaign keeps its record. A list a
 * running or paused campaign dials is kept, saying why. */
static void
test_delete_called_list (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_store_open (f->path, &error);
  TbCallFilter all = { .with_turns = TRUE };
  CallSeen seen = { 0 };
  gint64 campaign_id, list_id;

  g_assert_no_error (error);
  campaign_id = make_campaign (store, 3);
  list_id = tb_store_find_list (store, "list");
  call_two (store, campaign_id);

  g_assert_true (tb_store_campaign_set_state (store, campaign_id, "running", NULL, &error));
  g_assert_false (tb_store_delete_list (store, list_id, &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "campaign \"c\" is running"));
  g_clear_error (&error);
  g_assert_true (tb_store_campaign_set_state (store, campaign_id, "paused", NULL, &error));
  g_assert_false (tb_store_delete_list (store, list_id, &error));
  g_assert_nonnull (strstr (error->message, "is paused"));
  g_clear_error (&error);
  g_assert_cmpint (tb_store_count_contacts (store, list_id, NULL), ==, 3);

  g_assert_true (tb_store_campaign_set_state (store, campaign_id, "finished", NULL, &error));
  g_assert_true (tb_store_delete_list (store, list_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_find_list (store, "list"), ==, 0);
  g_assert_cmpint (tb_store_count_rows (store, "contacts"), ==, 0);
  g_assert_cmpint (tb_store_count_rows (store, "queue"), ==, 0);
  g_assert_cmpint (tb_store_count_rows (store, "attempts"), ==, 2);
  g_assert_cmpint (tb_store_count_rows (store, "turns"), ==, 1);
  g_assert_cmpint (tb_store_count_rows (store, "campaigns"), ==, 1);
  g_assert_true (tb_store_foreach_call (store, &all, collect_call, &seen, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (seen.seen, ==, "+12025550000 completed A 1;+12025550001 busy - 0;");

  /* Both stay leads apart, told by their numbers. */
  memset (&seen, 0, sizeof seen);
  all.leads_only = TRUE;
  all.with_turns = FALSE;
  g_assert_true (tb_store_foreach_call (store, &all, collect_call, &seen, &error));
  g_assert_cmpuint (seen.n, ==, 1);
  g_assert_finalize_object (store);
}

/* One contact edited and deleted; a deleted contact's calls stay. */
static void
test_edit_delete_contact (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_store_open (f->path, &error);
  g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             tb_contact_record_free);
  TbContactRow edit = { .e164 = "+12025559999", .raw_phone = "(202) 555-9999",
                        .name = "Ann Lee", .company = "Acme", .email = "ann@example.com",
                        .country = "US", .number_type = "fixed_or_mobile",
                        .timezone = "America/New_York" };
  TbContactRow clash = { .e164 = "+12025550001" };
  TbCallFilter all = { 0 };
  CallSeen seen = { 0 };
  TbContactRecord *r;
  gint64 campaign_id, list_id, first, second;

  g_assert_no_error (error);
  campaign_id = make_campaign (store, 3);
  list_id = tb_store_find_list (store, "list");
  call_two (store, campaign_id);
  g_assert_true (tb_store_list_contacts (store, list_id, NULL, TB_CONTACT_SORT_ID, FALSE, 0, 10,
                                         got, &error));
  first = ((TbContactRecord *) g_ptr_array_index (got, 0))->id;
  second = ((TbContactRecord *) g_ptr_array_index (got, 1))->id;

  g_assert_true (tb_store_update_contact (store, first, &edit, &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (got, 0);
  g_assert_true (tb_store_list_contacts_by_ids (store, &first, 1, got, &error));
  r = g_ptr_array_index (got, 0);
  g_assert_cmpstr (r->e164, ==, "+12025559999");
  g_assert_cmpstr (r->raw_phone, ==, "(202) 555-9999");
  g_assert_cmpstr (r->name, ==, "Ann Lee");
  g_assert_cmpstr (r->company, ==, "Acme");
  g_assert_cmpstr (r->email, ==, "ann@example.com");
  g_assert_cmpstr (r->timezone, ==, "America/New_York");
  g_assert_cmpstr (r->fields_json, ==, "{}");

  /* Two contacts of one list never share a number; a number must be E.164. */
  g_assert_false (tb_store_update_contact (store, first, &clash, &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "+12025550001 is already in this list"));
  g_clear_error (&error);
  clash.e164 = "12ab";
  g_assert_false (tb_store_update_contact (store, first, &clash, &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Being called: kept. Called before: deleted, the calls stay. */
  g_assert_true (tb_store_exec (store, "UPDATE queue SET state = 'active'", &error));
  g_assert_false (tb_store_delete_contact (store, second, &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (tb_store_exec (store, "UPDATE queue SET state = 'done'", &error));
  g_assert_true (tb_store_delete_contact (store, second, &error));
  g_assert_true (tb_store_delete_contact (store, first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_count_contacts (store, list_id, NULL), ==, 1);
  g_assert_false (tb_store_delete_contact (store, first, &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (tb_store_foreach_call (store, &all, collect_call, &seen, &error));
  g_assert_cmpstr (seen.seen, ==, "+12025550000 completed A 0;+12025550001 busy - 0;");
  g_assert_finalize_object (store);
}

/* Migration 8 rebuilds campaigns and attempts: every row of an older database stays,
 * turns and queues included (dropping a table with foreign keys on would delete them). */
static void
test_rebuild_keeps_rows (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const tables[] = {
    "lists", "contacts", "campaigns", "queue", "attempts", "turns", "scripts", "lines",
  };
  g_autoptr(GError) error = NULL;
  guint n = 0;
  const TbStoreMigration *real = tb_store_get_migrations (&n);
  gint64 before[G_N_ELEMENTS (tables)];
  g_autofree char *amd = NULL;
  g_autofree char *fk = NULL;
  TbStore *store;
  gint64 campaign_id;

  g_assert_cmpint (real[6].version, ==, 7);
  store = tb_store_open_with_migrations (f->path, real, 7, &error);
  g_assert_no_error (error);
  campaign_id = make_campaign (store, 3);
  call_two (store, campaign_id);
  g_assert_true (tb_store_exec (store, "UPDATE attempts SET amd = 'human: hello';"
                                "UPDATE campaigns SET state_reason = 'why'", &error));
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    before[i] = tb_store_count_rows (store, tables[i]);
  g_assert_cmpint (before[5], ==, 1);
  g_assert_finalize_object (store);

  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_get_schema_version (store), ==, tb_store_get_latest_version ());
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_assert_cmpint (tb_store_count_rows (store, tables[i]), ==, before[i]);
  amd = query_text (store, "SELECT group_concat (amd) FROM attempts");
  g_assert_cmpstr (amd, ==, "human: hello,human: hello");
  fk = query_text (store, "SELECT group_concat (\"table\" || '.' || on_delete) FROM ("
                          "  SELECT * FROM pragma_foreign_key_list ('attempts') UNION ALL "
                          "  SELECT * FROM pragma_foreign_key_list ('campaigns')) "
                          "WHERE \"from\" IN ('contact_id', 'list_id')");
  g_assert_cmpstr (fk, ==, "contacts.SET NULL,lists.SET NULL");
  /* Foreign keys are on again, and the E.164 rule still holds for attempts. */
  g_assert_false (tb_store_exec (store, "INSERT INTO turns (attempt_id, seq, speaker) "
                                 "VALUES (4242, 1, 'bot')", &error));
  g_clear_error (&error);
  g_assert_false (tb_store_exec (store, "UPDATE attempts SET e164 = '12ab'", &error));
  g_clear_error (&error);
  g_assert_finalize_object (store);
}

/* Writes @n contacts from +1202555<first>… as import @import_id of @list_id. */
static void
write_import (TbStore *store,
              gint64   list_id,
              gint64   import_id,
              guint    first,
              guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbContactWriter) writer = tb_contact_writer_new (store, list_id, &error);
  /* The writer borrows the strings until it flushes. */
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  tb_contact_writer_set_import (writer, import_id);
  for (guint i = first; i < first + n; i++) {
    TbContactRow row = { .e164 = g_strdup_printf ("+1202555%04u", i) };

    g_ptr_array_add (numbers, (char *) row.e164);
    g_assert_true (tb_contact_writer_add (writer, &row, &error));
  }
  g_assert_true (tb_contact_writer_flush (writer, &error));
  g_assert_no_error (error);
}

/* Undo removes exactly what one import added; dialed contacts stay, and so does a list the
 * import did not make. */
static void
test_undo_import (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_store_open (f->path, &error);
  TbImportUndo undo;
  gint64 campaign_id, list_id, import_id, fresh_list, fresh_import;

  g_assert_no_error (error);
  /* make_campaign's three contacts were added by hand; an import adds two more. */
  campaign_id = make_campaign (store, 3);
  list_id = tb_store_find_list (store, "list");
  import_id = tb_store_add_import (store, list_id, FALSE, "more.csv", &error);
  g_assert_no_error (error);
  write_import (store, list_id, import_id, 10, 2);
  g_assert_cmpint (tb_store_count_contacts (store, list_id, NULL), ==, 5);
  g_assert_true (tb_store_undo_import (store, import_id, &undo, &error));
  g_assert_no_error (error);
  g_assert_cmpint (undo.removed, ==, 2);
  g_assert_cmpint (undo.kept, ==, 0);
  g_assert_false (undo.list_deleted);
  g_assert_cmpint (tb_store_count_contacts (store, list_id, NULL), ==, 3);
  g_assert_false (tb_store_undo_import (store, import_id, &undo, &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An import that made its list: one contact dialed stays, with its list; undoing again
   * after it is deleted takes the list. */
  fresh_list = tb_store_ensure_list (store, "fresh", "fresh.csv", &error);
  fresh_import = tb_store_add_import (store, fresh_list, TRUE, "fresh.csv", &error);
  write_import (store, fresh_list, fresh_import, 20, 3);
  {
    g_autoptr(GArray) ids = tb_store_list_contact_ids (store, fresh_list, NULL,
                                                       TB_CONTACT_SORT_ID, FALSE, &error);
    g_assert_cmpint (tb_store_attempt_begin (store, campaign_id, g_array_index (ids, gint64, 0),
                                             0, "+12025550020", 1000, &error), >, 0);
    g_assert_no_error (error);
  }
  g_assert_true (tb_store_undo_import (store, fresh_import, &undo, &error));
  g_assert_cmpint (undo.removed, ==, 2);
  g_assert_cmpint (undo.kept, ==, 1);
  g_assert_false (undo.list_deleted);
  g_assert_cmpint (tb_store_find_list (store, "fresh"), ==, fresh_list);
  g_assert_cmpint (tb_store_count_contacts (store, fresh_list, NULL), ==, 1);
  g_assert_true (tb_store_exec (store, "DELETE FROM attempts", &error));
  g_assert_true (tb_store_undo_import (store, fresh_import, &undo, &error));
  g_assert_cmpint (undo.removed, ==, 1);
  g_assert_true (undo.list_deleted);
  g_assert_cmpint (tb_store_find_list (store, "fresh"), ==, 0);
  g_assert_cmpint (tb_store_count_rows (store, "imports"), ==, 0);
  g_assert_finalize_object (store);
}

/* The database is its owner's alone, and so are the journals SQLite makes beside it. */
static void
test_private_files (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_autofree char *name = NULL;
  TbStore *store;
  GStatBuf st;

  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_set_setting (store, "business-name", "Acme", &error));
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (shm, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_finalize_object (store);

  /* One an older version left readable by all is tightened when opened. */
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  name = tb_store_recording_name (12, 345);
  g_assert_cmpstr (name, ==, "recordings/campaign-12/attempt-345.wav");
  g_clear_pointer (&name, g_free);
  name = tb_store_recording_name (0, 6);
  g_assert_cmpstr (name, ==, "recordings/calls/attempt-6.wav");
  g_assert_finalize_object (store);
}

static void
test_open_error_names_path (void)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_store_open ("/proc/telebot-cannot-be-here/telebot.db", &error);

  g_assert_null (store);
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "/proc/telebot-cannot-be-here"));
}

/* Migration 11 (issue #20): a campaign of an older database dials over its one line, now
 * the pool of one; its attempts keep their line and gain an empty caller number. */
static void
test_pool_of_one (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pool = NULL;
  g_autofree char *callers = NULL;
  g_autofree char *rows = NULL;
  guint n = 0;
  const TbStoreMigration *real = tb_store_get_migrations (&n);
  TbStore *store;
  gint64 campaign_id;

  g_assert_cmpint (real[9].version, ==, 10);
  store = tb_store_open_with_migrations (f->path, real, 10, &error);
  g_assert_no_error (error);
  campaign_id = make_campaign (store, 3);
  call_two (store, campaign_id);
  g_assert_finalize_object (store);

  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  rows = query_text (store, "SELECT count(*) FROM campaign_lines");
  g_assert_cmpstr (rows, ==, "1");
  pool = tb_store_dup_campaign_lines (store, campaign_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pool->len, ==, 1);
  g_assert_cmpstr (((TbCampaignLineRow *) g_ptr_array_index (pool, 0))->name, ==, "sim");
  g_assert_true (((TbCampaignLineRow *) g_ptr_array_index (pool, 0))->enabled);
  callers = query_text (store, "SELECT count(*) || ':' || count(caller_id) FROM attempts");
  g_assert_cmpstr (callers, ==, "2:0");
  g_assert_finalize_object (store);
}

/* Migration 13 (issue #20): the campaigns table is rebuilt for the local-first rule; a
 * campaign of an older database keeps its rule, pool, queue and calls, and the new rule can be
 * stored while an unknown one is still refused. */
static void
test_local_first_rule (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *local = NULL;
  g_autofree char *rows = NULL;
  guint n = 0;
  const TbStoreMigration *real = tb_store_get_migrations (&n);
  TbStore *store;
  gint64 campaign_id;

  g_assert_cmpint (real[11].version, ==, 12);
  store = tb_store_open_with_migrations (f->path, real, 12, &error);
  g_assert_no_error (error);
  campaign_id = make_campaign (store, 3);
  call_two (store, campaign_id);
  g_assert_true (tb_store_set_campaign_number_rule (store, campaign_id, "different_on_retry",
                                                    &error));
  g_assert_no_error (error);
  g_assert_false (tb_store_set_campaign_number_rule (store, campaign_id, "local_first", &error));
  g_clear_error (&error);
  g_assert_finalize_object (store);

  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  rule = tb_store_dup_campaign_number_rule (store, campaign_id);
  g_assert_cmpstr (rule, ==, "different_on_retry");
  rows = query_text (store, "SELECT (SELECT count(*) FROM queue) || ':' || "
                            "(SELECT count(*) FROM attempts) || ':' || "
                            "(SELECT count(*) FROM campaigns WHERE list_id IS NOT NULL)");
  g_assert_cmpstr (rows, ==, "3:2:1");
  g_assert_true (tb_store_set_campaign_number_rule (store, campaign_id, "local_first", &error));
  g_assert_no_error (error);
  local = tb_store_dup_campaign_number_rule (store, campaign_id);
  g_assert_cmpstr (local, ==, "local_first");
  g_assert_false (tb_store_set_campaign_number_rule (store, campaign_id, "nearest", &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT);
  g_assert_finalize_object (store);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/telebot/store/migrations/fresh-db", Fixture, NULL,
              fixture_set_up, test_fresh_db, fixture_tear_down);
  g_test_add ("/telebot/store/migrations/upgrade-keeps-data", Fixture, NULL,
              fixture_set_up, test_upgrade_keeps_data, fixture_tear_down);
  g_test_add ("/telebot/store/migrations/failure-rolls-back", Fixture, NULL,
              fixture_set_up, test_failing_migration_rolls_back, fixture_tear_down);
  g_test_add ("/telebot/store/write-behind", Fixture, NULL,
              fixture_set_up, test_write_behind, fixture_tear_down);
    g_test_add ("/telebot/store/transactions", Fixture, NULL,
              fixture_set_up, test_transactions, fixture_tear_down);
  g_test_add ("/telebot/store/reader-sees-consistent-data", Fixture, NULL,
              fixture_set_up, test_reader_sees_consistent_data, fixture_tear_down);
  g_test_add ("/telebot/store/attempts/lifecycle", Fixture, NULL,
              fixture_set_up, test_attempt_lifecycle, fixture_tear_down);
  g_test_add ("/telebot/store/attempts/crash-recovery", Fixture, NULL,
              fixture_set_up, test_crash_recovery, fixture_tear_down);
  g_test_add ("/telebot/store/migrations/recording-paths", Fixture, NULL,
              fixture_set_up, test_recording_paths, fixture_tear_down);
  g_test_add ("/telebot/store/lists/delete-called", Fixture, NULL,
              fixture_set_up, test_delete_called_list, fixture_tear_down);
  g_test_add ("/telebot/store/contacts/edit-delete", Fixture, NULL,
              fixture_set_up, test_edit_delete_contact, fixture_tear_down);
  g_test_add ("/telebot/store/migrations/rebuild-keeps-rows", Fixture, NULL,
              fixture_set_up, test_rebuild_keeps_rows, fixture_tear_down);
  g_test_add ("/telebot/store/migrations/pool-of-one", Fixture, NULL,
              fixture_set_up, test_pool_of_one, fixture_tear_down);
  g_test_add ("/telebot/store/migrations/local-first-rule", Fixture, NULL,
              fixture_set_up, test_local_first_rule, fixture_tear_down);
  g_test_add ("/telebot/store/contacts/undo-import", Fixture, NULL,
              fixture_set_up, test_undo_import, fixture_tear_down);
  g_test_add ("/telebot/store/private-files", Fixture, NULL,
              fixture_set_up, test_private_files, fixture_tear_down);
  g_test_add_func ("/telebot/store/open-error-names-path", test_open_error_names_path);

  return g_test_run ();
}
