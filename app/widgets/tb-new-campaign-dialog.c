/* tb-new-campaign-dialog.c — create a campaign, ending with the compliance pre-flight report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The report has two parts: the script check for the chosen packs (errors disable Create:
 * the runner would refuse the campaign anyway) and the contact survey of the dial gate
 * (tb_dial_gate_preflight_list), which runs in a worker thread on its own connection. A list
 * nobody on which can be called, now or by waiting, disables Create too, saying why; when
 * consent is what is missing, a link opens the consent import, and the report follows it.
 */
#define G_LOG_DOMAIN "tb-new-campaign-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-campaign-preflight.h"
#include "tb-import-dialog.h"
#include "tb-line-pool.h"
#include "tb-line-registry.h"
#include "tb-lines.h"
#include "tb-new-campaign-dialog.h"
#include "tb-policy.h"
#include "tb-retry-rules.h"
#include "tb-script.h"
#include "tb-store-config.h"
#include "tb-store-lines.h"
#include "tb-window.h"

struct _TbNewCampaignDialog
{
  AdwWindow        parent_instance;

  /* template widgets */
  GtkButton       *create_button;
  AdwEntryRow     *name_row;
  AdwComboRow     *list_row;
  AdwComboRow     *script_row;
  AdwComboRow     *line_row;
  AdwExpanderRow  *pool_row;
  AdwComboRow     *number_rule_row;  /* TbLinePoolRule by position */
  AdwPreferencesGroup *policies_group;
  AdwExpanderRow  *policies_row;
  GPtrArray       *pack_checks;    /* GtkCheckButton per installed pack, "code" data */
  GPtrArray       *line_checks;    /* GtkCheckButton per line: "line" (name), "max-calls",
                                    * "row" (its AdwActionRow) data; the pool (issue #20) */
  gboolean         updating_pool;  /* its ticks are being set: their "toggled" is ours */
  GtkSpinButton   *concurrency_spin;
  GtkSpinButton   *busy_spin;
  GtkSpinButton   *no_answer_spin;
  GtkSpinButton   *attempts_spin;
  GtkSpinner      *spinner;
  GtkLabel        *contacts_label;
  GtkLabel        *blocker_label;
  GtkButton       *consent_button;
  GtkLabel        *script_label;
  GtkListBox      *problems_list;
  GtkLabel        *line_label;

  /* owned */
  GCancellable    *cancellable;
  char            *checked_key;   /* "list|script|packs" the report is for */
  GHashTable      *line_errors;   /* line name → why it cannot be built (technical) */
  GHashTable      *lines;         /* line name → the started TbLine somebody holds, followed */
  guint            refresh_id;
  gboolean         script_ok;
  gboolean         packs_ok;
  gboolean         contacts_ok;   /* the survey found somebody to call, now or later */
};

G_DEFINE_FINAL_TYPE (TbNewCampaignDialog, tb_new_campaign_dialog, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
combo_get_selected (AdwComboRow *row)
{
  GListModel *model = adw_combo_row_get_model (row);
  guint selected = adw_combo_row_get_selected (row);

  if (model == NULL || selected == GTK_INVALID_LIST_POSITION ||
      selected >= g_list_model_get_n_items (model))
    return NULL;
  return gtk_string_list_get_string (GTK_STRING_LIST (model), selected);
}

/* The ticked packs, "US,US-FL" ("" when none is). */
static char *
dup_packs (TbNewCampaignDialog *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) codes = NULL;

  for (guint i = 0; self->pack_checks != NULL && i < self->pack_checks->len; i++) {
    GtkCheckButton *check = g_ptr_array_index (self->pack_checks, i);

    if (gtk_check_button_get_active (check))
      g_strv_builder_add (b, g_object_get_data (G_OBJECT (check), "code"));
  }
  codes = g_strv_builder_end (b);
  return g_strjoinv (",", codes);
}

