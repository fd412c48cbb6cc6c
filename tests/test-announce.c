/* test-announce.c — a carrier's announcement recognised: special information tones, and the
 * shipped recordings said again through a telephone channel; people and voicemail never.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-announce"

#include "config.h"

#include <math.h>

#include "tb-announcement-library.h"
#include "tb-announcement.h"
#include "tb-pcm.h"
#include "tb-sit.h"

#define RATE 8000
/* The call session's window (tb-call-session.c). */
#define WINDOW_MS 12000

static char *tmp_dir;
static GPtrArray *prints;     /* the shipped library */
static GPtrArray *entries;

/* Signal building: tones, silence, noise, gain, μ-law. */

static void
add_tone (GArray *pcm,
          double  hz,
          int     ms,
          double  amplitude)
{
  for (int i = 0; i < RATE * ms / 1000; i++) {
    gint16 s = (gint16) (amplitude * sin (2 * G_PI * hz * i / RATE));

    g_array_append_val (pcm, s);
  }
}

static void
add_silence (GArray *pcm,
             int     ms)
{
  gint16 zero = 0;

  for (int i = 0; i < RATE * ms / 1000; i++)
    g_array_append_val (pcm, zero);
}

/* Scales by @gain_db, adds white noise @snr_db under the loud part, then μ-law. */
static void
degrade (GArray *pcm,
         double  gain_db,
         double  snr_db)
{
  GRand *rand = g_rand_new_with_seed (17);
  double energy = 0, amp;
  gsize loud = 0;

  for (guint i = 0; i < pcm->len; i++) {
    gint16 s = g_array_index (pcm, gint16, i);

    if (ABS (s) > 100) {
      energy += (double) s * s;
      loud++;
    }
  }
  amp = loud > 0 ? sqrt (energy / loud) * pow (10, -snr_db / 20) * sqrt (3) : 0;
  for (guint i = 0; i < pcm->len; i++) {
    double x = g_array_index (pcm, gint16, i) * pow (10, gain_db / 20) +
               g_rand_double_range (rand, -amp, amp) * pow (10, gain_db / 20);

    g_array_index (pcm, gint16, i) = tb_pcm_ulaw_round_trip ((gint16) CLAMP (x, -32768, 32767));
  }
  g_rand_free (rand);
}

static const struct {
  const char *code;
  double hz1;
  int ms1;
  double hz2;
  int ms2;
  const char *outcome;
} sits[] = {
  { "IC", 913.8, 274, 1370.6, 274, "vacant" },
  { "VC", 985.2, 380, 1370.6, 274, "vacant" },
  { "RO", 913.8, 274, 1428.5, 380, "unreachable" },
  { "RO'", 985.2, 274, 1370.6, 380, "unreachable" },
  { "NC", 985.2, 380, 1428.5, 380, "unreachable" },
  { "NC'", 913.8, 380, 1370.6, 380, "unreachable" },
  { "IO", 913.8, 380, 1428.5, 274, "unreachable" },
};

static GArray *
make_sit (guint i,
          int   lead_ms)
{
  GArray *pcm = g_array_new (FALSE, FALSE, sizeof (gint16));

  add_silence (pcm, lead_ms);
  add_tone (pcm, sits[i].hz1, sits[i].ms1, 3000);
  add_tone (pcm, sits[i].hz2, sits[i].ms2, 3000);
  add_tone (pcm, 1776.7, 380, 3000);
  add_silence (pcm, 500);
  return pcm;
}

static TbSit *
run_sit (GArray *pcm)
{
  TbSit *sit = tb_sit_new ();

  tb_sit_process (sit, (const gint16 *) pcm->data, pcm->len);
  return sit;
}

static void
test_sit_sequences (void)
{
  static const struct { double gain_db, snr_db; } channels[] = {
    { 0, 60 }, { -6, 20 }, { -20, 20 }, { 6, 15 }, { -12, 10 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sits); i++)
    for (guint c = 0; c < G_N_ELEMENTS (channels); c++) {
      g_autoptr(GArray) pcm = make_sit (i, 700);
      g_autoptr(TbSit) sit = NULL;

      degrade (pcm, channels[c].gain_db, channels[c].snr_db);
      sit = run_sit (pcm);
      g_test_message ("%s at %+.0f dB, noise %.0f dB under: %s", sits[i].code,
                      channels[c].gain_db, channels[c].snr_db,
                      tb_sit_get_detected (sit) ? tb_sit_get_code (sit) : "not heard");
      g_assert_true (tb_sit_get_detected (sit));
      g_assert_cmpstr (tb_sit_get_code (sit), ==, sits[i].code);
      g_assert_cmpstr (tb_sit_get_outcome (sit), ==, sits[i].outcome);
      /* Recognised 200 ms into the third tone, not at the end of the audio. */
      g_assert_cmpuint (tb_sit_get_detected_ms (sit), >=, 700 + sits[i].ms1 + sits[i].ms2 + 150);
      g_assert_cmpuint (tb_sit_get_detected_ms (sit), <=, 700 + sits[i].ms1 + sits[i].ms2 + 300);
    }
}

