/* tb-secret.c — where a credential comes from: a variable, a 0600 file, or the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-secret"

#include "config.h"

#include "tb-credential.h"
#include "tb-http.h"
#include "tb-secret.h"

/* Where the settings say @kind's credential is. The strings are @store's settings, owned by
 * @owned (free it after use). */
static TbCredentialPlace
place_from_settings (TbStore             *store,
                     const TbSecretKind  *kind,
                     GPtrArray           *owned)
{
  char *env = tb_store_dup_setting (store, kind->setting_env, "");
  char *file = tb_store_dup_setting (store, kind->setting_file, "");
  char *keyring = tb_store_dup_setting (store, kind->setting_keyring, "");
  char *url = tb_store_dup_setting (store, kind->url_setting, "");
  /* A relative file name is in the data folder, like every file the store names. */
  char *path = file[0] != '\0' ? tb_store_resolve_path (store, file) : NULL;
  char *what = url[0] != '\0' ? g_strdup_printf ("%s for %s", kind->what, url)
                              : g_strdup (kind->what);
  TbCredentialPlace place = { what, env, kind->setting_env, path, NULL, NULL,
                              kind->legacy_schema, "url" };

  g_ptr_array_add (owned, env);
  g_ptr_array_add (owned, file);
  g_ptr_array_add (owned, keyring);
  g_ptr_array_add (owned, url);
  g_ptr_array_add (owned, path);
  g_ptr_array_add (owned, what);
  if (g_str_equal (keyring, "true")) {
    place.keyring_kind = kind->keyring_kind;
    place.keyring_id = url;
  }
  /* Nothing configured: the kind's default variable, when it is set. */
  if (env[0] == '\0' && path == NULL && place.keyring_kind == NULL &&
      kind->default_env != NULL && g_getenv (kind->default_env) != NULL)
    place.env = kind->default_env;
  return place;
}

gboolean
tb_secret_lookup (TbStore             *store,
                  const TbSecretKind  *kind,
                  char               **secret,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  TbCredentialPlace place;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  place = place_from_settings (store, kind, owned);
  return tb_credential_lookup (&place, secret, cancellable, error);
}

void
tb_secret_lookup_async (TbStore             *store,
                        const TbSecretKind  *kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  TbCredentialPlace place;

  g_return_if_fail (TB_IS_STORE (store));

  place = place_from_settings (store, kind, owned);
  tb_credential_lookup_async (&place, cancellable, callback, user_data);
}

gboolean
tb_secret_lookup_finish (GAsyncResult  *result,
                         char         **secret,
                         GError       **error)
{
  return tb_credential_lookup_finish (result, secret, error);
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

  if (!tb_credential_store_finish (result, &error)) {
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
  tb_credential_store_async (kind->keyring_kind, url, kind->label, secret, cancellable,
                             store_keyring_cb, task);
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

  if (!tb_credential_store (kind->keyring_kind, url, kind->label, secret, cancellable, error)) {
    g_prefix_error (error, "%s for %s: keyring: ", kind->what, url);
    return FALSE;
  }
  return point_to_keyring (store, kind, error);
}
