/* tb-leads-page.c — graded leads: filters, transcript, recording, follow-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-leads-page"

#include "config.h"

#include <glib/gi18n.h>


#include "tb-announcement-library.h"
#include "tb-application.h"
#include "tb-crm-event.h"
#include "tb-lead.h"
#include "tb-leads-page.h"
#include "tb-words.h"
#include "tb-page-util.h"
#include "tb-recording-player.h"
#include "tb-store-calls.h"
#include "tb-store-config.h"
#include "tb-waveform.h"
#include "tb-window.h"

#define GRADES "ABCDE"

static const char * const follow_ups[] = { "new", "contacted", "won", "lost" };

struct _TbLeadsPage
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkStack          *stack;
  AdwLeaflet        *leaflet;
  GtkBox            *grade_filters;
  GtkDropDown       *campaign_filter;
  GtkListView       *list_view;
  GtkLabel          *grade_label;
  GtkLabel          *title_label;
  GtkLabel          *subtitle_label;
  GtkListBox        *reasons_list;
  AdwPreferencesGroup *recording_group;
  GtkMenuButton     *announcement_button;
  GtkButton         *play_button;
  TbWaveform        *waveform;
  GtkLabel          *time_label;
  GtkBox            *transcript_box;
  AdwComboRow       *follow_up_row;
  AdwEntryRow       *notes_row;
  GtkSpinner        *export_spinner;

  /* owned */
  GtkSingleSelection *selection;
  TbRecordingPlayer  *player;
  TbLead             *current;
  char               *shown_recording;   /* the file the player has open */
  gboolean            reloading;
  GtkToggleButton    *grade_buttons[5];
  gboolean            loading;
  gboolean            notes_dirty;   /* typed into the notes row, not saved yet */
  gint64              notes_attempt; /* whose notes the row holds */
  TbScript           *script;        /* the shown lead's campaign's, for its nodes' titles */
  gint64              script_campaign;
  GCancellable       *cancellable;   /* the export in progress, cancelled on dispose */
  guint               exporting;
};

G_DEFINE_FINAL_TYPE (TbLeadsPage, tb_leads_page, ADW_TYPE_BIN)

static char *
format_duration (gint64 us)
{
  gint64 s = us / G_USEC_PER_SEC;

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, s / 60, s % 60);
}

/* When a call was, as the callee lived it: their date and time with their offset ("2026-12-01
 * 10:02 UTC+8"), and the desk's time beside it when the desk is elsewhere. */
static char *
format_time (gint64      us,
             const char *zone)
{
  g_autoptr(GTimeZone) tz = zone != NULL ? g_time_zone_new_identifier (zone) : NULL;
  g_autoptr(GDateTime) utc = us > 0 ? g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC) : NULL;
  g_autoptr(GDateTime) theirs = NULL;
  g_autoptr(GDateTime) here = NULL;
  g_autofree char *their_text = NULL;
  g_autofree char *offset = NULL;
  g_autofree char *here_text = NULL;

  if (utc == NULL)
    return g_strdup ("");
  here = g_date_time_to_local (utc);
  if (tz == NULL)
    return g_date_time_format (here, "%Y-%m-%d %H:%M");
  theirs = g_date_time_to_timezone (utc, tz);
  their_text = g_date_time_format (theirs, "%Y-%m-%d %H:%M");
  offset = tb_words_time_zone (zone);
  if (g_date_time_get_utc_offset (theirs) == g_date_time_get_utc_offset (here))
    return g_strdup_printf ("%s %s", their_text, offset);
  here_text = g_date_time_format (here, "%H:%M");
  /* Translators: the callee's date, time and UTC offset; the desk's time */
  return g_strdup_printf (_("%s %s (%s here)"), their_text, offset, here_text);
}

