/* test-line-contract.c — the same assertions on every line backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dial → states in legal order → answered → the audio endpoint's caps are S16LE/8000/mono →
 * hang up → ENDED(completed); busy → ENDED(busy); no answer → ENDED(no_answer) after the ring
 * timeout. Sim (real time and fast); a USB modem against its pty simulator (tb-modem-sim,
 * real AT commands and a PCM port); SIP against sipp when built with sofia-sip.
 */
#include "config.h"

#include "tb-line-test-util.h"
#include "tb-modem-line.h"
#include "tb-modem-test-util.h"
#include "tb-sim-line.h"
#ifdef HAVE_SIP
#include "tb-sip-line.h"
#include "tb-sipp.h"
#endif

#define RING_TIMEOUT_MS 2000

typedef struct _Backend Backend;

typedef struct {
  const Backend *backend;
  TbLine        *line;
  gpointer       peer;     /* backend's peer (sipp) */
  Sim           *modem;    /* the modem backend's simulator */
  char          *dir;
} Fixture;

struct _Backend {
  const char *name;
  TbLine   *(*make_line) (Fixture *f);
  /* Starts the peer for "answer", "busy" or "no_answer" and fills the request. */
  void      (*prepare)   (Fixture *f, const char *scenario, TbDialRequest *request);
  /* Asserts the peer's own verdict once the call ended. */
  void      (*verify)    (Fixture *f, const char *scenario);
};

static TbLine *
sim_make_line (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TbSimLine *line = tb_sim_line_new ("sim", FALSE, 1, NULL, &error);

  g_assert_no_error (error);
  return TB_LINE (line);
}

static TbLine *
sim_fast_make_line (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TbSimLine *line = tb_sim_line_new ("sim-fast", TRUE, 1, NULL, &error);

  g_assert_no_error (error);
  return TB_LINE (line);
}

static void
sim_prepare (Fixture       *f,
             const char    *scenario,
             TbDialRequest *request)
{
  request->number = g_strdup ("+15550100");
  /* "answer" is a person who waits for the bot: "silent" says nothing and hangs up late. */
  request->persona = g_strdup (g_str_equal (scenario, "answer") ? "silent" : scenario);
}

static void
sim_verify (Fixture    *f,
            const char *scenario)
{
}

/* The modem simulator's callees: the number is the scenario. */
static const char *
modem_number (const char *scenario)
{
  return g_str_equal (scenario, "answer") ? "100" : g_str_equal (scenario, "busy") ? "200"
         : "300";
}

/* TRUE if the simulator logged an event starting with @prefix ("END ", …). */
static gboolean
modem_logged (Fixture    *f,
              const char *prefix)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (f->modem->events, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return TRUE;
  return FALSE;
}

static TbLine *
modem_make_line (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  TbModemLine *line;

  f->modem = g_new0 (Sim, 1);
  sim_start (f->modem, "huawei", NULL, "--callee=100:answer:0.5", "--callee=200:busy:0.5",
             "--callee=300:noanswer:60", NULL);  /* the network would give up after 60 s */
  config = g_strdup_printf ("{\"device\": \"%s\", \"audio\": \"%s\"}", f->modem->at,
                            f->modem->pcm);
  line = tb_modem_line_new_from_config ("modem", config, 0, &error);
  g_assert_no_error (error);
  tb_line_start (TB_LINE (line));
  return TB_LINE (line);
}

static void
modem_prepare (Fixture       *f,
               const char    *scenario,
               TbDialRequest *request)
{
  request->number = g_strdup (modem_number (scenario));
}

static void
modem_verify (Fixture    *f,
              const char *scenario)
{
  g_autofree char *dial = g_strdup_printf ("DIAL %s", modem_number (scenario));

  /* The modem was really asked, and the call really ended on its side too. */
  WAIT_FOR (modem_logged (f, "END "), 5000);
  g_assert_true (sim_has_event (f->modem, dial));
  if (g_str_equal (scenario, "answer"))
    g_assert_true (sim_has_event (f->modem, "ANSWER 100"));
}

#ifdef HAVE_SIP
static TbLine *
sip_make_line (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TbSipConfig config = { .domain = "127.0.0.1", .transport = "udp" };
  TbSipLine *line = tb_sip_line_new ("sip", &config, &error);

  g_assert_no_error (error);
  return TB_LINE (line);
}

