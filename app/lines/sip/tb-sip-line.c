/* tb-sip-line.c — a SIP line: sofia-sip nua on the GLib main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One nua stack per line, its su_root attached to the thread-default GMainContext
 * (su_glib_root_create + g_source_attach of su_glib_root_gsource), so every SIP event
 * arrives on the main loop like any other source. REGISTER is refreshed by nua itself;
 * 401/407 challenges are answered with nua_authenticate. The password lives only in memory.
 */
#define G_LOG_DOMAIN "tb-sip-line"

#include "config.h"

#include "tb-sip-line.h"
#include "tb-sip-call.h"
#include "tb-credential.h"

#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_uniqueid.h>

#include <string.h>

#define DEFAULT_RTP_TIMEOUT_MS 30000

struct _TbSipLine
{
  TbLine         parent_instance;

  /* configuration */
  char          *domain;
  char          *user;
  char          *password;
  char          *registrar;
  char          *outbound_proxy;
  char          *transport;
  char          *caller_id;
  gboolean       do_register;
  guint          rtp_timeout_ms;
  guint          register_expires;

  /* sofia-sip */
  su_root_t     *root;
  GSource       *root_source;
  nua_t         *nua;
  nua_handle_t  *reg_nh;
  int            reg_auth_attempts;
  gboolean       registered;
  gboolean       shutdown_done;
  char          *local_ip;
  char          *contact;

  GPtrArray     *calls;   /* TbSipCall, owned until their dialog is terminated (after ENDED:
                           * the base class counts the live ones) */
};

G_DEFINE_FINAL_TYPE (TbSipLine, tb_sip_line, TB_TYPE_LINE)

/* sofia-sip's library destructor (sofia_su_uniqueid_destructor) deletes the thread key of its
 * random-number state even when that state was never set up, and then deletes key 0: GLib's
 * first GPrivate. A process that links sofia-sip but never used it then aborts at exit in
 * g_private_set (seen in the GUI tests). Setting the state up once makes it delete its own
 * key. */
__attribute__((constructor))
static void
tb_sip_line_init_sofia (void)
{
  (void) su_random ();
}

