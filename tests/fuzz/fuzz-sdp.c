/* fuzz-sdp.c — libFuzzer target: SDP answers as a SIP peer may send them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tb_sip_sdp_parse_answer reads untrusted bytes from the network (183/200 bodies); it must
 * neither crash nor accept an answer without a usable codec, address and port.
 */
#include "config.h"

#include <stdint.h>

#include "tb-sip-sdp.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  TbSipSdpAnswer answer;
  GError *error = NULL;

  if (tb_sip_sdp_parse_answer ((const char *) data, size, &answer, &error)) {
    g_assert (answer.address != NULL);
    g_assert (answer.port > 0 && answer.port < 65536);
    g_assert (answer.audio_pt == TB_SIP_PT_PCMU || answer.audio_pt == TB_SIP_PT_PCMA);
    g_assert (error == NULL);
    tb_sip_sdp_answer_clear (&answer);
  } else {
    g_assert (error != NULL);
    g_error_free (error);
  }
  return 0;
}