static void
sip_prepare (Fixture       *f,
             const char    *scenario,
             TbDialRequest *request)
{
  g_autofree char *xml = g_strdup_printf ("uas-%s.xml", scenario);
  TbSipp *sipp = tb_sipp_start_uas (xml, NULL);

  f->peer = sipp;
  request->number = tb_sipp_dup_uri (sipp, "service");
}

static void
sip_verify (Fixture    *f,
            const char *scenario)
{
  tb_sipp_assert_success (f->peer, 20000);
}
#endif

static const Backend backends[] = {
  { "sim", sim_make_line, sim_prepare, sim_verify },
  { "sim-fast", sim_fast_make_line, sim_prepare, sim_verify },
  { "modem", modem_make_line, modem_prepare, modem_verify },
#ifdef HAVE_SIP
  { "sip", sip_make_line, sip_prepare, sip_verify },
#endif
};

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->backend = data;
  f->line = f->backend->make_line (f);
  g_assert_true (tb_line_wait_ready (f->line, 10000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tb_line_get_state (f->line), ==, TB_LINE_STATE_READY);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tb_line_stop (f->line);
  g_assert_cmpint (tb_line_get_state (f->line), ==, TB_LINE_STATE_OFFLINE);
  /* Let queued main-loop work (ended calls' cleanup) run before checking for leaks. */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (f->line);
#ifdef HAVE_SIP
  g_clear_pointer ((TbSipp **) &f->peer, tb_sipp_free);
#endif
  if (f->modem != NULL) {
    sim_stop (f->modem);
    g_clear_pointer (&f->modem, g_free);
  }
}

static void
test_answer_hang_up (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TbDialRequest) request = g_new0 (TbDialRequest, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCall) call = NULL;
  g_autoptr(TbStateLog) log = NULL;
  g_autoptr(TbEndpointRun) run = NULL;
  g_autoptr(GstCaps) want = gst_caps_from_string (TB_CALL_AUDIO_CAPS);
  GstStructure *s;
  int rate = 0, channels = 0;

  f->backend->prepare (f, "answer", request);
  call = tb_line_dial (f->line, request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (call);
  g_assert_cmpint (tb_call_get_state (call), ==, TB_CALL_STATE_DIALING);
  g_assert_cmpstr (tb_call_get_number (call), ==, request->number);
  g_assert_cmpuint (tb_line_get_n_calls (f->line), ==, 1);
  log = tb_state_log_new (call);
  /* No endpoint before media. */
  g_assert_null (tb_call_get_audio_source (call));

  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ANSWERED, 15000));
  g_assert_cmpint (tb_call_get_answered_at (call), >=, tb_call_get_dialed_at (call));

  run = tb_endpoint_run (call, NULL, NULL, 0, 1000);
  g_assert_nonnull (run->caps);
  g_assert_true (gst_caps_is_subset (run->caps, want));
  s = gst_caps_get_structure (run->caps, 0);
  g_assert_cmpstr (gst_structure_get_string (s, "format"), ==, "S16LE");
  g_assert_true (gst_structure_get_int (s, "rate", &rate));
  g_assert_true (gst_structure_get_int (s, "channels", &channels));
  g_assert_cmpint (rate, ==, 8000);
  g_assert_cmpint (channels, ==, 1);
  g_assert_cmpuint (run->callee->len, >, 0);
  g_assert_cmpuint (run->callee->len % 2, ==, 0);
  /* 20 ms buffers (160 samples); one short one may close a stream. */
  g_test_message ("%u callee buffers, %u not 20 ms", run->buffers, run->odd_buffers);
  g_assert_cmpuint (run->buffers, >=, 10);
  g_assert_cmpuint (run->odd_buffers, <=, 1);

  g_assert_cmpint (tb_call_get_state (call), ==, TB_CALL_STATE_ANSWERED);
  tb_call_hang_up (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ENDED, 10000));
  tb_state_log_assert_legal (log);
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_COMPLETED);
  g_assert_cmpint (tb_call_get_duration_ms (call), >, 0);
  g_assert_cmpuint (tb_line_get_n_calls (f->line), ==, 0);
  f->backend->verify (f, "answer");
}

