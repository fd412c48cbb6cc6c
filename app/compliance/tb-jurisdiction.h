/* tb-jurisdiction.h — whose rules apply to a callee, and in which time zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From the E.164 number (calling code; NANP area code -> state and zone, from
 * data/nanp-area-codes.tsv) and the contact's fields (country, time zone,
 * state). When the answer is not unique, every candidate is listed: every
 * candidate pack applies and the calling window must hold in every candidate
 * zone (COMPLIANCE.md R3).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char     *e164;
  char     *country;     /* ISO 3166 alpha-2 from the number, or NULL */
  GStrv     regions;     /* "US-FL", "CA-ON", ... (may be empty) */
  GStrv     packs;       /* pack codes that apply: "US", "US-FL"; "DEFAULT" when unknown */
  GStrv     timezones;   /* candidate IANA zones; empty when unknown */
  gboolean  ambiguous;   /* more than one zone or country */
  char     *why;         /* how it was decided, for messages and the audit log */
} TbJurisdiction;

void            tb_jurisdiction_free         (TbJurisdiction *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbJurisdiction, tb_jurisdiction_free)

/* Any field may be NULL. @timezone wins over the number when it is a valid
 * IANA zone; @state ("FL" or "US-FL") adds to the area code's state. */
TbJurisdiction *tb_jurisdiction_resolve      (const char *e164,
                                              const char *country,
                                              const char *timezone,
                                              const char *state);

/* The one IANA zone of a number, or NULL when unknown or ambiguous (contact
 * import uses it to fill the time-zone column). */
char           *tb_jurisdiction_dup_timezone (const char *e164);

/* ISO country of an E.164 number by its calling code, or NULL. */
const char     *tb_jurisdiction_country_for_number (const char *e164);

G_END_DECLS
