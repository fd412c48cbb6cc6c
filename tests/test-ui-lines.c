/* test-ui-lines.c — the Lines page: live state, add a SIP line, test call, remove
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs a real window under Xvfb (./dev test); G_DEBUG=fatal-warnings makes any GTK warning
 * fail the test.
 */
#include "config.h"

#include <adwaita.h>
#include <sys/wait.h>
#include <signal.h>
#include <string.h>

#include "tb-application.h"
#include "tb-lines-page.h"
#include "tb-store-config.h"
#include "tb-store-lines.h"
#include "tb-ui-test-util.h"
#include "tb-window.h"

static GtkWidget *
find_named (GtkWidget  *root,
            GType       type,
            const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c)) {
    GtkWidget *found;

    if (G_TYPE_CHECK_INSTANCE_TYPE (c, type) && g_strcmp0 (gtk_widget_get_name (c), name) == 0)
      return c;
    if ((found = find_named (c, type, name)) != NULL)
      return found;
  }
  return NULL;
}

static AdwMessageDialog *last_dialog;

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */
  AdwMessageDialog *found = NULL;

  /* The newest visible one: an answered dialog may linger while it closes. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

    if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)) &&
        w != (GObject *) last_dialog)
      found = ADW_MESSAGE_DIALOG (w);
  }
  last_dialog = found;
  return found;
}

typedef struct {
  TbLinesPage *page;
  const char  *line;
  const char  *text;
} RowWait;

static gboolean
row_says (gpointer data)
{
  RowWait *w = data;
  GtkWidget *row = find_named (GTK_WIDGET (w->page), ADW_TYPE_ACTION_ROW, w->line);

  return row != NULL &&
         strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), w->text) != NULL;
}

/* The modem dialog's check is over (it says Ready, Found … but, or what is wrong). */
static gboolean
modem_checked (gpointer data)
{
  const char *text = adw_action_row_get_subtitle (ADW_ACTION_ROW (data));

  return text != NULL && !g_str_has_prefix (text, "Asks the modem") &&
         !g_str_has_prefix (text, "Asking the modem");
}

static void
set_row_text (GtkWidget  *root,
              const char *title,
              const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c)) {
    if (ADW_IS_ENTRY_ROW (c) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), title) == 0) {
      gtk_editable_set_text (GTK_EDITABLE (c), text);
      return;
    }
    set_row_text (c, title, text);
  }
}

