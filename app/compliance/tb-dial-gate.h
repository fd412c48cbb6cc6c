/* tb-dial-gate.h — allow or block one dial, naming the rule (COMPLIANCE.md R1–R5, R7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialer calls tb_dial_gate_check() immediately before every dial (the DNC
 * list and the attempt counts are read at that moment) and when it schedules a
 * retry. Every decision is written to the audit log.
 *
 * Which packs apply: the callee's jurisdiction (tb-jurisdiction.h) plus the
 * campaign's packs; a campaign's "DEFAULT" adds nothing by itself (DEFAULT
 * applies when the callee's jurisdiction has no pack). Strictest wins.
 */
#pragma once

#include <gio/gio.h>

#include "tb-policy-rules.h"
#include "tb-store.h"

G_BEGIN_DECLS

#define TB_DIAL_GATE_ERROR (tb_dial_gate_error_quark ())
GQuark tb_dial_gate_error_quark (void);

typedef enum {
  TB_DIAL_GATE_ERROR_NOT_A_TEST_NUMBER,  /* a test call to a number not on the list */
} TbDialGateError;

typedef enum {
  TB_DIAL_PURPOSE_DIAL,      /* about to dial: audit kind "dial.allowed" / "dial.blocked" */
  TB_DIAL_PURPOSE_SCHEDULE,  /* planning a retry at @now: "schedule.*" */
  TB_DIAL_PURPOSE_PREVIEW,   /* a user's question (CLI): "check.*" */
  TB_DIAL_PURPOSE_PREFLIGHT, /* a campaign's pre-flight survey: not a decision, not audited */
} TbDialPurpose;

typedef struct {
  gboolean  allowed;
  char     *rule;          /* "R1", "R3", "R4", "R5"; NULL when allowed */
  char     *message;       /* names the rule, the pack and the figures */
  gint64    next_allowed;  /* µs when the window/caps allow it again; 0: allowed now or
                              waiting will not help (DNC, consent, stale registry) */
  char     *timezone;      /* the (first) zone used for the window, or NULL */
  GStrv     timezones;     /* every candidate zone */
  GStrv     packs;         /* the packs applied */
  gint64    audit_id;      /* the audit row of this decision */
} TbDialDecision;

void            tb_dial_decision_free (TbDialDecision *decision);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbDialDecision, tb_dial_decision_free)

/* The callee as the gate sees it; NULL fields are unknown. */
typedef struct {
  const char *e164;
  const char *country;    /* contacts.country */
  const char *timezone;   /* contacts.timezone */
  const char *state;      /* a US state ("FL") from the contact's fields */
} TbDialCallee;

#define TB_TYPE_DIAL_GATE (tb_dial_gate_get_type ())
G_DECLARE_FINAL_TYPE (TbDialGate, tb_dial_gate, TB, DIAL_GATE, GObject)

TbDialGate     *tb_dial_gate_new           (TbStore             *store);

/* Decides for @callee at @now (µs, UTC). @campaign_packs: comma-separated
 * codes (campaigns.policies), may be NULL. @campaign_id: 0 for none. Returns
 * NULL with @error only when the store or a pack cannot be read. */
TbDialDecision *tb_dial_gate_check         (TbDialGate          *self,
                                            const TbDialCallee  *callee,
                                            const char          *campaign_packs,
                                            gint64               campaign_id,
                                            gint64               now,
                                            TbDialPurpose        purpose,
                                            GError             **error);
/* Whether the gate would block @callee for R5 at @now: no valid record of a consent scope a
 * pack requires, and not blocked before that by R1. Not audited. FALSE with @error when the
 * store or a pack cannot be read. */
gboolean        tb_dial_gate_needs_consent (TbDialGate          *self,
                                            const TbDialCallee  *callee,
                                            const char          *campaign_packs,
                                            gint64               now,
                                            GError             **error);
/* The same for a queue item: reads the contact and the campaign's packs. */
TbDialDecision *tb_dial_gate_check_contact (TbDialGate          *self,
                                            gint64               campaign_id,
                                            gint64               contact_id,
                                            gint64               now,
                                            TbDialPurpose        purpose,
                                            GError             **error);

/* R3 when scheduling a retry: the earliest time at or after @desired_at that
 * the windows and caps allow (@desired_at itself if allowed), 0 if waiting
 * will not help (DNC, consent, stale registry), -1 with @error on failure.
 * Audited as "schedule.*". @decision_out (may be NULL) gets the decision. */
