/* bench-speech-voices.c — ./dev bench speech-voices: everyday phrasings, many voices, 3 channels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14's speech targets. Short English lines of the understanding corpora
 * (tests/data/understanding/en-*.tsv: opt-outs, the built-in answers, unrelated sentences —
 * mostly phrasings no script lists) are spoken by several voices of two synthesis engines
 * Debian packages (espeak-ng variants, flite's voices), and sent through three channels: the
 * telephone channel bench-speech uses (300–3400 Hz, G.711 μ-law, white noise 20 dB under the
 * speech), the same with GSM 06.10 instead of μ-law, and the μ-law channel at 15 dB SNR. The
 * reference is the same utterances clean (8 kHz, no noise). The embedded recognizer listens
 * as the demo script's first question does in a call; the script's matcher names the intent.
 *
 * The confirm question (issue 14, item 4) is modelled: an opt-out read from a rule that asks is
 * "asked" (with --confidence-asks, also one whose recognition's confidence is under
 * TB_DIALOG_SURE_OPT_OUT: a gating that was measured and not kept, bench/results.md); the callee then says "yes" (a true opt-out) or "no" (anything else) in the same
 * voice and channel, recognized by the same pipeline; as in the dialog, only an answer heard
 * as a clear "no" resumes the call, anything else records the opt-out.
 *
 * --lm: the recognizer's free pass over a language model of the understanding's example
 * sentences (tb_pocketsphinx_set_lm_text(), as a campaign sets it); the bench then reports each
 * utterance judged both ways in the same run: the grammar's reading alone, and the two readings
 * as tb_dialog_utterance_readings() takes them, and "gated": the free pass's reading only where
 * the grammar's is not made of the settled phrases a call passes (every answer but the
 * opt-out, tb_script_dup_settled_intents(); in the confirm turn "yes" and the opt-out), as if
 * the recognizer had skipped it there; "gated-node": the same with only the node's own answers
 * settled (global intents get the free pass too).
 * --lm-gated: the recognizer is given the settled phrases a call passes and skips the free pass
 * itself (the decoding CPU a call spends); its "readings" are then the gated ones.
 * --lm-holdout: the model without the sentences the bench speaks.
 * --mllr: the acoustic model adapted to the telephone channel by data/speech/
 * en-us-telephone.mllr (TELEBOT_POCKETSPHINX_MLLR=telephone; off by default: bench/results.md).
 * TB_BENCH_ROWS=1 prints every utterance's readings on stderr.
 *
 * Generated audio is cached under BUILD/bench/speech-voices-cache: a rerun only decodes.
 * Usage: bench-speech-voices [-v] [--channels clean,tel,gsm,n15,n15ns] [--voices a,b] [--max N]
 *   [--confidence-asks] [--lm] [--lm-gated] [--lm-holdout] [--mllr]
 * (n15ns: the 15 dB channel through webrtcdsp's noise suppression; only when named)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tb-corpus.h"
#include "tb-dialog.h"
#include "tb-pcm.h"
#include "tb-pocketsphinx.h"
#include "tb-script.h"
#include "tb-understanding.h"

typedef struct {
  const char *name;     /* as reported */
  const char *engine;   /* espeak-ng, flite */
  const char *voice;    /* the engine's voice argument */
} Voice;

static const Voice voices[] = {
  { "espeak-en-us", "espeak-ng", "en-us" },
  { "espeak-en-gb-rp", "espeak-ng", "en-gb-x-rp" },
  { "espeak-en-us-f3", "espeak-ng", "en-us+f3" },
  { "flite-kal", "flite", "kal16" },
  { "flite-awb", "flite", "awb" },
  { "flite-rms", "flite", "rms" },
  { "flite-slt", "flite", "slt" },
};

typedef enum { CH_CLEAN, CH_TEL, CH_GSM, CH_N15, CH_N15NS, N_CH } Channel;
static const char * const channel_names[] = { "clean", "tel", "gsm", "n15", "n15ns" };
static const char * const channel_about[] = {
  "clean 8 kHz (reference)",
  "telephone: 300-3400 Hz, G.711 u-law, 20 dB SNR",
  "GSM 06.10: 300-3400 Hz, GSM full rate, 20 dB SNR",
  "telephone at 15 dB SNR",
  "telephone at 15 dB SNR, then WebRTC noise suppression (GStreamer webrtcdsp, high)",
};

/* How many lines of each label the bench speaks (of the short ones, evenly spread). */
static const struct { const char *label; guint n; } quota[] = {
  { "opt_out", 40 }, { "other", 16 }, { "yes", 6 }, { "no", 6 }, { "busy", 5 },
  { "call_later", 5 }, { "who_is_this", 5 }, { "robot", 5 }, { "how_got_number", 4 },
  { "send_info", 4 },
};

