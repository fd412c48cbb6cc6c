/* tb-scripts-page-actions.c — the script.* actions of the Scripts page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-scripts-page-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-scripts-page-private.h"
#include "tb-store-config.h"

static GtkWindow *
get_window (TbScriptsPage *self)
{
  return GTK_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_WINDOW));
}

/* A name no stored script has yet: @base, "@base 2", … */
static char *
unique_name (TbStore    *store,
             const char *base)
{
  char *name = g_strdup (base);

  for (guint n = 2; tb_store_find_script (store, name) > 0; n++) {
    g_free (name);
    name = g_strdup_printf ("%s %u", base, n);
  }
  return name;
}

/* Opens a script just added to the store, once unsaved changes are settled. */
static void
open_added (TbScriptsPage *self,
            const char    *name)
{
  g_autoptr(GError) error = NULL;

  tb_application_store_changed (TB_APPLICATION_DEFAULT, "scripts");
  if (tb_script_document_get_modified (self->document)) {
    g_free (self->pending);
    self->pending = g_strdup (name);
    gtk_widget_activate_action (GTK_WIDGET (self), "script.settle-changes", NULL);
  } else if (!tb_scripts_page_open_script (self, name, &error)) {
    _tb_scripts_page_toast (self, error->message);
  }
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);
  TbStore *store = tb_application_get_default_store ();
  g_autofree char *name = unique_name (store, _("Untitled Script"));
  g_autofree char *business = tb_store_dup_setting (store, "business-name", NULL);
  g_autofree char *json = tb_script_document_dup_skeleton_json (name, business);
  g_autoptr(GError) error = NULL;

  if (tb_store_save_script (store, name, "en", json, &error) == 0) {
    _tb_scripts_page_toast (self, error->message);
    return;
  }
  open_added (self, name);
}

static void
import_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbScriptsPage *self = g_task_get_source_object (task);
  g_autoptr(TbScriptDocument) probe = tb_script_document_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = g_file_get_basename (G_FILE (source));
  g_autofree char *name = NULL;
  const char *doc_name;
  TbStore *store = tb_application_get_default_store ();

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, NULL, NULL, &error) ||
      !tb_script_document_load_json (probe, contents, &error)) {
    g_prefix_error (&error, "%s: ", base);
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (store == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No database"));
    return;
  }
  doc_name = tb_script_document_get_name (probe);
  if (doc_name == NULL || doc_name[0] == '\0') {
    char *dot = strrchr (base, '.');

    if (dot != NULL && dot != base)
      *dot = '\0';
    doc_name = base;
  }
  name = unique_name (store, doc_name);
  if (tb_store_save_script (store, name, tb_script_document_get_language (probe), contents,
                            &error) == 0) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  open_added (self, name);
  g_task_return_pointer (task, g_steal_pointer (&name), g_free);
}

/* Reads a script file into the store under a new name (the document's own
 * name when free) and opens it. */
void
tb_scripts_page_import_file_async (TbScriptsPage       *self,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TB_IS_SCRIPTS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_scripts_page_import_file_async);
  g_file_load_contents_async (file, cancellable, import_loaded_cb, task);
}

/* Returns the name the script got in the store. */
char *
tb_scripts_page_import_file_finish (TbScriptsPage  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_file_get_basename (G_FILE (source));

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error)) {
    g_prefix_error (&error, "%s: ", base);
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  g_task_return_boolean (task, TRUE);
}

/* Writes the document being edited, as it is now, to @file. */
void
tb_scripts_page_export_file_async (TbScriptsPage       *self,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  char *json;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (TB_IS_SCRIPTS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_scripts_page_export_file_async);
  json = tb_script_document_to_json (self->document);
  bytes = g_bytes_new_take (json, strlen (json));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE, cancellable,
                                       export_written_cb, task);
}

gboolean
tb_scripts_page_export_file_finish (TbScriptsPage  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = tb_scripts_page_import_file_finish (self, result, &error);

  if (name == NULL)
    _tb_scripts_page_toast (self, error->message);
}

static void
on_import_response (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(TbScriptsPage) self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    tb_scripts_page_import_file_async (self, file, NULL, imported_cb, NULL);
  g_object_unref (chooser);
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Scripts (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_pattern (filter, "*.json");
  return filter;
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = json_filter ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Import a Script"), get_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (!tb_scripts_page_export_file_finish (self, result, &error)) {
    _tb_scripts_page_toast (self, error->message);
    return;
  }
  message = g_strdup_printf (_("Exported to “%s”"), base);
  _tb_scripts_page_toast (self, message);
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(TbScriptsPage) self = user_data;
  GFile *file;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    tb_scripts_page_export_file_async (self, file, NULL, exported_cb, file);
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = json_filter ();
  g_autofree char *file_name = g_strdup_printf ("%s.json", self->current);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export the Script"), get_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    TbScriptsPage    *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "script-name");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete"))
    return;
  if (!tb_store_delete_script (tb_application_get_default_store (), name, &error)) {
    _tb_scripts_page_toast (self, error->message);
    return;
  }
  if (g_strcmp0 (name, self->current) == 0) {
    g_clear_pointer (&self->current, g_free);
    /* Nothing left to save: the next script opens without asking. */
    tb_script_document_set_saved (self->document);
  }
  tb_application_store_changed (TB_APPLICATION_DEFAULT, "scripts");
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);
  g_autofree char *heading = g_strdup_printf (_("Delete “%s”?"), self->current);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (get_window (self), heading,
                                   _("The script is removed from Telebot. Export it first to "
                                     "keep a copy."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "script-name", g_strdup (self->current), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!_tb_scripts_page_save (self, &error))
    _tb_scripts_page_toast (self, error->message);
}