static char *
dup_retry_rules (TbNewCampaignDialog *self)
{
  return g_strdup_printf ("{\"max_attempts\":%d,\"retry_minutes\":{\"busy\":%d,"
                          "\"no_answer\":%d}}",
                          gtk_spin_button_get_value_as_int (self->attempts_spin),
                          gtk_spin_button_get_value_as_int (self->busy_spin),
                          gtk_spin_button_get_value_as_int (self->no_answer_spin));
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
set_row_error (GtkWidget *row,
               gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

/* Marks the row of @spin when its value crosses a retry ceiling, with @reason in place of its
 * subtitle (NULL: within the ceilings, the subtitle back). */
static void
show_retry_limit (GtkSpinButton *spin,
                  const char    *reason)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (spin), ADW_TYPE_ACTION_ROW);

  if (row == NULL)
    return;
  if (g_object_get_data (G_OBJECT (row), "tb-subtitle") == NULL)
    g_object_set_data_full (G_OBJECT (row), "tb-subtitle",
                            g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row))),
                            g_free);
  set_row_error (row, reason != NULL);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason != NULL
                               ? reason : g_object_get_data (G_OBJECT (row), "tb-subtitle"));
}

/* Why line @name cannot dial, in plain words, as far as the dialog knows: it cannot be built,
 * or its started line (the Lines page's, a campaign's) is in error. NULL: nothing known. */
static char *
dup_line_problem (TbNewCampaignDialog *self,
                  const char          *name)
{
  const char *build_error = g_hash_table_lookup (self->line_errors, name);
  TbLine *line = g_hash_table_lookup (self->lines, name);
  g_autofree char *technical = NULL;

  if (build_error != NULL)
    return tb_line_explain_error (build_error, NULL);
  if (line != NULL && tb_line_get_state (line) == TB_LINE_STATE_ERROR) {
    technical = tb_line_dup_last_error (line);
    return tb_line_explain_error (technical, NULL);
  }
  return NULL;
}

/* 0: ready or not started here, 1: still signing in, 2: cannot dial. The first line of the
 * best tier is the one chosen for the user. */
static guint
line_tier (TbNewCampaignDialog *self,
           const char          *name)
{
  TbLine *line = g_hash_table_lookup (self->lines, name);

  if (g_hash_table_contains (self->line_errors, name))
    return 2;
  if (line == NULL)
    return 0;
  switch (tb_line_get_state (line)) {
  case TB_LINE_STATE_ERROR:
    return 2;
  case TB_LINE_STATE_OFFLINE:
  case TB_LINE_STATE_REGISTERING:
    return 1;
  case TB_LINE_STATE_READY:
  default:
    return 0;
  }
}

static void
on_line_item_setup (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  in_list)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *reason = gtk_label_new (NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (reason), 0);
  gtk_label_set_wrap (GTK_LABEL (reason), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (reason), 40);
  gtk_widget_add_css_class (reason, "caption");
  gtk_widget_add_css_class (reason, "error");
  gtk_widget_set_visible (reason, FALSE);
  gtk_widget_add_css_class (icon, "error");
  gtk_widget_set_name (icon, "line-error-icon");
  gtk_widget_set_visible (icon, FALSE);
  gtk_box_append (GTK_BOX (texts), label);
  gtk_box_append (GTK_BOX (texts), reason);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);
  g_object_set_data (G_OBJECT (box), "in-list", in_list);
  gtk_list_item_set_child (item, box);
}

static void
on_line_item_bind (TbNewCampaignDialog *self,
                   GtkListItem         *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_first_child (gtk_widget_get_next_sibling (icon));
  GtkWidget *reason = gtk_widget_get_next_sibling (label);
  const char *name = gtk_string_object_get_string (gtk_list_item_get_item (item));
  g_autofree char *why = dup_line_problem (self, name);

  gtk_label_set_label (GTK_LABEL (label), name);
  gtk_widget_set_visible (icon, why != NULL);
  /* In the drop-down each line says why it cannot dial; the chosen one says it below. */
  gtk_label_set_label (GTK_LABEL (reason), why ? why : "");
  gtk_widget_set_visible (reason, why != NULL &&
                          g_object_get_data (G_OBJECT (box), "in-list") != NULL);
  gtk_widget_set_tooltip_text (box, why);
}

/* Fresh factories bind every line again: how a line's new state reaches the drop-down. */
static void
set_line_factories (TbNewCampaignDialog *self)
{
  for (guint in_list = 0; in_list < 2; in_list++) {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (on_line_item_setup),
                      GUINT_TO_POINTER (in_list));
    g_signal_connect_object (factory, "bind", G_CALLBACK (on_line_item_bind), self,
                             G_CONNECT_SWAPPED);
    if (in_list)
      adw_combo_row_set_list_factory (self->line_row, factory);
    else
      adw_combo_row_set_factory (self->line_row, factory);
  }
}

