/* tb-modem-sim.c — a USB voice modem on two pseudo-terminals, for the modem tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   tb-modem-sim --vendor huawei|simcom --at-link PATH --audio-link PATH
 *                [--play FILE] [--record FILE.wav] [--events FILE] [--callee SPEC]…
 *                [--no-voice] [--chatty] [--quiet-calls] [--csq N] [--operator NAME]
 *
 * Speaks the AT dialect of a Huawei E173 (^ORIG/^CONF/^CONN/^CEND, ^CVOICE, ^DDSETEX) or a
 * SIMCom SIM7600 (VOICE CALL: BEGIN/END, BUSY/NO ANSWER/NO CARRIER, +CPCMREG). The PCM port
 * plays --play (8 kHz S16LE mono, raw or WAV) at real-time pace once the call is connected
 * and voice is switched on, and records what it receives into --record (a WAV per call).
 *
 * A callee SPEC is NUMBER:ACTION[:SECONDS[:AFTER:SECONDS]]: answer (after SECONDS, default 1),
 * busy, noanswer, reject; AFTER is "hangup" (the dialect's proper end) or "drop" (a bare
 * NO CARRIER). NUMBER "*" is every number no other SPEC names. Unknown numbers answer after 1 s.
 *
 * Faults, as lines on stdin or AT+SIMFAULT=<name>[,<seconds>]: "garbage S" (the port spews
 * noise and answers nothing for S seconds, the call is lost), "reset S" (silent for S seconds,
 * then ^BOOT/RDY and +CPIN: READY), "vanish S" (both ports disappear for S seconds),
 * "mute S" (the PCM port sends nothing for S seconds), "nocarrier" (NO CARRIER now),
 * "noise" (harmless garbage and URCs between lines), "csq N" (the signal changes),
 * "sim-ready" (+CPIN: READY from now on).
 * Events (DIAL, ANSWER, AUDIO_ON, DTMF, END, FAULT, RETURN) go to --events, one per line.
 */
#define _GNU_SOURCE  /* posix_openpt, ptsname */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#define FRAME_BYTES 320

typedef enum { HUAWEI, SIMCOM } Vendor;
typedef enum { CALL_NONE, CALL_DIALING, CALL_ALERTING, CALL_ACTIVE } CallState;

typedef struct {
  char   *number;
  char   *action;     /* answer, busy, noanswer, reject */
  double  delay;
  char   *after;      /* NULL, hangup, drop */
  double  after_delay;
} Callee;

static Vendor vendor = HUAWEI;
static char *at_link, *audio_link, *play_path, *record_path, *events_path, *operator_name;
static gboolean no_voice, chatty, quiet_calls;
static int csq = 20;
static char *cpin;
static GPtrArray *callees;
static GMainLoop *loop;

static int at_master = -1, at_slave = -1, pcm_master = -1, pcm_slave = -1;
static guint at_watch, pcm_watch, audio_timer, call_timer, fault_timer, noise_timer;
static GString *inbuf;
static gboolean echo = TRUE;
static gboolean silent, garbage_mode, muted;
static FILE *events;

static CallState call_state;
static char *call_number;
static const Callee *call_callee;
static gint64 call_connected_at;
static gboolean audio_on;
static GBytes *play_data;
static gsize play_pos;
static gint64 audio_started_at;
static guint64 frames_sent;
static FILE *record;
static guint32 record_bytes;

static void
event (const char *format,
       ...)
{
  va_list args;

  if (events == NULL)
    return;
  va_start (args, format);
  vfprintf (events, format, args);
  va_end (args);
  fputc ('\n', events);
  fflush (events);
}

static void
write_all (int         fd,
           const void *data,
           gsize       len)
{
  const guint8 *p = data;

  while (fd >= 0 && len > 0) {
    ssize_t n = write (fd, p, len);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;  /* nobody reads: a real modem drops it too */
    p += n;
    len -= n;
  }
}

static void
send_line (const char *line)
{
  g_autofree char *s = g_strdup_printf ("\r\n%s\r\n", line);

  if (silent || garbage_mode)
    return;
  write_all (at_master, s, strlen (s));
}

