/* main.c — the Telebot window application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "telebot"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tb-application.h"
#include "tb-paths.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(TbApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, tb_paths_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tb_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
