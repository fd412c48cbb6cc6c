/* test-ui-newuser.c — a new user's first campaign, from the window alone
 *
 * What issue 16 asks a newcomer to be able to do, with no command line and no file edited by
 * hand, on an empty database: add the simulated line; import a contact file with Chinese
 * column names in GBK (the region is read from its +1 numbers); import the consent a US
 * campaign needs; write a script from New Script; create the campaign in New Campaign (its
 * pre-flight lets it be created); start it; open a lead and write a note while the calls
 * finish; export the leads. Screenshots of every step: build/screenshots/newuser-*.png.
 * (The simulated line runs faster than real time, and the business's name is set as the
 * Preferences' first field would: the test's only shortcuts.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tb-application.h"
#include "tb-campaign-runner.h"
#include "tb-campaigns-page.h"
#include "tb-flow-canvas.h"
#include "tb-script-document.h"
#include "tb-contacts-page.h"
#include "tb-import-dialog.h"
#include "tb-lead.h"
#include "tb-leads-page.h"
#include "tb-new-campaign-dialog.h"
#include "tb-script.h"
#include "tb-scripts-page.h"
#include "tb-store-config.h"
#include "tb-store-leads.h"
#include "tb-ui-test-util.h"

#define CONTACTS 6

static gpointer
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
import_dialog_open (gpointer data)
{
  return find_toplevel (TB_TYPE_IMPORT_DIALOG) != NULL;
}

static gboolean
import_done (gpointer data)
{
  return tb_import_dialog_get_result (data) != NULL;
}

static void
shot (GtkWindow  *window,
      const char *step)
{
  g_autofree char *name = g_strdup_printf ("newuser-%s", step);

  tb_ui_test_settle ();
  g_free (tb_ui_test_screenshot (GTK_WIDGET (window), name));
}

static void
go (GtkWindow  *window,
    const char *page)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string (page));
  tb_ui_test_settle ();
}

static char *
write_file (const char *name,
            const char *utf8,
            const char *charset)
{
  g_autofree char *dir = g_path_get_dirname (tb_ui_test_get_db_path ());
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *bytes = NULL;
  gsize len = strlen (utf8);
  g_autoptr(GError) error = NULL;

  bytes = charset ? g_convert (utf8, -1, charset, "UTF-8", NULL, &len, &error) : g_strdup (utf8);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, bytes, len, &error));
  return path;
}

/* Opens the import dialog with @action on the Contacts page, imports @path, returns the
 * number of rows imported. */
static gint64
import_file (GtkWindow  *window,
             GtkWidget  *page,
             const char *action,
             const char *path,
             const char *step,
             const char *expect_region)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TbImportDialog *dialog;
  gint64 imported;

  g_assert_true (gtk_widget_activate_action (page, action, NULL));
  g_assert_true (tb_ui_test_wait (import_dialog_open, NULL, 5000));
  dialog = find_toplevel (TB_TYPE_IMPORT_DIALOG);
  tb_import_dialog_set_file (dialog, file);
  tb_ui_test_settle ();
  if (expect_region != NULL)
    g_assert_nonnull (tb_ui_test_find_label_containing (GTK_WIDGET (dialog), expect_region));
  g_free (tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (dialog)), step));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.start", NULL));
  g_assert_true (tb_ui_test_wait (import_done, dialog, 30000));
  imported = tb_import_dialog_get_result (dialog)->imported;
  gtk_window_destroy (GTK_WINDOW (dialog));
  tb_ui_test_settle ();
  return imported;
}

static void
choose (GtkWidget  *dialog,
        const char *row_name,
        const char *value)
{
  AdwComboRow *row = ADW_COMBO_ROW (tb_ui_test_find_by_name (dialog, row_name));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), value) == 0) {
      adw_combo_row_set_selected (row, i);
      return;
    }
  g_error ("%s has no choice “%s”", row_name, value);
}

static gboolean
dialog_idle (gpointer data)
{
  return !tb_new_campaign_dialog_get_busy (data);
}

static gboolean
no_campaign_dialog (gpointer data)
{
  return find_toplevel (TB_TYPE_NEW_CAMPAIGN_DIALOG) == NULL;
}

static gboolean
has_lead (gpointer store)
{
  g_autoptr(GPtrArray) leads = tb_store_list_leads (store, NULL, NULL);

  return leads != NULL && leads->len > 0;
}

typedef struct {
  TbApplication *app;
  gint64         campaign_id;
} Finished;

