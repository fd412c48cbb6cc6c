/* test-ui-new-campaign.c — the New Campaign dialog and its compliance pre-flight report, and
 * the Campaigns page refusing to start a campaign whose script fails its check. Issue 16: a
 * US list without consent cannot be made a campaign, and the report links to the consent
 * import; a campaign that can dial nobody says why and when instead of "finishing".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tb-ui-test-util runs the app with --now 2026-12-01T10:00-05:00 (a Tuesday morning in New
 * York), so the calling window (R3) lets every demo callee be called and the counts are fixed.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tb-application.h"
#include "tb-policy.h"
#include "tb-campaigns-page.h"
#include "tb-import-dialog.h"
#include "tb-line-registry.h"
#include "tb-new-campaign-dialog.h"
#include "tb-store-attempts.h"
#include "tb-store-config.h"
#include "tb-store-consent.h"
#include "tb-store-contacts.h"
#include "tb-store-dnc.h"
#include "tb-store-lines.h"
#include "tb-sipp.h"
#include "tb-ui-test-util.h"

#define DEMO_LIST   "Demo contacts"

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}
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

/* Ticks the packs named in @codes ("US,US-FL"), unticks the others. */
static void
set_packs (TbNewCampaignDialog *dialog,
           const char          *codes)
{
  g_auto(GStrv) wanted = g_strsplit (codes, ",", -1);
  g_auto(GStrv) available = tb_policy_dup_available_codes ();

  for (guint i = 0; available[i] != NULL; i++) {
    g_autofree char *name = g_strdup_printf ("pack-%s", available[i]);
    GtkWidget *check = tb_ui_test_find_by_name (GTK_WIDGET (dialog), name);

    g_assert_true (GTK_IS_CHECK_BUTTON (check));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                 g_strv_contains ((const char * const *) wanted, available[i]));
  }
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
  set_packs (dialog, "US");
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

/* A line that cannot work (its password is read from a variable that is not set) is never
 * the one chosen for the user, and chosen by hand it says why and keeps Create off. */
static void
test_broken_line (TbApplication *app,
                  gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;
  TbNewCampaignDialog *dialog;
  GtkWidget *page;
  AdwComboRow *line_row;

  g_unsetenv ("TELEBOT_TEST_BROKEN_PASSWORD");
  g_assert_cmpint (tb_store_add_line (store, "A broken trunk", "sip",
                                      "{\"domain\":\"127.0.0.1:39\",\"user\":\"bob\","
                                      "\"password_env\":\"TELEBOT_TEST_BROKEN_PASSWORD\"}", 2,
                                      &error), >, 0);
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("campaigns"));
  tb_ui_test_settle ();
  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);
  dialog = open_dialog (page);
  line_row = ADW_COMBO_ROW (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "line-row"));
  /* "A broken trunk" sorts first by name; the working line is chosen. */
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (line_row)), ==,
                   DEMO_LINE);
  fill_in (dialog, "Broken", DEMO_SCRIPT);
  g_assert_true (create_sensitive (dialog));
  choose (dialog, "line-row", "A broken trunk");
  tb_ui_test_settle ();
  g_assert_false (create_sensitive (dialog));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (line_row)),
                                   "This line cannot work: The line's password is missing"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  tb_ui_test_settle ();
}

static gboolean
line_in_error (gpointer line)
{
  return tb_line_get_state (line) == TB_LINE_STATE_ERROR;
}

/* Whether the line row shows the error icon on its chosen line. */
static gboolean
row_shows_error_icon (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (GTK_IS_POPOVER (child))
      continue;   /* the drop-down's items, not the chosen one */
    if (g_strcmp0 (gtk_widget_get_name (child), "line-error-icon") == 0 &&
        gtk_widget_get_visible (child))
      return TRUE;
    if (row_shows_error_icon (child))
      return TRUE;
  }
  return FALSE;
}

