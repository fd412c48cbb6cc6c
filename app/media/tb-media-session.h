/* tb-media-session.h — one GStreamer pipeline per call: player, recorder, endpointer, taps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "tb-amd.h"

G_BEGIN_DECLS

#define TB_MEDIA_ERROR (tb_media_error_quark ())

typedef enum {
  TB_MEDIA_ERROR_FAILED,
  TB_MEDIA_ERROR_PIPELINE,    /* a GStreamer element failed (the message says which) */
  TB_MEDIA_ERROR_DECODE,      /* a prompt file could not be decoded */
  TB_MEDIA_ERROR_DEVICE,      /* the desk microphone or speakers could not be opened */
} TbMediaError;

typedef enum {
  TB_PROMPT_END_COMPLETED,    /* played to its last sample */
  TB_PROMPT_END_BARGED_IN,    /* the callee spoke over a barge-in prompt */
  TB_PROMPT_END_STOPPED,      /* tb_media_session_stop_prompts(), take-over or the end */
  TB_PROMPT_END_ERROR,        /* its file could not be decoded */
} TbPromptEnd;

typedef enum /*< flags >*/ {
  TB_PLAY_FLAGS_NONE = 0,
  TB_PLAY_FLAGS_BARGE_IN = 1 << 0, /* callee speech stops this prompt (and the queued ones) */
} TbPlayFlags;

/*
 * TbMediaSession signals (all on the creator's thread-default main context; times are µs of
 * call audio since answer):
 *   "utterance-started"  (gint64 start_us)
 *   "utterance-ended"    (GBytes *pcm_8k_s16le, gint64 start_us, gint64 end_us)
 *   "utterance-paused"   (GBytes *pcm_so_far, gint64 start_us, gint64 end_us)  the early
 *                        hangover passed; see tb_media_session_set_early_hangover_ms()
 *   "prompt-started"     (guint id, gint64 at_us)      first sample left for the line
 *   "prompt-finished"    (guint id, TbPromptEnd end)
 *   "no-input"           ()                            see tb_media_session_listen()
 *   "levels"             (double callee_dbfs, double bot_dbfs)   ~10 Hz
 *   "dtmf"               (const char *digit)           "0"–"9", "*", "#", "A"–"D"
 *   "amd-result"         (TbAmdResult result, const char *reason)
 *   "announcement"       (const char *outcome, const char *reason)   a carrier's recording
 *   "failed"             (GError *error)               then "ended"
 *   "ended"              (GError *error or NULL)       pipeline stopped, recording closed
 * Turn latency = "prompt-started".at_us − "utterance-ended".end_us.
 */
#define TB_TYPE_MEDIA_SESSION (tb_media_session_get_type ())

G_DECLARE_FINAL_TYPE (TbMediaSession, tb_media_session, TB, MEDIA_SESSION, GObject)

GQuark          tb_media_error_quark                  (void);

TbMediaSession *tb_media_session_new                  (GstElement      *source,
                                                       GstElement      *sink,
                                                       gboolean         realtime);
gboolean        tb_media_session_start                (TbMediaSession  *self,
                                                       GError         **error);
void            tb_media_session_stop                 (TbMediaSession  *self);
gboolean        tb_media_session_is_running           (TbMediaSession  *self);

guint           tb_media_session_play_pcm             (TbMediaSession  *self,
                                                       GBytes          *pcm,
                                                       TbPlayFlags      flags);
guint           tb_media_session_play_file            (TbMediaSession  *self,
                                                       const char      *path,
                                                       TbPlayFlags      flags);
void            tb_media_session_stop_prompts         (TbMediaSession  *self);
/* A barge-in prompt's policy: callee speech stops it only after @after_ms of it has played
 * and after @min_speech_ms of speech (shorter, "uh-huh", is a backchannel); it then fades out
 * over 100 ms. Defaults: 0 and 0 (at once). */
void            tb_media_session_set_barge_in         (TbMediaSession  *self,
                                                       guint            prompt_id,
                                                       guint            after_ms,
                                                       guint            min_speech_ms);
gboolean        tb_media_session_is_playing           (TbMediaSession  *self);

void            tb_media_session_hold                 (TbMediaSession  *self);
void            tb_media_session_release              (TbMediaSession  *self);
void            tb_media_session_set_lockstep_holds   (TbMediaSession  *self,
                                                       gboolean         hold);

void            tb_media_session_listen               (TbMediaSession  *self,
                                                       guint            no_input_ms);
void            tb_media_session_cancel_listen        (TbMediaSession  *self);

gboolean        tb_media_session_start_recording      (TbMediaSession  *self,
                                                       const char      *path,
                                                       GError         **error);
void            tb_media_session_stop_recording       (TbMediaSession  *self);
const char     *tb_media_session_get_recording_path   (TbMediaSession  *self);

gboolean        tb_media_session_set_take_over        (TbMediaSession  *self,
                                                       gboolean         take_over,
                                                       GError         **error);
gboolean        tb_media_session_get_take_over        (TbMediaSession  *self);
gboolean        tb_media_session_set_listen_in        (TbMediaSession  *self,
                                                       gboolean         listen_in,
                                                       GError         **error);
gboolean        tb_media_session_get_listen_in        (TbMediaSession  *self);

void            tb_media_session_detect_machine       (TbMediaSession  *self,
                                                       guint            window_ms);
void            tb_media_session_detect_announcements (TbMediaSession  *self,
                                                       GPtrArray       *prints,
                                                       guint            window_ms);

gint64          tb_media_session_get_position_us      (TbMediaSession  *self);
gint64          tb_media_session_get_bot_position_us  (TbMediaSession  *self);
gint64          tb_media_session_get_first_bot_audio_us (TbMediaSession *self);

void            tb_media_session_set_silence_threshold_db (TbMediaSession *self,
                                                           double          threshold_db);
double          tb_media_session_get_silence_threshold_db (TbMediaSession *self);
void            tb_media_session_set_hangover_ms      (TbMediaSession  *self,
                                                       guint            hangover_ms);
guint           tb_media_session_get_hangover_ms      (TbMediaSession  *self);
void            tb_media_session_set_early_hangover_ms (TbMediaSession *self,
                                                        guint           early_ms);
gboolean        tb_media_session_end_utterance        (TbMediaSession  *self,
                                                       gint64           speech_end_us);

G_END_DECLS
