/* test-media.c — the media session end to end on a lockstep test endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>

#include "tb-amd.h"
#include "tb-enums.h"
#include "tb-espeak.h"
#include "tb-media-session.h"
#include "tb-pcm.h"
#include "tb-test-endpoint.h"

#define RATE 8000

typedef struct {
  char *dir;
  TbTestEndpoint *ep;
  TbMediaSession *session;
  GMainLoop *loop;
  gboolean ended;
  GError *failure;
  /* what the session reported */
  GArray *prompt_started;    /* gint64 µs */
  GArray *prompt_ends;       /* TbPromptEnd */
  GArray *utt_starts;        /* gint64 µs */
  GArray *utt_ends;          /* gint64 µs */
  GPtrArray *utt_pcm;
  GString *dtmf;
  int amd;
  char *amd_reason;
  guint levels;
  double max_callee_db, max_bot_db;
} Fixture;

static GBytes *
speak (const char *text)
{
  g_autoptr(GError) error = NULL;
  GBytes *pcm = tb_espeak_render ("en-us", text, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pcm);
  return pcm;
}

static gint64
n_samples (GBytes *pcm)
{
  return g_bytes_get_size (pcm) / 2;
}

/* The first and after-last 10 ms step louder than -40 dBFS, in samples. */
static void
speech_span (GBytes *pcm,
             gint64 *first,
             gint64 *last)
{
  gsize len;
  const gint16 *s = g_bytes_get_data (pcm, &len);

  len /= 2;
  *first = -1;
  *last = -1;
  for (gsize i = 0; i + 80 <= len; i += 80) {
    if (tb_pcm_rms_db (s + i, 80) > -40) {
      if (*first < 0)
        *first = i;
      *last = i + 80;
    }
  }
}

static void
on_ended (TbMediaSession *s,
          const GError   *error,
          Fixture        *f)
{
  f->ended = TRUE;
  g_main_loop_quit (f->loop);
}

static void
on_failed (TbMediaSession *s,
           const GError   *error,
           Fixture        *f)
{
  g_clear_error (&f->failure);
  f->failure = g_error_copy (error);
}

static void
on_prompt_started (TbMediaSession *s,
                   guint           id,
                   gint64          at,
                   Fixture        *f)
{
  g_array_append_val (f->prompt_started, at);
}

static void
on_prompt_finished (TbMediaSession *s,
                    guint           id,
                    TbPromptEnd     end,
                    Fixture        *f)
{
  int e = end;

  g_array_append_val (f->prompt_ends, e);
}

static void
on_utterance_started (TbMediaSession *s,
                      gint64          at,
                      Fixture        *f)
{
  g_array_append_val (f->utt_starts, at);
}

static void
on_utterance_ended (TbMediaSession *s,
                    GBytes         *pcm,
                    gint64          start,
                    gint64          end,
                    Fixture        *f)
{
  g_array_append_val (f->utt_ends, end);
  g_ptr_array_add (f->utt_pcm, g_bytes_ref (pcm));
}

static void
on_dtmf (TbMediaSession *s,
         const char     *digit,
         Fixture        *f)
{
  g_string_append (f->dtmf, digit);
}

static void
on_amd (TbMediaSession *s,
        TbAmdResult     result,
        const char     *reason,
        Fixture        *f)
{
  f->amd = result;
  g_free (f->amd_reason);
  f->amd_reason = g_strdup (reason);
}

static void
on_levels (TbMediaSession *s,
           double          callee,
           double          bot,
           Fixture        *f)
{
  f->levels++;
  f->max_callee_db = MAX (f->max_callee_db, callee);
  f->max_bot_db = MAX (f->max_bot_db, bot);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("telebot-media-XXXXXX", NULL);
  f->loop = g_main_loop_new (NULL, FALSE);
  f->prompt_started = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->prompt_ends = g_array_new (FALSE, FALSE, sizeof (int));
  f->utt_starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->utt_ends = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->utt_pcm = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  f->dtmf = g_string_new (NULL);
  f->amd = -1;
  f->max_callee_db = f->max_bot_db = -200;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  if (f->session != NULL)
    g_assert_finalize_object (f->session);
  g_clear_pointer (&f->ep, tb_test_endpoint_free);
  while (dir && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *p = g_build_filename (f->dir, name, NULL);
    g_unlink (p);
  }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_main_loop_unref (f->loop);
  g_array_unref (f->prompt_started);
  g_array_unref (f->prompt_ends);
  g_array_unref (f->utt_starts);
  g_array_unref (f->utt_ends);
  g_ptr_array_unref (f->utt_pcm);
  g_string_free (f->dtmf, TRUE);
  g_free (f->amd_reason);
  g_clear_error (&f->failure);
}