/* A SIP line whose registrar refuses it (a sipp UAS answering REGISTER with 403 after a
 * moment) is listed while it signs in, never chosen for the user, and turns into an error
 * while the dialog is open: its reason in plain words under the row, the pre-flight's sentence
 * in the report, and Create off. The Lines page holds the started line; the dialog follows it
 * through the line registry without starting another. */
static void
test_rejected_line (TbApplication *app,
                    gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(TbSipp) sipp = tb_sipp_start_uas ("uas-register-403.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_strdup_printf ("{\"domain\":\"127.0.0.1:%u\",\"user\":\"bob\","
                                             "\"password_env\":"
                                             "\"TELEBOT_TEST_REJECTED_PASSWORD\"}",
                                             tb_sipp_get_port (sipp));
  TbNewCampaignDialog *dialog;
  GtkWidget *page;
  AdwComboRow *line_row;
  TbLine *line;

  g_setenv ("TELEBOT_TEST_REJECTED_PASSWORD", "not-the-password", TRUE);
  g_assert_cmpint (tb_store_add_line (store, "Office trunk", "sip", config, 2, &error), >, 0);
  g_assert_no_error (error);
  tb_application_store_changed (app, "lines");
  tb_ui_test_settle ();
  /* The Lines page started it; it signs in for a while yet. */
  line = tb_line_registry_lookup_from_store (store, "Office trunk");
  g_assert_nonnull (line);
  g_assert_cmpuint (tb_line_registry_get_holders (line), ==, 1);
  g_assert_cmpint (tb_line_get_state (line), ==, TB_LINE_STATE_REGISTERING);

  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("campaigns"));
  tb_ui_test_settle ();
  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);
  dialog = open_dialog (page);
  /* Looked up, not acquired: still the Lines page's one holder. */
  g_assert_cmpuint (tb_line_registry_get_holders (line), ==, 1);
  line_row = ADW_COMBO_ROW (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "line-row"));
  /* "Office trunk" sorts first by name; the ready line is chosen. */
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (line_row)), ==,
                   DEMO_LINE);
  fill_in (dialog, "Office", DEMO_SCRIPT);
  g_assert_true (create_sensitive (dialog));

  choose (dialog, "line-row", "Office trunk");
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (line_in_error, line, 10000));
  tb_ui_test_settle ();
  g_assert_false (create_sensitive (dialog));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (line_row)), ==,
                   "This line cannot work: The provider rejected the user name or password.");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (line_row), "error"));
  g_assert_true (row_shows_error_icon (GTK_WIDGET (line_row)));
  g_assert_true (gtk_widget_get_visible (tb_ui_test_find_by_name (GTK_WIDGET (dialog),
                                                                  "preflight-line")));
  g_assert_cmpstr (label_text (GTK_WIDGET (dialog), "preflight-line"), ==,
                   "The line “Office trunk” cannot dial: the provider rejected the user name "
                   "or password.");
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "new-campaign-rejected-line"));

  /* Opened again, the line in error is listed last and not chosen. */
  gtk_window_destroy (GTK_WINDOW (dialog));
  tb_ui_test_settle ();
  dialog = open_dialog (page);
  line_row = ADW_COMBO_ROW (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "line-row"));
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (line_row)), ==,
                   DEMO_LINE);
  g_assert_cmpuint (adw_combo_row_get_selected (line_row), ==, 0);
  g_assert_false (row_shows_error_icon (GTK_WIDGET (line_row)));
  gtk_window_destroy (GTK_WINDOW (dialog));
  tb_ui_test_settle ();
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

  /* The packs are the installed ones, chosen by name, not typed; with none ticked there is
   * no report and no Create, and the report says so. */
  g_assert_nonnull (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "pack-CN"));
  g_assert_nonnull (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "pack-DEFAULT"));
  set_packs (dialog, "");
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  g_assert_false (create_sensitive (dialog));
  g_assert_cmpstr (label_text (GTK_WIDGET (dialog), "preflight-contacts"), ==,
                   "Choose at least one policy pack.");
  set_packs (dialog, "US");
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
  /* …and what its line carries: the demo line takes 8 calls, the campaign 2 at once. */
  g_assert_cmpstr (label_text (page, "campaign-preflight"), ==,
                   "12 contacts: 12 can be called now\n1 line ready, 2 calls at once");
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

