#!/bin/bash
# Pictures through the hub, end to end: an editor uploads the emblem to the
# gia-lai layer's picture store over HTTP (checked as a board checks it: a
# decompression bomb and a file that is not a PNG are refused, an editor of
# another province gets 403), the studio's lint and contact sheet draw the
# item with it, the publish installs it beside the playlist in feed_dir with
# the playlist and its signature, and a real ledsignd fed from a real nginx
# (the deployed feed rules) fetches both, checks the hash and draws the
# emblem beside the scrolling text, on a single-colour board (dithered) and
# an RGB one, LED for LED as `ledsign render` draws the published files. A publish naming a picture the store lacks writes nothing.
# In a real browser (chromium, Playwright: tests/pictures_browser.js) the
# item form's picture button uploads the emblem and fills the item's path
# and hash, the lint is clean and the preview drawn; a bomb is refused.
#
# Uses the test-only LEDSIGN_TEST_POLL_MS (deploy/FEED.md, "Testing").
set -u
. "$(dirname "$0")/feedlib.sh"
poll_ms=${LEDSIGN_E2E_POLL_MS:-500}
pics=$root/tests/data/pictures

feed_tmp hubpics
need_build ledsignd ledsign ledsign-hub
command -v minisign >/dev/null || { bad "minisign not installed (deploy/install-deps.sh)"; finish; }
mkdir -p "$tmp/www/gia-lai" "$tmp/www/kon-tum" "$tmp/keys"
dport=$(free_port)
deployed="server {
        listen 127.0.0.1:$dport;
        root $tmp/www;
        etag on;
$(sed -n '/^    types {/,/^    }/p' "$root/deploy/nginx/ledsign-feed.conf")
$(sed -n '/^    location ~ \/\\\. /,/^    location \/ { return 404; }/p' "$root/deploy/nginx/ledsign-feed.conf")
    }"
nginx_start '$status $bytes_sent "$request"' "$deployed" || { bad "$nginx_error"; finish; }
ok "nginx serving the layers' feed_dir on 127.0.0.1:$dport with the deployed feed rules"

pw='mật khẩu khóa Gia Lai 2026'
printf '%s\n%s\n' "$pw" "$pw" | minisign -G -p "$tmp/keys/gia-lai.pub" -s "$tmp/keys/gia-lai.key" >/dev/null 2>&1 &&
	printf 'kt-pass\nkt-pass\n' | minisign -G -p "$tmp/keys/kon-tum.pub" -s "$tmp/keys/kon-tum.key" >/dev/null 2>&1 ||
	{ bad "minisign -G failed"; finish; }
hport=$(free_port)
cat >"$tmp/hub.conf" <<CONF
[http]
listen = 127.0.0.1:$hport
www_dir = $root/src/hub/www
cookie_secure = no
[hub]
state_dir = $tmp/state
[layer gia-lai]
feed_dir = $tmp/www/gia-lai
secret_key = $tmp/keys/gia-lai.key
public_key = $tmp/keys/gia-lai.pub
[layer kon-tum]
feed_dir = $tmp/www/kon-tum
secret_key = $tmp/keys/kon-tum.key
public_key = $tmp/keys/kon-tum.pub
CONF
hub() { "$build/ledsign-hub" -c "$tmp/hub.conf" "$@"; }
printf 'hoa-password-1\n' | hub user add hoa --role editor --scope gia-lai >/dev/null || bad "user add"
"$build/ledsign-hub" -c "$tmp/hub.conf" -d 2>"$tmp/hub.log" &
h_pid=$! # the hub itself, not a subshell running it: the trap stops it
trap 'kill "$h_pid" 2>/dev/null; wait "$h_pid" 2>/dev/null; feed_cleanup' EXIT
u="http://127.0.0.1:$hport"
for _ in $(seq 100); do curl -s -o /dev/null "$u/" && break; sleep 0.1; done

