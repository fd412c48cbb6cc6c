/* tb-words.c — the words a person reads for Telebot's identifiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tb-words.h"

typedef struct {
  const char *id;
  const char *words;
} Word;

/* Every outcome a call can end with (tb-dialog.c, tb-call-session.c, tb-dialer.c). */
static const Word outcomes[] = {
  { "completed", N_("Completed") },
  { "opt_out", N_("Opted out") },
  { "hung_up", N_("Callee hung up") },
  { "no_answer", N_("No answer") },
  { "busy", N_("Busy") },
  { "voicemail", N_("Answering machine") },
  { "machine", N_("Answering machine") },
  { "transferred", N_("Handed to a person") },
  { "handoff", N_("Handed to a person") },
  { "callback_requested", N_("Asked to be called back") },
  { "rejected", N_("Rejected by the network") },
  { "unreachable", N_("Unreachable") },
  { "failed", N_("Call failed") },
  { "error", N_("Call failed") },
  { "media_failure", N_("No audio from the callee") },
  { "speech_failure", N_("Speech recognition failed") },
  { "blocked", N_("Blocked by the rules") },
  { "interrupted", N_("Interrupted (Telebot stopped)") },
  { "cancelled", N_("Cancelled") },
};

/* The built-in intents of the understanding (data/understanding/), and the ones a route hears
 * when nothing matched. */
static const Word intents[] = {
  { "yes", N_("Yes") },
  { "no", N_("No") },
  { "opt_out", N_("Opt-out") },
  { "call_later", N_("Call later") },
  { "busy_now", N_("Busy now") },
  { "send_info", N_("Send information") },
  { "how_got_number", N_("How did you get my number?") },
  { "robot", N_("Is this a robot?") },
  { "who_is_this", N_("Who is this?") },
  { "backchannel", N_("Listening (“uh-huh”)") },
  { "no_input", N_("Said nothing") },
  { "no_match", N_("Not understood") },
};

static const char *
lookup (const Word *words,
        gsize       n,
        const char *id)
{
  for (gsize i = 0; id != NULL && i < n; i++)
    if (g_str_equal (words[i].id, id))
      return _(words[i].words);
  return NULL;
}

/**
 * tb_words_outcome:
 * @outcome: (nullable): an outcome, e.g. "hung_up"
 *
 * Returns: (transfer none): "Callee hung up", translated; an unknown outcome as itself
 */
const char *
tb_words_outcome (const char *outcome)
{
  const char *w = lookup (outcomes, G_N_ELEMENTS (outcomes), outcome);

  return w != NULL ? w : (outcome != NULL ? outcome : "");
}

/**
 * tb_words_intent:
 * @intent: (nullable): an intent id, e.g. "opt_out"
 *
 * Returns: (transfer full): "Opt-out", translated; a script's own intent ("wants_price") as
 *   words ("Wants price"), see tb_words_identifier()
 */
char *
tb_words_intent (const char *intent)
{
  const char *w = lookup (intents, G_N_ELEMENTS (intents), intent);

  return w != NULL ? g_strdup (w) : tb_words_identifier (intent);
}

/**
 * tb_words_identifier:
 * @id: (nullable): a script's node or intent id, e.g. "goodbye_no"
 *
 * Returns: (transfer full): "Goodbye no": separators as spaces, the first letter capital
 */
char *
tb_words_identifier (const char *id)
{
  g_autofree char *s = g_strdup (id != NULL ? id : "");

  g_strdelimit (s, "_-.", ' ');
  if (g_ascii_islower (s[0]))
    s[0] = g_ascii_toupper (s[0]);
  return g_steal_pointer (&s);
}
