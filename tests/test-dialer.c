/* test-dialer.c — the dialer's scheduling against a real store, with a
 * scripted call backend (the line and media are tested in their own suites)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tb-dialer.h"
#include "tb-line-pool.h"
#include "tb-retry-rules.h"
#include "tb-store-attempts.h"
#include "tb-store-config.h"
#include "tb-store-calls.h"
#include "tb-store-contacts.h"
#include "tb-store-lines.h"
#include "tb-store-variants.h"

typedef struct {
  char       *dir;
  TbStore    *store;
  TbClock    *clock;
  gint64      campaign_id;
  GHashTable *outcomes;   /* e164 -> GStrv of outcomes, one per attempt */
  GHashTable *dials;      /* e164 -> count */
  GHashTable *blocked;    /* e164 set: the gate refuses it */
  guint       max_active;
  guint       active;
  GPtrArray  *pending;    /* calls to end on the next idle: attempt ids */
  GHashTable *variants;   /* attempt id (gint64 *) -> the variant place_call was given */
  TbDialer   *dialer;
  gint64      lines[2];   /* a fake pool of two lines of one call each (line-room test) */
  guint       on_line[2]; /* calls in flight on each */
  guint       pool_max[2];
  gboolean    lines_down; /* no line can dial */
  guint       next_line;
} Fixture;

typedef struct {
  Fixture *f;
  gint64   attempt_id;
  gint64   line_id;
  char    *outcome;
} PendingCall;

static gboolean
end_call_cb (gpointer data)
{
  PendingCall *call = data;
  g_autoptr(GError) error = NULL;
  TbAttemptResult result = { 0 };

  result.outcome = call->outcome;
  result.end_reason = call->outcome;
  result.ended_at = tb_clock_now (call->f->clock);
  if (g_str_equal (call->outcome, "opt_out")) {
    result.outcome = "completed";
    result.opt_out = TRUE;
    result.grade = "E";
  } else if (g_str_equal (call->outcome, "completed")) {
    result.grade = "A";
    result.score = 90;
  }
  call->f->active--;
  for (guint i = 0; i < G_N_ELEMENTS (call->f->lines); i++)
    if (call->line_id != 0 && call->line_id == call->f->lines[i])
      call->f->on_line[i]--;
  g_assert_true (tb_dialer_call_ended (call->f->dialer, call->attempt_id, &result, &error));
  g_assert_no_error (error);
  g_free (call->outcome);
  g_free (call);
  return G_SOURCE_REMOVE;
}

static void
place_call (gpointer           user_data,
            TbDialer          *dialer,
            const TbQueueItem *item,
            gint64             attempt_id)
{
  Fixture *f = user_data;
  GStrv outcomes = g_hash_table_lookup (f->outcomes, item->e164);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (f->dials, item->e164));
  PendingCall *call = g_new0 (PendingCall, 1);

  g_hash_table_insert (f->dials, g_strdup (item->e164), GUINT_TO_POINTER (n + 1));
  g_hash_table_insert (f->variants, g_memdup2 (&attempt_id, sizeof attempt_id),
                       g_strdup (item->variant));
  f->active++;
  f->max_active = MAX (f->max_active, f->active);

  call->f = f;
  call->attempt_id = attempt_id;
  call->line_id = item->line_id;
  for (guint i = 0; i < G_N_ELEMENTS (f->lines); i++)
    if (item->line_id != 0 && item->line_id == f->lines[i]) {
      f->on_line[i]++;
      f->pool_max[i] = MAX (f->pool_max[i], f->on_line[i]);
    }
  call->outcome = g_strdup (outcomes && n < g_strv_length (outcomes) ? outcomes[n] : "completed");
  g_timeout_add (1, end_call_cb, call);
}

static gboolean
gate (gpointer           user_data,
      const TbQueueItem *item,
      gint64             now,
      char             **rule,
      gint64            *retry_at)
{
  Fixture *f = user_data;

  if (g_hash_table_contains (f->blocked, item->e164)) {
    *rule = g_strdup ("R1 do-not-call");
    *retry_at = 0;
    return FALSE;
  }
  return TRUE;
}

static const TbDialerBackend backend = { gate, place_call, NULL };

/* A fake pool: two lines of one call each; none when lines_down. */
static guint
line_room (gpointer   user_data,
           gint64     now,
           char     **why,
           gint64    *next_free)
{
  Fixture *f = user_data;
  guint room = 0;

  for (guint i = 0; i < G_N_ELEMENTS (f->lines); i++)
    room += !f->lines_down && f->on_line[i] == 0;
  if (room == 0)
    *why = g_strdup ("no line can dial now: test");
  return room;
}

static gboolean
pick_line (gpointer     user_data,
           TbQueueItem *item,
           gint64       now,
           char       **why,
           gint64      *retry_at)
{
  Fixture *f = user_data;

  for (guint k = 0; k < G_N_ELEMENTS (f->lines); k++) {
    guint i = (f->next_line + k) % G_N_ELEMENTS (f->lines);

    if (f->lines_down || f->on_line[i] > 0)
      continue;
    f->next_line = i + 1;
    item->line_id = f->lines[i];
    item->caller_id = g_strdup_printf ("+1202555990%u", i);
    return TRUE;
  }
  return FALSE;
}

static const TbDialerBackend pool_backend = { gate, place_call, NULL, line_room, pick_line };

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 list_id, script_id, line_id;

  f->dir = g_dir_make_tmp ("telebot-dialer-XXXXXX", NULL);
  path = g_build_filename (f->dir, "t.db", NULL);
  f->store = tb_store_open (path, &error);
  g_assert_no_error (error);
  f->clock = tb_clock_new (0, TRUE);
  f->outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  f->dials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->blocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->variants = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  list_id = tb_store_ensure_list (f->store, "l", NULL, &error);
  for (guint i = 0; i < 20; i++) {
    g_autofree char *e164 = g_strdup_printf ("+1202555%04u", i);
    TbContactRow row = { .e164 = e164 };
    g_assert_cmpint (tb_store_add_contact (f->store, list_id, &row, &error), >, 0);
  }
  script_id = tb_store_save_script (f->store, "s", "en", "{}", &error);
  line_id = tb_store_add_line (f->store, "sim", "sim", NULL, 8, &error);
  f->campaign_id = tb_store_create_campaign (f->store, "c", list_id, script_id, line_id, "US",
                                             3, &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_exec (f->store,
                                "UPDATE campaigns SET retry_rules = '{\"max_attempts\": 3, "
                                "\"retry_minutes\": {\"busy\": 30, \"no_answer\": 120}}'",
                                &error));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->dialer);
  g_assert_finalize_object (f->store);
  g_object_unref (f->clock);
  g_hash_table_unref (f->outcomes);
  g_hash_table_unref (f->dials);
  g_hash_table_unref (f->blocked);
  g_hash_table_unref (f->variants);
  g_free (f->dir);
}

