/* tb-announcement.c — a carrier's recorded announcement, recognised in the first seconds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A dead number is answered by a recording, not by a person: "您拨打的号码是空号", "the number
 * you have dialed is not in service". The same recording plays to every caller of a carrier,
 * so it is recognised the way music is: by comparing what we hear with recordings of it.
 *
 * Each 16 ms of audio becomes a frame of 12 mel-frequency cepstral coefficients over the
 * telephone band (300–3400 Hz) and a level. c0 (loudness) is left out, so a quieter line
 * changes nothing; μ-law and a little noise move the coefficients a little; silence is told
 * by level relative to the loudest sound so far, not by the coefficients, which noise makes
 * up; bands far under the frame's loudest are floored, so μ-law's and the line's noise in
 * them moves nothing. A print is the frames of the first TB_ANNOUNCEMENT_PRINT_MAX_MS of a recording's sound.
 *
 * The call's frames are aligned with each print by dynamic time warping, open at the start
 * (the announcement begins whenever it begins) and advanced one frame at a time (one column per
 * print per frame, nothing stored): local slopes between 1/2 and 2, so a carrier playing it a
 * little faster or slower still lines up, but a two-syllable "hello?" cannot stretch over a
 * sentence. Where a print's whole length aligns with a mean frame distance below MEAN_LIMIT,
 * it matched; the detector then listens 0.6 s more and takes the closest print (announcements
 * share their beginnings: "您拨打的电话已关机" and "…已停机" differ in one word).
 */
#define G_LOG_DOMAIN "tb-announcement"

#include "config.h"

#include "tb-announcement.h"
#include "tb-sit.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#define RATE 8000
#define FRAME 256                 /* 32 ms analysis window */
#define HOP 128                   /* a frame every 16 ms */
#define HOP_MS (HOP * 1000 / RATE)
#define N_BANDS 24
#define N_CEPS 12
#define LO_HZ 300.0
#define HI_HZ 3400.0
#define LO_BIN 9                  /* 281 Hz: the first bin a band touches */
#define HI_BIN 110                /* 3437 Hz: the last */
#define N_BINS (HI_BIN - LO_BIN + 1)
#define FLOOR_RATIO 1e-1f         /* bands 10 dB under the frame's loudest are noise */
#define SOUND_BELOW_PEAK_DB 22.0  /* quieter than the loudest frame by this: silence */
#define SOUND_MIN_DB -55.0        /* and anything under this */
#define PRINT_MIN_MS 800
#define SILENCE_PENALTY 2.0f      /* sound against silence costs this much per frame */
/* The mean frame distance of a match (the score TB_ANNOUNCEMENT_MATCH_DISTANCE). Calibrated on
 * the shipped announcements through a telephone channel against people's answers and
 * voicemail greetings (tests/test-announce.c): matches 0.14–0.23, the closest greeting 0.29. */
#define MEAN_LIMIT 0.265f
#define CONFIRM_FRAMES 38         /* 600 ms after the first match to find the closest */
#define EXTEND_MAX_FRAMES 250     /* at most 4 s more while a longer print is still lining up */
#define PENDING_FRACTION 3        /* a print aligned this far (1/3) is "close to matching" */

typedef struct {
  float ceps[N_CEPS];
  float db;
} Frame;

struct _TbAnnouncementPrint
{
  gatomicrefcount ref;
  char *id;
  char *outcome;
  char *language;
  Frame *frames;
  gboolean *silent;
  guint n;
};

/* Tables shared by every extractor: Hann window, the DFT's cosines and sines, the mel
 * filters over the bins LO_BIN..HI_BIN, the DCT. */
typedef struct {
  float hann[FRAME];
  float cosine[FRAME];
  float sine[FRAME];
  float filters[N_BANDS][N_BINS];
  float dct[N_CEPS][N_BANDS];
} Tables;