static void
make_session (Fixture  *f,
              gboolean  realtime,
              gint64    max_samples)
{
  f->ep = tb_test_endpoint_new (realtime, max_samples);
  f->session = tb_media_session_new (tb_test_endpoint_get_source (f->ep),
                                     tb_test_endpoint_get_sink (f->ep), realtime);
  g_signal_connect (f->session, "ended", G_CALLBACK (on_ended), f);
  g_signal_connect (f->session, "failed", G_CALLBACK (on_failed), f);
  g_signal_connect (f->session, "prompt-started", G_CALLBACK (on_prompt_started), f);
  g_signal_connect (f->session, "prompt-finished", G_CALLBACK (on_prompt_finished), f);
  g_signal_connect (f->session, "utterance-started", G_CALLBACK (on_utterance_started), f);
  g_signal_connect (f->session, "utterance-ended", G_CALLBACK (on_utterance_ended), f);
  g_signal_connect (f->session, "dtmf", G_CALLBACK (on_dtmf), f);
  g_signal_connect (f->session, "amd-result", G_CALLBACK (on_amd), f);
  g_signal_connect (f->session, "levels", G_CALLBACK (on_levels), f);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("test timed out");
  return G_SOURCE_REMOVE;
}

static void
run_until_ended (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  guint id = g_timeout_add_seconds (60, timeout_cb, NULL);

  if (!tb_media_session_is_running (f->session)) {
    tb_media_session_start (f->session, &error);
    g_assert_no_error (error);
  }
  g_main_loop_run (f->loop);
  g_source_remove (id);
  g_assert_true (f->ended);
}

/* Prompt, then the callee answers after it: utterance-ended carries the speech's duration. */
static void
test_prompt_then_utterance (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) prompt = speak ("Hello, this is an automated call from Sunrise Bakery.");
  g_autoptr(GBytes) answer = speak ("yes, tell me more");
  gint64 at = n_samples (prompt) + RATE / 2;
  gint64 first, last;
  gint64 start_us, end_us;

  make_session (f, FALSE, at + n_samples (answer) + 2 * RATE);
  tb_test_endpoint_say_at (f->ep, at, answer);
  tb_media_session_play_pcm (f->session, prompt, TB_PLAY_FLAGS_BARGE_IN);
  run_until_ended (f);

  g_assert_no_error (f->failure);
  g_assert_cmpuint (f->prompt_started->len, ==, 1);
  g_assert_cmpint (g_array_index (f->prompt_started, gint64, 0), <, 100000);
  g_assert_cmpuint (f->prompt_ends->len, ==, 1);
  g_assert_cmpint (g_array_index (f->prompt_ends, int, 0), ==, TB_PROMPT_END_COMPLETED);
  g_assert_cmpuint (f->utt_ends->len, ==, 1);

  speech_span (answer, &first, &last);
  start_us = g_array_index (f->utt_starts, gint64, 0);
  end_us = g_array_index (f->utt_ends, gint64, 0);
  g_test_message ("utterance %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT " µs, expected %"
                  G_GINT64_FORMAT "–%" G_GINT64_FORMAT, start_us, end_us,
                  (at + first) * 125, (at + last) * 125);
  g_assert_cmpint (ABS (start_us - (at + first) * 125), <, 60000);
  g_assert_cmpint (ABS (end_us - (at + last) * 125), <, 60000);
  /* The utterance's PCM is the speech with a little margin on both sides. */
  g_assert_cmpint (n_samples (g_ptr_array_index (f->utt_pcm, 0)), >=, last - first);
  g_assert_cmpint (n_samples (g_ptr_array_index (f->utt_pcm, 0)), <=, last - first + RATE / 2);
  /* The line got the prompt's audio, from the start. */
  {
    g_autoptr(GBytes) bot = tb_test_endpoint_dup_bot (f->ep);
    gint64 bf, bl, pf, pl;

    speech_span (bot, &bf, &bl);
    speech_span (prompt, &pf, &pl);
    g_assert_cmpint (ABS ((bl - bf) - (pl - pf)), <, 160);
  }
  g_assert_cmpuint (f->levels, >, 0);
  g_assert_cmpfloat (f->max_callee_db, >, -30);
  g_assert_cmpfloat (f->max_bot_db, >, -30);
  g_assert_cmpint (tb_media_session_get_first_bot_audio_us (f->session), <, 100000);
  g_assert_cmpint (tb_media_session_get_first_bot_audio_us (f->session), >=, 0);
}

