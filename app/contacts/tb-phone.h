/* tb-phone.h — phone numbers: E.164 normalization and validation (libphonenumber)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The C face of tb-phone.cc, the project's only C++. Thread-safe.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TB_PHONE_ERROR (tb_phone_error_quark ())

typedef enum {
  TB_PHONE_ERROR_EMPTY,
  TB_PHONE_ERROR_NOT_A_NUMBER,
  TB_PHONE_ERROR_INVALID,
  TB_PHONE_ERROR_REGION,
} TbPhoneError;

GQuark tb_phone_error_quark (void);

/* A normalized number; fixed buffers so a million rows cost no allocation. */
typedef struct {
  char        e164[24];      /* "+8613800138000" */
  char        country[4];    /* ISO 3166 alpha-2, "CN"; "" when unknown */
  const char *number_type;   /* static: "mobile", "fixed", "fixed_or_mobile", "toll_free",
                              * "premium_rate", "shared_cost", "voip", "personal",
                              * "pager", "uan", "voicemail", "unknown" */
  int         country_code;  /* 86 */
} TbPhoneNumber;

/* Normalizes @raw (any formatting; "+", "00" or the region's international
 * prefix; a country code written without "+"; the national trunk prefix) to
 * E.164 with @region (ISO alpha-2, e.g. "CN", "US") for national numbers, and
 * checks that the number is valid in its country. */
gboolean    tb_phone_normalize           (const char     *raw,
                                          const char     *region,
                                          TbPhoneNumber  *number,
                                          GError        **error);
/* The main region of a country calling code (44 → "GB"), "" when none. */
void        tb_phone_region_for_country_code (int         country_code,
                                              char        region[4]);
/* Whether @region is a region libphonenumber knows ("CN", "US", "GB", …). */
gboolean    tb_phone_is_known_region     (const char     *region);
/* Where @e164 rings, as a key that two numbers of one area share (the caller-number pool's
 * local-first rule): "1:212" (a NANP area code), "86:Beijing" (a Chinese number's city, a
 * fixed line or a mobile, from libphonenumber's geocoding data when Telebot has it, else a
 * fixed line's area code, "86:10"), "44:20" (another country's geographic area code), or the
 * bare country code ("44", "86") when the number tells no area (a mobile outside China).
 * NULL when @e164 is not a valid number. */
char       *tb_phone_dup_area_key        (const char     *e164);
/* Whether a caller number of area @caller_key is local to a callee of area @callee_key (both
 * from tb_phone_dup_area_key()): the same area, or the same country when either tells no
 * more than its country. FALSE when either is NULL. */
gboolean    tb_phone_area_is_local       (const char     *callee_key,
                                          const char     *caller_key);
/* The IANA time zone when the number's country has only one (+86 → Asia/Shanghai),
 * else NULL. */
/* The region of the user's locale ("zh_CN.UTF-8" → "CN"), else "US". */
char       *tb_phone_dup_default_region  (void);

G_END_DECLS
