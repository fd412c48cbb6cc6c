/* tb-dial-gate.c — the compliance gate in front of every dial
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-dial-gate"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "tb-audit.h"
#include "tb-dial-gate.h"
#include "tb-jurisdiction.h"
#include "tb-policy.h"
#include "tb-store-audit.h"
#include "tb-store-compliance.h"
#include "tb-store-consent.h"
#include "tb-store-dnc.h"
#include "tb-store-numbers.h"
#include "tb-vacant.h"

/* Abandonment pacing does not react before this many answered calls: one
 * early silent call must not stop a campaign. */
#define PACING_MIN_SAMPLE 100

struct _TbDialGate
{
  GObject     parent_instance;

  /* owned */
  TbStore    *store;
  GHashTable *policies;   /* code -> TbPolicy */
};

G_DEFINE_QUARK (tb-dial-gate-error-quark, tb_dial_gate_error)

G_DEFINE_FINAL_TYPE (TbDialGate, tb_dial_gate, G_TYPE_OBJECT)

void
tb_dial_decision_free (TbDialDecision *decision)
{
  if (decision == NULL)
    return;
  g_free (decision->rule);
  g_free (decision->message);
  g_free (decision->timezone);
  g_strfreev (decision->timezones);
  g_strfreev (decision->packs);
  g_free (decision);
}

static TbPolicy *
get_policy (TbDialGate  *self,
            const char  *code,
            GError     **error)
{
  TbPolicy *policy = g_hash_table_lookup (self->policies, code);

  if (policy == NULL) {
    policy = tb_policy_load (code, error);
    if (policy == NULL)
      return NULL;
    g_hash_table_insert (self->policies, g_strdup (code), policy);
  }
  return policy;
}

/* The callee's packs, then the campaign's (less DEFAULT), without duplicates. */
static GStrv
applicable_packs (const TbJurisdiction *j,
                  const char           *campaign_packs)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_auto(GStrv) parts = g_strsplit_set (campaign_packs ? campaign_packs : "", ",+ ", -1);

  for (guint i = 0; j->packs[i]; i++) {
    g_strv_builder_add (b, j->packs[i]);
    g_ptr_array_add (seen, j->packs[i]);
  }
  for (guint i = 0; parts[i]; i++) {
    if (*parts[i] == '\0' || g_str_equal (parts[i], "DEFAULT") ||
        g_ptr_array_find_with_equal_func (seen, parts[i], g_str_equal, NULL))
      continue;
    g_strv_builder_add (b, parts[i]);
    g_ptr_array_add (seen, parts[i]);
  }
  return g_strv_builder_end (b);
}

static char *
format_duration (gint64 us)
{
  gint64 s = us / G_USEC_PER_SEC;

  if (s >= 7 * 86400 && s % 86400 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", s / 86400),
                            (int) (s / 86400));
  if (s >= 3600 && s % 3600 == 0)
    return g_strdup_printf (C_("compliance", "%d h"), (int) (s / 3600));
  if (s >= 60 && s % 60 == 0)
    return g_strdup_printf (C_("compliance", "%d min"), (int) (s / 60));
  return g_strdup_printf (C_("compliance", "%d s"), (int) s);
}

static char *
format_time (gint64 us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  return g_date_time_format_iso8601 (dt);
}

typedef struct {
  TbPolicyRules **rules;       /* per pack */
  guint           n_rules;
  GTimeZone     **zones;
  GStrv           zone_names;
  guint           n_zones;
  GArray         *dial_times;  /* ascending, up to now */
  gint64          last_abandoned;
} Eval;

/* One pass over windows and caps at @t. Returns the time to try next (> t)
 * when something blocks at @t, else @t. Sets @why (first block) if asked. */
