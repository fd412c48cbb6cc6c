/* tb-secret.h — where a credential the settings point to comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Credentials are never in the database and never logged. The settings only say where one
 * is: "<kind>-env" names an environment variable, "<kind>-file" a file its owner alone may
 * read (0600; a relative name is in the data folder, tb_store_resolve_path()), and
 * "<kind>-keyring" = "true" the keyring entry of the kind for the setting @url_setting names.
 * With none of them the kind's default variable is used when set. The lookup itself, and its
 * one precedence rule (variable, then file, then keyring), is tb-credential.h's, which a SIP
 * line's password goes through too. The webhook's secret, the speech service's key and the
 * audit key are kinds.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "tb-store.h"

G_BEGIN_DECLS

typedef struct {
  const char         *what;             /* in messages: "the webhook secret" */
  const char         *setting_env;      /* "webhook-secret-env" */
  const char         *setting_file;     /* "webhook-secret-file" */
  const char         *setting_keyring;  /* "webhook-secret-keyring" */
  const char         *url_setting;      /* the keyring entry is per this setting's value */
  const char         *default_env;      /* (nullable) used when nothing is configured */
  const char         *label;            /* the keyring item's label */
  const char         *keyring_kind;     /* "webhook", "speech", "audit" (tb-credential.h) */
  const SecretSchema *legacy_schema;    /* (nullable) where an older Telebot kept it, by "url" */
} TbSecretKind;

/* Finds the credential the settings point to. TRUE with *@secret NULL when none is
 * configured; FALSE with @error when one is configured but cannot be read (a missing
 * variable, a file others can read, a locked keyring). */
gboolean tb_secret_lookup        (TbStore             *store,
                                  const TbSecretKind  *kind,
                                  char               **secret,
                                  GCancellable        *cancellable,
                                  GError             **error);
/* The same without blocking on the keyring (the settings are read at once). */
void     tb_secret_lookup_async  (TbStore             *store,
                                  const TbSecretKind  *kind,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean tb_secret_lookup_finish (GAsyncResult        *result,
                                  char               **secret,
                                  GError             **error);
/* Where the credential comes from, never what it is: "env:VAR", "file:PATH", "keyring",
 * "env:<default variable>" (when nothing is configured and it is set) or "none". */
char    *tb_secret_describe      (TbStore             *store,
                                  const TbSecretKind  *kind);
/* Points the settings at a variable's name or a file's path (the others are cleared). */
gboolean tb_secret_use_env       (TbStore             *store,
                                  const TbSecretKind  *kind,
                                  const char          *variable,
                                  GError             **error);
gboolean tb_secret_use_file      (TbStore             *store,
                                  const TbSecretKind  *kind,
                                  const char          *path,
                                  GError             **error);
/* Keeps @secret in the keyring for @url and points the settings there. */
gboolean tb_secret_store         (TbStore             *store,
                                  const TbSecretKind  *kind,
                                  const char          *url,
                                  const char          *secret,
                                  GCancellable        *cancellable,
                                  GError             **error);
void     tb_secret_store_async   (TbStore             *store,
                                  const TbSecretKind  *kind,
                                  const char          *url,
                                  const char          *secret,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean tb_secret_store_finish  (TbStore             *store,
                                  GAsyncResult        *result,
                                  GError             **error);

G_END_DECLS
