/* test-jitter.c — the SIP line's jitter buffer on a simulated clock: the callee's audio keeps
 * the clock's timeline through silence suppression, comfort noise, loss, jitter, reordering,
 * timestamp jumps and SSRC changes (DESIGN.md §3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-jitter"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tb-jitter-buffer.h"

/* One packet the simulated network delivers at @arrive_ms. */
typedef struct {
  double  arrive_ms;
  guint16 seq;
  guint32 ts;
  guint32 ssrc;
  gboolean marker;
  int     pt;
  guint8  byte;       /* every sample of the packet: which packet played where */
} Packet;

typedef struct {
  GArray *packets;    /* Packet */
  guint16 seq;
  guint32 ts;
  guint32 ssrc;
  double  t_ms;       /* the sender's clock */
  GRand  *rand;
  double  loss;
  double  jitter_ms;
  guint   lost;
} Sender;

static void
sender_init (Sender *s,
             double  loss,
             double  jitter_ms)
{
  memset (s, 0, sizeof *s);
  s->packets = g_array_new (FALSE, TRUE, sizeof (Packet));
  s->rand = g_rand_new_with_seed (7);
  s->seq = 1000;
  s->ts = 0xfffff000;   /* wraps during the test */
  s->ssrc = 0x1234;
  s->loss = loss;
  s->jitter_ms = jitter_ms;
}

static void
sender_clear (Sender *s)
{
  g_array_unref (s->packets);
  g_rand_free (s->rand);
}

/* @n packets of 20 ms, a talkspurt; packet k carries the byte @first + k. */
static void
talk (Sender *s,
      guint   n,
      guint8  first)
{
  for (guint k = 0; k < n; k++) {
    Packet p = { s->t_ms + (s->jitter_ms > 0 ? g_rand_double_range (s->rand, 0, s->jitter_ms) : 0),
                 s->seq++,
                 s->ts, s->ssrc, k == 0, 0, (guint8) (first + k) };

    if (g_rand_double (s->rand) < s->loss)
      s->lost++;
    else
      g_array_append_val (s->packets, p);
    s->ts += 160;
    s->t_ms += 20;
  }
}

/* Nothing sent for @ms (silence suppression); comfort noise every 200 ms when @cn >= 0. */
static void
quiet (Sender *s,
       double  ms,
       int     cn)
{
  for (double t = 0; t < ms; t += 20) {
    if (cn >= 0 && fmod (t, 200) < 1) {
      Packet p = { s->t_ms, s->seq++, s->ts, s->ssrc, FALSE, TB_RTP_PT_CN, (guint8) cn };

      g_array_append_val (s->packets, p);
    }
    s->ts += 160;
    s->t_ms += 20;
  }
}

typedef struct {
  guint   frames;
  int    *first_at;  /* byte -> the frame where that packet played first (-1: never) */
  double *rms;       /* per frame */
} Played;

/* Runs the clock: every 20 ms, the packets that arrived by then go in, one frame comes out. */
static void
play (Sender         *s,
      TbJitterBuffer *jb,
      guint           frames,
      Played         *out)
{
  guint next = 0;

  out->frames = frames;
  out->first_at = g_new (int, 256);
  out->rms = g_new0 (double, frames);
  for (guint b = 0; b < 256; b++)
    out->first_at[b] = -1;
  for (guint f = 0; f < frames; f++) {
    gint16 frame[TB_JITTER_FRAME];
    double sum = 0;

    for (guint i = next; i < s->packets->len; i++) {
      Packet *p = &g_array_index (s->packets, Packet, i);
      guint8 payload[160];

      if (p->arrive_ms > f * 20.0 || p->arrive_ms < 0)
        continue;
      memset (payload, p->byte, sizeof payload);
      tb_jitter_buffer_push (jb, p->seq, p->ts, p->ssrc, p->marker, p->pt, payload,
                             p->pt == TB_RTP_PT_CN ? 1 : sizeof payload);
      p->arrive_ms = -1;   /* delivered */
    }
    while (next < s->packets->len && g_array_index (s->packets, Packet, next).arrive_ms < 0)
      next++;
    tb_jitter_buffer_pull (jb, frame);
    for (guint i = 0; i < TB_JITTER_FRAME; i++)
      sum += (double) frame[i] * frame[i];
    out->rms[f] = sqrt (sum / TB_JITTER_FRAME);
    for (guint b = 0; b < 256; b++)
      if (out->first_at[b] < 0 && frame[0] == tb_g711_ulaw_decode ((guint8) b) &&
          frame[TB_JITTER_FRAME - 1] == frame[0] && frame[0] != 0)
        out->first_at[b] = (int) f;
  }
}

