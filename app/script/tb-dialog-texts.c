/* tb-dialog-texts.c — the texts a call may say, for the call session to render before they
 * are needed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-dialog-texts"

#include "config.h"

#include "tb-dialog-private.h"

/**
 * tb_dialog_dup_prompt_texts:
 * @self: a dialog
 *
 * Every text this call could say, with its variables filled in: node
 * prompts and reprompts, global intents' responses (or their defaults) and
 * the opt-out goodbye. The call session renders them before it dials, so the
 * first audio after answer waits for no synthesis (COMPLIANCE.md R6.1).
 *
 * Returns: (transfer full): the texts, without duplicates
 */
GStrv
tb_dialog_dup_prompt_texts (TbDialog  *self,
                            GStrv     *personal)
{
  g_autoptr(GStrvBuilder) named = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) raw = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();

  g_return_val_if_fail (TB_IS_DIALOG (self), NULL);

  for (guint i = 0; i < tb_script_get_n_nodes (self->script); i++) {
    const TbScriptNode *node = tb_script_get_nth_node (self->script, i);

    if (node->prompt == NULL && node->text != NULL)
      g_ptr_array_add (raw, node->text);
    if (node->retry_text != NULL)
      g_ptr_array_add (raw, node->retry_text);
  }
  for (guint i = 0; i < tb_script_get_n_intents (self->script); i++) {
    const TbScriptIntent *in = tb_script_get_nth_intent (self->script, i);
    const char *response = in->response ? in->response : _tb_dialog_default_response (self, in->id);

    if (in->global && response != NULL)
      g_ptr_array_add (raw, (char *) response);
  }
  g_ptr_array_add (raw, (char *) tb_dialog_opt_out_goodbye (tb_script_get_language (self->script)));

  for (guint i = 0; i < raw->len; i++) {
    const char *text = g_ptr_array_index (raw, i);
    g_auto(GStrv) vars = tb_script_dup_text_variables (text);
    char *expanded = tb_script_expand_text (self->script, text, self->variables);

    if (!g_hash_table_add (seen, expanded))
      continue;
    if (vars[0] != NULL && personal != NULL)
      g_strv_builder_add (named, expanded);
    else
      g_strv_builder_add (texts, expanded);
  }
  if (personal != NULL)
    *personal = g_strv_builder_end (named);
  return g_strv_builder_end (texts);
}

/**
 * tb_dialog_dup_next_prompt_texts:
 * @self: a dialog
 *
 * The texts the dialog may say next, as it listens at its node: the prompt of every route's
 * target, the node's reprompt, the global intents' responses and the opt-out goodbye, with
 * their variables filled in. The call session loads them while the callee speaks, so the
 * answer goes out the moment it is decided.
 *
 * Returns: (transfer full): the texts, without duplicates (empty when not at a node)
 */
GStrv
tb_dialog_dup_next_prompt_texts (TbDialog *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) raw = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();
  const TbScriptNode *n;

  g_return_val_if_fail (TB_IS_DIALOG (self), NULL);

  n = _tb_dialog_current (self);
  if (n != NULL) {
    for (guint i = 0; i < n->routes->len; i++) {
      const TbScriptRoute *r = g_ptr_array_index (n->routes, i);
      const TbScriptNode *to = tb_script_get_node (self->script, r->target);

      if (to != NULL && to->prompt == NULL && to->text != NULL)
        g_ptr_array_add (raw, to->text);
    }
    if (n->retry_text != NULL)
      g_ptr_array_add (raw, n->retry_text);
    else if (n->prompt == NULL && n->text != NULL)
      g_ptr_array_add (raw, n->text);
    for (guint i = 0; i < tb_script_get_n_intents (self->script); i++) {
      const TbScriptIntent *in = tb_script_get_nth_intent (self->script, i);
      const char *response = in->response ? in->response
                                          : _tb_dialog_default_response (self, in->id);

      if (in->global && response != NULL)
        g_ptr_array_add (raw, (char *) response);
    }
    g_ptr_array_add (raw, (char *) tb_dialog_opt_out_goodbye (
                       tb_script_get_language (self->script)));
  }
  for (guint i = 0; i < raw->len; i++) {
    char *expanded = tb_script_expand_text (self->script, g_ptr_array_index (raw, i),
                                            self->variables);

    if (g_hash_table_add (seen, expanded))
      g_strv_builder_add (texts, expanded);
  }
  return g_strv_builder_end (texts);
}
