/* tb-demo.h — the demo database of ./dev run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

gboolean    tb_demo_populate          (TbStore     *store,
                                       GError     **error);
gboolean    tb_demo_populate_language (TbStore     *store,
                                       const char  *language,
                                       GError     **error);
const char *tb_demo_get_language      (void);
const char *tb_demo_get_campaign_name (const char  *language);

G_END_DECLS