static void
on_finished (TbDialer *dialer,
             gboolean *done)
{
  *done = TRUE;
}

static void
run_campaign (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  f->dialer = tb_dialer_new (f->store, f->campaign_id, f->clock, &backend, f, &error);
  g_assert_no_error (error);
  g_signal_connect (f->dialer, "finished", G_CALLBACK (on_finished), &done);
  tb_dialer_start (f->dialer);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (tb_dialer_get_state (f->dialer), ==, TB_DIALER_STATE_FINISHED);
}

static guint
dials (Fixture    *f,
       const char *e164)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (f->dials, e164));
}

static void
test_retries_and_caps (Fixture       *f,
                       gconstpointer  data)
{
  const char *busy_then_answer[] = { "busy", "completed", NULL };
  const char *always_busy[] = { "busy", "busy", "busy", "busy", "busy", NULL };
  const char *no_answer_twice[] = { "no_answer", "no_answer", "completed", NULL };
  const char *rejected[] = { "rejected", NULL };
  TbCampaignCounters counters;
  gint64 start = tb_clock_now (f->clock);

  g_hash_table_insert (f->outcomes, g_strdup ("+12025550001"), g_strdupv ((GStrv) busy_then_answer));
  g_hash_table_insert (f->outcomes, g_strdup ("+12025550002"), g_strdupv ((GStrv) always_busy));
  g_hash_table_insert (f->outcomes, g_strdup ("+12025550003"), g_strdupv ((GStrv) no_answer_twice));
  g_hash_table_insert (f->outcomes, g_strdup ("+12025550004"), g_strdupv ((GStrv) rejected));
  g_hash_table_add (f->blocked, g_strdup ("+12025550005"));

  run_campaign (f);

  g_assert_cmpuint (dials (f, "+12025550000"), ==, 1);
  g_assert_cmpuint (dials (f, "+12025550001"), ==, 2);
  g_assert_cmpuint (dials (f, "+12025550002"), ==, 3);   /* max_attempts */
  g_assert_cmpuint (dials (f, "+12025550003"), ==, 3);
  g_assert_cmpuint (dials (f, "+12025550004"), ==, 1);   /* not a retried outcome */
  g_assert_cmpuint (dials (f, "+12025550005"), ==, 0);   /* the gate said no */
  g_assert_cmpuint (f->max_active, <=, 3);
  g_assert_cmpuint (f->max_active, >=, 2);

  /* Two no-answers: the retries waited 2 h each on the simulated clock. */
  g_assert_cmpint (tb_clock_now (f->clock) - start, >=, 4 * G_TIME_SPAN_HOUR);

  g_assert_true (tb_store_campaign_get_counters (f->store, f->campaign_id, &counters));
  g_assert_cmpint (counters.total, ==, 20);
  g_assert_cmpint (counters.done, ==, 20);
  g_assert_cmpint (counters.blocked, ==, 1);
  g_assert_cmpint (counters.dialed, ==, 1 + 2 + 3 + 3 + 1 + 15 - 1);
}

static void
test_opt_out_cancels_everywhere (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *opt_out[] = { "opt_out", NULL };
  gint64 other_list, other_campaign;
  TbContactRow row = { .e164 = "+12025550007" };
  TbCampaignCounters counters;

  /* The same number waits in a second campaign. */
  other_list = tb_store_ensure_list (f->store, "other", NULL, &error);
  g_assert_cmpint (tb_store_add_contact (f->store, other_list, &row, &error), >, 0);
  other_campaign = tb_store_create_campaign (f->store, "other", other_list, 1, 1, "US", 1, &error);
  g_assert_no_error (error);

  g_hash_table_insert (f->outcomes, g_strdup ("+12025550007"), g_strdupv ((GStrv) opt_out));
  run_campaign (f);

  g_assert_cmpuint (dials (f, "+12025550007"), ==, 1);
  g_assert_true (tb_store_campaign_get_counters (f->store, other_campaign, &counters));
  g_assert_cmpint (counters.pending, ==, 0);
  g_assert_cmpint (counters.done, ==, 1);
  g_assert_true (tb_store_campaign_get_counters (f->store, f->campaign_id, &counters));
  g_assert_cmpint (counters.opted_out, ==, 1);
}

/* Retry rules: the ceilings are refused with the reason and clamped when read; one-way
 * audio (media_failure) is retried like any other failure of the line. */
static void
test_retry_ceilings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbRetryRules) lax = NULL;
  gint64 now = (gint64) 1000000 * G_USEC_PER_SEC;

  g_assert_true (tb_retry_rules_check ("{\"max_attempts\": 3, \"retry_minutes\": {\"busy\": 30}}",
                                       &error));
  g_assert_no_error (error);
  g_assert_false (tb_retry_rules_check ("{\"max_attempts\": 1000}", &error));
  g_assert_nonnull (strstr (error->message, "1000 attempts"));
  g_clear_error (&error);
  g_assert_false (tb_retry_rules_check ("{\"retry_minutes\": {\"busy\": 0}}", &error));
  g_assert_nonnull (strstr (error->message, "busy in 0 minutes"));
  g_clear_error (&error);
  /* "Not retried" stays possible. */
  g_assert_true (tb_retry_rules_check ("{\"retry_minutes\": {\"busy\": -1}}", NULL));

  lax = tb_retry_rules_new_from_json ("{\"max_attempts\": 1000, \"retry_minutes\": "
                                      "{\"busy\": 0}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_retry_rules_get_max_attempts (lax), ==, TB_RETRY_MAX_ATTEMPTS);
  g_assert_cmpint (tb_retry_rules_next (lax, "busy", 1, now), ==,
                   now + (gint64) TB_RETRY_MIN_MINUTES * 60 * G_USEC_PER_SEC);
  g_assert_cmpint (tb_retry_rules_next (lax, "interrupted", 1, now), >=,
                   now + (gint64) TB_RETRY_MIN_MINUTES * 60 * G_USEC_PER_SEC);
  g_assert_cmpint (tb_retry_rules_next (lax, "media_failure", 1, now), ==,
                   now + (gint64) 60 * 60 * G_USEC_PER_SEC);
  g_assert_cmpint (tb_retry_rules_next (lax, "completed", 1, now), ==, 0);
}

static void
on_stalled (TbDialer   *dialer,
            const char *reason,
            char      **out)
{
  g_free (*out);
  *out = g_strdup (reason);
}

/* Issue 16: every contact blocked for good (the gate's R5: no consent) and nobody dialed is
 * not a finished campaign. The dialer pauses, says why, and a new Start asks the gate about
 * the blocked contacts again: once consent is in, they are dialed. */
