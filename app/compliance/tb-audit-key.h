/* tb-audit-key.h — the key that signs the audit log, kept out of the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit log's rows are chained with HMAC-SHA256 under a key the database does not hold,
 * so whoever can write the database file cannot rewrite the log and recompute it. The key is
 * a credential (tb-secret.h): the settings only say where it is — "audit-key-keyring" (the
 * keyring, schema com.example.Telebot.AuditKey, attribute "url" = the setting
 * "audit-key-id"), "audit-key-file" (a 0600 file; the default "audit.key" in the data
 * folder), or "audit-key-env" (an environment variable). It is made on first use: from
 * $TELEBOT_AUDIT_KEY when that is set, in the keyring when the window asked for it and a
 * keyring runs, else as the file.
 */
#pragma once

#include "tb-secret.h"
#include "tb-store.h"

G_BEGIN_DECLS

#define TB_AUDIT_KEY_SETTING_ENV     "audit-key-env"
#define TB_AUDIT_KEY_SETTING_FILE    "audit-key-file"
#define TB_AUDIT_KEY_SETTING_KEYRING "audit-key-keyring"
#define TB_AUDIT_KEY_SETTING_ID      "audit-key-id"
#define TB_AUDIT_KEY_ENV_DEFAULT     "TELEBOT_AUDIT_KEY"
#define TB_AUDIT_KEY_FILE            "audit.key"

const TbSecretKind *tb_audit_key_kind          (void);

/* Keys made from now on in this process go to the keyring when one runs on the session bus
 * (the window asks for it; telebot-cli, which runs on servers, does not). */
void                tb_audit_key_set_use_keyring (gboolean   use);

/* Whether the settings say where this database's key is. */
gboolean            tb_audit_key_is_configured (TbStore     *store);

/* The key (cached on @store). Without one configured: %NULL and no error, unless @create,
 * which makes one and points the settings to it (in the caller's transaction); @created
 * (may be NULL) then says whether it is new, rather than a key file found in the data folder
 * that the settings had lost. %NULL with @error when a configured key cannot be read. */
GBytes             *tb_audit_key_dup           (TbStore     *store,
                                                gboolean     create,
                                                gboolean    *created,
                                                GError     **error);

/* After the transaction that pointed the settings to a key made here: committed, the key
 * stays; rolled back, the key is forgotten and the file made for it removed, so the next
 * try starts afresh. */
void                tb_audit_key_settle        (TbStore     *store,
                                                gboolean     committed);

G_END_DECLS
