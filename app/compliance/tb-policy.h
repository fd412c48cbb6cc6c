/* tb-policy.h — policy packs: the rules of one jurisdiction, as dated data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pack is a JSON file (data/policies/CODE.json, or the same name in the user's
 * data dir, which wins). Every rule has effective_from, a source and a verified
 * flag. tb_policy_dup_rules() resolves the rules in force at a time;
 * tb_policy_rules_merge() combines several packs, strictest wins (COMPLIANCE.md).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tb-policy-rules.h"

G_BEGIN_DECLS

#define TB_POLICY_ERROR (tb_policy_error_quark ())

typedef enum {
  TB_POLICY_ERROR_INVALID,
  TB_POLICY_ERROR_NOT_FOUND,
} TbPolicyError;

GQuark tb_policy_error_quark (void);

#define TB_TYPE_POLICY (tb_policy_get_type ())
G_DECLARE_FINAL_TYPE (TbPolicy, tb_policy, TB, POLICY, GObject)

TbPolicy      *tb_policy_new_from_data    (const char  *data,
                                           gssize       length,
                                           const char  *filename,
                                           GError     **error);
TbPolicy      *tb_policy_new_from_file    (const char  *path,
                                           GError     **error);
/* Finds CODE.json in the user's data dir (telebot/policies), then Telebot's. */
TbPolicy      *tb_policy_load             (const char  *code,
                                           GError     **error);
/* "US, US-FL" -> the packs, in order, without duplicates. */
GPtrArray     *tb_policy_load_list        (const char  *codes,
                                           GError     **error);
/* Every pack code found, sorted. */
GStrv          tb_policy_dup_available_codes (void);

const char    *tb_policy_get_code         (TbPolicy    *self);
const char    *tb_policy_get_name         (TbPolicy    *self);
/* ISO 3166 alpha-2, or NULL for DEFAULT. */
const char    *tb_policy_get_country      (TbPolicy    *self);
const char    *tb_policy_get_path         (TbPolicy    *self);
/* The pack's whole document (for `policy show`). */
JsonNode      *tb_policy_get_document     (TbPolicy    *self);

/* How many dated rules the pack has, and how many are not verified. */
guint          tb_policy_count_rules      (TbPolicy    *self,
                                           guint       *n_unverified);

/* The rules in force at @now (µs since the epoch, UTC). */
TbPolicyRules *tb_policy_dup_rules        (TbPolicy    *self,
                                           gint64       now);
/* Resolves every pack at @now and merges them (strictest wins). */
TbPolicyRules *tb_policy_merge            (TbPolicy   * const *policies,
                                           guint               n_policies,
                                           gint64              now);

/* The disclosures a script must make at the start for this pack, now: a subset
 * of "identity", "automated", "recording" (when the call is recorded),
 * "opt_out", "callback". Free with g_strfreev(). */
GStrv          tb_policy_get_required_disclosures (TbPolicy *self);
/* The same for several packs ("US,US-FL"): their union. NULL with @error when
 * a pack cannot be loaded. */
GStrv          tb_policy_dup_disclosures_for_codes (const char  *codes,
                                                    GError     **error);

G_END_DECLS
