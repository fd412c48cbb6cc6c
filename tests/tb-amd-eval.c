/* tb-amd-eval.c — answering-machine detection over a folder of answer patterns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by test-amd and `./dev bench amd`: runs TbAmd on every person-*.wav and
 * machine-*.wav of tests/amd-corpus.sh's output, with the call session's window.
 */
#define G_LOG_DOMAIN "tb-amd-eval"

#include "config.h"

#include <string.h>

#include "tb-amd-eval.h"
#include "tb-pcm.h"

void
tb_amd_eval (const char  *dir_path,
             guint        window_ms,
             TbAmdScore  *score,
             GString     *report)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GHashTable) per_pattern = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  memset (score, 0, sizeof *score);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".wav"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *path = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) pcm = NULL;
    g_autoptr(TbAmd) amd = tb_amd_new (window_ms);
    g_autofree char *pattern = NULL;
    const char *engine;
    gboolean person;
    const gint16 *samples;
    gsize len;
    TbAmdResult result;
    guint *counts;

    name = g_ptr_array_index (names, i);
    person = g_str_has_prefix (name, "person-");
    path = g_build_filename (dir_path, name, NULL);
    pcm = tb_pcm_load_wav (path, 8000, &error);
    if (pcm == NULL) {
      g_string_append_printf (report, "%s: %s\n", name, error->message);
      continue;
    }
    samples = g_bytes_get_data (pcm, &len);
    result = tb_amd_process (amd, samples, len / 2);
    if (result == TB_AMD_RESULT_UNDECIDED)
      result = TB_AMD_RESULT_UNKNOWN;
    if (report != NULL)
      g_string_append_printf (report, "  %-48s %-8s %s (%.1f s)\n", name,
                              tb_amd_result_to_string (result), tb_amd_get_reason (amd),
                              tb_amd_get_decided_ms (amd) / 1000.0);

    /* "machine-personal-long-flite-kal.wav" -> "machine-personal-long" */
    engine = strstr (name, "-espeak-");
    if (engine == NULL)
      engine = strstr (name, "-flite-");
    pattern = engine != NULL ? g_strndup (name, engine - name)
                             : g_strndup (name, strlen (name) - strlen (".wav"));
    counts = g_hash_table_lookup (per_pattern, pattern);
    if (counts == NULL) {
      counts = g_new0 (guint, 2);
      g_hash_table_insert (per_pattern, g_strdup (pattern), counts);
    }
    counts[0]++;
    if (person) {
      score->people++;
      /* Unknown is treated as a person: only "machine" hangs up on one. */
      score->people_as_machine += result == TB_AMD_RESULT_MACHINE;
      counts[1] += result != TB_AMD_RESULT_MACHINE;
    } else {
      score->machines++;
      score->machines_found += result == TB_AMD_RESULT_MACHINE;
      counts[1] += result == TB_AMD_RESULT_MACHINE;
    }
  }
  if (report != NULL) {
    g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (per_pattern),
                                         (GCompareFunc) g_strcmp0);

    for (GList *l = keys; l != NULL; l = l->next) {
      guint *c = g_hash_table_lookup (per_pattern, l->data);

      g_string_append_printf (report, "| AMD %s | %u of %u right |\n", (char *) l->data, c[1],
                              c[0]);
    }
  }
}
