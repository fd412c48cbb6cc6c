/* tb-sip-line.h — a SIP account or trunk, through sofia-sip on the GLib main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-line.h"

G_BEGIN_DECLS

/**
 * TbSipConfig:
 * @domain: "HOST[:PORT]" of the provider (numbers are dialled as sip:NUMBER@domain)
 * @user: (nullable): account user; with a password the line REGISTERs
 * @password: (nullable): the secret itself (never stored; see tb_sip_line_new_from_config)
 * @registrar: (nullable): REGISTER here instead of sip:domain (implies registering)
 * @outbound_proxy: (nullable): send every request through this URI
 * @transport: (nullable): "udp" (default) or "tcp"
 * @caller_id: (nullable): the number we present
 * @no_register: an IP-authenticated trunk: never REGISTER
 * @rtp_timeout_ms: end an answered call after this long without RTP (0: 30 s)
 * @register_expires: seconds a registration is asked to last (0: 300); nua refreshes it
 */
typedef struct {
  const char *domain;
  const char *user;
  const char *password;
  const char *registrar;
  const char *outbound_proxy;
  const char *transport;
  const char *caller_id;
  gboolean    no_register;
  guint       rtp_timeout_ms;
  guint       register_expires;
} TbSipConfig;

#define TB_TYPE_SIP_LINE (tb_sip_line_get_type ())
G_DECLARE_FINAL_TYPE (TbSipLine, tb_sip_line, TB, SIP_LINE, TbLine)

TbSipLine  *tb_sip_line_new             (const char        *name,
                                         const TbSipConfig *config,
                                         GError           **error);
/* From a store row's config JSON ({"domain":..,"user":..,"password_env":..,"registrar":..,
 * "outbound_proxy":..,"transport":..,"caller_id":..,"no_register":bool,"rtp_timeout_ms":N,
 * "register_expires":N}).
 * The password comes from the environment variable "password_env" names, else from
 * libsecret (schema com.example.Telebot.Sip, attribute "line" = @name). */
TbSipLine  *tb_sip_line_new_from_config (const char        *name,
                                         const char        *config_json,
                                         int                max_calls,
                                         GError           **error);
/* The sip:host:port we listen on (after tb_line_start), for tests and diagnostics. */
const char *tb_sip_line_get_contact     (TbSipLine         *self);
gboolean    tb_sip_line_get_registered  (TbSipLine         *self);

/* libsecret, for the UI and CLI: the password of line @name. */
gboolean    tb_sip_line_store_password  (const char        *name,
                                         const char        *password,
                                         GError           **error);
void        tb_sip_line_store_password_async  (const char          *name,
                                               const char          *password,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    tb_sip_line_store_password_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
