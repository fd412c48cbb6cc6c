/* tb-report-view.c — a campaign's report in a window of its own: which script works
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine computes the report (tb-campaign-report.c) in a thread with its own database
 * connection; this window only lays it out: the verdict, the table per variant (the rows the
 * one-page summary prints), the comparison with its intervals, the funnel and talk time per
 * variant, the intents heard and the hours called. Exports compute the report afresh, in a
 * thread too, and write it atomically.
 */
#define G_LOG_DOMAIN "tb-report-view"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tb-chart.h"
#include "tb-not-understood-list.h"
#include "tb-page-util.h"
#include "tb-report-onepager.h"
#include "tb-report-view.h"
#include "tb-words.h"

#define TOP_INTENTS 8
/* A running campaign ends calls every second: the report follows, a little behind. */
#define REFRESH_SECONDS 3

struct _TbReportView
{
  AdwWindow         parent_instance;

  /* template widgets */
  AdwWindowTitle   *window_title;
  AdwToastOverlay  *toast_overlay;
  GtkStack         *stack;
  AdwStatusPage    *error_page;
  GtkSpinner       *spinner;
  GtkSpinner       *export_spinner;
  GtkMenuButton    *export_button;
  GtkLabel         *verdict_label;
  GtkGrid          *table_grid;
  GtkBox           *comparison_box;
  GtkFlowBox       *funnel_box;
  GtkFlowBox       *talk_box;
  GtkFlowBox       *more_box;
  TbNotUnderstoodList *not_understood;

  /* owned */
  char             *db_path;
  gint64            campaign_id;
  TbCampaignReport *report;
  TbScript         *script;          /* the campaign's, for its nodes' titles */
  GCancellable     *cancellable;     /* loads and exports, cancelled on dispose */
  guint             loading;
  guint             exporting;

  /* sources */
  guint             refresh_id;      /* calls ended: compute again, at most every few seconds */

  /* borrowed: made in C, shown in comparison_box and more_box */
  GtkWidget        *comparison_chart;
  GtkWidget        *intents_chart;
  GtkWidget        *hours_chart;
};

G_DEFINE_FINAL_TYPE (TbReportView, tb_report_view, ADW_TYPE_WINDOW)

/* ---------------------------------------------------------------- computing */

typedef struct {
  char             *db_path;
  gint64            campaign_id;
  GFile            *file;           /* exports only */
  TbReportExport    kind;
  TbCampaignReport *report;         /* loads only: the result */
  TbScript         *script;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->db_path);
  g_clear_object (&job->file);
  g_clear_pointer (&job->report, tb_campaign_report_free);
  g_clear_object (&job->script);
  g_free (job);
}

