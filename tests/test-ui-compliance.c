/* test-ui-compliance.c — Preferences → Compliance: packs listed, retention and
 * default packs saved to the store, a bad pack refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tb-application.h"
#include "tb-preferences-window.h"
#include "tb-ui-test-util.h"

static GtkWidget *
find_by_name (GtkWidget  *root,
              const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c)) {
    GtkWidget *found = find_by_name (c, name);

    if (found)
      return found;
  }
  return NULL;
}

static TbPreferencesWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

    if (TB_IS_PREFERENCES_WINDOW (w))
      return TB_PREFERENCES_WINDOW (w);
  }
  return NULL;
}

static void
test_compliance_page (TbApplication *app,
                      gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  TbPreferencesWindow *prefs;
  GtkWidget *spin, *row;
  g_autofree char *days = NULL;
  g_autofree char *packs = NULL;
  g_autofree char *png = NULL;
  static const char * const codes[] = {
    "CN", "US", "US-FL", "US-OK", "US-MD", "UK", "DE", "FR", "DEFAULT"
  };

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  tb_ui_test_settle ();
  prefs = find_preferences ();
  g_assert_nonnull (prefs);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "compliance");
  tb_ui_test_settle ();

  /* Every shipped pack has a row naming it. */
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++) {
    row = find_by_name (GTK_WIDGET (prefs), codes[i]);
    g_assert_nonnull (row);
    g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                     codes[i]));
  }

  /* The retention spin shows the default and saves a change to the store. */
  spin = find_by_name (GTK_WIDGET (prefs), "retention-spin");
  g_assert_nonnull (spin);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 30);
  g_assert_null (tb_store_dup_setting (store, "recording-retention-days", NULL));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 45);
  tb_ui_test_settle ();
  days = tb_store_dup_setting (store, "recording-retention-days", NULL);
  g_assert_cmpstr (days, ==, "45");

  /* Default packs: an unknown code is refused, known ones are saved. */
  row = find_by_name (GTK_WIDGET (prefs), "policies-row");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "US,NOPE");
  g_signal_emit_by_name (row, "apply");
  tb_ui_test_settle ();
  g_assert_null (tb_store_dup_setting (store, "default-policies", NULL));
  gtk_editable_set_text (GTK_EDITABLE (row), "CN,US");
  g_signal_emit_by_name (row, "apply");
  tb_ui_test_settle ();
  packs = tb_store_dup_setting (store, "default-policies", NULL);
  g_assert_cmpstr (packs, ==, "CN,US");

  png = tb_ui_test_screenshot (GTK_WIDGET (prefs), "preferences-compliance");
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (prefs));
  tb_ui_test_settle ();
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  tb_ui_test_add ("/telebot/ui/compliance/preferences", FALSE, test_compliance_page, NULL);

  return g_test_run ();
}
