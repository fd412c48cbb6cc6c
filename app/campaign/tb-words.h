/* tb-words.h — the words a person reads for Telebot's identifiers
 *
 * Outcomes, intents and node ids are identifiers in the store, the CSV exports and the CRM
 * payloads ("hung_up", "callback_requested"); the window shows these words instead, translated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char       *tb_words_outcome    (const char *outcome);
char       *tb_words_intent     (const char *intent);
char       *tb_words_identifier (const char *id);
char       *tb_words_reason     (const char *reason);

G_END_DECLS
