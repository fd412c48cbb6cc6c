/* tb-pocketsphinx.c — the embedded recognizer: pocketsphinx with a grammar of the phrases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Free dictation with the stock language model is useless on telephone audio; a JSGF grammar
 * of the phrases the dialog expects is accurate and fast. Out-of-grammar speech must not be
 * forced onto a phrase: the share of the loud frames the phrases cover is the confidence, and
 * a low share a no-match. (Measured: that rejects out-of-grammar speech only on noise-free
 * audio; on real line noise most of it still lands on some phrase.)
 * The shipped model is 16 kHz: telephone audio is upsampled. Decoding is CPU work: it runs on
 * a small pool of threads, each job borrowing one of the pool's decoders.
 * With a language model set (tb_pocketsphinx_set_lm_text()), an utterance whose grammar
 * reading is not made of the caller's settled phrases is decoded a second time, freely over
 * that model (TbRecognition:alternative).
 */
#define G_LOG_DOMAIN "tb-pocketsphinx"

#include "config.h"

#include "tb-ngram.h"
#include "tb-paths.h"
#include "tb-pocketsphinx.h"
#include "tb-pcm.h"

#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>
#include <pocketsphinx.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#define MAX_SEARCHES 48
/* A complete phrase counts only when the best path put at least this much silence (10 ms
 * frames) after its last word: a word still being stretched into the pause is not sure. */
#define STABLE_FRAMES 10
#define NOISE_FLOOR_DB 30
struct _TbPocketsphinx
{
  GObject parent_instance;
};

static void tb_pocketsphinx_recognizer_init (TbRecognizerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TbPocketsphinx, tb_pocketsphinx, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TB_TYPE_RECOGNIZER,
                                                      tb_pocketsphinx_recognizer_init))

typedef struct {
  ps_decoder_t *ps;
  GHashTable *searches;   /* names of the grammars it holds */
  guint lm_generation;    /* the generation of the process's model it last took */
  gboolean has_lm;        /* …and whether LM_SEARCH holds it */
  int last_word_end;      /* the grammar pass of the last decode: its last word's end frame */
  int n_frames;           /* …and how many frames it had (-1, 0: none) */
} Decoder;

typedef struct {
  GBytes *pcm;
  GStrv phrases;
  GStrv settled;
  gint64 queued_at;       /* monotonic µs: how long jobs wait for a decoder */
} Job;

static GMutex pool_lock;
static GQueue free_decoders = G_QUEUE_INIT;
static GThreadPool *pool;
static guint n_decoders;       /* made (or being made) so far */
static guint n_preparing;      /* of them, being made by prepare_pool() */
static GCond pool_cond;        /* a decoder came back, or one prepared is ready */

/* One decoder thread per core: decoding is the CPU work that grows with the calls, and at 48
 * calls on two cores the turns queued for a decoder (bench/results.md); the old cap of four
 * would leave the cores of a bigger machine idle while turns wait. */
static guint
pool_size (void)
{
  return MAX (g_get_num_processors (), 1);
}

/* The free pass's language model (tb_pocketsphinx_set_lm_text()), built once: its text, its
 * ARPA form, and a generation each decoder compares with the model it holds. Under pool_lock. */
static GStrv lm_text;
static char *lm_arpa;
static guint lm_generation;
/* The free pass's search in every decoder: one model per process, whatever the node. Its
 * arrays span the whole dictionary (about 20 MB a decoder): one per node would cost that
 * per node per decoder, and a build in the node's first turn (bench/results.md). */
#define LM_SEARCH "lm"

static GOnce dict_once = G_ONCE_INIT;
static GHashTable *dict;       /* word → TRUE */
static GError *dict_error;

#define LM_DISCOUNT 0.5

/* Below this share of the speech covered by phrases, an utterance is out of grammar. */
#define MIN_CONFIDENCE 0.5

static const char *
model_dir (void)
{
  return MODEL_DIR "/en-us";
}

static const char *
dict_path (void)
{
  return MODEL_DIR "/cmudict-en-us.dict";
}

static gpointer
load_dict (gpointer data)
{
  g_autofree char *contents = NULL;
  char *line, *save = NULL;

  if (!g_file_get_contents (dict_path (), &contents, NULL, &dict_error))
    return NULL;
  dict = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (line = strtok_r (contents, "\n", &save); line; line = strtok_r (NULL, "\n", &save)) {
    char *end = strpbrk (line, " \t(");

    if (end == NULL || end == line)
      continue;
    g_hash_table_add (dict, g_strndup (line, end - line));
  }
  return dict;
}

