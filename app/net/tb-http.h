/* tb-http.h — the process-wide SoupSession and API keys for HTTP services
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define TB_HTTP_ERROR (tb_http_error_quark ())

typedef enum {
  TB_HTTP_ERROR_FAILED,
  TB_HTTP_ERROR_STATUS,      /* the server answered with a non-2xx status */
  TB_HTTP_ERROR_TIMEOUT,     /* no complete answer in time */
  TB_HTTP_ERROR_PROTOCOL,    /* the answer is not what the API documents */
  TB_HTTP_ERROR_CONFIG,      /* no URL, a malformed URL, a missing secret */
  TB_HTTP_ERROR_TOO_LARGE,   /* the answer is longer than the caller reads */
} TbHttpError;

GQuark       tb_http_error_quark    (void);

/* The one SoupSession of the process (main thread), with connect and I/O timeouts. */
SoupSession *tb_http_get_session    (void);

/* Sends @msg on the shared session and reads its whole answer, at most @max_bytes: a longer
 * one (by its Content-Length, or once that much has come) fails with TB_HTTP_ERROR_TOO_LARGE
 * and is read no further. Any status is an answer: look at soup_message_get_status().
 * @timeout_ms, unless 0, is the whole exchange's deadline (the session's own timeouts are per
 * connect and per read): past it the exchange is cancelled and fails with
 * TB_HTTP_ERROR_TIMEOUT. @cancellable fails it with G_IO_ERROR_CANCELLED. */
void         tb_http_send_and_read_async  (SoupMessage          *msg,
                                           gsize                 max_bytes,
                                           guint                 timeout_ms,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GBytes      *tb_http_send_and_read_finish (GAsyncResult         *result,
                                           GError              **error);

/* @url as an http(s) GUri, or NULL with @error (TB_HTTP_ERROR_CONFIG) saying why: not http or
 * https, no host, or a control character or space anywhere in it (a CR/LF would go raw into
 * the request line). The one check of every URL a user or the store gives. */
GUri        *tb_http_parse_url      (const char  *url,
                                     GError     **error);

/* Joins a base URL ("http://host:8080", "https://api.example/v1/") and an API path
 * ("/v1/audio/speech"), without doubling "/v1". */
char        *tb_http_build_url      (const char  *base,
                                     const char  *path);

G_END_DECLS
