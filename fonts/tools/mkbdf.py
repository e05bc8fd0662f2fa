#!/usr/bin/env python3
"""Build a BDF bitmap font from the ledsign font source (fonts/src/*.txt).

The source holds three kinds of blocks, described in fonts/README.md:
  font / metric lines   (name, ascent, descent, ...)
  glyph X [top N] [adv N]   followed by rows of '.' and '#'
  mark NAME KIND [dx N] [dy N]  followed by rows; KIND is above, below, horn
                        or beside (right of the mark above it, tops level);
                        NAME.cap/NAME.lc are picked by the base's case, and
                        NAME.cap2/NAME.lc2 (if drawn) for a second mark above
and composition lines:
  compose X = BASE + MARK [+ MARK]    one letter built from a base and marks
  tones BASE... : MARK...             every base with every mark
  abovebase X NAME                    draw NAME instead of X under marks above
  dx X MARK N                         move MARK by N columns on base X

A composed letter's code point is the NFC of its base and the marks'
combining characters, so the rules never spell out a code point. Marks above
stack upward with one blank row between them (a 'beside' mark stands right of
the mark above it instead); when the stack would leave the
cell the base loses as many rows as needed (one row out of its longest run of
identical rows, repeatedly), which is how stacked capitals fit in 16 rows.

Usage: mkbdf.py [--scale N] SOURCE OUTPUT.bdf
Python 3 standard library only; output is deterministic.
"""
import sys
import unicodedata

COMBINING = {
    'grave': '\u0300', 'acute': '\u0301', 'circumflex': '\u0302', 'tilde': '\u0303',
    'breve': '\u0306', 'hook': '\u0309', 'horn': '\u031b', 'dotbelow': '\u0323',
}


class SourceError(Exception):
    pass


class Glyph:
    def __init__(self, rows, top, adv=None):
        self.rows = rows  # list of strings of '.' and '#'
        self.top = top  # cell row of rows[0]
        self.width = max((len(r) for r in rows), default=0)
        self.adv = adv


class Mark:
    def __init__(self, name, kind, rows, dx, dy):
        self.name, self.kind, self.rows, self.dx, self.dy = name, kind, rows, dx, dy
        self.width = max(len(r) for r in rows)


def parse_char(tok, where):
    if tok.startswith('U+'):
        return chr(int(tok[2:], 16))
    if len(tok) == 1:
        return tok
    if tok.isidentifier():
        return tok  # an internal glyph name, not encoded
    raise SourceError('%s: "%s" is not a character, U+XXXX or a name' % (where, tok))


def parse_opts(words, allowed, where):
    opts = {}
    if len(words) % 2:
        raise SourceError('%s: options come in pairs: %s' % (where, ' '.join(words)))
    for k, v in zip(words[::2], words[1::2]):
        if k not in allowed:
            raise SourceError('%s: unknown option "%s"; use one of %s' % (where, k, ', '.join(allowed)))
        opts[k] = int(v)
    return opts


