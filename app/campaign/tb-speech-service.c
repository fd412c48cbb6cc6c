/* tb-speech-service.c — which recognizer a campaign's calls listen with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-speech-service"

#include "config.h"

#include "tb-espeak-synthesizer.h"
#include "tb-http-recognizer.h"
#include "tb-http-synthesizer.h"
#include "tb-keypad-recognizer.h"
#include "tb-pocketsphinx.h"
#include "tb-rehearsal-recognizer.h"
#include "tb-sim-line.h"
#include "tb-speech-service.h"
#include "tb-understanding.h"

#include <string.h>

/* Where an older Telebot kept it: still read (tb-credential.h). */
static const SecretSchema speech_schema = {
  "com.example.Telebot.Speech", SECRET_SCHEMA_NONE,
  {
    { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static const TbSecretKind speech_key = {
  "the speech service's API key",
  TB_SPEECH_SETTING_KEY_ENV, TB_SPEECH_SETTING_KEY_FILE, TB_SPEECH_SETTING_KEY_KEYRING,
  TB_SPEECH_SETTING_URL, TB_SPEECH_KEY_ENV_DEFAULT,
  "Telebot speech service API key", "speech",
  &speech_schema,
};

const TbSecretKind *
tb_speech_service_key_kind (void)
{
  return &speech_key;
}

GStrv
tb_speech_service_dup_lm_text (void)
{
  TbUnderstanding *u = tb_understanding_get_default ();
  g_auto(GStrv) intents = tb_understanding_dup_intents (u);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; intents[i] != NULL; i++) {
    g_auto(GStrv) more = tb_understanding_dup_sentences (u, intents[i], "en", G_MAXUINT);

    g_strv_builder_addv (b, (const char **) more);
  }
  return g_strv_builder_end (b);
}

TbRecognizer *
tb_speech_service_new_recognizer (TbStore   *store,
                                  TbScript  *script,
                                  TbLine    *line,
                                  GError   **error)
{
  g_autofree char *url = tb_store_dup_setting (store, TB_SPEECH_SETTING_URL, "");
  const char *language = tb_script_get_language (script);
  g_autofree char *model = NULL;
  g_autofree char *key = NULL;
  TbHttpRecognizer *http;
  gboolean english;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);
  g_return_val_if_fail (TB_IS_SCRIPT (script), NULL);

  /* Keys only: nothing to recognize, whatever the language or the line. */
  if (tb_script_get_keypad_only (script))
    return TB_RECOGNIZER (tb_keypad_recognizer_new ());
  english = language == NULL || g_str_has_prefix (language, "en");
  if (line != NULL && TB_IS_SIM_LINE (line) &&
      (tb_sim_line_get_rehearsal (TB_SIM_LINE (line)) || (url[0] == '\0' && !english)))
    return TB_RECOGNIZER (tb_rehearsal_recognizer_new (NULL));
  if (url[0] == '\0') {
    if (english) {
      g_autofree char *second = tb_store_dup_setting (store, TB_SPEECH_SETTING_SECOND_READING,
                                                      "off");
      g_auto(GStrv) text = NULL;

      /* Two readings when the business asks for them: better judgement of opt-outs for
       * about 1.5 times the decoding CPU (the free pass runs where the grammar reads an
       * opt-out or nothing: bench/results.md), so fewer calls per machine. Process-wide, as
       * the decoders are; the model is built once. */
      if (g_str_equal (second, "on"))
        text = tb_speech_service_dup_lm_text ();
      tb_pocketsphinx_set_lm_text ((const char * const *) text);
      /* The decoders (and the model's search in each) are made now, not in a first turn. */
      tb_pocketsphinx_prepare ();
      return TB_RECOGNIZER (tb_pocketsphinx_new ());
    }
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "script “%s” is in %s: the embedded recognizer speaks English only; "
                 "set a speech service (telebot-cli speech set URL), let callees answer by "
                 "keypad, or rehearse on the simulated line",
                 tb_script_get_name (script), language);
    return NULL;
  }
  if (!tb_secret_lookup (store, &speech_key, &key, NULL, error))
    return NULL;
  model = tb_store_dup_setting (store, TB_SPEECH_SETTING_MODEL, TB_SPEECH_MODEL_DEFAULT);
  http = tb_http_recognizer_new (url, key, model[0] != '\0' ? model : TB_SPEECH_MODEL_DEFAULT);
  if (key != NULL)
    memset (key, 0, strlen (key));
  /* "en-US" → "en", "zh-CN" → "zh": the servers take ISO 639-1. */
  if (language != NULL) {
    g_autofree char *iso = g_strndup (language, strcspn (language, "-_"));

    tb_http_recognizer_set_language (http, iso);
  }
  return TB_RECOGNIZER (http);
}

TbSynthesizer *
tb_speech_service_new_synthesizer (TbStore  *store,
                                   GError  **error)
{
  g_autofree char *url = tb_store_dup_setting (store, TB_SPEECH_SETTING_URL, "");
  g_autofree char *model = tb_store_dup_setting (store, TB_SPEECH_SETTING_TTS_MODEL, "");
  g_autofree char *voice = NULL;
  g_autofree char *key = NULL;
  TbHttpSynthesizer *http;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if (url[0] == '\0' || model[0] == '\0')
    return TB_SYNTHESIZER (tb_espeak_synthesizer_new ());
  if (!tb_secret_lookup (store, &speech_key, &key, NULL, error))
    return NULL;
  voice = tb_store_dup_setting (store, TB_SPEECH_SETTING_TTS_VOICE, "alloy");
  http = tb_http_synthesizer_new (url, key, model);
  tb_http_synthesizer_set_voice (http, voice[0] != '\0' ? voice : "alloy");
  if (key != NULL)
    memset (key, 0, strlen (key));
  return TB_SYNTHESIZER (http);
}
