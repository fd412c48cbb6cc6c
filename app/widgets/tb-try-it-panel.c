/* tb-try-it-panel.c — talk to the script as the callee would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel is only the conversation's face: the dialog engine plugs in
 * with tb_try_it_panel_set_engine(). Without one, it shows where a call
 * begins (the start node's prompt) and says that replies need the engine.
 */
#define G_LOG_DOMAIN "tb-try-it-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-desk-recorder.h"
#include "tb-try-it-panel.h"

struct _TbTryItPanel
{
  AdwBin            parent_instance;

  /* template widgets */
  GtkLabel         *status_label;
  GtkLabel         *grade_label;
  GtkScrolledWindow *scroller;
  GtkBox           *transcript;
  GtkEntry         *entry;
  GtkButton        *send_button;
  GtkToggleButton  *mic_button;

  /* owned */
  TbScriptDocument *document;
  TbTryItEngine     engine;
  gboolean          has_engine;
  gpointer          engine_data;
  GDestroyNotify    engine_destroy;
  char             *node_id;
  guint             n_turns;
  TbDeskRecorder   *recorder;
};

G_DEFINE_FINAL_TYPE (TbTryItPanel, tb_try_it_panel, ADW_TYPE_BIN)

enum {
  NODE_REACHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_input (TbTryItPanel *self)
{
  gboolean ready = self->has_engine && self->engine.say != NULL && self->document != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->entry), ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mic_button), ready && self->engine.say_audio != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->entry), ready ? NULL :
                               _("Replies need the dialog engine, which this build does not "
                                 "connect yet"));
}

static void
on_entry_activate (TbTryItPanel *self)
{
  g_autofree char *text =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));

  if (text[0] == '\0' || !self->has_engine || self->engine.say == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  tb_try_it_panel_add_turn (self, FALSE, text);
  self->engine.say (self, text, self->engine_data);
}

/* The microphone button: pressed, the desk's microphone records; released, what
 * was said goes to the engine, which recognizes it as a call would. */
static void
on_mic_toggled (TbTryItPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = NULL;

  if (gtk_toggle_button_get_active (self->mic_button)) {
    if (!self->has_engine || self->engine.say_audio == NULL)
      return;
    if (self->recorder == NULL)
      self->recorder = tb_desk_recorder_new ();
    if (!tb_desk_recorder_start (self->recorder, &error)) {
      tb_try_it_panel_set_status (self, error->message);
      gtk_toggle_button_set_active (self->mic_button, FALSE);
      return;
    }
    tb_try_it_panel_set_status (self, _("Listening… press the microphone again when done"));
    return;
  }
  if (self->recorder == NULL || !tb_desk_recorder_is_recording (self->recorder))
    return;
  if ((pcm = tb_desk_recorder_stop (self->recorder, &error)) == NULL) {
    tb_try_it_panel_set_status (self, error->message);
    return;
  }
  tb_try_it_panel_set_status (self, _("Recognizing…"));
  self->engine.say_audio (self, pcm, self->engine_data);
}

static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  tb_try_it_panel_restart (TB_TRY_IT_PANEL (widget));
}

static void
clear_engine (TbTryItPanel *self)
{
  if (self->engine_destroy != NULL)
    self->engine_destroy (self->engine_data);
  self->engine_destroy = NULL;
  self->engine_data = NULL;
  self->has_engine = FALSE;
}

static void
tb_try_it_panel_dispose (GObject *object)
{
  TbTryItPanel *self = TB_TRY_IT_PANEL (object);

  clear_engine (self);
  g_clear_object (&self->recorder);
  g_clear_object (&self->document);
  g_clear_pointer (&self->node_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_TRY_IT_PANEL);

  G_OBJECT_CLASS (tb_try_it_panel_parent_class)->dispose (object);
}

static void
tb_try_it_panel_class_init (TbTryItPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_try_it_panel_dispose;

  /* The conversation is at this node now (the canvas highlights it). */
  signals[NODE_REACHED] = g_signal_new ("node-reached", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-try-it-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TbTryItPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, TbTryItPanel, grade_label);
  gtk_widget_class_bind_template_child (widget_class, TbTryItPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, TbTryItPanel, transcript);
  gtk_widget_class_bind_template_child (widget_class, TbTryItPanel, entry);
  gtk_widget_class_bind_template_child (widget_class, TbTryItPanel, send_button);
  gtk_widget_class_bind_template_child (widget_class, TbTryItPanel, mic_button);
  gtk_widget_class_bind_template_callback (widget_class, on_mic_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);

  gtk_widget_class_install_action (widget_class, "try-it.restart", NULL, restart_action);
}

static void
tb_try_it_panel_init (TbTryItPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_input (self);
}

GtkWidget *
tb_try_it_panel_new (void)
{
  return g_object_new (TB_TYPE_TRY_IT_PANEL, NULL);
}

void
tb_try_it_panel_set_document (TbTryItPanel     *self,
                              TbScriptDocument *document)
{
  g_return_if_fail (TB_IS_TRY_IT_PANEL (self));

  if (!g_set_object (&self->document, document))
    return;
  update_input (self);
  tb_try_it_panel_restart (self);
}

void
tb_try_it_panel_set_engine (TbTryItPanel        *self,
                            const TbTryItEngine *engine,
                            gpointer             user_data,
                            GDestroyNotify       destroy)
{
  g_return_if_fail (TB_IS_TRY_IT_PANEL (self));

  clear_engine (self);
  if (engine != NULL) {
    self->engine = *engine;
    self->has_engine = TRUE;
    self->engine_data = user_data;
    self->engine_destroy = destroy;
  }
  update_input (self);
}

