/* tb-node-inspector-prompt.c — the node's recorded prompt: import, play, clear
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imported recordings are copied into Telebot's data folder, so that the
 * script keeps working when the original file moves; recordings from the
 * desk's microphone (TbDeskRecorder) are written there as 8 kHz WAV files.
 */
#define G_LOG_DOMAIN "tb-node-inspector-prompt"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-node-inspector-private.h"
#include "tb-pcm.h"

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
              const char      *title,
              const char      *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_WINDOW);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (window), title, message);

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
      report_error (data->self, _("Cannot Import the Recording"), error->message);
  } else if (data->self->document != NULL) {
    tb_script_document_set_node_prompt_file (data->self->document, data->node_id, data->dest);
  }
  copy_data_free (data);
}

/* A new file in Telebot's prompt folder: "<node>-<base>", numbered if taken. The node's id
 * is script text: only its letters, digits, '-' and '_' make the name, never a '/' or "..". */
static char *
unique_destination (const char *node_id,
                    const char *base)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "telebot", "prompts", NULL);
  g_autofree char *node = g_str_to_ascii (node_id, "C");
  char *path = NULL;

  for (char *p = node; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      *p = '_';
  g_mkdir_with_parents (dir, 0700);
  for (guint n = 1; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS); n++) {
    g_autofree char *name = n == 1 ? g_strdup_printf ("%s-%s", node, base)
                                   : g_strdup_printf ("%s-%u-%s", node, n, base);

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
    g_autofree char *base = g_file_get_basename (source);

    data = g_new0 (CopyData, 1);
    data->self = g_object_ref (self);
    data->node_id = g_strdup (self->node_id);
    data->dest = unique_destination (self->node_id, base);
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

static void
show_record_row (TbNodeInspector *self)
{
  gboolean recording = self->recorder != NULL && tb_desk_recorder_is_recording (self->recorder);
  g_autofree char *subtitle = NULL;

  if (recording)
    subtitle = g_strdup_printf (_("Recording… %.0f s. Click again to keep it."),
                                tb_desk_recorder_get_seconds (self->recorder));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->record_row),
                                 recording ? _("Stop and Keep the Recording")
                                           : _("Record from the Microphone"));
  adw_action_row_set_subtitle (self->record_row,
                               recording ? subtitle : _("Speak the prompt into the desk's microphone"));
}

static gboolean
record_tick_cb (gpointer data)
{
  show_record_row (data);
  return G_SOURCE_CONTINUE;
}

void
_tb_node_inspector_cancel_recording (TbNodeInspector *self)
{
  g_clear_handle_id (&self->record_tick, g_source_remove);
  if (self->recorder != NULL && tb_desk_recorder_is_recording (self->recorder)) {
    g_autoptr(GBytes) dropped = tb_desk_recorder_stop (self->recorder, NULL);
  }
  g_clear_object (&self->recorder);
  g_clear_pointer (&self->recording_node, g_free);
}

/* Starts recording the node's prompt from the microphone, or stops and keeps it. */
static void
record_prompt_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TbNodeInspector *self = TB_NODE_INSPECTOR (widget);
  g_autoptr(GError) error = NULL;

  if (self->recorder != NULL && tb_desk_recorder_is_recording (self->recorder)) {
    g_autoptr(GBytes) pcm = tb_desk_recorder_stop (self->recorder, &error);
    g_autofree char *path = NULL;

    g_clear_handle_id (&self->record_tick, g_source_remove);
    show_record_row (self);
    if (pcm != NULL) {
      path = unique_destination (self->recording_node, "recorded.wav");
      if (tb_pcm_write_wav (path, g_bytes_get_data (pcm, NULL), g_bytes_get_size (pcm) / 2, 1,
                            TB_PCM_RATE, &error) && self->document != NULL)
        tb_script_document_set_node_prompt_file (self->document, self->recording_node, path);
    }
    g_clear_pointer (&self->recording_node, g_free);
    if (error != NULL)
      report_error (self, _("Cannot Record the Prompt"), error->message);
    return;
  }
  if (self->node_id == NULL)
    return;
  _tb_node_inspector_stop_prompt (self);
  if (self->recorder == NULL)
    self->recorder = tb_desk_recorder_new ();
  if (!tb_desk_recorder_start (self->recorder, &error)) {
    report_error (self, _("Cannot Record the Prompt"), error->message);
    return;
  }
  g_free (self->recording_node);
  self->recording_node = g_strdup (self->node_id);
  self->record_tick = g_timeout_add (250, record_tick_cb, self);
  show_record_row (self);
}

void
_tb_node_inspector_class_init_prompt (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "inspector.record-prompt", NULL,
                                   record_prompt_action);
  gtk_widget_class_install_action (widget_class, "inspector.import-prompt", NULL,
                                   import_prompt_action);
  gtk_widget_class_install_action (widget_class, "inspector.play-prompt", NULL,
                                   play_prompt_action);
  gtk_widget_class_install_action (widget_class, "inspector.clear-prompt", NULL,
                                   clear_prompt_action);
}