/* A line of the pool's list: its state and how many calls it carries ("Ready · 8 calls at
 * once"), or why it cannot dial; one that cannot is not offered. */
static void
update_pool_row (TbNewCampaignDialog *self,
                 GtkCheckButton      *check)
{
  const char *name = g_object_get_data (G_OBJECT (check), "line");
  int max_calls = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "max-calls"));
  AdwActionRow *row = g_object_get_data (G_OBJECT (check), "row");
  TbLine *line = g_hash_table_lookup (self->lines, name);
  g_autofree char *why = dup_line_problem (self, name);
  g_autofree char *calls = NULL;
  g_autofree char *subtitle = NULL;
  const char *state;

  if (why != NULL) {
    /* Translators: a line that cannot be added to a campaign's pool, and why */
    subtitle = g_strdup_printf (_("Cannot dial: %s"), why);
  } else {
    if (line == NULL)
      /* Translators: a line nobody has started yet: the campaign starts it */
      state = _("Not started yet");
    else if (tb_line_get_state (line) == TB_LINE_STATE_READY)
      state = _("Ready");
    else if (tb_line_get_state (line) == TB_LINE_STATE_REGISTERING)
      state = _("Registering…");
    else
      state = _("Offline");
    calls = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d call at once", "%d calls at once",
                                          max_calls), max_calls);
    subtitle = g_strdup_printf ("%s · %s", state, calls);
  }
  adw_action_row_set_subtitle (row, subtitle);
  /* The chosen line is always in: its tick shows it, and cannot be taken off. */
  if (g_strcmp0 (name, combo_get_selected (self->line_row)) == 0) {
    if (!gtk_check_button_get_active (check))
      g_object_set_data (G_OBJECT (check), "ticked-as-chosen", GINT_TO_POINTER (TRUE));
    gtk_check_button_set_active (check, TRUE);
    gtk_widget_set_sensitive (GTK_WIDGET (check), FALSE);
    return;
  }
  if (g_object_get_data (G_OBJECT (check), "ticked-as-chosen") != NULL) {
    /* No longer the chosen line: off again, as it was before it was chosen. */
    g_object_set_data (G_OBJECT (check), "ticked-as-chosen", NULL);
    gtk_check_button_set_active (check, FALSE);
  }
  if (why != NULL)
    gtk_check_button_set_active (check, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (check), why == NULL);
}

/* The lines the campaign dials over: the chosen one, then each other one ticked. */
static GPtrArray *
dup_pool_names (TbNewCampaignDialog *self)
{
  GPtrArray *names = g_ptr_array_new ();
  const char *first = combo_get_selected (self->line_row);

  if (first != NULL)
    g_ptr_array_add (names, (gpointer) first);
  for (guint i = 0; self->line_checks != NULL && i < self->line_checks->len; i++) {
    GtkCheckButton *check = g_ptr_array_index (self->line_checks, i);
    const char *name = g_object_get_data (G_OBJECT (check), "line");

    if (gtk_check_button_get_active (check) && g_strcmp0 (name, first) != 0)
      g_ptr_array_add (names, (gpointer) name);
  }
  return names;
}

/* "2 lines ready, 4 calls at once": what the chosen pool carries at the chosen concurrency. */
static void
update_pool_summary (TbNewCampaignDialog *self)
{
  g_autoptr(GPtrArray) names = dup_pool_names (self);
  g_autofree char *summary = NULL;
  guint ready = 0;
  int calls = 0;

  if (self->line_checks == NULL || self->pool_row == NULL || self->updating_pool)
    return;
  self->updating_pool = TRUE;
  for (guint i = 0; i < self->line_checks->len; i++)
    update_pool_row (self, g_ptr_array_index (self->line_checks, i));
  self->updating_pool = FALSE;
  g_ptr_array_set_size (names, 0);
  g_ptr_array_extend_and_steal (names, dup_pool_names (self));
  for (guint i = 0; i < self->line_checks->len; i++) {
    GtkCheckButton *check = g_ptr_array_index (self->line_checks, i);
    const char *name = g_object_get_data (G_OBJECT (check), "line");
    g_autofree char *why = NULL;

    if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL) ||
        (why = dup_line_problem (self, name)) != NULL)
      continue;
    ready++;
    calls += GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "max-calls"));
  }
  summary = tb_campaign_preflight_describe_capacity (ready, names->len,
                                                     MIN (calls, gtk_spin_button_get_value_as_int (
                                                            self->concurrency_spin)));
  adw_expander_row_set_subtitle (self->pool_row, summary);
}

