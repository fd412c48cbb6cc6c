/* tb-consent-panel.c — one contact's consent records, with Add and Revoke
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the consent ledger (COMPLIANCE.md R5) holds for one number: each record's scope,
 * source, evidence and dates, a Revoke for those in force, and a form to add one. Adding and
 * revoking go through tb_consent_add () and tb_consent_revoke (), which write the audit row in
 * the same transaction, as `telebot-cli consent` does.
 */
#define G_LOG_DOMAIN "tb-consent-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-consent.h"
#include "tb-consent-panel.h"
#include "tb-window.h"

struct _TbConsentPanel
{
  AdwBin               parent_instance;

  /* template widgets */
  AdwPreferencesGroup *records_group;
  GtkListBox          *records_list;
  AdwComboRow         *scope_row;
  AdwComboRow         *source_row;
  AdwEntryRow         *evidence_row;
  AdwEntryRow         *date_row;

  /* owned */
  char                *e164;
  char                *name;
};

G_DEFINE_FINAL_TYPE (TbConsentPanel, tb_consent_panel, ADW_TYPE_BIN)

/* The scope US calls need first: an automated voice (R5). */
static const char * const scopes[] = { "ai_voice", "marketing", "recording", NULL };
static const char * const sources[] = { "form", "document", "verbal", NULL };

static gint64
get_now (void)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;

  return app ? tb_application_get_now (app) : g_get_real_time ();
}

static void
show_toast (TbConsentPanel *self,
            const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TB_IS_WINDOW (root))
    tb_window_show_toast (TB_WINDOW (root), message);
}

static char *
format_date (gint64 us)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  return t ? g_date_time_format (t, "%Y-%m-%d") : g_strdup ("?");
}

static const char *
combo_get (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return item ? gtk_string_object_get_string (item) : NULL;
}

/* The date typed, as µs; FALSE when it is not a date or lies after now. */
static gboolean
parse_date (TbConsentPanel *self,
            gint64         *out)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->date_row))));

  return tb_consent_parse_time (text, out) && *out <= get_now ();
}

static void
update_actions (TbConsentPanel *self)
{
  g_autofree char *evidence = g_strstrip (g_strdup (gtk_editable_get_text (
                                            GTK_EDITABLE (self->evidence_row))));
  gint64 at = 0;
  gboolean date_ok = parse_date (self, &at);

  if (date_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
  /* Consent without its evidence proves nothing. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consent.add",
                                 self->e164 != NULL && *evidence != '\0' && date_ok);
}

static void
on_input_changed (TbConsentPanel *self)
{
  update_actions (self);
}

static GtkWidget *
record_row_new (const TbConsentRecord *r,
                gint64                 now)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s · %s", r->scope, r->source);
  g_autofree char *collected = format_date (r->collected_at);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  gboolean valid = r->revoked_at == 0 && (r->expires_at == 0 || r->expires_at > now) &&
                   r->collected_at <= now;

  if (r->evidence != NULL)
    g_string_append_printf (subtitle, "%s\n", r->evidence);
  if (r->collected_by != NULL)
    /* Translators: a consent record's date and who collected it */
    g_string_append_printf (subtitle, _("Collected on %s by %s"), collected, r->collected_by);
  else
    g_string_append_printf (subtitle, _("Collected on %s"), collected);
  if (r->revoked_at > 0) {
    g_autofree char *revoked = format_date (r->revoked_at);

    g_string_append_printf (subtitle, _(" · revoked on %s"), revoked);
  } else if (r->expires_at > 0) {
    g_autofree char *expires = format_date (r->expires_at);

    g_string_append_printf (subtitle, r->expires_at > now ? _(" · expires on %s")
                                                          : _(" · expired on %s"), expires);
  }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  if (valid) {
    GtkWidget *revoke = gtk_button_new_with_label (_("Revoke"));
    g_autofree char *name = g_strdup_printf ("consent-revoke-%s", r->scope);
    g_autofree char *tooltip = g_strdup_printf (_("Revoke the consent “%s” of %s"), r->scope,
                                                r->e164);

    gtk_widget_set_name (revoke, name);
    gtk_widget_set_valign (revoke, GTK_ALIGN_CENTER);
    gtk_widget_set_tooltip_text (revoke, tooltip);
    gtk_widget_add_css_class (revoke, "destructive-action");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (revoke), "consent.revoke");
    gtk_actionable_set_action_target (GTK_ACTIONABLE (revoke), "s", r->scope);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), revoke);
  } else {
    gtk_widget_add_css_class (row, "dim-label");
  }
  return row;
}

void
tb_consent_panel_reload (TbConsentPanel *self)
{
  TbStore *store = tb_application_get_default_store ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  gint64 now = get_now ();
  GtkWidget *child;

  g_return_if_fail (TB_IS_CONSENT_PANEL (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->records_list))) != NULL)
    gtk_list_box_remove (self->records_list, child);
  heading = self->name != NULL && self->e164 != NULL
            ? g_strdup_printf ("%s · %s", self->name, self->e164) : g_strdup (self->e164);
  adw_preferences_group_set_description (self->records_group, heading);
  update_actions (self);
  if (store == NULL || self->e164 == NULL)
    return;

  records = tb_store_consent_list (store, self->e164, &error);
  if (records == NULL) {
    show_toast (self, error->message);
    return;
  }
  for (guint i = 0; i < records->len; i++)
    gtk_list_box_append (self->records_list, record_row_new (g_ptr_array_index (records, i),
                                                              now));
  if (records->len == 0) {
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No consent recorded"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 _("Where the rules ask for it (an automated voice in the US), "
                                   "this number is not called until consent is recorded."));
    gtk_widget_set_name (row, "consent-none");
    gtk_widget_add_css_class (row, "dim-label");
    gtk_list_box_append (self->records_list, row);
  }
}

