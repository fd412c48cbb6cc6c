/* tb-store.c — a thin SQLite wrapper: one connection, cached statements, migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include "tb-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

struct _TbStore
{
  GObject     parent_instance;

  /* owned */
  char       *path;
  char       *data_dir;     /* the database's folder, absolute */
  sqlite3    *db;
  GHashTable *statements;   /* const char *sql (owned) -> sqlite3_stmt * */
  guint       tx_depth;     /* 0: none, 1: BEGIN IMMEDIATE, >1: savepoints */
  gboolean    read_only;    /* on a read-only file system: opened immutable */
  TbStoreWriter *writer;    /* a call's records, written behind it (tb-store-writer.c) */
};

G_DEFINE_FINAL_TYPE (TbStore, tb_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (tb-store-error-quark, tb_store_error)

TbStoreWriter **
_tb_store_writer_slot (TbStore *self)
{
  return &self->writer;
}

gboolean
_tb_store_set_error (TbStore    *self,
                     int         rc,
                     const char *what,
                     GError    **error)
{
  int code = TB_STORE_ERROR_SQL;
  int primary = rc & 0xff;

  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    code = TB_STORE_ERROR_BUSY;
  else if (primary == SQLITE_CONSTRAINT)
    code = TB_STORE_ERROR_CONSTRAINT;
  else if (primary == SQLITE_FULL)
    code = TB_STORE_ERROR_FULL;
  else if (primary == SQLITE_READONLY)
    code = TB_STORE_ERROR_READ_ONLY;

  g_set_error (error, TB_STORE_ERROR, code, "%s: %s: %s",
               self->path, what, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
  return FALSE;
}

sqlite3 *
_tb_store_get_db (TbStore *self)
{
  return self->db;
}

sqlite3_stmt *
_tb_store_prepare (TbStore     *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL) {
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return stmt;
  }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK) {
    _tb_store_set_error (self, rc, "prepare", error);
    return NULL;
  }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_tb_store_step_done (TbStore       *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    sqlite3_reset (stmt);
    return _tb_store_set_error (self, rc, "step", error);
  }
  sqlite3_reset (stmt);
  return TRUE;
}

static int
param_index (sqlite3_stmt *stmt,
             const char   *name)
{
  int idx = sqlite3_bind_parameter_index (stmt, name);

  g_assert (idx > 0);
  return idx;
}

void
_tb_bind_text (sqlite3_stmt *stmt, const char *name, const char *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, param_index (stmt, name));
  else
    sqlite3_bind_text (stmt, param_index (stmt, name), value, -1, SQLITE_TRANSIENT);
}

void
_tb_bind_int64 (sqlite3_stmt *stmt, const char *name, gint64 value)
{
  sqlite3_bind_int64 (stmt, param_index (stmt, name), value);
}

void
_tb_bind_double (sqlite3_stmt *stmt, const char *name, double value)
{
  sqlite3_bind_double (stmt, param_index (stmt, name), value);
}

void
_tb_bind_null (sqlite3_stmt *stmt, const char *name)
{
  sqlite3_bind_null (stmt, param_index (stmt, name));
}

void
_tb_bind_id_or_null (sqlite3_stmt *stmt, const char *name, gint64 value)
{
  if (value > 0)
    sqlite3_bind_int64 (stmt, param_index (stmt, name), value);
  else
    sqlite3_bind_null (stmt, param_index (stmt, name));
}

char *
_tb_column_dup_text (sqlite3_stmt *stmt, int col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text ? g_strdup ((const char *) text) : NULL;
}

static gboolean
exec_sql (TbStore     *self,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  char *errmsg = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &errmsg);

  if (rc != SQLITE_OK) {
    int code = (rc & 0xff) == SQLITE_BUSY ? TB_STORE_ERROR_BUSY : TB_STORE_ERROR_SQL;

    g_set_error (error, TB_STORE_ERROR, code, "%s: %s: %s", self->path, what,
                 errmsg ? errmsg : sqlite3_errstr (rc));
    sqlite3_free (errmsg);
    return FALSE;
  }
  return TRUE;
}

