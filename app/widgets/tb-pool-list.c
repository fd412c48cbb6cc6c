/* tb-pool-list.c — the lines of a campaign's pool, and each line's caller numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per line: its state (live when this window holds it), the calls in flight on it, the
 * calls made and their answer rate; under it one row per caller number, as the running pool
 * sees it (else as the store tells): where it stands, its calls against its caps, its answer
 * rate and its health warning. It follows the pool live and redraws when a held-back number
 * frees.
 */
#define G_LOG_DOMAIN "tb-pool-list"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-campaign-preflight.h"
#include "tb-line-pool.h"
#include "tb-line-registry.h"
#include "tb-lines.h"
#include "tb-pool-list.h"
#include "tb-store-lines.h"

struct _TbPoolList
{
  AdwBin      parent_instance;

  GtkListBox *list;
  gint64      campaign_id;
  TbLinePool *pool;          /* the shown campaign's runner's, followed live; or NULL */
  GHashTable *collapsed;     /* names of the lines whose numbers the user folded away */
  guint       until_id;      /* a caller number shown held back frees: refresh then */
};

G_DEFINE_FINAL_TYPE (TbPoolList, tb_pool_list, ADW_TYPE_BIN)

/* Where a caller number stands, in words: "Ready", "At its hourly cap until 10:42". */
static char *
dup_number_state (const TbCallerNumber *n,
                  gint64                now)
{
  g_autofree char *when = n->until > 0 ? tb_campaign_preflight_format_time (n->until, now)
                                       : NULL;

  switch (n->state) {
  case TB_CALLER_NUMBER_HOURLY_CAP:
    /* Translators: a caller number that made its calls for the hour, until a time ("10:42") */
    return g_strdup_printf (_("At its hourly cap until %s"), when);
  case TB_CALLER_NUMBER_DAILY_CAP:
    /* Translators: a caller number that made its calls for the day, until a time */
    return g_strdup_printf (_("At its daily cap until %s"), when);
  case TB_CALLER_NUMBER_COOLING:
    /* Translators: a caller number rests until a time, after that many calls in a row that
     * reached nobody */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Cooling down until %s after %d unanswered call",
                                         "Cooling down until %s after %d unanswered calls in a "
                                         "row", n->cooldown_after),
                            when, n->cooldown_after);
  case TB_CALLER_NUMBER_RESTING:
    /* Translators: a caller number that may be marked as spam rests until a time; the
     * reason is shown under it */
    return g_strdup_printf (_("Resting until %s"), when);
  case TB_CALLER_NUMBER_READY:
  default:
    return g_strdup (_("Ready"));
  }
}

/* Its calls against its caps, and its answer rate over its last calls:
 * "3 of 4 calls this hour · 12 of 100 today · 31 % of 100 answered". */
static char *
dup_number_counts (const TbCallerNumber *n)
{
  g_autofree char *hour = NULL;
  g_autofree char *day = NULL;
  g_autofree char *answers = NULL;

  if (n->per_hour > 0)
    /* Translators: a caller number's calls in the last hour, of its cap */
    hour = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %d call this hour",
                                         "%u of %d calls this hour", n->per_hour),
                            n->calls_hour, n->per_hour);
  else
    hour = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u call this hour",
                                         "%u calls this hour", n->calls_hour), n->calls_hour);
  if (n->per_day > 0)
    /* Translators: a caller number's calls in the last 24 hours, of its cap */
    day = g_strdup_printf (_("%u of %d today"), n->calls_day, n->per_day);
  else
    /* Translators: a caller number's calls in the last 24 hours */
    day = g_strdup_printf (_("%u today"), n->calls_day);
  if (n->recent_calls > 0)
    /* Translators: a caller number's answer rate over its last calls (at most 100): "31 % of
     * 100 answered" */
    answers = g_strdup_printf (_("%.0f %% of %u answered"),
                               100.0 * n->recent_answered / n->recent_calls, n->recent_calls);
  else
    answers = g_strdup (_("no calls yet"));
  return g_strdup_printf ("%s · %s · %s", hour, day, answers);
}

