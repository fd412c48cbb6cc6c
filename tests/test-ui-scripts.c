/* test-ui-scripts.c — the script editor on the Scripts page, driven through
 * its actions and widgets in a real window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb and dbus-run-session (./dev test ui); G_DEBUG=fatal-warnings
 * makes any GTK warning fail the test.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "tb-application.h"
#include "tb-campaign-preflight.h"
#include "tb-flow-canvas.h"
#include "tb-intents-editor.h"
#include "tb-node-inspector.h"
#include "tb-pcm.h"
#include "tb-problems-list.h"
#include "tb-script.h"
#include "tb-script-document.h"
#include "tb-scripts-page.h"
#include "tb-store-config.h"
#include "tb-try-it-panel.h"
#include "tb-ui-test-util.h"
#include "tb-window.h"

typedef struct {
  GtkWindow        *window;
  TbScriptsPage    *page;
  TbFlowCanvas     *canvas;
  TbNodeInspector  *inspector;
  TbScriptDocument *document;
} Editor;

static void
editor_init (Editor        *e,
             TbApplication *app)
{
  e->window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (TB_IS_WINDOW (e->window));
  g_action_group_activate_action (G_ACTION_GROUP (e->window), "page",
                                  g_variant_new_string ("scripts"));
  tb_ui_test_settle ();
  e->page = TB_SCRIPTS_PAGE (tb_ui_test_find_by_type (GTK_WIDGET (e->window),
                                                      TB_TYPE_SCRIPTS_PAGE));
  e->canvas = TB_FLOW_CANVAS (tb_ui_test_find_by_type (GTK_WIDGET (e->page),
                                                       TB_TYPE_FLOW_CANVAS));
  e->inspector = TB_NODE_INSPECTOR (tb_ui_test_find_by_type (GTK_WIDGET (e->page),
                                                             TB_TYPE_NODE_INSPECTOR));
  e->document = tb_scripts_page_get_document (e->page);
  g_assert_nonnull (e->page);
  g_assert_nonnull (e->canvas);
  g_assert_nonnull (e->inspector);
  g_assert_true (tb_flow_canvas_get_document (e->canvas) == e->document);
}

/* Types into the inspector's prompt editor, as a user would. */
static void
inspector_set_text (Editor     *e,
                    const char *text)
{
  GtkWidget *view = tb_ui_test_find_by_type (GTK_WIDGET (e->inspector), GTK_SOURCE_TYPE_VIEW);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, text, -1);
}

/* The first entry row of the inspector is the node id; apply renames. */
static void
inspector_rename (Editor     *e,
                  const char *new_id)
{
  GtkWidget *row = tb_ui_test_find_by_type (GTK_WIDGET (e->inspector), ADW_TYPE_ENTRY_ROW);

  gtk_editable_set_text (GTK_EDITABLE (row), new_id);
  g_signal_emit_by_name (row, "apply");
}

static JsonNode *
parse (const char *json)
{
  JsonNode *node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return node;
}

/* A deep copy: json_node_copy() shares objects with the live document. */
static JsonNode *
snapshot_document (TbScriptDocument *document)
{
  g_autofree char *json = tb_script_document_to_json (document);

  return parse (json);
}

static GtkWidget *
find_button_with_key (GtkWidget  *root,
                      const char *key)
{
  if (GTK_IS_BUTTON (root) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (root), "route-key"), key) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_button_with_key (child, key);

    if (found != NULL)
      return found;
  }
  return NULL;
}

static void
test_build_save_reload (TbApplication *app,
                        gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  g_autoptr(JsonNode) built = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *built_json = NULL;
  g_autofree char *stored_json = NULL;
  g_autofree char *id = NULL;
  GtkWidget *intents;
  GtkWidget *new_intent;
  GtkWidget *popover;
  GtkWidget *button;
  Editor e;

  editor_init (&e, app);

  /* New script: the skeleton (a disclosure node "intro") is opened. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.new", NULL));
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_scripts_page_get_script_name (e.page), ==, "Untitled Script");
  g_assert_true (tb_script_document_has_node (e.document, "intro"));
  g_assert_false (tb_script_document_get_modified (e.document));

  /* An ask node, renamed and written through the inspector. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.canvas), "script.add-node", "s", "ask"));
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_flow_canvas_get_selected_node (e.canvas), ==, "ask");
  g_assert_cmpstr (tb_node_inspector_get_node_id (e.inspector), ==, "ask");
  inspector_rename (&e, "pitch");
  tb_ui_test_settle ();
  g_assert_false (tb_script_document_has_node (e.document, "ask"));
  g_assert_cmpstr (tb_script_document_get_node_type (e.document, "pitch"), ==, "ask");
  g_assert_cmpstr (tb_flow_canvas_get_selected_node (e.canvas), ==, "pitch");
  inspector_set_text (&e, "Would you like to hear more, {name}?");
  g_assert_cmpstr (tb_script_document_get_node_text (e.document, "pitch"), ==,
                   "Would you like to hear more, {name}?");

  /* A hang-up node, added with the Ctrl+N action's parameter. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.add-node", "s",
                                             "hangup"));
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_flow_canvas_get_selected_node (e.canvas), ==, "hangup");
  inspector_set_text (&e, "Thank you. Goodbye.");
  g_assert_cmpstr (tb_script_document_get_node_text (e.document, "hangup"), ==,
                   "Thank you. Goodbye.");

  /* An intent, through the Intents tab. */
  intents = tb_ui_test_find_by_type (GTK_WIDGET (e.page), TB_TYPE_INTENTS_EDITOR);
  new_intent = tb_ui_test_find_by_type (intents, ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (new_intent), "yes");
  g_signal_emit_by_name (new_intent, "apply");
  tb_ui_test_settle ();
  {
    g_auto(GStrv) ids = tb_script_document_dup_intent_ids (e.document, FALSE);

    g_assert_cmpstrv (ids, ((const char * const[]) { "yes", NULL }));
  }

  /* Routes, through the canvas's connect API (what a drag between cards does). */
  tb_flow_canvas_connect (e.canvas, "intro", "pitch", NULL);
  tb_flow_canvas_connect (e.canvas, "pitch", "hangup", "yes");
  g_assert_cmpstr (tb_script_document_get_node_next (e.document, "intro"), ==, "pitch");
  g_assert_cmpstr (tb_script_document_get_route (e.document, "pitch", "yes"), ==, "hangup");

  /* From an ask node without an intent, a popover asks which answer. */
  tb_flow_canvas_connect (e.canvas, "pitch", "hangup", NULL);
  tb_ui_test_settle ();
  popover = tb_ui_test_find_by_type (GTK_WIDGET (e.canvas), GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  button = find_button_with_key (popover, "no_match");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_script_document_get_route (e.document, "pitch", "no_match"), ==, "hangup");

  /* Save (Ctrl+S's action) writes the document and clears the dirty mark. */
  g_assert_true (tb_script_document_get_modified (e.document));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.canvas), "script.save", NULL));
  tb_ui_test_settle ();
  g_assert_false (tb_script_document_get_modified (e.document));
  built_json = tb_script_document_to_json (e.document);
  built = parse (built_json);

  stored_json = tb_store_dup_script_document (store, tb_store_find_script (store,
                                                                           "Untitled Script"),
                                              NULL);
  g_assert_nonnull (stored_json);
  stored = parse (stored_json);
  g_assert_true (json_node_equal (built, stored));

  /* Reopening from the store shows the same document. */
  g_assert_true (tb_scripts_page_open_script (e.page, "Untitled Script", NULL));
  tb_ui_test_settle ();
  {
    g_autoptr(JsonNode) reopened = snapshot_document (e.document);

    g_assert_true (json_node_equal (built, reopened));
  }
  g_assert_cmpstr (tb_script_document_get_start (e.document), ==, "intro");

  /* Deleting: a fresh script goes; nothing else is touched. */
  id = g_strdup ("Untitled Script");
  g_assert_true (tb_store_delete_script (store, id, NULL));
  g_assert_cmpint (tb_store_find_script (store, id), ==, 0);
}

