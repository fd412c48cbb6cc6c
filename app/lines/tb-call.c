/* tb-call.c — the call state machine every line backend shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backends never set a state field themselves: they call _tb_call_set_state() and
 * _tb_call_end(), which refuse illegal transitions, stamp the times and notify.
 */
#define G_LOG_DOMAIN "tb-call"

#include "config.h"

#include "tb-call-private.h"
#include "tb-enums.h"
#include "tb-line.h"

#include <string.h>

typedef struct
{
  char            *number;
  TbCallState      state;
  TbCallEndReason  end_reason;
  int              protocol_code;
  char            *end_message;
  guint            retry_after;   /* s: how long the far end asked us to wait; 0: not asked */
  gint64           dialed_at;     /* g_get_real_time () µs */
  gint64           answered_at;
  gint64           ended_at;
  GMainContext    *context;       /* where signals are emitted */
} TbCallPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TbCall, tb_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NUMBER,
  PROP_STATE,
  PROP_END_REASON,
  PROP_PROTOCOL_CODE,
  PROP_END_MESSAGE,
  PROP_DIALED_AT,
  PROP_ANSWERED_AT,
  PROP_ENDED_AT,
  N_PROPS
};

enum {
  DTMF_RECEIVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
transition_is_legal (TbCallState from,
                     TbCallState to)
{
  switch (from) {
  case TB_CALL_STATE_DIALING:
    return to != TB_CALL_STATE_DIALING;
  case TB_CALL_STATE_RINGING:
    return to == TB_CALL_STATE_EARLY_MEDIA || to == TB_CALL_STATE_ANSWERED ||
           to == TB_CALL_STATE_ENDED;
  case TB_CALL_STATE_EARLY_MEDIA:
    return to == TB_CALL_STATE_ANSWERED || to == TB_CALL_STATE_ENDED;
  case TB_CALL_STATE_ANSWERED:
    return to == TB_CALL_STATE_ENDED;
  case TB_CALL_STATE_ENDED:
  default:
    return FALSE;
  }
}

static void
tb_call_finalize (GObject *object)
{
  TbCall *self = TB_CALL (object);
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_clear_pointer (&priv->number, g_free);
  g_clear_pointer (&priv->end_message, g_free);
  g_clear_pointer (&priv->context, g_main_context_unref);

  G_OBJECT_CLASS (tb_call_parent_class)->finalize (object);
}

static void
tb_call_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TbCall *self = TB_CALL (object);
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  switch (prop_id) {
  case PROP_NUMBER:
    g_value_set_string (value, priv->number);
    break;
  case PROP_STATE:
    g_value_set_enum (value, priv->state);
    break;
  case PROP_END_REASON:
    g_value_set_enum (value, priv->end_reason);
    break;
  case PROP_PROTOCOL_CODE:
    g_value_set_int (value, priv->protocol_code);
    break;
  case PROP_END_MESSAGE:
    g_value_set_string (value, priv->end_message);
    break;
  case PROP_DIALED_AT:
    g_value_set_int64 (value, priv->dialed_at);
    break;
  case PROP_ANSWERED_AT:
    g_value_set_int64 (value, priv->answered_at);
    break;
  case PROP_ENDED_AT:
    g_value_set_int64 (value, priv->ended_at);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_call_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  TbCall *self = TB_CALL (object);
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  switch (prop_id) {
  case PROP_NUMBER:
    priv->number = g_value_dup_string (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

/* Sim and modem calls always carry the far end's audio (a modem that stops is a
 * media_timeout of its own). */
static gboolean
tb_call_real_has_far_end_media (TbCall *self)
{
  return TRUE;
}

static gboolean
tb_call_real_is_realtime (TbCall *self)
{
  return TRUE;
}

static void
tb_call_class_init (TbCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = tb_call_finalize;
  object_class->get_property = tb_call_get_property;
  object_class->set_property = tb_call_set_property;
  klass->is_realtime = tb_call_real_is_realtime;
  klass->has_far_end_media = tb_call_real_has_far_end_media;

  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TB_TYPE_CALL_STATE, TB_CALL_STATE_DIALING, ro);
  properties[PROP_END_REASON] =
    g_param_spec_enum ("end-reason", NULL, NULL, TB_TYPE_CALL_END_REASON,
                       TB_CALL_END_REASON_NONE, ro);
  properties[PROP_PROTOCOL_CODE] =
    g_param_spec_int ("protocol-code", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_END_MESSAGE] =
    g_param_spec_string ("end-message", NULL, NULL, NULL, ro);
  properties[PROP_DIALED_AT] =
    g_param_spec_int64 ("dialed-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ANSWERED_AT] =
    g_param_spec_int64 ("answered-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ENDED_AT] =
    g_param_spec_int64 ("ended-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TbCall::dtmf-received:
   * @digit: the key, one of 0-9 * # A-D, as a char
   *
   * The callee pressed a key (RFC 4733 on SIP). Emitted on the main context.
   */
  signals[DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_CHAR);
}

static void
tb_call_init (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  priv->state = TB_CALL_STATE_DIALING;
  priv->dialed_at = g_get_real_time ();
  priv->context = g_main_context_ref_thread_default ();
}

gboolean
_tb_call_set_state (TbCall      *self,
                    TbCallState  state)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), FALSE);
  g_return_val_if_fail (state != TB_CALL_STATE_ENDED, FALSE);

  if (priv->state == state)
    return TRUE;
  if (!transition_is_legal (priv->state, state)) {
    g_critical ("call %s: illegal transition %s -> %s", priv->number,
                tb_call_state_to_string (priv->state), tb_call_state_to_string (state));
    return FALSE;
  }
  g_debug ("call %s: %s -> %s", priv->number,
           tb_call_state_to_string (priv->state), tb_call_state_to_string (state));
  priv->state = state;
  if (state == TB_CALL_STATE_ANSWERED) {
    priv->answered_at = g_get_real_time ();
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERED_AT]);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  return TRUE;
}

gboolean
_tb_call_end (TbCall          *self,
              TbCallEndReason  reason,
              int              protocol_code,
              const char      *message)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), FALSE);
  g_return_val_if_fail (reason != TB_CALL_END_REASON_NONE, FALSE);

  if (priv->state == TB_CALL_STATE_ENDED)
    return FALSE;
  g_debug ("call %s: %s -> ended (%s, %d%s%s)", priv->number,
           tb_call_state_to_string (priv->state), tb_call_end_reason_to_string (reason),
           protocol_code, message ? ", " : "", message ? message : "");

  g_object_freeze_notify (G_OBJECT (self));
  priv->state = TB_CALL_STATE_ENDED;
  priv->end_reason = reason;
  priv->protocol_code = protocol_code;
  priv->end_message = g_strdup (message);
  priv->ended_at = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_REASON]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL_CODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDED_AT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