/* A new conversation from the start node. */
void
tb_try_it_panel_restart (TbTryItPanel *self)
{
  GtkWidget *child;
  const char *start;

  g_return_if_fail (TB_IS_TRY_IT_PANEL (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->transcript))) != NULL)
    gtk_box_remove (self->transcript, child);
  self->n_turns = 0;
  tb_try_it_panel_set_grade (self, NULL, 0);
  g_clear_pointer (&self->node_id, g_free);

  if (self->document == NULL) {
    gtk_label_set_text (self->status_label, "");
    return;
  }
  if (self->has_engine && self->engine.start != NULL) {
    gtk_label_set_text (self->status_label, _("Talking to the script"));
    self->engine.start (self, self->document, self->engine_data);
    return;
  }

  /* No engine: show how a call opens, {variables} as written. */
  start = tb_script_document_get_start (self->document);
  gtk_label_set_text (self->status_label,
                      _("The call opens like this; replies need the dialog engine"));
  if (start != NULL && tb_script_document_has_node (self->document, start)) {
    const char *text = tb_script_document_get_node_text (self->document, start);

    tb_try_it_panel_add_turn (self, TRUE, text ? text : "");
    tb_try_it_panel_set_node (self, start);
  }
}

void
tb_try_it_panel_add_turn (TbTryItPanel *self,
                          gboolean      bot,
                          const char   *text)
{
  GtkWidget *label;

  g_return_if_fail (TB_IS_TRY_IT_PANEL (self));

  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_widget_add_css_class (label, bot ? "bubble-bot" : "bubble-callee");
  gtk_widget_set_halign (label, bot ? GTK_ALIGN_START : GTK_ALIGN_END);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  bot ? _("Robot") : _("Callee"), -1);
  gtk_box_append (self->transcript, label);
  self->n_turns++;
}

void
tb_try_it_panel_add_reading (TbTryItPanel *self,
                             const char   *intent,
                             const char   *rule,
                             double        confidence)
{
  g_autofree char *why = NULL;
  g_autofree char *text = NULL;
  GtkWidget *label;

  g_return_if_fail (TB_IS_TRY_IT_PANEL (self));

  if (rule == NULL) {
    why = g_strdup ("");
  } else if (g_str_has_prefix (rule, "phrase '") || g_str_has_prefix (rule, "keyword '")) {
    const char *quoted = strchr (rule, '\'') + 1;
    g_autofree char *phrase = g_strndup (quoted, strlen (quoted) - 1);

    /* Translators: a phrase of the script matched; %s is the phrase */
    why = g_strdup_printf (_("the script's phrase “%s”"), phrase);
  } else if (strchr (rule, '/') != NULL) {
    /* Translators: a built-in rule of the understanding matched; %s is its name */
    why = g_strdup_printf (_("built-in rule “%s”"), strrchr (rule, '/') + 1);
  } else {
    why = g_strdup (rule);
  }
  if (intent == NULL)
    text = g_strdup (_("Not understood: no intent of this node or the script matched"));
  else if (g_str_equal (intent, "opt_out?"))
    /* Translators: %s says which rule; the robot asks "should we stop calling you?" */
    text = g_strdup_printf (_("Maybe an opt-out (%s): the robot asks to be sure"), why);
  else
    /* Translators: the intent understood, why (a phrase or rule), and the confidence */
    text = g_strdup_printf (_("Understood: %s — %s, confidence %d %%"), intent, why,
                            (int) (confidence * 100 + 0.5));
  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_halign (label, GTK_ALIGN_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (self->transcript, label);
}

void
tb_try_it_panel_set_node (TbTryItPanel *self,
                          const char   *node_id)
{
  g_return_if_fail (TB_IS_TRY_IT_PANEL (self));

  g_free (self->node_id);
  self->node_id = g_strdup (node_id);
  g_signal_emit (self, signals[NODE_REACHED], 0, node_id);
}

/* @grade: "A" to "E", NULL hides the badge. */
void
tb_try_it_panel_set_grade (TbTryItPanel *self,
                           const char   *grade,
                           int           score)
{
  static const char * const classes[] = { "grade-a", "grade-b", "grade-c", "grade-d", "grade-e" };

  g_return_if_fail (TB_IS_TRY_IT_PANEL (self));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->grade_label), classes[i]);
  gtk_widget_set_visible (GTK_WIDGET (self->grade_label), grade != NULL);
  if (grade != NULL) {
    g_autofree char *tip = g_strdup_printf (_("Score %d"), score);
    guint index = (guint) (g_ascii_toupper (grade[0]) - 'A');

    gtk_label_set_text (self->grade_label, grade);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->grade_label), tip);
    if (index < G_N_ELEMENTS (classes))
      gtk_widget_add_css_class (GTK_WIDGET (self->grade_label), classes[index]);
  }
}

void
tb_try_it_panel_set_status (TbTryItPanel *self,
                            const char   *status)
{
  g_return_if_fail (TB_IS_TRY_IT_PANEL (self));
  gtk_label_set_text (self->status_label, status ? status : "");
}

guint
tb_try_it_panel_get_n_turns (TbTryItPanel *self)
{
  g_return_val_if_fail (TB_IS_TRY_IT_PANEL (self), 0);

  return self->n_turns;
}
