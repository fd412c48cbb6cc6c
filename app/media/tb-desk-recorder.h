/* tb-desk-recorder.h — the desk microphone, recorded: a prompt, or what one says to Try it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The microphone is autoaudiosrc, or the GStreamer description in TELEBOT_AUDIOSRC (the same
 * one a call's take-over uses). Audio arrives as 8 kHz mono S16LE, what calls carry.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_TYPE_DESK_RECORDER (tb_desk_recorder_get_type ())

G_DECLARE_FINAL_TYPE (TbDeskRecorder, tb_desk_recorder, TB, DESK_RECORDER, GObject)

TbDeskRecorder *tb_desk_recorder_new          (void);
/* Opens the microphone and starts keeping what it hears; FALSE with @error when there is
 * none (the message names the device). */
gboolean        tb_desk_recorder_start        (TbDeskRecorder  *self,
                                               GError         **error);
gboolean        tb_desk_recorder_is_recording (TbDeskRecorder  *self);
/* Seconds recorded so far. */
double          tb_desk_recorder_get_seconds  (TbDeskRecorder  *self);
/* Closes the microphone and returns the PCM recorded; NULL with @error if the device failed
 * before any audio arrived, or nothing was recorded. */
GBytes         *tb_desk_recorder_stop         (TbDeskRecorder  *self,
                                               GError         **error);

G_END_DECLS
