/* tb-store-contacts.c — contacts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-contacts"

#include "config.h"

#include "tb-store-contacts.h"
#include "tb-store-private.h"

#include <string.h>

gint64
tb_store_add_contact (TbStore            *self,
                      gint64              list_id,
                      const TbContactRow *row,
                      GError            **error)
{
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_return_val_if_fail (TB_IS_STORE (self), -1);
  g_return_val_if_fail (row != NULL && row->e164 != NULL, -1);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO contacts (list_id, e164, raw_phone, name, company, email, "
                            "  country, number_type, timezone, persona, fields, source_line, "
                            "  created_at) "
                            "VALUES (:list, :e164, :raw, :name, :company, :email, :country, "
                            "  :type, :tz, :persona, :fields, :line, :now) "
                            "ON CONFLICT (list_id, e164) DO NOTHING", error);
  if (stmt == NULL)
    return -1;
  _tb_bind_int64 (stmt, ":list", list_id);
  _tb_bind_text (stmt, ":e164", row->e164);
  _tb_bind_text (stmt, ":raw", row->raw_phone ? row->raw_phone : row->e164);
  _tb_bind_text (stmt, ":name", row->name);
  _tb_bind_text (stmt, ":company", row->company);
  _tb_bind_text (stmt, ":email", row->email);
  _tb_bind_text (stmt, ":country", row->country);
  _tb_bind_text (stmt, ":type", row->number_type);
  _tb_bind_text (stmt, ":tz", row->timezone);
  _tb_bind_text (stmt, ":persona", row->persona);
  _tb_bind_text (stmt, ":fields", row->fields_json ? row->fields_json : "{}");
  _tb_bind_int64 (stmt, ":line", row->source_line);
  _tb_bind_int64 (stmt, ":now", g_get_real_time ());
  if (!_tb_store_step_done (self, stmt, error))
    return -1;

  db = _tb_store_get_db (self);
  return sqlite3_changes (db) > 0 ? sqlite3_last_insert_rowid (db) : 0;
}

/* After an UPDATE or DELETE of contact @contact_id: whether it touched a row. */
static gboolean
contact_was_changed (TbStore  *self,
                     gint64    contact_id,
                     GError  **error)
{
  if (sqlite3_changes (_tb_store_get_db (self)) > 0)
    return TRUE;
  g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_NOT_FOUND,
               "contact %" G_GINT64_FORMAT " does not exist", contact_id);
  return FALSE;
}

gboolean
tb_store_update_contact (TbStore            *self,
                         gint64              contact_id,
                         const TbContactRow *row,
                         GError            **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (row != NULL && row->e164 != NULL, FALSE);

  stmt = _tb_store_prepare (self,
                            "UPDATE contacts SET e164 = :e164, raw_phone = :raw, name = :name, "
                            "  company = :company, email = :email, country = :country, "
                            "  number_type = :type, timezone = :tz, "
                            "  persona = coalesce (:persona, persona), "
                            "  fields = coalesce (:fields, fields) "
                            "WHERE id = :id", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":id", contact_id);
  _tb_bind_text (stmt, ":e164", row->e164);
  _tb_bind_text (stmt, ":raw", row->raw_phone ? row->raw_phone : row->e164);
  _tb_bind_text (stmt, ":name", row->name);
  _tb_bind_text (stmt, ":company", row->company);
  _tb_bind_text (stmt, ":email", row->email);
  _tb_bind_text (stmt, ":country", row->country);
  _tb_bind_text (stmt, ":type", row->number_type);
  _tb_bind_text (stmt, ":tz", row->timezone);
  _tb_bind_text (stmt, ":persona", row->persona);
  _tb_bind_text (stmt, ":fields", row->fields_json);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT,
                 "%s is already in this list", row->e164);
    return FALSE;
  }
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "update contact", error);
  return contact_was_changed (self, contact_id, error);
}

