/* tb-campaigns-page.c — campaigns: progress, counters, live calls, charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The campaign's state is the runner's (and the store's, where the dialer writes it): the page
 * never infers "finished" from counters. The bar counts the contacts called, not those the
 * rules blocked; a running campaign with nothing to dial says until when, and why.
 */
#define G_LOG_DOMAIN "tb-campaigns-page"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "tb-application.h"
#include "tb-call-card.h"
#include "tb-campaign-preflight.h"
#include "tb-campaigns-page.h"
#include "tb-line-pool.h"
#include "tb-words.h"
#include "tb-chart.h"
#include "tb-import-dialog.h"
#include "tb-line-registry.h"
#include "tb-lines.h"
#include "tb-new-campaign-dialog.h"
#include "tb-page-util.h"
#include "tb-pool-list.h"
#include "tb-report-view.h"
#include "tb-store-attempts.h"
#include "tb-store-config.h"
#include "tb-store-lines.h"
#include "tb-window.h"

struct _TbCampaignsPage
{
  AdwBin          parent_instance;

  /* template widgets */
  GtkStack       *stack;
  AdwLeaflet     *leaflet;
  GtkListBox     *campaign_list;
  GtkLabel       *title_label;
  GtkLabel       *subtitle_label;
  GtkProgressBar *progress_bar;
  GtkFlowBox     *counters_box;
  TbPoolList     *pool_list;       /* one row per line of the campaign's pool */
  GtkStack       *live_stack;
  GtkLabel       *no_calls_label;
  GtkFlowBox     *calls_box;
  GtkFlowBox     *charts_box;
  GtkLabel       *script_error_label;
  GtkSpinner     *preflight_spinner;
  GtkLabel       *preflight_label;
  GtkButton      *consent_button;
  GtkLabel       *status_label;

  /* owned */
  GListModel     *live_calls;
  TbScript       *script;        /* the shown campaign's, for its nodes' titles */
  GListStore     *shown_calls;   /* the cards: live_calls, and ended ones held in place */
  gboolean        hold_cards;    /* the pointer is over the cards */
  gint64          campaign_id;
  char           *cannot_start;    /* why the shown campaign cannot start (its script's first
                                    * error, its list deleted), or NULL */
  char           *line_problem;    /* why the shown campaign's lines cannot dial, or NULL */
  char           *line_capacity;   /* "3 lines ready, 6 calls at once", and the lines down */
  gboolean        keypad_only;     /* its callees answer by keypad only */
  GCancellable   *preflight_cancellable;

  /* borrowed: the chart widgets, in charts_box */
  GtkWidget      *charts[4];
};

G_DEFINE_FINAL_TYPE (TbCampaignsPage, tb_campaigns_page, ADW_TYPE_BIN)

static const struct {
  const char   *kind;
  const char   *title;
  TbChartStyle  style;
} chart_kinds[] = {
  { "hours", N_("Calls per Hour"), TB_CHART_COLUMNS },
  { "outcomes", N_("Outcomes"), TB_CHART_BARS },
  { "grades", N_("Grades"), TB_CHART_BARS },
  { "funnel", N_("Calls Reaching Each Script Step"), TB_CHART_BARS },
};

static const char *
state_title (const char *state)
{
  if (g_strcmp0 (state, "running") == 0)
    return _("Running");
  if (g_strcmp0 (state, "paused") == 0)
    return _("Paused");
  if (g_strcmp0 (state, "finished") == 0)
    return _("Finished");
  return _("Ready");
}

/* The campaign's state as its runner has it (the store catches up when the dialer writes),
 * with why it paused by itself; the store's when no runner has it. */
