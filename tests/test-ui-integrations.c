/* test-ui-integrations.c — Preferences → Integrations drives the real webhook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A receiver (SoupServer on 127.0.0.1, a free port) runs on the app's main
 * loop. The test types the URL into the page, picks grades, sends the test
 * event, then lets the application's own sender deliver two finished calls —
 * one accepted, one refused with 400 — and reads the page's delivery log.
 */
#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>

#include "tb-application.h"
#include "tb-crm-event.h"
#include "tb-http-recognizer.h"
#include "tb-integrations-page.h"
#include "tb-preferences-window.h"
#include "tb-speech-service.h"
#include "tb-store-calls.h"
#include "tb-store-outbox.h"
#include "tb-ui-test-util.h"

#define SECRET "ui-test-shared-secret"

typedef struct {
  guint  posts;
  guint  good_signatures;
  char  *refuse_key;
  char  *last_event;
} Receiver;

static void
on_hook (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Receiver *r = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *hmac = g_compute_hmac_for_bytes (G_CHECKSUM_SHA256,
                                                    g_bytes_new_static (SECRET, strlen (SECRET)),
                                                    body);
  g_autofree char *expected = g_strconcat ("sha256=", hmac, NULL);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");

  r->posts++;
  if (g_strcmp0 (soup_message_headers_get_one (headers, "X-Telebot-Signature"), expected) == 0)
    r->good_signatures++;
  g_free (r->last_event);
  r->last_event = g_strdup (soup_message_headers_get_one (headers, "X-Telebot-Event"));
  if (g_strcmp0 (key, r->refuse_key) == 0) {
    soup_server_message_set_status (msg, 400, NULL);
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                      "no such pipeline", strlen ("no such pipeline"));
  } else {
    soup_server_message_set_status (msg, 200, NULL);
  }
}

static GtkWidget *
find_toggle (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (root) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_toggle (child, label);
    if (found != NULL)
      return found;
  }
  return NULL;
}

static void
count_log_rows (GtkWidget *root,
                guint     *delivered,
                guint     *failed)
{
  if (ADW_IS_ACTION_ROW (root)) {
    if (g_str_equal (gtk_widget_get_name (root), "delivered"))
      (*delivered)++;
    else if (g_str_equal (gtk_widget_get_name (root), "failed"))
      (*failed)++;
  }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_log_rows (child, delivered, failed);
}

static gboolean
got_posts (gpointer data)
{
  Receiver *r = data;

  return r->posts >= 1;
}

typedef struct {
  TbStore *store;
  guint    delivered;
  guint    failed;
} Expect;

static gboolean
outbox_settled (gpointer data)
{
  Expect *e = data;
  g_auto(TbOutboxCounts) counts = { 0 };

  return tb_store_outbox_get_counts (e->store, &counts, NULL) &&
         counts.delivered == e->delivered && counts.failed == e->failed;
}

