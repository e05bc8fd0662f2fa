#!/bin/bash
# Pictures through a real nginx (deploy/FEED.md, "Pictures"): an editor
# publishes a playlist with the emblem beside scrolling text (`ledsign
# publish` installs the picture beside it), and boards fed from nginx draw it
# into their frames (png output) exactly as `ledsign render` does, on a red
# single-colour board (dithered) and an RGB one. A picture swapped on the
# server (its hash no longer the signed one), truncated, oversized, a
# decompression bomb, or a path leaving the feed's folder is refused with
# the reason in the log, and the board keeps showing the emblem; restarted
# without the network, it shows the emblem from its cache. An animated GIF
# published beside the playlist plays on the board, moving: every frame the
# board draws in its box is one `ledsign render` draws at a moment of the
# animation; then the emblem is published again.
#
# Uses the test-only LEDSIGN_TEST_POLL_MS (deploy/FEED.md, "Testing").
set -u
. "$(dirname "$0")/feedlib.sh"
poll_ms=${LEDSIGN_E2E_POLL_MS:-500}
pics=$root/tests/data/pictures

feed_tmp pictures
need_build ledsignd ledsign
www="$tmp/www/national"
mkdir -p "$www" "$tmp/src/pictures"
# The boards fetch from a server block with deploy/nginx/ledsign-feed.conf's
# types and locations (what it serves: playlists, signatures, pictures).
dport=$(free_port)
deployed="server {
        listen 127.0.0.1:$dport;
        root $tmp/www;
        etag on;
$(sed -n '/^    types {/,/^    }/p' "$root/deploy/nginx/ledsign-feed.conf")
$(sed -n '/^    location ~ \/\\\. /,/^    location \/ { return 404; }/p' "$root/deploy/nginx/ledsign-feed.conf")
    }"
nginx_start '$status $bytes_sent "$request"' "$deployed" || { bad "$nginx_error"; finish; }
grep -q 'png|gif)\$' "$tmp/nginx.conf" && ok "nginx listening on 127.0.0.1:$dport with the deployed feed rules" ||
	bad "the deployed rules were not found in deploy/nginx/ledsign-feed.conf"
"$build/ledsign" keygen --pub "$tmp/k.pub" --sec "$tmp/k.sec" >/dev/null || { bad "ledsign keygen failed"; finish; }
url="http://127.0.0.1:$dport/national/feed.json"

