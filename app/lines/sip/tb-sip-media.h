/* tb-sip-media.h — one call's RTP: a socket, and the endpoint bins around rtpbin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "tb-sip-sdp.h"

G_BEGIN_DECLS

typedef void (*TbSipMediaDtmfFunc) (char digit, gpointer user_data);

#define TB_TYPE_SIP_MEDIA (tb_sip_media_get_type ())
G_DECLARE_FINAL_TYPE (TbSipMedia, tb_sip_media, TB, SIP_MEDIA, GObject)

/* Binds a UDP socket for RTP on @local_address (even port when it can). */
TbSipMedia *tb_sip_media_new              (const char            *local_address,
                                           GError               **error);
guint       tb_sip_media_get_local_port   (TbSipMedia            *self);
/* Where to send and which codec: builds the bins on first call, retargets later. */
void        tb_sip_media_set_remote       (TbSipMedia            *self,
                                           const TbSipSdpAnswer  *answer);
GstElement *tb_sip_media_get_source       (TbSipMedia            *self);
GstElement *tb_sip_media_get_sink         (TbSipMedia            *self);
/* Called from a streaming thread for each RFC 4733 event received. */
void        tb_sip_media_set_dtmf_func    (TbSipMedia            *self,
                                           TbSipMediaDtmfFunc     func,
                                           gpointer               user_data);
/* Sends the keys as RFC 4733 events (or FALSE with @error when the far end took none). */
gboolean    tb_sip_media_send_dtmf        (TbSipMedia            *self,
                                           const char            *digits,
                                           GError               **error);
/* Monotonic µs of the last RTP packet received (or of set_remote when none came yet). */
gint64      tb_sip_media_get_last_rx      (TbSipMedia            *self);
guint64     tb_sip_media_get_rx_packets   (TbSipMedia            *self);
/* The address RTP actually comes from (symmetric RTP), or NULL before the first packet. */
char       *tb_sip_media_dup_learned_peer (TbSipMedia            *self);

/* Counts the far end's silence from now (a call taken off hold). */
void           tb_sip_media_restart_rx_clock (TbSipMedia *self);

G_END_DECLS
