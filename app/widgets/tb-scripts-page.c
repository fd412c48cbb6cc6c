/* tb-scripts-page.c — the Scripts page: the script list and the script editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page owns the document being edited and the script.* actions; the
 * canvas, the inspectors and the bottom panels all look at that document.
 */
#define G_LOG_DOMAIN "tb-scripts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-not-understood.h"
#include "tb-page-util.h"
#include "tb-scripts-page-private.h"
#include "tb-store-config.h"
#include "tb-window.h"

G_DEFINE_FINAL_TYPE (TbScriptsPage, tb_scripts_page, ADW_TYPE_BIN)

#define CHECK_DELAY_MS 400

void
_tb_scripts_page_toast (TbScriptsPage *self,
                        const char    *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), TB_TYPE_WINDOW);

  if (window != NULL)
    tb_window_show_toast (TB_WINDOW (window), message);
  else
    g_message ("%s", message);
}

static gboolean
run_check_cb (gpointer user_data)
{
  TbScriptsPage *self = user_data;
  g_autoptr(GPtrArray) problems = NULL;

  self->check_source = 0;
  problems = self->check_func (self->document, self->check_data);
  tb_problems_list_set_problems (self->problems, problems);
  adw_view_stack_page_set_badge_number (self->problems_page, problems ? problems->len : 0);
  adw_view_stack_page_set_needs_attention (self->problems_page, problems && problems->len > 0);
  return G_SOURCE_REMOVE;
}

static void
queue_check (TbScriptsPage *self)
{
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add_full (G_PRIORITY_DEFAULT, CHECK_DELAY_MS, run_check_cb,
                                           g_object_ref (self), g_object_unref);
}

static void
update_title (TbScriptsPage *self)
{
  gboolean modified = tb_script_document_get_modified (self->document);
  g_autofree char *title = NULL;

  title = modified ? g_strdup_printf ("• %s", self->current ? self->current : "")
                   : g_strdup (self->current ? self->current : "");
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->subtitle_label, modified ? _("Unsaved changes")
                                                     : _("All changes saved"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label),
                               tb_script_document_get_name (self->document));
}

static void
on_document_changed (TbScriptsPage *self)
{
  _tb_scripts_page_update_actions (self);
  queue_check (self);
}

static void
on_document_modified (TbScriptsPage *self)
{
  update_title (self);
  _tb_scripts_page_update_actions (self);
}

static void
on_canvas_node_selected (TbScriptsPage *self,
                         const char    *node_id)
{
  tb_node_inspector_set_node_id (self->inspector, node_id);
  if (node_id != NULL)
    adw_view_stack_set_visible_child_name (self->side_stack, "node");
}

/* A rename in the inspector: the canvas follows the new id. */
static void
on_inspector_node_id (TbScriptsPage *self)
{
  const char *node_id = tb_node_inspector_get_node_id (self->inspector);

  if (node_id != NULL)
    tb_flow_canvas_select_node (self->canvas, node_id);
}

static void
on_problem_activated (TbScriptsPage *self,
                      const char    *node_id)
{
  tb_flow_canvas_select_node (self->canvas, node_id);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
on_try_it_node_reached (TbScriptsPage *self,
                        const char    *node_id)
{
  tb_flow_canvas_set_highlighted_node (self->canvas, node_id);
}

static gboolean
update_zoom_label_cb (gpointer user_data)
{
  TbScriptsPage *self = user_data;
  g_autofree char *label = g_strdup_printf ("%d%%",
                                            (int) (tb_flow_canvas_get_zoom (self->canvas) * 100 +
                                                   0.5));

  self->zoom_idle = 0;
  gtk_button_set_label (self->zoom_button, label);
  return G_SOURCE_REMOVE;
}

/* The canvas may zoom while it is being allocated: relabel afterwards. */
static void
on_canvas_zoom (TbScriptsPage *self)
{
  if (self->zoom_idle == 0)
    self->zoom_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_zoom_label_cb,
                                       g_object_ref (self), g_object_unref);
}

