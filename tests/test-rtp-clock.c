/* test-rtp-clock.c — the callee's audio runs on the clock (DESIGN.md §3), against a sender on
 * 127.0.0.1 that behaves like real phones and networks: silence suppression (no packets while
 * the callee is quiet), comfort noise, 5 % loss with 60 ms jitter and reordering, a timestamp
 * jump, an SSRC change. The SIP line's media (TbSipMedia) feeds a real TbMediaSession; for each
 * peer: the no-input timer fires on time (±100 ms), AMD says "person" after "Hello?" and
 * silence, the words after the silence are recognized with their intent, and the recording is
 * as long as the call (±100 ms).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-rtp-clock"

#include "config.h"

#include <gio/gio.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "tb-media-session.h"
#include "tb-pocketsphinx.h"
#include "tb-recognizer.h"
#include "tb-sip-media.h"
#include "tb-sip-sdp.h"

typedef struct {
  const char *name;
  double      silence_s;     /* between "hello" and the words */
  int         cn;            /* comfort noise level (-dBov), -1: none */
  double      loss;
  double      jitter_ms;
  gboolean    ts_jump;       /* before the words */
  gboolean    ssrc_change;   /* before the words */
} Peer;

typedef struct {
  const Peer *peer;
  GSocket    *socket;
  GSocketAddress *to;
  GBytes     *hello;         /* u-law */
  GBytes     *words;
  GCancellable *cancel;
} Sender;

/* espeak-ng's words as 8 kHz u-law. */
static GBytes *
render_ulaw (const char *text,
             const char *dir,
             const char *name)
{
  g_autofree char *wav = g_build_filename (dir, name, NULL);
  g_autofree char *wav_file = g_strconcat (wav, ".wav", NULL);
  g_autofree char *ul = g_strconcat (wav, ".ul", NULL);
  const char *speak[] = { "espeak-ng", "-v", "en", "-s", "165", "-w", wav_file, text, NULL };
  const char *convert[] = { "sox", wav_file, "-r", "8000", "-c", "1", "-e", "u-law", "-t", "raw",
                            ul, NULL };
  g_autofree char *data = NULL;
  gsize len;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) speak, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) convert, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (ul, &data, &len, NULL));
  return g_bytes_new_take (g_steal_pointer (&data), len);
}

typedef struct {
  gint64  at_us;      /* send time, from the start */
  guint8  packet[12 + 160];
  gsize   len;
} Out;

static gint
by_time (gconstpointer a,
         gconstpointer b)
{
  const Out *x = a, *y = b;

  return (x->at_us > y->at_us) - (x->at_us < y->at_us);
}

static void
packet (GArray       *out,
        gint64        at_us,
        guint16       seq,
        guint32       ts,
        guint32       ssrc,
        gboolean      marker,
        int           pt,
        const guint8 *payload,
        gsize         len)
{
  Out o = { at_us, { 0 }, 12 + len };

  o.packet[0] = 0x80;
  o.packet[1] = (marker ? 0x80 : 0) | pt;
  o.packet[2] = seq >> 8;
  o.packet[3] = seq & 0xff;
  o.packet[4] = ts >> 24;
  o.packet[5] = (ts >> 16) & 0xff;
  o.packet[6] = (ts >> 8) & 0xff;
  o.packet[7] = ts & 0xff;
  o.packet[8] = ssrc >> 24;
  o.packet[9] = (ssrc >> 16) & 0xff;
  o.packet[10] = (ssrc >> 8) & 0xff;
  o.packet[11] = ssrc & 0xff;
  memcpy (o.packet + 12, payload, len);
  g_array_append_val (out, o);
}

