/* tb-modem-types.c — enums and the error domain of the modem line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-modem-types"

#include "config.h"

#include "tb-modem-types.h"

G_DEFINE_QUARK (tb-modem-error-quark, tb_modem_error)

const char *
tb_modem_vendor_to_string (TbModemVendor vendor)
{
  switch (vendor) {
  case TB_MODEM_VENDOR_HUAWEI: return "huawei";
  case TB_MODEM_VENDOR_SIMCOM: return "simcom";
  case TB_MODEM_VENDOR_UNKNOWN:
  default: return "unknown";
  }
}

gboolean
tb_modem_vendor_from_string (const char    *text,
                             TbModemVendor *vendor)
{
  if (text == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (text, "huawei") == 0)
    *vendor = TB_MODEM_VENDOR_HUAWEI;
  else if (g_ascii_strcasecmp (text, "simcom") == 0)
    *vendor = TB_MODEM_VENDOR_SIMCOM;
  else if (g_ascii_strcasecmp (text, "auto") == 0 || g_ascii_strcasecmp (text, "unknown") == 0)
    *vendor = TB_MODEM_VENDOR_UNKNOWN;
  else
    return FALSE;
  return TRUE;
}

const char *
tb_modem_state_to_string (TbModemState state)
{
  switch (state) {
  case TB_MODEM_STATE_OFFLINE: return "offline";
  case TB_MODEM_STATE_PROBING: return "probing";
  case TB_MODEM_STATE_READY: return "ready";
  case TB_MODEM_STATE_IN_CALL: return "in_call";
  case TB_MODEM_STATE_ERROR: return "error";
  default: return "unknown";
  }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
add_matching (GPtrArray  *ports,
              const char *dir,
              const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (prefix == NULL || g_str_has_prefix (name, prefix))
      g_ptr_array_add (found, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (found, compare_paths);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (ports, g_strdup (g_ptr_array_index (found, i)));
}

GStrv
tb_modem_list_serial_ports (void)
{
  g_autoptr(GPtrArray) ports = g_ptr_array_new_with_free_func (g_free);

  add_matching (ports, "/dev/serial/by-id", NULL);
  add_matching (ports, "/dev", "ttyUSB");
  add_matching (ports, "/dev", "ttyACM");
  g_ptr_array_add (ports, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&ports), FALSE);
}
