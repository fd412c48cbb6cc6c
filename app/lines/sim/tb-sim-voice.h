/* tb-sim-voice.h — what a simulated callee sounds like: espeak-ng through a telephone channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @text said by the espeak-ng @voice as a person on a phone sounds (8 kHz S16: below 300 Hz
 * cut, a noise floor 20 dB under the speech seeded by the text, G.711 μ-law); cached for the
 * process, thread-safe. NULL with @error if espeak-ng cannot say it. */
GBytes *tb_sim_voice_render              (const char  *voice,
                                          const char  *text,
                                          GError     **error);
/* A voicemail greeting: @text, 300 ms of quiet and a 400 ms 1 kHz beep. */
GBytes *tb_sim_voice_render_greeting     (const char  *voice_name,
                                          const char  *text,
                                          GError     **error);
/* A carrier's announcement as a dead number answers: (the intercept tones if @sit,) the
 * recording, 1.5 s of quiet, the same again; digital (μ-law, no line noise). */
GBytes *tb_sim_voice_render_announcement (const char  *voice_name,
                                          const char  *text,
                                          gboolean     sit,
                                          GError     **error);

G_END_DECLS