static const Tables *
get_tables (void)
{
  static Tables *tables;

  if (g_once_init_enter (&tables)) {
    Tables *t = g_new0 (Tables, 1);
    double mel_lo = 2595 * log10 (1 + LO_HZ / 700), mel_hi = 2595 * log10 (1 + HI_HZ / 700);
    double edges[N_BANDS + 2];

    for (int i = 0; i < FRAME; i++) {
      t->hann[i] = (float) (0.5 - 0.5 * cos (2 * G_PI * i / FRAME));
      t->cosine[i] = (float) cos (2 * G_PI * i / FRAME);
      t->sine[i] = (float) sin (2 * G_PI * i / FRAME);
    }
    for (int e = 0; e < N_BANDS + 2; e++)
      edges[e] = 700 * (pow (10, (mel_lo + (mel_hi - mel_lo) * e / (N_BANDS + 1)) / 2595) - 1);
    for (int b = 0; b < N_BANDS; b++)
      for (int k = LO_BIN; k <= HI_BIN; k++) {
        double f = (double) k * RATE / FRAME;
        double w = 0;

        if (f > edges[b] && f <= edges[b + 1])
          w = (f - edges[b]) / (edges[b + 1] - edges[b]);
        else if (f > edges[b + 1] && f < edges[b + 2])
          w = (edges[b + 2] - f) / (edges[b + 2] - edges[b + 1]);
        t->filters[b][k - LO_BIN] = (float) w;
      }
    for (int c = 0; c < N_CEPS; c++)
      for (int b = 0; b < N_BANDS; b++)
        t->dct[c][b] = (float) (cos (G_PI * (c + 1) * (b + 0.5) / N_BANDS) *
                                sqrt (2.0 / N_BANDS));
    g_once_init_leave (&tables, t);
  }
  return tables;
}

/* One frame of FRAME samples: its cepstrum (c1..c12) and level (dBFS). */
static void
analyse_frame (const gint16 *x,
               Frame        *out)
{
  const Tables *t = get_tables ();
  float windowed[FRAME];
  float power[N_BINS];
  float bands[N_BANDS];
  float loudest = 0, floor;
  double energy = 0;

  for (int i = 0; i < FRAME; i++) {
    windowed[i] = (float) (x[i] / 32768.0) * t->hann[i];
    energy += (double) x[i] * x[i];
  }
  out->db = (float) (energy > 0 ? 10 * log10 (energy / FRAME / (32768.0 * 32768.0)) : -100);
  for (int k = LO_BIN; k <= HI_BIN; k++) {
    float re = 0, im = 0;

    for (int i = 0, idx = 0; i < FRAME; i++, idx = (idx + k) % FRAME) {
      re += windowed[i] * t->cosine[idx];
      im -= windowed[i] * t->sine[idx];
    }
    power[k - LO_BIN] = re * re + im * im;
  }
  for (int b = 0; b < N_BANDS; b++) {
    bands[b] = 0;
    for (int k = 0; k < N_BINS; k++)
      bands[b] += t->filters[b][k] * power[k];
    loudest = MAX (loudest, bands[b]);
  }
  /* Bands far under the frame's loudest are noise, μ-law's or the line's: a floor relative
   * to the frame keeps them from moving the coefficients. */
  floor = loudest * FLOOR_RATIO + 1e-12f;
  for (int c = 0; c < N_CEPS; c++)
    out->ceps[c] = 0;
  for (int b = 0; b < N_BANDS; b++) {
    float log_e = logf (bands[b] + floor);

    for (int c = 0; c < N_CEPS; c++)
      out->ceps[c] += t->dct[c][b] * log_e;
  }
}

static float
frame_distance (const Frame *a,
                const Frame *b)
{
  float sum = 0;

  for (int c = 0; c < N_CEPS; c++) {
    float d = a->ceps[c] - b->ceps[c];

    sum += d * d;
  }
  return sqrtf (sum / N_CEPS);
}

/* Frames of a whole recording. */
static GArray *
analyse_all (const gint16 *pcm,
             gsize         n)
{
  GArray *frames = g_array_new (FALSE, FALSE, sizeof (Frame));

  for (gsize at = 0; at + FRAME <= n; at += HOP) {
    Frame f;

    analyse_frame (pcm + at, &f);
    g_array_append_val (frames, f);
  }
  return frames;
}

