/* tb-http-synthesizer.h — OpenAI-compatible POST /v1/audio/speech
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-synthesizer.h"

G_BEGIN_DECLS

#define TB_TYPE_HTTP_SYNTHESIZER (tb_http_synthesizer_get_type ())

G_DECLARE_FINAL_TYPE (TbHttpSynthesizer, tb_http_synthesizer, TB, HTTP_SYNTHESIZER, GObject)

/* @api_key: (nullable): sent as a Bearer token, never logged; @model: (nullable): "tts-1".
 * The server must answer WAV (any rate, any channels) or raw 16-bit PCM
 * ("audio/pcm", "audio/L16"; 24 kHz unless the type says rate=). */
TbHttpSynthesizer *tb_http_synthesizer_new (const char *base_url,
                                            const char *api_key,
                                            const char *model);
/* A voice of the server's ("alloy") used whatever voice a script names (a script's voices
 * are espeak-ng's, which mean nothing to a server). Part of the prompt cache's key. */
void               tb_http_synthesizer_set_voice (TbHttpSynthesizer *self,
                                                  const char        *voice);

G_END_DECLS