static void
test_nothing_dialable (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCampaignRow) row = NULL;
  g_autofree char *reason = NULL;
  TbCampaignCounters counters;
  gboolean done = FALSE;

  for (guint i = 0; i < 20; i++)
    g_hash_table_add (f->blocked, g_strdup_printf ("+1202555%04u", i));
  f->dialer = tb_dialer_new (f->store, f->campaign_id, f->clock, &backend, f, &error);
  g_assert_no_error (error);
  g_signal_connect (f->dialer, "finished", G_CALLBACK (on_finished), &done);
  g_signal_connect (f->dialer, "stalled", G_CALLBACK (on_stalled), &reason);
  tb_dialer_start (f->dialer);
  while (reason == NULL && !done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (done);
  g_assert_cmpint (tb_dialer_get_state (f->dialer), ==, TB_DIALER_STATE_PAUSED);
  g_assert_cmpstr (reason, ==, "nothing can be dialed: 20 are on the do-not-call list (R1)");
  row = tb_store_get_campaign (f->store, f->campaign_id, &error);
  g_assert_cmpstr (row->state, ==, "paused");
  g_assert_cmpstr (row->state_reason, ==, reason);
  g_assert_true (tb_store_campaign_get_counters (f->store, f->campaign_id, &counters));
  g_assert_cmpint (counters.dialed, ==, 0);
  g_assert_cmpint (counters.blocked, ==, 20);

  /* The gate lets 19 through now; Start asks it again about each. */
  g_hash_table_remove_all (f->blocked);
  g_hash_table_add (f->blocked, g_strdup ("+12025550005"));
  tb_dialer_start (f->dialer);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (tb_dialer_get_state (f->dialer), ==, TB_DIALER_STATE_FINISHED);
  g_assert_true (tb_store_campaign_get_counters (f->store, f->campaign_id, &counters));
  g_assert_cmpint (counters.dialed, ==, 19);
  g_assert_cmpint (counters.blocked, ==, 1);
  g_assert_cmpuint (dials (f, "+12025550005"), ==, 0);
}

/* The split is deterministic (a crash changes nobody's variant) and follows the shares; per
 * retry, each retry of a contact runs the next variant. */
static void
test_pick_variant (void)
{
  const int shares[] = { 70, 30 };
  const int thirds[] = { 34, 33, 33 };
  guint n_a = 0, counts[3] = { 0 };

  for (gint64 contact = 1; contact <= 2000; contact++) {
    guint v = tb_dialer_pick_variant (7, contact, 0, FALSE, shares, 2);

    g_assert_cmpuint (v, <, 2);
    /* The same contact keeps its variant on every attempt, and every time it is asked. */
    g_assert_cmpuint (tb_dialer_pick_variant (7, contact, 2, FALSE, shares, 2), ==, v);
    g_assert_cmpuint (tb_dialer_pick_variant (7, contact, 0, FALSE, shares, 2), ==, v);
    n_a += v == 0;
    counts[tb_dialer_pick_variant (7, contact, 0, FALSE, thirds, 3)]++;
    for (int attempt = 0; attempt < 3; attempt++)
      g_assert_cmpuint (tb_dialer_pick_variant (7, contact, attempt + 1, TRUE, shares, 2), !=,
                        tb_dialer_pick_variant (7, contact, attempt, TRUE, shares, 2));
  }
  /* 70 % of 2000 is 1400; the binomial's standard deviation is about 20. */
  g_assert_cmpuint (n_a, >, 1300);
  g_assert_cmpuint (n_a, <, 1500);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (counts[i], >, 560);
}

/* Every attempt records the variant it ran, in the store, the same one the call was given. */
static void
test_variants_recorded (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 scripts[2];
  int shares[2] = { 0, 0 };
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;

  scripts[0] = tb_store_find_script (f->store, "s");
  scripts[1] = tb_store_save_script (f->store, "s2", "en", "{}", &error);
  g_assert_true (tb_store_set_campaign_variants (f->store, f->campaign_id,
                                                 TB_VARIANT_MODE_PER_RETRY, scripts, shares, 2,
                                                 &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i += 2)
    g_hash_table_insert (f->outcomes, g_strdup_printf ("+1202555%04u", i),
                         g_strsplit ("busy,busy,completed", ",", -1));
  run_campaign (f);

  g_hash_table_iter_init (&iter, f->variants);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    g_autofree char *sql = g_strdup_printf ("UPDATE attempts SET notes = 'checked' "
                                            "WHERE id = %" G_GINT64_FORMAT " AND variant = '%s'",
                                            *(gint64 *) key, (char *) value);

    g_assert_nonnull (value);
    g_assert_true (tb_store_exec (f->store, sql, &error));
    n++;
  }
  /* 10 contacts dialed three times, 10 once. */
  g_assert_cmpuint (n, ==, 40);
  g_assert_true (tb_store_exec (f->store,
                                "CREATE TEMP TABLE bad AS SELECT id FROM attempts "
                                "WHERE notes IS NOT 'checked' OR variant IS NULL UNION ALL "
                                "SELECT a.id FROM attempts a JOIN attempts b "
                                "  ON b.contact_id = a.contact_id AND b.id > a.id "
                                "  AND NOT EXISTS (SELECT 1 FROM attempts m WHERE "
                                "    m.contact_id = a.contact_id AND m.id > a.id AND m.id < b.id) "
                                "WHERE a.variant = b.variant", &error));
  g_assert_no_error (error);
  /* None: an attempt without its variant, or a retry that kept its variant. */
  g_assert_true (tb_store_exec (f->store,
                                "CREATE TEMP TABLE none (n INTEGER CHECK (n = 0));"
                                "INSERT INTO none SELECT count (*) FROM bad", &error));
  g_assert_no_error (error);
}

/* The dialer over a pool: never more calls than the lines have room for (whatever the
 * concurrency), each attempt recorded with its line and caller number; with no line up it
 * waits, saying why, and dials once kicked. */
static void
test_line_room (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  const char *rule = NULL;
  GHashTableIter iter;
  gpointer key;

  f->lines[0] = tb_store_add_line (f->store, "a", "sim", NULL, 1, &error);
  f->lines[1] = tb_store_add_line (f->store, "b", "sim", NULL, 1, &error);
  g_assert_no_error (error);
  f->lines_down = TRUE;
  f->dialer = tb_dialer_new (f->store, f->campaign_id, f->clock, &pool_backend, f, &error);
  g_assert_no_error (error);
  g_signal_connect (f->dialer, "finished", G_CALLBACK (on_finished), &done);
  tb_dialer_start (f->dialer);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (f->active, ==, 0);
  g_assert_cmpuint (g_hash_table_size (f->dials), ==, 0);
  g_assert_cmpint (tb_dialer_get_state (f->dialer), ==, TB_DIALER_STATE_RUNNING);
  tb_dialer_get_wait (f->dialer, &rule);
  g_assert_cmpstr (rule, ==, "no line can dial now: test");

  f->lines_down = FALSE;
  tb_dialer_kick (f->dialer);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_hash_table_size (f->dials), ==, 20);
  g_assert_cmpuint (f->max_active, ==, 2);          /* concurrency 3, room 2 */
  g_assert_cmpuint (f->pool_max[0], ==, 1);
  g_assert_cmpuint (f->pool_max[1], ==, 1);
  g_assert_cmpuint (g_hash_table_size (f->variants), ==, 20);
  g_hash_table_iter_init (&iter, f->variants);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    g_autoptr(TbCallRecord) call = tb_store_load_call (f->store, *(gint64 *) key, FALSE, &error);

    g_assert_no_error (error);
    g_assert_nonnull (call->line_name);
    g_assert_cmpstr (call->caller_id, ==,
                     g_str_equal (call->line_name, "a") ? "+12025559900" : "+12025559901");
  }
}

