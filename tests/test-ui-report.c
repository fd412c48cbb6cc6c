/* test-ui-report.c — the Report view of a campaign: the figures the engine computed, the
 * verdict, the funnel; its CSV, PDF and PNG exports; and its empty state.
 *
 * A campaign of two variants with 120 calls written through the store API (as the dialer
 * writes them): variant B converts better. Under LANGUAGE=zh_CN (run it by hand) the same
 * assertions hold, the engine's sentences being Chinese too. Screenshots:
 * build/screenshots/report-*.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tb-application.h"
#include "tb-campaign-report.h"
#include "tb-campaigns-page.h"
#include "tb-chart.h"
#include "tb-paths.h"
#include "tb-report-onepager.h"
#include "tb-not-understood-list.h"
#include "tb-report-view.h"
#include "tb-store-attempts.h"
#include "tb-store-config.h"
#include "tb-store-variants.h"
#include "tb-ui-test-util.h"
#include "tb-words.h"

#define N_PER_VARIANT 60

static gint64
first_campaign (TbStore *store)
{
  g_auto(GStrv) names = tb_store_dup_names (store, "campaigns");

  g_assert_true (names != NULL && names[0] != NULL);
  return tb_store_find_campaign (store, names[0]);
}

/* Two variants of the demo script on the demo campaign, and N_PER_VARIANT calls each: one
 * in ten busy, the others answered; B wins a lead one time in three, A one time in six; some
 * hang up at the offer, some opt out. */
static void
add_calls (TbStore *store,
           gint64   campaign_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCampaignRow) row = tb_store_get_campaign (store, campaign_id, &error);
  g_autofree char *doc = NULL;
  gint64 scripts[2];
  int shares[2] = { 50, 50 };
  gint64 n_contacts = tb_store_count_rows (store, "contacts");
  /* 2026-12-01 15:00 UTC onwards: the demo's callees' morning. */
  gint64 start = G_GINT64_CONSTANT (1796137200000000);

  g_assert_no_error (error);
  g_assert_cmpint (n_contacts, >, 0);
  doc = tb_store_dup_script_document (store, row->script_id, &error);
  g_assert_no_error (error);
  scripts[0] = row->script_id;
  scripts[1] = tb_store_save_script (store, "Variant B script", "en", doc, &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_set_campaign_variants (store, campaign_id, TB_VARIANT_MODE_SPLIT,
                                                 scripts, shares, 2, &error));
  g_assert_no_error (error);

  for (guint v = 0; v < 2; v++) {
    for (guint k = 0; k < N_PER_VARIANT; k++) {
      guint i = v * N_PER_VARIANT + k;
      gint64 t0 = start + i * 97 * G_USEC_PER_SEC;
      gint64 talk = (3 + (k * 7) % 80) * G_USEC_PER_SEC;
      g_autofree char *e164 = g_strdup_printf ("+1202555%04u", i);
      gboolean lead = k % (v == 0 ? 6 : 3) == 1;
      TbAttemptResult result = { .outcome = "not_interested", .end_reason = "completed",
                                 .grade = "D", .score = 20, .ended_at = t0 + talk };
      gint64 id = tb_store_attempt_begin (store, campaign_id, 1 + i % n_contacts, 0, e164, t0,
                                          &error);

      g_assert_no_error (error);
      g_assert_true (tb_store_attempt_set_variant (store, id, v == 0 ? "A" : "B", &error));
      if (k % 10 == 0) {
        result = (TbAttemptResult) { .outcome = "busy", .end_reason = "busy",
                                     .ended_at = t0 + 5 * G_USEC_PER_SEC };
        g_assert_true (tb_store_attempt_finish (store, id, &result, 0, &error));
        continue;
      }
      g_assert_true (tb_store_attempt_set_state (store, id, "answered", t0, &error));
      g_assert_true (tb_store_attempt_add_turn (store, id, 1, "bot", "intro", "Hello", NULL, 0,
                                                t0, t0 + G_USEC_PER_SEC, &error));
      if (k % 10 == 9) {
        /* Hung up during the greeting. */
        result.outcome = "hung_up";
        result.grade = "E";
      } else {
        g_assert_true (tb_store_attempt_add_turn (store, id, 2, "callee", "intro", "yes",
                                                  "yes", 0.9, t0 + G_USEC_PER_SEC,
                                                  t0 + 2 * G_USEC_PER_SEC, &error));
        g_assert_true (tb_store_attempt_add_turn (store, id, 3, "bot", "pitch", "Offer", NULL,
                                                  0, t0 + 2 * G_USEC_PER_SEC,
                                                  t0 + 3 * G_USEC_PER_SEC, &error));
        if (lead) {
          g_assert_true (tb_store_attempt_add_turn (store, id, 4, "callee", "pitch",
                                                    "tell me more", "yes", 0.9,
                                                    t0 + 3 * G_USEC_PER_SEC,
                                                    t0 + 4 * G_USEC_PER_SEC, &error));
          result.outcome = "transferred";
          result.grade = "A";
          result.score = 90;
        } else if (k % 10 == 5) {
          g_assert_true (tb_store_attempt_add_turn (store, id, 4, "callee", "pitch",
                                                    "stop calling me", "opt_out", 0.9,
                                                    t0 + 3 * G_USEC_PER_SEC,
                                                    t0 + 4 * G_USEC_PER_SEC, &error));
          result.outcome = "opt_out";
          result.grade = "E";
          result.opt_out = TRUE;
        } else if (k % 10 == 7) {
          result.outcome = "hung_up";
          result.grade = "E";
        } else {
          g_assert_true (tb_store_attempt_add_turn (store, id, 4, "callee", "pitch",
                                                    "no thanks", "no", 0.9,
                                                    t0 + 3 * G_USEC_PER_SEC,
                                                    t0 + 4 * G_USEC_PER_SEC, &error));
        }
      }
      g_assert_true (tb_store_attempt_finish (store, id, &result, 0, &error));
      g_assert_no_error (error);
    }
  }
}

