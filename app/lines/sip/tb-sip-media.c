/* tb-sip-media.c — RTP for a SIP call, in two bins a foreign pipeline can hold
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * source bin: udpsrc → [probe: DTMF, peer address, packets into the jitter buffer] → fakesink
 *             clocked source (a frame per 20 ms of the clock, pulled from the jitter buffer)
 *             → "src"
 *             The callee's audio runs on the clock (DESIGN.md §3): silence suppression,
 *             comfort noise, loss, jitter, timestamp and SSRC jumps never change the
 *             timeline the media session counts (tb-jitter-buffer.h).
 * sink bin:   "sink" → convert → resample → mulawenc/alawenc → pay ─┐
 *                                            rtpdtmfsrc ────────────┴ rtpdtmfmux → rtpbin →
 *             udpsink
 * Both UDP elements share one socket, so we send from the port we announced (symmetric RTP)
 * and the far end's NAT sees one flow. The first packet's source address replaces the SDP's
 * when they differ (a peer behind NAT announces a private address). Telephone events are
 * read from the raw packets.
 */
#define G_LOG_DOMAIN "tb-sip-media"

#include "config.h"

#include "tb-sip-media.h"
#include "tb-call.h"
#include "tb-clocked-source.h"
#include "tb-jitter-buffer.h"
#include "tb-line.h"

#include <gst/net/gstnetaddressmeta.h>
#include <gst/rtp/gstrtpbuffer.h>

#include <string.h>

struct _TbSipMedia
{
  GObject             parent_instance;

  GSocket            *socket;
  guint               local_port;
  int                 audio_pt;
  int                 dtmf_pt;

  GstElement         *source_bin;
  GstElement         *sink_bin;
  GstElement         *udpsink;
  GstElement         *dtmfsrc;
  TbJitterBuffer     *jitter;       /* shared with the streaming threads (locks itself) */
  GstPad             *udp_pad;
  gulong              probe_id;

  TbSipMediaDtmfFunc  dtmf_func;
  gpointer            dtmf_data;

  GMutex              lock;         /* the fields below, written by the streaming thread */
  gint64              last_rx;
  guint64             rx_packets;
  char               *peer_host;
  guint               peer_port;
  gboolean            learned;
  guint32             last_event_ts;
  gboolean            have_event;

  GQueue              dtmf_queue;   /* char digits to send */
  guint               dtmf_id;
  gboolean            dtmf_on;
};

G_DEFINE_FINAL_TYPE (TbSipMedia, tb_sip_media, G_TYPE_OBJECT)

static const char dtmf_keys[] = "0123456789*#ABCD";

static GstPadProbeReturn
on_rtp_packet (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  TbSipMedia *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GstNetAddressMeta *meta = gst_buffer_get_net_address_meta (buffer);
  gboolean drop = FALSE;
  char digit = 0;
  int pt;

  if (!gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    return GST_PAD_PROBE_DROP;
  pt = gst_rtp_buffer_get_payload_type (&rtp);

  g_mutex_lock (&self->lock);
  self->last_rx = g_get_monotonic_time ();
  self->rx_packets++;
  if (!self->learned && meta != NULL && G_IS_INET_SOCKET_ADDRESS (meta->addr)) {
    GInetSocketAddress *from = G_INET_SOCKET_ADDRESS (meta->addr);
    g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (from));
    guint port = g_inet_socket_address_get_port (from);

    self->learned = TRUE;
    if (g_strcmp0 (host, self->peer_host) != 0 || port != self->peer_port) {
      g_debug ("RTP comes from %s:%u, not %s:%u: sending there", host, port,
               self->peer_host, self->peer_port);
      g_free (self->peer_host);
      self->peer_host = g_steal_pointer (&host);
      self->peer_port = port;
      g_object_set (self->udpsink, "host", self->peer_host, "port", (int) port, NULL);
    }
  }
  if (pt == self->dtmf_pt && gst_rtp_buffer_get_payload_len (&rtp) >= 4) {
    const guint8 *payload = gst_rtp_buffer_get_payload (&rtp);
    guint32 ts = gst_rtp_buffer_get_timestamp (&rtp);

    /* One event is many packets with the same timestamp (and 3 end packets). */
    if (!self->have_event || ts != self->last_event_ts) {
      self->have_event = TRUE;
      self->last_event_ts = ts;
      if (payload[0] < 16)
        digit = dtmf_keys[payload[0]];
    }
    drop = TRUE;
  }
  g_mutex_unlock (&self->lock);
  if (!drop && self->jitter != NULL)
    tb_jitter_buffer_push (self->jitter, gst_rtp_buffer_get_seq (&rtp),
                           gst_rtp_buffer_get_timestamp (&rtp), gst_rtp_buffer_get_ssrc (&rtp),
                           gst_rtp_buffer_get_marker (&rtp), pt,
                           gst_rtp_buffer_get_payload (&rtp),
                           gst_rtp_buffer_get_payload_len (&rtp));
  gst_rtp_buffer_unmap (&rtp);

  if (digit != 0 && self->dtmf_func != NULL)
    self->dtmf_func (digit, self->dtmf_data);
  /* Everything was taken: audio by the jitter buffer, events by us. */
  return GST_PAD_PROBE_DROP;
}

