/* test-sip-line.c — the SIP line against real peers on 127.0.0.1 (sipp)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts sipp with a scenario of tests/data/sipp/, places one call and asserts both
 * our end (states, end reason, protocol code) and sipp's own verdict (exit status 0: its one
 * call succeeded by its scenario).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "tb-line-registry.h"
#include "tb-secret.h"
#include "tb-speech-service.h"
#include "tb-store-config.h"
#include "tb-crm-event.h"
#include "tb-webhook-secret.h"
#include "tb-line-test-util.h"
#include "tb-sip-call.h"
#include "tb-sip-line.h"
#include "tb-sip-sdp.h"
#include "tb-sipp.h"
#include "tb-peers.h"

typedef struct {
  TbLine     *line;
  TbSipp     *sipp;
  TbCall     *call;
  TbStateLog *log;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbSipConfig config = { .domain = "127.0.0.1", .user = "alice", .password = "secret",
                         .no_register = TRUE, .rtp_timeout_ms = 3000 };

  f->line = TB_LINE (tb_sip_line_new ("sip-test", &config, &error));
  g_assert_no_error (error);
  g_assert_true (tb_line_wait_ready (f->line, 5000, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->log, tb_state_log_free);
  tb_line_stop (f->line);
  g_clear_object (&f->call);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (f->line);
  g_clear_pointer (&f->sipp, tb_sipp_free);
}

static void
dial (Fixture    *f,
      const char *scenario,
      guint       ring_timeout_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbDialRequest) request = NULL;

  f->sipp = tb_sipp_start_uas (scenario, NULL);
  request = tb_dial_request_new (NULL);
  request->number = tb_sipp_dup_uri (f->sipp, "service");
  request->ring_timeout_ms = ring_timeout_ms;
  f->call = tb_line_dial (f->line, request, &error);
  g_assert_no_error (error);
  f->log = tb_state_log_new (f->call);
}

static void
assert_ended (Fixture         *f,
              TbCallEndReason  reason,
              int              code)
{
  g_assert_true (tb_state_log_wait (f->log, TB_CALL_STATE_ENDED, 20000));
  tb_state_log_assert_legal (f->log);
  g_test_message ("ended: %s %d %s",
                  tb_call_end_reason_to_string (tb_call_get_end_reason (f->call)),
                  tb_call_get_protocol_code (f->call),
                  tb_call_get_end_message (f->call) ? tb_call_get_end_message (f->call) : "");
  g_assert_cmpstr (tb_call_end_reason_to_string (tb_call_get_end_reason (f->call)), ==,
                   tb_call_end_reason_to_string (reason));
  g_assert_cmpint (tb_call_get_protocol_code (f->call), ==, code);
}

static gboolean
saw_state (Fixture     *f,
           TbCallState  state)
{
  for (guint i = 0; i < f->log->states->len; i++)
    if (g_array_index (f->log->states, TbCallState, i) == state)
      return TRUE;
  return FALSE;
}

/* Answered: we hear sipp's tone through the endpoint, then hang up (BYE). */
static void
test_answer_hang_up (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TbEndpointRun) run = NULL;

  dial (f, "uas-answer.xml", 10000);
  g_assert_true (tb_state_log_wait (f->log, TB_CALL_STATE_ANSWERED, 10000));
  g_assert_true (saw_state (f, TB_CALL_STATE_RINGING));
  run = tb_endpoint_run (f->call, NULL, NULL, 0, 1500);
  /* sipp's 440 Hz tone at half volume came through RTP, PCMU and the decoder. */
  g_test_message ("callee audio: %u bytes, %u voiced frames", run->callee->len,
                  tb_pcm_count_voiced (run->callee, 1000));
  g_assert_cmpuint (tb_pcm_count_voiced (run->callee, 1000), >, 25);
  g_assert_cmpuint (tb_sip_media_get_rx_packets (tb_sip_call_get_media (TB_SIP_CALL (f->call))),
                    >, 25);
  tb_call_hang_up (f->call);
  assert_ended (f, TB_CALL_END_REASON_COMPLETED, 0);
  tb_sipp_assert_success (f->sipp, 10000);
}

static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  dial (f, "uas-busy.xml", 10000);
  assert_ended (f, TB_CALL_END_REASON_BUSY, 486);
  tb_sipp_assert_success (f->sipp, 10000);
}

static void
test_unavailable (Fixture       *f,
                  gconstpointer  data)
{
  dial (f, "uas-503.xml", 10000);
  assert_ended (f, TB_CALL_END_REASON_FAILED, 503);
  g_assert_cmpuint (tb_call_get_retry_after (f->call), ==, 0);
  g_assert_cmpint (tb_line_get_retry_until (f->line), ==, 0);
  tb_sipp_assert_success (f->sipp, 10000);
}

/* A 503 that says for how long (Retry-After: 120): the call and then its line know it, so a
 * campaign's pool rests the line that long. */
