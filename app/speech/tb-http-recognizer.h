/* tb-http-recognizer.h — OpenAI-compatible POST /v1/audio/transcriptions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-recognizer.h"

G_BEGIN_DECLS

#define TB_TYPE_HTTP_RECOGNIZER (tb_http_recognizer_get_type ())

/* The rate the utterance is sent at (the call's 8 kHz audio, resampled). */
#define TB_HTTP_RECOGNIZER_RATE 16000

G_DECLARE_FINAL_TYPE (TbHttpRecognizer, tb_http_recognizer, TB, HTTP_RECOGNIZER, GObject)

/* @base_url: "http://127.0.0.1:8080" or ".../v1"; @api_key: (nullable): sent as a Bearer
 * token, never logged; @model: (nullable): "whisper-1" by default. Requests that take longer
 * than the "timeout-ms" property (default 8000) end as a failed recognition with reason
 * "timeout". */
TbHttpRecognizer *tb_http_recognizer_new         (const char       *base_url,
                                                  const char       *api_key,
                                                  const char       *model);
void              tb_http_recognizer_set_language (TbHttpRecognizer *self,
                                                   const char       *language);
TbRecognition    *tb_http_recognizer_parse_answer (const char       *data,
                                                   gsize             length,
                                                   GError          **error);

G_END_DECLS