static GHashTable *
get_dict (GError **error)
{
  g_once (&dict_once, load_dict, NULL);
  if (dict == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "pocketsphinx dictionary %s: %s",
                 dict_path (), dict_error ? dict_error->message : "unreadable");
    return NULL;
  }
  return dict;
}

char *
tb_pocketsphinx_normalize (const char *phrase)
{
  g_autofree char *down = g_utf8_strdown (phrase, -1);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = down; *p; p++) {
    if (g_ascii_isalpha (*p) || *p == '\'') {
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    } else {
      space = TRUE;
    }
  }
  return g_string_free (out, FALSE);
}

GStrv
tb_pocketsphinx_check_phrases (const char * const  *phrases,
                               GError             **error)
{
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *words = get_dict (error);

  if (words == NULL)
    return NULL;
  for (guint i = 0; phrases && phrases[i]; i++) {
    g_autofree char *norm = tb_pocketsphinx_normalize (phrases[i]);
    g_auto(GStrv) split = g_strsplit (norm, " ", -1);

    for (guint j = 0; split[j]; j++) {
      if (*split[j] == '\0' || g_hash_table_contains (words, split[j]) ||
          g_hash_table_contains (seen, split[j]))
        continue;
      g_hash_table_add (seen, split[j]);
      g_strv_builder_add (missing, split[j]);
    }
  }
  return g_strv_builder_end (missing);
}

gboolean
tb_pocketsphinx_completes_phrase (const char         *text,
                                  const char * const *phrases)
{
  g_auto(GStrv) words = g_strsplit (text != NULL ? text : "", " ", -1);
  g_autoptr(GPtrArray) split = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint n = g_strv_length (words);
  g_autofree gboolean *reach = NULL;

  if (n == 0 || *words[0] == '\0')
    return FALSE;
  for (guint i = 0; phrases && phrases[i]; i++) {
    g_autofree char *norm = tb_pocketsphinx_normalize (phrases[i]);

    if (*norm != '\0')
      g_ptr_array_add (split, g_strsplit (norm, " ", -1));
  }
  /* reach[k]: the first k words are a sequence of whole phrases. */
  reach = g_new0 (gboolean, n + 1);
  reach[0] = TRUE;
  for (guint k = 0; k < n; k++) {
    if (!reach[k])
      continue;
    for (guint p = 0; p < split->len; p++) {
      char **ph = g_ptr_array_index (split, p);
      guint j = 0;

      while (ph[j] != NULL && k + j < n && g_str_equal (ph[j], words[k + j]))
        j++;
      if (ph[j] == NULL)
        reach[k + j] = TRUE;
    }
  }
  return reach[n];
}

/* The grammar: any sequence of the phrases. Returns NULL if no phrase is recognizable. */
static char *
build_jsgf (const char * const *phrases,
            GHashTable         *words)
{
  g_autoptr(GHashTable) uniq = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *g = g_string_new ("#JSGF V1.0;\ngrammar telebot;\n"
                             "public <utterance> = <phrase>+;\n<phrase> = ");

  gboolean any = FALSE;

  for (guint i = 0; phrases && phrases[i]; i++) {
    char *norm = tb_pocketsphinx_normalize (phrases[i]);
    g_auto(GStrv) split = g_strsplit (norm, " ", -1);
    gboolean ok = *norm != '\0';

    for (guint j = 0; split[j] && ok; j++)
      ok = g_hash_table_contains (words, split[j]);
    if (!ok || g_hash_table_contains (uniq, norm)) {
      g_free (norm);
      continue;
    }
    g_hash_table_add (uniq, norm);
    g_string_append_printf (g, "%s%s", any ? " | " : "", norm);
    any = TRUE;
  }
  if (!any) {
    g_string_free (g, TRUE);
    return NULL;
  }
  g_string_append (g, ";\n");
  return g_string_free (g, FALSE);
}

static gboolean sync_lm (Decoder *d);

/* The stock model was trained on wideband microphone speech; calls are band-limited μ-law.
 * data/speech/en-us-telephone.mllr is a global MLLR transform of its means estimated on
 * telephone-channel audio of voices and sentences the benches never speak (bench/make-mllr.sh).
 * Measured (bench/results.md, "MLLR"): it costs the grammar pass alone opt-outs and helps
 * only with the second reading, so the decoders use the stock model unless
 * TELEBOT_POCKETSPHINX_MLLR asks for a transform ("telephone": that file; else a path). */