/* In the job's thread: the report and the script, from a connection of its own. */
static gboolean
job_compute (Job      *job,
             GError  **error)
{
  g_autoptr(TbStore) store = tb_store_open (job->db_path, error);

  if (store == NULL)
    return FALSE;
  if ((job->report = tb_campaign_report_new (store, job->campaign_id, error)) == NULL)
    return FALSE;
  job->script = tb_words_load_campaign_script (store, job->campaign_id);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!job_compute (task_data, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;

  if (!job_compute (job, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (job->kind == TB_REPORT_EXPORT_CSV) {
    g_autofree char *csv = tb_campaign_report_to_csv (job->report);

    if (!g_file_replace_contents (job->file, csv, strlen (csv), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error)) {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  } else {
    g_autofree char *path = g_file_get_path (job->file);
    g_autofree char *part = NULL;

    if (path == NULL) {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The summary can only be written to a local file"));
      return;
    }
    /* Beside the file, then renamed over it: a reader never sees half a page. */
    part = g_strconcat (path, ".part", NULL);
    if (!tb_report_onepager_write (job->report, job->script, part,
                                   job->kind == TB_REPORT_EXPORT_PDF ? TB_ONEPAGER_PDF
                                                                     : TB_ONEPAGER_PNG,
                                   &error)) {
      g_unlink (part);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
    if (g_rename (part, path) != 0) {
      int saved = errno;

      g_unlink (part);
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s",
                               path, g_strerror (saved));
      return;
    }
  }
  g_task_return_boolean (task, TRUE);
}

/* ---------------------------------------------------------------- showing */

/* @child under its @title, and what its colours mean (@caption, nullable). */
static GtkWidget *
titled (const char *title,
        const char *caption,
        GtkWidget  *child)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  if (caption != NULL) {
    GtkWidget *note = gtk_label_new (caption);

    gtk_label_set_xalign (GTK_LABEL (note), 0);
    gtk_label_set_wrap (GTK_LABEL (note), TRUE);
    gtk_widget_add_css_class (note, "caption");
    gtk_widget_add_css_class (note, "dim-label");
    gtk_box_append (GTK_BOX (box), note);
  }
  gtk_box_append (GTK_BOX (box), child);
  return box;
}

static void
clear_flow_box (GtkFlowBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_flow_box_remove (box, child);
}

static GtkWidget *
table_label (const char *text,
             float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  return label;
}

static void
show_table (TbReportView *self)
{
  guint nv = tb_campaign_report_get_n_variants (self->report);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table_grid))) != NULL)
    gtk_grid_remove (self->table_grid, child);

  for (guint v = 0; v < nv; v++) {
    const TbReportVariantRow *row = tb_campaign_report_get_variant (self->report, v);
    g_autofree char *title = tb_report_dup_variant_title (self->report, v);
    GtkWidget *head = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
    GtkWidget *name = table_label (title, 1);
    GtkWidget *script = table_label (row->script_name ? row->script_name : "", 1);

    gtk_widget_add_css_class (name, "heading");
    gtk_label_set_ellipsize (GTK_LABEL (script), PANGO_ELLIPSIZE_END);
    gtk_label_set_max_width_chars (GTK_LABEL (script), 24);
    gtk_widget_set_tooltip_text (script, row->script_name);
    gtk_widget_add_css_class (script, "caption");
    gtk_widget_add_css_class (script, "dim-label");
    gtk_box_append (GTK_BOX (head), name);
    gtk_box_append (GTK_BOX (head), script);
    gtk_widget_set_hexpand (head, TRUE);
    gtk_grid_attach (self->table_grid, head, 1 + v, 0, 1, 1);
  }
  for (guint r = 0; r < tb_report_table_n_rows (); r++) {
    GtkWidget *title = table_label (tb_report_table_row_title (r), 0);

    gtk_label_set_wrap (GTK_LABEL (title), TRUE);
    gtk_label_set_max_width_chars (GTK_LABEL (title), 30);
    gtk_grid_attach (self->table_grid, title, 0, 1 + r, 1, 1);
    for (guint v = 0; v < nv; v++) {
      const TbReportVariantRow *row = tb_campaign_report_get_variant (self->report, v);
      g_autofree char *text = tb_report_table_dup_cell (self->report, r, v);
      g_autofree char *name = g_strdup_printf ("cell-%u-%s", r, row->variant);
      GtkWidget *cell = table_label (text, 1);

      gtk_widget_set_name (cell, name);
      gtk_widget_add_css_class (cell, "numeric");
      gtk_grid_attach (self->table_grid, cell, 1 + v, 1 + r, 1, 1);
    }
  }
}

