/* tb-lines.c — the one place that knows every line kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-lines"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-lines.h"
#include "tb-lines-config.h"
#include "tb-modem-line.h"
#include "tb-sim-line.h"
#if TB_HAVE_SIP
#include "tb-sip-line.h"
#endif

TbLine *
tb_line_new_for_config (const char  *name,
                        const char  *kind,
                        const char  *config_json,
                        int          max_calls,
                        GError     **error)
{
  g_return_val_if_fail (name != NULL && kind != NULL, NULL);

  if (g_str_equal (kind, "sim"))
    return TB_LINE (tb_sim_line_new_from_config (name, config_json, max_calls, error));
#if TB_HAVE_SIP
  if (g_str_equal (kind, "sip"))
    return TB_LINE (tb_sip_line_new_from_config (name, config_json, max_calls, error));
#endif
  if (g_str_equal (kind, "modem"))
    return TB_LINE (tb_modem_line_new_from_config (name, config_json, max_calls, error));
  g_set_error (error, TB_LINE_ERROR, TB_LINE_ERROR_NOT_SUPPORTED,
               "line %s: kind \"%s\" is not built into this Telebot", name, kind);
  return NULL;
}

static GType
type_for_kind (const char *kind)
{
  if (g_strcmp0 (kind, "sim") == 0)
    return TB_TYPE_SIM_LINE;
#if TB_HAVE_SIP
  if (g_strcmp0 (kind, "sip") == 0)
    return TB_TYPE_SIP_LINE;
#endif
  if (g_strcmp0 (kind, "modem") == 0)
    return TB_TYPE_MODEM_LINE;
  return G_TYPE_INVALID;
}

int
tb_line_kind_get_max_calls (const char *kind,
                            int         configured)
{
  GType type = type_for_kind (kind);
  TbLineClass *klass;
  int n;

  /* An unknown kind has the base class's default. */
  klass = g_type_class_ref (type != G_TYPE_INVALID ? type : TB_TYPE_LINE);
  n = klass->fixed_max_calls > 0 ? klass->fixed_max_calls
      : configured > 0 ? configured : klass->default_max_calls;
  g_type_class_unref (klass);
  return n;
}

typedef struct {
  const char *pattern;    /* a regular expression on the technical message */
  const char *words;
  const char *hint;
} Explanation;

/* The messages tb-sip-line.c and tb-modem-line.c write, most specific first. */
static const Explanation explanations[] = {
  { "REGISTER .*: (401|403|407)\\b", N_("The provider rejected the user name or password."),
    N_("Check them with Edit, then press Retry.") },
  { "REGISTER .*: 404\\b", N_("The provider does not know this user name."),
    N_("Check the user name and the domain with Edit.") },
  { "REGISTER .*: (408|480|500|502|503|504)\\b", N_("The provider did not answer."),
    N_("Check the domain and the internet connection, then press Retry.") },
  { "REGISTER ", N_("The provider refused to register this line."),
    N_("Check its settings with Edit; the details say what the provider answered.") },
  { "its password: the variable (\\S+) \\(password_env\\) is not set",
    N_("The line's password is missing: it is read from an environment variable that is not "
       "set."), N_("Start Telebot with that variable set, or enter the password with Edit.") },
  { "its password: ", N_("The line's password cannot be read from its file."),
    N_("The details say why: a file others may read is refused (chmod 600 it); or enter "
       "the password with Edit.") },
  { "no password for", N_("The line has no password yet."),
    N_("Enter the password with Edit; it is kept in the keyring.") },
  { "(domain|outbound proxy) \"", N_("The provider's address cannot be reached."),
    N_("Check the domain with Edit and the computer's network connection.") },
  { "no free SIP port", N_("No network port is free for calls on this computer."),
    N_("Close other phone programs, then press Retry.") },
  { "(no such file|cannot open|Permission denied|not a tty|No such device)",
    N_("The modem cannot be opened."),
    N_("Check that it is plugged in and that the device and audio port are right.") },
  { "(SIM|PIN)", N_("The modem's SIM card is not ready."),
    N_("Check the SIM card and its PIN.") },
  { "timed? ?out|no answer|did not answer", N_("The line did not answer in time."),
    N_("Check the connection, then press Retry.") },
};

/**
 * tb_line_explain_error:
 * @message: (nullable): the technical message
 * @hint: (out) (optional) (transfer full): what to do about it
 *
 * Returns: (transfer full): what is wrong, in plain words
 */
char *
tb_line_explain_error (const char  *message,
                       char       **hint)
{
  for (guint i = 0; message != NULL && i < G_N_ELEMENTS (explanations); i++)
    if (g_regex_match_simple (explanations[i].pattern, message, G_REGEX_CASELESS, 0)) {
      if (hint != NULL)
        *hint = g_strdup (_(explanations[i].hint));
      return g_strdup (_(explanations[i].words));
    }
  if (hint != NULL)
    *hint = g_strdup (_("The details say what went wrong; press Retry once it is fixed."));
  return g_strdup (_("The line is not working."));
}
