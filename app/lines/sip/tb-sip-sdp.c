/* tb-sip-sdp.c — SDP offer/answer for G.711 and RFC 4733 telephone events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sip-sdp"

#include "config.h"

#include "tb-sip-sdp.h"
#include "tb-line.h"

#include <gio/gio.h>

#include <string.h>

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

char *
tb_sip_sdp_build_answer (const char           *address,
                         guint                 rtp_port,
                         guint64               session_id,
                         guint                 version,
                         const TbSipSdpAnswer *offer)
{
  const char *direction = "sendrecv";
  g_autofree char *dtmf_fmt = NULL;
  g_autofree char *dtmf_attrs = NULL;

  if (g_strcmp0 (offer->direction, "sendonly") == 0)
    direction = "recvonly";
  else if (g_strcmp0 (offer->direction, "recvonly") == 0)
    direction = "sendonly";
  else if (g_strcmp0 (offer->direction, "inactive") == 0)
    direction = "inactive";
  if (offer->dtmf_pt >= 0) {
    dtmf_fmt = g_strdup_printf (" %d", offer->dtmf_pt);
    dtmf_attrs = g_strdup_printf ("a=rtpmap:%d telephone-event/8000\r\na=fmtp:%d 0-16\r\n",
                                  offer->dtmf_pt, offer->dtmf_pt);
  }
  return g_strdup_printf ("v=0\r\n"
                          "o=telebot %" G_GUINT64_FORMAT " %u IN IP4 %s\r\n"
                          "s=Telebot\r\n"
                          "c=IN IP4 %s\r\n"
                          "t=0 0\r\n"
                          "m=audio %u RTP/AVP %d%s\r\n"
                          "a=rtpmap:%d %s/8000\r\n"
                          "%s"
                          "a=ptime:20\r\n"
                          "a=%s\r\n",
                          session_id, version, address, address, rtp_port, offer->audio_pt,
                          dtmf_fmt ? dtmf_fmt : "", offer->audio_pt,
                          offer->audio_pt == TB_SIP_PT_PCMA ? "PCMA" : "PCMU",
                          dtmf_attrs ? dtmf_attrs : "", direction);
}

/* "IN IP4 192.0.2.1" → the address, when it is one. */
static char *
parse_connection (const char *value)
{
  g_auto(GStrv) parts = g_strsplit_set (value, " \t", -1);
  g_autoptr(GInetAddress) addr = NULL;
  char *slash;

  if (g_strv_length (parts) != 3 || !g_str_equal (parts[0], "IN") ||
      (!g_str_equal (parts[1], "IP4") && !g_str_equal (parts[1], "IP6")))
    return NULL;
  if ((slash = strchr (parts[2], '/')) != NULL)   /* multicast TTL: not for us, but parse */
    *slash = '\0';
  addr = g_inet_address_new_from_string (parts[2]);
  return addr ? g_inet_address_to_string (addr) : NULL;
}

/*
 * Our own small reader for the few lines that matter (c=, m=audio, a=rtpmap): the answer comes
 * from the network, and sofia's sdp_parse was seen by fuzz-sdp asking for 2 GiB on a garbled
 * m= line. Everything not understood is ignored, as RFC 4566 asks of unknown attributes.
 */
