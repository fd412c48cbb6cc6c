/* tb-http.h — the one SoupSession every HTTP client of Telebot shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define TB_HTTP_ERROR (tb_http_error_quark ())

typedef enum {
  TB_HTTP_ERROR_STATUS,      /* the server answered with a non-2xx status */
  TB_HTTP_ERROR_CONFIG,      /* no URL, a malformed URL, a missing secret */
} TbHttpError;

GQuark       tb_http_error_quark   (void);

/* The shared session of the main thread (created on first use, with timeouts
 * and Telebot's user agent). (transfer none) */
SoupSession *tb_http_get_session   (void);

G_END_DECLS
