/* tb-webhook-secret.c — the webhook's shared secret (a TbSecretKind), and signing with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-webhook-secret"

#include "config.h"

#include "tb-crm-event.h"
#include "tb-secret.h"
#include "tb-webhook-secret.h"

/* Where an older Telebot kept it: still read (tb-credential.h). */
static const SecretSchema webhook_schema = {
  "com.example.Telebot.Webhook", SECRET_SCHEMA_NONE,
  {
    { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static const TbSecretKind webhook_secret = {
  "the webhook secret",
  TB_WEBHOOK_SETTING_SECRET_ENV, TB_WEBHOOK_SETTING_SECRET_FILE,
  TB_WEBHOOK_SETTING_SECRET_KEYRING, TB_WEBHOOK_SETTING_URL, TB_WEBHOOK_SECRET_ENV_DEFAULT,
  "Telebot webhook secret", "webhook",
  &webhook_schema,
};

const TbSecretKind *
tb_webhook_secret_kind (void)
{
  return &webhook_secret;
}

gboolean
tb_webhook_secret_lookup (TbStore       *store,
                          char         **secret,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return tb_secret_lookup (store, &webhook_secret, secret, cancellable, error);
}

void
tb_webhook_secret_lookup_async (TbStore             *store,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  tb_secret_lookup_async (store, &webhook_secret, cancellable, callback, user_data);
}

gboolean
tb_webhook_secret_lookup_finish (GAsyncResult  *result,
                                 char         **secret,
                                 GError       **error)
{
  return tb_secret_lookup_finish (result, secret, error);
}

void
tb_webhook_secret_store_async (TbStore             *store,
                               const char          *url,
                               const char          *secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  tb_secret_store_async (store, &webhook_secret, url, secret, cancellable, callback, user_data);
}

gboolean
tb_webhook_secret_store_finish (TbStore       *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return tb_secret_store_finish (store, result, error);
}

gboolean
tb_webhook_secret_store (TbStore       *store,
                         const char    *url,
                         const char    *secret,
                         GCancellable  *cancellable,
                         GError       **error)
{
  return tb_secret_store (store, &webhook_secret, url, secret, cancellable, error);
}

char *
tb_webhook_sign (const char   *secret,
                 const guint8 *body,
                 gsize         length)
{
  g_autofree char *hex = g_compute_hmac_for_data (G_CHECKSUM_SHA256,
                                                  (const guchar *) secret, strlen (secret),
                                                  body, length);

  return g_strconcat ("sha256=", hex, NULL);
}
