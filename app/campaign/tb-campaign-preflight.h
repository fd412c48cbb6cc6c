/* tb-campaign-preflight.h — the pre-flight report of a campaign: its contacts and its script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The New Campaign dialog, the Campaigns page and `telebot-cli campaign preflight` share
 * these, so they say the same: the contact survey (in a worker thread on its own store
 * connection for the window, a long list must not freeze it; cancellable between two
 * contacts), the script check (pure and fast) and the sentences that report both.
 */
#pragma once

#include <gio/gio.h>

#include "tb-dial-gate.h"
#include "tb-line.h"
#include "tb-store.h"

G_BEGIN_DECLS

/* Surveys the contacts of campaign @campaign_id (when > 0) or else of list @list_id under
 * @packs, at @now (µs), on @store. Nothing is audited. */
TbPreflight *tb_campaign_preflight_run          (TbStore              *store,
                                                 gint64                campaign_id,
                                                 gint64                list_id,
                                                 const char           *packs,
                                                 gint64                now,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
/* The same in a thread with its own connection to @store's database. */
void         tb_campaign_preflight_run_async    (TbStore              *store,
                                                 gint64                campaign_id,
                                                 gint64                list_id,
                                                 const char           *packs,
                                                 gint64                now,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
TbPreflight *tb_campaign_preflight_run_finish   (GAsyncResult         *result,
                                                 GError              **error);

/* "12 contacts: 10 can be called now, 2 blocked — R3 calling window: 2 (e.g. “…”)". */
char        *tb_campaign_preflight_describe     (const TbPreflight    *report);

/* Whether anybody on the list can be called, now or by waiting (a window, a cap). */
gboolean     tb_campaign_preflight_get_dialable (const TbPreflight    *report);
/* The contacts R5 blocks: no record of a consent the rules ask for. */
guint        tb_campaign_preflight_get_need_consent (const TbPreflight *report);
/* When nobody can be called now (@now, µs), why, and when somebody can: "Nobody on this list
 * can be called: 3 contacts need consent (R5)." or "Nobody can be called now: the first call
 * can be made at 08:00 (R3 calling window …)."; NULL when somebody can be called now. */
char        *tb_campaign_preflight_describe_blocker (const TbPreflight *report,
                                                 gint64                now);
/* "3 contacts need consent — Import consent…" */
char        *tb_campaign_preflight_consent_link_label (guint           n);
/* @at in the desk's time: "08:00" on @now's day, else with the day. */
char        *tb_campaign_preflight_format_time  (gint64                at,
                                                 gint64                now);

/* The script check of script @script_id for @packs: every problem (TbScriptProblem), errors
 * first; a script that cannot be read or parsed gives one error problem. Never NULL.
 * @keypad_only: (out) (optional): whether its callees answer by keypad only. */
GPtrArray   *tb_campaign_preflight_check_script (TbStore              *store,
                                                 gint64                script_id,
                                                 const char           *script_name,
                                                 const char           *packs,
                                                 gboolean             *keypad_only);
/* "Callees answer by keypad only." — what the pre-flight adds for such a script. */
const char  *tb_campaign_preflight_keypad_note  (void);
/* The message of the first error in @problems, or NULL when there is none. */
const char  *tb_campaign_preflight_first_error  (GPtrArray            *problems);

/* "The line “Office trunk” cannot dial: the provider rejected the user name or password." —
 * what the pre-flight says of line @line_name that cannot be built (@build_error, its
 * technical message) or whose started @line is in ERROR; NULL when neither is known. */
char        *tb_campaign_preflight_describe_line (const char          *line_name,
                                                  TbLine              *line,
                                                  const char          *build_error);
/* The same for line @line_name of @store as this process knows it: built (nothing is opened)
 * to find a missing password or a bad setting, and its live state taken from the line
 * registry when somebody here holds it started (nothing is started).
 * @line: (out) (optional) (transfer none): the registry's started line, or NULL. */
char        *tb_campaign_preflight_check_line   (TbStore             *store,
                                                 const char          *line_name,
                                                 TbLine             **line);

/* The pool of campaign @campaign_id (issue #20), each line checked as by
 * tb_campaign_preflight_check_line(). Returns why the campaign cannot dial — every line's
 * reason — when no line of it can, else NULL. @capacity (out) (optional): what the pool can
 * carry, "3 lines ready, 6 calls at once" (the calls bounded by the campaign's concurrency).
 * @problems (out) (optional) (element-type utf8): each line that cannot dial, why, while
 * others can. */
char        *tb_campaign_preflight_check_lines  (TbStore             *store,
                                                 gint64               campaign_id,
                                                 char               **capacity,
                                                 GPtrArray          **problems);
/* "3 lines ready, 6 calls at once" / "2 of 3 lines ready, 4 calls at once". */
char        *tb_campaign_preflight_describe_capacity (guint            n_ready,
                                                 guint                n_lines,
                                                 int                  calls_at_once);

G_END_DECLS