static void
test_unavailable_retry_after (Fixture       *f,
                              gconstpointer  data)
{
  gint64 until;

  dial (f, "uas-503-retry.xml", 10000);
  assert_ended (f, TB_CALL_END_REASON_FAILED, 503);
  g_assert_cmpuint (tb_call_get_retry_after (f->call), ==, 120);
  until = tb_line_get_retry_until (f->line);
  g_assert_cmpint (until, >, g_get_monotonic_time () + 110 * G_USEC_PER_SEC);
  g_assert_cmpint (until, <=, g_get_monotonic_time () + 120 * G_USEC_PER_SEC);
  tb_sipp_assert_success (f->sipp, 10000);
}

/* Nobody answers: CANCEL at the ring timeout, sipp's 487 ends it as no_answer. */
static void
test_no_answer (Fixture       *f,
                gconstpointer  data)
{
  gint64 elapsed_ms;

  dial (f, "uas-no_answer.xml", 2000);
  assert_ended (f, TB_CALL_END_REASON_NO_ANSWER, 487);
  elapsed_ms = (f->log->ended_us - f->log->started_us) / 1000;
  g_assert_cmpint (elapsed_ms, >=, 1950);
  g_assert_cmpint (elapsed_ms, <, 5000);
  g_assert_true (saw_state (f, TB_CALL_STATE_RINGING));
  tb_sipp_assert_success (f->sipp, 10000);
}

/* We hang up while it rings: cancelled, not no_answer. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  dial (f, "uas-no_answer.xml", 20000);
  g_assert_true (tb_state_log_wait (f->log, TB_CALL_STATE_RINGING, 5000));
  tb_call_hang_up (f->call);
  assert_ended (f, TB_CALL_END_REASON_CANCELLED, 487);
  tb_sipp_assert_success (f->sipp, 10000);
}

/* 407 then the digest: sipp verifies alice/secret before it answers. */
static void
test_proxy_auth (Fixture       *f,
                 gconstpointer  data)
{
  dial (f, data ? data : "uas-auth.xml", 10000);
  g_assert_true (tb_state_log_wait (f->log, TB_CALL_STATE_ANSWERED, 10000));
  tb_call_hang_up (f->call);
  assert_ended (f, TB_CALL_END_REASON_COMPLETED, 0);
  tb_sipp_assert_success (f->sipp, 10000);
}

/* 183 with SDP: EARLY_MEDIA with audio flowing before the answer. */
static void
test_early_media (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TbEndpointRun) run = NULL;

  dial (f, "uas-early.xml", 10000);
  g_assert_true (tb_state_log_wait (f->log, TB_CALL_STATE_EARLY_MEDIA, 10000));
  g_assert_nonnull (tb_call_get_audio_source (f->call));
  g_assert_true (tb_state_log_wait (f->log, TB_CALL_STATE_ANSWERED, 10000));
  g_assert_true (saw_state (f, TB_CALL_STATE_EARLY_MEDIA));
  run = tb_endpoint_run (f->call, NULL, NULL, 0, 600);
  g_assert_cmpuint (tb_pcm_count_voiced (run->callee, 1000), >, 10);
  tb_call_hang_up (f->call);
  assert_ended (f, TB_CALL_END_REASON_COMPLETED, 0);
  tb_sipp_assert_success (f->sipp, 10000);
}

static void
test_callee_hangs_up (Fixture       *f,
                      gconstpointer  data)
{
  dial (f, "uas-callee_bye.xml", 10000);
  g_assert_true (tb_state_log_wait (f->log, TB_CALL_STATE_ANSWERED, 10000));
  assert_ended (f, TB_CALL_END_REASON_COMPLETED, 0);
  g_assert_cmpstr (tb_call_get_end_message (f->call), ==, "the callee hung up");
  /* sipp hung up 1.5 s in. */
  g_assert_cmpint (tb_call_get_duration_ms (f->call), >=, 1400);
  tb_sipp_assert_success (f->sipp, 10000);
}

static void
test_no_common_codec (Fixture       *f,
                      gconstpointer  data)
{
  dial (f, "uas-nocodec.xml", 10000);
  assert_ended (f, TB_CALL_END_REASON_FAILED, 488);
  g_assert_nonnull (strstr (tb_call_get_end_message (f->call), "no common codec"));
  g_assert_null (tb_call_get_audio_source (f->call));
  /* We still ACKed and sent BYE, which the scenario requires. */
  tb_sipp_assert_success (f->sipp, 10000);
}

static void
test_dtmf_received (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TbEndpointRun) run = NULL;

  dial (f, "uas-dtmf.xml", 10000);
  g_assert_true (tb_state_log_wait (f->log, TB_CALL_STATE_ANSWERED, 10000));
  /* Play the endpoint so the RTP flows through our bins. */
  run = tb_endpoint_run (f->call, NULL, NULL, 0, 2500);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_test_message ("dtmf received: \"%s\"", f->log->dtmf->str);
  g_assert_cmpstr (f->log->dtmf->str, ==, "1#");
  tb_call_hang_up (f->call);
  assert_ended (f, TB_CALL_END_REASON_COMPLETED, 0);
  tb_sipp_assert_success (f->sipp, 10000);
}

