#!/bin/bash
# Feed benchmark: ledsignd polls a real nginx on loopback many times (short
# interval through the test-only LEDSIGN_TEST_POLL_MS), with a new playlist
# published now and then; reports the service's RSS over the run and the
# bytes nginx sent per unchanged poll ($bytes_sent of the 304s).
#
#   sh tests/bench_feed.sh [BUILD]       (BUILD defaults to build)
#   BENCH_FEED_POLLS=3600 BENCH_FEED_POLL_MS=10 override the run's length.
#
# Last lines (for make bench):
#   feed: rss_kb start=N mid=N end=N growth=N polls=N
#   feed: bytes_per_unchanged_poll=N
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${LEDSIGN_BUILD:-build}}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
polls=${BENCH_FEED_POLLS:-3600}
poll_ms=${BENCH_FEED_POLL_MS:-10}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ledsign-bench-feed.XXXXXX")
d_pid= ng_pid=
cleanup() {
	[ -n "$d_pid" ] && kill "$d_pid" 2>/dev/null && wait "$d_pid" 2>/dev/null
	[ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null
	[ -n "$ng_pid" ] && wait "$ng_pid" 2>/dev/null
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
die() { echo "bench_feed: $*" >&2; exit 1; }
[ -x "$build/ledsignd" ] && [ -x "$build/ledsign" ] || die "$build/ledsignd or ledsign missing (make first)"
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || die "nginx not installed"

chmod 755 "$tmp"
mkdir -p "$tmp/www/national" "$tmp/cache" "$tmp/state" "$tmp/logs"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
user_line=
[ "$(id -u)" = 0 ] && user_line="user $(id -un);"
cat >"$tmp/nginx.conf" <<CONF
$user_line
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log;
events { worker_connections 64; }
http {
    types { application/json json; text/plain minisig; }
    log_format feed '\$status \$bytes_sent \$request_uri "\$http_if_none_match" "\$sent_http_etag"';
    access_log $tmp/logs/access.log feed;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$port;
        root $tmp/www;
        etag on;
        gzip on;
        gzip_types application/json;
        add_header Cache-Control "no-cache" always;
    }
}
CONF
"$nginx" -p "$tmp" -c "$tmp/nginx.conf" 2>"$tmp/logs/nginx.stderr" &
ng_pid=$!
for _ in $(seq 50); do [ -s "$tmp/nginx.pid" ] && break; sleep 0.1; done
[ -s "$tmp/nginx.pid" ] || die "nginx did not start: $(cat "$tmp/logs/nginx.stderr")"

"$build/ledsign" keygen --pub "$tmp/k.pub" --sec "$tmp/k.sec" >/dev/null || die "keygen failed"
publish() {
	{ cat "$root/content/national.json"; printf "%${1}s\n" ""; } >"$tmp/playlist.json"
	"$build/ledsign" publish "$tmp/playlist.json" --key "$tmp/k.sec" --to "$tmp/www/national" >/dev/null || die "publish failed"
}
publish 1
cat >"$tmp/ledsign.conf" <<CONF
[output]
type = none
fps = 25
[feed]
url = http://127.0.0.1:$port/national/playlist.json
pubkey = $(tail -1 "$tmp/k.pub")
cache_dir = $tmp/cache
state_dir = $tmp/state
status_file = $tmp/status.json
CONF
LEDSIGN_TEST_POLL_MS=$poll_ms "$build/ledsignd" -d -c "$tmp/ledsign.conf" 2>"$tmp/ledsignd.log" &
d_pid=$!

count() { awk '$3 == "/national/playlist.json"' "$tmp/logs/access.log" 2>/dev/null | wc -l; }
rss() { awk '/VmRSS/ {print $2}' /proc/"$d_pid"/status; }
wait_polls() { while [ "$(count)" -lt "$1" ]; do kill -0 "$d_pid" 2>/dev/null || die "ledsignd died: $(tail -3 "$tmp/ledsignd.log")"; sleep 0.2; done; }

wait_polls 20
rss_start=$(rss)
wait_polls $((polls / 2))
# A publish mid-run: the accept path (signature, parse, cache store) runs too.
sleep 1.1 && publish 2
wait_polls $((polls / 2 + 20))
# Same bytes, new validators (a re-upload): one 200, then 304s again.
sleep 1.1 && touch "$tmp/www/national/playlist.json"
wait_polls $((polls / 2 + 40))
rss_mid=$(rss)
wait_polls "$polls"
rss_end=$(rss)
n=$(count)
kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=

bytes=$(awk '$1 == 304 && $3 == "/national/playlist.json" {s += $2; n++} END {if (n) printf "%d", s / n}' "$tmp/logs/access.log")
n304=$(awk '$1 == 304 && $3 == "/national/playlist.json"' "$tmp/logs/access.log" | wc -l)
n200=$(awk '$1 == 200 && $3 == "/national/playlist.json"' "$tmp/logs/access.log" | wc -l)
echo "feed: $n polls every $poll_ms ms: $n200 x 200, $n304 x 304"
echo "feed: rss_kb start=$rss_start mid=$rss_mid end=$rss_end growth=$((rss_end - rss_mid)) polls=$n"
echo "feed: bytes_per_unchanged_poll=${bytes:-?}"
