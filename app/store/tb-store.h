/* tb-store.h — the SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_STORE_ERROR (tb_store_error_quark ())

typedef enum {
  TB_STORE_ERROR_OPEN,
  TB_STORE_ERROR_MIGRATION,
  TB_STORE_ERROR_SQL,
  TB_STORE_ERROR_BUSY,
  TB_STORE_ERROR_CONSTRAINT,
  TB_STORE_ERROR_NOT_FOUND,
  TB_STORE_ERROR_TOO_NEW,
  TB_STORE_ERROR_FULL,        /* the disk (or the database's size limit) is full */
  TB_STORE_ERROR_READ_ONLY,   /* the file or its file system cannot be written */
} TbStoreError;

GQuark tb_store_error_quark (void);

#define TB_TYPE_STORE (tb_store_get_type ())
G_DECLARE_FINAL_TYPE (TbStore, tb_store, TB, STORE, GObject)

/**
 * TbStoreMigration:
 * @version: the `user_version` after this step
 * @name: a short name, for error messages
 * @sql: the statements of the step, run inside one `BEGIN IMMEDIATE` transaction
 * @rebuilds_tables: the step rebuilds tables (create new, copy, drop, rename): foreign keys
 *   are off while it runs, as SQLite requires, and checked before it commits
 *
 * One step of the append-only schema history.
 */
typedef struct {
  int         version;
  const char *name;
  const char *sql;
  gboolean    rebuilds_tables;
} TbStoreMigration;

TbStore    *tb_store_open                 (const char              *path,
                                           GError                 **error);
TbStore    *tb_store_open_with_migrations (const char              *path,
                                           const TbStoreMigration  *migrations,
                                           guint                    n_migrations,
                                           GError                 **error);
const char *tb_store_get_path             (TbStore                 *self);
const char *tb_store_get_data_dir         (TbStore                 *self);
char       *tb_store_resolve_path         (TbStore                 *self,
                                           const char              *stored);
gboolean    tb_store_is_read_only         (TbStore                 *self);
int         tb_store_get_schema_version   (TbStore                 *self);
int         tb_store_get_latest_version   (void);
const TbStoreMigration *tb_store_get_migrations (guint *n_migrations);

gboolean    tb_store_begin                (TbStore                 *self,
                                           GError                 **error);
gboolean    tb_store_commit               (TbStore                 *self,
                                           GError                 **error);
void        tb_store_rollback             (TbStore                 *self);
gboolean    tb_store_in_transaction       (TbStore                 *self);

gboolean    tb_store_exec                 (TbStore                 *self,
                                           const char              *sql,
                                           GError                 **error);

/* Settings: a small key/value table for headless configuration (never secrets). */
char       *tb_store_dup_setting          (TbStore                 *self,
                                           const char              *key,
                                           const char              *fallback);
gboolean    tb_store_set_setting          (TbStore                 *self,
                                           const char              *key,
                                           const char              *value,
                                           GError                 **error);

/* Phone numbers in the store are E.164: "+" and 4 to 15 digits, the first not 0. SQLite
 * refuses anything else in dnc, consent, contacts and campaign attempts (migration 3).
 * TB_STORE_NOT_E164 ("col") is the SQL condition of a column that is not. */
#define TB_STORE_NOT_E164(col) \
  "(" col " NOT GLOB '+[1-9]*' OR substr (" col ", 2) GLOB '*[^0-9]*' " \
  "OR length (" col ") NOT BETWEEN 5 AND 16)"
gboolean    tb_store_is_e164              (const char              *number);

/* Time in the store: microseconds since the Unix epoch, UTC (g_get_real_time ()). */

G_END_DECLS
