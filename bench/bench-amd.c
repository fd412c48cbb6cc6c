/* bench-amd.c — answering-machine detection, per answer pattern (./dev bench amd)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generates the patterns with tests/amd-corpus.sh (people and machines, two synthesis engines,
 * the telephone channel) and prints each pattern's score, then people taken for machines
 * beside its target (at most 1 %) and machines recognized beside its (at least 90 %).
 */
#define G_LOG_DOMAIN "bench-amd"

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "tb-amd-eval.h"

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("bench-amd-XXXXXX", NULL);
  g_autofree char *script = g_build_filename (TB_SOURCE_ROOT, "tests", "amd-corpus.sh", NULL);
  const char *gen[] = { "sh", script, dir, NULL };
  const char *rm[] = { "rm", "-rf", dir, NULL };
  g_autoptr(GString) report = g_string_new (NULL);
  TbAmdScore s;
  int status;

  setlocale (LC_ALL, "");
  if (!g_spawn_sync (NULL, (char **) gen, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL)) {
    g_printerr ("bench-amd: tests/amd-corpus.sh failed\n");
    return 1;
  }
  tb_amd_eval (dir, 9000, &s, report);
  g_print ("%s", report->str);
  g_print ("| AMD people taken for machines | %.1f %% (%u of %u) | target ≤ 1 %% |\n",
           100.0 * s.people_as_machine / MAX (s.people, 1), s.people_as_machine, s.people);
  g_print ("| AMD machines recognized | %.1f %% (%u of %u) | target ≥ 90 %% |\n",
           100.0 * s.machines_found / MAX (s.machines, 1), s.machines_found, s.machines);
  g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  return 0;
}
