/* tb-understanding.c — built-in lexicons: what the callee meant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-understanding"

#include "config.h"

#include "tb-limits.h"
#include "tb-understanding-private.h"
#include "tb-understanding-resources.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define LEXICON_VERSION 1
#define DEFAULT_CONFIDENCE 0.9
/* How far before a match a negation reaches: words (English), characters (Chinese). */
#define NEGATION_WORDS 3
#define NEGATION_CHARS 2

static const char * const builtin_lexicons[] = { "en.json", "zh.json" };

G_DEFINE_QUARK (tb-understanding-error-quark, tb_understanding_error)

static void
word_class_free (gpointer data)
{
  TbWordClass *cls = data;

  g_free (cls->name);
  g_ptr_array_unref (cls->entries);
  g_free (cls);
}

static void
rule_free (gpointer data)
{
  TbRule *rule = data;

  g_free (rule->id);
  g_free (rule->language);
  tb_pattern_free (rule->pattern);
  g_clear_pointer (&rule->unless, g_ptr_array_unref);
  g_strfreev (rule->examples);
  g_free (rule);
}

static void
intent_free (gpointer data)
{
  TbBuiltinIntent *intent = data;

  g_free (intent->name);
  g_ptr_array_unref (intent->rules);
  g_ptr_array_unref (intent->except);
  g_free (intent);
}

static TbUnderstanding *
understanding_new_empty (void)
{
  TbUnderstanding *self = g_new0 (TbUnderstanding, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->rewrite = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_strfreev);
  self->fillers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->filler_seqs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->particles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->negators = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->idioms = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->t2s = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->dialect = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->classes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, word_class_free);
  self->intents = g_ptr_array_new_with_free_func (intent_free);
  return self;
}

