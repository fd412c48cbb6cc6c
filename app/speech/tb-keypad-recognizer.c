/* tb-keypad-recognizer.c — the recognizer of a keypad-only script: it hears no words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-keypad-recognizer"

#include "config.h"

#include "tb-keypad-recognizer.h"

struct _TbKeypadRecognizer
{
  GObject parent_instance;
};

static void tb_keypad_recognizer_iface_init (TbRecognizerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TbKeypadRecognizer, tb_keypad_recognizer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TB_TYPE_RECOGNIZER,
                                                      tb_keypad_recognizer_iface_init))

static void
tb_keypad_recognizer_recognize_async (TbRecognizer        *recognizer,
                                      GBytes              *pcm,
                                      const char * const  *phrases,
                                      const char * const  *settled,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (recognizer, cancellable, callback, user_data);

  g_task_set_source_tag (task, tb_keypad_recognizer_recognize_async);
  g_task_return_pointer (task, tb_recognition_new ("", 0.0, "keypad only: speech is not "
                                                   "listened to"),
                         (GDestroyNotify) tb_recognition_free);
}

static TbRecognition *
tb_keypad_recognizer_recognize_finish (TbRecognizer  *recognizer,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, recognizer), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tb_keypad_recognizer_iface_init (TbRecognizerInterface *iface)
{
  iface->recognize_async = tb_keypad_recognizer_recognize_async;
  iface->recognize_finish = tb_keypad_recognizer_recognize_finish;
}

static void
tb_keypad_recognizer_class_init (TbKeypadRecognizerClass *klass)
{
}

static void
tb_keypad_recognizer_init (TbKeypadRecognizer *self)
{
}

TbKeypadRecognizer *
tb_keypad_recognizer_new (void)
{
  return g_object_new (TB_TYPE_KEYPAD_RECOGNIZER, NULL);
}
