/* tb-limits.h — how much outside input Telebot reads, and how deep it lets JSON nest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing from outside may stop or crash the dialer: a speech server, a script or policy file,
 * a lexicon, a CRM. json-glib's parser recurses once per level of nesting without a limit, so
 * 80,000 '[' crash the process (SIGSEGV); every parser of outside JSON goes through
 * tb_limits_parse_json(), which refuses such text before json-glib sees it. The other parsers
 * keep their limits where they parse: TB_SIP_SDP_MAX_LENGTH (SDP answers),
 * TB_AT_PARSER_MAX_LINE (modem lines), MAX_RECORD_SIZE in tb-csv-reader.c (CSV records), the
 * chunk checks of tb_pcm_parse_wav() (WAV).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Real documents nest 4 to 6 levels (scripts, packs, lexicons, speech answers). */
#define TB_LIMITS_JSON_DEPTH          64

#define TB_LIMITS_SCRIPT_BYTES        (4 * 1024 * 1024)
#define TB_LIMITS_LEXICON_BYTES       (4 * 1024 * 1024)
#define TB_LIMITS_POLICY_BYTES        (1024 * 1024)
#define TB_LIMITS_RETRY_RULES_BYTES   (64 * 1024)
/* A transcription is a few hundred bytes; verbose_json with word timings a few dozen KB. */
#define TB_LIMITS_SPEECH_ANSWER_BYTES (1024 * 1024)
/* A synthesized prompt: a minute of 24 kHz 16-bit audio is 2.9 MB. */
#define TB_LIMITS_SPEECH_AUDIO_BYTES  (32 * 1024 * 1024)
/* What a CRM answers a webhook with is only quoted in a failure message. */
#define TB_LIMITS_WEBHOOK_ANSWER_BYTES (64 * 1024)

/* FALSE with @error when @data is longer than @max_bytes (G_IO_ERROR_MESSAGE_TOO_LARGE) or nests
 * arrays and objects deeper than TB_LIMITS_JSON_DEPTH (G_IO_ERROR_INVALID_DATA); the message
 * names @source and, for depth, the line and column. One pass over the bytes, no allocation:
 * it only counts the brackets json-glib would see (outside strings and comments). */
gboolean tb_limits_check_json (const char  *data,
                               gsize        length,
                               const char  *source,
                               gsize        max_bytes,
                               GError     **error);
/* tb_limits_check_json(), then json_parser_load_from_data(). Syntax errors keep their domain
 * (JSON_PARSER_ERROR) and read "@source:LINE:COLUMN: …" like the limits' own. @length -1: NUL
 * terminated. */
gboolean tb_limits_parse_json (JsonParser  *parser,
                               const char  *data,
                               gssize       length,
                               const char  *source,
                               gsize        max_bytes,
                               GError     **error);
/* Reads a whole file of at most @max_bytes, NUL terminated; refuses a longer one (or an endless
 * one, /dev/zero, a FIFO) after reading @max_bytes + 1, never more. */
gboolean tb_limits_read_file  (const char  *path,
                               gsize        max_bytes,
                               char       **contents,
                               gsize       *length,
                               GError     **error);
/* @object's member @name when it is a string, else NULL: outside JSON may hold 42, null or a
 * list where a string belongs, and json_object_get_string_member() would warn (fatal in tests)
 * rather than refuse it. @object may be NULL. */
const char *tb_limits_string_member (JsonObject  *object,
                                     const char  *name);

G_END_DECLS
