/* tb-peers.h — baresip and kamailio as real peers for the SIP tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GSubprocess *process;
  char        *dir;
  char        *log_path;
  guint16      port;
} TbPeer;

/* Renders @text with espeak-ng and sox to an 8 kHz 16-bit mono WAV at @path. */
void      tb_peer_make_speech_wav (const char *text,
                                   const char *path);
/* baresip on a free port, auto-answering as "bob" and playing @wav (it hangs up at its end).
 * With @registrar ("127.0.0.1:PORT") it registers there as bob/bobsecret first. Decoded
 * audio it receives is dumped by its sndfile module into the peer's dir. */
TbPeer   *tb_peer_start_baresip   (const char *wav,
                                   const char *registrar);
/* kamailio in the foreground on a free port with tests/data/kamailio/. */
TbPeer   *tb_peer_start_kamailio  (void);
/* Iterates the main context until the peer's log holds @text; FALSE on timeout. */
gboolean  tb_peer_wait_log        (TbPeer     *peer,
                                   const char *text,
                                   guint       timeout_ms);
char     *tb_peer_dup_log         (TbPeer     *peer);
/* The first file in the peer's dir whose name contains @part and ends in .wav, or NULL. */
char     *tb_peer_find_wav        (TbPeer     *peer,
                                   const char *part);
void      tb_peer_free            (TbPeer     *peer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbPeer, tb_peer_free)

/* RMS (0..1) and length (s) of a WAV, read with sox. */
gboolean  tb_wav_stats            (const char *path,
                                   double     *rms,
                                   double     *seconds);

G_END_DECLS