TbAnnouncementPrint *
tb_announcement_print_new (const char    *id,
                           const char    *outcome,
                           const char    *language,
                           const gint16  *pcm,
                           gsize          n,
                           GError       **error)
{
  g_autoptr(GArray) frames = NULL;
  TbAnnouncementPrint *print;
  float peak = -100;
  guint first = G_MAXUINT, last = 0, len;

  g_return_val_if_fail (id != NULL && outcome != NULL, NULL);

  frames = analyse_all (pcm, n);
  for (guint i = 0; i < frames->len; i++)
    peak = MAX (peak, g_array_index (frames, Frame, i).db);
  for (guint i = 0; i < frames->len; i++) {
    float db = g_array_index (frames, Frame, i).db;

    if (db > peak - SOUND_BELOW_PEAK_DB && db > SOUND_MIN_DB) {
      first = MIN (first, i);
      last = i;
    }
  }
  if (first == G_MAXUINT || (last - first + 1) * HOP_MS < PRINT_MIN_MS) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "announcement %s: less than %.1f s of sound", id, PRINT_MIN_MS / 1000.0);
    return NULL;
  }
  len = MIN (last - first + 1, TB_ANNOUNCEMENT_PRINT_MAX_MS / HOP_MS);

  print = g_new0 (TbAnnouncementPrint, 1);
  g_atomic_ref_count_init (&print->ref);
  print->id = g_strdup (id);
  print->outcome = g_strdup (outcome);
  print->language = g_strdup (language);
  print->n = len;
  print->frames = g_new (Frame, len);
  print->silent = g_new (gboolean, len);
  memcpy (print->frames, &g_array_index (frames, Frame, first), len * sizeof (Frame));
  for (guint i = 0; i < len; i++)
    print->silent[i] = print->frames[i].db <= peak - SOUND_BELOW_PEAK_DB ||
                       print->frames[i].db <= SOUND_MIN_DB;
  return print;
}

TbAnnouncementPrint *
tb_announcement_print_ref (TbAnnouncementPrint *print)
{
  g_atomic_ref_count_inc (&print->ref);
  return print;
}

void
tb_announcement_print_unref (TbAnnouncementPrint *print)
{
  if (print == NULL || !g_atomic_ref_count_dec (&print->ref))
    return;
  g_free (print->id);
  g_free (print->outcome);
  g_free (print->language);
  g_free (print->frames);
  g_free (print->silent);
  g_free (print);
}

const char *
tb_announcement_print_get_id (TbAnnouncementPrint *print)
{
  return print->id;
}

const char *
tb_announcement_print_get_outcome (TbAnnouncementPrint *print)
{
  return print->outcome;
}

const char *
tb_announcement_print_get_language (TbAnnouncementPrint *print)
{
  return print->language;
}

guint
tb_announcement_print_get_ms (TbAnnouncementPrint *print)
{
  return print->n * HOP_MS;
}

/* One cell of the warping matrix: the best path's summed distance and its cells. */
typedef struct {
  float cost;
  float cells;
  float tail_cost;    /* the same over the print's last TAIL_FRACTION: where prints that share */
  float tail_cells;   /* their beginning differ ("…已关机" / "…已停机") */
} Cell;

/* One print's alignment with the call so far: the last two columns and the last column's
 * frame distances. */
typedef struct {
  TbAnnouncementPrint *print;
  Cell *col[2];       /* [0] column j−1, [1] column j−2 */
  Cell *now;
  float *dist;        /* d(i, j−1) */
  float *dist_now;
  float last;         /* the whole print's alignment ending at the last frame */
  float last_tail;    /* its tail's mean distance */
  float best;         /* closest whole alignment since the first match */
  float best_tail;    /* the tail score of that alignment */
  gboolean pending;   /* aligned PENDING_FRACTION of the way under the threshold */
} Alignment;

