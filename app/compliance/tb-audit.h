/* tb-audit.h — the append-only, hash-chained audit log (COMPLIANCE.md R8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row's hash is SHA-256 over the previous row's hash and the row's
 * canonical content (id, time, kind, number, campaign, attempt, detail), so an
 * edited or deleted row breaks the chain at that row. The last id and hash are
 * also kept in the settings table ("audit-head") so a deleted tail shows too.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-store.h"

G_BEGIN_DECLS

#define TB_AUDIT_ERROR (tb_audit_error_quark ())

typedef enum {
  TB_AUDIT_ERROR_TAMPERED,
} TbAuditError;

GQuark   tb_audit_error_quark (void);

/* Appends one event in its own (nested) transaction. @detail: a JSON object,
 * or NULL. @campaign_id, @attempt_id: 0 for none. Returns the row id, or 0
 * with @error set. */
gint64   tb_audit_append      (TbStore     *store,
                               gint64       at,
                               const char  *kind,
                               const char  *e164,
                               gint64       campaign_id,
                               gint64       attempt_id,
                               JsonNode    *detail,
                               GError     **error);

/* Records a dial: the attempt (tb_store_attempt_begin()) and its "call.placed" audit row,
 * in one transaction. Returns the attempt id, 0 with @error set. */
gint64   tb_audit_begin_attempt (TbStore    *store,
                                 gint64      campaign_id,
                                 gint64      contact_id,
                                 gint64      line_id,
                                 const char *e164,
                                 gint64      now,
                                 GError    **error);

/* Walks the whole chain. On a break returns FALSE with TB_AUDIT_ERROR_TAMPERED
 * naming the first bad row, and sets @first_bad_id. @n_rows: rows checked. */
gboolean tb_audit_verify      (TbStore     *store,
                               gint64      *n_rows,
                               gint64      *first_bad_id,
                               GError     **error);

G_END_DECLS