static void
update_create (TbNewCampaignDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->name_row))));
  g_autofree char *rules = dup_retry_rules (self);
  gboolean retry_ok = tb_retry_rules_check (rules, NULL);
  TbStore *store = tb_application_get_default_store ();
  gboolean name_taken = store && *name && tb_store_find_campaign (store, name) > 0;
  g_autofree char *too_many = g_strdup_printf (_("At most %d: calling one person more often is "
                                                 "bombarding"), TB_RETRY_MAX_ATTEMPTS);
  g_autofree char *too_soon = g_strdup_printf (_("At least %d minutes: nobody is called twice "
                                                 "that soon"), TB_RETRY_MIN_MINUTES);
  gboolean line_ok, rule_ok;

  set_row_error (GTK_WIDGET (self->name_row), name_taken);
  /* The retry ceilings, with the reason under the row that crosses one. */
  show_retry_limit (self->attempts_spin,
                    gtk_spin_button_get_value_as_int (self->attempts_spin) >
                    TB_RETRY_MAX_ATTEMPTS ? too_many : NULL);
  show_retry_limit (self->busy_spin,
                    gtk_spin_button_get_value_as_int (self->busy_spin) < TB_RETRY_MIN_MINUTES
                    ? too_soon : NULL);
  show_retry_limit (self->no_answer_spin,
                    gtk_spin_button_get_value_as_int (self->no_answer_spin) <
                    TB_RETRY_MIN_MINUTES ? too_soon : NULL);
  {
    const char *line = combo_get_selected (self->line_row);
    g_autofree char *why = line ? dup_line_problem (self, line) : NULL;
    g_autofree char *said = why ? g_strdup_printf (_("This line cannot work: %s"), why) : NULL;
    /* The report's sentence, the one `telebot-cli campaign preflight` prints. */
    g_autofree char *report = line ? tb_campaign_preflight_describe_line (
      line, g_hash_table_lookup (self->lines, line),
      g_hash_table_lookup (self->line_errors, line)) : NULL;

    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->line_row), said ? said : "");
    set_row_error (GTK_WIDGET (self->line_row), why != NULL);
    gtk_label_set_label (self->line_label, report ? report : "");
    gtk_widget_set_visible (GTK_WIDGET (self->line_label), report != NULL);
    line_ok = why == NULL;
  }
  update_pool_summary (self);
  {
    /* What the rule does, or why the packs refuse it (one that holds each callee to one
     * number refuses "another on each retry"). */
    TbLinePoolRule rule = adw_combo_row_get_selected (self->number_rule_row);
    g_autofree char *packs = dup_packs (self);
    g_autoptr(GError) refused = NULL;

    rule_ok = tb_line_pool_check_rule (rule, packs, g_get_real_time (), &refused);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->number_rule_row),
                                 rule_ok ? tb_line_pool_rule_describe (rule) : refused->message);
    set_row_error (GTK_WIDGET (self->number_rule_row), !rule_ok);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            store != NULL && *name && !name_taken && retry_ok && line_ok &&
                            rule_ok &&
                            combo_get_selected (self->list_row) != NULL &&
                            combo_get_selected (self->script_row) != NULL &&
                            combo_get_selected (self->line_row) != NULL &&
                            self->script_ok && self->packs_ok && self->contacts_ok);
}

static GtkWidget *
make_problem_row (const TbScriptProblem *p)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (p->severity == TB_SCRIPT_PROBLEM_ERROR
                                                  ? "dialog-error-symbolic"
                                                  : "dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (p->message);

  gtk_widget_add_css_class (icon, p->severity == TB_SCRIPT_PROBLEM_ERROR ? "error" : "warning");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  return box;
}

