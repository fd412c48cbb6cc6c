/* tb-modem-line-dialog.c — add a USB modem line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The control (AT) and voice (PCM) ports are typed or picked from the serial ports found on
 * this computer; "Check" opens the modem as the line would and says, in plain words, what it
 * found (make, SIM, network, signal, voice) or what is wrong. "Add" writes the same settings
 * as `telebot-cli line add modem`, after building the line once to check them.
 */
#define G_LOG_DOMAIN "tb-modem-line-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tb-application.h"
#include "tb-page-util.h"
#include "tb-lines.h"
#include "tb-modem-device.h"
#include "tb-modem-line-dialog.h"
#include "tb-store-config.h"
#include "tb-window.h"

struct _TbModemLineDialog
{
  AdwMessageDialog  parent_instance;

  /* template widgets */
  AdwEntryRow      *name_row;
  AdwEntryRow      *device_row;
  AdwEntryRow      *audio_row;
  GtkMenuButton    *device_ports;
  GtkMenuButton    *audio_ports;
  AdwComboRow      *vendor_row;
  AdwActionRow     *check_row;
  GtkButton        *check_button;

  /* owned */
  TbModemDevice    *probing;
  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (TbModemLineDialog, tb_modem_line_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const char * const vendors[] = { NULL, "huawei", "simcom" };

static void
on_row_changed (TbModemLineDialog *self)
{
  g_autofree char *name = tb_page_row_text (self->name_row);
  g_autofree char *device = tb_page_row_text (self->device_row);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add",
                                           name != NULL && device != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button),
                            device != NULL && self->probing == NULL);
}

/* A menu of the serial ports found now; choosing one fills the row. */
static void
fill_ports_menu (TbModemLineDialog *self,
                 GtkMenuButton     *button,
                 const char        *action)
{
  g_auto(GStrv) ports = tb_modem_list_serial_ports ();
  g_autoptr(GMenu) menu = g_menu_new ();

  for (guint i = 0; ports[i] != NULL; i++) {
    g_autoptr(GMenuItem) item = g_menu_item_new (ports[i], NULL);

    g_menu_item_set_action_and_target (item, action, "s", ports[i]);
    g_menu_append_item (menu, item);
  }
  if (ports[0] == NULL) {
    g_autoptr(GMenuItem) item = g_menu_item_new (_("No serial port found: is the modem plugged in?"),
                                                 "modem.none");

    g_menu_append_item (menu, item);
  }
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

static void
pick_port (GtkWidget  *widget,
           const char *action,
           GVariant   *param)
{
  TbModemLineDialog *self = TB_MODEM_LINE_DIALOG (widget);
  AdwEntryRow *row = g_str_equal (action, "modem.device") ? self->device_row : self->audio_row;

  gtk_editable_set_text (GTK_EDITABLE (row), g_variant_get_string (param, NULL));
}

static char *
build_config (TbModemLineDialog *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *device = tb_page_row_text (self->device_row);
  g_autofree char *audio = tb_page_row_text (self->audio_row);
  const char *vendor = vendors[MIN (adw_combo_row_get_selected (self->vendor_row),
                                    G_N_ELEMENTS (vendors) - 1)];

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, device ? device : "");
  if (audio != NULL) {
    json_builder_set_member_name (b, "audio");
    json_builder_add_string_value (b, audio);
  }
  if (vendor != NULL) {
    json_builder_set_member_name (b, "vendor");
    json_builder_add_string_value (b, vendor);
  }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* What the modem said about itself, in a sentence. */
static char *
describe (TbModemDevice *device)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const char *maker = tb_modem_device_get_manufacturer (device);
  const char *sim = tb_modem_device_get_sim_state (device);
  const char *op = tb_modem_device_get_operator_name (device);
  int dbm = tb_modem_device_get_signal_dbm (device);

  g_string_append (s, maker ? maker : _("unknown make"));
  if (tb_modem_device_get_model (device) != NULL)
    g_string_append_printf (s, " %s", tb_modem_device_get_model (device));
  g_string_append (s, " · ");
  g_string_append (s, g_strcmp0 (sim, "READY") == 0 ? _("SIM ready")
                      : sim != NULL ? _("SIM not ready") : _("no SIM answer"));
  if (op != NULL)
    g_string_append_printf (s, " · %s", op);
  if (dbm != G_MININT)
    /* Translators: the signal strength */
    g_string_append_printf (s, _(" · signal %d dBm"), dbm);
  g_string_append (s, " · ");
  g_string_append (s, tb_modem_device_get_voice_capable (device) ? _("can carry voice")
                                                                 : _("cannot carry voice"));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TbModemLineDialog) self = user_data;
  TbModemDevice *device = TB_MODEM_DEVICE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean ok = tb_modem_device_open_finish (device, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ok || tb_modem_device_get_manufacturer (device) != NULL) {
    g_autofree char *found = describe (device);

    if (ok && tb_modem_device_get_voice_capable (device))
      text = g_strdup_printf (_("Ready: %s."), found);
    else {
      g_autofree char *words = tb_line_explain_error (
        tb_modem_device_get_voice_error (device) ? tb_modem_device_get_voice_error (device)
        : tb_modem_device_get_last_error (device), NULL);

      text = g_strdup_printf (_("Found %s, but: %s"), found, words);
    }
  } else {
    g_autofree char *hint = NULL;
    g_autofree char *words = tb_line_explain_error (error ? error->message : NULL, &hint);

    text = g_strdup_printf ("%s %s", words, hint);
  }
  adw_action_row_set_subtitle (self->check_row, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->check_row),
                               error ? error->message : tb_modem_device_get_last_error (device));
  tb_modem_device_close (device);
  g_clear_object (&self->probing);
  on_row_changed (self);
}