csrf0=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
curl -s -o /dev/null -c "$tmp/jar" -b "hub_csrf=$csrf0" -H "X-CSRF-Token: $csrf0" \
	-H 'Content-Type: application/json' -d '{"name":"hoa","password":"hoa-password-1"}' "$u/api/login"
csrf=$(curl -s -b "$tmp/jar" "$u/api/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
[ -n "$csrf" ] && ok "the editor of gia-lai logged in" || { bad "login: $(tail -3 "$tmp/hub.log")"; finish; }
# call METHOD PATH TYPE [curl args]: the status; the body in $tmp/resp.
call() {
	local method=$1 path=$2 type=$3
	shift 3
	curl -s -o "$tmp/resp" -w '%{http_code}' -X "$method" -b "$tmp/jar" -H "X-CSRF-Token: $csrf" \
		-H "Content-Type: $type" "$@" "$u$path"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
emblem=$(sha "$pics/emblem.png")

code=$(call POST '/api/layers/gia-lai/pictures?name=pictures/emblem.png' image/png --data-binary "@$pics/emblem.png")
[ "$code" = 200 ] && grep -q "\"path\":\"pictures/emblem.png\",\"sha256\":\"$emblem\"" "$tmp/resp" &&
	cmp -s "$tmp/state/pictures/gia-lai/$emblem" "$pics/emblem.png" &&
	ok "the upload is stored by its SHA-256 and answered with the item's path and hash: $(cat "$tmp/resp")" ||
	bad "upload: $code $(cat "$tmp/resp")"
code=$(call POST '/api/layers/gia-lai/pictures?name=pictures/bomb.png' image/png --data-binary "@$pics/bomb.png")
[ "$code" = 422 ] && grep -q '1000x1000' "$tmp/resp" && ok "a decompression bomb is refused before it is decoded: $(cat "$tmp/resp")" ||
	bad "bomb: $code $(cat "$tmp/resp")"
code=$(call POST '/api/layers/gia-lai/pictures?name=pictures/x.png' image/png --data-binary 'GIF89a, not a PNG')
[ "$code" = 422 ] && ok "a file that is not a PNG is refused: $(cat "$tmp/resp")" || bad "not a PNG: $code $(cat "$tmp/resp")"
code=$(call POST '/api/layers/kon-tum/pictures?name=pictures/emblem.png' image/png --data-binary "@$pics/emblem.png")
[ "$code" = 403 ] && [ ! -e "$tmp/state/pictures/kon-tum" ] && ok "another province's layer is refused (403), nothing stored" ||
	bad "out of scope: $code $(cat "$tmp/resp")"
[ "$(find "$tmp/state/pictures" -type f | wc -l)" = 1 ] && ok "the store holds the emblem only" ||
	bad "store: $(find "$tmp/state/pictures" -type f)"

# The studio's picture button in a real browser (Debian's chromium, Playwright).
node_dir="$build/node"
if [ -x /usr/bin/chromium ] && [ -d "$node_dir/node_modules/playwright-core" ]; then
	mkdir -p "$build/picture-screens"
	HUB_URL=$u CHROMIUM=/usr/bin/chromium PROFILE="$tmp/chromium-profile" NODE_PATH="$node_dir/node_modules" \
		EMBLEM="$pics/emblem.png" EMBLEM_SHA=$emblem BOMB="$pics/bomb.png" SCREENS="$build/picture-screens" \
		TZ=Asia/Ho_Chi_Minh timeout 120 node "$root/tests/pictures_browser.js" >"$tmp/browser.out" 2>&1
	rc=$?
	cat "$tmp/browser.out"
	pass=$((pass + $(grep -c '^ok ' "$tmp/browser.out")))
	fail=$((fail + $(grep -c '^FAIL ' "$tmp/browser.out")))
	[ $rc -eq 0 ] || bad "the browser script ended with status $rc"
else
	echo "skip the browser part: no chromium or playwright-core in $node_dir (tests/e2e_hub_studio.sh installs it)"
fi

body=$(printf '{"version":1,"items":[{"id":"emblem","text":"Cài đặt VssID - BHXH Gia Lai","picture":{"file":"pictures/emblem.png","sha256":"%s"}}]}' "$emblem")
code=$(call POST '/api/studio/lint?layer=gia-lai&lang=en' application/json --data-binary "$body")
[ "$code" = 200 ] && grep -q '"ok":true' "$tmp/resp" && ok "the studio's lint finds the picture in the layer's store" ||
	bad "lint: $code $(cat "$tmp/resp")"
code=$(call POST '/api/studio/sheet?layer=gia-lai&board=192x16' application/json --data-binary "$body")
[ "$code" = 200 ] && [ "$(head -c 4 "$tmp/resp" | od -An -c | tr -d ' ')" = '211PNG' ] && ok "the studio draws the contact sheet with it" ||
	bad "sheet: $code $(head -c 200 "$tmp/resp")"

missing=$(printf '{"version":1,"items":[{"id":"flag","text":"Quốc khánh","picture":{"file":"pictures/flag.png","sha256":"%064d"}}]}' 7)
req=$(python3 -c 'import json,sys; print(json.dumps({"body": sys.argv[1], "password": sys.argv[2]}, ensure_ascii=False))' "$missing" "$pw")
code=$(call POST /api/layers/gia-lai/publish application/json --data-binary "$req")
[ "$code" = 422 ] && grep -q 'items\[0\].picture (flag): pictures/flag.png' "$tmp/resp" && [ -z "$(ls -A "$tmp/www/gia-lai")" ] &&
	ok "a picture missing from the store refuses the publish, naming the item; feed_dir stays empty" ||
	bad "missing picture: $code $(cat "$tmp/resp"); $(ls -A "$tmp/www/gia-lai")"

req=$(python3 -c 'import json,sys; print(json.dumps({"body": sys.argv[1], "password": sys.argv[2]}, ensure_ascii=False))' "$body" "$pw")
code=$(call POST /api/layers/gia-lai/publish application/json --data-binary "$req")
[ "$code" = 200 ] && cmp -s "$tmp/www/gia-lai/pictures/emblem.png" "$pics/emblem.png" &&
	minisign -V -q -p "$tmp/keys/gia-lai.pub" -m "$tmp/www/gia-lai/playlist.json" &&
	ok "the publish installs the emblem beside the signed playlist: $(cat "$tmp/resp")" ||
	bad "publish: $code $(cat "$tmp/resp"); $(find "$tmp/www/gia-lai")"

# The boards: a red single-colour 192x16 (the picture dithered) and an RGB
# 64x32 (the picture's colours), each with png frames and its own cache.
# board_conf NAME PANEL-LINES...: $tmp/NAME.conf.
board_conf() {
	local name=$1
	shift
	mkdir -p "$tmp/$name.cache" "$tmp/$name.state" "$tmp/$name.frames"
	{
		printf '[board]\nname = %s\n[panel]\n' "$name"
		printf '%s\n' "$@"
		printf '[output]\ntype = png\nfps = 5\npath = %s\n' "$tmp/$name.frames"
		printf '[feed]\nurl = %s\ncache_dir = %s\nstate_dir = %s\nstatus_file = %s\npubkey = %s\n' \
			"http://127.0.0.1:$dport/gia-lai/playlist.json" "$tmp/$name.cache" "$tmp/$name.state" \
			"$tmp/status.json" "$(tail -1 "$tmp/keys/gia-lai.pub")"
		printf '[display]\nspeed = 32\n'
	} >"$tmp/$name.conf"
}
board_conf mono 'type = hub12' 'module = 32x16' 'chain = 6' 'colour = red'
board_conf rgb 'type = hub75' 'module = 64x32' 'chain = 1'
# box PNG W: lit LEDs in the W columns of the picture box, and a digest of them.
box() {
	python3 - "$1" "$2" <<'PY'
import hashlib, struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
w, h = struct.unpack('>II', d[16:24])
idat, i = b'', 8
while i < len(d):
    n, = struct.unpack('>I', d[i:i + 4])
    if d[i + 4:i + 8] == b'IDAT': idat += d[i + 8:i + 8 + n]
    i += 12 + n
raw, rows, prev = zlib.decompress(idat), [], bytearray(w * 3)
for y in range(h):
    f, line = raw[y * (w * 3 + 1)], bytearray(raw[y * (w * 3 + 1) + 1:(y + 1) * (w * 3 + 1)])
    for x in range(len(line)):
        a = line[x - 3] if x >= 3 else 0; b = prev[x]; c = prev[x - 3] if x >= 3 else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
bw = int(sys.argv[2])
print(sum(1 for r in rows for x in range(bw) if max(r[3 * x:3 * x + 3]) >= 128),
      hashlib.sha256(b''.join(bytes(r[:3 * bw]) for r in rows)).hexdigest()[:16])
PY
}
wait_until_ms() { local lim=$1; shift; local t0; t0=$(date +%s%3N); until "$@"; do [ $(($(date +%s%3N) - t0)) -ge "$lim" ] && return 1; sleep 0.1; done; }
# shows_emblem NAME BOX: the board's newest frame has the emblem in its BOX x BOX
# box, LED for LED as `ledsign render` draws the published files on that board.
shows_emblem() {
	local f got want
	f=$(find "$tmp/$1.frames" -name 'frame-*.png' | sort | tail -1)
	[ -n "$f" ] || { echo "no frame"; return 1; }
	got=$(box "$f" "$2") || return 1
	"$build/ledsign" render "$tmp/www/gia-lai/playlist.json" --board "$tmp/$1.conf" --time 1 --out "$tmp/render.png" >"$tmp/render.out" 2>&1 ||
		{ echo "render failed: $(cat "$tmp/render.out")"; return 1; }
	want=$(box "$tmp/render.png" "$2")
	set -- "$2" $got
	# The disc fills about pi/4 of its square box.
	[ "$2" -ge $(($1 * $1 / 2)) ] && [ "$2" -lt $(($1 * $1)) ] && [ "$got" = "$want" ] ||
		{ echo "frame $f: $got, render: $want"; return 1; }
}
current_is() { fresh_status; [ "$(status_field 'd["current"]["id"]')" = "$1" ]; }
for b in "mono 16 a red single-colour 192x16 board (dithered)" "rgb 32 an RGB 64x32 board"; do
	set -- $b
	name=$1 size=$2
	shift 2
	rm -f "$tmp/status.json"
	LEDSIGN_TEST_POLL_MS=$poll_ms "$build/ledsignd" -d -c "$tmp/$name.conf" 2>"$tmp/$name.log" &
	d_pid=$!
	for _ in $(seq 100); do [ -s "$tmp/status.json" ] && break; sleep 0.1; done
	out=
	if wait_until_ms 10000 current_is emblem && wait_until_ms 5000 eval "out=\$(shows_emblem $name $size)"; then
		ok "$* fed from nginx draws the hub's emblem beside the text, as render draws the published files ($(box "$tmp/render.png" "$size"))"
	else
		bad "$* does not show the emblem: $out $(grep -v DEBUG "$tmp/$name.log" | tail -3)"
	fi
	grep -q "pictures: 1 (fetched: 1)" "$tmp/$name.log" &&
		ok "it fetched the picture from beside the playlist and checked its hash" ||
		bad "no picture fetch: $(grep -v DEBUG "$tmp/$name.log" | tail -2)"
	kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
done
[ "$(grep -c '^200 .*GET /gia-lai/pictures/emblem.png ' "$tmp/logs/access.log")" = 2 ] &&
	ok "nginx served the picture once to each board" || bad "picture fetches: $(grep -c 'emblem.png' "$tmp/logs/access.log")"

sanitizers_clean "$tmp/mono.log" "$tmp/rgb.log" "$tmp/hub.log"
finish
