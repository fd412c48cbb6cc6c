/* tb-import-dialog.h — choose a CSV, check the preview and mapping, import with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-contact-mapping.h"
#include "tb-import-job.h"
#include "tb-store.h"

G_BEGIN_DECLS

#define TB_TYPE_IMPORT_DIALOG (tb_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TbImportDialog, tb_import_dialog, TB, IMPORT_DIALOG, AdwWindow)

/* @dnc: import numbers into the do-not-call list instead of a contact list. */
TbImportDialog         *tb_import_dialog_new          (TbStore        *store,
                                                       gboolean        dnc);
TbImportDialog         *tb_import_dialog_new_for_consent (TbStore     *store);
gboolean                tb_import_dialog_get_consent  (TbImportDialog *self);
/* Loads @file's preview, as choosing it in the file chooser does. */
void                    tb_import_dialog_set_file     (TbImportDialog *self,
                                                       GFile          *file);
GFile                  *tb_import_dialog_get_file     (TbImportDialog *self);
/* The detected (or chosen) mapping of the file's columns; NULL before a file. */
const TbContactMapping *tb_import_dialog_get_mapping  (TbImportDialog *self);
const char             *tb_import_dialog_get_encoding (TbImportDialog *self);
/* The last import's counts, or NULL. */
const TbImportResult   *tb_import_dialog_get_result   (TbImportDialog *self);

G_END_DECLS
