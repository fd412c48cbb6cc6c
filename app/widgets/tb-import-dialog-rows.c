/* tb-import-dialog-rows.c — the import dialog's rows built from what was read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When the encoding is a guess, one row per likely encoding shows the same
 * line as that encoding reads it; after an import, one row per reason says
 * how many lines it rejected. A consent file's columns are named by its header:
 * one row per column a record has says which of the file's it is.
 */
#define G_LOG_DOMAIN "tb-import-dialog-rows"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-import-dialog-private.h"

const char *
_tb_import_dialog_encoding_title (const char *encoding)
{
  if (encoding == NULL)
    return "—";
  if (g_str_has_prefix (encoding, "utf-8"))
    return "UTF-8";
  if (g_str_has_prefix (encoding, "utf-16"))
    return "UTF-16";
  if (g_str_equal (encoding, "gbk"))
    return "GBK";
  if (g_str_equal (encoding, "gb18030"))
    return "GB18030";
  if (g_str_equal (encoding, "latin-1"))
    return "Latin-1";
  return encoding;
}

/* What a candidate encoding is for, to people who do not know the names. */
static const char *
encoding_description (const char *encoding)
{
  if (g_str_equal (encoding, "gb18030"))
    return _("GB18030 (Chinese)");
  if (g_str_equal (encoding, "latin-1"))
    return _("Latin-1 (Western European)");
  return _tb_import_dialog_encoding_title (encoding);
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
}

/* When the encoding is a guess: the file's first line with non-ASCII letters
 * as each likely encoding reads it, one row each; activating one chooses it. */
void
_tb_import_dialog_fill_encoding_group (TbImportDialog *self,
                                       TbCsvReader    *reader)
{
  g_auto(GStrv) candidates = reader != NULL ? tb_csv_reader_dup_candidates (reader) : NULL;

  clear_rows (self->encoding_group, self->encoding_rows);
  for (guint i = 0; candidates != NULL && candidates[i] != NULL; i++) {
    g_autofree char *sample = tb_csv_reader_dup_sample (reader, candidates[i]);
    GtkWidget *row, *check;

    if (sample == NULL)
      break;
    if (g_utf8_strlen (sample, -1) > 200) {
      char *cut = g_utf8_substring (sample, 0, 200);

      g_free (sample);
      sample = cut;
    }
    row = adw_action_row_new ();
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sample);
    adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), encoding_description (candidates[i]));
    gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "import.use-encoding");
    gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", candidates[i]);
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    check = gtk_image_new_from_icon_name ("object-select-symbolic");
    gtk_widget_set_visible (check, g_strcmp0 (self->encoding, candidates[i]) == 0);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
    adw_preferences_group_add (self->encoding_group, row);
    g_ptr_array_add (self->encoding_rows, row);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->encoding_group), self->encoding_rows->len > 0);
}

/* Relabels "Automatic (…)". Only on a real change: replacing the item while
 * the combo's selection notifies makes it notify again, for ever. */
/* One row per reason, with how many lines it took. */
void
_tb_import_dialog_fill_rejects_group (TbImportDialog       *self,
                                      const TbImportResult *result)
{
  clear_rows (self->rejects_group, self->reject_rows);
  for (guint r = 0; r < TB_IMPORT_N_REASONS; r++) {
    gulong n = result->reason_lines[r];
    g_autofree char *count = NULL;
    GtkWidget *row, *label;

    if (n == 0)
      continue;
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu line", "%lu lines", n), n);
    row = adw_action_row_new ();
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tb_import_reason_get_label (r));
    label = gtk_label_new (count);
    gtk_widget_add_css_class (label, "dim-label");
    gtk_widget_add_css_class (label, "numeric");
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    adw_preferences_group_add (self->rejects_group, row);
    g_ptr_array_add (self->reject_rows, row);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->rejects_group), self->reject_rows->len > 0);
}

const char *
_tb_import_dialog_consent_title (TbConsentColumn column)
{
  switch (column) {
  case TB_CONSENT_COLUMN_NUMBER: return _("Number");
  case TB_CONSENT_COLUMN_SCOPE: return _("Scope");
  case TB_CONSENT_COLUMN_SOURCE: return _("Source");
  case TB_CONSENT_COLUMN_EVIDENCE: return _("Evidence");
  case TB_CONSENT_COLUMN_COLLECTED_AT: return _("Collected On");
  case TB_CONSENT_COLUMN_COLLECTED_BY: return _("Collected By");
  case TB_CONSENT_COLUMN_EXPIRES_AT: return _("Expires On");
  case TB_CONSENT_COLUMN_SELLER: return _("Seller");
  case TB_CONSENT_N_COLUMNS:
  default: g_assert_not_reached ();
  }
}

static gboolean
consent_column_required (TbConsentColumn column)
{
  return column == TB_CONSENT_COLUMN_NUMBER || column == TB_CONSENT_COLUMN_SCOPE ||
         column == TB_CONSENT_COLUMN_SOURCE || column == TB_CONSENT_COLUMN_COLLECTED_AT;
}

void
_tb_import_dialog_add_consent_rows (TbImportDialog *self)
{
  for (guint c = 0; c < TB_CONSENT_N_COLUMNS; c++) {
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _tb_import_dialog_consent_title (c));
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    adw_preferences_group_add (self->columns_group, row);
    self->consent_rows[c] = row;
  }
  _tb_import_dialog_sync_consent_rows (self);
}

/* Each row's subtitle: the file's column it reads, or that the file has none. */
void
_tb_import_dialog_sync_consent_rows (TbImportDialog *self)
{
  for (guint c = 0; c < TB_CONSENT_N_COLUMNS; c++) {
    AdwActionRow *row = ADW_ACTION_ROW (self->consent_rows[c]);
    int index = self->mapping != NULL ? self->consent_columns.index[c] : -1;
    g_autofree char *subtitle = NULL;

    if (row == NULL)
      continue;
    if (index >= 0)
      /* Translators: the column of the file that a consent field is read from */
      subtitle = g_strdup_printf (_("Column “%s”"),
                                  tb_contact_mapping_get_header (self->mapping, index));
    else if (consent_column_required (c))
      /* Translators: %s is the column name a consent file's header must have */
      subtitle = g_strdup_printf (_("Missing: the header needs a column “%s”"),
                                  tb_consent_column_get_name (c));
    else
      subtitle = g_strdup (_("Not in the file"));
    adw_action_row_set_subtitle (row, subtitle);
    if (index < 0 && consent_column_required (c) && self->mapping != NULL)
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
    else
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  }
}
