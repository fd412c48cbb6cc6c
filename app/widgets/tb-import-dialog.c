/* tb-import-dialog.c — choose a CSV, check the preview and mapping, import with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preview reads only the first rows (one 64 KiB chunk); the import itself
 * is a TbImportJob on its own thread and connection, cancellable, and leaves
 * nothing behind when cancelled. When the encoding is a guess, the user sees
 * one line as each likely encoding reads it and picks; the summary says how
 * many lines each reason rejected. The same dialog imports do-not-call
 * numbers and consent records (the columns of `telebot-cli consent import`,
 * read by the same code: tb-consent-file.h).
 */
#define G_LOG_DOMAIN "tb-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-csv-reader.h"
#include "tb-import-dialog-private.h"
#include "tb-phone.h"
#include "tb-region-guess.h"

#define PREVIEW_ROWS 9
#define PREVIEW_COLUMNS 24

G_DEFINE_FINAL_TYPE (TbImportDialog, tb_import_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_FILE,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const encodings[] = { NULL, "utf-8", "utf-16", "gbk", "gb18030", "latin-1" };
static const char delimiters[] = { 0, ',', ';', '\t' };
/* The countries offered by name (their codes are what the import takes). */
static const struct { const char *code; const char *name; } regions[] = {
  { "CN", N_("China") }, { "US", N_("United States") }, { "GB", N_("United Kingdom") },
  { "DE", N_("Germany") }, { "FR", N_("France") }, { "CA", N_("Canada") },
  { "AU", N_("Australia") }, { "IN", N_("India") }, { "JP", N_("Japan") },
  { "HK", N_("Hong Kong") }, { "TW", N_("Taiwan") }, { "SG", N_("Singapore") },
  { "ES", N_("Spain") }, { "IT", N_("Italy") }, { "NL", N_("Netherlands") },
};

/* The region chosen (its code), or NULL. */
static const char *
selected_region (TbImportDialog *self)
{
  guint i = adw_combo_row_get_selected (self->region_row);

  return i < self->region_codes->len ? g_ptr_array_index (self->region_codes, i) : NULL;
}

/* Selects @code, adding it (by its code) when it is not among the named ones. */
static void
select_region (TbImportDialog *self,
               const char     *code)
{
  GtkStringList *names = GTK_STRING_LIST (adw_combo_row_get_model (self->region_row));

  for (guint i = 0; i < self->region_codes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->region_codes, i), code)) {
      adw_combo_row_set_selected (self->region_row, i);
      return;
    }
  gtk_string_list_append (names, code);
  g_ptr_array_add (self->region_codes, g_strdup (code));
  adw_combo_row_set_selected (self->region_row, self->region_codes->len - 1);
}

/* Why a preview row will be rejected (the number cannot be read in the chosen region), or
 * NULL when it will be imported. */
static char *
preview_row_problem (TbImportDialog *self,
                     GStrv           cells)
{
  int column = self->consent ? self->consent_columns.index[TB_CONSENT_COLUMN_NUMBER]
             : self->mapping ? tb_contact_mapping_get_column (self->mapping, TB_CONTACT_FIELD_PHONE)
             : -1;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TbPhoneNumber number;

  if (column < 0)
    return NULL;
  if ((guint) column >= g_strv_length (cells) ||
      *(text = g_strstrip (g_strdup (cells[column]))) == '\0')
    return g_strdup (_("no number"));
  if (!tb_phone_normalize (cells[column], selected_region (self), &number, &error))
    return g_strdup (error->message);
  return NULL;
}
static const TbContactField contact_fields[] = {
  TB_CONTACT_FIELD_PHONE, TB_CONTACT_FIELD_NAME, TB_CONTACT_FIELD_COMPANY,
  TB_CONTACT_FIELD_EMAIL, TB_CONTACT_FIELD_TIMEZONE, TB_CONTACT_FIELD_PERSONA,
};
static const TbContactField dnc_fields[] = { TB_CONTACT_FIELD_PHONE, TB_CONTACT_FIELD_REASON };

