/* tb-grader.c — lead grade A–E, score 0–100 and the reasons for them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-grader"

#include "config.h"

#include "tb-grader.h"

struct _TbGrader
{
  TbScriptGrading  grading;
  int              score;      /* unclamped sum over base */
  gboolean         opt_out;
  GPtrArray       *reasons;    /* char * */
  GPtrArray       *tags;       /* char *, unique */
};

TbGrader *
tb_grader_new (const TbScriptGrading *grading)
{
  TbGrader *self = g_new0 (TbGrader, 1);

  g_return_val_if_fail (grading != NULL, NULL);
  self->grading = *grading;
  self->score = grading->base;
  self->reasons = g_ptr_array_new_with_free_func (g_free);
  self->tags = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
tb_grader_free (TbGrader *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->reasons);
  g_ptr_array_unref (self->tags);
  g_free (self);
}

void
tb_grader_add_tag (TbGrader   *self,
                   const char *tag)
{
  g_return_if_fail (self != NULL);
  if (tag != NULL && !g_ptr_array_find_with_equal_func (self->tags, tag, g_str_equal, NULL))
    g_ptr_array_add (self->tags, g_strdup (tag));
}

void
tb_grader_apply (TbGrader            *self,
                 const TbScriptGrade *grade,
                 const char          *node_id,
                 const char          *intent,
                 const char          *utterance)
{
  GString *r;

  g_return_if_fail (self != NULL);
  if (grade == NULL || !grade->set)
    return;

  self->score += grade->score;
  for (guint i = 0; grade->tags != NULL && grade->tags[i] != NULL; i++)
    tb_grader_add_tag (self, grade->tags[i]);

  r = g_string_new (NULL);
  if (utterance != NULL)
    g_string_append_printf (r, "said '%s' at node %s", utterance, node_id ? node_id : "?");
  else if (intent != NULL)
    g_string_append_printf (r, "%s at node %s", intent, node_id ? node_id : "?");
  else
    g_string_append_printf (r, "reached node %s", node_id ? node_id : "?");
  g_string_append_printf (r, ": %+d", grade->score);
  if (grade->reason != NULL)
    g_string_append_printf (r, " (%s)", grade->reason);
  else if (intent != NULL)
    g_string_append_printf (r, " (intent %s)", intent);
  g_ptr_array_add (self->reasons, g_string_free (r, FALSE));
}

void
tb_grader_set_opt_out (TbGrader   *self,
                       const char *node_id,
                       const char *words)
{
  g_return_if_fail (self != NULL);
  if (self->opt_out)
    return;
  self->opt_out = TRUE;
  tb_grader_add_tag (self, "opt_out");
  g_ptr_array_add (self->reasons,
                   g_strdup_printf ("opted out (said '%s') at node %s: grade E",
                                    words ? words : "", node_id ? node_id : "?"));
}

void
tb_grader_note (TbGrader   *self,
                const char *reason)
{
  g_return_if_fail (self != NULL);
  if (reason != NULL)
    g_ptr_array_add (self->reasons, g_strdup (reason));
}

int
tb_grader_get_score (TbGrader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return CLAMP (self->score, 0, 100);
}

char
tb_grade_for_score (const TbScriptGrading *grading,
                    int                    score)
{
  g_return_val_if_fail (grading != NULL, 'E');
  if (score >= grading->a)
    return 'A';
  if (score >= grading->b)
    return 'B';
  if (score >= grading->c)
    return 'C';
  if (score >= grading->d)
    return 'D';
  return 'E';
}

static GStrv
strv_from (GPtrArray *a)
{
  GStrv v = g_new0 (char *, a->len + 1);

  for (guint i = 0; i < a->len; i++)
    v[i] = g_strdup (g_ptr_array_index (a, i));
  return v;
}

TbGradeResult *
tb_grader_finish (TbGrader   *self,
                  const char *outcome,
                  gboolean    reached)
{
  TbGradeResult *r = g_new0 (TbGradeResult, 1);

  g_return_val_if_fail (self != NULL, NULL);

  r->outcome = g_strdup (self->opt_out ? "opt_out" : (outcome ? outcome : "completed"));
  r->reached = reached || self->opt_out;
  r->opt_out = self->opt_out;
  r->tags = strv_from (self->tags);
  if (!r->reached) {
    r->reasons = g_new0 (char *, 1);
    return r;
  }
  r->score = self->opt_out ? 0 : tb_grader_get_score (self);
  r->grade = self->opt_out ? 'E' : tb_grade_for_score (&self->grading, r->score);
  {
    g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);

    g_ptr_array_add (reasons, g_strdup_printf ("reached a person: base score %d",
                                               self->grading.base));
    for (guint i = 0; i < self->reasons->len; i++)
      g_ptr_array_add (reasons, g_strdup (g_ptr_array_index (self->reasons, i)));
    if (!self->opt_out)
      g_ptr_array_add (reasons, g_strdup_printf ("score %d: grade %c", r->score, r->grade));
    r->reasons = strv_from (reasons);
  }
  return r;
}

TbGradeResult *
tb_grade_result_new_unreached (const char *outcome)
{
  TbGradeResult *r = g_new0 (TbGradeResult, 1);

  r->outcome = g_strdup (outcome ? outcome : "no_answer");
  r->reasons = g_new0 (char *, 1);
  r->tags = g_new0 (char *, 1);
  return r;
}

TbGradeResult *
tb_grade_result_copy (const TbGradeResult *result)
{
  TbGradeResult *r;

  g_return_val_if_fail (result != NULL, NULL);
  r = g_memdup2 (result, sizeof *result);
  r->outcome = g_strdup (result->outcome);
  r->reasons = g_strdupv (result->reasons);
  r->tags = g_strdupv (result->tags);
  return r;
}

void
tb_grade_result_free (TbGradeResult *result)
{
  if (result == NULL)
    return;
  g_free (result->outcome);
  g_strfreev (result->reasons);
  g_strfreev (result->tags);
  g_free (result);
}

JsonNode *
tb_grade_result_to_json (const TbGradeResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "outcome");
  json_builder_add_string_value (b, result->outcome);
  json_builder_set_member_name (b, "grade");
  if (result->grade != 0) {
    char g[2] = { result->grade, 0 };

    json_builder_add_string_value (b, g);
  } else {
    json_builder_add_null_value (b);
  }
  json_builder_set_member_name (b, "score");
  json_builder_add_int_value (b, result->score);
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (guint i = 0; result->reasons[i] != NULL; i++)
    json_builder_add_string_value (b, result->reasons[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint i = 0; result->tags[i] != NULL; i++)
    json_builder_add_string_value (b, result->tags[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "opt_out");
  json_builder_add_boolean_value (b, result->opt_out);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
