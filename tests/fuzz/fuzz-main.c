/* fuzz-main.c — runs a libFuzzer target without libFuzzer (gcc builds):
 * every seed file, then deterministic mutations of each (truncations and
 * byte flips), so the `script` suite replays the corpus in a few seconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-main"

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint
run_file (const char *path,
          guint       mutations)
{
  g_autofree char *data = NULL;
  gsize len;
  GRand *rand;
  guint runs = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return 0;
  LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
  runs++;
  rand = g_rand_new_with_seed (len);
  for (guint m = 0; m < mutations && len > 0; m++) {
    g_autofree char *copy = g_memdup2 (data, len);
    gsize cut = len;

    switch (m % 3) {
    case 0:
      cut = g_rand_int_range (rand, 0, len);
      break;
    case 1:
      for (int k = 0; k < 4; k++)
        copy[g_rand_int_range (rand, 0, len)] = (char) g_rand_int_range (rand, 0, 256);
      break;
    default:
      copy[g_rand_int_range (rand, 0, len)] = "{}[]\",:0\\"[g_rand_int_range (rand, 0, 9)];
    }
    LLVMFuzzerTestOneInput ((const uint8_t *) copy, cut);
    runs++;
  }
  g_rand_free (rand);
  return runs;
}

int
main (int    argc,
      char **argv)
{
  guint runs = 0;

  for (int i = 1; i < argc; i++) {
    g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
    const char *name;

    if (dir == NULL) {
      runs += run_file (argv[i], 300);
      continue;
    }
    while ((name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *path = g_build_filename (argv[i], name, NULL);

      runs += run_file (path, 300);
    }
  }
  printf ("1..1\nok 1 - %u inputs ran without a crash\n", runs);
  return runs > 0 ? 0 : 1;
}
