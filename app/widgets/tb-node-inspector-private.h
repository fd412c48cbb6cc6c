/* tb-node-inspector-private.h — shared by tb-node-inspector*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gtksourceview/gtksource.h>

#include "tb-desk-recorder.h"
#include "tb-node-inspector.h"

G_BEGIN_DECLS

/* The disclosures a node can be marked as saying: tb_script_get_disclosure_names(). */
#define TB_N_DISCLOSURES 5

struct _TbNodeInspector
{
  AdwBin               parent_instance;

  /* template widgets */
  GtkStack            *stack;
  AdwEntryRow         *id_row;
  AdwComboRow         *type_row;
  GtkSwitch           *start_switch;
  GtkSourceView       *text_view;
  AdwPreferencesGroup *disclose_group;
  AdwPreferencesGroup *listen_group;
  GtkSwitch           *barge_in_switch;
  AdwActionRow        *barge_after_row;
  GtkSpinButton       *barge_after_spin;
  AdwActionRow        *end_silence_row;
  GtkSpinButton       *end_silence_spin;
  AdwActionRow        *end_silence_complete_row;
  GtkSpinButton       *end_silence_complete_spin;
  AdwActionRow        *barge_backchannels_row;
  GtkSwitch           *barge_backchannels_switch;
  AdwActionRow        *retries_row;
  GtkSpinButton       *retries_spin;
  AdwPreferencesGroup *routes_group;
  GtkMenuButton       *add_route_button;
  AdwPreferencesGroup *next_group;
  AdwComboRow         *next_row;
  AdwExpanderRow      *grade_row;
  GtkSpinButton       *score_spin;
  AdwEntryRow         *reason_row;
  AdwActionRow        *recording_row;
  AdwActionRow        *record_row;
  /* built in tb-node-inspector-disclose.c, borrowed from disclose_group */
  GtkWidget           *disclose_rows[TB_N_DISCLOSURES];
  GtkSwitch           *disclose_switches[TB_N_DISCLOSURES];
  GtkWidget           *suggestion_rows[TB_N_DISCLOSURES];

  /* owned */
  TbScriptDocument    *document;
  char                *node_id;
  GtkStringList       *targets;      /* "Nowhere", then every node id: the route choices */
  GPtrArray           *route_rows;   /* borrowed rows of routes_group */
  GtkTextTag          *variable_tag;
  GtkTextTag          *unknown_tag;
  GCancellable        *cancellable;
  GstElement          *player;
  TbDeskRecorder      *recorder;
  char                *recording_node;  /* the node a microphone recording is for */
  char                *shown;        /* the state the widgets show, to skip needless reloads */

  /* handler and source ids */
  gulong               changed_id;
  guint                bus_watch;
  guint                record_tick;

  gboolean             updating;     /* the inspector itself is writing: do not re-read */
  gboolean             renaming;     /* the node's id is changing under the inspector */
};

void _tb_node_inspector_class_init_prompt (GtkWidgetClass  *widget_class);
void _tb_node_inspector_class_init_disclose (GtkWidgetClass *widget_class);
void _tb_node_inspector_init_disclose     (TbNodeInspector *self);
/* Shows the node's marks and, beside an unmarked switch, what its prompt seems to say. */
void _tb_node_inspector_show_disclose     (TbNodeInspector *self);
void _tb_node_inspector_stop_prompt       (TbNodeInspector *self);
/* Stops a microphone recording and drops it (the inspector goes away). */
void _tb_node_inspector_cancel_recording  (TbNodeInspector *self);

G_END_DECLS
