/* tb-line.c — the TbLine base class and the dial request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A line is started once (tb_line_start: registration and the like happen in the background,
 * followed through the "state" property), then dials: tb_line_dial() returns the new TbCall
 * at once, in DIALING, and everything after that is the call's state machine. Returning the
 * call immediately (rather than an _async/_finish pair resolving at the answer) lets the
 * caller watch RINGING and EARLY_MEDIA, and cancel, with the same object.
 */
#define G_LOG_DOMAIN "tb-line"

#include "config.h"

#include "tb-line.h"
#include "tb-enums.h"

G_DEFINE_QUARK (tb-line-error-quark, tb_line_error)
G_DEFINE_BOXED_TYPE (TbDialRequest, tb_dial_request, tb_dial_request_copy, tb_dial_request_free)

TbDialRequest *
tb_dial_request_new (const char *number)
{
  TbDialRequest *self = g_new0 (TbDialRequest, 1);

  self->number = g_strdup (number);
  return self;
}

TbDialRequest *
tb_dial_request_copy (const TbDialRequest *request)
{
  TbDialRequest *self = tb_dial_request_new (request->number);

  self->persona = g_strdup (request->persona);
  self->language = g_strdup (request->language);
  self->caller_id = g_strdup (request->caller_id);
  self->ring_timeout_ms = request->ring_timeout_ms;
  if (request->variables != NULL) {
    GHashTableIter iter;
    gpointer k, v;

    self->variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_iter_init (&iter, request->variables);
    while (g_hash_table_iter_next (&iter, &k, &v))
      g_hash_table_insert (self->variables, g_strdup (k), g_strdup (v));
  }
  return self;
}

void
tb_dial_request_free (TbDialRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->number);
  g_free (request->persona);
  g_free (request->language);
  g_free (request->caller_id);
  g_clear_pointer (&request->variables, g_hash_table_unref);
  g_free (request);
}

typedef struct {
  char        *name;
  TbLineState  state;
  char        *last_error;
  int          max_calls;     /* 0: the class's default */
  GPtrArray   *calls;         /* TbCall, held from the dial until they end */
  gint64       retry_until;   /* monotonic µs: its server asked for no call before; 0: not */
} TbLinePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TbLine, tb_line, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_KIND,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_MAX_CALLS,
  PROP_N_CALLS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
on_call_state_notify (TbCall     *call,
                      GParamSpec *pspec,
                      TbLine     *self)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  if (tb_call_get_state (call) != TB_CALL_STATE_ENDED)
    return;
  if (tb_call_get_retry_after (call) > 0)
    priv->retry_until = g_get_monotonic_time () +
                        (gint64) tb_call_get_retry_after (call) * G_USEC_PER_SEC;
  g_signal_handlers_disconnect_by_func (call, on_call_state_notify, self);
  if (g_ptr_array_remove (priv->calls, call))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_CALLS]);
}

static void
forget_calls (TbLine *self)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  for (guint i = 0; i < priv->calls->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (priv->calls, i),
                                          on_call_state_notify, self);
  g_ptr_array_set_size (priv->calls, 0);
}

static void
tb_line_dispose (GObject *object)
{
  forget_calls (TB_LINE (object));

  G_OBJECT_CLASS (tb_line_parent_class)->dispose (object);
}

static void
tb_line_finalize (GObject *object)
{
  TbLinePrivate *priv = tb_line_get_instance_private (TB_LINE (object));

  g_ptr_array_unref (priv->calls);
  g_free (priv->name);
  g_free (priv->last_error);

  G_OBJECT_CLASS (tb_line_parent_class)->finalize (object);
}

