/* test-ui-new-campaign.c — the New Campaign dialog and its compliance pre-flight report, and
 * the Campaigns page refusing to start a campaign whose script fails its check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tb-ui-test-util runs the app with --now 2026-12-01T10:00-05:00 (a Tuesday morning in New
 * York), so the calling window (R3) lets every demo callee be called and the counts are fixed.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tb-application.h"
#include "tb-campaigns-page.h"
#include "tb-new-campaign-dialog.h"
#include "tb-store-config.h"
#include "tb-store-dnc.h"
#include "tb-ui-test-util.h"

#define DEMO_LIST   "Demo contacts"
#define DEMO_SCRIPT "Demo: bakery supplies (English)"
#define DEMO_LINE   "Simulated line"

static GtkWidget *
get_page (TbApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWidget *page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);

  g_assert_nonnull (page);
  return page;
}

static TbNewCampaignDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (TB_IS_NEW_CAMPAIGN_DIALOG (l->data))
      return l->data;
  return NULL;
}

static gboolean
dialog_idle (gpointer data)
{
  return !tb_new_campaign_dialog_get_busy (data);
}

static TbNewCampaignDialog *
open_dialog (GtkWidget *page)
{
  TbNewCampaignDialog *dialog;

  g_assert_null (find_dialog ());
  g_assert_true (gtk_widget_activate_action (page, "campaign.new", NULL));
  tb_ui_test_settle ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 10000));
  return dialog;
}

static void
choose (TbNewCampaignDialog *dialog,
        const char          *row_name,
        const char          *value)
{
  AdwComboRow *row = ADW_COMBO_ROW (tb_ui_test_find_by_name (GTK_WIDGET (dialog), row_name));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), value) == 0) {
      adw_combo_row_set_selected (row, i);
      return;
    }
  g_error ("%s has no choice “%s”", row_name, value);
}

static void
set_text (TbNewCampaignDialog *dialog,
          const char          *name,
          const char          *text)
{
  gtk_editable_set_text (GTK_EDITABLE (tb_ui_test_find_by_name (GTK_WIDGET (dialog), name)),
                         text);
}

static void
set_spin (TbNewCampaignDialog *dialog,
          const char          *name,
          int                  value)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tb_ui_test_find_by_name (GTK_WIDGET (dialog),
                                                                        name)), value);
}

static void
fill_in (TbNewCampaignDialog *dialog,
         const char          *name,
         const char          *script)
{
  set_text (dialog, "name-entry", name);
  choose (dialog, "list-row", DEMO_LIST);
  choose (dialog, "script-row", script);
  choose (dialog, "line-row", DEMO_LINE);
  set_text (dialog, "policies-entry", "US");
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  tb_ui_test_settle ();
}

static const char *
label_text (GtkWidget  *root,
            const char *name)
{
  GtkWidget *label = tb_ui_test_find_by_name (root, name);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

static gboolean
create_sensitive (TbNewCampaignDialog *dialog)
{
  return gtk_widget_get_sensitive (tb_ui_test_find_by_name (GTK_WIDGET (dialog),
                                                            "create-button"));
}

static gboolean
page_preflight_done (gpointer page)
{
  return g_str_has_prefix (label_text (page, "campaign-preflight"), "12 contacts");
}

static gint64
selected_campaign (GtkWidget *page)
{
  GtkListBox *list = GTK_LIST_BOX (tb_ui_test_find_by_name (page, "campaign-list"));
  GtkListBoxRow *row = gtk_list_box_get_selected_row (list);

  return row ? (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "campaign-id")) : 0;
}

static void
select_campaign (GtkWidget *page,
                 gint64     campaign_id)
{
  GtkListBox *list = GTK_LIST_BOX (tb_ui_test_find_by_name (page, "campaign-list"));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if ((gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "campaign-id")) ==
        campaign_id) {
      gtk_list_box_select_row (list, GTK_LIST_BOX_ROW (row));
      tb_ui_test_settle ();
      g_assert_true (tb_ui_test_wait (page_preflight_done, page, 20000));
      return;
    }
  g_error ("campaign %" G_GINT64_FORMAT " is not in the list", campaign_id);
}

static gboolean
no_dialog (gpointer data)
{
  return find_dialog () == NULL;
}

static void
test_create (TbApplication *app,
             gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWidget *page = get_page (app);
  TbNewCampaignDialog *dialog = open_dialog (page);
  g_autoptr(TbCampaignRow) row = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  /* Nothing chosen yet: nothing to create. */
  g_assert_false (create_sensitive (dialog));

  fill_in (dialog, "Spring push", DEMO_SCRIPT);
  set_spin (dialog, "concurrency-spin", 2);
  set_spin (dialog, "busy-spin", 15);
  set_spin (dialog, "no-answer-spin", 90);
  set_spin (dialog, "attempts-spin", 4);
  tb_ui_test_settle ();

  /* The demo ships consent for its callees and it is a weekday morning in New York. */
  g_assert_cmpstr (label_text (GTK_WIDGET (dialog), "preflight-contacts"), ==,
                   "12 contacts: 12 can be called now");
  g_assert_nonnull (strstr (label_text (GTK_WIDGET (dialog), "preflight-script"), "passes"));
  g_assert_true (create_sensitive (dialog));
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "new-campaign-dialog"));

  /* A taken name is refused. */
  set_text (dialog, "name-entry", "Demo campaign");
  tb_ui_test_settle ();
  g_assert_false (create_sensitive (dialog));
  set_text (dialog, "name-entry", "Spring push");
  tb_ui_test_settle ();
  g_assert_true (create_sensitive (dialog));

  /* Retry values beyond the ceilings: no Create, the row marked, the reason in its place. */
  set_spin (dialog, "busy-spin", 2);
  tb_ui_test_settle ();
  g_assert_false (create_sensitive (dialog));
  {
    GtkWidget *busy_row = gtk_widget_get_ancestor (tb_ui_test_find_by_name (GTK_WIDGET (dialog),
                                                                       "busy-spin"),
                                              ADW_TYPE_ACTION_ROW);

    g_assert_true (gtk_widget_has_css_class (busy_row, "error"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (busy_row)),
                              "At least 10 minutes"));
    gtk_widget_grab_focus (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "busy-spin"));
    tb_ui_test_settle ();
    g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "new-campaign-retry-too-soon"));
    set_spin (dialog, "busy-spin", 15);
    tb_ui_test_settle ();
    g_assert_false (gtk_widget_has_css_class (busy_row, "error"));
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (busy_row)), ==,
                     "Minutes before calling a busy number again");
  }
  set_spin (dialog, "attempts-spin", 15);
  tb_ui_test_settle ();
  g_assert_false (create_sensitive (dialog));
  set_spin (dialog, "attempts-spin", 4);
  tb_ui_test_settle ();
  g_assert_true (create_sensitive (dialog));

  /* A pack that does not exist: no report, no Create, and the report says which. */
  set_text (dialog, "policies-entry", "US, ZZ");
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  g_assert_false (create_sensitive (dialog));
  g_assert_true (g_str_has_prefix (label_text (GTK_WIDGET (dialog), "preflight-contacts"),
                                   "Policy packs: "));
  g_assert_nonnull (strstr (label_text (GTK_WIDGET (dialog), "preflight-contacts"), "ZZ"));
  set_text (dialog, "policies-entry", "US");
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  g_assert_true (create_sensitive (dialog));

  gtk_widget_activate (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "create-button"));
  g_assert_true (tb_ui_test_wait (no_dialog, NULL, 5000));
  tb_ui_test_settle ();

  id = tb_store_find_campaign (store, "Spring push");
  g_assert_cmpint (id, >, 0);
  row = tb_store_get_campaign (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (row->list_name, ==, DEMO_LIST);
  g_assert_cmpstr (row->script_name, ==, DEMO_SCRIPT);
  g_assert_cmpstr (row->line_name, ==, DEMO_LINE);
  g_assert_cmpstr (row->policies, ==, "US");
  g_assert_cmpint (row->concurrency, ==, 2);
  g_assert_cmpstr (row->retry_rules, ==,
                   "{\"max_attempts\":4,\"retry_minutes\":{\"busy\":15,\"no_answer\":90}}");

  /* The page shows the new campaign, selected, with its pre-flight summary. */
  g_assert_cmpint (tb_campaigns_page_get_campaign_id (TB_CAMPAIGNS_PAGE (page)), ==, id);
  g_assert_cmpint (selected_campaign (page), ==, id);
  g_assert_true (tb_ui_test_wait (page_preflight_done, page, 20000));
  g_assert_cmpstr (label_text (page, "campaign-preflight"), ==,
                   "12 contacts: 12 can be called now");
  g_assert_true (gtk_widget_get_sensitive (tb_ui_test_find_by_name (page, "campaign-start")));
}

