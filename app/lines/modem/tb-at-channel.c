/* tb-at-channel.c — a modem's AT port on the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One command is in flight at a time (V.250 forbids more); the rest wait in a queue. Lines
 * that are not part of the command in flight — URCs, status lines, result codes nobody asked
 * for (NO CARRIER after ATD;…OK) — are emitted as ::unsolicited.
 */
#define G_LOG_DOMAIN "tb-at-channel"

#include "config.h"

#include "tb-at-channel.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

typedef struct {
  char      *command;
  char      *prefix;
  guint      timeout_ms;
  GPtrArray *lines;
} Pending;

struct _TbAtChannel
{
  GObject      parent_instance;

  char        *path;
  int          fd;
  TbAtParser  *parser;
  GQueue       queue;        /* GTask whose task data is a Pending; head is in flight */
  gboolean     in_flight;
  GString     *out;

  guint        read_id;
  guint        write_id;
  guint        timeout_id;
};

G_DEFINE_FINAL_TYPE (TbAtChannel, tb_at_channel, G_TYPE_OBJECT)

enum {
  SIGNAL_UNSOLICITED,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pending_free (gpointer data)
{
  Pending *p = data;

  g_free (p->command);
  g_free (p->prefix);
  g_ptr_array_unref (p->lines);
  g_free (p);
}

int
tb_at_channel_open_tty (const char  *path,
                        GError     **error)
{
  struct termios tio;
  int fd;

  fd = open (path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int saved = errno;

    g_set_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_OPEN,
                 "%s: cannot open the modem port: %s", path, g_strerror (saved));
    return -1;
  }
  if (tcgetattr (fd, &tio) == 0) {
    cfmakeraw (&tio);
    cfsetispeed (&tio, B115200);
    cfsetospeed (&tio, B115200);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~(CRTSCTS | CSTOPB);
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (tcsetattr (fd, TCSANOW, &tio) != 0) {
      int saved = errno;

      close (fd);
      g_set_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_OPEN,
                   "%s: cannot set the port to raw 115200 8N1: %s", path, g_strerror (saved));
      return -1;
    }
    tcflush (fd, TCIFLUSH);
  } else if (errno != ENOTTY) {
    int saved = errno;

    close (fd);
    g_set_error (error, TB_MODEM_ERROR, TB_MODEM_ERROR_OPEN,
                 "%s: cannot read the port's settings: %s", path, g_strerror (saved));
    return -1;
  }
  return fd;
}

static void send_next (TbAtChannel *self);

static void
complete_head (TbAtChannel *self,
               TbAtFinal    final,
               GError      *error)
{
  g_autoptr(GTask) task = g_queue_pop_head (&self->queue);
  Pending *p = g_task_get_task_data (task);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->in_flight = FALSE;
  g_object_set_data (G_OBJECT (task), "tb-final", GINT_TO_POINTER (final));
  if (error != NULL) {
    g_task_return_error (task, error);
  } else {
    GStrv lines;

    g_ptr_array_add (p->lines, NULL);
    lines = (GStrv) g_ptr_array_steal (p->lines, NULL);
    g_task_return_pointer (task, lines, (GDestroyNotify) g_strfreev);
  }
  send_next (self);
}

static gboolean
on_command_timeout (gpointer user_data)
{
  TbAtChannel *self = user_data;
  Pending *p = g_task_get_task_data (g_queue_peek_head (&self->queue));

  self->timeout_id = 0;
  complete_head (self, TB_AT_FINAL_NONE,
                 g_error_new (TB_MODEM_ERROR, TB_MODEM_ERROR_TIMEOUT,
                              "%s: no answer to %s within %u ms", self->path, p->command,
                              p->timeout_ms));
  return G_SOURCE_REMOVE;
}

static void close_with_error (TbAtChannel *self, GError *error);

static gboolean
flush_out (TbAtChannel *self)
{
  while (self->out->len > 0) {
    ssize_t n = write (self->fd, self->out->str, self->out->len);

    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN)
        return FALSE;
      close_with_error (self, g_error_new (TB_MODEM_ERROR, TB_MODEM_ERROR_CLOSED,
                                           "%s: writing to the modem failed: %s", self->path,
                                           g_strerror (errno)));
      return TRUE;
    }
    g_string_erase (self->out, 0, n);
  }
  return TRUE;
}

