/* tb-limits.c — how much outside input Telebot reads, and how deep it lets JSON nest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-limits"

#include "config.h"

#include "tb-limits.h"

#include <glib/gi18n.h>
#include <string.h>

typedef enum {
  SCAN_CODE,
  SCAN_STRING,       /* "…", with backslash escapes */
  SCAN_SQ_STRING,    /* '…': json-glib's scanner takes them, without escapes */
  SCAN_COMMENT,      /* C comment: json-glib skips them */
} ScanState;

static int
hex4 (const char *data,
      gsize       length,
      gsize       at)
{
  int value = 0;

  if (at + 4 > length)
    return -1;
  for (gsize k = at; k < at + 4; k++) {
    int digit = g_ascii_xdigit_value (data[k]);

    if (digit < 0)
      return -1;
    value = value * 16 + digit;
  }
  return value;
}

/* The length of the escape at @data[@i] (a backslash) in a string, or 0 when it is not one
 * JSON has. json-glib's scanner also takes octal escapes ("\253") and lone UTF-16 surrogates
 * ("\udc00"), and turns both into bytes that are not UTF-8: a speech server's "text" was
 * not valid text. */
static gsize
escape_length (const char *data,
               gsize       length,
               gsize       i)
{
  int high, low;

  if (i + 1 >= length)
    return 1;   /* unterminated: json-glib says so */
  if (strchr ("\"\\/bfnrt", data[i + 1]) != NULL && data[i + 1] != '\0')
    return 2;
  if (data[i + 1] != 'u' || (high = hex4 (data, length, i + 2)) < 0)
    return 0;
  if (high >= 0xDC00 && high <= 0xDFFF)
    return 0;
  if (high < 0xD800 || high > 0xDBFF)
    return 6;
  if (i + 7 >= length || data[i + 6] != '\\' || data[i + 7] != 'u' ||
      (low = hex4 (data, length, i + 8)) < 0xDC00 || low > 0xDFFF)
    return 0;
  return 12;
}

/* In characters, from 1. */
static guint
column_of (const char *data,
           gsize       line_start,
           gsize       i)
{
  guint column = 1;

  for (gsize k = line_start; k < i; k++)
    column += ((guchar) data[k] & 0xC0) != 0x80;
  return column;
}

static void
set_too_large (GError     **error,
               const char  *source,
               gsize        max_bytes)
{
  /* The limits are round numbers: say them as round numbers. */
  if (max_bytes >= 1024 * 1024 && max_bytes % (1024 * 1024) == 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, _("%s: larger than %u MB"),
                 source, (guint) (max_bytes / (1024 * 1024)));
  else if (max_bytes >= 1024 && max_bytes % 1024 == 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, _("%s: larger than %u KB"),
                 source, (guint) (max_bytes / 1024));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                 _("%s: larger than %u bytes"), source, (guint) MIN (max_bytes, G_MAXUINT));
}

gboolean
tb_limits_check_json (const char  *data,
                      gsize        length,
                      const char  *source,
                      gsize        max_bytes,
                      GError     **error)
{
  ScanState state = SCAN_CODE;
  gsize line_start = 0;
  guint line = 1;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  if (length > max_bytes) {
    set_too_large (error, source, max_bytes);
    return FALSE;
  }
  for (gsize i = 0; i < length; i++) {
    char c = data[i];

    if (c == '\n') {
      line++;
      line_start = i + 1;
    }
    switch (state) {
    case SCAN_STRING:
      if (c == '\\') {
        gsize n = escape_length (data, length, i);

        if (n == 0) {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s:%u:%u: not a JSON escape in a string"), source, line,
                       column_of (data, line_start, i));
          return FALSE;
        }
        i += n - 1;
      } else if (c == '"') {
        state = SCAN_CODE;
      }
      break;
    case SCAN_SQ_STRING:
      if (c == '\'')
        state = SCAN_CODE;
      break;
    case SCAN_COMMENT:
      /* The scanner looks for the end from the opening star on: a slash, star, slash is a
       * whole comment. */
      if (c == '*' && i + 1 < length && data[i + 1] == '/') {
        state = SCAN_CODE;
        i++;
      }
      break;
    case SCAN_CODE:
      if (c == '"') {
        state = SCAN_STRING;
      } else if (c == '\'') {
        state = SCAN_SQ_STRING;
      } else if (c == '/' && i + 1 < length && data[i + 1] == '*') {
        state = SCAN_COMMENT;
      } else if (c == '[' || c == '{') {
        if (++depth > TB_LIMITS_JSON_DEPTH) {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s:%u:%u: nested deeper than %d levels"), source, line,
                       column_of (data, line_start, i), TB_LIMITS_JSON_DEPTH);
          return FALSE;
        }
      } else if ((c == ']' || c == '}') && depth > 0) {
        depth--;
      }
      break;
    default:
      g_assert_not_reached ();
    }
  }
  return TRUE;
}

gboolean
tb_limits_parse_json (JsonParser  *parser,
                      const char  *data,
                      gssize       length,
                      const char  *source,
                      gsize        max_bytes,
                      GError     **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);
  g_return_val_if_fail (data != NULL || length <= 0, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  if (data == NULL)
    data = "";
  if (length < 0)
    length = strlen (data);
  if (!tb_limits_check_json (data, length, source, max_bytes, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, data, length, &local)) {
    /* json-glib says "<data>:3:14: Parse error: …"; name the real input. */
    if (g_str_has_prefix (local->message, "<data>:"))
      g_set_error (error, local->domain, local->code, "%s%s", source,
                   local->message + strlen ("<data>"));
    else
      g_set_error (error, local->domain, local->code, "%s: %s", source, local->message);
    return FALSE;
  }
  return TRUE;
}

gboolean
tb_limits_read_file (const char  *path,
                     gsize        max_bytes,
                     char       **contents,
                     gsize       *length,
                     GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  gsize chunk = 64 * 1024;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  file = g_file_new_for_path (path);
  if ((in = g_file_read (file, NULL, error)) == NULL)
    return FALSE;
  bytes = g_byte_array_new ();
  for (;;) {
    gsize want = MIN (chunk, max_bytes + 1 - bytes->len);
    gsize old = bytes->len;
    gsize got = 0;

    g_byte_array_set_size (bytes, old + want);
    if (!g_input_stream_read_all (G_INPUT_STREAM (in), bytes->data + old, want, &got, NULL,
                                  error))
      return FALSE;
    g_byte_array_set_size (bytes, old + got);
    if (bytes->len > max_bytes) {
      set_too_large (error, path, max_bytes);
      return FALSE;
    }
    if (got < want)
      break;
  }
  if (length != NULL)
    *length = bytes->len;
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  *contents = (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
  return TRUE;
}

const char *
tb_limits_string_member (JsonObject *object,
                         const char *name)
{
  JsonNode *node;

  g_return_val_if_fail (name != NULL, NULL);

  node = object != NULL ? json_object_get_member (object, name) : NULL;
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}
