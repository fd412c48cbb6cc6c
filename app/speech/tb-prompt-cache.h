/* tb-prompt-cache.h — synthesized prompts on disk, keyed by engine, voice and text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-synthesizer.h"

G_BEGIN_DECLS

#define TB_TYPE_PROMPT_CACHE (tb_prompt_cache_get_type ())

G_DECLARE_FINAL_TYPE (TbPromptCache, tb_prompt_cache, TB, PROMPT_CACHE, GObject)

/* @dir: (nullable): where the 8 kHz S16LE WAV files go; default
 * g_get_user_cache_dir()/telebot/prompts. */
TbPromptCache *tb_prompt_cache_new             (const char          *dir);
const char    *tb_prompt_cache_get_dir         (TbPromptCache       *self);
/* The file a prompt is (or would be) cached in. */
char          *tb_prompt_cache_build_path      (TbPromptCache       *self,
                                                const char          *engine,
                                                const char          *voice,
                                                const char          *text);
/* The prompt's PCM: from the cache, or synthesized with @synth and then cached. */
void           tb_prompt_cache_render_async    (TbPromptCache       *self,
                                                TbSynthesizer       *synth,
                                                const char          *voice,
                                                const char          *text,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GBytes        *tb_prompt_cache_render_finish   (TbPromptCache       *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Renders every text not cached yet, one after the other (before a campaign starts, so the
 * first prompt of a call never waits: COMPLIANCE R6.1). Finishes with the number of texts
 * that had to be synthesized; fails on the first text that cannot be, naming it. */
void           tb_prompt_cache_prerender_async (TbPromptCache       *self,
                                                TbSynthesizer       *synth,
                                                const char          *voice,
                                                const char * const  *texts,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       tb_prompt_cache_prerender_finish (TbPromptCache      *self,
                                                 GAsyncResult       *result,
                                                 guint              *n_rendered,
                                                 GError            **error);

G_END_DECLS
