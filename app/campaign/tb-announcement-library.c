/* tb-announcement-library.c — the carrier announcements a call is compared with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-announcement-library"

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>
#include <json-glib/json-glib.h>

#include "tb-announcement-library.h"
#include "tb-announcement.h"
#include "tb-espeak.h"
#include "tb-limits.h"
#include "tb-paths.h"
#include "tb-pcm.h"

#define MANIFEST "manifest.json"
#define MANIFEST_BYTES (1024 * 1024)
#define MAX_ENTRIES 500
#define MAX_RECORDING_S 60.0

static const char *const outcomes[] = {
  "vacant", "powered_off", "suspended", "unreachable", "busy", NULL,
};

const char *const *
tb_announcement_outcomes (void)
{
  return outcomes;
}

gboolean
tb_announcement_outcome_is_valid (const char *outcome)
{
  return outcome != NULL && g_strv_contains (outcomes, outcome);
}

void
tb_announcement_entry_free (TbAnnouncementEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->outcome);
  g_free (entry->language);
  g_free (entry->text);
  g_free (entry->voice);
  g_free (entry->file);
  g_free (entry);
}

char *
tb_announcement_library_dup_user_dir (const char *data_dir)
{
  return g_build_filename (data_dir, "announcements", NULL);
}

/* Reads one manifest into @entries; a missing business manifest is an empty one. */
static gboolean
read_manifest (const char  *path,
               gboolean     user,
               GPtrArray   *entries,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  JsonNode *root;
  JsonArray *list;
  gsize length;

  if (user && !g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!tb_limits_read_file (path, MANIFEST_BYTES, &contents, &length, error))
    return FALSE;
  if (!tb_limits_parse_json (parser, contents, length, path, MANIFEST_BYTES, error))
    return FALSE;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "announcements") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root),
                                                      "announcements"))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: not an announcement manifest (no \"announcements\" list)", path);
    return FALSE;
  }
  list = json_object_get_array_member (json_node_get_object (root), "announcements");
  for (guint i = 0; i < json_array_get_length (list); i++) {
    JsonNode *node = json_array_get_element (list, i);
    g_autoptr(TbAnnouncementEntry) e = g_new0 (TbAnnouncementEntry, 1);
    JsonObject *o;
    const char *file;

    if (entries->len >= MAX_ENTRIES) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "%s: more than %d announcements", path, MAX_ENTRIES);
      return FALSE;
    }
    o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    if (o == NULL || tb_limits_string_member (o, "id") == NULL ||
        !tb_announcement_outcome_is_valid (tb_limits_string_member (o, "outcome")) ||
        (tb_limits_string_member (o, "text") == NULL) ==
        (tb_limits_string_member (o, "file") == NULL)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: announcement %u needs an id, an outcome (vacant, powered_off, "
                   "suspended, unreachable, busy) and either a text or a file", path, i + 1);
      return FALSE;
    }
    e->id = g_strdup (tb_limits_string_member (o, "id"));
    e->outcome = g_strdup (tb_limits_string_member (o, "outcome"));
    e->language = g_strdup (tb_limits_string_member (o, "language"));
    e->text = g_strdup (tb_limits_string_member (o, "text"));
    e->voice = g_strdup (tb_limits_string_member (o, "voice"));
    file = tb_limits_string_member (o, "file");
    /* A recording lives beside its manifest: a name, not a path that leaves the folder. */
    if (file != NULL) {
      g_autofree char *base = g_path_get_basename (file);

      if (g_strcmp0 (base, file) != 0 || g_str_equal (file, "..")) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "%s: announcement %s: file \"%s\" is not a name in its folder", path,
                     e->id, file);
        return FALSE;
      }
      e->file = g_build_filename (dir, file, NULL);
    }
    e->user = user;
    g_ptr_array_add (entries, g_steal_pointer (&e));
  }
  return TRUE;
}

GPtrArray *
tb_announcement_library_list (const char  *data_dir,
                              GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tb_announcement_entry_free);
  g_autofree char *shipped = tb_paths_build_data ("announcements", MANIFEST, NULL);

  if (!read_manifest (shipped, FALSE, entries, error))
    return NULL;
  if (data_dir != NULL) {
    g_autofree char *dir = tb_announcement_library_dup_user_dir (data_dir);
    g_autofree char *user = g_build_filename (dir, MANIFEST, NULL);

    if (!read_manifest (user, TRUE, entries, error))
      return NULL;
  }
  return g_steal_pointer (&entries);
}

static TbAnnouncementPrint *
entry_print (const TbAnnouncementEntry  *e,
             GError                    **error)
{
  g_autoptr(GBytes) pcm = NULL;

  if (e->text != NULL)
    pcm = tb_espeak_render (e->voice ? e->voice : "en-us", e->text, 0, error);
  else
    pcm = tb_pcm_load_wav (e->file, TB_PCM_RATE, error);
  if (pcm == NULL)
    return NULL;
  return tb_announcement_print_new (e->id, e->outcome, e->language,
                                    g_bytes_get_data (pcm, NULL),
                                    g_bytes_get_size (pcm) / sizeof (gint16), error);
}

