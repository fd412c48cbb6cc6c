/* tb-call-recovery.h — after a crash: close the calls it cut, and finish their recordings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

typedef struct {
  guint closed;                 /* attempts left mid-flight, now "interrupted" */
  guint recordings_finalized;   /* their WAV header now says how long they are */
  guint recordings_removed;     /* nothing was recorded (or the file was gone): no file named */
} TbCallRecoveryReport;

/* Run once when a process starts, before anything dials: every attempt a crash left open is
 * closed as interrupted (tb_store_attempts_close_interrupted()), and the recording it names
 * is finalized (sizes in its header from its length) or, when it holds no audio, removed
 * with its name. Audited when anything was closed. Returns FALSE with @error set. */
gboolean tb_call_recovery_run (TbStore               *store,
                               gint64                 now,
                               TbCallRecoveryReport  *report,
                               GError               **error);

G_END_DECLS
