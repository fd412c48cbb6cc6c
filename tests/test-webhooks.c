/* test-webhooks.c — CRM webhooks with nothing lost, and exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real receiver (a SoupServer in this process on 127.0.0.1, a free port)
 * records every POST by Idempotency-Key and checks its signature with its own
 * HMAC; `telebot-cli webhook deliver` runs as a child process that is killed
 * with SIGKILL midway and started again, while the receiver refuses
 * connections, answers 500, 429 with Retry-After and 400, and stops and
 * restarts on the same port. `telebot-cli campaign run --fast` on the demo
 * campaign delivers every call's events while it runs.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tb-calls-export.h"
#include "tb-crm-event.h"
#include "tb-store-attempts.h"
#include "tb-store-calls.h"
#include "tb-store-config.h"
#include "tb-store-contacts.h"
#include "tb-store-outbox.h"
#include "tb-test-csv.h"
#include "tb-webhook-secret.h"
#include "tb-webhook-sender.h"

#define SECRET_VAR "TB_TEST_WEBHOOK_SECRET"
#define SECRET     "s3cr3t-shared-with-the-crm"

/* ---------------------------------------------------------------- fixture */

typedef struct {
  char    *dir;
  char    *path;
  TbStore *store;
  gint64   list_id;
  gint64   campaign_id;
  gint64   line_id;
  guint    tick_id;
  char    *recording;   /* for the next add_finished_call(), or NULL */
} Fixture;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 script_id;

  f->dir = g_dir_make_tmp ("telebot-webhooks-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "telebot.db", NULL);
  f->store = tb_store_open (f->path, &error);
  g_assert_no_error (error);

  f->list_id = tb_store_ensure_list (f->store, "Spring leads", "test", &error);
  g_assert_no_error (error);
  script_id = tb_store_save_script (f->store, "Pitch", "en", "{\"telebot_script\":1}", &error);
  g_assert_no_error (error);
  f->line_id = tb_store_add_line (f->store, "sim-1", "sim", "{}", 2, &error);
  g_assert_no_error (error);
  f->campaign_id = tb_store_create_campaign (f->store, "Spring", f->list_id, script_id,
                                             f->line_id, "DEFAULT", 2, &error);
  g_assert_no_error (error);
  /* Lets spin_until() wake up to look at the clock. */
  f->tick_id = g_timeout_add (20, tick_cb, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *p = g_build_filename (path, name, NULL);
    if (g_file_test (p, G_FILE_TEST_IS_DIR))
      remove_tree (p);
    else
      g_unlink (p);
  }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_handle_id (&f->tick_id, g_source_remove);
  g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->recording);
  g_free (f->path);
  g_free (f->dir);
}

static gboolean
spin_until (gboolean (*done) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data)) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_main_context_iteration (NULL, TRUE);
  }
  return TRUE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
spin_for (guint ms)
{
  spin_until (never, NULL, ms);
}

/* A finished, graded call with a transcript, its call.finished event enqueued
 * in the same transaction (as the campaign code does). Returns the attempt id. */
static gint64
add_finished_call (Fixture    *f,
                   const char *e164,
                   const char *name,
                   const char *company,
                   const char *fields_json,
                   const char *grade,
                   gint64     *outbox_id)
{
  g_autoptr(GError) error = NULL;
  TbContactRow contact = {
    .e164 = e164, .name = name, .company = company, .email = "buyer@example.com",
    .country = "US", .timezone = "America/New_York", .fields_json = fields_json,
  };
  gint64 dialed = g_get_real_time () - 90 * G_USEC_PER_SEC;
  TbAttemptRow attempt = {
    .campaign_id = f->campaign_id, .line_id = f->line_id, .e164 = e164, .state = "ended",
    .outcome = "completed", .end_reason = "completed", .dialed_at = dialed,
    .answered_at = dialed + 5 * G_USEC_PER_SEC, .ended_at = dialed + 65 * G_USEC_PER_SEC,
    .grade = grade, .score = grade ? 100 - 20 * (grade[0] - 'A') : -1,
    .reasons_json = "[\"asked for a quote\",\"said \\\"call me Tuesday\\\"\"]",
    .recording = f->recording,
  };
  TbTurnRow turns[] = {
    { 0, "bot", "intro", "Hello, this is an automated call from Acme.", NULL, -1,
      dialed + 6 * G_USEC_PER_SEC, dialed + 9 * G_USEC_PER_SEC },
    { 0, "callee", "intro", "Yes, send me a quote, please", "interested", 0.82,
      dialed + 10 * G_USEC_PER_SEC, dialed + 12 * G_USEC_PER_SEC },
    { 0, "bot", "close", "Thank you, goodbye.", NULL, -1,
      dialed + 13 * G_USEC_PER_SEC, dialed + 15 * G_USEC_PER_SEC },
  };
  gint64 contact_id, attempt_id, id;

  g_assert_true (tb_store_begin (f->store, &error));
  g_assert_no_error (error);
  contact_id = tb_store_add_contact (f->store, f->list_id, &contact, &error);
  g_assert_no_error (error);
  g_assert_cmpint (contact_id, >, 0);
  attempt.contact_id = contact_id;
  attempt_id = tb_store_insert_attempt (f->store, &attempt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attempt_id, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (turns); i++) {
    g_assert_cmpint (tb_store_add_turn (f->store, attempt_id, &turns[i], &error), ==, i + 1);
    g_assert_no_error (error);
  }
  id = tb_crm_event_enqueue_call_finished (f->store, attempt_id, &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_commit (f->store, &error));
  g_assert_no_error (error);
  if (outbox_id != NULL)
    *outbox_id = id;
  return attempt_id;
}

/* ---------------------------------------------------------------- the CLI */

static char *
cli_path (void)
{
  return g_build_filename (g_getenv ("TELEBOT_BUILD_DIR"), "app", "cli", "telebot-cli", NULL);
}

static GStrv
cli_env (void)
{
  return g_environ_setenv (g_get_environ (), SECRET_VAR, SECRET, TRUE);
}

/* Runs telebot-cli --db PATH ARGS… and returns its stdout; *@status its exit status. */
static char *
run_cli (Fixture     *f,
         int         *status,
         char       **err_out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = cli_env ();
  g_autofree char *err = NULL;
  char *out = NULL;
  int wait_status = 0;
  va_list args;

  g_ptr_array_add (argv, cli_path ());
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (f->path));
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &wait_status, &error);
  g_assert_no_error (error);
  if (g_test_verbose () && err != NULL && err[0] != '\0')
    g_printerr ("# %s", err);
  *status = g_spawn_check_wait_status (wait_status, NULL) ? 0 : WEXITSTATUS (wait_status);
  if (err_out != NULL)
    *err_out = g_steal_pointer (&err);
  return out;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
configure_webhook (Fixture    *f,
                   guint16     port,
                   const char *extra)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/hook", port);
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) o = NULL;
  int status;

  out = run_cli (f, &status, NULL, "webhook", "set", url, "--secret-env", SECRET_VAR,
                 "--timeout", "2", "--retry-base-ms", "200", "--retry-cap", "1",
                 extra, NULL);
  g_assert_cmpint (status, ==, 0);
  o = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (o, "url"), ==, url);
  /* Where the secret is, never the secret. */
  g_assert_cmpstr (json_object_get_string_member (o, "secret"), ==, "env:" SECRET_VAR);
  g_assert_null (strstr (out, SECRET));
}

typedef struct {
  GSubprocess *proc;
  gboolean     done;
  char        *out;
  char        *err;
} Child;

static void
child_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Child *c = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &c->out, &c->err,
                                        &error);
  g_assert_no_error (error);
  c->done = TRUE;
}

