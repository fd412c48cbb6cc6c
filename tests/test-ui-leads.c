/* test-ui-leads.c — the Leads page lists graded calls, filters them, shows
 * a call's transcript and reasons, plays its recording, keeps follow-up and
 * exports the leads it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tb-announcement-library.h"
#include "tb-application.h"
#include "tb-calls-export.h"
#include "tb-lead.h"
#include "tb-leads-page.h"
#include "tb-store-attempts.h"
#include "tb-store-config.h"
#include "tb-store-leads.h"
#include "tb-test-csv.h"
#include "tb-ui-test-util.h"
#include "tb-waveform.h"

static char *recording;

static void
add_call (TbStore    *store,
          gint64      campaign_id,
          gint64      contact_id,
          const char *e164,
          const char *grade,
          int         score,
          const char *reasons)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 id = tb_store_attempt_begin (store, campaign_id, contact_id, 0, e164, now, &error);
  TbAttemptResult result = { .outcome = "completed", .end_reason = "completed",
                             .grade = grade, .score = score, .reasons_json = reasons,
                             .recording = recording, .ended_at = now + 20 * G_USEC_PER_SEC };

  g_assert_no_error (error);
  g_assert_true (tb_store_attempt_set_state (store, id, "answered", now + G_USEC_PER_SEC, &error));
  g_assert_true (tb_store_attempt_add_turn (store, id, 1, "bot", "intro",
                                            "Hello, this is an automated call.", NULL, 0,
                                            now + G_USEC_PER_SEC, now + 3 * G_USEC_PER_SEC,
                                            &error));
  g_assert_true (tb_store_attempt_add_turn (store, id, 2, "callee", "pitch", "yes tell me more",
                                            "yes", 0.92, now + 4 * G_USEC_PER_SEC,
                                            now + 5 * G_USEC_PER_SEC, &error));
  g_assert_true (tb_store_attempt_finish (store, id, &result, 0, &error));
  g_assert_no_error (error);
}

static gboolean
waveform_moved (gpointer data)
{
  return tb_waveform_get_fraction (TB_WAVEFORM (data)) > 0.0;
}

typedef struct {
  const char *data_dir;
} AnnouncementWait;

static gboolean
announcement_added (gpointer data)
{
  AnnouncementWait *w = data;
  g_autoptr(GPtrArray) entries = tb_announcement_library_list (w->data_dir, NULL);

  for (guint i = 0; entries != NULL && i < entries->len; i++) {
    TbAnnouncementEntry *e = g_ptr_array_index (entries, i);

    if (e->user && g_strcmp0 (e->outcome, "vacant") == 0 && e->file != NULL &&
        g_file_test (e->file, G_FILE_TEST_EXISTS))
      return TRUE;
  }
  return FALSE;
}

static void
test_leads (TbApplication *app,
            gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gint64 campaign_id = tb_store_find_campaign (store, "Demo campaign");
  g_autoptr(GPtrArray) leads = NULL;
  GtkWidget *page, *list_view, *waveform, *transcript_label;
  GListModel *model;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (campaign_id, >, 0);
  add_call (store, campaign_id, 1, "+12025550101", "A", 88,
            "[\"said 'yes, tell me more' at node pitch: +30\"]");
  add_call (store, campaign_id, 2, "+12025550102", "D", 20, "[\"said 'no thanks' at node pitch\"]");
  add_call (store, campaign_id, 12, "+12025550112", "B", 70, "[\"asked to hear more\"]");
  tb_application_store_changed (app, "attempts");

  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("leads"));
  tb_ui_test_settle ();

  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_LEADS_PAGE);
  list_view = tb_ui_test_find_by_name (page, "leads-list");
  g_assert_nonnull (list_view);
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* The first (newest) call is shown: its transcript and reasons are on screen. */
  transcript_label = tb_ui_test_find_by_name (page, "transcript");
  g_assert_nonnull (transcript_label);
  g_assert_true (gtk_widget_get_mapped (transcript_label));
  g_assert_nonnull (tb_ui_test_find_label (transcript_label, "yes tell me more"));
  g_assert_nonnull (tb_ui_test_find_label (page, "asked to hear more"));  /* newest first */
  /* The time as the callee lived it (New York, UTC−5 in December), beside the desk's. */
  g_assert_nonnull (tb_ui_test_find_label_containing (page, "UTC−5"));
  tb_ui_test_screenshot (GTK_WIDGET (window), "leads-detail");

  /* Play the recording: the playhead moves through the waveform. */
  waveform = tb_ui_test_find_visible_by_type (page, TB_TYPE_WAVEFORM);
  g_assert_nonnull (waveform);
  g_assert_true (gtk_widget_activate_action (page, "leads.play", NULL));
  g_assert_true (tb_ui_test_wait (waveform_moved, waveform, 5000));
  g_assert_true (gtk_widget_activate_action (page, "leads.play", NULL));

  /* "It was the carrier": the recording's callee side joins the business's announcement
   * library as a vacant-number announcement. */
  {
    g_autofree char *data_dir = g_path_get_dirname (tb_ui_test_get_db_path ());
    AnnouncementWait w = { data_dir };

    g_assert_nonnull (tb_ui_test_find_by_name (page, "leads-announcement"));
    g_assert_true (gtk_widget_activate_action (page, "leads.announcement", "s", "vacant"));
    g_assert_true (tb_ui_test_wait (announcement_added, &w, 10000));
  }

  /* Follow-up is saved to the store. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (tb_ui_test_find_visible_by_type (page,
                                                                             ADW_TYPE_COMBO_ROW)),
                              2);
  leads = tb_store_list_leads (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((TbLeadRow *) g_ptr_array_index (leads, 0))->follow_up, ==, "won");
}

static gboolean
n_items_is_1 (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 1;
}

static gboolean
n_items_is_3 (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 3;
}

static gboolean
only_a_and_b (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 2;
}

static void
test_filters (TbApplication *app,
              gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gint64 campaign_id = tb_store_find_campaign (store, "Demo campaign");
  GtkWidget *page, *list_view, *filters, *button;

  add_call (store, campaign_id, 1, "+12025550101", "A", 88, NULL);
  add_call (store, campaign_id, 2, "+12025550102", "D", 20, NULL);
  add_call (store, campaign_id, 12, "+12025550112", "B", 70, NULL);
  tb_application_store_changed (app, "attempts");
  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("leads"));
  tb_ui_test_settle ();

  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_LEADS_PAGE);
  list_view = tb_ui_test_find_by_name (page, "leads-list");
  filters = tb_ui_test_find_by_name (page, "grade-filters");
  g_assert_true (GTK_IS_BOX (filters));
  /* Nothing ticked: every grade. */
  button = gtk_widget_get_first_child (filters);
  for (guint i = 0; i < 5; i++, button = gtk_widget_get_next_sibling (button))
    g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_true (tb_ui_test_wait (n_items_is_3,
                                  gtk_list_view_get_model (GTK_LIST_VIEW (list_view)), 2000));
  /* Tick A: only the A lead; tick B too: A and B. */
  button = gtk_widget_get_first_child (filters);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  g_assert_true (gtk_widget_has_css_class (button, "grade-filter-on") ||
                 (gtk_widget_get_state_flags (button) & GTK_STATE_FLAG_CHECKED));
  g_assert_true (tb_ui_test_wait (n_items_is_1,
                                  gtk_list_view_get_model (GTK_LIST_VIEW (list_view)), 2000));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_widget_get_next_sibling (button)), TRUE);
  g_assert_true (tb_ui_test_wait (only_a_and_b,
                                  gtk_list_view_get_model (GTK_LIST_VIEW (list_view)), 2000));
  /* Untick both: every grade again. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_widget_get_next_sibling (button)), FALSE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), FALSE);
  g_assert_true (tb_ui_test_wait (n_items_is_3,
                                  gtk_list_view_get_model (GTK_LIST_VIEW (list_view)), 2000));
}

static const char *
stored_notes (TbStore *store,
              gint64   attempt_id)
{
  static char *notes;
  g_autoptr(GPtrArray) leads = tb_store_list_leads (store, NULL, NULL);

  g_clear_pointer (&notes, g_free);
  for (guint i = 0; leads != NULL && i < leads->len; i++) {
    TbLeadRow *row = g_ptr_array_index (leads, i);

    if (row->attempt_id == attempt_id)
      notes = g_strdup (row->notes);
  }
  return notes;
}

/* A note being typed while a campaign runs (and reloads the list) is never reset; leaving
 * the row or the lead saves it, and the row says so. */