static void
test_sit_not_tones (void)
{
  g_autoptr(GArray) beep = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_autoptr(GArray) ringback = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_autoptr(GArray) falling = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_autoptr(GArray) chirps = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_autoptr(GArray) long_tones = g_array_new (FALSE, FALSE, sizeof (gint16));
  GArray *cases[] = { beep, ringback, falling, chirps, long_tones };
  const char *names[] = { "voicemail beep", "ringback", "falling tones", "short chirps",
                          "1 s tones" };

  /* A voicemail beep at 1000 Hz (near 985.2 Hz) and nothing after it. */
  add_silence (beep, 300);
  add_tone (beep, 1000, 400, 8000);
  add_silence (beep, 1000);
  /* North American ringback: 440 + 480 Hz. */
  for (int i = 0; i < RATE * 2; i++) {
    gint16 s = (gint16) (2000 * sin (2 * G_PI * 440 * i / RATE) +
                         2000 * sin (2 * G_PI * 480 * i / RATE));

    g_array_append_val (ringback, s);
  }
  /* The right tones in the wrong order. */
  add_tone (falling, 1776.7, 380, 3000);
  add_tone (falling, 1370.6, 274, 3000);
  add_tone (falling, 913.8, 274, 3000);
  add_silence (falling, 500);
  /* The right order, each far too short. */
  add_tone (chirps, 913.8, 100, 3000);
  add_tone (chirps, 1370.6, 100, 3000);
  add_tone (chirps, 1776.7, 380, 3000);
  add_silence (chirps, 500);
  /* The right order, each far too long. */
  add_tone (long_tones, 913.8, 1000, 3000);
  add_tone (long_tones, 1370.6, 1000, 3000);
  add_tone (long_tones, 1776.7, 1000, 3000);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(TbSit) sit = run_sit (cases[i]);

    g_test_message ("%s: %s", names[i], tb_sit_get_detected (sit) ? tb_sit_get_code (sit)
                                                                    : "no SIT");
    g_assert_false (tb_sit_get_detected (sit));
  }
}

/* The special information tone ends a call at once, before any announcement print. */
static void
test_sit_in_detector (void)
{
  g_autoptr(GArray) pcm = make_sit (0, 400);
  g_autoptr(TbAnnouncementDetector) det = tb_announcement_detector_new (prints, WINDOW_MS);

  degrade (pcm, -6, 20);
  g_assert_true (tb_announcement_detector_process (det, (const gint16 *) pcm->data, pcm->len));
  g_assert_cmpstr (tb_announcement_detector_get_outcome (det), ==, "vacant");
  g_assert_cmpstr (tb_announcement_detector_get_match (det), ==, "sit:IC");
  g_assert_cmpuint (tb_announcement_detector_get_decided_ms (det), <, 1300);
}

/* @text said by espeak-ng @voice (with @options) through the telephone channel, 8 kHz. */
static GBytes *
channel (const char         *voice,
         const char         *text,
         const char * const *options)
{
  static guint serial;
  g_autofree char *name = g_strdup_printf ("say-%u.wav", ++serial);
  g_autofree char *out = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *script = g_build_filename (g_getenv ("TELEBOT_SOURCE_DIR"), "tests",
                                              "announce-channel.sh", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GBytes *pcm;
  int status;

  g_ptr_array_add (argv, (gpointer) "sh");
  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, out);
  g_ptr_array_add (argv, (gpointer) voice);
  g_ptr_array_add (argv, (gpointer) text);
  g_ptr_array_add (argv, (gpointer) "20");
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) options[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL,
                               NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  pcm = tb_pcm_load_wav (out, RATE, &error);
  g_assert_no_error (error);
  return pcm;
}

/* Runs a detector with the whole library over @pcm; returns what it recognised (NULL: none)
 * and, in @match, which print. */
static const char *
detect (GBytes  *pcm,
        char   **match,
        char   **reason)
{
  g_autoptr(TbAnnouncementDetector) det = tb_announcement_detector_new (prints, WINDOW_MS);
  gsize n = g_bytes_get_size (pcm) / sizeof (gint16);
  const char *outcome;

  tb_announcement_detector_process (det, g_bytes_get_data (pcm, NULL), n);
  outcome = tb_announcement_detector_get_outcome (det);
  *match = g_strdup (tb_announcement_detector_get_match (det));
  *reason = g_strdup (tb_announcement_detector_get_reason (det));
  return outcome;
}

/* Every print's distance to @pcm, as a line of the report. */
static char *
distances (GBytes *pcm)
{
  GString *line = g_string_new (NULL);

  for (guint i = 0; i < prints->len; i++)
    g_string_append_printf (line, " %s %.2f",
                            tb_announcement_print_get_id (g_ptr_array_index (prints, i)),
                            tb_announcement_print_distance (
                              g_ptr_array_index (prints, i), g_bytes_get_data (pcm, NULL),
                              g_bytes_get_size (pcm) / sizeof (gint16)));
  return g_string_free (line, FALSE);
}