/* Where an older Telebot kept a line's password: still read (tb-credential.h). */
static const SecretSchema legacy_sip_schema = {
  "com.example.Telebot.Sip", SECRET_SCHEMA_NONE,
  {
    { "line", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static void
set_state (TbSipLine   *self,
           TbLineState  state,
           const char  *error_message)
{
  tb_line_set_state (TB_LINE (self), state, error_message);
}

static void
release_call (TbSipLine *self,
              TbSipCall *call)
{
  g_ptr_array_remove (self->calls, call);
}

/* The host part of "HOST[:PORT]" (IPv6 in brackets is left alone). */
static char *
domain_host (const char *domain)
{
  const char *colon = strrchr (domain, ':');

  if (domain[0] == '[' || colon == NULL)
    return g_strdup (domain);
  return g_strndup (domain, colon - domain);
}

/* The host of "sip:[user@]host[:port][;params]" (or of a bare "host[:port]"). */
static char *
proxy_host (const char *uri)
{
  g_autofree char *rest = NULL;
  const char *p = uri;
  char *end;

  if (g_str_has_prefix (p, "sips:"))
    p += 5;
  else if (g_str_has_prefix (p, "sip:"))
    p += 4;
  if (strchr (p, '@') != NULL)
    p = strchr (p, '@') + 1;
  rest = g_strdup (p);
  if ((end = strpbrk (rest, ";?>")) != NULL)
    *end = '\0';
  if (*rest == '\0')
    return NULL;
  return domain_host (rest);
}

/* The address our packets to @host leave from: what goes in Contact, Via and SDP. */
static char *
local_ip_towards (const char  *host,
                  GError     **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (host);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  if (addr == NULL) {
    g_autoptr(GResolver) resolver = g_resolver_get_default ();
    GList *list = g_resolver_lookup_by_name (resolver, host, NULL, error);

    if (list == NULL)
      return NULL;
    addr = g_object_ref (list->data);
    g_resolver_free_addresses (list);
  }
  socket = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL)
    return NULL;
  remote = g_inet_socket_address_new (addr, 5060);
  if (!g_socket_connect (socket, remote, NULL, error) ||
      (local = g_socket_get_local_address (socket, error)) == NULL)
    return NULL;
  return g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
}

/* A port free for both UDP and TCP on @ip. nua is then told exactly where to listen, so the
 * contact we report is the one it uses. */
static guint
free_port (const char  *ip,
           GError     **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (ip);

  for (int attempt = 0; attempt < 20; attempt++) {
    g_autoptr(GSocket) udp = g_socket_new (g_inet_address_get_family (addr),
                                           G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
    g_autoptr(GSocket) tcp = NULL;
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (addr, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    g_autoptr(GSocketAddress) same = NULL;
    guint port;

    if (udp == NULL || !g_socket_bind (udp, any, FALSE, error) ||
        (bound = g_socket_get_local_address (udp, error)) == NULL)
      return 0;
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
    tcp = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_STREAM,
                        G_SOCKET_PROTOCOL_TCP, NULL);
    same = g_inet_socket_address_new (addr, port);
    if (tcp != NULL && g_socket_bind (tcp, same, FALSE, NULL))
      return port;
  }
  g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "no free SIP port on %s", ip);
  return 0;
}

static char *
transport_param (TbSipLine *self)
{
  return g_strcmp0 (self->transport, "tcp") == 0 ? g_strdup (";transport=tcp") : g_strdup ("");
}

static void
handle_register (TbSipLine   *self,
                 nua_event_t  event,
                 int          status,
                 const char  *phrase,
                 const sip_t *sip)
{
  if (event == nua_r_unregister) {
    if (status >= 200) {
      self->registered = FALSE;
      set_state (self, TB_LINE_STATE_OFFLINE, NULL);
    }
    return;
  }
  if (event != nua_r_register || status < 200)
    return;
  if (status < 300) {
    self->reg_auth_attempts = 0;
    self->registered = TRUE;
    set_state (self, TB_LINE_STATE_READY, NULL);
    return;
  }
  if ((status == 401 || status == 407) && self->reg_auth_attempts < 1) {
    g_autofree char *auth = tb_sip_auth_string (sip, self->user, self->password);

    if (auth != NULL) {
      self->reg_auth_attempts++;
      nua_authenticate (self->reg_nh, NUTAG_AUTH (auth), TAG_END ());
      return;
    }
  }
  {
    g_autofree char *message = g_strdup_printf ("REGISTER %s@%s: %d %s",
                                                self->user ? self->user : "", self->domain,
                                                status, phrase ? phrase : "");
    self->registered = FALSE;
    set_state (self, TB_LINE_STATE_ERROR, message);
  }
}

static void
nua_event_cb (nua_event_t   event,
              int           status,
              char const   *phrase,
              nua_t        *nua,
              nua_magic_t  *magic,
              nua_handle_t *nh,
              nua_hmagic_t *hmagic,
              sip_t const  *sip,
              tagi_t        tags[])
{
  TbSipLine *self = magic;

  g_debug ("line %s: %s %d %s", tb_line_get_name (TB_LINE (self)), nua_event_name (event), status,
           phrase ? phrase : "");

  if (event == nua_r_shutdown) {
    if (status >= 200)
      self->shutdown_done = TRUE;
    return;
  }
  if (nh != NULL && nh == self->reg_nh) {
    handle_register (self, event, status, phrase, sip);
    return;
  }
  if (hmagic != NULL) {
    TbSipCall *call = TB_SIP_CALL (hmagic);
    int callstate = -1;

    tb_sip_call_handle_event (call, event, status, phrase, sip, tags);
    if (event == nua_i_state)
      tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), TAG_END ());
    if (callstate == nua_callstate_terminated) {
      tb_sip_call_abandon (call);
      nua_handle_destroy (nh);
      release_call (self, call);
    }
    return;
  }
  if (event == nua_i_invite) {
    /* Telebot only calls out. */
    nua_respond (nh, SIP_480_TEMPORARILY_UNAVAILABLE, NUTAG_WITH_THIS (nua), TAG_END ());
    return;
  }
  if (event == nua_i_state && nh != NULL) {
    int callstate = -1;

    tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), TAG_END ());
    if (callstate == nua_callstate_terminated)
      nua_handle_destroy (nh);
  }
}

