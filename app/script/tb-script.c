/* tb-script.c — a call script: the read-only graph a call runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The loader lives in tb-script-json.c, the checker in tb-script-check.c.
 */
#define G_LOG_DOMAIN "tb-script"

#include "config.h"

#include "tb-script-private.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (TbScript, tb_script, G_TYPE_OBJECT)
G_DEFINE_QUARK (tb-script-error-quark, tb_script_error)

static const struct {
  TbScriptNodeType  type;
  const char       *name;
} node_types[] = {
  { TB_SCRIPT_NODE_SAY, "say" },
  { TB_SCRIPT_NODE_ASK, "ask" },
  { TB_SCRIPT_NODE_TRANSFER, "transfer" },
  { TB_SCRIPT_NODE_VOICEMAIL, "voicemail" },
  { TB_SCRIPT_NODE_HANGUP, "hangup" },
};

#define DEFAULT_TIMEOUT_MS     5000
#define DEFAULT_RETRIES        1
/* Sentences a built-in intent adds to a grammar, per rule. */
#define BUILTIN_GRAMMAR_MAX 12
#define DEFAULT_MIN_CONFIDENCE 0.4

/* ---- structs ---------------------------------------------------------- */

static void
grade_clear (TbScriptGrade *g)
{
  g_clear_pointer (&g->reason, g_free);
  g_clear_pointer (&g->tags, g_strfreev);
  g->set = FALSE;
  g->score = 0;
}

static void
route_free (gpointer data)
{
  TbScriptRoute *r = data;

  g_free (r->intent);
  g_free (r->target);
  g_free (r);
}

static void
node_free (gpointer data)
{
  TbScriptNode *n = data;

  g_free (n->id);
  g_free (n->title);
  g_free (n->text);
  g_free (n->prompt);
  g_free (n->next);
  g_ptr_array_unref (n->routes);
  g_free (n->retry_text);
  g_free (n->to);
  g_free (n->outcome);
  g_strfreev (n->disclose);
  g_strfreev (n->barge_intents);
  grade_clear (&n->grade);
  g_free (n);
}

TbScriptNode *
_tb_script_node_new (const char       *id,
          TbScriptNodeType  type)
{
  TbScriptNode *n = g_new0 (TbScriptNode, 1);

  n->id = g_strdup (id);
  n->type = type;
  n->routes = g_ptr_array_new_with_free_func (route_free);
  n->retries = type == TB_SCRIPT_NODE_ASK ? DEFAULT_RETRIES : 0;
  n->timeout_ms = DEFAULT_TIMEOUT_MS;
  n->end_silence_ms = TB_SCRIPT_DEFAULT_END_SILENCE_MS;
  n->end_silence_complete_ms = TB_SCRIPT_DEFAULT_END_SILENCE_COMPLETE_MS;
  n->barge_in = type == TB_SCRIPT_NODE_ASK;
  n->disclose = g_new0 (char *, 1);
  return n;
}

static void
intent_free (gpointer data)
{
  TbScriptIntent *i = data;

  g_free (i->id);
  g_strfreev (i->phrases);
  g_strfreev (i->keywords);
  g_free (i->dtmf);
  g_free (i->builtin);
  grade_clear (&i->grade);
  g_free (i->response);
  g_free (i->next);
  g_free (i->outcome);
  g_free (i);
}

void
tb_script_problem_free (TbScriptProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->node_id);
  g_free (problem->code);
  g_free (problem->message);
  g_free (problem->disclosure);
  g_free (problem);
}

char *
_tb_script_format_message (TbScript   *self,
                           const char *node_id,
                           const char *format,
                           ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (node_id != NULL)
    return g_strdup_printf ("%s: node \"%s\": %s", self->source_name, node_id, text);
  return g_strdup_printf ("%s: %s", self->source_name, text);
}

const char *
tb_script_node_type_to_string (TbScriptNodeType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (node_types); i++)
    if (node_types[i].type == type)
      return node_types[i].name;
  return NULL;
}

