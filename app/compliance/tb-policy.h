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

G_BEGIN_DECLS

#define TB_POLICY_ERROR (tb_policy_error_quark ())

typedef enum {
  TB_POLICY_ERROR_INVALID,
  TB_POLICY_ERROR_NOT_FOUND,
} TbPolicyError;

GQuark tb_policy_error_quark (void);

/* Minutes after local midnight, [start, end). */
typedef struct {
  int start;
  int end;
} TbPolicyInterval;

typedef struct {
  int     count;          /* at most this many dials ... */
  gint64  window_us;      /* ... in any rolling window this long */
  char   *pack;           /* the pack it comes from */
  char   *source;
  gboolean verified;
} TbPolicyCap;

typedef struct {
  char   *name;           /* US-NDNC, UK-TPS, FR-BLOCTEL */
  int     max_age_days;
  char   *pack;
  char   *source;
} TbPolicyRegistry;

/* The rules in force at one time, of one pack or of several merged. */
typedef struct {
  char      *code;                 /* "US-FL", or "US+US-FL" after a merge */
  gboolean   has_window;           /* FALSE: no calling-window rule */
  GArray    *days[7];              /* TbPolicyInterval, sorted; index 0 is Monday */
  char      *window_source;
  gboolean   window_verified;
  GHashTable *holidays;            /* "YYYY-MM-DD" -> name: no calls that local day */
  GHashTable *workdays;            /* "YYYY-MM-DD" -> "": a weekend day worked as Monday */
  GArray    *caps;                 /* TbPolicyCap */
  gint64     min_gap_us;           /* 0: none */
  char      *min_gap_source;
  GStrv      required_scopes;      /* consent scopes a dial needs (R5) */
  char      *consent_source;
  GArray    *registries;           /* TbPolicyRegistry (R1) */
  gboolean   dnc_expires;
  int        dnc_quiet_period_days;
  int        dnc_opt_out_max_days; /* -1: no rule */
  int        dnc_keep_years;
  gboolean   has_abandonment;      /* R7 */
  double     abandon_max_rate;
  gint64     abandon_window_us;
  int        abandon_max_silence_ms;
  int        ring_min_seconds;
  double     abandon_throttle_at;  /* fraction of the limit where pacing slows */
  gint64     redial_after_abandon_us; /* 0: none (UK: 72 h) */
  char      *abandon_source;
  GStrv      disclosures;          /* identity, automated, recording, opt_out, callback */
  gboolean   ask_reason_allowed;   /* CN only */
  int        recording_min_days;
  int        consent_evidence_min_days;
} TbPolicyRules;

TbPolicyRules *tb_policy_rules_new   (const char *code);
void           tb_policy_rules_free  (TbPolicyRules *rules);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbPolicyRules, tb_policy_rules_free)

/* Strictest wins: windows intersect, holidays and consent scopes unite, the
 * smaller cap per window length wins, the longer minimum gap wins. */
TbPolicyRules *tb_policy_rules_merge (TbPolicyRules * const *rules,
                                      guint                  n_rules);
/* "Mon 08:00-20:00, Tue ..." per day, for messages and `policy show`. */
char          *tb_policy_rules_format_day (const TbPolicyRules *rules,
                                           int                  day);

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

G_END_DECLS
