/* tb-contact.c — one row of a contact list (or of the DNC list) for list models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-contact"

#include "config.h"

#include "tb-contact.h"

struct _TbContact
{
  GObject          parent_instance;

  /* owned */
  TbContactRecord  record;
  char            *source;      /* DNC entries */
  gint64           created_at;
};

G_DEFINE_FINAL_TYPE (TbContact, tb_contact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_E164,
  PROP_NAME,
  PROP_COMPANY,
  PROP_COUNTRY,
  PROP_NUMBER_TYPE,
  PROP_DNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tb_contact_finalize (GObject *object)
{
  TbContact *self = (TbContact *) object;
  TbContactRecord *r = &self->record;

  g_free (r->e164);
  g_free (r->raw_phone);
  g_free (r->name);
  g_free (r->company);
  g_free (r->email);
  g_free (r->country);
  g_free (r->number_type);
  g_free (r->timezone);
  g_free (r->persona);
  g_free (r->fields_json);
  g_free (self->source);

  G_OBJECT_CLASS (tb_contact_parent_class)->finalize (object);
}

static void
tb_contact_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TbContact *self = TB_CONTACT (object);

  switch (prop_id) {
  case PROP_E164:
    g_value_set_string (value, self->record.e164);
    break;
  case PROP_NAME:
    g_value_set_string (value, self->record.name);
    break;
  case PROP_COMPANY:
    g_value_set_string (value, self->record.company);
    break;
  case PROP_COUNTRY:
    g_value_set_string (value, self->record.country);
    break;
  case PROP_NUMBER_TYPE:
    g_value_set_string (value, self->record.number_type);
    break;
  case PROP_DNC:
    g_value_set_boolean (value, self->record.dnc);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_contact_class_init (TbContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = tb_contact_finalize;
  object_class->get_property = tb_contact_get_property;

  properties[PROP_E164] = g_param_spec_string ("e164", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_COMPANY] = g_param_spec_string ("company", NULL, NULL, NULL, flags);
  properties[PROP_COUNTRY] = g_param_spec_string ("country", NULL, NULL, NULL, flags);
  properties[PROP_NUMBER_TYPE] = g_param_spec_string ("number-type", NULL, NULL, NULL, flags);
  properties[PROP_DNC] = g_param_spec_boolean ("dnc", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_contact_init (TbContact *self)
{
}

TbContact *
tb_contact_new_take_record (TbContactRecord *record)
{
  TbContact *self = g_object_new (TB_TYPE_CONTACT, NULL);

  self->record = *record;
  g_free (record);
  return self;
}

TbContact *
tb_contact_new_take_dnc (TbDncEntry *entry)
{
  TbContact *self = g_object_new (TB_TYPE_CONTACT, NULL);

  self->record.e164 = g_steal_pointer (&entry->e164);
  self->record.name = g_steal_pointer (&entry->reason);
  self->record.dnc = TRUE;
  self->source = g_steal_pointer (&entry->source);
  self->created_at = entry->created_at;
  tb_dnc_entry_free (entry);
  return self;
}

#define GETTER(type, name, expr) \
  type tb_contact_get_##name (TbContact *self) \
  { \
    g_return_val_if_fail (TB_IS_CONTACT (self), 0); \
    return expr; \
  }

GETTER (gint64, id, self->record.id)
GETTER (const char *, e164, self->record.e164)
GETTER (const char *, name, self->record.name)
GETTER (const char *, company, self->record.company)
GETTER (const char *, email, self->record.email)
GETTER (const char *, country, self->record.country)
GETTER (const char *, number_type, self->record.number_type)
GETTER (const char *, timezone, self->record.timezone)
GETTER (const char *, fields_json, self->record.fields_json)
GETTER (const char *, source, self->source)
GETTER (gint64, created_at, self->created_at)
GETTER (gboolean, dnc, self->record.dnc)