static void
test_broken_script (TbApplication *app,
                    gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWidget *page = get_page (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;
  g_autofree char *broken = NULL;
  g_auto(GStrv) parts = NULL;
  TbNewCampaignDialog *dialog;
  GtkWidget *problems, *error_label;
  gint64 script_id, campaign_id, demo_id = tb_store_find_campaign (store, "Demo campaign");

  /* The demo script with one route to a node that does not exist. */
  document = tb_store_dup_script_document (store, tb_store_find_script (store, DEMO_SCRIPT),
                                           &error);
  g_assert_no_error (error);
  parts = g_strsplit (document, "\"no\": \"goodbye_no\"", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  broken = g_strjoinv ("\"no\": \"later_nowhere\"", parts);
  script_id = tb_store_save_script (store, "Broken script", "en", broken, &error);
  g_assert_no_error (error);
  tb_application_store_changed (app, "scripts");

  dialog = open_dialog (page);
  fill_in (dialog, "Broken push", "Broken script");
  g_assert_false (create_sensitive (dialog));
  problems = tb_ui_test_find_by_name (GTK_WIDGET (dialog), "preflight-problems");
  g_assert_true (gtk_widget_get_visible (problems));
  g_assert_nonnull (tb_ui_test_find_label_containing (problems, "node \"pitch\""));
  g_assert_nonnull (tb_ui_test_find_label_containing (problems, "\"later_nowhere\""));
  g_assert_nonnull (strstr (label_text (GTK_WIDGET (dialog), "preflight-script"), "error"));
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "new-campaign-dialog-broken"));

  /* Back to the good script: Create comes back, the problems go. */
  choose (dialog, "script-row", DEMO_SCRIPT);
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  g_assert_true (create_sensitive (dialog));
  g_assert_null (tb_ui_test_find_label_containing (problems, "later_nowhere"));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (tb_ui_test_wait (no_dialog, NULL, 5000));
  g_assert_cmpint (tb_store_find_campaign (store, "Broken push"), ==, 0);

  /* A campaign made some other way (the CLI) with the broken script: Start is off, and
   * the page says why, naming the node. */
  campaign_id = tb_store_create_campaign (store, "Broken campaign",
                                          tb_store_find_list (store, DEMO_LIST), script_id,
                                          tb_store_find_line (store, DEMO_LINE), "US", 2, &error);
  g_assert_no_error (error);
  tb_application_store_changed (app, "campaigns");
  tb_ui_test_settle ();
  select_campaign (page, campaign_id);
  error_label = tb_ui_test_find_by_name (page, "campaign-script-error");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "node \"pitch\""));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "later_nowhere"));
  g_assert_false (gtk_widget_get_sensitive (tb_ui_test_find_by_name (page, "campaign-start")));
  g_assert_null (tb_application_lookup_runner (app, campaign_id));
  g_free (tb_ui_test_screenshot (gtk_widget_get_ancestor (page, GTK_TYPE_WINDOW),
                                 "campaigns-broken-script"));

  /* The demo campaign's script is fine: Start is on again. */
  select_campaign (page, demo_id);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_get_sensitive (tb_ui_test_find_by_name (page, "campaign-start")));
}

