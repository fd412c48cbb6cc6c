/* tb-lines-page.c — the Lines page: every line with its live state, add, remove, test call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page brings each configured line up (a SIP line REGISTERs) to show whether it can
 * dial, and keeps it up while the page lives, so the state shown is the line's own.
 */
#define G_LOG_DOMAIN "tb-lines-page"

#include "config.h"

#include "tb-lines-page.h"
#include "tb-application.h"
#include "tb-line.h"
#include "tb-line-registry.h"
#include "tb-lines.h"
#include "tb-modem-line-dialog.h"
#include "tb-page-util.h"
#include "tb-sip-line-dialog.h"
#include "tb-store-lines.h"
#include "tb-window.h"
#include "tb-words.h"

#include <glib/gi18n.h>

#define TEST_CALL_SECONDS 5

struct _TbLinesPage
{
  AdwBin       parent_instance;

  /* template widgets */
  GtkStack    *stack;
  GtkListBox  *list;

  /* owned */
  GHashTable  *lines;       /* name → TbLine, started */
  GHashTable  *signatures;  /* name → kind + config + max calls the line was built from */
  GHashTable  *last_test;   /* name → result of the last test call */
  GHashTable  *build_errors; /* name → why the line could not be built */
  TbCall      *test_call;
  char        *test_line;
  guint        test_hangup_id;
  guint        render_id;   /* a line's state changed: its row is drawn again */
};

G_DEFINE_FINAL_TYPE (TbLinesPage, tb_lines_page, ADW_TYPE_BIN)

static void tb_lines_page_reload (TbLinesPage *self);
static void render (TbLinesPage *self);

static void
toast (TbLinesPage *self,
       const char  *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TB_IS_WINDOW (root))
    tb_window_show_toast (TB_WINDOW (root), message);
}

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "sip") == 0)
    return _("SIP");
  if (g_strcmp0 (kind, "sim") == 0)
    return _("Simulated");
  if (g_strcmp0 (kind, "modem") == 0)
    return _("Modem");
  return kind;
}

static char *
state_text (TbLinesPage *self,
            const char  *name,
            const char  *kind,
            TbLine      *line,
            const char  *build_error)
{
  g_autofree char *state = NULL;
  const char *last = g_hash_table_lookup (self->last_test, name);

  if (line == NULL) {
    g_autofree char *words = tb_line_explain_error (build_error, NULL);

    state = g_strdup_printf (_("Error: %s"), words);
  } else {
    switch (tb_line_get_state (line)) {
    case TB_LINE_STATE_READY:
      state = g_strdup (_("Ready"));
      break;
    case TB_LINE_STATE_REGISTERING:
      state = g_strdup (_("Registering…"));
      break;
    case TB_LINE_STATE_ERROR: {
      g_autofree char *message = tb_line_dup_last_error (line);
      g_autofree char *words = tb_line_explain_error (message, NULL);

      state = g_strdup_printf (_("Error: %s"), words);
      break;
    }
    case TB_LINE_STATE_OFFLINE:
    default:
      state = g_strdup (_("Offline"));
      break;
    }
  }
  if (last != NULL)
    return g_strdup_printf ("%s · %s · %s", kind_label (kind), state, last);
  return g_strdup_printf ("%s · %s", kind_label (kind), state);
}

static gboolean
render_cb (gpointer data)
{
  TbLinesPage *self = data;

  self->render_id = 0;
  render (self);
  return G_SOURCE_REMOVE;
}

/* A line's state is its own (a REGISTER answered, failed): its row is drawn again, without
 * bringing the line up again (that is Retry's, or a change of its settings). */
static void
on_line_state_notify (TbLine      *line,
                      GParamSpec  *pspec,
                      TbLinesPage *self)
{
  if (self->render_id == 0)
    self->render_id = g_idle_add (render_cb, self);
}

