/* test-ui-contacts.c — the import dialog and the Contacts page, driven in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From the empty state's button: the dialog previews a GBK file with Chinese
 * headers, imports 60,000 rows with progress, shows the summary, and the
 * column view shows the rows; search, sort and the DNC badge work on them.
 * Consent (issue 16): imported from the page with a rejects file, counted by the Needs
 * Consent filter, added and revoked per contact, each audited.
 * Screenshots go to $TELEBOT_BUILD_DIR/screenshots/.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tb-application.h"
#include "tb-campaigns-page.h"
#include "tb-audit.h"
#include "tb-consent-panel.h"
#include "tb-contact-model.h"
#include "tb-contacts-page.h"
#include "tb-dnc.h"
#include "tb-dnc-export.h"
#include "tb-import-dialog.h"
#include "tb-store-attempts.h"
#include "tb-store-audit.h"
#include "tb-store-calls.h"
#include "tb-store-config.h"
#include "tb-store-consent.h"
#include "tb-store-contacts.h"
#include "tb-store-dnc.h"
#include "tb-ui-test-util.h"

#define N_ROWS 60000

typedef gboolean (*WidgetPredicate) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget       *root,
             WidgetPredicate  predicate,
             gconstpointer    data)
{
  if (gtk_widget_get_visible (root) && predicate (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found;

    if (!gtk_widget_get_visible (child))
      continue;
    if ((found = find_widget (child, predicate, data)) != NULL)
      return found;
  }
  return NULL;
}

static gboolean
is_action_button (GtkWidget     *widget,
                  gconstpointer  action)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0 &&
         gtk_widget_get_mapped (widget);
}


static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

/* The user picks the region for numbers written without a country code. */
static void
choose_region (TbImportDialog *dialog,
               const char     *region)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (dialog), is_row_titled, "Region"));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

    /* "China (CN)": the country's name, its code beside it. */
    g_autofree char *suffix = g_strdup_printf ("(%s)", region);

    if (g_str_has_suffix (gtk_string_object_get_string (item), suffix)) {
      adw_combo_row_set_selected (row, i);
      return;
    }
  }
  g_assert_not_reached ();
}

static TbImportDialog *
find_import_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

    if (TB_IS_IMPORT_DIALOG (window))
      return TB_IMPORT_DIALOG (window);
  }
  return NULL;
}

static char *
write_gbk_file (guint n_rows)
{
  g_autoptr(GString) text = g_string_new ("姓名,手机号,公司,城市\r\n");
  g_autofree char *gbk = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (tb_ui_test_get_db_path ());
  char *path = g_build_filename (dir, "客户名单.csv", NULL);
  gsize len = 0;

  for (guint i = 0; i < n_rows; i++) {
    g_string_append_printf (text, "客户%u,139 %04u %04u,\"公司%u, 有限\",北京\r\n", i, i / 10000,
                            i % 10000, i % 100);
    if (i == 4)
      g_string_append (text, "坏号码,12ab,公司,北京\r\n");    /* line 7: in the preview */
  }
  g_string_append (text, "\"没有结束,139 9999 9999,公司,北京\r\n");   /* unterminated */
  gbk = g_convert (text->str, text->len, "GBK", "UTF-8", NULL, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, gbk, len, &error);
  g_assert_no_error (error);
  return path;
}

typedef struct {
  TbImportDialog *dialog;
  GtkStack       *stack;
  guint           n_partial;      /* progress values strictly between 0 and 1 */
  gboolean        shot;
} Run;

static void
on_progress_fraction (GtkProgressBar *bar,
                      GParamSpec     *pspec,
                      Run            *run)
{
  double f = gtk_progress_bar_get_fraction (bar);

  if (f > 0.0 && f < 1.0)
    run->n_partial++;
}

static gboolean
frame_counter_passed (gpointer data)
{
  gpointer *args = data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (args[0]));

  return clock != NULL && gdk_frame_clock_get_frame_counter (clock) > GPOINTER_TO_INT (args[1]);
}

static gboolean
is_import_stack (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "progress");
}

static gboolean
stack_settled (gpointer data)
{
  GtkWidget *stack = find_widget (GTK_WIDGET (data), is_import_stack, NULL);

  return stack == NULL || !gtk_stack_get_transition_running (GTK_STACK (stack));
}

/* A new window or page is drawn on the next frames of its own clock: let the
 * page's crossfade end, ask for two frames and wait for them, so screenshots
 * show it. */
static void
wait_drawn (GtkWidget *window)
{
  g_assert_true (tb_ui_test_wait (stack_settled, window, 5000));
  for (guint i = 0; i < 2; i++) {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
    gpointer args[2] = { window, NULL };

    g_assert_nonnull (clock);
    args[1] = GINT_TO_POINTER ((int) gdk_frame_clock_get_frame_counter (clock));
    gtk_widget_queue_draw (window);
    g_assert_true (tb_ui_test_wait (frame_counter_passed, args, 5000));
  }
}

static gboolean
dialog_open (gpointer data)
{
  return find_import_dialog () != NULL;
}

static gboolean
import_started (gpointer data)
{
  Run *run = data;

  return !g_str_equal (gtk_stack_get_visible_child_name (run->stack), "preview");
}

static gboolean
progress_shown (gpointer data)
{
  Run *run = data;

  return (run->n_partial > 0 &&
          g_str_equal (gtk_stack_get_visible_child_name (run->stack), "progress")) ||
         tb_import_dialog_get_result (run->dialog) != NULL;
}

static gboolean
import_done (gpointer data)
{
  Run *run = data;

  return tb_import_dialog_get_result (run->dialog) != NULL;
}

static gboolean
model_has_n (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (G_LIST_MODEL (args[0])) == GPOINTER_TO_UINT (args[1]);
}

/* Search and sort run off the main loop; wait for the model to take them. */
static gboolean
model_idle (gpointer data)
{
  return !tb_contact_model_get_busy (data);
}

static gboolean
label_mapped (gpointer data)
{
  gpointer *args = data;

  return find_widget (GTK_WIDGET (args[0]), is_label_with_text, args[1]) != NULL;
}