/* ---- consent (issue 16) ---------------------------------------------------------------- */

/* US callees (202: Washington, 808: Honolulu) without the consent the US pack asks of an
 * automated voice (R5). */
static gint64
add_list (TbStore            *store,
          const char         *name,
          const char * const *numbers)
{
  g_autoptr(GError) error = NULL;
  gint64 list_id = tb_store_ensure_list (store, name, "test", &error);

  g_assert_no_error (error);
  for (guint i = 0; numbers[i] != NULL; i++) {
    g_autofree char *who = g_strdup_printf ("Callee %u", i + 1);
    TbContactRow row = { .e164 = numbers[i], .name = who, .country = "US",
                         .persona = "interested" };

    g_assert_cmpint (tb_store_add_contact (store, list_id, &row, &error), >, 0);
    g_assert_no_error (error);
  }
  return list_id;
}

/* Not the demo's callees: the demo ships their consent. */
static const char * const leads[] = { "+12025550171", "+12025550172", "+12025550173", NULL };

/* The consent of @numbers, as a CSV in national format (the import reads them in US). */
static GFile *
write_consent (const char         *name,
               const char * const *numbers)
{
  g_autoptr(GString) csv = g_string_new ("number,scope,source,evidence,collected_at,"
                                         "collected_by,expires_at\n");
  g_autofree char *dir = g_path_get_dirname (tb_ui_test_get_db_path ());
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; numbers[i] != NULL; i++)
    g_string_append_printf (csv, "(%.3s) %.3s-%s,ai_voice,form,https://example.com/f/%u,"
                            "2026-01-05,web,\n", numbers[i] + 2, numbers[i] + 5, numbers[i] + 8,
                            i);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, &error));
  return g_file_new_for_path (path);
}

static TbImportDialog *
find_import_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (TB_IS_IMPORT_DIALOG (l->data))
      return l->data;
  return NULL;
}

static gboolean
has_import_dialog (gpointer data)
{
  return find_import_dialog () != NULL;
}

static gboolean
import_done (gpointer data)
{
  return tb_import_dialog_get_result (data) != NULL;
}

/* The consent import the link opened: @file in, and closed. */
static void
import_consent_in (GFile *file,
                   guint  expected)
{
  TbImportDialog *import;
  AdwComboRow *region;
  GListModel *regions;

  g_assert_true (tb_ui_test_wait (has_import_dialog, NULL, 5000));
  import = find_import_dialog ();
  g_assert_true (tb_import_dialog_get_consent (import));
  tb_import_dialog_set_file (import, file);
  tb_ui_test_settle ();
  region = ADW_COMBO_ROW (tb_ui_test_find_by_type (GTK_WIDGET (import), ADW_TYPE_COMBO_ROW));
  regions = adw_combo_row_get_model (region);
  for (guint i = 0; i < g_list_model_get_n_items (regions); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (regions), i), "US"))
      adw_combo_row_set_selected (region, i);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (import), "import.start", NULL));
  g_assert_true (tb_ui_test_wait (import_done, import, 30000));
  g_assert_cmpint (tb_import_dialog_get_result (import)->imported, ==, expected);
  g_assert_cmpint (tb_import_dialog_get_result (import)->rejected, ==, 0);
  gtk_window_destroy (GTK_WINDOW (import));
  tb_ui_test_settle ();
}

static gboolean
visible (GtkWidget  *root,
         const char *name)
{
  GtkWidget *widget = tb_ui_test_find_by_name (root, name);

  return widget != NULL && gtk_widget_get_visible (widget);
}

typedef struct {
  TbStore *store;
  gint64   campaign_id;
} Dialing;