static void
show_script_check (TbNewCampaignDialog *self,
                   GPtrArray           *problems)
{
  guint errors = 0, warnings = 0;
  g_autofree char *summary = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);
  for (guint i = 0; problems != NULL && i < problems->len; i++) {
    TbScriptProblem *p = g_ptr_array_index (problems, i);

    if (p->severity == TB_SCRIPT_PROBLEM_ERROR)
      errors++;
    else
      warnings++;
    gtk_list_box_append (self->problems_list, make_problem_row (p));
  }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_list), errors + warnings > 0);
  self->script_ok = problems != NULL && errors == 0;
  if (problems == NULL)
    summary = g_strdup ("");
  else if (errors > 0)
    summary = g_strdup_printf (ngettext ("The script check found %u error: fix the script "
                                         "before this campaign can be created.",
                                         "The script check found %u errors: fix the script "
                                         "before this campaign can be created.", errors),
                               errors);
  else if (warnings > 0)
    summary = g_strdup_printf (ngettext ("The script passes its check, with %u warning.",
                                         "The script passes its check, with %u warnings.",
                                         warnings), warnings);
  else
    summary = g_strdup (_("The script passes its check for these policy packs."));
  gtk_label_set_label (self->script_label, summary);
  set_row_error (GTK_WIDGET (self->script_label), errors > 0);
}

/* Why nobody can be called now (NULL: somebody can), and the link to import the consent that
 * @need_consent contacts lack. */
static void
show_blocker (TbNewCampaignDialog *self,
              const char          *blocker,
              gboolean             refuses,
              guint                need_consent)
{
  gtk_label_set_label (self->blocker_label, blocker ? blocker : "");
  gtk_widget_set_visible (GTK_WIDGET (self->blocker_label), blocker != NULL);
  set_row_error (GTK_WIDGET (self->blocker_label), refuses);
  if (need_consent > 0) {
    g_autofree char *link = tb_campaign_preflight_consent_link_label (need_consent);

    gtk_button_set_label (self->consent_button, link);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->consent_button), need_consent > 0);
}

static void
preflight_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TbNewCampaignDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPreflight) report = tb_campaign_preflight_run_finish (result, &error);
  TbApplication *app = TB_APPLICATION_DEFAULT;
  g_autofree char *text = NULL;
  g_autofree char *blocker = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_spinner (self->spinner, FALSE);
  if (report == NULL) {
    /* Not knowing is no reason to refuse: the gate decides again at every dial. */
    text = g_strdup_printf (_("The contacts could not be checked: %s"), error->message);
    self->contacts_ok = TRUE;
    show_blocker (self, NULL, FALSE, 0);
  } else {
    text = tb_campaign_preflight_describe (report);
    /* A campaign that could never dial anybody is not created: it would only "finish". */
    self->contacts_ok = tb_campaign_preflight_get_dialable (report);
    blocker = tb_campaign_preflight_describe_blocker (report, app ? tb_application_get_now (app)
                                                                  : g_get_real_time ());
    if (blocker != NULL && !self->contacts_ok) {
      g_autofree char *refused = g_strdup_printf (_("%s Create is off until somebody can be "
                                                    "called."), blocker);

      show_blocker (self, refused, TRUE, tb_campaign_preflight_get_need_consent (report));
    } else {
      show_blocker (self, blocker, FALSE, tb_campaign_preflight_get_need_consent (report));
    }
  }
  gtk_label_set_label (self->contacts_label, text);
  update_create (self);
}

