/* tb-line-registry.h — one started line per configuration, shared by everyone who uses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SIP account registers once and a modem's ports have one owner, however many campaigns,
 * Lines pages and test calls use the line at the same time: they all hold the one TbLine the
 * registry started for that configuration (its kind, its settings and its call limit). The
 * last holder's release stops it.
 *
 * (Two sim lines of the same settings are two lines: a sim line's signature has its name.)
 *
 * A changed configuration is a new line: the next acquire builds and starts it, while the
 * holders of the old one keep it until they release it (a campaign's calls are not cut by an
 * edit). A line in error is replaced the same way on the next acquire, so Retry and a
 * restarted campaign try again. Main thread only, like the lines themselves.
 */
#pragma once

#include "tb-line.h"
#include "tb-store.h"

G_BEGIN_DECLS

/* The started line for this configuration, built and started on first use. Returns a new
 * holder's reference (release it with tb_line_registry_release()), or NULL with @error when
 * the line cannot be built (a password nowhere, a bad config). */
TbLine *tb_line_registry_acquire            (const char  *name,
                                             const char  *kind,
                                             const char  *config_json,
                                             int          max_calls,
                                             GError     **error);
/* The line named @line_name in @store (tb_line_config_from_store()). */
TbLine *tb_line_registry_acquire_from_store (TbStore     *store,
                                             const char  *line_name,
                                             gboolean     fast,
                                             GError     **error);
/* Drops one holder's reference; the last one stops the line. */
void    tb_line_registry_release            (TbLine      *line);
/* g_auto(TbLineHold) line = tb_line_registry_acquire…: released when the scope ends. */
typedef TbLine *TbLineHold;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (TbLineHold, tb_line_registry_release, NULL)

/* The line the holders of this configuration share now (in error too: nobody has replaced it
 * yet), without starting one or becoming a holder: for showing a line's live state where
 * starting it would be needless. (transfer none) NULL when nobody holds it. */
TbLine *tb_line_registry_lookup             (const char  *name,
                                             const char  *kind,
                                             const char  *config_json,
                                             int          max_calls);
/* The same for the line named @line_name in @store. */
TbLine *tb_line_registry_lookup_from_store  (TbStore     *store,
                                             const char  *line_name);

/* How many holders @line has (0 for a line the registry does not know): for tests. */
guint   tb_line_registry_get_holders        (TbLine      *line);

G_END_DECLS
