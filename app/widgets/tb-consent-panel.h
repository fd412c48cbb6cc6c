/* tb-consent-panel.h — one contact's consent records, with Add and Revoke
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_CONSENT_PANEL (tb_consent_panel_get_type ())
G_DECLARE_FINAL_TYPE (TbConsentPanel, tb_consent_panel, TB, CONSENT_PANEL, AdwBin)

GtkWidget  *tb_consent_panel_new         (void);
/* Shows the records of @e164 (NULL: nobody); @name heads them. */
void        tb_consent_panel_set_contact (TbConsentPanel *self,
                                          const char     *e164,
                                          const char     *name);
const char *tb_consent_panel_get_e164    (TbConsentPanel *self);
/* Reads the records again (they changed: an import, another window). */
void        tb_consent_panel_reload      (TbConsentPanel *self);

G_END_DECLS
