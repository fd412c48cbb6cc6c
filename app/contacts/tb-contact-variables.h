/* tb-contact-variables.h — a contact's fields as a call script's variables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The variables a contact gives a script ({name}, {company}, and one per
 * custom column of its list): a table of strings (keys and values owned).
 * @fields_json: the contact's custom fields, a JSON object, or NULL. The
 * standard fields win over custom ones with the same name. */
GHashTable *tb_contact_variables_new      (const char *name,
                                           const char *company,
                                           const char *fields_json);

G_END_DECLS
