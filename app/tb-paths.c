/* tb-paths.c — where Telebot keeps and finds its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-paths"

#include "config.h"

#include "tb-paths.h"

/* An uninstalled development build (./dev) reads data/ from the source tree;
 * an installed one from $datadir/telebot. */
const char *
tb_paths_get_data_dir (void)
{
  if (DEVELOPMENT_BUILD || !g_file_test (PKGDATADIR, G_FILE_TEST_IS_DIR))
    return SOURCE_DATADIR;
  return PKGDATADIR;
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