static void
transfer_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = tb_call_transfer_finish (TB_CALL (object), result, error);

  g_assert_true (ok == (*error == NULL));
  if (ok)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "ok");  /* marks "done" */
}

static void
test_refer (Fixture       *f,
            gconstpointer  data)
{
  GError *result = NULL;

  dial (f, "uas-refer.xml", 10000);
  g_assert_true (tb_state_log_wait (f->log, TB_CALL_STATE_ANSWERED, 10000));
  tb_call_transfer_async (f->call, "sip:sales@127.0.0.1", NULL, transfer_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* "ok" is the success marker; anything else is the REFER's error. */
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&result);
  assert_ended (f, TB_CALL_END_REASON_COMPLETED, 0);
  g_assert_cmpstr (tb_call_get_end_message (f->call), ==, "transferred");
  tb_sipp_assert_success (f->sipp, 10000);
}

/* Dead media: sipp answers and never sends RTP; the RTP timeout (3 s here) ends the call with
 * media_timeout and a BYE (which the scenario requires). */
static void
test_media_timeout (Fixture       *f,
                    gconstpointer  data)
{
  dial (f, "uas-silent.xml", 10000);
  g_assert_true (tb_state_log_wait (f->log, TB_CALL_STATE_ANSWERED, 10000));
  assert_ended (f, TB_CALL_END_REASON_MEDIA_TIMEOUT, 0);
  g_assert_cmpint (tb_call_get_duration_ms (f->call), >=, 2900);
  tb_sipp_assert_success (f->sipp, 10000);
}

/* baresip answers and plays a spoken WAV; we play ours. Both directions are checked on the
 * audio itself: our recording of the callee, and baresip's dump of what it decoded. */
static void
test_baresip_audio (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("telebot-wav-XXXXXX", NULL);
  g_autofree char *callee_wav = g_build_filename (dir, "callee.wav", NULL);
  g_autofree char *bot_wav = g_build_filename (dir, "bot.wav", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *received = NULL;
  g_autoptr(TbPeer) baresip = NULL;
  g_autoptr(TbEndpointRun) run = NULL;
  g_autoptr(TbStateLog) log = NULL;
  g_autoptr(GBytes) bot = NULL;
  g_autoptr(TbCall) call = NULL;
  TbSipConfig config = { .domain = "127.0.0.1" };
  TbLine *line;
  gchar *contents;
  gsize length;
  double rms = 0, seconds = 0;

  tb_peer_make_speech_wav ("Hello, this is Bob speaking. Yes, I would like to hear more about "
                           "your offer, please tell me.", callee_wav);
  tb_peer_make_speech_wav ("Good morning, this is the Acme Energy assistant calling.", bot_wav);
  g_assert_true (g_file_get_contents (bot_wav, &contents, &length, NULL));
  /* The WAV header is 44 bytes for sox's plain PCM output. */
  bot = g_bytes_new_take (g_memdup2 (contents + 44, length - 44), length - 44);
  g_free (contents);

  baresip = tb_peer_start_baresip (callee_wav, NULL);
  line = TB_LINE (tb_sip_line_new ("baresip", &config, &error));
  g_assert_no_error (error);
  g_assert_true (tb_line_wait_ready (line, 5000, &error));
  uri = g_strdup_printf ("sip:bob@127.0.0.1:%u", baresip->port);
  call = tb_line_dial_number (line, uri, &error);
  g_assert_no_error (error);
  log = tb_state_log_new (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ANSWERED, 10000));
  /* Keys go out as RFC 4733 events while the audio plays. */
  g_assert_true (tb_call_send_dtmf (call, "5#", &error));
  g_assert_no_error (error);
  run = tb_endpoint_run (call, bot, NULL, 0, 4000);
  g_test_message ("callee: %u bytes, %u voiced frames", run->callee->len,
                  tb_pcm_count_voiced (run->callee, 300));
  /* Bob's voice: most of 4 s of speech, not silence or a stuck tone. */
  g_assert_cmpuint (run->callee->len, >=, 3 * 16000);
  g_assert_cmpuint (tb_pcm_count_voiced (run->callee, 300), >, 60);
  {
    /* Symmetric RTP: we send where baresip's packets come from, whatever its SDP said. */
    g_autofree char *peer =
      tb_sip_media_dup_learned_peer (tb_sip_call_get_media (TB_SIP_CALL (call)));

    g_test_message ("RTP peer learned: %s", peer);
    g_assert_nonnull (peer);
    g_assert_true (g_str_has_prefix (peer, "127.0.0.1:"));
  }
  if (tb_call_get_state (call) != TB_CALL_STATE_ENDED)
    tb_call_hang_up (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ENDED, 10000));
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_COMPLETED);
  g_clear_pointer (&log, tb_state_log_free);
  g_clear_object (&call);
  tb_line_stop (line);
  g_assert_finalize_object (line);

  /* What baresip decoded from us: its sndfile dump of the incoming stream holds our ~3 s
   * prompt (silence would have an RMS near 0). */
  /* baresip closes (and so completes) the dump when it is done with the call. */
  g_assert_true (tb_peer_wait_log (baresip, "terminated (duration", 5000));
  received = tb_peer_find_wav (baresip, "-dec");
  g_assert_nonnull (received);
  for (int i = 0; i < 50; i++) {
    g_assert_true (tb_wav_stats (received, &rms, &seconds));
    if (seconds >= 3.0)
      break;
    g_usleep (100 * 1000);
  }
  g_test_message ("baresip received %.2f s, RMS %.3f", seconds, rms);
  g_assert_cmpfloat (seconds, >=, 3.0);
  g_assert_cmpfloat (rms, >, 0.03);
  /* And it heard our keys as RFC 4733 events, start and end of each. */
  g_assert_true (tb_peer_wait_log (baresip, "received event: '5' (end=1)", 1000));
  g_assert_true (tb_peer_wait_log (baresip, "received event: '#' (end=1)", 1000));
}

