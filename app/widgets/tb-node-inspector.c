/* tb-node-inspector.c — edits the selected node of a script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every widget writes straight into the document (which keeps the undo
 * history); a document change re-reads the widgets unless this inspector
 * made it, so typing never fights with the cursor.
 */
#define G_LOG_DOMAIN "tb-node-inspector"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "tb-node-inspector-private.h"

G_DEFINE_FINAL_TYPE (TbNodeInspector, tb_node_inspector, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_NODE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Index of @target in the targets model: 0 is "nowhere". */
static guint
target_position (TbNodeInspector *self,
                 const char      *target)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->targets));

  for (guint i = 1; target != NULL && i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (self->targets, i), target))
      return i;
  return 0;
}

static const char *
selected_target (TbNodeInspector *self,
                 AdwComboRow     *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->targets, selected);
}

/* Whether a widget's change is the user's edit of a node (not a reload). */
static gboolean
editing (TbNodeInspector *self)
{
  return !self->updating && self->document != NULL && self->node_id != NULL;
}

static void
highlight_variables (TbNodeInspector *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view));
  g_autoptr(GRegex) regex = g_regex_new ("\\{([A-Za-z_][A-Za-z0-9_]*)\\}", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_auto(GStrv) variables = tb_script_document_dup_variables (self->document);
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  GdkRGBA accent, error;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self));

    if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
      gdk_rgba_parse (&accent, "#1c71d8");
    if (!gtk_style_context_lookup_color (style, "error_color", &error))
      gdk_rgba_parse (&error, "#c01c28");
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_object_set (self->variable_tag, "foreground-rgba", &accent, NULL);
  g_object_set (self->unknown_tag, "foreground-rgba", &error, NULL);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->variable_tag, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->unknown_tag, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  for (g_regex_match (regex, text, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL)) {
    g_autofree char *name = g_match_info_fetch (match, 1);
    gboolean known = g_strv_contains ((const char * const *) variables, name);
    GtkTextIter s, e;
    int from, to;

    g_match_info_fetch_pos (match, 0, &from, &to);
    gtk_text_buffer_get_iter_at_offset (buffer, &s, g_utf8_pointer_to_offset (text, text + from));
    gtk_text_buffer_get_iter_at_offset (buffer, &e, g_utf8_pointer_to_offset (text, text + to));
    gtk_text_buffer_apply_tag (buffer, known ? self->variable_tag : self->unknown_tag, &s, &e);
  }
}

static void
fill_targets (TbNodeInspector *self)
{
  g_auto(GStrv) ids = tb_script_document_dup_node_ids (self->document);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = NULL;

  g_strv_builder_add (builder, _("Nowhere"));
  g_strv_builder_addv (builder, (const char **) ids);
  items = g_strv_builder_end (builder);
  gtk_string_list_splice (self->targets, 0, g_list_model_get_n_items (G_LIST_MODEL (self->targets)),
                          (const char * const *) items);
}

static void
on_route_row_selected (AdwComboRow     *row,
                       GParamSpec      *pspec,
                       TbNodeInspector *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "route-key");
  const char *target = selected_target (self, row);

  if (!editing (self) || target == NULL)
    return;
  self->updating = TRUE;
  tb_script_document_set_route (self->document, self->node_id, key, target);
  self->updating = FALSE;
}

static void
on_route_remove_clicked (GtkButton       *button,
                         TbNodeInspector *self)
{
  g_autofree char *key = g_strdup (g_object_get_data (G_OBJECT (button), "route-key"));

  tb_script_document_set_route (self->document, self->node_id, key, NULL);
}