static void
test_lines_page (TbApplication *app,
                 gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  TbStore *store = tb_application_get_store (app);
  TbLinesPage *page;
  AdwMessageDialog *dialog;
  g_autoptr(TbLineRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  RowWait wait;

  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("lines"));
  tb_ui_test_settle ();
  page = TB_LINES_PAGE (tb_ui_test_find_by_type (GTK_WIDGET (window), TB_TYPE_LINES_PAGE));
  g_assert_nonnull (page);

  /* The demo's simulated line is up: the page shows the line's own state. */
  wait = (RowWait) { page, "Simulated line", "Ready" };
  g_assert_true (tb_ui_test_wait (row_says, &wait, 5000));

  /* Add a SIP line through the dialog. "Add" waits for a name and a domain. */
  gtk_widget_activate_action (GTK_WIDGET (page), "lines.add-sip", NULL);
  tb_ui_test_settle ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  set_row_text (GTK_WIDGET (dialog), "Name", "Office trunk");
  set_row_text (GTK_WIDGET (dialog), "Domain (host[:port])", "127.0.0.1:9");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));
  tb_ui_test_settle ();
  png = tb_ui_test_screenshot (adw_message_dialog_get_extra_child (dialog), "lines-add-sip");
  adw_message_dialog_response (dialog, "add");
  tb_ui_test_settle ();
  row = tb_store_get_line (store, "Office trunk", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (row->kind, ==, "sip");
  g_assert_nonnull (strstr (row->config, "\"domain\":\"127.0.0.1:9\""));
  /* No registration without a user: an IP trunk is ready at once. */
  wait = (RowWait) { page, "Office trunk", "Ready" };
  g_assert_true (tb_ui_test_wait (row_says, &wait, 5000));

  /* Edit it: the dialog comes prefilled; a new domain is saved and the line rebuilt. */
  gtk_widget_activate_action (GTK_WIDGET (page), "lines.edit", "s", "Office trunk");
  tb_ui_test_settle ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));
  set_row_text (GTK_WIDGET (dialog), "Domain (host[:port])", "127.0.0.1:19");
  set_row_text (GTK_WIDGET (dialog), "Caller ID (optional)", "+15550100");
  adw_message_dialog_response (dialog, "add");
  tb_ui_test_settle ();
  g_clear_pointer (&row, tb_line_row_free);
  row = tb_store_get_line (store, "Office trunk", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (row->config, "\"domain\":\"127.0.0.1:19\""));
  g_assert_nonnull (strstr (row->config, "\"caller_id\":\"+15550100\""));
  wait = (RowWait) { page, "Office trunk", "Ready" };
  g_assert_true (tb_ui_test_wait (row_says, &wait, 5000));

  /* A test call on the simulated line: its outcome lands on the row. */
  gtk_widget_activate_action (GTK_WIDGET (page), "lines.test-call", "s", "Simulated line");
  tb_ui_test_settle ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "+15550123");
  adw_message_dialog_response (dialog, "call");
  wait = (RowWait) { page, "Simulated line", "last test call:" };
  g_assert_true (tb_ui_test_wait (row_says, &wait, 20000));
  g_clear_pointer (&png, g_free);
  tb_ui_test_settle ();
  png = tb_ui_test_screenshot (GTK_WIDGET (page), "lines");

  /* A line that cannot work says so in plain words, with an error icon, what to do, the
   * technical detail one click away, and Retry: its password is read from a variable that is
   * not set. Once set, Retry brings it up. */
  g_unsetenv ("TELEBOT_TEST_TRUNK_PASSWORD");
  g_assert_cmpint (tb_store_add_line (store, "Provider", "sip",
                                      "{\"domain\":\"127.0.0.1:29\",\"user\":\"alice\","
                                      "\"no_register\":true,"
                                      "\"password_env\":\"TELEBOT_TEST_TRUNK_PASSWORD\"}", 2,
                                      &error), >, 0);
  g_assert_no_error (error);
  tb_application_store_changed (app, "lines");
  wait = (RowWait) { page, "Provider", "The line's password is missing" };
  g_assert_true (tb_ui_test_wait (row_says, &wait, 5000));
  {
    GtkWidget *provider = find_named (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "Provider");
    GtkWidget *details = find_named (provider, GTK_TYPE_MENU_BUTTON, "line-error-details");
    GtkWidget *popover_label;

    g_assert_true (gtk_widget_has_css_class (provider, "line-error"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (provider)), "Error: "));
    g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (provider)), "password_env"));
    g_assert_nonnull (details);
    popover_label = gtk_popover_get_child (gtk_menu_button_get_popover (GTK_MENU_BUTTON (details)));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (popover_label)),
                              "TELEBOT_TEST_TRUNK_PASSWORD"));
    g_assert_nonnull (find_named (provider, GTK_TYPE_BUTTON, "line-retry"));
    g_clear_pointer (&png, g_free);
    png = tb_ui_test_screenshot (GTK_WIDGET (page), "lines-error");
  }
  g_setenv ("TELEBOT_TEST_TRUNK_PASSWORD", "secret", TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "lines.retry", "s", "Provider");
  wait = (RowWait) { page, "Provider", "Ready" };
  g_assert_true (tb_ui_test_wait (row_says, &wait, 5000));
  g_assert_false (gtk_widget_has_css_class (find_named (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW,
                                                        "Provider"), "line-error"));

  /* A USB modem from the window: the simulated modem on two ptys, its ports typed, checked
   * (make, SIM, voice in the dialog), added, and up on the page. */
  {
    g_autofree char *dir = g_dir_make_tmp ("telebot-modem-XXXXXX", NULL);
    g_autofree char *at = g_build_filename (dir, "at", NULL);
    g_autofree char *pcm = g_build_filename (dir, "pcm", NULL);
    g_autofree char *sim = g_build_filename (g_getenv ("TELEBOT_BUILD_DIR"), "tests",
                                             "tb-modem-sim", NULL);
    const char *argv[] = { sim, "--vendor", "huawei", "--at-link", at, "--audio-link", pcm,
                           "--operator", "Loop Mobile", NULL };
    GPid pid;
    AdwActionRow *check_row;

    /* Our own child: GLib's default double fork would have its short-lived middle process
     * die after the simulator set PR_SET_PDEATHSIG, which kills it on a loaded machine. */
    g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                  NULL, &pid, &error));
    for (int i = 0; i < 200 && !(g_file_test (at, G_FILE_TEST_EXISTS) &&
                                 g_file_test (pcm, G_FILE_TEST_EXISTS)); i++)
      g_usleep (50000);
    gtk_widget_activate_action (GTK_WIDGET (page), "lines.add-modem", NULL);
    tb_ui_test_settle ();
    dialog = find_dialog ();
    g_assert_nonnull (dialog);
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
    set_row_text (GTK_WIDGET (dialog), "Name", "SIM 1");
    set_row_text (GTK_WIDGET (dialog), "Control port (AT)", at);
    set_row_text (GTK_WIDGET (dialog), "Voice port (PCM)", pcm);
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));
    check_row = ADW_ACTION_ROW (find_named (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW,
                                            "modem-check-row"));
    g_assert_nonnull (check_row);
    g_assert_true (gtk_widget_activate (find_named (GTK_WIDGET (check_row), GTK_TYPE_BUTTON,
                                                    "modem-check")));
    g_assert_true (tb_ui_test_wait (modem_checked, check_row, 10000));
    g_printerr ("check: %s\n", adw_action_row_get_subtitle (check_row));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (check_row), "Ready:"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (check_row), "SIM ready"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (check_row), "Loop Mobile"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (check_row), "can carry voice"));
    g_clear_pointer (&png, g_free);
    png = tb_ui_test_screenshot (adw_message_dialog_get_extra_child (dialog), "lines-add-modem");
    adw_message_dialog_response (dialog, "add");
    tb_ui_test_settle ();
    g_clear_pointer (&row, tb_line_row_free);
    row = tb_store_get_line (store, "SIM 1", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (row->kind, ==, "modem");
    g_assert_nonnull (strstr (row->config, "\"device\":\""));
    g_assert_cmpint (row->max_calls, ==, 1);
    wait = (RowWait) { page, "SIM 1", "Ready" };
    g_assert_true (tb_ui_test_wait (row_says, &wait, 10000));
    gtk_widget_activate_action (GTK_WIDGET (page), "lines.remove", "s", "SIM 1");
    tb_ui_test_settle ();
    adw_message_dialog_response (find_dialog (), "remove");
    tb_ui_test_settle ();
    kill (pid, SIGTERM);
    waitpid (pid, NULL, 0);
    g_spawn_close_pid (pid);
  }

  /* Remove, confirmed: gone from the store and the page. */
  gtk_widget_activate_action (GTK_WIDGET (page), "lines.remove", "s", "Office trunk");
  tb_ui_test_settle ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "remove");
  tb_ui_test_settle ();
  g_assert_cmpint (tb_store_find_line (store, "Office trunk"), ==, 0);
  g_assert_null (find_named (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "Office trunk"));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  tb_ui_test_add ("/telebot/ui/lines/page", TRUE, test_lines_page, NULL);

  return g_test_run ();
}
