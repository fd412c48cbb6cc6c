/* tb-opt-out.h — record an opt-out the lawful way (COMPLIANCE.md R1, R2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* In ONE transaction: writes the DNC entry (@source: speech, dtmf, manual,
 * import; @words: what the callee said), marks the attempt as an opt-out,
 * cancels the number's pending queue items in every campaign, and audits it
 * ("dnc.opt-out"). Call it first, before the goodbye prompt. @attempt_id: 0
 * for none. @n_cancelled: queue items cancelled. */
gboolean tb_opt_out_record (TbStore     *store,
                            const char  *e164,
                            const char  *source,
                            const char  *words,
                            gint64       attempt_id,
                            gint64       campaign_id,
                            gint64       now,
                            guint       *n_cancelled,
                            GError     **error);

G_END_DECLS