gboolean
tb_script_node_type_from_string (const char       *string,
                                 TbScriptNodeType *type)
{
  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (node_types); i++) {
    if (g_str_equal (node_types[i].name, string)) {
      *type = node_types[i].type;
      return TRUE;
    }
  }
  return FALSE;
}

const char * const *
tb_script_get_disclosure_names (void)
{
  static const char * const names[] = {
    "identity", "automated", "recording", "opt_out", "callback", NULL
  };

  return names;
}

gboolean
tb_script_node_type_is_terminal (TbScriptNodeType type)
{
  return type == TB_SCRIPT_NODE_TRANSFER || type == TB_SCRIPT_NODE_VOICEMAIL ||
         type == TB_SCRIPT_NODE_HANGUP;
}

/* ---- GObject ---------------------------------------------------------- */

static void
tb_script_finalize (GObject *object)
{
  TbScript *self = (TbScript *) object;

  g_free (self->source_name);
  g_free (self->name);
  g_free (self->language);
  g_free (self->voice);
  g_free (self->start);
  g_free (self->confirm_text);
  g_free (self->voicemail);
  g_ptr_array_unref (self->variables);
  g_hash_table_unref (self->var_defaults);
  g_hash_table_unref (self->node_index);
  g_ptr_array_unref (self->nodes);
  g_ptr_array_unref (self->intents);
  g_clear_pointer (&self->matcher, tb_intent_matcher_unref);

  G_OBJECT_CLASS (tb_script_parent_class)->finalize (object);
}

static void
tb_script_class_init (TbScriptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_script_finalize;
}

static void
tb_script_init (TbScript *self)
{
  self->source_name = g_strdup ("script");
  self->name = g_strdup ("");
  self->language = g_strdup ("en");
  self->min_confidence = DEFAULT_MIN_CONFIDENCE;
  self->confirm_opt_out = TRUE;
  self->grading = (TbScriptGrading) { .a = 80, .b = 60, .c = 40, .d = 20, .base = 40 };
  self->variables = g_ptr_array_new_with_free_func (g_free);
  self->var_defaults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->nodes = g_ptr_array_new_with_free_func (node_free);
  self->node_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->intents = g_ptr_array_new_with_free_func (intent_free);
}

TbScript *
tb_script_new (const char *name,
               const char *language)
{
  TbScript *self = g_object_new (TB_TYPE_SCRIPT, NULL);

  g_free (self->name);
  self->name = g_strdup (name ? name : "");
  g_free (self->language);
  self->language = g_strdup (language ? language : "en");
  return self;
}

/* ---- reading ---------------------------------------------------------- */

const char *
tb_script_get_source_name (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return self->source_name;
}

const char *
tb_script_get_name (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return self->name;
}

const char *
tb_script_get_language (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return self->language;
}

const char *
tb_script_get_voice (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return self->voice;
}

gboolean
tb_script_get_records (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), FALSE);
  return self->records;
}

gboolean
tb_script_get_keypad_only (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), FALSE);
  return self->keypad_only;
}

const char *
tb_script_get_start (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return self->start;
}

const char *
tb_script_get_voicemail (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return self->voicemail;
}

double
tb_script_get_min_confidence (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), 0.0);
  return self->min_confidence;
}

gboolean
tb_script_get_confirm_opt_out (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), FALSE);
  return self->confirm_opt_out;
}

const char *
tb_script_get_confirm_text (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return self->confirm_text;
}

const char *
tb_script_default_confirm_text (const char *language)
{
  if (language != NULL && g_str_has_prefix (language, "zh"))
    return "跟您确认一下，以后不再给您打电话，对吗？是的话请说“是”或按9。";
  if (language == NULL || g_str_has_prefix (language, "en"))
    return "Just to confirm: should we stop calling you? Say yes, or press 9.";
  return NULL;
}

const TbScriptGrading *
tb_script_get_grading (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return &self->grading;
}

GStrv
tb_script_dup_variable_names (TbScript *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  for (guint i = 0; i < self->variables->len; i++)
    g_strv_builder_add (b, g_ptr_array_index (self->variables, i));
  return g_strv_builder_end (b);
}

