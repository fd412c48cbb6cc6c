/* tb-retry-rules.h — when a campaign calls a contact again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TbRetryRules TbRetryRules;

/* @json: the campaign's retry_rules, e.g.
 *   {"max_attempts": 3, "retry_minutes": {"busy": 30, "no_answer": 120}}
 * Outcomes not listed are not retried; missing keys take the defaults
 * (busy 30 min, no_answer 120 min, unreachable 120 min, failed 60 min,
 * media_timeout 60 min, interrupted 0 min, max 3 attempts). */
TbRetryRules *tb_retry_rules_new_from_json (const char    *json,
                                            GError       **error);
void          tb_retry_rules_free          (TbRetryRules  *self);
int           tb_retry_rules_get_max_attempts (const TbRetryRules *self);
/* The time of the next attempt after an attempt ended with @outcome at @now,
 * @attempts_made dials so far; 0 when the contact is done. */
gint64        tb_retry_rules_next          (const TbRetryRules *self,
                                            const char         *outcome,
                                            int                 attempts_made,
                                            gint64              now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbRetryRules, tb_retry_rules_free)

G_END_DECLS
