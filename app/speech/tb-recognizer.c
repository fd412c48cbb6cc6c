/* tb-recognizer.c — speech to text for one utterance (interface)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-recognizer"

#include "config.h"

#include "tb-recognizer.h"

G_DEFINE_BOXED_TYPE (TbRecognition, tb_recognition, tb_recognition_copy, tb_recognition_free)

G_DEFINE_INTERFACE (TbRecognizer, tb_recognizer, G_TYPE_OBJECT)

static void
tb_recognizer_default_init (TbRecognizerInterface *iface)
{
}

TbRecognition *
tb_recognition_new (const char *text,
                    double      confidence,
                    const char *reason)
{
  TbRecognition *rec = g_new0 (TbRecognition, 1);

  rec->text = g_strdup (text ? text : "");
  rec->confidence = CLAMP (confidence, 0.0, 1.0);
  rec->reason = g_strdup (reason);
  return rec;
}

TbRecognition *
tb_recognition_new_failed (const char *reason)
{
  TbRecognition *rec = tb_recognition_new ("", 0, reason);

  rec->failed = TRUE;
  return rec;
}

TbRecognition *
tb_recognition_copy (const TbRecognition *rec)
{
  TbRecognition *copy = tb_recognition_new (rec->text, rec->confidence, rec->reason);

  copy->failed = rec->failed;
  copy->complete = rec->complete;
  copy->alternative = g_strdup (rec->alternative);
  return copy;
}

void
tb_recognition_free (TbRecognition *rec)
{
  if (rec == NULL)
    return;
  g_free (rec->text);
  g_free (rec->reason);
  g_free (rec->alternative);
  g_free (rec);
}

gboolean
tb_recognition_is_match (const TbRecognition *rec)
{
  return rec != NULL && rec->text != NULL && rec->text[0] != '\0';
}

void
tb_recognizer_recognize_async (TbRecognizer        *self,
                               GBytes              *pcm,
                               const char * const  *phrases,
                               const char * const  *settled,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TB_IS_RECOGNIZER (self));
  g_return_if_fail (pcm != NULL);
  TB_RECOGNIZER_GET_IFACE (self)->recognize_async (self, pcm, phrases, settled, cancellable,
                                                   callback, user_data);
}

TbRecognition *
tb_recognizer_recognize_finish (TbRecognizer  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (TB_IS_RECOGNIZER (self), NULL);
  return TB_RECOGNIZER_GET_IFACE (self)->recognize_finish (self, result, error);
}

gboolean
tb_recognizer_judges_pauses (TbRecognizer *self)
{
  g_return_val_if_fail (TB_IS_RECOGNIZER (self), FALSE);
  return TB_RECOGNIZER_GET_IFACE (self)->judges_pauses;
}
