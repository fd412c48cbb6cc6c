/* tb-scripts-page.c — the Scripts page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-scripts-page"

#include "config.h"

#include "tb-scripts-page.h"
#include "tb-page-util.h"

struct _TbScriptsPage
{
  AdwBin      parent_instance;

  /* template widgets */
  GtkStack   *stack;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TbScriptsPage, tb_scripts_page, ADW_TYPE_BIN)

static void
tb_scripts_page_reload (TbScriptsPage *self)
{
  gboolean empty = tb_page_fill_names (self->list, "scripts");

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "content");
}

static void
tb_scripts_page_class_init (TbScriptsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-scripts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbScriptsPage, list);
}

static void
tb_scripts_page_init (TbScriptsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tb_page_follow_store (GTK_WIDGET (self), "scripts", G_CALLBACK (tb_scripts_page_reload));
  tb_scripts_page_reload (self);
}
