/* tb-contact-model.h — a contact list (or the DNC list) as a paged GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-contact.h"
#include "tb-store.h"
#include "tb-store-contacts.h"

G_BEGIN_DECLS

#define TB_CONTACT_MODEL_PAGE_SIZE 256

typedef enum {
  TB_CONTACT_FILTER_NONE,
  TB_CONTACT_FILTER_NEEDS_CONSENT,  /* those the dial gate blocks for R5 (no campaign's packs) */
} TbContactFilter;

#define TB_TYPE_CONTACT_MODEL (tb_contact_model_get_type ())
G_DECLARE_FINAL_TYPE (TbContactModel, tb_contact_model, TB, CONTACT_MODEL, GObject)

/* Items are TbContact. Pages of rows are fetched from @store when asked for
 * and a few are kept, so a million rows cost a count and the visible pages. */
TbContactModel *tb_contact_model_new          (TbStore        *store);
TbStore        *tb_contact_model_get_store    (TbContactModel *self);
/* 0: every list; a new model shows none (-1) until a list is set. */
void            tb_contact_model_set_list_id  (TbContactModel *self,
                                               gint64          list_id);
gint64          tb_contact_model_get_list_id  (TbContactModel *self);
/* Show the do-not-call list instead of contacts. */
void            tb_contact_model_set_dnc      (TbContactModel *self,
                                               gboolean        dnc);
gboolean        tb_contact_model_get_dnc      (TbContactModel *self);
void            tb_contact_model_set_search   (TbContactModel *self,
                                               const char     *search);
void            tb_contact_model_set_sort     (TbContactModel *self,
                                               TbContactSort   sort,
                                               gboolean        descending);
/* Search and sort without blocking: the count and the first page are read
 * on a thread with its own connection, and the model changes once they are
 * ready; a newer query makes an older one's result be dropped. */
void            tb_contact_model_set_query_async (TbContactModel *self,
                                               const char     *search,
                                               TbContactSort   sort,
                                               gboolean        descending);
/* Shows only the contacts @filter keeps, decided at @now (µs). Filtered, the model reads on
 * a thread: the count, the ids in order and the first page, as
 * tb_contact_model_set_query_async () does; tb_contact_model_reload () does the same. */
void            tb_contact_model_set_filter   (TbContactModel *self,
                                               TbContactFilter filter,
                                               gint64          now);
TbContactFilter tb_contact_model_get_filter   (TbContactModel *self);
/* Whether a query started with tb_contact_model_set_query_async () is running. */
gboolean        tb_contact_model_get_busy     (TbContactModel *self);
/* Re-reads the count and drops the cached pages (after an import). */
void            tb_contact_model_reload       (TbContactModel *self);
/* Whether a page not in the cache (but the first) is read on a reader thread
 * with its own connection while blank placeholder rows are shown, so the main
 * loop does not wait for SQLite while scrolling: what a view wants. Off by
 * default. */
void            tb_contact_model_set_async_pages (TbContactModel *self,
                                               gboolean        async_pages);
/* Pages read from the store so far (for tests and benchmarks). */
guint           tb_contact_model_get_n_fetches (TbContactModel *self);

G_END_DECLS
