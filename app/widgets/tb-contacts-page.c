/* tb-contacts-page.c — the Contacts page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-contacts-page"

#include "config.h"

#include "tb-contacts-page.h"
#include "tb-page-util.h"

struct _TbContactsPage
{
  AdwBin      parent_instance;

  /* template widgets */
  GtkStack   *stack;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TbContactsPage, tb_contacts_page, ADW_TYPE_BIN)

static void
tb_contacts_page_reload (TbContactsPage *self)
{
  gboolean empty = tb_page_fill_names (self->list, "lists");

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "content");
}

static void
tb_contacts_page_class_init (TbContactsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-contacts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, list);
}

static void
tb_contacts_page_init (TbContactsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tb_page_follow_store (GTK_WIDGET (self), "lists", G_CALLBACK (tb_contacts_page_reload));
  tb_contacts_page_reload (self);
}
