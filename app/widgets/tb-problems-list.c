/* tb-problems-list.c — what is wrong with the script, node by node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-problems-list"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-problems-list.h"

struct _TbProblemsList
{
  AdwBin      parent_instance;

  /* template widgets */
  GtkStack   *stack;
  GtkListBox *list;

  guint       n_problems;
  guint       n_errors;
};

G_DEFINE_FINAL_TYPE (TbProblemsList, tb_problems_list, ADW_TYPE_BIN)

enum {
  PROBLEM_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

TbEditorProblem *
tb_editor_problem_new (const char *node_id,
                       const char *message)
{
  TbEditorProblem *problem = g_new0 (TbEditorProblem, 1);

  problem->node_id = g_strdup (node_id);
  problem->message = g_strdup (message);
  return problem;
}

void
tb_editor_problem_free (TbEditorProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->node_id);
  g_free (problem->message);
  g_free (problem->disclosure);
  g_free (problem);
}

static void
on_list_row_activated (TbProblemsList *self,
                       GtkListBoxRow  *row)
{
  const char *node_id = g_object_get_data (G_OBJECT (row), "node-id");

  if (node_id != NULL)
    g_signal_emit (self, signals[PROBLEM_ACTIVATED], 0, node_id);
}

static void
tb_problems_list_class_init (TbProblemsListClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* The user wants to see the node a problem is about. */
  signals[PROBLEM_ACTIVATED] = g_signal_new ("problem-activated", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-problems-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TbProblemsList, stack);
  gtk_widget_class_bind_template_child (widget_class, TbProblemsList, list);
  gtk_widget_class_bind_template_callback (widget_class, on_list_row_activated);
}

static void
tb_problems_list_init (TbProblemsList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tb_problems_list_new (void)
{
  return g_object_new (TB_TYPE_PROBLEMS_LIST, NULL);
}

/* Shows @problems (TbEditorProblem *; NULL or empty: none). */
void
tb_problems_list_set_problems (TbProblemsList *self,
                               GPtrArray      *problems)
{
  GtkWidget *child;

  g_return_if_fail (TB_IS_PROBLEMS_LIST (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  self->n_problems = problems ? problems->len : 0;
  self->n_errors = 0;
  for (guint i = 0; i < self->n_problems; i++) {
    TbEditorProblem *problem = g_ptr_array_index (problems, i);
    GtkWidget *row = adw_action_row_new ();
    GtkWidget *icon = gtk_image_new_from_icon_name (problem->warning ? "dialog-warning-symbolic"
                                                                     : "dialog-error-symbolic");

    self->n_errors += !problem->warning;
    /* Errors and warnings differ by more than colour: icon, tooltip and style class. */
    gtk_widget_add_css_class (icon, problem->warning ? "warning" : "error");
    gtk_widget_set_tooltip_text (icon, problem->warning ? _("Warning") : _("Error"));
    gtk_widget_add_css_class (row, problem->warning ? "problem-warning" : "problem-error");
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->message);
    if (problem->node_id != NULL) {
      g_autofree char *subtitle = g_strdup_printf (_("Node “%s”"), problem->node_id);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      if (problem->disclosure != NULL) {
        /* The user, who knows what the prompt says, confirms it says what is missing. */
        GtkWidget *mark = gtk_button_new_with_label (_("Mark this node as saying it"));

        gtk_widget_set_name (mark, "mark-disclosure");
        gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (mark), "script.mark-disclosure");
        gtk_actionable_set_action_target (GTK_ACTIONABLE (mark), "(ss)", problem->node_id,
                                          problem->disclosure);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
      }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "node-id", g_strdup (problem->node_id), g_free);
    }
    gtk_list_box_append (self->list, row);
  }
  gtk_stack_set_visible_child_name (self->stack, self->n_problems > 0 ? "list" : "none");
}

guint
tb_problems_list_get_n_problems (TbProblemsList *self)
{
  g_return_val_if_fail (TB_IS_PROBLEMS_LIST (self), 0);

  return self->n_problems;
}

/* The problems that keep the script from a campaign. */
guint
tb_problems_list_get_n_errors (TbProblemsList *self)
{
  g_return_val_if_fail (TB_IS_PROBLEMS_LIST (self), 0);

  return self->n_errors;
}
