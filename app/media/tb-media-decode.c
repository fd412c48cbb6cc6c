/* tb-media-decode.c — any audio file to 8 kHz mono PCM, cached in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-media-decode"

#include "config.h"

#include "tb-media-decode.h"
#include "tb-media-session.h"
#include "tb-pcm.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>

typedef struct {
  GBytes *pcm;
  guint64 mtime;
  goffset size;
} CacheEntry;

static GMutex cache_lock;
static GHashTable *cache; /* path → CacheEntry */

static void
cache_entry_free (CacheEntry *e)
{
  g_bytes_unref (e->pcm);
  g_free (e);
}

static GBytes *
decode_with_gstreamer (const char    *path,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gboolean done = FALSE;

  pipeline = gst_parse_launch ("filesrc name=src ! decodebin ! audioconvert ! audioresample ! "
                               "audio/x-raw,format=S16LE,rate=8000,channels=1 ! "
                               "appsink name=out sync=false", &local);
  if (pipeline == NULL) {
    g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DECODE, "%s: cannot decode: %s",
                 path, local->message);
    return NULL;
  }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  g_object_set (src, "location", path, NULL);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  while (!done) {
    g_autoptr(GstSample) sample = NULL;
    g_autoptr(GstMessage) msg = NULL;

    if (g_cancellable_set_error_if_cancelled (cancellable, error)) {
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return NULL;
    }
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 50 * GST_MSECOND);
    if (sample != NULL) {
      GstMapInfo map;

      if (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ)) {
        g_byte_array_append (out, map.data, map.size);
        gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
      }
      continue;
    }
    if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
      break;
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    if (msg != NULL) {
      g_autoptr(GError) gerr = NULL;

      gst_message_parse_error (msg, &gerr, NULL);
      g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DECODE, "%s: cannot decode: %s",
                   path, gerr->message);
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return NULL;
    }
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
tb_media_decode_file (const char    *path,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local = NULL;
  GBytes *pcm;
  CacheEntry *e;
  guint64 mtime;
  goffset size;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local);
  if (info == NULL) {
    g_set_error (error, TB_MEDIA_ERROR, TB_MEDIA_ERROR_DECODE, "%s: %s", path, local->message);
    return NULL;
  }
  mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  size = g_file_info_get_size (info);

  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) cache_entry_free);
  e = g_hash_table_lookup (cache, path);
  if (e != NULL && e->mtime == mtime && e->size == size) {
    pcm = g_bytes_ref (e->pcm);
    g_mutex_unlock (&cache_lock);
    return pcm;
  }
  g_mutex_unlock (&cache_lock);

  /* WAV is the common case (rendered prompts, recordings): read it without a pipeline. */
  pcm = tb_pcm_load_wav (path, TB_PCM_RATE, NULL);
  if (pcm == NULL && (pcm = decode_with_gstreamer (path, cancellable, error)) == NULL)
    return NULL;

  e = g_new0 (CacheEntry, 1);
  e->pcm = g_bytes_ref (pcm);
  e->mtime = mtime;
  e->size = size;
  g_mutex_lock (&cache_lock);
  g_hash_table_replace (cache, g_strdup (path), e);
  g_mutex_unlock (&cache_lock);
  return pcm;
}

static void
decode_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *pcm = tb_media_decode_file (task_data, cancellable, &error);

  if (pcm == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pcm, (GDestroyNotify) g_bytes_unref);
}

void
tb_media_decode_file_async (const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tb_media_decode_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, decode_thread);
}

GBytes *
tb_media_decode_file_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