static void
show_comparison (TbReportView *self)
{
  guint nv = tb_campaign_report_get_n_variants (self->report);
  g_autofree double *values = g_new0 (double, nv + 1);
  g_autofree double *low = g_new0 (double, nv + 1);
  g_autofree double *high = g_new0 (double, nv + 1);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (guint v = 0; v < nv; v++) {
    const TbReportVariantRow *row = tb_campaign_report_get_variant (self->report, v);
    TbReportFigures f;

    tb_campaign_report_get_figures (self->report, v, &f);
    g_ptr_array_add (labels, tb_report_dup_variant_title (self->report, v));
    values[v] = isnan (f.leads_per_100) ? 0 : f.leads_per_100;
    if (tb_report_wilson_interval (f.leads_ab, row->answered, &low[v], &high[v])) {
      low[v] *= 100;
      high[v] *= 100;
    } else {
      low[v] = high[v] = NAN;
    }
  }
  g_ptr_array_add (labels, NULL);
  tb_chart_set_values (TB_CHART (self->comparison_chart), (const char **) labels->pdata, values,
                       nv, 1);
  tb_chart_set_intervals (TB_CHART (self->comparison_chart), low, high);
  /* One script: nothing to compare. */
  gtk_widget_set_visible (GTK_WIDGET (self->comparison_box), nv > 1);
}

static void
show_per_variant (TbReportView *self)
{
  GPtrArray *funnel = tb_campaign_report_get_funnel (self->report);
  const char *buckets[TB_REPORT_TALK_BUCKETS];

  for (guint b = 0; b < TB_REPORT_TALK_BUCKETS; b++)
    buckets[b] = tb_report_talk_bucket_title (b);
  clear_flow_box (self->funnel_box);
  clear_flow_box (self->talk_box);
  for (guint v = 0; v < tb_campaign_report_get_n_variants (self->report); v++) {
    const TbReportVariantRow *row = tb_campaign_report_get_variant (self->report, v);
    g_autofree char *title = tb_report_dup_variant_title (self->report, v);
    g_autofree char *funnel_name = g_strdup_printf ("funnel-%s", row->variant);
    g_autofree char *talk_name = g_strdup_printf ("talk-%s", row->variant);
    g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GArray) reached = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr(GArray) hung_up = g_array_new (FALSE, FALSE, sizeof (gint64));
    GtkWidget *chart;

    for (guint i = 0; i < funnel->len; i++) {
      const TbReportCountRow *r = g_ptr_array_index (funnel, i);

      if (!g_str_equal (r->variant, row->variant))
        continue;
      g_ptr_array_add (nodes, tb_words_node (self->script, r->key));
      g_array_append_val (reached, r->count);
      g_array_append_val (hung_up, r->count3);
    }
    g_ptr_array_add (nodes, NULL);
    chart = tb_chart_new (TB_CHART_FUNNEL);
    gtk_widget_set_name (chart, funnel_name);
    tb_chart_set_data (TB_CHART (chart), (const char **) nodes->pdata,
                       (gint64 *) reached->data, reached->len);
    tb_chart_set_parts (TB_CHART (chart), (gint64 *) hung_up->data);
    gtk_flow_box_append (self->funnel_box, titled (title, NULL, chart));

    chart = tb_chart_new (TB_CHART_BARS);
    gtk_widget_set_name (chart, talk_name);
    tb_chart_set_data (TB_CHART (chart), buckets, row->talk_hist, TB_REPORT_TALK_BUCKETS);
    gtk_flow_box_append (self->talk_box, titled (title, NULL, chart));
  }
}