typedef struct {
  TbCall *call;
  char    digit;
} DtmfEmit;

static gboolean
emit_dtmf_cb (gpointer data)
{
  DtmfEmit *e = data;

  g_signal_emit (e->call, signals[DTMF_RECEIVED], 0, e->digit);
  return G_SOURCE_REMOVE;
}

static void
dtmf_emit_free (gpointer data)
{
  DtmfEmit *e = data;

  g_object_unref (e->call);
  g_free (e);
}

void
_tb_call_emit_dtmf (TbCall *self,
                    char    digit)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);
  DtmfEmit *e;

  g_return_if_fail (TB_IS_CALL (self));

  e = g_new0 (DtmfEmit, 1);
  e->call = g_object_ref (self);
  e->digit = digit;
  g_main_context_invoke_full (priv->context, G_PRIORITY_DEFAULT, emit_dtmf_cb, e,
                              dtmf_emit_free);
}

const char *
tb_call_get_number (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), NULL);
  return priv->number;
}

TbCallState
tb_call_get_state (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), TB_CALL_STATE_ENDED);
  return priv->state;
}

TbCallEndReason
tb_call_get_end_reason (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), TB_CALL_END_REASON_NONE);
  return priv->end_reason;
}

int
tb_call_get_protocol_code (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), 0);
  return priv->protocol_code;
}

