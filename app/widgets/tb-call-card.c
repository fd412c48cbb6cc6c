/* tb-call-card.c — one live call on the Campaigns page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Binds to a TbLiveCall. Listen, Take over and Hang up are card.* actions
 * that emit "call-action" up to the page, which owns the call sessions.
 */
#define G_LOG_DOMAIN "tb-call-card"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-call-card.h"
#include "tb-words.h"

struct _TbCallCard
{
  AdwBin           parent_instance;

  /* template widgets */
  GtkLabel        *name_label;
  GtkLabel        *number_label;
  GtkLabel        *grade_label;
  GtkLabel        *state_label;
  GtkLabel        *node_label;
  GtkLabel        *timer_label;
  GtkLevelBar     *level_bar;
  GtkBox          *transcript_box;
  GtkToggleButton *listen_button;
  GtkToggleButton *take_over_button;

  /* owned */
  TbLiveCall      *call;
  TbScript        *script;   /* the campaign's, for its nodes' titles; may be NULL */

  /* sources */
  guint            timer_id;
};

G_DEFINE_FINAL_TYPE (TbCallCard, tb_call_card, ADW_TYPE_BIN)

enum {
  CALL_ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
state_title (const char *state)
{
  if (g_strcmp0 (state, "dialing") == 0)
    return _("Dialing");
  if (g_strcmp0 (state, "ringing") == 0)
    return _("Ringing");
  if (g_strcmp0 (state, "answered") == 0)
    return _("Talking");
  return _("Ended");
}

static void
update_grade (TbCallCard *self)
{
  const char *grade = tb_live_call_get_grade (self->call);
  GtkWidget *label = GTK_WIDGET (self->grade_label);

  for (char g = 'a'; g <= 'e'; g++) {
    char cls[] = { 'g', 'r', 'a', 'd', 'e', '-', g, 0 };
    gtk_widget_remove_css_class (label, cls);
  }
  gtk_widget_set_visible (label, grade != NULL);
  if (grade != NULL) {
    char cls[] = { 'g', 'r', 'a', 'd', 'e', '-', g_ascii_tolower (grade[0]), 0 };
    gtk_widget_add_css_class (label, cls);
    gtk_label_set_label (self->grade_label, grade);
  }
}

static void
update_state (TbCallCard *self)
{
  g_autofree char *node = tb_words_node (self->script, tb_live_call_get_node (self->call));

  gtk_label_set_label (self->state_label, state_title (tb_live_call_get_state (self->call)));
  gtk_label_set_label (self->node_label, node);
}

static void
update_level (TbCallCard *self)
{
  gtk_level_bar_set_value (self->level_bar, tb_live_call_get_level (self->call));
}

static gboolean
update_timer (gpointer data)
{
  TbCallCard *self = data;
  gint64 answered = tb_live_call_get_answered_at (self->call);
  gint64 s = answered > 0 ? (g_get_monotonic_time () - answered) / G_USEC_PER_SEC : 0;
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                                           s / 60, s % 60);

  gtk_label_set_label (self->timer_label, text);
  return G_SOURCE_CONTINUE;
}

static void
on_turns_changed (TbCallCard *self)
{
  GListModel *turns = tb_live_call_get_turns (self->call);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->transcript_box))) != NULL)
    gtk_box_remove (self->transcript_box, child);
  for (guint i = 0; i < g_list_model_get_n_items (turns); i++) {
    g_autoptr(TbLiveTurn) turn = g_list_model_get_item (turns, i);
    const char *speaker = tb_live_turn_get_speaker (turn);
    gboolean bot = g_strcmp0 (speaker, "bot") == 0;
    gboolean system = g_strcmp0 (speaker, "system") == 0;
    GtkWidget *bubble = gtk_label_new (tb_live_turn_get_text (turn));

    gtk_label_set_wrap (GTK_LABEL (bubble), TRUE);
    gtk_label_set_lines (GTK_LABEL (bubble), 2);
    gtk_label_set_ellipsize (GTK_LABEL (bubble), PANGO_ELLIPSIZE_END);
    gtk_label_set_xalign (GTK_LABEL (bubble), system ? 0.5 : 0);
    /* A note of the system (a rehearsal, a transfer), centred between the two voices. */
    gtk_widget_set_halign (bubble, system ? GTK_ALIGN_CENTER
                                          : bot ? GTK_ALIGN_START : GTK_ALIGN_END);
    gtk_widget_add_css_class (bubble, system ? "dim-label"
                                             : bot ? "bubble-bot" : "bubble-callee");
    gtk_widget_add_css_class (bubble, "caption");
    gtk_box_append (self->transcript_box, bubble);
  }
}

