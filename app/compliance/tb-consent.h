/* tb-consent.h — the consent ledger's operations: import, add, revoke (R5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every change is written to the audit log in the same transaction.
 */
#pragma once

#include "tb-store.h"
#include "tb-store-consent.h"

G_BEGIN_DECLS

#define TB_CONSENT_ERROR (tb_consent_error_quark ())

typedef enum {
  TB_CONSENT_ERROR_INVALID,
} TbConsentError;

GQuark   tb_consent_error_quark  (void);

/* Adds one record and its audit row; returns the id or 0 with @error. */
gint64   tb_consent_add          (TbStore                *store,
                                  const TbConsentRecord  *record,
                                  gint64                  now,
                                  GError                **error);
/* Revokes @e164's records of @scope (NULL: all) and audits it; returns how
 * many, or -1 with @error. */
gint64   tb_consent_revoke       (TbStore                *store,
                                  const char             *e164,
                                  const char             *scope,
                                  gint64                  now,
                                  GError                **error);

/* Imports a CSV with a header naming the columns number (or e164, phone),
 * scope, source, evidence, collected_at (ISO 8601), collected_by, expires_at,
 * seller (optional). Numbers in any format are normalized to E.164, national ones in
 * @region (NULL: the locale's). All rows or none: an error names file:line.
 * The CSV parser here is minimal (RFC 4180 quoting; at most 64 fields and 64 KB a record, a
 * file of at most TB_LIMITS_CONSENT_CSV_BYTES); switch to the shared streaming reader of
 * app/contacts/ when it lands. */
gboolean tb_consent_import_file  (TbStore                *store,
                                  const char             *path,
                                  const char             *region,
                                  gint64                  now,
                                  guint                  *n_imported,
                                  GError                **error);

/* Parses ISO 8601 ("2026-05-01T10:00:00Z", or a bare date as UTC midnight)
 * to µs; FALSE if it is not one. */
gboolean tb_consent_parse_time   (const char             *text,
                                  gint64                 *out);

G_END_DECLS
