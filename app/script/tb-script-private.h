/* tb-script-private.h — TbScript's fields, shared by tb-script*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-script.h"

G_BEGIN_DECLS

struct _TbScript
{
  GObject           parent_instance;

  char             *source_name;
  char             *name;
  char             *language;
  char             *voice;
  gboolean          records;
  gboolean          keypad_only;      /* "listen": "keypad": callees answer by keys only */
  double            min_confidence;
  gboolean          confirm_opt_out;  /* ask once when an opt-out is not certain (R2) */
  char             *confirm_text;     /* the question; NULL: the language's default */
  char             *start;
  char             *voicemail;
  TbScriptGrading   grading;

  GPtrArray        *variables;      /* char *, document order */
  GHashTable       *var_defaults;   /* name -> default or NULL (owned keys/values) */
  GPtrArray        *nodes;          /* TbScriptNode, document order */
  GHashTable       *node_index;     /* id -> TbScriptNode (borrowed) */
  GPtrArray        *intents;        /* TbScriptIntent: node intents, then globals */

  TbIntentMatcher  *matcher;        /* built lazily */
};

TbScriptNode *_tb_script_node_new (const char       *id,
                                   TbScriptNodeType  type);

/* "<source>: node "<id>": <message>" */
char *_tb_script_format_message (TbScript   *self,
                                 const char *node_id,
                                 const char *format,
                                 ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