typedef struct {
  char    *dir;
  TbStore *store;
  gint64   campaign_id;
  gint64   ids[3];
} PoolFixture;

static void
pool_set_up (PoolFixture   *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *names[] = { "p1", "p2", "p3" };
  const int max_calls[] = { 2, 1, 2 };
  gint64 list_id, script_id;

  f->dir = g_dir_make_tmp ("telebot-pool-XXXXXX", NULL);
  path = g_build_filename (f->dir, "t.db", NULL);
  f->store = tb_store_open (path, &error);
  g_assert_no_error (error);
  list_id = tb_store_ensure_list (f->store, "l", NULL, &error);
  script_id = tb_store_save_script (f->store, "s", "en", "{}", &error);
  for (guint i = 0; i < 3; i++) {
    g_autofree char *config = g_strdup_printf ("{\"fast\":true,\"caller_id\":\"+1202555990%u\"}",
                                               i + 1);

    f->ids[i] = tb_store_add_line (f->store, names[i], "sim", config, max_calls[i], &error);
    g_assert_no_error (error);
  }
  f->campaign_id = tb_store_create_campaign (f->store, "c", list_id, script_id, f->ids[0], "US",
                                             10, &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_set_campaign_lines (f->store, f->campaign_id, f->ids, 3, &error));
  g_assert_no_error (error);
}

static void
pool_tear_down (PoolFixture   *f,
                gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_free (f->dir);
}

/* 2026-12-01 15:00 UTC: the pool's tests run on a fixed campaign clock. */
#define NOW ((gint64) 1796137200 * G_USEC_PER_SEC)

static gint64
pick (TbLinePool *pool,
      gint64      last_line_id,
      const char *caller_id)
{
  g_autofree char *caller = NULL;
  gint64 line_id = 0;

  if (!tb_line_pool_pick (pool, NOW, "+12025550199", last_line_id, NULL, &line_id, &caller))
    return 0;
  if (caller_id != NULL)
    g_assert_cmpstr (caller, ==, caller_id);
  return line_id;
}

static void
on_pool_changed (TbLinePool *pool,
                 guint      *n)
{
  (*n)++;
}

/* The pool's pick: room first (max-calls minus calls), round-robin, a retry on another line;
 * a line in error is out of the pick (its call ends with its reason) and back when ready; a
 * line whose calls keep failing rests. */
static void
test_line_pool (PoolFixture   *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbLinePool *pool = tb_line_pool_new (f->store, f->campaign_id, TRUE, NOW, &error);
  g_autofree char *why = NULL;
  g_autofree char *reason = NULL;
  TbLine *p1;
  guint changed = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (tb_line_pool_get_n_lines (pool), ==, 3);
  g_signal_connect (pool, "changed", G_CALLBACK (on_pool_changed), &changed);
  for (guint i = 0; i < 3; i++)
    g_assert_true (tb_line_wait_ready (tb_line_pool_get_line (pool, i), 2000, NULL));
  p1 = tb_line_pool_lookup (pool, f->ids[0]);

  /* Round-robin over the room: 2 + 1 + 2 places, then none, and why. */
  g_assert_cmpuint (tb_line_pool_get_room (pool, NOW, NULL, NULL), ==, 5);
  g_assert_cmpint (pick (pool, 0, "+12025559901"), ==, f->ids[0]);
  g_assert_cmpint (pick (pool, 0, "+12025559902"), ==, f->ids[1]);
  g_assert_cmpint (pick (pool, 0, "+12025559903"), ==, f->ids[2]);
  g_assert_cmpint (pick (pool, 0, NULL), ==, f->ids[0]);   /* p2 is full */
  g_assert_cmpint (pick (pool, 0, NULL), ==, f->ids[2]);
  g_assert_cmpint (pick (pool, 0, NULL), ==, 0);
  g_assert_cmpuint (tb_line_pool_get_room (pool, NOW, &why, NULL), ==, 0);
  g_assert_nonnull (strstr (why, "p2: 1 call at once, all in use"));
  for (guint i = 0; i < 3; i++)
    g_assert_null (tb_line_pool_call_ended (pool, f->ids[i], NULL, "completed", 0, "completed",
                                            NOW));
  g_assert_null (tb_line_pool_call_ended (pool, f->ids[0], NULL, "busy", 0, "busy", NOW));
  g_assert_null (tb_line_pool_call_ended (pool, f->ids[2], NULL, "no_answer", 0, "no_answer", NOW));
  g_assert_cmpuint (tb_line_pool_get_room (pool, NOW, NULL, NULL), ==, 5);

  /* A retry goes out on another line than the contact's last, though that one is next. */
  g_assert_cmpint (pick (pool, 0, NULL), ==, f->ids[0]);
  g_assert_null (tb_line_pool_call_ended (pool, f->ids[0], NULL, "completed", 0, "completed", NOW));
  g_assert_cmpint (pick (pool, f->ids[1], NULL), ==, f->ids[2]);
  g_assert_null (tb_line_pool_call_ended (pool, f->ids[2], NULL, "completed", 0, "completed", NOW));
  g_assert_cmpint (pick (pool, f->ids[0], NULL), ==, f->ids[1]);
  g_assert_null (tb_line_pool_call_ended (pool, f->ids[1], NULL, "completed", 0, "completed", NOW));

  /* p1 fails under a call (the fault injected as its backend reports one): out of the pick,
   * the call's reason is the line's, and it is back once ready. */
  g_assert_cmpint (pick (pool, 0, NULL), ==, f->ids[2]);
  g_assert_cmpint (pick (pool, 0, NULL), ==, f->ids[0]);
  tb_line_set_state (p1, TB_LINE_STATE_ERROR, "the modem port went away");
  g_assert_cmpuint (changed, ==, 1);
  reason = tb_line_pool_call_ended (pool, f->ids[0], NULL, "failed", 0, "failed", NOW);
  g_assert_cmpstr (reason, ==, "line p1: the modem port went away");
  g_assert_null (tb_line_pool_call_ended (pool, f->ids[2], NULL, "completed", 0, "completed", NOW));
  g_assert_false (tb_line_pool_is_usable (pool, 0, NULL));
  g_assert_cmpuint (tb_line_pool_get_room (pool, NOW, NULL, NULL), ==, 3);
  for (int i = 0; i < 6; i++) {
    gint64 id = pick (pool, 0, NULL);

    g_assert_cmpint (id, !=, f->ids[0]);
    g_assert_cmpint (id, !=, 0);
    g_assert_null (tb_line_pool_call_ended (pool, id, NULL, "completed", 0, "completed", NOW));
  }
  tb_line_set_state (p1, TB_LINE_STATE_READY, NULL);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (tb_line_pool_is_usable (pool, 0, NULL));
  g_assert_cmpuint (tb_line_pool_get_room (pool, NOW, NULL, NULL), ==, 5);

  /* p3's calls fail 5 times in a row (a trunk answering 503): it rests; the others go on. */
  for (int i = 0; i < TB_LINE_POOL_MAX_FAILURES; i++) {
    gint64 id;

    while ((id = pick (pool, 0, NULL)) != f->ids[2])
      g_assert_null (tb_line_pool_call_ended (pool, id, NULL, "completed", 0, "completed", NOW));
    g_assert_null (tb_line_pool_call_ended (pool, id, NULL, "failed", 0, "failed", NOW));
  }
  g_clear_pointer (&why, g_free);
  g_assert_false (tb_line_pool_is_usable (pool, 2, &why));
  g_assert_nonnull (strstr (why, "p3: 5 calls in a row failed"));
  for (int i = 0; i < 6; i++) {
    gint64 id = pick (pool, 0, NULL);

    g_assert_cmpint (id, !=, f->ids[2]);
    g_assert_null (tb_line_pool_call_ended (pool, id, NULL, "completed", 0, "completed", NOW));
  }

  /* p2's trunk answers an INVITE with 503: it rests at once, not after 4 more contacts. */
  {
    gint64 id;

    while ((id = pick (pool, 0, NULL)) != f->ids[1])
      g_assert_null (tb_line_pool_call_ended (pool, id, NULL, "completed", 0, "completed", NOW));
    g_clear_pointer (&reason, g_free);
    reason = tb_line_pool_call_ended (pool, id, NULL, "failed", 503, "failed", NOW);
    g_assert_cmpstr (reason, ==, "line p2: the SIP server answered 503 (service unavailable)");
    g_clear_pointer (&why, g_free);
    g_assert_false (tb_line_pool_is_usable (pool, 1, &why));
    g_assert_cmpstr (why, ==, "p2: the SIP server answered 503 (service unavailable); "
                              "tried again in 30 s");
    for (int i = 0; i < 4; i++) {
      id = pick (pool, 0, NULL);
      g_assert_cmpint (id, ==, f->ids[0]);
      g_assert_null (tb_line_pool_call_ended (pool, id, NULL, "completed", 0, "completed", NOW));
    }
  }
  /* Both rests are in the store for another process's `campaign status`, until they end. */
  {
    g_autoptr(GPtrArray) rows = tb_store_dup_campaign_lines (f->store, f->campaign_id, NULL);
    const TbCampaignLineRow *p2 = g_ptr_array_index (rows, 1);
    const TbCampaignLineRow *p3 = g_ptr_array_index (rows, 2);

    g_assert_null (((TbCampaignLineRow *) g_ptr_array_index (rows, 0))->rest_reason);
    g_assert_cmpstr (p2->rest_reason, ==, "p2: the SIP server answered 503 (service unavailable)");
    g_assert_nonnull (strstr (p3->rest_reason, "p3: 5 calls in a row failed"));
    g_assert_cmpint (p2->rest_until, >, g_get_real_time () + 25 * G_USEC_PER_SEC);
    g_assert_cmpint (p2->rest_until, <=, g_get_real_time () + 30 * G_USEC_PER_SEC);
  }
  g_assert_finalize_object (pool);
  {
    g_autoptr(GPtrArray) rows = tb_store_dup_campaign_lines (f->store, f->campaign_id, NULL);

    for (guint i = 0; i < rows->len; i++)
      g_assert_null (((TbCampaignLineRow *) g_ptr_array_index (rows, i))->rest_reason);
  }
}