char *
tb_pocketsphinx_dup_mllr_path (void)
{
  const char *env = g_getenv ("TELEBOT_POCKETSPHINX_MLLR");
  char *path;

  if (env == NULL || *env == '\0' || g_str_equal (env, "none"))
    return NULL;
  if (!g_str_equal (env, "telephone"))
    return g_strdup (env);
  path = tb_paths_build_data ("speech", "en-us-telephone.mllr", NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_warning ("no MLLR transform %s: using the stock model", path);
    g_clear_pointer (&path, g_free);
  }
  return path;
}

static Decoder *
decoder_new (GError **error)
{
  /* No spectral noise removal (it eats the empty upper band of telephone audio), wider beams
   * a low word insertion probability (fewer phrases chained onto one utterance) and
   * breath and noise fillers let in more easily: measured with `./dev bench speech`. */
  const char *args[] = {
    "-hmm", MODEL_DIR "/en-us", "-dict", MODEL_DIR "/cmudict-en-us.dict",
    "-logfn", "/dev/null", "-samprate", "16000", "-remove_noise", "no",
    "-beam", "1e-60", "-wbeam", "1e-40", "-pbeam", "1e-60", "-wip", "0.1",
    "-fillprob", "1e-2",
  };
  g_autofree char *mllr = tb_pocketsphinx_dup_mllr_path ();
  const char *with_mllr[G_N_ELEMENTS (args) + 2];
  guint n_args = G_N_ELEMENTS (args);
  Decoder *d;
  cmd_ln_t *config;
  ps_decoder_t *ps;
  gint64 t0 = g_get_monotonic_time ();

  memcpy (with_mllr, args, sizeof args);
  if (mllr != NULL) {
    with_mllr[n_args++] = "-mllr";
    with_mllr[n_args++] = mllr;
  }
  config = cmd_ln_parse_r (NULL, ps_args (), (int) n_args, (char **) with_mllr, FALSE);
  if (config == NULL || (ps = ps_init (config)) == NULL) {
    if (config)
      cmd_ln_free_r (config);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "pocketsphinx could not load the model %s with %s", model_dir (), dict_path ());
    return NULL;
  }
  cmd_ln_free_r (config);
  d = g_new0 (Decoder, 1);
  d->ps = ps;
  d->searches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* The free pass's model, if there is one, is loaded now: not in some node's first turn. */
  sync_lm (d);
  g_debug ("decoder made in %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - t0) / 1000);
  return d;
}

/* The model was trained on wideband speech over a microphone's noise floor; telephone audio
 * upsampled to 16 kHz has nothing above 3.6 kHz, and a sim persona's espeak-ng voice has
 * digital silence between words. Neither is anything the model ever heard: every utterance
 * gets a white noise floor NOISE_FLOOR_DB below its speech. Measured with `./dev bench
 * speech` on the demo script's grammar: intents 82 % → 88 %, false opt-outs 18 % → 9 %. */
static GBytes *
add_noise_floor (GBytes *wide)
{
  gsize n = g_bytes_get_size (wide) / 2, loud = 0;
  const gint16 *s = g_bytes_get_data (wide, NULL);
  double power = 0, gain;
  gint16 *out;
  GRand *rand;

  for (gsize i = 0; i + 160 <= n; i += 160) {
    if (tb_pcm_rms_db (s + i, 160) > -45) {
      for (gsize k = i; k < i + 160; k++)
        power += (double) s[k] * s[k];
      loud += 160;
    }
  }
  if (loud == 0)
    return g_bytes_ref (wide);
  gain = sqrt (power / loud) * pow (10, -NOISE_FLOOR_DB / 20.0);
  out = g_new (gint16, n);
  /* Seeded: the same utterance always decodes the same. */
  rand = g_rand_new_with_seed (4711);
  for (gsize i = 0; i < n; i++) {
    double u1 = g_rand_double (rand), u2 = g_rand_double (rand);
    double z = sqrt (-2 * log (MAX (u1, 1e-12))) * cos (2 * G_PI * u2);

    out[i] = (gint16) CLAMP (s[i] + gain * z, G_MININT16, G_MAXINT16);
  }
  g_rand_free (rand);
  return g_bytes_new_take (out, n * 2);
}