static const char *
field_title (TbContactField field)
{
  switch (field) {
  case TB_CONTACT_FIELD_NAME: return _("Name");
  case TB_CONTACT_FIELD_PHONE: return _("Phone");
  case TB_CONTACT_FIELD_COMPANY: return _("Company");
  case TB_CONTACT_FIELD_EMAIL: return _("Email");
  case TB_CONTACT_FIELD_TIMEZONE: return _("Time Zone");
  case TB_CONTACT_FIELD_PERSONA: return _("Persona (simulated line)");
  case TB_CONTACT_FIELD_REASON: return _("Reason");
  case TB_CONTACT_N_FIELDS:
  default: g_assert_not_reached ();
  }
}

static const char *
delimiter_name (char delimiter)
{
  switch (delimiter) {
  case ',': return _("comma");
  case ';': return _("semicolon");
  case '\t': return _("tab");
  default: return "?";
  }
}

static void
update_actions (TbImportDialog *self)
{
  gboolean running = self->job != NULL;
  gboolean ready = self->consent
                   ? self->mapping != NULL && self->consent_ok
                   : self->mapping != NULL &&
                     tb_contact_mapping_get_column (self->mapping, TB_CONTACT_FIELD_PHONE) >= 0;
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.start",
                                 ready && !running && g_str_equal (page, "preview"));
  gtk_widget_set_visible (self->import_button, !g_str_equal (page, "summary"));
  gtk_widget_set_visible (self->cancel_button, !g_str_equal (page, "summary"));
}

static void
show_error (TbImportDialog *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
fill_preview_grid (TbImportDialog *self)
{
  GtkWidget *child;
  guint n_columns, first;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_grid))) != NULL)
    gtk_grid_remove (self->preview_grid, child);
  if (self->mapping == NULL)
    return;

  n_columns = MIN (tb_contact_mapping_get_n_columns (self->mapping), PREVIEW_COLUMNS);
  for (guint c = 0; c < n_columns; c++) {
    g_autofree char *title = NULL;
    const char *mapped = NULL;
    GtkWidget *label;

    for (guint f = 0; !self->consent && f < TB_CONTACT_N_FIELDS; f++)
      if (tb_contact_mapping_get_column (self->mapping, f) == (int) c)
        mapped = field_title (f);
    for (guint f = 0; self->consent && f < TB_CONSENT_N_COLUMNS; f++)
      if (self->consent_columns.index[f] == (int) c)
        mapped = _tb_import_dialog_consent_title (f);
    title = mapped ? g_strdup_printf ("%s → %s", tb_contact_mapping_get_header (self->mapping, c),
                                      mapped)
                   : g_strdup (tb_contact_mapping_get_header (self->mapping, c));
    label = gtk_label_new (title);
    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_widget_add_css_class (label, "heading");
    if (mapped != NULL)
      gtk_widget_add_css_class (label, "accent");
    gtk_grid_attach (self->preview_grid, label, c, 0, 1, 1);
  }

  /* Before anything is imported: which rows will be rejected, and why. */
  {
    GtkWidget *label = gtk_label_new (_("Will be"));

    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_widget_add_css_class (label, "heading");
    gtk_grid_attach (self->preview_grid, label, n_columns, 0, 1, 1);
  }

  /* A consent file always starts with its header. */
  first = self->consent || tb_contact_mapping_has_header (self->mapping) ? 1 : 0;
  for (guint r = first; r < self->preview->len; r++) {
    GStrv cells = self->preview->pdata[r];
    g_autofree char *problem = preview_row_problem (self, cells);
    g_autofree char *verdict = problem ? g_strdup_printf (_("rejected: %s"), problem)
                                       : g_strdup (_("imported"));
    GtkWidget *mark = gtk_label_new (verdict);

    for (guint c = 0; c < n_columns && cells[c] != NULL; c++) {
      GtkWidget *label = gtk_label_new (cells[c]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
      gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
      if (problem != NULL)
        gtk_widget_add_css_class (label, "error");
      gtk_grid_attach (self->preview_grid, label, c, r - first + 1, 1, 1);
    }
    gtk_label_set_xalign (GTK_LABEL (mark), 0);
    gtk_label_set_ellipsize (GTK_LABEL (mark), PANGO_ELLIPSIZE_END);
    gtk_label_set_max_width_chars (GTK_LABEL (mark), 40);
    gtk_widget_add_css_class (mark, problem ? "error" : "dim-label");
    gtk_widget_set_name (mark, problem ? "preview-rejected" : "preview-imported");
    gtk_widget_set_tooltip_text (mark, problem);
    gtk_grid_attach (self->preview_grid, mark, n_columns, r - first + 1, 1, 1);
  }
}

