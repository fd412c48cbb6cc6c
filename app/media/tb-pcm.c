/* tb-pcm.c — small PCM helpers: WAV files, resampling, levels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-pcm"

#include "config.h"

#include "tb-pcm.h"

#include <math.h>
#include <string.h>

static guint16
rd16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
rd32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static gint16
ulaw_to_s16 (guint8 u)
{
  int t;

  u = ~u;
  t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (u & 0x80) ? (0x84 - t) : (t - 0x84);
}

static gint16
alaw_to_s16 (guint8 a)
{
  int t, seg;

  a ^= 0x55;
  t = (a & 0x0f) << 4;
  seg = (a & 0x70) >> 4;
  if (seg == 0)
    t += 8;
  else if (seg == 1)
    t += 0x108;
  else
    t = (t + 0x108) << (seg - 1);
  return (a & 0x80) ? t : -t;
}

GBytes *
tb_pcm_parse_wav (GBytes  *wav,
                  guint   *rate,
                  guint   *channels,
                  GError **error)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (wav, &len);
  gsize pos = 12;
  guint fmt = 0, nch = 0, sr = 0, bits = 0;
  gboolean have_fmt = FALSE;

  if (len < 12 || memcmp (d, "RIFF", 4) != 0 || memcmp (d + 8, "WAVE", 4) != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a RIFF/WAVE file");
    return NULL;
  }
  while (pos + 8 <= len) {
    guint32 csize = rd32 (d + pos + 4);
    const guint8 *c = d + pos + 8;
    gsize avail = len - pos - 8;

    if (memcmp (d + pos, "fmt ", 4) == 0 && csize >= 16 && avail >= 16) {
      fmt = rd16 (c);
      nch = rd16 (c + 2);
      sr = rd32 (c + 4);
      bits = rd16 (c + 14);
      if (fmt == 0xfffe && csize >= 26 && avail >= 26)
        fmt = rd16 (c + 24); /* WAVE_FORMAT_EXTENSIBLE: the sub-format's first word */
      have_fmt = TRUE;
    } else if (memcmp (d + pos, "data", 4) == 0) {
      gsize n_bytes = MIN ((gsize) csize, avail);
      gsize bps, n, i;
      gint16 *out;

      if (!have_fmt || nch == 0 || sr == 0) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "WAV data before its format");
        return NULL;
      }
      if (fmt == 1 && bits == 16)
        bps = 2;
      else if (fmt == 1 && bits == 8)
        bps = 1;
      else if (fmt == 3 && bits == 32)
        bps = 4;
      else if ((fmt == 6 || fmt == 7) && bits == 8)
        bps = 1;
      else {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     "WAV format %u with %u bits is not supported", fmt, bits);
        return NULL;
      }
      n = n_bytes / bps;
      n -= n % nch;
      out = g_new (gint16, MAX (n, 1));
      for (i = 0; i < n; i++) {
        const guint8 *s = c + i * bps;

        if (fmt == 1 && bps == 2)
          out[i] = (gint16) rd16 (s);
        else if (fmt == 1)
          out[i] = (gint16) ((s[0] - 128) << 8);
        else if (fmt == 3) {
          guint32 u = rd32 (s);
          float f;

          memcpy (&f, &u, 4);
          out[i] = (gint16) CLAMP (f * 32767.0f, -32768.0f, 32767.0f);
        } else if (fmt == 7)
          out[i] = ulaw_to_s16 (s[0]);
        else
          out[i] = alaw_to_s16 (s[0]);
      }
      if (rate)
        *rate = sr;
      if (channels)
        *channels = nch;
      return g_bytes_new_take (out, n * sizeof (gint16));
    }
    /* In 64 bits: 8 + 0xFFFFFFF7 + 1 is 0 in 32, and the loop never moved on. A chunk
     * that runs past the end is the last one. */
    if ((gsize) csize + (csize & 1) >= avail)
      break;
    pos += 8 + (gsize) csize + (csize & 1);
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "WAV file has no data chunk");
  return NULL;
}

GBytes *
tb_pcm_load_wav (const char  *path,
                 guint        rate,
                 GError     **error)
{
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) pcm = NULL;
  g_autoptr(GBytes) mono = NULL;
  g_autoptr(GError) local = NULL;
  char *data;
  gsize len;
  guint sr, nch;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  raw = g_bytes_new_take (data, len);
  if ((pcm = tb_pcm_parse_wav (raw, &sr, &nch, &local)) == NULL) {
    g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
    return NULL;
  }
  mono = nch == 1 ? g_bytes_ref (pcm)
                  : tb_pcm_downmix (g_bytes_get_data (pcm, NULL),
                                    g_bytes_get_size (pcm) / 2 / nch, nch);
  if (sr == rate)
    return g_steal_pointer (&mono);
  return tb_pcm_resample (g_bytes_get_data (mono, NULL), g_bytes_get_size (mono) / 2, sr, rate);
}