gboolean
tb_sip_sdp_parse_answer (const char      *sdp,
                         gsize            length,
                         TbSipSdpAnswer  *answer,
                         GError         **error)
{
  g_autofree char *text = NULL;
  g_autofree char *session_addr = NULL;
  g_autofree char *media_addr = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fmts = NULL;
  const char *rtpmap[128] = { NULL };
  gboolean in_audio = FALSE, seen_audio = FALSE, version = FALSE;
  guint64 port = 0;

  memset (answer, 0, sizeof *answer);
  answer->audio_pt = -1;
  answer->dtmf_pt = -1;
  answer->direction = "sendrecv";
  if (sdp == NULL || length == 0 || length > TB_SIP_SDP_MAX_LENGTH) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED,
                 "SDP answer: empty or longer than %d bytes", TB_SIP_SDP_MAX_LENGTH);
    return FALSE;
  }
  text = g_strndup (sdp, length);
  if (strlen (text) != length || !g_utf8_validate (text, -1, NULL)) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "SDP answer: not text");
    return FALSE;
  }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    char *line = lines[i];
    gsize n = strlen (line);
    const char *value;

    if (n > 0 && line[n - 1] == '\r')
      line[--n] = '\0';
    if (n == 0)
      continue;
    if (n < 2 || line[1] != '=') {
      g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED,
                   "SDP answer: line %u is not \"x=value\"", i + 1);
      return FALSE;
    }
    value = line + 2;
    switch (line[0]) {
    case 'v':
      version = g_str_equal (value, "0");
      break;
    case 'm': {
      g_auto(GStrv) parts = g_strsplit (value, " ", -1);
      g_autofree char *port_text = NULL;

      in_audio = FALSE;
      if (seen_audio || g_strv_length (parts) < 4 || !g_str_equal (parts[0], "audio"))
        break;
      port_text = g_strndup (parts[1], strcspn (parts[1], "/"));
      if (!g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &port, NULL) || port == 0 ||
          !g_str_has_prefix (parts[2], "RTP/"))
        break;   /* rejected or unusable: look for another audio stream */
      in_audio = seen_audio = TRUE;
      fmts = g_strdupv (parts + 3);
      break;
    }
    case 'c':
      if (in_audio) {
        g_free (media_addr);
        media_addr = parse_connection (value);
      } else if (!seen_audio) {
        g_free (session_addr);
        session_addr = parse_connection (value);
      }
      break;
    case 'a':
      /* Session-level, or the audio stream's (which wins: it comes later). */
      if (!seen_audio || in_audio) {
        if (g_str_equal (value, "sendonly"))
          answer->direction = "sendonly";
        else if (g_str_equal (value, "recvonly"))
          answer->direction = "recvonly";
        else if (g_str_equal (value, "inactive"))
          answer->direction = "inactive";
        else if (g_str_equal (value, "sendrecv"))
          answer->direction = "sendrecv";
      }
      if (in_audio && g_str_has_prefix (value, "rtpmap:")) {
        guint64 pt;
        char *end = NULL;

        pt = g_ascii_strtoull (value + 7, &end, 10);
        if (end != value + 7 && pt < 128 && *end == ' ')
          rtpmap[pt] = end + 1;
      }
      break;
    default:
      break;
    }
  }
  if (!version) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "SDP answer: no v=0");
    return FALSE;
  }
  if (!seen_audio) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "SDP answer: no audio stream");
    return FALSE;
  }
  /* The answerer's order is its preference. */
  for (guint i = 0; fmts[i] != NULL; i++) {
    guint64 pt;
    const char *map;

    if (!g_ascii_string_to_unsigned (fmts[i], 10, 0, 127, &pt, NULL))
      continue;
    map = rtpmap[pt];
    if (map == NULL && (pt == TB_SIP_PT_PCMU || pt == TB_SIP_PT_PCMA)) {
      if (answer->audio_pt < 0)
        answer->audio_pt = pt;
    } else if (map != NULL && answer->audio_pt < 0 &&
               (g_ascii_strncasecmp (map, "PCMU/8000", 9) == 0 ||
                g_ascii_strncasecmp (map, "PCMA/8000", 9) == 0) &&
               (pt == TB_SIP_PT_PCMU || pt == TB_SIP_PT_PCMA)) {
      answer->audio_pt = pt;
    } else if (map != NULL && answer->dtmf_pt < 0 &&
               g_ascii_strncasecmp (map, "telephone-event/8000", 20) == 0) {
      answer->dtmf_pt = pt;
    }
  }
  if (answer->audio_pt < 0) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED,
                 "SDP answer: no common codec (we offer PCMU, PCMA)");
    return FALSE;
  }
  if (media_addr == NULL && session_addr == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "SDP answer: no connection address");
    answer->audio_pt = -1;
    return FALSE;
  }
  answer->address = g_strdup (media_addr ? media_addr : session_addr);
  answer->port = port;
  if (g_str_equal (answer->address, "0.0.0.0") && g_str_equal (answer->direction, "sendrecv"))
    answer->direction = "sendonly";   /* RFC 2543 hold */
  return TRUE;
}

void
tb_sip_sdp_answer_clear (TbSipSdpAnswer *answer)
{
  g_clear_pointer (&answer->address, g_free);
}
