/* tb-sip-call.h — one INVITE dialog of a TbSipLine (internal to app/lines/sip/)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sofia-sip/nua.h>

#include "tb-call.h"
#include "tb-sip-media.h"

G_BEGIN_DECLS

#define TB_TYPE_SIP_CALL (tb_sip_call_get_type ())
G_DECLARE_FINAL_TYPE (TbSipCall, tb_sip_call, TB, SIP_CALL, TbCall)

typedef struct {
  const char *uri;            /* request URI */
  const char *from;           /* From header value */
  const char *extra_headers;  /* NULL or "Name: value\r\n..." */
  const char *local_ip;       /* for RTP and SDP */
  const char *user;           /* digest credentials, may be NULL */
  const char *password;
  guint       ring_timeout_ms;
  guint       rtp_timeout_ms;
} TbSipCallParams;

/* Binds RTP and sends the INVITE on a new handle of @nua; NULL with @error. */
TbSipCall    *tb_sip_call_new          (const char            *number,
                                        nua_t                 *nua,
                                        const TbSipCallParams *params,
                                        GError               **error);
nua_handle_t *tb_sip_call_get_handle   (TbSipCall             *self);
/* Events of this call's handle, from the line's nua callback. */
void          tb_sip_call_handle_event (TbSipCall             *self,
                                        nua_event_t            event,
                                        int                    status,
                                        const char            *phrase,
                                        const sip_t           *sip,
                                        tagi_t                 tags[]);
/* The line goes away: end the call without signalling and forget the handle. */
void          tb_sip_call_abandon      (TbSipCall             *self);
TbSipMedia   *tb_sip_call_get_media    (TbSipCall             *self);

/* Helpers shared with the line. */
char         *tb_sip_auth_string       (const sip_t           *sip,
                                        const char            *user,
                                        const char            *password);
TbCallEndReason tb_sip_end_reason_for_status (int status);

G_END_DECLS
