/* tb-jitter-buffer.h — RTP audio in, one 20 ms frame out per tick of the clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN.md §3 "The callee's audio runs on the clock". Packets go in as the network delivers
 * them (any order, any ptime, with gaps); frames come out as a clock asks for them, one per
 * 20 ms, whatever the network did:
 *
 *   - a packet plays at its RTP timestamp, a fixed delay (default 60 ms) after the first one
 *     of its talkspurt, so reordering and jitter within the delay cost nothing;
 *   - no packets (silence suppression / VAD) is silence of the right length; RFC 3389 comfort
 *     noise (payload 13) is low noise at the level it names, until the next audio;
 *   - a lost packet is concealed (its predecessor, quieter) for one frame, then silence;
 *   - a timestamp jump, an SSRC change, or a talkspurt that starts far from where the clock
 *     expects it resynchronizes: the stream never shortens or stretches the timeline;
 *   - a sender whose clock runs fast fills the buffer: audio beyond its bound is dropped.
 *
 * Thread-safe: push from the network thread, pull from the clock's.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TB_JITTER_FRAME 160   /* samples: 20 ms at 8 kHz */
#define TB_RTP_PT_CN 13       /* RFC 3389 comfort noise */

typedef struct _TbJitterBuffer TbJitterBuffer;

typedef struct {
  guint64 packets;        /* audio and comfort-noise packets taken */
  guint64 frames;         /* frames pulled */
  guint64 audio_frames;   /* frames with some callee audio in them */
  guint64 silent_frames;  /* frames of silence (nothing was sent for them) */
  guint64 noise_frames;   /* frames of comfort noise */
  guint64 concealed;      /* frames filled in for a lost packet */
  guint64 late;           /* packets that came after their time and were dropped */
  guint64 dropped;        /* packets beyond the buffer's bound (a fast sender) */
  guint64 resyncs;        /* timestamp jumps, SSRC changes */
} TbJitterStats;

/* @payload_type: 0 (PCMU) or 8 (PCMA); @delay_ms: how long a talkspurt waits before it
 * plays (0: 60 ms). */
TbJitterBuffer *tb_jitter_buffer_new    (int              payload_type,
                                         guint            delay_ms);
void            tb_jitter_buffer_free   (TbJitterBuffer  *self);
/* One RTP packet's header fields and payload; other payload types are ignored. */
void            tb_jitter_buffer_push   (TbJitterBuffer  *self,
                                         guint16          seq,
                                         guint32          timestamp,
                                         guint32          ssrc,
                                         gboolean         marker,
                                         int              payload_type,
                                         const guint8    *payload,
                                         gsize            length);
/* The next TB_JITTER_FRAME samples of the callee's audio (8 kHz, S16, native endian). */
void            tb_jitter_buffer_pull   (TbJitterBuffer  *self,
                                         gint16          *frame);
void            tb_jitter_buffer_get_stats (TbJitterBuffer *self,
                                         TbJitterStats   *stats);

/* G.711 decoding, exposed for tests. */
gint16          tb_g711_ulaw_decode     (guint8           u);
gint16          tb_g711_alaw_decode     (guint8           a);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbJitterBuffer, tb_jitter_buffer_free)

G_END_DECLS