static gboolean
answered_a_call (gpointer data)
{
  Dialing *d = data;
  TbCampaignCounters c;

  return tb_store_campaign_get_counters (d->store, d->campaign_id, &c) && c.answered > 0;
}

/* A US list nobody on which has consent: no Create, the reason shown, and a link to the
 * consent import; after the import the same report lets it be created, and Start dials. */
static void
test_consent_link (TbApplication *app,
                   gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWidget *page = get_page (app);
  g_autoptr(GFile) consent = write_consent ("leads-consent.csv", leads);
  g_autoptr(GError) error = NULL;
  TbNewCampaignDialog *dialog;
  GtkWidget *link;
  const char *text;
  Dialing d = { store, 0 };

  /* The demo's sim line, faster than real time: the call takes seconds. */
  g_assert_true (tb_store_exec (store, "UPDATE lines SET config = '{\"fast\": true}' "
                                "WHERE kind = 'sim'", &error));
  add_list (store, "Leads", leads);
  tb_application_store_changed (app, "lists");

  dialog = open_dialog (page);
  set_text (dialog, "name-entry", "Leads push");
  choose (dialog, "list-row", "Leads");
  choose (dialog, "script-row", DEMO_SCRIPT);
  choose (dialog, "line-row", DEMO_LINE);
  set_packs (dialog, "US");
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  tb_ui_test_settle ();

  text = label_text (GTK_WIDGET (dialog), "preflight-contacts");
  g_assert_true (g_str_has_prefix (text, "3 contacts: 0 can be called now, 3 blocked — "
                                   "R5 consent: 3 (e.g. “R5 consent ai_voice required by US"));
  /* Nothing to dial, now or later: no Create, and why, in plain sight. */
  g_assert_false (create_sensitive (dialog));
  g_assert_true (visible (GTK_WIDGET (dialog), "preflight-blocker"));
  g_assert_cmpstr (label_text (GTK_WIDGET (dialog), "preflight-blocker"), ==,
                   "Nobody on this list can be called: 3 contacts need consent (R5). Create "
                   "is off until somebody can be called.");
  link = tb_ui_test_find_by_name (GTK_WIDGET (dialog), "preflight-consent-link");
  g_assert_true (gtk_widget_get_visible (link));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (link)), ==,
                   "3 contacts need consent — Import consent…");
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "new-campaign-needs-consent"));

  /* The link opens the consent import over the dialog; the report follows the import. */
  g_assert_true (gtk_widget_activate (link));
  g_assert_true (tb_ui_test_wait (has_import_dialog, NULL, 5000));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (find_import_dialog ())) ==
                 GTK_WINDOW (dialog));
  import_consent_in (consent, 3);
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  tb_ui_test_settle ();
  g_assert_cmpstr (label_text (GTK_WIDGET (dialog), "preflight-contacts"), ==,
                   "3 contacts: 3 can be called now");
  g_assert_false (visible (GTK_WIDGET (dialog), "preflight-blocker"));
  g_assert_false (gtk_widget_get_visible (link));
  g_assert_true (create_sensitive (dialog));

  gtk_widget_activate (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "create-button"));
  g_assert_true (tb_ui_test_wait (no_dialog, NULL, 5000));
  tb_ui_test_settle ();
  d.campaign_id = tb_store_find_campaign (store, "Leads push");
  g_assert_cmpint (d.campaign_id, >, 0);
  g_assert_cmpint (tb_campaigns_page_get_campaign_id (TB_CAMPAIGNS_PAGE (page)), ==,
                   d.campaign_id);

  /* Started from the window, it dials on the simulated line. */
  g_assert_true (gtk_widget_activate_action (page, "campaign.start", NULL));
  g_assert_true (tb_ui_test_wait (answered_a_call, &d, 120000));
  g_free (tb_ui_test_screenshot (gtk_widget_get_ancestor (page, GTK_TYPE_WINDOW),
                                 "campaigns-consented-running"));
  g_assert_true (gtk_widget_activate_action (page, "campaign.pause", NULL));
}