static gint64
pick_number (TbLinePool  *pool,
             gint64       now,
             const char  *last_caller_id,
             char       **caller_id)
{
  gint64 line_id = 0;

  g_clear_pointer (caller_id, g_free);
  if (!tb_line_pool_pick (pool, now, "+12025550199", 0, last_caller_id, &line_id, caller_id))
    return 0;
  return line_id;
}

/* A line with two caller numbers: round-robin between them, each held to its calls per hour
 * and per day (counting calls made before the pool existed), "different on retry", and a
 * number whose calls reach nobody twice in a row rests. */
static void
test_caller_numbers (PoolFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *caller = NULL;
  g_autofree char *why = NULL;
  TbLinePool *pool;
  gint64 trunk, free_at = 0;
  gint64 ids[1];

  trunk = tb_store_add_line (f->store, "trunk", "sim",
                             "{\"fast\":true,\"caller_ids\":[\"+12025550101\",\"+12025550102\"],"
                             "\"calls_per_hour\":2,\"calls_per_day\":3,\"cooldown_after\":2,"
                             "\"cooldown_minutes\":30}", 10, &error);
  g_assert_no_error (error);
  ids[0] = trunk;
  g_assert_true (tb_store_set_campaign_lines (f->store, f->campaign_id, ids, 1, &error));
  /* +12025550101 called someone half an hour ago, in another campaign (or none). */
  g_assert_true (tb_store_exec (f->store,
                                "INSERT INTO attempts (e164, dialed_at, caller_id, state) VALUES "
                                "('+12025559999', 1796135400000000, '+12025550101', 'ended')",
                                &error));
  g_assert_no_error (error);

  pool = tb_line_pool_new (f->store, f->campaign_id, TRUE, NOW, &error);
  g_assert_no_error (error);
  g_assert_true (tb_line_wait_ready (tb_line_pool_get_line (pool, 0), 2000, NULL));
  /* Room: 1 more this hour on 101, 2 on 102. */
  g_assert_cmpuint (tb_line_pool_get_room (pool, NOW, NULL, NULL), ==, 3);
  g_assert_cmpint (pick_number (pool, NOW, NULL, &caller), ==, trunk);
  g_assert_cmpstr (caller, ==, "+12025550101");
  g_assert_cmpint (pick_number (pool, NOW, NULL, &caller), ==, trunk);
  g_assert_cmpstr (caller, ==, "+12025550102");
  g_assert_cmpint (pick_number (pool, NOW, NULL, &caller), ==, trunk);
  g_assert_cmpstr (caller, ==, "+12025550102");      /* 101 is at 2 this hour */
  g_assert_cmpint (pick_number (pool, NOW, NULL, &caller), ==, 0);
  g_assert_cmpuint (tb_line_pool_get_room (pool, NOW, &why, &free_at), ==, 0);
  g_assert_nonnull (strstr (why, "trunk: every caller number is at its cap or resting"));
  /* 101's call of half an hour ago leaves its hour first. */
  g_assert_cmpint (free_at, ==, NOW + 30 * G_TIME_SPAN_MINUTE);
  for (int i = 0; i < 3; i++)
    g_assert_null (tb_line_pool_call_ended (pool, trunk, NULL, "completed", 0, "completed", NOW));

  /* At +31 min 101 makes its third call of the day (the last); 102 has 2 this hour until
   * +60 min, then makes its third. */
  g_assert_cmpint (pick_number (pool, NOW + 31 * G_TIME_SPAN_MINUTE, NULL, &caller), ==, trunk);
  g_assert_cmpstr (caller, ==, "+12025550101");
  g_assert_null (tb_line_pool_call_ended (pool, trunk, caller, "completed", 0, "completed", NOW));
  g_assert_cmpint (pick_number (pool, NOW + 32 * G_TIME_SPAN_MINUTE, NULL, &caller), ==, 0);
  g_assert_cmpint (pick_number (pool, NOW + 61 * G_TIME_SPAN_MINUTE, NULL, &caller), ==, trunk);
  g_assert_cmpstr (caller, ==, "+12025550102");
  g_assert_null (tb_line_pool_call_ended (pool, trunk, caller, "completed", 0, "completed", NOW));
  g_assert_cmpint (pick_number (pool, NOW + 62 * G_TIME_SPAN_MINUTE, NULL, &caller), ==, 0);
  /* A day later both may call again. */
  g_assert_cmpuint (tb_line_pool_get_room (pool, NOW + 25 * G_TIME_SPAN_HOUR, NULL, NULL), ==, 4);
  g_assert_finalize_object (pool);

  /* "Different on retry": a contact last called from 101 is called from 102, though 101 is
   * next in turn; 102 reaching nobody twice in a row rests 2 hours (longer than its hour's
   * cap holds it). */
  g_assert_true (tb_store_set_campaign_number_rule (f->store, f->campaign_id,
                                                    "different_on_retry", &error));
  g_assert_true (tb_store_update_line (f->store, "trunk",
                                       "{\"fast\":true,\"caller_ids\":[\"+12025550101\","
                                       "\"+12025550102\"],\"calls_per_hour\":2,"
                                       "\"calls_per_day\":3,\"cooldown_after\":2,"
                                       "\"cooldown_minutes\":120}", 10, TRUE, &error));
  pool = tb_line_pool_new (f->store, f->campaign_id, TRUE, NOW + 2 * G_TIME_SPAN_DAY, &error);
  g_assert_no_error (error);
  g_assert_true (tb_line_wait_ready (tb_line_pool_get_line (pool, 0), 2000, NULL));
  {
    gint64 t = NOW + 2 * G_TIME_SPAN_DAY;

    g_assert_cmpint (pick_number (pool, t, "+12025550101", &caller), ==, trunk);
    g_assert_cmpstr (caller, ==, "+12025550102");
    g_assert_null (tb_line_pool_call_ended (pool, trunk, caller, "no_answer", 0, "no_answer", t));
    g_assert_cmpint (pick_number (pool, t, "+12025550101", &caller), ==, trunk);
    g_assert_cmpstr (caller, ==, "+12025550102");
    g_assert_null (tb_line_pool_call_ended (pool, trunk, caller, "busy", 0, "busy", t));
    /* 102 rests: even a retry from 101 goes out from 101 now, the only one left. */
    g_assert_cmpint (pick_number (pool, t, "+12025550101", &caller), ==, trunk);
    g_assert_cmpstr (caller, ==, "+12025550101");
    g_assert_null (tb_line_pool_call_ended (pool, trunk, caller, "completed", 0, "completed", t));
    /* Out of its hour's cap (2 calls at t) but resting: 101 still. */
    g_assert_cmpint (pick_number (pool, t + 61 * G_TIME_SPAN_MINUTE, "+12025550101", &caller),
                     ==, trunk);
    g_assert_cmpstr (caller, ==, "+12025550101");
    g_assert_null (tb_line_pool_call_ended (pool, trunk, caller, "completed", 0, "completed", t));
    /* Rested: 102 again. */
    g_assert_cmpint (pick_number (pool, t + 121 * G_TIME_SPAN_MINUTE, "+12025550101", &caller),
                     ==, trunk);
    g_assert_cmpstr (caller, ==, "+12025550102");
  }
  g_assert_finalize_object (pool);
}

