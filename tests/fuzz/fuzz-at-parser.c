/* fuzz-at-parser.c — libFuzzer target for the modem's AT response parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is fed in pieces whose sizes come from the input itself, so split reads are
 * fuzzed too. Every line must come out as valid UTF-8 within the length limit, with
 * fields that point into it or into the parser's scratch.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tb-at-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_line (const TbAtLine *line,
            gpointer        user_data)
{
  gsize *count = user_data;
  gsize len = strlen (line->text);

  if (!g_utf8_validate (line->text, -1, NULL) || len == 0 ||
      len > TB_AT_PARSER_MAX_LINE * 3 || line->n_args > TB_AT_LINE_MAX_ARGS)
    __builtin_trap ();
  if (line->str != NULL && !g_utf8_validate (line->str, -1, NULL))
    __builtin_trap ();
  if ((line->kind == TB_AT_LINE_FINAL) != (line->final != TB_AT_FINAL_NONE))
    __builtin_trap ();
  (*count)++;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gsize count = 0;
  TbAtParser *parser = tb_at_parser_new (check_line, &count);
  size_t pos = 0;
  guint step = 0;

  while (pos < size) {
    size_t piece = 1 + (data[step % size] % 17);

    piece = MIN (piece, size - pos);
    tb_at_parser_feed (parser, data + pos, piece);
    pos += piece;
    step++;
  }
  tb_at_parser_feed (parser, (const guint8 *) "\r\n", 2);
  tb_at_parser_free (parser);
  return 0;
}
