/* tb-line-pool-private.h — shared by tb-line-pool.c and tb-line-pool-numbers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-line-pool.h"

G_BEGIN_DECLS

/* One caller number of a line, with what its caps count. */
typedef struct {
  char   *e164;
  char   *area;         /* where it rings (tb_phone_dup_area_key()), or NULL */
  GArray *dials;        /* gint64: when it was dialed from, within the last day, oldest first */
  guint   unanswered;   /* its calls in a row that reached nobody */
  gint64  cool_until;   /* campaign clock µs: resting until then; 0: not */
  GArray *answers;      /* gboolean: its last calls reached somebody, oldest first */
  char   *health;       /* why it looks marked as spam (it rests a day), or NULL */
} Number;

typedef struct {
  TbLinePool *pool;          /* (unowned) */
  TbLine     *line;          /* (owned) a registry holder's reference */
  gint64      line_id;
  char       *name;
  GPtrArray  *numbers;       /* Number: the caller numbers it presents; empty: none of its own */
  guint       next_number;   /* round-robin among them */
  int         per_hour;      /* calls per number per rolling hour; 0: no cap */
  int         per_day;       /* per rolling 24 h; 0: no cap */
  int         cooldown_after;    /* unanswered calls in a row that rest a number; 0: never */
  int         cooldown_minutes;
  gboolean    enabled;       /* in the campaign's pool (campaign_lines.enabled) */
  guint       in_flight;     /* calls reserved by tb_line_pool_pick() and not ended */
  guint       failures;      /* calls in a row that failed */
  char       *last_failure;  /* why the last of them failed, as its end reason said */
  gint64      rest_until;    /* monotonic µs: out of the pick until then; 0: not resting */
  int         rest_code;     /* the SIP answer it rests for (403, 503); 0: its failures */
  guint       rest_id;
  gulong      state_handler;
  TbLineState last_state;
} Member;

struct _TbLinePool
{
  GObject    parent_instance;

  /* owned */
  GPtrArray *members;        /* Member, by position */
  TbStore   *store;          /* where a line's rest is written for other processes to see */
  gint64     campaign_id;
  guint      next;           /* round-robin: the position tried first by the next pick */
  TbLinePoolRule rule;       /* how it chooses among the numbers with room */
};

#define HOUR_US (G_USEC_PER_SEC * (gint64) 3600)
#define DAY_US (24 * HOUR_US)

/* tb-line-pool.c */
void     _tb_line_pool_member_free            (Member      *m);
Member  *_tb_line_pool_find_member            (TbLinePool  *self,
                                               gint64       line_id);

/* tb-line-pool-numbers.c */
gint64   _tb_line_pool_number_free_at         (Member      *m,
                                               Number      *n,
                                               gint64       now);
guint    _tb_line_pool_number_allowance       (Member      *m,
                                               Number      *n,
                                               gint64       now);
int      _tb_line_pool_member_pick_number     (Member      *m,
                                               gint64       now,
                                               const char  *avoid,
                                               const char  *local);
gint64   _tb_line_pool_member_numbers_free_at (Member      *m,
                                               gint64       now);
gboolean _tb_line_pool_member_load_numbers    (Member      *m,
                                               TbStore     *store,
                                               const char  *config_json,
                                               gint64       now,
                                               GError     **error);

G_END_DECLS
