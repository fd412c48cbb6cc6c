/* tb-recording-player.h — play a call's recording on the desk's speakers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_TYPE_RECORDING_PLAYER (tb_recording_player_get_type ())
G_DECLARE_FINAL_TYPE (TbRecordingPlayer, tb_recording_player, TB, RECORDING_PLAYER, GObject)

TbRecordingPlayer *tb_recording_player_new          (void);
/* Opens @path (any format GStreamer decodes), paused at 0. */
gboolean           tb_recording_player_open         (TbRecordingPlayer  *self,
                                                     const char         *path,
                                                     GError            **error);
void               tb_recording_player_play         (TbRecordingPlayer  *self);
void               tb_recording_player_pause        (TbRecordingPlayer  *self);
void               tb_recording_player_seek         (TbRecordingPlayer  *self,
                                                     gint64              position_us);
gboolean           tb_recording_player_get_playing  (TbRecordingPlayer  *self);
gint64             tb_recording_player_get_position (TbRecordingPlayer  *self);
gint64             tb_recording_player_get_duration (TbRecordingPlayer  *self);

/* Peak amplitude 0..1 in @n_buckets equal slices of a 16-bit PCM WAV file
 * (all channels), and its duration. (element-type float) (transfer full) */
GArray            *tb_recording_read_peaks          (const char         *path,
                                                     guint               n_buckets,
                                                     gint64             *duration_us,
                                                     GError            **error);

G_END_DECLS
