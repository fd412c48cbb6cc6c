/* tb-at-parser.c — byte-fed parser of a modem's AT responses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-at-parser"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tb-at-parser.h"

struct _TbAtParser
{
  TbAtLineFunc  func;
  gpointer      user_data;
  GString      *buf;
};

#define MAX_FIELDS 8

/* Splits "a, "b,c" ,3" into trimmed fields, quotes removed, in place in @s. */
static guint
split_fields (char  *s,
              char **fields)
{
  guint n = 0;
  char *p = s;

  while (*p != '\0' && n < MAX_FIELDS) {
    char *start;

    while (*p == ' ')
      p++;
    if (*p == '"') {
      start = ++p;
      while (*p != '\0' && *p != '"')
        p++;
      if (*p == '"')
        *p++ = '\0';
      while (*p != '\0' && *p != ',')
        p++;
    } else {
      start = p;
      while (*p != '\0' && *p != ',')
        p++;
    }
    if (*p == ',') {
      *p++ = '\0';
      fields[n++] = g_strstrip (start);
      if (*p == '\0' && n < MAX_FIELDS)
        fields[n++] = p;  /* a trailing empty field */
    } else {
      fields[n++] = g_strstrip (start);
    }
  }
  return n;
}

static gboolean
parse_int (const char *s,
           int        *out)
{
  char *end = NULL;
  long v;

  if (s == NULL || *s == '\0')
    return FALSE;
  v = strtol (s, &end, 10);
  if (end == s || *end != '\0' || v < G_MININT || v > G_MAXINT)
    return FALSE;
  *out = (int) v;
  return TRUE;
}

/* Fills line->args from the fields that are numbers, up to the first that is not (-1 kept
 * for empty ones so positions hold). */
static void
fields_to_args (TbAtLine  *line,
                char     **fields,
                guint      n_fields,
                guint      max)
{
  line->n_args = 0;
  for (guint i = 0; i < n_fields && i < max && i < TB_AT_LINE_MAX_ARGS; i++) {
    int v;

    if (!parse_int (fields[i], &v)) {
      if (fields[i][0] != '\0')
        break;
      v = -1;
    }
    line->args[line->n_args++] = v;
  }
}