static void
card_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TbCallCard *self = TB_CALL_CARD (widget);
  const char *what = strchr (action_name, '.') + 1;
  gboolean on = TRUE;

  if (g_str_equal (what, "listen"))
    on = gtk_toggle_button_get_active (self->listen_button);
  else if (g_str_equal (what, "take-over"))
    on = gtk_toggle_button_get_active (self->take_over_button);
  g_signal_emit (self, signals[CALL_ACTION], 0, what, on);
}

/* The timer runs only while the card is on screen; unmap always comes before
 * dispose, so the source never outlives the card without holding a ref. */
static void
tb_call_card_map (GtkWidget *widget)
{
  TbCallCard *self = TB_CALL_CARD (widget);

  GTK_WIDGET_CLASS (tb_call_card_parent_class)->map (widget);
  if (self->timer_id == 0)
    self->timer_id = g_timeout_add_seconds (1, update_timer, self);
}

static void
tb_call_card_unmap (GtkWidget *widget)
{
  TbCallCard *self = TB_CALL_CARD (widget);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  GTK_WIDGET_CLASS (tb_call_card_parent_class)->unmap (widget);
}

static void
tb_call_card_dispose (GObject *object)
{
  TbCallCard *self = TB_CALL_CARD (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_object (&self->call);
  g_clear_object (&self->script);

  G_OBJECT_CLASS (tb_call_card_parent_class)->dispose (object);
}

static void
tb_call_card_class_init (TbCallCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_call_card_dispose;
  widget_class->map = tb_call_card_map;
  widget_class->unmap = tb_call_card_unmap;

  /**
   * TbCallCard::call-action:
   * @action: "listen", "take-over" or "hang-up"
   * @on: for the toggles, whether it is now on
   */
  signals[CALL_ACTION] = g_signal_new ("call-action", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-call-card.ui");
  gtk_widget_class_bind_template_child (widget_class, TbCallCard, name_label);
  gtk_widget_class_bind_template_child (widget_class, TbCallCard, number_label);
  gtk_widget_class_bind_template_child (widget_class, TbCallCard, grade_label);
  gtk_widget_class_bind_template_child (widget_class, TbCallCard, state_label);
  gtk_widget_class_bind_template_child (widget_class, TbCallCard, node_label);
  gtk_widget_class_bind_template_child (widget_class, TbCallCard, timer_label);
  gtk_widget_class_bind_template_child (widget_class, TbCallCard, level_bar);
  gtk_widget_class_bind_template_child (widget_class, TbCallCard, transcript_box);
  gtk_widget_class_bind_template_child (widget_class, TbCallCard, listen_button);
  gtk_widget_class_bind_template_child (widget_class, TbCallCard, take_over_button);

  gtk_widget_class_install_action (widget_class, "card.listen", NULL, card_action);
  gtk_widget_class_install_action (widget_class, "card.take-over", NULL, card_action);
  gtk_widget_class_install_action (widget_class, "card.hang-up", NULL, card_action);
}

static void
tb_call_card_init (TbCallCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tb_call_card_new (TbLiveCall *call,
                  TbScript   *script)
{
  TbCallCard *self = g_object_new (TB_TYPE_CALL_CARD, NULL);

  self->call = g_object_ref (call);
  self->script = script != NULL ? g_object_ref (script) : NULL;
  gtk_label_set_label (self->name_label, tb_live_call_get_name (call) ? tb_live_call_get_name (call)
                                                                       : tb_live_call_get_number (call));
  gtk_label_set_label (self->number_label, tb_live_call_get_number (call));
  g_signal_connect_object (call, "notify::state", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (call, "notify::node", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (call, "notify::grade", G_CALLBACK (update_grade), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (call, "notify::level", G_CALLBACK (update_level), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (tb_live_call_get_turns (call), "items-changed",
                           G_CALLBACK (on_turns_changed), self, G_CONNECT_SWAPPED);
  update_state (self);
  update_grade (self);
  update_level (self);
  on_turns_changed (self);
  update_timer (self);
  return GTK_WIDGET (self);
}

TbLiveCall *
tb_call_card_get_call (TbCallCard *self)
{
  g_return_val_if_fail (TB_IS_CALL_CARD (self), NULL);

  return self->call;
}

/**
 * tb_call_card_set_ended:
 * @self: the card
 *
 * The call is over but its card stays where it is (the pointer is over the list, see
 * TbCampaignsPage): it says so and its buttons no longer act.
 */
void
tb_call_card_set_ended (TbCallCard *self)
{
  g_return_if_fail (TB_IS_CALL_CARD (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->call, self);
  gtk_label_set_label (self->state_label, _("Ended"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.listen", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.take-over", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.hang-up", FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "call-ended");
}
