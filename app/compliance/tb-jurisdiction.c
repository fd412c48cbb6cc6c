/* tb-jurisdiction.c — callee's jurisdiction and time zone from number and fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-jurisdiction"

#include "config.h"

#include "tb-jurisdiction.h"
#include "tb-paths.h"
#include "tb-policy.h"

typedef struct {
  const char *code;      /* calling code digits */
  const char *country;
  const char *zones;     /* comma-separated; NULL: several, unknown */
} CallingCode;

/* Longest prefix wins. Countries with several zones list them all. */
static const CallingCode calling_codes[] = {
  { "1", NULL, NULL },   /* NANP: by area code */
  { "7", "RU", NULL },
  { "20", "EG", "Africa/Cairo" },
  { "27", "ZA", "Africa/Johannesburg" },
  { "30", "GR", "Europe/Athens" },
  { "31", "NL", "Europe/Amsterdam" },
  { "32", "BE", "Europe/Brussels" },
  { "33", "FR", "Europe/Paris" },
  { "34", "ES", "Europe/Madrid,Atlantic/Canary" },
  { "36", "HU", "Europe/Budapest" },
  { "39", "IT", "Europe/Rome" },
  { "40", "RO", "Europe/Bucharest" },
  { "41", "CH", "Europe/Zurich" },
  { "43", "AT", "Europe/Vienna" },
  { "44", "GB", "Europe/London" },
  { "45", "DK", "Europe/Copenhagen" },
  { "46", "SE", "Europe/Stockholm" },
  { "47", "NO", "Europe/Oslo" },
  { "48", "PL", "Europe/Warsaw" },
  { "49", "DE", "Europe/Berlin" },
  { "52", "MX", NULL },
  { "55", "BR", NULL },
  { "60", "MY", "Asia/Kuala_Lumpur" },
  { "61", "AU", NULL },
  { "62", "ID", NULL },
  { "63", "PH", "Asia/Manila" },
  { "64", "NZ", "Pacific/Auckland" },
  { "65", "SG", "Asia/Singapore" },
  { "66", "TH", "Asia/Bangkok" },
  { "81", "JP", "Asia/Tokyo" },
  { "82", "KR", "Asia/Seoul" },
  { "84", "VN", "Asia/Ho_Chi_Minh" },
  { "86", "CN", "Asia/Shanghai" },
  { "90", "TR", "Europe/Istanbul" },
  { "91", "IN", "Asia/Kolkata" },
  { "351", "PT", "Europe/Lisbon,Atlantic/Azores" },
  { "352", "LU", "Europe/Luxembourg" },
  { "353", "IE", "Europe/Dublin" },
  { "358", "FI", "Europe/Helsinki" },
  { "852", "HK", "Asia/Hong_Kong" },
  { "853", "MO", "Asia/Macau" },
  { "886", "TW", "Asia/Taipei" },
  { "971", "AE", "Asia/Dubai" },
  { "972", "IL", "Asia/Jerusalem" },
};

/* Every zone of the contiguous US and beyond: an unknown NANP area code. */
static const char *nanp_unknown_zones =
  "America/New_York,America/Chicago,America/Denver,America/Phoenix,America/Los_Angeles,"
  "America/Anchorage,Pacific/Honolulu";

typedef struct {
  char *region;
  char *zones;
} AreaCode;

static void
area_code_free (gpointer data)
{
  AreaCode *ac = data;

  g_free (ac->region);
  g_free (ac->zones);
  g_free (ac);
}

