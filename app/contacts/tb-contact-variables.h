/* tb-contact-variables.h — a contact's fields as a call script's variables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest contact field a prompt says, in characters. */
#define TB_CONTACT_MAX_SPOKEN_CHARS 80

/* Whether a contact's field may be said in a prompt: not a formula (it starts
 * with =, +, -, @ unless it is an E.164 number; see tb_csv_cell_is_formula ()),
 * no markup (< or >: SSML to a synthesizer), at most
 * TB_CONTACT_MAX_SPOKEN_CHARS characters. */
gboolean    tb_contact_value_is_speakable (const char *value);

/* The variables a contact gives a script ({name}, {company}, and one per
 * custom column of its list): a table of strings (keys and values owned).
 * @fields_json: the contact's custom fields, a JSON object, or NULL. The
 * standard fields win over custom ones with the same name. A field that is not
 * speakable is left out, so the script's fallback is said instead. */
GHashTable *tb_contact_variables_new      (const char *name,
                                           const char *company,
                                           const char *fields_json);

G_END_DECLS
