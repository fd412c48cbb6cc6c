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