static gboolean
has_prefix_ci (const char *s,
               const char *prefix)
{
  return g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

/* If @text starts with @prefix (case-insensitive), copies what follows into *scratch and
 * splits it into @fields. */
static gboolean
match_fields (const char  *text,
              const char  *prefix,
              char       **scratch,
              char       **fields,
              guint       *n_fields)
{
  if (!has_prefix_ci (text, prefix))
    return FALSE;
  g_free (*scratch);
  *scratch = g_strdup (text + strlen (prefix));
  *n_fields = split_fields (*scratch, fields);
  return TRUE;
}

static int
hhmmss_to_seconds (const char *s)
{
  int v;

  while (*s == ' ' || *s == ':')
    s++;
  if (strlen (s) == 6 && parse_int (s, &v))
    return (v / 10000) * 3600 + ((v / 100) % 100) * 60 + v % 100;
  if (parse_int (s, &v))
    return v;
  return -1;
}

void
tb_at_parse_line (const char  *text,
                  TbAtLine    *line,
                  char       **scratch)
{
  char *fields[MAX_FIELDS] = { NULL };
  guint n = 0;

  memset (line, 0, sizeof *line);
  line->kind = TB_AT_LINE_INFO;
  line->code = -1;
  line->text = text;

  /* Final result codes (V.250 §5.7.1, 27.007 §9.2). */
  if (g_ascii_strcasecmp (text, "OK") == 0) {
    line->kind = TB_AT_LINE_FINAL;
    line->final = TB_AT_FINAL_OK;
  } else if (g_ascii_strcasecmp (text, "ERROR") == 0) {
    line->kind = TB_AT_LINE_FINAL;
    line->final = TB_AT_FINAL_ERROR;
  } else if (match_fields (text, "+CME ERROR:", scratch, fields, &n) ||
             match_fields (text, "+CMS ERROR:", scratch, fields, &n)) {
    line->kind = TB_AT_LINE_FINAL;
    line->final = text[3] == 'E' || text[3] == 'e' ? TB_AT_FINAL_CME_ERROR
                                                   : TB_AT_FINAL_CMS_ERROR;
    if (n > 0 && !parse_int (fields[0], &line->code))
      line->code = -1;
    line->str = n > 0 ? fields[0] : "";
  } else if (g_ascii_strcasecmp (text, "NO CARRIER") == 0) {
    line->kind = TB_AT_LINE_FINAL;
    line->final = TB_AT_FINAL_NO_CARRIER;
  } else if (g_ascii_strcasecmp (text, "BUSY") == 0) {
    line->kind = TB_AT_LINE_FINAL;
    line->final = TB_AT_FINAL_BUSY;
  } else if (g_ascii_strcasecmp (text, "NO ANSWER") == 0) {
    line->kind = TB_AT_LINE_FINAL;
    line->final = TB_AT_FINAL_NO_ANSWER;
  } else if (g_ascii_strcasecmp (text, "NO DIALTONE") == 0 ||
             g_ascii_strcasecmp (text, "NO DIAL TONE") == 0) {
    line->kind = TB_AT_LINE_FINAL;
    line->final = TB_AT_FINAL_NO_DIALTONE;
  } else if (g_ascii_strcasecmp (text, "CONNECT") == 0 || has_prefix_ci (text, "CONNECT ")) {
    line->kind = TB_AT_LINE_FINAL;
    line->final = TB_AT_FINAL_CONNECT;

  /* Unsolicited result codes. */
  } else if (g_ascii_strcasecmp (text, "RING") == 0) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_RING;
  } else if (match_fields (text, "+CRING:", scratch, fields, &n)) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_CRING;
    line->str = n > 0 ? fields[0] : "";
  } else if (match_fields (text, "+CLIP:", scratch, fields, &n)) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_CLIP;
    line->str = n > 0 ? fields[0] : "";
    if (n > 1)
      fields_to_args (line, fields + 1, 1, 1);
  } else if (match_fields (text, "^ORIG:", scratch, fields, &n)) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_HW_ORIG;
    fields_to_args (line, fields, n, 2);
  } else if (match_fields (text, "^CONF:", scratch, fields, &n)) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_HW_CONF;
    fields_to_args (line, fields, n, 1);
  } else if (match_fields (text, "^CONN:", scratch, fields, &n)) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_HW_CONN;
    fields_to_args (line, fields, n, 2);
  } else if (match_fields (text, "^CEND:", scratch, fields, &n)) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_HW_CEND;
    fields_to_args (line, fields, n, 4);
  } else if (g_ascii_strcasecmp (text, "VOICE CALL: BEGIN") == 0) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_VOICE_CALL_BEGIN;
  } else if (has_prefix_ci (text, "VOICE CALL: END")) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_VOICE_CALL_END;
    line->args[0] = hhmmss_to_seconds (text + strlen ("VOICE CALL: END"));
    line->n_args = 1;
  } else if (match_fields (text, "MISSED_CALL:", scratch, fields, &n)) {
    char *sp;

    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_MISSED_CALL;
    /* "MISSED_CALL: 01:23AM 0123456789": the number is the last word. */
    sp = n > 0 ? strrchr (fields[n - 1], ' ') : NULL;
    line->str = sp != NULL ? sp + 1 : (n > 0 ? fields[n - 1] : "");
  } else if (match_fields (text, "^RSSI:", scratch, fields, &n)) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_RSSI;
    fields_to_args (line, fields, n, 1);
  } else if (g_ascii_strcasecmp (text, "^BOOT") == 0 || g_ascii_strcasecmp (text, "RDY") == 0 ||
             g_ascii_strcasecmp (text, "START") == 0) {
    line->kind = TB_AT_LINE_URC;
    line->report = TB_AT_REPORT_BOOT;
  } else if (has_prefix_ci (text, "^BOOT:") || has_prefix_ci (text, "^DSFLOWRPT:") ||
             has_prefix_ci (text, "^MODE:") || has_prefix_ci (text, "^SRVST:") ||
             has_prefix_ci (text, "^SIMST:")) {
    /* Huawei's periodic status chatter: unsolicited, and nothing we act on. */
    line->kind = TB_AT_LINE_URC;

  /* Status lines: responses to their commands, sometimes also sent unasked. */
  } else if (match_fields (text, "+CLCC:", scratch, fields, &n)) {
    line->report = TB_AT_REPORT_CLCC;
    fields_to_args (line, fields, n, 5);
    line->str = n > 5 ? fields[5] : NULL;
  } else if (match_fields (text, "+CSQ:", scratch, fields, &n)) {
    line->report = TB_AT_REPORT_CSQ;
    fields_to_args (line, fields, n, 2);
  } else if (match_fields (text, "+CPIN:", scratch, fields, &n)) {
    line->report = TB_AT_REPORT_CPIN;
    line->str = n > 0 ? fields[0] : "";
  } else if (match_fields (text, "+COPS:", scratch, fields, &n)) {
    line->report = TB_AT_REPORT_COPS;
    fields_to_args (line, fields, n, 2);
    line->str = n > 2 ? fields[2] : NULL;
    if (n > 3 && line->n_args == 2 && parse_int (fields[3], &line->args[2]))
      line->n_args = 3;

  } else if (has_prefix_ci (text, "AT")) {
    line->kind = TB_AT_LINE_ECHO;
  }
}