static gint64
eval_at (Eval    *ev,
         gint64   t,
         char   **rule,
         char   **why)
{
  gint64 next = t;

  for (guint p = 0; p < ev->n_rules; p++) {
    const TbPolicyRules *r = ev->rules[p];

    for (guint z = 0; z < ev->n_zones; z++) {
      g_autofree char *w = NULL;
      gint64 open = 0;

      if (!tb_policy_rules_window_allows (r, ev->zones[z], ev->zone_names[z], t,
                                          why && !*why ? &w : NULL, &open)) {
        if (why && !*why) {
          *why = g_steal_pointer (&w);
          *rule = g_strdup ("R3");
        }
        if (open == 0)
          return 0;
        next = MAX (next, open);
      }
    }

    for (guint c = 0; c < r->caps->len; c++) {
      const TbPolicyCap *cap = &g_array_index (r->caps, TbPolicyCap, c);
      guint n = 0, first = 0;

      for (guint i = 0; i < ev->dial_times->len; i++)
        if (g_array_index (ev->dial_times, gint64, i) > t - cap->window_us) {
          if (n == 0)
            first = i;
          n++;
        }
      if (n >= (guint) cap->count) {
        gint64 free_at = g_array_index (ev->dial_times, gint64, first + n - cap->count) +
                         cap->window_us;

        if (why && !*why) {
          g_autofree char *win = format_duration (cap->window_us);
          *why = g_strdup_printf (_("R4 cap %s %d per %s (%u dials in the last %s)"), cap->pack,
                                  cap->count, win, n, win);
          *rule = g_strdup ("R4");
        }
        next = MAX (next, free_at);
      }
    }

    if (r->min_gap_us > 0 && ev->dial_times->len > 0) {
      gint64 last = g_array_index (ev->dial_times, gint64, ev->dial_times->len - 1);

      if (t < last + r->min_gap_us) {
        if (why && !*why) {
          g_autofree char *gap = format_duration (r->min_gap_us);
          *why = g_strdup_printf (_("R4 minimum gap %s %s between dials"), r->code, gap);
          *rule = g_strdup ("R4");
        }
        next = MAX (next, last + r->min_gap_us);
      }
    }

    if (r->redial_after_abandon_us > 0 && ev->last_abandoned > 0 &&
        t < ev->last_abandoned + r->redial_after_abandon_us) {
      if (why && !*why) {
        g_autofree char *block = format_duration (r->redial_after_abandon_us);
        g_autofree char *when = format_time (ev->last_abandoned);
        *why = g_strdup_printf (_("R4 no automated redial %s within %s of an abandoned call (%s)"),
                                r->code, block, when);
        *rule = g_strdup ("R4");
      }
      next = MAX (next, ev->last_abandoned + r->redial_after_abandon_us);
    }
  }
  return next;
}

static JsonNode *
strv_node (const char * const *strv)
{
  JsonArray *a = json_array_new ();
  JsonNode *n = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; strv && strv[i]; i++)
    json_array_add_string_element (a, strv[i]);
  json_node_take_array (n, a);
  return n;
}

static gboolean
audit_decision (TbDialGate      *self,
                TbDialDecision  *d,
                const char      *e164,
                const char      *why,
                gint64           campaign_id,
                gint64           now,
                TbDialPurpose    purpose,
                GError         **error)
{
  static const char * const prefixes[] = { "dial", "schedule", "check", "preflight" };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  g_autofree char *kind = g_strdup_printf ("%s.%s", prefixes[purpose],
                                           d->allowed ? "allowed" : "blocked");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "allowed");
  json_builder_add_boolean_value (b, d->allowed);
  json_builder_set_member_name (b, "rule");
  if (d->rule)
    json_builder_add_string_value (b, d->rule);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, d->message);
  json_builder_set_member_name (b, "next_allowed");
  json_builder_add_int_value (b, d->next_allowed);
  json_builder_set_member_name (b, "packs");
  json_builder_add_value (b, strv_node ((const char * const *) d->packs));
  json_builder_set_member_name (b, "timezones");
  json_builder_add_value (b, strv_node ((const char * const *) d->timezones));
  json_builder_set_member_name (b, "jurisdiction");
  json_builder_add_string_value (b, why);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);

  /* The same block of the same contact for the same rule is one fact: audited once, until
   * something else is decided for it (a dialer that re-checks must not fill the log). */
  if (!d->allowed && (purpose == TB_DIAL_PURPOSE_DIAL || purpose == TB_DIAL_PURPOSE_SCHEDULE)) {
    g_autofree char *last_kind = NULL, *last_rule = NULL;
    gint64 last_id = tb_store_audit_find_last_decision (self->store, e164, campaign_id,
                                                        &last_kind, &last_rule, error);

    if (last_id < 0)
      return FALSE;
    if (last_id > 0 && g_strcmp0 (last_kind, kind) == 0 && g_strcmp0 (last_rule, d->rule) == 0) {
      d->audit_id = last_id;
      return TRUE;
    }
  }
  d->audit_id = tb_audit_append (self->store, now, kind, e164, campaign_id, 0, detail, error);
  return d->audit_id > 0;
}