static void
test_undo_redo_layout (TbApplication *app,
                       gpointer       user_data)
{
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  TbStore *store = tb_application_get_store (app);
  Editor e;

  editor_init (&e, app);
  g_assert_nonnull (tb_scripts_page_get_script_name (e.page));

  /* The demo campaign uses the demo script: it cannot be deleted. */
  g_assert_false (tb_store_delete_script (store, tb_scripts_page_get_script_name (e.page),
                                          &error));
  g_assert_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (tb_script_document_has_node (e.document, "pitch"));
  before = snapshot_document (e.document);

  /* Three edits: a node, its text, a removal. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.canvas), "script.add-node", "s", "say"));
  inspector_set_text (&e, "One moment please.");
  tb_flow_canvas_select_node (e.canvas, "goodbye_no");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.canvas), "script.delete-node", NULL));
  tb_ui_test_settle ();
  g_assert_false (tb_script_document_has_node (e.document, "goodbye_no"));
  /* Routes to a removed node go with it. */
  g_assert_null (tb_script_document_get_route (e.document, "pitch", "no"));
  after = snapshot_document (e.document);
  g_assert_false (json_node_equal (before, after));

  for (guint i = 0; i < 3; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.canvas), "script.undo", NULL));
  tb_ui_test_settle ();
  g_assert_true (json_node_equal (before, tb_script_document_get_root (e.document)));
  g_assert_false (tb_script_document_can_undo (e.document));
  g_assert_false (tb_script_document_get_modified (e.document));

  for (guint i = 0; i < 3; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.canvas), "script.redo", NULL));
  tb_ui_test_settle ();
  g_assert_true (json_node_equal (after, tb_script_document_get_root (e.document)));
  g_assert_true (tb_script_document_get_modified (e.document));
  g_assert_false (tb_script_document_can_redo (e.document));

  /* A rename that would clash is refused and changes nothing. */
  g_assert_false (tb_script_document_rename_node (e.document, "pitch", "intro", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (json_node_equal (after, tb_script_document_get_root (e.document)));

  /* Automatic layout: every card at its own place, none overlapping. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.auto-layout", NULL));
  tb_ui_test_settle ();
  ids = tb_script_document_dup_node_ids (e.document);
  g_assert_cmpuint (g_strv_length (ids), ==, 8);   /* the demo script's nodes */
  for (guint i = 0; ids[i] != NULL; i++) {
    double x, y;

    g_assert_true (tb_script_document_get_position (e.document, ids[i], &x, &y));
    g_assert_true (g_hash_table_add (seen, g_strdup_printf ("%.0f,%.0f", x, y)));
    for (guint j = 0; j < i; j++) {
      double ox, oy;

      tb_script_document_get_position (e.document, ids[j], &ox, &oy);
      g_assert_true (ABS (x - ox) >= TB_SCRIPT_CARD_WIDTH || ABS (y - oy) >= TB_SCRIPT_CARD_HEIGHT);
    }
  }
  /* The start node is in the first column, the one it leads to in the second. */
  {
    double sx, sy, px, py;

    tb_script_document_get_position (e.document, "intro", &sx, &sy);
    tb_script_document_get_position (e.document, "pitch", &px, &py);
    g_assert_cmpfloat (px, >, sx);
  }
  /* Layout is one undo step. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.canvas), "script.undo", NULL));
  g_assert_true (json_node_equal (after, tb_script_document_get_root (e.document)));
}

static void
record_say (TbTryItPanel *panel,
            const char   *text,
            gpointer      user_data)
{
  char **heard = user_data;

  g_free (*heard);
  *heard = g_strdup (text);
}

static GtkGesture *
find_drag_gesture (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++) {
    g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

    if (GTK_IS_GESTURE_DRAG (controller))
      return GTK_GESTURE (controller);
  }
  return NULL;
}

/* Replays a drag through the canvas's own gesture handlers. */
static void
drag (GtkGesture *gesture,
      double      x,
      double      y,
      double      dx,
      double      dy)
{
  g_signal_emit_by_name (gesture, "drag-begin", x, y);
  g_signal_emit_by_name (gesture, "drag-update", dx / 2, dy / 2);
  g_signal_emit_by_name (gesture, "drag-update", dx, dy);
  g_signal_emit_by_name (gesture, "drag-end", dx, dy);
}

static void
test_canvas_gestures (TbApplication *app,
                      gpointer       user_data)
{
  GtkGesture *gesture;
  graphene_rect_t goodbye, intro, transfer, moved;
  double x0, y0, x1, y1;
  g_autofree char *hit = NULL;
  Editor e;

  editor_init (&e, app);
  gesture = find_drag_gesture (GTK_WIDGET (e.canvas));
  g_assert_nonnull (gesture);
  g_assert_true (tb_flow_canvas_get_node_bounds (e.canvas, "goodbye_no", &goodbye));
  hit = tb_flow_canvas_dup_node_at (e.canvas, goodbye.origin.x + goodbye.size.width / 2,
                                    goodbye.origin.y + goodbye.size.height / 2);
  g_assert_cmpstr (hit, ==, "goodbye_no");

  /* Dragging a card moves it (and selects it), as one undo step. */
  tb_script_document_get_position (e.document, "goodbye_no", &x0, &y0);
  drag (gesture, goodbye.origin.x + 20, goodbye.origin.y + 40, 60, 30);
  g_assert_cmpstr (tb_flow_canvas_get_selected_node (e.canvas), ==, "goodbye_no");
  tb_script_document_get_position (e.document, "goodbye_no", &x1, &y1);
  g_assert_cmpfloat (ABS (x1 - x0 - 60 / tb_flow_canvas_get_zoom (e.canvas)), <, 1);
  g_assert_cmpfloat (ABS (y1 - y0 - 30 / tb_flow_canvas_get_zoom (e.canvas)), <, 1);
  g_assert_true (tb_flow_canvas_get_node_bounds (e.canvas, "goodbye_no", &moved));
  g_assert_cmpfloat (ABS (moved.origin.x - goodbye.origin.x - 60), <, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.canvas), "script.undo", NULL));
  tb_script_document_get_position (e.document, "goodbye_no", &x1, &y1);
  g_assert_cmpfloat (x1, ==, x0);
  g_assert_cmpfloat (y1, ==, y0);

  /* Dragging from a say card's handle onto another card sets its next. */
  g_assert_true (tb_flow_canvas_get_node_bounds (e.canvas, "intro", &intro));
  g_assert_true (tb_flow_canvas_get_node_bounds (e.canvas, "handoff", &transfer));
  drag (gesture, intro.origin.x + intro.size.width, intro.origin.y + intro.size.height / 2,
        transfer.origin.x + 30 - (intro.origin.x + intro.size.width),
        transfer.origin.y + 30 - (intro.origin.y + intro.size.height / 2));
  g_assert_cmpstr (tb_script_document_get_node_next (e.document, "intro"), ==, "handoff");

  /* Dragging empty canvas pans the view, not the document; it clears the selection. */
  {
    g_autofree char *before = tb_script_document_to_json (e.document);
    g_autofree char *after = NULL;
    graphene_rect_t panned;

    tb_flow_canvas_get_node_bounds (e.canvas, "intro", &intro);
    drag (gesture, 4, 4, 40, 25);
    tb_flow_canvas_get_node_bounds (e.canvas, "intro", &panned);
    g_assert_cmpfloat (ABS (panned.origin.x - intro.origin.x - 40), <, 0.01);
    g_assert_cmpfloat (ABS (panned.origin.y - intro.origin.y - 25), <, 0.01);
    after = tb_script_document_to_json (e.document);
    g_assert_cmpstr (before, ==, after);
    g_assert_null (tb_flow_canvas_get_selected_node (e.canvas));
  }
}

