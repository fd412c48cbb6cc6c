/* tb-policy-rules.h — the rules in force at one time, of one pack or several merged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

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
  gboolean   confirm_opt_out_allowed; /* R2: ask once when an opt-out is not certain */
  int        recording_min_days;
  int        consent_evidence_min_days;
  gboolean   fixed_caller_id;      /* a callee is always called from the number it was first
                                    * called from: no rotating caller numbers (R4, R9) */
  char      *fixed_caller_id_pack; /* the pack that asks it ("CN", "CN+US" merged), or NULL */
  char      *fixed_caller_id_source;
} TbPolicyRules;

TbPolicyRules *tb_policy_rules_new   (const char *code);
void           tb_policy_rules_free  (TbPolicyRules *rules);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbPolicyRules, tb_policy_rules_free)

/* Strictest wins: windows intersect, holidays and consent scopes unite, the
 * smaller cap per window length wins, the longer minimum gap wins. */
TbPolicyRules *tb_policy_rules_merge (TbPolicyRules * const *rules,
                                      guint                  n_rules);
/* One day's windows as "10:00–13:00, 14:00–20:00" or "closed" (@day 0 is Monday). */
char          *tb_policy_rules_format_day (const TbPolicyRules *rules,
                                           int                  day);

/* R3: whether @rules' calling window (and holidays) allow a dial at @t (µs, UTC) in @tz
 * (named @tz_name in @why); if not, @why (nullable) says so ("R3 calling window US
 * 08:00-21:00 (now 21:30 America/New_York)") and @next is the next opening on the wall clock
 * of @tz (daylight saving time included), 0 if none within 60 days. */
gboolean       tb_policy_rules_window_allows (const TbPolicyRules  *rules,
                                              GTimeZone            *tz,
                                              const char           *tz_name,
                                              gint64                t,
                                              char                **why,
                                              gint64               *next);

G_END_DECLS
