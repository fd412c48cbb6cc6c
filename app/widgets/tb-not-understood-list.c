/* tb-not-understood-list.c — what callees said that the robot did not understand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per group of a campaign's report (tb-not-understood.h): the words, where and how
 * often, a Play button for an example call's recording, and "Add as a Phrase" of an intent
 * the node listens for, which opens the script on the Scripts page with the phrase added.
 * Self-contained so that a campaign's Report view can embed it.
 */
#define G_LOG_DOMAIN "tb-not-understood-list"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-not-understood-list.h"
#include "tb-not-understood.h"
#include "tb-recording-player.h"
#include "tb-script-document.h"
#include "tb-scripts-page.h"
#include "tb-store-config.h"
#include "tb-window.h"

typedef struct {
  char    *node;
  char    *text;
  char    *phrase;      /* the words, normalized: what is added */
  char    *script;      /* the script of its first variant */
  char    *recording;
  gint64   count;
  GStrv    variants;
  gboolean opt_out_like;
  GStrv    intents;     /* the node listens for */
} Group;

struct _TbNotUnderstoodList
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkStack          *stack;
  GtkListBox        *list;

  /* owned */
  GPtrArray         *groups;     /* Group */
  TbRecordingPlayer *player;
  char              *playing;    /* the recording the player has open */
};

G_DEFINE_FINAL_TYPE (TbNotUnderstoodList, tb_not_understood_list, ADW_TYPE_BIN)

static void
group_free (Group *g)
{
  g_free (g->node);
  g_free (g->text);
  g_free (g->phrase);
  g_free (g->script);
  g_free (g->recording);
  g_strfreev (g->variants);
  g_strfreev (g->intents);
  g_free (g);
}

static TbScriptsPage *
find_scripts_page (GtkWidget *widget)
{
  if (TB_IS_SCRIPTS_PAGE (widget))
    return TB_SCRIPTS_PAGE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    TbScriptsPage *page = find_scripts_page (child);

    if (page != NULL)
      return page;
  }
  return NULL;
}

static GtkWidget *
make_row (TbNotUnderstoodList *self,
          guint                index,
          const Group         *g)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *joined = g_strjoinv (", ", g->variants);
  g_autofree char *variants = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *add;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g->text);
  /* Translators: the script variants a group was heard in: "variant A", "variants A, B" */
  variants = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "variant %s", "variants %s",
                                           g_strv_length (g->variants)), joined);
  /* Translators: "At “pitch”: 12 times, variants A, B" */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "At “%s”: %d time, %s",
                                           "At “%s”: %d times, %s", g->count),
                              g->node ? g->node : "?", (int) g->count, variants);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  if (g->opt_out_like) {
    GtkWidget *label = gtk_label_new (_("Sounds like an opt-out"));

    gtk_widget_add_css_class (label, "warning");
    gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  }
  if (g->recording != NULL && g_file_test (g->recording, G_FILE_TEST_IS_REGULAR)) {
    GtkWidget *play = gtk_button_new_from_icon_name ("media-playback-start-symbolic");

    gtk_widget_set_tooltip_text (play, _("Play an Example Call"));
    gtk_widget_set_valign (play, GTK_ALIGN_CENTER);
    gtk_widget_add_css_class (play, "flat");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (play), "not-understood.play");
    gtk_actionable_set_action_target (GTK_ACTIONABLE (play), "u", index);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), play);
  }
  for (guint i = 0; g->intents != NULL && g->intents[i] != NULL; i++) {
    g_autofree char *label = g_strdup_printf (_("Phrase of “%s”"), g->intents[i]);
    g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

    g_menu_item_set_action_and_target (item, "not-understood.add-phrase", "(us)", index,
                                       g->intents[i]);
    g_menu_append_item (menu, item);
  }
  add = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (add), _("Add as a Phrase…"));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (add), G_MENU_MODEL (menu));
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (add, g->intents != NULL && g->intents[0] != NULL);
  gtk_widget_set_name (add, "add-phrase");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), add);
  return row;
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TbNotUnderstoodList *self = TB_NOT_UNDERSTOOD_LIST (widget);
  guint index = g_variant_get_uint32 (param);
  g_autoptr(GError) error = NULL;
  const Group *g;

  if (index >= self->groups->len)
    return;
  g = g_ptr_array_index (self->groups, index);
  if (g->recording == NULL)
    return;
  if (g_strcmp0 (self->playing, g->recording) == 0 &&
      tb_recording_player_get_playing (self->player)) {
    tb_recording_player_pause (self->player);
    return;
  }
  g_free (self->playing);
  self->playing = NULL;
  if (!tb_recording_player_open (self->player, g->recording, &error)) {
    g_debug ("%s", error->message);
    return;
  }
  self->playing = g_strdup (g->recording);
  tb_recording_player_play (self->player);
}

static void
add_phrase_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TbNotUnderstoodList *self = TB_NOT_UNDERSTOOD_LIST (widget);
  g_autoptr(GError) error = NULL;
  const char *intent;
  guint index;

  g_variant_get (param, "(u&s)", &index, &intent);
  if (!tb_not_understood_list_add_phrase (self, index, intent, &error)) {
    GtkRoot *root = gtk_widget_get_root (widget);

    if (TB_IS_WINDOW (root))
      tb_window_show_toast (TB_WINDOW (root), error->message);
    else
      g_message ("%s", error->message);
  }
}

static void
tb_not_understood_list_dispose (GObject *object)
{
  TbNotUnderstoodList *self = TB_NOT_UNDERSTOOD_LIST (object);

  if (self->player != NULL)
    tb_recording_player_pause (self->player);
  g_clear_object (&self->player);
  G_OBJECT_CLASS (tb_not_understood_list_parent_class)->dispose (object);
}

