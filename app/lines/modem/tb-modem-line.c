/* tb-modem-line.c — a USB voice modem as a TbLine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All telephony is in TbModemDevice; this maps its state (OFFLINE/PROBING/READY/IN_CALL/
 * ERROR) to TbLineState; its calls are TbModemCalls, TbCalls of their own. One modem
 * carries one call: max-calls is always 1.
 */
#define G_LOG_DOMAIN "tb-modem-line"

#include "config.h"

#include "tb-enums.h"
#include "tb-modem-call.h"
#include "tb-modem-line.h"

#include <json-glib/json-glib.h>

struct _TbModemLine
{
  TbLine         parent_instance;

  TbModemDevice *device;   /* owned */
};

G_DEFINE_FINAL_TYPE (TbModemLine, tb_modem_line, TB_TYPE_LINE)

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

/* The device's state and message are the line's. */
static void
on_device_notify (TbModemDevice *device,
                  GParamSpec    *pspec,
                  TbModemLine   *self)
{
  tb_line_set_state (TB_LINE (self), line_state (self), tb_modem_device_get_last_error (device));
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
    g_set_error (error, TB_LINE_ERROR, code, "line %s: %s", tb_line_get_name (line),
                 local_error->message);
    return NULL;
  }
  return TB_CALL (g_steal_pointer (&modem_call));
}

static void
tb_modem_line_dispose (GObject *object)
{
  TbModemLine *self = TB_MODEM_LINE (object);

  if (self->device != NULL) {
    g_signal_handlers_disconnect_by_data (self->device, self);
    tb_modem_device_close (self->device);
  }
  g_clear_object (&self->device);
  G_OBJECT_CLASS (tb_modem_line_parent_class)->dispose (object);
}

static void
tb_modem_line_class_init (TbModemLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TbLineClass *line_class = TB_LINE_CLASS (klass);

  object_class->dispose = tb_modem_line_dispose;
  line_class->kind = "modem";
  line_class->fixed_max_calls = 1;
  line_class->start = tb_modem_line_start;
  line_class->stop = tb_modem_line_stop;
  line_class->dial = tb_modem_line_dial;
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
  g_signal_connect (self->device, "notify::state", G_CALLBACK (on_device_notify), self);
  g_signal_connect (self->device, "notify::last-error", G_CALLBACK (on_device_notify), self);
  return self;
}

TbModemLine *
tb_modem_line_new_from_config (const char  *name,
                               const char  *config_json,
                               int          max_calls,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if ((o = tb_line_parse_config (name, config_json, parser, error)) == NULL)
    return NULL;
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
