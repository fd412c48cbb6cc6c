/* tb-cli-commands.h — one line per top-level command of telebot-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TB_CLI_COMMAND (name, function, summary); kept one per line so branches can add theirs.
 */
TB_CLI_COMMAND ("db", tb_cli_db, N_("Show the database's path and schema version"))
TB_CLI_COMMAND ("demo", tb_cli_demo, N_("Fill the database with the demo campaign"))
TB_CLI_COMMAND ("modem", tb_cli_modem, N_("Probe a USB voice modem or make a test call through it"))
