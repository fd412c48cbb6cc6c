/* tb-leads-page.c — the Leads page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-leads-page"

#include "config.h"

#include "tb-leads-page.h"
#include "tb-page-util.h"

struct _TbLeadsPage
{
  AdwBin      parent_instance;

  /* template widgets */
  GtkStack   *stack;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TbLeadsPage, tb_leads_page, ADW_TYPE_BIN)

static void
tb_leads_page_reload (TbLeadsPage *self)
{
  gboolean empty = tb_page_fill_names (self->list, NULL);

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "content");
}

static void
tb_leads_page_class_init (TbLeadsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-leads-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, list);
}

static void
tb_leads_page_init (TbLeadsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tb_page_follow_store (GTK_WIDGET (self), NULL, G_CALLBACK (tb_leads_page_reload));
  tb_leads_page_reload (self);
}