/* A number whose answer rate falls looks marked as spam: it rests a day; the rule itself on
 * plain sequences, then in the pool. */
static void
test_number_health (PoolFixture   *f,
                    gconstpointer  data)
{
  gboolean answers[100];
  g_autofree char *health = NULL;
  g_autofree char *caller = NULL;
  g_autoptr(GError) error = NULL;
  TbLinePool *pool;
  gint64 trunk, ids[1];
  guint flagged_after;

  /* 80 calls at 40 %, then 20 at 5 %: flagged. 59 calls: too few to tell. */
  for (guint i = 0; i < 100; i++)
    answers[i] = i < 80 ? i % 5 < 2 : i == 90;
  health = tb_line_pool_check_health (answers, 100);
  g_assert_cmpstr (health, ==, "answer rate fell from 40 % to 5 %: this number may be marked "
                               "as spam");
  g_assert_null (tb_line_pool_check_health (answers + 41, 59));
  /* 20 at 15 % after 40 %: lower, not a third. */
  for (guint i = 80; i < 100; i++)
    answers[i] = i % 20 < 3;
  g_assert_null (tb_line_pool_check_health (answers, 100));

  trunk = tb_store_add_line (f->store, "trunk", "sim",
                             "{\"fast\":true,\"caller_ids\":[\"+12025550101\","
                             "\"+12025550102\"]}", 10, &error);
  g_assert_no_error (error);
  ids[0] = trunk;
  g_assert_true (tb_store_set_campaign_lines (f->store, f->campaign_id, ids, 1, &error));
  pool = tb_line_pool_new (f->store, f->campaign_id, TRUE, NOW, &error);
  g_assert_no_error (error);
  g_assert_true (tb_line_wait_ready (tb_line_pool_get_line (pool, 0), 2000, NULL));
  /* 102's calls: 80 at 40 % answered, then nobody answers (101 keeps answering); the pool
   * goes round both until 102 is flagged, some way into the unanswered ones. */
  for (flagged_after = 0; flagged_after < 100; flagged_after++) {
    int tries = 0;

    do {
      g_assert_cmpint (pick_number (pool, NOW, NULL, &caller), ==, trunk);
      if (!g_str_equal (caller, "+12025550102"))
        g_assert_null (tb_line_pool_call_ended (pool, trunk, caller, "completed", 0,
                                                "completed", NOW));
    } while (!g_str_equal (caller, "+12025550102") && ++tries < 2);
    if (!g_str_equal (caller, "+12025550102"))
      break;   /* twice 101 in a row: 102 is out */
    g_assert_null (tb_line_pool_call_ended (pool, trunk, caller, "completed", 0,
                                            flagged_after < 80 && flagged_after % 5 < 2
                                              ? "completed" : "no_answer", NOW));
  }
  g_assert_cmpuint (flagged_after, >, 80);
  g_assert_cmpuint (flagged_after, <, 100);
  /* 102 rests: every call presents 101, for a day. */
  for (int i = 0; i < 4; i++) {
    g_assert_cmpint (pick_number (pool, NOW + G_TIME_SPAN_HOUR, NULL, &caller), ==, trunk);
    g_assert_cmpstr (caller, ==, "+12025550101");
    g_assert_null (tb_line_pool_call_ended (pool, trunk, caller, "completed", 0, "completed",
                                            NOW));
  }
  g_assert_finalize_object (pool);
}

