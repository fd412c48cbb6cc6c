/* tb-campaign-report.c — which script works: a campaign's figures per variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rates are per 100 answered calls. "Line failures" (TB_REPORT_LINE_FAILURES) say nothing
 * about the callee, so the connect rate is also given without them. Two variants are compared
 * on A/B leads per 100 answered with the 95 % interval of the difference (Newcombe 1998,
 * method 10), and the report says only what that interval supports.
 */
#define G_LOG_DOMAIN "tb-campaign-report"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tb-campaign-report.h"
#include "tb-csv-writer.h"
#include "tb-not-understood.h"
#include "tb-store-config.h"
#include "tb-store-report.h"
#include "tb-store-variants.h"

#define Z_95 1.959963984540054
#define TOP_INTENTS 10

static const char * const talk_buckets[] = { "<10s", "10-30s", "30-60s", ">60s" };

typedef struct {
  char   *variant;
  char   *versus;
  double  rate;        /* A/B leads per 100 answered */
  double  versus_rate;
  double  low;         /* the difference's interval, per 100 */
  double  high;
  gboolean known;      /* both have answered calls */
  char   *sentence;
} Comparison;

typedef struct {
  char   *variant;
  int     hour;        /* 0–23, in the callee's time zone */
  char   *outcome;
  gint64  count;
} HourRow;

struct _TbCampaignReport
{
  char      *campaign;
  gint64     campaign_id;
  char      *mode;          /* single, split, per_retry */
  GPtrArray *variants;      /* TbReportVariantRow */
  GPtrArray *funnel;        /* TbReportCountRow */
  GPtrArray *routes;
  GPtrArray *intents;
  GPtrArray *hours;         /* HourRow */
  GPtrArray *comparisons;   /* Comparison */
  gint64     first_hour;    /* µs, UTC; 0: no call */
  gint64     last_hour;
  GPtrArray *not_understood; /* TbNotUnderstoodGroup */
};

static void
comparison_free (Comparison *c)
{
  g_free (c->variant);
  g_free (c->versus);
  g_free (c->sentence);
  g_free (c);
}

static void
hour_row_free (HourRow *h)
{
  g_free (h->variant);
  g_free (h->outcome);
  g_free (h);
}

