/* contacts-page.c — time from opening the Contacts page to its first rows drawn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * contacts-page --db PATH: runs Telebot's application on PATH, builds a
 * Contacts page in a window and prints the milliseconds until the column view
 * has painted rows (the frame clock's after-paint with a row label mapped).
 * bench/contacts-page.sh runs it on a 1,000,000-contact and a 1,000-contact
 * database in the same run.
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>

#include "tb-application.h"
#include "tb-contacts-page.h"

static gint64 started;
static GtkWidget *page;

static gboolean
has_row_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), "+"))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_row_label (child))
      return TRUE;
  return FALSE;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  GtkWidget *columns = user_data;
  TbContactModel *model;

  if (!has_row_label (columns))
    return;
  model = tb_contacts_page_get_model (TB_CONTACTS_PAGE (page));
  printf ("%.1f ms to first rows drawn, %u contacts, %u pages read\n",
          (g_get_monotonic_time () - started) / 1000.0,
          g_list_model_get_n_items (G_LIST_MODEL (model)), tb_contact_model_get_n_fetches (model));
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, user_data);
  g_application_quit (g_application_get_default ());
}

static GtkWidget *
find_column_view (GtkWidget *widget)
{
  if (GTK_IS_COLUMN_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_column_view (child);

    if (found != NULL)
      return found;
  }
  return NULL;
}

static void
on_realize (GtkWidget *window,
            gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), find_column_view (page));
}

static gboolean
open_page_cb (gpointer data)
{
  GtkApplication *app = data;
  GtkWidget *window;

  /* What opening the page costs: build it (sidebar counts, model count),
   * show it, lay it out, read the visible page and paint. */
  started = g_get_monotonic_time ();
  window = adw_application_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  page = g_object_new (TB_TYPE_CONTACTS_PAGE, NULL);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), page);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app)
{
  /* The application's own window is not measured; hide it. */
  GtkWindow *main_window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (main_window != NULL)
    gtk_widget_set_visible (GTK_WIDGET (main_window), FALSE);
  g_timeout_add (500, open_page_cb, app);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(TbApplication) app = NULL;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  app = tb_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