static char *
dup_state_text (const TbCampaignRow *row,
                gboolean             with_reason)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbCampaignRunner *runner = app ? tb_application_lookup_runner (app, row->id) : NULL;
  const char *state = row->state;
  const char *reason = row->state_reason;

  switch (runner ? tb_campaign_runner_get_state (runner) : TB_DIALER_STATE_IDLE) {
  case TB_DIALER_STATE_RUNNING:
    state = "running";
    reason = NULL;
    break;
  case TB_DIALER_STATE_PAUSED:
    state = "paused";
    reason = tb_campaign_runner_get_pause_reason (runner);
    /* Paused, the calls already answered still finish: they are counted, not hidden. */
    if (reason == NULL && tb_campaign_runner_get_n_calls (runner) > 0) {
      guint n = tb_campaign_runner_get_n_calls (runner);

      /* Translators: "Paused · 2 calls finishing" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u call finishing",
                                           "%s · %u calls finishing", n),
                              state_title (state), n);
    }
    break;
  case TB_DIALER_STATE_FINISHED:
    state = "finished";
    reason = NULL;
    break;
  case TB_DIALER_STATE_IDLE:
  default:
    /* The store says running, but nothing runs it in this window: Telebot was closed (or
     * crashed) while it ran. It is not dialing; Start goes on where it stopped. */
    if (g_strcmp0 (state, "running") == 0) {
      state = "paused";
      reason = _("Telebot was closed while it ran; press Start to go on");
    }
    break;
  }
  if (reason != NULL && with_reason)
    /* Translators: a campaign's state and why it paused by itself */
    return g_strdup_printf (_("%s: %s"), state_title (state), reason);
  return g_strdup (state_title (state));
}

static GtkWidget *
make_counter (const char *title,
              gint64      value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  GtkWidget *value_label = gtk_label_new (number);
  GtkWidget *title_label = gtk_label_new (title);

  gtk_widget_add_css_class (value_label, "title-2");
  gtk_widget_add_css_class (value_label, "numeric");
  gtk_widget_add_css_class (title_label, "caption");
  gtk_widget_add_css_class (title_label, "dim-label");
  gtk_widget_set_name (value_label, title);
  gtk_box_append (GTK_BOX (box), value_label);
  gtk_box_append (GTK_BOX (box), title_label);
  return box;
}

static void
update_counters (TbCampaignsPage *self)
{
  TbStore *store = tb_application_get_default_store ();
  TbCampaignCounters c;
  g_autofree char *progress = NULL;
  g_autofree char *done = NULL;
  g_autofree char *total = NULL;
  GtkWidget *child;

  if (store == NULL || self->campaign_id == 0 ||
      !tb_store_campaign_get_counters (store, self->campaign_id, &c))
    return;

  /* Contacts the rules blocked are not work done: a campaign that called nobody is not full. */
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 c.total > 0 ? (double) (c.done - c.blocked) / c.total : 0);
  done = g_strdup_printf ("%" G_GINT64_FORMAT, c.done - c.blocked);
  total = g_strdup_printf ("%" G_GINT64_FORMAT, c.total);
  if (c.blocked > 0) {
    g_autofree char *blocked = g_strdup_printf ("%" G_GINT64_FORMAT, c.blocked);

    /* Translators: contacts finished, of all contacts, and those the rules blocked */
    progress = g_strdup_printf (_("%s of %s contacts done, %s blocked"), done, total, blocked);
  } else {
    /* Translators: contacts finished, of all contacts */
    progress = g_strdup_printf (_("%s of %s contacts done"), done, total);
  }
  gtk_progress_bar_set_text (self->progress_bar, progress);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->counters_box))) != NULL)
    gtk_flow_box_remove (self->counters_box, child);
  gtk_flow_box_append (self->counters_box, make_counter (_("Dialed"), c.dialed));
  gtk_flow_box_append (self->counters_box, make_counter (_("Answered"), c.answered));
  gtk_flow_box_append (self->counters_box, make_counter (_("A/B leads"), c.leads_ab));
  gtk_flow_box_append (self->counters_box, make_counter (_("Opted out"), c.opted_out));
  gtk_flow_box_append (self->counters_box, make_counter (_("Blocked"), c.blocked));
  gtk_flow_box_append (self->counters_box, make_counter (_("Waiting"), c.pending));
  tb_pool_list_refresh (self->pool_list);
}

/* A running campaign with no call in flight and none due: until when, and why (the runner
 * knows; the page only words it). */