TbUnderstanding *
tb_understanding_ref (TbUnderstanding *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tb_understanding_unref (TbUnderstanding *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  /* Intents' patterns point into the classes: drop them first. */
  g_ptr_array_unref (self->intents);
  g_hash_table_unref (self->classes);
  g_hash_table_unref (self->rewrite);
  g_hash_table_unref (self->fillers);
  g_ptr_array_unref (self->filler_seqs);
  g_hash_table_unref (self->particles);
  g_hash_table_unref (self->negators);
  g_ptr_array_unref (self->idioms);
  g_hash_table_unref (self->t2s);
  g_hash_table_unref (self->dialect);
  g_free (self);
}

/* ---- loading ---------------------------------------------------------- */

typedef struct {
  TbUnderstanding *self;
  const char      *source;
  const char      *language;
  GError         **error;
} Loader;

static gboolean
fail (Loader     *ld,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (Loader     *ld,
      const char *format,
      ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (ld->error, TB_UNDERSTANDING_ERROR, TB_UNDERSTANDING_ERROR_INVALID, "%s: %s",
               ld->source, msg);
  return FALSE;
}

/* A member that must be an array of strings (or absent). */
static gboolean
string_array (Loader      *ld,
              JsonObject  *obj,
              const char  *member,
              const char  *where,
              JsonArray  **out)
{
  JsonNode *node = json_object_get_member (obj, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (ld, "%s: \"%s\" must be a list of strings", where, member);
  *out = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (*out); i++) {
    JsonNode *e = json_array_get_element (*out, i);

    if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
      return fail (ld, "%s: \"%s\" must be a list of strings", where, member);
  }
  return TRUE;
}

static void
add_token_set (TbUnderstanding *self,
               GHashTable      *set,
               const char      *word,
               GPtrArray       *seqs)
{
  g_autoptr(GPtrArray) tokens = _tb_understanding_split (self, word, TRUE);

  if (tokens->len == 1)
    g_hash_table_add (set, g_strdup (g_ptr_array_index (tokens, 0)));
  else if (tokens->len > 1 && seqs != NULL) {
    g_ptr_array_add (tokens, NULL);
    g_ptr_array_add (seqs, g_strdupv ((char **) tokens->pdata));
  }
}

static gboolean
load_normalize (Loader     *ld,
                JsonObject *norm)
{
  TbUnderstanding *self = ld->self;
  JsonArray *arr;
  JsonNode *node;

  node = json_object_get_member (norm, "rewrite");
  if (node != NULL) {
    JsonObject *rw;
    g_autoptr(GList) keys = NULL;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      return fail (ld, "normalize: \"rewrite\" must map words to words");
    rw = json_node_get_object (node);
    keys = json_object_get_members (rw);
    for (GList *l = keys; l != NULL; l = l->next) {
      const char *to = json_object_get_string_member_with_default (rw, l->data, NULL);
      g_autofree char *from = NULL;
      g_autoptr(GPtrArray) into = NULL;

      if (to == NULL)
        return fail (ld, "normalize: rewrite \"%s\" must be a string", (char *) l->data);
      from = _tb_understanding_fold_word (l->data);
      if (*from == '\0' || strchr (l->data, ' ') != NULL)
        return fail (ld, "normalize: rewrite \"%s\" must be one word", (char *) l->data);
      into = _tb_understanding_split (self, to, TRUE);
      g_ptr_array_add (into, NULL);
      g_hash_table_replace (self->rewrite, g_steal_pointer (&from),
                            g_strdupv ((char **) into->pdata));
    }
  }
  if (!string_array (ld, norm, "fillers", "normalize", &arr))
    return FALSE;
  for (guint i = 0; arr != NULL && i < json_array_get_length (arr); i++)
    add_token_set (self, self->fillers, json_array_get_string_element (arr, i),
                   self->filler_seqs);
  if (!string_array (ld, norm, "particles", "normalize", &arr))
    return FALSE;
  for (guint i = 0; arr != NULL && i < json_array_get_length (arr); i++)
    add_token_set (self, self->particles, json_array_get_string_element (arr, i), NULL);
  if (!string_array (ld, norm, "negators", "normalize", &arr))
    return FALSE;
  for (guint i = 0; arr != NULL && i < json_array_get_length (arr); i++)
    add_token_set (self, self->negators, json_array_get_string_element (arr, i), NULL);

  if (!string_array (ld, norm, "negation_idioms", "normalize", &arr))
    return FALSE;
  for (guint i = 0; arr != NULL && i < json_array_get_length (arr); i++) {
    g_autoptr(GPtrArray) tokens = _tb_understanding_split (self,
                                                           json_array_get_string_element (arr, i),
                                                           TRUE);

    if (tokens->len == 0)
      continue;
    g_ptr_array_add (tokens, NULL);
    g_ptr_array_add (self->idioms, g_strdupv ((char **) tokens->pdata));
  }

  node = json_object_get_member (norm, "traditional");
  if (node != NULL) {
    const char *pairs = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;

    if (pairs == NULL)
      return fail (ld, "normalize: \"traditional\" must be a string of character pairs");
    /* Pairs of characters: traditional, then simplified; spaces between pairs allowed. */
    for (const char *p = pairs; *p;) {
      gunichar t = g_utf8_get_char (p), s;

      p = g_utf8_next_char (p);
      if (g_unichar_isspace (t))
        continue;
      if (*p == '\0')
        return fail (ld, "normalize: \"traditional\" has an odd number of characters");
      s = g_utf8_get_char (p);
      p = g_utf8_next_char (p);
      g_hash_table_insert (self->t2s, GUINT_TO_POINTER (t), GUINT_TO_POINTER (s));
    }
  }

  node = json_object_get_member (norm, "dialect");
  if (node != NULL) {
    JsonObject *forms;
    g_autoptr(GList) keys = NULL;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      return fail (ld, "normalize: \"dialect\" must map Chinese characters to characters");
    forms = json_node_get_object (node);
    keys = json_object_get_members (forms);
    for (GList *l = keys; l != NULL; l = l->next) {
      const char *from = l->data;
      const char *to = json_object_get_string_member_with_default (forms, from, NULL);
      gunichar first = g_utf8_get_char_validated (from, -1);
      GPtrArray *list;
      const char *pair[] = { from, to, NULL };
      guint at = 0;

      if (to == NULL || first == (gunichar) -1 || first == (gunichar) -2 ||
          !_tb_char_is_cjk (first))
        return fail (ld, "normalize: dialect \"%s\": a Chinese form and its meaning, as "
                     "strings", from);
      list = g_hash_table_lookup (self->dialect, GUINT_TO_POINTER (first));
      if (list == NULL) {
        list = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
        g_hash_table_insert (self->dialect, GUINT_TO_POINTER (first), list);
      }
      /* Longest first: 唔该 before 唔. */
      while (at < list->len &&
             strlen (((GStrv) g_ptr_array_index (list, at))[0]) >= strlen (from))
        at++;
      g_ptr_array_insert (list, at, g_strdupv ((char **) pair));
    }
  }
  return TRUE;
}

static gboolean
load_classes (Loader     *ld,
              JsonObject *classes)
{
  g_autoptr(GList) names = json_object_get_members (classes);

  /* Names first, so entries may refer to classes defined after them. */
  for (GList *l = names; l != NULL; l = l->next) {
    const char *name = l->data;

    for (const char *c = name; *c; c++)
      if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-')
        return fail (ld, "class \"%s\": names use letters, digits, _ and - only", name);
    if (!g_hash_table_contains (ld->self->classes, name)) {
      TbWordClass *cls = g_new0 (TbWordClass, 1);

      cls->name = g_strdup (name);
      cls->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_pattern_free);
      g_hash_table_insert (ld->self->classes, cls->name, cls);
    }
  }
  for (GList *l = names; l != NULL; l = l->next) {
    TbWordClass *cls = g_hash_table_lookup (ld->self->classes, l->data);
    g_autofree char *where = g_strdup_printf ("class \"%s\"", (char *) l->data);
    JsonArray *arr;

    if (!string_array (ld, classes, l->data, where, &arr))
      return FALSE;
    for (guint i = 0; arr != NULL && i < json_array_get_length (arr); i++) {
      g_autoptr(GError) err = NULL;
      TbPattern *p = tb_pattern_new (ld->self, json_array_get_string_element (arr, i), &err);

      if (p == NULL)
        return fail (ld, "%s: %s", where, err->message);
      g_ptr_array_add (cls->entries, p);
    }
  }
  return TRUE;
}

static TbBuiltinIntent *
find_intent (TbUnderstanding *self,
             const char      *name)
{
  for (guint i = 0; i < self->intents->len; i++) {
    TbBuiltinIntent *in = g_ptr_array_index (self->intents, i);

    if (g_str_equal (in->name, name))
      return in;
  }
  return NULL;
}

static gint
by_priority (gconstpointer a,
             gconstpointer b)
{
  const TbBuiltinIntent *x = *(TbBuiltinIntent **) a;
  const TbBuiltinIntent *y = *(TbBuiltinIntent **) b;

  return (y->priority > x->priority) - (y->priority < x->priority);
}

static TbPattern *
compile_in (Loader     *ld,
            const char *pattern,
            const char *where)
{
  g_autoptr(GError) err = NULL;
  TbPattern *p = tb_pattern_new (ld->self, pattern, &err);

  if (p == NULL)
    fail (ld, "%s: %s", where, err->message);
  return p;
}

/* Examples a rule must understand as its intent, counter-examples it must not. */
static gboolean
check_examples (Loader          *ld,
                TbBuiltinIntent *intent,
                TbRule          *rule,
                JsonObject      *obj)
{
  for (guint pass = 0; pass < 2; pass++) {
    const char *member = pass == 0 ? "examples" : "counter_examples";
    JsonArray *arr;

    if (!string_array (ld, obj, member, rule->id, &arr))
      return FALSE;
    for (guint i = 0; arr != NULL && i < json_array_get_length (arr); i++) {
      const char *text = json_array_get_string_element (arr, i);
      g_autoptr(GPtrArray) tokens = tb_understanding_tokenize (ld->self, text);
      const char *only[] = { intent->name, NULL };
      TbUnderstood u;
      gboolean hit = tb_understanding_match_tokens (ld->self, tokens, only, &u);

      if (pass == 0 && !hit)
        return fail (ld, "%s: example \"%s\" is not understood as %s", rule->id, text,
                     intent->name);
      if (pass == 1 && hit)
        return fail (ld, "%s: counter-example \"%s\" is understood as %s (rule %s)", rule->id,
                     text, intent->name, u.rule);
    }
  }
  return TRUE;
}

static gboolean
load_rule (Loader          *ld,
           TbBuiltinIntent *intent,
           JsonNode        *node,
           GPtrArray       *checks)
{
  JsonObject *obj;
  const char *id, *pattern;
  g_autofree char *where = NULL;
  TbRule *rule;
  JsonArray *unless;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (ld, "intent \"%s\": every rule is an object", intent->name);
  obj = json_node_get_object (node);
  id = json_object_get_string_member_with_default (obj, "id", NULL);
  pattern = json_object_get_string_member_with_default (obj, "pattern", NULL);
  if (id == NULL || pattern == NULL)
    return fail (ld, "intent \"%s\": every rule has an \"id\" and a \"pattern\"", intent->name);

  rule = g_new0 (TbRule, 1);
  rule->id = g_strdup_printf ("%s/%s/%s", ld->language, intent->name, id);
  rule->language = g_strdup (ld->language);
  rule->confidence = json_object_get_double_member_with_default (obj, "confidence",
                                                                 DEFAULT_CONFIDENCE);
  rule->confirm = json_object_get_boolean_member_with_default (obj, "confirm", FALSE);
  rule->negatable = json_object_get_boolean_member_with_default (obj, "negatable", FALSE);
  rule->ironic = json_object_get_boolean_member_with_default (obj, "ironic", FALSE);
  rule->unless = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_pattern_free);
  g_ptr_array_add (intent->rules, rule);
  where = g_strdup_printf ("rule %s", rule->id);
  if (rule->confidence <= 0 || rule->confidence > 1)
    return fail (ld, "%s: \"confidence\" must be in (0, 1]", where);
  if (rule->ironic && !rule->confirm)
    return fail (ld, "%s: \"ironic\" is for a rule that asks (\"confirm\": true)", where);
  rule->pattern = compile_in (ld, pattern, where);
  if (rule->pattern == NULL)
    return FALSE;
  if (!string_array (ld, obj, "unless", where, &unless))
    return FALSE;
  for (guint i = 0; unless != NULL && i < json_array_get_length (unless); i++) {
    TbPattern *p = compile_in (ld, json_array_get_string_element (unless, i), where);

    if (p == NULL)
      return FALSE;
    g_ptr_array_add (rule->unless, p);
  }
  {
    JsonArray *examples;
    g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

    if (!string_array (ld, obj, "examples", where, &examples))
      return FALSE;
    for (guint i = 0; examples != NULL && i < json_array_get_length (examples); i++)
      g_strv_builder_add (b, json_array_get_string_element (examples, i));
    rule->examples = g_strv_builder_end (b);
  }
  g_ptr_array_add (checks, obj);
  return TRUE;
}

