/* tb-sim-voice.c — what a simulated callee sounds like: espeak-ng through a telephone channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sim-voice"

#include "config.h"

#include "tb-sim-voice.h"
#include "tb-espeak.h"
#include "tb-pcm.h"

#include <math.h>

G_LOCK_DEFINE_STATIC (render_cache);
static GHashTable *render_cache;

/* A person's voice as it reaches us over a phone: below 300 Hz cut off, a
 * noise floor 20 dB under the speech, and G.711 μ-law. Synthetic speech in
 * digital silence is not what the recognizer will ever hear on a real line
 * (the speech bench measured it recognized far worse), so the simulated
 * callee goes through the same channel. The noise is seeded by the text:
 * the same phrase sounds the same in every run. */
static GBytes *
telephone_channel (GBytes     *clean,
                   const char *text)
{
  gsize n = g_bytes_get_size (clean) / sizeof (gint16);
  const gint16 *in = g_bytes_get_data (clean, NULL);
  gint16 *out = g_new (gint16, MAX (n, 1));
  guint32 state = g_str_hash (text) | 1;
  double prev_in = 0, prev_out = 0, energy = 0, amp;
  gsize loud = 0;

  for (gsize i = 0; i < n; i++)
    if (ABS (in[i]) > 100) {
      energy += (double) in[i] * in[i];
      loud++;
    }
  /* Uniform noise of amplitude A has an RMS of A / sqrt(3). */
  amp = loud > 0 ? sqrt (energy / loud) * pow (10, -20.0 / 20) * sqrt (3) : 0;

  for (gsize i = 0; i < n; i++) {
    double y = 0.809 * (prev_out + in[i] - prev_in);   /* 1st-order high-pass at 300 Hz */
    double noise;

    prev_in = in[i];
    prev_out = y;
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    noise = ((double) state / G_MAXUINT32 * 2 - 1) * amp;
    out[i] = tb_pcm_ulaw_round_trip ((gint16) CLAMP (y + noise, G_MININT16, G_MAXINT16));
  }
  return g_bytes_new_take (out, n * sizeof (gint16));
}

GBytes *
tb_sim_voice_render (const char  *voice,
                     const char  *text,
                     GError     **error)
{
  g_autofree char *key = g_strconcat (voice, "\n", text, NULL);
  g_autoptr(GBytes) clean = NULL;
  GBytes *pcm;

  G_LOCK (render_cache);
  if (render_cache == NULL)
    render_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_bytes_unref);
  pcm = g_hash_table_lookup (render_cache, key);
  if (pcm != NULL)
    g_bytes_ref (pcm);
  G_UNLOCK (render_cache);
  if (pcm != NULL)
    return pcm;

  if ((clean = tb_espeak_render (voice, text, 0, error)) == NULL)
    return NULL;
  pcm = telephone_channel (clean, text);
  G_LOCK (render_cache);
  g_hash_table_replace (render_cache, g_steal_pointer (&key), g_bytes_ref (pcm));
  G_UNLOCK (render_cache);
  return pcm;
}

/* The voicemail greeting, 300 ms of silence and a 400 ms 1 kHz beep. */
GBytes *
tb_sim_voice_render_greeting (const char  *voice_name,
                              const char  *text,
                              GError     **error)
{
  g_autoptr(GBytes) voice = tb_sim_voice_render (voice_name, text, error);
  GByteArray *out;
  gint16 sample;

  if (voice == NULL)
    return NULL;
  out = g_byte_array_new ();
  g_byte_array_append (out, g_bytes_get_data (voice, NULL), g_bytes_get_size (voice));
  for (int i = 0; i < 8000 * 3 / 10; i++) {
    sample = 0;
    g_byte_array_append (out, (guint8 *) &sample, 2);
  }
  for (int i = 0; i < 8000 * 4 / 10; i++) {
    sample = (gint16) (8000.0 * sin (2.0 * G_PI * 1000.0 * i / 8000.0));
    g_byte_array_append (out, (guint8 *) &sample, 2);
  }
  return g_byte_array_free_to_bytes (out);
}

/* A carrier's announcement, as a dead number answers: (the intercept tones,) the recording,
 * 1.5 s of quiet and the same again. The switch plays it digitally: G.711, but no room, no
 * microphone, no line noise (unlike a person's voice, telephone_channel()). */
GBytes *
tb_sim_voice_render_announcement (const char  *voice_name,
                                  const char  *text,
                                  gboolean     sit,
                                  GError     **error)
{
  static const struct { double hz; int ms; } tones[] = {
    { 913.8, 274 }, { 1370.6, 274 }, { 1776.7, 380 },
  };
  g_autoptr(GBytes) voice = tb_espeak_render (voice_name, text, 0, error);
  GByteArray *out;
  gint16 *said;
  gsize n_said;
  gint16 sample;

  if (voice == NULL)
    return NULL;
  said = g_bytes_unref_to_data (g_steal_pointer (&voice), &n_said);
  n_said /= sizeof (gint16);
  for (gsize i = 0; i < n_said; i++)
    said[i] = tb_pcm_ulaw_round_trip (said[i]);
  out = g_byte_array_new ();
  for (int round = 0; round < 2; round++) {
    if (round > 0)
      for (int i = 0; i < 8000 * 3 / 2; i++) {
        sample = 0;
        g_byte_array_append (out, (guint8 *) &sample, 2);
      }
    for (guint t = 0; sit && t < G_N_ELEMENTS (tones); t++)
      for (int i = 0; i < 8 * tones[t].ms; i++) {
        sample = tb_pcm_ulaw_round_trip ((gint16) (3000.0 * sin (2.0 * G_PI * tones[t].hz * i / 8000.0)));
        g_byte_array_append (out, (guint8 *) &sample, 2);
      }
    for (int i = 0; sit && i < 8000 / 10; i++) {
      sample = 0;
      g_byte_array_append (out, (guint8 *) &sample, 2);
    }
    g_byte_array_append (out, (guint8 *) said, n_said * sizeof (gint16));
  }
  g_free (said);
  return g_byte_array_free_to_bytes (out);
}
