/* tb-contact-dialog.h — edit one contact
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-contact.h"
#include "tb-store.h"

G_BEGIN_DECLS

/* A dialog over @parent that edits @contact in @store: name, phone, company, email and time
 * zone. The phone is normalized to E.164 as the importer does it (in the contact's country,
 * else the locale's); Save stays off, saying why, while it is not a number. On save the
 * store's "contacts" change is announced; a refusal is shown as a toast. */
AdwMessageDialog *tb_contact_dialog_new (GtkWindow *parent,
                                         TbStore   *store,
                                         TbContact *contact);

/* Asks before deleting @contact from @store; its calls stay in the history. A refusal (it is
 * being called) is shown as a toast. */
AdwMessageDialog *tb_contact_dialog_new_delete (GtkWindow *parent,
                                                TbStore   *store,
                                                TbContact *contact);

G_END_DECLS