static void
emit_line (TbAtParser *self)
{
  g_autofree char *valid = NULL;
  g_autofree char *scratch = NULL;
  TbAtLine line;

  if (self->buf->len == 0)
    return;
  valid = g_utf8_make_valid (self->buf->str, self->buf->len);
  g_string_truncate (self->buf, 0);
  g_strstrip (valid);
  if (valid[0] == '\0')
    return;
  tb_at_parse_line (valid, &line, &scratch);
  self->func (&line, self->user_data);
}

TbAtParser *
tb_at_parser_new (TbAtLineFunc func,
                  gpointer     user_data)
{
  TbAtParser *self = g_new0 (TbAtParser, 1);

  g_return_val_if_fail (func != NULL, NULL);
  self->func = func;
  self->user_data = user_data;
  self->buf = g_string_sized_new (128);
  return self;
}

void
tb_at_parser_free (TbAtParser *self)
{
  if (self == NULL)
    return;
  g_string_free (self->buf, TRUE);
  g_free (self);
}

void
tb_at_parser_feed (TbAtParser   *self,
                   const guint8 *data,
                   gsize         len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  for (gsize i = 0; i < len; i++) {
    guint8 b = data[i];

    if (b == '\r' || b == '\n') {
      emit_line (self);
    } else if (b == '\t') {
      if (self->buf->len < TB_AT_PARSER_MAX_LINE)
        g_string_append_c (self->buf, ' ');
    } else if (b < 0x20 || b == 0x7f) {
      /* NUL, XON/XOFF, line noise: never part of a result */
    } else if (self->buf->len < TB_AT_PARSER_MAX_LINE) {
      g_string_append_c (self->buf, (char) b);
    }
  }
}

void
tb_at_parser_reset (TbAtParser *self)
{
  g_return_if_fail (self != NULL);
  g_string_truncate (self->buf, 0);
}

const char *
tb_at_final_to_string (TbAtFinal final)
{
  switch (final) {
  case TB_AT_FINAL_NONE: return "none";
  case TB_AT_FINAL_OK: return "OK";
  case TB_AT_FINAL_ERROR: return "ERROR";
  case TB_AT_FINAL_CME_ERROR: return "+CME ERROR";
  case TB_AT_FINAL_CMS_ERROR: return "+CMS ERROR";
  case TB_AT_FINAL_NO_CARRIER: return "NO CARRIER";
  case TB_AT_FINAL_BUSY: return "BUSY";
  case TB_AT_FINAL_NO_ANSWER: return "NO ANSWER";
  case TB_AT_FINAL_NO_DIALTONE: return "NO DIALTONE";
  case TB_AT_FINAL_CONNECT: return "CONNECT";
  default: return "unknown";
  }
}

int
tb_at_rssi_to_dbm (int rssi)
{
  if (rssi < 0 || rssi > 31)
    return G_MININT;
  return -113 + 2 * rssi;
}