static GstElement *
make (const char *factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (e == NULL)
    g_error ("GStreamer element %s is missing", factory);
  return e;
}

static void
pull_frame (gint16   *frame,
            gpointer  data)
{
  tb_jitter_buffer_pull (data, frame);
}

static void
build_source (TbSipMedia *self)
{
  GstElement *bin;
  GstElement *udpsrc = make ("udpsrc");
  GstElement *sink = make ("fakesink");

  /* The bin owns the jitter buffer (it may play on after we are gone); we only feed it, from
   * the probe that dispose removes. */
  self->jitter = tb_jitter_buffer_new (self->audio_pt, 0);
  bin = tb_clocked_source_new ("sip-source", pull_frame, self->jitter,
                               (GDestroyNotify) tb_jitter_buffer_free);
  g_object_set (udpsrc, "socket", self->socket, "close-socket", FALSE,
                "retrieve-sender-address", TRUE, NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (bin), udpsrc, sink, NULL);
  gst_element_link (udpsrc, sink);
  /* No reference: the bin may sit in a pipeline after we are gone; dispose removes it. */
  self->udp_pad = gst_element_get_static_pad (udpsrc, "src");
  self->probe_id = gst_pad_add_probe (self->udp_pad, GST_PAD_PROBE_TYPE_BUFFER, on_rtp_packet,
                                      self, NULL);
  self->source_bin = gst_object_ref_sink (bin);
}

static void
build_sink (TbSipMedia *self)
{
  gboolean ulaw = self->audio_pt == TB_SIP_PT_PCMU;
  g_autoptr(GstCaps) raw_caps = gst_caps_from_string (TB_CALL_AUDIO_CAPS);
  g_autoptr(GstPad) in = NULL;
  GstElement *bin = gst_bin_new ("sip-sink");
  GstElement *filter = make ("capsfilter");
  GstElement *convert = make ("audioconvert");
  GstElement *resample = make ("audioresample");
  GstElement *enc = make (ulaw ? "mulawenc" : "alawenc");
  GstElement *pay = make (ulaw ? "rtppcmupay" : "rtppcmapay");
  GstElement *mux = make ("rtpdtmfmux");
  GstElement *rtpbin = make ("rtpbin");
  GstElement *udpsink = make ("udpsink");

  g_object_set (filter, "caps", raw_caps, NULL);
  g_object_set (pay, "pt", self->audio_pt, "min-ptime", (gint64) 20 * GST_MSECOND,
                "max-ptime", (gint64) 20 * GST_MSECOND, NULL);
  /* sync: RTP leaves at the pace of its timestamps. The sink is fed by an appsrc that hands
   * out frames as fast as they are asked for (the audio contract in app/lines/README.md: a
   * real-time line paces); unsynced, a call session sent its whole prompt in a burst and heard
   * nothing back. */
  g_object_set (udpsink, "socket", self->socket, "close-socket", FALSE,
                "host", self->peer_host, "port", (int) self->peer_port,
                "sync", TRUE, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (bin), filter, convert, resample, enc, pay, mux, rtpbin, udpsink,
                    NULL);
  gst_element_link_many (filter, convert, resample, enc, pay, NULL);
  gst_element_link_pads (pay, "src", mux, "sink_0");
  if (self->dtmf_pt >= 0) {
    self->dtmfsrc = make ("rtpdtmfsrc");
    g_object_set (self->dtmfsrc, "pt", self->dtmf_pt, "clock-rate", 8000, NULL);
    gst_bin_add (GST_BIN (bin), self->dtmfsrc);
    gst_element_link_pads (self->dtmfsrc, "src", mux, "sink_1");
  }
  if (!gst_element_link_pads (mux, "src", rtpbin, "send_rtp_sink_0") ||
      !gst_element_link_pads (rtpbin, "send_rtp_src_0", udpsink, "sink"))
    g_warning ("could not link the RTP sender");
  in = gst_element_get_static_pad (filter, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", in));
  self->udpsink = udpsink;
  self->sink_bin = gst_object_ref_sink (bin);
}

static void
tb_sip_media_dispose (GObject *object)
{
  TbSipMedia *self = TB_SIP_MEDIA (object);

  g_clear_handle_id (&self->dtmf_id, g_source_remove);
  if (self->probe_id != 0)
    gst_pad_remove_probe (self->udp_pad, self->probe_id);
  self->probe_id = 0;
  self->jitter = NULL;
  g_clear_object (&self->udp_pad);
  g_clear_object (&self->source_bin);
  g_clear_object (&self->sink_bin);
  self->udpsink = NULL;
  self->dtmfsrc = NULL;
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);

  G_OBJECT_CLASS (tb_sip_media_parent_class)->dispose (object);
}