/* Puts the mapping into the column rows without reacting to it. */
static void
sync_field_rows (TbImportDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  self->updating = TRUE;
  gtk_string_list_append (names, _("(not imported)"));
  for (guint c = 0; self->mapping && c < tb_contact_mapping_get_n_columns (self->mapping); c++)
    gtk_string_list_append (names, tb_contact_mapping_get_header (self->mapping, c));
  for (guint f = 0; f < TB_CONTACT_N_FIELDS; f++) {
    AdwComboRow *row = ADW_COMBO_ROW (self->field_rows[f]);
    int column;

    if (row == NULL)
      continue;
    if (adw_combo_row_get_model (row) != G_LIST_MODEL (names)) {
      g_autoptr(GtkStringList) copy = gtk_string_list_new (NULL);

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (names)); i++)
        gtk_string_list_append (copy, gtk_string_list_get_string (names, i));
      adw_combo_row_set_model (row, G_LIST_MODEL (copy));
    }
    column = self->mapping ? tb_contact_mapping_get_column (self->mapping, f) : -1;
    adw_combo_row_set_selected (row, column + 1);
  }
  if (self->mapping != NULL)
    gtk_switch_set_active (self->header_switch, tb_contact_mapping_has_header (self->mapping));
  self->updating = FALSE;
}

static void
set_combo_first (AdwComboRow *row,
                 const char  *label)
{
  GtkStringList *list = GTK_STRING_LIST (adw_combo_row_get_model (row));
  guint selected = adw_combo_row_get_selected (row);
  const char * const replacement[] = { label, NULL };

  if (g_strcmp0 (gtk_string_list_get_string (list, 0), label) == 0)
    return;
  gtk_string_list_splice (list, 0, 1, replacement);
  adw_combo_row_set_selected (row, selected);
}