static void
preflight_import_consent (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  TbNewCampaignDialog *self = TB_NEW_CAMPAIGN_DIALOG (widget);
  TbStore *store = tb_application_get_default_store ();
  TbImportDialog *dialog;

  if (store == NULL)
    return;
  /* Its import announces "consent": the report follows (see init). */
  dialog = tb_import_dialog_new_for_consent (store);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
refresh_report (gpointer data)
{
  TbNewCampaignDialog *self = data;
  TbStore *store = tb_application_get_default_store ();
  TbApplication *app = TB_APPLICATION_DEFAULT;
  const char *list = combo_get_selected (self->list_row);
  const char *script = combo_get_selected (self->script_row);
  g_autofree char *packs = dup_packs (self);
  g_autofree char *key = g_strdup_printf ("%s|%s|%s", list ? list : "", script ? script : "",
                                          packs);
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  self->refresh_id = 0;
  if (store == NULL || g_strcmp0 (key, self->checked_key) == 0)
    return G_SOURCE_REMOVE;
  g_free (self->checked_key);
  self->checked_key = g_steal_pointer (&key);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  show_spinner (self->spinner, FALSE);
  /* Until the survey says otherwise. */
  self->contacts_ok = FALSE;
  show_blocker (self, NULL, FALSE, 0);

  /* The packs first: neither check means anything with a pack that does not load. */
  self->packs_ok = *packs && (policies = tb_policy_load_list (packs, &error)) != NULL;
  set_row_error (GTK_WIDGET (self->policies_row), !self->packs_ok);
  if (!self->packs_ok) {
    g_autofree char *text = error
      ? g_strdup_printf (_("Policy packs: %s"), error->message)
      : g_strdup (_("Choose at least one policy pack."));

    self->script_ok = FALSE;
    gtk_label_set_label (self->contacts_label, text);
    show_script_check (self, NULL);
    update_create (self);
    return G_SOURCE_REMOVE;
  }

  if (script != NULL) {
    gboolean keypad_only = FALSE;

    problems = tb_campaign_preflight_check_script (store, tb_store_find_script (store, script),
                                                   script, packs, &keypad_only);
    show_script_check (self, problems);
    if (keypad_only && self->script_ok) {
      g_autofree char *text = g_strdup_printf ("%s %s",
                                               gtk_label_get_label (self->script_label),
                                               tb_campaign_preflight_keypad_note ());

      gtk_label_set_label (self->script_label, text);
    }
  } else {
    show_script_check (self, NULL);
  }

  if (list != NULL) {
    self->cancellable = g_cancellable_new ();
    show_spinner (self->spinner, TRUE);
    gtk_label_set_label (self->contacts_label, _("Checking every contact against the rules…"));
    tb_campaign_preflight_run_async (store, 0, tb_store_find_list (store, list), packs,
                                     app ? tb_application_get_now (app) : g_get_real_time (),
                                     self->cancellable, preflight_cb, g_object_ref (self));
  } else {
    gtk_label_set_label (self->contacts_label, _("Choose a contact list."));
  }
  update_create (self);
  return G_SOURCE_REMOVE;
}

static void
on_input_changed (TbNewCampaignDialog *self)
{
  g_autofree char *packs = NULL;

  if (self->updating_pool)
    return;
  packs = dup_packs (self);
  adw_expander_row_set_subtitle (self->policies_row, packs);
  update_create (self);
  /* Typing a name should not start a survey per key press. */
  if (self->refresh_id != 0)
    g_source_remove (self->refresh_id);
  self->refresh_id = g_timeout_add (200, refresh_report, self);
}

static void
on_create_clicked (TbNewCampaignDialog *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbStore *store = tb_application_get_default_store ();
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->name_row))));
  g_autofree char *packs = dup_packs (self);
  g_autofree char *rules = dup_retry_rules (self);
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autoptr(GPtrArray) names = dup_pool_names (self);
  g_autofree gint64 *line_ids = g_new0 (gint64, MAX (names->len, 1));
  gint64 id = 0;

  if (store == NULL || !gtk_widget_get_sensitive (GTK_WIDGET (self->create_button)))
    return;
  if (tb_store_begin (store, &error)) {
    id = tb_store_create_campaign (store, name,
                                   tb_store_find_list (store, combo_get_selected (self->list_row)),
                                   tb_store_find_script (store,
                                                         combo_get_selected (self->script_row)),
                                   tb_store_find_line (store, combo_get_selected (self->line_row)),
                                   packs, gtk_spin_button_get_value_as_int (self->concurrency_spin),
                                   &error);
    for (guint i = 0; i < names->len; i++)
      line_ids[i] = tb_store_find_line (store, g_ptr_array_index (names, i));
    if (id == 0 || !tb_store_set_campaign_retry_rules (store, id, rules, &error) ||
        !tb_store_set_campaign_number_rule (store, id,
                                            tb_line_pool_rule_to_string (
                                              adw_combo_row_get_selected (self->number_rule_row)),
                                            &error) ||
        (names->len > 1 &&
         !tb_store_set_campaign_lines (store, id, line_ids, names->len, &error)) ||
        !tb_store_commit (store, &error)) {
      tb_store_rollback (store);
      id = 0;
    }
  }
  if (id == 0) {
    g_autofree char *message = g_strdup_printf (_("Could not create campaign “%s”: %s"), name,
                                                error->message);

    if (TB_IS_WINDOW (parent))
      tb_window_show_toast (TB_WINDOW (parent), message);
    return;
  }
  g_signal_emit (self, signals[CREATED], 0, id);
  if (app != NULL)
    tb_application_store_changed (app, "campaigns");
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
fill_combo (AdwComboRow *row,
            GStrv        names,
            const char  *prefer)
{
  GtkStringList *model = gtk_string_list_new ((const char * const *) names);

  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  for (guint i = 0; names != NULL && names[i]; i++)
    if (g_strcmp0 (names[i], prefer) == 0)
      adw_combo_row_set_selected (row, i);
  g_object_unref (model);
}

