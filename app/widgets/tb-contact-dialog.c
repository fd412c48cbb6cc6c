/* tb-contact-dialog.c — edit one contact
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwMessageDialog with a boxed list of entry rows, like the other small questions the
 * Contacts page asks. The number is checked as it is typed, so a bad one never reaches Save.
 */
#define G_LOG_DOMAIN "tb-contact-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-contact-dialog.h"
#include "tb-jurisdiction.h"
#include "tb-phone.h"
#include "tb-store-contacts.h"
#include "tb-window.h"

typedef struct {
  TbStore   *store;
  gint64     contact_id;
  char      *region;      /* for numbers written without a country code */
  GtkWidget *name;
  GtkWidget *phone;
  GtkWidget *company;
  GtkWidget *email;
  GtkWidget *timezone;
  GtkWidget *phone_error;
} Edit;

static void
edit_free (gpointer data)
{
  Edit *edit = data;

  g_clear_object (&edit->store);
  g_free (edit->region);
  g_free (edit);
}

static GtkWidget *
add_row (GtkWidget  *list,
         const char *title,
         const char *name,
         const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (row, name);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

/* NULL for an empty or blank entry; else the text without the blanks around it. */
static char *
dup_entry (GtkWidget *entry)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static void
on_phone_changed (GtkEditable      *phone,
                  AdwMessageDialog *dialog)
{
  Edit *edit = g_object_get_data (G_OBJECT (dialog), "edit");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  TbPhoneNumber number;
  gboolean ok = tb_phone_normalize (gtk_editable_get_text (phone), edit->region, &number,
                                    &error);

  if (!ok)
    /* Translators: %s is libphonenumber's reason, in English. */
    message = g_strdup_printf (_("Cannot save: %s"), error->message);
  gtk_label_set_text (GTK_LABEL (edit->phone_error), message ? message : "");
  gtk_widget_set_visible (edit->phone_error, !ok);
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (phone), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (phone), "error");
  adw_message_dialog_set_response_enabled (dialog, "save", ok);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  Edit *edit = g_object_get_data (G_OBJECT (dialog), "edit");
  g_autofree char *raw = dup_entry (edit->phone);
  g_autofree char *name = dup_entry (edit->name);
  g_autofree char *company = dup_entry (edit->company);
  g_autofree char *email = dup_entry (edit->email);
  g_autofree char *timezone = dup_entry (edit->timezone);
  g_autofree char *derived = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));
  TbPhoneNumber number;
  TbContactRow row = { 0 };

  if (!g_str_equal (response, "save"))
    return;
  if (tb_phone_normalize (raw, edit->region, &number, &error)) {
    /* An empty time zone is the number's own, when its country has one. */
    if (timezone == NULL)
      derived = tb_jurisdiction_dup_timezone (number.e164);
    row = (TbContactRow) {
      .e164 = number.e164, .raw_phone = raw, .name = name, .company = company,
      .email = email, .country = number.country[0] ? number.country : NULL,
      .number_type = number.number_type, .timezone = timezone ? timezone : derived,
    };
    if (tb_store_update_contact (edit->store, edit->contact_id, &row, &error)) {
      tb_application_store_changed (TB_APPLICATION_DEFAULT, "contacts");
      return;
    }
  }
  if (TB_IS_WINDOW (parent)) {
    g_autofree char *message = g_strdup_printf (_("The contact was not saved: %s"),
                                                error->message);

    tb_window_show_toast (TB_WINDOW (parent), message);
  }
}

AdwMessageDialog *
tb_contact_dialog_new (GtkWindow *parent,
                       TbStore   *store,
                       TbContact *contact)
{
  AdwMessageDialog *dialog;
  GtkWidget *box, *list;
  const char *country;
  Edit *edit;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);
  g_return_val_if_fail (TB_IS_CONTACT (contact), NULL);

  edit = g_new0 (Edit, 1);
  edit->store = g_object_ref (store);
  edit->contact_id = tb_contact_get_id (contact);
  country = tb_contact_get_country (contact);
  edit->region = country && tb_phone_is_known_region (country) ? g_strdup (country)
                                                               : tb_phone_dup_default_region ();

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Edit Contact"), NULL));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  edit->name = add_row (list, _("Name"), "contact-name", tb_contact_get_name (contact));
  edit->phone = add_row (list, _("Phone"), "contact-phone", tb_contact_get_e164 (contact));
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (edit->phone), GTK_INPUT_PURPOSE_PHONE);
  edit->company = add_row (list, _("Company"), "contact-company",
                           tb_contact_get_company (contact));
  edit->email = add_row (list, _("Email"), "contact-email", tb_contact_get_email (contact));
  edit->timezone = add_row (list, _("Time Zone"), "contact-timezone",
                            tb_contact_get_timezone (contact));
  gtk_box_append (GTK_BOX (box), list);
  edit->phone_error = gtk_label_new (NULL);
  gtk_widget_set_name (edit->phone_error, "contact-phone-error");
  gtk_label_set_wrap (GTK_LABEL (edit->phone_error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (edit->phone_error), 0);
  gtk_widget_add_css_class (edit->phone_error, "error");
  gtk_widget_set_visible (edit->phone_error, FALSE);
  gtk_box_append (GTK_BOX (box), edit->phone_error);
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "edit", edit, edit_free);
  g_signal_connect (edit->phone, "changed", G_CALLBACK (on_phone_changed), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), NULL);
  return dialog;
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    TbStore          *store)
{
  gint64 *id = g_object_get_data (G_OBJECT (dialog), "contact-id");
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete"))
    return;
  if (tb_store_delete_contact (store, *id, &error)) {
    tb_application_store_changed (TB_APPLICATION_DEFAULT, "contacts");
    return;
  }
  if (TB_IS_WINDOW (parent)) {
    g_autofree char *message = g_strdup_printf (_("The contact was not deleted: %s"),
                                                error->message);

    tb_window_show_toast (TB_WINDOW (parent), message);
  }
}

AdwMessageDialog *
tb_contact_dialog_new_delete (GtkWindow *parent,
                              TbStore   *store,
                              TbContact *contact)
{
  const char *name = tb_contact_get_name (contact);
  gint64 id = tb_contact_get_id (contact);
  AdwMessageDialog *dialog;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);
  g_return_val_if_fail (TB_IS_CONTACT (contact), NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Delete “%s”?"),
                                     name && *name ? name : tb_contact_get_e164 (contact));
  adw_message_dialog_format_body (dialog, _("Calls already made to %s stay in the call "
                                            "history, with their outcomes."),
                                  tb_contact_get_e164 (contact));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "contact-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_response),
                         g_object_ref (store), (GClosureNotify) (void (*) (void)) g_object_unref,
                         0);
  return dialog;
}