GPtrArray *
tb_announcement_library_load (const char  *data_dir,
                              GString     *skipped,
                              GError     **error)
{
  g_autoptr(GPtrArray) entries = tb_announcement_library_list (data_dir, error);
  g_autoptr(GPtrArray) prints = NULL;

  if (entries == NULL)
    return NULL;
  prints = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_announcement_print_unref);
  for (guint i = 0; i < entries->len; i++) {
    const TbAnnouncementEntry *e = g_ptr_array_index (entries, i);
    g_autoptr(GError) local = NULL;
    TbAnnouncementPrint *print = entry_print (e, &local);

    if (print != NULL)
      g_ptr_array_add (prints, print);
    else if (skipped != NULL)
      g_string_append_printf (skipped, "announcement %s skipped: %s\n", e->id, local->message);
  }
  return g_steal_pointer (&prints);
}

/* Loaded libraries, per data folder and the business manifest's change time. */
G_LOCK_DEFINE_STATIC (cache);
static GHashTable *cache;

static char *
cache_key (const char *data_dir)
{
  g_autofree char *dir = data_dir ? tb_announcement_library_dup_user_dir (data_dir) : NULL;
  g_autofree char *user = dir ? g_build_filename (dir, MANIFEST, NULL) : NULL;
  GStatBuf st;
  gint64 changed = user != NULL && g_stat (user, &st) == 0 ? (gint64) st.st_mtime : 0;

  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT, data_dir ? data_dir : "", changed);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *data_dir = task_data;
  g_autofree char *key = cache_key (data_dir);
  g_autoptr(GString) skipped = g_string_new (NULL);
  GError *error = NULL;
  GPtrArray *prints;

  G_LOCK (cache);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_ptr_array_unref);
  prints = g_hash_table_lookup (cache, key);
  if (prints == NULL) {
    /* Under the lock: a campaign's first calls all wait for the one load. */
    prints = tb_announcement_library_load (data_dir, skipped, &error);
    if (prints != NULL)
      g_hash_table_replace (cache, g_strdup (key), prints);
  }
  if (prints != NULL)
    g_ptr_array_ref (prints);
  G_UNLOCK (cache);
  if (skipped->len > 0)
    g_message ("%s", skipped->str);
  if (prints == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, prints, (GDestroyNotify) g_ptr_array_unref);
}

void
tb_announcement_library_load_async (const char          *data_dir,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tb_announcement_library_load_async);
  g_task_set_task_data (task, g_strdup (data_dir), g_free);
  g_task_run_in_thread (task, load_thread);
}

GPtrArray *
tb_announcement_library_load_finish (GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
write_user_manifest (const char  *path,
                     GPtrArray   *entries,
                     GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "telebot_announcements");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "announcements");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++) {
    const TbAnnouncementEntry *e = g_ptr_array_index (entries, i);
    g_autofree char *file = NULL;

    if (!e->user)
      continue;
    file = g_path_get_basename (e->file);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "id");
    json_builder_add_string_value (b, e->id);
    json_builder_set_member_name (b, "outcome");
    json_builder_add_string_value (b, e->outcome);
    if (e->language != NULL) {
      json_builder_set_member_name (b, "language");
      json_builder_add_string_value (b, e->language);
    }
    json_builder_set_member_name (b, "file");
    json_builder_add_string_value (b, file);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  return g_file_set_contents (path, text, -1, error);
}