const char *
tb_script_get_variable_default (TbScript   *self,
                                const char *variable)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return g_hash_table_lookup (self->var_defaults, variable);
}

guint
tb_script_get_n_nodes (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), 0);
  return self->nodes->len;
}

const TbScriptNode *
tb_script_get_nth_node (TbScript *self,
                        guint     index)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return index < self->nodes->len ? g_ptr_array_index (self->nodes, index) : NULL;
}

const TbScriptNode *
tb_script_get_node (TbScript   *self,
                    const char *id)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return id != NULL ? g_hash_table_lookup (self->node_index, id) : NULL;
}

guint
tb_script_get_n_intents (TbScript *self)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), 0);
  return self->intents->len;
}

const TbScriptIntent *
tb_script_get_nth_intent (TbScript *self,
                          guint     index)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  return index < self->intents->len ? g_ptr_array_index (self->intents, index) : NULL;
}

const TbScriptIntent *
tb_script_get_intent (TbScript   *self,
                      const char *id)
{
  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  for (guint pass = 0; pass < 2 && id != NULL; pass++) {
    for (guint i = 0; i < self->intents->len; i++) {
      TbScriptIntent *in = g_ptr_array_index (self->intents, i);

      if (in->global == (pass == 1) && g_str_equal (in->id, id))
        return in;
    }
  }
  return NULL;
}

const TbScriptIntent *
tb_script_get_opt_out_intent (TbScript *self)
{
  const TbScriptIntent *in;

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  in = tb_script_get_intent (self, "opt_out");
  return in != NULL && in->global ? in : NULL;
}