static gboolean
child_is_done (gpointer data)
{
  return ((Child *) data)->done;
}

/* Starts telebot-cli --db PATH ARGS… without blocking the main loop (the
 * receiver lives on it). */
static Child *
spawn_cli (Fixture    *f,
           const char *first,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  Child *c = g_new0 (Child, 1);
  va_list args;

  g_ptr_array_add (argv, cli_path ());
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (f->path));
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, SECRET_VAR, SECRET, TRUE);
  c->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (c->proc, NULL, NULL, child_done_cb, c);
  return c;
}

static Child *
spawn_deliver (Fixture *f)
{
  return spawn_cli (f, "webhook", "deliver", NULL);
}

static void
child_free (Child *c)
{
  g_clear_object (&c->proc);
  g_free (c->out);
  g_free (c->err);
  g_free (c);
}

/* ---------------------------------------------------------------- the receiver */

typedef enum {
  ANSWER_OK,
  ANSWER_500,
  ANSWER_429,
  ANSWER_400,
  ANSWER_STALL,
  ANSWER_HUGE,      /* 200 with 4 MB of body, chunked: more than the sender reads */
  ANSWER_HUGE_500,  /* 500 with 4 MB of body and its Content-Length */
} Answer;

typedef struct {
  SoupServer        *server;
  guint16            port;
  GHashTable        *first_answer;    /* key -> Answer for its first POST */
  GHashTable        *always_answer;   /* key -> Answer for every POST */
  GHashTable        *posts;           /* key -> POSTs seen */
  GHashTable        *acks;            /* key -> 2xx answers */
  GHashTable        *after_ack;       /* key -> POSTs seen after a 2xx */
  GHashTable        *first_at;        /* key -> monotonic µs of the first POST */
  GHashTable        *second_at;       /* key -> monotonic µs of the second POST */
  guint              total_posts;
  guint              good_signatures;
  guint              bad_signatures;
  guint              wrong_secret_matches;
  guint              header_mismatches;
  SoupServerMessage *stalled;
  char              *stalled_key;
  guint              stall_nth;       /* stall the Nth distinct key POSTed (0: never) */
  guint              distinct;
  guint              stop_after_acks; /* stop listening right after this many keys acked */
  guint              stop_ms;
  gboolean           restarted;
  GBytes            *last_recording;  /* the last multipart "recording" part */
  char              *last_event;
} Receiver;

static void receiver_listen (Receiver *r);

static guint
count_of (GHashTable *table,
          const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (table, key));
}

static void
bump (GHashTable *table,
      const char *key)
{
  g_hash_table_replace (table, g_strdup (key), GUINT_TO_POINTER (count_of (table, key) + 1));
}

static gboolean
restart_cb (gpointer data)
{
  Receiver *r = data;

  receiver_listen (r);
  r->restarted = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
stop_cb (gpointer data)
{
  Receiver *r = data;

  g_test_message ("receiver: stops listening for %u ms (%u keys acknowledged)", r->stop_ms,
                  g_hash_table_size (r->acks));
  soup_server_disconnect (r->server);
  g_clear_object (&r->server);
  g_timeout_add (r->stop_ms, restart_cb, r);
  return G_SOURCE_REMOVE;
}

/* The payload the signature covers: the body, or its "payload" part. */
static GBytes *
signed_bytes (SoupServerMessage *msg,
              GBytes            *body,
              Receiver          *r)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(SoupMultipart) multipart = NULL;
  GBytes *payload = NULL;

  if (g_strcmp0 (type, "multipart/form-data") != 0)
    return g_bytes_ref (body);
  multipart = soup_multipart_new_from_message (headers, body);
  g_assert_nonnull (multipart);
  g_clear_pointer (&r->last_recording, g_bytes_unref);
  for (int i = 0; i < soup_multipart_get_length (multipart); i++) {
    SoupMessageHeaders *part_headers;
    GBytes *part_body;
    g_autoptr(GHashTable) params = NULL;
    g_autofree char *disposition = NULL;
    const char *name;

    g_assert_true (soup_multipart_get_part (multipart, i, &part_headers, &part_body));
    g_assert_true (soup_message_headers_get_content_disposition (part_headers, &disposition,
                                                                 &params));
    name = g_hash_table_lookup (params, "name");
    if (g_strcmp0 (name, "recording") == 0)
      r->last_recording = g_bytes_ref (part_body);
    else if (g_strcmp0 (name, "payload") == 0)
      payload = g_bytes_ref (part_body);
  }
  g_assert_nonnull (payload);
  return payload;
}

static void
check_signature (Receiver          *r,
                 SoupServerMessage *msg,
                 GBytes            *payload)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *signature = soup_message_headers_get_one (headers, "X-Telebot-Signature");
  gsize size;
  const guchar *data = g_bytes_get_data (payload, &size);
  g_autofree char *good = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) SECRET,
                                                   strlen (SECRET), data, size);
  g_autofree char *wrong = g_compute_hmac_for_data (G_CHECKSUM_SHA256,
                                                    (const guchar *) "not-the-secret",
                                                    strlen ("not-the-secret"), data, size);
  g_autofree char *expected = g_strconcat ("sha256=", good, NULL);
  g_autofree char *unexpected = g_strconcat ("sha256=", wrong, NULL);

  if (g_strcmp0 (signature, expected) == 0)
    r->good_signatures++;
  else
    r->bad_signatures++;
  if (g_strcmp0 (signature, unexpected) == 0)
    r->wrong_secret_matches++;
}

static void
on_hook (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Receiver *r = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  const char *event = soup_message_headers_get_one (headers, "X-Telebot-Event");
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(JsonNode) node = NULL;
  Answer answer = ANSWER_OK;
  gpointer scripted;

  g_assert_cmpstr (soup_server_message_get_method (msg), ==, "POST");
  g_assert_nonnull (key);
  g_assert_nonnull (event);
  r->total_posts++;
  bump (r->posts, key);
  if (count_of (r->posts, key) == 1 && ++r->distinct == r->stall_nth) {
    if (g_hash_table_contains (r->first_answer, key))
      r->stall_nth++;   /* keep the scripted answers apart from the stall */
    else
      g_hash_table_insert (r->first_answer, g_strdup (key), GINT_TO_POINTER (ANSWER_STALL));
  }
  if (count_of (r->acks, key) > 0)
    bump (r->after_ack, key);
  if (count_of (r->posts, key) == 1)
    g_hash_table_replace (r->first_at, g_strdup (key),
                          g_memdup2 (&(gint64) { g_get_monotonic_time () }, sizeof (gint64)));
  else if (count_of (r->posts, key) == 2)
    g_hash_table_replace (r->second_at, g_strdup (key),
                          g_memdup2 (&(gint64) { g_get_monotonic_time () }, sizeof (gint64)));

  payload = signed_bytes (msg, body, r);
  check_signature (r, msg, payload);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (payload, NULL),
                                       g_bytes_get_size (payload));
    node = json_from_string (text, NULL);
  }
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      g_strcmp0 (json_object_get_string_member (json_node_get_object (node), "id"), key) != 0 ||
      g_strcmp0 (json_object_get_string_member (json_node_get_object (node), "event"),
                 event) != 0)
    r->header_mismatches++;
  g_free (r->last_event);
  r->last_event = g_strdup (event);

  if (g_hash_table_lookup_extended (r->always_answer, key, NULL, &scripted))
    answer = GPOINTER_TO_INT (scripted);
  else if (count_of (r->posts, key) == 1 &&
           g_hash_table_lookup_extended (r->first_answer, key, NULL, &scripted))
    answer = GPOINTER_TO_INT (scripted);

  g_test_message ("receiver: %s POST %u of %s -> %s", event, count_of (r->posts, key), key,
                  (const char *[]) { "200", "500", "429", "400", "stall", "200 huge",
                                     "500 huge" }[answer]);
  switch (answer) {
  case ANSWER_OK:
    bump (r->acks, key);
    soup_server_message_set_status (msg, 200, NULL);
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, "{}", 2);
    if (r->stop_after_acks > 0 && g_hash_table_size (r->acks) == r->stop_after_acks)
      g_idle_add (stop_cb, r);
    break;
  case ANSWER_500:
    soup_server_message_set_status (msg, 500, NULL);
    break;
  case ANSWER_429:
    soup_server_message_set_status (msg, 429, NULL);
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Retry-After", "1");
    break;
  case ANSWER_400:
    soup_server_message_set_status (msg, 400, NULL);
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY,
                                      "unknown field: grade", strlen ("unknown field: grade"));
    break;
  case ANSWER_HUGE:
  case ANSWER_HUGE_500: {
    gsize size = 4 * 1024 * 1024;
    char *huge = g_malloc (size);

    memset (huge, 'x', size);
    if (answer == ANSWER_HUGE) {
      bump (r->acks, key);
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                         SOUP_ENCODING_CHUNKED);
    }
    soup_server_message_set_status (msg, answer == ANSWER_HUGE ? 200 : 500, NULL);
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE, huge, size);
    break;
  }
  case ANSWER_STALL:
    g_assert_null (r->stalled);
    r->stalled = g_object_ref (msg);
    r->stalled_key = g_strdup (key);
    soup_server_message_pause (msg);
    break;
  default:
    g_assert_not_reached ();
  }
}

