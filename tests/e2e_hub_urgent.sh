#!/bin/bash
# The urgent notice form end to end: a real nginx with nchan serving the
# urgent layer's feed_dir and the push channel (the locations of
# deploy/nginx/ledsign-push.conf), ledsign-hub over HTTP with the layer's
# key made by the real minisign, and a real ledsignd that polls every 600 s
# and is subscribed to the channel. An editor posts a notice to
# /api/urgent: the hub signs it, pushes at once, and the board shows it
# within seconds, long before its next poll. An editor of another layer is
# refused 403 and nothing changes on disk; a wrong password and a bad date
# change nothing either, on disk or on the board. Then the form itself, in
# Debian's chromium through Playwright (tests/urgent_browser.js): mistakes
# shown at their fields, a publish, and the board showing it through the
# push. Its screenshot goes to $LEDSIGN_BUILD/studio-screens/urgent-form.png
# (content/studio/ holds the one the guide shows).
#
# BENCH=1 (make bench, tests/bench_urgent.sh) also runs a second board
# without the channel, polling every URGENT_POLL_MS (10000), and prints the
# time from the publish request to each board's first frame of the notice,
# with the time a wrong password takes (the key's scrypt unlock alone).
set -u
. "$(dirname "$0")/feedlib.sh"
feed_tmp urgent
need_build ledsignd ledsign-hub
command -v minisign >/dev/null || { bad "minisign not installed (deploy/install-deps.sh)"; finish; }
nchan=/usr/lib/nginx/modules/ngx_nchan_module.so
[ -f "$nchan" ] || { bad "nchan not installed (libnginx-mod-nchan; deploy/install-deps.sh --test)"; finish; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
conf="$root/deploy/nginx/ledsign-push.conf"

port=$(free_port) pub_port=$(free_port) hport=$(free_port)
mkdir -p "$tmp/www/khan" "$tmp/www/gia-lai" "$tmp/logs" "$tmp/keys"
chmod 755 "$tmp"
sed -n '/^#    location ~ \^\/push\/sub/,/^#    }/s/^#    //p' "$conf" >"$tmp/sub.conf"
sed -e "s/127.0.0.1:8081/127.0.0.1:$pub_port/" -e '/^#/d' "$conf" >"$tmp/pub.conf"
cat >"$tmp/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user $(id -un);")
load_module $nchan;
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log info;
events { worker_connections 256; }
http {
    types { application/json json; text/plain minisig; }
    log_format feed '\$msec \$status "\$request"';
    access_log $tmp/logs/access.log feed;
    client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy; fastcgi_temp_path $tmp/fcgi;
    uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $tmp/www;
        etag on;
        $(cat "$tmp/sub.conf")
    }
    include $tmp/pub.conf;
}
CONF
"$nginx" -p "$tmp" -c "$tmp/nginx.conf" 2>"$tmp/logs/nginx.stderr" &
# shellcheck disable=SC2034 # read by feedlib.sh's exit handler
ng_pid=$!
for _ in $(seq 50); do [ -s "$tmp/nginx.pid" ] && break; sleep 0.1; done
[ -s "$tmp/nginx.pid" ] && grep -q nchan_subscriber "$tmp/nginx.conf" &&
	ok "nginx with nchan (locations from deploy/nginx/ledsign-push.conf) on :$port, publisher on :$pub_port" ||
	{ bad "nginx did not start: $(tail -3 "$tmp/logs/error.log" "$tmp/logs/nginx.stderr")"; finish; }

pw='mật khẩu khóa khẩn 2026'
printf '%s\n%s\n' "$pw" "$pw" | minisign -G -p "$tmp/keys/khan.pub" -s "$tmp/keys/khan.key" >/dev/null 2>&1 &&
	printf 'gl-pass\ngl-pass\n' | minisign -G -p "$tmp/keys/gia-lai.pub" -s "$tmp/keys/gia-lai.key" >/dev/null 2>&1 ||
	{ bad "minisign -G failed"; finish; }
cat >"$tmp/hub.conf" <<CONF
[http]
listen = 127.0.0.1:$hport
www_dir = $root/src/hub/www
cookie_secure = no
[hub]
state_dir = $tmp/state
[layer khan]
title = Thông báo khẩn
feed_dir = $tmp/www/khan
secret_key = $tmp/keys/khan.key
public_key = $tmp/keys/khan.pub
urgent = yes
push = http://127.0.0.1:$pub_port/push/pub/khan
[layer gia-lai]
feed_dir = $tmp/www/gia-lai
secret_key = $tmp/keys/gia-lai.key
public_key = $tmp/keys/gia-lai.pub
CONF
hub() { "$build/ledsign-hub" -c "$tmp/hub.conf" "$@"; }
out=$(hub -n 2>&1) && ok "ledsign-hub -n accepts an urgent layer with a push channel" || bad "-n: $out"
printf 'hoa-password-1\n' | hub user add hoa --role editor --scope khan >/dev/null &&
	printf 'tuan-password-1\n' | hub user add tuan --role editor --scope gia-lai >/dev/null || bad "user add"
