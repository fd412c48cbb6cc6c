/* tb-contacts-page-actions.c — what the Contacts page's buttons and menus do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imports (and undoing one), the do-not-call list (add, remove with a reason, export), a list
 * (rename, delete), a contact (edit, delete) and the CSV exports.
 */
#define G_LOG_DOMAIN "tb-contacts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-contact-dialog.h"
#include "tb-contact-export.h"
#include "tb-contacts-page-private.h"
#include "tb-dnc.h"
#include "tb-dnc-export.h"
#include "tb-import-dialog.h"
#include "tb-page-util.h"
#include "tb-phone.h"
#include "tb-store-config.h"
#include "tb-store-dnc.h"
#include "tb-store-imports.h"
#include "tb-window.h"
#include "tb-words.h"

static void
on_undo_import_clicked (TbContactsPage *self,
                        AdwToast       *toast)
{
  gint64 *import_id = g_object_get_data (G_OBJECT (toast), "import-id");

  gtk_widget_activate_action (GTK_WIDGET (self), "contacts.undo-import", "x", *import_id);
}

/* A wrong file, a wrong list: the toast offers to take the import back. */
static void
on_import_finished (TbContactsPage *self,
                    gboolean        success,
                    TbImportDialog *dialog)
{
  const TbImportResult *result = tb_import_dialog_get_result (dialog);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (!success || result == NULL)
    return;
  tb_contacts_page_show_list (self, result->list_id);
  if (result->import_id <= 0 || !TB_IS_WINDOW (root))
    return;
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%ld contact imported into “%s”",
                                        "%ld contacts imported into “%s”", result->imported),
                           (long) result->imported, result->list_name);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  g_object_set_data_full (G_OBJECT (toast), "import-id",
                          g_memdup2 (&result->import_id, sizeof result->import_id), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_import_clicked), self,
                           G_CONNECT_SWAPPED);
  tb_window_add_toast (TB_WINDOW (root), toast);
}

/* Takes back what one import added; contacts already called stay (their calls are history),
 * and the toast says how many. */
static void
undo_import (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (widget);
  TbStore *store = tb_application_get_default_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  TbImportUndo undo;

  if (store == NULL)
    return;
  if (!tb_store_undo_import (store, g_variant_get_int64 (param), &undo, &error)) {
    message = g_strdup_printf (_("The import cannot be undone: %s"), error->message);
  } else if (undo.kept > 0) {
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Import undone, except %ld contact already called: "
                                            "it stays in the list",
                                            "Import undone, except %ld contacts already called: "
                                            "they stay in the list", undo.kept),
                               (long) undo.kept);
  } else if (undo.list_deleted) {
    message = g_strdup (_("Import undone: the list it made is deleted"));
  } else {
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Import undone: %ld contact removed",
                                            "Import undone: %ld contacts removed", undo.removed),
                               (long) undo.removed);
  }
  /* The answer to a click: before whatever toasts wait. */
  if (TB_IS_WINDOW (gtk_widget_get_root (widget))) {
    AdwToast *toast = adw_toast_new (message);

    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    tb_window_add_toast (TB_WINDOW (gtk_widget_get_root (widget)), toast);
  }
  if (undo.list_deleted)
    self->list_id = 0;
  tb_application_store_changed (TB_APPLICATION_DEFAULT, "lists");
}

static void
import_contacts (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (widget);
  TbStore *store = tb_application_get_default_store ();
  TbImportDialog *dialog;

  if (store == NULL)
    return;
  dialog = tb_import_dialog_new (store, self->showing_dnc);
  g_signal_connect_object (dialog, "finished", G_CALLBACK (on_import_finished), self,
                           G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (dialog),
                                GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_consent (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  tb_page_import_consent (widget);
}

static void
add_dnc (GtkWidget  *widget,
         const char *action_name,
         GVariant   *param)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->dnc_entry));
  g_autofree char *region = tb_phone_dup_default_region ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  TbStore *store = tb_application_get_default_store ();
  TbPhoneNumber number;

  if (store == NULL)
    return;
  if (!tb_phone_normalize (text, region, &number, &error) ||
      !tb_dnc_add (store, number.e164, "manual", NULL, g_get_real_time (), &error)) {
    _tb_contacts_page_toast (self, error->message);
    gtk_widget_add_css_class (GTK_WIDGET (self->dnc_entry), "error");
    return;
  }
  gtk_widget_remove_css_class (GTK_WIDGET (self->dnc_entry), "error");
  gtk_editable_set_text (GTK_EDITABLE (self->dnc_entry), "");
  message = g_strdup_printf (_("%s will never be called"), number.e164);
  _tb_contacts_page_toast (self, message);
  tb_application_store_changed (TB_APPLICATION_DEFAULT, "dnc");
}

