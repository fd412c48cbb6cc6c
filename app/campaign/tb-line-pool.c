/* tb-line-pool.c — the lines a campaign dials over, and which one takes the next call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-line-pool"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tb-line-pool.h"
#include "tb-line-registry.h"
#include "tb-store-lines.h"

typedef struct {
  TbLinePool *pool;          /* (unowned) */
  TbLine     *line;          /* (owned) a registry holder's reference */
  gint64      line_id;
  char       *name;
  char       *caller_id;     /* (nullable) the config's "caller_id" */
  gboolean    enabled;       /* in the campaign's pool (campaign_lines.enabled) */
  guint       in_flight;     /* calls reserved by tb_line_pool_pick() and not ended */
  guint       failures;      /* calls in a row that failed */
  char       *last_failure;  /* why the last of them failed, as its end reason said */
  gint64      rest_until;    /* monotonic µs: out of the pick until then; 0: not resting */
  guint       rest_id;
  gulong      state_handler;
  TbLineState last_state;
} Member;

struct _TbLinePool
{
  GObject    parent_instance;

  /* owned */
  GPtrArray *members;        /* Member, by position */
  guint      next;           /* round-robin: the position tried first by the next pick */
};

G_DEFINE_FINAL_TYPE (TbLinePool, tb_line_pool, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
member_free (Member *m)
{
  g_clear_handle_id (&m->rest_id, g_source_remove);
  if (m->line != NULL) {
    g_clear_signal_handler (&m->state_handler, m->line);
    g_clear_pointer (&m->line, tb_line_registry_release);
  }
  g_free (m->name);
  g_free (m->caller_id);
  g_free (m->last_failure);
  g_free (m);
}

static guint
member_room (Member *m)
{
  int max = tb_line_get_max_calls (m->line);
  guint used = MAX (tb_line_get_n_calls (m->line), m->in_flight);

  return max > (int) used ? (guint) max - used : 0;
}

/* Whether @m may take a call at all (room aside); @why (optional) when not. */
static gboolean
member_usable (Member  *m,
               char   **why)
{
  if (!m->enabled) {
    if (why != NULL)
      *why = g_strdup_printf (_("%s: disabled in this campaign"), m->name);
    return FALSE;
  }
  if (tb_line_get_state (m->line) == TB_LINE_STATE_ERROR) {
    if (why != NULL) {
      g_autofree char *error = tb_line_dup_last_error (m->line);

      *why = g_strdup_printf ("%s: %s", m->name, error ? error : _("in error"));
    }
    return FALSE;
  }
  if (m->rest_until > g_get_monotonic_time ()) {
    if (why != NULL)
      /* Translators: a line of a campaign's pool rests: "m1: 5 calls in a row failed (last:
       * …); tried again in 30 s" */
      *why = g_strdup_printf (_("%s: %u calls in a row failed (last: %s); tried again in %d s"),
                              m->name, m->failures, m->last_failure ? m->last_failure : "?",
                              TB_LINE_POOL_REST_S);
    return FALSE;
  }
  return TRUE;
}

static gboolean
rest_over_cb (gpointer data)
{
  Member *m = data;

  m->rest_id = 0;
  m->rest_until = 0;
  g_debug ("line %s: rested, back in the pick", m->name);
  g_signal_emit (m->pool, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
on_line_state (Member *m)
{
  TbLineState state = tb_line_get_state (m->line);

  if (state == m->last_state)
    return;
  if (state == TB_LINE_STATE_ERROR) {
    g_autofree char *error = tb_line_dup_last_error (m->line);

    g_message ("line %s: out of the pool: %s", m->name, error ? error : "error");
  } else if (state == TB_LINE_STATE_READY && m->last_state == TB_LINE_STATE_ERROR) {
    g_message ("line %s: ready again, back in the pool", m->name);
    /* It recovered: its failures were the fault it recovered from. */
    m->failures = 0;
  }
  m->last_state = state;
  g_signal_emit (m->pool, signals[CHANGED], 0);
}

static void
tb_line_pool_dispose (GObject *object)
{
  TbLinePool *self = TB_LINE_POOL (object);

  g_clear_pointer (&self->members, g_ptr_array_unref);

  G_OBJECT_CLASS (tb_line_pool_parent_class)->dispose (object);
}

static void
tb_line_pool_class_init (TbLinePoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_line_pool_dispose;

  /**
   * TbLinePool::changed:
   *
   * A line changed state or ended its rest: the dialer may find room now.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tb_line_pool_init (TbLinePool *self)
{
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
}

static char *
dup_caller_id (const char *config_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *value;

  if (config_json == NULL || !json_parser_load_from_data (parser, config_json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  value = json_object_get_string_member_with_default (object, "caller_id", NULL);
  return value != NULL && value[0] != '\0' ? g_strdup (value) : NULL;
}

TbLinePool *
tb_line_pool_new (TbStore   *store,
                  gint64     campaign_id,
                  gboolean   fast,
                  GError   **error)
{
  g_autoptr(TbLinePool) self = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if ((rows = tb_store_dup_campaign_lines (store, campaign_id, error)) == NULL)
    return NULL;
  if (rows->len == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "the campaign has no line");
    return NULL;
  }
  self = g_object_new (TB_TYPE_LINE_POOL, NULL);
  for (guint i = 0; i < rows->len; i++) {
    const TbCampaignLineRow *row = g_ptr_array_index (rows, i);
    Member *m = g_new0 (Member, 1);

    m->pool = self;
    m->line_id = row->line_id;
    m->name = g_strdup (row->name);
    m->enabled = row->enabled;
    m->caller_id = dup_caller_id (row->config);
    g_ptr_array_add (self->members, m);
    if ((m->line = tb_line_registry_acquire_from_store (store, row->name, fast, error)) == NULL)
      return NULL;
    m->last_state = tb_line_get_state (m->line);
    m->state_handler = g_signal_connect_swapped (m->line, "notify::state",
                                                 G_CALLBACK (on_line_state), m);
  }
  return g_steal_pointer (&self);
}

guint
tb_line_pool_get_n_lines (TbLinePool *self)
{
  g_return_val_if_fail (TB_IS_LINE_POOL (self), 0);

  return self->members->len;
}

TbLine *
tb_line_pool_get_line (TbLinePool *self,
                       guint       position)
{
  g_return_val_if_fail (TB_IS_LINE_POOL (self), NULL);

  if (position >= self->members->len)
    return NULL;
  return ((Member *) g_ptr_array_index (self->members, position))->line;
}

static Member *
find_member (TbLinePool *self,
             gint64      line_id)
{
  for (guint i = 0; i < self->members->len; i++) {
    Member *m = g_ptr_array_index (self->members, i);

    if (m->line_id == line_id)
      return m;
  }
  return NULL;
}

TbLine *
tb_line_pool_lookup (TbLinePool *self,
                     gint64      line_id)
{
  Member *m;

  g_return_val_if_fail (TB_IS_LINE_POOL (self), NULL);

  m = find_member (self, line_id);
  return m != NULL ? m->line : NULL;
}

guint
tb_line_pool_get_room (TbLinePool  *self,
                       char       **why)
{
  g_autoptr(GString) reasons = NULL;
  guint room = 0;

  g_return_val_if_fail (TB_IS_LINE_POOL (self), 0);

  for (guint i = 0; i < self->members->len; i++) {
    Member *m = g_ptr_array_index (self->members, i);

    if (member_usable (m, NULL))
      room += member_room (m);
  }
  if (room > 0 || why == NULL)
    return room;

  reasons = g_string_new (NULL);
  for (guint i = 0; i < self->members->len; i++) {
    Member *m = g_ptr_array_index (self->members, i);
    g_autofree char *one = NULL;

    if (member_usable (m, &one))
      /* Translators: a line of the pool with no room: "s1: 2 calls at once, all in use" */
      one = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %d call at once, all in use",
                                          "%s: %d calls at once, all in use",
                                          tb_line_get_max_calls (m->line)),
                             m->name, tb_line_get_max_calls (m->line));
    g_string_append_printf (reasons, "%s%s", reasons->len > 0 ? "; " : "", one);
  }
  /* Translators: then why each line cannot: "no line can dial now: m1: …; s1: …" */
  *why = g_strdup_printf (_("no line can dial now: %s"), reasons->str);
  return 0;
}

