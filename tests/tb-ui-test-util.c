/* tb-ui-test-util.c — run a real Telebot window in a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tb-campaigns-page.h"
#include "tb-contacts-page.h"
#include "tb-demo.h"
#include "tb-import-dialog.h"
#include "tb-new-campaign-dialog.h"
#include "tb-store-attempts.h"
#include "tb-store-config.h"
#include "tb-store-lines.h"
#include "tb-ui-test-util.h"

typedef struct {
  TbUiTestFunc func;
  gpointer     user_data;
  gboolean     demo;
  char        *path;
} UiTest;

static char *db_path;

const char *
tb_ui_test_get_db_path (void)
{
  return db_path;
}

static gboolean
settle_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
tb_ui_test_settle (void)
{
  gboolean done = FALSE;

  /* Layout and drawing happen on frame clock ticks, not idles: give it time. */
  g_timeout_add (150, settle_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

gboolean
tb_ui_test_wait (gboolean (*condition) (gpointer),
                 gpointer   data,
                 guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data)) {
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_main_context_iteration (NULL, FALSE);
    g_usleep (1000);
  }
  return TRUE;
}

static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type,
              gboolean   visible_only)
{
  if (visible_only && !gtk_widget_get_mapped (root))
    return NULL;
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_by_type (child, type, visible_only);

    if (found != NULL)
      return found;
  }
  return NULL;
}

GtkWidget *
tb_ui_test_find_by_type (GtkWidget *root,
                         GType      type)
{
  return find_by_type (root, type, FALSE);
}

GtkWidget *
tb_ui_test_find_visible_by_type (GtkWidget *root,
                                 GType      type)
{
  return find_by_type (root, type, TRUE);
}

GtkWidget *
tb_ui_test_find_by_name (GtkWidget  *root,
                         const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = tb_ui_test_find_by_name (child, name);

    if (found != NULL)
      return found;
  }
  return NULL;
}

GtkWidget *
tb_ui_test_find_label (GtkWidget  *root,
                       const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = tb_ui_test_find_label (child, text);

    if (found != NULL)
      return found;
  }
  return NULL;
}

GtkWidget *
tb_ui_test_find_label_containing (GtkWidget  *root,
                                  const char *part)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_label (GTK_LABEL (root)), part) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = tb_ui_test_find_label_containing (child, part);

    if (found != NULL)
      return found;
  }
  return NULL;
}

char *
tb_ui_test_screenshot (GtkWidget  *widget,
                       const char *name)
{
  const char *build = g_getenv ("TELEBOT_BUILD_DIR");
  g_autofree char *dir = g_build_filename (build ? build : ".", "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  g_mkdir_with_parents (dir, 0755);
  /* What changed since the last frame must be laid out and drawn first. */
  tb_ui_test_settle ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

/* The window fits @width×@height: allocated no larger, and its minimum size (what its pages
 * ask for at that width) no larger either, so nothing is cut off or forced wider. */
static void
assert_fits (GtkWidget  *window,
             const char *what,
             int         width,
             int         height)
{
  int min_width = 0, min_height = 0;

  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, width, &min_height, NULL, NULL, NULL);
  g_test_message ("%s: window %d×%d, minimum %d×%d", what, gtk_widget_get_width (window),
                  gtk_widget_get_height (window), min_width, min_height);
  if (min_width > width || min_height > height ||
      gtk_widget_get_width (window) > width || gtk_widget_get_height (window) > height)
    g_error ("%s does not fit %d×%d: window %d×%d, minimum %d×%d", what, width, height,
             gtk_widget_get_width (window), gtk_widget_get_height (window), min_width,
             min_height);
}

/* What a too narrow page cuts first: a search entry squeezed to a few letters, a number (a
 * phone number, a count) ellipsized. Each such widget shown under @root goes into @cut. */
static void
find_cut_widgets (GtkWidget *root,
                  GPtrArray *cut)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (!gtk_widget_get_mapped (child))
      continue;
    if (GTK_IS_SEARCH_ENTRY (child) && gtk_widget_get_width (child) < 150)
      g_ptr_array_add (cut, g_strdup_printf ("a search entry %d px wide",
                                             gtk_widget_get_width (child)));
    if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "numeric") &&
        pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (child))))
      g_ptr_array_add (cut, g_strdup_printf ("the number “%s” cut",
                                             gtk_label_get_text (GTK_LABEL (child))));
    find_cut_widgets (child, cut);
  }
}

