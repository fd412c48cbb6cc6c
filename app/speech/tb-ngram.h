/* tb-ngram.h — a small trigram language model in ARPA form, from a handful of sentences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An ARPA trigram model of @sentences (words separated by single spaces, already normalized;
 * a sentence listed twice counts twice), interpolated absolute discounting with @discount
 * (0 < D < 1). NULL if there is not one word. */
char *tb_ngram_build_arpa (const char * const *sentences,
                           double              discount);

G_END_DECLS
