/* tb-espeak.h — libespeak-ng behind a lock: text to 8 kHz telephone PCM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_ESPEAK_RATE 8000

/* Renders @text with the espeak-ng @voice ("en-us", "cmn", ...) at @words_per_minute
 * (0: the voice's default) to raw S16LE mono PCM at TB_ESPEAK_RATE Hz.
 * libespeak-ng is one global engine, so calls from any thread are serialized.
 * Blocking: call it from a worker thread, never the main loop. */
GBytes *tb_espeak_render (const char  *voice,
                          const char  *text,
                          int          words_per_minute,
                          GError     **error);

G_END_DECLS