static void
send_garbage (void)
{
  static const guint8 noise[] = { 0x00, 0xff, 0xfe, 0x80, 0x81, '~', '#', '\r', 0x00, '\n',
                                  0x9f, 0x07, '@', 0xc3, 0x28, 0x1b, '\n', 0x7f };
  guint8 buf[48];

  for (guint i = 0; i < sizeof buf; i++)
    buf[i] = noise[g_random_int_range (0, sizeof noise)];
  write_all (at_master, buf, sizeof buf);
}

/* Recording ------------------------------------------------------------------------------ */

static void
put_le32 (guint8 *p, guint32 v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }

static void
record_close (void)
{
  guint8 header[44];

  if (record == NULL)
    return;
  memcpy (header, "RIFF", 4);
  put_le32 (header + 4, 36 + record_bytes);
  memcpy (header + 8, "WAVEfmt ", 8);
  put_le32 (header + 16, 16);
  header[20] = 1; header[21] = 0;               /* PCM */
  header[22] = 1; header[23] = 0;               /* mono */
  put_le32 (header + 24, 8000);
  put_le32 (header + 28, 16000);
  header[32] = 2; header[33] = 0;
  header[34] = 16; header[35] = 0;
  memcpy (header + 36, "data", 4);
  put_le32 (header + 40, record_bytes);
  fseek (record, 0, SEEK_SET);
  fwrite (header, 1, sizeof header, record);
  fclose (record);
  record = NULL;
}

static void
record_open (void)
{
  guint8 header[44] = { 0 };

  record_close ();
  if (record_path == NULL)
    return;
  record = fopen (record_path, "wb");
  record_bytes = 0;
  if (record != NULL)
    fwrite (header, 1, sizeof header, record);
}

/* The call ------------------------------------------------------------------------------- */

static void
clear_call (const char *why)
{
  if (call_state == CALL_NONE)
    return;
  call_state = CALL_NONE;
  audio_on = FALSE;
  g_clear_pointer (&call_number, g_free);
  call_callee = NULL;
  g_clear_handle_id (&call_timer, g_source_remove);
  g_clear_handle_id (&audio_timer, g_source_remove);
  record_close ();
  event ("END %s", why);
}