static GtkWidget *
find_widget_named (GtkWidget  *root,
                   const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c)) {
    GtkWidget *found = find_widget_named (c, name);

    if (found != NULL)
      return found;
  }
  return NULL;
}

/* Barge-in as a policy per node, set in the inspector: not in the first seconds of the prompt,
 * and whether "uh-huh" interrupts. The engine reads what the editor wrote. */
static void
test_barge_policy (TbApplication *app,
                   gpointer       user_data)
{
  GtkWidget *after, *backchannels;
  g_autofree char *json = NULL;
  g_autoptr(TbScript) script = NULL;
  g_autoptr(GError) error = NULL;
  const TbScriptNode *pitch;
  Editor e;

  editor_init (&e, app);
  tb_flow_canvas_select_node (e.canvas, "pitch");
  tb_ui_test_settle ();
  g_assert_true (tb_script_document_get_node_barge_in (e.document, "pitch"));
  after = find_widget_named (GTK_WIDGET (e.inspector), "barge-after");
  backchannels = find_widget_named (GTK_WIDGET (e.inspector), "barge-backchannels");
  g_assert_nonnull (after);
  g_assert_nonnull (backchannels);
  g_assert_true (gtk_widget_get_mapped (after));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (after), 1.5);
  gtk_switch_set_active (GTK_SWITCH (backchannels), TRUE);
  tb_ui_test_settle ();
  g_assert_cmpuint (tb_script_document_get_node_barge_after (e.document, "pitch"), ==, 1500);
  g_assert_true (tb_script_document_get_node_barge_backchannels (e.document, "pitch"));
  json = tb_script_document_to_json (e.document);
  script = tb_script_new_from_data (json, -1, "edited", &error);
  g_assert_no_error (error);
  pitch = tb_script_get_node (script, "pitch");
  g_assert_true (pitch->barge_in);
  g_assert_cmpuint (pitch->barge_after_ms, ==, 1500);
  g_assert_true (pitch->barge_backchannels);
  g_free (tb_ui_test_screenshot (GTK_WIDGET (e.inspector), "script-inspector-barge"));

  /* Back to the defaults: the plain `true`; undo brings the policy back. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (after), 0);
  gtk_switch_set_active (GTK_SWITCH (backchannels), FALSE);
  tb_ui_test_settle ();
  g_assert_cmpuint (tb_script_document_get_node_barge_after (e.document, "pitch"), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.canvas), "script.undo", NULL));
  tb_ui_test_settle ();
  g_assert_true (tb_script_document_get_node_barge_backchannels (e.document, "pitch"));

  /* Off: the policy rows go away. */
  tb_script_document_set_node_barge_in (e.document, "pitch", FALSE);
  tb_ui_test_settle ();
  g_assert_false (gtk_widget_get_mapped (after));
}

/* The silences that end the callee's turn, per ask node, set in the inspector: the engine
 * reads what the editor wrote, and the defaults leave no member behind. */
