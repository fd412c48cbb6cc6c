/* tb-store-dnc.h — the business's one do-not-call list (COMPLIANCE.md R1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

typedef struct {
  char   *e164;
  char   *source;      /* manual, import, speech, dtmf, registry */
  char   *reason;
  char   *words;
  gint64  attempt_id;  /* 0: none */
  gint64  created_at;
  gint64  expires_at;  /* 0: never */
} TbDncEntry;

void     tb_dnc_entry_clear     (TbDncEntry *entry);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbDncEntry, tb_dnc_entry_clear)
void     tb_dnc_entry_free      (TbDncEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbDncEntry, tb_dnc_entry_free)

/* Adds or refreshes an entry (an existing one keeps its first time, takes the
 * new source and words). Use inside the caller's transaction where the entry
 * must commit with something else (an opt-out with its call record). */
gboolean tb_store_dnc_add       (TbStore     *self,
                                 const char  *e164,
                                 const char  *source,
                                 const char  *reason,
                                 const char  *words,
                                 gint64       attempt_id,
                                 GError     **error);
/* The same at a given time (µs): the campaign clock, for simulated runs. */
gboolean tb_store_dnc_add_at    (TbStore     *self,
                                 const char  *e164,
                                 const char  *source,
                                 const char  *reason,
                                 const char  *words,
                                 gint64       attempt_id,
                                 gint64       at,
                                 GError     **error);
/* Returns FALSE with TB_STORE_ERROR_NOT_FOUND when the number is not listed. */
gboolean tb_store_dnc_remove    (TbStore     *self,
                                 const char  *e164,
                                 GError     **error);
/* Whether @e164 is listed and its entry has not expired at @now (µs). Fills
 * @entry (may be NULL) when it is. */
gboolean tb_store_dnc_lookup    (TbStore     *self,
                                 const char  *e164,
                                 gint64       now,
                                 TbDncEntry  *entry);

/* Entries (expired ones too), newest first, whose number contains @search
 * (NULL: all); appends up to @limit TbDncEntry * to @out from @offset. */
gboolean tb_store_dnc_list      (TbStore     *self,
                                 const char  *search,
                                 gint64       offset,
                                 guint        limit,
                                 GPtrArray   *out,
                                 GError     **error);
gint64   tb_store_dnc_count     (TbStore     *self,
                                 const char  *search);

typedef gboolean (*TbDncFunc) (const TbDncEntry  *entry,
                               gpointer           user_data,
                               GError           **error);
/* Calls @func for every entry (expired ones too), oldest first; stops with FALSE and the
 * error when @func fails. */
gboolean tb_store_dnc_foreach   (TbStore     *self,
                                 TbDncFunc    func,
                                 gpointer     user_data,
                                 GError     **error);

G_END_DECLS
