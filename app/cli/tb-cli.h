/* tb-cli.h — shared by the commands of telebot-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-phone.h"
#include "tb-script.h"
#include "tb-store.h"

G_BEGIN_DECLS

typedef struct _TbCli TbCli;

/* Exit statuses beyond 0 (done), 1 (failed) and 2 (usage). */
#define TB_CLI_EXIT_TIMED_OUT 4   /* stopped at its time limit; the rest is kept for later */
/* How long a stopping command waits for its calls to hang up: SIGTERM ends it within 2 s. */
#define TB_CLI_STOP_GRACE_MS 1500

/* A command gets its own argv: argv[0] is the command's name. Returns the exit status. */
typedef int (*TbCliCommandFunc) (TbCli *cli, int argc, char **argv);

const char *tb_cli_get_db_path  (TbCli        *cli);
/* Opens (and migrates) the database on first use; NULL with @error set. */
TbStore    *tb_cli_get_store    (TbCli        *cli,
                                 GError      **error);

/* Parses a command's options; prints usage errors and returns FALSE. */
gboolean    tb_cli_parse        (TbCli        *cli,
                                 GOptionEntry *entries,
                                 const char   *parameter_string,
                                 const char   *summary,
                                 int          *argc,
                                 char       ***argv);

/* The one normalization of every number the CLI writes or looks up: @raw in E.164, a
 * national number read in @region (NULL: the locale's). FALSE after printing
 * "telebot-cli VERB: why" (an unknown region, not a valid number). */
/* --now TEXT (ISO 8601; NULL: now) as microseconds since the epoch; FALSE if not ISO 8601. */
gboolean    tb_cli_parse_now        (const char    *text,
                                     gint64        *now);
gboolean    tb_cli_normalize_number (const char    *verb,
                                     const char    *raw,
                                     const char    *region,
                                     TbPhoneNumber *number);

/* A test call's number as the test-number list keeps it: E.164 when @raw is a phone number
 * (in @region, NULL: the locale's), else as written (an extension, a SIP URI). */
char       *tb_cli_test_number  (const char   *raw,
                                 const char   *region);

/* Prints one JSON value on a line of stdout. */
void        tb_cli_print_json   (JsonNode     *node);
void        tb_cli_print_object (JsonBuilder  *builder);
/* The one form of a time in the CLI's JSON: member @member is ISO 8601 to the second, in UTC
 * ("2026-03-11T01:00:00Z") or, with @tz_name, in that zone with its offset as GLib writes it
 * ("2026-03-11T09:00:00+08"); null when @usec is 0 or less (never happened, no limit). */
void        tb_cli_add_time     (JsonBuilder  *builder,
                                 const char   *member,
                                 gint64        usec,
                                 const char   *tz_name);
/* Prints "telebot-cli: <message>" on stderr and returns 1. */
int         tb_cli_fail         (const GError *error);
int         tb_cli_fail_usage   (const char   *format,
                                 ...) G_GNUC_PRINTF (1, 2);

/* A command's subcommands ("dnc add", "speech set"…). */
typedef struct {
  const char       *name;
  TbCliCommandFunc  func;
} TbCliSubcommand;

/* Runs the subcommand argv[1] names, with argv[1] as its argv[0]; "--help" or "-h" prints
 * @usage; anything else fails with one line naming @command and its subcommands. */
int         tb_cli_dispatch     (TbCli                 *cli,
                                 int                    argc,
                                 char                 **argv,
                                 const char            *command,
                                 const TbCliSubcommand *subcommands,
                                 guint                  n_subcommands,
                                 const char            *usage);

/* `campaign preflight NAME`: in tb-cli-compliance.c, beside `compliance preflight`. */
int         tb_cli_campaign_preflight (TbCli           *cli,
                                       int              argc,
                                       char           **argv);

/* Reads and checks a script file (against @policies), and saves it in the store under its
 * name: the script's id, 0 with @error set. */
gint64      tb_cli_import_script (TbStore              *store,
                                  const char           *path,
                                  const char           *policies,
                                  TbScript            **out_script,
                                  GError              **error);
#define TB_CLI_COMMAND(name, func, summary) int func (TbCli *cli, int argc, char **argv);
#include "tb-cli-commands.h"
#undef TB_CLI_COMMAND

G_END_DECLS