/* The callee's answers to "should we stop calling you?", taken in turn. */
static const char * const confirm_yes[] = { "yes", "yes please", "that's right" };
static const char * const confirm_no[] = { "no", "no thanks", "no, go on" };

static char *cache_dir;
static gboolean verbose;

static TbScript *script;
static GStrv listen_intents;
static GStrv grammar;
static GStrv settled;           /* the settled phrases a call passes: every answer but opt-outs */
static GStrv settled_node;      /* …of the node's own answers only */
/* The confirm question listens for yes, no and the opt-out (tb-dialog.c listen_confirm()). */
static const char * const confirm_intents[] = { "yes", "no", "opt_out", NULL };
static GStrv confirm_grammar;
static GStrv confirm_settled;
static gboolean use_lm, lm_holdout, lm_gated;

static void
run (const char *cmd)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("bench speech-voices: %s: %s", cmd, error->message);
}

static void
load_script (void)
{
  g_autofree char *path = g_build_filename (TB_SOURCE_ROOT, "data", "scripts", "demo-en.json",
                                            NULL);
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &text, &len, &error) ||
      (script = tb_script_new_from_data (text, len, path, &error)) == NULL)
    g_error ("bench speech-voices: %s", error->message);
  listen_intents = tb_script_dup_listen_intents (script, "pitch");
  grammar = tb_script_dup_grammar (script, (const char * const *) listen_intents);
  confirm_grammar = tb_script_dup_grammar (script, confirm_intents);
  {
    /* As tb-dialog.c's LISTEN actions name them. */
    g_auto(GStrv) all = tb_script_dup_settled_intents (script, "pitch");
    const char * const confirm[] = { "yes", "opt_out", NULL };
    g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
    g_auto(GStrv) node = NULL;

    settled = tb_script_dup_settled_grammar (script, (const char * const *) listen_intents,
                                             (const char * const *) all);
    confirm_settled = tb_script_dup_settled_grammar (script, confirm_intents, confirm);
    for (guint i = 0; all[i] != NULL; i++) {
      const TbScriptIntent *in = tb_script_get_intent (script, all[i]);

      if (in == NULL || !in->global)
        g_strv_builder_add (b, all[i]);
    }
    node = g_strv_builder_end (b);
    settled_node = tb_script_dup_settled_grammar (script, (const char * const *) listen_intents,
                                                  (const char * const *) node);
  }
}

/* Only words a synthesizer says the same way everywhere: letters, spaces, ' , . ? ! */
static gboolean
speakable (const char *text)
{
  guint words = 1;

  if (*text == '\0' || strlen (text) > 48)
    return FALSE;
  for (const char *p = text; *p; p++) {
    if (*p == ' ')
      words++;
    else if (!g_ascii_isalpha (*p) && strchr ("',.?!", *p) == NULL)
      return FALSE;
  }
  return words <= 7;
}

typedef struct {
  char *label;
  char *text;
  gboolean in_lm;   /* the free pass's language model text holds it (normalized) */
} Line;

