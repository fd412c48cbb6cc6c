/* tb-http.c — the process-wide SoupSession and API keys for HTTP services
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-http"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-http.h"

#include <libsecret/secret.h>
#include <string.h>

G_DEFINE_QUARK (tb-http-error-quark, tb_http_error)

static const SecretSchema *
api_key_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".ApiKey", SECRET_SCHEMA_NONE,
    {
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    },
  };
  return &schema;
}

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

char *
tb_http_lookup_api_key (const char *service)
{
  g_autofree char *up = g_ascii_strup (service, -1);
  g_autofree char *var = g_strdup_printf ("TELEBOT_%s_API_KEY", up);
  const char *env = g_getenv (var);
  g_autoptr(GError) local = NULL;
  char *key;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  key = secret_password_lookup_sync (api_key_schema (), NULL, &local, "service", service, NULL);
  if (local != NULL) {
    /* No keyring (headless, CI): no key rather than a failure. */
    g_debug ("no keyring for the %s API key: %s", service, local->message);
    return NULL;
  }
  return key;
}

gboolean
tb_http_store_api_key (const char  *service,
                       const char  *key,
                       GError     **error)
{
  g_autofree char *label = g_strdup_printf ("Telebot API key: %s", service);

  return secret_password_store_sync (api_key_schema (), SECRET_COLLECTION_DEFAULT, label, key,
                                     NULL, error, "service", service, NULL);
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
