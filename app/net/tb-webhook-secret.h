/* tb-webhook-secret.h — where the webhook's shared secret comes from, and signing with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The secret is never in the database and never logged. The settings only say
 * where it is: "webhook-secret-env" names an environment variable,
 * "webhook-secret-file" a file readable by its owner only (0600), and
 * "webhook-secret-keyring" = "true" the keyring (libsecret, schema
 * com.example.Telebot.Webhook, attribute "url"). With none of them,
 * TELEBOT_WEBHOOK_SECRET is used when set; otherwise deliveries go unsigned.
 */
#pragma once

#include <gio/gio.h>

#include "tb-secret.h"
#include "tb-store.h"

G_BEGIN_DECLS

#define TB_WEBHOOK_SETTING_SECRET_ENV     "webhook-secret-env"
#define TB_WEBHOOK_SETTING_SECRET_FILE    "webhook-secret-file"
#define TB_WEBHOOK_SETTING_SECRET_KEYRING "webhook-secret-keyring"
#define TB_WEBHOOK_SECRET_ENV_DEFAULT     "TELEBOT_WEBHOOK_SECRET"

/* The webhook secret as a TbSecretKind (tb-secret.h). */
const TbSecretKind *tb_webhook_secret_kind (void);

/* Finds the secret the settings point to. TRUE with *@secret NULL when none is
 * configured; FALSE with @error when one is configured but cannot be read
 * (a missing variable, a file others can read, a locked keyring). */
gboolean  tb_webhook_secret_lookup  (TbStore       *store,
                                     char         **secret,
                                     GCancellable  *cancellable,
                                     GError       **error);
/* The same without blocking: the keyring is asked asynchronously (the settings
 * are read at once, on the calling thread). Returns the secret or NULL through
 * tb_webhook_secret_lookup_finish(). */
void      tb_webhook_secret_lookup_async  (TbStore              *store,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean  tb_webhook_secret_lookup_finish (GAsyncResult         *result,
                                           char                **secret,
                                           GError              **error);
void      tb_webhook_secret_store_async   (TbStore              *store,
                                           const char           *url,
                                           const char           *secret,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean  tb_webhook_secret_store_finish  (TbStore              *store,
                                           GAsyncResult         *result,
                                           GError              **error);

/* Keeps @secret in the keyring for @url and sets "webhook-secret-keyring". */
gboolean  tb_webhook_secret_store   (TbStore       *store,
                                     const char    *url,
                                     const char    *secret,
                                     GCancellable  *cancellable,
                                     GError       **error);

/* "sha256=<hex HMAC-SHA256 of @body keyed with @secret>" */
char     *tb_webhook_sign           (const char    *secret,
                                     const guint8  *body,
                                     gsize          length);

G_END_DECLS