/* REGISTERING → READY or ERROR while the dialog is open: the line says so at once. */
static void
on_line_state_changed (TbNewCampaignDialog *self)
{
  set_line_factories (self);
  update_create (self);
}

static void
load_choices (TbNewCampaignDialog *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbStore *store = tb_application_get_default_store ();
  g_auto(GStrv) lists = NULL;
  g_auto(GStrv) scripts = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) line_rows = NULL;
  g_auto(GStrv) available = tb_policy_dup_available_codes ();
  g_autofree char *codes = NULL;
  g_autofree char *description = NULL;
  g_autofree char *packs = NULL;

  if (store == NULL)
    return;
  lists = tb_store_dup_names (store, "lists");
  scripts = tb_store_dup_names (store, "scripts");
  /* Each line is built once (nothing is opened) to find one that cannot work (its password
   * missing, its settings wrong), and its live state is the started line's that the registry
   * hands out (the Lines page holds every line; nothing is started here). Lines ready come
   * first, lines signing in next, lines in error last: one in error is never the one chosen
   * for the user, and says why when chosen. */
  line_rows = tb_store_list_lines (store, NULL);
  g_hash_table_remove_all (self->line_errors);
  for (guint i = 0; line_rows != NULL && i < line_rows->len; i++) {
    TbLineRow *row = g_ptr_array_index (line_rows, i);
    g_autoptr(GError) line_error = NULL;
    g_autoptr(TbLine) built = NULL;
    TbLine *line;

    if (!row->enabled)
      continue;
    if ((line = tb_line_registry_lookup (row->name, row->kind, row->config,
                                         row->max_calls)) != NULL) {
      g_hash_table_insert (self->lines, g_strdup (row->name), g_object_ref (line));
      g_signal_connect_object (line, "notify::state", G_CALLBACK (on_line_state_changed), self,
                               G_CONNECT_SWAPPED);
    } else if ((built = tb_line_new_for_config (row->name, row->kind, row->config,
                                                row->max_calls, &line_error)) == NULL) {
      g_hash_table_insert (self->line_errors, g_strdup (row->name),
                           g_strdup (line_error->message));
    }
  }
  for (guint tier = 0; tier < 3; tier++)
    for (guint i = 0; line_rows != NULL && i < line_rows->len; i++) {
      TbLineRow *row = g_ptr_array_index (line_rows, i);

      if (row->enabled && line_tier (self, row->name) == tier)
        g_strv_builder_add (b, row->name);
    }
  lines = g_strv_builder_end (b);
  fill_combo (self->list_row, lists, NULL);
  fill_combo (self->script_row, scripts, NULL);
  fill_combo (self->line_row, lines, NULL);

  /* The pool: one tick per line, with its state and its calls at once. */
  for (guint i = 0; line_rows != NULL && i < line_rows->len; i++) {
    TbLineRow *row = g_ptr_array_index (line_rows, i);
    GtkWidget *action_row = adw_action_row_new ();
    GtkWidget *check = gtk_check_button_new ();
    g_autofree char *name = g_strdup_printf ("pool-line-%s", row->name);

    if (!row->enabled)
      continue;
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), row->name);
    gtk_widget_set_name (check, name);
    g_object_set_data_full (G_OBJECT (check), "line", g_strdup (row->name), g_free);
    g_object_set_data (G_OBJECT (check), "max-calls",
                       GINT_TO_POINTER (tb_line_kind_get_max_calls (row->kind, row->max_calls)));
    g_object_set_data (G_OBJECT (check), "row", action_row);
    g_signal_connect_object (check, "toggled", G_CALLBACK (on_input_changed), self,
                             G_CONNECT_SWAPPED);
    adw_action_row_add_prefix (ADW_ACTION_ROW (action_row), check);
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (action_row), check);
    adw_expander_row_add_row (self->pool_row, action_row);
    g_ptr_array_add (self->line_checks, check);
  }

  /* One switch per installed pack, by its name; the default ones ticked. */
  packs = tb_store_dup_setting (store, "default-policies", "US");
  {
    g_auto(GStrv) wanted = g_strsplit_set (packs, ", ", -1);

    for (guint i = 0; available[i] != NULL; i++) {
      g_autoptr(TbPolicy) policy = tb_policy_load (available[i], NULL);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *name = g_strdup_printf ("pack-%s", available[i]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     policy ? tb_policy_get_name (policy) : available[i]);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), available[i]);
      gtk_widget_set_name (check, name);
      g_object_set_data_full (G_OBJECT (check), "code", g_strdup (available[i]), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_strv_contains ((const char * const *) wanted, available[i]));
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_input_changed), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (self->policies_row, row);
      g_ptr_array_add (self->pack_checks, check);
    }
  }
  codes = dup_packs (self);
  adw_expander_row_set_subtitle (self->policies_row, codes);
  adw_preferences_group_set_description (self->policies_group,
                                         _("The rules of each jurisdiction the campaign calls; "
                                           "where they differ, the strictest wins."));
  if (app != NULL)
    gtk_spin_button_set_value (self->concurrency_spin,
                               g_settings_get_int (tb_application_get_settings (app),
                                                   "default-concurrency"));
}

