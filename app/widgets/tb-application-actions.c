/* tb-application-actions.c — app.* actions and their accelerators
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-application-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application-private.h"
#include "tb-demo.h"
#include "tb-paths.h"
#include "tb-preferences-window.h"
#include "tb-store-config.h"
#include "tb-window.h"

static void
report (TbApplication *self,
        const char    *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (TB_IS_WINDOW (window))
    tb_window_show_toast (TB_WINDOW (window), message);
}

static void
store_changed_all (TbApplication *self)
{
  static const char * const tables[] = { "lists", "scripts", "lines", "campaigns", "contacts" };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    tb_application_store_changed (self, tables[i]);
}

static void
app_load_demo (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  TbApplication *self = TB_APPLICATION (user_data);
  TbStore *store = tb_application_get_store (self);
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;
  if (!tb_demo_populate_language (store, tb_demo_get_language (), &error)) {
    report (self, error->message);
    return;
  }
  store_changed_all (self);
  report (self, _("The demo campaign is ready on the simulated line"));
}

static void
app_add_sample_script (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  TbApplication *self = TB_APPLICATION (user_data);
  TbStore *store = tb_application_get_store (self);
  g_autofree char *path = tb_paths_build_data ("scripts", "demo-en.json", NULL);
  g_autofree char *document = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;
  if (!g_file_get_contents (path, &document, NULL, &error) ||
      tb_store_save_script (store, _("Sample script"), "en", document, &error) == 0) {
    report (self, error->message);
    return;
  }
  tb_application_store_changed (self, "scripts");
}

static void
app_add_sim_line (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  TbApplication *self = TB_APPLICATION (user_data);
  TbStore *store = tb_application_get_store (self);
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;
  if (tb_store_add_line (store, _("Simulated line"), "sim", "{}", 8, &error) == 0) {
    report (self, error->message);
    return;
  }
  tb_application_store_changed (self, "lines");
}

static void
app_quit (GSimpleAction *action,
          GVariant      *param,
          gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
app_preferences (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (app);
  TbPreferencesWindow *prefs = tb_preferences_window_new (TB_APPLICATION (app));

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
app_about (GSimpleAction *action,
           GVariant      *param,
           gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Telebot developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Telebot"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Telebot developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Robot calling for small businesses, within the rules"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_entries[] = {
  { "quit", app_quit },
  { "preferences", app_preferences },
  { "about", app_about },
  { "load-demo", app_load_demo },
  { "add-sample-script", app_add_sample_script },
  { "add-sim-line", app_add_sim_line },
};

void
_tb_application_add_actions (TbApplication *self)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.page::campaigns", { "<Alt>1", NULL } },
    { "win.page::scripts", { "<Alt>2", NULL } },
    { "win.page::contacts", { "<Alt>3", NULL } },
    { "win.page::leads", { "<Alt>4", NULL } },
    { "win.page::lines", { "<Alt>5", NULL } },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}