static gboolean
ensure_stack (TbSipLine  *self,
              GError    **error)
{
  g_autofree char *host = NULL;
  g_autofree char *bind = NULL;
  g_autoptr(GError) local_error = NULL;
  guint port;

  if (self->nua != NULL)
    return TRUE;

  /* Our packets go to the outbound proxy when there is one, else to the domain. */
  host = self->outbound_proxy ? proxy_host (self->outbound_proxy) : domain_host (self->domain);
  if (host == NULL || (self->local_ip = local_ip_towards (host, &local_error)) == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "line %s: %s \"%s\": %s",
                 tb_line_get_name (TB_LINE (self)),
                 self->outbound_proxy ? "outbound proxy" : "domain",
                 self->outbound_proxy ? self->outbound_proxy : self->domain,
                 local_error ? local_error->message : "no host");
    return FALSE;
  }
  if ((port = free_port (self->local_ip, &local_error)) == 0) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED, "line %s: %s",
                 tb_line_get_name (TB_LINE (self)), local_error->message);
    return FALSE;
  }
  bind = g_strdup_printf ("sip:%s:%u;transport=%s", self->local_ip, port,
                          self->transport ? self->transport : "udp");
  self->root = su_glib_root_create (self);
  self->root_source = g_source_ref (su_glib_root_gsource (self->root));
  g_source_attach (self->root_source, g_main_context_get_thread_default ());
  self->nua = nua_create (self->root, nua_event_cb, self,
                          NUTAG_URL (bind),
                          NUTAG_MEDIA_ENABLE (0),
                          NUTAG_AUTOACK (1),
                          NUTAG_ALLOW ("INVITE, ACK, BYE, CANCEL, OPTIONS, NOTIFY, REFER"),
                          SIPTAG_USER_AGENT_STR ("Telebot/" PACKAGE_VERSION),
                          NUTAG_OUTBOUND ("natify use-rport no-options-keepalive no-validate"),
                          NTATAG_RPORT (1),
                          TAG_IF (self->outbound_proxy != NULL,
                                  NUTAG_PROXY (self->outbound_proxy)),
                          TAG_END ());
  if (self->nua == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_FAILED,
                 "line %s: cannot open SIP on %s", tb_line_get_name (TB_LINE (self)), bind);
    g_clear_pointer (&self->root, su_root_destroy);
    g_source_destroy (self->root_source);
    g_clear_pointer (&self->root_source, g_source_unref);
    return FALSE;
  }
  g_free (self->contact);
  self->contact = g_strdup_printf ("sip:%s:%u", self->local_ip, port);
  self->shutdown_done = FALSE;
  return TRUE;
}

static char *
dup_from (TbSipLine  *self,
          const char *caller_id)
{
  const char *user = self->user ? self->user
                                : caller_id ? caller_id
                                : self->caller_id ? self->caller_id : "telebot";

  return g_strdup_printf ("<sip:%s@%s>", user, self->domain);
}

