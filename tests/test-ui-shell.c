/* test-ui-shell.c — the window opens on the demo database, every page can be
 * shown, nothing warns, and a screenshot of each page is written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb and dbus-run-session (./dev test); G_DEBUG=fatal-warnings
 * makes any GTK warning fail the test.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tb-application.h"
#include "tb-demo.h"
#include "tb-store-config.h"
#include "tb-ui-test-util.h"
#include "tb-window.h"

static const char * const pages[] = { "campaigns", "scripts", "contacts", "leads", "lines" };

static void
test_pages (TbApplication *app,
            gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  AdwViewStack *stack;

  g_assert_true (TB_IS_WINDOW (window));
  stack = ADW_VIEW_STACK (tb_ui_test_find_by_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));
  g_assert_nonnull (stack);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++) {
    g_autofree char *png = NULL;
    GtkWidget *status;

    /* Switch through the window's own action, as the Alt+N shortcuts do. */
    g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                    g_variant_new_string (pages[i]));
    tb_ui_test_settle ();
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, pages[i]);

    png = tb_ui_test_screenshot (GTK_WIDGET (window), pages[i]);
    g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));

    /* The demo fills every page but Leads; Leads shows its empty state until
     * calls are graded, and its button leads to the Campaigns page. */
    status = tb_ui_test_find_visible_by_type (adw_view_stack_get_visible_child (stack),
                                              ADW_TYPE_STATUS_PAGE);
    if (g_str_equal (pages[i], "leads"))
      g_assert_nonnull (status);
    else
      g_assert_null (status);
  }

  /* Preferences and the shortcuts window open without warnings. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  tb_ui_test_settle ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  tb_ui_test_settle ();
}

static void
test_empty_states (TbApplication *app,
                   gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  AdwViewStack *stack = ADW_VIEW_STACK (tb_ui_test_find_by_type (GTK_WIDGET (window),
                                                                 ADW_TYPE_VIEW_STACK));

  /* On an empty database every page offers its next step. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++) {
    g_autofree char *name = g_strconcat ("empty-", pages[i], NULL);
    g_autofree char *png = NULL;

    adw_view_stack_set_visible_child_name (stack, pages[i]);
    tb_ui_test_settle ();
    g_assert_nonnull (tb_ui_test_find_visible_by_type (adw_view_stack_get_visible_child (stack),
                                                       ADW_TYPE_STATUS_PAGE));
    png = tb_ui_test_screenshot (GTK_WIDGET (window), name);
  }

  /* "Start the Demo Campaign" fills the database and the Campaigns page shows it. */
  adw_view_stack_set_visible_child_name (stack, "campaigns");
  g_action_group_activate_action (G_ACTION_GROUP (app), "load-demo", NULL);
  tb_ui_test_settle ();
  g_assert_cmpint (tb_store_count_rows (tb_application_get_store (app), "campaigns"), ==, 1);
  g_assert_null (tb_ui_test_find_visible_by_type (adw_view_stack_get_visible_child (stack),
                                                  ADW_TYPE_STATUS_PAGE));
}

/* At 800×600 every page fits: nothing forces the window wider or taller, nothing is cut. */
static void
test_small_window (TbApplication *app,
                   gpointer       user_data)
{
  tb_ui_test_check_small_window (app, "en");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  tb_ui_test_add ("/telebot/ui/shell/pages", TRUE, test_pages, NULL);
  tb_ui_test_add ("/telebot/ui/shell/empty-states", FALSE, test_empty_states, NULL);
  tb_ui_test_add ("/telebot/ui/shell/800x600", TRUE, test_small_window, NULL);

  return g_test_run ();
}
