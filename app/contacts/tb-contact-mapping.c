/* tb-contact-mapping.c — which CSV column is the name, the phone, …
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-contact-mapping"

#include "config.h"

#include "tb-contact-mapping.h"

#include <string.h>

struct _TbContactMapping
{
  GPtrArray *headers;    /* char *, one per column */
  gboolean   has_header;
  int        columns[TB_CONTACT_N_FIELDS];
};

static const char * const field_keys[TB_CONTACT_N_FIELDS] = {
  "name", "phone", "company", "email", "timezone", "persona", "reason",
};

/* Header names as Excel, WPS and Chinese CRMs write them; compared after
 * folding case and dropping spaces, '_' and '-'. */
static const char * const aliases[TB_CONTACT_N_FIELDS][16] = {
  [TB_CONTACT_FIELD_NAME] = { "name", "fullname", "contact", "contactname", "姓名", "联系人",
                              "名字", "客户姓名", "客户名称", NULL },
  [TB_CONTACT_FIELD_PHONE] = { "phone", "mobile", "tel", "telephone", "phonenumber", "number",
                               "cell", "cellphone", "e164", "电话", "手机", "手机号", "联系电话",
                               "手机号码", "电话号码", NULL },
  [TB_CONTACT_FIELD_COMPANY] = { "company", "organization", "organisation", "business",
                                 "公司", "单位", "公司名称", NULL },
  [TB_CONTACT_FIELD_EMAIL] = { "email", "mail", "emailaddress", "邮箱", "电子邮件", "邮件",
                               NULL },
  [TB_CONTACT_FIELD_TIMEZONE] = { "timezone", "tz", "时区", NULL },
  [TB_CONTACT_FIELD_PERSONA] = { "persona", NULL },
  [TB_CONTACT_FIELD_REASON] = { "reason", "原因", "备注", NULL },
};

static char *
fold_header (const char *header)
{
  /* A header row can be a rejected row (bytes in the wrong encoding): GLib's
   * UTF-8 functions must only ever see valid text. */
  g_autofree char *valid = g_utf8_make_valid (header, -1);
  g_autofree char *down = g_utf8_casefold (valid, -1);
  GString *s = g_string_new (NULL);

  for (const char *p = down; *p; p++)
    if (*p != ' ' && *p != '_' && *p != '-' && *p != '\t')
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

int
tb_contact_field_from_header (const char *header)
{
  g_autofree char *folded = NULL;

  if (header == NULL)
    return -1;
  folded = fold_header (header);
  for (int f = 0; f < TB_CONTACT_N_FIELDS; f++)
    for (guint i = 0; aliases[f][i] != NULL; i++)
      if (g_str_equal (folded, aliases[f][i]))
        return f;
  return -1;
}

const char *
tb_contact_field_get_key (TbContactField field)
{
  g_return_val_if_fail (field < TB_CONTACT_N_FIELDS, NULL);

  return field_keys[field];
}

static gboolean
looks_like_phone (const char *cell)
{
  guint digits = 0, other = 0;

  for (const char *p = cell; *p; p++) {
    if (g_ascii_isdigit (*p))
      digits++;
    else if (strchr (" +-().", *p) == NULL)
      other++;
  }
  return digits >= 6 && other == 0;
}

static TbContactMapping *
mapping_new (guint n_columns)
{
  TbContactMapping *self = g_new0 (TbContactMapping, 1);

  self->headers = g_ptr_array_new_with_free_func (g_free);
  for (guint f = 0; f < TB_CONTACT_N_FIELDS; f++)
    self->columns[f] = -1;
  for (guint i = 0; i < n_columns; i++)
    g_ptr_array_add (self->headers, g_strdup_printf ("column_%u", i + 1));
  return self;
}

TbContactMapping *
tb_contact_mapping_new_from_first_row (const char * const *cells,
                                       guint               n_cells)
{
  TbContactMapping *self = mapping_new (n_cells);
  gboolean named = FALSE, phone_like = FALSE;

  for (guint i = 0; i < n_cells; i++) {
    int f = tb_contact_field_from_header (cells[i]);

    if (f >= 0 && self->columns[f] < 0) {
      self->columns[f] = i;
      named = TRUE;
    }
    if (looks_like_phone (cells[i]))
      phone_like = TRUE;
  }

  /* A header names a known field, or at least holds no phone number. */
  self->has_header = named || !phone_like;
  if (self->has_header) {
    for (guint i = 0; i < n_cells; i++) {
      g_autofree char *trimmed = g_strstrip (g_utf8_make_valid (cells[i], -1));

      if (*trimmed != '\0' && !g_ptr_array_find_with_equal_func (self->headers, trimmed,
                                                                  g_str_equal, NULL)) {
        g_free (self->headers->pdata[i]);
        self->headers->pdata[i] = g_steal_pointer (&trimmed);
      }
    }
  } else {
    for (guint f = 0; f < TB_CONTACT_N_FIELDS; f++)
      self->columns[f] = -1;
    tb_contact_mapping_guess_from_row (self, cells, n_cells);
  }
  return self;
}

void
tb_contact_mapping_free (TbContactMapping *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->headers);
  g_free (self);
}