/* What is wrong, what to do, and the technical detail one click away. */
static GtkWidget *
details_button (const char *technical)
{
  g_autofree char *hint = NULL;
  g_autofree char *words = tb_line_explain_error (technical, &hint);
  g_autofree char *text = g_strdup_printf ("%s\n%s\n\n%s", words, hint, technical);
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), label);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Details"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_name (button, "line-error-details");
  return button;
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action,
             const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", name);
  return button;
}

/* The page lets go of its line @name (others may still hold it: tb-line-registry.h). */
static void
forget_line (TbLinesPage *self,
             const char  *name)
{
  TbLine *line = g_hash_table_lookup (self->lines, name);

  if (line != NULL)
    g_signal_handlers_disconnect_by_data (line, self);
  g_hash_table_remove (self->signatures, name);
  g_hash_table_remove (self->lines, name);
}

static void
tb_lines_page_reload (TbLinesPage *self)
{
  TbStore *store = tb_application_get_default_store ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (store == NULL || (rows = tb_store_list_lines (store, &error)) == NULL) {
    render (self);
    return;
  }

  for (guint i = 0; i < rows->len; i++) {
    TbLineRow *row = g_ptr_array_index (rows, i);
    g_autofree char *signature = g_strdup_printf ("%s\n%s\n%d", row->kind, row->config,
                                                  row->max_calls);
    g_autoptr(GError) line_error = NULL;
    TbLine *line = g_hash_table_lookup (self->lines, row->name);

    g_hash_table_add (seen, row->name);
    /* Rebuilt when its settings changed, or to retry after an error (a password may have
     * reached the keyring since). */
    if (line == NULL || tb_line_get_state (line) == TB_LINE_STATE_ERROR ||
        g_strcmp0 (g_hash_table_lookup (self->signatures, row->name), signature) != 0) {
      forget_line (self, row->name);
      g_hash_table_remove (self->build_errors, row->name);
      /* The one started line of this configuration: a campaign running on it shares it (one
       * registration, one owner of a modem's ports). */
      line = tb_line_registry_acquire (row->name, row->kind, row->config, row->max_calls,
                                       &line_error);
      if (line != NULL) {
        g_hash_table_insert (self->lines, g_strdup (row->name), line);
        g_hash_table_insert (self->signatures, g_strdup (row->name), g_steal_pointer (&signature));
        g_signal_connect_object (line, "notify::state", G_CALLBACK (on_line_state_notify),
                                 self, 0);
      } else {
        g_hash_table_insert (self->build_errors, g_strdup (row->name),
                             g_strdup (line_error->message));
      }
    }
  }

  /* Lines gone from the store are taken down. */
  g_hash_table_iter_init (&iter, self->lines);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (seen, key)) {
      g_signal_handlers_disconnect_by_data (value, self);
      g_hash_table_remove (self->signatures, key);
      g_hash_table_iter_remove (&iter);
    }
  render (self);
}