static gboolean
page_preflight_of (gpointer data)
{
  gpointer *args = data;

  return g_str_has_prefix (label_text (args[0], "campaign-preflight"), args[1]);
}

static gboolean
runner_in_state (gpointer data)
{
  gpointer *args = data;
  TbCampaignRunner *runner = tb_application_lookup_runner (args[0],
                                                           GPOINTER_TO_SIZE (args[1]));

  return runner != NULL && (int) tb_campaign_runner_get_state (runner) == GPOINTER_TO_INT (args[2]);
}

static gboolean
status_shown (gpointer page)
{
  return visible (page, "campaign-status");
}

/* Start on a campaign nobody in which can be dialed never ends "finished" with a full bar:
 * it pauses, says why, and Start is there again once consent is in. A campaign whose callees
 * are asleep waits and says until when. */
static void
test_nothing_dialable (TbApplication *app,
                       gpointer       user_data)
{
  static const char * const night[] = { "+18085550100", NULL };   /* Honolulu: 05:00 */
  TbStore *store = tb_application_get_store (app);
  GtkWidget *page = get_page (app);
  g_autoptr(GFile) consent = write_consent ("leads-consent.csv", leads);
  g_autoptr(GFile) night_consent = write_consent ("night-consent.csv", night);
  g_autoptr(TbCampaignRow) row = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *bar, *link;
  TbNewCampaignDialog *dialog;
  TbCampaignCounters c;
  gpointer args[3];
  Dialing d = { store, 0 };
  gint64 night_id;

  g_assert_true (tb_store_exec (store, "UPDATE lines SET config = '{\"fast\": true}' "
                                "WHERE kind = 'sim'", &error));
  /* Made some other way (the CLI): the dialog would have refused it. */
  d.campaign_id = tb_store_create_campaign (store, "No consent",
                                            add_list (store, "Leads", leads),
                                            tb_store_find_script (store, DEMO_SCRIPT),
                                            tb_store_find_line (store, DEMO_LINE), "US", 2,
                                            &error);
  g_assert_no_error (error);
  tb_application_store_changed (app, "campaigns");
  tb_ui_test_settle ();
  {
    GtkListBox *list = GTK_LIST_BOX (tb_ui_test_find_by_name (page, "campaign-list"));

    for (GtkWidget *r = gtk_widget_get_first_child (GTK_WIDGET (list)); r != NULL;
         r = gtk_widget_get_next_sibling (r))
      if ((gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (r), "campaign-id")) ==
          d.campaign_id)
        gtk_list_box_select_row (list, GTK_LIST_BOX_ROW (r));
  }
  args[0] = page;
  args[1] = (gpointer) "3 contacts: 0 can be called now, 3 blocked — R5";
  g_assert_true (tb_ui_test_wait (page_preflight_of, args, 20000));
  link = tb_ui_test_find_by_name (page, "campaign-consent-link");
  g_assert_true (gtk_widget_get_visible (link));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (link)), ==,
                   "3 contacts need consent — Import consent…");

  /* Start: the runner pauses by itself and says why; nothing "finished". */
  g_assert_true (gtk_widget_activate_action (page, "campaign.start", NULL));
  args[0] = app;
  args[1] = GSIZE_TO_POINTER (d.campaign_id);
  args[2] = GINT_TO_POINTER (TB_DIALER_STATE_PAUSED);
  g_assert_true (tb_ui_test_wait (runner_in_state, args, 20000));
  tb_ui_test_settle ();
  row = tb_store_get_campaign (store, d.campaign_id, &error);
  g_assert_cmpstr (row->state, ==, "paused");
  g_assert_cmpstr (row->state_reason, ==, "nothing can be dialed: 3 contacts need consent (R5)");
  g_assert_cmpstr (label_text (page, "campaign-subtitle"), ==,
                   "Paused: nothing can be dialed: 3 contacts need consent (R5) · script "
                   "“" DEMO_SCRIPT "” · list “Leads” · line “" DEMO_LINE "” · "
                   "rules US");
  bar = tb_ui_test_find_by_name (page, "campaign-progress");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar)), ==, 0.0);
  g_assert_cmpstr (gtk_progress_bar_get_text (GTK_PROGRESS_BAR (bar)), ==,
                   "0 of 3 contacts done, 3 blocked");
  g_assert_true (tb_store_campaign_get_counters (store, d.campaign_id, &c));
  g_assert_cmpint (c.dialed, ==, 0);
  g_assert_true (gtk_widget_get_sensitive (tb_ui_test_find_by_name (page, "campaign-start")));
  g_free (tb_ui_test_screenshot (gtk_widget_get_ancestor (page, GTK_TYPE_WINDOW),
                                 "campaigns-nothing-dialable"));

  /* The page's link: consent in, Start again, and it dials the contacts it had blocked. */
  g_assert_true (gtk_widget_activate (link));
  import_consent_in (consent, 3);
  args[0] = page;
  args[1] = (gpointer) "3 contacts: 3 can be called now";
  g_assert_true (tb_ui_test_wait (page_preflight_of, args, 20000));
  g_assert_true (gtk_widget_activate_action (page, "campaign.start", NULL));
  g_assert_true (tb_ui_test_wait (answered_a_call, &d, 120000));
  g_assert_true (gtk_widget_activate_action (page, "campaign.pause", NULL));

  /* Asleep in Honolulu at 05:00: the report says when, and Create stays (waiting helps). */
  add_list (store, "Night", night);
  tb_application_store_changed (app, "lists");
  dialog = open_dialog (page);
  set_text (dialog, "name-entry", "Night owls");
  choose (dialog, "list-row", "Night");
  choose (dialog, "script-row", DEMO_SCRIPT);
  choose (dialog, "line-row", DEMO_LINE);
  set_packs (dialog, "US");
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  tb_ui_test_settle ();
  g_assert_true (gtk_widget_activate (tb_ui_test_find_by_name (GTK_WIDGET (dialog),
                                                               "preflight-consent-link")));
  import_consent_in (night_consent, 1);
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  tb_ui_test_settle ();
  g_assert_true (g_str_has_prefix (label_text (GTK_WIDGET (dialog), "preflight-contacts"),
                                   "1 contact: 0 can be called now, 1 blocked — R3"));
  g_assert_true (g_str_has_prefix (label_text (GTK_WIDGET (dialog), "preflight-blocker"),
                                   "Nobody can be called now: the first call can be made at "));
  g_assert_nonnull (strstr (label_text (GTK_WIDGET (dialog), "preflight-blocker"),
                            "R3 calling window US"));
  g_assert_true (create_sensitive (dialog));
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "new-campaign-waiting"));
  gtk_widget_activate (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "create-button"));
  g_assert_true (tb_ui_test_wait (no_dialog, NULL, 5000));
  tb_ui_test_settle ();
  night_id = tb_store_find_campaign (store, "Night owls");
  g_assert_cmpint (tb_campaigns_page_get_campaign_id (TB_CAMPAIGNS_PAGE (page)), ==, night_id);

  /* Started, it waits for the window, saying so; it dials nobody, and is not finished. */
  g_assert_true (gtk_widget_activate_action (page, "campaign.start", NULL));
  g_assert_true (tb_ui_test_wait (status_shown, page, 20000));
  g_assert_true (g_str_has_prefix (label_text (page, "campaign-status"),
                                   "Waiting: nobody can be called before "));
  g_assert_nonnull (strstr (label_text (page, "campaign-status"), "R3 calling window US"));
  g_assert_cmpint (tb_campaign_runner_get_state (tb_application_lookup_runner (app, night_id)),
                   ==, TB_DIALER_STATE_RUNNING);
  g_assert_true (g_str_has_prefix (label_text (page, "campaign-subtitle"), "Running · "));
  g_assert_true (tb_store_campaign_get_counters (store, night_id, &c));
  g_assert_cmpint (c.dialed, ==, 0);
  g_assert_cmpint (c.pending, ==, 1);
  g_free (tb_ui_test_screenshot (gtk_widget_get_ancestor (page, GTK_TYPE_WINDOW),
                                 "campaigns-waiting-for-window"));
  g_assert_true (gtk_widget_activate_action (page, "campaign.pause", NULL));
}