static GHashTable *
load_area_codes (void)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, area_code_free);
  g_autofree char *path = tb_paths_build_data ("nanp-area-codes.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL)) {
    g_debug ("%s: cannot read the NANP area codes; +1 numbers resolve to every US zone", path);
    return table;
  }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    g_auto(GStrv) cols = NULL;
    AreaCode *ac;

    if (lines[i][0] == '#' || lines[i][0] == '\0')
      continue;
    cols = g_strsplit (lines[i], "\t", -1);
    if (g_strv_length (cols) < 3 || strlen (cols[0]) != 3) {
      g_debug ("%s:%u: not \"NPA<TAB>region<TAB>zones\"", path, i + 1);
      continue;
    }
    ac = g_new0 (AreaCode, 1);
    ac->region = g_strdup (g_strstrip (cols[1]));
    ac->zones = g_strdup (g_strstrip (cols[2]));
    g_hash_table_replace (table, g_strdup (cols[0]), ac);
  }
  return table;
}

static GHashTable *
get_area_codes (void)
{
  static GHashTable *table;

  if (g_once_init_enter (&table))
    g_once_init_leave (&table, load_area_codes ());
  return table;
}

static const char * const *
get_pack_codes (void)
{
  static GStrv codes;

  if (g_once_init_enter (&codes))
    g_once_init_leave (&codes, tb_policy_dup_available_codes ());
  return (const char * const *) codes;
}

static const CallingCode *
lookup_calling_code (const char *e164)
{
  const CallingCode *best = NULL;

  if (e164 == NULL || e164[0] != '+')
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (calling_codes); i++)
    if (g_str_has_prefix (e164 + 1, calling_codes[i].code) &&
        (best == NULL || strlen (calling_codes[i].code) > strlen (best->code)))
      best = &calling_codes[i];
  return best;
}

const char *
tb_jurisdiction_country_for_number (const char *e164)
{
  const CallingCode *cc = lookup_calling_code (e164);
  const AreaCode *ac;
  char npa[4] = { 0 };

  if (cc == NULL)
    return NULL;
  if (cc->country != NULL)
    return cc->country;
  /* NANP: the area code's region names the country. */
  if (strlen (e164) < 5)
    return NULL;
  memcpy (npa, e164 + 2, 3);
  ac = g_hash_table_lookup (get_area_codes (), npa);
  if (ac == NULL)
    return "US";
  if (g_str_has_prefix (ac->region, "US"))
    return "US";
  if (g_str_has_prefix (ac->region, "CA-"))
    return "CA";
  return g_intern_string (ac->region);
}

static void
add_unique (GPtrArray  *array,
            const char *value)
{
  if (value != NULL && *value != '\0' &&
      !g_ptr_array_find_with_equal_func (array, value, g_str_equal, NULL))
    g_ptr_array_add (array, g_strdup (value));
}

static void
add_zones (GPtrArray  *zones,
           const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);

  for (guint i = 0; parts[i]; i++)
    add_unique (zones, g_strstrip (parts[i]));
}

static GStrv
to_strv (GPtrArray *array)
{
  g_ptr_array_add (array, NULL);
  return (GStrv) g_ptr_array_free (array, FALSE);
}

static const char *
pack_for_country (const char *country)
{
  if (country == NULL)
    return NULL;
  if (g_str_equal (country, "GB"))
    return "UK";
  return country;
}

static gboolean
valid_zone (const char *tz)
{
  GTimeZone *zone;

  if (tz == NULL || *tz == '\0')
    return FALSE;
  zone = g_time_zone_new_identifier (tz);
  if (zone == NULL)
    return FALSE;
  g_time_zone_unref (zone);
  return TRUE;
}

void
tb_jurisdiction_free (TbJurisdiction *self)
{
  if (self == NULL)
    return;
  g_free (self->e164);
  g_free (self->country);
  g_strfreev (self->regions);
  g_strfreev (self->packs);
  g_strfreev (self->timezones);
  g_free (self->why);
  g_free (self);
}

/**
 * tb_jurisdiction_resolve:
 *
 * Returns: (transfer full): the candidate packs and zones; never %NULL. An
 *   unknown number resolves to the DEFAULT pack with no zone.
 */
