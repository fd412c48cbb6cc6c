/* tb-test-csv.h — a strict RFC 4180 reader for tests that check what exports write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deliberately independent of app/contacts' reader: it is the oracle the
 * exporters are checked against.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* CRLF-terminated rows of quoted or plain fields; asserts the text is well formed.
 * (element-type GPtrArray of char *) (transfer full) */
GPtrArray *tb_test_parse_csv    (const char *text);
/* The index of @name in a header row; asserts it is there. */
int        tb_test_csv_column   (GPtrArray  *header,
                                 const char *name);

G_END_DECLS