static double
channel_rms_db (const gint16 *stereo,
                gint64        from,
                gint64        to,
                int           channel)
{
  double acc = 0;

  for (gint64 i = from; i < to; i++)
    acc += (double) stereo[2 * i + channel] * stereo[2 * i + channel];
  acc = sqrt (acc / MAX (1, to - from)) / 32768.0;
  return acc < 1e-5 ? -100 : 20 * log10 (acc);
}

/* The recording: as long as the call's audio, callee left, bot right. */
static void
test_recording (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) prompt = speak ("We deliver fresh flour and butter at wholesale prices.");
  g_autoptr(GBytes) answer = speak ("no thank you");
  g_autofree char *path = g_build_filename (f->dir, "call.wav", NULL);
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GBytes) pcm = NULL;
  g_autoptr(GError) error = NULL;
  gint64 at = n_samples (prompt) + RATE;
  gint64 frames, pos;
  guint rate, channels;
  const gint16 *s;
  char *contents;
  gsize len;

  make_session (f, FALSE, at + n_samples (answer) + RATE);
  tb_test_endpoint_say_at (f->ep, at, answer);
  tb_media_session_start_recording (f->session, path, &error);
  g_assert_no_error (error);
  tb_media_session_play_pcm (f->session, prompt, TB_PLAY_FLAGS_NONE);
  run_until_ended (f);

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  file = g_bytes_new_take (contents, len);
  pcm = tb_pcm_parse_wav (file, &rate, &channels, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rate, ==, RATE);
  g_assert_cmpuint (channels, ==, 2);
  frames = g_bytes_get_size (pcm) / 4;
  pos = tb_media_session_get_position_us (f->session) * RATE / G_USEC_PER_SEC;
  g_assert_cmpint (frames, ==, pos);
  g_assert_cmpint (frames, ==, tb_test_endpoint_get_position (f->ep));

  s = g_bytes_get_data (pcm, NULL);
  /* During the prompt: the bot on the right, the left quiet. */
  g_assert_cmpfloat (channel_rms_db (s, RATE / 10, n_samples (prompt) - RATE / 10, 1), >, -35);
  g_assert_cmpfloat (channel_rms_db (s, RATE / 10, n_samples (prompt) - RATE / 10, 0), <, -60);
  /* During the answer: the callee on the left, the right quiet. */
  g_assert_cmpfloat (channel_rms_db (s, at, at + n_samples (answer), 0), >, -35);
  g_assert_cmpfloat (channel_rms_db (s, at, at + n_samples (answer), 1), <, -60);
}

/* Recording stops on demand (the callee objects): the file ends there. */
static void
test_recording_stop (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "stopped.wav", NULL);
  g_autoptr(GBytes) pcm = NULL;
  g_autoptr(GError) error = NULL;
  guint channels;

  make_session (f, FALSE, 3 * RATE);
  tb_media_session_start_recording (f->session, path, &error);
  g_assert_no_error (error);
  tb_media_session_stop_recording (f->session);
  run_until_ended (f);
  pcm = tb_pcm_load_wav (path, RATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_samples (pcm), <, RATE);
  (void) channels;
}

static gint64
last_loud_sample (GBytes *pcm,
                  gint64  from)
{
  gsize len;
  const gint16 *s = g_bytes_get_data (pcm, &len);
  gint64 last = -1;

  len /= 2;
  for (gsize i = from; i + 80 <= len; i += 80)
    if (tb_pcm_rms_db (s + i, 80) > -45)
      last = i + 80;
  return last;
}

/* Callee speech during a barge-in prompt stops it within ~300 ms of audio. */
static void
test_barge_in (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) prompt = speak ("We deliver fresh flour and butter to your bakery at "
                                    "wholesale prices every single morning of the week.");
  g_autoptr(GBytes) interrupt = speak ("stop calling me");
  g_autoptr(GBytes) bot = NULL;
  gint64 at = RATE; /* one second into the prompt */
  gint64 first, last, stopped;

  g_assert_cmpint (n_samples (prompt), >, 3 * RATE);
  make_session (f, FALSE, n_samples (prompt) + 2 * RATE);
  tb_test_endpoint_say_at (f->ep, at, interrupt);
  tb_media_session_play_pcm (f->session, prompt, TB_PLAY_FLAGS_BARGE_IN);
  run_until_ended (f);

  g_assert_cmpuint (f->prompt_ends->len, ==, 1);
  g_assert_cmpint (g_array_index (f->prompt_ends, int, 0), ==, TB_PROMPT_END_BARGED_IN);
  speech_span (interrupt, &first, &last);
  bot = tb_test_endpoint_dup_bot (f->ep);
  stopped = last_loud_sample (bot, 0);
  g_test_message ("callee spoke at %" G_GINT64_FORMAT " ms, prompt stopped at %" G_GINT64_FORMAT
                  " ms", (at + first) / 8, stopped / 8);
  g_assert_cmpint (stopped, >, at + first);
  g_assert_cmpint (stopped - (at + first), <=, 300 * 8);
}

