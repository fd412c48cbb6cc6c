/* tb-crm-event.c — the events Telebot sends to a CRM, built from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-crm-event"

#include "config.h"

#include "tb-crm-event.h"
#include "tb-store-calls.h"
#include "tb-store-outbox.h"

/* What lead.updated adds to the common payload. */
typedef struct {
  const char *old_grade;
  const char *old_follow_up;
  const char *changed_by;
} LeadChange;

/* What contact.opted_out adds. */
typedef struct {
  const char *e164;
  const char *source;
  const char *words;
} OptOut;

char *
tb_crm_format_time (gint64 usec)
{
  g_autoptr(GDateTime) seconds = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *date = NULL;

  if (usec <= 0)
    return NULL;
  seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  dt = g_date_time_add (seconds, usec % G_USEC_PER_SEC);
  date = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  /* Milliseconds: enough for a CRM, and the same width every time. */
  return g_strdup_printf ("%s.%03dZ", date, g_date_time_get_microsecond (dt) / 1000);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       usec)
{
  g_autofree char *text = tb_crm_format_time (usec);

  add_string (b, name, text);
}

static void
add_id (JsonBuilder *b,
        const char  *name,
        gint64       id)
{
  json_builder_set_member_name (b, name);
  if (id > 0)
    json_builder_add_int_value (b, id);
  else
    json_builder_add_null_value (b);
}

/* Adds @json (an object or array in text) as a value, or @fallback when it is
 * missing or not what it should be. */
static void
add_json (JsonBuilder  *b,
          const char   *name,
          const char   *json,
          JsonNodeType  type)
{
  g_autoptr(JsonNode) node = NULL;

  json_builder_set_member_name (b, name);
  if (json != NULL)
    node = json_from_string (json, NULL);
  if (node == NULL || JSON_NODE_TYPE (node) != type) {
    g_clear_pointer (&node, json_node_unref);
    node = json_node_new (type);
    if (type == JSON_NODE_ARRAY)
      json_node_take_array (node, json_array_new ());
    else
      json_node_take_object (node, json_object_new ());
  }
  json_builder_add_value (b, g_steal_pointer (&node));
}

static gboolean
upload_wanted (TbStore *store)
{
  g_autofree char *upload = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_UPLOAD, "false");

  return g_str_equal (upload, "true");
}

static void
add_recording (JsonBuilder        *b,
               TbStore            *store,
               const TbCallRecord *r)
{
  g_autofree char *base = NULL;

  json_builder_set_member_name (b, "recording");
  if (r->recording == NULL || r->recording[0] == '\0') {
    json_builder_add_null_value (b);
    return;
  }
  base = g_path_get_basename (r->recording);
  json_builder_begin_object (b);
  add_string (b, "path", r->recording);
  add_string (b, "file_name", base);
  /* The sender uploads the file as this multipart part when the setting is on. */
  add_string (b, "multipart_part", upload_wanted (store) ? "recording" : NULL);
  json_builder_end_object (b);
}

static void
add_transcript (JsonBuilder        *b,
                const TbCallRecord *r)
{
  gint64 origin = r->answered_at > 0 ? r->answered_at : r->dialed_at;

  json_builder_set_member_name (b, "transcript");
  json_builder_begin_array (b);
  for (guint i = 0; r->turns != NULL && i < r->turns->len; i++) {
    const TbTurn *t = g_ptr_array_index (r->turns, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "seq");
    json_builder_add_int_value (b, t->seq);
    add_string (b, "speaker", t->speaker);
    add_string (b, "node", t->node);
    add_string (b, "text", t->text);
    add_string (b, "intent", t->intent);
    json_builder_set_member_name (b, "confidence");
    if (t->confidence >= 0)
      json_builder_add_double_value (b, t->confidence);
    else
      json_builder_add_null_value (b);
    add_time (b, "started_at", t->started_at);
    add_time (b, "ended_at", t->ended_at);
    json_builder_set_member_name (b, "offset_seconds");
    if (t->started_at > 0 && origin > 0)
      json_builder_add_double_value (b, (t->started_at - origin) / 1e6);
    else
      json_builder_add_null_value (b);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
}

static void
add_call (JsonBuilder        *b,
          TbStore            *store,
          const TbCallRecord *r)
{
  json_builder_set_member_name (b, "call");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "attempt_id");
  json_builder_add_int_value (b, r->attempt_id);
  add_string (b, "number", r->e164);
  add_string (b, "outcome", r->outcome);
  add_string (b, "end_reason", r->end_reason);
  json_builder_set_member_name (b, "protocol_code");
  if (r->protocol_code > 0)
    json_builder_add_int_value (b, r->protocol_code);
  else
    json_builder_add_null_value (b);
  add_string (b, "line", r->line_name);
  add_time (b, "dialed_at", r->dialed_at);
  add_time (b, "answered_at", r->answered_at);
  add_time (b, "ended_at", r->ended_at);
  json_builder_set_member_name (b, "duration_seconds");
  if (r->answered_at > 0 && r->ended_at >= r->answered_at)
    json_builder_add_double_value (b, (r->ended_at - r->answered_at) / 1e6);
  else
    json_builder_add_null_value (b);
  add_string (b, "grade", r->grade);
  json_builder_set_member_name (b, "score");
  if (r->score >= 0)
    json_builder_add_int_value (b, r->score);
  else
    json_builder_add_null_value (b);
  add_json (b, "reasons", r->reasons_json, JSON_NODE_ARRAY);
  json_builder_set_member_name (b, "opt_out");
  json_builder_add_boolean_value (b, r->opt_out);
  add_string (b, "follow_up", r->follow_up);
  add_string (b, "notes", r->notes);
  add_recording (b, store, r);
  add_transcript (b, r);
  json_builder_end_object (b);
}

