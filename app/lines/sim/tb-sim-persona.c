/* tb-sim-persona.c — the persona table of the simulated line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Short English phrases, so that a grammar recognizer listening for a script's intents can
 * hear them on 8 kHz espeak-ng audio. The Chinese ones are said the way people say them, not
 * the way the sample script lists them (a rehearsal reads the words, so they test the
 * understanding, not the recognizer).
 */
#define G_LOG_DOMAIN "tb-sim-persona"

#include "config.h"

#include "tb-sim-persona.h"
#include "tb-line.h"

#include <string.h>

static const char *const interested_turns[] = { "yes, tell me more", "yes please", NULL };
static const char *const polite_no_turns[] = { "no thank you", NULL };
static const char *const hostile_turns[] = { "stop calling me", NULL };
static const char *const robot_turns[] = { "is this a robot?", "okay, tell me more",
                                           "yes please", NULL };
static const char *const later_turns[] = { "call me later", NULL };
static const char *const talks_over_turns[] = { "hello? who is this?", "not interested", NULL };
static const char *const keypress_turns[] = { "#dtmf:1", "yes please", NULL };
static const char *const no_turns[] = { NULL };
static const char *const undecided_turns[] = { "yes, tell me more", "yes please", NULL };
static const char *const undecided_no_turns[] = { "no thank you", NULL };

/* Said in words the demo scripts do not list (issue #21: what the robot did not understand):
 * each callee says one of a turn's wordings ("a|b"), picked by its number. */
static const char *const price_turns[] = {
  "how much does it cost?|uh, how much does it cost?|so how much does it cost?", "yes please",
  NULL };
static const char *const unsure_turns[] = { "hmm, I dunno|I dunno, maybe|I'm not sure",
                                            "no thank you", NULL };
static const char *const fed_up_turns[] = {
  "I've had it with you people|you people again? I've had it with you", NULL };

static const char *const interested_zh[] = { "可以啊，你说说看", "行，那你加我微信发资料吧", NULL };
static const char *const polite_no_zh[] = { "不用了，谢谢啊", NULL };
static const char *const hostile_zh[] = { "以后别再给我打这种电话了", NULL };
static const char *const robot_zh[] = { "你是机器人吧？", "嗯，那你说吧", "好的", NULL };
static const char *const later_zh[] = { "我现在开车呢，你晚点再打过来", NULL };
static const char *const talks_over_zh[] = { "喂？喂？你哪位？", "没兴趣", NULL };
static const char *const keypress_zh[] = { "#dtmf:1", "好的", NULL };
static const char *const undecided_zh[] = { "可以啊，你说说看", "行，那你加我微信发资料吧", NULL };
static const char *const undecided_no_zh[] = { "不用了，谢谢啊", NULL };
static const char *const price_zh[] = { "多少钱啊？|那你们这个多少钱？", "行，你说吧", NULL };
static const char *const unsure_zh[] = { "这个嘛，我也说不好|我也说不好", "不用了，谢谢啊", NULL };
static const char *const fed_up_zh[] = { "你们怎么又打来了|怎么又是你们", NULL };

