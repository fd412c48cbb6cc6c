/* tb-paths.c — where Telebot keeps and finds its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-paths"

#include "config.h"

#include "tb-limits.h"
#include "tb-paths.h"
#include "tb-understanding.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* An uninstalled development build (./dev) reads data/ from the source tree;
 * an installed one from $datadir/telebot. */
const char *
tb_paths_get_data_dir (void)
{
  if (DEVELOPMENT_BUILD || !g_file_test (PKGDATADIR, G_FILE_TEST_IS_DIR))
    return SOURCE_DATADIR;
  return PKGDATADIR;
}

/* The translations: a development build's own (the build tree's), so what a developer sees
 * under LANGUAGE=zh_CN is what they just translated; an installed one's from $localedir. */
const char *
tb_paths_get_locale_dir (void)
{
  if (DEVELOPMENT_BUILD || !g_file_test (LOCALEDIR, G_FILE_TEST_IS_DIR))
    return BUILD_LOCALEDIR;
  return LOCALEDIR;
}

char *
tb_paths_build_data (const char *first_element,
                     ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (parts, (gpointer) tb_paths_get_data_dir ());
  va_start (args, first_element);
  for (const char *e = first_element; e != NULL; e = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) e);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

char *
tb_paths_dup_default_db (void)
{
  return g_build_filename (g_get_user_data_dir (), "telebot", "telebot.db", NULL);
}

char *
tb_paths_dup_user_lexicon_dir (void)
{
  const char *dir = g_getenv ("TELEBOT_UNDERSTANDING_DIR");

  if (dir != NULL && *dir != '\0')
    return g_strdup (dir);
  return g_build_filename (g_get_user_config_dir (), "telebot", "understanding", NULL);
}

guint
tb_paths_load_user_lexicons (GString *errors)
{
  static gsize loaded;
  static guint count;
  static GString *problems;

  if (g_once_init_enter (&loaded)) {
    g_autofree char *dir = tb_paths_dup_user_lexicon_dir ();
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const char *name;

    problems = g_string_new (NULL);
    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      if (g_str_has_suffix (name, ".json"))
        g_ptr_array_add (names, g_strdup (name));
    /* In name order, so a business can layer its files. */
    g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
    for (guint i = 0; i < names->len; i++) {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *data = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;

      if (tb_limits_read_file (path, TB_LIMITS_LEXICON_BYTES, &data, &len, &error) &&
          tb_understanding_check_data (data, len, path, &error) &&
          tb_understanding_add_data (tb_understanding_get_default (), data, len, path, &error))
        count++;
      else
        g_string_append_printf (problems, "%s\n", error->message);
    }
    g_once_init_leave (&loaded, 1);
  }
  if (errors != NULL)
    g_string_append (errors, problems->str);
  return count;
}

gboolean
tb_paths_make_private_dir (const char  *path,
                           GError     **error)
{
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_mkdir_with_parents (path, 0700) != 0 || g_stat (path, &st) != 0 ||
      ((st.st_mode & 077) != 0 && g_chmod (path, 0700) != 0)) {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path,
                 g_strerror (saved));
    return FALSE;
  }
  return TRUE;
}

FILE *
tb_paths_fopen_private (const char  *path,
                        GError     **error)
{
  int fd;
  FILE *f;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  /* A file that was there keeps its mode through O_TRUNC: take the others' rights off. */
  if (fd < 0 || fchmod (fd, 0600) != 0 || (f = fdopen (fd, "wb")) == NULL) {
    int saved = errno;

    if (fd >= 0)
      close (fd);
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path,
                 g_strerror (saved));
    return NULL;
  }
  return f;
}