const char *
tb_call_get_end_message (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), NULL);
  return priv->end_message;
}

guint
tb_call_get_retry_after (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), 0);
  return priv->retry_after;
}

void
_tb_call_set_retry_after (TbCall *self,
                          guint   seconds)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_if_fail (TB_IS_CALL (self));
  priv->retry_after = seconds;
}

gint64
tb_call_get_dialed_at (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), 0);
  return priv->dialed_at;
}

gint64
tb_call_get_answered_at (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), 0);
  return priv->answered_at;
}

gint64
tb_call_get_ended_at (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), 0);
  return priv->ended_at;
}

/* Milliseconds from the answer to the end (or now); 0 when never answered. */
gint64
tb_call_get_duration_ms (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);
  gint64 end;

  g_return_val_if_fail (TB_IS_CALL (self), 0);
  if (priv->answered_at == 0)
    return 0;
  end = priv->ended_at ? priv->ended_at : g_get_real_time ();
  return (end - priv->answered_at) / 1000;
}

/**
 * tb_call_hang_up:
 *
 * Ends the call from our side: before the answer it is cancelled (ENDED, cancelled), after it
 * the callee is hung up on (ENDED, completed). The ENDED state may come asynchronously.
 */
void
tb_call_hang_up (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_if_fail (TB_IS_CALL (self));
  if (priv->state == TB_CALL_STATE_ENDED)
    return;
  TB_CALL_GET_CLASS (self)->hang_up (self);
}

/**
 * tb_call_send_dtmf:
 * @digits: keys among 0-9 * # A-D
 *
 * Queues the keys to the callee (RFC 4733 on SIP). Needs an answered call.
 */
gboolean
tb_call_send_dtmf (TbCall      *self,
                   const char  *digits,
                   GError     **error)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), FALSE);
  g_return_val_if_fail (digits != NULL, FALSE);

  if (priv->state != TB_CALL_STATE_ANSWERED) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_WRONG_STATE,
                 "call %s: cannot send DTMF \"%s\" while %s", priv->number, digits,
                 tb_call_state_to_string (priv->state));
    return FALSE;
  }
  for (const char *p = digits; *p; p++) {
    if (!strchr ("0123456789*#ABCDabcd", *p)) {
      g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_INVALID,
                   "call %s: DTMF \"%s\": '%c' is not a key", priv->number, digits, *p);
      return FALSE;
    }
  }
  if (TB_CALL_GET_CLASS (self)->send_dtmf == NULL) {
    g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_SUPPORTED,
                 "call %s: this line cannot send DTMF", priv->number);
    return FALSE;
  }
  return TB_CALL_GET_CLASS (self)->send_dtmf (self, digits, error);
}

/**
 * tb_call_transfer_async:
 * @target: a number or URI the line understands
 *
 * Asks the callee's side to call @target (SIP REFER). Completes when the far end accepts the
 * transfer; the call then ends on its own (ENDED, completed).
 */
void
tb_call_transfer_async (TbCall              *self,
                        const char          *target,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_if_fail (TB_IS_CALL (self));
  g_return_if_fail (target != NULL);

  if (priv->state != TB_CALL_STATE_ANSWERED || TB_CALL_GET_CLASS (self)->transfer_async == NULL) {
    g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

    g_task_set_source_tag (task, tb_call_transfer_async);
    if (priv->state != TB_CALL_STATE_ANSWERED)
      g_task_return_new_error (task, TB_LINE_ERROR, TB_LINE_ERROR_WRONG_STATE,
                               "call %s: cannot transfer to \"%s\" while %s", priv->number,
                               target, tb_call_state_to_string (priv->state));
    else
      g_task_return_new_error (task, TB_LINE_ERROR, TB_LINE_ERROR_NOT_SUPPORTED,
                               "call %s: this line cannot transfer", priv->number);
    return;
  }
  TB_CALL_GET_CLASS (self)->transfer_async (self, target, cancellable, callback, user_data);
}