GBytes *
tb_pocketsphinx_decoder_audio (GBytes *pcm)
{
  g_autoptr(GBytes) band = tb_pcm_resample (g_bytes_get_data (pcm, NULL),
                                            g_bytes_get_size (pcm) / 2, TB_PCM_RATE, 16000);

  return add_noise_floor (band);
}

/* Selects the search for the JSGF grammar @text, adding it first. */
static gboolean
use_search (Decoder    *d,
            const char *text)
{
  g_autofree char *name = g_strdup_printf ("g%08x", g_str_hash (text));

  if (!g_hash_table_contains (d->searches, name)) {
    if (g_hash_table_size (d->searches) >= MAX_SEARCHES) {
      GHashTableIter it;
      gpointer key;

      g_hash_table_iter_init (&it, d->searches);
      while (g_hash_table_iter_next (&it, &key, NULL))
        ps_unset_search (d->ps, key);
      g_hash_table_remove_all (d->searches);
    }
    if (ps_set_jsgf_string (d->ps, name, text) < 0)
      return FALSE;
    g_hash_table_add (d->searches, g_strdup (name));
  }
  return ps_set_search (d->ps, name) == 0;
}

/* pocketsphinx reads a language model only from a file. */
static gboolean
add_lm (Decoder    *d,
        const char *arpa)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  ngram_model_t *lm;
  int fd = g_file_open_tmp ("telebot-lm-XXXXXX.arpa", &path, &error);

  if (fd < 0) {
    g_warning ("language model: %s", error->message);
    return FALSE;
  }
  close (fd);
  if (!g_file_set_contents (path, arpa, -1, &error)) {
    g_warning ("language model: %s", error->message);
    g_unlink (path);
    return FALSE;
  }
  lm = ngram_model_read (ps_get_config (d->ps), path, NGRAM_ARPA, ps_get_logmath (d->ps));
  g_unlink (path);
  /* The search keeps the model (its model set frees it). Same beams as the grammar's, but
   * neither the flat second pass nor the lattice's best path: the search reads them from the
   * decoder's configuration when it is made, so they are set for it alone. Measured (bench
   * speech-voices, thread CPU): the free pass 135 → about 80 ms an utterance, the readings'
   * figures within three utterances in 160 (bench/results.md). */
  {
    cmd_ln_t *config = ps_get_config (d->ps);
    gboolean fwdflat = cmd_ln_boolean_r (config, "-fwdflat");
    gboolean bestpath = cmd_ln_boolean_r (config, "-bestpath");
    gboolean ok;

    cmd_ln_set_boolean_r (config, "-fwdflat", FALSE);
    cmd_ln_set_boolean_r (config, "-bestpath", FALSE);
    ok = lm != NULL && ps_set_lm (d->ps, LM_SEARCH, lm) == 0;
    cmd_ln_set_boolean_r (config, "-fwdflat", fwdflat);
    cmd_ln_set_boolean_r (config, "-bestpath", bestpath);
    return ok;
  }
}

/* Brings @d's free-pass search up to the process's model: loads it (when the decoder is made,
 * or after tb_pocketsphinx_set_lm_text() changed it), or drops it. Whether there is one. */
static gboolean
sync_lm (Decoder *d)
{
  g_autofree char *arpa = NULL;
  gboolean changed;
  guint generation;

  g_mutex_lock (&pool_lock);
  generation = lm_generation;
  changed = d->lm_generation != generation;
  if (changed)
    arpa = g_strdup (lm_arpa);
  g_mutex_unlock (&pool_lock);
  if (changed) {
    gint64 t0 = g_get_monotonic_time ();

    if (d->has_lm)
      ps_unset_search (d->ps, LM_SEARCH);
    d->has_lm = arpa != NULL && add_lm (d, arpa);
    d->lm_generation = generation;
    if (d->has_lm)
      g_debug ("language model loaded in %" G_GINT64_FORMAT " ms",
               (g_get_monotonic_time () - t0) / 1000);
  }
  return d->has_lm;
}

/* The free pass's model: the sentences, normalized, those with a word the dictionary lacks
 * left out. NULL when none is left. */
