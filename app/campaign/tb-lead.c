/* tb-lead.c — one graded call, as a list item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-lead"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-lead.h"

struct _TbLead
{
  GObject    parent_instance;

  TbLeadRow *row;
};

G_DEFINE_FINAL_TYPE (TbLead, tb_lead, G_TYPE_OBJECT)

static void
tb_lead_finalize (GObject *object)
{
  TbLead *self = TB_LEAD (object);

  g_clear_pointer (&self->row, tb_lead_row_free);

  G_OBJECT_CLASS (tb_lead_parent_class)->finalize (object);
}

static void
tb_lead_class_init (TbLeadClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_lead_finalize;
}

static void
tb_lead_init (TbLead *self)
{
}

TbLead *
tb_lead_new (TbLeadRow *row)
{
  TbLead *self = g_object_new (TB_TYPE_LEAD, NULL);

  self->row = row;
  return self;
}

const TbLeadRow *
tb_lead_get_row (TbLead *self)
{
  g_return_val_if_fail (TB_IS_LEAD (self), NULL);

  return self->row;
}

GStrv
tb_lead_dup_reasons (TbLead *self)
{
  g_autoptr(GStrvBuilder) reasons = g_strv_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  g_return_val_if_fail (TB_IS_LEAD (self), NULL);

  if (self->row->reasons_json != NULL &&
      json_parser_load_from_data (parser, self->row->reasons_json, -1, NULL) &&
      JSON_NODE_HOLDS_ARRAY (root = json_parser_get_root (parser))) {
    JsonArray *array = json_node_get_array (root);

    for (guint i = 0; i < json_array_get_length (array); i++) {
      JsonNode *item = json_array_get_element (array, i);

      /* A reason is a string, or an object with a "text" member. */
      if (JSON_NODE_HOLDS_VALUE (item))
        g_strv_builder_add (reasons, json_node_get_string (item));
      else if (JSON_NODE_HOLDS_OBJECT (item) &&
               json_object_has_member (json_node_get_object (item), "text"))
        g_strv_builder_add (reasons, json_object_get_string_member (json_node_get_object (item),
                                                                    "text"));
    }
  }
  return g_strv_builder_end (reasons);
}

GListModel *
tb_lead_list_load (TbStore            *store,
                   const TbLeadFilter *filter,
                   GError            **error)
{
  g_autoptr(GPtrArray) rows = tb_store_list_leads (store, filter, error);
  GListStore *list;

  if (rows == NULL)
    return NULL;
  list = g_list_store_new (TB_TYPE_LEAD);
  for (guint i = 0; i < rows->len; i++) {
    g_autoptr(TbLead) lead = tb_lead_new (g_ptr_array_index (rows, i));

    g_list_store_append (list, lead);
  }
  g_ptr_array_set_free_func (rows, NULL);
  return G_LIST_MODEL (list);
}
