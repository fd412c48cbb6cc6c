/* tb-preferences-window.c — Preferences: the business, and how Telebot calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The business's name and callback number are spoken in every call's
 * disclosure, so they live in the store (shared with telebot-cli), not in
 * GSettings.
 */
#define G_LOG_DOMAIN "tb-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-integrations-page.h"
#include "tb-preferences-window.h"

struct _TbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwEntryRow          *business_name_row;
  AdwEntryRow          *callback_number_row;
  GtkAdjustment        *concurrency_adjustment;

  /* borrowed */
  TbStore              *store;
};

G_DEFINE_FINAL_TYPE (TbPreferencesWindow, tb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
save_setting (TbPreferencesWindow *self,
              const char          *key,
              AdwEntryRow         *row)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (!tb_store_set_setting (self->store, key, gtk_editable_get_text (GTK_EDITABLE (row)),
                             &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (error->message));
}

static void
on_business_name_row_apply (TbPreferencesWindow *self)
{
  save_setting (self, "business-name", self->business_name_row);
}

static void
on_callback_number_row_apply (TbPreferencesWindow *self)
{
  save_setting (self, "callback-number", self->callback_number_row);
}

static void
load_setting (TbPreferencesWindow *self,
              const char          *key,
              AdwEntryRow         *row)
{
  g_autofree char *value = NULL;

  if (self->store == NULL)
    return;
  value = tb_store_dup_setting (self->store, key, "");
  gtk_editable_set_text (GTK_EDITABLE (row), value);
}

static void
tb_preferences_window_class_init (TbPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, business_name_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, callback_number_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow,
                                        concurrency_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, on_business_name_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_callback_number_row_apply);
}

static void
tb_preferences_window_init (TbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TbPreferencesWindow *
tb_preferences_window_new (TbApplication *app)
{
  TbPreferencesWindow *self = g_object_new (TB_TYPE_PREFERENCES_WINDOW, NULL);

  self->store = tb_application_get_store (app);
  load_setting (self, "business-name", self->business_name_row);
  load_setting (self, "callback-number", self->callback_number_row);
  g_settings_bind (tb_application_get_settings (app), "default-concurrency",
                   self->concurrency_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (tb_integrations_page_new (app)));
  return self;
}
