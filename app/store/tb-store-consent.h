/* tb-store-consent.h — the consent ledger (COMPLIANCE.md R5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Consent rows are never deleted (retention keeps them ≥ 5 years); a
 * revocation sets revoked_at.
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  char   *e164;
  char   *seller;
  char   *scope;          /* marketing, ai_voice, recording */
  char   *source;         /* form, document, verbal */
  char   *evidence;       /* form URL and text, document id, call id */
  gint64  collected_at;   /* µs */
  char   *collected_by;
  gint64  expires_at;     /* 0: never */
  gint64  revoked_at;     /* 0: not revoked */
} TbConsentRecord;

void       tb_consent_record_free     (TbConsentRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbConsentRecord, tb_consent_record_free)

/* Returns the new row id, or 0 with @error set. */
gint64     tb_store_consent_add       (TbStore                *self,
                                       const TbConsentRecord  *record,
                                       GError                **error);
/* Revokes the number's live records of @scope (NULL: every scope) at @at.
 * Returns how many, or -1 with @error set. */
gint64     tb_store_consent_revoke    (TbStore                *self,
                                       const char             *e164,
                                       const char             *scope,
                                       gint64                  at,
                                       GError                **error);
/* The number's records, oldest first (TbConsentRecord *). */
GPtrArray *tb_store_consent_list      (TbStore                *self,
                                       const char             *e164,
                                       GError                **error);
/* Whether a record of @scope for @e164 is in force at @now (collected, not
 * expired, not revoked). Fills @id_out with its id when found. */
gboolean   tb_store_consent_has_valid (TbStore                *self,
                                       const char             *e164,
                                       const char             *scope,
                                       gint64                  now,
                                       gint64                 *id_out);

G_END_DECLS
