/* bench-speech.c — ./dev bench speech: recognition and answering-machine accuracy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generates the English sample intents' utterances with espeak-ng (4 voices × 3 speeds) and
 * sends each through a telephone channel with sox (300–3400 Hz band, 8 kHz, G.711 μ-law round
 * trip) plus white noise at 20 dB SNR; recognizes them with pocketsphinx listening as the
 * demo script's first question does in a call (its intents, the global ones and the
 * regulatory opt-out phrases), and names the intent with the script's own matcher. Also
 * sentences in none of the phrases, which should be rejected. The reference is the same
 * utterances without the channel (clean 8 kHz), measured in the same run.
 * Then the same telephone utterances as a call takes its turns: the endpointer ends a turn
 * after 350 ms of silence, or after 180 ms when the words so far are a whole phrase of the
 * grammar (the early end of turn, TbTurnTaker); the intent of each call's first turn is
 * scored, against the same turns with the full wait only.
 * Then answering-machine detection on generated greetings, beeps and people.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>

#include "tb-amd.h"
#include "tb-endpointer.h"
#include "tb-pcm.h"
#include "tb-pocketsphinx.h"
#include "tb-script.h"
#include "tb-speech-service.h"

/* What callers say, and the intent the demo script should name. */
static const struct { const char *text, *intent; } said[] = {
  { "yes", "yes" }, { "yes please", "yes" }, { "yes, tell me more", "yes" },
  { "sure", "yes" }, { "sounds good", "yes" },
  { "no", "no" }, { "no thanks", "no" }, { "no thank you", "no" },
  { "stop calling me", "opt_out" }, { "stop calling", "opt_out" },
  { "take me off your list", "opt_out" }, { "do not call me again", "opt_out" },
  { "remove me", "opt_out" }, { "unsubscribe", "opt_out" },
  { "who is this", "who_is_this" }, { "who are you", "who_is_this" },
  { "are you a robot", "robot" }, { "is this a robot", "robot" },
  { "call me later", "call_later" }, { "call back later", "call_later" },
  { "I am busy", "busy_now" }, { "I am busy now", "busy_now" },
  /* None of the script's phrases: the right answer is no intent (a reprompt). */
  { "hello", NULL }, { "what", NULL }, { "how much does it cost", NULL },
  { "can you repeat that", NULL }, { "my name is Mary", NULL },
  { "what company is this", NULL }, { "I don't know", NULL }, { "hold on a second", NULL },
  { "where are you located", NULL }, { "maybe", NULL }, { "hmm, let me think", NULL },
  { "good morning", NULL },
};

static const char * const voices[] = { "en-us", "en", "en-gb-x-rp", "en+f3" };
static const int speeds[] = { 130, 175, 220 };

static char *dir;

static void
run (const char *cmd)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("bench speech: %s: %s", cmd, error->message);
}

/* The demo script, listening as its first question ("pitch") does in a call. */
static TbScript *script;
static GStrv listen_intents;
static GStrv grammar;

static void
load_script (void)
{
  g_autofree char *path = g_build_filename (TB_SOURCE_ROOT, "data", "scripts", "demo-en.json",
                                            NULL);
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &text, &len, &error) ||
      (script = tb_script_new_from_data (text, len, path, &error)) == NULL)
    g_error ("bench speech: %s", error->message);
  listen_intents = tb_script_dup_listen_intents (script, "pitch");
  grammar = tb_script_dup_grammar (script, (const char * const *) listen_intents);
}

/* The intent the dialog engine would take from @text: the script's own matcher. */
static const char *
intent_of (const char *text)
{
  TbIntentMatch m = { 0 };

  if (text == NULL || *text == '\0' ||
      !tb_intent_matcher_match (tb_script_get_matcher (script), text,
                                (const char * const *) listen_intents, &m))
    return "no_match";
  return m.intent;
}

/* --lm: the recognizer's free pass (as a campaign sets it up); the whole utterances are then
 * also judged from both readings as tb_dialog_utterance_readings() takes them: an opt-out
 * either reads (the dialog would ask), else the free pass's intent when it names one. */
static gboolean use_lm;