static const TbSimPersona personas[] = {
  { "interested", TB_SIM_OUTCOME_ANSWER, NULL, interested_turns, FALSE, 0, FALSE,
    NULL, interested_zh },
  { "polite_no", TB_SIM_OUTCOME_ANSWER, NULL, polite_no_turns, FALSE, 0, TRUE,
    NULL, polite_no_zh },
  { "hostile_opt_out", TB_SIM_OUTCOME_ANSWER, NULL, hostile_turns, FALSE, 0, TRUE,
    NULL, hostile_zh },
  { "robot_question", TB_SIM_OUTCOME_ANSWER, NULL, robot_turns, FALSE, 0, FALSE,
    NULL, robot_zh },
  { "call_me_later", TB_SIM_OUTCOME_ANSWER, NULL, later_turns, FALSE, 0, TRUE,
    NULL, later_zh },
  { "voicemail", TB_SIM_OUTCOME_ANSWER,
    "Hi, you have reached Alex. Please leave a message after the tone.",
    no_turns, FALSE, 0, TRUE,
    "您好，您拨打的用户暂时无法接听，请在提示音后留言。", no_turns },
  { "busy", TB_SIM_OUTCOME_BUSY, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns },
  { "no_answer", TB_SIM_OUTCOME_NO_ANSWER, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns },
  { "silent", TB_SIM_OUTCOME_ANSWER, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns },
  { "talks_over", TB_SIM_OUTCOME_ANSWER, NULL, talks_over_turns, TRUE, 0, TRUE,
    NULL, talks_over_zh },
  { "hangs_up", TB_SIM_OUTCOME_ANSWER, NULL, no_turns, FALSE, 1500, FALSE, NULL, no_turns },
  { "keypress", TB_SIM_OUTCOME_ANSWER, NULL, keypress_turns, FALSE, 0, TRUE,
    NULL, keypress_zh },
  /* Interested one time in four; one time in two when the offer says "free". Not in the
   * default mix: a campaign that compares scripts asks for it. */
  { "undecided", TB_SIM_OUTCOME_ANSWER, NULL, undecided_turns, FALSE, 0, FALSE,
    NULL, undecided_zh, NULL, NULL, FALSE,
    undecided_no_turns, undecided_no_zh, "free", "免费", 50, 25 },
  /* Answers in words a script may not list: asks the price, is unsure, is fed up (an
   * opt-out the built-in understanding does not catch). Not in the default mix. */
  { "price_question", TB_SIM_OUTCOME_ANSWER, NULL, price_turns, FALSE, 0, TRUE,
    NULL, price_zh },
  { "unsure", TB_SIM_OUTCOME_ANSWER, NULL, unsure_turns, FALSE, 0, TRUE, NULL, unsure_zh },
  { "fed_up", TB_SIM_OUTCOME_ANSWER, NULL, fed_up_turns, FALSE, 0, TRUE, NULL, fed_up_zh },
  /* Carriers answering for a dead number: the texts of data/announcements/manifest.json. */
  { "cn_vacant", TB_SIM_OUTCOME_ANSWER, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns,
    "您好，您拨打的号码是空号，请查证后再拨。", "cmn", FALSE },
  { "cn_powered_off", TB_SIM_OUTCOME_ANSWER, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns,
    "您好，您拨打的电话已关机。", "cmn", FALSE },
  { "cn_suspended", TB_SIM_OUTCOME_ANSWER, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns,
    "您好，您拨打的电话已停机。", "cmn", FALSE },
  { "cn_unreachable", TB_SIM_OUTCOME_ANSWER, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns,
    "您好，您拨打的电话暂时无法接通，请稍后再拨。", "cmn", FALSE },
  { "cn_in_call", TB_SIM_OUTCOME_ANSWER, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns,
    "您好，您拨打的电话正在通话中，请稍后再拨。", "cmn", FALSE },
  { "us_vacant", TB_SIM_OUTCOME_ANSWER, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns,
    "We're sorry, the number you have dialed is not in service. Please check the number and "
    "try again.", "en-us", TRUE },
  { "us_disconnected", TB_SIM_OUTCOME_ANSWER, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns,
    "The number you have reached has been disconnected or is no longer in service.", "en-us",
    FALSE },
  { "us_unavailable", TB_SIM_OUTCOME_ANSWER, NULL, no_turns, FALSE, 0, FALSE, NULL, no_turns,
    "The wireless customer you are calling is not available at this time. Please try your "
    "call again later.", "en-us", FALSE },
};

/* A plausible day: mostly people who answer, some busy, some never pick up. */
static const char default_mix[] =
  "interested:3,polite_no:3,hostile_opt_out:1,robot_question:1,call_me_later:1,voicemail:2,"
  "busy:1,no_answer:2,silent:1,talks_over:1,hangs_up:1";

static gboolean
is_chinese (const char *language)
{
  return language != NULL && g_ascii_strncasecmp (language, "zh", 2) == 0;
}

const char *const *
tb_sim_persona_get_turns (const TbSimPersona *persona,
                          const char         *language)
{
  return is_chinese (language) && persona->turns_zh != NULL ? persona->turns_zh : persona->turns;
}

