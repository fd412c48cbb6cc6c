/* tb-at-channel.h — a modem's AT port on the main loop: command queue, timeouts, URCs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-at-parser.h"
#include "tb-modem-types.h"

G_BEGIN_DECLS

#define TB_TYPE_AT_CHANNEL (tb_at_channel_get_type ())
G_DECLARE_FINAL_TYPE (TbAtChannel, tb_at_channel, TB, AT_CHANNEL, GObject)

/* Opens a serial/pty device the way a modem port wants it: O_NOCTTY|O_NONBLOCK, raw,
 * 115200 8N1, no flow control. Returns the fd, or -1 with @error set. */
int           tb_at_channel_open_tty      (const char           *path,
                                           GError              **error);

TbAtChannel  *tb_at_channel_new           (void);
gboolean      tb_at_channel_open          (TbAtChannel          *self,
                                           const char           *path,
                                           GError              **error);
/* Fails every queued command with TB_MODEM_ERROR_CLOSED. Emits nothing. */
void          tb_at_channel_close         (TbAtChannel          *self);
gboolean      tb_at_channel_is_open       (TbAtChannel          *self);
const char   *tb_at_channel_get_path      (TbAtChannel          *self);

/* Queues the whole @command ("AT+CSQ"); CR is appended.
 * Lines of information text starting with @response_prefix (all of them if NULL) make the
 * response. The timer of @timeout_ms starts when the command is written. */
void          tb_at_channel_send_async    (TbAtChannel          *self,
                                           const char           *command,
                                           const char           *response_prefix,
                                           guint                 timeout_ms,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
/* Returns the response lines (maybe empty) if the final result was OK or CONNECT; otherwise
 * NULL with TB_MODEM_ERROR_COMMAND/_CALL/_TIMEOUT/_CLOSED. @final (optional) gets the final
 * result code (TB_AT_FINAL_NONE on timeout or close). */
GStrv         tb_at_channel_send_finish   (TbAtChannel          *self,
                                           GAsyncResult         *result,
                                           TbAtFinal            *final,
                                           GError              **error);

G_END_DECLS
