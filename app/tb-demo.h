/* tb-demo.h — the demo database of ./dev run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

gboolean tb_demo_populate (TbStore  *store,
                           GError  **error);

G_END_DECLS
