/* tb-store-contacts.c — contacts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store-contacts"

#include "config.h"

#include "tb-store-contacts.h"
#include "tb-store-private.h"

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
