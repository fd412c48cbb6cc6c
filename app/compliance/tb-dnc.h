/* tb-dnc.h — the do-not-call list's entries, each with its audit record (COMPLIANCE.md R1, R8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every write of the list goes through here or tb_opt_out_record(): the entry and its audit
 * row commit together, so `audit verify` can tell an entry written behind Telebot's back.
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* Lists @e164 (or refreshes its entry) with @source ("manual", "import", …) and @reason
 * (nullable), audited as "dnc.added". */
gboolean tb_dnc_add    (TbStore     *store,
                        const char  *e164,
                        const char  *source,
                        const char  *reason,
                        gint64       now,
                        GError     **error);
/* Takes @e164 off the list, audited as "dnc.removed" with @reason (nullable: why the business
 * may call this number again, e.g. "the customer asked to be called"). FALSE with
 * TB_STORE_ERROR_NOT_FOUND when it was not listed. */
gboolean tb_dnc_remove (TbStore     *store,
                        const char  *e164,
                        const char  *reason,
                        gint64       now,
                        GError     **error);

G_END_DECLS
