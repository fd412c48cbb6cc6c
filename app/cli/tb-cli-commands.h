/* tb-cli-commands.h — one line per top-level command of telebot-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TB_CLI_COMMAND (name, function, summary); kept one per line so branches can add theirs.
 */
TB_CLI_COMMAND ("db", tb_cli_db, N_("Show the database's path and schema version"))
TB_CLI_COMMAND ("demo", tb_cli_demo, N_("Fill the database with the demo campaign"))
TB_CLI_COMMAND ("script", tb_cli_script, N_("Check, simulate and import call scripts"))
TB_CLI_COMMAND ("campaign", tb_cli_campaign, N_("Create and run campaigns"))
TB_CLI_COMMAND ("call", tb_cli_call, N_("Place one call with a script and print its result"))
TB_CLI_COMMAND ("contacts", tb_cli_contacts, N_("Import and export contact lists (CSV)"))
TB_CLI_COMMAND ("dnc", tb_cli_dnc, N_("Manage the do-not-call list"))
TB_CLI_COMMAND ("compliance", tb_cli_compliance, N_("Check a number against the compliance rules"))
TB_CLI_COMMAND ("policy", tb_cli_policy, N_("List and show the compliance policy packs"))
TB_CLI_COMMAND ("audit", tb_cli_audit, N_("Verify or export the audit log"))
TB_CLI_COMMAND ("consent", tb_cli_consent, N_("Manage the consent ledger"))
TB_CLI_COMMAND ("webhook", tb_cli_webhook, N_("Send results to a CRM webhook: set, status, log, deliver, test"))
TB_CLI_COMMAND ("calls", tb_cli_calls, N_("Export calls and leads as CSV or JSON"))
TB_CLI_COMMAND ("transcribe", tb_cli_transcribe, N_("Transcribe an audio file with a recognizer"))
TB_CLI_COMMAND ("line", tb_cli_line, N_("Add, list, remove and test phone lines"))
TB_CLI_COMMAND ("modem", tb_cli_modem, N_("Probe a USB voice modem or make a test call through it"))
TB_CLI_COMMAND ("speech", tb_cli_speech, N_("Choose the speech service calls listen with"))
TB_CLI_COMMAND ("understanding", tb_cli_understanding, N_("Check a lexicon of your own; show what a sentence is understood as"))
TB_CLI_COMMAND ("announcement", tb_cli_announcement, N_("Carrier announcements: add your own, list, check a recording; vacant numbers"))