/* Issue #20: the dialog picks a pool of lines, each with its state and capacity; the
 * chosen line is always in it; the summary counts what the pool carries at the chosen
 * concurrency; the campaign is made over those lines and its page names them. */
static void
test_pool (TbApplication *app,
           gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWidget *page = get_page (app);
  TbNewCampaignDialog *dialog;
  g_autoptr(GPtrArray) pool = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *second, *chosen, *expander;
  gint64 id;
  gpointer args[2];

  g_assert_cmpint (tb_store_add_line (store, "Second line", "sim", "{\"seed\": 2}", 3, &error),
                   >, 0);
  g_assert_no_error (error);
  tb_application_store_changed (app, "lines");
  tb_ui_test_settle ();
  dialog = open_dialog (page);
  fill_in (dialog, "Two lines", DEMO_SCRIPT);
  set_spin (dialog, "concurrency-spin", 6);
  tb_ui_test_settle ();

  expander = tb_ui_test_find_by_name (GTK_WIDGET (dialog), "pool-lines");
  chosen = tb_ui_test_find_by_name (GTK_WIDGET (dialog), "pool-line-" DEMO_LINE);
  second = tb_ui_test_find_by_name (GTK_WIDGET (dialog), "pool-line-Second line");
  g_assert_nonnull (chosen);
  g_assert_nonnull (second);
  /* The chosen line is in, and cannot be taken off; the other is offered, with its calls. */
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (chosen)));
  g_assert_false (gtk_widget_get_sensitive (chosen));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (second)));
  g_assert_true (gtk_widget_get_sensitive (second));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (
                              second, ADW_TYPE_ACTION_ROW))), "3 calls at once"));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==,
                   "1 line ready, 6 calls at once");

  gtk_check_button_set_active (GTK_CHECK_BUTTON (second), TRUE);
  set_spin (dialog, "concurrency-spin", 12);
  tb_ui_test_settle ();
  /* 8 + 3 places: 11 calls at once, not the 12 asked. */
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==,
                   "2 lines ready, 11 calls at once");
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  g_assert_true (create_sensitive (dialog));
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "new-campaign-pool"));

  gtk_widget_activate (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "create-button"));
  g_assert_true (tb_ui_test_wait (no_dialog, NULL, 5000));
  tb_ui_test_settle ();
  id = tb_store_find_campaign (store, "Two lines");
  g_assert_cmpint (id, >, 0);
  pool = tb_store_dup_campaign_lines (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pool->len, ==, 2);
  g_assert_cmpstr (((TbCampaignLineRow *) g_ptr_array_index (pool, 0))->name, ==, DEMO_LINE);
  g_assert_cmpstr (((TbCampaignLineRow *) g_ptr_array_index (pool, 1))->name, ==, "Second line");

  /* The page names both lines and counts what they carry. */
  g_assert_true (tb_ui_test_wait (page_preflight_done, page, 20000));
  g_assert_nonnull (strstr (label_text (page, "campaign-subtitle"),
                            "lines “" DEMO_LINE "”, “Second line”"));
  args[0] = page;
  args[1] = (gpointer) "12 contacts: 12 can be called now\n2 lines ready, 11 calls at once";
  g_assert_true (tb_ui_test_wait (page_preflight_of, args, 20000));
  /* …and has a row per line, with what it did (nothing yet). */
  for (guint i = 0; i < 2; i++) {
    const char *names[] = { "campaign-line-" DEMO_LINE, "campaign-line-Second line" };
    GtkWidget *row = tb_ui_test_find_by_name (page, names[i]);

    g_assert_true (ADW_IS_ACTION_ROW (row));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                              "no calls yet"));
  }
}

