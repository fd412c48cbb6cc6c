/* tb-sipp.h — sipp (sip-tester) as a real SIP peer for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TbSipp TbSipp;

/* Starts sipp as a UAS on 127.0.0.1 and a free port, with tests/data/sipp/@scenario, for
 * @calls calls (0: 1). @extra_args: more sipp arguments or NULL. An 8 kHz µ-law WAV tone is
 * available to scenarios as [$wav] ... passed with -key wav PATH. */
TbSipp  *tb_sipp_start_uas      (const char  *scenario,
                                 const char *const *extra_args);
TbSipp  *tb_sipp_start_uas_n    (const char  *scenario,
                                 guint        calls,
                                 const char *const *extra_args);
/* Starts sipp as a UAC calling @target for @calls calls at @rate per second. */
TbSipp  *tb_sipp_start_uac      (const char  *scenario,
                                 const char  *target,
                                 guint        calls,
                                 guint        rate,
                                 const char *const *extra_args);
guint16  tb_sipp_get_port       (TbSipp      *sipp);
/* "sip:@user@127.0.0.1:PORT" */
char    *tb_sipp_dup_uri        (TbSipp      *sipp,
                                 const char  *user);
/* Waits for sipp to exit (at most @timeout_ms) and returns its exit status (-1: killed). */
int      tb_sipp_wait           (TbSipp      *sipp,
                                 guint        timeout_ms);
/* Asserts sipp exited 0: every call of its scenario succeeded by its own account. */
void     tb_sipp_assert_success (TbSipp      *sipp,
                                 guint        timeout_ms);
/* sipp's stderr and error log, for messages. */
char    *tb_sipp_dup_log        (TbSipp      *sipp);
void     tb_sipp_free           (TbSipp      *sipp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbSipp, tb_sipp_free)

/* Absolute path of tests/data/sipp/@name. */
char    *tb_sipp_scenario_path  (const char  *name);

G_END_DECLS