static void
load_preview (TbImportDialog *self,
              gboolean        new_file)
{
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *auto_encoding = NULL;
  g_autofree char *auto_delimiter = NULL;
  g_autoptr(TbCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint encoding_index = adw_combo_row_get_selected (self->encoding_row);
  guint delimiter_index = adw_combo_row_get_selected (self->delimiter_row);
  TbCsvResult r = TB_CSV_END;
  gboolean guessed = FALSE;

  g_clear_pointer (&self->mapping, tb_contact_mapping_free);
  g_ptr_array_set_size (self->preview, 0);
  self->consent_ok = FALSE;
  show_error (self, NULL);

  path = g_file_get_path (self->file);
  base = g_file_get_basename (self->file);
  if (new_file) {
    /* A new file starts from what detection finds. */
    self->updating = TRUE;
    adw_combo_row_set_selected (self->encoding_row, 0);
    adw_combo_row_set_selected (self->delimiter_row, 0);
    self->updating = FALSE;
    encoding_index = delimiter_index = 0;
  }
  if (new_file) {
    char *dot = strrchr (base, '.');
    g_autofree char *list_name = dot && dot != base ? g_strndup (base, dot - base)
                                                    : g_strdup (base);

    if (!self->dnc && !self->consent)
      gtk_editable_set_text (GTK_EDITABLE (self->list_row), list_name);
  }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), base);

  if (path != NULL)
    reader = tb_csv_reader_new_for_path (path,
                                         encodings[MIN (encoding_index,
                                                        G_N_ELEMENTS (encodings) - 1)],
                                         delimiters[MIN (delimiter_index,
                                                         G_N_ELEMENTS (delimiters) - 1)],
                                         &error);
  else
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("%s is not a local file"), base);

  if (reader != NULL) {
    while (self->preview->len < PREVIEW_ROWS &&
           (r = tb_csv_reader_next (reader, &error)) == TB_CSV_RECORD) {
      guint n_fields = 0;
      const char * const *fields = tb_csv_reader_get_fields (reader, &n_fields);
      GStrv cells = g_new0 (char *, n_fields + 1);

      /* Labels take only valid UTF-8; a wrong encoding shows as U+FFFD. */
      for (guint i = 0; i < n_fields; i++)
        cells[i] = g_utf8_make_valid (fields[i], -1);
      g_ptr_array_add (self->preview, cells);
    }
    g_free (self->encoding);
    self->encoding = g_strdup (tb_csv_reader_get_encoding (reader));
    self->delimiter = tb_csv_reader_get_delimiter (reader);
    guessed = encoding_index == 0 && !tb_csv_reader_is_encoding_certain (reader);
  }
  _tb_import_dialog_fill_encoding_group (self, reader);

  if (reader == NULL || r == TB_CSV_FAILED) {
    show_error (self, error->message);
  } else if (self->preview->len == 0) {
    show_error (self, _("The file has no rows."));
  } else {
    GStrv first = self->preview->pdata[0];

    self->mapping = tb_contact_mapping_new_from_first_row ((const char * const *) first,
                                                           g_strv_length (first));
    if (self->preview->len > 1)
      tb_contact_mapping_guess_from_row (self->mapping, self->preview->pdata[1],
                                         g_strv_length (self->preview->pdata[1]));
    if (self->consent) {
      self->consent_ok = tb_consent_columns_from_header (&self->consent_columns,
                                                         (const char * const *) first,
                                                         g_strv_length (first));
      if (!self->consent_ok)
        show_error (self, _("The first row must name the columns: number, scope, source and "
                            "collected_at at least, as `telebot-cli consent import` reads "
                            "them."));
    }
  }

  /* A new file's numbers are read where the file says they are. */
  if (new_file && self->mapping != NULL) {
    TbRegionGuessReason why = TB_REGION_GUESS_NONE;
    int phone = self->consent ? self->consent_columns.index[TB_CONSENT_COLUMN_NUMBER]
                              : tb_contact_mapping_get_column (self->mapping,
                                                               TB_CONTACT_FIELD_PHONE);
    g_autofree char *guess = tb_region_guess (self->preview,
                                              self->consent ||
                                              tb_contact_mapping_has_header (self->mapping),
                                              phone, self->encoding, &why);

    self->updating = TRUE;
    if (guess != NULL)
      select_region (self, guess);
    self->updating = FALSE;
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->region_row),
                                 why == TB_REGION_GUESS_NUMBERS
                                   ? _("Guessed from the file: its numbers carry this country's code")
                                 : why == TB_REGION_GUESS_CHINESE
                                   ? _("Guessed from the file: Chinese column names or encoding")
                                 : _("For numbers written without a country code"));
  }

  /* Show what was detected, next to the choices that override it. */
  self->updating = TRUE;
  /* The automatic choice's label says what detection found; a forced
   * encoding or separator does not change it. */
  if (encoding_index == 0 && reader != NULL) {
    auto_encoding = g_strdup_printf (_("Automatic (%s)"), _tb_import_dialog_encoding_title (self->encoding));
    set_combo_first (self->encoding_row, auto_encoding);
  }
  if (delimiter_index == 0 && reader != NULL) {
    auto_delimiter = g_strdup_printf (_("Automatic (%s)"), delimiter_name (self->delimiter));
    set_combo_first (self->delimiter_row, auto_delimiter);
  }
  self->updating = FALSE;
  subtitle = g_strdup_printf (guessed ? _("%s (a guess), separated by %s, %u columns")
                                      : _("%s, separated by %s, %u columns"),
                              _tb_import_dialog_encoding_title (self->encoding),
                              delimiter_name (self->delimiter),
                              self->mapping ? tb_contact_mapping_get_n_columns (self->mapping) : 0);
  adw_action_row_set_subtitle (self->file_row, subtitle);

  sync_field_rows (self);
  if (self->consent)
    _tb_import_dialog_sync_consent_rows (self);
  fill_preview_grid (self);
  gtk_stack_set_visible_child_name (self->stack, "preview");
  update_actions (self);
}

