/* tb-ui-test-util.h — run a real Telebot window in a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-application.h"

G_BEGIN_DECLS

typedef void (*TbUiTestFunc) (TbApplication *app, gpointer user_data);

/* Registers a test that runs @func in a child process against a running
 * TbApplication on a fresh database (filled with the demo when @demo). */
void        tb_ui_test_add                  (const char   *path,
                                             gboolean      demo,
                                             TbUiTestFunc  func,
                                             gpointer      user_data);
/* Runs the main loop until pending work and a few frames are done. */
void        tb_ui_test_settle               (void);
/* Runs the main loop until @condition holds or @timeout_ms passes; returns the condition. */
gboolean    tb_ui_test_wait                 (gboolean    (*condition) (gpointer),
                                             gpointer      data,
                                             guint         timeout_ms);
GtkWidget  *tb_ui_test_find_by_type         (GtkWidget    *root,
                                             GType         type);
GtkWidget  *tb_ui_test_find_visible_by_type (GtkWidget    *root,
                                             GType         type);
/* The first widget below @root whose name (gtk_widget_set_name, "name" in .ui) is @name. */
GtkWidget  *tb_ui_test_find_by_name         (GtkWidget    *root,
                                             const char   *name);
/* The first GtkLabel below @root showing exactly @text. */
GtkWidget  *tb_ui_test_find_label           (GtkWidget    *root,
                                             const char   *text);
/* The first GtkLabel below @root whose text contains @part. */
GtkWidget  *tb_ui_test_find_label_containing (GtkWidget   *root,
                                              const char  *part);
/* Writes $TELEBOT_BUILD_DIR/screenshots/NAME.png and returns its path. */
char       *tb_ui_test_screenshot           (GtkWidget    *widget,
                                             const char   *name);
const char *tb_ui_test_get_db_path          (void);
/* Sizes the main window of @app to 800×600 and shows each of its pages (the first campaign's
 * pool given a line with caller numbers, one with a health warning): asserts that the
 * window stays within 800×600 (its measured minimum fits) and that nothing on it is cut, and
 * writes a screenshot "@prefix-800x600-PAGE" of each; then the same for each page of
 * Preferences and for the New Campaign and Import dialogs. */
void        tb_ui_test_check_small_window   (TbApplication *app,
                                             const char    *prefix);

G_END_DECLS
