/* tb-grader.h — lead grade A–E, score 0–100 and the reasons for them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog engine feeds the grader every grade effect as it happens
 * (node entered, intent matched, opt-out, call-later); tb_grader_finish()
 * turns them into a result. Every reached callee gets a grade; a call that
 * never reached a person (no answer, busy, voicemail…) gets an outcome and
 * no grade. Opt-out is always E.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-script.h"

G_BEGIN_DECLS

typedef struct _TbGrader TbGrader;

typedef struct {
  char     *outcome;   /* "completed", "transferred", "opt_out", "callback_requested", … */
  gboolean  reached;   /* a person answered: then grade and score are set */
  char      grade;     /* 'A'..'E', or 0 when not reached */
  int       score;     /* 0..100 (0 when not reached) */
  gboolean  opt_out;
  GStrv     reasons;   /* "said 'yes, tell me more' at node pitch: +30 (interested)"; never NULL */
  GStrv     tags;      /* accumulated tags, e.g. "interested"; never NULL */
} TbGradeResult;

TbGrader      *tb_grader_new              (const TbScriptGrading *grading);
void           tb_grader_free             (TbGrader              *self);

/* One effect. @node_id and @utterance (what the callee said, or NULL when a
 * node effect) go into the reason. */
void           tb_grader_apply            (TbGrader              *self,
                                           const TbScriptGrade   *grade,
                                           const char            *node_id,
                                           const char            *intent,
                                           const char            *utterance);
/* The callee opted out: the grade is E whatever the score. */
void           tb_grader_set_opt_out      (TbGrader              *self,
                                           const char            *node_id,
                                           const char            *words);
/* A free-form reason with no score change (e.g. "asked to be called later"). */
void           tb_grader_note             (TbGrader              *self,
                                           const char            *reason);
void           tb_grader_add_tag          (TbGrader              *self,
                                           const char            *tag);
int            tb_grader_get_score        (TbGrader              *self);

TbGradeResult *tb_grader_finish           (TbGrader              *self,
                                           const char            *outcome,
                                           gboolean               reached);

/* The result of a call that never reached a person (no answer, busy,
 * failed…): the outcome and no grade. */
TbGradeResult *tb_grade_result_new_unreached (const char          *outcome);

/* 'A'..'E' for a score under @grading's thresholds. */
char           tb_grade_for_score         (const TbScriptGrading *grading,
                                           int                    score);

TbGradeResult *tb_grade_result_copy       (const TbGradeResult   *result);
void           tb_grade_result_free       (TbGradeResult         *result);
/* {"outcome":..,"grade":"A"|null,"score":N,"reasons":[..],"tags":[..],"opt_out":bool} */
JsonNode      *tb_grade_result_to_json    (const TbGradeResult   *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbGrader, tb_grader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbGradeResult, tb_grade_result_free)

G_END_DECLS