static void
rebuild_routes (TbNodeInspector *self)
{
  g_auto(GStrv) keys = tb_script_document_dup_route_keys (self->document, self->node_id);
  g_auto(GStrv) intents = tb_script_document_dup_intent_ids (self->document, FALSE);
  g_auto(GStrv) globals = tb_script_document_dup_intent_ids (self->document, TRUE);
  g_autoptr(GMenu) menu = g_menu_new ();
  const char * const extra[] = { TB_SCRIPT_ROUTE_NO_INPUT, TB_SCRIPT_ROUTE_NO_MATCH, NULL };
  const char * const *lists[] = { (const char * const *) intents,
                                  (const char * const *) globals, extra };

  for (guint i = 0; i < self->route_rows->len; i++)
    adw_preferences_group_remove (self->routes_group, g_ptr_array_index (self->route_rows, i));
  g_ptr_array_set_size (self->route_rows, 0);

  for (guint i = 0; keys[i] != NULL; i++) {
    GtkWidget *row = adw_combo_row_new ();
    GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
    const char *target = tb_script_document_get_route (self->document, self->node_id, keys[i]);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), keys[i]);
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (self->targets));
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), target_position (self, target));
    g_object_set_data_full (G_OBJECT (row), "route-key", g_strdup (keys[i]), g_free);
    g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_route_row_selected), self, 0);

    gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
    gtk_widget_add_css_class (remove, "flat");
    gtk_widget_set_tooltip_text (remove, _("Remove Route"));
    g_object_set_data_full (G_OBJECT (remove), "route-key", g_strdup (keys[i]), g_free);
    g_signal_connect_object (remove, "clicked", G_CALLBACK (on_route_remove_clicked), self, 0);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

    adw_preferences_group_add (self->routes_group, row);
    g_ptr_array_add (self->route_rows, row);
  }

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++) {
    for (guint i = 0; lists[l][i] != NULL; i++) {
      g_autoptr(GMenuItem) item = NULL;
      g_autoptr(GString) label = NULL;

      if (g_strv_contains ((const char * const *) keys, lists[l][i]))
        continue;
      /* Menu labels take "_" for a mnemonic: "no_input" would show as "noinput". */
      label = g_string_new (lists[l][i]);
      g_string_replace (label, "_", "__", 0);
      item = g_menu_item_new (label->str, NULL);
      g_menu_item_set_action_and_target_value (item, "inspector.add-route",
                                               g_variant_new_string (lists[l][i]));
      g_menu_append_item (menu, item);
    }
  }
  gtk_menu_button_set_menu_model (self->add_route_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_route_button),
                            g_menu_model_get_n_items (G_MENU_MODEL (menu)) > 0);
}

/* What the inspector shows of the document: all but the layout, which
 * changes at every step of a card's drag on the canvas. */
static char *
dup_shown_state (TbNodeInspector *self)
{
  JsonObject *root = json_node_get_object (tb_script_document_get_root (self->document));
  g_autoptr(GList) members = json_object_get_members (root);
  GString *state = g_string_new (self->node_id);

  for (GList *l = members; l != NULL; l = l->next) {
    g_autofree char *json = NULL;

    if (g_str_equal (l->data, "layout"))
      continue;
    json = json_to_string (json_object_get_member (root, l->data), FALSE);
    g_string_append_printf (state, "\n%s=%s", (const char *) l->data, json);
  }
  return g_string_free (state, FALSE);
}

