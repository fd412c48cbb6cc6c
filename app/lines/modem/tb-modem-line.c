/* tb-modem-line.c — a USB voice modem as a TbLine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Written against the lines branch's TbLine (tb-line.h at commit e173071) before it was in
 * this tree; the lead adds it and tb-modem-line-call.c to app/lines/modem/meson.build and a
 * "modem" case to tb_line_new_for_config() at merge. All telephony is in TbModemDevice; this
 * maps its state (OFFLINE/PROBING/READY/IN_CALL/ERROR) to TbLineState and wraps its calls.
 * One modem carries one call: max-calls is always 1.
 */
#define G_LOG_DOMAIN "tb-modem-line"

#include "config.h"

#include "tb-enums.h"
#include "tb-modem-line-call.h"
#include "tb-modem-line.h"

#include <json-glib/json-glib.h>

struct _TbModemLine
{
  GObject        parent_instance;

  char          *name;
  TbModemDevice *device;   /* owned */
  TbCall        *call;     /* the call in progress, owned until it ends */
};

static void tb_modem_line_iface_init (TbLineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TbModemLine, tb_modem_line, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TB_TYPE_LINE, tb_modem_line_iface_init))

enum {
  PROP_0,
  PROP_NAME,
  PROP_KIND,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_MAX_CALLS,
  PROP_N_CALLS,
  N_PROPS
};

static TbLineState
line_state (TbModemLine *self)
{
  switch (tb_modem_device_get_state (self->device)) {
  case TB_MODEM_STATE_PROBING: return TB_LINE_STATE_REGISTERING;
  case TB_MODEM_STATE_READY:
  case TB_MODEM_STATE_IN_CALL: return TB_LINE_STATE_READY;
  case TB_MODEM_STATE_ERROR: return TB_LINE_STATE_ERROR;
  case TB_MODEM_STATE_OFFLINE:
  default: return TB_LINE_STATE_OFFLINE;
  }
}

static void
on_device_state (TbModemDevice *device,
                 GParamSpec    *pspec,
                 TbModemLine   *self)
{
  g_object_notify (G_OBJECT (self), "state");
}

static void
on_device_last_error (TbModemDevice *device,
                      GParamSpec    *pspec,
                      TbModemLine   *self)
{
  g_object_notify (G_OBJECT (self), "last-error");
}

static void
on_call_state (TbCall      *call,
               GParamSpec  *pspec,
               TbModemLine *self)
{
  if (tb_call_get_state (call) != TB_CALL_STATE_ENDED || call != self->call)
    return;
  g_signal_handlers_disconnect_by_func (call, on_call_state, self);
  g_clear_object (&self->call);
  g_object_notify (G_OBJECT (self), "n-calls");
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* State and message are the device's, and so the line's; nothing more to do here. */
  if (!tb_modem_device_open_finish (TB_MODEM_DEVICE (source), result, &error))
    g_debug ("%s", error->message);
}

static void
tb_modem_line_start (TbLine *line)
{
  TbModemLine *self = TB_MODEM_LINE (line);

  tb_modem_device_open_async (self->device, NULL, open_cb, NULL);
}

static void
tb_modem_line_stop (TbLine *line)
{
  TbModemLine *self = TB_MODEM_LINE (line);

  tb_modem_device_close (self->device);
}

static TbCall *
tb_modem_line_dial (TbLine               *line,
                    const TbDialRequest  *request,
                    GError              **error)
{
  TbModemLine *self = TB_MODEM_LINE (line);
  g_autoptr(TbModemCall) modem_call = NULL;
  g_autoptr(GError) local_error = NULL;
  TbModemLineCall *call;

  modem_call = tb_modem_device_dial_full (self->device, request->number,
                                          request->ring_timeout_ms
                                            ? request->ring_timeout_ms
                                            : TB_LINE_DEFAULT_RING_TIMEOUT_MS,
                                          &local_error);
  if (modem_call == NULL) {
    TbLineError code = TB_LINE_ERROR_FAILED;

    if (g_error_matches (local_error, TB_MODEM_ERROR, TB_MODEM_ERROR_INVALID))
      code = TB_LINE_ERROR_INVALID;
    else if (g_error_matches (local_error, TB_MODEM_ERROR, TB_MODEM_ERROR_NOT_READY) ||
             g_error_matches (local_error, TB_MODEM_ERROR, TB_MODEM_ERROR_NO_VOICE))
      code = TB_LINE_ERROR_NOT_READY;
    g_set_error (error, TB_LINE_ERROR, code, "line %s: %s", self->name, local_error->message);
    return NULL;
  }
  call = tb_modem_line_call_new (modem_call);
  self->call = g_object_ref (TB_CALL (call));
  g_signal_connect (call, "notify::state", G_CALLBACK (on_call_state), self);
  g_object_notify (G_OBJECT (self), "n-calls");
  return TB_CALL (call);
}