static gboolean
page_shows_r1 (gpointer page)
{
  return strstr (label_text (page, "campaign-preflight"), "R1") != NULL;
}

static void
test_dnc_block (TbApplication *app,
                gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWidget *page = get_page (app);
  g_autoptr(GError) error = NULL;
  TbNewCampaignDialog *dialog;
  const char *text;

  /* A callee asked not to be called again: R1 blocks that one, whatever the hour. */
  g_assert_true (tb_store_dnc_add (store, "+12025550103", "manual", "asked in person", NULL, 0,
                                   &error));
  g_assert_no_error (error);
  tb_application_store_changed (app, "dnc");

  dialog = open_dialog (page);
  fill_in (dialog, "After DNC", DEMO_SCRIPT);
  text = label_text (GTK_WIDGET (dialog), "preflight-contacts");
  g_assert_true (g_str_has_prefix (text, "12 contacts: 11 can be called now, 1 blocked — "
                                   "R1 do-not-call: 1 (e.g. “"));
  /* A block is a fact to know, not a reason to refuse the campaign. */
  g_assert_true (create_sensitive (dialog));
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "new-campaign-dialog-dnc"));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (tb_ui_test_wait (no_dialog, NULL, 5000));

  /* The page's summary for the demo campaign followed the DNC change: the same block. */
  g_assert_true (tb_ui_test_wait (page_shows_r1, page, 20000));
  g_assert_true (g_str_has_prefix (label_text (page, "campaign-preflight"),
                                   "12 contacts: 11 can be called now, 1 blocked — R1"));
}