static void
reload (TbNodeInspector *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view));
  const char *type;
  const char *text;
  const char *reason = NULL;
  const char *prompt_file;
  g_autofree char *old_text = NULL;
  GtkTextIter start, end;
  gboolean ask, has_grade;
  int score = 0;
  guint type_index = 0;

  if (self->document == NULL || self->node_id == NULL ||
      !tb_script_document_has_node (self->document, self->node_id)) {
    gtk_stack_set_visible_child_name (self->stack, "none");
    return;
  }
  gtk_stack_set_visible_child_name (self->stack, "node");

  self->updating = TRUE;
  type = tb_script_document_get_node_type (self->document, self->node_id);
  ask = g_strcmp0 (type, "ask") == 0;
  gtk_editable_set_text (GTK_EDITABLE (self->id_row), self->node_id);
  gtk_widget_remove_css_class (GTK_WIDGET (self->id_row), "error");
  for (guint i = 0; tb_script_node_types[i] != NULL; i++)
    if (g_strcmp0 (type, tb_script_node_types[i]) == 0)
      type_index = i;
  adw_combo_row_set_selected (self->type_row, type_index);
  gtk_switch_set_active (self->start_switch,
                         g_strcmp0 (tb_script_document_get_start (self->document),
                                    self->node_id) == 0);

  text = tb_script_document_get_node_text (self->document, self->node_id);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  old_text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (g_strcmp0 (old_text, text ? text : "") != 0)
    gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  highlight_variables (self);

  gtk_widget_set_visible (GTK_WIDGET (self->listen_group),
                          ask || g_strcmp0 (type, "say") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->retries_row), ask);
  {
    gboolean barge = tb_script_document_get_node_barge_in (self->document, self->node_id);

    gtk_switch_set_active (self->barge_in_switch, barge);
    gtk_spin_button_set_value (self->barge_after_spin,
                               tb_script_document_get_node_barge_after (self->document,
                                                                        self->node_id) / 1000.0);
    gtk_switch_set_active (self->barge_backchannels_switch,
                           tb_script_document_get_node_barge_backchannels (self->document,
                                                                           self->node_id));
    gtk_widget_set_visible (GTK_WIDGET (self->barge_after_row), barge);
    gtk_widget_set_visible (GTK_WIDGET (self->barge_backchannels_row), barge);
  }
  gtk_spin_button_set_value (self->retries_spin,
                             tb_script_document_get_node_retries (self->document, self->node_id));
  gtk_widget_set_visible (GTK_WIDGET (self->end_silence_row), ask);
  gtk_widget_set_visible (GTK_WIDGET (self->end_silence_complete_row), ask);
  gtk_spin_button_set_value (self->end_silence_spin,
                             tb_script_document_get_node_end_silence (self->document,
                                                                      self->node_id, FALSE)
                             / 1000.0);
  gtk_spin_button_set_value (self->end_silence_complete_spin,
                             tb_script_document_get_node_end_silence (self->document,
                                                                      self->node_id, TRUE)
                             / 1000.0);

  _tb_node_inspector_show_disclose (self);

  fill_targets (self);
  gtk_widget_set_visible (GTK_WIDGET (self->routes_group), ask);
  if (ask)
    rebuild_routes (self);
  gtk_widget_set_visible (GTK_WIDGET (self->next_group), !ask && g_strcmp0 (type, "hangup") != 0);
  adw_combo_row_set_selected (self->next_row,
                              target_position (self, tb_script_document_get_node_next (
                                                 self->document, self->node_id)));

  has_grade = tb_script_document_get_node_grade (self->document, self->node_id, &score, &reason);
  adw_expander_row_set_enable_expansion (self->grade_row, has_grade);
  gtk_spin_button_set_value (self->score_spin, score);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->reason_row)), reason ? reason : ""))
    gtk_editable_set_text (GTK_EDITABLE (self->reason_row), reason ? reason : "");

  prompt_file = tb_script_document_get_node_prompt_file (self->document, self->node_id);
  if (prompt_file != NULL) {
    g_autofree char *base = g_path_get_basename (prompt_file);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->recording_row), base);
    adw_action_row_set_subtitle (self->recording_row, prompt_file);
  } else {
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->recording_row), _("No Recording"));
    adw_action_row_set_subtitle (self->recording_row, _("The text is spoken by the synthesizer"));
  }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.play-prompt", prompt_file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.clear-prompt",
                                 prompt_file != NULL);
  g_free (self->shown);
  self->shown = dup_shown_state (self);
  self->updating = FALSE;
}

/* The prompt editor follows the light/dark style like the rest of the window. */
static void
on_style_dark (TbNodeInspector *self,
               GParamSpec      *pspec,
               AdwStyleManager *manager)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme =
    gtk_source_style_scheme_manager_get_scheme (schemes, adw_style_manager_get_dark (manager)
                                                         ? "Adwaita-dark" : "Adwaita");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view));

  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer), scheme);
  if (self->document != NULL)
    highlight_variables (self);
}

static void
on_document_changed (TbNodeInspector *self)
{
  g_autofree char *shown = NULL;

  if (self->updating || self->renaming || self->node_id == NULL)
    return;
  shown = dup_shown_state (self);
  if (g_strcmp0 (shown, self->shown) != 0)
    reload (self);
}

static void
on_buffer_changed (TbNodeInspector *self,
                   GtkTextBuffer   *buffer)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (!editing (self))
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  self->updating = TRUE;
  tb_script_document_set_node_text (self->document, self->node_id, text);
  self->updating = FALSE;
  highlight_variables (self);
  /* What the prompt now seems to say. */
  _tb_node_inspector_show_disclose (self);
}

static void
on_id_row_apply (TbNodeInspector *self)
{
  g_autofree char *old_id = g_strdup (self->node_id);
  g_autofree char *new_id = g_strstrip (g_strdup (gtk_editable_get_text (
                                                    GTK_EDITABLE (self->id_row))));
  g_autoptr(GError) error = NULL;
  gboolean renamed;

  if (old_id == NULL)
    return;
  /* The canvas drops its selection while the old id vanishes: stay on the node. */
  self->renaming = TRUE;
  renamed = tb_script_document_rename_node (self->document, old_id, new_id, &error);
  self->renaming = FALSE;
  if (!renamed) {
    gtk_widget_add_css_class (GTK_WIDGET (self->id_row), "error");
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->id_row), error->message);
    return;
  }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->id_row), NULL);
  /* The canvas let go of the old id while the document changed; follow the new one. */
  tb_node_inspector_set_node_id (self, new_id);
}

