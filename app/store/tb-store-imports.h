/* tb-store-imports.h — contact imports, and undoing one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* Records an import into @list_id (@created_list: the import made the list) from the file
 * named @source. Returns its id, for tb_contact_writer_set_import (), or 0 with @error set.
 * Use in the import's transaction. */
gint64   tb_store_add_import  (TbStore     *self,
                               gint64       list_id,
                               gboolean     created_list,
                               const char  *source,
                               GError     **error);

typedef struct {
  gint64   removed;        /* contacts of the import deleted */
  gint64   kept;           /* contacts of the import kept: they were dialed */
  gboolean list_deleted;   /* the import made the list, and nothing is left in it */
} TbImportUndo;

/* Undoes import @import_id in one transaction: deletes the contacts it added, except those
 * already dialed (an attempt, or being called now), which stay, counted in @undo->kept; when
 * the import made the list and the list is left empty, the list goes too (not while a
 * running or paused campaign dials it). An import undone whole is forgotten: undoing it again
 * fails with TB_STORE_ERROR_NOT_FOUND. */
gboolean tb_store_undo_import (TbStore      *self,
                               gint64        import_id,
                               TbImportUndo *undo,
                               GError      **error);

G_END_DECLS