static void
tb_sip_line_start (TbLine *line)
{
  TbSipLine *self = TB_SIP_LINE (line);
  g_autoptr(GError) error = NULL;
  g_autofree char *aor = NULL;
  g_autofree char *registrar = NULL;
  g_autofree char *tparam = NULL;
  g_autofree char *expires = NULL;

  if (tb_line_get_state (TB_LINE (self)) == TB_LINE_STATE_READY ||
      tb_line_get_state (TB_LINE (self)) == TB_LINE_STATE_REGISTERING)
    return;
  if (!ensure_stack (self, &error)) {
    set_state (self, TB_LINE_STATE_ERROR, error->message);
    return;
  }
  if (!self->do_register) {
    set_state (self, TB_LINE_STATE_READY, NULL);
    return;
  }
  tparam = transport_param (self);
  aor = g_strdup_printf ("sip:%s@%s", self->user, self->domain);
  registrar = self->registrar ? g_strdup (self->registrar)
                              : g_strdup_printf ("sip:%s%s", self->domain, tparam);
  if (self->reg_nh == NULL)
    self->reg_nh = nua_handle (self->nua, NULL, SIPTAG_TO_STR (aor), SIPTAG_FROM_STR (aor),
                               TAG_END ());
  self->reg_auth_attempts = 0;
  set_state (self, TB_LINE_STATE_REGISTERING, NULL);
  expires = g_strdup_printf ("%u", self->register_expires);
  nua_register (self->reg_nh,
                NUTAG_REGISTRAR (registrar),
                NUTAG_M_USERNAME (self->user),
                SIPTAG_EXPIRES_STR (expires),
                TAG_END ());
}

static gboolean
shutdown_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Takes the stack down: hangs up, unregisters, and waits (a bounded time) for nua. */
static void
shutdown_stack (TbSipLine *self)
{
  gboolean timed_out = FALSE;
  guint timeout;

  if (self->nua == NULL)
    return;
  tb_line_hang_up_all (TB_LINE (self));
  if (self->reg_nh != NULL && self->registered) {
    nua_unregister (self->reg_nh, TAG_END ());
  } else if (self->reg_nh != NULL) {
    /* A failed registration has nothing to undo; left alone it stalls the shutdown. */
    nua_handle_destroy (g_steal_pointer (&self->reg_nh));
  }
  nua_shutdown (self->nua);
  timeout = g_timeout_add (3000, shutdown_timeout_cb, &timed_out);
  while (!self->shutdown_done && !timed_out)
    g_main_context_iteration (g_source_get_context (self->root_source), TRUE);
  if (!timed_out)
    g_source_remove (timeout);

  /* Whatever nua did not terminate is forgotten now. */
  while (self->calls->len > 0) {
    TbSipCall *call = g_ptr_array_index (self->calls, 0);

    tb_sip_call_abandon (call);
    release_call (self, call);
  }
  if (self->reg_nh != NULL)
    nua_handle_destroy (g_steal_pointer (&self->reg_nh));
  nua_destroy (g_steal_pointer (&self->nua));
  /* su_root_destroy insists on its source still being attached; detach it afterwards. */
  g_clear_pointer (&self->root, su_root_destroy);
  g_source_destroy (self->root_source);
  g_clear_pointer (&self->root_source, g_source_unref);
  self->registered = FALSE;
}

static void
tb_sip_line_stop (TbLine *line)
{
  TbSipLine *self = TB_SIP_LINE (line);

  shutdown_stack (self);
  set_state (self, TB_LINE_STATE_OFFLINE, NULL);
}

