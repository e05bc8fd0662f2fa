#!/usr/bin/env python3
"""Draw text with a BDF font into a PNG, as LED dots or plain pixels.

Usage: sample.py [--dots|--pixels] [--scale N] [--color RRGGBB] FONT.bdf OUT.png LINE...

Reads only the BDF (no FreeType), so it shows exactly what the font file
holds. Each line of text becomes one row of the picture, one font height
tall; characters missing from the font are drawn as DEFAULT_CHAR. Python 3
standard library only (PNG written with zlib and struct).
"""
import struct
import sys
import unicodedata
import zlib


def read_bdf(path):
    font = {'glyphs': {}}
    g = None
    with open(path, encoding='latin-1') as f:
        lines = iter(f.read().split('\n'))
    for line in lines:
        w = line.split()
        if not w:
            continue
        if w[0] in ('FONT_ASCENT', 'FONT_DESCENT', 'DEFAULT_CHAR'):
            font[w[0]] = int(w[1])
        elif w[0] == 'STARTCHAR':
            g = {}
        elif w[0] == 'ENCODING':
            g['enc'] = int(w[1])
        elif w[0] == 'DWIDTH':
            g['adv'] = int(w[1])
        elif w[0] == 'BBX':
            g['bbx'] = [int(v) for v in w[1:5]]
        elif w[0] == 'BITMAP':
            rows = []
            for _ in range(g['bbx'][1]):
                rows.append(int(next(lines).strip(), 16))
            g['rows'] = rows
            font['glyphs'][g['enc']] = g
    return font


def render(font, text):
    """Returns (width, height, set of lit (x, y)) for one line of text."""
    asc, desc = font['FONT_ASCENT'], font['FONT_DESCENT']
    text = unicodedata.normalize('NFC', text)
    x, lit = 0, set()
    for ch in text:
        g = font['glyphs'].get(ord(ch)) or font['glyphs'][font.get('DEFAULT_CHAR', 0xFFFD)]
        w, h, xo, yo = g['bbx']
        nbits = ((w + 7) // 8) * 8
        for r, bits in enumerate(g['rows']):
            for c in range(w):
                if bits >> (nbits - 1 - c) & 1:
                    lit.add((x + xo + c, asc - yo - h + r))
        x += g['adv']
    return x, asc + desc, lit


def png(path, width, height, pixels):
    """pixels: function (x, y) -> (r, g, b)."""
    raw = b''.join(b'\0' + bytes(v for x in range(width) for v in pixels(x, y)) for y in range(height))

    def chunk(kind, data):
        c = kind + data
        return struct.pack('>I', len(data)) + c + struct.pack('>I', zlib.crc32(c) & 0xffffffff)

    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


def draw(lines_lit, cols, rows, scale, dots, color):
    on = color
    off = (40, 8, 8) if dots else (0, 0, 0)
    bg = (0, 0, 0)
    lit = set()
    for i, l in enumerate(lines_lit):
        lit |= {(x + 1, y + i * (rows + 1) + 1) for x, y in l}
    W, H = (cols + 2) * scale, (len(lines_lit) * (rows + 1) + 1) * scale
    rad2 = (scale * 0.42) ** 2
    half = (scale - 1) / 2

    def px(x, y):
        cx, cy = divmod(x, scale), divmod(y, scale)
        inled = not dots or (cx[1] - half) ** 2 + (cy[1] - half) ** 2 <= rad2
        if not inled:
            return bg
        return on if (cx[0], cy[0]) in lit else off
    return W, H, px


def main(argv):
    scale, dots, color = 6, True, (255, 40, 20)
    args = argv[1:]
    while args and args[0].startswith('--'):
        a = args.pop(0)
        if a == '--pixels':
            dots = False
        elif a == '--dots':
            dots = True
        elif a == '--scale':
            scale = int(args.pop(0))
        elif a == '--color':
            c = args.pop(0)
            color = tuple(int(c[i:i + 2], 16) for i in (0, 2, 4))
        else:
            sys.stderr.write('sample.py: unknown option %s\n' % a)
            return 2
    if len(args) < 3:
        sys.stderr.write(__doc__)
        return 2
    font = read_bdf(args[0])
    rendered = [render(font, t) for t in args[2:]]
    cols = max(r[0] for r in rendered)
    rows = rendered[0][1]
    W, H, px = draw([r[2] for r in rendered], cols, rows, scale, dots, color)
    png(args[1], W, H, px)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