static void
alignment_init (Alignment           *a,
                TbAnnouncementPrint *print)
{
  guint n = print->n;

  a->print = tb_announcement_print_ref (print);
  for (int c = 0; c < 2; c++) {
    a->col[c] = g_new (Cell, n);
    for (guint i = 0; i < n; i++)
      a->col[c][i] = (Cell) { INFINITY, 1, 0, 0 };
  }
  a->now = g_new (Cell, n);
  a->dist = g_new (float, n);
  a->dist_now = g_new (float, n);
  for (guint i = 0; i < n; i++)
    a->dist[i] = SILENCE_PENALTY;
  a->last = a->best = a->last_tail = a->best_tail = INFINITY;
}

static void
alignment_clear (Alignment *a)
{
  g_free (a->col[0]);
  g_free (a->col[1]);
  g_free (a->now);
  g_free (a->dist);
  g_free (a->dist_now);
  tb_announcement_print_unref (a->print);
}

/* The print frames from which a cell counts in the tail score. */
#define TAIL_FRACTION 0.4

/* @from extended by the cells of distances @d1 (if @two) and @d2; @tail: the cells are in the
 * print's tail. */
static Cell
extend (const Cell *from,
        gboolean    two,
        float       d1,
        float       d2,
        gboolean    tail)
{
  Cell c = *from;

  if (two) {
    c.cost += d1;
    c.cells += 1;
  }
  c.cost += d2;
  c.cells += 1;
  if (tail) {
    c.tail_cost += (two ? d1 : 0) + d2;
    c.tail_cells += two ? 2 : 1;
  }
  return c;
}

/* How far a cell ending the whole print is from a match: 1.0 at the threshold. */
static float
cell_score (const Cell *c)
{
  if (!isfinite (c->cost))
    return INFINITY;
  return c->cost / c->cells / MEAN_LIMIT;
}

/* Adds one call frame (@silent: quiet against the loudest so far); returns the score of the
 * best alignment of the whole print ending here (INFINITY: none yet). */
static float
alignment_step (Alignment   *a,
                const Frame *frame,
                gboolean     silent)
{
  const TbAnnouncementPrint *p = a->print;
  guint n = p->n;
  Cell *swap;
  float *swap_dist;

  a->pending = FALSE;
  for (guint i = 0; i < n; i++) {
    float d;

    if (p->silent[i])
      d = silent ? 0 : SILENCE_PENALTY;
    else
      d = silent ? SILENCE_PENALTY : frame_distance (&p->frames[i], frame);
    a->dist_now[i] = d;
  }
  for (guint i = 0; i < n; i++) {
    Cell best;

    if (i == 0) {
      /* Open start: the announcement may begin at any frame. */
      best = (Cell) { a->dist_now[0], 1, 0, 0 };
    } else {
      /* Diagonal; two print frames for one call frame; one print frame for two call frames.
       * Chosen by mean distance, so that a longer path is not punished for its length. */
      Cell options[3];
      guint n_options = 0;

      gboolean tail = i >= n - (guint) (n * TAIL_FRACTION);

      if (isfinite (a->col[0][i - 1].cost))
        options[n_options++] = extend (&a->col[0][i - 1], FALSE, 0, a->dist_now[i], tail);
      if (i >= 2 && isfinite (a->col[0][i - 2].cost))
        options[n_options++] = extend (&a->col[0][i - 2], TRUE, a->dist_now[i - 1],
                                       a->dist_now[i], tail);
      if (isfinite (a->col[1][i - 1].cost))
        options[n_options++] = extend (&a->col[1][i - 1], TRUE, a->dist[i], a->dist_now[i],
                                       tail);
      best = (Cell) { INFINITY, 1, 0, 0 };
      for (guint o = 0; o < n_options; o++)
        if (!isfinite (best.cost) ||
            options[o].cost / options[o].cells < best.cost / best.cells)
          best = options[o];
    }
    a->now[i] = best;
    if (i >= n / PENDING_FRACTION && cell_score (&best) < TB_ANNOUNCEMENT_MATCH_DISTANCE)
      a->pending = TRUE;
  }
  /* Shift: now → j−1 → j−2. */
  swap = a->col[1]; a->col[1] = a->col[0]; a->col[0] = a->now; a->now = swap;
  swap_dist = a->dist; a->dist = a->dist_now; a->dist_now = swap_dist;
  a->last_tail = a->col[0][n - 1].tail_cells > 0
                 ? a->col[0][n - 1].tail_cost / a->col[0][n - 1].tail_cells / MEAN_LIMIT
                 : INFINITY;
  return cell_score (&a->col[0][n - 1]);
}