static gint64
add_call (TbStore    *store,
          const char *e164,
          const char *grade)
{
  g_autoptr(GError) error = NULL;
  TbAttemptRow row = {
    .e164 = e164, .state = "ended", .outcome = "completed", .grade = grade, .score = 80,
    .dialed_at = g_get_real_time () - 60 * G_USEC_PER_SEC,
    .answered_at = g_get_real_time () - 55 * G_USEC_PER_SEC, .ended_at = g_get_real_time (),
  };
  gint64 id;

  g_assert_true (tb_store_begin (store, &error));
  id = tb_store_insert_attempt (store, &row, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_crm_event_enqueue_call_finished (store, id, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (tb_store_commit (store, &error));
  return id;
}

static void
test_integrations (TbApplication *app,
                   gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;
  g_autofree char *setting = NULL;
  g_autofree char *png = NULL;
  Receiver r = { 0 };
  Expect expect = { store, 1, 1 };
  GtkWidget *prefs = NULL;
  GtkWidget *page, *url_row, *grade_a;
  guint delivered = 0, failed = 0;
  gint64 good_id, bad_id;

  soup_server_add_handler (server, "/hook", on_hook, &r, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/hook", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  tb_ui_test_settle ();
  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l; l = l->next)
      if (TB_IS_PREFERENCES_WINDOW (l->data))
        prefs = l->data;
  }
  g_assert_nonnull (prefs);
  page = tb_ui_test_find_by_type (prefs, TB_TYPE_INTEGRATIONS_PAGE);
  g_assert_nonnull (page);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                           ADW_PREFERENCES_PAGE (page));
  tb_ui_test_settle ();

  /* A URL that is not http(s) is refused and not saved. */
  url_row = tb_ui_test_find_by_type (page, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (url_row);
  gtk_editable_set_text (GTK_EDITABLE (url_row), "ftp://crm.example.com");
  g_signal_emit_by_name (url_row, "apply");
  setting = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_URL, "");
  g_assert_cmpstr (setting, ==, "");
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  g_clear_pointer (&setting, g_free);

  gtk_editable_set_text (GTK_EDITABLE (url_row), url);
  g_signal_emit_by_name (url_row, "apply");
  setting = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_URL, "");
  g_assert_cmpstr (setting, ==, url);
  g_clear_pointer (&setting, g_free);

  /* The speech service: an address that is not http(s) is refused; a good one is kept,
   * and a campaign's calls then listen through it. */
  {
    GtkWidget *speech_row = tb_ui_test_find_by_name (page, "speech-url-row");
    GtkWidget *model_row = tb_ui_test_find_by_name (page, "speech-model-row");
    g_autoptr(TbScript) script = tb_script_new ("Speech", "zh-CN");
    g_autoptr(TbRecognizer) rec = NULL;

    g_assert_nonnull (speech_row);
    g_assert_nonnull (model_row);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (model_row)), ==,
                     TB_SPEECH_MODEL_DEFAULT);
    gtk_editable_set_text (GTK_EDITABLE (speech_row), "speech.example.com");
    g_signal_emit_by_name (speech_row, "apply");
    setting = tb_store_dup_setting (store, TB_SPEECH_SETTING_URL, "");
    g_assert_cmpstr (setting, ==, "");
    g_assert_true (gtk_widget_has_css_class (speech_row, "error"));
    g_clear_pointer (&setting, g_free);
    gtk_editable_set_text (GTK_EDITABLE (speech_row), "http://127.0.0.1:9/");
    g_signal_emit_by_name (speech_row, "apply");
    gtk_editable_set_text (GTK_EDITABLE (model_row), "whisper-large-v3");
    g_signal_emit_by_name (model_row, "apply");
    setting = tb_store_dup_setting (store, TB_SPEECH_SETTING_MODEL, "");
    g_assert_cmpstr (setting, ==, "whisper-large-v3");
    g_clear_pointer (&setting, g_free);
    g_assert_false (gtk_widget_has_css_class (speech_row, "error"));
    {
      GtkWidget *tts_row = tb_ui_test_find_by_name (page, "speech-tts-model-row");

      g_assert_nonnull (tts_row);
      gtk_editable_set_text (GTK_EDITABLE (tts_row), " tts-1 ");
      g_signal_emit_by_name (tts_row, "apply");
      setting = tb_store_dup_setting (store, TB_SPEECH_SETTING_TTS_MODEL, "");
      g_assert_cmpstr (setting, ==, "tts-1");
      g_clear_pointer (&setting, g_free);
    }
    rec = tb_speech_service_new_recognizer (store, script, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (TB_IS_HTTP_RECOGNIZER (rec));
    g_assert_true (tb_store_set_setting (store, TB_SPEECH_SETTING_URL, "", &error));
  }

  /* The built-in recognizer's second reading: off until the business turns it on, and the
   * switch writes the setting new campaigns read (telebot-cli speech second-reading). */
  {
    GtkWidget *second = tb_ui_test_find_by_name (page, "second-reading-switch");

    g_assert_nonnull (second);
    g_free (tb_ui_test_screenshot (tb_ui_test_find_by_name (page, "second-reading-row"),
                                   "integrations-second-reading"));
    g_assert_false (gtk_switch_get_active (GTK_SWITCH (second)));
    gtk_switch_set_active (GTK_SWITCH (second), TRUE);
    setting = tb_store_dup_setting (store, TB_SPEECH_SETTING_SECOND_READING, "off");
    g_assert_cmpstr (setting, ==, "on");
    g_clear_pointer (&setting, g_free);
    gtk_switch_set_active (GTK_SWITCH (second), FALSE);
    setting = tb_store_dup_setting (store, TB_SPEECH_SETTING_SECOND_READING, "on");
    g_assert_cmpstr (setting, ==, "off");
    g_clear_pointer (&setting, g_free);
  }

  /* Grades: toggling A writes the filter; toggling it back sends all again. */
  grade_a = find_toggle (page, "A");
  g_assert_nonnull (grade_a);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (grade_a), TRUE);
  setting = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_GRADES, "");
  g_assert_cmpstr (setting, ==, "A");
  g_clear_pointer (&setting, g_free);
  g_assert_true (tb_crm_event_is_wanted (store, TB_CRM_EVENT_CALL_FINISHED, "A"));
  g_assert_false (tb_crm_event_is_wanted (store, TB_CRM_EVENT_CALL_FINISHED, "B"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (grade_a), FALSE);
  g_assert_true (tb_crm_event_is_wanted (store, TB_CRM_EVENT_CALL_FINISHED, "B"));

  /* Send Test Event reaches the receiver, signed. */
  gtk_widget_activate_action (page, "integrations.send-test", NULL);
  g_assert_true (tb_ui_test_wait (got_posts, &r, 10000));
  g_assert_cmpstr (r.last_event, ==, TB_CRM_EVENT_TEST);
  g_assert_cmpuint (r.good_signatures, ==, 1);

  /* The application's sender delivers what the campaign code enqueues. */
  good_id = add_call (store, "+12025550151", "A");
  bad_id = add_call (store, "+12025550152", "B");
  g_assert_cmpint (good_id, >, 0);
  r.refuse_key = g_strdup_printf ("attempt-%" G_GINT64_FORMAT "-call.finished-1", bad_id);
  tb_webhook_sender_kick (tb_application_get_webhook_sender (app));
  g_assert_true (tb_ui_test_wait (outbox_settled, &expect, 15000));
  tb_ui_test_settle ();
  g_assert_cmpuint (r.posts, ==, 3);
  g_assert_cmpuint (r.good_signatures, ==, 3);

  /* The delivery log shows one delivered and one failed row. */
  count_log_rows (page, &delivered, &failed);
  g_assert_cmpuint (delivered, ==, 1);
  g_assert_cmpuint (failed, ==, 1);
  png = tb_ui_test_screenshot (prefs, "preferences-integrations");
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  {
    GtkWidget *scrolled = tb_ui_test_find_by_type (page, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
    g_autofree char *log_png = NULL;

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    tb_ui_test_settle ();
    log_png = tb_ui_test_screenshot (prefs, "preferences-integrations-log");
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
  tb_ui_test_settle ();
  soup_server_disconnect (server);
  g_free (r.refuse_key);
  g_free (r.last_event);
}

int
main (int    argc,
      char **argv)
{
  /* Loopback only; the secret from the environment (no keyring in tests). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("TELEBOT_WEBHOOK_SECRET", SECRET, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  tb_ui_test_add ("/telebot/ui/integrations/webhook", FALSE, test_integrations, NULL);

  return g_test_run ();
}