static TbCall *
tb_sip_line_dial (TbLine               *line,
                  const TbDialRequest  *request,
                  GError              **error)
{
  TbSipLine *self = TB_SIP_LINE (line);
  g_autofree char *uri = NULL;
  g_autofree char *from = dup_from (self, request->caller_id);
  g_autofree char *extra = NULL;
  g_autofree char *number = g_strstrip (g_strdup (request->number));
  TbSipCallParams params = { 0 };
  TbSipCall *call;

  if (g_str_has_prefix (number, "sip:") || g_str_has_prefix (number, "sips:")) {
    uri = g_strdup (number);
  } else {
    g_autofree char *tparam = transport_param (self);

    /* A phone number, or a SIP user name on the provider ("bob", "sales.desk"). */
    for (const char *p = number; *p; p++)
      if (!g_ascii_isalnum (*p) && !strchr ("+*#._-", *p)) {
        g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                     "line %s: \"%s\" is not a phone number or SIP URI",
                     tb_line_get_name (TB_LINE (self)), number);
        return NULL;
      }
    uri = g_strdup_printf ("sip:%s@%s%s", number, self->domain, tparam);
  }
  /* The number presented: the dial's (one of a DID range), else the line's. */
  if (self->user != NULL && (request->caller_id != NULL || self->caller_id != NULL))
    extra = g_strdup_printf ("P-Asserted-Identity: <sip:%s@%s>",
                             request->caller_id ? request->caller_id : self->caller_id,
                             self->domain);

  params.uri = uri;
  params.from = from;
  params.extra_headers = extra;
  params.local_ip = self->local_ip;
  params.user = self->user;
  params.password = self->password;
  params.ring_timeout_ms = request->ring_timeout_ms ? request->ring_timeout_ms
                                                    : TB_LINE_DEFAULT_RING_TIMEOUT_MS;
  params.rtp_timeout_ms = self->rtp_timeout_ms;
  call = tb_sip_call_new (request->number, self->nua, &params, error);
  if (call == NULL)
    return NULL;
  g_ptr_array_add (self->calls, call);
  return TB_CALL (g_object_ref (call));
}

static void
tb_sip_line_dispose (GObject *object)
{
  TbSipLine *self = TB_SIP_LINE (object);

  shutdown_stack (self);

  G_OBJECT_CLASS (tb_sip_line_parent_class)->dispose (object);
}

static void
tb_sip_line_finalize (GObject *object)
{
  TbSipLine *self = TB_SIP_LINE (object);

  g_ptr_array_unref (self->calls);
  g_free (self->domain);
  g_free (self->user);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->registrar);
  g_free (self->outbound_proxy);
  g_free (self->transport);
  g_free (self->caller_id);
  g_free (self->local_ip);
  g_free (self->contact);

  G_OBJECT_CLASS (tb_sip_line_parent_class)->finalize (object);
}

static void
tb_sip_line_class_init (TbSipLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TbLineClass *line_class = TB_LINE_CLASS (klass);

  object_class->dispose = tb_sip_line_dispose;
  object_class->finalize = tb_sip_line_finalize;
  line_class->kind = "sip";
  line_class->start = tb_sip_line_start;
  line_class->stop = tb_sip_line_stop;
  line_class->dial = tb_sip_line_dial;
}

static void
tb_sip_line_init (TbSipLine *self)
{
  /* Calls build GStreamer bins; a program that never set GStreamer up still gets them. */
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  self->calls = g_ptr_array_new_with_free_func (g_object_unref);
}

TbSipLine *
tb_sip_line_new (const char         *name,
                 const TbSipConfig  *config,
                 GError            **error)
{
  g_autoptr(TbSipLine) self = NULL;

  g_return_val_if_fail (name != NULL && config != NULL, NULL);

  if (config->domain == NULL || *config->domain == '\0') {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID, "line %s: no domain", name);
    return NULL;
  }
  if (config->transport != NULL && g_strcmp0 (config->transport, "udp") != 0 &&
      g_strcmp0 (config->transport, "tcp") != 0) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_SUPPORTED,
                 "line %s: transport \"%s\" is not supported (udp, tcp)", name,
                 config->transport);
    return NULL;
  }
  if (config->registrar != NULL && config->user == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "line %s: a registrar needs a user", name);
    return NULL;
  }
  self = g_object_new (TB_TYPE_SIP_LINE, "name", name, NULL);
  self->domain = g_strdup (config->domain);
  self->user = g_strdup (config->user);
  self->password = g_strdup (config->password);
  self->registrar = g_strdup (config->registrar);
  self->outbound_proxy = g_strdup (config->outbound_proxy);
  self->transport = g_strdup (config->transport ? config->transport : "udp");
  self->caller_id = g_strdup (config->caller_id);
  self->do_register = !config->no_register && config->user != NULL &&
                      (config->password != NULL || config->registrar != NULL);
  self->rtp_timeout_ms = config->rtp_timeout_ms ? config->rtp_timeout_ms
                                                : DEFAULT_RTP_TIMEOUT_MS;
  self->register_expires = config->register_expires ? config->register_expires : 300;
  return g_steal_pointer (&self);
}

