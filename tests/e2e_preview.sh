#!/usr/bin/env bash
# ledsign preview end to end: a contact sheet for every playlist in content/
# (each one a readable PNG, no rendering problems reported), a looping GIF
# and a PNG strip of a content playlist, the committed previews present, a
# broken playlist's problems listed and its dots drawn in amber, and
# refusals that say what to do.
set -u
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

AT="2026-03-02 07:30"

# png_size FILE: prints "WIDTH HEIGHT" of a PNG, or fails.
png_size() {
	python3 - "$1" <<'EOF'
import struct, sys
d = open(sys.argv[1], 'rb').read(24)
if d[:8] != b'\x89PNG\r\n\x1a\n' or d[12:16] != b'IHDR':
    sys.exit(1)
print(*struct.unpack('>II', d[16:24]))
EOF
}

# A sheet holds a board picture and labels per item: at least 100 px per item.
sheet_ok() {
	local pl=$1 out=$2 items size
	"$LEDSIGN" preview "$pl" --sheet --at "$AT" --out "$out" 2>"$out.err" || { cat "$out.err"; return 1; }
	items=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$pl") || return 1
	size=$(png_size "$out") || return 1
	set -- $size
	[ "$1" -ge 960 ] && [ "$2" -ge $((items * 100)) ] || { echo "sheet $size for $items items"; return 1; }
}

n=0
for pl in content/*.json; do
	[ -f "$pl" ] || continue
	case $pl in *.schema.json) continue ;; esac
	n=$((n + 1))
	name=$(basename "$pl" .json)
	check "contact sheet of $pl" sheet_ok "$pl" "$T_TMP/$name-sheet.png"
	if [ -s "$T_TMP/$name-sheet.png.err" ]; then
		fail "$pl renders without problems" "$(head -n 3 "$T_TMP/$name-sheet.png.err")"
	else
		ok "$pl renders without problems"
	fi
	if [ -f "content/previews/$name-sheet.png" ] && [ -f "content/previews/$name.gif" ]; then
		ok "$pl has its committed previews"
	else
		fail "$pl has its committed previews" "run: sh content/make-previews.sh"
	fi
done
[ "$n" -gt 0 ] && ok "content/ has $n playlists" || fail "content/ has playlists"

gif_ok() {
	"$LEDSIGN" preview content/national.json --at "$AT" --seconds 6 --out "$T_TMP/n.gif" || return 1
	[ "$(head -c 6 "$T_TMP/n.gif")" = GIF89a ] && grep -q NETSCAPE2.0 "$T_TMP/n.gif"
}
check "GIF preview of a 192x16 board: GIF89a, looping" gif_ok

# first_frame_lit GIF: the first frame, the one a README or a viewer shows
# still, has lit LEDs (at least a letter's worth: 2 columns of 16 rows).
first_frame_lit() {
	local lit
	lit=$(python3 tests/gif_frame0.py "$1") || return 1
	[ "$lit" -ge 64 ] || { echo "$1: $lit lit pixels in frame 0"; return 1; }
}
for g in content/previews/*.gif; do
	check "$g opens on a frame with lit LEDs" first_frame_lit "$g"
done
# A scroll entering from the right at --at: the GIF starts when it shows letters.
printf '{"version":1,"items":[{"id":"s","text":"Ch\xc3\xa0o m\xe1\xbb\xabng","effect":"scroll-left","speed":20}]}' >"$T_TMP/scroll.json"
"$LEDSIGN" preview "$T_TMP/scroll.json" --at "$AT" --seconds 3 --out "$T_TMP/scroll.gif" 2>/dev/null
check "a preview of a scroll entering from the right opens on lit LEDs" first_frame_lit "$T_TMP/scroll.gif"

strip_ok() {
	local size
	"$LEDSIGN" preview content/national.json --board 64x32:rgb --at "$AT" --seconds 3 --out "$T_TMP/s.png" || return 1
	size=$(png_size "$T_TMP/s.png") || return 1
	set -- $size
	# Three frames of a 64x32 board at 6 px per LED, one above the other.
	[ "$2" -ge $((3 * 32 * 6)) ]
}
check "PNG strip: one frame per second" strip_ok

# amber_dots FILE.png: prints how many pixels are the amber of problem dots
# (red and green well above blue, green at least 2/3 of red) other than the
# plain warning colour of the rim and labels.
amber_dots() {
	python3 - "$1" <<'EOF'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
pos, idat, w, h, ct = 8, b'', 0, 0, 0
while pos < len(d):
    n, kind = struct.unpack('>I4s', d[pos:pos + 8])
    body = d[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ct = struct.unpack('>IIBB', body[:10])
        assert depth == 8 and ct in (2, 6), 'an 8-bit RGB(A) PNG'
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
bpp = 3 if ct == 2 else 4
raw, stride, prev, count = zlib.decompress(idat), w * bpp, bytearray(w * bpp), 0
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(w):
        r, g, b = line[x * bpp:x * bpp + 3]
        if r > b + 50 and g > b + 50 and 3 * g >= 2 * r and (r, g, b) != (255, 176, 0):
            count += 1
    prev = line
print(count)
EOF
}

broken_shown() {
	local n
	printf '%s' '{"version": 1, "items": [{"id": "hong", "text": "Bảo hiểm 🏥 y tế", "effect": "static", "duration": 2}]}' >"$T_TMP/broken.json"
	"$LEDSIGN" preview "$T_TMP/broken.json" --at "$AT" --seconds 2 --out "$T_TMP/broken.png" 2>"$T_TMP/broken.err" || return 1
	grep -q "item 'hong': 1 character in no font.*U+1F3E5" "$T_TMP/broken.err" || { cat "$T_TMP/broken.err"; return 1; }
	n=$(amber_dots "$T_TMP/broken.png") || return 1
	[ "$n" -gt 100 ] || { echo "$n amber pixels in the strip of a broken item"; return 1; }
	"$LEDSIGN" preview content/national.json --at "$AT" --seconds 2 --out "$T_TMP/clean.png" || return 1
	n=$(amber_dots "$T_TMP/clean.png") || return 1
	[ "$n" -eq 0 ] || { echo "$n amber pixels in the strip of a clean playlist"; return 1; }
}
check "a missing character is listed and its dots are amber in the PNG strip; none in a clean one" broken_shown

refuses() {
	local want=$1
	shift
	! "$LEDSIGN" preview "$@" >"$T_TMP/refuse.out" 2>&1 && grep -q -- "$want" "$T_TMP/refuse.out"
}
check "refuses an unknown output type, naming the choices" refuses ".gif (animation) or .png" content/national.json --out x.jpg
check "refuses --fps above 50" refuses "--fps '60'" content/national.json --fps 60 --out x.gif
check "names a playlist it cannot read" refuses "missing.json" "$T_TMP/missing.json" --out "$T_TMP/x.gif"
check "refuses a bad --at with the expected form" refuses "--at" content/national.json --at "tomorrow" --out "$T_TMP/x.gif"

finish
