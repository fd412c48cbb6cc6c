/* tb-cli-campaign-json.c — a campaign as `campaign create|run|status` print it: counters, the
 * pool's lines and caller numbers, how it chooses its numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-campaign"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-campaign-preflight.h"
#include "tb-cli.h"
#include "tb-cli-campaign-json.h"
#include "tb-line-pool.h"
#include "tb-line-registry.h"
#include "tb-lines.h"
#include "tb-store-attempts.h"
#include "tb-store-lines.h"

void
tb_cli_campaign_add_counters (JsonBuilder *b,
                              TbStore     *store,
                              gint64       campaign_id)
{
  TbCampaignCounters c;
  static const char * const kinds[] = { "outcomes", "grades" };

  tb_store_campaign_get_counters (store, campaign_id, &c);
  json_builder_set_member_name (b, "contacts");
  json_builder_add_int_value (b, c.total);
  json_builder_set_member_name (b, "done");
  json_builder_add_int_value (b, c.done);
  json_builder_set_member_name (b, "pending");
  json_builder_add_int_value (b, c.pending);
  json_builder_set_member_name (b, "dialed");
  json_builder_add_int_value (b, c.dialed);
  json_builder_set_member_name (b, "answered");
  json_builder_add_int_value (b, c.answered);
  json_builder_set_member_name (b, "leads_ab");
  json_builder_add_int_value (b, c.leads_ab);
  json_builder_set_member_name (b, "opted_out");
  json_builder_add_int_value (b, c.opted_out);
  json_builder_set_member_name (b, "blocked");
  json_builder_add_int_value (b, c.blocked);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    g_autoptr(GPtrArray) buckets = tb_store_campaign_stats (store, campaign_id, kinds[k], NULL);

    json_builder_set_member_name (b, kinds[k]);
    json_builder_begin_object (b);
    for (guint i = 0; buckets != NULL && i < buckets->len; i++) {
      TbStatBucket *bucket = g_ptr_array_index (buckets, i);

      json_builder_set_member_name (b, bucket->label ? bucket->label : "unknown");
      json_builder_add_int_value (b, bucket->count);
    }
    json_builder_end_object (b);
  }
}

static const TbCallerIdStats *
find_number_stats (GPtrArray  *numbers,
                   gint64      line_id,
                   const char *caller_id)
{
  for (guint i = 0; numbers != NULL && i < numbers->len; i++) {
    const TbCallerIdStats *n = g_ptr_array_index (numbers, i);

    if (n->line_id == line_id && g_str_equal (n->caller_id, caller_id))
      return n;
  }
  return NULL;
}

static gboolean
find_number (GPtrArray  *described,
             const char *number)
{
  for (guint i = 0; described != NULL && i < described->len; i++)
    if (g_str_equal (((TbCallerNumber *) g_ptr_array_index (described, i))->number, number))
      return TRUE;
  return FALSE;
}

/* A number the line presented for the campaign and no longer has: read like one of its own,
 * without caps. */
static GPtrArray *
stored_number (TbStore    *store,
               const char *caller_id,
               gint64      now)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *config = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "caller_id");
  json_builder_add_string_value (b, caller_id);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  config = json_to_string (root, FALSE);
  return tb_line_pool_dup_stored_numbers (store, config, now, NULL);
}

static const char *
number_state_to_string (TbCallerNumberState state)
{
  switch (state) {
  case TB_CALLER_NUMBER_HOURLY_CAP:
    return "hourly_cap";
  case TB_CALLER_NUMBER_DAILY_CAP:
    return "daily_cap";
  case TB_CALLER_NUMBER_COOLING:
    return "cooling";
  case TB_CALLER_NUMBER_RESTING:
    return "resting";
  case TB_CALLER_NUMBER_READY:
  default:
    return "ready";
  }
}

static void
add_optional_int (JsonBuilder *b,
                  const char  *member,
                  int          value)
{
  json_builder_set_member_name (b, member);
  if (value > 0)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* One caller number: what the campaign's calls from it did (@stats, NULL: none yet), and
 * where it stands for the pick (@d, as the engine reads it; `configured`: still the line's). */
static void
add_number (JsonBuilder           *b,
            const TbCallerIdStats *stats,
            const TbCallerNumber  *d,
            gboolean               configured)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "number");
  json_builder_add_string_value (b, d->number);
  json_builder_set_member_name (b, "configured");
  json_builder_add_boolean_value (b, configured);
  json_builder_set_member_name (b, "calls");
  json_builder_add_int_value (b, stats != NULL ? stats->calls : 0);
  json_builder_set_member_name (b, "answered");
  json_builder_add_int_value (b, stats != NULL ? stats->answered : 0);
  json_builder_set_member_name (b, "answer_rate");
  if (stats != NULL && stats->calls > 0)
    json_builder_add_double_value (b, (double) stats->answered / (double) stats->calls);
  else
    json_builder_add_null_value (b);
  /* Where it stands: ready, or held back until when (its caps count every campaign's calls). */
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, number_state_to_string (d->state));
  tb_cli_add_time (b, "until", d->until, NULL);
  json_builder_set_member_name (b, "calls_this_hour");
  json_builder_add_int_value (b, d->calls_hour);
  add_optional_int (b, "calls_per_hour", d->per_hour);
  json_builder_set_member_name (b, "calls_today");
  json_builder_add_int_value (b, d->calls_day);
  add_optional_int (b, "calls_per_day", d->per_day);
  /* Its answer rate over its last calls (at most the last 100, every campaign's), and its
   * health over them: null when it looks fine. */
  json_builder_set_member_name (b, "recent_calls");
  json_builder_add_int_value (b, d->recent_calls);
  json_builder_set_member_name (b, "recent_answered");
  json_builder_add_int_value (b, d->recent_answered);
  json_builder_set_member_name (b, "recent_answer_rate");
  if (d->recent_calls > 0)
    json_builder_add_double_value (b, (double) d->recent_answered / d->recent_calls);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "health");
  if (d->health != NULL)
    json_builder_add_string_value (b, d->health);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

