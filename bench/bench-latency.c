/* bench-latency.c — ./dev bench latency: turn latency and concurrent calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each simulated call is a TbMediaSession on a test endpoint (appsrc/appsink) whose callee
 * speaks an espeak-ng utterance, waits for the bot's answer to end, and speaks again. The bot
 * recognizes each utterance with pocketsphinx (the demo phrases) and answers with a
 * pre-rendered prompt, recording the call to a WAV file, as a real call does: its turns are
 * taken by a TbTurnTaker with the script format's default silences (350 ms; 180 ms once the
 * words are a whole phrase of the grammar).
 * Turn latency = end of the callee's speech → first sample of the answer leaving for the line,
 * in audio time (which at real time is wall time).
 *   1. p50/p95 over ≥ 100 turns at real time; reference: the part of it the endpointer's
 *      silence wait takes (speech end → utterance-ended), measured on the same turns.
 *   2. concurrent real-time calls: the most this machine carries (median p95 ≤ 700 ms and no
 *      call falling behind real time by more than 200 ms), and memory per call.
 * Every figure is the median of three runs, printed with their min and max, the CPU each call
 * took and the box's load average when the runs started: a figure measured while something
 * else ran (load ≥ 0.5 per core) says so. `bench-latency 4 48` measures only those levels;
 * --lm with the recognizer's free pass, as a campaign sets it up.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "tb-espeak.h"
#include "tb-media-session.h"
#include "tb-pcm.h"
#include "tb-pocketsphinx.h"
#include "tb-speech-service.h"
#include "tb-test-endpoint.h"
#include "tb-turn-taker.h"

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
  TbTurnTaker *taker;
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

static const char * const *
turn_phrases (gpointer             data,
              const char * const **settled)
{
  return phrases;
}

static void
take_turn (TbRecognition *rec,
           const GError  *error,
           gint64         start,
           gint64         end,
           gpointer       data)
{
  Call *c = data;

  tb_recognition_free (rec);
  if (c->done)
    return;
  c->speech_end = end;
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

  g_array_append_val (c->endpointing, waited);
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
  c->taker = tb_turn_taker_new (c->session, recognizer, turn_phrases, take_turn, c);
  tb_turn_taker_set_end_silence (c->taker, 350, 180);
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
  tb_turn_taker_close (c->taker);
  g_object_unref (c->taker);
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
  gint64 loop_late95;    /* µs the main loop ran a 20 ms timer late (95th percentile) */
  guint turns;
  gint64 max_lag;
  long rss_kb;
  double cpu;
  double wall;
} Run;

typedef struct {
  gint64 due;
  GArray *late;
} Tick;

/* A 20 ms timer: how late the main loop (where every call's events are handled) runs it. */
static gboolean
tick_cb (gpointer data)
{
  Tick *t = data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = MAX (0, now - t->due);

  g_array_append_val (t->late, late);
  t->due = now + 20000;
  return G_SOURCE_CONTINUE;
}