static void
test_import (TbApplication *app,
             gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  g_autofree char *path = write_gbk_file (N_ROWS);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *rejects = NULL;
  g_autofree char *png = NULL;
  TbContactsPage *page;
  GtkWidget *button, *bar, *columns, *search;
  GtkColumnViewColumn *name_column;
  const TbImportResult *result;
  const TbContactMapping *mapping;
  TbContactModel *model;
  Run run = { 0 };
  gpointer args[2];
  g_autoptr(TbContact) first = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("contacts"));
  tb_ui_test_settle ();
  page = TB_CONTACTS_PAGE (tb_ui_test_find_by_type (GTK_WIDGET (window),
                                                    TB_TYPE_CONTACTS_PAGE));
  g_assert_nonnull (page);

  /* The empty state's button opens the dialog. */
  g_assert_nonnull (tb_ui_test_find_visible_by_type (GTK_WIDGET (page), ADW_TYPE_STATUS_PAGE));
  button = find_widget (GTK_WIDGET (page), is_action_button, "win.import-contacts");
  g_assert_nonnull (button);
  /* A button's activation lands after its press animation. */
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (tb_ui_test_wait (dialog_open, NULL, 5000));
  run.dialog = find_import_dialog ();
  g_assert_nonnull (run.dialog);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (run.dialog)));
  wait_drawn (GTK_WIDGET (run.dialog));
  png = tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (run.dialog)),
                              "contacts-import-choose");

  /* Preview: GBK detected, Chinese headers mapped. */
  tb_import_dialog_set_file (run.dialog, file);
  tb_ui_test_settle ();
  g_assert_true (g_file_equal (tb_import_dialog_get_file (run.dialog), file));
  g_assert_cmpstr (tb_import_dialog_get_encoding (run.dialog), ==, "gb18030");
  mapping = tb_import_dialog_get_mapping (run.dialog);
  g_assert_nonnull (mapping);
  g_assert_true (tb_contact_mapping_has_header (mapping));
  g_assert_cmpint (tb_contact_mapping_get_column (mapping, TB_CONTACT_FIELD_NAME), ==, 0);
  g_assert_cmpint (tb_contact_mapping_get_column (mapping, TB_CONTACT_FIELD_PHONE), ==, 1);
  g_assert_cmpint (tb_contact_mapping_get_column (mapping, TB_CONTACT_FIELD_COMPANY), ==, 2);
  g_assert_true (tb_contact_mapping_is_custom (mapping, 3));
  /* The preview grid shows the decoded first rows. */
  g_assert_nonnull (find_widget (GTK_WIDGET (run.dialog), is_label_with_text, "客户1"));
  g_assert_nonnull (find_widget (GTK_WIDGET (run.dialog), is_label_with_text, "公司1, 有限"));
  /* The file is Chinese (GBK, Chinese column names): its numbers are read in China before
   * anyone chooses, and the region row says why; the preview marks the row that will be
   * rejected ("12ab"), and why, before the import starts. */
  {
    AdwComboRow *region = ADW_COMBO_ROW (find_widget (GTK_WIDGET (run.dialog), is_row_titled,
                                                      "Region"));
    GtkStringObject *chosen = adw_combo_row_get_selected_item (region);
    GtkWidget *rejected = tb_ui_test_find_by_name (GTK_WIDGET (run.dialog), "preview-rejected");

    g_assert_cmpstr (gtk_string_object_get_string (chosen), ==, "China (CN)");
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (region)),
                              "Guessed from the file"));
    g_assert_nonnull (rejected);
    g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (rejected)), "rejected: "));
    g_assert_nonnull (tb_ui_test_find_by_name (GTK_WIDGET (run.dialog), "preview-imported"));
  }
  choose_region (run.dialog, "CN");
  wait_drawn (GTK_WIDGET (run.dialog));
  png = tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (run.dialog)),
                              "contacts-import-preview");

  /* Import, watching the progress bar. */
  run.stack = GTK_STACK (find_widget (GTK_WIDGET (run.dialog), is_import_stack, NULL));
  bar = tb_ui_test_find_by_type (GTK_WIDGET (run.dialog), GTK_TYPE_PROGRESS_BAR);
  g_signal_connect (bar, "notify::fraction", G_CALLBACK (on_progress_fraction), &run);
  button = find_widget (GTK_WIDGET (run.dialog), is_action_button, "import.start");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (tb_ui_test_wait (import_started, &run, 5000));
  g_assert_true (tb_ui_test_wait (progress_shown, &run, 60000));
  if (tb_import_dialog_get_result (run.dialog) == NULL) {
    g_free (png);
    wait_drawn (GTK_WIDGET (run.dialog));
  png = tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (run.dialog)),
                              "contacts-import-progress");
  }
  g_assert_true (tb_ui_test_wait (import_done, &run, 60000));
  tb_ui_test_settle ();
  g_assert_cmpuint (run.n_partial, >, 0);

  /* Summary. */
  result = tb_import_dialog_get_result (run.dialog);
  g_assert_cmpint (result->rows, ==, N_ROWS + 2);
  g_assert_cmpint (result->imported, ==, N_ROWS);
  g_assert_cmpint (result->duplicates, ==, 0);
  g_assert_cmpint (result->rejected, ==, 2);
  g_assert_cmpstr (result->list_name, ==, "客户名单");
  g_assert_nonnull (result->rejects_path);
  g_assert_true (g_file_get_contents (result->rejects_path, &rejects, NULL, NULL));
  g_assert_nonnull (strstr (rejects, "\r\n7,phone “12ab” is not a number,坏号码,12ab"));
  g_assert_nonnull (strstr (rejects, "a quoted field is not closed before the end of the file"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (run.stack), ==, "summary");
  g_assert_nonnull (find_widget (GTK_WIDGET (run.dialog), is_action_button,
                                 "import.open-rejects"));
  g_free (png);
  wait_drawn (GTK_WIDGET (run.dialog));
  png = tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (run.dialog)),
                              "contacts-import-summary");
  g_assert_cmpint (tb_store_count_contacts (store, result->list_id, NULL), ==, N_ROWS);
  gtk_window_destroy (GTK_WINDOW (run.dialog));
  tb_ui_test_settle ();

  /* The page shows the new list; the column view draws its first rows. */
  g_assert_null (tb_ui_test_find_visible_by_type (GTK_WIDGET (page), ADW_TYPE_STATUS_PAGE));
  model = tb_contacts_page_get_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS);
  /* Paged: only what is drawn was read, never the whole list. */
  g_assert_cmpuint (tb_contact_model_get_n_fetches (model), <=, 4);
  columns = tb_ui_test_find_visible_by_type (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW);
  g_assert_nonnull (columns);
  args[0] = columns;
  args[1] = "+8613900000000";
  g_assert_true (tb_ui_test_wait (label_mapped, args, 5000));
  g_assert_nonnull (find_widget (columns, is_label_with_text, "客户2"));
  g_free (png);
  png = tb_ui_test_screenshot (GTK_WIDGET (window), "contacts-list");

  /* Search as you type, in SQL. */
  search = tb_ui_test_find_visible_by_type (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (search), "客户4242");
  args[0] = model;
  args[1] = GUINT_TO_POINTER (11);     /* 4242 and 42420..42429 */
  g_assert_true (tb_ui_test_wait (model_has_n, args, 5000));
  /* Searching did not read the list page by page on the main thread. */
  g_assert_cmpuint (tb_contact_model_get_n_fetches (model), <=, 4);

  /* Sort by the Name column, descending. */
  name_column = g_list_model_get_item (gtk_column_view_get_columns (GTK_COLUMN_VIEW (columns)),
                                       0);
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (columns), name_column, GTK_SORT_DESCENDING);
  g_object_unref (name_column);
  g_assert_true (tb_ui_test_wait (model_idle, model, 5000));
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (tb_contact_get_name (first), ==, "客户42429");
  g_assert_false (tb_contact_get_dnc (first));
  g_clear_object (&first);

  /* Block that number from the DNC view; the list then shows the badge. */
  {
    GtkListBox *sidebar = GTK_LIST_BOX (tb_ui_test_find_by_type (GTK_WIDGET (page),
                                                                 GTK_TYPE_LIST_BOX));
    GtkWidget *last = gtk_widget_get_last_child (GTK_WIDGET (sidebar));
    TbDncEntry dnc = { 0 };

    gtk_editable_set_text (GTK_EDITABLE (search), "");
    gtk_list_box_select_row (sidebar, GTK_LIST_BOX_ROW (last));
    tb_ui_test_settle ();
    g_assert_true (tb_contacts_page_get_model (page) != model);
    {
      GtkWidget *dnc_entry = tb_ui_test_find_visible_by_type (GTK_WIDGET (page), GTK_TYPE_ENTRY);

      g_assert_nonnull (dnc_entry);
      gtk_editable_set_text (GTK_EDITABLE (dnc_entry), "+86 139 0004 2429");
      g_signal_emit_by_name (dnc_entry, "activate");
      tb_ui_test_settle ();
    }
    g_assert_true (tb_store_dnc_lookup (store, "+8613900042429", g_get_real_time (), &dnc));
    g_assert_cmpstr (dnc.source, ==, "manual");
    tb_dnc_entry_clear (&dnc);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tb_contacts_page_get_model (page))),
                      ==, 1);
    g_free (png);
    png = tb_ui_test_screenshot (GTK_WIDGET (window), "contacts-dnc");

    gtk_list_box_select_row (sidebar, GTK_LIST_BOX_ROW (gtk_widget_get_first_child
                                                          (GTK_WIDGET (sidebar))));
    gtk_editable_set_text (GTK_EDITABLE (search), "客户4242");
    args[0] = model;
    args[1] = GUINT_TO_POINTER (11);
    g_assert_true (tb_ui_test_wait (model_has_n, args, 5000));
    g_assert_true (tb_ui_test_wait (model_idle, model, 5000));
    tb_ui_test_settle ();
    first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (tb_contact_get_name (first), ==, "客户42429");
    g_assert_true (tb_contact_get_dnc (first));
    args[0] = columns;
    args[1] = "DNC";
    g_assert_true (tb_ui_test_wait (label_mapped, args, 5000));
    g_free (png);
    png = tb_ui_test_screenshot (GTK_WIDGET (window), "contacts-search-sort-dnc");
  }
}

static gboolean
dialog_result_or_error (gpointer data)
{
  Run *run = data;

  return g_str_equal (gtk_stack_get_visible_child_name (run->stack), "preview") &&
         run->n_partial > 0;
}