static char *
build_lm (const char * const *sentences,
          GHashTable         *words)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) text = NULL;

  for (guint i = 0; sentences != NULL && sentences[i] != NULL; i++) {
    g_autofree char *norm = tb_pocketsphinx_normalize (sentences[i]);
    g_auto(GStrv) split = g_strsplit (norm, " ", -1);
    gboolean ok = *norm != '\0';

    for (guint j = 0; split[j] && ok; j++)
      ok = g_hash_table_contains (words, split[j]);
    if (ok)
      g_strv_builder_add (b, norm);
  }
  text = g_strv_builder_end (b);
  return tb_ngram_build_arpa ((const char * const *) text, LM_DISCOUNT);
}

static char *
hyp_words (Decoder *d)
{
  GString *text = g_string_new (NULL);

  for (ps_seg_t *seg = ps_seg_iter (d->ps); seg != NULL; seg = ps_seg_next (seg)) {
    const char *w = ps_seg_word (seg);

    if (w[0] == '<' || w[0] == '[' || w[0] == '(')
      continue;
    if (text->len > 0)
      g_string_append_c (text, ' ');
    g_string_append_len (text, w, strcspn (w, "("));
  }
  return g_string_free (text, FALSE);
}

/* Decodes with the current search; returns the path score (log base of the decoder). */
static const char *
run (Decoder      *d,
     const gint16 *pcm,
     gsize         n,
     int32        *score)
{
  ps_start_utt (d->ps);
  ps_process_raw (d->ps, pcm, n, FALSE, TRUE);
  ps_end_utt (d->ps);
  return ps_get_hyp (d->ps, score);
}

/* Where the grammar's best path put its last word (for TbRecognition:complete). */
static void
note_last_word (Decoder *d)
{
  ps_seg_t *seg;

  d->last_word_end = -1;
  d->n_frames = ps_get_n_frames (d->ps);
  for (seg = ps_seg_iter (d->ps); seg != NULL; seg = ps_seg_next (seg)) {
    const char *w = ps_seg_word (seg);
    int sf, ef;

    if (w[0] == '<' || w[0] == '[' || w[0] == '(')
      continue;
    ps_seg_frames (seg, &sf, &ef);
    d->last_word_end = ef;
  }
}

/* The free pass over the language model, after the grammar's (whose segments are read by
 * then): its words, or NULL. Decoding the same audio a second time leaves the cepstral mean
 * the grammar pass of the next utterance starts from as it was. */
static TbRecognition *
with_alternative (TbRecognition      *rec,
                  Decoder            *d,
                  const gint16       *samples,
                  gsize               n,
                  const char * const *settled)
{
  g_autofree char *alternative = NULL;
  gint64 t0 = g_get_monotonic_time ();
  int32 score = 0;

  /* A reading made only of settled phrases is final: the caller needs no second one. */
  if (tb_recognition_is_match (rec) && tb_pocketsphinx_completes_phrase (rec->text, settled))
    return rec;
  if (!sync_lm (d) || ps_set_search (d->ps, LM_SEARCH) != 0)
    return rec;
  run (d, samples, n, &score);
  alternative = hyp_words (d);
  g_debug ("free pass “%s” in %" G_GINT64_FORMAT " ms", alternative,
           (g_get_monotonic_time () - t0) / 1000);
  if (*alternative != '\0')
    rec->alternative = g_steal_pointer (&alternative);
  return rec;
}

