/* tb-store-numbers.h — what carriers said about numbers: the vacant ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

typedef struct {
  char   *e164;
  char   *status;      /* vacant */
  char   *source;      /* announcement, manual */
  char   *detail;
  gint64  attempt_id;  /* 0: none */
  gint64  created_at;
} TbNumberStatus;

void     tb_number_status_clear       (TbNumberStatus *status);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbNumberStatus, tb_number_status_clear)
void     tb_number_status_free        (TbNumberStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbNumberStatus, tb_number_status_free)

/* Records @status for @e164 at @at (µs); a number already recorded keeps its first time and
 * takes the new detail. Use inside the caller's transaction. */
gboolean tb_store_number_status_set    (TbStore         *self,
                                        const char      *e164,
                                        const char      *status,
                                        const char      *source,
                                        const char      *detail,
                                        gint64           attempt_id,
                                        gint64           at,
                                        GError         **error);
/* Whether something is recorded for @e164; fills @out (may be NULL) when it is. */
gboolean tb_store_number_status_lookup (TbStore         *self,
                                        const char      *e164,
                                        TbNumberStatus  *out);
/* FALSE with TB_STORE_ERROR_NOT_FOUND when nothing is recorded. */
gboolean tb_store_number_status_remove (TbStore         *self,
                                        const char      *e164,
                                        GError         **error);
/* Every entry, newest first, as TbNumberStatus *. */
GPtrArray *tb_store_number_status_list (TbStore         *self,
                                        GError         **error);

G_END_DECLS
