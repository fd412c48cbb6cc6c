/* tb-contact-model.c — a contact list (or the DNC list) as a paged GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkColumnView asks only for the rows it shows; each miss reads one page of
 * 256 rows with LIMIT/OFFSET and the last few pages stay cached. Search and
 * sort are SQL, so nothing here ever holds the whole list. A filter the dial
 * gate decides (needs consent) cannot be SQL: the ids it keeps are found on a
 * thread, kept in order (8 bytes a contact), and pages are read by id.
 */
#define G_LOG_DOMAIN "tb-contact-model"

#include "config.h"

#include "tb-contact-model.h"
#include "tb-dial-gate.h"
#include "tb-store-compliance.h"

#define MAX_PAGES 8

struct _TbContactModel
{
  GObject        parent_instance;

  /* owned */
  TbStore       *store;
  char          *search;
  GHashTable    *pages;        /* page index -> GPtrArray of TbContact */
  GQueue         lru;          /* page indices, most recent first */

  gint64         list_id;
  gboolean       dnc;
  TbContactSort  sort;
  gboolean       descending;
  guint          n_items;
  guint          n_fetches;
  TbContactFilter filter;
  gint64         filter_now;
  GArray        *ids;                /* filtered: the shown contacts' ids, in order */

  GCancellable  *query_cancellable;  /* the running async query */
  guint          query_serial;

  /* async pages: placeholders now, rows from one reader thread later */
  gboolean       async_pages;
  GThreadPool   *pool;
  TbStore       *reader;             /* the pool thread's own connection */
  GMainContext  *context;
  guint          generation;         /* bumps when the rows change under the pages */
};

typedef struct {
  TbContactModel *model;             /* owned */
  GPtrArray      *placeholder;       /* owned: the page as handed out */
  GPtrArray      *items;             /* the rows read */
  guint           page;
  guint           generation;
  gint64          list_id;
  gboolean        dnc;
  char           *search;
  TbContactSort   sort;
  gboolean        descending;
  GArray         *ids;
} PageJob;

typedef struct {
  char          *db_path;
  gint64         list_id;
  gboolean       dnc;
  char          *search;
  TbContactSort  sort;
  gboolean       descending;
  TbContactFilter filter;
  gint64         now;
  guint          serial;
  /* results */
  gint64         n;
  GArray        *ids;
  GPtrArray     *first_page;
} Query;

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TbContactModel, tb_contact_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GPtrArray *
read_page (TbStore       *store,
           gboolean       dnc,
           gint64         list_id,
           const char    *search,
           TbContactSort  sort,
           gboolean       descending,
           GArray        *ids,
           guint          page)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 offset = (gint64) page * TB_CONTACT_MODEL_PAGE_SIZE;
  gboolean ok;

  if (ids != NULL) {
    guint n = offset < ids->len ? MIN (TB_CONTACT_MODEL_PAGE_SIZE, ids->len - offset) : 0;

    rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_record_free);
    ok = tb_store_list_contacts_by_ids (store, n ? &g_array_index (ids, gint64, offset) : NULL,
                                        n, rows, &error);
  } else if (dnc) {
    rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_dnc_entry_free);
    ok = tb_store_dnc_list (store, search, offset, TB_CONTACT_MODEL_PAGE_SIZE, rows, &error);
  } else {
    rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_record_free);
    ok = tb_store_list_contacts (store, list_id, search, sort, descending, offset,
                                 TB_CONTACT_MODEL_PAGE_SIZE, rows, &error);
  }
  if (!ok) {
    g_debug ("%s", error->message);
    return items;
  }
  for (guint i = 0; i < rows->len; i++) {
    gpointer row = g_steal_pointer (&rows->pdata[i]);

    g_ptr_array_add (items, dnc ? (gpointer) tb_contact_new_take_dnc (row)
                                : (gpointer) tb_contact_new_take_record (row));
  }
  return items;
}

static void
page_job_free (gpointer data)
{
  PageJob *job = data;

  g_clear_pointer (&job->placeholder, g_ptr_array_unref);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  g_clear_pointer (&job->ids, g_array_unref);
  g_free (job->search);
  g_object_unref (job->model);
  g_free (job);
}

static gboolean
page_done_cb (gpointer data)
{
  PageJob *job = data;
  TbContactModel *self = job->model;
  guint start = job->page * TB_CONTACT_MODEL_PAGE_SIZE;
  guint n;

  /* Evicted, or the rows changed since: nobody wants this page any more. */
  if (job->generation != self->generation ||
      g_hash_table_lookup (self->pages, GUINT_TO_POINTER (job->page)) != job->placeholder)
    return G_SOURCE_REMOVE;

  n = job->placeholder->len;
  /* Keep the placeholders' count: a page that came back short (the table
   * shrank) shows blank rows until the next reload. */
  while (job->items->len < n)
    g_ptr_array_add (job->items, g_object_new (TB_TYPE_CONTACT, NULL));
  g_ptr_array_set_size (job->items, n);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (job->page),
                       g_ptr_array_ref (job->items));
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), start, n, n);
  return G_SOURCE_REMOVE;
}