/* One row per stored line, with its state as its line has it now. */
static void
render (TbLinesPage *self)
{
  TbStore *store = tb_application_get_default_store ();
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *child;

  g_clear_handle_id (&self->render_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  if (store == NULL || (rows = tb_store_list_lines (store, NULL)) == NULL) {
    gtk_stack_set_visible_child_name (self->stack, "empty");
    return;
  }

  for (guint i = 0; i < rows->len; i++) {
    TbLineRow *row = g_ptr_array_index (rows, i);
    TbLine *line = g_hash_table_lookup (self->lines, row->name);
    const char *build_error = g_hash_table_lookup (self->build_errors, row->name);
    g_autofree char *subtitle = NULL;
    g_autofree char *technical = NULL;
    GtkWidget *widget;

    if (line != NULL && tb_line_get_state (line) == TB_LINE_STATE_ERROR)
      technical = tb_line_dup_last_error (line);
    else if (line == NULL)
      technical = g_strdup (build_error ? build_error : _("not built"));

    widget = adw_action_row_new ();
    g_object_set_data (G_OBJECT (widget), "page", self);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), row->name);
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
    subtitle = state_text (self, row->name, row->kind, line, technical);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
    gtk_widget_set_name (widget, row->name);
    /* A line in error says so at a glance, says what to do, and can be retried. */
    if (technical != NULL) {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      GtkWidget *retry = gtk_button_new_with_label (_("Retry"));

      gtk_widget_add_css_class (icon, "error");
      gtk_widget_add_css_class (widget, "line-error");
      adw_action_row_add_prefix (ADW_ACTION_ROW (widget), icon);
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget), details_button (technical));
      gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
      gtk_widget_set_name (retry, "line-retry");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "lines.retry");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (retry), "s", row->name);
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget), retry);
    }
    if (g_str_equal (row->kind, "sip"))
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget),
                                 icon_button ("document-edit-symbolic", _("Edit"),
                                              "lines.edit", row->name));
    if (line != NULL && technical == NULL) {
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget),
                                 icon_button ("call-start-symbolic", _("Test Call"),
                                              "lines.test-call", row->name));
    }
    adw_action_row_add_suffix (ADW_ACTION_ROW (widget),
                               icon_button ("user-trash-symbolic", _("Remove"),
                                            "lines.remove", row->name));
    gtk_list_box_append (self->list, widget);
  }
  gtk_stack_set_visible_child_name (self->stack, rows->len == 0 ? "empty" : "content");
}

/* Brings a line in error up again (a password may have reached the keyring, the provider may
 * answer now). */
static void
lines_retry (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  TbLinesPage *self = TB_LINES_PAGE (widget);
  const char *name = g_variant_get_string (param, NULL);

  forget_line (self, name);
  tb_lines_page_reload (self);
}

static void
lines_add_sip (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_window_present (GTK_WINDOW (tb_sip_line_dialog_new (GTK_WINDOW (root))));
}

static void
lines_add_modem (GtkWidget  *widget,
                 const char *action,
                 GVariant   *param)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_window_present (GTK_WINDOW (tb_modem_line_dialog_new (GTK_WINDOW (root))));
}

static void
lines_edit (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_window_present (GTK_WINDOW (tb_sip_line_dialog_new_edit (GTK_WINDOW (root),
                                                               g_variant_get_string (param,
                                                                                     NULL))));
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    TbLinesPage      *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  const char *name = g_object_get_data (G_OBJECT (dialog), "line");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "remove") || app == NULL)
    return;
  if (!tb_store_remove_line (tb_application_get_store (app), name, &error)) {
    toast (self, error->message);
    return;
  }
  tb_application_store_changed (app, "lines");
}

static void
lines_remove (GtkWidget  *widget,
              const char *action,
              GVariant   *param)
{
  TbLinesPage *self = TB_LINES_PAGE (widget);
  const char *name = g_variant_get_string (param, NULL);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Remove Line?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will no longer place calls. Its password stays in "
                                    "the keyring."), name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "line", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
test_hangup_cb (gpointer data)
{
  TbLinesPage *self = data;

  self->test_hangup_id = 0;
  if (self->test_call != NULL)
    tb_call_hang_up (self->test_call);
  return G_SOURCE_REMOVE;
}

static void
on_test_call_state (TbCall      *call,
                    GParamSpec  *pspec,
                    TbLinesPage *self)
{
  g_autofree char *result = NULL;

  switch (tb_call_get_state (call)) {
  case TB_CALL_STATE_ANSWERED:
    self->test_hangup_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, TEST_CALL_SECONDS,
                                                       test_hangup_cb, g_object_ref (self),
                                                       g_object_unref);
    break;
  case TB_CALL_STATE_ENDED:
    {
      g_autofree char *how = tb_words_outcome (
        tb_call_end_reason_to_string (tb_call_get_end_reason (call)));

      if (tb_call_get_protocol_code (call) != 0)
        result = g_strdup_printf (_("last test call: %s (%d)"), how,
                                  tb_call_get_protocol_code (call));
      else
        result = g_strdup_printf (_("last test call: %s"), how);
    }
    g_hash_table_insert (self->last_test, g_strdup (self->test_line), g_strdup (result));
    toast (self, result);
    g_clear_handle_id (&self->test_hangup_id, g_source_remove);
    g_signal_handlers_disconnect_by_data (call, self);
    g_clear_object (&self->test_call);
    g_clear_pointer (&self->test_line, g_free);
    tb_lines_page_reload (self);
    break;
  default:
    break;
  }
}