static void
add_contact (JsonBuilder        *b,
             const TbCallRecord *r)
{
  json_builder_set_member_name (b, "contact");
  json_builder_begin_object (b);
  add_id (b, "id", r->contact_id);
  add_string (b, "number", r->e164);
  add_string (b, "name", r->contact_name);
  add_string (b, "company", r->company);
  add_string (b, "email", r->email);
  add_string (b, "country", r->country);
  add_string (b, "timezone", r->timezone);
  add_string (b, "list", r->list_name);
  add_json (b, "fields", r->fields_json, JSON_NODE_OBJECT);
  json_builder_end_object (b);
}

static void
add_campaign (JsonBuilder        *b,
              const TbCallRecord *r)
{
  json_builder_set_member_name (b, "campaign");
  if (r->campaign_id <= 0) {
    json_builder_add_null_value (b);
    return;
  }
  json_builder_begin_object (b);
  add_id (b, "id", r->campaign_id);
  add_string (b, "name", r->campaign_name);
  add_string (b, "script", r->script_name);
  json_builder_end_object (b);
}

static void
begin_envelope (JsonBuilder *b,
                const char  *event,
                const char  *key)
{
  g_autofree char *now = tb_crm_format_time (g_get_real_time ());

  json_builder_begin_object (b);
  add_string (b, "event", event);
  add_string (b, "id", key);
  json_builder_set_member_name (b, "schema");
  json_builder_add_int_value (b, TB_CRM_PAYLOAD_SCHEMA);
  add_string (b, "occurred_at", now);
  add_string (b, "source", PACKAGE_NAME " " PACKAGE_VERSION);
}

static char *
finish_builder (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static char *
build_event (TbStore           *store,
             const char        *event,
             const char        *key,
             gint64             attempt_id,
             const LeadChange  *change,
             const OptOut      *opt_out,
             GError           **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(TbCallRecord) record = NULL;

  if (attempt_id > 0) {
    record = tb_store_load_call (store, attempt_id, TRUE, error);
    if (record == NULL) {
      g_prefix_error (error, "building %s: ", event);
      return NULL;
    }
  }

  begin_envelope (b, event, key);
  if (record != NULL) {
    add_contact (b, record);
    add_campaign (b, record);
    add_call (b, store, record);
  } else {
    json_builder_set_member_name (b, "contact");
    json_builder_begin_object (b);
    add_string (b, "number", opt_out ? opt_out->e164 : NULL);
    json_builder_end_object (b);
    add_string (b, "campaign", NULL);
    add_string (b, "call", NULL);
  }

  if (change != NULL) {
    json_builder_set_member_name (b, "changes");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "grade");
    json_builder_begin_object (b);
    add_string (b, "from", change->old_grade);
    add_string (b, "to", record ? record->grade : NULL);
    json_builder_end_object (b);
    json_builder_set_member_name (b, "follow_up");
    json_builder_begin_object (b);
    add_string (b, "from", change->old_follow_up);
    add_string (b, "to", record ? record->follow_up : NULL);
    json_builder_end_object (b);
    add_string (b, "by", change->changed_by);
    json_builder_end_object (b);
  }
  if (opt_out != NULL) {
    json_builder_set_member_name (b, "opt_out");
    json_builder_begin_object (b);
    add_string (b, "number", opt_out->e164);
    add_string (b, "source", opt_out->source);
    add_string (b, "words", opt_out->words);
    json_builder_end_object (b);
  }
  return finish_builder (b);
}

/* Whether a comma list setting lets @item through; an empty list lets all. */
static gboolean
list_allows (const char *list,
             const char *item)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (list ? list : ""));
  g_auto(GStrv) items = NULL;

  if (trimmed[0] == '\0')
    return TRUE;
  if (item == NULL)
    return FALSE;
  items = g_strsplit (trimmed, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    if (g_str_equal (g_strstrip (items[i]), item))
      return TRUE;
  return FALSE;
}