static void
on_first_progress_cancel (GtkProgressBar *bar,
                          GParamSpec     *pspec,
                          Run            *run)
{
  if (gtk_progress_bar_get_fraction (bar) > 0 && run->n_partial++ == 0) {
    GtkWidget *cancel = find_widget (GTK_WIDGET (run->dialog), is_action_button,
                                     "import.cancel");
    g_assert_true (gtk_widget_activate (cancel));
  }
}

/* Cancel during the import: the dialog goes back to the preview and the
 * database has no trace of it. */
static void
test_cancel (TbApplication *app,
             gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  g_autofree char *path = write_gbk_file (8 * N_ROWS);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gint64 before = tb_store_count_rows (store, "contacts");
  g_autofree char *png = NULL;
  Run run = { 0 };
  GtkWidget *bar;

  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("contacts"));
  tb_ui_test_settle ();
  gtk_widget_activate_action (tb_ui_test_find_by_type (GTK_WIDGET (window),
                                                       TB_TYPE_CONTACTS_PAGE),
                              "win.import-contacts", NULL);
  tb_ui_test_settle ();
  run.dialog = find_import_dialog ();
  g_assert_nonnull (run.dialog);
  wait_drawn (GTK_WIDGET (run.dialog));
  g_object_set (run.dialog, "file", file, NULL);
  tb_ui_test_settle ();
  choose_region (run.dialog, "CN");
  run.stack = GTK_STACK (find_widget (GTK_WIDGET (run.dialog), is_import_stack, NULL));
  bar = tb_ui_test_find_by_type (GTK_WIDGET (run.dialog), GTK_TYPE_PROGRESS_BAR);
  g_signal_connect (bar, "notify::fraction", G_CALLBACK (on_first_progress_cancel), &run);
  gtk_widget_activate_action (GTK_WIDGET (run.dialog), "import.start", NULL);
  g_assert_true (tb_ui_test_wait (dialog_result_or_error, &run, 60000));
  tb_ui_test_settle ();
  g_assert_null (tb_import_dialog_get_result (run.dialog));
  g_assert_cmpint (tb_store_count_rows (store, "contacts"), ==, before);
  g_assert_cmpint (tb_store_find_list (store, "客户名单"), ==, 0);
  wait_drawn (GTK_WIDGET (run.dialog));
  png = tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (run.dialog)),
                              "contacts-import-cancelled");
  gtk_window_destroy (GTK_WINDOW (run.dialog));
  tb_ui_test_settle ();
}

/* The DNC view's Import opens the dialog for do-not-call numbers. */
static gboolean
collect_removal (const TbAuditRow *row,
                 gpointer          user_data)
{
  if (g_strcmp0 (row->kind, "dnc.removed") == 0)
    g_ptr_array_add (user_data, g_strdup (row->detail));
  return TRUE;
}

static void
test_dnc_import (TbApplication *app,
                 gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  g_autofree char *dir = g_path_get_dirname (tb_ui_test_get_db_path ());
  g_autofree char *path = g_build_filename (dir, "blocked.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  const TbImportResult *result;
  TbContactsPage *page;
  GtkListBox *sidebar;
  Run run = { 0 };

  g_file_set_contents (path, "phone,reason\n+1 202 555 0101,asked\n(202) 555-0102,lawyer\n"
                       "nope,x\n", -1, &error);
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("contacts"));
  tb_ui_test_settle ();
  page = TB_CONTACTS_PAGE (tb_ui_test_find_by_type (GTK_WIDGET (window),
                                                    TB_TYPE_CONTACTS_PAGE));
  sidebar = GTK_LIST_BOX (tb_ui_test_find_by_type (GTK_WIDGET (page), GTK_TYPE_LIST_BOX));
  gtk_list_box_select_row (sidebar, GTK_LIST_BOX_ROW (gtk_widget_get_last_child
                                                       (GTK_WIDGET (sidebar))));
  tb_ui_test_settle ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tb_contacts_page_get_model (page))),
                    ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (page), "win.import-contacts", NULL);
  g_assert_true (tb_ui_test_wait (dialog_open, NULL, 5000));
  run.dialog = find_import_dialog ();
  wait_drawn (GTK_WIDGET (run.dialog));
  tb_import_dialog_set_file (run.dialog, file);
  tb_ui_test_settle ();
  choose_region (run.dialog, "US");
  g_assert_cmpint (tb_contact_mapping_get_column (tb_import_dialog_get_mapping (run.dialog),
                                                  TB_CONTACT_FIELD_REASON), ==, 1);
  run.stack = GTK_STACK (find_widget (GTK_WIDGET (run.dialog), is_import_stack, NULL));
  gtk_widget_activate_action (GTK_WIDGET (run.dialog), "import.start", NULL);
  g_assert_true (tb_ui_test_wait (import_done, &run, 30000));
  tb_ui_test_settle ();
  result = tb_import_dialog_get_result (run.dialog);
  g_assert_cmpint (result->imported, ==, 2);
  g_assert_cmpint (result->rejected, ==, 1);
  wait_drawn (GTK_WIDGET (run.dialog));
  png = tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (run.dialog)),
                               "contacts-dnc-import-summary");
  gtk_window_destroy (GTK_WINDOW (run.dialog));
  tb_ui_test_settle ();

  /* The DNC view shows the two numbers, normalized, with their reasons. */
  g_assert_cmpint (tb_store_dnc_count (store, NULL), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tb_contacts_page_get_model (page))),
                    ==, 2);
  {
    gpointer args[2] = { tb_ui_test_find_visible_by_type (GTK_WIDGET (page),
                                                          GTK_TYPE_COLUMN_VIEW),
                         (gpointer) "+12025550102" };

    g_assert_true (tb_ui_test_wait (label_mapped, args, 5000));
    args[1] = (gpointer) "lawyer";
    g_assert_true (tb_ui_test_wait (label_mapped, args, 5000));
  }
  g_free (png);
  png = tb_ui_test_screenshot (GTK_WIDGET (window), "contacts-dnc-list");

  /* Taking a number off the list asks why; the reason goes to the audit log. */
  {
    GtkWidget *table = tb_ui_test_find_visible_by_type (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW);
    GtkSingleSelection *selection =
      GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (table)));
    AdwMessageDialog *dialog = NULL;
    GListModel *toplevels;
    GtkWidget *reason;
    g_autofree char *e164 = NULL;

    g_assert_nonnull (tb_ui_test_find_by_name (GTK_WIDGET (page), "contacts-dnc-remove"));
    gtk_single_selection_set_selected (selection, 0);
    tb_ui_test_settle ();
    e164 = g_strdup (tb_contact_get_e164 (gtk_single_selection_get_selected_item (selection)));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "contacts.remove-dnc", NULL));
    tb_ui_test_settle ();
    toplevels = gtk_window_get_toplevels ();
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        dialog = ADW_MESSAGE_DIALOG (w);
    }
    g_assert_nonnull (dialog);
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "remove"));
    reason = tb_ui_test_find_by_name (GTK_WIDGET (dialog), "dnc-remove-reason");
    g_assert_nonnull (reason);
    gtk_editable_set_text (GTK_EDITABLE (reason), "asked us to call back about an order");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "remove"));
    adw_message_dialog_response (dialog, "remove");
    tb_ui_test_settle ();
    g_assert_false (tb_store_dnc_lookup (store, e164, g_get_real_time (), NULL));
    g_assert_cmpint (tb_store_dnc_count (store, NULL), ==, 1);
    {
      g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) audit_error = NULL;

      g_assert_true (tb_store_audit_foreach (store, e164, 0, collect_removal, details,
                                             &audit_error));
      g_assert_cmpuint (details->len, ==, 1);
      g_assert_nonnull (strstr (g_ptr_array_index (details, 0),
                                "asked us to call back about an order"));
    }
  }
}

/* Choosing an encoding and a separator by hand reloads the preview once
 * (it used to reload for ever: the dialog hung). */