static void
update_status (TbCampaignsPage *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbCampaignRunner *runner = app ? tb_application_lookup_runner (app, self->campaign_id) : NULL;
  g_autofree char *text = NULL;
  const char *rule = NULL;
  gint64 until = runner ? tb_campaign_runner_get_wait (runner, &rule) : 0;

  if (until > 0) {
    g_autofree char *when = tb_campaign_preflight_format_time (until,
                                                               tb_application_get_now (app));

    if (rule != NULL)
      /* Translators: a time ("08:00"), then the rule that holds the calls back until then */
      text = g_strdup_printf (_("Waiting: nobody can be called before %s (%s)."), when, rule);
    else
      text = g_strdup_printf (_("Waiting: the next call is due at %s."), when);
  }
  gtk_label_set_label (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
update_charts (TbCampaignsPage *self)
{
  TbStore *store = tb_application_get_default_store ();

  for (guint i = 0; i < G_N_ELEMENTS (chart_kinds); i++) {
    g_autoptr(GPtrArray) buckets = NULL;
    g_autoptr(GPtrArray) words = NULL;
    g_autofree gint64 *counts = NULL;

    if (store == NULL || self->campaign_id == 0)
      return;
    buckets = tb_store_campaign_stats (store, self->campaign_id, chart_kinds[i].kind, NULL);
    if (buckets == NULL)
      continue;
    if (chart_kinds[i].style == TB_CHART_COLUMNS) {
      /* The whole day, so the busy hours stand out against the quiet ones. */
      static const char *hours[24] = {
        "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
        "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23",
      };
      gint64 per_hour[24] = { 0 };

      for (guint j = 0; j < buckets->len; j++) {
        TbStatBucket *b = g_ptr_array_index (buckets, j);
        int hour = b->label ? atoi (b->label) : -1;

        if (hour >= 0 && hour < 24)
          per_hour[hour] = b->count;
      }
      tb_chart_set_data (TB_CHART (self->charts[i]), hours, per_hour, 24);
      continue;
    }
    /* Words, not identifiers: "Callee hung up", not hung_up; "Goodbye no", not goodbye_no. */
    words = g_ptr_array_new_with_free_func (g_free);
    counts = g_new0 (gint64, buckets->len + 1);
    for (guint j = 0; j < buckets->len; j++) {
      TbStatBucket *b = g_ptr_array_index (buckets, j);

      g_ptr_array_add (words, g_str_equal (chart_kinds[i].kind, "outcomes")
                                ? tb_words_outcome (b->label)
                              : g_str_equal (chart_kinds[i].kind, "funnel")
                                ? tb_words_node (self->script, b->label)
                                : g_strdup (b->label));
      counts[j] = b->count;
    }
    g_ptr_array_add (words, NULL);
    tb_chart_set_data (TB_CHART (self->charts[i]), (const char **) words->pdata, counts,
                       buckets->len);
  }
}

static void
update_actions (TbCampaignsPage *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbCampaignRunner *runner = app ? tb_application_lookup_runner (app, self->campaign_id) : NULL;
  TbDialerState state = runner ? tb_campaign_runner_get_state (runner) : TB_DIALER_STATE_IDLE;

  /* The runner refuses a script with errors: say why before the user presses Start. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaign.start",
                                 self->campaign_id > 0 && self->cannot_start == NULL &&
                                 state != TB_DIALER_STATE_RUNNING &&
                                 state != TB_DIALER_STATE_FINISHED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaign.pause",
                                 state == TB_DIALER_STATE_RUNNING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaign.report", self->campaign_id > 0);
  /* What the empty live-calls area says follows what the buttons allow. */
  gtk_label_set_label (self->no_calls_label,
                       self->campaign_id <= 0 ? _("No campaign selected.")
                       : self->cannot_start != NULL
                         ? _("Start stays off until the problem above is fixed.")
                       : state == TB_DIALER_STATE_RUNNING
                         ? _("No call in flight right now: the next one starts when it is due.")
                       : state == TB_DIALER_STATE_FINISHED
                         ? _("Finished: every contact has been called or is blocked.")
                       : state == TB_DIALER_STATE_PAUSED
                         ? _("Paused. Press Start to go on.")
                       : _("No calls in progress. Press Start to dial."));
}

/* A stopped spinner takes no room: the report lines up with the text around it. */
static void
show_spinner (GtkSpinner *spinner,
              gboolean    spinning)
{
  gtk_spinner_set_spinning (spinner, spinning);
  gtk_widget_set_visible (GTK_WIDGET (spinner), spinning);
}

static void
preflight_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TbCampaignsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPreflight) report = tb_campaign_preflight_run_finish (result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_spinner (self->preflight_spinner, FALSE);
  if (report == NULL)
    text = g_strdup_printf (_("The contacts could not be checked: %s"), error->message);
  else
    text = tb_campaign_preflight_describe (report);
  if (report != NULL && tb_campaign_preflight_get_need_consent (report) > 0) {
    g_autofree char *link = tb_campaign_preflight_consent_link_label (
      tb_campaign_preflight_get_need_consent (report));

    gtk_button_set_label (self->consent_button, link);
    gtk_widget_set_visible (GTK_WIDGET (self->consent_button), TRUE);
  } else {
    gtk_widget_set_visible (GTK_WIDGET (self->consent_button), FALSE);
  }
  /* The lines first: nothing else matters while none can dial (Start still tries them
   * again); else what the pool carries, after the contacts. */
  if (self->line_problem != NULL) {
    g_autofree char *contacts = g_steal_pointer (&text);

    text = g_strdup_printf ("%s\n%s", self->line_problem, contacts);
  } else if (self->line_capacity != NULL) {
    g_autofree char *contacts = g_steal_pointer (&text);

    text = g_strdup_printf ("%s\n%s", contacts, self->line_capacity);
  }
  if (self->keypad_only) {
    g_autofree char *with_note = g_strdup_printf ("%s\n%s", text,
                                                  tb_campaign_preflight_keypad_note ());

    gtk_label_set_label (self->preflight_label, with_note);
    return;
  }
  gtk_label_set_label (self->preflight_label, text);
}

/* The script check (fast, here) and the contact survey (in a thread) for the shown campaign. */
static void
update_preflight (TbCampaignsPage     *self,
                  const TbCampaignRow *row)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbStore *store = tb_application_get_default_store ();
  g_autoptr(GPtrArray) problems = NULL;
  const char *first;

  g_cancellable_cancel (self->preflight_cancellable);
  g_clear_object (&self->preflight_cancellable);
  g_clear_pointer (&self->cannot_start, g_free);
  g_clear_pointer (&self->line_problem, g_free);
  g_clear_pointer (&self->line_capacity, g_free);

  {
    g_autoptr(GPtrArray) down = NULL;
    g_autofree char *capacity = NULL;

    self->line_problem = tb_campaign_preflight_check_lines (store, row->id, &capacity, &down);
    if (down != NULL) {
      g_ptr_array_insert (down, 0, g_steal_pointer (&capacity));
      g_ptr_array_add (down, NULL);
      self->line_capacity = g_strjoinv ("\n", (char **) down->pdata);
    } else {
      self->line_capacity = g_steal_pointer (&capacity);
    }
  }
  problems = tb_campaign_preflight_check_script (store, row->script_id, row->script_name,
                                                 row->policies, &self->keypad_only);
  if (row->list_name == NULL)
    self->cannot_start = g_strdup (_("its contact list was deleted (the calls it made stay in "
                                     "the history)"));
  else if ((first = tb_campaign_preflight_first_error (problems)) != NULL)
    self->cannot_start = g_strdup (first);
  if (self->cannot_start != NULL) {
    /* Translators: why the campaign cannot start: its script's first error, or its list gone */
    g_autofree char *text = g_strdup_printf (_("Cannot start: %s"), self->cannot_start);

    gtk_label_set_label (self->script_error_label, text);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->script_error_label), self->cannot_start != NULL);

  self->preflight_cancellable = g_cancellable_new ();
  show_spinner (self->preflight_spinner, TRUE);
  gtk_label_set_label (self->preflight_label, _("Checking every contact against the rules…"));
  tb_campaign_preflight_run_async (store, row->id, 0, NULL,
                                   app ? tb_application_get_now (app) : g_get_real_time (),
                                   self->preflight_cancellable, preflight_cb,
                                   g_object_ref (self));
}