TbJurisdiction *
tb_jurisdiction_resolve (const char *e164,
                         const char *country,
                         const char *timezone,
                         const char *state)
{
  TbJurisdiction *self = g_new0 (TbJurisdiction, 1);
  g_autoptr(GPtrArray) countries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) regions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) zones = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) packs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) why = g_string_new (NULL);
  const char * const *available = get_pack_codes ();
  const CallingCode *cc = lookup_calling_code (e164);
  const char *number_country = tb_jurisdiction_country_for_number (e164);
  gboolean unknown = FALSE;

  self->e164 = g_strdup (e164);
  self->country = g_strdup (number_country);

  if (number_country != NULL) {
    add_unique (countries, number_country);
    g_string_append_printf (why, "calling code +%s → %s", cc->code, number_country);
  } else {
    g_string_append_printf (why, "no known calling code in %s", e164 ? e164 : "(none)");
  }

  if (cc != NULL && g_str_equal (cc->code, "1") && e164 != NULL && strlen (e164) >= 5) {
    char npa[4] = { 0 };
    const AreaCode *ac;

    memcpy (npa, e164 + 2, 3);
    ac = g_hash_table_lookup (get_area_codes (), npa);
    if (ac != NULL) {
      add_unique (regions, ac->region);
      add_zones (zones, ac->zones);
      g_string_append_printf (why, "; area code %s → %s (%s)", npa, ac->region, ac->zones);
    } else {
      add_zones (zones, nanp_unknown_zones);
      g_string_append_printf (why, "; area code %s unknown: every US zone", npa);
    }
  } else if (cc != NULL && cc->zones != NULL) {
    add_zones (zones, cc->zones);
  }

  if (country != NULL && *country != '\0') {
    g_autofree char *c = g_ascii_strup (country, -1);

    if (g_str_equal (c, "UK")) {
      g_free (c);
      c = g_strdup ("GB");
    }
    if (number_country == NULL || !g_str_equal (c, number_country)) {
      add_unique (countries, c);
      g_string_append_printf (why, "; contact's country %s", c);
    }
  }

  if (state != NULL && *state != '\0') {
    g_autofree char *s = g_ascii_strup (state, -1);
    g_autofree char *region = strchr (s, '-') ? g_strdup (s) : g_strdup_printf ("US-%s", s);

    if (g_ptr_array_find_with_equal_func (countries, "US", g_str_equal, NULL)) {
      add_unique (regions, region);
      g_string_append_printf (why, "; contact's state %s", region);
    }
  }

  if (valid_zone (timezone)) {
    g_ptr_array_set_size (zones, 0);
    add_unique (zones, timezone);
    g_string_append_printf (why, "; contact's time zone %s", timezone);
  } else if (timezone != NULL && *timezone != '\0') {
    g_string_append_printf (why, "; contact's time zone \"%s\" is not an IANA zone", timezone);
  }

  for (guint i = 0; i < countries->len; i++) {
    const char *pack = pack_for_country (g_ptr_array_index (countries, i));

    if (g_strv_contains (available, pack))
      add_unique (packs, pack);
    else
      unknown = TRUE;
  }
  for (guint i = 0; i < regions->len; i++)
    if (g_strv_contains (available, g_ptr_array_index (regions, i)))
      add_unique (packs, g_ptr_array_index (regions, i));
  if (unknown || packs->len == 0)
    add_unique (packs, "DEFAULT");

  self->ambiguous = zones->len > 1 || countries->len > 1;
  self->regions = to_strv (g_steal_pointer (&regions));
  self->packs = to_strv (g_steal_pointer (&packs));
  self->timezones = to_strv (g_steal_pointer (&zones));
  self->why = g_string_free (g_steal_pointer (&why), FALSE);
  return self;
}

char *
tb_jurisdiction_dup_timezone (const char *e164)
{
  g_autoptr(TbJurisdiction) j = tb_jurisdiction_resolve (e164, NULL, NULL, NULL);

  if (g_strv_length (j->timezones) != 1)
    return NULL;
  return g_strdup (j->timezones[0]);
}
