/* tb-cli-import.h — the import runner shared by `contacts import` and `dnc import`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-cli.h"
#include "tb-import-job.h"

G_BEGIN_DECLS

/* Runs the import with progress on stderr and prints its JSON summary.
 * Returns the exit status. */
int tb_cli_run_import (TbCli           *cli,
                       TbImportOptions *options,
                       const char      *what);

G_END_DECLS