/* The header's line under the name: state · script · list · line(s) · rules. */
static void
update_subtitle (TbCampaignsPage     *self,
                 const TbCampaignRow *row)
{
  TbStore *store = tb_application_get_default_store ();
  g_autofree char *subtitle = NULL;
  g_autofree char *state = NULL;
  g_autofree char *lines = NULL;
  g_autoptr(GPtrArray) pool = NULL;

  state = dup_state_text (row, TRUE);
  pool = tb_store_dup_campaign_lines (store, row->id, NULL);
  if (pool != NULL && pool->len > 1) {
    g_autoptr(GString) names = g_string_new (NULL);

    for (guint i = 0; i < pool->len; i++)
      g_string_append_printf (names, "%s“%s”", i > 0 ? ", " : "",
                              ((TbCampaignLineRow *) g_ptr_array_index (pool, i))->name);
    /* Translators: a campaign's pool of lines: "lines “s1”, “s2”" */
    lines = g_strdup_printf (_("lines %s"), names->str);
  } else {
    /* Translators: a campaign's one line */
    lines = g_strdup_printf (_("line “%s”"), row->line_name);
  }
  /* Translators: state · script · contact list · line(s) · policy packs */
  subtitle = g_strdup_printf (_("%s · script “%s” · list “%s” · %s · rules %s"),
                              state, row->script_name,
                              /* Translators: a campaign's contact list, deleted since;
                               * its calls stay in the history. */
                              row->list_name ? row->list_name : C_("list", "deleted"),
                              lines, row->policies);
  gtk_label_set_label (self->subtitle_label, subtitle);
}