static gboolean
text_has_cjk (const char *s)
{
  for (; *s; s = g_utf8_next_char (s))
    if (g_unichar_get_script (g_utf8_get_char (s)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

GStrv
tb_script_dup_phrases (TbScript   *self,
                       const char *intent_id)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const TbScriptIntent *in;
  const char *builtin;
  gboolean opt_out;

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  g_return_val_if_fail (intent_id != NULL, NULL);

  in = tb_script_get_intent (self, intent_id);
  opt_out = g_str_equal (intent_id, "opt_out") ||
            (in != NULL && in->global && in->action == TB_SCRIPT_GLOBAL_OPT_OUT);
  builtin = in != NULL ? in->builtin : intent_id;
  if (in == NULL && !opt_out &&
      !tb_understanding_has_intent (tb_understanding_get_default (), intent_id))
    return NULL;
  for (guint pass = 0; in != NULL && pass < 2; pass++) {
    GStrv list = pass == 0 ? in->phrases : in->keywords;

    for (guint i = 0; list[i] != NULL; i++)
      if (g_hash_table_add (seen, list[i]))
        g_strv_builder_add (b, list[i]);
  }
  if (!opt_out && builtin != NULL && (in == NULL || (in->phrases[0] == NULL &&
                                                    in->keywords[0] == NULL))) {
    /* Only a built-in intent: what its patterns accept, a few per rule. */
    g_auto(GStrv) more = tb_understanding_dup_sentences (tb_understanding_get_default (), builtin,
                                                         self->language, BUILTIN_GRAMMAR_MAX);

    for (guint i = 0; more[i] != NULL; i++)
      if (g_hash_table_add (seen, more[i]))
        g_strv_builder_add (b, more[i]);
    return g_strv_builder_end (b);
  }
  if (opt_out) {
    const char * const *defaults = tb_intent_default_opt_out_phrases ();
    gboolean zh = g_str_has_prefix (self->language, "zh");

    for (guint i = 0; defaults[i] != NULL; i++)
      if (text_has_cjk (defaults[i]) == zh && g_hash_table_add (seen, (gpointer) defaults[i]))
        g_strv_builder_add (b, defaults[i]);
  }
  return g_strv_builder_end (b);
}

GStrv
tb_script_dup_listen_intents (TbScript   *self,
                              const char *node_id)
{
  const TbScriptNode *n = node_id != NULL ? tb_script_get_node (self, node_id) : NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  for (guint i = 0; n != NULL && n->type == TB_SCRIPT_NODE_ASK && i < n->routes->len; i++) {
    TbScriptRoute *r = g_ptr_array_index (n->routes, i);

    if (!g_str_equal (r->intent, "no_input") && !g_str_equal (r->intent, "no_match") &&
        g_hash_table_add (seen, r->intent))
      g_strv_builder_add (b, r->intent);
  }
  for (guint i = 0; i < tb_script_get_n_intents (self); i++) {
    const TbScriptIntent *in = tb_script_get_nth_intent (self, i);

    if (in->global && g_hash_table_add (seen, in->id))
      g_strv_builder_add (b, in->id);
  }
  if (!g_hash_table_contains (seen, "opt_out"))
    g_strv_builder_add (b, "opt_out");
  return g_strv_builder_end (b);
}

GStrv
tb_script_dup_grammar (TbScript           *self,
                       const char * const *intents)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  for (guint i = 0; intents != NULL && intents[i] != NULL; i++) {
    g_auto(GStrv) more = tb_script_dup_phrases (self, intents[i]);

    if (more != NULL)
      g_strv_builder_addv (b, (const char **) more);
  }
  return g_strv_builder_end (b);
}

GStrv
tb_script_dup_settled_intents (TbScript   *self,
                               const char *node_id)
{
  g_auto(GStrv) listen = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  listen = tb_script_dup_listen_intents (self, node_id);
  for (guint i = 0; listen[i] != NULL; i++) {
    const TbScriptIntent *in = tb_script_get_intent (self, listen[i]);

    if (g_str_equal (listen[i], "opt_out") ||
        (in != NULL && in->global && in->action == TB_SCRIPT_GLOBAL_OPT_OUT))
      continue;
    g_strv_builder_add (b, listen[i]);
  }
  return g_strv_builder_end (b);
}

GStrv
tb_script_dup_settled_grammar (TbScript           *self,
                               const char * const *intents,
                               const char * const *settled)
{
  g_autoptr(GHashTable) others = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  /* Phrases compared as the understanding reads them (case, punctuation, contractions). */
  TbUnderstanding *u = tb_understanding_get_default ();

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  for (guint i = 0; intents != NULL && intents[i] != NULL; i++) {
    g_auto(GStrv) more = NULL;

    if (settled != NULL && g_strv_contains (settled, intents[i]))
      continue;
    more = tb_script_dup_phrases (self, intents[i]);
    for (guint k = 0; more != NULL && more[k] != NULL; k++)
      g_hash_table_add (others, tb_understanding_normalize (u, more[k]));
  }
  for (guint i = 0; settled != NULL && settled[i] != NULL; i++) {
    g_auto(GStrv) more = tb_script_dup_phrases (self, settled[i]);

    for (guint k = 0; more != NULL && more[k] != NULL; k++) {
      g_autofree char *words = tb_understanding_normalize (u, more[k]);

      if (!g_hash_table_contains (others, words))
        g_strv_builder_add (b, more[k]);
    }
  }
  return g_strv_builder_end (b);
}

GStrv
tb_script_dup_start_path (TbScript *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const TbScriptNode *n;

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  for (n = tb_script_get_node (self, self->start);
       n != NULL && g_hash_table_add (seen, n->id);
       n = n->type == TB_SCRIPT_NODE_SAY ? tb_script_get_node (self, n->next) : NULL)
    g_strv_builder_add (b, n->id);
  return g_strv_builder_end (b);
}

GStrv
tb_script_dup_node_targets (TbScript   *self,
                            const char *node_id)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  const TbScriptNode *n;

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);
  n = tb_script_get_node (self, node_id);
  if (n != NULL) {
    if (n->next != NULL)
      g_strv_builder_add (b, n->next);
    for (guint i = 0; i < n->routes->len; i++)
      g_strv_builder_add (b, ((TbScriptRoute *) g_ptr_array_index (n->routes, i))->target);
  }
  return g_strv_builder_end (b);
}