static void
assert_nothing_cut (GtkWidget  *root,
                    const char *what)
{
  g_autoptr(GPtrArray) cut = g_ptr_array_new_with_free_func (g_free);

  find_cut_widgets (root, cut);
  for (guint i = 0; i < cut->len; i++)
    g_printerr ("%s: %s\n", what, (char *) g_ptr_array_index (cut, i));
  if (cut->len > 0)
    g_error ("%s at 800×600: %u widgets cut (above)", what, cut->len);
}

/* A graded, recorded call of the first campaign, so that Leads shows a lead in full (its
 * transcript, reasons and waveform) rather than its empty state. */
static void
add_graded_call (TbStore    *store,
                 const char *recording,
                 const char *bot,
                 const char *callee,
                 const char *reasons)
{
  g_auto(GStrv) campaigns = tb_store_dup_names (store, "campaigns");
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 campaign_id, id;
  TbAttemptResult result = { .outcome = "completed", .end_reason = "completed",
                             .grade = "A", .score = 88, .reasons_json = reasons,
                             .recording = recording, .ended_at = now + 20 * G_USEC_PER_SEC };

  g_assert_true (campaigns != NULL && campaigns[0] != NULL);
  campaign_id = tb_store_find_campaign (store, campaigns[0]);
  id = tb_store_attempt_begin (store, campaign_id, 1, 0, "+12025550101", now, &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_attempt_set_state (store, id, "answered", now + G_USEC_PER_SEC,
                                             &error));
  g_assert_true (tb_store_attempt_add_turn (store, id, 1, "bot", "intro", bot, NULL, 0,
                                            now + G_USEC_PER_SEC, now + 3 * G_USEC_PER_SEC,
                                            &error));
  g_assert_true (tb_store_attempt_add_turn (store, id, 2, "callee", "pitch", callee, "yes", 0.92,
                                            now + 4 * G_USEC_PER_SEC, now + 5 * G_USEC_PER_SEC,
                                            &error));
  g_assert_true (tb_store_attempt_finish (store, id, &result, 0, &error));
  g_assert_no_error (error);
}

/* A second line in the first campaign's pool, with two caller numbers held to caps, the
 * first's answer rate fallen (its last 20 calls of 100 reached nobody): the Campaigns page
 * shows its numbers' rows, and the first one's health warning, in full. */
static void
add_caller_numbers (TbApplication *app)
{
  TbStore *store = tb_application_get_store (app);
  g_auto(GStrv) campaigns = tb_store_dup_names (store, "campaigns");
  g_autoptr(GPtrArray) pool = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 campaign_id, line_id;

  g_assert_true (campaigns != NULL && campaigns[0] != NULL);
  campaign_id = tb_store_find_campaign (store, campaigns[0]);
  line_id = tb_store_add_line (store, "Office SIMs", "sim",
                               "{\"caller_ids\": [\"+12025550181\", \"+12025550182\"], "
                               "\"calls_per_hour\": 20, \"calls_per_day\": 150}", 2, &error);
  g_assert_no_error (error);
  pool = tb_store_dup_campaign_lines (store, campaign_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < pool->len; i++)
    g_array_append_val (ids, ((TbCampaignLineRow *) g_ptr_array_index (pool, i))->line_id);
  g_array_append_val (ids, line_id);
  g_assert_true (tb_store_set_campaign_lines (store, campaign_id, (gint64 *) ids->data, ids->len,
                                              &error));
  /* Calls made outside a campaign, from 20 hours ago every 10 minutes. */
  sql = g_strdup_printf (
    "WITH RECURSIVE i (n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 99) "
    "INSERT INTO attempts (line_id, e164, caller_id, state, outcome, end_reason, dialed_at, "
    "  answered_at, ended_at) "
    "SELECT %" G_GINT64_FORMAT ", '+12025550999', '+12025550181', 'ended', "
    "  CASE WHEN n < 80 AND n %% 5 < 2 THEN 'completed' ELSE 'no_answer' END, "
    "  CASE WHEN n < 80 AND n %% 5 < 2 THEN 'completed' ELSE 'no_answer' END, "
    "  %" G_GINT64_FORMAT " + n * 600000000, "
    "  CASE WHEN n < 80 AND n %% 5 < 2 THEN %" G_GINT64_FORMAT " + n * 600000000 END, "
    "  %" G_GINT64_FORMAT " + n * 600000000 FROM i",
    line_id, tb_application_get_now (app) - (gint64) 20 * 3600 * G_USEC_PER_SEC,
    tb_application_get_now (app) - (gint64) 20 * 3600 * G_USEC_PER_SEC + 5 * G_USEC_PER_SEC,
    tb_application_get_now (app) - (gint64) 20 * 3600 * G_USEC_PER_SEC + 30 * G_USEC_PER_SEC);
  tb_store_exec (store, sql, &error);
  g_assert_no_error (error);
  tb_application_store_changed (app, "lines");
  tb_application_store_changed (app, "campaigns");
  tb_application_store_changed (app, "attempts");
}