static void
block (TbDialDecision *d,
       const char     *rule,
       char           *message)
{
  d->allowed = FALSE;
  d->rule = g_strdup (rule);
  d->message = message;
}

static void
tb_dial_gate_finalize (GObject *object)
{
  TbDialGate *self = (TbDialGate *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->policies, g_hash_table_unref);

  G_OBJECT_CLASS (tb_dial_gate_parent_class)->finalize (object);
}

static void
tb_dial_gate_class_init (TbDialGateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_dial_gate_finalize;
}

static void
tb_dial_gate_init (TbDialGate *self)
{
  self->policies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

TbDialGate *
tb_dial_gate_new (TbStore *store)
{
  TbDialGate *self;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  self = g_object_new (TB_TYPE_DIAL_GATE, NULL);
  self->store = g_object_ref (store);
  return self;
}

/* The floor under every pack: whatever a campaign's retry rules or a lenient pack allow,
 * nobody is dialed more than 3 times in 24 h or twice within 10 minutes ("no bombarding";
 * a pack may only be stricter). Evaluated like a pack, after the real ones. */
#define FLOOR_CODE "Telebot"
#define FLOOR_CAP_COUNT 3
#define FLOOR_CAP_WINDOW_US ((gint64) 24 * 3600 * G_USEC_PER_SEC)
#define FLOOR_MIN_GAP_US ((gint64) 10 * 60 * G_USEC_PER_SEC)

static TbPolicyRules *
floor_rules_new (void)
{
  TbPolicyRules *r = tb_policy_rules_new (FLOOR_CODE);
  TbPolicyCap cap = {
    FLOOR_CAP_COUNT, FLOOR_CAP_WINDOW_US, g_strdup (FLOOR_CODE),
    g_strdup ("the product's floor: at most 3 dials per number in 24 h"), TRUE,
  };

  g_array_append_val (r->caps, cap);
  r->min_gap_us = FLOOR_MIN_GAP_US;
  r->min_gap_source = g_strdup ("the product's floor: at least 10 minutes between two dials");
  return r;
}

/* Resolved rules of each pack at @now (and the product's floor last), and their merge. */
static gboolean
resolve_rules (TbDialGate           *self,
               const char * const   *packs,
               gint64                now,
               GPtrArray           **per_pack,
               TbPolicyRules       **merged,
               GError              **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tb_policy_rules_free);

  for (guint i = 0; packs[i]; i++) {
    TbPolicy *policy = get_policy (self, packs[i], error);

    if (policy == NULL)
      return FALSE;
    g_ptr_array_add (rules, tb_policy_dup_rules (policy, now));
  }
  *merged = tb_policy_rules_merge ((TbPolicyRules * const *) rules->pdata, rules->len);
  g_ptr_array_add (rules, floor_rules_new ());
  *per_pack = g_steal_pointer (&rules);
  return TRUE;
}

/* The decision; with @up_to_consent only R1 and R5 are decided (what "needs consent" asks:
 * R3 and R4 come after them and cannot turn an R5 block into another), and nothing is
 * audited. */