static gboolean
on_writable (GIOChannel   *source,
             GIOCondition  condition,
             gpointer      user_data)
{
  TbAtChannel *self = user_data;

  if (self->fd < 0 || flush_out (self)) {
    self->write_id = 0;
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static void
send_next (TbAtChannel *self)
{
  Pending *p;

  if (self->in_flight || self->fd < 0 || g_queue_is_empty (&self->queue))
    return;
  /* A command cancelled while it waited is never sent. */
  while (!g_queue_is_empty (&self->queue) &&
         g_task_return_error_if_cancelled (g_queue_peek_head (&self->queue)))
    g_object_unref (g_queue_pop_head (&self->queue));
  if (g_queue_is_empty (&self->queue))
    return;
  p = g_task_get_task_data (g_queue_peek_head (&self->queue));
  self->in_flight = TRUE;
  g_debug ("%s <- %s", self->path, p->command);
  g_string_append_printf (self->out, "%s\r", p->command);
  self->timeout_id = g_timeout_add (p->timeout_ms, on_command_timeout, self);
  if (!flush_out (self) && self->write_id == 0) {
    g_autoptr(GIOChannel) io = g_io_channel_unix_new (self->fd);

    self->write_id = g_io_add_watch (io, G_IO_OUT, on_writable, self);
  }
}

static gboolean
prefix_matches (const Pending *p,
                const char    *text)
{
  return p->prefix == NULL || g_ascii_strncasecmp (text, p->prefix, strlen (p->prefix)) == 0;
}

static void
on_parser_line (const TbAtLine *line,
                gpointer        user_data)
{
  TbAtChannel *self = user_data;
  Pending *p = NULL;

  if (self->fd < 0)
    return;  /* closed by a handler of an earlier line of the same read */
  if (self->in_flight)
    p = g_task_get_task_data (g_queue_peek_head (&self->queue));

  g_debug ("%s -> %s", self->path, line->text);
  switch (line->kind) {
  case TB_AT_LINE_ECHO:
    return;
  case TB_AT_LINE_FINAL:
    if (p != NULL) {
      if (line->final == TB_AT_FINAL_OK || line->final == TB_AT_FINAL_CONNECT) {
        complete_head (self, line->final, NULL);
      } else {
        gboolean call = line->final == TB_AT_FINAL_NO_CARRIER ||
                        line->final == TB_AT_FINAL_BUSY ||
                        line->final == TB_AT_FINAL_NO_ANSWER ||
                        line->final == TB_AT_FINAL_NO_DIALTONE;
        complete_head (self, line->final,
                       g_error_new (TB_MODEM_ERROR,
                                    call ? TB_MODEM_ERROR_CALL : TB_MODEM_ERROR_COMMAND,
                                    "%s: %s answered %s", self->path, p->command, line->text));
      }
      return;
    }
    break;
  case TB_AT_LINE_URC:
    break;
  case TB_AT_LINE_INFO:
  default:
    if (p != NULL && prefix_matches (p, line->text))
      g_ptr_array_add (p->lines, g_strdup (line->text));
    if (line->report == TB_AT_REPORT_NONE)
      return;
    break;
  }
  g_signal_emit (self, signals[SIGNAL_UNSOLICITED], 0, line);
}

static void
fail_all (TbAtChannel *self,
          const char  *why)
{
  GTask *task;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->in_flight = FALSE;
  while ((task = g_queue_pop_head (&self->queue)) != NULL) {
    Pending *p = g_task_get_task_data (task);

    g_object_set_data (G_OBJECT (task), "tb-final", GINT_TO_POINTER (TB_AT_FINAL_NONE));
    g_task_return_new_error (task, TB_MODEM_ERROR, TB_MODEM_ERROR_CLOSED, "%s: %s (%s)",
                             self->path ? self->path : "modem", why, p->command);
    g_object_unref (task);
  }
}

static void
close_fd (TbAtChannel *self)
{
  g_clear_handle_id (&self->read_id, g_source_remove);
  g_clear_handle_id (&self->write_id, g_source_remove);
  if (self->fd >= 0) {
    close (self->fd);
    self->fd = -1;
  }
  g_string_truncate (self->out, 0);
  tb_at_parser_reset (self->parser);
}

static void
close_with_error (TbAtChannel *self,
                  GError      *error)
{
  g_autoptr(GError) owned = error;

  g_object_ref (self);
  close_fd (self);
  fail_all (self, "the port closed");
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, owned);
  g_object_unref (self);
}

static gboolean
on_readable (GIOChannel   *source,
             GIOCondition  condition,
             gpointer      user_data)
{
  TbAtChannel *self = user_data;
  guint8 buf[512];
  ssize_t n;

  n = read (self->fd, buf, sizeof buf);
  if (n > 0) {
    g_object_ref (self);
    tb_at_parser_feed (self->parser, buf, n);
    g_object_unref (self);
    return G_SOURCE_CONTINUE;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR) && !(condition & (G_IO_HUP | G_IO_ERR)))
    return G_SOURCE_CONTINUE;

  self->read_id = 0;
  close_with_error (self, g_error_new (TB_MODEM_ERROR, TB_MODEM_ERROR_CLOSED,
                                       "%s: the modem port went away (%s)", self->path,
                                       n == 0 ? "end of file"
                                              : n < 0 ? g_strerror (errno) : "hang-up"));
  return G_SOURCE_REMOVE;
}