/* The call side: frames from a stream, silence against the loudest frame so far. */
typedef struct {
  gint16 buf[FRAME];
  guint fill;
  float peak_db;
} Stream;

static gboolean
stream_push (Stream       *s,
             gint16        sample,
             Frame        *frame,
             gboolean     *silent)
{
  s->buf[s->fill++] = sample;
  if (s->fill < FRAME)
    return FALSE;
  analyse_frame (s->buf, frame);
  memmove (s->buf, s->buf + HOP, (FRAME - HOP) * sizeof (gint16));
  s->fill = FRAME - HOP;
  s->peak_db = MAX (s->peak_db, frame->db);
  *silent = frame->db <= s->peak_db - SOUND_BELOW_PEAK_DB || frame->db <= SOUND_MIN_DB;
  return TRUE;
}

double
tb_announcement_print_distance (TbAnnouncementPrint *print,
                                const gint16        *pcm,
                                gsize                n)
{
  Stream s = { .peak_db = -100 };
  Alignment a;
  double best = INFINITY;

  g_return_val_if_fail (print != NULL, INFINITY);

  alignment_init (&a, print);
  for (gsize i = 0; i < n; i++) {
    Frame f;
    gboolean silent;

    if (stream_push (&s, pcm[i], &f, &silent))
      best = MIN (best, alignment_step (&a, &f, silent));
  }
  alignment_clear (&a);
  return best;
}

struct _TbAnnouncementDetector
{
  Alignment *alignments;
  guint n_alignments;
  TbSit *sit;
  Stream stream;
  guint window_ms;
  guint ms;

  guint confirm_left;       /* frames still to listen after the first match; 0: not matching */
  guint extended;           /* frames listened beyond CONFIRM_FRAMES for a longer print */
  gboolean decided;
  const char *outcome;      /* interned */
  char match[64];
  char reason[160];
  guint decided_ms;
};

