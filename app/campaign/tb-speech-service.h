/* tb-speech-service.h — which recognizer a campaign's calls listen with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * By default the embedded one: pocketsphinx with each node's grammar (English only). With
 * "speech-url" set, an OpenAI-compatible speech server (POST /v1/audio/transcriptions, any
 * language the server knows; model "speech-model", default whisper-1) hears the callee and
 * the script's matcher names the intent. Its API key is a TbSecretKind: "speech-key-env",
 * "speech-key-file" (0600) or "speech-key-keyring" (schema com.example.Telebot.Speech), else
 * TELEBOT_SPEECH_API_KEY when set; a server without a key is allowed (a local one).
 * Prompts are spoken by espeak-ng unless "speech-tts-model" is set too: then the same server
 * speaks them (POST /v1/audio/speech) in its voice "speech-tts-voice" (default alloy).
 */
#pragma once

#include "tb-recognizer.h"
#include "tb-synthesizer.h"
#include "tb-script.h"
#include "tb-secret.h"
#include "tb-line.h"
#include "tb-store.h"

G_BEGIN_DECLS

#define TB_SPEECH_SETTING_URL         "speech-url"
#define TB_SPEECH_SETTING_MODEL       "speech-model"
#define TB_SPEECH_SETTING_TTS_MODEL   "speech-tts-model"
#define TB_SPEECH_SETTING_TTS_VOICE   "speech-tts-voice"
#define TB_SPEECH_SETTING_KEY_ENV     "speech-key-env"
#define TB_SPEECH_SETTING_KEY_FILE    "speech-key-file"
#define TB_SPEECH_SETTING_KEY_KEYRING "speech-key-keyring"
/* "on": the embedded recognizer reads an utterance twice (its grammar, and freely over a
 * language model of what callees say) where the grammar reads an opt-out or nothing, and the
 * dialog weighs the two readings; about 1.5 times the decoding CPU (bench/results.md).
 * Default "off". */
#define TB_SPEECH_SETTING_SECOND_READING "speech-second-reading"
#define TB_SPEECH_KEY_ENV_DEFAULT     "TELEBOT_SPEECH_API_KEY"
#define TB_SPEECH_MODEL_DEFAULT       "whisper-1"

const TbSecretKind *tb_speech_service_key_kind     (void);
/* The recognizer for @script's calls on @line (NULL: not known yet), as the settings say:
 * none for a keypad-only script (TbKeypadRecognizer hears no words); the speech server when
 * one is set, else pocketsphinx for English. On the simulated line a
 * rehearsal (TbRehearsalRecognizer) when the line is in rehearsal mode or no engine speaks
 * the script's language. NULL with @error when the settings name a key that cannot be read,
 * or when no engine speaks the script's language on a real line. */
/* The embedded recognizer's free-pass language model text: every English sentence the
 * understanding's rules give as an example (tb_pocketsphinx_set_lm_text()). */
GStrv               tb_speech_service_dup_lm_text   (void);
TbRecognizer       *tb_speech_service_new_recognizer (TbStore   *store,
                                                      TbScript  *script,
                                                      TbLine    *line,
                                                      GError   **error);

/* The synthesizer of the prompts: espeak-ng, or the speech server when the settings name a
 * speech model; NULL with @error when its key cannot be read. */
TbSynthesizer      *tb_speech_service_new_synthesizer (TbStore  *store,
                                                       GError  **error);

G_END_DECLS