static void
set_grade_class (GtkWidget  *label,
                 const char *grade)
{
  for (const char *g = GRADES; *g; g++) {
    char cls[] = { 'g', 'r', 'a', 'd', 'e', '-', g_ascii_tolower (*g), 0 };
    gtk_widget_remove_css_class (label, cls);
  }
  if (grade != NULL && *grade) {
    char cls[] = { 'g', 'r', 'a', 'd', 'e', '-', g_ascii_tolower (grade[0]), 0 };
    gtk_widget_add_css_class (label, cls);
  }
  gtk_label_set_label (GTK_LABEL (label), grade ? grade : "–");
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL) {
    if (GTK_IS_LIST_BOX (box))
      gtk_list_box_remove (GTK_LIST_BOX (box), child);
    else
      gtk_box_remove (GTK_BOX (box), child);
  }
}

static void
update_time_label (TbLeadsPage *self)
{
  gint64 duration = tb_recording_player_get_duration (self->player);
  gint64 position = tb_recording_player_get_position (self->player);
  g_autofree char *pos = format_duration (position);
  g_autofree char *dur = format_duration (duration);
  g_autofree char *text = g_strdup_printf ("%s / %s", pos, dur);

  gtk_label_set_label (self->time_label, text);
  if (duration > 0)
    tb_waveform_set_fraction (self->waveform, (double) position / duration);
}

static void
on_player_playing_changed (TbLeadsPage *self)
{
  gboolean playing = tb_recording_player_get_playing (self->player);

  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), playing ? _("Pause") : _("Play"));
}

static void
on_waveform_seek (TbLeadsPage *self,
                  double       fraction)
{
  tb_recording_player_seek (self->player,
                            (gint64) (fraction * tb_recording_player_get_duration (self->player)));
}

static void
show_recording (TbLeadsPage     *self,
                const TbLeadRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) peaks = NULL;
  TbStore *store = tb_application_get_default_store ();
  /* The store names it relative to the data folder. */
  g_autofree char *path = store ? tb_store_resolve_path (store, row->recording) : NULL;
  gint64 duration = 0;

  /* The same recording again (the list was reloaded): it plays on. */
  if (path != NULL && g_strcmp0 (path, self->shown_recording) == 0)
    return;
  g_free (self->shown_recording);
  self->shown_recording = g_strdup (path);
  tb_recording_player_pause (self->player);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    gtk_widget_set_visible (GTK_WIDGET (self->recording_group), FALSE);
    return;
  }
  gtk_widget_set_visible (GTK_WIDGET (self->recording_group), TRUE);
  peaks = tb_recording_read_peaks (path, 400, &duration, &error);
  tb_waveform_set_peaks (self->waveform, peaks);
  if (!tb_recording_player_open (self->player, path, &error))
    g_debug ("%s", error->message);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "leads.play", error == NULL);
  update_time_label (self);
  if (duration > 0 && tb_recording_player_get_duration (self->player) == 0) {
    g_autofree char *dur = format_duration (duration);
    g_autofree char *text = g_strdup_printf ("0:00 / %s", dur);
    gtk_label_set_label (self->time_label, text);
  }
}