static void
test_end_silence (TbApplication *app,
                  gpointer       user_data)
{
  GtkWidget *full, *complete;
  g_autofree char *json = NULL;
  g_autoptr(TbScript) script = NULL;
  g_autoptr(GError) error = NULL;
  const TbScriptNode *pitch;
  Editor e;

  editor_init (&e, app);
  tb_flow_canvas_select_node (e.canvas, "pitch");
  tb_ui_test_settle ();
  full = find_widget_named (GTK_WIDGET (e.inspector), "end-silence");
  complete = find_widget_named (GTK_WIDGET (e.inspector), "end-silence-complete");
  g_assert_nonnull (full);
  g_assert_nonnull (complete);
  g_assert_true (gtk_widget_get_mapped (full));
  g_assert_cmpfloat (ABS (gtk_spin_button_get_value (GTK_SPIN_BUTTON (full)) - 0.35), <, 0.001);
  g_assert_cmpfloat (ABS (gtk_spin_button_get_value (GTK_SPIN_BUTTON (complete)) - 0.18), <,
                     0.001);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (full), 0.5);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (complete), 0.25);
  tb_ui_test_settle ();
  json = tb_script_document_to_json (e.document);
  script = tb_script_new_from_data (json, -1, "edited", &error);
  g_assert_no_error (error);
  pitch = tb_script_get_node (script, "pitch");
  g_assert_cmpuint (pitch->end_silence_ms, ==, 500);
  g_assert_cmpuint (pitch->end_silence_complete_ms, ==, 250);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (full), 0.35);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (complete), 0.18);
  tb_ui_test_settle ();
  g_clear_pointer (&json, g_free);
  json = tb_script_document_to_json (e.document);
  g_assert_null (strstr (json, "end_silence"));

  /* A say node does not listen: no such rows. */
  tb_flow_canvas_select_node (e.canvas, "intro");
  tb_ui_test_settle ();
  g_assert_false (gtk_widget_get_mapped (full));
}

/* At 800×600 the editor is usable: the window is not forced wider, the canvas keeps room
 * beside the inspector (never under it), and a node the user selects is in view. */
static void
test_small_window (TbApplication *app,
                   gpointer       user_data)
{
  graphene_rect_t canvas, inspector;
  Editor e;

  editor_init (&e, app);
  gtk_window_set_default_size (e.window, 800, 600);
  gtk_window_unmaximize (e.window);
  tb_ui_test_settle ();
  tb_flow_canvas_select_node (e.canvas, "pitch");
  tb_ui_test_settle ();
  g_free (tb_ui_test_screenshot (GTK_WIDGET (e.window), "script-editor-800x600"));
  g_test_message ("window %d×%d", gtk_widget_get_width (GTK_WIDGET (e.window)),
                  gtk_widget_get_height (GTK_WIDGET (e.window)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (e.window)), <=, 800);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (e.window)), <=, 600);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (e.canvas), GTK_WIDGET (e.window),
                                            &canvas));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (e.inspector), GTK_WIDGET (e.window),
                                            &inspector));
  g_test_message ("canvas %.0f+%.0f, inspector %.0f+%.0f", canvas.origin.x, canvas.size.width,
                  inspector.origin.x, inspector.size.width);
  g_assert_cmpfloat (canvas.size.width, >=, 250);
  g_assert_cmpfloat (canvas.size.height, >=, 200);
  g_assert_false (graphene_rect_intersection (&canvas, &inspector, NULL));
}

static void
test_demo_screenshot (TbApplication *app,
                      gpointer       user_data)
{
  g_autofree char *canvas_png = NULL;
  g_autofree char *window_png = NULL;
  TbTryItPanel *try_it;
  Editor e;

  editor_init (&e, app);
  tb_ui_test_settle ();

  /* Try It runs the real dialog engine: the opening (intro, then the pitch
   * that asks) is said, and the canvas marks the node that now listens. */
  try_it = TB_TRY_IT_PANEL (tb_ui_test_find_by_type (GTK_WIDGET (e.page), TB_TYPE_TRY_IT_PANEL));
  g_assert_cmpuint (tb_try_it_panel_get_n_turns (try_it), ==, 2);
  g_assert_cmpstr (tb_flow_canvas_get_highlighted_node (e.canvas), ==, "pitch");
  /* Typing as the callee: "yes" moves the call to the next question. */
  {
    GtkWidget *entry = tb_ui_test_find_by_type (GTK_WIDGET (try_it), GTK_TYPE_ENTRY);

    gtk_editable_set_text (GTK_EDITABLE (entry), "yes, tell me more");
    g_signal_emit_by_name (entry, "activate");
    tb_ui_test_settle ();
    g_assert_cmpuint (tb_try_it_panel_get_n_turns (try_it), ==, 4);
    g_assert_cmpstr (tb_flow_canvas_get_highlighted_node (e.canvas), ==, "details");
  }

  /* A desktop-sized window, the flow fitted in the view, a node selected. */
  gtk_window_set_default_size (e.window, 1400, 900);
  tb_ui_test_settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.canvas), "script.zoom-reset", NULL));
  tb_flow_canvas_select_node (e.canvas, "pitch");
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_node_inspector_get_node_id (e.inspector), ==, "pitch");
  /* {company} is a declared variable: the prompt editor marks it. */
  {
    GtkWidget *view = tb_ui_test_find_by_type (GTK_WIDGET (e.inspector), GTK_SOURCE_TYPE_VIEW);
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
    GtkTextTag *variable = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                                      "variable");
    GtkTextIter start, end, match;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    g_assert_true (gtk_text_iter_forward_search (&start, "{company}", 0, &match, NULL, NULL));
    g_assert_true (gtk_text_iter_has_tag (&match, variable));
    g_assert_false (gtk_text_iter_has_tag (&start, variable));
  }
  canvas_png = tb_ui_test_screenshot (GTK_WIDGET (e.canvas), "script-canvas");
  {
    /* The whole inspector of an ask node, beyond what its scrolled view shows. */
    GtkWidget *scroller = tb_ui_test_find_by_type (GTK_WIDGET (e.inspector),
                                                   GTK_TYPE_SCROLLED_WINDOW);
    GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
    g_autofree char *png = NULL;

    if (GTK_IS_VIEWPORT (content))
      content = gtk_viewport_get_child (GTK_VIEWPORT (content));
    png = tb_ui_test_screenshot (content, "script-inspector");
  }
  window_png = tb_ui_test_screenshot (GTK_WIDGET (e.window), "script-editor");
  g_assert_true (g_file_test (canvas_png, G_FILE_TEST_EXISTS));

  /* The other tabs: intents beside the canvas, Try It below it. */
  {
    GtkWidget *intents = tb_ui_test_find_by_type (GTK_WIDGET (e.page), TB_TYPE_INTENTS_EDITOR);

    adw_view_stack_set_visible_child_name (
      ADW_VIEW_STACK (gtk_widget_get_ancestor (intents, ADW_TYPE_VIEW_STACK)), "intents");
    adw_view_stack_set_visible_child_name (
      ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (try_it), ADW_TYPE_VIEW_STACK)),
      "try-it");
    tb_ui_test_settle ();
    g_free (window_png);
    window_png = tb_ui_test_screenshot (GTK_WIDGET (e.window), "script-editor-tabs");
  }

  /* The canvas takes its colours from the style: dark mode works. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  tb_ui_test_settle ();
  g_free (window_png);
  window_png = tb_ui_test_screenshot (GTK_WIDGET (e.window), "script-editor-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  /* A wired engine gets what the callee types, and the panel shows it. */
  {
    static const TbTryItEngine engine = { NULL, record_say };
    g_autofree char *heard = NULL;
    GtkWidget *entry = tb_ui_test_find_by_type (GTK_WIDGET (try_it), GTK_TYPE_ENTRY);

    guint before;

    /* The dialog engine is wired by default; another can take its place. */
    g_assert_true (gtk_widget_get_sensitive (entry));
    tb_try_it_panel_set_engine (try_it, &engine, &heard, NULL);
    g_assert_true (gtk_widget_get_sensitive (entry));
    before = tb_try_it_panel_get_n_turns (try_it);
    gtk_editable_set_text (GTK_EDITABLE (entry), "yes please");
    g_signal_emit_by_name (entry, "activate");
    g_assert_cmpstr (heard, ==, "yes please");
    g_assert_cmpuint (tb_try_it_panel_get_n_turns (try_it), ==, before + 1);
    tb_try_it_panel_set_engine (try_it, NULL, NULL, NULL);
    g_assert_false (gtk_widget_get_sensitive (entry));
  }
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
is_set (gpointer pointer)
{
  return *(gpointer *) pointer != NULL;
}