/* The reader thread. */
static void
page_worker (gpointer data,
             gpointer user_data)
{
  PageJob *job = data;
  TbContactModel *self = job->model;

  if (self->reader == NULL)
    self->reader = tb_store_open (tb_store_get_path (self->store), NULL);
  job->items = self->reader != NULL
               ? read_page (self->reader, job->dnc, job->list_id, job->search, job->sort,
                            job->descending, job->ids, job->page)
               : g_ptr_array_new_with_free_func (g_object_unref);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, page_done_cb, job,
                              page_job_free);
}

static GPtrArray *
request_page (TbContactModel *self,
              guint           page)
{
  guint start = page * TB_CONTACT_MODEL_PAGE_SIZE;
  guint n = MIN (TB_CONTACT_MODEL_PAGE_SIZE, self->n_items - start);
  GPtrArray *placeholder = g_ptr_array_new_full (n, g_object_unref);
  PageJob *job = g_new0 (PageJob, 1);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (placeholder, g_object_new (TB_TYPE_CONTACT, NULL));

  job->model = g_object_ref (self);
  job->placeholder = g_ptr_array_ref (placeholder);
  job->page = page;
  job->generation = self->generation;
  job->list_id = self->list_id;
  job->dnc = self->dnc;
  job->search = g_strdup (self->search);
  job->sort = self->sort;
  job->descending = self->descending;
  job->ids = self->ids ? g_array_ref (self->ids) : NULL;
  if (self->pool == NULL)
    self->pool = g_thread_pool_new (page_worker, NULL, 1, FALSE, NULL);
  g_thread_pool_push (self->pool, job, NULL);
  return placeholder;
}

static GPtrArray *
fetch_page (TbContactModel *self,
            guint           page)
{
  self->n_fetches++;
  return read_page (self->store, self->dnc, self->list_id, self->search, self->sort,
                    self->descending, self->ids, page);
}

static void
query_free (gpointer data)
{
  Query *q = data;

  g_free (q->db_path);
  g_free (q->search);
  g_clear_pointer (&q->ids, g_array_unref);
  g_clear_pointer (&q->first_page, g_ptr_array_unref);
  g_free (q);
}

typedef struct {
  TbDialGate   *gate;
  GHashTable   *keep;          /* contact ids */
  gint64        now;
  GCancellable *cancellable;
  GError       *error;
} FilterState;

static gboolean
filter_contact (gint64                      contact_id,
                const TbComplianceContact  *contact,
                gpointer                    user_data)
{
  FilterState *st = user_data;
  TbDialCallee callee = { contact->e164, contact->country, contact->timezone, contact->state };

  if (g_cancellable_set_error_if_cancelled (st->cancellable, &st->error))
    return FALSE;
  if (tb_dial_gate_needs_consent (st->gate, &callee, NULL, st->now, &st->error))
    g_hash_table_add (st->keep, g_memdup2 (&contact_id, sizeof contact_id));
  return st->error == NULL;
}

