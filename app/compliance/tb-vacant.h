/* tb-vacant.h — a number the carrier says does not exist: never dialed again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* The dial gate's rule for a number recorded as vacant (not a compliance rule: the carrier
 * said nobody has it). */
#define TB_VACANT_RULE "vacant"
#define TB_AUDIT_KIND_NUMBER_VACANT "number.vacant"
#define TB_AUDIT_KIND_NUMBER_CLEARED "number.cleared"

/* In ONE transaction: records @e164 as vacant (@detail: what was recognised, for the call
 * record), cancels its pending queue items in every campaign and audits it
 * ("number.vacant"). @attempt_id, @campaign_id: 0 for none. */
gboolean tb_vacant_record (TbStore     *store,
                           const char  *e164,
                           const char  *source,
                           const char  *detail,
                           gint64       attempt_id,
                           gint64       campaign_id,
                           gint64       now,
                           guint       *n_cancelled,
                           GError     **error);
/* Clears it (the number was given to someone again), audited ("number.cleared"). FALSE with
 * TB_STORE_ERROR_NOT_FOUND when it was not recorded. */
gboolean tb_vacant_clear  (TbStore     *store,
                           const char  *e164,
                           gint64       now,
                           GError     **error);

G_END_DECLS
