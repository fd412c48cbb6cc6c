/* tb-sipp.c — sipp as a real SIP peer for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "tb-line-test-util.h"
#include "tb-sipp.h"

struct _TbSipp
{
  GSubprocess *process;
  char        *dir;
  guint16      port;
  gboolean     exited;
  int          status;
};

char *
tb_sipp_scenario_path (const char *name)
{
  const char *src = g_getenv ("TELEBOT_SOURCE_DIR");

  g_assert_nonnull (src);
  return g_build_filename (src, "tests", "data", "sipp", name, NULL);
}

/* A 10 s 440 Hz tone as 8 kHz µ-law WAV, what sipp's rtp_stream plays. */
static char *
make_tone (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "tone-ulaw.wav", NULL);
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "sox", "-n", "-r", "8000", "-c", "1", "-e", "u-law", NULL,
                         "synth", "10", "sine", "440", "vol", "0.5", NULL };

  argv[8] = path;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&path);
}

static TbSipp *
start (GPtrArray *args,
       guint16    port)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GError) error = NULL;
  TbSipp *sipp = g_new0 (TbSipp, 1);
  g_autofree char *stderr_path = NULL;

  g_autofree char *tone = NULL;
  g_autofree char *text = NULL;
  g_autofree char *scenario = NULL;
  g_auto(GStrv) parts = NULL;

  sipp->dir = g_dir_make_tmp ("telebot-sipp-XXXXXX", &error);
  g_assert_no_error (error);
  sipp->port = port;
  /* sipp takes audio files by absolute path: the scenario's @WAV@ becomes one. */
  tone = make_tone (sipp->dir);
  g_assert_true (g_file_get_contents (g_ptr_array_index (args, 2), &text, NULL, &error));
  parts = g_strsplit (text, "@WAV@", -1);
  g_free (text);
  text = g_strjoinv (tone, parts);
  scenario = g_build_filename (sipp->dir, "scenario.xml", NULL);
  g_assert_true (g_file_set_contents (scenario, text, -1, &error));
  g_free (g_ptr_array_index (args, 2));
  g_ptr_array_index (args, 2) = g_strdup (scenario);
  g_ptr_array_add (args, NULL);
  stderr_path = g_build_filename (sipp->dir, "stderr.log", NULL);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  g_subprocess_launcher_set_cwd (launcher, sipp->dir);
  sipp->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata,
                                                &error);
  g_assert_no_error (error);
  /* sipp binds at once; give it a moment to read its scenario. */
  g_usleep (300 * 1000);
  return sipp;
}

static GPtrArray *
base_args (const char *scenario,
           guint16     port,
           guint16     media_port)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (args, g_strdup ("sipp"));
  g_ptr_array_add (args, g_strdup ("-sf"));
  g_ptr_array_add (args, tb_sipp_scenario_path (scenario));
  g_ptr_array_add (args, g_strdup ("-i"));
  g_ptr_array_add (args, g_strdup ("127.0.0.1"));
  g_ptr_array_add (args, g_strdup ("-p"));
  g_ptr_array_add (args, g_strdup_printf ("%u", port));
  g_ptr_array_add (args, g_strdup ("-mi"));
  g_ptr_array_add (args, g_strdup ("127.0.0.1"));
  g_ptr_array_add (args, g_strdup ("-mp"));
  g_ptr_array_add (args, g_strdup_printf ("%u", media_port));
  g_ptr_array_add (args, g_strdup ("-nostdin"));
  g_ptr_array_add (args, g_strdup ("-trace_err"));
  g_ptr_array_add (args, g_strdup ("-timeout"));
  g_ptr_array_add (args, g_strdup ("60s"));
  g_ptr_array_add (args, g_strdup ("-timeout_error"));
  return args;
}

TbSipp *
tb_sipp_start_uas_n (const char         *scenario,
                     guint               calls,
                     const char *const  *extra_args)
{
  guint16 port = tb_test_free_port (FALSE);
  guint16 media_port = tb_test_free_port (TRUE);
  g_autoptr(GPtrArray) args = base_args (scenario, port, media_port);

  g_ptr_array_add (args, g_strdup ("-m"));
  g_ptr_array_add (args, g_strdup_printf ("%u", calls ? calls : 1));
  for (guint i = 0; extra_args && extra_args[i]; i++)
    g_ptr_array_add (args, g_strdup (extra_args[i]));
  return start (args, port);
}