static void
played_clear (Played *p)
{
  g_free (p->first_at);
  g_free (p->rms);
}

static void
test_g711 (void)
{
  /* Reference points of ITU-T G.711. */
  g_assert_cmpint (tb_g711_ulaw_decode (0xff), ==, 0);
  g_assert_cmpint (tb_g711_ulaw_decode (0x7f), ==, 0);
  g_assert_cmpint (tb_g711_ulaw_decode (0x80), ==, 32124);
  g_assert_cmpint (tb_g711_ulaw_decode (0x00), ==, -32124);
  g_assert_cmpint (tb_g711_alaw_decode (0xd5), ==, 8);
  g_assert_cmpint (tb_g711_alaw_decode (0x55), ==, -8);
  g_assert_cmpint (tb_g711_alaw_decode (0xaa), ==, 32256);
}

/* "Hello?", 9 s with no packet at all, then the next words: the gap keeps its length. */
static void
test_silence_suppression (void)
{
  Sender s;
  Played p;
  g_autoptr(TbJitterBuffer) jb = tb_jitter_buffer_new (0, 60);
  TbJitterStats st;

  sender_init (&s, 0, 0);
  talk (&s, 30, 0x10);        /* 0.6 s */
  quiet (&s, 9000, -1);
  talk (&s, 50, 0x40);        /* 1 s */
  play (&s, jb, 30 + 450 + 50 + 20, &p);
  tb_jitter_buffer_get_stats (jb, &st);

  /* First audio after the 60 ms delay; the second talkspurt exactly 0.6 + 9 s later. */
  g_assert_cmpint (p.first_at[0x10], ==, 3);
  g_assert_cmpint (p.first_at[0x40] - p.first_at[0x10], ==, 30 + 450);
  g_assert_cmpint (p.first_at[0x40 + 49] - p.first_at[0x40], ==, 49);
  g_assert_cmpuint (st.frames, ==, 30 + 450 + 50 + 20);
  g_assert_cmpuint (st.audio_frames, ==, 80);
  g_assert_cmpuint (st.concealed, ==, 0);
  g_assert_cmpuint (st.resyncs, ==, 0);
  g_assert_cmpfloat (p.rms[p.first_at[0x10] + 100], ==, 0.0);   /* the gap is silence */
  played_clear (&p);
  sender_clear (&s);
}

static void
test_comfort_noise (void)
{
  Sender s;
  Played p;
  g_autoptr(TbJitterBuffer) jb = tb_jitter_buffer_new (0, 60);
  TbJitterStats st;
  double expect = 32767.0 * pow (10, -40 / 20.0);

  sender_init (&s, 0, 0);
  talk (&s, 30, 0x10);
  quiet (&s, 4000, 40);       /* -40 dBov comfort noise */
  talk (&s, 20, 0x40);
  play (&s, jb, 30 + 200 + 20 + 10, &p);
  tb_jitter_buffer_get_stats (jb, &st);

  g_assert_cmpint (p.first_at[0x40] - p.first_at[0x10], ==, 30 + 200);
  g_assert_cmpuint (st.noise_frames, >=, 195);
  /* Low noise at the level the packets name (±3 dB), not silence and not speech. */
  for (int f = p.first_at[0x10] + 35; f < p.first_at[0x40] - 5; f++) {
    g_assert_cmpfloat (p.rms[f], >, expect / 1.42);
    g_assert_cmpfloat (p.rms[f], <, expect * 1.42);
  }
  played_clear (&p);
  sender_clear (&s);
}

/* 5 % loss, up to 60 ms of jitter (so packets overtake each other): the timeline holds, lost
 * packets are concealed, not skipped. */