static guint16
free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
receiver_listen (Receiver *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, r->port);

  g_assert_null (r->server);
  r->server = soup_server_new ("server-header", "telebot-test-crm", NULL);
  soup_server_add_handler (r->server, "/hook", on_hook, r, NULL);
  soup_server_listen (r->server, address, 0, &error);
  g_assert_no_error (error);
}

static Receiver *
receiver_new (void)
{
  Receiver *r = g_new0 (Receiver, 1);

  r->port = free_port ();
  r->first_answer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->always_answer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->posts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->acks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->after_ack = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->first_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  r->second_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return r;
}

static void
receiver_free (Receiver *r)
{
  if (r->server != NULL)
    soup_server_disconnect (r->server);
  g_clear_object (&r->server);
  g_clear_object (&r->stalled);
  g_hash_table_unref (r->first_answer);
  g_hash_table_unref (r->always_answer);
  g_hash_table_unref (r->posts);
  g_hash_table_unref (r->acks);
  g_hash_table_unref (r->after_ack);
  g_hash_table_unref (r->first_at);
  g_hash_table_unref (r->second_at);
  g_clear_pointer (&r->last_recording, g_bytes_unref);
  g_free (r->stalled_key);
  g_free (r->last_event);
  g_free (r);
}

static gboolean
receiver_stalled (gpointer data)
{
  return ((Receiver *) data)->stalled != NULL;
}

static char *
call_key (gint64 attempt_id)
{
  return g_strdup_printf ("attempt-%" G_GINT64_FORMAT "-call.finished-1", attempt_id);
}

static TbOutboxRow *
lookup_row (Fixture    *f,
            const char *key)
{
  g_autoptr(GError) error = NULL;
  TbOutboxRow *row = tb_store_outbox_lookup (f->store, key, &error);

  g_assert_no_error (error);
  return row;
}

/* ---------------------------------------------------------------- campaign run */

typedef struct {
  Receiver *r;
  guint     calls;
  guint     opt_outs;
} CallCheck;

/* Every call the campaign finished reached the CRM exactly once, signed; and
 * every opt-out's contact.opted_out too. */
static gboolean
check_call_delivered (const TbCallRecord  *record,
                      gpointer             user_data,
                      GError             **error)
{
  CallCheck *check = user_data;
  g_autofree char *key = call_key (record->attempt_id);

  g_assert_cmpuint (count_of (check->r->acks, key), ==, 1);
  g_assert_cmpuint (count_of (check->r->posts, key), ==, 1);
  check->calls++;
  if (record->opt_out) {
    g_autofree char *opt_key = g_strdup_printf ("attempt-%" G_GINT64_FORMAT
                                                "-contact.opted_out-1", record->attempt_id);

    g_assert_cmpuint (count_of (check->r->acks, opt_key), ==, 1);
    g_assert_cmpuint (count_of (check->r->posts, opt_key), ==, 1);
    check->opt_outs++;
  }
  return TRUE;
}

