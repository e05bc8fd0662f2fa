#!/bin/bash
# The feed against a real nginx on a loopback port: an editor publishes with
# `ledsign publish`, the board (ledsignd, output none + status file) shows it,
# a newly published playlist is on the board within one poll interval, and
# unchanged polls cost one 304 each (from nginx's access log).
#
# Uses the test-only LEDSIGN_TEST_POLL_MS (deploy/FEED.md, "Testing").
set -u
root=${LEDSIGN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
build=${LEDSIGN_BUILD:-$root/build}
poll_ms=${LEDSIGN_E2E_POLL_MS:-1000}
pass=0 fail=0
ok() { echo "ok $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
# After the service has stopped: a sanitizer build (LEDSIGN_BUILD=build-asan) must report nothing.
sanitizers_clean() {
	if grep -hE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$@" 2>/dev/null | head -3 | grep .; then
		bad "sanitizer reports in the service's log"
	else
		ok "no sanitizer reports in the service's log"
	fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ledsign-nginx.XXXXXX")
d_pid=
cleanup() {
	[ -n "$d_pid" ] && kill "$d_pid" 2>/dev/null && wait "$d_pid" 2>/dev/null
	[ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null
	[ -n "${ng_pid:-}" ] && wait "$ng_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
for b in "$build/ledsignd" "$build/ledsign"; do
	[ -x "$b" ] || { bad "build: $b missing (run make first)"; finish; }
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { bad "nginx not installed (deploy/install-deps.sh --test)"; finish; }

chmod 755 "$tmp"
www="$tmp/www/national"
mkdir -p "$www" "$tmp/cache" "$tmp/state" "$tmp/logs"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
user_line=
[ "$(id -u)" = 0 ] && user_line="user $(id -un);"
cat >"$tmp/nginx.conf" <<CONF
$user_line
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log info;
events { worker_connections 64; }
http {
    types { application/json json; text/plain minisig; }
    default_type application/octet-stream;
    log_format feed '\$status \$bytes_sent "\$request" "\$http_if_none_match"';
    access_log $tmp/logs/access.log feed;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $tmp/www;
        etag on;
        gzip on;
        gzip_types application/json;
        gzip_min_length 256;
    }
}
CONF
"$nginx" -p "$tmp" -c "$tmp/nginx.conf" 2>"$tmp/logs/nginx.stderr" &
ng_pid=$!
for _ in $(seq 50); do [ -s "$tmp/nginx.pid" ] && break; sleep 0.1; done
[ -s "$tmp/nginx.pid" ] || { bad "nginx did not start: $(cat "$tmp/logs/nginx.stderr" "$tmp/logs/error.log" 2>/dev/null | tail -3)"; finish; }
ok "nginx listening on 127.0.0.1:$port"

"$build/ledsign" keygen --pub "$tmp/k.pub" --sec "$tmp/k.sec" >/dev/null || { bad "ledsign keygen failed"; finish; }
playlist() { printf '{"version":1,"name":"%s","items":[{"id":"%s","text":"%s"}]}\n' "$1" "$1" "$2" >"$tmp/feed.json"; }
playlist first "BHXH, BHYT là hai chính sách xã hội quan trọng, trụ cột của hệ thống an sinh xã hội"
"$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$www" >/dev/null &&
	ok "ledsign publish installed feed.json and feed.json.minisig" || bad "ledsign publish failed"
echo '{"version":1,"items":[' >"$tmp/broken.json"
if "$build/ledsign" publish "$tmp/broken.json" --key "$tmp/k.sec" --to "$www" 2>/dev/null; then
	bad "publish accepted an invalid playlist"
else
	[ ! -e "$www/broken.json" ] && ok "publish refuses an invalid playlist and installs nothing" || bad "broken.json was installed"
fi

cat >"$tmp/ledsign.conf" <<CONF
[board]
name = nginx-test
[output]
type = none
fps = 10
[feed]
url = http://127.0.0.1:$port/national/feed.json
pubkey = $(tail -1 "$tmp/k.pub")
cache_dir = $tmp/cache
state_dir = $tmp/state
status_file = $tmp/status.json
CONF
LEDSIGN_TEST_POLL_MS=$poll_ms "$build/ledsignd" -d -v -c "$tmp/ledsign.conf" 2>"$tmp/ledsignd.log" &
d_pid=$!
for _ in $(seq 100); do [ -s "$tmp/status.json" ] && break; sleep 0.1; done

status_field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/status.json" "$1" 2>/dev/null; }
fresh_status() { rm -f "$tmp/status.json"; kill -USR1 "$d_pid"; for _ in $(seq 30); do [ -s "$tmp/status.json" ] && return; sleep 0.05; done; }
current_is() { fresh_status; [ "$(status_field 'd["current"]["id"]')" = "$1" ]; }
wait_until_ms() { local lim=$1; shift; local t0; t0=$(date +%s%3N); until "$@"; do [ $(($(date +%s%3N) - t0)) -ge "$lim" ] && return 1; sleep 0.1; done; waited=$(($(date +%s%3N) - t0)); }

wait_until_ms 10000 current_is first && ok "the board shows the published playlist (first) after ${waited} ms" ||
	bad "the board does not show 'first': $(grep -v DEBUG "$tmp/ledsignd.log" | tail -3)"
v1=$(status_field 'd["feeds"][0]["version"]')

# Let a few polls find nothing new.
sleep $(( (poll_ms * 4 + 999) / 1000 ))
n304=$(grep -c '^304 .*GET /national/feed.json ' "$tmp/logs/access.log")
n200=$(grep -c '^200 .*GET /national/feed.json ' "$tmp/logs/access.log")
[ "$n304" -ge 3 ] && [ "$n200" -eq 1 ] && ok "unchanged polls are answered 304 ($n304 x 304 after 1 x 200)" ||
	bad "expected one 200 then 304s for feed.json, got $n200 x 200 and $n304 x 304: $(tail -3 "$tmp/logs/access.log")"
bytes=$(awk '$1 == 304 && $4 == "/national/feed.json" {s += $2; n++} END {if (n) printf "%d", s / n}' "$tmp/logs/access.log")
echo "bytes sent per unchanged poll (304): ${bytes:-?}"
[ -n "$bytes" ] && [ "$bytes" -lt 400 ] && ok "a 304 costs $bytes bytes" || bad "a 304 costs ${bytes:-?} bytes"
grep -q '^200 .*GET /national/feed.json.minisig' "$tmp/logs/access.log" && ! grep -q '^304 .*minisig' "$tmp/logs/access.log" &&
	[ "$(grep -c 'feed.json.minisig' "$tmp/logs/access.log")" -eq 1 ] &&
	ok "the signature is fetched once, only with a new body" || bad "unexpected .minisig requests: $(grep -c minisig "$tmp/logs/access.log")"

sleep 1.1 # a different second, so the new signature's timestamp is later
playlist second "BHYT học sinh, sinh viên - Bảo vệ, chăm sóc sức khỏe thế hệ trẻ"
"$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$www" >/dev/null || bad "second publish failed"
if wait_until_ms $((poll_ms + 1500)) current_is second; then
	ok "a newly published playlist is on the board after ${waited} ms (poll interval $poll_ms ms)"
else
	bad "'second' not on the board within one poll interval: $(grep -v DEBUG "$tmp/ledsignd.log" | tail -3)"
fi
v2=$(status_field 'd["feeds"][0]["version"]')
[ "$v2" -gt "$v1" ] 2>/dev/null && ok "the feed version went from $v1 to $v2" || bad "feed version $v1 -> $v2"

# Restart without nginx: the cache is on the board before any network.
kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
kill "$(cat "$tmp/nginx.pid")"; wait "$ng_pid" 2>/dev/null; rm -f "$tmp/nginx.pid"
rm -f "$tmp/status.json"
LEDSIGN_TEST_POLL_MS=$poll_ms "$build/ledsignd" -d -c "$tmp/ledsign.conf" 2>"$tmp/ledsignd2.log" &
d_pid=$!
for _ in $(seq 100); do [ -s "$tmp/status.json" ] && break; sleep 0.1; done
wait_until_ms 5000 current_is second && ok "restarted with the server down: shows 'second' from the cache" ||
	bad "after restart without server: $(tail -3 "$tmp/ledsignd2.log")"
grep -q "1 of 1 feeds shown from the cache" "$tmp/ledsignd2.log" && ok "the cache was shown before any network activity" ||
	bad "no cache line in the log: $(head -3 "$tmp/ledsignd2.log")"
kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
sanitizers_clean "$tmp/ledsignd.log" "$tmp/ledsignd2.log"
finish
