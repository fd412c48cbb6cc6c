/* tb-rehearsal-recognizer.c — "hears" a simulated callee by reading its words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No offline Chinese recognizer exists in Debian, yet a Chinese business must be able to try
 * its script, its policy pack and its campaign before it pays for a speech service. The
 * simulated line knows what its personas say; this recognizer reads it, one turn per
 * utterance the endpointer cut. It is named a rehearsal wherever it shows, never passed
 * off as recognition.
 */
#define G_LOG_DOMAIN "tb-rehearsal-recognizer"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-rehearsal-recognizer.h"

struct _TbRehearsalRecognizer
{
  GObject  parent_instance;

  GWeakRef call;    /* TbSimCall */
};

static void tb_rehearsal_recognizer_iface_init (TbRecognizerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TbRehearsalRecognizer, tb_rehearsal_recognizer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TB_TYPE_RECOGNIZER,
                                                      tb_rehearsal_recognizer_iface_init))

static void
tb_rehearsal_recognizer_recognize_async (TbRecognizer        *recognizer,
                                         GBytes              *pcm,
                                         const char * const  *phrases,
                                         const char * const  *settled,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  TbRehearsalRecognizer *self = TB_REHEARSAL_RECOGNIZER (recognizer);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(TbSimCall) call = g_weak_ref_get (&self->call);
  g_autofree char *said = call != NULL ? tb_sim_call_take_said (call) : NULL;

  g_task_set_source_tag (task, tb_rehearsal_recognizer_recognize_async);
  if (said != NULL)
    g_task_return_pointer (task, tb_recognition_new (said, 1.0, _(TB_REHEARSAL_LABEL)),
                           (GDestroyNotify) tb_recognition_free);
  else
    g_task_return_pointer (task, tb_recognition_new ("", 0.0, _("rehearsal: the simulated "
                                                                "callee said nothing")),
                           (GDestroyNotify) tb_recognition_free);
}

static TbRecognition *
tb_rehearsal_recognizer_recognize_finish (TbRecognizer  *recognizer,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, recognizer), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tb_rehearsal_recognizer_iface_init (TbRecognizerInterface *iface)
{
  iface->recognize_async = tb_rehearsal_recognizer_recognize_async;
  iface->recognize_finish = tb_rehearsal_recognizer_recognize_finish;
}

static void
tb_rehearsal_recognizer_finalize (GObject *object)
{
  TbRehearsalRecognizer *self = TB_REHEARSAL_RECOGNIZER (object);

  g_weak_ref_clear (&self->call);
  G_OBJECT_CLASS (tb_rehearsal_recognizer_parent_class)->finalize (object);
}

static void
tb_rehearsal_recognizer_class_init (TbRehearsalRecognizerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_rehearsal_recognizer_finalize;
}

static void
tb_rehearsal_recognizer_init (TbRehearsalRecognizer *self)
{
  g_weak_ref_init (&self->call, NULL);
}

TbRehearsalRecognizer *
tb_rehearsal_recognizer_new (TbSimCall *call)
{
  TbRehearsalRecognizer *self = g_object_new (TB_TYPE_REHEARSAL_RECOGNIZER, NULL);

  g_return_val_if_fail (call == NULL || TB_IS_SIM_CALL (call), self);
  g_weak_ref_set (&self->call, call);
  return self;
}
