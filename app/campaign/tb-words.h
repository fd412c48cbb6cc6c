/* tb-words.h — the words a person reads for Telebot's identifiers
 *
 * Outcomes, intents and node ids are identifiers in the store, the CSV exports and the CRM
 * payloads ("hung_up", "callback_requested"); the window shows these words instead, translated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-script.h"
#include "tb-store.h"

G_BEGIN_DECLS

char       *tb_words_outcome    (const char *outcome);
char       *tb_words_intent     (const char *intent);
char       *tb_words_identifier (const char *id);
char       *tb_words_node       (TbScript   *script,
                                 const char *node_id);
char       *tb_words_reason     (TbScript   *script,
                                 const char *reason);
char       *tb_words_number_type (const char *number_type);
char       *tb_words_system_note (const char *note);
char       *tb_words_dnc_source (const char *source);
char       *tb_words_time_zone  (const char *zone);
TbScript   *tb_words_load_campaign_script (TbStore *store,
                                           gint64   campaign_id);

G_END_DECLS
