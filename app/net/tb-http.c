/* tb-http.c — the process-wide SoupSession and API keys for HTTP services
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-http"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-http.h"

#include <string.h>

G_DEFINE_QUARK (tb-http-error-quark, tb_http_error)

SoupSession *
tb_http_get_session (void)
{
  static SoupSession *session;

  if (g_once_init_enter (&session)) {
    SoupSession *s = soup_session_new_with_options ("timeout", 30, "idle-timeout", 60,
                                                    "user-agent", "Telebot/" PACKAGE_VERSION,
                                                    NULL);
    g_once_init_leave (&session, s);
  }
  return session;
}

typedef struct {
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *body;
  gsize         max_bytes;
  /* The exchange's own cancellable: the caller's cancellable and the deadline cancel it. */
  GCancellable *request;
  GCancellable *caller;
  gulong        caller_handler;
  guint         deadline_id;
  guint         timeout_ms;
  gboolean      timed_out;
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_clear_handle_id (&d->deadline_id, g_source_remove);
  if (d->caller_handler != 0)
    g_cancellable_disconnect (d->caller, d->caller_handler);
  g_clear_object (&d->caller);
  g_clear_object (&d->request);
  g_clear_object (&d->msg);
  g_clear_object (&d->stream);
  g_clear_pointer (&d->body, g_byte_array_unref);
  g_free (d);
}

static gboolean
on_deadline (gpointer user_data)
{
  ReadData *d = user_data;

  d->deadline_id = 0;
  d->timed_out = TRUE;
  g_cancellable_cancel (d->request);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* What the deadline cut short says so, rather than "Operation was cancelled". */
static void
return_error (GTask  *task,
              GError *error)
{
  ReadData *d = g_task_get_task_data (task);

  if (d->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_error_free (error);
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_TIMEOUT,
                             "no answer within %u ms", d->timeout_ms);
    return;
  }
  g_task_return_error (task, error);
}

static void
return_too_large (GTask *task)
{
  ReadData *d = g_task_get_task_data (task);

  g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE,
                           "answer larger than %" G_GSIZE_FORMAT " KB", d->max_bytes / 1024);
}

static void
read_more (GTask               *task,
           GAsyncReadyCallback  callback)
{
  ReadData *d = g_task_get_task_data (task);

  /* One byte more than is left, so an answer of exactly max_bytes still ends at EOF. */
  g_input_stream_read_bytes_async (d->stream, MIN (64 * 1024, d->max_bytes - d->body->len + 1),
                                   G_PRIORITY_DEFAULT, d->request, callback, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *d = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              &error);
  gsize size;

  if (chunk == NULL) {
    return_error (task, error);
    return;
  }
  size = g_bytes_get_size (chunk);
  if (size == 0) {
    g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&d->body)),
                           (GDestroyNotify) g_bytes_unref);
    return;
  }
  if (size > d->max_bytes - d->body->len) {
    return_too_large (task);
    return;
  }
  g_byte_array_append (d->body, g_bytes_get_data (chunk, NULL), size);
  read_more (g_steal_pointer (&task), read_cb);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *d = g_task_get_task_data (task);
  GError *error = NULL;
  goffset declared;

  d->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (d->stream == NULL) {
    return_error (task, error);
    return;
  }
  declared = soup_message_headers_get_content_length (
    soup_message_get_response_headers (d->msg));
  if (declared > 0 && (guint64) declared > d->max_bytes) {
    return_too_large (task);
    return;
  }
  read_more (g_steal_pointer (&task), read_cb);
}

void
tb_http_send_and_read_async (SoupMessage         *msg,
                             gsize                max_bytes,
                             guint                timeout_ms,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  ReadData *d;

  g_return_if_fail (SOUP_IS_MESSAGE (msg));
  g_return_if_fail (max_bytes > 0 && max_bytes < G_MAXSIZE);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_http_send_and_read_async);
  d = g_new0 (ReadData, 1);
  d->msg = g_object_ref (msg);
  d->body = g_byte_array_new ();
  d->max_bytes = max_bytes;
  d->request = g_cancellable_new ();
  d->timeout_ms = timeout_ms;
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  if (cancellable != NULL) {
    d->caller = g_object_ref (cancellable);
    d->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                               g_object_ref (d->request), g_object_unref);
  }
  if (timeout_ms > 0)
    d->deadline_id = g_timeout_add (timeout_ms, on_deadline, d);
  soup_session_send_async (tb_http_get_session (), msg, G_PRIORITY_DEFAULT, d->request,
                           send_cb, task);
}

GBytes *
tb_http_send_and_read_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_http_send_and_read_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
tb_http_build_url (const char *base,
                   const char *path)
{
  g_autofree char *b = g_strdup (base);
  gsize len = strlen (b);

  while (len > 0 && b[len - 1] == '/')
    b[--len] = '\0';
  if (g_str_has_suffix (b, "/v1") && g_str_has_prefix (path, "/v1/"))
    path += 3;
  return g_strconcat (b, path, NULL);
}

GUri *
tb_http_parse_url (const char  *url,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  g_return_val_if_fail (url != NULL, NULL);

  for (const char *p = url; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == 0x7f) {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                   _("The address contains a space or a control character (a line break?)"));
      return NULL;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)) {
    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                 _("“%s” is not an http or https address"), url);
    return NULL;
  }
  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0') {
    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG, _("“%s” names no host"), url);
    return NULL;
  }
  return g_steal_pointer (&uri);
}