/* Another region reads the national numbers differently: the preview's verdicts follow. */
static void
on_region_changed (TbImportDialog *self)
{
  if (!self->updating)
    fill_preview_grid (self);
}

static void
on_field_row_selected (TbImportDialog *self,
                       GParamSpec     *pspec,
                       AdwComboRow    *row)
{
  TbContactField field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "field"));

  if (self->updating || self->mapping == NULL)
    return;
  tb_contact_mapping_set_column (self->mapping, field,
                                 (int) adw_combo_row_get_selected (row) - 1);
  sync_field_rows (self);
  fill_preview_grid (self);
  update_actions (self);
}

static void
on_format_changed (TbImportDialog *self)
{
  if (self->updating || self->file == NULL)
    return;
  load_preview (self, FALSE);
}

static void
on_header_switch_active (TbImportDialog *self)
{
  gboolean active = gtk_switch_get_active (self->header_switch);
  GStrv first;

  if (self->updating || self->mapping == NULL || self->preview->len == 0)
    return;
  first = self->preview->pdata[0];
  if (active) {
    /* Names come from the first row again. */
    g_clear_pointer (&self->mapping, tb_contact_mapping_free);
    self->mapping = tb_contact_mapping_new_from_first_row ((const char * const *) first,
                                                           g_strv_length (first));
    tb_contact_mapping_set_has_header (self->mapping, TRUE);
  } else {
    tb_contact_mapping_set_has_header (self->mapping, FALSE);
    tb_contact_mapping_guess_from_row (self->mapping, (const char * const *) first,
                                       g_strv_length (first));
  }
  sync_field_rows (self);
  fill_preview_grid (self);
  update_actions (self);
}

static void
on_job_progress (TbImportDialog *self)
{
  double fraction;
  g_autofree char *text = NULL;
  gint64 rows;

  if (self->job == NULL)
    return;
  fraction = tb_import_job_get_fraction (self->job);
  rows = tb_import_job_get_rows (self->job);
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  else
    gtk_progress_bar_pulse (self->progress_bar);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu row read", "%lu rows read", rows),
                          (gulong) rows);
  gtk_label_set_text (self->progress_label, text);
}

static void
import_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(TbImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbImportResult result = { 0 };
  gboolean ok;

  ok = tb_import_job_run_finish (TB_IMPORT_JOB (source), res, &result, &error);
  g_signal_handlers_disconnect_by_data (source, self);
  g_clear_object (&self->job);
  g_clear_object (&self->cancellable);

  if (gtk_widget_in_destruction (GTK_WIDGET (self))) {
    tb_import_result_clear (&result);
    return;
  }
  if (!ok) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      show_error (self, _("Import cancelled: nothing was changed."));
    else
      show_error (self, error->message);
    gtk_stack_set_visible_child_name (self->stack, "preview");
    update_actions (self);
    g_signal_emit (self, signals[FINISHED], 0, FALSE);
    return;
  }

  tb_import_result_clear (&self->result);
  self->result = result;
  self->has_result = TRUE;
  if (self->consent)
    description = g_strdup_printf (_("%lu consent records imported, %lu rejected, of %lu rows."),
                                   (gulong) result.imported, (gulong) result.rejected,
                                   (gulong) result.rows);
  else
    description = g_strdup_printf (_("%lu imported, %lu duplicates skipped, %lu rejected, "
                                     "of %lu rows."),
                                   (gulong) result.imported, (gulong) result.duplicates,
                                   (gulong) result.rejected, (gulong) result.rows);
  if (tb_import_result_too_many_rejected (&result)) {
    g_autofree char *warning =
      g_strdup_printf (_("%.1f %% of the lines were rejected: check the encoding and the "
                         "rejected rows before calling."),
                       tb_import_result_get_rejected_percent (&result));
    char *both = g_strconcat (description, "\n", warning, NULL);

    g_free (description);
    description = both;
  }
  adw_status_page_set_description (self->summary_page, description);
  _tb_import_dialog_fill_rejects_group (self, &result);
  adw_status_page_set_icon_name (self->summary_page, result.rejected > 0
                                                     ? "dialog-warning-symbolic"
                                                     : "emblem-ok-symbolic");
  gtk_widget_set_visible (self->rejects_button, result.rejects_path != NULL);
  gtk_stack_set_visible_child_name (self->stack, "summary");
  update_actions (self);

  if (app != NULL && self->consent) {
    tb_application_store_changed (app, "consent");
  } else if (app != NULL) {
    tb_application_store_changed (app, self->dnc ? "dnc" : "lists");
    if (!self->dnc)
      tb_application_store_changed (app, "contacts");
  }
  g_signal_emit (self, signals[FINISHED], 0, TRUE);
}