/* The same speech over a prompt that does not allow barge-in: the prompt plays to its end. */
static void
test_no_barge_in (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) prompt = speak ("We deliver fresh flour and butter to your bakery at "
                                    "wholesale prices every single morning of the week.");
  g_autoptr(GBytes) interrupt = speak ("stop calling me");
  g_autoptr(GBytes) bot = NULL;
  gint64 pf, pl, bf, bl;

  make_session (f, FALSE, n_samples (prompt) + 2 * RATE);
  tb_test_endpoint_say_at (f->ep, RATE, interrupt);
  tb_media_session_play_pcm (f->session, prompt, TB_PLAY_FLAGS_NONE);
  run_until_ended (f);

  g_assert_cmpuint (f->prompt_ends->len, ==, 1);
  g_assert_cmpint (g_array_index (f->prompt_ends, int, 0), ==, TB_PROMPT_END_COMPLETED);
  g_assert_cmpuint (f->utt_ends->len, ==, 1);
  bot = tb_test_endpoint_dup_bot (f->ep);
  speech_span (bot, &bf, &bl);
  speech_span (prompt, &pf, &pl);
  g_assert_cmpint (ABS ((bl - bf) - (pl - pf)), <, 160);
}

static GBytes *
sox_pcm (Fixture    *f,
         const char *name,
         const char *effects)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *cmd = g_strdup_printf ("sox -n -r 8000 -c 1 -b 16 -e signed '%s' %s",
                                          path, effects);
  g_autoptr(GError) error = NULL;
  int status;
  GBytes *pcm;

  g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  pcm = tb_pcm_load_wav (path, RATE, &error);
  g_assert_no_error (error);
  return pcm;
}

/* DTMF key presses in the callee's audio become "dtmf" signals. */
static void
test_dtmf (Fixture       *f,
           gconstpointer  data)
{
  static const struct { char d; int lo, hi; } keys[] = {
    { '1', 697, 1209 }, { '5', 770, 1336 }, { '9', 852, 1477 }, { '#', 941, 1477 },
  };
  gint64 at = RATE / 2;

  make_session (f, FALSE, 4 * RATE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++) {
    g_autofree char *name = g_strdup_printf ("dtmf-%u.wav", i);
    g_autofree char *fx = g_strdup_printf ("synth 0.1 sine %d sine %d remix 1,2 gain -8",
                                           keys[i].lo, keys[i].hi);
    g_autoptr(GBytes) tone = sox_pcm (f, name, fx);

    tb_test_endpoint_say_at (f->ep, at, tone);
    at += n_samples (tone) + RATE / 10;
  }
  run_until_ended (f);
  g_assert_cmpstr (f->dtmf->str, ==, "159#");
}

/* The barge-in policy: a backchannel ("uh-huh", shorter than the minimum) does not stop the
 * prompt; speech before after_ms of it does not either; a real interruption stops it, faded
 * out over 100 ms rather than cut. */