/* The campaign's state, in the header and in the list beside it: a paused campaign's calls
 * finish one by one ("Paused · 2 calls finishing"), with no other change to the list. */
static void
update_state_texts (TbCampaignsPage *self)
{
  TbStore *store = tb_application_get_default_store ();

  if (store == NULL)
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->campaign_list));
       child != NULL; child = gtk_widget_get_next_sibling (child)) {
    gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (child), "campaign-id"));
    GtkLabel *label = g_object_get_data (G_OBJECT (child), "state-label");
    g_autoptr(TbCampaignRow) row = label ? tb_store_get_campaign (store, id, NULL) : NULL;
    g_autofree char *text = row ? dup_state_text (row, FALSE) : NULL;

    if (text != NULL && g_strcmp0 (gtk_label_get_label (label), text) != 0)
      gtk_label_set_label (label, text);
    if (row != NULL && id == self->campaign_id)
      update_subtitle (self, row);
  }
}

static void
show_campaign (TbCampaignsPage *self,
               gint64           campaign_id)
{
  TbStore *store = tb_application_get_default_store ();
  g_autoptr(TbCampaignRow) row = NULL;

  self->campaign_id = campaign_id;
  if (store == NULL || (row = tb_store_get_campaign (store, campaign_id, NULL)) == NULL)
    return;
  tb_pool_list_set_campaign (self->pool_list, campaign_id);
  g_clear_object (&self->script);
  self->script = tb_words_load_campaign_script (store, campaign_id);

  gtk_label_set_label (self->title_label, row->name);
  update_subtitle (self, row);
  {
    TbApplication *app = TB_APPLICATION_DEFAULT;
    TbCampaignRunner *runner = app ? tb_application_lookup_runner (app, campaign_id) : NULL;

    tb_campaigns_page_set_live_calls (self, runner ? tb_campaign_runner_get_live_calls (runner)
                                                   : NULL);
  }
  update_preflight (self, row);
  update_actions (self);
  update_counters (self);
  update_status (self);
  update_charts (self);
}

static void
on_campaign_list_row_selected (TbCampaignsPage *self,
                               GtkListBoxRow   *row)
{
  if (row == NULL)
    return;
  show_campaign (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "campaign-id")));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