static void
on_type_row_selected (TbNodeInspector *self)
{
  guint selected = adw_combo_row_get_selected (self->type_row);

  if (!editing (self) || selected >= g_strv_length ((char **) tb_script_node_types))
    return;
  tb_script_document_set_node_type (self->document, self->node_id,
                                    tb_script_node_types[selected]);
}

static void
on_start_switch_active (TbNodeInspector *self)
{
  if (!editing (self))
    return;
  /* A script always has a start: the switch can only move it here. */
  if (gtk_switch_get_active (self->start_switch))
    tb_script_document_set_start (self->document, self->node_id);
  else
    reload (self);
}

static void
on_barge_in_switch_active (TbNodeInspector *self)
{
  if (editing (self))
    tb_script_document_set_node_barge_in (self->document, self->node_id,
                                          gtk_switch_get_active (self->barge_in_switch));
}

static void
on_barge_policy_changed (TbNodeInspector *self)
{
  if (editing (self) && gtk_switch_get_active (self->barge_in_switch))
    tb_script_document_set_node_barge_policy (
      self->document, self->node_id,
      (guint) (gtk_spin_button_get_value (self->barge_after_spin) * 1000 + 0.5),
      gtk_switch_get_active (self->barge_backchannels_switch));
}

static void
on_end_silence_changed (TbNodeInspector *self)
{
  if (!editing (self))
    return;
  tb_script_document_set_node_end_silence (
    self->document, self->node_id, FALSE,
    (guint) (gtk_spin_button_get_value (self->end_silence_spin) * 1000 + 0.5));
  tb_script_document_set_node_end_silence (
    self->document, self->node_id, TRUE,
    (guint) (gtk_spin_button_get_value (self->end_silence_complete_spin) * 1000 + 0.5));
}

static void
on_retries_spin_changed (TbNodeInspector *self)
{
  if (editing (self))
    tb_script_document_set_node_retries (self->document, self->node_id,
                                         gtk_spin_button_get_value_as_int (self->retries_spin));
}

static void
on_next_row_selected (TbNodeInspector *self)
{
  if (!editing (self))
    return;
  self->updating = TRUE;
  tb_script_document_set_node_next (self->document, self->node_id,
                                    selected_target (self, self->next_row));
  self->updating = FALSE;
}

static void
on_grade_changed (TbNodeInspector *self)
{
  if (!editing (self))
    return;
  self->updating = TRUE;
  tb_script_document_set_node_grade (self->document, self->node_id,
                                     adw_expander_row_get_enable_expansion (self->grade_row),
                                     gtk_spin_button_get_value_as_int (self->score_spin),
                                     gtk_editable_get_text (GTK_EDITABLE (self->reason_row)));
  self->updating = FALSE;
}

/* Where a new route goes until it is changed in its row: the node after this one, unless that
 * is the start (a route back to the greeting loops the call); else the first hang-up node;
 * else any node other than this one and the start; else nowhere yet (the checker says so). */
static const char *
new_route_target (TbNodeInspector *self,
                  GStrv            ids)
{
  const char *start = tb_script_document_get_start (self->document);

  for (guint i = 0; ids[i] != NULL; i++)
    if (g_str_equal (ids[i], self->node_id) && ids[i + 1] != NULL &&
        g_strcmp0 (ids[i + 1], start) != 0)
      return ids[i + 1];
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_strcmp0 (tb_script_document_get_node_type (self->document, ids[i]), "hangup") == 0 &&
        !g_str_equal (ids[i], self->node_id))
      return ids[i];
  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_str_equal (ids[i], self->node_id) && g_strcmp0 (ids[i], start) != 0)
      return ids[i];
  return "";
}

static void
add_route_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TbNodeInspector *self = TB_NODE_INSPECTOR (widget);
  g_auto(GStrv) ids = tb_script_document_dup_node_ids (self->document);

  tb_script_document_set_route (self->document, self->node_id,
                                g_variant_get_string (param, NULL), new_route_target (self, ids));
}

static void
tb_node_inspector_dispose (GObject *object)
{
  TbNodeInspector *self = TB_NODE_INSPECTOR (object);

  _tb_node_inspector_stop_prompt (self);
  _tb_node_inspector_cancel_recording (self);
  tb_node_inspector_set_document (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_NODE_INSPECTOR);
  g_clear_pointer (&self->route_rows, g_ptr_array_unref);
  g_clear_object (&self->targets);
  g_clear_pointer (&self->node_id, g_free);
  g_clear_pointer (&self->shown, g_free);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tb_node_inspector_parent_class)->dispose (object);
}

