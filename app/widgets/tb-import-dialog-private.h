/* tb-import-dialog-private.h — shared by tb-import-dialog*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-consent-file.h"
#include "tb-csv-reader.h"
#include "tb-import-dialog.h"

G_BEGIN_DECLS

struct _TbImportDialog
{
  AdwWindow          parent_instance;

  /* template widgets */
  GtkStack          *stack;
  GtkWidget         *cancel_button;
  GtkWidget         *import_button;
  GtkLabel          *error_label;
  AdwActionRow      *file_row;
  AdwEntryRow       *list_row;
  AdwComboRow       *region_row;
  AdwComboRow       *encoding_row;
  AdwComboRow       *delimiter_row;
  AdwPreferencesGroup *encoding_group;
  GtkSwitch         *header_switch;
  AdwPreferencesGroup *columns_group;
  GtkGrid           *preview_grid;
  GtkProgressBar    *progress_bar;
  GtkLabel          *progress_label;
  AdwStatusPage     *summary_page;
  AdwPreferencesGroup *rejects_group;
  GtkWidget         *rejects_button;

  /* borrowed: rows added to the groups above */
  GPtrArray         *encoding_rows;
  GPtrArray         *reject_rows;

  /* owned */
  TbStore           *store;
  GFile             *file;
  TbContactMapping  *mapping;
  GPtrArray         *preview;        /* GStrv per record */
  GPtrArray         *region_codes;   /* char *, in the order of the region row's names */
  char              *encoding;       /* detected or chosen */
  char               delimiter;
  TbImportJob       *job;
  GCancellable      *cancellable;
  TbImportResult     result;
  GtkWidget         *field_rows[TB_CONTACT_N_FIELDS];
  GtkWidget         *consent_rows[TB_CONSENT_N_COLUMNS];
  TbConsentColumns   consent_columns;

  gboolean           dnc;
  gboolean           consent;        /* into the consent ledger: the header names the columns */
  gboolean           consent_ok;     /* the header names the columns a record needs */
  gboolean           has_result;
  gboolean           updating;
};

const char *_tb_import_dialog_encoding_title       (const char           *encoding);
void        _tb_import_dialog_fill_encoding_group  (TbImportDialog       *self,
                                                    TbCsvReader          *reader);
void        _tb_import_dialog_fill_rejects_group   (TbImportDialog       *self,
                                                    const TbImportResult *result);
/* A consent file: one row per column a record has, saying which of the file's columns it is. */
void        _tb_import_dialog_add_consent_rows     (TbImportDialog       *self);
void        _tb_import_dialog_sync_consent_rows    (TbImportDialog       *self);
const char *_tb_import_dialog_consent_title        (TbConsentColumn       column);

G_END_DECLS