static void
test_choose_format (TbApplication *app,
                    gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *path = write_gbk_file (10);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AdwComboRow *encoding, *separator;
  TbImportDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("contacts"));
  tb_ui_test_settle ();
  gtk_widget_activate_action (tb_ui_test_find_by_type (GTK_WIDGET (window),
                                                       TB_TYPE_CONTACTS_PAGE),
                              "win.import-contacts", NULL);
  g_assert_true (tb_ui_test_wait (dialog_open, NULL, 5000));
  dialog = find_import_dialog ();
  tb_import_dialog_set_file (dialog, file);
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_import_dialog_get_encoding (dialog), ==, "gb18030");
  encoding = ADW_COMBO_ROW (find_widget (GTK_WIDGET (dialog), is_row_titled, "Encoding"));
  separator = ADW_COMBO_ROW (find_widget (GTK_WIDGET (dialog), is_row_titled, "Separator"));

  adw_combo_row_set_selected (encoding, 3);   /* GBK */
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_import_dialog_get_encoding (dialog), ==, "gbk");
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_label_with_text, "客户1"));
  adw_combo_row_set_selected (separator, 2);  /* semicolon: one column */
  tb_ui_test_settle ();
  g_assert_cmpuint (tb_contact_mapping_get_n_columns (tb_import_dialog_get_mapping (dialog)), ==,
                    1);
  adw_combo_row_set_selected (separator, 0);
  adw_combo_row_set_selected (encoding, 0);
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_import_dialog_get_encoding (dialog), ==, "gb18030");
  g_assert_cmpuint (tb_contact_mapping_get_n_columns (tb_import_dialog_get_mapping (dialog)), ==,
                    4);
  gtk_window_destroy (GTK_WINDOW (dialog));
  tb_ui_test_settle ();
}

static gboolean
is_encoding_row (GtkWidget     *widget,
                 gconstpointer  encoding)
{
  GVariant *target;

  if (!ADW_IS_ACTION_ROW (widget) ||
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                 "import.use-encoding") != 0)
    return FALSE;
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
  return target != NULL && g_str_equal (g_variant_get_string (target, NULL), encoding);
}

/* Issue 19 §2: the encoding is a guess (a Latin-1 file: could be GB18030 or
 * broken UTF-8): the dialog shows a line as each candidate reads it and the
 * user picks; a stray quote and bad numbers (over 1 %) are counted per reason
 * in the summary, and the good rows are imported. */
static void
test_encoding_guess (TbApplication *app,
                     gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *dir = g_path_get_dirname (tb_ui_test_get_db_path ());
  g_autofree char *path = g_build_filename (dir, "western.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GString) text = g_string_new ("name,phone,company\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  const TbImportResult *result;
  const char *description;
  GtkWidget *row;
  Run run = { 0 };

  for (guint i = 0; i < 50; i++) {
    if (i == 9)
      g_string_append (text, "Stray,\"+1 202 555 0199,Caf\xe9\n");
    if (i % 20 == 5)
      g_string_append (text, "Bad,12ab,Caf\xe9\n");
    g_string_append_printf (text, "Jos\xe9 %u,+1 202 555 %04u,Caf\xe9 M\xfcller\n", i, i);
  }
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);

  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("contacts"));
  tb_ui_test_settle ();
  gtk_widget_activate_action (tb_ui_test_find_by_type (GTK_WIDGET (window),
                                                       TB_TYPE_CONTACTS_PAGE),
                              "win.import-contacts", NULL);
  g_assert_true (tb_ui_test_wait (dialog_open, NULL, 5000));
  run.dialog = find_import_dialog ();
  wait_drawn (GTK_WIDGET (run.dialog));
  tb_import_dialog_set_file (run.dialog, file);
  tb_ui_test_settle ();

  /* Latin-1 guessed, and said to be a guess: one row per candidate. */
  g_assert_cmpstr (tb_import_dialog_get_encoding (run.dialog), ==, "latin-1");
  g_assert_nonnull (find_widget (GTK_WIDGET (run.dialog), is_row_titled,
                                 "José 0,+1 202 555 0000,Café Müller"));
  row = find_widget (GTK_WIDGET (run.dialog), is_encoding_row, "latin-1");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "José 0,+1 202 555 0000,Café Müller");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Latin-1 (Western European)");
  g_assert_nonnull (find_widget (GTK_WIDGET (run.dialog), is_encoding_row, "gb18030"));
  row = find_widget (GTK_WIDGET (run.dialog), is_encoding_row, "utf-8");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                            "\xef\xbf\xbd"));
  g_assert_nonnull (find_widget (GTK_WIDGET (run.dialog), is_label_with_text, "José 0"));
  wait_drawn (GTK_WIDGET (run.dialog));
  png = tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (run.dialog)),
                               "contacts-import-encoding-guess");

  /* Choosing a line chooses its encoding; the preview follows. */
  g_signal_emit_by_name (row, "activate");
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_import_dialog_get_encoding (run.dialog), ==, "utf-8");
  g_assert_null (find_widget (GTK_WIDGET (run.dialog), is_label_with_text, "José 0"));
  g_signal_emit_by_name (find_widget (GTK_WIDGET (run.dialog), is_encoding_row, "latin-1"),
                         "activate");
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_import_dialog_get_encoding (run.dialog), ==, "latin-1");
  g_assert_nonnull (find_widget (GTK_WIDGET (run.dialog), is_label_with_text, "José 0"));

  choose_region (run.dialog, "US");
  run.stack = GTK_STACK (find_widget (GTK_WIDGET (run.dialog), is_import_stack, NULL));
  gtk_widget_activate_action (GTK_WIDGET (run.dialog), "import.start", NULL);
  g_assert_true (tb_ui_test_wait (import_done, &run, 30000));
  tb_ui_test_settle ();
  result = tb_import_dialog_get_result (run.dialog);
  g_assert_cmpint (result->imported, ==, 50);
  g_assert_cmpint (result->rejected, ==, 4);
  g_assert_cmpint (result->reason_lines[TB_IMPORT_REASON_UNCLOSED_QUOTE], ==, 1);
  g_assert_cmpint (result->reason_lines[TB_IMPORT_REASON_PHONE_INVALID], ==, 3);
  row = find_widget (GTK_WIDGET (run.dialog), is_row_titled, "A quote left open (a stray quote)");
  g_assert_nonnull (row);
  g_assert_nonnull (find_widget (row, is_label_with_text, "1 line"));
  row = find_widget (GTK_WIDGET (run.dialog), is_row_titled, "Not a valid phone number");
  g_assert_nonnull (row);
  g_assert_nonnull (find_widget (row, is_label_with_text, "3 lines"));
  description = adw_status_page_get_description (ADW_STATUS_PAGE (
    tb_ui_test_find_visible_by_type (GTK_WIDGET (run.dialog), ADW_TYPE_STATUS_PAGE)));
  g_assert_nonnull (strstr (description, "7.4 % of the lines were rejected"));
  g_free (png);
  wait_drawn (GTK_WIDGET (run.dialog));
  png = tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (run.dialog)),
                               "contacts-import-rejects-summary");
  gtk_window_destroy (GTK_WINDOW (run.dialog));
  tb_ui_test_settle ();
}

/* Three US callees without the consent the US pack asks of an automated voice (R5). */
static gint64
add_us_list (TbStore    *store,
             const char *name)
{
  static const char * const numbers[] = { "+12025550101", "+12025550102", "+12025550103" };
  static const char * const names[] = { "Ann Lee", "Bo Chen", "Cy Diaz" };
  g_autoptr(GError) error = NULL;
  gint64 list_id = tb_store_ensure_list (store, name, "test", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++) {
    TbContactRow row = {
      .e164 = numbers[i], .name = names[i], .country = "US", .persona = "interested",
      .timezone = "America/New_York",
    };

    g_assert_cmpint (tb_store_add_contact (store, list_id, &row, &error), >, 0);
    g_assert_no_error (error);
  }
  return list_id;
}

static AdwMessageDialog *
visible_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

    if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
      found = ADW_MESSAGE_DIALOG (w);
  }
  return found;
}

static void
select_list (TbContactsPage *page,
             const char     *name)
{
  GtkListBox *sidebar = GTK_LIST_BOX (tb_ui_test_find_by_type (GTK_WIDGET (page),
                                                               GTK_TYPE_LIST_BOX));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (sidebar)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (gtk_widget_get_tooltip_text (row), name) == 0) {
      gtk_list_box_select_row (sidebar, GTK_LIST_BOX_ROW (row));
      tb_ui_test_settle ();
      return;
    }
  g_error ("no list “%s” in the sidebar", name);
}

