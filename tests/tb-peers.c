/* tb-peers.c — baresip and kamailio as real peers for the SIP tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "tb-line-test-util.h"
#include "tb-peers.h"
#include "tb-sipp.h"

static void
run_or_fail (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH |
                               G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status,
                               &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

void
tb_peer_make_speech_wav (const char *text,
                         const char *path)
{
  g_autofree char *raw = g_strconcat (path, ".raw.wav", NULL);
  const char *espeak[] = { "espeak-ng", "-w", raw, text, NULL };
  const char *sox[] = { "sox", raw, "-r", "8000", "-c", "1", "-b", "16", path, NULL };

  run_or_fail (espeak);
  run_or_fail (sox);
  g_unlink (raw);
}

static TbPeer *
spawn (TbPeer             *peer,
       const char *const  *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;

  peer->log_path = g_build_filename (peer->dir, "peer.log", NULL);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (launcher, peer->log_path);
  g_subprocess_launcher_set_cwd (launcher, peer->dir);
  peer->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return peer;
}

TbPeer *
tb_peer_start_baresip (const char *wav,
                       const char *registrar)
{
  TbPeer *peer = g_new0 (TbPeer, 1);
  g_autofree char *config = NULL;
  g_autofree char *accounts = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *accounts_path = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "baresip", "-f", NULL, NULL };

  peer->dir = g_dir_make_tmp ("telebot-baresip-XXXXXX", &error);
  g_assert_no_error (error);
  peer->port = tb_test_free_port (FALSE);
  config = g_strdup_printf ("sip_listen\t\t127.0.0.1:%u\n"
                            "audio_player\t\taubridge,x\n"
                            "audio_source\t\taufile,%s\n"
                            "audio_alert\t\taubridge,x\n"
                            "module_path\t\t/usr/lib/baresip/modules\n"
                            "module\t\t\tg711.so\n"
                            "module\t\t\taufile.so\n"
                            "module\t\t\taubridge.so\n"
                            "module\t\t\tsndfile.so\n"
                            "module_app\t\taccount.so\n"
                            "module_app\t\tmenu.so\n"
                            "snd_path\t\t%s\n",
                            peer->port, wav, peer->dir);
  if (registrar != NULL)
    accounts = g_strdup_printf ("<sip:bob@%s>;auth_pass=bobsecret;regint=60;answermode=auto\n",
                                registrar);
  else
    accounts = g_strdup_printf ("<sip:bob@127.0.0.1:%u>;regint=0;answermode=auto\n", peer->port);
  config_path = g_build_filename (peer->dir, "config", NULL);
  accounts_path = g_build_filename (peer->dir, "accounts", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  g_assert_true (g_file_set_contents (accounts_path, accounts, -1, NULL));
  argv[2] = peer->dir;
  spawn (peer, argv);
  g_assert_true (tb_peer_wait_log (peer, "baresip is ready", 10000));
  return peer;
}

TbPeer *
tb_peer_start_kamailio (void)
{
  TbPeer *peer = g_new0 (TbPeer, 1);
  const char *src = g_getenv ("TELEBOT_SOURCE_DIR");
  g_autofree char *data = g_build_filename (src, "tests", "data", "kamailio", NULL);
  g_autofree char *template = NULL;
  g_autofree char *cfg = NULL;
  g_autofree char *cfg_path = NULL;
  g_autofree char *port = NULL;
  g_autoptr(GError) error = NULL;
  const char *tables[] = { "subscriber", "version" };
  const char *argv[] = { "kamailio", "-DD", "-E", "-f", NULL, "-Y", NULL, "-P", NULL, NULL };
  g_autofree char *pid_path = NULL;
  g_auto(GStrv) parts = NULL;

  peer->dir = g_dir_make_tmp ("telebot-kamailio-XXXXXX", &error);
  g_assert_no_error (error);
  peer->port = tb_test_free_port (FALSE);
  port = g_strdup_printf ("%u", peer->port);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++) {
    g_autofree char *from = g_build_filename (data, tables[i], NULL);
    g_autofree char *to = g_build_filename (peer->dir, tables[i], NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (from, &text, NULL, NULL));
    g_assert_true (g_file_set_contents (to, text, -1, NULL));
  }
  {
    g_autofree char *path = g_build_filename (data, "kamailio.cfg", NULL);

    g_assert_true (g_file_get_contents (path, &template, NULL, NULL));
  }
  parts = g_strsplit (template, "@PORT@", -1);
  cfg = g_strjoinv (port, parts);
  g_strfreev (parts);
  parts = g_strsplit (cfg, "@DBDIR@", -1);
  g_free (cfg);
  cfg = g_strjoinv (peer->dir, parts);
  cfg_path = g_build_filename (peer->dir, "kamailio.cfg", NULL);
  g_assert_true (g_file_set_contents (cfg_path, cfg, -1, NULL));
  pid_path = g_build_filename (peer->dir, "kamailio.pid", NULL);
  argv[4] = cfg_path;
  argv[6] = peer->dir;
  argv[8] = pid_path;
  spawn (peer, argv);
  g_assert_true (tb_peer_wait_log (peer, "INFO: <core>", 10000));
  /* Its listeners are up once the children report in; a short grace period covers it. */
  g_usleep (500 * 1000);
  return peer;
}

char *
tb_peer_dup_log (TbPeer *peer)
{
  char *text = NULL;

  if (!g_file_get_contents (peer->log_path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

gboolean
tb_peer_wait_log (TbPeer     *peer,
                  const char *text,
                  guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline) {
    g_autofree char *log = tb_peer_dup_log (peer);

    if (strstr (log, text) != NULL)
      return TRUE;
    for (int i = 0; i < 10; i++)
      g_main_context_iteration (NULL, FALSE);
    g_usleep (20 * 1000);
  }
  return FALSE;
}

char *
tb_peer_find_wav (TbPeer     *peer,
                  const char *part)
{
  g_autoptr(GDir) dir = g_dir_open (peer->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    if (strstr (name, part) && g_str_has_suffix (name, ".wav"))
      return g_build_filename (peer->dir, name, NULL);
  return NULL;
}

void
tb_peer_free (TbPeer *peer)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (peer == NULL)
    return;
  if (g_subprocess_get_identifier (peer->process) != NULL) {
    g_subprocess_send_signal (peer->process, SIGTERM);
    g_subprocess_wait (peer->process, NULL, NULL);
  }
  g_object_unref (peer->process);
  if (g_getenv ("TELEBOT_KEEP_PEERS") == NULL) {
    dir = g_dir_open (peer->dir, 0, NULL);
    while (dir && (name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *path = g_build_filename (peer->dir, name, NULL);
      g_unlink (path);
    }
    g_rmdir (peer->dir);
  }
  g_free (peer->dir);
  g_free (peer->log_path);
  g_free (peer);
}

gboolean
tb_wav_stats (const char *path,
              double     *rms,
              double     *seconds)
{
  const char *argv[] = { "sox", path, "-n", "stat", NULL };
  g_autofree char *err = NULL;
  int status = 0;
  const char *p;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return FALSE;
  /* sox stat prints on stderr: "Length (seconds):   4.61" and "RMS     amplitude:   0.07". */
  if ((p = strstr (err, "Length (seconds):")) == NULL)
    return FALSE;
  *seconds = g_ascii_strtod (p + strlen ("Length (seconds):"), NULL);
  if ((p = strstr (err, "RMS     amplitude:")) == NULL)
    return FALSE;
  *rms = g_ascii_strtod (p + strlen ("RMS     amplitude:"), NULL);
  return TRUE;
}
