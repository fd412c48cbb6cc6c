/* tb-cli-import.h — the import runner shared by `contacts import` and `dnc import`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-cli.h"
#include "tb-import-job.h"

G_BEGIN_DECLS

/* The exit status of an import that went in with more than
 * TB_IMPORT_MAX_REJECTED_PERCENT % of its lines rejected. */
#define TB_CLI_EXIT_TOO_MANY_REJECTED 3

/* Runs the import with progress on stderr and prints its JSON summary.
 * Returns the exit status: 0, TB_CLI_EXIT_TOO_MANY_REJECTED, or 1 on errors. */
int tb_cli_run_import (TbCli           *cli,
                       TbImportOptions *options,
                       const char      *what);

G_END_DECLS
