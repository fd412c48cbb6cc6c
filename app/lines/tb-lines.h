/* tb-lines.h — build a TbLine of any kind from its stored configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-line.h"

G_BEGIN_DECLS

/* @kind: "sim", "sip" (when built with sofia-sip); "modem".
 * Returns: (transfer full): the line, OFFLINE (tb_line_start brings it up), or NULL with
 * @error naming the line. */
TbLine *tb_line_new_for_config (const char  *name,
                                const char  *kind,
                                const char  *config_json,
                                int          max_calls,
                                GError     **error);

/* The call limit of a line of @kind: @configured (0: none) or its class's default; always 1
 * for a modem. */
int     tb_line_kind_get_max_calls (const char *kind,
                                    int         configured);

/* A line's error (tb_line_dup_last_error(), or the one tb_line_new_for_config() gave) in plain
 * words, translated: what is wrong ("The provider rejected the user name or password.") and, in
 * @hint, what to do. The technical message stays the detail. */
char   *tb_line_explain_error  (const char  *message,
                                char       **hint);

G_END_DECLS
