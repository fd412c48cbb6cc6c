/* tb-line-test-util.h — shared by the line tests: state logs, a bot harness, peers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "tb-call.h"
#include "tb-line.h"

G_BEGIN_DECLS

/* Records every state a call goes through, in order. */
typedef struct {
  TbCall  *call;
  GArray  *states;      /* TbCallState */
  gint64   started_us;  /* monotonic */
  gint64   answered_us;
  gint64   ended_us;
  GString *dtmf;        /* "dtmf-received" digits */
} TbStateLog;

TbStateLog *tb_state_log_new          (TbCall      *call);
void        tb_state_log_free         (TbStateLog  *log);
/* Iterates the main context until the call reaches @state (or ENDED); FALSE on timeout. */
gboolean    tb_state_log_wait         (TbStateLog  *log,
                                       TbCallState  state,
                                       guint        timeout_ms);
/* Asserts states are in strictly increasing (legal) order and end with ENDED. */
void        tb_state_log_assert_legal (TbStateLog  *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbStateLog, tb_state_log_free)

/* Plays @bot_pcm (8 kHz S16LE; NULL: silence), then silence, into the call's sink and records
 * the callee's audio from its source, for @total_ms of audio (or until the callee's EOS or the
 * call ends and @stop_on_end). Lockstep-aware: non-realtime calls run unsynced. */
typedef struct {
  GByteArray *callee;        /* recorded callee PCM */
  GstCaps    *caps;          /* negotiated caps of the source's "src" pad */
  gint64      wall_us;       /* how long the run took */
  gboolean    callee_eos;
  guint64     bot_samples;   /* bot audio fed (with silence) */
  guint       buffers;       /* callee buffers received */
  guint       odd_buffers;   /* ... that were not 20 ms (320 bytes) */
} TbEndpointRun;

TbEndpointRun *tb_endpoint_run      (TbCall    *call,
                                     GBytes    *bot_pcm,
                                     GBytes    *bot_pcm2,
                                     guint      gap_ms,
                                     guint      total_ms);
void           tb_endpoint_run_free (TbEndpointRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbEndpointRun, tb_endpoint_run_free)

/* First 20 ms frame (index) of @pcm with RMS above @rms at or after @from, or -1. */
gint64      tb_pcm_first_voiced     (GByteArray *pcm,
                                     guint64     from_frame,
                                     double      rms);
/* Voiced 20 ms frames in @pcm. */
guint       tb_pcm_count_voiced     (GByteArray *pcm,
                                     double      rms);

/* A free UDP+TCP port on 127.0.0.1 (and, when @pair, port+1 free too). */
guint16     tb_test_free_port       (gboolean pair);

G_END_DECLS
