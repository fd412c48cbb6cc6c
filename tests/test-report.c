/* test-report.c — the campaign report: its interval against published values, and its
 * figures from a store with known attempts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tb-campaign-report.h"
#include "tb-report-onepager.h"
#include "tb-not-understood.h"
#include "tb-store-report.h"
#include "tb-store-attempts.h"
#include "tb-store-config.h"
#include "tb-store-contacts.h"
#include "tb-store-variants.h"

typedef struct {
  char    *dir;
  TbStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("telebot-report-XXXXXX", NULL);
  path = g_build_filename (f->dir, "t.db", NULL);
  f->store = tb_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_free (f->dir);
}

/* Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat Med
 * 17:857–872, Table I, method 3 (score, no continuity correction). */
static void
test_wilson (void)
{
  static const struct { gint64 x, n; double low, high; } cases[] = {
    { 81, 263, 0.2553, 0.3662 },
    { 15, 148, 0.0624, 0.1605 },
    { 0, 20, 0.0000, 0.1611 },
    { 1, 29, 0.0061, 0.1718 },
  };
  double low, high;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_assert_true (tb_report_wilson_interval (cases[i].x, cases[i].n, &low, &high));
    g_assert_cmpfloat_with_epsilon (low, cases[i].low, 0.00006);
    g_assert_cmpfloat_with_epsilon (high, cases[i].high, 0.00006);
  }
  g_assert_false (tb_report_wilson_interval (0, 0, &low, &high));
}

/* Newcombe (1998), "Interval estimation for the difference between independent proportions:
 * comparison of eleven methods", Stat Med 17:873–890, Table II, method 10. */
static void
test_newcombe (void)
{
  static const struct { gint64 x1, n1, x2, n2; double low, high; } cases[] = {
    { 56, 70, 48, 80, 0.0524, 0.3339 },
    { 9, 10, 3, 10, 0.1705, 0.8090 },
    { 6, 7, 2, 7, 0.0582, 0.8062 },
    { 5, 56, 0, 29, -0.0381, 0.1926 },
    { 0, 10, 0, 20, -0.1611, 0.2775 },
    { 0, 10, 0, 10, -0.2775, 0.2775 },
    { 10, 10, 0, 20, 0.6791, 1.0000 },
    { 10, 10, 0, 10, 0.6075, 1.0000 },
  };
  double low, high;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_test_message ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " − %" G_GINT64_FORMAT "/%"
                    G_GINT64_FORMAT, cases[i].x1, cases[i].n1, cases[i].x2, cases[i].n2);
    g_assert_true (tb_report_difference_interval (cases[i].x1, cases[i].n1, cases[i].x2,
                                                  cases[i].n2, &low, &high));
    g_assert_cmpfloat_with_epsilon (low, cases[i].low, 0.00006);
    g_assert_cmpfloat_with_epsilon (high, cases[i].high, 0.00006);
  }
  g_assert_false (tb_report_difference_interval (1, 2, 0, 0, &low, &high));
}

/* A campaign of two variants; per variant @n answered calls, @leads of them graded A, and
 * one busy dial that nobody answered. */
