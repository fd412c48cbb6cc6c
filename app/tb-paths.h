/* tb-paths.h — where Telebot keeps and finds its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *tb_paths_get_data_dir   (void);
char       *tb_paths_build_data     (const char *first_element,
                                     ...) G_GNUC_NULL_TERMINATED;
char       *tb_paths_dup_default_db (void);

G_END_DECLS