static void
on_check_clicked (TbModemLineDialog *self)
{
  g_autofree char *device = tb_page_row_text (self->device_row);
  g_autofree char *audio = tb_page_row_text (self->audio_row);
  TbModemVendor vendor = TB_MODEM_VENDOR_UNKNOWN;
  const char *name = vendors[MIN (adw_combo_row_get_selected (self->vendor_row),
                                  G_N_ELEMENTS (vendors) - 1)];

  if (device == NULL || self->probing != NULL)
    return;
  if (name != NULL)
    tb_modem_vendor_from_string (name, &vendor);
  adw_action_row_set_subtitle (self->check_row, _("Asking the modem…"));
  self->probing = tb_modem_device_new (device, audio, vendor);
  tb_modem_device_open_async (self->probing, self->cancellable, open_cb, g_object_ref (self));
  on_row_changed (self);
}

static void
add_line (TbModemLineDialog *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbStore *store = tb_application_get_default_store ();
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *name = tb_page_row_text (self->name_row);
  g_autofree char *json = build_config (self);
  g_autoptr(TbLine) line = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL || name == NULL)
    return;
  if (tb_store_find_line (store, name) > 0) {
    g_autofree char *message = g_strdup_printf (_("A line named “%s” exists already"), name);

    tb_page_report (parent, message);
    return;
  }
  /* Built once to check the settings, as the command line does; nothing is opened. */
  if ((line = tb_line_new_for_config (name, "modem", json, 1, &error)) == NULL ||
      tb_store_add_line (store, name, "modem", json, 1, &error) == 0) {
    g_autofree char *words = tb_line_explain_error (error->message, NULL);

    tb_page_report (parent, words);
    return;
  }
  tb_application_store_changed (app, "lines");
}

static void
tb_modem_line_dialog_response (AdwMessageDialog *dialog,
                               const char       *response)
{
  TbModemLineDialog *self = TB_MODEM_LINE_DIALOG (dialog);

  g_cancellable_cancel (self->cancellable);
  if (g_str_equal (response, "add"))
    add_line (self);
}

static void
tb_modem_line_dialog_dispose (GObject *object)
{
  TbModemLineDialog *self = TB_MODEM_LINE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->probing != NULL)
    tb_modem_device_close (self->probing);
  g_clear_object (&self->probing);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tb_modem_line_dialog_parent_class)->dispose (object);
}

static void
tb_modem_line_dialog_class_init (TbModemLineDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = tb_modem_line_dialog_dispose;
  dialog_class->response = tb_modem_line_dialog_response;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-modem-line-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TbModemLineDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TbModemLineDialog, device_row);
  gtk_widget_class_bind_template_child (widget_class, TbModemLineDialog, audio_row);
  gtk_widget_class_bind_template_child (widget_class, TbModemLineDialog, device_ports);
  gtk_widget_class_bind_template_child (widget_class, TbModemLineDialog, audio_ports);
  gtk_widget_class_bind_template_child (widget_class, TbModemLineDialog, vendor_row);
  gtk_widget_class_bind_template_child (widget_class, TbModemLineDialog, check_row);
  gtk_widget_class_bind_template_child (widget_class, TbModemLineDialog, check_button);
  gtk_widget_class_bind_template_callback (widget_class, on_check_clicked);
  gtk_widget_class_install_action (widget_class, "modem.device", "s", pick_port);
  gtk_widget_class_install_action (widget_class, "modem.audio", "s", pick_port);
}

static void
tb_modem_line_dialog_init (TbModemLineDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  fill_ports_menu (self, self->device_ports, "modem.device");
  fill_ports_menu (self, self->audio_ports, "modem.audio");
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_row_changed), self);
  g_signal_connect_swapped (self->device_row, "changed", G_CALLBACK (on_row_changed), self);
}

GtkWidget *
tb_modem_line_dialog_new (GtkWindow *parent)
{
  return g_object_new (TB_TYPE_MODEM_LINE_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
}