static gboolean
load_intents (Loader     *ld,
              JsonObject *intents)
{
  g_autoptr(GList) names = json_object_get_members (intents);
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();   /* JsonObject* of each rule, in order */
  g_autoptr(GPtrArray) checked = g_ptr_array_new ();  /* (intent, rule) pairs */

  for (GList *l = names; l != NULL; l = l->next) {
    const char *name = l->data;
    JsonNode *node = json_object_get_member (intents, name);
    TbBuiltinIntent *intent;
    JsonObject *obj;
    JsonNode *rules;
    JsonArray *except;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      return fail (ld, "intent \"%s\" must be an object", name);
    obj = json_node_get_object (node);
    intent = find_intent (ld->self, name);
    if (intent == NULL) {
      intent = g_new0 (TbBuiltinIntent, 1);
      intent->name = g_strdup (name);
      intent->rules = g_ptr_array_new_with_free_func (rule_free);
      intent->except = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_pattern_free);
      g_ptr_array_add (ld->self->intents, intent);
    }
    /* Opt-out always comes first. */
    intent->priority = g_str_equal (name, "opt_out") ? G_MAXINT :
      MAX (intent->priority, (int) json_object_get_int_member_with_default (obj, "priority", 0));
    intent->answer = json_object_get_boolean_member_with_default (obj, "answer", intent->answer);
    rules = json_object_get_member (obj, "rules");
    if (rules != NULL && !JSON_NODE_HOLDS_ARRAY (rules))
      return fail (ld, "intent \"%s\": \"rules\" must be a list", name);
    for (guint i = 0; rules != NULL && i < json_array_get_length (json_node_get_array (rules));
         i++) {
      if (!load_rule (ld, intent, json_array_get_element (json_node_get_array (rules), i),
                      checks))
        return FALSE;
      g_ptr_array_add (checked, intent);
      g_ptr_array_add (checked, g_ptr_array_index (intent->rules, intent->rules->len - 1));
    }
    if (!string_array (ld, obj, "except", name, &except))
      return FALSE;
    for (guint i = 0; except != NULL && i < json_array_get_length (except); i++) {
      g_autofree char *where = g_strdup_printf ("intent \"%s\": except", name);
      TbPattern *p = compile_in (ld, json_array_get_string_element (except, i), where);

      if (p == NULL)
        return FALSE;
      g_ptr_array_add (intent->except, p);
    }
  }
  g_ptr_array_sort (ld->self->intents, by_priority);

  /* Now that every rule is in, each one's examples must hold. */
  for (guint i = 0; i < checks->len; i++)
    if (!check_examples (ld, g_ptr_array_index (checked, 2 * i),
                         g_ptr_array_index (checked, 2 * i + 1), g_ptr_array_index (checks, i)))
      return FALSE;
  return TRUE;
}

