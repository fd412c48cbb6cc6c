/* test-amd.c — answering-machine detection on answer patterns it was not written from
 * (tests/amd-corpus.sh: people and machines, several voices of two engines, through the
 * telephone channel). Hanging up on a person loses a lead: at most 1 % of people may be taken
 * for a machine; at least 90 % of machines must be recognized.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-amd"

#include "config.h"

#include "tb-amd-eval.h"

/* The call session's window (tb-call-session.c). */
#define WINDOW_MS 9000

static char *corpus_dir;

static void
test_corpus (void)
{
  g_autoptr(GString) report = g_string_new (NULL);
  TbAmdScore s;

  tb_amd_eval (corpus_dir, WINDOW_MS, &s, report);
  g_test_message ("%s", report->str);
  g_test_message ("people taken for machines: %u of %u; machines recognized: %u of %u",
                  s.people_as_machine, s.people, s.machines_found, s.machines);
  g_assert_cmpuint (s.people, >=, 40);
  g_assert_cmpuint (s.machines, >=, 40);
  g_assert_cmpfloat (100.0 * s.people_as_machine / s.people, <=, 1.0);
  g_assert_cmpfloat (100.0 * s.machines_found / s.machines, >=, 90.0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *script = NULL;
  int status;
  int rc;

  g_test_init (&argc, &argv, NULL);
  corpus_dir = g_dir_make_tmp ("amd-corpus-XXXXXX", NULL);
  script = g_build_filename (g_getenv ("TELEBOT_SOURCE_DIR"), "tests", "amd-corpus.sh", NULL);
  {
    const char *gen[] = { "sh", script, corpus_dir, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) gen, NULL, G_SPAWN_SEARCH_PATH |
                                 G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                                 NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_test_add_func ("/telebot/media/amd/corpus", test_corpus);
  rc = g_test_run ();
  {
    const char *rm[] = { "rm", "-rf", corpus_dir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                  NULL);
  }
  g_free (corpus_dir);
  return rc;
}