"$build/ledsign-hub" -c "$tmp/hub.conf" -d 2>"$tmp/hub.log" &
h_pid=$!
b_pid=''
trap 'kill $h_pid $b_pid 2>/dev/null; feed_cleanup' EXIT
u="http://127.0.0.1:$hport"
for _ in $(seq 100); do curl -s -o /dev/null "$u/" && break; sleep 0.1; done

csrf0=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
login() {
	curl -s -o /dev/null -c "$tmp/$1.jar" -b "hub_csrf=$csrf0" -H "X-CSRF-Token: $csrf0" \
		-H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$u/api/login"
	curl -s -b "$tmp/$1.jar" "$u/api/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])' >"$tmp/$1.csrf"
}
# urgent USER JSON: POST /api/urgent; the status, the body in $tmp/resp.
urgent() {
	curl -s -o "$tmp/resp" -w '%{http_code}' -X POST -b "$tmp/$1.jar" -H "X-CSRF-Token: $(cat "$tmp/$1.csrf")" \
		-H 'Content-Type: application/json' --data-binary "$2" "$u/api/urgent"
}
# notice TEXT TAGS UNTIL PASSWORD [LAYER]: the form's JSON.
notice() {
	python3 -c 'import json,sys; a=sys.argv[1:]; d={"text": a[0], "tags": a[1], "until": a[2], "password": a[3]}
if len(a) > 4: d["layer"] = a[4]
print(json.dumps(d, ensure_ascii=False))' "$@"
}
resp() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/resp" "$1" 2>/dev/null; }
login hoa hoa-password-1
login tuan tuan-password-1
[ -s "$tmp/hoa.csrf" ] && [ -s "$tmp/tuan.csrf" ] && ok "both editors logged in" || bad "login failed: $(tail -3 "$tmp/hub.log")"
until=$(TZ=Asia/Ho_Chi_Minh date -d '+1 day' '+%Y-%m-%d %H:%M')

code=$(urgent hoa "$(notice 'THÔNG BÁO KHẨN: BHXH Gia Lai tạm dừng tiếp đón do bão' 'gia-lai' "$until" "$pw")")
id1=$(resp 'json.loads(d["body"])["items"][0]["id"]')
[ "$code" = 200 ] && [ "$(resp 'd["push"]')" = sent ] &&
	ok "the first notice is published on khan and pushed ($(resp 'd["message"]'))" || bad "first notice: $code $(cat "$tmp/resp")"
minisign -V -q -p "$tmp/keys/khan.pub" -m "$tmp/www/khan/playlist.json" && ok "minisign -V verifies what the hub signed" ||
	bad "minisign -V refuses the notice's signature"

# The board: polls every 600 s, listens on the channel, tagged gia-lai.
feed_conf board-khan 10 "http://127.0.0.1:$port/khan/playlist.json" "pubkey = $(tail -1 "$tmp/keys/khan.pub")" \
	"poll = 600" "push_url = http://127.0.0.1:$port/push/sub/khan"
sed -i 's/^name = board-khan$/name = board-khan\ntags = gia-lai/' "$tmp/ledsign.conf"
LEDSIGN_CLOCK_SYNCED=1 start_ledsignd -v
wait_ms() { local lim=$1 t0; shift; t0=$(date +%s%3N); until "$@"; do [ $(($(date +%s%3N) - t0)) -ge "$lim" ] && return 1; sleep 0.05; done; }
connected() { fresh_status; [ "$(status_field 'd["push"]["connected"]')" = True ]; }
wait_ms 10000 current_is "$id1" && ok "the board shows the first notice ($id1)" ||
	bad "the board does not show $id1: $(grep -v DEBUG "$tmp/ledsignd.log" | tail -3)"
wait_ms 10000 connected && ok "the board is subscribed to the push channel" || bad "push not connected: $(status_field 'd["push"]')"

