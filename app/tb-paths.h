/* tb-paths.h — where Telebot keeps and finds its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

const char *tb_paths_get_data_dir   (void);
const char *tb_paths_get_locale_dir (void);
char       *tb_paths_build_data     (const char *first_element,
                                     ...) G_GNUC_NULL_TERMINATED;
char       *tb_paths_dup_default_db (void);
/* Where a business keeps lexicons of its own (data/understanding/README.md):
 * $XDG_CONFIG_HOME/telebot/understanding, or $TELEBOT_UNDERSTANDING_DIR. */
char       *tb_paths_dup_user_lexicon_dir (void);
/* Adds every *.json lexicon of that folder to the default understanding, once per process;
 * a file that is not valid is skipped, its error in @errors (one line each; may be NULL).
 * Returns how many were added. */
guint       tb_paths_load_user_lexicons (GString   *errors);

/* Files about people (recordings, rejected rows, exports, prompts) are their owner's alone:
 * folders 0700, files 0600, wherever they live. */
/* Creates @path and its missing parents 0700, and takes the others' rights off @path
 * itself when it exists with more. */
gboolean    tb_paths_make_private_dir (const char  *path,
                                       GError     **error);
/* Opens @path for writing, created or truncated, readable and writable by its owner only. */
FILE       *tb_paths_fopen_private    (const char  *path,
                                       GError     **error);

G_END_DECLS