/* The whole plan as timed packets: 0.5 s of nothing, "hello", the silence, the words. */
static GArray *
plan (Sender *s,
      GRand  *rand)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (Out));
  guint16 seq = 500;
  guint32 ts = 0xffff0000, ssrc = 0x5eed;
  gint64 t = 500000;
  const guint8 *d;
  gsize len;

  for (int part = 0; part < 2; part++) {
    GBytes *talk = part == 0 ? s->hello : s->words;

    if (part == 1) {
      for (gint64 q = 0; q < (gint64) (s->peer->silence_s * 1e6); q += 20000) {
        if (s->peer->cn >= 0 && q % 200000 == 0) {
          guint8 level = (guint8) s->peer->cn;

          packet (out, t, seq++, ts, ssrc, FALSE, 13, &level, 1);
        }
        t += 20000;
        ts += 160;
      }
      if (s->peer->ts_jump)
        ts += 98765432;
      if (s->peer->ssrc_change) {
        ssrc = 0xfeed;
        seq = 9;
        ts = 1234;
      }
    }
    d = g_bytes_get_data (talk, &len);
    for (gsize k = 0; k < len; k += 160) {
      guint8 frame[160];
      gint64 jitter = s->peer->jitter_ms > 0 ?
                      (gint64) g_rand_double_range (rand, 0, s->peer->jitter_ms * 1000) : 0;

      memset (frame, 0xff, sizeof frame);
      memcpy (frame, d + k, MIN (160, len - k));
      if (g_rand_double (rand) >= s->peer->loss)
        packet (out, t + jitter, seq, ts, ssrc, k == 0, 0, frame, sizeof frame);
      seq++;
      ts += 160;
      t += 20000;
    }
  }
  g_array_sort (out, by_time);
  return out;
}

static gpointer
send_thread (gpointer data)
{
  Sender *s = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GArray) out = plan (s, rand);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < out->len && !g_cancellable_is_cancelled (s->cancel); i++) {
    Out *o = &g_array_index (out, Out, i);
    gint64 wait = start + o->at_us - g_get_monotonic_time ();

    if (wait > 0)
      g_usleep (wait);
    g_socket_send_to (s->socket, s->to, (const char *) o->packet, o->len, NULL, NULL);
  }
  return NULL;
}

typedef struct {
  GMainLoop *loop;
  TbMediaSession *media;
  gint64     hello_end_us;     /* wall clock at the first utterance's end */
  gint64     no_input_us;      /* wall clock when no-input fired */
  GBytes    *second;           /* the utterance after the silence */
  int        utterances;
  TbAmdResult amd;
  char      *amd_reason;
  guint      listen_ms;
} Run;

static void
on_utterance_ended (TbMediaSession *media,
                    GBytes         *pcm,
                    gint64          start,
                    gint64          end,
                    Run            *r)
{
  r->utterances++;
  if (r->hello_end_us == 0) {
    r->hello_end_us = g_get_monotonic_time ();
    /* Listen for the answer: silence from here on is counted on the clock. */
    tb_media_session_listen (media, r->listen_ms);
  } else if (r->second == NULL) {
    r->second = g_bytes_ref (pcm);
    g_main_loop_quit (r->loop);
  }
}

static void
on_no_input (TbMediaSession *media,
             Run            *r)
{
  if (r->no_input_us == 0)
    r->no_input_us = g_get_monotonic_time ();
}

static void
on_amd (TbMediaSession *media,
        TbAmdResult     result,
        const char     *why,
        Run            *r)
{
  r->amd = result;
  g_free (r->amd_reason);
  r->amd_reason = g_strdup (why);
}

static gboolean
give_up (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;   /* removed by the test */
}

static void
recognized_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  TbRecognition **out = data;

  *out = tb_recognizer_recognize_finish (TB_RECOGNIZER (object), result, NULL);
}