TbAnnouncementDetector *
tb_announcement_detector_new (GPtrArray *prints,
                              guint      window_ms)
{
  TbAnnouncementDetector *det = g_new0 (TbAnnouncementDetector, 1);
  guint n = prints != NULL ? prints->len : 0;

  det->alignments = g_new0 (Alignment, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    alignment_init (&det->alignments[det->n_alignments++], g_ptr_array_index (prints, i));
  det->sit = tb_sit_new ();
  det->stream.peak_db = -100;
  det->window_ms = window_ms > 0 ? window_ms : 10000;
  return det;
}

void
tb_announcement_detector_free (TbAnnouncementDetector *det)
{
  if (det == NULL)
    return;
  for (guint i = 0; i < det->n_alignments; i++)
    alignment_clear (&det->alignments[i]);
  g_free (det->alignments);
  tb_sit_free (det->sit);
  g_free (det);
}

static void
decide_print (TbAnnouncementDetector *det)
{
  Alignment *best = NULL;

  /* Among the prints that matched, the one whose ending fits best: announcements share their
   * beginnings and differ in their last words. */
  for (guint i = 0; i < det->n_alignments; i++) {
    Alignment *a = &det->alignments[i];

    if (a->best < TB_ANNOUNCEMENT_MATCH_DISTANCE &&
        (best == NULL || a->best_tail < best->best_tail))
      best = a;
  }
  if (best == NULL)
    for (guint i = 0; i < det->n_alignments; i++)
      if (best == NULL || det->alignments[i].best < best->best)
        best = &det->alignments[i];
  det->decided = TRUE;
  det->decided_ms = det->ms;
  det->outcome = g_intern_string (best->print->outcome);
  g_strlcpy (det->match, best->print->id, sizeof det->match);
  g_snprintf (det->reason, sizeof det->reason, "announcement %s (%s) at %.1f s, distance %.2f",
              best->print->id, best->print->language ? best->print->language : "?",
              det->ms / 1000.0, best->best);
}

static void
step (TbAnnouncementDetector *det,
      const Frame            *frame,
      gboolean                silent)
{
  gboolean matched = FALSE;

  for (guint i = 0; i < det->n_alignments; i++) {
    Alignment *a = &det->alignments[i];

    a->last = alignment_step (a, frame, silent);
    matched = matched || a->last < TB_ANNOUNCEMENT_MATCH_DISTANCE;
  }
  /* After the first match, listen a little more: a print sharing its beginning may fit
   * better. */
  if (det->confirm_left == 0 && matched)
    det->confirm_left = CONFIRM_FRAMES;
  if (det->confirm_left == 0)
    return;
  for (guint i = 0; i < det->n_alignments; i++)
    if (det->alignments[i].last < det->alignments[i].best) {
      det->alignments[i].best = det->alignments[i].last;
      det->alignments[i].best_tail = det->alignments[i].last_tail;
    }
  if (--det->confirm_left > 0)
    return;
  /* A longer print that shares the matched one's beginning may still be lining up ("…暂时无法
   * 接通" begins like "…已停机"): while one is part-way under the threshold and has not
   * ended yet, listen on, so that the whole of it can win. */
  for (guint i = 0; i < det->n_alignments && det->extended < EXTEND_MAX_FRAMES; i++)
    if (det->alignments[i].pending && !isfinite (det->alignments[i].best)) {
      det->confirm_left = 1;
      det->extended++;
      return;
    }
  decide_print (det);
}

gboolean
tb_announcement_detector_process (TbAnnouncementDetector *det,
                                  const gint16           *pcm,
                                  gsize                   n)
{
  for (gsize i = 0; i < n && !det->decided; i++) {
    Frame frame;
    gboolean silent;

    if (tb_sit_process (det->sit, pcm + i, 1)) {
      det->decided = TRUE;
      det->decided_ms = tb_sit_get_detected_ms (det->sit);
      det->outcome = g_intern_string (tb_sit_get_outcome (det->sit));
      g_snprintf (det->match, sizeof det->match, "sit:%s", tb_sit_get_code (det->sit));
      g_snprintf (det->reason, sizeof det->reason,
                  "special information tone %s at %.1f s", tb_sit_get_code (det->sit),
                  det->decided_ms / 1000.0);
      break;
    }
    if (stream_push (&det->stream, pcm[i], &frame, &silent)) {
      det->ms += HOP_MS;
      step (det, &frame, silent);
      if (!det->decided && det->ms >= det->window_ms && det->confirm_left == 0) {
        det->decided = TRUE;
        det->decided_ms = det->ms;
        g_snprintf (det->reason, sizeof det->reason, "no announcement in %.1f s",
                    det->window_ms / 1000.0);
      }
    }
  }
  return det->decided;
}

gboolean
tb_announcement_detector_is_pending (TbAnnouncementDetector *det)
{
  if (det->decided)
    return FALSE;
  if (det->confirm_left > 0 || tb_sit_is_pending (det->sit))
    return TRUE;
  for (guint i = 0; i < det->n_alignments; i++)
    if (det->alignments[i].pending)
      return TRUE;
  return FALSE;
}

const char *
tb_announcement_detector_get_outcome (TbAnnouncementDetector *det)
{
  return det->outcome;
}

const char *
tb_announcement_detector_get_reason (TbAnnouncementDetector *det)
{
  return det->reason;
}

const char *
tb_announcement_detector_get_match (TbAnnouncementDetector *det)
{
  return det->match[0] != '\0' ? det->match : NULL;
}

guint
tb_announcement_detector_get_decided_ms (TbAnnouncementDetector *det)
{
  return det->decided_ms;
}