static gint64
make_campaign (TbStore      *store,
               const guint  *n,
               const guint  *leads)
{
  static const char * const labels[] = { "A", "B" };
  g_autoptr(GError) error = NULL;
  gint64 list_id = tb_store_ensure_list (store, "list", NULL, &error);
  gint64 scripts[2] = {
    tb_store_save_script (store, "a", "en", "{}", &error),
    tb_store_save_script (store, "b", "en", "{}", &error),
  };
  int shares[2] = { 50, 50 };
  gint64 line_id = tb_store_add_line (store, "sim", "sim", NULL, 4, &error);
  gint64 campaign_id;
  guint k = 0;

  for (guint v = 0; v < 2; v++)
    for (guint i = 0; i <= n[v]; i++, k++) {
      g_autofree char *e164 = g_strdup_printf ("+1202555%04u", k);
      TbContactRow row = { .e164 = e164, .timezone = "America/New_York" };

      g_assert_cmpint (tb_store_add_contact (store, list_id, &row, &error), >, 0);
    }
  campaign_id = tb_store_create_campaign (store, "c", list_id, scripts[0], line_id, "US", 2,
                                          &error);
  g_assert_true (tb_store_set_campaign_variants (store, campaign_id, TB_VARIANT_MODE_SPLIT,
                                                 scripts, shares, 2, &error));
  g_assert_no_error (error);

  k = 0;
  for (guint v = 0; v < 2; v++)
    for (guint i = 0; i <= n[v]; i++, k++) {
      g_autofree char *e164 = g_strdup_printf ("+1202555%04u", k);
      /* 2026-12-01 15:00 UTC: 10:00 in New York. */
      gint64 t0 = G_GINT64_CONSTANT (1796137200000000) + k * G_USEC_PER_SEC;
      TbAttemptResult result = { .outcome = "completed", .end_reason = "completed",
                                 .ended_at = t0 + 25 * G_USEC_PER_SEC };
      gint64 id = tb_store_attempt_begin (store, campaign_id, k + 1, 0, e164, t0, &error);

      g_assert_true (tb_store_attempt_set_variant (store, id, labels[v], &error));
      if (i == n[v]) {
        result.outcome = result.end_reason = "busy";
        result.ended_at = t0 + 5 * G_USEC_PER_SEC;
      } else {
        g_assert_true (tb_store_attempt_set_state (store, id, "answered",
                                                   t0 + 5 * G_USEC_PER_SEC, &error));
        g_assert_true (tb_store_attempt_add_turn (store, id, 1, "callee", "pitch", "yes",
                                                  i < leads[v] ? "yes" : "no", 0.9,
                                                  t0 + 6 * G_USEC_PER_SEC,
                                                  t0 + 7 * G_USEC_PER_SEC, &error));
        result.grade = i < leads[v] ? "A" : "D";
        result.score = i < leads[v] ? 90 : 30;
      }
      g_assert_true (tb_store_attempt_finish (store, id, &result, 0, &error));
      g_assert_no_error (error);
    }
  return campaign_id;
}

static JsonObject *
variant (JsonObject *report,
         guint       i)
{
  return json_array_get_object_element (json_object_get_array_member (report, "variants"), i);
}

static void
test_figures (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const guint n[] = { 80, 70 }, leads[] = { 48, 56 };
  gint64 campaign_id = make_campaign (f->store, n, leads);
  g_autoptr(TbCampaignReport) report = tb_campaign_report_new (f->store, campaign_id, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *csv = NULL;
  JsonObject *root, *a, *b, *cmp, *hour;

  g_assert_no_error (error);
  node = tb_campaign_report_to_json (report);
  root = json_node_get_object (node);
  a = variant (root, 0);
  b = variant (root, 1);
  g_assert_cmpstr (json_object_get_string_member (a, "variant"), ==, "A");
  g_assert_cmpstr (json_object_get_string_member (a, "script"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (b, "script"), ==, "b");
  g_assert_cmpint (json_object_get_int_member (a, "dialed"), ==, 81);
  g_assert_cmpint (json_object_get_int_member (a, "answered"), ==, 80);
  g_assert_cmpint (json_object_get_int_member (b, "leads_ab"), ==, 56);
  g_assert_cmpint (json_object_get_int_member (b, "completed"), ==, 70);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (a, "leads_ab_per_100_answered"),
                                  60.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (b, "average_talk_seconds"),
                                  20.0, 1e-9);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (b, "talk_time"),
                                               "10-30s"), ==, 70);
  /* 81 dials of 5 s or 25 s each: 80 × 25 + 5 seconds of line, for 48 leads. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (a, "line_minutes_per_ab_lead"),
                                  (80 * 25 + 5) / 60.0 / 48, 1e-9);
  /* The hours are the callees' local hours. */
  hour = json_array_get_object_element (json_object_get_array_member (root, "hours"), 0);
  g_assert_cmpint (json_object_get_int_member (hour, "hour"), ==, 10);

  /* Newcombe's example a: 56/70 vs 48/80, 0.0524 to 0.3339. */
  cmp = json_array_get_object_element (json_object_get_array_member (root, "comparisons"), 0);
  g_assert_cmpstr (json_object_get_string_member (cmp, "variant"), ==, "B");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (cmp, "difference_low"),
                                  5.24, 0.006);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (cmp, "difference_high"),
                                  33.39, 0.006);
  g_assert_cmpstr (tb_campaign_report_get_verdict (report), ==,
                   "variant B: 80.0 A/B leads per 100 answered vs 60.0 for A "
                   "(95 % interval of the difference 5.2–33.4)");

  csv = tb_campaign_report_to_csv (report);
  g_assert_true (g_str_has_prefix (csv, "variants\r\nvariant,script,dialed,answered,"));
  g_assert_nonnull (strstr (csv, "\r\nB,b,71,70,0,"));
  g_assert_nonnull (strstr (csv, "\r\n\r\nfunnel\r\nvariant,node,reached,"));
}