# BENCH: board B, the same feed without the channel, polling every $poll_ms.
poll_ms=${URGENT_POLL_MS:-10000}
# b_status: board B's status file, written now.
b_status() { rm -f "$tmp/b/status.json"; kill -USR1 "$b_pid"; for _ in $(seq 60); do [ -s "$tmp/b/status.json" ] && return; sleep 0.05; done; }
b_shows() { b_status; [ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["current"]["id"])' "$tmp/b/status.json" 2>/dev/null)" = "$1" ]; }
if [ -n "${BENCH:-}" ]; then
	mkdir -p "$tmp/b"
	sed -e "s|$tmp/|$tmp/b/|" -e '/^push_url/d' "$tmp/ledsign.conf" >"$tmp/b/ledsign.conf"
	mkdir -p "$tmp/b/cache" "$tmp/b/state"
	LEDSIGN_CLOCK_SYNCED=1 LEDSIGN_TEST_POLL_MS=$poll_ms "$build/ledsignd" -d -c "$tmp/b/ledsign.conf" 2>"$tmp/b/log" &
	b_pid=$!
	for _ in $(seq 100); do [ -s "$tmp/b/status.json" ] && break; sleep 0.1; done # up: signals are safe
	wait_ms 10000 b_shows "$id1" && ok "board B (no channel, poll $poll_ms ms) shows the first notice" || bad "board B: $(tail -3 "$tmp/b/log")"
fi

# BENCH: what the key's unlock alone costs: a wrong password runs the same
# scrypt and stops there (nothing written; one failure of the limit's five).
if [ -n "${BENCH:-}" ]; then
	s0=$(date +%s%3N)
	urgent hoa "$(notice 'x' '' "$until" 'not the password')" >/dev/null
	unlock=$(($(date +%s%3N) - s0))
fi

# The second notice: from the request to the board's first frame of it.
# first_frame STATUS-FILE: when (ms since the epoch) its current item began:
# the file's mtime (when the service wrote it) less the item's "seconds".
first_frame() { python3 -c 'import json,os,sys; f=sys.argv[1]; d=json.load(open(f)); print(int(os.stat(f).st_mtime * 1000 - d["current"]["seconds"] * 1000))' "$1"; }
sleep 1.1 # another second: another item id
text2='KHẨN: Từ 13:30 hôm nay giao dịch trực tuyến qua VssID hoặc gọi 1900 9068'
gets0=$(grep -c '"GET /khan/playlist.json ' "$tmp/logs/access.log")
t0=$(date +%s%3N)
code=$(urgent hoa "$(notice "$text2" 'gia-lai, kon-tum' "$until" "$pw")")
t_req=$(($(date +%s%3N) - t0))
id2=$(resp 'json.loads(d["body"])["items"][0]["id"]')
[ "$code" = 200 ] && [ "$(resp 'd["push"]')" = sent ] && ok "the second notice is published and pushed (${t_req} ms)" ||
	bad "second notice: $code $(cat "$tmp/resp")"
if wait_ms 15000 current_is "$id2"; then
	total=$(($(first_frame "$tmp/status.json") - t0))
	ok "the board (poll 600 s) shows the notice ${total} ms after the request (request ${t_req} ms), through the push"
else
	bad "the board did not show the notice within 15 s: $(grep -iE 'push|feed' "$tmp/ledsignd.log" | grep -v DEBUG | tail -3)"
fi
[ "$(grep -c '"GET /khan/playlist.json ' "$tmp/logs/access.log")" -gt "$gets0" ] && grep -q 'push' "$tmp/ledsignd.log" &&
	ok "the board fetched the feed on the push, not on its poll" || bad "no fetch after the push"
grep -rqF "$text2" "$tmp/cache" && ok "the board's cache holds the notice's text" || bad "the text is not in the cache: $(ls -R "$tmp/cache")"
[ "$(status_field 'd["push"]["pushes"]')" -ge 1 ] 2>/dev/null && ok "the status file counts the push ($(status_field 'd["push"]["pushes"]'))" ||
	bad "status push: $(status_field 'd["push"]')"

if [ -n "${BENCH:-}" ]; then
	if wait_ms $((poll_ms + 15000)) b_shows "$id2"; then
		polled=$(($(first_frame "$tmp/b/status.json") - t0))
		ok "board B shows it at its poll, ${polled} ms after the request"
	else
		bad "board B did not show the notice within a poll: $(tail -3 "$tmp/b/log")"
	fi
	echo "bench: urgent notice, POST /api/urgent to the board's first frame of it (one sample each; wall clock, context only):"
	echo "bench:   via push (board polls every 600 s): ${total:-?} ms"
	echo "bench:   via poll (board polls every $poll_ms ms, no channel): ${polled:-?} ms (on average request + half the interval)"
	echo "bench:   of which the request: ${t_req} ms; the same request with a wrong password, which runs the key's scrypt unlock and stops, ${unlock} ms"
fi

# Refusals: nothing changes on disk nor on the board.
snapshot() { (cd "$tmp/www" && find . -type f -printf '%p %s %T@\n' | sort && sha256sum khan/*); }
snapshot >"$tmp/before"
code=$(urgent tuan "$(notice 'Ghi đè thông báo khẩn' '' "$until" 'gl-pass' khan)")
[ "$code" = 403 ] && grep -q 'ngoài phạm vi' "$tmp/resp" && ok "an editor of gia-lai is refused 403 on khan: $(resp 'd["error"]')" ||
	bad "other editor: $code $(cat "$tmp/resp")"
code=$(urgent tuan "$(notice 'Ghi đè thông báo khẩn' '' "$until" 'gl-pass')")
[ "$code" = 403 ] && grep -q 'không có lớp khẩn nào' "$tmp/resp" && ok "and has no urgent layer to choose (403)" || bad "no layer: $code $(cat "$tmp/resp")"
code=$(urgent hoa "$(notice 'Sai mật khẩu' '' "$until" 'đoán sai')")
[ "$code" = 403 ] && [ "$(resp 'd["field"]')" = password ] && ok "a wrong key password is refused at the password field" || bad "wrong password: $code $(cat "$tmp/resp")"
code=$(urgent hoa "$(notice 'Sai ngày' '' '2026-02-30 10:00' "$pw")")
[ "$code" = 422 ] && [ "$(resp 'd["field"]')" = until ] && ok "a bad date is refused 422 at its field: $(resp 'd["error"]')" || bad "bad date: $code $(cat "$tmp/resp")"
snapshot >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" && ok "nothing changed in feed_dir (names, sizes, mtimes, sha256)" || bad "feed_dir changed: $(diff "$tmp/before" "$tmp/after")"
rows() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$tmp/state/hub.db" "$1"; }
[ "$(rows "SELECT COUNT(*) FROM versions WHERE layer = 'khan' AND note = 'urgent notice'")" = 2 ] &&
	[ "$(rows "SELECT COUNT(*) FROM audit WHERE action = 'layer.denied' AND actor = 'tuan'")" = 2 ] &&
	[ "$(rows "SELECT COUNT(*) FROM audit WHERE action = 'layer.publish' AND detail LIKE '%urgent notice'")" = 2 ] &&
	ok "two versions noted 'urgent notice', both publishes and both refusals of scope audited" || bad "database: $(rows 'SELECT COUNT(*) FROM audit')"
sleep 1
current_is "$id2" && ok "the board still shows the second notice" || bad "the board changed: $(status_field 'd["current"]')"

# The form in a real browser, and the board showing what it published.
if [ -z "${BENCH:-}" ]; then
	node_dir="$build/node"
	if [ ! -x /usr/bin/chromium ]; then
		bad "chromium missing (deploy/install-deps.sh --test)"
	elif need_playwright "$node_dir"; then
		sleep 1.1 # another second: another item id
		mkdir -p "$build/studio-screens"
		HUB_URL=$u EDITOR=hoa EDITOR_PASSWORD=hoa-password-1 KEY_PASSWORD=$pw CHROMIUM=/usr/bin/chromium \
			SCREENS="$build/studio-screens" PROFILE="$tmp/chromium-profile" NODE_PATH="$node_dir/node_modules" \
			TZ=Asia/Ho_Chi_Minh timeout 150 node "$root/tests/urgent_browser.js" >"$tmp/browser.out" 2>&1
		rc=$?
		grep -v '^id ' "$tmp/browser.out"
		pass=$((pass + $(grep -c '^ok ' "$tmp/browser.out")))
		fail=$((fail + $(grep -c '^FAIL ' "$tmp/browser.out")))
		[ $rc -eq 0 ] || bad "the browser script ended with status $rc"
		id3=$(sed -n 's/^id //p' "$tmp/browser.out")
		[ -n "$id3" ] && wait_ms 15000 current_is "$id3" && ok "the board shows the notice published from the form ($id3)" ||
			bad "the board does not show the form's notice '$id3': $(status_field 'd["current"]')"
	fi
fi

kill "$d_pid" $b_pid; wait "$d_pid" $b_pid 2>/dev/null; d_pid=
kill "$h_pid"; wait "$h_pid" 2>/dev/null
sanitizers_clean "$tmp/ledsignd.log" "$tmp/hub.log" "$tmp/b/log"
finish
