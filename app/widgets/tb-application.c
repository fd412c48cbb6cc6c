/* tb-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-application"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

#include "tb-application-private.h"
#include "tb-audit.h"
#include "tb-audit-key.h"
#include "tb-call-recovery.h"
#include "tb-crm-event.h"
#include "tb-number-repair.h"
#include "tb-paths.h"
#include "tb-store-attempts.h"
#include "tb-webhook-secret.h"
#include "tb-webhook-sender.h"
#include "tb-window.h"

struct _TbApplication
{
  AdwApplication  parent_instance;

  /* owned */
  char           *db_path;
  TbStore        *store;
  GSettings      *settings;
  TbClock        *clock;
  GHashTable     *runners;     /* campaign id (gint64 *) -> TbCampaignRunner */
  TbWebhookSender *webhook_sender;
  GCancellable   *webhook_cancellable;
};

G_DEFINE_FINAL_TYPE (TbApplication, tb_application, ADW_TYPE_APPLICATION)

enum {
  STORE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const GOptionEntry main_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open this database"), N_("PATH") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version"), NULL },
  { "now", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Start the campaign clock at this time (demos and training)"), N_("ISO8601") },
  { NULL }
};

static int
tb_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  TbApplication *self = TB_APPLICATION (app);
  g_autofree char *db = NULL;
  const char *now_text = NULL;

  if (g_variant_dict_contains (options, "version")) {
    g_print ("telebot %s\n", PACKAGE_VERSION);
    return 0;
  }
  if (g_variant_dict_lookup (options, "now", "&s", &now_text)) {
    g_autoptr(GError) error = NULL;
    gint64 now;

    if (!tb_clock_parse_time (now_text, &now, &error)) {
      g_printerr ("telebot: --now: %s\n", error->message);
      return 2;
    }
    g_clear_object (&self->clock);
    self->clock = tb_clock_new (now, FALSE);
  }
  if (g_variant_dict_lookup (options, "db", "^ay", &db)) {
    g_free (self->db_path);
    self->db_path = g_steal_pointer (&db);
  }
  return -1;
}

static void
tb_application_startup (GApplication *app)
{
  TbApplication *self = TB_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (tb_application_parent_class)->startup (app);
  /* Lines, media, speech and recordings all use GStreamer. */
  gst_init (NULL, NULL);

  g_set_application_name (_("Telebot"));
  /* Uninstalled (./dev run), the icon is found in the source tree's data/icons. */
  if (DEVELOPMENT_BUILD && gdk_display_get_default () != NULL)
    gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    SOURCE_DATADIR "/icons");
  gtk_window_set_default_icon_name (APP_ID);
  {
    /* A business's own lexicons join the built-in understanding. */
    g_autoptr(GString) problems = g_string_new (NULL);

    tb_paths_load_user_lexicons (problems);
    if (problems->len > 0)
      g_printerr ("telebot: a lexicon of yours was skipped: %s", problems->str);
  }

  if (self->db_path == NULL)
    self->db_path = tb_paths_dup_default_db ();
  self->store = tb_store_open (self->db_path, &error);
  /* The window's user has a keyring: a new audit key goes there (when one runs). */
  tb_audit_key_set_use_keyring (TRUE);
  if (self->store == NULL)
    g_printerr ("telebot: %s\n", error->message);
  /* The audit log's key before anything is written. */
  else if (!tb_audit_ensure_key (self->store, g_get_real_time (), &error))
    g_printerr ("telebot: no audit key yet: %s\n", error->message);
  /* Calls a crash left mid-flight are closed before anything dials again. */
  else if (!tb_call_recovery_run (self->store, g_get_real_time (), NULL, &error))
    g_printerr ("telebot: %s\n", error->message);
  /* Numbers an older version stored outside E.164 (once per database). */
  else if (tb_number_repair_run (self->store, NULL, g_get_real_time (), NULL, &error) < 0)
    g_printerr ("telebot: stored numbers not repaired yet: %s\n", error->message);

  if (self->store != NULL) {
    self->webhook_sender = tb_webhook_sender_new (self->store);
    tb_application_reload_webhook (self);
  }

  _tb_application_add_actions (self);
}

static void
tb_application_activate (GApplication *app)
{
  TbApplication *self = TB_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (tb_window_new (self));
  gtk_window_present (window);
}

static void
tb_application_dispose (GObject *object)
{
  TbApplication *self = TB_APPLICATION (object);

  g_clear_pointer (&self->runners, g_hash_table_unref);
  g_clear_object (&self->clock);
  g_cancellable_cancel (self->webhook_cancellable);
  g_clear_object (&self->webhook_cancellable);
  if (self->webhook_sender != NULL)
    tb_webhook_sender_stop (self->webhook_sender);
  g_clear_object (&self->webhook_sender);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (tb_application_parent_class)->dispose (object);
}