static void
test_barge_policy (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) prompt = speak ("We deliver fresh flour and butter to your bakery at "
                                    "wholesale prices every single morning of the week.");
  g_autoptr(GBytes) short_burst = sox_pcm (f, "uhhuh.wav", "synth 0.25 pinknoise gain -12");
  g_autoptr(GBytes) interrupt = speak ("wait, I have a question about that");
  g_autoptr(GBytes) bot = NULL;
  gint64 first, last, stopped, fade_start;
  const gint16 *b;
  gsize n;
  guint id;


  make_session (f, FALSE, n_samples (prompt) + 2 * RATE);
  /* Barge-in allowed after 1.5 s of the prompt and 500 ms of speech. Speech at 0.5 s (too
   * early), a 250 ms burst at 1.8 s (a backchannel), then the interruption at 3 s. */
  tb_test_endpoint_say_at (f->ep, RATE / 2, short_burst);
  tb_test_endpoint_say_at (f->ep, 18 * RATE / 10, short_burst);
  tb_test_endpoint_say_at (f->ep, 3 * RATE, interrupt);
  id = tb_media_session_play_pcm (f->session, prompt, TB_PLAY_FLAGS_BARGE_IN);
  tb_media_session_set_barge_in (f->session, id, 1500, 500);
  run_until_ended (f);

  g_assert_cmpuint (f->prompt_ends->len, ==, 1);
  g_assert_cmpint (g_array_index (f->prompt_ends, int, 0), ==, TB_PROMPT_END_BARGED_IN);
  /* The bursts were heard as utterances, and did not stop the prompt. */
  g_assert_cmpuint (f->utt_ends->len, >=, 2);
  speech_span (interrupt, &first, &last);
  bot = tb_test_endpoint_dup_bot (f->ep);
  stopped = last_loud_sample (bot, 0);
  g_test_message ("interrupted at %" G_GINT64_FORMAT " ms, prompt silent at %" G_GINT64_FORMAT
                  " ms", (3 * RATE + first) / 8, stopped / 8);
  g_assert_cmpint (stopped, >, 3 * RATE);
  /* Stopped by the interruption, once it lasted 500 ms (plus the endpointer's onset). */
  g_assert_cmpint (stopped, >=, 3 * RATE + first + 500 * 8);
  g_assert_cmpint (stopped, <=, 3 * RATE + first + 1000 * 8);
  /* Faded over 100 ms: where the bot stream stops, it carries the prompt at a falling gain —
   * the same samples as the prompt just before the fade, a fraction of them at its end. */
  {
    const gint16 *p = g_bytes_get_data (prompt, NULL);
    gint64 bf, bl, pf, pl, shift;
    double before_bot = 0, before_prompt = 0, end_bot = 0, end_prompt = 0;

    b = g_bytes_get_data (bot, &n);
    speech_span (bot, &bf, &bl);
    speech_span (prompt, &pf, &pl);
    shift = bf - pf;   /* where the prompt's first sample went out */
    fade_start = stopped - RATE / 10;
    for (gint64 i = fade_start - RATE / 20; i < fade_start; i++) {
      before_bot += ABS (b[i]);
      before_prompt += ABS (p[i - shift]);
    }
    for (gint64 i = stopped - RATE / 40; i < stopped; i++) {
      end_bot += ABS (b[i]);
      end_prompt += ABS (p[i - shift]);
    }
    g_test_message ("before the fade %.2f of the prompt's level, in its last 25 ms %.2f",
                    before_bot / before_prompt, end_bot / end_prompt);
    g_assert_cmpfloat (before_bot / before_prompt, >, 0.9);
    g_assert_cmpfloat (end_bot / end_prompt, <, 0.3);
  }
}

static void
run_amd (Fixture    *f,
         GBytes     *greeting,
         TbAmdResult expected)
{
  make_session (f, FALSE, 10 * RATE);
  tb_test_endpoint_say_at (f->ep, RATE / 2, greeting);
  /* The call session's window: room for a long greeting and its beep. */
  tb_media_session_detect_machine (f->session, 9000);
  run_until_ended (f);
  g_test_message ("amd: %s (%s)", tb_amd_result_to_string (f->amd), f->amd_reason);
  g_assert_cmpint (f->amd, ==, expected);
}

static void
test_amd_machine (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) g = speak ("Hi, you have reached the office of John Smith. I can not take "
                               "your call right now, please leave your name, your number and a "
                               "short message after the tone, and I will call you back.");

  run_amd (f, g, TB_AMD_RESULT_MACHINE);
}

static void
test_amd_beep (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) beep = sox_pcm (f, "beep.wav", "synth 0.4 sine 1000 gain -6");

  run_amd (f, beep, TB_AMD_RESULT_MACHINE);
}

static void
test_amd_human (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) g = speak ("Hello?");

  run_amd (f, g, TB_AMD_RESULT_HUMAN);
}

/* A file prompt (espeak-ng's 22 kHz WAV) is decoded off the main loop and played; a missing
 * file ends with an error and the next prompt still plays. */
