/* tb-amd.c — answering-machine detection from the first seconds of callee audio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person answers with a short "hello?" and waits; a machine talks on for seconds, then
 * beeps. Hanging up on a person loses a lead, so doubt is a person:
 *
 *   - a steady tone (a beep, special information tones) is a machine;
 *   - a speech run (pauses shorter than GAP_MS merged) longer than LONG_MS is a machine: nobody
 *     answers the phone with that much talk; so is TALK_MS of speech in all, pauses aside (a
 *     carrier's announcement in two languages, repeated);
 *   - a run shorter than SHORT_MS followed by SILENCE_MS of quiet is a person waiting;
 *   - a longer run ("Good afternoon, Smith and Sons, Dave speaking, how can I help?") followed
 *     by WAIT_MS of quiet with no beep is a person too — a machine would have beeped;
 *   - nothing decisive in the window is "unknown", which callers treat as a person.
 *
 * Speech is told from steady background noise by a noise floor that follows the quietest
 * frames of the last FLOOR_MS: noise sits at the floor, speech rises well above it. All in
 * audio time (the line's clocked stream).
 */
#define G_LOG_DOMAIN "tb-amd"

#include "config.h"

#include "tb-amd.h"
#include "tb-pcm.h"

#include <math.h>

#define STEP 160                /* 20 ms analysis frames */
#define STEP_MS 20
#define GAP_MS 700              /* pauses inside one greeting */
#define SHORT_MS 3000           /* a greeting a person gives */
#define LONG_MS 5500            /* longer uninterrupted speech is a recording */
#define SILENCE_MS 900          /* quiet after a short greeting: a person waiting */
#define WAIT_MS 2500            /* quiet after a long greeting with no beep: a person waiting */
#define TALK_MS 5000            /* speech in all (pauses aside) no person answers with */
#define FLOOR_MS 3000           /* the noise floor is the quietest frame of this long */
#define FLOOR_FRAMES (FLOOR_MS / STEP_MS)
#define SPEECH_ABOVE_DB 10      /* speech stands this far above the floor */
#define SPEECH_MIN_DB -40.0     /* and above this (comfort noise, hiss stay below) */
#define BEEP_MS 260             /* a tone this long is a beep (a sung vowel is shorter) */
#define TONE_LO 350
#define TONE_HI 2100
#define TONE_STEP 50

struct _TbAmd
{
  guint window_ms;
  gint16 frame[STEP];
  guint fill;
  guint ms;                /* audio analysed */

  double noise_db;
  double history[FLOOR_FRAMES];   /* dB of the last frames, for the floor */
  guint n_history;
  gboolean in_run;
  guint talk_ms;           /* loud frames so far */
  guint run_start_ms;
  guint last_loud_ms;
  guint quiet_ms;

  int tone_bin;
  guint tone_ms;

  TbAmdResult result;
  guint decided_ms;
  char reason[96];
};

TbAmd *
tb_amd_new (guint window_ms)
{
  TbAmd *amd = g_new0 (TbAmd, 1);

  amd->window_ms = window_ms > 0 ? window_ms : 5000;
  amd->noise_db = -70;
  amd->tone_bin = -1;
  return amd;
}

void
tb_amd_free (TbAmd *amd)
{
  g_free (amd);
}

