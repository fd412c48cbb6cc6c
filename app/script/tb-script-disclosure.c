/* tb-script-disclosure.c — what a prompt seems to disclose, from its words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The script editor suggests marking a node as saying who is calling, that it is an automated
 * voice, how to opt out… when its prompt seems to say so (COMPLIANCE.md R6). A guess from
 * English and Chinese phrasings: the user confirms every mark, nothing here marks a node.
 * Cues err on the side of silence: "stop by our shop" is no opt-out, 按9折 (10 % off) is no
 * key, 自动化 (automation) is no automated voice, "I am not a robot" says the opposite.
 */
#define G_LOG_DOMAIN "tb-script-disclosure"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-script.h"

#include <string.h>

typedef struct {
  const char *disclosure;
  const char *pattern;     /* on the lower-cased, NFKC-normalized text */
  gboolean    negatable;   /* "not a robot", 不是机器人: a negation just before cancels it */
} Cue;

static const Cue cues[] = {
  { "identity", "\\{business\\}", FALSE },
  { "identity", "\\b(?:calling|call|calls|message) (?:you )?(?:from|on behalf of)\\b", FALSE },
  { "identity", "\\bon behalf of\\b", FALSE },
  /* "This is Anna from…", "this is John Lee at…" */
  { "identity", "\\bthis is [a-z][a-z'.-]*(?: [a-z][a-z'.-]*)? (?:from|at|with)\\b", FALSE },
  { "identity", "这里是|我们是|来自|代表|我是.{1,20}?(?:公司|店|中心|团队|客服|银行|集团)",
    FALSE },

  { "automated", "\\b(?:automated|robot|robots|robotic|robocalls?|pre-?recorded|"
    "recorded message|virtual assistant|artificial intelligence|computer-generated|"
    "ai (?:voice|assistant|agent|system|caller))\\b", TRUE },
  { "automated", "\\bautomatic (?:call|message|voice|dialing|dialer)\\b", TRUE },
  { "automated", "自动(?!化)|机器人|智能语音|人工智能|语音助手|智能客服|ai ?(?:语音|客服|电话)",
    TRUE },

  { "recording", "\\b(?:calls?|conversations?|lines?) (?:is|are|will be|may be|might be|"
    "could be|can be) (?:being )?(?:recorded|monitored)\\b", FALSE },
  { "recording", "\\b(?:it|this) (?:is|will be|may be) (?:being )?recorded\\b", FALSE },
  { "recording", "\\b(?:being recorded|call recording|recorded for)\\b", FALSE },
  { "recording", "录音|录制", TRUE },

  { "opt_out", "\\bpress (?:9|nine)\\b", FALSE },
  { "opt_out", "\\bsay [\"']?stop\\b", FALSE },
  { "opt_out", "\\bto (?:stop|end|block|opt out of) (?:(?:these|our|the|further|future|all|"
    "any|such) )?(?:calls|calling)\\b", FALSE },
  { "opt_out", "\\b(?:opt[- ]?out|unsubscribe|do[- ]not[- ]call)\\b", FALSE },
  { "opt_out", "\\b(?:remove|take) (?:you|your number) (?:from|off)\\b", FALSE },
  /* 按9 but not 按9折 (at 10 % off) nor 按90天 */
  { "opt_out", "退订|按\\s*(?:键\\s*)?(?:9|九)(?![0-9十百千万折])|说\\s*\"?停止|不想再接|"
    "不再接(?:听|收|到)|免打扰", FALSE },

  { "callback", "\\{callback_number\\}", FALSE },
  { "callback", "\\b(?:call (?:us )?back (?:at|on)|call us (?:at|on)|reach us at)\\b", FALSE },
  { "callback", "\\b(?:our|the) (?:phone |telephone |callback |call-back )?number is\\b",
    FALSE },
  { "callback", "回电|回拨|致电|客服电话|联系电话|拨打我们", FALSE },
};

static GRegex *regexes[G_N_ELEMENTS (cues)];

static GRegex *
get_regex (guint i)
{
  if (g_once_init_enter (&regexes[i])) {
    g_autoptr(GError) error = NULL;
    GRegex *regex = g_regex_new (cues[i].pattern, G_REGEX_OPTIMIZE, 0, &error);

    g_assert_no_error (error);
    g_once_init_leave (&regexes[i], regex);
  }
  return regexes[i];
}

/* Lower case, full-width letters and digits as ASCII (NFKC), curly quotes as '"', every run
 * of white space one space. */