static void
test_play_file (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "prompt.wav", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.ogg", NULL);
  g_autofree char *cmd = g_strdup_printf ("espeak-ng -w '%s' 'Good morning'", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bot = NULL;
  gint64 bf, bl;
  int status;

  g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  make_session (f, FALSE, 4 * RATE);
  tb_media_session_play_file (f->session, missing, TB_PLAY_FLAGS_NONE);
  tb_media_session_play_file (f->session, path, TB_PLAY_FLAGS_NONE);
  run_until_ended (f);
  g_assert_cmpuint (f->prompt_ends->len, ==, 2);
  g_assert_cmpint (g_array_index (f->prompt_ends, int, 0), ==, TB_PROMPT_END_ERROR);
  g_assert_cmpint (g_array_index (f->prompt_ends, int, 1), ==, TB_PROMPT_END_COMPLETED);
  bot = tb_test_endpoint_dup_bot (f->ep);
  speech_span (bot, &bf, &bl);
  g_assert_cmpint (bl - bf, >, RATE / 2);
}

/* A line bin that cannot start: start() fails with a reason naming the element. */
static void
test_start_error (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GstElement *src = gst_parse_bin_from_description (
    "filesrc location=/nonexistent/callee.wav ! wavparse", TRUE, &error);
  GstElement *sink = gst_parse_bin_from_description ("fakesink", TRUE, &error);

  g_assert_no_error (error);
  gst_object_ref_sink (src);
  gst_object_ref_sink (sink);
  f->session = tb_media_session_new (src, sink, FALSE);
  g_assert_false (tb_media_session_start (f->session, &error));
  g_assert_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_PIPELINE);
  g_assert_nonnull (strstr (error->message, "filesrc"));
  gst_object_unref (src);
  gst_object_unref (sink);
}

/* An error while streaming (here: a line element fails after 200 ms) ends the session:
 * "failed" with the reason, then "ended". */
