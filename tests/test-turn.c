/* test-turn.c — the end of the callee's turn, and the answer after it, in audio time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A lockstep media session on a test endpoint hears espeak-ng speech; a TbTurnTaker decides
 * when each turn is over with pocketsphinx (as a call does) and the test answers at once. Every
 * time below is the call's audio clock, never the wall clock: lockstep holds stop audio time
 * while the recognizer works, so the figures are the same on a loaded machine.
 */
#include "config.h"

#include <gst/gst.h>
#include <string.h>

#include "tb-espeak.h"
#include "tb-media-session.h"
#include "tb-pcm.h"
#include "tb-pocketsphinx.h"
#include "tb-test-endpoint.h"
#include "tb-turn-taker.h"

#define RATE 8000
#define MS(us) ((us) / 1000)

static const char * const phrases[] = {
  "yes", "yes please", "no", "no thank you", "i am busy", "call me later", "who is this",
  "stop calling", NULL
};

typedef struct {
  TbTestEndpoint *ep;
  TbMediaSession *session;
  TbTurnTaker *turns;
  GMainLoop *loop;
  GBytes *reply;
  gboolean ended;
  /* what happened, µs of call audio */
  GPtrArray *texts;          /* one per turn */
  GArray *decided;           /* where audio time stood when each turn was handed over */
  GArray *turn_ends;         /* each turn's speech end (the endpointer's) */
  GArray *first_frames;      /* where each answer's first sample left for the line */
  guint prompts_done;
  guint pauses;              /* "utterance-paused": the words so far were judged */
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

/* @a, @gap_ms of silence, @b. */
static GBytes *
join (GBytes *a,
      guint   gap_ms,
      GBytes *b)
{
  gsize gap = (gsize) gap_ms * RATE / 1000 * 2;
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  g_byte_array_set_size (out, out->len + gap);
  memset (out->data + out->len - gap, 0, gap);
  g_byte_array_append (out, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  return g_byte_array_free_to_bytes (out);
}

/* µs of the after-last 10 ms step louder than -40 dBFS, the endpointer's own threshold. */
static gint64
speech_end_us (GBytes *pcm)
{
  gsize len;
  const gint16 *s = g_bytes_get_data (pcm, &len);
  gint64 last = 0;

  len /= 2;
  for (gsize i = 0; i + 80 <= len; i += 80)
    if (tb_pcm_rms_db (s + i, 80) > -40)
      last = i + 80;
  return last * G_USEC_PER_SEC / RATE;
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
           gint64         start_us,
           gint64         end_us,
           gpointer       data)
{
  Fixture *f = data;
  gint64 now = tb_media_session_get_position_us (f->session);

  g_assert_no_error (error);
  g_ptr_array_add (f->texts, g_strdup (rec->text));
  g_array_append_val (f->decided, now);
  g_array_append_val (f->turn_ends, end_us);
  /* The answer is in memory: queued the moment the turn is decided (as a call's prepared
   * answers are), then audio time goes on. */
  tb_media_session_play_pcm (f->session, f->reply, TB_PLAY_FLAGS_NONE);
  tb_media_session_release (f->session);
  tb_recognition_free (rec);
}

static void
on_prompt_started (TbMediaSession *s,
                   guint           id,
                   gint64          at,
                   Fixture        *f)
{
  g_array_append_val (f->first_frames, at);
}

static void
on_prompt_finished (TbMediaSession *s,
                    guint           id,
                    TbPromptEnd     how,
                    Fixture        *f)
{
  f->prompts_done++;
  tb_media_session_release (s);
}

static void
on_paused (TbMediaSession *s,
           GBytes         *pcm,
           gint64          start,
           gint64          end,
           Fixture        *f)
{
  f->pauses++;
}

static void
on_ended (TbMediaSession *s,
          const GError   *error,
          Fixture        *f)
{
  f->ended = TRUE;
  g_main_loop_quit (f->loop);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("test timed out");
  return G_SOURCE_REMOVE;
}

/* Says @pcm at 0.5 s into a lockstep call of 4 s, the turn-taker listening with the script
 * format's default silences (350 ms, 180 ms after a whole phrase). */
static void
run_call (Fixture *f,
          GBytes  *pcm)
{
  g_autoptr(GError) error = NULL;
  guint id;

  f->loop = g_main_loop_new (NULL, FALSE);
  f->reply = speak ("Okay.");
  f->texts = g_ptr_array_new_with_free_func (g_free);
  f->decided = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->turn_ends = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->first_frames = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->ep = tb_test_endpoint_new (FALSE, 4 * RATE);
  f->session = tb_media_session_new (tb_test_endpoint_get_source (f->ep),
                                     tb_test_endpoint_get_sink (f->ep), FALSE);
  tb_media_session_set_lockstep_holds (f->session, TRUE);
  g_signal_connect (f->session, "ended", G_CALLBACK (on_ended), f);
  g_signal_connect (f->session, "prompt-started", G_CALLBACK (on_prompt_started), f);
  g_signal_connect (f->session, "prompt-finished", G_CALLBACK (on_prompt_finished), f);
  g_signal_connect (f->session, "utterance-paused", G_CALLBACK (on_paused), f);
  {
    g_autoptr(TbPocketsphinx) ps = tb_pocketsphinx_new ();

    f->turns = tb_turn_taker_new (f->session, TB_RECOGNIZER (ps), turn_phrases, take_turn, f);
  }
  tb_turn_taker_set_end_silence (f->turns, 350, 180);
  tb_test_endpoint_say_at (f->ep, RATE / 2, pcm);

  id = g_timeout_add_seconds (60, timeout_cb, NULL);
  tb_media_session_start (f->session, &error);
  g_assert_no_error (error);
  g_main_loop_run (f->loop);
  g_source_remove (id);
  g_assert_true (f->ended);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tb_turn_taker_close (f->turns);
  g_assert_finalize_object (f->turns);
  g_assert_finalize_object (f->session);
  tb_test_endpoint_free (f->ep);
  g_main_loop_unref (f->loop);
  g_bytes_unref (f->reply);
  g_ptr_array_unref (f->texts);
  g_array_unref (f->decided);
  g_array_unref (f->turn_ends);
  g_array_unref (f->first_frames);
}

static gint64
waited (Fixture *f,
        guint    turn,
        GBytes  *said)
{
  gint64 audio_end = G_USEC_PER_SEC / 2 + speech_end_us (said);   /* said at 0.5 s */
  gint64 w = g_array_index (f->decided, gint64, turn) - audio_end;

  g_test_message ("turn %u “%s”: decided %" G_GINT64_FORMAT " ms after the speech ended",
                  turn, (char *) g_ptr_array_index (f->texts, turn), MS (w));
  return w;
}

/* "I am busy": a whole phrase of the grammar; 180 ms of silence end the turn. */
static void
test_complete_phrase_ends_early (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GBytes) said = speak ("I am busy");
  gint64 w;

  run_call (f, said);
  g_assert_cmpuint (f->texts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->texts, 0), ==, "i am busy");
  w = waited (f, 0, said);
  /* 180 ms of silence, give or take the 20 ms frame the endpointer sees it in. */
  g_assert_cmpint (w, >=, 170 * 1000);
  g_assert_cmpint (w, <, 230 * 1000);
}