static GPtrArray *
load_lines (guint max_per_label)
{
  static const char * const files[] = { "en-corpus.tsv", "en-heldout.tsv", "en-blind.tsv" };
  g_autoptr(GHashTable) by_label = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *lines = g_ptr_array_new ();

  for (guint f = 0; f < G_N_ELEMENTS (files); f++) {
    g_autofree char *path = g_build_filename (TB_SOURCE_ROOT, "tests", "data", "understanding",
                                              files[f], NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = tb_corpus_load (path, &error);

    if (items == NULL)
      g_error ("bench speech-voices: %s", error->message);
    for (guint i = 0; i < items->len; i++) {
      TbCorpusItem *it = g_ptr_array_index (items, i);
      GPtrArray *list;
      g_autofree char *key = g_ascii_strdown (it->text, -1);

      if (!speakable (it->text) || !g_hash_table_add (seen, g_steal_pointer (&key)))
        continue;
      list = g_hash_table_lookup (by_label, it->label);
      if (list == NULL) {
        list = g_ptr_array_new_with_free_func (g_free);
        g_hash_table_insert (by_label, g_strdup (it->label), list);
      }
      g_ptr_array_add (list, g_strdup (it->text));
    }
  }
  for (guint q = 0; q < G_N_ELEMENTS (quota); q++) {
    GPtrArray *list = g_hash_table_lookup (by_label, quota[q].label);
    guint want = MIN (quota[q].n, max_per_label);

    if (list == NULL)
      continue;
    want = MIN (want, list->len);
    /* Evenly spread over the files: every k-th line. */
    for (guint k = 0; k < want; k++) {
      Line *l = g_new0 (Line, 1);

      l->label = g_strdup (quota[q].label);
      l->text = g_strdup (g_ptr_array_index (list, (guint) ((double) k * list->len / want)));
      g_ptr_array_add (lines, l);
    }
  }
  return lines;
}

/* The cached 8 kHz line signal of @text in @voice through @ch (no noise yet). */
static GBytes *
audio (const Voice *v,
       const char  *text,
       Channel      ch)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, text, -1);
  g_autofree char *vdir = g_build_filename (cache_dir, v->name, NULL);
  g_autofree char *base = g_strdup_printf ("%.16s", hash);
  g_autofree char *raw = g_strdup_printf ("%s/%s-raw.wav", vdir, base);
  g_autofree char *out = g_strdup_printf ("%s/%s-%s.wav", vdir, base,
                                          ch == CH_N15 || ch == CH_N15NS ? "tel"
                                          : channel_names[ch]);
  g_autoptr(GError) error = NULL;
  GBytes *pcm;

  if (!g_file_test (out, G_FILE_TEST_EXISTS)) {
    g_autofree char *q = g_shell_quote (text);
    g_autofree char *tmp = g_strdup_printf ("%s/%s-tmp.%s", vdir, base,
                                            ch == CH_GSM ? "gsm" : "wav");
    g_autofree char *c = NULL;

    g_mkdir_with_parents (vdir, 0755);
    if (!g_file_test (raw, G_FILE_TEST_EXISTS)) {
      g_autofree char *syn = g_strdup_printf ("%s/%s-syn.wav", vdir, base);
      g_autofree char *c1 = NULL;
      g_autofree char *c2 = NULL;

      if (g_str_equal (v->engine, "flite"))
        c1 = g_strdup_printf ("flite -voice %s -t %s -o '%s'", v->voice, q, syn);
      else
        c1 = g_strdup_printf ("espeak-ng -v %s -w '%s' %s", v->voice, syn, q);
      run (c1);
      /* A quarter second of line before and after, as the endpointer hands it over. */
      c2 = g_strdup_printf ("sox '%s' -r 16000 -c 1 -b 16 -e signed '%s' pad 0.25 0.25", syn,
                            raw);
      run (c2);
      g_unlink (syn);
    }
    switch (ch) {
    case CH_CLEAN:
      c = g_strdup_printf ("sox -R '%s' -r 8000 -c 1 -b 16 -e signed '%s'", raw, out);
      run (c);
      break;
    case CH_TEL:
    case CH_N15:
    case CH_N15NS:
      c = g_strdup_printf ("sox -R '%s' -r 8000 -c 1 -e u-law '%s' sinc 300-3400", raw, tmp);
      run (c);
      g_free (c);
      c = g_strdup_printf ("sox -R '%s' -e signed -b 16 '%s'", tmp, out);
      run (c);
      break;
    case CH_GSM:
      c = g_strdup_printf ("sox -R '%s' -r 8000 -c 1 '%s' sinc 300-3400", raw, tmp);
      run (c);
      g_free (c);
      c = g_strdup_printf ("sox -R '%s' -r 8000 -e signed -b 16 '%s'", tmp, out);
      run (c);
      break;
    default:
      g_assert_not_reached ();
    }
    g_unlink (tmp);
  }
  pcm = tb_pcm_load_wav (out, 8000, &error);
  if (pcm == NULL)
    g_error ("bench speech-voices: %s", error->message);
  return pcm;
}

static GBytes *noise;

static GBytes *
channel_audio (const Voice *v,
               const char  *text,
               Channel      ch)
{
  g_autoptr(GBytes) line = audio (v, text, ch);

  switch (ch) {
  case CH_CLEAN:
    return g_steal_pointer (&line);
  case CH_N15:
    return tb_pcm_add_noise (line, noise, 15);
  case CH_N15NS: {
    g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, text, -1);
    g_autofree char *path = g_strdup_printf ("%s/%s/%.16s-n15ns.wav", cache_dir, v->name, hash);
    g_autoptr(GError) error = NULL;
    GBytes *pcm;

    if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
      g_autofree char *in = g_strdup_printf ("%s/%s/%.16s-n15.wav", cache_dir, v->name, hash);
      g_autoptr(GBytes) noisy = tb_pcm_add_noise (line, noise, 15);
      g_autofree char *c = g_strdup_printf (
        "gst-launch-1.0 -q filesrc location='%s' ! wavparse ! audioconvert ! "
        "webrtcdsp echo-cancel=false noise-suppression=true noise-suppression-level=high "
        "gain-control=false ! wavenc ! filesink location='%s'", in, path);

      if (!tb_pcm_write_wav (in, g_bytes_get_data (noisy, NULL), g_bytes_get_size (noisy) / 2,
                             1, 8000, &error))
        g_error ("bench speech-voices: %s", error->message);
      run (c);
      g_unlink (in);
    }
    pcm = tb_pcm_load_wav (path, 8000, &error);
    if (pcm == NULL)
      g_error ("bench speech-voices: %s", error->message);
    return pcm;
  }
  default:
    return tb_pcm_add_noise (line, noise, 20);
  }
}