gboolean
tb_call_transfer_finish (TbCall        *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (TB_IS_CALL (self), FALSE);

  if (g_async_result_is_tagged (result, tb_call_transfer_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return TB_CALL_GET_CLASS (self)->transfer_finish (self, result, error);
}

/**
 * tb_call_get_audio_source:
 *
 * Returns: (transfer none) (nullable): a #GstBin with an always "src" pad producing the
 * callee's voice as %TB_CALL_AUDIO_CAPS, or %NULL before EARLY_MEDIA/ANSWERED. The caller adds
 * it to its pipeline (the call keeps a reference and must outlive the pipeline's use of it).
 */
GstElement *
tb_call_get_audio_source (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), NULL);
  if (priv->state != TB_CALL_STATE_EARLY_MEDIA && priv->state != TB_CALL_STATE_ANSWERED)
    return NULL;
  return TB_CALL_GET_CLASS (self)->get_audio_source (self);
}

/**
 * tb_call_get_audio_sink:
 *
 * Returns: (transfer none) (nullable): a #GstBin with an always "sink" pad accepting the
 * bot's voice as %TB_CALL_AUDIO_CAPS, or %NULL before EARLY_MEDIA/ANSWERED.
 */
GstElement *
tb_call_get_audio_sink (TbCall *self)
{
  TbCallPrivate *priv = tb_call_get_instance_private (self);

  g_return_val_if_fail (TB_IS_CALL (self), NULL);
  if (priv->state != TB_CALL_STATE_EARLY_MEDIA && priv->state != TB_CALL_STATE_ANSWERED)
    return NULL;
  return TB_CALL_GET_CLASS (self)->get_audio_sink (self);
}

/**
 * tb_call_is_realtime:
 *
 * Returns: %TRUE when the endpoint is live and clocked (SIP, modem, sim), %FALSE when it works
 * in lockstep (sim --fast): one callee frame out per bot frame in (the audio contract,
 * app/lines/README.md).
 */
gboolean
tb_call_is_realtime (TbCall *self)
{
  g_return_val_if_fail (TB_IS_CALL (self), TRUE);
  return TB_CALL_GET_CLASS (self)->is_realtime (self);
}

const char *
tb_call_state_to_string (TbCallState state)
{
  switch (state) {
  case TB_CALL_STATE_DIALING: return "dialing";
  case TB_CALL_STATE_RINGING: return "ringing";
  case TB_CALL_STATE_EARLY_MEDIA: return "early_media";
  case TB_CALL_STATE_ANSWERED: return "answered";
  case TB_CALL_STATE_ENDED: return "ended";
  default: return "unknown";
  }
}

const char *
tb_call_end_reason_to_string (TbCallEndReason reason)
{
  switch (reason) {
  case TB_CALL_END_REASON_NONE: return "none";
  case TB_CALL_END_REASON_COMPLETED: return "completed";
  case TB_CALL_END_REASON_BUSY: return "busy";
  case TB_CALL_END_REASON_NO_ANSWER: return "no_answer";
  case TB_CALL_END_REASON_REJECTED: return "rejected";
  case TB_CALL_END_REASON_UNREACHABLE: return "unreachable";
  case TB_CALL_END_REASON_FAILED: return "failed";
  case TB_CALL_END_REASON_CANCELLED: return "cancelled";
  case TB_CALL_END_REASON_MEDIA_TIMEOUT: return "media_timeout";
  default: return "unknown";
  }
}

gboolean
tb_call_has_far_end_media (TbCall *self)
{
  g_return_val_if_fail (TB_IS_CALL (self), FALSE);

  return TB_CALL_GET_CLASS (self)->has_far_end_media (self);
}