gboolean
tb_report_wilson_interval (gint64  x,
                           gint64  n,
                           double *low,
                           double *high)
{
  double p, z2, denom, centre, half;

  if (n <= 0 || x < 0 || x > n)
    return FALSE;
  p = (double) x / n;
  z2 = Z_95 * Z_95;
  denom = 1 + z2 / n;
  centre = (p + z2 / (2.0 * n)) / denom;
  half = Z_95 * sqrt (p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
  *low = MAX (0.0, centre - half);
  *high = MIN (1.0, centre + half);
  return TRUE;
}

gboolean
tb_report_difference_interval (gint64  x1,
                               gint64  n1,
                               gint64  x2,
                               gint64  n2,
                               double *low,
                               double *high)
{
  double l1, u1, l2, u2, p1, p2, d;

  if (!tb_report_wilson_interval (x1, n1, &l1, &u1) ||
      !tb_report_wilson_interval (x2, n2, &l2, &u2))
    return FALSE;
  p1 = (double) x1 / n1;
  p2 = (double) x2 / n2;
  d = p1 - p2;
  *low = d - sqrt ((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
  *high = d + sqrt ((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
  return TRUE;
}

static gint64
leads_ab (const TbReportVariantRow *v)
{
  return v->grades[0] + v->grades[1];
}

static double
per_100 (gint64 x,
         gint64 n)
{
  return n > 0 ? 100.0 * x / n : NAN;
}

/* The better of @a and @b on A/B leads per 100 answered, against the other. */
static Comparison *
compare (const TbReportVariantRow *a,
         const TbReportVariantRow *b)
{
  Comparison *c = g_new0 (Comparison, 1);
  double ra = per_100 (leads_ab (a), a->answered), rb = per_100 (leads_ab (b), b->answered);
  const TbReportVariantRow *win = a, *lose = b;

  if (!isnan (ra) && !isnan (rb) && rb > ra) {
    win = b;
    lose = a;
  }
  c->variant = g_strdup (win->variant);
  c->versus = g_strdup (lose->variant);
  c->rate = per_100 (leads_ab (win), win->answered);
  c->versus_rate = per_100 (leads_ab (lose), lose->answered);
  c->known = tb_report_difference_interval (leads_ab (win), win->answered,
                                            leads_ab (lose), lose->answered,
                                            &c->low, &c->high);
  c->low *= 100;
  c->high *= 100;
  if (c->known && (c->low > 0 || c->high < 0))
    /* Translators: "variant B: 9.1 A/B leads per 100 answered vs 6.2 for A (95 % interval of
     * the difference 0.4–5.4)" */
    c->sentence = g_strdup_printf (_("variant %s: %.1f A/B leads per 100 answered vs %.1f for "
                                     "%s (95 %% interval of the difference %.1f–%.1f)"),
                                   c->variant, c->rate, c->versus_rate, c->versus, c->low,
                                   c->high);
  else
    c->sentence = g_strdup (_("not enough calls yet to tell"));
  return c;
}

/* The hours the store grouped in UTC, as the callees' local hour of day. */
static GPtrArray *
local_hours (GPtrArray *rows)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_time_zone_unref);
  GPtrArray *hours = g_ptr_array_new_with_free_func ((GDestroyNotify) hour_row_free);

  for (guint i = 0; i < rows->len; i++) {
    const TbReportCountRow *r = g_ptr_array_index (rows, i);
    const char *zone_name = r->key2 != NULL ? r->key2 : "UTC";
    GTimeZone *tz = g_hash_table_lookup (zones, zone_name);
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (r->time / G_USEC_PER_SEC);
    g_autoptr(GDateTime) local = NULL;
    g_autofree char *key = NULL;
    HourRow *h;

    if (tz == NULL) {
      tz = g_time_zone_new_identifier (zone_name);
      if (tz == NULL)
        tz = g_time_zone_new_utc ();
      g_hash_table_insert (zones, g_strdup (zone_name), tz);
    }
    local = utc != NULL ? g_date_time_to_timezone (utc, tz) : NULL;
    key = g_strdup_printf ("%s\t%02d\t%s", r->variant, local ? g_date_time_get_hour (local) : 0,
                           r->key ? r->key : "");
    if ((h = g_hash_table_lookup (by_key, key)) == NULL) {
      h = g_new0 (HourRow, 1);
      h->variant = g_strdup (r->variant);
      h->hour = local ? g_date_time_get_hour (local) : 0;
      h->outcome = g_strdup (r->key ? r->key : "");
      g_hash_table_insert (by_key, g_steal_pointer (&key), h);
      g_ptr_array_add (hours, h);
    }
    h->count += r->count;
  }
  return hours;
}

static int
hour_cmp (gconstpointer a,
          gconstpointer b)
{
  const HourRow *x = *(HourRow * const *) a, *y = *(HourRow * const *) b;
  int c = g_strcmp0 (x->variant, y->variant);

  if (c == 0)
    c = x->hour - y->hour;
  return c != 0 ? c : g_strcmp0 (x->outcome, y->outcome);
}

TbCampaignReport *
tb_campaign_report_new (TbStore  *store,
                        gint64    campaign_id,
                        GError  **error)
{
  g_autoptr(TbCampaignReport) self = g_new0 (TbCampaignReport, 1);
  g_autoptr(TbCampaignRow) row = NULL;
  g_autoptr(GPtrArray) variant_rows = NULL;
  g_autoptr(GPtrArray) hours = NULL;
  g_autoptr(GPtrArray) misses = NULL;
  TbVariantMode mode;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if ((row = tb_store_get_campaign (store, campaign_id, error)) == NULL ||
      (variant_rows = tb_store_dup_campaign_variants (store, campaign_id, &mode, error)) == NULL ||
      (self->variants = tb_store_report_variants (store, campaign_id, error)) == NULL ||
      !tb_store_report_turns (store, campaign_id, &self->funnel, &self->routes,
                              &self->intents, error) ||
      (hours = tb_store_report_hours (store, campaign_id, error)) == NULL ||
      (misses = tb_store_report_misses (store, campaign_id, error)) == NULL)
    return NULL;
  self->not_understood = tb_not_understood_group (tb_understanding_get_default (), misses);
  /* The store names recordings relative to its data folder; the report says where they are. */
  for (guint i = 0; i < self->not_understood->len; i++) {
    TbNotUnderstoodGroup *g = g_ptr_array_index (self->not_understood, i);
    char *path = g->recording ? tb_store_resolve_path (store, g->recording) : NULL;

    g_free (g->recording);
    g->recording = path;
  }
  self->campaign = g_strdup (row->name);
  self->campaign_id = campaign_id;
  self->mode = g_strdup (mode == TB_VARIANT_MODE_SPLIT ? "split" :
                         mode == TB_VARIANT_MODE_PER_RETRY ? "per_retry" : "single");
  self->hours = local_hours (hours);
  for (guint i = 0; i < hours->len; i++) {
    const TbReportCountRow *r = g_ptr_array_index (hours, i);

    if (self->first_hour == 0 || r->time < self->first_hour)
      self->first_hour = r->time;
    self->last_hour = MAX (self->last_hour, r->time);
  }
  g_ptr_array_sort (self->hours, hour_cmp);

  /* The first variant against each other one. */
  self->comparisons = g_ptr_array_new_with_free_func ((GDestroyNotify) comparison_free);
  for (guint i = 1; i < self->variants->len; i++)
    g_ptr_array_add (self->comparisons, compare (g_ptr_array_index (self->variants, 0),
                                                 g_ptr_array_index (self->variants, i)));
  return g_steal_pointer (&self);
}

void
tb_campaign_report_free (TbCampaignReport *self)
{
  if (self == NULL)
    return;
  g_free (self->campaign);
  g_free (self->mode);
  g_clear_pointer (&self->variants, g_ptr_array_unref);
  g_clear_pointer (&self->funnel, g_ptr_array_unref);
  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_pointer (&self->intents, g_ptr_array_unref);
  g_clear_pointer (&self->hours, g_ptr_array_unref);
  g_clear_pointer (&self->comparisons, g_ptr_array_unref);
  g_clear_pointer (&self->not_understood, g_ptr_array_unref);
  g_free (self);
}

const char *
tb_campaign_report_get_verdict (TbCampaignReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->comparisons->len == 0)
    return NULL;
  return ((Comparison *) g_ptr_array_index (self->comparisons, 0))->sentence;
}

static void
figures (const TbReportVariantRow *v,
         TbReportFigures          *f)
{
  gint64 leads = leads_ab (v);

  f->leads_ab = leads;
  f->connect_rate = per_100 (v->answered, v->dialed);
  f->connect_rate_without_line_failures = per_100 (v->answered, v->dialed - v->line_failures);
  f->leads_per_100 = per_100 (leads, v->answered);
  f->opt_outs_per_100 = per_100 (v->opt_outs, v->answered);
  f->average_talk_seconds = v->talked > 0 ? v->talk_us / 1e6 / v->talked : NAN;
  f->line_minutes = v->line_us / 60e6;
  f->line_minutes_per_lead = leads > 0 ? f->line_minutes / leads : NAN;
}

const char *
tb_report_talk_bucket_key (guint i)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (talk_buckets), NULL);

  return talk_buckets[i];
}

