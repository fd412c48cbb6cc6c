/* tb-number-repair.h — rewrite numbers stored before the store insisted on E.164
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* Once per database (the store flags it in migration 3): every DNC, consent, contact and
 * attempt row whose number is not E.164 is normalized with @region (NULL: the locale's) and
 * rewritten, so an opt-out stored as "(202) 555-0177" is found by the check of
 * +12025550177. Audited ("numbers.repair") when anything changed. Returns the rows
 * rewritten, -1 on error; @n_unfixed: rows that are no phone number (left as they were). */
gint64 tb_number_repair_run (TbStore     *store,
                             const char  *region,
                             gint64       now,
                             gint64      *n_unfixed,
                             GError     **error);

G_END_DECLS