static void
tb_sip_media_finalize (GObject *object)
{
  TbSipMedia *self = TB_SIP_MEDIA (object);

  g_free (self->peer_host);
  g_queue_clear (&self->dtmf_queue);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tb_sip_media_parent_class)->finalize (object);
}

static void
tb_sip_media_class_init (TbSipMediaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_sip_media_dispose;
  object_class->finalize = tb_sip_media_finalize;
}

static void
tb_sip_media_init (TbSipMedia *self)
{
  g_mutex_init (&self->lock);
  self->audio_pt = -1;
  self->dtmf_pt = -1;
}

TbSipMedia *
tb_sip_media_new (const char  *local_address,
                  GError     **error)
{
  g_autoptr(TbSipMedia) self = g_object_new (TB_TYPE_SIP_MEDIA, NULL);
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (local_address);
  g_autoptr(GError) local_error = NULL;

  if (addr == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "RTP: \"%s\" is not an IP address", local_address);
    return NULL;
  }
  /* RTP ports are even by convention; a few tries find one. */
  for (int attempt = 0; attempt < 20; attempt++) {
    g_autoptr(GSocket) socket = g_socket_new (g_inet_address_get_family (addr),
                                              G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                                              &local_error);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (addr, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    guint port;

    if (socket == NULL || !g_socket_bind (socket, any, FALSE, &local_error))
      break;
    bound = g_socket_get_local_address (socket, &local_error);
    if (bound == NULL)
      break;
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
    if (port % 2 != 0 && attempt < 19)
      continue;
    self->socket = g_steal_pointer (&socket);
    self->local_port = port;
    return g_steal_pointer (&self);
  }
  g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "RTP: cannot bind a port on %s: %s",
               local_address, local_error ? local_error->message : "no even port");
  return NULL;
}

guint
tb_sip_media_get_local_port (TbSipMedia *self)
{
  g_return_val_if_fail (TB_IS_SIP_MEDIA (self), 0);
  return self->local_port;
}

void
tb_sip_media_set_remote (TbSipMedia           *self,
                         const TbSipSdpAnswer *answer)
{
  g_return_if_fail (TB_IS_SIP_MEDIA (self));

  g_mutex_lock (&self->lock);
  if (!self->learned) {
    g_free (self->peer_host);
    self->peer_host = g_strdup (answer->address);
    self->peer_port = answer->port;
  }
  if (self->last_rx == 0)
    self->last_rx = g_get_monotonic_time ();
  g_mutex_unlock (&self->lock);

  if (self->source_bin == NULL) {
    self->audio_pt = answer->audio_pt;
    self->dtmf_pt = answer->dtmf_pt;
    build_source (self);
    build_sink (self);
  } else if (!self->learned) {
    g_object_set (self->udpsink, "host", answer->address, "port", (int) answer->port, NULL);
  }
}

GstElement *
tb_sip_media_get_source (TbSipMedia *self)
{
  g_return_val_if_fail (TB_IS_SIP_MEDIA (self), NULL);
  return self->source_bin;
}

GstElement *
tb_sip_media_get_sink (TbSipMedia *self)
{
  g_return_val_if_fail (TB_IS_SIP_MEDIA (self), NULL);
  return self->sink_bin;
}

