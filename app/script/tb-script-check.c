/* tb-script-check.c — what is wrong with a script, node by node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Problems name the node and read like
 *   demo-en.json: node "pitch": route "maybe" goes to unknown node "later"
 * Codes are stable (the editor and tests key on them): syntax errors come
 * from the loader; here: no-start, unknown-target, unknown-intent,
 * unreachable, dead-end, no-way-out, ask-no-fallback, no-opt-out, no-confirm-text,
 * missing-disclosure, unknown-disclosure, unknown-policy, no-text,
 * unknown-variable, variable-not-provided, bad-thresholds, empty-intent,
 * ignored-route, voicemail-disclosure, one-word-opt-out, keypad-no-key, keypad-prompt-no-key.
 */
#define G_LOG_DOMAIN "tb-script-check"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-script-private.h"

#include <string.h>

/* Packs whose disclosure rules we know (COMPLIANCE.md R6): all of them want
 * identity, automated voice and opt-out instructions before the first
 * question; recording when the call is recorded. */
static const char * const known_packs[] = {
  "DEFAULT", "US", "US-FL", "US-OK", "US-MD", "UK", "DE", "FR", "CN", NULL
};

typedef struct {
  TbScript  *script;
  GPtrArray *problems;
} Check;

static TbScriptProblem * G_GNUC_PRINTF (5, 6)
report (Check                   *c,
        TbScriptProblemSeverity  severity,
        const char              *node_id,
        const char              *code,
        const char              *format,
        ...)
{
  TbScriptProblem *p = g_new0 (TbScriptProblem, 1);
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  p->severity = severity;
  p->node_id = g_strdup (node_id);
  p->code = g_strdup (code);
  p->message = _tb_script_format_message (c->script, node_id, "%s", text);
  g_ptr_array_add (c->problems, p);
  return p;
}

#define error(c, node, code, ...) report (c, TB_SCRIPT_PROBLEM_ERROR, node, code, __VA_ARGS__)
#define warning(c, node, code, ...) report (c, TB_SCRIPT_PROBLEM_WARNING, node, code, __VA_ARGS__)

GStrv
tb_script_dup_required_disclosures (const char *policies,
                                    gboolean    records)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  /* Every pack we ship asks the same three; the list is per pack so that a
   * pack with more (or, one day, fewer) has a place to say so. */
  (void) policies;
  g_strv_builder_add_many (b, "identity", "automated", "opt_out", NULL);
  if (records)
    g_strv_builder_add (b, "recording");
  return g_strv_builder_end (b);
}

static const TbScriptRoute *
find_route (const TbScriptNode *n,
            const char         *intent)
{
  for (guint i = 0; i < n->routes->len; i++) {
    const TbScriptRoute *r = g_ptr_array_index (n->routes, i);

    if (g_str_equal (r->intent, intent))
      return r;
  }
  return NULL;
}

static gboolean
has_node (TbScript   *self,
          const char *id)
{
  return id != NULL && g_hash_table_contains (self->node_index, id);
}