static TbDialDecision *
decide (TbDialGate          *self,
        const TbDialCallee  *callee,
        const char          *campaign_packs,
        gint64               campaign_id,
        gint64               now,
        TbDialPurpose        purpose,
        gboolean             up_to_consent,
        GError             **error)
{
  g_autoptr(TbDialDecision) d = g_new0 (TbDialDecision, 1);
  g_autoptr(TbJurisdiction) j = NULL;
  g_autoptr(GPtrArray) per_pack = NULL;
  g_autoptr(TbPolicyRules) merged = NULL;
  g_autoptr(GPtrArray) zones = g_ptr_array_new_with_free_func (
    (GDestroyNotify) g_time_zone_unref);
  g_auto(TbDncEntry) dnc = { 0 };
  g_auto(TbNumberStatus) dead = { 0 };
  const char *e164 = callee->e164;

  j = tb_jurisdiction_resolve (e164, callee->country, callee->timezone, callee->state);
  d->packs = applicable_packs (j, campaign_packs);
  d->timezones = g_strdupv (j->timezones);
  d->timezone = g_strdup (j->timezones[0]);
  d->allowed = TRUE;

  if (!resolve_rules (self, (const char * const *) d->packs, now, &per_pack, &merged, error))
    return NULL;

  /* R1: the business's list, read now (it changes mid-campaign). G_MININT64
   * finds expired entries too, for the packs' quiet periods. */
  if (tb_store_dnc_lookup (self->store, e164, G_MININT64, &dnc)) {
    gint64 quiet_end = dnc.created_at +
                       (gint64) merged->dnc_quiet_period_days * 86400 * G_USEC_PER_SEC;
    g_autofree char *since = format_time (dnc.created_at);

    if (dnc.expires_at == 0 || dnc.expires_at > now)
      block (d, "R1", g_strdup_printf (_("R1 do-not-call (listed %s, source %s)"), since,
                                       dnc.source));
    else if (!merged->dnc_expires)
      block (d, "R1", g_strdup_printf (_("R1 do-not-call: %s keeps entries; the expiry set on "
                                       "this one does not apply (listed %s)"), merged->code,
                                       since));
    else if (now < quiet_end)
      block (d, "R1", g_strdup_printf (_("R1 do-not-call quiet period of %d days after a "
                                       "refusal (listed %s)"), merged->dnc_quiet_period_days,
                                       since));
  }

  /* A number the carrier said does not exist ("空号", "not in service"): never dialed again,
   * by any campaign, until someone clears it. Not a person's refusal, so its own rule. */
  if (d->allowed && tb_store_number_status_lookup (self->store, e164, &dead)) {
    g_autofree char *since = format_time (dead.created_at);

    block (d, TB_VACANT_RULE,
           g_strdup_printf (_("vacant number: the carrier said %s does not exist (%s, %s)"),
                            e164, since, dead.detail ? dead.detail : dead.source));
  }

  /* R1: imported registries must be fresh. */
  for (guint i = 0; d->allowed && i < merged->registries->len; i++) {
    const TbPolicyRegistry *reg = &g_array_index (merged->registries, TbPolicyRegistry, i);
    gint64 fetched = tb_store_compliance_get_registry_fetched_at (self->store, reg->name);
    gint64 age_days = fetched > 0 ? (now - fetched) / ((gint64) 86400 * G_USEC_PER_SEC) : 0;

    if (fetched > 0 && now - fetched > (gint64) reg->max_age_days * 86400 * G_USEC_PER_SEC)
      block (d, "R1", g_strdup_printf (_("R1 registry %s is %d days old (max %d)"),
                                       reg->name, (int) age_days, reg->max_age_days));
  }

  /* R5: consent the packs require. */
  for (guint p = 0; d->allowed && p < per_pack->len; p++) {
    const TbPolicyRules *r = g_ptr_array_index (per_pack, p);

    for (guint s = 0; d->allowed && r->required_scopes[s]; s++)
      if (!tb_store_consent_has_valid (self->store, e164, r->required_scopes[s], now, NULL))
        block (d, "R5", g_strdup_printf (_("R5 consent %s required by %s (no valid record for "
                                         "%s)"), r->required_scopes[s], r->code, e164));
  }

  if (up_to_consent)
    return g_steal_pointer (&d);

  for (guint z = 0; j->timezones[z]; z++)
    g_ptr_array_add (zones, g_time_zone_new_identifier (j->timezones[z]));

  if (d->allowed && zones->len == 0) {
    for (guint p = 0; d->allowed && p < per_pack->len; p++) {
      const TbPolicyRules *r = g_ptr_array_index (per_pack, p);

      if (r->has_window)
        block (d, "R3", g_strdup_printf (_("R3 calling window %s: the time zone of %s is unknown "
                                         "(set the contact's time zone)"), r->code, e164));
    }
  }

  /* R3 and R4: windows in every candidate zone, caps across every campaign. */
  if (d->allowed && zones->len > 0) {
    gint64 max_window = 0, max_block = 0, since, t;
    g_autofree char *rule = NULL;
    g_autofree char *why = NULL;
    Eval ev = { 0 };

    for (guint p = 0; p < per_pack->len; p++) {
      const TbPolicyRules *r = g_ptr_array_index (per_pack, p);

      for (guint c = 0; c < r->caps->len; c++)
        max_window = MAX (max_window, g_array_index (r->caps, TbPolicyCap, c).window_us);
      max_window = MAX (max_window, r->min_gap_us);
      max_block = MAX (max_block, r->redial_after_abandon_us);
    }
    since = now - max_window;
    ev.rules = (TbPolicyRules **) per_pack->pdata;
    ev.n_rules = per_pack->len;
    ev.zones = (GTimeZone **) zones->pdata;
    ev.zone_names = j->timezones;
    ev.n_zones = zones->len;
    ev.dial_times = tb_store_compliance_list_dial_times (self->store, e164, since, now, error);
    if (ev.dial_times == NULL)
      return NULL;
    if (max_block > 0) {
      ev.last_abandoned = tb_store_compliance_last_abandoned (self->store, e164, now - max_block,
                                                              now, 2 * G_USEC_PER_SEC, error);
      if (ev.last_abandoned < 0) {
        g_array_unref (ev.dial_times);
        return NULL;
      }
    }

    t = eval_at (&ev, now, &rule, &why);
    if (why != NULL) {
      block (d, rule, g_steal_pointer (&why));
      /* Fixed point: move forward until every window and cap agrees. */
      for (int i = 0; i < 64 && t > 0; i++) {
        gint64 t2 = eval_at (&ev, t, NULL, NULL);

        if (t2 == t)
          break;
        t = t2;
      }
      d->next_allowed = t > 0 && eval_at (&ev, t, NULL, NULL) == t ? t : 0;
    }
    g_array_unref (ev.dial_times);
  }

  if (d->allowed)
    d->message = g_strdup_printf (_("allowed by %s"), merged->code);

  if (purpose != TB_DIAL_PURPOSE_PREFLIGHT &&
      !audit_decision (self, d, e164, j->why, campaign_id, now, purpose, error))
    return NULL;
  return g_steal_pointer (&d);
}

