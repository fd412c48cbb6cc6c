/* tb-page-util.c — small helpers the window's pages share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-page-util"

#include "config.h"

#include "tb-application.h"
#include "tb-import-dialog.h"
#include "tb-page-util.h"
#include "tb-window.h"
#include "tb-store-config.h"

/* Fills @list with one row per named item of @table (NULL: none yet).
 * Returns TRUE when there is nothing to show, so the page shows its empty state. */
gboolean
tb_page_fill_names (GtkListBox *list,
                    const char *table)
{
  TbStore *store = tb_application_get_default_store ();
  g_auto(GStrv) names = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);

  if (store == NULL || table == NULL)
    return TRUE;

  names = tb_store_dup_names (store, table);
  for (guint i = 0; names[i] != NULL; i++) {
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), names[i]);
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    gtk_list_box_append (list, row);
  }
  return names[0] == NULL;
}

void
tb_page_follow_store (GtkWidget  *page,
                      const char *table,
                      GCallback   reload)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  g_autofree char *signal = NULL;

  if (app == NULL || table == NULL)
    return;
  signal = g_strdup_printf ("store-changed::%s", table);
  g_signal_connect_object (app, signal, reload, page, G_CONNECT_SWAPPED);
}

/* An entry row's text, trimmed; NULL when empty. */
char *
tb_page_row_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text ? g_steal_pointer (&text) : NULL;
}

/* A message for the user: a toast on the window, or the log without one. */
void
tb_page_report (GtkWindow  *parent,
                const char *message)
{
  if (TB_IS_WINDOW (parent))
    tb_window_show_toast (TB_WINDOW (parent), message);
  else
    g_message ("%s", message);
}

void
tb_page_import_consent (GtkWidget *widget)
{
  TbStore *store = tb_application_get_default_store ();
  TbImportDialog *dialog;

  if (store == NULL)
    return;
  dialog = tb_import_dialog_new_for_consent (store);
  gtk_window_set_transient_for (GTK_WINDOW (dialog),
                                GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
tb_page_add_file_filter (GtkFileChooser *chooser,
                         const char     *name,
                         const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}
