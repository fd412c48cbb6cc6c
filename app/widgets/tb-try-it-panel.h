/* tb-try-it-panel.h — talk to the script as the callee would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-script-document.h"

G_BEGIN_DECLS

#define TB_TYPE_TRY_IT_PANEL (tb_try_it_panel_get_type ())
G_DECLARE_FINAL_TYPE (TbTryItPanel, tb_try_it_panel, TB, TRY_IT_PANEL, AdwBin)

/* The dialog engine behind the panel. start() begins a conversation on the
 * document, say() hands it what the callee typed, say_audio() (optional)
 * what the callee said into the desk's microphone (8 kHz mono PCM); the
 * engine answers by calling tb_try_it_panel_add_turn(), _set_node() and
 * _set_grade(). */
typedef struct {
  void (*start)     (TbTryItPanel     *panel,
                     TbScriptDocument *document,
                     gpointer          user_data);
  void (*say)       (TbTryItPanel     *panel,
                     const char       *callee_text,
                     gpointer          user_data);
  void (*say_audio) (TbTryItPanel     *panel,
                     GBytes           *pcm,
                     gpointer          user_data);
} TbTryItEngine;

GtkWidget *tb_try_it_panel_new          (void);
void       tb_try_it_panel_set_document (TbTryItPanel        *self,
                                         TbScriptDocument    *document);
void       tb_try_it_panel_set_engine   (TbTryItPanel        *self,
                                         const TbTryItEngine *engine,
                                         gpointer             user_data,
                                         GDestroyNotify       destroy);
void       tb_try_it_panel_restart      (TbTryItPanel        *self);
void       tb_try_it_panel_add_turn     (TbTryItPanel        *self,
                                         gboolean             bot,
                                         const char          *text);
/* Why the callee's last words were understood as they were: @intent (NULL: not understood;
 * "opt_out?": maybe an opt-out, the robot asks), the phrase or built-in rule, the confidence. */
void       tb_try_it_panel_add_reading  (TbTryItPanel        *self,
                                         const char          *intent,
                                         const char          *rule,
                                         double               confidence);
void       tb_try_it_panel_set_node     (TbTryItPanel        *self,
                                         const char          *node_id);
void       tb_try_it_panel_set_grade    (TbTryItPanel        *self,
                                         const char          *grade,
                                         int                  score);
guint      tb_try_it_panel_get_n_turns  (TbTryItPanel        *self);
/* A line under the conversation: what is happening ("Listening…", an error). */
void       tb_try_it_panel_set_status   (TbTryItPanel        *self,
                                         const char          *status);

G_END_DECLS