TbSipp *
tb_sipp_start_uas (const char         *scenario,
                   const char *const  *extra_args)
{
  return tb_sipp_start_uas_n (scenario, 1, extra_args);
}

TbSipp *
tb_sipp_start_uac (const char         *scenario,
                   const char         *target,
                   guint               calls,
                   guint               rate,
                   const char *const  *extra_args)
{
  guint16 port = tb_test_free_port (FALSE);
  guint16 media_port = tb_test_free_port (TRUE);
  g_autoptr(GPtrArray) args = base_args (scenario, port, media_port);

  g_ptr_array_add (args, g_strdup ("-m"));
  g_ptr_array_add (args, g_strdup_printf ("%u", calls));
  g_ptr_array_add (args, g_strdup ("-r"));
  g_ptr_array_add (args, g_strdup_printf ("%u", rate));
  for (guint i = 0; extra_args && extra_args[i]; i++)
    g_ptr_array_add (args, g_strdup (extra_args[i]));
  g_ptr_array_add (args, g_strdup (target));
  return start (args, port);
}

guint16
tb_sipp_get_port (TbSipp *sipp)
{
  return sipp->port;
}

char *
tb_sipp_dup_uri (TbSipp     *sipp,
                 const char *user)
{
  return g_strdup_printf ("sip:%s@127.0.0.1:%u", user, sipp->port);
}

int
tb_sipp_wait (TbSipp *sipp,
              guint   timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (sipp->exited)
    return sipp->status;
  /* Poll, iterating our own main loop: the SIP stack must keep answering sipp meanwhile.
   * GSubprocess drops the identifier once the child is reaped. */
  while (g_subprocess_get_identifier (sipp->process) != NULL &&
         g_get_monotonic_time () < deadline) {
    g_main_context_iteration (NULL, FALSE);
    g_usleep (5000);
  }
  if (g_subprocess_get_identifier (sipp->process) != NULL) {
    g_subprocess_send_signal (sipp->process, SIGKILL);
    g_subprocess_wait (sipp->process, NULL, NULL);
    sipp->exited = TRUE;
    sipp->status = -1;
    return -1;
  }
  g_subprocess_wait (sipp->process, NULL, NULL);
  sipp->exited = TRUE;
  sipp->status = g_subprocess_get_if_exited (sipp->process)
                   ? g_subprocess_get_exit_status (sipp->process) : -1;
  return sipp->status;
}

char *
tb_sipp_dup_log (TbSipp *sipp)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GDir) dir = g_dir_open (sipp->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (sipp->dir, name, NULL);
    g_autofree char *text = NULL;

    if (!g_str_has_suffix (name, ".log"))
      continue;
    if (g_file_get_contents (path, &text, NULL, NULL))
      g_string_append_printf (out, "== %s\n%s\n", name, text);
  }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
tb_sipp_assert_success (TbSipp *sipp,
                        guint   timeout_ms)
{
  int status = tb_sipp_wait (sipp, timeout_ms);

  if (status != 0) {
    g_autofree char *log = tb_sipp_dup_log (sipp);

    g_printerr ("# sipp exited %d\n%s", status, log);
  }
  g_assert_cmpint (status, ==, 0);
}

void
tb_sipp_free (TbSipp *sipp)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (sipp == NULL)
    return;
  if (!sipp->exited && g_subprocess_get_identifier (sipp->process) != NULL) {
    g_subprocess_send_signal (sipp->process, SIGKILL);
    g_subprocess_wait (sipp->process, NULL, NULL);
  }
  g_object_unref (sipp->process);
  dir = g_dir_open (sipp->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (sipp->dir, name, NULL);
    g_unlink (path);
  }
  g_rmdir (sipp->dir);
  g_free (sipp->dir);
  g_free (sipp);
}