static void
changed (TbConsentPanel *self)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;

  /* The pages that show who needs consent, and this panel, follow "consent". */
  if (app != NULL)
    tb_application_store_changed (app, "consent");
  else
    tb_consent_panel_reload (self);
}

static void
consent_add (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TbConsentPanel *self = TB_CONSENT_PANEL (widget);
  TbStore *store = tb_application_get_default_store ();
  g_autofree char *evidence = g_strstrip (g_strdup (gtk_editable_get_text (
                                            GTK_EDITABLE (self->evidence_row))));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  TbConsentRecord record = { 0 };

  if (store == NULL || self->e164 == NULL || *evidence == '\0' ||
      !parse_date (self, &record.collected_at))
    return;
  record.e164 = self->e164;
  record.scope = (char *) combo_get (self->scope_row);
  record.source = (char *) combo_get (self->source_row);
  record.evidence = evidence;
  record.collected_by = (char *) g_get_user_name ();
  if (tb_consent_add (store, &record, get_now (), &error) == 0) {
    show_toast (self, error->message);
    return;
  }
  gtk_editable_set_text (GTK_EDITABLE (self->evidence_row), "");
  /* Translators: a consent scope, then a phone number */
  message = g_strdup_printf (_("Consent “%s” recorded for %s"), record.scope, self->e164);
  show_toast (self, message);
  changed (self);
}

static void
consent_revoke (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TbConsentPanel *self = TB_CONSENT_PANEL (widget);
  TbStore *store = tb_application_get_default_store ();
  const char *scope = g_variant_get_string (param, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (store == NULL || self->e164 == NULL)
    return;
  if (tb_consent_revoke (store, self->e164, scope, get_now (), &error) < 0) {
    show_toast (self, error->message);
    return;
  }
  /* Translators: a consent scope, then a phone number */
  message = g_strdup_printf (_("Consent “%s” of %s revoked"), scope, self->e164);
  show_toast (self, message);
  changed (self);
}

static void
tb_consent_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TB_TYPE_CONSENT_PANEL);

  G_OBJECT_CLASS (tb_consent_panel_parent_class)->dispose (object);
}

static void
tb_consent_panel_finalize (GObject *object)
{
  TbConsentPanel *self = TB_CONSENT_PANEL (object);

  g_free (self->e164);
  g_free (self->name);

  G_OBJECT_CLASS (tb_consent_panel_parent_class)->finalize (object);
}

static void
tb_consent_panel_class_init (TbConsentPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_consent_panel_dispose;
  object_class->finalize = tb_consent_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-consent-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TbConsentPanel, records_group);
  gtk_widget_class_bind_template_child (widget_class, TbConsentPanel, records_list);
  gtk_widget_class_bind_template_child (widget_class, TbConsentPanel, scope_row);
  gtk_widget_class_bind_template_child (widget_class, TbConsentPanel, source_row);
  gtk_widget_class_bind_template_child (widget_class, TbConsentPanel, evidence_row);
  gtk_widget_class_bind_template_child (widget_class, TbConsentPanel, date_row);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);

  gtk_widget_class_install_action (widget_class, "consent.add", NULL, consent_add);
  gtk_widget_class_install_action (widget_class, "consent.revoke", "s", consent_revoke);
}

static void
tb_consent_panel_init (TbConsentPanel *self)
{
  g_autoptr(GtkStringList) scope_names = gtk_string_list_new (scopes);
  g_autoptr(GtkStringList) source_names = gtk_string_list_new (sources);

  gtk_widget_init_template (GTK_WIDGET (self));
  adw_combo_row_set_model (self->scope_row, G_LIST_MODEL (scope_names));
  adw_combo_row_set_model (self->source_row, G_LIST_MODEL (source_names));
  tb_consent_panel_set_contact (self, NULL, NULL);
}

GtkWidget *
tb_consent_panel_new (void)
{
  return g_object_new (TB_TYPE_CONSENT_PANEL, NULL);
}

void
tb_consent_panel_set_contact (TbConsentPanel *self,
                              const char     *e164,
                              const char     *name)
{
  g_autofree char *today = NULL;

  g_return_if_fail (TB_IS_CONSENT_PANEL (self));

  if (g_strcmp0 (self->e164, e164) != 0) {
    /* Another person: the form starts afresh, dated today on the campaign clock. */
    today = format_date (get_now ());
    gtk_editable_set_text (GTK_EDITABLE (self->evidence_row), "");
    gtk_editable_set_text (GTK_EDITABLE (self->date_row), today);
  }
  g_free (self->e164);
  self->e164 = g_strdup (e164);
  g_free (self->name);
  self->name = g_strdup (name && *name ? name : NULL);
  tb_consent_panel_reload (self);
}

const char *
tb_consent_panel_get_e164 (TbConsentPanel *self)
{
  g_return_val_if_fail (TB_IS_CONSENT_PANEL (self), NULL);

  return self->e164;
}
