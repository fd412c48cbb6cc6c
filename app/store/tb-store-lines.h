/* tb-store-lines.h — the lines table: listing, editing and removing line configurations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows are created with tb_store_add_line (tb-store-config.h). The config column is a JSON
 * object per kind; it never holds a secret (passwords live in libsecret or the environment).
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64    id;
  char     *name;
  char     *kind;        /* "sim", "sip" or "modem" */
  char     *config;      /* JSON object */
  int       max_calls;
  gboolean  enabled;
  gint64    created_at;  /* µs since the epoch */
} TbLineRow;

void       tb_line_row_free       (TbLineRow   *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbLineRow, tb_line_row_free)

/* Every line, by name. Returns: (transfer full) (element-type TbLineRow). */
GPtrArray *tb_store_list_lines    (TbStore     *self,
                                   GError     **error);
/* NULL with TB_STORE_ERROR_NOT_FOUND when there is no line @name. */
TbLineRow *tb_store_get_line      (TbStore     *self,
                                   const char  *name,
                                   GError     **error);
gboolean   tb_store_update_line   (TbStore     *self,
                                   const char  *name,
                                   const char  *config_json,
                                   int          max_calls,
                                   gboolean     enabled,
                                   GError     **error);
/* Fails with TB_STORE_ERROR_CONSTRAINT when a campaign or an attempt refers to the line. */
gboolean   tb_store_remove_line   (TbStore     *self,
                                   const char  *name,
                                   GError     **error);

G_END_DECLS
