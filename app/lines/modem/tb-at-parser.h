/* tb-at-parser.h — byte-fed parser of a modem's AT responses (V.250 / 27.007 and vendor lines)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure: no I/O, no main loop. Feed it whatever bytes the port gave, in any split; it calls back
 * once per complete line, classified. Lines end at CR or LF (any mix), NUL and other control
 * bytes are dropped, invalid UTF-8 is repaired and overlong lines are cut, so nothing a
 * misbehaving modem sends can wedge it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TB_AT_PARSER_MAX_LINE 1024

typedef enum {
  TB_AT_LINE_INFO,   /* information text: belongs to the pending command, if any */
  TB_AT_LINE_ECHO,   /* the modem echoing a command (ATE1) */
  TB_AT_LINE_FINAL,  /* a final result code: the pending command is over */
  TB_AT_LINE_URC,    /* an unsolicited result code: never part of a command's response */
} TbAtLineKind;

typedef enum {
  TB_AT_FINAL_NONE,
  TB_AT_FINAL_OK,
  TB_AT_FINAL_ERROR,
  TB_AT_FINAL_CME_ERROR,
  TB_AT_FINAL_CMS_ERROR,
  TB_AT_FINAL_NO_CARRIER,
  TB_AT_FINAL_BUSY,
  TB_AT_FINAL_NO_ANSWER,
  TB_AT_FINAL_NO_DIALTONE,
  TB_AT_FINAL_CONNECT,
} TbAtFinal;

/* What a line reports. Status lines (+CLCC, +CSQ, +CPIN, +COPS) are INFO when a command asked
 * for them and may also arrive unasked; they carry their TbAtReport either way. */
typedef enum {
  TB_AT_REPORT_NONE,
  TB_AT_REPORT_RING,             /* RING */
  TB_AT_REPORT_CRING,            /* +CRING: <type>                        str = type */
  TB_AT_REPORT_CLIP,             /* +CLIP: "<number>",<type>              str = number */
  TB_AT_REPORT_HW_ORIG,          /* ^ORIG:<id>,<type>                     args id, type */
  TB_AT_REPORT_HW_CONF,          /* ^CONF:<id>                            args id */
  TB_AT_REPORT_HW_CONN,          /* ^CONN:<id>,<type>                     args id, type */
  TB_AT_REPORT_HW_CEND,          /* ^CEND:<id>,<dur>,<end_status>,<cause> args in order */
  TB_AT_REPORT_CLCC,             /* +CLCC: id,dir,stat,mode,mpty[,"num"]  args, str = number */
  TB_AT_REPORT_VOICE_CALL_BEGIN, /* VOICE CALL: BEGIN (SIMCom) */
  TB_AT_REPORT_VOICE_CALL_END,   /* VOICE CALL: END: <hhmmss>             args seconds */
  TB_AT_REPORT_MISSED_CALL,      /* MISSED_CALL: <time> <number>          str = number */
  TB_AT_REPORT_CSQ,              /* +CSQ: <rssi>,<ber>                    args rssi, ber */
  TB_AT_REPORT_RSSI,             /* ^RSSI:<rssi> (Huawei)                 args rssi */
  TB_AT_REPORT_CPIN,             /* +CPIN: <code>                         str = code */
  TB_AT_REPORT_COPS,             /* +COPS: mode[,fmt,"oper"[,act]]        args, str = oper */
  TB_AT_REPORT_BOOT,             /* ^BOOT..., RDY, START: the modem (re)started */
} TbAtReport;

#define TB_AT_LINE_MAX_ARGS 6

typedef struct {
  TbAtLineKind  kind;
  TbAtFinal     final;
  TbAtReport    report;
  int           code;                       /* +CME/+CMS ERROR number; -1 if given as text */
  int           args[TB_AT_LINE_MAX_ARGS];  /* numeric fields, see TbAtReport */
  guint         n_args;
  const char   *str;                        /* string field, see TbAtReport; NULL if none */
  const char   *text;                       /* the whole line, valid UTF-8, no CR/LF */
} TbAtLine;

/* Called once per non-empty line; @line is valid only during the call. */
typedef void (*TbAtLineFunc) (const TbAtLine *line,
                              gpointer        user_data);

typedef struct _TbAtParser TbAtParser;

TbAtParser *tb_at_parser_new        (TbAtLineFunc  func,
                                     gpointer      user_data);
void        tb_at_parser_free       (TbAtParser   *self);
void        tb_at_parser_feed       (TbAtParser   *self,
                                     const guint8 *data,
                                     gsize         len);
/* Forgets a partial line (after the port was reopened). */
void        tb_at_parser_reset      (TbAtParser   *self);

/* Classifies one line without a parser; @line->text/str point into @scratch, which the caller
 * frees. Exposed for tests. */
void        tb_at_parse_line        (const char   *text,
                                     TbAtLine     *line,
                                     char        **scratch);

const char *tb_at_final_to_string   (TbAtFinal     final);

/* 27.007 +CSQ <rssi> (0..31, 99 unknown) to dBm; G_MININT if unknown. */
int         tb_at_rssi_to_dbm       (int           rssi);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbAtParser, tb_at_parser_free)

G_END_DECLS