static void
check_targets (Check *c)
{
  TbScript *self = c->script;

  if (self->start == NULL)
    error (c, NULL, "no-start", _("no \"start\" node"));
  else if (!has_node (self, self->start))
    error (c, NULL, "unknown-target", _("\"start\" goes to unknown node \"%s\""), self->start);
  if (self->voicemail != NULL && !has_node (self, self->voicemail))
    error (c, NULL, "unknown-target", _("\"voicemail\" goes to unknown node \"%s\""),
           self->voicemail);

  for (guint i = 0; i < self->intents->len; i++) {
    TbScriptIntent *in = g_ptr_array_index (self->intents, i);

    if (in->global && in->action == TB_SCRIPT_GLOBAL_GOTO && !has_node (self, in->next))
      error (c, NULL, "unknown-target", _("global intent \"%s\" goes to unknown node \"%s\""),
             in->id, in->next);
    if (in->phrases[0] == NULL && in->keywords[0] == NULL && in->dtmf == NULL &&
        in->builtin == NULL && in->action != TB_SCRIPT_GLOBAL_OPT_OUT)
      warning (c, NULL, "empty-intent", _("intent \"%s\" has no phrases, keywords, DTMF digit "
                  "or built-in meaning"), in->id);
    /* A one-word opt-out phrase makes every sentence with the word an opt-out; the built-in
     * understanding hears "stop" alone and asks about "stop, let me get a pen". */
    for (guint k = 0; in->global && in->action == TB_SCRIPT_GLOBAL_OPT_OUT && in->phrases[k];
         k++) {
      g_autoptr(GPtrArray) words = tb_understanding_tokenize (tb_understanding_get_default (),
                                                              in->phrases[k]);

      g_autofree char *probe = g_strdup_printf ("%s, let me get a pen", in->phrases[k]);
      TbUnderstood u;

      if (words->len == 1 &&
          !(tb_understanding_match (tb_understanding_get_default (), probe, NULL, &u) &&
            g_str_equal (u.intent, "opt_out") && !u.confirm))
        warning (c, NULL, "one-word-opt-out", _("opt-out phrase \"%s\" is one word: every sentence "
                    "with it becomes an opt-out (\"%s, let me get a pen\"); the built-in "
                    "understanding already hears it alone and asks when it is not sure — remove it"),
                 in->phrases[k], in->phrases[k]);
    }
  }

  for (guint i = 0; i < self->nodes->len; i++) {
    TbScriptNode *n = g_ptr_array_index (self->nodes, i);
    gboolean terminal = tb_script_node_type_is_terminal (n->type);

    if ((n->text == NULL || *n->text == '\0') && n->prompt == NULL &&
        n->type != TB_SCRIPT_NODE_HANGUP && n->type != TB_SCRIPT_NODE_TRANSFER)
      error (c, n->id, "no-text", _("a %s node needs \"text\" or a \"prompt\""),
             tb_script_node_type_to_string (n->type));
    if (n->next != NULL && !has_node (self, n->next))
      error (c, n->id, "unknown-target", _("\"next\" goes to unknown node \"%s\""), n->next);
    for (guint k = 0; k < n->routes->len; k++) {
      TbScriptRoute *r = g_ptr_array_index (n->routes, k);
      const TbScriptIntent *in = tb_script_get_intent (self, r->intent);

      if (*r->target == '\0')
        error (c, n->id, "unknown-target", _("route \"%s\" goes nowhere yet: choose the node it "
                  "leads to"), r->intent);
      else if (!has_node (self, r->target))
        error (c, n->id, "unknown-target", _("route \"%s\" goes to unknown node \"%s\""),
               r->intent, r->target);
      if (!g_str_equal (r->intent, "no_input") && !g_str_equal (r->intent, "no_match") &&
          in == NULL)
        error (c, n->id, "unknown-intent", _("route \"%s\" names no intent of the script"),
               r->intent);
      else if (in != NULL && in->global && in->action == TB_SCRIPT_GLOBAL_OPT_OUT)
        error (c, n->id, "unknown-intent", _("route \"%s\": opt-out cannot be routed, it always "
                  "ends the call"), r->intent);
    }

    for (guint k = 0; n->barge_intents != NULL && n->barge_intents[k] != NULL; k++)
      if (tb_script_get_intent (self, n->barge_intents[k]) == NULL)
        error (c, n->id, "unknown-intent", _("\"barge_in\": intent \"%s\" is not one of the "
                  "script's"), n->barge_intents[k]);

    if (terminal) {
      if (n->next != NULL || n->routes->len > 0)
        warning (c, n->id, "ignored-route", _("a %s node ends the call; its \"next\" and "
                    "\"routes\" are ignored"), tb_script_node_type_to_string (n->type));
      continue;
    }
    if (n->type == TB_SCRIPT_NODE_SAY) {
      if (n->next == NULL)
        error (c, n->id, "dead-end", _("a say node needs \"next\" (or use a hangup node)"));
      if (n->routes->len > 0)
        warning (c, n->id, "ignored-route", _("a say node does not listen; its \"routes\" are "
                    "ignored"));
    } else if (n->type == TB_SCRIPT_NODE_ASK) {
      gboolean any = FALSE;

      for (guint k = 0; k < n->routes->len && !any; k++) {
        TbScriptRoute *r = g_ptr_array_index (n->routes, k);

        any = !g_str_equal (r->intent, "no_input") && !g_str_equal (r->intent, "no_match");
      }
      if (n->routes->len == 0)
        error (c, n->id, "dead-end", _("an ask node needs \"routes\""));
      else if (!any)
        warning (c, n->id, "dead-end", _("no route answers an intent; only no_input/no_match"));
      if (find_route (n, "no_input") == NULL)
        error (c, n->id, "ask-no-fallback", _("no \"no_input\" route for when the callee says "
                  "nothing"));
      if (find_route (n, "no_match") == NULL)
        error (c, n->id, "ask-no-fallback", _("no \"no_match\" route for an answer no intent "
                  "matches"));
      if (n->next != NULL)
        warning (c, n->id, "ignored-route", _("an ask node goes on by its \"routes\"; \"next\" "
                    "is ignored"));
      if (n->end_silence_complete_ms > n->end_silence_ms)
        warning (c, n->id, "end-silence", _("\"end_silence_complete_ms\" (%u) is longer than "
                    "\"end_silence_ms\" (%u): a whole answer would wait longer than an "
                    "unfinished one"), n->end_silence_complete_ms, n->end_silence_ms);
    }
  }
}

