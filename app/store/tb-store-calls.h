/* tb-store-calls.h — call attempts, their transcripts, and reading them back whole
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The campaign code writes attempts and turns with these; the CRM events and
 * the exports read them back joined with the contact and the campaign.
 * Times are microseconds since the Unix epoch (UTC); 0 means "none".
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

/* One attempt as written. Strings are borrowed; NULL writes SQL NULL. */
typedef struct {
  gint64      campaign_id;    /* 0: none (a one-off call) */
  gint64      contact_id;     /* 0: none */
  gint64      line_id;        /* 0: none */
  const char *e164;
  const char *state;          /* NULL: "dialing" */
  const char *outcome;
  const char *end_reason;
  int         protocol_code;  /* 0: none */
  gint64      dialed_at;
  gint64      answered_at;
  gint64      ended_at;
  const char *grade;          /* A..E or NULL */
  int         score;          /* -1: none */
  const char *reasons_json;   /* JSON array or NULL */
  const char *recording;      /* a file path or NULL */
  gboolean    opt_out;
} TbAttemptRow;

/* One transcript turn as written. */
typedef struct {
  int         seq;            /* 0: the next after the attempt's last turn */
  const char *speaker;        /* bot, callee, system */
  const char *node;
  const char *text;
  const char *intent;
  double      confidence;     /* < 0: none */
  gint64      started_at;
  gint64      ended_at;
} TbTurnRow;

/* A turn read back. Strings owned. */
typedef struct {
  int     seq;
  char   *speaker;
  char   *node;
  char   *text;
  char   *intent;
  double  confidence;         /* < 0: none */
  gint64  started_at;
  gint64  ended_at;
} TbTurn;

void tb_turn_free (TbTurn *turn);

/* An attempt with its contact, campaign and (optionally) turns. Strings owned. */
typedef struct {
  gint64     attempt_id;
  char      *e164;
  char      *state;
  char      *outcome;
  char      *end_reason;
  int        protocol_code;   /* 0: none */
  gint64     dialed_at;
  gint64     answered_at;
  gint64     first_audio_at;
  gint64     ended_at;
  char      *grade;
  int        score;           /* -1: none */
  char      *reasons_json;    /* a JSON array, or NULL */
  char      *recording;
  gboolean   opt_out;
  char      *follow_up;       /* new, contacted, won, lost */
  char      *notes;

  gint64     contact_id;      /* 0: none */
  char      *contact_name;
  char      *company;
  char      *email;
  char      *country;
  char      *timezone;
  char      *fields_json;     /* a JSON object, or NULL */
  char      *list_name;

  gint64     campaign_id;     /* 0: none */
  char      *campaign_name;
  char      *script_name;
  char      *line_name;
  char      *amd;             /* "human: short greeting 0.4 s then silence"; NULL: not decided */
  char      *caller_id;       /* the number presented; NULL: none of the line's own */
  char      *variant;         /* the campaign's script variant, "A".."C"; NULL: one script */

  GPtrArray *turns;           /* (element-type TbTurn), by seq; NULL when not loaded */
} TbCallRecord;

void tb_call_record_free (TbCallRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbCallRecord, tb_call_record_free)

/* Which calls to read. */
typedef struct {
  gint64              campaign_id;  /* 0: every campaign */
  const char * const *grades;       /* NULL or empty: any grade, and ungraded calls */
  gboolean            leads_only;   /* only each contact's latest graded attempt */
  gboolean            with_turns;
} TbCallFilter;

/* Called per call in attempt order; return FALSE with @error set to stop. */
typedef gboolean (*TbCallFunc) (const TbCallRecord  *record,
                                gpointer             user_data,
                                GError             **error);

/* Returns the new attempt's id (> 0), or 0 with @error set. Does not begin or
 * commit: wrap it with what else must commit with it. */
gint64        tb_store_insert_attempt        (TbStore             *self,
                                              const TbAttemptRow  *row,
                                              GError             **error);
/* Appends a turn to an attempt. Returns its seq (> 0), or 0 with @error set. */
int           tb_store_add_turn              (TbStore             *self,
                                              gint64               attempt_id,
                                              const TbTurnRow     *row,
                                              GError             **error);
/* A person changed a lead: NULL leaves a column as it is. */
/* Answering-machine detection's decision and its reason ("machine: beep at 1000 Hz"). */
gboolean      tb_store_attempt_set_amd       (TbStore             *self,
                                              gint64               attempt_id,
                                              const char          *decision,
                                              GError             **error);
gboolean      tb_store_update_lead           (TbStore             *self,
                                              gint64               attempt_id,
                                              const char          *grade,
                                              const char          *follow_up,
                                              const char          *notes,
                                              GError             **error);

/* NULL with TB_STORE_ERROR_NOT_FOUND when there is no such attempt. */
TbCallRecord *tb_store_load_call             (TbStore             *self,
                                              gint64               attempt_id,
                                              gboolean             with_turns,
                                              GError             **error);
gboolean      tb_store_foreach_call          (TbStore             *self,
                                              const TbCallFilter  *filter,
                                              TbCallFunc           func,
                                              gpointer             user_data,
                                              GError             **error);
/* The custom contact field names (keys of contacts.fields) of the calls that
 * @filter selects, sorted. NULL with @error set. */
GStrv         tb_store_dup_call_field_names  (TbStore             *self,
                                              const TbCallFilter  *filter,
                                              GError             **error);

G_END_DECLS
