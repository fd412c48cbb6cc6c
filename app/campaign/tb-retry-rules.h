/* tb-retry-rules.h — when a campaign calls a contact again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TbRetryRules TbRetryRules;

/* The ceilings no campaign setting crosses ("no bombarding"): at most this many dials of one
 * contact, at least this many minutes before a retry. The dial gate adds its own floor on
 * top (at most 3 dials per number in 24 h, across campaigns). */
#define TB_RETRY_MAX_ATTEMPTS 10
#define TB_RETRY_MIN_MINUTES  10

/* @json: the campaign's retry_rules, e.g.
 *   {"max_attempts": 3, "retry_minutes": {"busy": 30, "no_answer": 120}}
 * Outcomes not listed take the defaults (busy 30 min, no_answer 120 min, unreachable
 * 120 min, powered_off 120 min, failed 60 min, media_timeout 60 min, media_failure 60 min,
 * speech_failure 60 min, interrupted 10 min, max 3 attempts); a negative number of minutes
 * means "not retried", and so does an outcome without a default (completed, vacant — the dial
 * gate refuses the number everywhere —, suspended, opted_out, …).
 * Values beyond the ceilings are clamped to them here (a campaign stored before they existed
 * still runs within them); tb_retry_rules_check() refuses them. NULL only when @json is not
 * an object. */
TbRetryRules *tb_retry_rules_new_from_json (const char    *json,
                                            GError       **error);
/* Whether @json is valid retry rules within the ceilings; FALSE with the reason, as a user
 * reads it, in @error. What `campaign create` and the retry editor ask. */
gboolean      tb_retry_rules_check         (const char    *json,
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
