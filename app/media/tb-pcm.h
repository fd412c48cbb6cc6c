/* tb-pcm.h — small PCM helpers: WAV files, resampling, levels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The telephone format every part of media/ and speech/ speaks. */
#define TB_PCM_RATE 8000
#define TB_PCM_FRAME_SAMPLES 160 /* 20 ms */

/* Parses a RIFF/WAVE file held in memory: 16-bit PCM (or 8-bit, 32-bit float, μ-law, A-law),
 * any rate, any channels. Returns the samples as interleaved S16 host order. */
GBytes *tb_pcm_parse_wav        (GBytes        *wav,
                                 guint         *rate,
                                 guint         *channels,
                                 GError       **error);
/* Reads a WAV file and returns mono S16 at @rate (mixing channels, resampling). */
GBytes *tb_pcm_load_wav         (const char    *path,
                                 guint          rate,
                                 GError       **error);
/* A complete WAV file image of S16 interleaved @samples. */
GBytes *tb_pcm_wav_bytes        (const gint16  *samples,
                                 gsize          n_frames,
                                 guint          channels,
                                 guint          rate);
gboolean tb_pcm_write_wav       (const char    *path,
                                 const gint16  *samples,
                                 gsize          n_frames,
                                 guint          channels,
                                 guint          rate,
                                 GError       **error);
/* Makes a WAV file whose writer was cut off (a crash) say how long it is: its RIFF and data
 * sizes from the file's length, a last half frame dropped. @data_bytes: what it holds. */
gboolean tb_pcm_finalize_wav    (const char    *path,
                                 gsize         *data_bytes,
                                 GError       **error);
/* Windowed-sinc resampling of mono S16. */
GBytes *tb_pcm_resample         (const gint16  *in,
                                 gsize          n_in,
                                 guint          rate_in,
                                 guint          rate_out);
/* The same with a chosen low-pass cut-off (e.g. the telephone band's 3400 Hz). */
GBytes *tb_pcm_resample_full    (const gint16  *in,
                                 gsize          n_in,
                                 guint          rate_in,
                                 guint          rate_out,
                                 double         cutoff_hz);
/* Mixes interleaved channels down to mono. */
GBytes *tb_pcm_downmix          (const gint16  *in,
                                 gsize          n_frames,
                                 guint          channels);
/* @sample through G.711 μ-law and back: what the telephone network does to every sample. */
gint16   tb_pcm_ulaw_round_trip (gint16         sample);
/* RMS level of @n samples in dB relative to full scale (-100 for digital silence). */
double   tb_pcm_rms_db          (const gint16  *samples,
                                 gsize          n);
/* @clean (mono, 16 bit) with @noise (looped) added @snr_db below the speech's RMS, measured
 * over its loud 10 ms steps at 8 kHz; for benches and tests that degrade audio. */
GBytes  *tb_pcm_add_noise       (GBytes        *clean,
                                 GBytes        *noise,
                                 double         snr_db);

G_END_DECLS