# playlist ID FILE SHA: $tmp/src/feed.json, item ID with pictures/FILE beside scrolling text.
playlist() {
	printf '{"version":1,"items":[{"id":"%s","text":"Cài đặt VssID - BHXH Việt Nam","picture":{"file":"%s","sha256":"%s"}}]}\n' \
		"$1" "$2" "$3" >"$tmp/src/feed.json"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
cp "$pics/emblem.png" "$tmp/src/pictures/emblem.png"
playlist emblem pictures/emblem.png "$(sha "$pics/emblem.png")"
if "$build/ledsign" publish "$tmp/src/feed.json" --key "$tmp/k.sec" --to "$www" >"$tmp/publish.out" 2>&1 &&
	cmp -s "$www/pictures/emblem.png" "$pics/emblem.png" && grep -q "1 picture matches its SHA-256" "$tmp/publish.out"; then
	ok "ledsign publish checks the picture's hash and installs it beside the playlist"
else
	bad "ledsign publish with a picture: $(cat "$tmp/publish.out")"
fi
cp -r "$tmp/src" "$tmp/good" # what the board should show throughout

# board_conf NAME PANEL-LINES...: $tmp/NAME.conf, png frames into $tmp/NAME.frames, its own cache.
board_conf() {
	local name=$1
	shift
	mkdir -p "$tmp/$name.cache" "$tmp/$name.state" "$tmp/$name.frames"
	{
		printf '[board]\nname = %s\n[panel]\n' "$name"
		printf '%s\n' "$@"
		printf '[output]\ntype = png\nfps = 5\npath = %s\n' "$tmp/$name.frames"
		printf '[feed]\nurl = %s\ncache_dir = %s\nstate_dir = %s\nstatus_file = %s\npubkey = %s\n' \
			"$url" "$tmp/$name.cache" "$tmp/$name.state" "$tmp/status.json" "$(tail -1 "$tmp/k.pub")"
		printf '[display]\nspeed = 32\n'
	} >"$tmp/$name.conf"
}
board_conf mono 'type = hub12' 'module = 32x16' 'chain = 6' 'colour = red'
board_conf rgb 'type = hub75' 'module = 64x32' 'chain = 1'

# box_sum PNG W: the number of lit LEDs (a channel >= 128) in columns [0, W), then a
# digest of those columns' pixels; 1 px per LED.
box_sum() {
	python3 - "$@" <<'PY'
import hashlib, struct, sys, zlib
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
bw = int(sys.argv[2])
box = b''.join(bytes(r[:3 * bw]) for r in rows)
print(sum(1 for r in rows for x in range(bw) if max(r[3 * x:3 * x + 3]) >= 128), hashlib.sha256(box).hexdigest()[:16])
PY
}
wait_until_ms() { local lim=$1; shift; local t0; t0=$(date +%s%3N); until "$@"; do [ $(($(date +%s%3N) - t0)) -ge "$lim" ] && return 1; sleep 0.1; done; }
last_frame() { find "$tmp/$1.frames" -name 'frame-*.png' | sort | tail -1; }
# shows_emblem NAME BOX: the board's newest frame has the emblem in its BOX x BOX
# picture box, LED for LED as `ledsign render` draws the emblem playlist on that board.
shows_emblem() {
	local f got want
	f=$(last_frame "$1")
	[ -n "$f" ] || { echo "no frame"; return 1; }
	got=$(box_sum "$f" "$2") || return 1
	"$build/ledsign" render "$tmp/good/feed.json" --board "$tmp/$1.conf" --time 1 --out "$tmp/render.png" >"$tmp/render.out" 2>&1 ||
		{ echo "render failed: $(cat "$tmp/render.out")"; return 1; }
	want=$(box_sum "$tmp/render.png" "$2")
	set -- "$2" $got
	# The disc fills about pi/4 of its square box.
	[ "$2" -ge $(($1 * $1 / 2)) ] && [ "$2" -lt $(($1 * $1)) ] && [ "$got" = "$want" ] ||
		{ echo "frame $f: $got, render: $want"; return 1; }
}
board_up() { # board_up NAME [d_log]: the service on $tmp/NAME.conf
	rm -f "$tmp/status.json"
	"$build/ledsignd" -d -c "$tmp/$1.conf" 2>"$tmp/$1.${2:-log}" &
	d_pid=$!
	for _ in $(seq 100); do [ -s "$tmp/status.json" ] && break; sleep 0.1; done
}
board_down() { kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=; }
current_is() { fresh_status; [ "$(status_field 'd["current"]["id"]')" = "$1" ]; }
export LEDSIGN_TEST_POLL_MS=$poll_ms

# The RGB board first: it takes the version and its picture, and draws them.
board_up rgb
if wait_until_ms 10000 current_is emblem && wait_until_ms 5000 eval 'out=$(shows_emblem rgb 32)'; then
	ok "an RGB 64x32 board fed from nginx draws the emblem in its 32x32 box, as render does"
else
	bad "RGB board: ${out:-} $(grep -v DEBUG "$tmp/rgb.log" | tail -3)"
fi
grep -q "pictures: 1 (fetched: 1)" "$tmp/rgb.log" && grep -q '^200 .*GET /national/pictures/emblem.png ' "$tmp/logs/access.log" &&
	ok "the picture was fetched once from beside the playlist, and the log says so" ||
	bad "no picture fetch: $(grep -v DEBUG "$tmp/rgb.log" | tail -2)"
board_down

board_up mono
if wait_until_ms 10000 current_is emblem && wait_until_ms 5000 eval 'out=$(shows_emblem mono 16)'; then
	ok "a red 192x16 board fed from nginx draws the emblem dithered in its 16x16 box, as render does"
else
	bad "mono board: ${out:-} $(grep -v DEBUG "$tmp/mono.log" | tail -3)"
fi
# The text scrolls in from the right edge: a frame may catch it not yet in
# view, so look at frames for up to 5 s.
text_beside() {
	text=$(box_sum "$(last_frame mono)" 192 | cut -d' ' -f1)
	emb=$(box_sum "$(last_frame mono)" 16 | cut -d' ' -f1)
	[ "$text" -gt "$emb" ]
}
wait_until_ms 5000 text_beside && ok "the text scrolls beside the picture ($((text - emb)) LEDs lit right of it)" ||
	bad "no text beside the picture ($text lit in all, $emb in the box)"
polls() { grep -c 'GET /national/feed.json ' "$tmp/logs/access.log"; }
two_more() { [ "$(polls)" -ge "$1" ]; }
wait_until_ms 5000 two_more $(($(polls) + 2))
[ "$(grep -c 'GET /national/pictures/emblem.png ' "$tmp/logs/access.log")" -eq 2 ] &&
	ok "unchanged polls fetch no picture (one fetch per board)" ||
	bad "picture fetched $(grep -c 'GET /national/pictures/emblem.png ' "$tmp/logs/access.log") times"

# The animation (tests/data/pictures/anim.gif: a square in each quadrant for
# 100, 200, 300, 400 ms) beside the text, published as an editor does.
cp "$pics/anim.gif" "$tmp/src/pictures/anim.gif"
playlist anim pictures/anim.gif "$(sha "$pics/anim.gif")"
sleep 1.1 # a later second: a new signature timestamp
touch "$tmp/anim.mark"
if "$build/ledsign" publish "$tmp/src/feed.json" --key "$tmp/k.sec" --to "$www" >"$tmp/publish.out" 2>&1 &&
	cmp -s "$www/pictures/anim.gif" "$pics/anim.gif"; then
	ok "ledsign publish installs the animated GIF beside the playlist"
else
	bad "ledsign publish with an animated GIF: $(cat "$tmp/publish.out")"
fi
# anim_seen, anim_rendered: the distinct digests of the 16x16 box in the mono board's frames since
# the mark, then in renders of the four moments of the animation; equal sets, 3 or more.
anim_seen() {
	find "$tmp/mono.frames" -name 'frame-*.png' -newer "$tmp/anim.mark" | sort | tail -n 12 |
		while read -r f; do box_sum "$f" 16 | cut -d' ' -f2; done | sort -u
}
anim_rendered() {
	for t in 0 0.15 0.35 0.7; do
		"$build/ledsign" render "$tmp/src/feed.json" --board "$tmp/mono.conf" --time "$t" --out "$tmp/ar.png" >/dev/null 2>&1 &&
			box_sum "$tmp/ar.png" 16 | cut -d' ' -f2
	done | sort -u
}
anim_moves() {
	local seen rendered
	seen=$(anim_seen) && rendered=$(anim_rendered) || return 1
	[ "$(echo "$seen" | wc -l)" -ge 3 ] && [ "$(echo "$rendered" | wc -l)" -eq 4 ] &&
		[ -z "$(comm -23 <(echo "$seen") <(echo "$rendered"))" ] ||
		{ echo "box seen: $(echo "$seen" | tr '\n' ' ') rendered: $(echo "$rendered" | tr '\n' ' ')"; return 1; }
}
if wait_until_ms 10000 current_is anim && sleep 3 && out=$(anim_moves); then
	ok "the red board fed from nginx plays the animated GIF, each frame in its box one that render draws"
else
	bad "animated GIF on the board: ${out:-} $(grep -v DEBUG "$tmp/mono.log" | tail -3)"
fi
grep -q '^200 .*GET /national/pictures/anim.gif ' "$tmp/logs/access.log" &&
	ok "the animated GIF was fetched from beside the playlist" || bad "no GET of pictures/anim.gif"
sleep 1.1
playlist emblem pictures/emblem.png "$(sha "$pics/emblem.png")"
"$build/ledsign" publish "$tmp/src/feed.json" --key "$tmp/k.sec" --to "$www" >"$tmp/publish.out" 2>&1 || bad "publish the emblem again: $(cat "$tmp/publish.out")"
wait_until_ms 10000 current_is emblem || bad "the emblem did not come back after the animation"

refusal_logged() { grep -v DEBUG "$tmp/mono.log" | grep -qE -- "$1"; }
# hostile NAME PATTERN: once the log shows a refusal matching PATTERN, the board
# still shows the emblem item with its picture.
hostile() {
	local n=$1
	if wait_until_ms 10000 refusal_logged "$2" &&
		current_is emblem && out=$(shows_emblem mono 16); then
		ok "$n is refused with the reason, and the emblem stays"
	else
		bad "$n: ${out:-} $(grep -v DEBUG "$tmp/mono.log" | tail -2)"
	fi
}
# stage ID FILE SHA [SRC]: a playlist naming FILE (SHA), signed now, published into
# $tmp/stage (never read by the board); SRC, if given, is put on the server as FILE
# before the playlist, so the board meets them together.
stage() {
	sleep 1.1 # a later second: a new signature timestamp
	rm -rf "$tmp/stage" && mkdir -p "$tmp/stage/national/pictures"
	playlist "$1" "$2" "$3"
	cp "$tmp/src/feed.json" "$tmp/stage/national/feed.json"
	"$build/ledsign" sign "$tmp/stage/national/feed.json" --key "$tmp/k.sec" --path national/feed.json >/dev/null || bad "sign failed"
	[ -n "${4:-}" ] && cp "$4" "$www/$2"
	cp "$tmp/stage/national/feed.json" "$tmp/stage/national/feed.json.minisig" "$www/"
}

# A swapped file: the signed playlist names a new picture, the server has another.
python3 - "$tmp/square.png" <<'PY'
import struct, sys, zlib
w = h = 16
raw = b''.join(b'\0' + bytes((255, 255, 255) * w) for y in range(h))
ck = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + ck(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + ck(b'IDAT', zlib.compress(raw)) + ck(b'IEND', b''))
PY
stage swapped pictures/square.png "$(sha "$tmp/square.png")" "$pics/emblem.png"
hostile "a picture swapped on the server (hash mismatch)" \
	"items\[0\]\.picture \(swapped\) from http://127\.0\.0\.1:$dport/national/pictures/square\.png: its SHA-256 is $(sha "$pics/emblem.png") but the signed playlist names $(sha "$tmp/square.png").*publish the picture and the playlist together"
stage truncated pictures/truncated.png "$(sha "$pics/truncated.png")" "$pics/truncated.png"
hostile "a truncated picture" "items\[0\]\.picture \(truncated\) from .*truncated PNG"
head -c 300000 /dev/urandom >"$tmp/big.png"
stage oversized pictures/big.png "$(sha "$tmp/big.png")" "$tmp/big.png"
hostile "an oversized picture (300000 bytes)" "items\[0\]\.picture \(oversized\) from .*picture larger than 262144 bytes, the most a picture may have"
stage bomb pictures/bomb.png "$(sha "$pics/bomb.png")" "$pics/bomb.png"
hostile "a decompression bomb (1000x1000 declared in 4 KB)" \
	"items\[0\]\.picture \(bomb\) from .*1000x1000 pixels; a picture is at most 1024x1024 and 262144 pixels"
stage missing pictures/none.png "$(sha "$tmp/square.png")"
hostile "a picture missing on the server" "items\[0\]\.picture \(missing\) from .*none\.png: picture: the server answered HTTP 404; install the picture beside the playlist"
cp "$pics/emblem.png" "$tmp/www/secret.png"
stage traversal ../secret.png "$(sha "$pics/emblem.png")"
hostile "a picture path leaving the feed's folder" "items\[0\]\.picture\.file: not a file name inside the feed"
grep -q 'GET /secret.png' "$tmp/logs/access.log" && bad "the board asked for /secret.png" || ok "nothing outside the feed's folder was asked for"
[ "$(status_field 'd["feeds"][0]["failures"]')" -ge 1 ] 2>/dev/null && ok "the status counts the failure" || bad "status failures: $(status_field 'd["feeds"][0]')"

# Restart without the network: the cache has the playlist and its picture.
board_down
kill "$(cat "$tmp/nginx.pid")"; wait "$ng_pid" 2>/dev/null; rm -f "$tmp/nginx.pid"
board_up mono log2
if wait_until_ms 5000 current_is emblem && grep -q "1 of 1 feeds shown from the cache" "$tmp/mono.log2" &&
	wait_until_ms 5000 eval 'out=$(shows_emblem mono 16)'; then
	ok "restarted with nginx down, the board shows the emblem from its cache"
else
	bad "after restart without nginx: ${out:-} $(grep -v DEBUG "$tmp/mono.log2" | tail -3)"
fi
grep -q "from the cache, signed timestamp [0-9]*, with its pictures" "$tmp/mono.log2" &&
	ok "the log says the cached version came with its pictures" || bad "no cache line: $(head -3 "$tmp/mono.log2")"
board_down
"$build/ledsign" doctor -c "$tmp/mono.conf" >"$tmp/doctor.out" 2>&1
grep -qE "^ok +signature +1 key\(s\); 1 cached feed\(s\) verify" "$tmp/doctor.out" &&
	ok "ledsign doctor verifies the cached version with its pictures" ||
	bad "doctor: $(grep signature "$tmp/doctor.out")"
sanitizers_clean "$tmp/rgb.log" "$tmp/mono.log" "$tmp/mono.log2"
finish
