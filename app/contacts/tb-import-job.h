/* tb-import-job.h — import a CSV file into a contact list, the DNC list or the consent ledger
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
  gboolean          consent;     /* into the consent ledger (tb-consent-file.h): a header names
                                  * the columns; @map and @mapping are not used */
} TbImportOptions;

void             tb_import_options_clear (TbImportOptions *options);
TbImportOptions *tb_import_options_copy  (const TbImportOptions *options);
void             tb_import_options_free  (TbImportOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbImportOptions, tb_import_options_clear)

/* Why rows were rejected, as the summaries count them. */
typedef enum {
  TB_IMPORT_REASON_UNCLOSED_QUOTE,   /* a stray quote: its line */
  TB_IMPORT_REASON_TOO_LONG,
  TB_IMPORT_REASON_ENCODING,         /* not text in the file's encoding */
  TB_IMPORT_REASON_NUL,
  TB_IMPORT_REASON_PHONE_EMPTY,
  TB_IMPORT_REASON_PHONE_INVALID,
  TB_IMPORT_REASON_CONSENT_SCOPE,    /* a consent record: not one of the scopes */
  TB_IMPORT_REASON_CONSENT_SOURCE,   /* a consent record without its source */
  TB_IMPORT_REASON_CONSENT_DATE,     /* a consent record's date is not ISO 8601 */
  TB_IMPORT_N_REASONS
} TbImportReason;

/* A stable name for JSON: "unclosed_quote", "too_long", "encoding", "nul_byte",
 * "phone_empty", "phone_invalid", "consent_scope", "consent_source", "consent_date". */
const char     *tb_import_reason_get_id    (TbImportReason reason);
/* The reason for people, translated. */
const char     *tb_import_reason_get_label (TbImportReason reason);

typedef struct {
  gint64    list_id;        /* 0 for a DNC or consent import */
  gint64    import_id;      /* for tb_store_undo_import (); 0 for a DNC or consent import */
  char     *list_name;
  gint64    rows;           /* = imported + duplicates + rejected */
  gint64    imported;
  gint64    duplicates;
  gint64    rejected;
  gint64    lines;          /* the lines the rows took in the file (no header, no blanks) */
  gint64    rejected_lines;
  gint64    reason_lines[TB_IMPORT_N_REASONS];   /* rejected lines, by reason */
  char     *rejects_path;   /* NULL when nothing was rejected */
  char     *encoding;
  gboolean  encoding_certain;
  char      delimiter;
} TbImportResult;

/* The share of lines rejected above which an import counts as failed: the good
 * rows are in, but a wrong encoding or a broken export is the likely cause. */
#define TB_IMPORT_MAX_REJECTED_PERCENT 1

void            tb_import_result_clear (TbImportResult *result);
/* Whether more than TB_IMPORT_MAX_REJECTED_PERCENT % of the lines were rejected. */
gboolean        tb_import_result_too_many_rejected (const TbImportResult *result);
/* 0..100: the share of lines rejected. */
double          tb_import_result_get_rejected_percent (const TbImportResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbImportResult, tb_import_result_clear)

/* Called every few thousand rows from the importing thread. @fraction is -1
 * when the input's size is unknown. */
typedef void (*TbImportProgressFunc) (gint64   rows,
                                      double   fraction,
                                      gpointer user_data);

/* Imports in one transaction on @store (a savepoint when the caller has one
 * open): on error or cancellation nothing of the import is left, the rejects
 * file included. Rejected rows go to <db-dir>/rejects/<list>-<time>.csv with
 * their source line, the reason, and the original fields; a row the reader
 * could not split (a stray quote, a NUL byte, too long) as its lines whole, in
 * one field. Consent records are audited one by one, as tb_consent_add () does. */
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
