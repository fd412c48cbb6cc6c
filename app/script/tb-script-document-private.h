/* tb-script-document-private.h — shared by tb-script-document*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-script-document.h"

G_BEGIN_DECLS

void        _tb_script_document_begin_change (TbScriptDocument *self,
                                              const char       *merge_key);
void        _tb_script_document_end_change   (TbScriptDocument *self);
JsonObject *_tb_script_document_get_object   (TbScriptDocument *self,
                                              const char       *member,
                                              gboolean          create);
JsonObject *_tb_script_document_get_node     (TbScriptDocument *self,
                                              const char       *node_id);

const char *_tb_json_get_string              (JsonObject       *object,
                                              const char       *member);
GStrv       _tb_json_dup_member_names        (JsonObject       *object);
gint64      _tb_json_get_int                 (JsonObject       *object,
                                              const char       *member,
                                              gint64            fallback);
double      _tb_json_get_double              (JsonObject       *object,
                                              const char       *member,
                                              double            fallback);
gboolean    _tb_json_get_boolean             (JsonObject       *object,
                                              const char       *member,
                                              gboolean          fallback);

G_END_DECLS