static TbRecognition *
decode (Decoder            *d,
        GBytes             *pcm,
        const char * const *phrases,
        const char * const *settled,
        GError            **error)
{
  g_autoptr(GBytes) wide = NULL;
  g_autofree char *jsgf = NULL;
  GHashTable *words = get_dict (error);
  const char *hyp;
  const gint16 *samples;
  GString *text;
  int32 score = 0;
  int speech_frames = 0, word_frames = 0, n_frames;
  gboolean *loud;
  double confidence;
  gsize n;
  ps_seg_t *seg;

  if (words == NULL)
    return NULL;
  if ((jsgf = build_jsgf (phrases, words)) == NULL)
    return tb_recognition_new ("", 0, "no phrase to listen for is in the dictionary");

  wide = tb_pocketsphinx_decoder_audio (pcm);
  n = g_bytes_get_size (wide) / 2;
  samples = g_bytes_get_data (wide, NULL);

  if (!use_search (d, jsgf))
    return tb_recognition_new ("", 0, "pocketsphinx rejected the grammar");
  hyp = run (d, samples, n, &score);
  note_last_word (d);
  if (hyp == NULL || *hyp == '\0')
    return with_alternative (tb_recognition_new ("", 0, "nothing recognized"), d, samples, n,
                             settled);

  /* Which 10 ms frames (the decoder's frame rate) carry speech, by energy. */
  n_frames = MAX (1, (int) (n / 160));
  loud = g_new0 (gboolean, n_frames);
  {
    double *db = g_new (double, n_frames);
    double top = -100;

    for (int f = 0; f < n_frames; f++)
      top = MAX (top, db[f] = tb_pcm_rms_db (samples + f * 160, 160));
    for (int f = 0; f < n_frames; f++) {
      loud[f] = db[f] > MAX (top - 25, -50);
      speech_frames += loud[f];
    }
    g_free (db);
  }

  text = g_string_new (NULL);
  for (seg = ps_seg_iter (d->ps); seg != NULL; seg = ps_seg_next (seg)) {
    const char *w = ps_seg_word (seg);
    int sf, ef;

    if (w[0] == '<' || w[0] == '[' || w[0] == '(')
      continue;
    ps_seg_frames (seg, &sf, &ef);
    for (int f = MAX (sf, 0); f <= ef && f < n_frames; f++)
      word_frames += loud[f];
    if (text->len > 0)
      g_string_append_c (text, ' ');
    /* Alternative pronunciations come back as "word(2)". */
    g_string_append_len (text, w, strcspn (w, "("));
  }
  g_free (loud);

  /* Confidence: the share of the speech the phrases account for. Out-of-grammar speech is
   * mostly left to the silence and noise models, so little of it is covered. */
  confidence = speech_frames > 0 ? (double) word_frames / speech_frames : 0;
  g_debug ("hyp “%s”: %d of %d speech frames in words", text->str, word_frames, speech_frames);
  if (confidence < MIN_CONFIDENCE) {
    TbRecognition *rec = tb_recognition_new ("", confidence, "out of grammar");

    g_debug ("  rejected “%s”", text->str);
    g_string_free (text, TRUE);
    return with_alternative (rec, d, samples, n, settled);
  }
  {
    TbRecognition *rec = tb_recognition_new (text->str, confidence, NULL);

    g_string_free (text, TRUE);
    return with_alternative (rec, d, samples, n, settled);
  }
}

static Decoder *
borrow_decoder (GError **error)
{
  Decoder *d;

  g_mutex_lock (&pool_lock);
  /* A decoder on its way from prepare_pool() is sooner than a new one, and keeps the pool at
   * one per CPU. */
  while (g_queue_is_empty (&free_decoders) && n_preparing > 0 && n_decoders >= pool_size ())
    g_cond_wait (&pool_cond, &pool_lock);
  d = g_queue_pop_head (&free_decoders);
  if (d == NULL)
    n_decoders++;
  g_mutex_unlock (&pool_lock);
  if (d == NULL && (d = decoder_new (error)) == NULL) {
    g_mutex_lock (&pool_lock);
    n_decoders--;
    g_mutex_unlock (&pool_lock);
  }
  return d;
}

static void
return_decoder (Decoder *d)
{
  g_mutex_lock (&pool_lock);
  g_queue_push_head (&free_decoders, d);
  g_cond_broadcast (&pool_cond);
  g_mutex_unlock (&pool_lock);
}

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  return a == NULL || b == NULL ? a == b : g_strv_equal (a, b);
}

/* Makes the decoders the pool will want, each with the free pass's model, off the calls'
 * path. */
static gpointer
prepare_pool (gpointer data)
{
  for (;;) {
    gboolean more;
    Decoder *d;

    g_mutex_lock (&pool_lock);
    more = n_decoders < pool_size ();
    n_decoders += more;
    n_preparing += more;
    g_mutex_unlock (&pool_lock);
    if (!more)
      return NULL;
    d = decoder_new (NULL);
    g_mutex_lock (&pool_lock);
    n_preparing--;
    if (d != NULL)
      g_queue_push_head (&free_decoders, d);
    else
      n_decoders--;
    g_cond_broadcast (&pool_cond);
    g_mutex_unlock (&pool_lock);
    if (d == NULL)
      return NULL;
  }
}

guint
tb_pocketsphinx_get_n_decoders (void)
{
  guint n;

  g_mutex_lock (&pool_lock);
  n = n_decoders;
  g_mutex_unlock (&pool_lock);
  return n;
}

void
tb_pocketsphinx_prepare (void)
{
  GThread *thread;

  g_mutex_lock (&pool_lock);
  thread = n_decoders < pool_size () ? g_thread_try_new ("tb-ps-prepare", prepare_pool, NULL,
                                                         NULL)
                                     : NULL;
  g_mutex_unlock (&pool_lock);
  if (thread != NULL)
    g_thread_unref (thread);
}