static void
test_loss_and_jitter (void)
{
  Sender s;
  Played p;
  g_autoptr(TbJitterBuffer) jb = tb_jitter_buffer_new (0, 80);
  TbJitterStats st;
  guint reordered = 0;

  sender_init (&s, 0.05, 60);
  talk (&s, 100, 0x10);
  quiet (&s, 2000, -1);
  talk (&s, 100, 0x80);
  for (guint i = 1; i < s.packets->len; i++)
    reordered += g_array_index (s.packets, Packet, i).arrive_ms <
                 g_array_index (s.packets, Packet, i - 1).arrive_ms;
  g_assert_cmpuint (reordered, >, 10);
  g_assert_cmpuint (s.lost, >, 3);
  play (&s, jb, 100 + 100 + 100 + 20, &p);
  tb_jitter_buffer_get_stats (jb, &st);

  g_assert_cmpuint (st.frames, ==, 320);
  g_assert_cmpuint (st.late, ==, 0);
  /* Every packet that came played; every loss inside a talkspurt was concealed (one lost at
   * a talkspurt's very start or end looks like silence, as it sounds). */
  g_assert_cmpuint (st.audio_frames, ==, 200 - s.lost);
  g_assert_cmpuint (st.concealed, <=, s.lost);
  g_assert_cmpuint (st.concealed + 4, >=, s.lost);
  /* Where both talkspurts' first packets got through, they are 100 + 100 frames apart. */
  if (p.first_at[0x10] >= 0 && p.first_at[0x80] >= 0)
    g_assert_cmpint (p.first_at[0x80] - p.first_at[0x10], ==, 200);
  played_clear (&p);
  sender_clear (&s);
}

/* A transfer or a re-INVITE: the timestamps jump and the SSRC changes; the stream goes on. */
static void
test_jumps (void)
{
  Sender s;
  Played p;
  g_autoptr(TbJitterBuffer) jb = tb_jitter_buffer_new (0, 60);
  TbJitterStats st;

  sender_init (&s, 0, 0);
  talk (&s, 20, 0x10);
  quiet (&s, 1000, -1);
  s.ts += 12345678;           /* timestamp jump */
  talk (&s, 20, 0x40);
  quiet (&s, 1000, -1);
  s.ssrc = 0xabcdef;          /* a new source, new numbering */
  s.ts = 42;
  s.seq = 7;
  talk (&s, 20, 0x80);
  play (&s, jb, 20 + 50 + 20 + 50 + 20 + 10, &p);
  tb_jitter_buffer_get_stats (jb, &st);

  g_assert_cmpuint (st.resyncs, ==, 2);
  g_assert_cmpuint (st.frames, ==, 170);
  g_assert_cmpuint (st.audio_frames, ==, 60);
  /* Each talkspurt plays when it arrives (plus the delay): no gap is shortened or stretched. */
  g_assert_cmpint (p.first_at[0x40] - p.first_at[0x10], ==, 70);
  g_assert_cmpint (p.first_at[0x80] - p.first_at[0x40], ==, 70);
  played_clear (&p);
  sender_clear (&s);
}

/* A packet later than the delay is dropped and counted; one that does not belong is ignored. */
static void
test_late_and_foreign (void)
{
  g_autoptr(TbJitterBuffer) jb = tb_jitter_buffer_new (0, 40);
  guint8 payload[160];
  gint16 frame[TB_JITTER_FRAME];
  TbJitterStats st;

  memset (payload, 0x20, sizeof payload);
  tb_jitter_buffer_push (jb, 1, 1000, 5, TRUE, 0, payload, 160);
  for (int i = 0; i < 6; i++)
    tb_jitter_buffer_pull (jb, frame);
  tb_jitter_buffer_push (jb, 2, 1160, 5, FALSE, 0, payload, 160);   /* 80 ms late */
  tb_jitter_buffer_push (jb, 3, 1320, 5, FALSE, 96, payload, 160);  /* not our codec */
  tb_jitter_buffer_push (jb, 4, 1480, 5, FALSE, 0, payload, 0);     /* empty */
  tb_jitter_buffer_get_stats (jb, &st);
  g_assert_cmpuint (st.late, ==, 1);
  g_assert_cmpuint (st.packets, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/telebot/sip/jitter/g711", test_g711);
  g_test_add_func ("/telebot/sip/jitter/silence-suppression", test_silence_suppression);
  g_test_add_func ("/telebot/sip/jitter/comfort-noise", test_comfort_noise);
  g_test_add_func ("/telebot/sip/jitter/loss-and-jitter", test_loss_and_jitter);
  g_test_add_func ("/telebot/sip/jitter/jumps", test_jumps);
  g_test_add_func ("/telebot/sip/jitter/late-and-foreign", test_late_and_foreign);
  return g_test_run ();
}
