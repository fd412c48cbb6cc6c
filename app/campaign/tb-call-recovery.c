/* tb-call-recovery.c — after a crash: close the calls it cut, and finish their recordings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A call session names its recording in the attempt before it writes the first sample, and
 * the recorder writes the WAV sizes only when the call ends: a crash leaves a file whose
 * header says it is empty. Players mostly cope; retention and exports should not have to.
 */
#define G_LOG_DOMAIN "tb-call-recovery"

#include "config.h"

#include "tb-audit.h"
#include "tb-call-recovery.h"
#include "tb-pcm.h"
#include "tb-store-attempts.h"
#include "tb-store-compliance.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* Finalizes or removes one recording; TRUE when the attempt no longer names a file. */
static gboolean
finish_recording (TbStore              *store,
                  const TbRecordingRow *row,
                  TbCallRecoveryReport *report)
{
  g_autofree char *path = tb_store_resolve_path (store, row->path);
  g_autoptr(GError) error = NULL;
  gsize bytes = 0;
  GStatBuf st;

  if (g_stat (path, &st) != 0) {
    report->recordings_removed++;
    return TRUE;
  }
  /* Killed between creating the file and its first flush: no header yet, or only the header.
   * No sample to keep, so the file goes like any empty recording. */
  if (st.st_size <= 44)
    bytes = 0;
  else if (!tb_pcm_finalize_wav (path, &bytes, &error)) {
    /* Not ours to destroy: kept, and named, for retention to judge. */
    g_message ("attempt %" G_GINT64_FORMAT ": recording left as it is: %s", row->attempt_id,
               error->message);
    return FALSE;
  }
  if (bytes > 0) {
    report->recordings_finalized++;
    return FALSE;
  }
  if (g_unlink (path) != 0 && errno != ENOENT) {
    g_message ("attempt %" G_GINT64_FORMAT ": %s: %s", row->attempt_id, path, g_strerror (errno));
    return FALSE;
  }
  report->recordings_removed++;
  return TRUE;
}

gboolean
tb_call_recovery_run (TbStore               *store,
                      gint64                 now,
                      TbCallRecoveryReport  *report,
                      GError               **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) unnamed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  TbCallRecoveryReport r = { 0 };
  int closed;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);

  if ((rows = tb_store_compliance_list_open_recordings (store, error)) == NULL)
    return FALSE;
  /* The files first: a crash now leaves them finalized and the attempts still open, and the
   * next run finds the same attempts again. */
  for (guint i = 0; i < rows->len; i++) {
    const TbRecordingRow *row = g_ptr_array_index (rows, i);

    if (finish_recording (store, row, &r))
      g_array_append_val (unnamed, row->attempt_id);
  }

  /* A call whose end was written just before the crash may have a recording its recorder had
   * not finished: its header is made to say what the file holds (a finished one is left as
   * it is). */
  {
    g_autoptr(GPtrArray) recent = tb_store_compliance_list_recent_recordings (store, NULL);

    for (guint i = 0; recent != NULL && i < recent->len; i++) {
      const TbRecordingRow *row = g_ptr_array_index (recent, i);
      g_autofree char *path = tb_store_resolve_path (store, row->path);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        tb_pcm_finalize_wav (path, NULL, NULL);
    }
  }

  if (!tb_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < unnamed->len; i++)
    if (!tb_store_attempt_set_recording (store, g_array_index (unnamed, gint64, i), NULL,
                                         error))
      goto fail;
  if ((closed = tb_store_attempts_close_interrupted (store, now, error)) < 0)
    goto fail;
  r.closed = (guint) closed;
  if (closed > 0) {
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "closed");
    json_builder_add_int_value (b, closed);
    json_builder_set_member_name (b, "recordings_finalized");
    json_builder_add_int_value (b, r.recordings_finalized);
    json_builder_set_member_name (b, "recordings_removed");
    json_builder_add_int_value (b, r.recordings_removed);
    json_builder_end_object (b);
    detail = json_builder_get_root (b);
    if (tb_audit_append (store, now, "calls.interrupted", NULL, 0, 0, detail, error) == 0)
      goto fail;
  }
  if (!tb_store_commit (store, error))
    return FALSE;
  if (report != NULL)
    *report = r;
  return TRUE;

fail:
  tb_store_rollback (store);
  return FALSE;
}
