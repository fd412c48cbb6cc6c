/* tb-audit-key.c — the key that signs the audit log, kept out of the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-audit-key"

#include "config.h"

#include "tb-audit-key.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/random.h>
#include <unistd.h>

#define KEY_BYTES 32
#define CACHE_KEY "tb-audit-key"
#define NEW_FILE_KEY "tb-audit-key-new-file"

/* Where an older Telebot kept it: still read (tb-credential.h). */
static const SecretSchema audit_key_schema = {
  "com.example.Telebot.AuditKey", SECRET_SCHEMA_NONE,
  {
    { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* No default variable: where the key is must be recorded, or a database whose variable is
 * not set would start another chain instead of failing. */
static const TbSecretKind audit_key = {
  "the audit key",
  TB_AUDIT_KEY_SETTING_ENV, TB_AUDIT_KEY_SETTING_FILE, TB_AUDIT_KEY_SETTING_KEYRING,
  TB_AUDIT_KEY_SETTING_ID, NULL, "Telebot audit key", "audit",
  &audit_key_schema,
};

static gint use_keyring;

const TbSecretKind *
tb_audit_key_kind (void)
{
  return &audit_key;
}

void
tb_audit_key_set_use_keyring (gboolean use)
{
  g_atomic_int_set (&use_keyring, use);
}

gboolean
tb_audit_key_is_configured (TbStore *store)
{
  g_autofree char *env = NULL, *file = NULL, *keyring = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);

  env = tb_store_dup_setting (store, TB_AUDIT_KEY_SETTING_ENV, "");
  file = tb_store_dup_setting (store, TB_AUDIT_KEY_SETTING_FILE, "");
  keyring = tb_store_dup_setting (store, TB_AUDIT_KEY_SETTING_KEYRING, "");
  return env[0] != '\0' || file[0] != '\0' || g_str_equal (keyring, "true");
}

static char *
generate_key (GError **error)
{
  guint8 raw[KEY_BYTES];
  gsize got = 0;

  while (got < sizeof raw) {
    gssize n = getrandom (raw + got, sizeof raw - got, 0);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot make an audit key: %s", g_strerror (saved));
      return NULL;
    }
    got += n;
  }
  {
    GString *hex = g_string_sized_new (2 * KEY_BYTES);

    for (gsize i = 0; i < sizeof raw; i++)
      g_string_append_printf (hex, "%02x", raw[i]);
    memset (raw, 0, sizeof raw);
    return g_string_free (hex, FALSE);
  }
}

/* A keyring that runs now: asking the bus to start one could wait on a prompt. */
static gboolean
keyring_running (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL ||
      (bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL)) == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static gboolean
write_key_file (const char  *path,
                const char  *key,
                GError     **error)
{
  g_autofree char *line = g_strconcat (key, "\n", NULL);
  gsize len = strlen (line), done = 0;
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  while (fd >= 0 && done < len) {
    gssize n = write (fd, line + done, len - done);

    if (n < 0 && errno != EINTR)
      break;
    done += MAX (n, 0);
  }
  if (fd < 0 || done < len || fsync (fd) != 0) {
    int saved = errno;

    if (fd >= 0) {
      close (fd);
      g_unlink (path);
    }
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path,
                 g_strerror (saved));
    memset (line, 0, len);
    return FALSE;
  }
  close (fd);
  memset (line, 0, len);
  return TRUE;
}

/* Makes the key and points the settings to it; see tb_audit_key_dup(). */
static char *
create_key (TbStore   *store,
            gboolean  *created,
            GError   **error)
{
  const char *env = g_getenv (TB_AUDIT_KEY_ENV_DEFAULT);
  g_autofree char *path = g_build_filename (tb_store_get_data_dir (store), TB_AUDIT_KEY_FILE,
                                            NULL);
  g_autofree char *fresh = NULL;
  char *key = NULL;

  *created = TRUE;
  if (env != NULL && *env != '\0')
    return tb_secret_use_env (store, &audit_key, TB_AUDIT_KEY_ENV_DEFAULT, error)
           ? g_strdup (env) : NULL;

  /* The settings lost it but the file is there: it stays the key (a new one would start a
   * new chain that hides the old). */
  if (g_file_test (path, G_FILE_TEST_EXISTS)) {
    *created = FALSE;
    if (!tb_secret_use_file (store, &audit_key, TB_AUDIT_KEY_FILE, error) ||
        !tb_secret_lookup (store, &audit_key, &key, NULL, error))
      return NULL;
    return key;
  }

  if ((fresh = generate_key (error)) == NULL)
    return NULL;
  if (g_atomic_int_get (&use_keyring) && keyring_running ()) {
    g_autofree char *id = g_canonicalize_filename (tb_store_get_path (store), NULL);
    g_autoptr(GError) local_error = NULL;

    if (!tb_store_set_setting (store, TB_AUDIT_KEY_SETTING_ID, id, error))
      return NULL;
    if (tb_secret_store (store, &audit_key, id, fresh, NULL, &local_error))
      return g_steal_pointer (&fresh);
    g_message ("%s; keeping the audit key in %s instead", local_error->message, path);
  }
  if (!write_key_file (path, fresh, error))
    return NULL;
  g_object_set_data_full (G_OBJECT (store), NEW_FILE_KEY, g_strdup (path), g_free);
  if (!tb_secret_use_file (store, &audit_key, TB_AUDIT_KEY_FILE, error))
    return NULL;
  return g_steal_pointer (&fresh);
}

GBytes *
tb_audit_key_dup (TbStore   *store,
                  gboolean   create,
                  gboolean  *created,
                  GError   **error)
{
  GBytes *cached;
  char *key = NULL;
  gboolean made = FALSE;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if (created != NULL)
    *created = FALSE;
  if ((cached = g_object_get_data (G_OBJECT (store), CACHE_KEY)) != NULL)
    return g_bytes_ref (cached);

  if (tb_audit_key_is_configured (store)) {
    if (!tb_secret_lookup (store, &audit_key, &key, NULL, error))
      return NULL;
    if (key == NULL || *key == '\0') {
      g_free (key);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: the audit key is empty",
                   tb_store_get_path (store));
      return NULL;
    }
  } else if (!create) {
    return NULL;
  } else if ((key = create_key (store, &made, error)) == NULL) {
    return NULL;
  }

  cached = g_bytes_new_take (key, strlen (key));
  g_object_set_data_full (G_OBJECT (store), CACHE_KEY, g_bytes_ref (cached),
                          (GDestroyNotify) g_bytes_unref);
  if (created != NULL)
    *created = made;
  return cached;
}

void
tb_audit_key_settle (TbStore  *store,
                     gboolean  committed)
{
  const char *path;

  g_return_if_fail (TB_IS_STORE (store));

  if (!committed) {
    if ((path = g_object_get_data (G_OBJECT (store), NEW_FILE_KEY)) != NULL)
      g_unlink (path);
    g_object_set_data (G_OBJECT (store), CACHE_KEY, NULL);
  }
  g_object_set_data (G_OBJECT (store), NEW_FILE_KEY, NULL);
}