static void
tb_new_campaign_dialog_dispose (GObject *object)
{
  TbNewCampaignDialog *self = TB_NEW_CAMPAIGN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->lines != NULL) {
    GHashTableIter iter;
    gpointer line;

    g_hash_table_iter_init (&iter, self->lines);
    while (g_hash_table_iter_next (&iter, NULL, &line))
      g_signal_handlers_disconnect_by_data (line, self);
    g_hash_table_remove_all (self->lines);
  }

  G_OBJECT_CLASS (tb_new_campaign_dialog_parent_class)->dispose (object);
}

static void
tb_new_campaign_dialog_finalize (GObject *object)
{
  TbNewCampaignDialog *self = TB_NEW_CAMPAIGN_DIALOG (object);

  g_free (self->checked_key);

  g_clear_pointer (&self->line_errors, g_hash_table_unref);
  g_clear_pointer (&self->lines, g_hash_table_unref);
  g_clear_pointer (&self->pack_checks, g_ptr_array_unref);
  g_clear_pointer (&self->line_checks, g_ptr_array_unref);
  G_OBJECT_CLASS (tb_new_campaign_dialog_parent_class)->finalize (object);
}

static void
tb_new_campaign_dialog_class_init (TbNewCampaignDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_new_campaign_dialog_dispose;
  object_class->finalize = tb_new_campaign_dialog_finalize;

  /**
   * TbNewCampaignDialog::created:
   * @campaign_id: the new campaign's row id
   */
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/"
                                               "tb-new-campaign-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, list_row);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, script_row);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, line_row);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, policies_group);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, policies_row);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, pool_row);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, number_rule_row);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, busy_spin);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, no_answer_spin);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, attempts_spin);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, contacts_label);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, blocker_label);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, consent_button);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, script_label);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, problems_list);
  gtk_widget_class_bind_template_child (widget_class, TbNewCampaignDialog, line_label);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);

  gtk_widget_class_install_action (widget_class, "preflight.import-consent", NULL,
                                   preflight_import_consent);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tb_new_campaign_dialog_init (TbNewCampaignDialog *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->pack_checks = g_ptr_array_new ();
  self->line_checks = g_ptr_array_new ();
  self->line_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  set_line_factories (self);
  load_choices (self);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  on_input_changed (self);
  /* Consent recorded anywhere (the link's import, the Contacts page) changes the survey. */
  if (app != NULL)
    g_signal_connect_object (app, "store-changed::consent",
                             G_CALLBACK (tb_new_campaign_dialog_refresh), self,
                             G_CONNECT_SWAPPED);
}

GtkWidget *
tb_new_campaign_dialog_new (GtkWindow *parent)
{
  return g_object_new (TB_TYPE_NEW_CAMPAIGN_DIALOG, "transient-for", parent, NULL);
}

gboolean
tb_new_campaign_dialog_get_busy (TbNewCampaignDialog *self)
{
  g_return_val_if_fail (TB_IS_NEW_CAMPAIGN_DIALOG (self), FALSE);

  return self->refresh_id != 0 || gtk_spinner_get_spinning (self->spinner);
}

/**
 * tb_new_campaign_dialog_refresh:
 *
 * Runs the pre-flight report again for the same choices (what it surveys changed).
 */
void
tb_new_campaign_dialog_refresh (TbNewCampaignDialog *self)
{
  g_return_if_fail (TB_IS_NEW_CAMPAIGN_DIALOG (self));

  g_clear_pointer (&self->checked_key, g_free);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  refresh_report (self);
}