/* The first contact of @list is called once, busy. Returns the attempt's number. */
static char *
call_one (TbStore    *store,
          gint64      campaign,
          const char *list)
{
  g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             tb_contact_record_free);
  TbAttemptResult busy = { .outcome = "busy", .end_reason = "busy", .ended_at = 2000 };
  g_autoptr(GError) error = NULL;
  TbContactRecord *contact;
  gint64 attempt;

  g_assert_true (tb_store_list_contacts (store, tb_store_find_list (store, list), NULL,
                                         TB_CONTACT_SORT_ID, FALSE, 0, 1, got, &error));
  g_assert_cmpuint (got->len, ==, 1);
  contact = g_ptr_array_index (got, 0);
  attempt = tb_store_attempt_begin (store, campaign, contact->id, 0, contact->e164, 1000,
                                    &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_attempt_finish (store, attempt, &busy, 0, &error));
  return g_strdup (contact->e164);
}

static gboolean
count_call (const TbCallRecord  *record,
            gpointer             user_data,
            GError             **error)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s %s", record->e164, record->outcome));
  return TRUE;
}

/* One call in the history, with its number and @outcome, its contact gone. */
static void
assert_call_kept (TbStore    *store,
                  const char *outcome)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  TbCallFilter all = { 0 };

  g_assert_true (tb_store_foreach_call (store, &all, count_call, calls, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (calls, 0), "+1"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (calls, 0), outcome));
}

/* A list can be renamed, and deleted with its contacts — except one a running or paused
 * campaign dials: that is refused, saying why. A list whose contacts were called goes too;
 * their calls stay in the history with their numbers and outcomes. */
static void
test_rename_delete_list (TbApplication *app,
                         gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  gint64 spare = add_us_list (store, "Spare");
  gint64 campaign = tb_store_find_campaign (store, "Demo campaign");
  g_autoptr(GError) error = NULL;
  TbContactsPage *page;
  AdwMessageDialog *dialog;

  tb_application_store_changed (app, "lists");
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("contacts"));
  tb_ui_test_settle ();
  page = TB_CONTACTS_PAGE (tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CONTACTS_PAGE));

  /* The demo list: its running campaign keeps it, and the toast says so. */
  g_assert_true (tb_store_campaign_set_state (store, campaign, "running", NULL, &error));
  select_list (page, "Demo contacts");
  g_assert_true (gtk_widget_get_visible (tb_ui_test_find_by_name (GTK_WIDGET (page),
                                                                  "contacts-list-menu")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "contacts.delete-list", NULL));
  tb_ui_test_settle ();
  dialog = visible_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  tb_ui_test_settle ();
  g_assert_cmpint (tb_store_find_list (store, "Demo contacts"), >, 0);
  g_assert_nonnull (tb_ui_test_find_label_containing (
                      GTK_WIDGET (window), "campaign \"Demo campaign\" is running"));

  /* Renamed: the campaign follows (it names the list by id). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "contacts.rename-list", NULL));
  tb_ui_test_settle ();
  dialog = visible_message_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (tb_ui_test_find_by_name (GTK_WIDGET (dialog),
                                                                "list-new-name")), "Bakeries");
  adw_message_dialog_response (dialog, "rename");
  tb_ui_test_settle ();
  g_assert_cmpint (tb_store_find_list (store, "Demo contacts"), ==, 0);
  g_assert_cmpint (tb_store_find_list (store, "Bakeries"), >, 0);

  /* A list nobody called, no campaign uses: gone, its contacts with it. */
  select_list (page, "Spare");
  g_assert_cmpint (tb_store_count_contacts (store, spare, NULL), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "contacts.delete-list", NULL));
  tb_ui_test_settle ();
  dialog = visible_message_dialog ();
  adw_message_dialog_response (dialog, "delete");
  tb_ui_test_settle ();
  g_assert_cmpint (tb_store_find_list (store, "Spare"), ==, 0);
  g_assert_cmpint (tb_store_count_contacts (store, spare, NULL), ==, 0);

  /* The campaign called someone and finished: the list goes, the call stays. */
  call_one (store, campaign, "Bakeries");
  g_assert_true (tb_store_campaign_set_state (store, campaign, "finished", NULL, &error));
  select_list (page, "Bakeries");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "contacts.delete-list", NULL));
  tb_ui_test_settle ();
  dialog = visible_message_dialog ();
  adw_message_dialog_response (dialog, "delete");
  tb_ui_test_settle ();
  g_assert_cmpint (tb_store_find_list (store, "Bakeries"), ==, 0);
  g_assert_cmpint (tb_store_count_rows (store, "contacts"), ==, 0);
  assert_call_kept (store, "busy");

  /* The campaign keeps its record, and says its list is gone. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("campaigns"));
  tb_ui_test_settle ();
  g_assert_nonnull (tb_ui_test_find_label_containing (GTK_WIDGET (window), "list “deleted”"));
  /* Start would finish at once with nobody called: it stays off, saying why. */
  g_assert_nonnull (tb_ui_test_find_label_containing (GTK_WIDGET (window),
                                                      "Cannot start: its contact list was "
                                                      "deleted"));
  g_assert_false (gtk_widget_get_sensitive (
    tb_ui_test_find_by_name (tb_ui_test_find_by_type (GTK_WIDGET (window),
                                                      TB_TYPE_CAMPAIGNS_PAGE),
                             "campaign-start")));
}

static gboolean
collect_kind (const TbAuditRow *row,
              gpointer          user_data)
{
  g_ptr_array_add (user_data, g_strdup (row->kind));
  return TRUE;
}

/* The audit kinds of @e164, in order, joined by spaces. */
static char *
audit_kinds (TbStore    *store,
             const char *e164)
{
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (tb_store_audit_foreach (store, e164, 0, collect_kind, kinds, &error));
  g_assert_no_error (error);
  g_ptr_array_add (kinds, NULL);
  return g_strjoinv (" ", (char **) kinds->pdata);
}

static gboolean
model_idle_with_n (gpointer data)
{
  gpointer *args = data;

  return !tb_contact_model_get_busy (args[0]) &&
         g_list_model_get_n_items (G_LIST_MODEL (args[0])) == GPOINTER_TO_UINT (args[1]);
}

static void
wait_model_n (TbContactModel *model,
              guint           n)
{
  gpointer args[2] = { model, GUINT_TO_POINTER (n) };

  g_assert_true (tb_ui_test_wait (model_idle_with_n, args, 20000));
  tb_ui_test_settle ();
}

typedef struct {
  TbStore    *store;
  const char *e164;
  gint64      now;
  gboolean    valid;
} ConsentState;

static gboolean
consent_is (gpointer data)
{
  ConsentState *c = data;

  return tb_store_consent_has_valid (c->store, c->e164, "ai_voice", c->now, NULL) == c->valid;
}

static void
select_contact (TbContactsPage *page,
                const char     *e164)
{
  GtkWidget *columns = tb_ui_test_find_visible_by_type (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW);
  GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (columns));
  GListModel *model = G_LIST_MODEL (tb_contacts_page_get_model (page));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(TbContact) contact = g_list_model_get_item (model, i);

    if (g_strcmp0 (tb_contact_get_e164 (contact), e164) == 0) {
      gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (selection), i);
      tb_ui_test_settle ();
      return;
    }
  }
  g_error ("%s is not shown", e164);
}

static TbContactRecord *
load_contact (TbStore *store,
              gint64   id)
{
  g_autoptr(GPtrArray) got = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tb_store_list_contacts_by_ids (store, &id, 1, got, &error));
  g_assert_no_error (error);
  return got->len > 0 ? g_ptr_array_index (got, 0) : NULL;
}

/* Select a contact, Edit: name, phone (normalized as the importer does it; a bad number keeps
 * Save off and says why; another contact's number is refused), company. Delete asks first;
 * the contact's call stays in the history. */