static GtkWidget *
make_number_label (const char *text,
                   const char *name,
                   const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_name (label, name);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* One caller number of a line: the number, where it stands, its calls against its caps and
 * its answer rate; its health warning, when it may be marked as spam, in a warning's colour
 * with the icon. Nothing is cut: every label wraps. */
static GtkWidget *
make_number_row (const char           *line_name,
                 const TbCallerNumber *n,
                 gint64                now)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new_from_icon_name (n->health != NULL ? "dialog-warning-symbolic"
                                                                    : "call-start-symbolic");
  GtkWidget *number = make_number_label (n->number, "number", "numeric");
  g_autofree char *state = dup_number_state (n, now);
  g_autofree char *counts = dup_number_counts (n);
  g_autofree char *name = g_strdup_printf ("campaign-number-%s-%s", line_name, n->number);
  GtkWidget *counts_label = make_number_label (counts, "number-calls", "numeric");

  gtk_label_set_wrap (GTK_LABEL (number), FALSE);
  gtk_widget_add_css_class (number, "heading");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, n->health != NULL ? "warning" : "dim-label");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (text), number);
  gtk_box_append (GTK_BOX (text), make_number_label (state, "number-state", NULL));
  gtk_widget_add_css_class (counts_label, "dim-label");
  gtk_box_append (GTK_BOX (text), counts_label);
  if (n->health != NULL)
    gtk_box_append (GTK_BOX (text), make_number_label (n->health, "number-health", "warning"));
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_name (row, name);
  return row;
}

/* A line whose numbers the user folded away stays folded when the rows are rebuilt. */
static void
on_line_expanded (AdwExpanderRow *row,
                  GParamSpec     *pspec,
                  TbPoolList     *self)
{
  const char *name = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

  if (self->collapsed == NULL)
    return;
  if (adw_expander_row_get_expanded (row))
    g_hash_table_remove (self->collapsed, name);
  else
    g_hash_table_add (self->collapsed, g_strdup (name));
}

static void update_lines (TbPoolList *self,
                          TbStore    *store);

static void
on_pool_changed (TbPoolList *self)
{
  TbStore *store = tb_application_get_default_store ();

  if (store != NULL && self->campaign_id > 0)
    update_lines (self, store);
}

/* The shown campaign's pool, when this window runs it: its rows follow what it says. */
static TbLinePool *
follow_pool (TbPoolList *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbCampaignRunner *runner = app ? tb_application_lookup_runner (app, self->campaign_id) : NULL;
  TbLinePool *pool = runner ? tb_campaign_runner_get_pool (runner) : NULL;

  if (pool == self->pool)
    return pool;
  if (self->pool != NULL)
    g_signal_handlers_disconnect_by_data (self->pool, self);
  g_set_object (&self->pool, pool);
  if (pool != NULL)
    g_signal_connect_object (pool, "changed", G_CALLBACK (on_pool_changed), self,
                             G_CONNECT_SWAPPED);
  return pool;
}

static gboolean
until_cb (gpointer data)
{
  TbPoolList      *self = data;

  self->until_id = 0;
  on_pool_changed (self);
  return G_SOURCE_REMOVE;
}

/* One row per line of the pool: its state (live when this window holds it), the calls in
 * flight on it, the calls made and their answer rate; under it, one row per caller number
 * (as the running pool sees it, else as the store tells), or once that it has none. */