const char *
tb_campaign_report_get_campaign (TbCampaignReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->campaign;
}

gint64
tb_campaign_report_get_n_dialed (TbCampaignReport *self)
{
  gint64 n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->variants->len; i++)
    n += ((TbReportVariantRow *) g_ptr_array_index (self->variants, i))->dialed;
  return n;
}

gboolean
tb_campaign_report_get_span (TbCampaignReport *self,
                             gint64           *first,
                             gint64           *last)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->first_hour == 0)
    return FALSE;
  *first = self->first_hour;
  *last = self->last_hour;
  return TRUE;
}

guint
tb_campaign_report_get_n_variants (TbCampaignReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->variants->len;
}

const TbReportVariantRow *
tb_campaign_report_get_variant (TbCampaignReport *self,
                                guint             i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->variants->len, NULL);

  return g_ptr_array_index (self->variants, i);
}

void
tb_campaign_report_get_figures (TbCampaignReport *self,
                                guint             i,
                                TbReportFigures  *f)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (i < self->variants->len);

  figures (g_ptr_array_index (self->variants, i), f);
}

GPtrArray *
tb_campaign_report_get_funnel (TbCampaignReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->funnel;
}

GPtrArray *
tb_campaign_report_get_intents (TbCampaignReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->intents;
}

