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

#include "tb-policy.h"
#include "tb-integrations-page.h"
#include "tb-preferences-window.h"
#include "tb-retention.h"

struct _TbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwEntryRow          *business_name_row;
  AdwEntryRow          *callback_number_row;
  GtkAdjustment        *concurrency_adjustment;
  AdwEntryRow          *policies_row;
  AdwPreferencesGroup  *packs_group;
  GtkAdjustment        *retention_adjustment;

  /* borrowed */
  TbStore              *store;

  /* state */
  gboolean              loading;
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
toast (TbPreferencesWindow *self,
       const char          *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

/* The packs must exist and load before they become the default. */
static void
on_policies_row_apply (TbPreferencesWindow *self)
{
  const char *codes = gtk_editable_get_text (GTK_EDITABLE (self->policies_row));
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;

  packs = tb_policy_load_list (codes, &error);
  if (packs == NULL) {
    toast (self, error->message);
    return;
  }
  save_setting (self, "default-policies", self->policies_row);
}

static void
on_retention_adjustment_value_changed (TbPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (self->loading || self->store == NULL)
    return;
  value = g_strdup_printf ("%d", (int) gtk_adjustment_get_value (self->retention_adjustment));
  if (!tb_store_set_setting (self->store, "recording-retention-days", value, &error))
    toast (self, error->message);
}

static void
fill_packs_group (TbPreferencesWindow *self)
{
  g_auto(GStrv) codes = tb_policy_dup_available_codes ();

  for (guint i = 0; codes[i]; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TbPolicy) policy = tb_policy_load (codes[i], &error);
    g_autofree char *title = NULL;
    g_autofree char *subtitle = NULL;
    GtkWidget *row = adw_action_row_new ();
    guint unverified = 0, n;

    if (policy == NULL) {
      title = g_strdup (codes[i]);
      subtitle = g_strdup (error->message);
    } else {
      n = tb_policy_count_rules (policy, &unverified);
      title = g_strdup_printf ("%s — %s", codes[i], tb_policy_get_name (policy));
      subtitle = g_strdup_printf (_("%u rules, %u not verified"), n, unverified);
    }
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    gtk_widget_set_name (row, codes[i]);
    adw_preferences_group_add (self->packs_group, row);
  }
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
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, policies_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, packs_group);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow,
                                        retention_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, on_policies_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_retention_adjustment_value_changed);
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
  load_setting (self, "default-policies", self->policies_row);
  if (self->store != NULL) {
    g_autofree char *days = tb_store_dup_setting (self->store, "recording-retention-days", NULL);

    self->loading = TRUE;
    gtk_adjustment_set_value (self->retention_adjustment,
                              days ? g_ascii_strtod (days, NULL)
                                   : TB_RETENTION_DEFAULT_RECORDING_DAYS);
    self->loading = FALSE;
  }
  fill_packs_group (self);
  g_settings_bind (tb_application_get_settings (app), "default-concurrency",
                   self->concurrency_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (tb_integrations_page_new (app)));
  return self;
}