static void
update_lines (TbPoolList *self,
              TbStore    *store)
{
  g_autoptr(GPtrArray) pool = tb_store_dup_campaign_lines (store, self->campaign_id, NULL);
  TbApplication *app = TB_APPLICATION_DEFAULT;
  gint64 now = app ? tb_application_get_now (app) : g_get_real_time ();
  TbLinePool *live = follow_pool (self);
  gint64 next_until = 0;
  GtkWidget *child;

  g_clear_handle_id (&self->until_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; pool != NULL && i < pool->len; i++) {
    const TbCampaignLineRow *r = g_ptr_array_index (pool, i);
    TbLine *line = tb_line_registry_lookup_from_store (store, r->name);
    g_autoptr(GPtrArray) numbers = NULL;
    GtkWidget *row;
    g_autofree char *state = NULL;
    g_autofree char *calls = NULL;
    g_autofree char *subtitle = NULL;
    g_autofree char *name = g_strdup_printf ("campaign-line-%s", r->name);

    if (r->rest_reason != NULL && r->rest_until > g_get_real_time ()) {
      /* Translators: a line of a running campaign out of its pick for a while, and why */
      state = g_strdup_printf (_("Resting: %s"), r->rest_reason);
    } else if (line == NULL) {
      state = g_strdup (_("Not started yet"));
    } else if (tb_line_get_state (line) == TB_LINE_STATE_ERROR) {
      g_autofree char *error = tb_line_dup_last_error (line);
      g_autofree char *words = tb_line_explain_error (error, NULL);

      state = g_strdup_printf (_("Error: %s"), words);
    } else {
      state = g_strdup (tb_line_get_state (line) == TB_LINE_STATE_READY ? _("Ready")
                        : tb_line_get_state (line) == TB_LINE_STATE_REGISTERING
                          ? _("Registering…") : _("Offline"));
    }
    if (r->calls > 0)
      /* Translators: a line of a campaign: calls in flight, calls made, answered share */
      calls = g_strdup_printf (_("%d in flight · %d calls · %.0f %% answered"),
                               (int) r->in_flight, (int) r->calls,
                               100.0 * (double) r->answered / (double) r->calls);
    else
      calls = g_strdup (_("no calls yet"));
    if (live == NULL || (numbers = tb_line_pool_dup_numbers (live, store, r->line_id, now)) == NULL)
      numbers = tb_line_pool_dup_stored_numbers (store, r->config, now, NULL);
    if (numbers != NULL && numbers->len > 0) {
      row = adw_expander_row_new ();
      subtitle = g_strdup_printf ("%s · %s", state, calls);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row),
                                     !g_hash_table_contains (self->collapsed, r->name));
      for (guint j = 0; j < numbers->len; j++) {
        const TbCallerNumber *n = g_ptr_array_index (numbers, j);

        adw_expander_row_add_row (ADW_EXPANDER_ROW (row), make_number_row (r->name, n, now));
        if (n->until > now && (next_until == 0 || n->until < next_until))
          next_until = n->until;
      }
      g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_line_expanded), self, 0);
    } else {
      row = adw_action_row_new ();
      /* Translators: a line of a campaign's pool that has no caller numbers set: its calls
       * present what the line presents by itself */
      subtitle = g_strdup_printf ("%s · %s · %s", state, calls,
                                  _("no caller numbers of its own"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), r->name);
    gtk_widget_set_name (row, name);
    gtk_list_box_append (self->list, row);
  }
  /* A number held back until a time: its row says "ready" again then. */
  if (next_until > 0)
    self->until_id = g_timeout_add_seconds ((guint) MIN ((next_until - now) / G_USEC_PER_SEC + 1,
                                                         24 * 3600),
                                            until_cb, self);
}

static void
tb_pool_list_dispose (GObject *object)
{
  TbPoolList *self = TB_POOL_LIST (object);

  if (self->pool != NULL)
    g_signal_handlers_disconnect_by_data (self->pool, self);
  g_clear_object (&self->pool);
  g_clear_handle_id (&self->until_id, g_source_remove);
  g_clear_pointer (&self->collapsed, g_hash_table_unref);

  G_OBJECT_CLASS (tb_pool_list_parent_class)->dispose (object);
}

static void
tb_pool_list_class_init (TbPoolListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tb_pool_list_dispose;
}

static void
tb_pool_list_init (TbPoolList *self)
{
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->list), "campaign-lines");
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->list));
  self->collapsed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

GtkWidget *
tb_pool_list_new (void)
{
  return g_object_new (TB_TYPE_POOL_LIST, NULL);
}

void
tb_pool_list_set_campaign (TbPoolList *self,
                           gint64      campaign_id)
{
  g_return_if_fail (TB_IS_POOL_LIST (self));

  self->campaign_id = campaign_id;
  tb_pool_list_refresh (self);
}

void
tb_pool_list_refresh (TbPoolList *self)
{
  TbStore *store = tb_application_get_default_store ();

  g_return_if_fail (TB_IS_POOL_LIST (self));

  if (store != NULL && self->campaign_id > 0)
    update_lines (self, store);
}
