/* tb-media-decode.h — any audio file to 8 kHz mono PCM, cached in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Decodes any audio file GStreamer reads (WAV, OGG, MP3, FLAC, …) to 8 kHz mono S16LE PCM off
 * the calling thread. Results are cached in memory by path and modification time. */
void    tb_media_decode_file_async  (const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
GBytes *tb_media_decode_file_finish (GAsyncResult        *result,
                                     GError             **error);
/* The same, blocking: for worker threads and the command line. */
GBytes *tb_media_decode_file        (const char          *path,
                                     GCancellable        *cancellable,
                                     GError             **error);

G_END_DECLS