/* What the window and the one-page summary read: the same figures as the JSON. */
static void
test_accessors (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const guint n[] = { 80, 70 }, leads[] = { 48, 56 };
  gint64 campaign_id = make_campaign (f->store, n, leads);
  g_autoptr(TbCampaignReport) report = tb_campaign_report_new (f->store, campaign_id, &error);
  g_autofree char *dir = g_dir_make_tmp ("telebot-onepager-XXXXXX", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "r.pdf", NULL);
  g_autofree char *png_path = g_build_filename (dir, "r.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", "r.pdf", NULL);
  g_autofree char *pdf = NULL;
  g_autofree char *cell = NULL;
  const TbReportCountRow *step;
  TbReportComparison c;
  TbReportFigures fig;
  TbOnepagerFormat format;
  gint64 first, last, hours[24] = { 0 }, busy[24] = { 0 };
  cairo_surface_t *png;

  g_assert_no_error (error);
  g_assert_cmpstr (tb_campaign_report_get_campaign (report), ==, "c");
  g_assert_cmpint (tb_campaign_report_get_n_dialed (report), ==, 81 + 71);
  g_assert_cmpuint (tb_campaign_report_get_n_variants (report), ==, 2);
  g_assert_cmpint (tb_campaign_report_get_variant (report, 1)->answered, ==, 70);
  tb_campaign_report_get_figures (report, 0, &fig);
  g_assert_cmpint (fig.leads_ab, ==, 48);
  g_assert_cmpfloat_with_epsilon (fig.leads_per_100, 60.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (fig.connect_rate, 100.0 * 80 / 81, 1e-9);
  cell = tb_report_table_dup_cell (report, 6, 0);   /* A/B leads per 100 answered */
  g_assert_cmpstr (cell, ==, "60.0");

  /* Dialed from 15:00 UTC on, one a second: all in one hour. */
  g_assert_true (tb_campaign_report_get_span (report, &first, &last));
  g_assert_cmpint (first, ==, G_GINT64_CONSTANT (1796137200000000));
  g_assert_cmpint (last, ==, first);
  tb_campaign_report_add_hours (report, NULL, NULL, hours);
  g_assert_cmpint (hours[10], ==, 81 + 71);
  tb_campaign_report_add_hours (report, "B", "busy", busy);
  g_assert_cmpint (busy[10], ==, 1);

  step = g_ptr_array_index (tb_campaign_report_get_funnel (report), 0);
  g_assert_cmpstr (step->variant, ==, "A");
  g_assert_cmpstr (step->key, ==, "pitch");
  g_assert_cmpint (step->count, ==, 80);

  g_assert_cmpuint (tb_campaign_report_get_n_comparisons (report), ==, 1);
  tb_campaign_report_get_comparison (report, 0, &c);
  g_assert_cmpstr (c.variant, ==, "B");
  g_assert_true (c.significant);
  g_assert_cmpfloat_with_epsilon (c.low, 5.24, 0.006);
  g_assert_cmpstr (c.sentence, ==, tb_campaign_report_get_verdict (report));

  /* The one-page summary: by extension, one PDF page, an A4 PNG at 150 dpi. */
  g_assert_true (tb_report_onepager_format_for_path ("x/Report.PDF", &format));
  g_assert_cmpint (format, ==, TB_ONEPAGER_PDF);
  g_assert_true (tb_report_onepager_format_for_path ("r.png", &format));
  g_assert_cmpint (format, ==, TB_ONEPAGER_PNG);
  g_assert_false (tb_report_onepager_format_for_path ("r.csv", &format));
  g_assert_true (tb_report_onepager_write (report, NULL, pdf_path, TB_ONEPAGER_PDF, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf_path, &pdf, NULL, &error));
  g_assert_true (g_str_has_prefix (pdf, "%PDF"));
  g_assert_true (tb_report_onepager_write (report, NULL, png_path, TB_ONEPAGER_PNG, &error));
  png = cairo_image_surface_create_from_png (png_path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, TB_ONEPAGER_PNG_WIDTH);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, TB_ONEPAGER_PNG_HEIGHT);
  cairo_surface_destroy (png);
  /* A file it cannot write (its folder is missing) names the file. */
  g_assert_false (tb_report_onepager_write (report, NULL, missing, TB_ONEPAGER_PDF, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_unlink (pdf_path);
  g_unlink (png_path);
  g_rmdir (dir);
}

/* Few calls: the interval straddles zero, and the report says no more than that. */
static void
test_not_enough (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const guint n[] = { 10, 10 }, leads[] = { 3, 5 };
  gint64 campaign_id = make_campaign (f->store, n, leads);
  g_autoptr(TbCampaignReport) report = tb_campaign_report_new (f->store, campaign_id, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (tb_campaign_report_get_verdict (report), ==, "not enough calls yet to tell");
}

static void
assert_same_rows (GPtrArray *a,
                  GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++) {
    const TbReportCountRow *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, i);

    g_assert_cmpstr (x->variant, ==, y->variant);
    g_assert_cmpstr (x->key, ==, y->key);
    g_assert_cmpstr (x->key2, ==, y->key2);
    g_assert_cmpint (x->count, ==, y->count);
    g_assert_cmpint (x->count2, ==, y->count2);
    g_assert_cmpint (x->count3, ==, y->count3);
  }
}

/* The one pass over the turns gives what the three queries give, row for row. */
static void
test_one_pass (Fixture       *f,
               gconstpointer  data)
{
  static const struct { const char *speaker, *node, *intent; } extra[] = {
    { "bot", "intro", NULL }, { "callee", "intro", "who_is_this" }, { "bot", "pitch", NULL },
    { "callee", "pitch", "yes" }, { "callee", "pitch", "yes" }, { "bot", "details", NULL },
    { "callee", "details", "no" }, { "callee", NULL, "robot" }, { "system", NULL, NULL },
    { "callee", "details", NULL },
  };
  g_autoptr(GError) error = NULL;
  const guint n[] = { 30, 25 }, leads[] = { 12, 14 };
  gint64 campaign_id = make_campaign (f->store, n, leads);
  g_autoptr(GPtrArray) funnel = NULL, routes = NULL, intents = NULL;
  g_autoptr(GPtrArray) funnel1 = NULL, routes1 = NULL, intents1 = NULL;

  /* Calls with more turns: several nodes, a node twice, intents with and without a node. */
  for (gint64 id = 1; id <= 40; id++)
    for (guint k = 0; k < (guint) (id % G_N_ELEMENTS (extra)); k++)
      g_assert_true (tb_store_attempt_add_turn (f->store, id, 2 + k, extra[k].speaker,
                                                extra[k].node, "words", extra[k].intent, 0.9,
                                                0, 0, &error));
  g_assert_no_error (error);

  funnel = tb_store_report_funnel (f->store, campaign_id, &error);
  routes = tb_store_report_routes (f->store, campaign_id, &error);
  intents = tb_store_report_intents (f->store, campaign_id, &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_report_turns (f->store, campaign_id, &funnel1, &routes1, &intents1,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (funnel->len, >=, 6);
  g_assert_cmpuint (routes->len, >=, 8);
  assert_same_rows (funnel, funnel1);
  assert_same_rows (routes, routes1);
  assert_same_rows (intents, intents1);
}

static TbReportMissRow *
miss (const char *variant,
      const char *node,
      const char *text,
      gint64      attempt_id,
      const char *recording)
{
  TbReportMissRow *m = g_new0 (TbReportMissRow, 1);

  m->variant = g_strdup (variant);
  m->node = g_strdup (node);
  m->text = g_strdup (text);
  m->attempt_id = attempt_id;
  m->recording = g_strdup (recording);
  return m;
}

/* Grouping: normalized alike, then similar words (English) or character bigrams (Chinese);
 * per node; opt-out-like first; fillers alone are nothing to add. */
static void
test_not_understood (void)
{
  TbUnderstanding *u = tb_understanding_get_default ();
  g_autoptr(GPtrArray) misses =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tb_report_miss_row_free);
  g_autoptr(GPtrArray) groups = NULL;
  const TbNotUnderstoodGroup *g;
  double sim = 0;

  /* The similarity itself. */
  g_assert_cmpfloat (tb_not_understood_similarity (u, "uh I dunno", "I dunno"), ==, 1.0);
  g_assert_cmpfloat (tb_not_understood_similarity (u, "how much does it cost", "what's the price"),
                     <, TB_NOT_UNDERSTOOD_SIMILAR);
  g_assert_cmpfloat (tb_not_understood_similarity (u, "面粉多少钱一斤", "多少钱一斤啊"), >=,
                     TB_NOT_UNDERSTOOD_SIMILAR);
  g_assert_cmpfloat (tb_not_understood_similarity (u, "这个多少钱", "我再考虑一下"), ==, 0.0);
  g_assert_true (tb_not_understood_is_opt_out_like (u, "I've had it with you people", NULL));
  g_assert_true (tb_not_understood_is_opt_out_like (u, "你们怎么又打来了", NULL));
  g_assert_false (tb_not_understood_is_opt_out_like (u, "how much does it cost", &sim));
  g_assert_cmpfloat (sim, <, TB_NOT_UNDERSTOOD_OPT_OUT_SIMILAR);
  g_assert_false (tb_not_understood_is_opt_out_like (u, "I'm not sure", NULL));

  g_ptr_array_add (misses, miss ("A", "pitch", "uh, I dunno", 1, NULL));
  g_ptr_array_add (misses, miss ("B", "pitch", "I dunno", 2, "rec/2.wav"));
  g_ptr_array_add (misses, miss ("A", "pitch", "I dunno, maybe", 3, NULL));
  g_ptr_array_add (misses, miss ("A", "details", "I dunno", 4, NULL));
  g_ptr_array_add (misses, miss ("A", "pitch", "面粉多少钱一斤", 5, NULL));
  g_ptr_array_add (misses, miss ("A", "pitch", "多少钱一斤啊", 6, NULL));
  g_ptr_array_add (misses, miss ("B", "pitch", "I have had it with you lot", 7, NULL));
  g_ptr_array_add (misses, miss ("A", "pitch", "um", 8, NULL));
  groups = tb_not_understood_group (u, misses);

  g_assert_cmpuint (groups->len, ==, 4);
  g = g_ptr_array_index (groups, 0);           /* opt-out-like first, though said once */
  g_assert_true (g->opt_out_like);
  g_assert_cmpstr (g->text, ==, "I have had it with you lot");
  g = g_ptr_array_index (groups, 1);
  g_assert_false (g->opt_out_like);
  g_assert_cmpstr (g->node, ==, "pitch");
  g_assert_cmpint (g->count, ==, 3);
  g_assert_cmpuint (g->wordings->len, ==, 3);
  g_assert_cmpuint (g_strv_length (g->variants), ==, 2);
  g_assert_cmpstr (g->variants[0], ==, "A");
  g_assert_cmpstr (g->variants[1], ==, "B");
  g_assert_cmpint (g->attempt_id, ==, 2);      /* the one with a recording */
  g_assert_cmpstr (g->recording, ==, "rec/2.wav");
  g = g_ptr_array_index (groups, 2);
  g_assert_cmpstr (g->node, ==, "pitch");
  g_assert_cmpint (g->count, ==, 2);
  g_assert_true (g_str_equal (g->text, "面粉多少钱一斤") || g_str_equal (g->text, "多少钱一斤啊"));
  g_assert_cmpuint (g->wordings->len, ==, 2);
  g = g_ptr_array_index (groups, 3);           /* the same words at another node */
  g_assert_cmpstr (g->node, ==, "details");
  g_assert_cmpint (g->count, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/telebot/report/wilson", test_wilson);
  g_test_add_func ("/telebot/report/newcombe", test_newcombe);
  g_test_add_func ("/telebot/report/not-understood", test_not_understood);
  g_test_add ("/telebot/report/one-pass", Fixture, NULL, fixture_set_up, test_one_pass,
              fixture_tear_down);
  g_test_add ("/telebot/report/figures", Fixture, NULL, fixture_set_up, test_figures,
              fixture_tear_down);
  g_test_add ("/telebot/report/accessors-onepager", Fixture, NULL, fixture_set_up,
              test_accessors, fixture_tear_down);
  g_test_add ("/telebot/report/not-enough", Fixture, NULL, fixture_set_up, test_not_enough,
              fixture_tear_down);
  return g_test_run ();
}