TbDialDecision *
tb_dial_gate_check (TbDialGate          *self,
                    const TbDialCallee  *callee,
                    const char          *campaign_packs,
                    gint64               campaign_id,
                    gint64               now,
                    TbDialPurpose        purpose,
                    GError             **error)
{
  g_return_val_if_fail (TB_IS_DIAL_GATE (self), NULL);
  g_return_val_if_fail (callee != NULL && callee->e164 != NULL, NULL);

  return decide (self, callee, campaign_packs, campaign_id, now, purpose, FALSE, error);
}

gboolean
tb_dial_gate_needs_consent (TbDialGate          *self,
                            const TbDialCallee  *callee,
                            const char          *campaign_packs,
                            gint64               now,
                            GError             **error)
{
  g_autoptr(TbDialDecision) d = NULL;
  GError *local = NULL;

  g_return_val_if_fail (TB_IS_DIAL_GATE (self), FALSE);
  g_return_val_if_fail (callee != NULL && callee->e164 != NULL, FALSE);

  d = decide (self, callee, campaign_packs, 0, now, TB_DIAL_PURPOSE_PREFLIGHT, TRUE, &local);
  if (d == NULL) {
    g_propagate_error (error, local);
    return FALSE;
  }
  return !d->allowed && g_strcmp0 (d->rule, "R5") == 0;
}

TbDialDecision *
tb_dial_gate_check_contact (TbDialGate     *self,
                            gint64          campaign_id,
                            gint64          contact_id,
                            gint64          now,
                            TbDialPurpose   purpose,
                            GError        **error)
{
  g_auto(TbComplianceContact) contact = { 0 };
  g_autofree char *packs = NULL;
  TbDialCallee callee;

  g_return_val_if_fail (TB_IS_DIAL_GATE (self), NULL);

  if (!tb_store_compliance_get_contact (self->store, contact_id, &contact, error))
    return NULL;
  if (campaign_id > 0 &&
      (packs = tb_store_compliance_dup_campaign_policies (self->store, campaign_id,
                                                          error)) == NULL)
    return NULL;
  callee = (TbDialCallee) { contact.e164, contact.country, contact.timezone, contact.state };
  return tb_dial_gate_check (self, &callee, packs, campaign_id, now, purpose, error);
}

