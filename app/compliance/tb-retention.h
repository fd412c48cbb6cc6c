/* tb-retention.h — delete what has outlived its purpose (COMPLIANCE.md R8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recordings older than the setting "recording-retention-days" (default 30;
 * never less than the callee's packs require, e.g. CN 30) are deleted and
 * their attempts.recording cleared. Files of the recordings folder that no
 * attempt names (orphans) go too once nobody wrote to them for that long
 * (never less than the longest minimum of any pack: whose call it was is not
 * known), unless another database shares the data folder (they may be its).
 * DNC and consent rows are never touched (they are the proof, kept
 * ≥ 5 years). Every deletion is audited.
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

#define TB_RETENTION_DEFAULT_RECORDING_DAYS 30

typedef struct {
  guint recordings_deleted;
  guint recordings_kept;      /* past the setting but held by a pack's minimum */
  guint files_missing;        /* the column pointed at no file */
  guint orphans_deleted;      /* files no attempt named */
  gboolean orphans_skipped;   /* another database shares the data folder: none deleted */
  int   retention_days;
} TbRetentionReport;

gboolean tb_retention_run (TbStore            *store,
                           gint64              now,
                           TbRetentionReport  *report,
                           GError            **error);

G_END_DECLS
