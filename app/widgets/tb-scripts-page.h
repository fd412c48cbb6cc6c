/* tb-scripts-page.h — the Scripts page: the script list and the script editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-problems-list.h"
#include "tb-script-document.h"

G_BEGIN_DECLS

#define TB_TYPE_SCRIPTS_PAGE (tb_scripts_page_get_type ())
G_DECLARE_FINAL_TYPE (TbScriptsPage, tb_scripts_page, TB, SCRIPTS_PAGE, AdwBin)

TbScriptDocument *tb_scripts_page_get_document     (TbScriptsPage     *self);
const char       *tb_scripts_page_get_script_name  (TbScriptsPage     *self);
gboolean          tb_scripts_page_open_script      (TbScriptsPage     *self,
                                                    const char        *name,
                                                    GError           **error);
/* Opens the stored script @name (unless it is open) at @node with @phrase added to @intent,
 * one undoable change (tb_not_understood_add_phrase()), and re-checks it. FALSE with @error
 * when another script with unsaved changes is open, or the phrase cannot be added. */
gboolean          tb_scripts_page_add_phrase       (TbScriptsPage     *self,
                                                    const char        *name,
                                                    const char        *node,
                                                    const char        *intent,
                                                    const char        *phrase,
                                                    GError           **error);
void              tb_scripts_page_import_file_async (TbScriptsPage    *self,
                                                    GFile            *file,
                                                    GCancellable     *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer          user_data);
char             *tb_scripts_page_import_file_finish (TbScriptsPage   *self,
                                                    GAsyncResult     *result,
                                                    GError          **error);
void              tb_scripts_page_export_file_async (TbScriptsPage    *self,
                                                    GFile            *file,
                                                    GCancellable     *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer          user_data);
gboolean          tb_scripts_page_export_file_finish (TbScriptsPage   *self,
                                                    GAsyncResult     *result,
                                                    GError          **error);
void              tb_scripts_page_set_check_func   (TbScriptsPage     *self,
                                                    TbEditorCheckFunc  func,
                                                    gpointer           user_data);

G_END_DECLS
