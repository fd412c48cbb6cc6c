/* tb-sip-sdp.h — the SDP we offer and what we take from the answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TB_SIP_PT_PCMU 0
#define TB_SIP_PT_PCMA 8
#define TB_SIP_PT_DTMF 101

/* An answer is a few hundred bytes; a longer one is refused unread. */
#define TB_SIP_SDP_MAX_LENGTH 8192

typedef struct {
  char *address;     /* where to send RTP */
  guint port;
  int   audio_pt;    /* TB_SIP_PT_PCMU or TB_SIP_PT_PCMA */
  int   dtmf_pt;     /* telephone-event payload type, -1 when not offered */
  const char *direction;  /* static: "sendrecv", "sendonly", "recvonly" or "inactive" (a
                           * c= of 0.0.0.0, the old way of holding, reads as "sendonly") */
} TbSipSdpAnswer;

/* An offer of PCMU, PCMA and telephone-event on @address:@rtp_port. */
char    *tb_sip_sdp_build_offer  (const char      *address,
                                  guint            rtp_port,
                                  guint64          session_id);
/* Our answer to an offer the far end made (a re-INVITE: hold, resume, session refresh):
 * the codec of @offer, its telephone-event, and the direction that mirrors its own (our
 * "recvonly" to a "sendonly" hold). @version: the o= version, one more than our last SDP. */
char    *tb_sip_sdp_build_answer (const char           *address,
                                  guint                 rtp_port,
                                  guint64               session_id,
                                  guint                 version,
                                  const TbSipSdpAnswer *offer);
/* Parses an SDP answer (or a re-INVITE's offer: the same lines matter). FALSE with @error (TB_LINE_ERROR) when it is not SDP, has no audio,
 * or no codec in common with our offer. */
gboolean tb_sip_sdp_parse_answer (const char      *sdp,
                                  gsize            length,
                                  TbSipSdpAnswer  *answer,
                                  GError         **error);
void     tb_sip_sdp_answer_clear (TbSipSdpAnswer  *answer);

G_END_DECLS