static void
show_transcript (TbLeadsPage     *self,
                 const TbLeadRow *row)
{
  g_autoptr(TbCallRecord) call = tb_store_load_call (tb_application_get_default_store (),
                                                     row->attempt_id, TRUE, NULL);
  GPtrArray *turns = call ? call->turns : NULL;
  gint64 origin = row->answered_at > 0 ? row->answered_at : row->dialed_at;

  clear_box (GTK_WIDGET (self->transcript_box));
  for (guint k = 0; turns != NULL && k < turns->len; k++) {
    /* The opt-out is recorded before the words that asked for it are logged: it is read after
     * them. */
    guint i = k;
    TbTurn *turn;
    gboolean bot;
    g_autofree char *at = NULL;
    g_autofree char *meta = NULL;
    GtkWidget *box, *bubble, *caption;

    if (k + 1 < turns->len &&
        g_strcmp0 (((TbTurn *) g_ptr_array_index (turns, k))->speaker, "system") == 0 &&
        g_strcmp0 (((TbTurn *) g_ptr_array_index (turns, k + 1))->speaker, "callee") == 0)
      i = k + 1;
    else if (k > 0 &&
             g_strcmp0 (((TbTurn *) g_ptr_array_index (turns, k - 1))->speaker, "system") == 0 &&
             g_strcmp0 (((TbTurn *) g_ptr_array_index (turns, k))->speaker, "callee") == 0)
      i = k - 1;
    turn = g_ptr_array_index (turns, i);
    bot = g_strcmp0 (turn->speaker, "bot") == 0;
    at = format_duration (MAX (turn->started_at - origin, 0));
    /* A note of the system (the opt-out recorded, a rehearsal), centred between the voices. */
    if (g_strcmp0 (turn->speaker, "system") == 0) {
      g_autofree char *note = tb_words_system_note (turn->text ? turn->text : "");
      GtkWidget *label = gtk_label_new (note);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_widget_set_halign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_name (label, "system-note");
      gtk_box_append (self->transcript_box, label);
      continue;
    }
    box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
    bubble = gtk_label_new (turn->text ? turn->text : "…");

    if (!bot && turn->intent != NULL) {
      g_autofree char *intent = tb_words_intent (turn->intent);

      /* Translators: time · what the callee meant · how sure the robot was */
      meta = g_strdup_printf (_("%s · %s · %.0f %% sure"), at, intent, turn->confidence * 100);
    }
    else
      meta = g_strdup_printf ("%s · %s", at, bot ? _("Robot") : _("Callee"));
    caption = gtk_label_new (meta);

    gtk_label_set_wrap (GTK_LABEL (bubble), TRUE);
    gtk_label_set_selectable (GTK_LABEL (bubble), TRUE);
    gtk_label_set_xalign (GTK_LABEL (bubble), 0);
    gtk_widget_add_css_class (bubble, bot ? "bubble-bot" : "bubble-callee");
    gtk_widget_add_css_class (caption, "caption");
    gtk_widget_add_css_class (caption, "dim-label");
    gtk_widget_set_halign (box, bot ? GTK_ALIGN_START : GTK_ALIGN_END);
    gtk_widget_set_halign (caption, bot ? GTK_ALIGN_START : GTK_ALIGN_END);
    gtk_box_append (GTK_BOX (box), bubble);
    gtk_box_append (GTK_BOX (box), caption);
    gtk_box_append (self->transcript_box, box);
  }
  if (turns == NULL || turns->len == 0) {
    GtkWidget *none = gtk_label_new (_("No transcript for this call."));

    gtk_widget_add_css_class (none, "dim-label");
    gtk_box_append (self->transcript_box, none);
  }
}

static void save_lead (TbLeadsPage *self, gint64 attempt_id, const char *follow_up,
                       const char *notes);
static void set_notes_state (TbLeadsPage *self, gboolean dirty, gboolean saved);