static TbReportView *
find_view (gint64 campaign_id)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (TB_IS_REPORT_VIEW (l->data) &&
        tb_report_view_get_campaign_id (l->data) == campaign_id)
      return l->data;
  return NULL;
}

static gboolean
view_loaded (gpointer data)
{
  return !tb_report_view_is_loading (data);
}

static const char *
cell_text (GtkWidget  *view,
           guint       row,
           const char *variant)
{
  g_autofree char *name = g_strdup_printf ("cell-%u-%s", row, variant);
  GtkWidget *cell = tb_ui_test_find_by_name (view, name);

  g_assert_true (GTK_IS_LABEL (cell));
  return gtk_label_get_text (GTK_LABEL (cell));
}

/* The open report of the first campaign shows @data calls dialed for variant A. */
static gboolean
shows_dialed (gpointer data)
{
  TbReportView *view = find_view (first_campaign (tb_application_get_default_store ()));

  return view != NULL && g_strcmp0 (cell_text (GTK_WIDGET (view), 0, "A"), data) == 0;
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Wait;

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Wait *w = data;

  w->ok = tb_report_view_export_finish (TB_REPORT_VIEW (source), result, &w->error);
  w->done = TRUE;
}

static gboolean
export_finished (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
export (TbReportView   *view,
        GFile          *file,
        TbReportExport  kind)
{
  Wait w = { 0 };

  g_assert_cmpint (tb_report_view_export_for_file (file), ==, kind);
  g_assert_true (gtk_widget_is_sensitive (tb_ui_test_find_by_name (GTK_WIDGET (view),
                                                                   "report-export")));
  tb_report_view_export_async (view, file, kind, NULL, export_cb, &w);
  /* Export is off while it writes: no second export over the first. */
  g_assert_false (gtk_widget_is_sensitive (tb_ui_test_find_by_name (GTK_WIDGET (view),
                                                                    "report-export")));
  g_assert_true (tb_ui_test_wait (export_finished, &w, 20000));
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
}

/* Pages of a PDF: its "/Type /Page" objects (not "/Type /Pages"). The file has binary
 * streams: compare bytes, not strings. */
static guint
pdf_pages (const char *data,
           gsize       len)
{
  static const char needle[] = "/Type /Page";
  gsize n = sizeof needle - 1;
  guint pages = 0;

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0 && (i + n == len || data[i + n] != 's'))
      pages++;
  return pages;
}

