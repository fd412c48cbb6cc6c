/* tb-http-recognizer.c — OpenAI-compatible POST /v1/audio/transcriptions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wire format (OpenAI, whisper.cpp server, faster-whisper servers, SenseVoice/FunASR and the
 * Chinese clouds' OpenAI-compatible endpoints): multipart/form-data with file=<WAV, 16 kHz>
 * and model=<name> (plus language and prompt when known); the answer is JSON {"text": "..."},
 * optionally with "segments" carrying avg_logprob, which gives a confidence (verbose_json).
 * SenseVoice's own API answers {"result": [{"text", "clean_text", "raw_text"}]}, and its text
 * carries tags (<|zh|><|NEUTRAL|><|Speech|><|woitn|>) and emotion/event emoji (😊 🎼): they
 * are removed, so only the words reach the understanding. The call audio (8 kHz) is sent at
 * 16 kHz, the rate every one of these models is trained on (SenseVoice and Paraformer do not
 * resample themselves).
 * A call must never get stuck on a server: timeouts, errors and answers that cannot be read
 * (too long, not JSON, nested too deep) finish as a failed recognition, never a crash.
 */
#define G_LOG_DOMAIN "tb-http-recognizer"

#include "config.h"

#include "tb-http-recognizer.h"
#include "tb-http.h"
#include "tb-limits.h"
#include "tb-pcm.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

struct _TbHttpRecognizer
{
  GObject parent_instance;

  char *base_url;
  char *api_key;
  char *model;
  char *language;
  guint timeout_ms;
};

static void tb_http_recognizer_iface_init (TbRecognizerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TbHttpRecognizer, tb_http_recognizer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TB_TYPE_RECOGNIZER,
                                                      tb_http_recognizer_iface_init))

enum {
  PROP_0,
  PROP_TIMEOUT_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  SoupMessage *msg;
  char *url;
} Request;

static void
request_free (Request *r)
{
  g_clear_object (&r->msg);
  g_free (r->url);
  g_free (r);
}

static TbRecognition *
failed (const char *url,
        const char *format,
        ...) G_GNUC_PRINTF (2, 3);

static TbRecognition *
failed (const char *url,
        const char *format,
        ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_message ("transcription at %s: %s", url, reason);
  return tb_recognition_new_failed (reason);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  Request *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = tb_http_send_and_read_finish (result, &error);
  TbRecognition *rec;
  const char *text;
  gsize len;
  guint status;

  if (body == NULL) {
    if (g_error_matches (error, TB_HTTP_ERROR, TB_HTTP_ERROR_TIMEOUT))
      rec = failed (r->url, "timeout");
    else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      rec = NULL;
    else
      rec = failed (r->url, "%s", error->message);
  } else if (!SOUP_STATUS_IS_SUCCESSFUL (status = soup_message_get_status (r->msg))) {
    /* What to do about it, where the status says: a key to fix, a plan's limit. */
    rec = failed (r->url, "HTTP %u %s%s", status, soup_message_get_reason_phrase (r->msg),
                  status == 401 || status == 403 ? " (the server refused the API key)"
                  : status == 429 ? " (the server's rate limit: fewer lines or a larger plan)"
                  : "");
  } else {
    text = g_bytes_get_data (body, &len);
    if ((rec = tb_http_recognizer_parse_answer (text, len, &error)) == NULL)
      rec = failed (r->url, "%s", error->message);
  }
  if (rec == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, rec, (GDestroyNotify) tb_recognition_free);
}

static void
tb_http_recognizer_recognize_async (TbRecognizer        *rec,
                                    GBytes              *pcm,
                                    const char * const  *phrases,
                                    const char * const  *settled,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TbHttpRecognizer *self = TB_HTTP_RECOGNIZER (rec);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMultipart) mp = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) wide = tb_pcm_resample (g_bytes_get_data (pcm, NULL),
                                             g_bytes_get_size (pcm) / 2, TB_PCM_RATE,
                                             TB_HTTP_RECOGNIZER_RATE);
  g_autoptr(GBytes) wav = tb_pcm_wav_bytes (g_bytes_get_data (wide, NULL),
                                            g_bytes_get_size (wide) / 2, 1,
                                            TB_HTTP_RECOGNIZER_RATE);
  Request *r = g_new0 (Request, 1);

  g_task_set_source_tag (task, tb_http_recognizer_recognize_async);
  g_task_set_task_data (task, r, (GDestroyNotify) request_free);
  r->url = tb_http_build_url (self->base_url, "/v1/audio/transcriptions");

  soup_multipart_append_form_file (mp, "file", "utterance.wav", "audio/wav", wav);
  soup_multipart_append_form_string (mp, "model", self->model);
  soup_multipart_append_form_string (mp, "response_format", "json");
  if (self->language != NULL)
    soup_multipart_append_form_string (mp, "language", self->language);
  if (phrases != NULL && phrases[0] != NULL) {
    g_autofree char *hint = g_strjoinv (", ", (char **) phrases);

    soup_multipart_append_form_string (mp, "prompt", hint);
  }
  r->msg = soup_message_new_from_multipart (r->url, mp);
  if (r->msg == NULL) {
    g_task_return_pointer (task, failed (r->url, "not a valid URL"),
                           (GDestroyNotify) tb_recognition_free);
    g_object_unref (task);
    return;
  }
  if (self->api_key != NULL && *self->api_key != '\0') {
    g_autofree char *auth = g_strdup_printf ("Bearer %s", self->api_key);

    soup_message_headers_replace (soup_message_get_request_headers (r->msg), "Authorization",
                                  auth);
  }
  tb_http_send_and_read_async (r->msg, TB_LIMITS_SPEECH_ANSWER_BYTES, self->timeout_ms,
                               cancellable, sent_cb, task);
}

