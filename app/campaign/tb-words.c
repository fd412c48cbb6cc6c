/* tb-words.c — the words a person reads for Telebot's identifiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-rehearsal-recognizer.h"
#include "tb-store-config.h"
#include "tb-words.h"

typedef struct {
  const char *id;
  const char *words;
} Word;

/* Every outcome a call can end with (tb-dialog*.c, tb-call-session.c, tb-dialer.c). */
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
  { "media_timeout", N_("The audio stopped") },
  /* What a carrier's announcement said (data/announcements/README.md). */
  { "vacant", N_("Vacant number") },
  { "powered_off", N_("Phone off") },
  { "suspended", N_("Suspended") },
  /* The sample scripts' own outcomes. */
  { "interested_later", N_("Interested, later") },
  { "not_interested", N_("Not interested") },
  { "no_response", N_("No response") },
  { "send_info", N_("Asked for information") },
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
 * Returns: (transfer full): "Callee hung up", translated; a script's own outcome
 *   ("wants_demo") as words, see tb_words_identifier()
 */
char *
tb_words_outcome (const char *outcome)
{
  const char *w = lookup (outcomes, G_N_ELEMENTS (outcomes), outcome);

  return w != NULL ? g_strdup (w) : tb_words_identifier (outcome);
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

/**
 * tb_words_node:
 * @script: (nullable): the script the node is in
 * @node_id: (nullable): a node id, e.g. "goodbye_no"
 *
 * Returns: (transfer full): the node's title in the script's language ("道别（不感兴趣）"),
 *   or, without one, its id as words ("Goodbye no")
 */
char *
tb_words_node (TbScript   *script,
               const char *node_id)
{
  const TbScriptNode *n = script != NULL && node_id != NULL
                          ? tb_script_get_node (script, node_id) : NULL;

  if (n != NULL && n->title != NULL && *n->title != '\0')
    return g_strdup (n->title);
  return tb_words_identifier (node_id);
}

/**
 * tb_words_load_campaign_script:
 * @store: the store
 * @campaign_id: a campaign
 *
 * Returns: (transfer full) (nullable): the campaign's script, for tb_words_node(); %NULL if
 *   it cannot be read (the ids are then shown as words)
 */
TbScript *
tb_words_load_campaign_script (TbStore *store,
                               gint64   campaign_id)
{
  g_autoptr(TbCampaignRow) row = NULL;
  g_autofree char *document = NULL;

  if (store == NULL || campaign_id <= 0 ||
      (row = tb_store_get_campaign (store, campaign_id, NULL)) == NULL ||
      (document = tb_store_dup_script_document (store, row->script_id, NULL)) == NULL)
    return NULL;
  return tb_script_new_from_data (document, -1, row->script_name, NULL);
}

/**
 * tb_words_system_note:
 * @note: a "system" turn of a call's transcript, as stored (tb-call-session.c writes them)
 *
 * Returns: (transfer full): the note in the user's language
 */
char *
tb_words_system_note (const char *note)
{
  static const char prefix[] = "speech recognition failed: ";
  static const Word notes[] = {
    { "added to the do-not-call list", N_("Added to the do-not-call list") },
    { "opt-out heard on a test call to an extension: not a phone number, nothing listed",
      N_("Opt-out heard on a test call to an extension: not a phone number, nothing listed") },
    { TB_REHEARSAL_LABEL, TB_REHEARSAL_LABEL },
  };
  const char *w;

  g_return_val_if_fail (note != NULL, NULL);

  if ((w = lookup (notes, G_N_ELEMENTS (notes), note)) != NULL)
    return g_strdup (w);
  if (g_str_has_prefix (note, prefix))
    /* Translators: %s is the speech server's error, as it gave it */
    return g_strdup_printf (_("Speech recognition failed: %s"), note + strlen (prefix));
  return g_strdup (note);
}

/**
 * tb_words_dnc_source:
 * @source: (nullable): how a number came on the do-not-call list: "speech", "dtmf", "manual",
 *   "import"
 *
 * Returns: (transfer full): the words, translated
 */
char *
tb_words_dnc_source (const char *source)
{
  static const Word sources[] = {
    { "speech", N_("Asked on a call") },
    { "dtmf", N_("Pressed the opt-out key on a call") },
    { "manual", N_("Added by hand") },
    { "import", N_("Imported from a file") },
  };
  const char *w = lookup (sources, G_N_ELEMENTS (sources), source);

  return w != NULL ? g_strdup (w) : tb_words_identifier (source);
}

/**
 * tb_words_number_type:
 * @number_type: (nullable): "mobile", "fixed", "fixed_or_mobile", "toll_free", …
 *
 * Returns: (transfer full): "Mobile", "Landline", … translated
 */
char *
tb_words_number_type (const char *number_type)
{
  static const Word types[] = {
    { "mobile", N_("Mobile") },
    { "fixed", N_("Landline") },
    { "fixed_or_mobile", N_("Landline or mobile") },
    { "toll_free", N_("Toll-free") },
    { "premium_rate", N_("Premium rate") },
    { "voip", N_("Internet phone") },
    { "shared_cost", N_("Shared cost") },
    { "personal", N_("Personal number") },
    { "pager", N_("Pager") },
    { "unknown", N_("Unknown") },
  };
  const char *w = lookup (types, G_N_ELEMENTS (types), number_type);

  return w != NULL ? g_strdup (w) : tb_words_identifier (number_type);
}

/**
 * tb_words_time_zone:
 * @zone: (nullable): an IANA zone, "Asia/Shanghai"
 *
 * Returns: (transfer full): its offset from UTC now, "UTC+8", "UTC−5", "UTC+5:30" (a zone's
 *   name is an identifier in no language)
 */
char *
tb_words_time_zone (const char *zone)
{
  g_autoptr(GTimeZone) tz = zone != NULL && *zone != '\0' ? g_time_zone_new_identifier (zone)
                                                            : NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 offset;
  gint64 h, m;

  if (tz == NULL)
    return g_strdup (zone != NULL ? zone : "");
  now = g_date_time_new_now (tz);
  offset = g_date_time_get_utc_offset (now) / G_USEC_PER_SEC / 60;
  h = ABS (offset) / 60;
  m = ABS (offset) % 60;
  if (m != 0)
    return g_strdup_printf ("UTC%s%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                            offset < 0 ? "−" : "+", h, m);
  return g_strdup_printf ("UTC%s%" G_GINT64_FORMAT, offset < 0 ? "−" : "+", h);
}

/* The reasons a grade is given are stored in English (tb-grader.c, tb-dialog*.c,
 * tb-call-session.c write them; the CSV export and the CRM payload carry them as they are):
 * the window reads them back in the user's language. Each pattern here mirrors one format
 * string there; test-understanding checks that every reason the grader writes is matched.
 * The letters say what each group is: n a node, i an intent, o an outcome, s as it is. */
typedef struct {
  const char *pattern;
  const char *kinds;
  const char *format;
} Reason;

static const Reason reasons[] = {
  { "^reached a person: base score (-?\\d+)$", "s",
    /* Translators: %1$s is a number */
    N_("reached a person: base score %1$s") },
  { "^said '(.*)' at node (\\S+): ([+-]\\d+) \\(intent (.+)\\)$", "snsi",
    /* Translators: said “yes please” at Pitch: +30 (Yes) */
    N_("said “%1$s” at %2$s: %3$s (%4$s)") },
  { "^said '(.*)' at node (\\S+): ([+-]\\d+) \\((.+)\\)$", "snss",
    N_("said “%1$s” at %2$s: %3$s (%4$s)") },
  { "^said '(.*)' at node (\\S+): ([+-]\\d+)$", "sns",
    N_("said “%1$s” at %2$s: %3$s") },
  { "^(\\S+) at node (\\S+): ([+-]\\d+) \\(intent (.+)\\)$", "inss",
    /* Translators: Yes at Pitch: +30 */
    N_("%1$s at %2$s: %3$s") },
  { "^(\\S+) at node (\\S+): ([+-]\\d+) \\((.+)\\)$", "inss",
    N_("%1$s at %2$s: %3$s (%4$s)") },
  { "^(\\S+) at node (\\S+): outcome (\\S+)$", "ino",
    /* Translators: Call later at Pitch: Asked to be called back */
    N_("%1$s at %2$s: %3$s") },
  { "^reached node (\\S+): ([+-]\\d+) \\((.+)\\)$", "nss",
    N_("reached %1$s: %2$s (%3$s)") },
  { "^reached node (\\S+): ([+-]\\d+)$", "ns",
    N_("reached %1$s: %2$s") },
  { "^opted out \\(said '(.*)'\\) at node (\\S+): grade E$", "sn",
    N_("opted out (said “%1$s”) at %2$s: grade E") },
  { "^score (-?\\d+): grade ([A-E])$", "ss",
    N_("score %1$s: grade %2$s") },
  { "^no audio from the far end since the answer \\(one-way audio\\)$", "",
    N_("no audio from the far end since the answer (one-way audio)") },
  { "^speech recognition failed on every utterance \\((\\d+)\\): (.*)$", "ss",
    N_("speech recognition failed on every utterance (%1$s): %2$s") },
};

/**
 * tb_words_reason:
 * @script: (nullable): the script the call ran, for its nodes' titles
 * @reason: a grade reason as stored
 *
 * Returns: (transfer full) (nullable): the reason in the user's language, with words for the
 *   nodes, intents and outcomes it names; %NULL if it is none of the known kinds (show it as
 *   it is)
 */
char *
tb_words_reason (TbScript   *script,
                 const char *reason)
{
  g_return_val_if_fail (reason != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++) {
    g_autoptr(GRegex) re = g_regex_new (reasons[i].pattern, G_REGEX_OPTIMIZE, 0, NULL);
    g_autoptr(GMatchInfo) match = NULL;
    char *args[4] = { NULL, NULL, NULL, NULL };
    char *words;

    if (!g_regex_match (re, reason, 0, &match))
      continue;
    for (guint n = 0; reasons[i].kinds[n] != '\0' && n < G_N_ELEMENTS (args); n++) {
      g_autofree char *group = g_match_info_fetch (match, n + 1);
      char kind = reasons[i].kinds[n];

      args[n] = kind == 'n' ? tb_words_node (script, group)
              : kind == 'i' ? tb_words_intent (group)
              : kind == 'o' ? tb_words_outcome (group)
              : g_steal_pointer (&group);
    }
    /* The formats come from the table above: strings only (%1$s … %4$s), and msgfmt
     * --check-format holds the translations to the same arguments. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    words = g_strdup_printf (_(reasons[i].format), args[0] ? args[0] : "",
                             args[1] ? args[1] : "", args[2] ? args[2] : "",
                             args[3] ? args[3] : "");
#pragma GCC diagnostic pop
    for (guint n = 0; n < G_N_ELEMENTS (args); n++)
      g_free (args[n]);
    return words;
  }
  return NULL;
}
