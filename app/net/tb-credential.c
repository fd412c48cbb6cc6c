/* tb-credential.c — every credential found the one way: a variable, then a file, then the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-credential"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tb-credential.h"
#include "tb-http.h"

static const SecretSchema credential_schema = {
  "com.example.Telebot.Credential", SECRET_SCHEMA_NONE,
  {
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static char *
strip_newline (char *text)
{
  gsize len = strlen (text);

  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    text[--len] = '\0';
  return text;
}

static gboolean
read_file (const TbCredentialPlace  *place,
           char                    **secret,
           GError                  **error)
{
  g_autofree char *contents = NULL;
  GStatBuf st;

  if (g_stat (place->file, &st) != 0) {
    int saved = errno;

    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG, "%s: %s: %s", place->what,
                 place->file, g_strerror (saved));
    return FALSE;
  }
  if ((st.st_mode & 077) != 0) {
    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                 "%s: %s: others may read it; run “chmod 600 %s”", place->what, place->file,
                 place->file);
    return FALSE;
  }
  if (!g_file_get_contents (place->file, &contents, NULL, error)) {
    g_prefix_error (error, "%s: ", place->what);
    return FALSE;
  }
  *secret = g_strdup (strip_newline (contents));
  memset (contents, 0, strlen (contents));
  return TRUE;
}

static gboolean
read_keyring (const TbCredentialPlace  *place,
              char                    **secret,
              GCancellable             *cancellable,
              GError                  **error)
{
  g_autoptr(GError) local_error = NULL;
  char *found;

  found = secret_password_lookup_sync (&credential_schema, cancellable, &local_error,
                                       "kind", place->keyring_kind, "id", place->keyring_id,
                                       NULL);
  /* Stored by an older Telebot under its own schema: still the credential. */
  if (found == NULL && local_error == NULL && place->legacy_schema != NULL)
    found = secret_password_lookup_sync (place->legacy_schema, cancellable, &local_error,
                                         place->legacy_attribute, place->keyring_id, NULL);
  if (local_error != NULL) {
    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG, "%s: keyring: %s", place->what,
                 local_error->message);
    return FALSE;
  }
  if (found == NULL) {
    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG, "%s is not in the keyring",
                 place->what);
    return FALSE;
  }
  *secret = g_strdup (found);
  secret_password_free (found);
  return TRUE;
}

gboolean
tb_credential_lookup (const TbCredentialPlace  *place,
                      char                    **secret,
                      GCancellable             *cancellable,
                      GError                  **error)
{
  g_return_val_if_fail (place != NULL && place->what != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  *secret = NULL;
  if (place->env != NULL && place->env[0] != '\0') {
    const char *value = g_getenv (place->env);

    if (value == NULL || value[0] == '\0') {
      if (place->env_setting != NULL)
        g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                     "%s: the variable %s (%s) is not set", place->what, place->env,
                     place->env_setting);
      else
        g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_CONFIG,
                     "%s: the variable %s is not set", place->what, place->env);
      return FALSE;
    }
    *secret = g_strdup (value);
    return TRUE;
  }
  if (place->file != NULL && place->file[0] != '\0')
    return read_file (place, secret, error);
  if (place->keyring_kind != NULL && place->keyring_id != NULL)
    return read_keyring (place, secret, cancellable, error);
  return TRUE;
}

/* ---- in a thread ---------------------------------------------------------------------- */

typedef struct {
  TbCredentialPlace place;   /* its strings are this job's own copies */
  char             *strings[6];
} LookupJob;

static void
lookup_job_free (LookupJob *job)
{
  for (guint i = 0; i < G_N_ELEMENTS (job->strings); i++)
    g_free (job->strings[i]);
  g_free (job);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LookupJob *job = task_data;
  GError *error = NULL;
  char *secret = NULL;

  if (!tb_credential_lookup (&job->place, &secret, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, g_free);
}

void
tb_credential_lookup_async (const TbCredentialPlace  *place,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LookupJob *job = g_new0 (LookupJob, 1);

  g_return_if_fail (place != NULL);

  job->place = *place;
  job->place.what = job->strings[0] = g_strdup (place->what);
  job->place.env = job->strings[1] = g_strdup (place->env);
  job->place.env_setting = job->strings[2] = g_strdup (place->env_setting);
  job->place.file = job->strings[3] = g_strdup (place->file);
  job->place.keyring_kind = job->strings[4] = g_strdup (place->keyring_kind);
  job->place.keyring_id = job->strings[5] = g_strdup (place->keyring_id);
  g_task_set_source_tag (task, tb_credential_lookup_async);
  g_task_set_task_data (task, job, (GDestroyNotify) lookup_job_free);
  g_task_run_in_thread (task, lookup_thread);
}

gboolean
tb_credential_lookup_finish (GAsyncResult  *result,
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

/* ---- storing -------------------------------------------------------------------------- */

gboolean
tb_credential_store (const char    *kind,
                     const char    *id,
                     const char    *label,
                     const char    *secret,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (kind != NULL && id != NULL && label != NULL && secret != NULL, FALSE);

  return secret_password_store_sync (&credential_schema, SECRET_COLLECTION_DEFAULT, label, secret,
                                     cancellable, error, "kind", kind, "id", id, NULL);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tb_credential_store_async (const char          *kind,
                           const char          *id,
                           const char          *label,
                           const char          *secret,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (kind != NULL && id != NULL && label != NULL && secret != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_credential_store_async);
  secret_password_store (&credential_schema, SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, store_cb, task, "kind", kind, "id", id, NULL);
}

gboolean
tb_credential_store_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