static TbRecognition *
tb_http_recognizer_recognize_finish (TbRecognizer  *rec,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, rec), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tb_http_recognizer_iface_init (TbRecognizerInterface *iface)
{
  iface->recognize_async = tb_http_recognizer_recognize_async;
  iface->recognize_finish = tb_http_recognizer_recognize_finish;
}

static void
tb_http_recognizer_finalize (GObject *object)
{
  TbHttpRecognizer *self = (TbHttpRecognizer *) object;

  g_free (self->base_url);
  g_free (self->api_key);
  g_free (self->model);
  g_free (self->language);
  G_OBJECT_CLASS (tb_http_recognizer_parent_class)->finalize (object);
}

static void
tb_http_recognizer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TbHttpRecognizer *self = TB_HTTP_RECOGNIZER (object);

  switch (prop_id) {
  case PROP_TIMEOUT_MS:
    g_value_set_uint (value, self->timeout_ms);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_http_recognizer_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TbHttpRecognizer *self = TB_HTTP_RECOGNIZER (object);

  switch (prop_id) {
  case PROP_TIMEOUT_MS:
    if (self->timeout_ms != g_value_get_uint (value)) {
      self->timeout_ms = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
    }
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_http_recognizer_class_init (TbHttpRecognizerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_http_recognizer_finalize;
  object_class->get_property = tb_http_recognizer_get_property;
  object_class->set_property = tb_http_recognizer_set_property;

  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL, 1, G_MAXUINT, 8000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_http_recognizer_init (TbHttpRecognizer *self)
{
  self->timeout_ms = 8000;
}

TbHttpRecognizer *
tb_http_recognizer_new (const char *base_url,
                        const char *api_key,
                        const char *model)
{
  TbHttpRecognizer *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (TB_TYPE_HTTP_RECOGNIZER, NULL);
  self->base_url = g_strdup (base_url);
  self->api_key = g_strdup (api_key);
  self->model = g_strdup (model ? model : "whisper-1");
  return self;
}

void
tb_http_recognizer_set_language (TbHttpRecognizer *self,
                                 const char       *language)
{
  g_return_if_fail (TB_IS_HTTP_RECOGNIZER (self));
  g_free (self->language);
  self->language = g_strdup (language);
}

/* The words of a transcription: SenseVoice's <|…|> tags and emoji (symbols, not words)
 * removed, every run of white space (a tag, an emoji, a CR) one space, none at the ends,
 * lower case. */
static char *
words_only (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0';) {
    gunichar c = g_utf8_get_char_validated (p, -1);
    const char *end;

    if (c == (gunichar) -1 || c == (gunichar) -2)
      break;
    if (g_str_has_prefix (p, "<|") && (end = strstr (p + 2, "|>")) != NULL && end - p <= 32) {
      p = end + 2;
      space = TRUE;
      continue;
    }
    p = g_utf8_next_char (p);
    if (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_OTHER_SYMBOL ||
        c == 0xFE0F || c == 0x200D || g_unichar_iscntrl (c)) {
      space = TRUE;
      continue;
    }
    if (space && out->len > 0)
      g_string_append_c (out, ' ');
    space = FALSE;
    g_string_append_unichar (out, c);
  }
  return g_utf8_strdown (out->str, -1);
}

/* Pieces of a transcription joined: with a space between words of a spaced script, none
 * inside Chinese ("别再" + "骚扰我了"). */
static void
append_piece (GString    *all,
              const char *piece)
{
  if (all->len > 0 && *piece != '\0' &&
      !(g_utf8_get_char (g_utf8_find_prev_char (all->str, all->str + all->len)) >= 0x2E80 &&
        g_utf8_get_char (piece) >= 0x2E80))
    g_string_append_c (all, ' ');
  g_string_append (all, piece);
}

/* The text of an answer, in the shapes servers give it: {"text"}; verbose_json whose text is
 * only in its segments; SenseVoice's {"result": [{"clean_text" | "text" | "raw_text"}]}. */
static char *
answer_text (JsonObject *obj)
{
  JsonNode *m;

  if (tb_limits_string_member (obj, "text") != NULL)
    return g_strdup (tb_limits_string_member (obj, "text"));
  if ((m = json_object_get_member (obj, "result")) != NULL && JSON_NODE_HOLDS_ARRAY (m)) {
    JsonArray *results = json_node_get_array (m);
    g_autoptr(GString) all = g_string_new (NULL);
    gboolean any = FALSE;

    for (guint i = 0; i < json_array_get_length (results); i++) {
      JsonNode *r = json_array_get_element (results, i);
      JsonObject *ro = JSON_NODE_HOLDS_OBJECT (r) ? json_node_get_object (r) : NULL;
      const char *t = tb_limits_string_member (ro, "clean_text");

      t = t ? t : tb_limits_string_member (ro, "text");
      t = t ? t : tb_limits_string_member (ro, "raw_text");
      if (t != NULL) {
        append_piece (all, t);
        any = TRUE;
      }
    }
    if (any)
      return g_string_free (g_steal_pointer (&all), FALSE);
  }
  if ((m = json_object_get_member (obj, "segments")) != NULL && JSON_NODE_HOLDS_ARRAY (m)) {
    JsonArray *segs = json_node_get_array (m);
    g_autoptr(GString) all = g_string_new (NULL);
    gboolean any = FALSE;

    for (guint i = 0; i < json_array_get_length (segs); i++) {
      JsonNode *seg = json_array_get_element (segs, i);
      const char *t = JSON_NODE_HOLDS_OBJECT (seg)
                      ? tb_limits_string_member (json_node_get_object (seg), "text") : NULL;

      if (t != NULL) {
        append_piece (all, t);
        any = TRUE;
      }
    }
    if (any)
      return g_string_free (g_steal_pointer (&all), FALSE);
  }
  return NULL;
}

/**
 * tb_http_recognizer_parse_answer:
 * @data: the answer's body
 * @length: its length
 * @error: return location for a #GError
 *
 * Reads a transcription answer: {"text": "…"}, optionally with "segments" carrying
 * avg_logprob (verbose_json), which gives the confidence; or SenseVoice's {"result": […]}.
 * Tags and emoji are removed (see words_only()). At most TB_LIMITS_SPEECH_ANSWER_BYTES,
 * nested at most TB_LIMITS_JSON_DEPTH.
 *
 * Returns: (transfer full): the recognition (its text lower case and trimmed; "" with reason
 *   "nothing recognized"), or %NULL with @error (TB_HTTP_ERROR_PROTOCOL) when it is not one
 */
TbRecognition *
tb_http_recognizer_parse_answer (const char  *data,
                                 gsize        length,
                                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  g_autofree char *raw = NULL;
  JsonObject *obj;
  JsonNode *root, *member;
  double confidence = 0.9;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!tb_limits_parse_json (parser, data, length, "answer", TB_LIMITS_SPEECH_ANSWER_BYTES,
                             &local)) {
    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_PROTOCOL, "not a transcription: %s",
                 local->message);
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (raw = answer_text (obj = json_node_get_object (root))) == NULL) {
    g_set_error_literal (error, TB_HTTP_ERROR, TB_HTTP_ERROR_PROTOCOL,
                         "answer has no \"text\"");
    return NULL;
  }
  text = words_only (raw);
  /* verbose_json: the mean token log-probability is the nearest thing to a confidence. */
  member = json_object_get_member (obj, "segments");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member)) {
    JsonArray *segs = json_node_get_array (member);
    double sum = 0;
    guint n = 0;

    for (guint i = 0; i < json_array_get_length (segs); i++) {
      JsonNode *seg = json_array_get_element (segs, i);
      JsonNode *logprob;

      if (!JSON_NODE_HOLDS_OBJECT (seg))
        continue;
      logprob = json_object_get_member (json_node_get_object (seg), "avg_logprob");
      if (logprob != NULL && JSON_NODE_HOLDS_VALUE (logprob) &&
          (json_node_get_value_type (logprob) == G_TYPE_DOUBLE ||
           json_node_get_value_type (logprob) == G_TYPE_INT64)) {
        sum += json_node_get_double (logprob);
        n++;
      }
    }
    if (n > 0)
      confidence = exp (MIN (sum / n, 0.0));
  }
  if (*text == '\0')
    return tb_recognition_new ("", 0, "nothing recognized");
  return tb_recognition_new (text, confidence, NULL);
}
