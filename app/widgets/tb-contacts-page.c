/* tb-contacts-page.c — the Contacts page: lists, a paged column view, the DNC list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * And consent (COMPLIANCE.md R5): the contacts the dial gate would block for want of it
 * ("Needs Consent"), a consent import, and the selected contact's records (TbConsentPanel).
 */
#define G_LOG_DOMAIN "tb-contacts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-contacts-page-private.h"
#include "tb-contacts-page.h"
#include "tb-page-util.h"
#include "tb-store-config.h"
#include "tb-window.h"
#include "tb-words.h"

typedef enum {
  COL_NAME,
  COL_PHONE,
  COL_COMPANY,
  COL_COUNTRY,
  COL_TYPE,
  COL_TIMEZONE,
  COL_EMAIL,
  COL_DNC_PHONE,
  COL_DNC_REASON,
  COL_DNC_SOURCE,
  COL_DNC_ADDED,
} Column;


G_DEFINE_FINAL_TYPE (TbContactsPage, tb_contacts_page, ADW_TYPE_BIN)

typedef struct {
  TbContactsPage *page;
  TbContactSort   sort;
} SortProbe;

/* The do-not-call entry selected in its table, or NULL. */
TbContact *
_tb_contacts_page_selected_dnc (TbContactsPage *self)
{
  GtkSelectionModel *model = gtk_column_view_get_model (self->dnc_columns);

  return GTK_IS_SINGLE_SELECTION (model)
         ? gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model)) : NULL;
}

/* The contact selected in the list's table, or NULL. */
TbContact *
_tb_contacts_page_selected_contact (TbContactsPage *self)
{
  GtkSelectionModel *model = gtk_column_view_get_model (self->columns);

  if (self->showing_dnc || !GTK_IS_SINGLE_SELECTION (model))
    return NULL;
  return gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model));
}

void
_tb_contacts_page_toast (TbContactsPage *self,
                        const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TB_IS_WINDOW (root))
    tb_window_show_toast (TB_WINDOW (root), message);
}

static void
update_view (TbContactsPage *self)
{
  TbContactModel *model = self->showing_dnc ? self->dnc_model : self->model;
  guint n = model ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *count = NULL;

  if (self->showing_dnc)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u number blocked",
                                          "%u numbers blocked", n), n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact", "%u contacts", n), n);
  if (!self->showing_dnc && gtk_toggle_button_get_active (self->needs_consent_button)) {
    g_free (count);
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact needs consent",
                                          "%u contacts need consent", n), n);
  }
  gtk_label_set_text (self->count_label, count);

  gtk_widget_set_visible (GTK_WIDGET (self->needs_consent_button), !self->showing_dnc);
  gtk_widget_set_visible (self->import_consent_button, !self->showing_dnc);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.export", n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->dnc_entry), self->showing_dnc);
  gtk_widget_set_visible (self->dnc_add_button, self->showing_dnc);
  /* The number entry takes the room the spacer keeps between the filter and the buttons. */
  gtk_widget_set_visible (self->toolbar_spacer, !self->showing_dnc);
  gtk_widget_set_visible (self->dnc_remove_button, self->showing_dnc);
  gtk_widget_set_visible (self->list_menu_button, !self->showing_dnc && self->list_id > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.remove-dnc", self->showing_dnc);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.edit-contact",
                                 _tb_contacts_page_selected_contact (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.delete-contact",
                                 _tb_contacts_page_selected_contact (self) != NULL);
  gtk_button_set_label (GTK_BUTTON (self->import_button),
                        self->showing_dnc ? _("Import Numbers…") : _("Import…"));

  if (n == 0) {
    if (!self->showing_dnc && gtk_toggle_button_get_active (self->needs_consent_button)) {
      adw_status_page_set_title (self->nothing_page, _("Nobody Needs Consent"));
      adw_status_page_set_description (self->nothing_page,
                                       _("The rules let every contact shown here be called "
                                         "as far as consent goes."));
    } else if (*search != '\0') {
      adw_status_page_set_title (self->nothing_page, _("No Matches"));
      adw_status_page_set_description (self->nothing_page,
                                       _("No row contains what you typed."));
    } else if (self->showing_dnc) {
      adw_status_page_set_title (self->nothing_page, _("Nobody Blocked Yet"));
      adw_status_page_set_description (self->nothing_page,
                                       _("Numbers added here are never called. Callees who "
                                         "opt out during a call are added automatically."));
    } else {
      adw_status_page_set_title (self->nothing_page, _("Empty List"));
      adw_status_page_set_description (self->nothing_page, NULL);
    }
    gtk_stack_set_visible_child_name (self->views, "nothing");
  } else {
    gtk_stack_set_visible_child_name (self->views, self->showing_dnc ? "dnc" : "contacts");
  }
}