static const char *
readings_intent_of (const char *text,
                    const char *alternative)
{
  const char *g = intent_of (text), *a = intent_of (alternative);

  if (g_str_equal (g, "opt_out") || g_str_equal (a, "opt_out"))
    return "opt_out";
  return g_str_equal (a, "no_match") ? g : a;
}

static GBytes *
load (const char *path)
{
  g_autoptr(GError) error = NULL;
  GBytes *pcm = tb_pcm_load_wav (path, 8000, &error);

  if (pcm == NULL)
    g_error ("bench speech: %s", error->message);
  return pcm;
}

typedef struct {
  guint total, correct, opt_total, opt_hit, other_total, false_opt;
  guint oog_total, oog_rejected, oog_opt;
  double seconds;
} Score;

static void
score_got (Score      *sc,
           const char *expected,
           const char *got);

static void
score_one (Score      *sc,
           const char *expected,
           const char *text)
{
  score_got (sc, expected, intent_of (text));
}

static void
score_got (Score      *sc,
           const char *expected,
           const char *got)
{
  if (expected == NULL) {
    sc->oog_total++;
    sc->oog_rejected += g_str_equal (got, "no_match");
    sc->oog_opt += g_str_equal (got, "opt_out");
    return;
  }
  sc->total++;
  sc->correct += g_str_equal (got, expected);
  if (g_str_equal (expected, "opt_out")) {
    sc->opt_total++;
    sc->opt_hit += g_str_equal (got, "opt_out");
  } else {
    sc->other_total++;
    sc->false_opt += g_str_equal (got, "opt_out");
  }
}

static void
recognize_set (GPtrArray *pcms,
               GPtrArray *texts,
               GPtrArray *expected,
               Score     *sc,
               Score     *sc_readings,
               gboolean   verbose)
{
  gint64 t0 = g_get_monotonic_time ();

  for (guint i = 0; i < pcms->len; i++) {
    g_autoptr(GError) error = NULL;
    TbRecognition *r = tb_pocketsphinx_recognize (pcms->pdata[i],
                                                  (const char * const *) grammar, NULL, &error);

    if (r == NULL)
      g_error ("bench speech: %s", error->message);
    if (verbose && g_strcmp0 (intent_of (r->text),
                              expected->pdata[i] ? expected->pdata[i] : "no_match") != 0)
      g_printerr ("  miss: “%s” (%s) → “%s” (%s)\n", (char *) texts->pdata[i],
                  expected->pdata[i] ? (char *) expected->pdata[i] : "no intent", r->text,
                  intent_of (r->text));
    score_one (sc, expected->pdata[i], r->text);
    if (use_lm)
      score_got (sc_readings, expected->pdata[i], readings_intent_of (r->text, r->alternative));
    tb_recognition_free (r);
  }
  sc->seconds = (g_get_monotonic_time () - t0) / 1e6;
  sc_readings->seconds = sc->seconds;
}

/* The first turn a call takes of @pcm (said after 0.5 s of line noise, 1 s of it after), as
 * TbTurnTaker takes it: at each pause of @early_ms (0: none) the words so far are decoded; a
 * whole phrase ends the turn there, else the full 350 ms wait does, the pause's words being
 * the answer when nothing more was said. Returns the text; @early tells how it ended. */