static gboolean
add_data (TbUnderstanding *self,
          const char      *data,
          gssize           length,
          const char      *source,
          GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) err = NULL;
  Loader ld = { self, source ? source : "lexicon", NULL, error };
  JsonObject *root;
  JsonNode *node;

  if (length < 0)
    length = data != NULL ? strlen (data) : 0;
  if (!tb_limits_parse_json (parser, data ? data : "", length, ld.source,
                             TB_LIMITS_LEXICON_BYTES, &err)) {
    g_set_error_literal (error, TB_UNDERSTANDING_ERROR,
                         g_error_matches (err, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)
                         ? TB_UNDERSTANDING_ERROR_INVALID : TB_UNDERSTANDING_ERROR_SYNTAX,
                         err->message);
    return FALSE;
  }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return fail (&ld, "not a lexicon (a JSON object)");
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_int_member_with_default (root, "understanding", 0) != LEXICON_VERSION)
    return fail (&ld, "\"understanding\": %d is missing or not %d", 0, LEXICON_VERSION);
  ld.language = json_object_get_string_member_with_default (root, "language", NULL);
  if (ld.language == NULL || *ld.language == '\0')
    return fail (&ld, "\"language\" is missing");

  node = json_object_get_member (root, "normalize");
  if (node != NULL && (!JSON_NODE_HOLDS_OBJECT (node) ||
                       !load_normalize (&ld, json_node_get_object (node))))
    return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? FALSE
           : fail (&ld, "\"normalize\" must be an object");
  node = json_object_get_member (root, "classes");
  if (node != NULL && (!JSON_NODE_HOLDS_OBJECT (node) ||
                       !load_classes (&ld, json_node_get_object (node))))
    return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? FALSE
           : fail (&ld, "\"classes\" must be an object");
  node = json_object_get_member (root, "intents");
  if (node != NULL && (!JSON_NODE_HOLDS_OBJECT (node) ||
                       !load_intents (&ld, json_node_get_object (node))))
    return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? FALSE
           : fail (&ld, "\"intents\" must be an object");
  return TRUE;
}

