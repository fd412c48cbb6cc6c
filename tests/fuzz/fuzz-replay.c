/* fuzz-replay.c — runs a libFuzzer target over files, without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fuzz-replay-NAME DIR… feeds every file of the seed corpora to
 * LLVMFuzzerTestOneInput, so the ordinary (gcc) test build checks that the
 * seeds and past crashers still pass, as TAP.
 */
#include "config.h"

#include <glib.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
main (int    argc,
      char **argv)
{
  guint n = 0;

  for (int i = 1; i < argc; i++) {
    g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *path = g_build_filename (argv[i], name, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &data, &len, NULL))
        continue;
      LLVMFuzzerTestOneInput ((const guint8 *) data, len);
      printf ("ok %u - %s\n", ++n, name);
    }
  }
  printf ("1..%u\n", n);
  return n > 0 ? 0 : 1;
}
