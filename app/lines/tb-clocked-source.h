/* tb-clocked-source.h — a line's callee audio as one 20 ms frame per 20 ms of the clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN.md §3 "The callee's audio runs on the clock": whatever the network or the port does,
 * the media session gets a frame every 20 ms of the pipeline clock. The bin's live source ticks;
 * at each tick @pull fills the frame (from a jitter buffer, a PCM FIFO…), silence included, so
 * timers counting samples measure wall-clock time and the recording is as long as the call.
 * Backends add their own receiving elements to the bin (gst_bin_add).
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define TB_CLOCKED_FRAME 160   /* samples: 20 ms at 8 kHz */

/* Fills @frame with TB_CLOCKED_FRAME samples (native-endian S16); runs on a streaming thread. */
typedef void (*TbClockedPullFunc) (gint16   *frame,
                                   gpointer  user_data);

/* A bin with a "src" pad of TB_CALL_AUDIO_CAPS, live, one buffer per 20 ms. @user_data is
 * released with @destroy when the bin goes. */
GstElement *tb_clocked_source_new (const char        *name,
                                   TbClockedPullFunc  pull,
                                   gpointer           user_data,
                                   GDestroyNotify     destroy);

/* The backend's stream is over (the port closed): end of stream after the current frame. */
void        tb_clocked_source_end (GstElement        *source);

G_END_DECLS