static void
show_lead (TbLeadsPage *self,
           TbLead      *lead)
{
  const TbLeadRow *row;
  g_auto(GStrv) reasons = NULL;
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *score = NULL;
  gboolean same;

  /* Notes typed for another lead are saved before that lead is left. */
  if (self->notes_dirty && lead != NULL &&
      tb_lead_get_row (lead)->attempt_id != self->notes_attempt)
    save_lead (self, self->notes_attempt, NULL,
               gtk_editable_get_text (GTK_EDITABLE (self->notes_row)));
  g_set_object (&self->current, lead);
  if (lead == NULL)
    return;
  row = tb_lead_get_row (lead);
  same = row->attempt_id == self->notes_attempt;
  self->loading = TRUE;

  set_grade_class (GTK_WIDGET (self->grade_label), row->grade);
  gtk_label_set_label (self->title_label, row->name && *row->name ? row->name : row->e164);
  when = format_time (row->ended_at ? row->ended_at : row->dialed_at, row->timezone);
  /* Translators: number · company · campaign · date · score */
  subtitle = g_strdup_printf (_("%s · %s · %s · %s · score %d"), row->e164,
                              row->company ? row->company : "—",
                              row->campaign ? row->campaign : "—", when, row->score);
  gtk_label_set_label (self->subtitle_label, subtitle);

  clear_box (GTK_WIDGET (self->reasons_list));
  if (self->script_campaign != row->campaign_id) {
    g_clear_object (&self->script);
    self->script = tb_words_load_campaign_script (tb_application_get_default_store (),
                                                  row->campaign_id);
    self->script_campaign = row->campaign_id;
  }
  reasons = tb_lead_dup_reasons (lead);
  for (guint i = 0; reasons[i] != NULL; i++) {
    GtkWidget *r = adw_action_row_new ();
    g_autofree char *words = tb_words_reason (self->script, reasons[i]);

    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (r), FALSE);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r), words ? words : reasons[i]);
    gtk_list_box_append (self->reasons_list, r);
  }
  if (reasons[0] == NULL) {
    GtkWidget *r = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r), _("No reasons recorded"));
    gtk_list_box_append (self->reasons_list, r);
  }

  show_recording (self, row);
  show_transcript (self, row);

  for (guint i = 0; i < G_N_ELEMENTS (follow_ups); i++)
    if (g_strcmp0 (row->follow_up, follow_ups[i]) == 0)
      adw_combo_row_set_selected (self->follow_up_row, i);
  /* A reload while calls finish brings the same lead back: what is being typed stays. */
  if (!(same && self->notes_dirty)) {
    gtk_editable_set_text (GTK_EDITABLE (self->notes_row), row->notes ? row->notes : "");
    if (!same)
      set_notes_state (self, FALSE, FALSE);
  }
  self->notes_attempt = row->attempt_id;
  self->loading = FALSE;
}

static void
on_selection_changed (TbLeadsPage *self)
{
  TbLead *lead = gtk_single_selection_get_selected_item (self->selection);

  if (self->reloading)
    return;
  show_lead (self, lead);
  if (lead != NULL)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* The notes row's title says whether what it shows is saved. */
static void
set_notes_state (TbLeadsPage *self,
                 gboolean     dirty,
                 gboolean     saved)
{
  self->notes_dirty = dirty;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->notes_row),
                                 dirty ? _("Notes — not saved yet (Enter saves)")
                                 : saved ? _("Notes — saved") : _("Notes"));
}

static void
save_lead (TbLeadsPage *self,
           gint64       attempt_id,
           const char  *follow_up,
           const char  *notes)
{
  g_autoptr(GError) error = NULL;
  TbApplication *app = TB_APPLICATION_DEFAULT;
  TbStore *store = tb_application_get_default_store ();

  if (store == NULL || attempt_id <= 0)
    return;
  /* The change and the CRM's lead.updated event commit together. */
  if (!tb_store_begin (store, &error))
    goto fail;
  if (!tb_store_update_lead (store, attempt_id, NULL, follow_up, notes, &error) ||
      (follow_up != NULL && self->current != NULL &&
       tb_crm_event_enqueue_lead_updated (store, attempt_id,
                                          tb_lead_get_row (self->current)->grade,
                                          tb_lead_get_row (self->current)->follow_up,
                                          g_get_real_name (), &error) < 0)) {
    tb_store_rollback (store);
    goto fail;
  }
  if (!tb_store_commit (store, &error))
    goto fail;
  if (notes != NULL)
    set_notes_state (self, FALSE, TRUE);
  if (app != NULL && tb_application_get_webhook_sender (app) != NULL)
    tb_webhook_sender_kick (tb_application_get_webhook_sender (app));
  return;
fail:
  g_warning ("%s", error->message);
}

