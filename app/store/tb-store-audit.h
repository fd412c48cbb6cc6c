/* tb-store-audit.h — rows of the append-only, hash-chained audit log (R8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chain itself (hashes, verification) is app/compliance/tb-audit.c; these
 * are its SQL. The table's triggers refuse UPDATE and DELETE.
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  gint64  at;            /* µs */
  char   *kind;
  char   *e164;
  gint64  campaign_id;   /* 0: none */
  gint64  attempt_id;    /* 0: none */
  char   *detail;        /* JSON object */
  char   *prev_hash;
  char   *hash;
} TbAuditRow;

void     tb_audit_row_clear     (TbAuditRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbAuditRow, tb_audit_row_clear)

/* The last row's id and hash (0 and NULL when the log is empty). */
gboolean tb_store_audit_get_last (TbStore           *self,
                                  gint64            *id,
                                  char             **hash,
                                  GError           **error);
/* Inserts @row with its id, as given. */
gboolean tb_store_audit_insert   (TbStore           *self,
                                  const TbAuditRow  *row,
                                  GError           **error);

/* Return FALSE to stop. */
typedef gboolean (*TbAuditRowFunc) (const TbAuditRow *row,
                                    gpointer          user_data);
/* Visits every row in id order, or only those of @e164 (when not NULL) and
 * of @campaign_id (when > 0). */
gboolean tb_store_audit_foreach  (TbStore           *self,
                                  const char        *e164,
                                  gint64             campaign_id,
                                  TbAuditRowFunc     func,
                                  gpointer           user_data,
                                  GError           **error);

/* The kinds of row that record a row of another table: every attempt has its "call.placed"
 * (attempt_id), every DNC entry a "dnc.added" or "dnc.opt-out" (e164), every consent record
 * a "consent.added" (e164, detail.consent_id). */
#define TB_AUDIT_KIND_CALL_PLACED   "call.placed"
#define TB_AUDIT_KIND_DNC_ADDED     "dnc.added"
#define TB_AUDIT_KIND_DNC_OPT_OUT   "dnc.opt-out"
#define TB_AUDIT_KIND_DNC_REMOVED   "dnc.removed"
#define TB_AUDIT_KIND_CONSENT_ADDED "consent.added"

/* The highest row ids of the audited tables (0: empty). */
typedef struct {
  gint64 attempts;
  gint64 dnc;
  gint64 consent;
} TbAuditMarks;

gboolean tb_store_audit_get_marks (TbStore       *self,
                                   TbAuditMarks  *marks,
                                   GError       **error);

/* A row of attempts, dnc or consent without its audit record. */
typedef struct {
  const char *table;   /* "attempts", "dnc", "consent" (static) */
  gint64      id;
  char       *e164;
} TbAuditMissing;

void     tb_audit_missing_free   (TbAuditMissing *missing);
/* The rows with ids above @after's that have no audit record, at most @limit of them, in
 * table and id order; @total: how many there are in all. (element-type TbAuditMissing) */
GPtrArray *tb_store_audit_list_missing (TbStore             *self,
                                        const TbAuditMarks  *after,
                                        guint                limit,
                                        gint64              *total,
                                        GError             **error);

/* The last dial or schedule decision ("dial.*", "schedule.*") about @e164 in @campaign_id (0:
 * those with no campaign): its id, kind and rule (NULL when allowed). 0 when there is none,
 * -1 on error. */
gint64   tb_store_audit_find_last_decision (TbStore     *self,
                                            const char  *e164,
                                            gint64       campaign_id,
                                            char       **kind,
                                            char       **rule,
                                            GError     **error);

G_END_DECLS