reload (TbCampaignsPage *self)
{
  TbStore *store = tb_application_get_default_store ();
  g_auto(GStrv) names = store ? tb_store_dup_names (store, "campaigns") : NULL;
  GtkListBoxRow *select = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->campaign_list))) != NULL)
    gtk_list_box_remove (self->campaign_list, child);

  for (guint i = 0; names && names[i]; i++) {
    gint64 id = tb_store_find_campaign (store, names[i]);
    g_autoptr(TbCampaignRow) row = tb_store_get_campaign (store, id, NULL);
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
    GtkWidget *name = gtk_label_new (names[i]);
    g_autofree char *state_text = row ? dup_state_text (row, FALSE)
                                     : g_strdup (state_title (NULL));
    GtkWidget *state = gtk_label_new (state_text);
    GtkWidget *list_row = gtk_list_box_row_new ();

    gtk_label_set_xalign (GTK_LABEL (name), 0);
    gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
    gtk_label_set_xalign (GTK_LABEL (state), 0);
    gtk_widget_add_css_class (state, "caption");
    gtk_widget_add_css_class (state, "dim-label");
    gtk_box_append (GTK_BOX (box), name);
    gtk_box_append (GTK_BOX (box), state);
    gtk_widget_set_margin_top (box, 6);
    gtk_widget_set_margin_bottom (box, 6);
    gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
    g_object_set_data (G_OBJECT (list_row), "campaign-id", GSIZE_TO_POINTER (id));
    g_object_set_data (G_OBJECT (list_row), "state-label", state);
    gtk_list_box_append (self->campaign_list, list_row);
    if (select == NULL || id == self->campaign_id)
      select = GTK_LIST_BOX_ROW (list_row);
  }

  gtk_stack_set_visible_child_name (self->stack, select ? "content" : "empty");
  if (select != NULL)
    gtk_list_box_select_row (self->campaign_list, select);
}

static void
on_scripts_changed (TbCampaignsPage *self)
{
  /* An edited script may now pass (or fail) its check; a DNC entry or an import changes
   * the survey. */
  if (self->campaign_id > 0)
    show_campaign (self, self->campaign_id);
}

static void
on_dialog_created (TbCampaignsPage *self,
                   gint64           campaign_id)
{
  /* reload() (on store-changed::campaigns) selects the row of this id. */
  self->campaign_id = campaign_id;
}

static void
campaign_new (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog = tb_new_campaign_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                       : NULL);

  g_signal_connect_object (dialog, "created", G_CALLBACK (on_dialog_created), widget,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
refresh (TbCampaignsPage *self)
{
  update_state_texts (self);
  update_counters (self);
  update_status (self);
  update_charts (self);
}

static void
campaign_import_consent (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  /* Its import announces "consent": the survey follows. */
  tb_page_import_consent (widget);
}

static void
on_card_call_action (TbCampaignsPage *self,
                     const char      *action,
                     gboolean         on,
                     TbCallCard      *card)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbCampaignRunner *runner = app ? tb_application_lookup_runner (app, self->campaign_id) : NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;

  if (runner == NULL)
    return;
  if (!tb_campaign_runner_call_action (runner,
                                       tb_live_call_get_attempt_id (tb_call_card_get_call (card)),
                                       action, on, &error) &&
      TB_IS_WINDOW (window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)))))
    tb_window_show_toast (TB_WINDOW (window), error->message);
}

static GtkWidget *
create_card (gpointer item,
             gpointer user_data)
{
  TbCampaignsPage *self = user_data;
  GtkWidget *card = tb_call_card_new (TB_LIVE_CALL (item), self->script);

  g_signal_connect_object (card, "call-action", G_CALLBACK (on_card_call_action), self,
                           G_CONNECT_SWAPPED);
  return card;
}

static void
campaign_start (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TbCampaignsPage *self = TB_CAMPAIGNS_PAGE (widget);
  TbApplication *app = TB_APPLICATION_DEFAULT;
  g_autoptr(GError) error = NULL;
  TbCampaignRunner *runner;
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));

  if (app == NULL || self->campaign_id == 0)
    return;
  if ((runner = tb_application_get_runner (app, self->campaign_id, &error)) == NULL) {
    if (TB_IS_WINDOW (window))
      tb_window_show_toast (TB_WINDOW (window), error->message);
    return;
  }
  tb_campaigns_page_set_live_calls (self, tb_campaign_runner_get_live_calls (runner));
  tb_campaign_runner_start (runner);
  update_actions (self);
  tb_application_store_changed (app, "campaigns");
}

