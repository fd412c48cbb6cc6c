/* tb-amd.h — answering-machine detection from the first seconds of callee audio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TB_AMD_RESULT_UNDECIDED,  /* feed more audio */
  TB_AMD_RESULT_HUMAN,      /* a short greeting, then silence: a person waiting for us */
  TB_AMD_RESULT_MACHINE,    /* a long uninterrupted greeting, or a beep */
  TB_AMD_RESULT_UNKNOWN,    /* the window ended without either (silence, noise) */
} TbAmdResult;

typedef struct _TbAmd TbAmd;

/* Classifies up to @window_ms of audio (8 kHz mono S16) from the answer on. */
TbAmd       *tb_amd_new         (guint         window_ms);
void         tb_amd_free        (TbAmd        *amd);
/* Feeds any number of samples; returns the decision once made (and keeps returning it). */
TbAmdResult  tb_amd_process     (TbAmd        *amd,
                                 const gint16 *pcm,
                                 gsize         n);
TbAmdResult  tb_amd_get_result  (TbAmd        *amd);
/* Why: "beep at 1000 Hz", "greeting 3.4 s", "short greeting 0.6 s then silence", … */
const char  *tb_amd_get_reason  (TbAmd        *amd);
/* Audio time (ms) at which the decision was made. */
guint        tb_amd_get_decided_ms (TbAmd     *amd);
const char  *tb_amd_result_to_string (TbAmdResult result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbAmd, tb_amd_free)

G_END_DECLS