TbSipLine *
tb_sip_line_new_from_config (const char  *name,
                             const char  *config_json,
                             int          max_calls,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *password = NULL;
  TbSipConfig config = { 0 };
  const char *password_env, *password_file;
  JsonObject *o;
  TbSipLine *self;

  if ((o = tb_line_parse_config (name, config_json, parser, error)) == NULL)
    return NULL;
#define STR(k) json_object_get_string_member_with_default (o, k, NULL)
  config.domain = STR ("domain");
  config.user = STR ("user");
  config.registrar = STR ("registrar");
  config.outbound_proxy = STR ("outbound_proxy");
  config.transport = STR ("transport");
  config.caller_id = STR ("caller_id");
  password_env = STR ("password_env");
  password_file = STR ("password_file");
#undef STR
  config.no_register = json_object_get_boolean_member_with_default (o, "no_register", FALSE);
  config.rtp_timeout_ms = json_object_get_int_member_with_default (o, "rtp_timeout_ms", 0);
  config.register_expires = json_object_get_int_member_with_default (o, "register_expires", 0);

  /* The one rule of every credential (tb-credential.h): the variable, else the file, else
   * the keyring entry of this line. */
  if (password_env != NULL || password_file != NULL || config.user != NULL) {
    g_autofree char *what = g_strdup_printf ("line %s: its password", name);
    TbCredentialPlace place = {
      what, password_env, "password_env", password_file, "sip", name, &legacy_sip_schema, "line",
    };

    if (!tb_credential_lookup (&place, &password, NULL, &local_error)) {
      if (password_env != NULL || password_file != NULL) {
        g_set_error_literal (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID, local_error->message);
        return NULL;
      }
      g_debug ("%s", local_error->message);
    }
  }
  if (password == NULL && config.user != NULL && !config.no_register) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "line %s: no password for %s (set password_env or password_file, or store "
                 "it in the keyring)", name, config.user);
    return NULL;
  }
  config.password = password;
  self = tb_sip_line_new (name, &config, error);
  if (self != NULL && max_calls > 0)
    g_object_set (self, "max-calls", max_calls, NULL);
  if (password != NULL)
    memset (password, 0, strlen (password));
  return self;
}

const char *
tb_sip_line_get_contact (TbSipLine *self)
{
  g_return_val_if_fail (TB_IS_SIP_LINE (self), NULL);
  return self->contact;
}

gboolean
tb_sip_line_get_registered (TbSipLine *self)
{
  g_return_val_if_fail (TB_IS_SIP_LINE (self), FALSE);
  return self->registered;
}

gboolean
tb_sip_line_store_password (const char  *name,
                            const char  *password,
                            GError     **error)
{
  g_autofree char *label = g_strdup_printf ("Telebot SIP line %s", name);

  return tb_credential_store ("sip", name, label, password, NULL, error);
}

void
tb_sip_line_store_password_async (const char          *name,
                                  const char          *password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *label = g_strdup_printf ("Telebot SIP line %s", name);

  tb_credential_store_async ("sip", name, label, password, cancellable, callback, user_data);
}

gboolean
tb_sip_line_store_password_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return tb_credential_store_finish (result, error);
}
