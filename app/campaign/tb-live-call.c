/* tb-live-call.c — what the window shows of one call in flight
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-live-call"

#include "config.h"

#include "tb-live-call.h"

/* A card shows a few lines; the whole transcript is in the store. */
#define MAX_TURNS 6

struct _TbLiveTurn
{
  GObject  parent_instance;

  char    *speaker;
  char    *text;
};

G_DEFINE_FINAL_TYPE (TbLiveTurn, tb_live_turn, G_TYPE_OBJECT)

static void
tb_live_turn_finalize (GObject *object)
{
  TbLiveTurn *self = TB_LIVE_TURN (object);

  g_free (self->speaker);
  g_free (self->text);

  G_OBJECT_CLASS (tb_live_turn_parent_class)->finalize (object);
}

static void
tb_live_turn_class_init (TbLiveTurnClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_live_turn_finalize;
}

static void
tb_live_turn_init (TbLiveTurn *self)
{
}

const char *
tb_live_turn_get_speaker (TbLiveTurn *self)
{
  g_return_val_if_fail (TB_IS_LIVE_TURN (self), NULL);

  return self->speaker;
}

const char *
tb_live_turn_get_text (TbLiveTurn *self)
{
  g_return_val_if_fail (TB_IS_LIVE_TURN (self), NULL);

  return self->text;
}

struct _TbLiveCall
{
  GObject     parent_instance;

  gint64      attempt_id;
  char       *name;
  char       *number;
  char       *state;
  char       *node;
  char       *grade;
  double      level;
  gint64      answered_at;
  GListStore *turns;
};

G_DEFINE_FINAL_TYPE (TbLiveCall, tb_live_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_NODE,
  PROP_GRADE,
  PROP_LEVEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tb_live_call_finalize (GObject *object)
{
  TbLiveCall *self = TB_LIVE_CALL (object);

  g_free (self->name);
  g_free (self->number);
  g_free (self->state);
  g_free (self->node);
  g_free (self->grade);
  g_clear_object (&self->turns);

  G_OBJECT_CLASS (tb_live_call_parent_class)->finalize (object);
}

static void
tb_live_call_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TbLiveCall *self = TB_LIVE_CALL (object);

  switch (prop_id) {
  case PROP_STATE:
    g_value_set_string (value, self->state);
    break;
  case PROP_NODE:
    g_value_set_string (value, self->node);
    break;
  case PROP_GRADE:
    g_value_set_string (value, self->grade);
    break;
  case PROP_LEVEL:
    g_value_set_double (value, self->level);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tb_live_call_class_init (TbLiveCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_live_call_finalize;
  object_class->get_property = tb_live_call_get_property;

  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NODE] =
    g_param_spec_string ("node", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GRADE] =
    g_param_spec_string ("grade", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LEVEL] =
    g_param_spec_double ("level", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_live_call_init (TbLiveCall *self)
{
  self->turns = g_list_store_new (TB_TYPE_LIVE_TURN);
  self->state = g_strdup ("dialing");
}

TbLiveCall *
tb_live_call_new (gint64      attempt_id,
                  const char *name,
                  const char *number)
{
  TbLiveCall *self = g_object_new (TB_TYPE_LIVE_CALL, NULL);

  self->attempt_id = attempt_id;
  self->name = g_strdup (name);
  self->number = g_strdup (number);
  return self;
}

gint64
tb_live_call_get_attempt_id (TbLiveCall *self)
{
  g_return_val_if_fail (TB_IS_LIVE_CALL (self), 0);

  return self->attempt_id;
}

const char *
tb_live_call_get_name (TbLiveCall *self)
{
  g_return_val_if_fail (TB_IS_LIVE_CALL (self), NULL);

  return self->name;
}

const char *
tb_live_call_get_number (TbLiveCall *self)
{
  g_return_val_if_fail (TB_IS_LIVE_CALL (self), NULL);

  return self->number;
}

static gboolean
set_string (TbLiveCall  *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

const char *
tb_live_call_get_state (TbLiveCall *self)
{
  g_return_val_if_fail (TB_IS_LIVE_CALL (self), NULL);

  return self->state;
}

void
tb_live_call_set_state (TbLiveCall *self,
                        const char *state)
{
  g_return_if_fail (TB_IS_LIVE_CALL (self));

  if (g_strcmp0 (state, "answered") == 0 && self->answered_at == 0)
    self->answered_at = g_get_monotonic_time ();
  set_string (self, &self->state, state, PROP_STATE);
}

gint64
tb_live_call_get_answered_at (TbLiveCall *self)
{
  g_return_val_if_fail (TB_IS_LIVE_CALL (self), 0);

  return self->answered_at;
}

const char *
tb_live_call_get_node (TbLiveCall *self)
{
  g_return_val_if_fail (TB_IS_LIVE_CALL (self), NULL);

  return self->node;
}

void
tb_live_call_set_node (TbLiveCall *self,
                       const char *node)
{
  g_return_if_fail (TB_IS_LIVE_CALL (self));

  set_string (self, &self->node, node, PROP_NODE);
}

const char *
tb_live_call_get_grade (TbLiveCall *self)
{
  g_return_val_if_fail (TB_IS_LIVE_CALL (self), NULL);

  return self->grade;
}

void
tb_live_call_set_grade (TbLiveCall *self,
                        const char *grade)
{
  g_return_if_fail (TB_IS_LIVE_CALL (self));

  set_string (self, &self->grade, grade, PROP_GRADE);
}

double
tb_live_call_get_level (TbLiveCall *self)
{
  g_return_val_if_fail (TB_IS_LIVE_CALL (self), 0);

  return self->level;
}

void
tb_live_call_set_level (TbLiveCall *self,
                        double      level)
{
  g_return_if_fail (TB_IS_LIVE_CALL (self));

  level = CLAMP (level, 0.0, 1.0);
  /* Meters redraw at most on a visible change. */
  if (ABS (level - self->level) < 0.01)
    return;
  self->level = level;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
}

GListModel *
tb_live_call_get_turns (TbLiveCall *self)
{
  g_return_val_if_fail (TB_IS_LIVE_CALL (self), NULL);

  return G_LIST_MODEL (self->turns);
}

void
tb_live_call_add_turn (TbLiveCall *self,
                       const char *speaker,
                       const char *text)
{
  g_autoptr(TbLiveTurn) turn = NULL;

  g_return_if_fail (TB_IS_LIVE_CALL (self));

  turn = g_object_new (TB_TYPE_LIVE_TURN, NULL);
  turn->speaker = g_strdup (speaker);
  turn->text = g_strdup (text);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->turns)) >= MAX_TURNS)
    g_list_store_remove (self->turns, 0);
  g_list_store_append (self->turns, turn);
}