static void
test_import_export (TbApplication *app,
                    gpointer       user_data)
{
  g_autofree char *dir = g_dir_make_tmp ("telebot-scripts-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "exported.json", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) exported = NULL;
  g_autoptr(JsonNode) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  Editor e;

  editor_init (&e, app);
  /* An edit not yet saved is exported too: export writes what the editor shows. */
  tb_script_document_set_node_text (e.document, "goodbye_no", "Bye now.");
  tb_scripts_page_export_file_async (e.page, file, NULL, store_result_cb, &result);
  g_assert_true (tb_ui_test_wait (is_set, &result, 5000));
  g_assert_true (tb_scripts_page_export_file_finish (e.page, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  exported = parse (contents);
  imported = snapshot_document (e.document);
  g_assert_true (json_node_equal (exported, imported));
  g_clear_pointer (&imported, json_node_unref);

  /* Saved first, so that opening the import does not ask about changes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.save", NULL));
  tb_scripts_page_import_file_async (e.page, file, NULL, store_result_cb, &result);
  g_assert_true (tb_ui_test_wait (is_set, &result, 5000));
  name = tb_scripts_page_import_file_finish (e.page, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  /* The document's own name, free in the store, names the imported script. */
  g_assert_cmpstr (name, ==, "Demo: bakery supplies");
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_scripts_page_get_script_name (e.page), ==, name);
  imported = snapshot_document (e.document);
  g_assert_true (json_node_equal (exported, imported));
  g_assert_cmpstr (tb_script_document_get_node_text (e.document, "goodbye_no"), ==, "Bye now.");

  /* A file that is not a script is refused with its name in the message. */
  g_assert_true (g_file_set_contents (bad_path, "{\"nodes\": [1, 2]}", -1, NULL));
  tb_scripts_page_import_file_async (e.page, bad, NULL, store_result_cb, &result);
  g_assert_true (tb_ui_test_wait (is_set, &result, 5000));
  g_assert_null (tb_scripts_page_import_file_finish (e.page, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "broken.json: "));

  g_clear_error (&error);
  g_clear_object (&result);

  /* A script whose members have the wrong kinds opens, draws and edits without a warning. */
  g_free (name);
  g_assert_true (g_file_set_contents (bad_path,
                                      "{\"name\": 7, \"start\": [\"a\"], \"nodes\": {"
                                      "\"a\": {\"type\": 5, \"text\": {}, \"retries\": {}, "
                                      "\"barge_in\": \"x\", \"routes\": [1], \"grade\": 3, "
                                      "\"next\": 7, \"prompt_file\": []}, \"b\": 5}, "
                                      "\"layout\": {\"a\": {\"x\": \"1\"}, \"b\": []}, "
                                      "\"intents\": [], \"global_intents\": {\"x\": 1}}",
                                      -1, NULL));
  tb_scripts_page_import_file_async (e.page, bad, NULL, store_result_cb, &result);
  g_assert_true (tb_ui_test_wait (is_set, &result, 5000));
  name = tb_scripts_page_import_file_finish (e.page, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "broken");
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_scripts_page_get_script_name (e.page), ==, "broken");
  tb_flow_canvas_select_node (e.canvas, "a");
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_node_inspector_get_node_id (e.inspector), ==, "a");
  inspector_set_text (&e, "Now it has a prompt.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.auto-layout", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.add-node", "s", "ask"));
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_script_document_get_node_text (e.document, "a"), ==, "Now it has a prompt.");
  g_free (tb_ui_test_screenshot (GTK_WIDGET (e.canvas), "script-canvas-odd"));

  g_unlink (path);
  g_unlink (bad_path);
  g_rmdir (dir);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

    if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
      return ADW_MESSAGE_DIALOG (window);
  }
  return NULL;
}