static void
campaign_pause (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TbCampaignsPage *self = TB_CAMPAIGNS_PAGE (widget);
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbCampaignRunner *runner = app ? tb_application_lookup_runner (app, self->campaign_id) : NULL;

  if (runner == NULL)
    return;
  tb_campaign_runner_pause (runner);
  update_actions (self);
  tb_application_store_changed (app, "campaigns");
}

/* The report of the shown campaign, in a window of its own (one per campaign: pressed
 * again, the open one comes to the front, computed afresh). */
static void
campaign_report (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TbCampaignsPage *self = TB_CAMPAIGNS_PAGE (widget);
  TbStore *store = tb_application_get_default_store ();
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  GtkWidget *view;

  if (store == NULL || self->campaign_id <= 0)
    return;
  for (GList *l = toplevels; l != NULL; l = l->next) {
    if (TB_IS_REPORT_VIEW (l->data) &&
        tb_report_view_get_campaign_id (l->data) == self->campaign_id) {
      if (!tb_report_view_is_loading (l->data))
        tb_report_view_reload (l->data);
      gtk_window_present (l->data);
      return;
    }
  }
  view = tb_report_view_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                             tb_store_get_path (store), self->campaign_id);
  gtk_window_present (GTK_WINDOW (view));
}

static gboolean
model_contains (GListModel *model,
                gpointer    item)
{
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++) {
    g_autoptr(GObject) other = g_list_model_get_item (model, i);

    if (other == item)
      return TRUE;
  }
  return FALSE;
}

/* The cards follow the calls in flight, with one exception: while the pointer is over them, a
 * call that ends keeps its card (marked ended) so that the next one does not slide under the
 * pointer — a double click on Hang up would hang up a second callee. New calls are added at
 * the end. */
static void
on_live_calls_changed (TbCampaignsPage *self)
{
  GListModel *shown = G_LIST_MODEL (self->shown_calls);
  gboolean any;

  for (guint i = 0; self->live_calls && i < g_list_model_get_n_items (self->live_calls); i++) {
    g_autoptr(GObject) call = g_list_model_get_item (self->live_calls, i);

    if (!model_contains (shown, call))
      g_list_store_append (self->shown_calls, call);
  }
  for (guint i = g_list_model_get_n_items (shown); i-- > 0;) {
    g_autoptr(GObject) call = g_list_model_get_item (shown, i);
    GtkFlowBoxChild *child;

    if (model_contains (self->live_calls, call))
      continue;
    if (!self->hold_cards)
      g_list_store_remove (self->shown_calls, i);
    else if ((child = gtk_flow_box_get_child_at_index (self->calls_box, i)) != NULL &&
             TB_IS_CALL_CARD (gtk_flow_box_child_get_child (child)))
      tb_call_card_set_ended (TB_CALL_CARD (gtk_flow_box_child_get_child (child)));
  }
  any = g_list_model_get_n_items (shown) > 0;
  gtk_stack_set_visible_child_name (self->live_stack, any ? "calls" : "none");
}

static void
on_cards_enter (TbCampaignsPage *self)
{
  self->hold_cards = TRUE;
}

static void
on_cards_leave (TbCampaignsPage *self)
{
  self->hold_cards = FALSE;
  on_live_calls_changed (self);
}

static void
tb_campaigns_page_dispose (GObject *object)
{
  TbCampaignsPage *self = TB_CAMPAIGNS_PAGE (object);

  g_clear_object (&self->live_calls);
  g_clear_object (&self->shown_calls);
  g_clear_object (&self->script);
  g_cancellable_cancel (self->preflight_cancellable);
  g_clear_object (&self->preflight_cancellable);
  g_clear_pointer (&self->cannot_start, g_free);
  g_clear_pointer (&self->line_problem, g_free);
  g_clear_pointer (&self->line_capacity, g_free);

  G_OBJECT_CLASS (tb_campaigns_page_parent_class)->dispose (object);
}

