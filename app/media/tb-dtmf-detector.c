/* tb-dtmf-detector.c — DTMF digits in 8 kHz PCM (spandsp's dtmf_rx)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-dtmf-detector"

#include "config.h"

#include "tb-dtmf-detector.h"

#include <spandsp.h>

struct _TbDtmfDetector
{
  dtmf_rx_state_t *rx;
  char digits[64];
};

TbDtmfDetector *
tb_dtmf_detector_new (void)
{
  TbDtmfDetector *det = g_new0 (TbDtmfDetector, 1);

  det->rx = dtmf_rx_init (NULL, NULL, NULL);
  return det;
}

void
tb_dtmf_detector_free (TbDtmfDetector *det)
{
  if (det == NULL)
    return;
  dtmf_rx_free (det->rx);
  g_free (det);
}

const char *
tb_dtmf_detector_process (TbDtmfDetector *det,
                          const gint16   *pcm,
                          gsize           n)
{
  size_t got;

  dtmf_rx (det->rx, pcm, (int) n);
  got = dtmf_rx_get (det->rx, det->digits, sizeof det->digits - 1);
  det->digits[got] = '\0';
  return det->digits;
}
