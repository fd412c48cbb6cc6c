/* tb-cli-speech.c — telebot-cli speech set | show | clear: the speech service campaigns use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The URL and the model go to the store's settings; the API key never does: --key-env
 * records the name of a variable, --key-file the path of a 0600 file, --key-keyring reads
 * the key from stdin into the keyring. Without a URL, calls use the embedded recognizer.
 */
#define G_LOG_DOMAIN "tb-cli-speech"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "tb-cli.h"
#include "tb-speech-service.h"

static int
print_config (TbStore *store)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *url = tb_store_dup_setting (store, TB_SPEECH_SETTING_URL, "");
  g_autofree char *model = tb_store_dup_setting (store, TB_SPEECH_SETTING_MODEL, "");
  g_autofree char *key = tb_secret_describe (store, tb_speech_service_key_kind ());
  g_autofree char *tts_model = tb_store_dup_setting (store, TB_SPEECH_SETTING_TTS_MODEL, "");
  g_autofree char *tts_voice = tb_store_dup_setting (store, TB_SPEECH_SETTING_TTS_VOICE, "");
  g_autofree char *second = tb_store_dup_setting (store, TB_SPEECH_SETTING_SECOND_READING, "off");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "recognizer");
  json_builder_add_string_value (b, url[0] != '\0' ? "http" : "pocketsphinx");
  json_builder_set_member_name (b, "url");
  if (url[0] != '\0')
    json_builder_add_string_value (b, url);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model[0] != '\0' ? model : TB_SPEECH_MODEL_DEFAULT);
  json_builder_set_member_name (b, "synthesizer");
  json_builder_add_string_value (b, url[0] != '\0' && tts_model[0] != '\0' ? "http" : "espeak-ng");
  json_builder_set_member_name (b, "tts_model");
  if (tts_model[0] != '\0')
    json_builder_add_string_value (b, tts_model);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "tts_voice");
  json_builder_add_string_value (b, tts_voice[0] != '\0' ? tts_voice : "alloy");
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, key);
  json_builder_set_member_name (b, "second_reading");
  json_builder_add_boolean_value (b, g_str_equal (second, "on"));
  json_builder_end_object (b);
  tb_cli_print_object (b);
  return 0;
}

static int
speech_set (TbCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *model = NULL;
  g_autofree char *tts_model = NULL;
  g_autofree char *tts_voice = NULL;
  g_autofree char *key_env = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *key_file_abs = NULL;
  gboolean key_keyring = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &model,
      N_("Model name sent to the server (default whisper-1)"), "NAME" },
    { "tts-model", 0, 0, G_OPTION_ARG_STRING, &tts_model,
      N_("Let the server speak the prompts with this model (\"\": espeak-ng)"), "NAME" },
    { "tts-voice", 0, 0, G_OPTION_ARG_STRING, &tts_voice,
      N_("The server's voice for the prompts (default alloy)"), "NAME" },
    { "key-env", 0, 0, G_OPTION_ARG_STRING, &key_env,
      N_("Read the API key from this environment variable"), "VAR" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("Read the API key from this file (mode 0600)"), "PATH" },
    { "key-keyring", 0, 0, G_OPTION_ARG_NONE, &key_keyring,
      N_("Read the API key from stdin and keep it in the keyring"), NULL },
    { NULL }
  };
  TbStore *store;

  if (!tb_cli_parse (cli, entries, "URL",
                     _("Listen to calls through an OpenAI-compatible speech server"),
                     &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("speech set URL [--model NAME] [--tts-model NAME] "
                              "[--tts-voice NAME] [--key-env VAR | --key-file PATH "
                              "| --key-keyring]");
  if ((key_env != NULL) + (key_file != NULL) + key_keyring > 1)
    return tb_cli_fail_usage ("speech set: give one of --key-env, --key-file, --key-keyring");
  uri = g_uri_parse (argv[1], G_URI_FLAGS_NONE, &error);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    return tb_cli_fail_usage ("speech set: “%s” is not an http(s) URL", argv[1]);
  if ((store = tb_cli_get_store (cli, &error)) == NULL)
    return tb_cli_fail (error);
  /* As typed here: the setting's relative names are in the data folder. */
  if (key_file != NULL)
    key_file_abs = g_canonicalize_filename (key_file, NULL);

  if (!tb_store_set_setting (store, TB_SPEECH_SETTING_URL, argv[1], &error) ||
      (model != NULL && !tb_store_set_setting (store, TB_SPEECH_SETTING_MODEL, model, &error)) ||
      (tts_model != NULL &&
       !tb_store_set_setting (store, TB_SPEECH_SETTING_TTS_MODEL, tts_model, &error)) ||
      (tts_voice != NULL &&
       !tb_store_set_setting (store, TB_SPEECH_SETTING_TTS_VOICE, tts_voice, &error)) ||
      (key_env != NULL && !tb_secret_use_env (store, tb_speech_service_key_kind (), key_env,
                                              &error)) ||
      (key_file != NULL && !tb_secret_use_file (store, tb_speech_service_key_kind (),
                                                key_file_abs, &error)))
    return tb_cli_fail (error);
  if (key_keyring) {
    char line[4096];

    if (fgets (line, sizeof line, stdin) == NULL || g_strchomp (line)[0] == '\0')
      return tb_cli_fail_usage ("speech set --key-keyring: no key on stdin");
    if (!tb_secret_store (store, tb_speech_service_key_kind (), argv[1], line, NULL, &error)) {
      memset (line, 0, sizeof line);
      return tb_cli_fail (error);
    }
    memset (line, 0, sizeof line);
  }
  return print_config (store);
}

static int
speech_show (TbCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_cli_get_store (cli, &error);

  return store != NULL ? print_config (store) : tb_cli_fail (error);
}

static int
speech_clear (TbCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GError) error = NULL;
  TbStore *store = tb_cli_get_store (cli, &error);

  if (store == NULL || !tb_store_set_setting (store, TB_SPEECH_SETTING_URL, "", &error))
    return tb_cli_fail (error);
  return print_config (store);
}

/* speech second-reading on|off: the embedded recognizer's free second pass. */
static int
speech_second_reading (TbCli  *cli,
                       int     argc,
                       char  **argv)
{
  g_autoptr(GError) error = NULL;
  TbStore *store;

  if (argc != 2 || (!g_str_equal (argv[1], "on") && !g_str_equal (argv[1], "off")))
    return tb_cli_fail_usage ("speech second-reading on|off");
  if ((store = tb_cli_get_store (cli, &error)) == NULL ||
      !tb_store_set_setting (store, TB_SPEECH_SETTING_SECOND_READING, argv[1], &error))
    return tb_cli_fail (error);
  return print_config (store);
}

int
tb_cli_speech (TbCli  *cli,
               int     argc,
               char  **argv)
{
  static const TbCliSubcommand subcommands[] = {
    { "set", speech_set },
    { "show", speech_show },
    { "clear", speech_clear },
    { "second-reading", speech_second_reading },
  };

  return tb_cli_dispatch (cli, argc, argv, "speech", subcommands, G_N_ELEMENTS (subcommands),
                          _("Usage: telebot-cli speech set URL [--model NAME] [--tts-model NAME] "
                            "[--tts-voice NAME] [--key-env VAR | --key-file PATH | --key-keyring] | "
                            "show | clear | second-reading on|off\n"));
}