gint64
tb_dial_gate_next_slot (TbDialGate          *self,
                        const TbDialCallee  *callee,
                        const char          *campaign_packs,
                        gint64               campaign_id,
                        gint64               desired_at,
                        TbDialDecision     **decision_out,
                        GError             **error)
{
  g_autoptr(TbDialDecision) d = NULL;
  gint64 slot;

  g_return_val_if_fail (TB_IS_DIAL_GATE (self), -1);

  d = tb_dial_gate_check (self, callee, campaign_packs, campaign_id, desired_at,
                          TB_DIAL_PURPOSE_SCHEDULE, error);
  if (d == NULL)
    return -1;
  slot = d->allowed ? desired_at : d->next_allowed;
  if (decision_out)
    *decision_out = g_steal_pointer (&d);
  return slot;
}

void
tb_preflight_free (TbPreflight *preflight)
{
  if (preflight == NULL)
    return;
  g_hash_table_unref (preflight->blocked);
  g_hash_table_unref (preflight->examples);
  g_hash_table_unref (preflight->packs);
  g_free (preflight->next_allowed_why);
  g_free (preflight);
}

typedef struct {
  TbDialGate   *gate;
  TbPreflight  *report;
  const char   *packs;
  gint64        campaign_id;
  gint64        now;
  GCancellable *cancellable;
  GError       *error;
} PreflightState;

static void
count (GHashTable *table,
       const char *key)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (table, key));

  g_hash_table_replace (table, g_strdup (key), GUINT_TO_POINTER (n + 1));
}

static gboolean
preflight_contact (gint64                      contact_id,
                   const TbComplianceContact  *contact,
                   gpointer                    user_data)
{
  PreflightState *st = user_data;
  TbDialCallee callee = { contact->e164, contact->country, contact->timezone, contact->state };
  g_autoptr(TbDialDecision) d = NULL;

  if (g_cancellable_set_error_if_cancelled (st->cancellable, &st->error))
    return FALSE;
  d = tb_dial_gate_check (st->gate, &callee, st->packs, st->campaign_id, st->now,
                          TB_DIAL_PURPOSE_PREFLIGHT, &st->error);
  if (d == NULL)
    return FALSE;
  st->report->contacts++;
  if (d->allowed) {
    st->report->allowed_now++;
  } else {
    if (d->next_allowed > 0) {
      st->report->allowed_later++;
      if (st->report->next_allowed == 0 || d->next_allowed < st->report->next_allowed) {
        st->report->next_allowed = d->next_allowed;
        g_free (st->report->next_allowed_why);
        st->report->next_allowed_why = g_strdup (d->message);
      }
    }
    count (st->report->blocked, d->rule);
    if (!g_hash_table_contains (st->report->examples, d->rule))
      g_hash_table_insert (st->report->examples, g_strdup (d->rule), g_strdup (d->message));
  }
  for (guint i = 0; d->packs[i]; i++)
    count (st->report->packs, d->packs[i]);
  if (g_strv_length (d->timezones) > 1)
    st->report->ambiguous++;
  return TRUE;
}

static TbPreflight *
preflight_new (void)
{
  TbPreflight *report = g_new0 (TbPreflight, 1);

  report->blocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  report->examples = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  report->packs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return report;
}

TbPreflight *
tb_dial_gate_preflight (TbDialGate   *self,
                        gint64        campaign_id,
                        gint64        now,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autoptr(TbPreflight) report = preflight_new ();
  g_autofree char *packs = NULL;
  PreflightState st = { self, report, NULL, campaign_id, now, cancellable, NULL };

  g_return_val_if_fail (TB_IS_DIAL_GATE (self), NULL);

  packs = tb_store_compliance_dup_campaign_policies (self->store, campaign_id, error);
  if (packs == NULL)
    return NULL;
  st.packs = packs;
  if (!tb_store_compliance_foreach_campaign_contact (self->store, campaign_id, preflight_contact,
                                                     &st, error))
    return NULL;
  if (st.error != NULL) {
    g_propagate_error (error, st.error);
    return NULL;
  }
  return g_steal_pointer (&report);
}