/* The intents heard (all variants, most first) and the calls per hour of day. */
static void
show_intents_and_hours (TbReportView *self)
{
  static const char *hours[24] = {
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
    "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23",
  };
  GPtrArray *intents = tb_campaign_report_get_intents (self->report);
  g_autoptr(GHashTable) turns = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  gint64 counts[TOP_INTENTS] = { 0 };
  gint64 per_hour[24] = { 0 };
  gint64 unanswered[24] = { 0 };

  for (guint i = 0; i < intents->len; i++) {
    const TbReportCountRow *r = g_ptr_array_index (intents, i);
    gpointer old;

    if (r->key == NULL)
      continue;
    if (!g_hash_table_lookup_extended (turns, r->key, NULL, &old)) {
      old = GSIZE_TO_POINTER (0);
      g_ptr_array_add (keys, r->key);
    }
    g_hash_table_insert (turns, r->key, GSIZE_TO_POINTER (GPOINTER_TO_SIZE (old) + r->count));
  }
  /* The most heard first, by name when equal: the same order on every run. */
  for (guint n = 0; n < TOP_INTENTS && keys->len > 0; n++) {
    guint best = 0;

    for (guint i = 1; i < keys->len; i++) {
      gsize a = GPOINTER_TO_SIZE (g_hash_table_lookup (turns, keys->pdata[i]));
      gsize b = GPOINTER_TO_SIZE (g_hash_table_lookup (turns, keys->pdata[best]));

      if (a > b || (a == b && g_strcmp0 (keys->pdata[i], keys->pdata[best]) < 0))
        best = i;
    }
    counts[n] = GPOINTER_TO_SIZE (g_hash_table_lookup (turns, keys->pdata[best]));
    g_ptr_array_add (words, tb_words_intent (keys->pdata[best]));
    g_ptr_array_remove_index (keys, best);
  }
  g_ptr_array_add (words, NULL);
  tb_chart_set_data (TB_CHART (self->intents_chart), (const char **) words->pdata, counts,
                     words->len - 1);

  tb_campaign_report_add_hours (self->report, NULL, NULL, per_hour);
  /* The hours nobody picks up stand out: when not to call. */
  tb_campaign_report_add_hours (self->report, NULL, "busy", unanswered);
  tb_campaign_report_add_hours (self->report, NULL, "no_answer", unanswered);
  tb_chart_set_data (TB_CHART (self->hours_chart), hours, per_hour, 24);
  tb_chart_set_parts (TB_CHART (self->hours_chart), unanswered);
}

static void
show_report (TbReportView *self)
{
  const char *verdict = tb_campaign_report_get_verdict (self->report);
  g_autofree char *span = tb_report_dup_span (self->report);
  g_autofree char *subtitle = NULL;

  /* Translators: a campaign's name, and the days it called */
  subtitle = span ? g_strdup_printf (_("%s · %s"), tb_campaign_report_get_campaign (self->report),
                                     span)
                  : g_strdup (tb_campaign_report_get_campaign (self->report));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  if (tb_campaign_report_get_n_dialed (self->report) == 0) {
    gtk_stack_set_visible_child_name (self->stack, "empty");
    return;
  }
  if (verdict != NULL) {
    g_autofree char *sentence = g_strdup (verdict);

    /* The engine's sentence starts lower-case, to be quoted; here it stands alone. */
    if (g_ascii_islower (sentence[0]))
      sentence[0] = g_ascii_toupper (sentence[0]);
    gtk_label_set_label (self->verdict_label, sentence);
  } else {
    gtk_label_set_label (self->verdict_label,
                         _("This campaign runs one script: there is nothing to compare."));
  }
  show_table (self);
  show_comparison (self);
  show_per_variant (self);
  show_intents_and_hours (self);
  tb_not_understood_list_set_report (self->not_understood, self->report);
  gtk_stack_set_visible_child_name (self->stack, "report");
}