static char *
hhmmss (int seconds)
{
  return g_strdup_printf ("%02d%02d%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
}

static int
call_seconds (void)
{
  return call_connected_at ? (int) ((g_get_monotonic_time () - call_connected_at) / G_USEC_PER_SEC)
                           : 0;
}

/* The far end (or network) ends the call: the dialect's own way. */
static void
remote_end (int         cause,
            const char *simcom_result,
            const char *why)
{
  if (vendor == HUAWEI) {
    g_autofree char *l = g_strdup_printf ("^CEND:1,%d,104,%d", call_seconds (), cause);
    send_line (l);
  } else {
    if (call_state == CALL_ACTIVE) {
      g_autofree char *t = hhmmss (call_seconds ());
      g_autofree char *l = g_strdup_printf ("VOICE CALL: END: %s", t);
      send_line (l);
    }
    send_line (simcom_result);
  }
  clear_call (why);
}

static gboolean
on_audio_tick (gpointer data)
{
  gint64 due = (g_get_monotonic_time () - audio_started_at) / 20000;

  while ((gint64) frames_sent < due) {
    guint8 frame[FRAME_BYTES] = { 0 };
    gsize size = 0;
    const guint8 *src = play_data ? g_bytes_get_data (play_data, &size) : NULL;

    if (src != NULL && play_pos < size) {
      gsize n = MIN (FRAME_BYTES, size - play_pos);

      memcpy (frame, src + play_pos, n);
      play_pos += n;
    }
    if (audio_on && !silent && !garbage_mode && !muted)
      write_all (pcm_master, frame, sizeof frame);
    frames_sent++;
  }
  return G_SOURCE_CONTINUE;
}

static void
start_audio (void)
{
  if (audio_on)
    return;
  audio_on = TRUE;
  play_pos = 0;
  frames_sent = 0;
  audio_started_at = g_get_monotonic_time ();
  record_open ();
  event ("AUDIO_ON");
  audio_timer = g_timeout_add (10, on_audio_tick, NULL);
}

static gboolean
on_after (gpointer data)
{
  call_timer = 0;
  if (g_strcmp0 (call_callee->after, "drop") == 0) {
    send_line ("NO CARRIER");
    clear_call ("drop");
  } else {
    remote_end (16, "NO CARRIER", "remote-hangup");
  }
  return G_SOURCE_REMOVE;
}

static gboolean
on_callee (gpointer data)
{
  const char *action = call_callee ? call_callee->action : "answer";

  call_timer = 0;
  if (g_str_equal (action, "answer")) {
    call_state = CALL_ACTIVE;
    call_connected_at = g_get_monotonic_time ();
    event ("ANSWER %s", call_number);
    if (!quiet_calls)
      send_line (vendor == HUAWEI ? "^CONN:1,0" : "VOICE CALL: BEGIN");
    if (call_callee != NULL && call_callee->after != NULL)
      call_timer = g_timeout_add ((guint) (call_callee->after_delay * 1000), on_after, NULL);
  } else if (g_str_equal (action, "busy")) {
    remote_end (17, "BUSY", "busy");
  } else if (g_str_equal (action, "noanswer")) {
    remote_end (19, "NO ANSWER", "noanswer");
  } else {
    remote_end (21, "NO CARRIER", "reject");
  }
  return G_SOURCE_REMOVE;
}

static gboolean
on_alerting (gpointer data)
{
  const Callee *c = call_callee;
  double delay = c ? c->delay : 1.0;

  call_timer = 0;
  call_state = CALL_ALERTING;
  if (vendor == HUAWEI && !quiet_calls)
    send_line ("^CONF:1");
  call_timer = g_timeout_add ((guint) (delay * 1000), on_callee, NULL);
  return G_SOURCE_REMOVE;
}

static void
dial (const char *number)
{
  call_state = CALL_DIALING;
  call_number = g_strdup (number);
  call_connected_at = 0;
  call_callee = NULL;
  for (guint i = 0; i < callees->len; i++) {
    const Callee *c = g_ptr_array_index (callees, i);
    if (g_str_equal (c->number, number))
      call_callee = c;
  }
  /* "*" is every number no spec names (a campaign's many callees). */
  for (guint i = 0; call_callee == NULL && i < callees->len; i++) {
    const Callee *c = g_ptr_array_index (callees, i);
    if (g_str_equal (c->number, "*"))
      call_callee = c;
  }
  event ("DIAL %s", number);
  send_line ("OK");
  if (vendor == HUAWEI && !quiet_calls)
    send_line ("^ORIG:1,0");
  call_timer = g_timeout_add (300, on_alerting, NULL);
}

/* Faults --------------------------------------------------------------------------------- */

static void open_ports (void);
static void close_ports (void);

static gboolean
on_fault_over (gpointer data)
{
  const char *which = data;

  fault_timer = 0;
  if (g_str_equal (which, "garbage")) {
    garbage_mode = FALSE;
    g_clear_handle_id (&noise_timer, g_source_remove);
  } else if (g_str_equal (which, "reset")) {
    silent = FALSE;
    echo = TRUE;
    send_line (vendor == HUAWEI ? "^BOOT" : "RDY");
    send_line ("+CPIN: READY");
  } else if (g_str_equal (which, "vanish")) {
    open_ports ();
  } else if (g_str_equal (which, "mute")) {
    muted = FALSE;
  }
  event ("RETURN %s", which);
  return G_SOURCE_REMOVE;
}

static gboolean
on_noise (gpointer data)
{
  send_garbage ();
  return G_SOURCE_CONTINUE;
}

static void
fault (const char *name,
       double      seconds)
{
  guint ms = (guint) (MAX (seconds, 0.1) * 1000);

  event ("FAULT %s", name);
  if (g_str_equal (name, "garbage")) {
    clear_call ("garbage");
    garbage_mode = TRUE;
    noise_timer = g_timeout_add (100, on_noise, NULL);
    fault_timer = g_timeout_add (ms, on_fault_over, (gpointer) "garbage");
  } else if (g_str_equal (name, "reset")) {
    clear_call ("reset");
    silent = TRUE;
    fault_timer = g_timeout_add (ms, on_fault_over, (gpointer) "reset");
  } else if (g_str_equal (name, "vanish")) {
    clear_call ("vanish");
    close_ports ();
    fault_timer = g_timeout_add (ms, on_fault_over, (gpointer) "vanish");
  } else if (g_str_equal (name, "mute")) {
    muted = TRUE;
    fault_timer = g_timeout_add (ms, on_fault_over, (gpointer) "mute");
  } else if (g_str_equal (name, "nocarrier")) {
    if (call_state != CALL_NONE) {
      send_line ("NO CARRIER");
      clear_call ("nocarrier");
    }
  } else if (g_str_equal (name, "sim-ready")) {
    g_clear_pointer (&cpin, g_free);  /* someone entered the PIN */
  } else if (g_str_equal (name, "csq")) {
    csq = (int) seconds;  /* "csq N": the signal changes */
  } else if (g_str_equal (name, "noise")) {
    send_garbage ();
    send_line (vendor == HUAWEI ? "^RSSI:25" : "+CREG: 1");
  }
}

/* Commands ------------------------------------------------------------------------------- */

static void
ok (void)
{
  send_line ("OK");
}

static void
error (void)
{
  send_line ("ERROR");
}

static void
handle_command (const char *raw)
{
  g_autofree char *cmd = g_strstrip (g_strdup (raw));
  g_autofree char *up = g_ascii_strup (cmd, -1);

  if (up[0] == '\0')
    return;
  if (echo) {
    write_all (at_master, cmd, strlen (cmd));
    write_all (at_master, "\r", 1);
  }
  if (chatty)
    send_line (vendor == HUAWEI ? "^RSSI:25" : "+CREG: 1");

  if (!g_str_has_prefix (up, "AT")) {
    error ();
  } else if (g_str_equal (up, "AT")) {
    ok ();
  } else if (g_str_equal (up, "ATE0") || g_str_equal (up, "ATE1")) {
    echo = up[3] == '1';
    ok ();
  } else if (g_str_equal (up, "AT+CMEE=1") || g_str_equal (up, "AT+CLIP=1") ||
             g_str_equal (up, "AT+COPS=3,0")) {
    ok ();
  } else if (g_str_equal (up, "ATI")) {
    send_line (vendor == HUAWEI ? "Manufacturer: huawei" : "Manufacturer: SIMCOM INCORPORATED");
    send_line (vendor == HUAWEI ? "Model: E173" : "Model: SIMCOM_SIM7600E-H");
    send_line ("Revision: 11.126.85.00.209");
    ok ();
  } else if (g_str_equal (up, "AT+CGMI")) {
    send_line (vendor == HUAWEI ? "huawei" : "SIMCOM INCORPORATED");
    ok ();
  } else if (g_str_equal (up, "AT+CGMM")) {
    send_line (vendor == HUAWEI ? "E173" : "SIMCOM_SIM7600E-H");
    ok ();
  } else if (g_str_equal (up, "AT+CPIN?")) {
    g_autofree char *l = g_strdup_printf ("+CPIN: %s", cpin ? cpin : "READY");
    send_line (l);
    ok ();
  } else if (g_str_equal (up, "AT+CSQ")) {
    g_autofree char *l = g_strdup_printf ("+CSQ: %d,99", csq);
    send_line (l);
    ok ();
  } else if (g_str_equal (up, "AT+COPS?")) {
    g_autofree char *l = g_strdup_printf ("+COPS: 0,0,\"%s\",%d", operator_name,
                                          vendor == HUAWEI ? 2 : 7);
    send_line (l);
    ok ();
  } else if (g_str_equal (up, "AT^CVOICE?") && vendor == HUAWEI && !no_voice) {
    send_line ("^CVOICE: 0,8000,16,20");
    ok ();
  } else if (g_str_equal (up, "AT+CPCMREG=?") && vendor == SIMCOM && !no_voice) {
    send_line ("+CPCMREG: (0,1)");
    ok ();
  } else if (g_str_equal (up, "AT^DDSETEX=2") && vendor == HUAWEI && !no_voice) {
    if (call_state != CALL_ACTIVE) {
      error ();
      return;
    }
    /* Logged before the OK: a test that sees the answer finds AUDIO_ON already there. */
    start_audio ();
    ok ();
  } else if (g_str_has_prefix (up, "AT+CPCMREG=") && vendor == SIMCOM && !no_voice) {
    if (up[11] == '1' && call_state == CALL_ACTIVE) {
      start_audio ();
      ok ();
    } else if (up[11] == '0') {
      audio_on = FALSE;
      ok ();
    } else {
      error ();
    }
  } else if (g_str_has_prefix (up, "ATD") && g_str_has_suffix (up, ";")) {
    g_autofree char *number = g_strndup (cmd + 3, strlen (cmd) - 4);

    if (call_state != CALL_NONE || number[0] == '\0')
      error ();
    else
      dial (number);
  } else if (g_str_equal (up, "ATH") || g_str_equal (up, "AT+CHUP")) {
    gboolean had = call_state != CALL_NONE;
    int secs = call_seconds ();
    CallState was = call_state;

    ok ();
    if (had) {
      if (vendor == HUAWEI) {
        g_autofree char *l = g_strdup_printf ("^CEND:1,%d,104,16", secs);
        send_line (l);
      } else if (was == CALL_ACTIVE) {
        g_autofree char *t = hhmmss (secs);
        g_autofree char *l = g_strdup_printf ("VOICE CALL: END: %s", t);
        send_line (l);
      }
      clear_call ("local-hangup");
    }
  } else if (g_str_equal (up, "AT+CLCC")) {
    if (call_state != CALL_NONE) {
      int stat = call_state == CALL_ACTIVE ? 0 : call_state == CALL_ALERTING ? 3 : 2;
      g_autofree char *l = g_strdup_printf ("+CLCC: 1,0,%d,0,0,\"%s\",129", stat, call_number);
      send_line (l);
    }
    ok ();
  } else if (g_str_has_prefix (up, "AT+VTS=")) {
    const char *d = cmd + 7;

    if (*d == '"')
      d++;
    if (call_state != CALL_ACTIVE || *d == '\0') {
      send_line ("+CME ERROR: 3");
      return;
    }
    event ("DTMF %c", *d);
    ok ();
  } else if (g_str_has_prefix (up, "AT+SIMFAULT=")) {
    g_auto(GStrv) parts = g_strsplit (cmd + 12, ",", 2);

    ok ();
    fault (parts[0], parts[1] ? g_ascii_strtod (parts[1], NULL) : 2.0);
  } else {
    error ();
  }
}

static gboolean
on_at_readable (int          fd,
                GIOCondition condition,
                gpointer     data)
{
  char buf[256];
  ssize_t n = read (fd, buf, sizeof buf);

  if (n <= 0)
    return G_SOURCE_CONTINUE;  /* the slave we hold keeps the master from hanging up */
  if (silent)
    return G_SOURCE_CONTINUE;
  if (garbage_mode) {
    send_garbage ();
    return G_SOURCE_CONTINUE;
  }
  for (ssize_t i = 0; i < n; i++) {
    if (buf[i] == '\r' || buf[i] == '\n') {
      g_autofree char *line = g_strndup (inbuf->str, inbuf->len);

      g_string_truncate (inbuf, 0);
      handle_command (line);
    } else if (inbuf->len < 512) {
      g_string_append_c (inbuf, buf[i]);
    }
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_pcm_readable (int          fd,
                 GIOCondition condition,
                 gpointer     data)
{
  guint8 buf[1024];
  ssize_t n = read (fd, buf, sizeof buf);

  if (n > 0 && record != NULL && call_state == CALL_ACTIVE && audio_on) {
    fwrite (buf, 1, n, record);
    record_bytes += n;
  }
  return G_SOURCE_CONTINUE;
}

/* Ports ---------------------------------------------------------------------------------- */

/* Returns the slave's /dev/pts path, also reachable as @link. */
static char *
make_pty (const char *link,
          int        *master,
          int        *slave)
{
  struct termios tio;
  const char *name;

  *master = posix_openpt (O_RDWR | O_NOCTTY);
  if (*master < 0 || grantpt (*master) != 0 || unlockpt (*master) != 0 ||
      (name = ptsname (*master)) == NULL)
    g_error ("tb-modem-sim: cannot make a pseudo-terminal: %s", g_strerror (errno));
  /* Hold the slave open so the master never sees a hang-up between the client's opens, and
   * make it raw so PCM bytes and CRs pass untouched. */
  *slave = open (name, O_RDWR | O_NOCTTY);
  if (*slave < 0 || tcgetattr (*slave, &tio) != 0)
    g_error ("tb-modem-sim: cannot open %s: %s", name, g_strerror (errno));
  cfmakeraw (&tio);
  tcsetattr (*slave, TCSANOW, &tio);
  g_unix_set_fd_nonblocking (*master, TRUE, NULL);
  unlink (link);
  if (symlink (name, link) != 0)
    g_error ("tb-modem-sim: cannot link %s to %s: %s", link, name, g_strerror (errno));
  return g_strdup (name);
}

static void
open_ports (void)
{
  g_autofree char *at_name = make_pty (at_link, &at_master, &at_slave);
  g_autofree char *pcm_name = make_pty (audio_link, &pcm_master, &pcm_slave);

  at_watch = g_unix_fd_add (at_master, G_IO_IN, on_at_readable, NULL);
  pcm_watch = g_unix_fd_add (pcm_master, G_IO_IN, on_pcm_readable, NULL);
  g_string_truncate (inbuf, 0);
  echo = TRUE;
  g_print ("AT %s -> %s\nPCM %s -> %s\n", at_link, at_name, audio_link, pcm_name);
}

static void
close_ports (void)
{
  g_clear_handle_id (&at_watch, g_source_remove);
  g_clear_handle_id (&pcm_watch, g_source_remove);
  unlink (at_link);
  unlink (audio_link);
  if (at_master >= 0) close (at_master);
  if (at_slave >= 0) close (at_slave);
  if (pcm_master >= 0) close (pcm_master);
  if (pcm_slave >= 0) close (pcm_slave);
  at_master = at_slave = pcm_master = pcm_slave = -1;
}

static gboolean
on_stdin (GIOChannel   *source,
          GIOCondition  condition,
          gpointer      data)
{
  g_autofree char *line = NULL;
  GIOStatus status = g_io_channel_read_line (source, &line, NULL, NULL, NULL);

  if (status == G_IO_STATUS_EOF || status == G_IO_STATUS_ERROR)
    return G_SOURCE_REMOVE;  /* no controller: run until SIGTERM */
  if (line != NULL) {
    g_auto(GStrv) parts = g_strsplit (g_strstrip (line), " ", 2);

    if (parts[0] != NULL && parts[0][0] != '\0')
      fault (parts[0], parts[1] ? g_ascii_strtod (parts[1], NULL) : 2.0);
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_term (gpointer data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static Callee *
parse_callee (const char *spec)
{
  g_auto(GStrv) p = g_strsplit (spec, ":", 5);
  Callee *c;

  if (g_strv_length (p) < 2)
    g_error ("tb-modem-sim: --callee %s: want NUMBER:ACTION[:SECONDS[:AFTER:SECONDS]]", spec);
  c = g_new0 (Callee, 1);
  c->number = g_strdup (p[0]);
  c->action = g_strdup (p[1]);
  c->delay = p[2] ? g_ascii_strtod (p[2], NULL) : 1.0;
  if (p[2] && p[3]) {
    c->after = g_strdup (p[3]);
    c->after_delay = p[4] ? g_ascii_strtod (p[4], NULL) : 2.0;
  }
  return c;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *vendor_name = NULL;
  g_auto(GStrv) callee_specs = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("- a voice modem on ptys");
  g_autoptr(GError) err = NULL;
  g_autoptr(GIOChannel) in = NULL;
  GOptionEntry entries[] = {
    { "vendor", 0, 0, G_OPTION_ARG_STRING, &vendor_name, "huawei or simcom", "NAME" },
    { "at-link", 0, 0, G_OPTION_ARG_FILENAME, &at_link, "symlink to the AT port", "PATH" },
    { "audio-link", 0, 0, G_OPTION_ARG_FILENAME, &audio_link, "symlink to the PCM port",
      "PATH" },
    { "play", 0, 0, G_OPTION_ARG_FILENAME, &play_path, "callee audio", "FILE" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record_path, "what the callee heard", "FILE" },
    { "events", 0, 0, G_OPTION_ARG_FILENAME, &events_path, "event log", "FILE" },
    { "callee", 0, 0, G_OPTION_ARG_STRING_ARRAY, &callee_specs, "scripted callee", "SPEC" },
    { "no-voice", 0, 0, G_OPTION_ARG_NONE, &no_voice, "firmware without voice", NULL },
    { "chatty", 0, 0, G_OPTION_ARG_NONE, &chatty, "URCs between echo and result", NULL },
    { "quiet-calls", 0, 0, G_OPTION_ARG_NONE, &quiet_calls,
      "no ^ORIG/^CONF/^CONN or VOICE CALL: BEGIN (answers show only in +CLCC)", NULL },
    { "csq", 0, 0, G_OPTION_ARG_INT, &csq, "+CSQ rssi", "N" },
    { "cpin", 0, 0, G_OPTION_ARG_STRING, &cpin, "+CPIN state (default READY)", "STATE" },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, "operator name", "NAME" },
    { NULL }
  };

  /* A test that crashes must not leave modems behind. So start this as a direct child
   * (GSubprocess, a shell, g_spawn_* with G_SPAWN_DO_NOT_REAP_CHILD): GLib's default double
   * fork ends its middle process at once, and if that happens after this line the signal
   * comes at once too. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &err)) {
    g_printerr ("tb-modem-sim: %s\n", err->message);
    return 2;
  }
  if (at_link == NULL || audio_link == NULL) {
    g_printerr ("tb-modem-sim: --at-link and --audio-link are required\n");
    return 2;
  }
  vendor = g_strcmp0 (vendor_name, "simcom") == 0 ? SIMCOM : HUAWEI;
  if (operator_name == NULL)
    operator_name = g_strdup ("Telebot Mobile");
  callees = g_ptr_array_new ();
  for (guint i = 0; callee_specs && callee_specs[i]; i++)
    g_ptr_array_add (callees, parse_callee (callee_specs[i]));
  if (play_path != NULL) {
    g_autofree char *data = NULL;
    gsize len = 0;

    if (!g_file_get_contents (play_path, &data, &len, &err)) {
      g_printerr ("tb-modem-sim: --play %s: %s\n", play_path, err->message);
      return 2;
    }
    /* A WAV: skip to its data chunk; a raw file plays as it is. */
    if (len > 44 && memcmp (data, "RIFF", 4) == 0) {
      const char *d = memmem (data + 12, MIN (len, 4096) - 12, "data", 4);
      gsize off = d ? (gsize) (d - data) + 8 : 44;
      play_data = g_bytes_new (data + off, len - off);
    } else {
      play_data = g_bytes_new (data, len);
    }
  }
  if (events_path != NULL)
    events = fopen (events_path, "a");
  inbuf = g_string_new (NULL);
  loop = g_main_loop_new (NULL, FALSE);
  open_ports ();
  event ("READY");

  in = g_io_channel_unix_new (STDIN_FILENO);
  g_io_add_watch (in, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, NULL);
  g_unix_signal_add (SIGTERM, on_term, NULL);
  g_unix_signal_add (SIGINT, on_term, NULL);
  g_main_loop_run (loop);

  clear_call ("exit");
  close_ports ();
  if (events != NULL)
    fclose (events);
  return 0;
}