TbUnderstanding *
tb_understanding_new (void)
{
  TbUnderstanding *self = understanding_new_empty ();

  for (guint i = 0; i < G_N_ELEMENTS (builtin_lexicons); i++) {
    g_autofree char *path = g_strconcat ("/com/example/Telebot/understanding/",
                                         builtin_lexicons[i], NULL);
    g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
    g_autoptr(GError) error = NULL;

    if (bytes == NULL ||
        !add_data (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   builtin_lexicons[i], &error))
      g_error ("the built-in lexicon %s is broken: %s", builtin_lexicons[i],
               error ? error->message : "missing from the resources");
  }
  return self;
}

TbUnderstanding *
tb_understanding_get_default (void)
{
  static TbUnderstanding *def;

  if (g_once_init_enter (&def)) {
    TbUnderstanding *u;

    _tb_understanding_register_resource ();
    u = tb_understanding_new ();
    g_once_init_leave (&def, u);
  }
  return def;
}

gboolean
tb_understanding_add_data (TbUnderstanding *self,
                           const char      *data,
                           gssize           length,
                           const char      *source,
                           GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return add_data (self, data, length, source, error);
}

gboolean
tb_understanding_check_data (const char *data,
                             gssize      length,
                             const char *source,
                             GError    **error)
{
  g_autoptr(TbUnderstanding) scratch = NULL;

  tb_understanding_get_default ();   /* registers the resources */
  scratch = tb_understanding_new ();
  return add_data (scratch, data, length, source, error);
}