static void
import_start (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TbImportDialog *self = TB_IMPORT_DIALOG (widget);
  g_auto(TbImportOptions) options = { 0 };
  guint encoding_index = adw_combo_row_get_selected (self->encoding_row);
  const char *list_name = gtk_editable_get_text (GTK_EDITABLE (self->list_row));

  if (self->job != NULL || self->mapping == NULL)
    return;
  if (!self->dnc && !self->consent && *list_name == '\0') {
    show_error (self, _("Give the list a name."));
    return;
  }

  options.path = g_file_get_path (self->file);
  options.list_name = self->dnc || self->consent ? NULL : g_strdup (list_name);
  options.region = g_strdup (selected_region (self));
  options.encoding = g_strdup (encodings[MIN (encoding_index, G_N_ELEMENTS (encodings) - 1)]);
  options.delimiter = self->delimiter;
  options.mapping = self->consent ? NULL : tb_contact_mapping_copy (self->mapping);
  options.dnc = self->dnc;
  options.consent = self->consent;

  show_error (self, NULL);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->progress_label, "");
  self->cancellable = g_cancellable_new ();
  self->job = tb_import_job_new (tb_store_get_path (self->store), &options);
  g_signal_connect_swapped (self->job, "notify::fraction", G_CALLBACK (on_job_progress), self);
  g_signal_connect_swapped (self->job, "notify::rows", G_CALLBACK (on_job_progress), self);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  update_actions (self);
  tb_import_job_run_async (self->job, self->cancellable, import_cb, g_object_ref (self));
}

static void
import_use_encoding (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TbImportDialog *self = TB_IMPORT_DIALOG (widget);
  const char *encoding = g_variant_get_string (param, NULL);

  if (self->job != NULL)
    return;
  for (guint i = 1; i < G_N_ELEMENTS (encodings); i++)
    if (g_str_equal (encodings[i], encoding))
      adw_combo_row_set_selected (self->encoding_row, i);
}