TbPreflight *
tb_dial_gate_preflight_list (TbDialGate   *self,
                             gint64        list_id,
                             const char   *campaign_packs,
                             gint64        now,
                             GCancellable *cancellable,
                             GError      **error)
{
  g_autoptr(TbPreflight) report = preflight_new ();
  PreflightState st = { self, report, campaign_packs, 0, now, cancellable, NULL };

  g_return_val_if_fail (TB_IS_DIAL_GATE (self), NULL);

  if (!tb_store_compliance_foreach_list_contact (self->store, list_id, preflight_contact,
                                                 &st, error))
    return NULL;
  if (st.error != NULL) {
    g_propagate_error (error, st.error);
    return NULL;
  }
  return g_steal_pointer (&report);
}

static int
compare_rules (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  GHashTable *counts = user_data;
  guint na = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char * const *) a));
  guint nb = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char * const *) b));

  if (na != nb)
    return na > nb ? -1 : 1;
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char *
tb_dial_gate_describe_blocked (GHashTable *counts,
                               GHashTable *examples)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree const char **rules = NULL;
  guint n_rules = 0;

  g_return_val_if_fail (counts != NULL, NULL);

  rules = (const char **) g_hash_table_get_keys_as_array (counts, &n_rules);
  g_qsort_with_data (rules, n_rules, sizeof (char *), compare_rules, counts);
  for (guint i = 0; i < n_rules; i++) {
    gulong n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, rules[i]));
    const char *example = examples ? g_hash_table_lookup (examples, rules[i]) : NULL;

    if (text->len > 0)
      g_string_append (text, ", ");
    if (g_str_equal (rules[i], "R5"))
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%lu contact needs consent (R5)",
                                                 "%lu contacts need consent (R5)", n), n);
    else if (g_str_equal (rules[i], "R1"))
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%lu is on the do-not-call list (R1)",
                                                 "%lu are on the do-not-call list (R1)", n), n);
    else if (example != NULL)
      /* Translators: how many contacts, then the gate's message for the first */
      g_string_append_printf (text, _("%lu blocked: %s"), n, example);
    else
      /* Translators: how many contacts, then the rule ("R3") */
      g_string_append_printf (text, _("%lu blocked by %s"), n, rules[i]);
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

double
tb_dial_gate_pacing_factor (TbDialGate  *self,
                            gint64       campaign_id,
                            const char  *campaign_packs,
                            gint64       now,
                            double      *rate_out,
                            GError     **error)
{
  g_autoptr(GPtrArray) per_pack = NULL;
  g_autoptr(TbPolicyRules) merged = NULL;
  g_auto(GStrv) packs = g_strsplit_set (campaign_packs && *campaign_packs ? campaign_packs
                                        : "DEFAULT", ",+ ", -1);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) clean = NULL;
  gint64 answered = 0, abandoned = 0;
  double rate, limit, throttle;

  g_return_val_if_fail (TB_IS_DIAL_GATE (self), -1);

  if (rate_out)
    *rate_out = 0;
  for (guint i = 0; packs[i]; i++)
    if (*packs[i])
      g_strv_builder_add (b, packs[i]);
  clean = g_strv_builder_end (b);
  if (!resolve_rules (self, (const char * const *) clean, now, &per_pack, &merged, error))
    return -1;
  if (!merged->has_abandonment)
    return 1.0;
  if (!tb_store_compliance_count_abandoned (self->store, campaign_id,
                                            now - merged->abandon_window_us, now,
                                            (gint64) merged->abandon_max_silence_ms * 1000,
                                            &answered, &abandoned, error))
    return -1;

  rate = answered > 0 ? (double) abandoned / answered : 0;
  if (rate_out)
    *rate_out = rate;
  rate = (double) abandoned / MAX (answered, PACING_MIN_SAMPLE);
  limit = merged->abandon_max_rate;
  throttle = limit * merged->abandon_throttle_at;
  if (rate >= limit)
    return 0.0;
  if (rate <= throttle)
    return 1.0;
  return (limit - rate) / (limit - throttle);
}

