/* tb-contacts-page.h — the Contacts page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_CONTACTS_PAGE (tb_contacts_page_get_type ())
G_DECLARE_FINAL_TYPE (TbContactsPage, tb_contacts_page, TB, CONTACTS_PAGE, AdwBin)

G_END_DECLS