static void
visit (TbScript   *self,
       GHashTable *seen,
       const char *id)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  if (!has_node (self, id))
    return;
  g_ptr_array_add (stack, (gpointer) id);
  while (stack->len > 0) {
    const char *cur = g_ptr_array_steal_index (stack, stack->len - 1);
    const TbScriptNode *n = tb_script_get_node (self, cur);

    if (n == NULL || g_hash_table_contains (seen, cur))
      continue;
    g_hash_table_add (seen, (gpointer) n->id);
    if (tb_script_node_type_is_terminal (n->type))
      continue;
    if (n->type == TB_SCRIPT_NODE_SAY && n->next != NULL)
      g_ptr_array_add (stack, n->next);
    if (n->type == TB_SCRIPT_NODE_ASK)
      for (guint k = 0; k < n->routes->len; k++)
        g_ptr_array_add (stack, ((TbScriptRoute *) g_ptr_array_index (n->routes, k))->target);
  }
}

static void
check_reachability (Check *c)
{
  TbScript *self = c->script;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) exits = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean grew = TRUE;

  visit (self, seen, self->start);
  visit (self, seen, self->voicemail);
  for (guint i = 0; i < self->intents->len; i++) {
    TbScriptIntent *in = g_ptr_array_index (self->intents, i);

    if (in->global && in->action == TB_SCRIPT_GLOBAL_GOTO)
      visit (self, seen, in->next);
  }
  for (guint i = 0; i < self->nodes->len; i++) {
    TbScriptNode *n = g_ptr_array_index (self->nodes, i);

    if (!g_hash_table_contains (seen, n->id))
      error (c, n->id, "unreachable", _("no path from the start node \"%s\" leads here"),
             self->start ? self->start : "");
  }

  /* Nodes from which some transfer/voicemail/hangup node can be reached. */
  for (guint i = 0; i < self->nodes->len; i++) {
    TbScriptNode *n = g_ptr_array_index (self->nodes, i);

    if (tb_script_node_type_is_terminal (n->type))
      g_hash_table_add (exits, n->id);
  }
  while (grew) {
    grew = FALSE;
    for (guint i = 0; i < self->nodes->len; i++) {
      TbScriptNode *n = g_ptr_array_index (self->nodes, i);
      gboolean out = FALSE;

      if (g_hash_table_contains (exits, n->id))
        continue;
      if (n->type == TB_SCRIPT_NODE_SAY && n->next != NULL)
        out = g_hash_table_contains (exits, n->next);
      for (guint k = 0; n->type == TB_SCRIPT_NODE_ASK && k < n->routes->len && !out; k++)
        out = g_hash_table_contains (exits,
                                     ((TbScriptRoute *) g_ptr_array_index (n->routes, k))->target);
      if (out) {
        g_hash_table_add (exits, n->id);
        grew = TRUE;
      }
    }
  }
  for (guint i = 0; i < self->nodes->len; i++) {
    TbScriptNode *n = g_ptr_array_index (self->nodes, i);

    /* Nodes without any way out already have their dead-end error. */
    if (g_hash_table_contains (exits, n->id) ||
        (n->type == TB_SCRIPT_NODE_SAY && n->next == NULL) ||
        (n->type == TB_SCRIPT_NODE_ASK && n->routes->len == 0))
      continue;
    error (c, n->id, "no-way-out", _("no path from here reaches a hangup, transfer or "
              "voicemail node: the call would loop forever"));
  }
}