static void
tb_line_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TbLine *self = TB_LINE (object);
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  switch (prop_id) {
  case PROP_NAME:
    g_value_set_string (value, priv->name);
    break;
  case PROP_KIND:
    g_value_set_string (value, TB_LINE_GET_CLASS (self)->kind);
    break;
  case PROP_STATE:
    g_value_set_enum (value, priv->state);
    break;
  case PROP_LAST_ERROR:
    g_value_set_string (value, priv->last_error);
    break;
  case PROP_MAX_CALLS:
    g_value_set_int (value, tb_line_get_max_calls (self));
    break;
  case PROP_N_CALLS:
    g_value_set_uint (value, priv->calls->len);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_line_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  TbLine *self = TB_LINE (object);
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  switch (prop_id) {
  case PROP_NAME:
    priv->name = g_value_dup_string (value);
    break;
  case PROP_MAX_CALLS:
    /* A modem carries one call whatever the configuration says. */
    if (TB_LINE_GET_CLASS (self)->fixed_max_calls > 0 ||
        priv->max_calls == g_value_get_int (value))
      break;
    priv->max_calls = g_value_get_int (value);
    g_object_notify_by_pspec (object, pspec);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_line_class_init (TbLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = tb_line_dispose;
  object_class->finalize = tb_line_finalize;
  object_class->get_property = tb_line_get_property;
  object_class->set_property = tb_line_set_property;
  klass->default_max_calls = 4;

  props[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, ro);
  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, TB_TYPE_LINE_STATE,
                                         TB_LINE_STATE_OFFLINE, ro);
  props[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  /* 0 reads as the class's default. */
  props[PROP_MAX_CALLS] =
    g_param_spec_int ("max-calls", NULL, NULL, 0, 10000, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The calls dialed that have not ended. */
  props[PROP_N_CALLS] = g_param_spec_uint ("n-calls", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tb_line_init (TbLine *self)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  priv->calls = g_ptr_array_new_with_free_func (g_object_unref);
}

const char *
tb_line_get_name (TbLine *self)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  g_return_val_if_fail (TB_IS_LINE (self), NULL);
  return priv->name;
}

const char *
tb_line_get_kind (TbLine *self)
{
  g_return_val_if_fail (TB_IS_LINE (self), NULL);
  return TB_LINE_GET_CLASS (self)->kind;
}

TbLineState
tb_line_get_state (TbLine *self)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  g_return_val_if_fail (TB_IS_LINE (self), TB_LINE_STATE_ERROR);
  return priv->state;
}

char *
tb_line_dup_last_error (TbLine *self)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  g_return_val_if_fail (TB_IS_LINE (self), NULL);
  return g_strdup (priv->last_error);
}

int
tb_line_get_max_calls (TbLine *self)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);
  TbLineClass *klass;

  g_return_val_if_fail (TB_IS_LINE (self), 0);
  klass = TB_LINE_GET_CLASS (self);
  if (klass->fixed_max_calls > 0)
    return klass->fixed_max_calls;
  return priv->max_calls > 0 ? priv->max_calls : klass->default_max_calls;
}

guint
tb_line_get_n_calls (TbLine *self)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  g_return_val_if_fail (TB_IS_LINE (self), 0);
  return priv->calls->len;
}

gint64
tb_line_get_retry_until (TbLine *self)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  g_return_val_if_fail (TB_IS_LINE (self), 0);
  return priv->retry_until > g_get_monotonic_time () ? priv->retry_until : 0;
}

void
tb_line_set_state (TbLine      *self,
                   TbLineState  state,
                   const char  *error_message)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);

  g_return_if_fail (TB_IS_LINE (self));

  /* A line that can dial again has no trouble to tell; otherwise only a new message
   * replaces the one shown. */
  if (state == TB_LINE_STATE_READY)
    error_message = NULL;
  if ((error_message != NULL || state == TB_LINE_STATE_READY)
      && g_strcmp0 (priv->last_error, error_message) != 0) {
    g_free (priv->last_error);
    priv->last_error = g_strdup (error_message);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_ERROR]);
  }
  if (priv->state != state) {
    priv->state = state;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
  }
}

void
tb_line_hang_up_all (TbLine *self)
{
  TbLinePrivate *priv = tb_line_get_instance_private (self);
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (TB_IS_LINE (self));

  for (guint i = 0; i < priv->calls->len; i++)
    g_ptr_array_add (calls, g_object_ref (g_ptr_array_index (priv->calls, i)));
  for (guint i = 0; i < calls->len; i++)
    tb_call_hang_up (g_ptr_array_index (calls, i));
}

JsonObject *
tb_line_parse_config (const char   *name,
                      const char   *config_json,
                      JsonParser   *parser,
                      GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!json_parser_load_from_data (parser, config_json ? config_json : "{}", -1, &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "line %s: the configuration is not a JSON object%s%s", name,
                 local_error ? ": " : "", local_error ? local_error->message : "");
    return NULL;
  }
  return json_node_get_object (json_parser_get_root (parser));
}

/**
 * tb_line_start:
 *
 * Brings the line up in the background (SIP: binds the transport and REGISTERs when
 * configured to). Follow #TbLine:state; a line without sign-in goes READY at once.
 */
void
tb_line_start (TbLine *self)
{
  g_return_if_fail (TB_IS_LINE (self));
  TB_LINE_GET_CLASS (self)->start (self);
}