/* The campaign's pool, one row per line: its state (live when this process holds it started,
 * "error" when it cannot be built, "resting" while the running campaign keeps it out of its
 * pick, with the reason and the seconds left, else "idle": configured, not started here), the
 * calls in flight and made on it, and its answer rate; then one row per caller number at @now. */
void
tb_cli_campaign_add_lines (JsonBuilder *b,
                           TbStore     *store,
                           gint64       campaign_id,
                           gint64       now)
{
  g_autoptr(GPtrArray) rows = tb_store_dup_campaign_lines (store, campaign_id, NULL);
  g_autoptr(GPtrArray) numbers = tb_store_dup_campaign_number_stats (store, campaign_id, NULL);

  json_builder_set_member_name (b, "lines");
  json_builder_begin_array (b);
  for (guint i = 0; rows != NULL && i < rows->len; i++) {
    const TbCampaignLineRow *row = g_ptr_array_index (rows, i);
    TbLine *line = NULL;
    g_autofree char *blocker = tb_campaign_preflight_check_line (store, row->name, &line);
    g_autofree char *error = line != NULL ? tb_line_dup_last_error (line) : NULL;
    const char *state = line != NULL ? tb_line_state_to_string (tb_line_get_state (line))
                                     : blocker != NULL ? "error" : "idle";
    /* Out of the running campaign's pick for a while (its server answered 503): resting. */
    gboolean resting = row->rest_reason != NULL && row->rest_until > g_get_real_time ();

    if (resting)
      state = "resting";

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "line");
    json_builder_add_string_value (b, row->name);
    json_builder_set_member_name (b, "kind");
    json_builder_add_string_value (b, row->kind);
    json_builder_set_member_name (b, "enabled");
    json_builder_add_boolean_value (b, row->enabled);
    json_builder_set_member_name (b, "max_calls");
    json_builder_add_int_value (b, row->max_calls);
    json_builder_set_member_name (b, "state");
    json_builder_add_string_value (b, state);
    if (resting) {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, row->rest_reason);
      json_builder_set_member_name (b, "back_in_s");
      json_builder_add_int_value (b, (row->rest_until - g_get_real_time () + G_USEC_PER_SEC - 1) /
                                     G_USEC_PER_SEC);
    } else if (blocker != NULL || error != NULL) {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, blocker != NULL ? blocker : error);
    }
    json_builder_set_member_name (b, "in_flight");
    json_builder_add_int_value (b, row->in_flight);
    json_builder_set_member_name (b, "calls");
    json_builder_add_int_value (b, row->calls);
    json_builder_set_member_name (b, "answered");
    json_builder_add_int_value (b, row->answered);
    json_builder_set_member_name (b, "answer_rate");
    if (row->calls > 0)
      json_builder_add_double_value (b, (double) row->answered / (double) row->calls);
    else
      json_builder_add_null_value (b);
    /* Each caller number of the line, and any other it presented for the campaign. */
    json_builder_set_member_name (b, "numbers");
    json_builder_begin_array (b);
    {
      g_autoptr(GPtrArray) described = tb_line_pool_dup_stored_numbers (store, row->config, now,
                                                                        NULL);

      for (guint j = 0; described != NULL && j < described->len; j++) {
        const TbCallerNumber *d = g_ptr_array_index (described, j);

        add_number (b, find_number_stats (numbers, row->line_id, d->number), d, TRUE);
      }
      for (guint j = 0; numbers != NULL && j < numbers->len; j++) {
        const TbCallerIdStats *n = g_ptr_array_index (numbers, j);
        g_autoptr(GPtrArray) former = NULL;

        if (n->line_id != row->line_id || find_number (described, n->caller_id))
          continue;
        former = stored_number (store, n->caller_id, now);
        if (former != NULL && former->len == 1)
          add_number (b, n, g_ptr_array_index (former, 0), FALSE);
      }
    }
    json_builder_end_array (b);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
}

/* How the campaign chooses its caller numbers: the rule ("local_first") and what it does in
 * words; the pack that holds each callee to one number at @now (null: none) and how many
 * contacts wait for theirs (at its cap or resting, its line down or full). */
void
tb_cli_campaign_add_number_rule (JsonBuilder *b,
                                 TbStore     *store,
                                 gint64       campaign_id,
                                 const char  *policies,
                                 gint64       now)
{
  g_autofree char *word = tb_store_dup_campaign_number_rule (store, campaign_id);
  TbLinePoolRule rule = tb_line_pool_rule_from_string (word);
  g_autofree char *fixed = tb_line_pool_dup_fixed_caller_pack (policies, now);

  json_builder_set_member_name (b, "number_rule");
  json_builder_add_string_value (b, tb_line_pool_rule_to_string (rule));
  json_builder_set_member_name (b, "number_rule_text");
  json_builder_add_string_value (b, tb_line_pool_rule_describe (rule));
  json_builder_set_member_name (b, "fixed_caller_id");
  if (fixed != NULL) {
    gint64 waiting = tb_store_queue_count_held (store, campaign_id, TB_LINE_POOL_FIXED_RULE);
    g_autofree char *text = tb_line_pool_describe_fixed (fixed, waiting);

    json_builder_add_string_value (b, fixed);
    json_builder_set_member_name (b, "waiting_for_caller_id");
    json_builder_add_int_value (b, waiting);
    json_builder_set_member_name (b, "fixed_caller_id_text");
    json_builder_add_string_value (b, text);
  } else {
    json_builder_add_null_value (b);
  }
}