void
tb_campaign_report_add_hours (TbCampaignReport *self,
                              const char       *variant,
                              const char       *outcome,
                              gint64            counts[24])
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->hours->len; i++) {
    const HourRow *h = g_ptr_array_index (self->hours, i);

    if ((variant == NULL || g_strcmp0 (variant, h->variant) == 0) &&
        (outcome == NULL || g_strcmp0 (outcome, h->outcome) == 0) &&
        h->hour >= 0 && h->hour < 24)
      counts[h->hour] += h->count;
  }
}

guint
tb_campaign_report_get_n_comparisons (TbCampaignReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->comparisons->len;
}

void
tb_campaign_report_get_comparison (TbCampaignReport   *self,
                                   guint               i,
                                   TbReportComparison *out)
{
  const Comparison *c;

  g_return_if_fail (self != NULL);
  g_return_if_fail (i < self->comparisons->len);

  c = g_ptr_array_index (self->comparisons, i);
  out->variant = c->variant;
  out->versus = c->versus;
  out->rate = c->rate;
  out->versus_rate = c->versus_rate;
  out->low = c->known ? c->low : NAN;
  out->high = c->known ? c->high : NAN;
  out->significant = c->known && (c->low > 0 || c->high < 0);
  out->sentence = c->sentence;
}

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, value);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

const char *
tb_campaign_report_get_script (TbCampaignReport *self,
                               const char       *variant)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->variants->len; i++) {
    const TbReportVariantRow *v = g_ptr_array_index (self->variants, i);

    if (g_strcmp0 (v->variant, variant) == 0)
      return v->script_name;
  }
  return NULL;
}

GPtrArray *
tb_campaign_report_get_not_understood (TbCampaignReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->not_understood;
}

