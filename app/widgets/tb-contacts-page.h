/* tb-contacts-page.h — the Contacts page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-contact-model.h"

G_BEGIN_DECLS

#define TB_TYPE_CONTACTS_PAGE (tb_contacts_page_get_type ())
G_DECLARE_FINAL_TYPE (TbContactsPage, tb_contacts_page, TB, CONTACTS_PAGE, AdwBin)

void            tb_contacts_page_show_list (TbContactsPage *self,
                                            gint64          list_id);
TbContactModel *tb_contacts_page_get_model (TbContactsPage *self);
void            tb_contacts_page_export_dnc (TbContactsPage *self,
                                             GFile          *file);

G_END_DECLS
