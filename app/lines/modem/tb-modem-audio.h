/* tb-modem-audio.h — a modem's PCM voice port as the call's audio endpoint bins
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The port carries 8 kHz signed 16-bit little-endian mono both ways (Huawei's second
 * ttyUSB after AT^DDSETEX=2, SIMCom's after AT+CPCMREG=1). The bins follow
 * the audio contract (app/lines/README.md): a live source on the pipeline clock ("src" ghost
 * pad, a 20 ms frame per 20 ms) and a clock-synced sink ("sink" ghost pad). They work in any
 * pipeline.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define TB_MODEM_AUDIO_CAPS \
  "audio/x-raw, format=(string)S16LE, rate=(int)8000, channels=(int)1, " \
  "layout=(string)interleaved"

#define TB_TYPE_MODEM_AUDIO (tb_modem_audio_get_type ())
G_DECLARE_FINAL_TYPE (TbModemAudio, tb_modem_audio, TB, MODEM_AUDIO, GObject)

TbModemAudio *tb_modem_audio_new           (const char    *path);
const char   *tb_modem_audio_get_path      (TbModemAudio  *self);
/* Opens the port (raw, non-blocking). Until set_flowing (TRUE) what it reads is dropped. */
gboolean      tb_modem_audio_open          (TbModemAudio  *self,
                                            GError       **error);
/* Starts or stops moving audio between the port and the bins. */
void          tb_modem_audio_set_flowing   (TbModemAudio  *self,
                                            gboolean       flowing);
/* Closes the port and ends the source's stream (EOS). */
void          tb_modem_audio_close         (TbModemAudio  *self);

/* (transfer none) The endpoint bins; built on first use, owned by @self. */
GstElement   *tb_modem_audio_get_source    (TbModemAudio  *self);
GstElement   *tb_modem_audio_get_sink      (TbModemAudio  *self);

guint64       tb_modem_audio_get_bytes_in  (TbModemAudio  *self);
guint64       tb_modem_audio_get_bytes_out (TbModemAudio  *self);

G_END_DECLS