void
tb_pocketsphinx_set_lm_text (const char * const *sentences)
{
  g_autofree char *arpa = NULL;
  GHashTable *words;
  gboolean same;

  g_mutex_lock (&pool_lock);
  same = strv_equal0 ((const char * const *) lm_text, sentences);
  g_mutex_unlock (&pool_lock);
  /* Each campaign sets it: the same text keeps the model (and the decoders' searches). */
  if (same)
    return;
  if (sentences != NULL && (words = get_dict (NULL)) != NULL)
    arpa = build_lm (sentences, words);
  g_mutex_lock (&pool_lock);
  g_strfreev (lm_text);
  lm_text = g_strdupv ((char **) sentences);
  g_free (lm_arpa);
  lm_arpa = g_steal_pointer (&arpa);
  /* Every decoder takes the change (model or none) before its next free pass. */
  lm_generation++;
  g_mutex_unlock (&pool_lock);
}

TbRecognition *
tb_pocketsphinx_recognize (GBytes              *pcm,
                           const char * const  *phrases,
                           const char * const  *settled,
                           GError             **error)
{
  Decoder *d = borrow_decoder (error);
  TbRecognition *rec;

  if (d == NULL)
    return NULL;
  d->last_word_end = -1;
  rec = decode (d, pcm, phrases, settled, error);
  /* Complete: a final state of the grammar, and the best path is sure of its last word (it
   * ended a while before the audio did, the rest being silence). */
  if (rec != NULL)
    rec->complete = tb_recognition_is_match (rec) && d->last_word_end >= 0 &&
                    d->last_word_end + STABLE_FRAMES < d->n_frames &&
                    tb_pocketsphinx_completes_phrase (rec->text, phrases);
  return_decoder (d);
  return rec;
}

static void
job_free (Job *job)
{
  g_bytes_unref (job->pcm);
  g_strfreev (job->phrases);
  g_strfreev (job->settled);
  g_free (job);
}

static void
pool_func (gpointer data,
           gpointer user_data)
{
  g_autoptr(GTask) task = data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  TbRecognition *rec;
  gint64 start = g_get_monotonic_time ();

  if (g_task_return_error_if_cancelled (task))
    return;
  rec = tb_pocketsphinx_recognize (job->pcm, (const char * const *) job->phrases,
                                   (const char * const *) job->settled, &error);
  g_debug ("job waited %" G_GINT64_FORMAT " ms for a decoder, decoded %" G_GSIZE_FORMAT
           " ms of audio in %" G_GINT64_FORMAT " ms", (start - job->queued_at) / 1000,
           g_bytes_get_size (job->pcm) / 16, (g_get_monotonic_time () - start) / 1000);
  if (rec == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rec, (GDestroyNotify) tb_recognition_free);
}

static void
tb_pocketsphinx_recognize_async (TbRecognizer        *rec,
                                 GBytes              *pcm,
                                 const char * const  *phrases,
                                 const char * const  *settled,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (rec, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, tb_pocketsphinx_recognize_async);
  job->pcm = g_bytes_ref (pcm);
  job->phrases = g_strdupv ((char **) phrases);
  job->settled = g_strdupv ((char **) settled);
  job->queued_at = g_get_monotonic_time ();
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  g_mutex_lock (&pool_lock);
  if (pool == NULL)
    pool = g_thread_pool_new (pool_func, NULL, pool_size (), FALSE, NULL);
  g_mutex_unlock (&pool_lock);
  g_thread_pool_push (pool, task, NULL);
}

static TbRecognition *
tb_pocketsphinx_recognize_finish (TbRecognizer  *rec,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, rec), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tb_pocketsphinx_recognizer_init (TbRecognizerInterface *iface)
{
  iface->recognize_async = tb_pocketsphinx_recognize_async;
  iface->recognize_finish = tb_pocketsphinx_recognize_finish;
  iface->judges_pauses = TRUE;
}

static void
tb_pocketsphinx_class_init (TbPocketsphinxClass *klass)
{
}

static void
tb_pocketsphinx_init (TbPocketsphinx *self)
{
}

TbPocketsphinx *
tb_pocketsphinx_new (void)
{
  return g_object_new (TB_TYPE_POCKETSPHINX, NULL);
}
