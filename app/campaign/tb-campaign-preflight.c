/* tb-campaign-preflight.c — the pre-flight report of a campaign: its contacts and its script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-campaign-preflight"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-campaign-preflight.h"
#include "tb-line-registry.h"
#include "tb-lines.h"
#include "tb-script.h"
#include "tb-store-config.h"
#include "tb-store-lines.h"

typedef struct {
  char   *db_path;
  gint64  campaign_id;
  gint64  list_id;
  char   *packs;
  gint64  now;
} Job;

static void
job_free (Job *job)
{
  g_free (job->db_path);
  g_free (job->packs);
  g_free (job);
}

TbPreflight *
tb_campaign_preflight_run (TbStore       *store,
                           gint64         campaign_id,
                           gint64         list_id,
                           const char    *packs,
                           gint64         now,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(TbDialGate) gate = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  gate = tb_dial_gate_new (store);
  if (campaign_id > 0)
    return tb_dial_gate_preflight (gate, campaign_id, now, cancellable, error);
  return tb_dial_gate_preflight_list (gate, list_id, packs, now, cancellable, error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbStore) store = NULL;
  TbPreflight *report = NULL;

  if ((store = tb_store_open (job->db_path, &error)) != NULL)
    report = tb_campaign_preflight_run (store, job->campaign_id, job->list_id, job->packs,
                                        job->now, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) tb_preflight_free);
}

void
tb_campaign_preflight_run_async (TbStore             *store,
                                 gint64               campaign_id,
                                 gint64               list_id,
                                 const char          *packs,
                                 gint64               now,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (TB_IS_STORE (store));

  job->db_path = g_strdup (tb_store_get_path (store));
  job->campaign_id = campaign_id;
  job->list_id = list_id;
  job->packs = g_strdup (packs);
  job->now = now;
  g_task_set_source_tag (task, tb_campaign_preflight_run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, run_thread);
}

TbPreflight *
tb_campaign_preflight_run_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
rule_title (const char *rule)
{
  static const struct { const char *rule; const char *title; } titles[] = {
    { "R1", N_("do-not-call") },
    { "R2", N_("opted out") },
    { "R3", N_("calling window") },
    { "R4", N_("attempt caps") },
    { "R5", N_("consent") },
    { "R7", N_("abandoned calls") },
    { "R9", N_("caller ID") },
    { "vacant", N_("vacant numbers") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (rule, titles[i].rule) == 0)
      return _(titles[i].title);
  return _("rule");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char *
tb_campaign_preflight_describe (const TbPreflight *report)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *contacts = NULL;
  g_autofree char *allowed = NULL;
  g_autofree char *blocked = NULL;
  g_autofree const char **rules = NULL;
  guint n_rules = 0, n_blocked = 0;

  g_return_val_if_fail (report != NULL, NULL);

  if (report->contacts == 0)
    return g_strdup (_("The contact list is empty: there is nobody to call."));

  rules = (const char **) g_hash_table_get_keys_as_array (report->blocked, &n_rules);
  g_qsort_with_data (rules, n_rules, sizeof (char *), compare_strings, NULL);
  for (guint i = 0; i < n_rules; i++)
    n_blocked += GPOINTER_TO_UINT (g_hash_table_lookup (report->blocked, rules[i]));

  contacts = g_strdup_printf (ngettext ("%u contact", "%u contacts",
                                 report->contacts), report->contacts);
  allowed = g_strdup_printf (_("%u can be called now"), report->allowed_now);
  if (n_blocked == 0) {
    /* Translators: "12 contacts: 12 can be called now" */
    g_string_printf (text, _("%s: %s"), contacts, allowed);
    return g_string_free (g_steal_pointer (&text), FALSE);
  }
  blocked = g_strdup_printf (_("%u blocked"), n_blocked);
  /* Translators: "12 contacts: 10 can be called now, 2 blocked" */
  g_string_printf (text, _("%s: %s, %s"), contacts, allowed, blocked);
  for (guint i = 0; i < n_rules; i++) {
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (report->blocked, rules[i]));
    const char *example = g_hash_table_lookup (report->examples, rules[i]);

    g_string_append (text, i == 0 ? " — " : "; ");
    if (example != NULL)
      /* Translators: rule code, rule title, contacts it blocks, the first message */
      g_string_append_printf (text, _("%s %s: %u (e.g. “%s”)"), rules[i], rule_title (rules[i]),
                              n, example);
    else
      g_string_append_printf (text, _("%s %s: %u"), rules[i], rule_title (rules[i]), n);
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
tb_campaign_preflight_get_dialable (const TbPreflight *report)
{
  g_return_val_if_fail (report != NULL, FALSE);

  return report->allowed_now > 0 || report->allowed_later > 0;
}

