/* tb-phone.cc — phone numbers via libphonenumber, behind the C API of tb-phone.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The only C++ in Telebot: keep it a thin shim.
 */
#define G_LOG_DOMAIN "tb-phone"

#include "config.h"

#include "tb-phone.h"

#include <phonenumbers/phonenumberutil.h>
#if HAVE_GEOCODING
#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#endif
#include <string.h>
#include <string>
#include <unordered_map>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;
#if HAVE_GEOCODING
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
#endif

G_DEFINE_QUARK (tb-phone-error-quark, tb_phone_error)

static const char *
type_name (PhoneNumberUtil::PhoneNumberType type)
{
  switch (type) {
  case PhoneNumberUtil::FIXED_LINE: return "fixed";
  case PhoneNumberUtil::MOBILE: return "mobile";
  case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return "fixed_or_mobile";
  case PhoneNumberUtil::TOLL_FREE: return "toll_free";
  case PhoneNumberUtil::PREMIUM_RATE: return "premium_rate";
  case PhoneNumberUtil::SHARED_COST: return "shared_cost";
  case PhoneNumberUtil::VOIP: return "voip";
  case PhoneNumberUtil::PERSONAL_NUMBER: return "personal";
  case PhoneNumberUtil::PAGER: return "pager";
  case PhoneNumberUtil::UAN: return "uan";
  case PhoneNumberUtil::VOICEMAIL: return "voicemail";
  case PhoneNumberUtil::UNKNOWN:
  default: return "unknown";
  }
}

static bool
parse_valid (const PhoneNumberUtil *util,
             const std::string     &text,
             const char            *region,
             PhoneNumber           *number)
{
  return util->Parse (text, region, number) == PhoneNumberUtil::NO_PARSING_ERROR &&
         util->IsValidNumber (*number);
}

/* libphonenumber spends ~25 µs per number in ICU regexes. Numbers of one
 * list share their leading digits (area code, exchange, mobile prefix), and
 * validity and type are decided by the leading digits and the length, not by
 * the subscriber's last four digits. So the result for one written shape
 * (region, "+" or not, every digit but the last four, digit count) is kept
 * per thread, and the next number of that shape costs a hash lookup. */
typedef struct {
  std::string prefix;       /* the E.164 without its last four digits */
  char        country[4];
  const char *type;
  int         country_code;
} ShapeResult;

#define SHAPE_CACHE_MAX 65536
#define SHAPE_TAIL      4

static thread_local std::unordered_map<std::string, ShapeResult> shape_cache;