static void
on_test_response (AdwMessageDialog *dialog,
                  const char       *response,
                  TbLinesPage      *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "line");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  TbLine *line = g_hash_table_lookup (self->lines, name);
  g_autoptr(GError) error = NULL;
  TbCall *call;

  if (!g_str_equal (response, "call") || line == NULL || self->test_call != NULL)
    return;
  call = tb_line_dial_number (line, gtk_editable_get_text (entry), &error);
  if (call == NULL) {
    toast (self, error->message);
    return;
  }
  self->test_call = call;
  self->test_line = g_strdup (name);
  g_signal_connect (call, "notify::state", G_CALLBACK (on_test_call_state), self);
}

static void
lines_test_call (GtkWidget  *widget,
                 const char *action,
                 GVariant   *param)
{
  TbLinesPage *self = TB_LINES_PAGE (widget);
  const char *name = g_variant_get_string (param, NULL);
  GtkWidget *dialog, *entry;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Test Call on “%s”"), name);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The call is hung up a few seconds after the answer; its "
                                 "outcome shows on the line."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Number to call"));
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PHONE);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "call", _("_Call"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "call",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "call");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "line", g_strdup (name), g_free);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_test_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tb_lines_page_dispose (GObject *object)
{
  TbLinesPage *self = TB_LINES_PAGE (object);

  g_clear_handle_id (&self->test_hangup_id, g_source_remove);
  g_clear_handle_id (&self->render_id, g_source_remove);
  if (self->test_call != NULL) {
    g_signal_handlers_disconnect_by_data (self->test_call, self);
    tb_call_hang_up (self->test_call);
    g_clear_object (&self->test_call);
  }
  if (self->lines != NULL) {
    GHashTableIter iter;
    gpointer line;

    /* A campaign may keep a line running after the page is gone. */
    g_hash_table_iter_init (&iter, self->lines);
    while (g_hash_table_iter_next (&iter, NULL, &line))
      g_signal_handlers_disconnect_by_data (line, self);
  }
  g_clear_pointer (&self->lines, g_hash_table_unref);
  g_clear_pointer (&self->signatures, g_hash_table_unref);
  g_clear_pointer (&self->last_test, g_hash_table_unref);
  g_clear_pointer (&self->build_errors, g_hash_table_unref);
  g_clear_pointer (&self->test_line, g_free);

  G_OBJECT_CLASS (tb_lines_page_parent_class)->dispose (object);
}

static void
tb_lines_page_class_init (TbLinesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_lines_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-lines-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbLinesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbLinesPage, list);
  gtk_widget_class_install_action (widget_class, "lines.add-sip", NULL, lines_add_sip);
  gtk_widget_class_install_action (widget_class, "lines.add-modem", NULL, lines_add_modem);
  gtk_widget_class_install_action (widget_class, "lines.edit", "s", lines_edit);
  gtk_widget_class_install_action (widget_class, "lines.remove", "s", lines_remove);
  gtk_widget_class_install_action (widget_class, "lines.test-call", "s", lines_test_call);
  gtk_widget_class_install_action (widget_class, "lines.retry", "s", lines_retry);
}

static void
tb_lines_page_init (TbLinesPage *self)
{
  self->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) tb_line_registry_release);
  self->signatures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->last_test = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->build_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  tb_page_follow_store (GTK_WIDGET (self), "lines", G_CALLBACK (tb_lines_page_reload));
  tb_lines_page_reload (self);
}
