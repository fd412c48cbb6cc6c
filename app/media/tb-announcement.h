/* tb-announcement.h — a carrier's recorded announcement, recognised in the first seconds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The fingerprint of one recording of an announcement ("您拨打的号码是空号", "the number you
 * have dialed is not in service"): what the detector looks for. Immutable, shared by every
 * call's detector. */
typedef struct _TbAnnouncementPrint TbAnnouncementPrint;

/* At most this much sound of a recording is its print: enough to tell "已关机" from "已停机",
 * short enough to end the call in the first seconds. */
#define TB_ANNOUNCEMENT_PRINT_MAX_MS 5000

/* @pcm: 8 kHz mono S16; silence at either end is trimmed. NULL with @error when it holds
 * less than 0.8 s of sound. @outcome: "vacant", "powered_off", … */
TbAnnouncementPrint *tb_announcement_print_new      (const char           *id,
                                                     const char           *outcome,
                                                     const char           *language,
                                                     const gint16         *pcm,
                                                     gsize                 n,
                                                     GError              **error);
TbAnnouncementPrint *tb_announcement_print_ref      (TbAnnouncementPrint  *print);
void                 tb_announcement_print_unref    (TbAnnouncementPrint  *print);
const char          *tb_announcement_print_get_id      (TbAnnouncementPrint *print);
const char          *tb_announcement_print_get_outcome (TbAnnouncementPrint *print);
const char          *tb_announcement_print_get_language (TbAnnouncementPrint *print);
/* Length of the sound the print holds. */
guint                tb_announcement_print_get_ms      (TbAnnouncementPrint *print);

/* A print matches where its distance to the audio is below this (distances are scaled so). */
#define TB_ANNOUNCEMENT_MATCH_DISTANCE 1.0f

/* The smallest distance between @print and any stretch of @pcm (8 kHz mono S16), for tests and
 * for checking a recording a business adds; lower is closer, below
 * TB_ANNOUNCEMENT_MATCH_DISTANCE a match. */
double               tb_announcement_print_distance (TbAnnouncementPrint  *print,
                                                     const gint16         *pcm,
                                                     gsize                 n);

/* One call's listener: special information tones (tb-sit.h) and the prints, over the first
 * @window_ms of callee audio. Runs on a streaming thread: no locks, no allocation per frame. */
typedef struct _TbAnnouncementDetector TbAnnouncementDetector;

/* @prints: TbAnnouncementPrint* (may be NULL or empty: tones only); referenced. */
TbAnnouncementDetector *tb_announcement_detector_new   (GPtrArray              *prints,
                                                        guint                   window_ms);
void         tb_announcement_detector_free             (TbAnnouncementDetector *det);
/* Feeds samples; TRUE once decided: an announcement recognised, or the window over. */
gboolean     tb_announcement_detector_process          (TbAnnouncementDetector *det,
                                                        const gint16           *pcm,
                                                        gsize                   n);
/* Tones that may be a SIT play now, or a print is close to matching: a "beep" or a long
 * greeting heard by answering-machine detection is likely this, wait for the verdict. */
gboolean     tb_announcement_detector_is_pending       (TbAnnouncementDetector *det);
/* The outcome of what was recognised ("vacant", …), NULL when nothing was (yet). */
const char  *tb_announcement_detector_get_outcome      (TbAnnouncementDetector *det);
/* Why, for the call record: "special information tone IC (not in service) at 1.0 s",
 * "announcement cn-vacant (zh-CN) at 3.1 s, distance 0.42". */
const char  *tb_announcement_detector_get_reason       (TbAnnouncementDetector *det);
/* The print that matched ("sit:IC" for tones). */
const char  *tb_announcement_detector_get_match        (TbAnnouncementDetector *det);
guint        tb_announcement_detector_get_decided_ms   (TbAnnouncementDetector *det);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbAnnouncementPrint, tb_announcement_print_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbAnnouncementDetector, tb_announcement_detector_free)

G_END_DECLS