typedef struct {
  const char *intent;     /* the script's reading; "no_match" */
  double confidence;      /* the recognizer's */
  gboolean rule_confirm;  /* the understanding's rule asks ("stop, let me get a pen") */
  char *text;
  const char *alt_intent; /* the free pass's reading (--lm); "no_match" */
  char *alt_text;
  gboolean settled;       /* the grammar's reading is made of settled phrases: no free pass */
  gboolean settled_node;  /* …of settled_node's */
} Reading;

/* The script's reading of @text among @intents: "no_match" when none. */
static const char *
read_text (const char         *text,
           const char * const *intents,
           gboolean           *confirm)
{
  TbIntentMatch m = { 0 };

  *confirm = FALSE;
  if (text != NULL && *text != '\0' &&
      tb_intent_matcher_match (tb_script_get_matcher (script), text, intents, &m) &&
      (m.confidence >= tb_script_get_min_confidence (script) ||
       g_str_equal (m.intent, "opt_out"))) {
    *confirm = m.confirm;
    return g_intern_string (m.intent);
  }
  return "no_match";
}

static void
hear_with (GBytes             *pcm,
           const char * const *phrases,
           const char * const *settled_phrases,
           const char * const *intents,
           Reading            *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbRecognition) rec = tb_pocketsphinx_recognize (pcm, phrases,
                                                            lm_gated ? settled_phrases : NULL,
                                                            &error);
  gboolean first_turn = settled_phrases != (const char * const *) confirm_settled;
  gboolean alt_confirm;

  if (rec == NULL)
    g_error ("bench speech-voices: %s", error->message);
  r->text = g_strdup (rec->text);
  r->confidence = rec->confidence;
  r->intent = read_text (rec->text, intents, &r->rule_confirm);
  r->alt_text = g_strdup (rec->alternative ? rec->alternative : "");
  r->alt_intent = read_text (rec->alternative, intents, &alt_confirm);
  r->settled = tb_recognition_is_match (rec) &&
               tb_pocketsphinx_completes_phrase (rec->text, settled_phrases);
  r->settled_node = first_turn ? tb_recognition_is_match (rec) &&
                                 tb_pocketsphinx_completes_phrase (rec->text,
                                                                   (const char * const *) settled_node)
                               : r->settled;
}

static void
hear (GBytes  *pcm,
      Reading *r)
{
  hear_with (pcm, (const char * const *) grammar, (const char * const *) settled,
             (const char * const *) listen_intents, r);
}

/* The callee's answer to the confirm question: does the call resume (a clear "no")? Judged
 * from the grammar's reading (@today) and from both readings (@readings, as confirm_answer()
 * in tb-dialog-callee.c: a "no" of either reading, and no "yes" or opt-out in either; @gated: the
 * free pass's only where the grammar's is not settled). */
static void
answer_resumes (const Voice *v,
                const char  *said,
                Channel      ch,
                gboolean    *today,
                gboolean    *readings,
                gboolean    *gated)
{
  g_autoptr(GBytes) pcm = channel_audio (v, said, ch);
  Reading r = { 0 };
  const char *alt;

  hear_with (pcm, (const char * const *) confirm_grammar,
             (const char * const *) confirm_settled, confirm_intents, &r);
  *today = g_str_equal (r.intent, "no");
  *readings = (*today || g_str_equal (r.alt_intent, "no")) &&
              !g_str_equal (r.intent, "yes") && !g_str_equal (r.alt_intent, "yes") &&
              !g_str_equal (r.intent, "opt_out") && !g_str_equal (r.alt_intent, "opt_out");
  alt = r.settled ? "no_match" : r.alt_intent;
  *gated = (*today || g_str_equal (alt, "no")) &&
           !g_str_equal (r.intent, "yes") && !g_str_equal (alt, "yes") &&
           !g_str_equal (r.intent, "opt_out") && !g_str_equal (alt, "opt_out");
  if (verbose)
    g_printerr ("    confirm answer “%s” → “%s” (%s) / “%s” (%s)\n", said, r.text, r.intent,
                r.alt_text, r.alt_intent);
  g_free (r.text);
  g_free (r.alt_text);
}