static void
on_follow_up_selected (TbLeadsPage *self)
{
  guint i = adw_combo_row_get_selected (self->follow_up_row);

  if (!self->loading && self->current != NULL && i < G_N_ELEMENTS (follow_ups))
    save_lead (self, tb_lead_get_row (self->current)->attempt_id, follow_ups[i], NULL);
}

static void
on_notes_row_apply (TbLeadsPage *self)
{
  if (self->notes_attempt > 0)
    save_lead (self, self->notes_attempt, NULL,
               gtk_editable_get_text (GTK_EDITABLE (self->notes_row)));
}

static void
on_notes_changed (TbLeadsPage *self)
{
  if (!self->loading && !self->notes_dirty)
    set_notes_state (self, TRUE, FALSE);
}

/* Leaving the row saves what was typed: nothing is lost to a click elsewhere. */
static void
on_notes_focus_leave (TbLeadsPage *self)
{
  if (self->notes_dirty)
    on_notes_row_apply (self);
}

static void
reload (TbLeadsPage *self)
{
  g_autoptr(GListModel) leads = NULL;
  g_autoptr(GString) grades = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  TbLeadFilter filter = { 0 };
  TbStore *store = tb_application_get_default_store ();
  GtkStringObject *campaign;
  gint64 any;

  if (store == NULL)
    return;

  /* Ticked grades only; none ticked: every grade. */
  for (guint i = 0; i < 5; i++)
    if (gtk_toggle_button_get_active (self->grade_buttons[i]))
      g_string_append_c (grades, GRADES[i]);
  filter.grades = grades->len > 0 ? grades->str : NULL;
  campaign = gtk_drop_down_get_selected_item (self->campaign_filter);
  if (campaign != NULL && gtk_drop_down_get_selected (self->campaign_filter) > 0)
    filter.campaign_id = tb_store_find_campaign (store, gtk_string_object_get_string (campaign));

  leads = tb_lead_list_load (store, &filter, &error);
  if (leads == NULL) {
    g_warning ("%s", error->message);
    return;
  }
  /* A campaign running meanwhile adds leads: the one being looked at (and
   * listened to) stays selected. */
  {
    gint64 shown = self->current != NULL ? tb_lead_get_row (self->current)->attempt_id : 0;

    self->reloading = TRUE;
    gtk_single_selection_set_model (self->selection, leads);
    for (guint i = 0; shown != 0 && i < g_list_model_get_n_items (leads); i++) {
      g_autoptr(TbLead) lead = g_list_model_get_item (leads, i);

      if (tb_lead_get_row (lead)->attempt_id == shown) {
        gtk_single_selection_set_selected (self->selection, i);
        break;
      }
    }
    self->reloading = FALSE;
  }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "leads.export",
                                 self->exporting == 0 && g_list_model_get_n_items (leads) > 0);

  /* The empty state is for "no graded call at all", not for a filter that hides them. */
  {
    g_autoptr(GListModel) all = tb_lead_list_load (store, &(TbLeadFilter) { .limit = 1 }, NULL);
    any = all ? g_list_model_get_n_items (all) : 0;
  }
  gtk_stack_set_visible_child_name (self->stack, any > 0 ? "content" : "empty");
  on_selection_changed (self);
}

