/* tb-scripts-page-engine.c — the script engine behind the editor: the
 * checker's problems and the Try-it panel's conversation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editor edits the JSON document; here it is loaded into a TbScript by
 * tb_script_document_dup_script(), the loader a campaign uses on what the editor
 * saves, so the problems listed and the conversation tried are what a campaign
 * would get.
 */
#define G_LOG_DOMAIN "tb-scripts-page-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-dialog.h"
#include "tb-problems-list.h"
#include "tb-pocketsphinx.h"
#include "tb-script.h"
#include "tb-scripts-page-private.h"
#include "tb-speech-service.h"
#include "tb-try-it-panel.h"

GPtrArray *
_tb_scripts_page_check (TbScriptDocument *document,
                        gpointer          user_data)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_editor_problem_free);
  TbStore *store = tb_application_get_default_store ();
  g_autofree char *policies = store ? tb_store_dup_setting (store, "default-policies", NULL) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbScript) script = tb_script_document_dup_script (document, NULL, &error);
  g_autoptr(GPtrArray) problems = NULL;

  if (script == NULL) {
    g_ptr_array_add (out, tb_editor_problem_new (NULL, error->message));
    return out;
  }
  tb_script_check (script, policies, NULL, &problems);
  for (guint i = 0; problems != NULL && i < problems->len; i++) {
    TbScriptProblem *p = g_ptr_array_index (problems, i);
    TbEditorProblem *problem = tb_editor_problem_new (p->node_id, p->message);

    problem->warning = p->severity == TB_SCRIPT_PROBLEM_WARNING;
    problem->disclosure = g_strdup (p->disclosure);
    g_ptr_array_add (out, problem);
  }
  return out;
}

/* Try it: a real dialog engine on a clock that only moves when the callee
 * is silent, with every prompt "played" at once. */
typedef struct {
  TbScript     *script;
  TbDialog     *dialog;
  GCancellable *cancellable;   /* what the microphone heard, being recognized */
  gint64        now;
} TryIt;

static void
try_it_free (gpointer data)
{
  TryIt *t = data;

  /* A recognition still running must not come back to a freed TryIt. */
  if (t->cancellable != NULL)
    g_cancellable_cancel (t->cancellable);
  g_clear_object (&t->cancellable);
  g_clear_object (&t->dialog);
  g_clear_object (&t->script);
  g_free (t);
}

static gint64
try_it_clock (gpointer data)
{
  return ((TryIt *) data)->now;
}

static void
pump (TbTryItPanel *panel,
      TryIt        *t)
{
  TbDialogAction *action;

  while ((action = tb_dialog_pop_action (t->dialog)) != NULL) {
    g_autoptr(TbDialogAction) owned = action;

    switch (action->type) {
    case TB_DIALOG_ACTION_PLAY_PROMPT:
      tb_try_it_panel_set_node (panel, action->node);
      tb_try_it_panel_add_turn (panel, TRUE, action->text);
      tb_dialog_prompt_finished (t->dialog);
      break;
    case TB_DIALOG_ACTION_ADD_TO_DNC:
      tb_try_it_panel_add_turn (panel, TRUE, _("(The number goes on the do-not-call list.)"));
      break;
    case TB_DIALOG_ACTION_LOG_TURN:
      if (g_strcmp0 (action->speaker, "callee") == 0)
        tb_try_it_panel_add_reading (panel, action->intent, action->rule, action->confidence);
      break;
    case TB_DIALOG_ACTION_TRANSFER:
      tb_try_it_panel_add_turn (panel, TRUE, _("(The call is handed to a person.)"));
      break;
    case TB_DIALOG_ACTION_HANG_UP:
      tb_try_it_panel_add_turn (panel, TRUE, _("(The robot hangs up.)"));
      break;
    default:
      break;
    }
  }
  {
    g_autoptr(TbGradeResult) result = tb_dialog_dup_result (t->dialog);

    if (result->reached) {
      char grade[2] = { result->grade, 0 };
      tb_try_it_panel_set_grade (panel, grade, result->score);
    }
  }
}

