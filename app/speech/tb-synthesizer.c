/* tb-synthesizer.c — text to 8 kHz telephone speech (interface)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-synthesizer"

#include "config.h"

#include "tb-synthesizer.h"

G_DEFINE_INTERFACE (TbSynthesizer, tb_synthesizer, G_TYPE_OBJECT)

static void
tb_synthesizer_default_init (TbSynthesizerInterface *iface)
{
}

const char *
tb_synthesizer_get_engine (TbSynthesizer *self)
{
  g_return_val_if_fail (TB_IS_SYNTHESIZER (self), NULL);
  return TB_SYNTHESIZER_GET_IFACE (self)->get_engine (self);
}

void
tb_synthesizer_synthesize_async (TbSynthesizer       *self,
                                 const char          *text,
                                 const char          *voice,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (TB_IS_SYNTHESIZER (self));
  g_return_if_fail (text != NULL);
  TB_SYNTHESIZER_GET_IFACE (self)->synthesize_async (self, text, voice, cancellable, callback,
                                                     user_data);
}

GBytes *
tb_synthesizer_synthesize_finish (TbSynthesizer  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (TB_IS_SYNTHESIZER (self), NULL);
  return TB_SYNTHESIZER_GET_IFACE (self)->synthesize_finish (self, result, error);
}