static void
test_unsaved_changes (TbApplication *app,
                      gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  g_autofree char *demo = NULL;
  g_autofree char *stored = NULL;
  AdwMessageDialog *dialog;
  Editor e;

  editor_init (&e, app);
  demo = g_strdup (tb_scripts_page_get_script_name (e.page));
  tb_script_document_set_node_text (e.document, "goodbye_no", "See you.");
  g_assert_true (tb_script_document_get_modified (e.document));

  /* Closing the window asks first; Cancel keeps the window and the changes. */
  gtk_window_close (e.window);
  tb_ui_test_settle ();
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (e.window)));
  adw_message_dialog_response (dialog, "cancel");
  tb_ui_test_settle ();
  g_assert_true (tb_script_document_get_modified (e.document));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (e.window)));

  /* Opening another script asks too; Save stores the changes, then it opens. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.new", NULL));
  tb_ui_test_settle ();
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (tb_scripts_page_get_script_name (e.page), ==, demo);
  adw_message_dialog_response (dialog, "save");
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_scripts_page_get_script_name (e.page), ==, "Untitled Script");
  g_assert_false (tb_script_document_get_modified (e.document));
  stored = tb_store_dup_script_document (store, tb_store_find_script (store, demo), NULL);
  g_assert_nonnull (strstr (stored, "See you."));
}

static GPtrArray *
check_intro (TbScriptDocument *document,
             gpointer          user_data)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_editor_problem_free);

  (*(guint *) user_data)++;
  if (tb_script_document_has_node (document, "intro"))
    g_ptr_array_add (problems, tb_editor_problem_new ("intro", "checked"));
  return problems;
}

static gboolean
names_nowhere (gpointer list)
{
  return tb_ui_test_find_label_containing (GTK_WIDGET (list), "\"nowhere\"") != NULL;
}

static gboolean
has_one_problem (gpointer list)
{
  return tb_problems_list_get_n_problems (list) == 1;
}

static void
test_problems (TbApplication *app,
               gpointer       user_data)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tb_editor_problem_free);
  TbProblemsList *list;
  GtkWidget *box;
  GtkWidget *row;
  guint calls = 0;
  Editor e;

  editor_init (&e, app);
  list = TB_PROBLEMS_LIST (tb_ui_test_find_by_type (GTK_WIDGET (e.page), TB_TYPE_PROBLEMS_LIST));
  g_assert_nonnull (list);
  /* The demo script is clean for the script engine's checker. */
  g_assert_cmpuint (tb_problems_list_get_n_problems (list), ==, 0);

  g_ptr_array_add (problems, tb_editor_problem_new (
    NULL, "script.json: no opt-out route"));
  g_ptr_array_add (problems, tb_editor_problem_new (
    "pitch", "script.json: node \"pitch\": route \"maybe\" goes to unknown node \"later\""));
  tb_problems_list_set_problems (list, problems);
  tb_ui_test_settle ();
  g_assert_cmpuint (tb_problems_list_get_n_problems (list), ==, 2);

  tb_flow_canvas_select_node (e.canvas, NULL);
  box = tb_ui_test_find_by_type (GTK_WIDGET (list), GTK_TYPE_LIST_BOX);
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (box), 1));
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_flow_canvas_get_selected_node (e.canvas), ==, "pitch");
  g_assert_cmpstr (tb_node_inspector_get_node_id (e.inspector), ==, "pitch");

  /* Renaming through the inspector keeps every route to the node. */
  inspector_rename (&e, "offer");
  tb_ui_test_settle ();
  g_assert_false (tb_script_document_has_node (e.document, "pitch"));
  g_assert_cmpstr (tb_script_document_get_node_next (e.document, "intro"), ==, "offer");
  g_assert_cmpstr (tb_script_document_get_route (e.document, "offer", "yes"), ==, "details");
  g_assert_cmpstr (tb_flow_canvas_get_selected_node (e.canvas), ==, "offer");
  g_assert_cmpstr (tb_node_inspector_get_node_id (e.inspector), ==, "offer");
  {
    double x, y;

    g_assert_true (tb_script_document_get_position (e.document, "offer", &x, &y));
  }

  /* A wired checker runs after edits and fills the list. */
  tb_scripts_page_set_check_func (e.page, check_intro, &calls);
  tb_script_document_set_node_text (e.document, "offer", "Changed.");
  g_assert_true (tb_ui_test_wait (has_one_problem, list, 5000));
  g_assert_cmpuint (tb_problems_list_get_n_problems (list), ==, 1);
  g_assert_cmpuint (calls, >=, 1);

  /* The default checker is the script engine's: a route to a node that does
   * not exist is listed, naming the node. */
  tb_scripts_page_set_check_func (e.page, NULL, NULL);
  tb_script_document_set_route (e.document, "offer", "yes", "nowhere");
  g_assert_true (tb_ui_test_wait (names_nowhere, list, 5000));

}

/* The first label below @root that shows @text (mnemonic marks already taken out). */
static GtkWidget *
find_shown_label (GtkWidget  *root,
                  const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_shown_label (child, text);

    if (found != NULL)
      return found;
  }
  return NULL;
}

/* The Problems row's "Mark this node as saying it" button for @disclosure on @node. */
static GtkWidget *
find_mark_button (GtkWidget  *root,
                  const char *node,
                  const char *disclosure)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_widget_get_name (root), "mark-disclosure") == 0) {
    GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));
    const char *n, *d;

    g_variant_get (target, "(&s&s)", &n, &d);
    if (g_str_equal (n, node) && g_str_equal (d, disclosure))
      return root;
  }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_mark_button (child, node, disclosure);

    if (found != NULL)
      return found;
  }
  return NULL;
}

static gboolean
n_errors_is (gpointer data)
{
  gpointer *args = data;

  return tb_problems_list_get_n_errors (args[0]) == GPOINTER_TO_UINT (args[1]) &&
         tb_problems_list_get_n_problems (args[0]) > GPOINTER_TO_UINT (args[1]);
}

static void
wait_errors (TbProblemsList *list,
             guint           n)
{
  gpointer args[] = { list, GUINT_TO_POINTER (n) };

  g_assert_true (tb_ui_test_wait (n_errors_is, args, 5000));
}

static GtkWidget *
inspector_widget (Editor     *e,
                  const char *name)
{
  GtkWidget *widget = tb_ui_test_find_by_name (GTK_WIDGET (e->inspector), name);

  g_assert_nonnull (widget);
  return widget;
}

/* Whether the inspector shows "This prompt seems to say … — mark it?" for @disclosure. */
static gboolean
suggests (Editor     *e,
          const char *disclosure)
{
  g_autofree char *name = g_strdup_printf ("suggest-%s", disclosure);
  GtkWidget *row = gtk_widget_get_ancestor (inspector_widget (e, name), ADW_TYPE_ACTION_ROW);

  return gtk_widget_get_visible (row) && gtk_widget_is_drawable (row);
}

static void
assert_disclosures (Editor             *e,
                    const char         *node,
                    const char * const *expected)
{
  g_auto(GStrv) marked = tb_script_document_dup_node_disclosures (e->document, node);

  g_assert_cmpstrv (marked, expected);
}

/* A script written in the editor alone passes the check: the disclosures the policy packs
 * want first are marked with the inspector's switches, its suggestions and the Problems
 * list's button — never by the guess alone. */