/* The ids of the list's contacts the filter keeps, in the query's order. */
static GArray *
filter_ids (TbStore       *store,
            Query         *q,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(TbDialGate) gate = tb_dial_gate_new (store);
  g_autoptr(GHashTable) keep = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) all = NULL;
  GArray *ids;
  FilterState st = { gate, keep, q->now, cancellable, NULL };

  if (!tb_store_compliance_foreach_list_contact (store, q->list_id, filter_contact, &st, error))
    return NULL;
  if (st.error != NULL) {
    g_propagate_error (error, st.error);
    return NULL;
  }
  if ((all = tb_store_list_contact_ids (store, q->list_id, q->search, q->sort, q->descending,
                                        error)) == NULL)
    return NULL;
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), g_hash_table_size (keep));
  for (guint i = 0; i < all->len; i++)
    if (g_hash_table_contains (keep, &g_array_index (all, gint64, i)))
      g_array_append_val (ids, g_array_index (all, gint64, i));
  return ids;
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Query *q = task_data;
  g_autoptr(TbStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if ((store = tb_store_open (q->db_path, &error)) == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (q->filter != TB_CONTACT_FILTER_NONE && !q->dnc &&
      (q->ids = filter_ids (store, q, cancellable, &error)) == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (q->ids != NULL)
    q->n = q->ids->len;
  else
    q->n = q->dnc ? tb_store_dnc_count (store, q->search)
                  : tb_store_count_contacts (store, q->list_id, q->search);
  q->first_page = read_page (store, q->dnc, q->list_id, q->search, q->sort, q->descending,
                             q->ids, 0);
  g_task_return_boolean (task, TRUE);
}

static void
replace_items (TbContactModel *self,
               guint           n_items,
               GArray         *ids,
               GPtrArray      *first_page)
{
  guint old_n = self->n_items;

  self->generation++;
  g_clear_pointer (&self->ids, g_array_unref);
  self->ids = ids ? g_array_ref (ids) : NULL;
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  if (first_page != NULL) {
    g_hash_table_insert (self->pages, GUINT_TO_POINTER (0), g_ptr_array_ref (first_page));
    g_queue_push_head (&self->lru, GUINT_TO_POINTER (0));
  }

  /* Two steps, not one (0, old, new): GTK 4.8's list views look for their
   * tracked rows among all the added items, which would read every page. */
  self->n_items = 0;
  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
  self->n_items = n_items;
  if (self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
}

static void
query_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TbContactModel *self = TB_CONTACT_MODEL (source);
  Query *q = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (q->serial != self->query_serial)
    return;   /* a newer query or a reload took over */
  g_clear_object (&self->query_cancellable);
  if (!ok && self->filter != TB_CONTACT_FILTER_NONE && !self->dnc) {
    /* The gate could not decide (a pack that does not load): nobody is shown as kept. */
    g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (gint64));

    g_debug ("%s", error->message);
    replace_items (self, 0, none, NULL);
    return;
  }
  if (!ok) {
    /* The store failed under us: show what a plain reload finds. */
    g_debug ("%s", error->message);
    tb_contact_model_reload (self);
    return;
  }
  replace_items (self, (guint) MIN (q->n, (gint64) G_MAXUINT), q->ids, q->first_page);
}

/* Reads the count and the first page of the model's query on a thread; the model changes
 * when they are read (and not at all when a newer query or a reload came first). */
static void
start_query (TbContactModel *self)
{
  g_autoptr(GTask) task = NULL;
  Query *q;

  if (self->query_cancellable != NULL)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  self->query_cancellable = g_cancellable_new ();

  q = g_new0 (Query, 1);
  q->db_path = g_strdup (tb_store_get_path (self->store));
  q->list_id = self->list_id;
  q->dnc = self->dnc;
  q->search = g_strdup (self->search);
  q->sort = self->sort;
  q->descending = self->descending;
  q->filter = self->filter;
  q->now = self->filter_now;
  q->serial = ++self->query_serial;

  task = g_task_new (self, self->query_cancellable, query_cb, NULL);
  g_task_set_source_tag (task, start_query);
  g_task_set_task_data (task, q, query_free);
  g_task_run_in_thread (task, query_thread);
}

static GType
tb_contact_model_get_item_type (GListModel *model)
{
  return TB_TYPE_CONTACT;
}

static guint
tb_contact_model_get_n_items (GListModel *model)
{
  return TB_CONTACT_MODEL (model)->n_items;
}

static gpointer
tb_contact_model_get_item (GListModel *model,
                           guint       position)
{
  TbContactModel *self = TB_CONTACT_MODEL (model);
  guint page = position / TB_CONTACT_MODEL_PAGE_SIZE;
  guint index = position % TB_CONTACT_MODEL_PAGE_SIZE;
  GPtrArray *items;

  if (position >= self->n_items)
    return NULL;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items == NULL) {
    /* The first page is cheap and is what a view draws first: read it now. */
    if (self->async_pages && page > 0) {
      self->n_fetches++;
      items = request_page (self, page);
    } else {
      items = fetch_page (self, page);
    }
    g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
    g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
    while (self->lru.length > MAX_PAGES) {
      gpointer old = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->pages, old);
    }
  } else if (g_queue_peek_head (&self->lru) != GUINT_TO_POINTER (page)) {
    g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
    g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
  }

  /* The table shrank since the count: a blank row until the next reload. */
  if (index >= items->len)
    return g_object_new (TB_TYPE_CONTACT, NULL);
  return g_object_ref (items->pdata[index]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = tb_contact_model_get_item_type;
  iface->get_n_items = tb_contact_model_get_n_items;
  iface->get_item = tb_contact_model_get_item;
}

static void
tb_contact_model_finalize (GObject *object)
{
  TbContactModel *self = (TbContactModel *) object;

  if (self->query_cancellable != NULL)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  /* Jobs hold the model, so none is queued now; wait for the thread to end. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  g_clear_object (&self->reader);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->lru);

  G_OBJECT_CLASS (tb_contact_model_parent_class)->finalize (object);
}

static void
tb_contact_model_class_init (TbContactModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_contact_model_finalize;
}

static void
tb_contact_model_init (TbContactModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->lru);
  self->context = g_main_context_ref_thread_default ();
}

TbContactModel *
tb_contact_model_new (TbStore *store)
{
  TbContactModel *self;

  g_return_val_if_fail (TB_IS_STORE (store), NULL);

  self = g_object_new (TB_TYPE_CONTACT_MODEL, NULL);
  self->store = g_object_ref (store);
  /* Empty until a list is chosen: counting a million rows is not free. */
  self->list_id = -1;
  return self;
}