static void
reload_campaigns (TbLeadsPage *self)
{
  TbStore *store = tb_application_get_default_store ();
  g_auto(GStrv) names = store ? tb_store_dup_names (store, "campaigns") : NULL;
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("All campaigns"));
  for (guint i = 0; names && names[i]; i++)
    gtk_string_list_append (list, names[i]);
  gtk_drop_down_set_model (self->campaign_filter, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->campaign_filter, 0);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *grade = gtk_label_new (NULL);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_add_css_class (grade, "grade-badge");
  gtk_widget_set_valign (grade, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  /* The number and the times wrap in the narrow list rather than lose their end. */
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), subtitle);
  gtk_box_append (GTK_BOX (box), grade);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *grade = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (gtk_widget_get_next_sibling (grade));
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  const TbLeadRow *row = tb_lead_get_row (gtk_list_item_get_item (item));
  g_autofree char *when = format_time (row->ended_at ? row->ended_at : row->dialed_at,
                                       row->timezone);
  g_autofree char *sub = g_strdup_printf ("%s · %s", row->e164, when);

  set_grade_class (grade, row->grade);
  gtk_label_set_label (GTK_LABEL (title), row->name && *row->name ? row->name : row->e164);
  gtk_label_set_label (GTK_LABEL (subtitle), sub);
}

static void
leads_play (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  TbLeadsPage *self = TB_LEADS_PAGE (widget);

  if (tb_recording_player_get_playing (self->player))
    tb_recording_player_pause (self->player);
  else
    tb_recording_player_play (self->player);
}

/* ------------------------------------------------- carrier announcements */

/* A call graded as if a person answered, when a carrier's recording did ("the number you have
 * dialed is not in service"): its first seconds join the business's announcement library
 * (tb_announcement_library_add_from_call), so the next call that hears it ends as that
 * outcome. */

static void
announcement_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(TbLeadsPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbAnnouncementEntry) entry = tb_announcement_library_add_from_call_finish (result,
                                                                                       &error);
  g_autofree char *words = NULL;
  g_autofree char *message = NULL;
  GtkRoot *root;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (entry != NULL) {
    words = tb_words_outcome (entry->outcome);
    /* Translators: %s is an outcome, "Vacant number" */
    message = g_strdup_printf (_("Added to the carrier announcements: a call that hears it ends "
                                 "as “%s”"), words);
  } else
    message = g_strdup_printf (_("This recording could not be added: %s"), error->message);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (TB_IS_WINDOW (root))
    tb_window_show_toast (TB_WINDOW (root), message);
  else
    g_message ("%s", message);
}

static void
leads_announcement (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TbLeadsPage *self = TB_LEADS_PAGE (widget);
  TbStore *store = tb_application_get_default_store ();

  if (store == NULL || self->shown_recording == NULL)
    return;
  tb_announcement_library_add_from_call_async (
    tb_store_get_data_dir (store), self->shown_recording, g_variant_get_string (param, NULL),
    self->script ? tb_script_get_language (self->script) : NULL, self->cancellable,
    announcement_done, g_object_ref (self));
}

static void
fill_announcement_menu (TbLeadsPage *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  const char * const *outcomes = tb_announcement_outcomes ();

  for (guint i = 0; outcomes[i] != NULL; i++) {
    g_autofree char *words = tb_words_outcome (outcomes[i]);
    g_autoptr(GMenuItem) item = g_menu_item_new (words, NULL);

    g_menu_item_set_action_and_target (item, "leads.announcement", "s", outcomes[i]);
    g_menu_append_item (menu, item);
  }
  gtk_menu_button_set_menu_model (self->announcement_button, G_MENU_MODEL (menu));
}

/* ---------------------------------------------------------------- export */

typedef struct {
  GStrv    grades;
  GFile   *file;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;

  g_strfreev (d->grades);
  g_clear_object (&d->file);
  g_free (d);
}

static void
show_toast (TbLeadsPage *self,
            const char  *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TB_IS_WINDOW (root))
    tb_window_show_toast (TB_WINDOW (root), message);
}

static void
export_done (TbLeadsPage *self)
{
  GListModel *shown = gtk_single_selection_get_model (self->selection);

  self->exporting--;
  if (self->export_spinner == NULL)
    return;   /* the page went away meanwhile */
  gtk_widget_set_visible (GTK_WIDGET (self->export_spinner), self->exporting > 0);
  gtk_spinner_set_spinning (self->export_spinner, self->exporting > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "leads.export",
                                 self->exporting == 0 && shown != NULL &&
                                 g_list_model_get_n_items (shown) > 0);
}