gboolean
tb_store_delete_contact (TbStore  *self,
                         gint64    contact_id,
                         GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean dialing = FALSE;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  /* A call in progress still writes to its queue row. */
  if ((stmt = _tb_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM queue "
                                 "WHERE contact_id = :id AND state = 'active')", error)) == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":id", contact_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    dialing = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (dialing) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT,
                 "the contact is being called right now");
    return FALSE;
  }
  /* Its calls stay in the history, unlinked (migration 8); its queue rows go. */
  if ((stmt = _tb_store_prepare (self, "DELETE FROM contacts WHERE id = :id", error)) == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":id", contact_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "delete contact", error);
  return contact_was_changed (self, contact_id, error);
}

void
tb_contact_record_free (TbContactRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->e164);
  g_free (record->raw_phone);
  g_free (record->name);
  g_free (record->company);
  g_free (record->email);
  g_free (record->country);
  g_free (record->number_type);
  g_free (record->timezone);
  g_free (record->persona);
  g_free (record->fields_json);
  g_free (record);
}

gboolean
tb_store_contacts_tune_for_import (TbStore  *self,
                                   GError  **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  /* 16 MiB of page cache keeps the (list_id, e164) index hot while a million
   * rows go in, within the import's memory budget. */
  return tb_store_exec (self, "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY", error);
}

#define CONTACT_COLUMNS \
  "c.id, c.list_id, c.e164, c.raw_phone, c.name, c.company, c.email, c.country, " \
  "c.number_type, c.timezone, c.persona, c.fields, c.source_line"

#define CONTACT_FILTER \
  "(:list = 0 OR c.list_id = :list) AND (:q IS NULL OR c.name LIKE :q ESCAPE '\\' " \
  "OR c.e164 LIKE :q ESCAPE '\\' OR c.raw_phone LIKE :q ESCAPE '\\' " \
  "OR c.company LIKE :q ESCAPE '\\' OR c.email LIKE :q ESCAPE '\\')"

static TbContactRecord *
record_from_row (sqlite3_stmt *stmt)
{
  TbContactRecord *r = g_new0 (TbContactRecord, 1);

  r->id = sqlite3_column_int64 (stmt, 0);
  r->list_id = sqlite3_column_int64 (stmt, 1);
  r->e164 = _tb_column_dup_text (stmt, 2);
  r->raw_phone = _tb_column_dup_text (stmt, 3);
  r->name = _tb_column_dup_text (stmt, 4);
  r->company = _tb_column_dup_text (stmt, 5);
  r->email = _tb_column_dup_text (stmt, 6);
  r->country = _tb_column_dup_text (stmt, 7);
  r->number_type = _tb_column_dup_text (stmt, 8);
  r->timezone = _tb_column_dup_text (stmt, 9);
  r->persona = _tb_column_dup_text (stmt, 10);
  r->fields_json = _tb_column_dup_text (stmt, 11);
  r->source_line = sqlite3_column_int64 (stmt, 12);
  return r;
}

static char *
like_pattern (const char *search)
{
  GString *s;

  if (search == NULL || *search == '\0')
    return NULL;
  s = g_string_new ("%");
  for (const char *p = search; *p; p++) {
    if (*p == '%' || *p == '_' || *p == '\\')
      g_string_append_c (s, '\\');
    g_string_append_c (s, *p);
  }
  g_string_append_c (s, '%');
  return g_string_free (s, FALSE);
}