TbContactMapping *
tb_contact_mapping_copy (const TbContactMapping *self)
{
  TbContactMapping *copy = mapping_new (0);

  for (guint i = 0; i < self->headers->len; i++)
    g_ptr_array_add (copy->headers, g_strdup (self->headers->pdata[i]));
  copy->has_header = self->has_header;
  memcpy (copy->columns, self->columns, sizeof copy->columns);
  return copy;
}

gboolean
tb_contact_mapping_has_header (const TbContactMapping *self)
{
  return self->has_header;
}

void
tb_contact_mapping_set_has_header (TbContactMapping *self,
                                   gboolean          has_header)
{
  if (self->has_header == !!has_header)
    return;
  self->has_header = !!has_header;
  if (!has_header) {
    for (guint i = 0; i < self->headers->len; i++) {
      g_free (self->headers->pdata[i]);
      self->headers->pdata[i] = g_strdup_printf ("column_%u", i + 1);
    }
  }
}

guint
tb_contact_mapping_get_n_columns (const TbContactMapping *self)
{
  return self->headers->len;
}

const char *
tb_contact_mapping_get_header (const TbContactMapping *self,
                               guint                   column)
{
  g_return_val_if_fail (column < self->headers->len, NULL);

  return self->headers->pdata[column];
}

int
tb_contact_mapping_get_column (const TbContactMapping *self,
                               TbContactField          field)
{
  g_return_val_if_fail (field < TB_CONTACT_N_FIELDS, -1);

  return self->columns[field];
}

void
tb_contact_mapping_set_column (TbContactMapping *self,
                               TbContactField    field,
                               int               column)
{
  g_return_if_fail (field < TB_CONTACT_N_FIELDS);

  /* One column maps to at most one field. */
  if (column >= 0)
    for (guint f = 0; f < TB_CONTACT_N_FIELDS; f++)
      if (self->columns[f] == column)
        self->columns[f] = -1;
  self->columns[field] = column;
}

gboolean
tb_contact_mapping_is_custom (const TbContactMapping *self,
                              guint                   column)
{
  for (guint f = 0; f < TB_CONTACT_N_FIELDS; f++)
    if (self->columns[f] == (int) column)
      return FALSE;
  return TRUE;
}

gboolean
tb_contact_mapping_apply_spec (TbContactMapping  *self,
                               const char        *spec,
                               GError           **error)
{
  g_auto(GStrv) items = NULL;

  if (spec == NULL || *spec == '\0')
    return TRUE;

  items = g_strsplit (spec, ",", -1);
  for (guint i = 0; items[i] != NULL; i++) {
    g_autofree char *key = NULL;
    const char *eq = strchr (items[i], '=');
    const char *value;
    int field = -1, column = -1;
    char *end = NULL;
    guint64 number;

    if (eq == NULL) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--map: “%s” is not FIELD=COLUMN", items[i]);
      return FALSE;
    }
    key = g_strstrip (g_strndup (items[i], eq - items[i]));
    value = eq + 1;
    for (guint f = 0; f < TB_CONTACT_N_FIELDS; f++)
      if (g_ascii_strcasecmp (key, field_keys[f]) == 0)
        field = f;
    if (field < 0) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--map: unknown field “%s” (name, phone, company, email, timezone, persona)",
                   key);
      return FALSE;
    }

    number = g_ascii_strtoull (value, &end, 10);
    if (end != value && *end == '\0') {
      if (number < 1 || number > self->headers->len) {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--map: %s=%s: the file has columns 1 to %u", key, value,
                     self->headers->len);
        return FALSE;
      }
      column = number - 1;
    } else if (*value == '\0' || g_ascii_strcasecmp (value, "none") == 0) {
      column = -1;
    } else {
      for (guint c = 0; c < self->headers->len; c++)
        if (g_ascii_strcasecmp (self->headers->pdata[c], value) == 0)
          column = c;
      if (column < 0) {
        g_autofree char *names = NULL;

        g_ptr_array_add (self->headers, NULL);
        names = g_strjoinv (", ", (char **) self->headers->pdata);
        g_ptr_array_remove_index (self->headers, self->headers->len - 1);
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--map: %s=%s: no column has that header (columns: %s)", key, value,
                     names);
        return FALSE;
      }
    }
    tb_contact_mapping_set_column (self, field, column);
  }
  return TRUE;
}

void
tb_contact_mapping_guess_from_row (TbContactMapping   *self,
                                   const char * const *cells,
                                   guint               n_cells)
{
  if (self->columns[TB_CONTACT_FIELD_PHONE] >= 0)
    return;
  for (guint i = 0; i < n_cells && i < self->headers->len; i++) {
    if (looks_like_phone (cells[i]) && tb_contact_mapping_is_custom (self, i)) {
      self->columns[TB_CONTACT_FIELD_PHONE] = i;
      break;
    }
  }
  /* Without a header, the first text column before the phone is the name. */
  if (!self->has_header && self->columns[TB_CONTACT_FIELD_NAME] < 0 &&
      self->columns[TB_CONTACT_FIELD_PHONE] > 0)
    self->columns[TB_CONTACT_FIELD_NAME] = 0;
}