static void
show_consent_panel (TbContactsPage *self,
                    TbContact      *contact)
{
  const char *e164 = contact ? tb_contact_get_e164 (contact) : NULL;
  gboolean show = !self->showing_dnc && e164 != NULL;

  tb_consent_panel_set_contact (self->consent_panel, show ? e164 : NULL,
                                show ? tb_contact_get_name (contact) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->consent_panel), show);
  gtk_widget_set_visible (self->consent_separator, show);
}

static void
on_selected_contact (TbContactsPage     *self,
                     GParamSpec         *pspec,
                     GtkSingleSelection *selection)
{
  TbContact *contact = gtk_single_selection_get_selected_item (selection);

  show_consent_panel (self, contact);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.edit-contact",
                                 contact != NULL && !self->showing_dnc);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.delete-contact",
                                 contact != NULL && !self->showing_dnc);
}

/* Needs Consent: the gate decides, on a thread, at the campaign clock's now. */
static void
apply_filter (TbContactsPage *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;
  gboolean on = gtk_toggle_button_get_active (self->needs_consent_button);

  if (self->model == NULL)
    return;
  tb_contact_model_set_filter (self->model,
                               on ? TB_CONTACT_FILTER_NEEDS_CONSENT : TB_CONTACT_FILTER_NONE,
                               on && app ? tb_application_get_now (app) : 0);
}

static void
on_needs_consent_toggled (TbContactsPage *self)
{
  apply_filter (self);
  update_view (self);
}

/* Consent was recorded or revoked: who needs it changed, and so did the shown records. */
static void
on_consent_changed (TbContactsPage *self)
{
  if (gtk_toggle_button_get_active (self->needs_consent_button))
    apply_filter (self);
  tb_consent_panel_reload (self->consent_panel);
}

static GtkWidget *
sidebar_row_new (const char *title,
                 const char *icon_name,
                 gint64      count)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (title);
  g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  GtkWidget *count_label = gtk_label_new (n);

  if (icon_name != NULL)
    gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (count_label, "dim-label");
  gtk_widget_add_css_class (count_label, "numeric");
  gtk_box_append (GTK_BOX (box), count_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, title);
  return row;
}

static void
select_current (TbContactsPage *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar)); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    gboolean dnc = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "dnc"));
    gint64 *id = g_object_get_data (G_OBJECT (row), "list-id");

    if ((self->showing_dnc && dnc) || (!self->showing_dnc && id && *id == self->list_id)) {
      gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
      return;
    }
  }
}

