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
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_clear_object (&d->msg);
  g_clear_object (&d->stream);
  g_clear_pointer (&d->body, g_byte_array_unref);
  g_free (d);
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
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task), callback,
                                   task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              &error);
  gsize size;

  if (chunk == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
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
    g_task_return_error (task, error);
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
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  soup_session_send_async (tb_http_get_session (), msg, G_PRIORITY_DEFAULT, cancellable,
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