static void
test_edit_delete_contact (TbApplication *app,
                          gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  gint64 list_id = add_us_list (store, "Leads");
  gint64 campaign = tb_store_find_campaign (store, "Demo campaign");
  g_autoptr(TbContactRecord) edited = NULL;
  g_autofree char *called = NULL;
  AdwMessageDialog *dialog;
  TbContactsPage *page;
  GtkWidget *phone, *problem;
  gint64 id;

  tb_application_store_changed (app, "lists");
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("contacts"));
  tb_ui_test_settle ();
  page = TB_CONTACTS_PAGE (tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CONTACTS_PAGE));
  tb_contacts_page_show_list (page, list_id);
  wait_model_n (tb_contacts_page_get_model (page), 3);

  /* The list's menu offers both. */
  {
    GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (
      tb_ui_test_find_by_name (GTK_WIDGET (page), "contacts-list-menu")));
    g_autoptr(GString) actions = g_string_new (NULL);

    for (int i = 0; i < g_menu_model_get_n_items (menu); i++) {
      GMenuModel *section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section && j < g_menu_model_get_n_items (section); j++) {
        g_autofree char *action = NULL;

        g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &action);
        g_string_append_printf (actions, "%s ", action);
      }
      g_clear_object (&section);
    }
    g_assert_nonnull (strstr (actions->str, "contacts.edit-contact contacts.delete-contact"));
  }
  /* Nothing selected: nothing to edit. */
  gtk_widget_activate_action (GTK_WIDGET (page), "contacts.edit-contact", NULL);
  tb_ui_test_settle ();
  g_assert_null (visible_message_dialog ());
  select_contact (page, "+12025550101");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "contacts.edit-contact", NULL));
  tb_ui_test_settle ();
  dialog = visible_message_dialog ();
  g_assert_nonnull (dialog);
  phone = tb_ui_test_find_by_name (GTK_WIDGET (dialog), "contact-phone");
  problem = tb_ui_test_find_by_name (GTK_WIDGET (dialog), "contact-phone-error");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (phone)), ==, "+12025550101");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tb_ui_test_find_by_name (
                     GTK_WIDGET (dialog), "contact-name"))), ==, "Ann Lee");

  /* A bad number: Save is off, and the dialog says why. */
  gtk_editable_set_text (GTK_EDITABLE (phone), "12ab");
  tb_ui_test_settle ();
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (problem)),
                                   "Cannot save: phone “12ab” is not a number"));
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "contacts-edit-bad-number"));

  /* A national number in the contact's country: stored in E.164. */
  gtk_editable_set_text (GTK_EDITABLE (phone), "(202) 555-0199");
  gtk_editable_set_text (GTK_EDITABLE (tb_ui_test_find_by_name (GTK_WIDGET (dialog),
                                                                "contact-name")), "Ann Park");
  gtk_editable_set_text (GTK_EDITABLE (tb_ui_test_find_by_name (GTK_WIDGET (dialog),
                                                                "contact-company")), "Acme");
  tb_ui_test_settle ();
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  adw_message_dialog_response (dialog, "save");
  tb_ui_test_settle ();
  {
    g_autoptr(GArray) ids = tb_store_list_contact_ids (store, list_id, "Ann Park",
                                                       TB_CONTACT_SORT_ID, FALSE, NULL);

    g_assert_cmpuint (ids->len, ==, 1);
    id = g_array_index (ids, gint64, 0);
  }
  edited = load_contact (store, id);
  g_assert_cmpstr (edited->e164, ==, "+12025550199");
  g_assert_cmpstr (edited->raw_phone, ==, "(202) 555-0199");
  g_assert_cmpstr (edited->company, ==, "Acme");
  g_assert_cmpstr (edited->country, ==, "US");
  g_assert_cmpstr (edited->timezone, ==, "America/New_York");
  wait_model_n (tb_contacts_page_get_model (page), 3);
  g_assert_true (tb_ui_test_wait (label_mapped, (gpointer[]) {
                   tb_ui_test_find_visible_by_type (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW),
                   (gpointer) "Ann Park" }, 5000));

  /* Another contact's number: refused, with a toast that says so. */
  select_contact (page, "+12025550199");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "contacts.edit-contact", NULL));
  tb_ui_test_settle ();
  dialog = visible_message_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (tb_ui_test_find_by_name (GTK_WIDGET (dialog),
                                                                "contact-phone")),
                         "+1 202 555 0102");
  adw_message_dialog_response (dialog, "save");
  tb_ui_test_settle ();
  g_assert_nonnull (tb_ui_test_find_label_containing (GTK_WIDGET (window),
                                                      "+12025550102 is already in this list"));
  g_clear_pointer (&edited, tb_contact_record_free);
  edited = load_contact (store, id);
  g_assert_cmpstr (edited->e164, ==, "+12025550199");

  /* Delete, after a call: asked first, the contact goes, its call stays. */
  called = call_one (store, campaign, "Leads");
  g_assert_cmpstr (called, ==, "+12025550199");
  select_contact (page, "+12025550199");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "contacts.delete-contact",
                                             NULL));
  tb_ui_test_settle ();
  dialog = visible_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpint (tb_store_count_contacts (store, list_id, NULL), ==, 3);
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), "contacts-delete-contact"));
  adw_message_dialog_response (dialog, "delete");
  tb_ui_test_settle ();
  g_assert_cmpint (tb_store_count_contacts (store, list_id, NULL), ==, 2);
  g_assert_null (load_contact (store, id));
  assert_call_kept (store, "busy");
  wait_model_n (tb_contacts_page_get_model (page), 2);
}

static gboolean
label_shown (gpointer data)
{
  gpointer *args = data;

  return tb_ui_test_find_label (GTK_WIDGET (args[0]), args[1]) != NULL;
}

/* The DNC view's Export writes the list as CSV — number, source, reason, added, expires: the
 * CSV of `telebot-cli dnc export` — into a file its owner alone can read. */
static void
test_dnc_export (TbApplication *app,
                 gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  g_autofree char *dir = g_path_get_dirname (tb_ui_test_get_db_path ());
  g_autofree char *path = g_build_filename (dir, "do-not-call.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  /* 2026-03-01T08:00:00Z and 2026-03-02T09:30:00Z */
  gint64 first = G_GINT64_CONSTANT (1772352000) * G_USEC_PER_SEC;
  gint64 second = G_GINT64_CONSTANT (1772443800) * G_USEC_PER_SEC;
  TbContactsPage *page;
  GtkListBox *sidebar;
  GStatBuf st;

  g_assert_true (tb_dnc_add (store, "+12025550101", "manual", "asked, twice", first, &error));
  g_assert_true (tb_dnc_add (store, "+8613800138000", "speech", "=HYPERLINK(\"x\")", second,
                             &error));
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("contacts"));
  tb_ui_test_settle ();
  page = TB_CONTACTS_PAGE (tb_ui_test_find_by_type (GTK_WIDGET (window),
                                                    TB_TYPE_CONTACTS_PAGE));
  sidebar = GTK_LIST_BOX (tb_ui_test_find_by_type (GTK_WIDGET (page), GTK_TYPE_LIST_BOX));
  gtk_list_box_select_row (sidebar, GTK_LIST_BOX_ROW (gtk_widget_get_last_child
                                                       (GTK_WIDGET (sidebar))));
  wait_model_n (tb_contacts_page_get_model (page), 2);
  /* The view's Export button can be pressed; it asks for the file this test gives. */
  g_assert_true (gtk_widget_get_mapped (tb_ui_test_find_by_name (GTK_WIDGET (page),
                                                                 "contacts-export")));
  g_assert_true (gtk_widget_is_sensitive (tb_ui_test_find_by_name (GTK_WIDGET (page),
                                                                   "contacts-export")));

  tb_contacts_page_export_dnc (page, file);
  {
    gpointer args[2] = { window, (gpointer) "Exported 2 blocked numbers" };

    g_assert_true (tb_ui_test_wait (label_shown, args, 10000));
  }
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "number,source,reason,added,expires");
  g_assert_cmpstr (lines[1], ==, "+12025550101,manual,\"asked, twice\",2026-03-01T08:00:00Z,");
  /* A spreadsheet would run it: written as text. */
  g_assert_cmpstr (lines[2], ==,
                   "+8613800138000,speech,\"'=HYPERLINK(\"\"x\"\")\",2026-03-02T09:30:00Z,");
  g_assert_cmpstr (lines[3], ==, "");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The engine the command line uses writes the same bytes. */
  g_assert_cmpint (tb_dnc_export (store, memory, NULL, &error), ==, 2);
  g_assert_true (g_output_stream_close (memory, NULL, &error));
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)),
                   text, strlen (text));
  g_free (tb_ui_test_screenshot (GTK_WIDGET (window), "contacts-dnc-export"));
}

