#!/usr/bin/env python3
# sendump-to-mixw.py — the stock en-us model's mixture weights as sphinxtrain's bw reads them
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pocketsphinx ships its en-us model with quantized mixture weights only (sendump: per feature
# stream and codeword, one byte per senone, the weight's negated log base 1.0001 shifted down
# by 10 bits: ptm_mgau.c read_sendump()). bw wants them as a Sphinx-3 float "mixture_weights"
# file: this undoes the quantization (as sphinxtrain's python2 sendump.py does) and writes one.
# Usage: sendump-to-mixw.py SENDUMP MIXTURE_WEIGHTS
import struct
import sys
from array import array


def main(src, dst):
    with open(src, 'rb') as f:
        def readstr():
            n = struct.unpack('<I', f.read(4))[0]
            return None if n == 0 else f.read(n)[:-1].decode('ascii', 'replace')

        readstr()  # title
        hdr = {}
        while True:
            h = readstr()
            if h is None:
                break
            parts = h.split()
            if len(parts) == 2 and parts[1].isdigit():
                hdr[parts[0]] = int(parts[1])
        if hdr.get('cluster_count', 0) != 0:
            sys.exit('sendump-to-mixw: clustered sendump files are not handled')
        shift = hdr.get('mixw_shift', 10)
        n_feat = hdr['feature_count']
        n_cw, n_sen = struct.unpack('<ii', f.read(8))
        table = [1.0001 ** -(v << shift) for v in range(256)]
        # mixw[sen][feat][cw]
        mixw = [[[0.0] * n_cw for _ in range(n_feat)] for _ in range(n_sen)]
        for feat in range(n_feat):
            for cw in range(n_cw):
                row = f.read(n_sen)
                for sen in range(n_sen):
                    mixw[sen][feat][cw] = table[row[sen]]
    out = array('f')
    for sen in range(n_sen):
        for feat in range(n_feat):
            w = mixw[sen][feat]
            total = sum(w) or 1.0
            out.extend(x / total for x in w)
    with open(dst, 'wb') as o:
        o.write(b's3\nversion 1.0\nendhdr\n')
        o.write(struct.pack('<I', 0x11223344))
        o.write(struct.pack('<iiii', n_sen, n_feat, n_cw, n_sen * n_feat * n_cw))
        if sys.byteorder != 'little':
            out.byteswap()
        o.write(out.tobytes())
    print('sendump-to-mixw: %d senones, %d streams, %d codewords' % (n_sen, n_feat, n_cw))


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('Usage: sendump-to-mixw.py SENDUMP MIXTURE_WEIGHTS')
    main(sys.argv[1], sys.argv[2])