static void
on_remove_dnc_reason_changed (GtkEditable      *entry,
                              AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "remove", *reason != '\0');
}

static void
on_remove_dnc_response (AdwMessageDialog *dialog,
                        const char       *response,
                        TbContactsPage   *self)
{
  const char *e164 = g_object_get_data (G_OBJECT (dialog), "e164");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  TbStore *store = tb_application_get_default_store ();

  if (!g_str_equal (response, "remove") || store == NULL || *reason == '\0')
    return;
  if (!tb_dnc_remove (store, e164, reason, g_get_real_time (), &error)) {
    _tb_contacts_page_toast (self, error->message);
    return;
  }
  message = g_strdup_printf (_("%s may be called again"), e164);
  _tb_contacts_page_toast (self, message);
  tb_application_store_changed (TB_APPLICATION_DEFAULT, "dnc");
}

/* Taking a number off the list is the one change that lets a business call someone who once
 * said stop: it asks why, and the reason goes to the audit log with it. */
static void
remove_dnc (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (widget);
  TbContact *contact = _tb_contacts_page_selected_dnc (self);
  GtkWidget *dialog, *entry;

  if (contact == NULL) {
    _tb_contacts_page_toast (self, _("Select the number to take off the list first."));
    return;
  }
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                     _("Call %s Again?"), tb_contact_get_e164 (contact));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("This person asked not to be called, or was listed by hand. "
                                 "Say why they may be called again: the reason is kept in the "
                                 "audit log."));
  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "dnc-remove-reason");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (for example: asked us to call)"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "remove", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "e164", g_strdup (tb_contact_get_e164 (contact)),
                          g_free);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_remove_dnc_reason_changed), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_dnc_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------ the list */

static char *
list_name (TbContactsPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->sidebar);

  return row ? g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (row))) : NULL;
}

static void
on_rename_list_response (AdwMessageDialog *dialog,
                         const char       *response,
                         TbContactsPage   *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_application_get_default_store ();

  if (!g_str_equal (response, "rename") || store == NULL || *name == '\0')
    return;
  if (!tb_store_rename_list (store, self->list_id, name, &error)) {
    _tb_contacts_page_toast (self, error->message);
    return;
  }
  tb_application_store_changed (TB_APPLICATION_DEFAULT, "lists");
}

static void
rename_list (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (widget);
  g_autofree char *name = list_name (self);
  GtkWidget *dialog, *entry;

  if (name == NULL || self->showing_dnc)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Rename List"), NULL);
  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "list-new-name");
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_list_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_delete_list_response (AdwMessageDialog *dialog,
                         const char       *response,
                         TbContactsPage   *self)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_application_get_default_store ();

  if (!g_str_equal (response, "delete") || store == NULL)
    return;
  if (!tb_store_delete_list (store, self->list_id, &error)) {
    g_autofree char *message = g_strdup_printf (_("The list cannot be deleted: %s"),
                                                error->message);

    _tb_contacts_page_toast (self, message);
    return;
  }
  self->list_id = 0;
  tb_application_store_changed (TB_APPLICATION_DEFAULT, "lists");
}

/* A list goes with its contacts (their calls stay in the history), unless a running or paused
 * campaign dials it: then it says so. */
static void
delete_list (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (widget);
  g_autofree char *name = list_name (self);
  TbStore *store = tb_application_get_default_store ();
  GtkWidget *dialog;
  gint64 n;

  if (name == NULL || self->showing_dnc || store == NULL)
    return;
  n = tb_store_count_contacts (store, self->list_id, NULL);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s”?"), name);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE, "Its %u contact goes with it.",
                                               "Its %u contacts go with it.", n), (guint) n);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_list_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_contact (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (widget);
  TbContact *contact = _tb_contacts_page_selected_contact (self);
  TbStore *store = tb_application_get_default_store ();

  if (contact == NULL || store == NULL)
    return;
  gtk_window_present (GTK_WINDOW (tb_contact_dialog_new (
    GTK_WINDOW (gtk_widget_get_root (widget)), store, contact)));
}

