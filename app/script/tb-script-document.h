/* tb-script-document.h — the script JSON document the editor edits, with undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one editable model of a script: the editor changes the JSON through this
 * class, and TbScript (tb-script.h) is the read-only graph a campaign loads from
 * it. It knows the document's shape (DESIGN.md §5) but does not check it: that
 * is the loader's and tb_script_check()'s job. Each node's "ui" ({x, y}) is the
 * editor's own and is ignored by the engine. Pure like the rest of app/script/:
 * no GTK, no I/O.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-script.h"

G_BEGIN_DECLS

#define TB_TYPE_SCRIPT_DOCUMENT (tb_script_document_get_type ())
G_DECLARE_FINAL_TYPE (TbScriptDocument, tb_script_document, TB, SCRIPT_DOCUMENT, GObject)

/* The node types, in the order the editor offers them. */
extern const char * const tb_script_node_types[];
const char *tb_script_node_type_get_label     (const char *type);
const char *tb_script_node_type_get_icon_name (const char *type);

/* Layout grid of the automatic layout, in canvas units (the canvas draws
 * cards TB_SCRIPT_CARD_WIDTH × TB_SCRIPT_CARD_HEIGHT). */
#define TB_SCRIPT_CARD_WIDTH   200.0
#define TB_SCRIPT_CARD_HEIGHT   84.0
#define TB_SCRIPT_COLUMN_GAP   160.0
#define TB_SCRIPT_ROW_GAP       36.0

/* The route keys every ask node may have besides its intents. */
#define TB_SCRIPT_ROUTE_NO_INPUT "no_input"
#define TB_SCRIPT_ROUTE_NO_MATCH "no_match"

TbScriptDocument *tb_script_document_new              (void);
gboolean          tb_script_document_load_json        (TbScriptDocument  *self,
                                                       const char        *json,
                                                       GError           **error);
char             *tb_script_document_to_json          (TbScriptDocument  *self);
/* The document as a campaign gets it: tb_script_document_to_json() read by
 * tb_script_new_from_data(). What the editor checks and tries is what it saves. */
TbScript         *tb_script_document_dup_script       (TbScriptDocument  *self,
                                                       const char        *source_name,
                                                       GError           **error);
JsonNode         *tb_script_document_get_root         (TbScriptDocument  *self);
char             *tb_script_document_dup_skeleton_json (const char       *name,
                                                        const char       *business);

/* Undo, redo and the saved state. */
gboolean          tb_script_document_can_undo         (TbScriptDocument  *self);
gboolean          tb_script_document_can_redo         (TbScriptDocument  *self);
gboolean          tb_script_document_undo             (TbScriptDocument  *self);
gboolean          tb_script_document_redo             (TbScriptDocument  *self);
void              tb_script_document_checkpoint       (TbScriptDocument  *self);
gboolean          tb_script_document_get_modified     (TbScriptDocument  *self);
void              tb_script_document_set_saved        (TbScriptDocument  *self);

/* Script-wide members. */
const char       *tb_script_document_get_name         (TbScriptDocument  *self);
const char       *tb_script_document_get_language     (TbScriptDocument  *self);
const char       *tb_script_document_get_start        (TbScriptDocument  *self);
gboolean          tb_script_document_get_records      (TbScriptDocument  *self);
void              tb_script_document_set_start        (TbScriptDocument  *self,
                                                       const char        *node_id);
GStrv             tb_script_document_dup_variables    (TbScriptDocument  *self);

/* Nodes, in document order. */
GStrv             tb_script_document_dup_node_ids     (TbScriptDocument  *self);
gboolean          tb_script_document_has_node         (TbScriptDocument  *self,
                                                       const char        *node_id);
char             *tb_script_document_add_node         (TbScriptDocument  *self,
                                                       const char        *type,
                                                       const char        *id_hint);
void              tb_script_document_remove_node      (TbScriptDocument  *self,
                                                       const char        *node_id);
gboolean          tb_script_document_rename_node      (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       const char        *new_id,
                                                       GError           **error);
const char       *tb_script_document_get_node_type    (TbScriptDocument  *self,
                                                       const char        *node_id);
void              tb_script_document_set_node_type    (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       const char        *type);
const char       *tb_script_document_get_node_text    (TbScriptDocument  *self,
                                                       const char        *node_id);
void              tb_script_document_set_node_text    (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       const char        *text);
const char       *tb_script_document_get_node_next    (TbScriptDocument  *self,
                                                       const char        *node_id);
