/* tb-problems-list.h — what is wrong with the script, node by node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-script-document.h"

G_BEGIN_DECLS

/* One problem of a script: the node it is about (NULL: the script as a whole). */
typedef struct {
  char     *node_id;
  char     *message;
  gboolean  warning;      /* FALSE: an error, which keeps the script from any campaign */
  char     *disclosure;   /* the disclosure marking node_id as saying would solve, or NULL */
} TbEditorProblem;

/* An error; set the other fields after. */
TbEditorProblem *tb_editor_problem_new  (const char      *node_id,
                                         const char      *message);
void             tb_editor_problem_free (TbEditorProblem *problem);

/* Checks a document; returns a new array of TbEditorProblem (with its free
 * function set), empty when all is well. The Scripts page runs it after edits. */
typedef GPtrArray *(*TbEditorCheckFunc) (TbScriptDocument *document,
                                         gpointer          user_data);

#define TB_TYPE_PROBLEMS_LIST (tb_problems_list_get_type ())
G_DECLARE_FINAL_TYPE (TbProblemsList, tb_problems_list, TB, PROBLEMS_LIST, AdwBin)

GtkWidget *tb_problems_list_new            (void);
void       tb_problems_list_set_problems   (TbProblemsList *self,
                                            GPtrArray      *problems);
guint      tb_problems_list_get_n_problems (TbProblemsList *self);
guint      tb_problems_list_get_n_errors   (TbProblemsList *self);

G_END_DECLS