const char *const *
tb_sim_persona_get_turns_unswayed (const TbSimPersona *persona,
                                   const char         *language)
{
  return is_chinese (language) && persona->turns_unswayed_zh != NULL
         ? persona->turns_unswayed_zh : persona->turns_unswayed;
}

const char *
tb_sim_persona_get_swayed_by (const TbSimPersona *persona,
                              const char         *language)
{
  if (persona->turns_unswayed == NULL)
    return NULL;
  return is_chinese (language) && persona->swayed_by_zh != NULL ? persona->swayed_by_zh
                                                                 : persona->swayed_by;
}

/* FNV-1a: stable across GLib versions, unlike g_str_hash. */
static guint64
hash_number (const char *number,
             guint64     seed)
{
  guint64 h = 14695981039346656037ull ^ seed;

  for (const char *p = number; p != NULL && *p; p++) {
    h ^= (guchar) *p;
    h *= 1099511628211ull;
  }
  return h ^ (h >> 29);
}

gboolean
tb_sim_persona_is_won_over (const TbSimPersona *persona,
                            const char         *number,
                            gboolean            heard)
{
  /* Its own seed, so the draw does not follow the persona pick of the same number. */
  guint draw = (guint) (hash_number (number, 0x5eed5eedull) % 100);

  if (persona->turns_unswayed == NULL)
    return TRUE;
  return draw < (heard ? persona->swayed_percent : persona->unswayed_percent);
}

GStrv
tb_sim_persona_pick_wordings (const char *const *turns,
                              const char        *number)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; turns != NULL && turns[i] != NULL; i++) {
    g_auto(GStrv) wordings = g_strsplit (turns[i], "|", -1);
    guint n = g_strv_length (wordings);

    /* Its own seed per turn, so the draws of one callee's turns are independent. */
    g_strv_builder_add (builder, n > 1 ? wordings[hash_number (number, 0x30d5 + i) % n]
                                       : turns[i]);
  }
  return g_strv_builder_end (builder);
}

const char *
tb_sim_persona_get_greeting (const TbSimPersona *persona,
                             const char         *language)
{
  return is_chinese (language) ? persona->greeting_zh : persona->greeting;
}

const char *
tb_sim_persona_get_voice (const char *language)
{
  return is_chinese (language) ? "cmn" : "en-us";
}

static const TbSimPersona *
builtin_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (personas); i++)
    if (g_str_equal (personas[i].name, name))
      return &personas[i];
  return NULL;
}

/* A persona a business wrote. Interned for the life of the process: calls keep a pointer to
 * their persona, and the line that defined it may be rebuilt under them (a config change). */
typedef struct {
  TbSimPersona persona;
  char        *name;
  GStrv        turns;
} CustomPersona;

static GMutex custom_lock;
static GHashTable *custom_personas;  /* definition key -> CustomPersona (never freed) */

const TbSimPersona *
tb_sim_persona_intern (const char         *name,
                       const char * const *turns,
                       GError            **error)
{
  g_autofree char *joined = NULL, *key = NULL;
  CustomPersona *custom;
  guint n = turns != NULL ? g_strv_length ((char **) turns) : 0;

  if (name == NULL || *name == '\0' || strspn (name, "abcdefghijklmnopqrstuvwxyz"
                                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
                                        strlen (name)) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "persona \"%s\": a name is letters, digits, _ and -", name ? name : "");
    return NULL;
  }
  if (builtin_lookup (name) != NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "persona \"%s\": the name is a built-in persona's", name);
    return NULL;
  }
  if (n == 0) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "persona \"%s\": \"says\" needs at least one turn", name);
    return NULL;
  }
  for (guint i = 0; i < n; i++) {
    const char *t = turns[i];

    while (g_ascii_isspace (*t))
      t++;
    if (!g_utf8_validate (turns[i], -1, NULL) || *t == '\0') {
      g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                   "persona \"%s\": turn %u is empty or not UTF-8", name, i + 1);
      return NULL;
    }
  }
  joined = g_strjoinv ("\x1e", (char **) turns);
  key = g_strconcat (name, "\x1f", joined, NULL);
  g_mutex_lock (&custom_lock);
  if (custom_personas == NULL)
    custom_personas = g_hash_table_new (g_str_hash, g_str_equal);
  custom = g_hash_table_lookup (custom_personas, key);
  if (custom == NULL) {
    custom = g_new0 (CustomPersona, 1);
    custom->name = g_strdup (name);
    custom->turns = g_strdupv ((char **) turns);
    /* A person who answers, says the turns one per prompt, and hangs up after the last. */
    custom->persona = (TbSimPersona) {
      .name = custom->name, .outcome = TB_SIM_OUTCOME_ANSWER,
      .turns = (const char *const *) custom->turns, .hang_up_when_done = TRUE,
    };
    g_hash_table_insert (custom_personas, g_steal_pointer (&key), custom);
  }
  g_mutex_unlock (&custom_lock);
  return &custom->persona;
}

