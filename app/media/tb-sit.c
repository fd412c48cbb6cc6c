/* tb-sit.c — special information tones: the three rising tones before a carrier's announcement
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * North American carriers (and many others) play three tones before "the number you have
 * dialed is not in service": the first 913.8 (low) or 985.2 Hz (high), the second 1370.6 or
 * 1428.5 Hz, the third always 1776.7 Hz; the first two short (274 ms) or long (380 ms), the
 * third long; no more than a few ms between them. Frequency and length of the first two say
 * why the call failed (Telcordia SR-2275 §6.21):
 *
 *   IC  intercept (not in service)   low short,  low short     vacant
 *   VC  vacant code                  high long,  low short     vacant
 *   RO  reorder (intra-LATA)         low short,  high long     unreachable
 *   RO' reorder (inter-LATA)         high short, low long      unreachable
 *   NC  no circuit (intra-LATA)      high long,  high long     unreachable
 *   NC' no circuit (inter-LATA)      low long,   low long      unreachable
 *   IO  ineffective other            low long,   high short    unreachable
 *
 * Each 10 ms we run Goertzel filters at the five frequencies over the last 20 ms and call the
 * frame a tone when one of them holds most of its energy (what noise, gain and μ-law leave
 * alone); runs of one tone are measured, and the third tone's run, 200 ms long, right after
 * a first-segment and a second-segment run, is a sequence.
 */
#define G_LOG_DOMAIN "tb-sit"

#include "config.h"

#include "tb-sit.h"

#include <math.h>
#include <string.h>

#define RATE 8000
#define WINDOW 160              /* 20 ms of audio per analysis */
#define HOP 80                  /* every 10 ms */
#define HOP_MS 10
#define MIN_DB -50.0            /* quieter frames are no tone (SIT is sent at -24 dBm0) */
#define PURITY 0.55             /* share of the frame's energy in one filter */
#define SEGMENT_MIN_MS 200      /* 274 ms − 5 %, less the frames a boundary blurs */
#define SEGMENT_MAX_MS 460      /* 380 ms + 5 %, plus them */
#define SHORT_LONG_MS 327       /* between 274 and 380 */
#define THIRD_MS 200            /* this much of the third tone decides */
#define GAP_MAX_MS 40           /* between two segments (4 ms nominal, a blurred frame each) */
#define PENDING_MS 60           /* a first/second-segment tone this recent keeps us pending */

enum { TONE_NONE = -1, LOW1, HIGH1, LOW2, HIGH2, THIRD, N_TONES };

static const double tone_hz[N_TONES] = { 913.8, 985.2, 1370.6, 1428.5, 1776.7 };

typedef struct {
  int   tone;
  guint start_ms;
  guint end_ms;     /* exclusive */
} Run;

struct _TbSit
{
  gint16 window[WINDOW];
  guint fill;          /* samples in @window (it slides by HOP) */
  guint ms;            /* audio time at the end of the last analysed hop */

  Run runs[2];         /* the last two completed runs, [1] the latest */
  guint n_runs;
  Run current;         /* current.tone == TONE_NONE: no tone now */

  gboolean detected;
  const char *code;
  const char *outcome;
  guint detected_ms;
};

TbSit *
tb_sit_new (void)
{
  TbSit *sit = g_new0 (TbSit, 1);

  sit->current.tone = TONE_NONE;
  return sit;
}

void
tb_sit_free (TbSit *sit)
{
  g_free (sit);
}

