/* tb-consent-file.h — a consent file's columns and rows (COMPLIANCE.md R5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one reading of a consent CSV, read by the shared streaming reader (tb-csv-reader.h):
 * `telebot-cli consent import` takes all rows or none (tb_consent_import_file), the window's
 * import takes the good rows and writes the others to a rejects file (tb_import_run with
 * TbImportOptions.consent). Both find the columns and check each row here.
 */
#pragma once

#include "tb-csv-reader.h"
#include "tb-store.h"
#include "tb-store-consent.h"

G_BEGIN_DECLS

typedef enum {
  TB_CONSENT_COLUMN_NUMBER,        /* "number", "e164" or "phone" */
  TB_CONSENT_COLUMN_SCOPE,
  TB_CONSENT_COLUMN_SOURCE,
  TB_CONSENT_COLUMN_EVIDENCE,
  TB_CONSENT_COLUMN_COLLECTED_AT,
  TB_CONSENT_COLUMN_COLLECTED_BY,
  TB_CONSENT_COLUMN_EXPIRES_AT,
  TB_CONSENT_COLUMN_SELLER,
  TB_CONSENT_N_COLUMNS
} TbConsentColumn;

/* Where each column is in the file; -1 when the file has none. */
typedef struct {
  int index[TB_CONSENT_N_COLUMNS];
} TbConsentColumns;

/* A record of more fields or bytes than these is refused: a consent record has 4 to 8 fields
 * and fits on a line (a 30 MB line of commas once made 4.7 GB of empty fields). */
#define TB_CONSENT_MAX_FIELDS        64
#define TB_CONSENT_MAX_RECORD_BYTES  (64 * 1024)

/* Why a row is refused. */
typedef enum {
  TB_CONSENT_ROW_OK,
  TB_CONSENT_ROW_TOO_BIG,          /* more than TB_CONSENT_MAX_FIELDS or _RECORD_BYTES */
  TB_CONSENT_ROW_NUMBER_EMPTY,
  TB_CONSENT_ROW_NUMBER_INVALID,
  TB_CONSENT_ROW_SCOPE,            /* not marketing, ai_voice or recording */
  TB_CONSENT_ROW_SOURCE,           /* empty */
  TB_CONSENT_ROW_DATE,             /* collected_at or expires_at is not ISO 8601 */
} TbConsentRowProblem;

/* The name a header gives the column ("number", "scope", …). */
const char      *tb_consent_column_get_name      (TbConsentColumn          column);
/* The scopes a record may have: "marketing", "ai_voice", "recording". */
const char * const *tb_consent_get_scopes        (void);

/* Finds the columns by the header's names (any case, spaces around ignored). FALSE when
 * number, scope, source or collected_at is missing (tb_consent_columns_get_requirement ()
 * says so). */
gboolean         tb_consent_columns_from_header  (TbConsentColumns        *columns,
                                                  const char * const      *fields,
                                                  guint                    n_fields);
/* "the header needs the columns number, scope, source and collected_at" */
const char      *tb_consent_columns_get_requirement (void);

/* Checks one data row (@record_bytes: its length in the file) and makes its record, the
 * number normalized to E.164 with @region for national numbers (NULL: the locale's).
 * NULL with @problem and @error (TB_CONSENT_ERROR_INVALID; the message names the field and
 * its value, not the file or line) when the row is refused. */
TbConsentRecord *tb_consent_parse_row            (const TbConsentColumns  *columns,
                                                  const char * const      *fields,
                                                  guint                    n_fields,
                                                  gsize                    record_bytes,
                                                  const char              *region,
                                                  TbConsentRowProblem     *problem,
                                                  GError                 **error);

/* Imports a consent CSV (any encoding and separator the reader detects; a header naming the
 * columns above) in one transaction, each record audited: all rows or none. An error names
 * file:line. */
gboolean         tb_consent_import_file          (TbStore                 *store,
                                                  const char              *path,
                                                  const char              *region,
                                                  gint64                   now,
                                                  guint                   *n_imported,
                                                  GError                 **error);

G_END_DECLS