const TbSimPersona *
tb_sim_persona_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  /* A contact's persona field may say the words itself: "says:take me off your list",
   * turns separated by ";", a turn's wordings by "|". */
  if (g_str_has_prefix (name, TB_SIM_PERSONA_SAYS)) {
    g_auto(GStrv) turns = g_strsplit (name + strlen (TB_SIM_PERSONA_SAYS), ";", -1);

    return tb_sim_persona_intern ("says", (const char * const *) turns, NULL);
  }
  return builtin_lookup (name);
}

const TbSimPersona *const *
tb_sim_persona_all (void)
{
  static const TbSimPersona *all[G_N_ELEMENTS (personas) + 1];

  if (all[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (personas); i++)
      all[i] = &personas[i];
  return all;
}

const TbSimPersona *
tb_sim_persona_lookup_in (GPtrArray  *custom,
                          const char *name)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; custom != NULL && i < custom->len; i++) {
    const TbSimPersona *p = g_ptr_array_index (custom, i);

    if (g_str_equal (p->name, name))
      return p;
  }
  return tb_sim_persona_lookup (name);
}

gboolean
tb_sim_persona_parse_mix (const char  *mix,
                          GPtrArray   *custom,
                          GPtrArray  **out_personas,
                          GArray     **out_weights,
                          GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autoptr(GArray) weights = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) items = NULL;

  if (mix == NULL || *mix == '\0')
    mix = default_mix;
  items = g_strsplit (mix, ",", -1);
  for (guint i = 0; items[i] != NULL; i++) {
    g_auto(GStrv) kv = g_strsplit (g_strstrip (items[i]), ":", 2);
    const TbSimPersona *persona = tb_sim_persona_lookup_in (custom, kv[0]);
    guint64 weight = 1;

    if (persona == NULL) {
      g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                   "persona mix \"%s\": unknown persona \"%s\"", mix, kv[0]);
      return FALSE;
    }
    if (kv[1] != NULL && !g_ascii_string_to_unsigned (kv[1], 10, 0, 1000, &weight, NULL)) {
      g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                   "persona mix \"%s\": weight \"%s\" of %s is not 0..1000", mix, kv[1], kv[0]);
      return FALSE;
    }
    g_ptr_array_add (list, (gpointer) persona);
    g_array_append_val (weights, (guint) { weight });
  }
  *out_personas = g_steal_pointer (&list);
  *out_weights = g_steal_pointer (&weights);
  return TRUE;
}

const TbSimPersona *
tb_sim_persona_pick (GPtrArray  *list,
                     GArray     *weights,
                     const char *number,
                     guint64     seed)
{
  /* FNV-1a: stable across GLib versions, unlike g_str_hash. */
  guint64 h = 14695981039346656037ull ^ seed;
  guint total = 0;
  guint pick;

  for (const char *p = number; *p; p++) {
    h ^= (guchar) *p;
    h *= 1099511628211ull;
  }
  h ^= h >> 29;
  for (guint i = 0; i < weights->len; i++)
    total += g_array_index (weights, guint, i);
  if (total == 0)
    return tb_sim_persona_lookup ("interested");
  pick = h % total;
  for (guint i = 0; i < weights->len; i++) {
    guint w = g_array_index (weights, guint, i);

    if (pick < w)
      return g_ptr_array_index (list, i);
    pick -= w;
  }
  return g_ptr_array_index (list, list->len - 1);
}