static void
import_cancel (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TbImportDialog *self = TB_IMPORT_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_choose_response (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  TbImportDialog *self = TB_IMPORT_DIALOG (user_data);

  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

    tb_import_dialog_set_file (self, file);
  }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
import_choose (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TbImportDialog *self = TB_IMPORT_DIALOG (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a CSV File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("CSV and text files"));
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_filter_add_pattern (csv, "*.CSV");
  gtk_file_filter_add_pattern (csv, "*.txt");
  gtk_file_filter_add_pattern (csv, "*.tsv");
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_choose_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
import_open_rejects (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TbImportDialog *self = TB_IMPORT_DIALOG (widget);
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->has_result || self->result.rejects_path == NULL)
    return;
  file = g_file_new_for_path (self->result.rejects_path);
  uri = g_file_get_uri (file);
  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    show_error (self, error->message);
}

static void
tb_import_dialog_dispose (GObject *object)
{
  TbImportDialog *self = TB_IMPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (tb_import_dialog_parent_class)->dispose (object);
}

static void
tb_import_dialog_finalize (GObject *object)
{
  TbImportDialog *self = TB_IMPORT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_pointer (&self->mapping, tb_contact_mapping_free);
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_clear_pointer (&self->region_codes, g_ptr_array_unref);
  g_clear_pointer (&self->encoding, g_free);
  g_clear_object (&self->job);
  g_clear_object (&self->cancellable);
  tb_import_result_clear (&self->result);
  g_clear_pointer (&self->encoding_rows, g_ptr_array_unref);
  g_clear_pointer (&self->reject_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (tb_import_dialog_parent_class)->finalize (object);
}

static void
tb_import_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TbImportDialog *self = TB_IMPORT_DIALOG (object);

  switch (prop_id) {
  case PROP_FILE:
    g_value_set_object (value, self->file);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_import_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TbImportDialog *self = TB_IMPORT_DIALOG (object);

  switch (prop_id) {
  case PROP_FILE:
    if (g_value_get_object (value) != NULL)
      tb_import_dialog_set_file (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_import_dialog_class_init (TbImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_import_dialog_dispose;
  object_class->finalize = tb_import_dialog_finalize;
  object_class->get_property = tb_import_dialog_get_property;
  object_class->set_property = tb_import_dialog_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TbImportDialog::finished:
   * @success: whether the import committed
   *
   * Emitted when an import ends: committed, failed or cancelled.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, list_row);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, region_row);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, encoding_group);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, header_switch);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, summary_page);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, rejects_group);
  gtk_widget_class_bind_template_child (widget_class, TbImportDialog, rejects_button);

  gtk_widget_class_install_action (widget_class, "import.choose", NULL, import_choose);
  gtk_widget_class_install_action (widget_class, "import.start", NULL, import_start);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, import_cancel);
  gtk_widget_class_install_action (widget_class, "import.use-encoding", "s",
                                   import_use_encoding);
  gtk_widget_class_install_action (widget_class, "import.open-rejects", NULL,
                                   import_open_rejects);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
tb_import_dialog_init (TbImportDialog *self)
{
  g_autoptr(GtkStringList) encoding_names = NULL;
  g_autoptr(GtkStringList) delimiter_names = NULL;
  g_autoptr(GtkStringList) region_names = gtk_string_list_new (NULL);
  g_autofree char *default_region = tb_phone_dup_default_region ();
  guint region_index = G_MAXUINT;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->encoding_rows = g_ptr_array_new ();
  self->reject_rows = g_ptr_array_new ();

  encoding_names = gtk_string_list_new ((const char * const[]) {
    _("Automatic"), "UTF-8", "UTF-16", "GBK", "GB18030", _("Latin-1 (Windows-1252)"), NULL });
  delimiter_names = gtk_string_list_new ((const char * const[]) {
    _("Automatic"), _("Comma"), _("Semicolon"), _("Tab"), NULL });
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (encoding_names));
  adw_combo_row_set_model (self->delimiter_row, G_LIST_MODEL (delimiter_names));
  self->region_codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++) {
    /* Translators: a country and its code, "China (CN)" */
    g_autofree char *name = g_strdup_printf (_("%s (%s)"), _(regions[i].name), regions[i].code);

    gtk_string_list_append (region_names, name);
    g_ptr_array_add (self->region_codes, g_strdup (regions[i].code));
    if (g_str_equal (regions[i].code, default_region))
      region_index = i;
  }
  if (region_index == G_MAXUINT) {
    gtk_string_list_append (region_names, default_region);
    g_ptr_array_add (self->region_codes, g_strdup (default_region));
    region_index = G_N_ELEMENTS (regions);
  }
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (region_names));
  adw_combo_row_set_selected (self->region_row, region_index);
  g_signal_connect_swapped (self->region_row, "notify::selected",
                            G_CALLBACK (on_region_changed), self);

  g_signal_connect_swapped (self->encoding_row, "notify::selected",
                            G_CALLBACK (on_format_changed), self);
  g_signal_connect_swapped (self->delimiter_row, "notify::selected",
                            G_CALLBACK (on_format_changed), self);
  g_signal_connect_swapped (self->header_switch, "notify::active",
                            G_CALLBACK (on_header_switch_active), self);
  update_actions (self);
}

