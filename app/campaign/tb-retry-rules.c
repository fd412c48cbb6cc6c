/* tb-retry-rules.c — when a campaign calls a contact again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-retry-rules"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tb-limits.h"
#include "tb-retry-rules.h"

struct _TbRetryRules
{
  int         max_attempts;
  GHashTable *minutes;   /* outcome -> GINT_TO_POINTER (minutes + 1) */
  char       *beyond;    /* the first value beyond a ceiling, as the user reads it */
};

static const struct {
  const char *outcome;
  int         minutes;
} defaults[] = {
  { "busy", 30 },
  { "no_answer", 120 },
  { "unreachable", 120 },
  { "powered_off", 120 },     /* 关机: the phone is off now, not for good */
  { "failed", 60 },
  { "media_timeout", 60 },
  { "media_failure", 60 },
  { "speech_failure", 60 },   /* the recognizer never heard the callee: call again */
  { "interrupted", TB_RETRY_MIN_MINUTES },
};

static void
note_beyond (TbRetryRules *self,
             char         *text)
{
  if (self->beyond == NULL)
    self->beyond = text;
  else
    g_free (text);
}

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

  if (!tb_limits_parse_json (parser, json, -1, "retry rules", TB_LIMITS_RETRY_RULES_BYTES,
                             error)) {
    tb_retry_rules_free (self);
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "retry rules: not a JSON object");
    tb_retry_rules_free (self);
    return NULL;
  }
  root = json_node_get_object (json_parser_get_root (parser));

  if (json_object_has_member (root, "max_attempts")) {
    gint64 value = json_object_get_int_member (root, "max_attempts");

    if (value > TB_RETRY_MAX_ATTEMPTS)
      note_beyond (self, g_strdup_printf (_("%d attempts per contact is more than the %d a "
                                            "campaign may make: calling one person more often "
                                            "is bombarding"),
                                          (int) MIN (value, G_MAXINT), TB_RETRY_MAX_ATTEMPTS));
    self->max_attempts = (int) CLAMP (value, 1, TB_RETRY_MAX_ATTEMPTS);
  }

  if (json_object_has_member (root, "retry_minutes")) {
    JsonObject *minutes = json_object_get_object_member (root, "retry_minutes");
    g_autoptr(GList) members = minutes ? json_object_get_members (minutes) : NULL;

    for (GList *l = members; l != NULL; l = l->next) {
      gint64 value = json_object_get_int_member (minutes, l->data);

      if (value >= 0 && value < TB_RETRY_MIN_MINUTES)
        note_beyond (self, g_strdup_printf (_("a retry after %s in %d minutes is sooner than "
                                              "%d: nobody is called twice within %d minutes"),
                                            (const char *) l->data, (int) value,
                                            TB_RETRY_MIN_MINUTES, TB_RETRY_MIN_MINUTES));
      if (value < 0)
        g_hash_table_remove (self->minutes, l->data);
      else
        g_hash_table_insert (self->minutes, g_strdup (l->data),
                             GINT_TO_POINTER (MIN (MAX (value, TB_RETRY_MIN_MINUTES),
                                                   60 * 24 * 365) + 1));
    }
  }
  return self;
}

gboolean
tb_retry_rules_check (const char  *json,
                      GError     **error)
{
  g_autoptr(TbRetryRules) rules = tb_retry_rules_new_from_json (json, error);

  if (rules == NULL)
    return FALSE;
  if (rules->beyond != NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Retry rules: %s"),
                 rules->beyond);
    return FALSE;
  }
  return TRUE;
}

void
tb_retry_rules_free (TbRetryRules *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->minutes);
  g_free (self->beyond);
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