static void
test_report (TbApplication *app,
             gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gint64 campaign_id = first_campaign (store);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCampaignReport) report = NULL;
  g_autoptr(TbScript) script = NULL;
  g_autofree char *dir = g_dir_make_tmp ("telebot-report-export-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "report.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *png_path = g_build_filename (dir, "report.PNG", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf_path);
  g_autoptr(GFile) png_file = g_file_new_for_path (png_path);
  g_autofree char *csv = NULL;
  g_autofree char *expected_csv = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *verdict = NULL;
  g_autoptr(GdkPixbuf) png = NULL;
  gsize pdf_len = 0;
  const TbReportCountRow *first_step;
  g_autofree char *first_step_words = NULL;
  GtkWidget *page, *button, *chart, *label;
  TbReportView *view;
  GtkStack *stack;
  double t0;

  add_calls (store, campaign_id);
  tb_application_store_changed (app, "attempts");
  tb_ui_test_settle ();

  /* What the engine says, computed here on the test's connection. */
  report = tb_campaign_report_new (store, campaign_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tb_campaign_report_get_n_variants (report), ==, 2);
  g_assert_cmpint (tb_campaign_report_get_n_dialed (report), ==, 2 * N_PER_VARIANT);
  script = tb_words_load_campaign_script (store, campaign_id);

  /* The Report button of the shown campaign opens its report. */
  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);
  g_assert_cmpint (tb_campaigns_page_get_campaign_id (TB_CAMPAIGNS_PAGE (page)), ==,
                   campaign_id);
  button = tb_ui_test_find_by_name (page, "campaign-report");
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  t0 = g_get_monotonic_time ();
  g_signal_emit_by_name (button, "clicked");
  view = find_view (campaign_id);
  g_assert_nonnull (view);
  g_assert_true (tb_ui_test_wait (view_loaded, view, 10000));
  g_test_message ("report shown after %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  tb_ui_test_settle ();
  stack = GTK_STACK (tb_ui_test_find_by_name (GTK_WIDGET (view), "report-stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "report");

  /* The table: dialed and answered per variant, as the engine counted them. */
  for (guint v = 0; v < 2; v++) {
    const TbReportVariantRow *row = tb_campaign_report_get_variant (report, v);
    g_autofree char *dialed = g_strdup_printf ("%" G_GINT64_FORMAT, row->dialed);
    g_autofree char *answered = g_strdup_printf ("%" G_GINT64_FORMAT, row->answered);

    g_assert_cmpstr (row->variant, ==, v == 0 ? "A" : "B");
    g_assert_cmpint (row->dialed, ==, N_PER_VARIANT);
    g_assert_cmpint (row->answered, ==, N_PER_VARIANT - N_PER_VARIANT / 10);
    g_assert_cmpstr (cell_text (GTK_WIDGET (view), 0, row->variant), ==, dialed);
    g_assert_cmpstr (cell_text (GTK_WIDGET (view), 1, row->variant), ==, answered);
    for (guint r = 0; r < tb_report_table_n_rows (); r++) {
      g_autofree char *cell = tb_report_table_dup_cell (report, r, v);

      g_assert_cmpstr (cell_text (GTK_WIDGET (view), r, row->variant), ==, cell);
    }
  }

  /* The verdict: the engine's sentence, standing alone (capitalised). */
  g_assert_nonnull (tb_campaign_report_get_verdict (report));
  verdict = g_strdup (tb_campaign_report_get_verdict (report));
  verdict[0] = g_ascii_toupper (verdict[0]);
  label = tb_ui_test_find_by_name (GTK_WIDGET (view), "report-verdict");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, verdict);

  /* The comparison: A/B leads per 100 answered per variant. */
  chart = tb_ui_test_find_by_name (GTK_WIDGET (view), "report-comparison");
  g_assert_true (gtk_widget_get_mapped (chart));
  g_assert_cmpuint (tb_chart_get_n (TB_CHART (chart)), ==, 2);
  for (guint v = 0; v < 2; v++) {
    TbReportFigures f;

    tb_campaign_report_get_figures (report, v, &f);
    g_assert_cmpfloat_with_epsilon (tb_chart_get_value (TB_CHART (chart), v), f.leads_per_100,
                                    1e-9);
  }

  /* The funnel of variant A: its first row is the engine's first (the most reached step). */
  first_step = g_ptr_array_index (tb_campaign_report_get_funnel (report), 0);
  g_assert_cmpstr (first_step->variant, ==, "A");
  first_step_words = tb_words_node (script, first_step->key);
  chart = tb_ui_test_find_by_name (GTK_WIDGET (view), "funnel-A");
  g_assert_nonnull (chart);
  g_assert_cmpstr (tb_chart_get_label (TB_CHART (chart), 0), ==, first_step_words);
  g_assert_cmpfloat (tb_chart_get_value (TB_CHART (chart), 0), ==, first_step->count);
  g_assert_nonnull (tb_ui_test_find_by_name (GTK_WIDGET (view), "funnel-B"));
  chart = tb_ui_test_find_by_name (GTK_WIDGET (view), "talk-B");
  g_assert_cmpuint (tb_chart_get_n (TB_CHART (chart)), ==, TB_REPORT_TALK_BUCKETS);
  g_assert_cmpfloat (tb_chart_get_value (TB_CHART (chart), 0), ==,
                     tb_campaign_report_get_variant (report, 1)->talk_hist[0]);
  g_assert_cmpuint (tb_chart_get_n (TB_CHART (tb_ui_test_find_by_name (GTK_WIDGET (view),
                                                                       "report-hours"))), ==, 24);
  /* What the robot did not understand: as many groups as the engine found. */
  label = tb_ui_test_find_by_name (GTK_WIDGET (view), "report-not-understood");
  g_assert_true (TB_IS_NOT_UNDERSTOOD_LIST (label));
  g_assert_cmpuint (tb_not_understood_list_get_n_groups (TB_NOT_UNDERSTOOD_LIST (label)), ==,
                    tb_campaign_report_get_not_understood (report)->len);

  g_free (tb_ui_test_screenshot (GTK_WIDGET (view), "report-view"));
  {
    /* The charts below the fold, scrolled to. */
    GtkWidget *scrolled = tb_ui_test_find_by_name (GTK_WIDGET (view), "report-scroll");
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    g_free (tb_ui_test_screenshot (GTK_WIDGET (view), "report-view-end"));
    gtk_adjustment_set_value (adj, 0);
  }
  gtk_window_set_default_size (GTK_WINDOW (view), 800, 600);
  tb_ui_test_settle ();
  g_free (tb_ui_test_screenshot (GTK_WIDGET (view), "report-view-800x600"));

  /* Exports: the CLI's CSV byte for byte, a one-page PDF, an A4 PNG. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "report.refresh", NULL));
  g_assert_true (tb_ui_test_wait (view_loaded, view, 10000));
  export (view, csv_file, TB_REPORT_EXPORT_CSV);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  expected_csv = tb_campaign_report_to_csv (report);
  g_assert_cmpstr (csv, ==, expected_csv);

  export (view, pdf_file, TB_REPORT_EXPORT_PDF);
  g_assert_true (g_file_get_contents (pdf_path, &pdf, &pdf_len, &error));
  g_assert_true (g_str_has_prefix (pdf, "%PDF"));
  g_assert_cmpuint (pdf_pages (pdf, pdf_len), ==, 1);

  export (view, png_file, TB_REPORT_EXPORT_PNG);
  png = gdk_pixbuf_new_from_file (png_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (png), ==, TB_ONEPAGER_PNG_WIDTH);
  g_assert_cmpint (gdk_pixbuf_get_height (png), ==, TB_ONEPAGER_PNG_HEIGHT);
  {
    /* Kept beside the screenshots, to be looked at. */
    const char *build = g_getenv ("TELEBOT_BUILD_DIR");
    g_autofree char *shots = g_build_filename (build ? build : ".", "screenshots", NULL);
    g_autofree char *copy = g_build_filename (shots, "report-onepager.png", NULL);

    g_mkdir_with_parents (shots, 0755);
    g_assert_true (gdk_pixbuf_save (png, copy, "png", &error, NULL));
  }
  /* Nothing half-written is left beside them. */
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (d)) != NULL) {
      g_assert_false (g_str_has_suffix (name, ".part"));
      g_unlink (g_build_filename (dir, name, NULL));
      n++;
    }
    g_assert_cmpuint (n, ==, 3);
  }
  g_rmdir (dir);

  /* A call ends while the report is open: it follows, a few seconds behind. */
  {
    g_autoptr(GError) err = NULL;
    gint64 t = G_GINT64_CONSTANT (1796137200000000) + 3 * G_TIME_SPAN_HOUR;
    gint64 id = tb_store_attempt_begin (store, campaign_id, 1, 0, "+12025559999", t, &err);
    TbAttemptResult busy = { .outcome = "busy", .end_reason = "busy",
                             .ended_at = t + 5 * G_USEC_PER_SEC };
    g_autofree char *dialed = g_strdup_printf ("%d", N_PER_VARIANT + 1);

    g_assert_no_error (err);
    g_assert_true (tb_store_attempt_set_variant (store, id, "A", &err));
    g_assert_true (tb_store_attempt_finish (store, id, &busy, 0, &err));
    g_assert_no_error (err);
    tb_application_store_changed (app, "attempts");
    g_assert_true (tb_ui_test_wait (shows_dialed, (gpointer) dialed, 10000));
  }

  /* Pressed again (or Ctrl+R on the page), the open report comes to the front. */
  g_assert_true (gtk_widget_activate_action (page, "campaign.report", NULL));
  g_assert_true (find_view (campaign_id) == view);
  g_assert_true (tb_ui_test_wait (view_loaded, view, 10000));
  gtk_window_destroy (GTK_WINDOW (view));
  tb_ui_test_settle ();
}