TbAnnouncementEntry *
tb_announcement_library_add (const char  *data_dir,
                             const char  *path,
                             const char  *outcome,
                             const char  *language,
                             const char  *id,
                             double       from_s,
                             double       to_s,
                             GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GBytes) pcm = NULL;
  g_autoptr(TbAnnouncementPrint) print = NULL;
  g_autoptr(TbAnnouncementEntry) e = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *name = NULL;
  g_autofree char *file = NULL;
  const gint16 *samples;
  gsize n, first, last;
  gboolean written;

  g_return_val_if_fail (data_dir != NULL && path != NULL, NULL);

  if (!tb_announcement_outcome_is_valid (outcome)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "outcome \"%s\" is not one of vacant, powered_off, suspended, unreachable, "
                 "busy", outcome ? outcome : "");
    return NULL;
  }
  if (from_s < 0 || (to_s > 0 && to_s <= from_s) || to_s - from_s > MAX_RECORDING_S) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "--from %.2f --to %.2f is not a stretch of at most %.0f s", from_s, to_s,
                 MAX_RECORDING_S);
    return NULL;
  }
  if ((entries = tb_announcement_library_list (data_dir, error)) == NULL)
    return NULL;
  if ((pcm = tb_pcm_load_wav (path, TB_PCM_RATE, error)) == NULL) {
    g_prefix_error (error, "%s: ", path);
    return NULL;
  }
  samples = g_bytes_get_data (pcm, &n);
  n /= sizeof (gint16);
  first = MIN ((gsize) (from_s * TB_PCM_RATE), n);
  last = to_s > 0 ? MIN ((gsize) (to_s * TB_PCM_RATE), n) : n;
  if (last - first > (gsize) (MAX_RECORDING_S * TB_PCM_RATE))
    last = first + (gsize) (MAX_RECORDING_S * TB_PCM_RATE);

  if (id == NULL) {
    for (guint k = 1; k < 10000; k++) {
      gboolean taken = FALSE;

      g_free (name);
      name = g_strdup_printf ("user-%s-%u", outcome, k);
      for (guint i = 0; i < entries->len && !taken; i++)
        taken = g_str_equal (((TbAnnouncementEntry *) g_ptr_array_index (entries, i))->id, name);
      if (!taken)
        break;
    }
  } else {
    for (const char *p = id; *p; p++)
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_') {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "announcement id \"%s\": letters, digits, - and _ only", id);
        return NULL;
      }
    for (guint i = 0; i < entries->len; i++)
      if (g_str_equal (((TbAnnouncementEntry *) g_ptr_array_index (entries, i))->id, id)) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "announcement %s exists already",
                     id);
        return NULL;
      }
    name = g_strdup (id);
  }
  /* The cut must hold enough sound to be recognised by. */
  if ((print = tb_announcement_print_new (name, outcome, language, samples + first,
                                          last - first, error)) == NULL) {
    g_prefix_error (error, "%s: ", path);
    return NULL;
  }

  dir = tb_announcement_library_dup_user_dir (data_dir);
  manifest = g_build_filename (dir, MANIFEST, NULL);
  file = g_strdup_printf ("%s/%s.wav", dir, name);
  if (!tb_paths_make_private_dir (dir, error) ||
      !tb_pcm_write_wav (file, samples + first, last - first, 1, TB_PCM_RATE, error))
    return NULL;

  e = g_new0 (TbAnnouncementEntry, 1);
  e->id = g_strdup (name);
  e->outcome = g_strdup (outcome);
  e->language = g_strdup (language);
  e->file = g_steal_pointer (&file);
  e->user = TRUE;
  g_ptr_array_add (entries, e);
  written = write_user_manifest (manifest, entries, error);
  g_ptr_array_steal_index (entries, entries->len - 1);
  return written ? g_steal_pointer (&e) : NULL;
}

/* How much of a call's start becomes an announcement: a carrier says it within seconds. */
#define FROM_CALL_SECONDS 8.0

typedef struct {
  char *data_dir;
  char *recording;
  char *outcome;
  char *language;
} FromCall;

static void
from_call_free (FromCall *job)
{
  g_free (job->data_dir);
  g_free (job->recording);
  g_free (job->outcome);
  g_free (job->language);
  g_free (job);
}

static void
from_call_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  FromCall *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GBytes) pcm = NULL;
  g_autoptr(GBytes) wav = NULL;
  g_autoptr(GFile) recording = g_file_new_for_path (job->recording);
  g_autofree char *tmp = NULL;
  g_autofree gint16 *left = NULL;
  TbAnnouncementEntry *entry = NULL;
  guint rate = 0, channels = 0;
  const gint16 *frames;
  gsize n;
  int fd;

  if ((file = g_file_load_bytes (recording, cancellable, NULL, &error)) == NULL ||
      (pcm = tb_pcm_parse_wav (file, &rate, &channels, &error)) == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  frames = g_bytes_get_data (pcm, &n);
  n /= sizeof (gint16) * MAX (channels, 1);
  left = g_new (gint16, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    left[i] = frames[i * MAX (channels, 1)];
  wav = tb_pcm_wav_bytes (left, n, 1, rate);
  if ((fd = g_file_open_tmp ("telebot-announcement-XXXXXX.wav", &tmp, &error)) < 0) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  close (fd);
  if (g_file_set_contents (tmp, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav), &error))
    entry = tb_announcement_library_add (job->data_dir, tmp, job->outcome, job->language, NULL,
                                         0, FROM_CALL_SECONDS, &error);
  g_unlink (tmp);
  if (entry == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, entry, (GDestroyNotify) tb_announcement_entry_free);
}

void
tb_announcement_library_add_from_call_async (const char          *data_dir,
                                             const char          *recording,
                                             const char          *outcome,
                                             const char          *language,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  FromCall *job = g_new0 (FromCall, 1);

  g_return_if_fail (data_dir != NULL && recording != NULL);

  job->data_dir = g_strdup (data_dir);
  job->recording = g_strdup (recording);
  job->outcome = g_strdup (outcome);
  job->language = g_strdup (language);
  g_task_set_source_tag (task, tb_announcement_library_add_from_call_async);
  g_task_set_task_data (task, job, (GDestroyNotify) from_call_free);
  g_task_run_in_thread (task, from_call_thread);
}

TbAnnouncementEntry *
tb_announcement_library_add_from_call_finish (GAsyncResult  *result,
                                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