static TbLine *
kamailio_line (TbPeer     *kamailio,
               const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *domain = g_strdup_printf ("127.0.0.1:%u", kamailio->port);
  TbSipConfig config = { .domain = domain, .user = "alice", .password = password,
                         .register_expires = 6 };
  TbLine *line = TB_LINE (tb_sip_line_new ("kamailio", &config, &error));

  g_assert_no_error (error);
  return line;
}

/* REGISTER with digest auth against kamailio's subscriber table; a wrong password is an
 * ERROR state with the registrar's answer, not a crash or a hang. */
static void
test_kamailio_register (void)
{
  g_autoptr(TbPeer) kamailio = tb_peer_start_kamailio ();
  g_autoptr(GError) error = NULL;
  g_autofree char *last_error = NULL;
  TbLine *line = kamailio_line (kamailio, "secret");

  g_assert_true (tb_line_wait_ready (line, 10000, &error));
  g_assert_no_error (error);
  g_assert_true (tb_sip_line_get_registered (TB_SIP_LINE (line)));
  g_assert_true (tb_peer_wait_log (kamailio, "registered sip:alice@", 2000));
  {
    /* nua refreshes the 6 s registration by itself (with digest again), and stays READY. */
    g_autofree char *log = NULL;
    guint count = 0;
    gint64 deadline = g_get_monotonic_time () + 9 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < deadline) {
      g_autofree char *text = tb_peer_dup_log (kamailio);
      const char *p = text;

      for (count = 0; (p = strstr (p, "registered sip:alice@")) != NULL; p++)
        count++;
      if (count >= 2)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
    g_test_message ("REGISTERs accepted: %u", count);
    g_assert_cmpuint (count, >=, 2);
    g_assert_cmpint (tb_line_get_state (line), ==, TB_LINE_STATE_READY);
  }
  tb_line_stop (line);
  g_assert_cmpint (tb_line_get_state (line), ==, TB_LINE_STATE_OFFLINE);
  g_assert_finalize_object (line);

  line = kamailio_line (kamailio, "wrong");
  g_assert_false (tb_line_wait_ready (line, 10000, &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_READY);
  g_assert_cmpint (tb_line_get_state (line), ==, TB_LINE_STATE_ERROR);
  last_error = tb_line_dup_last_error (line);
  g_test_message ("last error: %s", last_error);
  g_assert_nonnull (strstr (last_error, "REGISTER alice@"));
  g_assert_nonnull (strstr (last_error, "401"));
  tb_line_stop (line);
  g_assert_finalize_object (line);
}

static gboolean
secrets_on_bus (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (
    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
    "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(b)"),
    G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A password from a file: its owner's alone, or refused; a variable the config names wins. */
static void
test_password_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("telebot-pw-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pw", NULL);
  g_autofree char *config = NULL;
  g_autoptr(GError) error = NULL;
  TbLine *line;

  g_assert_true (g_file_set_contents (path, "secret\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  config = g_strdup_printf ("{\"domain\":\"127.0.0.1:9\",\"user\":\"alice\","
                            "\"password_file\":\"%s\"}", path);
  g_assert_null (tb_sip_line_new_from_config ("filed", config, 4, &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "others may read it"));
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  line = TB_LINE (tb_sip_line_new_from_config ("filed", config, 4, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (line);

  /* The variable comes first: unset, it is the error, whatever the file holds. */
  g_clear_pointer (&config, g_free);
  config = g_strdup_printf ("{\"domain\":\"127.0.0.1:9\",\"user\":\"alice\","
                            "\"password_env\":\"TB_TEST_NO_SUCH_VARIABLE\","
                            "\"password_file\":\"%s\"}", path);
  g_assert_null (tb_sip_line_new_from_config ("filed", config, 4, &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "TB_TEST_NO_SUCH_VARIABLE"));
  g_unlink (path);
  g_rmdir (dir);
}

/* The password from libsecret: stored with tb_sip_line_store_password, found by a line built
 * from its stored config (which holds no password), and good enough for kamailio's digest.
 * A keyring daemon of our own runs on the test's private session bus. */
static void
test_keyring_password (void)
{
  g_autoptr(TbPeer) kamailio = NULL;
  g_autoptr(GSubprocess) keyring = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *runtime = NULL;
  const char *argv[] = { "gnome-keyring-daemon", "--unlock", "--components=secrets",
                         "--foreground", "--replace", NULL };
  TbLine *line;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL) {
    g_test_skip ("needs a session bus (run under dbus-run-session, as ./dev test does)");
    return;
  }
  runtime = g_build_filename (g_get_user_runtime_dir (), "keyring-test", NULL);
  g_mkdir_with_parents (runtime, 0700);
  {
    /* Its files go to the test's own (isolated) directories. */
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                 G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);

    g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
    g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
    keyring = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
  }
  /* --unlock reads the new login keyring's password from stdin, up to EOF. */
  g_assert_true (g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring), "test", 4,
                                            NULL, NULL, &error));
  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (keyring), NULL, &error));
  g_assert_no_error (error);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 100 && !secrets_on_bus (bus); i++)
    g_usleep (50 * 1000);
  g_assert_true (secrets_on_bus (bus));

  kamailio = tb_peer_start_kamailio ();
  /* Stored the way the line dialog stores it (async), found the way every line is built. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    tb_sip_line_store_password_async ("keyring-line", "secret", NULL, on_async_done, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (tb_sip_line_store_password_finish (result, &error));
    g_assert_no_error (error);
  }
  config = g_strdup_printf ("{\"domain\":\"127.0.0.1:%u\",\"user\":\"alice\"}", kamailio->port);
  line = TB_LINE (tb_sip_line_new_from_config ("keyring-line", config, 4, &error));
  g_assert_no_error (error);
  g_assert_true (tb_line_wait_ready (line, 10000, &error));
  g_assert_no_error (error);
  g_assert_true (tb_sip_line_get_registered (TB_SIP_LINE (line)));
  tb_line_stop (line);
  g_assert_finalize_object (line);

  /* A password an older Telebot kept under its own schema is still found. */
  {
    static const SecretSchema old_schema = {
      "com.example.Telebot.Sip", SECRET_SCHEMA_NONE,
      { { "line", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
    };

    g_assert_true (secret_password_store_sync (&old_schema, SECRET_COLLECTION_DEFAULT, "old",
                                               "secret", NULL, &error, "line", "old-line", NULL));
    g_assert_no_error (error);
    line = TB_LINE (tb_sip_line_new_from_config ("old-line", config, 4, &error));
    g_assert_no_error (error);
    g_assert_true (tb_line_wait_ready (line, 10000, &error));
    g_assert_no_error (error);
    tb_line_stop (line);
    g_assert_finalize_object (line);
  }

  /* The speech key and the webhook secret, saved from the window's pages (tb_secret_store_async),
   * are what the command line's lookups read: one schema, one rule. */
  {
    g_autofree char *dir = g_dir_make_tmp ("telebot-keyring-XXXXXX", NULL);
    g_autofree char *db = g_build_filename (dir, "t.db", NULL);
    g_autoptr(TbStore) store = tb_store_open (db, &error);
    const TbSecretKind *kinds[] = { tb_speech_service_key_kind (), tb_webhook_secret_kind () };

    g_assert_no_error (error);
    g_assert_true (tb_store_set_setting (store, TB_SPEECH_SETTING_URL, "http://127.0.0.1:9/",
                                         &error));
    g_assert_true (tb_store_set_setting (store, TB_WEBHOOK_SETTING_URL, "http://127.0.0.1:9/h",
                                         &error));
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++) {
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *found = NULL;
      g_autofree char *where = NULL;
      const char *url = i == 0 ? "http://127.0.0.1:9/" : "http://127.0.0.1:9/h";

      tb_secret_store_async (store, kinds[i], url, i == 0 ? "key-0" : "key-1", NULL,
                             on_async_done, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (tb_secret_store_finish (store, result, &error));
      g_assert_no_error (error);
      g_assert_true (tb_secret_lookup (store, kinds[i], &found, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (found, ==, i == 0 ? "key-0" : "key-1");
      where = tb_secret_describe (store, kinds[i]);
      g_assert_cmpstr (where, ==, "keyring");
    }
    g_assert_finalize_object (g_steal_pointer (&store));
    for (const char * const *f = (const char * const[]) { "t.db", "t.db-wal", "t.db-shm", "audit.key",
                                                          NULL }; *f != NULL; f++) {
      g_autofree char *path = g_build_filename (dir, *f, NULL);

      g_unlink (path);
    }
    g_rmdir (dir);
  }

  /* A line whose password is nowhere is an error that says so, not an unregistered line. */
  g_assert_null (tb_sip_line_new_from_config ("no-such-line", config, 4, &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no password"));
  g_subprocess_send_signal (keyring, SIGTERM);
  g_subprocess_wait (keyring, NULL, NULL);
}

static guint
count_registrations (TbPeer *kamailio)
{
  g_autofree char *log = tb_peer_dup_log (kamailio);
  const char *p = log;
  guint n = 0;

  while ((p = strstr (p, "registered sip:alice@")) != NULL) {
    n++;
    p++;
  }
  return n;
}

/* #18 §5, one owner per live line: two campaigns and the Lines page asking for one SIP
 * account get the one started line (tb-line-registry.h), and kamailio sees one registration;
 * an edited configuration is a new line while the old one's holders keep theirs; the last
 * release stops the line. */
static void
test_registry_one_registration (void)
{
  g_autoptr(TbPeer) kamailio = tb_peer_start_kamailio ();
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *edited_config = NULL;
  TbLine *campaign_a, *campaign_b, *page, *edited;
  gint64 deadline;

  g_setenv ("TB_TEST_REGISTRY_PASSWORD", "secret", TRUE);
  config = g_strdup_printf ("{\"domain\":\"127.0.0.1:%u\",\"user\":\"alice\","
                            "\"password_env\":\"TB_TEST_REGISTRY_PASSWORD\"}", kamailio->port);
  /* Looking a line up starts nothing (the New Campaign dialog shows states this way). */
  g_assert_null (tb_line_registry_lookup ("office", "sip", config, 4));
  campaign_a = tb_line_registry_acquire ("office", "sip", config, 4, &error);
  g_assert_no_error (error);
  campaign_b = tb_line_registry_acquire ("office", "sip", config, 4, &error);
  g_assert_no_error (error);
  page = tb_line_registry_acquire ("office", "sip", config, 4, &error);
  g_assert_no_error (error);
  g_assert_true (campaign_a == campaign_b && campaign_b == page);
  g_assert_cmpuint (tb_line_registry_get_holders (page), ==, 3);
  g_assert_true (tb_line_registry_lookup ("office", "sip", config, 4) == page);
  g_assert_cmpuint (tb_line_registry_get_holders (page), ==, 3);
  g_assert_true (tb_line_wait_ready (page, 10000, &error));
  g_assert_no_error (error);
  g_assert_true (tb_peer_wait_log (kamailio, "registered sip:alice@", 2000));
  /* A second registration would follow the first within milliseconds; give it a second. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_registrations (kamailio), ==, 1);

  /* An edit is a new line; the campaigns keep the one they run on. */
  edited_config = g_strdup_printf ("{\"domain\":\"127.0.0.1:%u\",\"user\":\"alice\","
                                   "\"password_env\":\"TB_TEST_REGISTRY_PASSWORD\","
                                   "\"register_expires\":60}", kamailio->port);
  edited = tb_line_registry_acquire ("office", "sip", edited_config, 4, &error);
  g_assert_no_error (error);
  g_assert_true (edited != campaign_a);
  g_assert_cmpuint (tb_line_registry_get_holders (campaign_a), ==, 3);
  g_assert_true (tb_line_registry_lookup ("office", "sip", config, 4) == campaign_a);
  g_assert_true (tb_line_registry_lookup ("office", "sip", edited_config, 4) == edited);
  tb_line_registry_release (page);
  tb_line_registry_release (campaign_b);
  g_assert_cmpint (tb_line_get_state (campaign_a), ==, TB_LINE_STATE_READY);

  /* The last holder stops it: the line is gone. */
  g_object_add_weak_pointer (G_OBJECT (campaign_a), (gpointer *) &campaign_a);
  tb_line_registry_release (campaign_a);
  g_assert_null (campaign_a);
  g_assert_null (tb_line_registry_lookup ("office", "sip", config, 4));
  tb_line_registry_release (edited);
}

/* A registered line calls bob (baresip, registered too) through kamailio, which challenges
 * our INVITE with 407 and relays it. */
static void
test_kamailio_call (void)
{
  g_autoptr(TbPeer) kamailio = tb_peer_start_kamailio ();
  g_autoptr(TbPeer) baresip = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *registrar = g_strdup_printf ("127.0.0.1:%u", kamailio->port);
  g_autofree char *dir = g_dir_make_tmp ("telebot-wav-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "bob.wav", NULL);
  g_autoptr(TbStateLog) log = NULL;
  g_autoptr(TbEndpointRun) run = NULL;
  TbLine *line = kamailio_line (kamailio, "secret");
  TbCall *call;

  tb_peer_make_speech_wav ("Hello, Bob here. Who is calling please?", wav);
  baresip = tb_peer_start_baresip (wav, registrar);
  g_assert_true (tb_peer_wait_log (baresip, "200 OK", 10000));
  g_assert_true (tb_line_wait_ready (line, 10000, &error));
  g_assert_no_error (error);

  call = tb_line_dial_number (line, "bob", &error);
  g_assert_no_error (error);
  log = tb_state_log_new (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ANSWERED, 10000));
  g_assert_true (tb_peer_wait_log (kamailio, "relaying INVITE to sip:", 1000));
  run = tb_endpoint_run (call, NULL, NULL, 0, 2000);
  g_assert_cmpuint (tb_pcm_count_voiced (run->callee, 300), >, 30);
  if (tb_call_get_state (call) != TB_CALL_STATE_ENDED)
    tb_call_hang_up (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ENDED, 10000));
  tb_state_log_assert_legal (log);
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_COMPLETED);
  g_clear_pointer (&log, tb_state_log_free);
  g_object_unref (call);
  tb_line_stop (line);
  g_assert_finalize_object (line);
}

/* An outbound proxy takes every request, whatever the domain says (here one that does not even
 * resolve); and TCP as the transport, sipp listening on TCP only. */
static void
test_proxy_and_tcp (void)
{
  const char *tcp[] = { "-t", "t1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbSipp) sipp = NULL;
  g_autoptr(TbSipp) sipp_tcp = NULL;
  g_autoptr(TbStateLog) log = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *domain = NULL;
  TbCall *call;
  TbLine *line;

  sipp = tb_sipp_start_uas ("uas-busy.xml", NULL);
  proxy = g_strdup_printf ("sip:127.0.0.1:%u", tb_sipp_get_port (sipp));
  {
    TbSipConfig config = { .domain = "pbx.telebot.invalid", .outbound_proxy = proxy };

    line = TB_LINE (tb_sip_line_new ("proxied", &config, &error));
  }
  g_assert_no_error (error);
  g_assert_true (tb_line_wait_ready (line, 5000, &error));
  g_assert_no_error (error);
  call = tb_line_dial_number (line, "+15550100", &error);
  g_assert_no_error (error);
  log = tb_state_log_new (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ENDED, 10000));
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_BUSY);
  g_assert_cmpint (tb_call_get_protocol_code (call), ==, 486);
  tb_sipp_assert_success (sipp, 10000);
  g_clear_pointer (&log, tb_state_log_free);
  g_object_unref (call);
  tb_line_stop (line);
  g_assert_finalize_object (line);

  sipp_tcp = tb_sipp_start_uas ("uas-answer.xml", tcp);
  domain = g_strdup_printf ("127.0.0.1:%u", tb_sipp_get_port (sipp_tcp));
  {
    TbSipConfig config = { .domain = domain, .transport = "tcp" };

    line = TB_LINE (tb_sip_line_new ("tcp", &config, &error));
  }
  g_assert_no_error (error);
  g_assert_true (tb_line_wait_ready (line, 5000, &error));
  call = tb_line_dial_number (line, "service", &error);
  g_assert_no_error (error);
  log = tb_state_log_new (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ANSWERED, 10000));
  tb_call_hang_up (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ENDED, 10000));
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_COMPLETED);
  tb_sipp_assert_success (sipp_tcp, 10000);
  g_clear_pointer (&log, tb_state_log_free);
  g_object_unref (call);
  tb_line_stop (line);
  g_assert_finalize_object (line);
}

