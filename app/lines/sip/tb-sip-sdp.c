/* tb-sip-sdp.c — SDP offer/answer for G.711 and RFC 4733 telephone events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sip-sdp"

#include "config.h"

#include <sofia-sip/sdp.h>
#include <sofia-sip/su_alloc.h>
#include <string.h>

#include "tb-line.h"
#include "tb-sip-sdp.h"

char *
tb_sip_sdp_build_offer (const char *address,
                        guint       rtp_port,
                        guint64     session_id)
{
  return g_strdup_printf ("v=0\r\n"
                          "o=telebot %" G_GUINT64_FORMAT " 1 IN IP4 %s\r\n"
                          "s=Telebot\r\n"
                          "c=IN IP4 %s\r\n"
                          "t=0 0\r\n"
                          "m=audio %u RTP/AVP %d %d %d\r\n"
                          "a=rtpmap:%d PCMU/8000\r\n"
                          "a=rtpmap:%d PCMA/8000\r\n"
                          "a=rtpmap:%d telephone-event/8000\r\n"
                          "a=fmtp:%d 0-16\r\n"
                          "a=ptime:20\r\n"
                          "a=sendrecv\r\n",
                          session_id, address, address, rtp_port,
                          TB_SIP_PT_PCMU, TB_SIP_PT_PCMA, TB_SIP_PT_DTMF,
                          TB_SIP_PT_PCMU, TB_SIP_PT_PCMA, TB_SIP_PT_DTMF, TB_SIP_PT_DTMF);
}

gboolean
tb_sip_sdp_parse_answer (const char      *sdp,
                         gsize            length,
                         TbSipSdpAnswer  *answer,
                         GError         **error)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  sdp_parser_t *parser;
  sdp_session_t *session;
  sdp_media_t *media = NULL;
  sdp_connection_t *c;
  gboolean ok = FALSE;

  memset (answer, 0, sizeof *answer);
  answer->audio_pt = -1;
  answer->dtmf_pt = -1;
  if (sdp == NULL || length == 0) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "SDP answer: empty");
    return FALSE;
  }
  parser = sdp_parse (home, sdp, length, sdp_f_config);
  session = sdp_session (parser);
  if (session == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "SDP answer: %s",
                 sdp_parsing_error (parser));
    goto out;
  }
  for (sdp_media_t *m = session->sdp_media; m != NULL; m = m->m_next)
    if (m->m_type == sdp_media_audio && m->m_port != 0 && !m->m_rejected) {
      media = m;
      break;
    }
  if (media == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "SDP answer: no audio stream");
    goto out;
  }
  for (sdp_rtpmap_t *rm = media->m_rtpmaps; rm != NULL; rm = rm->rm_next) {
    const char *enc = rm->rm_encoding ? rm->rm_encoding : "";

    if (answer->audio_pt < 0 && rm->rm_rate == 8000 &&
        (g_ascii_strcasecmp (enc, "PCMU") == 0 || g_ascii_strcasecmp (enc, "PCMA") == 0))
      answer->audio_pt = g_ascii_strcasecmp (enc, "PCMU") == 0 ? TB_SIP_PT_PCMU : TB_SIP_PT_PCMA;
    else if (answer->dtmf_pt < 0 && g_ascii_strcasecmp (enc, "telephone-event") == 0)
      answer->dtmf_pt = rm->rm_pt;
  }
  if (answer->audio_pt < 0) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED,
                 "SDP answer: no common codec (we offer PCMU, PCMA)");
    goto out;
  }
  c = media->m_connections ? media->m_connections : session->sdp_connection;
  if (c == NULL || c->c_address == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "SDP answer: no connection address");
    goto out;
  }
  answer->address = g_strdup (c->c_address);
  answer->port = media->m_port;
  ok = TRUE;

out:
  sdp_parser_free (parser);
  su_home_deinit (home);
  if (!ok)
    tb_sip_sdp_answer_clear (answer);
  return ok;
}

void
tb_sip_sdp_answer_clear (TbSipSdpAnswer *answer)
{
  g_clear_pointer (&answer->address, g_free);
}
