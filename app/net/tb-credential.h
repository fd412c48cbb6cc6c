/* tb-credential.h — every credential found the one way: a variable, then a file, then the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The webhook's secret, the speech service's key, the audit key and a SIP line's password are
 * all looked up here, by one rule: the environment variable the configuration names, else the
 * file it names (its owner alone may read it: 0600), else the keyring entry of its kind and id.
 * The keyring has one schema for all of them, "com.example.Telebot.Credential", with the
 * attributes "kind" ("webhook", "speech", "audit", "sip") and "id" (the service's URL, the
 * database, the line's name). Entries an older Telebot stored under a schema of its own are
 * still found (@legacy_schema), so an upgrade loses no password.
 *
 * Nothing here knows the store: tb-secret.h reads the places from the settings, a SIP line
 * from its own configuration. Credentials are never logged.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

typedef struct {
  const char         *what;           /* in messages: "the SIP password of line office" */
  const char         *env;            /* (nullable) a variable's name */
  const char         *env_setting;    /* (nullable) where @env was configured, for messages */
  const char         *file;           /* (nullable) a file's path (resolved by the caller) */
  const char         *keyring_kind;   /* (nullable) look in the keyring under this kind… */
  const char         *keyring_id;     /* …and this id */
  const SecretSchema *legacy_schema;  /* (nullable) an older schema with one attribute… */
  const char         *legacy_attribute; /* …of this name, holding @keyring_id */
} TbCredentialPlace;

/* The credential at @place. TRUE with *@secret NULL when @place names nothing; FALSE with
 * @error when it names a variable that is unset, a file that cannot be read or that others
 * may read, or a keyring entry that is missing or locked. */
gboolean tb_credential_lookup        (const TbCredentialPlace  *place,
                                      char                    **secret,
                                      GCancellable             *cancellable,
                                      GError                  **error);
/* The same in a worker thread (the keyring may take a while to answer). */
void     tb_credential_lookup_async  (const TbCredentialPlace  *place,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data);
gboolean tb_credential_lookup_finish (GAsyncResult             *result,
                                      char                    **secret,
                                      GError                  **error);

/* Keeps @secret in the keyring under @kind and @id, labelled @label. */
gboolean tb_credential_store         (const char               *kind,
                                      const char               *id,
                                      const char               *label,
                                      const char               *secret,
                                      GCancellable             *cancellable,
                                      GError                  **error);
void     tb_credential_store_async   (const char               *kind,
                                      const char               *id,
                                      const char               *label,
                                      const char               *secret,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data);
gboolean tb_credential_store_finish  (GAsyncResult             *result,
                                      GError                  **error);

G_END_DECLS