static void
try_it_start (TbTryItPanel     *panel,
              TbScriptDocument *document,
              gpointer          user_data)
{
  TryIt *t = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&t->dialog);
  g_clear_object (&t->script);
  t->now = 0;
  if ((t->script = tb_script_document_dup_script (document, NULL, &error)) == NULL) {
    tb_try_it_panel_add_turn (panel, TRUE, error->message);
    return;
  }
  t->dialog = tb_dialog_new (t->script, NULL, try_it_clock, t);
  tb_dialog_answered (t->dialog);
  pump (panel, t);
}

static void
try_it_say (TbTryItPanel *panel,
            const char   *callee_text,
            gpointer      user_data)
{
  TryIt *t = user_data;

  if (t->dialog == NULL || tb_dialog_is_finished (t->dialog))
    return;
  t->now += G_USEC_PER_SEC;
  tb_dialog_utterance (t->dialog, callee_text, NULL, 1.0);
  pump (panel, t);
}

typedef struct {
  TbTryItPanel *panel;
  TryIt        *t;
  TbDialog     *dialog;    /* the conversation the audio was for */
} Heard;

static void
heard_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Heard *h = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbRecognition) rec = tb_recognizer_recognize_finish (TB_RECOGNIZER (object), result,
                                                                 &error);

  /* The panel went away (cancelled), or was restarted: the answer is for a
   * conversation that is gone. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && h->t->dialog == h->dialog) {
    const char *text = rec != NULL ? rec->text : "";

    if (text[0] != '\0') {
      tb_try_it_panel_set_status (h->panel, NULL);
      tb_try_it_panel_add_turn (h->panel, FALSE, text);
    } else {
      g_autofree char *why = g_strdup_printf (_("Not understood (%s)"),
                                              rec != NULL && rec->reason != NULL ? rec->reason
                                              : error != NULL ? error->message : _("no words"));

      tb_try_it_panel_set_status (h->panel, why);
    }
    try_it_say (h->panel, text, h->t);
  }
  g_object_unref (h->panel);
  g_object_unref (h->dialog);
  g_free (h);
}

/* What the callee said into the microphone, heard as a call hears it: the
 * recognizer campaigns use, listening for the intents of the node the
 * conversation is at. */
static void
try_it_say_audio (TbTryItPanel *panel,
                  GBytes       *pcm,
                  gpointer      user_data)
{
  TryIt *t = user_data;
  TbStore *store = tb_application_get_default_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbRecognizer) recognizer = NULL;
  g_auto(GStrv) intents = NULL;
  g_auto(GStrv) grammar = NULL;
  Heard *h;

  if (t->dialog == NULL || tb_dialog_is_finished (t->dialog))
    return;
  recognizer = store != NULL ? tb_speech_service_new_recognizer (store, t->script, NULL, &error)
                             : TB_RECOGNIZER (tb_pocketsphinx_new ());
  if (recognizer == NULL) {
    tb_try_it_panel_set_status (panel, error->message);
    return;
  }
  intents = tb_script_dup_listen_intents (t->script, tb_dialog_get_node (t->dialog));
  grammar = tb_script_dup_grammar (t->script, (const char * const *) intents);
  h = g_new0 (Heard, 1);
  h->panel = g_object_ref (panel);
  h->t = t;
  h->dialog = g_object_ref (t->dialog);
  if (t->cancellable == NULL)
    t->cancellable = g_cancellable_new ();
  /* No settled phrases: Try it reads every utterance both ways (when the second reading is
   * on), to show what each makes of it. */
  tb_recognizer_recognize_async (recognizer, pcm, (const char * const *) grammar, NULL,
                                 t->cancellable, heard_cb, h);
}

void
_tb_scripts_page_set_up_try_it (TbTryItPanel *panel)
{
  static const TbTryItEngine engine = { try_it_start, try_it_say, try_it_say_audio };

  tb_try_it_panel_set_engine (panel, &engine, g_new0 (TryIt, 1), try_it_free);
}
