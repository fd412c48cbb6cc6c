/* tb-jitter-buffer.c — RTP audio in, one 20 ms frame out per tick of the clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Samples are kept in a ring indexed by their (64-bit, extended) RTP timestamp; the playout
 * position advances by TB_JITTER_FRAME on every pull, so the output timeline is the clock's,
 * never the network's.
 */
#define G_LOG_DOMAIN "tb-jitter-buffer"

#include "config.h"

#include "tb-jitter-buffer.h"

#include <math.h>
#include <string.h>

#define RATE 8000
#define RING (RATE * 4)                 /* 4 s of audio */
#define DEFAULT_DELAY_MS 60
#define MAX_EARLY (RATE * 2)            /* a packet 2 s ahead of its time: a timestamp jump */
#define MAX_LATE RATE                   /* one 1 s behind: a jump back, or a talkspurt restart */
#define DRIFT_SLACK (RATE / 4)          /* buffered beyond delay + 250 ms: a fast sender */
#define MAX_PACKET (RATE / 4)           /* 250 ms of audio in one packet at most */

struct _TbJitterBuffer
{
  GMutex        lock;
  int           pt;
  gint64        delay;          /* samples */

  gboolean      started;
  gboolean      have_ssrc;
  guint32       ssrc;
  gint64        playout;        /* extended timestamp of the next sample to play */
  gint64        newest;         /* end of the newest audio written */

  gint16        ring[RING];
  guint8        valid[RING];

  gint16        last[TB_JITTER_FRAME];
  gboolean      last_audio;
  gboolean      in_spurt;       /* the frames just played were audio (or its concealment) */
  guint         concealing;

  double        cn_amplitude;   /* comfort noise RMS, 0: none */
  gint64        cn_from;
  guint32       seed;

  TbJitterStats stats;
};

gint16
tb_g711_ulaw_decode (guint8 u)
{
  int t;

  u = ~u;
  t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (gint16) ((u & 0x80) ? (0x84 - t) : (t - 0x84));
}

gint16
tb_g711_alaw_decode (guint8 a)
{
  int t, seg;

  a ^= 0x55;
  t = (a & 0x0f) << 4;
  seg = (a & 0x70) >> 4;
  switch (seg) {
  case 0:
    t += 8;
    break;
  case 1:
    t += 0x108;
    break;
  default:
    t += 0x108;
    t <<= seg - 1;
  }
  return (gint16) ((a & 0x80) ? t : -t);
}

TbJitterBuffer *
tb_jitter_buffer_new (int   payload_type,
                      guint delay_ms)
{
  TbJitterBuffer *self = g_new0 (TbJitterBuffer, 1);

  g_mutex_init (&self->lock);
  self->pt = payload_type;
  self->delay = (gint64) (delay_ms > 0 ? delay_ms : DEFAULT_DELAY_MS) * RATE / 1000;
  self->seed = 0x2545f491;
  return self;
}