/* ---- understanding ---------------------------------------------------- */

GStrv
tb_understanding_dup_intents (TbUnderstanding *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; i < self->intents->len; i++)
    g_strv_builder_add (b, ((TbBuiltinIntent *) g_ptr_array_index (self->intents, i))->name);
  return g_strv_builder_end (b);
}

gboolean
tb_understanding_has_intent (TbUnderstanding *self,
                             const char      *intent)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return intent != NULL && find_intent (self, intent) != NULL;
}

gboolean
tb_understanding_is_negator (TbUnderstanding *self,
                             const char      *token)
{
  return token != NULL && g_hash_table_contains (self->negators, token);
}

static const char *
token_at (GPtrArray *tokens,
          gint       pos)
{
  return pos >= 0 && (guint) pos < tokens->len ? g_ptr_array_index (tokens, pos) : "";
}

/* Does an idiom ("no problem", 不错) start at @at? */
static gboolean
idiom_at (TbUnderstanding *self,
          GPtrArray       *tokens,
          guint            at)
{
  for (guint i = 0; i < self->idioms->len; i++) {
    GStrv idiom = g_ptr_array_index (self->idioms, i);
    guint k = 0;

    while (idiom[k] != NULL && at + k < tokens->len &&
           g_str_equal (idiom[k], g_ptr_array_index (tokens, at + k)))
      k++;
    if (idiom[k] == NULL)
      return TRUE;
  }
  return FALSE;
}

gboolean
tb_understanding_is_negated (TbUnderstanding *self,
                             GPtrArray       *tokens,
                             guint            pos)
{
  gboolean cjk;
  guint reach;

  g_return_val_if_fail (self != NULL, FALSE);
  if (pos >= tokens->len)
    return FALSE;
  cjk = _tb_token_is_cjk (g_ptr_array_index (tokens, pos));
  reach = cjk ? NEGATION_CHARS : NEGATION_WORDS;
  for (guint back = 1; back <= reach && back <= pos; back++) {
    gint at = (gint) (pos - back);
    const char *w = token_at (tokens, at);

    if (g_str_equal (w, TB_UNDERSTANDING_CLAUSE))
      return FALSE;
    if (!tb_understanding_is_negator (self, w) || idiom_at (self, tokens, at))
      continue;
    if (cjk) {
      const char *after = token_at (tokens, at + 1);
      const char *before = token_at (tokens, at - 1);

      /* 是不是, 要不要 (A-not-A) ask rather than deny. */
      if (*before != '\0' && g_str_equal (before, after))
        continue;
    }
    return TRUE;
  }
  return FALSE;
}

static gboolean
allowed_has (const char * const *allowed,
             const char         *name)
{
  return allowed == NULL || g_strv_contains (allowed, name);
}

static gboolean
vetoed (GPtrArray *patterns,
        GPtrArray *tokens,
        guint      start,
        guint      end)
{
  for (guint i = 0; i < patterns->len; i++)
    if (_tb_pattern_overlaps (g_ptr_array_index (patterns, i), tokens, start, end))
      return TRUE;
  return FALSE;
}

/* The best rule of @intent that matches: a sure one before one that asks, then the longer. */
static gboolean
match_intent (TbUnderstanding *self,
              TbBuiltinIntent *intent,
              GPtrArray       *tokens,
              TbUnderstood    *out)
{
  gboolean found = FALSE;

  for (guint r = 0; r < intent->rules->len; r++) {
    TbRule *rule = g_ptr_array_index (intent->rules, r);
    guint start = 0, end = 0, from = 0;
    gboolean matched = FALSE;

    /* The first match that stands: a harmless one early on ("晚上别打", a limit) must not
     * hide a later one ("以后都别打了"). */
    while (!matched && tb_pattern_match_from (rule->pattern, tokens, from, &start, &end)) {
      from = end;   /* past it: not a piece of a negated or vetoed match */
      matched = !(rule->negatable && tb_understanding_is_negated (self, tokens, start)) &&
                !vetoed (rule->unless, tokens, start, end) &&
                !vetoed (intent->except, tokens, start, end);
    }
    if (!matched)
      continue;
    if (!found || (out->confirm && !rule->confirm) ||
        (out->confirm == rule->confirm &&
         (end - start > out->end - out->start ||
          (end - start == out->end - out->start && rule->confidence > out->confidence)))) {
      found = TRUE;
      out->intent = intent->name;
      out->rule = rule->id;
      out->confidence = rule->confidence;
      out->confirm = rule->confirm;
      out->ironic = rule->ironic;
      out->start = start;
      out->end = end;
    }
  }
  return found;
}

