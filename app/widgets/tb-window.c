/* tb-window.c — the main window: a header bar, a view switcher and five pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-campaigns-page.h"
#include "tb-contacts-page.h"
#include "tb-leads-page.h"
#include "tb-lines-page.h"
#include "tb-scripts-page.h"
#include "tb-window.h"

struct _TbWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwViewStack         *stack;
  AdwToastOverlay      *toast_overlay;
  AdwStatusPage        *error_page;
  GtkStack             *main_stack;

  /* borrowed */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (TbWindow, tb_window, ADW_TYPE_APPLICATION_WINDOW)

static void
on_stack_visible_child_name_changed (TbWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "page");

  if (name == NULL)
    return;
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));
  g_settings_set_string (self->settings, "last-page", name);
}

static void
win_page (GSimpleAction *action,
          GVariant      *param,
          gpointer       user_data)
{
  TbWindow *self = TB_WINDOW (user_data);

  adw_view_stack_set_visible_child_name (self->stack, g_variant_get_string (param, NULL));
}

static const GActionEntry win_entries[] = {
  { "page", NULL, "s", "'campaigns'", win_page },
};

static gboolean
tb_window_close_request (GtkWindow *window)
{
  TbWindow *self = TB_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (tb_window_parent_class)->close_request (window);
}

static void
tb_window_class_init (TbWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = tb_window_close_request;

  g_type_ensure (TB_TYPE_CAMPAIGNS_PAGE);
  g_type_ensure (TB_TYPE_SCRIPTS_PAGE);
  g_type_ensure (TB_TYPE_CONTACTS_PAGE);
  g_type_ensure (TB_TYPE_LEADS_PAGE);
  g_type_ensure (TB_TYPE_LINES_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, main_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_stack_visible_child_name_changed);
}

static void
tb_window_init (TbWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);
}

TbWindow *
tb_window_new (TbApplication *app)
{
  TbWindow *self = g_object_new (TB_TYPE_WINDOW, "application", app, NULL);
  g_autofree char *page = NULL;
  int width, height;

  self->settings = tb_application_get_settings (app);

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  page = g_settings_get_string (self->settings, "last-page");
  if (adw_view_stack_get_child_by_name (self->stack, page) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, page);

  if (tb_application_get_store (app) == NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "error");

  return self;
}

void
tb_window_show_toast (TbWindow   *self,
                      const char *message)
{
  g_return_if_fail (TB_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/**
 * tb_window_add_toast:
 * @self: a #TbWindow
 * @toast: (transfer full): a toast, with a button perhaps ("Undo")
 *
 * Shows @toast in the window's toast overlay.
 */
void
tb_window_add_toast (TbWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (TB_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
