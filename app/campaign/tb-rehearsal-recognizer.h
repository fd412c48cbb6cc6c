/* tb-rehearsal-recognizer.h — "hears" a simulated callee by reading its words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n.h>

#include "tb-recognizer.h"
#include "tb-sim-call.h"

G_BEGIN_DECLS

/* What a rehearsal is called everywhere it shows: the window, the call record. */
#define TB_REHEARSAL_LABEL N_("rehearsal — the simulated callee's words, not speech recognition")

#define TB_TYPE_REHEARSAL_RECOGNIZER (tb_rehearsal_recognizer_get_type ())
G_DECLARE_FINAL_TYPE (TbRehearsalRecognizer, tb_rehearsal_recognizer, TB, REHEARSAL_RECOGNIZER,
                      GObject)

/* A rehearsal on the simulated line, in any language and without a speech engine: each
 * utterance's text is the turn the persona said (its audio is still synthesised, played and
 * recorded). Unbound (@call NULL) it stands for "rehearse" until a call session binds its
 * own with tb_rehearsal_recognizer_new (call). */
TbRehearsalRecognizer *tb_rehearsal_recognizer_new (TbSimCall *call);

G_END_DECLS
