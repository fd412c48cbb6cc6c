/* tb-dnc-export.c — the do-not-call list to CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the business's records and for a second system that must not call these people either
 * (COMPLIANCE.md R1): the window's export and `telebot-cli dnc export` write this.
 */
#define G_LOG_DOMAIN "tb-dnc-export"

#include "config.h"

#include "tb-dnc-export.h"
#include "tb-csv-export-file.h"
#include "tb-csv-writer.h"
#include "tb-store-dnc.h"

static const char * const columns[] = { "number", "source", "reason", "added", "expires" };

typedef struct {
  GOutputStream *out;
  GCancellable  *cancellable;
  GString       *line;
  gint64         rows;
} Export;

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) t = NULL;

  if (usec <= 0)
    return g_strdup ("");
  t = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  return t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static gboolean
write_entry (const TbDncEntry  *entry,
             gpointer           user_data,
             GError           **error)
{
  Export *ex = user_data;
  g_autofree char *added = format_time (entry->created_at);
  g_autofree char *expires = format_time (entry->expires_at);
  const char *cells[G_N_ELEMENTS (columns)] = {
    entry->e164, entry->source, entry->reason ? entry->reason : "", added, expires,
  };

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++) {
    if (i > 0)
      g_string_append_c (ex->line, ',');
    tb_csv_append_text_cell (ex->line, cells[i], ',');
  }
  g_string_append (ex->line, "\r\n");
  ex->rows++;
  if (g_cancellable_set_error_if_cancelled (ex->cancellable, error))
    return FALSE;
  return tb_csv_write_pending (ex->out, ex->line, TB_CSV_WRITE_CHUNK, ex->cancellable, error);
}

gint64
tb_dnc_export (TbStore        *store,
               GOutputStream  *out,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(GString) line = g_string_sized_new (TB_CSV_WRITE_CHUNK);
  Export ex = { out, cancellable, line, 0 };

  g_return_val_if_fail (TB_IS_STORE (store), -1);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), -1);

  tb_csv_append_row (line, columns, G_N_ELEMENTS (columns), ',');
  if (!tb_store_dnc_foreach (store, write_entry, &ex, error) ||
      !tb_csv_write_pending (out, line, 0, cancellable, error))
    return -1;
  return ex.rows;
}

static gint64
export_all (TbStore        *store,
            GOutputStream  *out,
            gpointer        data,
            GCancellable   *cancellable,
            GError        **error)
{
  return tb_dnc_export (store, out, cancellable, error);
}

void
tb_dnc_export_file_async (TbStore             *store,
                          GFile               *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  tb_csv_export_file_async (store, file, export_all, NULL, NULL, tb_dnc_export_file_async,
                            cancellable, callback, user_data);
}

gint64
tb_dnc_export_file_finish (GAsyncResult  *result,
                           GError       **error)
{
  return tb_csv_export_file_finish (result, error);
}