static char *
first_turn (GBytes   *pcm,
            GBytes   *noise,
            guint     early_ms,
            gboolean *early)
{
  gsize n = g_bytes_get_size (pcm) / 2, nn = g_bytes_get_size (noise) / 2;
  gsize lead = 4000, tail = 8000, total = lead + n + tail;
  const gint16 *s = g_bytes_get_data (pcm, NULL), *z = g_bytes_get_data (noise, NULL);
  g_autofree gint16 *line = g_new (gint16, total);
  g_autoptr(TbEndpointer) ep = tb_endpointer_new ();
  TbRecognition *judged = NULL;
  gint64 judged_end = -1;
  char *text = NULL;
  double quiet = 0, zp = 0, gain;

  /* The line's noise continues around the words, at the level of the utterance's quietest
   * 10 ms (its noise floor: tb_pcm_add_noise()'s noise over espeak-ng's silence). */
  for (gsize i = 0; i + 80 <= n; i += 80) {
    double p = 0;

    for (gsize k = i; k < i + 80; k++)
      p += (double) s[k] * s[k];
    quiet = i == 0 ? p / 80 : MIN (quiet, p / 80);
  }
  for (gsize i = 0; i < nn; i++)
    zp += (double) z[i] * z[i];
  gain = sqrt (quiet / MAX (zp / MAX (nn, 1), 1e-9));
  for (gsize i = 0; i < total; i++) {
    double zz = z[(i + 4711) % nn] * gain;

    line[i] = (gint16) (i >= lead && i < lead + n ? s[i - lead] : CLAMP (zz, -32768, 32767));
  }
  tb_endpointer_set_early_hangover_ms (ep, early_ms);
  *early = FALSE;
  for (gsize i = 0; i + TB_ENDPOINTER_STEP <= total && text == NULL; i += TB_ENDPOINTER_STEP) {
    TbEndpointerEvent ev = tb_endpointer_push (ep, line + i);
    gint64 start, end;

    if (ev == TB_ENDPOINTER_EVENT_PAUSED) {
      g_autoptr(GBytes) so_far = tb_endpointer_peek_utterance (ep, &start, &end);

      g_clear_pointer (&judged, tb_recognition_free);
      judged = tb_pocketsphinx_recognize (so_far, (const char * const *) grammar, NULL, NULL);
      judged_end = end;
      if (judged != NULL && judged->complete && tb_endpointer_end_now (ep, end)) {
        *early = TRUE;
        text = g_strdup (judged->text);
      }
    } else if (ev == TB_ENDPOINTER_EVENT_ENDED) {
      g_autoptr(GBytes) utt = tb_endpointer_steal_utterance (ep, &start, &end);

      if (judged != NULL && judged_end == end) {
        text = g_strdup (judged->text);
      } else {
        TbRecognition *r = tb_pocketsphinx_recognize (utt, (const char * const *) grammar, NULL,
                                                      NULL);

        text = g_strdup (r != NULL ? r->text : "");
        tb_recognition_free (r);
      }
    }
  }
  tb_recognition_free (judged);
  return text != NULL ? text : g_strdup ("");
}

static void
turn_set (GPtrArray *pcms,
          GBytes    *noise,
          GPtrArray *expected,
          guint      early_ms,
          Score     *sc,
          guint     *n_early)
{
  *n_early = 0;
  for (guint i = 0; i < pcms->len; i++) {
    gboolean early;
    g_autofree char *text = first_turn (pcms->pdata[i], noise, early_ms, &early);

    *n_early += early;
    score_one (sc, expected->pdata[i], text);
  }
}

static double
audio_seconds (GPtrArray *pcms)
{
  gsize n = 0;

  for (guint i = 0; i < pcms->len; i++)
    n += g_bytes_get_size (pcms->pdata[i]) / 2;
  return n / 8000.0;
}