static void
on_list_row_selected (TbScriptsPage *self,
                      GtkListBoxRow *row)
{
  g_autoptr(GError) error = NULL;
  const char *name;

  if (self->filling || row == NULL)
    return;
  name = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  if (g_strcmp0 (name, self->current) == 0)
    return;
  if (tb_script_document_get_modified (self->document)) {
    g_free (self->pending);
    self->pending = g_strdup (name);
    gtk_widget_activate_action (GTK_WIDGET (self), "script.settle-changes", NULL);
    return;
  }
  if (!tb_scripts_page_open_script (self, name, &error))
    _tb_scripts_page_toast (self, error->message);
}

void
_tb_scripts_page_select_name (TbScriptsPage *self,
                              const char    *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0) {
      gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
      return;
    }
  }
}

/* The store changed: refill the list, keep the script being edited. */
void
_tb_scripts_page_reload (TbScriptsPage *self)
{
  TbStore *store = tb_application_get_default_store ();
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *first;
  gboolean empty;

  self->filling = TRUE;
  empty = tb_page_fill_names (self->list, "scripts");
  self->filling = FALSE;
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "content");

  if (self->current != NULL && store != NULL && tb_store_find_script (store, self->current) > 0) {
    self->filling = TRUE;
    _tb_scripts_page_select_name (self, self->current);
    self->filling = FALSE;
    return;
  }
  g_clear_pointer (&self->current, g_free);
  if ((first = gtk_list_box_get_row_at_index (self->list, 0)) != NULL) {
    const char *name = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first));

    if (!tb_scripts_page_open_script (self, name, &error))
      _tb_scripts_page_toast (self, error->message);
  }
  _tb_scripts_page_update_actions (self);
}

gboolean
_tb_scripts_page_save (TbScriptsPage  *self,
                       GError        **error)
{
  TbStore *store = tb_application_get_default_store ();
  g_autofree char *json = NULL;

  if (store == NULL || self->current == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No script is open"));
    return FALSE;
  }
  json = tb_script_document_to_json (self->document);
  if (tb_store_save_script (store, self->current,
                            tb_script_document_get_language (self->document), json, error) == 0)
    return FALSE;
  tb_script_document_set_saved (self->document);
  tb_application_store_changed (TB_APPLICATION_DEFAULT, "scripts");
  return TRUE;
}

static gboolean
on_window_close_request (TbScriptsPage *self,
                         GtkWindow     *window)
{
  if (self->current == NULL || !tb_script_document_get_modified (self->document))
    return FALSE;
  self->closing = TRUE;
  g_clear_pointer (&self->pending, g_free);
  gtk_widget_activate_action (GTK_WIDGET (self), "script.settle-changes", NULL);
  return TRUE;
}

/* Below this width the list of scripts makes way for the canvas (F9 brings it back). */
#define NARROW_WIDTH 1000

/* The window's width, not the page's: a page wider than its window (its minimum too wide for
 * it) is exactly the case to fix. */
static int
window_width (TbScriptsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return root != NULL ? gtk_widget_get_width (GTK_WIDGET (root))
                      : gtk_widget_get_width (GTK_WIDGET (self));
}

static gboolean
layout_idle_cb (gpointer data)
{
  TbScriptsPage *self = data;
  gboolean narrow;
  int height = gtk_widget_get_height (GTK_WIDGET (self->vpaned));
  int width = window_width (self);

  self->layout_idle = 0;
  if (width <= 0)
    return G_SOURCE_REMOVE;
  narrow = width < NARROW_WIDTH;
  /* Crossing the line hides (or brings back) the list; in between, the user's F9 stands. */
  if (narrow != self->narrow) {
    self->narrow = narrow;
    gtk_widget_set_visible (self->sidebar, !narrow);
    gtk_toggle_button_set_active (self->sidebar_button, !narrow);
  }
  /* The Problems / Try it panel: a third of the height at most, the canvas keeps the rest;
   * placed again when the window's height changes. */
  if (height > 0 && height != self->panel_height) {
    self->panel_height = height;
    gtk_paned_set_position (self->vpaned, height - MIN (240, height / 3));
  }
  return G_SOURCE_REMOVE;
}

/* The window changed size, or the page came into view: the layout is looked at again. */
static void
queue_layout (TbScriptsPage *self)
{
  if (self->layout_idle == 0)
    self->layout_idle = g_idle_add (layout_idle_cb, self);
}

static void
on_surface_layout (TbScriptsPage *self)
{
  queue_layout (self);
}

