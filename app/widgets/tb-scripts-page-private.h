/* tb-scripts-page-private.h — shared by tb-scripts-page*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-flow-canvas.h"
#include "tb-intents-editor.h"
#include "tb-node-inspector.h"
#include "tb-scripts-page.h"
#include "tb-store.h"
#include "tb-try-it-panel.h"

G_BEGIN_DECLS

struct _TbScriptsPage
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkStack          *stack;
  GtkListBox        *list;
  TbFlowCanvas      *canvas;
  TbNodeInspector   *inspector;
  TbIntentsEditor   *intents_editor;
  TbProblemsList    *problems;
  AdwViewStackPage  *problems_page;
  AdwViewStack      *side_stack;
  TbTryItPanel      *try_it;
  GtkLabel          *title_label;
  GtkLabel          *subtitle_label;
  GtkButton         *zoom_button;
  GtkWidget         *sidebar;
  GtkToggleButton   *sidebar_button;
  GtkPaned          *vpaned;

  /* owned */
  TbScriptDocument  *document;
  char              *current;        /* the script's name in the store */
  char              *pending;        /* the script to open once unsaved changes are settled */
  TbEditorCheckFunc  check_func;
  gpointer           check_data;

  /* handler and source ids */
  gulong             changed_id;
  gulong             modified_id;
  guint              check_source;
  guint              zoom_idle;

  guint              layout_idle;
  gboolean           narrow;         /* the page was narrower than NARROW_WIDTH last time */
  int                panel_height;   /* the height the Problems/Try it panel was placed for */
  gboolean           filling;        /* the list is being refilled: not a user's choice */
  gboolean           closing;        /* the window waits for unsaved changes to be settled */
};

void     _tb_scripts_page_toast         (TbScriptsPage *self,
                                         const char    *message);
void     _tb_scripts_page_reload        (TbScriptsPage *self);
void     _tb_scripts_page_select_name   (TbScriptsPage *self,
                                         const char    *name);
gboolean _tb_scripts_page_save          (TbScriptsPage *self,
                                         GError       **error);
void     _tb_scripts_page_update_actions (TbScriptsPage *self);
void     _tb_scripts_page_toggle_sidebar (TbScriptsPage *self);
void     _tb_scripts_page_class_init_actions (GtkWidgetClass *widget_class);

/* tb-scripts-page-engine.c: the script engine behind the checker and Try it. */
GPtrArray *_tb_scripts_page_check       (TbScriptDocument *document,
                                         gpointer          user_data);
void     _tb_scripts_page_set_up_try_it (TbTryItPanel     *panel);

G_END_DECLS