static void
tb_modem_line_iface_init (TbLineInterface *iface)
{
  iface->start = tb_modem_line_start;
  iface->stop = tb_modem_line_stop;
  iface->dial = tb_modem_line_dial;
}

static void
tb_modem_line_dispose (GObject *object)
{
  TbModemLine *self = TB_MODEM_LINE (object);

  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  if (self->device != NULL) {
    g_signal_handlers_disconnect_by_data (self->device, self);
    tb_modem_device_close (self->device);
  }
  g_clear_object (&self->device);
  G_OBJECT_CLASS (tb_modem_line_parent_class)->dispose (object);
}

static void
tb_modem_line_finalize (GObject *object)
{
  TbModemLine *self = TB_MODEM_LINE (object);

  g_free (self->name);
  G_OBJECT_CLASS (tb_modem_line_parent_class)->finalize (object);
}

static void
tb_modem_line_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TbModemLine *self = TB_MODEM_LINE (object);

  switch (prop_id) {
  case PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  case PROP_KIND:
    g_value_set_string (value, "modem");
    break;
  case PROP_STATE:
    g_value_set_enum (value, line_state (self));
    break;
  case PROP_LAST_ERROR:
    g_value_set_string (value, tb_modem_device_get_last_error (self->device));
    break;
  case PROP_MAX_CALLS:
    g_value_set_int (value, 1);
    break;
  case PROP_N_CALLS:
    g_value_set_uint (value, self->call != NULL ? 1 : 0);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_modem_line_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TbModemLine *self = TB_MODEM_LINE (object);

  switch (prop_id) {
  case PROP_NAME:
    self->name = g_value_dup_string (value);
    break;
  case PROP_MAX_CALLS:
    break;  /* one voice call per modem, whatever the configuration says */
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_modem_line_class_init (TbModemLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_modem_line_dispose;
  object_class->finalize = tb_modem_line_finalize;
  object_class->get_property = tb_modem_line_get_property;
  object_class->set_property = tb_modem_line_set_property;

  g_object_class_override_property (object_class, PROP_NAME, "name");
  g_object_class_override_property (object_class, PROP_KIND, "kind");
  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_LAST_ERROR, "last-error");
  g_object_class_override_property (object_class, PROP_MAX_CALLS, "max-calls");
  g_object_class_override_property (object_class, PROP_N_CALLS, "n-calls");
}

static void
tb_modem_line_init (TbModemLine *self)
{
}

TbModemLine *
tb_modem_line_new (const char  *name,
                   const char  *device_path,
                   const char  *audio_path,
                   const char  *vendor,
                   GError     **error)
{
  TbModemVendor v = TB_MODEM_VENDOR_UNKNOWN;
  TbModemLine *self;

  g_return_val_if_fail (name != NULL, NULL);

  if (device_path == NULL || *device_path == '\0') {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "line %s: no modem device (--device)", name);
    return NULL;
  }
  if (vendor != NULL && !tb_modem_vendor_from_string (vendor, &v)) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "line %s: vendor \"%s\" is not huawei or simcom", name, vendor);
    return NULL;
  }
  self = g_object_new (TB_TYPE_MODEM_LINE, "name", name, NULL);
  self->device = tb_modem_device_new (device_path, audio_path, v);
  g_signal_connect (self->device, "notify::state", G_CALLBACK (on_device_state), self);
  g_signal_connect (self->device, "notify::last-error", G_CALLBACK (on_device_last_error),
                    self);
  return self;
}

TbModemLine *
tb_modem_line_new_from_config (const char  *name,
                               const char  *config_json,
                               int          max_calls,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *o;

  if (config_json == NULL || !json_parser_load_from_data (parser, config_json, -1, &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                 "line %s: the modem configuration is not a JSON object%s%s", name,
                 local_error ? ": " : "", local_error ? local_error->message : "");
    return NULL;
  }
  o = json_node_get_object (json_parser_get_root (parser));
  return tb_modem_line_new (name,
                            json_object_get_string_member_with_default (o, "device", NULL),
                            json_object_get_string_member_with_default (o, "audio", NULL),
                            json_object_get_string_member_with_default (o, "vendor", NULL),
                            error);
}

TbModemDevice *
tb_modem_line_get_device (TbModemLine *self)
{
  g_return_val_if_fail (TB_IS_MODEM_LINE (self), NULL);
  return self->device;
}