static void
tb_campaigns_page_class_init (TbCampaignsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_campaigns_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-campaigns-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, campaign_list);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, counters_box);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, pool_list);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, live_stack);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, no_calls_label);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, calls_box);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, charts_box);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, script_error_label);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, preflight_spinner);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, preflight_label);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, consent_button);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_campaign_list_row_selected);

  gtk_widget_class_install_action (widget_class, "campaign.start", NULL, campaign_start);
  gtk_widget_class_install_action (widget_class, "campaign.pause", NULL, campaign_pause);
  gtk_widget_class_install_action (widget_class, "campaign.new", NULL, campaign_new);
  gtk_widget_class_install_action (widget_class, "campaign.report", NULL, campaign_report);
  gtk_widget_class_install_action (widget_class, "campaign.import-consent", NULL,
                                   campaign_import_consent);
  /* A binding, not an app accelerator: Ctrl+N means "new node" on the Scripts page. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "campaign.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "campaign.report", NULL);
}

static void
tb_campaigns_page_init (TbCampaignsPage *self)
{
  GtkEventController *motion;

  g_type_ensure (TB_TYPE_POOL_LIST);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->shown_calls = g_list_store_new (TB_TYPE_LIVE_CALL);
  gtk_flow_box_bind_model (self->calls_box, G_LIST_MODEL (self->shown_calls), create_card, self,
                           NULL);
  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "enter", G_CALLBACK (on_cards_enter), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_cards_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->calls_box), motion);

  for (guint i = 0; i < G_N_ELEMENTS (chart_kinds); i++) {
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
    GtkWidget *title = gtk_label_new (_(chart_kinds[i].title));

    gtk_label_set_xalign (GTK_LABEL (title), 0);
    gtk_widget_add_css_class (title, "heading");
    self->charts[i] = tb_chart_new (chart_kinds[i].style);
    gtk_widget_set_name (self->charts[i], chart_kinds[i].kind);
    gtk_box_append (GTK_BOX (box), title);
    gtk_box_append (GTK_BOX (box), self->charts[i]);
    gtk_flow_box_append (self->charts_box, box);
  }

  tb_page_follow_store (GTK_WIDGET (self), "campaigns", G_CALLBACK (reload));
  tb_page_follow_store (GTK_WIDGET (self), "attempts", G_CALLBACK (refresh));
  tb_page_follow_store (GTK_WIDGET (self), "scripts", G_CALLBACK (on_scripts_changed));
  /* The survey counts DNC entries and the list's contacts. */
  tb_page_follow_store (GTK_WIDGET (self), "dnc", G_CALLBACK (on_scripts_changed));
  tb_page_follow_store (GTK_WIDGET (self), "contacts", G_CALLBACK (on_scripts_changed));
  tb_page_follow_store (GTK_WIDGET (self), "consent", G_CALLBACK (on_scripts_changed));
  /* The subtitle names the list: renamed, or deleted. */
  tb_page_follow_store (GTK_WIDGET (self), "lists", G_CALLBACK (on_scripts_changed));
  reload (self);
  on_live_calls_changed (self);
}

/**
 * tb_campaigns_page_set_live_calls:
 * @self: the page
 * @live_calls: (nullable): a GListModel of TbLiveCall for the shown campaign
 *
 * Shows one card per call in flight; the cards follow the model.
 */
void
tb_campaigns_page_set_live_calls (TbCampaignsPage *self,
                                  GListModel      *live_calls)
{
  g_return_if_fail (TB_IS_CAMPAIGNS_PAGE (self));

  if (self->live_calls != NULL)
    g_signal_handlers_disconnect_by_data (self->live_calls, self);
  g_set_object (&self->live_calls, live_calls);
  g_list_store_remove_all (self->shown_calls);
  if (live_calls != NULL)
    g_signal_connect_swapped (live_calls, "items-changed", G_CALLBACK (on_live_calls_changed), self);
  on_live_calls_changed (self);
}

gint64
tb_campaigns_page_get_campaign_id (TbCampaignsPage *self)
{
  g_return_val_if_fail (TB_IS_CAMPAIGNS_PAGE (self), 0);

  return self->campaign_id;
}
