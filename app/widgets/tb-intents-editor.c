/* tb-intents-editor.c — the script's intents and global intents, with their phrases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-intents-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-intents-editor.h"

struct _TbIntentsEditor
{
  AdwBin               parent_instance;

  /* template widgets */
  AdwPreferencesGroup *intents_group;
  AdwPreferencesGroup *globals_group;
  AdwEntryRow         *new_intent_row;
  AdwEntryRow         *new_global_row;

  /* owned */
  TbScriptDocument    *document;
  GPtrArray           *rows;       /* borrowed: the intent rows of both groups */
  GHashTable          *expanded;   /* "g:" or "i:" + intent id, to survive rebuilds */

  char                *shown;      /* the intents JSON the rows show */

  gulong               changed_id;
};

G_DEFINE_FINAL_TYPE (TbIntentsEditor, tb_intents_editor, ADW_TYPE_BIN)

static char *
expanded_key (gboolean    global,
              const char *intent_id)
{
  return g_strconcat (global ? "g:" : "i:", intent_id, NULL);
}

static void
edit_phrases (TbIntentsEditor *self,
              GtkWidget       *from,
              const char      *add,
              const char      *remove)
{
  gboolean global = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (from), "global"));
  g_autofree char *intent_id = g_strdup (g_object_get_data (G_OBJECT (from), "intent-id"));
  g_auto(GStrv) phrases = tb_script_document_dup_phrases (self->document, global, intent_id);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) edited = NULL;

  for (guint i = 0; phrases[i] != NULL; i++)
    if (g_strcmp0 (phrases[i], remove) != 0)
      g_strv_builder_add (builder, phrases[i]);
  if (add != NULL && add[0] != '\0' && !g_strv_contains ((const char * const *) phrases, add))
    g_strv_builder_add (builder, add);
  edited = g_strv_builder_end (builder);
  tb_script_document_set_phrases (self->document, global, intent_id,
                                  (const char * const *) edited);
}

static void
on_phrase_remove_clicked (GtkButton       *button,
                          TbIntentsEditor *self)
{
  g_autofree char *phrase = g_strdup (g_object_get_data (G_OBJECT (button), "phrase"));

  edit_phrases (self, GTK_WIDGET (button), NULL, phrase);
}

static void
on_phrase_row_apply (AdwEntryRow     *row,
                     TbIntentsEditor *self)
{
  g_autofree char *phrase = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  edit_phrases (self, GTK_WIDGET (row), phrase, NULL);
}

static void
on_intent_remove_clicked (GtkButton       *button,
                          TbIntentsEditor *self)
{
  gboolean global = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "global"));
  g_autofree char *intent_id = g_strdup (g_object_get_data (G_OBJECT (button), "intent-id"));

  tb_script_document_remove_intent (self->document, global, intent_id);
}

static void
on_expander_expanded (AdwExpanderRow  *row,
                      GParamSpec      *pspec,
                      TbIntentsEditor *self)
{
  gboolean global = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "global"));
  const char *intent_id = g_object_get_data (G_OBJECT (row), "intent-id");

  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (self->expanded, expanded_key (global, intent_id));
  else
    g_hash_table_remove (self->expanded, expanded_key (global, intent_id));
}

static void
tag (gpointer    widget,
     gboolean    global,
     const char *intent_id)
{
  g_object_set_data (G_OBJECT (widget), "global", GINT_TO_POINTER (global));
  g_object_set_data_full (G_OBJECT (widget), "intent-id", g_strdup (intent_id), g_free);
}

static GtkWidget *
intent_row (TbIntentsEditor *self,
            gboolean         global,
            const char      *intent_id)
{
  g_auto(GStrv) phrases = tb_script_document_dup_phrases (self->document, global, intent_id);
  guint n = g_strv_length (phrases);
  g_autofree char *subtitle = g_strdup_printf (ngettext ("%u phrase", "%u phrases", n), n);
  g_autofree char *key = expanded_key (global, intent_id);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *add = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), intent_id);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row),
                                 g_hash_table_contains (self->expanded, key));
  tag (row, global, intent_id);
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_expander_expanded), self, 0);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Intent"));
  tag (remove, global, intent_id);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_intent_remove_clicked), self, 0);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), remove);

  for (guint i = 0; phrases[i] != NULL; i++) {
    GtkWidget *phrase = adw_action_row_new ();
    GtkWidget *button = gtk_button_new_from_icon_name ("list-remove-symbolic");

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (phrase), phrases[i]);
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (phrase), FALSE);
    gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
    gtk_widget_add_css_class (button, "flat");
    gtk_widget_set_tooltip_text (button, _("Remove Phrase"));
    tag (button, global, intent_id);
    g_object_set_data_full (G_OBJECT (button), "phrase", g_strdup (phrases[i]), g_free);
    g_signal_connect_object (button, "clicked", G_CALLBACK (on_phrase_remove_clicked), self, 0);
    adw_action_row_add_suffix (ADW_ACTION_ROW (phrase), button);
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), phrase);
  }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add), _("Add a Phrase"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (add), TRUE);
  tag (add, global, intent_id);
  g_signal_connect_object (add, "apply", G_CALLBACK (on_phrase_row_apply), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), add);
  return row;
}

