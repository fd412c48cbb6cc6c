/* tb-sim-persona.h — who answers a simulated call, and what they say per turn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TB_SIM_OUTCOME_ANSWER,
  TB_SIM_OUTCOME_BUSY,
  TB_SIM_OUTCOME_NO_ANSWER,
} TbSimOutcome;

/* A turn is a phrase spoken (or one of its wordings, "how much is it?|what does it cost?") after the bot's prompt ends, or "#dtmf:DIGITS" to press keys. */
typedef struct {
  const char         *name;
  TbSimOutcome        outcome;
  const char         *greeting;            /* spoken at the answer, then a beep (voicemail) */
  const char *const  *turns;               /* NULL-terminated */
  gboolean            talks_over;          /* says its turn 0.5 s into the bot's prompt */
  guint               hang_up_into_ms;     /* hangs up this far into the bot's prompt (0: no) */
  gboolean            hang_up_when_done;   /* after the last turn: hang up at the next prompt end */
  const char         *greeting_zh;         /* the same in Mandarin, for Chinese campaigns */
  const char *const  *turns_zh;
  /* A carrier's recording instead of a person (data/announcements/manifest.json): said at
   * the answer in its own voice whatever the campaign's language, twice, then the carrier
   * hangs up. @sit: the special information tones (intercept) before it. */
  const char         *announcement;
  const char         *announcement_voice;
  gboolean            sit;
  /* Won over by a word (issue #21: scripts that truly differ): when its first turn is due,
   * the persona answers with @turns if the bot's prompts so far held @swayed_by (a whole
   * word, any case; the bot's words reach the sim line with its audio, tb_sim_call_hear())
   * and the number's draw is under @swayed_percent, or without the word under
   * @unswayed_percent; otherwise with @turns_unswayed. The draw is a hash of the number:
   * the same callee decides the same way every time, and one won over without the word is
   * won over with it. */
  const char *const  *turns_unswayed;
  const char *const  *turns_unswayed_zh;
  const char         *swayed_by;
  const char         *swayed_by_zh;
  guint               swayed_percent;
  guint               unswayed_percent;
} TbSimPersona;

/* What @persona says on a call in @language ("zh-CN", "en", NULL: English): its turns and
 * its voicemail greeting (NULL: none), and the espeak-ng voice that says them. */
const char *const  *tb_sim_persona_get_turns    (const TbSimPersona *persona,
                                                 const char         *language);
/* A persona won over by a word: what it says when it is not, and the word (NULL: none). */
const char *const  *tb_sim_persona_get_turns_unswayed (const TbSimPersona *persona,
                                                       const char         *language);
const char         *tb_sim_persona_get_swayed_by (const TbSimPersona *persona,
                                                  const char         *language);
/* Whether @persona, called at @number, is won over, having heard its word or not. */
gboolean            tb_sim_persona_is_won_over  (const TbSimPersona *persona,
                                                 const char         *number,
                                                 gboolean            heard);
/* @turns with one wording of each picked for the callee at @number (the same every time). */
GStrv               tb_sim_persona_pick_wordings (const char *const  *turns,
                                                  const char         *number);
const char         *tb_sim_persona_get_greeting (const TbSimPersona *persona,
                                                 const char         *language);
const char         *tb_sim_persona_get_voice    (const char         *language);

/* A contact's persona field that says the words itself (see tb_sim_persona_lookup()). */
#define TB_SIM_PERSONA_SAYS "says:"

/* A built-in persona by name, or the persona of a "says:TURN;TURN" field (turn wordings
 * "a|b"); NULL if neither. */
const TbSimPersona *tb_sim_persona_lookup      (const char *name);
/* One of @custom's personas (a sim line's own; nullable) by name, else as
 * tb_sim_persona_lookup(). */
const TbSimPersona *tb_sim_persona_lookup_in   (GPtrArray  *custom,
                                                const char *name);
/* A persona a business writes (a sim line's "personas"): answers, says @turns one per bot
 * prompt, hangs up after the last. The same definition is the same persona for the life of
 * the process. NULL with @error on a bad name (a built-in one's, or not [A-Za-z0-9_-]) or no
 * turns. */
const TbSimPersona *tb_sim_persona_intern      (const char         *name,
                                                const char * const *turns,
                                                GError            **error);
/* NULL-terminated, in table order. */
const TbSimPersona *const *tb_sim_persona_all  (void);
/* Parses "interested:3,polite_no:2" (NULL or "": the default mix) into a weighted list; a
 * name may be one of @custom's personas (nullable). Returns FALSE with @error on an unknown
 * name or a bad weight. */
gboolean            tb_sim_persona_parse_mix   (const char   *mix,
                                                GPtrArray    *custom,
                                                GPtrArray   **personas,
                                                GArray      **weights,
                                                GError      **error);
/* Deterministic pick from the number and seed, weighted by the mix. */
const TbSimPersona *tb_sim_persona_pick        (GPtrArray    *personas,
                                                GArray       *weights,
                                                const char   *number,
                                                guint64       seed);

G_END_DECLS