JsonNode *
tb_campaign_report_to_json (TbCampaignReport *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  add_string (b, "campaign", self->campaign);
  add_int (b, "id", self->campaign_id);
  add_string (b, "mode", self->mode);

  json_builder_set_member_name (b, "variants");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->variants->len; i++) {
    const TbReportVariantRow *v = g_ptr_array_index (self->variants, i);
    TbReportFigures f;

    figures (v, &f);
    json_builder_begin_object (b);
    add_string (b, "variant", v->variant);
    add_string (b, "script", v->script_name);
    add_int (b, "dialed", v->dialed);
    add_int (b, "answered", v->answered);
    add_int (b, "line_failures", v->line_failures);
    add_number (b, "connect_rate", f.connect_rate);
    add_number (b, "connect_rate_without_line_failures", f.connect_rate_without_line_failures);
    add_int (b, "completed", v->completed);
    json_builder_set_member_name (b, "grades");
    json_builder_begin_object (b);
    for (guint g = 0; g < 5; g++)
      add_int (b, (const char[]) { (char) ('A' + g), '\0' }, v->grades[g]);
    json_builder_end_object (b);
    add_int (b, "leads_ab", leads_ab (v));
    add_number (b, "leads_ab_per_100_answered", f.leads_per_100);
    add_int (b, "opt_outs", v->opt_outs);
    add_number (b, "opt_outs_per_100_answered", f.opt_outs_per_100);
    add_number (b, "average_talk_seconds", f.average_talk_seconds);
    add_number (b, "line_minutes", f.line_minutes);
    add_number (b, "line_minutes_per_ab_lead", f.line_minutes_per_lead);
    json_builder_set_member_name (b, "talk_time");
    json_builder_begin_object (b);
    for (guint t = 0; t < G_N_ELEMENTS (talk_buckets); t++)
      add_int (b, talk_buckets[t], v->talk_hist[t]);
    json_builder_end_object (b);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "funnel");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->funnel->len; i++) {
    const TbReportCountRow *r = g_ptr_array_index (self->funnel, i);

    json_builder_begin_object (b);
    add_string (b, "variant", r->variant);
    add_string (b, "node", r->key);
    add_int (b, "reached", r->count);
    add_int (b, "ended_here", r->count2);
    add_int (b, "hung_up_here", r->count3);
    json_builder_set_member_name (b, "intents");
    json_builder_begin_object (b);
    for (guint j = 0; j < self->routes->len; j++) {
      const TbReportCountRow *route = g_ptr_array_index (self->routes, j);

      if (g_str_equal (route->variant, r->variant) && g_strcmp0 (route->key, r->key) == 0)
        add_int (b, route->key2, route->count);
    }
    json_builder_end_object (b);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "top_intents");
  json_builder_begin_array (b);
  for (guint i = 0, n = 0; i < self->intents->len; i++) {
    const TbReportCountRow *r = g_ptr_array_index (self->intents, i);

    n = i > 0 && g_str_equal (r->variant, ((TbReportCountRow *)
                                           g_ptr_array_index (self->intents, i - 1))->variant)
        ? n + 1 : 0;
    if (n >= TOP_INTENTS)
      continue;
    json_builder_begin_object (b);
    add_string (b, "variant", r->variant);
    add_string (b, "intent", r->key);
    add_int (b, "turns", r->count);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "hours");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->hours->len; i++) {
    const HourRow *h = g_ptr_array_index (self->hours, i);

    json_builder_begin_object (b);
    add_string (b, "variant", h->variant);
    add_int (b, "hour", h->hour);
    add_string (b, "outcome", h->outcome);
    add_int (b, "calls", h->count);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "comparisons");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->comparisons->len; i++) {
    const Comparison *c = g_ptr_array_index (self->comparisons, i);

    json_builder_begin_object (b);
    add_string (b, "variant", c->variant);
    add_string (b, "versus", c->versus);
    add_number (b, "leads_ab_per_100_answered", c->rate);
    add_number (b, "versus_leads_ab_per_100_answered", c->versus_rate);
    add_number (b, "difference", c->known ? c->rate - c->versus_rate : NAN);
    add_number (b, "difference_low", c->known ? c->low : NAN);
    add_number (b, "difference_high", c->known ? c->high : NAN);
    json_builder_set_member_name (b, "significant");
    json_builder_add_boolean_value (b, c->known && (c->low > 0 || c->high < 0));
    add_string (b, "sentence", c->sentence);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  add_string (b, "verdict", tb_campaign_report_get_verdict (self));

  json_builder_set_member_name (b, "not_understood");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->not_understood->len; i++) {
    const TbNotUnderstoodGroup *g = g_ptr_array_index (self->not_understood, i);

    json_builder_begin_object (b);
    add_string (b, "node", g->node);
    add_string (b, "text", g->text);
    add_string (b, "normalized", g->normalized);
    add_int (b, "count", g->count);
    json_builder_set_member_name (b, "variants");
    json_builder_begin_array (b);
    for (guint v = 0; g->variants[v] != NULL; v++)
      json_builder_add_string_value (b, g->variants[v]);
    json_builder_end_array (b);
    json_builder_set_member_name (b, "opt_out_like");
    json_builder_add_boolean_value (b, g->opt_out_like);
    add_int (b, "example_attempt_id", g->attempt_id);
    add_string (b, "recording", g->recording);
    json_builder_set_member_name (b, "wordings");
    json_builder_begin_array (b);
    for (guint w = 0; w < g->wordings->len; w++) {
      const TbNotUnderstoodWording *wording = g_ptr_array_index (g->wordings, w);

      json_builder_begin_object (b);
      add_string (b, "text", wording->text);
      add_int (b, "count", wording->count);
      json_builder_end_object (b);
    }
    json_builder_end_array (b);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("");
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4f", value));
}

