/* bench-sip.c — SIP call setups per second: Telebot's SIP line vs sipp, same UAS, same run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sipp UAS answers at once and waits for BYE. Telebot dials N calls through a TbSipLine
 * (CONCURRENCY at a time), hanging up each as soon as it is answered; every call must end
 * "completed" and sipp must count all N successful. Then sipp itself, as a UAC, does the same
 * against a fresh UAS. Both rates are printed with their ratio.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "tb-sip-line.h"

#define CONCURRENCY 20

typedef struct {
  TbLine    *line;
  GMainLoop *loop;
  char      *uri;
  guint      total;
  guint      dialed;
  guint      ended;
  guint      failed;
} Bench;

static guint16
free_port (void)
{
  g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                       G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_socket_bind (s, any, FALSE, NULL);
  bound = g_socket_get_local_address (s, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static GSubprocess *
spawn_sipp (const char *scenario,
            guint16     port,
            guint       calls,
            const char *target)
{
  g_autofree char *path = g_build_filename (TB_SOURCE_ROOT, "tests", "data", "sipp", scenario,
                                            NULL);
  g_autofree char *p = g_strdup_printf ("%u", port);
  g_autofree char *mp = g_strdup_printf ("%u", free_port ());
  g_autofree char *m = g_strdup_printf ("%u", calls);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "sipp", "-sf", path, "-i", "127.0.0.1", "-p", p, "-mi", "127.0.0.1",
                         "-mp", mp, "-m", m, "-nostdin", "-timeout", "60s", "-timeout_error",
                         "-r", "10000", "-rp", "1000", "-l", G_STRINGIFY (CONCURRENCY), target,
                         NULL };
  GSubprocess *process;

  if (target == NULL)
    argv[17] = NULL;   /* a UAS takes no rate, limit or target */
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (process == NULL)
    g_error ("sipp: %s", error->message);
  return process;
}

static int
wait_sipp (GSubprocess *process)
{
  g_subprocess_wait (process, NULL, NULL);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static void dial_next (Bench *b);

static void
on_call_state (TbCall     *call,
               GParamSpec *pspec,
               Bench      *b)
{
  switch (tb_call_get_state (call)) {
  case TB_CALL_STATE_ANSWERED:
    tb_call_hang_up (call);
    break;
  case TB_CALL_STATE_ENDED:
    if (tb_call_get_end_reason (call) != TB_CALL_END_REASON_COMPLETED) {
      b->failed++;
      g_printerr ("bench-sip: call ended %s %d %s\n",
                  tb_call_end_reason_to_string (tb_call_get_end_reason (call)),
                  tb_call_get_protocol_code (call),
                  tb_call_get_end_message (call) ? tb_call_get_end_message (call) : "");
    }
    b->ended++;
    g_signal_handlers_disconnect_by_data (call, b);
    g_object_unref (call);
    if (b->ended == b->total)
      g_main_loop_quit (b->loop);
    else
      dial_next (b);
    break;
  default:
    break;
  }
}

static void
dial_next (Bench *b)
{
  while (b->dialed < b->total && b->dialed - b->ended < CONCURRENCY) {
    g_autoptr(GError) error = NULL;
    TbCall *call = tb_line_dial_number (b->line, b->uri, &error);

    b->dialed++;
    if (call == NULL) {
      g_printerr ("bench-sip: %s\n", error->message);
      b->failed++;
      b->ended++;
      continue;
    }
    g_signal_connect (call, "notify::state", G_CALLBACK (on_call_state), b);
  }
}

int
main (int   argc,
      char *argv[])
{
  guint calls = argc > 1 ? (guint) atoi (argv[1]) : 200;
  g_autoptr(GError) error = NULL;
  TbSipConfig config = { .domain = "127.0.0.1", .rtp_timeout_ms = 60000 };
  Bench b = { 0 };
  guint16 uas_port = free_port ();
  g_autoptr(GSubprocess) uas = NULL;
  g_autoptr(GSubprocess) uas2 = NULL;
  g_autoptr(GSubprocess) uac = NULL;
  g_autofree char *target = NULL;
  gint64 t0, t1;
  double ours, theirs;
  int uas_status, uac_status, uas2_status;

  gst_init (&argc, &argv);
  b.total = calls;
  b.loop = g_main_loop_new (NULL, FALSE);
  b.uri = g_strdup_printf ("sip:service@127.0.0.1:%u", uas_port);
  b.line = TB_LINE (tb_sip_line_new ("bench", &config, &error));
  g_object_set (b.line, "max-calls", CONCURRENCY, NULL);
  if (b.line == NULL || !tb_line_wait_ready (b.line, 5000, &error))
    g_error ("bench-sip: %s", error->message);

  uas = spawn_sipp ("uas-quick.xml", uas_port, calls, NULL);
  g_usleep (300 * 1000);
  t0 = g_get_monotonic_time ();
  dial_next (&b);
  g_main_loop_run (b.loop);
  t1 = g_get_monotonic_time ();
  ours = calls / ((t1 - t0) / 1e6);
  uas_status = wait_sipp (uas);
  tb_line_stop (b.line);
  g_object_unref (b.line);

  /* The reference: sipp against sipp, same scenario on the answering side. */
  uas_port = free_port ();
  uas2 = spawn_sipp ("uas-quick.xml", uas_port, calls, NULL);
  g_usleep (300 * 1000);
  target = g_strdup_printf ("127.0.0.1:%u", uas_port);
  t0 = g_get_monotonic_time ();
  uac = spawn_sipp ("uac-quick.xml", free_port (), calls, target);
  uac_status = wait_sipp (uac);
  t1 = g_get_monotonic_time ();
  theirs = calls / ((t1 - t0) / 1e6);
  uas2_status = wait_sipp (uas2);

  printf ("{\"benchmark\":\"sip-call-setups\",\"calls\":%u,\"concurrency\":%d,"
          "\"telebot_per_s\":%.1f,\"sipp_per_s\":%.1f,\"ratio\":%.2f,\"failures\":%u,"
          "\"sipp_uas_status\":%d,\"sipp_uac_status\":%d,\"sipp_uas2_status\":%d}\n",
          calls, CONCURRENCY, ours, theirs, ours / theirs, b.failed, uas_status, uac_status,
          uas2_status);
  g_free (b.uri);
  g_main_loop_unref (b.loop);
  return b.failed == 0 && uas_status == 0 && uac_status == 0 && uas2_status == 0 ? 0 : 1;
}