static void
export_file_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  guint64 n_rows = 0;

  export_done (g_task_get_source_object (task));
  if (!tb_calls_export_to_file_finish (result, &n_rows, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  g_task_return_pointer (task, g_memdup2 (&n_rows, sizeof n_rows), g_free);
}

TbCallsExportFormat
tb_leads_page_format_for_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (name ? name : "", -1);

  if (g_str_has_suffix (lower, ".json"))
    return TB_CALLS_EXPORT_JSON;
  if (g_str_has_suffix (lower, ".jsonl") || g_str_has_suffix (lower, ".ndjson"))
    return TB_CALLS_EXPORT_JSON_LINES;
  return TB_CALLS_EXPORT_CSV;
}

void
tb_leads_page_export_to_file_async (TbLeadsPage         *self,
                                    GFile               *file,
                                    TbCallsExportFormat  format,
                                    gboolean             bom,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) grades = g_strv_builder_new ();
  TbCallsExportOptions options = { 0 };
  TbStore *store = tb_application_get_default_store ();
  GtkStringObject *campaign;
  ExportData *d;

  g_return_if_fail (TB_IS_LEADS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_leads_page_export_to_file_async);
  if (store == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                             "Leads page export: no database is open");
    return;
  }

  /* The page's filters: the ticked grades (none ticked: all), one campaign or all. */
  d = g_new0 (ExportData, 1);
  for (guint i = 0; i < 5; i++) {
    if (gtk_toggle_button_get_active (self->grade_buttons[i])) {
      char grade[] = { GRADES[i], 0 };
      g_strv_builder_add (grades, grade);
    }
  }
  d->grades = g_strv_builder_end (grades);
  d->file = g_object_ref (file);
  g_task_set_task_data (task, d, export_data_free);

  options.format = format;
  options.bom = bom && format == TB_CALLS_EXPORT_CSV;
  options.leads_only = FALSE;   /* every graded call, as the list shows them */
  options.grades = d->grades[0] != NULL ? (const char * const *) d->grades : NULL;
  campaign = gtk_drop_down_get_selected_item (self->campaign_filter);
  if (campaign != NULL && gtk_drop_down_get_selected (self->campaign_filter) > 0)
    options.campaign_id = tb_store_find_campaign (store, gtk_string_object_get_string (campaign));

  self->exporting++;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "leads.export", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->export_spinner), TRUE);
  gtk_spinner_set_spinning (self->export_spinner, TRUE);
  tb_calls_export_to_file_async (tb_store_get_path (store), &options, file, cancellable,
                                 export_file_cb, g_steal_pointer (&task));
}

gboolean
tb_leads_page_export_to_file_finish (TbLeadsPage   *self,
                                     GAsyncResult  *result,
                                     guint64       *n_rows,
                                     GError       **error)
{
  g_autofree guint64 *rows = NULL;

  g_return_val_if_fail (TB_IS_LEADS_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  rows = g_task_propagate_pointer (G_TASK (result), error);
  if (rows == NULL)
    return FALSE;
  if (n_rows != NULL)
    *n_rows = *rows;
  return TRUE;
}

static void
export_ui_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TbLeadsPage *self = TB_LEADS_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  guint64 n_rows = 0;

  if (!tb_leads_page_export_to_file_finish (self, result, &n_rows, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      /* Translators: %s is why the export failed */
      message = g_strdup_printf (_("Could not export the leads: %s"), error->message);
      show_toast (self, message);
    }
    return;
  }
  /* Translators: %lu leads, %s the file's name */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %lu lead to %s",
                                          "Exported %lu leads to %s", (gulong) n_rows),
                             (gulong) n_rows, name);
  show_toast (self, message);
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  TbLeadsPage *self = TB_LEADS_PAGE (user_data);
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL) {
    const char *bom = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "bom");

    tb_leads_page_export_to_file_async (self, file, tb_leads_page_format_for_file (file),
                                        g_strcmp0 (bom, "true") == 0, self->cancellable,
                                        export_ui_cb, g_object_ref (file));
  }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