gint64
tb_store_count_contacts (TbStore    *self,
                         gint64      list_id,
                         const char *search)
{
  g_autofree char *q = like_pattern (search);
  sqlite3_stmt *stmt;
  gint64 n = 0;

  g_return_val_if_fail (TB_IS_STORE (self), 0);

  if (q == NULL && list_id > 0)
    stmt = _tb_store_prepare (self, "SELECT count(*) FROM contacts WHERE list_id = :list", NULL);
  else
    stmt = _tb_store_prepare (self, "SELECT count(*) FROM contacts c WHERE " CONTACT_FILTER,
                              NULL);
  if (stmt == NULL)
    return 0;
  _tb_bind_int64 (stmt, ":list", list_id);
  if (sqlite3_bind_parameter_index (stmt, ":q") > 0)
    _tb_bind_text (stmt, ":q", q);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static const char * const sort_order[] = {
  [TB_CONTACT_SORT_ID] = "c.id",
  [TB_CONTACT_SORT_NAME] = "c.name",
  [TB_CONTACT_SORT_PHONE] = "c.e164",
  [TB_CONTACT_SORT_COMPANY] = "c.company",
  [TB_CONTACT_SORT_COUNTRY] = "c.country",
  [TB_CONTACT_SORT_TYPE] = "c.number_type",
};

gboolean
tb_store_list_contacts (TbStore        *self,
                        gint64          list_id,
                        const char     *search,
                        TbContactSort   sort,
                        gboolean        descending,
                        gint64          offset,
                        guint           limit,
                        GPtrArray      *out,
                        GError        **error)
{
  g_autofree char *q = like_pattern (search);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (sort < G_N_ELEMENTS (sort_order), FALSE);

  /* Only whitelisted column names are spliced in; values are bound. */
  sql = g_strdup_printf ("SELECT " CONTACT_COLUMNS ", "
                         "  EXISTS (SELECT 1 FROM dnc d WHERE d.e164 = c.e164 AND "
                         "    (d.expires_at IS NULL OR d.expires_at > :now)) "
                         "FROM contacts c WHERE " CONTACT_FILTER " "
                         "ORDER BY %s %s, c.id %s LIMIT :limit OFFSET :offset",
                         sort_order[sort], descending ? "DESC" : "ASC",
                         descending ? "DESC" : "ASC");
  stmt = _tb_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_int64 (stmt, ":list", list_id);
  _tb_bind_text (stmt, ":q", q);
  _tb_bind_int64 (stmt, ":now", g_get_real_time ());
  _tb_bind_int64 (stmt, ":limit", limit);
  _tb_bind_int64 (stmt, ":offset", offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbContactRecord *r = record_from_row (stmt);

    r->dnc = sqlite3_column_int (stmt, 13) != 0;
    g_ptr_array_add (out, r);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "list contacts", error);
  return TRUE;
}

GArray *
tb_store_list_contact_ids (TbStore        *self,
                           gint64          list_id,
                           const char     *search,
                           TbContactSort   sort,
                           gboolean        descending,
                           GError        **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *q = like_pattern (search);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);
  g_return_val_if_fail (sort < G_N_ELEMENTS (sort_order), NULL);

  /* Only whitelisted column names are spliced in; values are bound. Its own statement: a
   * long list is read while the caller may use the store. */
  sql = g_strdup_printf ("SELECT c.id FROM contacts c WHERE " CONTACT_FILTER " "
                         "ORDER BY %s %s, c.id %s", sort_order[sort],
                         descending ? "DESC" : "ASC", descending ? "DESC" : "ASC");
  rc = sqlite3_prepare_v2 (_tb_store_get_db (self), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK) {
    _tb_store_set_error (self, rc, "list contact ids", error);
    return NULL;
  }
  _tb_bind_int64 (stmt, ":list", list_id);
  _tb_bind_text (stmt, ":q", q);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64 (stmt, 0);

    g_array_append_val (ids, id);
  }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "list contact ids", error);
    return NULL;
  }
  return g_steal_pointer (&ids);
}

