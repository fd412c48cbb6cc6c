/* bench-latency.c — ./dev bench latency: turn latency and concurrent calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each simulated call is a TbMediaSession on a test endpoint (appsrc/appsink) whose callee
 * speaks an espeak-ng utterance, waits for the bot's answer to end, and speaks again. The bot
 * recognizes each utterance with pocketsphinx (the demo phrases) and answers with a
 * pre-rendered prompt, recording the call to a WAV file, as a real call does.
 * Turn latency = end of the callee's speech → first sample of the answer leaving for the line,
 * in audio time (which at real time is wall time).
 *   1. p50/p95 over ≥ 100 turns at real time; reference: the part of it the endpointer's
 *      silence wait takes (speech end → utterance-ended), measured on the same turns.
 *   2. concurrent real-time calls: the most this machine carries (p95 ≤ 700 ms and no call
 *      falling behind real time by more than 200 ms), and memory per call.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <stdio.h>
#include <sys/resource.h>

#include "tb-espeak.h"
#include "tb-media-session.h"
#include "tb-pcm.h"
#include "tb-pocketsphinx.h"
#include "tb-test-endpoint.h"

static const char * const phrases[] = {
  "yes", "yes please", "tell me more", "sure", "sounds good", "no", "no thanks", "no thank you",
  "stop calling", "stop", "remove me", "do not call", "take me off your list", "unsubscribe",
  "who is this", "who are you", "are you a robot", "is this a robot", "call me later",
  "call back later", "i am busy", "busy now", NULL
};
static const char * const lines[] = {
  "yes, tell me more", "who is this", "is this a robot", "call me later", "no thank you",
  "I am busy now", "sounds good", "who are you",
};

static GBytes *utterances[G_N_ELEMENTS (lines)];
static GBytes *reply;
static TbRecognizer *recognizer;
static char *dir;

typedef struct {
  TbTestEndpoint *ep;
  TbMediaSession *session;
  guint index;
  guint turns;
  guint max_turns;
  gint64 speech_end;     /* µs of audio: the last utterance's end */
  gboolean answered;
  gboolean done;
  GArray *latencies;     /* shared, µs */
  GArray *endpointing;   /* shared, µs: speech end → utterance-ended */
  gint64 started_wall;
  gint64 max_lag;        /* µs the call fell behind the wall clock */
} Call;

static guint calls_running;
static GMainLoop *loop;

static void
say_next (Call *c)
{
  GBytes *u = utterances[(c->index + c->turns) % G_N_ELEMENTS (lines)];

  /* A person pauses a little after the bot stops before answering. */
  tb_test_endpoint_say_at (c->ep, tb_test_endpoint_get_position (c->ep) + 8000 * 3 / 10, u);
}

static void
recognized_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  Call *c = data;
  g_autoptr(TbRecognition) r = tb_recognizer_recognize_finish (TB_RECOGNIZER (object), result,
                                                               NULL);

  if (c->done)
    return;
  c->answered = FALSE;
  tb_media_session_play_pcm (c->session, reply, TB_PLAY_FLAGS_BARGE_IN);
}

static void
on_utterance_ended (TbMediaSession *s,
                    GBytes         *pcm,
                    gint64          start,
                    gint64          end,
                    Call           *c)
{
  gint64 waited = tb_media_session_get_position_us (s) - end;

  c->speech_end = end;
  g_array_append_val (c->endpointing, waited);
  tb_recognizer_recognize_async (recognizer, pcm, phrases, NULL, recognized_cb, c);
}

static void
on_prompt_started (TbMediaSession *s,
                   guint           id,
                   gint64          at,
                   Call           *c)
{
  gint64 latency = at - c->speech_end;

  if (c->speech_end > 0 && !c->answered) {
    g_array_append_val (c->latencies, latency);
    c->answered = TRUE;
  }
}

