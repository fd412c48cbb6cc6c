/* fuzz-wav.c — the WAV reader, which parses what HTTP speech servers send back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-pcm.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) in = g_bytes_new_static (data, size);
  g_autoptr(GBytes) pcm = NULL;
  guint rate = 0, channels = 0;

  pcm = tb_pcm_parse_wav (in, &rate, &channels, NULL);
  if (pcm != NULL && rate > 0 && rate < 200000 && channels > 0 && channels < 16) {
    g_autoptr(GBytes) mono = tb_pcm_downmix (g_bytes_get_data (pcm, NULL),
                                             g_bytes_get_size (pcm) / 2 / channels, channels);
    g_autoptr(GBytes) tel = tb_pcm_resample (g_bytes_get_data (mono, NULL),
                                             MIN (g_bytes_get_size (mono) / 2, 4000), rate, 8000);
  }
  return 0;
}
