/* tb-node-inspector-prompt.c — the node's recorded prompt: import, play, clear
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imported recordings are copied into Telebot's data folder, so that the
 * script keeps working when the original file moves. Recording from the
 * microphone comes with the speech module.
 */
#define G_LOG_DOMAIN "tb-node-inspector-prompt"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-node-inspector-private.h"

typedef struct {
  TbNodeInspector *self;
  char            *node_id;
  char            *dest;
} CopyData;

static void
copy_data_free (CopyData *data)
{
  g_clear_object (&data->self);
  g_free (data->node_id);
  g_free (data->dest);
  g_free (data);
}

static void
report_error (TbNodeInspector *self,
              const char      *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_WINDOW);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (window), _("Cannot Import the Recording"),
                                              message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  CopyData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (source), result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      report_error (data->self, error->message);
  } else if (data->self->document != NULL) {
    tb_script_document_set_node_prompt_file (data->self->document, data->node_id, data->dest);
  }
  copy_data_free (data);
}

static char *
unique_destination (const char *node_id,
                    GFile      *source)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "telebot", "prompts", NULL);
  g_autofree char *base = g_file_get_basename (source);
  char *path = NULL;

  g_mkdir_with_parents (dir, 0700);
  for (guint n = 1; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS); n++) {
    g_autofree char *name = n == 1 ? g_strdup_printf ("%s-%s", node_id, base)
                                   : g_strdup_printf ("%s-%u-%s", node_id, n, base);

    g_free (path);
    path = g_build_filename (dir, name, NULL);
  }
  return path;
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(TbNodeInspector) self = user_data;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) dest = NULL;
  CopyData *data;

  if (response == GTK_RESPONSE_ACCEPT &&
      (source = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      self->node_id != NULL) {
    data = g_new0 (CopyData, 1);
    data->self = g_object_ref (self);
    data->node_id = g_strdup (self->node_id);
    data->dest = unique_destination (self->node_id, source);
    dest = g_file_new_for_path (data->dest);
    g_file_copy_async (source, dest, G_FILE_COPY_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                       NULL, NULL, copy_cb, data);
  }
  g_object_unref (chooser);
}

static void
import_prompt_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TbNodeInspector *self = TB_NODE_INSPECTOR (widget);
  GtkWidget *window = gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import a Recorded Prompt"), GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_filter_set_name (filter, _("Audio files"));
  gtk_file_filter_add_mime_type (filter, "audio/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
clear_prompt_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TbNodeInspector *self = TB_NODE_INSPECTOR (widget);

  _tb_node_inspector_stop_prompt (self);
  tb_script_document_set_node_prompt_file (self->document, self->node_id, NULL);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  TbNodeInspector *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    g_autoptr(GError) error = NULL;

    gst_message_parse_error (message, &error, NULL);
    g_message ("cannot play the recorded prompt: %s", error->message);
  }
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS ||
      GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    self->bus_watch = 0;
    _tb_node_inspector_stop_prompt (self);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

/* Plays the recording, or stops it when it plays. */
static void
play_prompt_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TbNodeInspector *self = TB_NODE_INSPECTOR (widget);
  const char *path;
  g_autoptr(GstBus) bus = NULL;
  g_autofree char *uri = NULL;

  if (self->player != NULL) {
    _tb_node_inspector_stop_prompt (self);
    return;
  }
  path = tb_script_document_get_node_prompt_file (self->document, self->node_id);
  if (path == NULL)
    return;
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  if ((self->player = gst_element_factory_make ("playbin", NULL)) == NULL)
    return;
  gst_object_ref_sink (self->player);
  uri = g_filename_to_uri (path, NULL, NULL);
  g_object_set (self->player, "uri", uri, NULL);
  bus = gst_element_get_bus (self->player);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  gst_element_set_state (self->player, GST_STATE_PLAYING);
}

void
_tb_node_inspector_stop_prompt (TbNodeInspector *self)
{
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->player != NULL) {
    gst_element_set_state (self->player, GST_STATE_NULL);
    gst_clear_object (&self->player);
  }
}

void
_tb_node_inspector_class_init_prompt (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "inspector.import-prompt", NULL,
                                   import_prompt_action);
  gtk_widget_class_install_action (widget_class, "inspector.play-prompt", NULL,
                                   play_prompt_action);
  gtk_widget_class_install_action (widget_class, "inspector.clear-prompt", NULL,
                                   clear_prompt_action);
}