static void
tb_contacts_page_reload (TbContactsPage *self)
{
  TbStore *store = tb_application_get_default_store ();
  g_auto(GStrv) names = NULL;
  GtkWidget *child, *row;
  gboolean found = FALSE;

  self->filling_sidebar = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar))) != NULL)
    gtk_list_box_remove (self->sidebar, child);

  if (store == NULL) {
    self->filling_sidebar = FALSE;
    gtk_stack_set_visible_child_name (self->stack, "empty");
    return;
  }

  names = tb_store_dup_names (store, "lists");
  for (guint i = 0; names[i] != NULL; i++) {
    gint64 id = tb_store_find_list (store, names[i]);

    row = sidebar_row_new (names[i], NULL, tb_store_count_contacts (store, id, NULL));
    g_object_set_data_full (G_OBJECT (row), "list-id", g_memdup2 (&id, sizeof id), g_free);
    gtk_list_box_append (self->sidebar, row);
    if (id == self->list_id)
      found = TRUE;
  }
  row = sidebar_row_new (_("Do Not Call"), "call-stop-symbolic", tb_store_dnc_count (store, NULL));
  g_object_set_data (G_OBJECT (row), "dnc", GINT_TO_POINTER (TRUE));
  gtk_list_box_append (self->sidebar, row);

  if (!found && !self->showing_dnc && names[0] != NULL)
    self->list_id = tb_store_find_list (store, names[0]);

  if (self->model != NULL) {
    /* Same list: refresh its rows (an import added to it). */
    if (tb_contact_model_get_list_id (self->model) == self->list_id)
      tb_contact_model_reload (self->model);
    else
      tb_contact_model_set_list_id (self->model, self->list_id);
    tb_contact_model_reload (self->dnc_model);
  }
  select_current (self);
  self->filling_sidebar = FALSE;

  gtk_stack_set_visible_child_name (self->stack,
                                    names[0] == NULL && !self->showing_dnc ? "empty"
                                                                          : "content");
  update_view (self);
}

static void
on_sidebar_row_selected (TbContactsPage *self,
                         GtkListBoxRow  *row)
{
  gint64 *id;

  if (row == NULL || self->filling_sidebar || self->model == NULL)
    return;
  id = g_object_get_data (G_OBJECT (row), "list-id");
  self->showing_dnc = id == NULL;
  if (id != NULL) {
    self->list_id = *id;
    tb_contact_model_set_list_id (self->model, *id);
  } else {
    tb_contact_model_reload (self->dnc_model);
  }
  show_consent_panel (self, NULL);
  update_view (self);
}

static void
on_search_changed (TbContactsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->model == NULL)
    return;
  /* Off the main loop: a search scans the list; the view updates when done. */
  tb_contact_model_set_query_async (self->model, text, self->sort, self->descending);
  tb_contact_model_set_query_async (self->dnc_model, text, TB_CONTACT_SORT_ID, FALSE);
}

/* GTK 4.8 cannot tell which column the user sorted by; ask the column view's
 * sorter to compare two probes and see which column's sorter answers first. */
static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  SortProbe *probe = user_data;

  if (probe->page->probe_sort < 0)
    probe->page->probe_sort = probe->sort;
  return GTK_ORDERING_SMALLER;
}

static void
on_columns_sorter_changed (TbContactsPage *self,
                           GtkSorterChange change,
                           GtkSorter      *sorter)
{
  GtkOrdering order;

  self->probe_sort = -1;
  order = gtk_sorter_compare (sorter, self->probe_a, self->probe_b);
  self->sort = self->probe_sort < 0 ? TB_CONTACT_SORT_ID : (TbContactSort) self->probe_sort;
  self->descending = self->probe_sort >= 0 && order == GTK_ORDERING_LARGER;
  tb_contact_model_set_query_async (self->model,
                                    gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                    self->sort, self->descending);
}

static void
on_factory_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_width_chars (GTK_LABEL (label), 6);
  /* A phone number cut short is a wrong number: its column is as wide as the number. */
  if (column != COL_PHONE && column != COL_DNC_PHONE)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column == COL_PHONE) {
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    GtkWidget *badge = gtk_label_new (_("DNC"));

    gtk_widget_add_css_class (label, "numeric");
    gtk_widget_add_css_class (badge, "caption-heading");
    gtk_widget_add_css_class (badge, "error");
    gtk_widget_set_tooltip_text (badge, _("On the do-not-call list: never dialed"));
    gtk_box_append (GTK_BOX (box), label);
    gtk_box_append (GTK_BOX (box), badge);
    gtk_list_item_set_child (item, box);
    return;
  }
  if (column == COL_DNC_PHONE)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