static void
csv_row (GString    *out,
         const char *first,
         ...)
{
  va_list args;
  const char *cell = first;
  gboolean more = FALSE;

  va_start (args, first);
  for (; cell != NULL; cell = va_arg (args, const char *)) {
    if (more)
      g_string_append_c (out, ',');
    more = TRUE;
    tb_csv_append_text_cell (out, cell, ',');
  }
  va_end (args);
  g_string_append (out, "\r\n");
}

#define INT_TEXT(v) (g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) (v)))

char *
tb_campaign_report_to_csv (TbCampaignReport *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  csv_row (out, "variants", NULL);
  csv_row (out, "variant", "script", "dialed", "answered", "line_failures", "connect_rate",
           "connect_rate_without_line_failures", "completed", "grade_A", "grade_B", "grade_C",
           "grade_D", "grade_E", "leads_ab", "leads_ab_per_100_answered", "opt_outs",
           "opt_outs_per_100_answered", "average_talk_seconds", "line_minutes",
           "line_minutes_per_ab_lead", NULL);
  for (guint i = 0; i < self->variants->len; i++) {
    const TbReportVariantRow *v = g_ptr_array_index (self->variants, i);
    char *c[18] = { NULL };
    TbReportFigures f;

    figures (v, &f);
    c[0] = INT_TEXT (v->dialed);
    c[1] = INT_TEXT (v->answered);
    c[2] = INT_TEXT (v->line_failures);
    c[3] = format_number (f.connect_rate);
    c[4] = format_number (f.connect_rate_without_line_failures);
    c[5] = INT_TEXT (v->completed);
    for (guint g = 0; g < 5; g++)
      c[6 + g] = INT_TEXT (v->grades[g]);
    c[11] = INT_TEXT (leads_ab (v));
    c[12] = format_number (f.leads_per_100);
    c[13] = INT_TEXT (v->opt_outs);
    c[14] = format_number (f.opt_outs_per_100);
    c[15] = format_number (f.average_talk_seconds);
    c[16] = format_number (f.line_minutes);
    c[17] = format_number (f.line_minutes_per_lead);
    csv_row (out, v->variant, v->script_name ? v->script_name : "", c[0], c[1], c[2], c[3], c[4],
             c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], c[15], c[16],
             c[17], NULL);
    for (guint k = 0; k < G_N_ELEMENTS (c); k++)
      g_free (c[k]);
  }

  g_string_append (out, "\r\n");
  csv_row (out, "talk_time", NULL);
  csv_row (out, "variant", "bucket", "calls", NULL);
  for (guint i = 0; i < self->variants->len; i++) {
    const TbReportVariantRow *v = g_ptr_array_index (self->variants, i);

    for (guint t = 0; t < G_N_ELEMENTS (talk_buckets); t++) {
      g_autofree char *n = INT_TEXT (v->talk_hist[t]);

      csv_row (out, v->variant, talk_buckets[t], n, NULL);
    }
  }

  g_string_append (out, "\r\n");
  csv_row (out, "funnel", NULL);
  csv_row (out, "variant", "node", "reached", "ended_here", "hung_up_here", NULL);
  for (guint i = 0; i < self->funnel->len; i++) {
    const TbReportCountRow *r = g_ptr_array_index (self->funnel, i);
    g_autofree char *n1 = INT_TEXT (r->count), *n2 = INT_TEXT (r->count2);
    g_autofree char *n3 = INT_TEXT (r->count3);

    csv_row (out, r->variant, r->key, n1, n2, n3, NULL);
  }

  g_string_append (out, "\r\n");
  csv_row (out, "routes", NULL);
  csv_row (out, "variant", "node", "intent", "attempts", NULL);
  for (guint i = 0; i < self->routes->len; i++) {
    const TbReportCountRow *r = g_ptr_array_index (self->routes, i);
    g_autofree char *n = INT_TEXT (r->count);

    csv_row (out, r->variant, r->key, r->key2, n, NULL);
  }

  g_string_append (out, "\r\n");
  csv_row (out, "top_intents", NULL);
  csv_row (out, "variant", "intent", "turns", NULL);
  for (guint i = 0, n = 0; i < self->intents->len; i++) {
    const TbReportCountRow *r = g_ptr_array_index (self->intents, i);
    g_autofree char *count = NULL;

    n = i > 0 && g_str_equal (r->variant, ((TbReportCountRow *)
                                           g_ptr_array_index (self->intents, i - 1))->variant)
        ? n + 1 : 0;
    if (n >= TOP_INTENTS)
      continue;
    count = INT_TEXT (r->count);
    csv_row (out, r->variant, r->key, count, NULL);
  }

  g_string_append (out, "\r\n");
  csv_row (out, "hours", NULL);
  csv_row (out, "variant", "hour", "outcome", "calls", NULL);
  for (guint i = 0; i < self->hours->len; i++) {
    const HourRow *h = g_ptr_array_index (self->hours, i);
    g_autofree char *hour = INT_TEXT (h->hour), *n = INT_TEXT (h->count);

    csv_row (out, h->variant, hour, h->outcome, n, NULL);
  }

  g_string_append (out, "\r\n");
  csv_row (out, "comparisons", NULL);
  csv_row (out, "variant", "versus", "leads_ab_per_100_answered",
           "versus_leads_ab_per_100_answered", "difference_low", "difference_high",
           "significant", "sentence", NULL);
  for (guint i = 0; i < self->comparisons->len; i++) {
    const Comparison *c = g_ptr_array_index (self->comparisons, i);
    g_autofree char *r1 = format_number (c->rate), *r2 = format_number (c->versus_rate);
    g_autofree char *lo = format_number (c->known ? c->low : NAN);
    g_autofree char *hi = format_number (c->known ? c->high : NAN);

    csv_row (out, c->variant, c->versus, r1, r2, lo, hi,
             c->known && (c->low > 0 || c->high < 0) ? "true" : "false", c->sentence, NULL);
  }

  g_string_append (out, "\r\n");
  csv_row (out, "not_understood", NULL);
  csv_row (out, "node", "text", "count", "variants", "opt_out_like", "example_attempt_id",
           "recording", NULL);
  for (guint i = 0; i < self->not_understood->len; i++) {
    const TbNotUnderstoodGroup *g = g_ptr_array_index (self->not_understood, i);
    g_autofree char *count = INT_TEXT (g->count), *attempt = INT_TEXT (g->attempt_id);
    g_autofree char *variants = g_strjoinv (" ", g->variants);

    csv_row (out, g->node ? g->node : "", g->text, count, variants,
             g->opt_out_like ? "true" : "false", attempt, g->recording ? g->recording : "",
             NULL);
  }
  return g_string_free (out, FALSE);
}