static void
update_actions (TbReportView *self)
{
  gboolean ready = self->report != NULL && self->loading == 0 && self->exporting == 0 &&
                   tb_campaign_report_get_n_dialed (self->report) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-csv", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-page", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.refresh", self->loading == 0);
  /* Greyed out as a whole: a menu of two disabled items says less. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), ready);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  TbReportView *self = TB_REPORT_VIEW (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->loading--;
  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    adw_status_page_set_description (self->error_page, error->message);
    gtk_stack_set_visible_child_name (self->stack, "error");
    update_actions (self);
    return;
  }
  g_clear_pointer (&self->report, tb_campaign_report_free);
  g_clear_object (&self->script);
  self->report = g_steal_pointer (&job->report);
  self->script = g_steal_pointer (&job->script);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  show_report (self);
  update_actions (self);
}

static gboolean
refresh_cb (gpointer data)
{
  TbReportView *self = data;

  self->refresh_id = 0;
  if (self->loading == 0)
    tb_report_view_reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_attempts_changed (TbReportView *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, REFRESH_SECONDS,
                                                   refresh_cb, g_object_ref (self),
                                                   g_object_unref);
}

/* ---------------------------------------------------------------- export */

static void
export_ui_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TbReportView *self = TB_REPORT_VIEW (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (!tb_report_view_export_finish (self, result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
      return;
    /* Translators: %s is why the export failed */
    message = g_strdup_printf (_("Could not export the report: %s"), error->message);
  } else {
    /* Translators: %s is a file's name */
    message = g_strdup_printf (_("Exported the report to %s"), name);
  }
  if (self->cancellable == NULL)
    return;   /* closed meanwhile */
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(TbReportView) self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    tb_report_view_export_async (self, file, tb_report_view_export_for_file (file),
                                 self->cancellable, export_ui_cb, g_object_ref (file));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
ask_for_file (TbReportView *self,
              gboolean      page)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  const char *campaign = self->report ? tb_campaign_report_get_campaign (self->report) : "";

  chooser = gtk_file_chooser_native_new (page ? _("Export One-Page Summary") : _("Export Report"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  /* Translators: the file name a report is offered under; %s is the campaign's name */
  name = g_strdup_printf (page ? _("%s report.pdf") : _("%s report.csv"), campaign);
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (page) {
    tb_page_add_file_filter (GTK_FILE_CHOOSER (chooser), _("PDF (to print or send)"), "*.pdf");
    tb_page_add_file_filter (GTK_FILE_CHOOSER (chooser), _("PNG (an image)"), "*.png");
  } else {
    tb_page_add_file_filter (GTK_FILE_CHOOSER (chooser), _("CSV (spreadsheets)"), "*.csv");
  }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
report_export_csv (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ask_for_file (TB_REPORT_VIEW (widget), FALSE);
}

static void
report_export_page (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  ask_for_file (TB_REPORT_VIEW (widget), TRUE);
}

static void
report_refresh (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  tb_report_view_reload (TB_REPORT_VIEW (widget));
}

/* ---------------------------------------------------------------- GObject */

static void
tb_report_view_dispose (GObject *object)
{
  TbReportView *self = TB_REPORT_VIEW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, tb_campaign_report_free);
  g_clear_object (&self->script);

  G_OBJECT_CLASS (tb_report_view_parent_class)->dispose (object);
}

static void
tb_report_view_finalize (GObject *object)
{
  TbReportView *self = TB_REPORT_VIEW (object);

  g_free (self->db_path);

  G_OBJECT_CLASS (tb_report_view_parent_class)->finalize (object);
}

static void
tb_report_view_class_init (TbReportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_report_view_dispose;
  object_class->finalize = tb_report_view_finalize;

  g_type_ensure (TB_TYPE_NOT_UNDERSTOOD_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-report-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TbReportView, window_title);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, stack);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, error_page);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, spinner);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, export_spinner);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, export_button);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, table_grid);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, comparison_box);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, funnel_box);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, talk_box);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, more_box);
  gtk_widget_class_bind_template_child (widget_class, TbReportView, not_understood);

  gtk_widget_class_install_action (widget_class, "report.export-csv", NULL, report_export_csv);
  gtk_widget_class_install_action (widget_class, "report.export-page", NULL, report_export_page);
  gtk_widget_class_install_action (widget_class, "report.refresh", NULL, report_refresh);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "report.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tb_report_view_init (TbReportView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->comparison_chart = tb_chart_new (TB_CHART_BARS);
  gtk_widget_set_name (self->comparison_chart, "report-comparison");
  gtk_box_append (self->comparison_box, self->comparison_chart);

  self->intents_chart = tb_chart_new (TB_CHART_BARS);
  gtk_widget_set_name (self->intents_chart, "report-intents");
  gtk_flow_box_append (self->more_box, titled (_("What Callees Said Most"), NULL,
                                               self->intents_chart));
  self->hours_chart = tb_chart_new (TB_CHART_COLUMNS);
  gtk_widget_set_name (self->hours_chart, "report-hours");
  gtk_flow_box_append (self->more_box,
                       titled (_("Calls per Hour (the Callee's Time)"),
                               _("Orange: busy or no answer, the hours nobody picks up."),
                               self->hours_chart));
  tb_page_follow_store (GTK_WIDGET (self), "attempts", G_CALLBACK (on_attempts_changed));
  update_actions (self);
}