static gboolean
campaign_finished (gpointer data)
{
  Finished *f = data;
  TbCampaignRunner *runner = tb_application_lookup_runner (f->app, f->campaign_id);

  return runner != NULL && tb_campaign_runner_get_state (runner) == TB_DIALER_STATE_FINISHED;
}

typedef struct {
  gboolean done;
  guint64  rows;
} Exported;

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Exported *e = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tb_leads_page_export_to_file_finish (TB_LEADS_PAGE (source), result, &e->rows,
                                                      &error));
  g_assert_no_error (error);
  e->done = TRUE;
}

static gboolean
export_done (gpointer data)
{
  return ((Exported *) data)->done;
}

static void
test_first_campaign (TbApplication *app,
                     gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  g_autoptr(GString) contacts = g_string_new ("姓名,手机号,公司\r\n");
  g_autoptr(GString) consent = g_string_new ("number,scope,source,evidence,collected_at,"
                                             "collected_by\n");
  g_autofree char *contacts_path = NULL;
  g_autofree char *consent_path = NULL;
  g_autofree char *script_name = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page, *dialog;
  gint64 campaign_id;
  Finished finished = { app, 0 };

  g_assert_true (tb_store_set_setting (store, "business-name", "Sunrise Bakery Supplies",
                                       &error));
  shot (window, "1-empty");

  /* 1. A line: the simulated one, from the Lines page's empty state. */
  go (window, "lines");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "add-sim-line"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "add-sim-line", NULL);
  tb_ui_test_settle ();
  g_assert_cmpint (tb_store_find_line (store, "Simulated line"), >, 0);
  g_assert_true (tb_store_exec (store, "UPDATE lines SET config = json_set (config, '$.fast', "
                                "json('true')) WHERE kind = 'sim'", &error));
  shot (window, "2-line");

  /* 2. Contacts: a GBK file with Chinese column names and US numbers. */
  for (guint i = 0; i < CONTACTS; i++) {
    g_string_append_printf (contacts, "客户%u,+1 202 555 01%02u,公司%u\r\n", i, 10 + i, i);
    g_string_append_printf (consent, "+1202555 01%02u,ai_voice,form,web form,"
                                     "2026-01-01T00:00:00Z,newuser test\n", 10 + i);
  }
  contacts_path = write_file ("美国客户.csv", contacts->str, "GBK");
  go (window, "contacts");
  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CONTACTS_PAGE);
  g_assert_cmpint (import_file (window, page, "win.import-contacts", contacts_path,
                                "newuser-3-import", "United States (US)"), ==, CONTACTS);
  g_assert_cmpint (tb_store_find_list (store, "美国客户"), >, 0);
  shot (window, "3-contacts");

  /* 3. The consent a US campaign needs, from the same page. */
  consent_path = write_file ("consent.csv", consent->str, NULL);
  {
    /* Spaces in the numbers are the file's business: the import normalizes them. */
    g_autofree char *fixed = NULL;
    g_autoptr(GRegex) space = g_regex_new (" ", 0, 0, NULL);

    fixed = g_regex_replace_literal (space, consent->str, -1, 0, "", 0, NULL);
    g_free (consent_path);
    consent_path = write_file ("consent.csv", fixed, NULL);
  }
  g_assert_cmpint (import_file (window, page, "contacts.import-consent", consent_path,
                                "newuser-4-consent", NULL), ==, CONTACTS);
  shot (window, "4-consented");

  /* 4. A script: New Script, as the editor makes it, passes the checker for the US. */
  go (window, "scripts");
  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_SCRIPTS_PAGE);
  g_assert_true (gtk_widget_activate_action (page, "script.new", NULL));
  tb_ui_test_settle ();
  script_name = g_strdup (tb_scripts_page_get_script_name (TB_SCRIPTS_PAGE (page)));
  g_assert_nonnull (script_name);
  /* New Script is a greeting alone (the checker says it needs a next step): the user adds a
   * goodbye after it with Add Node, links the greeting to it and writes its words. */
  {
    TbFlowCanvas *canvas = TB_FLOW_CANVAS (tb_ui_test_find_by_type (page, TB_TYPE_FLOW_CANVAS));
    TbScriptDocument *document = tb_scripts_page_get_document (TB_SCRIPTS_PAGE (page));
    g_autofree char *goodbye = NULL;

    tb_flow_canvas_select_node (canvas, "intro");
    goodbye = tb_flow_canvas_add_node (canvas, "hangup");
    tb_flow_canvas_connect (canvas, "intro", goodbye, NULL);
    tb_script_document_set_node_text (document, goodbye,
                                      "We will call you back with our prices. Goodbye.");
    tb_ui_test_settle ();
    g_assert_cmpstr (tb_script_document_get_node_next (document, "intro"), ==, goodbye);
  }
  g_assert_true (gtk_widget_activate_action (page, "script.save", NULL));
  tb_ui_test_settle ();
  shot (window, "5-script");

  /* 5. New Campaign: list, script, line, the US pack; the pre-flight lets it be created. */
  go (window, "campaigns");
  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE);
  g_assert_true (gtk_widget_activate_action (page, "campaign.new", NULL));
  tb_ui_test_settle ();
  dialog = find_toplevel (TB_TYPE_NEW_CAMPAIGN_DIALOG);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (tb_ui_test_find_by_name (dialog, "name-entry")),
                         "First campaign");
  choose (dialog, "list-row", "美国客户");
  choose (dialog, "script-row", script_name);
  choose (dialog, "line-row", "Simulated line");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (tb_ui_test_find_by_name (dialog, "pack-US")),
                               TRUE);
  tb_ui_test_settle ();
  g_assert_true (tb_ui_test_wait (dialog_idle, dialog, 30000));
  tb_ui_test_settle ();
  g_free (tb_ui_test_screenshot (dialog, "newuser-6-new-campaign"));
  g_assert_true (gtk_widget_get_sensitive (tb_ui_test_find_by_name (dialog, "create-button")));
  gtk_widget_activate (tb_ui_test_find_by_name (dialog, "create-button"));
  g_assert_true (tb_ui_test_wait (no_campaign_dialog, NULL, 5000));
  tb_ui_test_settle ();
  campaign_id = tb_store_find_campaign (store, "First campaign");
  g_assert_cmpint (campaign_id, >, 0);
  finished.campaign_id = campaign_id;

  /* 6. Start, and a lead comes. */
  g_assert_true (gtk_widget_activate_action (page, "campaign.start", NULL));
  g_assert_true (tb_ui_test_wait (has_lead, store, 120000));
  shot (window, "7-running");

  /* 7. A note on the first lead, typed while the other calls finish. */
  go (window, "leads");
  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_LEADS_PAGE);
  {
    GtkWidget *list = tb_ui_test_find_by_name (page, "leads-list");
    GtkSingleSelection *selection =
      GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
    GtkWidget *notes;
    gint64 attempt;

    gtk_single_selection_set_selected (selection, 0);
    tb_ui_test_settle ();
    attempt = tb_lead_get_row (gtk_single_selection_get_selected_item (selection))->attempt_id;
    notes = tb_ui_test_find_visible_by_type (page, ADW_TYPE_ENTRY_ROW);
    gtk_widget_grab_focus (notes);
    gtk_editable_set_text (GTK_EDITABLE (notes), "asked for the price list, call Tuesday");
    g_assert_true (tb_ui_test_wait (campaign_finished, &finished, 180000));
    tb_application_store_changed (app, "attempts");
    tb_ui_test_settle ();
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (notes)), ==,
                     "asked for the price list, call Tuesday");
    g_signal_emit_by_name (notes, "apply");
    tb_ui_test_settle ();
    {
      g_autoptr(GPtrArray) leads = tb_store_list_leads (store, NULL, NULL);
      gboolean saved = FALSE;

      for (guint i = 0; i < leads->len; i++) {
        TbLeadRow *row = g_ptr_array_index (leads, i);

        saved |= row->attempt_id == attempt &&
                 g_strcmp0 (row->notes, "asked for the price list, call Tuesday") == 0;
      }
      g_assert_true (saved);
    }
  }
  shot (window, "8-lead");

  /* 8. Export the leads. */
  {
    g_autofree char *dir = g_path_get_dirname (tb_ui_test_get_db_path ());
    g_autofree char *out = g_build_filename (dir, "leads.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (out);
    Exported e = { FALSE, 0 };

    tb_leads_page_export_to_file_async (TB_LEADS_PAGE (page), file,
                                        tb_leads_page_format_for_file (file), TRUE, NULL,
                                        exported_cb, &e);
    g_assert_true (tb_ui_test_wait (export_done, &e, 30000));
    g_assert_cmpuint (e.rows, >, 0);
    g_assert_true (g_file_test (out, G_FILE_TEST_EXISTS));
  }
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_setenv ("TELEBOT_AUDIOSINK", "fakesink sync=true", TRUE);

  tb_ui_test_add ("/telebot/ui/newuser/first-campaign", FALSE, test_first_campaign, NULL);

  return g_test_run ();
}
