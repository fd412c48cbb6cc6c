/* tb-not-understood-list.h — what callees said that the robot did not understand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-campaign-report.h"

G_BEGIN_DECLS

#define TB_TYPE_NOT_UNDERSTOOD_LIST (tb_not_understood_list_get_type ())
G_DECLARE_FINAL_TYPE (TbNotUnderstoodList, tb_not_understood_list, TB, NOT_UNDERSTOOD_LIST,
                      AdwBin)

TbNotUnderstoodList *tb_not_understood_list_new        (void);
/* Shows @report's groups (copied: the report may be freed); NULL: none. */
void                 tb_not_understood_list_set_report (TbNotUnderstoodList *self,
                                                        TbCampaignReport    *report);
guint                tb_not_understood_list_get_n_groups (TbNotUnderstoodList *self);
/* The intents the node of group @index listens for, in its script (NULL-terminated). */
GStrv                tb_not_understood_list_dup_intents (TbNotUnderstoodList *self,
                                                         guint                index);
/* The recording the Play button of a group is playing (not-understood.play u: plays, or
 * pauses it again); NULL: none. */
const char          *tb_not_understood_list_get_playing (TbNotUnderstoodList *self);
/* "Add as a phrase of intent …" (the action not-understood.add-phrase (us)): opens the
 * group's script on the Scripts page at its node with its words added to @intent, as an
 * undoable change, and the checker re-run. FALSE with @error when it cannot (the script has
 * unsaved changes of another script open, the node does not listen for @intent…). */
gboolean             tb_not_understood_list_add_phrase (TbNotUnderstoodList *self,
                                                        guint                index,
                                                        const char          *intent,
                                                        GError             **error);

G_END_DECLS