/* What the dialog does with a reading of an opt-out: ask when its rule is not sure
 * (tb-dialog-callee.c). --confidence-asks: also when the recognizer is not (not what calls do). */
static gboolean confidence_asks;

/* How a reading is judged: as the dialog does today (the grammar's reading alone), and with
 * the free pass's reading beside it (--lm; tb_dialog_utterance_readings()). */
enum { JUDGE_TODAY, JUDGE_READINGS, JUDGE_GATED, JUDGE_GATED_NODE, N_JUDGE };
static const char * const judge_names[] = { "grammar", "readings", "gated", "gated-node" };
static const char * const judge_about[] = {
  "**The grammar's reading alone** (the dialog as it is without the free pass):",
  "**Two readings** (the grammar's and the free pass's over the language model; an opt-out "
  "only one of them reads is asked about; the free pass names the intent when it can):",
  "**Two readings, gated** (the free pass's reading only where the grammar's is not made of "
  "the settled phrases a call passes: every answer but the opt-out, so only where it reads an "
  "opt-out or nothing; in the confirm turn where it reads neither yes nor an opt-out):",
  "**Two readings, gated on the node's own answers** (the free pass's reading also where the "
  "grammar reads a global intent; in the confirm turn as above):",
};

/* --lm: the free pass over a language model of the understanding's examples (every intent's,
 * English); --lm-holdout: without the sentences the bench speaks (the fair figure). Marks each
 * line the model's text holds. */
static void
set_lm_text (GPtrArray *lines)
{
  TbUnderstanding *u = tb_understanding_get_default ();
  g_auto(GStrv) intents = tb_understanding_dup_intents (u);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GHashTable) spoken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) text = NULL;
  guint n = 0, held = 0;

  for (guint i = 0; i < lines->len; i++) {
    Line *l = g_ptr_array_index (lines, i);

    g_hash_table_add (spoken, tb_understanding_normalize (u, l->text));
  }
  for (guint i = 0; intents[i] != NULL; i++) {
    g_auto(GStrv) more = tb_understanding_dup_sentences (u, intents[i], "en", G_MAXUINT);

    for (guint k = 0; more[k] != NULL; k++) {
      if (g_hash_table_contains (spoken, more[k])) {
        held++;
        for (guint j = 0; j < lines->len; j++) {
          Line *l = g_ptr_array_index (lines, j);
          g_autofree char *norm = tb_understanding_normalize (u, l->text);

          l->in_lm |= g_str_equal (norm, more[k]);
        }
        if (lm_holdout)
          continue;
      }
      g_strv_builder_add (b, more[k]);
      n++;
    }
  }
  text = g_strv_builder_end (b);
  if (use_lm)
    tb_pocketsphinx_set_lm_text ((const char * const *) text);
  g_printerr ("bench speech-voices: language model text %u sentences; %u of them are lines the "
              "bench speaks%s\n", n + (lm_holdout ? held : 0), held,
              !use_lm ? " (no free pass)" : lm_holdout ? ", left out" : "");
}

static gboolean
asks (const Reading *r)
{
  return r->rule_confirm || (confidence_asks && r->confidence < TB_DIALOG_SURE_OPT_OUT);
}

typedef struct {
  guint opt_total, opt_direct, opt_asked, opt_recorded;
  guint other_total, other_asked, other_direct, other_recorded;
  guint unrelated_total, unrelated_opt, unrelated_recorded, unrelated_rejected;
  guint intents_total, intents_right;
  guint empty;
  guint gated_skips;
  GArray *pos, *neg;   /* confidences of opt-out readings: true, false */
  double audio_s, decode_s, cpu_s;
} Score;