static void
test_notes (TbApplication *app,
            gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gint64 campaign_id = tb_store_find_campaign (store, "Demo campaign");
  GtkWidget *page, *list_view, *notes;
  GtkSingleSelection *selection;
  gint64 first, second;

  add_call (store, campaign_id, 1, "+12025550101", "A", 88, NULL);
  add_call (store, campaign_id, 2, "+12025550102", "B", 70, NULL);
  tb_application_store_changed (app, "attempts");
  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("leads"));
  tb_ui_test_settle ();

  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_LEADS_PAGE);
  list_view = tb_ui_test_find_by_name (page, "leads-list");
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  gtk_single_selection_set_selected (selection, 0);
  tb_ui_test_settle ();
  first = tb_lead_get_row (gtk_single_selection_get_selected_item (selection))->attempt_id;
  notes = tb_ui_test_find_visible_by_type (page, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (notes);

  gtk_widget_grab_focus (notes);
  gtk_editable_set_text (GTK_EDITABLE (notes), "call back Tuesday about the");
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (notes)),
                            "not saved"));
  /* A call finishes meanwhile: the list reloads, the same lead stays, the text too. */
  add_call (store, campaign_id, 3, "+12025550103", "C", 50, NULL);
  tb_application_store_changed (app, "attempts");
  tb_ui_test_settle ();
  g_assert_cmpint (tb_lead_get_row (gtk_single_selection_get_selected_item (selection))->attempt_id,
                   ==, first);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (notes)), ==,
                   "call back Tuesday about the");
  g_assert_null (stored_notes (store, first));

  /* Focus moves away: the note is saved, and the row says so. */
  gtk_editable_set_text (GTK_EDITABLE (notes), "call back Tuesday about the van");
  gtk_widget_grab_focus (list_view);
  tb_ui_test_settle ();
  g_assert_cmpstr (stored_notes (store, first), ==, "call back Tuesday about the van");
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (notes)),
                            "saved"));

  /* Typing and going straight to another lead saves the first lead's note, not the other's. */
  gtk_editable_set_text (GTK_EDITABLE (notes), "van: 2 seats");
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (selection)); i++) {
    g_autoptr(TbLead) lead = g_list_model_get_item (G_LIST_MODEL (selection), i);

    if (tb_lead_get_row (lead)->attempt_id != first) {
      gtk_single_selection_set_selected (selection, i);
      break;
    }
  }
  tb_ui_test_settle ();
  second = tb_lead_get_row (gtk_single_selection_get_selected_item (selection))->attempt_id;
  g_assert_cmpint (second, !=, first);
  g_assert_cmpstr (stored_notes (store, first), ==, "van: 2 seats");
  g_assert_null (stored_notes (store, second));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (notes)), ==, "");
}

