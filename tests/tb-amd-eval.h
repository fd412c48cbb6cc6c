/* tb-amd-eval.h — answering-machine detection over a folder of answer patterns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-amd.h"

G_BEGIN_DECLS

typedef struct {
  guint people, people_as_machine;
  guint machines, machines_found;
} TbAmdScore;

/* Scores every person-*.wav and machine-*.wav of @dir; a line per file and a markdown row per
 * pattern go to @report (may be NULL). "Unknown" counts as a person. */
void tb_amd_eval (const char *dir,
                  guint       window_ms,
                  TbAmdScore *score,
                  GString    *report);

G_END_DECLS
