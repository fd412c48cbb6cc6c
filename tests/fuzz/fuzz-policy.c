/* fuzz-policy.c — libFuzzer target: a policy pack (a user-editable file) is
 * validated, resolved at a date and merged without crashing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-policy.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(TbPolicy) policy = NULL;
  g_autoptr(TbPolicyRules) rules = NULL;
  g_autoptr(TbPolicyRules) merged = NULL;
  TbPolicyRules *both[2];

  policy = tb_policy_new_from_data (text, -1, "fuzz.json", NULL);
  if (policy == NULL)
    return 0;
  rules = tb_policy_dup_rules (policy, G_GINT64_CONSTANT (1773144000) * G_USEC_PER_SEC);
  both[0] = rules;
  both[1] = rules;
  merged = tb_policy_rules_merge (both, 2);
  for (int d = 0; d < 7; d++)
    g_free (tb_policy_rules_format_day (merged, d));
  g_strfreev (tb_policy_get_required_disclosures (policy));
  return 0;
}