/* Opens the dialog @action of @page makes (a toplevel of @type), sizes it for an 800×600
 * screen and checks it as a page. */
static void
check_small_dialog (GtkWidget  *page,
                    const char *action,
                    GType       type,
                    const char *shot)
{
  g_autoptr(GList) toplevels = NULL;
  GtkWindow *dialog = NULL;
  int width = 0, height = 0;

  g_assert_true (gtk_widget_activate_action (page, action, NULL));
  tb_ui_test_settle ();
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      dialog = l->data;
  g_assert_nonnull (dialog);
  gtk_window_get_default_size (dialog, &width, &height);   /* GTK 4.8 wants both */
  gtk_window_set_default_size (dialog, MIN (width, 800), 600);
  tb_ui_test_settle ();
  g_free (tb_ui_test_screenshot (GTK_WIDGET (dialog), shot));
  assert_fits (GTK_WIDGET (dialog), shot, 800, 600);
  assert_nothing_cut (GTK_WIDGET (dialog), shot);
  gtk_window_destroy (dialog);
  tb_ui_test_settle ();
}

void
tb_ui_test_check_small_window (TbApplication *app,
                               const char    *prefix)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  AdwViewStack *stack = ADW_VIEW_STACK (tb_ui_test_find_by_type (GTK_WIDGET (window),
                                                                 ADW_TYPE_VIEW_STACK));
  g_autoptr(GtkSelectionModel) pages = NULL;
  GtkWindow *prefs = NULL;
  guint n_pages = 0;

  g_assert_nonnull (stack);
  {
    g_autofree char *dir = g_path_get_dirname (tb_ui_test_get_db_path ());
    g_autofree char *wav = g_build_filename (dir, "call.wav", NULL);
    g_autofree char *cmd = g_strdup_printf ("sox -n -r 8000 -c 2 -b 16 %s synth 4 sine 300 "
                                            "sine 600", wav);
    int status = 0;

    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
    g_assert_cmpint (status, ==, 0);
    add_graded_call (tb_application_get_store (app), wav,
                     "Hello, this is an automated call from Sunrise Bakery Supplies about "
                     "fresh flour and butter delivered to your shop every morning.",
                     "yes tell me more about the prices and the delivery times please",
                     "[\"said 'yes, tell me more' at node pitch: +30\","
                     "\"asked about prices and delivery times: +20\"]");
    tb_application_store_changed (app, "attempts");
  }
  {
    /* A line in error, so that Lines shows its explanation and its buttons too. */
    g_autoptr(GError) error = NULL;

    g_unsetenv ("TELEBOT_TEST_NO_PASSWORD");
    g_assert_cmpint (tb_store_add_line (tb_application_get_store (app), "Office trunk", "sip",
                                        "{\"domain\":\"127.0.0.1:9\",\"user\":\"bob\","
                                        "\"password_env\":\"TELEBOT_TEST_NO_PASSWORD\"}", 2,
                                        &error), >, 0);
    g_assert_no_error (error);
    tb_application_store_changed (app, "lines");
  }
  add_caller_numbers (app);
  gtk_window_unmaximize (window);
  gtk_window_set_default_size (window, 800, 600);
  tb_ui_test_settle ();

  /* Every page of the window's stack, as the view switcher lists them. */
  pages = adw_view_stack_get_pages (stack);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++) {
    g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
    const char *name = adw_view_stack_page_get_name (page);
    g_autofree char *shot = NULL;
    g_autofree char *what = NULL;

    if (!adw_view_stack_page_get_visible (page) || adw_view_stack_page_get_title (page) == NULL)
      continue;   /* the database error page is no page of the switcher */
    g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                    g_variant_new_string (name));
    tb_ui_test_settle ();
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, name);
    what = g_strdup_printf ("page %s", name);
    shot = g_strdup_printf ("%s-800x600-%s", prefix, name);
    g_free (tb_ui_test_screenshot (GTK_WIDGET (window), shot));
    assert_fits (GTK_WIDGET (window), what, 800, 600);
    assert_nothing_cut (GTK_WIDGET (window), what);
    n_pages++;
  }
  g_assert_cmpuint (n_pages, >=, 5);

  /* Preferences (its General, Compliance and Integrations pages) on the same screen. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  tb_ui_test_settle ();
  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_PREFERENCES_WINDOW (l->data) && gtk_widget_get_visible (l->data))
        prefs = l->data;
  }
  g_assert_nonnull (prefs);
  gtk_window_set_default_size (prefs, 800, 600);
  tb_ui_test_settle ();
  {
    AdwViewStack *prefs_stack = ADW_VIEW_STACK (tb_ui_test_find_by_type (GTK_WIDGET (prefs),
                                                                       ADW_TYPE_VIEW_STACK));
    g_autoptr(GtkSelectionModel) prefs_pages = adw_view_stack_get_pages (prefs_stack);

    n_pages = 0;
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (prefs_pages)); i++) {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (prefs_pages), i);
      GtkWidget *child = adw_view_stack_page_get_child (page);
      g_autofree char *shot = NULL;
      g_autofree char *what = NULL;
      const char *name = gtk_widget_get_name (child);

      adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                               ADW_PREFERENCES_PAGE (child));
      tb_ui_test_settle ();
      what = g_strdup_printf ("preferences page %u (%s)", i, name);
      shot = g_strdup_printf ("%s-800x600-preferences-%u", prefix, i);
      g_free (tb_ui_test_screenshot (GTK_WIDGET (prefs), shot));
      assert_fits (GTK_WIDGET (prefs), what, 800, 600);
      assert_nothing_cut (GTK_WIDGET (prefs), what);
      n_pages++;
    }
    g_assert_cmpuint (n_pages, >=, 3);
  }
  gtk_window_destroy (prefs);
  tb_ui_test_settle ();

  /* The dialogs the pages open: New Campaign and Import. */
  {
    g_autofree char *new_campaign = g_strdup_printf ("%s-800x600-new-campaign", prefix);
    g_autofree char *import = g_strdup_printf ("%s-800x600-import", prefix);

    check_small_dialog (tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CAMPAIGNS_PAGE),
                        "campaign.new", TB_TYPE_NEW_CAMPAIGN_DIALOG, new_campaign);
    check_small_dialog (tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_CONTACTS_PAGE),
                        "win.import-contacts", TB_TYPE_IMPORT_DIALOG, import);
  }
}