void              tb_script_document_set_node_next    (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       const char        *target);
guint             tb_script_document_get_node_end_silence (TbScriptDocument *self,
                                                           const char       *node_id,
                                                           gboolean          complete);
void              tb_script_document_set_node_end_silence (TbScriptDocument *self,
                                                           const char       *node_id,
                                                           gboolean          complete,
                                                           guint             ms);
int               tb_script_document_get_node_retries (TbScriptDocument  *self,
                                                       const char        *node_id);
void              tb_script_document_set_node_retries (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       int                retries);
gboolean          tb_script_document_get_node_barge_in (TbScriptDocument *self,
                                                       const char        *node_id);
guint             tb_script_document_get_node_barge_after (TbScriptDocument *self,
                                                          const char       *node_id);
gboolean          tb_script_document_get_node_barge_backchannels (TbScriptDocument *self,
                                                                 const char       *node_id);
void              tb_script_document_set_node_barge_policy (TbScriptDocument *self,
                                                           const char       *node_id,
                                                           guint             after_ms,
                                                           gboolean          backchannels);
void              tb_script_document_set_node_barge_in (TbScriptDocument *self,
                                                       const char        *node_id,
                                                       gboolean           barge_in);
gboolean          tb_script_document_get_node_grade   (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       int               *score,
                                                       const char       **reason);
void              tb_script_document_set_node_grade   (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       gboolean           enabled,
                                                       int                score,
                                                       const char        *reason);
/* The disclosures (identity, automated, recording, opt_out, callback) a node is marked as
 * saying; the policy packs want some of them said before the first question. */
GStrv             tb_script_document_dup_node_disclosures (TbScriptDocument *self,
                                                       const char        *node_id);
void              tb_script_document_set_node_disclosure (TbScriptDocument *self,
                                                       const char        *node_id,
                                                       const char        *disclosure,
                                                       gboolean           says);
const char       *tb_script_document_get_node_prompt_file (TbScriptDocument *self,
                                                       const char        *node_id);
void              tb_script_document_set_node_prompt_file (TbScriptDocument *self,
                                                       const char        *node_id,
                                                       const char        *path);

/* Routes of an ask node: intent (or no_input / no_match) -> target node. */
GStrv             tb_script_document_dup_route_keys   (TbScriptDocument  *self,
                                                       const char        *node_id);
const char       *tb_script_document_get_route        (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       const char        *key);
void              tb_script_document_set_route        (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       const char        *key,
                                                       const char        *target);
void              tb_script_document_connect          (TbScriptDocument  *self,
                                                       const char        *from,
                                                       const char        *key,
                                                       const char        *to);

/* Intents: "intents" (global = FALSE) or "global_intents" (global = TRUE). */
GStrv             tb_script_document_dup_intent_ids   (TbScriptDocument  *self,
                                                       gboolean           global);
GStrv             tb_script_document_dup_phrases      (TbScriptDocument  *self,
                                                       gboolean           global,
                                                       const char        *intent_id);
void              tb_script_document_set_phrases      (TbScriptDocument  *self,
                                                       gboolean           global,
                                                       const char        *intent_id,
                                                       const char * const *phrases);
gboolean          tb_script_document_add_intent       (TbScriptDocument  *self,
                                                       gboolean           global,
                                                       const char        *intent_id);
void              tb_script_document_remove_intent    (TbScriptDocument  *self,
                                                       gboolean           global,
                                                       const char        *intent_id);
/* The intents a callee is heard by at @node_id: an ask node's routed intents, then the
 * global intents (heard at every node). Intents and their phrases are script-wide
 * (data/scripts/FORMAT.md); a node scopes which of them it listens for. */
GStrv             tb_script_document_dup_node_intents (TbScriptDocument  *self,
                                                       const char        *node_id);
/* Adds @phrase to @intent_id (of "intents" or "global_intents"), which @node_id must listen
 * for: one undoable change. FALSE with @error (TB_SCRIPT_ERROR_INVALID: no such node, the
 * node does not listen for the intent, an empty phrase; G_IO_ERROR_EXISTS: already one of
 * its phrases). */
gboolean          tb_script_document_add_phrase       (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       const char        *intent_id,
                                                       const char        *phrase,
                                                       GError           **error);

/* The editor-only layout: positions of the node cards, in canvas units. */
gboolean          tb_script_document_get_position     (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       double            *x,
                                                       double            *y);
void              tb_script_document_set_position     (TbScriptDocument  *self,
                                                       const char        *node_id,
                                                       double             x,
                                                       double             y);
void              tb_script_document_auto_layout      (TbScriptDocument  *self,
                                                       gboolean           missing_only);

G_END_DECLS