on_factory_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  TbContact *contact = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  g_autofree char *owned = NULL;
  const char *text = NULL;

  switch (column) {
  case COL_NAME: text = tb_contact_get_name (contact); break;
  case COL_COMPANY: text = tb_contact_get_company (contact); break;
  case COL_COUNTRY: text = tb_contact_get_country (contact); break;
  case COL_TYPE: text = owned = tb_words_number_type (tb_contact_get_number_type (contact)); break;
  case COL_TIMEZONE: text = owned = tb_words_time_zone (tb_contact_get_timezone (contact)); break;
  case COL_EMAIL: text = tb_contact_get_email (contact); break;
  case COL_DNC_PHONE: text = tb_contact_get_e164 (contact); break;
  case COL_DNC_REASON: text = tb_contact_get_name (contact); break;
  case COL_DNC_SOURCE: text = owned = tb_words_dnc_source (tb_contact_get_source (contact)); break;
  case COL_DNC_ADDED:
    if (tb_contact_get_created_at (contact) > 0) {
      g_autoptr(GDateTime) t =
        g_date_time_new_from_unix_local (tb_contact_get_created_at (contact) / G_USEC_PER_SEC);
      owned = g_date_time_format (t, "%x %X");
      text = owned;
    }
    break;
  case COL_PHONE: {
    GtkWidget *label = gtk_widget_get_first_child (child);

    gtk_label_set_text (GTK_LABEL (label), tb_contact_get_e164 (contact));
    gtk_widget_set_visible (gtk_widget_get_next_sibling (label), tb_contact_get_dnc (contact));
    return;
  }
  default:
    g_assert_not_reached ();
  }
  gtk_label_set_text (GTK_LABEL (child), text ? text : "");
}

static void
add_column (TbContactsPage *self,
            GtkColumnView  *view,
            const char     *title,
            Column          column,
            int             sort,
            gboolean        expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind), GINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  if (sort >= 0) {
    SortProbe *probe = g_new0 (SortProbe, 1);
    g_autoptr(GtkSorter) sorter = NULL;

    probe->page = self;
    probe->sort = sort;
    sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, probe, g_free));
    gtk_column_view_column_set_sorter (col, sorter);
  }
  gtk_column_view_append_column (view, col);
}

static void
on_dnc_entry_activate (TbContactsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "contacts.add-dnc", NULL);
}

static void
tb_contacts_page_dispose (GObject *object)
{
  TbContactsPage *self = TB_CONTACTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_CONTACTS_PAGE);
  g_clear_object (&self->model);
  g_clear_object (&self->dnc_model);
  g_clear_object (&self->probe_a);
  g_clear_object (&self->probe_b);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tb_contacts_page_parent_class)->dispose (object);
}

static void
tb_contacts_page_class_init (TbContactsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_contacts_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-contacts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, dnc_entry);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, dnc_add_button);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, dnc_remove_button);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, list_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, import_consent_button);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, toolbar_spacer);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, needs_consent_button);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, views);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, consent_separator);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, consent_panel);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, columns);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, dnc_columns);
  gtk_widget_class_bind_template_child (widget_class, TbContactsPage, nothing_page);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_dnc_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_needs_consent_toggled);

  _tb_contacts_page_install_actions (widget_class);

  g_type_ensure (TB_TYPE_CONSENT_PANEL);
}

