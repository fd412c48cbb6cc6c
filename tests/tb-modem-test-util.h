/* tb-modem-test-util.h — the pty modem simulator (tb-modem-sim) driven from GTest programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GSubprocess   *proc;
  GOutputStream *control;
  char          *dir;
  char          *at;
  char          *pcm;
  char          *events;
  char          *record;
} Sim;

/* Iterates the default main context for @ms milliseconds. */
void     spin_ms       (int         ms);

/* Iterates the default main context until @expr holds; fails the test after @ms. */
#define WAIT_FOR(expr, ms)                                                    \
  G_STMT_START {                                                              \
    gint64 wait_end_ = g_get_monotonic_time () + (gint64) (ms) * 1000;        \
    while (!(expr) && g_get_monotonic_time () < wait_end_)                    \
      if (!g_main_context_iteration (NULL, FALSE))                            \
        g_usleep (2000);                                                      \
    if (!(expr))                                                              \
      g_error ("timed out after %d ms waiting for %s", (int) (ms), #expr);    \
  } G_STMT_END

/* Starts tb-modem-sim (huawei or simcom) on two ptys in a fresh temporary directory, playing
 * @play (NULL: silence) once a call is connected; then more NULL-terminated arguments. */
void     sim_start     (Sim        *sim,
                        const char *vendor,
                        const char *play,
                        ...) G_GNUC_NULL_TERMINATED;
/* Sends a fault line to its stdin ("garbage 5", "vanish 1.5", "mute 30", …). */
void     sim_control   (Sim        *sim,
                        const char *line);
/* TRUE if the simulator logged @event ("DTMF 1", "END local-hangup", …). */
gboolean sim_has_event (Sim        *sim,
                        const char *event);
/* SIGTERM, wait, and remove its directory. */
void     sim_stop      (Sim        *sim);

/* espeak-ng @text → sox → @path: 8 kHz S16 mono WAV. */
void     make_wav      (const char *text,
                        const char *path);

G_END_DECLS