void
tb_sip_media_set_dtmf_func (TbSipMedia         *self,
                            TbSipMediaDtmfFunc  func,
                            gpointer            user_data)
{
  g_return_if_fail (TB_IS_SIP_MEDIA (self));
  self->dtmf_func = func;
  self->dtmf_data = user_data;
}

/* An upstream event arriving on rtpdtmfsrc's src pad, as if from the muxer: that is the path
 * its event handler listens on (gst_element_send_event does not reach it). */
static void
send_dtmf_event (TbSipMedia   *self,
                 GstStructure *s)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (self->dtmfsrc, "src");

  if (!gst_pad_send_event (pad, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM, s)))
    g_debug ("rtpdtmfsrc refused a DTMF event");
}

static gboolean
dtmf_tick_cb (gpointer data)
{
  TbSipMedia *self = data;
  GstStructure *s;
  char *key;

  self->dtmf_id = 0;
  if (self->dtmfsrc == NULL)
    return G_SOURCE_REMOVE;
  if (self->dtmf_on) {
    s = gst_structure_new ("dtmf-event", "type", G_TYPE_INT, 1, "method", G_TYPE_INT, 1,
                           "start", G_TYPE_BOOLEAN, FALSE, NULL);
    send_dtmf_event (self, s);
    self->dtmf_on = FALSE;
    /* The gap between keys. */
    if (!g_queue_is_empty (&self->dtmf_queue))
      self->dtmf_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 100, dtmf_tick_cb,
                                          g_object_ref (self), g_object_unref);
    return G_SOURCE_REMOVE;
  }
  if ((key = g_queue_pop_head (&self->dtmf_queue)) == NULL)
    return G_SOURCE_REMOVE;
  s = gst_structure_new ("dtmf-event", "type", G_TYPE_INT, 1, "method", G_TYPE_INT, 1,
                         "start", G_TYPE_BOOLEAN, TRUE,
                         "number", G_TYPE_INT, (int) (strchr (dtmf_keys, *key) - dtmf_keys),
                         "volume", G_TYPE_INT, 10, NULL);
  g_free (key);
  send_dtmf_event (self, s);
  self->dtmf_on = TRUE;
  self->dtmf_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 160, dtmf_tick_cb,
                                      g_object_ref (self), g_object_unref);
  return G_SOURCE_REMOVE;
}

gboolean
tb_sip_media_send_dtmf (TbSipMedia  *self,
                        const char  *digits,
                        GError     **error)
{
  g_return_val_if_fail (TB_IS_SIP_MEDIA (self), FALSE);

  if (self->dtmfsrc == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_SUPPORTED,
                 "DTMF \"%s\": the far end accepts no telephone-event", digits);
    return FALSE;
  }
  for (const char *p = digits; *p; p++)
    g_queue_push_tail (&self->dtmf_queue, g_strndup ((char[]) { g_ascii_toupper (*p), 0 }, 1));
  if (self->dtmf_id == 0)
    self->dtmf_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 200, dtmf_tick_cb,
                                        g_object_ref (self), g_object_unref);
  return TRUE;
}

gint64
tb_sip_media_get_last_rx (TbSipMedia *self)
{
  gint64 t;

  g_return_val_if_fail (TB_IS_SIP_MEDIA (self), 0);
  g_mutex_lock (&self->lock);
  t = self->last_rx;
  g_mutex_unlock (&self->lock);
  return t;
}

guint64
tb_sip_media_get_rx_packets (TbSipMedia *self)
{
  guint64 n;

  g_return_val_if_fail (TB_IS_SIP_MEDIA (self), 0);
  g_mutex_lock (&self->lock);
  n = self->rx_packets;
  g_mutex_unlock (&self->lock);
  return n;
}

char *
tb_sip_media_dup_learned_peer (TbSipMedia *self)
{
  char *peer = NULL;

  g_return_val_if_fail (TB_IS_SIP_MEDIA (self), NULL);
  g_mutex_lock (&self->lock);
  if (self->learned)
    peer = g_strdup_printf ("%s:%u", self->peer_host, self->peer_port);
  g_mutex_unlock (&self->lock);
  return peer;
}

void
tb_sip_media_restart_rx_clock (TbSipMedia *self)
{
  g_return_if_fail (TB_IS_SIP_MEDIA (self));
  g_mutex_lock (&self->lock);
  self->last_rx = g_get_monotonic_time ();
  g_mutex_unlock (&self->lock);
}