/* The surface's "layout" is the size the window really got (a window manager may give another
 * than asked): the idle that follows runs after the page is allocated to it. */
static void
tb_scripts_page_map (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);

  GTK_WIDGET_CLASS (tb_scripts_page_parent_class)->map (widget);
  if (native != NULL && gtk_native_get_surface (native) != NULL)
    g_signal_connect_object (gtk_native_get_surface (native), "layout",
                             G_CALLBACK (on_surface_layout), widget, G_CONNECT_SWAPPED);
  queue_layout (TB_SCRIPTS_PAGE (widget));
}

static void
tb_scripts_page_unmap (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);

  if (native != NULL && gtk_native_get_surface (native) != NULL)
    g_signal_handlers_disconnect_by_func (gtk_native_get_surface (native), on_surface_layout,
                                          widget);
  GTK_WIDGET_CLASS (tb_scripts_page_parent_class)->unmap (widget);
}

static void
tb_scripts_page_root (GtkWidget *widget)
{
  GtkRoot *root;

  GTK_WIDGET_CLASS (tb_scripts_page_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "close-request", G_CALLBACK (on_window_close_request), widget,
                             G_CONNECT_SWAPPED);
}

static void
tb_scripts_page_unroot (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (root != NULL)
    g_signal_handlers_disconnect_by_func (root, on_window_close_request, widget);
  GTK_WIDGET_CLASS (tb_scripts_page_parent_class)->unroot (widget);
}

static void
tb_scripts_page_dispose (GObject *object)
{
  TbScriptsPage *self = TB_SCRIPTS_PAGE (object);

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_handle_id (&self->zoom_idle, g_source_remove);
  g_clear_handle_id (&self->layout_idle, g_source_remove);
  if (self->document != NULL) {
    g_clear_signal_handler (&self->changed_id, self->document);
    g_clear_signal_handler (&self->modified_id, self->document);
  }
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_SCRIPTS_PAGE);
  g_clear_object (&self->document);
  g_clear_pointer (&self->current, g_free);
  g_clear_pointer (&self->pending, g_free);

  G_OBJECT_CLASS (tb_scripts_page_parent_class)->dispose (object);
}

void
_tb_scripts_page_toggle_sidebar (TbScriptsPage *self)
{
  gboolean show = !gtk_widget_get_visible (self->sidebar);

  gtk_widget_set_visible (self->sidebar, show);
  gtk_toggle_button_set_active (self->sidebar_button, show);
}

static void
tb_scripts_page_class_init (TbScriptsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_scripts_page_dispose;
  widget_class->root = tb_scripts_page_root;
  widget_class->map = tb_scripts_page_map;
  widget_class->unmap = tb_scripts_page_unmap;
  widget_class->unroot = tb_scripts_page_unroot;

  g_type_ensure (TB_TYPE_FLOW_CANVAS);
  g_type_ensure (TB_TYPE_NODE_INSPECTOR);
  g_type_ensure (TB_TYPE_INTENTS_EDITOR);
  g_type_ensure (TB_TYPE_PROBLEMS_LIST);
  g_type_ensure (TB_TYPE_TRY_IT_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-scripts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, list);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, canvas);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, inspector);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, intents_editor);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, problems);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, problems_page);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, side_stack);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, try_it);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, vpaned);
  gtk_widget_class_bind_template_callback (widget_class, on_list_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_node_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_inspector_node_id);
  gtk_widget_class_bind_template_callback (widget_class, on_problem_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_try_it_node_reached);
  gtk_widget_class_bind_template_callback (widget_class, _tb_scripts_page_update_actions);

  _tb_scripts_page_class_init_actions (widget_class);
}

static void
tb_scripts_page_init (TbScriptsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->check_func = _tb_scripts_page_check;
  self->document = tb_script_document_new ();
  self->changed_id = g_signal_connect_swapped (self->document, "changed",
                                               G_CALLBACK (on_document_changed), self);
  self->modified_id = g_signal_connect_swapped (self->document, "notify::modified",
                                                G_CALLBACK (on_document_modified), self);
  tb_flow_canvas_set_document (self->canvas, self->document);
  tb_node_inspector_set_document (self->inspector, self->document);
  tb_intents_editor_set_document (self->intents_editor, self->document);
  tb_try_it_panel_set_document (self->try_it, self->document);
  _tb_scripts_page_set_up_try_it (self->try_it);
  g_signal_connect_object (self->canvas, "notify::zoom", G_CALLBACK (on_canvas_zoom), self,
                           G_CONNECT_SWAPPED);

  tb_page_follow_store (GTK_WIDGET (self), "scripts", G_CALLBACK (_tb_scripts_page_reload));
  _tb_scripts_page_reload (self);
  update_title (self);
}