static void
test_shipped_through_channel (void)
{
  guint tested = 0;

  for (guint i = 0; i < entries->len; i++) {
    const TbAnnouncementEntry *e = g_ptr_array_index (entries, i);
    g_autoptr(GBytes) pcm = NULL;
    g_autofree char *match = NULL, *reason = NULL, *all = NULL;
    const char *outcome;

    if (e->text == NULL)
      continue;
    pcm = channel (e->voice, e->text, NULL);
    outcome = detect (pcm, &match, &reason);
    all = distances (pcm);
    g_test_message ("%s: %s — %s;%s", e->id, outcome ? outcome : "nothing", reason, all);
    g_assert_cmpstr (outcome, ==, e->outcome);
    g_assert_cmpstr (match, ==, e->id);
    tested++;
  }
  g_assert_cmpuint (tested, >=, 8);
}

static void
test_people_never (void)
{
  static const struct { const char *voice, *text; } people[] = {
    { "cmn", "喂？" },
    { "en-us", "Hello?" },
    { "cmn", "您好，哪位？" },
    { "cmn", "喂？喂？你哪位？" },
    { "en-us", "hello? who is this?" },
    { "en-us", "yes, tell me more" },
    { "cmn", "我现在开车呢，你晚点再打过来" },
    { "cmn", "可以啊，你说说看" },
    /* Voicemail greetings, the simulated line's and others: never a carrier's. */
    { "en-us", "Hi, you have reached Alex. Please leave a message after the tone." },
    { "cmn", "您好，您拨打的用户暂时无法接听，请在提示音后留言。" },
    { "en-us", "The person you are calling is not available. Please leave your message "
               "after the tone." },
    { "cmn", "您好，我现在不方便接听电话，请留言。" },
  };
  const char *en_variants[] = { "-s", "140", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (people); i++) {
    g_autoptr(GBytes) pcm = channel (people[i].voice, people[i].text, NULL);
    g_autoptr(GBytes) slow = channel (people[i].voice, people[i].text, en_variants);
    g_autofree char *match = NULL, *reason = NULL, *match2 = NULL, *reason2 = NULL;
    g_autofree char *all = distances (pcm);
    const char *outcome = detect (pcm, &match, &reason);
    const char *outcome2 = detect (slow, &match2, &reason2);

    g_test_message ("“%s”: %s;%s", people[i].text, reason, all);
    g_assert_null (outcome);
    g_assert_null (outcome2);
  }
}

/* The stretch goal, reported, not required: the same words in another voice. The same voice
 * faster, slower or higher must still match. */
static void
test_other_voices (void)
{
  static const struct { const char *variant; const char *options[3]; gboolean must; } voices[] = {
    { "", { "-s", "200", NULL }, TRUE },
    { "", { "-p", "30", NULL }, TRUE },
    { "+f3", { NULL }, FALSE },
    { "+m3", { NULL }, FALSE },
  };
  guint matched = 0, tried = 0;

  for (guint i = 0; i < entries->len; i++) {
    const TbAnnouncementEntry *e = g_ptr_array_index (entries, i);

    if (e->text == NULL)
      continue;
    for (guint v = 0; v < G_N_ELEMENTS (voices); v++) {
      g_autofree char *voice = g_strconcat (e->voice, voices[v].variant, NULL);
      g_autoptr(GBytes) pcm = channel (voice, e->text, voices[v].options);
      g_autofree char *match = NULL, *reason = NULL;
      const char *outcome = detect (pcm, &match, &reason);
      gboolean ok = g_strcmp0 (outcome, e->outcome) == 0;

      g_test_message ("%s as %s %s: %s", e->id, voice,
                      voices[v].options[0] ? voices[v].options[0] : "",
                      ok ? reason : "not recognised");
      if (voices[v].must) {
        g_assert_cmpstr (outcome, ==, e->outcome);
      } else {
        tried++;
        matched += ok;
        /* Another voice may go unrecognised, never recognised as something else. */
        g_assert_true (outcome == NULL || ok);
      }
    }
  }
  g_test_message ("another espeak-ng voice: %u of %u recognised", matched, tried);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("announce-XXXXXX", NULL);
  entries = tb_announcement_library_list (NULL, &error);
  g_assert_no_error (error);
  prints = tb_announcement_library_load (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prints->len, ==, entries->len);

  g_test_add_func ("/telebot/media/sit/sequences", test_sit_sequences);
  g_test_add_func ("/telebot/media/sit/not-tones", test_sit_not_tones);
  g_test_add_func ("/telebot/media/announcement/sit-first", test_sit_in_detector);
  g_test_add_func ("/telebot/media/announcement/shipped-through-channel",
                   test_shipped_through_channel);
  g_test_add_func ("/telebot/media/announcement/people-never", test_people_never);
  g_test_add_func ("/telebot/media/announcement/other-voices", test_other_voices);
  rc = g_test_run ();
  {
    const char *rm[] = { "rm", "-rf", tmp_dir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                  NULL);
  }
  g_ptr_array_unref (prints);
  g_ptr_array_unref (entries);
  g_free (tmp_dir);
  return rc;
}
