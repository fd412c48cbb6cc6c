/* tb-espeak.c — libespeak-ng behind a lock: text to 8 kHz telephone PCM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-espeak"

#include "config.h"

#include <espeak-ng/speak_lib.h>
#include <string.h>

#include "tb-espeak.h"

static GMutex espeak_lock;
static int espeak_rate;          /* the engine's native rate (22050 Hz) */
static GByteArray *collected;    /* borrowed while a render runs, under the lock */

static int
synth_cb (short        *wav,
          int           numsamples,
          espeak_EVENT *events)
{
  if (wav != NULL && numsamples > 0)
    g_byte_array_append (collected, (const guint8 *) wav, numsamples * sizeof (short));
  return 0;
}

static gboolean
ensure_initialized (GError **error)
{
  if (espeak_rate > 0)
    return TRUE;
  espeak_rate = espeak_Initialize (AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, 0);
  if (espeak_rate <= 0) {
    espeak_rate = 0;
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "espeak-ng could not start (is espeak-ng-data installed?)");
    return FALSE;
  }
  espeak_SetSynthCallback (synth_cb);
  return TRUE;
}

/* Linear-phase enough for speech: a 4-tap average as the anti-alias filter,
 * then linear interpolation down to 8 kHz. */
static GBytes *
resample_to_8k (const gint16 *in,
                gsize         n_in,
                int           rate_in)
{
  double step = (double) rate_in / TB_ESPEAK_RATE;
  gsize n_out = (gsize) (n_in / step);
  gint16 *out = g_new (gint16, MAX (n_out, 1));

  for (gsize i = 0; i < n_out; i++) {
    double pos = i * step;
    gsize k = (gsize) pos;
    double frac = pos - k;
    double acc = 0;
    int taps = 0;

    for (gsize j = (k >= 1 ? k - 1 : 0); j <= k + 2 && j < n_in; j++, taps++)
      acc += in[j];
    acc /= MAX (taps, 1);
    if (k + 1 < n_in)
      acc = acc * 0.5 + 0.5 * (in[k] * (1 - frac) + in[k + 1] * frac);
    out[i] = (gint16) CLAMP (acc, G_MININT16, G_MAXINT16);
  }
  return g_bytes_new_take (out, n_out * sizeof (gint16));
}

GBytes *
tb_espeak_render (const char  *voice,
                  const char  *text,
                  int          words_per_minute,
                  GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&espeak_lock);
  g_autoptr(GByteArray) pcm = g_byte_array_new ();
  espeak_ERROR err;

  g_return_val_if_fail (text != NULL, NULL);

  if (!ensure_initialized (error))
    return NULL;

  if (espeak_SetVoiceByName (voice ? voice : "en-us") != EE_OK) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "espeak-ng has no voice “%s”",
                 voice ? voice : "en-us");
    return NULL;
  }
  espeak_SetParameter (espeakRATE, words_per_minute > 0 ? words_per_minute : 175, 0);

  collected = pcm;
  err = espeak_Synth (text, strlen (text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
  espeak_Synchronize ();
  collected = NULL;

  if (err != EE_OK) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "espeak-ng could not speak “%s”", text);
    return NULL;
  }
  return resample_to_8k ((const gint16 *) pcm->data, pcm->len / sizeof (gint16), espeak_rate);
}
