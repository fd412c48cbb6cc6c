/* tb-cli-campaign-json.h — a campaign as `campaign create|run|status` print it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-store.h"

G_BEGIN_DECLS

/* Members "dialed", "answered", … of campaign @campaign_id's counters. */
void tb_cli_campaign_add_counters    (JsonBuilder *b,
                                      TbStore     *store,
                                      gint64       campaign_id);
/* "lines": one object per line of the pool (state, calls, answer rate, a rest's reason) with
 * its caller numbers at @now. */
void tb_cli_campaign_add_lines       (JsonBuilder *b,
                                      TbStore     *store,
                                      gint64       campaign_id,
                                      gint64       now);
/* "number_rule", its text, and the pack that fixes each callee's caller number (if any). */
void tb_cli_campaign_add_number_rule (JsonBuilder *b,
                                      TbStore     *store,
                                      gint64       campaign_id,
                                      const char  *policies,
                                      gint64       now);

G_END_DECLS
