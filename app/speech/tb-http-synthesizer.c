/* tb-http-synthesizer.c — OpenAI-compatible POST /v1/audio/speech
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wire format: JSON {"model", "input", "voice", "response_format": "wav"} in, audio out.
 */
#define G_LOG_DOMAIN "tb-http-synthesizer"

#include "config.h"

#include "tb-http-synthesizer.h"
#include "tb-http.h"
#include "tb-limits.h"
#include "tb-pcm.h"

#include <json-glib/json-glib.h>
#include <string.h>

struct _TbHttpSynthesizer
{
  GObject parent_instance;

  char *base_url;
  char *api_key;
  char *model;
  char *voice;      /* (nullable): replaces the caller's */
  char *engine;
};

static void tb_http_synthesizer_iface_init (TbSynthesizerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TbHttpSynthesizer, tb_http_synthesizer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TB_TYPE_SYNTHESIZER,
                                                      tb_http_synthesizer_iface_init))

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

static GBytes *
to_telephone (const char  *url,
              const char  *type,
              GBytes      *body,
              GError     **error)
{
  g_autoptr(GBytes) pcm = NULL;
  g_autoptr(GBytes) mono = NULL;
  g_autoptr(GError) local = NULL;
  guint rate = 24000, channels = 1;
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);

  if (len >= 12 && memcmp (data, "RIFF", 4) == 0) {
    if ((pcm = tb_pcm_parse_wav (body, &rate, &channels, &local)) == NULL) {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_PROTOCOL, "%s: %s", url, local->message);
      return NULL;
    }
  } else if (type != NULL && (strstr (type, "pcm") || strstr (type, "L16"))) {
    const char *r = strstr (type, "rate=");

    if (r != NULL)
      rate = (guint) g_ascii_strtoull (r + 5, NULL, 10);
    pcm = g_bytes_new (data, len - len % 2);
  } else {
    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_PROTOCOL,
                 "%s: answered “%s”, not WAV or PCM audio", url, type ? type : "no type");
    return NULL;
  }
  if (rate == 0 || channels == 0) {
    g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_PROTOCOL, "%s: audio without a rate", url);
    return NULL;
  }
  mono = channels == 1 ? g_bytes_ref (pcm)
                       : tb_pcm_downmix (g_bytes_get_data (pcm, NULL),
                                         g_bytes_get_size (pcm) / 2 / channels, channels);
  return tb_pcm_resample (g_bytes_get_data (mono, NULL), g_bytes_get_size (mono) / 2, rate,
                          TB_PCM_RATE);
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
  guint status;
  GBytes *pcm;

  if (body == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_prefix_error (&error, "%s: ", r->url);
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  status = soup_message_get_status (r->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status)) {
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_STATUS, "%s: HTTP %u %s",
                             r->url, status, soup_message_get_reason_phrase (r->msg));
    return;
  }
  pcm = to_telephone (r->url,
                      soup_message_headers_get_one (soup_message_get_response_headers (r->msg),
                                                    "Content-Type"),
                      body, &error);
  if (pcm == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, pcm, (GDestroyNotify) g_bytes_unref);
}

static const char *
tb_http_synthesizer_get_engine (TbSynthesizer *synth)
{
  return TB_HTTP_SYNTHESIZER (synth)->engine;
}

static void
tb_http_synthesizer_synthesize_async (TbSynthesizer       *synth,
                                      const char          *text,
                                      const char          *voice,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  TbHttpSynthesizer *self = TB_HTTP_SYNTHESIZER (synth);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  Request *r = g_new0 (Request, 1);
  char *json;

  g_task_set_source_tag (task, tb_http_synthesizer_synthesize_async);
  g_task_set_task_data (task, r, (GDestroyNotify) request_free);
  r->url = tb_http_build_url (self->base_url, "/v1/audio/speech");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, self->model);
  json_builder_set_member_name (b, "input");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "voice");
  json_builder_add_string_value (b, self->voice ? self->voice : voice ? voice : "alloy");
  json_builder_set_member_name (b, "response_format");
  json_builder_add_string_value (b, "wav");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  body = g_bytes_new_take (json, strlen (json));

  r->msg = soup_message_new (SOUP_METHOD_POST, r->url);
  if (r->msg == NULL) {
    g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_FAILED,
                             "%s: not a valid URL", r->url);
    g_object_unref (task);
    return;
  }
  soup_message_set_request_body_from_bytes (r->msg, "application/json", body);
  if (self->api_key != NULL && *self->api_key != '\0') {
    g_autofree char *auth = g_strdup_printf ("Bearer %s", self->api_key);

    soup_message_headers_replace (soup_message_get_request_headers (r->msg), "Authorization",
                                  auth);
  }
  tb_http_send_and_read_async (r->msg, TB_LIMITS_SPEECH_AUDIO_BYTES, 0, cancellable, sent_cb,
                               task);
}

static GBytes *
tb_http_synthesizer_synthesize_finish (TbSynthesizer  *synth,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, synth), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tb_http_synthesizer_iface_init (TbSynthesizerInterface *iface)
{
  iface->get_engine = tb_http_synthesizer_get_engine;
  iface->synthesize_async = tb_http_synthesizer_synthesize_async;
  iface->synthesize_finish = tb_http_synthesizer_synthesize_finish;
}

static void
tb_http_synthesizer_finalize (GObject *object)
{
  TbHttpSynthesizer *self = (TbHttpSynthesizer *) object;

  g_free (self->base_url);
  g_free (self->api_key);
  g_free (self->model);
  g_free (self->voice);
  g_free (self->engine);
  G_OBJECT_CLASS (tb_http_synthesizer_parent_class)->finalize (object);
}

static void
tb_http_synthesizer_class_init (TbHttpSynthesizerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_http_synthesizer_finalize;
}

static void
tb_http_synthesizer_init (TbHttpSynthesizer *self)
{
}

TbHttpSynthesizer *
tb_http_synthesizer_new (const char *base_url,
                         const char *api_key,
                         const char *model)
{
  TbHttpSynthesizer *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (TB_TYPE_HTTP_SYNTHESIZER, NULL);
  self->base_url = g_strdup (base_url);
  self->api_key = g_strdup (api_key);
  self->model = g_strdup (model ? model : "tts-1");
  self->engine = g_strdup_printf ("http:%s:%s", base_url, self->model);
  return self;
}

void
tb_http_synthesizer_set_voice (TbHttpSynthesizer *self,
                               const char        *voice)
{
  g_return_if_fail (TB_IS_HTTP_SYNTHESIZER (self));

  g_free (self->voice);
  self->voice = voice != NULL && voice[0] != '\0' ? g_strdup (voice) : NULL;
  g_free (self->engine);
  self->engine = self->voice ? g_strdup_printf ("http:%s:%s:%s", self->base_url, self->model,
                                                self->voice)
                             : g_strdup_printf ("http:%s:%s", self->base_url, self->model);
}
