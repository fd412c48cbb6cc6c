/* tb-campaigns-page.c — the Campaigns page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-campaigns-page"

#include "config.h"

#include "tb-campaigns-page.h"
#include "tb-page-util.h"

struct _TbCampaignsPage
{
  AdwBin      parent_instance;

  /* template widgets */
  GtkStack   *stack;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TbCampaignsPage, tb_campaigns_page, ADW_TYPE_BIN)

static void
tb_campaigns_page_reload (TbCampaignsPage *self)
{
  gboolean empty = tb_page_fill_names (self->list, "campaigns");

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "content");
}

static void
tb_campaigns_page_class_init (TbCampaignsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-campaigns-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbCampaignsPage, list);
}

static void
tb_campaigns_page_init (TbCampaignsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tb_page_follow_store (GTK_WIDGET (self), "campaigns", G_CALLBACK (tb_campaigns_page_reload));
  tb_campaigns_page_reload (self);
}