class Font:
    def __init__(self):
        self.props = {}
        self.glyphs = {}
        self.marks = {}
        self.composes = []  # (result key or None, base, [marks], where)
        self.abovebase = {}
        self.dx = {}

    def parse(self, path):
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        block = None
        for n, raw in enumerate(lines, 1):
            where = '%s:%d' % (path, n)
            s = raw.strip()
            if block is not None:
                if s and set(s) <= set('.#'):
                    block['rows'].append(s)
                    continue
                self.finish(block)
                block = None
            if not s or s.startswith('#'):
                continue
            s = s.split(' # ')[0].strip()
            w = s.split()
            if w[0] == 'glyph':
                block = {'type': 'glyph', 'key': parse_char(w[1], where),
                         'opts': parse_opts(w[2:], ('top', 'adv'), where), 'rows': [], 'where': where}
            elif w[0] == 'mark':
                if len(w) < 3 or w[2] not in ('above', 'below', 'horn', 'beside'):
                    raise SourceError('%s: write "mark NAME above|below|horn [dx N] [dy N]"' % where)
                block = {'type': 'mark', 'key': w[1], 'kind': w[2],
                         'opts': parse_opts(w[3:], ('dx', 'dy'), where), 'rows': [], 'where': where}
            elif w[0] == 'compose':
                if len(w) < 5 or w[2] != '=' or w[4::2] != ['+'] * len(w[4::2]):
                    raise SourceError('%s: write "compose X = BASE + MARK [+ MARK]"' % where)
                self.composes.append((parse_char(w[1], where), parse_char(w[3], where), w[5::2], where))
            elif w[0] == 'tones':
                if ':' not in w:
                    raise SourceError('%s: write "tones BASE... : MARK..."' % where)
                i = w.index(':')
                for b in w[1:i]:
                    for m in w[i + 1:]:
                        self.composes.append((None, parse_char(b, where), [m], where))
            elif w[0] == 'abovebase':
                self.abovebase[parse_char(w[1], where)] = parse_char(w[2], where)
            elif w[0] == 'dx':
                self.dx[(parse_char(w[1], where), w[2])] = int(w[3])
            elif w[0] in ('font', 'ascent', 'descent', 'spacing', 'copyright', 'notice',
                          'family', 'weight', 'foundry'):
                self.props[w[0]] = s.split(None, 1)[1]
            else:
                raise SourceError('%s: unknown directive "%s"' % (where, w[0]))
        if block is not None:
            self.finish(block)

    def finish(self, b):
        if not b['rows'] and b['type'] == 'mark':
            raise SourceError('%s: mark %s has no rows' % (b['where'], b['key']))
        if b['type'] == 'glyph':
            if b['key'] in self.glyphs:
                raise SourceError('%s: glyph %r defined twice' % (b['where'], b['key']))
            top = b['opts'].get('top', 0)
            if top + len(b['rows']) > self.cell_h():
                raise SourceError('%s: glyph %r leaves the %d-row cell' % (b['where'], b['key'], self.cell_h()))
            self.glyphs[b['key']] = Glyph(b['rows'], top, b['opts'].get('adv'))
        else:
            self.marks[b['key']] = Mark(b['key'], b['kind'], b['rows'],
                                        b['opts'].get('dx', 0), b['opts'].get('dy', 0))

    def cell_h(self):
        return int(self.props['ascent']) + int(self.props['descent'])

    # -- composition --------------------------------------------------------

    def mark_for(self, name, capital, stacked, where):
        keys = [name + '.cap', name] if capital else [name + '.lc', name]
        if stacked:
            keys.insert(0, keys[0] + '2')
        for key in keys:
            if key in self.marks:
                return self.marks[key]
        raise SourceError('%s: no mark "%s" (or %s.cap/%s.lc)' % (where, name, name, name))

    def compose_all(self):
        for result, base, marks, where in self.composes:
            base_letter = base
            # A base may itself be composed (ấ = â + acute): expand to the root.
            chain = list(marks)
            while base in self.compose_src:
                base, inner = self.compose_src[base]
                chain = inner + chain
            if result is None:
                result = unicodedata.normalize('NFC', base_letter + ''.join(COMBINING[m] for m in marks))
                if len(result) != 1:
                    raise SourceError('%s: %s + %s is not one precomposed letter' % (where, base_letter, '+'.join(marks)))
            if result in self.glyphs:
                raise SourceError('%s: %r is both drawn and composed' % (where, result))
            self.glyphs[result] = self.build(base, chain, where)

    def index_composes(self):
        self.compose_src = {}
        for result, base, marks, where in self.composes:
            if result is not None:
                self.compose_src[result] = (base, marks)

    def build(self, base, marks, where):
        if base not in self.glyphs:
            raise SourceError('%s: base %r is not drawn' % (where, base))
        capital = base.isupper()
        # A second mark above uses the compact NAME.cap2/NAME.lc2 when there is one.
        ms, above = [], 0
        for m in marks:
            mk = self.mark_for(m, capital, above > 0, where)
            above += mk.kind in ('above', 'beside')
            ms.append(mk)
        g = self.glyphs[base]
        if any(m.kind in ('above', 'beside') for m in ms) and base in self.abovebase:
            g = self.glyphs[self.abovebase[base]]
        rows = list(g.rows)
        for _ in range(self.cell_h()):
            placed = self.place(base, g, rows, ms)
            top = min(r for r, c in placed)
            if top >= 0:
                break
            rows = squash(rows, -top)
        else:
            raise SourceError('%s: marks do not fit' % where)
        return self.rasterize(g, rows, placed)

    def place(self, base, g, rows, ms):
        """Returns the lit (row, col) cells of base rows plus marks."""
        top = g.top + len(g.rows) - len(rows)  # a squashed base keeps its bottom
        lit = [(top + r, c) for r, row in enumerate(rows) for c, ch in enumerate(row) if ch == '#']
        body = [c for r, c in lit]
        left, right = min(body), max(body)
        stack, prev = top, None
        for m in ms:
            dx = m.dx + self.dx.get((base, m.name.split('.')[0]), 0)
            if m.kind == 'beside' and prev is None:
                m = Mark(m.name, 'above', m.rows, m.dx, m.dy)  # alone it sits above
            if m.kind == 'above':
                r0 = stack - 1 - len(m.rows) + m.dy
                c0 = left + (right - left + 1 - m.width) // 2 + dx
                stack, prev = r0, (r0, c0, m)
            elif m.kind == 'beside':  # right of the mark above, tops level, a blank column between
                pr, pc, pm = prev
                r0 = pr + m.dy
                c0 = pc + pm.width + 1 + dx
                stack = min(stack, r0)
            elif m.kind == 'below':
                r0 = self.cell_h() - len(m.rows) + m.dy
                c0 = left + (right - left + 1 - m.width) // 2 + dx
            else:  # horn: bottom-left touches the base's top-right corner
                r0 = top - len(m.rows) + m.dy
                c0 = right + dx
            lit += [(r0 + r, c0 + c) for r, row in enumerate(m.rows) for c, ch in enumerate(row) if ch == '#']
        return lit

    def rasterize(self, g, rows, lit):
        minc = min(0, min(c for r, c in lit))
        width = max(g.width, max(c for r, c in lit) + 1) - minc
        cells = [['.'] * width for _ in range(self.cell_h())]
        for r, c in lit:
            cells[r][c - minc] = '#'
        out = Glyph([''.join(row) for row in cells], 0)
        if g.adv is not None:
            out.adv = g.adv + (width - g.width)
        return out