/* Where each caller number stands, as the Campaigns page and `campaign status` show it: the
 * running pool's view (its caps, its cool-downs), and the store's for a pool not running. */
static void
test_describe_numbers (PoolFixture   *f,
                       gconstpointer  data)
{
  static const char config[] = "{\"fast\":true,\"caller_ids\":[\"+12025550101\","
                               "\"+12025550102\",\"+12025550103\"],\"calls_per_hour\":2,"
                               "\"calls_per_day\":3,\"cooldown_after\":2,"
                               "\"cooldown_minutes\":120}";
  static const char * const outcomes[] = { "completed", "no_answer", "completed", "busy" };
  static const char * const expected[] = { "+12025550102", "+12025550103", "+12025550102",
                                            "+12025550103" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) live = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *caller = NULL;
  const TbCallerNumber *n;
  TbLinePool *pool;
  gint64 trunk, ids[1];

  trunk = tb_store_add_line (f->store, "trunk", "sim", config, 10, &error);
  g_assert_no_error (error);
  ids[0] = trunk;
  g_assert_true (tb_store_set_campaign_lines (f->store, f->campaign_id, ids, 1, &error));
  /* 101 made its 3 calls of the day 5, 4 and 3 hours ago. */
  g_assert_true (tb_store_exec (f->store,
                                "INSERT INTO attempts (e164, dialed_at, caller_id, state) VALUES "
                                "('+12025559999', 1796119200000000, '+12025550101', 'ended'), "
                                "('+12025559999', 1796122800000000, '+12025550101', 'ended'), "
                                "('+12025559999', 1796126400000000, '+12025550101', 'ended')",
                                &error));
  g_assert_no_error (error);

  pool = tb_line_pool_new (f->store, f->campaign_id, TRUE, NOW, &error);
  g_assert_no_error (error);
  g_assert_true (tb_line_wait_ready (tb_line_pool_get_line (pool, 0), 2000, NULL));
  /* 102 makes its 2 calls of the hour; 103's 2 reach nobody: it cools down. */
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++) {
    g_assert_cmpint (pick_number (pool, NOW, NULL, &caller), ==, trunk);
    g_assert_cmpstr (caller, ==, expected[i]);
    g_assert_null (tb_line_pool_call_ended (pool, trunk, caller, outcomes[i], 0, outcomes[i],
                                            NOW));
  }
  g_assert_null (tb_line_pool_dup_numbers (pool, f->store, f->ids[0], NOW));
  live = tb_line_pool_dup_numbers (pool, f->store, trunk, NOW);
  g_assert_cmpuint (live->len, ==, 3);
  n = g_ptr_array_index (live, 0);
  g_assert_cmpstr (n->number, ==, "+12025550101");
  g_assert_cmpint (n->state, ==, TB_CALLER_NUMBER_DAILY_CAP);
  g_assert_cmpint (n->until, ==, 1796119200000000 + G_TIME_SPAN_DAY);
  g_assert_cmpuint (n->calls_hour, ==, 0);
  g_assert_cmpuint (n->calls_day, ==, 3);
  g_assert_cmpint (n->per_hour, ==, 2);
  g_assert_cmpint (n->per_day, ==, 3);
  n = g_ptr_array_index (live, 1);
  g_assert_cmpint (n->state, ==, TB_CALLER_NUMBER_HOURLY_CAP);
  g_assert_cmpint (n->until, ==, NOW + G_TIME_SPAN_HOUR);
  g_assert_cmpuint (n->calls_hour, ==, 2);
  g_assert_cmpuint (n->calls_day, ==, 2);
  n = g_ptr_array_index (live, 2);
  g_assert_cmpint (n->state, ==, TB_CALLER_NUMBER_COOLING);
  g_assert_cmpint (n->until, ==, NOW + 120 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (n->cooldown_after, ==, 2);
  g_assert_null (n->health);
  /* No call of theirs ended in the store: no answer rate yet. */
  g_assert_cmpuint (n->recent_calls, ==, 0);
  /* Past the hour 102 is ready again, 103 still cools. */
  g_clear_pointer (&live, g_ptr_array_unref);
  live = tb_line_pool_dup_numbers (pool, f->store, trunk, NOW + 61 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (((TbCallerNumber *) g_ptr_array_index (live, 1))->state, ==,
                   TB_CALLER_NUMBER_READY);
  g_assert_cmpint (((TbCallerNumber *) g_ptr_array_index (live, 1))->until, ==, 0);
  g_assert_cmpint (((TbCallerNumber *) g_ptr_array_index (live, 2))->state, ==,
                   TB_CALLER_NUMBER_COOLING);
  g_assert_finalize_object (pool);

  /* Not running: from the store, which has 101's calls (the pool's picks were not recorded
   * here), with one call of 102's that ended answered. */
  g_assert_true (tb_store_exec (f->store,
                                "INSERT INTO attempts (e164, dialed_at, answered_at, caller_id, "
                                "  state, outcome) VALUES ('+12025559999', 1796136600000000, "
                                "  1796136605000000, '+12025550102', 'ended', 'completed')",
                                &error));
  stored = tb_line_pool_dup_stored_numbers (f->store, config, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 3);
  n = g_ptr_array_index (stored, 0);
  g_assert_cmpint (n->state, ==, TB_CALLER_NUMBER_DAILY_CAP);
  g_assert_cmpuint (n->calls_day, ==, 3);
  n = g_ptr_array_index (stored, 1);
  g_assert_cmpint (n->state, ==, TB_CALLER_NUMBER_READY);
  g_assert_cmpuint (n->calls_hour, ==, 1);
  g_assert_cmpuint (n->recent_calls, ==, 1);
  g_assert_cmpuint (n->recent_answered, ==, 1);
  g_clear_pointer (&stored, g_ptr_array_unref);
  /* A line with no number of its own has no rows. */
  stored = tb_line_pool_dup_stored_numbers (f->store, "{\"fast\":true}", NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 0);
}

/* "Local first": a callee in 212 is called from the pool's 212 number while it has room, a
 * callee in 415 from the 415 one, a callee in neither area by turns; a number held to one
 * callee (a pack's fixed caller ID) is presented only by its own line, and waits when it is
 * at its cap. */
static void
test_local_first (PoolFixture   *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *caller = NULL;
  g_autofree char *why = NULL;
  TbLinePool *pool;
  gint64 ny, sf, ids[2], line_id = 0, free_at = -1;

  ny = tb_store_add_line (f->store, "ny", "sim",
                          "{\"fast\":true,\"caller_ids\":[\"+12125550101\"],"
                          "\"calls_per_hour\":2}", 10, &error);
  sf = tb_store_add_line (f->store, "sf", "sim",
                          "{\"fast\":true,\"caller_ids\":[\"+14155550101\"]}", 10, &error);
  g_assert_no_error (error);
  ids[0] = ny;
  ids[1] = sf;
  g_assert_true (tb_store_set_campaign_lines (f->store, f->campaign_id, ids, 2, &error));
  g_assert_true (tb_store_set_campaign_number_rule (f->store, f->campaign_id, "local_first",
                                                    &error));
  pool = tb_line_pool_new (f->store, f->campaign_id, TRUE, NOW, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    g_assert_true (tb_line_wait_ready (tb_line_pool_get_line (pool, i), 2000, NULL));

  /* Round-robin would give sf the second call: 415 goes to sf, 212 to ny, whatever the turn. */
  for (int i = 0; i < 3; i++) {
    g_assert_true (tb_line_pool_pick (pool, NOW, "+14155550123", 0, NULL, &line_id, &caller));
    g_assert_cmpint (line_id, ==, sf);
    g_assert_cmpstr (caller, ==, "+14155550101");
    g_clear_pointer (&caller, g_free);
  }
  for (int i = 0; i < 2; i++) {
    g_assert_true (tb_line_pool_pick (pool, NOW, "+12125550123", 0, NULL, &line_id, &caller));
    g_assert_cmpint (line_id, ==, ny);
    g_assert_cmpstr (caller, ==, "+12125550101");
    g_clear_pointer (&caller, g_free);
  }
  /* ny's number is at its 2 calls this hour: the 212 callee gets the other number. */
  g_assert_true (tb_line_pool_pick (pool, NOW, "+12125550124", 0, NULL, &line_id, &caller));
  g_assert_cmpint (line_id, ==, sf);
  g_assert_cmpstr (caller, ==, "+14155550101");
  g_clear_pointer (&caller, g_free);

  /* Held to ny's number: not from sf, though sf has room; it waits for the hour to free. */
  g_assert_false (tb_line_pool_pick_number (pool, NOW, "+12125550101", &line_id, &free_at,
                                            &why));
  g_assert_cmpstr (why, ==, "ny: +12125550101 is at its cap or resting");
  g_assert_cmpint (free_at, ==, NOW + G_TIME_SPAN_HOUR);
  g_clear_pointer (&why, g_free);
  g_assert_true (tb_line_pool_pick_number (pool, NOW, "+14155550101", &line_id, &free_at,
                                           &why));
  g_assert_cmpint (line_id, ==, sf);
  g_assert_true (tb_line_pool_pick_number (pool, NOW + 61 * G_TIME_SPAN_MINUTE, "+12125550101",
                                           &line_id, &free_at, &why));
  g_assert_cmpint (line_id, ==, ny);
  /* A number no line of the pool presents: never, in this campaign. */
  g_assert_false (tb_line_pool_pick_number (pool, NOW, "+13125550101", &line_id, &free_at,
                                            &why));
  g_assert_cmpstr (why, ==, "no line of this campaign presents +13125550101");
  g_assert_cmpint (free_at, ==, 0);
  g_assert_finalize_object (pool);

  /* China: a Beijing fixed line (010) and a Shanghai one (021); a Beijing mobile is called
   * from 010 (its city, from the geocoding data), a Shanghai fixed line from 021. */
  {
    gint64 bj, sh, cn[2];

    bj = tb_store_add_line (f->store, "bj", "sim",
                            "{\"fast\":true,\"caller_ids\":[\"+861065529988\"]}", 10, &error);
    sh = tb_store_add_line (f->store, "sh", "sim",
                            "{\"fast\":true,\"caller_ids\":[\"+862161234567\"]}", 10, &error);
    g_assert_no_error (error);
    cn[0] = sh;
    cn[1] = bj;
    g_assert_true (tb_store_set_campaign_lines (f->store, f->campaign_id, cn, 2, &error));
    pool = tb_line_pool_new (f->store, f->campaign_id, TRUE, NOW, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 2; i++)
      g_assert_true (tb_line_wait_ready (tb_line_pool_get_line (pool, i), 2000, NULL));
    for (int i = 0; i < 2; i++) {
      g_assert_true (tb_line_pool_pick (pool, NOW, "+862187654321", 0, NULL, &line_id, &caller));
      g_assert_cmpint (line_id, ==, sh);
      g_clear_pointer (&caller, g_free);
#if HAVE_GEOCODING
      g_assert_true (tb_line_pool_pick (pool, NOW, "+8613800138000", 0, NULL, &line_id,
                                        &caller));
      g_assert_cmpint (line_id, ==, bj);
      g_assert_cmpstr (caller, ==, "+861065529988");
      g_clear_pointer (&caller, g_free);
#endif
    }
    g_assert_finalize_object (pool);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/telebot/campaign/retry-rules/ceilings", test_retry_ceilings);
  g_test_add_func ("/telebot/campaign/dialer/pick-variant", test_pick_variant);
  g_test_add ("/telebot/campaign/dialer/variants-recorded", Fixture, NULL,
              fixture_set_up, test_variants_recorded, fixture_tear_down);
  g_test_add ("/telebot/campaign/dialer/retries-and-caps", Fixture, NULL,
              fixture_set_up, test_retries_and_caps, fixture_tear_down);
  g_test_add ("/telebot/campaign/dialer/opt-out-cancels-everywhere", Fixture, NULL,
              fixture_set_up, test_opt_out_cancels_everywhere, fixture_tear_down);
  g_test_add ("/telebot/campaign/dialer/nothing-dialable", Fixture, NULL,
              fixture_set_up, test_nothing_dialable, fixture_tear_down);
  g_test_add ("/telebot/campaign/dialer/line-room", Fixture, NULL,
              fixture_set_up, test_line_room, fixture_tear_down);
  g_test_add ("/telebot/campaign/line-pool/pick-and-failover", PoolFixture, NULL,
              pool_set_up, test_line_pool, pool_tear_down);
  g_test_add ("/telebot/campaign/line-pool/local-first", PoolFixture, NULL,
              pool_set_up, test_local_first, pool_tear_down);
  g_test_add ("/telebot/campaign/line-pool/caller-numbers", PoolFixture, NULL,
              pool_set_up, test_caller_numbers, pool_tear_down);
  g_test_add ("/telebot/campaign/line-pool/describe-numbers", PoolFixture, NULL,
              pool_set_up, test_describe_numbers, pool_tear_down);
  g_test_add ("/telebot/campaign/line-pool/number-health", PoolFixture, NULL,
              pool_set_up, test_number_health, pool_tear_down);

  return g_test_run ();
}