/* Answering-machine detection: greetings and beeps (machine) vs short hellos (people). */
static void
bench_amd (double *accuracy,
           double *baseline,
           guint  *n_cases)
{
  static const char * const machine[] = {
    "Hi, you have reached John and Mary. We can not come to the phone right now, please "
    "leave a message after the tone.",
    "Thank you for calling Sunrise Bakery. Our office is closed. Please leave your name and "
    "number and we will call you back.",
    "The person you are calling is not available. Please record your message after the beep.",
  };
  static const char * const human[] = {
    "Hello?", "Hello, who is this?", "Yes?", "Hi, this is Mary speaking.",
  };
  guint total = 0, right = 0, humans = 0;

  for (guint v = 0; v < G_N_ELEMENTS (voices); v++) {
    for (guint k = 0; k < G_N_ELEMENTS (machine) + G_N_ELEMENTS (human); k++) {
      gboolean is_machine = k < G_N_ELEMENTS (machine);
      const char *text = is_machine ? machine[k] : human[k - G_N_ELEMENTS (machine)];
      g_autofree char *raw = g_build_filename (dir, "amd-raw.wav", NULL);
      g_autofree char *tel = g_build_filename (dir, "amd.wav", NULL);
      g_autofree char *q = g_shell_quote (text);
      g_autofree char *c1 = g_strdup_printf ("espeak-ng -v %s -w '%s' %s", voices[v], raw, q);
      /* Half a second of line silence before the greeting, five after. */
      g_autofree char *c2 = g_strdup_printf ("sox '%s' -r 8000 -c 1 -b 16 -e signed '%s' "
                                             "sinc 300-3400 pad 0.5 5", raw, tel);
      g_autoptr(GBytes) pcm = NULL;
      g_autoptr(TbAmd) amd = tb_amd_new (6000);
      TbAmdResult res;

      run (c1);
      run (c2);
      pcm = load (tel);
      res = tb_amd_process (amd, g_bytes_get_data (pcm, NULL), g_bytes_get_size (pcm) / 2);
      total++;
      humans += !is_machine;
      if ((res == TB_AMD_RESULT_MACHINE) == is_machine &&
          (is_machine || res == TB_AMD_RESULT_HUMAN))
        right++;
      else
        g_printerr ("  amd miss: %s “%.30s…” → %s (%s)\n", voices[v], text,
                    tb_amd_result_to_string (res), tb_amd_get_reason (amd));
    }
  }
  /* Beeps alone (a machine whose greeting was missed), 4 pitches. */
  for (guint f = 0; f < 4; f++) {
    g_autofree char *tel = g_build_filename (dir, "beep.wav", NULL);
    g_autofree char *c = g_strdup_printf ("sox -n -r 8000 -c 1 -b 16 -e signed '%s' "
                                          "synth 0.5 sine %u pad 0.7 3 gain -10", tel,
                                          700 + f * 250);
    g_autoptr(GBytes) pcm = NULL;
    g_autoptr(TbAmd) amd = tb_amd_new (6000);

    run (c);
    pcm = load (tel);
    total++;
    if (tb_amd_process (amd, g_bytes_get_data (pcm, NULL), g_bytes_get_size (pcm) / 2) ==
        TB_AMD_RESULT_MACHINE)
      right++;
    else
      g_printerr ("  amd miss: beep %u Hz\n", 700 + f * 250);
  }
  *accuracy = (double) right / total;
  *baseline = (double) MAX (humans, total - humans) / total;
  *n_cases = total;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) tel = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) clean = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(GBytes) noise = NULL;
  g_autofree char *noise_path = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean verbose = argc > 1 && g_str_equal (argv[1], "-v");
  Score sc_tel = { 0 }, sc_clean = { 0 }, sc_early = { 0 }, sc_full = { 0 };
  Score rd_tel = { 0 }, rd_clean = { 0 };
  guint n_early, n_full;
  double amd_acc, amd_base;
  guint amd_n;

  setlocale (LC_ALL, "");
  for (int i = 1; i < argc; i++) {
    use_lm |= g_str_equal (argv[i], "--lm");
    /* The acoustic model adapted to the telephone channel (off by default). */
    if (g_str_equal (argv[i], "--mllr"))
      g_setenv ("TELEBOT_POCKETSPHINX_MLLR", "telephone", TRUE);
  }
  load_script ();
  if (use_lm) {
    g_auto(GStrv) text = tb_speech_service_dup_lm_text ();

    tb_pocketsphinx_set_lm_text ((const char * const *) text);
  }
  dir = g_dir_make_tmp ("telebot-bench-speech-XXXXXX", NULL);
  noise_path = g_build_filename (dir, "noise.wav", NULL);
  cmd = g_strdup_printf ("sox -R -n -r 8000 -c 1 -b 16 -e signed '%s' synth 10 whitenoise "
                         "sinc 300-3400", noise_path);
  run (cmd);
  noise = load (noise_path);

  g_printerr ("bench speech: generating %zu utterances…\n",
              G_N_ELEMENTS (voices) * G_N_ELEMENTS (speeds) * G_N_ELEMENTS (said));
  for (guint v = 0; v < G_N_ELEMENTS (voices); v++) {
    for (guint s = 0; s < G_N_ELEMENTS (speeds); s++) {
      for (guint t = 0; t < G_N_ELEMENTS (said); t++) {
        g_autofree char *raw = g_build_filename (dir, "raw.wav", NULL);
        g_autofree char *ulaw = g_build_filename (dir, "ulaw.wav", NULL);
        g_autofree char *line = g_build_filename (dir, "line.wav", NULL);
        g_autofree char *plain = g_build_filename (dir, "plain.wav", NULL);
        g_autofree char *q = g_shell_quote (said[t].text);
        g_autofree char *c1 = g_strdup_printf ("espeak-ng -v %s -s %d -w '%s' %s", voices[v],
                                               speeds[s], raw, q);
        g_autofree char *c2 = g_strdup_printf ("sox -R '%s' -r 8000 -c 1 -e u-law '%s' "
                                               "sinc 300-3400", raw, ulaw);
        g_autofree char *c3 = g_strdup_printf ("sox -R '%s' -e signed -b 16 '%s'", ulaw, line);
        g_autofree char *c4 = g_strdup_printf ("sox -R '%s' -r 8000 -c 1 -b 16 -e signed '%s'",
                                               raw, plain);
        g_autoptr(GBytes) lined = NULL;

        run (c1);
        run (c2);
        run (c3);
        run (c4);
        lined = load (line);
        g_ptr_array_add (tel, tb_pcm_add_noise (lined, noise, 20));
        g_ptr_array_add (clean, load (plain));
        g_ptr_array_add (expected, (gpointer) said[t].intent);
        g_ptr_array_add (texts, (gpointer) said[t].text);
      }
    }
  }

  g_printerr ("bench speech: recognizing (telephone channel)…\n");
  recognize_set (tel, texts, expected, &sc_tel, &rd_tel, verbose);
  g_printerr ("bench speech: recognizing (clean reference)…\n");
  recognize_set (clean, texts, expected, &sc_clean, &rd_clean, FALSE);
  g_printerr ("bench speech: taking the telephone utterances as turns, with and without the "
              "early end…\n");
  turn_set (tel, noise, expected, 180, &sc_early, &n_early);
  turn_set (tel, noise, expected, 0, &sc_full, &n_full);
  g_printerr ("bench speech: answering-machine detection…\n");
  bench_amd (&amd_acc, &amd_base, &amd_n);

  printf ("speech: %u utterances, %zu voices × %zu speeds, band-pass + μ-law + 20 dB SNR noise\n",
          sc_tel.total, G_N_ELEMENTS (voices), G_N_ELEMENTS (speeds));
  {
    g_autofree char *mllr = tb_pocketsphinx_dup_mllr_path ();
    g_autofree char *base = mllr ? g_path_get_basename (mllr) : NULL;

    printf ("  acoustic model: stock en-us%s%s\n", base ? " + MLLR " : " (no MLLR)",
            base ? base : "");
  }
  printf ("  intent accuracy     %5.1f %%   reference (clean 8 kHz) %5.1f %%   ratio %.3f\n",
          100.0 * sc_tel.correct / sc_tel.total, 100.0 * sc_clean.correct / sc_clean.total,
          (double) sc_tel.correct / MAX (sc_clean.correct, 1));
  printf ("  opt-out recall      %5.1f %%   reference %5.1f %%   (%u/%u)\n",
          100.0 * sc_tel.opt_hit / sc_tel.opt_total,
          100.0 * sc_clean.opt_hit / sc_clean.opt_total, sc_tel.opt_hit, sc_tel.opt_total);
  printf ("  false opt-outs      %5.1f %%   reference %5.1f %%   (%u/%u)\n",
          100.0 * sc_tel.false_opt / sc_tel.other_total,
          100.0 * sc_clean.false_opt / sc_clean.other_total, sc_tel.false_opt,
          sc_tel.other_total);
  printf ("  out of grammar      %5.1f %% rejected, %.1f %% heard as opt-out   reference %5.1f %% "
          "rejected, %.1f %% opt-out   (%u)\n",
          100.0 * sc_tel.oog_rejected / sc_tel.oog_total, 100.0 * sc_tel.oog_opt / sc_tel.oog_total,
          100.0 * sc_clean.oog_rejected / sc_clean.oog_total,
          100.0 * sc_clean.oog_opt / sc_clean.oog_total, sc_tel.oog_total);
  if (use_lm)
    printf ("  two readings (--lm): intents %5.1f %% (clean %5.1f %%), opt-out heard %5.1f %% "
            "(clean %5.1f %%), other answers heard as opt-out %5.1f %% (clean %5.1f %%), out of "
            "grammar heard as opt-out %.1f %%\n",
            100.0 * rd_tel.correct / rd_tel.total, 100.0 * rd_clean.correct / rd_clean.total,
            100.0 * rd_tel.opt_hit / rd_tel.opt_total,
            100.0 * rd_clean.opt_hit / rd_clean.opt_total,
            100.0 * rd_tel.false_opt / rd_tel.other_total,
            100.0 * rd_clean.false_opt / rd_clean.other_total,
            100.0 * rd_tel.oog_opt / rd_tel.oog_total);
  printf ("  as call turns (first turn's intent), early end of turn (180 ms after a whole phrase): "
          "intents %.1f %%, opt-out recall %.1f %%, false opt-outs %.1f %%, out of grammar "
          "rejected %.1f %%; %u of %u turns ended early\n",
          100.0 * sc_early.correct / sc_early.total,
          100.0 * sc_early.opt_hit / sc_early.opt_total,
          100.0 * sc_early.false_opt / sc_early.other_total,
          100.0 * sc_early.oog_rejected / sc_early.oog_total, n_early, tel->len);
  printf ("  reference, full 350 ms wait only:  intents %.1f %%, opt-out recall %.1f %%, false "
          "opt-outs %.1f %%, out of grammar rejected %.1f %%\n",
          100.0 * sc_full.correct / sc_full.total, 100.0 * sc_full.opt_hit / sc_full.opt_total,
          100.0 * sc_full.false_opt / sc_full.other_total,
          100.0 * sc_full.oog_rejected / sc_full.oog_total);
  printf ("  decode speed        %5.1f× real time (%.1f s audio in %.1f s)\n",
          audio_seconds (tel) / sc_tel.seconds, audio_seconds (tel), sc_tel.seconds);
  printf ("  AMD accuracy        %5.1f %%   reference (majority class) %5.1f %%   ratio %.2f  "
          "(%u cases)\n", 100 * amd_acc, 100 * amd_base, amd_acc / amd_base, amd_n);

  date = g_date_time_format (now, "%Y-%m-%d");
  printf ("\n| speech intent accuracy (pocketsphinx, telephone) | %.1f %% | %.1f %% clean | %.3f "
          "| ≥ 95 %% | %s |\n", 100.0 * sc_tel.correct / sc_tel.total,
          100.0 * sc_clean.correct / sc_clean.total,
          (double) sc_tel.correct / MAX (sc_clean.correct, 1), date);
  printf ("| opt-out recall | %.1f %% | %.1f %% clean | %.3f | ≥ 99 %% | %s |\n",
          100.0 * sc_tel.opt_hit / sc_tel.opt_total, 100.0 * sc_clean.opt_hit / sc_clean.opt_total,
          (double) sc_tel.opt_hit / MAX (sc_clean.opt_hit, 1), date);
  printf ("| false opt-outs | %.1f %% | %.1f %% clean | — | ≤ 1 %% | %s |\n",
          100.0 * sc_tel.false_opt / sc_tel.other_total,
          100.0 * sc_clean.false_opt / sc_clean.other_total, date);
  printf ("| out-of-grammar speech rejected | %.1f %% (%.1f %% heard as opt-out) | %.1f %% clean "
          "| — | — | %s |\n", 100.0 * sc_tel.oog_rejected / sc_tel.oog_total,
          100.0 * sc_tel.oog_opt / sc_tel.oog_total,
          100.0 * sc_clean.oog_rejected / sc_clean.oog_total, date);
  printf ("| speech intent accuracy as call turns, early end of turn (180 ms after a whole "
          "phrase; %u of %u turns ended early) | %.1f %% | %.1f %% full 350 ms wait | %.3f | "
          "not lower | %s |\n", n_early, tel->len, 100.0 * sc_early.correct / sc_early.total,
          100.0 * sc_full.correct / sc_full.total,
          (double) sc_early.correct / MAX (sc_full.correct, 1), date);
  printf ("| AMD accuracy | %.1f %% | %.1f %% majority class | %.2f | — | %s |\n",
          100 * amd_acc, 100 * amd_base, amd_acc / amd_base, date);

  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);

    run (rm);
  }
  return 0;
}