static gboolean
strv_has (GStrv       v,
          const char *s)
{
  return v != NULL && g_strv_contains ((const char * const *) v, s);
}

/* The node of the start path a missing disclosure is best marked on: the first whose prompt
 * seems to say it, else the first that speaks and goes on (say, ask), else the start. */
static const char *
node_for_disclosure (TbScript   *self,
                     GStrv       start_path,
                     const char *disclosure)
{
  const char *fallback = NULL;

  for (guint i = 0; start_path[i] != NULL; i++) {
    const TbScriptNode *n = tb_script_get_node (self, start_path[i]);
    g_auto(GStrv) seems = tb_script_detect_disclosures (n->text, NULL);

    if (g_strv_contains ((const char * const *) seems, disclosure))
      return n->id;
    if (fallback == NULL && !tb_script_node_type_is_terminal (n->type))
      fallback = n->id;
  }
  return fallback != NULL ? fallback : start_path[0];
}

static void
check_disclosures (Check      *c,
                   const char *policies)
{
  TbScript *self = c->script;
  g_auto(GStrv) packs = g_strsplit (policies ? policies : "DEFAULT", ",", -1);
  g_auto(GStrv) required = NULL;
  g_autoptr(GHashTable) said = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) start_path = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GString) pack_names = g_string_new (NULL);
  const TbScriptNode *n;

  for (guint i = 0; packs[i] != NULL; i++) {
    g_strstrip (packs[i]);
    if (*packs[i] == '\0')
      continue;
    if (!g_strv_contains (known_packs, packs[i]))
      warning (c, NULL, "unknown-policy", _("unknown policy pack \"%s\": checking the DEFAULT "
                  "pack's disclosures"), packs[i]);
    g_string_append_printf (pack_names, "%s%s", pack_names->len ? "," : "", packs[i]);
  }
  if (pack_names->len == 0)
    g_string_append (pack_names, "DEFAULT");
  required = tb_script_dup_required_disclosures (pack_names->str, self->records);

  for (guint i = 0; i < self->nodes->len; i++) {
    TbScriptNode *m = g_ptr_array_index (self->nodes, i);

    for (guint k = 0; m->disclose[k] != NULL; k++)
      if (!g_strv_contains (tb_script_get_disclosure_names (), m->disclose[k]))
        warning (c, m->id, "unknown-disclosure", _("unknown disclosure \"%s\" (identity, "
                    "automated, recording, opt_out or callback)"), m->disclose[k]);
  }

  /* Everything the start path discloses counts. */
  start_path = tb_script_dup_start_path (self);
  for (guint i = 0; start_path[i] != NULL; i++) {
    n = tb_script_get_node (self, start_path[i]);
    g_string_append_printf (path, "%s%s", path->len ? " → " : "", n->id);
    for (guint k = 0; n->disclose[k] != NULL; k++)
      g_hash_table_add (said, n->disclose[k]);
  }
  if (start_path[0] == NULL)
    return;   /* no start: reported already */

  for (guint i = 0; required[i] != NULL; i++) {
    TbScriptProblem *p;

    if (g_hash_table_contains (said, required[i]))
      continue;
    if (g_str_equal (required[i], "recording"))
      p = error (c, node_for_disclosure (self, start_path, required[i]), "missing-disclosure",
                 _("the opening of the call (%s) never says %s: policy %s requires it of a "
                   "recorded call before the first question"), path->str,
                 tb_script_describe_disclosure (required[i]), pack_names->str);
    else
      p = error (c, node_for_disclosure (self, start_path, required[i]), "missing-disclosure",
                 _("the opening of the call (%s) never says %s: policy %s requires it before "
                   "the first question"), path->str,
                 tb_script_describe_disclosure (required[i]), pack_names->str);
    p->disclosure = g_strdup (required[i]);
  }
  if (!g_hash_table_contains (said, "callback")) {
    TbScriptProblem *p = warning (c, node_for_disclosure (self, start_path, "callback"),
                                  "missing-disclosure",
                                  _("the opening of the call (%s) gives no number to call back "
                                    "for do-not-call requests"), path->str);

    p->disclosure = g_strdup ("callback");
  }

  if (self->voicemail != NULL && (n = tb_script_get_node (self, self->voicemail)) != NULL) {
    const char * const vm_need[] = { "identity", "callback", "opt_out" };

    for (guint i = 0; i < G_N_ELEMENTS (vm_need); i++) {
      TbScriptProblem *p;

      if (strv_has (n->disclose, vm_need[i]))
        continue;
      p = warning (c, n->id, "voicemail-disclosure", _("a voicemail message should say %s"),
                   tb_script_describe_disclosure (vm_need[i]));
      p->disclosure = g_strdup (vm_need[i]);
    }
  }
}

