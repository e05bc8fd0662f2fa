#!/bin/bash
# The hub end to end, in a real browser: nginx (with the location block of
# deploy/nginx/ledsign-hub.conf) in front of ledsign-hub on a unix socket, two
# real ledsignd boards (png output) posting heartbeats to it, and Debian's
# chromium driven by Playwright (tests/hub_browser.js): log in; both boards on
# the fleet page within one report interval; one board enrolled from the page;
# one stopped goes late, then offline; the campaign report equals the boards'
# own status counters; the CSV equals the page; a viewer of one province does
# not see the other's board and the API answers 403. Screenshots go to
# $LEDSIGN_BUILD/hub-screens/.
#
# Playwright (npm playwright-core) is installed into $LEDSIGN_BUILD/node on
# first use; the browser is /usr/bin/chromium, never a downloaded one.
set -u
. "$(dirname "$0")/feedlib.sh"

feed_tmp hub-browser
hub_pid='' pid_a='' pid_b=''
trap 'kill $pid_a $pid_b $hub_pid 2>/dev/null; wait $pid_a $pid_b $hub_pid 2>/dev/null; feed_cleanup' EXIT
need_build ledsign-hub ledsignd
chromium=/usr/bin/chromium
[ -x "$chromium" ] || { bad "chromium missing (deploy/install-deps.sh --test)"; finish; }
node_dir="$build/node"
need_playwright "$node_dir" || finish

# The hub, on a unix socket, with 2 s intervals.
cat >"$tmp/hub.conf" <<CONF
[http]
listen = unix:$tmp/hub.sock
www_dir = $root/src/hub/www
[hub]
state_dir = $tmp/hub
report_interval = 2
CONF
hub() { "$build/ledsign-hub" -c "$tmp/hub.conf" "$@"; }
echo "admin-password-1" | hub user add admin --role admin >/dev/null &&
	echo "viewer-password-1" | hub user add viewer-hn --role viewer --scope 'Hà Nội' >/dev/null ||
	{ bad "ledsign-hub user add failed"; finish; }
tok_a=$(head -c 18 /dev/urandom | base64 | tr '+/' '._')
tok_b=$(head -c 18 /dev/urandom | base64 | tr '+/' '._')
hub board add bhxh-hai-chau "$tok_b" --province 'Đà Nẵng' --district 'Hải Châu' --tags national,danang >/dev/null
"$build/ledsign-hub" -c "$tmp/hub.conf" -d 2>"$tmp/hub.log" &
hub_pid=$!
for _ in $(seq 50); do [ -S "$tmp/hub.sock" ] && break; sleep 0.1; done
[ -S "$tmp/hub.sock" ] && ok "ledsign-hub listens on a unix socket" || { bad "no hub socket: $(cat "$tmp/hub.log")"; finish; }

# nginx in front, with the deploy file's locations.
locations=$(sed -n '/# ---- locations/,/# ---- end of locations/p' "$root/deploy/nginx/ledsign-hub.conf")
hport=$(free_port)
nginx_start '$request' "upstream ledsign_hub { server unix:$tmp/hub.sock; keepalive 4; }
    server { listen 127.0.0.1:$hport;
$locations
    }" || { bad "$nginx_error"; finish; }
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$hport/" && break; sleep 0.1; done
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hport/")
[ "$code" = 200 ] && ok "nginx serves the hub's page through deploy/nginx/ledsign-hub.conf" || { bad "nginx: $code $(cat "$tmp/logs/error.log" | tail -3)"; finish; }

# Two boards.
printf '%s\n' '{"version":1,"items":[' \
	'{"id":"an-sinh","text":"BHXH, BHYT là trụ cột an sinh xã hội","effect":"static","duration":1},' \
	'{"id":"bhyt-hoc-sinh","text":"BHYT học sinh, sinh viên","effect":"static","duration":1}]}' >"$tmp/feed.json"
board() { # board NAME TOKEN
	mkdir -p "$tmp/$1/png" "$tmp/$1/state" "$tmp/$1/cache"
	cat >"$tmp/$1/ledsign.conf" <<CONF
[board]
name = $1
[output]
type = png
path = $tmp/$1/png
fps = 4
[feed]
url = file://$tmp/feed.json
cache_dir = $tmp/$1/cache
state_dir = $tmp/$1/state
status_file = $tmp/$1/status.json
report_url = http://127.0.0.1:$hport/api/heartbeat
report_token = $2
connect_timeout = 1
timeout = 2
CONF
	LEDSIGN_TEST_REPORT_MS=2000 LEDSIGN_TEST_STATUS_MS=500 "$build/ledsignd" -d -c "$tmp/$1/ledsign.conf" 2>"$tmp/$1/ledsignd.log" &
}
board bhxh-ba-dinh "$tok_a"
pid_a=$!
board bhxh-hai-chau "$tok_b"
pid_b=$!

mkdir -p "$build/hub-screens"
HUB_URL="http://127.0.0.1:$hport" PID_A=$pid_a PID_B=$pid_b STATUS_A="$tmp/bhxh-ba-dinh/status.json" \
	STATUS_B="$tmp/bhxh-hai-chau/status.json" SCREENS="$build/hub-screens" CHROMIUM=$chromium \
	PROFILE="$tmp/chromium-profile" NODE_PATH="$node_dir/node_modules" TZ=Asia/Ho_Chi_Minh \
	timeout 120 node "$root/tests/hub_browser.js" >"$tmp/browser.out" 2>&1
rc=$?
cat "$tmp/browser.out"
pass=$((pass + $(grep -c '^ok ' "$tmp/browser.out")))
fail=$((fail + $(grep -c '^FAIL ' "$tmp/browser.out")))
[ $rc -eq 0 ] || bad "the browser script ended with status $rc"

kill $pid_a $pid_b 2>/dev/null # stopped by the browser script unless it failed early
wait $pid_a $pid_b 2>/dev/null
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null
sanitizers_clean "$tmp/hub.log" "$tmp"/bhxh-*/ledsignd.log
grep -q 'stopping' "$tmp/hub.log" && ok "the hub stops cleanly on SIGTERM" || bad "hub log: $(tail -3 "$tmp/hub.log")"
finish
