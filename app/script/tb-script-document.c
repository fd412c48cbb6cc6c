/* tb-script-document.c — the script JSON document the editor edits, with undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-script-document"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-limits.h"
#include "tb-script-document-private.h"

#include <string.h>

struct _TbScriptDocument
{
  GObject    parent_instance;

  /* owned */
  JsonNode  *root;
  GQueue     undo;          /* char *: compact JSON snapshots, newest at the head */
  GQueue     redo;
  char      *saved;         /* the snapshot last saved, to tell "modified" */
  char      *merge_key;     /* consecutive edits of the same thing make one undo step */
  gint64     last_change;
  gboolean   modified;
};

G_DEFINE_FINAL_TYPE (TbScriptDocument, tb_script_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODIFIED,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

const char * const tb_script_node_types[] = {
  "say", "ask", "transfer", "voicemail", "hangup", NULL
};

static const struct {
  const char *type;
  const char *label;
  const char *icon_name;
} node_types[] = {
  { "say", N_("Say"), "audio-speakers-symbolic" },
  { "ask", N_("Ask"), "chat-message-new-symbolic" },
  { "transfer", N_("Transfer"), "call-start-symbolic" },
  { "voicemail", N_("Voicemail"), "audio-input-microphone-symbolic" },
  { "hangup", N_("Hang Up"), "call-stop-symbolic" },
};

/* The type's name for people, translated; unknown types show as they are. */
const char *
tb_script_node_type_get_label (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (node_types); i++)
    if (g_strcmp0 (type, node_types[i].type) == 0)
      return _(node_types[i].label);
  return type ? type : "";
}

const char *
tb_script_node_type_get_icon_name (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (node_types); i++)
    if (g_strcmp0 (type, node_types[i].type) == 0)
      return node_types[i].icon_name;
  return "action-unavailable-symbolic";
}

#define MERGE_WINDOW_USEC (1500 * 1000)
#define UNDO_DEPTH 200

static char *
snapshot (TbScriptDocument *self)
{
  return json_to_string (self->root, FALSE);
}

static void
update_modified (TbScriptDocument *self)
{
  g_autofree char *now = snapshot (self);
  gboolean modified = g_strcmp0 (now, self->saved) != 0;

  if (modified == self->modified)
    return;
  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* Called before every mutation: remembers the state to undo to, unless the
 * edit continues the previous one (typing in one prompt, dragging one card). */
void
_tb_script_document_begin_change (TbScriptDocument *self,
                                  const char       *merge_key)
{
  gint64 now = g_get_monotonic_time ();

  if (merge_key != NULL && g_strcmp0 (merge_key, self->merge_key) == 0 &&
      now - self->last_change < MERGE_WINDOW_USEC) {
    self->last_change = now;
    return;
  }
  g_queue_push_head (&self->undo, snapshot (self));
  while (self->undo.length > UNDO_DEPTH)
    g_free (g_queue_pop_tail (&self->undo));
  g_queue_clear_full (&self->redo, g_free);
  g_free (self->merge_key);
  self->merge_key = g_strdup (merge_key);
  self->last_change = now;
}

void
_tb_script_document_end_change (TbScriptDocument *self)
{
  update_modified (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

JsonObject *
_tb_script_document_get_object (TbScriptDocument *self,
                                const char       *member,
                                gboolean          create)
{
  JsonObject *root = json_node_get_object (self->root);
  JsonNode *node = json_object_get_member (root, member);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  if (!create)
    return NULL;
  json_object_set_object_member (root, member, json_object_new ());
  return json_object_get_object_member (root, member);
}

JsonObject *
_tb_script_document_get_node (TbScriptDocument *self,
                              const char       *node_id)
{
  JsonObject *nodes = _tb_script_document_get_object (self, "nodes", FALSE);
  JsonNode *node;

  if (nodes == NULL || node_id == NULL)
    return NULL;
  node = json_object_get_member (nodes, node_id);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

const char *
_tb_json_get_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Typed reads that tolerate any JSON a user may import: a member of the
 * wrong kind reads as missing instead of failing an assertion. */
gint64
_tb_json_get_int (JsonObject *object,
                  const char *member,
                  gint64      fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node)) {
  case G_TYPE_INT64:
  case G_TYPE_DOUBLE:
    return json_node_get_int (node);
  default:
    return fallback;
  }
}

double
_tb_json_get_double (JsonObject *object,
                     const char *member,
                     double      fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node)) {
  case G_TYPE_INT64:
  case G_TYPE_DOUBLE:
    return json_node_get_double (node);
  default:
    return fallback;
  }
}