typedef struct {
  gboolean  done;
  gboolean  ok;
  guint64   rows;
  GError   *error;
} ExportWait;

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ExportWait *w = user_data;

  w->ok = tb_leads_page_export_to_file_finish (TB_LEADS_PAGE (source), result, &w->rows,
                                               &w->error);
  w->done = TRUE;
}

static gboolean
export_finished (gpointer data)
{
  return ((ExportWait *) data)->done;
}

static gboolean
model_has_two (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 2;
}

static gboolean
model_has_three (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 3;
}

static GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

    if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
      return GTK_WIDGET (window);
  }
  return NULL;
}

static gboolean
file_chooser_shown (gpointer data)
{
  return find_file_chooser () != NULL;
}

static gboolean
file_chooser_gone (gpointer data)
{
  return find_file_chooser () == NULL;
}

static void
test_export (TbApplication *app,
             gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gint64 campaign_id = tb_store_find_campaign (store, "Demo campaign");
  g_autoptr(TbCampaignRow) demo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("telebot-leads-export-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "leads.csv", NULL);
  g_autofree char *json_path = g_build_filename (dir, "leads.json", NULL);
  g_autofree char *dialog_path = g_build_filename (dir, "from-the-dialog.csv", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char * const *columns = tb_calls_export_get_columns ();
  GtkWidget *page, *list_view, *filters, *button, *campaign_filter, *export_button, *chooser;
  GListModel *model, *campaigns;
  ExportWait w = { 0 };
  gsize length = 0;
  gint64 other_id;
  GPtrArray *header;
  int grade_col, number_col, campaign_col;

  /* Two campaigns; graded A, B, C and D calls in the demo one, an A in the other. */
  g_assert_cmpint (campaign_id, >, 0);
  demo = tb_store_get_campaign (store, campaign_id, &error);
  g_assert_no_error (error);
  other_id = tb_store_create_campaign (store, "Autumn", demo->list_id, demo->script_id,
                                       demo->line_id, "US", 1, &error);
  g_assert_no_error (error);
  add_call (store, campaign_id, 1, "+12025550101", "A", 88, "[\"asked for a quote\"]");
  add_call (store, campaign_id, 2, "+12025550102", "D", 20, NULL);
  add_call (store, campaign_id, 5, "+12025550105", "C", 45, NULL);
  add_call (store, campaign_id, 12, "+12025550112", "B", 70, "[\"said \\\"send it\\\", twice\"]");
  add_call (store, other_id, 4, "+12025550104", "A", 90, NULL);
  tb_application_store_changed (app, "campaigns");
  tb_application_store_changed (app, "attempts");
  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("leads"));
  tb_ui_test_settle ();

  page = tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_LEADS_PAGE);
  list_view = tb_ui_test_find_by_name (page, "leads-list");
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  export_button = tb_ui_test_find_by_name (page, "leads-export");
  g_assert_true (GTK_IS_BUTTON (export_button));
  g_assert_true (gtk_widget_get_mapped (export_button));
  g_assert_true (gtk_widget_get_sensitive (export_button));

  /* Grades A and B only, then the demo campaign only: two leads shown. */
  filters = tb_ui_test_find_by_name (page, "grade-filters");
  button = gtk_widget_get_first_child (filters);
  for (guint i = 0; i < 5; i++, button = gtk_widget_get_next_sibling (button))
    if (i < 2)
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  g_assert_true (tb_ui_test_wait (model_has_three, model, 2000));
  campaign_filter = tb_ui_test_find_by_type (page, GTK_TYPE_DROP_DOWN);
  campaigns = gtk_drop_down_get_model (GTK_DROP_DOWN (campaign_filter));
  for (guint i = 0; i < g_list_model_get_n_items (campaigns); i++) {
    g_autoptr(GtkStringObject) name = g_list_model_get_item (campaigns, i);

    if (g_str_equal (gtk_string_object_get_string (name), "Demo campaign"))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (campaign_filter), i);
  }
  g_assert_true (tb_ui_test_wait (model_has_two, model, 2000));
  tb_ui_test_screenshot (GTK_WIDGET (window), "leads-export");

  /* CSV with a byte-order mark: the header, then the two leads shown. */
  g_assert_cmpint (tb_leads_page_format_for_file (csv_file), ==, TB_CALLS_EXPORT_CSV);
  tb_leads_page_export_to_file_async (TB_LEADS_PAGE (page), csv_file, TB_CALLS_EXPORT_CSV, TRUE,
                                      NULL, export_cb, &w);
  g_assert_true (tb_ui_test_wait (export_finished, &w, 10000));
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_cmpuint (w.rows, ==, 2);
  g_assert_true (g_file_get_contents (csv_path, &text, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF"));
  rows = tb_test_parse_csv (text + 3);
  g_assert_cmpuint (rows->len, ==, 3);
  header = g_ptr_array_index (rows, 0);
  for (guint i = 0; columns[i] != NULL; i++)
    g_assert_cmpstr (g_ptr_array_index (header, i), ==, columns[i]);
  grade_col = tb_test_csv_column (header, "grade");
  number_col = tb_test_csv_column (header, "number");
  campaign_col = tb_test_csv_column (header, "campaign");
  for (guint i = 1; i < rows->len; i++) {
    GPtrArray *row = g_ptr_array_index (rows, i);
    const char *grade = g_ptr_array_index (row, grade_col);

    g_assert_cmpuint (row->len, ==, header->len);
    g_assert_cmpstr (g_ptr_array_index (row, campaign_col), ==, "Demo campaign");
    g_assert_true (g_str_equal (grade, "A") || g_str_equal (grade, "B"));
    g_hash_table_add (seen, g_strdup_printf ("%s %s", grade,
                                             (char *) g_ptr_array_index (row, number_col)));
  }
  g_assert_true (g_hash_table_contains (seen, "A +12025550101"));
  g_assert_true (g_hash_table_contains (seen, "B +12025550112"));
  {
    /* A field with a comma and quotes came back whole. */
    GPtrArray *first = g_ptr_array_index (rows, 1);
    GPtrArray *b_row = g_str_equal (g_ptr_array_index (first, grade_col), "B")
                       ? first : g_ptr_array_index (rows, 2);
    const char *reasons = g_ptr_array_index (b_row, tb_test_csv_column (header, "reasons"));

    g_assert_nonnull (strstr (reasons, "said \"send it\", twice"));
  }

  /* JSON by the file's extension: the same two leads. */
  g_assert_cmpint (tb_leads_page_format_for_file (json_file), ==, TB_CALLS_EXPORT_JSON);
  memset (&w, 0, sizeof w);
  tb_leads_page_export_to_file_async (TB_LEADS_PAGE (page), json_file,
                                      tb_leads_page_format_for_file (json_file), TRUE, NULL,
                                      export_cb, &w);
  g_assert_true (tb_ui_test_wait (export_finished, &w, 10000));
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.rows, ==, 2);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (json_path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_str_has_prefix (text, "\xEF\xBB\xBF"));
  json = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json)), ==, 2);

  /* The button asks for the file (GTK's own dialog here: no portal in the
   * test session), offering the CSV name and the Excel choice; cancelling
   * writes nothing. Accepting it ends in tb_leads_page_export_to_file_async(). */
  gtk_widget_activate (export_button);
  g_assert_true (tb_ui_test_wait (file_chooser_shown, NULL, 5000));
  chooser = find_file_chooser ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Export Leads");
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SAVE);
  {
    g_autofree char *name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
    g_assert_cmpstr (name, ==, "leads.csv");
  }
  g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "bom"), ==, "true");
  tb_ui_test_settle ();
  tb_ui_test_screenshot (chooser, "leads-export-chooser");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_true (tb_ui_test_wait (file_chooser_gone, NULL, 5000));
  g_assert_false (g_file_test (dialog_path, G_FILE_TEST_EXISTS));
  g_assert_true (gtk_widget_get_sensitive (export_button));

  g_unlink (csv_path);
  g_unlink (json_path);
  g_unlink (dialog_path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("telebot-leads-XXXXXX", NULL);
  g_autofree char *cmd = NULL;
  int status = 0;

  gtk_test_init (&argc, &argv, NULL);
  g_setenv ("TELEBOT_AUDIOSINK", "fakesink sync=true", TRUE);

  /* A real two-channel 8 kHz recording, as the recorder writes them. */
  recording = g_build_filename (dir, "call.wav", NULL);
  cmd = g_strdup_printf ("sox -n -r 8000 -c 2 -b 16 %s synth 4 sine 300 sine 600", recording);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);

  tb_ui_test_add ("/telebot/ui/leads/detail-and-playback", TRUE, test_leads, NULL);
  tb_ui_test_add ("/telebot/ui/leads/grade-filter", TRUE, test_filters, NULL);
  tb_ui_test_add ("/telebot/ui/leads/export", TRUE, test_export, NULL);
  tb_ui_test_add ("/telebot/ui/leads/notes-survive-reload", TRUE, test_notes, NULL);

  return g_test_run ();
}
