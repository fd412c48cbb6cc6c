/* tb-lead.h — one graded call, as a list item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-store-leads.h"

G_BEGIN_DECLS

#define TB_TYPE_LEAD (tb_lead_get_type ())
G_DECLARE_FINAL_TYPE (TbLead, tb_lead, TB, LEAD, GObject)

/* Takes ownership of @row. */
TbLead          *tb_lead_new             (TbLeadRow  *row);
const TbLeadRow *tb_lead_get_row         (TbLead     *self);
/* The reasons as plain strings, in order. (transfer full) */
GStrv            tb_lead_dup_reasons     (TbLead     *self);
/* Loads graded calls matching @filter into a new GListStore of TbLead. */
GListModel      *tb_lead_list_load       (TbStore            *store,
                                          const TbLeadFilter *filter,
                                          GError            **error);

G_END_DECLS