/* Intent rows go before the group's "new intent" row, which stays last. */
static void
fill_group (TbIntentsEditor     *self,
            AdwPreferencesGroup *group,
            AdwEntryRow         *new_row,
            gboolean             global)
{
  g_auto(GStrv) ids = tb_script_document_dup_intent_ids (self->document, global);

  g_object_ref (new_row);
  adw_preferences_group_remove (group, GTK_WIDGET (new_row));
  for (guint i = 0; ids[i] != NULL; i++) {
    GtkWidget *row = intent_row (self, global, ids[i]);

    adw_preferences_group_add (group, row);
    g_ptr_array_add (self->rows, row);
  }
  adw_preferences_group_add (group, GTK_WIDGET (new_row));
  g_object_unref (new_row);
}

static char *
dup_intents_json (TbIntentsEditor *self)
{
  JsonObject *root = json_node_get_object (tb_script_document_get_root (self->document));
  JsonNode *intents = json_object_get_member (root, "intents");
  JsonNode *globals = json_object_get_member (root, "global_intents");
  g_autofree char *a = intents ? json_to_string (intents, FALSE) : NULL;
  g_autofree char *b = globals ? json_to_string (globals, FALSE) : NULL;

  return g_strdup_printf ("%s\n%s", a ? a : "", b ? b : "");
}

static void
rebuild (TbIntentsEditor *self)
{
  g_autofree char *shown = self->document ? dup_intents_json (self) : NULL;

  /* Most edits are elsewhere in the script: leave the rows (and the focus) alone. */
  if (shown != NULL && g_strcmp0 (shown, self->shown) == 0)
    return;
  g_free (self->shown);
  self->shown = g_steal_pointer (&shown);

  for (guint i = 0; i < self->rows->len; i++) {
    GtkWidget *row = g_ptr_array_index (self->rows, i);
    GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
  }
  g_ptr_array_set_size (self->rows, 0);
  if (self->document == NULL)
    return;
  fill_group (self, self->intents_group, self->new_intent_row, FALSE);
  fill_group (self, self->globals_group, self->new_global_row, TRUE);
}

static void
add_intent (TbIntentsEditor *self,
            AdwEntryRow     *row,
            gboolean         global)
{
  g_autofree char *id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (self->document == NULL || id[0] == '\0')
    return;
  g_hash_table_add (self->expanded, expanded_key (global, id));
  if (tb_script_document_add_intent (self->document, global, id)) {
    gtk_editable_set_text (GTK_EDITABLE (row), "");
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  } else {
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  }
}

static void
on_new_intent_row_apply (TbIntentsEditor *self)
{
  add_intent (self, self->new_intent_row, FALSE);
}

static void
on_new_global_row_apply (TbIntentsEditor *self)
{
  add_intent (self, self->new_global_row, TRUE);
}

static void
tb_intents_editor_dispose (GObject *object)
{
  TbIntentsEditor *self = TB_INTENTS_EDITOR (object);

  tb_intents_editor_set_document (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_INTENTS_EDITOR);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->expanded, g_hash_table_unref);
  g_clear_pointer (&self->shown, g_free);

  G_OBJECT_CLASS (tb_intents_editor_parent_class)->dispose (object);
}

static void
tb_intents_editor_class_init (TbIntentsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_intents_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-intents-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TbIntentsEditor, intents_group);
  gtk_widget_class_bind_template_child (widget_class, TbIntentsEditor, globals_group);
  gtk_widget_class_bind_template_child (widget_class, TbIntentsEditor, new_intent_row);
  gtk_widget_class_bind_template_child (widget_class, TbIntentsEditor, new_global_row);
  gtk_widget_class_bind_template_callback (widget_class, on_new_intent_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_new_global_row_apply);
}

static void
tb_intents_editor_init (TbIntentsEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

GtkWidget *
tb_intents_editor_new (void)
{
  return g_object_new (TB_TYPE_INTENTS_EDITOR, NULL);
}

void
tb_intents_editor_set_document (TbIntentsEditor  *self,
                                TbScriptDocument *document)
{
  g_return_if_fail (TB_IS_INTENTS_EDITOR (self));

  if (self->document == document)
    return;
  if (self->document != NULL)
    g_clear_signal_handler (&self->changed_id, self->document);
  g_set_object (&self->document, document);
  if (document != NULL)
    self->changed_id = g_signal_connect_swapped (document, "changed", G_CALLBACK (rebuild), self);
  g_clear_pointer (&self->shown, g_free);
  if (self->rows != NULL)
    rebuild (self);
}
