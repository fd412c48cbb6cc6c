/* tb-webhook-secret.c — where the webhook's shared secret comes from, and signing with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-webhook-secret"

#include "config.h"

#include "tb-crm-event.h"
#include "tb-http.h"
#include "tb-webhook-secret.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <sys/stat.h>

static const SecretSchema *
webhook_schema (void)
{
  static const SecretSchema schema = {
    "com.example.Telebot.Webhook", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static char *
strip_newline (char *text)
{
  gsize len = strlen (text);

  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    text[--len] = '\0';
  return text;
}

static gboolean
read_secret_file (const char  *path,
                  char       **secret,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  struct stat st;

  if (g_stat (path, &st) != 0) {
    int saved = errno;
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 "%s (" TB_WEBHOOK_SETTING_SECRET_FILE "): %s", path, g_strerror (saved));
    return FALSE;
  }
  if ((st.st_mode & 077) != 0) {
    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                 "%s (" TB_WEBHOOK_SETTING_SECRET_FILE "): others may read it; "
                 "run “chmod 600 %s”", path, path);
    return FALSE;
  }
  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  *secret = g_strdup (strip_newline (contents));
  memset (contents, 0, strlen (contents));
  return TRUE;
}

gboolean
tb_webhook_secret_lookup (TbStore       *store,
                          char         **secret,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *env = NULL;
  g_autofree char *file = NULL;
  g_autofree char *keyring = NULL;
  const char *value;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  *secret = NULL;
  env = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_SECRET_ENV, "");
  file = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_SECRET_FILE, "");
  keyring = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_SECRET_KEYRING, "");

  if (env[0] != '\0') {
    value = g_getenv (env);
    if (value == NULL || value[0] == '\0') {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                   "the webhook secret's variable %s (" TB_WEBHOOK_SETTING_SECRET_ENV
                   ") is not set", env);
      return FALSE;
    }
    *secret = g_strdup (value);
    return TRUE;
  }
  if (file[0] != '\0')
    return read_secret_file (file, secret, error);
  if (g_str_equal (keyring, "true")) {
    g_autofree char *url = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_URL, "");
    g_autoptr(GError) local_error = NULL;
    char *found = secret_password_lookup_sync (webhook_schema (), cancellable, &local_error,
                                               "url", url, NULL);

    if (local_error != NULL) {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                   "the webhook secret for %s: keyring: %s", url, local_error->message);
      return FALSE;
    }
    if (found == NULL) {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                   "the webhook secret for %s is not in the keyring", url);
      return FALSE;
    }
    *secret = g_strdup (found);
    secret_password_free (found);
    return TRUE;
  }
  value = g_getenv (TB_WEBHOOK_SECRET_ENV_DEFAULT);
  if (value != NULL && value[0] != '\0')
    *secret = g_strdup (value);
  return TRUE;
}

static void
lookup_keyring_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *found = secret_password_lookup_finish (result, &error);
  const char *url = g_task_get_task_data (task);

  if (error != NULL)
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                             "the webhook secret for %s: keyring: %s", url, error->message);
  else if (found == NULL)
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                             "the webhook secret for %s is not in the keyring", url);
  else {
    g_task_return_pointer (task, g_strdup (found), g_free);
    secret_password_free (found);
  }
}

void
tb_webhook_secret_lookup_async (TbStore             *store,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *keyring = NULL;
  g_autofree char *env = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;
  char *secret = NULL;

  g_return_if_fail (TB_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_webhook_secret_lookup_async);
  keyring = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_SECRET_KEYRING, "");
  env = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_SECRET_ENV, "");
  file = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_SECRET_FILE, "");

  if (g_str_equal (keyring, "true") && env[0] == '\0' && file[0] == '\0') {
    char *url = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_URL, "");

    g_task_set_task_data (task, url, g_free);
    secret_password_lookup (webhook_schema (), cancellable, lookup_keyring_cb,
                            g_steal_pointer (&task), "url", url, NULL);
    return;
  }
  /* Variables and files are quick: answer now (still through the main loop). */
  if (!tb_webhook_secret_lookup (store, &secret, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, secret, g_free);
}

gboolean
tb_webhook_secret_lookup_finish (GAsyncResult  *result,
                                 char         **secret,
                                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  *secret = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  return TRUE;
}

static void
store_keyring_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  TbStore *store = g_task_get_source_object (task);
  const char *url = g_task_get_task_data (task);

  if (!secret_password_store_finish (result, &error)) {
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                             "the webhook secret for %s: keyring: %s", url, error->message);
    return;
  }
  if (!tb_store_set_setting (store, TB_WEBHOOK_SETTING_SECRET_KEYRING, "true", &error) ||
      !tb_store_set_setting (store, TB_WEBHOOK_SETTING_SECRET_ENV, "", &error) ||
      !tb_store_set_setting (store, TB_WEBHOOK_SETTING_SECRET_FILE, "", &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  g_task_return_boolean (task, TRUE);
}

void
tb_webhook_secret_store_async (TbStore             *store,
                               const char          *url,
                               const char          *secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TB_IS_STORE (store));
  g_return_if_fail (url != NULL && secret != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_webhook_secret_store_async);
  g_task_set_task_data (task, g_strdup (url), g_free);
  secret_password_store (webhook_schema (), SECRET_COLLECTION_DEFAULT, "Telebot webhook secret",
                         secret, cancellable, store_keyring_cb, task, "url", url, NULL);
}

gboolean
tb_webhook_secret_store_finish (TbStore       *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
tb_webhook_secret_store (TbStore       *store,
                         const char    *url,
                         const char    *secret,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (url != NULL && secret != NULL, FALSE);

  if (!secret_password_store_sync (webhook_schema (), SECRET_COLLECTION_DEFAULT,
                                   "Telebot webhook secret", secret, cancellable, error,
                                   "url", url, NULL)) {
    g_prefix_error (error, "the webhook secret for %s: keyring: ", url);
    return FALSE;
  }
  return tb_store_set_setting (store, TB_WEBHOOK_SETTING_SECRET_KEYRING, "true", error) &&
         tb_store_set_setting (store, TB_WEBHOOK_SETTING_SECRET_ENV, "", error) &&
         tb_store_set_setting (store, TB_WEBHOOK_SETTING_SECRET_FILE, "", error);
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