gboolean
tb_line_pool_pick (TbLinePool  *self,
                   gint64       last_line_id,
                   gint64      *line_id,
                   char       **caller_id)
{
  guint n;

  g_return_val_if_fail (TB_IS_LINE_POOL (self), FALSE);

  n = self->members->len;
  /* A line that is up, other than the one the contact was last called on (it may be why the
   * call failed, and a retry from another number is not the same call again); then one that
   * is up; then one still signing in (its calls wait for it) only when none is. */
  for (int pass = 0; pass < 3; pass++) {
    for (guint k = 0; k < n; k++) {
      guint i = (self->next + k) % n;
      Member *m = g_ptr_array_index (self->members, i);

      if (!member_usable (m, NULL) || member_room (m) == 0 ||
          (pass < 2 && tb_line_get_state (m->line) != TB_LINE_STATE_READY) ||
          (pass == 0 && last_line_id != 0 && m->line_id == last_line_id))
        continue;
      self->next = (i + 1) % n;
      m->in_flight++;
      *line_id = m->line_id;
      *caller_id = g_strdup (m->caller_id);
      return TRUE;
    }
  }
  return FALSE;
}

char *
tb_line_pool_call_ended (TbLinePool *self,
                         gint64      line_id,
                         const char *end_reason)
{
  Member *m;
  char *reason = NULL;

  g_return_val_if_fail (TB_IS_LINE_POOL (self), NULL);

  if ((m = find_member (self, line_id)) == NULL)
    return NULL;
  g_return_val_if_fail (m->in_flight > 0, NULL);
  m->in_flight--;

  /* The line failed under the call (a modem unplugged, a trunk refusing): the call ends with
   * the line's reason, so its record says why rather than a bare "failed". */
  if (tb_line_get_state (m->line) == TB_LINE_STATE_ERROR &&
      g_strcmp0 (end_reason, "failed") == 0) {
    g_autofree char *error = tb_line_dup_last_error (m->line);

    reason = g_strdup_printf ("line %s: %s", m->name, error ? error : "error");
  }

  if (g_strcmp0 (end_reason, "failed") != 0) {
    m->failures = 0;
    return reason;
  }
  m->failures++;
  g_free (m->last_failure);
  m->last_failure = g_strdup (reason ? reason : end_reason);
  if (m->failures >= TB_LINE_POOL_MAX_FAILURES && m->rest_id == 0 &&
      tb_line_get_state (m->line) != TB_LINE_STATE_ERROR) {
    g_message ("line %s: %u calls in a row failed; resting %d s", m->name, m->failures,
               TB_LINE_POOL_REST_S);
    m->rest_until = g_get_monotonic_time () + (gint64) TB_LINE_POOL_REST_S * G_USEC_PER_SEC;
    /* The pool owns its members and clears this source with them. */
    m->rest_id = g_timeout_add_seconds (TB_LINE_POOL_REST_S, rest_over_cb, m);
  }
  return reason;
}

gboolean
tb_line_pool_is_usable (TbLinePool  *self,
                        guint        position,
                        char       **why)
{
  g_return_val_if_fail (TB_IS_LINE_POOL (self), FALSE);
  g_return_val_if_fail (position < self->members->len, FALSE);

  return member_usable (g_ptr_array_index (self->members, position), why);
}

guint
tb_line_pool_get_in_flight (TbLinePool *self,
                            guint       position)
{
  g_return_val_if_fail (TB_IS_LINE_POOL (self), 0);
  g_return_val_if_fail (position < self->members->len, 0);

  return ((Member *) g_ptr_array_index (self->members, position))->in_flight;
}