GtkWidget *
tb_report_view_new (GtkWindow  *parent,
                    const char *db_path,
                    gint64      campaign_id)
{
  TbReportView *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (TB_TYPE_REPORT_VIEW, "transient-for", parent, NULL);
  self->db_path = g_strdup (db_path);
  self->campaign_id = campaign_id;
  tb_report_view_reload (self);
  return GTK_WIDGET (self);
}

gint64
tb_report_view_get_campaign_id (TbReportView *self)
{
  g_return_val_if_fail (TB_IS_REPORT_VIEW (self), 0);

  return self->campaign_id;
}

gboolean
tb_report_view_is_loading (TbReportView *self)
{
  g_return_val_if_fail (TB_IS_REPORT_VIEW (self), FALSE);

  return self->loading > 0;
}

TbCampaignReport *
tb_report_view_get_report (TbReportView *self)
{
  g_return_val_if_fail (TB_IS_REPORT_VIEW (self), NULL);

  return self->loading > 0 ? NULL : self->report;
}

void
tb_report_view_reload (TbReportView *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (TB_IS_REPORT_VIEW (self));

  job = g_new0 (Job, 1);
  job->db_path = g_strdup (self->db_path);
  job->campaign_id = self->campaign_id;
  task = g_task_new (self, self->cancellable, load_cb, NULL);
  g_task_set_source_tag (task, tb_report_view_reload);
  g_task_set_task_data (task, job, job_free);
  g_task_set_return_on_cancel (task, TRUE);
  self->loading++;
  gtk_spinner_set_spinning (self->spinner, TRUE);
  /* A report already shown stays while the new one is computed. */
  if (self->report == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  update_actions (self);
  g_task_run_in_thread (task, load_thread);
}

TbReportExport
tb_report_view_export_for_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  TbOnepagerFormat format;

  if (tb_report_onepager_format_for_path (name, &format))
    return format == TB_ONEPAGER_PDF ? TB_REPORT_EXPORT_PDF : TB_REPORT_EXPORT_PNG;
  return TB_REPORT_EXPORT_CSV;
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  TbReportView *self = g_task_get_source_object (outer);
  g_autoptr(GError) error = NULL;

  self->exporting--;
  /* Closed meanwhile: the file is written, the template is gone. */
  if (self->cancellable != NULL) {
    gtk_widget_set_visible (GTK_WIDGET (self->export_spinner), self->exporting > 0);
    gtk_spinner_set_spinning (self->export_spinner, self->exporting > 0);
    update_actions (self);
  }
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_boolean (outer, TRUE);
}

void
tb_report_view_export_async (TbReportView        *self,
                             GFile               *file,
                             TbReportExport       kind,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (TB_IS_REPORT_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, tb_report_view_export_async);
  job = g_new0 (Job, 1);
  job->db_path = g_strdup (self->db_path);
  job->campaign_id = self->campaign_id;
  job->file = g_object_ref (file);
  job->kind = kind;
  /* The thread's task holds the view: the counters it updates outlive a closed window. */
  task = g_task_new (self, cancellable, export_done_cb, g_steal_pointer (&outer));
  g_task_set_task_data (task, job, job_free);
  self->exporting++;
  gtk_widget_set_visible (GTK_WIDGET (self->export_spinner), TRUE);
  gtk_spinner_set_spinning (self->export_spinner, TRUE);
  update_actions (self);
  g_task_run_in_thread (task, export_thread);
}

gboolean
tb_report_view_export_finish (TbReportView  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (TB_IS_REPORT_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
