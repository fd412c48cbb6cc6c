/* tb-integrations-page.c — Preferences → Integrations: the CRM webhook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * URL, events and grades go to the store's settings (shared with
 * telebot-cli); the secret goes to the keyring only. The delivery log reads
 * the outbox and follows the application's sender.
 */
#define G_LOG_DOMAIN "tb-integrations-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-crm-event.h"
#include "tb-integrations-page.h"
#include "tb-http.h"
#include "tb-store-outbox.h"
#include "tb-speech-service.h"
#include "tb-webhook-secret.h"
#include "tb-webhook-sender.h"

#define LOG_ROWS 20

static const char * const grades[] = { "A", "B", "C", "D", "E" };

struct _TbIntegrationsPage
{
  AdwPreferencesPage  parent_instance;

  /* template widgets */
  AdwEntryRow        *url_row;
  AdwEntryRow        *secret_row;
  AdwEntryRow        *speech_url_row;
  AdwEntryRow        *speech_model_row;
  AdwEntryRow        *speech_tts_model_row;
  AdwEntryRow        *speech_tts_voice_row;
  AdwEntryRow        *speech_key_row;
  GtkSwitch          *second_reading_switch;
  GtkSwitch          *finished_switch;
  GtkSwitch          *opted_out_switch;
  GtkSwitch          *lead_switch;
  GtkSwitch          *upload_switch;
  GtkBox             *grades_box;
  AdwActionRow       *summary_row;
  GtkListBox         *log_list;

  /* owned */
  GtkToggleButton    *grade_buttons[G_N_ELEMENTS (grades)];
  GCancellable       *cancellable;
  GPtrArray          *log_rows;     /* the GtkWidgets in log_list */

  /* borrowed */
  TbApplication      *app;
  TbStore            *store;
  TbWebhookSender    *sender;

  gboolean            loading;
};

G_DEFINE_FINAL_TYPE (TbIntegrationsPage, tb_integrations_page, ADW_TYPE_PREFERENCES_PAGE)

static void
toast (TbIntegrationsPage *self,
       const char         *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self),
                                               ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (message));
}

static void
save (TbIntegrationsPage *self,
      const char         *key,
      const char         *value)
{
  g_autoptr(GError) error = NULL;

  if (self->store != NULL && !tb_store_set_setting (self->store, key, value, &error))
    toast (self, error->message);
}

/* The row's text as an http(s) address ("" clears it), or NULL (the row shows the error). */
static char *
row_url (TbIntegrationsPage *self,
         AdwEntryRow        *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *url = g_strstrip (g_strdup (text));
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  if (url[0] != '\0' && (uri = tb_http_parse_url (url, &error)) == NULL) {
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
    toast (self, error->message);
    return NULL;
  }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  return g_steal_pointer (&url);
}

static void
on_url_row_apply (TbIntegrationsPage *self)
{
  g_autofree char *url = row_url (self, self->url_row);

  if (url == NULL)
    return;
  save (self, TB_WEBHOOK_SETTING_URL, url);
  tb_application_reload_webhook (self->app);
  tb_integrations_page_refresh (self);
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TbIntegrationsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_webhook_secret_store_finish (TB_STORE (object), result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      toast (self, error->message);
    return;
  }
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  toast (self, _("The shared secret is in the keyring"));
  tb_application_reload_webhook (self->app);
}

/* The speech service: calls listen through it once its address is set (new campaigns and
 * calls; one already running keeps its recognizer). */
static void
on_speech_url_row_apply (TbIntegrationsPage *self)
{
  g_autofree char *url = row_url (self, self->speech_url_row);

  if (url == NULL)
    return;
  save (self, TB_SPEECH_SETTING_URL, url);
  toast (self, url[0] != '\0' ? _("Calls will listen through the speech service")
                              : _("Calls will listen with the built-in recognizer"));
}

/* The model and voice rows: their text, trimmed, is the setting. */
static void
save_row (TbIntegrationsPage *self,
          AdwEntryRow        *row,
          const char         *key)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  save (self, key, text);
}

static void
on_speech_model_row_apply (TbIntegrationsPage *self)
{
  save_row (self, self->speech_model_row, TB_SPEECH_SETTING_MODEL);
}

static void
on_speech_tts_model_row_apply (TbIntegrationsPage *self)
{
  save_row (self, self->speech_tts_model_row, TB_SPEECH_SETTING_TTS_MODEL);
}

static void
on_speech_tts_voice_row_apply (TbIntegrationsPage *self)
{
  save_row (self, self->speech_tts_voice_row, TB_SPEECH_SETTING_TTS_VOICE);
}