gboolean
_tb_json_get_boolean (JsonObject *object,
                      const char *member,
                      gboolean    fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

GStrv
_tb_json_dup_member_names (JsonObject *object)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (object != NULL) {
    g_autoptr(GList) names = json_object_get_members (object);

    for (GList *l = names; l != NULL; l = l->next)
      g_strv_builder_add (builder, l->data);
  }
  return g_strv_builder_end (builder);
}

static gboolean
restore (TbScriptDocument *self,
         const char       *json)
{
  g_autoptr(JsonNode) root = json_from_string (json, NULL);

  g_return_val_if_fail (root != NULL, FALSE);
  json_node_unref (self->root);
  self->root = g_steal_pointer (&root);
  g_clear_pointer (&self->merge_key, g_free);
  _tb_script_document_end_change (self);
  return TRUE;
}

static void
tb_script_document_finalize (GObject *object)
{
  TbScriptDocument *self = TB_SCRIPT_DOCUMENT (object);

  g_clear_pointer (&self->root, json_node_unref);
  g_queue_clear_full (&self->undo, g_free);
  g_queue_clear_full (&self->redo, g_free);
  g_clear_pointer (&self->saved, g_free);
  g_clear_pointer (&self->merge_key, g_free);

  G_OBJECT_CLASS (tb_script_document_parent_class)->finalize (object);
}

static void
tb_script_document_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TbScriptDocument *self = TB_SCRIPT_DOCUMENT (object);

  switch (prop_id) {
  case PROP_MODIFIED:
    g_value_set_boolean (value, self->modified);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_script_document_class_init (TbScriptDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_script_document_finalize;
  object_class->get_property = tb_script_document_get_property;

  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Any change: an edit, an undo, a load. Listeners re-read what they show. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tb_script_document_init (TbScriptDocument *self)
{
  g_autofree char *skeleton = tb_script_document_dup_skeleton_json ("", NULL);

  self->root = json_from_string (skeleton, NULL);
  self->saved = snapshot (self);
}

TbScriptDocument *
tb_script_document_new (void)
{
  return g_object_new (TB_TYPE_SCRIPT_DOCUMENT, NULL);
}

/* Replaces the whole document, forgets undo history and counts as saved. */
gboolean
tb_script_document_load_json (TbScriptDocument  *self,
                              const char        *json,
                              GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *nodes;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (!tb_limits_parse_json (parser, json, -1, _("script"), TB_LIMITS_SCRIPT_BYTES, error))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("the script is not a JSON object"));
    return FALSE;
  }
  nodes = json_object_get_member (json_node_get_object (root), "nodes");
  if (nodes == NULL || !JSON_NODE_HOLDS_OBJECT (nodes)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("the script has no \"nodes\" object"));
    return FALSE;
  }

  json_node_unref (self->root);
  self->root = json_node_copy (root);
  g_queue_clear_full (&self->undo, g_free);
  g_queue_clear_full (&self->redo, g_free);
  g_clear_pointer (&self->merge_key, g_free);
  g_free (self->saved);
  self->saved = snapshot (self);
  update_modified (self);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* json-glib writes doubles with 17 digits (0.4 -> 0.40000000000000002); people edit these
 * files, so write the shortest form that reads back the same. */
static gboolean
shorten_double (const GMatchInfo *info,
                GString          *out,
                gpointer          data)
{
  g_autofree char *digits = g_match_info_fetch (info, 0);
  double value = g_ascii_strtod (digits, NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++) {
    g_autofree char *format = g_strdup_printf ("%%.%dg", precision);

    g_ascii_formatd (buf, sizeof buf, format, value);
    if (g_ascii_strtod (buf, NULL) == value) {
      g_string_append (out, buf);
      if (strpbrk (buf, ".eE") == NULL)
        g_string_append (out, ".0");
      return FALSE;
    }
  }
  g_string_append (out, digits);
  return FALSE;
}