/* One contact goes; the calls made to it stay in the history. */
static void
delete_contact (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (widget);
  TbContact *contact = _tb_contacts_page_selected_contact (self);
  TbStore *store = tb_application_get_default_store ();

  if (contact == NULL || store == NULL)
    return;
  gtk_window_present (GTK_WINDOW (tb_contact_dialog_new_delete (
    GTK_WINDOW (gtk_widget_get_root (widget)), store, contact)));
}

/* An export's @rows, or -1 after a toast saying why none were written (a cancelled export
 * says nothing). */
static gint64
finish_export (TbContactsPage *self,
               gint64          rows,
               GError         *error)
{
  if (rows < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _tb_contacts_page_toast (self, error->message);
  return rows;
}

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TbContactsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 rows = tb_contacts_export_file_finish (result, &error);

  if (finish_export (self, rows, error) < 0)
    return;
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %lu contact",
                                          "Exported %lu contacts", rows), (gulong) rows);
  _tb_contacts_page_toast (self, message);
}

static void
export_dnc_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TbContactsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 rows = tb_dnc_export_file_finish (result, &error);

  if (finish_export (self, rows, error) < 0)
    return;
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %lu blocked number",
                                          "Exported %lu blocked numbers", rows), (gulong) rows);
  _tb_contacts_page_toast (self, message);
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (user_data);
  TbStore *store = tb_application_get_default_store ();

  if (response == GTK_RESPONSE_ACCEPT && store != NULL) {
    g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
    const char *bom = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "bom");

    if (self->showing_dnc)
      tb_contacts_page_export_dnc (self, file);
    else
      tb_contacts_export_file_async (store, self->list_id, file,
                                     g_strcmp0 (bom, "true") == 0, self->cancellable,
                                     export_cb, g_object_ref (self));
  }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_contacts (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->sidebar);

  if (row == NULL)
    return;
  chooser = gtk_file_chooser_native_new (self->showing_dnc ? _("Export the Do-Not-Call List")
                                                           : _("Export Contacts"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  /* Translators: the file name the do-not-call list is exported to. */
  name = self->showing_dnc ? g_strdup (_("do-not-call.csv"))
                           : g_strdup_printf ("%s.csv",
                                              gtk_widget_get_tooltip_text (GTK_WIDGET (row)));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (!self->showing_dnc) {
    gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "bom",
                                 _("Add a byte-order mark for Excel"), NULL, NULL);
    gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "bom", "true");
  }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_tb_contacts_page_install_actions (GtkWidgetClass *widget_class)
{
  /* The empty state's button and the toolbar's both use this name. */
  gtk_widget_class_install_action (widget_class, "win.import-contacts", NULL, import_contacts);
  gtk_widget_class_install_action (widget_class, "contacts.export", NULL, export_contacts);
  gtk_widget_class_install_action (widget_class, "contacts.add-dnc", NULL, add_dnc);
  gtk_widget_class_install_action (widget_class, "contacts.remove-dnc", NULL, remove_dnc);
  gtk_widget_class_install_action (widget_class, "contacts.rename-list", NULL, rename_list);
  gtk_widget_class_install_action (widget_class, "contacts.delete-list", NULL, delete_list);
  gtk_widget_class_install_action (widget_class, "contacts.edit-contact", NULL, edit_contact);
  gtk_widget_class_install_action (widget_class, "contacts.undo-import", "x", undo_import);
  gtk_widget_class_install_action (widget_class, "contacts.delete-contact", NULL,
                                   delete_contact);
  gtk_widget_class_install_action (widget_class, "contacts.import-consent", NULL,
                                   import_consent);
}

/**
 * tb_contacts_page_export_dnc:
 * @self: a #TbContactsPage
 * @file: where to write
 *
 * Writes the do-not-call list to @file as CSV (tb_dnc_export (), the CSV of
 * `telebot-cli dnc export`), readable by its owner alone, in a thread; a toast tells how
 * many numbers went, or why none did. The Export button of the DNC view asks for @file.
 */
void
tb_contacts_page_export_dnc (TbContactsPage *self,
                             GFile          *file)
{
  TbStore *store = tb_application_get_default_store ();

  g_return_if_fail (TB_IS_CONTACTS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (store == NULL)
    return;
  tb_dnc_export_file_async (store, file, self->cancellable, export_dnc_cb, g_object_ref (self));
}