TbStore *
tb_contact_model_get_store (TbContactModel *self)
{
  g_return_val_if_fail (TB_IS_CONTACT_MODEL (self), NULL);

  return self->store;
}

void
tb_contact_model_reload (TbContactModel *self)
{
  gint64 n;

  g_return_if_fail (TB_IS_CONTACT_MODEL (self));

  /* Filtered, the gate decides: on a thread. */
  if (self->filter != TB_CONTACT_FILTER_NONE && !self->dnc) {
    start_query (self);
    return;
  }

  /* A reload supersedes a query still running. */
  self->query_serial++;
  if (self->query_cancellable != NULL)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);

  n = self->dnc ? tb_store_dnc_count (self->store, self->search)
                : tb_store_count_contacts (self->store, self->list_id, self->search);
  replace_items (self, (guint) MIN (n, (gint64) G_MAXUINT), NULL, NULL);
}

void
tb_contact_model_set_list_id (TbContactModel *self,
                              gint64          list_id)
{
  g_return_if_fail (TB_IS_CONTACT_MODEL (self));

  if (self->list_id == list_id && !self->dnc)
    return;
  self->list_id = list_id;
  self->dnc = FALSE;
  tb_contact_model_reload (self);
}

gint64
tb_contact_model_get_list_id (TbContactModel *self)
{
  g_return_val_if_fail (TB_IS_CONTACT_MODEL (self), 0);

  return self->list_id;
}

void
tb_contact_model_set_dnc (TbContactModel *self,
                          gboolean        dnc)
{
  g_return_if_fail (TB_IS_CONTACT_MODEL (self));

  if (self->dnc == !!dnc)
    return;
  self->dnc = !!dnc;
  tb_contact_model_reload (self);
}

gboolean
tb_contact_model_get_dnc (TbContactModel *self)
{
  g_return_val_if_fail (TB_IS_CONTACT_MODEL (self), FALSE);

  return self->dnc;
}

void
tb_contact_model_set_search (TbContactModel *self,
                             const char     *search)
{
  g_return_if_fail (TB_IS_CONTACT_MODEL (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (search);
  tb_contact_model_reload (self);
}

void
tb_contact_model_set_sort (TbContactModel *self,
                           TbContactSort   sort,
                           gboolean        descending)
{
  g_return_if_fail (TB_IS_CONTACT_MODEL (self));

  if (self->sort == sort && self->descending == !!descending)
    return;
  self->sort = sort;
  self->descending = !!descending;
  tb_contact_model_reload (self);
}

guint
tb_contact_model_get_n_fetches (TbContactModel *self)
{
  g_return_val_if_fail (TB_IS_CONTACT_MODEL (self), 0);

  return self->n_fetches;
}

void
tb_contact_model_set_query_async (TbContactModel *self,
                                  const char     *search,
                                  TbContactSort   sort,
                                  gboolean        descending)
{
  g_return_if_fail (TB_IS_CONTACT_MODEL (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0 && self->sort == sort &&
      self->descending == !!descending && self->query_cancellable == NULL)
    return;

  /* The new query is the model's from now on; its rows come when read. */
  g_free (self->search);
  self->search = g_strdup (search);
  self->sort = sort;
  self->descending = !!descending;
  start_query (self);
}

gboolean
tb_contact_model_get_busy (TbContactModel *self)
{
  g_return_val_if_fail (TB_IS_CONTACT_MODEL (self), FALSE);

  return self->query_cancellable != NULL;
}

void
tb_contact_model_set_async_pages (TbContactModel *self,
                                  gboolean        async_pages)
{
  g_return_if_fail (TB_IS_CONTACT_MODEL (self));

  self->async_pages = !!async_pages;
}

void
tb_contact_model_set_filter (TbContactModel  *self,
                             TbContactFilter  filter,
                             gint64           now)
{
  g_return_if_fail (TB_IS_CONTACT_MODEL (self));

  if (self->filter == filter && self->filter_now == now)
    return;
  self->filter = filter;
  self->filter_now = now;
  tb_contact_model_reload (self);
}

TbContactFilter
tb_contact_model_get_filter (TbContactModel *self)
{
  g_return_val_if_fail (TB_IS_CONTACT_MODEL (self), TB_CONTACT_FILTER_NONE);

  return self->filter;
}
