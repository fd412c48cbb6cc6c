/* tb-line-factory.h — a TbLine from its configuration in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-line.h"
#include "tb-store.h"

G_BEGIN_DECLS

/* The line named @line_name in the store, of its kind, not yet started.
 * @fast: run a simulated line faster than real time whatever its config says
 * (`campaign run --fast`). Secrets come from the keyring or the environment,
 * never the store. */
TbLine *tb_line_new_from_store (TbStore    *store,
                                const char *line_name,
                                gboolean   fast,
                                GError   **error);

G_END_DECLS
