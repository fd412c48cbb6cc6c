/* tb-line.h — a phone line: something that places calls (sim, SIP account, modem)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tb-call.h"

G_BEGIN_DECLS

#define TB_LINE_ERROR (tb_line_error_quark ())

typedef enum {
  TB_LINE_ERROR_INVALID,        /* bad number, bad configuration */
  TB_LINE_ERROR_NOT_READY,      /* offline, registering or in error */
  TB_LINE_ERROR_BUSY,           /* max concurrent calls reached */
  TB_LINE_ERROR_WRONG_STATE,    /* the call is not in a state that allows it */
  TB_LINE_ERROR_NOT_SUPPORTED,
  TB_LINE_ERROR_FAILED,
} TbLineError;

/**
 * TbLineState:
 * @TB_LINE_STATE_OFFLINE: not started (or stopped)
 * @TB_LINE_STATE_REGISTERING: signing in (SIP REGISTER, modem attach)
 * @TB_LINE_STATE_READY: can dial
 * @TB_LINE_STATE_ERROR: cannot dial; #TbLine:last-error says why
 */
typedef enum {
  TB_LINE_STATE_OFFLINE,
  TB_LINE_STATE_REGISTERING,
  TB_LINE_STATE_READY,
  TB_LINE_STATE_ERROR,
} TbLineState;

/**
 * TbDialRequest:
 * @number: what to dial: E.164 ("+15550100"), a local number, or (SIP) a full URI
 * @persona: (nullable): the contact's `persona` field; the sim line uses it, others ignore it
 * @variables: (nullable): the contact's fields (string → string), for backends that want them
 * @ring_timeout_ms: give up (CANCEL, ENDED no_answer) after this long unanswered; 0: 30 s
 * @caller_id: (nullable): the number to present, one of the line's own (a SIP trunk's DID
 *   range); NULL: the line's configured one. Lines that cannot choose (a modem's SIM) ignore it.
 */
typedef struct {
  char       *number;
  char       *persona;
  GHashTable *variables;
  guint       ring_timeout_ms;
  char       *language;     /* the script's ("zh-CN"): what a simulated callee speaks */
  char       *caller_id;
} TbDialRequest;

#define TB_TYPE_DIAL_REQUEST (tb_dial_request_get_type ())
GType          tb_dial_request_get_type (void) G_GNUC_CONST;
TbDialRequest *tb_dial_request_new      (const char          *number);
TbDialRequest *tb_dial_request_copy     (const TbDialRequest *request);
void           tb_dial_request_free     (TbDialRequest       *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbDialRequest, tb_dial_request_free)

#define TB_LINE_DEFAULT_RING_TIMEOUT_MS 30000

#define TB_TYPE_LINE (tb_line_get_type ())
G_DECLARE_DERIVABLE_TYPE (TbLine, tb_line, TB, LINE, GObject)

/**
 * TbLineClass:
 * @kind: "sim", "sip" or "modem": the #TbLine:kind of every line of the class
 * @default_max_calls: #TbLine:max-calls until it is set (4 in the base class)
 * @fixed_max_calls: when > 0, #TbLine:max-calls is always this (a modem carries one call)
 * @start: bring the line up (tb_line_start())
 * @stop: hang up and sign out (tb_line_stop())
 * @dial: place a call; the base class has checked the number, the state and max-calls, and
 *   tracks the returned call (tb_line_track_call())
 *
 * What every line shares lives in the base class: its name, kind, state and last error (set
 * by the backend with tb_line_set_state()), its call limit, and its calls, counted in
 * #TbLine:n-calls from the dial until they end. A backend keeps only what is its own.
 */
struct _TbLineClass
{
  GObjectClass parent_class;

  const char  *kind;
  int          default_max_calls;
  int          fixed_max_calls;

  void    (*start) (TbLine               *self);
  void    (*stop)  (TbLine               *self);
  TbCall *(*dial)  (TbLine               *self,
                    const TbDialRequest  *request,
                    GError              **error);

  gpointer     padding[8];
};

GQuark       tb_line_error_quark    (void);

const char  *tb_line_get_name       (TbLine               *self);
const char  *tb_line_get_kind       (TbLine               *self);
TbLineState  tb_line_get_state      (TbLine               *self);
char        *tb_line_dup_last_error (TbLine               *self);
int          tb_line_get_max_calls  (TbLine               *self);
guint        tb_line_get_n_calls    (TbLine               *self);
/* Until when (monotonic µs) the line's server asked for no new call: the Retry-After of a
 * call's final answer (a SIP 503 "out of service for 60 s"); 0 when it did not, or that time
 * has passed. */
gint64       tb_line_get_retry_until (TbLine              *self);

void         tb_line_start          (TbLine               *self);
void         tb_line_stop           (TbLine               *self);
TbCall      *tb_line_dial           (TbLine               *self,
                                     const TbDialRequest  *request,
                                     GError              **error);
TbCall      *tb_line_dial_number    (TbLine               *self,
                                     const char           *number,
                                     GError              **error);

gboolean     tb_line_wait_ready     (TbLine               *self,
                                     guint                 timeout_ms,
                                     GError              **error);

const char  *tb_line_state_to_string (TbLineState          state);

/* For line backends. */

/* Sets #TbLine:state and, when @error_message is not NULL, #TbLine:last-error. A line going
 * OFFLINE, REGISTERING or ERROR without a message keeps its last error to show; a line that is
 * READY again has none. */
void         tb_line_set_state      (TbLine               *self,
                                     TbLineState           state,
                                     const char           *error_message);
/* Hangs up every call the line has going (a copy of the list: hanging up ends them). */
void         tb_line_hang_up_all    (TbLine               *self);
/* The object of @config_json ("{}" when NULL), or NULL with a TB_LINE_ERROR_INVALID naming
 * the line; @parser owns what is returned. */
JsonObject  *tb_line_parse_config   (const char           *name,
                                     const char           *config_json,
                                     JsonParser           *parser,
                                     GError              **error);

G_END_DECLS
