/* tb-modem-test-util.c — the pty modem simulator (tb-modem-sim) driven from GTest programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "tb-modem-test-util.h"

void
spin_ms (int ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}


void
sim_start (Sim        *sim,
           const char *vendor,
           const char *play,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *build = g_getenv ("TELEBOT_BUILD_DIR");
  const char *arg;
  va_list args;

  g_assert_nonnull (build);
  memset (sim, 0, sizeof *sim);
  sim->dir = g_dir_make_tmp ("telebot-modem-XXXXXX", NULL);
  sim->at = g_build_filename (sim->dir, "ttyUSB-at", NULL);
  sim->pcm = g_build_filename (sim->dir, "ttyUSB-pcm", NULL);
  sim->events = g_build_filename (sim->dir, "events", NULL);
  sim->record = g_build_filename (sim->dir, "heard.wav", NULL);

  g_ptr_array_add (argv, g_build_filename (build, "tests", "tb-modem-sim", NULL));
  g_ptr_array_add (argv, g_strdup_printf ("--vendor=%s", vendor));
  g_ptr_array_add (argv, g_strdup_printf ("--at-link=%s", sim->at));
  g_ptr_array_add (argv, g_strdup_printf ("--audio-link=%s", sim->pcm));
  g_ptr_array_add (argv, g_strdup_printf ("--events=%s", sim->events));
  g_ptr_array_add (argv, g_strdup_printf ("--record=%s", sim->record));
  if (play != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--play=%s", play));
  va_start (args, play);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  sim->proc = g_subprocess_newv ((const char * const *) argv->pdata,
                                 G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                 &error);
  g_assert_no_error (error);
  sim->control = g_subprocess_get_stdin_pipe (sim->proc);
  WAIT_FOR (g_file_test (sim->at, G_FILE_TEST_EXISTS) &&
            g_file_test (sim->pcm, G_FILE_TEST_EXISTS), 5000);
}

void
sim_control (Sim        *sim,
             const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *l = g_strdup_printf ("%s\n", line);

  g_output_stream_write_all (sim->control, l, strlen (l), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (sim->control, NULL, &error);
  g_assert_no_error (error);
}

gboolean
sim_has_event (Sim        *sim,
               const char *event)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (sim->events, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  return g_strv_contains ((const char * const *) lines, event);
}

void
sim_stop (Sim *sim)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_subprocess_send_signal (sim->proc, SIGTERM);
  g_subprocess_wait (sim->proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (sim->proc));
  g_clear_object (&sim->proc);
  dir = g_dir_open (sim->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *p = g_build_filename (sim->dir, name, NULL);
    g_unlink (p);
  }
  g_rmdir (sim->dir);
  g_free (sim->dir);
  g_free (sim->at);
  g_free (sim->pcm);
  g_free (sim->events);
  g_free (sim->record);
}


void
make_wav (const char *text,
          const char *path)
{
  g_autofree char *raw = g_strdup_printf ("%s.22k.wav", path);
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *espeak[] = { "espeak-ng", "-v", "en-us", "-w", raw, text, NULL };
  const char *sox[] = { "sox", raw, "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer",
                        path, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) espeak, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_spawn_sync (NULL, (char **) sox, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_unlink (raw);
}

