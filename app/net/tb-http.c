/* tb-http.c — the one SoupSession every HTTP client of Telebot shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One session means one connection pool and one set of timeouts (STYLE.md).
 * Clients that need a shorter limit for one request cancel it themselves.
 */
#define G_LOG_DOMAIN "tb-http"

#include "config.h"

#include "tb-http.h"

G_DEFINE_QUARK (tb-http-error-quark, tb_http_error)

SoupSession *
tb_http_get_session (void)
{
  static SoupSession *session;

  if (g_once_init_enter (&session)) {
    SoupSession *s = soup_session_new_with_options ("timeout", 60,
                                                    "idle-timeout", 60,
                                                    "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                    NULL);
    g_once_init_leave (&session, s);
  }
  return session;
}