static void
run_peer (gconstpointer data)
{
  const Peer *peer = data;
  g_autofree char *dir = g_dir_make_tmp ("rtp-clock-XXXXXX", NULL);
  g_autofree char *rec_path = g_build_filename (dir, "call.wav", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbSipMedia) sip = tb_sip_media_new ("127.0.0.1", &error);
  g_autoptr(GSocket) peer_socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                                 G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(TbMediaSession) media = NULL;
  g_autoptr(TbPocketsphinx) ps = NULL;
  g_autoptr(TbRecognition) heard = NULL;
  TbSipSdpAnswer answer = { 0 };
  Sender s = { peer };
  Run r = { g_main_loop_new (NULL, FALSE), NULL, 0, 0, NULL, 0, TB_AMD_RESULT_UNDECIDED, NULL,
            3000 };
  GThread *thread;
  guint timeout_id;
  gint64 rec_start, rec_stop;
  const char *phrases[] = { "stop calling me", "yes please", "no thanks", "who is this", NULL };
  g_autofree char *info = NULL;
  double rec_s, wall_s;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (peer_socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (peer_socket, NULL);
  answer.address = (char *) "127.0.0.1";
  answer.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  answer.audio_pt = 0;
  answer.dtmf_pt = 101;
  tb_sip_media_set_remote (sip, &answer);

  s.socket = peer_socket;
  s.to = g_inet_socket_address_new (lo, tb_sip_media_get_local_port (sip));
  s.hello = render_ulaw ("Hello?", dir, "hello");
  s.words = render_ulaw ("stop calling me", dir, "words");
  s.cancel = g_cancellable_new ();

  media = tb_media_session_new (tb_sip_media_get_source (sip), tb_sip_media_get_sink (sip), TRUE);
  r.media = media;
  g_signal_connect (media, "utterance-ended", G_CALLBACK (on_utterance_ended), &r);
  g_signal_connect (media, "no-input", G_CALLBACK (on_no_input), &r);
  g_signal_connect (media, "amd-result", G_CALLBACK (on_amd), &r);
  g_assert_true (tb_media_session_start (media, &error));
  g_assert_no_error (error);
  g_assert_true (tb_media_session_start_recording (media, rec_path, &error));
  rec_start = g_get_monotonic_time ();
  tb_media_session_detect_machine (media, 5000);

  thread = g_thread_new ("rtp-sender", send_thread, &s);
  timeout_id = g_timeout_add_seconds (30, give_up, r.loop);
  g_main_loop_run (r.loop);
  g_source_remove (timeout_id);
  tb_media_session_stop_recording (media);
  rec_stop = g_get_monotonic_time ();
  g_cancellable_cancel (s.cancel);
  g_thread_join (thread);
  tb_media_session_stop (media);

  /* The timer counted 3 s of the callee's silence on the clock, though no packet came. */
  g_test_message ("%s: no-input after %.3f s (expected %.3f)", peer->name,
                  (r.no_input_us - r.hello_end_us) / 1e6, r.listen_ms / 1e3);
  g_assert_cmpint (r.hello_end_us, >, 0);
  g_assert_cmpint (r.no_input_us, >, 0);
  g_assert_cmpint (ABS ((r.no_input_us - r.hello_end_us) / 1000 - (gint64) r.listen_ms), <=, 100);

  /* "Hello?" then silence: a person, not a machine. */
  g_test_message ("%s: AMD %d (%s)", peer->name, r.amd, r.amd_reason ? r.amd_reason : "");
  g_assert_cmpint (r.amd, ==, TB_AMD_RESULT_HUMAN);

  /* The words after the silence, heard and understood. */
  g_assert_nonnull (r.second);
  ps = tb_pocketsphinx_new ();
  tb_recognizer_recognize_async (TB_RECOGNIZER (ps), r.second, phrases, NULL, NULL, recognized_cb,
                                 &heard);
  while (heard == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("%s: heard \"%s\"", peer->name, heard->text);
  g_assert_cmpstr (heard->text, ==, "stop calling me");

  /* The recording is as long as the call was: the silence is in it. */
  info = g_strdup_printf ("soxi -D '%s'", rec_path);
  {
    g_autofree char *out = NULL;

    g_assert_true (g_spawn_command_line_sync (info, &out, NULL, NULL, NULL));
    rec_s = g_ascii_strtod (out, NULL);
  }
  wall_s = (rec_stop - rec_start) / 1e6;
  g_test_message ("%s: recording %.3f s over %.3f s of call", peer->name, rec_s, wall_s);
  g_assert_cmpfloat (fabs (rec_s - wall_s), <=, 0.1);

  g_object_unref (s.to);
  g_bytes_unref (s.hello);
  g_bytes_unref (s.words);
  g_object_unref (s.cancel);
  g_clear_pointer (&r.second, g_bytes_unref);
  g_free (r.amd_reason);
  g_main_loop_unref (r.loop);
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);

    g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  }
}

static const Peer peers[] = {
  { "silence-suppression", 9.0, -1, 0, 0, FALSE, FALSE },
  { "comfort-noise", 9.0, 50, 0, 0, FALSE, FALSE },
  { "loss-and-jitter", 4.0, -1, 0.05, 60, FALSE, FALSE },
  { "timestamp-jump", 4.0, -1, 0, 0, TRUE, FALSE },
  { "ssrc-change", 4.0, -1, 0, 0, FALSE, TRUE },
};

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (peers); i++) {
    g_autofree char *path = g_strdup_printf ("/telebot/sip/rtp-clock/%s", peers[i].name);

    g_test_add_data_func (path, &peers[i], run_peer);
  }
  return g_test_run ();
}
