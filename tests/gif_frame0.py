#!/usr/bin/env python3
"""Prints how many pixels of a GIF's first frame are lit LEDs (a channel at
200 or more; the preview draws unlit dots dim): python3 gif_frame0.py FILE.gif.
A plain decoder of the first image (LZW, global or local palette), written
for tests/e2e_preview.sh, so the check needs no imaging library."""
import sys
def frame0(path):
    d = open(path, 'rb').read()
    assert d[:6] in (b'GIF89a', b'GIF87a')
    w, h, flags = d[6] | d[7] << 8, d[8] | d[9] << 8, d[10]
    p = 13
    pal = []
    if flags & 0x80:
        n = 2 << (flags & 7)
        pal = [tuple(d[p + 3 * i:p + 3 * i + 3]) for i in range(n)]
        p += 3 * n
    while d[p] == 0x21:  # extensions
        p += 2
        while d[p]:
            p += d[p] + 1
        p += 1
    assert d[p] == 0x2C
    iw, ih, iflags = d[p + 5] | d[p + 6] << 8, d[p + 7] | d[p + 8] << 8, d[p + 9]
    p += 10
    if iflags & 0x80:
        n = 2 << (iflags & 7)
        pal = [tuple(d[p + 3 * i:p + 3 * i + 3]) for i in range(n)]
        p += 3 * n
    mcs = d[p]; p += 1
    data = bytearray()
    while d[p]:
        data += d[p + 1:p + 1 + d[p]]; p += d[p] + 1
    clear, end = 1 << mcs, (1 << mcs) + 1
    out, table, size, prev, bit = [], None, mcs + 1, None, 0
    total = len(data) * 8
    while bit + size <= total:
        code = (int.from_bytes(data[bit // 8:bit // 8 + 3], 'little') >> (bit % 8)) & ((1 << size) - 1)
        bit += size
        if code == clear:
            table = [[i] for i in range(clear)] + [None, None]; size = mcs + 1; prev = None; continue
        if code == end:
            break
        if prev is None:
            entry = table[code]
        elif code < len(table):
            entry = table[code]; table.append(prev + [entry[0]])
        else:
            entry = prev + [prev[0]]; table.append(entry)
        out += entry; prev = entry
        if len(table) == (1 << size) and size < 12:
            size += 1
    return iw, ih, [pal[i] for i in out[:iw * ih]]
w, h, px = frame0(sys.argv[1])
lit = sum(1 for (r, g, b) in px if max(r, g, b) >= 200)
print(lit)