static void
tb_node_inspector_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TbNodeInspector *self = TB_NODE_INSPECTOR (object);

  switch (prop_id) {
  case PROP_DOCUMENT:
    g_value_set_object (value, self->document);
    break;
  case PROP_NODE_ID:
    g_value_set_string (value, self->node_id);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_node_inspector_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TbNodeInspector *self = TB_NODE_INSPECTOR (object);

  switch (prop_id) {
  case PROP_DOCUMENT:
    tb_node_inspector_set_document (self, g_value_get_object (value));
    break;
  case PROP_NODE_ID:
    tb_node_inspector_set_node_id (self, g_value_get_string (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_node_inspector_class_init (TbNodeInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_node_inspector_dispose;
  object_class->get_property = tb_node_inspector_get_property;
  object_class->set_property = tb_node_inspector_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, TB_TYPE_SCRIPT_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NODE_ID] =
    g_param_spec_string ("node-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-node-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, id_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, type_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, start_switch);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, text_view);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, disclose_group);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, listen_group);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, barge_in_switch);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, end_silence_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, end_silence_spin);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, end_silence_complete_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, end_silence_complete_spin);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, barge_after_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, barge_after_spin);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, barge_backchannels_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, barge_backchannels_switch);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, retries_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, retries_spin);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, routes_group);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, add_route_button);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, next_group);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, next_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, grade_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, score_spin);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, reason_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, recording_row);
  gtk_widget_class_bind_template_child (widget_class, TbNodeInspector, record_row);
  gtk_widget_class_bind_template_callback (widget_class, on_id_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_type_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_start_switch_active);
  gtk_widget_class_bind_template_callback (widget_class, on_barge_in_switch_active);
  gtk_widget_class_bind_template_callback (widget_class, on_barge_policy_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_retries_spin_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_end_silence_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_next_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_grade_changed);

  gtk_widget_class_install_action (widget_class, "inspector.add-route", "s", add_route_action);
  _tb_node_inspector_class_init_prompt (widget_class);
  _tb_node_inspector_class_init_disclose (widget_class);
}

static void
tb_node_inspector_init (TbNodeInspector *self)
{
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  _tb_node_inspector_init_disclose (self);
  self->targets = gtk_string_list_new (NULL);
  self->route_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; tb_script_node_types[i] != NULL; i++)
    gtk_string_list_append (types, tb_script_node_type_get_label (tb_script_node_types[i]));
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (types));
  adw_combo_row_set_model (self->next_row, G_LIST_MODEL (self->targets));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view));
  self->variable_tag = gtk_text_buffer_create_tag (buffer, "variable",
                                                   "weight", PANGO_WEIGHT_BOLD, NULL);
  self->unknown_tag = gtk_text_buffer_create_tag (buffer, "unknown-variable",
                                                  "underline", PANGO_UNDERLINE_ERROR, NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_buffer_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_style_dark), self, G_CONNECT_SWAPPED);
  on_style_dark (self, NULL, adw_style_manager_get_default ());
  reload (self);
}

GtkWidget *
tb_node_inspector_new (void)
{
  return g_object_new (TB_TYPE_NODE_INSPECTOR, NULL);
}

TbScriptDocument *
tb_node_inspector_get_document (TbNodeInspector *self)
{
  g_return_val_if_fail (TB_IS_NODE_INSPECTOR (self), NULL);

  return self->document;
}

void
tb_node_inspector_set_document (TbNodeInspector  *self,
                                TbScriptDocument *document)
{
  g_return_if_fail (TB_IS_NODE_INSPECTOR (self));

  if (self->document == document)
    return;
  if (self->document != NULL)
    g_clear_signal_handler (&self->changed_id, self->document);
  g_set_object (&self->document, document);
  if (document != NULL)
    self->changed_id = g_signal_connect_swapped (document, "changed",
                                                 G_CALLBACK (on_document_changed), self);
  g_clear_pointer (&self->node_id, g_free);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

const char *
tb_node_inspector_get_node_id (TbNodeInspector *self)
{
  g_return_val_if_fail (TB_IS_NODE_INSPECTOR (self), NULL);

  return self->node_id;
}

void
tb_node_inspector_set_node_id (TbNodeInspector *self,
                               const char      *node_id)
{
  g_return_if_fail (TB_IS_NODE_INSPECTOR (self));

  if (g_strcmp0 (self->node_id, node_id) == 0 || (self->renaming && node_id == NULL))
    return;
  _tb_node_inspector_stop_prompt (self);
  g_free (self->node_id);
  self->node_id = g_strdup (node_id);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE_ID]);
}
