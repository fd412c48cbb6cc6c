/* tb-page-util.h — small helpers the window's pages share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

gboolean tb_page_fill_names   (GtkListBox  *list,
                               const char  *table);
void     tb_page_follow_store (GtkWidget   *page,
                               const char  *table,
                               GCallback    reload);
char    *tb_page_row_text     (AdwEntryRow *row);
void     tb_page_report       (GtkWindow   *parent,
                               const char  *message);

/* Opens the consent import (the dialog announces "consent" to the store when it is done) over
 * @widget's window. */
void     tb_page_import_consent (GtkWidget   *widget);
/* Adds a filter named @name of the files matching @pattern ("*.csv") to @chooser. */
void     tb_page_add_file_filter (GtkFileChooser *chooser,
                                  const char     *name,
                                  const char     *pattern);

G_END_DECLS