/* "I am": not a phrase of the grammar; the turn waits the full 350 ms. */
static void
test_incomplete_phrase_waits (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GBytes) said = speak ("I am");
  gint64 w;

  run_call (f, said);
  g_assert_cmpuint (f->texts->len, ==, 1);
  w = waited (f, 0, said);
  g_assert_cmpint (w, >=, 340 * 1000);
  g_assert_cmpint (w, <, 400 * 1000);
}

/* "I am… busy" with a 280 ms pause: the pause does not end the turn (the words so far are no
 * phrase), the whole answer is one turn, and it ends early after "busy". */
static void
test_pause_midway_waits (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) head = speak ("I am");
  g_autoptr(GBytes) tail = speak ("busy");
  g_autoptr(GBytes) said = join (head, 280, tail);
  gint64 w;

  run_call (f, said);
  /* Judged at the pause after "I am" (and found wanting), then after "busy". */
  g_assert_cmpuint (f->pauses, ==, 2);
  g_assert_cmpuint (f->texts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->texts, 0), ==, "i am busy");
  w = waited (f, 0, said);
  g_assert_cmpint (w, >=, 170 * 1000);
  g_assert_cmpint (w, <, 230 * 1000);
}

/* The answer's first frame goes out within one 20 ms frame of the decision. */
static void
test_answer_within_a_frame (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) said = speak ("call me later");
  gint64 gap;

  run_call (f, said);
  g_assert_cmpuint (f->first_frames->len, ==, 1);
  g_assert_cmpuint (f->prompts_done, ==, 1);
  gap = g_array_index (f->first_frames, gint64, 0) - g_array_index (f->decided, gint64, 0);
  g_test_message ("first answer frame %" G_GINT64_FORMAT " ms after the decision", MS (gap));
  g_assert_cmpint (gap, >=, 0);
  g_assert_cmpint (gap, <=, 20 * 1000);
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add ("/telebot/turn/" path, Fixture, NULL, NULL, fn, \
                                  fixture_tear_down)
  ADD ("complete-phrase-ends-early", test_complete_phrase_ends_early);
  ADD ("incomplete-phrase-waits", test_incomplete_phrase_waits);
  ADD ("pause-midway-waits", test_pause_midway_waits);
  ADD ("answer-within-a-frame", test_answer_within_a_frame);
  return g_test_run ();
}