def squash(rows, k):
    """Drops k rows, each time one row out of the longest run of identical rows."""
    rows = list(rows)
    for _ in range(k):
        best, start = None, 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i] != rows[start]:
                n = i - start
                if n > 1 and (best is None or n >= best[1]):
                    best = (start, n)
                start = i
        if best is None:
            raise SourceError('cannot squash: no repeated rows left')
        del rows[best[0] + best[1] // 2]
    return rows


# -- BDF output --------------------------------------------------------------

def glyph_name(key):
    return 'uni%04X' % ord(key)


def bdf_glyph(font, key, g, scale):
    asc = int(font.props['ascent'])
    spacing = int(font.props.get('spacing', 1))
    cell = [(g.top + r, c) for r, row in enumerate(g.rows) for c, ch in enumerate(row) if ch == '#']
    adv = (g.adv if g.adv is not None else g.width + spacing) * scale
    out = ['STARTCHAR %s' % glyph_name(key), 'ENCODING %d' % ord(key),
           'SWIDTH %d 0' % (adv * 1000 // (16 * scale)), 'DWIDTH %d 0' % adv]
    if not cell:
        return out + ['BBX 0 0 0 0', 'BITMAP', 'ENDCHAR'], adv
    r0, r1 = min(r for r, c in cell), max(r for r, c in cell)
    c0, c1 = min(c for r, c in cell), max(c for r, c in cell)
    w, h = (c1 - c0 + 1) * scale, (r1 - r0 + 1) * scale
    out.append('BBX %d %d %d %d' % (w, h, c0 * scale, (asc - 1 - r1) * scale))
    out.append('BITMAP')
    lit = set(cell)
    nbytes = (w + 7) // 8
    for r in range(r0, r1 + 1):
        bits = 0
        for x in range(w):
            if (r, c0 + x // scale) in lit:
                bits |= 1 << (nbytes * 8 - 1 - x)
        out += ['%0*X' % (nbytes * 2, bits)] * scale
    out.append('ENDCHAR')
    return out, adv


def write_bdf(font, path, scale):
    asc, desc = int(font.props['ascent']) * scale, int(font.props['descent']) * scale
    keys = sorted(k for k in font.glyphs if len(k) == 1)
    chars, advs, boxes = [], [], []
    for k in keys:
        lines, adv = bdf_glyph(font, k, font.glyphs[k], scale)
        chars += lines
        advs.append(adv)
        boxes.append(next(l for l in lines if l.startswith('BBX')).split()[1:])
    fbw = max(int(b[0]) + int(b[2]) for b in boxes)
    name = font.props['font'] + ('' if scale == 1 else str(16 * scale)[-2:])
    family = font.props.get('family', 'LedSign') + ('' if scale == 1 else ' %d' % (16 * scale))
    avg = sum(advs) * 10 // len(advs)
    cap = height_of(font.glyphs['H']) * scale
    xh = height_of(font.glyphs['x']) * scale
    px = 16 * scale
    xlfd = '-%s-%s-%s-R-Normal--%d-%d-75-75-P-%d-ISO10646-1' % (
        font.props.get('foundry', 'ledsign'), family, font.props.get('weight', 'Bold'), px, px * 10, avg)
    head = ['STARTFONT 2.1', 'FONT %s' % xlfd, 'SIZE %d 75 75' % px,
            'FONTBOUNDINGBOX %d %d 0 %d' % (fbw, asc + desc, -desc), 'STARTPROPERTIES 21',
            'FOUNDRY "%s"' % font.props.get('foundry', 'ledsign'), 'FAMILY_NAME "%s"' % family,
            'WEIGHT_NAME "%s"' % font.props.get('weight', 'Bold'), 'SLANT "R"', 'SETWIDTH_NAME "Normal"',
            'ADD_STYLE_NAME ""', 'PIXEL_SIZE %d' % px, 'POINT_SIZE %d' % (px * 10), 'RESOLUTION_X 75',
            'RESOLUTION_Y 75', 'SPACING "P"', 'AVERAGE_WIDTH %d' % avg, 'CHARSET_REGISTRY "ISO10646"',
            'CHARSET_ENCODING "1"', 'FONT_ASCENT %d' % asc, 'FONT_DESCENT %d' % desc,
            'DEFAULT_CHAR 65533', 'CAP_HEIGHT %d' % cap, 'X_HEIGHT %d' % xh,
            'COPYRIGHT "%s"' % font.props.get('copyright', ''), 'NOTICE "%s"' % font.props.get('notice', ''),
            'ENDPROPERTIES', 'CHARS %d' % len(keys)]
    head[4] = 'STARTPROPERTIES %d' % (head.index('ENDPROPERTIES') - 5)
    with open(path, 'w', encoding='ascii', newline='\n') as f:
        f.write('\n'.join(head + chars + ['ENDFONT']) + '\n')
    return len(keys)


def height_of(g):
    rows = [r for r, row in enumerate(g.rows) if '#' in row]
    return max(rows) - min(rows) + 1


def load(paths):
    font = Font()
    for p in paths:
        font.parse(p)
    for k in ('font', 'ascent', 'descent'):
        if k not in font.props:
            raise SourceError('%s: missing "%s" line' % (paths[0], k))
    font.index_composes()
    font.compose_all()
    return font


def main(argv):
    scale = 1
    if len(argv) > 2 and argv[1] == '--scale':
        scale, argv = int(argv[2]), argv[:1] + argv[3:]
    if len(argv) < 3:
        sys.stderr.write('usage: mkbdf.py [--scale N] SOURCE... OUTPUT.bdf\n')
        return 2
    try:
        font = load(argv[1:-1])
    except (SourceError, OSError) as e:
        sys.stderr.write('mkbdf: %s\n' % e)
        return 1
    n = write_bdf(font, argv[-1], scale)
    sys.stderr.write('mkbdf: wrote %s: %d glyphs\n' % (argv[-1], n))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