char *
tb_script_document_to_json (TbScriptDocument *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GRegex) number = NULL;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  text = json_to_string (self->root, TRUE);
  /* Only numbers after ": ", never digits inside strings, which json-glib writes quoted. */
  number = g_regex_new ("(?<=\" : )-?[0-9]+\\.[0-9]{12,}(?=,?$)", G_REGEX_MULTILINE, 0, NULL);
  return g_regex_replace_eval (number, text, -1, 0, 0, shorten_double, NULL, NULL);
}

TbScript *
tb_script_document_dup_script (TbScriptDocument  *self,
                               const char        *source_name,
                               GError           **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  /* Through the text, not the tree: the bytes the store keeps are the bytes checked. */
  json = tb_script_document_to_json (self);
  return tb_script_new_from_data (json, -1, source_name, error);
}

JsonNode *
tb_script_document_get_root (TbScriptDocument *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  return self->root;
}

#define SKELETON_GREETING \
  "Hello {name}, this is an automated call from {business}. " \
  "To stop these calls, press 9 or say stop calling."

/* A new script: the greeting a lawful call starts with (who is calling, that it is an
 * automated voice, how to opt out), marked as saying what it says, and the opt-out.
 * {business} is the business's name a campaign fills in; @business (may be NULL) is its
 * default, so that Try It says it too. */
char *
tb_script_document_dup_skeleton_json (const char *name,
                                      const char *business)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) disclose = tb_script_detect_disclosures (SKELETON_GREETING, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "telebot_script");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name ? name : "");
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, "en");
  json_builder_set_member_name (builder, "voice");
  json_builder_add_string_value (builder, "en-us");
  json_builder_set_member_name (builder, "variables");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "company");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "business");
  if (business != NULL && *business != '\0')
    json_builder_add_string_value (builder, business);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "intents");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "global_intents");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "opt_out");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "phrases");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "stop calling");
  json_builder_add_string_value (builder, "remove me");
  json_builder_add_string_value (builder, "do not call");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "dtmf");
  json_builder_add_string_value (builder, "9");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "start");
  json_builder_add_string_value (builder, "intro");
  json_builder_set_member_name (builder, "nodes");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "intro");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "say");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, SKELETON_GREETING);
  json_builder_set_member_name (builder, "disclose");
  json_builder_begin_array (builder);
  for (guint i = 0; disclose[i] != NULL; i++)
    json_builder_add_string_value (builder, disclose[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

gboolean
tb_script_document_can_undo (TbScriptDocument *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  return self->undo.length > 0;
}

gboolean
tb_script_document_can_redo (TbScriptDocument *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  return self->redo.length > 0;
}

gboolean
tb_script_document_undo (TbScriptDocument *self)
{
  g_autofree char *previous = NULL;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  if ((previous = g_queue_pop_head (&self->undo)) == NULL)
    return FALSE;
  g_queue_push_head (&self->redo, snapshot (self));
  return restore (self, previous);
}

gboolean
tb_script_document_redo (TbScriptDocument *self)
{
  g_autofree char *next = NULL;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  if ((next = g_queue_pop_head (&self->redo)) == NULL)
    return FALSE;
  g_queue_push_head (&self->undo, snapshot (self));
  return restore (self, next);
}

/* Ends the current run of merged edits: the next edit gets its own undo step. */
void
tb_script_document_checkpoint (TbScriptDocument *self)
{
  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  g_clear_pointer (&self->merge_key, g_free);
}

gboolean
tb_script_document_get_modified (TbScriptDocument *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  return self->modified;
}

void
tb_script_document_set_saved (TbScriptDocument *self)
{
  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  g_free (self->saved);
  self->saved = snapshot (self);
  update_modified (self);
}

const char *
tb_script_document_get_name (TbScriptDocument *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  return _tb_json_get_string (json_node_get_object (self->root), "name");
}

const char *
tb_script_document_get_language (TbScriptDocument *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  return _tb_json_get_string (json_node_get_object (self->root), "language");
}

const char *
tb_script_document_get_start (TbScriptDocument *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  return _tb_json_get_string (json_node_get_object (self->root), "start");
}

/* "records": calls with this script are recorded (the opening must then say so). */
gboolean
tb_script_document_get_records (TbScriptDocument *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  return _tb_json_get_boolean (json_node_get_object (self->root), "records", FALSE);
}

void
tb_script_document_set_start (TbScriptDocument *self,
                              const char       *node_id)
{
  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  if (g_strcmp0 (node_id, tb_script_document_get_start (self)) == 0)
    return;
  _tb_script_document_begin_change (self, NULL);
  if (node_id != NULL)
    json_object_set_string_member (json_node_get_object (self->root), "start", node_id);
  else
    json_object_remove_member (json_node_get_object (self->root), "start");
  _tb_script_document_end_change (self);
}

GStrv
tb_script_document_dup_variables (TbScriptDocument *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonObject *root;
  JsonNode *node;

  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  root = json_node_get_object (self->root);
  node = json_object_get_member (root, "variables");
  /* FORMAT.md: an object of names → defaults; a list of names is accepted too. */
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node)) {
    g_autoptr(GList) names = json_object_get_members (json_node_get_object (node));

    for (GList *l = names; l != NULL; l = l->next)
      g_strv_builder_add (builder, l->data);
  } else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node)) {
    JsonArray *array = json_node_get_array (node);

    for (guint i = 0; i < json_array_get_length (array); i++) {
      JsonNode *item = json_array_get_element (array, i);

      if (json_node_get_value_type (item) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (item));
    }
  }
  return g_strv_builder_end (builder);
}