/* Telebot only calls out: an INVITE to the line is turned down with 480, cleanly. */
static void
test_incoming_rejected (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbSipp) sipp = NULL;
  TbSipConfig config = { .domain = "127.0.0.1" };
  TbLine *line = TB_LINE (tb_sip_line_new ("inbound", &config, &error));
  const char *contact;

  g_assert_no_error (error);
  g_assert_true (tb_line_wait_ready (line, 5000, &error));
  contact = tb_sip_line_get_contact (TB_SIP_LINE (line));
  g_assert_true (g_str_has_prefix (contact, "sip:127.0.0.1:"));
  sipp = tb_sipp_start_uac ("uac-expect-480.xml", contact + strlen ("sip:"), 1, 1, NULL);
  tb_sipp_assert_success (sipp, 10000);
  g_assert_cmpuint (tb_line_get_n_calls (line), ==, 0);
  tb_line_stop (line);
  g_assert_finalize_object (line);
}

static void
test_end_reason_mapping (void)
{
  g_assert_cmpint (tb_sip_end_reason_for_status (486), ==, TB_CALL_END_REASON_BUSY);
  g_assert_cmpint (tb_sip_end_reason_for_status (600), ==, TB_CALL_END_REASON_BUSY);
  g_assert_cmpint (tb_sip_end_reason_for_status (480), ==, TB_CALL_END_REASON_NO_ANSWER);
  g_assert_cmpint (tb_sip_end_reason_for_status (603), ==, TB_CALL_END_REASON_REJECTED);
  g_assert_cmpint (tb_sip_end_reason_for_status (404), ==, TB_CALL_END_REASON_UNREACHABLE);
  g_assert_cmpint (tb_sip_end_reason_for_status (302), ==, TB_CALL_END_REASON_UNREACHABLE);
  g_assert_cmpint (tb_sip_end_reason_for_status (503), ==, TB_CALL_END_REASON_FAILED);
}