static void
check_text_variables (Check              *c,
                      const char         *node_id,
                      const char         *what,
                      const char         *text,
                      const char * const *fields,
                      GHashTable         *warned)
{
  TbScript *self = c->script;
  g_auto(GStrv) vars = tb_script_dup_text_variables (text);

  for (guint i = 0; vars[i] != NULL; i++) {
    g_autofree char *key = g_strdup_printf ("%s\n%s", node_id ? node_id : "", vars[i]);

    if (g_hash_table_contains (warned, key))
      continue;
    if (!g_hash_table_contains (self->var_defaults, vars[i])) {
      error (c, node_id, "unknown-variable", _("%s uses {%s}, which \"variables\" does not "
                "declare"), what, vars[i]);
      g_hash_table_add (warned, g_steal_pointer (&key));
    } else if (fields != NULL && !g_strv_contains (fields, vars[i]) &&
               g_hash_table_lookup (self->var_defaults, vars[i]) == NULL) {
      warning (c, node_id, "variable-not-provided", _("%s uses {%s}, which no contact field "
                  "provides and which has no default"), what, vars[i]);
      g_hash_table_add (warned, g_steal_pointer (&key));
    }
  }
}

static void
check_variables (Check              *c,
                 const char * const *fields)
{
  TbScript *self = c->script;
  g_autoptr(GHashTable) warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->nodes->len; i++) {
    TbScriptNode *n = g_ptr_array_index (self->nodes, i);

    check_text_variables (c, n->id, "the text", n->text, fields, warned);
    check_text_variables (c, n->id, "the retry text", n->retry_text, fields, warned);
  }
  for (guint i = 0; i < self->intents->len; i++) {
    TbScriptIntent *in = g_ptr_array_index (self->intents, i);
    g_autofree char *what = g_strdup_printf ("global intent \"%s\"", in->id);

    check_text_variables (c, NULL, what, in->response, fields, warned);
  }
}

/* Whether @text names @digit, as a digit or (in Chinese) as its numeral: "请按1", "请按一". */
static gboolean
text_names_key (const char *text,
                char        digit)
{
  static const char * const numerals[] = {
    "零", "一", "二", "三", "四", "五", "六", "七", "八", "九"
  };
  static const char * const words[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"
  };
  g_autofree char *lower = NULL;

  if (text == NULL)
    return FALSE;
  if (strchr (text, digit) != NULL)
    return TRUE;
  if (digit < '0' || digit > '9')
    return FALSE;
  lower = g_utf8_strdown (text, -1);
  return strstr (text, numerals[digit - '0']) != NULL || strstr (lower, words[digit - '0']) != NULL;
}