static gboolean
is_undo_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)),
                                              "_Undo") == 0;
}

static gboolean
undo_shown (gpointer data)
{
  return find_widget (GTK_WIDGET (data), is_undo_button, NULL) != NULL;
}

/* Imports @csv as FILE.csv (its list: FILE) through the dialog; returns the import's result. */
static gint64
import_through_dialog (TbContactsPage *page,
                       const char     *name,
                       const char     *csv)
{
  g_autofree char *dir = g_path_get_dirname (tb_ui_test_get_db_path ());
  g_autofree char *base = g_strconcat (name, ".csv", NULL);
  g_autofree char *path = g_build_filename (dir, base, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  const TbImportResult *result;
  gint64 imported;
  Run run = { 0 };

  g_file_set_contents (path, csv, -1, &error);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "win.import-contacts", NULL));
  g_assert_true (tb_ui_test_wait (dialog_open, NULL, 5000));
  run.dialog = find_import_dialog ();
  wait_drawn (GTK_WIDGET (run.dialog));
  tb_import_dialog_set_file (run.dialog, file);
  tb_ui_test_settle ();
  choose_region (run.dialog, "US");
  run.stack = GTK_STACK (find_widget (GTK_WIDGET (run.dialog), is_import_stack, NULL));
  gtk_widget_activate_action (GTK_WIDGET (run.dialog), "import.start", NULL);
  g_assert_true (tb_ui_test_wait (import_done, &run, 30000));
  tb_ui_test_settle ();
  result = tb_import_dialog_get_result (run.dialog);
  g_assert_cmpstr (result->list_name, ==, name);
  imported = result->imported;
  gtk_window_destroy (GTK_WINDOW (run.dialog));
  tb_ui_test_settle ();
  return imported;
}

static gboolean
list_gone (gpointer data)
{
  gpointer *args = data;

  return tb_store_find_list (args[0], args[1]) == 0;
}

/* After an import the toast offers Undo: an import that made its list takes the list back;
 * one into an existing list removes exactly the contacts it added, except those already
 * called, which stay, and the toast says so. */
static void
test_undo_import (TbApplication *app,
                  gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  gint64 leads = add_us_list (store, "Leads");
  gint64 campaign = tb_store_find_campaign (store, "Demo campaign");
  gint64 imports = tb_store_count_rows (store, "imports");
  g_autoptr(GError) error = NULL;
  TbContactsPage *page;
  GtkWidget *undo;

  tb_application_store_changed (app, "lists");
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("contacts"));
  tb_ui_test_settle ();
  page = TB_CONTACTS_PAGE (tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CONTACTS_PAGE));

  /* A new list: Undo deletes it. */
  g_assert_cmpint (import_through_dialog (page, "Prospects",
                                          "phone,name\n202-555-0111,Di\n202-555-0112,Ed\n"), ==, 2);
  g_assert_cmpint (tb_store_find_list (store, "Prospects"), >, 0);
  g_assert_true (tb_ui_test_wait (undo_shown, window, 5000));
  g_assert_nonnull (tb_ui_test_find_label (GTK_WIDGET (window),
                                           "2 contacts imported into “Prospects”"));
  g_free (tb_ui_test_screenshot (GTK_WIDGET (window), "contacts-import-undo-toast"));
  undo = find_widget (GTK_WIDGET (window), is_undo_button, NULL);
  g_assert_true (gtk_widget_activate (undo));
  {
    gpointer args[2] = { store, (gpointer) "Prospects" };

    g_assert_true (tb_ui_test_wait (list_gone, args, 5000));
  }
  /* Forgotten, as the demo's own import is not. */
  g_assert_cmpint (tb_store_count_rows (store, "imports"), ==, imports);

  /* An existing list: exactly what the import added goes (a number it had already is not
   * the import's), except a contact already called. */
  g_assert_cmpint (import_through_dialog (page, "Leads",
                                          "phone\n202-555-0121\n202-555-0122\n"
                                          "202-555-0101\n"), ==, 2);
  g_assert_cmpint (tb_store_count_contacts (store, leads, NULL), ==, 5);
  {
    g_autoptr(GArray) ids = tb_store_list_contact_ids (store, leads, "0121", TB_CONTACT_SORT_ID,
                                                       FALSE, &error);
    TbAttemptResult busy = { .outcome = "busy", .end_reason = "busy", .ended_at = 2000 };
    gint64 attempt;

    g_assert_cmpuint (ids->len, ==, 1);
    attempt = tb_store_attempt_begin (store, campaign, g_array_index (ids, gint64, 0), 0,
                                      "+12025550121", 1000, &error);
    g_assert_true (tb_store_attempt_finish (store, attempt, &busy, 0, &error));
    g_assert_no_error (error);
  }
  g_assert_true (tb_ui_test_wait (undo_shown, window, 5000));
  undo = find_widget (GTK_WIDGET (window), is_undo_button, NULL);
  g_assert_true (gtk_widget_activate (undo));
  {
    gpointer args[2] = { window, (gpointer) "Import undone, except 1 contact already called: "
                                            "it stays in the list" };

    g_assert_true (tb_ui_test_wait (label_shown, args, 5000));
  }
  g_assert_cmpint (tb_store_count_contacts (store, leads, NULL), ==, 4);
  g_assert_cmpint (tb_store_count_contacts (store, leads, "0122"), ==, 0);
  g_assert_cmpint (tb_store_count_contacts (store, leads, "0121"), ==, 1);
  g_assert_cmpint (tb_store_count_contacts (store, leads, "0101"), ==, 1);
  g_free (tb_ui_test_screenshot (GTK_WIDGET (window), "contacts-import-undone"));
}

/* Issue 16: every new US contact needs consent before an automated call, and the window can
 * record it: import a consent file (the columns of `telebot-cli consent import`, national
 * numbers in the chosen region, a bad row to the rejects file), see who still needs it, add
 * and revoke one person's consent; every change audited. */
