/* tb-store-contacts.h — contacts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* One contact as written to the store. Strings are borrowed. */
typedef struct {
  const char *e164;
  const char *raw_phone;
  const char *name;
  const char *company;
  const char *email;
  const char *country;
  const char *number_type;
  const char *timezone;
  const char *persona;
  const char *fields_json;   /* NULL: "{}" */
  gint64      source_line;
} TbContactRow;

/* Returns the new row id, 0 if the number is already in the list (not an
 * error: the first row wins), or -1 with @error set. */
gint64 tb_store_add_contact (TbStore            *self,
                             gint64              list_id,
                             const TbContactRow *row,
                             GError            **error);

G_END_DECLS
