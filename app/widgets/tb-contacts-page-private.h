/* tb-contacts-page-private.h — shared by tb-contacts-page*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-consent-panel.h"
#include "tb-contact-model.h"
#include "tb-contacts-page.h"

G_BEGIN_DECLS

struct _TbContactsPage
{
  AdwBin          parent_instance;

  /* template widgets */
  GtkStack       *stack;
  GtkListBox     *sidebar;
  GtkSearchEntry *search_entry;
  GtkLabel       *count_label;
  GtkEntry       *dnc_entry;
  GtkWidget      *dnc_add_button;
  GtkWidget      *toolbar_spacer;
  GtkWidget      *dnc_remove_button;
  GtkWidget      *list_menu_button;
  GtkWidget      *import_button;
  GtkWidget      *import_consent_button;
  GtkToggleButton *needs_consent_button;
  GtkStack       *views;
  GtkWidget      *consent_separator;
  TbConsentPanel *consent_panel;
  GtkColumnView  *columns;
  GtkColumnView  *dnc_columns;
  AdwStatusPage  *nothing_page;

  /* owned */
  TbContactModel *model;
  TbContactModel *dnc_model;
  TbContact      *probe_a;
  TbContact      *probe_b;
  GCancellable   *cancellable;

  gint64          list_id;
  TbContactSort   sort;
  gboolean        descending;
  gboolean        showing_dnc;
  int             probe_sort;
  gboolean        filling_sidebar;
};

/* tb-contacts-page.c */
/* The do-not-call entry / the list's contact selected in its table, or NULL. */
TbContact *_tb_contacts_page_selected_dnc      (TbContactsPage *self);
TbContact *_tb_contacts_page_selected_contact  (TbContactsPage *self);
void       _tb_contacts_page_toast             (TbContactsPage *self,
                                                const char     *message);

/* tb-contacts-page-actions.c: what the page's buttons and menus do. */
void       _tb_contacts_page_install_actions   (GtkWidgetClass *widget_class);

G_END_DECLS
