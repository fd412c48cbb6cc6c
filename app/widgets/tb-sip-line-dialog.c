/* tb-sip-line-dialog.c — add a SIP line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The settings go to the lines table as JSON; the password goes to libsecret under the line's
 * name, where TbSipLine looks it up. "Add" stays disabled until a name and a domain are set.
 */
#define G_LOG_DOMAIN "tb-sip-line-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tb-application.h"
#include "tb-page-util.h"
#include "tb-lines-config.h"
#include "tb-sip-line-dialog.h"
#include "tb-store-config.h"
#include "tb-store-lines.h"
#include "tb-window.h"
#if TB_HAVE_SIP
#include "tb-sip-line.h"
#endif

struct _TbSipLineDialog
{
  AdwMessageDialog  parent_instance;

  /* template widgets */
  AdwEntryRow      *name_row;
  AdwEntryRow      *domain_row;
  AdwEntryRow      *user_row;
  AdwEntryRow      *password_row;
  AdwEntryRow      *registrar_row;
  AdwEntryRow      *proxy_row;
  AdwEntryRow      *caller_id_row;
  AdwComboRow      *transport_row;

  /* owned */
  char             *editing;    /* the line's name when editing, else NULL */
  int               max_calls;
};

G_DEFINE_FINAL_TYPE (TbSipLineDialog, tb_sip_line_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
on_row_changed (TbSipLineDialog *self)
{
  g_autofree char *name = tb_page_row_text (self->name_row);
  g_autofree char *domain = tb_page_row_text (self->domain_row);
  g_autofree char *user = tb_page_row_text (self->user_row);
  g_autofree char *registrar = tb_page_row_text (self->registrar_row);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add",
                                           name != NULL && domain != NULL &&
                                           (registrar == NULL || user != NULL));
}

#if TB_HAVE_SIP
static void
store_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_sip_line_store_password_finish (result, &error)) {
    g_autofree char *message = g_strdup_printf (_("The password could not be saved in the "
                                                  "keyring: %s"), error->message);
    tb_page_report (parent, message);
  } else if (TB_APPLICATION_DEFAULT != NULL) {
    /* The line can sign in now: let the Lines page bring it up again. */
    tb_application_store_changed (TB_APPLICATION_DEFAULT, "lines");
  }
}
#endif

static char *
build_config (TbSipLineDialog *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  struct { const char *key; AdwEntryRow *row; } fields[] = {
    { "domain", self->domain_row }, { "user", self->user_row },
    { "registrar", self->registrar_row }, { "outbound_proxy", self->proxy_row },
    { "caller_id", self->caller_id_row },
  };

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++) {
    g_autofree char *value = tb_page_row_text (fields[i].row);

    if (value != NULL) {
      json_builder_set_member_name (b, fields[i].key);
      json_builder_add_string_value (b, value);
    }
  }
  json_builder_set_member_name (b, "transport");
  json_builder_add_string_value (b, adw_combo_row_get_selected (self->transport_row) == 1
                                      ? "tcp" : "udp");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
save_password (TbSipLineDialog *self,
               const char      *name)
{
#if TB_HAVE_SIP
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (*password != '\0')
    tb_sip_line_store_password_async (name, password, NULL, store_password_cb,
                                      parent ? g_object_ref (parent) : NULL);
#endif
}

static void
save_line (TbSipLineDialog *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbStore *store = tb_application_get_default_store ();
  g_autofree char *json = build_config (self);
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;
  if (!tb_store_update_line (store, self->editing, json, self->max_calls, TRUE, &error)) {
    tb_page_report (gtk_window_get_transient_for (GTK_WINDOW (self)), error->message);
    return;
  }
  save_password (self, self->editing);
  tb_application_store_changed (app, "lines");
}

static void
add_line (TbSipLineDialog *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbStore *store = tb_application_get_default_store ();
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = tb_page_row_text (self->name_row);
  g_autofree char *json = NULL;

  if (store == NULL || name == NULL)
    return;
  if (tb_store_find_line (store, name) > 0) {
    g_autofree char *message = g_strdup_printf (_("A line named “%s” exists already"), name);
    tb_page_report (parent, message);
    return;
  }
  json = build_config (self);
  if (tb_store_add_line (store, name, "sip", json, 4, &error) == 0) {
    tb_page_report (parent, error->message);
    return;
  }
  save_password (self, name);
  tb_application_store_changed (app, "lines");
}

static void
tb_sip_line_dialog_response (AdwMessageDialog *dialog,
                             const char       *response)
{
  TbSipLineDialog *self = TB_SIP_LINE_DIALOG (dialog);

  if (g_str_equal (response, "add") && self->editing != NULL)
    save_line (self);
  else if (g_str_equal (response, "add"))
    add_line (self);
}

static void
tb_sip_line_dialog_finalize (GObject *object)
{
  TbSipLineDialog *self = TB_SIP_LINE_DIALOG (object);

  g_free (self->editing);

  G_OBJECT_CLASS (tb_sip_line_dialog_parent_class)->finalize (object);
}

static void
tb_sip_line_dialog_class_init (TbSipLineDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->finalize = tb_sip_line_dialog_finalize;
  dialog_class->response = tb_sip_line_dialog_response;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-sip-line-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TbSipLineDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TbSipLineDialog, domain_row);
  gtk_widget_class_bind_template_child (widget_class, TbSipLineDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, TbSipLineDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, TbSipLineDialog, registrar_row);
  gtk_widget_class_bind_template_child (widget_class, TbSipLineDialog, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, TbSipLineDialog, caller_id_row);
  gtk_widget_class_bind_template_child (widget_class, TbSipLineDialog, transport_row);
}

static void
tb_sip_line_dialog_init (TbSipLineDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_row_changed), self);
  g_signal_connect_swapped (self->domain_row, "changed", G_CALLBACK (on_row_changed), self);
  g_signal_connect_swapped (self->user_row, "changed", G_CALLBACK (on_row_changed), self);
  g_signal_connect_swapped (self->registrar_row, "changed", G_CALLBACK (on_row_changed), self);
}

GtkWidget *
tb_sip_line_dialog_new (GtkWindow *parent)
{
  return g_object_new (TB_TYPE_SIP_LINE_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
}

GtkWidget *
tb_sip_line_dialog_new_edit (GtkWindow  *parent,
                             const char *name)
{
  TbStore *store = tb_application_get_default_store ();
  TbSipLineDialog *self = TB_SIP_LINE_DIALOG (tb_sip_line_dialog_new (parent));
  g_autoptr(TbLineRow) row = store ? tb_store_get_line (store, name, NULL) : NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  struct { const char *key; AdwEntryRow *row; } fields[] = {
    { "domain", self->domain_row }, { "user", self->user_row },
    { "registrar", self->registrar_row }, { "outbound_proxy", self->proxy_row },
    { "caller_id", self->caller_id_row },
  };

  self->editing = g_strdup (name);
  self->max_calls = row ? row->max_calls : 4;
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Edit SIP Line"));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                               _("Leave the password empty to keep the one in the keyring."));
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "add", _("_Save"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), FALSE);
  if (row != NULL && json_parser_load_from_data (parser, row->config, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    JsonObject *o = json_node_get_object (json_parser_get_root (parser));

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      gtk_editable_set_text (GTK_EDITABLE (fields[i].row),
                             json_object_get_string_member_with_default (o, fields[i].key, ""));
    adw_combo_row_set_selected (self->transport_row,
                                g_strcmp0 (json_object_get_string_member_with_default (
                                             o, "transport", "udp"), "tcp") == 0 ? 1 : 0);
  }
  return GTK_WIDGET (self);
}