leads_export (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TbLeadsPage *self = TB_LEADS_PAGE (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Leads"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  /* Translators: the file name an export of leads is offered under */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("leads.csv"));
  tb_page_add_file_filter (GTK_FILE_CHOOSER (chooser), _("CSV (spreadsheets)"), "*.csv");
  tb_page_add_file_filter (GTK_FILE_CHOOSER (chooser), _("JSON"), "*.json");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "bom",
                               _("Add a byte-order mark for Excel"), NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "bom", "true");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
tb_leads_page_dispose (GObject *object)
{
  TbLeadsPage *self = TB_LEADS_PAGE (object);

  g_clear_object (&self->script);
  /* Closing the window while typing a note keeps the note. */
  if (self->notes_dirty)
    on_notes_row_apply (self);
  /* An export's answer comes after this: it must not touch the template. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->export_spinner = NULL;
  g_clear_object (&self->player);
  g_clear_object (&self->current);
  g_clear_pointer (&self->shown_recording, g_free);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (tb_leads_page_parent_class)->dispose (object);
}

static void
tb_leads_page_class_init (TbLeadsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_leads_page_dispose;

  g_type_ensure (TB_TYPE_WAVEFORM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Telebot/ui/tb-leads-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, grade_filters);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, campaign_filter);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, grade_label);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, reasons_list);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, recording_group);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, waveform);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, time_label);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, transcript_box);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, follow_up_row);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, notes_row);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, announcement_button);
  gtk_widget_class_bind_template_child (widget_class, TbLeadsPage, export_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_notes_row_apply);

  gtk_widget_class_install_action (widget_class, "leads.play", NULL, leads_play);
  gtk_widget_class_install_action (widget_class, "leads.export", NULL, leads_export);
  gtk_widget_class_install_action (widget_class, "leads.announcement", "s", leads_announcement);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, GDK_CONTROL_MASK,
                                       "leads.play", NULL);
}

static void
tb_leads_page_init (TbLeadsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < 5; i++) {
    char label[] = { GRADES[i], 0 };
    GtkWidget *button = gtk_toggle_button_new_with_label (label);

    gtk_widget_set_hexpand (button, TRUE);
    gtk_widget_set_tooltip_text (button, _("Show this grade only (with the others ticked; "
                                           "nothing ticked shows every grade)"));
    g_signal_connect_object (button, "toggled", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
    gtk_box_append (self->grade_filters, button);
    self->grade_buttons[i] = GTK_TOGGLE_BUTTON (button);
  }

  self->selection = gtk_single_selection_new (NULL);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->player = tb_recording_player_new ();
  g_signal_connect_object (self->player, "notify::position",
                           G_CALLBACK (update_time_label), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "notify::playing",
                           G_CALLBACK (on_player_playing_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->waveform, "seek", G_CALLBACK (on_waveform_seek), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->follow_up_row, "notify::selected",
                           G_CALLBACK (on_follow_up_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notes_row, "changed", G_CALLBACK (on_notes_changed), self,
                           G_CONNECT_SWAPPED);
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();

    g_signal_connect_object (focus, "leave", G_CALLBACK (on_notes_focus_leave), self,
                             G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->notes_row), focus);
  }

  fill_announcement_menu (self);
  reload_campaigns (self);
  g_signal_connect_object (self->campaign_filter, "notify::selected", G_CALLBACK (reload), self,
                           G_CONNECT_SWAPPED);
  tb_page_follow_store (GTK_WIDGET (self), "campaigns", G_CALLBACK (reload_campaigns));
  tb_page_follow_store (GTK_WIDGET (self), "attempts", G_CALLBACK (reload));
  reload (self);
}