/* The caller-number rule: chosen by name, said in words, stored; a pack that holds each
 * callee to one number (a test pack in the user's policy folder) refuses "another on each
 * retry", naming itself, and keeps Create off until another rule or pack is chosen. */
static void
test_number_rule (TbApplication *app,
                  gpointer       user_data)
{
  static const char *pack =
    "{\"telebot_policy\":1,\"code\":\"FIXED\",\"name\":\"Fixed caller ID (test)\","
    "\"caller_id\":[{\"effective_from\":\"2020-01-01\",\"source\":\"test\",\"verified\":false,"
    "\"fixed_per_callee\":true}]}";
  TbStore *store = tb_application_get_store (app);
  GtkWidget *page = get_page (app);
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "telebot", "policies", NULL);
  g_autofree char *path = g_build_filename (dir, "FIXED.json", NULL);
  g_autofree char *rule = NULL;
  g_autoptr(GError) error = NULL;
  TbNewCampaignDialog *dialog;
  AdwActionRow *row;
  gint64 id;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, pack, -1, &error));
  g_assert_no_error (error);
  dialog = open_dialog (page);
  fill_in (dialog, "Local first", DEMO_SCRIPT);
  row = ADW_ACTION_ROW (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "number-rule"));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "The caller numbers in turn");
  g_assert_true (create_sensitive (dialog));

  choose (dialog, "number-rule", "Another on each retry");
  set_packs (dialog, "US,FIXED");
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  g_assert_false (create_sensitive (dialog));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "The FIXED pack holds each callee to one caller number: a different number "
                   "on each retry is not allowed under it");
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "new-campaign-number-rule-refused"));

  choose (dialog, "number-rule", "Local number first");
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 20000));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "in the callee's area"));
  g_assert_true (create_sensitive (dialog));
  gtk_widget_activate (tb_ui_test_find_by_name (GTK_WIDGET (dialog), "create-button"));
  g_assert_true (tb_ui_test_wait (no_dialog, NULL, 5000));
  tb_ui_test_settle ();
  id = tb_store_find_campaign (store, "Local first");
  g_assert_cmpint (id, >, 0);
  rule = tb_store_dup_campaign_number_rule (store, id);
  g_assert_cmpstr (rule, ==, "local_first");
  /* The next test's dialog lists the installed packs only. */
  g_assert_cmpint (g_unlink (path), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_home = NULL;
  gboolean child = FALSE;
  int status;

  /* The user's policy folder is the test's own (test_number_rule writes a pack there); each
   * test's process inherits it. */
  for (int i = 1; i < argc; i++)
    child = child || g_str_equal (argv[i], "--GTestSubprocess");
  if (!child) {
    data_home = g_dir_make_tmp ("telebot-ui-data-XXXXXX", NULL);
    g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  }
  gtk_test_init (&argc, &argv, NULL);
  g_setenv ("TELEBOT_AUDIOSINK", "fakesink sync=true", TRUE);

  tb_ui_test_add ("/telebot/ui/new-campaign/broken-line", TRUE, test_broken_line, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/rejected-line", TRUE, test_rejected_line, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/create", TRUE, test_create, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/pool", TRUE, test_pool, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/number-rule", TRUE, test_number_rule, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/broken-script", TRUE, test_broken_script, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/dnc-block", TRUE, test_dnc_block, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/empty-state", FALSE, test_empty_state, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/consent-link", TRUE, test_consent_link, NULL);
  tb_ui_test_add ("/telebot/ui/new-campaign/nothing-dialable", TRUE, test_nothing_dialable,
                  NULL);

  status = g_test_run ();
  if (data_home != NULL)
    remove_tree (data_home);
  return status;
}
