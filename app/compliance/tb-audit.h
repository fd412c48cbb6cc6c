/* tb-audit.h — the append-only, signed and chained audit log (COMPLIANCE.md R8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row's hash is HMAC-SHA256, under a key kept out of the database (tb-audit-key.h),
 * over the previous row's hash and the row's canonical content (id, time, kind, number,
 * campaign, attempt, detail): an edited or deleted row breaks the chain at that row, and
 * whoever can write the database file but does not hold the key cannot rewrite the chain
 * and recompute it. The last id and hash are also kept in the settings table
 * ("audit-head") so a deleted tail shows too.
 *
 * A log begun before it was keyed keeps its plain SHA-256 rows: the first signed row,
 * "audit.keyed", counts them and notes how far the attempts, DNC and consent tables went
 * then; verification accepts exactly that unsigned prefix.
 *
 * Every attempt, DNC entry and consent record has its audit row ("call.placed",
 * "dnc.added" or "dnc.opt-out", "consent.added"; tb-store-audit.h): a log emptied or cut
 * short shows as rows without their record.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-store.h"

G_BEGIN_DECLS

#define TB_AUDIT_ERROR (tb_audit_error_quark ())

typedef enum {
  TB_AUDIT_ERROR_TAMPERED,     /* the chain breaks */
  TB_AUDIT_ERROR_INCOMPLETE,   /* rows of the audited tables have no audit record */
} TbAuditError;

GQuark   tb_audit_error_quark (void);

/* Appends one event in its own (nested) transaction, signed with the database's key (made
 * on first use). @detail: a JSON object, or NULL. @campaign_id, @attempt_id: 0 for none.
 * Returns the row id, or 0 with @error set. */
gint64   tb_audit_append      (TbStore     *store,
                               gint64       at,
                               const char  *kind,
                               const char  *e164,
                               gint64       campaign_id,
                               gint64       attempt_id,
                               JsonNode    *detail,
                               GError     **error);

/* Makes the database's audit key when it has none yet (and records the switch of a log
 * begun without one). Call once after opening, before anything is written. */
gboolean tb_audit_ensure_key  (TbStore     *store,
                               gint64       now,
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

typedef struct {
  gint64     rows;            /* rows checked */
  gint64     first_bad_id;    /* where the chain breaks; 0: it holds */
  gint64     keyed_from;      /* the first row signed with the key; 0: none */
  gint64     unkeyed_rows;    /* plain rows before it (a log begun before keys) */
  gint64     missing_count;   /* rows of attempts, dnc, consent without their record */
  GPtrArray *missing;         /* (element-type TbAuditMissing): the first of them */
} TbAuditReport;

void     tb_audit_report_clear (TbAuditReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbAuditReport, tb_audit_report_clear)

/* tb_audit_verify(), then (when the chain holds) the audit record of every attempt, DNC
 * and consent row. FALSE with TB_AUDIT_ERROR_TAMPERED or TB_AUDIT_ERROR_INCOMPLETE and
 * @report filled, or with another error (SQL, a key that cannot be read). */
gboolean tb_audit_check       (TbStore        *store,
                               TbAuditReport  *report,
                               GError        **error);

G_END_DECLS
