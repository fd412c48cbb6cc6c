/* tb-node-inspector-disclose.c — what the node's prompt discloses: who is calling, that it is
 * an automated voice, how to opt out…
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checker wants these said before the first question (COMPLIANCE.md R6) and trusts the
 * node's marks; a switch per disclosure sets them. When the prompt seems to say one that is
 * not marked, a suggestion offers to mark it: the guess never marks anything by itself.
 */
#define G_LOG_DOMAIN "tb-node-inspector-disclose"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-application.h"
#include "tb-node-inspector-private.h"
#include "tb-script.h"

static const struct {
  const char *disclosure;
  const char *title;
  const char *subtitle;      /* what the packs demand, and why */
  const char *suggestion;
} disclosures[TB_N_DISCLOSURES] = {
  { "identity", N_("Says Who Is Calling"),
    N_("Every policy pack requires the business’s name first, so the callee knows who calls"),
    N_("This prompt seems to say who is calling — mark it?") },
  { "automated", N_("Says It Is an Automated Voice"),
    N_("Every policy pack requires it: callees have a right to know no person is speaking"),
    N_("This prompt seems to say it is an automated voice — mark it?") },
  { "recording", N_("Says the Call Is Recorded"),
    N_("Required when calls are recorded, before the callee says anything"),
    N_("This prompt seems to say the call is recorded — mark it?") },
  { "opt_out", N_("Says How to Opt Out"),
    N_("Every policy pack requires how to stop the calls (press 9 or say stop) at the start"),
    N_("This prompt seems to say how to opt out — mark it?") },
  { "callback", N_("Gives a Number to Call Back"),
    N_("Recommended by the policy packs: a number that takes do-not-call requests"),
    N_("This prompt seems to give a number to call back — mark it?") },
};

static void
on_disclose_switch_active (GtkSwitch       *button,
                           GParamSpec      *pspec,
                           TbNodeInspector *self)
{
  const char *disclosure = g_object_get_data (G_OBJECT (button), "disclosure");

  if (self->updating || self->document == NULL || self->node_id == NULL)
    return;
  tb_script_document_set_node_disclosure (self->document, self->node_id, disclosure,
                                          gtk_switch_get_active (button));
}

/* The suggestion's button: the user confirms what the prompt seems to say. */
static void
mark_disclosure_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  TbNodeInspector *self = TB_NODE_INSPECTOR (widget);

  if (self->document == NULL || self->node_id == NULL)
    return;
  tb_script_document_set_node_disclosure (self->document, self->node_id,
                                          g_variant_get_string (param, NULL), TRUE);
}

void
_tb_node_inspector_class_init_disclose (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "inspector.mark-disclosure", "s",
                                   mark_disclosure_action);
}

void
_tb_node_inspector_init_disclose (TbNodeInspector *self)
{
  for (guint i = 0; i < TB_N_DISCLOSURES; i++) {
    g_autofree char *switch_name = g_strdup_printf ("disclose-%s", disclosures[i].disclosure);
    g_autofree char *suggest_name = g_strdup_printf ("suggest-%s", disclosures[i].disclosure);
    GtkWidget *row = adw_action_row_new ();
    GtkWidget *toggle = gtk_switch_new ();
    GtkWidget *suggestion = adw_action_row_new ();
    GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");
    GtkWidget *mark = gtk_button_new_with_mnemonic (_("_Mark"));

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(disclosures[i].title));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(disclosures[i].subtitle));
    gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
    gtk_widget_set_name (toggle, switch_name);
    g_object_set_data (G_OBJECT (toggle), "disclosure", (gpointer) disclosures[i].disclosure);
    g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_disclose_switch_active),
                             self, 0);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (suggestion), _(disclosures[i].suggestion));
    gtk_widget_add_css_class (icon, "accent");
    adw_action_row_add_prefix (ADW_ACTION_ROW (suggestion), icon);
    gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
    gtk_widget_set_name (mark, suggest_name);
    gtk_actionable_set_action_name (GTK_ACTIONABLE (mark), "inspector.mark-disclosure");
    gtk_actionable_set_action_target (GTK_ACTIONABLE (mark), "s", disclosures[i].disclosure);
    adw_action_row_add_suffix (ADW_ACTION_ROW (suggestion), mark);
    gtk_widget_add_css_class (suggestion, "disclosure-suggestion");
    gtk_widget_set_visible (suggestion, FALSE);

    adw_preferences_group_add (self->disclose_group, row);
    adw_preferences_group_add (self->disclose_group, suggestion);
    self->disclose_rows[i] = row;
    self->disclose_switches[i] = GTK_SWITCH (toggle);
    self->suggestion_rows[i] = suggestion;
  }
}

/* The business's name from Preferences, to spot it in prompts. */
static char *
dup_business_name (void)
{
  TbStore *store = tb_application_get_default_store ();

  return store != NULL ? tb_store_dup_setting (store, "business-name", NULL) : NULL;
}

void
_tb_node_inspector_show_disclose (TbNodeInspector *self)
{
  g_autofree char *business = dup_business_name ();
  const char *type = tb_script_document_get_node_type (self->document, self->node_id);
  const char *text = tb_script_document_get_node_text (self->document, self->node_id);
  gboolean records = tb_script_document_get_records (self->document);
  g_auto(GStrv) marked = tb_script_document_dup_node_disclosures (self->document, self->node_id);
  g_auto(GStrv) seems = tb_script_detect_disclosures (text, business);
  gboolean was_updating = self->updating;

  /* Nodes that speak and go on, and the voicemail message (it should disclose too). */
  gtk_widget_set_visible (GTK_WIDGET (self->disclose_group),
                          g_strcmp0 (type, "say") == 0 || g_strcmp0 (type, "ask") == 0 ||
                          g_strcmp0 (type, "voicemail") == 0);
  self->updating = TRUE;
  for (guint i = 0; i < TB_N_DISCLOSURES; i++) {
    const char *disclosure = disclosures[i].disclosure;
    gboolean on = g_strv_contains ((const char * const *) marked, disclosure);
    /* Recording matters only when calls are recorded, or the node already says it. */
    gboolean shown = !g_str_equal (disclosure, "recording") || records || on;

    gtk_widget_set_visible (self->disclose_rows[i], shown);
    gtk_switch_set_active (self->disclose_switches[i], on);
    gtk_widget_set_visible (self->suggestion_rows[i],
                            shown && !on &&
                            g_strv_contains ((const char * const *) seems, disclosure));
  }
  self->updating = was_updating;
}
