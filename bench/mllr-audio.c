/* mllr-audio.c — adaptation audio for bench/make-mllr.sh, as the embedded recognizer hears it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads lines "IN OUT" on stdin: IN an 8 kHz telephone-channel WAV (made by make-mllr.sh with
 * the same sox commands bench-speech-voices uses for its "tel" channel); OUT gets what the
 * decoder would be given for it: the bench's white line noise 20 dB under the speech
 * (tb_pcm_add_noise()), then tb_pocketsphinx_decoder_audio() (16 kHz, the noise floor), as a
 * 16 kHz WAV for sphinx_fe. Usage: mllr-audio NOISE.wav < pairs
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tb-pcm.h"
#include "tb-pocketsphinx.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) noise = NULL;
  char buf[4096];
  guint n = 0;

  if (argc != 2) {
    g_printerr ("Usage: %s NOISE.wav < \"IN OUT\" lines\n", argv[0]);
    return 2;
  }
  if ((noise = tb_pcm_load_wav (argv[1], 8000, &error)) == NULL)
    g_error ("mllr-audio: %s", error->message);
  while (fgets (buf, sizeof buf, stdin) != NULL) {
    g_auto(GStrv) f = g_strsplit (g_strstrip (buf), " ", 2);
    g_autoptr(GBytes) line = NULL;
    g_autoptr(GBytes) noisy = NULL;
    g_autoptr(GBytes) wide = NULL;

    if (g_strv_length (f) != 2)
      continue;
    if ((line = tb_pcm_load_wav (f[0], 8000, &error)) == NULL)
      g_error ("mllr-audio: %s", error->message);
    noisy = tb_pcm_add_noise (line, noise, 20);
    wide = tb_pocketsphinx_decoder_audio (noisy);
    if (!tb_pcm_write_wav (f[1], g_bytes_get_data (wide, NULL), g_bytes_get_size (wide) / 2, 1,
                           16000, &error))
      g_error ("mllr-audio: %s", error->message);
    n++;
  }
  g_printerr ("mllr-audio: %u files\n", n);
  return 0;
}