TbScriptDocument *
tb_scripts_page_get_document (TbScriptsPage *self)
{
  g_return_val_if_fail (TB_IS_SCRIPTS_PAGE (self), NULL);

  return self->document;
}

/* The name (in the store) of the script being edited, or NULL. */
const char *
tb_scripts_page_get_script_name (TbScriptsPage *self)
{
  g_return_val_if_fail (TB_IS_SCRIPTS_PAGE (self), NULL);

  return self->current;
}

/* Opens the stored script @name in the editor, dropping unsaved changes. */
gboolean
tb_scripts_page_open_script (TbScriptsPage  *self,
                             const char     *name,
                             GError        **error)
{
  TbStore *store;
  g_autofree char *json = NULL;
  g_autofree char *laid_out = NULL;
  gint64 id;

  g_return_val_if_fail (TB_IS_SCRIPTS_PAGE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  store = tb_application_get_default_store ();
  if (store == NULL || (id = tb_store_find_script (store, name)) == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no script “%s”"), name);
    return FALSE;
  }
  if ((json = tb_store_dup_script_document (store, id, error)) == NULL)
    return FALSE;
  if (!tb_script_document_load_json (self->document, json, error)) {
    g_prefix_error (error, _("Script “%s”: "), name);
    return FALSE;
  }
  /* Scripts written by hand or imported have no layout yet: arrange them,
   * without making that an edit to undo or to save. */
  tb_script_document_auto_layout (self->document, TRUE);
  laid_out = tb_script_document_to_json (self->document);
  tb_script_document_load_json (self->document, laid_out, NULL);

  g_free (self->current);
  self->current = g_strdup (name);
  self->filling = TRUE;
  _tb_scripts_page_select_name (self, name);
  self->filling = FALSE;

  tb_flow_canvas_set_document (self->canvas, NULL);
  tb_flow_canvas_set_document (self->canvas, self->document);
  tb_node_inspector_set_node_id (self->inspector, NULL);
  tb_try_it_panel_restart (self->try_it);
  update_title (self);
  _tb_scripts_page_update_actions (self);
  g_clear_handle_id (&self->check_source, g_source_remove);
  run_check_cb (self);
  return TRUE;
}

gboolean
tb_scripts_page_add_phrase (TbScriptsPage  *self,
                            const char     *name,
                            const char     *node,
                            const char     *intent,
                            const char     *phrase,
                            GError        **error)
{
  TbStore *store = tb_application_get_default_store ();
  g_autofree char *policies = NULL;

  g_return_val_if_fail (TB_IS_SCRIPTS_PAGE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_strcmp0 (self->current, name) != 0) {
    if (self->current != NULL && tb_script_document_get_modified (self->document)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("Save or discard the changes to “%s” first"), self->current);
      return FALSE;
    }
    if (!tb_scripts_page_open_script (self, name, error))
      return FALSE;
  }
  policies = store ? tb_store_dup_setting (store, "default-policies", NULL) : NULL;
  if (!tb_not_understood_add_phrase (self->document, node, intent, phrase, policies, NULL,
                                     error))
    return FALSE;
  tb_flow_canvas_select_node (self->canvas, node);
  g_clear_handle_id (&self->check_source, g_source_remove);
  run_check_cb (self);
  return TRUE;
}

/* Wires the script checker (tb_script_check() of app/script/) into the Problems list. */
void
tb_scripts_page_set_check_func (TbScriptsPage     *self,
                                TbEditorCheckFunc  func,
                                gpointer           user_data)
{
  g_return_if_fail (TB_IS_SCRIPTS_PAGE (self));

  self->check_func = func ? func : _tb_scripts_page_check;
  self->check_data = user_data;
  queue_check (self);
}
