/* tb-test-endpoint.h — a call's audio endpoint for tests and benchmarks: appsrc/appsink bins
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The callee "speaks" a timeline of PCM laid out in advance (or appended while running); the
 * bot's audio is collected. Lockstep: every bot frame the sink consumes releases one callee
 * frame, like the sim line's --fast mode. Real time: the sink syncs to the clock, so the
 * same exchange runs at 8000 samples per second.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _TbTestEndpoint TbTestEndpoint;

/* Called on the sink's streaming thread for each bot frame, before the callee frame at the
 * same position is released; may append to the timeline. */
typedef void (*TbTestEndpointFrameFunc) (TbTestEndpoint *ep,
                                         gint64          position,
                                         const gint16   *bot,
                                         guint           n,
                                         gpointer        data);

TbTestEndpoint *tb_test_endpoint_new        (gboolean        realtime,
                                             gint64          max_samples);
void            tb_test_endpoint_free       (TbTestEndpoint *ep);
GstElement     *tb_test_endpoint_get_source (TbTestEndpoint *ep);
GstElement     *tb_test_endpoint_get_sink   (TbTestEndpoint *ep);
/* Mixes @pcm into the callee timeline at sample @at. Thread-safe. */
void            tb_test_endpoint_say_at     (TbTestEndpoint *ep,
                                             gint64          at,
                                             GBytes         *pcm);
void            tb_test_endpoint_set_frame_func (TbTestEndpoint         *ep,
                                                 TbTestEndpointFrameFunc func,
                                                 gpointer                data);
/* Copies of what was exchanged so far (S16 mono 8 kHz). */
GBytes         *tb_test_endpoint_dup_bot    (TbTestEndpoint *ep);
GBytes         *tb_test_endpoint_dup_callee (TbTestEndpoint *ep);
gint64          tb_test_endpoint_get_position (TbTestEndpoint *ep);
gboolean        tb_test_endpoint_is_done    (TbTestEndpoint *ep);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbTestEndpoint, tb_test_endpoint_free)

G_END_DECLS
