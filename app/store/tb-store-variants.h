/* tb-store-variants.h — the scripts a campaign compares, and which one each attempt ran
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

typedef enum {
  TB_VARIANT_MODE_NONE,       /* one script: campaigns.script_id */
  TB_VARIANT_MODE_SPLIT,      /* each contact gets one variant, by the shares */
  TB_VARIANT_MODE_PER_RETRY,  /* each retry of a contact runs the next variant */
} TbVariantMode;

#define TB_VARIANTS_MAX 3

typedef struct {
  char   *label;        /* "A", "B", "C" */
  gint64  script_id;
  char   *script_name;
  int     share;        /* percent (split); 0 per retry */
} TbVariantRow;

void tb_variant_row_free (TbVariantRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbVariantRow, tb_variant_row_free)

/* Stores the variants of a campaign that has none yet (labels A, B, C in order). */
gboolean   tb_store_set_campaign_variants (TbStore            *self,
                                           gint64              campaign_id,
                                           TbVariantMode       mode,
                                           const gint64       *script_ids,
                                           const int          *shares,
                                           guint               n_variants,
                                           GError            **error);
/* (element-type TbVariantRow): by label; empty (mode NONE) for a one-script campaign. */
GPtrArray *tb_store_dup_campaign_variants (TbStore            *self,
                                           gint64              campaign_id,
                                           TbVariantMode      *mode,
                                           GError            **error);
gboolean   tb_store_attempt_set_variant   (TbStore            *self,
                                           gint64              attempt_id,
                                           const char         *label,
                                           GError            **error);

G_END_DECLS
