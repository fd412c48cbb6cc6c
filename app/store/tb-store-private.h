/* tb-store-private.h — for the files of app/store/ only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "tb-store.h"

G_BEGIN_DECLS

sqlite3      *_tb_store_get_db        (TbStore     *self);

/* The store's write-behind thread (tb-store-writer.c): NULL until first used. */
typedef struct _TbStoreWriter TbStoreWriter;
TbStoreWriter **_tb_store_writer_slot  (TbStore       *self);
void          _tb_store_writer_free    (TbStoreWriter *writer);

/* Returns a cached prepared statement, reset and with bindings cleared.
 * Do not finalize it. NULL with @error set on a SQL error. */
sqlite3_stmt *_tb_store_prepare       (TbStore     *self,
                                       const char  *sql,
                                       GError     **error);

/* Sets @error from the connection's last error; always returns FALSE. */
gboolean      _tb_store_set_error     (TbStore     *self,
                                       int          rc,
                                       const char  *what,
                                       GError     **error);

/* Steps a statement that returns no rows (INSERT/UPDATE/DELETE). */
gboolean      _tb_store_step_done     (TbStore       *self,
                                       sqlite3_stmt  *stmt,
                                       GError       **error);

/* Binding helpers by name (":name"); NULL text binds SQL NULL. */
void          _tb_bind_text           (sqlite3_stmt *stmt, const char *name, const char *value);
void          _tb_bind_int64          (sqlite3_stmt *stmt, const char *name, gint64 value);
void          _tb_bind_double         (sqlite3_stmt *stmt, const char *name, double value);
void          _tb_bind_null           (sqlite3_stmt *stmt, const char *name);
/* Ids, times and codes are positive when present; 0 means "none" and binds SQL NULL. */
void          _tb_bind_id_or_null     (sqlite3_stmt *stmt, const char *name, gint64 value);
char         *_tb_column_dup_text     (sqlite3_stmt *stmt, int col);

G_END_DECLS