GStrv
tb_dial_gate_dup_test_numbers (TbDialGate *self)
{
  g_autofree char *list = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (TB_IS_DIAL_GATE (self), NULL);
  list = tb_store_dup_setting (self->store, TB_DIAL_GATE_SETTING_TEST_NUMBERS, "");
  lines = g_strsplit (list, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      g_strv_builder_add (b, lines[i]);
  return g_strv_builder_end (b);
}

/* Adds (@add) or removes @number from the test-number list; audited, since the list widens
 * what a test call may ring. */
gboolean
tb_dial_gate_edit_test_numbers (TbDialGate  *self,
                                const char  *number,
                                gboolean     add,
                                gint64       now,
                                GError     **error)
{
  g_auto(GStrv) numbers = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) edited = NULL;
  g_autofree char *joined = NULL;
  gboolean listed;

  g_return_val_if_fail (TB_IS_DIAL_GATE (self), FALSE);
  g_return_val_if_fail (number != NULL && *number != '\0', FALSE);

  if (strpbrk (number, "\r\n") != NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("A test number is one line of text"));
    return FALSE;
  }
  numbers = tb_dial_gate_dup_test_numbers (self);
  listed = g_strv_contains ((const char * const *) numbers, number);
  if (listed == add)
    return TRUE;
  for (guint i = 0; numbers[i] != NULL; i++)
    if (add || !g_str_equal (numbers[i], number))
      g_strv_builder_add (b, numbers[i]);
  if (add)
    g_strv_builder_add (b, number);
  edited = g_strv_builder_end (b);
  joined = g_strjoinv ("\n", edited);
  if (!tb_store_set_setting (self->store, TB_DIAL_GATE_SETTING_TEST_NUMBERS, joined, error))
    return FALSE;
  return tb_audit_append (self->store, now, add ? "test-numbers.add" : "test-numbers.remove",
                          number, 0, 0, NULL, error) != 0;
}

gboolean
tb_dial_gate_allow_test_call (TbDialGate  *self,
                              const char  *number,
                              gint64       now,
                              GError     **error)
{
  g_auto(GStrv) numbers = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  gboolean listed;

  g_return_val_if_fail (TB_IS_DIAL_GATE (self), FALSE);
  g_return_val_if_fail (number != NULL, FALSE);

  numbers = tb_dial_gate_dup_test_numbers (self);
  listed = g_strv_contains ((const char * const *) numbers, number);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "allowed");
  json_builder_add_boolean_value (b, listed);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, "test call");
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  /* Audited either way: a test call skips the rules, so the record of it matters more. */
  if (tb_audit_append (self->store, now, listed ? "dial.test" : "dial.test-refused", number, 0, 0,
                       detail, error) == 0)
    return FALSE;
  if (!listed) {
    g_set_error (error, TB_DIAL_GATE_ERROR, TB_DIAL_GATE_ERROR_NOT_A_TEST_NUMBER,
                 _("%s is not one of the business's test numbers: a test call skips the "
                   "calling rules, so it may only ring numbers on that list (telebot-cli line "
                   "test-numbers add %s)"), number, number);
    return FALSE;
  }
  return TRUE;
}

TbPolicyRules *
tb_dial_gate_dup_callee_rules (TbDialGate         *self,
                               const TbDialCallee *callee,
                               const char         *campaign_packs,
                               gint64              now)
{
  g_autoptr(TbJurisdiction) j = NULL;
  g_autoptr(GPtrArray) per_pack = NULL;
  TbPolicyRules *merged = NULL;
  g_auto(GStrv) packs = NULL;

  g_return_val_if_fail (TB_IS_DIAL_GATE (self), NULL);

  j = tb_jurisdiction_resolve (callee->e164, callee->country, callee->timezone, callee->state);
  packs = applicable_packs (j, campaign_packs);
  if (!resolve_rules (self, (const char * const *) packs, now, &per_pack, &merged, NULL))
    return NULL;
  return merged;
}

gboolean
tb_dial_gate_ask_reason_allowed (TbDialGate         *self,
                                 const TbDialCallee *callee,
                                 const char         *campaign_packs,
                                 gint64              now)
{
  g_autoptr(TbPolicyRules) merged = tb_dial_gate_dup_callee_rules (self, callee, campaign_packs,
                                                                   now);

  return merged != NULL && merged->ask_reason_allowed;
}

gboolean
tb_dial_gate_confirm_opt_out_allowed (TbDialGate         *self,
                                      const TbDialCallee *callee,
                                      const char         *campaign_packs,
                                      gint64              now)
{
  g_autoptr(TbPolicyRules) merged = tb_dial_gate_dup_callee_rules (self, callee, campaign_packs,
                                                                   now);

  /* Packs that cannot be read: record on first hearing, the strict side. */
  return merged != NULL && merged->confirm_opt_out_allowed;
}