static void
speech_key_stored_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TbIntegrationsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_secret_store_finish (TB_STORE (object), result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      toast (self, error->message);
    return;
  }
  gtk_editable_set_text (GTK_EDITABLE (self->speech_key_row), "");
  toast (self, _("The API key is in the keyring"));
}

static void
on_speech_key_row_apply (TbIntegrationsPage *self)
{
  g_autofree char *url = NULL;
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->speech_key_row));

  if (self->store == NULL || key[0] == '\0')
    return;
  url = tb_store_dup_setting (self->store, TB_SPEECH_SETTING_URL, "");
  if (url[0] == '\0') {
    toast (self, _("Set the speech service's address first"));
    return;
  }
  tb_secret_store_async (self->store, tb_speech_service_key_kind (), url, key,
                         self->cancellable, speech_key_stored_cb, g_object_ref (self));
}

static void
on_secret_row_apply (TbIntegrationsPage *self)
{
  g_autofree char *url = NULL;
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));

  if (self->store == NULL || secret[0] == '\0')
    return;
  url = tb_store_dup_setting (self->store, TB_WEBHOOK_SETTING_URL, "");
  if (url[0] == '\0') {
    toast (self, _("Set the webhook URL first"));
    return;
  }
  tb_webhook_secret_store_async (self->store, url, secret, self->cancellable, secret_stored_cb,
                                 g_object_ref (self));
}

/* The built-in recognizer's second reading (new campaigns and test calls take it up). */
static void
on_second_reading_changed (TbIntegrationsPage *self)
{
  gboolean on = gtk_switch_get_active (self->second_reading_switch);

  if (self->loading)
    return;
  save (self, TB_SPEECH_SETTING_SECOND_READING, on ? "on" : "off");
  toast (self, on ? _("New campaigns will read each unclear answer twice")
                  : _("New campaigns will read each answer once"));
}

static void
on_filter_changed (TbIntegrationsPage *self)
{
  g_autoptr(GStrvBuilder) events = g_strv_builder_new ();
  g_autoptr(GString) chosen = g_string_new (NULL);
  g_auto(GStrv) list = NULL;
  g_autofree char *joined = NULL;

  if (self->loading)
    return;
  if (gtk_switch_get_active (self->finished_switch))
    g_strv_builder_add (events, TB_CRM_EVENT_CALL_FINISHED);
  if (gtk_switch_get_active (self->opted_out_switch))
    g_strv_builder_add (events, TB_CRM_EVENT_CONTACT_OPTED_OUT);
  if (gtk_switch_get_active (self->lead_switch))
    g_strv_builder_add (events, TB_CRM_EVENT_LEAD_UPDATED);
  list = g_strv_builder_end (events);
  joined = g_strjoinv (",", list);
  /* Nothing chosen must not read as "everything" (the empty setting). */
  save (self, TB_WEBHOOK_SETTING_EVENTS, joined[0] ? joined : "none");

  for (guint i = 0; i < G_N_ELEMENTS (grades); i++) {
    if (!gtk_toggle_button_get_active (self->grade_buttons[i]))
      continue;
    if (chosen->len > 0)
      g_string_append_c (chosen, ',');
    g_string_append (chosen, grades[i]);
  }
  save (self, TB_WEBHOOK_SETTING_GRADES, chosen->str);
  save (self, TB_WEBHOOK_SETTING_UPLOAD,
        gtk_switch_get_active (self->upload_switch) ? "true" : "false");
}

static gboolean
list_has (const char *list,
          const char *item)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);

  return g_strv_contains ((const char * const *) items, item);
}