/* A keypad-only script ("listen": "keypad") is answered by keys alone: every route of every
 * ask node needs its key, and the question must say which; the opt-out needs its key too. */
static void
check_keypad (Check *c)
{
  TbScript *self = c->script;
  const TbScriptIntent *opt_out = tb_script_get_opt_out_intent (self);

  if (!self->keypad_only)
    return;
  if (opt_out != NULL && opt_out->dtmf == NULL)
    error (c, NULL, "keypad-no-key", _("callees answer by keypad only, but the opt-out has no "
              "key (\"dtmf\": \"9\")"));
  for (guint i = 0; i < self->nodes->len; i++) {
    const TbScriptNode *n = g_ptr_array_index (self->nodes, i);

    if (n->type != TB_SCRIPT_NODE_ASK)
      continue;
    for (guint k = 0; k < n->routes->len; k++) {
      const TbScriptRoute *r = g_ptr_array_index (n->routes, k);
      const TbScriptIntent *in = tb_script_get_intent (self, r->intent);

      if (g_str_equal (r->intent, "no_input") || g_str_equal (r->intent, "no_match"))
        continue;
      if (in == NULL || in->dtmf == NULL) {
        error (c, n->id, "keypad-no-key", _("callees answer by keypad only, but route \"%s\" has "
                  "no key (give intent \"%s\" a \"dtmf\")"), r->intent, r->intent);
        continue;
      }
      for (const char *d = in->dtmf; *d != '\0'; d++)
        if (!text_names_key (n->text, *d)) {
          error (c, n->id, "keypad-prompt-no-key", _("callees answer by keypad only, but the "
                    "question does not say which key gives \"%s\" (%c)"), r->intent, *d);
          break;
        }
    }
  }
}

static int
severity_order (gconstpointer a,
                gconstpointer b)
{
  const TbScriptProblem *pa = *(TbScriptProblem **) a;
  const TbScriptProblem *pb = *(TbScriptProblem **) b;

  return (int) pb->severity - (int) pa->severity;
}

gboolean
tb_script_check (TbScript            *self,
                 const char          *policies,
                 const char * const  *fields,
                 GPtrArray          **problems)
{
  Check c = { self, g_ptr_array_new_with_free_func ((GDestroyNotify) tb_script_problem_free) };
  const TbScriptGrading *g;
  gboolean ok = TRUE;

  g_return_val_if_fail (TB_IS_SCRIPT (self), FALSE);

  check_targets (&c);
  check_reachability (&c);
  if (tb_script_get_opt_out_intent (self) == NULL)
    error (&c, NULL, "no-opt-out", "no \"opt_out\" global intent: callees must be able to "
           "opt out at every node (COMPLIANCE.md R2)");
  if (self->confirm_opt_out && self->confirm_text == NULL &&
      tb_script_default_confirm_text (self->language) == NULL)
    error (&c, NULL, "no-confirm-text", "\"opt_out_confirm\" is on but has no \"text\", and "
           "there is no default question in \"%s\": write the question that confirms an opt-out "
           "(\"Should we stop calling you? Say yes, or press 9.\"), or set it to false",
           self->language);
  check_disclosures (&c, policies);
  check_variables (&c, fields);
  check_keypad (&c);

  g = &self->grading;
  if (!(g->a > g->b && g->b > g->c && g->c > g->d))
    error (&c, NULL, "bad-thresholds", "grading thresholds must fall from A to D (A %d, B %d, "
           "C %d, D %d)", g->a, g->b, g->c, g->d);

  /* Stable: errors first, each group in discovery order. */
  g_ptr_array_sort (c.problems, severity_order);
  for (guint i = 0; i < c.problems->len; i++)
    if (((TbScriptProblem *) g_ptr_array_index (c.problems, i))->severity ==
        TB_SCRIPT_PROBLEM_ERROR)
      ok = FALSE;
  if (problems != NULL)
    *problems = c.problems;
  else
    g_ptr_array_unref (c.problems);
  return ok;
}