static void
tb_not_understood_list_finalize (GObject *object)
{
  TbNotUnderstoodList *self = TB_NOT_UNDERSTOOD_LIST (object);

  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_free (self->playing);
  G_OBJECT_CLASS (tb_not_understood_list_parent_class)->finalize (object);
}

static void
tb_not_understood_list_class_init (TbNotUnderstoodListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_not_understood_list_dispose;
  object_class->finalize = tb_not_understood_list_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-not-understood-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TbNotUnderstoodList, stack);
  gtk_widget_class_bind_template_child (widget_class, TbNotUnderstoodList, list);
  gtk_widget_class_install_action (widget_class, "not-understood.play", "u", play_action);
  gtk_widget_class_install_action (widget_class, "not-understood.add-phrase", "(us)",
                                   add_phrase_action);
}

static void
tb_not_understood_list_init (TbNotUnderstoodList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  self->player = tb_recording_player_new ();
  gtk_stack_set_visible_child_name (self->stack, "none");
}

TbNotUnderstoodList *
tb_not_understood_list_new (void)
{
  return g_object_new (TB_TYPE_NOT_UNDERSTOOD_LIST, NULL);
}

void
tb_not_understood_list_set_report (TbNotUnderstoodList *self,
                                   TbCampaignReport    *report)
{
  TbStore *store = tb_application_get_default_store ();
  g_autoptr(GHashTable) documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           g_object_unref);
  GPtrArray *groups = report ? tb_campaign_report_get_not_understood (report) : NULL;
  GtkWidget *child;

  g_return_if_fail (TB_IS_NOT_UNDERSTOOD_LIST (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->groups, 0);

  for (guint i = 0; groups != NULL && i < groups->len; i++) {
    const TbNotUnderstoodGroup *src = g_ptr_array_index (groups, i);
    Group *g = g_new0 (Group, 1);
    TbScriptDocument *document = NULL;

    g->node = g_strdup (src->node);
    g->text = g_strdup (src->text);
    g->phrase = g_strdup (src->normalized);
    g->recording = g_strdup (src->recording);
    g->count = src->count;
    g->variants = g_strdupv (src->variants);
    g->opt_out_like = src->opt_out_like;
    g->script = src->variants[0] != NULL
                ? g_strdup (tb_campaign_report_get_script (report, src->variants[0])) : NULL;
    if (g->script != NULL && store != NULL &&
        (document = g_hash_table_lookup (documents, g->script)) == NULL) {
      g_autofree char *json = NULL;
      gint64 id = tb_store_find_script (store, g->script);

      document = tb_script_document_new ();
      if (id == 0 || (json = tb_store_dup_script_document (store, id, NULL)) == NULL ||
          !tb_script_document_load_json (document, json, NULL))
        g_clear_object (&document);
      else
        g_hash_table_insert (documents, g_strdup (g->script), document);
    }
    if (document != NULL && g->node != NULL)
      g->intents = tb_script_document_dup_node_intents (document, g->node);
    g_ptr_array_add (self->groups, g);
    gtk_list_box_append (self->list, make_row (self, i, g));
  }
  gtk_stack_set_visible_child_name (self->stack, self->groups->len > 0 ? "list" : "none");
}

guint
tb_not_understood_list_get_n_groups (TbNotUnderstoodList *self)
{
  g_return_val_if_fail (TB_IS_NOT_UNDERSTOOD_LIST (self), 0);
  return self->groups->len;
}

GStrv
tb_not_understood_list_dup_intents (TbNotUnderstoodList *self,
                                    guint                index)
{
  g_return_val_if_fail (TB_IS_NOT_UNDERSTOOD_LIST (self), NULL);
  g_return_val_if_fail (index < self->groups->len, NULL);
  return g_strdupv (((Group *) g_ptr_array_index (self->groups, index))->intents);
}

const char *
tb_not_understood_list_get_playing (TbNotUnderstoodList *self)
{
  g_return_val_if_fail (TB_IS_NOT_UNDERSTOOD_LIST (self), NULL);
  return tb_recording_player_get_playing (self->player) ? self->playing : NULL;
}

gboolean
tb_not_understood_list_add_phrase (TbNotUnderstoodList  *self,
                                   guint                 index,
                                   const char           *intent,
                                   GError              **error)
{
  GApplication *app = g_application_get_default ();
  TbScriptsPage *page = NULL;
  GtkWindow *window = NULL;
  const Group *g;

  g_return_val_if_fail (TB_IS_NOT_UNDERSTOOD_LIST (self), FALSE);
  g_return_val_if_fail (index < self->groups->len, FALSE);

  g = g_ptr_array_index (self->groups, index);
  if (g->script == NULL || g->node == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The campaign's script is not known"));
    return FALSE;
  }
  /* The window this list is in, or else the application's window with the Scripts page. */
  if (GTK_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))) &&
      (page = find_scripts_page (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self))))) != NULL)
    window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  for (GList *l = GTK_IS_APPLICATION (app) ? gtk_application_get_windows (GTK_APPLICATION (app))
                                           : NULL;
       page == NULL && l != NULL; l = l->next) {
    if ((page = find_scripts_page (GTK_WIDGET (l->data))) != NULL)
      window = l->data;
  }
  if (page == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no script editor open"));
    return FALSE;
  }
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("scripts"));
  if (!tb_scripts_page_add_phrase (page, g->script, g->node, intent, g->phrase, error))
    return FALSE;
  gtk_window_present (window);
  return TRUE;
}