/* Runs @campaign --fast and checks its deliveries. Returns the opt-outs it made. */
static guint
run_campaign_with_webhook (Fixture    *f,
                           Receiver   *r,
                           const char *campaign)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = NULL;
  JsonObject *webhooks;
  CallCheck check = { r, 0, 0 };
  TbCallFilter filter = { 0 };
  gint64 campaign_id = tb_store_find_campaign (f->store, campaign);
  gint64 deadline = g_get_monotonic_time () + 100 * G_USEC_PER_SEC;
  guint acks_before = g_hash_table_size (r->acks);
  guint posts_before = r->total_posts;
  gboolean as_it_goes = FALSE;
  Child *child;

  g_assert_cmpint (campaign_id, >, 0);
  child = spawn_cli (f, "campaign", "run", campaign, "--fast",
                     "--now", "2026-12-01T10:00:00-05:00", NULL);
  while (!child->done) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, TRUE);
    /* A call's event reached the CRM while the campaign still had calls to make. */
    if (!as_it_goes && g_hash_table_size (r->acks) > acks_before) {
      TbCampaignCounters c = { 0 };

      tb_store_campaign_get_counters (f->store, campaign_id, &c);
      as_it_goes = c.done < c.total;
      g_test_message ("first delivery at %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " done",
                      c.done, c.total);
    }
  }
  if (!g_subprocess_get_if_exited (child->proc) ||
      g_subprocess_get_exit_status (child->proc) != 0)
    g_printerr ("# campaign run stderr: %s\n", child->err);
  g_assert_true (g_subprocess_get_if_exited (child->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (child->proc), ==, 0);
  g_assert_true (as_it_goes);

  summary = parse_object (child->out);
  g_assert_true (json_object_get_boolean_member (summary, "finished"));
  g_assert_true (json_object_has_member (summary, "webhooks"));
  webhooks = json_object_get_object_member (summary, "webhooks");

  filter.campaign_id = campaign_id;
  g_assert_true (tb_store_foreach_call (f->store, &filter, check_call_delivered, &check,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (check.calls, >=, 10);
  g_test_message ("%s: %u calls, %u opt-outs, %u POSTs", campaign, check.calls, check.opt_outs,
                  r->total_posts - posts_before);
  /* Those events and nothing else, each POSTed once, all signed with the secret. */
  g_assert_cmpuint (g_hash_table_size (r->acks) - acks_before, ==, check.calls + check.opt_outs);
  g_assert_cmpuint (r->total_posts - posts_before, ==, check.calls + check.opt_outs);
  g_assert_cmpuint (r->bad_signatures, ==, 0);
  g_assert_cmpuint (r->good_signatures, ==, r->total_posts);
  g_assert_cmpuint (r->header_mismatches, ==, 0);
  g_assert_cmpint (json_object_get_int_member (webhooks, "delivered"), ==,
                   check.calls + check.opt_outs);
  g_assert_cmpint (json_object_get_int_member (webhooks, "pending"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (webhooks, "failed"), ==, 0);
  child_free (child);
  return check.opt_outs;
}

static void
test_campaign_run (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *script = g_build_filename (g_getenv ("TELEBOT_SOURCE_DIR"), "data",
                                              "scripts", "demo-en.json", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(TbOutboxCounts) counts = { 0 };
  Receiver *r = receiver_new ();
  guint opt_outs;
  int status;

  receiver_listen (r);
  out = run_cli (f, &status, NULL, "demo", NULL);
  g_assert_cmpint (status, ==, 0);
  configure_webhook (f, r->port, NULL);

  opt_outs = run_campaign_with_webhook (f, r, "Demo campaign");
  /* The hostile persona says "stop calling me"; on a loaded machine the
   * recognizer may miss it and the callee hangs up. Call the list again (the
   * ones who opted out are on the do-not-call list now) until one opts out. */
  for (guint i = 1; opt_outs == 0 && i <= 2; i++) {
    g_autofree char *name = g_strdup_printf ("Demo again %u", i);
    g_autofree char *created = NULL;

    g_test_message ("no opt-out in the last run; calling the list again");
    created = run_cli (f, &status, NULL, "campaign", "create", name, "--list", "Demo contacts",
                       "--script", script, "--line", "Simulated line", "--policy", "US",
                       NULL);
    g_assert_cmpint (status, ==, 0);
    opt_outs = run_campaign_with_webhook (f, r, name);
  }
  g_assert_cmpuint (opt_outs, >=, 1);

  /* The opt-out persona's event is there, with the number that opted out. */
  {
    gboolean found = FALSE;
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, r->acks);
    while (g_hash_table_iter_next (&iter, &key, NULL)) {
      g_autoptr(TbOutboxRow) row = NULL;

      if (!g_str_has_suffix (key, "-contact.opted_out-1"))
        continue;
      row = lookup_row (f, key);
      g_assert_cmpstr (row->state, ==, "delivered");
      if (strstr (row->payload, "+12025550103") != NULL)
        found = TRUE;
    }
    g_assert_true (found);
  }

  g_assert_true (tb_store_outbox_get_counts (f->store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.pending, ==, 0);
  g_assert_cmpint (counts.failed, ==, 0);
  g_assert_cmpint (counts.delivered, ==, g_hash_table_size (r->acks));
  receiver_free (r);
}

static gboolean
count_event (const TbCallRecord  *record,
             gpointer             user_data,
             GError             **error)
{
  *(guint *) user_data += record->opt_out ? 2 : 1;
  return TRUE;
}

/* A CRM that takes the connection and never answers: the campaign still ends
 * a few seconds after its last call, and its events wait in the outbox. */
static void
test_campaign_run_bounded (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_auto(TbOutboxCounts) counts = { 0 };
  g_autofree char *out = NULL;
  TbCallFilter filter = { 0 };
  JsonObject *webhooks;
  Child *child;
  gint64 started;
  guint events = 0;
  int status;

  g_assert_no_error (error);
  g_socket_bind (silent, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (silent, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (silent, &error);
  g_assert_no_error (error);

  out = run_cli (f, &status, NULL, "demo", NULL);
  g_assert_cmpint (status, ==, 0);
  /* Each POST would wait 30 s for its answer. */
  configure_webhook (f, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)),
                     "--timeout=30");

  started = g_get_monotonic_time ();
  child = spawn_cli (f, "campaign", "run", "Demo campaign", "--fast",
                     "--now", "2026-12-01T10:00:00-05:00", NULL);
  g_assert_true (spin_until (child_is_done, child, 100000));
  g_test_message ("campaign run took %.1f s", (g_get_monotonic_time () - started) / 1e6);
  g_assert_true (g_subprocess_get_if_exited (child->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (child->proc), ==, 0);
  /* Not held up by the POST in flight (30 s): the last pass stopped at 5 s. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 28 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (child->err, "webhook: stopped after 5 s"));

  summary = parse_object (child->out);
  g_assert_true (json_object_get_boolean_member (summary, "finished"));
  webhooks = json_object_get_object_member (summary, "webhooks");
  filter.campaign_id = tb_store_find_campaign (f->store, "Demo campaign");
  g_assert_true (tb_store_foreach_call (f->store, &filter, count_event, &events, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (events, >=, 10);
  g_assert_cmpint (json_object_get_int_member (webhooks, "delivered"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (webhooks, "failed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (webhooks, "pending"), ==, events);
  g_assert_true (tb_store_outbox_get_counts (f->store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.pending, ==, events);
  child_free (child);
}

/* ---------------------------------------------------------------- tests */

#define N_EVENTS 12

static void
test_exactly_once (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char *keys[N_EVENTS] = { NULL };
  g_auto(TbOutboxCounts) counts = { 0 };
  g_autoptr(JsonObject) summary = NULL;
  Receiver *r = receiver_new ();
  Child *first, *second;
  guint acked_before_kill;
  gint64 gap;

  configure_webhook (f, r->port, "--max-tries=50");

  for (guint i = 0; i < N_EVENTS; i++) {
    g_autofree char *e164 = g_strdup_printf ("+1202555%04u", 100 + i);
    g_autofree char *name = g_strdup_printf ("Buyer %u", i);
    gint64 outbox_id = 0;
    gint64 attempt_id = add_finished_call (f, e164, name, "Acme, Inc.", "{\"source\":\"fair\"}",
                                           (const char *[]) { "A", "B", "C" }[i % 3],
                                           &outbox_id);

    g_assert_cmpint (outbox_id, >, 0);
    keys[i] = call_key (attempt_id);
  }
  g_assert_cmpint (tb_store_count_rows (f->store, "outbox"), ==, N_EVENTS);

  g_hash_table_insert (r->first_answer, g_strdup (keys[2]), GINT_TO_POINTER (ANSWER_500));
  g_hash_table_insert (r->first_answer, g_strdup (keys[3]), GINT_TO_POINTER (ANSWER_429));
  r->stall_nth = 5;
  r->stop_after_acks = 6;   /* > the at most 4 acked before the kill: in the second run */
  r->stop_ms = 1500;

  /* 1. Nobody listens yet: connections are refused, and the sender retries. */
  first = spawn_deliver (f);
  spin_for (1200);
  g_assert_false (first->done);
  g_assert_cmpuint (r->total_posts, ==, 0);
  {
    g_autoptr(TbOutboxRow) row = lookup_row (f, keys[0]);
    g_assert_cmpstr (row->state, ==, "pending");
    g_assert_cmpint (row->tries, >=, 1);
    g_assert_nonnull (row->last_error);
    g_assert_nonnull (strstr (row->last_error, "refused"));
  }

  /* 2. The receiver comes up; 500 and 429 are retried; the 5th event to
   *    arrive stalls and the sender is killed while it waits for the answer.
   *    (Every row was tried and refused once, so the order is now the order
   *    their retries come due.) */
  receiver_listen (r);
  g_assert_true (spin_until (receiver_stalled, r, 30000));
  acked_before_kill = g_hash_table_size (r->acks);
  g_assert_cmpuint (acked_before_kill, >=, 1);
  g_assert_cmpuint (acked_before_kill, <=, 4);
  g_subprocess_force_exit (first->proc);
  g_assert_true (spin_until (child_is_done, first, 10000));
  g_assert_true (g_subprocess_get_if_signaled (first->proc));
  g_assert_cmpint (g_subprocess_get_term_sig (first->proc), ==, SIGKILL);
  /* The stalled request was never acknowledged. */
  soup_server_message_set_status (r->stalled, 503, NULL);
  soup_server_message_unpause (r->stalled);
  {
    g_autoptr(TbOutboxRow) stalled = lookup_row (f, r->stalled_key);
    g_auto(TbOutboxCounts) before = { 0 };

    /* Claimed, and leased for a while: a second sender leaves it alone until
     * the killed one's request would have timed out. */
    g_assert_cmpstr (stalled->state, ==, "pending");
    g_assert_cmpint (stalled->tries, >=, 1);
    g_assert_cmpint (stalled->next_try_at, >, g_get_real_time ());
    g_assert_true (tb_store_outbox_get_counts (f->store, &before, &error));
    g_assert_no_error (error);
    g_assert_cmpint (before.delivered, ==, acked_before_kill);
  }

  /* 3. A new sender resumes from the outbox; the receiver goes away for 1.5 s
   *    after the 6th acknowledged event and comes back on the same port. */
  second = spawn_deliver (f);
  g_assert_true (spin_until (child_is_done, second, 90000));
  g_assert_true (g_subprocess_get_if_exited (second->proc));
  if (g_subprocess_get_exit_status (second->proc) != 0)
    g_printerr ("# deliver stderr: %s\n", second->err);
  g_assert_cmpint (g_subprocess_get_exit_status (second->proc), ==, 0);
  g_assert_true (r->restarted);

  summary = parse_object (second->out);
  g_assert_cmpint (json_object_get_int_member (summary, "pending"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "failed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "delivered"), ==, N_EVENTS);
  g_assert_cmpint (json_object_get_int_member (summary, "delivered_now"), ==,
                   N_EVENTS - acked_before_kill);
  /* The second sender started with the receiver up: the connections it saw
   * refused were while the receiver was away, and it retried them. */
  g_assert_cmpint (json_object_get_int_member (summary, "retries"), >=, 1);
  g_assert_nonnull (strstr (second->err, "retrying: POST http://127.0.0.1"));
  g_assert_nonnull (strstr (second->err, "Connection refused"));

  /* Exactly once: every key acknowledged once, and never POSTed again after. */
  g_assert_cmpuint (g_hash_table_size (r->acks), ==, N_EVENTS);
  for (guint i = 0; i < N_EVENTS; i++) {
    g_autoptr(TbOutboxRow) row = lookup_row (f, keys[i]);

    g_assert_cmpuint (count_of (r->acks, keys[i]), ==, 1);
    g_assert_cmpuint (count_of (r->after_ack, keys[i]), ==, 0);
    g_assert_cmpstr (row->state, ==, "delivered");
    g_assert_cmpint (row->delivered_at, >, 0);
    g_assert_null (row->last_error);
  }
  g_assert_cmpuint (count_of (r->posts, keys[2]), ==, 2);   /* 500, then 200 */
  g_assert_cmpuint (count_of (r->posts, keys[3]), ==, 2);   /* 429, then 200 */
  g_assert_cmpuint (count_of (r->posts, r->stalled_key), ==, 2); /* stalled + killed, then 200 */
  /* Retry-After: 1 was honoured. */
  gap = *(gint64 *) g_hash_table_lookup (r->second_at, keys[3]) -
        *(gint64 *) g_hash_table_lookup (r->first_at, keys[3]);
  g_assert_cmpint (gap, >=, G_USEC_PER_SEC - 50000);

  /* Every request was signed with the shared secret, not with another one. */
  g_assert_cmpuint (r->bad_signatures, ==, 0);
  g_assert_cmpuint (r->good_signatures, ==, r->total_posts);
  g_assert_cmpuint (r->wrong_secret_matches, ==, 0);
  g_assert_cmpuint (r->header_mismatches, ==, 0);

  g_assert_true (tb_store_outbox_get_counts (f->store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.delivered, ==, N_EVENTS);
  g_assert_cmpint (counts.pending, ==, 0);

  for (guint i = 0; i < N_EVENTS; i++)
    g_free (keys[i]);
  child_free (first);
  child_free (second);
  receiver_free (r);
}

static void
test_bad_request_fails (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(TbOutboxRow) row = NULL;
  Receiver *r = receiver_new ();
  Child *child;
  int rc;

  configure_webhook (f, r->port, "--max-tries=50");
  bad = call_key (add_finished_call (f, "+12025550111", "Ann", "Bolt", NULL, "A", NULL));
  good = call_key (add_finished_call (f, "+12025550112", "Bob", "Nut", NULL, "B", NULL));
  g_hash_table_insert (r->always_answer, g_strdup (bad), GINT_TO_POINTER (ANSWER_400));
  receiver_listen (r);

  child = spawn_deliver (f);
  g_assert_true (spin_until (child_is_done, child, 30000));
  g_assert_true (g_subprocess_get_if_exited (child->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (child->proc), ==, 0);
  summary = parse_object (child->out);
  g_assert_cmpint (json_object_get_int_member (summary, "failed_now"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "delivered_now"), ==, 1);

  /* A 400 is not retried: the CRM will not change its mind. */
  g_assert_cmpuint (count_of (r->posts, bad), ==, 1);
  g_assert_cmpuint (count_of (r->acks, good), ==, 1);
  row = lookup_row (f, bad);
  g_assert_cmpstr (row->state, ==, "failed");
  g_assert_nonnull (strstr (row->last_error, "HTTP 400"));
  g_assert_nonnull (strstr (row->last_error, "unknown field: grade"));

  out = run_cli (f, &rc, NULL, "webhook", "status", NULL);
  g_assert_cmpint (rc, ==, 0);
  status = parse_object (out);
  g_assert_cmpint (json_object_get_int_member (status, "failed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (status, "delivered"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (status, "pending"), ==, 0);
  g_assert_nonnull (strstr (json_object_get_string_member (status, "last_error"), "HTTP 400"));
  g_assert_nonnull (strstr (json_object_get_string_member (status, "last_error"),
                            "unknown field: grade"));

  /* The delivery log shows both, newest first. */
  {
    g_autofree char *log = run_cli (f, &rc, NULL, "webhook", "log", NULL);
    g_auto(GStrv) lines = g_strsplit (g_strchomp (log), "\n", -1);
    g_autoptr(JsonObject) newest = NULL;
    g_autoptr(JsonObject) oldest = NULL;

    g_assert_cmpint (rc, ==, 0);
    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    newest = parse_object (lines[0]);
    oldest = parse_object (lines[1]);
    g_assert_cmpstr (json_object_get_string_member (newest, "state"), ==, "delivered");
    g_assert_cmpstr (json_object_get_string_member (oldest, "state"), ==, "failed");
    g_assert_cmpstr (json_object_get_string_member (oldest, "key"), ==, bad);
  }

  child_free (child);
  receiver_free (r);
}

/* A CRM that answers with megabytes has still answered: its status counts, the body is read
 * no further than 64 KB and never quoted whole. */
static void
test_huge_answer (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *ok = NULL;
  g_autofree char *retried = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(TbOutboxRow) row = NULL;
  Receiver *r = receiver_new ();
  Child *child;

  configure_webhook (f, r->port, "--max-tries=50");
  ok = call_key (add_finished_call (f, "+12025550111", "Ann", "Bolt", NULL, "A", NULL));
  retried = call_key (add_finished_call (f, "+12025550112", "Bob", "Nut", NULL, "B", NULL));
  g_hash_table_insert (r->always_answer, g_strdup (ok), GINT_TO_POINTER (ANSWER_HUGE));
  g_hash_table_insert (r->first_answer, g_strdup (retried), GINT_TO_POINTER (ANSWER_HUGE_500));
  receiver_listen (r);

  child = spawn_deliver (f);
  g_assert_true (spin_until (child_is_done, child, 30000));
  g_assert_true (g_subprocess_get_if_exited (child->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (child->proc), ==, 0);
  summary = parse_object (child->out);
  g_assert_cmpint (json_object_get_int_member (summary, "delivered_now"), ==, 2);

  g_assert_cmpuint (count_of (r->posts, ok), ==, 1);
  row = lookup_row (f, ok);
  g_assert_cmpstr (row->state, ==, "delivered");
  g_clear_pointer (&row, tb_outbox_row_free);
  g_assert_cmpuint (count_of (r->posts, retried), ==, 2);
  row = lookup_row (f, retried);
  g_assert_cmpstr (row->state, ==, "delivered");

  child_free (child);
  receiver_free (r);
}

typedef struct {
  GMainLoop        *loop;
  TbWebhookOutcome  outcome;
  GError           *error;
  gboolean          ok;
} TestWait;

static void
send_test_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TestWait *w = user_data;

  w->ok = tb_webhook_sender_send_test_finish (TB_WEBHOOK_SENDER (object), result, &w->outcome,
                                              &w->error);
  g_main_loop_quit (w->loop);
}

static void
test_signature (Fixture       *f,
                gconstpointer  data)
{
  /* RFC 4231, test case 2. */
  g_autofree char *rfc = tb_webhook_sign ("Jefe", (const guint8 *) "what do ya want for nothing?",
                                          28);
  g_autofree char *wrong = tb_webhook_sign ("Jeff", (const guint8 *) "what do ya want for nothing?",
                                            28);
  g_autoptr(TbWebhookSender) sender = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) result = NULL;
  Receiver *r = receiver_new ();
  TestWait w = { 0 };

  g_assert_cmpstr (rfc, ==,
                   "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  g_assert_cmpstr (wrong, !=, rfc);

  configure_webhook (f, r->port, "--max-tries=5");
  receiver_listen (r);

  /* In this process: the secret comes from the variable the settings name. */
  g_setenv (SECRET_VAR, SECRET, TRUE);
  g_assert_true (tb_webhook_secret_lookup (f->store, &secret, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, SECRET);
  sender = tb_webhook_sender_new (f->store);
  tb_webhook_sender_set_secret (sender, secret);
  w.loop = g_main_loop_new (NULL, FALSE);
  tb_webhook_sender_send_test_async (sender, NULL, send_test_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_cmpuint (w.outcome.status, ==, 200);
  g_assert_null (w.outcome.reason);
  g_assert_cmpuint (r->good_signatures, ==, 1);
  g_assert_cmpstr (r->last_event, ==, TB_CRM_EVENT_TEST);

  /* A sender with another secret: the receiver's check fails. */
  tb_webhook_sender_set_secret (sender, "not-" SECRET);
  w = (TestWait) { g_main_loop_new (NULL, FALSE), { 0 }, NULL, FALSE };
  tb_webhook_sender_send_test_async (sender, NULL, send_test_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_true (w.ok);
  g_assert_cmpuint (r->bad_signatures, ==, 1);
  g_assert_cmpuint (r->good_signatures, ==, 1);

  /* The CLI's test event, signed with the secret from the environment. */
  {
    Child *child = spawn_cli (f, "webhook", "test", NULL);

    g_assert_true (spin_until (child_is_done, child, 20000));
    g_assert_true (g_subprocess_get_if_exited (child->proc));
    if (g_subprocess_get_exit_status (child->proc) != 0)
      g_printerr ("# webhook test: %s\n", child->err);
    g_assert_cmpint (g_subprocess_get_exit_status (child->proc), ==, 0);
    out = g_steal_pointer (&child->out);
    child_free (child);
  }
  result = parse_object (out);
  g_assert_true (json_object_get_boolean_member (result, "ok"));
  g_assert_cmpint (json_object_get_int_member (result, "status"), ==, 200);
  g_assert_cmpuint (r->good_signatures, ==, 2);
  g_assert_cmpuint (r->wrong_secret_matches, ==, 0);

  /* A secret file others can read is refused. */
  {
    g_autofree char *path = g_build_filename (f->dir, "secret", NULL);
    g_autofree char *found = NULL;
    g_autoptr(GError) file_error = NULL;

    g_assert_true (g_file_set_contents (path, "from-a-file\n", -1, NULL));
    g_chmod (path, 0644);
    g_assert_true (tb_store_set_setting (f->store, TB_WEBHOOK_SETTING_SECRET_ENV, "", NULL));
    g_assert_true (tb_store_set_setting (f->store, TB_WEBHOOK_SETTING_SECRET_FILE, path, NULL));
    g_assert_false (tb_webhook_secret_lookup (f->store, &found, NULL, &file_error));
    g_assert_nonnull (file_error);
    g_assert_nonnull (strstr (file_error->message, "chmod 600"));
    g_chmod (path, 0600);
    g_assert_true (tb_webhook_secret_lookup (f->store, &found, NULL, NULL));
    g_assert_cmpstr (found, ==, "from-a-file");
  }

  g_unsetenv (SECRET_VAR);
  tb_webhook_outcome_clear (&w.outcome);
  g_assert_finalize_object (g_steal_pointer (&sender));
  receiver_free (r);
}

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbOutboxRow) row = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *key = NULL;
  JsonObject *o, *contact, *call, *campaign, *turn;
  JsonArray *transcript;
  gint64 a, c, id;

  /* No URL: nothing is queued. */
  a = add_finished_call (f, "+12025550121", "Ann \"The Buyer\" Lee", "Acme, Inc.",
                         "{\"source\":\"trade fair\",\"budget\":5000}", "A", &id);
  g_assert_cmpint (id, ==, 0);

  configure_webhook (f, 9, "--grades=A,B");
  g_assert_true (tb_store_set_setting (f->store, TB_WEBHOOK_SETTING_EVENTS,
                                       "call.finished,contact.opted_out,lead.updated", NULL));

  /* The event is part of the caller's transaction: a rollback takes it away. */
  g_assert_true (tb_store_begin (f->store, &error));
  id = tb_crm_event_enqueue_call_finished (f->store, a, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  tb_store_rollback (f->store);
  g_assert_cmpint (tb_store_count_rows (f->store, "outbox"), ==, 0);

  id = tb_crm_event_enqueue_call_finished (f->store, a, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  /* Idempotent: the same event again is not queued twice. */
  g_assert_cmpint (tb_crm_event_enqueue_call_finished (f->store, a, &error), ==, 0);
  g_assert_no_error (error);

  /* Grade C is filtered out by --grades A,B; an opt-out always goes. */
  c = add_finished_call (f, "+12025550122", "Carl", "Co", NULL, "C", &id);
  g_assert_cmpint (id, ==, 0);
  id = tb_crm_event_enqueue_opted_out (f->store, c, "+12025550122", "speech",
                                       "stop calling me", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* A person upgrades Carl to B twice: two lead.updated events, numbered. */
  g_assert_true (tb_store_update_lead (f->store, c, "B", "contacted", "called back", &error));
  id = tb_crm_event_enqueue_lead_updated (f->store, c, "C", "new", "maria", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (tb_store_update_lead (f->store, c, NULL, "won", NULL, &error));
  id = tb_crm_event_enqueue_lead_updated (f->store, c, "B", "contacted", "maria", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  key = g_strdup_printf ("attempt-%" G_GINT64_FORMAT "-lead.updated-2", c);
  row = lookup_row (f, key);
  root = json_from_string (row->payload, &error);
  g_assert_no_error (error);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "event"), ==, "lead.updated");
  {
    JsonObject *changes = json_object_get_object_member (o, "changes");
    JsonObject *follow_up = json_object_get_object_member (changes, "follow_up");
    JsonObject *grade = json_object_get_object_member (changes, "grade");

    g_assert_cmpstr (json_object_get_string_member (follow_up, "from"), ==, "contacted");
    g_assert_cmpstr (json_object_get_string_member (follow_up, "to"), ==, "won");
    g_assert_cmpstr (json_object_get_string_member (grade, "from"), ==, "B");
    g_assert_cmpstr (json_object_get_string_member (grade, "to"), ==, "B");
    g_assert_cmpstr (json_object_get_string_member (changes, "by"), ==, "maria");
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (o, "call"), "notes"), ==, "called back");
  }
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&row, tb_outbox_row_free);
  g_clear_pointer (&key, g_free);

  /* The call.finished payload, in full. */
  key = call_key (a);
  row = lookup_row (f, key);
  g_assert_cmpstr (row->event, ==, "call.finished");
  g_assert_cmpint (row->attempt_id, ==, a);
  root = json_from_string (row->payload, &error);
  g_assert_no_error (error);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, key);
  g_assert_cmpint (json_object_get_int_member (o, "schema"), ==, 1);
  contact = json_object_get_object_member (o, "contact");
  g_assert_cmpstr (json_object_get_string_member (contact, "name"), ==, "Ann \"The Buyer\" Lee");
  g_assert_cmpstr (json_object_get_string_member (contact, "company"), ==, "Acme, Inc.");
  g_assert_cmpstr (json_object_get_string_member (contact, "number"), ==, "+12025550121");
  g_assert_cmpstr (json_object_get_string_member (contact, "list"), ==, "Spring leads");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (contact, "fields"), "source"), ==,
                   "trade fair");
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (contact, "fields"), "budget"), ==, 5000);
  campaign = json_object_get_object_member (o, "campaign");
  g_assert_cmpstr (json_object_get_string_member (campaign, "name"), ==, "Spring");
  g_assert_cmpstr (json_object_get_string_member (campaign, "script"), ==, "Pitch");
  call = json_object_get_object_member (o, "call");
  g_assert_cmpstr (json_object_get_string_member (call, "outcome"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (call, "grade"), ==, "A");
  g_assert_cmpint (json_object_get_int_member (call, "score"), ==, 100);
  g_assert_cmpstr (json_object_get_string_member (call, "line"), ==, "sim-1");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (call, "reasons")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (call, "reasons"),
                                                  1), ==, "said \"call me Tuesday\"");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (call, "duration_seconds"),
                                  60.0, 0.001);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (call, "answered_at"), "Z"));
  transcript = json_object_get_array_member (call, "transcript");
  g_assert_cmpuint (json_array_get_length (transcript), ==, 3);
  turn = json_array_get_object_element (transcript, 1);
  g_assert_cmpstr (json_object_get_string_member (turn, "speaker"), ==, "callee");
  g_assert_cmpstr (json_object_get_string_member (turn, "intent"), ==, "interested");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (turn, "offset_seconds"), 5.0,
                                  0.001);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (turn, "confidence"), 0.82,
                                  0.001);
}

static void
test_recording_upload (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbOutboxRow) row = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *key = NULL;
  g_autofree char *audio = NULL;
  gsize audio_len = 0;
  JsonObject *recording;
  Receiver *r = receiver_new ();
  Child *child;

  /* Half a second of an 8 kHz tone, as the recorder would leave it. */
  f->recording = g_build_filename (f->dir, "call-1.wav", NULL);
  {
    g_autofree char *sox = g_find_program_in_path ("sox");
    g_autofree char *cmd = NULL;
    int wait_status = 0;

    g_assert_nonnull (sox);
    cmd = g_strdup_printf ("%s -n -r 8000 -c 1 -b 16 %s synth 0.5 sine 440", sox, f->recording);
    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &wait_status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }
  g_assert_true (g_file_get_contents (f->recording, &audio, &audio_len, &error));
  g_assert_cmpuint (audio_len, >, 8000);

  configure_webhook (f, r->port, "--upload-recordings=yes");
  key = call_key (add_finished_call (f, "+12025550141", "Dee", "Eel", NULL, "A", NULL));
  row = lookup_row (f, key);
  root = json_from_string (row->payload, &error);
  g_assert_no_error (error);
  recording = json_object_get_object_member (
                json_object_get_object_member (json_node_get_object (root), "call"), "recording");
  g_assert_cmpstr (json_object_get_string_member (recording, "path"), ==, f->recording);
  g_assert_cmpstr (json_object_get_string_member (recording, "file_name"), ==, "call-1.wav");
  g_assert_cmpstr (json_object_get_string_member (recording, "multipart_part"), ==, "recording");

  receiver_listen (r);
  child = spawn_deliver (f);
  g_assert_true (spin_until (child_is_done, child, 30000));
  g_assert_true (g_subprocess_get_if_exited (child->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (child->proc), ==, 0);

  /* One multipart POST: the signed payload part, and the file byte for byte. */
  g_assert_cmpuint (count_of (r->acks, key), ==, 1);
  g_assert_cmpuint (r->good_signatures, ==, 1);
  g_assert_cmpuint (r->header_mismatches, ==, 0);
  g_assert_nonnull (r->last_recording);
  g_assert_cmpuint (g_bytes_get_size (r->last_recording), ==, audio_len);
  g_assert_cmpmem (g_bytes_get_data (r->last_recording, NULL), audio_len, audio, audio_len);

  child_free (child);
  receiver_free (r);
}

static void
test_backoff (void)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GDateTime) later = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC + 120);
  g_autofree char *date = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");

  for (int i = 0; i < 50; i++) {
    gint64 first = tb_webhook_backoff_us (1, 1000, 60000);
    gint64 fourth = tb_webhook_backoff_us (4, 1000, 60000);
    gint64 capped = tb_webhook_backoff_us (30, 1000, 60000);

    g_assert_cmpint (first, >=, 500000);
    g_assert_cmpint (first, <=, 1000000);
    g_assert_cmpint (fourth, >=, 4000000);
    g_assert_cmpint (fourth, <=, 8000000);
    g_assert_cmpint (capped, >=, 30000000);
    g_assert_cmpint (capped, <=, 60000000);
  }
  g_assert_cmpint (tb_webhook_parse_retry_after ("1", now), ==, G_USEC_PER_SEC);
  g_assert_cmpint (tb_webhook_parse_retry_after (" 30", now), ==, 30 * G_USEC_PER_SEC);
  g_assert_cmpint (tb_webhook_parse_retry_after (date, now), >=, 118 * G_USEC_PER_SEC);
  g_assert_cmpint (tb_webhook_parse_retry_after (date, now), <=, 121 * G_USEC_PER_SEC);
  g_assert_cmpint (tb_webhook_parse_retry_after ("soon", now), ==, 0);
  g_assert_cmpint (tb_webhook_parse_retry_after (NULL, now), ==, 0);
}