void
tb_jitter_buffer_free (TbJitterBuffer *self)
{
  if (self == NULL)
    return;
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* The ring's slot of a position; positions may be negative (a stream starting near 0). */
static guint
slot (gint64 position)
{
  gint64 r = position % RING;

  return (guint) (r < 0 ? r + RING : r);
}

/* The 32-bit RTP timestamp as a 64-bit position near the playout position. */
static gint64
extend (TbJitterBuffer *self,
        guint32         ts)
{
  return self->playout + (gint32) (ts - (guint32) self->playout);
}

/* Starts the timeline afresh so that a sample at @ext plays after the delay. */
static void
resync (TbJitterBuffer *self,
        gint64          ext,
        gboolean        count)
{
  memset (self->valid, 0, sizeof self->valid);
  self->playout = ext - self->delay;
  self->newest = self->playout;
  self->cn_amplitude = 0;
  self->concealing = 0;
  self->in_spurt = FALSE;
  if (count)
    self->stats.resyncs++;
}

void
tb_jitter_buffer_push (TbJitterBuffer *self,
                       guint16         seq,
                       guint32         timestamp,
                       guint32         ssrc,
                       gboolean        marker,
                       int             payload_type,
                       const guint8   *payload,
                       gsize           length)
{
  gboolean cn = payload_type == TB_RTP_PT_CN;
  gint64 ext;

  g_return_if_fail (self != NULL);
  if ((!cn && payload_type != self->pt) || length == 0 || (!cn && length > MAX_PACKET))
    return;

  g_mutex_lock (&self->lock);
  self->stats.packets++;
  if (!self->started || (self->have_ssrc && ssrc != self->ssrc)) {
    /* The first packet, or a new source (a transfer, a re-INVITE): a new timeline. */
    self->playout = timestamp;
    resync (self, timestamp, self->started);
    self->started = TRUE;
  }
  self->have_ssrc = TRUE;
  self->ssrc = ssrc;
  ext = extend (self, timestamp);

  if (ext - self->playout > MAX_EARLY || self->playout - ext > MAX_LATE ||
      (marker && ext + (gint64) length <= self->playout)) {
    /* A timestamp jump, or a talkspurt that starts where the clock has already been: play
     * it after the delay, from now on. */
    resync (self, ext, TRUE);
  } else if (ext + (gint64) length <= self->playout && !cn) {
    self->stats.late++;
    g_mutex_unlock (&self->lock);
    return;
  }

  if (cn) {
    /* RFC 3389: the level byte is the noise's power in -dBov. */
    double dbov = -(double) (payload[0] & 0x7f);

    /* The noise starts where its first packet stands and goes on until audio comes back;
     * the packets that follow only update its level. */
    if (self->cn_amplitude == 0)
      self->cn_from = ext;
    self->cn_amplitude = 32767.0 * pow (10.0, dbov / 20.0);
    g_mutex_unlock (&self->lock);
    return;
  }

  if (ext + (gint64) length - self->playout > self->delay + DRIFT_SLACK + TB_JITTER_FRAME) {
    /* The sender's clock runs ahead of ours: skip what no longer fits the delay. */
    gint64 skip = ext + (gint64) length - self->playout - self->delay;

    for (gint64 i = 0; i < skip; i++)
      self->valid[slot (self->playout + i)] = 0;
    self->playout += skip;
    self->stats.dropped++;
  }

  for (gsize i = 0; i < length; i++) {
    gint64 at = ext + (gint64) i;
    guint idx;

    if (at < self->playout)
      continue;
    idx = slot (at);
    self->ring[idx] = self->pt == 8 ? tb_g711_alaw_decode (payload[i])
                                    : tb_g711_ulaw_decode (payload[i]);
    self->valid[idx] = 1;
  }
  self->newest = MAX (self->newest, ext + (gint64) length);
  if (ext >= self->cn_from)
    self->cn_amplitude = 0;
  (void) seq;
  g_mutex_unlock (&self->lock);
}

static gint16
noise (TbJitterBuffer *self)
{
  double u;

  /* Uniform noise with the comfort noise's RMS: amplitude × √3. */
  self->seed = self->seed * 1664525u + 1013904223u;
  u = (double) self->seed / 4294967296.0 * 2.0 - 1.0;
  return (gint16) CLAMP (u * self->cn_amplitude * 1.7320508, -32767.0, 32767.0);
}

void
tb_jitter_buffer_pull (TbJitterBuffer *self,
                       gint16         *frame)
{
  guint got = 0;
  gboolean cn;

  g_return_if_fail (self != NULL);
  g_mutex_lock (&self->lock);
  self->stats.frames++;
  if (!self->started) {
    memset (frame, 0, TB_JITTER_FRAME * sizeof (gint16));
    self->stats.silent_frames++;
    g_mutex_unlock (&self->lock);
    return;
  }

  cn = self->cn_amplitude > 0 && self->playout >= self->cn_from;
  for (guint i = 0; i < TB_JITTER_FRAME; i++) {
    guint idx = slot (self->playout + i);

    if (self->valid[idx]) {
      frame[i] = self->ring[idx];
      self->valid[idx] = 0;
      got++;
    } else {
      frame[i] = cn ? noise (self) : 0;
    }
  }

  if (got > 0) {
    memcpy (self->last, frame, sizeof self->last);
    self->last_audio = TRUE;
    self->in_spurt = TRUE;
    self->concealing = 0;
    self->stats.audio_frames++;
  } else if (cn) {
    self->stats.noise_frames++;
  } else if (self->in_spurt && self->newest > self->playout + TB_JITTER_FRAME) {
    /* Inside a talkspurt, audio came after this frame but not this frame: a lost packet
     * (the first frames of a talkspurt, waiting out the delay, are not). Its predecessor, 6 dB
     * quieter, hides the hole better than a click of silence — once; then silence. */
    if (self->last_audio && self->concealing == 0)
      for (guint i = 0; i < TB_JITTER_FRAME; i++)
        frame[i] = self->last[i] / 2;
    self->concealing++;
    self->stats.concealed++;
  } else {
    /* Nothing was sent for this frame: the callee is quiet (silence suppression). */
    self->in_spurt = FALSE;
    self->stats.silent_frames++;
  }
  self->playout += TB_JITTER_FRAME;
  g_mutex_unlock (&self->lock);
}

void
tb_jitter_buffer_get_stats (TbJitterBuffer *self,
                            TbJitterStats  *stats)
{
  g_return_if_fail (self != NULL);
  g_mutex_lock (&self->lock);
  *stats = self->stats;
  g_mutex_unlock (&self->lock);
}