gboolean
tb_store_list_contacts_by_ids (TbStore       *self,
                               const gint64  *ids,
                               guint          n_ids,
                               GPtrArray     *out,
                               GError       **error)
{
  g_autoptr(GString) json = g_string_new ("[");
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (json, i ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, ids[i]);
  g_string_append_c (json, ']');
  stmt = _tb_store_prepare (self,
                            "SELECT " CONTACT_COLUMNS ", "
                            "  EXISTS (SELECT 1 FROM dnc d WHERE d.e164 = c.e164 AND "
                            "    (d.expires_at IS NULL OR d.expires_at > :now)) "
                            "FROM json_each (:ids) j JOIN contacts c ON c.id = j.value "
                            "ORDER BY j.key", error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":ids", json->str);
  _tb_bind_int64 (stmt, ":now", g_get_real_time ());
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    TbContactRecord *r = record_from_row (stmt);

    r->dnc = sqlite3_column_int (stmt, 13) != 0;
    g_ptr_array_add (out, r);
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "list contacts", error);
  return TRUE;
}

gboolean
tb_store_foreach_contact (TbStore        *self,
                          gint64          list_id,
                          TbContactFunc   func,
                          gpointer        user_data,
                          GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  /* Its own statement: @func may use the store's cached ones. */
  rc = sqlite3_prepare_v2 (_tb_store_get_db (self),
                           "SELECT " CONTACT_COLUMNS " FROM contacts c "
                           "WHERE (:list = 0 OR c.list_id = :list) ORDER BY c.id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _tb_store_set_error (self, rc, "export contacts", error);
  _tb_bind_int64 (stmt, ":list", list_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    g_autoptr(TbContactRecord) r = record_from_row (stmt);

    if (!func (r, user_data, error)) {
      sqlite3_finalize (stmt);
      return FALSE;
    }
  }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, "export contacts", error);
  return TRUE;
}

GStrv
tb_store_dup_contact_field_keys (TbStore  *self,
                                 gint64    list_id,
                                 GError  **error)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self,
                            "SELECT DISTINCT j.key FROM contacts c, json_each (c.fields) j "
                            "WHERE (:list = 0 OR c.list_id = :list) ORDER BY j.key", error);
  if (stmt == NULL)
    return NULL;
  _tb_bind_int64 (stmt, ":list", list_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (keys, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE) {
    _tb_store_set_error (self, rc, "custom fields", error);
    return NULL;
  }
  return g_strv_builder_end (keys);
}

#define WRITER_BATCH    64
#define WRITER_COLUMNS  14

/* One buffered row: the caller's strings, and their lengths. */
typedef struct {
  const char *text[10];    /* e164, raw, name, company, email, country, type, tz, persona, fields */
  int         len[10];
  gint64      source_line;
} BufferedRow;

struct _TbContactWriter
{
  TbStore      *store;
  sqlite3      *db;
  sqlite3_stmt *batch;     /* WRITER_BATCH rows */
  sqlite3_stmt *single;    /* one row, for the remainder */
  gint64        list_id;
  gint64        import_id; /* 0: none */
  gint64        now;
  BufferedRow   rows[WRITER_BATCH];
  guint         n_rows;
  gint64        added;
  gint64        inserted;
};

static sqlite3_stmt *
prepare_insert (TbStore  *store,
                guint     n_rows,
                GError  **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO contacts (list_id, e164, raw_phone, name, "
                                         "company, email, country, number_type, timezone, "
                                         "persona, fields, source_line, created_at, "
                                         "import_id) VALUES ");
  sqlite3_stmt *stmt = NULL;
  int rc;

  for (guint r = 0; r < n_rows; r++) {
    g_string_append (sql, r ? ",(" : "(");
    for (guint c = 0; c < WRITER_COLUMNS; c++)
      g_string_append_printf (sql, c ? ",?%u" : "?%u", r * WRITER_COLUMNS + c + 1);
    g_string_append_c (sql, ')');
  }
  g_string_append (sql, " ON CONFLICT (list_id, e164) DO NOTHING");
  rc = sqlite3_prepare_v3 (_tb_store_get_db (store), sql->str, -1, SQLITE_PREPARE_PERSISTENT,
                           &stmt, NULL);
  if (rc != SQLITE_OK) {
    _tb_store_set_error (store, rc, "prepare contact insert", error);
    return NULL;
  }
  return stmt;
}