static double
goertzel (const gint16 *x,
          int           n,
          double        freq)
{
  double coeff = 2 * cos (2 * G_PI * freq / RATE);
  double s1 = 0, s2 = 0;

  for (int i = 0; i < n; i++) {
    double s0 = x[i] + coeff * s1 - s2;

    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/* Which of the five tones holds most of the window's energy, or TONE_NONE. */
static int
classify (const gint16 *x)
{
  double energy = 0, best = 0;
  int best_tone = TONE_NONE;

  for (int i = 0; i < WINDOW; i++)
    energy += (double) x[i] * x[i];
  if (energy <= 0 || 10 * log10 (energy / WINDOW / (32768.0 * 32768.0)) < MIN_DB)
    return TONE_NONE;
  for (int t = 0; t < N_TONES; t++) {
    double p = goertzel (x, WINDOW, tone_hz[t]);

    if (p > best) {
      best = p;
      best_tone = t;
    }
  }
  /* A sinusoid of energy E has Goertzel power ≈ E·N/2 at its frequency. */
  return best / (energy * WINDOW / 2.0) > PURITY ? best_tone : TONE_NONE;
}

static gboolean
segment_ok (const Run *run)
{
  guint ms = run->end_ms - run->start_ms;

  return ms >= SEGMENT_MIN_MS && ms <= SEGMENT_MAX_MS;
}

static gboolean
is_long (const Run *run)
{
  return run->end_ms - run->start_ms >= SHORT_LONG_MS;
}

static void
recognise (TbSit *sit)
{
  static const struct {
    gboolean high1, long1, high2, long2;
    const char *code;
    const char *outcome;
  } table[] = {
    { FALSE, FALSE, FALSE, FALSE, "IC", "vacant" },
    { TRUE, TRUE, FALSE, FALSE, "VC", "vacant" },
    { FALSE, FALSE, TRUE, TRUE, "RO", "unreachable" },
    { TRUE, FALSE, FALSE, TRUE, "RO'", "unreachable" },
    { TRUE, TRUE, TRUE, TRUE, "NC", "unreachable" },
    { FALSE, TRUE, FALSE, TRUE, "NC'", "unreachable" },
    { FALSE, TRUE, TRUE, FALSE, "IO", "unreachable" },
  };
  const Run *first = &sit->runs[0];
  const Run *second = &sit->runs[1];
  gboolean high1, high2;

  if (sit->n_runs < 2 ||
      (first->tone != LOW1 && first->tone != HIGH1) ||
      (second->tone != LOW2 && second->tone != HIGH2) ||
      !segment_ok (first) || !segment_ok (second) ||
      second->start_ms - first->end_ms > GAP_MAX_MS ||
      sit->current.start_ms - second->end_ms > GAP_MAX_MS)
    return;

  high1 = first->tone == HIGH1;
  high2 = second->tone == HIGH2;
  sit->detected = TRUE;
  sit->detected_ms = sit->ms;
  sit->code = "SIT";
  sit->outcome = "unreachable";
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].high1 == high1 && table[i].long1 == is_long (first) &&
        table[i].high2 == high2 && table[i].long2 == is_long (second)) {
      sit->code = table[i].code;
      sit->outcome = table[i].outcome;
      break;
    }
}

static void
end_run (TbSit *sit)
{
  if (sit->current.tone == TONE_NONE)
    return;
  sit->runs[0] = sit->runs[1];
  sit->runs[1] = sit->current;
  sit->n_runs = MIN (sit->n_runs + 1, 2);
  sit->current.tone = TONE_NONE;
}

static void
analyse (TbSit *sit)
{
  int tone = classify (sit->window);

  /* The window covers [ms − 20, ms); its tone is taken for the hop in its middle. */
  sit->ms += HOP_MS;
  if (tone != sit->current.tone) {
    end_run (sit);
    if (tone != TONE_NONE)
      sit->current = (Run) { tone, sit->ms - HOP_MS, sit->ms };
  } else if (tone != TONE_NONE) {
    sit->current.end_ms = sit->ms;
  }
  if (sit->current.tone == THIRD && sit->current.end_ms - sit->current.start_ms >= THIRD_MS)
    recognise (sit);
}

gboolean
tb_sit_process (TbSit        *sit,
                const gint16 *pcm,
                gsize         n)
{
  for (gsize i = 0; i < n && !sit->detected; i++) {
    sit->window[sit->fill++] = pcm[i];
    if (sit->fill == WINDOW) {
      analyse (sit);
      memmove (sit->window, sit->window + HOP, (WINDOW - HOP) * sizeof (gint16));
      sit->fill = WINDOW - HOP;
    }
  }
  return sit->detected;
}

gboolean
tb_sit_get_detected (TbSit *sit)
{
  return sit->detected;
}

const char *
tb_sit_get_code (TbSit *sit)
{
  return sit->code;
}

const char *
tb_sit_get_outcome (TbSit *sit)
{
  return sit->outcome;
}

guint
tb_sit_get_detected_ms (TbSit *sit)
{
  return sit->detected_ms;
}

gboolean
tb_sit_is_pending (TbSit *sit)
{
  const Run *last = sit->current.tone != TONE_NONE ? &sit->current
                    : sit->n_runs > 0 ? &sit->runs[1] : NULL;

  if (sit->detected || last == NULL || last->tone == TONE_NONE)
    return FALSE;
  return last->tone != THIRD ? sit->ms - last->end_ms <= PENDING_MS
                             : sit->current.tone == THIRD;
}
