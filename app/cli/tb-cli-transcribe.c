/* tb-cli-transcribe.c — telebot-cli transcribe FILE.wav
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cli-transcribe"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-cli.h"
#include "tb-http-recognizer.h"
#include "tb-http.h"
#include "tb-limits.h"
#include "tb-media-decode.h"
#include "tb-pocketsphinx.h"
#include "tb-recognizer.h"
#include "tb-script.h"
#include "tb-secret.h"
#include "tb-speech-service.h"

typedef struct {
  GMainLoop *loop;
  TbRecognition *rec;
  GError *error;
} Wait;

static void
recognized_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  Wait *w = data;

  w->rec = tb_recognizer_recognize_finish (TB_RECOGNIZER (object), result, &w->error);
  g_main_loop_quit (w->loop);
}

int
tb_cli_transcribe (TbCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *script_path = NULL;
  g_autofree char *node_id = NULL;
  g_autoptr(TbScript) script = NULL;
  g_auto(GStrv) intents = NULL;
  g_autofree char *phrases = NULL;
  g_autofree char *engine = NULL;
  g_autofree char *url = NULL;
  g_autofree char *model = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started, took_ms;
  g_autoptr(GBytes) pcm = NULL;
  g_autoptr(TbRecognizer) recognizer = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) list = NULL;
  Wait w = { 0 };
  GOptionEntry entries[] = {
    { "phrases", 'p', 0, G_OPTION_ARG_STRING, &phrases,
      N_("Phrases to listen for, separated by |"), "\"yes|no|stop calling\"" },
    { "engine", 'e', 0, G_OPTION_ARG_STRING, &engine,
      N_("Recognizer: pocketsphinx (default) or http"), "ENGINE" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url,
      N_("Base URL of an OpenAI-compatible speech server (http engine)"), "URL" },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model,
      N_("Model name sent to the speech server (http engine)"), "NAME" },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &script_path,
      N_("Listen as this script's node does, and name the intent heard"), "FILE.json" },
    { "node", 0, 0, G_OPTION_ARG_STRING, &node_id, N_("The node (with --script)"), "ID" },
    { NULL }
  };

  if (!tb_cli_parse (cli, entries, "FILE", _("Transcribe an audio file"), &argc, &argv))
    return 2;
  if (argc != 2)
    return tb_cli_fail_usage ("transcribe: give exactly one audio file");

  if ((pcm = tb_media_decode_file (argv[1], NULL, &error)) == NULL)
    return tb_cli_fail (error);
  if (phrases != NULL)
    list = g_strsplit (phrases, "|", -1);
  if (script_path != NULL) {
    g_autofree char *text = NULL;
    g_autofree char *base = g_path_get_basename (script_path);
    const TbScriptNode *node;

    if (node_id == NULL)
      return tb_cli_fail_usage ("transcribe: --script needs --node");
    if (!tb_limits_read_file (script_path, TB_LIMITS_SCRIPT_BYTES, &text, NULL, &error) ||
        (script = tb_script_new_from_data (text, -1, base, &error)) == NULL)
      return tb_cli_fail (error);
    if ((node = tb_script_get_node (script, node_id)) == NULL)
      return tb_cli_fail_usage ("transcribe: %s: no node “%s”", base, node_id);
    intents = tb_script_dup_listen_intents (script, node->id);
    if (list == NULL)
      list = tb_script_dup_grammar (script, (const char * const *) intents);
  }

  if (engine == NULL || g_strcmp0 (engine, "pocketsphinx") == 0) {
    if (list == NULL)
      return tb_cli_fail_usage ("transcribe: the pocketsphinx engine needs --phrases");
    recognizer = TB_RECOGNIZER (tb_pocketsphinx_new ());
  } else if (g_strcmp0 (engine, "http") == 0) {
    /* The speech service the settings name (Preferences, `speech set`), with its key from where
     * they point — the same lookup the calls use — unless --url / --model say otherwise. */
    TbStore *store = tb_cli_get_store (cli, NULL);
    g_autofree char *stored_url = store ? tb_store_dup_setting (store, TB_SPEECH_SETTING_URL, "")
                                        : g_strdup ("");
    g_autofree char *stored_model = store ? tb_store_dup_setting (store, TB_SPEECH_SETTING_MODEL,
                                                                  "") : g_strdup ("");
    const char *base = url ? url : g_getenv ("TELEBOT_SPEECH_URL");
    g_autofree char *key = NULL;

    if (base == NULL && *stored_url != '\0')
      base = stored_url;
    if (base == NULL)
      return tb_cli_fail_usage ("transcribe: the http engine needs --url (or TELEBOT_SPEECH_URL, "
                                "or a speech service set with `speech set`)");
    if (store == NULL)
      key = g_strdup (g_getenv (TB_SPEECH_KEY_ENV_DEFAULT));
    else if (!tb_secret_lookup (store, tb_speech_service_key_kind (), &key, NULL, &error))
      return tb_cli_fail (error);
    recognizer = TB_RECOGNIZER (tb_http_recognizer_new (base, key,
                                                        model ? model
                                                        : *stored_model ? stored_model : NULL));
  } else {
    return tb_cli_fail_usage ("transcribe: unknown engine “%s” (pocketsphinx or http)", engine);
  }

  w.loop = g_main_loop_new (NULL, FALSE);
  started = g_get_monotonic_time ();
  tb_recognizer_recognize_async (recognizer, pcm, (const char * const *) list, NULL, NULL,
                                 recognized_cb, &w);
  g_main_loop_run (w.loop);
  took_ms = (g_get_monotonic_time () - started) / 1000;
  g_main_loop_unref (w.loop);
  if (w.rec == NULL) {
    g_propagate_prefixed_error (&error, w.error, "%s: ", argv[1]);
    return tb_cli_fail (error);
  }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, w.rec->text);
  if (script != NULL) {
    TbIntentMatch match = { 0 };

    /* The same matcher the dialog engine uses on what the recognizer heard. */
    json_builder_set_member_name (b, "intent");
    if (w.rec->text != NULL && *w.rec->text &&
        tb_intent_matcher_match (tb_script_get_matcher (script), w.rec->text,
                                 (const char * const *) intents, &match))
      json_builder_add_string_value (b, match.intent);
    else
      json_builder_add_null_value (b);
  }
  json_builder_set_member_name (b, "confidence");
  json_builder_add_double_value (b, w.rec->confidence);
  /* What a callee would wait for after they stop talking (a speech server's latency). */
  json_builder_set_member_name (b, "ms");
  json_builder_add_int_value (b, took_ms);
  if (w.rec->reason != NULL) {
    json_builder_set_member_name (b, "reason");
    json_builder_add_string_value (b, w.rec->reason);
  }
  json_builder_end_object (b);
  tb_cli_print_object (b);
  tb_recognition_free (w.rec);
  return 0;
}