TbContactWriter *
tb_contact_writer_new (TbStore  *store,
                       gint64    list_id,
                       GError  **error)
{
  TbContactWriter *self;
  sqlite3_stmt *batch, *single;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  if ((batch = prepare_insert (store, WRITER_BATCH, error)) == NULL)
    return NULL;
  if ((single = prepare_insert (store, 1, error)) == NULL) {
    sqlite3_finalize (batch);
    return NULL;
  }
  self = g_new0 (TbContactWriter, 1);
  self->store = g_object_ref (store);
  self->db = _tb_store_get_db (store);
  self->batch = batch;
  self->single = single;
  self->list_id = list_id;
  /* One import, one creation time. */
  self->now = g_get_real_time ();
  return self;
}

static void
bind_row (TbContactWriter   *self,
          sqlite3_stmt      *stmt,
          guint              base,
          const BufferedRow *row)
{
  sqlite3_bind_int64 (stmt, base + 1, self->list_id);
  for (guint t = 0; t < G_N_ELEMENTS (row->text); t++) {
    if (row->text[t] == NULL)
      sqlite3_bind_null (stmt, base + 2 + t);
    else
      sqlite3_bind_text (stmt, base + 2 + t, row->text[t], row->len[t], SQLITE_STATIC);
  }
  sqlite3_bind_int64 (stmt, base + 12, row->source_line);
  sqlite3_bind_int64 (stmt, base + 13, self->now);
  if (self->import_id > 0)
    sqlite3_bind_int64 (stmt, base + 14, self->import_id);
  else
    sqlite3_bind_null (stmt, base + 14);
}

static gboolean
step_insert (TbContactWriter  *self,
             sqlite3_stmt     *stmt,
             GError          **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self->store, rc, "insert contacts", error);
  self->inserted += sqlite3_changes (self->db);
  return TRUE;
}

gboolean
tb_contact_writer_flush (TbContactWriter  *self,
                         GError          **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->n_rows == WRITER_BATCH) {
    for (guint r = 0; r < WRITER_BATCH; r++)
      bind_row (self, self->batch, r * WRITER_COLUMNS, &self->rows[r]);
    ok = step_insert (self, self->batch, error);
  } else {
    for (guint r = 0; r < self->n_rows && ok; r++) {
      bind_row (self, self->single, 0, &self->rows[r]);
      ok = step_insert (self, self->single, error);
    }
  }
  self->n_rows = 0;
  return ok;
}

gboolean
tb_contact_writer_add (TbContactWriter    *self,
                       const TbContactRow *row,
                       GError            **error)
{
  BufferedRow *b;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (row != NULL && row->e164 != NULL, FALSE);

  b = &self->rows[self->n_rows++];
  b->text[0] = row->e164;
  b->text[1] = row->raw_phone ? row->raw_phone : row->e164;
  b->text[2] = row->name;
  b->text[3] = row->company;
  b->text[4] = row->email;
  b->text[5] = row->country;
  b->text[6] = row->number_type;
  b->text[7] = row->timezone;
  b->text[8] = row->persona;
  b->text[9] = row->fields_json ? row->fields_json : "{}";
  for (guint t = 0; t < G_N_ELEMENTS (b->text); t++)
    b->len[t] = b->text[t] ? (int) strlen (b->text[t]) : 0;
  b->source_line = row->source_line;
  self->added++;
  if (self->n_rows == WRITER_BATCH)
    return tb_contact_writer_flush (self, error);
  return TRUE;
}

void
tb_contact_writer_set_import (TbContactWriter *self,
                              gint64           import_id)
{
  g_return_if_fail (self != NULL);

  self->import_id = import_id;
}

gint64
tb_contact_writer_get_added (TbContactWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->added;
}

gint64
tb_contact_writer_get_inserted (TbContactWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->inserted;
}

void
tb_contact_writer_free (TbContactWriter *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->batch);
  sqlite3_finalize (self->single);
  g_object_unref (self->store);
  g_free (self);
}