static void
tb_at_channel_dispose (GObject *object)
{
  TbAtChannel *self = TB_AT_CHANNEL (object);

  close_fd (self);
  fail_all (self, "the channel was disposed");
  G_OBJECT_CLASS (tb_at_channel_parent_class)->dispose (object);
}

static void
tb_at_channel_finalize (GObject *object)
{
  TbAtChannel *self = TB_AT_CHANNEL (object);

  g_clear_pointer (&self->parser, tb_at_parser_free);
  g_string_free (self->out, TRUE);
  g_free (self->path);
  G_OBJECT_CLASS (tb_at_channel_parent_class)->finalize (object);
}

static void
tb_at_channel_class_init (TbAtChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_at_channel_dispose;
  object_class->finalize = tb_at_channel_finalize;

  /**
   * TbAtChannel::unsolicited:
   * @line: (type gpointer): the `TbAtLine`, valid during the emission
   *
   * A URC, a status line (+CSQ/+CPIN/+COPS/+CLCC, asked for or not), or a final result code
   * that arrived while no command was in flight.
   */
  signals[SIGNAL_UNSOLICITED] =
    g_signal_new ("unsolicited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * TbAtChannel::closed:
   * @error: why
   *
   * The port went away by itself (not emitted by tb_at_channel_close()).
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tb_at_channel_init (TbAtChannel *self)
{
  self->fd = -1;
  self->parser = tb_at_parser_new (on_parser_line, self);
  self->out = g_string_new (NULL);
  g_queue_init (&self->queue);
}

TbAtChannel *
tb_at_channel_new (void)
{
  return g_object_new (TB_TYPE_AT_CHANNEL, NULL);
}

gboolean
tb_at_channel_open (TbAtChannel  *self,
                    const char   *path,
                    GError      **error)
{
  g_autoptr(GIOChannel) io = NULL;
  int fd;

  g_return_val_if_fail (TB_IS_AT_CHANNEL (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  tb_at_channel_close (self);
  if ((fd = tb_at_channel_open_tty (path, error)) < 0)
    return FALSE;
  g_free (self->path);
  self->path = g_strdup (path);
  self->fd = fd;
  io = g_io_channel_unix_new (fd);
  self->read_id = g_io_add_watch (io, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, self);
  return TRUE;
}

void
tb_at_channel_close (TbAtChannel *self)
{
  g_return_if_fail (TB_IS_AT_CHANNEL (self));

  close_fd (self);
  fail_all (self, "the port was closed");
}

gboolean
tb_at_channel_is_open (TbAtChannel *self)
{
  g_return_val_if_fail (TB_IS_AT_CHANNEL (self), FALSE);
  return self->fd >= 0;
}

const char *
tb_at_channel_get_path (TbAtChannel *self)
{
  g_return_val_if_fail (TB_IS_AT_CHANNEL (self), NULL);
  return self->path;
}

void
tb_at_channel_send_async (TbAtChannel         *self,
                          const char          *command,
                          const char          *response_prefix,
                          guint                timeout_ms,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Pending *p;

  g_return_if_fail (TB_IS_AT_CHANNEL (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_at_channel_send_async);
  if (self->fd < 0) {
    g_object_set_data (G_OBJECT (task), "tb-final", GINT_TO_POINTER (TB_AT_FINAL_NONE));
    g_task_return_new_error (task, TB_MODEM_ERROR, TB_MODEM_ERROR_CLOSED,
                             "%s: the modem port is not open (%s)",
                             self->path ? self->path : "modem", command);
    return;
  }
  p = g_new0 (Pending, 1);
  p->command = g_strdup (command);
  p->prefix = g_strdup (response_prefix);
  p->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
  p->lines = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, p, pending_free);
  g_queue_push_tail (&self->queue, g_steal_pointer (&task));
  send_next (self);
}

GStrv
tb_at_channel_send_finish (TbAtChannel   *self,
                           GAsyncResult  *result,
                           TbAtFinal     *final,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (final != NULL)
    *final = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "tb-final"));
  return g_task_propagate_pointer (G_TASK (result), error);
}
