/* fuzz-script.c — libFuzzer target: script loader, checker, the editor's
 * document, matcher and a short dialog on whatever the loader accepts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-script"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tb-dialog.h"
#include "tb-script-document.h"
#include "tb-script.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gint64
fixed_clock (gpointer data)
{
  return ++*(gint64 *) data;
}

/* Plays a few turns, speaking slices of the input itself. */
static void
run_dialog (TbScript   *script,
            const char *text)
{
  gint64 clock = 0;
  g_autoptr(TbDialog) d = tb_dialog_new (script, NULL, fixed_clock, &clock);
  gsize len = strlen (text);

  tb_dialog_answered (d);
  for (guint i = 0; i < 64 && !tb_dialog_is_finished (d); i++) {
    TbDialogAction *a;

    while ((a = tb_dialog_pop_action (d)) != NULL)
      tb_dialog_action_free (a);
    switch (i % 5) {
    case 0:
    case 2:
      tb_dialog_prompt_finished (d);
      break;
    case 1: {
      gsize off = (i * 7) % (len + 1);
      g_autofree char *say = g_utf8_make_valid (text + off, MIN (len - off, 24));

      tb_dialog_utterance (d, say, NULL, 0.0);
      break;
    }
    case 3:
      tb_dialog_dtmf (d, len > 0 ? text[i % len] : '1');
      break;
    default:
      tb_dialog_silence_timeout (d);
    }
  }
  {
    g_autoptr(TbGradeResult) r = tb_dialog_dup_result (d);

    g_assert (r->grade == 0 || (r->grade >= 'A' && r->grade <= 'E'));
    g_assert (r->score >= 0 && r->score <= 100);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);

  /* The matcher on raw text, valid UTF-8 or not. */
  {
    g_autofree char *norm = tb_intent_normalize (text);
    g_autoptr(TbIntentMatcher) m = tb_intent_matcher_new ();
    TbIntentMatch match;
    const char *phrases[] = { text, "yes", "不需要", NULL };

    tb_intent_matcher_add (m, "x", phrases, NULL, "1", 0);
    tb_intent_matcher_add (m, "opt_out", tb_intent_default_opt_out_phrases (), NULL, "9", 100);
    tb_intent_matcher_match (m, text, NULL, &match);
    g_assert (match.confidence >= 0.0 && match.confidence <= 1.0);
    g_assert (norm != NULL);
  }

  script = tb_script_new_from_data ((const char *) data, size, "fuzz.json", &error);
  g_assert ((script == NULL) == (error != NULL));
  if (script != NULL) {
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(TbScriptDocument) document = tb_script_document_new ();

    tb_script_check (script, "US,CN,XX", NULL, &problems);
    for (guint i = 0; i < problems->len; i++)
      g_assert (((TbScriptProblem *) g_ptr_array_index (problems, i))->message != NULL);
    /* What the editor opens and saves, a campaign reads back as the same script. The editor
     * wants a "nodes" object; a script with a node has one. */
    if (strlen (text) == size && tb_script_document_load_json (document, text, NULL)) {
      g_autoptr(TbScript) again = NULL;
      g_autoptr(GError) error2 = NULL;

      tb_script_document_auto_layout (document, TRUE);
      again = tb_script_document_dup_script (document, "again.json", &error2);
      g_assert (again != NULL);
      g_assert (tb_script_get_n_nodes (again) == tb_script_get_n_nodes (script));
      g_assert (tb_script_get_n_intents (again) == tb_script_get_n_intents (script));
      g_assert (g_strcmp0 (tb_script_get_start (again), tb_script_get_start (script)) == 0);
    } else {
      g_assert (strlen (text) != size || tb_script_get_n_nodes (script) == 0);
    }
    run_dialog (script, text);
  }
  return 0;
}