GStrv
tb_script_document_dup_node_ids (TbScriptDocument *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  return _tb_json_dup_member_names (_tb_script_document_get_object (self, "nodes", FALSE));
}

gboolean
tb_script_document_has_node (TbScriptDocument *self,
                             const char       *node_id)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), FALSE);

  return _tb_script_document_get_node (self, node_id) != NULL;
}

const char *
tb_script_document_get_node_type (TbScriptDocument *self,
                                  const char       *node_id)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  return _tb_json_get_string (_tb_script_document_get_node (self, node_id), "type");
}

const char *
tb_script_document_get_node_text (TbScriptDocument *self,
                                  const char       *node_id)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  return _tb_json_get_string (_tb_script_document_get_node (self, node_id), "text");
}

const char *
tb_script_document_get_node_next (TbScriptDocument *self,
                                  const char       *node_id)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  return _tb_json_get_string (_tb_script_document_get_node (self, node_id), "next");
}

const char *
tb_script_document_get_node_prompt_file (TbScriptDocument *self,
                                         const char       *node_id)
{
  g_return_val_if_fail (TB_IS_SCRIPT_DOCUMENT (self), NULL);

  return _tb_json_get_string (_tb_script_document_get_node (self, node_id), "prompt");
}

/* Sets (or with NULL removes) one string member of a node, as one undo step. */
static void
set_node_string (TbScriptDocument *self,
                 const char       *node_id,
                 const char       *member,
                 const char       *value,
                 gboolean          merge)
{
  JsonObject *node = _tb_script_document_get_node (self, node_id);
  g_autofree char *key = NULL;

  if (node == NULL || g_strcmp0 (_tb_json_get_string (node, member), value) == 0)
    return;
  if (merge)
    key = g_strdup_printf ("%s:%s", member, node_id);
  _tb_script_document_begin_change (self, key);
  if (value != NULL)
    json_object_set_string_member (node, member, value);
  else if (json_object_has_member (node, member))
    json_object_remove_member (node, member);
  _tb_script_document_end_change (self);
}

void
tb_script_document_set_node_type (TbScriptDocument *self,
                                  const char       *node_id,
                                  const char       *type)
{
  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));
  g_return_if_fail (type != NULL);

  set_node_string (self, node_id, "type", type, FALSE);
}

void
tb_script_document_set_node_text (TbScriptDocument *self,
                                  const char       *node_id,
                                  const char       *text)
{
  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  set_node_string (self, node_id, "text", text, TRUE);
}

void
tb_script_document_set_node_next (TbScriptDocument *self,
                                  const char       *node_id,
                                  const char       *target)
{
  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  set_node_string (self, node_id, "next", target, FALSE);
}

void
tb_script_document_set_node_prompt_file (TbScriptDocument *self,
                                         const char       *node_id,
                                         const char       *path)
{
  g_return_if_fail (TB_IS_SCRIPT_DOCUMENT (self));

  set_node_string (self, node_id, "prompt", path, FALSE);
}