static void
test_bus_error (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GstElement *src = gst_parse_bin_from_description (
    "audiotestsrc is-live=true samplesperbuffer=160 ! capsfilter caps=audio/x-raw,format=S16LE,"
    "rate=8000,channels=1 ! identity name=broken-line error-after=10", TRUE, &error);
  GstElement *sink;

  g_assert_no_error (error);
  sink = gst_parse_bin_from_description ("fakesink", TRUE, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (src);
  gst_object_ref_sink (sink);
  f->session = tb_media_session_new (src, sink, TRUE);
  g_signal_connect (f->session, "ended", G_CALLBACK (on_ended), f);
  g_signal_connect (f->session, "failed", G_CALLBACK (on_failed), f);
  run_until_ended (f);
  g_assert_error (f->failure, TB_MEDIA_ERROR, TB_MEDIA_ERROR_PIPELINE);
  g_assert_nonnull (strstr (f->failure->message, "broken-line"));
  g_assert_false (tb_media_session_is_running (f->session));
  gst_object_unref (src);
  gst_object_unref (sink);
}

static gboolean
stop_cb (gpointer data)
{
  Fixture *f = data;

  tb_media_session_stop (f->session);
  return G_SOURCE_REMOVE;
}

/* Take-over: the desk microphone (TELEBOT_AUDIOSRC) replaces the bot on the line;
 * listen-in: the call goes to the desk speakers (TELEBOT_AUDIOSINK). Real time. */
static void
test_take_over_listen_in (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *tap = g_build_filename (f->dir, "tap.raw", NULL);
  g_autofree char *sinkdesc = g_strdup_printf (
    "audioconvert ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! filesink location=%s", tap);
  g_autoptr(GBytes) answer = speak ("yes, tell me more");
  g_autoptr(GBytes) prompt = speak ("This prompt is interrupted by a person.");
  g_autoptr(GBytes) bot = NULL;
  g_autoptr(GBytes) heard = NULL;
  g_autoptr(GError) error = NULL;
  gint64 bf, bl;
  char *contents;
  gsize len;

  g_setenv ("TELEBOT_AUDIOSRC", "audiotestsrc wave=sine freq=440 volume=0.3 is-live=true", TRUE);
  g_setenv ("TELEBOT_AUDIOSINK", sinkdesc, TRUE);
  make_session (f, TRUE, 0);
  tb_test_endpoint_say_at (f->ep, RATE / 5, answer);
  tb_media_session_play_pcm (f->session, prompt, TB_PLAY_FLAGS_NONE);
  tb_media_session_start (f->session, &error);
  g_assert_no_error (error);
  tb_media_session_set_listen_in (f->session, TRUE, &error);
  g_assert_no_error (error);
  tb_media_session_set_take_over (f->session, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (tb_media_session_get_take_over (f->session));
  g_timeout_add (2500, stop_cb, f);
  run_until_ended (f);

  /* The prompt was cut by the take-over; the line then carried the microphone's tone. */
  g_assert_cmpuint (f->prompt_ends->len, ==, 1);
  g_assert_cmpint (g_array_index (f->prompt_ends, int, 0), ==, TB_PROMPT_END_STOPPED);
  bot = tb_test_endpoint_dup_bot (f->ep);
  speech_span (bot, &bf, &bl);
  g_test_message ("line got %" G_GSIZE_FORMAT " samples, %.1f dBFS; tone %" G_GINT64_FORMAT
                  "–%" G_GINT64_FORMAT, g_bytes_get_size (bot) / 2,
                  tb_pcm_rms_db (g_bytes_get_data (bot, NULL), g_bytes_get_size (bot) / 2),
                  bf, bl);
  g_assert_cmpint (bf, >=, 0);
  g_assert_cmpint (bl - bf, >, RATE);
  /* The desk speakers heard the callee. */
  g_file_get_contents (tap, &contents, &len, &error);
  g_assert_no_error (error);
  heard = g_bytes_new_take (contents, len);
  speech_span (heard, &bf, &bl);
  g_assert_cmpint (bl - bf, >, RATE / 2);
  g_unsetenv ("TELEBOT_AUDIOSRC");
  g_unsetenv ("TELEBOT_AUDIOSINK");
}

/* No prompt and no speech after listen(): "no-input" fires after the timeout in audio time. */
static void
on_no_input (TbMediaSession *s,
             Fixture        *f)
{
  gint64 *at = g_object_get_data (G_OBJECT (s), "no-input-at");

  *at = tb_media_session_get_position_us (s);
}

static void
test_no_input (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) prompt = speak ("Would you like to hear more?");
  gint64 at = -1;

  make_session (f, FALSE, n_samples (prompt) + 4 * RATE);
  g_object_set_data (G_OBJECT (f->session), "no-input-at", &at);
  g_signal_connect (f->session, "no-input", G_CALLBACK (on_no_input), f);
  tb_media_session_play_pcm (f->session, prompt, TB_PLAY_FLAGS_BARGE_IN);
  tb_media_session_listen (f->session, 2000);
  run_until_ended (f);
  /* Counted from the prompt's end, not from the call to listen(). */
  g_assert_cmpint (at, >=, n_samples (prompt) * 125 + 2000000 - 40000);
  g_assert_cmpint (at, <=, n_samples (prompt) * 125 + 2000000 + 100000);
}

typedef struct {
  Fixture *f;
  GBytes *reply;
  gint64 end;
  gint64 latency;
} HoldData;

static gboolean
answer_late_cb (gpointer data)
{
  HoldData *h = data;

  tb_media_session_play_pcm (h->f->session, h->reply, TB_PLAY_FLAGS_NONE);
  tb_media_session_release (h->f->session);
  return G_SOURCE_REMOVE;
}

static void
on_hold_utterance (TbMediaSession *s,
                   GBytes         *pcm,
                   gint64          start,
                   gint64          end,
                   HoldData       *h)
{
  h->end = end;
  /* Think for 300 ms of wall time: a lockstep call would run seconds of audio meanwhile. */
  g_timeout_add (300, answer_late_cb, h);
}

static void
on_hold_prompt (TbMediaSession *s,
                guint           id,
                gint64          at,
                HoldData       *h)
{
  h->latency = at - h->end;
}

static void
on_hold_prompt_finished (TbMediaSession *s,
                         guint           id,
                         TbPromptEnd     how,
                         HoldData       *h)
{
  tb_media_session_release (s);
}

/* Lockstep holds: the time the utterance's handler takes costs no audio time. */
static void
test_hold (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GBytes) answer = speak ("call me later");
  g_autoptr(GBytes) reply = speak ("Okay.");
  HoldData h = { f, reply, -1, -1 };

  make_session (f, FALSE, 60 * RATE);
  tb_media_session_set_lockstep_holds (f->session, TRUE);
  g_signal_connect (f->session, "utterance-ended", G_CALLBACK (on_hold_utterance), &h);
  g_signal_connect (f->session, "prompt-started", G_CALLBACK (on_hold_prompt), &h);
  g_signal_connect (f->session, "prompt-finished", G_CALLBACK (on_hold_prompt_finished), &h);
  tb_test_endpoint_say_at (f->ep, RATE / 2, answer);
  run_until_ended (f);
  g_test_message ("latency in audio time %" G_GINT64_FORMAT " ms", h.latency / 1000);
  g_assert_cmpint (h.latency, >, 0);
  g_assert_cmpint (h.latency, <, (tb_media_session_get_hangover_ms (f->session) + 100) * 1000);
}

typedef struct {
  Fixture *f;
  GBytes *second;
  guint first_id;
  gint64 first_end;    /* audio time, µs */
  gint64 second_start;
} GapData;

static gboolean
play_second_late_cb (gpointer data)
{
  GapData *g = data;

  tb_media_session_play_pcm (g->f->session, g->second, TB_PLAY_FLAGS_NONE);
  tb_media_session_release (g->f->session);
  return G_SOURCE_REMOVE;
}