static void
test_consent (TbApplication *app,
              gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  g_autofree char *dir = g_path_get_dirname (tb_ui_test_get_db_path ());
  g_autofree char *path = g_build_filename (dir, "consent.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *rejects = NULL;
  g_autofree char *kinds = NULL;
  gint64 now = tb_application_get_now (app), audit_rows = 0, bad = 0;
  gint64 list_id = add_us_list (store, "Leads");
  const TbImportResult *result;
  TbContactsPage *page;
  TbContactModel *model;
  GtkWidget *toggle, *panel, *row;
  Run run = { 0 };

  g_file_set_contents (path,
                       "number,scope,source,evidence,collected_at,collected_by,expires_at\n"
                       "(202) 555-0101,ai_voice,form,https://example.com/f?id=1,2026-01-05,web,\n"
                       "202.555.0102,ai_voice,verbal,call 42,2026-01-06T10:00:00Z,agent,\n"
                       "+1 202 555 0103,robocall,form,x,2026-01-06,web,\n", -1, &error);
  g_assert_no_error (error);
  tb_application_store_changed (app, "lists");
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("contacts"));
  tb_ui_test_settle ();
  page = TB_CONTACTS_PAGE (tb_ui_test_find_by_type (GTK_WIDGET (window),
                                                    TB_TYPE_CONTACTS_PAGE));
  tb_contacts_page_show_list (page, list_id);
  tb_ui_test_settle ();
  model = tb_contacts_page_get_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);

  /* Needs Consent: the gate blocks all three for R5. */
  toggle = tb_ui_test_find_by_name (GTK_WIDGET (page), "contacts-needs-consent");
  g_assert_true (gtk_widget_get_mapped (toggle));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  wait_model_n (model, 3);
  g_assert_nonnull (tb_ui_test_find_label (GTK_WIDGET (page), "3 contacts need consent"));
  g_free (tb_ui_test_screenshot (GTK_WIDGET (window), "contacts-needs-consent"));

  /* Import Consent…: the dialog previews the file with its columns named. */
  g_assert_true (gtk_widget_activate (tb_ui_test_find_by_name (GTK_WIDGET (page),
                                                               "contacts-import-consent")));
  g_assert_true (tb_ui_test_wait (dialog_open, NULL, 5000));
  run.dialog = find_import_dialog ();
  g_assert_true (tb_import_dialog_get_consent (run.dialog));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (run.dialog)), ==, "Import Consent");
  wait_drawn (GTK_WIDGET (run.dialog));
  tb_import_dialog_set_file (run.dialog, file);
  tb_ui_test_settle ();
  choose_region (run.dialog, "US");
  g_assert_nonnull (find_widget (GTK_WIDGET (run.dialog), is_label_with_text,
                                 "number → Number"));
  g_assert_nonnull (find_widget (GTK_WIDGET (run.dialog), is_label_with_text,
                                 "https://example.com/f?id=1"));
  row = find_widget (GTK_WIDGET (run.dialog), is_row_titled, "Scope");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Column “scope”");
  row = find_widget (GTK_WIDGET (run.dialog), is_row_titled, "Seller");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Not in the file");
  g_assert_true (gtk_widget_is_sensitive (find_widget (GTK_WIDGET (run.dialog), is_action_button,
                                                       "import.start")));
  wait_drawn (GTK_WIDGET (run.dialog));
  g_free (tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (run.dialog)),
                                 "contacts-consent-import-preview"));

  /* Two records in, the bad row in the rejects file with its line and reason. */
  run.stack = GTK_STACK (find_widget (GTK_WIDGET (run.dialog), is_import_stack, NULL));
  gtk_widget_activate_action (GTK_WIDGET (run.dialog), "import.start", NULL);
  g_assert_true (tb_ui_test_wait (import_done, &run, 30000));
  tb_ui_test_settle ();
  result = tb_import_dialog_get_result (run.dialog);
  g_assert_cmpint (result->rows, ==, 3);
  g_assert_cmpint (result->imported, ==, 2);
  g_assert_cmpint (result->rejected, ==, 1);
  g_assert_cmpint (result->reason_lines[TB_IMPORT_REASON_CONSENT_SCOPE], ==, 1);
  g_assert_nonnull (result->rejects_path);
  g_assert_true (g_file_get_contents (result->rejects_path, &rejects, NULL, NULL));
  g_assert_true (g_str_has_prefix (rejects, "line,reason,number,scope,source,evidence,"));
  g_assert_nonnull (strstr (rejects, "\r\n4,\"scope \"\"robocall\"\" is not marketing, ai_voice "
                                     "or recording\",+1 202 555 0103,robocall,form,x,"));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (
                      tb_ui_test_find_visible_by_type (GTK_WIDGET (run.dialog),
                                                       ADW_TYPE_STATUS_PAGE))),
                            "2 consent records imported, 1 rejected, of 3 rows."));
  row = find_widget (GTK_WIDGET (run.dialog), is_row_titled,
                     "Not a consent scope (marketing, ai_voice, recording)");
  g_assert_nonnull (row);
  g_assert_nonnull (find_widget (row, is_label_with_text, "1 line"));
  g_assert_nonnull (find_widget (GTK_WIDGET (run.dialog), is_action_button,
                                 "import.open-rejects"));
  wait_drawn (GTK_WIDGET (run.dialog));
  g_free (tb_ui_test_screenshot (adw_window_get_content (ADW_WINDOW (run.dialog)),
                                 "contacts-consent-import-summary"));
  gtk_window_destroy (GTK_WINDOW (run.dialog));
  tb_ui_test_settle ();

  /* National numbers were read in the region chosen, as `consent import --region` reads them;
   * each record has its audit row. */
  g_assert_cmpint (tb_store_count_rows (store, "consent"), ==, 2);
  g_assert_true (tb_store_consent_has_valid (store, "+12025550101", "ai_voice", now, NULL));
  g_assert_true (tb_store_consent_has_valid (store, "+12025550102", "ai_voice", now, NULL));
  kinds = audit_kinds (store, "+12025550101");
  g_assert_cmpstr (kinds, ==, "consent.added");

  /* The filter follows: one left. */
  wait_model_n (model, 1);
  g_assert_nonnull (tb_ui_test_find_label (GTK_WIDGET (page), "1 contact needs consent"));

  /* Add: the one left, by hand, with its evidence. */
  select_contact (page, "+12025550103");
  panel = tb_ui_test_find_by_name (GTK_WIDGET (page), "contacts-consent-panel");
  g_assert_true (gtk_widget_get_mapped (panel));
  g_assert_cmpstr (tb_consent_panel_get_e164 (TB_CONSENT_PANEL (panel)), ==, "+12025550103");
  g_assert_nonnull (tb_ui_test_find_by_name (panel, "consent-none"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tb_ui_test_find_by_name (
                     panel, "consent-date"))), ==, "2026-12-01");
  /* No evidence, no consent. */
  g_assert_false (gtk_widget_is_sensitive (tb_ui_test_find_by_name (panel, "consent-add")));
  gtk_editable_set_text (GTK_EDITABLE (tb_ui_test_find_by_name (panel, "consent-evidence")),
                         "signed form #7");
  tb_ui_test_settle ();
  g_free (tb_ui_test_screenshot (GTK_WIDGET (window), "contacts-consent-panel"));
  g_assert_true (gtk_widget_is_sensitive (tb_ui_test_find_by_name (panel, "consent-add")));
  g_assert_true (gtk_widget_activate (tb_ui_test_find_by_name (panel, "consent-add")));
  {
    /* A button's activation lands after its press animation. */
    ConsentState c = { store, "+12025550103", now, TRUE };

    g_assert_true (tb_ui_test_wait (consent_is, &c, 5000));
  }
  g_free (kinds);
  kinds = audit_kinds (store, "+12025550103");
  g_assert_cmpstr (kinds, ==, "consent.added");
  wait_model_n (model, 0);
  g_assert_nonnull (tb_ui_test_find_label (GTK_WIDGET (page), "0 contacts need consent"));
  g_assert_nonnull (tb_ui_test_find_label (GTK_WIDGET (page), "Nobody Needs Consent"));

  /* Revoke: the whole list again, the record shown, revoked, audited. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  wait_model_n (model, 3);
  select_contact (page, "+12025550103");
  g_assert_true (gtk_widget_get_mapped (panel));
  g_assert_nonnull (tb_ui_test_find_label_containing (panel, "signed form #7"));
  g_assert_true (gtk_widget_activate (tb_ui_test_find_by_name (panel,
                                                               "consent-revoke-ai_voice")));
  {
    ConsentState c = { store, "+12025550103", tb_application_get_now (app) + G_USEC_PER_SEC,
                       FALSE };

    g_assert_true (tb_ui_test_wait (consent_is, &c, 5000));
  }
  tb_ui_test_settle ();
  g_free (kinds);
  kinds = audit_kinds (store, "+12025550103");
  g_assert_cmpstr (kinds, ==, "consent.added consent.revoked");
  g_assert_null (tb_ui_test_find_by_name (panel, "consent-revoke-ai_voice"));
  g_assert_nonnull (tb_ui_test_find_label_containing (panel, "revoked on 2026-12-01"));
  g_assert_true (tb_audit_verify (store, &audit_rows, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_rows, ==, 4);
  g_free (tb_ui_test_screenshot (GTK_WIDGET (window), "contacts-consent-revoked"));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  wait_model_n (model, 1);
  g_assert_nonnull (tb_ui_test_find_label (GTK_WIDGET (page), "1 contact needs consent"));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  tb_ui_test_add ("/telebot/ui/contacts/import", FALSE, test_import, NULL);
  tb_ui_test_add ("/telebot/ui/contacts/cancel", TRUE, test_cancel, NULL);
  tb_ui_test_add ("/telebot/ui/contacts/dnc-import", TRUE, test_dnc_import, NULL);
  tb_ui_test_add ("/telebot/ui/contacts/choose-format", FALSE, test_choose_format, NULL);
  tb_ui_test_add ("/telebot/ui/contacts/encoding-guess", FALSE, test_encoding_guess, NULL);
  tb_ui_test_add ("/telebot/ui/contacts/consent", FALSE, test_consent, NULL);
  tb_ui_test_add ("/telebot/ui/contacts/rename-delete-list", TRUE, test_rename_delete_list,
                  NULL);
  tb_ui_test_add ("/telebot/ui/contacts/dnc-export", TRUE, test_dnc_export, NULL);
  tb_ui_test_add ("/telebot/ui/contacts/undo-import", TRUE, test_undo_import, NULL);
  tb_ui_test_add ("/telebot/ui/contacts/edit-delete-contact", TRUE, test_edit_delete_contact,
                  NULL);

  return g_test_run ();
}
