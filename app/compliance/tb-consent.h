/* tb-consent.h — the consent ledger's operations: import, add, revoke (R5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every change is written to the audit log in the same transaction. Reading a consent file:
 * tb-consent-file.h.
 */
#pragma once

#include "tb-store.h"
#include "tb-store-consent.h"
#include "tb-consent-file.h"

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

/* Parses ISO 8601 ("2026-05-01T10:00:00Z", or a bare date as UTC midnight)
 * to µs; FALSE if it is not one. */
gboolean tb_consent_parse_time   (const char             *text,
                                  gint64                 *out);

G_END_DECLS
