/* tb-synthesizer.h — text to 8 kHz telephone speech (interface)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_TYPE_SYNTHESIZER (tb_synthesizer_get_type ())
G_DECLARE_INTERFACE (TbSynthesizer, tb_synthesizer, TB, SYNTHESIZER, GObject)

struct _TbSynthesizerInterface
{
  GTypeInterface parent_iface;

  /* A stable name for the prompt cache's key: "espeak-ng", "http:<url>:<model>". */
  const char *(*get_engine)        (TbSynthesizer       *self);
  void        (*synthesize_async)  (TbSynthesizer       *self,
                                    const char          *text,
                                    const char          *voice,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
  GBytes     *(*synthesize_finish) (TbSynthesizer       *self,
                                    GAsyncResult        *result,
                                    GError             **error);
};

const char *tb_synthesizer_get_engine        (TbSynthesizer       *self);
/* Renders @text with @voice (engine-specific; NULL for the default) to 8 kHz mono S16LE PCM
 * off the main loop. */
void        tb_synthesizer_synthesize_async  (TbSynthesizer       *self,
                                              const char          *text,
                                              const char          *voice,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GBytes     *tb_synthesizer_synthesize_finish (TbSynthesizer       *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