static gboolean
run_test_cb (gpointer data)
{
  UiTest *t = data;
  GApplication *app = g_application_get_default ();

  tb_ui_test_settle ();
  t->func (TB_APPLICATION (app), t->user_data);
  g_application_quit (app);
  return G_SOURCE_REMOVE;
}

static void
on_app_activate (GApplication *app,
                 UiTest       *t)
{
  g_idle_add (run_test_cb, t);
}

static void
run_in_child (UiTest *t)
{
  g_autofree char *dir = g_dir_make_tmp ("telebot-ui-XXXXXX", NULL);
  g_autoptr(TbApplication) app = NULL;
  /* A Tuesday morning in New York (or Beijing, for the Chinese demo): the demo's callees may
   * be called. */
  gboolean zh = g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "zh");
  char *argv[] = { (char *) "telebot", (char *) "--now",
                   zh ? (char *) "2026-12-01T10:00:00+08:00" : (char *) "2026-12-01T10:00:00-05:00",
                   (char *) "--db", NULL, NULL };

  db_path = g_build_filename (dir, "telebot.db", NULL);
  if (t->demo) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TbStore) store = tb_store_open (db_path, &error);

    g_assert_no_error (error);
    g_assert_true (tb_demo_populate_language (store, zh ? "zh" : "en", &error));
    g_assert_no_error (error);
  }

  argv[4] = db_path;
  app = tb_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (on_app_activate), t);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 5, argv), ==, 0);
}

static void
ui_test_func (gconstpointer data)
{
  UiTest *t = (UiTest *) data;

  if (g_test_subprocess ()) {
    run_in_child (t);
    return;
  }
  /* Each test gets its own process: one GApplication per process, like real use. */
  g_test_trap_subprocess (NULL, 300 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

void
tb_ui_test_add (const char   *path,
                gboolean      demo,
                TbUiTestFunc  func,
                gpointer      user_data)
{
  UiTest *t = g_new0 (UiTest, 1);

  t->func = func;
  t->user_data = user_data;
  t->demo = demo;
  t->path = g_strdup (path);
  g_test_add_data_func_full (path, t, ui_test_func, NULL);
}