static void
test_sdp_answer (void)
{
  g_autoptr(GError) error = NULL;
  const char *pcma = "v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
                     "m=audio 4000 RTP/AVP 8 96\r\na=rtpmap:8 PCMA/8000\r\n"
                     "a=rtpmap:96 telephone-event/8000\r\n";
  const char *g729 = "v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
                     "m=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n";
  TbSipSdpAnswer answer;
  g_autofree char *offer = tb_sip_sdp_build_offer ("192.0.2.1", 5004, 42);

  g_assert_true (tb_sip_sdp_parse_answer (pcma, strlen (pcma), &answer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (answer.address, ==, "10.0.0.2");
  g_assert_cmpuint (answer.port, ==, 4000);
  g_assert_cmpint (answer.audio_pt, ==, TB_SIP_PT_PCMA);
  g_assert_cmpint (answer.dtmf_pt, ==, 96);
  tb_sip_sdp_answer_clear (&answer);
  g_assert_false (tb_sip_sdp_parse_answer (g729, strlen (g729), &answer, &error));
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED);
  g_assert_nonnull (strstr (offer, "m=audio 5004 RTP/AVP 0 8 101\r\n"));
  g_assert_nonnull (strstr (offer, "a=rtpmap:101 telephone-event/8000\r\n"));

  /* What the network sends is bounded: an answer of up to TB_SIP_SDP_MAX_LENGTH bytes is read
   * (here with 8 kB of attributes nobody knows), one byte more is refused unread, and so are a
   * megabyte, a NUL inside and a thousand m= lines' worth of payload types. */
  {
    g_autoptr(GString) sdp = g_string_new (pcma);
    g_autofree char *huge = g_strnfill (1 << 20, 'a');

    while (sdp->len < TB_SIP_SDP_MAX_LENGTH - 16)
      g_string_append (sdp, "a=x-unknown:1\r\n");
    while (sdp->len < TB_SIP_SDP_MAX_LENGTH)
      g_string_append_c (sdp, '\n');
    g_clear_error (&error);
    g_assert_true (tb_sip_sdp_parse_answer (sdp->str, sdp->len, &answer, &error));
    g_assert_no_error (error);
    g_assert_cmpint (answer.audio_pt, ==, TB_SIP_PT_PCMA);
    tb_sip_sdp_answer_clear (&answer);
    g_string_append_c (sdp, '\n');
    g_assert_false (tb_sip_sdp_parse_answer (sdp->str, sdp->len, &answer, &error));
    g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "longer than 8192 bytes"));
    g_clear_error (&error);
    g_assert_false (tb_sip_sdp_parse_answer (huge, 1 << 20, &answer, &error));
    g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED);
    g_clear_error (&error);
    g_assert_false (tb_sip_sdp_parse_answer ("v=0\r\n\0m=audio", 13, &answer, &error));
    g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED);
    g_clear_error (&error);
    g_string_assign (sdp, "v=0\r\nc=IN IP4 10.0.0.2\r\nm=audio 4000 RTP/AVP");
    while (sdp->len < TB_SIP_SDP_MAX_LENGTH - 8)
      g_string_append (sdp, " 127");
    g_string_append (sdp, " 0\r\n");
    g_assert_true (tb_sip_sdp_parse_answer (sdp->str, sdp->len, &answer, &error));
    g_assert_no_error (error);
    g_assert_cmpint (answer.audio_pt, ==, TB_SIP_PT_PCMU);
    tb_sip_sdp_answer_clear (&answer);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gst_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/telebot/sip-line/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("answer-hang-up", test_answer_hang_up);
  ADD ("busy", test_busy);
  ADD ("503", test_unavailable);
  ADD ("503-retry-after", test_unavailable_retry_after);
  ADD ("no-answer-cancel", test_no_answer);
  ADD ("hang-up-while-ringing", test_cancel);
  ADD ("407-challenge", test_proxy_auth);
  g_test_add ("/telebot/sip-line/401-challenge", Fixture, "uas-auth401.xml", fixture_set_up,
              test_proxy_auth, fixture_tear_down);
  ADD ("early-media", test_early_media);
  ADD ("callee-hangs-up", test_callee_hangs_up);
  ADD ("no-common-codec", test_no_common_codec);
  ADD ("dtmf-received", test_dtmf_received);
  ADD ("refer", test_refer);
  ADD ("media-timeout", test_media_timeout);
#undef ADD
  g_test_add_func ("/telebot/sip-line/baresip-audio", test_baresip_audio);
  g_test_add_func ("/telebot/sip-line/kamailio-register", test_kamailio_register);
  g_test_add_func ("/telebot/sip-line/kamailio-call", test_kamailio_call);
  g_test_add_func ("/telebot/sip-line/keyring-password", test_keyring_password);
  g_test_add_func ("/telebot/sip-line/password-file", test_password_file);
  g_test_add_func ("/telebot/sip-line/registry-one-registration",
                   test_registry_one_registration);
  g_test_add_func ("/telebot/sip-line/outbound-proxy-and-tcp", test_proxy_and_tcp);
  g_test_add_func ("/telebot/sip-line/incoming-rejected", test_incoming_rejected);
  g_test_add_func ("/telebot/sip-line/end-reasons", test_end_reason_mapping);
  g_test_add_func ("/telebot/sip-line/sdp-answer", test_sdp_answer);
  return g_test_run ();
}