static void
on_settle_response (AdwMessageDialog *dialog,
                    const char       *response,
                    TbScriptsPage    *self)
{
  g_autofree char *pending = g_steal_pointer (&self->pending);
  gboolean closing = self->closing;
  g_autoptr(GError) error = NULL;

  self->closing = FALSE;
  if (g_str_equal (response, "cancel") || (pending == NULL && !closing)) {
    self->filling = TRUE;
    _tb_scripts_page_select_name (self, self->current);
    self->filling = FALSE;
    return;
  }
  if (g_str_equal (response, "save") && !_tb_scripts_page_save (self, &error)) {
    _tb_scripts_page_toast (self, error->message);
    return;
  }
  if (closing) {
    /* Saved or dropped: nothing holds the window any more. */
    tb_script_document_set_saved (self->document);
    gtk_window_close (get_window (self));
    return;
  }
  if (!tb_scripts_page_open_script (self, pending, &error))
    _tb_scripts_page_toast (self, error->message);
}

/* Before another script opens, or the window closes: save or drop the changes. */
static void
settle_changes_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);
  g_autofree char *heading = g_strdup_printf (_("Save Changes to “%s”?"), self->current);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (get_window (self), heading,
                                   _("Changes that are not saved are lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_settle_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_node_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);
  const char *type = g_variant_get_string (param, NULL);
  g_autofree char *id = NULL;

  if (!g_strv_contains (tb_script_node_types, type))
    return;
  id = tb_flow_canvas_add_node (self->canvas, type);
  tb_node_inspector_set_node_id (self->inspector, id);
}

/* A problem's "Mark this node as saying it": the node says the disclosure the check misses. */
static void
mark_disclosure_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);
  const char *node_id, *disclosure;

  g_variant_get (param, "(&s&s)", &node_id, &disclosure);
  if (!tb_script_document_has_node (self->document, node_id))
    return;
  tb_script_document_set_node_disclosure (self->document, node_id, disclosure, TRUE);
  /* The inspector shows the node with its switch now on. */
  tb_flow_canvas_select_node (self->canvas, node_id);
}

static void
delete_node_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);
  g_autofree char *id = g_strdup (tb_flow_canvas_get_selected_node (self->canvas));

  tb_script_document_remove_node (self->document, id);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);

  if (g_str_equal (action_name, "script.undo"))
    tb_script_document_undo (self->document);
  else
    tb_script_document_redo (self->document);
}

static void
auto_layout_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);

  tb_script_document_checkpoint (self->document);
  tb_script_document_auto_layout (self->document, FALSE);
  tb_flow_canvas_zoom_to_fit (self->canvas);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (widget);
  double zoom = tb_flow_canvas_get_zoom (self->canvas);

  if (g_str_equal (action_name, "script.zoom-in"))
    tb_flow_canvas_set_zoom (self->canvas, zoom * 1.25);
  else if (g_str_equal (action_name, "script.zoom-out"))
    tb_flow_canvas_set_zoom (self->canvas, zoom / 1.25);
  else
    tb_flow_canvas_zoom_to_fit (self->canvas);
}

void
_tb_scripts_page_update_actions (TbScriptsPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean open = self->current != NULL;
  gboolean store = tb_application_get_default_store () != NULL;

  gtk_widget_action_set_enabled (widget, "script.new", store);
  gtk_widget_action_set_enabled (widget, "script.import", store);
  gtk_widget_action_set_enabled (widget, "script.export", open);
  gtk_widget_action_set_enabled (widget, "script.delete", open);
  gtk_widget_action_set_enabled (widget, "script.save",
                                 open && tb_script_document_get_modified (self->document));
  gtk_widget_action_set_enabled (widget, "script.add-node", open);
  gtk_widget_action_set_enabled (widget, "script.delete-node",
                                 open && tb_flow_canvas_get_selected_node (self->canvas) != NULL);
  gtk_widget_action_set_enabled (widget, "script.undo",
                                 open && tb_script_document_can_undo (self->document));
  gtk_widget_action_set_enabled (widget, "script.redo",
                                 open && tb_script_document_can_redo (self->document));
  gtk_widget_action_set_enabled (widget, "script.auto-layout", open);
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  _tb_scripts_page_toggle_sidebar (TB_SCRIPTS_PAGE (widget));
}

void
_tb_scripts_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "script.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "script.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "script.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "script.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "script.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "script.settle-changes", NULL,
                                   settle_changes_action);
  gtk_widget_class_install_action (widget_class, "script.add-node", "s", add_node_action);
  gtk_widget_class_install_action (widget_class, "script.delete-node", NULL, delete_node_action);
  gtk_widget_class_install_action (widget_class, "script.mark-disclosure", "(ss)",
                                   mark_disclosure_action);
  gtk_widget_class_install_action (widget_class, "script.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "script.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "script.auto-layout", NULL, auto_layout_action);
  gtk_widget_class_install_action (widget_class, "script.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "script.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "script.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "script.toggle-sidebar", NULL,
                                   toggle_sidebar_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "script.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "script.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "script.add-node", "s", "say");
}
