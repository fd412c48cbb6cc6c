/* tb-espeak-synthesizer.h — the embedded synthesizer: espeak-ng
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-synthesizer.h"

G_BEGIN_DECLS

#define TB_TYPE_ESPEAK_SYNTHESIZER (tb_espeak_synthesizer_get_type ())

G_DECLARE_FINAL_TYPE (TbEspeakSynthesizer, tb_espeak_synthesizer, TB, ESPEAK_SYNTHESIZER, GObject)

TbEspeakSynthesizer *tb_espeak_synthesizer_new    (void);
/* The espeak-ng voice for a script language: "en…" → "en-us", "zh…"/"cmn" → "cmn", else the
 * language itself. */
const char          *tb_espeak_voice_for_language (const char *language);

G_END_DECLS