static void
on_gap_finished (TbMediaSession *s,
                 guint           id,
                 TbPromptEnd     how,
                 GapData        *g)
{
  if (id != g->first_id) {
    tb_media_session_release (s);
    return;
  }
  g->first_end = tb_media_session_get_position_us (s);
  /* Decide for 300 ms of wall time, as a loaded machine rendering the next prompt would. */
  g_timeout_add (300, play_second_late_cb, g);
}

static void
on_gap_started (TbMediaSession *s,
                guint           id,
                gint64          at,
                GapData        *g)
{
  if (id != g->first_id)
    g->second_start = at;
}

/* Lockstep holds: between two prompts, the time the handler of the first one's end takes
 * is no silence on the line (a simulated callee would take it as its turn). */
static void
test_hold_between_prompts (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GBytes) first = speak ("Hello, this is an automated call.");
  g_autoptr(GBytes) second = speak ("Would you like to hear more?");
  GapData g = { f, second, 0, -1, -1 };

  make_session (f, FALSE, 20 * RATE);
  tb_media_session_set_lockstep_holds (f->session, TRUE);
  g_signal_connect (f->session, "prompt-finished", G_CALLBACK (on_gap_finished), &g);
  g_signal_connect (f->session, "prompt-started", G_CALLBACK (on_gap_started), &g);
  g.first_id = tb_media_session_play_pcm (f->session, first, TB_PLAY_FLAGS_NONE);
  run_until_ended (f);
  g_test_message ("gap between the prompts in audio time: %" G_GINT64_FORMAT " ms",
                  (g.second_start - g.first_end) / 1000);
  g_assert_cmpint (g.second_start, >=, 0);
  g_assert_cmpint (g.second_start - g.first_end, <, 60 * 1000);
}

/* A recording a kill cut short: its header says less than the file holds (written before the
 * last samples), or nothing; finalizing makes it say all of it, in whole frames. */
static void
test_finalize_wav (void)
{
  g_autofree char *dir = g_dir_make_tmp ("telebot-wav-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cut.wav", NULL);
  gint16 frames[400] = { 0 };
  g_autoptr(GBytes) wav = tb_pcm_wav_bytes (frames, 200, 2, 8000);   /* 800 data bytes */
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *bytes = g_memdup2 (g_bytes_get_data (wav, NULL), g_bytes_get_size (wav) + 3);
  g_autofree char *back = NULL;
  gsize size = g_bytes_get_size (wav) + 3;   /* half a frame more: a write the kill cut */
  gsize len, data = 0;

  /* The header says 400 bytes (an earlier update); the file holds 803. */
  bytes[40] = 400 & 0xff;
  bytes[41] = 400 >> 8;
  bytes[42] = bytes[43] = 0;
  g_assert_true (g_file_set_contents (path, (const char *) bytes, size, &error));
  g_assert_true (tb_pcm_finalize_wav (path, &data, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (data, ==, 800);
  g_assert_true (g_file_get_contents (path, &back, &len, &error));
  g_assert_cmpuint (len, ==, 44 + 800);
  g_assert_cmpuint ((guint8) back[40] | ((guint8) back[41] << 8), ==, 800);
  /* Finalized already: left as it is. */
  g_assert_true (tb_pcm_finalize_wav (path, &data, &error));
  g_assert_cmpuint (data, ==, 800);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add ("/telebot/media/" path, Fixture, NULL, fixture_set_up, fn, \
                                  fixture_tear_down)
  g_test_add_func ("/telebot/media/wav/finalize-cut", test_finalize_wav);
  ADD ("session/prompt-then-utterance", test_prompt_then_utterance);
  ADD ("session/recording", test_recording);
  ADD ("session/recording-stop", test_recording_stop);
  ADD ("session/barge-in", test_barge_in);
  ADD ("session/no-barge-in", test_no_barge_in);
  ADD ("session/barge-in-policy", test_barge_policy);
  ADD ("session/dtmf", test_dtmf);
  ADD ("session/amd-machine", test_amd_machine);
  ADD ("session/amd-beep", test_amd_beep);
  ADD ("session/amd-human", test_amd_human);
  ADD ("session/play-file", test_play_file);
  ADD ("session/start-error", test_start_error);
  ADD ("session/bus-error", test_bus_error);
  ADD ("session/no-input", test_no_input);
  ADD ("session/hold", test_hold);
  ADD ("session/hold-between-prompts", test_hold_between_prompts);
  ADD ("session/take-over-listen-in", test_take_over_listen_in);
  return g_test_run ();
}