static double
goertzel (const gint16 *x,
          int           n,
          double        freq)
{
  double w = 2 * G_PI * freq / TB_PCM_RATE;
  double coeff = 2 * cos (w);
  double s1 = 0, s2 = 0;

  for (int i = 0; i < n; i++) {
    double s0 = x[i] + coeff * s1 - s2;

    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/* The bin of a pure tone holding most of the frame's energy, or -1. */
static int
tonal_bin (const gint16 *x)
{
  double energy = 0, best = 0;
  int best_bin = -1;

  for (int i = 0; i < STEP; i++)
    energy += (double) x[i] * x[i];
  if (energy <= 0)
    return -1;
  for (int f = TONE_LO, bin = 0; f <= TONE_HI; f += TONE_STEP, bin++) {
    double p = goertzel (x, STEP, f);

    if (p > best) {
      best = p;
      best_bin = bin;
    }
  }
  /* A sinusoid of energy E has Goertzel power ≈ E·N/2 at its frequency. */
  return best / (energy * STEP / 2.0) > 0.6 ? best_bin : -1;
}

static void
decide (TbAmd       *amd,
        TbAmdResult  result,
        const char  *format,
        ...) G_GNUC_PRINTF (3, 4);

static void
decide (TbAmd       *amd,
        TbAmdResult  result,
        const char  *format,
        ...)
{
  va_list args;

  amd->result = result;
  amd->decided_ms = amd->ms;
  va_start (args, format);
  g_vsnprintf (amd->reason, sizeof amd->reason, format, args);
  va_end (args);
}

/* The quietest of the last FLOOR_MS: steady noise sits there, speech rises above it. */
static double
noise_floor (TbAmd  *amd,
             double  db)
{
  double floor = db;

  amd->history[amd->n_history % FLOOR_FRAMES] = db;
  amd->n_history++;
  for (guint i = 0; i < MIN (amd->n_history, FLOOR_FRAMES); i++)
    floor = MIN (floor, amd->history[i]);
  return MAX (floor, -75.0);
}

static void
analyse (TbAmd *amd)
{
  double db = tb_pcm_rms_db (amd->frame, STEP);
  gboolean loud;
  int bin;

  amd->noise_db = noise_floor (amd, db);
  loud = db > MAX (SPEECH_MIN_DB, amd->noise_db + SPEECH_ABOVE_DB);
  bin = db > -45.0 ? tonal_bin (amd->frame) : -1;
  amd->ms += STEP_MS;

  if (bin >= 0 && amd->tone_bin >= 0 && ABS (bin - amd->tone_bin) <= 1)
    amd->tone_ms += STEP_MS;
  else
    amd->tone_ms = bin >= 0 ? STEP_MS : 0;
  amd->tone_bin = bin;
  if (amd->tone_ms >= BEEP_MS) {
    decide (amd, TB_AMD_RESULT_MACHINE, "beep at %d Hz", TONE_LO + bin * TONE_STEP);
    return;
  }

  if (loud) {
    if (!amd->in_run || amd->ms - amd->last_loud_ms > GAP_MS) {
      amd->in_run = TRUE;
      amd->run_start_ms = amd->ms - STEP_MS;
    }
    amd->last_loud_ms = amd->ms;
    amd->talk_ms += STEP_MS;
    if (amd->ms - amd->run_start_ms >= LONG_MS) {
      decide (amd, TB_AMD_RESULT_MACHINE, "greeting longer than %.1f s", LONG_MS / 1000.0);
      return;
    }
    if (amd->talk_ms >= TALK_MS) {
      decide (amd, TB_AMD_RESULT_MACHINE, "%.1f s of speech in the first %.1f s",
              amd->talk_ms / 1000.0, amd->ms / 1000.0);
      return;
    }
  } else if (amd->in_run) {
    guint quiet = amd->ms - amd->last_loud_ms;
    guint run = amd->last_loud_ms - amd->run_start_ms;

    if (run < SHORT_MS && quiet >= SILENCE_MS) {
      decide (amd, TB_AMD_RESULT_HUMAN, "short greeting %.1f s then silence", run / 1000.0);
      return;
    }
    if (run >= SHORT_MS && quiet >= WAIT_MS) {
      decide (amd, TB_AMD_RESULT_HUMAN, "greeting %.1f s, then waited %.1f s with no beep",
              run / 1000.0, quiet / 1000.0);
      return;
    }
  }

  if (amd->ms >= amd->window_ms)
    decide (amd, TB_AMD_RESULT_UNKNOWN, "nothing decisive in %.1f s", amd->window_ms / 1000.0);
}

TbAmdResult
tb_amd_process (TbAmd        *amd,
                const gint16 *pcm,
                gsize         n)
{
  for (gsize i = 0; i < n && amd->result == TB_AMD_RESULT_UNDECIDED; i++) {
    amd->frame[amd->fill++] = pcm[i];
    if (amd->fill == STEP) {
      amd->fill = 0;
      analyse (amd);
    }
  }
  return amd->result;
}

TbAmdResult
tb_amd_get_result (TbAmd *amd)
{
  return amd->result;
}

const char *
tb_amd_get_reason (TbAmd *amd)
{
  return amd->reason;
}

guint
tb_amd_get_decided_ms (TbAmd *amd)
{
  return amd->decided_ms;
}

const char *
tb_amd_result_to_string (TbAmdResult result)
{
  switch (result) {
  case TB_AMD_RESULT_HUMAN:
    return "human";
  case TB_AMD_RESULT_MACHINE:
    return "machine";
  case TB_AMD_RESULT_UNKNOWN:
    return "unknown";
  case TB_AMD_RESULT_UNDECIDED:
  default:
    return "undecided";
  }
}