/* A campaign that has called nobody: "No calls yet", and nothing to export. */
static void
test_empty (TbApplication *app,
            gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCampaignRow) demo = tb_store_get_campaign (store, first_campaign (store), &error);
  gint64 id;
  GtkWidget *view, *empty;
  GtkStack *stack;

  g_assert_no_error (error);
  id = tb_store_create_campaign (store, "Not started", demo->list_id, demo->script_id,
                                 demo->line_id, demo->policies, 1, &error);
  g_assert_no_error (error);
  view = tb_report_view_new (window, tb_store_get_path (store), id);
  gtk_window_present (GTK_WINDOW (view));
  g_assert_true (tb_ui_test_wait (view_loaded, view, 10000));
  tb_ui_test_settle ();
  stack = GTK_STACK (tb_ui_test_find_by_name (view, "report-stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  empty = tb_ui_test_find_by_name (view, "report-empty");
  g_assert_true (gtk_widget_get_mapped (empty));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, _("No calls yet"));
  /* Nothing to export. */
  g_assert_false (gtk_widget_is_sensitive (tb_ui_test_find_by_name (view, "report-export")));
  g_free (tb_ui_test_screenshot (view, "report-empty"));
  gtk_window_destroy (GTK_WINDOW (view));
  tb_ui_test_settle ();
}

int
main (int    argc,
      char **argv)
{
  /* By hand, LANGUAGE=zh_CN: the view in Chinese, with the build's catalog. */
  if (g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "zh")) {
    setlocale (LC_ALL, "");
    bindtextdomain (GETTEXT_PACKAGE, tb_paths_get_locale_dir ());
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    textdomain (GETTEXT_PACKAGE);
  }
  gtk_test_init (&argc, &argv, NULL);

  tb_ui_test_add ("/telebot/ui/report/figures-charts-exports", TRUE, test_report, NULL);
  tb_ui_test_add ("/telebot/ui/report/no-calls-yet", TRUE, test_empty, NULL);

  return g_test_run ();
}