TbImportDialog *
tb_import_dialog_new (TbStore  *store,
                      gboolean  dnc)
{
  TbImportDialog *self;
  const TbContactField *fields = dnc ? dnc_fields : contact_fields;
  guint n_fields = dnc ? G_N_ELEMENTS (dnc_fields) : G_N_ELEMENTS (contact_fields);

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  self = g_object_new (TB_TYPE_IMPORT_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->dnc = dnc;
  if (dnc) {
    gtk_window_set_title (GTK_WINDOW (self), _("Import Do-Not-Call Numbers"));
    gtk_widget_set_visible (GTK_WIDGET (self->list_row), FALSE);
  }
  for (guint i = 0; i < n_fields; i++) {
    GtkWidget *row = adw_combo_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field_title (fields[i]));
    g_object_set_data (G_OBJECT (row), "field", GINT_TO_POINTER (fields[i]));
    g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (on_field_row_selected), self);
    adw_preferences_group_add (self->columns_group, row);
    self->field_rows[fields[i]] = row;
  }
  return self;
}

/**
 * tb_import_dialog_new_for_consent:
 * @store: the store
 *
 * The dialog for consent records: the columns of `telebot-cli consent import` (number, scope,
 * source, evidence, collected_at, collected_by, expires_at, seller), named by the file's
 * header; numbers normalized in the chosen region; bad rows to a rejects file.
 *
 * Returns: (transfer full): a new dialog
 */
TbImportDialog *
tb_import_dialog_new_for_consent (TbStore *store)
{
  TbImportDialog *self;
  GtkWidget *header_row;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  self = g_object_new (TB_TYPE_IMPORT_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->consent = TRUE;
  gtk_window_set_title (GTK_WINDOW (self), _("Import Consent"));
  gtk_widget_set_visible (GTK_WIDGET (self->list_row), FALSE);
  /* The header is not optional: it names the columns. */
  header_row = gtk_widget_get_ancestor (GTK_WIDGET (self->header_switch), ADW_TYPE_ACTION_ROW);
  if (header_row != NULL)
    gtk_widget_set_visible (header_row, FALSE);
  adw_preferences_group_set_description (self->columns_group,
                                         _("The first row names the columns. Each record says "
                                           "who agreed (number), to what (scope: ai_voice, "
                                           "marketing or recording), how (source: a form, a "
                                           "document, a recorded call), the evidence, and "
                                           "when."));
  _tb_import_dialog_add_consent_rows (self);
  return self;
}

/**
 * tb_import_dialog_get_consent:
 *
 * Returns: whether the dialog imports consent records
 */
gboolean
tb_import_dialog_get_consent (TbImportDialog *self)
{
  g_return_val_if_fail (TB_IS_IMPORT_DIALOG (self), FALSE);

  return self->consent;
}

void
tb_import_dialog_set_file (TbImportDialog *self,
                           GFile          *file)
{
  g_return_if_fail (TB_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->job != NULL)
    return;
  g_set_object (&self->file, file);
  load_preview (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

GFile *
tb_import_dialog_get_file (TbImportDialog *self)
{
  g_return_val_if_fail (TB_IS_IMPORT_DIALOG (self), NULL);

  return self->file;
}

const TbContactMapping *
tb_import_dialog_get_mapping (TbImportDialog *self)
{
  g_return_val_if_fail (TB_IS_IMPORT_DIALOG (self), NULL);

  return self->mapping;
}

const char *
tb_import_dialog_get_encoding (TbImportDialog *self)
{
  g_return_val_if_fail (TB_IS_IMPORT_DIALOG (self), NULL);

  return self->encoding;
}

const TbImportResult *
tb_import_dialog_get_result (TbImportDialog *self)
{
  g_return_val_if_fail (TB_IS_IMPORT_DIALOG (self), NULL);

  return self->has_result ? &self->result : NULL;
}