static void
load_settings (TbIntegrationsPage *self)
{
  g_autofree char *url = tb_store_dup_setting (self->store, TB_WEBHOOK_SETTING_URL, "");
  g_autofree char *events = tb_store_dup_setting (self->store, TB_WEBHOOK_SETTING_EVENTS, "");
  g_autofree char *chosen = tb_store_dup_setting (self->store, TB_WEBHOOK_SETTING_GRADES, "");
  g_autofree char *upload = tb_store_dup_setting (self->store, TB_WEBHOOK_SETTING_UPLOAD, "");
  g_autofree char *speech_url = tb_store_dup_setting (self->store, TB_SPEECH_SETTING_URL, "");
  g_autofree char *speech_model = tb_store_dup_setting (self->store, TB_SPEECH_SETTING_MODEL,
                                                        TB_SPEECH_MODEL_DEFAULT);
  g_autofree char *tts_model = tb_store_dup_setting (self->store, TB_SPEECH_SETTING_TTS_MODEL, "");
  g_autofree char *tts_voice = tb_store_dup_setting (self->store, TB_SPEECH_SETTING_TTS_VOICE,
                                                     "alloy");
  g_autofree char *second = tb_store_dup_setting (self->store, TB_SPEECH_SETTING_SECOND_READING,
                                                  "off");
  gboolean all = events[0] == '\0';

  self->loading = TRUE;
  gtk_switch_set_active (self->second_reading_switch, g_str_equal (second, "on"));
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->speech_url_row), speech_url);
  gtk_editable_set_text (GTK_EDITABLE (self->speech_model_row), speech_model);
  gtk_editable_set_text (GTK_EDITABLE (self->speech_tts_model_row), tts_model);
  gtk_editable_set_text (GTK_EDITABLE (self->speech_tts_voice_row), tts_voice);
  gtk_switch_set_active (self->finished_switch,
                         all || list_has (events, TB_CRM_EVENT_CALL_FINISHED));
  gtk_switch_set_active (self->opted_out_switch,
                         all || list_has (events, TB_CRM_EVENT_CONTACT_OPTED_OUT));
  gtk_switch_set_active (self->lead_switch, all || list_has (events, TB_CRM_EVENT_LEAD_UPDATED));
  for (guint i = 0; i < G_N_ELEMENTS (grades); i++)
    gtk_toggle_button_set_active (self->grade_buttons[i], list_has (chosen, grades[i]));
  gtk_switch_set_active (self->upload_switch, g_str_equal (upload, "true"));
  self->loading = FALSE;
}

static char *
describe_row (const TbOutboxRow *row)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *time = NULL;

  if (g_str_equal (row->state, "delivered")) {
    when = g_date_time_new_from_unix_local (row->delivered_at / G_USEC_PER_SEC);
    time = g_date_time_format (when, "%x %X");
    return g_strdup_printf (_("Delivered to the CRM at %s"), time);
  }
  if (g_str_equal (row->state, "failed"))
    return g_strdup_printf (_("Webhook delivery failed: %s"),
                            row->last_error ? row->last_error : "");
  if (row->tries == 0)
    return g_strdup (_("Waiting to be sent to the CRM"));
  when = g_date_time_new_from_unix_local (row->next_try_at / G_USEC_PER_SEC);
  time = g_date_time_format (when, "%X");
  return g_strdup_printf (_("Retrying at %s (try %d failed: %s)"), time, row->tries,
                          row->last_error ? row->last_error : "");
}

static void
on_sender_delivery_changed (TbIntegrationsPage *self)
{
  tb_integrations_page_refresh (self);
}

static void
send_test_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TbIntegrationsPage) self = user_data;
  g_auto(TbWebhookOutcome) outcome = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integrations.send-test", TRUE);
  if (!tb_webhook_sender_send_test_finish (TB_WEBHOOK_SENDER (object), result, &outcome,
                                           &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      toast (self, error->message);
    return;
  }
  if (outcome.reason == NULL)
    message = g_strdup_printf (_("The webhook answered %u: it works"), outcome.status);
  else
    message = g_strdup_printf (_("The test event was not accepted: %s"), outcome.reason);
  toast (self, message);
}

static void
secret_for_test_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TbIntegrationsPage) self = user_data;
  g_autoptr(TbWebhookSender) sender = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  if (!tb_webhook_secret_lookup_finish (result, &secret, &error)) {
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "integrations.send-test", TRUE);
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      toast (self, error->message);
    return;
  }
  /* A sender of its own: the application's may be busy with a run. */
  sender = tb_webhook_sender_new (self->store);
  tb_webhook_sender_set_secret (sender, secret);
  tb_webhook_sender_send_test_async (sender, self->cancellable, send_test_cb,
                                     g_object_ref (self));
}

static void
send_test_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TbIntegrationsPage *self = TB_INTEGRATIONS_PAGE (widget);

  if (self->store == NULL)
    return;
  gtk_widget_action_set_enabled (widget, "integrations.send-test", FALSE);
  tb_webhook_secret_lookup_async (self->store, self->cancellable, secret_for_test_cb,
                                  g_object_ref (self));
}

static void
retry_failed_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TbIntegrationsPage *self = TB_INTEGRATIONS_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (tb_store_outbox_requeue_failed (self->store, g_get_real_time (), &error) < 0) {
    toast (self, error->message);
    return;
  }
  if (self->sender != NULL)
    tb_webhook_sender_kick (self->sender);
  tb_integrations_page_refresh (self);
}