static void
test_disclosures (TbApplication *app,
                  gpointer       user_data)
{
  TbStore *store = tb_application_get_store (app);
  static const char greeting[] = "Hello {name}, this is Anna from {business}, an automated "
                                 "assistant. To stop these calls, press 9.";
  g_autoptr(GPtrArray) preflight = NULL;
  TbProblemsList *list;
  GtkWidget *intents;
  GtkWidget *entry;
  GtkWidget *button;
  GtkSwitch *automated;
  Editor e;

  g_assert_true (tb_store_set_setting (store, "business-name", "Sunrise Bakery", NULL));
  editor_init (&e, app);
  list = TB_PROBLEMS_LIST (tb_ui_test_find_by_type (GTK_WIDGET (e.page), TB_TYPE_PROBLEMS_LIST));

  /* New Script: the greeting says who is calling, that it is automated and how to opt out,
   * and is marked as saying just that. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.new", NULL));
  tb_ui_test_settle ();
  assert_disclosures (&e, "intro", (const char * const[]) { "identity", "automated", "opt_out",
                                                            NULL });
  {
    g_auto(GStrv) said = tb_script_detect_disclosures (
      tb_script_document_get_node_text (e.document, "intro"), NULL);

    g_assert_cmpstrv (said, ((const char * const[]) { "identity", "automated", "opt_out",
                                                      NULL }));
  }
  tb_flow_canvas_select_node (e.canvas, "intro");
  tb_ui_test_settle ();
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (inspector_widget (&e, "disclose-identity"))));
  g_assert_false (suggests (&e, "identity"));

  /* From nothing: the greeting goes, a new one is written. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.delete-node", NULL));
  tb_ui_test_settle ();
  g_assert_false (tb_script_document_has_node (e.document, "intro"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.add-node", "s", "say"));
  tb_ui_test_settle ();
  inspector_rename (&e, "greeting");
  tb_ui_test_settle ();
  g_assert_cmpstr (tb_script_document_get_start (e.document), ==, "greeting");
  inspector_set_text (&e, greeting);
  tb_ui_test_settle ();
  /* The guess suggests; it marks nothing. */
  assert_disclosures (&e, "greeting", (const char * const[]) { NULL });
  g_assert_true (suggests (&e, "identity"));
  g_assert_true (suggests (&e, "automated"));
  g_assert_true (suggests (&e, "opt_out"));
  g_assert_false (suggests (&e, "callback"));
  {
    GtkWidget *scroller = tb_ui_test_find_by_type (GTK_WIDGET (e.inspector),
                                                   GTK_TYPE_SCROLLED_WINDOW);
    GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));

    if (GTK_IS_VIEWPORT (content))
      content = gtk_viewport_get_child (GTK_VIEWPORT (content));
    g_free (tb_ui_test_screenshot (content, "script-inspector-disclosures"));
  }
  /* Calls are not recorded: no switch for it. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (
    inspector_widget (&e, "disclose-recording"), ADW_TYPE_ACTION_ROW)));

  /* The question, with an intent from the Intents tab. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.add-node", "s", "ask"));
  tb_ui_test_settle ();
  inspector_rename (&e, "pitch");
  tb_ui_test_settle ();
  inspector_set_text (&e, "Would you like our price list? Please say yes or no.");
  intents = tb_ui_test_find_by_type (GTK_WIDGET (e.page), TB_TYPE_INTENTS_EDITOR);
  entry = tb_ui_test_find_by_type (intents, ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (entry), "yes");
  g_signal_emit_by_name (entry, "apply");
  tb_ui_test_settle ();
  tb_flow_canvas_connect (e.canvas, "greeting", "pitch", NULL);

  /* The Add Route menu shows "no_input" as it is written, not as a mnemonic ("noinput"). */
  button = tb_ui_test_find_by_type (GTK_WIDGET (e.inspector), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (button);
  g_assert_nonnull (find_shown_label (button, "no_input"));
  g_assert_nonnull (find_shown_label (button, "no_match"));

  /* A new route never loops back to the greeting: with no node to go to, it goes nowhere
   * yet (and the checker says so); then to the node after, the hang-up. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.inspector), "inspector.add-route", "s",
                                             "yes"));
  g_assert_cmpstr (tb_script_document_get_route (e.document, "pitch", "yes"), !=, "greeting");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.add-node", "s",
                                             "hangup"));
  tb_ui_test_settle ();
  inspector_rename (&e, "bye");
  inspector_set_text (&e, "Thank you. Goodbye.");
  tb_flow_canvas_select_node (e.canvas, "pitch");
  tb_ui_test_settle ();
  for (guint i = 0; i < 2; i++) {
    const char *key = i == 0 ? "no_input" : "no_match";

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.inspector), "inspector.add-route",
                                               "s", key));
    g_assert_cmpstr (tb_script_document_get_route (e.document, "pitch", key), ==, "bye");
  }
  tb_script_document_set_route (e.document, "pitch", "yes", "bye");

  /* The check fails: the opening never says any of the three, in plain words, on the
   * greeting; errors and warnings (no callback number) look different. */
  wait_errors (list, 3);
  g_assert_nonnull (tb_ui_test_find_label_containing (GTK_WIDGET (list),
                                                      "never says who is calling"));
  g_assert_nonnull (tb_ui_test_find_label_containing (GTK_WIDGET (list),
                                                      "never says that this is an automated "
                                                      "voice"));
  g_assert_nonnull (tb_ui_test_find_label_containing (GTK_WIDGET (list),
                                                      "never says how to opt out"));
  g_assert_null (tb_ui_test_find_label_containing (GTK_WIDGET (list), "\"identity\""));
  g_assert_null (tb_ui_test_find_label_containing (GTK_WIDGET (list), "opt_out"));
  {
    GtkWidget *box = tb_ui_test_find_by_type (GTK_WIDGET (list), GTK_TYPE_LIST_BOX);
    GtkWidget *first = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (box), 0));
    GtkWidget *last = GTK_WIDGET (gtk_list_box_get_row_at_index (
      GTK_LIST_BOX (box), tb_problems_list_get_n_problems (list) - 1));

    g_assert_true (gtk_widget_has_css_class (first, "problem-error"));
    g_assert_true (gtk_widget_has_css_class (last, "problem-warning"));
  }
  g_assert_nonnull (find_mark_button (GTK_WIDGET (list), "greeting", "identity"));

  /* Who is calling: the suggestion's button, the user confirming. */
  tb_flow_canvas_select_node (e.canvas, "greeting");
  tb_ui_test_settle ();
  g_signal_emit_by_name (inspector_widget (&e, "suggest-identity"), "clicked");
  tb_ui_test_settle ();
  assert_disclosures (&e, "greeting", (const char * const[]) { "identity", NULL });
  g_assert_false (suggests (&e, "identity"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (inspector_widget (&e, "disclose-identity"))));

  /* Automated: the switch, one undo step. */
  automated = GTK_SWITCH (inspector_widget (&e, "disclose-automated"));
  gtk_switch_set_active (automated, TRUE);
  tb_ui_test_settle ();
  assert_disclosures (&e, "greeting", (const char * const[]) { "identity", "automated", NULL });
  g_assert_false (suggests (&e, "automated"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.undo", NULL));
  tb_ui_test_settle ();
  assert_disclosures (&e, "greeting", (const char * const[]) { "identity", NULL });
  g_assert_false (gtk_switch_get_active (automated));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.redo", NULL));
  tb_ui_test_settle ();
  g_assert_true (gtk_switch_get_active (automated));
  wait_errors (list, 1);

  /* How to opt out: the Problems row's button. */
  tb_flow_canvas_select_node (e.canvas, "pitch");
  tb_ui_test_settle ();
  button = find_mark_button (GTK_WIDGET (list), "greeting", "opt_out");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  tb_ui_test_settle ();
  assert_disclosures (&e, "greeting", (const char * const[]) { "identity", "automated", "opt_out",
                                                               NULL });
  g_assert_cmpstr (tb_flow_canvas_get_selected_node (e.canvas), ==, "greeting");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (inspector_widget (&e, "disclose-opt_out"))));

  /* It passes: no error left (the missing callback number is a warning), and the New
   * Campaign dialog's check (what enables Create) finds none in the saved script. */
  wait_errors (list, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.page), "script.save", NULL));
  preflight = tb_campaign_preflight_check_script (
    store, tb_store_find_script (store, tb_scripts_page_get_script_name (e.page)),
    tb_scripts_page_get_script_name (e.page), "DEFAULT", NULL);
  g_assert_null (tb_campaign_preflight_first_error (preflight));
}

