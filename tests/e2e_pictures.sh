#!/usr/bin/env bash
# Pictures as an editor meets them (content/README.md, "Pictures"): a playlist
# with the emblem beside scrolling text validates and renders on a red P10
# board (dithered) and an RGB one; a swapped picture, a truncated one, a
# decompression bomb and a missing one are refused with the reason and the
# picture's item, and leave the files as they were; a picture that keeps too
# little detail on a single-colour board is warned about; publish refuses a
# playlist whose picture does not match its hash, naming the file and the
# fix, and installs nothing (tests/e2e_feed_pictures.sh publishes one that
# matches and plays it on boards fed from nginx). An animated GIF alone
# validates, renders the frame of each moment (its delays, looping, or fps),
# previews as an animation; a truncated one, one of too many frames, a bomb
# and a swapped one are refused with the reason; it publishes like a PNG.
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

pics=tests/data/pictures
mkdir -p "$T_TMP/feed/pictures"
cp "$pics/emblem.png" "$T_TMP/feed/pictures/emblem.png"
sha=$(sha256sum "$pics/emblem.png" | cut -d' ' -f1)
# playlist NAME SHA [PICTURE-KEYS]: the emblem beside scrolling text.
playlist() {
	printf '{"version":1,"items":[{"id":"vssid","text":"Cài đặt VssID - BHXH số","picture":{"file":"pictures/emblem.png","sha256":"%s"%s}}]}\n' \
		"$2" "${3:-}" >"$T_TMP/feed/$1"
}
playlist good.json "$sha"

if "$LEDSIGN" validate "$T_TMP/feed/good.json" >"$T_TMP/v.out" 2>&1 && grep -q "0 warning" "$T_TMP/v.out"; then
	ok "the emblem beside scrolling text validates"
else
	fail "the emblem beside scrolling text validates" "$(cat "$T_TMP/v.out")"
fi

# lit_in PNG X0 X1: lit LEDs (red above half) of a render at 1 px per LED in columns [X0, X1).
lit_in() {
	python3 - "$@" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
w, h = struct.unpack('>II', d[16:24])
idat, i = b'', 8
while i < len(d):
    n, = struct.unpack('>I', d[i:i + 4]); t = d[i + 4:i + 8]
    if t == b'IDAT': idat += d[i + 8:i + 8 + n]
    i += 12 + n
raw, bpp, rows, prev = zlib.decompress(idat), 3, [], bytearray(w * 3)
for y in range(h):
    f, line = raw[y * (w * 3 + 1)], bytearray(raw[y * (w * 3 + 1) + 1:(y + 1) * (w * 3 + 1)])
    for x in range(len(line)):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
x0, x1 = int(sys.argv[2]), int(sys.argv[3])
print(sum(1 for r in rows for x in range(x0, x1) if max(r[3 * x:3 * x + 3]) >= 128))
PY
}
render_ok() {
	"$LEDSIGN" render "$T_TMP/feed/good.json" --board "$1" --at "2026-12-01 08:00" --time 1 --out "$T_TMP/r.png" || return 1
	local box
	box=$(lit_in "$T_TMP/r.png" 0 "$2") || return 1
	# The disc fills about pi/4 of its square box.
	[ "$box" -ge $(($2 * $2 / 2)) ] && [ "$box" -lt $(($2 * $2)) ] || { echo "$box lit in the ${2}x$2 box"; return 1; }
}
check "render on a 192x16 red board: the emblem dithered into the 16x16 box at the left" render_ok 192x16 16
check "render on a 64x32 RGB board: the emblem in the 32x32 box at the left" render_ok 64x32:rgb 32
sheet_ok() { "$LEDSIGN" preview "$T_TMP/feed/good.json" --sheet --at "2026-12-01 08:00" --out "$T_TMP/s.png"; }
check "the contact sheet shows the picture item" sheet_ok