static void
put16 (guint8 *p,
       guint16 v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
put32 (guint8 *p,
       guint32 v)
{
  put16 (p, v & 0xffff);
  put16 (p + 2, v >> 16);
}

GBytes *
tb_pcm_wav_bytes (const gint16 *samples,
                  gsize         n_frames,
                  guint         channels,
                  guint         rate)
{
  gsize data_len = n_frames * channels * 2;
  guint8 *buf = g_malloc (44 + data_len);

  memcpy (buf, "RIFF", 4);
  put32 (buf + 4, 36 + data_len);
  memcpy (buf + 8, "WAVEfmt ", 8);
  put32 (buf + 16, 16);
  put16 (buf + 20, 1);
  put16 (buf + 22, channels);
  put32 (buf + 24, rate);
  put32 (buf + 28, rate * channels * 2);
  put16 (buf + 32, channels * 2);
  put16 (buf + 34, 16);
  memcpy (buf + 36, "data", 4);
  put32 (buf + 40, data_len);
  for (gsize i = 0; i < n_frames * channels; i++)
    put16 (buf + 44 + 2 * i, (guint16) samples[i]);
  return g_bytes_new_take (buf, 44 + data_len);
}

gboolean
tb_pcm_write_wav (const char    *path,
                  const gint16  *samples,
                  gsize          n_frames,
                  guint          channels,
                  guint          rate,
                  GError       **error)
{
  g_autoptr(GBytes) wav = tb_pcm_wav_bytes (samples, n_frames, channels, rate);

  /* Prompts and recordings are their owner's alone. */
  return g_file_set_contents_full (path, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static guint32
get32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

gboolean
tb_pcm_finalize_wav (const char  *path,
                     gsize       *data_bytes,
                     GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileIOStream) io = NULL;
  g_autoptr(GFileInfo) info = NULL;
  GInputStream *in;
  GOutputStream *out;
  GSeekable *seek;
  guint8 head[512];
  guint8 field[4];
  gsize got = 0, pos = 12, data_at = 0;
  guint block = 0;
  goffset size, data;

  g_return_val_if_fail (path != NULL, FALSE);

  file = g_file_new_for_path (path);
  if ((io = g_file_open_readwrite (file, NULL, error)) == NULL ||
      (info = g_file_io_stream_query_info (io, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL,
                                           error)) == NULL)
    return FALSE;
  size = g_file_info_get_size (info);
  in = g_io_stream_get_input_stream (G_IO_STREAM (io));
  out = g_io_stream_get_output_stream (G_IO_STREAM (io));
  seek = G_SEEKABLE (io);
  if (!g_input_stream_read_all (in, head, sizeof head, &got, NULL, error))
    return FALSE;
  if (got < 12 || memcmp (head, "RIFF", 4) != 0 || memcmp (head + 8, "WAVE", 4) != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a WAV file", path);
    return FALSE;
  }
  /* The header a crash left as it was written first: sizes of 0. Walk to the data chunk. */
  while (pos + 8 <= got) {
    guint32 csize = get32 (head + pos + 4);

    if (memcmp (head + pos, "fmt ", 4) == 0 && pos + 8 + 16 <= got)
      block = head[pos + 8 + 12] | (head[pos + 8 + 13] << 8);
    if (memcmp (head + pos, "data", 4) == 0) {
      data_at = pos + 8;
      break;
    }
    pos += 8 + (gsize) csize + (csize & 1);
  }
  if (data_at == 0 || block == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no PCM data chunk", path);
    return FALSE;
  }
  /* Finished already: the header says how long, and the file holds exactly that much. A
   * header that says less than the file holds was written before the last samples (a kill
   * between two header updates): it is made to say all of them. */
  data = get32 (head + data_at - 4);
  if (data > 0 && (goffset) data_at + data == size) {
    if (data_bytes != NULL)
      *data_bytes = (gsize) data;
    return g_io_stream_close (G_IO_STREAM (io), NULL, error);
  }
  data = MAX (size - (goffset) data_at, 0);
  data -= data % block;                 /* a frame cut in half is dropped */
  data = MIN (data, (goffset) G_MAXUINT32 - (goffset) data_at);
  if (!g_seekable_truncate (seek, data_at + data, NULL, error))
    return FALSE;
  put32 (field, (guint32) (data_at - 8 + data));
  if (!g_seekable_seek (seek, 4, G_SEEK_SET, NULL, error) ||
      !g_output_stream_write_all (out, field, 4, NULL, NULL, error))
    return FALSE;
  put32 (field, (guint32) data);
  if (!g_seekable_seek (seek, data_at - 4, G_SEEK_SET, NULL, error) ||
      !g_output_stream_write_all (out, field, 4, NULL, NULL, error) ||
      !g_io_stream_close (G_IO_STREAM (io), NULL, error))
    return FALSE;
  if (data_bytes != NULL)
    *data_bytes = (gsize) data;
  return TRUE;
}

GBytes *
tb_pcm_resample (const gint16 *in,
                 gsize         n_in,
                 guint         rate_in,
                 guint         rate_out)
{
  /* Cut off a little below the lower Nyquist frequency. */
  return tb_pcm_resample_full (in, n_in, rate_in, rate_out, 0.45 * MIN (rate_in, rate_out));
}

GBytes *
tb_pcm_resample_full (const gint16 *in,
                      gsize         n_in,
                      guint         rate_in,
                      guint         rate_out,
                      double        cutoff_hz)
{
  double ratio = (double) rate_out / rate_in;
  /* The cut-off in cycles per input sample, times two. */
  double fc = 2.0 * MIN (cutoff_hz, 0.5 * MIN (rate_in, rate_out)) / rate_in;
  int half = (int) ceil (24.0 / MIN (1.0, ratio));
  gsize n_out = (gsize) floor (n_in * ratio);
  gint16 *out;

  if (rate_in == rate_out && cutoff_hz >= 0.45 * rate_in)
    return g_bytes_new (in, n_in * sizeof (gint16));
  out = g_new (gint16, MAX (n_out, 1));
  for (gsize i = 0; i < n_out; i++) {
    double t = i / ratio;
    long c = (long) floor (t);
    double acc = 0, wsum = 0;

    for (long j = c - half + 1; j <= c + half; j++) {
      double x = t - j;
      double s, w;

      if (j < 0 || j >= (long) n_in)
        continue;
      s = fabs (x) < 1e-9 ? 1.0 : sin (G_PI * fc * x) / (G_PI * fc * x);
      w = 0.5 + 0.5 * cos (G_PI * x / half); /* Hann */
      acc += in[j] * s * w;
      wsum += s * w;
    }
    if (wsum != 0)
      acc /= wsum;
    out[i] = (gint16) CLAMP (lrint (acc), G_MININT16, G_MAXINT16);
  }
  return g_bytes_new_take (out, n_out * sizeof (gint16));
}

GBytes *
tb_pcm_downmix (const gint16 *in,
                gsize         n_frames,
                guint         channels)
{
  gint16 *out = g_new (gint16, MAX (n_frames, 1));

  for (gsize i = 0; i < n_frames; i++) {
    int acc = 0;

    for (guint c = 0; c < channels; c++)
      acc += in[i * channels + c];
    out[i] = (gint16) (acc / (int) channels);
  }
  return g_bytes_new_take (out, n_frames * sizeof (gint16));
}

gint16
tb_pcm_ulaw_round_trip (gint16 sample)
{
  int sign = sample < 0;
  int mag = MIN (ABS ((int) sample), 32635) + 132;
  int exponent = 7;
  int mantissa, out;

  for (int mask = 0x4000; (mag & mask) == 0 && exponent > 0; mask >>= 1)
    exponent--;
  mantissa = (mag >> (exponent + 3)) & 0x0f;
  out = (((mantissa << 3) + 132) << exponent) - 132;
  return (gint16) (sign ? -out : out);
}

double
tb_pcm_rms_db (const gint16 *samples,
               gsize         n)
{
  double acc = 0;

  if (n == 0)
    return -100;
  for (gsize i = 0; i < n; i++)
    acc += (double) samples[i] * samples[i];
  acc = sqrt (acc / n) / 32768.0;
  return acc < 1e-5 ? -100 : 20 * log10 (acc);
}

GBytes *
tb_pcm_add_noise (GBytes *clean,
                  GBytes *noise,
                  double  snr_db)
{
  gsize n, nn;
  const gint16 *s = g_bytes_get_data (clean, &n);
  const gint16 *z = g_bytes_get_data (noise, &nn);
  gint16 *out;
  double sp = 0, np = 0, gain;
  gsize loud = 0;

  n /= 2;
  nn /= 2;
  for (gsize i = 0; i + 80 <= n; i += 80) {
    if (tb_pcm_rms_db (s + i, 80) > -45) {
      for (gsize k = i; k < i + 80; k++)
        sp += (double) s[k] * s[k];
      loud += 80;
    }
  }
  for (gsize i = 0; i < nn; i++)
    np += (double) z[i] * z[i];
  sp /= MAX (loud, 1);
  np /= MAX (nn, 1);
  gain = sqrt (sp / np) * pow (10, -snr_db / 20);
  out = g_new (gint16, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    out[i] = (gint16) CLAMP (s[i] + gain * z[i % nn], G_MININT16, G_MAXINT16);
  return g_bytes_new_take (out, n * 2);
}
