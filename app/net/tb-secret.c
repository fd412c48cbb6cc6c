/* tb-secret.c — where a credential comes from: a variable, a 0600 file, or the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-secret"

#include "config.h"

#include "tb-http.h"
#include "tb-secret.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

static char *
strip_newline (char *text)
{
  gsize len = strlen (text);

  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    text[--len] = '\0';
  return text;
}

static gboolean
read_secret_file (TbStore             *store,
                  const TbSecretKind  *kind,
                  const char          *name,
                  char               **secret,
                  GError             **error)
{
  /* A relative name is in the data folder, like every file the store names. */
  g_autofree char *path = tb_store_resolve_path (store, name);
  g_autofree char *contents = NULL;
  struct stat st;

  if (g_stat (path, &st) != 0) {
    int saved = errno;
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 "%s (%s): %s", path, kind->setting_file, g_strerror (saved));
    return FALSE;
  }
  if ((st.st_mode & 077) != 0) {
    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                 "%s (%s): others may read it; run “chmod 600 %s”", path,
                 kind->setting_file, path);
    return FALSE;
  }
  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  *secret = g_strdup (strip_newline (contents));
  memset (contents, 0, strlen (contents));
  return TRUE;
}

gboolean
tb_secret_lookup (TbStore             *store,
                  const TbSecretKind  *kind,
                  char               **secret,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autofree char *env = NULL;
  g_autofree char *file = NULL;
  g_autofree char *keyring = NULL;
  const char *value;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  *secret = NULL;
  env = tb_store_dup_setting (store, kind->setting_env, "");
  file = tb_store_dup_setting (store, kind->setting_file, "");
  keyring = tb_store_dup_setting (store, kind->setting_keyring, "");

  if (env[0] != '\0') {
    value = g_getenv (env);
    if (value == NULL || value[0] == '\0') {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                   "%s: the variable %s (%s) is not set", kind->what, env,
                   kind->setting_env);
      return FALSE;
    }
    *secret = g_strdup (value);
    return TRUE;
  }
  if (file[0] != '\0')
    return read_secret_file (store, kind, file, secret, error);
  if (g_str_equal (keyring, "true")) {
    g_autofree char *url = tb_store_dup_setting (store, kind->url_setting, "");
    g_autoptr(GError) local_error = NULL;
    char *found = secret_password_lookup_sync (kind->schema, cancellable, &local_error,
                                               "url", url, NULL);

    if (local_error != NULL) {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                   "%s for %s: keyring: %s", kind->what, url, local_error->message);
      return FALSE;
    }
    if (found == NULL) {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                   "%s for %s is not in the keyring", kind->what, url);
      return FALSE;
    }
    *secret = g_strdup (found);
    secret_password_free (found);
    return TRUE;
  }
  value = kind->default_env != NULL ? g_getenv (kind->default_env) : NULL;
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
  const TbSecretKind *kind = g_object_get_data (G_OBJECT (task), "kind");
  const char *url = g_task_get_task_data (task);

  if (error != NULL)
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                             "%s for %s: keyring: %s", kind->what, url, error->message);
  else if (found == NULL)
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                             "%s for %s is not in the keyring", kind->what, url);
  else {
    g_task_return_pointer (task, g_strdup (found), g_free);
    secret_password_free (found);
  }
}

void
tb_secret_lookup_async (TbStore             *store,
                        const TbSecretKind  *kind,
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
  g_task_set_source_tag (task, tb_secret_lookup_async);
  g_object_set_data (G_OBJECT (task), "kind", (gpointer) kind);
  keyring = tb_store_dup_setting (store, kind->setting_keyring, "");
  env = tb_store_dup_setting (store, kind->setting_env, "");
  file = tb_store_dup_setting (store, kind->setting_file, "");

  if (g_str_equal (keyring, "true") && env[0] == '\0' && file[0] == '\0') {
    char *url = tb_store_dup_setting (store, kind->url_setting, "");

    g_task_set_task_data (task, url, g_free);
    secret_password_lookup (kind->schema, cancellable, lookup_keyring_cb,
                            g_steal_pointer (&task), "url", url, NULL);
    return;
  }
  /* Variables and files are quick: answer now (still through the main loop). */
  if (!tb_secret_lookup (store, kind, &secret, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, secret, g_free);
}

gboolean
tb_secret_lookup_finish (GAsyncResult  *result,
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

static gboolean
point_to (TbStore             *store,
          const TbSecretKind  *kind,
          const char          *env,
          const char          *file,
          const char          *keyring,
          GError             **error)
{
  return tb_store_set_setting (store, kind->setting_env, env, error) &&
         tb_store_set_setting (store, kind->setting_file, file, error) &&
         tb_store_set_setting (store, kind->setting_keyring, keyring, error);
}

static gboolean
point_to_keyring (TbStore             *store,
                  const TbSecretKind  *kind,
                  GError             **error)
{
  return point_to (store, kind, "", "", "true", error);
}

gboolean
tb_secret_use_env (TbStore             *store,
                   const TbSecretKind  *kind,
                   const char          *variable,
                   GError             **error)
{
  return point_to (store, kind, variable, "", "", error);
}

gboolean
tb_secret_use_file (TbStore             *store,
                    const TbSecretKind  *kind,
                    const char          *path,
                    GError             **error)
{
  return point_to (store, kind, "", path, "", error);
}

char *
tb_secret_describe (TbStore            *store,
                    const TbSecretKind *kind)
{
  g_autofree char *env = tb_store_dup_setting (store, kind->setting_env, "");
  g_autofree char *file = tb_store_dup_setting (store, kind->setting_file, "");
  g_autofree char *keyring = tb_store_dup_setting (store, kind->setting_keyring, "");

  if (env[0] != '\0')
    return g_strconcat ("env:", env, NULL);
  if (file[0] != '\0')
    return g_strconcat ("file:", file, NULL);
  if (g_str_equal (keyring, "true"))
    return g_strdup ("keyring");
  if (kind->default_env != NULL && g_getenv (kind->default_env) != NULL)
    return g_strconcat ("env:", kind->default_env, NULL);
  return g_strdup ("none");
}

static void
store_keyring_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  TbStore *store = g_task_get_source_object (task);
  const TbSecretKind *kind = g_object_get_data (G_OBJECT (task), "kind");
  const char *url = g_task_get_task_data (task);

  if (!secret_password_store_finish (result, &error)) {
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                             "%s for %s: keyring: %s", kind->what, url, error->message);
    return;
  }
  if (!point_to_keyring (store, kind, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  g_task_return_boolean (task, TRUE);
}

void
tb_secret_store_async (TbStore             *store,
                       const TbSecretKind  *kind,
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
  g_task_set_source_tag (task, tb_secret_store_async);
  g_task_set_task_data (task, g_strdup (url), g_free);
  g_object_set_data (G_OBJECT (task), "kind", (gpointer) kind);
  secret_password_store (kind->schema, SECRET_COLLECTION_DEFAULT, kind->label, secret,
                         cancellable, store_keyring_cb, task, "url", url, NULL);
}

gboolean
tb_secret_store_finish (TbStore       *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
tb_secret_store (TbStore             *store,
                 const TbSecretKind  *kind,
                 const char          *url,
                 const char          *secret,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (url != NULL && secret != NULL, FALSE);

  if (!secret_password_store_sync (kind->schema, SECRET_COLLECTION_DEFAULT, kind->label, secret,
                                   cancellable, error, "url", url, NULL)) {
    g_prefix_error (error, "%s for %s: keyring: ", kind->what, url);
    return FALSE;
  }
  return point_to_keyring (store, kind, error);
}
