/* tb-region-guess.h — which country a contact file's national numbers are in, from the file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TB_REGION_GUESS_NONE,          /* the file says nothing: keep the user's default */
  TB_REGION_GUESS_NUMBERS,       /* most numbers carry their country code (+86 …) */
  TB_REGION_GUESS_CHINESE,       /* Chinese column names, or a GBK/GB18030 file */
} TbRegionGuessReason;

/* @rows: the file's first rows (GStrv each; the header first when @has_header);
 * @phone_column: the numbers' column, or -1; @encoding: what the reader found ("gbk", …).
 * Returns: (transfer full) (nullable): "CN", "US", …; @reason says why. */
char *tb_region_guess (GPtrArray            *rows,
                       gboolean              has_header,
                       int                   phone_column,
                       const char           *encoding,
                       TbRegionGuessReason  *reason);

G_END_DECLS