static char *
normalize (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  g_autofree char *lower = g_utf8_strdown (nfkc ? nfkc : "", -1);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_isspace (c)) {
      space = out->len > 0;
      continue;
    }
    if (space)
      g_string_append_c (out, ' ');
    space = FALSE;
    if (c == 0x201C || c == 0x201D || c == 0x300C || c == 0x300D)   /* “ ” 「 」 */
      g_string_append_c (out, '"');
    else if (c == 0x2018 || c == 0x2019)                             /* ‘ ’ */
      g_string_append_c (out, '\'');
    else
      g_string_append_unichar (out, c);
  }
  return g_string_free (out, FALSE);
}

static gboolean
is_negation (const char *word)
{
  static const char * const words[] = {
    "not", "never", "no", "isn't", "aren't", "wasn't", "ain't", "don't", "doesn't", "nor", NULL
  };

  return g_strv_contains (words, word);
}

/* Whether the words just before @start (in its clause) deny what follows: "not a robot",
 * "is not automated", 不是机器人, 并非自动. */
static gboolean
negated (const char *text,
         gsize       start)
{
  g_autofree char *before = g_strndup (text, start);
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  const char *clause = before;
  const char *p;

  for (p = before; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if ((c < 0x80 && strchr (".!?;,:", (int) c) != NULL) ||
        c == 0x3002 || c == 0x3001 || c == 0xFF01 || c == 0xFF0C || c == 0xFF1A ||
        c == 0xFF1B || c == 0xFF1F)   /* 。、！，：；？ */
      clause = g_utf8_next_char (p);
  }
  /* Chinese: the three characters before. */
  p = clause + strlen (clause);
  for (guint k = 0; k < 3 && p > clause; k++) {
    gunichar c;

    p = g_utf8_prev_char (p);
    c = g_utf8_get_char (p);
    if (c == 0x4E0D || c == 0x975E || c == 0x6CA1)   /* 不 非 没 */
      return TRUE;
  }
  /* English: the three words before. */
  tokens = g_regex_split_simple ("[^a-z']+", clause, 0, 0);
  for (guint i = 0; tokens[i] != NULL; i++)
    if (*tokens[i] != '\0')
      g_ptr_array_add (words, tokens[i]);
  for (guint k = 0; k < 3 && k < words->len; k++)
    if (is_negation (g_ptr_array_index (words, words->len - 1 - k)))
      return TRUE;
  return FALSE;
}

static gboolean
cue_matches (guint       i,
             const char *text)
{
  g_autoptr(GMatchInfo) match = NULL;
  gboolean found = FALSE;

  for (g_regex_match (get_regex (i), text, 0, &match);
       !found && g_match_info_matches (match);
       g_match_info_next (match, NULL)) {
    int start, end;

    g_match_info_fetch_pos (match, 0, &start, &end);
    found = !cues[i].negatable || !negated (text, start);
  }
  return found;
}

GStrv
tb_script_detect_disclosures (const char *text,
                              const char *business)
{
  g_autoptr(GHashTable) said = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *norm = NULL;
  const char * const *names = tb_script_get_disclosure_names ();

  if (text == NULL || *text == '\0')
    return g_strv_builder_end (builder);
  norm = normalize (text);
  for (guint i = 0; i < G_N_ELEMENTS (cues); i++)
    if (!g_hash_table_contains (said, cues[i].disclosure) && cue_matches (i, norm))
      g_hash_table_add (said, (gpointer) cues[i].disclosure);
  if (business != NULL) {
    g_autofree char *name = normalize (business);

    /* One letter would be found in every prompt. */
    if (g_utf8_strlen (name, -1) >= 2 && strstr (norm, name) != NULL)
      g_hash_table_add (said, (gpointer) "identity");
  }
  for (guint i = 0; names[i] != NULL; i++)
    if (g_hash_table_contains (said, names[i]))
      g_strv_builder_add (builder, names[i]);
  return g_strv_builder_end (builder);
}

const char *
tb_script_describe_disclosure (const char *disclosure)
{
  static const struct { const char *name, *words; } descriptions[] = {
    { "identity", N_("who is calling (the business's name)") },
    { "automated", N_("that this is an automated voice") },
    { "recording", N_("that the call is recorded") },
    { "opt_out", N_("how to opt out of further calls") },
    { "callback", N_("a number to call back") },
  };

  for (guint i = 0; disclosure != NULL && i < G_N_ELEMENTS (descriptions); i++)
    if (g_str_equal (descriptions[i].name, disclosure))
      return _(descriptions[i].words);
  return NULL;
}
