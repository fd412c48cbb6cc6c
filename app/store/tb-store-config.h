/* tb-store-config.h — lists, scripts, lines and campaigns: the things a user configures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* Row ids are > 0; 0 means "none" and comes with @error set. */
gint64   tb_store_ensure_list      (TbStore     *self,
                                    const char  *name,
                                    const char  *source,
                                    GError     **error);
/* Renames a contact list; TB_STORE_ERROR_CONSTRAINT when another list has @name. */
gboolean tb_store_rename_list      (TbStore     *self,
                                    gint64       list_id,
                                    const char  *name,
                                    GError     **error);
/* Deletes a contact list with its contacts. Their calls stay in the history, with their
 * numbers and outcomes (no longer linked to a contact); campaigns that used the list keep
 * their record. Refused (TB_STORE_ERROR_CONSTRAINT, saying why) while a running or paused
 * campaign uses the list. */
gboolean tb_store_delete_list      (TbStore     *self,
                                    gint64       list_id,
                                    GError     **error);
gint64   tb_store_find_list        (TbStore     *self,
                                    const char  *name);

gint64   tb_store_save_script      (TbStore     *self,
                                    const char  *name,
                                    const char  *language,
                                    const char  *document,
                                    GError     **error);
gint64   tb_store_find_script      (TbStore     *self,
                                    const char  *name);
char    *tb_store_dup_script_document (TbStore  *self,
                                    gint64       script_id,
                                    GError     **error);
/* Fails (TB_STORE_ERROR_CONSTRAINT) while a campaign uses the script. */
gboolean tb_store_delete_script    (TbStore     *self,
                                    const char  *name,
                                    GError     **error);

gint64   tb_store_add_line         (TbStore     *self,
                                    const char  *name,
                                    const char  *kind,
                                    const char  *config_json,
                                    int          max_calls,
                                    GError     **error);
gint64   tb_store_find_line        (TbStore     *self,
                                    const char  *name);

gint64   tb_store_create_campaign  (TbStore     *self,
                                    const char  *name,
                                    gint64       list_id,
                                    gint64       script_id,
                                    gint64       line_id,
                                    const char  *policies,
                                    int          concurrency,
                                    GError     **error);
gint64   tb_store_find_campaign    (TbStore     *self,
                                    const char  *name);
gboolean tb_store_set_campaign_retry_rules (TbStore     *self,
                                    gint64       campaign_id,
                                    const char  *rules_json,
                                    GError     **error);

typedef struct {
  gint64  id;
  char   *name;
  gint64  list_id;
  gint64  script_id;
  gint64  line_id;
  char   *policies;      /* comma-separated pack codes */
  int     concurrency;
  char   *retry_rules;   /* JSON */
  char   *state;         /* draft, running, paused, finished */
  char   *state_reason;  /* why it paused by itself, or NULL */
  char   *list_name;
  char   *script_name;
  char   *line_name;
} TbCampaignRow;

void     tb_campaign_row_free      (TbCampaignRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbCampaignRow, tb_campaign_row_free)

/* NULL with TB_STORE_ERROR_NOT_FOUND when there is no such campaign. */
TbCampaignRow *tb_store_get_campaign (TbStore     *self,
                                      gint64       campaign_id,
                                      GError     **error);

/* Names of the rows of lists, scripts, lines or campaigns, by name. */
GStrv    tb_store_dup_names        (TbStore     *self,
                                    const char  *table);

/* Rows in one of the store's tables (the name must be a known table). */
gint64   tb_store_count_rows       (TbStore     *self,
                                    const char  *table);

G_END_DECLS