guint
tb_campaign_preflight_get_need_consent (const TbPreflight *report)
{
  g_return_val_if_fail (report != NULL, 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (report->blocked, "R5"));
}

char *
tb_campaign_preflight_format_time (gint64 at,
                                   gint64 now)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) n = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);

  if (t == NULL || n == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (t) == g_date_time_get_year (n) &&
      g_date_time_get_day_of_year (t) == g_date_time_get_day_of_year (n))
    return g_date_time_format (t, "%H:%M");
  /* Translators: a day and time in the coming week, as g_date_time_format () writes it */
  return g_date_time_format (t, _("%a %d %b %H:%M"));
}

char *
tb_campaign_preflight_describe_blocker (const TbPreflight *report,
                                        gint64             now)
{
  g_autofree char *why = NULL;
  g_autofree char *when = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  if (report->allowed_now > 0)
    return NULL;
  if (report->contacts == 0)
    return g_strdup (_("The contact list is empty: there is nobody to call."));
  if (report->allowed_later == 0) {
    why = tb_dial_gate_describe_blocked (report->blocked, report->examples);
    /* Translators: then why: "3 contacts need consent (R5)" */
    return g_strdup_printf (_("Nobody on this list can be called: %s."), why);
  }
  when = tb_campaign_preflight_format_time (report->next_allowed, now);
  if (report->next_allowed_why != NULL)
    /* Translators: a time ("08:00"), then the rule that holds the calls back until then */
    return g_strdup_printf (_("Nobody can be called now: the first call can be made at %s "
                              "(%s)."), when, report->next_allowed_why);
  return g_strdup_printf (_("Nobody can be called now: the first call can be made at %s."),
                          when);
}

char *
tb_campaign_preflight_consent_link_label (guint n)
{
  return g_strdup_printf (ngettext ("%u contact needs consent — Import consent…",
                                    "%u contacts need consent — Import consent…", n), n);
}

static void
add_error (GPtrArray  *problems,
           const char *message)
{
  TbScriptProblem *p = g_new0 (TbScriptProblem, 1);

  p->severity = TB_SCRIPT_PROBLEM_ERROR;
  p->code = g_strdup ("unreadable");
  p->message = g_strdup (message);
  g_ptr_array_add (problems, p);
}

GPtrArray *
tb_campaign_preflight_check_script (TbStore    *store,
                                    gint64      script_id,
                                    const char *script_name,
                                    const char *packs,
                                    gboolean   *keypad_only)
{
  GPtrArray *problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = NULL;
  g_autofree char *document = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if (keypad_only != NULL)
    *keypad_only = FALSE;
  if ((document = tb_store_dup_script_document (store, script_id, &error)) == NULL ||
      (script = tb_script_new_from_data (document, -1, script_name, &error)) == NULL) {
    problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_script_problem_free);
    add_error (problems, error->message);
    return problems;
  }
  tb_script_check (script, packs, NULL, &problems);
  if (keypad_only != NULL)
    *keypad_only = tb_script_get_keypad_only (script);
  if (problems == NULL)
    problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_script_problem_free);
  return problems;
}

const char *
tb_campaign_preflight_keypad_note (void)
{
  return _("Callees answer by keypad only: speech is not listened to.");
}

const char *
tb_campaign_preflight_first_error (GPtrArray *problems)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++) {
    TbScriptProblem *p = g_ptr_array_index (problems, i);

    if (p->severity == TB_SCRIPT_PROBLEM_ERROR)
      return p->message;
  }
  return NULL;
}