static void
tb_application_class_init (TbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tb_application_dispose;
  app_class->handle_local_options = tb_application_handle_local_options;
  app_class->startup = tb_application_startup;
  app_class->activate = tb_application_activate;

  /**
   * TbApplication::store-changed:
   * @table: the table family that changed ("campaigns", "contacts", ...)
   *
   * Emitted on the main loop after the window wrote to the store, so every
   * page showing that table reloads. Detailed by the table name.
   */
  signals[STORE_CHANGED] =
    g_signal_new ("store-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tb_application_init (TbApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  self->settings = g_settings_new (APP_ID);
  self->clock = tb_clock_new (0, FALSE);
  self->runners = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

TbApplication *
tb_application_new (void)
{
  return g_object_new (TB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/com/example/Telebot",
                       NULL);
}

/**
 * tb_application_get_store:
 *
 * Returns: (transfer none) (nullable): the open database, or %NULL when it
 *   could not be opened (the window then says so)
 */
TbStore *
tb_application_get_store (TbApplication *self)
{
  g_return_val_if_fail (TB_IS_APPLICATION (self), NULL);

  return self->store;
}

TbStore *
tb_application_get_default_store (void)
{
  TbApplication *app = TB_APPLICATION_DEFAULT;

  return app != NULL ? tb_application_get_store (app) : NULL;
}

GSettings *
tb_application_get_settings (TbApplication *self)
{
  g_return_val_if_fail (TB_IS_APPLICATION (self), NULL);

  return self->settings;
}

void
tb_application_store_changed (TbApplication *self,
                              const char    *table)
{
  g_return_if_fail (TB_IS_APPLICATION (self));

  g_signal_emit (self, signals[STORE_CHANGED], g_quark_from_string (table), table);
}

static void
on_runner_progress (TbApplication *self)
{
  tb_application_store_changed (self, "attempts");
}

static void
on_runner_finished (TbApplication *self)
{
  tb_application_store_changed (self, "campaigns");
}

/* The campaign's work cannot be recorded (a full disk): it stopped and hung up its calls. */
static void
on_runner_failed (TbApplication *self,
                  const GError  *error)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *message = g_strdup_printf (_("The campaign stopped: %s. Free some space, "
                                                "then press Start: it resumes where it stopped."),
                                              error->message);

  if (TB_IS_WINDOW (window))
    tb_window_show_toast (TB_WINDOW (window), message);
  else
    g_printerr ("telebot: %s\n", message);
  tb_application_store_changed (self, "campaigns");
}

/* Paused by itself: the campaigns page shows the state and why, from the store. */
static void
on_runner_paused (TbApplication *self,
                  const char    *reason)
{
  tb_application_store_changed (self, "campaigns");
}

TbCampaignRunner *
tb_application_get_runner (TbApplication  *self,
                           gint64          campaign_id,
                           GError        **error)
{
  TbCampaignRunner *runner;

  g_return_val_if_fail (TB_IS_APPLICATION (self), NULL);

  if ((runner = g_hash_table_lookup (self->runners, &campaign_id)) != NULL)
    return runner;
  if (self->store == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the database is not open");
    return NULL;
  }
  if ((runner = tb_campaign_runner_new (self->store, campaign_id, self->clock, error)) == NULL)
    return NULL;
  g_signal_connect_object (runner, "progress", G_CALLBACK (on_runner_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (runner, "finished", G_CALLBACK (on_runner_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (runner, "failed", G_CALLBACK (on_runner_failed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (runner, "paused", G_CALLBACK (on_runner_paused), self,
                           G_CONNECT_SWAPPED);
  g_hash_table_insert (self->runners, g_memdup2 (&campaign_id, sizeof campaign_id), runner);
  return runner;
}

gint64
tb_application_get_now (TbApplication *self)
{
  g_return_val_if_fail (TB_IS_APPLICATION (self), 0);

  return self->clock ? tb_clock_now (self->clock) : g_get_real_time ();
}

TbCampaignRunner *
tb_application_lookup_runner (TbApplication *self,
                              gint64         campaign_id)
{
  g_return_val_if_fail (TB_IS_APPLICATION (self), NULL);

  return g_hash_table_lookup (self->runners, &campaign_id);
}

static void
webhook_run_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* FOREVER runs end only when stopped, or on a store error. */
  if (!tb_webhook_sender_run_finish (TB_WEBHOOK_SENDER (object), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("CRM webhook: %s", error->message);
}

static void
webhook_secret_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TbApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  if (!tb_webhook_secret_lookup_finish (result, &secret, &error)) {
    /* A secret that is configured but unreadable: do not send unsigned. */
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_message ("CRM webhook not started: %s", error->message);
    return;
  }
  if (self->webhook_sender == NULL)
    return;
  tb_webhook_sender_set_secret (self->webhook_sender, secret);
  tb_webhook_sender_run_async (self->webhook_sender, TB_WEBHOOK_RUN_FOREVER,
                               self->webhook_cancellable, webhook_run_cb, NULL);
}

/**
 * tb_application_get_webhook_sender:
 *
 * Returns: (transfer none) (nullable): the sender that delivers the CRM outbox
 *   while the application runs, or %NULL without a store
 */
TbWebhookSender *
tb_application_get_webhook_sender (TbApplication *self)
{
  g_return_val_if_fail (TB_IS_APPLICATION (self), NULL);

  return self->webhook_sender;
}

/**
 * tb_application_reload_webhook:
 *
 * (Re)starts delivering the CRM outbox with the current settings and secret;
 * stops when no webhook URL is set. Call after changing either.
 */
void
tb_application_reload_webhook (TbApplication *self)
{
  g_autofree char *url = NULL;

  g_return_if_fail (TB_IS_APPLICATION (self));

  if (self->webhook_sender == NULL)
    return;
  g_cancellable_cancel (self->webhook_cancellable);
  g_clear_object (&self->webhook_cancellable);
  tb_webhook_sender_stop (self->webhook_sender);

  url = tb_store_dup_setting (self->store, TB_WEBHOOK_SETTING_URL, "");
  if (g_strstrip (url)[0] == '\0')
    return;
  self->webhook_cancellable = g_cancellable_new ();
  tb_webhook_secret_lookup_async (self->store, self->webhook_cancellable, webhook_secret_cb,
                                  g_object_ref (self));
}
