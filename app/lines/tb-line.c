/* tb-line.c — the TbLine interface and the dial request
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
G_DEFINE_INTERFACE (TbLine, tb_line, G_TYPE_OBJECT)
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
  g_clear_pointer (&request->variables, g_hash_table_unref);
  g_free (request);
}

static void
tb_line_default_init (TbLineInterface *iface)
{
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  g_object_interface_install_property (iface,
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("kind", NULL, NULL, NULL, ro));
  g_object_interface_install_property (iface,
    g_param_spec_enum ("state", NULL, NULL, TB_TYPE_LINE_STATE, TB_LINE_STATE_OFFLINE, ro));
  g_object_interface_install_property (iface,
    g_param_spec_string ("last-error", NULL, NULL, NULL, ro));
  g_object_interface_install_property (iface,
    g_param_spec_int ("max-calls", NULL, NULL, 1, 10000, 4,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  g_object_interface_install_property (iface,
    g_param_spec_uint ("n-calls", NULL, NULL, 0, G_MAXUINT, 0, ro));
}

const char *
tb_line_get_name (TbLine *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (TB_IS_LINE (self), NULL);
  g_object_get (self, "name", &name, NULL);
  /* Interned so the getter can return a borrowed string. */
  return g_intern_string (name);
}

const char *
tb_line_get_kind (TbLine *self)
{
  g_autofree char *kind = NULL;

  g_return_val_if_fail (TB_IS_LINE (self), NULL);
  g_object_get (self, "kind", &kind, NULL);
  return g_intern_string (kind);
}

TbLineState
tb_line_get_state (TbLine *self)
{
  TbLineState state;

  g_return_val_if_fail (TB_IS_LINE (self), TB_LINE_STATE_ERROR);
  g_object_get (self, "state", &state, NULL);
  return state;
}

char *
tb_line_dup_last_error (TbLine *self)
{
  char *message = NULL;

  g_return_val_if_fail (TB_IS_LINE (self), NULL);
  g_object_get (self, "last-error", &message, NULL);
  return message;
}

int
tb_line_get_max_calls (TbLine *self)
{
  int max_calls;

  g_return_val_if_fail (TB_IS_LINE (self), 0);
  g_object_get (self, "max-calls", &max_calls, NULL);
  return max_calls;
}

guint
tb_line_get_n_calls (TbLine *self)
{
  guint n;

  g_return_val_if_fail (TB_IS_LINE (self), 0);
  g_object_get (self, "n-calls", &n, NULL);
  return n;
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
  TB_LINE_GET_IFACE (self)->start (self);
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
  TB_LINE_GET_IFACE (self)->stop (self);
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
  return TB_LINE_GET_IFACE (self)->dial (self, request, error);
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
