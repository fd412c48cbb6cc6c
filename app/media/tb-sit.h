/* tb-sit.h — special information tones: the three rising tones before a carrier's announcement
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TbSit TbSit;

/* Listens to 8 kHz mono S16 callee audio for a SIT sequence (ITU-T E.180 / Telcordia
 * SR-2275: 913.8 or 985.2 Hz, then 1370.6 or 1428.5 Hz, then 1776.7 Hz, each 274 or 380 ms). */
TbSit       *tb_sit_new            (void);
void         tb_sit_free           (TbSit        *sit);
/* Feeds any number of samples; TRUE once a sequence was heard (and from then on). */
gboolean     tb_sit_process        (TbSit        *sit,
                                    const gint16 *pcm,
                                    gsize         n);
gboolean     tb_sit_get_detected   (TbSit        *sit);
/* The sequence's name: "IC" (intercept: not in service), "VC" (vacant code), "RO" (reorder),
 * "NC" (no circuit), "IO" (ineffective other), … or NULL before one was heard. */
const char  *tb_sit_get_code       (TbSit        *sit);
/* What the carrier says with it: "vacant" (IC, VC) or "unreachable" (the others). */
const char  *tb_sit_get_outcome    (TbSit        *sit);
/* Audio time (ms) at which the third tone was recognised. */
guint        tb_sit_get_detected_ms (TbSit       *sit);
/* A tone of the first two segments' frequencies plays now or just ended: a sequence may be
 * under way (an answering-machine detector hearing a "beep" waits for this to settle). */
gboolean     tb_sit_is_pending     (TbSit        *sit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbSit, tb_sit_free)

G_END_DECLS
