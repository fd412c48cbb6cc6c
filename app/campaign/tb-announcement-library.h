/* tb-announcement-library.h — the carrier announcements a call is compared with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two manifests (data/announcements/README.md): the shipped one (data/announcements/
 * manifest.json: texts espeak-ng says, so the simulated line's announcements are recognised)
 * and the business's own, in the data folder next to the database (announcements/
 * manifest.json and the recordings `telebot-cli announcement add` cut from its calls).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What an announcement says about the number (the attempt's outcome). */
gboolean     tb_announcement_outcome_is_valid (const char *outcome);
/* "vacant", "powered_off", "suspended", "unreachable", "busy", NULL-terminated. */
const char *const *tb_announcement_outcomes   (void);

typedef struct {
  char     *id;
  char     *outcome;
  char     *language;
  char     *text;        /* said by espeak-ng in @voice (shipped entries), or NULL */
  char     *voice;
  char     *file;        /* a recording, absolute path, or NULL */
  gboolean  user;        /* from the business's manifest */
} TbAnnouncementEntry;

void         tb_announcement_entry_free       (TbAnnouncementEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbAnnouncementEntry, tb_announcement_entry_free)

/* The folder of the business's additions: @data_dir/announcements. */
char        *tb_announcement_library_dup_user_dir (const char  *data_dir);
/* Every entry, shipped first. @data_dir: the store's data folder (NULL: shipped only). */
GPtrArray   *tb_announcement_library_list     (const char   *data_dir,
                                               GError      **error);
/* The prints of every entry (TbAnnouncementPrint*): renders the texts, reads the recordings.
 * Blocking (espeak-ng): call it from a worker thread. An entry that cannot be read is skipped
 * and named in @skipped (may be NULL). */
GPtrArray   *tb_announcement_library_load     (const char   *data_dir,
                                               GString      *skipped,
                                               GError      **error);
/* The same in a thread, once per process and data folder (again when the business's
 * manifest changed). */
void         tb_announcement_library_load_async  (const char          *data_dir,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray   *tb_announcement_library_load_finish (GAsyncResult        *result,
                                                  GError             **error);
/* Adds @from_s..@to_s (seconds; @to_s <= 0: to the end) of the WAV @path to the business's
 * library as @outcome: the cut is saved as an 8 kHz WAV beside the manifest. @id NULL: made
 * from the outcome. Returns the new entry. */
TbAnnouncementEntry *tb_announcement_library_add (const char  *data_dir,
                                                  const char  *path,
                                                  const char  *outcome,
                                                  const char  *language,
                                                  const char  *id,
                                                  double       from_s,
                                                  double       to_s,
                                                  GError     **error);
/* The callee's side (the left channel: the robot's voice is no part of an announcement) of
 * the first 8 s of call recording @recording, added as @outcome. In a thread. */
void         tb_announcement_library_add_from_call_async  (const char          *data_dir,
                                                           const char          *recording,
                                                           const char          *outcome,
                                                           const char          *language,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
TbAnnouncementEntry *tb_announcement_library_add_from_call_finish (GAsyncResult  *result,
                                                                   GError       **error);

G_END_DECLS