gboolean
tb_phone_normalize (const char     *raw,
                    const char     *region,
                    TbPhoneNumber  *out,
                    GError        **error)
{
  const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance ();
  char upper_region[4] = "US";
  char digits[40];
  std::string text, key, e164, country;
  PhoneNumber number;
  gboolean plus = FALSE, simple = TRUE;
  guint n_digits = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->number_type = "unknown";

  if (region != NULL && *region != '\0') {
    g_strlcpy (upper_region, region, sizeof upper_region);
    for (char *p = upper_region; *p; p++)
      *p = g_ascii_toupper (*p);
  }
  region = upper_region;

  for (const char *p = raw ? raw : ""; *p; p++) {
    if (g_ascii_isdigit (*p)) {
      if (n_digits < sizeof digits - 1)
        digits[n_digits] = *p;
      n_digits++;
    } else if (*p == '+' && n_digits == 0 && !plus) {
      plus = TRUE;
    } else if (strchr (" -.()/", *p) == NULL) {
      simple = FALSE;   /* letters (vanity numbers, "ext."), '#', other marks */
    }
  }
  if (n_digits >= sizeof digits - 1)
    simple = FALSE;
  digits[MIN (n_digits, sizeof digits - 1)] = '\0';

  if (simple && n_digits >= 7) {
    /* region, '+' or ' ', the digits but the tail, '#', the count (as one byte) */
    key.append (region);
    key.push_back (plus ? '+' : ' ');
    key.append (digits, n_digits - SHAPE_TAIL);
    key.push_back ('#');
    key.push_back ((char) ('0' + n_digits));
    auto hit = shape_cache.find (key);
    if (hit != shape_cache.end ()) {
      const ShapeResult &r = hit->second;
      gsize len = r.prefix.size ();

      memcpy (out->e164, r.prefix.data (), len);
      memcpy (out->e164 + len, digits + n_digits - SHAPE_TAIL, SHAPE_TAIL + 1);
      memcpy (out->country, r.country, sizeof out->country);
      out->number_type = r.type;
      out->country_code = r.country_code;
      return TRUE;
    }
  }

  {
    g_autofree char *trimmed = g_strstrip (g_strdup (raw ? raw : ""));

    /* A number broken over lines in a spreadsheet cell is still one number. */
    for (char *p = trimmed; *p; p++)
      if (*p == '\n' || *p == '\r' || *p == '\t')
        *p = ' ';

    if (*trimmed == '\0') {
      g_set_error (error, TB_PHONE_ERROR, TB_PHONE_ERROR_EMPTY, "phone is empty");
      return FALSE;
    }
    if (n_digits < 3) {
      g_set_error (error, TB_PHONE_ERROR, TB_PHONE_ERROR_NOT_A_NUMBER,
                   "phone “%s” is not a number", trimmed);
      return FALSE;
    }
    text = trimmed;
  }

  /* The region's own rules first (trunk prefix, its international prefix),
   * then the forms people write anyway: "00" as an international prefix in
   * regions that dial another one (US: 011), and a country code without "+". */
  {
    std::string all_digits (digits);

    if (!parse_valid (util, text, region, &number) &&
        !(plus && parse_valid (util, "+" + all_digits, region, &number)) &&
        !(all_digits.compare (0, 2, "00") == 0 &&
          parse_valid (util, "+" + all_digits.substr (2), region, &number)) &&
        !(!plus && parse_valid (util, "+" + all_digits, region, &number))) {
      if (util->Parse (text, region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
        g_set_error (error, TB_PHONE_ERROR, TB_PHONE_ERROR_NOT_A_NUMBER,
                     "phone “%s” is not a number", text.c_str ());
      } else {
        std::string guess;

        util->Format (number, PhoneNumberUtil::E164, &guess);
        g_set_error (error, TB_PHONE_ERROR, TB_PHONE_ERROR_INVALID,
                     "phone “%s” is not a valid number in %s (read as %s)", text.c_str (),
                     region, guess.c_str ());
      }
      return FALSE;
    }
  }

  util->Format (number, PhoneNumberUtil::E164, &e164);
  util->GetRegionCodeForNumber (number, &country);
  g_strlcpy (out->e164, e164.c_str (), sizeof out->e164);
  if (country != "ZZ" && country != "001")
    g_strlcpy (out->country, country.c_str (), sizeof out->country);
  out->number_type = type_name (util->GetNumberType (number));
  out->country_code = number.country_code ();

  /* Remember the shape, when the number's tail is the written tail. */
  if (!key.empty () && e164.size () > SHAPE_TAIL &&
      g_str_has_suffix (e164.c_str (), digits + n_digits - SHAPE_TAIL)) {
    ShapeResult r;

    if (shape_cache.size () >= SHAPE_CACHE_MAX)
      shape_cache.clear ();
    r.prefix = e164.substr (0, e164.size () - SHAPE_TAIL);
    memcpy (r.country, out->country, sizeof r.country);
    r.type = out->number_type;
    r.country_code = out->country_code;
    shape_cache.emplace (key, r);
  }
  return TRUE;
}

/* The main region of a country calling code: 44 → "GB" (not Guernsey), 1 → "US". Writes ""
 * for a code no region has. */
void
tb_phone_region_for_country_code (int   country_code,
                                  char  region[4])
{
  const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance ();
  std::string code;

  util->GetRegionCodeForCountryCode (country_code, &code);
  if (code == "ZZ")
    code.clear ();
  g_strlcpy (region, code.c_str (), 4);
}

gboolean
tb_phone_is_known_region (const char *region)
{
  const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance ();
  g_autofree char *upper = NULL;

  if (region == NULL)
    return FALSE;
  upper = g_ascii_strup (region, -1);
  return util->GetCountryCodeForRegion (upper) != 0;
}

#if HAVE_GEOCODING
/* The city a Chinese number rings in ("Beijing", "Changzhou, Jiangsu"), or "" when the
 * geocoding data knows no more than the country. Its lookups are thread-safe. */
static std::string
cn_city (const PhoneNumber &number)
{
  /* C++ initializes function statics once, thread-safely. */
  static const PhoneNumberOfflineGeocoder geocoder;
  static const std::string country = [] {
    icu::UnicodeString name;
    std::string utf8;

    /* What the geocoder says of a number it has no finer data for. */
    icu::Locale ("", "CN").getDisplayCountry (icu::Locale::getEnglish (), name);
    return name.toUTF8String (utf8);
  } ();
  std::string city = geocoder.GetDescriptionForNumber (number, icu::Locale::getEnglish ());

  return city == country ? std::string () : city;
}
#endif

char *
tb_phone_dup_area_key (const char *e164)
{
  const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance ();
  PhoneNumber number;
  std::string national;
  int area_length;

  if (e164 == NULL || !parse_valid (util, e164, "ZZ", &number))
    return NULL;
#if HAVE_GEOCODING
  /* A Chinese mobile has no area code but a home city; a fixed line's area code is a city. */
  if (number.country_code () == 86) {
    std::string city = cn_city (number);

    if (!city.empty ())
      return g_strdup_printf ("86:%s", city.c_str ());
  }
#endif
  area_length = util->GetLengthOfGeographicalAreaCode (number);
  if (area_length <= 0)
    return g_strdup_printf ("%d", number.country_code ());
  util->GetNationalSignificantNumber (number, &national);
  return g_strdup_printf ("%d:%s", number.country_code (),
                          national.substr (0, (size_t) area_length).c_str ());
}

gboolean
tb_phone_area_is_local (const char *callee_key,
                        const char *caller_key)
{
  size_t callee_country, caller_country;

  if (callee_key == NULL || caller_key == NULL)
    return FALSE;
  if (g_str_equal (callee_key, caller_key))
    return TRUE;
  callee_country = strcspn (callee_key, ":");
  caller_country = strcspn (caller_key, ":");
  /* One of them tells only its country: the same country is as local as can be told. */
  return (callee_key[callee_country] == '\0' || caller_key[caller_country] == '\0') &&
         callee_country == caller_country &&
         strncmp (callee_key, caller_key, callee_country) == 0;
}

char *
tb_phone_dup_default_region (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++) {
    const char *underscore = strchr (names[i], '_');
    char region[3];

    if (underscore == NULL || strlen (underscore) < 3)
      continue;
    region[0] = g_ascii_toupper (underscore[1]);
    region[1] = g_ascii_toupper (underscore[2]);
    region[2] = '\0';
    if (tb_phone_is_known_region (region))
      return g_strdup (region);
  }
  return g_strdup ("US");
}