static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TbDialRequest) request = g_new0 (TbDialRequest, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCall) call = NULL;
  g_autoptr(TbStateLog) log = NULL;

  f->backend->prepare (f, "busy", request);
  call = tb_line_dial (f->line, request, &error);
  g_assert_no_error (error);
  log = tb_state_log_new (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ENDED, 15000));
  tb_state_log_assert_legal (log);
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_BUSY);
  g_assert_cmpint (tb_call_get_answered_at (call), ==, 0);
  f->backend->verify (f, "busy");
}

static void
test_no_answer (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TbDialRequest) request = g_new0 (TbDialRequest, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCall) call = NULL;
  g_autoptr(TbStateLog) log = NULL;
  gint64 elapsed_ms;

  f->backend->prepare (f, "no_answer", request);
  request->ring_timeout_ms = RING_TIMEOUT_MS;
  call = tb_line_dial (f->line, request, &error);
  g_assert_no_error (error);
  log = tb_state_log_new (call);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ENDED, 15000));
  elapsed_ms = (log->ended_us - log->started_us) / 1000;
  tb_state_log_assert_legal (log);
  /* It rang, and gave up at the timeout — not before, not much after. */
  g_assert_cmpint (g_array_index (log->states, TbCallState, 1), ==, TB_CALL_STATE_RINGING);
  g_assert_cmpint (tb_call_get_end_reason (call), ==, TB_CALL_END_REASON_NO_ANSWER);
  if (g_str_equal (f->backend->name, "sim-fast")) {
    g_assert_cmpint (elapsed_ms, <, RING_TIMEOUT_MS);
  } else {
    g_assert_cmpint (elapsed_ms, >=, RING_TIMEOUT_MS - 50);
    g_assert_cmpint (elapsed_ms, <, RING_TIMEOUT_MS + 3000);
  }
  f->backend->verify (f, "no_answer");
}

static void
test_not_ready (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbSimLine) line = tb_sim_line_new ("off", FALSE, 0, NULL, &error);
  TbCall *call;

  g_assert_no_error (error);
  call = tb_line_dial_number (TB_LINE (line), "+15550100", &error);
  g_assert_null (call);
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_READY);
}

/* max-calls is enforced by the interface for every backend. */
static void
test_max_calls (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TbDialRequest) request = g_new0 (TbDialRequest, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCall) first = NULL;
  g_autoptr(TbStateLog) log = NULL;
  TbCall *second;

  f->backend->prepare (f, "no_answer", request);
  g_object_set (f->line, "max-calls", 1, NULL);
  g_assert_cmpint (tb_line_get_max_calls (f->line), ==, 1);
  first = tb_line_dial (f->line, request, &error);
  g_assert_no_error (error);
  log = tb_state_log_new (first);
  second = tb_line_dial (f->line, request, &error);
  g_assert_null (second);
  g_assert_error (error, TB_LINE_ERROR, TB_LINE_ERROR_BUSY);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_RINGING, 10000));
  tb_call_hang_up (first);
  g_assert_true (tb_state_log_wait (log, TB_CALL_STATE_ENDED, 10000));
  g_assert_cmpint (tb_call_get_end_reason (first), ==, TB_CALL_END_REASON_CANCELLED);
  g_assert_cmpuint (tb_line_get_n_calls (f->line), ==, 0);
  f->backend->verify (f, "no_answer");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gst_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (backends); i++) {
    const Backend *b = &backends[i];
    g_autofree char *p1 = g_strdup_printf ("/telebot/line-contract/%s/answer-hang-up", b->name);
    g_autofree char *p2 = g_strdup_printf ("/telebot/line-contract/%s/busy", b->name);
    g_autofree char *p3 = g_strdup_printf ("/telebot/line-contract/%s/no-answer", b->name);
    g_autofree char *p4 = g_strdup_printf ("/telebot/line-contract/%s/max-calls", b->name);

    g_test_add (p1, Fixture, b, fixture_set_up, test_answer_hang_up, fixture_tear_down);
    g_test_add (p2, Fixture, b, fixture_set_up, test_busy, fixture_tear_down);
    g_test_add (p3, Fixture, b, fixture_set_up, test_no_answer, fixture_tear_down);
    g_test_add (p4, Fixture, b, fixture_set_up, test_max_calls, fixture_tear_down);
  }
  g_test_add_func ("/telebot/line-contract/not-ready", test_not_ready);
  return g_test_run ();
}
