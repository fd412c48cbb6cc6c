/* tb-dtmf-detector.h — DTMF digits in 8 kHz PCM (spandsp's dtmf_rx)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TbDtmfDetector TbDtmfDetector;

TbDtmfDetector *tb_dtmf_detector_new     (void);
void            tb_dtmf_detector_free    (TbDtmfDetector *det);
/* Feeds @n samples; returns the digits completed in them ("" if none), owned by @det until
 * the next call. */
const char     *tb_dtmf_detector_process (TbDtmfDetector *det,
                                          const gint16   *pcm,
                                          gsize           n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbDtmfDetector, tb_dtmf_detector_free)

G_END_DECLS