static void
tb_contacts_page_init (TbContactsPage *self)
{
  TbStore *store = tb_application_get_default_store ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->probe_a = g_object_new (TB_TYPE_CONTACT, NULL);
  self->probe_b = g_object_new (TB_TYPE_CONTACT, NULL);

  add_column (self, self->columns, _("Name"), COL_NAME, TB_CONTACT_SORT_NAME, TRUE);
  add_column (self, self->columns, _("Phone"), COL_PHONE, TB_CONTACT_SORT_PHONE, FALSE);
  add_column (self, self->columns, _("Company"), COL_COMPANY, TB_CONTACT_SORT_COMPANY, TRUE);
  add_column (self, self->columns, _("Country"), COL_COUNTRY, TB_CONTACT_SORT_COUNTRY, FALSE);
  add_column (self, self->columns, _("Type"), COL_TYPE, TB_CONTACT_SORT_TYPE, FALSE);
  add_column (self, self->columns, _("Time Zone"), COL_TIMEZONE, -1, FALSE);
  add_column (self, self->columns, _("Email"), COL_EMAIL, -1, TRUE);
  add_column (self, self->dnc_columns, _("Phone"), COL_DNC_PHONE, -1, FALSE);
  add_column (self, self->dnc_columns, _("Reason"), COL_DNC_REASON, -1, TRUE);
  add_column (self, self->dnc_columns, _("Source"), COL_DNC_SOURCE, -1, FALSE);
  add_column (self, self->dnc_columns, _("Added"), COL_DNC_ADDED, -1, FALSE);

  if (store != NULL) {
    g_autoptr(GtkSelectionModel) selection = NULL;
    g_autoptr(GtkSelectionModel) dnc_selection = NULL;

    self->model = tb_contact_model_new (store);
    self->dnc_model = tb_contact_model_new (store);
    tb_contact_model_set_dnc (self->dnc_model, TRUE);
    /* Scrolling a million rows, sorted or deep, never waits for SQLite. */
    tb_contact_model_set_async_pages (self->model, TRUE);
    tb_contact_model_set_async_pages (self->dnc_model, TRUE);
    /* Not GtkMultiSelection: on items-changed it reads every added item to
     * carry its selection over, which would page through the whole list. */
    selection = GTK_SELECTION_MODEL (gtk_single_selection_new (
      g_object_ref (G_LIST_MODEL (self->model))));
    dnc_selection = GTK_SELECTION_MODEL (gtk_single_selection_new (
      g_object_ref (G_LIST_MODEL (self->dnc_model))));
    gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
    gtk_single_selection_set_can_unselect (GTK_SINGLE_SELECTION (selection), TRUE);
    gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (dnc_selection), FALSE);
    gtk_single_selection_set_can_unselect (GTK_SINGLE_SELECTION (dnc_selection), TRUE);
    gtk_column_view_set_model (self->columns, selection);
    gtk_column_view_set_model (self->dnc_columns, dnc_selection);
    g_signal_connect_object (selection, "notify::selected-item",
                             G_CALLBACK (on_selected_contact), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (gtk_column_view_get_sorter (self->columns), "changed",
                             G_CALLBACK (on_columns_sorter_changed), self, G_CONNECT_SWAPPED);
    /* Async queries land later: the count and the empty state follow the model. */
    g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_view), self,
                             G_CONNECT_SWAPPED);
    g_signal_connect_object (self->dnc_model, "items-changed", G_CALLBACK (update_view), self,
                             G_CONNECT_SWAPPED);
  }

  tb_page_follow_store (GTK_WIDGET (self), "lists", G_CALLBACK (tb_contacts_page_reload));
  tb_page_follow_store (GTK_WIDGET (self), "contacts", G_CALLBACK (tb_contacts_page_reload));
  tb_page_follow_store (GTK_WIDGET (self), "dnc", G_CALLBACK (tb_contacts_page_reload));
  tb_page_follow_store (GTK_WIDGET (self), "consent", G_CALLBACK (on_consent_changed));
  tb_contacts_page_reload (self);
}

/**
 * tb_contacts_page_show_list:
 * @self: a #TbContactsPage
 * @list_id: a list's id, or 0 for the do-not-call list
 *
 * Shows the list (after an import).
 */
void
tb_contacts_page_show_list (TbContactsPage *self,
                            gint64          list_id)
{
  g_return_if_fail (TB_IS_CONTACTS_PAGE (self));

  self->showing_dnc = list_id == 0;
  if (list_id > 0)
    self->list_id = list_id;
  tb_contacts_page_reload (self);
}

/**
 * tb_contacts_page_get_model:
 * @self: a #TbContactsPage
 *
 * Returns: (transfer none) (nullable): the contacts shown, for tests
 */
TbContactModel *
tb_contacts_page_get_model (TbContactsPage *self)
{
  g_return_val_if_fail (TB_IS_CONTACTS_PAGE (self), NULL);

  return self->showing_dnc ? self->dnc_model : self->model;
}
