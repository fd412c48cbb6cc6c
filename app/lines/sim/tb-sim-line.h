/* tb-sim-line.h — the embedded simulated line: personas instead of people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-line.h"

G_BEGIN_DECLS

#define TB_TYPE_SIM_LINE (tb_sim_line_get_type ())
G_DECLARE_FINAL_TYPE (TbSimLine, tb_sim_line, TB, SIM_LINE, TbLine)

/* @persona_mix: "interested:3,busy:1,..." or NULL for the default mix. NULL with @error on a
 * bad mix. */
TbSimLine *tb_sim_line_new        (const char  *name,
                                   gboolean     fast,
                                   guint64      seed,
                                   const char  *persona_mix,
                                   GError     **error);
/* Builds a line from its row in the store (config JSON: {"fast":bool,"seed":N,"mix":"..",
 * "rehearsal":bool,"personas":[{"name":..,"says":[turns..],"weight":N}..]}; a business's
 * own personas, the mix when no "mix" names them). */
TbSimLine *tb_sim_line_new_from_config (const char  *name,
                                        const char  *config_json,
                                        int          max_calls,
                                        GError     **error);
gboolean   tb_sim_line_get_fast   (TbSimLine   *self);
/* Rehearsal mode ("rehearsal": true): calls are understood from the personas' words, in any
 * language, without a speech engine (see TbRehearsalRecognizer). */
gboolean   tb_sim_line_get_rehearsal (TbSimLine *self);
/* The persona a dial of @number with no persona field would get. */
const char *tb_sim_line_pick_persona (TbSimLine *self,
                                      const char *number);

G_END_DECLS
