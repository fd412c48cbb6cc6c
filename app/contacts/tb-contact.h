/* tb-contact.h — one row of a contact list (or of the DNC list) for list models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tb-store-contacts.h"
#include "tb-store-dnc.h"

G_BEGIN_DECLS

#define TB_TYPE_CONTACT (tb_contact_get_type ())
G_DECLARE_FINAL_TYPE (TbContact, tb_contact, TB, CONTACT, GObject)

/* Takes the record's strings. */
TbContact  *tb_contact_new_take_record (TbContactRecord *record);
/* A do-not-call entry: phone, reason (as the name), source; dnc is TRUE. */
TbContact  *tb_contact_new_take_dnc    (TbDncEntry      *entry);

gint64      tb_contact_get_id          (TbContact *self);
const char *tb_contact_get_e164        (TbContact *self);
const char *tb_contact_get_name        (TbContact *self);
const char *tb_contact_get_company     (TbContact *self);
const char *tb_contact_get_email       (TbContact *self);
const char *tb_contact_get_country     (TbContact *self);
const char *tb_contact_get_number_type (TbContact *self);
const char *tb_contact_get_timezone    (TbContact *self);
const char *tb_contact_get_fields_json (TbContact *self);
const char *tb_contact_get_source      (TbContact *self);
gint64      tb_contact_get_created_at  (TbContact *self);
gboolean    tb_contact_get_dnc         (TbContact *self);

G_END_DECLS