# refused NAME FILE PATTERN: validate and render exit 1 naming the item and PATTERN.
refused() {
	local before rc
	before=$(sha256sum "$T_TMP"/feed/* "$T_TMP"/feed/pictures/* 2>/dev/null)
	"$LEDSIGN" validate "$T_TMP/feed/$2" >"$T_TMP/v.out" 2>&1
	rc=$?
	"$LEDSIGN" render "$T_TMP/feed/$2" --out "$T_TMP/refused.png" >>"$T_TMP/v.out" 2>&1 && rc=0
	if [ $rc -eq 1 ] && grep -qE -- "items\[0\]\.picture \(vssid\): .*$3" "$T_TMP/v.out" &&
		[ ! -e "$T_TMP/refused.png" ] && [ "$before" = "$(sha256sum "$T_TMP"/feed/* "$T_TMP"/feed/pictures/* 2>/dev/null)" ]; then
		ok "$1"
	else
		fail "$1" "exit $rc" "$(cat "$T_TMP/v.out")"
	fi
}

# A swapped file: same name, other content. The playlist's hash refuses it.
cp "$T_TMP/feed/pictures/emblem.png" "$T_TMP/emblem.keep"
cp "$pics/wide.png" "$T_TMP/feed/pictures/emblem.png"
refused "a swapped picture is refused by its SHA-256" good.json "its SHA-256 is [0-9a-f]{64} but the playlist names $sha"
cp "$T_TMP/emblem.keep" "$T_TMP/feed/pictures/emblem.png"
for bad in truncated bomb; do
	cp "$pics/$bad.png" "$T_TMP/feed/pictures/$bad.png"
	printf '{"version":1,"items":[{"id":"vssid","text":"x","picture":{"file":"pictures/%s.png","sha256":"%s"}}]}\n' \
		"$bad" "$(sha256sum "$pics/$bad.png" | cut -d' ' -f1)" >"$T_TMP/feed/$bad.json"
done
refused "a truncated picture is refused as truncated" truncated.json "truncated PNG"
refused "a decompression bomb is refused from its header" bomb.json "1000x1000 pixels; a picture is at most 1024x1024 and 262144 pixels"
printf '{"version":1,"items":[{"id":"vssid","text":"x","picture":{"file":"pictures/none.png","sha256":"%s"}}]}\n' "$sha" >"$T_TMP/feed/missing.json"
refused "a missing picture is refused, naming the file" missing.json "pictures/none.png: cannot open"
printf '{"version":1,"items":[{"id":"vssid","text":"x","picture":{"file":"../good.json","sha256":"%s"}}]}\n' "$sha" >"$T_TMP/feed/escape.json"
if ! "$LEDSIGN" validate "$T_TMP/feed/escape.json" >"$T_TMP/v.out" 2>&1 && grep -q 'picture.file: not a file name inside the feed' "$T_TMP/v.out"; then
	ok "a picture path leaving the playlist's folder is refused"
else
	fail "a picture path leaving the playlist's folder is refused" "$(cat "$T_TMP/v.out")"
fi

# Thin dim stripes under a threshold vanish on a red board: validate says so.
python3 - "$T_TMP/feed/pictures/stripes.png" <<'PY'
import struct, sys, zlib
w, h = 16, 16
raw = b''.join(b'\0' + bytes(v for x in range(w) for v in ((100, 100, 100) if x % 2 else (0, 0, 0))) for y in range(h))
ck = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + ck(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + ck(b'IDAT', zlib.compress(raw)) + ck(b'IEND', b''))
PY
printf '{"version":1,"items":[{"id":"s","text":"x","picture":{"file":"pictures/stripes.png","sha256":"%s","dither":"threshold"}}]}\n' \
	"$(sha256sum "$T_TMP/feed/pictures/stripes.png" | cut -d' ' -f1)" >"$T_TMP/feed/stripes.json"
"$LEDSIGN" validate "$T_TMP/feed/stripes.json" >"$T_TMP/v.out" 2>&1
if grep -qE 'stripes.json:1:[0-9]+: .*items\[0\]\.picture.*keeps [0-9]+% of its detail' "$T_TMP/v.out"; then
	ok "validate warns when the dithered picture loses most of its detail, with file:line:col"
else
	fail "validate warns when the dithered picture loses most of its detail" "$(cat "$T_TMP/v.out")"
fi
# Animated pictures (content/README.md, "Animated pictures"): tests/data/pictures/anim.gif,
# 16x16, a white 8x8 square in each quadrant in turn for 100, 200, 300, 400 ms.
cp "$pics/anim.gif" "$T_TMP/feed/pictures/anim.gif"
asha=$(sha256sum "$pics/anim.gif" | cut -d' ' -f1)
# anim NAME FILE SHA [PICTURE-KEYS]: FILE alone at the left of the board.
anim() {
	printf '{"version":1,"items":[{"id":"vssid","duration":30,"picture":{"file":"pictures/%s","sha256":"%s","dither":"threshold"%s}}]}\n' \
		"$2" "$3" "${4:-}" >"$T_TMP/feed/$1"
}
anim anim.json anim.gif "$asha"
anim anim-fps.json anim.gif "$asha" ',"fps":10'
if "$LEDSIGN" validate "$T_TMP/feed/anim.json" "$T_TMP/feed/anim-fps.json" >"$T_TMP/v.out" 2>&1 && grep -c ": ok: .* 0 warning" "$T_TMP/v.out" | grep -qx 2; then
	ok "an animated GIF alone validates (with and without fps)"
else
	fail "an animated GIF alone validates" "$(cat "$T_TMP/v.out")"
fi
# frame_at PLAYLIST SECONDS: renders that moment into $T_TMP/f-SECONDS.png
# and prints the lit LEDs of the left and right halves of the 16x16 box.
frame_at() {
	"$LEDSIGN" render "$T_TMP/feed/$1" --at "2026-12-01 08:00" --time "$2" --out "$T_TMP/f-$1-$2.png" >/dev/null 2>&1 || return 1
	echo "$(lit_in "$T_TMP/f-$1-$2.png" 0 8) $(lit_in "$T_TMP/f-$1-$2.png" 8 16)"
}
frames_ok() {
	local a b c d
	a=$(frame_at anim.json 0) && b=$(frame_at anim.json 0.15) && c=$(frame_at anim.json 0.35) && d=$(frame_at anim.json 1) || return 1
	[ "$a" = "64 0" ] && [ "$b" = "0 64" ] && [ "$c" = "64 0" ] && [ "$d" = "64 0" ] || { echo "lit left/right: $a | $b | $c | $d"; return 1; }
	! cmp -s "$T_TMP/f-anim.json-0.png" "$T_TMP/f-anim.json-0.35.png" || { echo "frames 0 and 2 are the same"; return 1; }
	cmp -s "$T_TMP/f-anim.json-0.png" "$T_TMP/f-anim.json-1.png" || { echo "at 1 s the loop does not start again"; return 1; }
}
check "render shows the frame of each moment: its delays, then the loop again at 1 s" frames_ok
fps_ok() {
	frame_at anim-fps.json 0.25 >/dev/null && frame_at anim.json 0.35 >/dev/null &&
		cmp -s "$T_TMP/f-anim-fps.json-0.25.png" "$T_TMP/f-anim.json-0.35.png"
}
check "with fps 10 the third frame shows at 0.25 s" fps_ok
# gif_frames FILE: the frames of a GIF, counted from its blocks.
gif_frames() {
	python3 - "$1" <<'PY'
import sys
d, i, n = open(sys.argv[1], 'rb').read(), 13, 0
if d[10] & 0x80: i += 3 << ((d[10] & 7) + 1)
def blocks(i):
    while d[i]: i += d[i] + 1
    return i + 1
while d[i] != 0x3b:
    if d[i] == 0x21: i = blocks(i + 2)
    else:
        n += 1; p = d[i + 9]; i += 10
        if p & 0x80: i += 3 << ((p & 7) + 1)
        i = blocks(i + 1)
print(n)
PY
}
preview_ok() {
	"$LEDSIGN" preview "$T_TMP/feed/anim.json" --at "2026-12-01 08:00" --seconds 2 --out "$T_TMP/anim.gif" >/dev/null 2>&1 || return 1
	local n
	n=$(gif_frames "$T_TMP/anim.gif") || return 1
	# Changes at 0, 0.1, 0.3, 0.6, 1.0, 1.1, 1.3, 1.6 s: eight distinct frames.
	[ "$n" -ge 8 ] || { echo "$n frames in the preview"; return 1; }
}
check "the preview of an animated picture moves (a frame for each of its changes)" preview_ok
for bad in anim-truncated anim-many anim-bomb; do
	cp "$pics/$bad.gif" "$T_TMP/feed/pictures/$bad.gif"
	anim "$bad.json" "$bad.gif" "$(sha256sum "$pics/$bad.gif" | cut -d' ' -f1)"
done
refused "a truncated animated GIF is refused as truncated" anim-truncated.json "truncated GIF"
refused "an animated GIF of 65 frames is refused before it is decoded" anim-many.json "more than 64 frames; an animated picture has at most 64"
refused "a GIF bomb is refused from its frames' descriptors" anim-bomb.json "3 frames of 512x512 pixels; an animated picture decodes to at most 524288 pixels"
cp "$pics/anim-many.gif" "$T_TMP/feed/pictures/anim.gif"
refused "a swapped animated GIF is refused by its SHA-256" anim.json "its SHA-256 is [0-9a-f]{64} but the playlist names $asha"
cp "$pics/anim.gif" "$T_TMP/feed/pictures/anim.gif"

# Publish reads each picture once, checks it against the playlist's hash and
# installs it beside the playlist, the picture first; a swapped one stops it.
"$LEDSIGN" keygen --pub "$T_TMP/k.pub" --sec "$T_TMP/k.key" >/dev/null 2>&1
mkdir -p "$T_TMP/root/layer"
cp "$pics/wide.png" "$T_TMP/feed/pictures/emblem.png"
"$LEDSIGN" publish "$T_TMP/feed/good.json" --key "$T_TMP/k.key" --to "$T_TMP/root/layer" >"$T_TMP/p.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "not published: .*pictures/emblem.png: its SHA-256 is [0-9a-f]* but the playlist names $sha: .*write the new one's SHA-256 (sha256sum FILE) into the playlist" "$T_TMP/p.out" &&
	[ -z "$(ls "$T_TMP/root/layer")" ]; then
	ok "publish refuses a picture that does not match the playlist's hash, naming the file and the fix, and installs nothing"
else
	fail "publish refuses a swapped picture" "rc=$rc" "$(cat "$T_TMP/p.out")"
fi
cp "$T_TMP/emblem.keep" "$T_TMP/feed/pictures/emblem.png"
if "$LEDSIGN" publish "$T_TMP/feed/good.json" --key "$T_TMP/k.key" --to "$T_TMP/root/layer" >"$T_TMP/p.out" 2>&1 &&
	cmp -s "$T_TMP/root/layer/pictures/emblem.png" "$pics/emblem.png" && [ -e "$T_TMP/root/layer/good.json.minisig" ]; then
	ok "publish installs the picture beside the playlist when it matches"
else
	fail "publish installs the picture beside the playlist" "$(cat "$T_TMP/p.out")"
fi
if "$LEDSIGN" publish "$T_TMP/feed/anim.json" --key "$T_TMP/k.key" --to "$T_TMP/root/layer" >"$T_TMP/p.out" 2>&1 &&
	cmp -s "$T_TMP/root/layer/pictures/anim.gif" "$pics/anim.gif" && [ -e "$T_TMP/root/layer/anim.json.minisig" ]; then
	ok "publish installs an animated GIF beside the playlist, unchanged"
else
	fail "publish installs an animated GIF beside the playlist" "$(cat "$T_TMP/p.out")"
fi
finish