/* This thread's CPU time: the decoder's work whatever else the box runs. */
static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
score_init (Score *s)
{
  memset (s, 0, sizeof *s);
  s->pos = g_array_new (FALSE, FALSE, sizeof (double));
  s->neg = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
score_add (Score *to, const Score *from)
{
  guint *a = (guint *) to;
  const guint *b = (const guint *) from;

  for (guint i = 0; i < G_STRUCT_OFFSET (Score, pos) / sizeof (guint); i++)
    a[i] += b[i];
  g_array_append_vals (to->pos, from->pos->data, from->pos->len);
  g_array_append_vals (to->neg, from->neg->data, from->neg->len);
  to->audio_s += from->audio_s;
  to->decode_s += from->decode_s;
  to->cpu_s += from->cpu_s;
}

/* Area under the ROC curve: the chance a true opt-out's confidence is above a false one's. */
static double
auc (const Score *s)
{
  double wins = 0;

  if (s->pos->len == 0 || s->neg->len == 0)
    return NAN;
  for (guint i = 0; i < s->pos->len; i++)
    for (guint j = 0; j < s->neg->len; j++) {
      double p = g_array_index (s->pos, double, i), n = g_array_index (s->neg, double, j);

      wins += p > n ? 1 : p == n ? 0.5 : 0;
    }
  return wins / ((double) s->pos->len * s->neg->len);
}

static double
pct (guint a, guint b)
{
  return b ? 100.0 * a / b : NAN;
}

static void
print_row (const char *what, const Score *s)
{
  printf ("| %-22s | %5.1f %% (%u/%u) | %4.1f %% | %5.1f %% (%u/%u) | %4.1f %% | %5.1f %% | "
          "%5.1f %% (%u/%u) | %.3f | %4.1f %% |\n",
          what,
          pct (s->opt_recorded, s->opt_total), s->opt_recorded, s->opt_total,
          pct (s->opt_direct, s->opt_total),
          pct (s->other_recorded, s->other_total), s->other_recorded, s->other_total,
          pct (s->other_direct, s->other_total),
          pct (s->unrelated_recorded, s->unrelated_total),
          pct (s->intents_right, s->intents_total), s->intents_right, s->intents_total,
          auc (s), pct (s->empty, s->opt_total + s->other_total + s->unrelated_total));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *self_dir = g_path_get_dirname (argv[0]);
  g_autofree char *noise_path = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_auto(GStrv) channel_list = NULL;
  g_auto(GStrv) voice_list = NULL;
  gboolean use_ch[N_CH] = { FALSE };
  gboolean use_voice[G_N_ELEMENTS (voices)] = { FALSE };
  static Score per[N_JUDGE][G_N_ELEMENTS (voices)][N_CH];
  Score total[N_JUDGE][N_CH];
  guint max_per_label = G_MAXUINT;
  gint64 t_start = g_get_monotonic_time ();

  setlocale (LC_ALL, "");
  for (int i = 1; i < argc; i++) {
    if (g_str_equal (argv[i], "-v"))
      verbose = TRUE;
    else if (g_str_equal (argv[i], "--channels") && i + 1 < argc)
      channel_list = g_strsplit (argv[++i], ",", -1);
    else if (g_str_equal (argv[i], "--voices") && i + 1 < argc)
      voice_list = g_strsplit (argv[++i], ",", -1);
    else if (g_str_equal (argv[i], "--confidence-asks"))
      confidence_asks = TRUE;
    else if (g_str_equal (argv[i], "--lm"))
      use_lm = TRUE;
    else if (g_str_equal (argv[i], "--lm-gated"))
      use_lm = lm_gated = TRUE;
    else if (g_str_equal (argv[i], "--lm-holdout"))
      use_lm = lm_holdout = TRUE;
    else if (g_str_equal (argv[i], "--mllr"))
      g_setenv ("TELEBOT_POCKETSPHINX_MLLR", "telephone", TRUE);
    else if (g_str_equal (argv[i], "--max") && i + 1 < argc)
      max_per_label = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
    else
      g_error ("usage: %s [-v] [--channels clean,tel,gsm,n15,n15ns] [--voices NAME,…] [--max N] "
               "[--confidence-asks] [--lm] [--lm-gated] [--lm-holdout] [--mllr]",
               argv[0]);
  }
  for (guint c = 0; c < N_CH; c++)
    use_ch[c] = channel_list == NULL ? c != CH_N15NS
                                     : g_strv_contains ((const char * const *) channel_list,
                                                        channel_names[c]);
  for (guint v = 0; v < G_N_ELEMENTS (voices); v++)
    use_voice[v] = voice_list == NULL ||
                   g_strv_contains ((const char * const *) voice_list, voices[v].name);

  cache_dir = g_build_filename (self_dir, "speech-voices-cache", NULL);
  g_mkdir_with_parents (cache_dir, 0755);
  noise_path = g_build_filename (cache_dir, "noise.wav", NULL);
  if (!g_file_test (noise_path, G_FILE_TEST_EXISTS)) {
    g_autofree char *cmd = g_strdup_printf ("sox -R -n -r 8000 -c 1 -b 16 -e signed '%s' synth "
                                            "10 whitenoise sinc 300-3400", noise_path);
    run (cmd);
  }
  {
    g_autoptr(GError) error = NULL;

    noise = tb_pcm_load_wav (noise_path, 8000, &error);
    if (noise == NULL)
      g_error ("bench speech-voices: %s", error->message);
  }
  load_script ();
  lines = load_lines (max_per_label);
  set_lm_text (lines);
  g_printerr ("bench speech-voices: %u lines × %zu voices, audio cached in %s\n", lines->len,
              G_N_ELEMENTS (voices), cache_dir);

  for (guint k = 0; k < N_JUDGE; k++)
    for (guint c = 0; c < N_CH; c++)
      score_init (&total[k][c]);
  for (guint v = 0; v < G_N_ELEMENTS (voices); v++) {
    if (!use_voice[v])
      continue;
    for (guint c = 0; c < N_CH; c++) {
      if (!use_ch[c])
        continue;
      for (guint k = 0; k < N_JUDGE; k++)
        score_init (&per[k][v][c]);
      g_printerr ("  %s, %s…\n", voices[v].name, channel_names[c]);
      for (guint i = 0; i < lines->len; i++) {
        Line *l = g_ptr_array_index (lines, i);
        g_autoptr(GBytes) pcm = channel_audio (&voices[v], l->text, c);
        const char *want = tb_corpus_intent_for_label (l->label);
        gboolean true_opt = g_str_equal (l->label, "opt_out");
        gboolean unrelated = want == NULL;
        gint64 t0 = g_get_monotonic_time ();
        double c0 = cpu_now ();
        double decode_s, cpu_s;
        int resumes = -1;   /* the confirm turn's outcome, decoded once when first needed */
        gboolean resumes_today = FALSE, resumes_readings = FALSE, resumes_gated = FALSE;
        gboolean row_today = FALSE, row_readings = FALSE;
        Reading r = { 0 };

        hear (pcm, &r);
        decode_s = (g_get_monotonic_time () - t0) / 1e6;
        cpu_s = cpu_now () - c0;
        for (guint k = 0; k < (use_lm ? N_JUDGE : 1); k++) {
          Score *s = &per[k][v][c];
          const char *intent = r.intent;
          gboolean opt = g_str_equal (r.intent, "opt_out");
          gboolean asked = opt && asks (&r);
          gboolean recorded;

          if (k == JUDGE_READINGS || (k == JUDGE_GATED && !r.settled) ||
              (k == JUDGE_GATED_NODE && !r.settled_node)) {
            /* Two readings, as tb_dialog_utterance_readings() takes them: an opt-out only
             * one reads is asked about; otherwise the free pass's intent when it names one. */
            gboolean alt_opt = g_str_equal (r.alt_intent, "opt_out");

            if (alt_opt != opt) {
              asked = opt = TRUE;
              intent = "opt_out";
            } else if (!opt && !g_str_equal (r.alt_intent, "no_match")) {
              intent = r.alt_intent;
            }
          }
          /* Asked: the callee answers yes (a true opt-out) or no, in the same voice and
           * channel; as in tb-dialog-callee.c confirm_answer(), only a clear "no" resumes. */
          if (asked) {
            if (resumes < 0) {
              const char *said = true_opt ? confirm_yes[i % G_N_ELEMENTS (confirm_yes)]
                                          : confirm_no[i % G_N_ELEMENTS (confirm_no)];

              answer_resumes (&voices[v], said, c, &resumes_today, &resumes_readings,
                              &resumes_gated);
              resumes = 1;
            }
            recorded = !(k == JUDGE_READINGS ? resumes_readings
                         : k >= JUDGE_GATED ? resumes_gated : resumes_today);
          } else {
            recorded = opt;
          }
          s->decode_s += decode_s;
          s->cpu_s += cpu_s;
          s->audio_s += g_bytes_get_size (pcm) / 2 / 8000.0;
          s->empty += *r.text == '\0' && (k == JUDGE_TODAY || *r.alt_text == '\0');
          s->gated_skips += (k == JUDGE_GATED && r.settled) ||
                            (k == JUDGE_GATED_NODE && r.settled_node);
          if (opt)
            g_array_append_val (true_opt ? s->pos : s->neg, r.confidence);
          if (true_opt) {
            s->opt_total++;
            s->opt_direct += opt && !asked;
            s->opt_asked += asked;
            s->opt_recorded += recorded;
          } else if (unrelated) {
            s->unrelated_total++;
            s->unrelated_opt += opt;
            s->unrelated_recorded += recorded;
            s->unrelated_rejected += g_str_equal (intent, "no_match");
          } else {
            s->other_total++;
            s->other_asked += asked;
            s->other_direct += opt && !asked;
            s->other_recorded += recorded;
          }
          if (!unrelated) {
            s->intents_total++;
            s->intents_right += g_str_equal (intent, want);
          }
          if (k == JUDGE_TODAY)
            row_today = recorded;
          else if (k == JUDGE_READINGS)
            row_readings = recorded;
          if (verbose && (true_opt != recorded || (!unrelated && !g_str_equal (intent, want))))
            g_printerr ("    miss %s %s: “%s” (%s) → “%s” / “%s” %s %.2f%s\n", channel_names[c],
                        k == JUDGE_TODAY ? "" : judge_names[k],
                        l->text, l->label, r.text,
                        r.alt_text, intent, r.confidence,
                        asked ? (recorded ? " asked→recorded" : " asked→resumed") : "");
        }
        if (g_getenv ("TB_BENCH_ROWS"))
          g_printerr ("ROW\t%s\t%s\t%s\t%s\t%s\t%.4f\t%d\t%s\t%s\t%s\t%d\t%s\t%d\t%d\n",
                      voices[v].name, channel_names[c], l->label, want ? want : "-", r.intent,
                      r.confidence, r.rule_confirm, r.text, r.alt_intent, r.alt_text,
                      l->in_lm, l->text, row_today, row_readings);
        g_free (r.text);
        g_free (r.alt_text);
      }
      for (guint k = 0; k < N_JUDGE; k++)
        score_add (&total[k][c], &per[k][v][c]);
    }
  }

  printf ("speech-voices: %u everyday lines of tests/data/understanding (English), the demo "
          "script's first question; per voice and channel\n", lines->len);
  for (guint c = 0; c < N_CH; c++)
    if (use_ch[c])
      printf ("  %-5s %s\n", channel_names[c], channel_about[c]);
  {
    g_autofree char *mllr = tb_pocketsphinx_dup_mllr_path ();
    g_autofree char *base = mllr ? g_path_get_basename (mllr) : NULL;

    printf ("  acoustic model: stock en-us%s%s\n", base ? " + MLLR " : " (no MLLR)",
            base ? base : "");
  }
  for (guint k = 0; k < (use_lm ? N_JUDGE : 1); k++) {
    printf ("\n%s\n", judge_about[k]);
    printf ("\n| voice, channel | opt-outs recorded (direct or after asking) | of them direct | "
            "callees wrongly recorded | wrongly, without asking | unrelated recorded | "
            "intents right | opt-out confidence AUC | empty |\n");
    printf ("|---|---|---|---|---|---|---|---|---|\n");
    for (guint c = 0; c < N_CH; c++) {
      if (!use_ch[c])
        continue;
      for (guint v = 0; v < G_N_ELEMENTS (voices); v++) {
        g_autofree char *what = NULL;

        if (!use_voice[v])
          continue;
        what = g_strdup_printf ("%s, %s", voices[v].name, channel_names[c]);
        print_row (what, &per[k][v][c]);
      }
      {
        g_autofree char *what = g_strdup_printf ("**all voices, %s**", channel_names[c]);

        print_row (what, &total[k][c]);
      }
    }
  }
  printf ("\nsummary:\n");
  for (guint k = 0; k < (use_lm ? N_JUDGE : 1); k++) {
    for (guint c = 0; c < N_CH; c++) {
      const Score *s = &total[k][c];

      if (!use_ch[c])
        continue;
      printf ("  %-9s %-5s opt-outs recorded %5.1f %% (asked %4.1f %%)  wrongly recorded %4.1f %% "
              "(%4.1f %% unasked)  unrelated recorded %4.1f %% (heard as opt-out %4.1f %%, "
              "rejected %4.1f %%)  intents %5.1f %%  AUC %.3f  %.1f× real time (%.1f× of one core's "
              "time, %.0f ms per utterance)\n",
              judge_names[k], channel_names[c], pct (s->opt_recorded, s->opt_total),
              pct (s->opt_asked, s->opt_total),
              pct (s->other_recorded, s->other_total), pct (s->other_direct, s->other_total),
              pct (s->unrelated_recorded, s->unrelated_total),
              pct (s->unrelated_opt, s->unrelated_total),
              pct (s->unrelated_rejected, s->unrelated_total),
              pct (s->intents_right, s->intents_total), auc (s),
              s->audio_s / MAX (s->decode_s, 1e-9), s->audio_s / MAX (s->cpu_s, 1e-9),
              1000 * s->cpu_s / MAX (s->opt_total + s->other_total + s->unrelated_total, 1));
    }
  }
  for (guint k = JUDGE_GATED; use_lm && k < N_JUDGE; k++)
    for (guint c = 0; c < N_CH; c++)
      if (use_ch[c])
        printf ("  %-9s %-5s the gate skips the free pass for %u of %u first-turn utterances "
                "(their grammar reading is settled)\n", judge_names[k], channel_names[c],
                total[k][c].gated_skips,
                total[k][c].opt_total + total[k][c].other_total + total[k][c].unrelated_total);
  {
    struct rusage ru;

    getrusage (RUSAGE_SELF, &ru);
    printf ("  peak resident memory %.0f MB\n", ru.ru_maxrss / 1024.0);
  }
  printf ("  (%.0f s)\n", (g_get_monotonic_time () - t_start) / 1e6);
  return 0;
}