static void
finish (Call *c)
{
  if (c->done)
    return;
  c->done = TRUE;
  if (--calls_running == 0)
    g_main_loop_quit (loop);
}

static void
on_prompt_finished (TbMediaSession *s,
                    guint           id,
                    TbPromptEnd     end,
                    Call           *c)
{
  gint64 wall = g_get_monotonic_time () - c->started_wall;
  gint64 lag = wall - tb_media_session_get_position_us (s);

  c->max_lag = MAX (c->max_lag, lag);
  if (++c->turns >= c->max_turns)
    finish (c);
  else
    say_next (c);
}

static void
on_ended (TbMediaSession *s,
          const GError   *error,
          Call           *c)
{
  if (error != NULL)
    g_printerr ("bench latency: call ended: %s\n", error->message);
  finish (c);
}

static Call *
call_new (guint     index,
          gboolean  realtime,
          guint     max_turns,
          GArray   *latencies,
          GArray   *endpointing)
{
  Call *c = g_new0 (Call, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("call-%u.wav", index);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  c->index = index;
  c->max_turns = max_turns;
  c->latencies = latencies;
  c->endpointing = endpointing;
  c->ep = tb_test_endpoint_new (realtime, 0);
  c->session = tb_media_session_new (tb_test_endpoint_get_source (c->ep),
                                     tb_test_endpoint_get_sink (c->ep), realtime);
  g_signal_connect (c->session, "utterance-ended", G_CALLBACK (on_utterance_ended), c);
  g_signal_connect (c->session, "prompt-started", G_CALLBACK (on_prompt_started), c);
  g_signal_connect (c->session, "prompt-finished", G_CALLBACK (on_prompt_finished), c);
  g_signal_connect (c->session, "ended", G_CALLBACK (on_ended), c);
  if (!tb_media_session_start_recording (c->session, path, &error))
    g_error ("bench latency: %s", error->message);
  tb_test_endpoint_say_at (c->ep, 4000 + (index % 10) * 800,
                           utterances[index % G_N_ELEMENTS (lines)]);
  return c;
}

static void
call_free (Call *c)
{
  tb_media_session_stop (c->session);
  g_object_unref (c->session);
  tb_test_endpoint_free (c->ep);
  g_free (c);
}

static int
cmp_i64 (gconstpointer a,
         gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
percentile (GArray *v,
            double  p)
{
  if (v->len == 0)
    return -1;
  g_array_sort (v, cmp_i64);
  return g_array_index (v, gint64, MIN (v->len - 1, (guint) (p * v->len)));
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (p = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return strtol (p + 6, NULL, 10);
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static gboolean
timeout_cb (gpointer data)
{
  g_printerr ("bench latency: a run did not finish in time\n");
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

typedef struct {
  gint64 p50, p95, ep50;
  guint turns;
  gint64 max_lag;
  long rss_kb;
  double cpu;
  double wall;
} Run;

static Run
run_calls (guint    n,
           gboolean realtime,
           guint    turns_each)
{
  g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ep = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func ((GDestroyNotify) call_free);
  Run r = { 0 };
  double cpu0 = cpu_seconds ();
  gint64 t0 = g_get_monotonic_time ();
  guint timeout;

  calls_running = n;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (calls, call_new (i, realtime, turns_each, lat, ep));
  for (guint i = 0; i < n; i++) {
    Call *c = calls->pdata[i];
    g_autoptr(GError) error = NULL;

    c->started_wall = g_get_monotonic_time ();
    if (!tb_media_session_start (c->session, &error))
      g_error ("bench latency: %s", error->message);
  }
  timeout = g_timeout_add_seconds (300, timeout_cb, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  r.rss_kb = rss_kb ();
  r.cpu = cpu_seconds () - cpu0;
  r.wall = (g_get_monotonic_time () - t0) / 1e6;
  for (guint i = 0; i < n; i++)
    r.max_lag = MAX (r.max_lag, ((Call *) calls->pdata[i])->max_lag);
  r.turns = lat->len;
  r.p50 = percentile (lat, 0.50);
  r.p95 = percentile (lat, 0.95);
  r.ep50 = percentile (ep, 0.50);
  return r;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  long rss0;
  Run rt, best = { 0 };
  guint steps[] = { 8, 16, 24, 32, 40, 48, 56, 64, 80 };
  guint carried = 0;
  long per_call_kb = 0;

  gst_init (&argc, &argv);
  loop = g_main_loop_new (NULL, FALSE);
  dir = g_dir_make_tmp ("telebot-bench-latency-XXXXXX", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    if ((utterances[i] = tb_espeak_render ("en-us", lines[i], 0, &error)) == NULL)
      g_error ("bench latency: %s", error->message);
  reply = tb_espeak_render ("en-us", "Okay.", 0, &error);
  recognizer = TB_RECOGNIZER (tb_pocketsphinx_new ());
  /* Load a decoder before measuring. */
  tb_recognition_free (tb_pocketsphinx_recognize (utterances[0], phrases, NULL));

  g_printerr ("bench latency: 100 turns at real time (4 calls × 25 turns)…\n");
  rt = run_calls (4, TRUE, 25);
  printf ("turn latency over %u turns at real time: p50 %" G_GINT64_FORMAT " ms, p95 %"
          G_GINT64_FORMAT " ms; reference (endpointer's silence wait, same turns) p50 %"
          G_GINT64_FORMAT " ms; ratio p50 %.2f\n",
          rt.turns, rt.p50 / 1000, rt.p95 / 1000, rt.ep50 / 1000,
          (double) rt.p50 / MAX (rt.ep50, 1));

  rss0 = rss_kb ();
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++) {
    Run r;

    g_printerr ("bench latency: %u concurrent real-time calls…\n", steps[i]);
    r = run_calls (steps[i], TRUE, 4);
    printf ("  %2u calls: %u turns, p50 %" G_GINT64_FORMAT " ms, p95 %" G_GINT64_FORMAT
            " ms, worst lag %" G_GINT64_FORMAT " ms, CPU %.0f %% of one core, RSS %ld MB\n",
            steps[i], r.turns, r.p50 / 1000, r.p95 / 1000, r.max_lag / 1000,
            100 * r.cpu / r.wall, r.rss_kb / 1024);
    if (r.p95 > 700000 || r.max_lag > 200000 || r.turns < steps[i] * 4)
      break;
    carried = steps[i];
    best = r;
    per_call_kb = (r.rss_kb - rss0) / (long) steps[i];
  }
  printf ("concurrent real-time calls carried: %u (p95 %" G_GINT64_FORMAT " ms), "
          "memory ≈ %ld kB per call above the %ld MB base\n", carried, best.p95 / 1000,
          MAX (per_call_kb, 0), rss0 / 1024);

  printf ("\n| turn latency p50 (real time, %u turns) | %" G_GINT64_FORMAT " ms | %"
          G_GINT64_FORMAT " ms endpointer wait | %.2f | ≤ 450 ms | %s |\n", rt.turns,
          rt.p50 / 1000, rt.ep50 / 1000, (double) rt.p50 / MAX (rt.ep50, 1), date);
  printf ("| turn latency p95 (real time) | %" G_GINT64_FORMAT " ms | %" G_GINT64_FORMAT
          " ms endpointer wait | %.2f | ≤ 700 ms | %s |\n", rt.p95 / 1000, rt.ep50 / 1000,
          (double) rt.p95 / MAX (rt.ep50, 1), date);
  printf ("| concurrent calls (recognition + recording) | %u | 24 target | %.2f | ≥ 24 | %s |\n",
          carried, carried / 24.0, date);
  printf ("| memory per call | %ld kB | %ld MB base | — | — | %s |\n", MAX (per_call_kb, 0),
          rss0 / 1024, date);
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);

    g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  }
  return 0;
}