/* ---------------------------------------------------------------- exports */


static const char *
cell (GPtrArray  *rows,
      guint       row,
      const char *column)
{
  GPtrArray *r = g_ptr_array_index (rows, row);

  return g_ptr_array_index (r, tb_test_csv_column (g_ptr_array_index (rows, 0), column));
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json_text = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *filtered = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *array;
  gint64 a, b;
  int rc;

  a = add_finished_call (f, "+12025550131", "Lee, \"Ann\"", "Acme\r\nWest",
                         "{\"来源\":\"展会, 北京\",\"attempt_id\":\"clash\"}", "A", NULL);
  b = add_finished_call (f, "+12025550132", "Bob", "Nuts & Bolts", "{\"budget\":\"10\"}", "C",
                         NULL);
  g_assert_true (tb_store_update_lead (f->store, b, NULL, NULL, "said \"maybe\", call later",
                                       &error));
  g_assert_no_error (error);

  /* CSV with a BOM, parsed back. */
  csv = run_cli (f, &rc, NULL, "calls", "export", "--bom", NULL);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF" "attempt_id,campaign,"));
  g_assert_true (g_utf8_validate (csv, -1, NULL));
  rows = tb_test_parse_csv (csv + 3);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 1; i < rows->len; i++)
    g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (rows, i))->len, ==,
                      ((GPtrArray *) g_ptr_array_index (rows, 0))->len);
  g_assert_cmpstr (cell (rows, 1, "name"), ==, "Lee, \"Ann\"");
  g_assert_cmpstr (cell (rows, 1, "company"), ==, "Acme\r\nWest");
  g_assert_cmpstr (cell (rows, 1, "来源"), ==, "展会, 北京");
  g_assert_cmpstr (cell (rows, 1, "field_attempt_id"), ==, "clash");
  g_assert_cmpstr (cell (rows, 1, "budget"), ==, "");
  g_assert_cmpstr (cell (rows, 1, "grade"), ==, "A");
  g_assert_cmpstr (cell (rows, 1, "score"), ==, "100");
  g_assert_cmpstr (cell (rows, 1, "reasons"), ==, "asked for a quote; said \"call me Tuesday\"");
  g_assert_cmpstr (cell (rows, 1, "duration_seconds"), ==, "60.000");
  g_assert_true (g_str_has_prefix (cell (rows, 1, "transcript"), "bot: Hello, this is"));
  g_assert_nonnull (strchr (cell (rows, 1, "transcript"), '\n'));
  g_assert_cmpstr (cell (rows, 2, "number"), ==, "+12025550132");
  g_assert_cmpstr (cell (rows, 2, "notes"), ==, "said \"maybe\", call later");
  g_assert_cmpstr (cell (rows, 2, "budget"), ==, "10");
  g_assert_cmpint (g_ascii_strtoll (cell (rows, 1, "attempt_id"), NULL, 10), ==, a);

  /* JSON array, parsed back. */
  json_text = run_cli (f, &rc, NULL, "calls", "export", "--format", "json", NULL);
  g_assert_cmpint (rc, ==, 0);
  json = json_from_string (json_text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json));
  array = json_node_get_array (json);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "company"), ==, "Acme\r\nWest");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (array, 0),
                                                    "fields"), "来源"), ==, "展会, 北京");
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_array_get_object_element (array, 0),
                                                    "transcript")), ==, 3);

  /* JSON lines, filtered by grade and campaign. */
  jsonl = run_cli (f, &rc, NULL, "calls", "export", "--format", "jsonl", "--grades", "c",
                   "--campaign", "Spring", NULL);
  g_assert_cmpint (rc, ==, 0);
  lines = g_strsplit (g_strchomp (jsonl), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  {
    g_autoptr(JsonObject) only = parse_object (lines[0]);
    g_assert_cmpint (json_object_get_int_member (only, "attempt_id"), ==, b);
    g_assert_cmpstr (json_object_get_string_member (only, "grade"), ==, "C");
  }

  /* An unknown campaign is an error that names it. */
  {
    g_autofree char *err = NULL;
    g_autofree char *none = run_cli (f, &rc, &err, "calls", "export", "--campaign", "Nope",
                                     NULL);
    g_assert_cmpint (rc, !=, 0);
    g_assert_nonnull (strstr (err, "Nope"));
  }

  /* In a thread with its own connection, to a file: the same bytes as the CLI. */
  {
    g_autofree char *path = g_build_filename (f->dir, "calls.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *written = NULL;
    TbCallsExportOptions options = { .format = TB_CALLS_EXPORT_CSV, .bom = TRUE };
    guint64 n = 0;

    tb_calls_export_to_file_async (f->path, &options, file, NULL, export_done_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (tb_calls_export_to_file_finish (result, &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 2);
    g_assert_true (g_file_get_contents (path, &written, NULL, &error));
    g_assert_cmpstr (written, ==, csv);
    /* Numbers, names and transcripts: a new export is its owner's alone. */
    {
      GStatBuf st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  }

  /* Empty selection: a header only, and an empty JSON array. */
  filtered = run_cli (f, &rc, NULL, "calls", "export", "--format", "json", "--grades", "E",
                      NULL);
  g_assert_cmpint (rc, ==, 0);
  g_assert_cmpstr (g_strstrip (filtered), ==, "[]");
}

/* Issue 19 §4: names, notes and custom fields come from imported files and
 * from callers; a spreadsheet must show them as text, not run them. */
static void
test_export_formulas (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *csv = NULL;
  gint64 a;
  int rc;

  a = add_finished_call (f, "+12025550141", "=HYPERLINK(\"http://evil.example\",\"x\")",
                         "@SUM(A1:A9)", "{\"office\":\"+12025550199\",\"memo\":\"-1+2\","
                         "\"=cmd\":\"\\tx\"}", "A", NULL);
  g_assert_true (tb_store_update_lead (f->store, a, NULL, NULL, "+cmd|' /C calc'!A0", &error));
  g_assert_no_error (error);

  csv = run_cli (f, &rc, NULL, "calls", "export", NULL);
  g_assert_cmpint (rc, ==, 0);
  rows = tb_test_parse_csv (csv);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (cell (rows, 1, "name"), ==, "'=HYPERLINK(\"http://evil.example\",\"x\")");
  g_assert_cmpstr (cell (rows, 1, "company"), ==, "'@SUM(A1:A9)");
  g_assert_cmpstr (cell (rows, 1, "notes"), ==, "'+cmd|' /C calc'!A0");
  g_assert_cmpstr (cell (rows, 1, "memo"), ==, "'-1+2");
  g_assert_cmpstr (cell (rows, 1, "'=cmd"), ==, "'\tx");
  /* E.164 is a number to a spreadsheet, never a formula: kept as it is. */
  g_assert_cmpstr (cell (rows, 1, "number"), ==, "+12025550141");
  g_assert_cmpstr (cell (rows, 1, "office"), ==, "+12025550199");
}

int
main (int    argc,
      char **argv)
{
  /* Loopback only: no desktop proxy settings (their schemas are not in the
   * isolated test environment), for this process and the CLI it starts. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/telebot/webhooks/backoff", test_backoff);
  g_test_add ("/telebot/webhooks/events", Fixture, NULL, fixture_set_up, test_events,
              fixture_tear_down);
  g_test_add ("/telebot/webhooks/signature", Fixture, NULL, fixture_set_up, test_signature,
              fixture_tear_down);
  g_test_add ("/telebot/webhooks/bad-request-fails", Fixture, NULL, fixture_set_up,
              test_bad_request_fails, fixture_tear_down);
  g_test_add ("/telebot/webhooks/huge-answer", Fixture, NULL, fixture_set_up,
              test_huge_answer, fixture_tear_down);
  g_test_add ("/telebot/webhooks/exactly-once", Fixture, NULL, fixture_set_up,
              test_exactly_once, fixture_tear_down);
  g_test_add ("/telebot/webhooks/recording-upload", Fixture, NULL, fixture_set_up,
              test_recording_upload, fixture_tear_down);
  g_test_add ("/telebot/webhooks/campaign-run", Fixture, NULL, fixture_set_up,
              test_campaign_run, fixture_tear_down);
  g_test_add ("/telebot/webhooks/campaign-run-bounded", Fixture, NULL, fixture_set_up,
              test_campaign_run_bounded, fixture_tear_down);
  g_test_add ("/telebot/webhooks/export", Fixture, NULL, fixture_set_up, test_export,
              fixture_tear_down);
  g_test_add ("/telebot/webhooks/export-formulas-as-text", Fixture, NULL, fixture_set_up,
              test_export_formulas, fixture_tear_down);
  return g_test_run ();
}
