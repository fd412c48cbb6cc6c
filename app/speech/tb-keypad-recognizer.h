/* tb-keypad-recognizer.h — the recognizer of a keypad-only script: it hears no words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-recognizer.h"

G_BEGIN_DECLS

#define TB_TYPE_KEYPAD_RECOGNIZER (tb_keypad_recognizer_get_type ())
G_DECLARE_FINAL_TYPE (TbKeypadRecognizer, tb_keypad_recognizer, TB, KEYPAD_RECOGNIZER, GObject)

/* For a script that listens by keypad only ("listen": "keypad"): every utterance comes back
 * empty, with the reason, so speech leads to the node's no-match reprompt ("please press 1")
 * and keys do the rest. How a Chinese business runs on a real line without a speech server. */
TbKeypadRecognizer *tb_keypad_recognizer_new (void);

G_END_DECLS
