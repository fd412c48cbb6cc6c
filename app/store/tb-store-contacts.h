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

/* Rewrites contact @contact_id from @row (e164 normalized by the caller; NULL persona and
 * fields_json keep what is stored). TB_STORE_ERROR_CONSTRAINT when another contact of its
 * list has the number, TB_STORE_ERROR_NOT_FOUND when it is gone. */
gboolean tb_store_update_contact (TbStore            *self,
                                  gint64              contact_id,
                                  const TbContactRow *row,
                                  GError            **error);
/* Deletes one contact. Its calls stay in the history with their number and outcome, no
 * longer linked to it. TB_STORE_ERROR_CONSTRAINT while it is being called,
 * TB_STORE_ERROR_NOT_FOUND when it is gone. */
gboolean tb_store_delete_contact (TbStore            *self,
                                  gint64              contact_id,
                                  GError            **error);

/* Bulk insert into one list: rows are written 64 at a time by one prepared
 * multi-row INSERT (the first of equal numbers wins). The row's strings are
 * not copied: they must stay valid until the next flush (an add that fills
 * a batch of 64 flushes it). Use inside a transaction; flush, then free,
 * before committing. */
typedef struct _TbContactWriter TbContactWriter;

TbContactWriter *tb_contact_writer_new          (TbStore            *store,
                                                 gint64              list_id,
                                                 GError            **error);
gboolean         tb_contact_writer_add          (TbContactWriter    *self,
                                                 const TbContactRow *row,
                                                 GError            **error);
gboolean         tb_contact_writer_flush        (TbContactWriter    *self,
                                                 GError            **error);
/* The rows added from now on belong to import @import_id (tb_store_add_import ()). */
void             tb_contact_writer_set_import   (TbContactWriter    *self,
                                                 gint64              import_id);
/* Rows given to add () so far, and rows written (the rest were duplicates);
 * exact after a flush. */
gint64           tb_contact_writer_get_added    (TbContactWriter    *self);
gint64           tb_contact_writer_get_inserted (TbContactWriter    *self);
void             tb_contact_writer_free         (TbContactWriter    *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbContactWriter, tb_contact_writer_free)

/* A contact as read back from the store; strings owned. */
typedef struct {
  gint64    id;
  gint64    list_id;
  char     *e164;
  char     *raw_phone;
  char     *name;
  char     *company;
  char     *email;
  char     *country;
  char     *number_type;
  char     *timezone;
  char     *persona;
  char     *fields_json;
  gint64    source_line;
  gboolean  dnc;          /* the number is on the do-not-call list */
} TbContactRecord;

void tb_contact_record_free (TbContactRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbContactRecord, tb_contact_record_free)

typedef enum {
  TB_CONTACT_SORT_ID,
  TB_CONTACT_SORT_NAME,
  TB_CONTACT_SORT_PHONE,
  TB_CONTACT_SORT_COMPANY,
  TB_CONTACT_SORT_COUNTRY,
  TB_CONTACT_SORT_TYPE,
} TbContactSort;

/* Makes this connection fit for a long bulk write: a bigger page cache.
 * Import jobs call it on their own connection. */
gboolean tb_store_contacts_tune_for_import (TbStore      *self,
                                            GError      **error);

/* Contacts of @list_id (0: every list) whose name, number, company or email
 * contains @search (NULL: all). */
gint64   tb_store_count_contacts    (TbStore            *self,
                                     gint64              list_id,
                                     const char         *search);
/* Appends up to @limit TbContactRecord * to @out, in @sort order, from @offset. */
gboolean tb_store_list_contacts     (TbStore            *self,
                                     gint64              list_id,
                                     const char         *search,
                                     TbContactSort       sort,
                                     gboolean            descending,
                                     gint64              offset,
                                     guint               limit,
                                     GPtrArray          *out,
                                     GError            **error);

/* The ids of the contacts tb_store_list_contacts () lists, all of them, in its order. */
GArray  *tb_store_list_contact_ids  (TbStore            *self,
                                     gint64              list_id,
                                     const char         *search,
                                     TbContactSort       sort,
                                     gboolean            descending,
                                     GError            **error);
/* Appends the contacts of @ids (TbContactRecord *, dnc set) to @out, in the order of @ids;
 * ids of contacts that are gone are skipped. */
gboolean tb_store_list_contacts_by_ids (TbStore         *self,
                                     const gint64       *ids,
                                     guint               n_ids,
                                     GPtrArray          *out,
                                     GError            **error);

typedef gboolean (*TbContactFunc) (const TbContactRecord *record,
                                   gpointer               user_data,
                                   GError               **error);
/* Calls @func for every contact of @list_id (0: all) in id order; stops with
 * FALSE and the error when @func fails. */
gboolean tb_store_foreach_contact   (TbStore            *self,
                                     gint64              list_id,
                                     TbContactFunc       func,
                                     gpointer            user_data,
                                     GError            **error);
/* The keys of the custom fields (JSON) used in @list_id, sorted. */
GStrv    tb_store_dup_contact_field_keys (TbStore       *self,
                                     gint64              list_id,
                                     GError            **error);

G_END_DECLS
