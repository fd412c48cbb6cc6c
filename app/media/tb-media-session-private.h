/* tb-media-session-private.h — shared by the files of TbMediaSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tb-media-session.c: the object, its pipeline and the main-loop API.
 * tb-media-session-audio.c: what runs on the streaming threads (bot frames, callee
 * processing), always under @lock.
 */
#pragma once

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <stdio.h>

#include "tb-announcement.h"
#include "tb-dtmf-detector.h"
#include "tb-endpointer.h"
#include "tb-media-session.h"
#include "tb-pcm.h"

G_BEGIN_DECLS

#define FRAME TB_PCM_FRAME_SAMPLES
#define LEAD (2 * FRAME)
#define RING_MAX (TB_PCM_RATE * 2)
#define MIC_MAX (TB_PCM_RATE / 5)
#define LEVEL_SAMPLES (TB_PCM_RATE / 10)
#define LEVEL_MIN_WALL_US (90 * G_TIME_SPAN_MILLISECOND)
#define SAMPLES_TO_US(n) ((gint64) (n) * G_USEC_PER_SEC / TB_PCM_RATE)
#define FADE_SAMPLES (TB_PCM_RATE / 10)   /* an interrupted prompt fades out over 100 ms */

typedef enum {
  EV_UTTERANCE_STARTED,
  EV_UTTERANCE_ENDED,
  EV_UTTERANCE_PAUSED,
  EV_PROMPT_STARTED,
  EV_PROMPT_FINISHED,
  EV_NO_INPUT,
  EV_LEVELS,
  EV_DTMF,
  EV_AMD,
  EV_ANNOUNCEMENT,
  EV_CALLEE_EOS,
} EventType;

typedef struct {
  EventType type;
  guint id;
  gint64 a, b;
  double x, y;
  int code;
  GBytes *pcm;
  char *text;
  char *text2;
} Event;

typedef struct {
  guint id;
  TbPlayFlags flags;
  GBytes *pcm;            /* NULL while its file decodes */
  gsize offset;           /* samples played */
  gboolean started;
  gboolean failed;
  guint barge_after;      /* samples of it that play before speech may stop it */
  guint barge_min;        /* samples of speech that stop it (shorter is a backchannel) */
  gint fade_left;         /* fading out: samples left; -1 not fading */
  TbPromptEnd fade_end;   /* how it ends once faded */
} Prompt;

struct _TbMediaSession
{
  GObject parent_instance;

  /* owned, main thread */
  GstElement *source;
  GstElement *sink;
  gboolean realtime;
  GstElement *pipeline;
  GstElement *bot_src;
  GstElement *callee_sink;
  GstElement *mic_bin;
  GstElement *listen_bin;
  GMainContext *context;
  GCancellable *cancellable;
  guint bus_watch;
  gboolean running;
  gboolean ended;
  char *recording_path;
  double threshold_db;
  guint hangover_ms;
  guint early_hangover_ms;

  /* shared with the streaming threads, under @lock */
  GMutex lock;
  GCond cond;
  gboolean flushing;
  gboolean callee_eos;
  GQueue events;
  GSource *dispatch;
  GQueue prompts;                /* Prompt*, the head plays */
  guint next_prompt_id;
  gint64 bot_pos;                /* samples sent to the line */
  gint64 callee_pos;             /* samples received and processed */
  gint64 first_bot_audio;        /* sample position, -1 before */
  GArray *bot_ring;              /* bot samples from bot_ring_start on, for the recorder */
  gint64 bot_ring_start;
  GArray *mic_fifo;
  gboolean taken_over;
  guint holds;                   /* lockstep: audio waits while > 0 */
  gboolean lockstep_holds;
  GstElement *listen_src;        /* ref while listening in */
  TbEndpointer *ep;
  gboolean barge_pending;        /* the callee speaks over a prompt that may stop for it */
  gboolean ep_dirty;
  TbDtmfDetector *dtmf;
  TbAmd *amd;
  TbAnnouncementDetector *announce;
  GQueue held;                   /* Event*: utterances heard while an announcement may play */
  gboolean listen_armed;
  guint no_input_samples;
  guint quiet_samples;
  FILE *rec;
  gint64 rec_frames;
  GArray *carry;                 /* callee samples short of an endpointer step */
  double lvl_callee, lvl_bot;
  double lvl_peak_callee, lvl_peak_bot;
  guint lvl_n;
  gint64 lvl_last_wall;
};

GstCaps       *_tb_media_session_pcm_caps              (void);
/* The desk's microphone (@src) or speakers: the GStreamer description in the variable @env
 * when set, else the element @fallback (autoaudiosrc, autoaudiosink). */
GstElement    *_tb_media_make_desk_element             (const char      *env,
                                                        const char      *fallback,
                                                        gboolean         src,
                                                        GError         **error);
Event         *_tb_media_session_post_locked            (TbMediaSession *self,
                                                         EventType       type);
void           _tb_media_session_post_event_locked      (TbMediaSession *self,
                                                         Event          *ev);
void           _tb_media_session_event_free             (Event          *ev);
void           _tb_media_session_post_prompt_finished  (TbMediaSession *self,
                                                         Prompt         *p,
                                                         TbPromptEnd     end);
void           _tb_media_session_drop_prompts_locked   (TbMediaSession *self,
                                                         TbPlayFlags     mask,
                                                         TbPromptEnd     end);
/* Fades the playing prompt out (FADE_SAMPLES) and drops the ones queued behind it. */
void           _tb_media_session_fade_out_locked       (TbMediaSession *self,
                                                         TbPromptEnd     end);
/* The endpointer finished an utterance (@lock held): post it, or hold it while a carrier's
 * announcement may be playing. */
void           _tb_media_session_utterance_ended_locked (TbMediaSession *self);
void           _tb_media_session_prompt_free           (Prompt         *p);
void           _tb_media_session_close_recording_locked (TbMediaSession *self);
void           _tb_media_session_on_bot_need_data      (GstAppSrc      *src,
                                                         guint           length,
                                                         gpointer        data);
GstFlowReturn  _tb_media_session_on_callee_new_sample  (GstAppSink     *sink,
                                                         gpointer        data);
void           _tb_media_session_on_callee_eos         (GstAppSink     *sink,
                                                         gpointer        data);
GstFlowReturn  _tb_media_session_on_mic_new_sample     (GstAppSink     *sink,
                                                         gpointer        data);

G_END_DECLS