static Run
run_calls (guint    n,
           gboolean realtime,
           guint    turns_each)
{
  g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ep = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func ((GDestroyNotify) call_free);
  Run r = { 0 };
  Tick tick;
  guint tick_id;
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
  tick.due = g_get_monotonic_time () + 20000;
  tick.late = g_array_new (FALSE, FALSE, sizeof (gint64));
  tick_id = g_timeout_add (20, tick_cb, &tick);
  timeout = g_timeout_add_seconds (300, timeout_cb, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_source_remove (tick_id);
  r.loop_late95 = percentile (tick.late, 0.95);
  g_array_unref (tick.late);
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

/* The 1-minute load average per core, from /proc/loadavg (-1 when unknown). */
static double
load_per_core (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL) / MAX (g_get_num_processors (), 1);
}

static int
compare_runs_p95 (gconstpointer a,
                  gconstpointer b)
{
  const Run *x = a, *y = b;

  return (x->p95 > y->p95) - (x->p95 < y->p95);
}

static int
compare_runs_p50 (gconstpointer a,
                  gconstpointer b)
{
  const Run *x = a, *y = b;

  return (x->p50 > y->p50) - (x->p50 < y->p50);
}

/* Three runs of @n calls × @turns_each turns: their median by p95 (and by p50), and the
 * spread. */
typedef struct {
  guint  n;
  Run    runs[3];
  gint64 p50[3];        /* sorted */
  gint64 p95[3];        /* sorted */
  Run    median;        /* the run with the median p95 */
  double load;          /* per core, when the first run started */
  double cpu_per_call;  /* % of one core, median run */
} Level;

static Level
measure (guint n,
         guint turns_each)
{
  Level l = { .n = n, .load = load_per_core () };
  Run by_p50[3];

  for (guint i = 0; i < 3; i++)
    l.runs[i] = run_calls (n, TRUE, turns_each);
  memcpy (by_p50, l.runs, sizeof by_p50);
  qsort (by_p50, 3, sizeof (Run), compare_runs_p50);
  qsort (l.runs, 3, sizeof (Run), compare_runs_p95);
  for (guint i = 0; i < 3; i++) {
    l.p50[i] = by_p50[i].p50;
    l.p95[i] = l.runs[i].p95;
  }
  l.median = l.runs[1];
  l.median.p50 = l.p50[1];
  l.cpu_per_call = 100 * l.median.cpu / MAX (l.median.wall, 1e-6) / n;
  return l;
}

static const char *
box (double load)
{
  return load < 0 ? "load unknown" : load < 0.5 ? "quiet box" : "busy box";
}

static void
print_level (const Level *l)
{
  printf ("  %2u calls (%s, load %.2f/core): p50 %" G_GINT64_FORMAT " ms (%" G_GINT64_FORMAT
          "–%" G_GINT64_FORMAT "), p95 %" G_GINT64_FORMAT " ms (%" G_GINT64_FORMAT "–%"
          G_GINT64_FORMAT "), worst lag %" G_GINT64_FORMAT " ms, main loop late p95 %"
          G_GINT64_FORMAT " ms, CPU %.1f %% of a core per call, RSS %ld MB\n",
          l->n, box (l->load), l->load, l->p50[1] / 1000, l->p50[0] / 1000, l->p50[2] / 1000,
          l->p95[1] / 1000, l->p95[0] / 1000, l->p95[2] / 1000, l->median.max_lag / 1000,
          l->median.loop_late95 / 1000, l->cpu_per_call, l->median.rss_kb / 1024);
}

static gboolean
carries (const Level *l)
{
  return l->p95[1] <= 700000 && l->median.max_lag <= 200000 && l->median.turns >= l->n * 4;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (guint));
  static const guint default_steps[] = { 8, 16, 24, 32, 40, 48, 56, 64, 80 };
  gboolean only_some = argc > 1;
  long rss0;
  Level rt, best = { 0 };
  guint carried = 0;
  long per_call_kb = 0;

  gst_init (&argc, &argv);
  for (int i = 1; i < argc; i++) {
    guint n = (guint) g_ascii_strtoull (argv[i], NULL, 10);

    if (g_str_equal (argv[i], "--lm")) {
      /* The recognizer's free pass, as a campaign sets it up. */
      g_auto(GStrv) text = tb_speech_service_dup_lm_text ();

      tb_pocketsphinx_set_lm_text ((const char * const *) text);
      only_some = argc > 2;
      continue;
    }
    if (n == 0)
      g_error ("usage: bench-latency [--lm] [CALLS…]");
    g_array_append_val (steps, n);
  }
  if (steps->len == 0)
    g_array_append_vals (steps, default_steps, G_N_ELEMENTS (default_steps));
  loop = g_main_loop_new (NULL, FALSE);
  dir = g_dir_make_tmp ("telebot-bench-latency-XXXXXX", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    if ((utterances[i] = tb_espeak_render ("en-us", lines[i], 0, &error)) == NULL)
      g_error ("bench latency: %s", error->message);
  reply = tb_espeak_render ("en-us", "Okay.", 0, &error);
  recognizer = TB_RECOGNIZER (tb_pocketsphinx_new ());
  /* Load a decoder before measuring. */
  tb_recognition_free (tb_pocketsphinx_recognize (utterances[0], phrases, NULL, NULL));

  g_printerr ("bench latency: 100 turns at real time (4 calls × 25 turns), three runs…\n");
  rt = measure (4, 25);
  printf ("turn latency at 4 calls (%s, load %.2f/core; median of three runs of %u turns): "
          "p50 %" G_GINT64_FORMAT " ms (%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT "), p95 %"
          G_GINT64_FORMAT " ms (%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT "); reference "
          "(endpointer's silence wait, same turns) p50 %" G_GINT64_FORMAT " ms; ratio p50 %.2f\n",
          box (rt.load), rt.load, rt.median.turns, rt.p50[1] / 1000, rt.p50[0] / 1000,
          rt.p50[2] / 1000, rt.p95[1] / 1000, rt.p95[0] / 1000, rt.p95[2] / 1000,
          rt.median.ep50 / 1000, (double) rt.p50[1] / MAX (rt.median.ep50, 1));

  rss0 = rss_kb ();
  for (guint i = 0; i < steps->len; i++) {
    guint n = g_array_index (steps, guint, i);
    Level l;

    g_printerr ("bench latency: %u concurrent real-time calls, three runs…\n", n);
    l = measure (n, 4);
    print_level (&l);
    if (!carries (&l)) {
      if (only_some)
        continue;
      break;
    }
    carried = n;
    best = l;
    per_call_kb = (l.median.rss_kb - rss0) / (long) n;
  }
  printf ("concurrent real-time calls carried: %u (median p95 %" G_GINT64_FORMAT " ms, %s), "
          "memory ≈ %ld kB per call above the %ld MB base\n", carried, best.p95[1] / 1000,
          box (best.load), MAX (per_call_kb, 0), rss0 / 1024);

  printf ("\n| turn latency p50 (real time, 4 calls, median of 3 × %u turns; %s, load %.2f) | %"
          G_GINT64_FORMAT " ms (%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT ") | %" G_GINT64_FORMAT
          " ms endpointer wait | %.2f | ≤ 450 ms | %s |\n", rt.median.turns, box (rt.load),
          rt.load, rt.p50[1] / 1000, rt.p50[0] / 1000, rt.p50[2] / 1000, rt.median.ep50 / 1000,
          (double) rt.p50[1] / MAX (rt.median.ep50, 1), date);
  printf ("| turn latency p95 (same runs) | %" G_GINT64_FORMAT " ms (%" G_GINT64_FORMAT "–%"
          G_GINT64_FORMAT ") | %" G_GINT64_FORMAT " ms endpointer wait | %.2f | ≤ 700 ms | %s |\n",
          rt.p95[1] / 1000, rt.p95[0] / 1000, rt.p95[2] / 1000, rt.median.ep50 / 1000,
          (double) rt.p95[1] / MAX (rt.median.ep50, 1), date);
  printf ("| concurrent calls (recognition + recording; median p95 ≤ 700 ms; %s, load %.2f) | %u"
          " (CPU %.1f %% of a core per call) | 24 target | %.2f | ≥ 24 | %s |\n",
          box (best.load), best.load, carried, best.cpu_per_call, carried / 24.0, date);
  printf ("| memory per call | %ld kB | %ld MB base | — | — | %s |\n", MAX (per_call_kb, 0),
          rss0 / 1024, date);
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);

    g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  }
  return 0;
}