static int
read_user_version (TbStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

/* Whether @dir is on a read-only file system (or cannot be written by us at all). */
static gboolean
dir_is_read_only (const char *dir)
{
  struct statvfs fs;

  if (statvfs (dir, &fs) == 0 && (fs.f_flag & ST_RDONLY))
    return TRUE;
  return access (dir, W_OK) != 0 && errno == EROFS;
}

/* After a table rebuild: every reference still points at a row. */
static gboolean
foreign_keys_hold (TbStore     *self,
                   const char  *what,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, "PRAGMA foreign_key_check", -1, &stmt, NULL);

  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_CONSTRAINT,
                 "%s: %s: a row of %s refers to a missing row of %s", self->path, what,
                 (const char *) sqlite3_column_text (stmt, 0),
                 (const char *) sqlite3_column_text (stmt, 2));
    sqlite3_finalize (stmt);
    return FALSE;
  }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _tb_store_set_error (self, rc, what, error);
  return TRUE;
}

static gboolean
run_migrations (TbStore                 *self,
                const TbStoreMigration  *migrations,
                guint                    n_migrations,
                GError                 **error)
{
  int current = read_user_version (self);
  int latest = n_migrations > 0 ? migrations[n_migrations - 1].version : 0;

  if (current > latest) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_TOO_NEW,
                 "%s: schema version %d is newer than this Telebot knows (%d)",
                 self->path, current, latest);
    return FALSE;
  }

  for (guint i = 0; i < n_migrations; i++) {
    const TbStoreMigration *m = &migrations[i];
    g_autoptr(GError) local_error = NULL;
    g_autofree char *bump = NULL;

    if (m->version <= current)
      continue;

    /* Dropping a table with foreign keys on deletes its rows first, and with them every row
     * that cascades from them (turns from attempts, the queue from campaigns). The switch is
     * a no-op inside a transaction, hence here. */
    if (m->rebuilds_tables && !exec_sql (self, "PRAGMA foreign_keys = OFF", m->name, error))
      return FALSE;
    if (!exec_sql (self, "BEGIN IMMEDIATE", "begin migration", error)) {
      if (m->rebuilds_tables)
        exec_sql (self, "PRAGMA foreign_keys = ON", "configure", NULL);
      return FALSE;
    }

    bump = g_strdup_printf ("PRAGMA user_version = %d", m->version);
    if (!exec_sql (self, m->sql, m->name, &local_error) ||
        (m->rebuilds_tables && !foreign_keys_hold (self, m->name, &local_error)) ||
        !exec_sql (self, bump, m->name, &local_error) ||
        !exec_sql (self, "COMMIT", m->name, &local_error)) {
      exec_sql (self, "ROLLBACK", "rollback migration", NULL);
      if (m->rebuilds_tables)
        exec_sql (self, "PRAGMA foreign_keys = ON", "configure", NULL);
      g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_MIGRATION,
                   "migration %d (%s) failed, database left at version %d: %s",
                   m->version, m->name, current, local_error->message);
      return FALSE;
    }
    if (m->rebuilds_tables && !exec_sql (self, "PRAGMA foreign_keys = ON", "configure", error))
      return FALSE;
    current = m->version;
  }
  return TRUE;
}

/* The database holds names, transcripts and consent evidence: its owner's alone, wherever it
 * lives. A new file is created 0600 before SQLite opens it (no moment where it is readable);
 * one an older version left readable is tightened, with the journals beside it. SQLite gives
 * the journals it creates later (-wal, -shm, -journal) the main file's mode. */
static gboolean
make_private (const char  *path,
              GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  /* Only a missing file is created (one on a read-only disk is only read). */
  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    if (fd >= 0) {
      close (fd);
    } else if (errno != EEXIST) {
      int saved = errno;

      g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_OPEN, "%s: cannot create: %s",
                   path, g_strerror (saved));
      return FALSE;
    }
  }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
    GStatBuf st;

    /* Someone else's database (read-only use) keeps its mode. */
    if (g_stat (file, &st) == 0 && (st.st_mode & 077) != 0 && st.st_uid == getuid () &&
        g_chmod (file, st.st_mode & 0700) != 0)
      g_debug ("%s: cannot make it private: %s", file, g_strerror (errno));
  }
  return TRUE;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
tb_store_finalize (GObject *object)
{
  TbStore *self = (TbStore *) object;

  /* What calls queued is written before the store closes. */
  g_clear_pointer (&self->writer, _tb_store_writer_free);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL) {
    sqlite3_close_v2 (self->db);
    self->db = NULL;
  }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->data_dir, g_free);

  G_OBJECT_CLASS (tb_store_parent_class)->finalize (object);
}