gint64          tb_dial_gate_next_slot     (TbDialGate          *self,
                                            const TbDialCallee  *callee,
                                            const char          *campaign_packs,
                                            gint64               campaign_id,
                                            gint64               desired_at,
                                            TbDialDecision     **decision_out,
                                            GError             **error);

/* Pre-flight report for a campaign (the New Campaign dialog, `compliance
 * preflight`): every contact of its list checked at @now, not audited. @cancellable stops the
 * survey between two contacts (G_IO_ERROR_CANCELLED). */
typedef struct {
  guint       contacts;
  guint       allowed_now;
  GHashTable *blocked;      /* rule ("R1", "R3", ...) -> GUINT_TO_POINTER (count) */
  GHashTable *examples;     /* rule -> the first message seen (char *) */
  GHashTable *packs;        /* pack code -> GUINT_TO_POINTER (contacts it applies to) */
  guint       ambiguous;    /* contacts with several candidate zones or countries */
  guint       allowed_later;  /* blocked now, allowed by waiting (a window, a cap) */
  gint64      next_allowed;   /* µs: the first of those times; 0 when none */
  char       *next_allowed_why; /* what holds that first one back until then */
} TbPreflight;

void            tb_preflight_free          (TbPreflight *preflight);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbPreflight, tb_preflight_free)

TbPreflight    *tb_dial_gate_preflight     (TbDialGate          *self,
                                            gint64               campaign_id,
                                            gint64               now,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* The same before the campaign exists (the New Campaign dialog): the contacts
 * of list @list_id under @campaign_packs (comma-separated, may be NULL). */
TbPreflight    *tb_dial_gate_preflight_list (TbDialGate         *self,
                                            gint64               list_id,
                                            const char          *campaign_packs,
                                            gint64               now,
                                            GCancellable        *cancellable,
                                            GError             **error);

/* For people, how many contacts each rule holds back, most first: "3 contacts need consent
 * (R5), 1 is on the do-not-call list (R1)". @counts: rule ("R5") -> GUINT_TO_POINTER
 * (contacts); @examples (nullable): rule -> one of its messages (a TbPreflight's tables). */
char           *tb_dial_gate_describe_blocked (GHashTable       *counts,
                                               GHashTable       *examples);

/* R7 pacing: 1.0 well under the campaign's abandonment limit, falling
 * linearly to 0.0 from the pack's throttle point (80 % of the limit) to the
 * limit; multiply the concurrency by it (0: dial nothing new). @rate_out: the
 * abandoned share of answered calls over the pack's window. */
double          tb_dial_gate_pacing_factor (TbDialGate          *self,
                                            gint64               campaign_id,
                                            const char          *campaign_packs,
                                            gint64               now,
                                            double              *rate_out,
                                            GError             **error);

/* The business's own numbers and test extensions (settings "test_numbers", one per line):
 * the only ones a test call (`line test-call`, `call --test`) may ring without the rules. */
#define TB_DIAL_GATE_SETTING_TEST_NUMBERS "test_numbers"

/* A test call to @number (E.164, an extension or a SIP URI, as configured): allowed only
 * when it is on the test-number list; audited as "dial.test" or "dial.test-refused" either
 * way. FALSE with @error (TB_DIAL_GATE_ERROR_NOT_A_TEST_NUMBER) when it is not on the list. */
gboolean        tb_dial_gate_allow_test_call (TbDialGate        *self,
                                              const char        *number,
                                              gint64             now,
                                              GError           **error);
GStrv           tb_dial_gate_dup_test_numbers (TbDialGate       *self);
gboolean        tb_dial_gate_edit_test_numbers (TbDialGate      *self,
                                                const char      *number,
                                                gboolean         add,
                                                gint64           now,
                                                GError         **error);

/* The merged rules of every pack that applies to @callee (NULL when a pack cannot be read). */
TbPolicyRules  *tb_dial_gate_dup_callee_rules (TbDialGate       *self,
                                               const TbDialCallee *callee,
                                               const char       *campaign_packs,
                                               gint64            now);
/* R2: whether the dialog may ask once when an opt-out is heard but not certain (a pack can
 * forbid it: then an opt-out is recorded on first hearing). */
gboolean        tb_dial_gate_confirm_opt_out_allowed (TbDialGate   *self,
                                                      const TbDialCallee *callee,
                                                      const char   *campaign_packs,
                                                      gint64        now);
/* R2: whether the script may ask the reason once after an opt-out (CN only). */
gboolean        tb_dial_gate_ask_reason_allowed (TbDialGate         *self,
                                                 const TbDialCallee *callee,
                                                 const char         *campaign_packs,
                                                 gint64              now);

G_END_DECLS