gboolean
tb_crm_event_is_wanted (TbStore    *store,
                        const char *event,
                        const char *grade)
{
  g_autofree char *url = NULL;
  g_autofree char *events = NULL;
  g_autofree char *grades = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), FALSE);

  url = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_URL, "");
  if (g_strstrip (url)[0] == '\0')
    return FALSE;
  events = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_EVENTS, "");
  if (!list_allows (events, event))
    return FALSE;
  /* An opt-out always goes when enabled: the CRM must stop calling too. */
  if (g_str_equal (event, TB_CRM_EVENT_CONTACT_OPTED_OUT))
    return TRUE;
  grades = tb_store_dup_setting (store, TB_WEBHOOK_SETTING_GRADES, "");
  return list_allows (grades, grade);
}

static gint64
enqueue (TbStore           *store,
         const char        *event,
         const char        *key,
         gint64             attempt_id,
         const LeadChange  *change,
         const OptOut      *opt_out,
         GError           **error)
{
  g_autoptr(TbOutboxRow) existing = NULL;
  g_autofree char *payload = NULL;

  /* Enqueueing twice (a retried transaction) keeps the first payload. */
  existing = tb_store_outbox_lookup (store, key, NULL);
  if (existing != NULL)
    return 0;
  payload = build_event (store, event, key, attempt_id, change, opt_out, error);
  if (payload == NULL)
    return -1;
  return tb_store_outbox_enqueue (store, event, key, attempt_id, payload, g_get_real_time (),
                                  error);
}

static char *
current_grade (TbStore *store,
               gint64   attempt_id,
               GError **error)
{
  g_autoptr(TbCallRecord) record = tb_store_load_call (store, attempt_id, FALSE, error);

  if (record == NULL)
    return NULL;
  return g_strdup (record->grade ? record->grade : "");
}

gint64
tb_crm_event_enqueue_call_finished (TbStore  *store,
                                    gint64    attempt_id,
                                    GError  **error)
{
  g_autofree char *grade = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), -1);

  if ((grade = current_grade (store, attempt_id, error)) == NULL)
    return -1;
  if (!tb_crm_event_is_wanted (store, TB_CRM_EVENT_CALL_FINISHED, grade[0] ? grade : NULL))
    return 0;
  key = g_strdup_printf ("attempt-%" G_GINT64_FORMAT "-" TB_CRM_EVENT_CALL_FINISHED "-1",
                         attempt_id);
  return enqueue (store, TB_CRM_EVENT_CALL_FINISHED, key, attempt_id, NULL, NULL, error);
}

gint64
tb_crm_event_enqueue_opted_out (TbStore     *store,
                                gint64       attempt_id,
                                const char  *e164,
                                const char  *source,
                                const char  *words,
                                GError     **error)
{
  OptOut opt_out = { e164, source, words };
  g_autofree char *key = NULL;

  g_return_val_if_fail (TB_IS_STORE (store), -1);
  g_return_val_if_fail (e164 != NULL, -1);

  if (!tb_crm_event_is_wanted (store, TB_CRM_EVENT_CONTACT_OPTED_OUT, NULL))
    return 0;
  if (attempt_id > 0)
    key = g_strdup_printf ("attempt-%" G_GINT64_FORMAT "-" TB_CRM_EVENT_CONTACT_OPTED_OUT "-1",
                           attempt_id);
  else
    key = g_strdup_printf ("dnc-%s-%" G_GINT64_FORMAT, e164, g_get_real_time ());
  return enqueue (store, TB_CRM_EVENT_CONTACT_OPTED_OUT, key, attempt_id, NULL, &opt_out,
                  error);
}

gint64
tb_crm_event_enqueue_lead_updated (TbStore     *store,
                                   gint64       attempt_id,
                                   const char  *old_grade,
                                   const char  *old_follow_up,
                                   const char  *changed_by,
                                   GError     **error)
{
  LeadChange change = { old_grade, old_follow_up, changed_by };
  g_autofree char *grade = NULL;
  g_autofree char *key = NULL;
  gint64 n;

  g_return_val_if_fail (TB_IS_STORE (store), -1);

  if ((grade = current_grade (store, attempt_id, error)) == NULL)
    return -1;
  if (!tb_crm_event_is_wanted (store, TB_CRM_EVENT_LEAD_UPDATED, grade[0] ? grade : NULL))
    return 0;
  if ((n = tb_store_outbox_count_for (store, attempt_id, TB_CRM_EVENT_LEAD_UPDATED, error)) < 0)
    return -1;
  key = g_strdup_printf ("attempt-%" G_GINT64_FORMAT "-" TB_CRM_EVENT_LEAD_UPDATED
                         "-%" G_GINT64_FORMAT, attempt_id, n + 1);
  return enqueue (store, TB_CRM_EVENT_LEAD_UPDATED, key, attempt_id, &change, NULL, error);
}

char *
tb_crm_event_build (TbStore     *store,
                    const char  *event,
                    const char  *idempotency_key,
                    gint64       attempt_id,
                    GError     **error)
{
  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  return build_event (store, event, idempotency_key, attempt_id, NULL, NULL, error);
}

char *
tb_crm_event_build_test (const char *idempotency_key)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  begin_envelope (b, TB_CRM_EVENT_TEST, idempotency_key);
  add_string (b, "message", "Telebot can reach this webhook.");
  return finish_builder (b);
}