/**
 * tb_line_stop:
 *
 * Hangs up every call and signs out; the line goes OFFLINE.
 */
void
tb_line_stop (TbLine *self)
{
  g_return_if_fail (TB_IS_LINE (self));
  TB_LINE_GET_CLASS (self)->stop (self);
}

/**
 * tb_line_dial:
 * @request: the number and, for the sim line, the persona
 *
 * Places a call. Fails at once (with %TB_LINE_ERROR) when the line is not READY, has
 * max-calls calls going, or the number is not dialable; every later outcome is the call's
 * state machine, ending in ENDED with an end reason.
 *
 * Returns: (transfer full): the call, in DIALING
 */
TbCall *
tb_line_dial (TbLine               *self,
              const TbDialRequest  *request,
              GError              **error)
{
  TbCall *call;

  g_return_val_if_fail (TB_IS_LINE (self), NULL);
  g_return_val_if_fail (request != NULL && request->number != NULL, NULL);

  if (*request->number == '\0') {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "line %s: empty number", tb_line_get_name (self));
    return NULL;
  }
  if (tb_line_get_state (self) != TB_LINE_STATE_READY) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_READY,
                 "line %s: cannot dial %s while %s", tb_line_get_name (self),
                 request->number, tb_line_state_to_string (tb_line_get_state (self)));
    return NULL;
  }
  if ((int) tb_line_get_n_calls (self) >= tb_line_get_max_calls (self)) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_BUSY,
                 "line %s: cannot dial %s: all %d calls in use", tb_line_get_name (self),
                 request->number, tb_line_get_max_calls (self));
    return NULL;
  }
  call = TB_LINE_GET_CLASS (self)->dial (self, request, error);
  if (call != NULL) {
    TbLinePrivate *priv = tb_line_get_instance_private (self);

    g_ptr_array_add (priv->calls, g_object_ref (call));
    g_signal_connect_object (call, "notify::state", G_CALLBACK (on_call_state_notify), self, 0);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_CALLS]);
  }
  return call;
}

TbCall *
tb_line_dial_number (TbLine      *self,
                     const char  *number,
                     GError     **error)
{
  g_autoptr(TbDialRequest) request = tb_dial_request_new (number);

  return tb_line_dial (self, request, error);
}

static void
on_line_state_notify (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  g_main_loop_quit (user_data);
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * tb_line_wait_ready:
 *
 * Starts the line if it is offline and iterates the thread-default main context until it is
 * READY (TRUE) or in ERROR or @timeout_ms passed (FALSE, @error set). For the command line and
 * tests; the application follows #TbLine:state instead.
 */
gboolean
tb_line_wait_ready (TbLine    *self,
                    guint      timeout_ms,
                    GError   **error)
{
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *message = NULL;
  gulong handler;
  guint timeout;

  g_return_val_if_fail (TB_IS_LINE (self), FALSE);

  if (tb_line_get_state (self) == TB_LINE_STATE_OFFLINE)
    tb_line_start (self);
  loop = g_main_loop_new (g_main_context_get_thread_default (), FALSE);
  handler = g_signal_connect (self, "notify::state", G_CALLBACK (on_line_state_notify), loop);
  timeout = g_timeout_add (timeout_ms, wait_timeout_cb, loop);
  while (tb_line_get_state (self) == TB_LINE_STATE_REGISTERING ||
         tb_line_get_state (self) == TB_LINE_STATE_OFFLINE) {
    if (g_main_context_find_source_by_id (NULL, timeout) == NULL)
      break;
    g_main_loop_run (loop);
  }
  g_signal_handler_disconnect (self, handler);
  if (g_main_context_find_source_by_id (NULL, timeout) != NULL)
    g_source_remove (timeout);

  if (tb_line_get_state (self) == TB_LINE_STATE_READY)
    return TRUE;
  message = tb_line_dup_last_error (self);
  g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_READY, "line %s: %s",
               tb_line_get_name (self),
               message ? message : tb_line_get_state (self) == TB_LINE_STATE_ERROR
                                   ? "error" : "not ready in time");
  return FALSE;
}

const char *
tb_line_state_to_string (TbLineState state)
{
  switch (state) {
  case TB_LINE_STATE_OFFLINE: return "offline";
  case TB_LINE_STATE_REGISTERING: return "registering";
  case TB_LINE_STATE_READY: return "ready";
  case TB_LINE_STATE_ERROR: return "error";
  default: return "unknown";
  }
}