/* Is @u (of @intent) a better reading than @best (of @best_intent)? */
static gboolean
better (TbBuiltinIntent    *intent,
        const TbUnderstood *u,
        TbBuiltinIntent    *best_intent,
        const TbUnderstood *best)
{
  if (best_intent == NULL)
    return TRUE;
  /* An unsure opt-out is kept only when nothing else explains the words: another intent
   * read elsewhere in the answer wins ("my lawyer says it's fine, I'll sign"), one read
   * from the same words does not ("oh sure, call me ten more times": sarcasm, not a yes). */
  if (best->confirm != u->confirm) {
    const TbUnderstood *unsure = best->confirm ? best : u, *other = best->confirm ? u : best;
    TbBuiltinIntent *other_intent = best->confirm ? intent : best_intent;

    if ((other->start >= unsure->start && other->end <= unsure->end) ||
        (unsure->ironic && other_intent->answer))
      return u == unsure;
    return best->confirm;
  }
  /* "no no, keep talking": of two answers apart, the later one is meant. */
  if (intent->answer && best_intent->answer && (u->start >= best->end || best->start >= u->end))
    return u->start > best->start;
  if (intent->priority != best_intent->priority)
    return intent->priority > best_intent->priority;
  return u->end - u->start > best->end - best->start;
}

gboolean
tb_understanding_match_tokens (TbUnderstanding    *self,
                               GPtrArray          *tokens,
                               const char * const *allowed,
                               TbUnderstood       *out)
{
  TbUnderstood best = { 0 };
  TbBuiltinIntent *best_intent = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  if (tokens == NULL || tokens->len == 0)
    return FALSE;

  for (guint i = 0; i < self->intents->len; i++) {
    TbBuiltinIntent *intent = g_ptr_array_index (self->intents, i);
    TbUnderstood u = { 0 };

    if (!allowed_has (allowed, intent->name) || !match_intent (self, intent, tokens, &u))
      continue;
    /* Opt-out first, whatever else was said. */
    if (g_str_equal (intent->name, "opt_out") && !u.confirm) {
      *out = u;
      return TRUE;
    }
    if (better (intent, &u, best_intent, &best)) {
      best = u;
      best_intent = intent;
    }
  }
  if (best_intent == NULL)
    return FALSE;
  *out = best;
  return TRUE;
}

gboolean
tb_understanding_match (TbUnderstanding    *self,
                        const char         *text,
                        const char * const *allowed,
                        TbUnderstood       *out)
{
  g_autoptr(GPtrArray) tokens = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  tokens = tb_understanding_tokenize (self, text);
  return tb_understanding_match_tokens (self, tokens, allowed, out);
}

GStrv
tb_understanding_dup_sentences (TbUnderstanding *self,
                                const char      *intent_name,
                                const char      *language,
                                guint            max)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TbBuiltinIntent *intent;

  g_return_val_if_fail (self != NULL, NULL);
  intent = intent_name ? find_intent (self, intent_name) : NULL;
  for (guint r = 0; intent != NULL && r < intent->rules->len; r++) {
    TbRule *rule = g_ptr_array_index (intent->rules, r);

    if (language != NULL && !g_str_has_prefix (language, rule->language) &&
        !g_str_has_prefix (rule->language, language))
      continue;
    /* The rules' examples: natural sentences, checked to be understood. */
    for (guint i = 0; rule->examples[i] != NULL && i < max; i++) {
      char *norm = tb_understanding_normalize (self, rule->examples[i]);

      if (g_hash_table_add (seen, norm))
        g_strv_builder_add (b, norm);
    }
  }
  return g_strv_builder_end (b);
}