static gboolean
turns_at_least (gpointer data)
{
  gpointer *args = data;

  return tb_try_it_panel_get_n_turns (args[0]) >= GPOINTER_TO_UINT (args[1]);
}

static gboolean
wall_time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* The desk's microphone, here a file of speech (TELEBOT_AUDIOSRC): recorded as a node's
 * prompt from the inspector, and spoken to Try It, which hears it as a call would. */
static void
test_microphone (TbApplication *app,
                 gpointer       user_data)
{
  g_autofree char *wav = g_build_filename (g_get_user_cache_dir (), "yes-please.wav", NULL);
  g_autofree char *cmd = NULL;
  g_autofree char *src = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = NULL;
  TbTryItPanel *try_it;
  GtkWidget *mic;
  const char *prompt;
  guint rate = 0, channels = 0;
  gint64 until;
  gpointer args[2];
  Editor e;

  g_assert_true (g_mkdir_with_parents (g_get_user_cache_dir (), 0700) == 0);
  cmd = g_strdup_printf ("espeak-ng -v en-us -w '%s' 'yes please'", wav);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, &error));
  src = g_strdup_printf ("filesrc location=%s ! wavparse", wav);
  g_setenv ("TELEBOT_AUDIOSRC", src, TRUE);

  editor_init (&e, app);
  tb_ui_test_settle ();

  /* Record the pitch's prompt: click, speak, click again. */
  tb_flow_canvas_select_node (e.canvas, "pitch");
  tb_ui_test_settle ();
  g_assert_null (tb_script_document_get_node_prompt_file (e.document, "pitch"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.inspector), "inspector.record-prompt",
                                             NULL));
  until = g_get_monotonic_time () + 700 * 1000;
  tb_ui_test_wait (wall_time_passed, &until, 2000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (e.inspector), "inspector.record-prompt",
                                             NULL));
  prompt = tb_script_document_get_node_prompt_file (e.document, "pitch");
  g_assert_nonnull (prompt);
  {
    g_autofree char *contents = NULL;
    gsize len;
    g_autoptr(GBytes) file = NULL;

    g_assert_true (g_file_get_contents (prompt, &contents, &len, &error));
    file = g_bytes_new_take (g_steal_pointer (&contents), len);
    pcm = tb_pcm_parse_wav (file, &rate, &channels, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (rate, ==, 8000);
  g_assert_cmpuint (channels, ==, 1);
  /* The whole utterance (espeak-ng says "yes please" in about a second). */
  g_assert_cmpuint (g_bytes_get_size (pcm) / 2, >, 8000 / 2);

  /* Speak to Try It: at the pitch, "yes please" (by voice) goes on to the details. */
  try_it = TB_TRY_IT_PANEL (tb_ui_test_find_by_type (GTK_WIDGET (e.page), TB_TYPE_TRY_IT_PANEL));
  g_assert_cmpuint (tb_try_it_panel_get_n_turns (try_it), ==, 2);
  mic = tb_ui_test_find_by_name (GTK_WIDGET (try_it), "try-it-mic");
  g_assert_nonnull (mic);
  g_assert_true (gtk_widget_get_sensitive (mic));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (mic), TRUE);
  until = g_get_monotonic_time () + 700 * 1000;
  tb_ui_test_wait (wall_time_passed, &until, 2000);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (mic), FALSE);
  args[0] = try_it;
  args[1] = GUINT_TO_POINTER (4);
  g_assert_true (tb_ui_test_wait (turns_at_least, args, 20000));
  g_assert_cmpstr (tb_flow_canvas_get_highlighted_node (e.canvas), ==, "details");
  g_unsetenv ("TELEBOT_AUDIOSRC");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  tb_ui_test_add ("/telebot/ui/scripts/build-save-reload", FALSE, test_build_save_reload, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/undo-redo-layout", TRUE, test_undo_redo_layout, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/problems", TRUE, test_problems, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/disclosures", FALSE, test_disclosures, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/demo-screenshot", TRUE, test_demo_screenshot, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/small-window", TRUE, test_small_window, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/barge-policy", TRUE, test_barge_policy, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/end-silence", TRUE, test_end_silence, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/import-export", TRUE, test_import_export, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/canvas-gestures", TRUE, test_canvas_gestures, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/unsaved-changes", TRUE, test_unsaved_changes, NULL);
  tb_ui_test_add ("/telebot/ui/scripts/microphone", TRUE, test_microphone, NULL);

  return g_test_run ();
}
