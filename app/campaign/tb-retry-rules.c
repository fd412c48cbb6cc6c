/* tb-retry-rules.c — when a campaign calls a contact again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-retry-rules"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-retry-rules.h"

struct _TbRetryRules
{
  int         max_attempts;
  GHashTable *minutes;   /* outcome -> GINT_TO_POINTER (minutes + 1) */
};

static const struct {
  const char *outcome;
  int         minutes;
} defaults[] = {
  { "busy", 30 },
  { "no_answer", 120 },
  { "unreachable", 120 },
  { "failed", 60 },
  { "media_timeout", 60 },
  { "interrupted", 0 },
};

TbRetryRules *
tb_retry_rules_new_from_json (const char  *json,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  TbRetryRules *self = g_new0 (TbRetryRules, 1);
  JsonObject *root;

  self->max_attempts = 3;
  self->minutes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    g_hash_table_insert (self->minutes, g_strdup (defaults[i].outcome),
                         GINT_TO_POINTER (defaults[i].minutes + 1));

  if (json == NULL || *json == '\0')
    return self;

  if (!json_parser_load_from_data (parser, json, -1, error)) {
    g_prefix_error (error, "retry rules: ");
    tb_retry_rules_free (self);
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "retry rules: not a JSON object");
    tb_retry_rules_free (self);
    return NULL;
  }
  root = json_node_get_object (json_parser_get_root (parser));

  if (json_object_has_member (root, "max_attempts"))
    self->max_attempts = MAX (1, (int) json_object_get_int_member (root, "max_attempts"));

  if (json_object_has_member (root, "retry_minutes")) {
    JsonObject *minutes = json_object_get_object_member (root, "retry_minutes");
    g_autoptr(GList) members = minutes ? json_object_get_members (minutes) : NULL;

    for (GList *l = members; l != NULL; l = l->next) {
      gint64 value = json_object_get_int_member (minutes, l->data);

      if (value < 0)
        g_hash_table_remove (self->minutes, l->data);
      else
        g_hash_table_insert (self->minutes, g_strdup (l->data), GINT_TO_POINTER (value + 1));
    }
  }
  return self;
}

void
tb_retry_rules_free (TbRetryRules *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->minutes);
  g_free (self);
}

int
tb_retry_rules_get_max_attempts (const TbRetryRules *self)
{
  return self->max_attempts;
}

gint64
tb_retry_rules_next (const TbRetryRules *self,
                     const char         *outcome,
                     int                 attempts_made,
                     gint64              now)
{
  gpointer minutes;

  if (attempts_made >= self->max_attempts)
    return 0;
  if (!g_hash_table_lookup_extended (self->minutes, outcome, NULL, &minutes))
    return 0;
  /* Never 0: 0 means "done". */
  return MAX (now + (gint64) (GPOINTER_TO_INT (minutes) - 1) * 60 * G_USEC_PER_SEC, 1);
}
