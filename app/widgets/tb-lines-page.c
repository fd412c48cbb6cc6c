/* tb-lines-page.c — the Lines page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-lines-page"

#include "config.h"

#include "tb-lines-page.h"
#include "tb-page-util.h"

struct _TbLinesPage
{
  AdwBin      parent_instance;

  /* template widgets */
  GtkStack   *stack;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TbLinesPage, tb_lines_page, ADW_TYPE_BIN)

static void
tb_lines_page_reload (TbLinesPage *self)
{
  gboolean empty = tb_page_fill_names (self->list, "lines");

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "content");
}

static void
tb_lines_page_class_init (TbLinesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-lines-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbLinesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbLinesPage, list);
}

static void
tb_lines_page_init (TbLinesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tb_page_follow_store (GTK_WIDGET (self), "lines", G_CALLBACK (tb_lines_page_reload));
  tb_lines_page_reload (self);
}
