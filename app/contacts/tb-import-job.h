/* tb-import-job.h — import a CSV file into a contact list or the DNC list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-contact-mapping.h"
#include "tb-store.h"

G_BEGIN_DECLS

typedef struct {
  char             *path;
  char             *list_name;   /* NULL: the file's name without extension */
  char             *region;      /* default region for national numbers; NULL: "US" */
  char             *encoding;    /* NULL or "auto": detect */
  char              delimiter;   /* 0: detect */
  char             *map;         /* "phone=3,name=1" or "phone=Mobile" */
  TbContactMapping *mapping;     /* a complete mapping (the import dialog's); NULL: detect */
  gboolean          dnc;         /* into the do-not-call list instead of a contact list */
} TbImportOptions;

void             tb_import_options_clear (TbImportOptions *options);
TbImportOptions *tb_import_options_copy  (const TbImportOptions *options);
void             tb_import_options_free  (TbImportOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbImportOptions, tb_import_options_clear)

typedef struct {
  gint64  list_id;        /* 0 for a DNC import */
  char   *list_name;
  gint64  rows;           /* = imported + duplicates + rejected */
  gint64  imported;
  gint64  duplicates;
  gint64  rejected;
  char   *rejects_path;   /* NULL when nothing was rejected */
  char   *encoding;
  char    delimiter;
} TbImportResult;

void            tb_import_result_clear (TbImportResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbImportResult, tb_import_result_clear)

/* Called every few thousand rows from the importing thread. @fraction is -1
 * when the input's size is unknown. */
typedef void (*TbImportProgressFunc) (gint64   rows,
                                      double   fraction,
                                      gpointer user_data);

/* Imports in one transaction on @store (a savepoint when the caller has one
 * open): on error or cancellation nothing of the import is left, the rejects
 * file included. Rejected rows go to <db-dir>/rejects/<list>-<time>.csv with
 * their source line, the reason, and the original fields. */
gboolean tb_import_run (TbStore                *store,
                        const TbImportOptions  *options,
                        TbImportProgressFunc    progress,
                        gpointer                user_data,
                        TbImportResult         *result,
                        GCancellable           *cancellable,
                        GError                **error);

/* The same import on a thread with its own connection to the database at
 * @db_path; "rows" and "fraction" are updated on the main context of the
 * thread that called tb_import_job_run_async (). */
#define TB_TYPE_IMPORT_JOB (tb_import_job_get_type ())
G_DECLARE_FINAL_TYPE (TbImportJob, tb_import_job, TB, IMPORT_JOB, GObject)

TbImportJob          *tb_import_job_new          (const char             *db_path,
                                                  const TbImportOptions  *options);
gint64                tb_import_job_get_rows     (TbImportJob            *self);
double                tb_import_job_get_fraction (TbImportJob            *self);
void                  tb_import_job_run_async    (TbImportJob            *self,
                                                  GCancellable           *cancellable,
                                                  GAsyncReadyCallback     callback,
                                                  gpointer                user_data);
/* Fills @result (clear it after) and returns TRUE, or FALSE with @error set. */
gboolean              tb_import_job_run_finish   (TbImportJob            *self,
                                                  GAsyncResult           *result,
                                                  TbImportResult         *out,
                                                  GError                **error);

G_END_DECLS