static gboolean
has_dialog (gpointer data)
{
  return find_dialog () != NULL;
}

/* The page's own Ctrl+N binding (not an app accelerator: the Scripts page has its own). */
static GtkShortcut *
find_page_shortcut (GtkWidget       *widget,
                    guint            keyval,
                    GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GtkShortcut *found = NULL;

  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (controllers); i++) {
    g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

    if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
      continue;
    for (guint j = 0; found == NULL && j < g_list_model_get_n_items (G_LIST_MODEL (controller));
         j++) {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
      GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

      if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
          gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
          gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
        found = shortcut;
    }
  }
  return found;
}

static void
test_empty_state (TbApplication *app,
                  gpointer       user_data)
{
  GtkWidget *page = get_page (app);
  GtkWidget *button = tb_ui_test_find_by_name (page, "empty-new-campaign");
  TbNewCampaignDialog *dialog;
  GtkShortcut *shortcut;

  /* No campaigns: the empty state offers the demo and a new campaign. */
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_nonnull (tb_ui_test_find_label (page, "Start the Demo Campaign"));
  g_free (tb_ui_test_screenshot (gtk_widget_get_ancestor (page, GTK_TYPE_WINDOW),
                                 "campaigns-empty"));
  gtk_widget_activate (button);
  g_assert_true (tb_ui_test_wait (has_dialog, NULL, 5000));
  dialog = find_dialog ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 10000));
  /* An empty database has nothing to choose from. */
  g_assert_false (create_sensitive (dialog));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (tb_ui_test_wait (no_dialog, NULL, 5000));

  /* Ctrl+N, bound on the page, opens it too. */
  shortcut = find_page_shortcut (page, GDK_KEY_n, GDK_CONTROL_MASK);
  g_assert_nonnull (shortcut);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, page,
                                               gtk_shortcut_get_arguments (shortcut)));
  g_assert_true (tb_ui_test_wait (has_dialog, NULL, 5000));
  gtk_window_close (GTK_WINDOW (find_dialog ()));
  g_assert_true (tb_ui_test_wait (no_dialog, NULL, 5000));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  tb_ui_test_add ("/telebot/ui/new-campaign/create", TRUE, test_create, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/broken-script", TRUE, test_broken_script, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/dnc-block", TRUE, test_dnc_block, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/empty-state", FALSE, test_empty_state, NULL);

  return g_test_run ();
}
