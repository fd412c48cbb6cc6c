/* tb-contact-mapping.h — which CSV column is the name, the phone, …
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TB_CONTACT_FIELD_NAME,
  TB_CONTACT_FIELD_PHONE,
  TB_CONTACT_FIELD_COMPANY,
  TB_CONTACT_FIELD_EMAIL,
  TB_CONTACT_FIELD_TIMEZONE,
  TB_CONTACT_FIELD_PERSONA,
  TB_CONTACT_FIELD_REASON,     /* DNC imports only */
  TB_CONTACT_N_FIELDS,
} TbContactField;

typedef struct _TbContactMapping TbContactMapping;

/* Decides from the first record whether it is a header, and maps columns by
 * their names (English and Chinese). Without a header, columns are named
 * "column_1", … and the phone column is guessed from the first data row. */
TbContactMapping *tb_contact_mapping_new_from_first_row (const char * const *cells,
                                                         guint               n_cells);
void              tb_contact_mapping_free      (TbContactMapping   *self);
TbContactMapping *tb_contact_mapping_copy      (const TbContactMapping *self);

gboolean          tb_contact_mapping_has_header (const TbContactMapping *self);
guint             tb_contact_mapping_get_n_columns (const TbContactMapping *self);
/* The column's header (or "column_N"). */
const char       *tb_contact_mapping_get_header (const TbContactMapping *self,
                                                 guint                   column);
/* 0-based column of @field, or -1. */
int               tb_contact_mapping_get_column (const TbContactMapping *self,
                                                 TbContactField          field);
void              tb_contact_mapping_set_column (TbContactMapping       *self,
                                                 TbContactField          field,
                                                 int                     column);
void              tb_contact_mapping_set_has_header (TbContactMapping   *self,
                                                 gboolean                has_header);
/* The column that is none of the mapped fields, so a custom field. */
gboolean          tb_contact_mapping_is_custom  (const TbContactMapping *self,
                                                 guint                   column);

/* "phone=3,name=1" (1-based column numbers) or "phone=Mobile" (by header). */
gboolean          tb_contact_mapping_apply_spec (TbContactMapping   *self,
                                                 const char         *spec,
                                                 GError            **error);
/* When no column is mapped to the phone yet, picks the first cell of @cells
 * that looks like a phone number. */
void              tb_contact_mapping_guess_from_row (TbContactMapping   *self,
                                                 const char * const *cells,
                                                 guint               n_cells);

const char       *tb_contact_field_get_key      (TbContactField      field);
/* Which field a header names ("手机号" → PHONE), or -1. */
int               tb_contact_field_from_header  (const char         *header);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbContactMapping, tb_contact_mapping_free)

G_END_DECLS