static void
tb_store_class_init (TbStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_store_finalize;
}

static void
tb_store_init (TbStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
}

/**
 * tb_store_open_with_migrations:
 * @path: the database file; created when missing
 * @migrations: (array length=n_migrations): the schema history, ascending versions
 * @n_migrations: its length
 * @error: return location for a #GError
 *
 * Opens the database in WAL mode with foreign keys on and a busy timeout, and
 * brings its schema up to the last migration, each step in its own transaction.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
TbStore *
tb_store_open_with_migrations (const char              *path,
                               const TbStoreMigration  *migrations,
                               guint                    n_migrations,
                               GError                 **error)
{
  static gsize configured = 0;
  g_autoptr(TbStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  /* Before SQLite initializes: without memory statistics its allocator takes
   * no global mutex, which bulk imports feel (a lock per allocation). */
  if (g_once_init_enter (&configured)) {
    sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
    g_once_init_leave (&configured, 1);
  }

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_OPEN,
                 "%s: cannot create folder: %s", path, g_strerror (errno));
    return NULL;
  }

  self = g_object_new (TB_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  {
    /* Absolute now: files named relative to it are found from any working folder. */
    g_autofree char *absolute = g_canonicalize_filename (path, NULL);

    self->data_dir = g_path_get_dirname (absolute);
  }
  if (!make_private (path, error))
    return NULL;

  /* A database on a read-only file system (a backup disk, a mount gone read-only) is opened
   * immutable: WAL needs its -shm file, which cannot be created there, and nothing else can
   * write it anyway. Exports, reports and audit verify work; writes fail with READ_ONLY. */
  self->read_only = g_file_test (path, G_FILE_TEST_EXISTS) && dir_is_read_only (dir);
  if (self->read_only) {
    g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
    g_autofree char *immutable = g_strconcat (uri ? uri : "", "?immutable=1", NULL);

    rc = sqlite3_open_v2 (immutable, &self->db,
                          SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
  } else {
    rc = sqlite3_open_v2 (path, &self->db,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  }
  if (rc != SQLITE_OK) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_OPEN, "%s: cannot open: %s",
                 path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
    return NULL;
  }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL lets a reader see the last commit while a writer works; NORMAL sync is
   * durable across application crashes, which is what a dialer needs. */
  if (!exec_sql (self,
                 self->read_only ? "PRAGMA foreign_keys = ON;"
                                 : "PRAGMA journal_mode = WAL;"
                                   "PRAGMA synchronous = NORMAL;"
                                   "PRAGMA foreign_keys = ON;",
                 "configure", error))
    return NULL;

  if (self->read_only && read_user_version (self) != tb_store_get_latest_version ()) {
    g_set_error (error, TB_STORE_ERROR, TB_STORE_ERROR_READ_ONLY,
                 "%s: the database is read-only and at schema version %d; this Telebot needs "
                 "%d (copy it somewhere writable to upgrade it)", path,
                 read_user_version (self), tb_store_get_latest_version ());
    return NULL;
  }
  if (!run_migrations (self, migrations, n_migrations, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * tb_store_open:
 * @path: the database file; created when missing
 * @error: return location for a #GError
 *
 * Opens the store at the current schema version.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
TbStore *
tb_store_open (const char  *path,
               GError     **error)
{
  guint n = 0;
  const TbStoreMigration *migrations = tb_store_get_migrations (&n);

  return tb_store_open_with_migrations (path, migrations, n, error);
}

const char *
tb_store_get_path (TbStore *self)
{
  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  return self->path;
}

/**
 * tb_store_get_data_dir:
 * @self: a #TbStore
 *
 * The data folder: the database's own folder, as an absolute path. Files the store names
 * (recordings) are kept relative to it.
 *
 * Returns: (transfer none): the folder
 */
const char *
tb_store_get_data_dir (TbStore *self)
{
  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  return self->data_dir;
}

/**
 * tb_store_resolve_path:
 * @self: a #TbStore
 * @stored: (nullable): a path as the store keeps it
 *
 * The one way every command finds a file the store names: a relative path is relative to
 * the data folder (tb_store_get_data_dir()), whatever the working folder; an absolute one
 * (written elsewhere by hand, or by a test) is taken as it is.
 *
 * Returns: (transfer full) (nullable): the absolute path, or %NULL for a %NULL or empty @stored
 */
char *
tb_store_resolve_path (TbStore    *self,
                       const char *stored)
{
  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  if (stored == NULL || *stored == '\0')
    return NULL;
  return g_canonicalize_filename (stored, self->data_dir);
}

int
tb_store_get_schema_version (TbStore *self)
{
  g_return_val_if_fail (TB_IS_STORE (self), -1);

  return read_user_version (self);
}

int
tb_store_get_latest_version (void)
{
  guint n = 0;
  const TbStoreMigration *migrations = tb_store_get_migrations (&n);

  return n > 0 ? migrations[n - 1].version : 0;
}

/**
 * tb_store_begin:
 * @self: a #TbStore
 * @error: return location for a #GError
 *
 * Starts a write transaction (`BEGIN IMMEDIATE`), or a savepoint when one is
 * already open, so functions that write can be composed into one atomic unit.
 * Pair with tb_store_commit() or tb_store_rollback().
 */
gboolean
tb_store_begin (TbStore  *self,
                GError  **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  if (self->tx_depth == 0)
    sql = g_strdup ("BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT tb_%u", self->tx_depth);

  if (!exec_sql (self, sql, "begin", error))
    return FALSE;
  self->tx_depth++;
  return TRUE;
}

gboolean
tb_store_commit (TbStore  *self,
                 GError  **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE tb_%u", self->tx_depth - 1);

  if (!exec_sql (self, sql, "commit", error)) {
    tb_store_rollback (self);
    return FALSE;
  }
  self->tx_depth--;
  return TRUE;
}

void
tb_store_rollback (TbStore *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (TB_IS_STORE (self));
  g_return_if_fail (self->tx_depth > 0);

  if (self->tx_depth == 1)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO tb_%u; RELEASE tb_%u",
                           self->tx_depth - 1, self->tx_depth - 1);
  exec_sql (self, sql, "rollback", NULL);
  self->tx_depth--;
}

gboolean
tb_store_in_transaction (TbStore *self)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  return self->tx_depth > 0;
}

gboolean
tb_store_exec (TbStore     *self,
               const char  *sql,
               GError     **error)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  return exec_sql (self, sql, "exec", error);
}

char *
tb_store_dup_setting (TbStore    *self,
                      const char *key,
                      const char *fallback)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (TB_IS_STORE (self), NULL);

  stmt = _tb_store_prepare (self, "SELECT value FROM settings WHERE key = :key", NULL);
  if (stmt == NULL)
    return g_strdup (fallback);
  _tb_bind_text (stmt, ":key", key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = _tb_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  return value ? value : g_strdup (fallback);
}

gboolean
tb_store_set_setting (TbStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TB_IS_STORE (self), FALSE);

  stmt = _tb_store_prepare (self,
                            "INSERT INTO settings (key, value) VALUES (:key, :value) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            error);
  if (stmt == NULL)
    return FALSE;
  _tb_bind_text (stmt, ":key", key);
  _tb_bind_text (stmt, ":value", value);
  return _tb_store_step_done (self, stmt, error);
}

/**
 * tb_store_is_e164:
 * @number: (nullable): a phone number
 *
 * Returns: %TRUE when @number is what the store keeps: "+", then 4 to 15 digits, the first
 * not 0 (the C twin of %TB_STORE_NOT_E164).
 */
/**
 * tb_store_is_read_only:
 *
 * Returns: %TRUE when the database was opened on a read-only file system: reads work,
 * every write fails with %TB_STORE_ERROR_READ_ONLY.
 */
gboolean
tb_store_is_read_only (TbStore *self)
{
  g_return_val_if_fail (TB_IS_STORE (self), FALSE);
  return self->read_only;
}

gboolean
tb_store_is_e164 (const char *number)
{
  gsize n;

  if (number == NULL || number[0] != '+' || number[1] < '1' || number[1] > '9')
    return FALSE;
  for (n = 1; number[n] != '\0'; n++)
    if (!g_ascii_isdigit (number[n]))
      return FALSE;
  return n - 1 >= 4 && n - 1 <= 15;
}