static void
tb_integrations_page_dispose (GObject *object)
{
  TbIntegrationsPage *self = TB_INTEGRATIONS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->log_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_INTEGRATIONS_PAGE);

  G_OBJECT_CLASS (tb_integrations_page_parent_class)->dispose (object);
}

static void
tb_integrations_page_class_init (TbIntegrationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_integrations_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-integrations-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, speech_url_row);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, speech_model_row);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, speech_tts_model_row);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, speech_tts_voice_row);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, speech_key_row);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, second_reading_switch);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, finished_switch);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, opted_out_switch);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, lead_switch);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, upload_switch);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, grades_box);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, summary_row);
  gtk_widget_class_bind_template_child (widget_class, TbIntegrationsPage, log_list);
  gtk_widget_class_bind_template_callback (widget_class, on_url_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_secret_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_speech_url_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_speech_model_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_speech_tts_model_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_speech_tts_voice_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_speech_key_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_second_reading_changed);

  gtk_widget_class_install_action (widget_class, "integrations.send-test", NULL,
                                   send_test_action);
  gtk_widget_class_install_action (widget_class, "integrations.retry-failed", NULL,
                                   retry_failed_action);
}

static void
tb_integrations_page_init (TbIntegrationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->log_rows = g_ptr_array_new ();
  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (grades); i++) {
    GtkWidget *button = gtk_toggle_button_new_with_label (grades[i]);

    gtk_widget_add_css_class (button, "grade-toggle");
    g_signal_connect_object (button, "toggled", G_CALLBACK (on_filter_changed), self,
                             G_CONNECT_SWAPPED);
    gtk_box_append (self->grades_box, button);
    self->grade_buttons[i] = GTK_TOGGLE_BUTTON (button);
  }
  self->loading = FALSE;
}

TbIntegrationsPage *
tb_integrations_page_new (TbApplication *app)
{
  TbIntegrationsPage *self = g_object_new (TB_TYPE_INTEGRATIONS_PAGE, NULL);

  self->app = app;
  self->store = tb_application_get_store (app);
  self->sender = tb_application_get_webhook_sender (app);
  if (self->sender != NULL)
    g_signal_connect_object (self->sender, "delivery-changed",
                             G_CALLBACK (on_sender_delivery_changed), self, G_CONNECT_SWAPPED);
  gtk_widget_set_sensitive (GTK_WIDGET (self), self->store != NULL);
  if (self->store != NULL) {
    load_settings (self);
    tb_integrations_page_refresh (self);
  }
  return self;
}

void
tb_integrations_page_refresh (TbIntegrationsPage *self)
{
  g_auto(TbOutboxCounts) counts = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *escaped = NULL;

  g_return_if_fail (TB_IS_INTEGRATIONS_PAGE (self));

  if (self->store == NULL)
    return;
  for (guint i = 0; i < self->log_rows->len; i++)
    gtk_list_box_remove (self->log_list, g_ptr_array_index (self->log_rows, i));
  g_ptr_array_set_size (self->log_rows, 0);

  if (!tb_store_outbox_get_counts (self->store, &counts, &error) ||
      (rows = tb_store_outbox_list_recent (self->store, LOG_ROWS, &error)) == NULL) {
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), error->message);
    return;
  }
  summary = g_strdup_printf (_("%d delivered, %d waiting, %d failed"),
                             (int) counts.delivered, (int) counts.pending, (int) counts.failed);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), summary);
  escaped = counts.last_error ? g_markup_escape_text (counts.last_error, -1) : g_strdup ("");
  adw_action_row_set_subtitle (self->summary_row, escaped);
  gtk_widget_set_visible (GTK_WIDGET (self->log_list), rows->len > 0);

  for (guint i = 0; i < rows->len; i++) {
    const TbOutboxRow *row = g_ptr_array_index (rows, i);
    g_autofree char *title = g_markup_printf_escaped ("%s · %s", row->event,
                                                      row->idempotency_key);
    g_autofree char *state = describe_row (row);
    g_autofree char *subtitle = g_markup_escape_text (state, -1);
    GtkWidget *widget = adw_action_row_new ();
    GtkWidget *icon;

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), title);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
    adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (widget), 3);
    icon = gtk_image_new_from_icon_name (g_str_equal (row->state, "delivered")
                                         ? "emblem-ok-symbolic"
                                         : g_str_equal (row->state, "failed")
                                         ? "dialog-error-symbolic"
                                         : "content-loading-symbolic");
    adw_action_row_add_prefix (ADW_ACTION_ROW (widget), icon);
    gtk_widget_set_name (widget, row->state);
    gtk_list_box_append (self->log_list, widget);
    g_ptr_array_add (self->log_rows, widget);
  }
}
