/* tb-policy-private.h — shared by tb-policy.c and tb-policy-validate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-policy.h"

G_BEGIN_DECLS

/* Checks a pack's whole document; the error names @filename and the JSON path. */
gboolean _tb_policy_validate          (JsonNode          *root,
                                       const char        *filename,
                                       GError           **error);
/* "HH:MM-HH:MM" with the start before the end ("24:00" allowed as an end). */
gboolean _tb_policy_parse_interval    (const char        *text,
                                       TbPolicyInterval  *out);
int      _tb_policy_compare_interval  (gconstpointer      a,
                                       gconstpointer      b);
/* A-Z, 0-9 and '-', at most 16: safe as a file name. */
gboolean _tb_policy_is_code           (const char        *code);

G_END_DECLS
