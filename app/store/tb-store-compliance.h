/* tb-store-compliance.h — what the dial gate, abandonment pacing, retention and
 * export read from and write to the store (COMPLIANCE.md R1, R3, R4, R7, R8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* A minimal attempt row (one dial). The campaign's call session may own a
 * fuller writer; the gate only needs e164 and dialed_at. Returns the id, or 0
 * with @error set. @campaign_id, @contact_id, @line_id: 0 for none. */
gint64     tb_store_compliance_add_attempt      (TbStore     *self,
                                                 gint64       campaign_id,
                                                 gint64       contact_id,
                                                 gint64       line_id,
                                                 const char  *e164,
                                                 gint64       dialed_at,
                                                 GError     **error);
gboolean   tb_store_compliance_set_answered     (TbStore     *self,
                                                 gint64       attempt_id,
                                                 gint64       answered_at,
                                                 GError     **error);
/* R6.1/R7: the first bot audio of the call; later calls keep the first time. */
gboolean   tb_store_compliance_set_first_audio  (TbStore     *self,
                                                 gint64       attempt_id,
                                                 gint64       first_audio_at,
                                                 GError     **error);
gboolean   tb_store_compliance_set_ended        (TbStore     *self,
                                                 gint64       attempt_id,
                                                 gint64       ended_at,
                                                 const char  *outcome,
                                                 GError     **error);
gboolean   tb_store_compliance_set_recording    (TbStore     *self,
                                                 gint64       attempt_id,
                                                 const char  *path,
                                                 GError     **error);

gboolean   tb_store_compliance_mark_opt_out     (TbStore     *self,
                                                 gint64       attempt_id,
                                                 GError     **error);

/* Dial times (µs, ascending) of @e164 in (since, until], across every campaign
 * and line: R4 counts dials, not answers. NULL with @error on failure. */
GArray    *tb_store_compliance_list_dial_times  (TbStore     *self,
                                                 const char  *e164,
                                                 gint64       since,
                                                 gint64       until,
                                                 GError     **error);
/* The answer time of @e164's latest abandoned call (answered, no bot audio
 * within @max_silence_us) answered in (since, now]; 0 when none; -1 on error. */
gint64     tb_store_compliance_last_abandoned   (TbStore     *self,
                                                 const char  *e164,
                                                 gint64       since,
                                                 gint64       now,
                                                 gint64       max_silence_us,
                                                 GError     **error);
/* R7: a campaign's answered and abandoned calls answered in (since, now]. */
gboolean   tb_store_compliance_count_abandoned  (TbStore     *self,
                                                 gint64       campaign_id,
                                                 gint64       since,
                                                 gint64       now,
                                                 gint64       max_silence_us,
                                                 gint64      *answered,
                                                 gint64      *abandoned,
                                                 GError     **error);

/* Imported DNC registries (US-NDNC, UK-TPS, ...): when their data was fetched. */
gboolean   tb_store_compliance_set_registry     (TbStore     *self,
                                                 const char  *name,
                                                 gint64       fetched_at,
                                                 gint64       entries,
                                                 GError     **error);
/* µs, or 0 when the registry was never imported. */
gint64     tb_store_compliance_get_registry_fetched_at (TbStore    *self,
                                                        const char *name);

/* What the gate needs of a contact; strings are owned. */
typedef struct {
  char *e164;
  char *country;
  char *timezone;
  char *state;      /* fields.state or fields.region, if the CSV had one */
} TbComplianceContact;

void       tb_compliance_contact_clear          (TbComplianceContact *contact);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbComplianceContact, tb_compliance_contact_clear)

gboolean   tb_store_compliance_get_contact      (TbStore             *self,
                                                 gint64               contact_id,
                                                 TbComplianceContact *contact,
                                                 GError             **error);
/* The first contact row with this number (any list); FALSE if none. */
gboolean   tb_store_compliance_find_contact     (TbStore             *self,
                                                 const char          *e164,
                                                 TbComplianceContact *contact);
/* Visits the contacts of a campaign's list, in id order (own statement: the
 * visitor may use the store). Return FALSE from @func to stop. */
typedef gboolean (*TbComplianceContactFunc) (gint64                      contact_id,
                                             const TbComplianceContact  *contact,
                                             gpointer                    user_data);
gboolean   tb_store_compliance_foreach_campaign_contact (TbStore                 *self,
                                                         gint64                   campaign_id,
                                                         TbComplianceContactFunc  func,
                                                         gpointer                 user_data,
                                                         GError                 **error);
/* The same for the contacts of a list (a campaign not yet created). */
gboolean   tb_store_compliance_foreach_list_contact (TbStore                 *self,
                                                     gint64                   list_id,
                                                     TbComplianceContactFunc  func,
                                                     gpointer                 user_data,
                                                     GError                 **error);
/* The campaign's comma-separated pack codes, or NULL with @error. */
char      *tb_store_compliance_dup_campaign_policies (TbStore    *self,
                                                      gint64      campaign_id,
                                                      GError    **error);

/* Retention: attempts dialed before @before that still have a recording. */
typedef struct {
  gint64  attempt_id;
  char   *e164;
  char   *path;
  gint64  dialed_at;
} TbRecordingRow;

void       tb_recording_row_free                (TbRecordingRow *row);
GPtrArray *tb_store_compliance_list_recent_recordings (TbStore  *self,
                                                       GError  **error);
GPtrArray *tb_store_compliance_list_recordings_before (TbStore  *self,
                                                       gint64    before,
                                                       GError  **error);
/* Attempts still open (a crash cut them) that name a recording. */
GPtrArray *tb_store_compliance_list_open_recordings (TbStore  *self,
                                                     GError  **error);
/* Every attempt that names a recording. */
GPtrArray *tb_store_compliance_list_recordings  (TbStore  *self,
                                                 GError  **error);

/* Export (R8): the rows of one number as a{sv} GVariants, one per row, from
 * @what: "contacts", "dnc", "consent", "attempts", "turns", "queue", "number_status". */
GPtrArray *tb_store_compliance_dump_rows        (TbStore     *self,
                                                 const char  *what,
                                                 const char  *e164,
                                                 GError     **error);

/* The same for one campaign (R8), from @what: "campaign", "queue", "attempts",
 * "turns". */
GPtrArray *tb_store_compliance_dump_campaign_rows (TbStore     *self,
                                                   const char  *what,
                                                   gint64       campaign_id,
                                                   GError     **error);

/* Numbers written before the store refused non-E.164 ones (migration 3 flags them): calls
 * @fix for each, and rewrites every row of dnc, consent, contacts and attempts where it
 * returns E.164 (a DNC row whose number is already listed is folded into it; a contact
 * already in its list under the fixed number keeps its old text). One transaction; clears
 * the flag. @n_unfixed: rows left as they were. Returns the rows rewritten, -1 on error. */
typedef char *(*TbStoreNumberFix) (const char *raw,
                                   gpointer    user_data);

gint64     tb_store_compliance_repair_numbers   (TbStore          *self,
                                                 TbStoreNumberFix  fix,
                                                 gpointer          user_data,
                                                 gint64           *n_unfixed,
                                                 GError          **error);

G_END_DECLS