char *
tb_campaign_preflight_describe_line (const char *line_name,
                                     TbLine     *line,
                                     const char *build_error)
{
  g_autofree char *technical = NULL;
  g_autofree char *words = NULL;

  g_return_val_if_fail (line_name != NULL, NULL);
  g_return_val_if_fail (line == NULL || TB_IS_LINE (line), NULL);

  if (build_error != NULL)
    technical = g_strdup (build_error);
  else if (line != NULL && tb_line_get_state (line) == TB_LINE_STATE_ERROR)
    technical = tb_line_dup_last_error (line);
  else
    return NULL;
  words = tb_line_explain_error (technical, NULL);
  /* "The provider rejected …" follows a colon: "the provider rejected …" (not "SIM …"). */
  if (g_ascii_isupper (words[0]) && g_ascii_islower (words[1]))
    words[0] = g_ascii_tolower (words[0]);
  /* Translators: a line's name, then what is wrong with it in plain words */
  return g_strdup_printf (_("The line “%s” cannot dial: %s"), line_name, words);
}

char *
tb_campaign_preflight_check_line (TbStore     *store,
                                  const char  *line_name,
                                  TbLine     **line)
{
  g_autoptr(TbLineRow) row = NULL;
  g_autoptr(TbLine) built = NULL;
  g_autoptr(GError) error = NULL;
  TbLine *started = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if (line != NULL)
    *line = NULL;
  if (line_name == NULL || (row = tb_store_get_line (store, line_name, NULL)) == NULL)
    return NULL;
  started = tb_line_registry_lookup (row->name, row->kind, row->config, row->max_calls);
  if (line != NULL)
    *line = started;
  if (started == NULL &&
      (built = tb_line_new_for_config (row->name, row->kind, row->config, row->max_calls,
                                       &error)) == NULL)
    return tb_campaign_preflight_describe_line (row->name, NULL, error->message);
  return tb_campaign_preflight_describe_line (row->name, started, NULL);
}

char *
tb_campaign_preflight_describe_capacity (guint n_ready,
                                         guint n_lines,
                                         int   calls_at_once)
{
  g_autofree char *lines = NULL;
  g_autofree char *calls = NULL;

  if (n_ready == n_lines)
    /* Translators: the lines of a campaign's pool that can dial, all of them */
    lines = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line ready", "%u lines ready",
                                          n_ready), n_ready);
  else
    /* Translators: the lines of a campaign's pool that can dial, of how many */
    lines = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u line ready",
                                          "%u of %u lines ready", n_lines), n_ready, n_lines);
  /* Translators: how many calls the campaign's lines carry at once */
  calls = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d call at once", "%d calls at once",
                                        calls_at_once), calls_at_once);
  /* Translators: "3 lines ready" then "6 calls at once" */
  return g_strdup_printf (_("%s, %s"), lines, calls);
}

char *
tb_campaign_preflight_check_lines (TbStore     *store,
                                   gint64       campaign_id,
                                   char       **capacity,
                                   GPtrArray  **problems)
{
  g_autoptr(TbCampaignRow) campaign = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  guint n_ready = 0, n_lines = 0;
  int calls = 0;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if (capacity != NULL)
    *capacity = NULL;
  if (problems != NULL)
    *problems = NULL;
  if ((campaign = tb_store_get_campaign (store, campaign_id, NULL)) == NULL ||
      (rows = tb_store_dup_campaign_lines (store, campaign_id, NULL)) == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++) {
    const TbCampaignLineRow *row = g_ptr_array_index (rows, i);
    char *why;

    if (!row->enabled)
      continue;
    n_lines++;
    if ((why = tb_campaign_preflight_check_line (store, row->name, NULL)) != NULL) {
      g_ptr_array_add (reasons, why);
      continue;
    }
    n_ready++;
    calls += tb_line_kind_get_max_calls (row->kind, row->max_calls);
  }
  calls = MIN (calls, MAX (campaign->concurrency, 1));
  if (capacity != NULL)
    *capacity = tb_campaign_preflight_describe_capacity (n_ready, n_lines, calls);
  if (n_ready > 0 || reasons->len == 0) {
    if (problems != NULL && reasons->len > 0)
      *problems = g_steal_pointer (&reasons);
    return NULL;
  }
  g_ptr_array_add (reasons, NULL);
  return g_strjoinv ("\n", (char **) reasons->pdata);
}