GStrv
tb_script_dup_text_variables (const char *text)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  for (const char *p = text; p != NULL && *p; p++) {
    const char *end;
    char *name;

    if (p[0] == '{' && p[1] == '{') {
      p++;
      continue;
    }
    if (*p != '{' || (end = strchr (p + 1, '}')) == NULL)
      continue;
    name = g_strndup (p + 1, end - p - 1);
    g_strstrip (name);
    if (*name != '\0' && strchr (name, '{') == NULL &&
        !g_ptr_array_find_with_equal_func (seen, name, g_str_equal, NULL)) {
      g_strv_builder_add (b, name);
      g_ptr_array_add (seen, name);
    } else {
      g_free (name);
    }
    p = end;
  }
  return g_strv_builder_end (b);
}

char *
tb_script_expand_text (TbScript   *self,
                       const char *text,
                       GHashTable *values)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);

  for (const char *p = text; p != NULL && *p; p++) {
    const char *end;

    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
      g_string_append_c (out, *p);
      p++;
      continue;
    }
    if (*p == '{' && (end = strchr (p + 1, '}')) != NULL) {
      g_autofree char *name = g_strndup (p + 1, end - p - 1);
      const char *value = NULL;

      g_strstrip (name);
      if (values != NULL)
        value = g_hash_table_lookup (values, name);
      if (value == NULL || *value == '\0')
        value = g_hash_table_lookup (self->var_defaults, name);
      if (value != NULL)
        g_string_append (out, value);
      p = end;
      continue;
    }
    g_string_append_c (out, *p);
  }
  /* A missing value must not leave "Hello , this is…": one space between
   * words and none before punctuation. */
  {
    GString *t = g_string_new (NULL);

    for (const char *q = out->str; *q; q++) {
      if (*q == ' ' && (q[1] == ' ' || (q[1] != '\0' && strchr (",.!?;:", q[1]) != NULL)))
        continue;
      g_string_append_c (t, *q);
    }
    g_string_free (out, TRUE);
    return g_strstrip (g_string_free (t, FALSE));
  }
}

TbIntentMatcher *
tb_script_get_matcher (TbScript *self)
{
  gboolean have_opt_out = FALSE;

  g_return_val_if_fail (TB_IS_SCRIPT (self), NULL);

  if (self->matcher != NULL)
    return self->matcher;
  self->matcher = tb_intent_matcher_new ();
  /* Opt-out first: the built-in understanding and DTMF 9 are always there. */
  for (guint i = 0; i < self->intents->len; i++) {
    TbScriptIntent *in = g_ptr_array_index (self->intents, i);

    if (in->global && in->action == TB_SCRIPT_GLOBAL_OPT_OUT) {
      tb_intent_matcher_add (self->matcher, in->id, NULL, NULL,
                             in->dtmf != NULL ? in->dtmf : "9", 100);
      tb_intent_matcher_add_builtin (self->matcher, in->id, "opt_out");
      if (g_str_equal (in->id, "opt_out"))
        have_opt_out = TRUE;
    }
  }
  if (!have_opt_out) {
    tb_intent_matcher_add (self->matcher, "opt_out", NULL, NULL, "9", 100);
    tb_intent_matcher_add_builtin (self->matcher, "opt_out", "opt_out");
  }
  for (guint i = 0; i < self->intents->len; i++) {
    TbScriptIntent *in = g_ptr_array_index (self->intents, i);
    gboolean opt_out = in->global && in->action == TB_SCRIPT_GLOBAL_OPT_OUT;

    tb_intent_matcher_add (self->matcher, in->id, (const char * const *) in->phrases,
                           (const char * const *) in->keywords, opt_out ? NULL : in->dtmf,
                           opt_out ? 100 : 0);
    if (in->builtin != NULL)
      tb_intent_matcher_add_builtin (self->matcher, in->id, in->builtin);
  }
  return self->matcher;
}
